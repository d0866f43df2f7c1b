/*
 * The hiring packet (interview/packet.h).
 */
#include "interview/packet.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

/* z with Phi(z) = RF_FIT_MET (0.8): the distance in SDs from the cut at which a call is made. */
#define Z_CALL 0.8416212335729143

static double phi_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

void rf_iv_packet_cleanup(struct rf_iv_packet *pk)
{
    rf_fit_cleanup(&pk->fit);
    rf_profile_cleanup(&pk->all);
    rf_profile_cleanup(&pk->iv);
    free(pk->req);
    memset(pk, 0, sizeof *pk);
}

/* dst = a copy of src through its JSON form (exact: doubles are written in full). */
static rf_status copy(struct rf_profile *dst, const struct rf_profile *src, struct rf_err *err)
{
    json_t *j;
    rf_status rc = rf_profile_to_json(src, &j, err);
    if (rc)
        return rc;
    rc = rf_profile_from_json(j, "profile", dst, err);
    json_decref(j);
    return rc;
}

/* Fisher information on skill s of one round of rubric u scored by two
 * interviewers of severity 0 against bar (rater.h), averaged over the
 * posterior post of p's grid. */
static double round_info(const struct rf_iv_bank *b, size_t u, size_t s, double bar,
                         const struct rf_profile *p, const double *post)
{
    double info = 0;
    for (size_t j = b->first[u]; j < b->first[u + 1]; j++) {
        if (b->crit[j].skill != s)
            continue;
        for (size_t q = 0; q < p->n; q++)
            info += 2 * post[q] * rf_irt_info(&b->crit[j].it, rf_profile_node(p, q) - bar);
    }
    return info;
}

/* The chance that one more round adding information info decides the call
 * on cut for a posterior of mean m and SD s (normal preposterior, packet.h). */
static double p_decide(double m, double s, double info, double cut)
{
    double s1 = 1 / sqrt(1 / (s * s) + info), v = s * s - s1 * s1;
    if (!(v > 1e-12))
        return fabs(m - cut) >= Z_CALL * s1 ? 1.0 : 0.0;
    double sd = sqrt(v);
    return phi_cdf((m - cut - Z_CALL * s1) / sd) + phi_cdf((cut - Z_CALL * s1 - m) / sd);
}

/* The round of the role's loop (or its take-home) most likely to settle requirement rq. */
static void settle(const struct rf_iv_packet *pk, const struct rf_taxonomy *tax,
                   const struct rf_kits *k,
                   const struct rf_iv_bank *b, const struct rf_kit_loop *l,
                   const struct rf_req_fit *rq, struct rf_iv_packet_req *out)
{
    const struct rf_profile *p = &pk->all;
    const struct rf_profile_skill *ps = rq->have;
    double post[RF_QUAD_MAX_N];
    rf_profile_posterior(p, ps, post);
    double m = ps ? ps->theta : 0, s = ps ? ps->se : 1;
    out->settle = (size_t)-1;
    out->p_settle = 0;
    double bar = rf_iv_bar(tax, pk->fit.role, rq->req->skill);
    for (size_t i = 0; i <= l->nsteps; i++) {
        size_t u;
        if (i < l->nsteps)
            u = l->steps[i].round;
        else if (l->take_home != (size_t)-1)
            u = k->nrounds + l->take_home;
        else
            break;
        double info = round_info(b, u, rq->req->skill, bar, p, post);
        if (info <= 0)
            continue;
        double pd = p_decide(m, s, info, rq->req->cut);
        if (out->settle == (size_t)-1 || pd > out->p_settle) {
            out->settle = u;
            out->p_settle = pd;
        }
    }
}

/* What the test alone and the interviews alone say on skill id, and whether they agree. */
static void sources(const struct rf_profile *test, const struct rf_profile *iv, const char *id,
                    double cut, struct rf_iv_packet_req *out)
{
    const struct rf_profile_skill *t = rf_profile_find(test, id), *v = rf_profile_find(iv, id);
    out->test_measured = t != NULL;
    out->iv_measured = v != NULL;
    out->p_test = rf_profile_tail(test, t, cut);
    out->p_iv = rf_profile_tail(iv, v, cut);
    out->m_test = t ? t->theta : NAN;
    out->sd_test = t ? t->se : NAN;
    out->m_iv = v ? v->theta : NAN;
    out->sd_iv = v ? v->se : NAN;
    out->agree = rf_iv_agree(t, v);
}

int rf_iv_agree(const struct rf_profile_skill *t, const struct rf_profile_skill *v)
{
    if (!t || !v)
        return -1;
    return fabs(t->theta - v->theta) <= RF_IV_AGREE_Z * sqrt(t->se * t->se + v->se * v->se);
}

rf_status rf_iv_sources(const struct rf_profile *test, const struct rf_taxonomy *tax,
                        const struct rf_iv_bank *b, const double *sev, size_t nraters,
                        const struct rf_iv_rating *r, size_t m, struct rf_profile *all,
                        struct rf_profile *iv, struct rf_err *err)
{
    struct rf_profile pa = {0}, pi = {0};
    rf_status rc;
    if ((rc = copy(&pa, test, err)) ||
        (rc = rf_profile_init(&pi, test->lo, test->hi, test->n, err)) ||
        (rc = rf_iv_combine(&pa, tax, b, sev, nraters, r, m, err)) ||
        (rc = rf_iv_combine(&pi, tax, b, sev, nraters, r, m, err))) {
        rf_profile_cleanup(&pa);
        rf_profile_cleanup(&pi);
        return rc;
    }
    *all = pa;
    *iv = pi;
    return RF_OK;
}

rf_status rf_iv_packet(const struct rf_profile *test, const struct rf_roles *roles,
                       const struct rf_role *role, const struct rf_kits *k,
                       const struct rf_iv_bank *b, const double *sev, size_t nraters,
                       const struct rf_iv_rating *r, size_t m, struct rf_iv_packet *out,
                       struct rf_err *err)
{
    struct rf_iv_packet pk = {0};
    const struct rf_taxonomy *tax = roles->tax;
    rf_status rc;
    if ((rc = rf_iv_sources(test, tax, b, sev, nraters, r, m, &pk.all, &pk.iv, err)) ||
        (rc = rf_fit_role(&pk.all, roles, role, &pk.fit, err)))
        goto fail;
    if (!(pk.req = rf_calloc_array(pk.fit.nreqs ? pk.fit.nreqs : 1, sizeof *pk.req))) {
        rc = rf_err_set(err, RF_ENOMEM, "packet: out of memory");
        goto fail;
    }
    const struct rf_kit_loop *l = rf_kits_loop(k, (size_t)(role - roles->roles));
    for (size_t i = 0; i < pk.fit.nreqs; i++) {
        const struct rf_req_fit *rq = &pk.fit.reqs[i];
        sources(test, &pk.iv, tax->skills[rq->req->skill].id, rq->req->cut, &pk.req[i]);
        pk.req[i].settle = (size_t)-1;
        if (rq->call == RF_CALL_UNDECIDED || rq->call == RF_CALL_NOT_MEASURED) {
            pk.nopen++;
            settle(&pk, tax, k, b, l, rq, &pk.req[i]);
        }
    }
    pk.p_false_negative = pk.fit.p_core;
    *out = pk;
    return RF_OK;
fail:
    rf_iv_packet_cleanup(&pk);
    return rc;
}
