/* The review queue and the bank's versions through the server (issue 19;
 * docs/calibration.md "Review and bank versions"):
 *   - every endpoint refuses anyone but an admin of the organization that
 *     keeps the bank (recruiter, candidate, nobody: 403; an admin of another
 *     organization: 404);
 *   - a calibration run over the stored answers lists the pretest items with
 *     their estimates, SEs, fit and verdict;
 *   - bad decisions are 400 naming the field, refused ones 409 naming the
 *     item, and neither stores anything;
 *   - promoting a ready item makes revision 1 (the item operational at its
 *     estimate), a test in flight keeps revision 0 and finishes, new tests
 *     run on revision 1 and their reports name it; a rollback makes revision
 *     0 active exactly as it was (the item pretest again) and keeps 1 for a
 *     roll forward. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "fixture.h"
#include "irt/model.h"
#include "server/auth.h"
#include "store/store.h"

static char pre_dir[64];
static char pretest_ids[64][160];
static size_t npretest;

/* A copy of data/bank with the first 2 operational mcq items of every file
 * marked "pool": "pretest". */
static void make_pretest_bank(void)
{
    struct rf_bank bank;
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    strcpy(pre_dir, "/tmp/rf-review-XXXXXX");
    cr_assert(mkdtemp(pre_dir));
    DIR *dir = opendir("data/bank");
    cr_assert(dir);
    struct dirent *de;
    npretest = 0;
    while ((de = readdir(dir))) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        char path[256], out[256];
        snprintf(path, sizeof path, "data/bank/%s", de->d_name);
        snprintf(out, sizeof out, "%s/%s", pre_dir, de->d_name);
        json_error_t je;
        json_t *root = json_load_file(path, 0, &je);
        cr_assert(root, "%s: %s", path, je.text);
        json_t *it;
        size_t i, marked = 0;
        json_array_foreach(json_object_get(root, "items"), i, it)
        {
            size_t bi;
            const char *id = json_string_value(json_object_get(it, "id"));
            cr_assert_eq(rf_bank_find(&bank, id, &bi), RF_OK);
            const struct rf_item *b = &bank.items[bi];
            if (marked < 2 && b->pool == RF_POOL_OPERATIONAL && !b->retired &&
                b->type == RF_ITEM_MCQ && npretest < 64) {
                json_object_set_new(it, "pool", json_string("pretest"));
                snprintf(pretest_ids[npretest++], 160, "%s", id);
                marked++;
            }
        }
        cr_assert_eq(json_dump_file(root, out, JSON_INDENT(1)), 0);
        json_decref(root);
    }
    closedir(dir);
    rf_bank_cleanup(&bank);
}

static void tweak(struct rf_server_config *cfg)
{
    cfg->app.bank_dir = pre_dir;
    cfg->app.seed = 1919;
    cfg->app.pretest = 3;
    cfg->app.recal_wait = 600; /* these tests read the re-estimate in the calibrate reply */
}

static void wait_long(struct rf_server_config *cfg)
{
    cfg->app.recal_wait = 600;
}

static void wait_none(struct rf_server_config *cfg)
{
    cfg->app.recal_wait = 1e-6;
}

static int status_of(struct http_client *c, const char *method, const char *path, const char *body,
                     struct http_result *r)
{
    cr_assert_eq(client_do(c, method, path, body, r), 0);
    return r->status;
}

/* Starts an invited role test in a new browser c; *id its test. */
static void start_invited(struct http_client *admin, struct http_client *c, long long *id,
                          struct http_result *r)
{
    cr_assert_eq(status_of(admin, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", r), 201,
                 "%s", r->body);
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
             json_string_value(json_object_get(r->json, "token")));
    http_result_free(r);
    *c = (struct http_client){fx.port, "", ""};
    cr_assert_eq(status_of(c, "POST", "/api/tests", body, r), 201, "%s", r->body);
    *id = json_integer_value(json_object_get(json_object_get(r->json, "test"), "id"));
}

static int by_hash(const char *item)
{
    unsigned h = 7;
    for (const char *c = item; *c; c++)
        h = h * 31u + (unsigned char)*c;
    return (h >> 4) % 3 != 0;
}

/* Answers at most n questions of test id from reply r (consumed); 1 when
 * the test finished. */
