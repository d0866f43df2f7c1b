/*
 * What each item format measures, by seeded simulation over the bundled bank
 * (issue 13 item 5): per format (mcq, numeric, multi) and skill, simulated
 * people theta ~ N(0, 1) take an adaptive test of L items of that format
 * only (maximum information, randomesque 1), answering from the truth of
 * server/rolesim.h (a = 1; c = 1/k for mcq; a random-free 2PL for numeric; the
 * GRM over the partial-credit score for multi). Reported per format: the
 * RMSE of the EAP against the truth, the mean posterior SD, and the coverage
 * of EAP +- 1.96 SD. The figures go to docs/cat.md; run with --verbose.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/quad.h"
#include "server/rolesim.h"

#define LEN 6
#define PER_SKILL 300

struct fig {
    double se2, sd, cover;
    size_t n, skills;
};

/* Whether skill has at least LEN items (not retired) of each of the three formats. */
static int every_format(const struct rf_bank *b, const char *skill)
{
    size_t n[4] = {0};
    for (size_t i = 0; i < b->n; i++)
        if (!b->items[i].retired && strcmp(b->items[i].skill, skill) == 0)
            n[b->items[i].type]++;
    return n[RF_ITEM_MCQ] >= LEN && n[RF_ITEM_NUMERIC] >= LEN && n[RF_ITEM_MULTI] >= LEN;
}

/* Simulates every skill that has at least LEN items of every format, with
 * the items of type t only. */
static struct fig run_format(const struct rf_bank *b, const struct rf_quad *q,
                             enum rf_item_type t, uint64_t seed)
{
    struct fig f = {0};
    struct rf_err err;
    struct rf_cat_item *items = calloc(b->n, sizeof *items);
    cr_assert(items);
    for (size_t i = 0; i < b->n; i++) {
        items[i].id = b->items[i].id;
        items[i].skill = b->items[i].skill;
        items[i].irt = b->items[i].irt;
        items[i].usable = !b->items[i].retired && b->items[i].type == t;
    }
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(items, b->n, q, &p, &err), RF_OK, "%s", err.msg);
    free(items);
    struct rf_rolesim_truth tr;
    cr_assert_eq(rf_rolesim_truth_init(&tr, p, b, &err), RF_OK);
    struct rf_rng rng;
    rf_rng_seed(&rng, seed);
    for (size_t s = 0; s < p->nskills; s++) {
        if (!every_format(b, p->skills[s]))
            continue;
        f.skills++;
        struct rf_cat_design d;
        rf_cat_design_init(&d);
        d.randomesque = 1;
        d.max_items = LEN;
        d.stop_unreachable = 0;
        struct rf_cat_rule rule = {0.01, LEN, LEN};
        cr_assert_eq(rf_cat_design_add(&d, p, p->skills[s], rule, &err), RF_OK, "%s", err.msg);
        struct rf_cat_session *ses;
        cr_assert_eq(rf_cat_session_new(p, &d, seed + s, &ses, &err), RF_OK);
        for (size_t e = 0; e < PER_SKILL; e++) {
            rf_cat_session_reset(ses, seed * 1000003ULL + s * 7919ULL + e);
            double th = rf_rng_normal(&rng);
            for (;;) {
                size_t item;
                rf_cat_next(ses, &item);
                if (item == SIZE_MAX)
                    break;
                cr_assert_eq(rf_cat_answer(ses, item, rf_cat_sim_draw(&tr.irt[item], th, &rng)),
                             RF_OK);
            }
            struct rf_cat_skill_result r;
            rf_cat_skill(ses, 0, &r);
            cr_assert_eq(r.items, LEN);
            f.se2 += (r.theta - th) * (r.theta - th);
            f.sd += r.se;
            f.cover += fabs(r.theta - th) <= 1.96 * r.se;
            f.n++;
        }
        rf_cat_session_free(ses);
    }
    rf_rolesim_truth_cleanup(&tr);
    rf_cat_pool_free(p);
    return f;
}

Test(format_sim, rmse_and_coverage_per_format, .timeout = 120)
{
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_dir("data/bank", &b, &err), RF_OK, "%s", err.msg);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    static const enum rf_item_type types[] = {RF_ITEM_MCQ, RF_ITEM_NUMERIC, RF_ITEM_MULTI};
    double rmse[3];
    for (size_t k = 0; k < 3; k++) {
        struct fig f = run_format(&b, &q, types[k], 101);
        cr_assert_gt(f.n, 0, "%s: no skill with %d items", rf_item_type_name(types[k]), LEN);
        rmse[k] = sqrt(f.se2 / (double)f.n);
        double cover = f.cover / (double)f.n;
        cr_log_info("format_sim: %-7s %2zu skills x %d people, %d items each: theta RMSE %.3f, "
                    "mean posterior SD %.3f, coverage of EAP +- 1.96 SD %.3f",
                    rf_item_type_name(types[k]), f.skills, PER_SKILL, LEN, rmse[k],
                    f.sd / (double)f.n, cover);
        /* the posterior is the truth's: its intervals cover as they claim */
        cr_expect(cover > 0.92 && cover < 0.98, "%s: coverage %.3f", rf_item_type_name(types[k]),
                  cover);
    }
    /* formats without guessing measure more per item */
    cr_expect_lt(rmse[1], rmse[0], "numeric %.3f against mcq %.3f", rmse[1], rmse[0]);
    cr_expect_lt(rmse[2], rmse[0], "multi %.3f against mcq %.3f", rmse[2], rmse[0]);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&b);
}
