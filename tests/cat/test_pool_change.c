/* A test in flight when the pools change (issue 19, deploy risk; docs/
 * bank-format.md "Pools"): a session that ran over the whole bank, as tests
 * did before the practice and operational pools existed, holds items that
 * are now in the practice pool. Restored over the operational pool, it must
 * load: its answered items (and the item it was showing) stay valid for it,
 * at the parameters it was given with, so every posterior is bit for bit
 * the original's; it never asks them again, and what it asks next comes from
 * the operational pool only. Retired items are still refused. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "irt/quad.h"

static struct rf_bank bank;
static struct rf_quad q;
static struct rf_cat_pool *whole, *oper;

static void setup(void)
{
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    cr_assert_eq(rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED, &q, &whole, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(
        rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL, &q, &oper, &err),
        RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_cat_pool_free(whole);
    rf_cat_pool_free(oper);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
}

TestSuite(pool_change, .init = setup, .fini = teardown);

static const char *const scope[] = {"ml_fundamentals", "deep_learning", "data_engineering"};

static struct rf_cat_session *start(const struct rf_cat_pool *p, uint64_t seed)
{
    struct rf_cat_design d;
    struct rf_err err;
    rf_cat_design_init(&d);
    d.max_items = 24;
    for (size_t j = 0; j < sizeof scope / sizeof scope[0]; j++) {
        rf_status rc = rf_cat_design_add(&d, p, scope[j], (struct rf_cat_rule){0.3, 4, 10}, &err);
        cr_assert_eq(rc, RF_OK, "%s", err.msg);
    }
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, seed, &s, &err), RF_OK, "%s", err.msg);
    return s;
}

/* k answers right by a hash of the item index. */
static void run(struct rf_cat_session *s, size_t k)
{
    for (size_t t = 0; t < k; t++) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            return;
        cr_assert_eq(rf_cat_answer(s, item, (item * 2654435761u >> 7) % 2), RF_OK);
    }
}

Test(pool_change, a_session_over_the_whole_bank_restores_over_the_operational_pool)
{
    size_t other_answered = 0, other_presented = 0, sessions = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct rf_cat_session *s = start(whole, seed);
        run(s, 12);
        size_t pres;
        rf_cat_next(s, &pres); /* shown, not answered: part of the state */
        json_t *j;
        struct rf_err err;
        cr_assert_eq(rf_cat_session_to_json(s, &j, &err), RF_OK);
        size_t outside = 0;
        for (size_t e = 0; e < rf_cat_nanswered(s); e++) {
            size_t item, k;
            rf_cat_answered(s, e, &item, &k);
            outside += !oper->usable[item];
        }
        other_answered += outside;
        other_presented += pres != SIZE_MAX && !oper->usable[pres];
        struct rf_cat_session *r = NULL;
        cr_assert_eq(rf_cat_session_from_json(oper, j, "session", &r, &err), RF_OK,
                     "seed %llu (%zu answered items of the practice pool): %s",
                     (unsigned long long)seed, outside, err.msg);
        sessions++;
        /* the same evidence, bit for bit */
        const struct rf_cat_design *d = rf_cat_session_design(s);
        for (size_t k = 0; k < d->nscope; k++) {
            struct rf_cat_skill_result a, b;
            rf_cat_skill(s, k, &a);
            rf_cat_skill(r, k, &b);
            cr_assert(a.theta == b.theta && a.se == b.se && a.items == b.items,
                      "seed %llu skill %zu: %.17g/%.17g vs %.17g/%.17g", (unsigned long long)seed,
                      k, a.theta, a.se, b.theta, b.se);
        }
        size_t rp;
        rf_cat_next(r, &rp);
        cr_assert_eq(rp, pres, "the item it was showing is still shown");
        /* answer it and go on: nothing asked twice, new items operational only */
        size_t n0 = rf_cat_nanswered(r);
        if (rp != SIZE_MAX)
            cr_assert_eq(rf_cat_answer(r, rp, 1), RF_OK, "%s", rf_cat_errmsg(r));
        run(r, 30);
        for (size_t e = 0; e < rf_cat_nanswered(r); e++) {
            size_t item, k;
            rf_cat_answered(r, e, &item, &k);
            for (size_t f = 0; f < e; f++) {
                size_t other, kk;
                rf_cat_answered(r, f, &other, &kk);
                cr_assert_neq(item, other, "'%s' asked twice", oper->ids[item]);
            }
            if (e > n0)
                cr_assert(oper->usable[item], "after the restore '%s' (not operational) was asked",
                          oper->ids[item]);
        }
        json_decref(j);
        rf_cat_session_free(s);
        rf_cat_session_free(r);
    }
    fprintf(stderr,
            "pool_change: %zu sessions restored, %zu answered and %zu shown items of the "
            "practice pool among them\n",
            sessions, other_answered, other_presented);
    cr_assert(other_answered > 0 && other_presented > 0,
              "the case occurred (answered %zu, shown %zu)", other_answered, other_presented);
}

Test(pool_change, a_retired_item_is_still_refused)
{
    struct rf_cat_session *s = start(whole, 7);
    run(s, 6);
    json_t *j;
    struct rf_err err;
    cr_assert_eq(rf_cat_session_to_json(s, &j, &err), RF_OK);
    size_t item, k;
    rf_cat_answered(s, 2, &item, &k);
    /* the same bank with that item retired */
    size_t bi;
    cr_assert_eq(rf_bank_find(&bank, whole->ids[item], &bi), RF_OK);
    bank.items[bi].retired = 1;
    struct rf_cat_pool *p;
    cr_assert_eq(
        rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL, &q, &p, &err),
        RF_OK);
    bank.items[bi].retired = 0;
    struct rf_cat_session *r = NULL;
    cr_assert_eq(rf_cat_session_from_json(p, j, "session", &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, whole->ids[item]), "the refusal names the item: %s", err.msg);
    json_decref(j);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}
