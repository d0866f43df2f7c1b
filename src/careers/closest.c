/*
 * Closest roles (see closest.h for the model). Each requirement's factor is
 * sum_i post_i * f_i / phi_i with f and phi normalized over the same grid, so
 * that a flat likelihood (an unmeasured skill, post = phi) gives exactly 1.
 */
#include "careers/closest.h"

#include <math.h>
#include <stdlib.h>

#include "base/config.h"
#include "base/mem.h"

void rf_closest_level_dist(const struct rf_taxonomy *tax, size_t skill, size_t level, double *mu,
                           double *tau)
{
    const double *c = tax->skills[skill].cuts;
    size_t top = RF_NLEVELS - 1;
    if (level < 1)
        level = 1;
    if (level > top)
        level = top;
    double lo = c[level - 1];
    double width = level < top ? c[level] - lo : lo - c[level - 2];
    if (!(width > 0))
        width = 1;
    *mu = lo + 0.5 * width;
    *tau = RF_CLOSEST_SPREAD * width;
}

void rf_closest_role_dists(const struct rf_roles *roles, const struct rf_role *role,
                           const char *const *skills, size_t n, double *mu, double *tau)
{
    for (size_t j = 0; j < n; j++) {
        size_t k;
        const struct rf_role_req *q = NULL;
        mu[j] = tau[j] = 0;
        if (rf_taxonomy_find(roles->tax, skills[j], &k) == RF_OK)
            q = rf_role_req_find(role, k);
        if (q)
            rf_closest_level_dist(roles->tax, k, q->level, &mu[j], &tau[j]);
    }
}

/* log sum_i exp(a_i) over n values; -inf entries are skipped. */
static double log_sum_exp(const double *a, size_t n)
{
    double m = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (a[i] > m)
            m = a[i];
    if (!isfinite(m))
        return m;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += exp(a[i] - m);
    /* cppcheck-suppress invalidFunctionArg ; s >= 1: the largest term adds exp(0) */
    return m + log(s);
}

/* log of the normal density's shape over the grid nodes, normalized over the grid. */
static void log_grid_normal(const struct rf_profile *p, double mu, double sd, double *out)
{
    for (size_t i = 0; i < p->n; i++) {
        double z = (rf_profile_node(p, i) - mu) / sd;
        out[i] = -0.5 * z * z;
    }
    double lz = log_sum_exp(out, p->n);
    for (size_t i = 0; i < p->n; i++)
        out[i] -= lz;
}

static int by_prob(const void *a, const void *b)
{
    const struct rf_role_close *x = a, *y = b;
    if ((x->nmeasured > 0) != (y->nmeasured > 0))
        return x->nmeasured > 0 ? -1 : 1;
    if (x->prob != y->prob)
        return x->prob > y->prob ? -1 : 1;
    if (x->log_bf != y->log_bf)
        return x->log_bf > y->log_bf ? -1 : 1;
    return x->role < y->role ? -1 : x->role > y->role;
}

/* log of the random responder's Bayes factor against the population on one
 * skill of a profile that does not store it (written before it was kept):
 * post / phi at the grid's lowest node, both normalized over the grid (the
 * likelihood there relative to its average under N(0, 1)). */
static double log_bf_none(const double *post, const double *lphi)
{
    return post[0] > 0 ? log(post[0]) - lphi[0] : -INFINITY;
}

/* Whether skill s of a profile counts as measured (see closest.h). */
static int measured(const struct rf_profile_skill *s)
{
    return s && (s->posterior || s->se < 1);
}

int rf_closest_bars_at_least(const struct rf_profile *p, const struct rf_roles *roles,
                             const struct rf_role *x, const struct rf_role *own)
{
    for (size_t k = 0; k < roles->tax->nskills; k++) {
        if (!measured(rf_profile_find(p, roles->tax->skills[k].id)))
            continue;
        const struct rf_role_req *qx = rf_role_req_find(x, k), *qo = rf_role_req_find(own, k);
        if ((qo ? qo->level : 0) > (qx ? qx->level : 0))
            return 0;
    }
    return 1;
}

int rf_closest_bars_highest(const struct rf_profile *p, const struct rf_roles *roles,
                            const struct rf_role *x)
{
    for (size_t i = 0; i < roles->n; i++) {
        const struct rf_role *y = &roles->roles[i];
        if (y != x && rf_closest_bars_at_least(p, roles, y, x) &&
            !rf_closest_bars_at_least(p, roles, x, y))
            return 0;
    }
    return 1;
}

