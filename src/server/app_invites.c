/*
 * Invites (app.h): a recruiter creates a link for a target role or a
 * posting (whose test then measures the posting), or a top-up link that
 * measures what a candidate's finished test did not, and lists the
 * organization's invites with their state and the test each one led to; a
 * candidate's browser reads what a link is for, and resumes its test from
 * another browser with the resume code shown when the test started.
 * Claiming a link happens when its test starts (rf_app_test_start,
 * app_tests.c).
 */
#include "server/app.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/lang.h"
#include "base/mem.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/report_text.h"
#include "careers/roles.h"
#include "server/app_flow.h"
#include "server/auth.h"
#include "store/store.h"

/* Posting id of the caller's organization into *po (404 naming field
 * otherwise); the caller cleans *po up on RF_OK. */
static rf_status org_posting(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const char *field, struct rf_posting *po, struct rf_app_error *e)
{
    rf_status rc = rf_store_posting_get(a->store, id, po, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && po->org_id != p->org_id)) {
        if (!rc)
            rf_store_posting_cleanup(po);
        return rf_app_fail(e, RF_ENOTFOUND, field, "no posting %lld in your organization",
                           (long long)id);
    }
    return rc;
}

rf_status rf_app_invite_new(struct rf_app *a, struct rf_invite *v, const char *posting_title,
                            int64_t team_id, json_t **out, struct rf_app_error *e)
{
    char token[RF_TOKEN_LEN], h[RF_TOKEN_HASH_LEN];
    rf_auth_token(token);
    rf_auth_token_hash(token, h);
    v->expires = rf_app_now_s() + RF_INVITE_LIFETIME;
    int64_t id, member = 0;
    rf_status rc = team_id ? rf_store_team_member_invite(a->store, team_id, h, v, &id, &member,
                                                         &e->err)
                           : rf_store_invite_create(a->store, h, v, &id, &e->err);
    if (rc)
        return rc;
    char link[128];
    snprintf(link, sizeof link, "/invite.html#%s", token);
    *out = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:I}", "id", (json_int_t)id, "token", token, "link",
                     link, "role", v->role, "label", v->label, "expires", (json_int_t)v->expires);
    if (*out && team_id) {
        json_object_set_new(*out, "member", json_integer(member));
        json_object_set_new(*out, "team", json_integer(team_id));
    }
    if (*out && v->posting_id)
        json_object_set_new(*out, "posting",
                            json_pack("{s:I,s:s}", "id", (json_int_t)v->posting_id, "title",
                                      posting_title ? posting_title : ""));
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

rf_status rf_app_invite_create(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to invite candidates");
    const char *label, *role;
    rf_status rc;
    if ((rc = rf_app_opt_string(req, "label", 200, &label, e)) ||
        (rc = rf_app_opt_string(req, "role", 64, &role, e)))
        return rc;
    int64_t posting = 0;
    struct rf_posting po;
    memset(&po, 0, sizeof po);
    const json_t *pv = json_object_get(req, "posting");
    if (pv && !json_is_null(pv)) {
        if (!json_is_integer(pv))
            return rf_app_fail(e, RF_EINVAL, "posting", "field 'posting' must be a posting id");
        posting = json_integer_value(pv);
        if ((rc = org_posting(a, p, posting, "posting", &po, e)))
            return rc;
    }
    if (role && !rf_roles_find(&a->car.roles, role))
        rc = rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role);
    else if (!role && !posting)
        rc = rf_app_fail(e, RF_EINVAL, "role",
                         "an invite needs a posting (its test measures the posting) or the "
                         "target role of the test");
    struct rf_invite v = {.org_id = p->org_id,
                          .posting_id = posting,
                          .created_by = p->user_id,
                          .role = (char *)role,
                          .label = (char *)label};
    if (!rc)
        rc = rf_app_invite_new(a, &v, po.title, 0, out, e);
    rf_store_posting_cleanup(&po);
    return rc;
}

