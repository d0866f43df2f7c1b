/* Item models: hand-computed values, derivatives against finite differences,
 * information against the variance of the score, extreme arguments. */
#include <criterion/criterion.h>
#include <math.h>

#include "irt/model.h"

#define H 1e-5

static struct rf_irt_item items[6];
static const char *names[6] = {"1pl", "2pl", "3pl", "grm2", "grm4", "3pl-c0"};

static void setup(void)
{
    rf_irt_item_dich(&items[0], RF_MODEL_1PL, 1.0, 0.3, 0);
    rf_irt_item_dich(&items[1], RF_MODEL_2PL, 1.7, -0.4, 0);
    rf_irt_item_dich(&items[2], RF_MODEL_3PL, 1.3, 0.5, 0.2);
    double t2[1] = {0.2};
    rf_irt_item_grm(&items[3], 1.1, t2, 2);
    double t4[3] = {-1.0, 0.1, 1.4};
    rf_irt_item_grm(&items[4], 1.5, t4, 4);
    rf_irt_item_dich(&items[5], RF_MODEL_3PL, 0.8, -0.2, 0.0);
}

TestSuite(model, .init = setup);

Test(model, hand_computed_values)
{
    /* 2PL: P = 1/(1+exp(-1.7*(0.6+0.4))) = 1/(1+exp(-1.7)) */
    cr_assert_float_eq(rf_irt_prob(&items[1], 0.6, 1), 1.0 / (1.0 + exp(-1.7)), 1e-15);
    /* 3PL at theta = b: P = c + (1-c)/2 = 0.6 */
    cr_assert_float_eq(rf_irt_prob(&items[2], 0.5, 1), 0.6, 1e-15);
    cr_assert_float_eq(rf_irt_prob(&items[2], 0.5, 0), 0.4, 1e-15);
    /* GRM, 4 categories at theta = 0.1: P*1 = s(1.65), P*2 = 0.5, P*3 = s(-1.95) */
    double s1 = 1 / (1 + exp(-1.65)), s3 = 1 / (1 + exp(1.95));
    cr_assert_float_eq(rf_irt_prob(&items[4], 0.1, 0), 1 - s1, 1e-15);
    cr_assert_float_eq(rf_irt_prob(&items[4], 0.1, 1), s1 - 0.5, 1e-15);
    cr_assert_float_eq(rf_irt_prob(&items[4], 0.1, 2), 0.5 - s3, 1e-15);
    cr_assert_float_eq(rf_irt_prob(&items[4], 0.1, 3), s3, 1e-15);
    /* 2PL information at theta = b is a^2/4 */
    cr_assert_float_eq(rf_irt_info(&items[1], -0.4), 1.7 * 1.7 / 4, 1e-14);
    /* 3PL information (Birnbaum): a^2 (Q/P) ((P-c)/(1-c))^2 at theta = b: P=.6 */
    double i3 = 1.3 * 1.3 * (0.4 / 0.6) * pow((0.6 - 0.2) / 0.8, 2);
    cr_assert_float_eq(rf_irt_info(&items[2], 0.5), i3, 1e-14);
}

Test(model, probabilities_sum_to_one_and_match_logs)
{
    for (int i = 0; i < 6; i++)
        for (double t = -8; t <= 8; t += 0.37) {
            double s = 0;
            for (size_t k = 0; k < items[i].ncat; k++) {
                double p = rf_irt_prob(&items[i], t, k);
                s += p;
                cr_assert(p > 0 && p < 1, "%s theta=%g k=%zu p=%g", names[i], t, k, p);
                cr_assert_float_eq(log(p), rf_irt_logprob(&items[i], t, k), 1e-12,
                                   "%s theta=%g k=%zu", names[i], t, k);
            }
            cr_assert_float_eq(s, 1.0, 1e-13, "%s theta=%g sum=%.17g", names[i], t, s);
        }
}

Test(model, theta_derivatives_match_finite_differences)
{
    for (int i = 0; i < 6; i++)
        for (double t = -4; t <= 4; t += 0.5)
            for (size_t k = 0; k < items[i].ncat; k++) {
                double d1, d2, d1p, d2p, d1m, d2m;
                rf_irt_dlogprob_theta(&items[i], t, k, &d1, &d2);
                double fd1 = (rf_irt_logprob(&items[i], t + H, k) -
                              rf_irt_logprob(&items[i], t - H, k)) / (2 * H);
                rf_irt_dlogprob_theta(&items[i], t + H, k, &d1p, &d2p);
                rf_irt_dlogprob_theta(&items[i], t - H, k, &d1m, &d2m);
                double fd2 = (d1p - d1m) / (2 * H);
                cr_assert(fabs(d1 - fd1) < 1e-7, "%s t=%g k=%zu d1=%g fd=%g", names[i], t, k, d1,
                          fd1);
                cr_assert(fabs(d2 - fd2) < 1e-6, "%s t=%g k=%zu d2=%g fd=%g", names[i], t, k, d2,
                          fd2);
            }
}

