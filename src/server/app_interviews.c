/*
 * Interviews in the product (app.h, issue 17; docs/interviews.md "Scorecards
 * in the product"). Staff (admin, recruiter) add interviewers (accounts of
 * role "interviewer": app_accounts.c) and assign them to the held rounds of
 * a candidate (an invite of the organization); an interviewer sees only the
 * candidates assigned to them and fills one scorecard per assignment: a
 * score per criterion of the round's rubric, evidence notes and a
 * recommendation, saved as a draft any number of times and submitted once.
 *
 * Independent judgement: a draft is its interviewer's alone, and an
 * interviewer sees the other scorecards of a held round only once their own
 * is submitted; staff see every submitted scorecard. Every save is kept with
 * its author, time and the content it replaced (store.h "interviews").
 *
 * Permissions: a candidate, an interviewer or staff of another organization,
 * or an interviewer not assigned to the candidate finds nothing (404), so
 * that ids reveal nothing; a bad field is 400 naming it, a round not
 * assigned to the caller 403 naming "round", a second submission 409 naming
 * "submit"; a refusal stores nothing.
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "careers/kits.h"
#include "interview/cards.h"
#include "interview/rater.h"
#include "server/app_flow.h"
#include "store/store.h"

#define NOTES_MAX 20000

static const char *const recommendations[] = {"strong_no", "no", "yes", "strong_yes"};

static int is_interviewer(const struct rf_principal *p)
{
    return p->user_id && strcmp(p->role, "interviewer") == 0;
}

rf_status rf_app_interviews_load(struct rf_app *a, struct rf_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/interviews.json", a->cfg.data_dir);
    rf_status rc = rf_kits_load(path, &a->car, &a->kits, err);
    if (!rc && (rc = rf_iv_bank_from_kits(&a->kits, &a->ivb, err)))
        rf_kits_cleanup(&a->kits);
    return rc;
}

void rf_app_interviews_free(struct rf_app *a)
{
    rf_iv_bank_cleanup(&a->ivb);
    rf_kits_cleanup(&a->kits);
}

/* The round kit or take-home of rubric u of the interview bank: its name,
 * kind ("take_home" for a take-home) and criteria. */
struct rubric_ref {
    const char *id, *name, *kind;
    const char *name_ja; /* the kit's Japanese name, or NULL */
    const struct rf_kit_criterion *crit;
    size_t ncrit;
    const struct rf_kit_round *round;        /* or NULL */
    const struct rf_kit_take_home *take_home; /* or NULL */
};

static int rubric_of(const struct rf_app *a, const char *id, struct rubric_ref *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < a->kits.nrounds; i++) {
        const struct rf_kit_round *k = &a->kits.rounds[i];
        if (strcmp(k->id, id) == 0) {
            *r = (struct rubric_ref){k->id,     k->name,      k->kind, k->name_ja,
                                     k->rubric, k->ncriteria, k,       NULL};
            return 1;
        }
    }
    for (size_t i = 0; i < a->kits.ntake_homes; i++) {
        const struct rf_kit_take_home *k = &a->kits.take_homes[i];
        if (strcmp(k->id, id) == 0) {
            *r = (struct rubric_ref){k->id,     k->name,      "take_home", k->name_ja,
                                     k->rubric, k->ncriteria, NULL,        k};
            return 1;
        }
    }
    return 0;
}

/* The invite id of the caller's organization (staff; 404 otherwise). */
static rf_status org_invite(struct rf_app *a, const struct rf_principal *p, int64_t id,
                            struct rf_invite *v, const char *field, struct rf_app_error *e)
{
    rf_status rc = rf_store_invite_get(a->store, id, v, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && v->org_id != p->org_id)) {
        if (!rc)
            rf_store_invite_cleanup(v);
        return rf_app_fail(e, RF_ENOTFOUND, field, "no candidate %lld in your organization",
                           (long long)id);
    }
    return rc;
}

