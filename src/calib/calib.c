/*
 * Calibration driver: data checks and preparation, starting values, the
 * M-step (Newton-Raphson per item with step halving on the expected
 * complete-data log-likelihood, Bock & Aitkin 1981 eq. 9; Baker & Kim 2004
 * ch. 6), the latent-distribution update for pretest calibration with
 * fixed items (Kim 2006, multiple-weights updating), and the final pass
 * (standard errors from the cross-product of person score vectors, AIC, BIC,
 * marginal reliability). See calib.h for the contract and em.h for the state.
 */
#include "calib/calib.h"

#include <cblas.h>
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "base/config.h"
#include "base/mem.h"
#include "calib/em.h"
#include "irt/quad.h"

/* LAPACK from OpenBLAS (Fortran interface; symmetric matrices only, so the
 * row-major upper triangle is the column-major lower one). */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);

void rf_calib_opts_default(struct rf_calib_opts *o)
{
    memset(o, 0, sizeof *o);
    o->model = RF_MODEL_2PL;
    o->nquad = RF_QUAD_DEFAULT_N;
    o->lo = RF_QUAD_DEFAULT_LO;
    o->hi = RF_QUAD_DEFAULT_HI;
    o->tol = RF_CALIB_DEFAULT_TOL;
    o->max_iter = RF_CALIB_DEFAULT_MAX_ITER;
    o->threads = 1;
    o->prior_c = 1;
    o->prior_c_alpha = RF_CALIB_PRIOR_C_ALPHA;
    o->prior_c_beta = RF_CALIB_PRIOR_C_BETA;
    o->collapse = 1;
    o->kernel = RF_CALIB_AUTO;
    o->want_se = 1;
    o->want_fit = 1;
    o->newton_tol = 1e-9;
    o->accelerate = 1;
}

/* Length of the full internal vector of item j: (a, d_1..d_{m-1}, [c]);
 * a 1PL item carries the common a in position 0. */
static size_t nfull(const struct rf_calib *c, size_t j)
{
    const struct rf_irt_item *it = &c->items[j];
    return it->model == RF_MODEL_3PL ? 3 : c->ncat[j];
}

static double *phi_of(const struct rf_calib *c, size_t j)
{
    return c->phi + j * RF_CALIB_MAXP;
}

/* The item described by internal parameters phi (full layout), as a model
 * whose derivatives are available in (a, b.., c): a 1PL item becomes 2PL. */
static void item_from_phi(const struct rf_irt_item *proto, size_t ncat, const double *phi,
                          struct rf_irt_item *it)
{
    double a = phi[0];
    if (proto->model == RF_MODEL_GRM) {
        double thr[RF_MAX_CATEGORIES];
        for (size_t k = 0; k + 1 < ncat; k++)
            thr[k] = -phi[k + 1] / a;
        rf_irt_item_grm(it, a, thr, ncat);
        return;
    }
    enum rf_model m = proto->model == RF_MODEL_1PL ? RF_MODEL_2PL : proto->model;
    rf_irt_item_dich(it, m, a, -phi[1] / a, m == RF_MODEL_3PL ? phi[2] : 0.0);
}

static int phi_valid(const struct rf_irt_item *proto, size_t n, const double *phi, int prior_c)
{
    if (!(phi[0] > 0 && phi[0] <= RF_CALIB_A_MAX))
        return 0;
    for (size_t k = 1; k < n; k++)
        if (!isfinite(phi[k]))
            return 0;
    if (proto->model == RF_MODEL_GRM)
        for (size_t k = 2; k < n; k++)
            if (!(phi[k] < phi[k - 1]))
                return 0;
    if (proto->model == RF_MODEL_3PL && !(phi[2] >= (prior_c ? 1e-12 : 0.0) && phi[2] < 1.0))
        return 0;
    return 1;
}

/* Gradient (and Hessian) in (a, d.., c) from those in (a, b.., c):
 * b_k = -d_k / a, so db_k/da = -b_k/a, db_k/dd_k = -1/a, d2b_k/da2 = 2 b_k/a^2,
 * d2b_k/(da dd_k) = 1/a^2. gpsi, hpsi hold the (a, b.., c) derivatives. */
static void to_phi(const struct rf_irt_item *it, size_t n, const double *gpsi, const double *hpsi,
                   double *g, double *H)
{
    double a = it->a;
    size_t K = it->model == RF_MODEL_GRM ? it->ncat - 1 : 1;
    double b[RF_MAX_CATEGORIES];
    for (size_t k = 1; k <= K; k++)
        b[k] = it->model == RF_MODEL_GRM ? it->thr[k - 1] : it->b;
    double Jm[RF_CALIB_MAXP * RF_CALIB_MAXP];
    memset(Jm, 0, sizeof Jm);
    for (size_t i = 0; i < n; i++)
        Jm[i * n + i] = 1.0;
    for (size_t k = 1; k <= K; k++) {
        Jm[k * n + 0] = -b[k] / a;
        Jm[k * n + k] = -1.0 / a;
    }
    for (size_t p = 0; p < n; p++) {
        double s = 0;
        for (size_t m = 0; m < n; m++)
            s += Jm[m * n + p] * gpsi[m];
        g[p] = s;
    }
    if (!H)
        return;
    double tmp[RF_CALIB_MAXP * RF_CALIB_MAXP];
    for (size_t m = 0; m < n; m++)
        for (size_t p = 0; p < n; p++) {
            double s = 0;
            for (size_t l = 0; l < n; l++)
                s += hpsi[m * n + l] * Jm[l * n + p];
            tmp[m * n + p] = s;
        }
    for (size_t p = 0; p < n; p++)
        for (size_t r = 0; r < n; r++) {
            double s = 0;
            for (size_t m = 0; m < n; m++)
                s += Jm[m * n + p] * tmp[m * n + r];
            H[p * n + r] = s;
        }
    for (size_t k = 1; k <= K; k++) {
        H[0] += gpsi[k] * 2.0 * b[k] / (a * a);
        H[k] += gpsi[k] / (a * a);
        H[k * n] += gpsi[k] / (a * a);
    }
}

static void prior_a_terms(const struct rf_calib_opts *o, double a, double *f, double *g, double *h)
{
    double s2 = o->prior_a_sigma * o->prior_a_sigma, u = log(a) - o->prior_a_mu;
    *f += -u * u / (2 * s2) - log(a);
    if (g)
        *g += (-u / s2 - 1.0) / a;
    if (h)
        *h += (-1.0 / s2 + u / s2 + 1.0) / (a * a);
}

static void prior_c_terms(const struct rf_calib_opts *o, double cc, double *f, double *g, double *h)
{
    double al = o->prior_c_alpha - 1, be = o->prior_c_beta - 1;
    *f += (al ? al * log(cc) : 0) + (be ? be * log1p(-cc) : 0);
    if (g)
        *g += al / cc - be / (1 - cc);
    if (h)
        *h += -al / (cc * cc) - be / ((1 - cc) * (1 - cc));
}

