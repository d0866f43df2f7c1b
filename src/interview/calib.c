/*
 * EM calibration of rubric criteria and interviewer severities
 * (interview/calib.h). The ratings are indexed three ways once (by (person,
 * skill), by criterion, by rater); the E-step writes one posterior per
 * (person, skill) with ratings; the M-steps read them. Nothing allocates
 * inside the cycles.
 */
#include "interview/calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

#define NP RF_MAX_CATEGORIES /* largest parameter vector: a and m - 1 thresholds */
/* Posterior mass below this is skipped in the M-step sums (it changes no digit that matters). */
#define TINY 1e-14
#define HALVINGS 12
#define MAX_SEV_STEP 1.0

struct work {
    const struct rf_iv_data *d;
    const struct rf_iv_calib_opts *o;
    size_t ncrit, nq, nkeys;
    struct rf_iv_crit *crit;
    const struct rf_iv_crit *start; /* the start values (the priors' means, prior_at_start) */
    double *sev;
    size_t *key_of;               /* [n] key slot of each rating */
    size_t *kstart, *korder;      /* ratings by key slot */
    size_t *kperson, *kskill;     /* [nkeys] */
    size_t *cstart, *corder;      /* ratings by criterion */
    size_t *rstart, *rorder;      /* ratings by rater */
    double *post;                 /* [nkeys][nq] */
    struct rf_iv_crit *prev_crit; /* [ncrit] the parameters before the cycle */
    double *prev_sev;             /* [nraters] */
};

void rf_iv_calib_opts_init(struct rf_iv_calib_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_iter = 500;
    o->tol = 1e-4;
    o->prior_a_mean = 1.2;
    o->prior_a_sd = 0.75;
    o->prior_b_sd = 3.0;
    o->prior_sev_sd = 2.0;
}

void rf_iv_calib_cleanup(struct rf_iv_calib *c)
{
    free(c->crit);
    free(c->crit_se);
    free(c->crit_n);
    free(c->sev);
    free(c->sev_se);
    free(c->sev_n);
    memset(c, 0, sizeof *c);
}