static int answer(struct http_client *c, long long id, struct http_result *r, int n)
{
    for (int k = 0; k < n && json_is_object(json_object_get(r->json, "question")); k++) {
        const char *item =
            json_string_value(json_object_get(json_object_get(r->json, "question"), "item"));
        char body[512], path[64];
        fixture_answer_body(item, by_hash(item), body, sizeof body);
        http_result_free(r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        cr_assert_eq(status_of(c, "POST", path, body, r), 200, "%s", r->body);
    }
    int done = !json_is_object(json_object_get(r->json, "question"));
    http_result_free(r);
    return done;
}

/* The current state of test id (its candidate's view): 200 required. */
static void get_test(struct http_client *c, long long id, struct http_result *r)
{
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld", id);
    cr_assert_eq(status_of(c, "GET", path, NULL, r), 200, "test %lld: %s", id, r->body);
}

/* The revision a finished test's report names. */
static long long report_revision(struct http_client *c, long long id)
{
    struct http_result r;
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/report", id);
    cr_assert_eq(status_of(c, "GET", path, NULL, &r), 200, "%s", r.body);
    const json_t *bv = json_object_get(r.json, "bank_version");
    cr_assert(json_is_object(bv), "the report names its bank version: %s", r.body);
    cr_assert(json_is_integer(json_object_get(bv, "file")), "%s", r.body);
    long long rev = json_integer_value(json_object_get(bv, "revision"));
    http_result_free(&r);
    return rev;
}

static json_t *queue_item(const json_t *q, const char *id)
{
    const json_t *o;
    size_t i;
    json_array_foreach(json_object_get(q, "items"), i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "id")), id))
            return (json_t *)o;
    }
    return NULL;
}

static long long active_revision(struct http_client *admin, size_t *nversions)
{
    struct http_result r;
    cr_assert_eq(status_of(admin, "GET", "/api/bank/versions", NULL, &r), 200, "%s", r.body);
    long long a = json_integer_value(json_object_get(r.json, "active"));
    if (nversions)
        *nversions = json_array_size(json_object_get(r.json, "versions"));
    http_result_free(&r);
    return a;
}

Test(review, only_the_bank_organizations_admins, .timeout = 300)
{
    fixture_start(0, 0);
    struct http_client admin = fixture_admin(), other = fixture_other_account("admin"),
                       nobody = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(status_of(&admin, "POST", "/api/users",
                           "{\"name\":\"Rex\",\"email\":\"rex@x.test\",\"password\":\"rex password "
                           "long\",\"role\":\"recruiter\"}",
                           &r),
                 201, "%s", r.body);
    http_result_free(&r);
    struct http_client rec = {fx.port, "", ""};
    cr_assert_eq(status_of(&rec, "POST", "/api/login",
                           "{\"email\":\"rex@x.test\",\"password\":\"rex password long\","
                           "\"organization\":\"Acme\"}",
                           &r),
                 200, "%s", r.body);
    http_result_free(&r);
    /* a candidate: an invited test started */
    struct http_client cand;
    long long tid;
    start_invited(&admin, &cand, &tid, &r);
    http_result_free(&r);
    static const char *const ep[][3] = {
        {"GET", "/api/review", NULL},
        {"POST", "/api/review/calibrate", "{}"},
        {"POST", "/api/review/decisions", "{\"item\":\"x\",\"action\":\"keep\"}"},
        {"GET", "/api/bank/versions", NULL},
        {"POST", "/api/bank/rollback", "{\"revision\":0}"},
        {"POST", "/api/review/reestimate", "{\"run\":1,\"action\":\"apply\"}"},
    };
    for (size_t k = 0; k < sizeof ep / sizeof ep[0]; k++) {
        int s = status_of(&nobody, ep[k][0], ep[k][1], ep[k][2], &r);
        cr_assert(s == 403 || s == 401, "nobody: %s %s: %d", ep[k][0], ep[k][1], s);
        http_result_free(&r);
        cr_assert_eq(status_of(&cand, ep[k][0], ep[k][1], ep[k][2], &r), 403,
                     "candidate: %s %s: %s", ep[k][0], ep[k][1], r.body);
        http_result_free(&r);
        cr_assert_eq(status_of(&rec, ep[k][0], ep[k][1], ep[k][2], &r), 403, "recruiter: %s %s: %s",
                     ep[k][0], ep[k][1], r.body);
        http_result_free(&r);
        cr_assert_eq(status_of(&other, ep[k][0], ep[k][1], ep[k][2], &r), 404,
                     "another organization's admin: %s %s: %s", ep[k][0], ep[k][1], r.body);
        http_result_free(&r);
    }
    /* the bank's admin: the reads, and the writes' own refusals */
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_null(json_object_get(r.json, "run")), "no run yet: %s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/bank/versions", NULL, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "active")), 0);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions",
                           "{\"item\":\"x\",\"action\":\"keep\"}", &r),
                 400, "no such item: %s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions",
                           "{\"item\":\"ml_fundamentals.bias_variance.001\",\"action\":\"keep\"}",
                           &r),
                 409, "no run to decide on: %s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":0}", &r), 400, "%s",
                 r.body);
    http_result_free(&r);
    fixture_stop();
}

