/* The real server on a loopback fx.port with a temporary database: setup,
 * sign-in, cookies and CSRF, permissions, invites, static files, limits. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

static void setup_default(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

TestSuite(api, .init = setup_default, .fini = stop);

Test(api, health_and_catalogue)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "GET", "/api/health", NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/skills", NULL, &r), 0);
    cr_assert_eq(json_array_size(json_object_get(r.json, "skills")), 19);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/roles", NULL, &r), 0);
    cr_assert(json_array_size(json_object_get(r.json, "roles")) >= 8);
    /* weights print with the digits they mean (issue 22): 0.65, never 0.65000000000000002 */
    cr_assert(strstr(r.body, "\"weight\":") != NULL);
    for (const char *q = r.body; (q = strstr(q, "\"weight\":")) != NULL; q++) {
        size_t digits = 0; /* significant digits: leading zeros do not count */
        for (const char *d = q + 9; *d && strchr("0123456789.-", *d); d++)
            digits += (*d >= '1' && *d <= '9') || (*d == '0' && digits > 0);
        cr_assert(digits <= 4, "weight printed with %zu digits: %.40s", digits, q);
    }
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/me", NULL, &r), 0);
    cr_assert(json_is_true(json_object_get(r.json, "setup_needed")));
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "DELETE", "/api/health", NULL, &r), 0);
    cr_assert_eq(r.status, 405);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/nothing", NULL, &r), 0);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "error")), "not found");
    http_result_free(&r);
}

/* Whether s holds a character of the Japanese scripts (kana, CJK ideographs,
 * the fullwidth forms): the text was written in Japanese. */
static int has_japanese(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; u && *u; u++)
        if (*u == 0xE3 || (*u >= 0xE4 && *u <= 0xE9) || *u == 0xEF)
            return 1;
    return 0;
}

/* GET path and its 200 JSON. */
static json_t *get_json(const char *path)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s: %d %s", path, r.status, r.body);
    json_t *j = json_incref(r.json);
    http_result_free(&r);
    return j;
}

/* The catalogue in the page's language (issue 16): ?lang=ja gives every
 * name, description, level and loop stage in Japanese, with the same ids,
 * kinds, levels and weights as the English; no lang is English; an unknown
 * language is 400 naming the field. */
