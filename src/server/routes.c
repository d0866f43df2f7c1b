/*
 * Routes of `rolefit serve`. Every state-changing request made with a cookie
 * session must carry the session's CSRF token in X-CSRF-Token; cookies are
 * HttpOnly, SameSite=Strict, expire with the session, and carry Secure when
 * the server is reached over HTTPS (configured, or said by the trusted proxy). Rate limits answer
 * 429 with Retry-After, and so does a practice start beyond the caps on open
 * practice tests (server/shared.h: every limit holds for all the processes on one database). Static files come from the web folder only: no "..",
 * no hidden files, no directory listings.
 */
#include "server/routes.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/escape.h"
#include "base/file.h"
#include "base/lang.h"
#include "server/guard.h"
#include "server/http.h"
#include "server/pages.h"
#include "server/pow.h"
#include "server/schedule.h"
#include "server/shared.h"

struct rf_server {
    struct rf_server_config cfg;
    struct rf_app *app;
    struct rf_http *http;
    /* limits held for the whole deployment through the store (shared.h):
     * requests per address and answers per test settled in the background,
     * sign-ins per address, failed sign-ins per account and open practice
     * tests exact */
    struct rf_shared *shared;
    struct rf_shlimit *per_ip, *answers;
    int practice; /* open practice tests are capped (practice_max > 0) */
    struct rf_gate *hashing;   /* password hashes running at once (guard.h) */
    struct rf_gate *starting;  /* practice starts being written at once */
    struct rf_pow *pow;        /* proof of work for practice starts; NULL: none asked */
    struct rf_schedule *schedule; /* the review queue's runs; NULL: on request only */
    char web_root[PATH_MAX];
};

#define COOKIE "rf_session"

/* The session cookie; Secure when the server is configured to be reached
 * over HTTPS, or the trusted proxy says this request came over HTTPS. */
static void set_cookie(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                       const char *token, long max_age)
{
    char v[256];
    snprintf(v, sizeof v, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s", token,
             max_age, s->cfg.secure_cookies || req->https ? "; Secure" : "");
    rf_resp_header(resp, "Set-Cookie", v);
}

/* The reply to a failed request. A server error's reply says only "internal
 * error"; its cause (for a store error: the database file and what failed,
 * "disk full" when it is) goes to the log, always, quiet or not. */
static void fail_reason(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                        rf_status rc, const char *msg, const char *field, const char *reason,
                        json_t *detail)
{
    if (rf_http_status(rc) >= 500 && s->cfg.app.log) {
        char line[RF_ERRMSG_LEN + 320];
        snprintf(line, sizeof line, "error: %s %.200s %d: %s", req->method, req->path,
                 rf_http_status(rc), msg && msg[0] ? msg : rf_strerror(rc));
        rf_text_sanitize_line(line);
        s->cfg.app.log(line);
    }
    rf_resp_refused(resp, rc, msg, field, reason, detail);
}

static void fail(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                 rf_status rc, const char *msg, const char *field)
{
    fail_reason(s, req, resp, rc, msg, field, NULL, NULL);
}

/* On a state-changing request with a session, the CSRF check: 1 when passed. */
static int csrf_ok(const struct rf_req *req, struct rf_resp *resp, const struct rf_principal *p)
{
    int unsafe = strcmp(req->method, "GET") && strcmp(req->method, "HEAD");
    if (unsafe && p->csrf[0]) {
        const char *h = rf_req_header(req, "X-CSRF-Token");
        if (!h || !rf_auth_equal(h, p->csrf)) {
            rf_resp_error_code(resp, 403, "csrf", "missing or wrong X-CSRF-Token header", NULL);
            return 0;
        }
    }
    return 1;
}

/* The caller's principal; on a state-changing request with a session, the CSRF check. */
static int principal(struct rf_server *s, struct rf_req *req, struct rf_resp *resp,
                     struct rf_principal *p)
{
    char tok[128] = "";
    rf_req_cookie(req, COOKIE, tok, sizeof tok);
    struct rf_err err;
    rf_status rc = rf_app_principal(s->app, tok, p, &err);
    if (rc) {
        fail(s, req, resp, rc, err.msg, NULL);
        return 0;
    }
    return csrf_ok(req, resp, p);
}

/* principal() for a request whose write checks the session: a candidate's
 * session this process remembers is not read (session: its token hash, for
 * the write; "" when it was read). */
static int principal_remembered(struct rf_server *s, struct rf_req *req, struct rf_resp *resp,
                                struct rf_principal *p, char session[RF_TOKEN_HASH_LEN])
{
    char tok[128] = "";
    rf_req_cookie(req, COOKIE, tok, sizeof tok);
    if (rf_app_principal_remembered(s->app, tok, p, session))
        return csrf_ok(req, resp, p);
    session[0] = '\0';
    return principal(s, req, resp, p);
}

static void app_fail(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                     rf_status rc, const struct rf_app_error *e)
{
    /* the reason goes with the refusal it was recorded with: a later error
     * recorded in e->err alone (a store error) has none */
    int refusal = e->reason && e->err.rc == rc;
    fail_reason(s, req, resp, rc, e->err.msg, e->field, refusal ? e->reason : NULL,
                refusal ? rf_app_error_detail(e) : NULL);
}

static int parse_id(const char *s, int64_t *out)
{
    size_t v;
    if (rf_parse_size(s, &v) || v == 0 || v > (size_t)INT64_MAX)
        return 0;
    *out = (int64_t)v;
    return 1;
}

/* ---- handlers ---- */

static void h_health(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    (void)ap;
    (void)req;
    rf_resp_json(resp, 200, json_pack("{s:s,s:s}", "status", "ok", "version", RF_VERSION));
}

static void h_me(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    if (principal(s, req, resp, &p))
        rf_resp_json(resp, 200, rf_app_me(s->app, &p));
}

/* The language of the query's "lang" (absent: English) into *out; an
 * unknown code answers 400 naming the field and returns 0. */
