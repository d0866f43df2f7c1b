/* The re-estimation's data from a store; see recal_data.h. */
#include "server/recal_data.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

void rf_recal_rated(const struct rf_item *file_item, struct rf_irt_item *out)
{
    if (!file_item->calibrated)
        *out = file_item->irt;
    else
        rf_item_prior_params(file_item, out);
}

const char *rf_test_kind_name(int kind)
{
    static const char *const names[RF_TEST_NKINDS] = {"practice", "posting", "role"};
    return kind >= 0 && kind < RF_TEST_NKINDS ? names[kind] : NULL;
}

enum rf_test_kind rf_test_kind_of(const struct rf_test *t)
{
    return !t->org_id ? RF_TEST_PRACTICE : t->posting_id ? RF_TEST_POSTING : RF_TEST_ROLE;
}

struct collect {
    struct rf_recal_data *d;
    const struct rf_bank *bank;
};

static void add(struct rf_recal_data *d, uint64_t test, size_t item, int k, int kind)
{
    if (d->rc)
        return;
    if (d->n == d->cap) {
        size_t nc = d->cap ? 2 * d->cap : 4096;
        struct rf_recal_answer *na = rf_realloc_array(d->ans, nc, sizeof *na);
        if (na)
            d->ans = na;
        unsigned char *nk = na ? rf_realloc_array(d->kind, nc, 1) : NULL;
        if (!nk) {
            d->rc = RF_ENOMEM;
            return;
        }
        d->kind = nk;
        d->cap = nc;
    }
    d->kind[d->n] = (unsigned char)kind;
    d->ans[d->n++] = (struct rf_recal_answer){test, (uint32_t)item, k};
}

/* One finished test's scored answers to items in use (newest first: the
 * first RF_DRIFT_MAX_TESTS only). */
static void take_test(void *ud, const struct rf_test *t)
{
    struct collect *c = ud;
    struct rf_recal_data *d = c->d;
    const struct rf_bank *b = c->bank;
    if (d->rc || d->tests >= RF_DRIFT_MAX_TESTS)
        return;
    json_t *st = t->state ? json_loads(t->state, 0, NULL) : NULL;
    const json_t *x;
    size_t i, bi, before = d->n;
    json_array_foreach(json_object_get(st, "events"), i, x)
    {
        const json_t *k = json_object_get(x, "answer");
        const char *id = json_string_value(json_object_get(x, "item"));
        if (!json_is_integer(k) || !id || json_is_true(json_object_get(x, "carried")))
            continue; /* an exposure block, or an earlier session's answer */
        if (rf_bank_find(b, id, &bi) || d->of[bi] == SIZE_MAX || json_integer_value(k) < 0 ||
            (size_t)json_integer_value(k) >= b->items[bi].irt.ncat)
            continue; /* pretest, retired, gone, or not a category of the item now */
        add(d, (uint64_t)t->id, d->of[bi], (int)json_integer_value(k), (int)rf_test_kind_of(t));
    }
    if (d->n > before) {
        d->tests++;
        if ((uint64_t)t->id > d->max_test)
            d->max_test = (uint64_t)t->id;
    }
    json_decref(st);
}

rf_status rf_recal_collect(struct rf_store *st, const struct rf_bank *file, const struct rf_bank *v,
                           struct rf_recal_data *d, struct rf_err *err)
{
    memset(d, 0, sizeof *d);
    size_t n = v->n ? v->n : 1;
    size_t *skill = rf_alloc_array(n, sizeof *skill);
    if (!skill || !(d->items = rf_calloc_array(n, sizeof *d->items)) ||
        !(d->bank = rf_alloc_array(n, sizeof *d->bank)) ||
        !(d->of = rf_alloc_array(n, sizeof *d->of)) ||
        !(d->skills = rf_alloc_array(n, sizeof *d->skills))) {
        free(skill);
        rf_recal_data_cleanup(d);
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    /* skills by first appearance in the bank */
    for (size_t i = 0; i < v->n; i++) {
        size_t s = 0;
        while (s < i && strcmp(v->items[s].skill, v->items[i].skill) != 0)
            s++;
        if (s == i)
            d->skills[d->nskills] = v->items[i].skill;
        skill[i] = s == i ? d->nskills++ : skill[s];
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct rf_item *it = &v->items[i];
        d->of[i] = SIZE_MAX;
        if (it->retired || it->pool == RF_POOL_PRETEST || i >= file->n)
            continue;
        struct rf_recal_item *r = &d->items[d->nitems];
        r->id = it->id;
        r->skill = skill[i];
        r->irt = it->irt;
        rf_recal_rated(&file->items[i], &r->rated);
        d->bank[d->nitems] = i;
        d->of[i] = d->nitems++;
    }
    free(skill);
    struct collect c = {d, v};
    rf_status rc = rf_store_tests_finished(st, -1, take_test, &c, err);
    if (!rc && d->rc)
        rc = rf_err_set(err, d->rc, "out of memory");
    if (rc)
        rf_recal_data_cleanup(d);
    return rc;
}

void rf_recal_data_cleanup(struct rf_recal_data *d)
{
    free(d->items);
    free(d->bank);
    free(d->of);
    free(d->skills);
    free(d->ans);
    free(d->kind);
    memset(d, 0, sizeof *d);
}
