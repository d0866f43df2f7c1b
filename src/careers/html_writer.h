/*
 * The escaping HTML writer the HTML pages of careers share (the career
 * report, the team report): markup written by the page's own code goes out
 * as is, text from data or people always through the one escaper
 * (base/escape.h). Sticky: after the first failure every call is a no-op and
 * rc keeps that failure, so rendering code reads straight through.
 */
#ifndef RF_CAREERS_HTML_WRITER_H
#define RF_CAREERS_HTML_WRITER_H

#include <stdarg.h>

#include "base/buf.h"

struct rf_html {
    struct rf_buf *b; /* borrowed */
    rf_status rc;     /* the first failure (RF_ETOOBIG at the buffer's cap, RF_ENOMEM) */
};

/* Markup written by the caller's code (never data). */
void rf_html_raw(struct rf_html *w, const char *s);

/* Text from data, profiles or people: escaped. NULL writes nothing. */
void rf_html_text(struct rf_html *w, const char *s);

/* Markup with numbers: the format comes from the caller's code and the
 * arguments are numbers (text goes through rf_html_text). At most 511 bytes
 * are written per call. */
void rf_html_fmt(struct rf_html *w, const char *f, ...) __attribute__((format(printf, 2, 3)));

/* The same with a va_list. */
void rf_html_vfmt(struct rf_html *w, const char *f, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
