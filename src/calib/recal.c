/* Re-estimating the operational bank with empirical-Bayes priors; see recal.h. */
#include "calib/recal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/params.h"
#include "base/mem.h"
#include "base/rng.h"
#include "irt/quad.h"

#define NQ 61 /* latent grid: NQ nodes on [QLO, QHI] */
#define QLO (-6.0)
#define QHI 6.0
#define NGH 9 /* Gauss-Hermite nodes over an answer's leave-one-out posterior */
#define MAX_THREADS 16
#define LA_MIN (-1.6) /* a in [0.2, 5] */
#define LA_MAX 1.6
#define LOC_MAX 4.0
#define LC_MIN (-6.0) /* c in [0.0025, 0.6] */
#define LC_MAX 0.4

void rf_recal_opts_default(struct rf_recal_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->holdout = 0.2;
    o->min_answers = 10;
    o->threads = 1;
    o->rounds = RF_RECAL_ROUNDS;
    o->latent = RF_RECAL_LATENT_MEAN;
    o->anchor = RF_RECAL_ANCHOR_POOLED;
    o->max_shift = RF_RECAL_MAX_SHIFT;
}

enum kind { K_2PL, K_3PL, K_GRM };

struct ctx {
    const struct rf_recal_item *items;
    size_t nitems, nskills;
    const struct rf_recal_answer *ans;
    size_t nans;
    const struct rf_recal_opts *o;
    enum kind *kind;     /* [nitems] */
    size_t ng, *glo;     /* tests: answers [glo[g], glo[g + 1]) */
    size_t maxg;         /* answers of the longest test */
    unsigned char *held; /* [ng] */
    double ghx[NGH], ghw[NGH], qx[NQ];
    double mu_c0;  /* mean rated c of the 3PL items */
    size_t *toff;  /* [nitems + 1] item i's categories' rows of the table: toff[i] + k */
    double *table; /* [toff[nitems] * NQ] a pass's log P(k | node) of every item (run_pass) */
};

/* A fit's state: per item (log a, location shift, logit c) and the
 * posterior variances of each; the hyperparameters and latent
 * distributions. */
struct fit {
    double *x;          /* [nitems * 3] */
    double *v;          /* [nitems * 3] */
    unsigned char *est; /* [nitems] estimated in this fit */
    size_t *n;          /* [nitems] answers in the fit */
    double mu_loga, sd_loga, sd_b, mu_c;
    double *lmean, *lsd; /* [nskills] */
    /* the anchoring: estimated items and their mean location shift per skill, each
     * skill's origin SE; the takers' common latent mean and the skills' SD around it */
    double *an, *am, *ose; /* [nskills] */
    double *info, *dmean;  /* [nskills] the takers' information on their latent mean, and
                              that mean from the data alone (this round's M-step) */
    double mu0, tau;
    int rounds;
    /* leave-one-out posteriors of the fit's answers, and the answers by item */
    double *m, *s;         /* [nans] */
    double *gfm, *gfm2;    /* [nans] a (test, skill)'s posterior moments, at its first answer */
    unsigned char *gfirst; /* [nans] 1 at the first answer of a (test, skill) of the fit */
    size_t *off, *idx;     /* CSR: item i's answers idx[off[i]..off[i+1]) */
    double *cm, *cs;       /* [nans] m and s of idx[r] at r (the fused path reads them in order) */
    int *ck;               /* [nans] the category of idx[r] */
};

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static int nfree(enum kind k)
{
    return k == K_3PL ? 3 : 2;
}

static void make_irt(const struct rf_recal_item *it, enum kind kd, const double *x,
                     struct rf_irt_item *out)
{
    double a = exp(x[0]);
    if (kd == K_GRM) {
        *out = it->rated;
        out->a = a;
        for (size_t k = 0; k + 1 < out->ncat; k++)
            out->thr[k] = it->rated.thr[k] + x[1];
    } else if (kd == K_3PL) {
        rf_irt_item_dich(out, RF_MODEL_3PL, a, it->rated.b + x[1], rf_logistic(x[2]));
    } else {
        rf_irt_item_dich(out, RF_MODEL_2PL, a, it->rated.b + x[1], 0);
    }
}

/* The current parameters as (log a, shift, logit c). */
static void start_of(const struct ctx *C, size_t i, double *x)
{
    const struct rf_recal_item *it = &C->items[i];
    x[0] = clamp(log(it->irt.a), LA_MIN, LA_MAX);
    if (C->kind[i] == K_GRM) {
        double s = 0;
        for (size_t k = 0; k + 1 < it->irt.ncat; k++)
            s += it->irt.thr[k] - it->rated.thr[k];
        x[1] = s / (double)(it->irt.ncat - 1);
    } else {
        x[1] = it->irt.b - it->rated.b;
    }
    x[1] = clamp(x[1], -LOC_MAX, LOC_MAX);
    double c = it->irt.model == RF_MODEL_3PL ? it->irt.c : it->rated.c;
    c = clamp(c, 0.01, 0.5);
    x[2] = C->kind[i] == K_3PL ? log(c / (1 - c)) : 0;
}

/* ---- the latent grid: posteriors of one test's answers to one skill ---- */

static void latent_logw(const struct ctx *C, double mean, double sd, double *logw)
{
    double top = -HUGE_VAL, s = 0;
    for (size_t g = 0; g < NQ; g++) {
        double z = (C->qx[g] - mean) / sd;
        logw[g] = -0.5 * z * z;
        if (logw[g] > top)
            top = logw[g];
    }
    for (size_t g = 0; g < NQ; g++)
        s += exp(logw[g] - top);
    for (size_t g = 0; g < NQ; g++)
        logw[g] -= top + log(s);
}

static double lse(const double *v, size_t n)
{
    double top = -HUGE_VAL, s = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] > top)
            top = v[i];
    if (!isfinite(top))
        return top;
    for (size_t i = 0; i < n; i++)
        s += exp(v[i] - top);
    return top + log(s);
}

/* n answers (items its, categories k) under prior logw: the full posterior's
 * E theta and E theta^2 (fm, fm2), and for each answer j its leave-one-out
 * posterior mean and SD (mean, sd; may be NULL) and log predictive
 * probability log P(k_j | the others) (lpred; may be NULL). rows: each
 * answer's log P(k_j | node) over the grid from the pass's table (NULL:
 * computed here, the generic path). work: (n + 2) * NQ. */
static void grid_post(const struct ctx *C, const struct rf_irt_item *const *its, const int *k,
                      const double *const *rows, size_t n, const double *logw, double *fm,
                      double *fm2, double *mean, double *sd, double *lpred, double *work)
{
    double *all = work, *tmp = work + NQ, *lp = work + 2 * (size_t)NQ;
    for (size_t g = 0; g < NQ; g++)
        all[g] = logw[g];
    for (size_t j = 0; j < n; j++) {
        if (rows)
            memcpy(lp + j * NQ, rows[j], NQ * sizeof *lp);
        else
            for (size_t g = 0; g < NQ; g++)
                lp[j * NQ + g] = rf_irt_logprob(its[j], C->qx[g], (size_t)k[j]);
        for (size_t g = 0; g < NQ; g++)
            all[g] += lp[j * NQ + g];
    }
    double z = lse(all, NQ), m1 = 0, m2 = 0;
    for (size_t g = 0; g < NQ; g++) {
        double w = exp(all[g] - z);
        m1 += w * C->qx[g];
        m2 += w * C->qx[g] * C->qx[g];
    }
    *fm = m1;
    *fm2 = m2;
    if (!mean && !lpred)
        return;
    for (size_t j = 0; j < n; j++) {
        for (size_t g = 0; g < NQ; g++)
            tmp[g] = all[g] - lp[j * NQ + g];
        double zj = lse(tmp, NQ);
        if (lpred)
            lpred[j] = z - zj;
        if (mean) {
            double a1 = 0, a2 = 0;
            for (size_t g = 0; g < NQ; g++) {
                double w = exp(tmp[g] - zj);
                a1 += w * C->qx[g];
                a2 += w * C->qx[g] * C->qx[g];
            }
            double v = a2 - a1 * a1;
            mean[j] = a1;
            sd[j] = sqrt(v > 1e-8 ? v : 1e-8);
        }
    }
}

