/* Pretest batches; see pretest.h. */
#include "cat/pretest.h"

#include "cat/session.h"

/* Does item i come before item j in its skill's batch order (pretest.h)? */
static int before(const int64_t *answers, int64_t target, size_t i, size_t j)
{
    int gi = target > 0 && answers[i] >= target, gj = target > 0 && answers[j] >= target;
    if (gi != gj)
        return gi < gj;
    if (answers[i] != answers[j])
        return gi ? answers[i] < answers[j] : answers[i] > answers[j];
    return i < j;
}

void rf_cat_pretest_batch(size_t n, const size_t *skill, const int64_t *answers, size_t batch,
                          int64_t target, unsigned char *live)
{
    for (size_t i = 0; i < n; i++) {
        if (batch == 0) {
            live[i] = 1;
            continue;
        }
        size_t ahead = 0; /* items of the skill before i in the order */
        for (size_t j = 0; j < n && ahead < batch; j++)
            ahead += j != i && skill[j] == skill[i] && before(answers, target, j, i);
        live[i] = ahead < batch;
    }
}

void rf_cat_pretest_place(struct rf_cat_design *d, struct rf_rng *r)
{
    for (size_t k = d->npretest; k > 1; k--) {
        size_t o = rf_rng_below(r, k);
        uint32_t t = d->pretest[k - 1];
        d->pretest[k - 1] = d->pretest[o];
        d->pretest[o] = t;
    }
    size_t slots = d->max_items + d->npretest;
    for (size_t k = 0, s = 1, need = d->npretest; k < d->npretest; s++)
        if (rf_rng_below(r, slots - s + 1) < need) {
            d->pretest_at[k++] = (uint32_t)s;
            need--;
        }
}
