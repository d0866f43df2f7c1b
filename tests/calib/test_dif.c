/*
 * DIF (calib/dif.h): Mantel-Haenszel and logistic regression against hand
 * computations, the ETS class boundaries, item-level runs (strata by total
 * score, the minimum group size, refusals), and the detection
 * targets by seeded simulation.
 *
 * Reference values were computed independently (Python, the formulas of
 * Holland & Thayer 1988 and Robins, Breslow & Greenland 1986; logistic
 * regression by a separate Newton solver, and the 2-df statistic in closed
 * form, since with X taking two values M0 and M2 are saturated).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "calib/dif.h"
#include "calib/stats.h"

static void near(double got, double want, double rel, const char *what)
{
    cr_assert(fabs(got - want) <= rel * fmax(1.0, fabs(want)), "%s: got %.17g, want %.17g", what,
              got, want);
}

Test(dif_stats, normal_quantile_and_wilson)
{
    near(rf_stat_norm_quantile(0.975), 1.9599639845400536, 1e-13, "z .975");
    near(rf_stat_norm_quantile(0.95), 1.6448536269514715, 1e-13, "z .95");
    near(rf_stat_norm_quantile(0.3), -0.5244005127080407, 1e-13, "z .3");
    near(rf_stat_norm_quantile(1e-10), -6.361340902404056, 1e-12, "z 1e-10");
    cr_assert(isnan(rf_stat_norm_quantile(0)) && isnan(rf_stat_norm_quantile(1)));
    for (double p = 0.001; p < 1; p += 0.0371)
        near(1 - rf_stat_norm_upper(rf_stat_norm_quantile(p)), p, 1e-13, "round trip");
    double lo, hi;
    rf_stat_wilson(12, 40, 0.95, &lo, &hi);
    near(lo, 0.1807484522974653, 1e-13, "wilson lo");
    near(hi, 0.45430018818144935, 1e-13, "wilson hi");
}

/* Two informative strata, one with the reference group only, one of a
 * single person: the last two carry nothing. */
Test(dif_mh, hand_example)
{
    struct rf_mh_stratum s[] = {{30, 10, 20, 20}, {15, 25, 10, 30}, {5, 0, 0, 0}, {1, 0, 0, 0}};
    struct rf_mh_result r;
    rf_dif_mh(s, 4, 0.05, &r);
    near(r.alpha_mh, 2.3333333333333335, 1e-14, "alpha_MH");
    near(r.d_dif, -1.9911499719099286, 1e-14, "MH D-DIF");
    near(r.se_d, 0.8052306014376003, 1e-14, "SE");
    near(r.chi2, 5.385739130434783, 1e-14, "chi2");
    near(r.p, 0.02030198604805733, 1e-9, "p");
    /* |D| = 1.99 >= 1.5 but (|D| - 1) / SE = 1.23 < 1.645; significant vs 0: B */
    cr_assert_eq(r.ets, 'B');
}

Test(dif_mh, undefined_without_information)
{
    struct rf_mh_stratum s[] = {{10, 0, 0, 10}}; /* perfect separation: S = 0 */
    struct rf_mh_result r;
    rf_dif_mh(s, 1, 0.05, &r);
    cr_assert(isnan(r.alpha_mh) && isnan(r.d_dif) && r.ets == '-');
    rf_dif_mh(s, 0, 0.05, &r);
    cr_assert(isnan(r.chi2) && r.ets == '-');
}

Test(dif_mh, ets_class_boundaries)
{
    /* C: |D| >= 1.5 and (|D| - 1) / SE > 1.6449 */
    cr_assert_eq(rf_dif_ets_class(-1.5, 0.30, 0.001, 0.05), 'C'); /* (0.5)/0.30 = 1.67 */
    cr_assert_eq(rf_dif_ets_class(1.5, 0.31, 0.001, 0.05), 'B');  /* 1.61: not above 1 */
    cr_assert_eq(rf_dif_ets_class(1.49, 0.01, 0.001, 0.05), 'B'); /* below 1.5 */
    cr_assert_eq(rf_dif_ets_class(-1.0, 0.2, 0.049, 0.05), 'B');  /* |D| = 1, significant */
    cr_assert_eq(rf_dif_ets_class(-1.0, 0.2, 0.05, 0.05), 'A');   /* not significant */
    cr_assert_eq(rf_dif_ets_class(0.99, 0.01, 1e-9, 0.05), 'A');  /* below 1 */
    cr_assert_eq(rf_dif_ets_class(3.0, 1.0, 0.2, 0.05), 'C');     /* C needs no chi-square */
    cr_assert_eq(rf_dif_ets_class(NAN, 1.0, 0.2, 0.05), '-');
}

/* X two-valued: cells (x, g) with right/total 20/50, 35/50, 10/50, 30/50. */
static size_t lr_data(double *x, unsigned char *y, unsigned char *g)
{
    const int cells[4][4] = {{0, 0, 20, 50}, {1, 0, 35, 50}, {0, 1, 10, 50}, {1, 1, 30, 50}};
    size_t n = 0;
    for (int c = 0; c < 4; c++)
        for (int i = 0; i < cells[c][3]; i++, n++) {
            x[n] = cells[c][0];
            g[n] = (unsigned char)cells[c][1];
            y[n] = (unsigned char)(i < cells[c][2]);
        }
    return n;
}

