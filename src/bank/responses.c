/* Response CSV reader; see responses.h. Invariant: x has npersons * nitems cells. */
#include "bank/responses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/csv.h"
#include "base/mem.h"

void rf_responses_cleanup(struct rf_responses *r)
{
    if (r->item_ids)
        for (size_t j = 0; j < r->nitems; j++)
            free(r->item_ids[j]);
    if (r->person_ids)
        for (size_t i = 0; i < r->npersons; i++)
            free(r->person_ids[i]);
    free(r->item_ids);
    free(r->person_ids);
    free(r->x);
    free(r->row_ptr);
    free(r->col);
    free(r->val);
    memset(r, 0, sizeof *r);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static rf_status read_all(struct rf_csv *c, int max_cat, int sparse, struct rf_responses *r)
{
    int eof;
    rf_status rc = rf_csv_next(c, &eof);
    if (rc)
        return rc;
    if (eof)
        return rf_err_set(&c->err, RF_EINVAL, "%s: empty file, expected a header row of item ids",
                          c->name);
    size_t first = 0;
    int has_person = c->nfields > 0 && strcmp(c->fields[0], "person") == 0;
    if (has_person)
        first = 1;
    size_t ncols = c->nfields;
    r->nitems = ncols - first;
    if (r->nitems == 0)
        return rf_err_set(&c->err, RF_EINVAL, "%s:%zu: header has no item columns", c->name,
                          c->rec_line);
    r->item_ids = rf_calloc_array(r->nitems, sizeof *r->item_ids);
    if (!r->item_ids)
        return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", c->name);
    for (size_t j = 0; j < r->nitems; j++) {
        const char *id = c->fields[first + j];
        if (!id[0])
            return rf_err_set(&c->err, RF_EINVAL, "%s:%zu: column %zu: empty item id", c->name,
                              c->rec_line, first + j + 1);
        if (strlen(id) > RF_MAX_ID_LEN)
            return rf_err_set(&c->err, RF_EINVAL, "%s:%zu: column %zu: item id longer than %d",
                              c->name, c->rec_line, first + j + 1, RF_MAX_ID_LEN);
        r->item_ids[j] = rf_strdup(id);
        if (!r->item_ids[j])
            return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", c->name);
    }
    /* duplicate ids: sort a copy of the pointers */
    char **sorted = rf_alloc_array(r->nitems, sizeof *sorted);
    if (!sorted)
        return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", c->name);
    memcpy(sorted, r->item_ids, r->nitems * sizeof *sorted);
    qsort(sorted, r->nitems, sizeof *sorted, cmp_str);
    for (size_t j = 1; j < r->nitems; j++) {
        if (strcmp(sorted[j], sorted[j - 1]) == 0) {
            rf_status e = rf_err_set(&c->err, RF_EINVAL, "%s:1: item id '%s' appears twice",
                                     c->name, sorted[j]);
            free(sorted);
            return e;
        }
    }
    free(sorted);

    size_t cap = 0, ecap = 0;
    if (sparse) {
        r->row_ptr = rf_alloc_array(1, sizeof *r->row_ptr);
        if (!r->row_ptr)
            return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", c->name);
        r->row_ptr[0] = 0;
    }
    for (;;) {
        if ((rc = rf_csv_next(c, &eof)))
            return rc;
        if (eof)
            break;
        if (c->nfields != ncols)
            return rf_err_set(&c->err, RF_EINVAL, "%s:%zu: %zu fields, the header has %zu",
                              c->name, c->rec_line, c->nfields, ncols);
        if (r->npersons == cap) {
            size_t nc = cap ? cap * 2 : 256;
            if (sparse) {
                size_t *np = rf_realloc_array(r->row_ptr, nc + 1, sizeof *np);
                if (!np)
                    return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name,
                                      c->rec_line);
                r->row_ptr = np;
            } else {
                signed char *nx = rf_realloc_array(r->x, nc, r->nitems);
                if (!nx)
                    return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name,
                                      c->rec_line);
                r->x = nx;
            }
            if (has_person) {
                char **np = rf_realloc_array(r->person_ids, nc, sizeof *np);
                if (!np)
                    return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name,
                                      c->rec_line);
                r->person_ids = np;
            }
            cap = nc;
        }
        signed char *row = sparse ? NULL : r->x + r->npersons * r->nitems;
        for (size_t j = 0; j < r->nitems; j++) {
            const char *s = c->fields[first + j];
            while (*s == ' ')
                s++;
            if (!s[0] || strcmp(s, "NA") == 0) {
                if (row)
                    row[j] = RF_RESP_MISSING;
                continue;
            }
            int v = -1;
            if (s[0] >= '0' && s[0] <= '9') { /* one digit, then only blanks */
                const char *e = s + 1;
                while (*e == ' ')
                    e++;
                if (!*e)
                    v = s[0] - '0';
            }
            if (v < 0 || v >= max_cat)
                return rf_err_set(&c->err, RF_EINVAL,
                                  "%s:%zu: column %zu (item '%s'): expected a category 0..%d or "
                                  "empty, got '%s'",
                                  c->name, c->rec_line, first + j + 1, r->item_ids[j],
                                  max_cat - 1, c->fields[first + j]);
            if (row) {
                row[j] = (signed char)v;
                continue;
            }
            if (r->nnz == ecap) {
                size_t nc = ecap ? ecap * 2 : 4096;
                uint32_t *ncol = rf_realloc_array(r->col, nc, sizeof *ncol);
                if (ncol)
                    r->col = ncol;
                signed char *nval = rf_realloc_array(r->val, nc, 1);
                if (nval)
                    r->val = nval;
                if (!ncol || !nval)
                    return rf_err_set(&c->err, RF_ENOMEM, "%s:%zu: out of memory", c->name,
                                      c->rec_line);
                ecap = nc;
            }
            r->col[r->nnz] = (uint32_t)j;
            r->val[r->nnz++] = (signed char)v;
        }
        if (sparse)
            r->row_ptr[r->npersons + 1] = r->nnz;
        if (has_person) {
            r->person_ids[r->npersons] = rf_strdup(c->fields[0]);
            if (!r->person_ids[r->npersons])
                return rf_err_set(&c->err, RF_ENOMEM, "%s: out of memory", c->name);
        }
        r->npersons++;
    }
    if (r->npersons == 0)
        return rf_err_set(&c->err, RF_EINVAL, "%s: no response rows after the header", c->name);
    return RF_OK;
}

