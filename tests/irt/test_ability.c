/* Ability estimation: EAP against brute-force integration, MLE/MAP/WLE against
 * closed forms and their estimating equations, extreme and missing patterns. */
#include <criterion/criterion.h>
#include <math.h>

#include "base/rng.h"
#include "irt/ability.h"

#define NI 12
static struct rf_irt_item mixed[NI];
static struct rf_quad q61;

static void setup(void)
{
    struct rf_rng r;
    rf_rng_seed(&r, 7);
    for (int i = 0; i < NI; i++) {
        double a = 0.6 + 1.4 * rf_rng_uniform(&r), b = -2 + 4 * rf_rng_uniform(&r);
        if (i % 4 == 0) {
            double t[3] = {b - 1, b, b + 0.8};
            rf_irt_item_grm(&mixed[i], a, t, 4);
        } else if (i % 4 == 1) {
            rf_irt_item_dich(&mixed[i], RF_MODEL_3PL, a, b, 0.2);
        } else {
            rf_irt_item_dich(&mixed[i], RF_MODEL_2PL, a, b, 0);
        }
    }
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q61, &err), RF_OK);
}

static void teardown(void)
{
    rf_quad_cleanup(&q61);
}

TestSuite(ability, .init = setup, .fini = teardown);

/* Posterior mean and SD by Simpson's rule on [-10, 10] with 20,000 panels. */
static void brute_eap(const struct rf_irt_item *it, size_t n, const int *resp, double *mean,
                      double *sd)
{
    const int N = 20000;
    double h = 20.0 / N, z0 = 0, z1 = 0, z2 = 0;
    for (int k = 0; k <= N; k++) {
        double t = -10 + h * k;
        double lw = -0.5 * t * t;
        for (size_t i = 0; i < n; i++)
            if (resp[i] >= 0)
                lw += rf_irt_logprob(&it[i], t, (size_t)resp[i]);
        double w = exp(lw) * ((k == 0 || k == N) ? 1 : (k % 2) ? 4 : 2);
        z0 += w;
        z1 += w * t;
        z2 += w * t * t;
    }
    *mean = z1 / z0;
    *sd = sqrt(z2 / z0 - *mean * *mean);
}

Test(ability, eap_matches_brute_force_integration)
{
    struct rf_quad fine;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_even(&fine, 401, -10, 10, 0, 1, &err), RF_OK);
    struct rf_scorer *s61, *sfine;
    cr_assert_eq(rf_scorer_new(mixed, NI, &q61, &s61, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_scorer_new(mixed, NI, &fine, &sfine, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 99);
    for (int rep = 0; rep < 20; rep++) {
        int resp[NI];
        for (int i = 0; i < NI; i++) {
            int u = (int)rf_rng_below(&r, 5);
            resp[i] = u == 4 ? RF_MISSING : u % (int)mixed[i].ncat;
        }
        double m, sd;
        brute_eap(mixed, NI, resp, &m, &sd);
        struct rf_ability a;
        cr_assert_eq(rf_scorer_estimate(sfine, resp, RF_EST_EAP, &a, &err), RF_OK);
        cr_assert(fabs(a.theta - m) < 1e-8, "rep %d fine: eap %.10f brute %.10f", rep, a.theta, m);
        cr_assert(fabs(a.se - sd) < 1e-8, "rep %d fine: sd %.10f brute %.10f", rep, a.se, sd);
        cr_assert_eq(rf_scorer_estimate(s61, resp, RF_EST_EAP, &a, &err), RF_OK);
        cr_assert(fabs(a.theta - m) < 2e-3, "rep %d 61: eap %.6f brute %.6f", rep, a.theta, m);
        cr_assert(fabs(a.se - sd) < 2e-3, "rep %d 61: sd %.6f brute %.6f", rep, a.se, sd);
    }
    rf_scorer_free(s61);
    rf_scorer_free(sfine);
    rf_quad_cleanup(&fine);
}

Test(ability, rasch_mle_closed_form)
{
    /* n Rasch items at b = 0 with r correct: theta = log(r/(n-r)), SE = 1/sqrt(n p q). */
    struct rf_irt_item it[10];
    for (int i = 0; i < 10; i++)
        rf_irt_item_dich(&it[i], RF_MODEL_1PL, 1.0, 0.0, 0);
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(it, 10, &q61, &s, &err), RF_OK);
    for (int r = 1; r < 10; r++) {
        int resp[10];
        for (int i = 0; i < 10; i++)
            resp[i] = i < r;
        struct rf_ability a;
        cr_assert_eq(rf_scorer_estimate(s, resp, RF_EST_MLE, &a, &err), RF_OK, "%s", err.msg);
        double p = r / 10.0;
        cr_assert_float_eq(a.theta, log(p / (1 - p)), 1e-7, "r=%d theta=%.9f", r, a.theta);
        cr_assert_float_eq(a.se, 1 / sqrt(10 * p * (1 - p)), 1e-7);
        cr_assert_eq(a.n, 10);
    }
    rf_scorer_free(s);
}

