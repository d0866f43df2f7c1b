/* Caps on open practice tests (server/slots.h): the table alone with explicit
 * times, then over HTTP behind a trusted proxy so that clients have distinct
 * addresses: per address and in all, 429 with Retry-After and one line of
 * JSON; finished and idle tests free their slots; invited candidates are
 * never counted. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "fixture.h"
#include "server/slots.h"

Test(slots, caps_per_key_and_in_all_with_retry_times)
{
    struct rf_slots *s;
    struct rf_err err;
    cr_assert_eq(rf_slots_new(0, 1, 10, &s, &err), RF_EINVAL);
    cr_assert_eq(rf_slots_new(3, 1, 0, &s, &err), RF_EINVAL);
    cr_assert_eq(rf_slots_new(3, 2, 10, &s, &err), RF_OK);
    size_t a1, a2, b1, x;
    double retry = -1;
    int per_key = -1;
    cr_assert(rf_slots_take(s, "a", 0, &a1, &retry, &per_key));
    rf_slots_bind(s, a1, 1, 0);
    cr_assert(rf_slots_take(s, "a", 1, &a2, &retry, &per_key));
    rf_slots_bind(s, a2, 2, 1);
    cr_assert(!rf_slots_take(s, "a", 2, &x, &retry, &per_key), "two per key");
    cr_assert_eq(per_key, 1);
    cr_assert_float_eq(retry, 8.0, 1e-12, "a's first slot goes idle at 10 (now 2): %g", retry);
    cr_assert(rf_slots_take(s, "b", 2, &b1, &retry, &per_key));
    rf_slots_bind(s, b1, 3, 2);
    cr_assert(!rf_slots_take(s, "c", 3, &x, &retry, &per_key), "three in all");
    cr_assert_eq(per_key, 0);
    cr_assert_float_eq(retry, 7.0, 1e-12, "the first slot of all goes idle at 10 (now 3)");
    cr_assert_eq(rf_slots_held(s, NULL, 3), 3);
    cr_assert_eq(rf_slots_held(s, "a", 3), 2);

    /* a finished test frees its slot; an answer keeps one; idle ones go */
    rf_slots_answered(s, 1, 4, 1);
    cr_assert_eq(rf_slots_held(s, "a", 4), 1);
    cr_assert(rf_slots_take(s, "c", 4, &x, &retry, &per_key));
    rf_slots_bind(s, x, 4, 4);
    rf_slots_answered(s, 2, 9, 0);
    rf_slots_answered(s, 99, 9, 1); /* no slot: ignored */
    cr_assert_eq(rf_slots_held(s, NULL, 12.5), 2, "b (bound at 2) went idle at 12");
    cr_assert_eq(rf_slots_held(s, "a", 18.9), 1, "a's answer at 9 keeps it to 19");
    cr_assert_eq(rf_slots_held(s, NULL, 19), 0);
    /* Retry-After is at least a second, even when a slot goes idle sooner */
    const char *keys[3] = {"d", "d", "e"};
    for (int i = 0; i < 3; i++) {
        cr_assert(rf_slots_take(s, keys[i], 100, &x, &retry, &per_key));
        rf_slots_bind(s, x, 10 + i, 100);
    }
    cr_assert(!rf_slots_take(s, "f", 109.999, &x, &retry, &per_key));
    cr_assert_float_eq(retry, 1.0, 1e-12, "%g", retry);
    rf_slots_free(s);
    rf_slots_free(NULL);
}

Test(slots, taken_but_unbound_never_goes_idle)
{
    struct rf_slots *s;
    struct rf_err err;
    cr_assert_eq(rf_slots_new(1, 0, 1, &s, &err), RF_OK);
    size_t x, y;
    double retry;
    int per_key;
    cr_assert(rf_slots_take(s, "a", 0, &x, &retry, &per_key));
    cr_assert(!rf_slots_take(s, "b", 1000, &y, &retry, &per_key), "a start in progress holds it");
    cr_assert_float_eq(retry, 1.0, 1e-12);
    rf_slots_release(s, x);
    cr_assert(rf_slots_take(s, "b", 1000, &y, &retry, &per_key), "released by a failed start");
    rf_slots_free(s);
}

/* ---- over HTTP ---- */

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

Test(slots, the_last_fifth_is_kept_for_keys_that_hold_none)
{
    struct rf_slots *s;
    struct rf_err err;
    cr_assert_eq(rf_slots_new(10, 3, 100, &s, &err), RF_OK);
    size_t x;
    double retry;
    int per_key;
    char key[16];
    /* keys a..d take 2 each: 8 of 10 held, the last 2 are reserved */
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 2; i++) {
            snprintf(key, sizeof key, "%c", 'a' + k);
            cr_assert(rf_slots_take(s, key, 0, &x, &retry, &per_key), "%s %d", key, i);
            rf_slots_bind(s, x, 10 * k + i + 1, 0);
        }
    cr_assert(!rf_slots_take(s, "a", 1, &x, &retry, &per_key), "a holds some: no reserved slot");
    cr_assert_eq(per_key, 0, "refused as the server's cap, not a's own (2 < 3)");
    cr_assert(rf_slots_take(s, "newcomer", 1, &x, &retry, &per_key), "a key holding none gets in");
    rf_slots_bind(s, x, 99, 1);
    cr_assert(!rf_slots_take(s, "newcomer", 1, &x, &retry, &per_key), "not twice");
    cr_assert(rf_slots_take(s, "other", 1, &x, &retry, &per_key), "the second reserved slot");
    rf_slots_bind(s, x, 98, 1);
    cr_assert(!rf_slots_take(s, "third", 1, &x, &retry, &per_key), "all 10 held");
    rf_slots_free(s);
}
