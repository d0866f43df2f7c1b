/*
 * The interview simulation study (interview/sim.h).
 */
#include "interview/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "irt/hier.h"
#include "irt/quad.h"

#define STREAM_PANEL (UINT64_C(1) << 63)
#define STREAM_IV (UINT64_C(1) << 62)
/* Criteria with at least this many ratings enter the parameter RMSE. */
#define RMSE_MIN_N 100

void rf_iv_sim_opts_init(struct rf_iv_sim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ncand = 300;
    o->nraters = 12;
    o->sev_sd = 0.5;
    o->lambda = RF_HIER_DEFAULT_LAMBDA;
    o->seed = 1;
}

void rf_iv_sim_cleanup(struct rf_iv_sim_result *r)
{
    free(r->sev_true);
    free(r->sev_est);
    free(r->sev_se);
    free(r->skill_n);
    free(r->sd_test);
    free(r->sd_both);
    rf_iv_calib_cleanup(&r->calib);
    rf_iv_report_cleanup(&r->report);
    memset(r, 0, sizeof *r);
}

static int cmp_idx(const void *a, const void *b, void *ctx)
{
    const double *v = ctx;
    double x = v[*(const size_t *)a], y = v[*(const size_t *)b];
    return x < y ? -1 : x > y;
}

/* Mean ranks of v[0..n-1] into rank (ties share their mean rank); idx: n size_t. */
static void ranks(const double *v, size_t n, double *rank, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    qsort_r(idx, n, sizeof *idx, cmp_idx, (void *)v);
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (e < n && v[idx[e]] == v[idx[i]])
            e++;
        for (size_t k = i; k < e; k++)
            rank[idx[k]] = (double)(i + e - 1) / 2.0;
        i = e;
    }
}

static double pearson(const double *x, const double *y, size_t n)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i] / (double)n;
        my += y[i] / (double)n;
    }
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

double rf_iv_spearman(const double *x, const double *y, size_t n, double *work)
{
    if (n < 2)
        return NAN;
    size_t *idx = rf_alloc_array(n, sizeof *idx);
    if (!idx)
        return NAN;
    ranks(x, n, work, idx);
    ranks(y, n, work + n, idx);
    free(idx);
    return pearson(work, work + n, n);
}

/* A category of criterion c for skill theta and severity sev, from one uniform. */
static size_t draw(const struct rf_iv_crit *c, double theta, double sev, struct rf_rng *r)
{
    double p[RF_MAX_CATEGORIES], u = rf_rng_uniform(r), acc = 0;
    rf_irt_probs(&c->it, theta - sev, p);
    for (size_t k = 0; k + 1 < c->it.ncat; k++)
        if (u < (acc += p[k]))
            return k;
    return c->it.ncat - 1;
}

/* The true criteria and panel (see sim.h). */
static void truth(struct rf_iv_crit *t, size_t ncrit, double *sev, size_t nraters,
                  const struct rf_iv_sim_opts *o)
{
    struct rf_rng r;
    rf_rng_substream(&r, o->seed, STREAM_PANEL);
    for (size_t j = 0; j < ncrit; j++) {
        size_t m = t[j].it.ncat;
        double a = 1.0 + 1.2 * rf_rng_uniform(&r), c = 0.5 * rf_rng_normal(&r),
               s = 0.8 + 0.4 * rf_rng_uniform(&r), thr[RF_MAX_CATEGORIES - 1];
        for (size_t k = 0; k + 1 < m; k++)
            thr[k] =
                c + s * 3.0 * ((double)k / (double)(m - 2 ? m - 2 : 1) - 0.5) * (m > 2 ? 1.0 : 0.0);
        rf_irt_item_grm(&t[j].it, a, thr, m);
    }
    for (size_t i = 0; i < nraters; i++)
        sev[i] = o->sev_sd * rf_rng_normal(&r);
}

struct run {
    const struct rf_kits *k;
    const struct rf_iv_sim_opts *o;
    struct rf_iv_bank bank;
    struct rf_iv_crit *tc; /* true criteria */
    double *tsev;          /* true severities */
    size_t ntax, nq;
    double *theta;            /* [ncand][ntax] */
    struct rf_profile *tests; /* [ncand] */
    struct rf_iv_rating *r;
    size_t n, cap;
    size_t *rstart;   /* [ncand + 1] candidate i's ratings */
    double *prior_ll; /* [ncand][ntax][nq] */
};

static rf_status push(struct run *u, const struct rf_iv_rating *x, struct rf_err *err)
{
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 4096;
        struct rf_iv_rating *p = rf_realloc_array(u->r, cap, sizeof *p);
        if (!p)
            return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
        u->r = p;
        u->cap = cap;
    }
    u->r[u->n++] = *x;
    return RF_OK;
}

