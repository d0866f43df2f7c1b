/*
 * Session files (see sessfile.h). The JSON object:
 *   {"format": "rolefit-session", "version": 1,
 *    "grid": {"lo", "hi", "n"},
 *    "design": {"max_items", "select", "randomesque", "exposure", "early_stop",
 *               "reach_slack", "scope": [{"skill", "se", "min", "max"}, ...],
 *               "classes": [[null | [mu, tau] per scope skill], ...]   (only when set;
 *                           null: like the population), "class_focus": true (only when set),
 *               "loadings": [lambda per scope skill], "loadings_assumed": true,
 *               "population": {"mu": [..], "tau": [..]}   (the takers' N(mu, tau^2) per
 *                           scope skill, only when set: cat/session.h pop_mu),
 *               "prior_class": {"class": C, "weight": W} | {"all": true, "weight": W}
 *                           (one class mixed into the prior, or every class),
 *               "cuts": [null | cut per scope skill]   (requirements to decide),
 *               "decide_p": P, "decide_after": N   (when a decision finishes a skill;
 *                           only when set)
 *               "requirements": [[scope index, cut], ...]   (a confirm stage's)
 *               "objective": {"weights": [w per requirement], "terms": [[requirement,
 *                           scope index, cut], ...], "stop": S}   (a ranking objective's,
 *                           cat/session.h; "stop" only when set)
 *                           (version 2, only when the design has a model or cuts)},
 *    "rng": ["16 hex digits" x 4],
 *    "events": [{"item": ID, "answer": K, "params": {...}, "carried": true (an answer of an
 *                earlier session, rf_cat_carry; only when set)} | {"item": ID, "blocked": true}],
 *               (compact form, rf_cat_session_to_json_compact: "p": "16 hex digits", a
 *                digest of the parameters, in place of "params"; read by this reader, refused
 *                by readers before it as missing 'params')
 *    "presented": ID | null,
 *    "pretest_answers": [{"item": ID, "answer": K, "theta": M, "sd": S}, ...]}
 *   (design "pretest": [{"item": ID, "at": N}, ...] and "pretest_answers" only
 *   when the design seeds pretest items; readers before them refuse nothing
 *   else but would drop them, so such a session is written as version 2)
 * Numbers are written by jansson with 17 significant digits, so doubles
 * round-trip exactly.
 */
#include "cat/sessfile.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/params.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/json.h"

#define FORMAT "rolefit-session"
/* Version 1: independent N(0, 1) priors (no "loadings", no "prior_class");
 * version 2 adds them. A design without a model is still written as version
 * 1, so its files read as before; both versions are read. */
#define VERSION 1
#define VERSION_MODEL 2

static rf_status nomem(struct rf_err *err)
{
    return rf_err_set(err, RF_ENOMEM, "session: out of memory");
}

/* The design's ranking objective into dj; nonzero when out of memory. */
static int write_objective(const struct rf_cat_design *d, json_t *dj)
{
    json_t *o = json_object(), *w = json_array(), *t = json_array();
    int bad = !o || !w || !t;
    bad |= json_object_set_new(dj, "objective", o);
    bad |= json_object_set_new(o, "weights", w);
    bad |= json_object_set_new(o, "terms", t);
    for (size_t r = 0; !bad && r < d->nobjreq; r++)
        bad |= json_array_append_new(w, json_real(d->obj_w[r]));
    for (size_t k = 0; !bad && k < d->nobj; k++)
        bad |= json_array_append_new(t, json_pack("[I, I, f]", (json_int_t)d->obj_req[k],
                                                  (json_int_t)d->obj_skill[k], d->obj_cut[k]));
    if (!bad && d->obj_stop > 0)
        bad |= json_object_set_new(o, "stop", json_real(d->obj_stop));
    return bad;
}

/* The design's pretest items and the pretest answers so far into root;
 * nonzero when out of memory. */
static int write_pretest(const struct rf_cat_session *s, json_t *root)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    json_t *pl = json_array(), *al = json_array();
    int bad = !pl || !al;
    bad |= json_object_set_new(json_object_get(root, "design"), "pretest", pl);
    bad |= json_object_set_new(root, "pretest_answers", al);
    for (size_t j = 0; !bad && j < d->npretest; j++)
        bad |= json_array_append_new(pl, json_pack("{s:s, s:I}", "item", p->ids[d->pretest[j]],
                                                   "at", (json_int_t)d->pretest_at[j]));
    for (size_t j = 0; !bad && j < rf_cat_npretest_answered(s); j++) {
        size_t item, k;
        double theta, sd;
        rf_cat_pretest_answer(s, j, &item, &k, &theta, &sd);
        bad |=
            json_array_append_new(al, json_pack("{s:s, s:I, s:f, s:f}", "item", p->ids[item],
                                                "answer", (json_int_t)k, "theta", theta, "sd", sd));
    }
    return bad;
}

/* The digest of an item's parameters that a compact event carries in place
 * of them: FNV-1a over what same_params() compares (model, categories, the
 * slope, then the thresholds or b and c, each double's bits with -0 as 0),
 * as 16 hex digits into hex[17]. */
static void params_digest(const struct rf_irt_item *it, char hex[17])
{
    uint64_t h = 14695981039346656037u;
    double v[3 + RF_MAX_CATEGORIES];
    size_t n = 0;
    v[n++] = (double)it->model;
    v[n++] = (double)it->ncat;
    v[n++] = it->a;
    if (it->model == RF_MODEL_GRM) {
        for (size_t j = 0; j + 1 < it->ncat && j + 1 < RF_MAX_CATEGORIES; j++)
            v[n++] = it->thr[j];
    } else {
        v[n++] = it->b;
        v[n++] = it->c;
    }
    for (size_t i = 0; i < n; i++) {
        double x = v[i] + 0.0; /* -0 and 0 compare equal: one digest */
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        for (int k = 0; k < 8; k++) {
            h ^= (bits >> (8 * k)) & 0xff;
            h *= 1099511628211u;
        }
    }
    snprintf(hex, 17, "%016" PRIx64, h);
}

static rf_status to_json(const struct rf_cat_session *s, int compact, json_t **out,
                         struct rf_err *err);

rf_status rf_cat_session_to_json(const struct rf_cat_session *s, json_t **out, struct rf_err *err)
{
    return to_json(s, 0, out, err);
}

rf_status rf_cat_session_to_json_compact(const struct rf_cat_session *s, json_t **out,
                                         struct rf_err *err)
{
    return to_json(s, 1, out, err);
}