/* The centre of item j's normal prior on b, or NaN when it has none
 * (calib.h prior_b_mu: free 2PL and 3PL items only). */
static double prior_b_centre(const struct rf_calib *c, size_t j)
{
    enum rf_model m = c->items[j].model;
    if (!c->o.prior_b_mu || (m != RF_MODEL_2PL && m != RF_MODEL_3PL))
        return NAN;
    return c->o.prior_b_mu[j];
}

/* Adds the log density of b ~ N(mu, sigma^2) (up to a constant) to *f, and
 * its derivatives in (a, b.., c) to gpsi[1] and hpsi[1][1] when gpsi is set:
 * to_phi carries them to (a, d, c) with the rest. */
static void prior_b_terms(double b, double mu, double sigma, size_t n, double *f, double *gpsi,
                          double *hpsi)
{
    double s2 = sigma * sigma, u = b - mu;
    *f += -u * u / (2 * s2);
    if (gpsi) {
        gpsi[1] += -u / s2;
        hpsi[1 * n + 1] += -1.0 / s2;
    }
}

/* Expected complete-data log-posterior of item j at phi (full layout) over
 * the expected counts r (ncat x Q), with gradient and Hessian when g != NULL.
 * -HUGE_VAL when phi is outside the parameter space. */
static double item_obj(const struct rf_calib *c, size_t j, const double *phi, double *g, double *H)
{
    const struct rf_irt_item *proto = &c->items[j];
    size_t n = nfull(c, j), Q = c->Q, m = c->ncat[j];
    int pc = proto->model == RF_MODEL_3PL && c->o.prior_c;
    if (!phi_valid(proto, n, phi, pc))
        return -HUGE_VAL;
    struct rf_irt_item it;
    item_from_phi(proto, m, phi, &it);
    const double *r = c->R + c->off[j] * Q;
    double f = 0, gp[RF_CALIB_MAXP], hp[RF_CALIB_MAXP * RF_CALIB_MAXP];
    double gs[RF_CALIB_MAXP] = {0}, hs[RF_CALIB_MAXP * RF_CALIB_MAXP] = {0};
    for (size_t k = 0; k < m; k++)
        for (size_t q = 0; q < Q; q++) {
            double rk = r[k * Q + q];
            if (rk == 0)
                continue;
            f += rk * rf_irt_logprob(&it, c->theta[q], k);
            if (!g)
                continue;
            rf_irt_dlogprob_params(&it, c->theta[q], k, gp, hp);
            for (size_t i = 0; i < n; i++) {
                gs[i] += rk * gp[i];
                for (size_t l = 0; l < n; l++)
                    hs[i * n + l] += rk * hp[i * n + l];
            }
        }
    double mu_b = prior_b_centre(c, j);
    if (isfinite(mu_b))
        prior_b_terms(it.b, mu_b, c->o.prior_b_sigma, n, &f, g ? gs : NULL, hs);
    if (g)
        to_phi(&it, n, gs, hs, g, H);
    if (c->o.prior_a && proto->model != RF_MODEL_1PL)
        prior_a_terms(&c->o, phi[0], &f, g ? &g[0] : NULL, g ? &H[0] : NULL);
    if (pc)
        prior_c_terms(&c->o, phi[2], &f, g ? &g[2] : NULL, g ? &H[2 * n + 2] : NULL);
    return isfinite(f) ? f : -HUGE_VAL;
}

/* Solves (-H) x = g for a small symmetric system by Cholesky, adding a ridge
 * when -H is not positive definite. */
static void newton_dir(size_t n, const double *H, const double *g, double *x)
{
    double A[RF_CALIB_MAXP * RF_CALIB_MAXP], ridge = 0;
    double scale = 0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(H[i * n + i]));
    for (int attempt = 0; attempt < 40; attempt++) {
        for (size_t i = 0; i < n * n; i++)
            A[i] = -H[i];
        for (size_t i = 0; i < n; i++)
            A[i * n + i] += ridge;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            for (size_t k = 0; k <= i; k++) {
                double s = A[i * n + k];
                for (size_t l = 0; l < k; l++)
                    s -= A[i * n + l] * A[k * n + l];
                if (i == k) {
                    if (!(s > 0)) {
                        ok = 0;
                        break;
                    }
                    A[i * n + i] = sqrt(s);
                } else {
                    A[i * n + k] = s / A[k * n + k];
                }
            }
        }
        if (ok) {
            double y[RF_CALIB_MAXP] = {0};
            for (size_t i = 0; i < n; i++) {
                double s = g[i];
                for (size_t l = 0; l < i; l++)
                    s -= A[i * n + l] * y[l];
                y[i] = s / A[i * n + i];
            }
            for (size_t i = n; i-- > 0;) {
                double s = y[i];
                for (size_t l = i + 1; l < n; l++)
                    s -= A[l * n + i] * x[l];
                x[i] = s / A[i * n + i];
            }
            return;
        }
        ridge = ridge ? ridge * 10 : 1e-8 * (1 + scale);
    }
    for (size_t i = 0; i < n; i++) /* gradient step as a last resort */
        x[i] = g[i] / (1 + scale);
}

/* Newton-Raphson with step halving on item j's parameters; for a 1PL item
 * only d moves (index 1). Returns the largest change. */
static double mstep_item(struct rf_calib *c, size_t j)
{
    double *phi = phi_of(c, j);
    size_t n = nfull(c, j);
    int only_d = c->items[j].model == RF_MODEL_1PL;
    double start[RF_CALIB_MAXP];
    memcpy(start, phi, n * sizeof *phi);
    for (int iter = 0; iter < RF_CALIB_NEWTON_MAX_ITER; iter++) {
        double g[RF_CALIB_MAXP], H[RF_CALIB_MAXP * RF_CALIB_MAXP], dir[RF_CALIB_MAXP] = {0};
        double f = item_obj(c, j, phi, g, H);
        if (only_d)
            dir[1] = H[3] < 0 ? -g[1] / H[3] : g[1] / (1 + fabs(H[3]));
        else
            newton_dir(n, H, g, dir);
        double step = 1, trial[RF_CALIB_MAXP];
        int ok = 0;
        for (int h = 0; h < RF_CALIB_MAX_HALVINGS; h++, step *= 0.5) {
            for (size_t i = 0; i < n; i++)
                trial[i] = phi[i] + step * dir[i];
            double f2 = item_obj(c, j, trial, NULL, NULL);
            if (f2 >= f - 1e-12 * (1 + fabs(f))) {
                ok = 1;
                break;
            }
        }
        if (!ok)
            break;
        double mx = 0;
        for (size_t i = 0; i < n; i++)
            mx = fmax(mx, fabs(trial[i] - phi[i]));
        memcpy(phi, trial, n * sizeof *phi);
        if (mx < c->o.newton_tol)
            break;
    }
    double ch = 0;
    for (size_t i = 0; i < n; i++)
        ch = fmax(ch, fabs(phi[i] - start[i]));
    return ch;
}

