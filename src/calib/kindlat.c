/* Each test kind's latent distribution and the loadings from stored tests; see kindlat.h. */
#include "calib/kindlat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
#include "calib/loadings.h"

#define NQ 61 /* latent grid: NQ nodes on [QLO, QHI], as the scoring grid */
#define QLO (-6.0)
#define QHI 6.0
#define EM_MAX 200
#define EM_TOL 1e-6
#define NEWTON_MAX 30

void rf_kindlat_opts_default(struct rf_kindlat_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->holdout = 0.2;
    o->min_tests = 100;
    o->loadings = 1;
    o->tol = 1e-4;
    o->max_iter = 200;
}

/* One test's answers to one skill: the likelihood on the grid, scaled to a
 * largest value of 1 (lscale the log of the scale). */
struct block {
    size_t test; /* index of the test (0..ntests-1) */
    unsigned kind, skill;
    double lscale;
};

struct data {
    size_t nb, ng, nk, ns;
    struct block *b;
    float *L;            /* [nb][NQ] */
    size_t *off, *idx;   /* CSR: (kind, skill) r's blocks idx[off[r]..off[r+1]) */
    size_t *tlo;         /* tests: answers [tlo[g], tlo[g + 1]) */
    unsigned char *held; /* [ng] */
    unsigned char *tkind;
    double x[NQ];
};

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Log prior weights of N(mu, sd^2) on the grid, normalized over the nodes. */
static void logw_of(const struct data *D, double mu, double sd, double *lw)
{
    double top = -HUGE_VAL, s = 0;
    for (size_t q = 0; q < NQ; q++) {
        double z = (D->x[q] - mu) / sd;
        lw[q] = -0.5 * z * z;
        top = lw[q] > top ? lw[q] : top;
    }
    for (size_t q = 0; q < NQ; q++)
        s += exp(lw[q] - top);
    for (size_t q = 0; q < NQ; q++)
        lw[q] = exp(lw[q] - top) / s; /* the weights themselves */
}

/* log sum_q L_b(q) w(q) + lscale: block b's marginal log-likelihood. */
static double block_ll(const struct data *D, size_t b, const double *w)
{
    const float *l = D->L + b * NQ;
    double s = 0;
    for (size_t q = 0; q < NQ; q++)
        s += (double)l[q] * w[q];
    return (s > 1e-300 ? log(s) : -690.8) + D->b[b].lscale;
}

/* Whether block b is in the fit: mode 0 every test, 1 the tests not held out. */
static int in_fit(const struct data *D, size_t b, int mode)
{
    return mode == 0 || !D->held[D->b[b].test];
}

static double group_ll(const struct data *D, size_t r, int mode, double mu, double sd)
{
    double w[NQ], s = 0;
    logw_of(D, mu, sd, w);
    for (size_t j = D->off[r]; j < D->off[r + 1]; j++)
        if (in_fit(D, D->idx[j], mode))
            s += block_ll(D, D->idx[j], w);
    return s;
}

/* Marginal ML of (kind, skill) r's N(mu, sd^2) over its blocks in the fit:
 * EM, then Newton on (mu, log sd) with numerical derivatives; SEs from the
 * observed information. *n the blocks used. */
