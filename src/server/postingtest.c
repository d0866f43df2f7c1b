/* Posting tests and the ranking study (see postingtest.h). */
#include "server/postingtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "careers/rank.h"
#include "cat/sim.h"
#include "server/roletest.h"

/* Adds taxonomy skill k to d's scope as a decision at cut, with its loading. */
static rf_status add_skill(struct rf_cat_design *d, const struct rf_cat_pool *p,
                           const struct rf_taxonomy *tax, size_t k, double cut,
                           struct rf_cat_rule rule, struct rf_err *err)
{
    rf_status rc = rf_cat_design_add(d, p, tax->skills[k].id, rule, err);
    if (rc)
        return rc == RF_ENOTFOUND ? RF_EINVAL : rc;
    size_t j = d->nscope - 1;
    d->decide[j] = 1;
    d->cut[j] = cut;
    d->lambda[j] = tax->skills[k].loading;
    d->loadings_assumed |= !tax->skills[k].loading_calibrated;
    return RF_OK;
}

/* Items per skill at least: min, or what the limit leaves for n skills (>= 1). */
static size_t per_skill(size_t min, size_t max_items, size_t n)
{
    size_t m = n ? max_items / n : min;
    return m < 1 ? 1 : m < min ? m : min;
}

/* Whether objective requirement r has one term among the first nt. */
static int single_term(const struct rf_cat_design *d, size_t nt, size_t r)
{
    size_t n = 0;
    for (size_t t = 0; t < nt; t++)
        n += d->obj_req[t] == r;
    return n == 1;
}

/* The ranking objective of post's test (cat/session.h): a term per
 * alternative of each requirement that the scope measures, at the cut of
 * the requirement's level; requirements of one skill alone at the same cut
 * share one term (their weights add, which changes nothing in the score's
 * moves). Alternatives without items are left out. Left off (the SE targets
 * choose the items) when the terms do not fit. */
static void set_objective(struct rf_cat_design *d, const struct rf_cat_pool *p,
                          const struct rf_taxonomy *tax, const struct rf_parsed_posting *post)
{
    size_t nt = 0, nr = 0;
    d->nobj = d->nobjreq = 0;
    for (size_t r = 0; r < post->nreqs; r++) {
        const struct rf_posting_req *q = &post->reqs[r];
        size_t alt[RF_POSTING_MAX_ALTS], na = 0;
        double cut[RF_POSTING_MAX_ALTS];
        for (size_t a = 0; a < q->nskills && na < RF_POSTING_MAX_ALTS; a++) {
            size_t ps, j = 0;
            if (rf_cat_pool_skill(p, tax->skills[q->skills[a]].id, &ps))
                continue;
            while (j < d->nscope && d->scope[j] != ps)
                j++;
            if (j < d->nscope) {
                alt[na] = j;
                cut[na++] = tax->skills[q->skills[a]].cuts[q->level - 1];
            }
        }
        if (na == 0)
            continue;
        if (na == 1) {
            size_t t = 0;
            while (t < nt && !(d->obj_skill[t] == alt[0] && d->obj_cut[t] == cut[0] &&
                               single_term(d, nt, d->obj_req[t])))
                t++;
            if (t < nt) {
                d->obj_w[d->obj_req[t]] += q->weight;
                continue;
            }
        }
        if (nt + na > RF_CAT_MAX_OBJ || nr == RF_CAT_MAX_OBJ)
            return; /* nobj stays 0 */
        for (size_t u = 0; u < na; u++) {
            d->obj_req[nt] = nr;
            d->obj_skill[nt] = alt[u];
            d->obj_cut[nt++] = cut[u];
        }
        d->obj_w[nr++] = q->weight;
    }
    d->nobj = nt;
    d->nobjreq = nr;
}

