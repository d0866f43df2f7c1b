/*
 * The people CSV of the fairness reports (calib/people.h).
 */
#include "calib/people.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/mem.h"

void rf_people_cleanup(struct rf_people *p)
{
    if (p->cells)
        for (size_t i = 0; i < p->nrows * p->ncols; i++)
            free(p->cells[i]);
    if (p->cols)
        for (size_t j = 0; j < p->ncols; j++)
            free(p->cols[j]);
    free(p->cells), free(p->cols), free(p->line), free(p->name);
    memset(p, 0, sizeof *p);
}

static rf_status read_table(struct rf_csv *c, const char *name, struct rf_people *p,
                            struct rf_err *err)
{
    int eof;
    rf_status rc;
    memset(p, 0, sizeof *p);
    if (!(p->name = rf_strdup(name)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    if ((rc = rf_csv_next(c, &eof)))
        return rf_err_set(err, rc, "%s", rf_err_msg(&c->err));
    if (eof)
        return rf_err_set(err, RF_EINVAL, "%s: empty file (want a header row)", name);
    p->ncols = c->nfields;
    if (!(p->cols = rf_calloc_array(p->ncols, sizeof *p->cols)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t j = 0; j < p->ncols; j++) {
        if (!c->fields[j][0])
            return rf_err_set(err, RF_EINVAL, "%s:%zu: column %zu has no name", name, c->rec_line,
                              j + 1);
        for (size_t k = 0; k < j; k++)
            if (strcmp(p->cols[k], c->fields[j]) == 0)
                return rf_err_set(err, RF_EINVAL, "%s:%zu: column '%s' appears twice", name,
                                  c->rec_line, c->fields[j]);
        if (!(p->cols[j] = rf_strdup(c->fields[j])))
            return rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    size_t cap = 0;
    for (;;) {
        if ((rc = rf_csv_next(c, &eof)))
            return rf_err_set(err, rc, "%s", rf_err_msg(&c->err));
        if (eof)
            break;
        if (c->nfields != p->ncols)
            return rf_err_set(err, RF_EINVAL, "%s:%zu: %zu fields, the header has %zu", name,
                              c->rec_line, c->nfields, p->ncols);
        if (p->nrows == cap) {
            size_t nc = cap ? 2 * cap : 256;
            char **cells = rf_realloc_array(p->cells, nc * p->ncols, sizeof *cells);
            if (!cells)
                return rf_err_set(err, RF_ENOMEM, "out of memory");
            p->cells = cells;
            size_t *line = rf_realloc_array(p->line, nc, sizeof *line);
            if (!line)
                return rf_err_set(err, RF_ENOMEM, "out of memory");
            p->line = line;
            cap = nc;
        }
        char **row = p->cells + p->nrows * p->ncols;
        for (size_t j = 0; j < p->ncols; j++)
            row[j] = NULL;
        p->line[p->nrows] = c->rec_line;
        p->nrows++; /* counted first, so cleanup frees a partly copied row */
        for (size_t j = 0; j < p->ncols; j++)
            if (!(row[j] = rf_strdup(c->fields[j])))
                return rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    return RF_OK;
}

static rf_status finish(struct rf_csv *c, const char *name, struct rf_people *p, struct rf_err *err)
{
    rf_status rc = read_table(c, name, p, err);
    rf_csv_cleanup(c);
    if (rc)
        rf_people_cleanup(p);
    return rc;
}

rf_status rf_people_load(const char *path, struct rf_people *p, struct rf_err *err)
{
    struct rf_csv c;
    rf_status rc = rf_csv_open_file(&c, path);
    if (rc) {
        rf_err_set(err, rc, "%s", rf_err_msg(&c.err));
        rf_csv_cleanup(&c);
        memset(p, 0, sizeof *p);
        return rc;
    }
    return finish(&c, path, p, err);
}

rf_status rf_people_parse(const char *name, const char *data, size_t len, struct rf_people *p,
                          struct rf_err *err)
{
    struct rf_csv c;
    rf_status rc = rf_csv_open_mem(&c, name, data, len);
    if (rc) {
        rf_err_set(err, rc, "%s", rf_err_msg(&c.err));
        rf_csv_cleanup(&c);
        memset(p, 0, sizeof *p);
        return rc;
    }
    return finish(&c, name, p, err);
}

rf_status rf_people_column(const struct rf_people *p, const char *col, size_t *j,
                           struct rf_err *err)
{
    for (size_t k = 0; k < p->ncols; k++)
        if (strcmp(p->cols[k], col) == 0) {
            *j = k;
            return RF_OK;
        }
    return rf_err_set(err, RF_ENOTFOUND, "%s: no column '%s' in the header", p->name, col);
}

const char *rf_people_cell(const struct rf_people *p, size_t i, size_t j)
{
    return p->cells[i * p->ncols + j];
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

rf_status rf_people_values(const struct rf_people *p, size_t j, const char ***vals, size_t *n,
                           struct rf_err *err)
{
    const char **v = rf_alloc_array(p->nrows ? p->nrows : 1, sizeof *v);
    if (!v)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < p->nrows; i++)
        if (rf_people_cell(p, i, j)[0])
            v[m++] = rf_people_cell(p, i, j);
    qsort(v, m, sizeof *v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    *vals = v;
    *n = k;
    return RF_OK;
}

/* qsort context-free: rows sorted by their id cell, through a pair array. */
struct keyed {
    const char *id;
    size_t row;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

rf_status rf_people_join(const struct rf_people *p, size_t idcol, const char *const *ids, size_t n,
                         size_t *rows, struct rf_err *err)
{
    struct keyed *k = rf_alloc_array(p->nrows ? p->nrows : 1, sizeof *k);
    if (!k)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->nrows; i++) {
        k[i].id = rf_people_cell(p, i, idcol);
        k[i].row = i;
        if (!k[i].id[0]) {
            free(k);
            return rf_err_set(err, RF_EINVAL, "%s:%zu: empty '%s'", p->name, p->line[i],
                              p->cols[idcol]);
        }
    }
    qsort(k, p->nrows, sizeof *k, cmp_keyed);
    for (size_t i = 1; i < p->nrows; i++)
        if (strcmp(k[i - 1].id, k[i].id) == 0) {
            rf_status rc =
                rf_err_set(err, RF_EINVAL, "%s:%zu: %s '%s' appears twice (also line %zu)", p->name,
                           p->line[k[i].row], p->cols[idcol], k[i].id, p->line[k[i - 1].row]);
            free(k);
            return rc;
        }
    for (size_t i = 0; i < n; i++) {
        struct keyed key = {ids[i], 0};
        size_t lo = 0, hi = p->nrows;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(k[mid].id, key.id) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        rows[i] = lo < p->nrows && strcmp(k[lo].id, key.id) == 0 ? k[lo].row : SIZE_MAX;
    }
    free(k);
    return RF_OK;
}