/* Each test's answers split by skill: calls back with the answers' indices. */
struct pass {
    const struct ctx *C;
    struct fit *F;
    const struct rf_irt_item *bank; /* [nitems] parameters to use */
    size_t glo, ghi;                /* tests of this thread */
    double *sum1, *sum2, *cnt;      /* [nskills] latent sums (mode 0) */
    double *lpred;                  /* [nans] (mode 1) */
    double *gmean; /* [nans] (mode 1, may be NULL): a (test, skill)'s posterior mean, at its
                      first answer */
    const double *lmean, *lsd;      /* latent per skill (mode 1: this bank's) */
    int mode;                       /* 0: fit's tests, posteriors and latent sums; 1: lpred */
    rf_status rc;
};

static void *pass_run(void *arg)
{
    struct pass *P = arg;
    const struct ctx *C = P->C;
    size_t mg = C->maxg ? C->maxg : 1;
    const struct rf_irt_item **its =
        rf_alloc_array(mg, sizeof *its); /* NOLINT(bugprone-sizeof-expression): pointers */
    const double **rows =
        rf_alloc_array(mg, sizeof *rows); /* NOLINT(bugprone-sizeof-expression): pointers */
    int *ks = rf_alloc_array(mg, sizeof *ks);
    size_t *ix = rf_alloc_array(mg, sizeof *ix);
    unsigned char *done = rf_alloc_array(mg, 1);
    double *mean = rf_alloc_array(mg, sizeof *mean), *sd = rf_alloc_array(mg, sizeof *sd);
    double *lp = rf_alloc_array(mg, sizeof *lp);
    double *work = rf_alloc_array((mg + 2) * NQ, sizeof *work);
    double *logw = rf_alloc_array(C->nskills * NQ, sizeof *logw);
    if (!its || !rows || !ks || !ix || !done || !mean || !sd || !lp || !work || !logw) {
        P->rc = RF_ENOMEM;
        goto out;
    }
    const double *lm = P->mode ? P->lmean : P->F->lmean, *ls = P->mode ? P->lsd : P->F->lsd;
    for (size_t s = 0; s < C->nskills; s++)
        latent_logw(C, lm[s], ls[s], logw + s * NQ);
    for (size_t g = P->glo; g < P->ghi; g++) {
        if (C->held[g] != (P->mode ? 1 : 0) && !(P->mode == 0 && C->held[g] == 2))
            continue;
        size_t lo = C->glo[g], n = C->glo[g + 1] - lo;
        memset(done, 0, n);
        for (size_t a = 0; a < n; a++) {
            if (done[a])
                continue;
            size_t sk = C->items[C->ans[lo + a].item].skill, cnt = 0;
            for (size_t e = a; e < n; e++) {
                const struct rf_recal_answer *y = &C->ans[lo + e];
                if (!done[e] && C->items[y->item].skill == sk) {
                    done[e] = 1;
                    ix[cnt] = lo + e;
                    its[cnt] = &P->bank[y->item];
                    if (C->table)
                        rows[cnt] = C->table + (C->toff[y->item] + (size_t)y->k) * NQ;
                    ks[cnt++] = y->k;
                }
            }
            double fm, fm2;
            /* the leave-one-out posteriors only where they are used (the
             * reference path computes them always, as it did) */
            int loo = P->mode == 0 && (C->o->abilities == RF_RECAL_ABILITY_LOO || C->o->reference);
            grid_post(C, its, ks, C->table ? rows : NULL, cnt, logw + sk * NQ, &fm, &fm2,
                      loo ? mean : NULL, sd, P->mode ? lp : NULL, work);
            if (P->mode) {
                for (size_t e = 0; e < cnt; e++)
                    P->lpred[ix[e]] = lp[e];
                if (P->gmean)
                    P->gmean[ix[0]] = fm;
            } else if (C->o->abilities == RF_RECAL_ABILITY_EM) {
                double v = fm2 - fm * fm, sdv = sqrt(v > 1e-8 ? v : 1e-8);
                for (size_t e = 0; e < cnt; e++) {
                    P->F->m[ix[e]] = fm;
                    P->F->s[ix[e]] = sdv;
                }
                P->F->gfm[ix[0]] = fm;
                P->F->gfm2[ix[0]] = fm2;
                P->F->gfirst[ix[0]] = 1;
            } else {
                for (size_t e = 0; e < cnt; e++) {
                    P->F->m[ix[e]] = mean[e];
                    P->F->s[ix[e]] = sd[e];
                }
                P->F->gfm[ix[0]] = fm;
                P->F->gfm2[ix[0]] = fm2;
                P->F->gfirst[ix[0]] = 1;
            }
        }
    }
out:
    free(its);
    free(rows);
    free(ks);
    free(ix);
    free(done);
    free(mean);
    free(sd);
    free(lp);
    free(work);
    free(logw);
    return NULL;
}

static int nthreads(const struct ctx *C)
{
    int t = C->o->threads;
    return t < 1 ? 1 : t > MAX_THREADS ? MAX_THREADS : t;
}

/* Runs P[0] over every test on the threads (P[0] the template); the latent
 * sums reduced in thread order. */