rf_status rf_postingtest_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                const struct rf_roles *roles, const struct rf_parsed_posting *post,
                                size_t *nmissing, struct rf_err *err)
{
    const struct rf_taxonomy *tax = roles->tax;
    rf_cat_design_init(d);
    d->max_items = RF_WEB_ROLE_MAX_ITEMS;
    d->stop_unreachable = 0;
    /* The skills, in the posting's order, with the level of their first
     * requirement and their share of the weight (an OR-group's split among
     * its alternatives). */
    size_t sk[RF_CAT_MAX_SCOPE], lv[RF_CAT_MAX_SCOPE], n = 0, missing = 0;
    double w[RF_CAT_MAX_SCOPE] = {0}, wmax = 0;
    for (size_t r = 0; r < post->nreqs; r++)
        for (size_t a = 0; a < post->reqs[r].nskills; a++) {
            size_t k = post->reqs[r].skills[a], ps, j = 0;
            while (j < n && sk[j] != k)
                j++;
            if (j == n) {
                if (rf_cat_pool_skill(p, tax->skills[k].id, &ps) || p->nusable[ps] == 0) {
                    missing++; /* counted once per requirement that names it */
                    continue;
                }
                if (n == RF_CAT_MAX_SCOPE)
                    return rf_err_set(err, RF_ETOOBIG, "posting test: more than %d skills",
                                      RF_CAT_MAX_SCOPE);
                sk[n] = k;
                lv[n++] = post->reqs[r].level;
            }
            w[j] += post->reqs[r].weight / (double)post->reqs[r].nskills;
            wmax = w[j] > wmax ? w[j] : wmax;
        }
    if (nmissing)
        *nmissing = missing;
    if (n == 0)
        return rf_err_set(err, RF_EINVAL, "posting test: no skill of the posting has items in "
                                          "the bank");
    size_t min = per_skill(RF_WEB_MIN_PER_SKILL, d->max_items, n);
    for (size_t j = 0; j < n; j++) {
        /* Heavier requirements get a tighter SE target, so more of the items. */
        struct rf_cat_rule rule = {RF_CAT_DEFAULT_SE * sqrt(wmax / w[j]), min, d->max_items};
        rf_status rc = add_skill(d, p, tax, sk[j], tax->skills[sk[j]].cuts[lv[j] - 1], rule, err);
        if (rc)
            return rc;
        /* Ranking needs each P(meets) as sharp as the items allow, not a call
         * at 0.9: the skill keeps its cut but is not finished by a decision
         * (docs/careers.md "Posting tests"). */
        d->decide[j] = 0;
    }
    /* The items go where an answer most sharpens what the ranking ranks
     * (docs/careers.md "Posting tests"); the SE targets stay, for a posting
     * whose terms do not fit the objective. */
    set_objective(d, p, tax, post);
    return RF_OK;
}

rf_status rf_postingtest_topup_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                      const struct rf_taxonomy *tax,
                                      const struct rf_parsed_posting *post, const size_t *skills,
                                      size_t n, struct rf_err *err)
{
    rf_cat_design_init(d);
    if (n == 0 || n > RF_CAT_MAX_SCOPE)
        return rf_err_set(err, n ? RF_ETOOBIG : RF_EINVAL,
                          "top-up test: needs 1 to %d skills, got %zu", RF_CAT_MAX_SCOPE, n);
    size_t want = (size_t)2 * RF_WEB_MIN_PER_SKILL * n;
    d->max_items = want < RF_FOLLOWUP_MAX_ITEMS   ? RF_FOLLOWUP_MAX_ITEMS
                   : want > RF_WEB_ROLE_MAX_ITEMS ? RF_WEB_ROLE_MAX_ITEMS
                                                  : want;
    d->stop_unreachable = 0;
    struct rf_cat_rule rule = {RF_CAT_DEFAULT_SE, per_skill(RF_WEB_MIN_PER_SKILL, d->max_items, n),
                               d->max_items};
    for (size_t i = 0; i < n; i++) {
        size_t k = skills[i], level = 0;
        for (size_t r = 0; r < post->nreqs && !level; r++)
            for (size_t a = 0; a < post->reqs[r].nskills; a++)
                if (post->reqs[r].skills[a] == k)
                    level = post->reqs[r].level;
        if (k >= tax->nskills || level == 0)
            return rf_err_set(err, RF_EINVAL, "top-up test: skill %zu is not the posting's", k);
        rf_status rc = add_skill(d, p, tax, k, tax->skills[k].cuts[level - 1], rule, err);
        if (rc)
            return rc;
    }
    d->decide_p = RF_ROLETEST_DECIDE_P;
    return RF_OK;
}

/* ---- the ranking study ---- */

struct study {
    const struct rf_cat_pool *p;
    const struct rf_rolesim_truth *t;
    const struct rf_roles *roles;
    const struct rf_parsed_posting *post;
    const struct rf_postingsim_opts *o;
    struct rf_cat_design d;
    double *met, *margin, *fit, *measured; /* per examinee */
    size_t *len;
};

struct job {
    const struct study *st;
    size_t lo, hi;
    rf_status rc;
    struct rf_err err;
};

