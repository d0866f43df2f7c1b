/*
 * Job postings and ranking (app.h): a recruiter adds a posting (parsed into
 * required skills), lists and reads them, corrects the requirements (every
 * edit stored with who and when), and ranks the organization's finished
 * tests (the posting's applicants or everyone) by fit to it. A posting that
 * was never edited is read from its text each time (so a better reader
 * reads old postings better); an edited one by its stored requirements.
 */
#include "server/app.h"

#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/mem.h"
#include "careers/posting.h"
#include "careers/posting_edit.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "server/app_flow.h"
#include "store/store.h"

static rf_status parse_posting(struct rf_app *a, const char *text, struct rf_parsed_posting *pp,
                               struct rf_app_error *e)
{
    rf_status rc =
        rf_posting_parse("posting", text, strlen(text), &a->car.aliases, &a->car.tax, pp, &e->err);
    if (rc)
        e->field = "text";
    return rc;
}

rf_status rf_app_posting_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to add postings");
    const char *title, *text;
    rf_status rc;
    if ((rc = rf_app_req_string(req, "title", 200, &title, e)) ||
        (rc = rf_app_req_string(req, "text", RF_HTTP_MAX_POSTING_BODY, &text, e)))
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = parse_posting(a, text, &pp, e)))
        return rc;
    json_t *parsed = NULL;
    char *pj = NULL;
    rc = rf_posting_to_json(&pp, &a->car.tax, &parsed, &e->err);
    if (!rc && pp.nreqs == 0)
        rc = rf_app_fail(e, RF_EINVAL, "text",
                         "no requirement in this posting names a skill rolefit measures (see the "
                         "unmapped terms)");
    if (!rc && !(pj = json_dumps(parsed, JSON_COMPACT)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    int64_t id = 0;
    if (!rc) {
        struct rf_posting po = {0, p->org_id, p->user_id, (char *)title, (char *)text, pj, 0};
        rc = rf_store_posting_create(a->store, &po, &id, &e->err);
    }
    if (!rc)
        *out = json_pack("{s:I,s:s,s:O}", "id", (json_int_t)id, "title", title, "parsed", parsed);
    free(pj);
    json_decref(parsed);
    rf_posting_cleanup(&pp);
    return rc;
}

static void posting_item(void *ud, const struct rf_posting *po)
{
    json_t *parsed = po->parsed ? json_loads(po->parsed, 0, NULL) : NULL;
    size_t nreq = parsed ? json_array_size(json_object_get(parsed, "required")) : 0;
    json_array_append_new(ud, json_pack("{s:I,s:s,s:I,s:I}", "id", (json_int_t)po->id, "title",
                                        po->title, "created", (json_int_t)po->created, "required",
                                        (json_int_t)nreq));
    json_decref(parsed);
}

rf_status rf_app_postings(struct rf_app *a, const struct rf_principal *p, json_t **out,
                          struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to see postings");
    json_t *arr = json_array();
    rf_status rc = rf_store_postings_list(a->store, p->org_id, posting_item, arr, &e->err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "postings", arr);
    return RF_OK;
}

/* A posting of the caller's organization (404 otherwise). */
static rf_status own_posting(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             struct rf_posting *po, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to see postings");
    rf_status rc = rf_store_posting_get(a->store, id, po, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && po->org_id != p->org_id)) {
        if (!rc)
            rf_store_posting_cleanup(po);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no posting %lld in your organization",
                           (long long)id);
    }
    return rc;
}