static rf_status to_json(const struct rf_cat_session *s, int compact, json_t **out,
                         struct rf_err *err)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    json_t *scope = json_array(), *events = json_array(), *rng = json_array();
    json_t *root = NULL;
    if (!scope || !events || !rng)
        goto fail;
    for (size_t j = 0; j < d->nscope; j++)
        if (json_array_append_new(scope,
                                  json_pack("{s:s, s:f, s:I, s:I}", "skill", p->skills[d->scope[j]],
                                            "se", d->rule[j].se, "min", (json_int_t)d->rule[j].min,
                                            "max", (json_int_t)d->rule[j].max)))
            goto fail;
    struct rf_rng *r = rf_cat_session_rng((struct rf_cat_session *)s);
    for (int k = 0; k < 4; k++) {
        char hex[17];
        snprintf(hex, sizeof hex, "%016" PRIx64, r->s[k]);
        if (json_array_append_new(rng, json_string(hex)))
            goto fail;
    }
    for (size_t e = 0; e < rf_cat_nevents(s); e++) {
        size_t item;
        int k;
        rf_cat_event(s, e, &item, &k);
        json_t *ev;
        if (k < 0) {
            ev = json_pack("{s:s, s:b}", "item", p->ids[item], "blocked", 1);
        } else if (compact) {
            char hex[17];
            params_digest(&p->irt[item], hex);
            ev = json_pack("{s:s, s:i, s:s}", "item", p->ids[item], "answer", k, "p", hex);
            if (ev && rf_cat_event_carried(s, e) &&
                json_object_set_new(ev, "carried", json_true())) {
                json_decref(ev);
                goto fail;
            }
        } else {
            json_t *par = json_object();
            if (!par || rf_params_to_json(&p->irt[item], par)) {
                json_decref(par);
                goto fail;
            }
            ev = json_pack("{s:s, s:i, s:o}", "item", p->ids[item], "answer", k, "params", par);
            if (ev && rf_cat_event_carried(s, e) &&
                json_object_set_new(ev, "carried", json_true())) {
                json_decref(ev);
                goto fail;
            }
        }
        if (json_array_append_new(events, ev))
            goto fail;
    }
    json_t *classes = NULL;
    if (d->nclasses) {
        if (!(classes = json_array()))
            goto fail;
        for (size_t c = 0; c < d->nclasses; c++) {
            json_t *row = json_array();
            if (json_array_append_new(classes, row))
                goto fail_classes;
            for (size_t j = 0; j < d->nscope; j++) {
                const struct rf_cat_class_skill *cs = &d->classes[c][j];
                json_t *e = cs->tau == 0 ? json_null() : json_pack("[f, f]", cs->mu, cs->tau);
                if (json_array_append_new(row, e))
                    goto fail_classes;
            }
        }
    }
    int model = rf_cat_design_has_model(d), decide = d->nreqs > 0;
    for (size_t j = 0; j < d->nscope; j++)
        decide |= d->decide[j];
    size_t pending = rf_cat_pending(s);
    root = json_pack("{s:s, s:i, s:{s:f, s:f, s:I}, s:{s:I, s:s, s:I, s:b, s:b, s:f, s:o}, "
                     "s:o, s:o, s:o}",
                     "format", FORMAT, "version",
                     model || decide || d->npretest || d->nobj ? VERSION_MODEL : VERSION, "grid",
                     "lo", p->q.x[0], "hi", p->q.x[p->q.n - 1], "n", (json_int_t)p->q.n, "design",
                     "max_items", (json_int_t)d->max_items, "select", rf_cat_select_name(d->select),
                     "randomesque", (json_int_t)d->randomesque, "exposure", d->exposure,
                     "early_stop", d->stop_unreachable, "reach_slack", d->reach_slack, "scope",
                     scope, "rng", rng, "events", events, "presented",
                     pending == SIZE_MAX ? json_null() : json_string(p->ids[pending]));
    if (!root) {
        json_decref(classes);
        return nomem(err); /* json_pack's "o" consumed the arrays */
    }
    if (classes && json_object_set_new(json_object_get(root, "design"), "classes", classes)) {
        json_decref(root);
        return nomem(err);
    }
    if (d->class_focus &&
        json_object_set_new(json_object_get(root, "design"), "class_focus", json_true())) {
        json_decref(root);
        return nomem(err);
    }
    if (model) {
        json_t *dj = json_object_get(root, "design"), *la = json_array();
        if (!la || json_object_set_new(dj, "loadings", la)) {
            json_decref(root);
            return nomem(err);
        }
        for (size_t j = 0; j < d->nscope; j++)
            if (json_array_append_new(la, json_real(d->lambda[j]))) {
                json_decref(root);
                return nomem(err);
            }
        if (d->loadings_assumed && json_object_set_new(dj, "loadings_assumed", json_true())) {
            json_decref(root);
            return nomem(err);
        }
        int pop = 0;
        for (size_t j = 0; j < d->nscope; j++)
            pop |= d->pop_tau[j] > 0;
        json_t *pm = pop ? json_array() : NULL, *pt = pop ? json_array() : NULL;
        for (size_t j = 0; pm && pt && j < d->nscope; j++)
            if (json_array_append_new(pm, json_real(d->pop_mu[j])) ||
                json_array_append_new(pt, json_real(d->pop_tau[j]))) {
                json_decref(pm);
                pm = NULL;
            }
        if (pop &&
            (!pm || !pt ||
             json_object_set_new(dj, "population", json_pack("{s:o, s:o}", "mu", pm, "tau", pt)))) {
            if (!pm || !pt) {
                json_decref(pm);
                json_decref(pt);
            }
            json_decref(root);
            return nomem(err);
        }
        if (d->prior_weight > 0 &&
            json_object_set_new(dj, "prior_class",
                                d->prior_all
                                    ? json_pack("{s:b, s:f}", "all", 1, "weight", d->prior_weight)
                                    : json_pack("{s:I, s:f}", "class", (json_int_t)d->prior_class,
                                                "weight", d->prior_weight))) {
            json_decref(root);
            return nomem(err);
        }
    }
    if (d->nreqs) {
        json_t *rq = json_array();
        if (!rq || json_object_set_new(json_object_get(root, "design"), "requirements", rq)) {
            json_decref(root);
            return nomem(err);
        }
        for (size_t q = 0; q < d->nreqs; q++)
            if (json_array_append_new(
                    rq, json_pack("[I, f]", (json_int_t)d->req_skill[q], d->req_cut[q]))) {
                json_decref(root);
                return nomem(err);
            }
    }
    if (d->nobj && write_objective(d, json_object_get(root, "design"))) {
        json_decref(root);
        return nomem(err);
    }
    if (decide) {
        json_t *cu = json_array();
        if (!cu || json_object_set_new(json_object_get(root, "design"), "cuts", cu)) {
            json_decref(root);
            return nomem(err);
        }
        for (size_t j = 0; j < d->nscope; j++)
            if (json_array_append_new(cu, d->decide[j] ? json_real(d->cut[j]) : json_null())) {
                json_decref(root);
                return nomem(err);
            }
        json_t *dj = json_object_get(root, "design");
        if ((d->decide_p > 0 && json_object_set_new(dj, "decide_p", json_real(d->decide_p))) ||
            (d->decide_after > 0 &&
             json_object_set_new(dj, "decide_after", json_integer((json_int_t)d->decide_after)))) {
            json_decref(root);
            return nomem(err);
        }
    }
    if (d->npretest && write_pretest(s, root)) {
        json_decref(root);
        return nomem(err);
    }
    *out = root;
    return RF_OK;