/* The common slope of the 1PL: Newton on the sum over free items. */
static double total_1pl(struct rf_calib *c, double a, double *g, double *h)
{
    double f = 0;
    if (g) {
        *g = 0;
        *h = 0;
    }
    for (size_t j = 0; j < c->J; j++) {
        if (c->fixed[j])
            continue;
        double *phi = phi_of(c, j);
        double save = phi[0];
        phi[0] = a;
        double gj[2] = {0}, Hj[4] = {0};
        double fj = item_obj(c, j, phi, g ? gj : NULL, g ? Hj : NULL);
        phi[0] = save;
        if (fj == -HUGE_VAL)
            return -HUGE_VAL;
        f += fj;
        if (g) {
            *g += gj[0];
            *h += Hj[0];
        }
    }
    if (c->o.prior_a)
        prior_a_terms(&c->o, a, &f, g, h);
    return f;
}

static double mstep_common_a(struct rf_calib *c)
{
    double a0 = c->common_a, a = a0;
    for (int iter = 0; iter < RF_CALIB_NEWTON_MAX_ITER; iter++) {
        double g, h;
        double f = total_1pl(c, a, &g, &h);
        double dir = h < 0 ? -g / h : g / (1 + fabs(h));
        double step = 1, trial = a;
        int ok = 0;
        for (int k = 0; k < RF_CALIB_MAX_HALVINGS; k++, step *= 0.5) {
            trial = a + step * dir;
            if (total_1pl(c, trial, NULL, NULL) >= f - 1e-12 * (1 + fabs(f))) {
                ok = 1;
                break;
            }
        }
        if (!ok)
            break;
        double mv = fabs(trial - a);
        a = trial;
        if (mv < c->o.newton_tol)
            break;
    }
    c->common_a = a;
    for (size_t j = 0; j < c->J; j++)
        if (!c->fixed[j])
            phi_of(c, j)[0] = a;
    return fabs(a - a0);
}

/* Writes the internal parameters of free items back into items[]. */
static void sync_items(struct rf_calib *c)
{
    for (size_t j = 0; j < c->J; j++) {
        if (c->fixed[j])
            continue;
        struct rf_irt_item it;
        item_from_phi(&c->items[j], c->ncat[j], phi_of(c, j), &it);
        if (c->items[j].model == RF_MODEL_1PL)
            it.model = RF_MODEL_1PL;
        c->items[j] = it;
    }
}

/* Log weights of N(mu, sd^2) on the grid nodes, normalized. */
static void set_logw(struct rf_calib *c)
{
    double mx = -HUGE_VAL, s = 0;
    for (size_t q = 0; q < c->Q; q++) {
        double z = (c->theta[q] - c->mu) / c->sd;
        c->logw[q] = -0.5 * z * z;
        mx = fmax(mx, c->logw[q]);
    }
    for (size_t q = 0; q < c->Q; q++)
        s += exp(c->logw[q] - mx);
    /* cppcheck-suppress invalidFunctionArg ; s >= 1: the largest term adds exp(0) */
    double ls = mx + log(s);
    for (size_t q = 0; q < c->Q; q++)
        c->logw[q] -= ls;
}

struct mstep_job {
    struct rf_calib *c;
    size_t t;
};

/* Items t, t + T, t + 2T, ...: items are independent, so the result does not
 * depend on the thread count. */
static void *mstep_worker(void *arg)
{
    struct mstep_job *job = arg;
    struct rf_calib *c = job->c;
    for (size_t j = job->t; j < c->J; j += c->nthreads)
        if (!c->fixed[j])
            mstep_item(c, j);
    return NULL;
}

static void mstep_all(struct rf_calib *c)
{
    struct mstep_job jobs[RF_CALIB_MAX_THREADS];
    pthread_t tid[RF_CALIB_MAX_THREADS];
    int started[RF_CALIB_MAX_THREADS] = {0};
    assert(c->nthreads >= 1 && c->nthreads <= RF_CALIB_MAX_THREADS); /* rf_calib_new checks */
    for (size_t t = 0; t < c->nthreads; t++) {
        jobs[t].c = c;
        jobs[t].t = t;
    }
    for (size_t t = 1; t < c->nthreads; t++)
        started[t] = pthread_create(&tid[t], NULL, mstep_worker, &jobs[t]) == 0;
    mstep_worker(&jobs[0]);
    for (size_t t = 1; t < c->nthreads; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            mstep_worker(&jobs[t]); /* could not start: run its share here */
    }
}

/* Ramsay (1975) acceleration over all free internal parameters: with x0, x1
 * the parameters before the last two M-steps and x2 after the last one,
 * d1 = x1 - x0, d2 = x2 - x1, r = |d2| / |d2 - d1| and lambda = max(1 - r, -5),
 * move to (1 - lambda) x2 + lambda x1. Kept only inside the parameter space. */
static void ramsay(struct rf_calib *c)
{
    size_t JP = c->J * RF_CALIB_MAXP;
    const double *x0 = c->hist, *x1 = c->hist + JP;
    double n2 = 0, nd = 0;
    for (size_t j = 0; j < c->J; j++) {
        if (c->fixed[j])
            continue;
        const double *x2 = phi_of(c, j);
        size_t n = nfull(c, j);
        for (size_t p = c->items[j].model == RF_MODEL_1PL ? 1 : 0; p < n; p++) {
            size_t i = j * RF_CALIB_MAXP + p;
            double d1 = x1[i] - x0[i], d2 = x2[p] - x1[i];
            n2 += d2 * d2;
            nd += (d2 - d1) * (d2 - d1);
        }
    }
    if (c->o.model == RF_MODEL_1PL) {
        double d1 = c->hist_a[1] - c->hist_a[0], d2 = c->common_a - c->hist_a[1];
        n2 += d2 * d2;
        nd += (d2 - d1) * (d2 - d1);
    }
    if (!(nd > 0))
        return;
    double lambda = fmax(1.0 - sqrt(n2 / nd), -5.0);
    if (lambda >= 0)
        return;
    for (size_t j = 0; j < c->J; j++) {
        if (c->fixed[j])
            continue;
        const double *x2 = phi_of(c, j);
        size_t n = nfull(c, j);
        double t[RF_CALIB_MAXP] = {0};
        for (size_t p = 0; p < n; p++)
            t[p] = (1 - lambda) * x2[p] + lambda * x1[j * RF_CALIB_MAXP + p];
        if (c->o.model == RF_MODEL_1PL)
            t[0] = (1 - lambda) * c->common_a + lambda * c->hist_a[1];
        if (!phi_valid(&c->items[j], n, t, c->items[j].model == RF_MODEL_3PL && c->o.prior_c))
            return;
    }
    for (size_t j = 0; j < c->J; j++) {
        if (c->fixed[j])
            continue;
        double *x2 = phi_of(c, j);
        for (size_t p = 0; p < nfull(c, j); p++)
            x2[p] = (1 - lambda) * x2[p] + lambda * x1[j * RF_CALIB_MAXP + p];
    }
    if (c->o.model == RF_MODEL_1PL) {
        c->common_a = (1 - lambda) * c->common_a + lambda * c->hist_a[1];
        for (size_t j = 0; j < c->J; j++)
            if (!c->fixed[j])
                phi_of(c, j)[0] = c->common_a;
    }
}