static rf_status run_pass(const struct ctx *C, struct pass *tmpl, struct rf_err *err)
{
    int T = nthreads(C);
    struct pass P[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    double *sums = rf_calloc_array((size_t)T * 3 * (C->nskills ? C->nskills : 1), sizeof *sums);
    if (!sums)
        return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
    if (C->table) /* every item's log P(k | node) at this pass's parameters */
        for (size_t i = 0; i < C->nitems; i++)
            for (size_t k = 0; k < tmpl->bank[i].ncat; k++)
                for (size_t g = 0; g < NQ; g++)
                    C->table[(C->toff[i] + k) * NQ + g] =
                        rf_irt_logprob(&tmpl->bank[i], C->qx[g], k);
    int started = 0;
    for (int t = 0; t < T; t++) {
        P[t] = *tmpl;
        P[t].glo = C->ng * (size_t)t / (size_t)T;
        P[t].ghi = C->ng * (size_t)(t + 1) / (size_t)T;
        P[t].sum1 = sums + (size_t)t * 3 * C->nskills;
        P[t].sum2 = P[t].sum1 + C->nskills;
        P[t].cnt = P[t].sum2 + C->nskills;
        P[t].rc = RF_OK;
    }
    for (int t = 1; t < T; t++)
        if (pthread_create(&th[t], NULL, pass_run, &P[t]) == 0)
            started = t;
        else
            break;
    pass_run(&P[0]);
    for (int t = started + 1; t < T; t++) /* threads that did not start: run here */
        pass_run(&P[t]);
    for (int t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
    rf_status rc = RF_OK;
    for (int t = 0; t < T; t++)
        if (P[t].rc)
            rc = P[t].rc;
    if (!rc && tmpl->sum1)
        for (int t = 0; t < T; t++)
            for (size_t s = 0; s < C->nskills; s++) {
                tmpl->sum1[s] += P[t].sum1[s];
                tmpl->sum2[s] += P[t].sum2[s];
                tmpl->cnt[s] += P[t].cnt[s];
            }
    free(sums);
    return rc ? rf_err_set(err, rc, "recalibration: out of memory") : RF_OK;
}

/* ---- one item's posterior mode ---- */

/* log P(k | theta) of a 2PL or 3PL item and, when d is not NULL, its
 * gradient in (a, b[, c]) (3PL: l1c = log1p(-c), lc = log(c)): the values of
 * rf_irt_logprob and rf_irt_dlogprob_params bit for bit, from the one
 * exponential e^{-|z|} those compute several times over (irt/model.c: the
 * same operations in the same order on the same operands). */
static double dich_node(const struct rf_irt_item *it, double l1c, double lc, double theta, size_t k,
                        int need_f, double *d)
{
    double a = it->a, dt = theta - it->b, z = a * dt;
    double e = exp(z >= 0 ? -z : z), r = 1.0 / (1.0 + e), q = e / (1.0 + e);
    double p = z >= 0 ? r : q, pn = z >= 0 ? q : r; /* rf_logistic(z), rf_logistic(-z) */
    /* rf_log_logistic(z) and rf_log_logistic(-z), when wanted */
    double l1pe = need_f ? log1p(e) : 0;
    double ll = z >= 0 ? -l1pe : z - l1pe, lln = z <= 0 ? -l1pe : -z - l1pe;
    if (it->model == RF_MODEL_3PL) {
        double c = it->c, lp = 0;
        if (need_f && k == 0) {
            lp = l1c + lln;
        } else if (need_f) {
            double l1 = l1c + ll;
            if (c <= 0) {
                lp = l1;
            } else {
                double m = lc > l1 ? lc : l1;
                lp = m + log(exp(lc - m) + exp(l1 - m));
            }
        }
        if (d) {
            double s = p * pn;
            double g1[3] = {(1 - c) * s * dt, -(1 - c) * s * a, pn};
            double P = k ? c + (1.0 - c) * p : (1.0 - c) * pn;
            double sign = k ? 1.0 : -1.0;
            for (int i = 0; i < 3; i++)
                d[i] = sign * g1[i] / P;
        }
        return lp;
    }
    if (d) {
        double s = p * pn, g0 = s * dt, g1 = -a * s;
        /* rf_irt_prob from (u, un) = P*_k, (v, vn) = P*_{k+1} */
        double u = k ? p : 1.0, un = k ? pn : 0.0, v = k ? 0.0 : p, vn = k ? 1.0 : pn;
        double f = (u + v > 1.0) ? vn - un : u - v, sign = k ? 1.0 : -1.0;
        d[0] = (0.0 + sign * g0) / f;
        d[1] = (0.0 + sign * g1) / f;
    }
    return k ? ll : lln;
}

/* The answers' part of item_f on the fused path (a 2PL or 3PL item, the
 * marginal EM abilities): E_post log P summed into the value returned (when
 * need_f) and its gradient into gn (when not NULL), in the order and with the
 * operations of the reference path, from the answers' posteriors gathered
 * in item order (F->cm, F->cs, F->ck). */
static double em_fused(const struct ctx *C, const struct fit *F, size_t i,
                       const struct rf_irt_item *it, int need_f, double *gn)
{
    double l1c = 0, lc = 0;
    int three = it->model == RF_MODEL_3PL;
    if (three) {
        l1c = log1p(-it->c);
        lc = log(it->c);
    }
    double f = 0, g0 = 0, g1 = 0, g2 = 0;
    for (size_t r = F->off[i]; r < F->off[i + 1]; r++) {
        double m = F->cm[r], sd = F->cs[r];
        size_t k = (size_t)F->ck[r];
        for (int q = 0; q < NGH; q++) {
            double th = m + sd * C->ghx[q], d[3] = {0, 0, 0};
            double lp = dich_node(it, l1c, lc, th, k, need_f, gn ? d : NULL);
            if (need_f)
                f += C->ghw[q] * lp;
            if (gn) {
                g0 += C->ghw[q] * d[0];
                g1 += C->ghw[q] * d[1];
                if (three)
                    g2 += C->ghw[q] * d[2];
            }
        }
    }
    if (gn) {
        gn[0] = g0;
        gn[1] = g1;
        gn[2] = g2;
    }
    return f;
}

/* Log posterior of item i at x (answers' LOO posteriors in F) and its
 * gradient g (may be NULL); need_f 0: the gradient only (the value returned
 * is then the priors' part alone). */
static double item_f(const struct ctx *C, const struct fit *F, size_t i, const double *x, double *g,
                     int need_f)
{
    const struct rf_recal_item *item = &C->items[i];
    enum kind kd = C->kind[i];
    struct rf_irt_item it;
    make_irt(item, kd, x, &it);
    size_t np = rf_irt_nparams(&it);
    double f = 0, gn[RF_MAX_ITEM_PARAMS] = {0};
    if (kd != K_GRM && !C->o->reference && C->o->abilities == RF_RECAL_ABILITY_EM) {
        f = em_fused(C, F, i, &it, need_f, g ? gn : NULL);
        goto priors;
    }
    for (size_t r = F->off[i]; r < F->off[i + 1]; r++) {
        size_t a = F->idx[r];
        size_t k = (size_t)C->ans[a].k;
        double S = 0, gs[RF_MAX_ITEM_PARAMS] = {0};
        if (C->o->abilities == RF_RECAL_ABILITY_EM) { /* E_post log P */
            for (int q = 0; q < NGH; q++) {
                double th = F->m[a] + F->s[a] * C->ghx[q];
                f += C->ghw[q] * rf_irt_logprob(&it, th, k);
                if (g) {
                    double d[RF_MAX_ITEM_PARAMS];
                    rf_irt_dlogprob_params(&it, th, k, d, NULL);
                    for (size_t j = 0; j < np; j++)
                        gn[j] += C->ghw[q] * d[j];
                }
            }
            continue;
        }
        for (int q = 0; q < NGH; q++) {
            double th = F->m[a] + F->s[a] * C->ghx[q];
            double p = C->ghw[q] * rf_irt_prob(&it, th, k);
            S += p;
            if (g) {
                double d[RF_MAX_ITEM_PARAMS];
                rf_irt_dlogprob_params(&it, th, k, d, NULL);
                for (size_t j = 0; j < np; j++)
                    gs[j] += p * d[j];
            }
        }
        S = S > 1e-300 ? S : 1e-300;
        f += log(S);
        if (g)
            for (size_t j = 0; j < np; j++)
                gn[j] += gs[j] / S;
    }
priors:;
    double dla = x[0] - F->mu_loga, va = F->sd_loga * F->sd_loga, vb = F->sd_b * F->sd_b;
    f += -0.5 * dla * dla / va - 0.5 * x[1] * x[1] / vb;
    double al = RF_RECAL_C_WEIGHT * F->mu_c, be = RF_RECAL_C_WEIGHT * (1 - F->mu_c);
    if (kd == K_3PL)
        f += al * rf_log_logistic(x[2]) + be * rf_log_logistic(-x[2]);
    if (g) {
        g[0] = it.a * gn[0] - dla / va;
        if (kd == K_GRM) {
            double s = 0;
            for (size_t j = 1; j < np; j++)
                s += gn[j];
            g[1] = s;
        } else {
            g[1] = gn[1];
        }
        g[1] -= x[1] / vb;
        if (kd == K_3PL) {
            double c = it.c;
            g[2] = c * (1 - c) * gn[2] + al * (1 - c) - be * c;
        }
    }
    return f;
}

/* Hessian by central differences of the gradient (symmetrized). */
static void item_hess(const struct ctx *C, const struct fit *F, size_t i, const double *x, int d,
                      double *H)
{
    double gp[3], gm[3], y[3];
    const double h = 1e-4;
    for (int j = 0; j < d; j++) {
        memcpy(y, x, sizeof y);
        y[j] = x[j] + h;
        item_f(C, F, i, y, gp, 0);
        y[j] = x[j] - h;
        item_f(C, F, i, y, gm, 0);
        for (int r = 0; r < d; r++)
            H[r * d + j] = (gp[r] - gm[r]) / (2 * h);
    }
    for (int r = 0; r < d; r++)
        for (int j = 0; j < r; j++)
            H[r * d + j] = H[j * d + r] = 0.5 * (H[r * d + j] + H[j * d + r]);
}

/* Cholesky of the d x d matrix A (in place, lower); 0 when not positive definite. */
static int chol(double *A, int d)
{
    for (int j = 0; j < d; j++) {
        double s = A[j * d + j];
        for (int k = 0; k < j; k++)
            s -= A[j * d + k] * A[j * d + k];
        if (!(s > 1e-12))
            return 0;
        A[j * d + j] = sqrt(s);
        for (int r = j + 1; r < d; r++) {
            double t = A[r * d + j];
            for (int k = 0; k < j; k++)
                t -= A[r * d + k] * A[j * d + k];
            A[r * d + j] = t / A[j * d + j];
        }
    }
    return 1;
}

/* Solves L L' y = b in place. */
static void chol_solve(const double *L, int d, double *b)
{
    for (int r = 0; r < d; r++) {
        for (int k = 0; k < r; k++)
            b[r] -= L[r * d + k] * b[k];
        b[r] /= L[r * d + r];
    }
    for (int r = d - 1; r >= 0; r--) {
        for (int k = r + 1; k < d; k++)
            b[r] -= L[k * d + r] * b[k];
        b[r] /= L[r * d + r];
    }
}

static const double step_max[3] = {0.5, 1.0, 1.0};
static const double lo_b[3] = {LA_MIN, -LOC_MAX, LC_MIN}, hi_b[3] = {LA_MAX, LOC_MAX, LC_MAX};

/* Newton with a Levenberg ridge and step halving from F->x[i]; the
 * posterior variances from the curvature at the mode. */
static void item_fit(const struct ctx *C, struct fit *F, size_t i)
{
    int d = nfree(C->kind[i]);
    double *x = F->x + i * 3, g[3] = {0}, H[9], A[9];
    double f = item_f(C, F, i, x, g, 1);
    for (int it = 0; it < 30; it++) {
        item_hess(C, F, i, x, d, H);
        double step[3] = {0}, ridge = 0;
        for (int tries = 0; tries < 12; tries++) {
            for (int r = 0; r < d * d; r++)
                A[r] = -H[r];
            for (int r = 0; r < d; r++)
                A[r * d + r] += ridge;
            if (chol(A, d))
                break;
            ridge = ridge ? ridge * 10 : 1e-3;
        }
        memcpy(step, g, sizeof step);
        chol_solve(A, d, step);
        double big = 0;
        for (int r = 0; r < d; r++) {
            if (!isfinite(step[r]))
                step[r] = 0;
            step[r] = clamp(step[r], -step_max[r], step_max[r]);
            if (fabs(step[r]) > big)
                big = fabs(step[r]);
        }
        if (big < 1e-5)
            break;
        double y[3] = {x[0], x[1], x[2]}, gy[3] = {0}, fy = -HUGE_VAL;
        int ok = 0;
        for (int half = 0; half < 12; half++) {
            for (int r = 0; r < d; r++)
                y[r] = clamp(x[r] + step[r], lo_b[r], hi_b[r]);
            fy = item_f(C, F, i, y, gy, 1);
            if (fy >= f - 1e-10) {
                ok = 1;
                break;
            }
            for (int r = 0; r < d; r++)
                step[r] *= 0.5;
        }
        if (!ok)
            break;
        double moved = 0;
        for (int r = 0; r < d; r++)
            moved = fmax(moved, fabs(y[r] - x[r]));
        memcpy(x, y, sizeof y);
        memcpy(g, gy, sizeof gy);
        f = fy;
        if (moved < 1e-5)
            break;
    }
    item_hess(C, F, i, x, d, H);
    for (int r = 0; r < d * d; r++)
        A[r] = -H[r];
    double *v = F->v + i * 3;
    v[2] = 0;
    if (chol(A, d)) {
        for (int r = 0; r < d; r++) {
            double e[3] = {0};
            e[r] = 1;
            chol_solve(A, d, e);
            v[r] = e[r];
        }
    } else {
        v[0] = F->sd_loga * F->sd_loga;
        v[1] = F->sd_b * F->sd_b;
        if (d == 3)
            v[2] = 1;
    }
}

struct ipass {
    const struct ctx *C;
    struct fit *F;
    size_t lo, hi;       /* the reference path: items [lo, hi) */
    atomic_size_t *next; /* otherwise the next item to fit, shared */
};

/* Fits the estimated items: taken one at a time from a shared counter, so
 * that threads share the work however the answers spread over the items
 * (each item's fit depends on nothing another thread writes); the
 * reference path splits them in contiguous ranges, as before. */
static void *ipass_run(void *arg)
{
    struct ipass *P = arg;
    if (P->C->o->reference) {
        for (size_t i = P->lo; i < P->hi; i++)
            if (P->F->est[i])
                item_fit(P->C, P->F, i);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(P->next, 1);
        if (i >= P->C->nitems)
            break;
        if (P->F->est[i])
            item_fit(P->C, P->F, i);
    }
    return NULL;
}

static void items_pass(const struct ctx *C, struct fit *F)
{
    int T = nthreads(C), started = 0;
    struct ipass P[MAX_THREADS];
    pthread_t th[MAX_THREADS];
    atomic_size_t next;
    atomic_init(&next, 0);
    memset(P, 0, sizeof P);
    for (int t = 0; t < T; t++)
        P[t] = (struct ipass){C, F, C->nitems * (size_t)t / (size_t)T,
                              C->nitems * (size_t)(t + 1) / (size_t)T, &next};
    for (int t = 1; t < T; t++)
        if (pthread_create(&th[t], NULL, ipass_run, &P[t]) == 0)
            started = t;
        else
            break;
    ipass_run(&P[0]);
    for (int t = started + 1; t < T; t++)
        ipass_run(&P[t]);
    for (int t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
}

/* EM update of the hyperparameters from the estimated items' posterior
 * modes and variances, with RF_RECAL_HYPER_N pseudo-items at the
 * hyperpriors. */
static void hyper_update(const struct ctx *C, struct fit *F)
{
    double n = 0, sla = 0, n3 = 0, sc = 0;
    for (size_t i = 0; i < C->nitems; i++)
        if (F->est[i]) {
            n++;
            sla += F->x[i * 3];
            if (C->kind[i] == K_3PL) {
                n3++;
                sc += rf_logistic(F->x[i * 3 + 2]);
            }
        }
    const double N0 = RF_RECAL_HYPER_N;
    double mu = sla / (n + N0), ssa = N0 * RF_RECAL_LOGA_SD0 * RF_RECAL_LOGA_SD0,
           ssb = N0 * RF_RECAL_B_SD0 * RF_RECAL_B_SD0;
    for (size_t i = 0; i < C->nitems; i++)
        if (F->est[i]) {
            double da = F->x[i * 3] - mu, db = F->x[i * 3 + 1];
            ssa += da * da + F->v[i * 3];
            ssb += db * db + F->v[i * 3 + 1];
        }
    F->mu_loga = mu;
    F->sd_loga = fmax(sqrt(ssa / (n + N0)), RF_RECAL_SD_FLOOR);
    F->sd_b = fmax(sqrt(ssb / (n + N0)), RF_RECAL_SD_FLOOR);
    F->mu_c = clamp((sc + N0 * C->mu_c0) / (n3 + N0), 0.01, 0.5);
}

/* The anchoring (RF_RECAL_ANCHOR_POOLED, recal.h): the likelihood is the
 * same when a skill's items and its takers' latent mean move together, so
 * only the priors say where each skill's origin is. Two do: the item
 * priors, b_i ~ N(rated b_i, sd_b^2), whose n_s estimated items put the
 * mean shift m_s ~ N(0, sd_b^2 / n_s); and the takers, mu_s ~ N(mu0,
 * tau^2). Given the position r_s = mu_s - m_s the data fix, the posterior
 * mode is mu_s = mu0 + (r_s - mu0) tau^2 / (tau^2 + v_s), v_s = sd_b^2 /
 * n_s; mu0 and tau^2 are the marginal ML estimates over the skills (r_s ~
 * N(mu0, tau^2 + v_s); the fixed point of Morris 1983, eq. 3.3). Each
 * skill's items and latent mean then move by the same amount, so the fit
 * is unchanged and the EM need not creep along the ridge. cnt: the takers
 * per skill. */
static void anchor_origin(const struct ctx *C, struct fit *F, const double *cnt)
{
    if (C->o->anchor != RF_RECAL_ANCHOR_POOLED || C->o->latent == RF_RECAL_LATENT_FIXED)
        return;
    size_t ns = C->nskills;
    for (size_t s = 0; s < ns; s++)
        F->an[s] = F->am[s] = 0;
    for (size_t i = 0; i < C->nitems; i++)
        if (F->est[i]) {
            F->an[C->items[i].skill]++;
            F->am[C->items[i].skill] += F->x[i * 3 + 1];
        }
    double vb = F->sd_b * F->sd_b, k = 0;
    for (size_t s = 0; s < ns; s++)
        if (F->an[s] > 0 && cnt[s] > 0 && F->info[s] > 0) {
            F->am[s] /= F->an[s];
            k++;
        } else {
            F->an[s] = 0;
        }
    if (k < 2) /* one skill: nothing to pool over */
        return;
    /* mu0 and tau^2: marginal ML over the skills, r_s = (the data's latent
     * mean) - m_s ~ N(mu0, tau^2 + v_s + e_s), e_s = 1 / (the takers'
     * information on their mean). */
    double mu0 = 0, t2 = 0, sw = 0;
    for (int it = 0; it < 200; it++) {
        double swr = 0, sw2 = 0, sw2d = 0;
        sw = 0;
        for (size_t s = 0; s < ns; s++)
            if (F->an[s] > 0) {
                double w = 1 / (t2 + vb / F->an[s] + 1 / F->info[s]);
                sw += w;
                swr += w * (F->dmean[s] - F->am[s]);
            }
        mu0 = swr / sw;
        for (size_t s = 0; s < ns; s++)
            if (F->an[s] > 0) {
                double v = vb / F->an[s] + 1 / F->info[s], w = 1 / (t2 + v),
                       d = F->dmean[s] - F->am[s] - mu0;
                sw2 += w * w;
                sw2d += w * w * (d * d - v);
            }
        double nt2 = fmax(sw2d / sw2, 0);
        if (fabs(nt2 - t2) < 1e-10) {
            t2 = nt2;
            break;
        }
        t2 = nt2;
    }
    F->mu0 = mu0;
    F->tau = sqrt(t2);
    /* Along each skill's ridge: the mode of the two priors. */
    for (size_t s = 0; s < ns; s++) {
        if (!(F->an[s] > 0))
            continue;
        double v = vb / F->an[s], B = t2 / (t2 + v), r = F->lmean[s] - F->am[s];
        double target = clamp(mu0 + B * (r - mu0), -3, 3), c = target - F->lmean[s];
        F->lmean[s] = target;
        F->ose[s] = sqrt(1 / (1 / v + 1 / (t2 + 1 / F->info[s])));
        for (size_t i = 0; i < C->nitems; i++)
            if (F->est[i] && C->items[i].skill == s)
                F->x[i * 3 + 1] = clamp(F->x[i * 3 + 1] + c, -LOC_MAX, LOC_MAX);
    }
}

static void fit_free(struct fit *F)
{
    free(F->x);
    free(F->v);
    free(F->est);
    free(F->n);
    free(F->lmean);
    free(F->lsd);
    free(F->an);
    free(F->am);
    free(F->ose);
    free(F->info);
    free(F->dmean);
    free(F->m);
    free(F->s);
    free(F->gfm);
    free(F->gfm2);
    free(F->gfirst);
    free(F->off);
    free(F->idx);
    free(F->cm);
    free(F->cs);
    free(F->ck);
    memset(F, 0, sizeof *F);
}

static rf_status fit_alloc(const struct ctx *C, struct fit *F, struct rf_err *err)
{
    memset(F, 0, sizeof *F);
    size_t n = C->nitems ? C->nitems : 1, ns = C->nskills ? C->nskills : 1,
           na = C->nans ? C->nans : 1;
    F->x = rf_calloc_array(n * 3, sizeof *F->x);
    F->v = rf_calloc_array(n * 3, sizeof *F->v);
    F->est = rf_calloc_array(n, 1);
    F->n = rf_calloc_array(n, sizeof *F->n);
    F->lmean = rf_calloc_array(ns, sizeof *F->lmean);
    F->lsd = rf_calloc_array(ns, sizeof *F->lsd);
    F->an = rf_calloc_array(ns, sizeof *F->an);
    F->am = rf_calloc_array(ns, sizeof *F->am);
    F->ose = rf_calloc_array(ns, sizeof *F->ose);
    F->info = rf_calloc_array(ns, sizeof *F->info);
    F->dmean = rf_calloc_array(ns, sizeof *F->dmean);
    F->m = rf_calloc_array(na, sizeof *F->m);
    F->s = rf_calloc_array(na, sizeof *F->s);
    F->gfm = rf_calloc_array(na, sizeof *F->gfm);
    F->gfm2 = rf_calloc_array(na, sizeof *F->gfm2);
    F->gfirst = rf_calloc_array(na, 1);
    F->off = rf_calloc_array(n + 1, sizeof *F->off);
    F->idx = rf_calloc_array(na, sizeof *F->idx);
    F->cm = rf_calloc_array(na, sizeof *F->cm);
    F->cs = rf_calloc_array(na, sizeof *F->cs);
    F->ck = rf_calloc_array(na, sizeof *F->ck);
    if (!F->cm || !F->cs || !F->ck || !F->x || !F->v || !F->est || !F->n || !F->lmean || !F->lsd ||
        !F->m || !F->s || !F->off || !F->idx || !F->gfm || !F->gfm2 || !F->gfirst || !F->an ||
        !F->am || !F->ose || !F->info || !F->dmean) {
        fit_free(F);
        return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
    }
    for (size_t s = 0; s < C->nskills; s++) {
        F->lsd[s] = 1;
        F->ose[s] = NAN;
    }
    F->mu0 = F->tau = NAN;
    F->mu_loga = 0;
    F->sd_loga = RF_RECAL_LOGA_SD0;
    F->sd_b = RF_RECAL_B_SD0;
    F->mu_c = C->mu_c0;
    return RF_OK;
}

/* Fits the tests with held[g] == 0 (or every test: all), F->x holding the
 * start. */
static rf_status fit_run(const struct ctx *C, struct fit *F, int all, struct rf_err *err)
{
    /* Answers by item, of the fit's tests. */
    unsigned char *held = C->held;
    memset(F->n, 0, C->nitems * sizeof *F->n);
    for (size_t g = 0; g < C->ng; g++)
        if (all || !held[g])
            for (size_t a = C->glo[g]; a < C->glo[g + 1]; a++)
                F->n[C->ans[a].item]++;
    F->off[0] = 0;
    for (size_t i = 0; i < C->nitems; i++)
        F->off[i + 1] = F->off[i] + F->n[i];
    size_t *fill = rf_calloc_array(C->nitems ? C->nitems : 1, sizeof *fill);
    struct rf_irt_item *bank = rf_calloc_array(C->nitems ? C->nitems : 1, sizeof *bank);
    double *sums = rf_calloc_array(3 * (C->nskills ? C->nskills : 1), sizeof *sums);
    double *prev = rf_calloc_array(3 * (C->nitems ? C->nitems : 1), sizeof *prev);
    if (!fill || !bank || !sums || !prev) {
        free(fill);
        free(bank);
        free(sums);
        free(prev);
        return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
    }
    for (size_t g = 0; g < C->ng; g++)
        if (all || !held[g])
            for (size_t a = C->glo[g]; a < C->glo[g + 1]; a++) {
                size_t i = C->ans[a].item;
                F->idx[F->off[i] + fill[i]++] = a;
            }
    for (size_t i = 0; i < C->nitems; i++)
        F->est[i] = F->n[i] >= C->o->min_answers && F->n[i] > 0;
    /* held[] marks: 0 in the fit; the pass reads held == 0 (or 2: in this fit). */
    unsigned char *mark = NULL;
    if (all) {
        mark = rf_alloc_array(C->ng ? C->ng : 1, 1);
        if (!mark) {
            free(fill);
            free(bank);
            free(sums);
            free(prev);
            return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
        }
        memcpy(mark, C->held, C->ng);
        for (size_t g = 0; g < C->ng; g++)
            if (C->held[g])
                C->held[g] = 2;
    }
    rf_status rc = RF_OK;
    int maxr = C->o->rounds > 0 ? C->o->rounds : RF_RECAL_ROUNDS;
    F->rounds = 0;
    for (int r = 0; r < maxr && !rc; r++) {
        for (size_t i = 0; i < C->nitems; i++) {
            if (F->est[i])
                make_irt(&C->items[i], C->kind[i], F->x + i * 3, &bank[i]);
            else
                bank[i] = C->items[i].irt;
        }
        memset(sums, 0, 3 * C->nskills * sizeof *sums);
        struct pass P = {.C = C,
                         .F = F,
                         .bank = bank,
                         .sum1 = sums,
                         .sum2 = sums + C->nskills,
                         .cnt = sums + 2 * C->nskills,
                         .mode = 0,
                         .rc = RF_OK};
        memset(F->gfirst, 0, C->nans);
        if ((rc = run_pass(C, &P, err)))
            break;
        /* The latent sums in answer order, whatever the threads. */
        for (size_t s = 0; s < C->nskills; s++)
            F->info[s] = 0;
        for (size_t a = 0; a < C->nans; a++)
            if (F->gfirst[a]) {
                size_t sk = C->items[C->ans[a].item].skill;
                double ls2 = F->lsd[sk] * F->lsd[sk];
                P.sum1[sk] += F->gfm[a];
                P.sum2[sk] += F->gfm2[a];
                P.cnt[sk] += 1;
                F->info[sk] += fmax(1 - (F->gfm2[a] - F->gfm[a] * F->gfm[a]) / ls2, 0) / ls2;
            }
        /* The latent distributions (EM over the tests' full posteriors; the
         * mean under the anchoring's prior N(mu0, tau^2) once it has one). */
        double dl = 0;
        for (size_t s = 0; s < C->nskills; s++) {
            if (P.cnt[s] < 1 || C->o->latent == RF_RECAL_LATENT_FIXED)
                continue;
            double m = P.sum1[s] / P.cnt[s], v = P.sum2[s] / P.cnt[s] - m * m;
            /* the data's own mean: the EM step goes info / cnt of the way (Louis
             * 1982), so one Newton step from the prior's mean */
            F->dmean[s] = F->info[s] > 0 ? F->lmean[s] + (m - F->lmean[s]) * P.cnt[s] /
                                                             (F->info[s] * F->lsd[s] * F->lsd[s])
                                         : m;
            if (isfinite(F->mu0) && isfinite(F->tau) && !isnan(F->ose[s])) {
                double ls2 = F->lsd[s] * F->lsd[s], t2 = F->tau * F->tau;
                m = t2 > 1e-12 ? (P.sum1[s] / ls2 + F->mu0 / t2) / (P.cnt[s] / ls2 + 1 / t2)
                               : F->mu0;
            }
            m = clamp(m, -3, 3);
            double sd =
                C->o->latent == RF_RECAL_LATENT_MEAN ? 1.0 : clamp(sqrt(fmax(v, 0)), 0.3, 3);
            dl = fmax(dl, fmax(fabs(m - F->lmean[s]), fabs(sd - F->lsd[s])));
            F->lmean[s] = m;
            F->lsd[s] = sd;
        }
        memcpy(prev, F->x, 3 * C->nitems * sizeof *prev);
        /* the answers' posteriors in item order, for the items' fits */
        for (size_t e = 0; e < F->off[C->nitems]; e++) {
            size_t a = F->idx[e];
            F->cm[e] = F->m[a];
            F->cs[e] = F->s[a];
            F->ck[e] = C->ans[a].k;
        }
        double hp[4] = {F->mu_loga, F->sd_loga, F->sd_b, F->mu_c};
        items_pass(C, F);
        anchor_origin(C, F, P.cnt);
        hyper_update(C, F);
        F->rounds = r + 1;
        double dx = 0;
        for (size_t i = 0; i < C->nitems; i++)
            if (F->est[i])
                for (int j = 0; j < nfree(C->kind[i]); j++)
                    dx = fmax(dx, fabs(F->x[i * 3 + j] - prev[i * 3 + j]));
        double dh = fmax(fmax(fabs(hp[0] - F->mu_loga), fabs(hp[1] - F->sd_loga)),
                         fmax(fabs(hp[2] - F->sd_b), fabs(hp[3] - F->mu_c)));
        if (r > 0 && dx < RF_RECAL_TOL && dh < RF_RECAL_TOL / 2 && dl < RF_RECAL_TOL)
            break;
    }
    if (mark) {
        memcpy(C->held, mark, C->ng);
        free(mark);
    }
    free(fill);
    free(bank);
    free(sums);
    free(prev);
    return rc;
}

/* ---- the held-out comparison ---- */

static rf_status heldout(const struct ctx *C, const struct fit *F, struct rf_recal_result *res,
                         struct rf_err *err)
{
    size_t n = C->nitems ? C->nitems : 1, ns = C->nskills ? C->nskills : 1;
    struct rf_irt_item *cur = rf_alloc_array(n, sizeof *cur), *nw = rf_alloc_array(n, sizeof *nw);
    double *lc = rf_alloc_array(C->nans ? C->nans : 1, sizeof *lc);
    double *ln = rf_alloc_array(C->nans ? C->nans : 1, sizeof *ln);
    double *zm = rf_calloc_array(ns, sizeof *zm), *om = rf_alloc_array(ns, sizeof *om);
    double *gc = rf_alloc_array(C->nans ? C->nans : 1, sizeof *gc);
    double *gn = rf_alloc_array(C->nans ? C->nans : 1, sizeof *gn);
    double *acc = rf_calloc_array(3 * ns, sizeof *acc);
    rf_status rc = RF_OK;
    if (!cur || !nw || !lc || !ln || !zm || !om || !gc || !gn || !acc) {
        rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
        goto out;
    }
    for (size_t i = 0; i < C->nitems; i++) {
        cur[i] = C->items[i].irt;
        if (F->est[i])
            make_irt(&C->items[i], C->kind[i], F->x + i * 3, &nw[i]);
        else
            nw[i] = cur[i];
    }
    for (size_t s = 0; s < C->nskills; s++)
        om[s] = 1;
    for (size_t a = 0; a < C->nans; a++)
        gc[a] = gn[a] = NAN;
    struct pass P = {.C = C,
                     .F = (struct fit *)F,
                     .bank = cur,
                     .lpred = lc,
                     .gmean = gc,
                     .lmean = zm,
                     .lsd = om,
                     .mode = 1,
                     .rc = RF_OK};
    if ((rc = run_pass(C, &P, err)))
        goto out;
    /* the scores the product would give (scoring prior N(0, 1)) with the new bank */
    P.bank = nw;
    P.lpred = ln;
    P.gmean = gn;
    if ((rc = run_pass(C, &P, err)))
        goto out;
    for (size_t g = 0; g < C->ng; g++) {
        if (C->held[g] != 1)
            continue;
        for (size_t a = C->glo[g]; a < C->glo[g + 1]; a++)
            if (!isnan(gc[a]) && !isnan(gn[a])) {
                size_t sk = C->items[C->ans[a].item].skill;
                double d = gn[a] - gc[a];
                acc[sk] += 1;
                acc[ns + sk] += d;
                acc[2 * ns + sk] += d * d;
            }
    }
    for (size_t s = 0; s < C->nskills; s++) {
        double k = acc[s], m = k > 0 ? acc[ns + s] / k : NAN;
        res->shift_n[s] = (size_t)k;
        res->shift[s] = m;
        res->shift_se[s] = k > 1 ? sqrt(fmax(acc[2 * ns + s] - k * m * m, 0) / (k - 1) / k) : NAN;
    }
    /* the held-out rule: the new bank under its fitted latent */
    P.lpred = ln;
    P.gmean = NULL;
    P.lmean = F->lmean;
    P.lsd = F->lsd;
    if ((rc = run_pass(C, &P, err)))
        goto out;
    double sc = 0, sn = 0, na = 0;
    size_t T = 0;
    for (size_t g = 0; g < C->ng; g++) {
        if (C->held[g] != 1)
            continue;
        T++;
        for (size_t a = C->glo[g]; a < C->glo[g + 1]; a++) {
            sc += lc[a];
            sn += ln[a];
            na++;
        }
    }
    res->tests_heldout = T;
    res->n_heldout = (size_t)na;
    if (!na) {
        res->ll_current = res->ll_new = res->ll_se = NAN;
        goto out;
    }
    res->ll_current = sc / na;
    res->ll_new = sn / na;
    double gain = res->ll_new - res->ll_current, v = 0;
    for (size_t g = 0; g < C->ng; g++) {
        if (C->held[g] != 1)
            continue;
        double D = 0, m = 0;
        for (size_t a = C->glo[g]; a < C->glo[g + 1]; a++) {
            D += ln[a] - lc[a];
            m++;
        }
        v += (D - gain * m) * (D - gain * m);
    }
    res->ll_se = T > 1 ? sqrt(v * (double)T / (double)(T - 1)) / na : NAN;
out:
    free(cur);
    free(nw);
    free(lc);
    free(ln);
    free(zm);
    free(om);
    free(gc);
    free(gn);
    free(acc);
    return rc;
}

/* ---- the entry point ---- */

static rf_status check(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                       const struct rf_recal_answer *ans, size_t nans,
                       const struct rf_recal_opts *o, struct rf_err *err)
{
    if (!o || !(o->holdout >= 0 && o->holdout < 1) || o->threads < 1 ||
        (o->abilities != RF_RECAL_ABILITY_EM && o->abilities != RF_RECAL_ABILITY_LOO) ||
        o->latent < RF_RECAL_LATENT_FREE || o->latent > RF_RECAL_LATENT_FIXED ||
        (o->anchor != RF_RECAL_ANCHOR_POOLED && o->anchor != RF_RECAL_ANCHOR_RATED) ||
        isnan(o->max_shift))
        return rf_err_set(err, RF_EINVAL,
                          "recalibration: holdout must be in [0, 1), threads at least 1, "
                          "abilities, latent and anchor one of theirs, max_shift a number");
    if (nitems > UINT32_MAX)
        return rf_err_set(err, RF_EINVAL, "recalibration: too many items");
    for (size_t i = 0; i < nitems; i++) {
        const struct rf_recal_item *it = &items[i];
        const char *id = it->id ? it->id : "?";
        if (it->skill >= nskills)
            return rf_err_set(err, RF_EINVAL, "recalibration: item %zu (%s): skill %zu of %zu", i,
                              id, it->skill, nskills);
        struct rf_err e2;
        rf_err_clear(&e2);
        if (rf_irt_item_validate(&it->irt, &e2) || rf_irt_item_validate(&it->rated, &e2))
            return rf_err_set(err, RF_EINVAL, "recalibration: item %zu (%s): %s", i, id, e2.msg);
        if (it->irt.ncat != it->rated.ncat)
            return rf_err_set(err, RF_EINVAL,
                              "recalibration: item %zu (%s): %zu categories, rated %zu", i, id,
                              it->irt.ncat, it->rated.ncat);
    }
    for (size_t a = 0; a < nans; a++) {
        const struct rf_recal_answer *x = &ans[a];
        if (x->item >= nitems)
            return rf_err_set(err, RF_EINVAL, "recalibration: answer %zu: item %u of %zu", a,
                              x->item, nitems);
        if (x->k < 0 || (size_t)x->k >= items[x->item].irt.ncat)
            return rf_err_set(err, RF_EINVAL,
                              "recalibration: answer %zu: category %d out of range for item %s", a,
                              x->k, items[x->item].id ? items[x->item].id : "?");
    }
    return RF_OK;
}

/* Skill s's name for a message: o->skills[s], or its number. */
static const char *skill_name(const struct rf_recal_opts *o, size_t s, char *buf, size_t n)
{
    if (o->skills && o->skills[s])
        return o->skills[s];
    snprintf(buf, n, "%zu", s);
    return buf;
}

/* The verdict guard (recal.h): scale_ok, and the skill whose shift is
 * furthest past the bound (or nearest it). */
static void scale_guard(const struct rf_recal_opts *o, struct rf_recal_result *res)
{
    double worst = -HUGE_VAL;
    res->scale_ok = 1;
    res->worst = 0;
    for (size_t s = 0; s < res->nskills; s++) {
        if (res->shift_n[s] < RF_RECAL_SHIFT_MIN_N || isnan(res->shift[s]))
            continue;
        double se = isnan(res->shift_se[s]) ? 0 : res->shift_se[s];
        double over = fabs(res->shift[s]) - o->max_shift - RF_RECAL_MIN_Z * se;
        if (over > worst) {
            worst = over;
            res->worst = s;
        }
        if (o->max_shift > 0 && over > 0)
            res->scale_ok = 0;
    }
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

rf_status rf_recal_run(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                       const struct rf_recal_answer *ans, size_t nans,
                       const struct rf_recal_opts *o, struct rf_recal_result *res,
                       struct rf_err *err)
{
    memset(res, 0, sizeof *res);
    rf_status rc = check(items, nitems, nskills, ans, nans, o, err);
    if (rc)
        return rc;
    struct ctx C;
    memset(&C, 0, sizeof C);
    C.items = items;
    C.nitems = nitems;
    C.nskills = nskills;
    C.ans = ans;
    C.nans = nans;
    C.o = o;
    struct fit F, A;
    memset(&F, 0, sizeof F);
    memset(&A, 0, sizeof A);
    uint64_t *ids = NULL;
    C.kind = rf_calloc_array(nitems ? nitems : 1, sizeof *C.kind);
    C.glo = rf_alloc_array(nans + 2, sizeof *C.glo);
    res->latent_mean = rf_calloc_array(nskills ? nskills : 1, sizeof *res->latent_mean);
    res->latent_sd = rf_calloc_array(nskills ? nskills : 1, sizeof *res->latent_sd);
    res->origin_se = rf_calloc_array(nskills ? nskills : 1, sizeof *res->origin_se);
    res->shift = rf_calloc_array(nskills ? nskills : 1, sizeof *res->shift);
    res->shift_se = rf_calloc_array(nskills ? nskills : 1, sizeof *res->shift_se);
    res->shift_n = rf_calloc_array(nskills ? nskills : 1, sizeof *res->shift_n);
    if (!C.kind || !C.glo || !res->latent_mean || !res->latent_sd || !res->origin_se ||
        !res->shift || !res->shift_se || !res->shift_n) {
        rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
        goto out;
    }
    res->nskills = nskills;
    res->lat_mu0 = res->lat_tau = NAN;
    res->scale_ok = 1;
    for (size_t s = 0; s < nskills; s++)
        res->origin_se[s] = res->shift[s] = res->shift_se[s] = NAN;
    /* Tests: runs of one test id, each id once. */
    for (size_t a = 0; a < nans; a++)
        if (a == 0 || ans[a].test != ans[a - 1].test)
            C.glo[C.ng++] = a;
    C.glo[C.ng] = nans;
    ids = rf_alloc_array(C.ng ? C.ng : 1, sizeof *ids);
    C.held = rf_calloc_array(C.ng ? C.ng : 1, 1);
    if (!ids || !C.held) {
        rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
        goto out;
    }
    for (size_t g = 0; g < C.ng; g++) {
        ids[g] = ans[C.glo[g]].test;
        size_t len = C.glo[g + 1] - C.glo[g];
        if (len > C.maxg)
            C.maxg = len;
    }
    qsort(ids, C.ng, sizeof *ids, cmp_u64);
    for (size_t g = 1; g < C.ng; g++)
        if (ids[g] == ids[g - 1]) {
            size_t a = 0;
            while (a < nans && !(ans[a].test == ids[g] && a > 0 && ans[a - 1].test != ids[g]))
                a++;
            rc = rf_err_set(err, RF_EINVAL,
                            "recalibration: answer %zu: test %llu's answers are not contiguous", a,
                            (unsigned long long)ids[g]);
            goto out;
        }
    size_t n3 = 0;
    double c0 = 0;
    for (size_t i = 0; i < nitems; i++) {
        const struct rf_irt_item *r = &items[i].rated;
        C.kind[i] = r->ncat > 2 ? K_GRM : r->model == RF_MODEL_3PL ? K_3PL : K_2PL;
        if (C.kind[i] == K_3PL) {
            n3++;
            c0 += r->c;
        }
    }
    C.mu_c0 = clamp(n3 ? c0 / (double)n3 : 0.2, 0.01, 0.5);
    struct rf_quad gh;
    memset(&gh, 0, sizeof gh);
    if ((rc = rf_quad_init_hermite(&gh, NGH, 0, 1, err)))
        goto out;
    for (int q = 0; q < NGH; q++) {
        C.ghx[q] = gh.x[q];
        C.ghw[q] = gh.w[q];
    }
    rf_quad_cleanup(&gh);
    for (size_t g = 0; g < NQ; g++)
        C.qx[g] = QLO + (QHI - QLO) * (double)g / (NQ - 1);
    if (!o->reference) { /* the passes' table of log P(k | node) */
        C.toff = rf_alloc_array(nitems + 1, sizeof *C.toff);
        if (!C.toff) {
            rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
            goto out;
        }
        C.toff[0] = 0;
        for (size_t i = 0; i < nitems; i++)
            C.toff[i + 1] = C.toff[i] + items[i].irt.ncat;
        C.table = rf_alloc_array(C.toff[nitems] ? C.toff[nitems] * NQ : 1, sizeof *C.table);
        if (!C.table) {
            rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
            goto out;
        }
    }
    /* The split. */
    size_t nheld = 0;
    for (size_t g = 0; g < C.ng && o->holdout > 0; g++) {
        if (ans[C.glo[g]].test < o->heldout_from)
            continue;
        struct rf_rng r;
        rf_rng_substream(&r, o->seed, ans[C.glo[g]].test);
        C.held[g] = rf_rng_uniform(&r) < o->holdout;
        nheld += C.held[g];
    }
    res->tests = C.ng;
    if ((rc = fit_alloc(&C, &F, err)) || (rc = fit_alloc(&C, &A, err)))
        goto out;
    for (size_t i = 0; i < nitems; i++)
        start_of(&C, i, F.x + i * 3);
    res->ll_current = res->ll_new = res->ll_se = NAN;
    if (nheld >= RF_RECAL_MIN_HELDOUT_TESTS && nheld < C.ng) {
        if ((rc = fit_run(&C, &F, 0, err)) || (rc = heldout(&C, &F, res, err)))
            goto out;
        double gain = res->ll_new - res->ll_current;
        int better = gain > 0 && gain > RF_RECAL_MIN_Z * res->ll_se;
        scale_guard(o, res);
        res->accept = better && res->scale_ok;
        char name[32];
        const char *sk = skill_name(o, res->worst, name, sizeof name);
        if (better && !res->scale_ok) {
            snprintf(res->refused, sizeof res->refused, "scale_shift");
            snprintf(res->why, sizeof res->why,
                     "not accepted: skill %s's held-out scores move by %+.3f (SE %.3f, %zu "
                     "tests), more than %.2f + %.0f SE; held-out log-likelihood per answer "
                     "%.4f -> %.4f",
                     sk, res->shift[res->worst], res->shift_se[res->worst],
                     res->shift_n[res->worst], o->max_shift, RF_RECAL_MIN_Z, res->ll_current,
                     res->ll_new);
        } else {
            if (!better)
                snprintf(res->refused, sizeof res->refused, "heldout_loglik");
            snprintf(res->why, sizeof res->why,
                     "%s: held-out log-likelihood per answer %.4f -> %.4f (gain %+.4f, SE %.4f, "
                     "%zu answers of %zu tests); largest scale shift %+.3f (skill %s)",
                     res->accept ? "accepted" : "not accepted", res->ll_current, res->ll_new, gain,
                     res->ll_se, res->n_heldout, res->tests_heldout,
                     isnan(res->shift[res->worst]) ? 0.0 : res->shift[res->worst], sk);
        }
    } else {
        snprintf(res->refused, sizeof res->refused, "too_few_heldout");
        snprintf(res->why, sizeof res->why,
                 "not accepted: %zu held-out tests of %zu, at least %d needed", nheld, C.ng,
                 RF_RECAL_MIN_HELDOUT_TESTS);
    }
    /* The final estimates, every test, from the fit's (or the current) values. */
    for (size_t i = 0; i < nitems; i++) {
        if (F.est[i])
            memcpy(A.x + i * 3, F.x + i * 3, 3 * sizeof *A.x);
        else
            start_of(&C, i, A.x + i * 3);
    }
    if (F.rounds) {
        A.mu_loga = F.mu_loga;
        A.sd_loga = F.sd_loga;
        A.sd_b = F.sd_b;
        A.mu_c = F.mu_c;
        memcpy(A.lmean, F.lmean, nskills * sizeof *A.lmean);
        memcpy(A.lsd, F.lsd, nskills * sizeof *A.lsd);
    }
    if ((rc = fit_run(&C, &A, 1, err)))
        goto out;
    size_t ne = 0;
    for (size_t i = 0; i < nitems; i++)
        ne += A.est[i];
    res->items = rf_calloc_array(ne ? ne : 1, sizeof *res->items);
    if (!res->items) {
        rc = rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
        goto out;
    }
    for (size_t i = 0; i < nitems; i++) {
        if (!A.est[i])
            continue;
        struct rf_recal_result_item *ri = &res->items[res->n++];
        ri->item = i;
        ri->n = A.n[i];
        make_irt(&items[i], C.kind[i], A.x + i * 3, &ri->est);
        ri->se_a = ri->est.a * sqrt(A.v[i * 3]);
        ri->se_b = sqrt(A.v[i * 3 + 1]);
        ri->se_c = C.kind[i] == K_3PL ? ri->est.c * (1 - ri->est.c) * sqrt(A.v[i * 3 + 2]) : 0;
    }
    res->mu_loga = A.mu_loga;
    res->sd_loga = A.sd_loga;
    res->sd_b = A.sd_b;
    res->mu_c = A.mu_c;
    res->rounds = A.rounds;
    memcpy(res->latent_mean, A.lmean, nskills * sizeof *A.lmean);
    memcpy(res->latent_sd, A.lsd, nskills * sizeof *A.lsd);
    memcpy(res->origin_se, A.ose, nskills * sizeof *A.ose);
    res->lat_mu0 = A.mu0;
    res->lat_tau = A.tau;
out:
    fit_free(&F);
    fit_free(&A);
    free(ids);
    free(C.kind);
    free(C.glo);
    free(C.held);
    free(C.toff);
    free(C.table);
    if (rc)
        rf_recal_result_cleanup(res);
    return rc;
}

void rf_recal_result_cleanup(struct rf_recal_result *res)
{
    free(res->items);
    free(res->latent_mean);
    free(res->latent_sd);
    free(res->origin_se);
    free(res->shift);
    free(res->shift_se);
    free(res->shift_n);
    memset(res, 0, sizeof *res);
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

rf_status rf_recal_result_to_json(const struct rf_recal_result *res,
                                  const struct rf_recal_item *items, json_t **out,
                                  struct rf_err *err)
{
    json_t *arr = json_array(), *lat = json_array();
    json_t *root =
        arr && lat
            ? json_pack("{s:b, s:s, s:{s:o, s:o, s:o, s:I, s:I}, s:{s:f, s:f, s:f, s:f}, s:I, "
                        "s:o, s:o}",
                        "accept", res->accept, "why", res->why, "heldout", "ll_current",
                        num(res->ll_current), "ll_new", num(res->ll_new), "se", num(res->ll_se),
                        "answers", (json_int_t)res->n_heldout, "tests",
                        (json_int_t)res->tests_heldout, "hyper", "mu_loga", res->mu_loga, "sd_loga",
                        res->sd_loga, "sd_b", res->sd_b, "mu_c", res->mu_c, "rounds",
                        (json_int_t)res->rounds, "latent", lat, "items", arr)
            : NULL;
    if (!root) {
        json_decref(arr);
        json_decref(lat);
        return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
    }
    for (size_t s = 0; s < res->nskills; s++) {
        json_t *o = json_pack("{s:f, s:f}", "mean", res->latent_mean[s], "sd", res->latent_sd[s]);
        if (!o || json_array_append_new(lat, o))
            goto nomem;
    }
    json_t *sc = json_array();
    if (!sc || json_object_set_new(root, "scale", sc) ||
        json_object_set_new(root, "refused", json_string(res->refused)) ||
        json_object_set_new(
            root, "anchor",
            json_pack("{s:o, s:o}", "mu0", num(res->lat_mu0), "tau", num(res->lat_tau))))
        goto nomem;
    for (size_t s = 0; s < res->nskills; s++) {
        json_t *o = json_pack("{s:I, s:o, s:o, s:I, s:o}", "skill", (json_int_t)s, "shift",
                              num(res->shift[s]), "se", num(res->shift_se[s]), "tests",
                              (json_int_t)res->shift_n[s], "origin_se", num(res->origin_se[s]));
        if (!o || json_array_append_new(sc, o))
            goto nomem;
    }
    for (size_t i = 0; i < res->n; i++) {
        const struct rf_recal_result_item *r = &res->items[i];
        json_t *o = json_pack("{s:s, s:I}", "id", items[r->item].id ? items[r->item].id : "", "n",
                              (json_int_t)r->n);
        if (!o || json_array_append_new(arr, o) || rf_params_to_json(&r->est, o))
            goto nomem;
        json_t *se = r->est.model == RF_MODEL_3PL
                         ? json_pack("{s:o, s:o, s:o}", "a", num(r->se_a), "b", num(r->se_b), "c",
                                     num(r->se_c))
                         : json_pack("{s:o, s:o}", "a", num(r->se_a), "b", num(r->se_b));
        if (!se || json_object_set_new(o, "se", se))
            goto nomem;
    }
    *out = root;
    return RF_OK;
nomem:
    json_decref(root);
    return rf_err_set(err, RF_ENOMEM, "recalibration: out of memory");
}