/* An integer field of the request: absent gives def; otherwise lo..hi. */
static rf_status req_int(const json_t *req, const char *key, int64_t def, int64_t lo, int64_t hi,
                         int64_t *out, struct rf_app_error *e)
{
    const json_t *v = json_object_get(req, key);
    if (!v || json_is_null(v)) {
        if (def < lo)
            return rf_app_fail(e, RF_EINVAL, key, "field '%s' is required", key);
        *out = def;
        return RF_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return rf_app_fail(e, RF_EINVAL, key, "field '%s' must be an integer in %lld..%lld", key,
                           (long long)lo, (long long)hi);
    *out = (int64_t)json_integer_value(v);
    return RF_OK;
}

/* ---- interviewers ---- */

static void interviewer_to_json(void *ud, const struct rf_user *u)
{
    if (strcmp(u->role, "interviewer") == 0)
        json_array_append_new(ud, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)u->id, "name",
                                            u->name, "email", u->email));
}

rf_status rf_app_interviewers(struct rf_app *a, const struct rf_principal *p, json_t **out,
                              struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see interviewers");
    json_t *arr = json_array();
    if (!arr)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    rf_status rc = rf_store_users_list(a->store, p->org_id, interviewer_to_json, arr, &e->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "interviewers", arr);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* ---- assignments ---- */

/* An assignment as JSON; with_card: its scorecard's content (else only its
 * state). label: the candidate's (may be NULL). */
static json_t *assignment_json(const struct rf_app *a, const struct rf_assignment *x,
                               const char *label, int with_card)
{
    struct rubric_ref r;
    int known = rubric_of(a, x->round, &r);
    json_t *card = json_null();
    if (with_card && x->state) {
        json_error_t je;
        json_t *scores = x->scores ? json_loads(x->scores, 0, &je) : NULL;
        card = json_pack("{s:o,s:s,s:s?,s:I,s:I}", "scores", scores ? scores : json_object(),
                         "notes", x->notes ? x->notes : "", "recommendation", x->recommendation,
                         "updated", (json_int_t)x->updated, "submitted",
                         (json_int_t)x->submitted);
    }
    /* round_name_ja: the kit's Japanese name, or the English one without it */
    return json_pack("{s:I,s:I,s:s?,s:s,s:s?,s:s?,s:s?,s:I,s:{s:I,s:s?},s:s,s:b,s:o}", "id",
                     (json_int_t)x->id, "invite", (json_int_t)x->invite_id, "label", label,
                     "round", x->round, "round_name", known ? r.name : NULL, "round_name_ja",
                     known ? (r.name_ja ? r.name_ja : r.name) : NULL, "kind",
                     known ? r.kind : NULL, "slot", (json_int_t)x->slot, "interviewer", "id",
                     (json_int_t)x->interviewer_id, "name", x->interviewer, "state",
                     x->state ? x->state : "open", "hidden", !with_card && x->state != NULL,
                     "scorecard", card);
}

rf_status rf_app_assignment_add(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL,
                           "sign in as a recruiter or admin to assign interviewers");
    int64_t invite, slot, who;
    const char *round;
    rf_status rc;
    if ((rc = req_int(req, "invite", 0, 1, INT64_MAX, &invite, e)) ||
        (rc = rf_app_req_string(req, "round", 64, &round, e)) ||
        (rc = req_int(req, "slot", 1, 1, RF_IV_MAX_SLOT, &slot, e)) ||
        (rc = req_int(req, "interviewer", 0, 1, INT64_MAX, &who, e)))
        return rc;
    struct rubric_ref r;
    if (!rubric_of(a, round, &r))
        return rf_app_fail(e, RF_EINVAL, "round",
                           "unknown round '%s': a round kit's or take-home's id (rolefit kit)",
                           round);
    struct rf_invite v;
    if ((rc = org_invite(a, p, invite, &v, "invite", e)))
        return rc;
    struct rf_user u;
    rc = rf_store_user_get(a->store, who, &u, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && u.org_id != p->org_id)) {
        if (!rc)
            rf_store_user_cleanup(&u);
        rf_store_invite_cleanup(&v);
        return rf_app_fail(e, RF_ENOTFOUND, "interviewer",
                           "no interviewer %lld in your organization", (long long)who);
    }
    if (rc) {
        rf_store_invite_cleanup(&v);
        return rc;
    }
    if (strcmp(u.role, "interviewer") != 0) {
        rc = rf_app_fail(e, RF_EINVAL, "interviewer",
                         "account %lld is a %s, not an interviewer: add an interviewer "
                         "(POST /api/users with role 'interviewer')",
                         (long long)who, u.role);
        goto out;
    }
    struct rf_assignment x = {.org_id = p->org_id,
                              .invite_id = invite,
                              .round = (char *)round,
                              .slot = slot,
                              .interviewer_id = who,
                              .created_by = p->user_id};
    int64_t id;
    if ((rc = rf_store_assignment_add(a->store, &x, &id, &e->err))) {
        if (rc == RF_ECONFLICT)
            e->field = "interviewer";
        goto out;
    }
    rf_app_log(a, "interviewer %lld assigned to invite %lld round %s slot %lld by user %lld",
               (long long)who, (long long)invite, round, (long long)slot, (long long)p->user_id);
    struct rf_assignment got;
    if (!(rc = rf_store_assignment_get(a->store, id, &got, &e->err))) {
        *out = json_pack("{s:o}", "assignment", assignment_json(a, &got, v.label, 0));
        rf_store_assignment_cleanup(&got);
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
out:
    rf_store_user_cleanup(&u);
    rf_store_invite_cleanup(&v);
    return rc;
}