/* ---- top-ups ---- */

/* The skills of the posting's requirements that profile pr did not measure
 * (none of a requirement's skills in it) and the bank has questions for. */
static size_t missing_skills(struct rf_app *a, const struct rf_parsed_posting *pp,
                             const struct rf_profile *pr, size_t *out)
{
    size_t n = 0;
    for (size_t r = 0; r < pp->nreqs; r++) {
        size_t m = 0;
        (void)rf_posting_req_p(&pp->reqs[r], &a->car.tax, pr, &m);
        if (m)
            continue;
        for (size_t k = 0; k < pp->reqs[r].nskills && n < RF_CAT_MAX_SCOPE; k++) {
            size_t sk = pp->reqs[r].skills[k], ps, j = 0;
            while (j < n && out[j] != sk)
                j++;
            if (j == n && !rf_cat_pool_skill(rf_app_pool(a, 1), a->car.tax.skills[sk].id, &ps) &&
                rf_app_pool(a, 1)->nusable[ps] > 0)
                out[n++] = sk;
        }
    }
    return n;
}

rf_status rf_app_invite_topup(struct rf_app *a, const struct rf_principal *p, int64_t posting,
                              const json_t *req, json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to invite candidates");
    const json_t *tv = json_object_get(req, "test");
    if (!json_is_integer(tv))
        return rf_app_fail(e, RF_EINVAL, "test", "field 'test' must be the id of a finished test");
    struct rf_posting po;
    rf_status rc = org_posting(a, p, posting, NULL, &po, e);
    if (rc)
        return rc;
    struct rf_test t;
    memset(&t, 0, sizeof t);
    rc = rf_store_test_get(a->store, json_integer_value(tv), &t, &e->err);
    /* a team member's test that is not shared is not the staff's to top up */
    if (rc == RF_ENOTFOUND ||
        (!rc && (t.org_id != p->org_id || !rf_app_team_staff_may_read(a, &t))))
        rc = rf_app_fail(e, RF_ENOTFOUND, "test", "no test %lld in your organization",
                         (long long)json_integer_value(tv));
    else if (!rc && (strcmp(t.status, "finished") != 0 || !t.profile))
        rc = rf_app_fail(e, RF_ECONFLICT, "test",
                         "test %lld is not finished: a top-up adds to a finished test",
                         (long long)t.id);
    struct rf_parsed_posting pp;
    struct rf_profile pr;
    memset(&pp, 0, sizeof pp);
    memset(&pr, 0, sizeof pr);
    size_t skills[RF_CAT_MAX_SCOPE], n = 0;
    if (!rc)
        rc = rf_app_posting_reading(a, &po, &pp, e);
    if (!rc && (rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile), &pr,
                                      &e->err)))
        rf_app_log(a, "top-up: test %lld: %s", (long long)t.id, e->err.msg);
    if (!rc && !(n = missing_skills(a, &pp, &pr, skills)))
        rc = rf_app_fail(e, RF_ECONFLICT, "test",
                         "test %lld measured every requirement of this posting that the bank "
                         "has questions for: nothing to top up",
                         (long long)t.id);
    char *label = NULL, *role = NULL;
    json_t *sk = NULL;
    if (!rc) {
        struct rf_invite orig;
        memset(&orig, 0, sizeof orig);
        if (t.invite_id && rf_store_invite_get(a->store, t.invite_id, &orig, NULL) == RF_OK &&
            orig.label)
            label = rf_strdup(orig.label);
        rf_store_invite_cleanup(&orig);
        json_t *sc = json_loads(t.scope, 0, NULL);
        const char *r = json_string_value(json_object_get(sc, "role"));
        role = r ? rf_strdup(r) : NULL;
        json_decref(sc);
        sk = json_array();
        for (size_t i = 0; sk && i < n; i++)
            json_array_append_new(sk, json_string(a->car.tax.skills[skills[i]].id));
    }
    char *skj = sk ? json_dumps(sk, JSON_COMPACT) : NULL;
    if (!rc && !skj)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc) {
        struct rf_invite v = {.org_id = p->org_id,
                              .posting_id = posting,
                              .created_by = p->user_id,
                              .role = role,
                              .label = label,
                              .topup_of = t.id,
                              .skills = skj};
        rc = rf_app_invite_new(a, &v, po.title, 0, out, e);
    }
    if (!rc) {
        json_object_set_new(*out, "topup_of", json_integer(t.id));
        json_object_set(*out, "skills", sk);
    }
    json_decref(sk);
    free(skj);
    free(label);
    free(role);
    rf_profile_cleanup(&pr);
    rf_posting_cleanup(&pp);
    rf_store_test_cleanup(&t);
    rf_store_posting_cleanup(&po);
    return rc;
}

