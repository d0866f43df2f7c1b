/*
 * Issue 6's target, measured with the product's own pieces: simulated
 * candidates drawn from each role's profile take the server's 30-item role
 * test (the same design constants, and the classification objective of
 * server/roletest.h); how often is their own role the closest role
 * (careers/closest.h)?
 *
 * A role's profile: on each skill the role requires, theta around the
 * middle of the required level's band (rf_closest_level_dist's centre), drawn
 * either N(centre, 0.4^2) or uniformly over the level's band (a person who
 * just reaches the level is as likely as one about to pass it). Skills
 * outside the role are not tested.
 *
 * Banks: the bundled bank (uncalibrated: every item a = 1, c = 0.25, the
 * authors' prior guess), and a generated bank with the spread of a
 * calibrated one (60 2PL items per skill, a ~ U(1.2, 2.2), b ~ U(-2.5, 2.5)),
 * also as 3PL with c = 0.2 (the same items, guessable).
 *
 * Also printed, for the record: how often the own role has the highest fit
 * (candidate view), and how often, in a pool of one candidate per role, a
 * role's own candidate has the highest fit for it (recruiter view). Fit
 * answers "meets the bar", so candidates of a demanding role also meet
 * easier ones; it is not the measure a candidate's "which role is mine"
 * needs. Run with --verbose to see every figure.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/config.h"
#include "base/rng.h"
#include "careers/closest.h"
#include "careers/data.h"
#include "careers/fit.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/quad.h"
#include "server/roletest.h"
#include "server/rolesim.h"

#define PER_ROLE 100
#define FIND_PER_ROLE 40 /* find-my-role tests cost more per step */
#define GEN_ITEMS 60
#define MAX_ROLES 32

struct sim {
    struct rf_careers c;
    struct rf_bank bank;
    struct rf_quad q;
    struct rf_cat_pool *pool;
};

/* The pool: the bundled bank (generated == 0), as the live test of that kind
 * draws on it (server/rolesim.h rf_rolesim_live_pool: a role test the
 * operational pool, find my role (find) the practice pool), or the generated
 * one, fixed seed: 2PL (generated == 1) or 3PL with c = 0.2, as four-option
 * items guessed at (generated == 2). */