Test(dif_logistic, hand_example)
{
    double x[200];
    unsigned char y[200], g[200];
    size_t n = lr_data(x, y, g);
    struct rf_lr_result r;
    rf_dif_logistic(x, y, g, n, 0.05, &r);
    cr_assert(r.converged);
    near(r.chi2_uniform, 5.178087684714427, 1e-8, "chi2 uniform");
    near(r.p_uniform, 0.022873484980529657, 1e-7, "p uniform");
    near(r.chi2_nonuniform, 0.7550945720305435, 1e-8, "chi2 non-uniform");
    near(r.chi2_total, 5.933182256745795, 1e-9, "chi2 total (closed form)");
    near(r.p_total, exp(-5.933182256745795 / 2), 1e-9, "p total");
    near(r.r2_delta, 0.034406210983499164, 1e-8, "R2 delta");
    near(r.beta_group, -0.6952052468533537, 1e-8, "beta group");
    near(r.se_beta, 0.3087124440494751, 1e-8, "se beta");
    /* p_total = 0.051 > 0.05: negligible */
    cr_assert_eq(r.effect, 'A');
    rf_dif_logistic(x, y, g, n, 0.06, &r);
    /* significant at 0.06, but R2 delta 0.0344 < 0.035: still negligible */
    cr_assert_eq(r.effect, 'A');
}

Test(dif_logistic, separation_is_not_converged)
{
    double x[40];
    unsigned char y[40], g[40];
    for (size_t i = 0; i < 40; i++) {
        x[i] = (double)(i % 4);
        g[i] = (unsigned char)(i % 2);
        y[i] = g[i]; /* the focal group always right, the reference never */
    }
    struct rf_lr_result r;
    rf_dif_logistic(x, y, g, 40, 0.05, &r);
    cr_assert(!r.converged && isnan(r.chi2_total) && r.effect == '-');
}

/* Persons x 3 items, group; strata by total score computed by hand. */
Test(dif_run, total_score_strata_match_hand_tables)
{
    /* rows: item0 item1 item2 | group */
    static const signed char rows[][4] = {
        {1, 1, 1, 0}, {1, 0, 1, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0},
        {1, 1, 1, 1}, {0, 1, 1, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}, {1, 0, 0, 1}, {0, 0, 0, 1},
    };
    size_t np = sizeof rows / sizeof rows[0];
    signed char x[12 * 3], grp[12];
    for (size_t i = 0; i < np; i++) {
        memcpy(x + 3 * i, rows[i], 3);
        grp[i] = rows[i][3];
    }
    const char *ids[] = {"i0", "i1", "i2"};
    struct rf_dif_data d = {.npersons = np, .nitems = 3, .item_ids = ids, .x = x, .group = grp};
    struct rf_dif_opts o;
    rf_dif_opts_default(&o);
    o.min_group = 6;
    o.logistic = 0;
    struct rf_dif_item it[3];
    struct rf_err err;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_OK, "%s", err.msg);
    cr_assert(it[0].shown && it[0].n_ref == 6 && it[0].n_focal == 6);
    /* item 0 by total score (reference: scores 3,2,1,2,0,1; focal: 3,2,1,1,1,0):
     * score 0: ref wrong 1 | focal wrong 1; score 1: ref 1 right (row 6) 1 wrong
     * (row 3) | focal 1 right (row 11) 2 wrong; score 2: ref 2 right | focal 1 wrong;
     * score 3: ref 1 right | focal 1 right */
    struct rf_mh_stratum hand[4] = {{0, 1, 0, 1}, {1, 1, 1, 2}, {2, 0, 0, 1}, {1, 0, 1, 0}};
    struct rf_mh_result want;
    rf_dif_mh(hand, 4, 0.05, &want);
    near(it[0].mh.alpha_mh, want.alpha_mh, 1e-15, "alpha_MH item 0");
    near(it[0].mh.chi2, want.chi2, 1e-15, "chi2 item 0");
    /* rest score leaves the studied item out of the strata: rest 0: ref 1 right
     * (row 6) 1 wrong | focal 1 right 1 wrong; rest 1: ref 2 right 1 wrong |
     * focal 2 wrong; rest 2: ref 1 right | focal 1 right 1 wrong; alpha_MH =
     * (1/4 + 4/5 + 1/3) / (1/4) = 83/15 */
    o.match = RF_DIF_MATCH_REST;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_OK, "%s", err.msg);
    struct rf_mh_stratum rest[3] = {{1, 1, 1, 1}, {2, 1, 0, 2}, {1, 0, 1, 1}};
    rf_dif_mh(rest, 3, 0.05, &want);
    near(it[0].mh.alpha_mh, want.alpha_mh, 1e-15, "alpha_MH item 0, rest score");
    near(it[0].mh.alpha_mh, 83.0 / 15.0, 1e-15, "alpha_MH item 0, rest score, by hand");
    /* below the minimum group size nothing is computed */
    o.min_group = 7;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_OK, "%s", err.msg);
    for (size_t j = 0; j < 3; j++)
        cr_assert(!it[j].shown && isnan(it[j].mh.d_dif) && it[j].mh.ets == '-');
    /* people outside the comparison are left out, even with missing cells */
    grp[11] = -1;
    x[11 * 3 + 2] = RF_RESP_MISSING;
    o.min_group = 5;
    o.match = RF_DIF_MATCH_TOTAL;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_OK, "%s", err.msg);
    cr_assert(it[0].n_ref == 6 && it[0].n_focal == 5);
}