/* A run whose result says item is ready at a = 1.3, b = 0.4, c = 0.2,
 * written into the server's database (the calibration itself is
 * tests/calib/test_online.c's; through the server it takes thousands of
 * tests). */
static void ready_run(const char *item, const char *other)
{
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    char result[2048];
    snprintf(result, sizeof result,
             "{\"items\":[{\"id\":\"%s\",\"n\":900,\"estimated\":true,\"ready\":true,\"note\":"
             "\"\",\"model\":\"3PL\",\"a\":1.3,\"b\":0.4,\"c\":0.2,\"se\":{\"a\":0.12,\"b\":0.1,"
             "\"c\":0.03},\"fit\":{\"x2\":6.1,\"df\":7,\"p\":0.53}},"
             "{\"id\":\"%s\",\"n\":150,\"estimated\":true,\"ready\":false,\"note\":\"fewer than "
             "200 answers\",\"model\":\"3PL\",\"a\":0.9,\"b\":-0.2,\"c\":0.2,\"se\":{\"a\":0.4,"
             "\"b\":0.5,\"c\":0.1},\"fit\":null}],\"rules\":{},\"tests\":1000}",
             item, other);
    int64_t id;
    cr_assert_eq(rf_store_review_run_add(st, &(struct rf_review_run){0, 0, 1, 0, "pretest", result},
                                         &id, &err),
                 RF_OK, "%s", err.msg);
    rf_store_close(st);
}