/* ---- listing and reading invites ---- */

/* "not used", "in progress", "finished" or "expired": t is the invite's
 * test (NULL when it has none). */
static const char *invite_state(const struct rf_invite *v, const struct rf_test *t, int64_t now)
{
    if (t)
        return strcmp(t->status, "finished") == 0 ? "finished" : "in progress";
    if (v->candidate_id)
        return "in progress";
    return v->expires < now ? "expired" : "not used";
}

static void invite_to_json(void *ud, const struct rf_invite *v)
{
    json_t *j = json_pack("{s:I,s:s?,s:s?,s:I,s:b,s:I,s:I,s:s}", "id", (json_int_t)v->id, "role",
                          v->role, "label", v->label, "posting", (json_int_t)v->posting_id,
                          "used", v->candidate_id != 0, "created", (json_int_t)v->created,
                          "expires", (json_int_t)v->expires, "state",
                          invite_state(v, NULL, rf_app_now_s()));
    if (j && v->topup_of)
        json_object_set_new(j, "topup_of", json_integer(v->topup_of));
    json_array_append_new(ud, j);
}

rf_status rf_app_invites(struct rf_app *a, const struct rf_principal *p, json_t **out,
                         struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to see invites");
    json_t *arr = json_array(), *titles = json_object();
    if (!arr || !titles) {
        json_decref(arr);
        json_decref(titles);
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    rf_status rc = rf_store_invites_list(a->store, p->org_id, invite_to_json, arr, &e->err);
    /* a team member's tests are theirs: while not shared, the list shows
     * neither their test nor their top-ups */
    int64_t *priv = NULL;
    size_t npriv = 0;
    if (!rc)
        rc = rf_app_team_private_invites(a, p->org_id, &priv, &npriv, &e->err);
    /* the test of each used invite, so that the recruiter can open its report,
     * and the postings' titles (looked up after the listing: the store is not
     * re-entrant) */
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        json_int_t pid = json_integer_value(json_object_get(v, "posting"));
        if (pid) {
            char key[32];
            snprintf(key, sizeof key, "%lld", (long long)pid);
            if (!json_object_get(titles, key)) {
                struct rf_posting po;
                if (rf_store_posting_get(a->store, pid, &po, &e->err) == RF_OK) {
                    json_object_set_new(titles, key, json_string(po.title));
                    rf_store_posting_cleanup(&po);
                }
            }
            json_object_set(v, "posting_title", json_object_get(titles, key));
        }
        int64_t vid = (int64_t)json_integer_value(json_object_get(v, "id"));
        int private = rf_app_ids_have(priv, npriv, vid);
        if (private && json_object_get(v, "topup_of")) {
            json_array_remove(arr, i--);
            continue;
        }
        /* a member's unshared test: its state, as the team page shows it
         * (never its id nor how far it is) */
        if (private)
            json_object_set_new(v, "private", json_true());
        if (!json_is_true(json_object_get(v, "used")))
            continue;
        struct rf_test t;
        rf_status trc = rf_store_test_by_invite(
            a->store, (int64_t)json_integer_value(json_object_get(v, "id")), &t, &e->err);
        if (trc == RF_ENOTFOUND)
            continue;
        if (trc) {
            rc = trc;
            break;
        }
        if (!private) {
            json_object_set_new(v, "test", json_integer(t.id));
            json_object_set_new(v, "status", json_string(t.status));
            json_object_set_new(v, "answered", json_integer(t.answers));
        }
        json_object_set_new(v, "state", json_string(strcmp(t.status, "finished") == 0
                                                        ? "finished"
                                                        : "in progress"));
        rf_store_test_cleanup(&t);
    }
    json_decref(titles);
    free(priv);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "invites", arr);
    return RF_OK;
}

