#pragma once
/* glibc's allocator controls (mallopt, malloc_trim), which Swift's Glibc module does not export. */
#include <malloc.h>
static inline int shim_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
static inline int shim_malloc_trim(void) { return malloc_trim(0); }