static void sim_open(struct sim *s, int generated, int find)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &s->c, &err), RF_OK, "%s", err.msg);
    cr_assert_leq(s->c.roles.n, MAX_ROLES);
    rf_bank_init(&s->bank);
    cr_assert_eq(rf_quad_init_default(&s->q, &err), RF_OK);
    if (!generated) {
        cr_assert_eq(rf_bank_load_dir("data/bank", &s->bank, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_cat_pool_from_bank(&s->bank, rf_rolesim_live_pool(find), &s->q, &s->pool,
                                           &err),
                     RF_OK, "%s", err.msg);
        return;
    }
    size_t n = s->c.tax.nskills * GEN_ITEMS;
    struct rf_cat_item *it = calloc(n, sizeof *it);
    char(*ids)[64] = calloc(n, sizeof *ids);
    cr_assert(it && ids);
    struct rf_rng rng;
    rf_rng_seed(&rng, 7);
    for (size_t i = 0; i < n; i++) {
        const char *sk = s->c.tax.skills[i / GEN_ITEMS].id;
        snprintf(ids[i], sizeof ids[i], "%s.gen.%03zu", sk, i % GEN_ITEMS);
        it[i].id = ids[i];
        it[i].skill = sk;
        it[i].usable = 1;
        double a = 1.2 + rf_rng_uniform(&rng), b = -2.5 + 5 * rf_rng_uniform(&rng);
        if (generated == 1)
            rf_irt_item_dich(&it[i].irt, RF_MODEL_2PL, a, b, 0);
        else
            rf_irt_item_dich(&it[i].irt, RF_MODEL_3PL, a, b, 0.2);
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

/* How a candidate's theta is drawn on each skill the role requires: around
 * the level's centre plus shift, normal with this SD, or (sd == 0) uniform
 * over the level's band. */
struct draw {
    double sd, shift;
};
static const struct draw NORMAL_04 = {0.4, 0}, NORMAL_05 = {0.5, 0}, BAND = {0, 0},
                         AT_BAR = {0.4, -0.3};

/* The test taken: the server's role test, the same without its
 * classification objective, or the server's find-my-role test. */
enum mode { MODE_ROLE, MODE_PLAIN, MODE_FIND };

/* Draws a candidate of role r, runs the test and fills prof (initialized by
 * the caller on the pool's grid). */
static void candidate(struct sim *s, const struct rf_role *r, struct draw how, enum mode mode,
                      uint64_t seed, struct rf_profile *prof, double *brier)
{
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_rng rng;
    rf_rng_seed(&rng, seed);
    double truth[RF_CAT_MAX_SCOPE];
    struct rf_cat_design d;
    cr_assert_eq(rf_roletest_design(&d, s->pool, &s->c.roles, mode == MODE_FIND ? NULL : r, &err),
                 RF_OK, "%s", err.msg);
    if (mode == MODE_PLAIN) { /* no classes: none to mix into the prior either */
        d.nclasses = 0;
        d.prior_weight = 0;
    }
    for (size_t j = 0; j < d.nscope; j++) {
        size_t k;
        cr_assert_eq(rf_taxonomy_find(&s->c.tax, s->pool->skills[d.scope[j]], &k), RF_OK);
        const struct rf_role_req *q = rf_role_req_find(r, k);
        if (!q) { /* a skill the role does not require: like the population */
            truth[j] = rf_rng_normal(&rng);
            continue;
        }
        double mu, tau;
        rf_closest_level_dist(&s->c.tax, k, q->level, &mu, &tau);
        double width = tau / RF_CLOSEST_SPREAD;
        truth[j] = how.shift + (how.sd > 0 ? mu + how.sd * rf_rng_normal(&rng)
                                           : mu + width * (rf_rng_uniform(&rng) - 0.5));
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
        /* every format from its own model: a multi item's category 0..m (GRM) */
        cr_assert_eq(rf_cat_answer(ses, item, rf_cat_sim_draw(&s->pool->irt[item], truth[j], &rng)),
                     RF_OK);
    }
    /* With the model's prior every skill may reach its SE target first. */
    cr_assert_leq(rf_cat_nanswered(ses), mode == MODE_FIND ? RF_WEB_FIND_MAX_ITEMS : RF_WEB_ROLE_MAX_ITEMS);
    /* Scored as the server scores it: a skill without questions is not
     * measured; with the model's prior, the profile keeps the evidence and
     * the prior, so closest roles read the answers against the population. */
    cr_assert_eq(rf_roletest_profile(ses, mode == MODE_PLAIN ? NULL : &s->c.roles, prof, NULL,
                                     &err),
                 RF_OK, "%s", err.msg);
    /* How well the own role's requirements were measured: the Brier score of
     * P(theta >= cut) against the truth, over the role's requirements. */
    double b = 0;
    for (size_t k = 0; k < r->nreqs; k++) {
        size_t j = 0;
        while (j < d.nscope && strcmp(s->pool->skills[d.scope[j]],
                                      s->c.tax.skills[r->reqs[k].skill].id) != 0)
            j++;
        cr_assert_lt(j, d.nscope);
        const struct rf_profile_skill *ps = rf_profile_find(prof, s->pool->skills[d.scope[j]]);
        double pk = rf_profile_tail(prof, ps, r->reqs[k].cut), met = truth[j] >= r->reqs[k].cut;
        b += (pk - met) * (pk - met);
    }
    *brier = b / (double)r->nreqs;
    rf_cat_session_free(ses);
}

struct rates {
    double closest, fit_candidate, fit_recruiter;
    double top_prob; /* mean probability given to the closest role: calibrated when ~ closest */
    double brier;    /* mean Brier score of P(meets) on the own role's requirements */
};

/* Simulates PER_ROLE candidates of every role and returns the three rates. */
static struct rates measure(int generated, struct draw how, enum mode mode, size_t per_role,
                            const char *what)
{
    struct sim s;
    sim_open(&s, generated, mode == MODE_FIND);
    size_t nroles = s.c.roles.n, total = 0, close_hits = 0, fit_hits = 0, rec_hits = 0;
    double top_sum = 0, brier_sum = 0;
    size_t per_close[MAX_ROLES] = {0}, per_fit[MAX_ROLES] = {0};
    /* fits[t][r][x]: round t, fit of role x for the candidate drawn from role r. */
    static double fits[PER_ROLE][MAX_ROLES][MAX_ROLES];
    for (size_t t = 0; t < per_role; t++)
        for (size_t r = 0; r < nroles; r++) {
            const struct rf_role *own = &s.c.roles.roles[r];
            struct rf_profile prof;
            struct rf_err err;
            cr_assert_eq(rf_profile_init(&prof, s.q.lo, s.q.hi, s.q.n, &err), RF_OK);
            double brier;
            candidate(&s, own, how, mode, 1000003ULL * t + r, &prof, &brier);
            brier_sum += brier;
            struct rf_role_close *cl;
            cr_assert_eq(rf_closest_all(&prof, &s.c.roles, &cl, NULL, &err), RF_OK);
            close_hits += cl[0].role == own;
            top_sum += cl[0].prob;
            per_close[r] += cl[0].role == own;
            free(cl);
            struct rf_role_fit *f;
            cr_assert_eq(rf_fit_all(&prof, &s.c.roles, &f, &err), RF_OK);
            fit_hits += f[0].role == own;
            per_fit[r] += f[0].role == own;
            for (size_t i = 0; i < nroles; i++)
                fits[t][r][f[i].role - s.c.roles.roles] = f[i].fit;
            rf_fit_free_all(f, nroles);
            rf_profile_cleanup(&prof);
            total++;
        }
    for (size_t t = 0; t < per_role; t++)
        for (size_t x = 0; x < nroles; x++) {
            size_t best = 0;
            for (size_t r = 1; r < nroles; r++)
                if (fits[t][r][x] > fits[t][best][x])
                    best = r;
            rec_hits += best == x;
        }
    struct rates out = {(double)close_hits / (double)total, (double)fit_hits / (double)total,
                        (double)rec_hits / (double)total, top_sum / (double)total,
                        brier_sum / (double)total};
    cr_log_info("role_sim [%s]: closest role is the own role for %zu of %zu (%.1f%%; mean "
                "probability of the closest role %.1f%%); by fit: candidate view %.1f%%, "
                "recruiter view %.1f%%; Brier of P(meets) on the own role %.3f",
                what, close_hits, total, 100 * out.closest, 100 * out.top_prob,
                100 * out.fit_candidate, 100 * out.fit_recruiter, out.brier);
    for (size_t r = 0; r < nroles; r++)
        cr_log_info("role_sim [%s]:   %-28s closest %5.1f%%   highest fit %5.1f%%", what,
                    s.c.roles.roles[r].id, 100.0 * (double)per_close[r] / (double)per_role,
                    100.0 * (double)per_fit[r] / (double)per_role);
    sim_close(&s);
    return out;
}

/* The target: >= 80% with a bank of calibrated quality, for candidates at
 * their role's levels (normal SD 0.4 around the level's centre, or uniform
 * over its band). Also printed: SD 0.5 (the class model's own spread) and
 * candidates just at the bar (0.3 below the centre), which fall short. */
Test(role_sim, generated_bank_meets_the_target, .timeout = 120)
{
    struct rates x = measure(1, NORMAL_04, MODE_ROLE, PER_ROLE, "generated bank, SD 0.4");
    cr_expect_geq(x.closest, 0.80, "closest role is own role for %.3f", x.closest);
    struct rates u = measure(1, BAND, MODE_ROLE, PER_ROLE, "generated bank, uniform in the band");
    cr_expect_geq(u.closest, 0.80, "uniform draws: %.3f", u.closest);
    struct rates w = measure(1, NORMAL_05, MODE_ROLE, PER_ROLE, "generated bank, SD 0.5");
    struct rates b = measure(1, AT_BAR, MODE_ROLE, PER_ROLE, "generated bank, at the bar");
    cr_expect_gt(w.closest, 0.6, "%.3f", w.closest);
    cr_expect_gt(b.closest, 0.6, "%.3f", b.closest);
    /* Here the closest role's probability (about 0.5 on average) is far
     * below how often it is right: the test measured only the own role's
     * skills, so every role that needs other skills keeps its prior odds
     * there. Choosing the test is evidence the probabilities leave out. */
    /* The classification objective must not cost what a recruiter reads:
     * the own role's requirements are measured at least as well as by the
     * plain test (Brier score of P(meets) against the truth). */
    struct rates plain = measure(1, NORMAL_04, MODE_PLAIN, PER_ROLE,
                                 "generated bank, SD 0.4, no classification objective");
    cr_expect_leq(x.brier, plain.brier + 0.005, "Brier with %.4f, without %.4f", x.brier,
                  plain.brier);
    /* Fit is a recruiter's measure; floors far above chance (1/15) catch a
     * broken pipeline. */
    cr_expect_gt(x.fit_recruiter, 0.5, "%.3f", x.fit_recruiter);
}

/* Guessing costs information: the same bank as 3PL with c = 0.2 falls short
 * of the target; printed, with a floor. */
Test(role_sim, generated_bank_with_guessing, .timeout = 120)
{
    struct rates x = measure(2, NORMAL_04, MODE_ROLE, PER_ROLE, "generated 3PL bank (c = 0.2)");
    cr_expect_gt(x.closest, 0.65, "%.3f", x.closest);
}

/* The bundled bank's items are uncalibrated (a = 1, c = 0.25 for all): 30 of
 * them leave each skill's SE near 0.7, and roles cannot be told apart as
 * often. Floors far above chance catch a broken pipeline; the rate is the
 * honest figure for the bank as shipped. */
Test(role_sim, bundled_bank, .timeout = 120)
{
    struct rates x = measure(0, NORMAL_04, MODE_ROLE, PER_ROLE, "bundled bank");
    cr_expect_gt(x.closest, 0.45, "%.3f", x.closest);
    cr_expect_gt(x.fit_recruiter, 0.35, "%.3f", x.fit_recruiter);
}

/* The find-my-role test: 30 items over every skill, for someone who does not
 * know which role to aim at (skills outside their role drawn from the
 * population). Harder than a role test: the items spread over 16 skills. */
Test(role_sim, find_my_role, .timeout = 120)
{
    struct rates g = measure(1, NORMAL_04, MODE_FIND, FIND_PER_ROLE, "find my role, generated bank");
    cr_expect_gt(g.closest, 0.5, "%.3f", g.closest);
    struct rates b = measure(0, NORMAL_04, MODE_FIND, FIND_PER_ROLE, "find my role, bundled bank");
    cr_expect_gt(b.closest, 0.2, "%.3f", b.closest);
    /* Over every skill the probabilities mean what they say: the closest
     * role's average probability is within 8 points of how often it is right. */
    cr_expect_lt(fabs(g.top_prob - g.closest), 0.08, "said %.3f, right %.3f", g.top_prob,
                 g.closest);
    cr_expect_lt(fabs(b.top_prob - b.closest), 0.08, "said %.3f, right %.3f", b.top_prob,
                 b.closest);
}

/* Issue 13: all correct on any role test, the closest role is the test's
 * role or one whose bars on every skill the test measured are at least as
 * high (careers/closest.h: the test's prior weighs its own role); never "no
 * role". Every one of the roles' tests, three sessions each, scored as the
 * server scores them (rf_roletest_profile). */
Test(role_sim, all_correct_points_to_own_role_or_higher_bars)
{
    struct sim s;
    sim_open(&s, 0, 0);
    struct rf_err err;
    rf_err_clear(&err);
    size_t own = 0, n = 0;
    for (size_t ri = 0; ri < s.c.roles.n; ri++) {
        const struct rf_role *r = &s.c.roles.roles[ri];
        struct rf_cat_design d;
        cr_assert_eq(rf_roletest_design(&d, s.pool, &s.c.roles, r, &err), RF_OK, "%s", err.msg);
        struct rf_cat_session *ses;
        cr_assert_eq(rf_cat_session_new(s.pool, &d, 1, &ses, &err), RF_OK);
        for (uint64_t seed = 1; seed <= 3; seed++) {
            rf_cat_session_reset(ses, seed);
            size_t item;
            for (rf_cat_next(ses, &item); item != SIZE_MAX; rf_cat_next(ses, &item))
                cr_assert_eq(rf_cat_answer(ses, item, s.pool->irt[item].ncat - 1), RF_OK);
            struct rf_profile p;
            cr_assert_eq(rf_profile_init(&p, s.q.lo, s.q.hi, s.q.n, &err), RF_OK);
            cr_assert_eq(rf_roletest_profile(ses, &s.c.roles, &p, NULL, &err), RF_OK, "%s",
                         err.msg);
            cr_assert(p.model && p.model->role && strcmp(p.model->role, r->id) == 0,
                      "%s: the profile names the test's role in its prior", r->id);
            struct rf_role_close *cl;
            double none;
            cr_assert_eq(rf_closest_all(&p, &s.c.roles, &cl, &none, &err), RF_OK);
            cr_expect_lt(none, cl[0].prob, "%s: told no role", r->id);
            cr_expect(cl[0].role == r || rf_closest_bars_at_least(&p, &s.c.roles, cl[0].role, r),
                      "%s test, seed %llu: closest %s (%.3f), own %.3f", r->id,
                      (unsigned long long)seed, cl[0].role->id, cl[0].prob,
                      cl[0].role == r ? cl[0].prob : cl[1].prob);
            own += cl[0].role == r;
            n++;
            free(cl);
            rf_profile_cleanup(&p);
        }
        rf_cat_session_free(ses);
    }
    cr_log_info("all correct: own role closest in %zu of %zu role tests", own, n);
    sim_close(&s);
}

/* The bundled bank's simulation and its truth (a = 1, c = 1/k); find: for
 * find my role (the practice pool), else role tests (the operational pool). */
static void truth_open(struct sim *s, struct rf_rolesim_truth *t, int find)
{
    struct rf_err err;
    rf_err_clear(&err);
    sim_open(s, 0, find);
    cr_assert_eq(rf_rolesim_truth_init(t, s->pool, &s->bank, &err), RF_OK, "%s", err.msg);
}

/* One population study; fails the test on an error. */
static struct rf_rolesim_result pop_run(const struct sim *s, const struct rf_rolesim_truth *t,
                                        struct rf_rolesim_opts o)
{
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_rolesim_result r;
    cr_assert_eq(rf_rolesim_run(s->pool, t, &s->c.roles, &o, &r, &err), RF_OK, "%s", err.msg);
    return r;
}

/* Issue 13's targets on the bundled bank, every role's test in turn, seed 1,
 * fewer people than docs/careers.md's tables (2,400) so that it runs in
 * seconds: random responders' top role probability <= 0.30 and "no role"
 * said to nearly all (measured 0.018 and 99.4%); role candidates decisive
 * >= 25% with <= 10% wrong (70.7%, 7.4%) and closest = own >= 65% (93.4%);
 * N(0, 1) people <= 10% wrong (7.7%: 480 people's calls leave about one
 * point of noise); the 50/50 mix's Brier <= 0.17 (0.115). */
Test(role_sim, populations_meet_the_targets, .timeout = 120)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 0);
    struct rf_rolesim_result r[5];
    const enum rf_rolesim_pop pops[5] = {RF_ROLESIM_RANDOM, RF_ROLESIM_ROLE, RF_ROLESIM_REFERENCE,
                                         RF_ROLESIM_MIX, RF_ROLESIM_PERFECT};
    for (size_t k = 0; k < 5; k++) {
        struct rf_rolesim_opts o = {pops[k], NULL, 0, k == 0 ? 240 : 480, 1, 2, 0, 0, 0, 0, 0, 0, 0};
        r[k] = pop_run(&s, &t, o);
        cr_log_info("%s: decisive %.3f wrong %.3f Brier %.3f closest %.3f top %.3f no role %.3f",
                    rf_rolesim_pop_name(pops[k]), r[k].decisive, r[k].wrong, r[k].brier,
                    r[k].closest, r[k].top_prob, r[k].no_role_top);
    }
    cr_expect_leq(r[0].top_prob, 0.30, "random: top role probability %.3f", r[0].top_prob);
    cr_expect_geq(r[0].no_role_top, 0.90, "random: told no role %.3f", r[0].no_role_top);
    cr_expect_geq(r[1].decisive, 0.25, "role: decisive %.3f", r[1].decisive);
    cr_expect_leq(r[1].wrong, 0.10, "role: wrong %.3f", r[1].wrong);
    cr_expect_geq(r[1].closest, 0.65, "role: closest = own %.3f", r[1].closest);
    cr_expect_leq(r[2].wrong, 0.10, "reference: wrong %.3f", r[2].wrong);
    cr_expect_leq(r[3].brier, 0.17, "mix: Brier %.3f", r[3].brier);
    cr_expect_float_eq(r[4].closest + r[4].closest_higher, 1.0, 1e-12,
                       "perfect: own %.3f, higher %.3f", r[4].closest, r[4].closest_higher);
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}

