/*
 * The target, measured with the real adaptive engine and the bundled
 * bank: simulated candidates drawn from each role's profile take a 30-item
 * adaptive test over that role's skills; how often is their own role ranked
 * first by fit?
 *
 * A role's profile: for each skill the role requires, theta ~ N(cut + 0.5,
 * 0.4^2), the middle of the required level band with spread; skills outside
 * the role are not tested, so they count with the prior. Two readings of
 * "ranked first for their own role" are measured:
 *  - candidate view: among all roles, the candidate's own role has the highest fit;
 *  - recruiter view: a pool holds one candidate per role; for each role, its
 *    own candidate has the highest fit among the pool.
 * The rates are printed (run this binary with --verbose); the assertions are
 * floors well below them that catch a broken pipeline, not the target.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "careers/data.h"
#include "careers/fit.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "irt/quad.h"

#define PER_ROLE 100
#define GEN_ITEMS 60
#define TEST_ITEMS 30

struct sim {
    struct rf_careers c;
    struct rf_bank bank;
    struct rf_quad q;
    struct rf_cat_pool *pool;
};

/* The pool: the bundled bank, or (generated != 0) GEN_ITEMS calibrated-looking
 * 2PL items per skill, a ~ U(1.2, 2.2), b ~ U(-2.5, 2.5), fixed seed. */
static void sim_open(struct sim *s, int generated)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &s->c, &err), RF_OK, "%s", err.msg);
    rf_bank_init(&s->bank);
    cr_assert_eq(rf_quad_init_default(&s->q, &err), RF_OK);
    if (!generated) {
        cr_assert_eq(rf_bank_load_dir("data/bank", &s->bank, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_cat_pool_from_bank(&s->bank, RF_CAT_POOL_MCQ, &s->q, &s->pool, &err),
                     RF_OK, "%s", err.msg);
        return;
    }
    size_t n = s->c.tax.nskills * GEN_ITEMS;
    struct rf_cat_item *it = calloc(n, sizeof *it);
    char (*ids)[64] = calloc(n, sizeof *ids);
    cr_assert(it && ids);
    struct rf_rng rng;
    rf_rng_seed(&rng, 7);
    for (size_t i = 0; i < n; i++) {
        const char *sk = s->c.tax.skills[i / GEN_ITEMS].id;
        snprintf(ids[i], sizeof ids[i], "%s.gen.%03zu", sk, i % GEN_ITEMS);
        it[i].id = ids[i];
        it[i].skill = sk;
        it[i].usable = 1;
        rf_irt_item_dich(&it[i].irt, RF_MODEL_2PL, 1.2 + rf_rng_uniform(&rng),
                         -2.5 + 5 * rf_rng_uniform(&rng), 0);
    }
    cr_assert_eq(rf_cat_pool_new(it, n, &s->q, &s->pool, &err), RF_OK, "%s", err.msg);
    free(it);
    free(ids);
}

static void sim_close(struct sim *s)
{
    rf_cat_pool_free(s->pool);
    rf_quad_cleanup(&s->q);
    rf_bank_cleanup(&s->bank);
    rf_careers_cleanup(&s->c);
}

/* Draws a candidate of role r, runs the adaptive test over r's skills and
 * fills prof (initialized by the caller on the pool's grid). */
static void candidate(struct sim *s, const struct rf_role *r, uint64_t seed,
                      struct rf_profile *prof)
{
    struct rf_err err;
    struct rf_rng rng;
    rf_rng_seed(&rng, seed);
    double truth[RF_CAT_MAX_SCOPE];
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = TEST_ITEMS;
    d.stop_unreachable = 0;
    struct rf_cat_rule rule = {0.3, 1, TEST_ITEMS};
    for (size_t k = 0; k < r->nreqs; k++) {
        truth[k] = r->reqs[k].cut + 0.5 + 0.4 * rf_rng_normal(&rng);
        cr_assert_eq(rf_cat_design_add(&d, s->pool, s->c.tax.skills[r->reqs[k].skill].id, rule,
                                       &err),
                     RF_OK, "%s", err.msg);
    }
    struct rf_cat_session *ses;
    cr_assert_eq(rf_cat_session_new(s->pool, &d, seed ^ 0x9e3779b97f4a7c15ULL, &ses, &err), RF_OK);
    for (;;) {
        size_t item;
        rf_cat_next(ses, &item);
        if (item == SIZE_MAX)
            break;
        size_t j = 0;
        while (j < d.nscope && d.scope[j] != s->pool->skill[item])
            j++;
        double pc = rf_irt_prob(&s->pool->irt[item], truth[j], 1);
        cr_assert_eq(rf_cat_answer(ses, item, rf_rng_uniform(&rng) < pc), RF_OK);
    }
    cr_assert_eq(rf_cat_nanswered(ses), TEST_ITEMS);
    for (size_t j = 0; j < d.nscope; j++) {
        struct rf_cat_skill_result res;
        rf_cat_skill(ses, j, &res);
        cr_assert_eq(rf_profile_add_posterior(prof, s->pool->skills[d.scope[j]], res.items,
                                              res.posterior, NULL, &err),
                     RF_OK, "%s", err.msg);
    }
    rf_cat_session_free(ses);
}

