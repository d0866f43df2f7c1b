/* Accounts and tokens (issue 21): sign-in does not tell an unknown e-mail
 * address from a wrong password, in reply or in work (the dummy hash costs
 * what a real one does) or in throttling; adding an account whose address
 * another organization uses answers as for one of the admin's own; every
 * token works only for its purpose; signing in never keeps a planted
 * session. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "fixture.h"
#include "server/app.h"
#include "server/auth.h"

static void start(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

/* The lengths of the '$'-separated fields of an encoded argon2 hash. */
static size_t field_lengths(const char *h, size_t *len, size_t cap)
{
    size_t n = 0;
    for (const char *p = h; n < cap; n++) {
        const char *q = strchr(p, '$');
        len[n] = q ? (size_t)(q - p) : strlen(p);
        if (!q)
            return n + 1;
        p = q + 1;
    }
    return n;
}

Test(accounts, the_dummy_hash_costs_what_a_real_one_does)
{
    struct rf_err err;
    cr_assert_eq(rf_auth_init(&err), RF_OK);
    char real[RF_PWHASH_LEN];
    cr_assert_eq(rf_auth_hash_password("a long enough password", real, &err), RF_OK);
    const char *dummy = rf_auth_dummy_hash();
    /* a well-formed argon2id hash with the cost parameters of real ones
     * (needs_rehash is -1 for a malformed hash, 1 for other parameters) */
    cr_assert_eq(crypto_pwhash_str_needs_rehash(dummy, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                crypto_pwhash_MEMLIMIT_INTERACTIVE),
                 0, "%s", dummy);
    cr_assert_eq(crypto_pwhash_str_needs_rehash(real, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                crypto_pwhash_MEMLIMIT_INTERACTIVE),
                 0, "%s", real);
    /* the same parameters text, salt length and hash length */
    size_t a[8], b[8];
    size_t na = field_lengths(dummy, a, 8), nb = field_lengths(real, b, 8);
    cr_assert_eq(na, nb);
    for (size_t i = 0; i < na; i++)
        cr_assert_eq(a[i], b[i], "field %zu: %zu against %zu (%s / %s)", i, a[i], b[i], dummy,
                     real);
    /* "$argon2id$v=19$m=...,t=...,p=...$": the text before the salt */
    size_t head = a[0] + a[1] + a[2] + a[3] + 4;
    cr_assert_eq(strncmp(dummy, real, head), 0, "%s / %s", dummy, real);
    cr_assert(!rf_auth_check_password(dummy, "a long enough password"));
    cr_assert(!rf_auth_check_password(dummy, ""));
}

/* POST /api/login with email, password and organization (NULL: none given):
 * the status and the raw body in body. */
static int sign_in_at(const char *org, const char *email, const char *password, char *body,
                      size_t n)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    char req[256];
    if (org)
        snprintf(req, sizeof req,
                 "{\"email\":\"%s\",\"password\":\"%s\",\"organization\":\"%s\"}", email,
                 password, org);
    else
        snprintf(req, sizeof req, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    cr_assert_eq(client_do(&c, "POST", "/api/login", req, &r), 0);
    int st = r.status;
    snprintf(body, n, "%s", r.body);
    cr_assert(!c.cookie[0] || st == 200, "a refused sign-in set a cookie");
    http_result_free(&r);
    return st;
}

Test(accounts, sign_in_does_not_tell_unknown_addresses_from_wrong_passwords, .init = start,
     .fini = stop)
{
    struct http_client a = fixture_admin();
    struct http_client o = fixture_other_recruiter();
    (void)a;
    (void)o;
    const char *who[] = {"ada@acme.test", "olga@other.test", "nobody@other.test"};
    char first[512] = "", body[512];
    /* every failure up to the throttle, then the throttle's reply: each the
     * same for an account of this organization, of another, and for none */
    for (int k = 0; k < RF_THROTTLE_FREE + 2; k++) {
        int want = k <= RF_THROTTLE_FREE ? 401 : 429;
        for (size_t i = 0; i < 3; i++) {
            int st = sign_in_at("Acme", who[i], "a wrong password", body, sizeof body);
            cr_assert_eq(st, want, "attempt %d for %s: %d: %s", k + 1, who[i], st, body);
            if (i == 0)
                snprintf(first, sizeof first, "%s", body);
            else
                cr_assert_str_eq(body, first, "attempt %d: %s and %s answer differently", k + 1,
                                 who[0], who[i]);
        }
    }
}

