/* Online calibration of pretest items (see online.h). */
#include "calib/online.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/params.h"
#include "base/config.h"
#include "base/mem.h"
#include "calib/calib.h"
#include "calib/recal.h"
#include "irt/quad.h"

void rf_online_prior_default(struct rf_online_prior *p)
{
    p->mu_loga = RF_ONLINE_PRIOR_MU_LOGA;
    p->sd_loga = RF_ONLINE_PRIOR_SD_LOGA;
    p->sd_b = RF_ONLINE_PRIOR_SD_B;
    p->c_weight = RF_CALIB_PRIOR_C_ALPHA + RF_CALIB_PRIOR_C_BETA;
    p->mu_c = RF_CALIB_PRIOR_C_ALPHA / p->c_weight;
}

rf_status rf_online_prior_from_hyper(struct rf_online_prior *p, double mu_loga, double sd_loga,
                                     double sd_b, double mu_c)
{
    double w = RF_RECAL_C_WEIGHT;
    if (!(isfinite(mu_loga) && fabs(mu_loga) <= 2 && sd_loga > 0 && isfinite(sd_loga) && sd_b > 0 &&
          isfinite(sd_b) && w * mu_c >= 1 && w * (1 - mu_c) >= 1))
        return RF_EINVAL;
    p->mu_loga = mu_loga;
    p->sd_loga = fmax(sd_loga, RF_ONLINE_PRIOR_MIN_SD);
    p->sd_b = fmax(sd_b, RF_ONLINE_PRIOR_MIN_SD);
    p->mu_c = mu_c;
    p->c_weight = w;
    return RF_OK;
}

void rf_online_rules_default(struct rf_online_rules *r)
{
    rf_online_prior_default(&r->prior);
    r->min_n = RF_ONLINE_MIN_N;
    r->max_se_a = RF_ONLINE_MAX_SE_A;
    r->max_se_b = RF_ONLINE_MAX_SE_B;
    r->min_fit_p = RF_ONLINE_MIN_FIT_P;
    r->min_a = RF_LINT_A_MIN;
    r->max_a = RF_LINT_A_MAX;
    r->max_abs_b = RF_LINT_B_ABS;
}

void rf_online_result_cleanup(struct rf_online_result *res)
{
    free(res->items);
    memset(res, 0, sizeof *res);
}

static size_t free_params(const struct rf_irt_item *it)
{
    switch (it->model) {
    case RF_MODEL_1PL: return 1;
    case RF_MODEL_2PL: return 2;
    case RF_MODEL_3PL: return 3;
    default: return it->ncat;
    }
}

/* Expected score and its variance of an answer to it by a person whose
 * ability is N(m, s^2): RF_ONLINE_FIT_NODES nodes over m +- 5 s. */
static void predictive(const struct rf_irt_item *it, double m, double s, double *e, double *v)
{
    double w = 0, e1 = 0, e2 = 0, p[RF_MAX_CATEGORIES];
    for (int q = 0; q < RF_ONLINE_FIT_NODES; q++) {
        double z = -5.0 + 10.0 * q / (RF_ONLINE_FIT_NODES - 1), wq = exp(-0.5 * z * z);
        rf_irt_probs(it, m + s * z, p);
        for (size_t k = 0; k < it->ncat; k++) {
            e1 += wq * p[k] * (double)k;
            e2 += wq * p[k] * (double)(k * k);
        }
        w += wq;
    }
    *e = e1 / w;
    *v = e2 / w - *e * *e;
}

/* One answer in the fit: the posterior mean that sorts it into a group, its
 * score, and the score's expectation and variance under the estimate. */
struct fit_point {
    double key, e, v;
    int k;
};

static int by_key(const void *x, const void *y)
{
    const struct fit_point *a = x, *b = y;
    return a->key < b->key ? -1 : a->key > b->key ? 1 : 0;
}

/* X2 over n points (sorted here) in G groups for an item with np free
 * parameters; NaN when G <= np. */