static void fit_group(const struct data *D, size_t r, int mode, struct rf_kindlat_est *e)
{
    size_t n = 0;
    for (size_t j = D->off[r]; j < D->off[r + 1]; j++)
        n += (size_t)in_fit(D, D->idx[j], mode);
    e->n = n;
    e->mean = e->sd = e->se_mean = e->se_sd = NAN;
    if (!n)
        return;
    double mu = 0, sd = 1, w[NQ];
    for (int it = 0; it < EM_MAX; it++) {
        logw_of(D, mu, sd, w);
        double s1 = 0, s2 = 0;
        for (size_t j = D->off[r]; j < D->off[r + 1]; j++) {
            size_t b = D->idx[j];
            if (!in_fit(D, b, mode))
                continue;
            const float *l = D->L + b * NQ;
            double z = 0, m1 = 0, m2 = 0;
            for (size_t q = 0; q < NQ; q++) {
                double p = (double)l[q] * w[q];
                z += p;
                m1 += p * D->x[q];
                m2 += p * D->x[q] * D->x[q];
            }
            if (z > 0) {
                s1 += m1 / z;
                s2 += m2 / z;
            }
        }
        double nm = clamp(s1 / (double)n, -RF_KINDLAT_MU_MAX, RF_KINDLAT_MU_MAX);
        double v = s2 / (double)n - nm * nm;
        double ns = clamp(sqrt(v > 0 ? v : 0), RF_KINDLAT_SD_MIN, RF_KINDLAT_SD_MAX);
        double d = fmax(fabs(nm - mu), fabs(ns - sd));
        mu = nm;
        sd = ns;
        if (d < EM_TOL)
            break;
    }
    /* Newton on (mu, t = log sd): EM is slow where the tests say little. */
    const double h = 1e-3;
    double t = log(sd), H[3] = {0, 0, 0};
    for (int it = 0; it <= NEWTON_MAX; it++) {
        double f0 = group_ll(D, r, mode, mu, exp(t));
        double fmp = group_ll(D, r, mode, mu + h, exp(t)),
               fmm = group_ll(D, r, mode, mu - h, exp(t));
        double ftp = group_ll(D, r, mode, mu, exp(t + h)),
               ftm = group_ll(D, r, mode, mu, exp(t - h));
        double fpp = group_ll(D, r, mode, mu + h, exp(t + h));
        double fmm2 = group_ll(D, r, mode, mu - h, exp(t - h));
        double g0 = (fmp - fmm) / (2 * h), g1 = (ftp - ftm) / (2 * h);
        H[0] = (fmp - 2 * f0 + fmm) / (h * h);
        H[2] = (ftp - 2 * f0 + ftm) / (h * h);
        H[1] = (fpp - fmp - ftp + 2 * f0 - fmm - ftm + fmm2) / (2 * h * h);
        if (it == NEWTON_MAX)
            break;
        double det = H[0] * H[2] - H[1] * H[1], s0, s1;
        if (H[0] < 0 && det > 0) {
            s0 = -(H[2] * g0 - H[1] * g1) / det;
            s1 = -(-H[1] * g0 + H[0] * g1) / det;
        } else { /* not concave here: a small gradient step */
            s0 = 0.01 * g0 / (double)n;
            s1 = 0.01 * g1 / (double)n;
        }
        s0 = clamp(s0, -0.5, 0.5);
        s1 = clamp(s1, -0.5, 0.5);
        if (fabs(s0) < 1e-7 && fabs(s1) < 1e-7)
            break;
        int moved = 0;
        for (int half = 0; half < 20; half++) {
            double nm = clamp(mu + s0, -RF_KINDLAT_MU_MAX, RF_KINDLAT_MU_MAX);
            double nt = clamp(t + s1, log(RF_KINDLAT_SD_MIN), log(RF_KINDLAT_SD_MAX));
            if (group_ll(D, r, mode, nm, exp(nt)) >= f0 - 1e-9) {
                moved = fabs(nm - mu) > 1e-9 || fabs(nt - t) > 1e-9;
                mu = nm;
                t = nt;
                break;
            }
            s0 /= 2;
            s1 /= 2;
        }
        if (!moved)
            break;
    }
    e->mean = mu;
    e->sd = exp(t);
    double det = H[0] * H[2] - H[1] * H[1];
    if (H[0] < 0 && det > 0) { /* covariance = inverse of the observed information */
        e->se_mean = sqrt(-H[2] / det);
        e->se_sd = e->sd * sqrt(-H[0] / det);
    }
}

/* ---- building the blocks ---- */

