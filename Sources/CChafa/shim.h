#pragma once
#include <chafa.h>
/* glib's TRUE is (!FALSE), which Swift does not import. */
static inline void shim_gstring_free(GString *s) { g_string_free(s, 1); }