static double fit_points(struct fit_point *pt, size_t n, size_t np, size_t *df, double *p)
{
    size_t g = n / RF_ONLINE_FIT_MIN_GROUP;
    if (g > RF_ONLINE_FIT_GROUPS)
        g = RF_ONLINE_FIT_GROUPS;
    *df = 0;
    *p = NAN;
    if (g <= np)
        return NAN;
    qsort(pt, n, sizeof *pt, by_key);
    double x2 = 0;
    for (size_t k = 0; k < g; k++) {
        size_t lo = k * n / g, hi = (k + 1) * n / g;
        double o = 0, e = 0, v = 0;
        for (size_t i = lo; i < hi; i++) {
            o += pt[i].k;
            e += pt[i].e;
            v += pt[i].v;
        }
        if (v > 0)
            x2 += (o - e) * (o - e) / v;
    }
    *df = g - np;
    *p = rf_calib_chisq_upper(x2, (double)*df);
    return x2;
}

double rf_online_fit(const struct rf_irt_item *est, const struct rf_online_answer *const *ans,
                     size_t n, size_t *df, double *p)
{
    *df = 0;
    *p = NAN;
    struct fit_point *pt = rf_alloc_array(n ? n : 1, sizeof *pt);
    if (!pt)
        return NAN;
    for (size_t i = 0; i < n; i++) {
        pt[i].key = ans[i]->theta;
        pt[i].k = ans[i]->k;
        predictive(est, ans[i]->theta, ans[i]->sd, &pt[i].e, &pt[i].v);
    }
    double x2 = fit_points(pt, n, free_params(est), df, p);
    free(pt);
    return x2;
}

static int by_person_item(const void *x, const void *y)
{
    const struct rf_online_answer *a = *(const struct rf_online_answer *const *)x;
    const struct rf_online_answer *b = *(const struct rf_online_answer *const *)y;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    return a->item < b->item ? -1 : a->item > b->item ? 1 : 0;
}

/* Why a pretest item's answers cannot be calibrated (fewer than two
 * categories seen, a graded item missing a middle category), or NULL. */
static const char *unusable(const struct rf_irt_item *it, const size_t *seen)
{
    size_t distinct = 0, top = 0;
    for (size_t k = 0; k < it->ncat; k++)
        if (seen[k]) {
            distinct++;
            top = k;
        }
    if (distinct < 2)
        return "every answer in one category: nothing to estimate yet";
    for (size_t k = 0; k < top; k++)
        if (!seen[k])
            return "a middle category was never given: nothing to estimate its threshold";
    return NULL;
}

/* The verdict of an estimated item against the rules, into r->ready and r->note. */
static void verdict(struct rf_online_result_item *r, const struct rf_online_rules *ru)
{
    char *w = r->note;
    size_t cap = sizeof r->note, len = 0;
    int fails = 0;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        if (len < cap)                                                                             \
            len += (size_t)snprintf(w + len, cap - len, "%s", fails++ ? "; " : "");                \
        if (len < cap)                                                                             \
            len += (size_t)snprintf(w + len, cap - len, __VA_ARGS__);                              \
    } while (0)
    if (r->n < ru->min_n)
        FAIL("%zu answers, fewer than %zu", r->n, ru->min_n);
    if (!(r->se_a <= ru->max_se_a))
        FAIL("SE(a) %.3f above %.2f", r->se_a, ru->max_se_a);
    size_t nb = r->est.model == RF_MODEL_GRM ? r->est.ncat - 1 : 1;
    for (size_t k = 0; k < nb; k++)
        if (!(r->se_b[k] <= ru->max_se_b)) {
            FAIL("SE(b%s) %.3f above %.2f", nb > 1 ? "_k" : "", r->se_b[k], ru->max_se_b);
            break;
        }
    if (!(r->fit_p >= ru->min_fit_p))
        FAIL(isnan(r->fit_p) ? "fit not measured (too few answers)" : "misfit: p = %.4f", r->fit_p);
    if (!(r->est.a >= ru->min_a && r->est.a <= ru->max_a))
        FAIL("a = %.2f outside %.1f..%.1f", r->est.a, ru->min_a, ru->max_a);
    double bmax = r->est.model == RF_MODEL_GRM ? fmax(fabs(r->est.thr[0]), fabs(r->est.thr[nb - 1]))
                                               : fabs(r->est.b);
    if (!(bmax <= ru->max_abs_b))
        FAIL("|b| = %.2f above %.1f", bmax, ru->max_abs_b);