static rf_status build(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                       const struct rf_recal_answer *ans, const unsigned char *kind, size_t nans,
                       size_t nkinds, const struct rf_kindlat_opts *o, struct data *D,
                       struct rf_err *err)
{
    memset(D, 0, sizeof *D);
    D->nk = nkinds;
    D->ns = nskills;
    for (size_t q = 0; q < NQ; q++)
        D->x[q] = QLO + (QHI - QLO) * (double)q / (NQ - 1);
    for (size_t a = 0; a < nans; a++) {
        if (ans[a].item >= nitems)
            return rf_err_set(err, RF_EINVAL, "latent: answer %zu: item %u of %zu", a, ans[a].item,
                              nitems);
        if (ans[a].k < 0 || (size_t)ans[a].k >= items[ans[a].item].irt.ncat)
            return rf_err_set(err, RF_EINVAL,
                              "latent: answer %zu: category %d out of range for "
                              "item %s",
                              a, ans[a].k, items[ans[a].item].id ? items[ans[a].item].id : "?");
        if (kind[a] >= nkinds)
            return rf_err_set(err, RF_EINVAL, "latent: answer %zu: kind %u of %zu", a,
                              (unsigned)kind[a], nkinds);
        if (a > 0 && ans[a].test == ans[a - 1].test && kind[a] != kind[a - 1])
            return rf_err_set(err, RF_EINVAL, "latent: answer %zu: test %llu has two kinds", a,
                              (unsigned long long)ans[a].test);
    }
    for (size_t i = 0; i < nitems; i++)
        if (items[i].skill >= nskills)
            return rf_err_set(err, RF_EINVAL, "latent: item %zu (%s): skill %zu of %zu", i,
                              items[i].id ? items[i].id : "?", items[i].skill, nskills);
    /* tests: runs of one id; blocks: (test, skill) pairs */
    D->tlo = rf_alloc_array(nans + 2, sizeof *D->tlo);
    if (!D->tlo)
        return rf_err_set(err, RF_ENOMEM, "latent: out of memory");
    for (size_t a = 0; a < nans; a++)
        if (a == 0 || ans[a].test != ans[a - 1].test)
            D->tlo[D->ng++] = a;
    D->tlo[D->ng] = nans;
    size_t *slot = rf_alloc_array(nskills ? nskills : 1, sizeof *slot);
    D->held = rf_calloc_array(D->ng ? D->ng : 1, 1);
    D->tkind = rf_calloc_array(D->ng ? D->ng : 1, 1);
    if (!slot || !D->held || !D->tkind) {
        free(slot);
        return rf_err_set(err, RF_ENOMEM, "latent: out of memory");
    }
    size_t nb = 0;
    for (size_t g = 0; g < D->ng; g++) {
        for (size_t s = 0; s < nskills; s++)
            slot[s] = 0;
        for (size_t a = D->tlo[g]; a < D->tlo[g + 1]; a++)
            if (!slot[items[ans[a].item].skill]++)
                nb++;
        D->tkind[g] = kind[D->tlo[g]];
        if (o->holdout > 0 && ans[D->tlo[g]].test >= o->heldout_from) {
            struct rf_rng r;
            rf_rng_substream(&r, o->seed, ans[D->tlo[g]].test);
            D->held[g] = rf_rng_uniform(&r) < o->holdout;
        }
    }
    D->b = rf_alloc_array(nb ? nb : 1, sizeof *D->b);
    D->L = rf_alloc_array((nb ? nb : 1) * NQ, sizeof *D->L);
    size_t nr = nkinds * nskills;
    D->off = rf_calloc_array(nr + 1, sizeof *D->off);
    D->idx = rf_alloc_array(nb ? nb : 1, sizeof *D->idx);
    double *ll = rf_alloc_array(NQ, sizeof *ll);
    if (!D->b || !D->L || !D->off || !D->idx || !ll) {
        free(slot);
        free(ll);
        return rf_err_set(err, RF_ENOMEM, "latent: out of memory");
    }
    for (size_t g = 0; g < D->ng; g++) {
        for (size_t s = 0; s < nskills; s++)
            slot[s] = SIZE_MAX;
        size_t first = D->nb;
        for (size_t a = D->tlo[g]; a < D->tlo[g + 1]; a++) {
            size_t s = items[ans[a].item].skill;
            if (slot[s] == SIZE_MAX) {
                slot[s] = D->nb++;
                D->b[slot[s]] = (struct block){g, D->tkind[g], (unsigned)s, 0};
            }
        }
        for (size_t b = first; b < D->nb; b++) {
            for (size_t q = 0; q < NQ; q++)
                ll[q] = 0;
            for (size_t a = D->tlo[g]; a < D->tlo[g + 1]; a++)
                if (items[ans[a].item].skill == D->b[b].skill)
                    for (size_t q = 0; q < NQ; q++)
                        ll[q] += rf_irt_logprob(&items[ans[a].item].irt, D->x[q], (size_t)ans[a].k);
            double top = -HUGE_VAL;
            for (size_t q = 0; q < NQ; q++)
                top = ll[q] > top ? ll[q] : top;
            if (!isfinite(top))
                top = 0;
            for (size_t q = 0; q < NQ; q++)
                D->L[b * NQ + q] = (float)exp(ll[q] - top);
            D->b[b].lscale = top;
            D->off[D->b[b].kind * nskills + D->b[b].skill + 1]++;
        }
    }
    for (size_t r = 0; r < nr; r++)
        D->off[r + 1] += D->off[r];
    size_t *fill = rf_calloc_array(nr ? nr : 1, sizeof *fill);
    if (!fill) {
        free(slot);
        free(ll);
        return rf_err_set(err, RF_ENOMEM, "latent: out of memory");
    }
    for (size_t b = 0; b < D->nb; b++) {
        size_t r = D->b[b].kind * nskills + D->b[b].skill;
        D->idx[D->off[r] + fill[r]++] = b;
    }
    free(fill);
    free(slot);
    free(ll);
    return RF_OK;
}