static void set_param(struct rf_irt_item *it, size_t p, double v)
{
    switch (it->model) {
    case RF_MODEL_1PL: it->b = v; it->thr[0] = v; break;
    case RF_MODEL_2PL:
    case RF_MODEL_3PL:
        if (p == 0) it->a = v;
        else if (p == 1) { it->b = v; it->thr[0] = v; }
        else it->c = v;
        break;
    case RF_MODEL_GRM:
        if (p == 0) it->a = v;
        else it->thr[p - 1] = v;
        it->b = it->thr[0];
        break;
    }
}

static double get_param(const struct rf_irt_item *it, size_t p)
{
    switch (it->model) {
    case RF_MODEL_1PL: return it->b;
    case RF_MODEL_2PL:
    case RF_MODEL_3PL: return p == 0 ? it->a : p == 1 ? it->b : it->c;
    case RF_MODEL_GRM: return p == 0 ? it->a : it->thr[p - 1];
    }
    return 0;
}

Test(model, parameter_derivatives_match_finite_differences)
{
    for (int i = 0; i < 6; i++) {
        size_t np = rf_irt_nparams(&items[i]);
        for (double t = -3; t <= 3; t += 0.75)
            for (size_t k = 0; k < items[i].ncat; k++) {
                double g[RF_MAX_ITEM_PARAMS], h[RF_MAX_ITEM_PARAMS * RF_MAX_ITEM_PARAMS];
                rf_irt_dlogprob_params(&items[i], t, k, g, h);
                for (size_t p = 0; p < np; p++) {
                    struct rf_irt_item up = items[i], dn = items[i];
                    double v = get_param(&items[i], p);
                    /* c = 0 sits on the boundary: forward differences there */
                    int fwd = items[i].model == RF_MODEL_3PL && p == 2 && v == 0;
                    double hu = fwd ? 1e-7 : H, hd = fwd ? 0 : H;
                    set_param(&up, p, v + hu);
                    set_param(&dn, p, v - hd);
                    double fd = (rf_irt_logprob(&up, t, k) - rf_irt_logprob(&dn, t, k)) / (hu + hd);
                    cr_assert(fabs(g[p] - fd) < (fwd ? 1e-4 : 1e-6), "%s t=%g k=%zu grad[%zu]=%g fd=%g", names[i],
                              t, k, p, g[p], fd);
                    double gu[RF_MAX_ITEM_PARAMS], gd[RF_MAX_ITEM_PARAMS];
                    rf_irt_dlogprob_params(&up, t, k, gu, NULL);
                    rf_irt_dlogprob_params(&dn, t, k, gd, NULL);
                    for (size_t q = 0; q < np; q++) {
                        double fh = (gu[q] - gd[q]) / (hu + hd);
                        cr_assert(fabs(h[q * np + p] - fh) < (fwd ? 1e-3 * fmax(1, fabs(fh)) : 1e-5),
                                  "%s t=%g k=%zu hess[%zu][%zu]=%g fd=%g", names[i], t, k, q, p,
                                  h[q * np + p], fh);
                    }
                }
            }
    }
}

Test(model, information_equals_variance_of_score)
{
    /* Fisher information = E[(d/dtheta log P)^2] = Var of the score. */
    for (int i = 0; i < 6; i++)
        for (double t = -3; t <= 3; t += 0.5) {
            double m = 0, v = 0;
            for (size_t k = 0; k < items[i].ncat; k++) {
                double d1, d2, p = rf_irt_prob(&items[i], t, k);
                rf_irt_dlogprob_theta(&items[i], t, k, &d1, &d2);
                m += p * d1;
                v += p * d1 * d1;
            }
            cr_assert(fabs(m) < 1e-13, "%s t=%g: score mean %g", names[i], t, m);
            cr_assert_float_eq(rf_irt_info(&items[i], t), v - m * m, 1e-12, "%s t=%g", names[i],
                               t);
            /* and = -E[second derivative] */
            double e2 = 0;
            for (size_t k = 0; k < items[i].ncat; k++) {
                double d1, d2;
                rf_irt_dlogprob_theta(&items[i], t, k, &d1, &d2);
                e2 += rf_irt_prob(&items[i], t, k) * d2;
            }
            cr_assert_float_eq(rf_irt_info(&items[i], t), -e2, 1e-12, "%s t=%g", names[i], t);
        }
}

