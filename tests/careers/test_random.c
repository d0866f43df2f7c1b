/*
 * The random responder's evidence ("no role", careers/closest.h): what the
 * engine keeps per skill is the exact log ratio P(answers | random) /
 * P(answers | N(0, 1) person), it survives a session file, a profile file
 * and a follow-up, old profiles without it still read, and answers given at
 * random on the bank's own items (every format) are told "no role".
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/config.h"
#include "base/rng.h"
#include "careers/closest.h"
#include "careers/data.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sessfile.h"
#include "irt/quad.h"

static struct rf_careers c;
static struct rf_bank bank;
static struct rf_quad q;
static struct rf_cat_pool *pool;

static void setup(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    cr_assert_eq(rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED, &q, &pool, &err), RF_OK, "%s",
                 err.msg);
}

static void teardown(void)
{
    rf_cat_pool_free(pool);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_careers_cleanup(&c);
}

TestSuite(random, .init = setup, .fini = teardown);

/* The ML engineer's skills, each 2..6 items (a plain design, no model). */
static struct rf_cat_session *new_session(size_t max_items)
{
    const struct rf_role *mle = rf_roles_find(&c.roles, "ml_engineer");
    struct rf_cat_design d;
    struct rf_err err;
    rf_cat_design_init(&d);
    d.max_items = max_items;
    d.stop_unreachable = 0;
    for (size_t k = 0; k < mle->nreqs; k++)
        cr_assert_eq(rf_cat_design_add(&d, pool, c.tax.skills[mle->reqs[k].skill].id,
                                       (struct rf_cat_rule){0.01, 2, 6}, &err),
                     RF_OK, "%s", err.msg);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(pool, &d, 7, &s, &err), RF_OK, "%s", err.msg);
    return s;
}

/* A category drawn as a random responder answers item i (the pool's rand). */
static size_t random_answer(size_t i, struct rf_rng *r)
{
    const double *rp = pool->rand + i * RF_MAX_CATEGORIES;
    double u = rf_rng_uniform(r), acc = 0;
    for (size_t k = 0; k + 1 < pool->irt[i].ncat; k++)
        if (u < (acc += rp[k]))
            return k;
    return pool->irt[i].ncat - 1;
}

/* Runs s to its end with random answers (seed) or all right (seed 0). */
static void run(struct rf_cat_session *s, uint64_t seed)
{
    struct rf_rng r;
    size_t item;
    rf_rng_seed(&r, seed);
    for (rf_cat_next(s, &item); item != SIZE_MAX; rf_cat_next(s, &item)) {
        size_t k = seed ? random_answer(item, &r) : pool->irt[item].ncat - 1;
        cr_assert_eq(rf_cat_answer(s, item, k), RF_OK, "%s", rf_cat_errmsg(s));
    }
}

/* The profile of s: posterior, log-likelihood and random evidence per skill. */
static void to_profile(const struct rf_cat_session *s, struct rf_profile *p)
{
    struct rf_err err;
    const struct rf_cat_design *d = rf_cat_session_design(s);
    cr_assert_eq(rf_profile_init(p, q.lo, q.hi, q.n, &err), RF_OK);
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        if (!r.items)
            continue;
        double ll[RF_QUAD_MAX_N];
        size_t idx;
        rf_cat_skill_loglik(s, j, ll);
        cr_assert_eq(rf_profile_add_posterior(p, pool->skills[d->scope[j]], r.items, r.posterior,
                                              &idx, &err),
                     RF_OK, "%s", err.msg);
        cr_assert_eq(rf_profile_set_loglik(p, idx, ll, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_profile_set_random(p, idx, r.random_lbf, &err), RF_OK, "%s", err.msg);
    }
}

/* Per scope skill, straight from the answers: sum log P_random(k) minus the
 * log of sum_q w_q prod P(k | x_q), w the grid's N(0, 1) weights. */
Test(random, evidence_is_exact_and_restores)
{
    struct rf_cat_session *s = new_session(40);
    run(s, 3);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    for (size_t j = 0; j < d->nscope; j++) {
        double lr = 0, lik[RF_QUAD_MAX_N];
        for (size_t g = 0; g < q.n; g++)
            lik[g] = q.w[g];
        for (size_t a = 0; a < rf_cat_nanswered(s); a++) {
            size_t item, k;
            rf_cat_answered(s, a, &item, &k);
            if (pool->skill[item] != d->scope[j])
                continue;
            lr += log(pool->rand[item * RF_MAX_CATEGORIES + k]);
            for (size_t g = 0; g < q.n; g++)
                lik[g] *= rf_irt_prob(&pool->irt[item], q.x[g], k);
        }
        double m = 0;
        for (size_t g = 0; g < q.n; g++)
            m += lik[g];
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        cr_assert(r.items >= 2, "skill %zu: %zu items", j, r.items);
        cr_expect(fabs(r.random_lbf - (lr - log(m))) < 1e-9, "skill %zu: %.12f, direct %.12f", j,
                  r.random_lbf, lr - log(m));
    }
    /* A session file replays its answers: the same evidence, bit for bit. */
    json_t *o;
    struct rf_err err;
    struct rf_cat_session *back;
    cr_assert_eq(rf_cat_session_to_json(s, &o, &err), RF_OK);
    cr_assert_eq(rf_cat_session_from_json(pool, o, "s.json", &back, &err), RF_OK, "%s", err.msg);
    json_decref(o);
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result x, y;
        rf_cat_skill(s, j, &x);
        rf_cat_skill(back, j, &y);
        cr_expect_eq(x.random_lbf, y.random_lbf, "skill %zu", j);
    }
    rf_cat_session_free(back);
    rf_cat_session_free(s);
}

/* A profile file keeps it (a zero probability as null); a bad value is
 * refused with one line; a profile from before reads, and closest roles fall
 * back for it. */