static void data_free(struct data *D)
{
    free(D->b);
    free(D->L);
    free(D->off);
    free(D->idx);
    free(D->tlo);
    free(D->held);
    free(D->tkind);
}

/* The current prior of (kind c, skill s). */
static void cur_of(const struct rf_kindlat_prior *cur, size_t c, size_t s, double *mu, double *sd)
{
    size_t r = c * cur->nskills + s;
    double v = cur->sd ? cur->sd[r] : 0;
    *mu = v > 0 && cur->mu ? cur->mu[r] : 0;
    *sd = v > 0 ? v : 1;
}

/* The held-out check of kind c: each held-out test's summed log-likelihood
 * over its skills, with the fit's estimates (fit[], proposed pairs only)
 * against the current prior. */
static void kind_check(const struct data *D, size_t c, const struct rf_kindlat_est *fit,
                       const struct rf_kindlat_prior *cur, size_t min_tests,
                       struct rf_kindlat_kind *K)
{
    double *dt = rf_calloc_array(D->ng ? D->ng : 1, sizeof *dt);
    double *lc = rf_calloc_array(D->ng ? D->ng : 1, sizeof *lc);
    K->ll_current = K->ll_new = K->se = NAN;
    if (!dt || !lc) {
        free(dt);
        free(lc);
        snprintf(K->why, sizeof K->why, "not accepted: out of memory");
        return;
    }
    size_t proposed = 0;
    for (size_t s = 0; s < D->ns; s++) {
        size_t r = c * D->ns + s;
        double mu, sd, w0[NQ], w1[NQ];
        cur_of(cur, c, s, &mu, &sd);
        logw_of(D, mu, sd, w0);
        int prop = fit[r].n >= min_tests && isfinite(fit[r].mean);
        proposed += (size_t)prop;
        if (prop)
            logw_of(D, fit[r].mean, fit[r].sd, w1);
        for (size_t j = D->off[r]; j < D->off[r + 1]; j++) {
            size_t b = D->idx[j];
            if (!D->held[D->b[b].test])
                continue;
            double l0 = block_ll(D, b, w0);
            lc[D->b[b].test] += l0;
            dt[D->b[b].test] += prop ? block_ll(D, b, w1) - l0 : 0;
        }
    }
    size_t T = 0;
    double sc = 0, sd = 0, s2 = 0;
    for (size_t g = 0; g < D->ng; g++)
        if (D->held[g] && D->tkind[g] == c) {
            T++;
            sc += lc[g];
            sd += dt[g];
            s2 += dt[g] * dt[g];
        }
    K->tests_heldout = T;
    if (!proposed)
        snprintf(K->why, sizeof K->why,
                 "not accepted: no skill has %zu tests of this kind in the fit", min_tests);
    else if (T < RF_KINDLAT_MIN_HELDOUT)
        snprintf(K->why, sizeof K->why, "not accepted: %zu held-out tests, at least %d needed", T,
                 RF_KINDLAT_MIN_HELDOUT);
    else {
        double gain = sd / (double)T, v = s2 / (double)T - gain * gain;
        K->ll_current = sc / (double)T;
        K->ll_new = K->ll_current + gain;
        K->se = sqrt((v > 0 ? v : 0) / (double)(T - 1));
        K->accept = gain > 0 && gain > RF_KINDLAT_MIN_Z * K->se;
        snprintf(K->why, sizeof K->why,
                 "%s: held-out log-likelihood per test %.4f -> %.4f (gain %+.4f, SE %.4f, %zu "
                 "tests)",
                 K->accept ? "accepted" : "not accepted", K->ll_current, K->ll_new, gain, K->se, T);
    }
    free(dt);
    free(lc);
}

