/* Does the bank learn from use? (see onlinesim.h). */
#include "server/onlinesim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/rng.h"
#include "calib/drift.h"
#include "calib/online.h"
#include "calib/recal.h"
#include "careers/closest.h"
#include "careers/profile.h"
#include "cat/pool.h"
#include "cat/pretest.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "server/roletest.h"

#define MAX_TAX RF_ONLINESIM_MAX_SKILLS

void rf_onlinesim_opts_default(struct rf_onlinesim_opts *o)
{
    memset(o, 0, sizeof *o);
    o->checkpoints[0] = 250;
    o->checkpoints[1] = 500;
    o->checkpoints[2] = 1000;
    o->ncheck = 3;
    o->nmeasure = 1200;
    o->live = RF_ROLESIM_REFERENCE;
    o->learn = RF_ONLINESIM_RECALIBRATE;
    struct rf_recal_opts ro;
    rf_recal_opts_default(&ro);
    o->eb_abilities = ro.abilities;
    o->eb_latent = ro.latent;
    o->eb_anchor = ro.anchor;
    o->eb_max_shift = ro.max_shift;
    o->pretest_per_test = RF_WEB_PRETEST;
    o->seed = 1;
    o->threads = 1;
}

/* A stored answer: scored (theta NaN) or pretest (the posterior before it). */
struct rec {
    uint32_t test, item;
    int k;
    double theta, sd;
};

struct sim {
    struct rf_bank *b;
    const struct rf_roles *roles;
    const struct rf_quad *q;
    const struct rf_onlinesim_opts *o;
    size_t n;                   /* bank items (= pool items) */
    struct rf_irt_item *truth;  /* [n] */
    struct rf_irt_item *prior;  /* [n] the authors' priors (the rated parameters) */
    unsigned char *scored;      /* [n] mcq, numeric or multi */
    unsigned char *estimated;   /* [n] parameters are an accepted estimate */
    unsigned char *started_pre; /* [n] turned pretest at the start */
    struct rf_cat_pool *p;
    struct rf_cat_design *d; /* [roles] */
    size_t *tk;              /* [p->nskills] taxonomy index, SIZE_MAX: none */
    uint32_t *pre;           /* current pretest items (pool indices, bank order) */
    size_t npre;
    struct rec *ans; /* every stored answer, in test order */
    size_t nans, cap;
    size_t nscored, npretest_ans;
    uint64_t eb_fresh; /* eb: the first live test after the last accepted re-estimate */
    struct rf_online_prior pre_prior; /* the pretest items' priors: the last re-estimate's
                                     hyperparameters (eb), as the product's review takes them */
};

/* One live test or one measured person's output. */
struct slot {
    struct rec r[RF_CAT_MAX_PRETEST + 128];
    size_t n;
    double sd, err2, len, cover;
    int closest;
    double dev[MAX_TAX];        /* posterior mean - truth, per taxonomy skill in scope */
    unsigned char has[MAX_TAX]; /* dev set */
};

struct job {
    const struct sim *S;
    size_t lo, hi;
    int measure;
    struct slot *out; /* [hi - lo] */
    rf_status rc;
    struct rf_err err;
};

static double unif(struct rf_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rf_rng_uniform(r);
}

/* The authors' priors: a = 1, c = 1/k for a k-option multiple-choice item,
 * the rated b (thresholds) kept. */
static void prior_of(const struct rf_item *it, struct rf_irt_item *out)
{
    *out = it->irt;
    if (out->ncat == 2 && it->type == RF_ITEM_MCQ && it->noptions >= 2)
        rf_irt_item_dich(out, RF_MODEL_3PL, 1.0, it->irt.b, 1.0 / (double)it->noptions);
    else if (out->ncat == 2)
        rf_irt_item_dich(out, RF_MODEL_2PL, 1.0, it->irt.b, 0);
    else
        out->a = 1.0;
}

/* The hidden truth of an item, from its prior. */
static void truth_of(const struct rf_item *it, const struct rf_irt_item *prior, struct rf_rng *r,
                     struct rf_irt_item *out)
{
    double a = unif(r, 0.6, 2.0), shift = 0.5 * rf_rng_normal(r);
    *out = *prior;
    if (prior->ncat == 2 && it->type == RF_ITEM_MCQ && it->noptions >= 2) {
        rf_irt_item_dich(out, RF_MODEL_3PL, a, prior->b + shift, unif(r, 0.1, 0.3));
    } else if (prior->ncat == 2) {
        rf_irt_item_dich(out, RF_MODEL_2PL, a, prior->b + shift, 0);
    } else {
        out->a = a;
        for (size_t k = 0; k + 1 < prior->ncat; k++)
            out->thr[k] = prior->thr[k] + shift;
    }
}

/* A person's truth over the taxonomy: role's people (role != NULL) on the
 * skills it requires, N(0, 1) elsewhere (rolesim.h). */
