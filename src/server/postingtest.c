/* Posting tests and the ranking study (see postingtest.h). */
#include "server/postingtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "careers/rank.h"
#include "irt/hier.h"
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

/* ---- the Bayes selection (analysis only) ---- */

/* Index of v in the ascending a[0..m-1] within tol, or SIZE_MAX. */
static size_t find_sum(const double *a, size_t m, double v, double tol)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v - tol)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m && fabs(a[lo] - v) <= tol ? lo : SIZE_MAX;
}

void rf_share_space_cleanup(struct rf_share_space *sp)
{
    free(sp->sum);
    free(sp->next);
    memset(sp, 0, sizeof *sp);
}

rf_status rf_share_space_init(struct rf_share_space *sp, const double *w, size_t n,
                              struct rf_err *err)
{
    memset(sp, 0, sizeof *sp);
    double total = 0;
    for (size_t r = 0; r < n; r++) {
        if (!(w[r] > 0 && isfinite(w[r])))
            return rf_err_set(err, RF_EINVAL, "share space: weight %zu is %g (needs > 0)", r,
                              w[r]);
        total += w[r];
    }
    double tol = 1e-9 * (total > 1 ? total : 1);
    size_t cap = RF_POSTINGSIM_MAX_SHARES;
    double *a = rf_calloc_array(cap, sizeof *a), *b = rf_calloc_array(cap, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return rf_err_set(err, RF_ENOMEM, "share space: out of memory");
    }
    /* Sums of subsets of the first r weights: merge S with S + w[r]. */
    size_t m = 1;
    a[0] = 0;
    for (size_t r = 0; r < n; r++) {
        size_t i = 0, j = 0, k = 0;
        while (i < m || j < m) {
            double x = i < m ? a[i] : HUGE_VAL, y = j < m ? a[j] + w[r] : HUGE_VAL;
            double v = x <= y ? x : y;
            if (k > 0 && fabs(b[k - 1] - v) <= tol) {
                /* the same sum */
            } else if (k == cap) {
                free(a);
                free(b);
                return rf_err_set(err, RF_ETOOBIG,
                                  "share space: more than %zu distinct weights met", cap);
            } else {
                b[k++] = v;
            }
            if (x <= y)
                i++;
            else
                j++;
        }
        double *t = a;
        a = b;
        b = t;
        m = k;
    }
    free(b);
    size_t *next = rf_calloc_array(n ? n * m : 1, sizeof *next);
    if (!next) {
        free(a);
        return rf_err_set(err, RF_ENOMEM, "share space: out of memory");
    }
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < m; j++)
            next[r * m + j] = find_sum(a, m, a[j] + w[r], tol);
    sp->nreq = n;
    sp->m = m;
    sp->sum = a;
    sp->next = next;
    return RF_OK;
}

void rf_share_dist(const struct rf_share_space *sp, const double *p, double *out)
{
    size_t m = sp->m;
    for (size_t j = 0; j < m; j++)
        out[j] = 0;
    out[0] = 1;
    for (size_t r = 0; r < sp->nreq; r++) {
        const size_t *nx = sp->next + r * m;
        /* Descending: next[j] > j, so each sum moves once per requirement.
         * Mass lies only on sums of the first r weights, which plus w[r]
         * are attainable. */
        for (size_t j = m; j-- > 0;) {
            double v = out[j];
            if (v == 0 || nx[j] == SIZE_MAX)
                continue;
            out[j] = v * (1 - p[r]);
            out[nx[j]] += v * p[r];
        }
    }
}

rf_status rf_postingsim_bayes_scores(const double *tail, size_t n, size_t m, size_t k,
                                     double *score, struct rf_err *err)
{
    if (k < 1 || k > n || m < 1)
        return rf_err_set(err, RF_EINVAL, "Bayes selection: k = %zu of %zu applicants", k, n);
    double *q = rf_calloc_array(m + 1, sizeof *q);
    int exact = (double)n * (double)k <= 1e7;
    double *c = exact ? rf_calloc_array(k + 1, sizeof *c) : NULL;
    if (!q || (exact && !c)) {
        free(q);
        free(c);
        return rf_err_set(err, RF_ENOMEM, "Bayes selection: out of memory");
    }
    /* q[j] = P(N_j >= k): the count's distribution up to k - 1, c[k] holding
     * "k or more". */
    for (size_t j = 0; j < m; j++) {
        if (exact) {
            for (size_t x = 0; x <= k; x++)
                c[x] = 0;
            c[0] = 1;
            size_t top = 0; /* highest count with mass, below k */
            for (size_t i = 0; i < n; i++) {
                double t = tail[i * m + j];
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                c[k] += c[k - 1] * t; /* from k - 1 to k or more */
                size_t hi = top + 1 < k ? top + 1 : k - 1;
                for (size_t x = hi; x > 0; x--)
                    c[x] = c[x] * (1 - t) + c[x - 1] * t;
                c[0] *= 1 - t;
                top = hi;
            }
            q[j] = c[k];
        } else {
            double mu = 0, var = 0;
            for (size_t i = 0; i < n; i++) {
                double t = tail[i * m + j];
                mu += t;
                var += t * (1 - t);
            }
            q[j] = var > 0 ? 0.5 * erfc(((double)k - 0.5 - mu) / sqrt(2 * var))
                           : (mu >= (double)k - 0.5);
        }
    }
    for (size_t i = 0; i < n; i++) {
        double s = 0;
        for (size_t j = 0; j < m; j++) {
            double pb = q[j] - q[j + 1];
            s += (pb > 0 ? pb : 0) * tail[i * m + j];
        }
        score[i] = s;
    }
    free(q);
    free(c);
    return RF_OK;
}

