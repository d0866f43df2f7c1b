/* A store as JSON lines and back; see dump.h. The backends read and write
 * raw rows (backend.h: rows_each, rows_load); this file knows the tables and
 * the file format. */
#include "store/dump.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/backend.h"

/* Every table of the schema but schema_version, parents before children:
 * key columns for a stable order; whether the key is text; whether its id is
 * an identity (PostgreSQL's counter is moved past the rows imported). */
static const struct rf_store_table tables[] = {
    {"orgs", "id", 0, 1},
    {"users", "id", 0, 1},
    {"candidates", "id", 0, 1},
    {"group_reports", "candidate_id", 0, 0},
    {"auth", "token_hash", 1, 0},
    {"postings", "id", 0, 1},
    {"posting_edits", "id", 0, 1},
    {"invites", "id", 0, 1},
    {"tests", "id", 0, 1},
    {"answers", "test_id, seq", 0, 0},
    {"teams", "id", 0, 1},
    {"team_members", "id", 0, 1},
    {"team_assessments", "id", 0, 1},
    {"interview_assignments", "id", 0, 1},
    {"scorecards", "assignment_id", 0, 0},
    {"scorecard_edits", "id", 0, 1},
    {"bank_versions", "id", 0, 1},
    {"bank_revisions", "id", 0, 0},
    {"review_runs", "id", 0, 1},
    {"review_decisions", "id", 0, 1},
    {"settings", "key", 1, 0},
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* ---- export ---- */

struct out_ctx {
    FILE *out;
    const char *table; /* the table of the last header written */
    char *hex;
    size_t nhex;
    rf_status rc;
    struct rf_err err;
};

static int put_line(struct out_ctx *c, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!text) {
        c->rc = rf_err_set(&c->err, RF_ENOMEM, "db export: out of memory");
        return 1;
    }
    int bad = fputs(text, c->out) == EOF || fputc('\n', c->out) == EOF;
    free(text);
    if (bad) {
        c->rc = rf_err_set(&c->err, RF_EIO, "db export: cannot write the output");
        return 1;
    }
    return 0;
}

static json_t *value_json(struct out_ctx *c, const struct rf_store_value *v)
{
    switch (v->kind) {
    case RF_STORE_VAL_INT: return json_integer((json_int_t)v->i);
    case RF_STORE_VAL_TEXT: return json_stringn(v->p, v->n);
    case RF_STORE_VAL_BLOB: {
        if (2 * v->n + 1 > c->nhex) {
            char *h = realloc(c->hex, 2 * v->n + 1);
            if (!h)
                return NULL;
            c->hex = h;
            c->nhex = 2 * v->n + 1;
        }
        for (size_t i = 0; i < v->n; i++)
            snprintf(c->hex + 2 * i, 3, "%02x", (unsigned char)v->p[i]);
        c->hex[2 * v->n] = '\0';
        return json_pack("{s:s}", "hex", c->hex);
    }
    default: return json_null();
    }
}

static int on_row(void *ud, const char *table, size_t ncol, const char *const *names,
                  const struct rf_store_value *vals)
{
    struct out_ctx *c = ud;
    if (c->table != table) {
        json_t *cols = json_array();
        for (size_t i = 0; cols && i < ncol; i++) {
            if (json_array_append_new(cols, json_string(names[i]))) {
                json_decref(cols);
                cols = NULL;
            }
        }
        if (put_line(c, cols ? json_pack("{s:s,s:o}", "table", table, "columns", cols) : NULL))
            return 1;
        c->table = table;
    }
    json_t *row = json_array();
    for (size_t i = 0; row && i < ncol; i++) {
        json_t *v = value_json(c, &vals[i]);
        if (!v) {
            json_decref(row);
            if (vals[i].kind == RF_STORE_VAL_TEXT) {
                c->rc = rf_err_set(&c->err, RF_EINVAL,
                                   "db export: table %s, column %s: text that is not UTF-8",
                                   table, names[i]);
                return 1;
            }
            row = NULL;
        } else if (json_array_append_new(row, v)) {
            json_decref(row);
            row = NULL;
        }
    }
    return put_line(c, row);
}

