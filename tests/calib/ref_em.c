/* Reference EM for the tests; see ref_em.h. */
#include "ref_em.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAXP RF_MAX_CATEGORIES

static int valid(const struct rf_irt_item *it)
{
    if (!(it->a > 0 && it->a < 50))
        return 0;
    if (it->model == RF_MODEL_GRM)
        for (size_t k = 1; k + 1 < it->ncat; k++)
            if (!(it->thr[k] > it->thr[k - 1]))
                return 0;
    return 1;
}

static void set_params(struct rf_irt_item *it, const double *p)
{
    it->a = p[0];
    if (it->model == RF_MODEL_GRM) {
        for (size_t k = 0; k + 1 < it->ncat; k++)
            it->thr[k] = p[k + 1];
        it->b = it->thr[0];
    } else {
        it->b = p[1];
        it->thr[0] = p[1];
    }
}

static void get_params(const struct rf_irt_item *it, double *p)
{
    p[0] = it->a;
    if (it->model == RF_MODEL_GRM)
        for (size_t k = 0; k + 1 < it->ncat; k++)
            p[k + 1] = it->thr[k];
    else
        p[1] = it->b;
}

static double objective(const struct rf_irt_item *it, const double *r, const double *theta,
                        size_t nq)
{
    if (!valid(it))
        return -HUGE_VAL;
    double f = 0;
    for (size_t k = 0; k < it->ncat; k++)
        for (size_t q = 0; q < nq; q++)
            f += r[k * nq + q] * rf_irt_logprob(it, theta[q], k);
    return f;
}

/* Gaussian elimination with partial pivoting: solves A x = g (n <= MAXP). */
static int solve(size_t n, double *A, double *g, double *x)
{
    for (size_t c = 0; c < n; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[piv * n + c]))
                piv = r;
        if (A[piv * n + c] == 0)
            return -1;
        for (size_t k = 0; k < n; k++) {
            double t = A[c * n + k];
            A[c * n + k] = A[piv * n + k];
            A[piv * n + k] = t;
        }
        double t = g[c];
        g[c] = g[piv];
        g[piv] = t;
        for (size_t r = c + 1; r < n; r++) {
            double f = A[r * n + c] / A[c * n + c];
            for (size_t k = c; k < n; k++)
                A[r * n + k] -= f * A[c * n + k];
            g[r] -= f * g[c];
        }
    }
    for (size_t c = n; c-- > 0;) {
        double s = g[c];
        for (size_t k = c + 1; k < n; k++)
            s -= A[c * n + k] * x[k];
        x[c] = s / A[c * n + c];
    }
    return 0;
}

