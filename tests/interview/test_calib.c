/* Calibration of criteria and interviewer severities (interview/calib.h):
 * parameters and severities are recovered from simulated scorecards (seeded;
 * tolerances several times the estimates' own standard errors), the
 * standard errors cover the truth, known criteria give severities without
 * centring, other evidence (a test) enters the E-step, and bad input is
 * refused naming the rating and field. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "interview/calib.h"
#include "irt/quad.h"

#define NP 400 /* persons */
#define NR 8   /* raters */
#define NC 6   /* criteria: 3 on skill 0, 3 on skill 1 */
#define NSLOT 2

static const double true_sev[NR] = {-0.7, -0.4, -0.1, 0.0, 0.15, 0.3, 0.5, 0.6};

static void true_crit(struct rf_iv_crit *c)
{
    for (size_t j = 0; j < NC; j++) {
        double a = 1.0 + 0.2 * (double)j, m = -0.4 + 0.15 * (double)j;
        double thr[] = {m - 1.3, m, m + 1.2};
        c[j].skill = j / 3;
        c[j].rubric = 0;
        rf_irt_item_grm(&c[j].it, a, thr, 4);
    }
}

static size_t draw(const struct rf_iv_crit *c, double th, double sev, struct rf_rng *r)
{
    double u = rf_rng_uniform(r), acc = 0;
    for (size_t k = 0; k + 1 < c->it.ncat; k++)
        if (u < (acc += rf_iv_prob(c, th, sev, k)))
            return k;
    return c->it.ncat - 1;
}

/* Every person: NSLOT slots, two different raters each, all criteria. */
static size_t simulate(const struct rf_iv_crit *c, struct rf_iv_rating *r, double *theta,
                       uint64_t seed)
{
    struct rf_rng g;
    rf_rng_seed(&g, seed);
    size_t n = 0;
    for (size_t p = 0; p < NP; p++) {
        theta[2 * p] = rf_rng_normal(&g);
        theta[2 * p + 1] = rf_rng_normal(&g);
        for (size_t s = 0; s < NSLOT; s++) {
            size_t r1 = (size_t)rf_rng_below(&g, NR), r2 = (size_t)rf_rng_below(&g, NR - 1);
            r2 += r2 >= r1;
            for (size_t j = 0; j < NC; j++)
                for (int w = 0; w < 2; w++) {
                    size_t rr = w ? r2 : r1;
                    r[n++] = (struct rf_iv_rating){
                        p, s, j, rr, draw(&c[j], theta[2 * p + c[j].skill], true_sev[rr], &g), 0};
                }
        }
    }
    return n;
}

static struct rf_iv_rating ratings[NP * NSLOT * NC * 2];
static double theta[NP * 2];

static void start_values(struct rf_iv_crit *s)
{
    double thr[] = {-1.2, 0, 1.2};
    true_crit(s);
    for (size_t j = 0; j < NC; j++)
        rf_irt_item_grm(&s[j].it, 1.2, thr, 4);
}

Test(calib, criteria_and_severities_are_recovered_with_honest_errors)
{
    struct rf_iv_crit tc[NC], st[NC];
    true_crit(tc);
    start_values(st);
    size_t n = simulate(tc, ratings, theta, 17);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_iv_data d = {
        .npersons = NP, .nraters = NR, .nskills = 2, .r = ratings, .n = n, .q = &q};
    struct rf_iv_calib_opts o;
    rf_iv_calib_opts_init(&o);
    struct rf_iv_calib c;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c, &err), RF_OK, "%s", err.msg);
    cr_assert(c.converged, "not converged after %zu cycles", c.iter);
    double mt = 0, ms = 0, sse = 0;
    for (size_t r = 0; r < NR; r++) {
        mt += true_sev[r] / NR;
        ms += c.sev[r] / NR;
    }
    cr_assert(fabs(ms) < 1e-9, "severities are centred: mean %g", ms);
    for (size_t r = 0; r < NR; r++) {
        double e = c.sev[r] - (true_sev[r] - mt);
        sse += e * e;
        cr_assert(c.sev_se[r] > 0.01 && c.sev_se[r] < 0.2, "rater %zu: SE %g", r, c.sev_se[r]);
        /* 3.3 SE: a miss has chance ~1e-3 per rater under a correct SE */
        cr_assert(fabs(e) < 3.3 * c.sev_se[r], "rater %zu: %g vs %g, SE %g", r, c.sev[r],
                  true_sev[r] - mt, c.sev_se[r]);
        cr_assert_eq(c.sev_n[r] > 0, 1);
    }
    double rmse = sqrt(sse / NR);
    cr_assert(rmse < 0.12, "severity RMSE %g", rmse);
    for (size_t j = 0; j < NC; j++) {
        /* 1,600 ratings a criterion: slope SE about 0.07, threshold SE about 0.06 */
        cr_assert(fabs(c.crit[j].it.a - tc[j].it.a) < 0.3, "criterion %zu: a %g vs %g", j,
                  c.crit[j].it.a, tc[j].it.a);
        for (size_t k = 0; k < 3; k++)
            cr_assert(fabs(c.crit[j].it.thr[k] - (tc[j].it.thr[k] + mt)) < 0.3,
                      "criterion %zu: b%zu %g vs %g", j, k + 1, c.crit[j].it.thr[k],
                      tc[j].it.thr[k] + mt);
        cr_assert(c.crit_se[j * RF_MAX_CATEGORIES] > 0 && c.crit_se[j * RF_MAX_CATEGORIES] < 0.2);
        cr_assert_eq(c.crit_n[j], NP * NSLOT * 2);
    }
    rf_iv_calib_cleanup(&c);
    rf_quad_cleanup(&q);
}