static void person(const struct rf_roles *roles, const struct rf_role *role, struct rf_rng *r,
                   double *truth)
{
    const struct rf_taxonomy *tax = roles->tax;
    for (size_t k = 0; k < tax->nskills && k < MAX_TAX; k++) {
        const struct rf_role_req *q = role ? rf_role_req_find(role, k) : NULL;
        double z = rf_rng_normal(r);
        if (q) {
            double mu, tau;
            rf_closest_level_dist(tax, k, q->level, &mu, &tau);
            truth[k] = mu + RF_ROLESIM_ROLE_SD * z;
        } else {
            truth[k] = z;
        }
    }
}

/* Pretest seeding as rf_app_pretest_seed does it (server/app_tests.c). */
static void seed_pretest(const struct sim *S, struct rf_cat_design *d, uint64_t seed)
{
    size_t want = S->o->pretest_per_test;
    d->npretest = 0;
    if (want > RF_CAT_MAX_PRETEST)
        want = RF_CAT_MAX_PRETEST;
    if (!S->npre || !want)
        return;
    struct rf_rng r;
    rf_rng_substream(&r, seed, 1);
    const struct rf_cat_pool *p = S->p;
    size_t cand = 0;
    for (size_t i = 0; i < S->npre; i++)
        for (size_t j = 0; j < d->nscope; j++)
            cand += p->skill[S->pre[i]] == d->scope[j];
    for (size_t i = 0, left = cand; i < S->npre && d->npretest < want; i++) {
        size_t j = 0;
        while (j < d->nscope && p->skill[S->pre[i]] != d->scope[j])
            j++;
        if (j == d->nscope)
            continue;
        if (rf_rng_below(&r, left--) < want - d->npretest)
            d->pretest[d->npretest++] = S->pre[i];
    }
    rf_cat_pretest_place(d, &r);
}

/* Runs session s, answers drawn from the truth at the person's skills. */
static rf_status run(const struct sim *S, struct rf_cat_session *s, const double *truth,
                     struct rf_rng *r, struct rf_err *err)
{
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            return RF_OK;
        size_t t = S->tk[S->p->skill[item]];
        double th = t == SIZE_MAX ? rf_rng_normal(r) : truth[t];
        rf_status rc = rf_cat_answer(s, item, rf_cat_sim_draw(&S->truth[item], th, r));
        if (rc)
            return rf_err_set(err, rc, "online study: %s", rf_cat_errmsg(s));
    }
}

/* Live test t: role t mod R's test, pretest items seeded, as the live
 * population answers it; its answers into out. */
static rf_status live_test(const struct sim *S, size_t t, struct slot *out, struct rf_err *err)
{
    const struct rf_roles *roles = S->roles;
    struct rf_rng r;
    rf_rng_substream(&r, S->o->seed, t);
    size_t k = t % roles->n;
    const struct rf_role *role = &roles->roles[k];
    struct rf_cat_design d = S->d[k];
    seed_pretest(S, &d, rf_rng_next(&r));
    int is_role =
        S->o->live == RF_ROLESIM_ROLE || (S->o->live == RF_ROLESIM_MIX && rf_rng_uniform(&r) < 0.5);
    double truth[MAX_TAX];
    person(roles, is_role ? role : NULL, &r, truth);
    struct rf_cat_session *s = NULL;
    rf_status rc = rf_cat_session_new(S->p, &d, rf_rng_next(&r), &s, err);
    if (!rc)
        rc = run(S, s, truth, &r, err);
    out->n = 0;
    for (size_t j = 0; !rc && j < rf_cat_nanswered(s); j++) {
        size_t item, cat;
        rf_cat_answered(s, j, &item, &cat);
        if (out->n == sizeof out->r / sizeof out->r[0])
            rc = rf_err_set(err, RF_ETOOBIG, "online study: a test of more than %zu answers",
                            out->n);
        else
            out->r[out->n++] = (struct rec){(uint32_t)t, (uint32_t)item, (int)cat, NAN, NAN};
    }
    for (size_t j = 0; !rc && j < rf_cat_npretest_answered(s); j++) {
        size_t item, cat;
        double th, sd;
        rf_cat_pretest_answer(s, j, &item, &cat, &th, &sd);
        if (out->n == sizeof out->r / sizeof out->r[0])
            rc = rf_err_set(err, RF_ETOOBIG, "online study: a test of more than %zu answers",
                            out->n);
        else
            out->r[out->n++] = (struct rec){(uint32_t)t, (uint32_t)item, (int)cat, th, sd};
    }
    rf_cat_session_free(s);
    return rc;
}

/* Measured person i: role i mod R's people take its test, scored with the
 * current bank; per-skill SD, length, closest role. */