void rf_postingsim_hidden_bank(struct rf_bank *b, uint64_t seed)
{
    for (size_t i = 0; i < b->n; i++) {
        struct rf_irt_item *it = &b->items[i].irt;
        struct rf_rng r;
        rf_rng_substream(&r, seed ^ RF_POSTINGSIM_BANK_SALT, i);
        double a = 0.6 + 1.4 * rf_rng_uniform(&r), c = 0.1 + 0.2 * rf_rng_uniform(&r);
        double shift = 0.5 * rf_rng_normal(&r);
        if (it->ncat == 2 && it->model == RF_MODEL_3PL) {
            rf_irt_item_dich(it, RF_MODEL_3PL, a, it->b + shift, c);
        } else if (it->ncat == 2) {
            rf_irt_item_dich(it, RF_MODEL_2PL, a, it->b + shift, 0);
        } else if (it->ncat > 2 && it->ncat <= RF_MAX_CATEGORIES) {
            double thr[RF_MAX_CATEGORIES - 1];
            for (size_t t = 0; t + 1 < it->ncat; t++)
                thr[t] = it->thr[t] + shift;
            rf_irt_item_grm(it, a, thr, it->ncat);
        }
        b->items[i].calibrated = 1;
    }
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
    /* The Bayes selection (analysis only): the weights met (sp.m of them, 0:
     * not computed) and each examinee's distribution over them, from the
     * joint posterior and from the marginals ([examinee * sp.m + j]). */
    struct rf_share_space sp;
    double *dist_joint, *dist_indep;
};

rf_status rf_share_dist_joint(const struct rf_share_space *sp, const struct rf_parsed_posting *post,
                              const struct rf_taxonomy *tax, const struct rf_profile *pr,
                              const double *indep, double *out, struct rf_err *err)
{
    size_t m = sp->m, nr = post->nreqs;
    struct rf_hier *h = NULL;
    struct rf_hier_state *hs = NULL;
    rf_status rc = rf_profile_hier(pr, &h, &hs, err);
    if (rc)
        return rc;
    if (!h) {
        memcpy(out, indep, m * sizeof *out);
        return RF_OK;
    }
    size_t nc = rf_hier_ncells(hs), na = 0;
    for (size_t r = 0; r < nr; r++)
        na += post->reqs[r].nskills;
    double *w = rf_calloc_array(nc, sizeof *w), *tl = rf_calloc_array(na * nc, sizeof *tl);
    double *pc = rf_calloc_array(nr, sizeof *pc), *d = rf_calloc_array(m, sizeof *d);
    if (!w || !tl || !pc || !d) {
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
        goto out;
    }
    rf_hier_cell_weights(hs, w);
    /* Each alternative's P(theta >= cut) per cell. */
    size_t u = 0;
    for (size_t r = 0; r < nr; r++)
        for (size_t a = 0; a < post->reqs[r].nskills; a++, u++) {
            const struct rf_skill *sk = &tax->skills[post->reqs[r].skills[a]];
            double cut = sk->cuts[post->reqs[r].level - 1];
            size_t k = 0;
            while (k < pr->model->nskills && strcmp(pr->model->skills[k], sk->id) != 0)
                k++;
            if (k < pr->model->nskills) {
                rf_hier_cell_tails(hs, k, cut, tl + u * nc);
            } else {
                double t = rf_profile_tail(pr, rf_profile_find(pr, sk->id), cut);
                for (size_t c = 0; c < nc; c++)
                    tl[u * nc + c] = t;
            }
        }
    for (size_t j = 0; j < m; j++)
        out[j] = 0;
    double sw = 0;
    for (size_t c = 0; c < nc; c++) {
        if (!(w[c] > 0))
            continue;
        u = 0;
        for (size_t r = 0; r < nr; r++) {
            double miss = 1;
            for (size_t a = 0; a < post->reqs[r].nskills; a++, u++)
                miss *= 1 - tl[u * nc + c];
            pc[r] = 1 - miss;
        }
        rf_share_dist(sp, pc, d);
        for (size_t j = 0; j < m; j++)
            out[j] += w[c] * d[j];
        sw += w[c];
    }
    for (size_t j = 0; j < m && sw > 0; j++)
        out[j] /= sw;
out:
    free(w);
    free(tl);
    free(pc);
    free(d);
    rf_hier_state_free(hs);
    rf_hier_free(h);
    return rc;
}

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
    if (st->sp.m) {
        double *di = st->dist_indep + i * st->sp.m;
        rf_share_dist(&st->sp, p, di);
        if ((rc = rf_share_dist_joint(&st->sp, post, tax, pr, di, st->dist_joint + i * st->sp.m,
                                      err)))
            return rc;
    }
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