static int query_lang(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                      enum rf_lang *out)
{
    const char *code = rf_req_query(req, "lang");
    *out = RF_EN;
    if (!code || !rf_lang_parse(code, out))
        return 1;
    char msg[96];
    snprintf(msg, sizeof msg, "query 'lang': unknown language '%.16s' (%s)", code,
             RF_LANG_CODES);
    fail(s, req, resp, RF_EINVAL, msg, "lang");
    return 0;
}

static void h_skills(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    enum rf_lang lang;
    if (query_lang(s, req, resp, &lang))
        rf_resp_json(resp, 200, rf_app_skills(s->app, lang));
}

static void h_roles(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    enum rf_lang lang;
    if (query_lang(s, req, resp, &lang))
        rf_resp_json(resp, 200, rf_app_roles(s->app, lang));
}

/* 429 with a Retry-After of the given seconds (at least 1, rounded). */
static void too_many(struct rf_resp *resp, double retry, const char *msg)
{
    char v[32];
    snprintf(v, sizeof v, "%.0f", retry < 1 ? 1 : retry + 0.5);
    rf_resp_header(resp, "Retry-After", v);
    rf_resp_error(resp, 429, msg, NULL);
}

/* A shared limit's store failed: the request is answered as its store
 * error would be (503 when the database is away). */
static void limit_failed(const struct rf_server *s, const struct rf_req *req,
                         struct rf_resp *resp, const struct rf_err *err)
{
    fail(s, req, resp, err->rc ? err->rc : RF_EDB, err->msg, NULL);
}

/* Guessing a secret (a password, a resume code) costs a token of the
 * client address's sign-in bucket, held for the whole deployment:
 * --rate-login attempts a minute, whichever account or invite they aim at. */
static int secret_try_allowed(struct rf_server *s, struct rf_req *req, struct rf_resp *resp,
                              const char *msg)
{
    double retry = 0;
    struct rf_err err;
    rf_err_clear(&err);
    int ok = rf_shared_take(s->shared, "signin", req->ip, s->cfg.app.rate_login / 60.0,
                            s->cfg.app.rate_login, &retry, &err);
    if (ok < 0)
        limit_failed(s, req, resp, &err);
    else if (!ok)
        too_many(resp, retry, msg);
    return ok > 0;
}

static int login_allowed(struct rf_server *s, struct rf_req *req, struct rf_resp *resp)
{
    return secret_try_allowed(s, req, resp, "too many sign-in attempts; wait and try again");
}

/* Takes one of the password-hashing slots, waiting briefly in a bounded
 * queue; when none frees, answers 503 with Retry-After and returns 0. */
static int hashing_enter(struct rf_server *s, struct rf_resp *resp)
{
    if (rf_gate_enter(s->hashing, RF_HASH_WAIT_SECONDS))
        return 1;
    rf_resp_header(resp, "Retry-After", "2");
    rf_resp_error(resp, 503, "the server is busy signing people in; try again in a moment",
                  NULL);
    return 0;
}

static void h_body(void *ap, struct rf_req *req, struct rf_resp *resp);

/* Adding an account hashes its password: through the same gate. */
static void h_users_add(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    if (!hashing_enter(s, resp))
        return;
    h_body(ap, req, resp);
    rf_gate_leave(s->hashing);
}

static void start_session(struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                          int64_t user_id, json_t *body, int status)
{
    char tok[RF_TOKEN_LEN], csrf[RF_TOKEN_LEN];
    struct rf_err err;
    rf_status rc = rf_app_session_new(s->app, user_id, 0, tok, csrf, &err);
    if (rc) {
        json_decref(body);
        fail(s, req, resp, rc, err.msg, NULL);
        return;
    }
    set_cookie(s, req, resp, tok, RF_AUTH_LIFETIME);
    json_object_set_new(body, "csrf", json_string(csrf));
    rf_resp_json(resp, status, body);
}

static void h_setup(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    if (!login_allowed(s, req, resp))
        return;
    json_t *j = rf_req_json(req, resp);
    if (!j)
        return;
    struct rf_app_error e = {0};
    int64_t uid;
    if (!hashing_enter(s, resp)) {
        json_decref(j);
        return;
    }
    rf_status rc = rf_app_setup(s->app, j, &uid, &e);
    rf_gate_leave(s->hashing);
    json_decref(j);
    if (rc)
        return app_fail(s, req, resp, rc, &e);
    start_session(s, req, resp, uid, json_pack("{s:I}", "user", (json_int_t)uid), 201);
}

static void h_login(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    if (!login_allowed(s, req, resp))
        return;
    json_t *j = rf_req_json(req, resp);
    if (!j)
        return;
    struct rf_app_error e = {0};
    int64_t uid;
    struct rf_app_signin in;
    rf_status rc = rf_app_signin_read(s->app, j, &in, &e);
    if (rc) {
        json_decref(j);
        return app_fail(s, req, resp, rc, &e);
    }
    /* the account's own throttle first (organization and address), held for
     * the whole deployment: a throttled attempt costs no hash */
    double retry = 0;
    struct rf_err lerr;
    rf_err_clear(&lerr);
    int allowed = rf_shared_throttle_allowed(s->shared, in.account, &retry, &lerr);
    if (allowed <= 0) {
        json_decref(j);
        if (allowed < 0)
            return limit_failed(s, req, resp, &lerr);
        return too_many(resp, retry,
                        "too many failed sign-ins for this account; wait and try again");
    }
    if (!hashing_enter(s, resp)) {
        json_decref(j);
        return;
    }
    rc = rf_app_login(s->app, &in, &uid, &e);
    rf_gate_leave(s->hashing);
    json_decref(j);
    if (rc == RF_EPERM)
        rf_shared_throttle_failed(s->shared, in.account);
    else if (!rc)
        rf_shared_throttle_succeeded(s->shared, in.account);
    if (rc == RF_EPERM)
        return rf_resp_error(resp, 401, e.err.msg, e.field);
    if (rc)
        return app_fail(s, req, resp, rc, &e);
    start_session(s, req, resp, uid, json_pack("{s:I}", "user", (json_int_t)uid), 200);
}