rf_status rf_calib_step(struct rf_calib *c, double *loglik, double *max_change, struct rf_err *err)
{
    rf_em_tables(c);
    rf_status rc = rf_em_estep(c, 0, NULL, NULL, err);
    if (rc)
        return rc;
    size_t JP = c->J * RF_CALIB_MAXP;
    /* history: x0 <- x1, x1 <- parameters before this M-step */
    memcpy(c->hist, c->hist + JP, JP * sizeof *c->hist);
    memcpy(c->hist + JP, c->phi, JP * sizeof *c->hist);
    c->hist_a[0] = c->hist_a[1];
    c->hist_a[1] = c->common_a;
    mstep_all(c);
    if (c->o.model == RF_MODEL_1PL)
        mstep_common_a(c);
    if (c->o.accelerate && c->iter >= 2)
        ramsay(c);
    double ch = 0;
    for (size_t j = 0; j < c->J; j++)
        if (!c->fixed[j])
            for (size_t p = 0; p < nfull(c, j); p++)
                ch = fmax(ch, fabs(phi_of(c, j)[p] - c->hist[JP + j * RF_CALIB_MAXP + p]));
    sync_items(c);
    if (c->est_latent) {
        double s0 = 0, s1 = 0, s2 = 0;
        for (size_t q = 0; q < c->Q; q++) {
            s0 += c->Pq[q];
            s1 += c->Pq[q] * c->theta[q];
            s2 += c->Pq[q] * c->theta[q] * c->theta[q];
        }
        double mu = s1 / s0, sd = sqrt(fmax(s2 / s0 - mu * mu, 1e-6));
        ch = fmax(ch, fmax(fabs(mu - c->mu), fabs(sd - c->sd)));
        c->mu = mu;
        c->sd = sd;
        set_logw(c);
    }
    c->iter++;
    c->max_change = ch;
    c->converged = ch <= c->o.tol;
    if (loglik)
        *loglik = c->loglik;
    if (max_change)
        *max_change = ch;
    if (!isfinite(c->loglik))
        return rf_err_set(err, RF_ERANGE, "calibration: log-likelihood is not finite at cycle %zu",
                          c->iter);
    return RF_OK;
}

int rf_calib_converged(const struct rf_calib *c)
{
    return c->converged;
}

size_t rf_calib_iterations(const struct rf_calib *c)
{
    return c->iter;
}

/* ---- setup ---------------------------------------------------------------- */

struct row_hash {
    size_t mask;
    size_t *slot; /* unit index + 1, 0 = empty */
};