static rf_status measure(const struct sim *S, size_t i, struct rf_profile *pr, struct slot *out,
                         struct rf_err *err)
{
    const struct rf_roles *roles = S->roles;
    struct rf_rng r;
    rf_rng_substream(&r, S->o->seed ^ RF_ONLINESIM_MEASURE_SALT, i);
    const struct rf_role *role = &roles->roles[i % roles->n];
    const struct rf_cat_design *d = &S->d[i % roles->n];
    double truth[MAX_TAX];
    person(roles, role, &r, truth);
    struct rf_cat_session *s = NULL;
    rf_status rc = rf_cat_session_new(S->p, d, rf_rng_next(&r), &s, err);
    if (!rc)
        rc = run(S, s, truth, &r, err);
    memset(out->has, 0, sizeof out->has);
    if (!rc) {
        double sum = 0, e2 = 0, cov = 0;
        for (size_t j = 0; j < d->nscope; j++) {
            struct rf_cat_skill_result sr;
            rf_cat_skill(s, j, &sr);
            sum += sr.se;
            size_t t = S->tk[d->scope[j]];
            double th = t == SIZE_MAX ? 0 : truth[t];
            e2 += (sr.theta - th) * (sr.theta - th);
            cov += fabs(sr.theta - th) <= 1.96 * sr.se;
            if (t != SIZE_MAX) {
                out->dev[t] = sr.theta - th;
                out->has[t] = 1;
            }
        }
        out->cover = d->nscope ? cov / (double)d->nscope : 0;
        out->sd = d->nscope ? sum / (double)d->nscope : 0;
        out->err2 = d->nscope ? e2 / (double)d->nscope : 0;
        out->len = (double)rf_cat_nanswered(s);
        rf_profile_cleanup(pr);
        rc = rf_roletest_profile(s, roles, pr, NULL, err);
    }
    struct rf_role_close *cl = NULL;
    double norole;
    if (!rc && !(rc = rf_closest_all(pr, roles, &cl, &norole, err))) {
        out->closest = cl[0].role == role;
        free(cl);
    }
    rf_cat_session_free(s);
    return rc;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    if (j->measure &&
        (j->rc = rf_profile_init(&pr, j->S->p->q.lo, j->S->p->q.hi, j->S->p->q.n, &j->err)))
        return NULL;
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        j->rc = j->measure ? measure(j->S, i, &pr, &j->out[i - j->lo], &j->err)
                           : live_test(j->S, i, &j->out[i - j->lo], &j->err);
    rf_profile_cleanup(&pr);
    return NULL;
}

/* Runs [lo, hi) live tests or measured people on the threads; out[hi - lo]. */
static rf_status parallel(const struct sim *S, size_t lo, size_t hi, int meas, struct slot *out,
                          struct rf_err *err)
{
    size_t n = hi - lo, nt = S->o->threads ? S->o->threads : 1;
    if (nt > n)
        nt = n;
    if (nt > RF_CAT_SIM_MAX_THREADS)
        nt = RF_CAT_SIM_MAX_THREADS;
    if (!n)
        return RF_OK;
    struct job jobs[RF_CAT_SIM_MAX_THREADS];
    memset(jobs, 0, sizeof jobs);
    for (size_t k = 0; k < nt; k++) {
        jobs[k].S = S;
        jobs[k].lo = lo + n * k / nt;
        jobs[k].hi = lo + n * (k + 1) / nt;
        jobs[k].measure = meas;
        jobs[k].out = out + n * k / nt;
    }
    rf_status rc = rf_cat_sim_parallel(nt, worker, jobs, sizeof jobs[0], err);
    for (size_t k = 0; k < nt && !rc; k++)
        if (jobs[k].rc)
            rc = rf_err_set(err, jobs[k].rc, "%s", jobs[k].err.msg);
    return rc;
}

/* Builds the pool over the bank as it stands, the role tests' designs and
 * the pretest list. */
static rf_status rebuild(struct sim *S, struct rf_err *err)
{
    rf_cat_pool_free(S->p);
    S->p = NULL;
    free(S->tk);
    S->tk = NULL;
    rf_status rc =
        rf_cat_pool_from_bank(S->b, RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL, S->q, &S->p, err);
    if (rc)
        return rc;
    if (S->p->n != S->n)
        return rf_err_set(err, RF_EINVAL,
                          "online study: the pool holds %zu of the bank's %zu items", S->p->n,
                          S->n);
    S->tk = rf_alloc_array(S->p->nskills ? S->p->nskills : 1, sizeof *S->tk);
    if (!S->tk)
        return rf_err_set(err, RF_ENOMEM, "online study: out of memory");
    for (size_t k = 0; k < S->p->nskills; k++)
        if (rf_taxonomy_find(S->roles->tax, S->p->skills[k], &S->tk[k]) || S->tk[k] >= MAX_TAX)
            S->tk[k] = SIZE_MAX;
    for (size_t k = 0; k < S->roles->n && !rc; k++)
        rc = rf_roletest_design(&S->d[k], S->p, S->roles, &S->roles->roles[k], err);
    S->npre = 0;
    for (size_t i = 0; i < S->n; i++)
        if (S->scored[i] && S->b->items[i].pool == RF_POOL_PRETEST && !S->b->items[i].retired)
            S->pre[S->npre++] = (uint32_t)i;
    return rc;
}

/* Where each skill's scale sits against the truth (onlinesim.h): the
 * measured people's mean score error per taxonomy skill, and the bank's
 * mean b error per pool skill. */