static void h_logout(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    if (!principal(s, req, resp, &p))
        return;
    char tok[128] = "";
    rf_req_cookie(req, COOKIE, tok, sizeof tok);
    struct rf_err err;
    rf_status rc = rf_app_logout(s->app, tok, &err);
    if (rc)
        return fail(s, req, resp, rc, err.msg, NULL);
    set_cookie(s, req, resp, "", 0);
    rf_resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static void reply(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                  rf_status rc, const struct rf_app_error *e, json_t *out, int status)
{
    if (rc) {
        json_decref(out);
        app_fail(s, req, resp, rc, e);
        return;
    }
    rf_resp_json(resp, status, out);
}

/* The shapes of application calls, so that one handler serves each shape. */
struct op_body { /* principal and a JSON object body */
    rf_status (*fn)(struct rf_app *, const struct rf_principal *, const json_t *, json_t **,
                    struct rf_app_error *);
    int status;
};
struct op_plain { /* principal only */
    rf_status (*fn)(struct rf_app *, const struct rf_principal *, json_t **,
                    struct rf_app_error *);
};
struct op_id { /* principal and the numeric id of the path; with query, one query argument */
    rf_status (*fn)(struct rf_app *, const struct rf_principal *, int64_t, json_t **,
                    struct rf_app_error *);
    rf_status (*fn_query)(struct rf_app *, const struct rf_principal *, int64_t, const char *,
                          json_t **, struct rf_app_error *);
    const char *query; /* the argument's name (NULL when absent); fn_query gets its value or NULL */
};

static void h_body(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const struct op_body *op = req->arg;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL, *j;
    if (!principal(s, req, resp, &p) || !(j = rf_req_json(req, resp)))
        return;
    rf_status rc = op->fn(s->app, &p, j, &out, &e);
    json_decref(j);
    reply(s, req, resp, rc, &e, out, op->status);
}

static void h_plain(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const struct op_plain *op = req->arg;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    if (!principal(s, req, resp, &p))
        return;
    rf_status rc = op->fn(s->app, &p, &out, &e);
    reply(s, req, resp, rc, &e, out, 200);
}

/* The numeric id of the path and the caller; 0 (resp filled) when either fails. */
static int id_and_principal(struct rf_server *s, struct rf_req *req, struct rf_resp *resp,
                            int64_t *id, struct rf_principal *p)
{
    if (!parse_id(req->params[0], id)) {
        rf_resp_error(resp, 404, "not found", NULL);
        return 0;
    }
    return principal(s, req, resp, p);
}

static void h_id(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const struct op_id *op = req->arg;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    int64_t id;
    if (!id_and_principal(s, req, resp, &id, &p))
        return;
    rf_status rc = op->query ? op->fn_query(s->app, &p, id, rf_req_query(req, op->query), &out, &e)
                             : op->fn(s->app, &p, id, &out, &e);
    reply(s, req, resp, rc, &e, out, 200);
}

struct op_id_body { /* principal, the numeric id of the path and a JSON object body */
    rf_status (*fn)(struct rf_app *, const struct rf_principal *, int64_t, const json_t *,
                    json_t **, struct rf_app_error *);
    int status;
};

static void h_id_body(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const struct op_id_body *op = req->arg;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL, *j;
    int64_t id;
    if (!id_and_principal(s, req, resp, &id, &p) || !(j = rf_req_json(req, resp)))
        return;
    rf_status rc = op->fn(s->app, &p, id, j, &out, &e);
    json_decref(j);
    reply(s, req, resp, rc, &e, out, op->status);
}

/* POST /api/invites/:token/resume: the invite's candidate in this browser. */
static void h_invite_resume(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_app_error e = {0};
    json_t *out = NULL, *j;
    if (!secret_try_allowed(s, req, resp, "too many resume attempts from this address; wait and "
                                          "try again"))
        return;
    if (!(j = rf_req_json(req, resp)))
        return;
    char tok[RF_TOKEN_LEN], csrf[RF_TOKEN_LEN];
    int64_t retry = 0;
    rf_status rc = rf_app_invite_resume(s->app, req->params[0], j, tok, csrf, &retry, &out, &e);
    json_decref(j);
    if (rc && retry > 0)
        return too_many(resp, (double)retry, e.err.msg);
    if (!rc && tok[0]) {
        set_cookie(s, req, resp, tok, RF_AUTH_LIFETIME);
        json_object_set_new(out, "csrf", json_string(csrf));
    }
    reply(s, req, resp, rc, &e, out, 200);
}

static void h_invite_info(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    enum rf_lang lang;
    if (!query_lang(s, req, resp, &lang))
        return;
    rf_status rc = rf_app_invite_info(s->app, req->params[0], lang, &out, &e);
    reply(s, req, resp, rc, &e, out, 200);
}

/* GET /api/practice/challenge: a puzzle to solve before a practice start
 * (pow.h); {"bits": 0} when none is asked. */
static void h_pow_challenge(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    (void)req;
    if (!s->pow || !rf_app_config(s->app)->practice)
        return rf_resp_json(resp, 200, json_pack("{s:n,s:i}", "challenge", "bits", 0));
    char c[RF_POW_CHALLENGE_LEN + 1];
    rf_pow_challenge(s->pow, rf_shared_now(s->shared), c);
    rf_resp_json(resp, 200, json_pack("{s:s,s:i,s:f}", "challenge", c, "bits",
                                      (int)rf_pow_bits(s->pow), "expires_in", RF_POW_TTL_SECONDS));
}

/* The body's {"pow": {"challenge", "nonce"}} solves and spends a challenge;
 * otherwise the reply is written (400 naming the field, or 503) and 0 returned. */
static int pow_redeemed(struct rf_server *s, const struct rf_req *req, const json_t *body,
                        struct rf_resp *resp)
{
    const json_t *pw = json_object_get(body, "pow");
    if (!json_is_object(pw)) {
        rf_resp_error(resp, 400,
                      "pow: a practice start needs the proof of work from "
                      "GET /api/practice/challenge",
                      "pow");
        return 0;
    }
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_pow_redeem(s->pow, json_string_value(json_object_get(pw, "challenge")),
                                 json_string_value(json_object_get(pw, "nonce")),
                                 rf_shared_now(s->shared), &err);
    if (rc == RF_ETOOBIG) {
        rf_resp_header(resp, "Retry-After", "5");
        rf_resp_error(resp, 503, err.msg, NULL);
        return 0;
    }
    if (rc) {
        rf_resp_error(resp, 400, err.msg, "pow");
        return 0;
    }
    /* spent in this process; now for the whole deployment (the challenge,
     * well formed, is 64 hex digits) */
    int fresh = rf_shared_spend(s->shared, "pow",
                                json_string_value(json_object_get(pw, "challenge")), &err);
    if (fresh < 0) {
        limit_failed(s, req, resp, &err);
        return 0;
    }
    if (!fresh) {
        rf_resp_error(resp, 400, "pow.challenge: already used; fetch a new one", "pow");
        return 0;
    }
    return 1;
}

/* Takes one of the open practice slots for the caller's address (shared by
 * every process on the store); otherwise writes the reply (429 with
 * Retry-After, or the store's error) and returns 0. */
static int practice_slot(struct rf_server *s, struct rf_req *req, struct rf_resp *resp,
                         int64_t *slot)
{
    double retry = 0;
    int per_ip = 0;
    struct rf_err err;
    rf_err_clear(&err);
    int ok = rf_shared_slot_take(
        s->shared, req->ip, s->cfg.practice_max, s->cfg.practice_max_per_ip,
        s->cfg.practice_idle > 0 ? s->cfg.practice_idle : RF_PRACTICE_IDLE_SECONDS, slot, &retry,
        &per_ip, &err);
    if (ok < 0)
        limit_failed(s, req, resp, &err);
    else if (!ok)
        too_many(resp, retry,
                 per_ip ? "too many practice tests open from your address; finish one or "
                          "try again later"
                        : "too many practice tests open on this server; try again later");
    return ok > 0;
}

/* A start that took slot (0: none) is over: the slot goes to its test, or
 * back when the start failed. */
static void practice_slot_end(struct rf_server *s, int64_t slot, rf_status rc, const json_t *out)
{
    if (slot && rc)
        rf_shared_slot_release(s->shared, slot);
    else if (slot)
        rf_shared_slot_bind(
            s->shared, slot,
            json_integer_value(json_object_get(json_object_get(out, "test"), "id")));
}

static void h_test_start(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL, *j;
    if (!principal(s, req, resp, &p) || !(j = rf_req_json(req, resp)))
        return;
    /* a practice test (no invite) needs one of the open practice slots */
    const json_t *inv = json_object_get(j, "invite");
    int practice = s->practice && rf_app_config(s->app)->practice && (!inv || json_is_null(inv));
    int64_t slot = 0;
    /* before the proof of work is spent, so that a start turned away keeps it */
    if (practice && !rf_gate_enter(s->starting, 0)) {
        json_decref(j);
        rf_resp_header(resp, "Retry-After", "1");
        return rf_resp_error(resp, 503, "the server is busy starting tests; try again in a moment",
                             NULL);
    }
    if (practice && s->pow && !pow_redeemed(s, req, j, resp)) {
        rf_gate_leave(s->starting);
        json_decref(j);
        return;
    }
    if (practice && !practice_slot(s, req, resp, &slot)) {
        rf_gate_leave(s->starting);
        json_decref(j);
        return;
    }
    char tok[RF_TOKEN_LEN], csrf[RF_TOKEN_LEN];
    rf_status rc = rf_app_test_start(s->app, &p, j, tok, csrf, &out, &e);
    if (practice)
        rf_gate_leave(s->starting);
    json_decref(j);
    practice_slot_end(s, practice ? slot : 0, rc, out);
    if (!rc && tok[0]) {
        set_cookie(s, req, resp, tok, RF_AUTH_LIFETIME);
        json_object_set_new(out, "csrf", json_string(csrf));
    }
    reply(s, req, resp, rc, &e, out, 201);
}

static void h_test_answer(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *j;
    int64_t id;
    char session[RF_TOKEN_HASH_LEN];
    if (!parse_id(req->params[0], &id))
        return rf_resp_error(resp, 404, "not found", NULL);
    if (!principal_remembered(s, req, resp, &p, session))
        return;
    if (!p.candidate_id)
        return rf_resp_error(resp, 404, "no such test for you", NULL);
    /* the answer limit is keyed on who answers which test, so nobody can use up
     * another candidate's budget, and "01" is the same test as "1" */
    char key[64];
    snprintf(key, sizeof key, "%lld:%lld", (long long)p.candidate_id, (long long)id);
    double retry;
    if (!rf_shlimit_take(s->answers, key, &retry))
        return too_many(resp, retry, "answers are coming too fast; wait a moment");
    if (!(j = rf_req_json(req, resp)))
        return;
    /* the reply written straight into the response's body (no jansson tree:
     * docs/scale.md "The serve process's CPU") */
    int finished = 0;
    rf_buf_reset(&resp->body);
    rf_status rc = rf_app_test_answer_text(s->app, &p, session[0] ? session : NULL, id, j,
                                           &resp->body, &finished, &e);
    json_decref(j);
    if (rc)
        return app_fail(s, req, resp, rc, &e);
    if (s->practice)
        rf_shared_slot_answered(s->shared, id, finished);
    resp->status = 200;
    resp->ctype = "application/json";
}

typedef rf_status (*followup_fn)(struct rf_app *, const struct rf_principal *, int64_t,
                                 const json_t *, json_t **, struct rf_app_error *);

/* A follow-up session of a finished test, started by fn. */
static void start_followup(void *ap, struct rf_req *req, struct rf_resp *resp, followup_fn fn)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL, *j;
    int64_t id;
    if (!parse_id(req->params[0], &id))
        return rf_resp_error(resp, 404, "not found", NULL);
    if (!principal(s, req, resp, &p))
        return;
    if (!p.candidate_id)
        return rf_resp_error(resp, 404, "no such test for you", NULL);
    if (!(j = rf_req_json(req, resp)))
        return;
    /* like a practice test, it needs one of the open practice slots */
    int practice = s->practice && rf_app_config(s->app)->practice;
    int64_t slot = 0;
    if (practice && !practice_slot(s, req, resp, &slot)) {
        json_decref(j);
        return;
    }
    rf_status rc = fn(s->app, &p, id, j, &out, &e);
    json_decref(j);
    practice_slot_end(s, practice ? slot : 0, rc, out);
    reply(s, req, resp, rc, &e, out, 201);
}

