/* Polytomous DIF (calib/dif_poly.h), seeded: a multiple-select item scored
 * 0..3 under a graded response model (a = 1.2, thresholds -1, 0, 1), 500
 * people per group, theta ~ N(0, 1) in both, matched on theta measured with
 * error (SD 0.3) in 10 strata. With the focal group's thresholds shifted by
 * delta, ln alpha_LA estimates a * delta; without, the ETS class is C at
 * most 5% of the time. 400 replications each (seed 19). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "calib/dif_poly.h"
#include "irt/model.h"

#define NG 500
#define REPS 400

struct tally {
    double mean_ln, sd_ln;
    size_t c, b, reps;
};

static void run(double delta, uint64_t seed, struct tally *t)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    const double a = 1.2, thr[3] = {-1, 0, 1};
    double thf[3] = {thr[0] + delta, thr[1] + delta, thr[2] + delta};
    struct rf_irt_item ref, foc;
    rf_irt_item_grm(&ref, a, thr, 4);
    rf_irt_item_grm(&foc, a, thf, 4);
    int y[2 * NG];
    unsigned char g[2 * NG];
    double th[2 * NG], s1 = 0, s2 = 0;
    memset(t, 0, sizeof *t);
    for (size_t rep = 0; rep < REPS; rep++) {
        for (size_t i = 0; i < 2 * NG; i++) {
            double theta = rf_rng_normal(&r), pr[4], u = rf_rng_uniform(&r), cum = 0;
            g[i] = i >= NG;
            rf_irt_probs(g[i] ? &foc : &ref, theta, pr);
            y[i] = 3;
            for (int k = 0; k < 4; k++) {
                cum += pr[k];
                if (u < cum) {
                    y[i] = k;
                    break;
                }
            }
            th[i] = theta + 0.3 * rf_rng_normal(&r);
        }
        struct rf_dif_poly_result res;
        cr_assert_eq(rf_dif_poly(y, g, th, 2 * NG, 4, 10, 0.05, &res), 0);
        cr_assert_eq(res.n_ref, NG);
        cr_assert(isfinite(res.ln_la) && isfinite(res.p) && isfinite(res.smd_ratio));
        s1 += res.ln_la;
        s2 += res.ln_la * res.ln_la;
        t->c += res.ets == 'C';
        t->b += res.ets == 'B';
        t->reps++;
    }
    t->mean_ln = s1 / REPS;
    t->sd_ln = sqrt(s2 / REPS - t->mean_ln * t->mean_ln);
}

Test(dif_poly, shifted_thresholds_are_recovered_and_no_dif_is_class_a, .timeout = 300)
{
    struct tally t0, t5, t8;
    run(0.0, 19, &t0);
    run(0.5, 20, &t5);
    run(0.8, 21, &t8);
    fprintf(stderr,
            "dif_poly: delta 0: mean ln alpha_LA %.3f (SD %.3f), C %zu and B %zu of %d\n"
            "dif_poly: delta 0.5 (a delta 0.60): mean %.3f (SD %.3f), C %zu, B %zu\n"
            "dif_poly: delta 0.8 (a delta 0.96): mean %.3f (SD %.3f), C %zu, B %zu\n",
            t0.mean_ln, t0.sd_ln, t0.c, t0.b, REPS, t5.mean_ln, t5.sd_ln, t5.c, t5.b, t8.mean_ln,
            t8.sd_ln, t8.c, t8.b);
    cr_assert(fabs(t0.mean_ln) < 0.03, "no DIF: mean ln alpha %.3f", t0.mean_ln);
    cr_assert(t0.c <= REPS / 20, "no DIF flagged C %zu of %d", t0.c, REPS);
    /* the matching variable's error attenuates a little: within 15% */
    cr_assert(fabs(t5.mean_ln - 0.6) < 0.09, "delta 0.5: ln alpha %.3f, want 0.60", t5.mean_ln);
    cr_assert(fabs(t8.mean_ln - 0.96) < 0.15, "delta 0.8: ln alpha %.3f, want 0.96", t8.mean_ln);
    cr_assert(t8.c + t8.b >= REPS * 9 / 10, "delta 0.8 flagged B or C %zu of %d", t8.c + t8.b,
              REPS);
}

Test(dif_poly, two_categories_give_the_mantel_haenszel_odds_ratio)
{
    /* one stratum: reference 30 right 10 wrong, focal 20 right 20 wrong:
     * alpha_MH = (30 * 20) / (10 * 20) = 3 */
    int y[80];
    unsigned char g[80];
    double th[80];
    for (int i = 0; i < 80; i++) {
        g[i] = i >= 40;
        y[i] = i < 40 ? i < 30 : i < 60;
        th[i] = 0;
    }
    struct rf_dif_poly_result res;
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 2, 1, 0.05, &res), 0);
    cr_assert(fabs(res.alpha_la - 3.0) < 1e-12, "%.17g", res.alpha_la);
    cr_assert(fabs(res.d_la + 2.35 * log(3.0)) < 1e-12);
    cr_assert(fabs(res.smd + 0.25) < 1e-12, "focal mean 0.5 - reference 0.75: %.17g", res.smd);
    /* out-of-range scores and groups are not compared */
    y[0] = 7;
    g[1] = 2;
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 2, 1, 0.05, &res), 0);
    cr_assert_eq(res.n_ref, 38);
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 9, 1, 0.05, &res), 0);
    cr_assert_eq(res.ets, '-');
}