Test(review, promote_keep_rollback_and_tests_in_flight, .timeout = 600)
{
    make_pretest_bank();
    cr_assert(npretest >= 4);
    fixture_start_with(0, 0, tweak);
    struct http_client admin = fixture_admin();
    struct http_result r;
    /* some finished tests, then a calibration run over them */
    for (int t = 0; t < 3; t++) {
        struct http_client c;
        long long id;
        start_invited(&admin, &c, &id, &r);
        cr_assert(answer(&c, id, &r, 100), "test %d finished", t);
    }
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    cr_assert(json_array_size(json_object_get(r.json, "items")) > 0, "%s", r.body);
    {
        const json_t *o;
        size_t i;
        json_array_foreach(json_object_get(r.json, "items"), i, o)
        {
            cr_assert(!json_is_true(json_object_get(o, "ready")), "3 tests make no item ready");
            cr_assert(!json_is_true(json_object_get(o, "promotable")));
            cr_assert_str_eq(json_string_value(json_object_get(o, "state")), "pretest");
            const char *note = json_string_value(json_object_get(o, "note"));
            cr_assert(note && strstr(note, "answer"), "the reason is given: %s", note);
        }
    }
    const char *first = json_string_value(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id"));
    char some[160];
    snprintf(some, sizeof some, "%s", first);
    http_result_free(&r);
    char body[512];
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"promote\"}", some);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 409, "%s", r.body);
    cr_assert(strstr(json_string_value(json_object_get(r.json, "error")), some),
              "the refusal names the item: %s", r.body);
    http_result_free(&r);

    /* a test in flight under revision 0 */
    struct http_client fl;
    long long flight;
    start_invited(&admin, &fl, &flight, &r);
    cr_assert(!answer(&fl, flight, &r, 3));

    /* a ready item, and bad decisions: nothing stored */
    const char *item = pretest_ids[0], *other = pretest_ids[1];
    ready_run(item, other);
    static const char *const bad[][2] = {
        {"[]", NULL},
        {"{\"action\":\"promote\"}", "item"},
        {"{\"item\":\"x.y\",\"action\":\"promote\"}", "item"},
        {"{\"item\":7,\"action\":\"promote\"}", "item"},
        {"{\"item\":\"@\",\"action\":\"bless\"}", "action"},
        {"{\"item\":\"@\"}", "action"},
        {"{\"item\":\"@\",\"action\":\"promote\",\"note\":5}", "note"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *at = strchr(bad[k][0], '@');
        if (at)
            snprintf(body, sizeof body, "%.*s%s%s", (int)(at - bad[k][0]), bad[k][0], item, at + 1);
        else
            snprintf(body, sizeof body, "%s", bad[k][0]);
        cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 400, "%s: %s",
                     body, r.body);
        if (bad[k][1])
            cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), bad[k][1],
                             "%s: %s", body, r.body);
        http_result_free(&r);
    }
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"promote\"}", other);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "fewer than 200 answers"), "%s", r.body);
    http_result_free(&r);
    size_t nv;
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 0, "no revision was stored by a refused decision");

    /* promote: revision 1 */
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"promote\",\"note\":\"good\"}", item);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(queue_item(r.json, item), "state")),
                     "operational");
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(queue_item(r.json, item), "decision"), "action")),
                     "promote");
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 409,
                 "promoted twice: %s", r.body);
    http_result_free(&r);
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"keep\"}", other);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1, "keep: no revision");
    http_result_free(&r);

    /* the test in flight keeps revision 0; a new one runs on revision 1 */
    get_test(&fl, flight, &r);
    cr_assert(answer(&fl, flight, &r, 100), "the test in flight finishes");
    cr_assert_eq(report_revision(&fl, flight), 0);
    struct http_client nb;
    long long newer;
    start_invited(&admin, &nb, &newer, &r);
    cr_assert(!answer(&nb, newer, &r, 2));

    /* rollback: revision 0 exactly; 1 kept */
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":99}", &r), 400,
                 "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "revision");
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":-1}", &r), 400,
                 "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, NULL), 1, "a refused rollback changes nothing");
    cr_assert_eq(
        status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":0,\"note\":\"undo\"}", &r),
        200, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 1, "revision 1 is kept");
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(queue_item(r.json, item), "state")),
                     "pretest", "after the rollback the item is pretest again");
    /* and the queue shows revision 0's state: the promotion (made revision
     * 1) and the keep (made at 1) are not decisions of revision 0, so the
     * item may be promoted again and the other is undecided */
    cr_assert(json_is_null(json_object_get(queue_item(r.json, item), "decision")),
              "after the rollback the queue still shows revision 1's decision: %s", r.body);
    cr_assert(json_is_true(json_object_get(queue_item(r.json, item), "promotable")), "%s",
              r.body);
    cr_assert(json_is_null(json_object_get(queue_item(r.json, other), "decision")),
              "after the rollback the queue still shows a keep made at revision 1: %s", r.body);
    http_result_free(&r);
    /* the test started on revision 1 finishes on it */
    get_test(&nb, newer, &r);
    cr_assert(answer(&nb, newer, &r, 100));
    cr_assert_eq(report_revision(&nb, newer), 1);
    struct http_client c0;
    long long after;
    start_invited(&admin, &c0, &after, &r);
    cr_assert(answer(&c0, after, &r, 100));
    cr_assert_eq(report_revision(&c0, after), 0);
    /* and forward again */
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":1}", &r), 200, "%s",
                 r.body);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, NULL), 1);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(queue_item(r.json, item), "decision"), "action")),
                     "promote", "revision 1 active again: its promotion stands: %s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(queue_item(r.json, other), "decision"), "action")),
                     "keep", "%s", r.body);
    cr_assert(json_is_false(json_object_get(queue_item(r.json, item), "promotable")));
    http_result_free(&r);
    fixture_stop();
}

/* ---- drift (docs/calibration.md "Drift") ---- */

/* n finished tests written into the server's database, each with per scored
 * answers to the operational mcq items of one skill (simulated from their
 * bank parameters, theta ~ N(0, 1)), except that item drifted is answered
 * as if drift logits easier and, with slopes, every item's true slope is
 * 2.0 or 0.5 (slope_of) where the bank says 1. Its skill's items are
 * written to ids. */
static double slope_of(const char *id)
{
    return by_hash(id) ? 2.0 : 0.5;
}

