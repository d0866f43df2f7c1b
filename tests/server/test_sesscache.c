/* Live sessions kept between requests (server/sesscache.h): taken back with
 * the row they were kept with; over HTTP, every reply to an answer (served
 * from the cache) equals what a restore from the stored state gives (GET
 * /api/tests/:id restores), also when the answers of one test alternate
 * between two servers on one database, and a stale session's answer stores
 * nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "fixture.h"
#include "irt/quad.h"
#include "server/routes.h"
#include "server/sesscache.h"

static struct rf_cat_pool *tiny_pool(void)
{
    struct rf_cat_item items[3] = {{"i1", "s", {0}, 1, NULL}, {"i2", "s", {0}, 1, NULL}, {"i3", "s", {0}, 1, NULL}};
    for (int i = 0; i < 3; i++)
        rf_irt_item_dich(&items[i].irt, RF_MODEL_2PL, 1.0, -1.0 + i, 0);
    struct rf_err err;
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(items, 3, &q, &p, &err), RF_OK, "%s", err.msg);
    rf_quad_cleanup(&q);
    return p;
}

static struct rf_cat_session *session(const struct rf_cat_pool *p)
{
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    struct rf_err err;
    struct rf_cat_rule r = {0.3, 1, 3};
    cr_assert_eq(rf_cat_design_add(&d, p, "s", r, &err), RF_OK, "%s", err.msg);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 7, &s, &err), RF_OK, "%s", err.msg);
    return s;
}

static char *dup(const char *s)
{
    char *d = strdup(s);
    cr_assert(d);
    return d;
}

/* A row as a process keeps it after writing state at served_ms. */
static struct rf_test row(int64_t id, const char *state, int64_t served_ms)
{
    struct rf_test t;
    memset(&t, 0, sizeof t);
    t.id = id;
    t.candidate_id = 40 + id;
    t.scope = dup("{\"skills\":[\"s\"]}");
    t.state = dup(state);
    t.answers = 3;
    t.served_ms = served_ms;
    return t;
}

static void put(struct rf_sesscache *c, struct rf_cat_session *s, int64_t id, const char *state,
                int64_t served_ms)
{
    struct rf_test t = row(id, state, served_ms);
    rf_sesscache_put(c, s, &t);
    cr_assert_null(t.state, "the row's strings are taken");
    cr_assert_eq(t.id, 0);
}

Test(sesscache, taken_back_with_the_row_it_was_kept_with)
{
    struct rf_cat_pool *p = tiny_pool();
    struct rf_sesscache *c;
    struct rf_err err;
    struct rf_test t;
    cr_assert_eq(rf_sesscache_new(4, &c, &err), RF_OK);
    cr_assert_null(rf_sesscache_take(c, 1, &t), "empty cache");
    cr_assert_eq(t.id, 0);
    cr_assert_null(t.state);

    struct rf_cat_session *s1 = session(p);
    put(c, s1, 1, "A", 1000);
    cr_assert_null(rf_sesscache_take(c, 5, &t), "another test in the same slot is a miss");
    cr_assert_eq(rf_sesscache_take(c, 1, &t), s1, "the same session");
    cr_assert_eq(t.id, 1);
    cr_assert_eq(t.candidate_id, 41);
    cr_assert_eq(t.answers, 3);
    cr_assert_eq(t.served_ms, 1000, "with the served_ms its write set");
    cr_assert_str_eq(t.state, "A");
    cr_assert_str_eq(t.scope, "{\"skills\":[\"s\"]}");
    rf_store_test_cleanup(&t);
    cr_assert_null(rf_sesscache_take(c, 1, &t), "taking removes it");

    /* a row whose write time is unknown cannot be checked: not kept */
    put(c, s1, 1, "A", 0);
    cr_assert_null(rf_sesscache_take(c, 1, &t));

    /* a newer test in the slot replaces the older one (freed: ASan checks) */
    put(c, session(p), 2, "X", 1);
    struct rf_cat_session *s6 = session(p);
    put(c, s6, 6, "Y", 2);
    cr_assert_null(rf_sesscache_take(c, 2, &t));
    cr_assert_eq(rf_sesscache_take(c, 6, &t), s6);
    cr_assert_str_eq(t.state, "Y");
    rf_store_test_cleanup(&t);
    rf_cat_session_free(s6);

    /* test id 0 is never kept; what stays is freed with the cache */
    put(c, session(p), 0, "Z", 3);
    cr_assert_null(rf_sesscache_take(c, 0, &t));
    put(c, session(p), 3, "W", 4);
    rf_sesscache_free(c);
    rf_sesscache_free(NULL);
    rf_cat_pool_free(p);
}