static uint64_t hash_row(const signed char *row, size_t J)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t j = 0; j < J; j++) {
        h ^= (unsigned char)row[j];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

/* Collapses identical rows among the units (rows/wt, nunits) in place when
 * the distinct ones are at most RF_CALIB_COLLAPSE_RATIO of them. */
static rf_status collapse(struct rf_calib *c, struct rf_err *err)
{
    size_t n = c->nunits, limit = (size_t)(RF_CALIB_COLLAPSE_RATIO * (double)n);
    if (n < 2)
        return RF_OK;
    size_t cap = 16;
    while (cap < 2 * limit + 2)
        cap *= 2;
    size_t *slot = rf_calloc_array(cap, sizeof *slot);
    const signed char **urows = rf_alloc_array(limit + 1, sizeof *urows);
    double *uwt = rf_alloc_array(limit + 1, sizeof *uwt);
    if (!slot || !urows || !uwt) {
        free(slot);
        free(urows);
        free(uwt);
        return rf_err_set(err, RF_ENOMEM, "calibration: out of memory collapsing patterns");
    }
    size_t nu = 0, mask = cap - 1;
    int give_up = 0;
    for (size_t i = 0; i < n && !give_up; i++) {
        const signed char *row = c->rows[i];
        size_t h = (size_t)hash_row(row, c->J) & mask;
        for (;;) {
            if (slot[h] == 0) {
                if (nu == limit) {
                    give_up = 1;
                    break;
                }
                urows[nu] = row;
                uwt[nu] = c->wt[i];
                slot[h] = ++nu;
                break;
            }
            size_t u = slot[h] - 1;
            if (memcmp(urows[u], row, c->J) == 0) {
                uwt[u] += c->wt[i];
                break;
            }
            h = (h + 1) & mask;
        }
    }
    free(slot);
    if (!give_up) {
        memcpy(c->rows, urows, nu * sizeof *urows);
        memcpy(c->wt, uwt, nu * sizeof *uwt);
        c->nunits = nu;
    }
    free(urows);
    free(uwt);
    return RF_OK;
}

static rf_status check_opts(const struct rf_calib_opts *o, struct rf_err *err)
{
    if (o->nquad < RF_QUAD_MIN_N || o->nquad > RF_QUAD_MAX_N)
        return rf_err_set(err, RF_EINVAL, "calibration: quadrature nodes must be %d..%d (got %zu)",
                          RF_QUAD_MIN_N, RF_QUAD_MAX_N, o->nquad);
    if (!(o->lo < o->hi))
        return rf_err_set(err, RF_EINVAL, "calibration: grid range must have lo < hi");
    if (!(o->tol > 0))
        return rf_err_set(err, RF_EINVAL, "calibration: tolerance must be > 0");
    if (o->threads < 1 || o->threads > RF_CALIB_MAX_THREADS)
        return rf_err_set(err, RF_EINVAL, "calibration: threads must be 1..%d",
                          RF_CALIB_MAX_THREADS);
    if (o->prior_a && !(o->prior_a_sigma > 0 && isfinite(o->prior_a_mu)))
        return rf_err_set(err, RF_EINVAL, "calibration: lognormal prior on a needs sigma > 0");
    if (o->prior_c && !(o->prior_c_alpha >= 1 && o->prior_c_beta >= 1))
        return rf_err_set(err, RF_EINVAL,
                          "calibration: beta prior on c needs alpha >= 1 and beta >= 1");
    if (o->prior_b_mu && !(o->prior_b_sigma > 0 && isfinite(o->prior_b_sigma)))
        return rf_err_set(err, RF_EINVAL, "calibration: normal prior on b needs sigma > 0");
    return RF_OK;
}

static const char *item_name(const struct rf_calib_data *d, size_t j, char *buf, size_t n)
{
    if (d->item_ids && d->item_ids[j])
        return d->item_ids[j];
    snprintf(buf, n, "#%zu", j + 1);
    return buf;
}

/* Counts categories per item and responses per person; checks cell values. */
static rf_status scan(const struct rf_calib_data *d, size_t *cnt, size_t *nper, size_t *nnz,
                      struct rf_err *err)
{
    size_t J = d->nitems, K = RF_MAX_CATEGORIES;
    char nb[32];
    *nnz = 0;
    if (d->x) {
        for (size_t i = 0; i < d->npersons; i++) {
            const signed char *row = d->x + i * J;
            size_t m = 0;
            for (size_t j = 0; j < J; j++) {
                /* a response category or -1, never a character */
                /* NOLINTNEXTLINE(bugprone-signed-char-misuse,cert-str34-c) */
                int v = row[j];
                if (v == RF_RESP_MISSING)
                    continue;
                if (v < 0 || v >= (int)K)
                    return rf_err_set(err, RF_EINVAL,
                                      "person %zu, item '%s': category %d out of "
                                      "range",
                                      i + 1, item_name(d, j, nb, sizeof nb), v);
                cnt[j * K + (size_t)v]++;
                m++;
            }
            nper[i] = m;
            *nnz += m;
        }
        return RF_OK;
    }
    if (!d->row_ptr || !d->col || !d->val || d->row_ptr[0] != 0)
        return rf_err_set(err, RF_EINVAL, "calibration: sparse data needs row_ptr, col and val");
    for (size_t i = 0; i < d->npersons; i++) {
        if (d->row_ptr[i + 1] < d->row_ptr[i])
            return rf_err_set(err, RF_EINVAL, "person %zu: row pointers decrease", i + 1);
        for (size_t e = d->row_ptr[i]; e < d->row_ptr[i + 1]; e++) {
            size_t j = d->col[e];
            /* a response category or -1, never a character */
            /* NOLINTNEXTLINE(bugprone-signed-char-misuse,cert-str34-c) */
            int v = d->val[e];
            if (j >= J || (e > d->row_ptr[i] && d->col[e - 1] >= j))
                return rf_err_set(err, RF_EINVAL,
                                  "person %zu: item indices must increase and be "
                                  "below %zu",
                                  i + 1, J);
            if (v < 0 || v >= (int)K)
                return rf_err_set(err, RF_EINVAL,
                                  "person %zu, item '%s': category %d out of "
                                  "range",
                                  i + 1, item_name(d, j, nb, sizeof nb), v);
            cnt[j * K + (size_t)v]++;
        }
        nper[i] = d->row_ptr[i + 1] - d->row_ptr[i];
    }
    *nnz = d->row_ptr[d->npersons];
    return RF_OK;
}

/* Item setup: fixed or free, category counts, checks, starting values. */
static rf_status setup_items(struct rf_calib *c, const struct rf_calib_data *d, const size_t *cnt,
                             struct rf_err *err)
{
    size_t K = RF_MAX_CATEGORIES, nmatch = 0;
    char nb[32];
    const struct rf_param_table *fx = c->o.fixed;
    for (size_t j = 0; j < c->J; j++) {
        const char *id = item_name(d, j, nb, sizeof nb);
        const size_t *cj = cnt + j * K;
        size_t top = 0, tot = 0;
        for (size_t k = 0; k < K; k++) {
            tot += cj[k];
            if (cj[k])
                top = k;
        }
        c->nresp[j] = tot;
        size_t idx;
        if (fx && d->item_ids && rf_params_find(fx, d->item_ids[j], &idx) == RF_OK) {
            c->items[j] = fx->items[idx];
            c->fixed[j] = 1;
            c->ncat[j] = fx->items[idx].ncat;
            if (tot && top >= c->ncat[j])
                return rf_err_set(err, RF_EINVAL,
                                  "item '%s': category %zu in the data but the "
                                  "fixed item has %zu categories",
                                  id, top, c->ncat[j]);
            nmatch++;
            continue;
        }
        enum rf_model mj = c->o.item_model ? c->o.item_model[j] : c->o.model;
        if (tot == 0)
            return rf_err_set(err, RF_EINVAL,
                              "item '%s': no responses (no variance); drop the "
                              "column",
                              id);
        if (mj != RF_MODEL_GRM && top > 1)
            return rf_err_set(err, RF_EINVAL,
                              "item '%s': category %zu in the data, but a %s item "
                              "takes 0 or 1",
                              id, top, rf_irt_model_name(mj));
        size_t m = mj == RF_MODEL_GRM ? top + 1 : 2;
        for (size_t k = 0; k < m; k++)
            if (cj[k] == tot)
                return rf_err_set(err, RF_EINVAL,
                                  "item '%s': no variance (all %zu responses are "
                                  "%zu)",
                                  id, tot, k);
        for (size_t k = 0; k < m; k++) {
            if (cj[k] == 0)
                return rf_err_set(err, RF_EINVAL,
                                  "item '%s': category %zu is never observed "
                                  "(categories must be 0..%zu without gaps)",
                                  id, k, m - 1);
        }
        c->ncat[j] = m;
        c->nfree++;
        /* starting values: a = 1, d_k from the proportion at or above k */
        double a0 = 1.0, c0 = 0.0, phi[RF_CALIB_MAXP] = {0};
        if (mj == RF_MODEL_3PL)
            c0 = c->o.prior_c ? (c->o.prior_c_alpha - 1) /
                                    (c->o.prior_c_alpha + c->o.prior_c_beta - 2 + 1e-300)
                              : 0.1;
        if (c0 <= 0 && mj == RF_MODEL_3PL && c->o.prior_c)
            c0 = 0.05;
        size_t above = tot;
        phi[0] = a0;
        for (size_t k = 1; k < m; k++) {
            above -= cj[k - 1];
            double p = (double)above / (double)tot;
            if (mj == RF_MODEL_3PL)
                p = (p - c0) / (1 - c0);
            p = fmin(fmax(p, 0.02), 0.98);
            phi[k] = 1.16 * log(p / (1 - p));
        }
        if (mj == RF_MODEL_GRM)
            for (size_t k = 2; k < m; k++)
                if (!(phi[k] < phi[k - 1]))
                    phi[k] = phi[k - 1] - 0.01;
        if (mj == RF_MODEL_3PL)
            phi[2] = c0;
        struct rf_irt_item proto;
        memset(&proto, 0, sizeof proto);
        proto.model = mj;
        item_from_phi(&proto, m, phi, &c->items[j]);
        c->items[j].model = mj;
        memcpy(phi_of(c, j), phi, sizeof phi);
    }
    if (fx) {
        if (nmatch == 0)
            return rf_err_set(err, RF_ENOTFOUND,
                              "fixed items: none of the %zu ids of the fixed "
                              "table is a column of the responses",
                              fx->n);
        c->nfixed_unused = fx->n - nmatch;
        c->est_latent = 1;
    }
    if (c->nfree == 0)
        return rf_err_set(err, RF_EINVAL,
                          "calibration: every item is fixed; nothing to "
                          "estimate");
    c->common_a = 1.0;
    return RF_OK;
}

static rf_status setup_units(struct rf_calib *c, const struct rf_calib_data *d, const size_t *nper,
                             size_t nnz, struct rf_err *err)
{
    size_t N = c->N, J = c->J, nu = 0;
    for (size_t i = 0; i < N; i++)
        nu += nper[i] > 0;
    c->nempty = N - nu;
    if (nu == 0)
        return rf_err_set(err, RF_EINVAL, "calibration: no person has any response");
    double fill = (double)nnz / ((double)N * (double)J);
    int sparse = c->o.kernel == RF_CALIB_SPARSE ||
                 (c->o.kernel == RF_CALIB_AUTO && fill < RF_CALIB_SPARSE_FILL);
    c->wt = rf_alloc_array(nu, sizeof *c->wt);
    if (!c->wt)
        goto nomem;
    for (size_t u = 0; u < nu; u++)
        c->wt[u] = 1.0;
    c->nunits = nu;
    if (sparse) {
        c->kernel = EM_SPARSE;
        c->ub = rf_alloc_array(nu, sizeof *c->ub);
        c->ue = rf_alloc_array(nu, sizeof *c->ue);
        if (!c->ub || !c->ue)
            goto nomem;
        if (d->x) {
            c->own_col = rf_alloc_array(nnz ? nnz : 1, sizeof *c->own_col);
            c->own_val = rf_alloc_array(nnz ? nnz : 1, sizeof *c->own_val);
            if (!c->own_col || !c->own_val)
                goto nomem;
            size_t e = 0, u = 0;
            for (size_t i = 0; i < N; i++) {
                if (!nper[i])
                    continue;
                c->ub[u] = e;
                const signed char *row = d->x + i * J;
                for (size_t j = 0; j < J; j++)
                    if (row[j] != RF_RESP_MISSING) {
                        c->own_col[e] = (uint32_t)j;
                        c->own_val[e++] = row[j];
                    }
                c->ue[u++] = e;
            }
            c->col = c->own_col;
            c->val = c->own_val;
        } else {
            size_t u = 0;
            for (size_t i = 0; i < N; i++) {
                if (!nper[i])
                    continue;
                c->ub[u] = d->row_ptr[i];
                c->ue[u++] = d->row_ptr[i + 1];
            }
            c->col = d->col;
            c->val = d->val;
        }
        c->complete = nnz == N * J;
        c->cz = c->C;
        return RF_OK;
    }
    c->rows = rf_alloc_array(nu, sizeof *c->rows);
    if (!c->rows)
        goto nomem;
    size_t u = 0;
    if (d->x) {
        for (size_t i = 0; i < N; i++)
            if (nper[i])
                c->rows[u++] = d->x + i * J;
    } else {
        /* CSR input filled densely enough for the GEMM kernel: one byte per cell */
        c->own_x = rf_alloc_array(nu, J);
        if (!c->own_x)
            goto nomem;
        memset(c->own_x, RF_RESP_MISSING, nu * J);
        for (size_t i = 0; i < N; i++) {
            if (!nper[i])
                continue;
            signed char *row = c->own_x + u * J;
            for (size_t e = d->row_ptr[i]; e < d->row_ptr[i + 1]; e++)
                row[d->col[e]] = d->val[e];
            c->rows[u++] = row;
        }
    }
    c->complete = nnz == N * J;
    int binary = 1;
    for (size_t j = 0; j < J; j++)
        binary &= c->ncat[j] == 2;
    c->kernel = binary && c->complete ? EM_DENSE_BIN : EM_DENSE;
    c->cz = c->kernel == EM_DENSE_BIN ? J : c->C;
    if (c->o.collapse)
        return collapse(c, err);
    return RF_OK;
nomem:
    return rf_err_set(err, RF_ENOMEM, "calibration: out of memory for %zu persons", N);
}

rf_status rf_calib_new(const struct rf_calib_data *data, const struct rf_calib_opts *opts,
                       struct rf_calib **out, struct rf_err *err)
{
    rf_status rc = check_opts(opts, err);
    if (rc)
        return rc;
    if (data->npersons == 0 || data->nitems == 0)
        return rf_err_set(err, RF_EINVAL, "calibration: no persons or no items");
    if (opts->item_model && opts->model == RF_MODEL_1PL)
        return rf_err_set(err, RF_EINVAL, "calibration: per-item models do not go with the 1pl");
    for (size_t j = 0; opts->item_model && j < data->nitems; j++)
        if (opts->item_model[j] == RF_MODEL_1PL)
            return rf_err_set(err, RF_EINVAL,
                              "calibration: item %zu: the 1pl (a common slope) cannot be one "
                              "item's model",
                              j + 1);
    if (data->nitems > UINT32_MAX)
        return rf_err_set(err, RF_ETOOBIG, "calibration: too many items");
    struct rf_calib *c = calloc(1, sizeof *c);
    size_t *cnt = NULL, *nper = NULL;
    if (!c)
        return rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
    c->o = *opts;
    c->N = data->npersons;
    c->J = data->nitems;
    c->ids = data->item_ids;
    c->mu = 0;
    c->sd = 1;
    c->blas_saved = -1;
    size_t J = c->J, K = RF_MAX_CATEGORIES;
    cnt = rf_calloc_array(J * K, sizeof *cnt);
    nper = rf_alloc_array(c->N, sizeof *nper);
    c->items = rf_calloc_array(J, sizeof *c->items);
    c->phi = rf_calloc_array(J * RF_CALIB_MAXP, sizeof *c->phi);
    c->hist = rf_calloc_array(2 * J * RF_CALIB_MAXP, sizeof *c->hist);
    c->ncat = rf_calloc_array(J, sizeof *c->ncat);
    c->off = rf_calloc_array(J, sizeof *c->off);
    c->np = rf_calloc_array(J, sizeof *c->np);
    c->nresp = rf_calloc_array(J, sizeof *c->nresp);
    c->fixed = rf_calloc_array(J, 1);
    if (!cnt || !nper || !c->items || !c->phi || !c->hist || !c->ncat || !c->off || !c->np ||
        !c->nresp || !c->fixed) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto fail;
    }
    size_t nnz;
    if ((rc = scan(data, cnt, nper, &nnz, err)) || (rc = setup_items(c, data, cnt, err)))
        goto fail;
    for (size_t j = 0; j < J; j++) {
        c->off[j] = c->C;
        c->C += c->ncat[j];
    }
    if ((rc = setup_units(c, data, nper, nnz, err)))
        goto fail;
    /* grid */
    struct rf_quad q;
    if ((rc = rf_quad_init_even(&q, opts->nquad, opts->lo, opts->hi, 0.0, 1.0, err)))
        goto fail;
    c->Q = q.n;
    c->theta = rf_alloc_array(c->Q, sizeof *c->theta);
    c->logw = rf_alloc_array(c->Q, sizeof *c->logw);
    if (c->theta && c->logw) {
        memcpy(c->theta, q.x, c->Q * sizeof *c->theta);
        memcpy(c->logw, q.logw, c->Q * sizeof *c->logw);
    }
    rf_quad_cleanup(&q);
    size_t Q = c->Q;
    c->T = rf_alloc_array(c->cz, Q * sizeof *c->T);
    c->cst = rf_calloc_array(Q, sizeof *c->cst);
    c->R = rf_calloc_array(c->C, Q * sizeof *c->R);
    c->Pq = rf_calloc_array(Q, sizeof *c->Pq);
    c->nthreads = opts->threads;
    c->w = rf_calloc_array(c->nthreads, sizeof *c->w);
    if (!c->theta || !c->logw || !c->T || !c->cst || !c->R || !c->Pq || !c->w) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto fail;
    }
    size_t B = RF_CALIB_BLOCK;
    for (size_t t = 0; t < c->nthreads; t++) {
        struct em_worker *w = &c->w[t];
        w->c = c;
        w->id = t;
        w->L = rf_alloc_array(B, Q * sizeof *w->L);
        w->R = rf_calloc_array(c->cz, Q * sizeof *w->R);
        w->Pq = rf_calloc_array(Q, sizeof *w->Pq);
        if (c->kernel != EM_SPARSE)
            w->Z = rf_alloc_array(B, c->cz * sizeof *w->Z);
        if (!w->L || !w->R || !w->Pq || (c->kernel != EM_SPARSE && !w->Z)) {
            rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory for workspaces");
            goto fail;
        }
    }
    /* single-threaded BLAS inside each worker; restored by rf_calib_free */
    c->blas_saved = openblas_get_num_threads();
    openblas_set_num_threads(1);
    free(cnt);
    free(nper);
    *out = c;
    return RF_OK;
