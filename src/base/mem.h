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

#endif