static void origin_of(const struct sim *S, struct rf_onlinesim_point *pt, const struct slot *buf,
                      size_t n)
{
    double s2 = 0, ns = 0;
    for (size_t t = 0; t < MAX_TAX; t++) {
        double sum = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (buf[i].has[t]) {
                sum += buf[i].dev[t];
                m++;
            }
        pt->skill_n[t] = m;
        pt->skill_bias[t] = m ? sum / (double)m : NAN;
        if (m) {
            s2 += pt->skill_bias[t] * pt->skill_bias[t];
            ns++;
        }
    }
    pt->bias_rms = ns ? sqrt(s2 / ns) : NAN;
    double o2 = 0, la = 0, nla = 0, no = 0;
    for (size_t t = 0; t < MAX_TAX; t++)
        pt->bank_origin[t] = NAN;
    for (size_t k = 0; k < S->p->nskills; k++) {
        double sum = 0;
        size_t m = 0;
        for (size_t i = 0; i < S->n; i++) {
            const struct rf_irt_item *c = &S->b->items[i].irt, *t = &S->truth[i];
            if (!S->p->usable[i] || !S->scored[i] || S->p->skill[i] != k)
                continue;
            double d = 0;
            if (c->ncat == 2) {
                d = c->b - t->b;
            } else {
                for (size_t j = 0; j + 1 < c->ncat; j++)
                    d += c->thr[j] - t->thr[j];
                d /= (double)(c->ncat - 1);
            }
            sum += d;
            m++;
            if (c->a > 0 && t->a > 0) {
                la += log(c->a / t->a);
                nla++;
            }
        }
        if (!m)
            continue;
        if (S->tk[k] != SIZE_MAX)
            pt->bank_origin[S->tk[k]] = sum / (double)m;
        o2 += (sum / (double)m) * (sum / (double)m);
        no++;
    }
    pt->bank_origin_rms = no ? sqrt(o2 / no) : NAN;
    pt->bank_loga_bias = nla ? la / nla : NAN;
}

/* Measures the current bank into pt. */
static rf_status measure_all(struct sim *S, struct rf_onlinesim_point *pt, struct slot *buf,
                             struct rf_err *err)
{
    size_t n = S->o->nmeasure;
    rf_status rc = parallel(S, 0, n, 1, buf, err);
    if (rc)
        return rc;
    double sd = 0, len = 0, hit = 0, e2 = 0, cov = 0;
    for (size_t i = 0; i < n; i++) {
        sd += buf[i].sd;
        cov += buf[i].cover;
        e2 += buf[i].err2;
        len += buf[i].len;
        hit += buf[i].closest;
    }
    pt->sd = sd / (double)n;
    pt->theta_rmse = sqrt(e2 / (double)n);
    pt->len = len / (double)n;
    pt->closest = hit / (double)n;
    pt->cover95 = cov / (double)n;
    /* The bank against the truth, over the usable dichotomous items. */
    double ea = 0, eb = 0;
    size_t m = 0;
    for (size_t i = 0; i < S->n; i++) {
        const struct rf_irt_item *c = &S->b->items[i].irt, *t = &S->truth[i];
        if (!S->p->usable[i] || c->ncat != 2)
            continue;
        ea += (c->a - t->a) * (c->a - t->a);
        eb += (c->b - t->b) * (c->b - t->b);
        m++;
    }
    pt->rmse_a = m ? sqrt(ea / (double)m) : NAN;
    pt->rmse_b = m ? sqrt(eb / (double)m) : NAN;
    /* The same over the items whose parameters are an accepted estimate. */
    ea = eb = 0;
    m = 0;
    double bias = 0;
    for (size_t i = 0; i < S->n; i++) {
        const struct rf_irt_item *c = &S->b->items[i].irt, *t = &S->truth[i];
        if (!S->p->usable[i] || c->ncat != 2 || !S->estimated[i])
            continue;
        ea += (c->a - t->a) * (c->a - t->a);
        eb += (c->b - t->b) * (c->b - t->b);
        bias += c->b - t->b;
        m++;
    }
    pt->est_rmse_a = m ? sqrt(ea / (double)m) : NAN;
    pt->est_rmse_b = m ? sqrt(eb / (double)m) : NAN;
    pt->est_bias_b = m ? bias / (double)m : NAN;
    origin_of(S, pt, buf, n);
    return RF_OK;
}

/* Each scored answer's leave-one-out posterior of its skill from the
 * test's other scored answers, at the bank's current parameters. */