fail:
    free(cnt);
    free(nper);
    rf_calib_free(c);
    return rc;
}

void rf_calib_free(struct rf_calib *c)
{
    if (!c)
        return;
    if (c->blas_saved > 0)
        openblas_set_num_threads(c->blas_saved);
    if (c->w)
        for (size_t t = 0; t < c->nthreads; t++) {
            struct em_worker *w = &c->w[t];
            free(w->Z);
            free(w->L);
            free(w->R);
            free(w->Pq);
            free(w->V);
            free(w->S);
            free(w->XPD);
            free(w->s1);
            free(w->nzi);
            free(w->mark);
        }
    free(c->w);
    free(c->items);
    free(c->phi);
    free(c->hist);
    free(c->ncat);
    free(c->off);
    free(c->np);
    free(c->nresp);
    free(c->fixed);
    free(c->rows);
    free(c->own_x);
    free(c->wt);
    free(c->ub);
    free(c->ue);
    free(c->own_col);
    free(c->own_val);
    free(c->theta);
    free(c->logw);
    free(c->T);
    free(c->cst);
    free(c->R);
    free(c->Pq);
    free(c->pidx);
    free(c->G);
    free(c);
}

/* ---- final pass ----------------------------------------------------------- */

/* Global parameter indices and the score table G for the cross-product. */
static rf_status se_setup(struct rf_calib *c, struct rf_err *err)
{
    size_t P = 0, npar = 0;
    for (size_t j = 0; j < c->J; j++)
        if (!c->fixed[j] && nfull(c, j) > P)
            P = nfull(c, j);
    c->P = P;
    c->pidx = rf_alloc_array(c->J * P, sizeof *c->pidx);
    c->G = rf_calloc_array(c->C * P, c->Q * sizeof *c->G);
    if (!c->pidx || !c->G)
        return rf_err_set(err, RF_ENOMEM, "calibration: out of memory for standard errors");
    long common = -1;
    for (size_t j = 0; j < c->J; j++) {
        size_t n = nfull(c, j);
        for (size_t p = 0; p < P; p++) {
            long g = -1;
            if (!c->fixed[j] && p < n) {
                if (p == 0 && c->items[j].model == RF_MODEL_1PL) {
                    if (common < 0)
                        common = (long)npar++;
                    g = common;
                } else {
                    g = (long)npar++;
                }
            }
            c->pidx[j * P + p] = g;
        }
        if (c->fixed[j])
            continue;
        struct rf_irt_item it;
        item_from_phi(&c->items[j], c->ncat[j], phi_of(c, j), &it);
        for (size_t k = 0; k < c->ncat[j]; k++)
            for (size_t q = 0; q < c->Q; q++) {
                double gp[RF_CALIB_MAXP], gf[RF_CALIB_MAXP];
                rf_irt_dlogprob_params(&it, c->theta[q], k, gp, NULL);
                to_phi(&it, n, gp, NULL, gf, NULL);
                for (size_t p = 0; p < n; p++)
                    c->G[((c->off[j] + k) * P + p) * c->Q + q] = gf[p];
            }
    }
    c->npar = npar;
    return rf_em_se_alloc(c, err);
}

