/*
 * DIF by Mantel-Haenszel and by logistic regression (calib/dif.h), and the
 * seeded simulation of their detection rates. The formulas, with their
 * sources, are in dif.h and docs/fairness.md.
 */
#include "calib/dif.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/rng.h"
#include "calib/stats.h"

/* The ETS delta scale: delta = 4 z + 13, and ln odds ~ 1.7 z, so a log
 * odds ratio of L is 4 L / 1.7 = 2.35 L delta units (Holland & Thayer 1988). */
#define DELTA_PER_LOGIT 2.35

/* Newton-Raphson of the logistic regressions: largest step accepted as
 * converged, iterations, halvings, and the coefficient size taken for
 * separation (the likelihood keeps rising as a coefficient runs off). */
#define LR_TOL 1e-9
#define LR_MAX_ITER 60
#define LR_MAX_HALVINGS 30
#define LR_MAX_COEF 30.0

void rf_dif_opts_default(struct rf_dif_opts *o)
{
    o->match = RF_DIF_MATCH_TOTAL;
    o->strata = RF_DIF_STRATA;
    o->min_group = RF_DIF_MIN_GROUP;
    o->alpha = 0.05;
    o->logistic = 1;
}

/* Upper-tail p of a 1-df chi-square, by the normal tail (exact, and more
 * precise in the far tail than the incomplete gamma). */
static double chisq1_upper(double x)
{
    return x <= 0 ? 1.0 : 2 * rf_stat_norm_upper(sqrt(x));
}

char rf_dif_ets_class(double d, double se, double p, double alpha)
{
    if (isnan(d))
        return '-';
    double ad = fabs(d);
    if (ad >= 1.5 && se > 0 && (ad - 1.0) / se > rf_stat_norm_quantile(1 - alpha))
        return 'C';
    if (p < alpha && ad >= 1.0)
        return 'B';
    return 'A';
}

void rf_dif_mh(const struct rf_mh_stratum *s, size_t n, double alpha, struct rf_mh_result *out)
{
    double r = 0, q = 0, spr = 0, spsqr = 0, sqs = 0, suma = 0, sume = 0, sumv = 0;
    for (size_t k = 0; k < n; k++) {
        double nr = s[k].a + s[k].b, nf = s[k].c + s[k].d, t = nr + nf;
        if (t < 2 || nr <= 0 || nf <= 0)
            continue;
        double m1 = s[k].a + s[k].c, m0 = s[k].b + s[k].d;
        double rk = s[k].a * s[k].d / t, sk = s[k].b * s[k].c / t;
        double pk = (s[k].a + s[k].d) / t, qk = (s[k].b + s[k].c) / t;
        r += rk;
        q += sk;
        spr += pk * rk;
        spsqr += pk * sk + qk * rk;
        sqs += qk * sk;
        suma += s[k].a;
        sume += nr * m1 / t;
        sumv += nr * nf * m1 * m0 / (t * t * (t - 1));
    }
    out->chi2 = NAN;
    out->p = NAN;
    if (sumv > 0) {
        double dev = fmax(0.0, fabs(suma - sume) - 0.5);
        out->chi2 = dev * dev / sumv;
        out->p = chisq1_upper(out->chi2);
    }
    if (!(r > 0 && q > 0)) {
        out->alpha_mh = out->d_dif = out->se_d = NAN;
        out->ets = '-';
        return;
    }
    /* Robins, Breslow & Greenland (1986): var(ln alpha_MH). */
    double var = spr / (2 * r * r) + spsqr / (2 * r * q) + sqs / (2 * q * q);
    out->alpha_mh = r / q;
    out->d_dif = -DELTA_PER_LOGIT * log(out->alpha_mh);
    out->se_d = DELTA_PER_LOGIT * sqrt(var);
    out->ets = rf_dif_ets_class(out->d_dif, out->se_d, out->p, alpha);
}

