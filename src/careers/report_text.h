/*
 * The words of the career report in each language: one table of messages
 * per language, keyed alike (a test checks both directions). A message is a
 * whole sentence or label with numbered placeholders {1}..{9}, so a
 * translation orders its words freely and no sentence is built from
 * translated pieces; numbers are formatted by the caller, the same in every
 * language. Between a pair of '*' the text is emphasised (bold). Text from
 * data (names, descriptions) comes in through the placeholders and is
 * escaped for the output's markup.
 */
#ifndef RF_CAREERS_REPORT_TEXT_H
#define RF_CAREERS_REPORT_TEXT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/lang.h"

/* The markup a message is written in. */
enum rf_msg_markup {
    RF_MSG_TEXT, /* plain text: '*' dropped, nothing escaped */
    RF_MSG_MD,   /* Markdown: '*' pairs become **bold**; in placeholders '|' is escaped
                    and line breaks become spaces */
    RF_MSG_HTML  /* HTML: '*' pairs become <b>..</b>; everything else escaped */
};

/* The template of key in lang, or NULL when lang's table lacks key. */
const char *rf_report_msg(enum rf_lang lang, const char *key);

/* The i-th key of lang's table, NULL past the end (for tests). */
const char *rf_report_msg_key(enum rf_lang lang, size_t i);

/* Appends the message key of lang with {k} replaced by args[k - 1] (a
 * placeholder past nargs, or a NULL argument, writes nothing). A key missing
 * from lang's table falls back to English, and one missing there writes the
 * key itself, so a slip shows instead of vanishing. RF_ETOOBIG or RF_ENOMEM
 * from the buffer. */
rf_status rf_report_msg_put(struct rf_buf *b, enum rf_msg_markup m, enum rf_lang lang,
                            const char *key, const char *const *args, size_t nargs);

/* Appends s as rf_report_msg_put writes a placeholder (escaped for m). */
rf_status rf_report_msg_arg(struct rf_buf *b, enum rf_msg_markup m, const char *s);

#endif
