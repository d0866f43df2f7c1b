/*
 * Loadings of the higher-order model by EM (see loadings.h). Per answered
 * (person, skill) pair the likelihood of the person's answers on that skill
 * is kept on the theta grid, scaled by its largest value (the log of the
 * scale is added back in the log-likelihood). A cycle:
 *
 *   E: C_k(q | h) = N(x_q; lambda_k g_h, 1 - lambda_k^2) normalized over q;
 *      F_ik(h) = sum_q L_ik(q) C_k(q | h) and the first two moments of theta
 *      given (i, h); p_i(h) proportional to w_h prod_k F_ik(h);
 *   M: per skill, with n_k persons and the posterior expectations
 *      S_tt = sum E[theta^2], S_tg = sum E[theta g], S_gg = sum E[g^2],
 *      lambda_k maximizes -n/2 log(1 - l^2) - (S_tt - 2 l S_tg + l^2 S_gg) /
 *      (2 (1 - l^2)), whose stationary points solve
 *      -n l^3 + S_tg l^2 + (n - S_tt - S_gg) l + S_tg = 0.
 */
#include "calib/loadings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

/* Weights below this share of a conditional's largest are skipped. */
#define WINDOW_EPS 1e-12
/* Subintervals scanned for sign changes of the M-step's cubic. */
#define MSTEP_SCAN 400

struct rf_loadings {
    size_t np, nk, nq, ng;
    double *x, *g, *lw;   /* theta nodes [nq], g nodes [ng], log prior weights of g [ng] */
    size_t *pstart;       /* [np + 1] blocks of person i: pstart[i] .. pstart[i+1]-1 */
    size_t *bskill;       /* [nblocks] skill of each block */
    double *L, *lscale;   /* [nblocks][nq] scaled likelihood, log of the scale [nblocks] */
    size_t nblocks;
    double *lambda;       /* [nk] */
    size_t *npers;        /* [nk] persons with answers on the skill */
    double *C;            /* [nk][ng][nq] conditional weights of theta given g */
    size_t *wlo, *whi;    /* [nk][ng] window of C */
    double *F, *M1, *M2;  /* [nk][ng] per person, per block of the person */
    double *logp;         /* [ng] */
    double *stt, *stg, *sgg; /* [nk] */
    double *l1, *l2, *l3;    /* [nk] loadings of the accelerated cycle */
    double *pll;             /* NULL, or [np]: em() writes each person's log-likelihood */
};

void rf_loadings_opts_init(struct rf_loadings_opts *o)
{
    o->ntheta = 61;
    o->ng = 31;
    o->start = 0.5;
}

void rf_loadings_free(struct rf_loadings *w)
{
    if (!w)
        return;
    free(w->x);
    free(w->g);
    free(w->lw);
    free(w->pstart);
    free(w->bskill);
    free(w->L);
    free(w->lscale);
    free(w->lambda);
    free(w->npers);
    free(w->C);
    free(w->wlo);
    free(w->whi);
    free(w->F);
    free(w->M1);
    free(w->M2);
    free(w->logp);
    free(w->stt);
    free(w->stg);
    free(w->sgg);
    free(w->l1);
    free(w->l2);
    free(w->l3);
    free(w);
}

/* Answer j of person i in d: item and category; returns 0 past the end. */
static int answer(const struct rf_loadings_data *d, size_t i, size_t *cursor, size_t *item,
                  int *cat)
{
    if (d->x) {
        while (*cursor < d->nitems) {
            size_t j = (*cursor)++;
            /* categories are small signed codes, -1 = not answered: the sign is meant */
            int v = d->x[i * d->nitems + j]; /* NOLINT(bugprone-signed-char-misuse,cert-str34-c) */
            if (v >= 0) {
                *item = j;
                *cat = v;
                return 1;
            }
        }
        return 0;
    }
    size_t k = d->row_ptr[i] + *cursor;
    if (k >= d->row_ptr[i + 1])
        return 0;
    (*cursor)++;
    *item = d->col[k];
    *cat = d->val[k]; /* NOLINT(bugprone-signed-char-misuse,cert-str34-c): a small signed category code */
    return 1;
}