/* One held round (rubric ub in slot) of candidate i, scored by two raters. */
static rf_status hold(struct run *u, size_t i, size_t slot, size_t ub, struct rf_rng *r,
                      struct rf_err *err)
{
    size_t r1 = (size_t)rf_rng_below(r, u->o->nraters);
    size_t r2 = (size_t)rf_rng_below(r, u->o->nraters - 1);
    r2 += r2 >= r1;
    rf_status rc = RF_OK;
    for (size_t j = u->bank.first[ub]; j < u->bank.first[ub + 1] && !rc; j++)
        for (int w = 0; w < 2 && !rc; w++) {
            size_t rr = w ? r2 : r1;
            struct rf_iv_rating x = {.person = i, .slot = slot, .crit = j, .rater = rr};
            x.score = draw(&u->tc[j], u->theta[i * u->ntax + u->tc[j].skill], u->tsev[rr], r);
            rc = push(u, &x, err);
        }
    return rc;
}

/* Candidate i: skills, test, interviews. */
static rf_status candidate(struct run *u, size_t i, struct rf_err *err)
{
    const struct rf_iv_sim_opts *o = u->o;
    size_t role = i % u->k->nloops;
    struct rf_rng r;
    rf_rng_substream(&r, o->seed, i);
    double g = rf_rng_normal(&r), *th = u->theta + i * u->ntax;
    for (size_t s = 0; s < u->ntax; s++)
        th[s] = o->lambda * g + sqrt(1 - o->lambda * o->lambda) * rf_rng_normal(&r);
    struct rf_profile *pr = &u->tests[i];
    rf_profile_init_default(pr);
    rf_status rc = o->test ? o->test(o->ctx, i, u->k->loops[role].role, th, &r, pr, err) : RF_OK;
    if (rc)
        return rc;
    for (size_t s = 0; s < pr->nskills; s++) {
        size_t t;
        if (!pr->skills[s].loglik ||
            rf_taxonomy_find(&u->k->careers->tax, pr->skills[s].skill, &t) != RF_OK)
            continue;
        memcpy(u->prior_ll + (i * u->ntax + t) * u->nq, pr->skills[s].loglik,
               u->nq * sizeof *u->prior_ll);
    }
    struct rf_rng ri;
    rf_rng_substream(&ri, o->seed, STREAM_IV + i);
    const struct rf_kit_loop *l = &u->k->loops[role];
    size_t slot = 0;
    for (size_t st = 0; st < l->nsteps && !rc; st++)
        for (size_t c = 0; c < l->steps[st].count && !rc; c++)
            rc = hold(u, i, slot++, l->steps[st].round, &ri, err);
    if (!rc && l->take_home != (size_t)-1)
        rc = hold(u, i, slot++, u->k->nrounds + l->take_home, &ri, err);
    u->rstart[i + 1] = u->n;
    return rc;
}

/* Mean of the profile's theta over the skills marked in on[] (0 where unmeasured). */
static double mean_theta(const struct rf_profile *p, const struct rf_taxonomy *tax,
                         const unsigned char *on)
{
    double s = 0;
    size_t n = 0;
    for (size_t k = 0; k < tax->nskills; k++)
        if (on[k]) {
            const struct rf_profile_skill *ps = rf_profile_find(p, tax->skills[k].id);
            s += ps ? ps->theta : 0;
            n++;
        }
    return n ? s / (double)n : 0;
}

/* Severity and criterion figures of the calibration against the truth. */
static void recovery(struct run *u, struct rf_iv_sim_result *out)
{
    size_t nr = u->o->nraters;
    double mt = 0, se2 = 0, ses = 0, cover = 0;
    for (size_t i = 0; i < nr; i++)
        mt += u->tsev[i] / (double)nr;
    for (size_t i = 0; i < nr; i++) {
        out->sev_true[i] = u->tsev[i] - mt;
        out->sev_est[i] = out->calib.sev[i];
        out->sev_se[i] = out->calib.sev_se[i];
        double d = out->sev_est[i] - out->sev_true[i];
        se2 += d * d;
        ses += out->sev_se[i];
        cover += fabs(d) <= 1.96 * out->sev_se[i];
    }
    out->sev_rmse = sqrt(se2 / (double)nr);
    out->sev_mean_se = ses / (double)nr;
    out->sev_cover = cover / (double)nr;
    double a2 = 0, b2 = 0;
    size_t nb = 0;
    for (size_t j = 0; j < u->bank.ncrit; j++) {
        if (out->calib.crit_n[j] < RMSE_MIN_N)
            continue;
        const struct rf_irt_item *e = &out->calib.crit[j].it, *t = &u->tc[j].it;
        a2 += (e->a - t->a) * (e->a - t->a);
        for (size_t k = 0; k + 1 < t->ncat; k++, nb++)
            b2 += (e->thr[k] - t->thr[k] - mt) * (e->thr[k] - t->thr[k] - mt);
        out->ncrit_rmse++;
    }
    out->a_rmse = out->ncrit_rmse ? sqrt(a2 / (double)out->ncrit_rmse) : NAN;
    out->b_rmse = nb ? sqrt(b2 / (double)nb) : NAN;
}