/* ---- the loadings ---- */

/* CSR of the answers of the tests in mode (0 every test, 1 the fit's, 2 the
 * held-out ones), one row per test (others empty). */
static rf_status csr(const struct data *D, const struct rf_recal_answer *ans, int mode, size_t *row,
                     uint32_t *col, signed char *val)
{
    size_t n = 0;
    for (size_t g = 0; g < D->ng; g++) {
        row[g] = n;
        int take = mode == 0 || (mode == 1 && !D->held[g]) || (mode == 2 && D->held[g]);
        for (size_t a = D->tlo[g]; take && a < D->tlo[g + 1]; a++) {
            col[n] = ans[a].item;
            val[n++] = (signed char)ans[a].k;
        }
    }
    row[D->ng] = n;
    return RF_OK;
}

static rf_status loadings_fit(struct rf_loadings_data *ld, const double *start,
                              const struct rf_kindlat_opts *o, double *out, int *iter,
                              int *converged, struct rf_err *err)
{
    struct rf_loadings_opts lo;
    rf_loadings_opts_init(&lo);
    struct rf_loadings *w;
    rf_status rc = rf_loadings_new(ld, &lo, &w, err);
    if (rc)
        return rc;
    rf_loadings_set(w, start);
    double ch = 0, ll = 0;
    int it = 0;
    *converged = 0;
    while (it < o->max_iter) {
        rf_loadings_step(w, &ch, &ll);
        it++;
        if (ch < o->tol) {
            *converged = 1;
            break;
        }
    }
    memcpy(out, rf_loadings_lambda(w), ld->nskills * sizeof *out);
    *iter = it;
    rf_loadings_free(w);
    return RF_OK;
}

