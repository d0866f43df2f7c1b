/*
 * The interview simulation study (issue 17's targets, `rolefit simulate
 * --interviews`, docs/interviews.md): candidates with known skills take a
 * test (supplied by the caller: the product's role test in the CLI) and
 * their role's loop of interviews (data/interviews.json), each round and the
 * take-home scored by two interviewers drawn from a panel with known
 * severities. The criteria and severities are then calibrated from the
 * scorecards alone (with the tests' evidence in the E-step), and each
 * candidate's profile combines test and loop under the calibrated model.
 *
 * Truth: skills theta_k = lambda g + sqrt(1 - lambda^2) e_k (N(0, 1) each);
 * severities ~ N(0, sev_sd^2); criteria a ~ U(1.0, 2.2), thresholds c + s
 * (-1.5, 0, 1.5) for a 4-point scale (evenly spread for others), c ~ N(0,
 * 0.5^2), s ~ U(0.8, 1.2). Candidate i takes role i mod R's loop.
 *
 * Figures: severity RMSE (estimated vs true, both centred), mean SE and the
 * coverage of +-1.96 SE; per skill the mean posterior SD after the test alone
 * and after test + loop, over candidates whose loop measures the skill and
 * whose test measured it too (a skill the test did not measure has no
 * test-alone SD to compare); Spearman correlation, within each role (same
 * loop), between the truth (mean true theta over the skills the loop
 * measures) and: the model (posterior means after test + loop, same
 * average), the model on the loop alone, and the naive mean of the raw
 * scores; averaged over roles. Draws: panel and criteria from substream
 * (seed, 2^63), candidate i's skills and test from substream (seed, i), its
 * interviews from substream (seed, 2^62 + i). One thread.
 */
#ifndef RF_INTERVIEW_SIM_H
#define RF_INTERVIEW_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/rng.h"
#include "careers/kits.h"
#include "careers/profile.h"
#include "interview/agree.h"
#include "interview/calib.h"
#include "interview/rater.h"

/* The test candidate i (of role index role, true skills theta[taxonomy
 * skill]) takes, scored into pr (initialized on the default grid, empty);
 * draws from r. Must leave log-likelihoods on every measured skill. */
typedef rf_status (*rf_iv_test_fn)(void *ctx, size_t i, size_t role, const double *theta,
                                   struct rf_rng *r, struct rf_profile *pr, struct rf_err *err);

struct rf_iv_sim_opts {
    size_t ncand;   /* candidates (300) */
    size_t nraters; /* interviewers (12), at least 2 */
    double sev_sd;  /* severities' SD (0.5) */
    double lambda;  /* truth loading (RF_HIER_DEFAULT_LAMBDA) */
    uint64_t seed;
    rf_iv_test_fn test; /* NULL: no test (the prior alone) */
    void *ctx;
};

void rf_iv_sim_opts_init(struct rf_iv_sim_opts *o);

struct rf_iv_sim_result {
    size_t ncand, nratings, nraters, nskills;
    double *sev_true, *sev_est, *sev_se; /* owned [nraters], centred */
    double sev_rmse, sev_mean_se, sev_cover;
    double a_rmse, b_rmse; /* criteria with at least 100 ratings */
    size_t ncrit_rmse;
    size_t *skill_n;                   /* owned [nskills]: candidate-skills compared */
    double *sd_test, *sd_both;         /* owned [nskills]: mean posterior SD */
    double sd_test_mean, sd_both_mean; /* over every candidate-skill compared */
    double rho_model, rho_loop, rho_naive, rho_test; /* mean within-role Spearman */
    size_t nroles;
    struct rf_iv_calib calib;   /* owned */
    struct rf_iv_report report; /* owned */
};

/* Runs the study over kits k (their careers data names skills and roles).
 * Errors: RF_EINVAL (options), the test's errors, RF_ENOMEM. */
rf_status rf_iv_simulate(const struct rf_kits *k, const struct rf_iv_sim_opts *o,
                         struct rf_iv_sim_result *out, struct rf_err *err);
void rf_iv_sim_cleanup(struct rf_iv_sim_result *r);

/* Spearman rank correlation of x and y (n values; ties get mean ranks).
 * NaN when n < 2 or either is constant. rank: 2 n doubles of workspace. */
double rf_iv_spearman(const double *x, const double *y, size_t n, double *work);

#endif
