/*
 * Moodle GIFT: the one reader and writer of rolefit for GIFT text. Reads
 * multiple-choice questions ("::title:: text { =right ~wrong #feedback
 * ####general feedback }"), with comments (//), categories ($CATEGORY:),
 * format tags ([markdown] ...), the missing-word form and the escapes
 * \~ \= \# \{ \} \: \\ \n. Every other question type (true-false, short answer,
 * matching, numerical, essay, description, multiple-answer or weighted
 * answers) is reported as a note by name and line, never dropped silently.
 * Malformed text is an error "FILE:LINE:COLUMN: message".
 * docs/bank-exchange.md gives the mapping.
 */
#ifndef RF_BANK_GIFT_H
#define RF_BANK_GIFT_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/import.h"
#include "base/buf.h"
#include "base/err.h"

/* Reads GIFT text held in memory (the fuzz entry point); name is used in messages. */
rf_status rf_gift_read_mem(const char *name, const char *data, size_t len, struct rf_import *im,
                           struct rf_err *err);

/* Reads a GIFT file (UTF-8, an optional BOM is skipped). */
rf_status rf_gift_read_file(const char *path, struct rf_import *im, struct rf_err *err);

/* Appends one mcq item as a GIFT question preceded by its rolefit metadata
 * comment. RF_EINVAL for a rubric item. */
rf_status rf_gift_write_item(const struct rf_item *it, struct rf_buf *out);

/* Writes the mcq items of b into directory dest (created when missing), one
 * file SKILL.gift per skill with a $CATEGORY: rolefit/SKILL line. *nskipped
 * counts items not exported (rubric items). */
rf_status rf_gift_export(const struct rf_bank *b, const char *dest, size_t *nskipped,
                         struct rf_err *err);

#endif