rf_status rf_store_dump(struct rf_store *s, FILE *out, struct rf_err *err)
{
    struct out_ctx c = {out, NULL, NULL, 0, RF_OK, {RF_OK, ""}};
    if (put_line(&c, json_pack("{s:s,s:i,s:i}", "format", "rolefit-db", "version", 1, "schema",
                               rf_store_schema_version(s)))) {
        free(c.hex);
        return rf_err_set(err, c.rc, "%s", c.err.msg);
    }
    rf_status rc = s->ops->rows_each(s, tables, NTABLES, on_row, &c, err);
    free(c.hex);
    if (c.rc)
        return rf_err_set(err, c.rc, "%s", c.err.msg);
    if (!rc && fflush(out) == EOF)
        rc = rf_err_set(err, RF_EIO, "db export: cannot write the output");
    return rc;
}

/* ---- import ---- */

struct in_ctx {
    FILE *in;
    const char *name;
    size_t line;
    char *buf;
    size_t cap;
    size_t table;       /* index in tables of the current table, NTABLES before any */
    json_t *cols, *row; /* the current table's columns, the row being stored */
    const char *names[64];
    size_t ncol;
    struct rf_store_value vals[64];
    unsigned char *blobs[64];
    rf_status rc;
    struct rf_err err;
};

static int fail(struct in_ctx *c, rf_status rc, const char *what)
{
    c->rc = rf_err_set(&c->err, rc, "%s:%zu: %s", c->name, c->line, what);
    return -1;
}

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Reads the next line as JSON (NULL at the end of the file, or with c->rc set). */
static json_t *read_json(struct in_ctx *c)
{
    ssize_t n = getline(&c->buf, &c->cap, c->in);
    if (n < 0) {
        if (ferror(c->in))
            fail(c, RF_EIO, "cannot read the file");
        return NULL;
    }
    c->line++;
    json_error_t je;
    json_t *j = json_loadb(c->buf, (size_t)n, JSON_DECODE_ANY, &je);
    if (!j) {
        char what[200];
        snprintf(what, sizeof what, "not JSON: %s", je.text);
        fail(c, RF_EINVAL, what);
    }
    return j;
}

/* A column name goes into SQL: lower-case letters, digits and '_' only. */
static int plain_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Takes a table line: checks it and makes it current. */
static int take_table(struct in_ctx *c, json_t *j)
{
    const char *t = json_string_value(json_object_get(j, "table"));
    json_t *cols = json_object_get(j, "columns");
    size_t k = 0;
    while (t && k < NTABLES && strcmp(tables[k].name, t))
        k++;
    if (!t || !json_is_array(cols))
        return fail(c, RF_EINVAL, "expected a row, or {\"table\": NAME, \"columns\": [...]}");
    if (k == NTABLES) {
        char what[160];
        snprintf(what, sizeof what, "unknown table '%.60s'", t);
        return fail(c, RF_EINVAL, what);
    }
    if (c->table != NTABLES && k <= c->table)
        return fail(c, RF_EINVAL, "tables out of order (each once, parents first)");
    size_t n = json_array_size(cols);
    if (n == 0 || n > sizeof c->names / sizeof c->names[0])
        return fail(c, RF_EINVAL, "a table needs 1 to 64 columns");
    for (size_t i = 0; i < n; i++) {
        const char *name = json_string_value(json_array_get(cols, i));
        if (!plain_name(name))
            return fail(c, RF_EINVAL, "a column name is not a plain lower-case name");
        c->names[i] = name;
    }
    json_decref(c->cols);
    c->cols = json_incref(cols);
    c->ncol = n;
    c->table = k;
    return 0;
}

