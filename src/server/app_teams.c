/*
 * Teams (app.h, issue 18): an organization's staff define teams and invite
 * members as they invite candidates, each to a role test or a find-my-role
 * test. A member's profile is their own: it counts in the team's view only
 * while the member shares it (from their report), and staff cannot open the
 * report of a member who does not share. The team view gives the coverage
 * of the deployment roles and lifecycle tasks, single points of failure and
 * the next hire with what it closes (careers/team.h), and drafts a posting
 * for that hire; the team's readiness self-assessments (the ML Test Score,
 * careers/readiness.h) are stored dated, with their trend. The team report is
 * the view and the assessments as JSON or self-contained HTML
 * (careers/team_report.h). Sharing is in app_team_share.c.
 */
#include "server/app.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/mem.h"
#include "careers/aliases.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/readiness.h"
#include "careers/report_text.h"
#include "careers/team.h"
#include "careers/team_report.h"
#include "server/app_flow.h"
#include "store/store.h"

rf_status rf_app_teams_load(struct rf_app *a, struct rf_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/team.json", a->cfg.data_dir);
    rf_status rc = rf_team_spec_load(path, &a->car, &a->team, err);
    if (!rc) {
        snprintf(path, sizeof path, "%s/readiness.json", a->cfg.data_dir);
        rc = rf_readiness_load(path, &a->car, &a->readiness, err);
    }
    return rc;
}

/* Team id of the caller's organization into *t (staff only; 404 for a team
 * of another organization, which must not learn that it exists). */
static rf_status org_team(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          struct rf_team *t, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see teams");
    rf_status rc = rf_store_team_get(a->store, id, t, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && t->org_id != p->org_id)) {
        if (!rc)
            rf_store_team_cleanup(t);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no team %lld in your organization",
                           (long long)id);
    }
    return rc;
}

rf_status rf_app_team_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                             json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to add teams");
    const char *name;
    rf_status rc = rf_app_req_string(req, "name", 120, &name, e);
    if (rc)
        return rc;
    struct rf_team t = {0, p->org_id, p->user_id, 0, (char *)name};
    int64_t id;
    if ((rc = rf_store_team_create(a->store, &t, &id, &e->err)))
        return rc;
    rf_app_log(a, "team %lld created in organization %lld", (long long)id, (long long)p->org_id);
    *out = json_pack("{s:{s:I,s:s}}", "team", "id", (json_int_t)id, "name", name);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

static void team_to_json(void *ud, const struct rf_team *t)
{
    json_array_append_new(ud, json_pack("{s:I,s:s,s:I}", "id", (json_int_t)t->id, "name",
                                        t->name, "created", (json_int_t)t->created));
}

rf_status rf_app_teams(struct rf_app *a, const struct rf_principal *p, json_t **out,
                       struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see teams");
    json_t *arr = json_array();
    if (!arr)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    rf_status rc = rf_store_teams_list(a->store, p->org_id, team_to_json, arr, &e->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "teams", arr);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

rf_status rf_app_team_member_add(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const json_t *req, json_t **out, struct rf_app_error *e)
{
    struct rf_team t;
    rf_status rc = org_team(a, p, id, &t, e);
    if (rc)
        return rc;
    const char *label, *role;
    const json_t *find = json_object_get(req, "find_role");
    if ((rc = rf_app_req_string(req, "label", 200, &label, e)) ||
        (rc = rf_app_opt_string(req, "role", 64, &role, e)))
        goto out;
    if (find && !json_is_boolean(find))
        rc = rf_app_fail(e, RF_EINVAL, "find_role", "field 'find_role' must be true or false");
    else if (json_is_true(find) && role)
        rc = rf_app_fail(e, RF_EINVAL, "find_role",
                         "a find-my-role test covers every role: give no role with it");
    else if (!json_is_true(find) && !role)
        rc = rf_app_fail(e, RF_EINVAL, "role",
                         "a member takes a role's test (role) or a find-my-role test "
                         "(find_role: true)");
    else if (role && !rf_roles_find(&a->car.roles, role))
        rc = rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role);
    if (rc)
        goto out;
    struct rf_invite v = {.org_id = p->org_id,
                          .created_by = p->user_id,
                          .role = (char *)(role ? role : RF_INVITE_FIND_ROLE),
                          .label = (char *)label};
    /* the invite and the membership in one transaction: neither without the other */
    rc = rf_app_invite_new(a, &v, NULL, t.id, out, e);
out:
    rf_store_team_cleanup(&t);
    return rc;
}

