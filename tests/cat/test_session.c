/* Unit tests of the adaptive engine over in-memory pools: information,
 * exact maximum-information selection, randomesque, never repeating, retired
 * items, incremental posteriors against full re-scoring, blueprint and
 * stopping rules, and every error path of the session API. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "irt/ability.h"
#include "irt/quad.h"

#define MAXN 2000

struct fixture {
    struct rf_cat_item items[MAXN];
    char ids[MAXN][32];
    char skills[MAXN][16];
    size_t n;
};

/* A synthetic bank: per skill nper items, 2PL (or 3PL when three_pl), a ~
 * lognormal(0, 0.25), b ~ N(0, 1) clipped to +-2.8, c ~ U(0.1, 0.25). */
static void make_bank(struct fixture *f, size_t nskills, size_t nper, int three_pl, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    f->n = 0;
    for (size_t s = 0; s < nskills; s++)
        for (size_t i = 0; i < nper; i++) {
            size_t k = f->n++;
            snprintf(f->skills[k], sizeof f->skills[k], "s%zu", s + 1);
            snprintf(f->ids[k], sizeof f->ids[k], "s%zu.t.%03zu", s + 1, i + 1);
            double a = exp(0.25 * rf_rng_normal(&r));
            double b = rf_rng_normal(&r);
            b = b > 2.8 ? 2.8 : b < -2.8 ? -2.8 : b;
            double c = 0.1 + 0.15 * rf_rng_uniform(&r);
            f->items[k].id = f->ids[k];
            f->items[k].skill = f->skills[k];
            rf_irt_item_dich(&f->items[k].irt, three_pl ? RF_MODEL_3PL : RF_MODEL_2PL, a, b, c);
            f->items[k].usable = 1;
            f->items[k].enemy = NULL;
        }
}

static struct rf_cat_pool *make_pool(const struct fixture *f)
{
    struct rf_quad q;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p = NULL;
    rf_status rc = rf_cat_pool_new(f->items, f->n, &q, &p, &err);
    cr_assert_eq(rc, RF_OK, "pool: %s", err.msg);
    rf_quad_cleanup(&q);
    return p;
}

static struct rf_cat_rule rule(double se, size_t min, size_t max)
{
    struct rf_cat_rule r = {se, min, max};
    return r;
}

static struct fixture F; /* large: static, reset by each test */

Test(cat_pool, info_matches_irt_core)
{
    struct rf_irt_item it;
    double thr[3] = {-1.0, 0.2, 1.4};
    for (int m = 0; m < 4; m++) {
        if (m == 3)
            rf_irt_item_grm(&it, 1.3, thr, 4);
        else
            rf_irt_item_dich(&it, (enum rf_model)m, m == 0 ? 1.0 : 1.7, 0.4, 0.2);
        for (double t = -5; t <= 5; t += 0.37) {
            double want = rf_irt_info(&it, t), got = rf_cat_info(&it, t);
            /* closed forms against the general sum over categories: 1e-12 relative */
            cr_assert(fabs(got - want) <= 1e-12 * fmax(1e-300, want) + 1e-300,
                      "model %d theta %g: %.17g vs %.17g", m, t, got, want);
        }
    }
}

