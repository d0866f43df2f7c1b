/*
 * Allocation helpers that check size arithmetic for overflow. They return NULL
 * on failure and never abort; callers turn NULL into RF_ENOMEM.
 */
#ifndef RF_MEM_H
#define RF_MEM_H

#include <stddef.h>

/* malloc(n * size) with overflow check; NULL on overflow or failure. */
void *rf_alloc_array(size_t n, size_t size);

/* calloc with overflow check (calloc already checks; kept for symmetry). */
void *rf_calloc_array(size_t n, size_t size);

/* realloc(p, n * size) with overflow check; on failure p is left untouched. */
void *rf_realloc_array(void *p, size_t n, size_t size);

/* strdup that returns NULL on failure (and for s == NULL). */
char *rf_strdup(const char *s);

/* Copy of the first n bytes of s, NUL-terminated. */
char *rf_strndup(const char *s, size_t n);

/* At a server's start, before its threads: glibc's malloc keeps freed memory
 * up to RF_SERVE_MALLOC_TRIM a heap instead of trimming and faulting it in
 * again, maps allocations from RF_SERVE_MALLOC_MMAP up on their own and, if
 * RF_SERVE_MALLOC_ARENAS is not 0, uses at most that many arenas (base/config.h).
 * Each is left as it is when its standard variable is set (MALLOC_TRIM_THRESHOLD_,
 * MALLOC_MMAP_THRESHOLD_, MALLOC_ARENA_MAX, or the glibc.malloc tunable in
 * GLIBC_TUNABLES). Does nothing on other C libraries. */
void rf_mem_tune_server(void);

#endif