Test(ability, symmetric_patterns_give_opposite_estimates)
{
    /* 2PL items symmetric about 0; the complement pattern mirrors every estimate. */
    struct rf_irt_item it[8];
    double b[4] = {-1.5, -0.7, -0.2, 0.4};
    double a[4] = {0.8, 1.2, 1.9, 1.1};
    for (int i = 0; i < 4; i++) {
        rf_irt_item_dich(&it[2 * i], RF_MODEL_2PL, a[i], b[i], 0);
        rf_irt_item_dich(&it[2 * i + 1], RF_MODEL_2PL, a[i], -b[i], 0);
    }
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(it, 8, &q61, &s, &err), RF_OK);
    int p1[8] = {1, 0, 1, 1, 0, 0, 1, RF_MISSING};
    int p2[8] = {0, 1, 0, 0, 1, 1, 0, RF_MISSING};
    /* mirror: item 2i <-> 2i+1 have opposite b; complement and swap */
    int m1[8], m2[8];
    for (int i = 0; i < 8; i++) {
        m1[i] = p1[i];
        m2[i ^ 1] = p1[i] == RF_MISSING ? RF_MISSING : 1 - p1[i];
    }
    (void)p2;
    for (int m = RF_EST_EAP; m <= RF_EST_WLE; m++) {
        struct rf_ability x, y;
        cr_assert_eq(rf_scorer_estimate(s, m1, (enum rf_method)m, &x, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_scorer_estimate(s, m2, (enum rf_method)m, &y, &err), RF_OK, "%s", err.msg);
        cr_assert_float_eq(x.theta, -y.theta, 1e-7, "%s: %.9f vs %.9f",
                           rf_irt_method_name((enum rf_method)m), x.theta, y.theta);
        cr_assert_float_eq(x.se, y.se, 1e-7);
    }
    rf_scorer_free(s);
}