/* The figure for the ranking order[]: ties in the weight met either way. Of
 * its top k, those truly above the bar (the k-th best weight met) count, and
 * those at the bar fill the places the bar has. */
static double ties_either_way(const double *met, const size_t *by_truth, const size_t *order,
                              size_t k)
{
    double bar = met[by_truth[k - 1]];
    size_t above = 0, at = 0, places = 0;
    for (size_t i = 0; i < k; i++)
        places += met[by_truth[i]] == bar;
    for (size_t i = 0; i < k; i++) {
        double m = met[order[i]];
        above += m > bar;
        at += m == bar;
    }
    return (double)(above + (at < places ? at : places)) / (double)k;
}

/* The figure of the Bayes selection from the examinees' distributions of the
 * weight met (dist, [examinee * m + j]); ties in the score by fit. by_rank
 * is scratch (n). */
static rf_status bayes_figure(const struct study *st, const double *dist, const size_t *by_truth,
                              size_t *by_rank, size_t k, double *out, struct rf_err *err)
{
    size_t n = st->o->nexaminees, m = st->sp.m;
    double *tail = rf_calloc_array(n * m, sizeof *tail), *score = rf_calloc_array(n, sizeof *score);
    rf_status rc = RF_OK;
    if (!tail || !score) {
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        double acc = 0;
        for (size_t j = m; j-- > 0;) {
            acc += dist[i * m + j];
            tail[i * m + j] = acc;
        }
    }
    if ((rc = rf_postingsim_bayes_scores(tail, n, m, k, score, err)))
        goto out;
    for (size_t i = 0; i < n; i++)
        by_rank[i] = i;
    const double *keys[2] = {score, st->fit};
    qsort_r(by_rank, n, sizeof *by_rank, by_key, keys);
    *out = ties_either_way(st->met, by_truth, by_rank, k);
out:
    free(tail);
    free(score);
    return rc;
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
    if (o->max_items > RF_CAT_MAX_ITEMS)
        return rf_err_set(err, RF_EINVAL, "simulation: at most %d items, got %zu",
                          RF_CAT_MAX_ITEMS, o->max_items);
    rf_status rc = rf_postingtest_design(&st.d, p, roles, post, NULL, err);
    if (rc)
        return rc;
    if (o->max_items) {
        st.d.max_items = o->max_items;
        for (size_t j = 0; j < st.d.nscope; j++)
            st.d.rule[j].max = o->max_items;
    }
    /* The Bayes selection's space; a posting whose weights met take too many
     * values goes without (the figures are NaN). */
    double wq[RF_POSTING_MAX_REQS];
    struct rf_err serr;
    if (post->nreqs <= RF_POSTING_MAX_REQS) {
        for (size_t q = 0; q < post->nreqs; q++)
            wq[q] = post->reqs[q].weight;
        if (rf_share_space_init(&st.sp, wq, post->nreqs, &serr) == RF_ENOMEM)
            return rf_err_set(err, RF_ENOMEM, "%s", serr.msg);
    }
    if (st.sp.m &&
        (!(st.dist_joint = rf_calloc_array(n * st.sp.m, sizeof *st.dist_joint)) ||
         !(st.dist_indep = rf_calloc_array(n * st.sp.m, sizeof *st.dist_indep)))) {
        free(st.dist_joint);
        rf_share_space_cleanup(&st.sp);
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    }
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
    r->top_third = ties_either_way(st.met, by_truth, by_fit, r->third);
    r->top_third_bayes_joint = r->top_third_bayes_indep = NAN;
    if (st.sp.m) {
        if ((rc = bayes_figure(&st, st.dist_joint, by_truth, by_fit, r->third,
                               &r->top_third_bayes_joint, err)) ||
            (rc = bayes_figure(&st, st.dist_indep, by_truth, by_fit, r->third,
                               &r->top_third_bayes_indep, err)))
            goto out;
    }
out:
    rf_share_space_cleanup(&st.sp);
    free(st.dist_joint);
    free(st.dist_indep);
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