/* Find my role's prior (docs/careers.md "Find my role's prior"): the
 * population at 0.7 and every role's people at 0.3 shared among the roles,
 * against the N(0, 1) prior it replaced, on the bundled bank, seed 1, 360
 * people per population (docs: 1,200). Role candidates' calls on their own
 * role: fewer wrong among the decisive ones (measured 37.6% -> 22.5% at
 * 1,200; asserted at least 8 points fewer), N(0, 1) people's still <= 10%
 * (8.8%), the mix's Brier lower (0.210 -> 0.185). The calls on the role the
 * report targets (the closest) are calibrated for the mix, whose make-up the
 * prior is closest to (calibration error 0.028 at 600; asserted <= 0.06).
 * Random responders still get "no role". */
Test(role_sim, find_my_role_prior, .timeout = 240)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 1);
    const enum rf_rolesim_pop pops[4] = {RF_ROLESIM_ROLE, RF_ROLESIM_REFERENCE, RF_ROLESIM_MIX,
                                         RF_ROLESIM_RANDOM};
    struct rf_rolesim_result r[2][4];
    for (int old = 0; old < 2; old++)
        for (size_t k = 0; k < (old ? 3u : 4u); k++) {
            struct rf_rolesim_opts o = {pops[k], NULL, 1, k == 3 ? 120 : 360, 1, 2, 0, old, 0, 0, 0, 0, 0};
            r[old][k] = pop_run(&s, &t, o);
            cr_log_info("find my role, %s prior, %s: first readings meets or below %.3f, wrong "
                        "%.3f, Brier %.3f; the report's target: wrong %.3f cal.err %.3f",
                        old ? "N(0, 1)" : "mixture", rf_rolesim_pop_name(pops[k]),
                        r[old][k].first_decisive, r[old][k].first_wrong, r[old][k].brier,
                        r[old][k].report.first_wrong, r[old][k].report.cal_error);
            cr_expect_gt(r[old][k].report.n, 0);
            /* find my role's calls are a first reading, never a verdict */
            cr_expect_eq(r[old][k].decisive, 0.0, "%s: decisive %.3f", rf_rolesim_pop_name(pops[k]),
                         r[old][k].decisive);
            cr_expect_float_eq(r[old][k].first, 1.0, 1e-12);
            cr_expect_eq(r[old][k].report.decisive, 0.0);
        }
    cr_expect_leq(r[0][0].first_wrong, r[1][0].first_wrong - 0.08,
                  "role: wrong %.3f, N(0, 1) prior %.3f", r[0][0].first_wrong, r[1][0].first_wrong);
    cr_expect_leq(r[0][1].first_wrong, 0.10, "reference: wrong %.3f", r[0][1].first_wrong);
    cr_expect_lt(r[0][2].brier, r[1][2].brier, "mix: Brier %.3f, N(0, 1) prior %.3f",
                 r[0][2].brier, r[1][2].brier);
    cr_expect_leq(r[0][2].report.cal_error, 0.06, "mix, the report's target: %.3f",
                  r[0][2].report.cal_error);
    cr_expect_geq(r[0][3].no_role_top, 0.90, "random: told no role %.3f", r[0][3].no_role_top);
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}

