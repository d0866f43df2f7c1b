/*
 * Loadings of the higher-order model (calib/loadings.h): recovery from
 * 5,000 simulated tests (the target, RMSE <= 0.05), the M-step's
 * edge cases, dense and sparse input agreeing, and bad input refused.
 *
 * The simulated tests: 16 skills with loadings 0.4 .. 0.8; each person
 * answers 4 items on each of 8 skills drawn at random (32 items, like a role
 * test), from 20 items per skill; truth and model use the same parameters.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "base/rng.h"
#include "calib/loadings.h"

#define NK 16
#define PER 20
#define NI (NK * PER)

struct sim {
    size_t np;
    double lambda[NK];
    struct rf_irt_item items[NI];
    size_t skill[NI];
    signed char *x;
};

/* calibrated: 2PL, a ~ U(1.2, 2.2) (calibrated quality); else 3PL a = 1,
 * c = 0.25 (the bundled bank's uncalibrated items). */
static void simulate(struct sim *s, size_t np, int calibrated, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    s->np = np;
    for (size_t k = 0; k < NK; k++)
        s->lambda[k] = 0.4 + 0.4 * (double)k / (NK - 1);
    for (size_t j = 0; j < NI; j++) {
        double b = -2 + 4 * rf_rng_uniform(&r);
        if (calibrated)
            rf_irt_item_dich(&s->items[j], RF_MODEL_2PL, 1.2 + rf_rng_uniform(&r), b, 0);
        else
            rf_irt_item_dich(&s->items[j], RF_MODEL_3PL, 1.0, b, 0.25);
        s->skill[j] = j / PER;
    }
    s->x = malloc(np * NI);
    cr_assert(s->x);
    memset(s->x, RF_RESP_MISSING, np * NI);
    for (size_t i = 0; i < np; i++) {
        double g = rf_rng_normal(&r);
        size_t order[NK];
        for (size_t k = 0; k < NK; k++)
            order[k] = k;
        for (size_t k = 0; k < NK; k++) {
            size_t m = k + (size_t)rf_rng_below(&r, NK - k), t = order[k];
            order[k] = order[m];
            order[m] = t;
        }
        for (size_t a = 0; a < 8; a++) {
            size_t k = order[a];
            double l = s->lambda[k], th = l * g + sqrt(1 - l * l) * rf_rng_normal(&r);
            for (size_t n = 0; n < 4; n++) {
                size_t j = k * PER + (size_t)rf_rng_below(&r, PER);
                s->x[i * NI + j] = rf_rng_uniform(&r) < rf_irt_prob(&s->items[j], th, 1);
            }
        }
    }
}

/* Fits to convergence (change < 1e-4, at most 200 cycles); returns the RMSE. */
static double fit(const struct rf_loadings_data *d, const double *truth, double *est,
                  size_t *cycles)
{
    struct rf_loadings_opts o;
    rf_loadings_opts_init(&o);
    struct rf_loadings *w;
    struct rf_err err;
    cr_assert_eq(rf_loadings_new(d, &o, &w, &err), RF_OK, "%s", err.msg);
    double change = 1, ll, prev = -INFINITY;
    for (*cycles = 0; change >= 1e-4 && *cycles < 200; (*cycles)++) {
        rf_loadings_step(w, &change, &ll);
        cr_assert_geq(ll, prev - 1e-6, "cycle %zu: log-likelihood fell from %.6f to %.6f",
                      *cycles, prev, ll);
        prev = ll;
    }
    double se = 0;
    for (size_t k = 0; k < d->nskills; k++) {
        est[k] = rf_loadings_lambda(w)[k];
        se += (est[k] - truth[k]) * (est[k] - truth[k]);
    }
    rf_loadings_free(w);
    return sqrt(se / (double)d->nskills);
}

/* The target: 5,000 tests of calibrated-quality items recover the loadings
 * with RMSE <= 0.05 (measured 0.026 with this seed; 0.026-0.033 over seeds 1-4). */
Test(loadings, recovered_from_5000_tests)
{
    static struct sim s;
    simulate(&s, 5000, 1, 1);
    struct rf_loadings_data d = {s.np,    NI,      NK,   s.x, NULL, NULL, NULL,
                                 s.items, s.skill, NULL, 0,   NULL, NULL};
    double est[NK];
    size_t cycles;
    double rmse = fit(&d, s.lambda, est, &cycles);
    cr_log_info("loadings: 5,000 tests, calibrated-quality items: RMSE %.4f in %zu cycles", rmse,
                cycles);
    cr_expect_leq(rmse, 0.05, "RMSE %.4f", rmse);
    cr_expect_lt(cycles, 200, "converged");
    free(s.x);
}

/* With the bundled bank's kind of items (a = 1, c = 0.25) the same tests
 * carry less information: measured RMSE 0.053-0.072 over seeds 1-4. */
Test(loadings, guessable_items_recover_less)
{
    static struct sim s;
    simulate(&s, 5000, 0, 1);
    struct rf_loadings_data d = {s.np,    NI,      NK,   s.x, NULL, NULL, NULL,
                                 s.items, s.skill, NULL, 0,   NULL, NULL};
    double est[NK];
    size_t cycles;
    double rmse = fit(&d, s.lambda, est, &cycles);
    cr_log_info("loadings: 5,000 tests, a = 1, c = 0.25 items: RMSE %.4f in %zu cycles", rmse,
                cycles);
    cr_expect_leq(rmse, 0.10, "RMSE %.4f", rmse);
    free(s.x);
}

