/* Live sessions kept between requests (server/sesscache.h): taken back only
 * for the very state they were saved as; and over HTTP, every reply to an
 * answer (served from the cache) equals what a restore from the stored state
 * gives (GET /api/tests/:id restores). */
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

Test(sesscache, taken_back_only_for_the_state_it_was_saved_as)
{
    struct rf_cat_pool *p = tiny_pool();
    struct rf_sesscache *c;
    struct rf_err err;
    cr_assert_eq(rf_sesscache_new(4, &c, &err), RF_OK);
    cr_assert_null(rf_sesscache_take(c, 1, "A"), "empty cache");

    struct rf_cat_session *s1 = session(p);
    rf_sesscache_put(c, 1, s1, dup("A"));
    cr_assert_null(rf_sesscache_take(c, 5, "A"), "another test in the same slot is a miss");
    cr_assert_eq(rf_sesscache_take(c, 1, "A"), s1, "same test, same state: the same session");
    cr_assert_null(rf_sesscache_take(c, 1, "A"), "taking removes it");

    rf_sesscache_put(c, 1, s1, dup("A"));
    cr_assert_null(rf_sesscache_take(c, 1, "B"), "the stored state moved on: a miss");
    cr_assert_null(rf_sesscache_take(c, 1, "A"), "and the stale session is gone");

    /* a newer test in the slot replaces the older one (freed: ASan checks) */
    rf_sesscache_put(c, 2, session(p), dup("X"));
    struct rf_cat_session *s6 = session(p);
    rf_sesscache_put(c, 6, s6, dup("Y"));
    cr_assert_null(rf_sesscache_take(c, 2, "X"));
    cr_assert_eq(rf_sesscache_take(c, 6, "Y"), s6);
    rf_cat_session_free(s6);

    /* test id 0 is never kept; what stays is freed with the cache */
    rf_sesscache_put(c, 0, session(p), dup("Z"));
    cr_assert_null(rf_sesscache_take(c, 0, "Z"));
    rf_sesscache_put(c, 3, session(p), dup("W"));
    rf_sesscache_free(c);
    rf_sesscache_free(NULL);
    rf_cat_pool_free(p);
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