/* Find my role, then its confirm stage as the report offers it (at most
 * RF_CONFIRM_MAX_ITEMS items on the undecided requirements of the most
 * likely role; docs/careers.md "Confirm your role"), seed 1, bundled bank.
 * Measured at 480 people on 12 roles: role candidates' calls on the
 * confirmed role 11.4% -> 7.4% wrong, on their own role 22.5% -> 15.2%;
 * N(0, 1) people's own-role calls 8.7% -> 7.3%; 15 items on average. On the
 * 15 roles at 240: 7.7% -> 7.9% (decisive 22.3% -> 51.2%), 19.7% -> 13.9%,
 * 7.3%; random responders told "no role" 100%. Asserted with a margin
 * for 240 people: confirmed role <= 10% wrong, own role at least 4 points
 * better than the first test alone, N(0, 1) <= 10%, the stage between 5
 * and 20 items, the first test's figures untouched, random responders
 * still told "no role". */
Test(role_sim, find_my_role_confirm_stage, .timeout = 240)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 1);
    const enum rf_rolesim_pop pops[3] = {RF_ROLESIM_ROLE, RF_ROLESIM_REFERENCE, RF_ROLESIM_RANDOM};
    struct rf_rolesim_result r[3];
    for (size_t k = 0; k < 3; k++) {
        struct rf_rolesim_opts o = {pops[k], NULL, 1, k == 2 ? 60 : 240, 1, 2, 0, 0, 0, 0,
                                    RF_CONFIRM_MAX_ITEMS, RF_CONFIRM_ROLES, 0};
        r[k] = pop_run(&s, &t, o);
        const struct rf_rolesim_confirm *c = &r[k].confirm;
        cr_log_info("confirm, %s: %.1f items; own role wrong (P alone) %.3f -> %.3f, as a "
                    "verdict %.3f; confirmed role wrong %.3f (first reading) -> %.3f; told no "
                    "role %.3f",
                    rf_rolesim_pop_name(pops[k]), c->items, r[k].p_wrong, c->own.p_wrong,
                    c->own.wrong, c->report1.first_wrong, c->report.wrong, c->no_role_top);
        cr_expect(c->items >= 5 && c->items <= RF_CONFIRM_MAX_ITEMS, "%s: %.1f items",
                  rf_rolesim_pop_name(pops[k]), c->items);
        cr_expect_leq(c->items_max, RF_CONFIRM_MAX_ITEMS);
    }
    const struct rf_rolesim_confirm *role = &r[0].confirm;
    cr_expect_leq(role->report.wrong, 0.10, "role: confirmed role wrong %.3f", role->report.wrong);
    /* Decisive after the confirm test; a first reading (never decisive) before. */
    cr_expect_eq(role->report1.decisive, 0.0);
    cr_expect_gt(role->report.decisive, role->report1.first_decisive + 0.1,
                 "role: meets or below %.3f (first reading) -> decisive %.3f",
                 role->report1.first_decisive, role->report.decisive);
    /* The own role: a verdict only when it is the role confirmed, then as
     * sure as the confirmed role's; read with P alone (verdict or not), the
     * confirm test makes it better. */
    cr_expect_leq(role->own_same.wrong, 0.10, "role: own role confirmed, wrong %.3f",
                  role->own_same.wrong);
    cr_expect_eq(role->own_other.decisive, 0.0);
    cr_expect_leq(role->own.p_wrong, r[0].p_wrong - 0.04, "role: own role wrong %.3f -> %.3f",
                  r[0].p_wrong, role->own.p_wrong);
    cr_expect_leq(r[1].confirm.own.p_wrong, 0.10, "reference: wrong %.3f",
                  r[1].confirm.own.p_wrong);
    /* N(0, 1) people's verdicts on the role they confirmed: the requirement
     * nearest a decision goes first (0.080 here; 0.114 when the one nearest
     * 0.5 went first, 4 a skill). */
    cr_expect_leq(r[1].confirm.report.wrong, 0.10, "reference: confirmed role wrong %.3f",
                  r[1].confirm.report.wrong);
    cr_expect_geq(r[2].confirm.no_role_top, 0.90, "random: told no role %.3f",
                  r[2].confirm.no_role_top);
    /* The first test is the same with or without the stage after it. */
    struct rf_rolesim_opts o = {RF_ROLESIM_ROLE, NULL, 1, 240, 1, 2, 0, 0, 0, 0, 0, 0, 0};
    struct rf_rolesim_result r0 = pop_run(&s, &t, o);
    cr_expect(r0.first_wrong == r[0].first_wrong && r0.brier == r[0].brier &&
                  r0.closest == r[0].closest,
              "first test: %.4f/%.4f vs %.4f/%.4f", r0.first_wrong, r0.brier, r[0].first_wrong,
              r[0].brier);
    cr_expect_eq(r0.confirm.own.n, 0);
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}