rf_status rf_closest_all(const struct rf_profile *p, const struct rf_roles *roles,
                         struct rf_role_close **out, double *no_role, struct rf_err *err)
{
    size_t n = p->n, nr = roles->n ? roles->n : 1, nsk = roles->tax->nskills ? roles->tax->nskills : 1;
    struct rf_role_close *r = rf_calloc_array(nr, sizeof *r);
    double *work = rf_calloc_array(4 * n, sizeof *work);
    double *lbf = rf_calloc_array(nr + 1, sizeof *lbf);
    /* Per skill, the log of its posterior under N(0, 1) (lpost) and per
     * skill and level the log of the level's people's density (lfs), each
     * computed once for all the roles that require it (have_*: computed). */
    double *lpost = rf_alloc_array(nsk * n, sizeof *lpost);
    double *lfs = rf_alloc_array(nsk * RF_NLEVELS * n, sizeof *lfs);
    unsigned char *have_p = rf_calloc_array(nsk, 1), *have_f = rf_calloc_array(nsk * RF_NLEVELS, 1);
    if (!r || !work || !lbf || !lpost || !lfs || !have_p || !have_f) {
        free(r);
        free(work);
        free(lbf);
        free(lpost);
        free(lfs);
        free(have_p);
        free(have_f);
        return rf_err_set(err, RF_ENOMEM, "closest roles: out of memory");
    }
    double *post = work, *lphi = work + n, *term = work + 3 * n;
    log_grid_normal(p, 0.0, 1.0, lphi);
    for (size_t i = 0; i < roles->n; i++) {
        const struct rf_role *role = &roles->roles[i];
        double l = 0;
        size_t nm = 0;
        for (size_t k = 0; k < role->nreqs; k++) {
            const struct rf_role_req *q = &role->reqs[k];
            const struct rf_profile_skill *s = rf_profile_find(p, roles->tax->skills[q->skill].id);
            /* A normal summary with se >= 1 says nothing beyond the N(0, 1)
             * prior (its implied likelihood would be U-shaped): no evidence. */
            if (!measured(s))
                continue;
            nm++;
            size_t lv = q->level < 1 ? 1 : q->level > RF_NLEVELS - 1 ? RF_NLEVELS - 1 : q->level;
            double *lp = lpost + q->skill * n, *lf = lfs + (q->skill * RF_NLEVELS + lv) * n;
            if (!have_p[q->skill]) {
                rf_profile_posterior_indep(p, s, post); /* evidence vs N(0, 1) */
                for (size_t g = 0; g < n; g++)
                    lp[g] = post[g] > 0 ? log(post[g]) : -INFINITY;
                have_p[q->skill] = 1;
            }
            if (!have_f[q->skill * RF_NLEVELS + lv]) {
                double mu, tau;
                rf_closest_level_dist(roles->tax, q->skill, lv, &mu, &tau);
                log_grid_normal(p, mu, tau, lf);
                have_f[q->skill * RF_NLEVELS + lv] = 1;
            }
            for (size_t g = 0; g < n; g++)
                term[g] = lp[g] > -INFINITY ? lp[g] + lf[g] - lphi[g] : -INFINITY;
            l += log_sum_exp(term, n);
        }
        r[i].role = role;
        r[i].log_bf = l;
        r[i].nmeasured = nm;
        lbf[i] = l;
    }
    /* The random responder, on every measured skill of the taxonomy. */
    double lnone = 0;
    size_t nnone = 0;
    for (size_t k = 0; k < roles->tax->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(p, roles->tax->skills[k].id);
        if (!measured(s))
            continue;
        if (s->has_random) { /* the answers' own random-responder evidence */
            lnone += s->random_lbf;
        } else { /* a profile from before it was kept */
            rf_profile_posterior_indep(p, s, post); /* evidence vs N(0, 1) */
            lnone += log_bf_none(post, lphi);
        }
        nnone++;
    }
    /* Odds among the roles the profile measured something of: a role none of
     * whose skills was measured has no evidence either way (BF 1), and would
     * otherwise win by default over roles the answers count against. The
     * random responder competes with them at the odds of one role. The prior
     * is even over them, except for the role the profile's prior names (a
     * role test's takers: weight w on its people, careers/profile.h), which
     * takes w + (1 - w) / m of m hypotheses, the others (1 - w) / m. */
    size_t nm = 0, nh;
    for (size_t i = 0; i < roles->n; i++)
        nm += r[i].nmeasured > 0;
    nh = nm + (nm && nnone);
    double w = 0;
    const struct rf_role *taken = NULL;
    if (nh && p->model && p->model->role && p->model->spec.ncomp > 1) {
        const struct rf_hier_spec *sp = &p->model->spec;
        double tot = 0;
        for (size_t c = 0; c < sp->ncomp; c++)
            tot += sp->comp[c].weight;
        taken = rf_roles_find(roles, p->model->role);
        w = taken && tot > 0 ? sp->comp[sp->ncomp - 1].weight / tot : 0;
    }
    double lrest = nh ? log((1 - w) / (double)nh) : 0;
    double lown = nh ? log(w + (1 - w) / (double)nh) : 0;
    nm = 0;
    for (size_t i = 0; i < roles->n; i++)
        if (r[i].nmeasured)
            lbf[nm++] = r[i].log_bf + (r[i].role == taken ? lown : lrest);
    if (nm && nnone)
        lbf[nm++] = lnone + lrest;
    double lz = log_sum_exp(lbf, nm);
    if (no_role)
        *no_role = nm && nnone && isfinite(lz) ? exp(lnone + lrest - lz) : 0.0;
    for (size_t i = 0; i < roles->n; i++)
        r[i].prob = nm == 0 ? 1.0 / (double)roles->n
                    : r[i].nmeasured && isfinite(lz)
                        ? exp(r[i].log_bf + (r[i].role == taken ? lown : lrest) - lz)
                        : 0.0;
    qsort(r, roles->n, sizeof *r, by_prob);
    free(work);
    free(lbf);
    free(lpost);
    free(lfs);
    free(have_p);
    free(have_f);
    *out = r;
    return RF_OK;
}