rf_status rf_loadings_new(const struct rf_loadings_data *d, const struct rf_loadings_opts *o,
                          struct rf_loadings **out, struct rf_err *err)
{
    if (d->nskills == 0)
        return rf_err_set(err, RF_EINVAL, "loadings: no skills");
    if (o->ntheta < 5 || o->ntheta > RF_QUAD_MAX_N || o->ng < 5 || o->ng > RF_QUAD_MAX_N)
        return rf_err_set(err, RF_EINVAL, "loadings: grids of %zu and %zu nodes (5 to %d)",
                          o->ntheta, o->ng, RF_QUAD_MAX_N);
    if (d->group && (!d->gmu || !d->gsd))
        return rf_err_set(err, RF_EINVAL, "loadings: groups without their distributions");
    for (size_t i = 0; d->group && i < d->npersons; i++)
        if (d->group[i] >= d->ngroups)
            return rf_err_set(err, RF_EINVAL, "loadings: person %zu: group %zu of %zu", i + 1,
                              d->group[i], d->ngroups);
    for (size_t r = 0; d->group && r < d->ngroups * d->nskills; r++)
        if (!(fabs(d->gmu[r]) <= 10 && d->gsd[r] > 0 && d->gsd[r] <= 10))
            return rf_err_set(err, RF_EINVAL,
                              "loadings: group %zu, skill %zu: mean %g, SD %g (|mean| <= 10, "
                              "0 < SD <= 10)",
                              r / d->nskills, r % d->nskills, d->gmu[r], d->gsd[r]);
    if (!(o->start >= 0 && o->start <= RF_LOADINGS_MAX))
        return rf_err_set(err, RF_EINVAL, "loadings: start %g outside [0, %g]", o->start,
                          RF_LOADINGS_MAX);
    size_t np = d->npersons, nk = d->nskills, nq = o->ntheta, ng = o->ng;
    struct rf_loadings *w = rf_calloc_array(1, sizeof *w);
    if (!w)
        return rf_err_set(err, RF_ENOMEM, "loadings: out of memory");
    w->np = np;
    w->nk = nk;
    w->nq = nq;
    w->ng = ng;
    /* Count the blocks and check the answers. */
    unsigned char *seen = rf_calloc_array(nk, 1);
    w->pstart = rf_calloc_array(np + 1, sizeof *w->pstart);
    if (!seen || !w->pstart)
        goto nomem;
    for (size_t i = 0; i < np; i++) {
        size_t cur = 0, item;
        int cat;
        memset(seen, 0, nk);
        w->pstart[i] = w->nblocks;
        while (answer(d, i, &cur, &item, &cat)) {
            if (item >= d->nitems || d->skill[item] == SIZE_MAX)
                continue;
            if (d->skill[item] >= nk) {
                free(seen);
                rf_loadings_free(w);
                return rf_err_set(err, RF_EINVAL, "loadings: item %zu: skill %zu of %zu", item,
                                  d->skill[item], nk);
            }
            if (cat < 0 || (size_t)cat >= d->items[item].ncat) {
                free(seen);
                rf_loadings_free(w);
                return rf_err_set(err, RF_EINVAL,
                                  "loadings: person %zu, item %zu: category %d of %zu", i + 1,
                                  item, cat, d->items[item].ncat);
            }
            if (!seen[d->skill[item]]++)
                w->nblocks++;
        }
    }
    w->pstart[np] = w->nblocks;
    size_t nb = w->nblocks ? w->nblocks : 1;
    w->x = rf_alloc_array(nq, sizeof *w->x);
    w->g = rf_alloc_array(ng, sizeof *w->g);
    w->lw = rf_alloc_array(ng, sizeof *w->lw);
    w->bskill = rf_alloc_array(nb, sizeof *w->bskill);
    w->L = rf_calloc_array(nb * nq, sizeof *w->L);
    w->lscale = rf_alloc_array(nb, sizeof *w->lscale);
    w->lambda = rf_alloc_array(nk, sizeof *w->lambda);
    w->npers = rf_calloc_array(nk, sizeof *w->npers);
    w->C = rf_alloc_array(nk * ng * nq, sizeof *w->C);
    w->wlo = rf_alloc_array(nk * ng, sizeof *w->wlo);
    w->whi = rf_alloc_array(nk * ng, sizeof *w->whi);
    w->F = rf_alloc_array(nk * ng, sizeof *w->F);
    w->M1 = rf_alloc_array(nk * ng, sizeof *w->M1);
    w->M2 = rf_alloc_array(nk * ng, sizeof *w->M2);
    w->logp = rf_alloc_array(ng, sizeof *w->logp);
    w->stt = rf_alloc_array(nk, sizeof *w->stt);
    w->stg = rf_alloc_array(nk, sizeof *w->stg);
    w->sgg = rf_alloc_array(nk, sizeof *w->sgg);
    w->l1 = rf_alloc_array(nk, sizeof *w->l1);
    w->l2 = rf_alloc_array(nk, sizeof *w->l2);
    w->l3 = rf_alloc_array(nk, sizeof *w->l3);
    size_t *slot = rf_alloc_array(nk, sizeof *slot);
    if (!w->x || !w->g || !w->lw || !w->bskill || !w->L || !w->lscale || !w->lambda ||
        !w->npers || !w->C || !w->wlo || !w->whi || !w->F || !w->M1 || !w->M2 || !w->logp ||
        !w->stt || !w->stg || !w->sgg || !w->l1 || !w->l2 || !w->l3 || !slot) {
        free(slot);
        goto nomem;
    }
    for (size_t q = 0; q < nq; q++)
        w->x[q] = -6.0 + 12.0 * (double)q / (double)(nq - 1);
    double lz = 0;
    for (size_t h = 0; h < ng; h++) {
        w->g[h] = -5.0 + 10.0 * (double)h / (double)(ng - 1);
        w->lw[h] = -0.5 * w->g[h] * w->g[h];
        lz += exp(w->lw[h]);
    }
    for (size_t h = 0; h < ng; h++)
        w->lw[h] -= log(lz);
    for (size_t k = 0; k < nk; k++)
        w->lambda[k] = o->start;
    /* Fill the blocks: log-likelihood summed per skill, then scaled. */
    for (size_t i = 0; i < np; i++) {
        size_t cur = 0, item, b = w->pstart[i];
        int cat;
        for (size_t k = 0; k < nk; k++)
            slot[k] = SIZE_MAX;
        while (answer(d, i, &cur, &item, &cat)) {
            if (item >= d->nitems || d->skill[item] == SIZE_MAX)
                continue;
            size_t k = d->skill[item];
            if (slot[k] == SIZE_MAX) {
                slot[k] = b++;
                w->bskill[slot[k]] = k;
                w->npers[k]++;
            }
            double *l = w->L + slot[k] * nq;
            /* theta at standardized node x_q: the person's group's N(mu, sd^2) */
            double gm = d->group ? d->gmu[d->group[i] * nk + k] : 0;
            double gs = d->group ? d->gsd[d->group[i] * nk + k] : 1;
            for (size_t q = 0; q < nq; q++) {
                double pr = rf_irt_prob(&d->items[item], gm + gs * w->x[q], (size_t)cat);
                l[q] += log(pr > 1e-300 ? pr : 1e-300);
            }
        }
        for (size_t bb = w->pstart[i]; bb < b; bb++) {
            double *l = w->L + bb * nq, m = -INFINITY;
            for (size_t q = 0; q < nq; q++)
                if (l[q] > m)
                    m = l[q];
            for (size_t q = 0; q < nq; q++)
                l[q] = exp(l[q] - m);
            w->lscale[bb] = m;
        }
    }
    free(slot);
    free(seen);
    *out = w;
    return RF_OK;
nomem:
    free(seen);
    rf_loadings_free(w);
    return rf_err_set(err, RF_ENOMEM, "loadings: out of memory");
}