static rf_status finish(struct rf_csv *c, rf_status rc, struct rf_responses *r,
                        struct rf_err *err)
{
    if (rc) {
        *err = c->err;
        rf_responses_cleanup(r);
    }
    rf_csv_cleanup(c);
    return rc;
}

static rf_status load(const char *path, int max_cat, int sparse, struct rf_responses *r,
                      struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    if (max_cat < 2 || max_cat > 10)
        return rf_err_set(err, RF_EINVAL, "responses: max categories must be 2..10");
    struct rf_csv c;
    rf_status rc = rf_csv_open_file(&c, path);
    if (!rc)
        rc = read_all(&c, max_cat, sparse, r);
    return finish(&c, rc, r, err);
}

static rf_status parse(const char *name, const char *data, size_t len, int max_cat, int sparse,
                       struct rf_responses *r, struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    if (max_cat < 2 || max_cat > 10)
        return rf_err_set(err, RF_EINVAL, "responses: max categories must be 2..10");
    struct rf_csv c;
    rf_status rc = rf_csv_open_mem(&c, name, data, len);
    if (!rc)
        rc = read_all(&c, max_cat, sparse, r);
    return finish(&c, rc, r, err);
}

rf_status rf_responses_load(const char *path, int max_cat, struct rf_responses *r,
                            struct rf_err *err)
{
    return load(path, max_cat, 0, r, err);
}

rf_status rf_responses_load_sparse(const char *path, int max_cat, struct rf_responses *r,
                                   struct rf_err *err)
{
    return load(path, max_cat, 1, r, err);
}

rf_status rf_responses_parse(const char *name, const char *data, size_t len, int max_cat,
                             struct rf_responses *r, struct rf_err *err)
{
    return parse(name, data, len, max_cat, 0, r, err);
}

rf_status rf_responses_parse_sparse(const char *name, const char *data, size_t len, int max_cat,
                                    struct rf_responses *r, struct rf_err *err)
{
    return parse(name, data, len, max_cat, 1, r, err);
}