static size_t seed_tests(const char *skill, const char *drifted, double drift, int slopes,
                         size_t per, int n, char ids[][160], size_t cap)
{
    struct rf_bank bank;
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    size_t m = 0, idx[128];
    for (size_t i = 0; i < bank.n && m < cap && m < 128; i++) {
        const struct rf_item *it = &bank.items[i];
        if (!strcmp(it->skill, skill) && it->pool == RF_POOL_OPERATIONAL && !it->retired &&
            it->type == RF_ITEM_MCQ) {
            idx[m] = i;
            snprintf(ids[m++], 160, "%s", it->id);
        }
    }
    cr_assert(m >= per, "%s has %zu operational mcq items", skill, m);
    struct rf_store *st;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, 2019);
    for (int t = 0; t < n; t++) {
        double theta = rf_rng_normal(&r);
        size_t order[128];
        for (size_t j = 0; j < m; j++)
            order[j] = j;
        json_t *ev = json_array();
        for (size_t j = 0; j < per; j++) {
            size_t k = j + rf_rng_below(&r, m - j), x = order[j];
            order[j] = order[k];
            order[k] = x;
            const struct rf_item *it = &bank.items[idx[order[j]]];
            struct rf_irt_item truth = it->irt;
            if (!strcmp(it->id, drifted))
                truth.b -= drift;
            if (slopes)
                truth.a = slope_of(it->id);
            int right = rf_rng_uniform(&r) < rf_irt_prob(&truth, theta, 1);
            json_array_append_new(ev, json_pack("{s:s,s:i}", "item", it->id, "answer", right));
        }
        json_t *sj = json_pack("{s:o}", "events", ev);
        char *state = json_dumps(sj, JSON_COMPACT);
        json_decref(sj);
        int64_t cand, tid;
        cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
        struct rf_test tt = {0};
        tt.candidate_id = cand;
        tt.scope = "{}";
        tt.state = state;
        cr_assert_eq(rf_store_test_create(st, &tt, &tid, &err), RF_OK, "%s", err.msg);
        struct rf_answer a = {tid, 0, ids[0], 1, 1, 0, NULL, 0};
        cr_assert_eq(rf_store_answer(st, &a, state, "{\"skills\": []}", &err), RF_OK, "%s",
                     err.msg);
        free(state);
    }
    rf_store_close(st);
    rf_bank_cleanup(&bank);
    return m;
}

static size_t seed_drift_tests(const char *skill, const char *drifted, double drift, int n,
                               char ids[][160], size_t cap)
{
    return seed_tests(skill, drifted, drift, 0, 12, n, ids, cap);
}

Test(review, a_drifted_item_is_flagged_and_updated, .timeout = 600)
{
    fixture_start(0, 0);
    struct http_client admin = fixture_admin();
    struct http_result r;
    char ids[128][160], drifted[160];
    /* the drifted item: the skill's fifth operational mcq item */
    size_t m = seed_drift_tests("data_engineering", "", 0, 0, ids, 128);
    snprintf(drifted, sizeof drifted, "%s", ids[4]);
    seed_drift_tests("data_engineering", drifted, 1.0, 700, ids, 128);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    const json_t *dr = json_object_get(r.json, "drift"), *o;
    cr_assert(json_is_object(dr), "%s", r.body);
    size_t i, flagged_drifted = 0, false_alarms = 0;
    json_array_foreach(json_object_get(dr, "items"), i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        cr_assert(json_is_true(json_object_get(o, "flagged")), "only flagged items are listed");
        if (!strcmp(id, drifted)) {
            flagged_drifted = 1;
            cr_assert(json_number_value(json_object_get(o, "shift")) < -0.5, "%s", r.body);
            cr_assert(json_is_true(json_object_get(o, "updatable")));
            cr_assert_str_eq(json_string_value(json_object_get(o, "state")), "operational");
        } else {
            false_alarms++;
        }
    }
    fprintf(stderr,
            "review drift: %lld of %zu items tested, the drifted one %sflagged, %zu others\n",
            (long long)json_integer_value(json_object_get(dr, "tested")), m,
            flagged_drifted ? "" : "NOT ", false_alarms);
    cr_assert(flagged_drifted, "%s was not flagged: %s", drifted, r.body);
    cr_assert(json_integer_value(json_object_get(dr, "tested")) >= (json_int_t)m - 2);
    cr_assert(false_alarms <= 1, "%zu items without drift flagged", false_alarms);
    http_result_free(&r);
    char body[512];
    /* an item without drift is not in the queue; a drifted one is not promoted */
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"update\"}",
             strcmp(ids[0], drifted) ? ids[0] : ids[1]);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 400, "%s", r.body);
    http_result_free(&r);
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"promote\"}", drifted);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 409, "%s", r.body);
    http_result_free(&r);
    size_t nv;
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 0);
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"update\"}", drifted);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    const json_t *d =
        json_object_get(queue_item(json_object_get(r.json, "drift"), drifted), "decision");
    cr_assert_str_eq(json_string_value(json_object_get(d, "action")), "update", "%s", r.body);
    http_result_free(&r);
    /* re-estimated at revision 1: the drift is gone */
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    cr_assert(!queue_item(json_object_get(r.json, "drift"), drifted),
              "after the update the item is not flagged: %s", r.body);
    http_result_free(&r);
    fixture_stop();
}

/* ---- re-estimating the items in use (docs/calibration.md "Re-estimating
 * operational items in the product") ---- */

