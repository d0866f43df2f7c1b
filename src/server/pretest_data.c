/* Online calibration's data from a store; see pretest_data.h. */
#include "server/pretest_data.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "irt/quad.h"

struct collect {
    struct rf_pretest_data *d;
    const struct rf_bank *bank;
    uint32_t person;
};

static void add(struct collect *c, size_t item, json_int_t k, double theta, double sd)
{
    struct rf_pretest_data *d = c->d;
    if (d->rc)
        return;
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 4096;
        struct rf_online_answer *na = rf_realloc_array(d->ans, nc, sizeof *na);
        if (!na) {
            d->rc = RF_ENOMEM;
            return;
        }
        d->ans = na;
        d->cap = nc;
    }
    d->ans[d->n++] = (struct rf_online_answer){c->person, (uint32_t)item, (int)k, theta, sd};
}

/* One finished test: its scored answers and its pretest answers with their
 * posteriors, from the stored session state (cat/sessfile.h). */
static void take_test(void *ud, const struct rf_test *t)
{
    struct collect *c = ud;
    const struct rf_bank *b = c->bank;
    json_t *st = t->state ? json_loads(t->state, 0, NULL) : NULL;
    const json_t *pa = json_object_get(st, "pretest_answers"), *ev = json_object_get(st, "events");
    if (json_array_size(pa) == 0) { /* no pretest item: nothing to calibrate from it */
        json_decref(st);
        return;
    }
    const json_t *x;
    size_t i, bi;
    json_array_foreach(ev, i, x)
    {
        const json_t *k = json_object_get(x, "answer");
        const char *id = json_string_value(json_object_get(x, "item"));
        if (!json_is_integer(k) || !id)
            continue; /* an exposure block */
        if (rf_bank_find(b, id, &bi) || b->items[bi].retired ||
            b->items[bi].pool == RF_POOL_PRETEST) {
            c->d->unknown++;
            continue;
        }
        if (json_integer_value(k) >= 0 && (size_t)json_integer_value(k) < b->items[bi].irt.ncat)
            add(c, bi, json_integer_value(k), NAN, NAN);
    }
    json_array_foreach(pa, i, x)
    {
        const char *id = json_string_value(json_object_get(x, "item"));
        const json_t *k = json_object_get(x, "answer");
        if (!id || rf_bank_find(b, id, &bi) || b->items[bi].pool != RF_POOL_PRETEST ||
            b->items[bi].retired || !json_is_integer(k)) {
            c->d->unknown++; /* promoted, retired or gone since */
            continue;
        }
        add(c, bi, json_integer_value(k), json_number_value(json_object_get(x, "theta")),
            json_number_value(json_object_get(x, "sd")));
    }
    c->d->tests++;
    c->person++;
    json_decref(st);
}