Test(cat_pool, rejects_bad_items)
{
    make_bank(&F, 1, 5, 0, 1);
    struct rf_quad q;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p = NULL;

    F.items[3].id = F.ids[1];
    cr_assert_eq(rf_cat_pool_new(F.items, F.n, &q, &p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "duplicate item id 's1.t.002'"), "%s", err.msg);
    cr_assert_null(p);
    F.items[3].id = F.ids[3];

    F.items[2].irt.a = -1;
    cr_assert_eq(rf_cat_pool_new(F.items, F.n, &q, &p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s1.t.003"), "message names the item: %s", err.msg);
    /* the same bad parameters are fine on a retired item: never used */
    F.items[2].usable = 0;
    cr_assert_eq(rf_cat_pool_new(F.items, F.n, &q, &p, &err), RF_OK);
    cr_assert_eq(p->nusable[0], 4);
    rf_cat_pool_free(p);
    p = NULL;

    F.items[4].skill = "";
    cr_assert_eq(rf_cat_pool_new(F.items, F.n, &q, &p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "no skill"), "%s", err.msg);
    F.items[4].skill = F.skills[4];
    F.items[4].id = NULL;
    cr_assert_eq(rf_cat_pool_new(F.items, F.n, &q, &p, &err), RF_EINVAL);
    rf_quad_cleanup(&q);
}

/* The naive rule: information at theta of every available item of skill s,
 * ranked by value then index. Writes the k best into best[]. */
static size_t naive_top(const struct rf_cat_pool *p, const unsigned char *used, size_t s,
                        double theta, size_t k, size_t *best)
{
    size_t m = 0;
    double val[64];
    for (size_t i = 0; i < p->n; i++) {
        if (!p->usable[i] || p->skill[i] != s || used[i])
            continue;
        double v = rf_cat_info(&p->irt[i], theta);
        size_t pos = m < k ? m++ : k;
        if (pos == k) {
            if (!(v > val[k - 1]))
                continue;
            pos = k - 1;
        }
        while (pos > 0 && v > val[pos - 1]) {
            val[pos] = val[pos - 1];
            best[pos] = best[pos - 1];
            pos--;
        }
        val[pos] = v;
        best[pos] = i;
    }
    return m;
}

/* Runs many sessions answering at random and checks every selection against
 * the naive full scan: with k = 1 the very item, with k = 5 one of the 5 best. */
static void check_selection(size_t nper, size_t k, int identical)
{
    make_bank(&F, 1, nper, 1, 7);
    if (identical) /* all bounds equal: forces the full-scan fallback */
        for (size_t i = 0; i < F.n; i++)
            rf_irt_item_dich(&F.items[i].irt, RF_MODEL_2PL, 1.0, 0.0, 0);
    F.items[0].usable = 0; /* a retired item */
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.randomesque = k;
    d.max_items = 30;
    d.stop_unreachable = 0;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.05, 0, 30), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK, "%s", err.msg);
    static unsigned char used[MAXN];
    struct rf_rng r;
    rf_rng_seed(&r, 99);
    size_t checked = 0;
    for (uint64_t e = 0; e < 40; e++) {
        rf_cat_session_reset(s, e);
        memset(used, 0, sizeof used);
        double truth = 2.5 * rf_rng_normal(&r);
        for (;;) {
            size_t item;
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            struct rf_cat_skill_result sr;
            rf_cat_skill(s, 0, &sr);
            size_t best[64];
            size_t m = naive_top(p, used, 0, sr.theta, k, best);
            int found = 0;
            for (size_t j = 0; j < m; j++)
                found |= best[j] == item;
            cr_assert(found, "session %llu step %zu: item %zu not among the naive %zu best",
                      (unsigned long long)e, rf_cat_nanswered(s), item, k);
            if (k == 1 && !identical)
                cr_assert_eq(item, best[0]);
            cr_assert_neq(item, 0, "retired item administered");
            cr_assert_eq(used[item], 0, "item %zu repeated", item);
            used[item] = 1;
            size_t ans = rf_rng_uniform(&r) < rf_irt_prob(&p->irt[item], truth, 1);
            cr_assert_eq(rf_cat_answer(s, item, ans), RF_OK);
            checked++;
        }
    }
    cr_assert_gt(checked, 400);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

Test(cat_select, mfi_is_exact_on_a_large_bank)
{
    check_selection(1500, 1, 0);
}

Test(cat_select, randomesque_takes_one_of_the_k_best)
{
    check_selection(400, 5, 0);
}

Test(cat_select, fallback_scan_when_bounds_tie)
{
    check_selection(200, 3, 1);
}

Test(cat_select, randomesque_spreads_choices)
{
    make_bank(&F, 1, 300, 0, 3);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.randomesque = 5;
    struct rf_err err;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 30), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    size_t seen[5] = {0}, nseen = 0;
    for (uint64_t e = 0; e < 200; e++) {
        rf_cat_session_reset(s, e);
        size_t item;
        rf_cat_next(s, &item);
        int dup = 0;
        for (size_t j = 0; j < nseen; j++)
            dup |= seen[j] == item;
        cr_assert(dup || nseen < 5, "first item outside the 5 best: %zu", item);
        if (!dup)
            seen[nseen++] = item;
    }
    cr_assert_eq(nseen, 5, "200 sessions used %zu distinct first items, want all 5", nseen);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* The incremental posterior equals full re-scoring of the history by the IRT
 * core's scorer (EAP and posterior SD within 1e-9). */
Test(cat_session, incremental_posterior_matches_rescoring)
{
    make_bank(&F, 2, 150, 1, 11);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.stop_unreachable = 0;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.25, 0, 20), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.25, 0, 20), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 5);
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        cr_assert_eq(rf_cat_answer(s, item, rf_rng_uniform(&r) < 0.6), RF_OK);
    }
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_scorer *sc;
    cr_assert_eq(rf_scorer_new(p->irt, p->n, &q, &sc, &err), RF_OK);
    static int resp[MAXN];
    for (size_t j = 0; j < 2; j++) {
        for (size_t i = 0; i < p->n; i++)
            resp[i] = RF_MISSING;
        size_t n = 0;
        for (size_t a = 0; a < rf_cat_nanswered(s); a++) {
            size_t item, k;
            rf_cat_answered(s, a, &item, &k);
            if (p->skill[item] == d.scope[j]) {
                resp[item] = (int)k;
                n++;
            }
        }
        struct rf_ability ab;
        cr_assert_eq(rf_scorer_estimate(sc, resp, RF_EST_EAP, &ab, &err), RF_OK);
        struct rf_cat_skill_result sr;
        rf_cat_skill(s, j, &sr);
        cr_assert_eq(sr.items, n);
        cr_assert_geq(n, 5);
        cr_assert(fabs(sr.theta - ab.theta) < 1e-9, "skill %zu: %.12f vs %.12f", j, sr.theta,
                  ab.theta);
        cr_assert(fabs(sr.se - ab.se) < 1e-9, "skill %zu: se %.12f vs %.12f", j, sr.se, ab.se);
        double tot = 0;
        for (size_t k = 0; k < q.n; k++)
            tot += sr.posterior[k];
        cr_assert(fabs(tot - 1) < 1e-12, "posterior sums to %.15f", tot);
    }
    rf_scorer_free(sc);
    rf_quad_cleanup(&q);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* Runs a session to the end answering with probability pc; returns the stop. */