static rf_status loo(struct sim *S, struct rf_err *err)
{
    double *work = rf_alloc_array(2 * S->q->n, sizeof *work);
    if (!work)
        return rf_err_set(err, RF_ENOMEM, "online study: out of memory");
    const struct rf_irt_item *its[RF_CAT_MAX_PRETEST + 128];
    int ks[RF_CAT_MAX_PRETEST + 128];
    double mean[RF_CAT_MAX_PRETEST + 128], sd[RF_CAT_MAX_PRETEST + 128];
    size_t idx[RF_CAT_MAX_PRETEST + 128];
    unsigned char *done = rf_calloc_array(RF_CAT_MAX_PRETEST + 128, 1);
    if (!done) {
        free(work);
        return rf_err_set(err, RF_ENOMEM, "online study: out of memory");
    }
    for (size_t lo = 0; lo < S->nans;) {
        size_t hi = lo;
        while (hi < S->nans && S->ans[hi].test == S->ans[lo].test)
            hi++;
        size_t len = hi - lo < RF_CAT_MAX_PRETEST + 128 ? hi - lo : RF_CAT_MAX_PRETEST + 128;
        memset(done, 0, len);
        for (size_t a = 0; a < len; a++) {
            const struct rec *x = &S->ans[lo + a];
            if (done[a] || !isnan(x->theta)) /* a pretest answer keeps its own */
                continue;
            size_t g = 0, sk = S->p->skill[x->item];
            for (size_t e = a; e < len; e++) {
                const struct rec *y = &S->ans[lo + e];
                if (!done[e] && isnan(y->theta) && S->p->skill[y->item] == sk) {
                    done[e] = 1;
                    idx[g] = lo + e;
                    its[g] = &S->b->items[y->item].irt;
                    ks[g++] = y->k;
                }
            }
            rf_drift_loo(its, ks, g, S->q, mean, sd, work);
            for (size_t e = 0; e < g; e++) {
                S->ans[idx[e]].sd = -sd[e]; /* negative: a scored answer's LOO posterior */
                S->ans[idx[e]].theta = mean[e];
            }
        }
        lo = hi;
    }
    free(done);
    free(work);
    return RF_OK;
}

static int in_ranges(const struct rf_irt_item *e, const struct rf_online_rules *ru)
{
    if (!(e->a >= ru->min_a && e->a <= ru->max_a))
        return 0;
    if (e->ncat == 2)
        return fabs(e->b) <= ru->max_abs_b;
    for (size_t k = 0; k + 1 < e->ncat; k++)
        if (!(fabs(e->thr[k]) <= ru->max_abs_b))
            return 0;
    return 1;
}

/* The operational items by the empirical-Bayes re-estimation (recal.h):
 * the usable operational items, their scored answers in test order; the
 * whole re-estimate accepted when the held-out rule accepts it. */
static rf_status learn_eb(struct sim *S, struct rf_onlinesim_point *pt, struct rf_err *err)
{
    size_t *map = rf_alloc_array(S->n ? S->n : 1, sizeof *map), ni = 0, na = 0;
    size_t *inv = rf_alloc_array(S->n ? S->n : 1, sizeof *inv);
    struct rf_recal_item *ri = rf_calloc_array(S->n ? S->n : 1, sizeof *ri);
    struct rf_recal_answer *ra = rf_alloc_array(S->nans ? S->nans : 1, sizeof *ra);
    rf_status rc = RF_OK;
    if (!map || !inv || !ri || !ra) {
        rc = rf_err_set(err, RF_ENOMEM, "online study: out of memory");
        goto out;
    }
    for (size_t i = 0; i < S->n; i++) {
        map[i] = SIZE_MAX;
        if (!S->p->usable[i] || !S->scored[i] || S->b->items[i].pool == RF_POOL_PRETEST)
            continue;
        map[i] = ni;
        inv[ni] = i;
        ri[ni++] = (struct rf_recal_item){S->b->items[i].id, S->p->skill[i], S->b->items[i].irt,
                                          S->prior[i]};
    }
    for (size_t a = 0; a < S->nans; a++) {
        const struct rec *x = &S->ans[a];
        if (isnan(x->theta) && map[x->item] != SIZE_MAX)
            ra[na++] = (struct rf_recal_answer){x->test, (uint32_t)map[x->item], x->k};
    }
    struct rf_recal_opts ro;
    rf_recal_opts_default(&ro);
    ro.seed = S->o->seed;
    ro.heldout_from = S->eb_fresh; /* tests the current bank has not seen */
    ro.abilities = S->o->eb_abilities;
    ro.latent = S->o->eb_latent;
    ro.anchor = S->o->eb_anchor;
    ro.max_shift = S->o->eb_max_shift;
    ro.threads = (int)(S->o->threads < 16 ? S->o->threads : 16);
    struct rf_recal_result res;
    if ((rc = rf_recal_run(ri, ni, S->p->nskills, ra, na, &ro, &res, err)))
        goto out;
    pt->eb_run = 1;
    pt->eb_accept = res.accept;
    pt->ll_current = res.ll_current;
    pt->ll_new = res.ll_new;
    pt->ll_se = res.ll_se;
    pt->mu_loga = res.mu_loga;
    pt->sd_loga = res.sd_loga;
    pt->sd_b = res.sd_b;
    pt->mu_c = res.mu_c;
    pt->lat_mu0 = res.lat_mu0;
    pt->lat_tau = res.lat_tau;
    pt->eb_scale_ok = res.scale_ok;
    pt->eb_shift_max = 0;
    for (size_t k = 0; k < res.nskills; k++)
        if (res.shift_n[k] >= RF_RECAL_SHIFT_MIN_N && fabs(res.shift[k]) > pt->eb_shift_max)
            pt->eb_shift_max = fabs(res.shift[k]);
    if (res.accept) /* as the product's review takes them (app_review.c pretest_prior) */
        (void)rf_online_prior_from_hyper(&S->pre_prior, res.mu_loga, res.sd_loga, res.sd_b,
                                         res.mu_c);
    double lm = 0, ls = 0, nk = 0;
    for (size_t k = 0; k < res.nskills; k++)
        if (res.latent_mean[k] != 0 || res.latent_sd[k] != 1) {
            lm += res.latent_mean[k];
            ls += res.latent_sd[k];
            nk++;
        }
    pt->latent_mean = nk ? lm / nk : 0;
    pt->latent_sd = nk ? ls / nk : 1;
    if (res.accept || S->o->accept_all) {
        S->eb_fresh = S->nans ? (uint64_t)S->ans[S->nans - 1].test + 1 : 0;
    }
    if (res.accept || S->o->accept_all)
        for (size_t k = 0; k < res.n; k++) {
            size_t i = inv[res.items[k].item];
            S->b->items[i].irt = res.items[k].est;
            S->b->items[i].calibrated = 1;
            S->estimated[i] = 1;
        }
    rf_recal_result_cleanup(&res);
out:
    free(map);
    free(inv);
    free(ri);
    free(ra);
    return rc;
}

