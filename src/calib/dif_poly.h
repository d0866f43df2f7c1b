/*
 * DIF of a graded item (a multiple-select item scored 0..m; docs/
 * fairness.md "Polytomous DIF"), per pair of groups (reference and focal)
 * matched in strata of ability:
 * - the Liu-Agresti (1996) cumulative common odds ratio: at each cut j
 *   (score > j against score <= j) of each stratum k, the 2x2 table of
 *   groups by sides; alpha_LA = sum_kj (ref above)(focal below)/n_k /
 *   sum_kj (ref below)(focal above)/n_k, the odds ratio common to every cut
 *   and stratum (> 1: the item favours the reference group; for two
 *   categories it is alpha_MH). Under a graded response model whose
 *   thresholds are shifted by delta for the focal group, ln alpha_LA = a *
 *   delta. Reported on the ETS delta scale too: LA D-DIF = -2.35 ln alpha_LA.
 * - Mantel's (1963) test for ordered scores: the focal group's score sum
 *   in each stratum against its expectation under no DIF, a 1-df
 *   chi-square.
 * - The standardized mean difference (Dorans & Schmitt 1991): sum_k
 *   (focal share of stratum k) (focal mean - reference mean), and its ratio
 *   to the item's score SD over both groups.
 * The standard error of ln alpha_LA is the delta method's, var(ln alpha) =
 * var(U) / num^2 with U = num - alpha den, and var(U) the sum over strata
 * of each stratum's two-sample U-statistic variance (Hoeffding 1948): for
 * each person, the spread of their own part of the stratum's sum. It holds
 * when the strata are large (the equal-count strata used here); for two
 * categories and one stratum it is Woolf's 1/a + 1/b + 1/c + 1/d up to the
 * n / (n - 1) of a sample variance. It is not Liu and Agresti's own
 * estimator, which also holds for many sparse strata (docs/fairness.md).
 * ETS's classes for polytomous items (Zwick, Thayer & Mazzeo 1997): C when
 * Mantel's p < alpha and |SMD| / SD >= 0.25, B when p < alpha and
 * |SMD| / SD >= 0.17, else A.
 */
#ifndef RF_CALIB_DIF_POLY_H
#define RF_CALIB_DIF_POLY_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define RF_DIF_POLY_MAX_CATS 8

struct rf_dif_poly_result {
    double alpha_la, ln_la, d_la; /* NaN when no stratum has both groups on both sides of a cut */
    double se_ln_la, se_d_la;     /* standard errors of ln alpha_LA and LA D-DIF (below); NaN
                                     when not defined */
    double mantel_chi2, p;        /* Mantel's test, upper-tail p (1 df) */
    double smd, smd_ratio;        /* SMD and SMD / SD of the scores */
    size_t n_ref, n_focal;
    char ets; /* 'A', 'B' or 'C'; '-' when nothing is defined */
};

/* DIF of one item over n people: y their scores (0..ncat-1), g their group
 * (0 reference, 1 focal; anything else: not compared), theta the matching
 * variable. People are sorted by theta into nstrata strata of equal count.
 * alpha: the level of Mantel's test in the classes. ncat in
 * 2..RF_DIF_POLY_MAX_CATS; a score out of range is skipped. Allocates
 * O(n); returns 0, or -1 when out of memory. */
int rf_dif_poly(const int *y, const unsigned char *g, const double *theta, size_t n, size_t ncat,
                size_t nstrata, double alpha, struct rf_dif_poly_result *out);

/* Output (calib/fairness_out.c). JSON of one graded item against one focal
 * group: {"id", "shown": true, "graded": true, "n_reference", "n_focal",
 * "la": {"alpha", "ln", "se", "d_dif", "se_d"}, "mantel": {"chi2", "p"},
 * "smd": {"smd", "ratio"}, "class"}, figures that do not exist as null; NULL
 * on allocation failure. The CSV row of rf_dif_item_csv's header (calib/
 * dif.h) with the mh_ columns holding alpha_LA, LA D-DIF, its SE, Mantel's
 * chi-square and p and the polytomous ETS class, and the lr_ columns empty.
 * Only for an item shown (both groups at the minimum size): a hidden item
 * is written as rf_dif_item_csv writes one. */
json_t *rf_dif_poly_json(const char *id, const struct rf_dif_poly_result *r);
rf_status rf_dif_poly_csv(struct rf_buf *b, const char *by, const char *reference,
                          const char *focal, const char *id, const struct rf_dif_poly_result *r);

#endif
