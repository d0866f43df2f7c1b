/*
 * Ability estimation. EAP sums precomputed log-probability tables (Bock &
 * Mislevy 1982). MLE, MAP and WLE find the root of an estimating equation by
 * safeguarded Newton inside a bracket found from a grid scan, so that 3PL
 * likelihoods with several local maxima pick the global one on the grid.
 * WLE solves S(theta) + J(theta) / (2 I(theta)) = 0 (Warm 1989, eq. 9).
 */
#include "irt/ability.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

struct rf_scorer {
    const struct rf_irt_item *items;
    size_t nitems;
    struct rf_quad q;   /* private copy of the grid */
    size_t *off;        /* off[i]: start of item i's table (ncat * nq) */
    double *lp;         /* log P(X = k | x_q) at off[i] + k * nq + q */
    double *ll;         /* workspace: log posterior over the grid */
    double *post;       /* workspace: posterior */
};

const char *rf_irt_method_name(enum rf_method m)
{
    switch (m) {
    case RF_EST_EAP: return "eap";
    case RF_EST_MAP: return "map";
    case RF_EST_MLE: return "mle";
    case RF_EST_WLE: return "wle";
    }
    return "?";
}

rf_status rf_irt_method_parse(const char *s, enum rf_method *out)
{
    for (int m = RF_EST_EAP; m <= RF_EST_WLE; m++) {
        if (strcmp(s, rf_irt_method_name((enum rf_method)m)) == 0) {
            *out = (enum rf_method)m;
            return RF_OK;
        }
    }
    return RF_EINVAL;
}

void rf_scorer_free(struct rf_scorer *s)
{
    if (!s)
        return;
    rf_quad_cleanup(&s->q);
    free(s->off);
    free(s->lp);
    free(s->ll);
    free(s->post);
    free(s);
}

static rf_status copy_quad(struct rf_quad *dst, const struct rf_quad *src)
{
    *dst = *src;
    dst->x = rf_alloc_array(src->n, sizeof(double));
    dst->w = rf_alloc_array(src->n, sizeof(double));
    dst->logw = rf_alloc_array(src->n, sizeof(double));
    if (!dst->x || !dst->w || !dst->logw) {
        rf_quad_cleanup(dst);
        return RF_ENOMEM;
    }
    memcpy(dst->x, src->x, src->n * sizeof(double));
    memcpy(dst->w, src->w, src->n * sizeof(double));
    memcpy(dst->logw, src->logw, src->n * sizeof(double));
    return RF_OK;
}

rf_status rf_scorer_new(const struct rf_irt_item *items, size_t nitems, const struct rf_quad *q,
                        struct rf_scorer **out, struct rf_err *err)
{
    for (size_t i = 0; i < nitems; i++) {
        rf_status rc = rf_irt_item_validate(&items[i], err);
        if (rc) {
            rf_err_prefix(err, "item %zu", i + 1);
            return rc;
        }
    }
    struct rf_scorer *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "scorer: out of memory");
    s->items = items;
    s->nitems = nitems;
    if (copy_quad(&s->q, q)) {
        free(s);
        return rf_err_set(err, RF_ENOMEM, "scorer: out of memory");
    }
    size_t nq = q->n, total = 0;
    s->off = rf_alloc_array(nitems + 1, sizeof *s->off);
    if (s->off) {
        for (size_t i = 0; i < nitems; i++) {
            s->off[i] = total;
            total += items[i].ncat * nq;
        }
        s->off[nitems] = total;
    }
    s->lp = rf_alloc_array(total, sizeof *s->lp);
    s->ll = rf_alloc_array(nq, sizeof *s->ll);
    s->post = rf_alloc_array(nq, sizeof *s->post);
    if (!s->off || !s->lp || !s->ll || !s->post) {
        rf_scorer_free(s);
        return rf_err_set(err, RF_ENOMEM, "scorer: out of memory for %zu items", nitems);
    }
    for (size_t i = 0; i < nitems; i++)
        for (size_t k = 0; k < items[i].ncat; k++)
            for (size_t j = 0; j < nq; j++)
                s->lp[s->off[i] + k * nq + j] = rf_irt_logprob(&items[i], s->q.x[j], k);
    *out = s;
    return RF_OK;
}

/* Checks the pattern; counts answered items and whether all sit in the
 * bottom (*all_lo) or top (*all_hi) category. */
static rf_status check_resp(const struct rf_scorer *s, const int *resp, size_t *n, int *all_lo,
                            int *all_hi, struct rf_err *err)
{
    *n = 0;
    *all_lo = *all_hi = 1;
    for (size_t i = 0; i < s->nitems; i++) {
        int r = resp[i];
        if (r == RF_MISSING)
            continue;
        if (r < 0 || (size_t)r >= s->items[i].ncat)
            return rf_err_set(err, RF_EINVAL, "item %zu: response %d is not a category 0..%zu",
                              i + 1, r, s->items[i].ncat - 1);
        (*n)++;
        if (r != 0)
            *all_lo = 0;
        if ((size_t)r != s->items[i].ncat - 1)
            *all_hi = 0;
    }
    return RF_OK;
}