Test(api, catalogue_in_japanese)
{
    json_t *en = get_json("/api/skills"), *ja = get_json("/api/skills?lang=ja");
    cr_assert_str_eq(json_string_value(json_object_get(en, "lang")), "en");
    cr_assert_str_eq(json_string_value(json_object_get(ja, "lang")), "ja");
    const char *lists[] = {"skills", "tasks"};
    for (size_t l = 0; l < 2; l++) {
        const json_t *a = json_object_get(en, lists[l]), *b = json_object_get(ja, lists[l]);
        cr_assert(json_array_size(a) > 0);
        cr_assert_eq(json_array_size(a), json_array_size(b));
        for (size_t i = 0; i < json_array_size(a); i++) {
            const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
            const char *id = json_string_value(json_object_get(x, "id"));
            cr_assert_str_eq(id, json_string_value(json_object_get(y, "id")));
            cr_assert(l == 1 ||
                      json_equal(json_object_get(x, "items"), json_object_get(y, "items")));
            for (const char *const *f = (const char *const[]){"name", "description", NULL}; *f; f++) {
                const char *e = json_string_value(json_object_get(x, *f)),
                           *j = json_string_value(json_object_get(y, *f));
                cr_assert(e && j && strcmp(e, j) != 0 && !has_japanese(e) && has_japanese(j),
                          "%s %s: %s: '%s' / '%s'", lists[l], id, *f, e, j);
            }
        }
    }
    for (size_t i = 0; i < 5; i++)
        cr_assert(has_japanese(json_string_value(json_array_get(json_object_get(ja, "levels"), i))),
                  "level %zu", i);
    json_decref(en);
    json_decref(ja);

    en = get_json("/api/roles?lang=en");
    ja = get_json("/api/roles?lang=ja");
    const json_t *ra = json_object_get(en, "roles"), *rb = json_object_get(ja, "roles");
    cr_assert(json_array_size(ra) >= 8);
    cr_assert_eq(json_array_size(ra), json_array_size(rb));
    for (size_t i = 0; i < json_array_size(ra); i++) {
        const json_t *x = json_array_get(ra, i), *y = json_array_get(rb, i);
        const char *id = json_string_value(json_object_get(x, "id"));
        cr_assert_str_eq(id, json_string_value(json_object_get(y, "id")));
        cr_assert_str_eq(json_string_value(json_object_get(x, "kind")),
                         json_string_value(json_object_get(y, "kind")));
        cr_assert(has_japanese(json_string_value(json_object_get(y, "name"))), "role %s", id);
        cr_assert(has_japanese(json_string_value(json_object_get(y, "description"))), "role %s", id);
        const json_t *qa = json_object_get(x, "requires"), *qb = json_object_get(y, "requires");
        cr_assert_eq(json_array_size(qa), json_array_size(qb));
        for (size_t k = 0; k < json_array_size(qa); k++) {
            const json_t *p = json_array_get(qa, k), *q = json_array_get(qb, k);
            cr_assert_str_eq(json_string_value(json_object_get(p, "skill")),
                             json_string_value(json_object_get(q, "skill")));
            cr_assert(json_equal(json_object_get(p, "weight"), json_object_get(q, "weight")));
            cr_assert(json_equal(json_object_get(p, "core"), json_object_get(q, "core")));
            cr_assert(has_japanese(json_string_value(json_object_get(q, "name"))));
            cr_assert(has_japanese(json_string_value(json_object_get(q, "level"))));
        }
        const json_t *la = json_object_get(x, "loop"), *lb = json_object_get(y, "loop");
        cr_assert_eq(json_array_size(la), json_array_size(lb));
        for (size_t k = 0; k < json_array_size(lb); k++)
            cr_assert(has_japanese(json_string_value(json_object_get(json_array_get(lb, k), "what"))),
                      "role %s loop %zu", id, k);
    }
    json_decref(en);
    json_decref(ja);

    en = get_json("/api/readiness");
    ja = get_json("/api/readiness?lang=ja");
    const json_t *sa = json_object_get(en, "sections"), *sb = json_object_get(ja, "sections");
    cr_assert_eq(json_array_size(sa), 4);
    cr_assert_eq(json_array_size(sb), 4);
    for (size_t i = 0; i < 4; i++) {
        const json_t *ta = json_object_get(json_array_get(sa, i), "tests"),
                     *tb = json_object_get(json_array_get(sb, i), "tests");
        cr_assert(has_japanese(json_string_value(json_object_get(json_array_get(sb, i), "name"))));
        cr_assert_eq(json_array_size(ta), json_array_size(tb));
        for (size_t k = 0; k < json_array_size(tb); k++) {
            const json_t *y = json_array_get(tb, k);
            cr_assert_str_eq(json_string_value(json_object_get(json_array_get(ta, k), "id")),
                             json_string_value(json_object_get(y, "id")));
            for (const char *const *f = (const char *const[]){"title", "what", "manual", "automated", NULL}; *f; f++)
                cr_assert(has_japanese(json_string_value(json_object_get(y, *f))), "readiness %zu.%zu %s", i, k, *f);
        }
    }
    json_decref(en);
    json_decref(ja);

    /* an unknown language: 400 naming the field, on each list */
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    for (const char *const *p = (const char *const[]){"/api/skills?lang=fr", "/api/roles?lang=JA",
                                                       "/api/readiness?lang=", NULL};
         *p; p++) {
        cr_assert_eq(client_do(&c, "GET", *p, NULL, &r), 0);
        cr_assert_eq(r.status, 400, "%s: %d", *p, r.status);
        cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "lang", "%s", *p);
        cr_assert(strstr(json_string_value(json_object_get(r.json, "error")), "unknown language"),
                  "%s: %s", *p, r.body);
        http_result_free(&r);
    }
}