/* "Measure this skill further": a follow-up session of a finished test. */
static void h_test_followup(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    start_followup(ap, req, resp, rf_app_test_followup);
}

/* "Confirm your role": find my role's confirm stage. */
static void h_test_confirm(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    start_followup(ap, req, resp, rf_app_test_confirm);
}

struct op_report { /* a report of the path's id as JSON or self-contained HTML */
    rf_status (*fn)(struct rf_app *, const struct rf_principal *, int64_t, int, json_t **,
                    char **, struct rf_app_error *);
    /* instead, with the query's "lang" (NULL when absent) */
    rf_status (*fn_lang)(struct rf_app *, const struct rf_principal *, int64_t, int, const char *,
                         json_t **, char **, struct rf_app_error *);
};

static void h_report_html(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const struct op_report *op = req->arg;
    struct rf_principal p;
    struct rf_app_error e = {0};
    char *html = NULL;
    int64_t id;
    if (!id_and_principal(s, req, resp, &id, &p))
        return;
    rf_status rc = op->fn_lang ? op->fn_lang(s->app, &p, id, 1, rf_req_query(req, "lang"), NULL,
                                             &html, &e)
                               : op->fn(s->app, &p, id, 1, NULL, &html, &e);
    if (rc)
        return app_fail(s, req, resp, rc, &e);
    rf_resp_text(resp, 200, "text/html; charset=utf-8", html, strlen(html));
    free(html);
}