static enum rf_cat_stop run(struct rf_cat_session *s, double pc, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            return rf_cat_stopped(s);
        cr_assert_eq(rf_cat_answer(s, item, rf_rng_uniform(&r) < pc), RF_OK);
    }
}

Test(cat_session, stops_at_target_max_and_exhaustion)
{
    make_bank(&F, 2, 60, 0, 21);
    for (size_t i = 50; i < 60; i++)
        F.items[i].usable = 0; /* s1 keeps 50 items */
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_cat_session *s;
    struct rf_cat_skill_result sr;

    /* SE target reached */
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.4, 0, 40), &err), RF_OK);
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 0.5, 1), RF_CAT_STOP_TARGET);
    rf_cat_skill(s, 0, &sr);
    cr_assert_leq(sr.se, 0.4);
    cr_assert_eq(sr.state, RF_CAT_SKILL_TARGET);
    size_t n_target = sr.items;
    /* one item fewer would not have reached it: the SE falls below target only at the end */
    cr_assert_gt(n_target, 3);
    rf_cat_session_free(s);

    /* a minimum beyond what the target needs */
    rf_cat_design_init(&d);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(5.0, 3, 40), &err), RF_OK);
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    run(s, 0.5, 2);
    cr_assert_eq(rf_cat_nanswered(s), 3);
    rf_cat_session_free(s);

    /* per-skill maximum and overall maximum */
    rf_cat_design_init(&d);
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.01, 0, 7), &err), RF_OK);
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 0.5, 3), RF_CAT_STOP_TARGET);
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.items, 7);
    cr_assert_eq(sr.state, RF_CAT_SKILL_MAX);
    rf_cat_session_free(s);
    d.max_items = 5;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 0.5, 3), RF_CAT_STOP_MAX_ITEMS);
    cr_assert_eq(rf_cat_nanswered(s), 5);
    rf_cat_session_free(s);

    /* the bank runs out: every usable item once, never a retired one */
    rf_cat_design_init(&d);
    d.randomesque = 3;
    d.max_items = 200;
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.01, 0, 200), &err), RF_OK);
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 0.5, 4), RF_CAT_STOP_EXHAUSTED);
    cr_assert_eq(rf_cat_nanswered(s), 50);
    unsigned char seen[120] = {0};
    for (size_t a = 0; a < 50; a++) {
        size_t item, k;
        rf_cat_answered(s, a, &item, &k);
        cr_assert_lt(item, 50, "item %zu is retired or of another skill", item);
        cr_assert_eq(seen[item], 0, "item %zu repeated", item);
        seen[item] = 1;
    }
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* The out-of-reach stop ends a test the cap would end anyway: an examinee far
 * above the bank stops before 30 items once the items left cannot bring the SD
 * to target; without the rule the same examinee takes all 30. */
Test(cat_session, stops_early_when_target_is_out_of_reach)
{
    make_bank(&F, 1, 200, 0, 31);
    for (size_t i = 0; i < F.n; i++) /* nothing hard: b in [-2.8, 0.5] */
        if (F.items[i].irt.b > 0.5)
            F.items[i].irt.b -= 2.0;
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = 30;
    d.randomesque = 1;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 30), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    run(s, 1.0, 1); /* always right */
    struct rf_cat_skill_result sr;
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.state, RF_CAT_SKILL_UNREACHABLE);
    cr_assert(sr.items >= 5 && sr.items < 30, "stopped after %zu items", sr.items);
    cr_assert_gt(sr.se, 0.3);
    size_t early = sr.items;
    rf_cat_session_free(s);
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 1.0, 1), RF_CAT_STOP_MAX_ITEMS);
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.items, 30, "without the rule: %zu items (with it: %zu)", sr.items, early);
    cr_assert_gt(sr.se, 0.3, "the 30 items did not reach the target either");
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* When the target is out of reach before the first item (weak items), the
 * rule does not apply: the design's cap decides. */
Test(cat_session, unreachable_design_still_tests)
{
    make_bank(&F, 1, 200, 0, 31);
    for (size_t i = 0; i < F.n; i++)
        F.items[i].irt.a = 0.35;
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = 30;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 30), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    cr_assert_eq(run(s, 0.5, 1), RF_CAT_STOP_MAX_ITEMS);
    struct rf_cat_skill_result sr;
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.items, 30);
    cr_assert_eq(sr.state, RF_CAT_SKILL_MAX);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

Test(cat_session, skill_choice_follows_minimums_then_relative_sd)
{
    make_bank(&F, 3, 80, 0, 41);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.randomesque = 1;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 10), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.6, 0, 10), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s3", rule(0.9, 4, 10), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 8);
    size_t step = 0;
    for (;; step++) {
        struct rf_cat_skill_result sr[3];
        for (size_t j = 0; j < 3; j++)
            rf_cat_skill(s, j, &sr[j]);
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        size_t j = 0;
        while (d.scope[j] != p->skill[item])
            j++;
        if (step < 4)
            cr_assert_eq(j, 2, "step %zu: the skill below its minimum goes first", step);
        else
            for (size_t o = 0; o < 3; o++)
                if (sr[o].state == RF_CAT_SKILL_OPEN)
                    cr_assert_geq(sr[j].se / d.rule[j].se, sr[o].se / d.rule[o].se,
                                  "step %zu: skill %zu chosen over %zu", step, j, o);
        cr_assert_eq(rf_cat_answer(s, item, rf_rng_uniform(&r) < 0.5), RF_OK);
    }
    for (size_t j = 0; j < 3; j++) {
        struct rf_cat_skill_result sr;
        rf_cat_skill(s, j, &sr);
        cr_assert(sr.state != RF_CAT_SKILL_OPEN);
        cr_assert_leq(sr.items, 10);
        if (sr.state == RF_CAT_SKILL_TARGET)
            cr_assert_leq(sr.se, d.rule[j].se);
    }
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* With a classification objective, items go where the classes differ: two
 * classes apart on s2 only get every item after the minimums from s2; apart
 * on s1 and s3, none from s2. Bad classes are refused. */