/* The invite of a link, if it is one (404 "not valid" otherwise). Expired
 * invites are found only when claimed: their candidate may still resume. */
static rf_status invite_of_link(struct rf_app *a, const char *token, struct rf_invite *v,
                                struct rf_app_error *e)
{
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    rf_status rc = rf_store_invite_by_token(a->store, h, v, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && !v->candidate_id && v->expires < rf_app_now_s())) {
        if (!rc)
            rf_store_invite_cleanup(v);
        return rf_app_fail(e, RF_ENOTFOUND, "invite",
                           "this invite link is not valid or has expired");
    }
    return rc;
}

rf_status rf_app_invite_info(struct rf_app *a, const char *token, enum rf_lang lang, json_t **out,
                             struct rf_app_error *e)
{
    struct rf_invite v;
    rf_status rc = invite_of_link(a, token, &v, e);
    if (rc)
        return rc;
    struct rf_test t;
    int has_test = v.candidate_id && rf_store_test_by_invite(a->store, v.id, &t, NULL) == RF_OK;
    char *org = NULL, *title = NULL;
    struct rf_posting po;
    if (v.posting_id && rf_store_posting_get(a->store, v.posting_id, &po, NULL) == RF_OK) {
        title = rf_strdup(po.title);
        rf_store_posting_cleanup(&po);
    }
    (void)rf_store_org_name(a->store, v.org_id, &org, NULL);
    const struct rf_role *role = v.role ? rf_roles_find(&a->car.roles, v.role) : NULL;
    int find = v.role && strcmp(v.role, RF_INVITE_FIND_ROLE) == 0;
    *out = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:b,s:s,s:b}", "role", find ? NULL : v.role,
                     "role_name",
                     role ? rf_lang_pick(lang, role->name, role->name_ja)
                     : find ? rf_report_msg(lang, "role.find")
                            : NULL,
                     "label", v.label, "posting", title, "org", org,
                     "used", v.candidate_id != 0, "state",
                     invite_state(&v, has_test ? &t : NULL, rf_app_now_s()), "resume",
                     v.candidate_id != 0 && v.resume_hash != NULL);
    if (*out && v.skills) {
        json_t *ids = json_loads(v.skills, 0, NULL), *names = json_array();
        for (size_t i = 0; names && i < json_array_size(ids); i++) {
            size_t k;
            const char *id = json_string_value(json_array_get(ids, i));
            if (id && rf_taxonomy_find(&a->car.tax, id, &k) == RF_OK)
                json_array_append_new(names,
                                      json_string(rf_lang_pick(lang, a->car.tax.skills[k].name,
                                                               a->car.tax.skills[k].name_ja)));
        }
        json_object_set_new(*out, "topup", names ? names : json_array());
        json_decref(ids);
    }
    if (has_test)
        rf_store_test_cleanup(&t);
    free(org);
    free(title);
    rf_store_invite_cleanup(&v);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* ---- resume codes ---- */

static const char code_chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/* The code as typed, upper-cased, without spaces and dashes; 0 when it is
 * not RF_RESUME_CODE_CHARS of the code's characters. */