/* The report of a test as Markdown (the staff's carries the interviews' section). */
static void h_report_md(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    char *md = NULL;
    int64_t id;
    if (!id_and_principal(s, req, resp, &id, &p))
        return;
    rf_status rc = rf_app_test_report_lang(s->app, &p, id, RF_APP_REPORT_MD,
                                           rf_req_query(req, "lang"), NULL, &md, &e);
    if (rc)
        return app_fail(s, req, resp, rc, &e);
    rf_resp_text(resp, 200, "text/markdown; charset=utf-8", md, strlen(md));
    free(md);
}

static rf_status test_report_json(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  const char *lang, json_t **out, struct rf_app_error *e)
{
    return rf_app_test_report_lang(a, p, id, 0, lang, out, NULL, e);
}

/* ---- fairness (app_fairness.c) ---- */

/* A JSON reply, or with ?format=csv the CSV export as a download. */
static void reply_csv(const struct rf_server *s, const struct rf_req *req, struct rf_resp *resp,
                      rf_status rc, const struct rf_app_error *e, json_t *out, char *csv,
                      const char *file)
{
    if (rc || !csv) {
        free(csv);
        return reply(s, req, resp, rc, e, out, 200);
    }
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", file);
    rf_resp_header(resp, "Content-Disposition", cd);
    rf_resp_text(resp, 200, "text/csv; charset=utf-8", csv, strlen(csv));
    free(csv);
}

/* The query's format: 1 for csv, 0 for json or none, -1 (resp filled) else. */
static int csv_format(struct rf_req *req, struct rf_resp *resp)
{
    const char *f = rf_req_query(req, "format");
    if (!f || !strcmp(f, "json"))
        return 0;
    if (!strcmp(f, "csv"))
        return 1;
    rf_resp_error(resp, 400, "format must be json or csv", "format");
    return -1;
}

/* GET /api/fairness/postings/ID/impact[?by=DIM][&format=csv] */
static void h_fair_impact(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    char *csv = NULL;
    int64_t id;
    int fmt;
    if (!id_and_principal(s, req, resp, &id, &p) || (fmt = csv_format(req, resp)) < 0)
        return;
    rf_status rc = rf_app_fair_impact(s->app, &p, id, rf_req_query(req, "by"), fmt, &out, &csv, &e);
    reply_csv(s, req, resp, rc, &e, out, csv, "adverse-impact.csv");
}

/* GET /api/fairness/dif[?format=csv]: the latest DIF run. */
static void h_fair_dif(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    char *csv = NULL;
    int fmt;
    if (!principal(s, req, resp, &p) || (fmt = csv_format(req, resp)) < 0)
        return;
    rf_status rc = rf_app_fair_dif(s->app, &p, fmt, &out, &csv, &e);
    reply_csv(s, req, resp, rc, &e, out, csv, "dif.csv");
}

/* ---- teams (app_teams.c) ---- */

/* POST /api/teams/:id/assessments: the body goes to the application as
 * received, so that a test scored twice is named (a JSON reader that refuses
 * duplicate keys says where, not which). */
static void h_team_assessment(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    int64_t id;
    const char *ct = rf_req_header(req, "Content-Type");
    if (!ct || !rf_http_is_json_type(ct))
        return rf_resp_error(resp, 415, "Content-Type must be application/json", NULL);
    if (!id_and_principal(s, req, resp, &id, &p))
        return;
    rf_status rc = rf_app_team_assessment_add(s->app, &p, id, req->body, req->body_len, &out, &e);
    reply(s, req, resp, rc, &e, out, 201);
}

static rf_status team_report_json(struct rf_app *a, const struct rf_principal *p, int64_t id,
                                  const char *lang, json_t **out, struct rf_app_error *e)
{
    return rf_app_team_report(a, p, id, 0, lang, out, NULL, e);
}

static void h_readiness(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    enum rf_lang lang;
    if (query_lang(s, req, resp, &lang))
        rf_resp_json(resp, 200, rf_app_readiness_tests(s->app, lang));
}