/* log(1 + e^t) without overflow. */
static double softplus(double t)
{
    return t > 0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

/* Row z of the design [1, x, g, x g], first k entries. */
static void design_row(double x, unsigned char g, double *z)
{
    z[0] = 1;
    z[1] = x;
    z[2] = g;
    z[3] = x * g;
}

static double logit_loglik(const double *x, const unsigned char *y, const unsigned char *g,
                           size_t n, size_t k, const double *beta)
{
    double ll = 0, z[4];
    for (size_t i = 0; i < n; i++) {
        design_row(x[i], g[i], z);
        double eta = 0;
        for (size_t j = 0; j < k; j++)
            eta += beta[j] * z[j];
        ll -= softplus(y[i] ? -eta : eta);
    }
    return ll;
}

/* Cholesky solve of the k x k system m v = u (m overwritten); 0 when m is
 * not positive definite. */
static int chol_solve(double *m, size_t k, const double *u, double *v)
{
    for (size_t j = 0; j < k; j++) {
        double s = m[j * k + j];
        for (size_t l = 0; l < j; l++)
            s -= m[j * k + l] * m[j * k + l];
        if (!(s > 1e-12))
            return 0;
        m[j * k + j] = sqrt(s);
        for (size_t i = j + 1; i < k; i++) {
            double t = m[i * k + j];
            for (size_t l = 0; l < j; l++)
                t -= m[i * k + l] * m[j * k + l];
            m[i * k + j] = t / m[j * k + j];
        }
    }
    double w[4] = {0};
    for (size_t i = 0; i < k; i++) {
        double t = u[i];
        for (size_t l = 0; l < i; l++)
            t -= m[i * k + l] * w[l];
        w[i] = t / m[i * k + i];
    }
    for (size_t i = k; i-- > 0;) {
        double t = w[i];
        for (size_t l = i + 1; l < k; l++)
            t -= m[l * k + i] * v[l];
        v[i] = t / m[i * k + i];
    }
    return 1;
}

/* Maximum-likelihood logistic regression on the first k columns of the
 * design, starting from beta (k entries, updated). *ll the maximum; *var_last
 * (when not NULL) the variance of the last coefficient (inverse information).
 * Returns 0 when it does not converge or the information is singular. */
static int logit_fit(const double *x, const unsigned char *y, const unsigned char *g, size_t n,
                     size_t k, double *beta, double *ll, double *var_last)
{
    double cur = logit_loglik(x, y, g, n, k, beta);
    for (int it = 0; it < LR_MAX_ITER; it++) {
        double info[16] = {0}, u[4] = {0}, step[4], z[4];
        for (size_t i = 0; i < n; i++) {
            design_row(x[i], g[i], z);
            double eta = 0;
            for (size_t j = 0; j < k; j++)
                eta += beta[j] * z[j];
            double p = 1 / (1 + exp(-eta)), w = p * (1 - p), res = y[i] - p;
            for (size_t j = 0; j < k; j++) {
                u[j] += res * z[j];
                for (size_t l = 0; l <= j; l++)
                    info[j * k + l] += w * z[j] * z[l];
            }
        }
        for (size_t j = 0; j < k; j++)
            for (size_t l = j + 1; l < k; l++)
                info[j * k + l] = info[l * k + j];
        if (!chol_solve(info, k, u, step))
            return 0;
        double big = 0;
        for (size_t j = 0; j < k; j++)
            big = fmax(big, fabs(step[j]));
        double trial[4], next = cur;
        double f = 1;
        int h;
        for (h = 0; h < LR_MAX_HALVINGS; h++, f /= 2) {
            for (size_t j = 0; j < k; j++)
                trial[j] = beta[j] + f * step[j];
            next = logit_loglik(x, y, g, n, k, trial);
            if (next >= cur - 1e-12 * fabs(cur))
                break;
        }
        if (h == LR_MAX_HALVINGS)
            return 0;
        memcpy(beta, trial, k * sizeof *beta);
        cur = next;
        for (size_t j = 0; j < k; j++)
            if (fabs(beta[j]) > LR_MAX_COEF)
                return 0;
        if (big * f < LR_TOL) {
            *ll = cur;
            if (var_last) {
                /* the last diagonal entry of the inverse information: solve info v = e_k */
                double m[16] = {0}, e[4] = {0}, v[4];
                for (size_t i = 0; i < n; i++) {
                    design_row(x[i], g[i], z);
                    double eta = 0;
                    for (size_t j = 0; j < k; j++)
                        eta += beta[j] * z[j];
                    double p = 1 / (1 + exp(-eta)), w = p * (1 - p);
                    for (size_t j = 0; j < k; j++)
                        for (size_t l = 0; l < k; l++)
                            m[j * k + l] += w * z[j] * z[l];
                }
                e[k - 1] = 1;
                if (!chol_solve(m, k, e, v))
                    return 0;
                *var_last = v[k - 1];
            }
            return 1;
        }
    }
    return 0;
}

/* Nagelkerke's R^2 of a model with log-likelihood ll, null model ll0. */
static double nagelkerke(double ll, double ll0, size_t n)
{
    double max = 1 - exp(2 * ll0 / (double)n);
    return max > 0 ? (1 - exp(2 * (ll0 - ll) / (double)n)) / max : NAN;
}

void rf_dif_logistic(const double *x, const unsigned char *y, const unsigned char *g, size_t n,
                     double alpha, struct rf_lr_result *out)
{
    out->converged = 0;
    out->chi2_uniform = out->p_uniform = out->chi2_nonuniform = out->p_nonuniform = NAN;
    out->chi2_total = out->p_total = out->r2_delta = out->beta_group = out->se_beta = NAN;
    out->effect = '-';
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++)
        n1 += y[i] != 0;
    if (n1 == 0 || n1 == n)
        return;
    double b0[4] = {0}, b1[4], b2[4], ll0, ll1, ll2, var_g;
    /* the intercept-only model, for R^2 */
    double p1 = (double)n1 / (double)n;
    double llnull = (double)n1 * log(p1) + (double)(n - n1) * log1p(-p1);
    if (!logit_fit(x, y, g, n, 2, b0, &ll0, NULL))
        return;
    memcpy(b1, b0, sizeof b1);
    b1[2] = 0;
    if (!logit_fit(x, y, g, n, 3, b1, &ll1, &var_g))
        return;
    memcpy(b2, b1, sizeof b2);
    b2[3] = 0;
    if (!logit_fit(x, y, g, n, 4, b2, &ll2, NULL))
        return;
    out->converged = 1;
    out->chi2_uniform = fmax(0.0, 2 * (ll1 - ll0));
    out->p_uniform = chisq1_upper(out->chi2_uniform);
    out->chi2_nonuniform = fmax(0.0, 2 * (ll2 - ll1));
    out->p_nonuniform = chisq1_upper(out->chi2_nonuniform);
    out->chi2_total = fmax(0.0, 2 * (ll2 - ll0));
    out->p_total = exp(-out->chi2_total / 2); /* chi-square with 2 df: exact */
    out->r2_delta = nagelkerke(ll2, llnull, n) - nagelkerke(ll0, llnull, n);
    out->beta_group = b1[2];
    out->se_beta = sqrt(var_g);
    int sig = out->p_total < alpha;
    out->effect = !sig || out->r2_delta < 0.035 ? 'A' : out->r2_delta < 0.070 ? 'B' : 'C';
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Stratum of v among the sorted cut points cut[0..ncut): how many are <= v. */
static size_t stratum_of(const double *cut, size_t ncut, double v)
{
    size_t lo = 0, hi = ncut;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cut[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *person_name(const struct rf_dif_data *d, size_t i, char *buf, size_t cap)
{
    if (d->person_ids)
        return d->person_ids[i];
    snprintf(buf, cap, "row %zu", i + 1);
    return buf;
}

/* Checks the cells, and for total and rest matching that every person of
 * the comparison answered every item. */
static rf_status check_data(const struct rf_dif_data *d, const struct rf_dif_opts *o,
                            struct rf_err *err)
{
    char buf[32];
    if (o->match == RF_DIF_MATCH_THETA && !d->theta)
        return rf_err_set(err, RF_EINVAL, "theta matching needs a theta per person");
    if (o->match == RF_DIF_MATCH_THETA && o->strata < 2)
        return rf_err_set(err, RF_EINVAL, "theta matching needs at least 2 strata, got %zu",
                          o->strata);
    if (!(o->alpha > 0 && o->alpha < 0.5))
        return rf_err_set(err, RF_EINVAL, "alpha must be in (0, 0.5), got %g", o->alpha);
    for (size_t i = 0; i < d->npersons; i++) {
        if (d->group[i] < 0)
            continue;
        const signed char *row = d->x + i * d->nitems;
        for (size_t j = 0; j < d->nitems; j++) {
            if (row[j] == RF_RESP_MISSING) {
                if (o->match != RF_DIF_MATCH_THETA)
                    return rf_err_set(
                        err, RF_EINVAL,
                        "person '%s' has no answer to item '%s': total-score matching needs "
                        "every item answered (match on theta instead)",
                        person_name(d, i, buf, sizeof buf), d->item_ids[j]);
            } else if (row[j] != 0 && row[j] != 1) {
                return rf_err_set(err, RF_EINVAL,
                                  "person '%s', item '%s': category %d; DIF takes 0/1 answers",
                                  person_name(d, i, buf, sizeof buf), d->item_ids[j], row[j]);
            }
        }
    }
    return RF_OK;
}

rf_status rf_dif_run(const struct rf_dif_data *d, const struct rf_dif_opts *o,
                     struct rf_dif_item *out, struct rf_err *err)
{
    rf_status rc = check_data(d, o, err);
    if (rc)
        return rc;
    size_t np = d->npersons, ni = d->nitems;
    size_t nstrata = o->match == RF_DIF_MATCH_THETA ? o->strata : ni + 1;
    struct rf_mh_stratum *st = rf_alloc_array(nstrata ? nstrata : 1, sizeof *st);
    size_t *score = rf_calloc_array(np ? np : 1, sizeof *score);
    double *xv = rf_alloc_array(np ? np : 1, sizeof *xv);
    double *cut = rf_alloc_array(np ? np : 1, sizeof *cut);
    unsigned char *yv = rf_alloc_array(np ? np : 1, 1), *gv = rf_alloc_array(np ? np : 1, 1);
    if (!st || !score || !xv || !cut || !yv || !gv) {
        rc = rf_err_set(err, RF_ENOMEM, "out of memory for the DIF workspace");
        goto done;
    }
    if (o->match != RF_DIF_MATCH_THETA)
        for (size_t i = 0; i < np; i++) {
            if (d->group[i] < 0)
                continue;
            for (size_t j = 0; j < ni; j++)
                score[i] += (size_t)(d->x[i * ni + j] == 1);
        }
    for (size_t j = 0; j < ni; j++) {
        struct rf_dif_item *it = &out[j];
        memset(st, 0, nstrata * sizeof *st);
        size_t n = 0;
        it->n_ref = it->n_focal = 0;
        for (size_t i = 0; i < np; i++) {
            signed char v = d->x[i * ni + j];
            if (d->group[i] < 0 || v == RF_RESP_MISSING)
                continue;
            double xi;
            if (o->match == RF_DIF_MATCH_THETA) {
                if (!isfinite(d->theta[i]))
                    continue;
                xi = d->theta[i];
            } else {
                xi = (double)(score[i] - (o->match == RF_DIF_MATCH_REST ? (size_t)v : 0));
            }
            xv[n] = xi;
            yv[n] = (unsigned char)v;
            gv[n] = (unsigned char)d->group[i];
            if (d->group[i])
                it->n_focal++;
            else
                it->n_ref++;
            n++;
        }
        it->shown = it->n_ref >= o->min_group && it->n_focal >= o->min_group;
        it->mh.alpha_mh = it->mh.d_dif = it->mh.se_d = it->mh.chi2 = it->mh.p = NAN;
        it->mh.ets = '-';
        memset(&it->lr, 0, sizeof it->lr);
        it->lr.effect = '-';
        if (!it->shown)
            continue;
        size_t ncut = 0;
        if (o->match == RF_DIF_MATCH_THETA) {
            /* equal-count strata among this item's answerers: cut points at
             * the k/K quantiles; ties stay in one stratum */
            memcpy(cut, xv, n * sizeof *cut);
            qsort(cut, n, sizeof *cut, cmp_double);
            for (size_t k = 1; k < o->strata; k++) {
                double c = cut[k * n / o->strata];
                if (ncut == 0 || c > cut[ncut - 1])
                    cut[ncut++] = c;
            }
        }
        for (size_t i = 0; i < n; i++) {
            size_t k =
                o->match == RF_DIF_MATCH_THETA ? stratum_of(cut, ncut, xv[i]) : (size_t)xv[i];
            if (gv[i])
                *(yv[i] ? &st[k].c : &st[k].d) += 1;
            else
                *(yv[i] ? &st[k].a : &st[k].b) += 1;
        }
        rf_dif_mh(st, nstrata, o->alpha, &it->mh);
        if (o->logistic) {
            /* standardize X: the tests do not change, the Newton steps behave */
            double mean = 0, ss = 0;
            for (size_t i = 0; i < n; i++)
                mean += xv[i];
            mean /= (double)n;
            for (size_t i = 0; i < n; i++)
                ss += (xv[i] - mean) * (xv[i] - mean);
            double sd = sqrt(ss / (double)n);
            for (size_t i = 0; i < n; i++)
                xv[i] = sd > 0 ? (xv[i] - mean) / sd : 0;
            rf_dif_logistic(xv, yv, gv, n, o->alpha, &it->lr);
        }
    }
done:
    free(st), free(score), free(xv), free(cut), free(yv), free(gv);
    return rc;
}

rf_status rf_dif_simulate(const struct rf_dif_sim_opts *o, struct rf_dif_sim_result *res,
                          struct rf_err *err)
{
    if (o->replications == 0 || o->persons == 0 || o->nitems < 2)
        return rf_err_set(err, RF_EINVAL,
                          "simulation needs replications >= 1, persons >= 1 and items >= 2");
    size_t ni = o->nitems, np = 2 * o->persons;
    signed char *x = rf_alloc_array(np, ni);
    signed char *grp = rf_alloc_array(np, 1);
    double *a = rf_alloc_array(ni, sizeof *a), *b = rf_alloc_array(ni, sizeof *b);
    struct rf_dif_item *items = rf_alloc_array(ni, sizeof *items);
    char **ids = rf_calloc_array(ni, sizeof *ids);
    double *theta = NULL;
    rf_status rc = RF_OK;
    if (!x || !grp || !a || !b || !items || !ids) {
        rc = rf_err_set(err, RF_ENOMEM, "out of memory for the simulation");
        goto done;
    }
    for (size_t j = 0; j < ni; j++) {
        char name[32];
        snprintf(name, sizeof name, "sim.item.%03zu", j + 1);
        if (!(ids[j] = rf_strdup(name))) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory for the simulation");
            goto done;
        }
    }
    struct rf_dif_data d = {
        .npersons = np, .nitems = ni, .item_ids = (const char *const *)ids, .x = x, .group = grp};
    if (o->dif_opts.match == RF_DIF_MATCH_THETA) {
        if (!(theta = rf_alloc_array(np, sizeof *theta))) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory for the simulation");
            goto done;
        }
        d.theta = theta;
    }
    size_t dif_c = 0, dif_bc = 0, dif_lr = 0, null_c = 0, null_bc = 0, null_lr = 0;
    size_t ndif = 0, nnull = 0;
    double sum_dif = 0, sum_null = 0;
    for (size_t r = 0; r < o->replications; r++) {
        struct rf_rng rng;
        rf_rng_substream(&rng, o->seed, r);
        for (size_t j = 0; j < ni; j++) {
            a[j] = j == 0 ? o->dif_slope : 0.8 + 1.2 * rf_rng_uniform(&rng);
            b[j] = rf_rng_normal(&rng);
        }
        if (!isnan(o->dif_b))
            b[0] = o->dif_b;
        for (size_t i = 0; i < np; i++) {
            int focal = i >= o->persons;
            grp[i] = (signed char)focal;
            double th = rf_rng_normal(&rng) + (focal ? o->impact : 0);
            if (theta)
                theta[i] = th;
            for (size_t j = 0; j < ni; j++) {
                double bj = b[j] + (j == 0 && focal ? o->dif : 0);
                double p = 1 / (1 + exp(-a[j] * (th - bj)));
                x[i * ni + j] = (signed char)(rf_rng_uniform(&rng) < p);
            }
        }
        if ((rc = rf_dif_run(&d, &o->dif_opts, items, err)))
            goto done;
        for (size_t j = 0; j < ni; j++) {
            const struct rf_dif_item *it = &items[j];
            if (!it->shown)
                continue;
            int c = it->mh.ets == 'C', bc = c || it->mh.ets == 'B';
            int lr = it->lr.converged && it->lr.p_total < o->dif_opts.alpha;
            if (j == 0) {
                dif_c += (size_t)c, dif_bc += (size_t)bc, dif_lr += (size_t)lr, ndif++;
                if (isfinite(it->mh.d_dif))
                    sum_dif += it->mh.d_dif;
            } else {
                null_c += (size_t)c, null_bc += (size_t)bc, null_lr += (size_t)lr, nnull++;
                if (isfinite(it->mh.d_dif))
                    sum_null += it->mh.d_dif;
            }
        }
    }
    res->replications = o->replications;
    res->dif_c = ndif ? (double)dif_c / (double)ndif : NAN;
    res->dif_bc = ndif ? (double)dif_bc / (double)ndif : NAN;
    res->dif_lr = ndif ? (double)dif_lr / (double)ndif : NAN;
    res->null_c = nnull ? (double)null_c / (double)nnull : NAN;
    res->null_bc = nnull ? (double)null_bc / (double)nnull : NAN;
    res->null_lr = nnull ? (double)null_lr / (double)nnull : NAN;
    res->mean_d_dif = ndif ? sum_dif / (double)ndif : NAN;
    res->mean_d_null = nnull ? sum_null / (double)nnull : NAN;
done:
    free(theta);
    if (ids)
        for (size_t j = 0; j < ni; j++)
            free(ids[j]);
    free(ids), free(x), free(grp), free(a), free(b), free(items);
    return rc;
}