/* Collects assignments (copies) of a list. */
struct alist {
    struct rf_assignment *v;
    size_t n, cap;
    int oom;
};

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = rf_strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

static void alist_add(void *ud, const struct rf_assignment *x)
{
    struct alist *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct rf_assignment *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            l->oom = 1;
            return;
        }
        l->v = nv;
        l->cap = cap;
    }
    struct rf_assignment *c = &l->v[l->n++];
    *c = *x;
    int oom = 0;
    c->round = dup_or_null(x->round, &oom);
    c->interviewer = dup_or_null(x->interviewer, &oom);
    c->email = dup_or_null(x->email, &oom);
    c->state = dup_or_null(x->state, &oom);
    c->scores = dup_or_null(x->scores, &oom);
    c->notes = dup_or_null(x->notes, &oom);
    c->recommendation = dup_or_null(x->recommendation, &oom);
    if (oom)
        l->oom = 1;
}

static void alist_free(struct alist *l)
{
    for (size_t i = 0; i < l->n; i++)
        rf_store_assignment_cleanup(&l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static rf_status alist_load(struct rf_app *a, int64_t org, int64_t invite, int64_t who,
                            struct alist *l, struct rf_app_error *e)
{
    memset(l, 0, sizeof *l);
    rf_status rc = rf_store_assignments_list(a->store, org, invite, who, alist_add, l, &e->err);
    if (!rc && l->oom)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (rc)
        alist_free(l);
    return rc;
}

rf_status rf_app_assignments(struct rf_app *a, const struct rf_principal *p, json_t **out,
                             struct rf_app_error *e)
{
    int staff = rf_app_is_staff(p);
    if (!staff && !is_interviewer(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as staff or an interviewer");
    struct alist l;
    rf_status rc = alist_load(a, p->org_id, 0, staff ? 0 : p->user_id, &l, e);
    if (rc)
        return rc;
    json_t *arr = json_array();
    struct rf_invite v;
    int have = 0;
    for (size_t i = 0; arr && i < l.n; i++) {
        if (!have || v.id != l.v[i].invite_id) {
            if (have)
                rf_store_invite_cleanup(&v);
            have = rf_store_invite_get(a->store, l.v[i].invite_id, &v, &e->err) == RF_OK;
        }
        /* the list says where each scorecard stands; its content is read per candidate */
        json_t *j = assignment_json(a, &l.v[i], have ? v.label : NULL, 0);
        if (j && have)
            json_object_set_new(j, "role", v.role ? json_string(v.role) : json_null());
        json_array_append_new(arr, j);
    }
    if (have)
        rf_store_invite_cleanup(&v);
    alist_free(&l);
    *out = arr ? json_pack("{s:o}", "assignments", arr) : NULL;
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* Japanese text of the kit, or the English one where the kit has none */
static const char *ja_or(const char *en, const char *ja)
{
    return ja ? ja : en;
}

/* The kit of a round for its interviewer: questions with follow-ups, the
 * rubric's criteria anchored at every point of the scale; a take-home's
 * data, task, what to hand in and time box. Each text has its Japanese
 * beside it (name_ja, anchors_ja, prompt_ja, ...: the kit's Japanese, or the
 * English one without it), as round_name_ja of an assignment; the page picks
 * the one of its language. */
static json_t *kit_json(const struct rf_app *a, const char *round)
{
    struct rubric_ref r;
    if (!rubric_of(a, round, &r))
        return json_null();
    json_t *crit = json_array();
    for (size_t i = 0; crit && i < r.ncrit; i++) {
        const struct rf_kit_criterion *c = &r.crit[i];
        json_t *anchors = json_array(), *anchors_ja = json_array();
        for (int k = 0; anchors && anchors_ja && k <= a->kits.max - a->kits.min; k++) {
            json_array_append_new(anchors, json_string(c->anchors[k]));
            json_array_append_new(anchors_ja, json_string(ja_or(c->anchors[k], c->anchors_ja[k])));
        }
        json_array_append_new(crit, json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", c->id, "name",
                                              c->name, "name_ja", ja_or(c->name, c->name_ja),
                                              "skill", a->car.tax.skills[c->skill].id, "anchors",
                                              anchors ? anchors : json_null(), "anchors_ja",
                                              anchors_ja ? anchors_ja : json_null()));
    }
    json_t *k = json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", r.id, "name", r.name, "name_ja",
                          ja_or(r.name, r.name_ja), "kind", r.kind, "criteria",
                          crit ? crit : json_null());
    if (k && r.round) {
        json_t *qs = json_array();
        for (size_t i = 0; qs && i < r.round->nquestions; i++) {
            const struct rf_kit_question *q = &r.round->questions[i];
            json_t *f = json_array(), *f_ja = json_array();
            for (size_t j = 0; f && f_ja && j < q->nfollow; j++) {
                json_array_append_new(f, json_string(q->follow_ups[j]));
                json_array_append_new(
                    f_ja, json_string(ja_or(q->follow_ups[j],
                                            q->follow_ups_ja ? q->follow_ups_ja[j] : NULL)));
            }
            json_array_append_new(qs, json_pack("{s:s,s:s,s:o,s:o}", "prompt", q->prompt,
                                                "prompt_ja", ja_or(q->prompt, q->prompt_ja),
                                                "follow_ups", f ? f : json_null(),
                                                "follow_ups_ja", f_ja ? f_ja : json_null()));
        }
        json_object_set_new(k, "questions", qs ? qs : json_null());
        json_object_set_new(k, "minutes", json_real(r.round->minutes));
    } else if (k && r.take_home) {
        const struct rf_kit_take_home *t = r.take_home;
        json_object_set_new(k, "data", json_string(t->data));
        json_object_set_new(k, "task", json_string(t->task));
        json_object_set_new(k, "hand_in", json_string(t->hand_in));
        json_object_set_new(k, "data_ja", json_string(ja_or(t->data, t->data_ja)));
        json_object_set_new(k, "task_ja", json_string(ja_or(t->task, t->task_ja)));
        json_object_set_new(k, "hand_in_ja", json_string(ja_or(t->hand_in, t->hand_in_ja)));
        json_object_set_new(k, "hours", json_real(t->hours));
    }
    return k ? k : json_null();
}

static int same_round(const struct rf_assignment *x, const struct rf_assignment *y)
{
    return x->invite_id == y->invite_id && x->slot == y->slot && strcmp(x->round, y->round) == 0;
}

/* Whether the caller (interviewer) may read x's scorecard: their own, or
 * a submitted one of a held round where theirs is submitted too. */
static int may_read(const struct alist *l, const struct rf_assignment *x, int64_t me)
{
    if (x->interviewer_id == me)
        return 1;
    if (!x->state || strcmp(x->state, "draft") == 0)
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].interviewer_id == me && same_round(&l->v[i], x) && l->v[i].state &&
            strcmp(l->v[i].state, "draft") != 0)
            return 1;
    return 0;
}

/* Whether the interviewer me holds any assignment of x's held round. */
static int on_round(const struct alist *l, const struct rf_assignment *x, int64_t me)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].interviewer_id == me && same_round(&l->v[i], x))
            return 1;
    return 0;
}

