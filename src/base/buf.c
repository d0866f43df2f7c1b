/* Growable, capped byte buffer. Invariant: data == NULL or data[len] == '\0'. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rf_buf_init(struct rf_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
}

void rf_buf_cleanup(struct rf_buf *b)
{
    free(b->data);
    rf_buf_init(b, b->cap);
}

void rf_buf_reset(struct rf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static rf_status reserve(struct rf_buf *b, size_t extra)
{
    if (extra > b->cap || b->len > b->cap - extra)
        return RF_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return RF_OK;
    size_t na = b->alloc ? b->alloc : 64;
    while (na < need)
        na = na > ((size_t)-1) / 2 ? need : na * 2;
    char *p = realloc(b->data, na);
    if (!p)
        return RF_ENOMEM;
    b->data = p;
    b->alloc = na;
    return RF_OK;
}

rf_status rf_buf_append(struct rf_buf *b, const void *p, size_t n)
{
    rf_status rc = reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RF_OK;
}

rf_status rf_buf_puts(struct rf_buf *b, const char *s)
{
    return rf_buf_append(b, s, strlen(s));
}

rf_status rf_buf_putc(struct rf_buf *b, char c)
{
    return rf_buf_append(b, &c, 1);
}

rf_status rf_buf_printf(struct rf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return RF_EINVAL;
    rf_status rc = reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RF_OK;
}

const char *rf_buf_str(const struct rf_buf *b)
{
    return b->data ? b->data : "";
}

char *rf_buf_take(struct rf_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    rf_buf_init(b, b->cap);
    return p;
}
