/*
 * Item response functions. Cumulative curves P*_j = logistic(a(theta - b_j))
 * are computed together with their complements logistic(-z) so that no
 * probability is formed as 1 - p. Derivatives of log-probabilities use the
 * closed forms d/dtheta log P_k = a(1 - P*_k - P*_{k+1}) (GRM, Samejima 1969)
 * and their 3PL analogues (Baker & Kim 2004, ch. 2 and 5).
 */
#include "irt/model.h"

#include <math.h>
#include <string.h>

void rf_irt_item_dich(struct rf_irt_item *it, enum rf_model model, double a, double b, double c)
{
    memset(it, 0, sizeof *it);
    it->model = model;
    it->a = a;
    it->b = b;
    it->c = model == RF_MODEL_3PL ? c : 0.0;
    it->ncat = 2;
    it->thr[0] = b;
}

void rf_irt_item_grm(struct rf_irt_item *it, double a, const double *thr, size_t ncat)
{
    memset(it, 0, sizeof *it);
    it->model = RF_MODEL_GRM;
    it->a = a;
    it->ncat = ncat;
    for (size_t j = 0; j + 1 < ncat && j + 1 < RF_MAX_CATEGORIES; j++)
        it->thr[j] = thr[j];
    it->b = ncat >= 2 ? thr[0] : 0.0;
}

const char *rf_irt_model_name(enum rf_model m)
{
    switch (m) {
    case RF_MODEL_1PL: return "1pl";
    case RF_MODEL_2PL: return "2pl";
    case RF_MODEL_3PL: return "3pl";
    case RF_MODEL_GRM: return "grm";
    }
    return "?";
}

