/*
 * Simulation studies (see sim.h). Workers own a session and per-item
 * counters; every per-examinee figure goes into arrays indexed by examinee,
 * which are reduced in examinee order after the workers join, so sums do not
 * depend on how examinees were split among threads.
 */
#include "cat/sim.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"

/* Substream offset of the baseline's answers, so they do not reuse the adaptive draws. */
#define BASELINE_STREAM 0x5bd1e995ULL

struct per_examinee {
    double *truth, *est, *se; /* [N][nscope] */
    size_t *items;            /* [N][nscope] */
    size_t *len;              /* [N] */
    unsigned char *capped, *early;
};

struct job {
    const struct rf_cat_pool *p;
    const struct rf_cat_design *d;
    const struct rf_cat_sim_opts *o;
    struct per_examinee *pe;
    size_t lo, hi;
    size_t *selected, *given; /* worker's own counters [pool n] */
    /* baseline: the form's items and per-skill lengths */
    const uint32_t *form;
    size_t nform;
    double *post; /* worker's workspace [nq] */
    rf_status rc;
    struct rf_err err;
};

size_t rf_cat_sim_draw(const struct rf_irt_item *it, double theta, struct rf_rng *r)
{
    double pr[RF_MAX_CATEGORIES];
    rf_irt_probs(it, theta, pr);
    double u = rf_rng_uniform(r), acc = 0;
    for (size_t k = 0; k + 1 < it->ncat; k++) {
        acc += pr[k];
        if (u < acc)
            return k;
    }
    return it->ncat - 1;
}

/* Examinee i's true thetas: given, or drawn from the population the design's
 * prior assumes: N(0, 1) per skill, correlated through g when the design has
 * loadings (theta_k = lambda_k g + sqrt(1 - lambda_k^2) e_k; docs/cat.md "The
 * higher-order model"). Without loadings no g is drawn, so the stream of
 * draws is the one independent designs always had. */
static void true_theta(const struct job *j, size_t i, struct rf_rng *r, double *truth)
{
    size_t ns = j->d->nscope;
    int loaded = 0;
    for (size_t k = 0; k < ns; k++)
        loaded |= j->d->lambda[k] != 0;
    double g = !j->o->theta && loaded ? rf_rng_normal(r) : 0;
    for (size_t k = 0; k < ns; k++) {
        double la = j->d->lambda[k];
        truth[k] = j->o->theta ? j->o->theta[i * ns + k]
                               : la * g + sqrt(1 - la * la) * rf_rng_normal(r);
    }
}

static void *adaptive_worker(void *arg)
{
    struct job *j = arg;
    const struct rf_cat_pool *p = j->p;
    size_t ns = j->d->nscope;
    struct rf_cat_session *s;
    j->rc = rf_cat_session_new(p, j->d, 0, &s, &j->err);
    if (j->rc)
        return NULL;
    for (size_t i = j->lo; i < j->hi; i++) {
        struct rf_rng r;
        rf_rng_substream(&r, j->o->seed, i);
        double *truth = j->pe->truth + i * ns;
        true_theta(j, i, &r, truth);
        rf_cat_session_reset(s, rf_rng_next(&r));
        for (;;) {
            size_t item;
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            size_t k = 0;
            while (j->d->scope[k] != p->skill[item])
                k++;
            rf_cat_answer(s, item, rf_cat_sim_draw(&p->irt[item], truth[k], &r));
            j->given[item]++;
            j->selected[item]++;
        }
        for (size_t b = 0; b < rf_cat_nblocked(s); b++)
            j->selected[rf_cat_blocked(s, b)]++;
        int capped = rf_cat_stopped(s) == RF_CAT_STOP_MAX_ITEMS, early = 0;
        for (size_t k = 0; k < ns; k++) {
            struct rf_cat_skill_result sr;
            rf_cat_skill(s, k, &sr);
            j->pe->est[i * ns + k] = sr.theta;
            j->pe->se[i * ns + k] = sr.se;
            j->pe->items[i * ns + k] = sr.items;
            capped |= sr.state == RF_CAT_SKILL_MAX || sr.state == RF_CAT_SKILL_UNREACHABLE ||
                      (sr.state == RF_CAT_SKILL_OPEN && sr.se > j->d->rule[k].se);
            early |= sr.state == RF_CAT_SKILL_UNREACHABLE;
        }
        j->pe->len[i] = rf_cat_nanswered(s);
        j->pe->capped[i] = (unsigned char)capped;
        j->pe->early[i] = (unsigned char)early;
    }
    rf_cat_session_free(s);
    return NULL;
}

