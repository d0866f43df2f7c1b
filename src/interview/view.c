/*
 * The report and the packet as JSON (interview/view.h).
 */
#include "interview/view.h"

#include <math.h>

#include "careers/fit.h"

static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *rf_iv_report_json(const struct rf_iv_bank *b, const struct rf_iv_calib *c,
                          const struct rf_iv_report *rep, const char *const *raters,
                          size_t nraters, size_t npersons, size_t nratings)
{
    json_t *o = json_object(), *iv = json_array(), *ru = json_array();
    if (!o || !iv || !ru) {
        json_decref(o);
        json_decref(iv);
        json_decref(ru);
        return NULL;
    }
    json_object_set_new(o, "ratings", json_integer((json_int_t)nratings));
    json_object_set_new(o, "candidates", json_integer((json_int_t)npersons));
    json_object_set_new(o, "converged", json_boolean(c->converged));
    json_object_set_new(o, "iterations", json_integer((json_int_t)c->iter));
    json_object_set_new(o, "interviewers", iv);
    json_object_set_new(o, "rubrics", ru);
    json_t *cr = json_array();
    json_object_set_new(o, "criteria", cr ? cr : json_array());
    for (size_t j = 0; cr && j < c->ncrit && j < b->ncrit; j++) {
        if (!c->crit_n[j])
            continue;
        const struct rf_irt_item *e = &c->crit[j].it, *k = &b->crit[j].it;
        const double *se = c->crit_se + j * RF_MAX_CATEGORIES;
        json_t *thr = json_array(), *tse = json_array(), *kthr = json_array();
        for (size_t t = 0; thr && tse && kthr && t + 1 < e->ncat; t++) {
            json_array_append_new(thr, num(e->thr[t]));
            json_array_append_new(tse, num(se[t + 1]));
            json_array_append_new(kthr, num(k->thr[t]));
        }
        json_array_append_new(cr, json_pack("{sssIsososososo}", "criterion", b->ids[j], "ratings",
                                            (json_int_t)c->crit_n[j], "a", num(e->a), "a_se",
                                            num(se[0]), "thresholds", thr, "thresholds_se", tse,
                                            "kit", json_pack("{soso}", "a", num(k->a),
                                                             "thresholds", kthr)));
    }
    for (size_t r = 0; r < nraters; r++)
        json_array_append_new(iv, json_pack("{sssososI}", "interviewer", raters[r], "severity",
                                            num(c->sev[r]), "se", num(c->sev_se[r]), "ratings",
                                            (json_int_t)c->sev_n[r]));
    for (size_t u = 0; u < rep->nrubrics; u++) {
        const struct rf_iv_rubric_stats *st = &rep->rubric[u];
        if (!st->ratings)
            continue;
        json_t *flat = json_array();
        for (size_t j = b->first[u]; flat && j < b->first[u + 1]; j++)
            if (rep->crit[j].flat)
                json_array_append_new(
                    flat, json_pack("{ssssss}", "criterion", b->ids[j], "why", rep->crit[j].why,
                                    "why_code", rep->crit[j].code));
        json_array_append_new(ru, json_pack("{sssIsIsososo}", "rubric", b->rubric_ids[u], "ratings",
                                            (json_int_t)st->ratings, "pairs", (json_int_t)st->pairs,
                                            "kappa", num(st->kappa), "icc", num(st->icc),
                                            "not_separating", flat ? flat : json_array()));
    }
    return o;
}

json_t *rf_iv_packet_json(const struct rf_taxonomy *tax, const struct rf_iv_bank *b,
                          const struct rf_iv_packet *pk, const char *who)
{
    json_t *reqs = json_array();
    for (size_t i = 0; reqs && i < pk->fit.nreqs; i++) {
        const struct rf_req_fit *rq = &pk->fit.reqs[i];
        const struct rf_iv_packet_req *x = &pk->req[i];
        json_array_append_new(
            reqs,
            json_pack("{sssbsosssosososs?so}", "skill", tax->skills[rq->req->skill].id, "core",
                      rq->req->core, "p_meets", num(rq->p), "call", rf_call_name(rq->call),
                      "p_test", x->test_measured ? num(x->p_test) : json_null(), "p_interviews",
                      x->iv_measured ? num(x->p_iv) : json_null(), "agree",
                      x->agree < 0 ? json_null() : json_boolean(x->agree), "settled_by",
                      x->settle == (size_t)-1 ? NULL : b->rubric_ids[x->settle], "p_settle",
                      x->settle == (size_t)-1 ? json_null() : num(x->p_settle)));
    }
    if (!reqs)
        return NULL;
    return json_pack("{sssssosIso}", "candidate", who, "role", pk->fit.role->id, "p_false_negative",
                     num(pk->p_false_negative), "open", (json_int_t)pk->nopen, "requirements",
                     reqs);
}
