/* Quadrature grids: weights, moments, exactness of Gauss-Hermite. */
#include <criterion/criterion.h>
#include <math.h>

#include "irt/quad.h"

Test(quad, default_grid_matches_normal_moments)
{
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    cr_assert_eq(q.n, 61);
    cr_assert_float_eq(q.x[0], -6.0, 1e-15);
    cr_assert_float_eq(q.x[60], 6.0, 1e-15);
    cr_assert_float_eq(q.x[30], 0.0, 1e-15);
    double s = 0, m1 = 0, m2 = 0, m4 = 0;
    for (size_t i = 0; i < q.n; i++) {
        s += q.w[i];
        m1 += q.w[i] * q.x[i];
        m2 += q.w[i] * q.x[i] * q.x[i];
        m4 += q.w[i] * pow(q.x[i], 4);
        cr_assert_float_eq(log(q.w[i]), q.logw[i], 1e-12);
    }
    cr_assert_float_eq(s, 1.0, 1e-14);
    cr_assert(fabs(m1) < 1e-14);
    /* a trapezoid rule on a normal density is very accurate at this spacing */
    /* the mass beyond +-6 (about 7e-8 of the second moment) is cut off */
    cr_assert_float_eq(m2, 1.0, 1e-7, "m2=%.12g", m2);
    cr_assert_float_eq(m4, 3.0, 5e-6, "m4=%.12g", m4); /* tail beyond +-6: ~2.8e-6 */
    rf_quad_cleanup(&q);
}

Test(quad, hermite_is_exact_for_polynomials)
{
    for (size_t n = 1; n <= 40; n += 3) {
        struct rf_quad q;
        struct rf_err err;
        cr_assert_eq(rf_quad_init_hermite(&q, n, 0.5, 2.0, &err), RF_OK);
        /* E[(theta-mu)^k] for N(mu, sigma^2): 0 for odd, sigma^k (k-1)!! for even */
        for (size_t k = 0; k < 2 * n && k <= 12; k++) {
            double m = 0, scale = 0;
            for (size_t i = 0; i < q.n; i++) {
                m += q.w[i] * pow(q.x[i] - 0.5, (double)k);
                scale += q.w[i] * fabs(pow(q.x[i] - 0.5, (double)k));
            }
            double expect = 0;
            if (k % 2 == 0) {
                expect = pow(2.0, (double)k);
                for (size_t j = k; j > 1; j -= 2)
                    expect *= (double)(j - 1);
            }
            cr_assert(fabs(m - expect) <= 1e-11 * fmax(1.0, scale),
                      "n=%zu k=%zu moment=%.15g expected=%.15g", n, k, m, expect);
        }
        for (size_t i = 1; i < q.n; i++)
            cr_assert(q.x[i] > q.x[i - 1]);
        rf_quad_cleanup(&q);
    }
}

Test(quad, bad_arguments)
{
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_even(&q, 2, -6, 6, 0, 1, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "number of nodes"), "%s", err.msg);
    cr_assert_eq(rf_quad_init_even(&q, 61, 6, -6, 0, 1, &err), RF_EINVAL);
    cr_assert_eq(rf_quad_init_even(&q, 61, -6, 6, 0, 0, &err), RF_EINVAL);
    cr_assert_eq(rf_quad_init_hermite(&q, 0, 0, 1, &err), RF_EINVAL);
    cr_assert_eq(rf_quad_init_hermite(&q, 201, 0, 1, &err), RF_EINVAL);
    /* far-shifted prior: weights still finite and normalized */
    cr_assert_eq(rf_quad_init_even(&q, 61, -6, 6, 30, 0.5, &err), RF_OK);
    double s = 0;
    for (size_t i = 0; i < q.n; i++)
        s += q.w[i];
    cr_assert_float_eq(s, 1.0, 1e-12);
    /* next node is 19 log-units lower: w[59] ~ 5e-9 */
    cr_assert_float_eq(q.w[60], 1.0, 1e-8, "all mass at the right end");
    rf_quad_cleanup(&q);
}
