/*
 * Normal tail and quantile, Wilson interval (calib/stats.h).
 */
#include "calib/stats.h"

#include <math.h>

double rf_stat_norm_upper(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

/* Acklam's coefficients (P. J. Acklam, "An algorithm for computing the
 * inverse normal cumulative distribution function", 2003). */
static const double qa[6] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
static const double qb[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
static const double qc[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
static const double qd[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};

double rf_stat_norm_quantile(double p)
{
    if (!(p > 0 && p < 1))
        return NAN;
    const double plow = 0.02425;
    double x;
    if (p < plow) {
        double q = sqrt(-2 * log(p));
        x = (((((qc[0] * q + qc[1]) * q + qc[2]) * q + qc[3]) * q + qc[4]) * q + qc[5]) /
            ((((qd[0] * q + qd[1]) * q + qd[2]) * q + qd[3]) * q + 1);
    } else if (p <= 1 - plow) {
        double q = p - 0.5, r = q * q;
        x = (((((qa[0] * r + qa[1]) * r + qa[2]) * r + qa[3]) * r + qa[4]) * r + qa[5]) * q /
            (((((qb[0] * r + qb[1]) * r + qb[2]) * r + qb[3]) * r + qb[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log1p(-p));
        x = -(((((qc[0] * q + qc[1]) * q + qc[2]) * q + qc[3]) * q + qc[4]) * q + qc[5]) /
            ((((qd[0] * q + qd[1]) * q + qd[2]) * q + qd[3]) * q + 1);
    }
    /* One Halley step: e = Phi(x) - p, with Phi from erfc. */
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

void rf_stat_wilson(double x, double n, double level, double *lo, double *hi)
{
    double z = rf_stat_norm_quantile(0.5 + level / 2), z2 = z * z;
    double p = x / n, den = 1 + z2 / n;
    double mid = (p + z2 / (2 * n)) / den;
    double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / den;
    *lo = fmax(0.0, mid - half);
    *hi = fmin(1.0, mid + half);
}
