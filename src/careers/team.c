/*
 * Team coverage over the deployment roles and lifecycle tasks, single points
 * of failure and the next hire (careers/team.h).
 */
#include "careers/team.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/fit.h"
#include "careers/profile.h"

void rf_team_spec_cleanup(struct rf_team_spec *s)
{
    if (!s)
        return;
    free(s->roles);
    free(s->tasks);
    memset(s, 0, sizeof *s);
}

rf_status rf_team_spec_load_mem(const char *name, const char *data, size_t len,
                                const struct rf_careers *c, struct rf_team_spec *out,
                                struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_team_spec tmp = {0};
    int present = 0;
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    if (!rc)
        rc = rf_careers_refs(c, root, "deployment_roles", RF_REF_ROLE, &tmp.roles, &tmp.nroles,
                             name, err);
    if (!rc)
        rc = rf_careers_refs(c, root, "lifecycle_tasks", RF_REF_TASK, &tmp.tasks, &tmp.ntasks,
                             name, err);
    if (!rc)
        rc = rf_json_get_number(root, "task_weight", 1, &tmp.task_weight, &present, name, err);
    if (!rc && !(tmp.task_weight > 0 && tmp.task_weight <= 1))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'task_weight': expected a share in (0, 1]",
                        name);
    for (size_t i = 0; !rc && i < tmp.ntasks; i++) { /* every task has a role that carries it */
        size_t carriers = 0;
        for (size_t r = 0; r < c->roles.n; r++)
            carriers += c->roles.roles[r].task_weights[tmp.tasks[i]] >= tmp.task_weight;
        if (!carriers)
            rc = rf_err_set(err, RF_EINVAL,
                            "%s: lifecycle_tasks[%zu]: no role gives task '%s' a share of %g "
                            "or more, so no one could carry it",
                            name, i, c->tax.tasks[tmp.tasks[i]].id, tmp.task_weight);
    }
    json_decref(root);
    if (rc) {
        rf_team_spec_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_team_spec_load(const char *path, const struct rf_careers *c, struct rf_team_spec *out,
                            struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    rc = rf_team_spec_load_mem(base ? base + 1 : path, data, len, c, out, err);
    free(data);
    return rc;
}

double rf_team_member_task(const struct rf_careers *c, const struct rf_team_spec *s,
                           const double *pm_row, size_t t)
{
    double best = 0;
    for (size_t r = 0; r < c->roles.n; r++)
        if (c->roles.roles[r].task_weights[t] >= s->task_weight && pm_row[r] > best)
            best = pm_row[r];
    return best;
}

/* Member m's chance of carrying task t: the exact one from pt when given,
 * else the best single carrier (exact for certain rows, e.g. a hire). */
static double carries(const struct rf_careers *c, const struct rf_team_spec *s, const double *pm,
                      const double *pt, size_t m, size_t t)
{
    return pt ? pt[m * c->tax.ntasks + t] : rf_team_member_task(c, s, pm + m * c->roles.n, t);
}

void rf_team_coverage(const struct rf_careers *c, const struct rf_team_spec *s, const double *pm,
                      const double *pt, size_t nm, size_t skip, double *role_cov,
                      double *task_cov)
{
    size_t nr = c->roles.n;
    for (size_t r = 0; r < nr; r++) {
        double none = 1;
        for (size_t m = 0; m < nm; m++)
            if (m != skip)
                none *= 1 - pm[m * nr + r];
        role_cov[r] = 1 - none;
    }
    for (size_t t = 0; t < c->tax.ntasks; t++)
        task_cov[t] = 0;
    for (size_t i = 0; i < s->ntasks; i++) {
        size_t t = s->tasks[i];
        double none = 1;
        for (size_t m = 0; m < nm; m++)
            if (m != skip)
                none *= 1 - carries(c, s, pm, pt, m, t);
        task_cov[t] = 1 - none;
    }
}

double rf_team_score(const struct rf_team_spec *s, const double *role_cov)
{
    double sum = 0;
    for (size_t i = 0; i < s->nroles; i++)
        sum += role_cov[s->roles[i]];
    return sum / (double)s->nroles;
}

int rf_team_hire_meets(const struct rf_role *h, const struct rf_role *r)
{
    for (size_t k = 0; k < r->nreqs; k++) {
        if (!r->reqs[k].core)
            continue;
        const struct rf_role_req *q = rf_role_req_find(h, r->reqs[k].skill);
        if (!q || q->level < r->reqs[k].level)
            return 0;
    }
    return 1;
}

static double task_sum(const struct rf_team_spec *s, const double *task_cov)
{
    double sum = 0;
    for (size_t i = 0; i < s->ntasks; i++)
        sum += task_cov[s->tasks[i]];
    return sum;
}

double rf_team_hire_value(const struct rf_team_spec *s, const struct rf_team_hire *h)
{
    return h->gain * (double)s->nroles + h->task_gain / (double)(s->ntasks + 1);
}

/* The spec the sort compares by (qsort has no context; one sort at a time
 * per thread). */
static _Thread_local const struct rf_team_spec *sort_spec;

static int by_value(const void *x, const void *y)
{
    const struct rf_team_hire *a = x, *b = y;
    double va = rf_team_hire_value(sort_spec, a), vb = rf_team_hire_value(sort_spec, b);
    /* compared to 1e-12 so that rounding cannot reorder equal hires */
    if (fabs(va - vb) > 1e-12)
        return va < vb ? 1 : -1;
    return (a->role > b->role) - (a->role < b->role);
}

static int by_chance(const void *x, const void *y)
{
    const struct rf_team_hire *a = x, *b = y;
    if (fabs(a->p_best - b->p_best) > 1e-12)
        return a->p_best < b->p_best ? 1 : -1;
    return by_value(x, y);
}

void rf_team_hire_chances(const struct rf_careers *c, const struct rf_team_spec *s,
                          const uint64_t *draws, size_t nm, struct rf_team_hire *out)
{
    size_t nr = c->roles.n;
    if (nr > 64 || s->nroles > 64 || s->ntasks > 64)
        return;
    uint64_t hm[64], car[64], dep = 0;
    size_t count[64];
    for (size_t i = 0; i < s->nroles; i++) {
        dep |= (uint64_t)1 << s->roles[i];
        hm[i] = 0;
        count[i] = 0;
        for (size_t r = 0; r < nr; r++)
            hm[i] |= (uint64_t)rf_team_hire_meets(&c->roles.roles[out[i].role],
                                                  &c->roles.roles[r])
                     << r;
    }
    for (size_t k = 0; k < s->ntasks; k++) {
        car[k] = 0;
        for (size_t r = 0; r < nr; r++)
            car[k] |= (uint64_t)(c->roles.roles[r].task_weights[s->tasks[k]] >= s->task_weight)
                      << r;
    }
    double per_task = 1.0 / (double)(s->ntasks + 1), val[64];
    uint64_t best_roles[RF_TEAM_DRAWS]; /* per draw, the roles of the best hires */
    for (size_t d = 0; d < RF_TEAM_DRAWS; d++) {
        uint64_t cov = 0;
        for (size_t m = 0; m < nm; m++)
            cov |= draws[m * RF_TEAM_DRAWS + d];
        double best = 0;
        for (size_t i = 0; i < s->nroles; i++) {
            double v = (double)__builtin_popcountll(hm[i] & dep & ~cov);
            for (size_t k = 0; k < s->ntasks; k++)
                if ((hm[i] & car[k]) && !(cov & car[k]))
                    v += per_task;
            val[i] = v;
            if (v > best)
                best = v;
        }
        best_roles[d] = 0;
        for (size_t i = 0; i < s->nroles; i++)
            if (val[i] > best - 1e-9) {
                count[i]++;
                best_roles[d] |= (uint64_t)1 << out[i].role;
            }
    }
    for (size_t i = 0; i < s->nroles; i++)
        out[i].p_best = (double)count[i] / RF_TEAM_DRAWS;
    sort_spec = s;
    qsort(out, s->nroles, sizeof *out, by_chance);
    for (size_t i = 0; i < s->nroles; i++) { /* near ties with the suggestion */
        size_t top_only = 0, only = 0;
        for (size_t d = 0; i && d < RF_TEAM_DRAWS; d++) {
            int a = (int)(best_roles[d] >> out[0].role & 1), b = (int)(best_roles[d] >> out[i].role & 1);
            top_only += a && !b;
            only += b && !a;
        }
        out[i].near_tie = i > 0 && (double)top_only - (double)only <=
                                       2 * sqrt((double)(top_only + only));
    }
}

rf_status rf_team_next_hires(const struct rf_careers *c, const struct rf_team_spec *s,
                             const double *pm, const double *pt, size_t nm,
                             struct rf_team_hire *out, struct rf_err *err)
{
    size_t nr = c->roles.n, nt = c->tax.ntasks;
    double *with = rf_calloc_array((nm + 1) * nr, sizeof *with);
    double *twith = pt ? rf_calloc_array((nm + 1) * nt, sizeof *twith) : NULL;
    double *rc0 = rf_calloc_array(nr, sizeof *rc0), *rc1 = rf_calloc_array(nr, sizeof *rc1);
    double *tc0 = rf_calloc_array(nt, sizeof *tc0), *tc1 = rf_calloc_array(nt, sizeof *tc1);
    rf_status rc = RF_OK;
    if (!with || (pt && !twith) || !rc0 || !rc1 || !tc0 || !tc1) {
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
        goto out;
    }
    if (nm)
        memcpy(with, pm, nm * nr * sizeof *with);
    if (nm && pt)
        memcpy(twith, pt, nm * nt * sizeof *twith);
    rf_team_coverage(c, s, pm, pt, nm, (size_t)-1, rc0, tc0);
    double base = rf_team_score(s, rc0), tbase = task_sum(s, tc0);
    for (size_t i = 0; i < s->nroles; i++) {
        const struct rf_role *h = &c->roles.roles[s->roles[i]];
        for (size_t r = 0; r < nr; r++)
            with[nm * nr + r] = rf_team_hire_meets(h, &c->roles.roles[r]);
        for (size_t t = 0; pt && t < nt; t++) /* the hire's roles are certain: max is exact */
            twith[nm * nt + t] = rf_team_member_task(c, s, with + nm * nr, t);
        rf_team_coverage(c, s, with, twith, nm + 1, (size_t)-1, rc1, tc1);
        out[i].role = s->roles[i];
        out[i].gain = rf_team_score(s, rc1) - base;
        out[i].task_gain = task_sum(s, tc1) - tbase;
    }
    sort_spec = s;
    qsort(out, s->nroles, sizeof *out, by_value);
out:
    free(with);
    free(twith);
    free(rc0);
    free(rc1);
    free(tc0);
    free(tc1);
    return rc;
}

/* v->then: after hires[0], the greedy choice of the next hires by the role
 * coverage each adds given the members and the hires before it, with that
 * gain (so that the figures the page lists add up and fall in the order a
 * greedy choice makes). */
static rf_status then_hires(const struct rf_careers *c, const struct rf_team_spec *s,
                            struct rf_team_view *v, struct rf_err *err)
{
    size_t nr = c->roles.n, nt = c->tax.ntasks, nm = v->nm, max = 1 + sizeof v->then / sizeof v->then[0];
    double *pm = rf_calloc_array((nm + max) * nr, sizeof *pm);
    double *pt = rf_calloc_array((nm + max) * nt, sizeof *pt);
    struct rf_team_hire *tmp = rf_calloc_array(s->nroles ? s->nroles : 1, sizeof *tmp);
    rf_status rc = RF_OK;
    v->nthen = 0;
    if (!pm || !pt || !tmp) {
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
        goto out;
    }
    if (nm)
        memcpy(pm, v->pm, nm * nr * sizeof *pm);
    for (size_t m = 0; m < nm; m++) /* the members' exact task rows, or the best carrier */
        for (size_t t = 0; t < nt; t++)
            pt[m * nt + t] = v->pt ? v->pt[m * nt + t] : rf_team_member_task(c, s, pm + m * nr, t);
    size_t role = s->nroles ? v->hires[0].role : (size_t)-1;
    for (size_t k = 0; role != (size_t)-1; k++) {
        double *row = pm + (nm + k) * nr;
        for (size_t r = 0; r < nr; r++)
            row[r] = rf_team_hire_meets(&c->roles.roles[role], &c->roles.roles[r]);
        for (size_t t = 0; t < nt; t++)
            pt[(nm + k) * nt + t] = rf_team_member_task(c, s, row, t);
        if (k + 1 >= max)
            break;
        if ((rc = rf_team_next_hires(c, s, pm, pt, nm + k + 1, tmp, err)))
            goto out;
        /* the most role coverage it adds (the figure the page shows, so that
         * the follow-ups' figures fall); of equal ones, the most value */
        size_t best = 0;
        for (size_t i = 1; i < s->nroles; i++)
            if (tmp[i].gain > tmp[best].gain + 1e-12)
                best = i;
        if (!(tmp[best].gain > 1e-12))
            break;
        v->then[v->nthen++] = tmp[best];
        role = tmp[best].role;
    }
out:
    free(pm);
    free(pt);
    free(tmp);
    return rc;
}

size_t rf_team_single_point(const struct rf_careers *c, const struct rf_team_spec *s,
                            const double *pm, const double *pt, size_t nm, size_t t)
{
    size_t who = (size_t)-1, likely = 0;
    for (size_t m = 0; m < nm; m++)
        if (carries(c, s, pm, pt, m, t) >= 0.5) {
            likely++;
            who = m;
        }
    if (likely != 1)
        return (size_t)-1;
    double none = 1;
    for (size_t m = 0; m < nm; m++)
        if (m != who)
            none *= 1 - carries(c, s, pm, pt, m, t);
    return 1 - none < 0.5 ? who : (size_t)-1;
}

void rf_team_view_cleanup(struct rf_team_view *v)
{
    if (!v)
        return;
    free(v->pm);
    free(v->pt);
    free(v->unknown);
    free(v->measured);
    free(v->role_cov);
    free(v->task_cov);
    free(v->role_lo);
    free(v->role_hi);
    free(v->task_lo);
    free(v->task_hi);
    free(v->role_unmeasured);
    free(v->task_unmeasured);
    free(v->hires);
    free(v->draws);
    memset(v, 0, sizeof *v);
}

/* One outcome of the revealed coverage and its probability. */
struct outcome {
    double c, w;
};

static int by_c(const void *x, const void *y)
{
    const struct outcome *a = x, *b = y;
    return (a->c > b->c) - (a->c < b->c);
}

#define REVEAL_EXACT 12 /* members with an unknown part enumerated exactly up to this */
#define REVEAL_BINS 4096 /* beyond: bins of -log(1 - coverage) */
#define REVEAL_STEP (16.0 / REVEAL_BINS)

/* Adds mass w at bin position x (>= 0) of h, split between the two nearest
 * bins so that the mean is kept; past the last bin, into it. */
static void put(double *h, double x, double w)
{
    if (!(x < REVEAL_BINS - 1)) {
        h[REVEAL_BINS - 1] += w;
        return;
    }
    size_t b = (size_t)x;
    double f = x - (double)b;
    h[b] += w * (1 - f);
    h[b + 1] += w * f;
}

/* The quantiles of the coverage for many unknown members: -log of the
 * chance that nobody covers is a sum of independent two-point terms, whose
 * distribution is built by convolution over REVEAL_BINS bins of
 * REVEAL_STEP (a coverage within 1 - e^-16 of 1 shares the last bin), a
 * member certain to cover (a = 1) moving its share of the mass to coverage
 * 1. h and g: REVEAL_BINS each. */
_Static_assert(sizeof(struct outcome) * ((size_t)1 << REVEAL_EXACT) >=
                   (size_t)2 * REVEAL_BINS * sizeof(double),
               "reveal's outcomes hold reveal_bins' two histograms");
static void reveal_bins(const double *a, const double *u, const size_t *who, size_t k,
                        double known, double *lo, double *hi, double *h, double *g)
{
    memset(h, 0, REVEAL_BINS * sizeof *h);
    size_t top = REVEAL_BINS - 1; /* bins past top are empty */
    if (known > 0) {
        double x = -log(known) / REVEAL_STEP;
        put(h, x, 1);
        top = x < REVEAL_BINS - 2 ? (size_t)x + 1 : REVEAL_BINS - 1;
    }
    for (size_t i = 0; i < k; i++) {
        double am = a[who[i]], um = u[who[i]];
        if (am >= 1) { /* covers for certain: that share of the mass leaves the bins */
            for (size_t b = 0; b <= top; b++)
                h[b] *= 1 - um;
            continue;
        }
        double d = -log1p(-am) / REVEAL_STEP;
        size_t ntop = (double)top + d < REVEAL_BINS - 2 ? top + (size_t)d + 2 : REVEAL_BINS - 1;
        memset(g, 0, (ntop + 1) * sizeof *g);
        for (size_t b = 0; b <= top; b++)
            if (h[b] > 0) {
                g[b] += (1 - um) * h[b];
                put(g, (double)b + d, um * h[b]);
            }
        memcpy(h, g, (ntop + 1) * sizeof *h);
        top = ntop;
    }
    double cum = 0;
    int have_lo = 0;
    *lo = *hi = 1;
    for (size_t b = 0; b < REVEAL_BINS; b++) {
        cum += h[b];
        double c = 1 - exp(-(double)b * REVEAL_STEP);
        if (!have_lo && cum > 0.05 - 1e-12) {
            *lo = c;
            have_lo = 1;
        }
        if (cum >= 0.95 - 1e-12) {
            *hi = c;
            return;
        }
    }
    /* the rest is at coverage 1: *hi (and *lo if not yet set) stay 1 */
}

/* The 90% interval of a coverage once every member's unmeasured core skills
 * are known: member m then covers with q_m = a[m] with probability u[m] and
 * q_m = 0 otherwise (u = 1: nothing unknown, q_m = a[m]); the coverage is
 * 1 - prod_m (1 - q_m), whose mean is the estimate est. Its 5% and 95%
 * quantiles, exact over every outcome for up to REVEAL_EXACT members with an
 * unknown part, else by reveal_bins; widened to contain est (a two-point
 * outcome can put both quantiles on one side of it). out: 2^REVEAL_EXACT
 * outcomes (>= 2 REVEAL_BINS doubles). */
static void reveal(const double *a, const double *u, size_t nm, double est, double *lo,
                   double *hi, struct outcome *out, size_t *who)
{
    double known = 1;
    size_t k = 0;
    for (size_t m = 0; m < nm; m++)
        if (u[m] < 1 - 1e-12 && a[m] > 0)
            who[k++] = m;
        else
            known *= 1 - a[m] * u[m];
    if (k > REVEAL_EXACT) {
        double *h = (double *)out;
        reveal_bins(a, u, who, k, known, lo, hi, h, h + REVEAL_BINS);
    } else {
        size_t n = 0;
        for (size_t set = 0; set < ((size_t)1 << k); set++) {
            double none = known, w = 1;
            for (size_t i = 0; i < k; i++) {
                size_t m = who[i];
                if (set >> i & 1) {
                    none *= 1 - a[m];
                    w *= u[m];
                } else {
                    w *= 1 - u[m];
                }
            }
            out[n++] = (struct outcome){1 - none, w};
        }
        qsort(out, n, sizeof *out, by_c);
        double cum = 0;
        *lo = *hi = out[n - 1].c;
        int have_lo = 0;
        for (size_t i = 0; i < n; i++) {
            cum += out[i].w;
            if (!have_lo && cum > 0.05 - 1e-12) {
                *lo = out[i].c;
                have_lo = 1;
            }
            if (cum >= 0.95 - 1e-12) {
                *hi = out[i].c;
                break;
            }
        }
    }
    if (*lo > est)
        *lo = est;
    if (*hi < est)
        *hi = est;
}

/* Every coverage's interval (see reveal). A task follows, for each member,
 * the role that carries it best: its unknown part is that role's. */
static rf_status intervals(const struct rf_careers *c, const struct rf_team_spec *s,
                           struct rf_team_view *v, struct rf_err *err)
{
    size_t nm = v->nm, nr = c->roles.n, nt = c->tax.ntasks, k = nm ? nm : 1;
    double *a = rf_calloc_array(k, sizeof *a), *u = rf_calloc_array(k, sizeof *u);
    size_t *who = rf_calloc_array(k, sizeof *who);
    struct outcome *out = rf_calloc_array((size_t)1 << REVEAL_EXACT, sizeof *out);
    if (!a || !u || !who || !out) {
        free(a);
        free(u);
        free(who);
        free(out);
        return rf_err_set(err, RF_ENOMEM, "team: out of memory");
    }
    for (size_t i = 0; i < s->nroles; i++) {
        size_t r = s->roles[i];
        for (size_t m = 0; m < nm; m++) {
            double p = v->pm[m * nr + r], un = v->unknown[m * nr + r];
            u[m] = un;
            a[m] = un > 0 ? fmin(1, p / un) : 0;
        }
        reveal(a, u, nm, v->role_cov[r], &v->role_lo[r], &v->role_hi[r], out, who);
    }
    for (size_t i = 0; i < s->ntasks; i++) {
        size_t t = s->tasks[i];
        for (size_t m = 0; m < nm; m++) {
            size_t best = (size_t)-1;
            for (size_t r = 0; r < nr; r++)
                if (c->roles.roles[r].task_weights[t] >= s->task_weight &&
                    (best == (size_t)-1 || v->pm[m * nr + r] > v->pm[m * nr + best]))
                    best = r;
            double p = v->pt[m * nt + t], un = best == (size_t)-1 ? 1 : v->unknown[m * nr + best];
            u[m] = un;
            a[m] = un > 0 ? fmin(1, p / un) : 0;
        }
        reveal(a, u, nm, v->task_cov[t], &v->task_lo[t], &v->task_hi[t], out, who);
    }
    free(a);
    free(u);
    free(who);
    free(out);
    return RF_OK;
}

rf_status rf_team_view_build(const struct rf_careers *c, const struct rf_team_spec *s,
                             const struct rf_profile *prof, size_t nm, struct rf_team_view *v,
                             struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    size_t nr = c->roles.n, nt = c->tax.ntasks, k = nm ? nm : 1;
    v->nm = nm;
    rf_status rc = RF_OK;
    if (!(v->pm = rf_calloc_array(k * nr, sizeof *v->pm)) ||
        !(v->pt = rf_calloc_array(k * nt, sizeof *v->pt)) ||
        !(v->unknown = rf_calloc_array(k * nr, sizeof *v->unknown)) ||
        !(v->measured = rf_calloc_array(k * nr, sizeof *v->measured)) ||
        !(v->role_cov = rf_calloc_array(nr, sizeof *v->role_cov)) ||
        !(v->task_cov = rf_calloc_array(nt, sizeof *v->task_cov)) ||
        !(v->role_lo = rf_calloc_array(nr, sizeof *v->role_lo)) ||
        !(v->role_hi = rf_calloc_array(nr, sizeof *v->role_hi)) ||
        !(v->task_lo = rf_calloc_array(nt, sizeof *v->task_lo)) ||
        !(v->task_hi = rf_calloc_array(nt, sizeof *v->task_hi)) ||
        !(v->role_unmeasured = rf_calloc_array(nr, sizeof *v->role_unmeasured)) ||
        !(v->task_unmeasured = rf_calloc_array(nt, sizeof *v->task_unmeasured)) ||
        !(v->hires = rf_calloc_array(s->nroles, sizeof *v->hires)))
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    if (!rc && !(v->draws = rf_calloc_array(k * RF_TEAM_DRAWS, sizeof *v->draws)))
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    double *role_w = NULL, *pi = NULL;
    if (!rc && (!(role_w = rf_calloc_array(k, sizeof *role_w)) ||
                !(pi = rf_calloc_array(RF_TEAM_DRAWS, sizeof *pi))))
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    if (!rc) /* who the members are, from all of them */
        rc = rf_team_role_weights(prof, nm, role_w, pi, err);
    for (size_t m = 0; !rc && m < nm; m++) /* member m's draws: stream m of a fixed seed */
        rc = rf_team_member_draws(c, s, &prof[m], role_w[m], pi, v->pm + m * nr,
                                  v->measured + m * nr, v->unknown + m * nr, v->pt + m * nt,
                                  RF_TEAM_DRAW_SEED + m, v->draws + m * RF_TEAM_DRAWS, err);
    free(role_w);
    free(pi);
    for (size_t r = 0; !rc && r < nr; r++) {
        int some = 0;
        for (size_t m = 0; m < nm; m++)
            some |= v->measured[m * nr + r];
        v->role_unmeasured[r] = nm > 0 && !some;
    }
    for (size_t t = 0; !rc && t < nt; t++) {
        int some = 0;
        for (size_t r = 0; r < nr; r++)
            if (c->roles.roles[r].task_weights[t] >= s->task_weight)
                some |= !v->role_unmeasured[r];
        v->task_unmeasured[t] = nm > 0 && !some;
    }
    if (!rc) {
        rf_team_coverage(c, s, v->pm, v->pt, nm, (size_t)-1, v->role_cov, v->task_cov);
        rc = rf_team_next_hires(c, s, v->pm, v->pt, nm, v->hires, err);
        if (!rc)
            rf_team_hire_chances(c, s, v->draws, nm, v->hires);
        if (!rc)
            rc = then_hires(c, s, v, err);
    }
    if (!rc)
        rc = intervals(c, s, v, err);
    if (rc)
        rf_team_view_cleanup(v);
    return rc;
}

const char *rf_team_call(double lo, double hi, int unmeasured)
{
    return unmeasured           ? "unmeasured"
           : lo >= RF_FIT_MET   ? "covered"
           : hi <= RF_FIT_BELOW ? "not covered"
                                : "undecided";
}

static const char *role_name(const struct rf_careers *c, size_t r, enum rf_lang lang)
{
    return rf_lang_pick(lang, c->roles.roles[r].name, c->roles.roles[r].name_ja);
}

static const char *task_name(const struct rf_careers *c, size_t t, enum rf_lang lang)
{
    return rf_lang_pick(lang, c->tax.tasks[t].name, c->tax.tasks[t].name_ja);
}

/* What hire h closes: the deployment roles it meets that the team does not
 * cover, the lifecycle tasks it carries that the team does not cover (their
 * coverage it raises), and those it carries that are already covered. */
static json_t *closes_json(const struct rf_careers *c, const struct rf_team_spec *s,
                           const struct rf_team_view *v, size_t h, enum rf_lang lang)
{
    const struct rf_role *hr = &c->roles.roles[h];
    json_t *roles = json_array(), *tasks = json_array();
    for (size_t i = 0; roles && i < s->nroles; i++) {
        size_t r = s->roles[i];
        if (v->role_lo[r] < RF_FIT_MET && rf_team_hire_meets(hr, &c->roles.roles[r]))
            json_array_append_new(roles, json_pack("{ssss}", "role", c->roles.roles[r].id,
                                                   "name", role_name(c, r, lang)));
    }
    /* a task the page calls covered (its interval's low end at RF_FIT_MET,
     * rf_team_call) is not raised by the hire: it is said not to be needed there */
    json_t *covered = json_array();
    for (size_t i = 0; tasks && covered && i < s->ntasks; i++) {
        size_t t = s->tasks[i];
        if (hr->task_weights[t] < s->task_weight)
            continue;
        json_array_append_new(v->task_lo[t] < RF_FIT_MET ? tasks : covered,
                              json_pack("{ssss}", "task", c->tax.tasks[t].id, "name",
                                        task_name(c, t, lang)));
    }
    return json_pack("{sososo}", "roles", roles ? roles : json_array(), "tasks",
                     tasks ? tasks : json_array(), "not_needed", covered ? covered : json_array());
}

json_t *rf_team_view_json(const struct rf_careers *c, const struct rf_team_spec *s,
                          const struct rf_team_view *v, const char *const *names)
{
    return rf_team_view_json_lang(c, s, v, names, RF_EN);
}

json_t *rf_team_view_json_lang(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_team_view *v, const char *const *names,
                               enum rf_lang lang)
{
    size_t nr = c->roles.n;
    json_t *o = json_object(), *roles = json_array(), *tasks = json_array(),
           *hires = json_array(), *members = json_array();
    if (!o || !roles || !tasks || !hires || !members) {
        json_decref(o);
        json_decref(roles);
        json_decref(tasks);
        json_decref(hires);
        json_decref(members);
        return NULL;
    }
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "roles", roles);
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "score", json_real(rf_team_score(s, v->role_cov)));
    json_object_set_new(o, "hires", hires);
    json_t *then = json_array();
    for (size_t k = 0; then && k < v->nthen; k++) {
        size_t h = v->then[k].role;
        json_array_append_new(then, json_pack("{sssssfsf}", "role", c->roles.roles[h].id, "name",
                                              role_name(c, h, lang), "gain", v->then[k].gain,
                                              "task_gain", v->then[k].task_gain));
    }
    json_object_set_new(o, "then", then ? then : json_array());
    for (size_t m = 0; m < v->nm; m++)
        json_array_append_new(members, json_string(names[m]));
    for (size_t i = 0; i < s->nroles; i++) {
        size_t r = s->roles[i], unmeasured = 0;
        json_t *by = json_array();
        for (size_t m = 0; by && m < v->nm; m++) {
            unmeasured += !v->measured[m * nr + r];
            json_array_append_new(by, json_pack("{sssfsb}", "member", names[m], "prob",
                                                v->pm[m * nr + r], "measured",
                                                v->measured[m * nr + r]));
        }
        json_array_append_new(roles, json_pack("{sssssfs[ff]sssbsIsO}", "role",
                                               c->roles.roles[r].id, "name",
                                               role_name(c, r, lang), "prob", v->role_cov[r],
                                               "interval", v->role_lo[r], v->role_hi[r], "call",
                                               rf_team_call(v->role_lo[r], v->role_hi[r],
                                                            v->role_unmeasured[r]),
                                               "measured", !v->role_unmeasured[r], "unmeasured",
                                               (json_int_t)unmeasured, "members", by));
        json_decref(by);
    }
    for (size_t i = 0; i < s->ntasks; i++) {
        size_t k = s->tasks[i];
        size_t who = rf_team_single_point(c, s, v->pm, v->pt, v->nm, k);
        json_array_append_new(tasks, json_pack("{sssssfs[ff]sssbso}", "task",
                                               c->tax.tasks[k].id, "name", task_name(c, k, lang),
                                               "prob", v->task_cov[k], "interval", v->task_lo[k],
                                               v->task_hi[k], "call",
                                               rf_team_call(v->task_lo[k], v->task_hi[k],
                                                            v->task_unmeasured[k]),
                                               "measured", !v->task_unmeasured[k],
                                               "single_point",
                                               who == (size_t)-1 ? json_null()
                                                                 : json_string(names[who])));
    }
    for (size_t i = 0; i < s->nroles; i++) {
        size_t h = v->hires[i].role;
        json_array_append_new(hires, json_pack("{sssssfsfsfsbso}", "role", c->roles.roles[h].id,
                                               "name", role_name(c, h, lang), "gain",
                                               v->hires[i].gain, "task_gain",
                                               v->hires[i].task_gain, "p_best",
                                               v->hires[i].p_best, "near_tie",
                                               v->hires[i].near_tie, "closes",
                                               closes_json(c, s, v, h, lang)));
    }
    return o;
}
