/* Overflow-checked allocation, and glibc malloc's settings for a server. */
#include "base/mem.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "base/config.h"

void *rf_alloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return malloc(n && size ? n * size : 1);
}

void *rf_calloc_array(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

void *rf_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return realloc(p, n && size ? n * size : 1);
}

char *rf_strdup(const char *s)
{
    if (!s)
        return NULL;
    return rf_strndup(s, strlen(s));
}

char *rf_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

#ifdef __GLIBC__
/* 1 when the environment sets glibc's parameter itself: the variable env, or
 * the tunable glibc.malloc.<tunable> in GLIBC_TUNABLES. */
static int env_sets(const char *env, const char *tunable)
{
    if (getenv(env))
        return 1;
    const char *t = getenv("GLIBC_TUNABLES");
    char key[64];
    snprintf(key, sizeof key, "glibc.malloc.%s=", tunable);
    for (const char *p = t; p && (p = strstr(p, key)); p += strlen(key))
        if (p == t || p[-1] == ':')
            return 1;
    return 0;
}
#endif

void rf_mem_tune_server(void)
{
#ifdef __GLIBC__
    if (!env_sets("MALLOC_TRIM_THRESHOLD_", "trim_threshold"))
        (void)mallopt(M_TRIM_THRESHOLD, (int)RF_SERVE_MALLOC_TRIM);
    if (!env_sets("MALLOC_MMAP_THRESHOLD_", "mmap_threshold"))
        (void)mallopt(M_MMAP_THRESHOLD, (int)RF_SERVE_MALLOC_MMAP);
    if (RF_SERVE_MALLOC_ARENAS > 0 && !env_sets("MALLOC_ARENA_MAX", "arena_max"))
        (void)mallopt(M_ARENA_MAX, (int)RF_SERVE_MALLOC_ARENAS);
#endif
}
