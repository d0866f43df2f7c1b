/* Response export for calibration; see export.h. Item ids are interned in an
 * open-addressing hash table; cells are gathered test by test, so each
 * person's cells are contiguous and only need sorting by item. */
#include "store/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

struct ctx {
    struct rf_store *s;
    int64_t *tests;
    size_t ntests, cap_tests;
    /* items */
    char **ids;
    size_t nitems, cap_items;
    size_t *slot; /* item index + 1, 0 = empty */
    size_t nslot;
    /* cells of the current and earlier tests */
    uint32_t *col;
    signed char *val;
    size_t nnz, cap_cells;
    int64_t cur_test;
    rf_status rc;
    struct rf_err err;
};

static void on_test(void *ud, const struct rf_test *t)
{
    struct ctx *c = ud;
    if (c->rc)
        return;
    if (c->ntests == c->cap_tests) {
        size_t n = c->cap_tests ? 2 * c->cap_tests : 256;
        int64_t *p = rf_realloc_array(c->tests, n, sizeof *p);
        if (!p) {
            c->rc = rf_err_set(&c->err, RF_ENOMEM, "store export: out of memory");
            return;
        }
        c->tests = p;
        c->cap_tests = n;
    }
    c->tests[c->ntests++] = t->id;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static rf_status rehash(struct ctx *c)
{
    size_t n = c->nslot ? 2 * c->nslot : 1024;
    size_t *slot = rf_calloc_array(n, sizeof *slot);
    if (!slot)
        return RF_ENOMEM;
    for (size_t i = 0; i < c->nitems; i++) {
        size_t h = (size_t)hash_str(c->ids[i]) & (n - 1);
        while (slot[h])
            h = (h + 1) & (n - 1);
        slot[h] = i + 1;
    }
    free(c->slot);
    c->slot = slot;
    c->nslot = n;
    return RF_OK;
}

/* Index of item id, adding it when new; (size_t)-1 when out of memory. */
static size_t intern(struct ctx *c, const char *id)
{
    if (2 * (c->nitems + 1) > c->nslot && rehash(c))
        return (size_t)-1;
    size_t h = (size_t)hash_str(id) & (c->nslot - 1);
    for (; c->slot[h]; h = (h + 1) & (c->nslot - 1))
        if (strcmp(c->ids[c->slot[h] - 1], id) == 0)
            return c->slot[h] - 1;
    if (c->nitems == c->cap_items) {
        size_t n = c->cap_items ? 2 * c->cap_items : 256;
        char **p = rf_realloc_array(c->ids, n, sizeof *p);
        if (!p)
            return (size_t)-1;
        c->ids = p;
        c->cap_items = n;
    }
    c->ids[c->nitems] = rf_strdup(id);
    if (!c->ids[c->nitems])
        return (size_t)-1;
    c->slot[h] = ++c->nitems;
    return c->nitems - 1;
}

static void on_answer(void *ud, const struct rf_answer *a)
{
    struct ctx *c = ud;
    if (c->rc)
        return;
    if (a->score < 0 || a->score >= RF_MAX_CATEGORIES) {
        c->rc = rf_err_set(&c->err, RF_EINVAL,
                           "store export: test %lld, item '%s': scored "
                           "category %d is outside 0..%d",
                           (long long)c->cur_test, a->item_id ? a->item_id : "?", a->score,
                           RF_MAX_CATEGORIES - 1);
        return;
    }
    size_t j = intern(c, a->item_id ? a->item_id : "");
    if (j == (size_t)-1 || j > UINT32_MAX) {
        c->rc = rf_err_set(&c->err, RF_ENOMEM, "store export: out of memory");
        return;
    }
    if (c->nnz == c->cap_cells) {
        size_t n = c->cap_cells ? 2 * c->cap_cells : 4096;
        uint32_t *pc = rf_realloc_array(c->col, n, sizeof *pc);
        if (pc)
            c->col = pc;
        signed char *pv = rf_realloc_array(c->val, n, 1);
        if (pv)
            c->val = pv;
        if (!pc || !pv) {
            c->rc = rf_err_set(&c->err, RF_ENOMEM, "store export: out of memory");
            return;
        }
        c->cap_cells = n;
    }
    c->col[c->nnz] = (uint32_t)j;
    c->val[c->nnz++] = (signed char)a->score;
}

/* Sorts the cells [b, e) by item (stable insertion sort: tests are short)
 * and drops all but the last answer to an item. Returns the new end. */
static size_t sort_row(struct ctx *c, size_t b, size_t e)
{
    for (size_t i = b + 1; i < e; i++)
        for (size_t k = i; k > b && c->col[k - 1] > c->col[k]; k--) {
            uint32_t tc = c->col[k];
            signed char tv = c->val[k];
            c->col[k] = c->col[k - 1];
            c->val[k] = c->val[k - 1];
            c->col[k - 1] = tc;
            c->val[k - 1] = tv;
        }
    size_t out = b;
    for (size_t i = b; i < e; i++) {
        if (i + 1 < e && c->col[i + 1] == c->col[i])
            continue; /* a later answer to the same item wins */
        c->col[out] = c->col[i];
        c->val[out++] = c->val[i];
    }
    return out;
}

rf_status rf_store_export_responses(struct rf_store *s, int64_t org_id, struct rf_responses *r,
                                    struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    rf_status rc = rf_store_tests_finished(s, org_id, on_test, &c, err);
    if (!rc && c.rc) {
        rc = c.rc;
        *err = c.err;
    }
    size_t *row_ptr = NULL;
    char **pids = NULL;
    size_t np = 0;
    if (!rc) {
        row_ptr = rf_alloc_array(c.ntests + 1, sizeof *row_ptr);
        pids = rf_calloc_array(c.ntests ? c.ntests : 1, sizeof *pids);
        if (!row_ptr || !pids)
            rc = rf_err_set(err, RF_ENOMEM, "store export: out of memory");
        else
            row_ptr[0] = 0;
    }
    /* oldest first, so persons come in the order tests were taken */
    for (size_t t = c.ntests; !rc && t-- > 0;) {
        size_t b = c.nnz;
        c.cur_test = c.tests[t];
        rc = rf_store_answers_list(s, c.tests[t], on_answer, &c, err);
        if (!rc && c.rc) {
            rc = c.rc;
            *err = c.err;
        }
        if (rc)
            break;
        if (c.nnz == b)
            continue; /* a finished test without answers adds nothing */
        c.nnz = sort_row(&c, b, c.nnz);
        char pid[32];
        snprintf(pid, sizeof pid, "test-%lld", (long long)c.tests[t]);
        pids[np] = rf_strdup(pid);
        if (!pids[np]) {
            rc = rf_err_set(err, RF_ENOMEM, "store export: out of memory");
            break;
        }
        row_ptr[++np] = c.nnz;
    }
    if (!rc && np == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "store export: no finished test with answers");
    if (rc) {
        for (size_t i = 0; i < np; i++)
            free(pids[i]);
        free(pids);
        free(row_ptr);
        for (size_t i = 0; i < c.nitems; i++)
            free(c.ids[i]);
        free(c.ids);
        free(c.col);
        free(c.val);
    } else {
        r->npersons = np;
        r->nitems = c.nitems;
        r->item_ids = c.ids;
        r->person_ids = pids;
        r->nnz = c.nnz;
        r->row_ptr = row_ptr;
        r->col = c.col;
        r->val = c.val;
    }
    free(c.tests);
    free(c.slot);
    return rc;
}
