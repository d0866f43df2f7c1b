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

#include "base/buf.h"
#include "base/rng.h"
#include "calib/dif.h"
#include "calib/dif_poly.h"
#include "irt/model.h"

#define NG 500
#define REPS 400

struct tally {
    double mean_ln, sd_ln;
    double mean_se;  /* mean standard error of ln alpha_LA */
    size_t covered;  /* replications whose 95% interval holds the mean estimate */
    size_t covers_0; /* ... holds 0 */
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
    double th[2 * NG], s1 = 0, s2 = 0, lns[REPS], ses[REPS];
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
        cr_assert(isfinite(res.se_ln_la) && res.se_ln_la > 0, "rep %zu: se %g", rep, res.se_ln_la);
        cr_assert(fabs(res.se_d_la - 2.35 * res.se_ln_la) < 1e-12);
        lns[rep] = res.ln_la;
        ses[rep] = res.se_ln_la;
        t->mean_se += res.se_ln_la / REPS;
        t->covers_0 += fabs(res.ln_la) <= 1.96 * res.se_ln_la;
        s1 += res.ln_la;
        s2 += res.ln_la * res.ln_la;
        t->c += res.ets == 'C';
        t->b += res.ets == 'B';
        t->reps++;
    }
    t->mean_ln = s1 / REPS;
    t->sd_ln = sqrt(s2 / REPS - t->mean_ln * t->mean_ln);
    for (size_t rep = 0; rep < REPS; rep++)
        t->covered += fabs(lns[rep] - t->mean_ln) <= 1.96 * ses[rep];
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
    /* the standard error: its mean within 10% of the replications' SD, and
     * 95% intervals that hold the mean estimate (and 0 without DIF) 92-98%
     * of the time */
    const struct tally *all[3] = {&t0, &t5, &t8};
    const char *name[3] = {"0", "0.5", "0.8"};
    for (int k = 0; k < 3; k++) {
        fprintf(stderr, "dif_poly: delta %s: mean SE %.3f, SD %.3f, 95%% coverage %zu of %d\n",
                name[k], all[k]->mean_se, all[k]->sd_ln, all[k]->covered, REPS);
        cr_assert(fabs(all[k]->mean_se / all[k]->sd_ln - 1) < 0.10,
                  "delta %s: mean SE %.4f vs SD %.4f", name[k], all[k]->mean_se, all[k]->sd_ln);
        cr_assert(all[k]->covered >= REPS * 92 / 100 && all[k]->covered <= REPS * 98 / 100,
                  "delta %s: coverage %zu of %d", name[k], all[k]->covered, REPS);
    }
    fprintf(stderr, "dif_poly: delta 0: the interval holds 0 in %zu of %d\n", t0.covers_0, REPS);
    cr_assert(t0.covers_0 >= REPS * 92 / 100, "no DIF: 0 covered %zu of %d", t0.covers_0, REPS);
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
    /* the SE by hand: psi = 3; a reference person's part H(1) = 20 (focal
     * wrong), H(0) = -3 x 20, mean 0; a focal person's G(0) = 30, G(1) =
     * -3 x 10, mean 0; var U = (30 x 20^2 + 10 x 60^2) 40/39 + (20 x 30^2 +
     * 20 x 30^2) 40/39, over N^2 = 80^2; num = 30 x 20 / 80 */
    double vu = ((30.0 * 400 + 10.0 * 3600) * 40 / 39 + (20.0 * 900 + 20.0 * 900) * 40 / 39) /
                (80.0 * 80.0);
    double se = sqrt(vu) / (30.0 * 20 / 80);
    cr_assert(fabs(res.se_ln_la - se) < 1e-12, "SE %.17g, by hand %.17g", res.se_ln_la, se);
    /* Woolf's 1/a + 1/b + 1/c + 1/d for one table: within 3% */
    double woolf = sqrt(1.0 / 30 + 1.0 / 10 + 1.0 / 20 + 1.0 / 20);
    cr_assert(fabs(res.se_ln_la / woolf - 1) < 0.03, "SE %.4f vs Woolf %.4f", res.se_ln_la, woolf);
    /* out-of-range scores and groups are not compared */
    y[0] = 7;
    g[1] = 2;
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 2, 1, 0.05, &res), 0);
    cr_assert_eq(res.n_ref, 38);
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 9, 1, 0.05, &res), 0);
    cr_assert_eq(res.ets, '-');
}

/* The writers: JSON with every figure (null where none), and a CSV row with
 * the 21 fields of the DIF header, the logistic columns empty. */
Test(dif_poly, json_and_csv_of_a_graded_item)
{
    int y[80];
    unsigned char g[80];
    double th[80];
    for (int i = 0; i < 80; i++) {
        g[i] = i >= 40;
        y[i] = i < 40 ? (i < 30) + (i < 15) : (i < 60) + (i < 50);
        th[i] = i % 4;
    }
    struct rf_dif_poly_result res;
    cr_assert_eq(rf_dif_poly(y, g, th, 80, 3, 2, 0.05, &res), 0);
    json_t *j = rf_dif_poly_json("x.y.001", &res);
    cr_assert(j);
    cr_assert(json_is_true(json_object_get(j, "graded")));
    cr_assert_eq(json_integer_value(json_object_get(j, "n_focal")), 40);
    const json_t *la = json_object_get(j, "la");
    cr_assert_float_eq(json_real_value(json_object_get(la, "alpha")), res.alpha_la, 1e-15);
    cr_assert_float_eq(json_real_value(json_object_get(la, "se")), res.se_ln_la, 1e-15);
    char cls[2] = {res.ets, 0};
    cr_assert_str_eq(json_string_value(json_object_get(j, "class")), cls);
    json_decref(j);
    struct rf_buf b;
    rf_buf_init(&b, 4096);
    cr_assert_eq(rf_dif_csv_header(&b), RF_OK);
    cr_assert_eq(rf_dif_poly_csv(&b, "gender", "man", "woman", "x.y.001", &res), RF_OK);
    const char *row = strchr(rf_buf_str(&b), '\n') + 1;
    size_t commas = 0, hdr = 0;
    for (const char *c = rf_buf_str(&b); *c != '\n'; c++)
        hdr += *c == ',';
    for (const char *c = row; *c && *c != '\n'; c++)
        commas += *c == ',';
    cr_assert_eq(commas, hdr, "row %s", row);
    cr_assert(strncmp(row, "gender,man,woman,x.y.001,1,40,40,", 33) == 0, "%s", row);
    cr_assert(strstr(row, ",,,,,,,,\n") || strstr(row, ",,,,,,,\n"), "%s", row);
    rf_buf_cleanup(&b);
}