Test(api, setup_once_then_sign_in)
{
    struct http_client bad = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&bad, "POST", "/api/setup",
                           "{\"token\":\"nope\",\"organization\":\"X\",\"name\":\"X\","
                           "\"email\":\"x@x.test\",\"password\":\"long enough password\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "token");
    http_result_free(&r);
    struct http_client a = fixture_admin();
    /* a second setup is refused */
    char body[512];
    snprintf(body, sizeof body,
             "{\"token\":\"%s\",\"organization\":\"Evil\",\"name\":\"E\","
             "\"email\":\"e@e.test\",\"password\":\"long enough password\"}",
             fx.setup_token);
    struct http_client c = {fx.port, "", ""};
    cr_assert_eq(client_do(&c, "POST", "/api/setup", body, &r), 0);
    cr_assert_eq(r.status, 409);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "POST", "/api/login",
                           "{\"email\":\"ada@acme.test\",\"password\":\"wrong password\"}", &r),
                 0);
    cr_assert_eq(r.status, 401);
    cr_assert(!c.cookie[0]);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "POST", "/api/login",
                           "{\"email\":\"ADA@acme.test\",\"password\":\"correct horse\"}", &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char sc[256];
    cr_assert(http_header(&r, "Set-Cookie", sc, sizeof sc));
    cr_assert(strstr(sc, "HttpOnly") && strstr(sc, "SameSite=Strict") && strstr(sc, "Max-Age="),
              "%s", sc);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/me", NULL, &r), 0);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "user"), "role")),
                     "admin");
    http_result_free(&r);
    /* logout invalidates the cookie on the server, not only in the browser */
    char old[256];
    strcpy(old, c.cookie);
    cr_assert_eq(client_do(&c, "POST", "/api/logout", "{}", &r), 0);
    cr_assert_eq(r.status, 200);
    http_result_free(&r);
    struct http_client replay = {fx.port, "", ""};
    strcpy(replay.cookie, old);
    cr_assert_eq(client_do(&replay, "GET", "/api/bank", NULL, &r), 0);
    cr_assert_eq(r.status, 403, "a replayed cookie after logout is anonymous");
    http_result_free(&r);
    (void)a;
}

Test(api, csrf_is_required_with_a_cookie)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    char saved[128];
    strcpy(saved, a.csrf);
    a.csrf[0] = '\0';
    cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", &r), 0);
    cr_assert_eq(r.status, 403);
    http_result_free(&r);
    strcpy(a.csrf, "forged-token-forged-token-forged-token-forged");
    cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", &r), 0);
    cr_assert_eq(r.status, 403);
    http_result_free(&r);
    strcpy(a.csrf, saved);
    cr_assert_eq(client_do(&a, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    http_result_free(&r);
}

Test(api, forged_cookie_is_anonymous)
{
    struct http_client c = {fx.port, "rf_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "GET", "/api/me", NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_null(json_object_get(r.json, "user"));
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "GET", "/api/invites", NULL, &r), 0);
    cr_assert_eq(r.status, 403);
    http_result_free(&r);
}

