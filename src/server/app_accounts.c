/*
 * Setup, sign-in and accounts (app.h): the first admin from the setup token,
 * password sign-in, cookie sessions and who they belong to, and the accounts
 * an admin adds to the organization.
 */
#include "server/app.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lang.h"
#include "server/app_flow.h"
#include "server/auth.h"
#include "server/sesscache.h"
#include "store/store.h"

/* A new account's address and password: the address must look like one, the
 * password must satisfy the policy; *ph gets its hash (argon2id, slow). */
static rf_status new_credentials(struct rf_app *a, const char *email, const char *password,
                                 char ph[RF_PWHASH_LEN], struct rf_app_error *e)
{
    if (!rf_app_valid_email(email))
        return rf_app_fail(e, RF_EINVAL, "email", "'%s' is not an email address", email);
    rf_status rc;
    if ((rc = rf_auth_password_check(&a->pw, password, email, &e->err)) ||
        (rc = rf_auth_hash_password(password, ph, &e->err))) {
        e->field = "password";
        return rc;
    }
    return RF_OK;
}

rf_status rf_app_setup(struct rf_app *a, const json_t *req, int64_t *user_id,
                       struct rf_app_error *e)
{
    const char *token, *org, *name, *email, *password;
    rf_status rc;
    if ((rc = rf_app_req_string(req, "token", 128, &token, e)) ||
        (rc = rf_app_req_string(req, "organization", 200, &org, e)) ||
        (rc = rf_app_req_string(req, "name", 200, &name, e)) ||
        (rc = rf_app_req_string(req, "email", 254, &email, e)) ||
        (rc = rf_app_req_string(req, "password", 256, &password, e)))
        return rc;
    int64_t n;
    if ((rc = rf_store_user_count(a->store, &n, &e->err)))
        return rc;
    if (n > 0)
        return rf_app_fail(e, RF_ECONFLICT, NULL, "setup is already done; sign in instead");
    char ph[RF_PWHASH_LEN];
    if ((rc = new_credentials(a, email, password, ph, e)))
        return rc;
    /* the token is consumed atomically: of two setups racing, one wins */
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    char key[sizeof RF_SETUP_TOKEN_KEY + RF_TOKEN_HASH_LEN];
    snprintf(key, sizeof key, "%s%s", RF_SETUP_TOKEN_KEY, h);
    rc = rf_store_setting_swap(a->store, key, "open", "used", &e->err);
    if (rc == RF_ECONFLICT)
        return rf_app_fail(e, RF_EPERM, "token",
                           "the setup token is not valid (see the server log)");
    if (rc)
        return rc;
    /* any process's token works, but only one setup gets through */
    rc = rf_store_setting_swap(a->store, "setup_state", "open", "done", &e->err);
    if (rc == RF_ECONFLICT)
        return rf_app_fail(e, RF_ECONFLICT, NULL, "setup is already done; sign in instead");
    if (rc)
        return rc;
    int64_t org_id;
    if ((rc = rf_store_org_create(a->store, org, &org_id, &e->err)) ||
        (rc = rf_store_user_create(a->store, org_id, email, name, "admin", ph, user_id, &e->err)))
        return rc;
    rf_app_log(a, "setup: created organization '%s' and admin %s", org, email);
    return RF_OK;
}

/* Appends text to buf (n bytes, *o used), ASCII letters in lower case. */
static void put_folded(char *buf, size_t n, size_t *o, const char *text)
{
    for (; *text && *o + 1 < n; text++)
        buf[(*o)++] = (char)tolower((unsigned char)*text);
    buf[*o] = '\0';
}

rf_status rf_app_signin_read(struct rf_app *a, const json_t *req, struct rf_app_signin *in,
                             struct rf_app_error *e)
{
    memset(in, 0, sizeof *in);
    rf_status rc;
    if ((rc = rf_app_req_string(req, "email", 254, &in->email, e)) ||
        (rc = rf_app_req_string(req, "password", 256, &in->password, e)) ||
        (rc = rf_app_opt_string(req, "organization", 200, &in->org, e)))
        return rc;
    if (in->org && !in->org[0])
        in->org = NULL;
    rc = rf_store_org_find(a->store, in->org, &in->org_id, &e->err);
    if (rc == RF_ECONFLICT)
        return rf_app_fail(e, RF_EINVAL, "organization",
                           "this server has several organizations: give the name of yours");
    if (rc == RF_ENOTFOUND)
        in->org_id = 0; /* signs nobody in, with the work of a wrong password */
    else if (rc)
        return rc;
    /* the throttle counts per organization and address: by id when the
     * organization exists (its name may be written in any case), else by
     * the name given */
    size_t o = 0;
    if (in->org_id)
        o = (size_t)snprintf(in->account, sizeof in->account, "%lld\n", (long long)in->org_id);
    else {
        put_folded(in->account, sizeof in->account, &o, in->org ? in->org : "");
        put_folded(in->account, sizeof in->account, &o, "?\n");
    }
    put_folded(in->account, sizeof in->account, &o, in->email);
    return RF_OK;
}