fail_classes:
    json_decref(classes);
fail:
    json_decref(scope);
    json_decref(events);
    json_decref(rng);
    return nomem(err);
}

/* ---- the compact form as text, without a tree ---- */

/* A writer of JSON text into b: each call does nothing once rc is set (the
 * first failure is kept), so a sequence of calls is checked once at its end. */
struct tw {
    struct rf_buf *b;
    rf_status rc;
    const char *bad; /* the field of a number that is not finite */
};

static void tw_raw(struct tw *w, const char *text)
{
    if (!w->rc)
        w->rc = rf_buf_puts(w->b, text);
}

static void tw_str(struct tw *w, const char *v)
{
    if (!w->rc)
        w->rc = rf_buf_put_json_utf8(w->b, v);
}

static void tw_int(struct tw *w, long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", v);
    if (!w->rc)
        w->rc = rf_buf_append(w->b, t, (size_t)n);
}

static void tw_real(struct tw *w, double v, const char *field)
{
    if (!w->rc && (w->rc = rf_buf_put_json_double(w->b, v)) == RF_EINVAL)
        w->bad = field;
}

/* a comma after element i of n, unless it is the last */
static void tw_sep(struct tw *w, size_t i, size_t n)
{
    if (i + 1 < n)
        tw_raw(w, ",");
}

/* The design's fields after "scope", in the order to_json() adds them. */
static void text_design_tail(struct tw *w, const struct rf_cat_session *s, int model, int decide)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    if (d->nclasses) {
        tw_raw(w, ",\"classes\":[");
        for (size_t c = 0; c < d->nclasses; c++) {
            tw_raw(w, "[");
            for (size_t j = 0; j < d->nscope; j++) {
                const struct rf_cat_class_skill *cs = &d->classes[c][j];
                if (cs->tau == 0) {
                    tw_raw(w, "null");
                } else {
                    tw_raw(w, "[");
                    tw_real(w, cs->mu, "classes");
                    tw_raw(w, ",");
                    tw_real(w, cs->tau, "classes");
                    tw_raw(w, "]");
                }
                tw_sep(w, j, d->nscope);
            }
            tw_raw(w, "]");
            tw_sep(w, c, d->nclasses);
        }
        tw_raw(w, "]");
    }
    if (d->class_focus)
        tw_raw(w, ",\"class_focus\":true");
    if (model) {
        tw_raw(w, ",\"loadings\":[");
        for (size_t j = 0; j < d->nscope; j++) {
            tw_real(w, d->lambda[j], "loadings");
            tw_sep(w, j, d->nscope);
        }
        tw_raw(w, "]");
        if (d->loadings_assumed)
            tw_raw(w, ",\"loadings_assumed\":true");
        /* the takers' N(mu, tau^2) per skill, as the tree writes it */
        int pop = 0;
        for (size_t j = 0; j < d->nscope; j++)
            pop |= d->pop_tau[j] > 0;
        if (pop) {
            tw_raw(w, ",\"population\":{\"mu\":[");
            for (size_t j = 0; j < d->nscope; j++) {
                tw_real(w, d->pop_mu[j], "population");
                tw_sep(w, j, d->nscope);
            }
            tw_raw(w, "],\"tau\":[");
            for (size_t j = 0; j < d->nscope; j++) {
                tw_real(w, d->pop_tau[j], "population");
                tw_sep(w, j, d->nscope);
            }
            tw_raw(w, "]}");
        }
        if (d->prior_weight > 0) {
            if (d->prior_all) {
                tw_raw(w, ",\"prior_class\":{\"all\":true,\"weight\":");
            } else {
                tw_raw(w, ",\"prior_class\":{\"class\":");
                tw_int(w, (long long)d->prior_class);
                tw_raw(w, ",\"weight\":");
            }
            tw_real(w, d->prior_weight, "prior_class");
            tw_raw(w, "}");
        }
    }
    if (d->nreqs) {
        tw_raw(w, ",\"requirements\":[");
        for (size_t q = 0; q < d->nreqs; q++) {
            tw_raw(w, "[");
            tw_int(w, (long long)d->req_skill[q]);
            tw_raw(w, ",");
            tw_real(w, d->req_cut[q], "requirements");
            tw_raw(w, "]");
            tw_sep(w, q, d->nreqs);
        }
        tw_raw(w, "]");
    }
    if (d->nobj) {
        tw_raw(w, ",\"objective\":{\"weights\":[");
        for (size_t r = 0; r < d->nobjreq; r++) {
            tw_real(w, d->obj_w[r], "objective");
            tw_sep(w, r, d->nobjreq);
        }
        tw_raw(w, "],\"terms\":[");
        for (size_t k = 0; k < d->nobj; k++) {
            tw_raw(w, "[");
            tw_int(w, (long long)d->obj_req[k]);
            tw_raw(w, ",");
            tw_int(w, (long long)d->obj_skill[k]);
            tw_raw(w, ",");
            tw_real(w, d->obj_cut[k], "objective");
            tw_raw(w, "]");
            tw_sep(w, k, d->nobj);
        }
        tw_raw(w, "]");
        if (d->obj_stop > 0) {
            tw_raw(w, ",\"stop\":");
            tw_real(w, d->obj_stop, "objective");
        }
        tw_raw(w, "}");
    }
    if (decide) {
        tw_raw(w, ",\"cuts\":[");
        for (size_t j = 0; j < d->nscope; j++) {
            if (d->decide[j])
                tw_real(w, d->cut[j], "cuts");
            else
                tw_raw(w, "null");
            tw_sep(w, j, d->nscope);
        }
        tw_raw(w, "]");
        if (d->decide_p > 0) {
            tw_raw(w, ",\"decide_p\":");
            tw_real(w, d->decide_p, "decide_p");
        }
        if (d->decide_after > 0) {
            tw_raw(w, ",\"decide_after\":");
            tw_int(w, (long long)d->decide_after);
        }
    }
    if (d->npretest) {
        tw_raw(w, ",\"pretest\":[");
        for (size_t j = 0; j < d->npretest; j++) {
            tw_raw(w, "{\"item\":");
            tw_str(w, p->ids[d->pretest[j]]);
            tw_raw(w, ",\"at\":");
            tw_int(w, (long long)d->pretest_at[j]);
            tw_raw(w, "}");
            tw_sep(w, j, d->npretest);
        }
        tw_raw(w, "]");
    }
}