static size_t items_per_skill(struct rf_cat_pool *p, const struct rf_cat_class_skill *a,
                              const struct rf_cat_class_skill *b, const double *pright,
                              const size_t *min, int focus, size_t *per, uint64_t seed)
{
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = 20;
    d.stop_unreachable = 0;
    struct rf_err err;
    rf_err_clear(&err);
    const char *sk[3] = {"s1", "s2", "s3"};
    d.class_focus = focus;
    for (size_t j = 0; j < 3; j++)
        cr_assert_eq(rf_cat_design_add(&d, p, sk[j], rule(0.01, min ? min[j] : 1, 20), &err),
                     RF_OK);
    cr_assert_eq(rf_cat_design_add_class(&d, a, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_design_add_class(&d, b, &err), RF_OK, "%s", err.msg);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, seed, &s, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    size_t n = 0;
    per[0] = per[1] = per[2] = 0;
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        size_t j = 0;
        while (d.scope[j] != p->skill[item])
            j++;
        per[j]++;
        n++;
        cr_assert_eq(rf_cat_answer(s, item, rf_rng_uniform(&r) < (pright ? pright[j] : 0.6)),
                     RF_OK);
    }
    rf_cat_session_free(s);
    return n;
}

Test(cat_session, classes_steer_items_to_the_skills_that_separate_them)
{
    make_bank(&F, 3, 60, 1, 43);
    struct rf_cat_pool *p = make_pool(&F);
    size_t per[3];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        struct rf_cat_class_skill a[3] = {{0, 0}, {0.3, 0.5}, {0, 0}};
        struct rf_cat_class_skill b[3] = {{0, 0}, {-0.2, 0.5}, {0, 0}};
        cr_assert_eq(items_per_skill(p, a, b, NULL, NULL, 0, per, seed), 20);
        cr_assert_eq(per[0], 1, "seed %llu: s1 gets only its minimum", (unsigned long long)seed);
        cr_assert_eq(per[2], 1, "seed %llu: s3 gets only its minimum", (unsigned long long)seed);
        cr_assert_eq(per[1], 18);
        /* Close classes stay uncertain for the whole test (once the classes
         * are told apart, the skill with the largest relative SD takes over). */
        struct rf_cat_class_skill c[3] = {{0.15, 0.5}, {0.3, 0.6}, {-0.15, 0.5}};
        struct rf_cat_class_skill e[3] = {{-0.15, 0.5}, {0.3, 0.6}, {0.15, 0.5}};
        cr_assert_eq(items_per_skill(p, c, e, NULL, NULL, 0, per, seed), 20);
        cr_assert_eq(per[1], 1, "seed %llu: s2 does not separate the classes: %zu items",
                     (unsigned long long)seed, per[1]);
    }
    /* With class_focus, once a class is decided (P >= RF_CAT_CLASS_DECIDED)
     * the test measures that class's skills: A is told apart from B on s2 at
     * once; then A's other skill s3 gets the items, B's skill s1 only its
     * minimum. */
    struct rf_cat_class_skill a3[3] = {{0, 0}, {1.5, 0.4}, {0.5, 0.5}};
    struct rf_cat_class_skill b3[3] = {{0.5, 0.5}, {-1.5, 0.4}, {0, 0}};
    const double right[3] = {0.6, 0.97, 0.6}; /* s2 says A */
    for (uint64_t seed = 1; seed <= 3; seed++) {
        cr_assert_eq(items_per_skill(p, a3, b3, right, NULL, 1, per, seed), 20);
        cr_assert_eq(per[0], 1, "seed %llu: B's skill s1 gets only its minimum (%zu)",
                     (unsigned long long)seed, per[0]);
        cr_assert_geq(per[2], 4, "seed %llu: the decided class's other skill is measured (%zu)",
                      (unsigned long long)seed, per[2]);
    }
    /* A decided class never starves a skill of its minimum: classes apart on
     * s1 only, s2 and s3 with a minimum of 4. */
    struct rf_cat_class_skill a1[3] = {{1.5, 0.4}, {0, 0}, {0, 0}};
    struct rf_cat_class_skill b1[3] = {{-1.5, 0.4}, {0, 0}, {0, 0}};
    const size_t min4[3] = {1, 4, 4};
    const double right1[3] = {0.97, 0.6, 0.6};
    for (uint64_t seed = 1; seed <= 3; seed++) {
        cr_assert_eq(items_per_skill(p, a1, b1, right1, min4, 1, per, seed), 20);
        cr_assert(per[1] >= 4 && per[2] >= 4, "seed %llu: minimums kept (%zu, %zu)",
                  (unsigned long long)seed, per[1], per[2]);
    }
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 1, 20), &err), RF_OK);
    struct rf_cat_class_skill bad = {NAN, 0.5};
    cr_assert_eq(rf_cat_design_add_class(&d, &bad, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "class 0, scope entry 0"), "%s", err.msg);
    bad = (struct rf_cat_class_skill){0, -1};
    cr_assert_eq(rf_cat_design_add_class(&d, &bad, &err), RF_EINVAL);
    bad = (struct rf_cat_class_skill){0, 1};
    for (int c = 0; c < RF_CAT_MAX_CLASSES; c++)
        cr_assert_eq(rf_cat_design_add_class(&d, &bad, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add_class(&d, &bad, &err), RF_ETOOBIG);
    d.classes[3][0].tau = INFINITY;
    struct rf_cat_session *s = NULL;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_EINVAL, "the session checks classes");
    cr_assert_null(s);
    rf_cat_pool_free(p);
}

