/*
 * Item pool construction. Invariants once built: every usable item has valid
 * parameters and belongs to exactly one skill; ptab/itab hold its category
 * probabilities and information at every node of q; for every skill and bin
 * the candidate list holds the ncand usable items with the largest upper bound
 * of information over the bin, by decreasing bound (ties by increasing index),
 * and no item outside the list has a larger bound than the list's last entry.
 */
#include "cat/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bank/answer.h"
#include "bank/bank.h"
#include "base/file.h"
#include "base/json.h"
#include "base/config.h"
#include "base/mem.h"

double rf_cat_info(const struct rf_irt_item *it, double theta)
{
    switch (it->model) {
    case RF_MODEL_1PL:
    case RF_MODEL_2PL: {
        double p = rf_logistic(it->a * (theta - it->b));
        return it->a * it->a * p * (1.0 - p);
    }
    case RF_MODEL_3PL: {
        /* Lord (1980), eq. 4-43: a^2 (P - c)^2 Q / ((1 - c)^2 P). */
        double p = rf_logistic(it->a * (theta - it->b));
        double c = it->c;
        double P = c + (1.0 - c) * p;
        double q = (1.0 - c) * (1.0 - p);
        double num = (1.0 - c) * p;
        return it->a * it->a * num * num * q / ((1.0 - c) * (1.0 - c) * P);
    }
    default: return rf_irt_info(it, theta);
    }
}

/* Upper bound of the information of a graded item over [lo, hi]. With the
 * boundary curves P*_k = logistic(a (theta - t_k)) (P*_0 = 1, P*_m = 0), the
 * score of category x is d log P_x / d theta = a (1 - P*_x - P*_{x+1}), so
 * I = a^2 sum_x P_x (1 - P*_x - P*_{x+1})^2 (Samejima 1969). Each P*_k rises
 * with theta, so over the interval P*_k lies in [P*_k(lo), P*_k(hi)]: P_x is
 * at most P*_x(hi) - P*_{x+1}(lo) and the squared score at most its larger
 * value at the box's corners; and I is at most a^2 times the largest squared
 * score, because the P_x sum to 1. The smaller bound is returned. */
static double grm_info_upper(const struct rf_irt_item *it, double lo, double hi)
{
    size_t m = it->ncat;
    double L[RF_MAX_CATEGORIES + 1], U[RF_MAX_CATEGORIES + 1];
    L[0] = U[0] = 1.0;
    L[m] = U[m] = 0.0;
    for (size_t k = 1; k < m; k++) {
        L[k] = rf_logistic(it->a * (lo - it->thr[k - 1]));
        U[k] = rf_logistic(it->a * (hi - it->thr[k - 1]));
    }
    double sum = 0, smax = 0;
    for (size_t x = 0; x < m; x++) {
        double s1 = 1.0 - L[x] - L[x + 1], s2 = 1.0 - U[x] - U[x + 1];
        double s = fmax(s1 * s1, s2 * s2);
        double px = fmin(1.0, fmax(0.0, U[x] - L[x + 1]));
        sum += px * s;
        smax = fmax(smax, s);
    }
    return it->a * it->a * fmin(sum, smax);
}

/* Upper bound of the information of it over [lo, hi]. Dichotomous information
 * is unimodal with its peak at b + ln((1 + sqrt(1 + 8c)) / 2) / a (Birnbaum;
 * Lord 1980, eq. 10-4), so the bound is the peak or the larger end; graded
 * items use grm_info_upper. The factor covers rounding. */
static double info_upper(const struct rf_irt_item *it, double lo, double hi)
{
    if (it->model == RF_MODEL_GRM)
        return grm_info_upper(it, lo, hi) * (1.0 + 1e-6) + 1e-12; /* rf_irt_info's rounding */
    double c = it->model == RF_MODEL_3PL ? it->c : 0.0;
    double peak = it->b + log((1.0 + sqrt(1.0 + 8.0 * c)) / 2.0) / it->a;
    double u;
    if (peak >= lo && peak <= hi)
        u = rf_cat_info(it, peak);
    else
        u = fmax(rf_cat_info(it, lo), rf_cat_info(it, hi));
    return u * (1.0 + 1e-9) + 1e-300;
}