/* The events, the presented item and the pretest answers. */
static void text_log(struct tw *w, const struct rf_cat_session *s)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    tw_raw(w, ",\"events\":[");
    size_t nev = rf_cat_nevents(s);
    for (size_t e = 0; e < nev; e++) {
        size_t item;
        int k;
        rf_cat_event(s, e, &item, &k);
        tw_raw(w, "{\"item\":");
        tw_str(w, p->ids[item]);
        if (k < 0) {
            tw_raw(w, ",\"blocked\":true}");
        } else {
            char hex[17];
            params_digest(&p->irt[item], hex);
            tw_raw(w, ",\"answer\":");
            tw_int(w, k);
            tw_raw(w, ",\"p\":\"");
            tw_raw(w, hex);
            tw_raw(w, rf_cat_event_carried(s, e) ? "\",\"carried\":true}" : "\"}");
        }
        tw_sep(w, e, nev);
    }
    tw_raw(w, "],\"presented\":");
    size_t pending = rf_cat_pending(s);
    if (pending == SIZE_MAX)
        tw_raw(w, "null");
    else
        tw_str(w, p->ids[pending]);
    if (d->npretest) {
        tw_raw(w, ",\"pretest_answers\":[");
        size_t na = rf_cat_npretest_answered(s);
        for (size_t j = 0; j < na; j++) {
            size_t item, k;
            double theta, sd;
            rf_cat_pretest_answer(s, j, &item, &k, &theta, &sd);
            tw_raw(w, "{\"item\":");
            tw_str(w, p->ids[item]);
            tw_raw(w, ",\"answer\":");
            tw_int(w, (long long)k);
            tw_raw(w, ",\"theta\":");
            tw_real(w, theta, "pretest_answers");
            tw_raw(w, ",\"sd\":");
            tw_real(w, sd, "pretest_answers");
            tw_raw(w, "}");
            tw_sep(w, j, na);
        }
        tw_raw(w, "]");
    }
    tw_raw(w, "}");
}

rf_status rf_cat_session_state_text(const struct rf_cat_session *s, struct rf_buf *b,
                                    struct rf_err *err)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    int model = rf_cat_design_has_model(d), decide = d->nreqs > 0;
    for (size_t j = 0; j < d->nscope; j++)
        decide |= d->decide[j];
    size_t at = b->len;
    struct tw w = {b, RF_OK, NULL};
    tw_raw(&w, "{\"format\":\"" FORMAT "\",\"version\":");
    tw_int(&w, model || decide || d->npretest || d->nobj ? VERSION_MODEL : VERSION);
    tw_raw(&w, ",\"grid\":{\"lo\":");
    tw_real(&w, p->q.x[0], "grid");
    tw_raw(&w, ",\"hi\":");
    tw_real(&w, p->q.x[p->q.n - 1], "grid");
    tw_raw(&w, ",\"n\":");
    tw_int(&w, (long long)p->q.n);
    tw_raw(&w, "},\"design\":{\"max_items\":");
    tw_int(&w, (long long)d->max_items);
    tw_raw(&w, ",\"select\":");
    tw_str(&w, rf_cat_select_name(d->select));
    tw_raw(&w, ",\"randomesque\":");
    tw_int(&w, (long long)d->randomesque);
    tw_raw(&w, d->exposure ? ",\"exposure\":true" : ",\"exposure\":false");
    tw_raw(&w, d->stop_unreachable ? ",\"early_stop\":true" : ",\"early_stop\":false");
    tw_raw(&w, ",\"reach_slack\":");
    tw_real(&w, d->reach_slack, "reach_slack");
    tw_raw(&w, ",\"scope\":[");
    for (size_t j = 0; j < d->nscope; j++) {
        tw_raw(&w, "{\"skill\":");
        tw_str(&w, p->skills[d->scope[j]]);
        tw_raw(&w, ",\"se\":");
        tw_real(&w, d->rule[j].se, "scope");
        tw_raw(&w, ",\"min\":");
        tw_int(&w, (long long)d->rule[j].min);
        tw_raw(&w, ",\"max\":");
        tw_int(&w, (long long)d->rule[j].max);
        tw_raw(&w, "}");
        tw_sep(&w, j, d->nscope);
    }
    tw_raw(&w, "]");
    text_design_tail(&w, s, model, decide);
    tw_raw(&w, "},\"rng\":[");
    struct rf_rng *r = rf_cat_session_rng((struct rf_cat_session *)s);
    for (int k = 0; k < 4; k++) {
        char hex[24];
        snprintf(hex, sizeof hex, "\"%016" PRIx64 "\"", r->s[k]);
        tw_raw(&w, hex);
        tw_sep(&w, (size_t)k, 4);
    }
    tw_raw(&w, "]");
    text_log(&w, s);
    if (!w.rc)
        return RF_OK;
    b->len = at; /* as it was */
    if (b->data)
        b->data[at] = '\0';
    if (w.bad)
        return rf_err_set(err, RF_EINVAL, "session: field '%s': a number that is not finite",
                          w.bad);
    if (w.rc == RF_EINVAL)
        return rf_err_set(err, RF_EINVAL, "session: an id that is not valid UTF-8");
    if (w.rc == RF_ETOOBIG)
        return rf_err_set(err, RF_ETOOBIG, "session: the state is larger than its buffer allows");
    return nomem(err);
}

