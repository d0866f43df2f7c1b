/*
 * Quadrature grids. Gauss-Hermite nodes are the roots of the orthonormal
 * Hermite polynomials found by Newton's method from asymptotic starting
 * values (Press et al., Numerical Recipes 3rd ed., sec. 4.6, gauher), which
 * avoids overflow for large n.
 */
#include "irt/quad.h"

#include <math.h>
#include <stdlib.h>

#include "base/config.h"
#include "base/mem.h"

static rf_status alloc_grid(struct rf_quad *q, size_t n, struct rf_err *err)
{
    q->n = n;
    q->x = rf_alloc_array(n, sizeof *q->x);
    q->w = rf_alloc_array(n, sizeof *q->w);
    q->logw = rf_alloc_array(n, sizeof *q->logw);
    if (!q->x || !q->w || !q->logw) {
        rf_quad_cleanup(q);
        return rf_err_set(err, RF_ENOMEM, "quadrature: out of memory");
    }
    return RF_OK;
}

static void finish(struct rf_quad *q)
{
    double s = 0;
    for (size_t i = 0; i < q->n; i++)
        s += q->w[i];
    for (size_t i = 0; i < q->n; i++) {
        q->w[i] /= s;
        q->logw[i] = log(q->w[i]);
    }
}

rf_status rf_quad_init_even(struct rf_quad *q, size_t n, double lo, double hi, double mean,
                            double sd, struct rf_err *err)
{
    q->x = q->w = q->logw = NULL;
    q->n = 0;
    if (n < RF_QUAD_MIN_N || n > RF_QUAD_MAX_N)
        return rf_err_set(err, RF_EINVAL, "quadrature: number of nodes must be %d to %d (got %zu)",
                          RF_QUAD_MIN_N, RF_QUAD_MAX_N, n);
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return rf_err_set(err, RF_EINVAL, "quadrature: range [%g, %g] is empty", lo, hi);
    if (!(isfinite(mean) && isfinite(sd) && sd > 0))
        return rf_err_set(err, RF_EINVAL, "quadrature: prior needs finite mean and sd > 0");
    rf_status rc = alloc_grid(q, n, err);
    if (rc)
        return rc;
    q->kind = RF_QUAD_EVEN;
    q->mean = mean;
    q->sd = sd;
    q->lo = lo;
    q->hi = hi;
    double h = (hi - lo) / (double)(n - 1);
    /* Work in log space so that far tails do not underflow to zero weight. */
    double maxlw = -HUGE_VAL;
    for (size_t i = 0; i < n; i++) {
        q->x[i] = lo + h * (double)i;
        double z = (q->x[i] - mean) / sd;
        q->logw[i] = -0.5 * z * z;
        if (q->logw[i] > maxlw)
            maxlw = q->logw[i];
    }
    for (size_t i = 0; i < n; i++)
        q->w[i] = exp(q->logw[i] - maxlw);
    finish(q);
    return RF_OK;
}

rf_status rf_quad_init_default(struct rf_quad *q, struct rf_err *err)
{
    return rf_quad_init_even(q, RF_QUAD_DEFAULT_N, RF_QUAD_DEFAULT_LO, RF_QUAD_DEFAULT_HI, 0.0, 1.0,
                             err);
}

rf_status rf_quad_init_hermite(struct rf_quad *q, size_t n, double mean, double sd,
                               struct rf_err *err)
{
    q->x = q->w = q->logw = NULL;
    q->n = 0;
    if (n < 1 || n > 200)
        return rf_err_set(err, RF_EINVAL, "Gauss-Hermite: number of nodes must be 1 to 200 (got %zu)",
                          n);
    if (!(isfinite(mean) && isfinite(sd) && sd > 0))
        return rf_err_set(err, RF_EINVAL, "Gauss-Hermite: prior needs finite mean and sd > 0");
    rf_status rc = alloc_grid(q, n, err);
    if (rc)
        return rc;
    q->kind = RF_QUAD_HERMITE;
    q->mean = mean;
    q->sd = sd;
    const double pim4 = 0.7511255444649425; /* pi^(-1/4) */
    size_t m = (n + 1) / 2;
    double z = 0, z1, pp = 0;
    double *xh = q->x, *wh = q->w; /* physicists' nodes/weights, filled in place */
    for (size_t i = 0; i < m; i++) {
        double ni = (double)n;
        if (i == 0)
            z = sqrt(2.0 * ni + 1.0) - 1.85575 * pow(2.0 * ni + 1.0, -0.16667);
        else if (i == 1)
            z -= 1.14 * pow(ni, 0.426) / z;
        else if (i == 2)
            z = 1.86 * z - 0.86 * xh[0];
        else if (i == 3)
            z = 1.91 * z - 0.91 * xh[1];
        else
            z = 2.0 * z - xh[i - 2];
        for (int its = 0; its < 100; its++) {
            double p1 = pim4, p2 = 0.0;
            for (size_t j = 0; j < n; j++) {
                double p3 = p2;
                p2 = p1;
                p1 = z * sqrt(2.0 / (double)(j + 1)) * p2 - sqrt((double)j / (double)(j + 1)) * p3;
            }
            pp = sqrt(2.0 * ni) * p2;
            z1 = z;
            z = z1 - p1 / pp;
            if (fabs(z - z1) <= 1e-14 * (1.0 + fabs(z)))
                break;
        }
        xh[i] = z;
        xh[n - 1 - i] = -z;
        wh[i] = 2.0 / (pp * pp);
        wh[n - 1 - i] = wh[i];
    }
    /* Physicists' rule integrates against exp(-x^2): theta = mean + sqrt(2) sd x,
     * weight / sqrt(pi). Reverse so nodes increase. */
    for (size_t i = 0; i < n / 2; i++) {
        double t = xh[i];
        xh[i] = xh[n - 1 - i];
        xh[n - 1 - i] = t;
        t = wh[i];
        wh[i] = wh[n - 1 - i];
        wh[n - 1 - i] = t;
    }
    for (size_t i = 0; i < n; i++) {
        xh[i] = mean + M_SQRT2 * sd * xh[i];
        wh[i] /= sqrt(M_PI);
    }
    q->lo = q->x[0];
    q->hi = q->x[n - 1];
    finish(q);
    return RF_OK;
}

void rf_quad_cleanup(struct rf_quad *q)
{
    free(q->x);
    free(q->w);
    free(q->logw);
    q->x = q->w = q->logw = NULL;
    q->n = 0;
}