static const struct op_body op_team_create = {rf_app_team_create, 201};
static const struct op_plain op_teams = {rf_app_teams};
static const struct op_id op_team_get = {.fn_query = rf_app_team_get, .query = "lang"};
static const struct op_id_body op_team_member_add = {rf_app_team_member_add, 201};
static const struct op_id_body op_test_share = {rf_app_test_share, 200};
static const struct op_id op_team_assessments = {.fn = rf_app_team_assessments};
static const struct op_id_body op_team_posting_draft = {rf_app_team_posting_draft, 200};
static const struct op_id op_team_report = {.fn_query = team_report_json, .query = "lang"};
static const struct op_report op_team_report_html = {NULL, rf_app_team_report};
static const struct op_report op_test_report_html = {NULL, rf_app_test_report_lang};
static const struct op_report op_test_report_md = {NULL, rf_app_test_report_lang}; /* h_report_md */

static const struct op_body op_users_add = {rf_app_user_add, 201};
static const struct op_plain op_interviewers = {rf_app_interviewers};
static const struct op_body op_assignment_add = {rf_app_assignment_add, 201};
static const struct op_plain op_assignments = {rf_app_assignments};
static const struct op_id op_interview_get = {.fn = rf_app_interview_get};
static const struct op_id_body op_scorecard_save = {rf_app_scorecard_save, 200};
static const struct op_id op_scorecard_history = {.fn = rf_app_scorecard_history};
static const struct op_plain op_interview_calibration = {rf_app_interview_calibration};
static const struct op_id op_hiring_packet = {.fn_query = rf_app_hiring_packet, .query = "role"};
static const struct op_body op_me_lang = {rf_app_me_lang, 200};
static const struct op_body op_invite_create = {rf_app_invite_create, 201};
static const struct op_plain op_bank = {rf_app_bank_overview};
static const struct op_plain op_review = {rf_app_review};
static const struct op_body op_review_decide = {rf_app_review_decide, 200};
static const struct op_plain op_bank_versions = {rf_app_bank_versions};
static const struct op_body op_bank_rollback = {rf_app_bank_rollback, 200};
static const struct op_body op_review_calibrate = {rf_app_review_calibrate, 200};
static const struct op_body op_review_reestimate = {rf_app_review_reestimate, 200};
static const struct op_body op_review_latent = {rf_app_review_latent, 200};
static const struct op_plain op_review_pretest = {rf_app_review_pretest};
static const struct op_plain op_invites = {rf_app_invites};
static const struct op_plain op_groups_get = {rf_app_groups_get};
static const struct op_body op_groups_put = {rf_app_groups_put, 200};
static const struct op_plain op_groups_withdraw = {rf_app_groups_withdraw};
static const struct op_body op_fair_dif_run = {rf_app_fair_dif_run, 200};
static const struct op_plain op_fair_references = {rf_app_fair_references};
static const struct op_body op_fair_references_put = {rf_app_fair_references_put, 200};
static const struct op_id op_test_get = {.fn = rf_app_test_get};
static const struct op_body op_posting_create = {rf_app_posting_create, 201};
static const struct op_plain op_postings = {rf_app_postings};
static const struct op_id op_posting_get = {.fn = rf_app_posting_get};
static const struct op_id op_test_report = {.fn_query = test_report_json, .query = "lang"};
static const struct op_id_body op_posting_edit = {rf_app_posting_edit, 200};
static const struct op_id op_posting_edits = {.fn = rf_app_posting_edits};
static const struct op_id_body op_invite_topup = {rf_app_invite_topup, 201};

static const struct rf_route routes[] = {
    {"GET", "/api/health", h_health, NULL, 0},
    {"GET", "/api/practice/challenge", h_pow_challenge, NULL, 0},
    {"GET", "/api/me", h_me, NULL, 0},
    {"POST", "/api/me/lang", h_body, &op_me_lang, 0},
    {"GET", "/api/skills", h_skills, NULL, 0},
    {"GET", "/api/roles", h_roles, NULL, 0},
    {"POST", "/api/setup", h_setup, NULL, 0},
    {"POST", "/api/login", h_login, NULL, 0},
    {"POST", "/api/logout", h_logout, NULL, 0},
    {"POST", "/api/users", h_users_add, &op_users_add, 0},
    {"GET", "/api/bank", h_plain, &op_bank, 0},
    {"GET", "/api/bank/versions", h_plain, &op_bank_versions, 0},
    {"POST", "/api/bank/rollback", h_body, &op_bank_rollback, 0},
    {"GET", "/api/review", h_plain, &op_review, 0},
    {"POST", "/api/review/decisions", h_body, &op_review_decide, 0},
    {"POST", "/api/review/reestimate", h_body, &op_review_reestimate, 0},
    {"POST", "/api/review/latent", h_body, &op_review_latent, 0},
    {"GET", "/api/review/pretest", h_plain, &op_review_pretest, 0},
    {"POST", "/api/invites", h_body, &op_invite_create, 0},
    {"GET", "/api/invites", h_plain, &op_invites, 0},
    {"GET", "/api/invites/:token", h_invite_info, NULL, 0},
    {"POST", "/api/invites/:token/resume", h_invite_resume, NULL, 0},
    {"POST", "/api/tests", h_test_start, NULL, 0},
    {"GET", "/api/tests/:id", h_id, &op_test_get, 0},
    {"POST", "/api/tests/:id/answers", h_test_answer, NULL, 0},
    {"POST", "/api/tests/:id/followup", h_test_followup, NULL, 0},
    {"POST", "/api/tests/:id/confirm", h_test_confirm, NULL, 0},
    {"GET", "/api/tests/:id/report", h_id, &op_test_report, 0},
    {"GET", "/api/tests/:id/report.html", h_report_html, &op_test_report_html, 0},
    {"GET", "/api/tests/:id/report.md", h_report_md, &op_test_report_md, 0},
    {"POST", "/api/postings", h_body, &op_posting_create, RF_HTTP_MAX_POSTING_BODY},
    {"GET", "/api/postings", h_plain, &op_postings, 0},
    {"GET", "/api/postings/:id", h_id, &op_posting_get, 0},
    {"PUT", "/api/postings/:id/requirements", h_id_body, &op_posting_edit, 0},
    {"GET", "/api/postings/:id/edits", h_id, &op_posting_edits, 0},
    {"POST", "/api/postings/:id/topup", h_id_body, &op_invite_topup, 0},
    {"GET", "/api/readiness", h_readiness, NULL, 0},
    {"POST", "/api/teams", h_body, &op_team_create, 0},
    {"GET", "/api/teams", h_plain, &op_teams, 0},
    {"GET", "/api/teams/:id", h_id, &op_team_get, 0},
    {"POST", "/api/teams/:id/members", h_id_body, &op_team_member_add, 0},
    {"POST", "/api/teams/:id/assessments", h_team_assessment, NULL, 0},
    {"GET", "/api/teams/:id/assessments", h_id, &op_team_assessments, 0},
    {"POST", "/api/teams/:id/posting-draft", h_id_body, &op_team_posting_draft, 0},
    {"GET", "/api/teams/:id/report", h_id, &op_team_report, 0},
    {"GET", "/api/teams/:id/report.html", h_report_html, &op_team_report_html, 0},
    {"POST", "/api/tests/:id/share", h_id_body, &op_test_share, 0},
    {"GET", "/api/interviewers", h_plain, &op_interviewers, 0},
    {"POST", "/api/assignments", h_body, &op_assignment_add, 0},
    {"GET", "/api/assignments", h_plain, &op_assignments, 0},
    {"GET", "/api/assignments/:id/history", h_id, &op_scorecard_history, 0},
    {"GET", "/api/interviews/:id", h_id, &op_interview_get, 0},
    {"PUT", "/api/interviews/:id/scorecard", h_id_body, &op_scorecard_save, 0},
    {"GET", "/api/me/groups", h_plain, &op_groups_get, 0},
    {"PUT", "/api/me/groups", h_body, &op_groups_put, 0},
    {"DELETE", "/api/me/groups", h_plain, &op_groups_withdraw, 0},
    {"GET", "/api/fairness/dif", h_fair_dif, NULL, 0},
    {"GET", "/api/fairness/dif/references", h_plain, &op_fair_references, 0},
    {"PUT", "/api/fairness/dif/references", h_body, &op_fair_references_put, 0},
};