Test(api, recruiters_and_invites)
{
    struct http_client a = fixture_admin();
    struct http_result r;
    cr_assert_eq(client_do(&a, "POST", "/api/users",
                           "{\"email\":\"rex@acme.test\",\"name\":\"Rex\",\"password\":\"hunter22 and more\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&a, "POST", "/api/users",
                           "{\"email\":\"rex@acme.test\",\"name\":\"Rex\",\"password\":\"hunter22 and more\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "email");
    http_result_free(&r);
    cr_assert_eq(client_do(&a, "POST", "/api/users",
                           "{\"email\":\"x@acme.test\",\"name\":\"X\",\"password\":\"short\"}", &r),
                 0);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "password");
    http_result_free(&r);
    /* the password policy: 12 characters, 5 different ones, not a common
     * password, not the e-mail address (issue 21) */
    static const char *const weak[][2] = {
        {"elevenchars", "at least 12 characters"},
        {"aaaaaaaaaaaa", "different characters"},
        {"ababababababab", "different characters"},
        {"Password1234", "common passwords"},
        {"QWERTYUIOP123", "common passwords"},
        {"x@acme.test", "at least 12"},
        {"xavier@acme.test", "e-mail address"},
    };
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"email\":\"xavier@acme.test\",\"name\":\"X\",\"password\":\"%s\"}",
                 weak[i][0]);
        cr_assert_eq(client_do(&a, "POST", "/api/users", body, &r), 0);
        cr_assert_eq(r.status, 400, "%s: %s", weak[i][0], r.body);
        cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "password");
        cr_assert(strstr(json_string_value(json_object_get(r.json, "error")), weak[i][1]),
                  "%s: %s", weak[i][0], r.body);
        cr_assert(!strstr(r.body, weak[i][0]) || strchr(weak[i][0], '@'),
                  "the password is echoed: %s", r.body);
        http_result_free(&r);
    }
    struct http_client rex = {fx.port, "", ""};
    cr_assert_eq(client_do(&rex, "POST", "/api/login",
                           "{\"email\":\"rex@acme.test\",\"password\":\"hunter22 and more\"}", &r),
                 0);
    cr_assert_eq(r.status, 200);
    http_result_free(&r);
    /* a recruiter cannot add accounts */
    cr_assert_eq(client_do(&rex, "POST", "/api/users",
                           "{\"email\":\"y@acme.test\",\"name\":\"Y\",\"password\":\"12345678\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 403);
    http_result_free(&r);
    cr_assert_eq(client_do(&rex, "POST", "/api/invites", "{\"role\":\"astronaut\"}", &r), 0);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "role");
    http_result_free(&r);
    cr_assert_eq(client_do(&rex, "POST", "/api/invites",
                           "{\"role\":\"data_scientist\",\"label\":\"Bea\"}", &r),
                 0);
    cr_assert_eq(r.status, 201);
    char token[128], path[256];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/invites/%s", token);
    struct http_client anon = {fx.port, "", ""};
    cr_assert_eq(client_do(&anon, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "data_scientist");
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "role_name")), "Data scientist");
    cr_assert_null(json_object_get(r.json, "token"));
    http_result_free(&r);
    /* the invite page in Japanese names the role in Japanese */
    snprintf(path, sizeof path, "/api/invites/%s?lang=ja", token);
    cr_assert_eq(client_do(&anon, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "role")), "data_scientist");
    cr_assert(has_japanese(json_string_value(json_object_get(r.json, "role_name"))), "%s", r.body);
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/invites/%s?lang=xx", token);
    cr_assert_eq(client_do(&anon, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "lang");
    http_result_free(&r);
    cr_assert_eq(client_do(&anon, "GET", "/api/invites/not-a-token", NULL, &r), 0);
    cr_assert_eq(r.status, 404);
    http_result_free(&r);
    /* the invite token is a bearer secret: the request log names the route, never the token */
    cr_assert(fixture_log_contains("GET /api/invites/[token] 200"));
    cr_assert(!fixture_log_contains(token), "the log holds the invite token");
    cr_assert(!fixture_log_contains("not-a-token"));
    cr_assert_eq(client_do(&a, "GET", "/api/invites", NULL, &r), 0);
    cr_assert_eq(json_array_size(json_object_get(r.json, "invites")), 1);
    http_result_free(&r);
}

