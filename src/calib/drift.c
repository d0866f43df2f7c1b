/* Parameter drift of operational items; see drift.h. */
#include "calib/drift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

void rf_drift_rules_default(struct rf_drift_rules *r)
{
    r->min_n = RF_DRIFT_MIN_N;
    r->min_shift = RF_DRIFT_MIN_SHIFT;
    r->min_z = RF_DRIFT_MIN_Z;
}

void rf_drift_loo(const struct rf_irt_item *const *items, const int *k, size_t n,
                  const struct rf_quad *q, double *mean, double *sd, double *work)
{
    size_t nq = q->n;
    double *all = work, *lp = work + nq;
    for (size_t g = 0; g < nq; g++) {
        double s = q->logw[g];
        for (size_t j = 0; j < n; j++)
            s += rf_irt_logprob(items[j], q->x[g], (size_t)k[j]);
        all[g] = s;
    }
    for (size_t j = 0; j < n; j++) {
        double top = -HUGE_VAL;
        for (size_t g = 0; g < nq; g++) {
            lp[g] = all[g] - rf_irt_logprob(items[j], q->x[g], (size_t)k[j]);
            if (lp[g] > top)
                top = lp[g];
        }
        double w = 0, m = 0, m2 = 0;
        for (size_t g = 0; g < nq; g++) {
            double e = isfinite(lp[g]) ? exp(lp[g] - top) : 0;
            w += e;
            m += e * q->x[g];
            m2 += e * q->x[g] * q->x[g];
        }
        m /= w;
        mean[j] = m;
        double v = m2 / w - m * m;
        sd[j] = sqrt(v > 1e-12 ? v : 1e-12);
    }
}

/* The item's answers, by pointer. */
struct item_ans {
    const struct rf_drift_answer **a;
    size_t n;
};

/* Log marginal likelihood of the answers with the curve shifted by delta:
 * sum_i log sum_g w_g P(k_i | m_i - delta + s_i z_g). */
static double loglik(const struct rf_irt_item *it, const struct item_ans *ia,
                     const struct rf_quad *gh, double delta)
{
    double ll = 0;
    for (size_t i = 0; i < ia->n; i++) {
        const struct rf_drift_answer *a = ia->a[i];
        double p = 0;
        for (size_t g = 0; g < gh->n; g++)
            p += gh->w[g] * rf_irt_prob(it, a->theta - delta + a->sd * gh->x[g], (size_t)a->k);
        ll += log(p > 1e-300 ? p : 1e-300);
    }
    return ll;
}

#define H 1e-3
#define MAX_SHIFT 4.0

/* Newton on delta with numeric derivatives and step halving; *se from the
 * curvature at the optimum. */
static double fit_shift(const struct rf_irt_item *it, const struct item_ans *ia,
                        const struct rf_quad *gh, double *se)
{
    double d = 0, l0 = loglik(it, ia, gh, 0);
    for (int iter = 0; iter < 40; iter++) {
        double lm = loglik(it, ia, gh, d - H), lp = loglik(it, ia, gh, d + H);
        double g = (lp - lm) / (2 * H), h2 = (lp - 2 * l0 + lm) / (H * H);
        double step = h2 < 0 ? -g / h2 : (g > 0 ? 0.5 : -0.5);
        if (step > 1)
            step = 1;
        if (step < -1)
            step = -1;
        double nd = d + step, nl;
        for (int half = 0;; half++) {
            if (nd > MAX_SHIFT)
                nd = MAX_SHIFT;
            if (nd < -MAX_SHIFT)
                nd = -MAX_SHIFT;
            nl = loglik(it, ia, gh, nd);
            if (nl >= l0 || half == 20)
                break;
            step /= 2;
            nd = d + step;
        }
        double moved = fabs(nd - d);
        if (nl >= l0) {
            d = nd;
            l0 = nl;
        }
        if (moved < 1e-5)
            break;
    }
    double lm = loglik(it, ia, gh, d - H), lp = loglik(it, ia, gh, d + H);
    double h2 = (lp - 2 * l0 + lm) / (H * H);
    *se = h2 < 0 ? 1 / sqrt(-h2) : NAN;
    return d;
}

static int cmp_item(const void *x, const void *y)
{
    const struct rf_drift_answer *a = *(const struct rf_drift_answer *const *)x;
    const struct rf_drift_answer *b = *(const struct rf_drift_answer *const *)y;
    return (a->item > b->item) - (a->item < b->item);
}