Test(cat_session, errors)
{
    make_bank(&F, 2, 20, 0, 51);
    for (size_t i = 20; i < 40; i++)
        F.items[i].usable = 0; /* s2 has no usable item */
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_cat_session *s = NULL;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "empty scope"), "%s", err.msg);
    cr_assert_eq(rf_cat_design_add(&d, p, "nope", rule(0.3, 0, 10), &err), RF_ENOTFOUND);
    cr_assert(strstr(err.msg, "'nope'"), "%s", err.msg);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.3, 0, 10), &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "no active items"), "%s", err.msg);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(-1, 0, 10), &err), RF_EINVAL);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 5, 4), &err), RF_EINVAL);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 10), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 0, 10), &err), RF_EINVAL);
    d.randomesque = 0;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_EINVAL);
    d.randomesque = 2;
    d.max_items = 0;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_EINVAL);
    d.max_items = 10;
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
    size_t item, again;
    rf_cat_next(s, &item);
    rf_cat_next(s, &again);
    cr_assert_eq(item, again, "asking twice presents the same item");
    cr_assert_eq(rf_cat_answer(s, (item + 1) % 20, 1), RF_ECONFLICT);
    cr_assert(strstr(rf_cat_errmsg(s), "presented"), "%s", rf_cat_errmsg(s));
    cr_assert_eq(rf_cat_answer(s, item, 2), RF_EINVAL);
    cr_assert(strstr(rf_cat_errmsg(s), "out of range"), "%s", rf_cat_errmsg(s));
    cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
    cr_assert_eq(rf_cat_answer(s, item, 1), RF_ECONFLICT, "no second answer to one item");
    cr_assert_eq(rf_cat_nanswered(s), 1);
    rf_cat_session_free(s);
    rf_cat_session_free(NULL);
    rf_cat_pool_free(NULL);
    rf_cat_pool_free(p);
}

/* The hot path allocates nothing: the heap in use (glibc mallinfo2) is the
 * same before and after 300 sessions of next/answer/reset with randomesque,
 * exposure control, and each selection rule. (Under AddressSanitizer mallinfo2
 * reports nothing and the check is vacuous; the plain build checks it.) */
#include <malloc.h>
Test(cat_session, next_and_answer_allocate_nothing)
{
    make_bank(&F, 2, 300, 1, 61);
    struct rf_cat_pool *p = make_pool(&F);
    for (size_t i = 0; i < p->n; i += 4)
        p->sh[i] = 0.3;
    struct rf_err err;
    rf_err_clear(&err);
    for (int sel = RF_CAT_MFI; sel <= RF_CAT_PWI; sel++) {
        struct rf_cat_design d;
        rf_cat_design_init(&d);
        d.select = (enum rf_cat_select)sel;
        d.exposure = 1;
        cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.3, 2, 30), &err), RF_OK);
        cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.3, 2, 30), &err), RF_OK);
        if (sel == RF_CAT_PWI) { /* and a classification objective */
            struct rf_cat_class_skill a[2] = {{1, 0.5}, {0, 0}}, b[2] = {{-1, 0.5}, {0.5, 0.4}};
            cr_assert_eq(rf_cat_design_add_class(&d, a, &err), RF_OK);
            cr_assert_eq(rf_cat_design_add_class(&d, b, &err), RF_OK);
        }
        struct rf_cat_session *s;
        cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK);
        struct rf_rng r;
        rf_rng_seed(&r, 3);
        run(s, 0.5, 0); /* warm up */
        size_t before = mallinfo2().uordblks, steps = 0;
        for (uint64_t e = 0; e < 100; e++) {
            rf_cat_session_reset(s, e);
            for (;;) {
                size_t item;
                rf_cat_next(s, &item);
                if (item == SIZE_MAX)
                    break;
                rf_cat_answer(s, item, rf_rng_uniform(&r) < 0.5);
                steps++;
            }
        }
        size_t after = mallinfo2().uordblks;
        cr_assert_eq(after, before, "%s: heap in use grew by %zd bytes over %zu steps",
                     rf_cat_select_name(d.select), (ssize_t)(after - before), steps);
        cr_assert_gt(steps, 1000);
        rf_cat_session_free(s);
    }
    rf_cat_pool_free(p);
}

/* With loadings, an answer on one skill moves the other through g; with a
 * class mixed into the prior, answers like the class's people move weight
 * onto it. lambda = 0 without a mixture is the independent engine, bit for bit. */