Test(api, bad_bodies_get_clear_4xx)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/login", "{not json", &r), 0);
    cr_assert_eq(r.status, 400);
    cr_assert(strstr(json_string_value(json_object_get(r.json, "error")), "not valid JSON"));
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "POST", "/api/login", "[1,2]", &r), 0);
    cr_assert_eq(r.status, 400);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "POST", "/api/login", "{\"email\": 5, \"password\": \"x\"}", &r), 0);
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "email");
    http_result_free(&r);
    /* JSON only: a cross-site form's text/plain body is refused */
    const char *form = "{\"email\":\"a@b.c\",\"password\":\"12345678\"}";
    cr_assert_eq(http_request(fx.port, "POST", "/api/login", "Content-Type: text/plain\r\n", form,
                              strlen(form), &r),
                 0);
    cr_assert_eq(r.status, 415, "%s", r.body);
    http_result_free(&r);
    /* the media type is matched exactly, not by prefix; parameters may follow */
    cr_assert_eq(http_request(fx.port, "POST", "/api/login", "Content-Type: application/jsonfoo\r\n",
                              form, strlen(form), &r),
                 0);
    cr_assert_eq(r.status, 415, "application/jsonfoo: %s", r.body);
    http_result_free(&r);
    cr_assert_eq(http_request(fx.port, "POST", "/api/login",
                              "Content-Type: Application/JSON ; charset=utf-8\r\n", form,
                              strlen(form), &r),
                 0);
    cr_assert_neq(r.status, 415, "a charset parameter is allowed: %s", r.body);
    http_result_free(&r);
    size_t big = 300 * 1024;
    char *body = malloc(big + 1);
    memset(body, 'a', big);
    body[big] = '\0';
    cr_assert_eq(http_request(fx.port, "POST", "/api/login", NULL, body, big, &r), 0);
    cr_assert_eq(r.status, 413);
    http_result_free(&r);
    free(body);
}

/* A body declared larger than the route's cap is refused before it is sent:
 * the headers alone get the 413 (one line of JSON) and the connection is
 * closed. Without the early refusal the server would wait for the 10 MB. */