/* ---- the team view ---- */

struct member_list {
    struct rf_team_member *m;
    size_t n, cap;
    int oom;
};

static void keep_member(void *ud, const struct rf_team_member *m)
{
    struct member_list *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        struct rf_team_member *g = rf_realloc_array(l->m, cap, sizeof *g);
        if (!g) {
            l->oom = 1;
            return;
        }
        l->m = g;
        l->cap = cap;
    }
    struct rf_team_member *c = &l->m[l->n];
    *c = *m;
    c->label = m->label ? rf_strdup(m->label) : NULL;
    c->role = m->role ? rf_strdup(m->role) : NULL;
    if ((m->label && !c->label) || (m->role && !c->role)) {
        free(c->label);
        free(c->role);
        l->oom = 1;
        return;
    }
    l->n++;
}

static void members_free(struct member_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        rf_store_team_member_cleanup(&l->m[i]);
    free(l->m);
}

/* Everything the team's page and report show, built from the store. */
struct view {
    struct member_list ml;
    struct rf_profile *prof; /* the profiles that count: shared and finished */
    const char **names;      /* the counted members' labels */
    size_t ncounted;
    struct rf_team_view tv;
    json_t *members; /* every member with its state */
};

static void view_free(struct view *v)
{
    for (size_t i = 0; i < v->ncounted; i++)
        rf_profile_cleanup(&v->prof[i]);
    free(v->prof);
    free(v->names);
    rf_team_view_cleanup(&v->tv);
    json_decref(v->members);
    members_free(&v->ml);
}

/* The member's test, its state and (shared and finished) its profile into
 * v->prof[v->ncounted]. */
static rf_status member_row(struct rf_app *a, struct view *v, const struct rf_team_member *m,
                            enum rf_lang lang, struct rf_err *err)
{
    struct rf_test t;
    memset(&t, 0, sizeof t);
    rf_status rc = m->candidate_id ? rf_store_test_by_invite(a->store, m->invite_id, &t, err)
                                   : RF_ENOTFOUND;
    const char *state = rc == RF_ENOTFOUND ? (m->candidate_id ? "in progress" : "not used")
                        : !rc && strcmp(t.status, "finished") == 0 ? "finished"
                                                                   : "in progress";
    if (rc == RF_ENOTFOUND)
        rc = RF_OK;
    int counted = 0;
    if (!rc && m->shared && t.profile && strcmp(t.status, "finished") == 0) {
        rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile),
                              &v->prof[v->ncounted], err);
        if (!rc) {
            v->names[v->ncounted++] = m->label ? m->label : rf_report_msg(lang, "tr.a_member");
            counted = 1;
        }
    }
    int find = m->role && strcmp(m->role, RF_INVITE_FIND_ROLE) == 0;
    const struct rf_role *r = m->role && !find ? rf_roles_find(&a->car.roles, m->role) : NULL;
    json_t *j = json_pack("{s:I,s:s?,s:s?,s:s?,s:s,s:b,s:b}", "id", (json_int_t)m->id, "label",
                          m->label, "role", find ? NULL : m->role, "role_name",
                          r ? rf_lang_pick(lang, r->name, r->name_ja)
                          : find ? rf_report_msg(lang, "role.find")
                                 : NULL,
                          "state", state, "shared", m->shared, "counted", counted);
    if (!rc && (!j || json_array_append_new(v->members, j)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_store_test_cleanup(&t);
    return rc;
}

static rf_status view_build(struct rf_app *a, int64_t team_id, enum rf_lang lang, struct view *v,
                            struct rf_app_error *e)
{
    memset(v, 0, sizeof *v);
    rf_status rc = rf_store_team_members_list(a->store, team_id, keep_member, &v->ml, &e->err);
    size_t n = v->ml.n ? v->ml.n : 1;
    if (!rc && (v->ml.oom || !(v->prof = rf_calloc_array(n, sizeof *v->prof)) ||
                !(v->names = rf_calloc_array(n, sizeof *v->names)) ||
                !(v->members = json_array())))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < v->ml.n; i++)
        rc = member_row(a, v, &v->ml.m[i], lang, &e->err);
    if (!rc)
        rc = rf_team_view_build(&a->car, &a->team, v->prof, v->ncounted, &v->tv, &e->err);
    return rc;
}