Test(model, extreme_arguments_stay_finite_and_accurate)
{
    struct rf_irt_item it;
    rf_irt_item_dich(&it, RF_MODEL_2PL, 2.0, 0.0, 0);
    /* a(theta-b) = +-40 */
    double lp1 = rf_irt_logprob(&it, 20, 1), lp0 = rf_irt_logprob(&it, 20, 0);
    cr_assert_float_eq(lp0, -40.0 - log1p(exp(-40.0)), 1e-12);
    cr_assert(lp1 < 0 && lp1 > -1e-16);
    cr_assert_float_eq(rf_irt_logprob(&it, -20, 1), -40.0, 1e-12);
    double d1, d2;
    rf_irt_dlogprob_theta(&it, 20, 0, &d1, &d2);
    cr_assert_float_eq(d1, -2.0, 1e-12);
    cr_assert(isfinite(d2));
    double t4[3] = {-1.0, 0.1, 1.4};
    struct rf_irt_item g;
    rf_irt_item_grm(&g, 4.0, t4, 4);
    for (double t = -11; t <= 11; t += 1.0)
        for (size_t k = 0; k < 4; k++) {
            double l = rf_irt_logprob(&g, t, k);
            cr_assert(isfinite(l), "grm t=%g k=%zu logp=%g", t, k, l);
            rf_irt_dlogprob_theta(&g, t, k, &d1, &d2);
            cr_assert(isfinite(d1) && isfinite(d2));
        }
    /* middle category far above both thresholds: P ~ exp(-a(t-b1))... check against log form */
    double x = 4.0 * (10 - 0.1), y = 4.0 * (10 - 1.4);
    double expect = -log1p(exp(-x)) + (-y - log1p(exp(-y))) + log1p(-exp(-(x - y)));
    cr_assert_float_eq(rf_irt_logprob(&g, 10, 2), expect, 1e-9);
}

Test(model, symmetry)
{
    struct rf_irt_item it;
    rf_irt_item_dich(&it, RF_MODEL_2PL, 1.3, 0.0, 0);
    for (double t = 0; t < 5; t += 0.25) {
        cr_assert_float_eq(rf_irt_prob(&it, t, 1), rf_irt_prob(&it, -t, 0), 1e-15);
        cr_assert_float_eq(rf_irt_info(&it, t), rf_irt_info(&it, -t), 1e-15);
    }
}

Test(model, validation_rejects_bad_parameters)
{
    struct rf_irt_item it;
    struct rf_err err;
    rf_irt_item_dich(&it, RF_MODEL_2PL, 0.0, 0, 0);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "slope a"), "%s", err.msg);
    rf_irt_item_dich(&it, RF_MODEL_2PL, -1.0, 0, 0);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    rf_irt_item_dich(&it, RF_MODEL_3PL, 1.0, 0, 1.0);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "lower asymptote"), "%s", err.msg);
    rf_irt_item_dich(&it, RF_MODEL_3PL, 1.0, 0, -0.1);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    rf_irt_item_dich(&it, RF_MODEL_2PL, 1.0, NAN, 0);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    double bad[3] = {0.0, -1.0, 1.0};
    rf_irt_item_grm(&it, 1.0, bad, 4);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "thresholds must increase"), "%s", err.msg);
    double ok[3] = {-1.0, 0.0, 1.0};
    rf_irt_item_grm(&it, 1.0, ok, 4);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_OK);
    rf_irt_item_dich(&it, RF_MODEL_3PL, 1.0, 0, 0.25);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_OK);
    /* found by fuzz/fuzz_params.c: a = 8, b = 1.01e308 passed, but its intercept -a b is
     * -inf, so rf_params_to_json could not write it (and reported out of memory) */
    rf_irt_item_dich(&it, RF_MODEL_2PL, 8.0, 1.01e308, 0);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "intercept d = -a b is not finite"), "%s", err.msg);
    double huge[2] = {0.0, 1e308};
    rf_irt_item_grm(&it, 4.0, huge, 3);
    cr_assert_eq(rf_irt_item_validate(&it, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "intercept -a b2 is not finite"), "%s", err.msg);
    enum rf_model m;
    cr_assert_eq(rf_irt_model_parse("rasch", &m), RF_OK);
    cr_assert_eq(m, RF_MODEL_1PL);
    cr_assert_eq(rf_irt_model_parse("4pl", &m), RF_EINVAL);
}