/* GET /api/postings/ID/ranking[?scope=posting|org][&offset=N][&limit=N]: a
 * page of the ranking (rf_app_posting_ranking). */
static void h_posting_ranking(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    struct rf_principal p;
    struct rf_app_error e = {0};
    json_t *out = NULL;
    int64_t id;
    if (!id_and_principal(s, req, resp, &id, &p))
        return;
    struct rf_app_page page = {rf_req_query(req, "offset"), rf_req_query(req, "limit")};
    rf_status rc = rf_app_posting_ranking(s->app, &p, id, rf_req_query(req, "scope"), &page,
                                          rf_req_query(req, "lang"), &out, &e);
    reply(s, req, resp, rc, &e, out, 200);
}

/* Routes that run on the HTTP layer's heavy-request workers (http.h). */
static const struct rf_route heavy_routes[] = {
    {"GET", "/api/postings/:id/ranking", h_posting_ranking, NULL, 0},
    /* a calibration run reads every finished test */
    {"POST", "/api/review/calibrate", h_body, &op_review_calibrate, 0},
    /* both calibrate the interviewers from every submitted scorecard */
    {"GET", "/api/interviewers/calibration", h_plain, &op_interview_calibration, 0},
    {"GET", "/api/interviews/:id/packet", h_id, &op_hiring_packet, 0},
    /* adverse impact reads a posting's ranking; a DIF run every finished test */
    {"GET", "/api/fairness/postings/:id/impact", h_fair_impact, NULL, 0},
    {"POST", "/api/fairness/dif", h_body, &op_fair_dif_run, 0},
};

/* ---- static files ---- */

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".json", "application/json"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".woff2", "font/woff2"}};
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return NULL;
}