static int reestimate(struct http_client *c, long long run, const char *action,
                      struct http_result *r)
{
    char body[128];
    snprintf(body, sizeof body, "{\"run\":%lld,\"action\":\"%s\"}", run, action);
    return status_of(c, "POST", "/api/review/reestimate", body, r);
}

/* A refused re-estimate: 409 "conflict" with reason code reason and the
 * refusal's run (and, with want_rev >= 0, revisions want_rev and active) in
 * its detail (docs/api.md "Errors"). */
static void refused(const struct http_result *r, const char *reason, long long run,
                    long long want_rev, long long active)
{
    cr_assert_eq(r->status, 409, "%s", r->body);
    cr_assert_str_eq(json_string_value(json_object_get(r->json, "code")), "conflict", "%s",
                     r->body);
    cr_assert_str_eq(json_string_value(json_object_get(r->json, "field")), "run", "%s", r->body);
    const char *why = json_string_value(json_object_get(r->json, "reason"));
    cr_assert(why && !strcmp(why, reason), "reason %s, not %s: %s", reason, why ? why : "none",
              r->body);
    const json_t *d = json_object_get(r->json, "detail");
    cr_assert_eq(json_integer_value(json_object_get(d, "run")), run, "%s", r->body);
    if (want_rev >= 0) {
        cr_assert_eq(json_integer_value(json_object_get(d, "revision")), want_rev, "%s", r->body);
        cr_assert_eq(json_integer_value(json_object_get(d, "active")), active, "%s", r->body);
    }
}

/* The overlay of stored revision rev (parsed; the caller frees). */
static json_t *revision_overlay(long long rev)
{
    struct rf_store *st;
    struct rf_err err;
    struct rf_bank_revision br;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_bank_revision_get(st, rev, &br, &err), RF_OK, "%s", err.msg);
    json_t *ov = json_loads(br.overlay, 0, NULL);
    cr_assert(ov, "%s", br.overlay);
    rf_store_bank_revision_cleanup(&br);
    rf_store_close(st);
    return ov;
}

