#pragma once
/* Private to CImageCodecs (not in include/): shared error-message helpers. */
#include "ImageCodecs.h"

/* Copies "prefix: message" (or just message when prefix is NULL) into error, truncating safely. */
void ic_set_error(ic_error *error, const char *prefix, const char *message);