/* The fixed form: the same examinees answer every item of the form; EAP per
 * skill on the pool's grid, renormalized after each item. */
static void *baseline_worker(void *arg)
{
    struct job *j = arg;
    const struct rf_cat_pool *p = j->p;
    size_t ns = j->d->nscope, nq = p->q.n;
    for (size_t i = j->lo; i < j->hi; i++) {
        struct rf_rng r;
        rf_rng_substream(&r, j->o->seed ^ BASELINE_STREAM, i);
        const double *truth = j->pe->truth + i * ns;
        size_t len = 0;
        for (size_t k = 0; k < ns; k++) {
            memcpy(j->post, p->q.w, nq * sizeof(double));
            size_t n = 0;
            for (size_t f = 0; f < j->nform; f++) {
                size_t item = j->form[f];
                if (p->skill[item] != j->d->scope[k])
                    continue;
                size_t cat = rf_cat_sim_draw(&p->irt[item], truth[k], &r);
                const double *pt = p->ptab + p->poff[item] + cat * nq;
                double tot = 0;
                for (size_t q = 0; q < nq; q++) {
                    double v = j->post[q] * pt[q];
                    v = v < 1e-280 ? 0 : v;
                    j->post[q] = v;
                    tot += v;
                }
                for (size_t q = 0; q < nq; q++)
                    j->post[q] /= tot;
                n++;
            }
            double m1 = 0, m2 = 0;
            for (size_t q = 0; q < nq; q++) {
                m1 += j->post[q] * p->q.x[q];
                m2 += j->post[q] * p->q.x[q] * p->q.x[q];
            }
            double v = m2 - m1 * m1;
            j->pe->est[i * ns + k] = m1;
            j->pe->se[i * ns + k] = v > 0 ? sqrt(v) : 0;
            j->pe->items[i * ns + k] = n;
            len += n;
        }
        j->pe->len[i] = len;
        j->pe->capped[i] = 0;
        j->pe->early[i] = 0;
    }
    return NULL;
}

static void pe_free(struct per_examinee *pe)
{
    free(pe->truth);
    free(pe->est);
    free(pe->se);
    free(pe->items);
    free(pe->len);
    free(pe->capped);
    free(pe->early);
}

static rf_status pe_alloc(struct per_examinee *pe, size_t n, size_t ns, struct rf_err *err)
{
    memset(pe, 0, sizeof *pe);
    pe->truth = rf_alloc_array(n * ns, sizeof(double));
    pe->est = rf_alloc_array(n * ns, sizeof(double));
    pe->se = rf_alloc_array(n * ns, sizeof(double));
    pe->items = rf_alloc_array(n * ns, sizeof(size_t));
    pe->len = rf_alloc_array(n, sizeof(size_t));
    pe->capped = rf_alloc_array(n, 1);
    pe->early = rf_alloc_array(n, 1);
    if (!pe->truth || !pe->est || !pe->se || !pe->items || !pe->len || !pe->capped || !pe->early) {
        pe_free(pe);
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    }
    return RF_OK;
}