#undef FAIL
    r->ready = fails == 0;
    if (r->ready)
        snprintf(r->note, sizeof r->note, "passes every rule: ready for staff review");
}

struct skill_run {
    const struct rf_online_item *items;
    size_t nitems;
    const struct rf_online_answer *const *sorted; /* by person, item */
    size_t nans;
    const struct rf_online_rules *rules;
    size_t threads;
    /* workspace over the whole bank / all persons */
    size_t *local;                     /* [nitems] local index or SIZE_MAX */
    unsigned char *excl;               /* [nitems] pretest item left out (note set) */
    struct rf_online_result_item *out; /* [nitems] results by item, n > 0 when a pretest item */
    struct fit_point *fit;             /* [nans] by sorted position: a pretest answer's point
                                          at the estimation (key NaN until set) */
};

/* The end of the answers of the person at sorted[a]; *has: one of them is a
 * pretest answer on skill that is kept. */
static size_t person_span(const struct skill_run *sr, size_t a, size_t skill, int *has)
{
    size_t b = a;
    *has = 0;
    while (b < sr->nans && sr->sorted[b]->person == sr->sorted[a]->person) {
        size_t j = sr->sorted[b]->item;
        *has |= sr->items[j].skill == skill && sr->items[j].pretest && !sr->excl[j];
        b++;
    }
    return b;
}

/* Whether answer sorted[c], of the person whose answers start at a, enters
 * skill's row: of the skill, not left out, not a repeat of the item. */
static int in_row(const struct skill_run *sr, size_t a, size_t c, size_t skill)
{
    size_t j = sr->sorted[c]->item;
    return sr->items[j].skill == skill && !sr->excl[j] && !(c > a && sr->sorted[c - 1]->item == j);
}

/* A skill's rows as calibrate_skill builds them: row r's entries are
 * [row_ptr[r], row_ptr[r + 1]), local item col, category val, and src the
 * sorted position of the answer. */
struct rf_csr {
    size_t nrows;
    const size_t *row_ptr;
    const uint32_t *col;
    const signed char *val;
    const size_t *src;
};

/* Each kept pretest answer's fit point at the estimation: the posterior of
 * its person from the row's other answers (the items at the estimated or
 * fixed parameters the EM ended with), on the EM's grid with its latent
 * N(mean, sd^2) as the prior; the answer's expectation and variance under
 * the item's estimate integrated over that posterior, and its mean as the
 * key that sorts it into a group. Leaving the answer out keeps it
 * independent of its own prediction (as the stored posterior was), and
 * the rest is the model the estimate was fitted under: the stored
 * posterior came from the bank and prior of the day, the test's answers so
 * far only, so under a bank that is wrong or a population that is not
 * N(0, 1) it drifts from the estimation's scale and every misfit it
 * suggests grows with the answers (docs/calibration.md "Item fit"). */
