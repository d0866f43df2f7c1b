/*
 * The one escaping writer for markup output (HTML, SVG, XML text and
 * attribute values): appends s to a buffer with & < > " ' replaced by
 * entities. Bytes that XML 1.0 forbids (control characters other than tab,
 * newline and carriage return) are dropped, so the output always parses.
 */
#ifndef RF_BASE_ESCAPE_H
#define RF_BASE_ESCAPE_H

#include "base/buf.h"

/* Appends the escaped s; RF_ETOOBIG when the buffer's cap is reached
 * (the buffer may then hold part of s). */
rf_status rf_buf_put_xml(struct rf_buf *b, const char *s);

#endif