struct ub_pair {
    double u;
    uint32_t i;
};

static int cmp_ub(const void *x, const void *y)
{
    const struct ub_pair *a = x, *b = y;
    if (a->u > b->u)
        return -1;
    if (a->u < b->u)
        return 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

void rf_cat_pool_free(struct rf_cat_pool *p)
{
    if (!p)
        return;
    if (p->ids)
        for (size_t i = 0; i < p->n; i++)
            free(p->ids[i]);
    if (p->skills)
        for (size_t s = 0; s < p->nskills; s++)
            free(p->skills[s]);
    free(p->ids);
    free(p->skills);
    free(p->irt);
    free(p->skill);
    free(p->usable);
    free(p->tables);
    free(p->sh);
    free(p->nusable);
    rf_quad_cleanup(&p->q);
    free(p->poff);
    free(p->ptab);
    free(p->lptab);
    free(p->itab);
    free(p->prior_info);
    free(p->rand);
    free(p->imax);
    free(p->ncand);
    free(p->cand_off);
    free(p->cand);
    free(p->cand_ub);
    free(p->skill_off);
    free(p->skill_items);
    free(p->group);
    free(p->group_off);
    free(p->group_items);
    free(p->idslot);
    free(p);
}

rf_status rf_cat_pool_skill(const struct rf_cat_pool *p, const char *skill, size_t *idx)
{
    for (size_t s = 0; s < p->nskills; s++)
        if (strcmp(p->skills[s], skill) == 0) {
            *idx = s;
            return RF_OK;
        }
    return RF_ENOTFOUND;
}

/* FNV-1a of an item id: its slot in the id index */
static size_t id_hash(const char *id)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *id; id++) {
        h ^= (unsigned char)*id;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

/* The id index: open addressing over a power of two of at least twice the
 * items, each slot an item's index plus one (0: empty). Ids are unique. */
static rf_status build_index(struct rf_cat_pool *p, struct rf_err *err)
{
    size_t ns = 16;
    while (ns < 2 * p->n)
        ns *= 2;
    if (!(p->idslot = rf_calloc_array(ns, sizeof *p->idslot)))
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    p->nidslots = ns;
    for (size_t i = 0; i < p->n; i++) {
        size_t k = id_hash(p->ids[i]) & (ns - 1);
        while (p->idslot[k])
            k = (k + 1) & (ns - 1);
        p->idslot[k] = (uint32_t)i + 1;
    }
    return RF_OK;
}

rf_status rf_cat_pool_find(const struct rf_cat_pool *p, const char *id, size_t *idx)
{
    if (!p->nidslots)
        return RF_ENOTFOUND;
    size_t mask = p->nidslots - 1;
    for (size_t k = id_hash(id) & mask;; k = (k + 1) & mask) {
        uint32_t v = p->idslot[k];
        if (!v)
            return RF_ENOTFOUND;
        if (strcmp(p->ids[v - 1], id) == 0) {
            *idx = v - 1;
            return RF_OK;
        }
    }
}

static rf_status copy_quad(struct rf_quad *dst, const struct rf_quad *src, struct rf_err *err)
{
    *dst = *src;
    dst->x = rf_alloc_array(src->n, sizeof(double));
    dst->w = rf_alloc_array(src->n, sizeof(double));
    dst->logw = rf_alloc_array(src->n, sizeof(double));
    if (!dst->x || !dst->w || !dst->logw) {
        rf_quad_cleanup(dst);
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    }
    memcpy(dst->x, src->x, src->n * sizeof(double));
    memcpy(dst->w, src->w, src->n * sizeof(double));
    memcpy(dst->logw, src->logw, src->n * sizeof(double));
    return RF_OK;
}

/* Fills the candidate lists of every skill (see the file comment). */
static rf_status build_candidates(struct rf_cat_pool *p, struct rf_err *err)
{
    double lo = p->q.x[0], hi = p->q.x[p->q.n - 1];
    p->bin_lo = lo;
    p->bin_w = RF_CAT_BIN_WIDTH;
    p->nbins = (size_t)ceil((hi - lo) / p->bin_w);
    if (p->nbins == 0)
        p->nbins = 1;
    p->ncand = rf_calloc_array(p->nskills, sizeof *p->ncand);
    p->cand_off = rf_calloc_array(p->nskills, sizeof *p->cand_off);
    if (!p->ncand || !p->cand_off)
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    size_t total = 0, maxn = 0;
    for (size_t s = 0; s < p->nskills; s++) {
        size_t m = p->nusable[s] < RF_CAT_BIN_CANDIDATES ? p->nusable[s] : RF_CAT_BIN_CANDIDATES;
        p->ncand[s] = m;
        p->cand_off[s] = total;
        total += m * p->nbins;
        if (p->nusable[s] > maxn)
            maxn = p->nusable[s];
    }
    p->cand = rf_alloc_array(total ? total : 1, sizeof *p->cand);
    p->cand_ub = rf_alloc_array(total ? total : 1, sizeof *p->cand_ub);
    struct ub_pair *w = rf_alloc_array(maxn ? maxn : 1, sizeof *w);
    if (!p->cand || !p->cand_ub || !w) {
        free(w);
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    }
    for (size_t s = 0; s < p->nskills; s++) {
        const uint32_t *its = p->skill_items + p->skill_off[s];
        size_t ns = p->nusable[s], m = p->ncand[s];
        for (size_t b = 0; b < p->nbins; b++) {
            double blo = lo + (double)b * p->bin_w, bhi = blo + p->bin_w;
            for (size_t j = 0; j < ns; j++) {
                w[j].i = its[j];
                w[j].u = info_upper(&p->irt[its[j]], blo, bhi);
            }
            qsort(w, ns, sizeof *w, cmp_ub);
            uint32_t *c = p->cand + p->cand_off[s] + b * m;
            double *u = p->cand_ub + p->cand_off[s] + b * m;
            for (size_t j = 0; j < m; j++) {
                c[j] = w[j].i;
                u[j] = w[j].u;
            }
        }
    }
    free(w);
    return RF_OK;
}

struct group_key {
    const char *name;
    uint32_t i;
};

static int cmp_group_key(const void *x, const void *y)
{
    const struct group_key *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* The enemy groups of the usable items (see pool.h): sort the named usable
 * items by name, keep each run of two or more as a group. */
static rf_status build_groups(struct rf_cat_pool *p, const struct rf_cat_item *items,
                              struct rf_err *err)
{
    size_t n = p->n, m = 0;
    p->group = rf_alloc_array(n ? n : 1, sizeof *p->group);
    struct group_key *k = rf_alloc_array(n ? n : 1, sizeof *k);
    if (!p->group || !k) {
        free(k);
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        p->group[i] = RF_CAT_NO_GROUP;
        if (p->usable[i] && items[i].enemy && items[i].enemy[0])
            k[m++] = (struct group_key){items[i].enemy, (uint32_t)i};
    }
    if (m > 1)
        qsort(k, m, sizeof *k, cmp_group_key);
    size_t ng = 0, nmem = 0;
    for (size_t a = 0, b; a < m; a = b) {
        for (b = a + 1; b < m && strcmp(k[a].name, k[b].name) == 0; b++)
            ;
        if (b - a >= 2) {
            ng++;
            nmem += b - a;
        }
    }
    p->group_off = rf_calloc_array(ng + 1, sizeof *p->group_off);
    p->group_items = rf_alloc_array(nmem ? nmem : 1, sizeof *p->group_items);
    if (!p->group_off || !p->group_items) {
        free(k);
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    }
    size_t g = 0, w = 0;
    for (size_t a = 0, b; a < m; a = b) {
        for (b = a + 1; b < m && strcmp(k[a].name, k[b].name) == 0; b++)
            ;
        if (b - a < 2)
            continue;
        for (size_t c = a; c < b; c++) { /* pool order: the sort breaks ties by index */
            p->group[k[c].i] = (uint32_t)g;
            p->group_items[w++] = k[c].i;
        }
        p->group_off[++g] = w;
    }
    p->ngroups = ng;
    free(k);
    return RF_OK;
}

/* Probability, information and prior-information tables of every usable item. */
static rf_status build_tables(struct rf_cat_pool *p, struct rf_err *err)
{
    size_t nq = p->q.n, rows = 0;
    p->poff = rf_alloc_array(p->n ? p->n : 1, sizeof *p->poff);
    if (!p->poff)
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    for (size_t i = 0; i < p->n; i++) {
        p->poff[i] = rows * nq;
        rows += p->tables[i] ? p->irt[i].ncat : 0;
    }
    p->ptab = rf_alloc_array(rows ? rows * nq : 1, sizeof *p->ptab);
    p->lptab = rf_alloc_array(rows ? rows * nq : 1, sizeof *p->lptab);
    p->itab = rf_calloc_array(p->n ? p->n * nq : 1, sizeof *p->itab);
    p->prior_info = rf_calloc_array(p->n ? p->n : 1, sizeof *p->prior_info);
    p->imax = rf_calloc_array(p->nskills ? p->nskills : 1, sizeof *p->imax);
    if (!p->ptab || !p->lptab || !p->itab || !p->prior_info || !p->imax)
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    for (size_t i = 0; i < p->n; i++) {
        if (!p->tables[i])
            continue;
        const struct rf_irt_item *it = &p->irt[i];
        double *pt = p->ptab + p->poff[i], *lpt = p->lptab + p->poff[i];
        double *inf = p->itab + i * nq;
        double pr[RF_MAX_CATEGORIES];
        double pi = 0;
        for (size_t j = 0; j < nq; j++) {
            rf_irt_probs(it, p->q.x[j], pr);
            for (size_t k = 0; k < it->ncat; k++) {
                pt[k * nq + j] = pr[k];
                lpt[k * nq + j] = rf_irt_logprob(it, p->q.x[j], k);
            }
            inf[j] = rf_cat_info(it, p->q.x[j]);
            pi += p->q.w[j] * inf[j];
        }
        if (!p->usable[i])
            continue; /* known only: never selected, so no bound */
        p->prior_info[i] = pi;
        double top = info_upper(it, p->q.x[0], p->q.x[nq - 1]);
        if (top > p->imax[p->skill[i]])
            p->imax[p->skill[i]] = top;
    }
    return RF_OK;
}

/* A random responder's category probabilities of an item known only by its
 * model (see struct rf_cat_pool's rand). */
static void random_default(const struct rf_irt_item *m, double *out)
{
    if (m->ncat == 2) {
        out[1] = m->model == RF_MODEL_3PL ? m->c : RF_ANSWER_RANDOM_NUMERIC;
        out[0] = 1 - out[1];
        return;
    }
    for (size_t k = 0; k < m->ncat; k++)
        out[k] = 1.0 / (double)m->ncat;
}

/* rf_cat_pool_new; known (may be NULL): items that are not usable but get
 * their tables when their parameters are valid (struct rf_cat_pool's tables). */
static rf_status pool_build(const struct rf_cat_item *items, const unsigned char *known, size_t n,
                            const struct rf_quad *q, struct rf_cat_pool **out, struct rf_err *err)
{
    if (n > UINT32_MAX)
        return rf_err_set(err, RF_ETOOBIG, "item pool: %zu items is more than supported", n);
    struct rf_cat_pool *p = calloc(1, sizeof *p);
    if (!p)
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    rf_status rc = RF_OK;
    p->n = n;
    p->ids = rf_calloc_array(n ? n : 1, sizeof *p->ids);
    p->skills = rf_calloc_array(n ? n : 1, sizeof *p->skills);
    p->irt = rf_calloc_array(n ? n : 1, sizeof *p->irt);
    p->skill = rf_calloc_array(n ? n : 1, sizeof *p->skill);
    p->usable = rf_calloc_array(n ? n : 1, 1);
    p->tables = rf_calloc_array(n ? n : 1, 1);
    p->sh = rf_alloc_array(n ? n : 1, sizeof *p->sh);
    p->rand = rf_calloc_array((n ? n : 1) * RF_MAX_CATEGORIES, sizeof *p->rand);
    if (!p->ids || !p->skills || !p->irt || !p->skill || !p->usable || !p->tables || !p->sh ||
        !p->rand) {
        rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
        goto fail;
    }
    if ((rc = copy_quad(&p->q, q, err)))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        const struct rf_cat_item *it = &items[i];
        if (!it->id || !*it->id) {
            rc = rf_err_set(err, RF_EINVAL, "item pool: item %zu has no id", i + 1);
            goto fail;
        }
        if (!it->skill || !*it->skill) {
            rc = rf_err_set(err, RF_EINVAL, "item pool: item '%s' has no skill", it->id);
            goto fail;
        }
        if (it->usable) {
            struct rf_err e2;
            rf_err_clear(&e2);
            if ((rc = rf_irt_item_validate(&it->irt, &e2))) {
                rf_err_set(err, rc, "item pool: item '%s': %s", it->id, e2.msg);
                goto fail;
            }
        }
        p->ids[i] = rf_strdup(it->id);
        if (!p->ids[i]) {
            rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
            goto fail;
        }
        p->irt[i] = it->irt;
        p->usable[i] = it->usable ? 1 : 0;
        if (!it->usable && known && known[i]) {
            struct rf_err e2;
            p->tables[i] = rf_irt_item_validate(&it->irt, &e2) == RF_OK;
        } else {
            p->tables[i] = p->usable[i];
        }
        if (it->irt.ncat >= 2 && it->irt.ncat <= RF_MAX_CATEGORIES)
            random_default(&it->irt, p->rand + i * RF_MAX_CATEGORIES);
        p->sh[i] = 1.0;
        size_t s;
        if (rf_cat_pool_skill(p, it->skill, &s)) {
            s = p->nskills;
            p->skills[s] = rf_strdup(it->skill);
            if (!p->skills[s]) {
                rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
                goto fail;
            }
            p->nskills++;
        }
        p->skill[i] = s;
    }
    /* Duplicate ids: sort a copy of the pointers and compare neighbours. */
    if (n > 1) {
        char **sorted = rf_alloc_array(n, sizeof *sorted);
        if (!sorted) {
            rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
            goto fail;
        }
        memcpy(sorted, p->ids, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_str);
        for (size_t i = 1; i < n; i++)
            if (strcmp(sorted[i - 1], sorted[i]) == 0) {
                rc = rf_err_set(err, RF_EINVAL, "item pool: duplicate item id '%s'", sorted[i]);
                break;
            }
        free(sorted);
        if (rc)
            goto fail;
    }
    p->nusable = rf_calloc_array(p->nskills ? p->nskills : 1, sizeof *p->nusable);
    p->skill_off = rf_calloc_array(p->nskills + 1, sizeof *p->skill_off);
    p->skill_items = rf_alloc_array(n ? n : 1, sizeof *p->skill_items);
    if (!p->nusable || !p->skill_off || !p->skill_items) {
        rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
        goto fail;
    }
    for (size_t i = 0; i < n; i++)
        if (p->usable[i])
            p->nusable[p->skill[i]]++;
    for (size_t s = 0; s < p->nskills; s++)
        p->skill_off[s + 1] = p->skill_off[s] + p->nusable[s];
    {
        /* Counting sort by skill, stable in pool order. */
        size_t *fill = rf_calloc_array(p->nskills ? p->nskills : 1, sizeof *fill);
        if (!fill) {
            rc = rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++)
            if (p->usable[i])
                p->skill_items[p->skill_off[p->skill[i]] + fill[p->skill[i]]++] = (uint32_t)i;
        free(fill);
    }
    if ((rc = build_tables(p, err)) || (rc = build_candidates(p, err)) ||
        (rc = build_groups(p, items, err)) || (rc = build_index(p, err)))
        goto fail;
    *out = p;
    return RF_OK;
fail:
    rf_cat_pool_free(p);
    return rc;
}

rf_status rf_cat_pool_new(const struct rf_cat_item *items, size_t n, const struct rf_quad *q,
                          struct rf_cat_pool **out, struct rf_err *err)
{
    return pool_build(items, NULL, n, q, out, err);
}

rf_status rf_cat_pool_from_bank(const struct rf_bank *b, int flags, const struct rf_quad *q,
                                struct rf_cat_pool **out, struct rf_err *err)
{
    struct rf_cat_item *items = rf_calloc_array(b->n ? b->n : 1, sizeof *items);
    size_t *placed = rf_calloc_array(b->n ? b->n : 1, sizeof *placed);
    unsigned char *known = rf_calloc_array(b->n ? b->n : 1, 1);
    if (!items || !placed || !known) {
        free(items);
        free(placed);
        free(known);
        return rf_err_set(err, RF_ENOMEM, "item pool: out of memory");
    }
    /* A skill with fewer than RF_POOL_SPLIT_MIN items placed by the rule is
     * too small to split: those items serve both pools (bank-format.md "Pools"). */
    for (size_t i = 0; i < b->n; i++) {
        const struct rf_item *it = &b->items[i];
        if (it->retired || it->pool_set || it->pool == RF_POOL_PRETEST ||
            ((flags & RF_CAT_POOL_SCORED) && it->type == RF_ITEM_RUBRIC))
            continue;
        size_t first = 0;
        while (first < i && strcmp(b->items[first].skill, it->skill) != 0)
            first++;
        placed[first]++;
    }
    for (size_t i = 0; i < b->n; i++) {
        const struct rf_item *it = &b->items[i];
        size_t first = 0;
        while (first < i && strcmp(b->items[first].skill, it->skill) != 0)
            first++;
        int both = !it->pool_set && placed[first] < RF_POOL_SPLIT_MIN;
        items[i].id = it->id;
        items[i].skill = it->skill;
        items[i].irt = it->irt;
        items[i].usable =
            !it->retired && it->pool != RF_POOL_PRETEST &&
            (!(flags & RF_CAT_POOL_SCORED) || it->type != RF_ITEM_RUBRIC) &&
            (!(flags & RF_CAT_POOL_CALIBRATED) || it->calibrated) &&
            (!(flags & RF_CAT_POOL_PRACTICE) || it->pool == RF_POOL_PRACTICE || both) &&
            (!(flags & RF_CAT_POOL_OPERATIONAL) || it->pool == RF_POOL_OPERATIONAL || both);
        items[i].enemy = it->enemy;
        /* a scored item of the other pool: a session stored before the
         * pools changed may hold it (docs/bank-format.md "Pools") */
        known[i] = !items[i].usable && !it->retired && it->pool != RF_POOL_PRETEST &&
                   (!(flags & RF_CAT_POOL_SCORED) || it->type != RF_ITEM_RUBRIC);
    }
    rf_status rc = pool_build(items, known, b->n, q, out, err);
    free(items);
    free(placed);
    free(known);
    /* A random responder as the item's format says (the pool keeps b's order). */
    for (size_t i = 0; !rc && i < b->n; i++)
        if (b->items[i].irt.ncat >= 2 && b->items[i].irt.ncat <= RF_MAX_CATEGORIES)
            rf_answer_random_probs(&b->items[i], (*out)->rand + i * RF_MAX_CATEGORIES);
    return rc;
}

rf_status rf_cat_exposure_save(const struct rf_cat_pool *p, double target, const char *path,
                               struct rf_err *err)
{
    json_t *items = json_array();
    json_t *root = items ? json_pack("{s:s, s:f, s:o}", "format", "rolefit-exposure", "target",
                                     target, "items", items)
                         : NULL;
    if (!root)
        return rf_err_set(err, RF_ENOMEM, "exposure: out of memory");
    for (size_t i = 0; i < p->n; i++)
        if (p->sh[i] < 1.0 && json_array_append_new(items, json_pack("{s:s, s:f}", "item",
                                                                     p->ids[i], "k", p->sh[i]))) {
            json_decref(root);
            return rf_err_set(err, RF_ENOMEM, "exposure: out of memory");
        }
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!text)
        return rf_err_set(err, RF_ENOMEM, "exposure: out of memory");
    rf_status rc = rf_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

/* Sets p->sh from a parsed exposure file (consumed: root is released). */
static rf_status exposure_from_json(struct rf_cat_pool *p, json_t *root, const char *path,
                                    struct rf_err *err)
{
    rf_status rc = RF_OK;
    double *k = rf_alloc_array(p->n ? p->n : 1, sizeof *k);
    const char *fmt = NULL;
    if (!k) {
        rc = rf_err_set(err, RF_ENOMEM, "exposure: out of memory");
        goto out;
    }
    for (size_t i = 0; i < p->n; i++)
        k[i] = 1.0;
    if ((rc = rf_json_get_string(root, "format", 1, &fmt, path, err)))
        goto out;
    if (strcmp(fmt, "rolefit-exposure") != 0) {
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'format': not an exposure file ('%s')", path,
                        fmt);
        goto out;
    }
    const json_t *items = json_object_get(root, "items");
    if (!json_is_array(items)) {
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'items': expected an array", path);
        goto out;
    }
    for (size_t e = 0; e < json_array_size(items); e++) {
        char w[RF_ERRMSG_LEN / 2];
        snprintf(w, sizeof w, "%s: items[%zu]", path, e);
        const json_t *x = json_array_get(items, e);
        const char *id;
        double v;
        size_t idx;
        if (!json_is_object(x)) {
            rc = rf_err_set(err, RF_EINVAL, "%s: expected an object", w);
            goto out;
        }
        if ((rc = rf_json_get_string(x, "item", 1, &id, w, err)) ||
            (rc = rf_json_get_number(x, "k", 1, &v, NULL, w, err)))
            goto out;
        if (rf_cat_pool_find(p, id, &idx)) {
            rc = rf_err_set(err, RF_EINVAL, "%s: item '%s' is not in the bank", w, id);
            goto out;
        }
        if (!(v > 0 && v <= 1)) {
            rc = rf_err_set(err, RF_EINVAL, "%s: item '%s': field 'k': %g is not in (0, 1]", w, id,
                            v);
            goto out;
        }
        k[idx] = v;
    }
    memcpy(p->sh, k, p->n * sizeof *k);
out:
    free(k);
    json_decref(root);
    return rc;
}

rf_status rf_cat_exposure_load(struct rf_cat_pool *p, const char *path, struct rf_err *err)
{
    json_t *root;
    rf_status rc = rf_json_load_file(path, &root, err);
    if (rc)
        return rc;
    return exposure_from_json(p, root, path, err);
}

rf_status rf_cat_exposure_parse(struct rf_cat_pool *p, const char *name, const char *data,
                                size_t len, struct rf_err *err)
{
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    return exposure_from_json(p, root, name, err);
}