/* The candidate (invite id) the caller may see: staff of its organization,
 * or an interviewer assigned to it; the organization's assignments of it in
 * *l. 404 for anyone else. */
static rf_status candidate_of(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              struct rf_invite *v, struct alist *l, struct rf_app_error *e)
{
    int staff = rf_app_is_staff(p);
    if (!staff && !is_interviewer(p))
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no candidate %lld for you", (long long)id);
    rf_status rc = org_invite(a, p, id, v, NULL, e);
    if (rc)
        return rc;
    if ((rc = alist_load(a, p->org_id, id, 0, l, e))) {
        rf_store_invite_cleanup(v);
        return rc;
    }
    int mine = staff;
    for (size_t i = 0; !mine && i < l->n; i++)
        mine = l->v[i].interviewer_id == p->user_id;
    if (!mine) {
        alist_free(l);
        rf_store_invite_cleanup(v);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no candidate %lld for you", (long long)id);
    }
    return RF_OK;
}

rf_status rf_app_interview_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               json_t **out, struct rf_app_error *e)
{
    struct rf_invite v;
    struct alist l;
    rf_status rc = candidate_of(a, p, id, &v, &l, e);
    if (rc)
        return rc;
    int staff = rf_app_is_staff(p);
    const struct rf_role *role = v.role ? rf_roles_find(&a->car.roles, v.role) : NULL;
    json_t *arr = json_array(), *kits = json_object();
    for (size_t i = 0; arr && kits && i < l.n; i++) {
        const struct rf_assignment *x = &l.v[i];
        if (!staff && !on_round(&l, x, p->user_id))
            continue; /* an interviewer sees the held rounds they are on */
        int readable = staff ? x->state && strcmp(x->state, "draft") != 0
                             : may_read(&l, x, p->user_id);
        json_t *j = assignment_json(a, x, v.label, readable);
        if (j)
            json_object_set_new(j, "mine", json_boolean(x->interviewer_id == p->user_id));
        json_array_append_new(arr, j);
        if (!json_object_get(kits, x->round))
            json_object_set_new(kits, x->round, kit_json(a, x->round));
    }
    /* the role's loop: what staff assign (rounds with their counts, the take-home) */
    json_t *loop = json_array();
    size_t ri = role ? (size_t)(role - a->car.roles.roles) : 0;
    const struct rf_kit_loop *lp = role ? rf_kits_loop(&a->kits, ri) : NULL;
    for (size_t i = 0; loop && lp && i < lp->nsteps; i++) {
        const struct rf_kit_round *k = &a->kits.rounds[lp->steps[i].round];
        json_array_append_new(loop, json_pack("{s:s,s:s,s:s,s:s,s:I}", "round", k->id, "name",
                                              k->name, "name_ja", ja_or(k->name, k->name_ja),
                                              "kind", k->kind, "count",
                                              (json_int_t)lp->steps[i].count));
    }
    if (loop && lp && lp->take_home != (size_t)-1) {
        const struct rf_kit_take_home *k = &a->kits.take_homes[lp->take_home];
        json_array_append_new(loop, json_pack("{s:s,s:s,s:s,s:s,s:i}", "round", k->id, "name",
                                              k->name, "name_ja", ja_or(k->name, k->name_ja),
                                              "kind", "take_home", "count", 1));
    }
    if (loop && !staff) {
        json_decref(loop);
        loop = json_array(); /* an interviewer is shown their rounds only */
    }
    json_t *scale = json_pack("{s:i,s:i}", "min", a->kits.min, "max", a->kits.max);
    json_t *rec = json_array();
    for (size_t i = 0; rec && i < sizeof recommendations / sizeof *recommendations; i++)
        json_array_append_new(rec, json_string(recommendations[i]));
    *out = arr && kits && loop
               ? json_pack("{s:{s:I,s:s?,s:s?,s:s?,s:s?},s:o,s:o,s:o,s:o,s:o}", "candidate",
                           "invite", (json_int_t)v.id, "label", v.label, "role",
                           role ? role->id : NULL, "role_name", role ? role->name : NULL,
                           "role_name_ja", role ? ja_or(role->name, role->name_ja) : NULL,
                           "assignments", arr, "kits",
                           kits, "scale", scale, "recommendations", rec, "loop", loop)
               : NULL;
    if (!*out) {
        json_decref(arr);
        json_decref(kits);
        json_decref(loop);
        json_decref(scale);
        json_decref(rec);
    }
    alist_free(&l);
    rf_store_invite_cleanup(&v);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* ---- scorecards ---- */

/* Checks the scorecard's scores against round r's rubric on the kits'
 * scale: every key a criterion, every value a point; with submit, every
 * criterion scored. *norm: the scores as compact JSON with sorted keys
 * (caller frees). */
static rf_status check_scores(const struct rf_app *a, const struct rubric_ref *r,
                              const json_t *scores, int submit, char **norm,
                              struct rf_app_error *e)
{
    if (!json_is_object(scores))
        return rf_app_fail(e, RF_EINVAL, "scores",
                           "field 'scores' must be an object {\"criterion\": point, ...}");
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)scores, key, val) {
        size_t i;
        for (i = 0; i < r->ncrit && strcmp(r->crit[i].id, key) != 0; i++)
            ;
        if (i == r->ncrit)
            return rf_app_fail(e, RF_EINVAL, "scores",
                               "field 'scores': '%.64s' is not a criterion of round '%s'", key,
                               r->id);
        if (!json_is_integer(val) || json_integer_value(val) < a->kits.min ||
            json_integer_value(val) > a->kits.max)
            return rf_app_fail(e, RF_EINVAL, "scores",
                               "field 'scores': '%s' must be a point of the scale, %d..%d", key,
                               a->kits.min, a->kits.max);
    }
    for (size_t i = 0; submit && i < r->ncrit; i++)
        if (!json_object_get(scores, r->crit[i].id))
            return rf_app_fail(e, RF_EINVAL, "scores",
                               "field 'scores': criterion '%s' has no score; a submitted "
                               "scorecard scores every criterion",
                               r->crit[i].id);
    *norm = json_dumps(scores, JSON_COMPACT | JSON_SORT_KEYS);
    return *norm ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

