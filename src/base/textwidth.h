/*
 * Text laid out for a terminal by display width, not bytes: East Asian Wide
 * and Fullwidth characters take two columns, combining marks and other
 * zero-width characters none, the rest one (utf8proc's Unicode width table,
 * so no locale is involved). Used by the CLI to wrap Japanese questions and
 * to align tables whose cells hold Japanese names.
 */
#ifndef RF_BASE_TEXTWIDTH_H
#define RF_BASE_TEXTWIDTH_H

#include <stddef.h>

#include "base/buf.h"

/* Display columns of the UTF-8 text s (NULL is 0). A byte that does not
 * start a valid sequence counts one column. */
size_t rf_text_width(const char *s);

/* Appends s and then spaces up to width columns (nothing added when s is
 * already that wide). RF_ETOOBIG / RF_ENOMEM from the buffer. */
rf_status rf_text_pad(struct rf_buf *b, const char *s, size_t width);

/* Appends s wrapped to lines of at most width columns, each line starting
 * with first (the first line) or rest (every later line) and ending in '\n'.
 * Breaks come at spaces (the space is dropped) and between characters of
 * which one is wide, so Japanese wraps without spaces; a closing mark
 * (、。」）etc.) never starts a line and an opening one (「（) never ends one.
 * A run of narrow characters without a space (a word, a code span, a URL) is
 * never split: wider than the line, it stands alone on its line. Line breaks
 * in s are kept; lines between ``` fences are copied unwrapped (code). The
 * prefixes count towards width. RF_ETOOBIG / RF_ENOMEM from the buffer. */
rf_status rf_text_wrap(struct rf_buf *b, const char *s, size_t width, const char *first,
                       const char *rest);

#endif