/* Converts a row line into c->vals. */
static int take_row(struct in_ctx *c, json_t *row)
{
    if (c->table == NTABLES)
        return fail(c, RF_EINVAL, "a row before any {\"table\": ...} line");
    if (json_array_size(row) != c->ncol)
        return fail(c, RF_EINVAL, "the row does not have one value per column");
    for (size_t i = 0; i < c->ncol; i++) {
        json_t *v = json_array_get(row, i);
        struct rf_store_value *o = &c->vals[i];
        memset(o, 0, sizeof *o);
        if (json_is_null(v)) {
            o->kind = RF_STORE_VAL_NULL;
        } else if (json_is_integer(v)) {
            o->kind = RF_STORE_VAL_INT;
            o->i = (int64_t)json_integer_value(v);
        } else if (json_is_string(v)) {
            o->kind = RF_STORE_VAL_TEXT;
            o->p = json_string_value(v);
            o->n = json_string_length(v);
        } else {
            const char *h = json_string_value(json_object_get(v, "hex"));
            size_t len = h ? strlen(h) : 1;
            if (!h || len % 2)
                return fail(c, RF_EINVAL, "a value is neither null, an integer, a string nor "
                                          "{\"hex\": \"...\"} with an even number of digits");
            unsigned char *b = realloc(c->blobs[i], len / 2 + 1);
            if (!b)
                return fail(c, RF_ENOMEM, "out of memory");
            c->blobs[i] = b;
            for (size_t k = 0; k < len / 2; k++) {
                int hi = hexval(h[2 * k]), lo = hexval(h[2 * k + 1]);
                if (hi < 0 || lo < 0)
                    return fail(c, RF_EINVAL, "a hex value has a character that is not a "
                                              "lower-case hex digit");
                b[k] = (unsigned char)(hi << 4 | lo);
            }
            o->kind = RF_STORE_VAL_BLOB;
            o->p = (const char *)b;
            o->n = len / 2;
        }
    }
    return 0;
}

/* rows_load's source: the next row of the file. */
static int next_row(void *ud, const char **table, size_t *ncol, const char *const **names,
                    const struct rf_store_value **vals)
{
    struct in_ctx *c = ud;
    for (;;) {
        json_decref(c->row);
        c->row = read_json(c);
        if (!c->row)
            return c->rc ? -1 : 0;
        if (json_is_object(c->row)) {
            if (take_table(c, c->row))
                return -1;
            continue;
        }
        if (!json_is_array(c->row))
            return fail(c, RF_EINVAL, "expected a row, or {\"table\": NAME, \"columns\": [...]}");
        if (take_row(c, c->row))
            return -1;
        *table = tables[c->table].name;
        *ncol = c->ncol;
        *names = c->names;
        *vals = c->vals;
        return 1;
    }
}

rf_status rf_store_restore(struct rf_store *s, FILE *in, const char *name, struct rf_err *err)
{
    struct in_ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.name = name;
    c.table = NTABLES;
    json_t *h = read_json(&c);
    int schema = rf_store_schema_version(s);
    rf_status rc = RF_OK;
    if (!h && !c.rc) {
        rc = rf_err_set(err, RF_EINVAL, "%s: empty file (expected a rolefit-db export)", name);
    } else if (!h) {
        rc = rf_err_set(err, c.rc, "%s", c.err.msg);
    } else if (!json_is_object(h) || !json_string_value(json_object_get(h, "format")) ||
               strcmp(json_string_value(json_object_get(h, "format")), "rolefit-db") ||
               json_integer_value(json_object_get(h, "version")) != 1) {
        rc = rf_err_set(err, RF_EINVAL,
                        "%s:1: not a rolefit-db export of version 1 (rolefit db export writes "
                        "one)",
                        name);
    } else if (json_integer_value(json_object_get(h, "schema")) != schema) {
        rc = rf_err_set(err, RF_EINVAL,
                        "%s:1: the export is of schema %lld, this database is at schema %d: "
                        "export and import with the same rolefit",
                        name, (long long)json_integer_value(json_object_get(h, "schema")),
                        schema);
    }
    json_decref(h);
    if (!rc) {
        rc = s->ops->rows_load(s, tables, NTABLES, next_row, &c, err);
        if (c.rc) /* the file's fault, not the database's */
            rc = rf_err_set(err, c.rc, "%s", c.err.msg);
        else if (rc)
            rf_err_prefix(err, "%s:%zu", name, c.line);
    }
    json_decref(c.row);
    json_decref(c.cols);
    for (size_t i = 0; i < sizeof c.blobs / sizeof c.blobs[0]; i++)
        free(c.blobs[i]);
    free(c.buf);
    return rc;
}