/* A role the person names after find my role (docs/careers.md "A role the
 * person names"): its confirm test reads the answers with that role's
 * role-test prior. Role candidates who name their own role: the calls on it
 * were 17.1% wrong (Brier 0.193) under find my role's prior (1,200, seed 1;
 * 18.5% / 0.196 at this test's 240), 6.3% / 0.119 with the role's prior at
 * 240. Asserted with a margin: <= 10% wrong, Brier <= 0.15, decisive at
 * least 40%. People naming a role that is not theirs, as a role test's
 * N(0, 1) takers: <= 10% wrong (7.2% at 240); random responders naming a
 * role are still told "no role" and meet no bar they are called on
 * (wrong, i.e. "meets", <= 3%; 0.2% at 60). */
Test(role_sim, find_my_role_confirm_a_named_role, .timeout = 240)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 1);
    const enum rf_rolesim_pop pops[3] = {RF_ROLESIM_ROLE, RF_ROLESIM_REFERENCE, RF_ROLESIM_RANDOM};
    struct rf_rolesim_result r[3];
    for (size_t k = 0; k < 3; k++) {
        struct rf_rolesim_opts o = {pops[k], NULL, 1, k == 2 ? 60 : 240, 1, 2, 0, 0, 0, 0,
                                    RF_CONFIRM_MAX_ITEMS, 1, 2};
        r[k] = pop_run(&s, &t, o);
        const struct rf_rolesim_calls *c = &r[k].confirm.own;
        cr_log_info("named role, %s: decisive %.3f, wrong %.3f, Brier %.3f; told no role %.3f",
                    rf_rolesim_pop_name(pops[k]), c->decisive, c->wrong, c->brier,
                    r[k].confirm.no_role_top);
        /* everyone named the role their calls are read on: all verdicts */
        cr_expect_eq(c->first, 0.0, "%s: first readings %.3f", rf_rolesim_pop_name(pops[k]),
                     c->first);
    }
    const struct rf_rolesim_calls *own = &r[0].confirm.own;
    cr_expect_leq(own->wrong, 0.10, "role, own role named: wrong %.3f", own->wrong);
    cr_expect_leq(own->brier, 0.15, "role, own role named: Brier %.3f", own->brier);
    cr_expect_geq(own->decisive, 0.40, "role, own role named: decisive %.3f", own->decisive);
    cr_expect_leq(r[1].confirm.own.wrong, 0.10, "reference, a role named: wrong %.3f",
                  r[1].confirm.own.wrong);
    cr_expect_leq(r[2].confirm.own.wrong, 0.03, "random, a role named: wrong %.3f",
                  r[2].confirm.own.wrong);
    cr_expect_geq(r[2].confirm.no_role_top, 0.90, "random: told no role %.3f",
                  r[2].confirm.no_role_top);
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}