/* Who a session is: found until it expires or is dropped; a bucket holds 4,
 * the least recently used of a full one makes room; staff (candidate 0) are
 * never kept. */
Test(sesscache, who_a_session_is_remembered_and_forgotten)
{
    struct rf_whocache *c;
    struct rf_err err;
    cr_assert_eq(rf_whocache_new(1, &c, &err), RF_OK);
    int64_t cand = 0, org = 0;
    char csrf[64];
    const char *h[5] = {"aa", "bb", "cc", "dd", "ee"};
    for (int i = 0; i < 4; i++)
        rf_whocache_put(c, h[i], 10 + i, 7, "tok", 100);
    cr_assert(rf_whocache_get(c, "aa", 100, &cand, &org, csrf, sizeof csrf));
    cr_assert(cand == 10 && org == 7);
    cr_assert_str_eq(csrf, "tok");
    cr_assert_not(rf_whocache_get(c, "aa", 101, &cand, &org, csrf, sizeof csrf), "expired");
    /* "aa" was used last: a fifth session replaces "bb", the least recently used */
    rf_whocache_put(c, h[4], 14, 7, "tok", 100);
    cr_assert_not(rf_whocache_get(c, "bb", 0, &cand, &org, csrf, sizeof csrf));
    for (int i = 0; i < 5; i++)
        if (i != 1)
            cr_assert(rf_whocache_get(c, h[i], 0, &cand, &org, csrf, sizeof csrf), "%s", h[i]);
    cr_assert_eq(cand, 14);
    rf_whocache_drop(c, "cc");
    cr_assert_not(rf_whocache_get(c, "cc", 0, &cand, &org, csrf, sizeof csrf), "signed out");
    rf_whocache_put(c, "ff", 0, 7, "tok", 100);
    cr_assert_not(rf_whocache_get(c, "ff", 0, &cand, &org, csrf, sizeof csrf), "not a candidate");
    rf_whocache_free(c);
    rf_whocache_free(NULL);
}

