#pragma once
/* glibc's memory calls that Swift's Glibc module does not export: the allocator's controls (mallopt,
 * malloc_trim) and mremap, which is variadic (Swift imports no variadic C function) and declared only under
 * _GNU_SOURCE, which a module map cannot set before libc's own modules are built. */
#include <malloc.h>
#include <stddef.h>

extern void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...);

static inline int shim_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
static inline int shim_malloc_trim(void) { return malloc_trim(0); }
/* MREMAP_MAYMOVE (1): the kernel may move the mapping (its pages go along, nothing is copied); MAP_FAILED on error. */
static inline void *shim_mremap_may_move(void *address, size_t old_size, size_t new_size) {
    return mremap(address, old_size, new_size, 1);
}
