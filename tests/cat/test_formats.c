/* The engine over graded items (multiple select: GRM) and numeric items
 * (2PL): the candidate lists' information bounds hold for graded items (so
 * maximum-information selection stays exact with them), the largest
 * information per skill is finite, and a pool built from a bank admits
 * numeric and multi items but never rubric ones. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "irt/quad.h"

#define NGRM 200

Test(cat_formats, graded_information_bounds_hold)
{
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    static struct rf_cat_item items[NGRM];
    static char ids[NGRM][32];
    struct rf_rng rng;
    rf_rng_seed(&rng, 11);
    for (size_t i = 0; i < NGRM; i++) {
        snprintf(ids[i], sizeof ids[i], "s.g.%03zu", i);
        items[i].id = ids[i];
        items[i].skill = i % 2 ? "s" : "t";
        items[i].usable = 1;
        size_t m = 2 + (size_t)rf_rng_below(&rng, 5); /* 2..6 categories */
        double thr[RF_MAX_CATEGORIES], t = -3 + 3 * rf_rng_uniform(&rng);
        for (size_t k = 0; k + 1 < m; k++) {
            thr[k] = t;
            t += 0.05 + 1.5 * rf_rng_uniform(&rng);
        }
        rf_irt_item_grm(&items[i].irt, 0.3 + 2.5 * rf_rng_uniform(&rng), thr, m);
    }
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(items, NGRM, &q, &p, &err), RF_OK, "%s", err.msg);
    for (size_t s = 0; s < p->nskills; s++) {
        cr_assert(isfinite(p->imax[s]), "skill %zu: largest information %g", s, p->imax[s]);
        size_t nc = p->ncand[s];
        for (size_t b = 0; b < p->nbins; b++) {
            const uint32_t *list = p->cand + p->cand_off[s] + b * nc;
            const double *ub = p->cand_ub + p->cand_off[s] + b * nc;
            double lo = p->bin_lo + (double)b * p->bin_w;
            for (size_t c = 0; c < nc; c++) {
                const struct rf_irt_item *it = &p->irt[list[c]];
                cr_assert(isfinite(ub[c]), "bin %zu: an infinite bound", b);
                for (int k = 0; k <= 20; k++) {
                    double th = lo + p->bin_w * k / 20.0, info = rf_cat_info(it, th);
                    cr_assert_leq(info, ub[c], "item %s at %g: information %.12g above its bound %.12g",
                                  p->ids[list[c]], th, info, ub[c]);
                    cr_assert_leq(info, p->imax[s] * (1 + 1e-9), "imax below %g", info);
                }
                if (c)
                    cr_assert_geq(ub[c - 1], ub[c], "bin %zu: not ordered", b);
            }
        }
    }
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
}

/* Maximum information picks, with graded items in the pool, the item a full
 * scan picks: the bound lets the candidate list stop early without missing it. */
Test(cat_formats, selection_with_graded_items_is_exact)
{
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    static struct rf_cat_item items[NGRM];
    static char ids[NGRM][32];
    struct rf_rng rng;
    rf_rng_seed(&rng, 5);
    for (size_t i = 0; i < NGRM; i++) {
        snprintf(ids[i], sizeof ids[i], "s.x.%03zu", i);
        items[i].id = ids[i];
        items[i].skill = "s";
        items[i].usable = 1;
        double b = -2.5 + 5 * rf_rng_uniform(&rng), a = 0.5 + 1.5 * rf_rng_uniform(&rng);
        if (i % 3 == 0) {
            double thr[3] = {b - 0.8, b, b + 0.8};
            rf_irt_item_grm(&items[i].irt, a, thr, 4);
        } else if (i % 3 == 1) {
            rf_irt_item_dich(&items[i].irt, RF_MODEL_2PL, a, b, 0);
        } else {
            rf_irt_item_dich(&items[i].irt, RF_MODEL_3PL, a, b, 0.25);
        }
    }
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(items, NGRM, &q, &p, &err), RF_OK, "%s", err.msg);
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.randomesque = 1;
    d.max_items = 25;
    struct rf_cat_rule rule = {0.01, 25, 25};
    cr_assert_eq(rf_cat_design_add(&d, p, "s", rule, &err), RF_OK, "%s", err.msg);
    struct rf_cat_session *ses;
    cr_assert_eq(rf_cat_session_new(p, &d, 3, &ses, &err), RF_OK, "%s", err.msg);
    unsigned char used[NGRM] = {0};
    for (int n = 0; n < 25; n++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(ses, 0, &r);
        size_t item, best = SIZE_MAX;
        rf_cat_next(ses, &item);
        cr_assert_neq(item, SIZE_MAX);
        double bv = -1;
        for (size_t i = 0; i < NGRM; i++)
            if (!used[i] && rf_cat_info(&p->irt[i], r.theta) > bv) {
                bv = rf_cat_info(&p->irt[i], r.theta);
                best = i;
            }
        cr_assert_float_eq(rf_cat_info(&p->irt[item], r.theta), bv, 1e-12,
                           "step %d: picked %s (%g), the best is %s (%g)", n, p->ids[item],
                           rf_cat_info(&p->irt[item], r.theta), p->ids[best], bv);
        used[item] = 1;
        cr_assert_eq(rf_cat_answer(ses, item, (size_t)n % p->irt[item].ncat), RF_OK);
    }
    rf_cat_session_free(ses);
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
}

Test(cat_formats, a_bank_pool_admits_numeric_and_multi_never_rubric)
{
    static const char *bank =
        "{\"skill\":\"ml\",\"items\":["
        "{\"id\":\"ml.a.001\",\"skill\":\"ml\",\"type\":\"numeric\",\"stem\":\"s\",\"answer\":1,"
        "\"tolerance\":0,\"explanation\":\"e\",\"difficulty\":\"easy\",\"model\":\"2pl\",\"a\":1.0,"
        "\"b\":-1,\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"},"
        "{\"id\":\"ml.a.002\",\"skill\":\"ml\",\"type\":\"multi\",\"stem\":\"s\",\"options\":[\"A\","
        "\"B\",\"C\",\"D\"],\"keys\":[0,1],\"explanation\":\"e\",\"difficulty\":\"medium\",\"model\":"
        "\"grm\",\"a\":1.0,\"thresholds\":[-0.4,0.4],\"calibrated\":false,\"tags\":[\"t\"],"
        "\"lang\":\"en\"},"
        "{\"id\":\"ml.a.003\",\"skill\":\"ml\",\"type\":\"rubric\",\"stem\":\"s\",\"explanation\":"
        "\"e\",\"difficulty\":\"medium\",\"model\":\"grm\",\"a\":1.0,\"thresholds\":[-0.4,0.4],"
        "\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"}]}";
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("m.json", bank, strlen(bank), &b, &err), RF_OK, "%s", err.msg);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED, &q, &p, &err), RF_OK, "%s", err.msg);
    cr_assert(p->usable[0] && p->usable[1] && !p->usable[2]);
    cr_assert_eq(p->irt[1].ncat, 3);
    rf_cat_pool_free(p);
    cr_assert_eq(rf_cat_pool_from_bank(&b, 0, &q, &p, &err), RF_OK, "%s", err.msg);
    cr_assert(p->usable[2], "without the flag every item not retired is usable");
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&b);
}