Test(calib, known_criteria_give_severities_on_their_own_scale)
{
    struct rf_iv_crit tc[NC];
    true_crit(tc);
    size_t n = simulate(tc, ratings, theta, 5);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_iv_data d = {
        .npersons = NP, .nraters = NR, .nskills = 2, .r = ratings, .n = n, .q = &q};
    struct rf_iv_calib_opts o;
    rf_iv_calib_opts_init(&o);
    o.fix_items = 1;
    struct rf_iv_calib c;
    cr_assert_eq(rf_iv_calibrate(tc, NC, &d, &o, &c, &err), RF_OK, "%s", err.msg);
    for (size_t r = 0; r < NR; r++) /* not centred: the true values themselves */
        cr_assert(fabs(c.sev[r] - true_sev[r]) < 3.3 * c.sev_se[r], "rater %zu: %g vs %g (SE %g)",
                  r, c.sev[r], true_sev[r], c.sev_se[r]);
    for (size_t j = 0; j < NC; j++) {
        cr_assert_eq(c.crit[j].it.a, tc[j].it.a);
        cr_assert(isnan(c.crit_se[j * RF_MAX_CATEGORIES]));
    }
    rf_iv_calib_cleanup(&c);
    rf_quad_cleanup(&q);
}

Test(calib, other_evidence_sharpens_the_e_step)
{
    /* With each person's true skill nearly known (a sharp log-likelihood
     * around it, as a long test would give), the severities come out closer
     * to the truth than from the scorecards alone. */
    struct rf_iv_crit tc[NC], st[NC];
    true_crit(tc);
    start_values(st);
    size_t n = simulate(tc, ratings, theta, 23);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    double *ll = malloc(sizeof *ll * NP * 2 * q.n);
    cr_assert(ll);
    for (size_t p = 0; p < NP * 2; p++)
        for (size_t k = 0; k < q.n; k++)
            ll[p * q.n + k] = -0.5 * pow((q.x[k] - theta[p]) / 0.2, 2);
    struct rf_iv_data d = {
        .npersons = NP, .nraters = NR, .nskills = 2, .r = ratings, .n = n, .q = &q};
    struct rf_iv_calib_opts o;
    rf_iv_calib_opts_init(&o);
    struct rf_iv_calib c0, c1;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c0, &err), RF_OK, "%s", err.msg);
    d.prior_ll = ll;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c1, &err), RF_OK, "%s", err.msg);
    double mse0 = 0, mse1 = 0, se0 = 0, se1 = 0;
    for (size_t r = 0; r < NR; r++) {
        se0 += c0.sev_se[r];
        se1 += c1.sev_se[r];
    }
    cr_assert(se1 < se0, "SE with the test %g, without %g", se1 / NR, se0 / NR);
    for (size_t j = 0; j < NC; j++) {
        mse0 += pow(c0.crit[j].it.a - tc[j].it.a, 2);
        mse1 += pow(c1.crit[j].it.a - tc[j].it.a, 2);
    }
    cr_assert(mse1 < 0.05 * NC, "slope MSE with the test %g", mse1 / NC);
    (void)mse0;
    free(ll);
    rf_iv_calib_cleanup(&c0);
    rf_iv_calib_cleanup(&c1);
    rf_quad_cleanup(&q);
}