/* One applicant: draw, test, score; the truth beside the estimate. */
static rf_status examinee(const struct study *st, size_t i, struct rf_cat_session *s,
                          struct rf_profile *pr, double *p, struct rf_err *err)
{
    const struct rf_taxonomy *tax = st->roles->tax;
    const struct rf_parsed_posting *post = st->post;
    const struct rf_cat_pool *pool = st->p;
    struct rf_rng r;
    rf_rng_substream(&r, st->o->seed, i);
    double truth[RF_CAT_MAX_SCOPE * 4] = {0};
    size_t nsk = tax->nskills < sizeof truth / sizeof truth[0] ? tax->nskills
                                                                : sizeof truth / sizeof truth[0];
    double la = st->o->truth_loading, g = la > 0 ? rf_rng_normal(&r) : 0;
    for (size_t k = 0; k < nsk; k++) {
        double z = rf_rng_normal(&r);
        truth[k] = la > 0 ? la * g + sqrt(1 - la * la) * z : z;
    }
    const struct rf_cat_design *d = &st->d;
    size_t tk[RF_CAT_MAX_SCOPE];
    for (size_t j = 0; j < RF_CAT_MAX_SCOPE; j++)
        tk[j] = SIZE_MAX;
    for (size_t j = 0; j < d->nscope; j++)
        if (rf_taxonomy_find(tax, pool->skills[d->scope[j]], &tk[j]) || tk[j] >= nsk)
            tk[j] = SIZE_MAX;
    rf_cat_session_reset(s, rf_rng_next(&r));
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        size_t j = 0;
        while (j + 1 < d->nscope && d->scope[j] != pool->skill[item])
            j++;
        double th = tk[j] == SIZE_MAX ? 0 : truth[tk[j]];
        rf_status rc = rf_cat_answer(s, item, rf_cat_sim_draw(&st->t->irt[item], th, &r));
        if (rc)
            return rf_err_set(err, rc, "simulation: %s", rf_cat_errmsg(s));
    }
    st->len[i] = rf_cat_nanswered(s);
    rf_profile_cleanup(pr); /* keeps the grid */
    rf_status rc = rf_roletest_profile(s, st->roles, pr, NULL, err);
    if (rc)
        return rc;
    struct rf_posting_fit f;
    rf_posting_fit(post, tax, pr, p, NULL, &f);
    st->fit[i] = f.fit;
    st->measured[i] = f.measured;
    /* The truth: the weight met, and the weighted best margin over the cut. */
    double sw = 0, met = 0, margin = 0;
    for (size_t q = 0; q < post->nreqs; q++) {
        const struct rf_posting_req *rq = &post->reqs[q];
        double best = -HUGE_VAL;
        for (size_t a = 0; a < rq->nskills; a++) {
            size_t k = rq->skills[a];
            double m = (k < nsk ? truth[k] : 0) - tax->skills[k].cuts[rq->level - 1];
            best = m > best ? m : best;
        }
        sw += rq->weight;
        met += rq->weight * (best >= 0);
        margin += rq->weight * best;
    }
    st->met[i] = sw > 0 ? met / sw : 0;
    st->margin[i] = sw > 0 ? margin / sw : 0;
    return RF_OK;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    const struct study *st = j->st;
    struct rf_cat_session *s = NULL;
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    double *p = rf_calloc_array(st->post->nreqs, sizeof *p);
    if (!p) {
        j->rc = rf_err_set(&j->err, RF_ENOMEM, "simulation: out of memory");
        return NULL;
    }
    j->rc = rf_profile_init(&pr, st->p->q.lo, st->p->q.hi, st->p->q.n, &j->err);
    if (!j->rc)
        j->rc = rf_cat_session_new(st->p, &st->d, 0, &s, &j->err);
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        j->rc = examinee(st, i, s, &pr, p, &j->err);
    rf_cat_session_free(s);
    rf_profile_cleanup(&pr);
    free(p);
    return NULL;
}

/* Orders examinee indices by key[0] desc, then key[1] (when given) desc,
 * ties by index. */
static int by_key(const void *x, const void *y, void *ctx)
{
    const double *const *key = ctx;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    for (size_t k = 0; k < 2 && key[k]; k++)
        if (key[k][a] != key[k][b])
            return key[k][a] > key[k][b] ? -1 : 1;
    return (a > b) - (a < b);
}

