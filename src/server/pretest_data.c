/* Online calibration's data from a store; see pretest_data.h. */
#include "server/pretest_data.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

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