Test(dif_run, refusals_name_person_and_item)
{
    signed char x[] = {1, 0, 1, 1, RF_RESP_MISSING, 0, 2, 1};
    signed char grp[] = {0, 0, 1, 1};
    const char *ids[] = {"a.x.001", "a.x.002"}, *people[] = {"p1", "p2", "p3", "p4"};
    struct rf_dif_data d = {
        .npersons = 3, .nitems = 2, .item_ids = ids, .person_ids = people, .x = x, .group = grp};
    struct rf_dif_opts o;
    rf_dif_opts_default(&o);
    struct rf_dif_item it[2];
    struct rf_err err;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "person 'p3' has no answer to item 'a.x.001'"), "%s", err.msg);
    d.npersons = 4;
    x[4] = 1;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "person 'p4', item 'a.x.001': category 2"), "%s", err.msg);
    o.match = RF_DIF_MATCH_THETA;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "theta"), "%s", err.msg);
}

/* Theta strata: with theta matching, people without a theta are left out
 * and missing cells are allowed. */
Test(dif_run, theta_matching_allows_missing_cells)
{
    size_t np = 400;
    signed char *x = calloc(np * 2, 1), *grp = calloc(np, 1);
    double *th = calloc(np, sizeof *th);
    cr_assert(x && grp && th);
    for (size_t i = 0; i < np; i++) {
        grp[i] = (signed char)(i % 2);
        th[i] = i % 10 == 9 ? NAN : (double)(i % 37) / 10.0 - 1.8;
        x[2 * i] = (signed char)(th[i] > 0);
        x[2 * i + 1] = i % 3 ? (signed char)((i / 3) % 2) : RF_RESP_MISSING;
    }
    const char *ids[] = {"t1", "t2"};
    struct rf_dif_data d = {
        .npersons = np, .nitems = 2, .item_ids = ids, .x = x, .group = grp, .theta = th};
    struct rf_dif_opts o;
    rf_dif_opts_default(&o);
    o.match = RF_DIF_MATCH_THETA;
    o.min_group = 50;
    struct rf_dif_item it[2];
    struct rf_err err;
    cr_assert_eq(rf_dif_run(&d, &o, it, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(it[0].n_ref + it[0].n_focal, 360, "%zu", it[0].n_ref + it[0].n_focal);
    cr_assert(it[1].n_ref + it[1].n_focal < 360 && it[1].shown);
    free(x), free(grp), free(th);
}

/* The target: uniform DIF of 0.6 on the theta scale at slope 1.7
 * (0.6 on the normal-ogive scale; the focal group's log-odds 1.02 lower),
 * N = 500 per group: class C in >= 90% of replications, the items without
 * DIF class C in <= 5%. 300 replications here; docs/fairness.md has 1,000. */
Test(dif_sim, detection_targets, .timeout = 120)
{
    struct rf_dif_sim_opts so = {.replications = 300,
                                 .persons = 500,
                                 .nitems = 20,
                                 .dif = 0.6,
                                 .dif_slope = 1.7,
                                 .dif_b = 0,
                                 .impact = 0,
                                 .seed = 19};
    rf_dif_opts_default(&so.dif_opts);
    struct rf_dif_sim_result r;
    struct rf_err err;
    cr_assert_eq(rf_dif_simulate(&so, &r, &err), RF_OK, "%s", err.msg);
    cr_assert(r.dif_c >= 0.90, "DIF item class C in %.4f of replications", r.dif_c);
    cr_assert(r.null_c <= 0.05, "items without DIF class C in %.4f", r.null_c);
    cr_assert(r.dif_lr >= 0.90, "logistic flags the DIF item in %.4f", r.dif_lr);
    cr_assert(r.mean_d_dif < -1.5, "mean D-DIF %.3f (against the focal group)", r.mean_d_dif);
    /* no DIF at all: C stays rare for the first item too */
    so.dif = 0;
    so.replications = 150;
    cr_assert_eq(rf_dif_simulate(&so, &r, &err), RF_OK, "%s", err.msg);
    cr_assert(r.dif_c <= 0.05 && r.null_c <= 0.05, "null C rates %.4f %.4f", r.dif_c, r.null_c);
    cr_assert(r.null_lr <= 0.10, "logistic false flags %.4f", r.null_lr);
}