Test(review, items_in_use_re_estimated_and_applied_as_one_revision, .timeout = 900)
{
    fixture_start_with(0, 0, wait_long);
    struct http_client admin = fixture_admin();
    struct http_result r;
    char ids[128][160];
    /* 1,000 finished tests of 20 answers each to data_engineering's
     * operational mcq items, whose true slopes are 2.0 or 0.5 where the bank
     * says 1 */
    size_t m = seed_tests("data_engineering", "", 0, 1, 20, 1000, ids, 128);
    /* a test in flight on revision 0 */
    struct http_client fl;
    long long flight;
    start_invited(&admin, &fl, &flight, &r);
    cr_assert(!answer(&fl, flight, &r, 3));

    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_null(json_object_get(r.json, "recal")), "no re-estimate yet: %s", r.body);
    http_result_free(&r);
    cr_assert_eq(reestimate(&admin, 1, "apply", &r), 400, "no run yet: %s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "run");
    http_result_free(&r);

    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    const json_t *re = json_object_get(r.json, "recal");
    cr_assert(json_is_object(re), "the run re-estimates the items in use: %s", r.body);
    long long run1 = json_integer_value(json_object_get(json_object_get(re, "run"), "id"));
    long long changed = json_integer_value(json_object_get(re, "changed"));
    long long last1 = json_integer_value(json_object_get(re, "last_test"));
    cr_assert(last1 > 0 && json_integer_value(json_object_get(re, "heldout_from")) == 0,
              "revision 0 was fitted to no test: any may be held out: %s", r.body);
    const json_t *ho = json_object_get(re, "heldout");
    double llc = json_number_value(json_object_get(ho, "ll_current")),
           lln = json_number_value(json_object_get(ho, "ll_new"));
    fprintf(stderr,
            "review re-estimate: %lld of %lld items in use change (%zu answered), held-out "
            "log-likelihood per answer %.4f -> %.4f over %lld answers, accept %d: %s\n",
            changed, (long long)json_integer_value(json_object_get(re, "in_use")), m, llc, lln,
            (long long)json_integer_value(json_object_get(ho, "answers")),
            json_is_true(json_object_get(re, "accept")),
            json_string_value(json_object_get(re, "why")));
    cr_assert(json_is_true(json_object_get(re, "accept")), "%s", r.body);
    cr_assert(json_is_true(json_object_get(re, "applicable")));
    cr_assert(!json_is_true(json_object_get(re, "stale")));
    cr_assert(json_is_null(json_object_get(re, "decision")));
    cr_assert(lln > llc, "the new bank predicts held-out answers better");
    cr_assert(changed >= (long long)m / 2 && changed <= (long long)m, "%lld of %zu", changed, m);
    cr_assert(json_number_value(json_object_get(json_object_get(json_object_get(re, "change"), "a"),
                                                "max")) > 0.3,
              "%s", r.body);
    cr_assert(json_is_number(json_object_get(json_object_get(re, "hyper"), "sd_loga")), "%s",
              r.body);
    /* the slopes move the right way: up where the truth is 2.0, down where 0.5 */
    const json_t *o;
    size_t i, right = 0, shown = 0;
    char first[160] = "";
    double first_a = 0;
    json_array_foreach(json_object_get(re, "items"), i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        double from = json_number_value(json_object_get(json_object_get(o, "from"), "a"));
        double to = json_number_value(json_object_get(json_object_get(o, "to"), "a"));
        cr_assert_str_eq(json_string_value(json_object_get(o, "skill")), "data_engineering");
        right += (slope_of(id) > 1) == (to > from);
        shown++;
        if (!first[0]) {
            snprintf(first, sizeof first, "%s", id);
            first_a = to;
        }
    }
    cr_assert(shown > 0 && right >= shown * 9 / 10, "%zu of %zu slopes moved towards the truth",
              right, shown);
    http_result_free(&r);

    /* bad bodies: 400 naming the field, nothing stored */
    static const char *const bad[][2] = {
        {"[]", NULL},
        {"{\"action\":\"apply\"}", "run"},
        {"{\"run\":\"1\",\"action\":\"apply\"}", "run"},
        {"{\"run\":0,\"action\":\"apply\"}", "run"},
        {"{\"run\":99999,\"action\":\"apply\"}", "run"},
        {"{\"run\":@}", "action"},
        {"{\"run\":@,\"action\":\"bless\"}", "action"},
        {"{\"run\":@,\"action\":7}", "action"},
        {"{\"run\":@,\"action\":\"apply\",\"note\":5}", "note"},
    };
    char body[512];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *at = strchr(bad[k][0], '@');
        if (at)
            snprintf(body, sizeof body, "%.*s%lld%s", (int)(at - bad[k][0]), bad[k][0], run1,
                     at + 1);
        else
            snprintf(body, sizeof body, "%s", bad[k][0]);
        cr_assert_eq(status_of(&admin, "POST", "/api/review/reestimate", body, &r), 400, "%s: %s",
                     body, r.body);
        if (bad[k][1])
            cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), bad[k][1],
                             "%s: %s", body, r.body);
        http_result_free(&r);
    }
    size_t nv;
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 0, "a refused decision stores no revision");

    /* apply: one new revision holding every changed item */
    cr_assert_eq(reestimate(&admin, run1, "apply", &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "previous")), 0);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "items")), changed);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, &nv), 1);
    cr_assert_eq(nv, 1, "one revision");
    json_t *ov = revision_overlay(1);
    cr_assert_eq((long long)json_object_size(json_object_get(ov, "items")), changed);
    double a1 = json_number_value(json_object_get(
        json_object_get(json_object_get(json_object_get(ov, "items"), first), "params"), "a"));
    cr_assert_float_eq(a1, first_a, 1e-9, "%s: revision 1 has a = %g, the proposal %g", first, a1,
                       first_a);
    cr_assert(fabs(a1 - 1.0) > 0.01, "revision 1's parameters differ from the file's");
    json_decref(ov);
    /* a second staff member applying the same proposal: refused */
    cr_assert_eq(reestimate(&admin, run1, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "applied"), "%s", r.body);
    refused(&r, "recal_applied", run1, -1, -1);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    re = json_object_get(r.json, "recal");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(re, "decision"), "action")),
                     "apply", "%s", r.body);
    cr_assert(!json_is_true(json_object_get(re, "applicable")));
    http_result_free(&r);
    /* the test in flight keeps revision 0 */
    get_test(&fl, flight, &r);
    cr_assert(answer(&fl, flight, &r, 100), "the test in flight finishes");
    cr_assert_eq(report_revision(&fl, flight), 0);

    /* a run at revision 1: its "from" are revision 1's parameters */
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    re = json_object_get(r.json, "recal");
    long long run2 = json_integer_value(json_object_get(json_object_get(re, "run"), "id"));
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(re, "run"), "revision")), 1);
    cr_assert(run2 > run1);
    /* the applied bank is not judged on the tests it was fitted to: none is new */
    cr_assert_eq(json_integer_value(json_object_get(re, "heldout_from")), last1 + 1, "%s", r.body);
    cr_assert(!json_is_true(json_object_get(re, "accept")), "no new test to judge it on: %s",
              r.body);
    json_array_foreach(json_object_get(re, "items"), i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "id")), first))
            cr_assert_float_eq(json_number_value(json_object_get(json_object_get(o, "from"), "a")),
                               first_a, 1e-9, "revision 1's slope of %s", first);
    }
    http_result_free(&r);
    cr_assert_eq(reestimate(&admin, run1, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "replaced"), "an older proposal: %s", r.body);
    refused(&r, "recal_replaced", run1, -1, -1);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "detail"), "latest")),
                 run2, "%s", r.body);
    http_result_free(&r);

    /* rollback to the file: run 2 (computed at revision 1) is stale */
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", "{\"revision\":0}", &r), 200, "%s",
                 r.body);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 1, "revision 1 is kept");
    cr_assert_eq(reestimate(&admin, run2, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "revision 1") && strstr(r.body, "revision 0 is active"),
              "the refusal names the revisions: %s", r.body);
    refused(&r, "recal_stale", run2, 1, 0);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 1, "a stale proposal stores nothing");
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    re = json_object_get(r.json, "recal");
    cr_assert(json_is_true(json_object_get(re, "stale")), "%s", r.body);
    cr_assert(!json_is_true(json_object_get(re, "applicable")));
    http_result_free(&r);
    /* dismissed: recorded, no revision */
    cr_assert_eq(reestimate(&admin, run2, "dismiss", &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 0);
    http_result_free(&r);
    cr_assert_eq(reestimate(&admin, run2, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "dismissed"), "%s", r.body);
    refused(&r, "recal_dismissed", run2, -1, -1);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(r.json, "recal"), "decision"), "action")),
                     "dismiss", "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_revision(&admin, &nv), 0);
    cr_assert_eq(nv, 1);
    /* the rollback restores the file's parameters: a run now reads a = 1 again */
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    re = json_object_get(r.json, "recal");
    size_t seen = 0;
    json_array_foreach(json_object_get(re, "items"), i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "id")), first)) {
            seen = 1;
            cr_assert_float_eq(json_number_value(json_object_get(json_object_get(o, "from"), "a")),
                               1.0, 1e-9, "after the rollback %s is at the file's slope again: %s",
                               first, r.body);
        }
    }
    cr_assert(seen, "%s is proposed again at revision 0: %s", first, r.body);
    cr_assert(json_is_true(json_object_get(re, "applicable")), "%s", r.body);
    http_result_free(&r);
    /* a new test after the rollback runs on the file's parameters */
    struct http_client c0;
    long long after;
    start_invited(&admin, &c0, &after, &r);
    cr_assert(answer(&c0, after, &r, 100));
    cr_assert_eq(report_revision(&c0, after), 0);
    fixture_stop();
}