rf_status rf_app_posting_get(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             json_t **out, struct rf_app_error *e)
{
    struct rf_posting po;
    rf_status rc = own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    json_t *parsed = po.parsed ? json_loads(po.parsed, 0, NULL) : NULL;
    *out = json_pack("{s:I,s:s,s:s,s:o?}", "id", (json_int_t)po.id, "title", po.title, "text",
                     po.text, "parsed", parsed);
    rf_store_posting_cleanup(&po);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

rf_status rf_app_posting_reading(struct rf_app *a, const struct rf_posting *po,
                                 struct rf_parsed_posting *pp, struct rf_app_error *e)
{
    json_t *j = po->parsed ? json_loads(po->parsed, 0, NULL) : NULL;
    rf_status rc;
    if (json_object_get(j, "edited"))
        rc = rf_posting_from_json("stored posting", j, &a->car.tax, pp, &e->err);
    else
        rc = parse_posting(a, po->text, pp, e);
    json_decref(j);
    return rc;
}

/* The requirements of a parse as the edit format has them. */
static json_t *requirements_json(const json_t *parsed)
{
    return json_pack("{s:O,s:O}", "required", json_object_get(parsed, "required"), "preferred",
                     json_object_get(parsed, "preferred"));
}

rf_status rf_app_posting_edit(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              const json_t *req, json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to edit postings");
    if (!json_is_object(req) || (!json_object_get(req, "required") &&
                                 !json_object_get(req, "preferred")))
        return rf_app_fail(e, RF_EINVAL, "required",
                           "give the requirements: 'required' and 'preferred' arrays");
    struct rf_posting po;
    rf_status rc = own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    struct rf_parsed_posting before, after;
    memset(&after, 0, sizeof after);
    json_t *bj = NULL, *aj = NULL, *breq = NULL, *areq = NULL, *edited = NULL;
    char *summary = NULL, *parsed = NULL, *bs = NULL, *as = NULL;
    if ((rc = rf_app_posting_reading(a, &po, &before, e)))
        goto out;
    /* after: the reading with the new requirements (its lines and prose kept) */
    if ((rc = rf_app_posting_reading(a, &po, &after, e)))
        goto out;
    if ((rc = rf_posting_set_requirements(&after, req, &a->car.tax, &e->err))) {
        /* "required[2].level: ..." names its field: the part before the first '.' or ':' */
        static const char *const fields[] = {"required", "preferred"};
        e->field = strncmp(e->err.msg, "preferred", 9) == 0 ? fields[1] : fields[0];
        goto out;
    }
    if ((rc = rf_posting_diff(&before, &after, &a->car.tax, &summary, &e->err)) ||
        (rc = rf_posting_to_json(&before, &a->car.tax, &bj, &e->err)) ||
        (rc = rf_posting_to_json(&after, &a->car.tax, &aj, &e->err)))
        goto out;
    json_t *old = po.parsed ? json_loads(po.parsed, 0, NULL) : NULL;
    const json_t *prev = json_object_get(old, "edited");
    json_int_t nedits = json_integer_value(json_object_get(prev, "edits")) + 1;
    json_decref(old);
    edited = json_pack("{s:I,s:I,s:I}", "by", (json_int_t)p->user_id, "at",
                       (json_int_t)rf_app_now_s(), "edits", nedits);
    breq = requirements_json(bj);
    areq = requirements_json(aj);
    if (!edited || !breq || !areq || json_object_set(aj, "edited", edited) ||
        !(parsed = json_dumps(aj, JSON_COMPACT)) || !(bs = json_dumps(breq, JSON_COMPACT)) ||
        !(as = json_dumps(areq, JSON_COMPACT))) {
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    struct rf_posting_edit ed = {0, id, p->user_id, 0, NULL, summary, bs, as};
    int64_t eid;
    if ((rc = rf_store_posting_edit(a->store, parsed, &ed, &eid, &e->err)))
        goto out;
    rf_app_log(a, "posting %lld edited by user %lld: %s", (long long)id, (long long)p->user_id,
               summary);
    *out = json_pack("{s:I,s:s,s:O,s:{s:I,s:s}}", "id", (json_int_t)id, "title", po.title,
                     "parsed", aj, "edit", "id", (json_int_t)eid, "summary", summary);
    if (!*out)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
out:
    json_decref(bj);
    json_decref(aj);
    json_decref(breq);
    json_decref(areq);
    json_decref(edited);
    free(summary);
    free(parsed);
    free(bs);
    free(as);
    rf_posting_cleanup(&before);
    rf_posting_cleanup(&after);
    rf_store_posting_cleanup(&po);
    return rc;
}

static void edit_item(void *ud, const struct rf_posting_edit *ed)
{
    json_t *b = json_loads(ed->before, 0, NULL), *af = json_loads(ed->after, 0, NULL);
    json_array_append_new(ud, json_pack("{s:I,s:I,s:s?,s:I,s:s,s:o?,s:o?}", "id",
                                        (json_int_t)ed->id, "at", (json_int_t)ed->at, "by",
                                        ed->user, "user_id", (json_int_t)ed->user_id, "summary",
                                        ed->summary, "before", b, "after", af));
}

rf_status rf_app_posting_edits(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               json_t **out, struct rf_app_error *e)
{
    struct rf_posting po;
    rf_status rc = own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    rf_store_posting_cleanup(&po);
    json_t *arr = json_array();
    if (!arr)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if ((rc = rf_store_posting_edits_list(a->store, id, edit_item, arr, &e->err))) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "posting", (json_int_t)id, "edits", arr);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

json_t *rf_app_posting_report(struct rf_app *a, int64_t posting, const struct rf_profile *pr)
{
    struct rf_posting po;
    struct rf_app_error e = {{0}, NULL};
    if (rf_store_posting_get(a->store, posting, &po, &e.err) != RF_OK)
        return NULL;
    struct rf_parsed_posting pp;
    json_t *out = NULL;
    if (rf_app_posting_reading(a, &po, &pp, &e) != RF_OK) {
        rf_store_posting_cleanup(&po);
        return NULL;
    }
    double p[RF_POSTING_MAX_REQS];
    size_t m[RF_POSTING_MAX_REQS];
    struct rf_posting_fit f;
    rf_posting_fit(&pp, &a->car.tax, pr, p, m, &f);
    char reason[512];
    rf_posting_reason(&pp, p, m, reason, sizeof reason);
    json_t *reqs = json_array();
    for (size_t r = 0; reqs && r < pp.nreqs; r++) {
        const struct rf_posting_req *q = &pp.reqs[r];
        const char *call = !m[r]                 ? "not measured"
                           : p[r] >= RF_FIT_MET   ? "meets"
                           : p[r] <= RF_FIT_BELOW ? "below"
                                                  : "undecided";
        json_array_append_new(
            reqs, json_pack("{s:s,s:s,s:s,s:f,s:s,s:o}", "label", q->label, "section",
                            q->section == RF_SEC_PREFERRED ? "preferred" : "required", "level",
                            a->car.tax.levels[q->level], "weight", q->weight, "call", call, "p",
                            m[r] ? json_real(p[r]) : json_null()));
    }
    if (reqs)
        out = json_pack("{s:I,s:s,s:f,s:f,s:f,s:f,s:s,s:o}", "id", (json_int_t)posting, "title",
                        po.title, "fit", f.fit, "sd", f.sd, "p_required", f.p_required,
                        "measured", f.measured, "reason", reason, "requirements", reqs);
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    return out;
}

/* One ranked row: what its JSON needs, made only for the rows of the page. */
struct rank_row {
    double fit;
    int64_t test, candidate;
    struct rf_posting_fit f;
    int applicant;
    int64_t finished;
    char *label; /* owned; NULL when none */
    size_t k;    /* its requirements' p and measured at c->p + k * nreqs */
};

struct rank_ctx {
    struct rf_app *a;
    const struct rf_parsed_posting *pp;
    int64_t posting;
    struct rank_row *rows;
    size_t n, cap;
    size_t seen;    /* finished tests the store gave, read or not */
    size_t skipped; /* stored profiles that could not be read */
    /* tests read from JSON, packed here and stored after the read (backfill) */
    int64_t *fill_ids;
    unsigned char **fill;
    size_t *nfill, nfilled;
    size_t nreqs; /* the posting's requirements (at least 1, the room per row) */
    double *p;         /* nreqs per row */
    size_t *measured;  /* nreqs per row */
    /* team members' invites whose tests are not shared (sorted): never ranked */
    int64_t *private_inv;
    size_t nprivate;
    rf_status rc;
    struct rf_err err;
};

/* A finished test's profile as `rolefit match` and `rolefit report --session`
 * see it: every skill's posterior on its grid, from the packed form the test
 * was stored with or, for tests finished before there was one, from its JSON
 * (the same doubles either way, rf_profile_pack). */
static rf_status stored_profile(const struct rf_store_ranked *t, struct rf_profile *pr,
                                struct rf_err *err)
{
    if (t->packed)
        return rf_profile_unpack(t->packed, t->npacked, pr, err);
    if (!t->profile) {
        rf_profile_init_default(pr);
        return rf_err_set(err, RF_EINVAL, "no stored profile");
    }
    return rf_profile_parse("stored profile", t->profile, strlen(t->profile), pr, err);
}

/* Room for one more row (and its requirements' figures); 0 out of memory. */
static int rank_grow(struct rank_ctx *c)
{
    if (c->n < c->cap)
        return 1;
    size_t nc = c->cap ? 2 * c->cap : 256;
    struct rank_row *nr = rf_realloc_array(c->rows, nc, sizeof *nr);
    if (nr)
        c->rows = nr;
    double *np = nr ? rf_realloc_array(c->p, nc * c->nreqs, sizeof *np) : NULL;
    if (np)
        c->p = np;
    size_t *nm = np ? rf_realloc_array(c->measured, nc * c->nreqs, sizeof *nm) : NULL;
    if (!nm)
        return 0;
    c->measured = nm;
    c->cap = nc;
    return 1;
}

static void rank_test(void *ud, const struct rf_store_ranked *t)
{
    struct rank_ctx *c = ud;
    if (c->rc || ++c->seen > RF_RANK_MAX_TESTS)
        return;
    if (t->invite_id && rf_app_ids_have(c->private_inv, c->nprivate, t->invite_id))
        return; /* a team member's own profile, not shared (app_teams.c) */
    struct rf_profile pr;
    struct rf_err perr;
    if (stored_profile(t, &pr, &perr)) {
        rf_app_log(c->a, "ranking: test %lld skipped: %s", (long long)t->id, perr.msg);
        c->skipped++;
        return;
    }
    if (!t->packed && c->fill && c->nfilled < RF_RANK_BACKFILL_MAX &&
        rf_profile_pack(&pr, &c->fill[c->nfilled], &c->nfill[c->nfilled], &perr) == RF_OK)
        c->fill_ids[c->nfilled++] = t->id;
    char *label = t->label ? rf_strdup(t->label) : NULL;
    if (!rank_grow(c) || (t->label && !label)) {
        free(label);
        rf_profile_cleanup(&pr);
        c->rc = rf_err_set(&c->err, RF_ENOMEM, "out of memory");
        return;
    }
    struct rank_row *r = &c->rows[c->n];
    r->k = c->n++;
    rf_posting_fit(c->pp, &c->a->car.tax, &pr, c->p + r->k * c->nreqs,
                   c->measured + r->k * c->nreqs, &r->f);
    rf_profile_cleanup(&pr);
    r->fit = r->f.fit;
    r->test = t->id;
    r->candidate = t->candidate_id;
    r->applicant = t->posting_id == c->posting;
    r->finished = t->finished;
    r->label = label;
}

/* A row's JSON, with its one-line reason. */
static json_t *rank_json(const struct rank_ctx *c, const struct rank_row *r)
{
    char reason[512];
    rf_posting_reason(c->pp, c->p + r->k * c->nreqs, c->measured + r->k * c->nreqs, reason,
                      sizeof reason);
    return json_pack("{s:I,s:I,s:s?,s:f,s:f,s:f,s:f,s:I,s:s,s:b,s:I}", "test",
                     (json_int_t)r->test, "candidate", (json_int_t)r->candidate, "label",
                     r->label, "fit", r->f.fit, "sd", r->f.sd, "p_required", r->f.p_required,
                     "measured", r->f.measured, "not_measured", (json_int_t)r->f.nunmeasured,
                     "reason", reason, "applicant", r->applicant, "finished",
                     (json_int_t)r->finished);
}

/* By candidate, the latest test first. */
static int by_candidate(const void *x, const void *y)
{
    const struct rank_row *a = x, *b = y;
    if (a->candidate != b->candidate)
        return a->candidate < b->candidate ? -1 : 1;
    return (a->test < b->test) - (a->test > b->test);
}

/* Keeps one row per candidate: the latest test, whose profile holds every
 * follow-up and top-up added to the first (rf_app_followup_combine). */
static size_t latest_per_candidate(struct rank_row *rows, size_t n)
{
    if (n == 0)
        return 0;
    qsort(rows, n, sizeof *rows, by_candidate);
    size_t m = 1;
    for (size_t i = 1; i < n; i++) {
        if (rows[i].candidate == rows[m - 1].candidate) {
            free(rows[i].label);
            continue;
        }
        rows[m++] = rows[i];
    }
    return m;
}

/* Best fit first; ties: the earlier test first. */
static int by_fit(const void *x, const void *y)
{
    const struct rank_row *a = x, *b = y;
    if (a->fit != b->fit)
        return a->fit < b->fit ? 1 : -1;
    return (a->test > b->test) - (a->test < b->test);
}

/* A page's offset or limit from its query text: def when NULL; RF_EINVAL
 * naming it when it is not a whole number from lo to hi (limits above hi are
 * taken as hi when clamp). */
static rf_status page_arg(const char *text, const char *name, size_t def, size_t lo, size_t hi,
                          int clamp, size_t *out, struct rf_app_error *e)
{
    *out = def;
    if (!text)
        return RF_OK;
    size_t v;
    if (rf_parse_size(text, &v) || v < lo || (v > hi && !clamp))
        return rf_app_fail(e, RF_EINVAL, name, "%s must be a whole number from %zu to %zu", name,
                           lo, hi);
    *out = v > hi ? hi : v;
    return RF_OK;
}

rf_status rf_app_posting_ranking(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                 const char *scope, const struct rf_app_page *page, json_t **out,
                                 struct rf_app_error *e)
{
    int org_wide = scope && strcmp(scope, "org") == 0;
    if (scope && !org_wide && strcmp(scope, "posting") != 0) {
        char got[41]; /* on one line, valid UTF-8: anything but printable ASCII becomes '?' */
        size_t n = 0;
        for (; n < sizeof got - 1 && scope[n]; n++)
            got[n] = scope[n] >= 0x20 && scope[n] < 0x7f ? scope[n] : '?';
        got[n] = '\0';
        return rf_app_fail(
            e, RF_EINVAL, "scope",
            "scope must be 'posting' (its applicants) or 'org' (every finished test of "
            "the organization), got '%s'",
            got);
    }
    size_t offset, limit;
    rf_status rc = page_arg(page ? page->offset : NULL, "offset", 0, 0, RF_RANK_MAX_TESTS, 0,
                            &offset, e);
    if (!rc)
        rc = page_arg(page ? page->limit : NULL, "limit", RF_RANK_PAGE, 1, RF_RANK_PAGE_MAX, 1,
                      &limit, e);
    if (rc)
        return rc;
    struct rf_posting po;
    if ((rc = own_posting(a, p, id, &po, e)))
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = rf_app_posting_reading(a, &po, &pp, e))) {
        rf_store_posting_cleanup(&po);
        return rc;
    }
    struct rank_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.pp = &pp;
    c.posting = id;
    c.nreqs = pp.nreqs ? pp.nreqs : 1;
    /* room to pack tests stored without a packed profile; without it they are
     * still ranked, only not packed for next time */
    c.fill_ids = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.fill_ids);
    c.fill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.fill);
    c.nfill = rf_alloc_array(RF_RANK_BACKFILL_MAX, sizeof *c.nfill);
    if (!c.fill_ids || !c.nfill) {
        free(c.fill);
        c.fill = NULL;
    }
    if (!rc) /* in increasing order */
        rc = rf_app_team_private_invites(a, p->org_id, &c.private_inv, &c.nprivate, &e->err);
    if (!rc)
        rc = rf_store_tests_ranked(a->store, p->org_id, org_wide ? 0 : id, rank_test, &c, &e->err);
    if (!rc && c.rc)
        rc = rf_err_set(&e->err, c.rc, "%s", c.err.msg);
    struct rf_err ferr;
    if (c.nfilled &&
        rf_store_tests_set_packed(a->store, c.nfilled, c.fill_ids, c.fill, c.nfill, &ferr) == RF_OK)
        rf_app_log(a, "ranking: stored the packed profile of %zu older tests", c.nfilled);
    else if (c.nfilled)
        rf_app_log(a, "ranking: could not store packed profiles: %s", ferr.msg);
    json_t *sorted = rc ? NULL : json_array();
    if (!rc && !sorted)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc) {
        c.n = latest_per_candidate(c.rows, c.n);
        if (c.n)
            qsort(c.rows, c.n, sizeof *c.rows, by_fit);
        for (size_t i = offset; i < c.n && i < offset + limit && !rc; i++)
            if (json_array_append_new(sorted, rank_json(&c, &c.rows[i])))
                rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        size_t end = offset + limit;
        json_t *next = end < c.n ? json_integer((json_int_t)end) : json_null();
        *out = rc ? NULL
                  : json_pack("{s:{s:I,s:s},s:s,s:o,s:I,s:I,s:I,s:o,s:b,s:I}", "posting", "id",
                              (json_int_t)po.id, "title", po.title, "scope",
                              org_wide ? "org" : "posting", "candidates", sorted, "total",
                              (json_int_t)c.n, "offset", (json_int_t)offset, "limit",
                              (json_int_t)limit, "next", next, "capped",
                              c.seen > RF_RANK_MAX_TESTS, "skipped", (json_int_t)c.skipped);
        if (rc) {
            json_decref(sorted);
            json_decref(next);
        } else if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < c.n; i++)
        free(c.rows[i].label);
    for (size_t i = 0; i < c.nfilled; i++)
        free(c.fill[i]);
    free(c.fill);
    free(c.fill_ids);
    free(c.nfill);
    free(c.rows);
    free(c.p);
    free(c.private_inv);
    free(c.measured);
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    return rc;
}