Test(calib, bad_input_is_refused_naming_the_rating)
{
    struct rf_iv_crit tc[NC];
    true_crit(tc);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_iv_rating r[] = {{0, 0, 0, 0, 1, 0}, {3, 0, 1, 1, 2, 0}};
    struct rf_iv_data d = {.npersons = 2, .nraters = 2, .nskills = 2, .r = r, .n = 2, .q = &q};
    struct rf_iv_calib_opts o;
    rf_iv_calib_opts_init(&o);
    struct rf_iv_calib c;
    cr_assert_eq(rf_iv_calibrate(tc, NC, &d, &o, &c, &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, "ratings[1]: field 'person': 3 is not one of 2");
    r[1].person = 1;
    r[1].score = 7;
    cr_assert_eq(rf_iv_calibrate(tc, NC, &d, &o, &c, &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, "ratings[1]: field 'score': 7 is outside 0..3");
    d.nskills = 1; /* criteria 3..5 measure skill 1 */
    r[1].score = 0;
    cr_assert_eq(rf_iv_calibrate(tc, NC, &d, &o, &c, &err), RF_EINVAL);
    rf_quad_cleanup(&q);
}

/* The server's calibration (calib.h prior_at_start, RF_IV_ORG_PRIOR_*):
 * the criteria's priors sit on the kits' defaults, nothing is centred, and
 * every rating carries its role's bar (rater.h). Persons of odd index are
 * interviewed for a role that needs skill 0 one level higher (bar 1). */
static size_t simulate_bars(const struct rf_iv_crit *c, struct rf_iv_rating *r, double *th,
                            size_t np, uint64_t seed)
{
    struct rf_rng g;
    rf_rng_seed(&g, seed);
    size_t n = 0;
    for (size_t p = 0; p < np; p++) {
        th[2 * p] = rf_rng_normal(&g);
        th[2 * p + 1] = rf_rng_normal(&g);
        for (size_t s = 0; s < NSLOT; s++) {
            size_t r1 = (size_t)rf_rng_below(&g, NR), r2 = (size_t)rf_rng_below(&g, NR - 1);
            r2 += r2 >= r1;
            for (size_t j = 0; j < NC; j++)
                for (int w = 0; w < 2; w++) {
                    size_t rr = w ? r2 : r1;
                    double bar = (p % 2 && c[j].skill == 0) ? 1.0 : 0.0;
                    r[n++] = (struct rf_iv_rating){
                        p, s, j, rr, draw(&c[j], th[2 * p + c[j].skill], true_sev[rr] + bar, &g),
                        bar};
                }
        }
    }
    return n;
}

/* The kits' defaults on the bundled cuts (rater.h): slope 1.2, -1, 0, 1. */
static void kit_defaults(struct rf_iv_crit *s)
{
    double thr[] = {-1, 0, 1};
    true_crit(s);
    for (size_t j = 0; j < NC; j++)
        rf_irt_item_grm(&s[j].it, RF_IV_DEFAULT_A, thr, 4);
}

static double crit_rmse(const struct rf_iv_crit *e, const struct rf_iv_crit *t, int slope)
{
    double s = 0;
    for (size_t j = 0; j < NC; j++)
        if (slope)
            s += pow(e[j].it.a - t[j].it.a, 2) / NC;
        else
            for (size_t k = 0; k < 3; k++)
                s += pow(e[j].it.thr[k] - t[j].it.thr[k], 2) / (3 * NC);
    return sqrt(s);
}

Test(calib, the_servers_calibration_recovers_criteria_from_the_kit_defaults)
{
    struct rf_iv_crit tc[NC], st[NC];
    true_crit(tc);
    kit_defaults(st);
    size_t n = simulate_bars(tc, ratings, theta, NP / 4, 31);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_iv_data d = {
        .npersons = NP / 4, .nraters = NR, .nskills = 2, .r = ratings, .n = n, .q = &q};
    struct rf_iv_calib_opts o;
    rf_iv_calib_opts_init(&o);
    o.prior_at_start = 1;
    o.prior_a_sd = RF_IV_ORG_PRIOR_A_SD;
    o.prior_b_sd = RF_IV_ORG_PRIOR_B_SD;
    struct rf_iv_calib c;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c, &err), RF_OK, "%s", err.msg);
    cr_assert(c.converged, "not converged after %zu cycles", c.iter);
    /* 400 ratings a criterion: the data outweigh the priors. Not centred:
     * the scale is the persons' N(0, 1) (their sample mean here is within
     * about 0.05 of 0), so the truth is compared as it is. */
    double e_sev = 0, start_a = crit_rmse(st, tc, 1), start_b = crit_rmse(st, tc, 0);
    for (size_t r = 0; r < NR; r++)
        e_sev += pow(c.sev[r] - true_sev[r], 2) / NR;
    double ra = crit_rmse(c.crit, tc, 1), rb = crit_rmse(c.crit, tc, 0);
    cr_log_info("400 ratings a criterion: slope RMSE %.3f (defaults %.3f), threshold RMSE "
                "%.3f (defaults %.3f), severity RMSE %.3f, %zu cycles",
                ra, start_a, rb, start_b, sqrt(e_sev), c.iter);
    cr_assert(sqrt(e_sev) < 0.15, "severity RMSE %g", sqrt(e_sev));
    cr_assert(ra < 0.2 && ra < 0.5 * start_a, "slope RMSE %g (defaults %g)", ra, start_a);
    cr_assert(rb < 0.2 && rb < 0.5 * start_b, "threshold RMSE %g (defaults %g)", rb, start_b);
    for (size_t j = 0; j < NC; j++)
        cr_assert(c.crit_se[j * RF_MAX_CATEGORIES] > 0 && c.crit_se[j * RF_MAX_CATEGORIES] < 0.25);
    /* The same ratings read without their bars: skill 0's criteria take part
     * of the bar of half the persons into their thresholds (seed 31: their
     * middle thresholds 0.20 off the truth, 0.02 with the bars; the persons'
     * posteriors take the rest). */
    for (size_t i = 0; i < n; i++)
        ratings[i].bar = 0;
    struct rf_iv_calib c0;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c0, &err), RF_OK, "%s", err.msg);
    double shift = 0, shift0 = 0;
    for (size_t j = 0; j < NC; j++)
        if (tc[j].skill == 0) {
            shift += (c.crit[j].it.thr[1] - tc[j].it.thr[1]) / 3;
            shift0 += (c0.crit[j].it.thr[1] - tc[j].it.thr[1]) / 3;
        }
    cr_log_info("skill 0's middle thresholds off the truth by %.3f with the bars, %.3f without",
                shift, shift0);
    cr_assert(fabs(shift) < 0.1 && shift0 > 0.12, "with bars %g, without %g", shift, shift0);
    rf_iv_calib_cleanup(&c0);
    rf_iv_calib_cleanup(&c);
    rf_quad_cleanup(&q);
}