/* Scores every candidate under the calibrated model and reduces the figures. */
static rf_status score_all(struct run *u, struct rf_iv_sim_result *out, struct rf_err *err)
{
    const struct rf_taxonomy *tax = &u->k->careers->tax;
    size_t nc = u->o->ncand;
    double *m = rf_alloc_array(7 * nc + u->ntax, sizeof *m);
    unsigned char *on = rf_alloc_array(u->ntax, 1);
    if (!m || !on) {
        free(m);
        free(on);
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    }
    double *tr = m, *mod = m + nc, *loop = m + 2 * nc, *naive = m + 3 * nc, *test = m + 4 * nc,
           *before = m + 7 * nc;
    size_t ncs = 0;
    rf_status rc = RF_OK;
    for (size_t i = 0; i < nc && !rc; i++) {
        const struct rf_iv_rating *r = u->r + u->rstart[i];
        size_t n = u->rstart[i + 1] - u->rstart[i];
        memset(on, 0, u->ntax);
        double raw = 0;
        for (size_t t = 0; t < n; t++) {
            on[u->bank.crit[r[t].crit].skill] = 1;
            raw += (double)r[t].score;
        }
        naive[i] = n ? raw / (double)n : 0;
        tr[i] = 0;
        size_t non = 0;
        for (size_t k = 0; k < u->ntax; k++)
            if (on[k]) {
                tr[i] += u->theta[i * u->ntax + k];
                non++;
            }
        tr[i] /= non ? (double)non : 1;
        struct rf_profile *pr = &u->tests[i], lo;
        test[i] = mean_theta(pr, tax, on);
        for (size_t k = 0; k < u->ntax; k++) {
            const struct rf_profile_skill *ps =
                on[k] ? rf_profile_find(pr, tax->skills[k].id) : NULL;
            before[k] = ps ? ps->se : NAN;
        }
        rf_profile_init_default(&lo);
        if ((rc = rf_iv_combine(pr, tax, &u->bank, out->calib.sev, u->o->nraters, r, n, err)) ||
            (rc = rf_iv_combine(&lo, tax, &u->bank, out->calib.sev, u->o->nraters, r, n, err))) {
            rf_profile_cleanup(&lo);
            break;
        }
        mod[i] = mean_theta(pr, tax, on);
        loop[i] = mean_theta(&lo, tax, on);
        rf_profile_cleanup(&lo);
        for (size_t k = 0; k < u->ntax; k++) {
            if (!on[k] || !isfinite(before[k]))
                continue;
            const struct rf_profile_skill *ps = rf_profile_find(pr, tax->skills[k].id);
            out->skill_n[k]++;
            out->sd_test[k] += before[k];
            out->sd_both[k] += ps->se;
            out->sd_test_mean += before[k];
            out->sd_both_mean += ps->se;
            ncs++;
        }
    }
    for (size_t k = 0; k < u->ntax; k++)
        if (out->skill_n[k]) {
            out->sd_test[k] /= (double)out->skill_n[k];
            out->sd_both[k] /= (double)out->skill_n[k];
        }
    out->sd_test_mean /= ncs ? (double)ncs : 1;
    out->sd_both_mean /= ncs ? (double)ncs : 1;
    /* within-role Spearman, averaged over the roles */
    size_t R = u->k->nloops;
    double *gx = rf_alloc_array(6 * (nc / R + 1) + 2, sizeof *gx);
    if (!rc && !gx)
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    double sm[4] = {0};
    size_t nroles = 0;
    for (size_t ro = 0; !rc && ro < R; ro++) {
        size_t g = 0;
        double *gt = gx, *gy = gx + (nc / R + 1), *gw = gx + 2 * (nc / R + 1);
        const double *vals[4] = {mod, loop, naive, test};
        double rho[4];
        int ok = 1;
        for (int v = 0; v < 4; v++) {
            g = 0;
            for (size_t i = ro; i < nc; i += R) {
                gt[g] = tr[i];
                gy[g++] = vals[v][i];
            }
            rho[v] = rf_iv_spearman(gt, gy, g, gw);
            ok &= isfinite(rho[v]) || v == 3;
        }
        if (!ok)
            continue;
        for (int v = 0; v < 4; v++)
            sm[v] += isfinite(rho[v]) ? rho[v] : 0;
        nroles++;
    }
    out->nroles = nroles;
    out->rho_model = nroles ? sm[0] / (double)nroles : NAN;
    out->rho_loop = nroles ? sm[1] / (double)nroles : NAN;
    out->rho_naive = nroles ? sm[2] / (double)nroles : NAN;
    out->rho_test = nroles ? sm[3] / (double)nroles : NAN;
    free(gx);
    free(m);
    free(on);
    return rc;
}