/* Inverts the information matrix (row-major upper triangle) in place. */
static int invert_spd(double *A, size_t n)
{
    int nn = (int)n, info = 0;
    dpotrf_("L", &nn, A, &nn, &info);
    if (info != 0)
        return -1;
    dpotri_("L", &nn, A, &nn, &info);
    return info != 0 ? -1 : 0;
}

static void fill_se(struct rf_calib *c, const double *cov, struct rf_calib_item *ri, size_t j)
{
    size_t P = c->P, n = c->npar;
    const long *pi = c->pidx + j * P;
#define COV(x, y) ((x) <= (y) ? cov[(size_t)(x)*n + (size_t)(y)] : cov[(size_t)(y)*n + (size_t)(x)])
    double a = c->items[j].a;
    ri->se_a = sqrt(COV(pi[0], pi[0]));
    size_t K = c->items[j].model == RF_MODEL_GRM ? c->ncat[j] - 1 : 1;
    for (size_t k = 1; k <= K; k++) {
        double b = c->items[j].model == RF_MODEL_GRM ? c->items[j].thr[k - 1] : c->items[j].b;
        double va = COV(pi[0], pi[0]), vd = COV(pi[k], pi[k]), cad = COV(pi[0], pi[k]);
        ri->se_d[k - 1] = sqrt(vd);
        ri->se_b[k - 1] = sqrt(fmax(b * b * va + vd + 2 * b * cad, 0.0)) / a;
    }
    if (c->items[j].model == RF_MODEL_3PL)
        ri->se_c = sqrt(COV(pi[2], pi[2]));
#undef COV
}