/* Log-likelihood of the pattern at every node into s->ll (no prior). */
static void grid_loglik(struct rf_scorer *s, const int *resp)
{
    size_t nq = s->q.n;
    double *ll = s->ll;
    memset(ll, 0, nq * sizeof *ll);
    for (size_t i = 0; i < s->nitems; i++) {
        if (resp[i] == RF_MISSING)
            continue;
        const double *t = s->lp + s->off[i] + (size_t)resp[i] * nq;
        for (size_t j = 0; j < nq; j++)
            ll[j] += t[j];
    }
}

void rf_irt_loglik_add(const struct rf_irt_item *it, size_t k, const struct rf_quad *q,
                       double *loglik)
{
    for (size_t j = 0; j < q->n; j++)
        loglik[j] += rf_irt_logprob(it, q->x[j], k);
}

void rf_irt_posterior_moments(const struct rf_quad *q, const double *loglik, double *post,
                              double *mean, double *sd)
{
    double mx = -HUGE_VAL;
    for (size_t j = 0; j < q->n; j++) {
        double v = loglik[j] + q->logw[j];
        if (v > mx)
            mx = v;
    }
    double tot = 0, m1 = 0;
    for (size_t j = 0; j < q->n; j++) {
        post[j] = exp(loglik[j] + q->logw[j] - mx);
        tot += post[j];
    }
    for (size_t j = 0; j < q->n; j++) {
        post[j] /= tot;
        m1 += post[j] * q->x[j];
    }
    double m2 = 0;
    for (size_t j = 0; j < q->n; j++) {
        double d = q->x[j] - m1;
        m2 += post[j] * d * d;
    }
    *mean = m1;
    *sd = sqrt(m2);
}

rf_status rf_scorer_posterior(struct rf_scorer *s, const int *resp, double *post,
                              struct rf_err *err)
{
    size_t n;
    int lo, hi;
    rf_status rc = check_resp(s, resp, &n, &lo, &hi, err);
    if (rc)
        return rc;
    grid_loglik(s, resp);
    double m, sd;
    rf_irt_posterior_moments(&s->q, s->ll, post, &m, &sd);
    return RF_OK;
}

/* Sums over answered items at theta: score S, second derivative H, test
 * information I and Warm's J (the last two only when want_ij). */
static void eval(const struct rf_scorer *s, const int *resp, double theta, double *S, double *H,
                 double *I, double *J, int want_ij)
{
    double ss = 0, hh = 0, ii = 0, jj = 0;
    for (size_t i = 0; i < s->nitems; i++) {
        if (resp[i] == RF_MISSING)
            continue;
        const struct rf_irt_item *it = &s->items[i];
        if (it->model == RF_MODEL_1PL || it->model == RF_MODEL_2PL) {
            /* closed forms with one exponential: d1 = a(x - P), I = -d2 = a^2 PQ,
             * J = a^3 PQ (Q - P) */
            double a = it->a, z = a * (theta - it->b);
            double p = rf_logistic(z), qq = rf_logistic(-z), pq = p * qq;
            ss += a * (resp[i] ? qq : -p);
            hh -= a * a * pq;
            ii += a * a * pq;
            jj += a * a * a * pq * (qq - p);
            continue;
        }
        double d1, d2;
        rf_irt_dlogprob_theta(it, theta, (size_t)resp[i], &d1, &d2);
        ss += d1;
        hh += d2;
        if (want_ij) {
            ii += rf_irt_info(it, theta);
            jj += rf_irt_warm_j(it, theta);
        }
    }
    *S = ss;
    *H = hh;
    if (I)
        *I = ii;
    if (J)
        *J = jj;
}

/* The estimating function g(theta) whose root is the estimate, and its slope
 * when known (NaN for WLE, where the bracket search uses secant steps). */
static double estfun(const struct rf_scorer *s, const int *resp, enum rf_method m, double theta,
                     double *slope)
{
    double S, H, I, J;
    eval(s, resp, theta, &S, &H, &I, &J, m == RF_EST_WLE);
    switch (m) {
    case RF_EST_MAP: {
        double v = s->q.sd * s->q.sd;
        *slope = H - 1.0 / v;
        return S - (theta - s->q.mean) / v;
    }
    case RF_EST_WLE:
        *slope = NAN;
        return S + (I > 0 ? J / (2.0 * I) : 0.0);
    default:
        *slope = H;
        return S;
    }
}

/* Finds a root of a function that goes from positive (at lo) to negative (at
 * hi): Newton steps kept inside the bracket, secant or bisection otherwise. */