static rf_status loadings_run(const struct data *D, const struct rf_recal_item *items,
                              size_t nitems, const struct rf_recal_answer *ans, size_t nans,
                              const struct rf_kindlat_prior *cur, const struct rf_kindlat_opts *o,
                              struct rf_kindlat_result *res, struct rf_err *err)
{
    size_t ns = D->ns, nk = D->nk;
    size_t *row = rf_alloc_array(D->ng + 1, sizeof *row);
    uint32_t *col = rf_alloc_array(nans ? nans : 1, sizeof *col);
    signed char *val = rf_alloc_array(nans ? nans : 1, 1);
    struct rf_irt_item *irt = rf_alloc_array(nitems ? nitems : 1, sizeof *irt);
    size_t *skill = rf_alloc_array(nitems ? nitems : 1, sizeof *skill);
    size_t *group = rf_alloc_array(D->ng ? D->ng : 1, sizeof *group);
    double *gmu = rf_alloc_array(nk * ns, sizeof *gmu), *gsd = rf_alloc_array(nk * ns, sizeof *gsd);
    double *start = rf_alloc_array(ns, sizeof *start), *fit = rf_alloc_array(ns, sizeof *fit);
    double *l0 = rf_alloc_array(D->ng ? D->ng : 1, sizeof *l0);
    double *l1 = rf_alloc_array(D->ng ? D->ng : 1, sizeof *l1);
    rf_status rc = RF_OK;
    if (!row || !col || !val || !irt || !skill || !group || !gmu || !gsd || !start || !fit || !l0 ||
        !l1) {
        rc = rf_err_set(err, RF_ENOMEM, "latent: out of memory");
        goto out;
    }
    for (size_t i = 0; i < nitems; i++) {
        irt[i] = items[i].irt;
        skill[i] = items[i].skill;
    }
    for (size_t g = 0; g < D->ng; g++)
        group[g] = D->tkind[g];
    /* each kind's distribution: the proposal where its kind is accepted, else the current */
    for (size_t c = 0; c < nk; c++)
        for (size_t s = 0; s < ns; s++) {
            const struct rf_kindlat_est *e = &res->est[c * ns + s];
            if (res->kind[c].accept && e->proposed)
                gmu[c * ns + s] = e->mean, gsd[c * ns + s] = e->sd;
            else
                cur_of(cur, c, s, &gmu[c * ns + s], &gsd[c * ns + s]);
        }
    for (size_t s = 0; s < ns; s++) {
        double l = cur->lambda ? cur->lambda[s] : 0;
        res->lambda_current[s] = l;
        start[s] = l > 0.05 && l < RF_LOADINGS_MAX ? l : 0.5;
        res->lambda_n[s] = 0;
    }
    for (size_t c = 0; c < nk; c++)
        for (size_t s = 0; s < ns; s++)
            res->lambda_n[s] += res->est[c * ns + s].n;
    struct rf_loadings_data ld = {D->ng, nitems, ns,    NULL, row, col, val,
                                  irt,   skill,  group, nk,   gmu, gsd};
    /* the fit's tests, then the held-out comparison */
    csr(D, ans, 1, row, col, val);
    int it, conv;
    if ((rc = loadings_fit(&ld, start, o, fit, &it, &conv, err)))
        goto out;
    size_t nprop = 0;
    for (size_t s = 0; s < ns; s++) {
        res->lambda_proposed[s] = res->lambda_n[s] >= o->min_tests;
        nprop += res->lambda_proposed[s];
        if (!res->lambda_proposed[s])
            fit[s] = res->lambda_current[s];
    }
    csr(D, ans, 2, row, col, val);
    struct rf_loadings_opts lo;
    rf_loadings_opts_init(&lo);
    struct rf_loadings *w;
    if ((rc = rf_loadings_new(&ld, &lo, &w, err)))
        goto out;
    rf_loadings_set(w, res->lambda_current);
    rf_loadings_person_loglik(w, l0);
    rf_loadings_set(w, fit);
    rf_loadings_person_loglik(w, l1);
    rf_loadings_free(w);
    size_t T = 0;
    double sc = 0, sd = 0, s2 = 0;
    for (size_t g = 0; g < D->ng; g++)
        if (D->held[g]) {
            double d = l1[g] - l0[g];
            T++;
            sc += l0[g];
            sd += d;
            s2 += d * d;
        }
    res->l_tests_heldout = T;
    res->l_ll_current = res->l_ll_new = res->l_se = NAN;
    if (!nprop)
        snprintf(res->l_why, sizeof res->l_why, "not accepted: no skill has %zu tests",
                 o->min_tests);
    else if (T < RF_KINDLAT_MIN_HELDOUT)
        snprintf(res->l_why, sizeof res->l_why,
                 "not accepted: %zu held-out tests, at least %d needed", T, RF_KINDLAT_MIN_HELDOUT);
    else {
        double gain = sd / (double)T, v = s2 / (double)T - gain * gain;
        res->l_ll_current = sc / (double)T;
        res->l_ll_new = res->l_ll_current + gain;
        res->l_se = sqrt((v > 0 ? v : 0) / (double)(T - 1));
        res->l_accept = gain > 0 && gain > RF_KINDLAT_MIN_Z * res->l_se;
        snprintf(res->l_why, sizeof res->l_why,
                 "%s: held-out log-likelihood per test %.4f -> %.4f (gain %+.4f, SE %.4f, %zu "
                 "tests)",
                 res->l_accept ? "accepted" : "not accepted", res->l_ll_current, res->l_ll_new,
                 gain, res->l_se, T);
    }
    /* the estimates on every test, from the fit's */
    csr(D, ans, 0, row, col, val);
    if ((rc = loadings_fit(&ld, fit, o, res->lambda, &res->lambda_iter, &res->lambda_converged,
                           err)))
        goto out;
    for (size_t s = 0; s < ns; s++)
        if (!res->lambda_proposed[s])
            res->lambda[s] = res->lambda_current[s];
out:
    free(row);
    free(col);
    free(val);
    free(irt);
    free(skill);
    free(group);
    free(gmu);
    free(gsd);
    free(start);
    free(fit);
    free(l0);
    free(l1);
    return rc;
}