static rf_status fit_points_of_skill(struct skill_run *sr, const struct rf_csr *rows,
                                     const struct rf_calib_opts *o,
                                     const struct rf_calib_result *res, const size_t *global,
                                     struct rf_err *err)
{
    struct rf_quad q;
    struct rf_err qerr;
    if (rf_quad_init_even(&q, o->nquad, o->lo, o->hi, res->latent_mean, res->latent_sd, &qerr))
        return rf_err_set(err, RF_EINVAL, "online calibration: the fit's grid: %s", qerr.msg);
    size_t nq = q.n;
    double *all = rf_alloc_array(2 * nq, sizeof *all), *lp = all ? all + nq : NULL;
    if (!all) {
        rf_quad_cleanup(&q);
        return rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
    }
    for (size_t r = 0; r < rows->nrows; r++) {
        size_t z0 = rows->row_ptr[r], z1 = rows->row_ptr[r + 1];
        for (size_t g = 0; g < nq; g++) {
            double s = q.logw[g];
            for (size_t z = z0; z < z1; z++)
                s += rf_irt_logprob(&res->items[rows->col[z]].it, q.x[g], (size_t)rows->val[z]);
            all[g] = s;
        }
        for (size_t z = z0; z < z1; z++) {
            const struct rf_irt_item *it = &res->items[rows->col[z]].it;
            if (!sr->items[global[rows->col[z]]].pretest)
                continue;
            double top = -HUGE_VAL;
            for (size_t g = 0; g < nq; g++) {
                lp[g] = all[g] - rf_irt_logprob(it, q.x[g], (size_t)rows->val[z]);
                if (lp[g] > top)
                    top = lp[g];
            }
            double w = 0, m = 0, e1 = 0, e2 = 0, pr[RF_MAX_CATEGORIES];
            for (size_t g = 0; g < nq; g++) {
                double wg = isfinite(lp[g]) ? exp(lp[g] - top) : 0;
                if (wg == 0)
                    continue;
                rf_irt_probs(it, q.x[g], pr);
                double ek = 0, ek2 = 0;
                for (size_t k = 0; k < it->ncat; k++) {
                    ek += pr[k] * (double)k;
                    ek2 += pr[k] * (double)(k * k);
                }
                w += wg;
                m += wg * q.x[g];
                e1 += wg * ek;
                e2 += wg * ek2;
            }
            struct fit_point *pt = &sr->fit[rows->src[z]];
            pt->key = m / w;
            pt->e = e1 / w;
            pt->v = e2 / w - pt->e * pt->e;
            pt->k = (unsigned char)rows->val[z]; /* a category, 0..ncat - 1 */
        }
    }
    free(all);
    rf_quad_cleanup(&q);
    return RF_OK;
}

/* One skill: the persons with a pretest answer on it, all their answers on
 * it, the operational items fixed. */
