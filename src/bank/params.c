/*
 * Reading item parameter tables from JSON or CSV. Invariant: every item in a
 * loaded table passed rf_irt_item_validate and has a unique, non-empty id.
 */
#include "bank/params.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

void rf_params_cleanup(struct rf_param_table *t)
{
    if (t->ids)
        for (size_t i = 0; i < t->n; i++)
            free(t->ids[i]);
    free(t->ids);
    free(t->items);
    t->ids = NULL;
    t->items = NULL;
    t->n = 0;
}

rf_status rf_params_find(const struct rf_param_table *t, const char *id, size_t *idx)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->ids[i], id) == 0) {
            *idx = i;
            return RF_OK;
        }
    }
    return RF_ENOTFOUND;
}

rf_status rf_params_from_json(const json_t *obj, struct rf_irt_item *it, const char *where,
                              struct rf_err *err)
{
    const char *model = NULL;
    rf_status rc = rf_json_get_string(obj, "model", 1, &model, where, err);
    if (rc)
        return rc;
    enum rf_model m;
    if (rf_irt_model_parse(model, &m))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'model': unknown model '%s' (use 1pl, 2pl, 3pl or grm)",
                          where, model);
    double a = 1.0, b = 0.0, c = 0.0;
    int has_a, has_c;
    if ((rc = rf_json_get_number(obj, "a", m != RF_MODEL_1PL, &a, &has_a, where, err)))
        return rc;
    if (m == RF_MODEL_GRM) {
        const json_t *th = json_object_get(obj, "thresholds");
        if (!th)
            return rf_err_set(err, RF_EINVAL, "%s: missing field 'thresholds'", where);
        if (!json_is_array(th) || json_array_size(th) < 1 ||
            json_array_size(th) > RF_MAX_CATEGORIES - 1)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'thresholds': expected an array of 1 to %d numbers",
                              where, RF_MAX_CATEGORIES - 1);
        double thr[RF_MAX_CATEGORIES];
        for (size_t j = 0; j < json_array_size(th); j++) {
            const json_t *v = json_array_get(th, j);
            if (!json_is_number(v))
                return rf_err_set(err, RF_EINVAL, "%s: field 'thresholds[%zu]': expected a number",
                                  where, j);
            thr[j] = json_number_value(v);
        }
        rf_irt_item_grm(it, a, thr, json_array_size(th) + 1);
    } else {
        if ((rc = rf_json_get_number(obj, "b", 1, &b, NULL, where, err)))
            return rc;
        if ((rc = rf_json_get_number(obj, "c", 0, &c, &has_c, where, err)))
            return rc;
        if (m != RF_MODEL_3PL && has_c && c != 0)
            return rf_err_set(err, RF_EINVAL, "%s: field 'c': must be 0 for a %s item (got %g)",
                              where, model, c);
        rf_irt_item_dich(it, m, a, b, c);
    }
    struct rf_err e2;
    rf_err_clear(&e2);
    if (rf_irt_item_validate(it, &e2))
        return rf_err_set(err, RF_EINVAL, "%s: %s", where, e2.msg);
    return RF_OK;
}

rf_status rf_params_to_json(const struct rf_irt_item *it, json_t *obj)
{
    int bad = 0;
    bad |= json_object_set_new(obj, "model", json_string(rf_irt_model_name(it->model)));
    bad |= json_object_set_new(obj, "a", json_real(it->a));
    if (it->model == RF_MODEL_GRM) {
        json_t *th = json_array();
        for (size_t j = 0; j + 1 < it->ncat; j++)
            bad |= json_array_append_new(th, json_real(it->thr[j]));
        bad |= json_object_set_new(obj, "thresholds", th);
    } else {
        bad |= json_object_set_new(obj, "b", json_real(it->b));
        bad |= json_object_set_new(obj, "c", json_real(it->c));
        bad |= json_object_set_new(obj, "d", json_real(-it->a * it->b));
    }
    return bad ? RF_ENOMEM : RF_OK;
}

static rf_status grow(struct rf_param_table *t, size_t n, struct rf_err *err)
{
    t->ids = rf_calloc_array(n, sizeof *t->ids);
    t->items = rf_calloc_array(n, sizeof *t->items);
    if (!t->ids || !t->items) {
        free(t->ids);
        free(t->items);
        t->ids = NULL;
        t->items = NULL;
        return rf_err_set(err, RF_ENOMEM, "out of memory for %zu items", n);
    }
    return RF_OK;
}