/* The conditional weights of theta given g for every skill, and their windows. */
static void conditionals(struct rf_loadings *w)
{
    size_t nq = w->nq, ng = w->ng;
    for (size_t k = 0; k < w->nk; k++) {
        double l = w->lambda[k], v = 1 - l * l;
        for (size_t h = 0; h < ng; h++) {
            double *c = w->C + (k * ng + h) * nq, mu = l * w->g[h], s = 0;
            for (size_t q = 0; q < nq; q++) {
                double z = w->x[q] - mu;
                c[q] = exp(-0.5 * z * z / v);
                s += c[q];
            }
            size_t lo = nq, hi = 0;
            for (size_t q = 0; q < nq; q++) {
                c[q] /= s;
                if (c[q] > WINDOW_EPS) {
                    lo = lo < q ? lo : q;
                    hi = q + 1;
                }
            }
            w->wlo[k * ng + h] = lo < hi ? lo : 0;
            w->whi[k * ng + h] = lo < hi ? hi : 0;
        }
    }
}

/* Expected complete-data log-likelihood of theta given g (up to a constant)
 * for n persons with sums stt, stg, sgg. */
static double mobj(double l, double n, double stt, double stg, double sgg)
{
    double v = 1 - l * l;
    return -0.5 * n * log(v) - (stt - 2 * l * stg + l * l * sgg) / (2 * v);
}