rf_status rf_pretest_collect(struct rf_store *st, const struct rf_bank *b,
                             struct rf_pretest_data *d, struct rf_err *err)
{
    memset(d, 0, sizeof *d);
    if (!(d->items = rf_calloc_array(b->n ? b->n : 1, sizeof *d->items)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    d->nitems = b->n;
    /* skills by first appearance: an item's skill index is that of the first item of its skill */
    for (size_t i = 0; i < b->n; i++) {
        size_t s = 0;
        while (s < i && strcmp(b->items[s].skill, b->items[i].skill) != 0)
            s++;
        d->items[i] =
            (struct rf_online_item){b->items[i].id, s, b->items[i].irt,
                                    b->items[i].pool == RF_POOL_PRETEST && !b->items[i].retired};
    }
    struct collect c = {d, b, 0};
    rf_status rc = rf_store_tests_finished(st, -1, take_test, &c, err);
    if (!rc && d->rc)
        rc = rf_err_set(err, d->rc, "out of memory");
    return rc;
}

void rf_pretest_data_cleanup(struct rf_pretest_data *d)
{
    free(d->items);
    free(d->ans);
    memset(d, 0, sizeof *d);
}

/* ---- drift ---- */

struct dcollect {
    struct rf_drift_data *d;
    const struct rf_bank *bank;
    struct rf_quad q;
    double *work;
    size_t skip; /* tests beyond RF_DRIFT_MAX_TESTS */
};

static void dadd(struct rf_drift_data *d, size_t item, int k, double m, double sd,
                 int64_t candidate)
{
    if (d->rc)
        return;
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 4096;
        struct rf_drift_answer *na = rf_realloc_array(d->ans, nc, sizeof *na);
        if (!na) {
            d->rc = RF_ENOMEM;
            return;
        }
        d->ans = na;
        if (d->with_candidate) {
            int64_t *nc2 = rf_realloc_array(d->candidate, nc, sizeof *nc2);
            if (!nc2) {
                d->rc = RF_ENOMEM;
                return;
            }
            d->candidate = nc2;
        }
        d->cap = nc;
    }
    if (d->with_candidate)
        d->candidate[d->n] = candidate;
    d->ans[d->n++] = (struct rf_drift_answer){(uint32_t)item, k, m, sd};
}

/* One finished test's scored answers, by skill, with their leave-one-out posteriors. */
static void take_drift(void *ud, const struct rf_test *t)
{
    struct dcollect *c = ud;
    struct rf_drift_data *d = c->d;
    const struct rf_bank *b = c->bank;
    if (d->rc || d->tests >= RF_DRIFT_MAX_TESTS) {
        c->skip++;
        return;
    }
    json_t *st = t->state ? json_loads(t->state, 0, NULL) : NULL;
    const json_t *ev = json_object_get(st, "events"), *x;
    size_t n = json_array_size(ev), m = 0, i, bi;
    size_t *idx = rf_alloc_array(n ? n : 1, sizeof *idx);
    int *k = rf_alloc_array(n ? n : 1, sizeof *k);
    const struct rf_irt_item **its = rf_alloc_array(n ? n : 1, sizeof(const struct rf_irt_item *));
    double *mean = rf_alloc_array(n ? n : 1, sizeof *mean),
           *sd = rf_alloc_array(n ? n : 1, sizeof *sd);
    if (!idx || !k || !its || !mean || !sd)
        d->rc = RF_ENOMEM;
    json_array_foreach(ev, i, x)
    {
        const json_t *kk = json_object_get(x, "answer");
        const char *id = json_string_value(json_object_get(x, "item"));
        if (d->rc || !json_is_integer(kk) || !id || json_is_true(json_object_get(x, "carried")))
            continue; /* an exposure block, or an earlier session's answer */
        if (rf_bank_find(b, id, &bi) || b->items[bi].retired ||
            b->items[bi].pool == RF_POOL_PRETEST || json_integer_value(kk) < 0 ||
            (size_t)json_integer_value(kk) >= b->items[bi].irt.ncat)
            continue;
        idx[m] = bi;
        k[m++] = (int)json_integer_value(kk);
    }
    /* by skill: each group's answers from the others of the group */
    for (size_t s = 0; !d->rc && s < m; s++) {
        if (idx[s] == SIZE_MAX)
            continue;
        const char *skill = b->items[idx[s]].skill;
        size_t g = 0;
        int kg[RF_CAT_MAX_ITEMS];
        size_t ig[RF_CAT_MAX_ITEMS];
        for (size_t j = s; j < m && g < RF_CAT_MAX_ITEMS; j++)
            if (idx[j] != SIZE_MAX && !strcmp(b->items[idx[j]].skill, skill)) {
                ig[g] = idx[j];
                kg[g] = k[j];
                its[g++] = &b->items[idx[j]].irt;
                idx[j] = SIZE_MAX;
            }
        if (g < 2)
            continue;
        rf_drift_loo(its, kg, g, &c->q, mean, sd, c->work);
        for (size_t j = 0; j < g; j++)
            dadd(d, ig[j], kg[j], mean[j], sd[j], t->candidate_id);
    }
    d->tests++;
    free(idx);
    free(k);
    free(its);
    free(mean);
    free(sd);
    json_decref(st);
}

/* rf_drift_collect, and with with_candidate each answer's candidate. */
static rf_status collect_loo(struct rf_store *st, const struct rf_bank *b, int with_candidate,
                             struct rf_drift_data *d, struct rf_err *err)
{
    memset(d, 0, sizeof *d);
    d->with_candidate = with_candidate;
    struct dcollect c = {d, b, {0}, NULL, 0};
    rf_status rc = rf_quad_init_default(&c.q, err);
    if (rc)
        return rc;
    if (!(d->items = rf_calloc_array(b->n ? b->n : 1, sizeof *d->items)) ||
        !(c.work = rf_alloc_array(2 * c.q.n, sizeof *c.work)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    d->nitems = b->n;
    for (size_t i = 0; !rc && i < b->n; i++)
        d->items[i] = (struct rf_drift_item){b->items[i].id, b->items[i].irt};
    if (!rc)
        rc = rf_store_tests_finished(st, -1, take_drift, &c, err);
    if (!rc && d->rc)
        rc = rf_err_set(err, d->rc, "out of memory");
    free(c.work);
    rf_quad_cleanup(&c.q);
    return rc;
}

rf_status rf_drift_collect(struct rf_store *st, const struct rf_bank *b, struct rf_drift_data *d,
                           struct rf_err *err)
{
    return collect_loo(st, b, 0, d, err);
}

rf_status rf_dif_collect(struct rf_store *st, const struct rf_bank *b, struct rf_drift_data *d,
                         struct rf_err *err)
{
    return collect_loo(st, b, 1, d, err);
}

void rf_drift_data_cleanup(struct rf_drift_data *d)
{
    free(d->candidate);
    free(d->items);
    free(d->ans);
    memset(d, 0, sizeof *d);
}