static rf_status add_id(struct rf_param_table *t, const char *id, const char *where,
                        struct rf_err *err)
{
    if (!id[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': empty", where);
    if (strlen(id) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': longer than %d bytes", where,
                          RF_MAX_ID_LEN);
    size_t dup;
    if (rf_params_find(t, id, &dup) == RF_OK)
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate id '%s'", where, id);
    t->ids[t->n] = rf_strdup(id);
    if (!t->ids[t->n])
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    return RF_OK;
}

static rf_status load_json(const char *path, const char *data, size_t len,
                           struct rf_param_table *t, struct rf_err *err)
{
    json_t *root;
    rf_status rc = rf_json_load_mem(path, data, len, &root, err);
    if (rc)
        return rc;
    const json_t *arr = json_is_array(root) ? root : json_object_get(root, "items");
    if (!json_is_array(arr)) {
        json_decref(root);
        return rf_err_set(err, RF_EINVAL,
                          "%s: expected an array of items or an object with 'items'", path);
    }
    size_t n = json_array_size(arr);
    if ((rc = grow(t, n, err))) {
        json_decref(root);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: items[%zu]", path, i);
        const char *id = NULL;
        if ((rc = rf_json_get_string(o, "id", 1, &id, where, err)))
            break;
        snprintf(where, sizeof where, "%s: item '%.*s'", path, RF_MAX_ID_LEN, id);
        if ((rc = rf_params_from_json(o, &t->items[i], where, err)))
            break;
        if ((rc = add_id(t, id, where, err)))
            break;
        t->n++;
    }
    json_decref(root);
    if (rc)
        rf_params_cleanup(t);
    return rc;
}

enum { COL_ID, COL_MODEL, COL_A, COL_B, COL_C, NCOLS };

static rf_status load_csv(const char *path, const char *data, size_t len,
                          struct rf_param_table *t, struct rf_err *err)
{
    struct rf_csv c;
    rf_status rc = rf_csv_open_mem(&c, path, data, len);
    if (rc) {
        *err = c.err;
        rf_csv_cleanup(&c);
        return rc;
    }
    int eof;
    size_t col[NCOLS];
    size_t thr_col[RF_MAX_CATEGORIES];
    size_t nthr = 0, cap = 0, ncols = 0;
    for (int i = 0; i < NCOLS; i++)
        col[i] = (size_t)-1;
    for (size_t k = 0; k < RF_MAX_CATEGORIES; k++)
        thr_col[k] = (size_t)-1;
    if ((rc = rf_csv_next(&c, &eof)) || eof) {
        if (!rc)
            rc = rf_err_set(&c.err, RF_EINVAL, "%s: empty file, expected a header row", path);
        goto out;
    }
    ncols = c.nfields;
    for (size_t j = 0; j < c.nfields; j++) {
        const char *h = c.fields[j];
        static const char *names[NCOLS] = {"id", "model", "a", "b", "c"};
        for (int k = 0; k < NCOLS; k++)
            if (strcmp(h, names[k]) == 0)
                col[k] = j;
        if (h[0] == 'b' && isdigit((unsigned char)h[1])) {
            size_t idx;
            if (rf_parse_size(h + 1, &idx) == RF_OK && idx >= 1 && idx < RF_MAX_CATEGORIES) {
                thr_col[idx - 1] = j;
                if (idx > nthr)
                    nthr = idx;
            }
        }
    }
    if (col[COL_ID] == (size_t)-1 || col[COL_MODEL] == (size_t)-1) {
        rc = rf_err_set(&c.err, RF_EINVAL, "%s:1: header needs columns 'id' and 'model'", path);
        goto out;
    }
    for (size_t k = 0; k < nthr; k++)
        if (thr_col[k] == (size_t)-1) { /* b1..bK must all be there: no gaps */
            rc = rf_err_set(&c.err, RF_EINVAL, "%s:1: header has column 'b%zu' but no 'b%zu'",
                            path, nthr, k + 1);
            goto out;
        }
    for (;;) {
        if ((rc = rf_csv_next(&c, &eof)))
            goto out;
        if (eof)
            break;
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s:%zu", path, c.rec_line);
        if (c.nfields != ncols) {
            rc = rf_err_set(&c.err, RF_EINVAL, "%s: %zu fields, the header has %zu", where,
                            c.nfields, ncols);
            goto out;
        }
        if (t->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **ids = rf_realloc_array(t->ids, nc, sizeof *ids);
            if (ids)
                t->ids = ids;
            struct rf_irt_item *items = rf_realloc_array(t->items, nc, sizeof *items);
            if (items)
                t->items = items;
            if (!ids || !items) {
                rc = rf_err_set(&c.err, RF_ENOMEM, "%s: out of memory", where);
                goto out;
            }
            cap = nc;
        }
        enum rf_model m;
        const char *ms = c.fields[col[COL_MODEL]];
        if (rf_irt_model_parse(ms, &m)) {
            rc = rf_err_set(&c.err, RF_EINVAL,
                            "%s: field 'model': unknown model '%s' (use 1pl, 2pl, 3pl or grm)",
                            where, ms);
            goto out;
        }
        double v[NCOLS] = {0, 0, 1.0, 0, 0};
        for (int k = COL_A; k <= COL_C; k++) {
            static const char *names[NCOLS] = {"id", "model", "a", "b", "c"};
            if (col[k] == (size_t)-1) {
                int needed = (k == COL_A && m != RF_MODEL_1PL) || (k == COL_B && m != RF_MODEL_GRM);
                if (needed) {
                    rc = rf_err_set(&c.err, RF_EINVAL, "%s: no column '%s' for a %s item", where,
                                    names[k], ms);
                    goto out;
                }
                continue;
            }
            const char *cell = c.fields[col[k]];
            if (!cell[0] && (k == COL_C || (k == COL_B && m == RF_MODEL_GRM) ||
                             (k == COL_A && m == RF_MODEL_1PL)))
                continue;
            if (rf_parse_double(cell, &v[k])) {
                rc = rf_err_set(&c.err, RF_EINVAL, "%s: field '%s': expected a number, got '%s'",
                                where, names[k], cell);
                goto out;
            }
        }
        struct rf_irt_item *it = &t->items[t->n];
        if (m == RF_MODEL_GRM) {
            double thr[RF_MAX_CATEGORIES];
            size_t k = 0;
            for (; k < nthr; k++) {
                const char *cell = c.fields[thr_col[k]];
                if (!cell[0])
                    break;
                if (rf_parse_double(cell, &thr[k])) {
                    rc = rf_err_set(&c.err, RF_EINVAL,
                                    "%s: field 'b%zu': expected a number, got '%s'", where, k + 1,
                                    cell);
                    goto out;
                }
            }
            if (k == 0) {
                rc = rf_err_set(&c.err, RF_EINVAL, "%s: graded item needs columns b1, b2, ...",
                                where);
                goto out;
            }
            rf_irt_item_grm(it, v[COL_A], thr, k + 1);
        } else {
            if (m != RF_MODEL_3PL && v[COL_C] != 0) {
                rc = rf_err_set(&c.err, RF_EINVAL, "%s: field 'c': must be 0 for a %s item", where,
                                ms);
                goto out;
            }
            rf_irt_item_dich(it, m, v[COL_A], v[COL_B], v[COL_C]);
        }
        struct rf_err e2;
        rf_err_clear(&e2);
        if (rf_irt_item_validate(it, &e2)) {
            rc = rf_err_set(&c.err, RF_EINVAL, "%s: %s", where, e2.msg);
            goto out;
        }
        if ((rc = add_id(t, c.fields[col[COL_ID]], where, &c.err)))
            goto out;
        t->n++;
    }
    if (t->n == 0)
        rc = rf_err_set(&c.err, RF_EINVAL, "%s: no items after the header", path);
out:
    if (rc) {
        *err = c.err;
        rf_params_cleanup(t);
    }
    rf_csv_cleanup(&c);
    return rc;
}

rf_status rf_params_parse(const char *name, const char *data, size_t len,
                          struct rf_param_table *t, struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    size_t i = 0;
    while (i < len && (isspace((unsigned char)data[i]) || (unsigned char)data[i] == 0xEF ||
                       (unsigned char)data[i] == 0xBB || (unsigned char)data[i] == 0xBF))
        i++;
    if (i < len && (data[i] == '{' || data[i] == '['))
        return load_json(name, data, len, t, err);
    return load_csv(name, data, len, t, err);
}

rf_status rf_params_load(const char *path, struct rf_param_table *t, struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, (size_t)RF_MAX_FILE_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_params_parse(path, data, len, t, err);
    free(data);
    return rc;
}