static double cubic(double l, double n, double stt, double stg, double sgg)
{
    return ((-n * l + stg) * l + (n - stt - sgg)) * l + stg;
}

/* The M-step of one skill: the best of the endpoints and the stationary points. */
static double mstep(double n, double stt, double stg, double sgg)
{
    double best = 0, fbest = mobj(0, n, stt, stg, sgg);
    double fmax = mobj(RF_LOADINGS_MAX, n, stt, stg, sgg);
    if (fmax > fbest) {
        best = RF_LOADINGS_MAX;
        fbest = fmax;
    }
    double a = 0, ca = cubic(0, n, stt, stg, sgg);
    for (int s = 1; s <= MSTEP_SCAN; s++) {
        double b = RF_LOADINGS_MAX * s / MSTEP_SCAN, cb = cubic(b, n, stt, stg, sgg);
        if ((ca < 0) != (cb < 0)) {
            double lo = a, hi = b, clo = ca;
            for (int it = 0; it < 60; it++) {
                double m = 0.5 * (lo + hi), cm = cubic(m, n, stt, stg, sgg);
                if ((cm < 0) == (clo < 0)) {
                    lo = m;
                    clo = cm;
                } else {
                    hi = m;
                }
            }
            double r = 0.5 * (lo + hi), fr = mobj(r, n, stt, stg, sgg);
            if (fr > fbest) {
                best = r;
                fbest = fr;
            }
        }
        a = b;
        ca = cb;
    }
    return best;
}

/* One EM update from the loadings in w->lambda into out (may be w->lambda);
 * returns the marginal log-likelihood at the loadings it started from. */
static double em(struct rf_loadings *w, double *out)
{
    size_t nq = w->nq, ng = w->ng, nk = w->nk;
    conditionals(w);
    memset(w->stt, 0, nk * sizeof *w->stt);
    memset(w->stg, 0, nk * sizeof *w->stg);
    memset(w->sgg, 0, nk * sizeof *w->sgg);
    double ll = 0;
    for (size_t i = 0; i < w->np; i++) {
        size_t b0 = w->pstart[i], b1 = w->pstart[i + 1];
        if (w->pll)
            w->pll[i] = 0;
        if (b0 == b1)
            continue;
        double ll0 = ll;
        memcpy(w->logp, w->lw, ng * sizeof *w->logp);
        for (size_t b = b0; b < b1; b++) {
            size_t k = w->bskill[b], r = b - b0;
            const double *l = w->L + b * nq;
            for (size_t h = 0; h < ng; h++) {
                const double *c = w->C + (k * ng + h) * nq;
                double f = 0, m1 = 0, m2 = 0;
                for (size_t q = w->wlo[k * ng + h]; q < w->whi[k * ng + h]; q++) {
                    double t = l[q] * c[q];
                    f += t;
                    m1 += t * w->x[q];
                    m2 += t * w->x[q] * w->x[q];
                }
                w->F[r * ng + h] = f;
                w->M1[r * ng + h] = m1;
                w->M2[r * ng + h] = m2;
                w->logp[h] += f > 0 ? log(f) : -INFINITY;
            }
            ll += w->lscale[b];
        }
        double m = -INFINITY, s = 0;
        for (size_t h = 0; h < ng; h++)
            if (w->logp[h] > m)
                m = w->logp[h];
        if (!isfinite(m)) /* no g explains the answers (cannot happen with L > 0) */
            continue;
        for (size_t h = 0; h < ng; h++) {
            w->logp[h] = exp(w->logp[h] - m);
            s += w->logp[h];
        }
        /* cppcheck-suppress invalidFunctionArg ; s >= 1: the largest term adds exp(0) */
        ll += m + log(s);
        if (w->pll)
            w->pll[i] = ll - ll0;
        double eg2 = 0;
        for (size_t h = 0; h < ng; h++) {
            w->logp[h] /= s;
            eg2 += w->logp[h] * w->g[h] * w->g[h];
        }
        for (size_t b = b0; b < b1; b++) {
            size_t k = w->bskill[b], r = b - b0;
            double tt = 0, tg = 0;
            for (size_t h = 0; h < ng; h++) {
                double f = w->F[r * ng + h];
                if (!(f > 0) || w->logp[h] == 0)
                    continue;
                tt += w->logp[h] * w->M2[r * ng + h] / f;
                tg += w->logp[h] * w->g[h] * w->M1[r * ng + h] / f;
            }
            w->stt[k] += tt;
            w->stg[k] += tg;
            w->sgg[k] += eg2;
        }
    }
    for (size_t k = 0; k < nk; k++)
        out[k] = w->npers[k] ? mstep((double)w->npers[k], w->stt[k], w->stg[k], w->sgg[k])
                             : w->lambda[k];
    return ll;
}

