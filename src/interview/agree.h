/*
 * The interviewer calibration report (issue 17, docs/interviews.md): per
 * rubric, agreement between the two interviewers of double-scored rounds,
 * and the criteria that do not separate candidates; per interviewer, the
 * severity with its standard error (interview/calib.h).
 *
 * Agreement is over pairs: two ratings of one criterion in one slot (one
 * held round of one person) by different raters. With more than two raters
 * in a slot, each rater pairs with the next (by rater index).
 * - Quadratic-weighted kappa (Cohen 1968) with weights (i - j)^2/(m - 1)^2.
 *   The two raters of a pair are exchangeable (different people sit first
 *   and second across pairs), so each pair is counted in both orders: the
 *   observed table is symmetric and chance agreement comes from the pooled
 *   marginal. kappa = 1 - sum w O / sum w E.
 * - ICC(1,1), one-way random effects (Shrout & Fleiss 1979, case 1: each
 *   target rated by a different set of raters): (MSB - MSW) / (MSB + (k0 -
 *   1) MSW), k0 = 2 for pairs.
 * A criterion does not separate candidates when it has at least
 * RF_IV_FLAT_MIN_N ratings and RF_IV_FLAT_SHARE of them sit on one score
 * point, or its calibrated slope is below RF_IV_FLAT_SLOPE.
 */
#ifndef RF_INTERVIEW_AGREE_H
#define RF_INTERVIEW_AGREE_H

#include <stddef.h>

#include "base/err.h"
#include "interview/calib.h"
#include "interview/rater.h"

#define RF_IV_FLAT_MIN_N 20
#define RF_IV_FLAT_SHARE 0.8
#define RF_IV_FLAT_SLOPE 0.5

/* Quadratic-weighted kappa of n pairs (x[i], y[i]), categories 0..ncat-1,
 * pairs counted in both orders (above). NaN when n == 0 or every score is
 * the same point (no chance table to compare with). */
double rf_iv_qwk(const size_t *x, const size_t *y, size_t n, size_t ncat);

/* ICC(1,1) of n pairs. NaN when n < 2 or there is no variance at all. */
double rf_iv_icc(const double *x, const double *y, size_t n);

struct rf_iv_crit_stats {
    size_t n;         /* ratings */
    double mean;      /* mean score (category scale, 0..m-1) */
    double top_share; /* share of ratings on the commonest point */
    int flat;         /* does not separate candidates (above) */
    const char *why;  /* static text when flat, else NULL */
    const char *code; /* its code, for a page to word: "one_point" or "low_slope" */
};

struct rf_iv_rubric_stats {
    size_t ratings, pairs;
    double kappa, icc; /* NaN without pairs */
    size_t nflat;      /* criteria that do not separate candidates */
};

struct rf_iv_report {
    size_t nrubrics, ncrit;
    struct rf_iv_rubric_stats *rubric; /* owned [nrubrics] */
    struct rf_iv_crit_stats *crit;     /* owned [ncrit] */
};

/* The report of ratings r[0..n-1] over bank b, with calibration c (may be
 * NULL: no slope rule). Ratings must be valid for b (rf_iv_check). RF_ENOMEM. */
rf_status rf_iv_report(const struct rf_iv_bank *b, const struct rf_iv_calib *c,
                       const struct rf_iv_rating *r, size_t n, struct rf_iv_report *out,
                       struct rf_err *err);
void rf_iv_report_cleanup(struct rf_iv_report *rep);

#endif