Test(ability, extreme_patterns)
{
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(mixed, NI, &q61, &s, &err), RF_OK);
    int top[NI], bottom[NI], none[NI];
    for (int i = 0; i < NI; i++) {
        top[i] = (int)mixed[i].ncat - 1;
        bottom[i] = 0;
        none[i] = RF_MISSING;
    }
    struct rf_ability a;
    cr_assert_eq(rf_scorer_estimate(s, top, RF_EST_MLE, &a, &err), RF_ERANGE);
    cr_assert(strstr(err.msg, "no finite estimate"), "%s", err.msg);
    cr_assert_eq(rf_scorer_estimate(s, bottom, RF_EST_MLE, &a, &err), RF_ERANGE);
    cr_assert_eq(rf_scorer_estimate(s, none, RF_EST_MLE, &a, &err), RF_ERANGE);
    cr_assert_eq(rf_scorer_estimate(s, top, RF_EST_EAP, &a, &err), RF_OK);
    cr_assert(isfinite(a.theta) && a.theta > 1 && a.se > 0 && a.se < 1, "eap %g se %g", a.theta,
              a.se);
    cr_assert_eq(rf_scorer_estimate(s, top, RF_EST_MAP, &a, &err), RF_OK);
    cr_assert(isfinite(a.theta) && a.theta > 1);
    cr_assert_eq(rf_scorer_estimate(s, bottom, RF_EST_EAP, &a, &err), RF_OK);
    cr_assert(isfinite(a.theta) && a.theta < -1);
    /* no responses: the prior */
    cr_assert_eq(rf_scorer_estimate(s, none, RF_EST_EAP, &a, &err), RF_OK);
    cr_assert(fabs(a.theta) < 1e-12 && fabs(a.se - 1) < 1e-6 && a.n == 0);
    cr_assert_eq(rf_scorer_estimate(s, none, RF_EST_MAP, &a, &err), RF_OK);
    /* out-of-range category */
    int badr[NI];
    for (int i = 0; i < NI; i++)
        badr[i] = 0;
    badr[3] = 2; /* item 4 is 3PL: categories 0..1 */
    cr_assert_eq(rf_scorer_estimate(s, badr, RF_EST_EAP, &a, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "item 4"), "%s", err.msg);
    rf_scorer_free(s);
}

Test(ability, wle_is_finite_for_perfect_rasch_scores_and_solves_warm)
{
    struct rf_irt_item it[10];
    for (int i = 0; i < 10; i++)
        rf_irt_item_dich(&it[i], RF_MODEL_2PL, 1.0 + 0.1 * i, -1.0 + 0.2 * i, 0);
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(it, 10, &q61, &s, &err), RF_OK);
    for (int r = 0; r <= 10; r++) {
        int resp[10];
        for (int i = 0; i < 10; i++)
            resp[i] = i < r;
        struct rf_ability w;
        cr_assert_eq(rf_scorer_estimate(s, resp, RF_EST_WLE, &w, &err), RF_OK, "r=%d %s", r,
                     err.msg);
        double S = 0, I = 0, J = 0;
        for (int i = 0; i < 10; i++) {
            double d1, d2;
            rf_irt_dlogprob_theta(&it[i], w.theta, (size_t)resp[i], &d1, &d2);
            S += d1;
            I += rf_irt_info(&it[i], w.theta);
            J += rf_irt_warm_j(&it[i], w.theta);
        }
        cr_assert(fabs(S + J / (2 * I)) < 1e-6, "r=%d residual %g", r, S + J / (2 * I));
    }
    rf_scorer_free(s);
    /* Rasch items at b = 0: Warm's correction pulls every MLE toward 0, and the
     * WLE of r correct mirrors that of n - r. */
    struct rf_irt_item ra[10];
    for (int i = 0; i < 10; i++)
        rf_irt_item_dich(&ra[i], RF_MODEL_1PL, 1.0, 0.0, 0);
    cr_assert_eq(rf_scorer_new(ra, 10, &q61, &s, &err), RF_OK);
    for (int r = 1; r < 10; r++) {
        int resp[10], comp[10];
        for (int i = 0; i < 10; i++) {
            resp[i] = i < r;
            comp[i] = 1 - resp[i];
        }
        struct rf_ability w, m, wc;
        cr_assert_eq(rf_scorer_estimate(s, resp, RF_EST_WLE, &w, &err), RF_OK);
        cr_assert_eq(rf_scorer_estimate(s, comp, RF_EST_WLE, &wc, &err), RF_OK);
        cr_assert_eq(rf_scorer_estimate(s, resp, RF_EST_MLE, &m, &err), RF_OK);
        cr_assert_float_eq(w.theta, -wc.theta, 1e-7);
        if (r != 5)
            cr_assert(fabs(w.theta) < fabs(m.theta), "r=%d wle %g mle %g", r, w.theta, m.theta);
        else
            cr_assert(fabs(w.theta) < 1e-7);
    }
    rf_scorer_free(s);
}

