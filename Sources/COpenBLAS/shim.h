#pragma once
/* Resolves to openblas-pthread/cblas.h (openblas.pc's -I comes first); it also declares
   openblas_get_corename, openblas_set_num_threads and openblas_get_config. */
#include <cblas.h>
