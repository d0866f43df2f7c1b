/*
 * Job postings (app.h): a recruiter adds a posting (parsed into required
 * skills), lists and reads them and corrects the requirements (every edit
 * stored with who and when); app_rank.c ranks candidates by fit to one. A
 * posting that
 * was never edited is read from its text each time (so a better reader
 * reads old postings better); an edited one by its stored requirements.
 */
#include "server/app.h"

#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/lang.h"
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

rf_status rf_app_own_posting(struct rf_app *a, const struct rf_principal *p, int64_t id,
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
    rf_status rc = rf_app_own_posting(a, p, id, &po, e);
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
    rf_status rc = rf_app_own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    struct rf_parsed_posting before, after;
    memset(&after, 0, sizeof after);
    json_t *bj = NULL, *aj = NULL, *breq = NULL, *areq = NULL, *edited = NULL, *changes = NULL;
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
    if ((rc = rf_posting_changes(&before, &after, &a->car.tax, &changes, &e->err)) ||
        (rc = rf_posting_changes_words(changes, &summary, &e->err)) ||
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
    *out = json_pack("{s:I,s:s,s:O,s:{s:I,s:s,s:O}}", "id", (json_int_t)id, "title", po.title,
                     "parsed", aj, "edit", "id", (json_int_t)eid, "summary", summary, "changes",
                     changes);
    if (!*out)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
out:
    json_decref(bj);
    json_decref(aj);
    json_decref(breq);
    json_decref(areq);
    json_decref(edited);
    json_decref(changes);
    free(summary);
    free(parsed);
    free(bs);
    free(as);
    rf_posting_cleanup(&before);
    rf_posting_cleanup(&after);
    rf_store_posting_cleanup(&po);
    return rc;
}

/* What an edit changed as data (rf_posting_changes), from the requirements
 * it stored before and after: the page words it in its own language. NULL
 * when they no longer read (a skill since removed from the taxonomy): the
 * page then shows the stored English summary. */
static json_t *edit_changes(const struct rf_taxonomy *tax, const json_t *before,
                            const json_t *after)
{
    struct rf_parsed_posting pb, pa;
    struct rf_err err;
    memset(&pb, 0, sizeof pb);
    memset(&pa, 0, sizeof pa);
    json_t *changes = NULL;
    if (before && after && !rf_posting_set_requirements(&pb, before, tax, &err) &&
        !rf_posting_set_requirements(&pa, after, tax, &err))
        (void)rf_posting_changes(&pb, &pa, tax, &changes, &err);
    rf_posting_cleanup(&pb);
    rf_posting_cleanup(&pa);
    return changes;
}

struct edit_list {
    json_t *arr;
    const struct rf_taxonomy *tax;
};

static void edit_item(void *ud, const struct rf_posting_edit *ed)
{
    struct edit_list *l = ud;
    json_t *b = json_loads(ed->before, 0, NULL), *af = json_loads(ed->after, 0, NULL);
    json_t *changes = edit_changes(l->tax, b, af);
    json_array_append_new(l->arr, json_pack("{s:I,s:I,s:s?,s:I,s:s,s:o?,s:o?,s:o?}", "id",
                                            (json_int_t)ed->id, "at", (json_int_t)ed->at, "by",
                                            ed->user, "user_id", (json_int_t)ed->user_id,
                                            "summary", ed->summary, "changes", changes, "before",
                                            b, "after", af));
}

rf_status rf_app_posting_edits(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               json_t **out, struct rf_app_error *e)
{
    struct rf_posting po;
    rf_status rc = rf_app_own_posting(a, p, id, &po, e);
    if (rc)
        return rc;
    rf_store_posting_cleanup(&po);
    json_t *arr = json_array();
    if (!arr)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    struct edit_list l = {arr, &a->car.tax};
    if ((rc = rf_store_posting_edits_list(a->store, id, edit_item, &l, &e->err))) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:I,s:o}", "posting", (json_int_t)id, "edits", arr);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

json_t *rf_app_posting_report(struct rf_app *a, int64_t posting, const struct rf_profile *pr,
                              enum rf_lang lang)
{
    struct rf_posting po;
    struct rf_app_error e = {0};
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
    rf_posting_reason_lang(&pp, p, m, lang, reason, sizeof reason);
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
                            rf_lang_pick(lang, a->car.tax.levels[q->level],
                                         a->car.tax.levels_ja[q->level]),
                            "weight", q->weight, "call", call, "p",
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