/* Why some members add nothing, in words (NULL when every member counts). */
static json_t *silence_note(const struct view *v, enum rf_lang lang)
{
    size_t not_shared = 0, unfinished = 0;
    json_t *arr = v->members;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *m = json_array_get(arr, i);
        if (!json_is_true(json_object_get(m, "shared")))
            not_shared++;
        else if (!json_is_true(json_object_get(m, "counted")))
            unfinished++;
    }
    if (!not_shared && !unfinished)
        return json_null();
    struct rf_buf b;
    rf_buf_init(&b, 1024);
    json_t *out = rf_team_report_note(lang, not_shared, unfinished, &b) == RF_OK
                      ? json_string(rf_buf_str(&b))
                      : NULL;
    rf_buf_cleanup(&b);
    return out;
}

/* ---- readiness assessments ---- */

struct assessment_list {
    const struct rf_readiness *r;
    double *scores; /* n x ntests */
    char (*date)[11];
    size_t n, cap;
    int oom, bad;
};

static void keep_assessment(void *ud, const struct rf_team_assessment *as)
{
    struct assessment_list *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8, nt = l->r->ntests;
        double *s = rf_realloc_array(l->scores, cap * nt, sizeof *s);
        if (s)
            l->scores = s;
        char(*d)[11] = s ? rf_realloc_array(l->date, cap, sizeof *d) : NULL;
        if (!d) {
            l->oom = 1;
            return;
        }
        l->date = d;
        l->cap = cap;
    }
    json_t *j = json_loads(as->scores, 0, NULL);
    /* stored checked; a rubric changed since may no longer know a test: skip it */
    if (!j || rf_readiness_read_scores(l->r, j, l->scores + l->n * l->r->ntests, NULL,
                                       "stored assessment", NULL)) {
        l->bad++;
        json_decref(j);
        return;
    }
    json_decref(j);
    snprintf(l->date[l->n], sizeof l->date[0], "%s", as->date);
    l->n++;
}

static rf_status assessments_read(struct rf_app *a, int64_t team_id, struct assessment_list *l,
                                  struct rf_app_error *e)
{
    memset(l, 0, sizeof *l);
    l->r = &a->readiness;
    rf_status rc = rf_store_team_assessments_list(a->store, team_id, keep_assessment, l, &e->err);
    if (!rc && l->oom)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    return rc;
}

static void assessments_free(struct assessment_list *l)
{
    free(l->scores);
    free(l->date);
}

/* The latest assessment in full (sections, final, band, weakest sections,
 * the plan that raises the final score soonest, with its owners) and the
 * trend of every assessment; null when there is none. */
static json_t *readiness_json(const struct assessment_list *l, enum rf_lang lang)
{
    if (l->n == 0)
        return json_null();
    const double *last = l->scores + (l->n - 1) * l->r->ntests;
    json_t *o = rf_readiness_json_lang(l->r, last, RF_TEAM_PLAN_STEPS, l->date[l->n - 1], lang);
    json_t *trend = json_array();
    if (!o || !trend) {
        json_decref(o);
        json_decref(trend);
        return NULL;
    }
    for (size_t i = 0; i < l->n; i++) {
        double f = rf_readiness_score(l->r, l->scores + i * l->r->ntests, NULL);
        const struct rf_readiness_band *b = rf_readiness_band(l->r, f);
        json_array_append_new(trend, json_pack("{s:s,s:f,s:s}", "date", l->date[i], "final", f,
                                               "band", rf_lang_pick(lang, b->name, b->name_ja)));
    }
    json_object_set_new(o, "trend", trend);
    json_object_set_new(o, "assessments", json_integer((json_int_t)l->n));
    return o;
}