static rf_status calibrate_skill(struct skill_run *sr, size_t skill, struct rf_err *err)
{
    const struct rf_online_item *it = sr->items;
    size_t nl = 0, nrows = 0, nnz = 0;
    for (size_t j = 0; j < sr->nitems; j++)
        sr->local[j] = SIZE_MAX;
    /* pass 1: rows (persons with a kept pretest answer) and the items they answered */
    for (size_t a = 0, b; a < sr->nans; a = b) {
        int has;
        b = person_span(sr, a, skill, &has);
        if (has) {
            nrows++;
            for (size_t c = a; c < b; c++) {
                size_t j = sr->sorted[c]->item;
                if (!in_row(sr, a, c, skill))
                    continue;
                if (sr->local[j] == SIZE_MAX)
                    sr->local[j] = nl++;
                nnz++;
            }
        }
    }
    if (!nrows)
        return RF_OK;
    size_t *row_ptr = rf_alloc_array(nrows + 1, sizeof *row_ptr);
    uint32_t *col = rf_alloc_array(nnz ? nnz : 1, sizeof *col);
    signed char *val = rf_alloc_array(nnz ? nnz : 1, 1);
    size_t *src = rf_alloc_array(nnz ? nnz : 1, sizeof *src); /* sorted position of each entry */
    const char **ids = rf_alloc_array(nl, sizeof *ids);
    enum rf_model *models = rf_alloc_array(nl, sizeof *models);
    size_t *global = rf_alloc_array(nl, sizeof *global);
    double *bmu = rf_alloc_array(nl ? nl : 1, sizeof *bmu);
    struct rf_param_table fixed = {0, rf_calloc_array(nl, sizeof(char *)),
                                   rf_alloc_array(nl, sizeof(struct rf_irt_item))};
    rf_status rc = RF_OK;
    if (!row_ptr || !col || !val || !src || !ids || !models || !global || !bmu || !fixed.ids ||
        !fixed.items)
        rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
    for (size_t j = 0; !rc && j < sr->nitems; j++) {
        size_t l = sr->local[j];
        if (l == SIZE_MAX)
            continue;
        ids[l] = it[j].id;
        models[l] = it[j].irt.model;
        global[l] = j;
        if (!it[j].pretest) {
            if (!(fixed.ids[fixed.n] = rf_strdup(it[j].id)))
                rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
            fixed.items[fixed.n++] = it[j].irt;
        }
    }
    /* pass 2: the rows, local columns increasing */
    size_t r = 0, z = 0;
    for (size_t a = 0, b; !rc && a < sr->nans; a = b) {
        int has;
        b = person_span(sr, a, skill, &has);
        if (has) {
            row_ptr[r++] = z;
            size_t z0 = z;
            for (size_t c = a; c < b; c++) {
                size_t j = sr->sorted[c]->item;
                if (!in_row(sr, a, c, skill))
                    continue;
                /* insertion by local index */
                size_t pos = z++;
                while (pos > z0 && col[pos - 1] > sr->local[j]) {
                    col[pos] = col[pos - 1];
                    val[pos] = val[pos - 1];
                    src[pos] = src[pos - 1];
                    pos--;
                }
                col[pos] = (uint32_t)sr->local[j];
                val[pos] = (signed char)sr->sorted[c]->k;
                src[pos] = c;
            }
        }
    }
    if (!rc)
        row_ptr[nrows] = z;
    struct rf_calib_result res;
    memset(&res, 0, sizeof res);
    if (!rc) {
        struct rf_calib_data data = {nrows, nl, ids, NULL, row_ptr, col, val};
        struct rf_calib_opts o;
        rf_calib_opts_default(&o);
        o.model = RF_MODEL_2PL;
        o.item_model = models;
        o.fixed = fixed.n ? &fixed : NULL;
        o.threads = sr->threads;
        o.want_fit = 0; /* S-X2 needs complete data: rf_online_fit instead */
        const struct rf_online_prior *pr = &sr->rules->prior;
        o.prior_a = 1;
        o.prior_a_mu = pr->mu_loga;
        o.prior_a_sigma = pr->sd_loga;
        o.prior_c = 1;
        o.prior_c_alpha = pr->c_weight * pr->mu_c;
        o.prior_c_beta = pr->c_weight * (1 - pr->mu_c);
        if (pr->sd_b > 0) { /* each pretest item's rated b; NaN for the fixed items */
            for (size_t l = 0; l < nl; l++)
                bmu[l] = it[global[l]].pretest && it[global[l]].irt.ncat == 2 ? it[global[l]].irt.b
                                                                              : NAN;
            o.prior_b_mu = bmu;
            o.prior_b_sigma = pr->sd_b;
        }
        struct rf_err cerr;
        rf_err_clear(&cerr);
        rf_status crc = rf_calib_run(&data, &o, &res, &cerr);
        if (crc == RF_ENOMEM) {
            rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
        } else if (crc) { /* the skill's items stay unestimated, with the reason */
            for (size_t l = 0; l < nl; l++)
                if (it[global[l]].pretest)
                    snprintf(sr->out[global[l]].note, sizeof sr->out[global[l]].note, "%s",
                             cerr.msg);
        } else {
            for (size_t l = 0; l < nl; l++) {
                struct rf_online_result_item *o2 = &sr->out[global[l]];
                const struct rf_calib_item *ci = &res.items[l];
                if (!it[global[l]].pretest)
                    continue;
                o2->est = ci->it;
                o2->se_a = ci->se_a;
                o2->se_c = ci->se_c;
                memcpy(o2->se_b, ci->se_b, sizeof o2->se_b);
                o2->ok = 1;
            }
            struct rf_csr rows = {nrows, row_ptr, col, val, src};
            rc = fit_points_of_skill(sr, &rows, &o, &res, global, err);
        }
    }
    rf_calib_result_cleanup(&res);
    free(row_ptr);
    free(col);
    free(val);
    free(src);
    free(ids);
    free(models);
    free(global);
    free(bmu);
    rf_params_cleanup(&fixed);
    return rc;
}

static rf_status check_answers(const struct rf_online_item *items, size_t nitems,
                               const struct rf_online_answer *ans, size_t nans, struct rf_err *err)
{
    for (size_t i = 0; i < nans; i++) {
        const struct rf_online_answer *a = &ans[i];
        if (a->item >= nitems)
            return rf_err_set(err, RF_EINVAL, "answer %zu: item %u is not in the bank", i + 1,
                              (unsigned)a->item);
        const struct rf_online_item *it = &items[a->item];
        if (a->k < 0 || (size_t)a->k >= it->irt.ncat)
            return rf_err_set(err, RF_EINVAL, "answer %zu: item '%s': category %d out of 0..%zu",
                              i + 1, it->id, a->k, it->irt.ncat - 1);
        if (it->pretest && !(isfinite(a->theta) && isfinite(a->sd) && a->sd > 0))
            return rf_err_set(err, RF_EINVAL,
                              "answer %zu: pretest item '%s': posterior mean and SD must be "
                              "finite with SD > 0",
                              i + 1, it->id);
    }
    return RF_OK;
}