Test(random, profile_files_old_and_new)
{
    struct rf_cat_session *s = new_session(40);
    run(s, 5);
    struct rf_profile p, back;
    struct rf_err err;
    to_profile(s, &p);
    p.skills[1].random_lbf = -HUGE_VAL;
    json_t *j;
    cr_assert_eq(rf_profile_to_json(&p, &j, &err), RF_OK);
    cr_assert_eq(rf_profile_from_json(j, "p.json", &back, &err), RF_OK, "%s", err.msg);
    json_decref(j);
    for (size_t k = 0; k < p.nskills; k++) {
        cr_expect(back.skills[k].has_random, "skill %zu", k);
        cr_expect_eq(back.skills[k].random_lbf, p.skills[k].random_lbf, "skill %zu", k);
    }
    rf_profile_cleanup(&back);
    const char *bad = "{\"skills\": [{\"skill\": \"a\", \"theta\": 0, \"se\": 1, "
                      "\"random_lbf\": \"x\"}]}";
    cr_assert_eq(rf_profile_parse("b.json", bad, strlen(bad), &back, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "b.json: skills[0] 'a': field 'random_lbf'"), "%s", err.msg);
    cr_expect_null(strchr(err.msg, '\n'));
    const char *old = "{\"skills\": [{\"skill\": \"software_engineering\", \"theta\": -1.5, "
                      "\"se\": 0.6}]}";
    cr_assert_eq(rf_profile_parse("old.json", old, strlen(old), &back, &err), RF_OK, "%s",
                 err.msg);
    cr_expect_not(back.skills[0].has_random);
    struct rf_role_close *r;
    double none = -1;
    cr_assert_eq(rf_closest_all(&back, &c.roles, &r, &none, &err), RF_OK);
    cr_expect(none > 0 && none < 1, "old profile: P(no role) %g", none);
    free(r);
    rf_profile_cleanup(&back);
    rf_profile_cleanup(&p);
    rf_cat_session_free(s);
}

/* A follow-up combines the evidence as one session over all the answers
 * would have it: the same answers replayed into two sessions and combined
 * give the whole session's random evidence to 1e-9. */
Test(random, follow_ups_combine_exactly)
{
    struct rf_cat_session *all = new_session(40), *s1 = new_session(40), *s2 = new_session(40);
    run(all, 9);
    size_t n = rf_cat_nanswered(all);
    struct rf_err err;
    for (size_t a = 0; a < n; a++) {
        size_t item, k;
        rf_cat_answered(all, a, &item, &k);
        cr_assert_eq(rf_cat_replay(a < n / 2 ? s1 : s2, item, k, &err), RF_OK, "%s", err.msg);
    }
    struct rf_profile pa, p1, p2;
    to_profile(all, &pa);
    to_profile(s1, &p1);
    to_profile(s2, &p2);
    cr_assert_eq(rf_profile_combine(&p1, &p2, &err), RF_OK, "%s", err.msg);
    size_t both = 0;
    for (size_t k = 0; k < pa.nskills; k++) {
        const struct rf_profile_skill *x = &pa.skills[k], *y = rf_profile_find(&p1, x->skill);
        cr_assert(y && y->has_random, "%s", x->skill);
        both += rf_profile_find(&p2, x->skill) != NULL && y->items > 1 &&
                y->items != rf_profile_find(&p2, x->skill)->items;
        cr_expect(fabs(x->random_lbf - y->random_lbf) < 1e-9, "%s: %.12f combined %.12f",
                  x->skill, x->random_lbf, y->random_lbf);
    }
    cr_expect_gt(both, 0, "some skill has answers in both sessions");
    rf_profile_cleanup(&pa);
    rf_profile_cleanup(&p1);
    rf_profile_cleanup(&p2);
    rf_cat_session_free(all);
    rf_cat_session_free(s1);
    rf_cat_session_free(s2);
}

/* Answers given at random to the bank's own items (multiple choice, numeric
 * entry, multiple select: the bank has all three on these skills) are told
 * "no role" for nearly everyone, all-right answers never; 30 people each. */
Test(random, random_answers_are_told_no_role)
{
    struct rf_cat_session *s = new_session(40);
    size_t told = 0, told_right = 0, formats[3] = {0};
    double top = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        rf_cat_session_reset(s, seed);
        int right = seed > 30;
        run(s, right ? 0 : seed);
        for (size_t a = 0; a < rf_cat_nanswered(s); a++) {
            size_t item, k, bi;
            rf_cat_answered(s, a, &item, &k);
            cr_assert_eq(rf_bank_find(&bank, pool->ids[item], &bi), RF_OK);
            formats[bank.items[bi].type == RF_ITEM_MCQ       ? 0
                    : bank.items[bi].type == RF_ITEM_NUMERIC ? 1
                                                             : 2]++;
        }
        struct rf_profile p;
        struct rf_role_close *r;
        double none;
        struct rf_err err;
        to_profile(s, &p);
        cr_assert_eq(rf_closest_all(&p, &c.roles, &r, &none, &err), RF_OK);
        if (right) {
            told_right += none > r[0].prob;
        } else {
            told += none > r[0].prob;
            top += r[0].prob;
        }
        free(r);
        rf_profile_cleanup(&p);
    }
    cr_expect(formats[0] && formats[1] && formats[2], "mcq %zu numeric %zu multi %zu", formats[0],
              formats[1], formats[2]);
    cr_expect_geq(told, 27, "random: told no role %zu of 30", told);
    cr_expect_lt(top / 30, 0.15, "random: mean top role probability %.3f", top / 30);
    cr_expect_eq(told_right, 0, "all right: told no role %zu of 30", told_right);
    rf_cat_session_free(s);
}