double ref_em(const signed char *x, size_t n, size_t J, enum rf_model model, const size_t *ncat,
              size_t nq, double tol, size_t max_iter, struct rf_irt_item *items)
{
    double *theta = malloc(nq * sizeof *theta), *logw = malloc(nq * sizeof *logw);
    double *r = calloc(J * MAXP * nq, sizeof *r), *post = malloc(nq * sizeof *post);
    double h = 12.0 / (double)(nq - 1), sw = 0;
    for (size_t q = 0; q < nq; q++) {
        theta[q] = -6.0 + h * (double)q;
        sw += exp(-0.5 * theta[q] * theta[q]);
    }
    for (size_t q = 0; q < nq; q++)
        logw[q] = -0.5 * theta[q] * theta[q] - log(sw);
    /* start: a = 1, thresholds spread around 0 */
    for (size_t j = 0; j < J; j++) {
        double thr[MAXP];
        for (size_t k = 0; k + 1 < ncat[j]; k++)
            thr[k] = -1.0 + 2.0 * (double)(k + 1) / (double)ncat[j];
        if (model == RF_MODEL_GRM)
            rf_irt_item_grm(&items[j], 1.0, thr, ncat[j]);
        else
            rf_irt_item_dich(&items[j], RF_MODEL_2PL, 1.0, 0.0, 0.0);
    }
    double ll = 0;
    for (size_t iter = 0; iter <= max_iter; iter++) {
        memset(r, 0, J * MAXP * nq * sizeof *r);
        ll = 0;
        for (size_t i = 0; i < n; i++) {
            const signed char *row = x + i * J;
            double mx = -HUGE_VAL, s = 0;
            for (size_t q = 0; q < nq; q++) {
                post[q] = logw[q];
                for (size_t j = 0; j < J; j++)
                    if (row[j] >= 0)
                        post[q] += rf_irt_logprob(&items[j], theta[q], (size_t)row[j]);
                if (post[q] > mx)
                    mx = post[q];
            }
            for (size_t q = 0; q < nq; q++)
                s += exp(post[q] - mx);
            ll += mx + log(s);
            for (size_t q = 0; q < nq; q++)
                post[q] = exp(post[q] - mx) / s;
            for (size_t j = 0; j < J; j++)
                if (row[j] >= 0)
                    for (size_t q = 0; q < nq; q++)
                        r[(j * MAXP + (size_t)row[j]) * nq + q] += post[q];
        }
        if (iter == max_iter)
            break;
        double change = 0;
        for (size_t j = 0; j < J; j++) {
            struct rf_irt_item *it = &items[j];
            const double *rj = r + j * MAXP * nq;
            size_t np = rf_irt_nparams(it);
            double p0[MAXP];
            get_params(it, p0);
            for (int nt = 0; nt < 50; nt++) {
                double g[MAXP] = {0}, H[MAXP * MAXP] = {0}, gk[MAXP], hk[MAXP * MAXP], d[MAXP];
                for (size_t k = 0; k < it->ncat; k++)
                    for (size_t q = 0; q < nq; q++) {
                        rf_irt_dlogprob_params(it, theta[q], k, gk, hk);
                        for (size_t a = 0; a < np; a++) {
                            g[a] += rj[k * nq + q] * gk[a];
                            for (size_t b = 0; b < np; b++)
                                H[a * np + b] -= rj[k * nq + q] * hk[a * np + b];
                        }
                    }
                /* Newton where -H is positive definite along the step, else a
                 * scaled gradient step (far from the optimum). */
                double g0[MAXP], dg = 0, mxd = 0;
                memcpy(g0, g, sizeof g0);
                for (size_t a = 0; a < np; a++)
                    mxd = fmax(mxd, fabs(H[a * np + a]));
                int sing = solve(np, H, g, d);
                for (size_t a = 0; a < np && !sing; a++)
                    dg += d[a] * g0[a];
                if (sing || !(dg > 0))
                    for (size_t a = 0; a < np; a++)
                        d[a] = g0[a] / (mxd + 1);
                double f0 = objective(it, rj, theta, nq), p[MAXP], step = 1;
                struct rf_irt_item trial = *it;
                get_params(it, p);
                int ok = 0;
                for (int hv = 0; hv < 40 && !ok; hv++, step /= 2) {
                    double pt[MAXP];
                    for (size_t a = 0; a < np; a++)
                        pt[a] = p[a] + step * d[a];
                    set_params(&trial, pt);
                    ok = objective(&trial, rj, theta, nq) >= f0 - 1e-12 * fabs(f0);
                }
                if (!ok)
                    break;
                *it = trial;
                double mv = 0, pn[MAXP];
                get_params(it, pn);
                for (size_t a = 0; a < np; a++)
                    mv = fmax(mv, fabs(pn[a] - p[a]));
                if (mv < 1e-10)
                    break;
            }
            double p1[MAXP];
            get_params(it, p1);
            for (size_t a = 0; a < np; a++)
                change = fmax(change, fabs(p1[a] - p0[a]));
        }
        if (change < tol) {
            max_iter = iter + 1; /* one more E-step for the final log-likelihood */
        }
    }
    free(theta);
    free(logw);
    free(r);
    free(post);
    return ll;
}