rf_status rf_irt_model_parse(const char *s, enum rf_model *out)
{
    static const struct {
        const char *name;
        enum rf_model m;
    } names[] = {{"1pl", RF_MODEL_1PL}, {"rasch", RF_MODEL_1PL}, {"2pl", RF_MODEL_2PL},
                 {"3pl", RF_MODEL_3PL}, {"grm", RF_MODEL_GRM}, {"1PL", RF_MODEL_1PL},
                 {"2PL", RF_MODEL_2PL}, {"3PL", RF_MODEL_3PL}, {"GRM", RF_MODEL_GRM},
                 {"Rasch", RF_MODEL_1PL}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].m;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

rf_status rf_irt_item_validate(const struct rf_irt_item *it, struct rf_err *err)
{
    if (!(isfinite(it->a) && it->a > 0))
        return rf_err_set(err, RF_EINVAL, "slope a must be a finite number > 0 (got %g)", it->a);
    if (it->model == RF_MODEL_GRM) {
        if (it->ncat < 2 || it->ncat > RF_MAX_CATEGORIES)
            return rf_err_set(err, RF_EINVAL, "graded item needs 2 to %d categories (got %zu)",
                              RF_MAX_CATEGORIES, it->ncat);
        for (size_t j = 0; j + 1 < it->ncat; j++) {
            if (!isfinite(it->thr[j]))
                return rf_err_set(err, RF_EINVAL, "threshold b%zu must be finite", j + 1);
            if (!isfinite(it->a * it->thr[j]))
                return rf_err_set(err, RF_EINVAL,
                                  "intercept -a b%zu is not finite (a = %g, b%zu = %g)", j + 1,
                                  it->a, j + 1, it->thr[j]);
            if (j > 0 && !(it->thr[j] > it->thr[j - 1]))
                return rf_err_set(err, RF_EINVAL,
                                  "thresholds must increase: b%zu = %g is not above b%zu = %g",
                                  j + 1, it->thr[j], j, it->thr[j - 1]);
        }
        return RF_OK;
    }
    if (it->ncat != 2)
        return rf_err_set(err, RF_EINVAL, "dichotomous item must have 2 categories (got %zu)",
                          it->ncat);
    if (!isfinite(it->b))
        return rf_err_set(err, RF_EINVAL, "difficulty b must be finite");
    if (!isfinite(it->a * it->b))
        return rf_err_set(err, RF_EINVAL, "intercept d = -a b is not finite (a = %g, b = %g)",
                          it->a, it->b);
    if (it->model == RF_MODEL_3PL) {
        if (!(it->c >= 0 && it->c < 1))
            return rf_err_set(err, RF_EINVAL, "lower asymptote c must be in [0, 1) (got %g)",
                              it->c);
    } else if (it->c != 0) {
        return rf_err_set(err, RF_EINVAL, "lower asymptote c must be 0 for a %s item (got %g)",
                          rf_irt_model_name(it->model), it->c);
    }
    return RF_OK;
}

size_t rf_irt_nparams(const struct rf_irt_item *it)
{
    switch (it->model) {
    case RF_MODEL_1PL: return 1;
    case RF_MODEL_2PL: return 2;
    case RF_MODEL_3PL: return 3;
    case RF_MODEL_GRM: return it->ncat;
    }
    return 0;
}

double rf_logistic(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

double rf_log_logistic(double z)
{
    if (z >= 0)
        return -log1p(exp(-z));
    return z - log1p(exp(z));
}

/* log(1 - exp(-d)) for d > 0 (Maechler 2012). */
static double log1mexp(double d)
{
    return d < M_LN2 ? log(-expm1(-d)) : log1p(-exp(-d));
}

/* Threshold j (1-based) of a cumulative model; dichotomous items use b. */
static double thresh(const struct rf_irt_item *it, size_t j)
{
    return it->model == RF_MODEL_GRM ? it->thr[j - 1] : it->b;
}

/* P*_j and 1 - P*_j for j in 0..m (P*_0 = 1, P*_m = 0). */
static void cum(const struct rf_irt_item *it, double theta, size_t j, double *s, double *sn)
{
    if (j == 0) {
        *s = 1.0;
        *sn = 0.0;
    } else if (j >= it->ncat) {
        *s = 0.0;
        *sn = 1.0;
    } else {
        /* rf_logistic(z) and rf_logistic(-z), bit for bit, from the one
         * exponential both would compute, e^{-|z|}. */
        double z = it->a * (theta - thresh(it, j));
        double e = exp(z >= 0 ? -z : z), r = 1.0 / (1.0 + e), q = e / (1.0 + e);
        *s = z >= 0 ? r : q;
        *sn = z >= 0 ? q : r;
    }
}

double rf_irt_prob(const struct rf_irt_item *it, double theta, size_t k)
{
    if (it->model == RF_MODEL_3PL) {
        double z = it->a * (theta - it->b);
        return k ? it->c + (1.0 - it->c) * rf_logistic(z) : (1.0 - it->c) * rf_logistic(-z);
    }
    double u, un, v, vn;
    cum(it, theta, k, &u, &un);
    cum(it, theta, k + 1, &v, &vn);
    /* u - v == vn - un; use the form whose terms are smaller */
    return (u + v > 1.0) ? vn - un : u - v;
}

double rf_irt_logprob(const struct rf_irt_item *it, double theta, size_t k)
{
    if (it->model == RF_MODEL_3PL) {
        double z = it->a * (theta - it->b);
        if (k == 0)
            return log1p(-it->c) + rf_log_logistic(-z);
        double l1 = log1p(-it->c) + rf_log_logistic(z);
        if (it->c <= 0)
            return l1;
        double l0 = log(it->c);
        double m = l0 > l1 ? l0 : l1;
        return m + log(exp(l0 - m) + exp(l1 - m));
    }
    size_t m = it->ncat;
    if (k == 0)
        return rf_log_logistic(-it->a * (theta - thresh(it, 1)));
    if (k == m - 1)
        return rf_log_logistic(it->a * (theta - thresh(it, m - 1)));
    double x = it->a * (theta - thresh(it, k));
    double y = it->a * (theta - thresh(it, k + 1));
    return rf_log_logistic(x) + rf_log_logistic(-y) + log1mexp(x - y);
}

void rf_irt_probs(const struct rf_irt_item *it, double theta, double *p)
{
    for (size_t k = 0; k < it->ncat; k++)
        p[k] = rf_irt_prob(it, theta, k);
}

double rf_irt_expected(const struct rf_irt_item *it, double theta)
{
    double e = 0;
    for (size_t k = 1; k < it->ncat; k++)
        e += (double)k * rf_irt_prob(it, theta, k);
    return e;
}

void rf_irt_dlogprob_theta(const struct rf_irt_item *it, double theta, size_t k, double *d1,
                           double *d2)
{
    double a = it->a;
    if (it->model == RF_MODEL_3PL) {
        double z = a * (theta - it->b);
        double s = rf_logistic(z), sn = rf_logistic(-z);
        if (k == 0) {
            *d1 = -a * s;
            *d2 = -a * a * s * sn;
            return;
        }
        double p1 = it->c + (1.0 - it->c) * s;
        double w = (1.0 - it->c) * s / p1; /* share of P1 not due to guessing */
        *d1 = a * sn * w;
        *d2 = a * a * sn * w * (sn * (1.0 - w) - s);
        return;
    }
    double u, un, v, vn;
    cum(it, theta, k, &u, &un);
    cum(it, theta, k + 1, &v, &vn);
    /* 1 - u - v == un - v */
    *d1 = a * (un - v);
    *d2 = -a * a * (u * un + v * vn);
}

/* Gradient and Hessian of P*_j in the (a, b_j) coordinates. */
static void cum_derivs(const struct rf_irt_item *it, double theta, size_t j, double g[2],
                       double h[3])
{
    double bj = thresh(it, j);
    double z = it->a * (theta - bj);
    double p = rf_logistic(z), pn = rf_logistic(-z);
    double s = p * pn, t = pn - p; /* s = P(1-P), t = 1 - 2P */
    double dt = theta - bj;
    g[0] = s * dt;
    g[1] = -it->a * s;
    h[0] = s * t * dt * dt;              /* aa */
    h[1] = -it->a * s * t * dt - s;      /* a b_j */
    h[2] = it->a * it->a * s * t;        /* b_j b_j */
}

void rf_irt_dlogprob_params(const struct rf_irt_item *it, double theta, size_t k, double *grad,
                            double *hess)
{
    if (it->model == RF_MODEL_3PL) {
        double a = it->a, c = it->c, dt = theta - it->b;
        double z = a * dt;
        double p = rf_logistic(z), pn = rf_logistic(-z);
        double s = p * pn, t = pn - p;
        double g1[3] = {(1 - c) * s * dt, -(1 - c) * s * a, pn};
        double h1[9] = {(1 - c) * s * t * dt * dt, (1 - c) * (-a * s * t * dt - s), -s * dt,
                        0, (1 - c) * a * a * s * t, s * a,
                        0, 0, 0};
        h1[3] = h1[1];
        h1[6] = h1[2];
        h1[7] = h1[5];
        double P = rf_irt_prob(it, theta, k);
        double sign = k ? 1.0 : -1.0;
        for (int i = 0; i < 3; i++)
            grad[i] = sign * g1[i] / P;
        if (hess)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    hess[i * 3 + j] = sign * h1[i * 3 + j] / P - grad[i] * grad[j];
        return;
    }
    /* Cumulative models in the full (a, b_1..b_{m-1}) space, then 1PL keeps b. */
    size_t m = it->ncat, np = m; /* a plus m-1 thresholds */
    double G[RF_MAX_CATEGORIES];
    double H[RF_MAX_CATEGORIES * RF_MAX_CATEGORIES];
    memset(G, 0, sizeof G);
    if (hess)
        memset(H, 0, sizeof H);
    double f = rf_irt_prob(it, theta, k);
    for (int side = 0; side < 2; side++) {
        size_t j = k + (size_t)side;
        if (j == 0 || j >= m)
            continue;
        double sign = side == 0 ? 1.0 : -1.0;
        double g[2], h[3];
        cum_derivs(it, theta, j, g, h);
        G[0] += sign * g[0];
        G[j] += sign * g[1];
        if (!hess) /* the gradient alone: the same values, no Hessian */
            continue;
        H[0] += sign * h[0];
        H[j] += sign * h[1];
        H[j * np] += sign * h[1];
        H[j * np + j] += sign * h[2];
    }
    for (size_t i = 0; i < np; i++)
        G[i] /= f;
    for (size_t i = 0; hess && i < np; i++)
        for (size_t j = 0; j < np; j++)
            H[i * np + j] = H[i * np + j] / f - G[i] * G[j];
    if (it->model == RF_MODEL_1PL) {
        grad[0] = G[1];
        if (hess)
            hess[0] = H[np + 1];
        return;
    }
    memcpy(grad, G, np * sizeof *grad);
    if (hess)
        memcpy(hess, H, np * np * sizeof *hess);
}

double rf_irt_info(const struct rf_irt_item *it, double theta)
{
    double info = 0;
    if (it->model != RF_MODEL_3PL) {
        /* rf_irt_prob and rf_irt_dlogprob_theta's d1 per category, each
         * boundary curve computed once instead of four times (the same
         * values, so the same sum). */
        double u[RF_MAX_CATEGORIES + 1], un[RF_MAX_CATEGORIES + 1];
        for (size_t j = 0; j <= it->ncat; j++)
            cum(it, theta, j, &u[j], &un[j]);
        for (size_t k = 0; k < it->ncat; k++) {
            double p = (u[k] + u[k + 1] > 1.0) ? un[k + 1] - un[k] : u[k] - u[k + 1];
            if (p <= 0)
                continue;
            double d1 = it->a * (un[k] - u[k + 1]);
            info += p * d1 * d1;
        }
        return info;
    }
    for (size_t k = 0; k < it->ncat; k++) {
        double p = rf_irt_prob(it, theta, k), d1, d2;
        if (p <= 0)
            continue;
        rf_irt_dlogprob_theta(it, theta, k, &d1, &d2);
        info += p * d1 * d1;
    }
    return info;
}

double rf_irt_warm_j(const struct rf_irt_item *it, double theta)
{
    double j = 0;
    for (size_t k = 0; k < it->ncat; k++) {
        double p = rf_irt_prob(it, theta, k), d1, d2;
        if (p <= 0)
            continue;
        rf_irt_dlogprob_theta(it, theta, k, &d1, &d2);
        j += p * d1 * (d2 + d1 * d1);
    }
    return j;
}

double rf_irt_test_info(const struct rf_irt_item *items, size_t n, double theta)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += rf_irt_info(&items[i], theta);
    return s;
}
