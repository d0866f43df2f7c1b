/*
 * E-step kernels of the Bock-Aitkin EM (Bock & Aitkin 1981, eqs. 4-6).
 *
 * Dense kernels work on blocks of RF_CALIB_BLOCK units: the block's one-hot
 * matrix Z (or the correct-indicator X for complete dichotomous data) times
 * the log-probability table gives the unit-by-node log-likelihood (one
 * DGEMM), the posterior is normalized row by row, and Z^T W accumulates the
 * expected counts (a second DGEMM). The sparse kernel adds one table row per
 * response, so its cost is 2 * responses * nodes.
 *
 * Blocks go to threads round-robin (block b to thread b mod T); every thread
 * owns its accumulators, summed in thread order afterwards. Nothing here
 * allocates: all workspaces come from rf_calib_new / rf_em_se_alloc.
 */
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "calib/em.h"

void rf_em_tables(struct rf_calib *c)
{
    size_t Q = c->Q;
    if (c->kernel == EM_DENSE_BIN) {
        memset(c->cst, 0, Q * sizeof *c->cst);
        for (size_t j = 0; j < c->J; j++) {
            double *t = c->T + j * Q;
            for (size_t q = 0; q < Q; q++) {
                double l1 = rf_irt_logprob(&c->items[j], c->theta[q], 1);
                double l0 = rf_irt_logprob(&c->items[j], c->theta[q], 0);
                t[q] = l1 - l0;
                c->cst[q] += l0;
            }
        }
        return;
    }
    for (size_t j = 0; j < c->J; j++)
        for (size_t k = 0; k < c->ncat[j]; k++) {
            double *t = c->T + (c->off[j] + k) * Q;
            for (size_t q = 0; q < Q; q++)
                t[q] = rf_irt_logprob(&c->items[j], c->theta[q], k);
        }
}

/* Adds the log prior weights (and add[], when given) to one row of
 * log-likelihoods, turns the row into the normalized posterior and returns
 * the row's log marginal likelihood. */
static double normalize_row(double *l, const double *add, const double *logw, size_t Q)
{
    double mx = -HUGE_VAL;
    for (size_t q = 0; q < Q; q++) {
        l[q] += logw[q] + (add ? add[q] : 0.0);
        if (l[q] > mx)
            mx = l[q];
    }
    double s = 0;
    for (size_t q = 0; q < Q; q++) {
        l[q] = exp(l[q] - mx);
        s += l[q];
    }
    double f = 1.0 / s;
    for (size_t q = 0; q < Q; q++)
        l[q] *= f;
    /* cppcheck-suppress invalidFunctionArg ; s >= 1: the largest term adds exp(0) */
    return mx + log(s);
}

/* Reliability moments of one unit from its normalized posterior. */
static void moments(struct em_worker *w, const double *post, double wt)
{
    const struct rf_calib *c = w->c;
    double m1 = 0, m2 = 0;
    for (size_t q = 0; q < c->Q; q++) {
        m1 += post[q] * c->theta[q];
        m2 += post[q] * c->theta[q] * c->theta[q];
    }
    w->m_w += wt;
    w->m_eap += wt * m1;
    w->m_eap2 += wt * m1 * m1;
    w->m_var += wt * (m2 - m1 * m1);
}

static void dense_block(struct em_worker *w, size_t u0, size_t u1)
{
    struct rf_calib *c = w->c;
    size_t Q = c->Q, cz = c->cz, nb = u1 - u0, J = c->J;
    double *Z = w->Z, *L = w->L;
    memset(Z, 0, nb * cz * sizeof *Z);
    for (size_t r = 0; r < nb; r++) {
        const signed char *row = c->rows[u0 + r];
        double *z = Z + r * cz;
        if (c->kernel == EM_DENSE_BIN) {
            for (size_t j = 0; j < J; j++)
                z[j] = (double)row[j];
        } else {
            for (size_t j = 0; j < J; j++)
                if (row[j] >= 0)
                    z[c->off[j] + (size_t)row[j]] = 1.0;
        }
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nb, (int)Q, (int)cz, 1.0, Z,
                (int)cz, c->T, (int)Q, 0.0, L, (int)Q);
    const double *add = c->kernel == EM_DENSE_BIN ? c->cst : NULL;
    for (size_t r = 0; r < nb; r++) {
        double *l = L + r * Q;
        double wt = c->wt[u0 + r];
        w->loglik += wt * normalize_row(l, add, c->logw, Q);
        if (w->final)
            moments(w, l, wt);
        for (size_t q = 0; q < Q; q++) {
            l[q] *= wt;
            w->Pq[q] += l[q];
        }
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)cz, (int)Q, (int)nb, 1.0, Z, (int)cz,
                L, (int)Q, 1.0, w->R, (int)Q);
    if (!w->final || !w->XPD)
        return;
    /* Person score vectors: V = Wn G^T (Wn the posterior without weights),
     * then s_u picks the columns of the categories the unit answered. */
    size_t CP = c->C * c->P;
    for (size_t r = 0; r < nb; r++) {
        double f = 1.0 / c->wt[u0 + r];
        for (size_t q = 0; q < Q; q++)
            L[r * Q + q] *= f;
    }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nb, (int)CP, (int)Q, 1.0, L, (int)Q,
                c->G, (int)Q, 0.0, w->V, (int)CP);
    memset(w->S, 0, nb * c->npar * sizeof *w->S);
    for (size_t r = 0; r < nb; r++) {
        const signed char *row = c->rows[u0 + r];
        double *s = w->S + r * c->npar;
        const double *v = w->V + r * CP;
        double sq = sqrt(c->wt[u0 + r]);
        for (size_t j = 0; j < J; j++) {
            if (row[j] < 0 || c->fixed[j])
                continue;
            const double *vv = v + (c->off[j] + (size_t)row[j]) * c->P;
            for (size_t p = 0; p < c->P; p++) {
                long g = c->pidx[j * c->P + p];
                if (g >= 0)
                    s[g] += sq * vv[p];
            }
        }
    }
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)c->npar, (int)nb, 1.0, w->S,
                (int)c->npar, 1.0, w->XPD, (int)c->npar);
}