/* The whole team document: team, members, coverage, readiness. */
static rf_status team_doc(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          enum rf_lang lang, json_t **out, struct rf_app_error *e)
{
    struct rf_team t;
    rf_status rc = org_team(a, p, id, &t, e);
    if (rc)
        return rc;
    struct view v;
    struct assessment_list al;
    rc = view_build(a, t.id, lang, &v, e);
    if (!rc)
        rc = assessments_read(a, t.id, &al, e);
    else
        memset(&al, 0, sizeof al);
    json_t *cov = rc ? NULL : rf_team_view_json_lang(&a->car, &a->team, &v.tv, v.names, lang);
    json_t *ready = rc ? NULL : readiness_json(&al, lang);
    if (!rc && (!cov || !ready))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc) {
        *out = json_pack("{s:{s:I,s:s,s:I},s:O,s:I,s:o,s:O,s:O,s:s}", "team", "id",
                         (json_int_t)t.id, "name", t.name, "created", (json_int_t)t.created,
                         "members", v.members, "counted", (json_int_t)v.ncounted, "note",
                         silence_note(&v, lang), "coverage", cov, "readiness", ready, "lang",
                         rf_lang_code(lang));
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    json_decref(cov);
    json_decref(ready);
    assessments_free(&al);
    view_free(&v);
    rf_store_team_cleanup(&t);
    return rc;
}

rf_status rf_app_team_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          const char *lang, json_t **out, struct rf_app_error *e)
{
    enum rf_lang l;
    rf_status rc = rf_app_view_lang(a, p, lang, RF_EN, &l, e);
    return rc ? rc : team_doc(a, p, id, l, out, e);
}

rf_status rf_app_team_report(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             int html, const char *lang, json_t **json_out, char **html_out,
                             struct rf_app_error *e)
{
    json_t *doc = NULL;
    enum rf_lang l;
    rf_status rc = rf_app_view_lang(a, p, lang, RF_EN, &l, e);
    if (!rc)
        rc = team_doc(a, p, id, l, &doc, e);
    if (rc)
        return rc;
    if (!html) {
        *json_out = doc;
        return RF_OK;
    }
    struct rf_buf b;
    rf_buf_init(&b, (size_t)4 * 1024 * 1024);
    rc = rf_team_report_html_lang(doc, l, &b);
    if (rc)
        rf_app_fail(e, rc, NULL, "team report: %s", rf_strerror(rc));
    else
        *html_out = rf_buf_take(&b);
    rf_buf_cleanup(&b);
    json_decref(doc);
    return rc;
}

/* A day YYYY-MM-DD of the calendar (from 1970). */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v[3] = {0, 0, 0}, part = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            part++;
            continue;
        }
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v[part] = 10 * v[part] + (s[i] - '0');
    }
    int y = v[0], m = v[1], d = v[2];
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* The key of the duplicate that the JSON reader stopped at (before byte pos
 * of body): the last quoted string before it. */