static rf_status get_bool(const json_t *obj, const char *key, int *out, const char *where,
                          struct rf_err *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v)
        return rf_err_set(err, RF_EINVAL, "%s: missing field '%s'", where, key);
    if (!json_is_boolean(v))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected true or false", where, key);
    *out = json_is_true(v);
    return RF_OK;
}

static int same_params(const struct rf_irt_item *x, const struct rf_irt_item *y)
{
    if (x->model != y->model || x->ncat != y->ncat || x->a != y->a)
        return 0;
    if (x->model == RF_MODEL_GRM) {
        for (size_t j = 0; j + 1 < x->ncat; j++)
            if (x->thr[j] != y->thr[j])
                return 0;
        return 1;
    }
    return x->b == y->b && x->c == y->c;
}

/* The optional classification objective: one row per class, one {mu, tau}
 * per scope skill. */
static rf_status read_classes(const json_t *dj, struct rf_cat_design *d, const char *w,
                              struct rf_err *err)
{
    const json_t *focus = json_object_get(dj, "class_focus");
    if (focus && !json_is_boolean(focus))
        return rf_err_set(err, RF_EINVAL, "%s: field 'class_focus': expected true or false", w);
    d->class_focus = json_is_true(focus);
    const json_t *cl = json_object_get(dj, "classes");
    if (!cl)
        return RF_OK;
    if (!json_is_array(cl) || json_array_size(cl) > RF_CAT_MAX_CLASSES)
        return rf_err_set(err, RF_EINVAL, "%s: field 'classes': expected an array of at most %d", w,
                          RF_CAT_MAX_CLASSES);
    for (size_t c = 0; c < json_array_size(cl); c++) {
        const json_t *row = json_array_get(cl, c);
        char wc[RF_ERRMSG_LEN / 2];
        snprintf(wc, sizeof wc, "%s: classes[%zu]", w, c);
        if (!json_is_array(row) || json_array_size(row) != d->nscope)
            return rf_err_set(err, RF_EINVAL, "%s: expected one entry per scope skill (%zu)", wc,
                              d->nscope);
        struct rf_cat_class_skill dist[RF_CAT_MAX_SCOPE];
        for (size_t j = 0; j < d->nscope; j++) {
            const json_t *e = json_array_get(row, j);
            if (json_is_null(e)) {
                dist[j] = (struct rf_cat_class_skill){0, 0};
                continue;
            }
            if (!json_is_array(e) || json_array_size(e) != 2 ||
                !json_is_number(json_array_get(e, 0)) || !json_is_number(json_array_get(e, 1)))
                return rf_err_set(err, RF_EINVAL, "%s[%zu]: expected null or [mu, tau]", wc, j);
            dist[j].mu = json_number_value(json_array_get(e, 0));
            dist[j].tau = json_number_value(json_array_get(e, 1));
        }
        rf_status rc = rf_cat_design_add_class(d, dist, err);
        if (rc) {
            rf_err_prefix(err, "%s", wc);
            return RF_EINVAL;
        }
    }
    return RF_OK;
}

/* A confirm stage's requirements: [[scope index, cut], ...] (ranges:
 * rf_cat_design_check). */
static rf_status read_requirements(const json_t *dj, struct rf_cat_design *d, const char *w,
                                   struct rf_err *err)
{
    const json_t *rq = json_object_get(dj, "requirements");
    if (!rq)
        return RF_OK;
    if (!json_is_array(rq) || json_array_size(rq) == 0 || json_array_size(rq) > RF_CAT_MAX_REQS)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'requirements': expected an array of 1 to %d [scope index, "
                          "cut]",
                          w, RF_CAT_MAX_REQS);
    for (size_t r = 0; r < json_array_size(rq); r++) {
        const json_t *e = json_array_get(rq, r), *j = json_array_get(e, 0);
        const json_t *c = json_array_get(e, 1);
        if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(j) ||
            json_integer_value(j) < 0 || (size_t)json_integer_value(j) >= d->nscope ||
            !json_is_number(c))
            return rf_err_set(err, RF_EINVAL,
                              "%s: requirements[%zu]: expected [scope index below %zu, cut]", w, r,
                              d->nscope);
        d->req_skill[r] = (size_t)json_integer_value(j);
        d->req_cut[r] = json_number_value(c);
    }
    d->nreqs = json_array_size(rq);
    return RF_OK;
}

/* The optional ranking objective: {"weights": [...], "terms": [[requirement,
 * scope index, cut], ...], "stop": S} (ranges: rf_cat_design_check). */
static rf_status read_objective(const json_t *dj, struct rf_cat_design *d, const char *w,
                                struct rf_err *err)
{
    const json_t *o = json_object_get(dj, "objective");
    if (!o)
        return RF_OK;
    const json_t *ws = json_object_get(o, "weights"), *ts = json_object_get(o, "terms");
    if (!json_is_object(o) || !json_is_array(ws) || json_array_size(ws) == 0 ||
        json_array_size(ws) > RF_CAT_MAX_OBJ || !json_is_array(ts) || json_array_size(ts) == 0 ||
        json_array_size(ts) > RF_CAT_MAX_OBJ)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'objective': expected {\"weights\": [...], \"terms\": "
                          "[...]} of 1 to %d entries each",
                          w, RF_CAT_MAX_OBJ);
    for (size_t r = 0; r < json_array_size(ws); r++) {
        if (!json_is_number(json_array_get(ws, r)))
            return rf_err_set(err, RF_EINVAL, "%s: objective.weights[%zu]: expected a number", w,
                              r);
        d->obj_w[r] = json_number_value(json_array_get(ws, r));
    }
    d->nobjreq = json_array_size(ws);
    for (size_t t = 0; t < json_array_size(ts); t++) {
        const json_t *e = json_array_get(ts, t), *r = json_array_get(e, 0);
        const json_t *j = json_array_get(e, 1), *c = json_array_get(e, 2);
        if (!json_is_array(e) || json_array_size(e) != 3 || !json_is_integer(r) ||
            json_integer_value(r) < 0 || !json_is_integer(j) || json_integer_value(j) < 0 ||
            !json_is_number(c))
            return rf_err_set(err, RF_EINVAL,
                              "%s: objective.terms[%zu]: expected [requirement, scope index, cut]",
                              w, t);
        d->obj_req[t] = (size_t)json_integer_value(r);
        d->obj_skill[t] = (size_t)json_integer_value(j);
        d->obj_cut[t] = json_number_value(c);
    }
    d->nobj = json_array_size(ts);
    char wo[RF_ERRMSG_LEN / 2];
    snprintf(wo, sizeof wo, "%s: objective", w);
    return rf_json_get_number(o, "stop", 0, &d->obj_stop, NULL, wo, err);
}

