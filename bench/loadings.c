/*
 * Loadings recovery (calib/loadings.h), noise or bias (issue 13): the
 * design of tests/calib/test_loadings.c (16 skills with loadings 0.40 to
 * 0.80; each person answers 4 items on each of 8 skills drawn at random,
 * from 20 per skill; truth and model share the item parameters), 5,000
 * tests, repeated over seeds 1..S (default 20; `build/bench/loadings S`),
 * for three kinds of items:
 *   guessable   3PL a = 1, c = 0.25 (every item a four-option MCQ);
 *   bank mix    55% of them, 45% without guessing (2PL a = 1): the shipped
 *               bank's share of numeric and multiple-select items per skill
 *               is 40-45% (a multiple-select item, scored with partial
 *               credit, says more than this 2PL stand-in);
 *   calibrated  2PL a ~ U(1.2, 2.2).
 * Per kind: the RMSE of each seed, their root mean square, and per skill the
 * mean error over the seeds (bias) against the spread around it (noise):
 * without bias, the mean squared per-skill mean error is about the noise
 * variance / S, and |t| = |mean| / (SD / sqrt(S)) stays within about 2.
 * And the guessable kind at 7,000 tests. Prints figures; asserts nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "base/rng.h"
#include "calib/loadings.h"

#define NK 16
#define PER 20
#define NI (NK * PER)
#define MAX_SEEDS 64

enum kind { GUESSABLE, BANK_MIX, CALIBRATED };
static const char *const kind_name[] = {"guessable (3PL a = 1, c = 0.25)",
                                        "bank mix (45% without guessing)",
                                        "calibrated (2PL a ~ U(1.2, 2.2))"};

static struct rf_irt_item items[NI];
static size_t skill[NI];

/* Simulates np tests (seed) into x and fits; err[k] = estimate - truth. */
static int run(enum kind kind, size_t np, uint64_t seed, signed char *x, double *err)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    double lam[NK];
    for (size_t k = 0; k < NK; k++)
        lam[k] = 0.4 + 0.4 * (double)k / (NK - 1);
    for (size_t j = 0; j < NI; j++) {
        double b = -2 + 4 * rf_rng_uniform(&r);
        if (kind == CALIBRATED)
            rf_irt_item_dich(&items[j], RF_MODEL_2PL, 1.2 + rf_rng_uniform(&r), b, 0);
        else if (kind == BANK_MIX && rf_rng_uniform(&r) < 0.45)
            rf_irt_item_dich(&items[j], RF_MODEL_2PL, 1.0, b, 0);
        else
            rf_irt_item_dich(&items[j], RF_MODEL_3PL, 1.0, b, 0.25);
        skill[j] = j / PER;
    }
    memset(x, RF_RESP_MISSING, np * NI);
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
            double l = lam[k], th = l * g + sqrt(1 - l * l) * rf_rng_normal(&r);
            for (size_t n = 0; n < 4; n++) {
                size_t j = k * PER + (size_t)rf_rng_below(&r, PER);
                x[i * NI + j] = rf_rng_uniform(&r) < rf_irt_prob(&items[j], th, 1);
            }
        }
    }
    struct rf_loadings_data d = {np, NI, NK, x, NULL, NULL, NULL, items, skill, NULL, 0, NULL, NULL};
    struct rf_loadings_opts o;
    rf_loadings_opts_init(&o);
    struct rf_loadings *w;
    struct rf_err e;
    if (rf_loadings_new(&d, &o, &w, &e)) {
        fprintf(stderr, "loadings: %s\n", e.msg);
        return 1;
    }
    double change = 1, ll;
    for (size_t c = 0; change >= 1e-4 && c < 200; c++)
        rf_loadings_step(w, &change, &ll);
    for (size_t k = 0; k < NK; k++)
        err[k] = rf_loadings_lambda(w)[k] - lam[k];
    rf_loadings_free(w);
    return 0;
}

static int study(enum kind kind, size_t np, int seeds, signed char *x)
{
    static double err[MAX_SEEDS][NK];
    double msq = 0, lo = INFINITY, hi = 0;
    int over = 0;
    printf("%s, %zu tests, seeds 1-%d: RMSE", kind_name[kind], np, seeds);
    for (int s = 0; s < seeds; s++) {
        if (run(kind, np, (uint64_t)s + 1, x, err[s]))
            return 1;
        double se = 0;
        for (size_t k = 0; k < NK; k++)
            se += err[s][k] * err[s][k];
        double rmse = sqrt(se / NK);
        printf(" %.3f", rmse);
        fflush(stdout);
        msq += se / NK;
        lo = rmse < lo ? rmse : lo;
        hi = rmse > hi ? rmse : hi;
        over += rmse > 0.05;
    }
    double b2 = 0, v = 0, mb = 0, tmax = 0;
    for (size_t k = 0; k < NK; k++) {
        double m = 0, s2 = 0;
        for (int s = 0; s < seeds; s++)
            m += err[s][k];
        m /= seeds;
        for (int s = 0; s < seeds; s++)
            s2 += (err[s][k] - m) * (err[s][k] - m);
        s2 /= seeds - 1;
        double t = s2 > 0 ? fabs(m) / sqrt(s2 / seeds) : 0;
        tmax = t > tmax ? t : tmax;
        b2 += m * m;
        v += s2;
        mb += m;
    }
    printf("\n  root mean square %.4f (%.3f to %.3f; %d of %d above 0.05); mean error %+.4f; "
           "mean squared per-skill mean error %.5f, noise alone would leave %.5f; noise SD "
           "%.4f; largest |t| of 16 skills %.2f\n",
           sqrt(msq / seeds), lo, hi, over, seeds, mb / NK, b2 / NK, v / NK / seeds, sqrt(v / NK),
           tmax);
    return 0;
}

int main(int argc, char **argv)
{
    int seeds = argc > 1 ? atoi(argv[1]) : 20;
    if (seeds < 2 || seeds > MAX_SEEDS) {
        fprintf(stderr, "usage: loadings [SEEDS 2..%d]\n", MAX_SEEDS);
        return 2;
    }
    signed char *x = malloc((size_t)7000 * NI);
    if (!x)
        return 1;
    int half = seeds / 2 < 2 ? 2 : seeds / 2;
    int rc = study(GUESSABLE, 5000, seeds, x) || study(BANK_MIX, 5000, seeds, x) ||
             study(CALIBRATED, 5000, seeds, x) || study(GUESSABLE, 7000, half, x);
    free(x);
    return rc;
}