/* The review queue at a checkpoint: pretest items calibrated with the
 * operational ones fixed, then the operational items re-estimated; what
 * passes is accepted into the bank. */
static rf_status learn(struct sim *S, size_t *promoted, struct rf_onlinesim_point *pt,
                       struct rf_err *err)
{
    const struct rf_onlinesim_opts *o = S->o;
    struct rf_online_rules ru;
    rf_online_rules_default(&ru);
    ru.prior = S->pre_prior;
    rf_status rc = o->learn == RF_ONLINESIM_EB ? RF_OK : loo(S, err);
    if (rc)
        return rc;
    struct rf_online_item *items = rf_calloc_array(S->n, sizeof *items);
    struct rf_online_answer *ans = rf_alloc_array(S->nans ? S->nans : 1, sizeof *ans);
    if (!items || !ans) {
        free(items);
        free(ans);
        return rf_err_set(err, RF_ENOMEM, "online study: out of memory");
    }
    for (size_t i = 0; i < S->n; i++) {
        items[i].id = S->b->items[i].id;
        items[i].skill = S->p->skill[i];
        items[i].irt = S->b->items[i].irt;
    }
    /* 1. Pretest items, the operational ones held at the bank's values. */
    size_t na = 0, npre_ans = 0;
    for (size_t i = 0; i < S->n; i++)
        items[i].pretest = S->b->items[i].pool == RF_POOL_PRETEST;
    for (size_t a = 0; a < S->nans; a++) {
        const struct rec *x = &S->ans[a];
        int pre = x->sd > 0;
        if (pre && !items[x->item].pretest)
            continue; /* a pretest answer of an item since promoted: not in this run */
        npre_ans += (size_t)pre;
        ans[na++] = (struct rf_online_answer){x->test, x->item, x->k, pre ? x->theta : NAN,
                                              pre ? x->sd : NAN};
    }
    struct rf_online_result res = {0};
    if (npre_ans && !(rc = rf_online_run(items, S->n, ans, na, &ru, 1, &res, err))) {
        for (size_t k = 0; k < res.n; k++) {
            const struct rf_online_result_item *ri = &res.items[k];
            struct rf_item *it = &S->b->items[ri->item];
            if (!ri->ok || ri->est.ncat != it->irt.ncat || !in_ranges(&ri->est, &ru) ||
                !(ri->ready || o->accept_all))
                continue;
            it->irt = ri->est;
            it->pool = RF_POOL_OPERATIONAL;
            it->calibrated = 1;
            S->estimated[ri->item] = 1;
            (*promoted)++;
        }
        rf_online_result_cleanup(&res);
    }
    /* 2. The operational items. */
    na = 0;
    for (size_t a = 0; !rc && a < S->nans; a++) {
        const struct rec *x = &S->ans[a];
        if (x->sd < 0 && S->p->usable[x->item])
            ans[na++] = (struct rf_online_answer){x->test, x->item, x->k, x->theta, -x->sd};
    }
    if (!rc && o->learn == RF_ONLINESIM_EB) {
        rc = learn_eb(S, pt, err);
    } else if (!rc && o->learn == RF_ONLINESIM_RECALIBRATE && na) {
        for (size_t i = 0; i < S->n; i++)
            items[i].pretest = S->p->usable[i];
        ru.prior.sd_b = 0; /* the operational items' b: no rating to centre a prior on */
        if (!(rc = rf_online_run(items, S->n, ans, na, &ru, 1, &res, err))) {
            for (size_t k = 0; k < res.n; k++) {
                const struct rf_online_result_item *ri = &res.items[k];
                struct rf_item *it = &S->b->items[ri->item];
                if (ri->ok && ri->n >= ru.min_n) {
                    int bad_b = 0;
                    for (size_t c = 0; c + 1 < ri->est.ncat; c++)
                        bad_b |= !(ri->se_b[c] <= ru.max_se_b);
                    pt->n200++;
                    pt->fail_se_a += !(ri->se_a <= ru.max_se_a);
                    pt->fail_se_b += (size_t)bad_b;
                    pt->fail_fit += !(ri->fit_p >= ru.min_fit_p);
                }
                if (!ri->ok || ri->est.ncat != it->irt.ncat || !in_ranges(&ri->est, &ru) ||
                    !(ri->ready || o->accept_all))
                    continue;
                it->irt = ri->est;
                it->calibrated = 1;
                S->estimated[ri->item] = 1;
            }
            rf_online_result_cleanup(&res);
        }
    } else if (!rc && na) {
        struct rf_drift_item *di = rf_calloc_array(S->n, sizeof *di);
        struct rf_drift_answer *da = rf_alloc_array(na, sizeof *da);
        struct rf_drift_rules dr;
        rf_drift_rules_default(&dr);
        struct rf_drift_result dres = {0};
        if (!di || !da)
            rc = rf_err_set(err, RF_ENOMEM, "online study: out of memory");
        for (size_t i = 0; !rc && i < S->n; i++)
            di[i] = (struct rf_drift_item){S->b->items[i].id, S->b->items[i].irt};
        for (size_t a = 0; !rc && a < na; a++)
            da[a] = (struct rf_drift_answer){ans[a].item, ans[a].k, ans[a].theta, ans[a].sd};
        if (!rc && !(rc = rf_drift_run(di, S->n, da, na, &dr, &dres, err))) {
            for (size_t k = 0; k < dres.n; k++) {
                const struct rf_drift_result_item *ri = &dres.items[k];
                if (!(ri->flagged || (o->accept_all && ri->tested)))
                    continue;
                struct rf_irt_item *it = &S->b->items[ri->item].irt;
                if (it->ncat == 2)
                    it->b += ri->shift;
                else
                    for (size_t c = 0; c + 1 < it->ncat; c++)
                        it->thr[c] += ri->shift;
                S->estimated[ri->item] = 1;
            }
            rf_drift_result_cleanup(&dres);
        }
        free(di);
        free(da);
    }
    /* The stored posteriors were for this run's parameters: back to NaN. */
    for (size_t a = 0; a < S->nans; a++)
        if (S->ans[a].sd < 0)
            S->ans[a].theta = S->ans[a].sd = NAN;
    free(items);
    free(ans);
    return rc;
}