/* The optional model prior (version 2): loadings per scope skill and the
 * class mixed into the prior. Absent: independent N(0, 1) skills. */
static rf_status read_prior(const json_t *dj, struct rf_cat_design *d, const char *w,
                            struct rf_err *err)
{
    const json_t *la = json_object_get(dj, "loadings"), *pc = json_object_get(dj, "prior_class");
    const json_t *as = json_object_get(dj, "loadings_assumed");
    if (as && !json_is_boolean(as))
        return rf_err_set(err, RF_EINVAL, "%s: field 'loadings_assumed': expected true or false",
                          w);
    d->loadings_assumed = json_is_true(as);
    if (la) {
        if (!json_is_array(la) || json_array_size(la) != d->nscope)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'loadings': expected one number per scope skill (%zu)", w,
                              d->nscope);
        for (size_t j = 0; j < d->nscope; j++) {
            const json_t *v = json_array_get(la, j);
            if (!json_is_number(v))
                return rf_err_set(err, RF_EINVAL, "%s: loadings[%zu]: expected a number", w, j);
            d->lambda[j] = json_number_value(v);
        }
    }
    const json_t *pop = json_object_get(dj, "population");
    if (pop) {
        const json_t *pm = json_object_get(pop, "mu"), *pt = json_object_get(pop, "tau");
        if (!json_is_array(pm) || !json_is_array(pt) || json_array_size(pm) != d->nscope ||
            json_array_size(pt) != d->nscope)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'population': expected {\"mu\", \"tau\"}, a number per "
                              "scope skill (%zu) each",
                              w, d->nscope);
        for (size_t j = 0; j < d->nscope; j++) {
            if (!json_is_number(json_array_get(pm, j)) || !json_is_number(json_array_get(pt, j)))
                return rf_err_set(err, RF_EINVAL, "%s: population[%zu]: expected numbers", w, j);
            d->pop_mu[j] = json_number_value(json_array_get(pm, j));
            d->pop_tau[j] = json_number_value(json_array_get(pt, j));
        }
    }
    const json_t *cu = json_object_get(dj, "cuts");
    if (cu) {
        if (!json_is_array(cu) || json_array_size(cu) != d->nscope)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'cuts': expected null or a number per scope skill (%zu)",
                              w, d->nscope);
        for (size_t j = 0; j < d->nscope; j++) {
            const json_t *v = json_array_get(cu, j);
            if (json_is_null(v))
                continue;
            if (!json_is_number(v))
                return rf_err_set(err, RF_EINVAL, "%s: cuts[%zu]: expected null or a number", w,
                                  j);
            d->cut[j] = json_number_value(v);
            d->decide[j] = 1;
        }
    }
    rf_status rc = read_requirements(dj, d, w, err);
    if (rc)
        return rc;
    if (cu || d->nreqs) {
        /* Absent in files written before them: decisions at RF_CAT_DECIDED_P
         * from the first item, as those sessions ran. Ranges: rf_cat_design_check. */
        if ((rc = rf_json_get_number(dj, "decide_p", 0, &d->decide_p, NULL, w, err)) ||
            (rc = rf_json_get_size(dj, "decide_after", 0, &d->decide_after, w, err)))
            return rc;
    }
    if (pc) {
        size_t c = 0;
        char wp[RF_ERRMSG_LEN / 2];
        snprintf(wp, sizeof wp, "%s: prior_class", w);
        if (!json_is_object(pc))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", wp);
        const json_t *all = json_object_get(pc, "all");
        if (all && !json_is_true(all))
            return rf_err_set(err, RF_EINVAL, "%s: field 'all': expected true or absent", wp);
        d->prior_all = all != NULL;
        if ((!all && (rc = rf_json_get_size(pc, "class", 1, &c, wp, err))) ||
            (rc = rf_json_get_number(pc, "weight", 1, &d->prior_weight, NULL, wp, err)))
            return rc;
        d->prior_class = all ? 0 : c;
    }
    return RF_OK;
}

/* The optional pretest items: [{"item": ID, "at": N}, ...]; checked with
 * the design (rf_cat_design_check). */
static rf_status read_pretest(const struct rf_cat_pool *p, const json_t *dj,
                              struct rf_cat_design *d, const char *w, struct rf_err *err)
{
    const json_t *pl = json_object_get(dj, "pretest");
    if (!pl)
        return RF_OK;
    if (!json_is_array(pl) || json_array_size(pl) > RF_CAT_MAX_PRETEST)
        return rf_err_set(err, RF_EINVAL, "%s: field 'pretest': expected an array of at most %d", w,
                          RF_CAT_MAX_PRETEST);
    for (size_t j = 0; j < json_array_size(pl); j++) {
        char wj[RF_ERRMSG_LEN / 2];
        snprintf(wj, sizeof wj, "%s: pretest[%zu]", w, j);
        const json_t *e = json_array_get(pl, j);
        const char *id;
        size_t at, i;
        rf_status rc;
        if (!json_is_object(e))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", wj);
        if ((rc = rf_json_get_string(e, "item", 1, &id, wj, err)) ||
            (rc = rf_json_get_size(e, "at", 1, &at, wj, err)))
            return rc;
        if (rf_cat_pool_find(p, id, &i))
            return rf_err_set(err, RF_EINVAL, "%s: item '%s' is not in the bank", wj, id);
        if (at > UINT32_MAX)
            return rf_err_set(err, RF_EINVAL, "%s: field 'at': %zu is too large", wj, at);
        d->pretest[j] = (uint32_t)i;
        d->pretest_at[j] = (uint32_t)at;
        d->npretest = j + 1;
    }
    return RF_OK;
}