/* The sparse form gives the same loadings as the dense one. */
Test(loadings, sparse_equals_dense)
{
    static struct sim s;
    simulate(&s, 600, 1, 3);
    size_t nnz = 0;
    for (size_t c = 0; c < s.np * NI; c++)
        nnz += s.x[c] >= 0;
    size_t *row = malloc((s.np + 1) * sizeof *row);
    uint32_t *col = malloc(nnz * sizeof *col);
    signed char *val = malloc(nnz);
    cr_assert(row && col && val);
    nnz = 0;
    for (size_t i = 0; i < s.np; i++) {
        row[i] = nnz;
        for (size_t j = 0; j < NI; j++)
            if (s.x[i * NI + j] >= 0) {
                col[nnz] = (uint32_t)j;
                val[nnz++] = s.x[i * NI + j];
            }
    }
    row[s.np] = nnz;
    struct rf_loadings_data dd = {s.np,    NI,      NK,   s.x, NULL, NULL, NULL,
                                  s.items, s.skill, NULL, 0,   NULL, NULL};
    struct rf_loadings_data ds = {s.np,    NI,      NK,   NULL, row,  col, val,
                                  s.items, s.skill, NULL, 0,    NULL, NULL};
    double e1[NK], e2[NK];
    size_t c1, c2;
    fit(&dd, s.lambda, e1, &c1);
    fit(&ds, s.lambda, e2, &c2);
    cr_expect_eq(c1, c2);
    for (size_t k = 0; k < NK; k++)
        cr_expect_eq(e1[k], e2[k], "skill %zu: %.10f vs %.10f", k, e1[k], e2[k]);
    free(row);
    free(col);
    free(val);
    free(s.x);
}

/* Independent skills (lambda = 0) are found as such, and estimates stay in
 * [0, RF_LOADINGS_MAX] when the truth is at the bound. */
Test(loadings, bounds)
{
    static struct sim s;
    simulate(&s, 2000, 1, 5);
    /* Redraw with the first half of the skills independent of g and the rest
     * at 0.95: replace the answers. */
    struct rf_rng r;
    rf_rng_seed(&r, 9);
    for (size_t k = 0; k < NK; k++)
        s.lambda[k] = k < NK / 2 ? 0 : RF_LOADINGS_MAX;
    for (size_t i = 0; i < s.np; i++) {
        double g = rf_rng_normal(&r), th[NK];
        for (size_t k = 0; k < NK; k++)
            th[k] = s.lambda[k] * g + sqrt(1 - s.lambda[k] * s.lambda[k]) * rf_rng_normal(&r);
        for (size_t j = 0; j < NI; j++)
            if (s.x[i * NI + j] >= 0)
                s.x[i * NI + j] = rf_rng_uniform(&r) < rf_irt_prob(&s.items[j], th[j / PER], 1);
    }
    struct rf_loadings_data d = {s.np,    NI,      NK,   s.x, NULL, NULL, NULL,
                                 s.items, s.skill, NULL, 0,   NULL, NULL};
    double est[NK];
    size_t cycles;
    fit(&d, s.lambda, est, &cycles);
    for (size_t k = 0; k < NK; k++) {
        cr_expect(est[k] >= 0 && est[k] <= RF_LOADINGS_MAX, "skill %zu: %g", k, est[k]);
        cr_expect_lt(fabs(est[k] - s.lambda[k]), 0.2, "skill %zu: %.3f, truth %.2f", k, est[k],
                     s.lambda[k]);
    }
    free(s.x);
}

Test(loadings, bad_input)
{
    struct rf_irt_item it[2];
    rf_irt_item_dich(&it[0], RF_MODEL_2PL, 1, 0, 0);
    rf_irt_item_dich(&it[1], RF_MODEL_2PL, 1, 0, 0);
    size_t skill[2] = {0, 1};
    signed char x[2] = {1, 2};
    struct rf_loadings_data d = {1, 2, 2, x, NULL, NULL, NULL, it, skill, NULL, 0, NULL, NULL};
    struct rf_loadings_opts o;
    rf_loadings_opts_init(&o);
    struct rf_loadings *w = NULL;
    struct rf_err err;
    cr_expect_eq(rf_loadings_new(&d, &o, &w, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "category 2 of 2"), "%s", err.msg);
    x[1] = 0;
    d.nskills = 0;
    cr_expect_eq(rf_loadings_new(&d, &o, &w, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "no skills"), "%s", err.msg);
    d.nskills = 2;
    o.ng = 2;
    cr_expect_eq(rf_loadings_new(&d, &o, &w, &err), RF_EINVAL);
    o.ng = 31;
    o.start = 1.5;
    cr_expect_eq(rf_loadings_new(&d, &o, &w, &err), RF_EINVAL);
    o.start = 0.5;
    cr_assert_eq(rf_loadings_new(&d, &o, &w, &err), RF_OK, "%s", err.msg);
    rf_loadings_free(w);
    rf_loadings_free(NULL);
}