rf_status rf_online_run(const struct rf_online_item *items, size_t nitems,
                        const struct rf_online_answer *answers, size_t nans,
                        const struct rf_online_rules *rules, size_t threads,
                        struct rf_online_result *res, struct rf_err *err)
{
    memset(res, 0, sizeof *res);
    rf_status rc = check_answers(items, nitems, answers, nans, err);
    if (rc)
        return rc;
    const struct rf_online_answer **sorted = rf_alloc_array(
        nans ? nans : 1, sizeof *sorted); /* NOLINT(bugprone-sizeof-expression): pointers */
    struct skill_run sr = {items,
                           nitems,
                           NULL,
                           nans,
                           rules,
                           threads ? threads : 1,
                           rf_alloc_array(nitems ? nitems : 1, sizeof(size_t)),
                           rf_calloc_array(nitems ? nitems : 1, 1),
                           rf_calloc_array(nitems ? nitems : 1, sizeof *sr.out),
                           rf_alloc_array(nans ? nans : 1, sizeof(struct fit_point))};
    size_t *seen = rf_calloc_array((nitems ? nitems : 1) * RF_MAX_CATEGORIES, sizeof *seen);
    if (!sorted || !sr.local || !sr.excl || !sr.out || !sr.fit || !seen)
        rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
    for (size_t i = 0; !rc && i < nans; i++) {
        sorted[i] = &answers[i];
        sr.fit[i].key = NAN;
        if (items[answers[i].item].pretest) {
            sr.out[answers[i].item].n++;
            seen[(size_t)answers[i].item * RF_MAX_CATEGORIES + (size_t)answers[i].k]++;
        }
    }
    if (!rc)
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        qsort(sorted, nans, sizeof *sorted, by_person_item);
    sr.sorted = sorted;
    for (size_t j = 0; !rc && j < nitems; j++) {
        sr.out[j].item = j;
        sr.out[j].fit = sr.out[j].fit_p = NAN;
        const char *why = items[j].pretest && sr.out[j].n
                              ? unusable(&items[j].irt, seen + j * RF_MAX_CATEGORIES)
                              : NULL;
        if (why) {
            sr.excl[j] = 1;
            snprintf(sr.out[j].note, sizeof sr.out[j].note, "%s", why);
        }
    }
    /* every skill with a pretest item answered, once */
    for (size_t j = 0; !rc && j < nitems; j++) {
        if (!items[j].pretest || !sr.out[j].n || sr.excl[j])
            continue;
        size_t k = 0;
        while (k < j && !(items[k].skill == items[j].skill && items[k].pretest && sr.out[k].n &&
                          !sr.excl[k]))
            k++;
        if (k < j)
            continue;
        rc = calibrate_skill(&sr, items[j].skill, err);
        res->nskills++;
    }
    /* fit and verdict of each estimated item, from its answers' points at
     * the estimation (by item: a counting sort of the sorted positions) */
    size_t *start = rf_calloc_array(nitems + 1, sizeof *start);
    size_t *by_item = rf_alloc_array(nans ? nans : 1, sizeof *by_item);
    struct fit_point *mine = rf_alloc_array(nans ? nans : 1, sizeof *mine);
    if (!rc && (!start || !by_item || !mine))
        rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
    for (size_t c = 0; !rc && c < nans; c++)
        start[sorted[c]->item + 1]++;
    for (size_t j = 0; !rc && j < nitems; j++)
        start[j + 1] += start[j];
    for (size_t c = 0; !rc && c < nans; c++)
        by_item[start[sorted[c]->item]++] = c;
    for (size_t j = nitems; !rc && j > 0; j--) /* back to each item's first */
        start[j] = start[j - 1];
    if (!rc)
        start[0] = 0;
    size_t nout = 0;
    for (size_t j = 0; !rc && j < nitems; j++) {
        struct rf_online_result_item *o = &sr.out[j];
        if (!items[j].pretest || !o->n)
            continue;
        nout++;
        if (!o->ok)
            continue;
        size_t m = 0;
        for (size_t i = start[j]; i < start[j + 1]; i++)
            if (!isnan(sr.fit[by_item[i]].key)) /* a repeat within a test is not in the fit */
                mine[m++] = sr.fit[by_item[i]];
        o->fit = fit_points(mine, m, free_params(&o->est), &o->fit_df, &o->fit_p);
        verdict(o, rules);
    }
    free(start);
    free(by_item);
    free(mine);
    if (!rc && !(res->items = rf_alloc_array(nout ? nout : 1, sizeof *res->items)))
        rc = rf_err_set(err, RF_ENOMEM, "online calibration: out of memory");
    for (size_t j = 0; !rc && j < nitems; j++)
        if (items[j].pretest && sr.out[j].n)
            res->items[res->n++] = sr.out[j];
    free(sorted);
    free(sr.local);
    free(sr.excl);
    free(sr.out);
    free(sr.fit);
    free(seen);
    if (rc)
        rf_online_result_cleanup(res);
    return rc;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

rf_status rf_online_result_to_json(const struct rf_online_result *res,
                                   const struct rf_online_item *items,
                                   const struct rf_online_rules *rules, json_t **out)
{
    json_t *arr = json_array();
    json_t *root =
        arr ? json_pack("{s:o, s:{s:I, s:f, s:f, s:f, s:f, s:f, s:f}}", "items", arr, "rules",
                        "min_n", (json_int_t)rules->min_n, "max_se_a", rules->max_se_a, "max_se_b",
                        rules->max_se_b, "min_fit_p", rules->min_fit_p, "min_a", rules->min_a,
                        "max_a", rules->max_a, "max_abs_b", rules->max_abs_b)
            : NULL;
    const struct rf_online_prior *pr = &rules->prior;
    if (!root || json_object_set_new(json_object_get(root, "rules"), "prior",
                                     json_pack("{s:f, s:f, s:f, s:f, s:f}", "mu_loga", pr->mu_loga,
                                               "sd_loga", pr->sd_loga, "sd_b", pr->sd_b, "mu_c",
                                               pr->mu_c, "c_weight", pr->c_weight))) {
        json_decref(root);
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < res->n; i++) {
        const struct rf_online_result_item *r = &res->items[i];
        json_t *o =
            json_pack("{s:s, s:I, s:b, s:b, s:s}", "id", items[r->item].id, "n", (json_int_t)r->n,
                      "estimated", r->ok, "ready", r->ready, "note", r->note);
        if (!o || json_array_append_new(arr, o))
            goto nomem;
        if (!r->ok)
            continue;
        json_t *se = json_object(), *fit;
        if (!se || rf_params_to_json(&r->est, o) || json_object_set_new(o, "se", se))
            goto nomem;
        size_t nb = r->est.model == RF_MODEL_GRM ? r->est.ncat - 1 : 1;
        json_t *sb = json_array();
        if (!sb || json_object_set_new(se, "b", nb > 1 ? sb : num(r->se_b[0])))
            goto nomem;
        for (size_t k = 0; nb > 1 && k < nb; k++)
            if (json_array_append_new(sb, num(r->se_b[k])))
                goto nomem;
        if (nb == 1)
            json_decref(sb);
        if (json_object_set_new(se, "a", num(r->se_a)) ||
            (r->est.model == RF_MODEL_3PL && json_object_set_new(se, "c", num(r->se_c))))
            goto nomem;
        fit = isfinite(r->fit) ? json_pack("{s:f, s:I, s:f}", "x2", r->fit, "df",
                                           (json_int_t)r->fit_df, "p", r->fit_p)
                               : json_null();
        if (!fit || json_object_set_new(o, "fit", fit))
            goto nomem;
    }
    *out = root;
    return RF_OK;
nomem:
    json_decref(root);
    return RF_ENOMEM;
}