/* POST /api/users as admin a: an account of email with password; the status. */
static int add_account(struct http_client *a, const char *email, const char *password,
                       char *body, size_t n)
{
    char req[256];
    snprintf(req, sizeof req, "{\"email\":\"%s\",\"name\":\"X\",\"password\":\"%s\"}", email,
             password);
    struct http_result r;
    cr_assert_eq(client_do(a, "POST", "/api/users", req, &r), 0);
    int st = r.status;
    snprintf(body, n, "%s", r.body);
    http_result_free(&r);
    return st;
}

/* Addresses are unique per organization: an address another organization
 * has is free in the admin's own (no 409 that would tell it exists), and
 * one's own organization still refuses a second account of one address. */
Test(accounts, another_organizations_address_is_free_in_ones_own, .init = start, .fini = stop)
{
    struct http_client a = fixture_admin();
    struct http_client o = fixture_other_recruiter();
    (void)o;
    char body[512];
    int st = add_account(&a, "rex@acme.test", "a long enough password", body, sizeof body);
    cr_assert_eq(st, 201, "%s", body);
    st = add_account(&a, "OLGA@other.test", "a long enough password", body, sizeof body);
    cr_assert_eq(st, 201, "another organization's address: %s", body);
    st = add_account(&a, "Rex@Acme.test", "another long password", body, sizeof body);
    cr_assert_eq(st, 409, "%s", body);
    cr_assert(strstr(body, "\"field\":\"email\"") || strstr(body, "\"field\": \"email\""), "%s",
              body);
}

/* /api/me as c: the user's organization, or 0 when not signed in. */
static json_int_t me_org(struct http_client *c)
{
    struct http_result r;
    cr_assert_eq(client_do(c, "GET", "/api/me", NULL, &r), 0);
    json_int_t org = json_integer_value(json_object_get(json_object_get(r.json, "user"),
                                                        "organization"));
    http_result_free(&r);
    return org;
}

/* One address in two organizations: sign-in asks for the organization,
 * whatever the address, signs in to the one named (by name, in any case),
 * and each account has its own throttle. */
