/*
 * Calibration of rubric criteria and interviewer severities from scorecards
 * (docs/interviews.md "Calibration"): marginal maximum likelihood by EM
 * (Bock & Aitkin 1981) over a quadrature grid, one latent skill per
 * (person, skill) with prior N(0, 1) times any other evidence on it (the
 * test's log-likelihood), criteria as GRM items and raters as a severity
 * facet (interview/rater.h).
 *
 * Each cycle: the E-step gives every (person, skill) its posterior over the
 * grid; the M-step takes one damped Newton step per criterion on (a, b_1..)
 * and per rater on delta, each accepted only when the expected complete-data
 * log-likelihood does not fall (step halving), with weak priors a ~ N(mu_a,
 * sd_a^2), b_k ~ N(0, sd_b^2), delta ~ N(0, sd_d^2) so that a criterion or
 * rater with few or one-sided scores stays finite (or, prior_at_start,
 * informative priors centred on the start values). Identification: the
 * severities of the raters with ratings are centred to mean 0 after each
 * cycle and every estimated threshold takes up the shift (b_k + delta_r is
 * unchanged); with the criteria held fixed, or their priors at the start
 * values, nothing is centred.
 *
 * Standard errors: the cross-product of the per-person score vectors (the
 * gradients of each person's marginal log-likelihood, Fisher's identity)
 * plus the priors' information, per criterion block and for the severities
 * jointly; the severities' covariance is projected onto the centring
 * constraint (P V P, P = I - 11'/R). Criteria and raters without ratings keep
 * their start values and get SE NaN.
 */
#ifndef RF_INTERVIEW_CALIB_H
#define RF_INTERVIEW_CALIB_H

#include <stddef.h>

#include "base/err.h"
#include "interview/rater.h"
#include "irt/quad.h"

struct rf_iv_calib_opts {
    size_t max_iter;                 /* EM cycles (default 500) */
    double tol;                      /* stop when no parameter moves more (default 1e-4) */
    double prior_a_mean, prior_a_sd; /* default 1.2, 0.75 */
    double prior_b_sd;               /* default 3 */
    double prior_sev_sd;             /* default 2 */
    int fix_items;                   /* 1: the criteria are known, only severities move */
    int prior_at_start; /* 1: the criteria's priors are centred on their start values, a ~
                           N(start a, prior_a_sd^2), b_k ~ N(start b_k, prior_b_sd^2), and nothing
                           is centred (the priors place the scale): an organization's few
                           scorecards move the kits' defaults little (RF_IV_ORG_PRIOR_*) */
};

/* The server's priors on the criteria of an organization's scorecards
 * (prior_at_start): a rating moves a threshold about as much as 1/20 of the
 * prior does, so a criterion needs some 20 ratings before its data weigh as
 * much as the kits' default. */
#define RF_IV_ORG_PRIOR_A_SD 0.3
#define RF_IV_ORG_PRIOR_B_SD 0.5

void rf_iv_calib_opts_init(struct rf_iv_calib_opts *o);

/* The scorecards: ratings over persons 0..npersons-1 and raters
 * 0..nraters-1; skills are taxonomy indices < nskills. */
struct rf_iv_data {
    size_t npersons, nraters, nskills;
    const struct rf_iv_rating *r;
    size_t n;
    const struct rf_quad *q; /* the grid; weights are the N(0, 1) prior */
    const double *prior_ll;  /* NULL, or [npersons][nskills][q->n]: other evidence (log-likelihood,
                                -HUGE_VAL allowed, not everywhere) each (person, skill) has */
};

struct rf_iv_calib {
    size_t ncrit, nraters;
    struct rf_iv_crit *crit; /* owned: the estimates */
    double *crit_se;         /* owned [ncrit][RF_MAX_CATEGORIES]: SE of a, b_1, .., b_{m-1} */
    size_t *crit_n;          /* owned [ncrit]: ratings of each criterion */
    double *sev, *sev_se;    /* owned [nraters] */
    size_t *sev_n;           /* owned [nraters]: ratings each rater gave */
    double loglik;           /* marginal log-likelihood (priors left out) */
    size_t iter;
    int converged;
};

/* Calibrates from d, starting from criteria start[0..ncrit-1] (every criterion
 * a GRM item; their skill fields index d's skills) and severities 0. out is
 * filled (free with rf_iv_calib_cleanup); not converging within max_iter is
 * not an error (out->converged 0). Cost per cycle O(ratings * grid * np^2).
 * Errors: RF_EINVAL (a rating out of range, naming it; d without a grid),
 * RF_ENOMEM. */
rf_status rf_iv_calibrate(const struct rf_iv_crit *start, size_t ncrit, const struct rf_iv_data *d,
                          const struct rf_iv_calib_opts *o, struct rf_iv_calib *out,
                          struct rf_err *err);

void rf_iv_calib_cleanup(struct rf_iv_calib *c);

#endif