static void run_free(struct run *u)
{
    for (size_t i = 0; u->tests && i < u->o->ncand; i++)
        rf_profile_cleanup(&u->tests[i]);
    free(u->tests);
    free(u->tc);
    free(u->tsev);
    free(u->theta);
    free(u->r);
    free(u->rstart);
    free(u->prior_ll);
    rf_iv_bank_cleanup(&u->bank);
}

rf_status rf_iv_simulate(const struct rf_kits *k, const struct rf_iv_sim_opts *o,
                         struct rf_iv_sim_result *out, struct rf_err *err)
{
    if (o->ncand < 2 || o->nraters < 2 || !(o->sev_sd >= 0) || o->sev_sd > 5 ||
        !(o->lambda >= 0 && o->lambda <= RF_HIER_MAX_LAMBDA) || k->nloops == 0)
        return rf_err_set(err, RF_EINVAL,
                          "interview simulation: need 2+ candidates, 2+ interviewers, a severity "
                          "SD in [0, 5], a loading in [0, %g] and a loop",
                          RF_HIER_MAX_LAMBDA);
    struct run u = {.k = k, .o = o, .ntax = k->careers->tax.nskills};
    struct rf_iv_sim_result res = {.ncand = o->ncand, .nraters = o->nraters, .nskills = u.ntax};
    struct rf_quad q = {0};
    rf_status rc = rf_quad_init_default(&q, err);
    if (rc)
        return rc;
    u.nq = q.n;
    if ((rc = rf_iv_bank_from_kits(k, &u.bank, err)))
        goto out;
    u.tc = rf_alloc_array(u.bank.ncrit, sizeof *u.tc);
    u.tsev = rf_alloc_array(o->nraters, sizeof *u.tsev);
    u.theta = rf_alloc_array(o->ncand * u.ntax, sizeof *u.theta);
    u.tests = rf_calloc_array(o->ncand, sizeof *u.tests);
    u.rstart = rf_calloc_array(o->ncand + 1, sizeof *u.rstart);
    u.prior_ll = rf_calloc_array(o->ncand * u.ntax * u.nq, sizeof *u.prior_ll);
    res.sev_true = rf_alloc_array(o->nraters, sizeof *res.sev_true);
    res.sev_est = rf_alloc_array(o->nraters, sizeof *res.sev_est);
    res.sev_se = rf_alloc_array(o->nraters, sizeof *res.sev_se);
    res.skill_n = rf_calloc_array(u.ntax, sizeof *res.skill_n);
    res.sd_test = rf_calloc_array(u.ntax, sizeof *res.sd_test);
    res.sd_both = rf_calloc_array(u.ntax, sizeof *res.sd_both);
    if (!u.tc || !u.tsev || !u.theta || !u.tests || !u.rstart || !u.prior_ll || !res.sev_true ||
        !res.sev_est || !res.sev_se || !res.skill_n || !res.sd_test || !res.sd_both) {
        rc = rf_err_set(err, RF_ENOMEM, "interview simulation: out of memory");
        goto out;
    }
    memcpy(u.tc, u.bank.crit, u.bank.ncrit * sizeof *u.tc);
    truth(u.tc, u.bank.ncrit, u.tsev, o->nraters, o);
    for (size_t i = 0; i < o->ncand && !rc; i++)
        rc = candidate(&u, i, err);
    if (rc)
        goto out;
    res.nratings = u.n;
    struct rf_iv_data d = {.npersons = o->ncand,
                           .nraters = o->nraters,
                           .nskills = u.ntax,
                           .r = u.r,
                           .n = u.n,
                           .q = &q,
                           .prior_ll = u.prior_ll};
    struct rf_iv_calib_opts co;
    rf_iv_calib_opts_init(&co);
    if ((rc = rf_iv_calibrate(u.bank.crit, u.bank.ncrit, &d, &co, &res.calib, err)))
        goto out;
    recovery(&u, &res);
    memcpy(u.bank.crit, res.calib.crit,
           u.bank.ncrit * sizeof *u.bank.crit); /* score as calibrated */
    if ((rc = score_all(&u, &res, err)) ||
        (rc = rf_iv_report(&u.bank, &res.calib, u.r, u.n, &res.report, err)))
        goto out;
out:
    run_free(&u);
    rf_quad_cleanup(&q);
    if (rc)
        rf_iv_sim_cleanup(&res);
    else
        *out = res;
    return rc;
}