static void duplicate_key(const char *body, size_t pos, char *key, size_t n)
{
    key[0] = '\0';
    size_t end = pos;
    while (end > 0 && body[end - 1] != '"')
        end--;
    if (end == 0)
        return;
    size_t start = end - 1;
    while (start > 0 && body[start - 1] != '"')
        start--;
    if (start == 0)
        return;
    size_t len = end - 1 - start;
    if (len >= n)
        len = n - 1;
    memcpy(key, body + start, len);
    key[len] = '\0';
    for (char *c = key; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = '?';
}

rf_status rf_app_team_assessment_add(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                     const char *body, size_t len, json_t **out,
                                     struct rf_app_error *e)
{
    struct rf_team t;
    rf_status rc = org_team(a, p, id, &t, e);
    if (rc)
        return rc;
    json_error_t je;
    json_t *req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    double *scores = rf_calloc_array(a->readiness.ntests, sizeof *scores);
    char *sj = NULL, date[11];
    if (!scores) {
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    } else if (!req && strstr(je.text, "duplicate")) {
        char key[64];
        duplicate_key(body, (size_t)je.position < len ? (size_t)je.position : len, key,
                      sizeof key);
        rc = rf_app_fail(e, RF_EINVAL, "scores", "scores.%s: the test is scored twice", key);
    } else if (!req || !json_is_object(req)) {
        rc = rf_app_fail(e, RF_EINVAL, NULL, "request body must be a JSON object%s%s",
                         req ? "" : ": ", req ? "" : je.text);
    }
    const char *d = NULL;
    if (!rc && (rc = rf_app_opt_string(req, "date", 10, &d, e)) == RF_OK && d && !valid_date(d))
        rc = rf_app_fail(e, RF_EINVAL, "date", "date: expected a day as YYYY-MM-DD, got '%s'", d);
    const json_t *so = json_object_get(req, "scores");
    if (!rc && !json_is_object(so))
        rc = rf_app_fail(e, RF_EINVAL, "scores",
                         "scores: expected an object of test ids and 0, 0.5 or 1");
    size_t unscored = 0;
    if (!rc && (rc = rf_readiness_read_scores(&a->readiness, so, scores, &unscored, "assessment",
                                              &e->err)))
        e->field = "scores";
    if (!rc) {
        if (d) {
            snprintf(date, sizeof date, "%s", d);
        } else {
            time_t now = (time_t)rf_app_now_s();
            struct tm tm;
            gmtime_r(&now, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
        }
        if (!(sj = json_dumps(so, JSON_COMPACT | JSON_SORT_KEYS)))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    int64_t aid = 0;
    if (!rc) {
        struct rf_team_assessment as = {0, t.id, p->user_id, 0, date, sj};
        rc = rf_store_team_assessment_add(a->store, &as, &aid, &e->err);
    }
    if (!rc) {
        json_t *r = rf_readiness_json(&a->readiness, scores, RF_TEAM_PLAN_STEPS, date);
        *out = r ? json_pack("{s:I,s:o,s:I}", "id", (json_int_t)aid, "assessment", r, "unscored",
                             (json_int_t)unscored)
                 : NULL;
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    free(sj);
    free(scores);
    json_decref(req);
    rf_store_team_cleanup(&t);
    return rc;
}

rf_status rf_app_team_assessments(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  json_t **out, struct rf_app_error *e)
{
    struct rf_team t;
    rf_status rc = org_team(a, p, id, &t, e);
    if (rc)
        return rc;
    struct assessment_list al;
    rc = assessments_read(a, t.id, &al, e);
    json_t *r = rc ? NULL : readiness_json(&al, RF_EN);
    if (!rc && !r)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !(*out = json_pack("{s:I,s:o}", "team", (json_int_t)t.id, "readiness", r)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    assessments_free(&al);
    rf_store_team_cleanup(&t);
    return rc;
}

/* ---- a posting for the next hire ---- */

/* The posting term for skill k: a term of the alias dictionary the posting
 * reader knows, the skill's name itself when it is one, else the longest
 * plain term of the language (Japanese: a term with non-ASCII letters). */
static const char *skill_term(const struct rf_app *a, size_t k, int ja)
{
    const struct rf_aliases *al = &a->car.aliases;
    const char *name = a->car.tax.skills[k].name, *best = NULL;
    size_t blen = 0;
    for (size_t i = 0; i < al->n; i++) {
        const struct rf_alias *x = &al->a[i];
        if (x->skill != k || x->flags)
            continue;
        int ascii = 1;
        for (const char *c = x->term; *c; c++)
            ascii &= (unsigned char)*c < 0x80;
        if (!ja && strcasecmp(x->term, name) == 0)
            return x->term;
        if (ascii == !ja && x->len > blen && x->len <= 40) {
            best = x->term;
            blen = x->len;
        }
    }
    return best ? best : name;
}

static const char *level_words(size_t level, int ja)
{
    static const char *const en[] = {"", "working knowledge", "solid, independent experience",
                                     "advanced, proven experience", "expert level"};
    static const char *const jp[] = {"", "基礎知識", "実務経験", "高度な実務経験",
                                     "エキスパートレベル"};
    return level < 5 ? (ja ? jp[level] : en[level]) : "";
}

rf_status rf_app_team_posting_draft(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                    const json_t *req, json_t **out, struct rf_app_error *e)
{
    struct rf_team t;
    rf_status rc = org_team(a, p, id, &t, e);
    if (rc)
        return rc;
    const char *role_id, *lang;
    if ((rc = rf_app_opt_string(req, "role", 64, &role_id, e)) ||
        (rc = rf_app_opt_string(req, "lang", 8, &lang, e))) {
        rf_store_team_cleanup(&t);
        return rc;
    }
    int ja = lang && strcmp(lang, "ja") == 0;
    if (lang && !ja && strcmp(lang, "en") != 0)
        rc = rf_app_fail(e, RF_EINVAL, "lang", "lang: expected 'en' or 'ja', got '%s'", lang);
    struct view v;
    memset(&v, 0, sizeof v);
    const struct rf_role *r = NULL;
    if (!rc && role_id && !(r = rf_roles_find(&a->car.roles, role_id)))
        rc = rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role_id);
    if (!rc && !r && !(rc = view_build(a, t.id, ja ? RF_JA : RF_EN, &v, e)))
        r = &a->car.roles.roles[v.tv.hires[0].role]; /* the suggested hire */
    struct rf_buf b;
    rf_buf_init(&b, (size_t)64 * 1024);
    if (!rc) {
        rf_status w = RF_OK;
        enum rf_lang l = ja ? RF_JA : RF_EN;
        w = w ? w
              : rf_buf_printf(&b, ja ? "%s（%s）\n\n" : "%s, %s\n\n",
                              rf_lang_pick(l, r->name, r->name_ja), t.name);
        w = w ? w : rf_buf_printf(&b, "%s\n\n", rf_lang_pick(l, r->description, r->description_ja));
        for (int core = 1; core >= 0; core--) {
            w = w ? w : rf_buf_puts(&b, core ? (ja ? "必須要件:\n" : "Requirements:\n")
                                             : (ja ? "\n歓迎要件:\n" : "\nNice to have:\n"));
            for (size_t k = 0; !w && k < r->nreqs; k++)
                if (r->reqs[k].core == core)
                    w = rf_buf_printf(&b, "- %s (%s)\n", skill_term(a, r->reqs[k].skill, ja),
                                      level_words(r->reqs[k].level, ja));
        }
        if (w)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    struct rf_parsed_posting pp;
    memset(&pp, 0, sizeof pp);
    json_t *reads = NULL;
    if (!rc)
        rc = rf_posting_parse("draft", rf_buf_str(&b), b.len, &a->car.aliases, &a->car.tax, &pp,
                              &e->err);
    if (!rc)
        rc = rf_posting_to_json(&pp, &a->car.tax, &reads, &e->err);
    if (!rc) {
        char title[300];
        snprintf(title, sizeof title, "%s", rf_lang_pick(ja ? RF_JA : RF_EN, r->name, r->name_ja));
        *out = json_pack("{s:s,s:s,s:s,s:s,s:o}", "role", r->id, "lang", ja ? "ja" : "en",
                         "title", title, "text", rf_buf_str(&b), "reads_as", reads);
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    rf_posting_cleanup(&pp);
    rf_buf_cleanup(&b);
    view_free(&v);
    rf_store_team_cleanup(&t);
    return rc;
}

json_t *rf_app_readiness_tests(struct rf_app *a, enum rf_lang lang)
{
    const struct rf_readiness *r = &a->readiness;
    json_t *secs = json_array();
    for (size_t s = 0; secs && s < r->nsections; s++) {
        const struct rf_readiness_section *x = &r->sections[s];
        json_t *tests = json_array();
        for (size_t i = x->first; tests && i < x->first + x->n; i++) {
            const struct rf_readiness_test *t = &r->tests[i];
            json_array_append_new(
                tests, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", t->id, "title",
                                 rf_lang_pick(lang, t->title, t->title_ja), "what",
                                 rf_lang_pick(lang, t->what, t->what_ja), "manual",
                                 rf_lang_pick(lang, t->manual, t->manual_ja), "automated",
                                 rf_lang_pick(lang, t->automated, t->automated_ja)));
        }
        json_array_append_new(secs, json_pack("{s:s,s:s,s:o}", "id", x->id, "name",
                                              rf_lang_pick(lang, x->name, x->name_ja), "tests",
                                              tests ? tests : json_array()));
    }
    return secs ? json_pack("{s:s,s:o}", "lang", rf_lang_code(lang), "sections", secs) : NULL;
}