Test(ability, mle_and_map_match_a_fine_grid_search)
{
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(mixed, NI, &q61, &s, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 5);
    int checked = 0;
    for (int rep = 0; rep < 30; rep++) {
        int resp[NI];
        for (int i = 0; i < NI; i++)
            resp[i] = (int)rf_rng_below(&r, mixed[i].ncat);
        for (int m = RF_EST_MAP; m <= RF_EST_MLE; m++) {
            struct rf_ability a;
            rf_status rc = rf_scorer_estimate(s, resp, (enum rf_method)m, &a, &err);
            if (rc == RF_ERANGE)
                continue;
            cr_assert_eq(rc, RF_OK, "%s", err.msg);
            /* coarse scan of the whole range, then a fine one around the best point */
            double best = -HUGE_VAL, bt = 0, lo = -9.5, hi = 9.5;
            for (double step = 1e-2; step >= 1e-5; step /= 10) {
                for (double t = lo; t <= hi; t += step) {
                    double l = m == RF_EST_MAP ? -0.5 * t * t : 0;
                    for (int i = 0; i < NI; i++)
                        l += rf_irt_logprob(&mixed[i], t, (size_t)resp[i]);
                    if (l > best) {
                        best = l;
                        bt = t;
                    }
                }
                lo = bt - 20 * step;
                hi = bt + 20 * step;
            }
            cr_assert(fabs(a.theta - bt) < 2e-4, "rep %d %s: %.6f vs grid %.6f", rep,
                      rf_irt_method_name((enum rf_method)m), a.theta, bt);
            checked++;
        }
    }
    cr_assert(checked > 40);
    rf_scorer_free(s);
}

Test(ability, missing_items_are_ignored)
{
    struct rf_scorer *all, *sub;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(mixed, NI, &q61, &all, &err), RF_OK);
    cr_assert_eq(rf_scorer_new(mixed, 6, &q61, &sub, &err), RF_OK);
    int full[NI] = {1, 0, 1, 2, 1, 0, RF_MISSING, RF_MISSING, RF_MISSING, RF_MISSING, RF_MISSING,
                    RF_MISSING};
    full[3] = 1;
    for (int m = RF_EST_EAP; m <= RF_EST_WLE; m++) {
        struct rf_ability x, y;
        cr_assert_eq(rf_scorer_estimate(all, full, (enum rf_method)m, &x, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(rf_scorer_estimate(sub, full, (enum rf_method)m, &y, &err), RF_OK);
        cr_assert_float_eq(x.theta, y.theta, 1e-12);
        cr_assert_eq(x.n, 6);
    }
    rf_scorer_free(all);
    rf_scorer_free(sub);
}

Test(ability, incremental_posterior_equals_batch)
{
    double ll[61] = {0}, post[61], post2[61], m, sd;
    int resp[NI];
    for (int i = 0; i < NI; i++) {
        resp[i] = i % 2 ? RF_MISSING : (int)(i % mixed[i].ncat);
        if (resp[i] != RF_MISSING)
            rf_irt_loglik_add(&mixed[i], (size_t)resp[i], &q61, ll);
    }
    rf_irt_posterior_moments(&q61, ll, post, &m, &sd);
    struct rf_scorer *s;
    struct rf_err err;
    cr_assert_eq(rf_scorer_new(mixed, NI, &q61, &s, &err), RF_OK);
    cr_assert_eq(rf_scorer_posterior(s, resp, post2, &err), RF_OK);
    for (int j = 0; j < 61; j++)
        cr_assert_float_eq(post[j], post2[j], 1e-13);
    struct rf_ability a;
    cr_assert_eq(rf_scorer_estimate(s, resp, RF_EST_EAP, &a, &err), RF_OK);
    cr_assert_float_eq(a.theta, m, 1e-13);
    cr_assert_float_eq(a.se, sd, 1e-13);
    rf_scorer_free(s);
}

Test(ability, method_names)
{
    enum rf_method m;
    cr_assert_eq(rf_irt_method_parse("wle", &m), RF_OK);
    cr_assert_eq(m, RF_EST_WLE);
    cr_assert_eq(rf_irt_method_parse("bayes", &m), RF_EINVAL);
}