rf_status rf_calib_finish(struct rf_calib *c, struct rf_calib_result *res, struct rf_err *err)
{
    memset(res, 0, sizeof *res);
    rf_status rc;
    double *xpd = NULL;
    int want_se = c->o.want_se;
    if (want_se) {
        if ((rc = se_setup(c, err)))
            return rc;
        xpd = rf_calloc_array(c->npar * c->npar, sizeof *xpd);
        if (!xpd)
            return rf_err_set(err, RF_ENOMEM, "calibration: out of memory for standard errors");
    }
    rf_em_tables(c);
    double mom[4] = {0};
    if ((rc = rf_em_estep(c, 1, xpd, mom, err))) {
        free(xpd);
        return rc;
    }
    res->model = c->o.model;
    res->per_item = c->o.item_model != NULL;
    res->nitems = c->J;
    res->ids = rf_calloc_array(c->J, sizeof *res->ids);
    res->items = rf_calloc_array(c->J, sizeof *res->items);
    if (!res->ids || !res->items) {
        free(xpd);
        rf_calib_result_cleanup(res);
        return rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
    }
    size_t npar = 0;
    for (size_t j = 0; j < c->J; j++) {
        char nb[32];
        snprintf(nb, sizeof nb, "#%zu", j + 1);
        res->ids[j] = rf_strdup(c->ids && c->ids[j] ? c->ids[j] : nb);
        if (!res->ids[j]) {
            free(xpd);
            rf_calib_result_cleanup(res);
            return rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        }
        struct rf_calib_item *ri = &res->items[j];
        ri->it = c->items[j];
        ri->fixed = c->fixed[j];
        ri->n = c->nresp[j];
        ri->se_a = ri->se_c = NAN;
        for (size_t k = 0; k + 1 < RF_MAX_CATEGORIES; k++)
            ri->se_b[k] = ri->se_d[k] = NAN;
        ri->sx2 = ri->sx2_p = NAN;
        if (!c->fixed[j])
            npar += rf_irt_nparams(&c->items[j]);
    }
    if (c->o.model == RF_MODEL_1PL)
        npar += 1;
    if (c->est_latent)
        npar += 2;
    double nobs = mom[0];
    res->npersons = c->N;
    res->npersons_empty = c->nempty;
    res->npatterns = c->nunits;
    res->kernel = c->kernel == EM_DENSE_BIN ? "dense-binary"
                  : c->kernel == EM_DENSE   ? "dense"
                                            : "sparse";
    res->nquad = c->Q;
    res->lo = c->o.lo;
    res->hi = c->o.hi;
    res->loglik = c->loglik;
    res->npar = npar;
    res->aic = -2 * c->loglik + 2.0 * (double)npar;
    res->bic = -2 * c->loglik + log(nobs) * (double)npar;
    res->iterations = c->iter;
    res->converged = c->converged;
    res->max_change = c->max_change;
    double me = mom[1] / nobs, ve = fmax(mom[2] / nobs - me * me, 0.0), pv = mom[3] / nobs;
    res->reliability = ve / (ve + pv);
    res->latent_mean = c->mu;
    res->latent_sd = c->sd;
    res->nfixed_unused = c->nfixed_unused;
    if (want_se) {
        size_t n = c->npar;
        /* prior curvature: information of the log prior */
        for (size_t j = 0; j < c->J; j++) {
            if (c->fixed[j])
                continue;
            const long *pi = c->pidx + j * c->P;
            const double *phi = phi_of(c, j);
            double f = 0, g = 0, h = 0;
            if (c->o.prior_a && c->items[j].model != RF_MODEL_1PL) {
                prior_a_terms(&c->o, phi[0], &f, &g, &h);
                xpd[(size_t)pi[0] * n + (size_t)pi[0]] -= h;
            }
            h = 0;
            if (c->items[j].model == RF_MODEL_3PL && c->o.prior_c) {
                prior_c_terms(&c->o, phi[2], &f, &g, &h);
                xpd[(size_t)pi[2] * n + (size_t)pi[2]] -= h;
            }
            double mu_b = prior_b_centre(c, j);
            if (isfinite(mu_b)) { /* its curvature in (a, d), both triangles */
                size_t m = nfull(c, j);
                double gp[RF_CALIB_MAXP] = {0}, hp[RF_CALIB_MAXP * RF_CALIB_MAXP] = {0};
                double gq[RF_CALIB_MAXP], hq[RF_CALIB_MAXP * RF_CALIB_MAXP];
                prior_b_terms(c->items[j].b, mu_b, c->o.prior_b_sigma, m, &f, gp, hp);
                to_phi(&c->items[j], m, gp, hp, gq, hq);
                for (size_t x = 0; x < 2; x++)
                    for (size_t y = 0; y < 2; y++)
                        xpd[(size_t)pi[x] * n + (size_t)pi[y]] -= hq[x * m + y];
            }
        }
        if (c->o.prior_a && c->o.model == RF_MODEL_1PL) {
            double f = 0, g = 0, h = 0;
            prior_a_terms(&c->o, c->common_a, &f, &g, &h);
            long ci = -1;
            for (size_t j = 0; j < c->J && ci < 0; j++)
                if (!c->fixed[j])
                    ci = c->pidx[j * c->P];
            xpd[(size_t)ci * n + (size_t)ci] -= h;
        }
        if (invert_spd(xpd, n) == 0) {
            res->se_ok = 1;
            for (size_t j = 0; j < c->J; j++)
                if (!c->fixed[j])
                    fill_se(c, xpd, &res->items[j], j);
        }
    }
    free(xpd);
    if (c->o.want_fit) {
        if ((rc = rf_em_sx2(c, res, err))) {
            rf_calib_result_cleanup(res);
            return rc;
        }
    } else {
        res->fit_note = "not requested";
    }
    return RF_OK;
}

void rf_calib_result_cleanup(struct rf_calib_result *res)
{
    if (res->ids)
        for (size_t j = 0; j < res->nitems; j++)
            free(res->ids[j]);
    free(res->ids);
    free(res->items);
    memset(res, 0, sizeof *res);
}

rf_status rf_calib_run(const struct rf_calib_data *data, const struct rf_calib_opts *opts,
                       struct rf_calib_result *res, struct rf_err *err)
{
    struct rf_calib *c;
    rf_status rc = rf_calib_new(data, opts, &c, err);
    if (rc)
        return rc;
    while (!c->converged && c->iter < opts->max_iter)
        if ((rc = rf_calib_step(c, NULL, NULL, err)))
            break;
    if (!rc)
        rc = rf_calib_finish(c, res, err);
    rf_calib_free(c);
    return rc;
}
