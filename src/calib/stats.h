/*
 * Small distribution functions the fairness statistics need: the standard
 * normal's upper tail and quantile, and the Wilson score interval of a
 * binomial proportion. Pure functions, no state, no allocation.
 */
#ifndef RF_CALIB_STATS_H
#define RF_CALIB_STATS_H

#include <stddef.h>

/* P(Z > z) for a standard normal Z, by erfc (full double precision). */
double rf_stat_norm_upper(double z);

/* The z with P(Z <= z) = p, for 0 < p < 1 (NaN outside): Acklam's rational
 * approximation (relative error 1.2e-9) refined by one Halley step on erfc,
 * which brings it to about 1e-15. */
double rf_stat_norm_quantile(double p);

/* Wilson (1927) score interval of x successes in n trials at two-sided
 * confidence level (e.g. 0.95): *lo, *hi in [0, 1]. n > 0. */
void rf_stat_wilson(double x, double n, double level, double *lo, double *hi);

#endif