rf_status rf_app_login(struct rf_app *a, const struct rf_app_signin *in, int64_t *user_id,
                       struct rf_app_error *e)
{
    const char *wrong =
        in->org ? "wrong organization, email or password" : "wrong email or password";
    struct rf_user u;
    rf_status rc = in->org_id ? rf_store_user_by_email(a->store, in->org_id, in->email, &u, &e->err)
                              : RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND) {
        /* same work and answer as a wrong password */
        rf_auth_check_password(rf_auth_dummy_hash(), in->password);
        return rf_app_fail(e, RF_EPERM, NULL, "%s", wrong);
    }
    if (rc)
        return rc;
    int ok = rf_auth_check_password(u.pw_hash, in->password);
    *user_id = u.id;
    rf_store_user_cleanup(&u);
    if (!ok)
        return rf_app_fail(e, RF_EPERM, NULL, "%s", wrong);
    return RF_OK;
}

rf_status rf_app_session_new(struct rf_app *a, int64_t user_id, int64_t candidate_id,
                             char token[RF_TOKEN_LEN], char csrf[RF_TOKEN_LEN], struct rf_err *err)
{
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token(token);
    rf_auth_token(csrf);
    rf_auth_token_hash(token, h);
    struct rf_auth au = {user_id, candidate_id, csrf, rf_app_now_s() + RF_AUTH_LIFETIME, 0, NULL};
    return rf_store_auth_create(a->store, h, &au, err);
}

rf_status rf_app_principal(struct rf_app *a, const char *token, struct rf_principal *p,
                           struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    if (!token || !token[0] || strlen(token) >= RF_TOKEN_LEN)
        return RF_OK;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    return rf_app_principal_of_hash(a, h, p, err);
}