/* Calibration error of a table over the deciles from 0.1 up (the lowest
 * decile, most of the cases, would hide the rest): sum n_b |said - right| / sum n_b. */
static double cal_above_01(const struct rf_rolesim_bin *b)
{
    double e = 0, n = 0;
    for (size_t k = 1; k < RF_ROLESIM_BINS; k++) {
        e += (double)b[k].n * fabs(b[k].said - b[k].right);
        n += (double)b[k].n;
    }
    return n > 0 ? e / n : 0;
}

/* Role tests' closest-role probabilities mean what they say for the people
 * the test's prior describes (docs/careers.md "Closest-role probabilities on
 * role tests"): the takers (the test's role's people at weight 0.3, else
 * evenly a measured role's people or a random responder) get said = right
 * per decile (measured 0.035 over the deciles from 0.1 at 480 people; 0.01
 * to 0.03 at 2,400), and so do their P(meets) (0.027). Role candidates alone
 * are all the role's people, where the prior says 0.3 of them: their
 * probabilities are low (0.156; said 0.45, right 0.81). */
Test(role_sim, role_test_probabilities_are_calibrated_for_their_takers, .timeout = 120)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 0);
    const enum rf_rolesim_pop pops[2] = {RF_ROLESIM_TAKERS, RF_ROLESIM_ROLE};
    struct rf_rolesim_result r[2];
    for (size_t k = 0; k < 2; k++) {
        struct rf_rolesim_opts o = {pops[k], NULL, 0, 480, 1, 2, 0, 0, 0, 0, 0, 0, 0};
        r[k] = pop_run(&s, &t, o);
        cr_log_info("%s: closest-role calibration error above 0.1 %.3f, P(meets) %.3f",
                    rf_rolesim_pop_name(pops[k]), cal_above_01(r[k].roles), r[k].cal_error);
    }
    cr_expect_leq(cal_above_01(r[0].roles), 0.06, "takers: %.3f", cal_above_01(r[0].roles));
    cr_expect_leq(r[0].cal_error, 0.05, "takers, P(meets): %.3f", r[0].cal_error);
    cr_expect_gt(r[0].no_role_top, 0.03, "takers include random responders: %.3f",
                 r[0].no_role_top);
    cr_expect_geq(cal_above_01(r[1].roles), 0.10, "role candidates: %.3f",
                  cal_above_01(r[1].roles));
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}