rf_status rf_cat_sim_parallel(size_t nt, void *(*fn)(void *), void *jobs, size_t job_size,
                              struct rf_err *err)
{
    pthread_t tid[RF_CAT_SIM_MAX_THREADS];
    size_t started = 0;
    rf_status rc = RF_OK;
    if (nt > RF_CAT_SIM_MAX_THREADS)
        return rf_err_set(err, RF_EINVAL, "simulation: %zu threads, at most %d", nt,
                          RF_CAT_SIM_MAX_THREADS);
    for (size_t t = 1; t < nt; t++) {
        if (pthread_create(&tid[t], NULL, fn, (char *)jobs + t * job_size) != 0) {
            rc = rf_err_set(err, RF_ENOMEM, "simulation: cannot start a thread");
            break;
        }
        started = t;
    }
    if (!rc && nt)
        fn(jobs);
    for (size_t t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return rc;
}

/* Runs fn over examinees [0, N) split into o->threads contiguous blocks. */
static rf_status run_jobs(void *(*fn)(void *), const struct rf_cat_pool *p,
                          const struct rf_cat_design *d, const struct rf_cat_sim_opts *o,
                          struct per_examinee *pe, const uint32_t *form, size_t nform,
                          size_t *selected, size_t *given, struct rf_err *err)
{
    size_t nt = o->threads ? o->threads : 1, n = o->nexaminees;
    if (n == 0)
        return RF_OK; /* no examinees, nothing to run (job 0 would be empty) */
    if (nt > n)
        nt = n;
    if (nt > RF_CAT_SIM_MAX_THREADS)
        nt = RF_CAT_SIM_MAX_THREADS;
    struct job jobs[RF_CAT_SIM_MAX_THREADS];
    rf_status rc = RF_OK;
    memset(jobs, 0, sizeof jobs);
    for (size_t t = 0; t < nt; t++) {
        struct job *j = &jobs[t];
        j->p = p;
        j->d = d;
        j->o = o;
        j->pe = pe;
        j->lo = n * t / nt;
        j->hi = n * (t + 1) / nt;
        j->form = form;
        j->nform = nform;
        j->selected = rf_calloc_array(p->n ? p->n : 1, sizeof(size_t));
        j->given = rf_calloc_array(p->n ? p->n : 1, sizeof(size_t));
        j->post = rf_alloc_array(p->q.n, sizeof(double));
        if (!j->selected || !j->given || !j->post) {
            rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
            goto out;
        }
    }
    if ((rc = rf_cat_sim_parallel(nt, fn, jobs, sizeof jobs[0], err)))
        goto out;
    for (size_t t = 0; t < nt; t++)
        if (jobs[t].rc) {
            rc = jobs[t].rc;
            rf_err_set(err, rc, "%s", jobs[t].err.msg);
            goto out;
        }
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i < p->n; i++) {
            if (selected)
                selected[i] += jobs[t].selected[i];
            if (given)
                given[i] += jobs[t].given[i];
        }
out:
    for (size_t t = 0; t < nt; t++) {
        free(jobs[t].selected);
        free(jobs[t].given);
        free(jobs[t].post);
    }
    return rc;
}

/* Reduces per-examinee figures and item counts into st, in examinee order. */
static rf_status reduce(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                        const struct per_examinee *pe, size_t n, const size_t *given,
                        struct rf_cat_sim_stats *st, struct rf_err *err)
{
    size_t ns = d->nscope, maxlen = 0;
    for (size_t i = 0; i < n; i++)
        if (pe->len[i] > maxlen)
            maxlen = pe->len[i];
    st->hist_n = maxlen + 1;
    st->hist = rf_calloc_array(st->hist_n, sizeof(size_t));
    if (!st->hist)
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    double s1 = 0, s2 = 0, capped = 0, early = 0;
    st->len_min = SIZE_MAX;
    st->len_max = 0;
    for (size_t i = 0; i < n; i++) {
        double l = (double)pe->len[i];
        s1 += l;
        s2 += l * l;
        st->hist[pe->len[i]]++;
        if (pe->len[i] < st->len_min)
            st->len_min = pe->len[i];
        if (pe->len[i] > st->len_max)
            st->len_max = pe->len[i];
        capped += pe->capped[i];
        early += pe->early[i];
    }
    double dn = (double)n;
    st->len_mean = s1 / dn;
    st->len_sd = n > 1 ? sqrt(fmax(0, (s2 - s1 * s1 / dn) / (dn - 1))) : 0;
    st->capped = capped / dn;
    st->early = early / dn;
    double tb = 0, tr = 0, tse = 0, tcov = 0;
    for (size_t k = 0; k < ns; k++) {
        double b = 0, r2 = 0, se = 0, cov = 0, items = 0;
        for (size_t i = 0; i < n; i++) {
            double e = pe->est[i * ns + k] - pe->truth[i * ns + k], s = pe->se[i * ns + k];
            b += e;
            r2 += e * e;
            se += s;
            cov += fabs(e) <= 1.959963984540054 * s;
            items += (double)pe->items[i * ns + k];
        }
        st->skill[k].bias = b / dn;
        st->skill[k].rmse = sqrt(r2 / dn);
        st->skill[k].mean_se = se / dn;
        st->skill[k].coverage = cov / dn;
        st->skill[k].mean_items = items / dn;
        tb += b;
        tr += r2;
        tse += se;
        tcov += cov;
    }
    double dt = dn * (double)ns;
    st->bias = tb / dt;
    st->rmse = sqrt(tr / dt);
    st->mean_se = tse / dt;
    st->coverage = tcov / dt;
    /* Exposure over the usable items of the scope; overlap (Chen, Ankenmann &
     * Spray 2003) as the expected number of items two examinees share over
     * the mean length: sum_i c_i (c_i - 1) / (N (N - 1)) / mean length. */
    double emax = 0, esum = 0, pairs = 0;
    size_t nit = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (!p->usable[i])
            continue;
        int in = 0;
        for (size_t k = 0; k < ns; k++)
            in |= d->scope[k] == p->skill[i];
        if (!in)
            continue;
        double rate = (double)given[i] / dn;
        emax = fmax(emax, rate);
        esum += rate;
        nit++;
        pairs += (double)given[i] * ((double)given[i] - 1);
    }
    st->exp_max = emax;
    st->exp_mean = nit ? esum / (double)nit : 0;
    st->overlap = n > 1 && st->len_mean > 0 ? pairs / (dn * (dn - 1)) / st->len_mean : 0;
    return RF_OK;
}

