/*
 * Invites (app.h): a recruiter creates a link for a target role (optionally
 * for a posting), lists the organization's invites with the test each one
 * led to, and a candidate's browser reads what a link is for. Claiming a link
 * happens when its test starts (rf_app_test_start, app_tests.c).
 */
#include "server/app.h"

#include <stdio.h>

#include "careers/roles.h"
#include "server/app_flow.h"
#include "server/auth.h"
#include "store/store.h"

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
    const json_t *pv = json_object_get(req, "posting");
    if (pv && !json_is_null(pv)) {
        if (!json_is_integer(pv))
            return rf_app_fail(e, RF_EINVAL, "posting", "field 'posting' must be a posting id");
        posting = json_integer_value(pv);
        struct rf_posting po;
        rc = rf_store_posting_get(a->store, posting, &po, &e->err);
        if (rc == RF_ENOTFOUND || (!rc && po.org_id != p->org_id)) {
            if (!rc)
                rf_store_posting_cleanup(&po);
            return rf_app_fail(e, RF_ENOTFOUND, "posting", "no posting %lld in your organization",
                               (long long)posting);
        }
        if (rc)
            return rc;
        rf_store_posting_cleanup(&po);
    }
    if (role && !rf_roles_find(&a->car.roles, role))
        return rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role);
    if (!role)
        return rf_app_fail(e, RF_EINVAL, "role", "an invite needs the target role of the test");
    char token[RF_TOKEN_LEN], h[RF_TOKEN_HASH_LEN];
    rf_auth_token(token);
    rf_auth_token_hash(token, h);
    struct rf_invite v = {0,
                          p->org_id,
                          posting,
                          p->user_id,
                          0,
                          (char *)role,
                          (char *)label,
                          0,
                          rf_app_now_s() + RF_INVITE_LIFETIME};
    int64_t id;
    if ((rc = rf_store_invite_create(a->store, h, &v, &id, &e->err)))
        return rc;
    char link[128];
    snprintf(link, sizeof link, "/invite.html#%s", token);
    *out = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:I}", "id", (json_int_t)id, "token", token, "link",
                     link, "role", role, "label", label, "expires", (json_int_t)v.expires);
    return RF_OK;
}

static void invite_to_json(void *ud, const struct rf_invite *v)
{
    json_array_append_new(ud, json_pack("{s:I,s:s?,s:s?,s:I,s:b,s:I,s:I}", "id", (json_int_t)v->id,
                                        "role", v->role, "label", v->label, "posting",
                                        (json_int_t)v->posting_id, "used", v->candidate_id != 0,
                                        "created", (json_int_t)v->created, "expires",
                                        (json_int_t)v->expires));
}

rf_status rf_app_invites(struct rf_app *a, const struct rf_principal *p, json_t **out,
                         struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter to see invites");
    json_t *arr = json_array();
    rf_status rc = rf_store_invites_list(a->store, p->org_id, invite_to_json, arr, &e->err);
    /* the test of each used invite, so that the recruiter can open its report
     * (looked up after the listing: the store is not re-entrant) */
    for (size_t i = 0; !rc && i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
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
        json_object_set_new(v, "test", json_integer(t.id));
        json_object_set_new(v, "status", json_string(t.status));
        json_object_set_new(v, "answered", json_integer(t.answers));
        rf_store_test_cleanup(&t);
    }
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_pack("{s:o}", "invites", arr);
    return RF_OK;
}

rf_status rf_app_invite_info(struct rf_app *a, const char *token, json_t **out,
                             struct rf_app_error *e)
{
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    struct rf_invite v;
    rf_status rc = rf_store_invite_by_token(a->store, h, &v, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && v.expires < rf_app_now_s())) {
        if (!rc)
            rf_store_invite_cleanup(&v);
        return rf_app_fail(e, RF_ENOTFOUND, "invite",
                           "this invite link is not valid or has expired");
    }
    if (rc)
        return rc;
    *out =
        json_pack("{s:s?,s:s?,s:b}", "role", v.role, "label", v.label, "used", v.candidate_id != 0);
    rf_store_invite_cleanup(&v);
    return RF_OK;
}
