/* Drift of operational items (calib/drift.h, docs/calibration.md "Drift"),
 * seeded: 40 stored 3PL items of one skill, 3,000 people each answering a
 * random 20 of them (1,500 answers per item); 5 items answered as if 0.5
 * logits easier than stored (a leaked key), the others as stored. Each
 * answer's ability is its leave-one-out posterior from the person's other
 * answers at the stored parameters. Over 10 replications the drifted items
 * are flagged (power) and the others are not (false alarms); a drift the
 * size of the rule's minimum shift is reported too. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "calib/drift.h"
#include "irt/quad.h"

#define NI 40
#define NDRIFT 5
#define NP 3000
#define PER 20

struct outcome {
    size_t hit, drifted, false_alarm, clean, tested;
    double mean_shift, mean_se;
};

/* One replication: drifted items answered with b - shift. */
static void replicate(uint64_t seed, double shift, struct outcome *o)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    struct rf_drift_item items[NI];
    struct rf_irt_item truth[NI];
    char ids[NI][16];
    for (size_t j = 0; j < NI; j++) {
        snprintf(ids[j], sizeof ids[j], "i%02zu", j);
        double a = 0.8 + rf_rng_uniform(&r), b = -1.5 + 3 * rf_rng_uniform(&r);
        items[j].id = ids[j];
        rf_irt_item_dich(&items[j].irt, RF_MODEL_3PL, a, b, 0.2);
        rf_irt_item_dich(&truth[j], RF_MODEL_3PL, a, j < NDRIFT ? b - shift : b, 0.2);
    }
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_drift_answer *ans = calloc((size_t)NP * PER, sizeof *ans);
    double *work = malloc(2 * q.n * sizeof *work);
    cr_assert(ans && work);
    size_t n = 0;
    for (size_t p = 0; p < NP; p++) {
        double theta = rf_rng_normal(&r);
        size_t order[NI];
        for (size_t j = 0; j < NI; j++)
            order[j] = j;
        for (size_t j = 0; j < PER; j++) { /* a random 20 of the 40 */
            size_t k = j + rf_rng_below(&r, NI - j), t = order[j];
            order[j] = order[k];
            order[k] = t;
        }
        const struct rf_irt_item *its[PER];
        int k[PER];
        double m[PER], sd[PER];
        for (size_t j = 0; j < PER; j++) {
            its[j] = &items[order[j]].irt;
            k[j] = rf_rng_uniform(&r) < rf_irt_prob(&truth[order[j]], theta, 1);
        }
        rf_drift_loo(its, k, PER, &q, m, sd, work);
        for (size_t j = 0; j < PER; j++)
            ans[n++] = (struct rf_drift_answer){(uint32_t)order[j], k[j], m[j], sd[j]};
    }
    struct rf_drift_rules rules;
    rf_drift_rules_default(&rules);
    struct rf_drift_result res;
    cr_assert_eq(rf_drift_run(items, NI, ans, n, &rules, &res, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(res.n, NI);
    for (size_t i = 0; i < res.n; i++) {
        const struct rf_drift_result_item *x = &res.items[i];
        o->tested += x->tested;
        if (x->item < NDRIFT) {
            o->drifted++;
            o->hit += x->flagged;
            o->mean_shift += x->shift;
            o->mean_se += x->se;
        } else {
            o->clean++;
            o->false_alarm += x->flagged;
        }
    }
    rf_drift_result_cleanup(&res);
    free(ans);
    free(work);
    rf_quad_cleanup(&q);
}

Test(drift, injected_drift_is_flagged_and_no_drift_is_not, .timeout = 300)
{
    struct outcome o;
    memset(&o, 0, sizeof o);
    for (uint64_t seed = 1; seed <= 10; seed++)
        replicate(1900 + seed, 0.5, &o);
    double power = (double)o.hit / (double)o.drifted, fa = (double)o.false_alarm / (double)o.clean;
    fprintf(stderr,
            "drift 0.5: flagged %zu of %zu drifted items (%.1f%%), mean shift %.3f (SE %.3f); "
            "false alarms %zu of %zu (%.2f%%); %zu of %zu tested\n",
            o.hit, o.drifted, 100 * power, o.mean_shift / (double)o.drifted,
            o.mean_se / (double)o.drifted, o.false_alarm, o.clean, 100 * fa, o.tested,
            o.drifted + o.clean);
    cr_assert(power >= 0.9, "power %.3f", power);
    cr_assert(fa <= 0.02, "false alarms %.3f", fa);
    cr_assert(fabs(o.mean_shift / (double)o.drifted + 0.5) < 0.1, "the shift is recovered: %.3f",
              o.mean_shift / (double)o.drifted);
    /* at the rule's minimum shift: reported, not asserted beyond the false alarms */
    memset(&o, 0, sizeof o);
    for (uint64_t seed = 1; seed <= 10; seed++)
        replicate(2900 + seed, 0.3, &o);
    fprintf(stderr, "drift 0.3: flagged %zu of %zu (%.1f%%); false alarms %zu of %zu\n", o.hit,
            o.drifted, 100.0 * (double)o.hit / (double)o.drifted, o.false_alarm, o.clean);
    cr_assert((double)o.false_alarm / (double)o.clean <= 0.02);
}

Test(drift, bad_answers_are_refused)
{
    struct rf_drift_item it = {"x", {0}};
    rf_irt_item_dich(&it.irt, RF_MODEL_2PL, 1, 0, 0);
    struct rf_drift_answer a[2] = {{0, 1, 0.1, 0.5}, {0, 2, 0.1, 0.5}};
    struct rf_drift_rules rules;
    rf_drift_rules_default(&rules);
    struct rf_drift_result res;
    struct rf_err err;
    cr_assert_eq(rf_drift_run(&it, 1, a, 2, &rules, &res, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "answer 1"), "%s", err.msg);
    a[1] = (struct rf_drift_answer){1, 0, 0.1, 0.5};
    cr_assert_eq(rf_drift_run(&it, 1, a, 2, &rules, &res, &err), RF_EINVAL);
    a[1] = (struct rf_drift_answer){0, 0, NAN, 0.5};
    cr_assert_eq(rf_drift_run(&it, 1, a, 2, &rules, &res, &err), RF_EINVAL);
    a[1] = (struct rf_drift_answer){0, 0, 0.3, 0};
    cr_assert_eq(rf_drift_run(&it, 1, a, 2, &rules, &res, &err), RF_EINVAL);
    /* too few answers: reported untested */
    a[1] = (struct rf_drift_answer){0, 0, 0.3, 0.5};
    cr_assert_eq(rf_drift_run(&it, 1, a, 2, &rules, &res, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(res.n, 1);
    cr_assert(!res.items[0].tested && !res.items[0].flagged);
    cr_assert(strstr(res.items[0].note, "fewer than"), "%s", res.items[0].note);
    rf_drift_result_cleanup(&res);
}