/* The ML engineer test measures ten skills in at most 40 items, so its calls
 * lean on the prior more than any other role's: with P(meets) alone, N(0, 1)
 * people's decisive calls were wrong 10.8-11.3% of the time (seeds 1-4,
 * 1,200 people, operational pool), because the prior's assumed loadings
 * (0.7) read their independent skills as correlated. A call is made only
 * when the reading with the loadings at 0 makes it too (careers/fit.h):
 * 8.9-9.1% at 1,200. Here 480 people, seed 1 (measured: 9.1%, P alone
 * 10.5%); role candidates keep most of their calls (measured 60.4%
 * decisive, 7.0% wrong; P alone 68.0%, 7.8%). */
Test(role_sim, ml_engineer_calls_do_not_rest_on_assumed_loadings, .timeout = 120)
{
    struct sim s;
    struct rf_rolesim_truth t;
    truth_open(&s, &t, 0);
    const struct rf_role *mle = rf_roles_find(&s.c.roles, "ml_engineer");
    cr_assert_not_null(mle);
    const enum rf_rolesim_pop pops[2] = {RF_ROLESIM_REFERENCE, RF_ROLESIM_ROLE};
    struct rf_rolesim_result r[2];
    for (size_t k = 0; k < 2; k++) {
        struct rf_rolesim_opts o = {pops[k], mle, 0, 480, 1, 2, 0, 0, 0, 0, 0, 0, 0};
        r[k] = pop_run(&s, &t, o);
        cr_log_info("ml_engineer, %s: calls decisive %.3f wrong %.3f; P alone %.3f / %.3f",
                    rf_rolesim_pop_name(pops[k]), r[k].decisive, r[k].wrong, r[k].p_decisive,
                    r[k].p_wrong);
    }
    cr_expect_leq(r[0].wrong, 0.10, "reference: wrong %.3f", r[0].wrong);
    cr_expect_lt(r[0].wrong, r[0].p_wrong, "reference: calls %.3f, P alone %.3f",
                 r[0].wrong, r[0].p_wrong);
    cr_expect_leq(r[0].decisive, r[0].p_decisive, "a call needs both readings");
    cr_expect_geq(r[1].decisive, 0.45, "role: decisive %.3f", r[1].decisive);
    cr_expect_leq(r[1].wrong, 0.10, "role: wrong %.3f", r[1].wrong);
    /* The verdicts by call (docs/careers.md "Calls by kind of taker"): they
     * add up to the decisive ones, and their wrong shares to the wrong
     * ones; a "meets" is wrong no more often than it says, give or take
     * noise (measured: N(0, 1) 12.0% said 11.3%, role candidates 6.1% said
     * 11.4%). Role candidates' few "below" calls are wrong far more often
     * than they say (42 calls, 79% wrong, said 12.5%): not asserted, the
     * known weakness that section measures. */
    for (size_t k = 0; k < 2; k++) {
        const struct rf_rolesim_by_call *m = &r[k].by_meets, *b = &r[k].by_below;
        cr_log_info(
            "ml_engineer, %s: meets %zu wrong %.3f said %.3f; below %zu wrong %.3f said %.3f",
            rf_rolesim_pop_name(pops[k]), m->n, m->wrong, m->stated, b->n, b->wrong, b->stated);
        double n = (double)(m->n + b->n);
        cr_expect_float_eq(n, r[k].decisive * (double)r[k].ncalls, 1e-6, "%s: %zu + %zu calls",
                           rf_rolesim_pop_name(pops[k]), m->n, b->n);
        cr_expect_float_eq(((double)m->n * m->wrong + (double)b->n * b->wrong) / n, r[k].wrong,
                           1e-9, "%s: wrong by call", rf_rolesim_pop_name(pops[k]));
        cr_expect_leq(m->wrong, m->stated + 0.03, "%s: meets wrong %.3f, said %.3f",
                      rf_rolesim_pop_name(pops[k]), m->wrong, m->stated);
        cr_expect(m->stated > 0.02 && m->stated < 0.2, "%s: meets said %.3f",
                  rf_rolesim_pop_name(pops[k]), m->stated);
    }
    rf_rolesim_truth_cleanup(&t);
    sim_close(&s);
}