/* The pretest answers after the scored events: each the next pretest item. */
static rf_status replay_pretest(struct rf_cat_session *s, const json_t *obj, const char *where,
                                struct rf_err *err)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const json_t *al = json_object_get(obj, "pretest_answers");
    if (!al)
        return RF_OK;
    if (!json_is_array(al))
        return rf_err_set(err, RF_EINVAL, "%s: field 'pretest_answers': expected an array", where);
    for (size_t j = 0; j < json_array_size(al); j++) {
        char w[RF_ERRMSG_LEN / 2];
        snprintf(w, sizeof w, "%s: pretest_answers[%zu]", where, j);
        const json_t *e = json_array_get(al, j);
        const char *id;
        size_t k, i;
        double theta, sd;
        rf_status rc;
        if (!json_is_object(e))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", w);
        if ((rc = rf_json_get_string(e, "item", 1, &id, w, err)) ||
            (rc = rf_json_get_size(e, "answer", 1, &k, w, err)) ||
            (rc = rf_json_get_number(e, "theta", 1, &theta, NULL, w, err)) ||
            (rc = rf_json_get_number(e, "sd", 1, &sd, NULL, w, err)))
            return rc;
        if (rf_cat_pool_find(p, id, &i))
            return rf_err_set(err, RF_EINVAL, "%s: item '%s' is not in the bank", w, id);
        if ((rc = rf_cat_replay_pretest(s, i, k, theta, sd, err))) {
            rf_err_prefix(err, "%s", w);
            return rc;
        }
    }
    return RF_OK;
}

static rf_status read_design(const struct rf_cat_pool *p, const json_t *obj, const char *where,
                             struct rf_cat_design *d, struct rf_err *err)
{
    char w[RF_ERRMSG_LEN / 2];
    snprintf(w, sizeof w, "%s: design", where);
    const json_t *dj = json_object_get(obj, "design");
    if (!json_is_object(dj))
        return rf_err_set(err, RF_EINVAL, "%s: missing object 'design'", where);
    rf_cat_design_init(d);
    const char *sel;
    rf_status rc;
    if ((rc = rf_json_get_size(dj, "max_items", 1, &d->max_items, w, err)) ||
        (rc = rf_json_get_size(dj, "randomesque", 1, &d->randomesque, w, err)) ||
        (rc = rf_json_get_string(dj, "select", 1, &sel, w, err)) ||
        (rc = get_bool(dj, "exposure", &d->exposure, w, err)) ||
        (rc = get_bool(dj, "early_stop", &d->stop_unreachable, w, err)) ||
        (rc = rf_json_get_number(dj, "reach_slack", 1, &d->reach_slack, NULL, w, err)))
        return rc;
    if (rf_cat_select_parse(sel, &d->select))
        return rf_err_set(err, RF_EINVAL, "%s: field 'select': unknown rule '%s'", w, sel);
    const json_t *scope = json_object_get(dj, "scope");
    if (!json_is_array(scope) || json_array_size(scope) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'scope': expected a non-empty array", w);
    for (size_t j = 0; j < json_array_size(scope); j++) {
        char ws[RF_ERRMSG_LEN / 2];
        snprintf(ws, sizeof ws, "%s: design: scope[%zu]", where, j);
        const json_t *e = json_array_get(scope, j);
        const char *skill;
        struct rf_cat_rule r;
        if (!json_is_object(e))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", ws);
        if ((rc = rf_json_get_string(e, "skill", 1, &skill, ws, err)) ||
            (rc = rf_json_get_number(e, "se", 1, &r.se, NULL, ws, err)) ||
            (rc = rf_json_get_size(e, "min", 1, &r.min, ws, err)) ||
            (rc = rf_json_get_size(e, "max", 1, &r.max, ws, err)))
            return rc;
        if ((rc = rf_cat_design_add(d, p, skill, r, err))) {
            rf_err_prefix(err, "%s", ws);
            return rc == RF_ENOTFOUND ? RF_EINVAL : rc;
        }
    }
    if (!(isfinite(d->reach_slack) && d->reach_slack > 0))
        return rf_err_set(err, RF_EINVAL, "%s: field 'reach_slack': expected a positive number", w);
    if ((rc = read_classes(dj, d, w, err)) || (rc = read_prior(dj, d, w, err)) ||
        (rc = read_objective(dj, d, w, err)) || (rc = read_pretest(p, dj, d, w, err)))
        return rc;
    if ((rc = rf_cat_design_check(d, p, err)))
        rf_err_prefix(err, "%s", w);
    return rc;
}

static rf_status read_grid(const struct rf_cat_pool *p, const json_t *obj, const char *where,
                           struct rf_err *err)
{
    char w[RF_ERRMSG_LEN / 2];
    snprintf(w, sizeof w, "%s: grid", where);
    const json_t *g = json_object_get(obj, "grid");
    if (!json_is_object(g))
        return rf_err_set(err, RF_EINVAL, "%s: missing object 'grid'", where);
    double lo, hi;
    size_t n;
    rf_status rc;
    if ((rc = rf_json_get_number(g, "lo", 1, &lo, NULL, w, err)) ||
        (rc = rf_json_get_number(g, "hi", 1, &hi, NULL, w, err)) ||
        (rc = rf_json_get_size(g, "n", 1, &n, w, err)))
        return rc;
    if (n != p->q.n || lo != p->q.x[0] || hi != p->q.x[p->q.n - 1])
        return rf_err_set(err, RF_EINVAL,
                          "%s: the session used %zu nodes on [%g, %g], this bank's pool %zu on "
                          "[%g, %g]",
                          w, n, lo, hi, p->q.n, p->q.x[0], p->q.x[p->q.n - 1]);
    return RF_OK;
}

static rf_status read_rng(const json_t *obj, const char *where, struct rf_rng *r,
                          struct rf_err *err)
{
    const json_t *a = json_object_get(obj, "rng");
    if (!json_is_array(a) || json_array_size(a) != 4)
        return rf_err_set(err, RF_EINVAL, "%s: field 'rng': expected 4 strings of 16 hex digits",
                          where);
    uint64_t any = 0;
    for (size_t k = 0; k < 4; k++) {
        const char *s = json_string_value(json_array_get(a, k));
        char *end;
        if (!s || strlen(s) != 16 || strspn(s, "0123456789abcdef") != 16)
            return rf_err_set(err, RF_EINVAL, "%s: field 'rng[%zu]': expected 16 hex digits", where,
                              k);
        r->s[k] = strtoull(s, &end, 16);
        any |= r->s[k];
    }
    if (!any)
        return rf_err_set(err, RF_EINVAL, "%s: field 'rng': the all-zero state is invalid", where);
    return RF_OK;
}

static rf_status replay_events(struct rf_cat_session *s, const json_t *obj, const char *where,
                               struct rf_err *err)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    const json_t *ev = json_object_get(obj, "events");
    if (!json_is_array(ev))
        return rf_err_set(err, RF_EINVAL, "%s: field 'events': expected an array", where);
    if (json_array_size(ev) > RF_CAT_MAX_ITEMS + p->n)
        return rf_err_set(err, RF_EINVAL, "%s: field 'events': too many events", where);
    for (size_t e = 0; e < json_array_size(ev); e++) {
        char w[RF_ERRMSG_LEN / 2];
        snprintf(w, sizeof w, "%s: events[%zu]", where, e);
        const json_t *x = json_array_get(ev, e);
        const char *id;
        rf_status rc;
        if (!json_is_object(x))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", w);
        if ((rc = rf_json_get_string(x, "item", 1, &id, w, err)))
            return rc;
        size_t item;
        if (rf_cat_pool_find(p, id, &item))
            return rf_err_set(err, RF_EINVAL, "%s: item '%s' is not in the bank", w, id);
        const json_t *blk = json_object_get(x, "blocked");
        if (blk) {
            if (!json_is_true(blk))
                return rf_err_set(err, RF_EINVAL, "%s: field 'blocked': expected true", w);
            if ((rc = rf_cat_replay_block(s, item, err))) {
                rf_err_prefix(err, "%s", w);
                return rc;
            }
            continue;
        }
        const json_t *ans = json_object_get(x, "answer");
        if (!json_is_integer(ans) || json_integer_value(ans) < 0)
            return rf_err_set(err, RF_EINVAL,
                              "%s: item '%s': field 'answer': expected a whole "
                              "number >= 0",
                              w, id);
        const json_t *par = json_object_get(x, "params"), *dig = json_object_get(x, "p");
        int changed;
        if (dig) {
            /* a compact event: the digest of the parameters the item had */
            const char *hex = json_string_value(dig);
            if (!hex || strlen(hex) != 16 || strspn(hex, "0123456789abcdef") != 16)
                return rf_err_set(err, RF_EINVAL,
                                  "%s: item '%s': field 'p': expected 16 hex digits", w, id);
            char now[17];
            params_digest(&p->irt[item], now);
            changed = p->tables[item] && strcmp(hex, now) != 0;
        } else {
            if (!json_is_object(par))
                return rf_err_set(err, RF_EINVAL, "%s: item '%s': missing object 'params'", w, id);
            struct rf_irt_item it;
            if ((rc = rf_params_from_json(par, &it, w, err)))
                return rc;
            changed = p->tables[item] && !same_params(&it, &p->irt[item]);
        }
        if (changed)
            return rf_err_set(err, RF_EINVAL,
                              "%s: item '%s': its parameters in the bank changed since the "
                              "session was saved",
                              w, id);
        const json_t *car = json_object_get(x, "carried");
        if (car && !json_is_true(car))
            return rf_err_set(err, RF_EINVAL, "%s: field 'carried': expected true or absent", w);
        if ((rc = car ? rf_cat_carry(s, item, (size_t)json_integer_value(ans), err)
                      : rf_cat_replay(s, item, (size_t)json_integer_value(ans), err))) {
            rf_err_prefix(err, "%s", w);
            return rc;
        }
    }
    return RF_OK;
}

