/* Caps on open practice tests (server/shared.h; the rules themselves are
 * tests/store/test_limits.c's), over HTTP behind a trusted proxy so that
 * clients have distinct addresses: per address and in all, 429 with Retry-After and one line of
 * JSON; finished and idle tests free their slots; invited candidates are
 * never counted. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "fixture.h"

static void tweak(struct rf_server_config *cfg)
{
    cfg->trust_proxy = "127.0.0.1";
    cfg->practice_max = 3;
    cfg->practice_max_per_ip = 2;
    cfg->practice_idle = 60.0;
}

static void start(void)
{
    fixture_start_with(1, 0, tweak);
}

static void stop(void)
{
    fixture_stop();
}

/* Starts a test from address ip with body; returns the HTTP status, the
 * candidate's client in *c, the reply in *r (caller frees). */
static int start_from(const char *ip, const char *body, struct http_client *c,
                      struct http_result *r)
{
    char hdr[256];
    snprintf(hdr, sizeof hdr, "Content-Type: application/json\r\nX-Forwarded-For: %s\r\n", ip);
    cr_assert_eq(http_request(fx.port, "POST", "/api/tests", hdr, body, strlen(body), r), 0);
    c->port = fx.port;
    c->cookie[0] = c->csrf[0] = '\0';
    char sc[512];
    if (http_header(r, "Set-Cookie", sc, sizeof sc)) {
        *strchr(sc, ';') = '\0';
        snprintf(c->cookie, sizeof c->cookie, "%s", sc);
    }
    if (json_is_string(json_object_get(r->json, "csrf")))
        snprintf(c->csrf, sizeof c->csrf, "%s", json_string_value(json_object_get(r->json, "csrf")));
    return r->status;
}

static const char *practice = "{\"skills\":[\"deep_learning\"]}";

static void assert_refused(const char *ip, const char *why)
{
    struct http_client c;
    struct http_result r;
    cr_assert_eq(start_from(ip, practice, &c, &r), 429, "%s: %s", ip, r.body);
    char ra[16];
    cr_assert(http_header(&r, "Retry-After", ra, sizeof ra), "429 carries Retry-After");
    cr_assert(atoi(ra) >= 1 && atoi(ra) <= 61, "idle is 60 s: Retry-After %s", ra);
    const char *msg = json_string_value(json_object_get(r.json, "error"));
    cr_assert(msg && strstr(msg, why) && !strchr(r.body, '\n'), "%s", r.body);
    http_result_free(&r);
}

/* Answers test id until it finishes (the first option each time). */
static void finish(struct http_client *c, struct http_result *r)
{
    long long id = json_integer_value(json_object_get(json_object_get(r->json, "test"), "id"));
    for (int n = 0; json_is_object(json_object_get(r->json, "question")); n++) {
        cr_assert(n < 40, "the test ends within its limit");
        char path[64], body[256];
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        fixture_answer_body(
            json_string_value(json_object_get(json_object_get(r->json, "question"), "item")), n % 2,
            body, sizeof body);
        http_result_free(r);
        cr_assert_eq(client_do(c, "POST", path, body, r), 0);
        cr_assert_eq(r->status, 200, "%s", r->body);
    }
}

Test(practice_caps, per_address_and_in_all, .init = start, .fini = stop)
{
    struct http_client a1, a2, b1, c1, d1;
    struct http_result ra1, r;
    cr_assert_eq(start_from("198.51.100.1", practice, &a1, &ra1), 201, "%s", ra1.body);
    cr_assert_eq(start_from("198.51.100.1", practice, &a2, &r), 201, "%s", r.body);
    http_result_free(&r);
    assert_refused("198.51.100.1", "from your address");
    struct http_result rb1;
    cr_assert_eq(start_from("198.51.100.2", practice, &b1, &rb1), 201, "%s", rb1.body);
    assert_refused("198.51.100.3", "on this server");

    /* an invited candidate is not counted */
    struct http_client admin = fixture_admin();
    cr_assert_eq(client_do(&admin, "POST", "/api/invites", "{\"role\":\"data_scientist\"}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
             json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);
    cr_assert_eq(start_from("198.51.100.3", body, &d1, &r), 201, "invites pass: %s", r.body);
    http_result_free(&r);

    /* a finished test frees its slot */
    finish(&a1, &ra1);
    http_result_free(&ra1);
    cr_assert_eq(start_from("198.51.100.3", practice, &c1, &r), 201, "%s", r.body);
    http_result_free(&r);
    assert_refused("198.51.100.4", "on this server");

    /* tests idle for practice_idle (60 s) free their slots; an answer keeps one */
    fixture_advance(59);
    assert_refused("198.51.100.4", "on this server");
    char path[64], ans[256];
    snprintf(path, sizeof path, "/api/tests/%lld/answers",
             json_integer_value(json_object_get(json_object_get(rb1.json, "test"), "id")));
    fixture_answer_body(json_string_value(json_object_get(json_object_get(rb1.json, "question"), "item")),
                        0, ans, sizeof ans);
    http_result_free(&rb1);
    cr_assert_eq(client_do(&b1, "POST", path, ans, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    fixture_advance(1);
    cr_assert_eq(start_from("198.51.100.4", practice, &d1, &r), 201, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(start_from("198.51.100.5", practice, &d1, &r), 201, "%s", r.body);
    http_result_free(&r);
    assert_refused("198.51.100.6", "on this server"); /* b1, answered at 59, and the two */
}
