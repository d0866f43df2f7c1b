/*
 * The one CSV reader of rolefit (RFC 4180: commas, double-quoted fields with
 * "" escapes and embedded newlines, CRLF or LF, optional UTF-8 BOM). Records
 * are returned one at a time with the line number where they start; blank
 * lines are skipped. Field and column counts are capped (config.h).
 */
#ifndef RF_CSV_H
#define RF_CSV_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct rf_csv {
    const char *name;  /* borrowed: file name used in messages */
    char *data;        /* owned: the whole input */
    size_t len, pos;
    size_t line;       /* current line while scanning */
    size_t rec_line;   /* line where the last record returned starts */
    char **fields;     /* fields of the last record (pointers into scratch) */
    size_t nfields;
    size_t cap_fields;
    size_t *offs;
    struct rf_buf scratch;
    struct rf_err err;
};

/* Opens a CSV file (read whole, capped by RF_MAX_FILE_BYTES). */
rf_status rf_csv_open_file(struct rf_csv *c, const char *path);

/* Opens CSV text held in memory (copied); name is used in messages. */
rf_status rf_csv_open_mem(struct rf_csv *c, const char *name, const char *data, size_t len);

/* Reads the next record into c->fields / c->nfields. Sets *eof = 1 (and returns RF_OK)
 * at the end of input. Errors (unterminated quote, text after a closing quote,
 * too many columns, field too long) name the file and line in c->err. */
rf_status rf_csv_next(struct rf_csv *c, int *eof);

void rf_csv_cleanup(struct rf_csv *c);

/* Appends s as one CSV field: as it is, or double-quoted with "" escapes when
 * it holds a comma, a quote, a CR or LF, or starts or ends with a blank.
 * RF_ETOOBIG when the buffer's cap is reached. */
rf_status rf_csv_put_field(struct rf_buf *b, const char *s);

#endif