rf_status rf_app_scorecard_save(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                const json_t *req, json_t **out, struct rf_app_error *e)
{
    if (!is_interviewer(p))
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no candidate %lld assigned to you",
                           (long long)id);
    const char *round, *notes, *rec;
    int64_t slot;
    rf_status rc;
    const json_t *sub = json_object_get(req, "submit");
    if ((rc = rf_app_req_string(req, "round", 64, &round, e)) ||
        (rc = req_int(req, "slot", 1, 1, RF_IV_MAX_SLOT, &slot, e)) ||
        (rc = rf_app_opt_string(req, "notes", NOTES_MAX, &notes, e)) ||
        (rc = rf_app_opt_string(req, "recommendation", 16, &rec, e)))
        return rc;
    if (sub && !json_is_boolean(sub))
        return rf_app_fail(e, RF_EINVAL, "submit", "field 'submit' must be true or false");
    int submit = json_is_true(sub);
    if (rec) {
        size_t i, n = sizeof recommendations / sizeof *recommendations;
        for (i = 0; i < n && strcmp(recommendations[i], rec) != 0; i++)
            ;
        if (i == n)
            return rf_app_fail(e, RF_EINVAL, "recommendation",
                               "field 'recommendation' must be strong_no, no, yes or strong_yes");
    } else if (submit) {
        return rf_app_fail(e, RF_EINVAL, "recommendation",
                           "field 'recommendation' is required to submit");
    }
    /* the candidate first: an interviewer not assigned to it learns nothing else */
    struct alist l;
    rc = alist_load(a, p->org_id, id, p->user_id, &l, e);
    if (rc)
        return rc;
    if (l.n == 0) {
        alist_free(&l);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no candidate %lld assigned to you",
                           (long long)id);
    }
    struct rubric_ref r;
    const struct rf_assignment *x = NULL;
    for (size_t i = 0; i < l.n && !x; i++)
        if (strcmp(l.v[i].round, round) == 0 && l.v[i].slot == slot)
            x = &l.v[i];
    char *norm = NULL;
    if (!rubric_of(a, round, &r))
        rc = rf_app_fail(e, RF_EINVAL, "round", "unknown round '%.64s'", round);
    else if (!x)
        rc = rf_app_fail(e, RF_EPERM, "round",
                         "round '%s' slot %lld of candidate %lld is not assigned to you", round,
                         (long long)slot, (long long)id);
    else if (x->state && strcmp(x->state, "draft") != 0)
        rc = rf_app_fail(e, RF_ECONFLICT, "submit",
                         "this scorecard is submitted already: it is final");
    else
        rc = check_scores(a, &r, json_object_get(req, "scores"), submit, &norm, e);
    char state[16] = "";
    if (!rc) {
        struct rf_scorecard_save w = {x->id, p->user_id, norm, notes ? notes : "", rec, submit};
        rc = rf_store_scorecard_save(a->store, &w, state, &e->err);
        if (rc == RF_ECONFLICT)
            e->field = "submit";
    }
    if (!rc) {
        rf_app_log(a, "scorecard of assignment %lld %s by user %lld", (long long)x->id,
                   submit ? "submitted" : "saved", (long long)p->user_id);
        *out = json_pack("{s:I,s:s,s:I,s:s}", "assignment", (json_int_t)x->id, "round", round,
                         "slot", (json_int_t)slot, "state", state);
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    free(norm);
    alist_free(&l);
    return rc;
}

