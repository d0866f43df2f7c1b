/*
 * Building the report JSON and rendering it as Markdown. The builder is the
 * only place that decides what a report says; renderers only lay it out.
 */
#include "careers/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/chance.h"
#include "base/config.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/closest.h"
#include "careers/report_text.h"

/* json_object_set_new that reports failure (NULL value or no memory). */
static int put(json_t *o, const char *k, json_t *v)
{
    return v != NULL && json_object_set_new(o, k, v) == 0;
}

static int append(json_t *a, json_t *v)
{
    return v != NULL && json_array_append_new(a, v) == 0;
}

/* Rounds to 6 significant digits so reports are stable; the JSON writer
 * (rf_json_dumps_out) prints probabilities at 4. */
static json_t *num(double x)
{
    return json_real(rf_round_sig(x, 6));
}

static json_t *req_json(const struct rf_careers *c, const struct rf_req_fit *r, enum rf_lang lang)
{
    const struct rf_skill *s = &c->tax.skills[r->req->skill];
    json_t *o = json_object();
    if (o && put(o, "skill", json_string(s->id)) &&
        put(o, "name", json_string(rf_lang_pick(lang, s->name, s->name_ja))) &&
        put(o, "level", json_string(rf_taxonomy_level_name(&c->tax, r->req->level, lang))) &&
        put(o, "core", json_boolean(r->req->core)) && put(o, "weight", num(r->req->weight)) &&
        put(o, "p", num(r->p)) && put(o, "p_unloaded", num(r->p_unloaded)) &&
        put(o, "measured", json_boolean(r->have != NULL)) &&
        put(o, "call", json_string(rf_call_name(r->call))) && put(o, "p_wrong", num(r->p_wrong)))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *fit_json(const struct rf_careers *c, const struct rf_role_fit *f, enum rf_lang lang)
{
    json_t *o = json_object(), *reqs = json_array(), *un = json_array();
    int ok = o && put(o, "role", json_string(f->role->id)) &&
             put(o, "name", json_string(rf_lang_pick(lang, f->role->name, f->role->name_ja))) &&
             put(o, "kind", json_string(f->role->kind)) && put(o, "fit", num(f->fit)) &&
             put(o, "sd", num(f->sd)) && put(o, "p_core", num(f->p_core)) &&
             put(o, "measured", num(f->measured)) && put(o, "fit_measured", num(f->fit_measured)) &&
             put(o, "p_core_measured", num(f->p_core_measured)) &&
             put(o, "core_measured", json_integer((json_int_t)f->ncore_measured)) &&
             put(o, "unmeasured", un) && put(o, "requirements", reqs);
    if (!ok) {
        json_decref(reqs);
        json_decref(un);
    }
    for (size_t k = 0; ok && k < f->nreqs; k++) {
        ok = append(reqs, req_json(c, &f->reqs[k], lang));
        if (ok && !f->reqs[k].have)
            ok = append(un, json_string(c->tax.skills[f->reqs[k].req->skill].id));
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

rf_status rf_fits_to_json_lang(const struct rf_careers *c, const struct rf_role_fit *fits, size_t n,
                               enum rf_lang lang, json_t **out, struct rf_err *err)
{
    json_t *a = json_array();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = append(a, fit_json(c, &fits[i], lang));
    if (!ok) {
        json_decref(a);
        return rf_err_set(err, RF_ENOMEM, "report: out of memory");
    }
    *out = a;
    return RF_OK;
}

/* Per skill of the taxonomy: measured or not, estimate, level and the
 * probability of each level under the posterior. */
static json_t *skills_json(const struct rf_profile *p, const struct rf_careers *c,
                           enum rf_lang lang)
{
    json_t *a = json_array();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < c->tax.nskills; i++) {
        const struct rf_skill *sk = &c->tax.skills[i];
        const struct rf_profile_skill *s = rf_profile_find(p, sk->id);
        json_t *o = json_object(), *lp = json_array();
        ok = append(a, o) && put(o, "skill", json_string(sk->id)) &&
             put(o, "name", json_string(rf_lang_pick(lang, sk->name, sk->name_ja))) &&
             put(o, "task", json_string(sk->task)) && put(o, "measured", json_boolean(s != NULL)) &&
             put(o, "level_p", lp);
        if (!ok) {
            json_decref(lp);
            break;
        }
        double prev = 1;
        for (size_t l = 0; ok && l < RF_NLEVELS; l++) {
            double t = l + 1 < RF_NLEVELS ? rf_profile_tail(p, s, sk->cuts[l]) : 0;
            ok = append(lp, num(prev - t > 0 ? prev - t : 0));
            prev = t;
        }
        ok = ok && put(o, "cuts", json_pack("[ffff]", sk->cuts[0], sk->cuts[1], sk->cuts[2],
                                            sk->cuts[3]));
        if (ok && s)
            ok = put(o, "theta", num(s->theta)) && put(o, "se", num(s->se)) &&
                 put(o, "items", json_integer((json_int_t)s->items)) &&
                 put(o, "level",
                     json_string(
                         rf_taxonomy_level_name(&c->tax, rf_skill_level(sk, s->theta), lang)));
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The missed concepts of a skill: each tag with how often it was missed
 * ("count") and answered partly right ("partly", when it was), most frequent
 * first (ties in order of first appearance), and a note. */
static json_t *missed_json(const struct rf_profile_skill *s, const struct rf_guidance *g,
                           const struct rf_concepts *names, enum rf_lang lang)
{
    json_t *a = json_array();
    if (!a || !s)
        return a;
    size_t total = 0;
    for (size_t i = 0; i < s->nmissed; i++)
        total += s->missed[i].ntags;
    const char **tag = rf_alloc_array(total ? total : 1, sizeof *tag);
    size_t *count = rf_calloc_array(total ? total : 1, sizeof *count);
    size_t *partly = rf_calloc_array(total ? total : 1, sizeof *partly);
    size_t n = 0;
    int ok = tag && count && partly;
    for (size_t i = 0; ok && i < s->nmissed; i++)
        for (size_t t = 0; t < s->missed[i].ntags; t++) {
            size_t j = 0;
            while (j < n && strcmp(tag[j], s->missed[i].tags[t]) != 0)
                j++;
            if (j == n)
                tag[n++] = s->missed[i].tags[t];
            count[j]++; /* every mention, partly right or not: the order */
            partly[j] += s->missed[i].partial != 0;
        }
    /* Stable insertion sort by count, descending. */
    for (size_t i = 1; ok && i < n; i++)
        for (size_t j = i; j > 0 && count[j - 1] < count[j]; j--) {
            const char *ts = tag[j];
            size_t cs = count[j], ps = partly[j];
            tag[j] = tag[j - 1];
            count[j] = count[j - 1];
            partly[j] = partly[j - 1];
            tag[j - 1] = ts;
            count[j - 1] = cs;
            partly[j - 1] = ps;
        }
    for (size_t i = 0; ok && i < n; i++) {
        json_t *o = json_object();
        const char *note = g ? rf_learning_concept_lang(g, tag[i], lang) : NULL;
        const char *name = rf_concepts_name(names, tag[i], lang);
        ok = append(a, o) && put(o, "tag", json_string(tag[i])) &&
             (!name || put(o, "name", json_string(name))) &&
             put(o, "count", json_integer((json_int_t)(count[i] - partly[i])));
        if (ok && partly[i])
            ok = put(o, "partly", json_integer((json_int_t)partly[i]));
        if (ok && note)
            ok = put(o, "note", json_string(note));
    }
    free(tag);
    free(count);
    free(partly);
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *gap_json(const struct rf_careers *c, const struct rf_req_fit *r,
                        const struct rf_role_fit *all, size_t nall, enum rf_lang lang)
{
    const struct rf_skill *sk = &c->tax.skills[r->req->skill];
    const struct rf_guidance *g = rf_learning_find(&c->learning, r->req->skill);
    json_t *o = json_object(), *blocks = json_array(), *study = json_array();
    int ok = o && put(o, "skill", json_string(sk->id)) &&
             put(o, "name", json_string(rf_lang_pick(lang, sk->name, sk->name_ja))) &&
             put(o, "level", json_string(rf_taxonomy_level_name(&c->tax, r->req->level, lang))) &&
             put(o, "core", json_boolean(r->req->core)) && put(o, "p", num(r->p)) &&
             put(o, "gap", num(r->gap)) && put(o, "measured", json_boolean(r->have != NULL)) &&
             put(o, "missed", missed_json(r->have, g, &c->concepts, lang)) &&
             put(o, "blocks", blocks) &&
             put(o, "study", study);
    if (!ok) {
        json_decref(blocks);
        json_decref(study);
    }
    for (size_t i = 0; ok && i < nall; i++)
        for (size_t k = 0; ok && k < all[i].nreqs; k++)
            if (all[i].reqs[k].req->skill == r->req->skill && rf_fit_blocks(&all[i].reqs[k]))
                ok = append(blocks,
                            json_pack("{ssss}", "role", all[i].role->id, "name",
                                      rf_lang_pick(lang, all[i].role->name, all[i].role->name_ja)));
    if (ok && g) {
        ok = put(o, "focus", json_string(rf_lang_pick(lang, g->focus, g->focus_ja)));
        for (size_t i = 0; ok && i < g->nstudy; i++)
            ok = append(study, json_string(rf_lang_pick(lang, g->study[i],
                                                        g->study_ja ? g->study_ja[i] : NULL)));
        if (ok && g->practice[0])
            ok = put(o, "practice", json_string(rf_lang_pick(lang, g->practice, g->practice_ja)));
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *loop_json(const struct rf_role *role, enum rf_lang lang)
{
    json_t *a = json_array();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < role->nloop; i++) {
        const struct rf_role_stage *st = &role->loop[i];
        ok = append(a, json_pack("{ssss}", "stage", rf_lang_pick(lang, st->stage, st->stage_ja),
                                 "what", rf_lang_pick(lang, st->what, st->what_ja)));
    }
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* The closest roles, in order: role id and name, probability, measured requirements. */
static json_t *closest_json(const struct rf_role_close *cl, size_t n, enum rf_lang lang)
{
    json_t *a = json_array();
    int ok = a != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = append(a, json_pack("{sssssosIso}", "role", cl[i].role->id, "name",
                                 rf_lang_pick(lang, cl[i].role->name, cl[i].role->name_ja),
                                 "probability", num(cl[i].prob), "measured",
                                 (json_int_t)cl[i].nmeasured, "log_bf", num(cl[i].log_bf)));
    if (!ok) {
        json_decref(a);
        return NULL;
    }
    return a;
}

rf_status rf_fits_to_json(const struct rf_careers *c, const struct rf_role_fit *fits, size_t n,
                          json_t **out, struct rf_err *err)
{
    return rf_fits_to_json_lang(c, fits, n, RF_EN, out, err);
}

rf_status rf_report_build(const struct rf_profile *p, const struct rf_careers *c,
                          const char *target, json_t **out, struct rf_err *err)
{
    return rf_report_build_lang(p, c, target, RF_EN, out, err);
}

/* The level names in lang, novice first. */
static json_t *levels_json(const struct rf_careers *c, enum rf_lang lang)
{
    json_t *a = json_array();
    for (size_t l = 0; a && l < RF_NLEVELS; l++)
        if (!append(a, json_string(rf_taxonomy_level_name(&c->tax, l, lang)))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

rf_status rf_report_build_lang(const struct rf_profile *p, const struct rf_careers *c,
                               const char *target, enum rf_lang lang, json_t **out,
                               struct rf_err *err)
{
    if (target && !rf_roles_find(&c->roles, target))
        return rf_err_set(err, RF_ENOTFOUND, "unknown role '%s' (see 'rolefit roles')", target);
    struct rf_role_fit *fits = NULL;
    struct rf_role_close *cl = NULL;
    double no_role = 0;
    rf_status rc = rf_fit_all(p, &c->roles, &fits, err);
    if (rc)
        return rc;
    if ((rc = rf_closest_all(p, &c->roles, &cl, &no_role, err))) {
        rf_fit_free_all(fits, c->roles.n);
        return rc;
    }
    /* Without a target, the plan is for the closest role (the best fit
     * favours roles with lower bars, careers/closest.h), or for the best fit
     * when the profile measured nothing of any role. */
    const char *want = target ? target : cl[0].nmeasured ? cl[0].role->id : fits[0].role->id;
    const struct rf_role_fit *tf = &fits[0];
    for (size_t i = 0; i < c->roles.n; i++)
        if (strcmp(fits[i].role->id, want) == 0)
            tf = &fits[i];
    size_t measured = 0;
    for (size_t i = 0; i < c->tax.nskills; i++)
        measured += rf_profile_find(p, c->tax.skills[i].id) != NULL;
    json_t *r = json_object(), *roles = NULL, *gaps = json_array();
    int ok = r != NULL && gaps != NULL && put(r, "report_lang", json_string(rf_lang_code(lang))) &&
             put(r, "levels", levels_json(c, lang));
    if (ok && p->person)
        ok = put(r, "person", json_string(p->person));
    if (ok && p->source)
        ok = put(r, "source", json_string(p->source));
    ok = ok && put(r, "skills_measured", json_integer((json_int_t)measured)) &&
         put(r, "skills_total", json_integer((json_int_t)c->tax.nskills)) &&
         put(r, "skills", skills_json(p, c, lang));
    ok = ok && put(r, "closest", closest_json(cl, c->roles.n, lang)) &&
         put(r, "no_role", num(no_role));
    /* A role test: is the closest role the test's role, one whose bars on the
     * measured skills are at least as high, or another? */
    if (ok && target && cl[0].nmeasured && no_role <= cl[0].prob) {
        const struct rf_role *own = rf_roles_find(&c->roles, target);
        const char *rel = cl[0].role == own                                       ? "own"
                          : rf_closest_bars_at_least(p, &c->roles, cl[0].role, own) ? "higher"
                                                                                   : "other";
        ok = put(r, "closest_relation", json_string(rel));
    }
    /* No target (find my role): when the answers meet every bar of the
     * closest role that was measured and no role asks more than it on what
     * was asked, "highest": so an all-correct report says why it names that
     * role (and that no role asks more). */
    if (ok && !target && cl[0].nmeasured && no_role <= cl[0].prob) {
        const struct rf_role_fit *cf = NULL;
        for (size_t i = 0; i < c->roles.n; i++)
            if (fits[i].role == cl[0].role)
                cf = &fits[i];
        int all = cf != NULL;
        for (size_t k = 0; all && k < cf->nreqs; k++)
            all = cf->reqs[k].call == RF_CALL_MEETS || cf->reqs[k].call == RF_CALL_NOT_MEASURED;
        if (all && rf_closest_bars_highest(p, &c->roles, cl[0].role))
            ok = put(r, "closest_relation", json_string("highest"));
    }
    /* The prior the posteriors rest on: the model's loadings may be assumed
     * (docs/careers.md "Loadings"), and the sessions the profile rests on. */
    if (ok && p->model)
        ok = put(r, "prior", json_pack("{sbsbsi}", "higher_order", 1, "loadings_assumed",
                                       p->model->assumed, "components",
                                       (int)p->model->spec.ncomp));
    if (ok && p->nsessions) {
        json_t *ss = json_array();
        ok = put(r, "sessions", ss);
        for (size_t i = 0; ok && i < p->nsessions; i++)
            ok = append(ss, json_string(p->sessions[i]));
    }
    if (ok && rf_fits_to_json_lang(c, fits, c->roles.n, lang, &roles, err) == RF_OK)
        ok = put(r, "roles", roles);
    else
        ok = 0;
    ok = ok && put(r, "target",
                   json_pack("{sssssssb}", "role", tf->role->id, "name",
                             rf_lang_pick(lang, tf->role->name, tf->role->name_ja), "description",
                             rf_lang_pick(lang, tf->role->description, tf->role->description_ja),
                             "chosen", target != NULL));
    ok = ok && put(r, "gaps", gaps);
    if (!ok)
        json_decref(gaps);
    size_t idx[RF_PROFILE_MAX_SKILLS];
    size_t ng = ok ? rf_fit_gaps(tf, idx) : 0;
    for (size_t i = 0; ok && i < ng; i++)
        ok = append(gaps, gap_json(c, &tf->reqs[idx[i]], fits, c->roles.n, lang));
    ok = ok && put(r, "loop", loop_json(tf->role, lang));
    rf_fit_free_all(fits, c->roles.n);
    free(cl);
    if (!ok) {
        json_decref(r);
        return rf_err_set(err, RF_ENOMEM, "report: out of memory");
    }
    *out = r;
    return RF_OK;
}

int rf_report_calls_verdict(int find_role, const char *confirmed, const char *role)
{
    if (confirmed)
        return role && strcmp(role, confirmed) == 0;
    return !find_role;
}

rf_status rf_report_mark_readings(json_t *report, int find_role, const char *confirmed,
                                  struct rf_err *err)
{
    if (!find_role && !confirmed)
        return RF_OK;
    json_t *f, *q;
    size_t i, k;
    int ok = 1;
    json_array_foreach(json_object_get(report, "roles"), i, f)
    {
        const char *id = json_string_value(json_object_get(f, "role"));
        const char *rd = rf_report_calls_verdict(find_role, confirmed, id) ? "verdict" : "first";
        ok = ok && put(f, "reading", json_string(rd));
        json_array_foreach(json_object_get(f, "requirements"), k, q) ok =
            ok && put(q, "reading", json_string(rd));
    }
    return ok ? RF_OK : rf_err_set(err, RF_ENOMEM, "report: out of memory");
}

/* ---- Markdown ---- */

/* A sticky writer: after the first failure every call is a no-op and rc
 * keeps that failure, so rendering code reads straight through. Every word
 * of the report's own comes from the message table of lang (report_text.h). */
struct md {
    struct rf_buf *b;
    rf_status rc;
    enum rf_lang lang;
};

static void w_puts(struct md *w, const char *s)
{
    if (!w->rc)
        w->rc = rf_buf_puts(w->b, s);
}

static void w_printf(struct md *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void w_printf(struct md *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    w_puts(w, tmp);
}

/* Appends text with '|' escaped and line breaks turned into spaces, so that
 * data text cannot break a table or start a heading mid-line. */
static void w_text(struct md *w, const char *s)
{
    if (!w->rc)
        w->rc = rf_report_msg_arg(w->b, RF_MSG_MD, s);
}

/* The message key with n arguments. */
static void w_msg(struct md *w, const char *key, size_t n, const char *const *args)
{
    if (!w->rc)
        w->rc = rf_report_msg_put(w->b, RF_MSG_MD, w->lang, key, args, n);
}

/* The message key alone: a label or a sentence without arguments. */
static void w_say(struct md *w, const char *key)
{
    w_msg(w, key, 0, NULL);
}

/* The closest-role relation sentence (shared by Markdown and HTML through
 * the same keys). */
static void md_relation(const json_t *report, struct md *w)
{
    const char *rel = rf_json_text(report, "closest_relation");
    const char *role = rf_json_text(json_object_get(report, "target"), "name");
    const char *top = rf_json_text(json_array_get(json_object_get(report, "closest"), 0), "name");
    if (strcmp(rel, "own") == 0)
        w_msg(w, "closest.own", 1, (const char *[]){role});
    else if (strcmp(rel, "highest") == 0)
        w_msg(w, "closest.highest", 1, (const char *[]){top});
    else if (strcmp(rel, "higher") == 0)
        w_msg(w, "closest.higher", 2, (const char *[]){top, role});
    else if (*rel)
        w_msg(w, "closest.lower", 2, (const char *[]){top, role});
    if (*rel)
        w_puts(w, "\n\n");
}

static void md_closest(const json_t *report, struct md *w)
{
    const json_t *cl = json_object_get(report, "closest"), *f;
    size_t i, shown = 0;
    w_puts(w, "## ");
    w_say(w, "closest.h");
    w_puts(w, "\n\n");
    if (json_array_size(cl) == 0 ||
        json_integer_value(json_object_get(json_array_get(cl, 0), "measured")) == 0) {
        w_say(w, "closest.nothing");
        w_puts(w, "\n\n");
        return;
    }
    /* the most probable roles (at least 2%, at most six), then no role;
     * the first in bold only when it is more likely than no role */
    double none = rf_json_num(report, "no_role");
    int lead = none <= rf_json_num(json_array_get(cl, 0), "probability");
    w_say(w, "md.closest.lead");
    w_puts(w, "\n\n");
    json_array_foreach(cl, i, f)
    {
        if (shown == 6 || (shown && rf_json_num(f, "probability") < 0.02))
            break;
        char p[RF_CHANCE_LEN];
        shown++;
        w_puts(w, "- ");
        w_msg(w, i == 0 && lead ? "md.closest.item_first" : "md.closest.item", 2,
              (const char *[]){rf_json_text(f, "name"),
                               rf_chance_pct(p, sizeof p, rf_json_num(f, "probability"))});
        w_puts(w, "\n");
    }
    char none_p[RF_CHANCE_LEN];
    w_puts(w, "- ");
    w_msg(w, "md.closest.no_role", 1, (const char *[]){rf_chance_pct(none_p, sizeof none_p, none)});
    w_puts(w, "\n\n");
    if (none > rf_json_num(json_array_get(cl, 0), "probability")) {
        w_msg(w, "closest.random", 1, (const char *[]){none_p});
        w_puts(w, "\n\n");
    } else if (rf_json_num(json_array_get(cl, 0), "log_bf") < 0) {
        w_say(w, "closest.against");
        w_puts(w, "\n\n");
    }
    md_relation(report, w);
    w_say(w, "md.closest.fit");
    w_puts(w, "\n\n");
}

/* The name of skill id from the report's skills, or the id. */
static const char *skill_name(const json_t *r, const char *id)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(r, "skills"), i,
                       s) if (strcmp(rf_json_text(s, "skill"), id ? id : "") ==
                              0) return rf_json_text(s, "name");
    return id;
}

/* A table's header row and its rule from the column keys. */
static void md_head(struct md *w, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        w_puts(w, "| ");
        w_say(w, cols[i]);
        w_puts(w, " ");
    }
    w_puts(w, "|\n");
    for (size_t i = 0; i < n; i++)
        w_puts(w, "| --- ");
    w_puts(w, "|\n");
}

static void md_roles(const json_t *report, struct md *w)
{
    w_puts(w, "## ");
    w_say(w, "roles.h");
    w_puts(w, "\n\n");
    w_say(w, "md.roles.lead");
    w_puts(w, "\n\n");
    md_head(
        w,
        (const char *[]){"col.role", "col.fit", "col.core_met", "col.measured", "col.not_measured"},
        5);
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(report, "roles"), i, f)
    {
        w_puts(w, "| ");
        w_text(w, rf_json_text(f, "name"));
        w_printf(w, " | %.2f ± %.2f | %.2f | %.0f%% | ", rf_json_num(f, "fit"), rf_json_num(f, "sd"),
                 rf_json_num(f, "p_core"), 100 * rf_json_num(f, "measured"));
        size_t j;
        const json_t *u;
        json_array_foreach(json_object_get(f, "unmeasured"), j, u)
        {
            if (j)
                w_say(w, "list.sep");
            w_text(w, skill_name(report, json_string_value(u)));
        }
        w_puts(w, json_array_size(json_object_get(f, "unmeasured")) ? " |\n" : "— |\n");
    }
    w_puts(w, "\n");
    w_say(w, "md.roles.prior");
    w_puts(w, "\n\n");
}

/* Appends to list the names of json array a (objects with "name", or
 * strings) separated as lang separates a list. */
static void name_list(struct rf_buf *list, enum rf_lang lang, const json_t *a, int measured_only)
{
    size_t i, n = 0;
    const json_t *x;
    json_array_foreach(a, i, x)
    {
        if (measured_only && json_is_true(json_object_get(x, "measured")))
            continue;
        if (n++)
            rf_report_msg_put(list, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
        rf_buf_puts(list, rf_json_text(x, "name"));
    }
}

static void md_skills(const json_t *report, struct md *w)
{
    w_puts(w, "## ");
    w_say(w, "skills.h");
    w_puts(w, "\n\n");
    md_head(w, (const char *[]){"col.skill", "col.level", "col.theta", "col.items"}, 4);
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(report, "skills"), i, s)
    {
        if (!json_is_true(json_object_get(s, "measured")))
            continue;
        w_puts(w, "| ");
        w_text(w, rf_json_text(s, "name"));
        w_puts(w, " | ");
        w_text(w, rf_json_text(s, "level"));
        w_printf(w, " | %.2f ± %.2f | %lld |\n", rf_json_num(s, "theta"), rf_json_num(s, "se"),
                 (long long)json_integer_value(json_object_get(s, "items")));
    }
    /* the skills not measured, as one argument */
    struct rf_buf list;
    rf_buf_init(&list, 1 << 16);
    name_list(&list, w->lang, json_object_get(report, "skills"), 1);
    w_puts(w, "\n");
    if (list.len)
        w_msg(w, "md.skills.unmeasured", 1, (const char *[]){rf_buf_str(&list)});
    else
        w_say(w, "md.skills.unmeasured_none");
    rf_buf_cleanup(&list);
    w_puts(w, "\n\n");
}

static void md_concept(const json_t *m, struct md *w)
{
    long long nm = json_integer_value(json_object_get(m, "count")),
              np = json_integer_value(json_object_get(m, "partly"));
    char a[32], b[32];
    snprintf(a, sizeof a, "%lld", nm);
    snprintf(b, sizeof b, "%lld", np);
    /* the concept by its name in a report of another language than English
     * (the English report keeps the tag, as it always has) */
    const char *tag = w->lang != RF_EN && json_string_value(json_object_get(m, "name"))
                          ? rf_json_text(m, "name")
                          : rf_json_text(m, "tag");
    w_puts(w, "- ");
    if (nm && np)
        w_msg(w, "md.concept.both", 3, (const char *[]){tag, a, b});
    else if (np)
        w_msg(w, "md.concept.partly", 2, (const char *[]){tag, b});
    else
        w_msg(w, "md.concept.missed", 2, (const char *[]){tag, a});
    if (json_object_get(m, "note"))
        w_msg(w, "md.note", 1, (const char *[]){rf_json_text(m, "note")});
    w_puts(w, "\n");
}

static void md_gap(const json_t *g, size_t i, struct md *w)
{
    char num[32], p[32];
    snprintf(num, sizeof num, "%zu", i + 1);
    snprintf(p, sizeof p, "%.2f", rf_json_num(g, "p"));
    w_puts(w, "### ");
    w_msg(w, json_is_true(json_object_get(g, "core")) ? "md.gap.head_core" : "md.gap.head", 4,
          (const char *[]){num, rf_json_text(g, "name"), rf_json_text(g, "level"), p});
    w_puts(w, "\n\n");
    if (!json_is_true(json_object_get(g, "measured"))) {
        w_say(w, "gap.unmeasured.you");
        w_puts(w, "\n\n");
    }
    const json_t *missed = json_object_get(g, "missed");
    size_t j;
    const json_t *m;
    if (json_array_size(missed)) {
        int any_partly = 0;
        json_array_foreach(missed, j, m)
            any_partly |= json_integer_value(json_object_get(m, "partly")) > 0;
        w_msg(w, "gap.label", 1,
              (const char *[]){
                  rf_report_msg(w->lang, any_partly ? "gap.missed_partly.you" : "gap.missed.you")});
        w_puts(w, "\n\n");
        json_array_foreach(missed, j, m) md_concept(m, w);
        w_puts(w, "\n");
    }
    if (json_object_get(g, "focus")) {
        w_msg(w, "md.gap.focus", 1, (const char *[]){rf_json_text(g, "focus")});
        w_puts(w, "\n\n");
        json_array_foreach(json_object_get(g, "study"), j, m)
        {
            w_printf(w, "%zu. ", j + 1);
            w_text(w, json_string_value(m));
            w_puts(w, "\n");
        }
        if (json_object_get(g, "practice")) {
            w_puts(w, "\n");
            w_msg(w, "md.gap.show", 1, (const char *[]){rf_json_text(g, "practice")});
            w_puts(w, "\n");
        }
        w_puts(w, "\n");
    }
    const json_t *blocks = json_object_get(g, "blocks");
    if (json_array_size(blocks)) {
        struct rf_buf list;
        rf_buf_init(&list, 1 << 16);
        name_list(&list, w->lang, blocks, 0);
        w_msg(w, "md.gap.blocks", 1, (const char *[]){rf_buf_str(&list)});
        rf_buf_cleanup(&list);
        w_puts(w, "\n\n");
    }
}

/* One source's "mean ± SD" cell; "-" when it did not measure the skill. */
static void md_mean_sd(struct md *w, const json_t *x)
{
    if (json_is_object(x))
        w_printf(w, " %.2f ± %.2f |", rf_json_num(x, "mean"), rf_json_num(x, "sd"));
    else
        w_puts(w, " - |");
}

/* The interviews' evidence beside the test's: the report JSON's
 * "interviews", only in a staff member's report of a candidate with
 * submitted scorecards (docs/interviews.md "In the staff report"), as the
 * HTML shows it. */
static void md_interviews(const json_t *report, struct md *w)
{
    const json_t *g = json_object_get(report, "interviews"), *x;
    const char *viewer = json_string_value(json_object_get(report, "viewer"));
    if (!json_is_object(g) || !viewer || strcmp(viewer, "staff") != 0)
        return;
    char n1[32], n2[32], n3[32];
    snprintf(n1, sizeof n1, "%lld", (long long)json_integer_value(json_object_get(g, "scorecards")));
    snprintf(n2, sizeof n2, "%lld", (long long)json_integer_value(json_object_get(g, "ratings")));
    snprintf(n3, sizeof n3, "%.2f", rf_json_num(g, "agree_z"));
    w_puts(w, "## ");
    w_say(w, "ivr.h");
    w_puts(w, "\n\n");
    w_msg(w, "ivr.sub", 3, (const char *[]){n1, n2, n3});
    w_puts(w, "\n\n");
    if (json_integer_value(json_object_get(g, "disagree")) > 0) {
        snprintf(n1, sizeof n1, "%lld",
                 (long long)json_integer_value(json_object_get(g, "disagree")));
        w_puts(w, "**");
        w_msg(w, "ivr.disagree_n", 1, (const char *[]){n1});
        w_puts(w, "**\n\n");
    }
    md_head(w,
            (const char *[]){"col.skill", "ivr.col.test", "ivr.col.interviews", "ivr.col.combined",
                             "ivr.col.agree"},
            5);
    size_t i;
    json_array_foreach(json_object_get(g, "skills"), i, x)
    {
        w_puts(w, "| ");
        w_text(w, skill_name(report, rf_json_text(x, "skill")));
        w_puts(w, " |");
        md_mean_sd(w, json_object_get(x, "test"));
        md_mean_sd(w, json_object_get(x, "interviews"));
        md_mean_sd(w, json_object_get(x, "combined"));
        const json_t *ag = json_object_get(x, "agree");
        w_puts(w, " ");
        if (json_is_false(ag))
            w_puts(w, "**");
        w_say(w, json_is_true(ag) ? "ivr.agree" : json_is_false(ag) ? "ivr.disagree" : "ivr.no_test");
        if (json_is_false(ag))
            w_puts(w, "**");
        w_puts(w, " |\n");
    }
    w_puts(w, "\n");
}

rf_status rf_report_markdown(const json_t *report, struct rf_buf *b)
{
    struct md w = {b, RF_OK, RF_EN};
    rf_lang_parse(rf_json_text(report, "report_lang"), &w.lang);
    const json_t *t = json_object_get(report, "target");
    const char *role = rf_json_text(t, "name");
    w_puts(&w, "# ");
    if (json_object_get(report, "person"))
        w_msg(&w, "profile.h_person", 1, (const char *[]){rf_json_text(report, "person")});
    else
        w_say(&w, "profile.h");
    char a[32], c[32];
    snprintf(a, sizeof a, "%lld",
             (long long)json_integer_value(json_object_get(report, "skills_measured")));
    snprintf(c, sizeof c, "%lld",
             (long long)json_integer_value(json_object_get(report, "skills_total")));
    w_puts(&w, "\n\n");
    w_msg(&w, "md.profile.lead", 3, (const char *[]){a, c, role});
    w_puts(&w, "\n\n");
    md_closest(report, &w);
    md_roles(report, &w);
    md_skills(report, &w);
    md_interviews(report, &w);
    w_puts(&w, "## ");
    w_msg(&w, "gaps.h", 1, (const char *[]){role});
    w_puts(&w, "\n\n");
    const json_t *gaps = json_object_get(report, "gaps");
    if (json_array_size(gaps) == 0) {
        char p[32];
        snprintf(p, sizeof p, "%.2f", RF_FIT_MET);
        w_msg(&w, "gaps.none", 1, (const char *[]){p});
        w_puts(&w, "\n\n");
    }
    size_t i;
    const json_t *g;
    json_array_foreach(gaps, i, g)
        md_gap(g, i, &w);
    w_puts(&w, "## ");
    w_msg(&w, "loop.h", 1, (const char *[]){role});
    w_puts(&w, "\n\n");
    json_array_foreach(json_object_get(report, "loop"), i, g)
    {
        w_puts(&w, "- ");
        w_msg(&w, "md.loop", 2,
              (const char *[]){rf_json_text(g, "stage"), rf_json_text(g, "what")});
        w_puts(&w, "\n");
    }
    return w.rc;
}