Test(calib, a_few_scorecards_move_the_kit_defaults_little)
{
    /* 6 persons: 24 ratings a criterion. The priors at the defaults keep
     * every criterion nearer them than the weak priors of the study do. */
    struct rf_iv_crit tc[NC], st[NC];
    true_crit(tc);
    kit_defaults(st);
    size_t n = simulate_bars(tc, ratings, theta, 6, 7);
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_iv_data d = {
        .npersons = 6, .nraters = NR, .nskills = 2, .r = ratings, .n = n, .q = &q};
    struct rf_iv_calib_opts o, weak;
    rf_iv_calib_opts_init(&o);
    rf_iv_calib_opts_init(&weak);
    o.prior_at_start = 1;
    o.prior_a_sd = RF_IV_ORG_PRIOR_A_SD;
    o.prior_b_sd = RF_IV_ORG_PRIOR_B_SD;
    struct rf_iv_calib c, cw;
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &o, &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_iv_calibrate(st, NC, &d, &weak, &cw, &err), RF_OK, "%s", err.msg);
    double moved = 0, moved_weak = 0;
    for (size_t j = 0; j < NC; j++) {
        cr_assert_eq(c.crit_n[j], 24);
        moved = fmax(moved, fabs(c.crit[j].it.a - st[j].it.a));
        moved_weak = fmax(moved_weak, fabs(cw.crit[j].it.a - st[j].it.a));
        for (size_t k = 0; k < 3; k++) {
            double m = fabs(c.crit[j].it.thr[k] - st[j].it.thr[k]);
            moved = fmax(moved, m);
            moved_weak = fmax(moved_weak, fabs(cw.crit[j].it.thr[k] - st[j].it.thr[k]));
        }
    }
    cr_log_info("24 ratings a criterion: largest move %.3f (weak priors: %.3f)", moved,
                moved_weak);
    cr_assert(moved < 0.5 * moved_weak && moved < 2 * RF_IV_ORG_PRIOR_B_SD,
              "moved %g, with weak priors %g", moved, moved_weak);
    rf_iv_calib_cleanup(&c);
    rf_iv_calib_cleanup(&cw);
    rf_quad_cleanup(&q);
}