static int normal_code(const char *in, char out[RF_RESUME_CODE_CHARS + 1])
{
    size_t n = 0;
    for (; *in; in++) {
        if (*in == '-' || *in == ' ')
            continue;
        char c = (char)toupper((unsigned char)*in);
        if (n == RF_RESUME_CODE_CHARS || !strchr(code_chars, c) || c == '\0')
            return 0;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == RF_RESUME_CODE_CHARS;
}

rf_status rf_app_resume_code_new(struct rf_app *a, int64_t invite_id,
                                 char code[RF_RESUME_CODE_CHARS + 2], struct rf_err *err)
{
    char plain[RF_RESUME_CODE_CHARS + 1], h[RF_TOKEN_HASH_LEN];
    for (size_t i = 0; i < RF_RESUME_CODE_CHARS; i++)
        plain[i] = code_chars[randombytes_uniform((uint32_t)(sizeof code_chars - 1))];
    plain[RF_RESUME_CODE_CHARS] = '\0';
    rf_auth_token_hash(plain, h);
    rf_status rc = rf_store_invite_set_resume(a->store, invite_id, h, err);
    if (rc)
        return rc;
    /* shown in two halves: ABCD-EFGH */
    size_t half = RF_RESUME_CODE_CHARS / 2;
    memcpy(code, plain, half);
    code[half] = '-';
    memcpy(code + half + 1, plain + half, RF_RESUME_CODE_CHARS - half + 1);
    return RF_OK;
}

rf_status rf_app_invite_resume(struct rf_app *a, const char *token, const json_t *req,
                               char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN],
                               int64_t *retry_s, json_t **out, struct rf_app_error *e)
{
    new_token[0] = new_csrf[0] = '\0';
    *retry_s = 0;
    const char *typed;
    rf_status rc = rf_app_req_string(req, "code", 32, &typed, e);
    if (rc)
        return rc;
    struct rf_invite v;
    if ((rc = invite_of_link(a, token, &v, e)))
        return rc;
    int64_t now = rf_app_now_s();
    char plain[RF_RESUME_CODE_CHARS + 1], h[RF_TOKEN_HASH_LEN];
    struct rf_test t;
    memset(&t, 0, sizeof t);
    if (!v.candidate_id || !v.resume_hash)
        rc = rf_app_refuse(e, RF_ECONFLICT, "code", "resume_not_started",
                           "this invite's test has not started: open the link to start it");
    else if (v.resume_fails >= RF_RESUME_MAX_FAILS && now - v.resume_fail_at < RF_RESUME_LOCK_S) {
        *retry_s = RF_RESUME_LOCK_S - (now - v.resume_fail_at);
        rc = rf_app_fail(e, RF_EPERM, "code", "too many wrong codes: try again in %lld minutes",
                         (long long)((*retry_s + 59) / 60));
    }
    else if (!normal_code(typed, plain) ||
             (rf_auth_token_hash(plain, h), !rf_auth_equal(h, v.resume_hash))) {
        (void)rf_store_invite_resume_result(a->store, v.id, 0, now, NULL);
        rf_app_log(a, "invite %lld: wrong resume code", (long long)v.id);
        rc = rf_app_refuse(e, RF_EPERM, "code", "resume_code_wrong",
                           "this resume code is not the one shown when the test started");
    }
    if (!rc)
        rc = rf_store_invite_resume_result(a->store, v.id, 1, now, &e->err);
    if (!rc)
        rc = rf_store_test_by_invite(a->store, v.id, &t, &e->err);
    /* A new session of the invite's candidate in this browser. */
    if (!rc)
        rc = rf_app_session_new(a, 0, v.candidate_id, new_token, new_csrf, &e->err);
    if (!rc)
        *out = json_pack("{s:I,s:s}", "test", (json_int_t)t.id, "status", t.status);
    if (!rc && !*out)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc)
        rf_app_log(a, "invite %lld: test %lld resumed in another browser", (long long)v.id,
                   (long long)t.id);
    rf_store_test_cleanup(&t);
    rf_store_invite_cleanup(&v);
    return rc;
}