rf_status rf_cat_session_from_json(const struct rf_cat_pool *p, const json_t *obj,
                                   const char *where, struct rf_cat_session **out,
                                   struct rf_err *err)
{
    if (!json_is_object(obj))
        return rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", where);
    const char *fmt;
    size_t version;
    rf_status rc;
    if ((rc = rf_json_get_string(obj, "format", 1, &fmt, where, err)) ||
        (rc = rf_json_get_size(obj, "version", 1, &version, where, err)))
        return rc;
    if (strcmp(fmt, FORMAT) != 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'format': not a rolefit session ('%s')", where,
                          fmt);
    if (version != VERSION && version != VERSION_MODEL)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'version': %zu is not supported (want %d or %d)", where,
                          version, VERSION, VERSION_MODEL);
    struct rf_cat_design d;
    struct rf_rng rng;
    if ((rc = read_grid(p, obj, where, err)) || (rc = read_design(p, obj, where, &d, err)) ||
        (rc = read_rng(obj, where, &rng, err)))
        return rc;
    struct rf_cat_session *s;
    if ((rc = rf_cat_session_new(p, &d, 0, &s, err)))
        return rc;
    if ((rc = replay_events(s, obj, where, err)) || (rc = replay_pretest(s, obj, where, err)))
        goto fail;
    const json_t *pres = json_object_get(obj, "presented");
    if (pres && !json_is_null(pres)) {
        size_t item;
        const char *id = json_string_value(pres);
        if (!id) {
            rc = rf_err_set(err, RF_EINVAL, "%s: field 'presented': expected an item id or null",
                            where);
            goto fail;
        }
        if (rf_cat_pool_find(p, id, &item)) {
            rc =
                rf_err_set(err, RF_EINVAL, "%s: presented item '%s' is not in the bank", where, id);
            goto fail;
        }
        if ((rc = rf_cat_set_pending(s, item, err))) {
            rf_err_prefix(err, "%s: presented", where);
            goto fail;
        }
    }
    *rf_cat_session_rng(s) = rng;
    *out = s;
    return RF_OK;
fail:
    rf_cat_session_free(s);
    return rc;
}

int rf_cat_state_pretest(const json_t *state, const char *item_id)
{
    const json_t *pl = json_object_get(json_object_get(state, "design"), "pretest");
    for (size_t j = 0; j < json_array_size(pl); j++) {
        const char *id = json_string_value(json_object_get(json_array_get(pl, j), "item"));
        if (id && strcmp(id, item_id) == 0)
            return 1;
    }
    return 0;
}

rf_status rf_cat_session_save(const struct rf_cat_session *s, const char *path, struct rf_err *err)
{
    json_t *j;
    rf_status rc = rf_cat_session_to_json(s, &j, err);
    if (rc)
        return rc;
    char *text = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (!text)
        return nomem(err);
    rc = rf_file_write_atomic(path, text, strlen(text), err);
    free(text);
    return rc;
}

rf_status rf_cat_session_load(const struct rf_cat_pool *p, const char *path,
                              struct rf_cat_session **out, struct rf_err *err)
{
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_CAT_MAX_SESSION_BYTES, &data, &len, err);
    if (rc)
        return rc;
    json_t *j;
    rc = rf_json_load_mem(path, data, len, &j, err);
    free(data);
    if (rc)
        return rc;
    rc = rf_cat_session_from_json(p, j, path, out, err);
    json_decref(j);
    return rc;
}