/* Counting sort of 0..n-1 by code[i] < nb: start[0..nb], order[0..n-1]. */
static void bucket(size_t n, size_t nb, const size_t *code, size_t *start, size_t *order)
{
    memset(start, 0, (nb + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[code[i] + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    for (size_t i = 0; i < n; i++)
        order[start[code[i]]++] = i;
    for (size_t b = nb; b > 0; b--)
        start[b] = start[b - 1];
    start[0] = 0;
}

static void work_free(struct work *w)
{
    free(w->key_of);
    free(w->kstart);
    free(w->korder);
    free(w->kperson);
    free(w->kskill);
    free(w->cstart);
    free(w->corder);
    free(w->rstart);
    free(w->rorder);
    free(w->post);
    free(w->prev_crit);
    free(w->prev_sev);
}

/* Builds the three indexes. RF_ENOMEM. */
static rf_status work_init(struct work *w, struct rf_err *err)
{
    const struct rf_iv_data *d = w->d;
    size_t n = d->n, ncode = d->npersons * d->nskills;
    size_t *code = rf_alloc_array(n ? n : 1, sizeof *code);
    size_t *cstart = rf_alloc_array(ncode + 1, sizeof *cstart);
    size_t *slot = rf_alloc_array(ncode ? ncode : 1, sizeof *slot);
    w->key_of = rf_alloc_array(n ? n : 1, sizeof *w->key_of);
    w->korder = rf_alloc_array(n ? n : 1, sizeof *w->korder);
    w->corder = rf_alloc_array(n ? n : 1, sizeof *w->corder);
    w->rorder = rf_alloc_array(n ? n : 1, sizeof *w->rorder);
    w->cstart = rf_alloc_array(w->ncrit + 1, sizeof *w->cstart);
    w->rstart = rf_alloc_array(d->nraters + 1, sizeof *w->rstart);
    w->prev_crit = rf_alloc_array(w->ncrit ? w->ncrit : 1, sizeof *w->prev_crit);
    w->prev_sev = rf_alloc_array(d->nraters ? d->nraters : 1, sizeof *w->prev_sev);
    rf_status rc = RF_OK;
    if (!code || !cstart || !slot || !w->key_of || !w->korder || !w->corder || !w->rorder ||
        !w->cstart || !w->rstart || !w->prev_crit || !w->prev_sev) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        code[i] = d->r[i].person * d->nskills + w->crit[d->r[i].crit].skill;
    bucket(n, ncode, code, cstart, w->korder);
    w->nkeys = 0;
    for (size_t c = 0; c < ncode; c++)
        if (cstart[c + 1] > cstart[c])
            slot[c] = w->nkeys++;
    w->kstart = rf_alloc_array(w->nkeys + 1, sizeof *w->kstart);
    w->kperson = rf_alloc_array(w->nkeys ? w->nkeys : 1, sizeof *w->kperson);
    w->kskill = rf_alloc_array(w->nkeys ? w->nkeys : 1, sizeof *w->kskill);
    w->post = rf_alloc_array(w->nkeys ? w->nkeys * w->nq : 1, sizeof *w->post);
    if (!w->kstart || !w->kperson || !w->kskill || !w->post) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto out;
    }
    for (size_t c = 0, k = 0; c < ncode; c++) {
        if (cstart[c + 1] == cstart[c])
            continue;
        w->kstart[k] = cstart[c];
        w->kperson[k] = c / d->nskills;
        w->kskill[k] = c % d->nskills;
        for (size_t t = cstart[c]; t < cstart[c + 1]; t++)
            w->key_of[w->korder[t]] = k;
        k++;
    }
    w->kstart[w->nkeys] = n;
    for (size_t i = 0; i < n; i++)
        code[i] = d->r[i].crit;
    bucket(n, w->ncrit, code, w->cstart, w->corder);
    for (size_t i = 0; i < n; i++)
        code[i] = d->r[i].rater;
    bucket(n, d->nraters, code, w->rstart, w->rorder);
out:
    free(code);
    free(cstart);
    free(slot);
    return rc;
}

/* E-step: the posterior of every key; returns the marginal log-likelihood. */
static double estep(struct work *w)
{
    const struct rf_iv_data *d = w->d;
    const double *x = d->q->x, *lw = d->q->logw;
    double ll = 0;
    for (size_t k = 0; k < w->nkeys; k++) {
        double *p = w->post + k * w->nq;
        const double *pl =
            d->prior_ll ? d->prior_ll + (w->kperson[k] * d->nskills + w->kskill[k]) * w->nq : NULL;
        for (size_t q = 0; q < w->nq; q++)
            p[q] = lw[q] + (pl ? pl[q] : 0.0);
        for (size_t t = w->kstart[k]; t < w->kstart[k + 1]; t++) {
            const struct rf_iv_rating *r = &d->r[w->korder[t]];
            const struct rf_irt_item *it = &w->crit[r->crit].it;
            for (size_t q = 0; q < w->nq; q++)
                p[q] += rf_irt_logprob(it, x[q] - w->sev[r->rater] - r->bar, r->score);
        }
        double mx = -HUGE_VAL, z = 0;
        for (size_t q = 0; q < w->nq; q++)
            if (p[q] > mx)
                mx = p[q];
        for (size_t q = 0; q < w->nq; q++)
            z += (p[q] = exp(p[q] - mx));
        for (size_t q = 0; q < w->nq; q++)
            p[q] /= z;
        /* cppcheck-suppress invalidFunctionArg ; z >= 1: the largest term is exp(0) */
        ll += mx + log(z);
    }
    return ll;
}

static double sq(double v)
{
    return v * v;
}

/* The means of criterion j's priors: slope, threshold k. */
static double prior_a(const struct work *w, size_t j)
{
    return w->o->prior_at_start ? w->start[j].it.a : w->o->prior_a_mean;
}

static double prior_b(const struct work *w, size_t j, size_t k)
{
    return w->o->prior_at_start ? w->start[j].it.thr[k] : 0.0;
}

/* Expected complete-data log-likelihood of criterion j with parameters it, plus its priors. */
static double q_crit(const struct work *w, size_t j, const struct rf_irt_item *it)
{
    const struct rf_iv_data *d = w->d;
    const struct rf_iv_calib_opts *o = w->o;
    double s = -0.5 * sq((it->a - prior_a(w, j)) / o->prior_a_sd);
    for (size_t k = 0; k + 1 < it->ncat; k++)
        s -= 0.5 * sq((it->thr[k] - prior_b(w, j, k)) / o->prior_b_sd);
    for (size_t t = w->cstart[j]; t < w->cstart[j + 1]; t++) {
        const struct rf_iv_rating *r = &d->r[w->corder[t]];
        const double *p = w->post + w->key_of[w->corder[t]] * w->nq;
        for (size_t q = 0; q < w->nq; q++)
            if (p[q] > TINY)
                s += p[q] * rf_irt_logprob(it, d->q->x[q] - w->sev[r->rater] - r->bar, r->score);
    }
    return s;
}

static double q_rater(const struct work *w, size_t rr, double sev)
{
    const struct rf_iv_data *d = w->d;
    double s = -0.5 * sq(sev / w->o->prior_sev_sd);
    for (size_t t = w->rstart[rr]; t < w->rstart[rr + 1]; t++) {
        const struct rf_iv_rating *r = &d->r[w->rorder[t]];
        const double *p = w->post + w->key_of[w->rorder[t]] * w->nq;
        const struct rf_irt_item *it = &w->crit[r->crit].it;
        for (size_t q = 0; q < w->nq; q++)
            if (p[q] > TINY)
                s += p[q] * rf_irt_logprob(it, d->q->x[q] - sev - r->bar, r->score);
    }
    return s;
}

/* Solves A x = b for a symmetric positive definite A (n x n, overwritten by
 * its Cholesky factor). Returns 0 when A is not positive definite. */
static int chol_solve(double *a, size_t n, double *b)
{
    for (size_t j = 0; j < n; j++) {
        double s = a[j * n + j];
        for (size_t k = 0; k < j; k++)
            s -= sq(a[j * n + k]);
        if (!(s > 0))
            return 0;
        a[j * n + j] = sqrt(s);
        for (size_t i = j + 1; i < n; i++) {
            double t = a[i * n + j];
            for (size_t k = 0; k < j; k++)
                t -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = t / a[j * n + j];
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < i; k++)
            b[i] -= a[i * n + k] * b[k];
        b[i] /= a[i * n + i];
    }
    for (size_t i = n; i-- > 0;) {
        for (size_t k = i + 1; k < n; k++)
            b[i] -= a[k * n + i] * b[k];
        b[i] /= a[i * n + i];
    }
    return 1;
}

/* Inverts a symmetric positive definite n x n matrix a into inv, column by
 * column through chol_solve (work: n * n doubles, e: n doubles). Returns 0
 * when a is not positive definite. */
static int spd_inverse(const double *a, size_t n, double *inv, double *work, double *e)
{
    for (size_t c = 0; c < n; c++) {
        memcpy(work, a, n * n * sizeof *work);
        for (size_t i = 0; i < n; i++)
            e[i] = i == c ? 1.0 : 0.0;
        if (!chol_solve(work, n, e))
            return 0;
        for (size_t i = 0; i < n; i++)
            inv[i * n + c] = e[i];
    }
    return 1;
}

static int valid_item(const struct rf_irt_item *it)
{
    if (!(it->a > 0.05 && it->a < 20))
        return 0;
    for (size_t k = 0; k + 1 < it->ncat; k++)
        if (!isfinite(it->thr[k]) || fabs(it->thr[k]) > 20 ||
            (k > 0 && !(it->thr[k] > it->thr[k - 1] + 1e-3)))
            return 0;
    return 1;
}

/* One damped Newton step on criterion j; returns the largest parameter change. */
static double mstep_crit(struct work *w, size_t j)
{
    const struct rf_iv_data *d = w->d;
    const struct rf_iv_calib_opts *o = w->o;
    struct rf_irt_item *it = &w->crit[j].it;
    size_t np = it->ncat;
    double g[NP] = {0}, h[NP * NP] = {0}, gg[NP], hh[NP * NP];
    if (w->cstart[j + 1] == w->cstart[j])
        return 0;
    for (size_t t = w->cstart[j]; t < w->cstart[j + 1]; t++) {
        const struct rf_iv_rating *r = &d->r[w->corder[t]];
        const double *p = w->post + w->key_of[w->corder[t]] * w->nq;
        for (size_t q = 0; q < w->nq; q++) {
            if (p[q] <= TINY)
                continue;
            rf_irt_dlogprob_params(it, d->q->x[q] - w->sev[r->rater] - r->bar, r->score, gg, hh);
            for (size_t u = 0; u < np; u++) {
                g[u] += p[q] * gg[u];
                for (size_t v = 0; v < np; v++)
                    h[u * np + v] += p[q] * hh[u * np + v];
            }
        }
    }
    g[0] -= (it->a - prior_a(w, j)) / sq(o->prior_a_sd);
    h[0] -= 1 / sq(o->prior_a_sd);
    for (size_t k = 1; k < np; k++) {
        g[k] -= (it->thr[k - 1] - prior_b(w, j, k - 1)) / sq(o->prior_b_sd);
        h[k * np + k] -= 1 / sq(o->prior_b_sd);
    }
    double a[NP * NP], step[NP] = {0}, ridge = 0;
    for (int tries = 0;; tries++) {
        for (size_t u = 0; u < np * np; u++)
            a[u] = -h[u];
        for (size_t u = 0; u < np; u++) {
            a[u * np + u] += ridge;
            step[u] = g[u];
        }
        if (chol_solve(a, np, step))
            break;
        if (tries == 20)
            return 0;
        ridge = ridge > 0 ? ridge * 10 : 1e-3 * (1 + fabs(h[0]));
    }
    double q0 = q_crit(w, j, it), lam = 1;
    for (int k = 0; k < HALVINGS; k++, lam *= 0.5) {
        struct rf_irt_item c = *it;
        c.a += lam * step[0];
        for (size_t u = 1; u < np; u++)
            c.thr[u - 1] += lam * step[u];
        c.b = c.thr[0];
        if (!valid_item(&c) || q_crit(w, j, &c) < q0 - 1e-12)
            continue;
        double ch = 0;
        for (size_t u = 0; u < np; u++)
            ch = fmax(ch, fabs(lam * step[u]));
        *it = c;
        return ch;
    }
    return 0;
}

/* One damped Newton step on rater rr's severity; returns its change. */
static double mstep_rater(struct work *w, size_t rr)
{
    const struct rf_iv_data *d = w->d;
    if (w->rstart[rr + 1] == w->rstart[rr])
        return 0;
    double s = w->sev[rr], g = -s / sq(w->o->prior_sev_sd), h = -1 / sq(w->o->prior_sev_sd);
    for (size_t t = w->rstart[rr]; t < w->rstart[rr + 1]; t++) {
        const struct rf_iv_rating *r = &d->r[w->rorder[t]];
        const double *p = w->post + w->key_of[w->rorder[t]] * w->nq;
        const struct rf_irt_item *it = &w->crit[r->crit].it;
        for (size_t q = 0; q < w->nq; q++) {
            if (p[q] <= TINY)
                continue;
            double d1, d2;
            rf_irt_dlogprob_theta(it, d->q->x[q] - s - r->bar, r->score, &d1, &d2);
            g -= p[q] * d1;
            h += p[q] * d2;
        }
    }
    double step = h < 0 ? -g / h : (g > 0 ? MAX_SEV_STEP : -MAX_SEV_STEP);
    step = fmax(-MAX_SEV_STEP, fmin(MAX_SEV_STEP, step));
    double q0 = q_rater(w, rr, s), lam = 1;
    for (int k = 0; k < HALVINGS; k++, lam *= 0.5)
        if (q_rater(w, rr, s + lam * step) >= q0 - 1e-12) {
            w->sev[rr] = s + lam * step;
            return fabs(lam * step);
        }
    return 0;
}

/* Centres the severities of raters with ratings; the thresholds take up the shift. */
static void centre(struct work *w)
{
    double m = 0;
    size_t n = 0;
    for (size_t r = 0; r < w->d->nraters; r++)
        if (w->rstart[r + 1] > w->rstart[r]) {
            m += w->sev[r];
            n++;
        }
    if (!n)
        return;
    m /= (double)n;
    for (size_t r = 0; r < w->d->nraters; r++)
        if (w->rstart[r + 1] > w->rstart[r])
            w->sev[r] -= m;
    for (size_t j = 0; j < w->ncrit; j++) {
        if (w->cstart[j + 1] == w->cstart[j])
            continue;
        for (size_t k = 0; k + 1 < w->crit[j].it.ncat; k++)
            w->crit[j].it.thr[k] += m;
        w->crit[j].it.b = w->crit[j].it.thr[0];
    }
}

/* The largest parameter change of the cycle. */
static double change(const struct work *w)
{
    double ch = 0;
    for (size_t r = 0; r < w->d->nraters; r++)
        ch = fmax(ch, fabs(w->sev[r] - w->prev_sev[r]));
    for (size_t j = 0; j < w->ncrit; j++) {
        const struct rf_irt_item *a = &w->crit[j].it, *b = &w->prev_crit[j].it;
        ch = fmax(ch, fabs(a->a - b->a));
        for (size_t k = 0; k + 1 < a->ncat; k++)
            ch = fmax(ch, fabs(a->thr[k] - b->thr[k]));
    }
    return ch;
}

/* Standard errors by the cross-product of per-person scores (see calib.h). */
static rf_status standard_errors(struct work *w, struct rf_iv_calib *out, struct rf_err *err)
{
    const struct rf_iv_data *d = w->d;
    const struct rf_iv_calib_opts *o = w->o;
    size_t nr = d->nraters, ne = 0;
    double *gc = rf_calloc_array(w->ncrit * NP, sizeof *gc);
    double *ic = rf_calloc_array(w->ncrit * NP * NP, sizeof *ic);
    double *gr = rf_calloc_array(nr ? nr : 1, sizeof *gr);
    size_t *est = rf_alloc_array(nr ? nr : 1, sizeof *est),
           *pos = rf_alloc_array(nr ? nr : 1, sizeof *pos);
    size_t *touched = rf_alloc_array(w->ncrit + nr + 1, sizeof *touched);
    unsigned char *mark = rf_calloc_array(w->ncrit + nr + 1, 1);
    for (size_t r = 0; est && pos && r < nr; r++) {
        pos[r] = (size_t)-1;
        if (w->rstart[r + 1] > w->rstart[r]) {
            pos[r] = ne;
            est[ne++] = r;
        }
    }
    double *ir = rf_calloc_array(ne * ne + 1, sizeof *ir),
           *v = rf_alloc_array(ne * ne + 1, sizeof *v),
           *wk = rf_alloc_array(ne * ne + 1, sizeof *wk),
           *col = rf_alloc_array(ne + 1, sizeof *col);
    rf_status rc = RF_OK;
    if (!gc || !ic || !gr || !est || !pos || !touched || !mark || !ir || !v || !wk || !col) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto out;
    }
    for (size_t k0 = 0; k0 < w->nkeys;) {
        size_t person = w->kperson[k0], nt = 0, k1 = k0;
        for (; k1 < w->nkeys && w->kperson[k1] == person; k1++)
            for (size_t t = w->kstart[k1]; t < w->kstart[k1 + 1]; t++) {
                const struct rf_iv_rating *r = &d->r[w->korder[t]];
                const struct rf_irt_item *it = &w->crit[r->crit].it;
                const double *p = w->post + k1 * w->nq;
                size_t mc = r->crit, mr = w->ncrit + r->rater;
                if (!mark[mc]) {
                    mark[mc] = 1;
                    touched[nt++] = mc;
                    memset(gc + mc * NP, 0, NP * sizeof *gc);
                }
                if (!mark[mr]) {
                    mark[mr] = 1;
                    touched[nt++] = mr;
                    gr[r->rater] = 0;
                }
                double gg[NP];
                for (size_t q = 0; q < w->nq; q++) {
                    if (p[q] <= TINY)
                        continue;
                    double xq = d->q->x[q] - w->sev[r->rater] - r->bar, d1, d2;
                    rf_irt_dlogprob_params(it, xq, r->score, gg, NULL);
                    for (size_t u = 0; u < it->ncat; u++)
                        gc[mc * NP + u] += p[q] * gg[u];
                    rf_irt_dlogprob_theta(it, xq, r->score, &d1, &d2);
                    gr[r->rater] -= p[q] * d1;
                }
            }
        for (size_t a = 0; a < nt; a++) {
            size_t m = touched[a];
            mark[m] = 0;
            if (m < w->ncrit) {
                size_t np = w->crit[m].it.ncat;
                for (size_t u = 0; u < np; u++)
                    for (size_t vv = 0; vv < np; vv++)
                        ic[m * NP * NP + u * np + vv] += gc[m * NP + u] * gc[m * NP + vv];
                continue;
            }
            for (size_t b = 0; b < nt; b++)
                if (touched[b] >= w->ncrit)
                    ir[pos[m - w->ncrit] * ne + pos[touched[b] - w->ncrit]] +=
                        gr[m - w->ncrit] * gr[touched[b] - w->ncrit];
        }
        k0 = k1;
    }
    for (size_t j = 0; j < w->ncrit; j++) {
        size_t np = w->crit[j].it.ncat;
        double *se = out->crit_se + j * NP, inv[NP * NP], tmp[NP * NP], e[NP];
        for (size_t u = 0; u < NP; u++)
            se[u] = NAN;
        if (w->cstart[j + 1] == w->cstart[j] || o->fix_items)
            continue;
        double *m = ic + j * NP * NP;
        m[0] += 1 / sq(o->prior_a_sd);
        for (size_t u = 1; u < np; u++)
            m[u * np + u] += 1 / sq(o->prior_b_sd);
        if (spd_inverse(m, np, inv, tmp, e))
            for (size_t u = 0; u < np; u++)
                se[u] = sqrt(inv[u * np + u]);
    }
    for (size_t r = 0; r < nr; r++)
        out->sev_se[r] = NAN;
    for (size_t a = 0; a < ne; a++)
        ir[a * ne + a] += 1 / sq(o->prior_sev_sd);
    if (ne && spd_inverse(ir, ne, v, wk, col)) {
        if (!o->fix_items && !o->prior_at_start) { /* P V P: of the centred severities */
            double *rowm = wk, all = 0;
            for (size_t a = 0; a < ne; a++) {
                rowm[a] = 0;
                for (size_t b = 0; b < ne; b++)
                    rowm[a] += v[a * ne + b] / (double)ne;
                all += rowm[a] / (double)ne;
            }
            for (size_t a = 0; a < ne; a++)
                out->sev_se[est[a]] = sqrt(fmax(0, v[a * ne + a] - 2 * rowm[a] + all));
        } else {
            for (size_t a = 0; a < ne; a++)
                out->sev_se[est[a]] = sqrt(v[a * ne + a]);
        }
    }
out:
    free(gc);
    free(ic);
    free(gr);
    free(est);
    free(pos);
    free(touched);
    free(mark);
    free(ir);
    free(v);
    free(wk);
    free(col);
    return rc;
}

rf_status rf_iv_calibrate(const struct rf_iv_crit *start, size_t ncrit, const struct rf_iv_data *d,
                          const struct rf_iv_calib_opts *o, struct rf_iv_calib *out,
                          struct rf_err *err)
{
    if (!d->q || d->q->n == 0)
        return rf_err_set(err, RF_EINVAL, "calibration: no quadrature grid");
    for (size_t j = 0; j < ncrit; j++)
        if (start[j].skill >= d->nskills || start[j].it.model != RF_MODEL_GRM)
            return rf_err_set(err, RF_EINVAL,
                              "calibration: criterion %zu: skill %zu of %zu, or not a GRM item", j,
                              start[j].skill, d->nskills);
    rf_status rc = rf_iv_check(start, ncrit, d->nraters, d->r, d->n, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < d->n; i++)
        if (d->r[i].person >= d->npersons)
            return rf_err_set(err, RF_EINVAL, "ratings[%zu]: field 'person': %zu is not one of %zu",
                              i, d->r[i].person, d->npersons);
    struct rf_iv_calib c = {.ncrit = ncrit, .nraters = d->nraters};
    c.crit = rf_alloc_array(ncrit ? ncrit : 1, sizeof *c.crit);
    c.crit_se = rf_alloc_array(ncrit ? ncrit * NP : 1, sizeof *c.crit_se);
    c.crit_n = rf_calloc_array(ncrit ? ncrit : 1, sizeof *c.crit_n);
    c.sev = rf_calloc_array(d->nraters ? d->nraters : 1, sizeof *c.sev);
    c.sev_se = rf_alloc_array(d->nraters ? d->nraters : 1, sizeof *c.sev_se);
    c.sev_n = rf_calloc_array(d->nraters ? d->nraters : 1, sizeof *c.sev_n);
    struct work w = {.d = d,
                     .o = o,
                     .ncrit = ncrit,
                     .nq = d->q->n,
                     .crit = c.crit,
                     .start = start,
                     .sev = c.sev};
    if (!c.crit || !c.crit_se || !c.crit_n || !c.sev || !c.sev_se || !c.sev_n) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration: out of memory");
        goto fail;
    }
    memcpy(c.crit, start, ncrit * sizeof *c.crit);
    if ((rc = work_init(&w, err)))
        goto fail;
    for (size_t j = 0; j < ncrit; j++)
        c.crit_n[j] = w.cstart[j + 1] - w.cstart[j];
    for (size_t r = 0; r < d->nraters; r++)
        c.sev_n[r] = w.rstart[r + 1] - w.rstart[r];
    for (c.iter = 0; c.iter < o->max_iter && !c.converged; c.iter++) {
        /* The change is measured over the whole cycle, centring included: the
         * priors pull the raw M-step off the centred solution by the same
         * amount every cycle, which centring takes back. */
        memcpy(w.prev_crit, c.crit, ncrit * sizeof *c.crit);
        memcpy(w.prev_sev, c.sev, d->nraters * sizeof *c.sev);
        estep(&w);
        if (!o->fix_items)
            for (size_t j = 0; j < ncrit; j++)
                mstep_crit(&w, j);
        for (size_t r = 0; r < d->nraters; r++)
            mstep_rater(&w, r);
        if (!o->fix_items && !o->prior_at_start)
            centre(&w);
        c.converged = change(&w) < o->tol;
    }
    c.loglik = estep(&w);
    if ((rc = standard_errors(&w, &c, err)))
        goto fail;
    work_free(&w);
    *out = c;
    return RF_OK;
fail:
    work_free(&w);
    rf_iv_calib_cleanup(&c);
    return rc;
}