void rf_loadings_step(struct rf_loadings *w, double *change, double *loglik)
{
    size_t nk = w->nk;
    double *l0 = w->lambda, *l1 = w->l1, *l2 = w->l2, *l3 = w->l3;
    memcpy(l3, l0, nk * sizeof *l3); /* the start, kept */
    double ll0 = em(w, l1);
    memcpy(w->lambda, l1, nk * sizeof *l1);
    double ll1 = em(w, l2);
    /* SQUAREM (Varadhan & Roland 2008, scheme S3): r = l1 - l0, v = l2 - 2 l1
     * + l0, alpha = -|r| / |v|, l' = l0 - 2 alpha r + alpha^2 v, then one EM
     * step from l'; when l' is worse than l1, the plain l2 is kept. */
    double rr = 0, vv = 0;
    for (size_t k = 0; k < nk; k++) {
        double r = l1[k] - l3[k], v = l2[k] - 2 * l1[k] + l3[k];
        rr += r * r;
        vv += v * v;
    }
    double alpha = vv > 0 ? -sqrt(rr / vv) : -1;
    if (alpha > -1)
        alpha = -1;
    for (size_t k = 0; k < nk; k++) {
        double r = l1[k] - l3[k], v = l2[k] - 2 * l1[k] + l3[k];
        double x = l3[k] - 2 * alpha * r + alpha * alpha * v;
        w->lambda[k] = x < 0 ? 0 : x > RF_LOADINGS_MAX ? RF_LOADINGS_MAX : x;
    }
    double llx = em(w, l1);
    if (llx >= ll1)
        memcpy(w->lambda, l1, nk * sizeof *l1);
    else
        memcpy(w->lambda, l2, nk * sizeof *l2);
    double dmax = 0;
    for (size_t k = 0; k < nk; k++) {
        double d = fabs(w->lambda[k] - l3[k]);
        dmax = d > dmax ? d : dmax;
    }
    *change = dmax;
    *loglik = llx >= ll1 ? llx : ll1;
    (void)ll0;
}

const double *rf_loadings_lambda(const struct rf_loadings *w)
{
    return w->lambda;
}

void rf_loadings_set(struct rf_loadings *w, const double *lambda)
{
    for (size_t k = 0; k < w->nk; k++) {
        double l = lambda[k];
        w->lambda[k] = !(l > 0) ? 0 : l > RF_LOADINGS_MAX ? RF_LOADINGS_MAX : l;
    }
}

double rf_loadings_person_loglik(struct rf_loadings *w, double *ll)
{
    w->pll = ll;
    double s = em(w, w->l1); /* the update into scratch; w->lambda kept */
    w->pll = NULL;
    return s;
}

const size_t *rf_loadings_npersons(const struct rf_loadings *w)
{
    return w->npers;
}
