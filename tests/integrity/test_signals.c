/*
 * Test-integrity signals through the real server (server/signals.h): the
 * server times each answer on its own clock (stepped here, never slept), the
 * browser's focus report is checked and bounded, and the signals appear in
 * the staff's report (JSON and HTML) and never in the candidate's own.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../server/fixture.h"

static int64_t clock_ms(void)
{
    return (int64_t)(fixture_clock() * 1000.0 + 0.5);
}

/* Seeded: the n-th test started after a start gets the same questions for
 * the same answers (app.h, cfg.seed). */
static void tweak(struct rf_server_config *cfg)
{
    cfg->app.clock_ms = clock_ms;
    cfg->app.seed = 2121;
}

/* Restarts the server on the same database (sessions live on). */
static void restart(void)
{
    rf_server_stop(fx.srv);
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 0, 0);
    tweak(&cfg);
    struct rf_err err;
    cr_assert_eq(rf_server_start(&cfg, &fx.srv, &err), RF_OK, "%s", err.msg);
    fx.port = rf_server_port(fx.srv);
}

static void setup(void)
{
    fixture_start_with(0, 0, tweak);
}

TestSuite(signals, .init = setup, .fini = fixture_stop);

static char *invite(struct http_client *a, const char *label)
{
    char body[128];
    snprintf(body, sizeof body, "{\"role\":\"data_analyst\",\"label\":\"%s\"}", label);
    struct http_result r;
    cr_assert_eq(client_do(a, "POST", "/api/invites", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    char *t = strdup(json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);
    return t;
}

static const char *question(const struct http_result *r)
{
    return json_string_value(json_object_get(json_object_get(r->json, "question"), "item"));
}

/* An answer (wrong, the same wrong option for everyone) with extra fields. */
static int answer(struct http_client *c, long long id, const char *item, const char *extra,
                  struct http_result *r)
{
    char body[512], path[64];
    fixture_answer_body(item, 0, body, sizeof body);
    if (extra) {
        size_t n = strlen(body);
        snprintf(body + n - 1, sizeof body - n + 1, ",%s}", extra);
    }
    snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
    cr_assert_eq(client_do(c, "POST", path, body, r), 0);
    return r->status;
}

/* Takes an invited test to its end: the first answer after 1 s (a rapid
 * guess) with a focus report, every other after 30 s. */
static long long take(struct http_client *c, const char *token, int bad_first)
{
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", token);
    struct http_result r;
    cr_assert_eq(client_do(c, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    int first = 1;
    while (json_is_object(json_object_get(r.json, "question"))) {
        char item[160];
        snprintf(item, sizeof item, "%s", question(&r));
        http_result_free(&r);
        if (first && bad_first) {
            /* malformed focus reports are refused, naming the field, and store nothing */
            const char *bad[] = {
                "\"signals\":\"x\"",
                "\"signals\":{\"blurs\":-1,\"hidden\":0,\"away_ms\":0}",
                "\"signals\":{\"blurs\":1,\"hidden\":0,\"away_ms\":0,\"mouse\":3}",
                "\"signals\":{\"blurs\":1,\"hidden\":0}",
                "\"signals\":{\"blurs\":1,\"hidden\":0,\"away_ms\":86400001}",
                "\"signals\":{\"blurs\":1.5,\"hidden\":0,\"away_ms\":0}",
            };
            for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
                cr_assert_eq(answer(c, id, item, bad[k], &r), 400, "%s: %s", bad[k], r.body);
                cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "signals",
                                 "%s", r.body);
                http_result_free(&r);
            }
        }
        fixture_advance(first ? 1.0 : 30.0);
        const char *extra =
            first ? "\"signals\":{\"blurs\":2,\"hidden\":1,\"away_ms\":5000,\"client_ms\":900}"
                  : "\"signals\":{\"blurs\":0,\"hidden\":0,\"away_ms\":0,\"client_ms\":29500}";
        cr_assert_eq(answer(c, id, item, extra, &r), 200, "%s", r.body);
        first = 0;
    }
    http_result_free(&r);
    return id;
}

static const char *signal_words[] = {"integrity", "response_ms", "Signals worth a look", "rapid",
                                     "identical_wrong"};

Test(signals, staff_see_them_and_candidates_never_do)
{
    struct http_client a = fixture_admin();
    char *t1 = invite(&a, "Ann"), *t2 = invite(&a, "Ben");
    struct http_client ann = {fx.port, "", ""}, ben = {fx.port, "", ""};
    long long id1 = take(&ann, t1, 1);
    /* Ben's test, the first after a restart like Ann's, asks him her questions */
    restart();
    a.port = ann.port = ben.port = fx.port;
    long long id2 = take(&ben, t2, 0);
    free(t1);
    free(t2);

    char path[96];
    struct http_result r;
    snprintf(path, sizeof path, "/api/tests/%lld/report", id2);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    const json_t *sig = json_object_get(r.json, "integrity");
    cr_assert(json_is_object(sig), "the staff report has the signals: %s", r.body);
    cr_assert(strstr(json_string_value(json_object_get(sig, "note")), "not verdicts"));
    const json_t *ans = json_object_get(sig, "answers");
    cr_assert(json_array_size(ans) >= 5, "%s", r.body);
    const json_t *a0 = json_array_get(ans, 0), *a1 = json_array_get(ans, 1);
    cr_assert_eq(json_integer_value(json_object_get(a0, "response_ms")), 1000,
                 "the server's own time, not the browser's 900 ms");
    cr_assert_eq(json_integer_value(json_object_get(a0, "threshold_ms")), 3000,
                 "items without 20 stored times take the floor");
    cr_assert(json_is_true(json_object_get(a0, "rapid")));
    cr_assert_eq(json_integer_value(json_object_get(a0, "blurs")), 2);
    cr_assert_eq(json_integer_value(json_object_get(a0, "hidden")), 1);
    cr_assert_eq(json_integer_value(json_object_get(a0, "away_ms")), 1000,
                 "time away is cut to the time on the question");
    cr_assert_eq(json_integer_value(json_object_get(a0, "browser_ms")), 900);
    cr_assert_eq(json_integer_value(json_object_get(a1, "response_ms")), 30000);
    cr_assert(json_is_false(json_object_get(a1, "rapid")));
    /* the skill of the rapid guess: one of its answers, so its effort is below 1 */
    const char *skill = json_string_value(json_object_get(a0, "skill"));
    const json_t *sk;
    size_t k;
    int found = 0;
    json_array_foreach(json_object_get(sig, "skills"), k, sk)
    {
        if (!strcmp(json_string_value(json_object_get(sk, "skill")), skill)) {
            found = 1;
            cr_assert_eq(json_integer_value(json_object_get(sk, "rapid")), 1);
            double rte = json_real_value(json_object_get(sk, "rte"));
            long long timed = json_integer_value(json_object_get(sk, "timed"));
            /* the API prints reals to 6 significant digits (rf_json_dumps_out) */
            cr_assert(rte < 1 && fabs(rte - (1.0 - 1.0 / (double)timed)) < 1e-6, "rte %g of %lld timed",
                      rte, timed);
            cr_assert_eq(json_is_true(json_object_get(sk, "flagged")), rte < 0.9);
        }
    }
    cr_assert(found, "skill %s listed", skill);
    const json_t *focus = json_object_get(sig, "focus");
    cr_assert_eq(json_integer_value(json_object_get(focus, "blurs")), 2);
    /* Ann and Ben gave the same wrong option to every question they shared */
    const json_t *cp = json_object_get(sig, "copying");
    cr_assert_eq(json_integer_value(json_object_get(cp, "compared")), 1, "%s", r.body);
    const json_t *pair = json_array_get(json_object_get(cp, "pairs"), 0);
    cr_assert_eq(json_integer_value(json_object_get(pair, "test")), id1);
    cr_assert_str_eq(json_string_value(json_object_get(pair, "person")), "Ann");
    long long common = json_integer_value(json_object_get(pair, "common"));
    cr_assert(common >= 5, "common %lld", common);
    cr_assert_eq(json_integer_value(json_object_get(pair, "identical_wrong")), common);
    cr_assert(json_is_true(json_object_get(pair, "flagged")), "%s", r.body);
    http_result_free(&r);

    snprintf(path, sizeof path, "/api/tests/%lld/report.html", id2);
    cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "Signals worth a look"), "the staff's HTML report has them");
    cr_assert(!strstr(r.body, "cheat"), "never a verdict");
    http_result_free(&r);

    /* the candidates' own reports, JSON and HTML, have none of it */
    struct http_client *who[] = {&ann, &ben};
    long long ids[] = {id1, id2};
    for (size_t c = 0; c < 2; c++) {
        const char *suffix[] = {"report", "report.html"};
        for (size_t s = 0; s < 2; s++) {
            snprintf(path, sizeof path, "/api/tests/%lld/%s", ids[c], suffix[s]);
            cr_assert_eq(client_do(who[c], "GET", path, NULL, &r), 0);
            cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
            for (size_t w = 0; w < sizeof signal_words / sizeof signal_words[0]; w++)
                cr_assert(!strstr(r.body, signal_words[w]), "%s shows '%s' to its candidate", path,
                          signal_words[w]);
            http_result_free(&r);
        }
    }
}