static void edit_to_json(void *ud, const struct rf_scorecard_edit *x)
{
    json_t *prev = json_null();
    if (x->state) {
        json_error_t je;
        json_t *scores = x->scores ? json_loads(x->scores, 0, &je) : NULL;
        prev = json_pack("{s:s,s:o,s:s,s:s?}", "state", x->state, "scores",
                         scores ? scores : json_object(), "notes", x->notes ? x->notes : "",
                         "recommendation", x->recommendation);
    }
    json_array_append_new(ud, json_pack("{s:I,s:s?,s:I,s:s,s:o}", "by", (json_int_t)x->user_id,
                                        "user", x->user, "at", (json_int_t)x->at, "action",
                                        x->action, "previous", prev ? prev : json_null()));
}

rf_status rf_app_scorecard_history(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                   json_t **out, struct rf_app_error *e)
{
    struct rf_assignment x;
    rf_status rc = RF_ENOTFOUND;
    if (rf_app_is_staff(p) || is_interviewer(p))
        rc = rf_store_assignment_get(a->store, id, &x, &e->err);
    if (!rc && (x.org_id != p->org_id || (!rf_app_is_staff(p) && x.interviewer_id != p->user_id))) {
        rf_store_assignment_cleanup(&x);
        rc = RF_ENOTFOUND;
    }
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no assignment %lld for you", (long long)id);
    if (rc)
        return rc;
    json_t *arr = json_array();
    if (arr && !(rc = rf_store_scorecard_edits_list(a->store, id, edit_to_json, arr, &e->err)))
        *out = json_pack("{s:I,s:s,s:s,s:o}", "assignment", (json_int_t)id, "round", x.round,
                         "state", x.state ? x.state : "open", "history", arr);
    else
        json_decref(arr);
    rf_store_assignment_cleanup(&x);
    if (rc)
        return rc;
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}