/* A calibrate request does not wait for a long re-estimate: it waits at
 * most cfg.recal_wait (here a microsecond), replies with the pretest and
 * drift runs and "recal_running", and its heavy-request worker is free; the
 * re-estimate goes on on its own thread, and GET /api/review shows it once
 * stored (the Admin page polls). A second calibrate request meanwhile is
 * answered too (while one runs, none is started). */
Test(review, a_long_re_estimate_runs_in_the_background, .timeout = 900)
{
    fixture_start_with(0, 0, wait_none);
    struct http_client admin = fixture_admin();
    struct http_result r;
    char ids[128][160];
    seed_tests("data_engineering", "", 0, 1, 20, 400, ids, 128);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    const json_t *run = json_object_get(r.json, "recal_running");
    cr_assert(json_is_boolean(run), "%s", r.body);
    if (json_is_true(run))
        cr_expect(json_is_null(json_object_get(r.json, "recal")),
                  "running: no re-estimate stored yet: %s", r.body);
    cr_expect(json_is_object(json_object_get(r.json, "drift")), "the drift run is in the reply");
    http_result_free(&r);
    /* calibrate again, the re-estimate likely still running */
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    http_result_free(&r);
    int done = 0;
    for (int k = 0; k < 6000 && !done; k++) {
        cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
        done = json_is_false(json_object_get(r.json, "recal_running"));
        if (done) {
            const json_t *re = json_object_get(r.json, "recal");
            cr_expect(json_is_object(re) &&
                          json_integer_value(json_object_get(json_object_get(re, "run"), "id")) > 0,
                      "the re-estimate is stored: %s", r.body);
        }
        http_result_free(&r);
        if (!done)
            nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    cr_assert(done, "the re-estimate ended within 600 s");
}
