/*
 * Role fit, its uncertainty, core probability and gaps (see fit.h for the
 * arithmetic). Everything is computed from the profile's posteriors through
 * rf_profile_tail, so a profile with full posteriors and one with only theta
 * and se are treated alike.
 */
#include "careers/fit.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

const char *rf_call_name(enum rf_call c)
{
    switch (c) {
    case RF_CALL_MEETS: return "meets";
    case RF_CALL_BELOW: return "below";
    case RF_CALL_NOT_MEASURED: return "not measured";
    default: return "undecided";
    }
}

static void decide(struct rf_req_fit *r)
{
    double p = r->p, lo = fmin(p, r->p_unloaded), hi = fmax(p, r->p_unloaded);
    if (!r->have)
        r->call = RF_CALL_NOT_MEASURED;
    else if (lo >= RF_FIT_MET)
        r->call = RF_CALL_MEETS;
    else if (hi <= RF_FIT_BELOW)
        r->call = RF_CALL_BELOW;
    else
        r->call = RF_CALL_UNDECIDED;
    r->p_wrong = r->call == RF_CALL_MEETS   ? 1 - lo
                 : r->call == RF_CALL_BELOW ? hi
                                            : fmin(p, 1 - p);
}

/* Index of skill id in the profile's model, or SIZE_MAX. */
static size_t model_index(const struct rf_profile *p, const char *id)
{
    for (size_t k = 0; p->model && k < p->model->nskills; k++)
        if (strcmp(p->model->skills[k], id) == 0)
            return k;
    return SIZE_MAX;
}

/* fit_role with the profile's model and evidence (st, NULL without a model)
 * and its reading with the loadings at 0 (st0, NULL when that is st's). */
static rf_status fit_role(const struct rf_profile *p, struct rf_hier_state *st,
                          struct rf_hier_state *st0, const struct rf_roles *roles,
                          const struct rf_role *role, struct rf_role_fit *out,
                          struct rf_err *err)
{
    struct rf_req_fit *rq = rf_calloc_array(role->nreqs ? role->nreqs : 1, sizeof *rq);
    if (!rq)
        return rf_err_set(err, RF_ENOMEM, "fit: out of memory");
    double fit = 0, var = 0, pcore = 1, measured = 0, fitm = 0, pcorem = 1;
    size_t nun = 0, nj = 0, ncm = 0, ks[RF_HIER_MAX_SKILLS];
    double cuts[RF_HIER_MAX_SKILLS];
    for (size_t k = 0; k < role->nreqs; k++) {
        const struct rf_role_req *q = &role->reqs[k];
        const char *id = roles->tax->skills[q->skill].id;
        const struct rf_profile_skill *s = rf_profile_find(p, id);
        double pk = rf_profile_tail(p, s, q->cut);
        rq[k].req = q;
        rq[k].have = s;
        size_t mk = st && s ? model_index(p, id) : SIZE_MAX;
        rq[k].p = pk;
        rq[k].p_unloaded = st0 && mk != SIZE_MAX ? rf_hier_tail(st0, mk, q->cut) : pk;
        rq[k].gap = q->weight * (1 - pk);
        decide(&rq[k]);
        fit += q->weight * pk;
        var += q->weight * q->weight * pk * (1 - pk);
        if (q->core && mk != SIZE_MAX && nj < RF_HIER_MAX_SKILLS) {
            ks[nj] = mk;
            cuts[nj++] = q->cut;
        } else if (q->core) {
            pcore *= pk;
            if (s)
                pcorem *= pk;
        }
        ncm += q->core && s;
        if (s) {
            measured += q->weight;
            fitm += q->weight * pk;
        } else {
            nun++;
        }
    }
    if (nj) {
        double j = rf_hier_joint_tail(st, ks, cuts, nj);
        pcore *= j;
        pcorem *= j;
    }
    out->role = role;
    out->fit = fit > 1 ? 1 : fit;
    out->sd = sqrt(var);
    out->p_core = pcore;
    out->measured = measured > 1 ? 1 : measured;
    out->fit_measured = measured > 0 ? fmin(1, fitm / measured) : 0;
    out->p_core_measured = pcorem;
    out->ncore_measured = ncm;
    out->nunmeasured = nun;
    out->reqs = rq;
    out->nreqs = role->nreqs;
    return RF_OK;
}

rf_status rf_fit_role(const struct rf_profile *p, const struct rf_roles *roles,
                      const struct rf_role *role, struct rf_role_fit *out, struct rf_err *err)
{
    struct rf_hier *h, *h0;
    struct rf_hier_state *st, *st0;
    rf_status rc = rf_profile_hier(p, &h, &st, err);
    if (rc)
        return rc;
    if (!(rc = rf_profile_hier_unloaded(p, &h0, &st0, err))) {
        rc = fit_role(p, st, st0, roles, role, out, err);
        rf_hier_state_free(st0);
        rf_hier_free(h0);
    }
    rf_hier_state_free(st);
    rf_hier_free(h);
    return rc;
}

void rf_fit_cleanup(struct rf_role_fit *f)
{
    if (!f)
        return;
    free(f->reqs);
    f->reqs = NULL;
    f->nreqs = 0;
}

static int by_fit(const void *a, const void *b)
{
    const struct rf_role_fit *x = a, *y = b;
    if (x->fit != y->fit)
        return x->fit > y->fit ? -1 : 1;
    if (x->p_core != y->p_core)
        return x->p_core > y->p_core ? -1 : 1;
    return x->role < y->role ? -1 : x->role > y->role;
}

rf_status rf_fit_all(const struct rf_profile *p, const struct rf_roles *roles,
                     struct rf_role_fit **out, struct rf_err *err)
{
    struct rf_hier *h, *h0 = NULL;
    struct rf_hier_state *st, *st0 = NULL;
    rf_status rc = rf_profile_hier(p, &h, &st, err);
    if (rc)
        return rc;
    struct rf_role_fit *f = rf_calloc_array(roles->n ? roles->n : 1, sizeof *f);
    if (!f)
        rc = rf_err_set(err, RF_ENOMEM, "fit: out of memory");
    if (!rc)
        rc = rf_profile_hier_unloaded(p, &h0, &st0, err);
    size_t done = 0;
    while (!rc && done < roles->n && !(rc = fit_role(p, st, st0, roles, &roles->roles[done],
                                                     &f[done], err)))
        done++;
    rf_hier_state_free(st0);
    rf_hier_free(h0);
    rf_hier_state_free(st);
    rf_hier_free(h);
    if (rc) {
        rf_fit_free_all(f, done);
        return rc;
    }
    qsort(f, roles->n, sizeof *f, by_fit);
    *out = f;
    return RF_OK;
}

void rf_fit_free_all(struct rf_role_fit *fits, size_t n)
{
    if (!fits)
        return;
    for (size_t i = 0; i < n; i++)
        rf_fit_cleanup(&fits[i]);
    free(fits);
}

size_t rf_fit_gaps(const struct rf_role_fit *f, size_t *idx)
{
    size_t n = 0;
    for (size_t k = 0; k < f->nreqs; k++) {
        if (f->reqs[k].p >= RF_FIT_MET)
            continue;
        /* Insertion sort: a role has a handful of requirements. Ties keep role order. */
        size_t j = n++;
        while (j > 0 && f->reqs[idx[j - 1]].gap < f->reqs[k].gap) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = k;
    }
    return n;
}

int rf_fit_blocks(const struct rf_req_fit *rq)
{
    return rq->req->core && rq->p < RF_FIT_BLOCK;
}