rf_status rf_kindlat_run(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                         const struct rf_recal_answer *ans, const unsigned char *kind, size_t nans,
                         const struct rf_kindlat_prior *cur, const struct rf_kindlat_opts *o,
                         struct rf_kindlat_result *res, struct rf_err *err)
{
    memset(res, 0, sizeof *res);
    if (!o || !cur || !(o->holdout >= 0 && o->holdout < 1) || cur->nkinds == 0 ||
        cur->nkinds > RF_KINDLAT_MAX_KINDS || cur->nskills != nskills || nskills == 0 ||
        o->max_iter < 1 || !(o->tol > 0))
        return rf_err_set(err, RF_EINVAL,
                          "latent: holdout must be in [0, 1), kinds 1 to %d, the prior's skills "
                          "the data's, max_iter at least 1 and tol above 0",
                          RF_KINDLAT_MAX_KINDS);
    size_t nk = cur->nkinds, ns = nskills;
    struct data D;
    rf_status rc = build(items, nitems, nskills, ans, kind, nans, nk, o, &D, err);
    struct rf_kindlat_est *fit = NULL;
    if (rc)
        goto out;
    res->nkinds = nk;
    res->nskills = ns;
    res->est = rf_calloc_array(nk * ns, sizeof *res->est);
    fit = rf_calloc_array(nk * ns, sizeof *fit);
    res->lambda = rf_calloc_array(ns, sizeof *res->lambda);
    res->lambda_current = rf_calloc_array(ns, sizeof *res->lambda_current);
    res->lambda_n = rf_calloc_array(ns, sizeof *res->lambda_n);
    res->lambda_proposed = rf_calloc_array(ns, 1);
    if (!res->est || !fit || !res->lambda || !res->lambda_current || !res->lambda_n ||
        !res->lambda_proposed) {
        rc = rf_err_set(err, RF_ENOMEM, "latent: out of memory");
        goto out;
    }
    for (size_t g = 0; g < D.ng; g++)
        res->kind[D.tkind[g]].tests++;
    for (size_t r = 0; r < nk * ns; r++) {
        fit_group(&D, r, 1, &fit[r]);
        fit_group(&D, r, 0, &res->est[r]);
        res->est[r].proposed = res->est[r].n >= o->min_tests && isfinite(res->est[r].mean);
    }
    for (size_t c = 0; c < nk; c++)
        kind_check(&D, c, fit, cur, o->min_tests, &res->kind[c]);
    if (o->loadings)
        rc = loadings_run(&D, items, nitems, ans, nans, cur, o, res, err);
    else
        snprintf(res->l_why, sizeof res->l_why, "not estimated");
out:
    free(fit);
    data_free(&D);
    if (rc)
        rf_kindlat_result_cleanup(res);
    return rc;
}

void rf_kindlat_result_cleanup(struct rf_kindlat_result *res)
{
    free(res->est);
    free(res->lambda);
    free(res->lambda_current);
    free(res->lambda_n);
    free(res->lambda_proposed);
    memset(res, 0, sizeof *res);
}