static rf_status check_opts(const struct rf_onlinesim_opts *o, const struct rf_roles *roles,
                            struct rf_err *err)
{
    if (o->ncheck < 1 || o->ncheck > RF_ONLINESIM_MAX_CHECKPOINTS)
        return rf_err_set(err, RF_EINVAL, "online study: 1 to %d checkpoints",
                          RF_ONLINESIM_MAX_CHECKPOINTS);
    for (size_t k = 0; k < o->ncheck; k++)
        if (o->checkpoints[k] == 0 || (k && o->checkpoints[k] <= o->checkpoints[k - 1]))
            return rf_err_set(err, RF_EINVAL,
                              "online study: checkpoints must be positive and increasing");
    if (o->checkpoints[o->ncheck - 1] > UINT32_MAX / 2)
        return rf_err_set(err, RF_EINVAL, "online study: too many live tests");
    if (o->nmeasure == 0)
        return rf_err_set(err, RF_EINVAL, "online study: no people to measure");
    if (o->live != RF_ROLESIM_REFERENCE && o->live != RF_ROLESIM_ROLE && o->live != RF_ROLESIM_MIX)
        return rf_err_set(err, RF_EINVAL,
                          "online study: the live takers are reference, role or mix");
    if (o->pretest_per_test > RF_CAT_MAX_PRETEST)
        return rf_err_set(err, RF_EINVAL, "online study: at most %d pretest items a test",
                          RF_CAT_MAX_PRETEST);
    if (roles->n == 0)
        return rf_err_set(err, RF_EINVAL, "online study: no roles");
    if (roles->n > RF_CAT_MAX_CLASSES)
        return rf_err_set(err, RF_ETOOBIG, "online study: %zu roles, at most %d", roles->n,
                          RF_CAT_MAX_CLASSES);
    if (roles->tax->nskills > MAX_TAX)
        return rf_err_set(err, RF_ETOOBIG, "online study: %zu skills, at most %d",
                          roles->tax->nskills, MAX_TAX);
    return RF_OK;
}

