/*
 * The one escaping writer for markup output (HTML, SVG, XML text and
 * attribute values): appends s to a buffer with & < > " ' replaced by
 * entities. Bytes that XML 1.0 forbids (control characters other than tab,
 * newline and carriage return) are dropped, so the output always parses, and
 * so are C1 controls and bidirectional formatting characters, which would make
 * a label render differently from what it says.
 */
#ifndef RF_BASE_ESCAPE_H
#define RF_BASE_ESCAPE_H

#include "base/buf.h"

/* Appends the escaped s; RF_ETOOBIG when the buffer's cap is reached
 * (the buffer may then hold part of s). */
rf_status rf_buf_put_xml(struct rf_buf *b, const char *s);

/* Where s first holds a character that must not reach a log line or a label
 * a person reads: a C0 control other than tab (and, when multiline, newline
 * and carriage return), DEL, a C1 control, or a bidirectional formatting
 * character (U+061C, U+200E/F, U+202A-E, U+2066-9), which can make rendered
 * text read differently from what is stored. Returns the byte offset plus one,
 * or 0 when s is clean. */
size_t rf_text_unsafe_at(const char *s, int multiline);

/* Replaces, in place, every character rf_text_unsafe_at(s, 0) refuses
 * (newlines included) by '?', so one event stays one log line. */
void rf_text_sanitize_line(char *s);

#endif