static void h_static(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    const char *url = req->path;
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    if (strncmp(url, "/api/", 5) == 0 || strstr(url, "..") || strstr(url, "//") ||
        strstr(url, "/.") || strchr(url, '\\') || strlen(url) > 200)
        return rf_resp_error(resp, 404, "not found", NULL);
    const char *ct = content_type(url);
    if (!ct)
        return rf_resp_error(resp, 404, "not found", NULL);
    char path[PATH_MAX + 256], real[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", s->web_root, url);
    size_t rl = strlen(s->web_root);
    struct stat st;
    if (!realpath(path, real) || strncmp(real, s->web_root, rl) != 0 || real[rl] != '/' ||
        stat(real, &st) != 0 || !S_ISREG(st.st_mode))
        return rf_resp_error(resp, 404, "not found", NULL);
    /* a page is served in the reader's language with its catalogue
     * (pages.h): its tag names the language and the catalogue's version */
    int page = strcmp(ct, "text/html; charset=utf-8") == 0;
    const char *lang = page ? rf_page_lang(req) : NULL;
    char etag[128];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    if (page) {
        char cat[PATH_MAX + 64];
        struct stat cs;
        snprintf(cat, sizeof cat, "%s/i18n/%s.json", s->web_root, lang);
        if (stat(cat, &cs) != 0)
            memset(&cs, 0, sizeof cs);
        snprintf(etag, sizeof etag, "\"%llx-%llx-%s-%llx-%llx\"", (unsigned long long)st.st_size,
                 (unsigned long long)st.st_mtime, lang, (unsigned long long)cs.st_size,
                 (unsigned long long)cs.st_mtime);
        rf_resp_header(resp, "Vary", "Cookie, Accept-Language");
        rf_resp_header(resp, "Content-Language", lang);
    }
    const char *inm = rf_req_header(req, "If-None-Match");
    rf_resp_header(resp, "ETag", etag);
    rf_resp_header(resp, "Cache-Control", "no-cache");
    if (inm && strcmp(inm, etag) == 0) {
        resp->status = 304;
        resp->ctype = NULL;
        return;
    }
    if (page) {
        struct rf_err err;
        if (rf_page_render(real, s->web_root, lang, &resp->body, &err)) {
            if (s->cfg.app.log)
                s->cfg.app.log(err.msg);
            return rf_resp_error(resp, 500, "internal error", NULL);
        }
        resp->status = 200;
        resp->ctype = ct;
        return;
    }
    resp->status = 200;
    resp->ctype = ct;
    resp->file_path = NULL;
    /* the path must outlive the handler: keep it in the response body buffer */
    rf_buf_reset(&resp->body);
    if (rf_buf_puts(&resp->body, real))
        return rf_resp_error(resp, 500, "internal error", NULL);
    resp->file_path = rf_buf_str(&resp->body);
}

/* ---- gate: per-address rate limit ---- */

static int gate(void *ap, struct rf_req *req, struct rf_resp *resp)
{
    struct rf_server *s = ap;
    double retry;
    if (rf_shlimit_take(s->per_ip, req->ip, &retry))
        return 1;
    too_many(resp, retry, "too many requests; slow down");
    return 0;
}

/* A staff report of a test runs on the heavy workers: it carries the
 * interviews' evidence, whose severities are calibrated over every submitted
 * scorecard of the organization (rf_app_interview_evidence, as the packet
 * and the calibration report). A candidate's own report never does, and stays
 * on the HTTP thread. */
static int heavy_if(void *ap, const struct rf_route *r, struct rf_req *req)
{
    struct rf_server *s = ap;
    if (r->arg != &op_test_report && r->arg != &op_test_report_html &&
        r->arg != &op_test_report_md)
        return 0;
    char tok[128] = "";
    rf_req_cookie(req, COOKIE, tok, sizeof tok);
    struct rf_principal p;
    struct rf_err err;
    return rf_app_principal(s->app, tok, &p, &err) == RF_OK && p.user_id &&
           (!strcmp(p.role, "admin") || !strcmp(p.role, "recruiter")); /* staff */
}

static void log_line(void *ap, const char *line)
{
    struct rf_server *s = ap;
    if (!s->cfg.quiet && s->cfg.app.log)
        s->cfg.app.log(line);
}

rf_status rf_server_start(const struct rf_server_config *cfg, struct rf_server **out,
                          struct rf_err *err)
{
    struct rf_server *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    s->cfg = *cfg;
    rf_status rc = RF_OK;
    if (!realpath(cfg->app.web_dir, s->web_root))
        rc = rf_err_set(err, RF_EIO, "%s: web folder not found: %s", cfg->app.web_dir,
                        strerror(errno));
    if (!rc)
        rc = rf_app_open(&cfg->app, &s->app, err);
    if (!rc)
        rc = rf_shared_new(rf_app_store(s->app), cfg->clock, 1, &s->shared, err);
    if (!rc)
        rc = rf_shlimit_new(s->shared, "ip", cfg->app.rate_ip, cfg->app.rate_burst, 4096,
                            &s->per_ip, err);
    if (!rc)
        rc = rf_shlimit_new(s->shared, "answer", cfg->app.rate_answers, cfg->app.rate_answers * 3,
                            4096, &s->answers, err);
    if (!rc)
        rc = rf_gate_new(cfg->hash_slots ? cfg->hash_slots : RF_HASH_SLOTS, RF_HASH_QUEUE,
                         &s->hashing, err);
    if (!rc)
        rc = rf_gate_new(RF_PRACTICE_START_SLOTS, 0, &s->starting, err);
    s->practice = cfg->practice_max > 0;
    if (!rc && cfg->practice_pow_bits)
        rc = rf_pow_new(cfg->practice_pow_bits, RF_POW_TTL_SECONDS, &s->pow, err);
    if (!rc && s->pow) { /* one key for every process: a challenge is good at any of them */
        unsigned char key[RF_POW_KEY_LEN];
        rc = rf_shared_secret(s->shared, "pow", key, sizeof key, err);
        if (!rc)
            rf_pow_set_key(s->pow, key);
    }
    if (!rc && cfg->review_every > 0)
        rc = rf_schedule_start(s->app, cfg->review_every, cfg->clock, RF_REVIEW_TICK_SECONDS,
                               &s->schedule, err);
    char setup[RF_TOKEN_LEN];
    if (!rc)
        rc = rf_app_setup_token(s->app, setup, err);
    if (!rc) {
        struct rf_http_config hc = {.addr = cfg->addr,
                                    .port = cfg->port,
                                    .threads = cfg->threads ? cfg->threads : 1,
                                    .max_body = RF_HTTP_MAX_BODY,
                                    .timeout = RF_HTTP_TIMEOUT,
                                    .trust_proxy = cfg->trust_proxy,
                                    .routes = routes,
                                    .nroutes = sizeof routes / sizeof routes[0],
                                    .heavy = heavy_routes,
                                    .nheavy = sizeof heavy_routes / sizeof heavy_routes[0],
                                    .heavy_if = heavy_if,
                                    .fallback = h_static,
                                    .gate = gate,
                                    .app = s,
                                    .log = log_line,
                                    .header_seconds = cfg->header_seconds};
        rc = rf_http_start(&hc, &s->http, err);
    }
    if (rc) {
        rf_server_stop(s);
        return rc;
    }
    if (setup[0] && cfg->app.log) {
        char line[512];
        snprintf(line, sizeof line,
                 "first start: create the admin account at http://%s:%u/setup.html#%s "
                 "(one-time setup token)",
                 cfg->addr, rf_http_port(s->http), setup);
        cfg->app.log(line);
    }
    *out = s;
    return RF_OK;
}

unsigned rf_server_port(const struct rf_server *s)
{
    return rf_http_port(s->http);
}

size_t rf_server_shed_count(const struct rf_server *s)
{
    return rf_http_shed_count(s->http);
}

void rf_server_stop(struct rf_server *s)
{
    if (!s)
        return;
    rf_http_stop(s->http, RF_HTTP_DRAIN_SECONDS);
    rf_schedule_stop(s->schedule); /* waits for a run in progress: before the store closes */
    rf_shared_free(s->shared);     /* settles what is pending: before the store closes */
    rf_app_close(s->app);
    rf_gate_free(s->hashing);
    rf_gate_free(s->starting);
    rf_pow_free(s->pow);
    free(s);
}