rf_status rf_onlinesim_run(struct rf_bank *b, const struct rf_roles *roles, const struct rf_quad *q,
                           const struct rf_onlinesim_opts *o, struct rf_onlinesim_result *r,
                           struct rf_err *err)
{
    rf_status rc = check_opts(o, roles, err);
    if (rc)
        return rc;
    memset(r, 0, sizeof *r);
    struct sim S;
    memset(&S, 0, sizeof S);
    rf_online_prior_default(&S.pre_prior);
    S.b = b;
    S.roles = roles;
    S.q = q;
    S.o = o;
    S.n = b->n;
    size_t n = b->n ? b->n : 1, maxn = o->nmeasure;
    for (size_t k = 0; k < o->ncheck; k++) {
        size_t seg = o->checkpoints[k] - (k ? o->checkpoints[k - 1] : 0);
        if (seg > maxn)
            maxn = seg;
    }
    struct rf_irt_item *prior = rf_calloc_array(n, sizeof *prior);
    struct slot *buf = rf_calloc_array(maxn, sizeof *buf);
    S.truth = rf_calloc_array(n, sizeof *S.truth);
    S.prior = prior;
    S.scored = rf_calloc_array(n, 1);
    S.estimated = rf_calloc_array(n, 1);
    S.started_pre = rf_calloc_array(n, 1);
    S.pre = rf_calloc_array(n, sizeof *S.pre);
    S.d = rf_calloc_array(roles->n, sizeof *S.d);
    if (!prior || !buf || !S.truth || !S.scored || !S.estimated || !S.started_pre || !S.pre ||
        !S.d) {
        rc = rf_err_set(err, RF_ENOMEM, "online study: out of memory");
        goto done;
    }
    /* The truth and the priors. */
    struct rf_rng tr;
    rf_rng_substream(&tr, o->seed ^ RF_ONLINESIM_TRUTH_SALT, 0);
    for (size_t i = 0; i < b->n; i++) {
        const struct rf_item *it = &b->items[i];
        S.scored[i] = it->type != RF_ITEM_RUBRIC;
        prior_of(it, &prior[i]);
        truth_of(it, &prior[i], &tr, &S.truth[i]);
    }
    /* The reference: the true parameters known. */
    for (size_t i = 0; i < b->n; i++)
        if (S.scored[i]) {
            b->items[i].irt = S.truth[i];
            b->items[i].calibrated = 1;
        }
    if ((rc = rebuild(&S, err)) || (rc = measure_all(&S, &r->calibrated, buf, err)))
        goto done;
    /* The product's bank: the authors' priors; pretest items drawn from
     * the operational pool (selection sampling, bank order). */
    size_t cand = 0;
    for (size_t i = 0; i < b->n; i++) {
        b->items[i].irt = prior[i];
        b->items[i].calibrated = 0;
        cand += S.scored[i] && S.p->usable[i];
    }
    r->items = cand;
    if (o->pretest_items > cand / 2) {
        rc = rf_err_set(err, RF_EINVAL,
                        "online study: %zu pretest items, at most half the %zu operational ones",
                        o->pretest_items, cand);
        goto done;
    }
    size_t npick = 0;
    for (size_t i = 0, left = cand; i < b->n && npick < o->pretest_items; i++) {
        if (!(S.scored[i] && S.p->usable[i]))
            continue;
        if (rf_rng_below(&tr, left--) < o->pretest_items - npick) {
            b->items[i].pool = RF_POOL_PRETEST;
            b->items[i].pool_set = 1;
            S.started_pre[i] = 1;
            npick++;
        }
    }
    if ((rc = rebuild(&S, err)))
        goto done;
    size_t usable = 0;
    for (size_t i = 0; i < S.n; i++)
        usable += S.p->usable[i];
    struct rf_onlinesim_point *pt = &r->points[0];
    if ((rc = measure_all(&S, pt, buf, err)))
        goto done;
    r->npoints = 1;
    size_t done_tests = 0, promoted = 0;
    for (size_t k = 0; k < o->ncheck; k++) {
        size_t to = o->checkpoints[k];
        if ((rc = parallel(&S, done_tests, to, 0, buf, err)))
            goto done;
        size_t add = 0;
        for (size_t t = 0; t < to - done_tests; t++)
            add += buf[t].n;
        if (S.nans + add > S.cap) {
            size_t nc = (S.nans + add) * 2;
            struct rec *na = realloc(S.ans, nc * sizeof *na);
            if (!na) {
                rc = rf_err_set(err, RF_ENOMEM, "online study: out of memory");
                goto done;
            }
            S.ans = na;
            S.cap = nc;
        }
        for (size_t t = 0; t < to - done_tests; t++)
            for (size_t j = 0; j < buf[t].n; j++) {
                S.ans[S.nans++] = buf[t].r[j];
                if (isnan(buf[t].r[j].theta))
                    S.nscored++;
                else
                    S.npretest_ans++;
            }
        done_tests = to;
        if ((rc = learn(&S, &promoted, &r->points[r->npoints], err)) || (rc = rebuild(&S, err)))
            goto done;
        pt = &r->points[r->npoints];
        if ((rc = measure_all(&S, pt, buf, err)))
            goto done;
        pt->tests = to;
        pt->promoted = promoted;
        for (size_t i = 0; i < S.n; i++)
            pt->estimated += S.estimated[i] && !S.started_pre[i];
        pt->answers_per_item = usable ? (double)S.nscored / (double)usable : 0;
        size_t *cnt = rf_calloc_array(S.n, sizeof *cnt);
        if (!cnt) {
            rc = rf_err_set(err, RF_ENOMEM, "online study: out of memory");
            goto done;
        }
        for (size_t a = 0; a < S.nans; a++)
            cnt[S.ans[a].item] += isnan(S.ans[a].theta);
        for (size_t i = 0; i < S.n; i++)
            pt->answered200 += S.p->usable[i] && cnt[i] >= RF_ONLINE_MIN_N;
        free(cnt);
        pt->pretest_answers = npick ? (double)S.npretest_ans / (double)npick : 0;
        r->npoints++;
    }
done:
    rf_cat_pool_free(S.p);
    free(S.tk);
    free(S.truth);
    free(S.scored);
    free(S.estimated);
    free(S.started_pre);
    free(S.pre);
    free(S.d);
    free(S.ans);
    free(prior);
    free(buf);
    return rc;
}