Test(cat_session, model_prior_links_skills)
{
    make_bank(&F, 2, 60, 0, 4);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_err err;
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = 12;
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.1, 0, 12), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.1, 0, 12), &err), RF_OK);
    struct rf_cat_class_skill dist[2] = {{1.5, 0.4}, {1.5, 0.4}};
    cr_assert_eq(rf_cat_design_add_class(&d, dist, &err), RF_OK);
    struct rf_cat_design plain = d, bad = d;
    cr_assert(!rf_cat_design_has_model(&plain));
    rf_cat_design_set_prior(&d, 0.7, 0, 0.3);
    cr_assert(rf_cat_design_has_model(&d));
    bad.lambda[1] = 0.99;
    cr_assert_eq(rf_cat_design_check(&bad, p, &err), RF_EINVAL);
    bad.lambda[1] = 0;
    bad.prior_weight = 0.3;
    bad.prior_class = 1;
    cr_assert_eq(rf_cat_design_check(&bad, p, &err), RF_EINVAL);
    struct rf_cat_session *s, *ind;
    cr_assert_eq(rf_cat_session_new(p, &d, 3, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_session_new(p, &plain, 3, &ind, &err), RF_OK);
    struct rf_cat_skill_result r2;
    rf_cat_skill(s, 1, &r2);
    double prior_mean = r2.theta;
    cr_assert(prior_mean > 0.3 && prior_mean < 0.6, "mixture prior mean %.3f", prior_mean);
    /* eight right answers to hard items of s1 only */
    for (size_t i = 0; i < 60 && rf_cat_nanswered(s) < 8; i++) {
        if (p->skill[i] != 0 || p->irt[i].b < 0.5)
            continue;
        cr_assert_eq(rf_cat_replay(s, i, 1, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_cat_replay(ind, i, 1, &err), RF_OK);
    }
    cr_assert_eq(rf_cat_nanswered(s), 8);
    rf_cat_skill(s, 1, &r2);
    cr_assert(r2.theta > prior_mean + 0.3, "s2 moved through g: %.3f", r2.theta);
    cr_assert(r2.se < 0.95, "s2 narrowed: %.3f", r2.se);
    cr_assert(rf_cat_prior_class_weight(s) > 0.6, "class weight %.3f",
              rf_cat_prior_class_weight(s));
    rf_cat_skill(ind, 1, &r2);
    cr_assert(fabs(r2.theta) < 1e-12 && fabs(r2.se - 1) < 1e-6, "independent s2 unmoved");
    cr_assert_eq(rf_cat_prior_class_weight(ind), 0);
    /* the stored log-likelihood is the evidence, prior removed: the same in both */
    double la[61], lb[61];
    rf_cat_skill_loglik(s, 0, la);
    rf_cat_skill_loglik(ind, 0, lb);
    for (size_t q = 1; q < 61; q++)
        cr_assert(fabs((la[q] - la[0]) - (lb[q] - lb[0])) < 1e-9, "node %zu", q);
    rf_cat_session_free(s);
    rf_cat_session_free(ind);
    rf_cat_pool_free(p);
}

/* Every class mixed into the prior (find my role): the population keeps
 * 1 - w and each of the n classes w / n; answers like one class's people move
 * the classes' weight up, and a design that mixes in classes it lacks is
 * refused. */
Test(cat_session, every_class_in_the_prior)
{
    make_bank(&F, 2, 60, 0, 4);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_err err;
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = 12;
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.1, 0, 12), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.1, 0, 12), &err), RF_OK);
    struct rf_cat_design none = d;
    none.prior_weight = 0.3;
    none.prior_all = 1;
    cr_assert_eq(rf_cat_design_check(&none, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "none"), "%s", err.msg);
    struct rf_cat_class_skill hi[2] = {{1.5, 0.4}, {1.5, 0.4}}, lo[2] = {{-1.5, 0.4}, {0, 0}};
    cr_assert_eq(rf_cat_design_add_class(&d, hi, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add_class(&d, lo, &err), RF_OK);
    d.prior_weight = 0.3;
    d.prior_all = 1;
    cr_assert(rf_cat_design_has_model(&d));
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_OK, "%s", err.msg);
    struct rf_hier_spec sp;
    rf_cat_design_prior(&d, &sp);
    cr_assert_eq(sp.ncomp, 3);
    cr_assert_float_eq(sp.comp[0].weight, 0.7, 1e-15);
    cr_assert_float_eq(sp.comp[1].weight, 0.15, 1e-15);
    cr_assert_float_eq(sp.comp[2].weight, 0.15, 1e-15);
    cr_assert(sp.comp[1].mu[0] == 1.5 && sp.comp[2].mu[0] == -1.5);
    cr_assert(sp.comp[2].mu[1] == 0 && sp.comp[2].tau[1] == 1, "like the population");
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 3, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_float_eq(rf_cat_prior_class_weight(s), 0.3, 1e-12);
    for (size_t i = 0; i < 60 && rf_cat_nanswered(s) < 8; i++) {
        if (p->skill[i] != 0 || p->irt[i].b < 0.5)
            continue;
        cr_assert_eq(rf_cat_replay(s, i, 1, &err), RF_OK, "%s", err.msg);
    }
    cr_assert(rf_cat_prior_class_weight(s) > 0.4, "classes' weight %.3f",
              rf_cat_prior_class_weight(s));
    /* s2 was not asked: it moved only through the classes' weights (no g) */
    struct rf_cat_skill_result r2;
    rf_cat_skill(s, 1, &r2);
    cr_assert(r2.theta > 0.3, "s2 %.3f", r2.theta);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* Decisions: a skill with a requirement finishes once P(theta >= cut) is
 * 0.8 or more (or 0.2 or less) with its minimum met, long before an SE
 * target it could not reach; without the requirement it takes its maximum. */