void rf_cat_sim_cleanup(struct rf_cat_sim_result *r)
{
    if (!r)
        return;
    free(r->adaptive.hist);
    free(r->baseline.hist);
    free(r->selected);
    free(r->given);
    memset(r, 0, sizeof *r);
}

struct rank {
    double v;
    uint32_t i;
};

static int cmp_rank(const void *x, const void *y)
{
    const struct rank *a = x, *b = y;
    if (a->v != b->v)
        return a->v > b->v ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* The fixed form: per scope skill the L_k usable items with the largest
 * prior-weighted information, L_k = the adaptive mean items of the skill,
 * rounded. */
static rf_status make_form(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                           const struct rf_cat_sim_stats *ad, uint32_t *form, size_t *nform,
                           size_t *form_len, struct rf_err *err)
{
    size_t total = 0;
    struct rank *w = rf_alloc_array(p->n ? p->n : 1, sizeof *w);
    if (!w)
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    for (size_t k = 0; k < d->nscope; k++) {
        size_t sk = d->scope[k], m = 0;
        const uint32_t *its = p->skill_items + p->skill_off[sk];
        for (size_t c = 0; c < p->nusable[sk]; c++) {
            w[m].i = its[c];
            w[m].v = p->prior_info[its[c]];
            m++;
        }
        qsort(w, m, sizeof *w, cmp_rank);
        size_t L = (size_t)floor(ad->skill[k].mean_items + 0.5);
        if (L > m)
            L = m;
        form_len[k] = L;
        for (size_t c = 0; c < L; c++)
            form[total++] = w[c].i;
    }
    free(w);
    *nform = total;
    return RF_OK;
}

rf_status rf_cat_simulate(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                          const struct rf_cat_sim_opts *o, struct rf_cat_sim_result *r,
                          struct rf_err *err)
{
    rf_status rc = rf_cat_design_check(d, p, err);
    if (rc)
        return rc;
    if (o->nexaminees == 0)
        return rf_err_set(err, RF_EINVAL, "simulation: no examinees");
    if (o->theta)
        for (size_t i = 0; i < o->nexaminees * d->nscope; i++)
            if (!isfinite(o->theta[i]))
                return rf_err_set(err, RF_EINVAL, "simulation: true theta %zu is not finite",
                                  i + 1);
    memset(r, 0, sizeof *r);
    r->nexaminees = o->nexaminees;
    r->nitems = p->n;
    struct per_examinee pe;
    if ((rc = pe_alloc(&pe, o->nexaminees, d->nscope, err)))
        return rc;
    uint32_t *form = NULL;
    size_t *bgiven = NULL;
    r->selected = rf_calloc_array(p->n ? p->n : 1, sizeof(size_t));
    r->given = rf_calloc_array(p->n ? p->n : 1, sizeof(size_t));
    if (!r->selected || !r->given) {
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
        goto out;
    }
    if ((rc = run_jobs(adaptive_worker, p, d, o, &pe, NULL, 0, r->selected, r->given, err)) ||
        (rc = reduce(p, d, &pe, o->nexaminees, r->given, &r->adaptive, err)))
        goto out;
    if (o->baseline) {
        size_t nform = 0;
        form = rf_alloc_array(p->n ? p->n : 1, sizeof *form);
        bgiven = rf_calloc_array(p->n ? p->n : 1, sizeof *bgiven);
        if (!form || !bgiven) {
            rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
            goto out;
        }
        if ((rc = make_form(p, d, &r->adaptive, form, &nform, r->form_len, err)))
            goto out;
        for (size_t f = 0; f < nform; f++)
            bgiven[form[f]] = o->nexaminees;
        if ((rc = run_jobs(baseline_worker, p, d, o, &pe, form, nform, NULL, NULL, err)) ||
            (rc = reduce(p, d, &pe, o->nexaminees, bgiven, &r->baseline, err)))
            goto out;
    }
out:
    pe_free(&pe);
    free(form);
    free(bgiven);
    if (rc)
        rf_cat_sim_cleanup(r);
    return rc;
}

rf_status rf_cat_sh_calibrate(struct rf_cat_pool *p, const struct rf_cat_design *d, double target,
                              size_t max_rounds, const struct rf_cat_sim_opts *o, size_t *rounds,
                              double *max_rate, struct rf_err *err)
{
    if (!(target > 0 && target <= 1))
        return rf_err_set(err, RF_EINVAL, "exposure target must be in (0, 1], got %g", target);
    if (max_rounds == 0)
        return rf_err_set(err, RF_EINVAL, "exposure calibration needs at least one round");
    struct rf_cat_design dd = *d;
    dd.exposure = 1;
    struct rf_cat_sim_opts oo = *o;
    oo.baseline = 0;
    for (size_t i = 0; i < p->n; i++)
        p->sh[i] = 1.0;
    size_t rnd = 0;
    double mx = 1;
    while (rnd < max_rounds) {
        struct rf_cat_sim_result r;
        rf_status rc = rf_cat_simulate(p, &dd, &oo, &r, err);
        if (rc)
            return rc;
        rnd++;
        mx = r.adaptive.exp_max;
        if (mx <= target) {
            rf_cat_sim_cleanup(&r);
            break;
        }
        double dn = (double)oo.nexaminees;
        for (size_t i = 0; i < p->n; i++) {
            double ps = (double)r.selected[i] / dn;
            p->sh[i] = ps > target ? target / ps : 1.0;
        }
        rf_cat_sim_cleanup(&r);
    }
    *rounds = rnd;
    *max_rate = mx;
    return RF_OK;
}

void rf_cat_gen_cleanup(struct rf_cat_gen *g)
{
    if (!g)
        return;
    for (size_t i = 0; g->strings && i < g->nstrings; i++)
        free(g->strings[i]);
    free(g->strings);
    free(g->items);
    memset(g, 0, sizeof *g);
}

rf_status rf_cat_generate(const char *const *skills, size_t nskills, size_t per_skill,
                          enum rf_model model, uint64_t seed, struct rf_cat_gen *g,
                          struct rf_err *err)
{
    memset(g, 0, sizeof *g);
    if (model != RF_MODEL_2PL && model != RF_MODEL_3PL && model != RF_MODEL_1PL)
        return rf_err_set(err, RF_EINVAL, "generated banks are 1PL, 2PL or 3PL");
    if (nskills == 0 || per_skill == 0)
        return rf_err_set(err, RF_EINVAL, "generated bank: no skills or no items");
    size_t n = nskills * per_skill;
    if (n / nskills != per_skill || n > 10000000)
        return rf_err_set(err, RF_ETOOBIG, "generated bank: too many items");
    g->items = rf_calloc_array(n, sizeof *g->items);
    g->strings = rf_calloc_array(n + nskills, sizeof *g->strings);
    if (!g->items || !g->strings) {
        rf_cat_gen_cleanup(g);
        return rf_err_set(err, RF_ENOMEM, "generated bank: out of memory");
    }
    for (size_t s = 0; s < nskills; s++) {
        char *sk = rf_strdup(skills[s]);
        if (!sk) {
            rf_cat_gen_cleanup(g);
            return rf_err_set(err, RF_ENOMEM, "generated bank: out of memory");
        }
        g->strings[g->nstrings++] = sk;
        struct rf_rng r;
        rf_rng_substream(&r, seed, (1ULL << 63) + s);
        for (size_t i = 0; i < per_skill; i++) {
            char buf[RF_MAX_ID_LEN + 32];
            snprintf(buf, sizeof buf, "%s.gen.%04zu", sk, i + 1);
            char *id = rf_strdup(buf);
            if (!id) {
                rf_cat_gen_cleanup(g);
                return rf_err_set(err, RF_ENOMEM, "generated bank: out of memory");
            }
            g->strings[g->nstrings++] = id;
            double a = exp(0.25 * rf_rng_normal(&r));
            double b = rf_rng_normal(&r);
            b = b > 2.8 ? 2.8 : b < -2.8 ? -2.8 : b;
            double c = 0.10 + 0.15 * rf_rng_uniform(&r);
            struct rf_cat_item *it = &g->items[g->n++];
            it->id = id;
            it->skill = sk;
            it->usable = 1;
            rf_irt_item_dich(&it->irt, model, model == RF_MODEL_1PL ? 1.0 : a, b, c);
        }
    }
    return RF_OK;
}
