/* The shared escaping HTML writer; see html_writer.h. */
#include "careers/html_writer.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/escape.h"

void rf_html_raw(struct rf_html *w, const char *s)
{
    if (!w->rc)
        w->rc = rf_buf_puts(w->b, s);
}

void rf_html_text(struct rf_html *w, const char *s)
{
    if (!w->rc && s)
        w->rc = rf_buf_put_xml(w->b, s);
}

void rf_html_vfmt(struct rf_html *w, const char *f, va_list ap)
{
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, f, ap);
    rf_html_raw(w, tmp);
}

void rf_html_fmt(struct rf_html *w, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    rf_html_vfmt(w, f, ap);
    va_end(ap);
}