Test(cat_session, a_decided_requirement_finishes_its_skill)
{
    make_bank(&F, 1, 80, 0, 6);
    struct rf_cat_pool *p = make_pool(&F);
    struct rf_err err;
    for (int dec = 0; dec < 2; dec++) {
        struct rf_cat_design d;
        rf_cat_design_init(&d);
        d.max_items = 20;
        d.stop_unreachable = 0;
        cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.05, 2, 20), &err), RF_OK);
        d.decide[0] = (unsigned char)dec;
        d.cut[0] = -0.5;
        struct rf_cat_session *s;
        cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK, "%s", err.msg);
        size_t item;
        for (;;) {
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
        }
        struct rf_cat_skill_result r;
        rf_cat_skill(s, 0, &r);
        if (dec) {
            cr_assert_eq(r.state, RF_CAT_SKILL_DECIDED);
            cr_assert(r.items >= 2 && r.items < 10, "decided after %zu items", r.items);
            cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_TARGET);
        } else {
            cr_assert_eq(r.items, 20);
        }
        rf_cat_session_free(s);
    }
    /* When decisions start and at what threshold: not before decide_after
     * items overall; a stricter threshold asks at least as many items. */
    size_t len[3];
    double thr[3] = {0.8, 0.99, 0.8};
    for (int v = 0; v < 3; v++) {
        struct rf_cat_design d;
        rf_cat_design_init(&d);
        d.max_items = 20;
        d.stop_unreachable = 0;
        cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.05, 2, 20), &err), RF_OK);
        d.decide[0] = 1;
        d.cut[0] = -0.5;
        d.decide_p = thr[v];
        d.decide_after = v == 2 ? 12 : 0;
        struct rf_cat_session *s;
        cr_assert_eq(rf_cat_session_new(p, &d, 1, &s, &err), RF_OK, "%s", err.msg);
        size_t item;
        for (;;) {
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
        }
        len[v] = rf_cat_nanswered(s);
        struct rf_cat_skill_result r;
        rf_cat_skill(s, 0, &r);
        cr_assert_eq(r.state, RF_CAT_SKILL_DECIDED, "variant %d", v);
        rf_cat_session_free(s);
    }
    cr_assert_gt(len[1], len[0], "0.99 asks more than 0.8 (%zu, %zu)", len[1], len[0]);
    cr_assert_eq(len[2], 12, "no decision before the 12th item (%zu)", len[2]);
    struct rf_cat_design bad;
    rf_cat_design_init(&bad);
    cr_assert_eq(rf_cat_design_add(&bad, p, "s1", rule(0.3, 0, 5), &err), RF_OK);
    bad.decide[0] = 1;
    bad.cut[0] = NAN;
    cr_assert_eq(rf_cat_design_check(&bad, p, &err), RF_EINVAL);
    bad.cut[0] = 0;
    bad.decide_p = 0.4;
    cr_assert_eq(rf_cat_design_check(&bad, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "decision threshold"), "%s", err.msg);
    bad.decide_p = 0.9;
    bad.decide_after = bad.max_items + 1;
    cr_assert_eq(rf_cat_design_check(&bad, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "decisions start after"), "%s", err.msg);
    rf_cat_pool_free(p);
}

/* Enemy groups (docs/bank-format.md): s1's five most informative items share
 * group "g", and one item of s1 and one of s2 share group "x". Across
 * selection rules, randomesque choices and seeds, a session never answers two
 * items of one group; the same sessions without the groups do (so the test
 * fails without the exclusion). */
static size_t worst_group_count(struct fixture *f, int with_groups, enum rf_cat_select sel,
                                size_t *x_pairs)
{
    for (size_t i = 0; i < f->n; i++)
        f->items[i].enemy = NULL;
    if (with_groups) {
        for (size_t i = 0; i < 5; i++)
            f->items[i].enemy = "g";
        f->items[10].enemy = "x";
        f->items[30 + 10].enemy = "x";
    }
    struct rf_cat_pool *p = make_pool(f);
    cr_assert_eq(p->ngroups, with_groups ? 2u : 0u);
    struct rf_err err;
    rf_err_clear(&err);
    size_t worst = 0;
    *x_pairs = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct rf_cat_design d;
        rf_cat_design_init(&d);
        d.select = sel;
        d.randomesque = 1 + seed % 3;
        d.stop_unreachable = 0;
        d.max_items = 60;
        cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.01, 0, 30), &err), RF_OK);
        cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.01, 0, 30), &err), RF_OK);
        struct rf_cat_session *s;
        cr_assert_eq(rf_cat_session_new(p, &d, seed, &s, &err), RF_OK, "%s", err.msg);
        run(s, 0.5, seed);
        size_t ng = 0, nx = 0;
        for (size_t a = 0; a < rf_cat_nanswered(s); a++) {
            size_t item, k;
            rf_cat_answered(s, a, &item, &k);
            ng += item < 5;
            nx += item == 10 || item == 40;
        }
        if (ng > worst)
            worst = ng;
        *x_pairs += nx > 1;
        rf_cat_session_free(s);
    }
    rf_cat_pool_free(p);
    return worst;
}

