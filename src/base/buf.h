/*
 * A growable byte buffer with a cap (after curl's dynbuf). The content is
 * always NUL-terminated. Appending beyond the cap fails with RF_ETOOBIG and
 * leaves the buffer as it was.
 */
#ifndef RF_BUF_H
#define RF_BUF_H

#include <stddef.h>

#include "base/status.h"

struct rf_buf {
    char *data;   /* NUL-terminated content, NULL until the first append */
    size_t len;   /* bytes used, excluding the NUL */
    size_t alloc; /* bytes allocated */
    size_t cap;   /* largest len allowed */
};

/* Initializes an empty buffer that may grow to cap bytes. */
void rf_buf_init(struct rf_buf *b, size_t cap);

/* Frees the content; the buffer may be reused after rf_buf_init. */
void rf_buf_cleanup(struct rf_buf *b);

/* Empties the buffer, keeping its allocation. */
void rf_buf_reset(struct rf_buf *b);

rf_status rf_buf_append(struct rf_buf *b, const void *p, size_t n);
rf_status rf_buf_puts(struct rf_buf *b, const char *s);
rf_status rf_buf_putc(struct rf_buf *b, char c);
rf_status rf_buf_printf(struct rf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The content ("" when empty); owned by the buffer. */
const char *rf_buf_str(const struct rf_buf *b);

/* Hands the content to the caller (free() it) and empties the buffer. */
char *rf_buf_take(struct rf_buf *b);

#endif
