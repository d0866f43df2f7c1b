/*
 * RFC 4180 CSV reader. Invariant: after rf_csv_next returns a record, each
 * c->fields[i] points at a NUL-terminated copy of field i inside c->scratch.
 */
#include "base/csv.h"

#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/mem.h"

static void init(struct rf_csv *c, const char *name)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->line = 1;
    rf_buf_init(&c->scratch, (size_t)RF_MAX_FILE_BYTES);
}

static void skip_bom(struct rf_csv *c)
{
    if (c->len >= 3 && (unsigned char)c->data[0] == 0xEF && (unsigned char)c->data[1] == 0xBB &&
        (unsigned char)c->data[2] == 0xBF)
        c->pos = 3;
}

rf_status rf_csv_open_file(struct rf_csv *c, const char *path)
{
    init(c, path);
    rf_status rc = rf_file_read(path, (size_t)RF_MAX_FILE_BYTES, &c->data, &c->len, &c->err);
    if (rc)
        return rc;
    skip_bom(c);
    return RF_OK;
}

rf_status rf_csv_open_mem(struct rf_csv *c, const char *name, const char *data, size_t len)
{
    init(c, name);
    c->data = rf_strndup(data, len);
    if (!c->data)
        return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", name);
    c->len = len;
    skip_bom(c);
    return RF_OK;
}

void rf_csv_cleanup(struct rf_csv *c)
{
    free(c->data);
    free(c->fields);
    free(c->offs);
    rf_buf_cleanup(&c->scratch);
    c->data = NULL;
    c->fields = NULL;
    c->offs = NULL;
}

static rf_status end_field(struct rf_csv *c, size_t start)
{
    if (c->scratch.len - start > RF_MAX_CSV_FIELD)
        return rf_err_set(&c->err, RF_ETOOBIG, "%s:%zu: column %zu: field longer than %d bytes",
                          c->name, c->rec_line, c->nfields + 1, RF_MAX_CSV_FIELD);
    if (c->nfields >= RF_MAX_CSV_COLUMNS)
        return rf_err_set(&c->err, RF_ETOOBIG, "%s:%zu: more than %d columns", c->name,
                          c->rec_line, RF_MAX_CSV_COLUMNS);
    if (c->nfields == c->cap_fields) {
        size_t nc = c->cap_fields ? c->cap_fields * 2 : 64;
        size_t *o = rf_realloc_array(c->offs, nc, sizeof *o);
        if (!o)
            return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name, c->rec_line);
        c->offs = o;
        char **f = rf_realloc_array(c->fields, nc, sizeof *f);
        if (!f)
            return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name, c->rec_line);
        c->fields = f;
        c->cap_fields = nc;
    }
    c->offs[c->nfields++] = start;
    if (rf_buf_putc(&c->scratch, '\0'))
        return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name, c->rec_line);
    return RF_OK;
}

rf_status rf_csv_next(struct rf_csv *c, int *eof)
{
    *eof = 0;
    c->nfields = 0;
    rf_buf_reset(&c->scratch);
    /* skip blank lines */
    while (c->pos < c->len && (c->data[c->pos] == '\n' || c->data[c->pos] == '\r')) {
        if (c->data[c->pos] == '\n')
            c->line++;
        c->pos++;
    }
    if (c->pos >= c->len) {
        *eof = 1;
        return RF_OK;
    }
    c->rec_line = c->line;
    size_t start = c->scratch.len;
    rf_status rc;
    for (;;) {
        /* at the start of a field */
        if (c->pos < c->len && c->data[c->pos] == '"') {
            c->pos++;
            for (;;) {
                if (c->pos >= c->len)
                    return rf_err_set(&c->err, RF_EINVAL,
                                      "%s:%zu: column %zu: unterminated quoted field", c->name,
                                      c->rec_line, c->nfields + 1);
                char ch = c->data[c->pos++];
                if (ch == '"') {
                    if (c->pos < c->len && c->data[c->pos] == '"') {
                        c->pos++;
                    } else {
                        break;
                    }
                }
                if (ch == '\n')
                    c->line++;
                if (rf_buf_putc(&c->scratch, ch))
                    return rf_err_set(&c->err, RF_ETOOBIG, "%s:%zu: record too large", c->name,
                                      c->rec_line);
            }
            if (c->pos < c->len && c->data[c->pos] != ',' && c->data[c->pos] != '\n' &&
                c->data[c->pos] != '\r')
                return rf_err_set(&c->err, RF_EINVAL,
                                  "%s:%zu: column %zu: text after closing quote", c->name,
                                  c->line, c->nfields + 1);
        } else {
            size_t s = c->pos;
            while (c->pos < c->len && c->data[c->pos] != ',' && c->data[c->pos] != '\n' &&
                   c->data[c->pos] != '\r')
                c->pos++;
            if (c->pos - s > RF_MAX_CSV_FIELD)
                return rf_err_set(&c->err, RF_ETOOBIG,
                                  "%s:%zu: column %zu: field longer than %d bytes", c->name,
                                  c->rec_line, c->nfields + 1, RF_MAX_CSV_FIELD);
            if (memchr(c->data + s, '"', c->pos - s))
                return rf_err_set(&c->err, RF_EINVAL,
                                  "%s:%zu: column %zu: quote inside an unquoted field", c->name,
                                  c->rec_line, c->nfields + 1);
            if (rf_buf_append(&c->scratch, c->data + s, c->pos - s))
                return rf_err_set(&c->err, RF_ETOOBIG, "%s:%zu: record too large", c->name,
                                  c->rec_line);
        }
        rc = end_field(c, start);
        if (rc)
            return rc;
        start = c->scratch.len;
        if (c->pos < c->len && c->data[c->pos] == ',') {
            c->pos++;
            continue;
        }
        /* end of record */
        if (c->pos < c->len && c->data[c->pos] == '\r')
            c->pos++;
        if (c->pos < c->len && c->data[c->pos] == '\n') {
            c->pos++;
            c->line++;
        }
        break;
    }
    for (size_t i = 0; i < c->nfields; i++)
        c->fields[i] = c->scratch.data + c->offs[i];
    return RF_OK;
}

rf_status rf_csv_put_field(struct rf_buf *b, const char *s)
{
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote)
        return rf_buf_append(b, s, n);
    rf_status rc = rf_buf_putc(b, '"');
    for (const char *q = s; !rc && *q; q++)
        rc = *q == '"' ? rf_buf_append(b, "\"\"", 2) : rf_buf_putc(b, *q);
    return rc ? rc : rf_buf_putc(b, '"');
}