/* One item's re-estimate into r. */
static void test_item(const struct rf_drift_item *item, const struct item_ans *ia,
                      const struct rf_drift_rules *rules, const struct rf_quad *gh,
                      struct rf_drift_result_item *r)
{
    const struct rf_irt_item *it = &item->irt;
    double obs = 0, exp0 = 0;
    size_t seen[RF_MAX_CATEGORIES] = {0};
    for (size_t i = 0; i < ia->n; i++) {
        const struct rf_drift_answer *a = ia->a[i];
        obs += a->k;
        seen[a->k]++;
        for (size_t g = 0; g < gh->n; g++) {
            double pr[RF_MAX_CATEGORIES], th = a->theta + a->sd * gh->x[g];
            rf_irt_probs(it, th, pr);
            for (size_t c = 1; c < it->ncat; c++)
                exp0 += gh->w[g] * (double)c * pr[c];
        }
    }
    r->n = ia->n;
    r->observed = obs / (double)ia->n;
    r->expected = exp0 / (double)ia->n;
    r->shift = r->se = r->z = NAN;
    size_t cats = 0;
    for (size_t c = 0; c < it->ncat; c++)
        cats += seen[c] > 0;
    if (ia->n < rules->min_n) {
        snprintf(r->note, sizeof r->note, "fewer than %zu answers", rules->min_n);
        return;
    }
    if (cats < 2) {
        snprintf(r->note, sizeof r->note, "every answer in one category");
        return;
    }
    r->shift = fit_shift(it, ia, gh, &r->se);
    r->tested = isfinite(r->se) && fabs(r->shift) < MAX_SHIFT;
    if (!r->tested) {
        snprintf(r->note, sizeof r->note, "no finite estimate (shift at the bound)");
        r->flagged = fabs(r->shift) >= rules->min_shift;
        return;
    }
    r->z = r->shift / r->se;
    r->flagged = fabs(r->shift) >= rules->min_shift && fabs(r->z) >= rules->min_z;
    if (r->flagged)
        snprintf(r->note, sizeof r->note, "%s by %.2f logits (SE %.2f, z %.1f)",
                 r->shift < 0 ? "easier" : "harder", fabs(r->shift), r->se, r->z);
}

rf_status rf_drift_run(const struct rf_drift_item *items, size_t nitems,
                       const struct rf_drift_answer *ans, size_t nans,
                       const struct rf_drift_rules *rules, struct rf_drift_result *res,
                       struct rf_err *err)
{
    memset(res, 0, sizeof *res);
    for (size_t i = 0; i < nans; i++) {
        const struct rf_drift_answer *a = &ans[i];
        if (a->item >= nitems || a->k < 0 || (size_t)a->k >= items[a->item].irt.ncat)
            return rf_err_set(err, RF_EINVAL, "drift: answer %zu: item %u category %d out of range",
                              i, a->item, a->k);
        if (!isfinite(a->theta) || !(isfinite(a->sd) && a->sd > 0))
            return rf_err_set(err, RF_EINVAL,
                              "drift: answer %zu: posterior mean and SD must be finite, SD > 0", i);
    }
    const struct rf_drift_answer **by =
        rf_alloc_array(nans ? nans : 1, sizeof(const struct rf_drift_answer *));
    struct rf_quad gh;
    memset(&gh, 0, sizeof gh);
    rf_status rc = by ? rf_quad_init_hermite(&gh, RF_DRIFT_NODES, 0, 1, err)
                      : rf_err_set(err, RF_ENOMEM, "drift: out of memory");
    size_t nwith = 0;
    if (!rc) {
        for (size_t i = 0; i < nans; i++)
            by[i] = &ans[i];
        qsort(by, nans, sizeof(const struct rf_drift_answer *), cmp_item);
        for (size_t i = 0; i < nans; i++)
            nwith += i == 0 || by[i]->item != by[i - 1]->item;
        res->items = rf_calloc_array(nwith ? nwith : 1, sizeof *res->items);
        if (!res->items)
            rc = rf_err_set(err, RF_ENOMEM, "drift: out of memory");
    }
    for (size_t i = 0, e; !rc && i < nans; i = e) {
        for (e = i + 1; e < nans && by[e]->item == by[i]->item; e++)
            ;
        struct item_ans ia = {by + i, e - i};
        struct rf_drift_result_item *r = &res->items[res->n++];
        r->item = by[i]->item;
        test_item(&items[r->item], &ia, rules, &gh, r);
    }
    free(by);
    rf_quad_cleanup(&gh);
    if (rc)
        rf_drift_result_cleanup(res);
    return rc;
}

void rf_drift_result_cleanup(struct rf_drift_result *res)
{
    free(res->items);
    memset(res, 0, sizeof *res);
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

rf_status rf_drift_result_to_json(const struct rf_drift_result *res,
                                  const struct rf_drift_item *items,
                                  const struct rf_drift_rules *rules, json_t **out)
{
    json_t *arr = json_array();
    json_t *root = arr ? json_pack("{s:o, s:{s:I, s:f, s:f}}", "items", arr, "rules", "min_n",
                                   (json_int_t)rules->min_n, "min_shift", rules->min_shift, "min_z",
                                   rules->min_z)
                       : NULL;
    if (!root)
        return RF_ENOMEM;
    for (size_t i = 0; i < res->n; i++) {
        const struct rf_drift_result_item *r = &res->items[i];
        json_t *o =
            json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:s}", "id", items[r->item].id,
                      "n", (json_int_t)r->n, "shift", num(r->shift), "se", num(r->se), "z",
                      num(r->z), "observed", num(r->observed), "expected", num(r->expected),
                      "tested", r->tested, "flagged", r->flagged, "note", r->note);
        if (!o || json_array_append_new(arr, o)) {
            json_decref(root);
            return RF_ENOMEM;
        }
    }
    *out = root;
    return RF_OK;
}