/* y += x and y += a x; restrict lets the compiler vectorize. */
static inline void vadd(double *restrict y, const double *restrict x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += x[i];
}

static inline void vaxpy(double *restrict y, double a, const double *restrict x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

static void sparse_block(struct em_worker *w, size_t u0, size_t u1)
{
    struct rf_calib *c = w->c;
    size_t Q = c->Q;
    double *l = w->L;
    for (size_t u = u0; u < u1; u++) {
        memset(l, 0, Q * sizeof *l);
        for (size_t e = c->ub[u]; e < c->ue[u]; e++)
            vadd(l, c->T + (c->off[c->col[e]] + (size_t)c->val[e]) * Q, Q);
        double wt = c->wt[u];
        w->loglik += wt * normalize_row(l, NULL, c->logw, Q);
        if (w->final)
            moments(w, l, wt);
        for (size_t q = 0; q < Q; q++)
            w->Pq[q] += wt * l[q];
        for (size_t e = c->ub[u]; e < c->ue[u]; e++)
            vaxpy(w->R + (c->off[c->col[e]] + (size_t)c->val[e]) * Q, wt, l, Q);
        if (!w->final || !w->XPD)
            continue;
        /* One person's score vector, touching only the answered items' parameters. */
        size_t nz = 0;
        for (size_t e = c->ub[u]; e < c->ue[u]; e++) {
            size_t j = c->col[e];
            if (c->fixed[j])
                continue;
            const double *g = c->G + (c->off[j] + (size_t)c->val[e]) * c->P * Q;
            for (size_t p = 0; p < c->P; p++) {
                long gi = c->pidx[j * c->P + p];
                if (gi < 0)
                    continue;
                double s = 0;
                for (size_t q = 0; q < Q; q++)
                    s += l[q] * g[p * Q + q];
                if (!w->mark[gi] && s != 0.0) { /* first nonzero score of gi */
                    w->mark[gi] = 1;
                    w->nzi[nz++] = (size_t)gi;
                }
                w->s1[gi] += s;
            }
        }
        /* sorted indices: each row of the upper triangle is walked forwards */
        for (size_t i = 1; i < nz; i++)
            for (size_t k = i; k > 0 && w->nzi[k - 1] > w->nzi[k]; k--) {
                size_t tmp = w->nzi[k];
                w->nzi[k] = w->nzi[k - 1];
                w->nzi[k - 1] = tmp;
            }
        size_t nt = rf_em_xpd_tiles(c);
        for (size_t i = 0; i < nz; i++) {
            size_t a = w->nzi[i];
            double sa = wt * w->s1[a], *row = w->XPD + (a >> 1) * nt * 4 + (a & 1) * 2;
            for (size_t k = i; k < nz; k++) {
                size_t b = w->nzi[k];
                row[(b >> 1) * 4 + (b & 1)] += sa * w->s1[b];
            }
        }
        for (size_t i = 0; i < nz; i++) {
            w->s1[w->nzi[i]] = 0.0;
            w->mark[w->nzi[i]] = 0;
        }
    }
}

static void *worker_main(void *arg)
{
    struct em_worker *w = arg;
    struct rf_calib *c = w->c;
    size_t B = RF_CALIB_BLOCK;
    size_t nblocks = (c->nunits + B - 1) / B;
    for (size_t b = w->id; b < nblocks; b += c->nthreads) {
        size_t u0 = b * B, u1 = u0 + B < c->nunits ? u0 + B : c->nunits;
        if (c->kernel == EM_SPARSE)
            sparse_block(w, u0, u1);
        else
            dense_block(w, u0, u1);
    }
    return NULL;
}

rf_status rf_em_estep(struct rf_calib *c, int final, double *xpd, double mom[4], struct rf_err *err)
{
    size_t Q = c->Q;
    for (size_t t = 0; t < c->nthreads; t++) {
        struct em_worker *w = &c->w[t];
        w->final = final;
        w->loglik = 0;
        w->m_w = w->m_eap = w->m_eap2 = w->m_var = 0;
        memset(w->R, 0, c->cz * Q * sizeof *w->R);
        memset(w->Pq, 0, Q * sizeof *w->Pq);
        if (final && w->XPD)
            memset(w->XPD, 0, rf_em_xpd_len(c) * sizeof *w->XPD);
    }
    pthread_t tid[RF_CALIB_MAX_THREADS];
    size_t started = 0;
    for (size_t t = 1; t < c->nthreads; t++) {
        if (pthread_create(&tid[t], NULL, worker_main, &c->w[t]) != 0)
            break;
        started = t;
    }
    /* threads that could not start: their blocks run here, in order */
    worker_main(&c->w[0]);
    for (size_t t = started + 1; t < c->nthreads; t++)
        worker_main(&c->w[t]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    (void)err;

    /* Sum the shares in thread order. */
    c->loglik = 0;
    memset(c->Pq, 0, Q * sizeof *c->Pq);
    double *R = c->kernel == EM_DENSE_BIN ? c->w[0].R : c->R;
    if (c->kernel != EM_DENSE_BIN)
        memset(c->R, 0, c->C * Q * sizeof *c->R);
    for (size_t t = 0; t < c->nthreads; t++) {
        struct em_worker *w = &c->w[t];
        c->loglik += w->loglik;
        for (size_t q = 0; q < Q; q++)
            c->Pq[q] += w->Pq[q];
        if (R != w->R)
            for (size_t i = 0; i < c->cz * Q; i++)
                R[i] += w->R[i];
        if (final) {
            if (mom) {
                mom[0] += w->m_w;
                mom[1] += w->m_eap;
                mom[2] += w->m_eap2;
                mom[3] += w->m_var;
            }
            if (xpd && w->XPD && c->kernel == EM_SPARSE) {
                size_t n = c->npar, nt = rf_em_xpd_tiles(c);
                for (size_t a = 0; a < n; a++) {
                    const double *row = w->XPD + (a >> 1) * nt * 4 + (a & 1) * 2;
                    for (size_t b = a; b < n; b++)
                        xpd[a * n + b] += row[(b >> 1) * 4 + (b & 1)];
                }
            } else if (xpd && w->XPD) {
                for (size_t i = 0; i < c->npar * c->npar; i++)
                    xpd[i] += w->XPD[i];
            }
        }
    }
    if (c->kernel == EM_DENSE_BIN) {
        /* R1 sums into worker 0's buffer; expand to (j, 0) and (j, 1) columns:
         * with complete data every unit answered every item. */
        for (size_t j = 0; j < c->J; j++)
            for (size_t q = 0; q < Q; q++) {
                double r1 = R[j * Q + q];
                c->R[(c->off[j] + 1) * Q + q] = r1;
                c->R[c->off[j] * Q + q] = c->Pq[q] - r1;
            }
    }
    return RF_OK;
}

rf_status rf_em_se_alloc(struct rf_calib *c, struct rf_err *err)
{
    size_t B = RF_CALIB_BLOCK;
    for (size_t t = 0; t < c->nthreads; t++) {
        struct em_worker *w = &c->w[t];
        /* 64-byte aligned: each 2 x 2 tile of the sparse layout in one cache line */
        size_t len = rf_em_xpd_len(c);
        void *p = NULL;
        if (len > SIZE_MAX / sizeof *w->XPD || posix_memalign(&p, 64, len * sizeof *w->XPD))
            goto nomem;
        w->XPD = p;
        memset(w->XPD, 0, len * sizeof *w->XPD);
        if (c->kernel == EM_SPARSE) {
            w->s1 = rf_calloc_array(c->npar, sizeof *w->s1);
            w->nzi = rf_calloc_array(c->npar, sizeof *w->nzi);
            w->mark = rf_calloc_array(c->npar ? c->npar : 1, sizeof *w->mark);
            if (!w->s1 || !w->nzi || !w->mark)
                goto nomem;
        } else {
            w->V = rf_alloc_array(B * c->C, c->P * sizeof *w->V);
            w->S = rf_alloc_array(B * c->npar, sizeof *w->S);
            if (!w->V || !w->S)
                goto nomem;
        }
    }
    return RF_OK;
nomem:
    return rf_err_set(err, RF_ENOMEM,
                      "calibration: out of memory for standard errors (%zu "
                      "parameters)",
                      c->npar);
}