static double solve(const struct rf_scorer *s, const int *resp, enum rf_method m, double lo,
                    double hi, double flo, double fhi)
{
    double x = 0.5 * (lo + hi);
    for (int it = 0; it < RF_NEWTON_MAX_ITER * 2; it++) {
        double d, f = estfun(s, resp, m, x, &d);
        if (f == 0)
            return x;
        if (f > 0) {
            lo = x;
            flo = f;
        } else {
            hi = x;
            fhi = f;
        }
        if (hi - lo < RF_NEWTON_TOL)
            break;
        double nx;
        if (isfinite(d) && d < 0)
            nx = x - f / d;
        else
            nx = lo + flo * (hi - lo) / (flo - fhi); /* secant on the bracket */
        if (!(nx > lo && nx < hi) || fabs(nx - x) > 0.5 * (hi - lo))
            nx = 0.5 * (lo + hi);
        if (fabs(nx - x) < RF_NEWTON_TOL * 0.1) {
            x = nx;
            break;
        }
        x = nx;
    }
    return x;
}

/* Brackets the root near start by walking outward in steps of h. */
static rf_status bracket_and_solve(const struct rf_scorer *s, const int *resp, enum rf_method m,
                                   double start, double h, double *theta, struct rf_err *err)
{
    double d, f0 = estfun(s, resp, m, start, &d);
    if (f0 == 0) {
        *theta = start;
        return RF_OK;
    }
    double dir = f0 > 0 ? 1.0 : -1.0;
    double x0 = start, f = f0;
    for (;;) {
        double x1 = x0 + dir * h;
        if (fabs(x1) > RF_THETA_LIMIT) {
            x1 = dir * RF_THETA_LIMIT;
            if (x1 == x0)
                break;
        }
        double f1 = estfun(s, resp, m, x1, &d);
        if ((f1 > 0) != (f > 0) || f1 == 0) {
            if (dir > 0)
                *theta = solve(s, resp, m, x0, x1, f, f1);
            else
                *theta = solve(s, resp, m, x1, x0, f1, f);
            return RF_OK;
        }
        x0 = x1;
        f = f1;
        if (fabs(x0) >= RF_THETA_LIMIT)
            break;
        h *= 1.5;
    }
    return rf_err_set(err, RF_ERANGE, "%s: no finite estimate within +-%g (the %s keeps rising)",
                      rf_irt_method_name(m), RF_THETA_LIMIT,
                      m == RF_EST_MAP ? "posterior" : "likelihood");
}

rf_status rf_scorer_estimate(struct rf_scorer *s, const int *resp, enum rf_method method,
                             struct rf_ability *out, struct rf_err *err)
{
    size_t n;
    int all_lo, all_hi;
    rf_status rc = check_resp(s, resp, &n, &all_lo, &all_hi, err);
    if (rc)
        return rc;
    struct rf_ability a = {0, 0, n};
    if (method == RF_EST_EAP || ((method == RF_EST_MAP) && n == 0)) {
        grid_loglik(s, resp);
        rf_irt_posterior_moments(&s->q, s->ll, s->post, &a.theta, &a.se);
        *out = a;
        return RF_OK;
    }
    if (n == 0)
        return rf_err_set(err, RF_ERANGE, "%s: no responses, no finite estimate",
                          rf_irt_method_name(method));
    if (method == RF_EST_MLE && (all_lo || all_hi))
        return rf_err_set(err, RF_ERANGE,
                          "mle: all %zu responses in the %s category, no finite estimate", n,
                          all_hi ? "top" : "bottom");
    /* Start from the best grid node of the objective (likelihood or posterior). */
    grid_loglik(s, resp);
    size_t best = 0;
    double bv = -HUGE_VAL;
    for (size_t j = 0; j < s->q.n; j++) {
        double v = s->ll[j];
        if (method == RF_EST_MAP) {
            double z = (s->q.x[j] - s->q.mean) / s->q.sd;
            v -= 0.5 * z * z;
        }
        if (v > bv) {
            bv = v;
            best = j;
        }
    }
    double h = s->q.n > 1 ? (s->q.x[s->q.n - 1] - s->q.x[0]) / (double)(s->q.n - 1) : 0.25;
    if (h > 0.5 || h <= 0)
        h = 0.25;
    rc = bracket_and_solve(s, resp, method, s->q.x[best], h, &a.theta, err);
    if (rc)
        return rc;
    double S, H, I, J;
    eval(s, resp, a.theta, &S, &H, &I, &J, 1);
    if (method == RF_EST_MAP) {
        double curv = -H + 1.0 / (s->q.sd * s->q.sd);
        a.se = curv > 0 ? 1.0 / sqrt(curv) : INFINITY;
    } else {
        a.se = I > 0 ? 1.0 / sqrt(I) : INFINITY;
    }
    *out = a;
    return RF_OK;
}