static void start(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

Test(sesscache_http, answers_served_from_memory_equal_a_restore, .init = start, .fini = stop)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r, g;
    cr_assert_eq(client_do(&c, "POST", "/api/tests",
                           "{\"skills\":[\"linear_algebra\",\"probability_statistics\"]}", &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    char path[64], apath[64], body[256];
    snprintf(path, sizeof path, "/api/tests/%lld", id);
    snprintf(apath, sizeof apath, "/api/tests/%lld/answers", id);
    int n = 0;
    for (;;) {
        /* the reply just received (start or answer) against a fresh restore */
        cr_assert_eq(client_do(&c, "GET", path, NULL, &g), 0);
        cr_assert_eq(g.status, 200, "%s", g.body);
        cr_assert(json_equal(json_object_get(r.json, "test"), json_object_get(g.json, "test")),
                  "after %d answers: test %s vs restored %s", n, r.body, g.body);
        cr_assert(json_equal(json_object_get(r.json, "question"),
                             json_object_get(g.json, "question")),
                  "after %d answers: the next question differs from the restored one", n);
        const json_t *q = json_object_get(r.json, "question");
        http_result_free(&g);
        if (json_is_null(q))
            break;
        cr_assert(n < 100, "the test does not end");
        fixture_answer_body(json_string_value(json_object_get(q, "item")), (n * 7 + 3) % 3 == 0,
                            body, sizeof body);
        http_result_free(&r);
        cr_assert_eq(client_do(&c, "POST", apath, body, &r), 0);
        cr_assert_eq(r.status, 200, "answer %d: %s", n, r.body);
        n++;
    }
    http_result_free(&r);
    cr_assert(n >= 4, "only %d answers", n);
}

/* Two servers on one database, as two processes behind a balancer: the
 * answers of one test alternate between them, so each takes back a session
 * that the other has since moved on. Every reply equals a restore; an answer
 * replayed to the server whose kept session still asks that question is
 * refused by the checked write (409) and stores nothing. */
Test(sesscache_http, answers_alternating_between_two_servers_stay_right, .init = start,
     .fini = stop)
{
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 1, 0);
    struct rf_server *other = NULL;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_server_start(&cfg, &other, &err), RF_OK, "%s", err.msg);
    struct http_client c = {fx.port, "", ""};
    struct http_result r, g;
    cr_assert_eq(client_do(&c, "POST", "/api/tests",
                           "{\"skills\":[\"linear_algebra\",\"probability_statistics\"]}", &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    char path[64], apath[64], body[256], last[256] = "";
    snprintf(path, sizeof path, "/api/tests/%lld", id);
    snprintf(apath, sizeof apath, "/api/tests/%lld/answers", id);
    unsigned port[2] = {fx.port, rf_server_port(other)};
    int n = 0, replayed = 0;
    for (;;) {
        cr_assert_eq(client_do(&c, "GET", path, NULL, &g), 0);
        cr_assert_eq(g.status, 200, "%s", g.body);
        cr_assert(json_equal(json_object_get(r.json, "test"), json_object_get(g.json, "test")),
                  "after %d answers: test %s vs restored %s", n, r.body, g.body);
        cr_assert(json_equal(json_object_get(r.json, "question"),
                             json_object_get(g.json, "question")),
                  "after %d answers: the next question differs from the restored one", n);
        const json_t *q = json_object_get(r.json, "question");
        http_result_free(&g);
        if (json_is_null(q))
            break;
        cr_assert(n < 100, "the test does not end");
        if (n == 2 && !replayed) {
            /* answer 1 went to the other server; the first one's kept
             * session still asks that question: the replay is refused */
            replayed = 1;
            c.port = port[0];
            struct http_result x;
            cr_assert_eq(client_do(&c, "POST", apath, last, &x), 0);
            cr_assert_eq(x.status, 409, "a stale session's answer: %s", x.body);
            http_result_free(&x);
            continue; /* the GET above checks that nothing changed */
        }
        fixture_answer_body(json_string_value(json_object_get(q, "item")), (n * 5 + 1) % 3 != 0,
                            body, sizeof body);
        snprintf(last, sizeof last, "%s", body);
        http_result_free(&r);
        c.port = port[n % 2];
        cr_assert_eq(client_do(&c, "POST", apath, body, &r), 0);
        cr_assert_eq(r.status, 200, "answer %d on server %d: %s", n, n % 2, r.body);
        n++;
    }
    http_result_free(&r);
    cr_assert(replayed && n >= 4, "only %d answers", n);
    rf_server_stop(other);
}

/* A candidate's session that a server remembers (it answers without reading
 * it) and that is signed out at another server: the next answer at the
 * first is refused (404, as with no session) and stores nothing, because
 * the answer's write checks the session; a new session answers again. */
Test(sesscache_http, a_session_signed_out_elsewhere_cannot_answer, .init = start, .fini = stop)
{
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 1, 0);
    struct rf_server *other = NULL;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_server_start(&cfg, &other, &err), RF_OK, "%s", err.msg);
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/tests",
                           "{\"skills\":[\"linear_algebra\",\"probability_statistics\"]}", &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    char apath[64], body[256];
    snprintf(apath, sizeof apath, "/api/tests/%lld/answers", id);
    /* three answers at the first server: it reads the session once, then remembers it */
    for (int n = 0; n < 3; n++) {
        const json_t *q = json_object_get(r.json, "question");
        fixture_answer_body(json_string_value(json_object_get(q, "item")), n % 2, body,
                            sizeof body);
        http_result_free(&r);
        cr_assert_eq(client_do(&c, "POST", apath, body, &r), 0);
        cr_assert_eq(r.status, 200, "answer %d: %s", n, r.body);
    }
    /* the fourth at the other server: the first one's live session is now
     * stale, so its next answer is made from the stored row (with the
     * session still remembered, not read) */
    struct http_client out = c;
    out.port = rf_server_port(other);
    const json_t *q = json_object_get(r.json, "question");
    fixture_answer_body(json_string_value(json_object_get(q, "item")), 0, body, sizeof body);
    http_result_free(&r);
    cr_assert_eq(client_do(&out, "POST", apath, body, &r), 0);
    cr_assert_eq(r.status, 200, "answer 3: %s", r.body);
    q = json_object_get(r.json, "question");
    fixture_answer_body(json_string_value(json_object_get(q, "item")), 1, body, sizeof body);
    http_result_free(&r);
    /* signed out at the other server */
    cr_assert_eq(client_do(&out, "POST", "/api/logout", "{}", &r), 0);
    cr_assert(r.status == 200 || r.status == 204, "logout: %d %s", r.status, r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&c, "POST", apath, body, &r), 0);
    cr_assert_eq(r.status, 404, "an answer under a signed-out session: %d %s", r.status, r.body);
    http_result_free(&r);
    struct rf_store *st;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    struct rf_test t;
    cr_assert_eq(rf_store_test_get(st, id, &t, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(t.answers, 4, "the refused answer stored nothing");
    rf_store_test_cleanup(&t);
    rf_store_close(st);
    rf_server_stop(other);
}