rf_status rf_postingsim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                            const struct rf_roles *roles, const struct rf_parsed_posting *post,
                            const struct rf_postingsim_opts *o, struct rf_postingsim_result *r,
                            struct rf_err *err)
{
    size_t n = o->nexaminees;
    if (n < 3)
        return rf_err_set(err, RF_EINVAL, "simulation: needs at least 3 applicants, got %zu", n);
    if (!(o->truth_loading >= 0 && o->truth_loading < 1))
        return rf_err_set(err, RF_EINVAL, "simulation: loading %g is not in [0, 1)",
                          o->truth_loading);
    if (t->n != p->n)
        return rf_err_set(err, RF_EINVAL, "simulation: truth for %zu items, the pool has %zu",
                          t->n, p->n);
    if (post->nreqs == 0)
        return rf_err_set(err, RF_EINVAL, "simulation: the posting has no requirements");
    struct study st;
    memset(&st, 0, sizeof st);
    st.p = p;
    st.t = t;
    st.roles = roles;
    st.post = post;
    st.o = o;
    rf_status rc = rf_postingtest_design(&st.d, p, roles, post, NULL, err);
    if (rc)
        return rc;
    st.met = rf_calloc_array(n, sizeof *st.met);
    st.margin = rf_calloc_array(n, sizeof *st.margin);
    st.fit = rf_calloc_array(n, sizeof *st.fit);
    st.measured = rf_calloc_array(n, sizeof *st.measured);
    st.len = rf_calloc_array(n, sizeof *st.len);
    size_t *by_truth = rf_calloc_array(n, sizeof *by_truth);
    size_t *by_fit = rf_calloc_array(n, sizeof *by_fit);
    unsigned char *top = rf_calloc_array(n, 1);
    if (!st.met || !st.margin || !st.fit || !st.measured || !st.len || !by_truth || !by_fit ||
        !top) {
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
        goto out;
    }
    size_t nt = o->threads ? o->threads : 1;
    nt = nt > n ? n : nt > RF_CAT_SIM_MAX_THREADS ? RF_CAT_SIM_MAX_THREADS : nt;
    struct job jobs[RF_CAT_SIM_MAX_THREADS];
    memset(jobs, 0, sizeof jobs);
    for (size_t k = 0; k < nt; k++)
        jobs[k] = (struct job){&st, n * k / nt, n * (k + 1) / nt, RF_OK, {0}};
    rc = rf_cat_sim_parallel(nt, worker, jobs, sizeof jobs[0], err);
    for (size_t k = 0; k < nt && !rc; k++)
        if (jobs[k].rc)
            rc = rf_err_set(err, jobs[k].rc, "%s", jobs[k].err.msg);
    if (rc)
        goto out;
    memset(r, 0, sizeof *r);
    r->nexaminees = n;
    r->third = n / 3;
    for (size_t i = 0; i < n; i++) {
        by_truth[i] = by_fit[i] = i;
        r->len_mean += (double)st.len[i] / (double)n;
        r->measured_mean += st.measured[i] / (double)n;
        r->fit_mean += st.fit[i] / (double)n;
    }
    const double *truth_keys[2] = {st.met, st.margin}, *fit_keys[2] = {st.fit, NULL};
    qsort_r(by_truth, n, sizeof *by_truth, by_key, truth_keys);
    qsort_r(by_fit, n, sizeof *by_fit, by_key, fit_keys);
    for (size_t i = 0; i < r->third; i++)
        top[by_fit[i]] = 1;
    size_t hit = 0;
    for (size_t i = 0; i < r->third; i++)
        hit += top[by_truth[i]];
    r->top_third_strict = (double)hit / (double)r->third;
    /* Ties in the weight met either way: of the ranking's top third, those
     * truly above the third's bar count, and those at the bar fill the
     * places the bar has. */
    double bar = st.met[by_truth[r->third - 1]];
    size_t above = 0, at = 0, places = 0;
    for (size_t i = 0; i < r->third; i++)
        places += st.met[by_truth[i]] == bar;
    for (size_t i = 0; i < r->third; i++) {
        double m = st.met[by_fit[i]];
        above += m > bar;
        at += m == bar;
    }
    r->top_third = (double)(above + (at < places ? at : places)) / (double)r->third;
out:
    free(st.met);
    free(st.margin);
    free(st.fit);
    free(st.measured);
    free(st.len);
    free(by_truth);
    free(by_fit);
    free(top);
    return rc;
}