Test(accounts, one_address_in_two_organizations, .init = start, .fini = stop)
{
    struct http_client a = fixture_admin();
    struct http_client o = fixture_other_recruiter();
    (void)o;
    char body[512], first[512];
    cr_assert_eq(add_account(&a, "olga@other.test", "olga of acme password", body, sizeof body),
                 201, "%s", body);
    struct http_result r;
    cr_assert_eq(client_do(&a, "GET", "/api/me", NULL, &r), 0);
    cr_assert(json_is_true(json_object_get(r.json, "organization_required")), "%s", r.body);
    http_result_free(&r);
    /* no organization: the same 400 for an address of both, of one, of none */
    const char *who[] = {"olga@other.test", "ada@acme.test", "nobody@x.test"};
    for (size_t i = 0; i < 3; i++) {
        int st = sign_in_at(NULL, who[i], "other password", body, sizeof body);
        cr_assert_eq(st, 400, "%s: %s", who[i], body);
        cr_assert(strstr(body, "organization"), "%s", body);
        if (i == 0)
            snprintf(first, sizeof first, "%s", body);
        else
            cr_assert_str_eq(body, first);
    }
    /* the organization named picks the account */
    struct http_client c = {fx.port, "", ""};
    cr_assert_eq(client_do(&c, "POST", "/api/login",
                           "{\"email\":\"olga@other.test\",\"password\":\"olga of acme "
                           "password\",\"organization\":\"acme\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    json_int_t acme = me_org(&c), other = me_org(&o);
    cr_assert(acme && other && acme != other, "%lld %lld", (long long)acme, (long long)other);
    cr_assert_eq(sign_in_at("Acme", "olga@other.test", "other password", body, sizeof body), 401,
                 "Other's password does not open Acme's account: %s", body);
    cr_assert(strstr(body, "wrong organization, email or password"), "%s", body);
    cr_assert_eq(sign_in_at("Initech", "olga@other.test", "other password", body, sizeof body),
                 401, "%s", body);
    cr_assert(strstr(body, "wrong organization, email or password"), "%s", body);
    /* Other's olga is throttled (in any case of the name); Acme's is not */
    for (int k = 0; k < RF_THROTTLE_FREE + 1; k++)
        cr_assert_eq(sign_in_at("Other", "olga@other.test", "a wrong password", body, sizeof body),
                     401, "attempt %d: %s", k + 1, body);
    cr_assert_eq(sign_in_at("OTHER", "Olga@Other.test", "other password", body, sizeof body), 429,
                 "%s", body);
    cr_assert_eq(sign_in_at("Acme", "olga@other.test", "olga of acme password", body, sizeof body),
                 200, "%s", body);
}

/* /api/me as the holder of cookie value tok: 1 when it names a user or a candidate. */
static int signed_in_as(const char *tok)
{
    struct http_client c = {fx.port, "", ""};
    snprintf(c.cookie, sizeof c.cookie, "rf_session=%s", tok);
    struct http_result r;
    cr_assert_eq(client_do(&c, "GET", "/api/me", NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    int who = json_object_get(r.json, "user") || json_object_get(r.json, "candidate");
    http_result_free(&r);
    return who;
}

/* POST /api/setup with token as the setup token: the status. */
static int setup_with(const char *token)
{
    struct http_client c = {fx.port, "", ""};
    char body[512];
    snprintf(body, sizeof body,
             "{\"token\":\"%s\",\"organization\":\"Evil\",\"name\":\"E\","
             "\"email\":\"e@evil.test\",\"password\":\"long enough password\"}",
             token);
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/setup", body, &r), 0);
    int st = r.status;
    http_result_free(&r);
    return st;
}

/* A walk-in candidate: a practice test started without a cookie. */
static struct http_client walk_in(void)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/tests", "{\"skills\":[\"deep_learning\"]}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    http_result_free(&r);
    cr_assert(c.cookie[0] && c.csrf[0]);
    return c;
}

Test(accounts, every_token_works_for_its_purpose_only, .init = start, .fini = stop)
{
    char setup[128];
    snprintf(setup, sizeof setup, "%s", fx.setup_token);
    cr_assert(!signed_in_as(setup), "the setup token is a session");
    /* before the setup: a candidate's session and CSRF tokens are no setup tokens */
    struct http_client walkin = walk_in();
    struct http_result r;
    cr_assert_eq(setup_with(strchr(walkin.cookie, '=') + 1), 403, "a session sets up");
    cr_assert_eq(setup_with(walkin.csrf), 403, "a CSRF token sets up");
    struct http_client a = fixture_admin();
    const char *staff = strchr(a.cookie, '=') + 1;
    cr_assert(signed_in_as(staff));
    cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"data_analyst\"}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    char invite[128];
    snprintf(invite, sizeof invite, "%s", json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);

    /* the invite token, the CSRF token and the used setup token are no sessions */
    cr_assert(!signed_in_as(invite), "the invite token is a session");
    cr_assert(!signed_in_as(a.csrf), "the CSRF token is a session");
    cr_assert(!signed_in_as(setup), "the used setup token is a session");
    /* a session token, a CSRF token are no invites */
    const char *not_invites[] = {staff, a.csrf};
    for (size_t i = 0; i < 2; i++) {
        char path[200], body[200];
        snprintf(path, sizeof path, "/api/invites/%s", not_invites[i]);
        struct http_client anon = {fx.port, "", ""};
        cr_assert_eq(client_do(&anon, "GET", path, NULL, &r), 0);
        cr_assert_eq(r.status, 404, "token %zu opens an invite: %s", i, r.body);
        http_result_free(&r);
        snprintf(body, sizeof body, "{\"invite\":\"%s\"}", not_invites[i]);
        cr_assert_eq(client_do(&anon, "POST", "/api/tests", body, &r), 0);
        cr_assert_eq(r.status, 404, "token %zu starts an invited test: %s", i, r.body);
        http_result_free(&r);
    }
    /* a candidate's session is no staff session */
    struct http_client cand = {fx.port, "", ""};
    char body[200];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", invite);
    cr_assert_eq(client_do(&cand, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&cand, "GET", "/api/invites", NULL, &r), 0);
    cr_assert_eq(r.status, 403, "a candidate lists invites: %s", r.body);
    http_result_free(&r);
}

/* Session fixation at sign-in: a planted (candidate) cookie is replaced, and
 * the planted session does not become the staff member's. */
Test(accounts, signing_in_replaces_a_planted_session, .init = start, .fini = stop)
{
    struct http_client a = fixture_admin();
    (void)a;
    struct http_client mallory = walk_in();
    struct http_result r;
    struct http_client victim = mallory;
    cr_assert_eq(client_do(&victim, "POST", "/api/login",
                           "{\"email\":\"ada@acme.test\",\"password\":\"correct horse\"}", &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    cr_assert_str_neq(victim.cookie, mallory.cookie, "the session was not rotated");
    cr_assert_eq(client_do(&mallory, "GET", "/api/me", NULL, &r), 0);
    cr_assert_null(json_object_get(r.json, "user"), "the planted session became staff: %s",
                   r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&victim, "GET", "/api/me", NULL, &r), 0);
    cr_assert(json_object_get(r.json, "user"), "%s", r.body);
    http_result_free(&r);
}

/* Several `rolefit serve` started together on a fresh database each print a
 * setup token: every printed token works at any process, and only one setup
 * gets through (before, the last process to start replaced the others'). */
Test(accounts, every_processs_setup_token_works_and_one_setup_passes)
{
    char dir[] = "/tmp/rf-setup-XXXXXX", db[64];
    cr_assert(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/t.db", dir);
    struct rf_app_config cfg = {.db = db, .bank_dir = "data/bank", .data_dir = "data",
                                .web_dir = "web"};
    struct rf_app *a, *b;
    struct rf_err err;
    cr_assert_eq(rf_app_open(&cfg, &a, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_app_open(&cfg, &b, &err), RF_OK, "%s", err.msg);
    char ta[RF_TOKEN_LEN], tb[RF_TOKEN_LEN];
    cr_assert_eq(rf_app_setup_token(a, ta, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_app_setup_token(b, tb, &err), RF_OK, "%s", err.msg);
    cr_assert(ta[0] && tb[0] && strcmp(ta, tb), "each process has its own token");

    json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:s}", "token", "not a token", "organization",
                            "Acme", "name", "Ada", "email", "ada@example.com", "password",
                            "quiet-lantern-47-Orbit");
    struct rf_app_error e;
    int64_t uid = 0;
    cr_assert_eq(rf_app_setup(b, req, &uid, &e), RF_EPERM, "an unknown token sets up: %s", e.err.msg);
    /* the first process's token, at the second process, after the second started */
    json_object_set_new(req, "token", json_string(ta));
    cr_assert_eq(rf_app_setup(b, req, &uid, &e), RF_OK, "%s", e.err.msg);
    cr_assert(uid > 0);
    json_object_set_new(req, "token", json_string(tb));
    json_object_set_new(req, "email", json_string("eve@example.com"));
    cr_assert_eq(rf_app_setup(a, req, &uid, &e), RF_ECONFLICT, "a second setup passes");
    cr_assert_eq(rf_app_setup_token(a, ta, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(ta[0], '\0', "a token is made after setup");
    json_decref(req);
    rf_app_close(a);
    rf_app_close(b);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