Test(api, declared_oversized_body_is_refused_before_reading)
{
    const char *head = "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\nContent-Length: 10485760\r\n\r\n";
    struct http_result r;
    int rc = http_exchange(fx.port, head, strlen(head), 5000, &r);
    cr_assert_eq(rc, 0, "no complete reply and close within 5 s without the body (rc %d)", rc);
    cr_assert_eq(r.status, 413, "%s", r.body);
    char conn[32];
    cr_assert(http_header(&r, "Connection", conn, sizeof conn) && !strcmp(conn, "close"));
    cr_assert(json_is_string(json_object_get(r.json, "error")), "%s", r.body);
    cr_assert(!strchr(r.body, '\n'), "one line: %s", r.body);
    http_result_free(&r);
    /* the same with "Expect: 100-continue": no 100 is sent, the 413 comes at once */
    const char *expect = "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                         "Content-Length: 10485760\r\n\r\n";
    cr_assert_eq(http_exchange(fx.port, expect, strlen(expect), 5000, &r), 0);
    cr_assert_eq(r.status, 413);
    http_result_free(&r);
    /* caps are per route: 20 KB is too much for a sign-in, fine for a posting */
    char *body = malloc(20001);
    memset(body, ' ', 20000);
    body[0] = '{';
    body[19999] = '}';
    body[20000] = '\0';
    cr_assert_eq(http_request(fx.port, "POST", "/api/login", "Content-Type: application/json\r\n",
                              body, 20000, &r),
                 0);
    cr_assert_eq(r.status, 413, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(http_request(fx.port, "POST", "/api/postings",
                              "Content-Type: application/json\r\n", body, 20000, &r),
                 0);
    cr_assert_eq(r.status, 403, "read, then refused for want of a sign-in: %s", r.body);
    http_result_free(&r);
    free(body);
    cr_assert_eq(http_request(fx.port, "GET", "/api/health", NULL, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200, "the server stays healthy");
    http_result_free(&r);
}

/* A chunked body is read only up to the cap: the server closes the
 * connection then, so a client streaming 64 MB cannot send it all (socket
 * buffers take a few MB at most). Without the cut it would read every byte. */
Test(api, chunked_body_is_cut_at_the_cap)
{
    size_t total = (size_t)64 * 1024 * 1024;
    size_t sent = http_send_chunked(fx.port, "/api/login", total);
    cr_assert_lt(sent, total / 2, "the server took %zu bytes of a chunked body", sent);
    struct http_result r;
    cr_assert_eq(http_request(fx.port, "GET", "/api/health", NULL, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200, "the server stays healthy");
    http_result_free(&r);
}

Test(api, static_files_and_traversal)
{
    struct http_result r;
    cr_assert_eq(http_request(fx.port, "GET", "/", NULL, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200);
    char ct[128], csp[512], etag[64];
    cr_assert(http_header(&r, "Content-Type", ct, sizeof ct));
    cr_assert_str_eq(ct, "text/html; charset=utf-8");
    cr_assert(http_header(&r, "Content-Security-Policy", csp, sizeof csp));
    cr_assert(http_header(&r, "ETag", etag, sizeof etag));
    http_result_free(&r);
    char hdr[128];
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    cr_assert_eq(http_request(fx.port, "GET", "/index.html", hdr, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 304);
    http_result_free(&r);
    const char *bad[] = {"/../data/skills.json", "/%2e%2e/data/skills.json", "/.git/config",
                         "//etc/passwd", "/index.html/..", "/nothing.html", "/web"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(http_request(fx.port, "GET", bad[i], NULL, NULL, 0, &r), 0);
        cr_assert(r.status == 404 || r.status == 400, "%s gave %d", bad[i], r.status);
        cr_assert(!strstr(r.body, "\"skills\""), "%s leaked a file", bad[i]);
        http_result_free(&r);
    }
}

static void setup_limited(void)
{
    fixture_start(1, 5);
}

Test(limits, per_address_rate_limit_answers_429, .init = setup_limited, .fini = stop)
{
    struct http_result r;
    int limited = 0;
    for (int i = 0; i < 40 && !limited; i++) {
        cr_assert_eq(http_request(fx.port, "GET", "/api/health", NULL, NULL, 0, &r), 0);
        if (r.status == 429) {
            char ra[16];
            cr_assert(http_header(&r, "Retry-After", ra, sizeof ra));
            limited = 1;
        }
        http_result_free(&r);
    }
    cr_assert(limited, "a burst of 40 requests at 5/s is limited");
}

/* Labels a person reads or a log records refuse control characters and
 * bidirectional overrides with a 400 naming the field: a newline in an
 * organization name would forge a log line, and U+202E would make a label
 * render as something other than what is stored. */
Test(api, labels_refuse_control_and_bidi_characters)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    char body[512];
    snprintf(body, sizeof body,
             "{\"token\":\"%s\",\"organization\":\"Acme\\n2026-01-01 rolefit: forged\","
             "\"name\":\"Ann\",\"email\":\"ann@acme.test\",\"password\":\"correct horse battery\"}",
             fx.setup_token);
    cr_assert_eq(client_do(&c, "POST", "/api/setup", body, &r), 0);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "organization");
    http_result_free(&r);
    struct http_client a = fixture_admin();
    cr_assert_eq(client_do(&a, "POST", "/api/invites",
                           "{\"role\":\"ml_engineer\",\"label\":\"Bob \u202egnp.exe\"}", &r),
                 0);
    cr_assert_eq(r.status, 400, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "label");
    http_result_free(&r);
    /* ordinary Japanese and accented labels pass */
    cr_assert_eq(client_do(&a, "POST", "/api/invites",
                           "{\"role\":\"ml_engineer\",\"label\":\"山田 花子 / José\"}", &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    http_result_free(&r);
}