Test(cat_session, never_two_items_of_one_enemy_group)
{
    make_bank(&F, 2, 30, 1, 61);
    for (size_t i = 0; i < 5; i++) /* the best items of s1 anywhere near theta 0 */
        rf_irt_item_dich(&F.items[i].irt, RF_MODEL_3PL, 2.5, -0.2 + 0.1 * (double)i, 0.2);
    static const enum rf_cat_select sels[] = {RF_CAT_MFI, RF_CAT_KL, RF_CAT_PWI};
    for (size_t k = 0; k < 3; k++) {
        size_t xp, xp0;
        size_t with = worst_group_count(&F, 1, sels[k], &xp);
        size_t without = worst_group_count(&F, 0, sels[k], &xp0);
        cr_assert_eq(with, 1, "%s: %zu items of group g in one session",
                     rf_cat_select_name(sels[k]), with);
        cr_assert_eq(xp, 0, "%s: %zu sessions gave both items of group x (across skills)",
                     rf_cat_select_name(sels[k]), xp);
        cr_assert_geq(without, 4, "%s: without groups only %zu of g: the test would not notice",
                      rf_cat_select_name(sels[k]), without);
        cr_assert_gt(xp0, 0, "%s: without groups the cross-skill pair never met",
                     rf_cat_select_name(sels[k]));
    }
}

Test(cat_session, enemy_groups_in_the_pool_and_their_end_of_a_skill)
{
    /* pool: singletons and retired members form no group */
    make_bank(&F, 2, 6, 0, 62);
    for (size_t i = 0; i < 6; i++)
        F.items[i].enemy = "all_of_s1";
    F.items[6].enemy = "alone";
    F.items[7].enemy = "retired_pair";
    F.items[8].enemy = "retired_pair";
    F.items[8].usable = 0;
    F.items[9].enemy = "";
    F.items[10].enemy = "";
    struct rf_cat_pool *p = make_pool(&F);
    cr_assert_eq(p->ngroups, 1);
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(p->group[i], 0, "item %zu", i);
    for (size_t i = 6; i < 12; i++)
        cr_assert_eq(p->group[i], RF_CAT_NO_GROUP, "item %zu", i);
    cr_assert_eq(p->group_off[1], 6);
    /* a skill whose items are all one group ends after one answer */
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.01, 0, 6), &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "s2", rule(0.01, 0, 6), &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK);
    run(s, 0.5, 5);
    struct rf_cat_skill_result sr;
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.items, 1);
    cr_assert_eq(sr.state, RF_CAT_SKILL_EXHAUSTED);
    rf_cat_skill(s, 1, &sr);
    cr_assert_eq(sr.items, 5); /* s2: 6 items, one retired */
    rf_cat_session_free(s);

    /* a session stored before the group existed replays as it was: both
     * items of the group, then the rest of the skill, never a repeat */
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK);
    cr_assert_eq(rf_cat_replay(s, 0, 1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_replay(s, 1, 0, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_replay(s, 1, 0, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "appears twice"), "%s", err.msg);
    rf_cat_skill(s, 0, &sr);
    cr_assert_eq(sr.items, 2);
    size_t item;
    rf_cat_next(s, &item);
    cr_assert_geq(item, 6, "item %zu of the spent group offered again", item);
    rf_cat_session_free(s);
    /* the same when the exclusion had finished the whole session */
    rf_cat_design_init(&d);
    d.stop_unreachable = 0;
    cr_assert_eq(rf_cat_design_add(&d, p, "s1", rule(0.01, 0, 6), &err), RF_OK);
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK);
    cr_assert_eq(rf_cat_replay(s, 2, 1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_EXHAUSTED);
    cr_assert_eq(rf_cat_replay(s, 4, 1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_replay_block(s, 5, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_nanswered(s), 2);
    rf_cat_next(s, &item);
    cr_assert_eq(item, SIZE_MAX);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_EXHAUSTED);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

Test(cat_pool, enemy_groups_come_from_the_bank)
{
    const char *json =
        "{\"items\":["
        "{\"id\":\"a.x.001\",\"skill\":\"a\",\"type\":\"mcq\",\"stem\":\"s\",\"options\":[\"p\","
        "\"q\"],\"key\":0,\"model\":\"3pl\",\"a\":1,\"b\":0,\"c\":0.5,\"enemy\":\"same\"},"
        "{\"id\":\"b.x.001\",\"skill\":\"b\",\"type\":\"mcq\",\"stem\":\"t\",\"options\":[\"p\","
        "\"q\"],\"key\":1,\"model\":\"3pl\",\"a\":1,\"b\":0,\"c\":0.5,\"enemy\":\"same\"},"
        "{\"id\":\"a.x.002\",\"skill\":\"a\",\"type\":\"mcq\",\"stem\":\"u\",\"options\":[\"p\","
        "\"q\"],\"key\":1,\"model\":\"3pl\",\"a\":1,\"b\":0,\"c\":0.5}]}";
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_from_bank(&b, 0, &q, &p, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(p->ngroups, 1);
    cr_assert_eq(p->group[0], 0);
    cr_assert_eq(p->group[1], 0);
    cr_assert_eq(p->group[2], RF_CAT_NO_GROUP);
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&b);
}