static double fit_of(const struct rf_role_fit *f, size_t n, const struct rf_role *r)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].role == r)
            return f[i].fit;
    return -1;
}

/* Runs the simulation on a pool and returns the two rates through out[2]. */
static void measure(int generated, const char *what, double floor_rate)
{
    struct sim s;
    sim_open(&s, generated);
    size_t nroles = s.c.roles.n;
    size_t cand_hits = 0, rec_hits = 0, total = 0, rec_total = 0;
    size_t per_role_hits[64] = {0};
    /* fits[t][r][x]: round t, fit of role x for the candidate drawn from role r. */
    static double fits[PER_ROLE][64][64];
    for (size_t t = 0; t < PER_ROLE; t++)
        for (size_t r = 0; r < nroles; r++) {
            struct rf_profile prof;
            struct rf_err err;
            cr_assert_eq(rf_profile_init(&prof, s.q.lo, s.q.hi, s.q.n, &err), RF_OK);
            candidate(&s, &s.c.roles.roles[r], 1000003ULL * t + r, &prof);
            struct rf_role_fit *f;
            cr_assert_eq(rf_fit_all(&prof, &s.c.roles, &f, &err), RF_OK);
            int first = f[0].role == &s.c.roles.roles[r];
            cand_hits += first;
            per_role_hits[r] += first;
            total++;
            for (size_t x = 0; x < nroles; x++)
                fits[t][r][x] = fit_of(f, nroles, &s.c.roles.roles[x]);
            rf_fit_free_all(f, nroles);
            rf_profile_cleanup(&prof);
        }
    /* Recruiter view: in round t the pool is the candidates of every role. */
    for (size_t t = 0; t < PER_ROLE; t++)
        for (size_t x = 0; x < nroles; x++) {
            size_t best = 0;
            for (size_t r = 1; r < nroles; r++)
                if (fits[t][r][x] > fits[t][best][x])
                    best = r;
            rec_hits += best == x;
            rec_total++;
        }
    double cand_rate = (double)cand_hits / (double)total;
    double rec_rate = (double)rec_hits / (double)rec_total;
    cr_log_info("role_sim [%s]: candidate view: own role first for %zu of %zu (%.1f%%); "
                "recruiter view: own candidate first in %zu of %zu role pools (%.1f%%)",
                what, cand_hits, total, 100 * cand_rate, rec_hits, rec_total, 100 * rec_rate);
    for (size_t r = 0; r < nroles; r++)
        cr_log_info("role_sim [%s]:   %-28s own role first %5.1f%%", what,
                    s.c.roles.roles[r].id, 100.0 * (double)per_role_hits[r] / PER_ROLE);
    /* Chance is 1/12 = 8%. The floors sit far below the measured rates: a
     * broken engine, fit or profile builder falls to chance and fails here. */
    cr_expect(cand_rate > floor_rate, "%s: candidate view %.3f", what, cand_rate);
    cr_expect(rec_rate > floor_rate, "%s: recruiter view %.3f", what, rec_rate);
    sim_close(&s);
}

Test(role_sim, bundled_bank, .timeout = 60)
{
    measure(0, "bundled bank", 0.3);
}

Test(role_sim, generated_2pl_bank, .timeout = 60)
{
    measure(1, "generated 2PL bank", 0.4);
}