rf_status rf_app_principal_of_hash(struct rf_app *a, const char *h, struct rf_principal *p,
                                   struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    struct rf_auth au;
    rf_status rc = rf_store_auth_get(a->store, h, rf_app_now_s(), &au, err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    /* the owner's organization and role came with the session (one query) */
    snprintf(p->csrf, sizeof p->csrf, "%s", au.csrf);
    if (au.user_id) {
        p->user_id = au.user_id;
        p->org_id = au.org_id;
        snprintf(p->role, sizeof p->role, "%s", au.role);
    } else if (au.candidate_id) {
        p->candidate_id = au.candidate_id;
        p->org_id = au.org_id;
        snprintf(p->role, sizeof p->role, "candidate");
        rf_whocache_put(a->who, h, au.candidate_id, au.org_id, au.csrf, au.expires);
    }
    rf_store_auth_cleanup(&au);
    return RF_OK;
}

int rf_app_principal_remembered(struct rf_app *a, const char *token, struct rf_principal *p,
                                char hash[RF_TOKEN_HASH_LEN])
{
    memset(p, 0, sizeof *p);
    hash[0] = '\0';
    if (!token || !token[0] || strlen(token) >= RF_TOKEN_LEN)
        return 0;
    rf_auth_token_hash(token, hash);
    if (!rf_whocache_get(a->who, hash, rf_app_now_s(), &p->candidate_id, &p->org_id, p->csrf,
                         sizeof p->csrf)) {
        hash[0] = '\0';
        return 0;
    }
    snprintf(p->role, sizeof p->role, "candidate");
    return 1;
}

rf_status rf_app_logout(struct rf_app *a, const char *token, struct rf_err *err)
{
    if (!token || !token[0])
        return RF_OK;
    char h[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, h);
    rf_whocache_drop(a->who, h);
    return rf_store_auth_delete(a->store, h, err);
}

/* The settings key of user id's language. */
static void lang_key(int64_t id, char key[64])
{
    snprintf(key, 64, "user_lang:%lld", (long long)id);
}

/* The language user id chose: 1 and *out, or 0 when none (or unreadable). */
static int user_lang(struct rf_app *a, int64_t id, enum rf_lang *out)
{
    char key[64], *v = NULL;
    struct rf_err err;
    lang_key(id, key);
    int ok = rf_store_setting_get(a->store, key, &v, &err) == RF_OK && v &&
             rf_lang_parse(v, out) == 0;
    free(v);
    return ok;
}

rf_status rf_app_view_lang(struct rf_app *a, const struct rf_principal *p, const char *code,
                           enum rf_lang dflt, enum rf_lang *out, struct rf_app_error *e)
{
    if (code) {
        if (rf_lang_parse(code, out))
            return rf_app_fail(e, RF_EINVAL, "lang", "query 'lang': unknown language '%.16s' (%s)",
                               code, RF_LANG_CODES);
        return RF_OK;
    }
    if (!(p && p->user_id && user_lang(a, p->user_id, out)))
        *out = dflt;
    return RF_OK;
}

rf_status rf_app_me_lang(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                         json_t **out, struct rf_app_error *e)
{
    if (!p->user_id) /* any account: admin, recruiter or interviewer */
        return rf_app_fail(e, RF_EPERM, NULL,
                           "sign in with a staff account to keep a language with the account");
    const char *code;
    enum rf_lang l;
    rf_status rc = rf_app_req_string(req, "lang", 8, &code, e);
    if (rc)
        return rc;
    if (rf_lang_parse(code, &l))
        return rf_app_fail(e, RF_EINVAL, "lang", "lang: unknown language '%.16s' (%s)", code,
                           RF_LANG_CODES);
    char key[64];
    lang_key(p->user_id, key);
    if ((rc = rf_store_setting_set(a->store, key, rf_lang_code(l), &e->err)))
        return rc;
    *out = json_pack("{s:s}", "lang", rf_lang_code(l));
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

json_t *rf_app_me(struct rf_app *a, const struct rf_principal *p)
{
    json_t *j = json_object();
    json_object_set_new(j, "practice", json_boolean(a->cfg.practice));
    if (p->user_id) {
        struct rf_user u;
        struct rf_err err;
        if (rf_store_user_get(a->store, p->user_id, &u, &err) == RF_OK) {
            enum rf_lang l;
            int chosen = user_lang(a, u.id, &l);
            json_object_set_new(j, "user",
                                json_pack("{s:I,s:s,s:s,s:s,s:I,s:s?}", "id", (json_int_t)u.id,
                                          "email", u.email, "name", u.name, "role", u.role,
                                          "organization", (json_int_t)u.org_id, "lang",
                                          chosen ? rf_lang_code(l) : NULL));
            rf_store_user_cleanup(&u);
        }
    } else if (p->candidate_id) {
        json_object_set_new(j, "candidate", json_integer(p->candidate_id));
    }
    if (p->csrf[0])
        json_object_set_new(j, "csrf", json_string(p->csrf));
    int64_t n = 1;
    struct rf_err err;
    if (rf_store_user_count(a->store, &n, &err) == RF_OK)
        json_object_set_new(j, "setup_needed", json_boolean(n == 0));
    /* sign-in names the organization: a fact of the server, not of anyone */
    int64_t org;
    json_object_set_new(
        j, "organization_required",
        json_boolean(rf_store_org_find(a->store, NULL, &org, &err) == RF_ECONFLICT));
    return j;
}

rf_status rf_app_user_add(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                          json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "only an admin can add accounts");
    const char *email, *name, *password, *role;
    rf_status rc;
    if ((rc = rf_app_req_string(req, "email", 254, &email, e)) ||
        (rc = rf_app_req_string(req, "name", 200, &name, e)) ||
        (rc = rf_app_req_string(req, "password", 256, &password, e)) ||
        (rc = rf_app_opt_string(req, "role", 16, &role, e)))
        return rc;
    int admin = strcmp(p->role, "admin") == 0;
    if (!role)
        role = "recruiter";
    if (strcmp(role, "admin") && strcmp(role, "recruiter") && strcmp(role, "interviewer"))
        return rf_app_fail(e, RF_EINVAL, "role",
                           "role must be 'admin', 'recruiter' or 'interviewer'");
    if (!admin && strcmp(role, "interviewer") != 0)
        return rf_app_fail(e, RF_EPERM, NULL,
                           "only an admin can add accounts (a recruiter adds interviewers: "
                           "role 'interviewer')");
    char ph[RF_PWHASH_LEN];
    if ((rc = new_credentials(a, email, password, ph, e)))
        return rc;
    int64_t id;
    if ((rc = rf_store_user_create(a->store, p->org_id, email, name, role, ph, &id, &e->err))) {
        if (rc == RF_ECONFLICT)
            e->field = "email";
        return rc;
    }
    *out = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "email", email, "name", name,
                     "role", role);
    return RF_OK;
}
