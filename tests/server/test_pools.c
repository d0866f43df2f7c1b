/* Practice and operational pools, and pretest seeding, through the server
 * (issue 19; docs/bank-format.md "Pools", docs/calibration.md "Pretest
 * items"):
 *   - many practice tests over every skill, and their reports, show only
 *     practice-pool items; invited tests ask only operational ones;
 *   - with pretest items in the bank, an invited test asks a few of them among
 *     its questions, numbered and counted like the others, stores each answer
 *     with the skill's posterior at the time, and its reports (the
 *     candidate's and the staff's) are identical whether the pretest items
 *     were answered right or wrong, and to the same test without them
 *     (response times aside: they are the machine's wall clock). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank/bank.h"
#include "base/config.h"
#include "fixture.h"
#include "store/store.h"

static struct rf_bank bank;

static const struct rf_item *item_of(const char *id)
{
    size_t bi;
    cr_assert_eq(rf_bank_find(&bank, id, &bi), RF_OK, "no item %s", id);
    return &bank.items[bi];
}

static void load_bank(void)
{
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
}

/* Takes the test of reply r (consumed) to its end through client c; each
 * question's item id goes to seen (cap 64) and its number is checked; answers
 * right when right(item) says so. Returns the test id. */
static long long take(struct http_client *c, struct http_result *r, int (*right)(const char *),
                      char seen[][160], size_t *nseen)
{
    long long id = json_integer_value(json_object_get(json_object_get(r->json, "test"), "id"));
    *nseen = 0;
    while (json_is_object(json_object_get(r->json, "question"))) {
        const json_t *q = json_object_get(r->json, "question"),
                     *t = json_object_get(r->json, "test");
        cr_assert(*nseen < 64);
        snprintf(seen[*nseen], 160, "%s", json_string_value(json_object_get(q, "item")));
        cr_assert_eq(json_integer_value(json_object_get(q, "number")), (json_int_t)*nseen + 1);
        cr_assert_eq(json_integer_value(json_object_get(t, "answered")), (json_int_t)*nseen);
        char body[256], path[64];
        fixture_answer_body(seen[*nseen], right(seen[*nseen]), body, sizeof body);
        ++*nseen;
        http_result_free(r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        cr_assert_eq(client_do(c, "POST", path, body, r), 0);
        cr_assert_eq(r->status, 200, "%s", r->body);
    }
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "test"), "status")),
                     "finished");
    http_result_free(r);
    return id;
}

/* An invite to role by admin, opened in the new browser c: the first reply in *r. */
static void start_invited(struct http_client *admin, const char *role, struct http_client *c,
                          struct http_result *r)
{
    char body[256];
    snprintf(body, sizeof body, "{\"role\":\"%s\"}", role);
    cr_assert_eq(client_do(admin, "POST", "/api/invites", body, r), 0);
    cr_assert_eq(r->status, 201, "%s", r->body);
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
             json_string_value(json_object_get(r->json, "token")));
    http_result_free(r);
    *c = (struct http_client){fx.port, "", ""};
    cr_assert_eq(client_do(c, "POST", "/api/tests", body, r), 0);
    cr_assert_eq(r->status, 201, "%s", r->body);
}

static int alternate(const char *item)
{
    return strlen(item) % 2 == 0;
}

Test(pools, practice_harvest_sees_no_operational_item, .timeout = 600)
{
    load_bank();
    fixture_start(1, 0);
    struct http_client admin = fixture_admin();
    size_t practice_seen = 0, tests = 0;
    char distinct[2048][160];
    size_t ndistinct = 0;
    /* every skill alone, twice, and every role: as many as a harvester would take */
    json_t *skills = NULL, *roles = NULL;
    struct http_result r;
    cr_assert_eq(client_do(&admin, "GET", "/api/skills", NULL, &r), 0);
    skills = json_incref(json_object_get(r.json, "skills"));
    http_result_free(&r);
    cr_assert_eq(client_do(&admin, "GET", "/api/roles", NULL, &r), 0);
    roles = json_incref(json_object_get(r.json, "roles"));
    http_result_free(&r);
    cr_assert(json_array_size(skills) >= 10 && json_array_size(roles) >= 5);
    size_t nreq = 2 * json_array_size(skills) + json_array_size(roles);
    for (size_t k = 0; k < nreq; k++) {
        char body[256];
        if (k < 2 * json_array_size(skills))
            snprintf(body, sizeof body, "{\"skills\":[\"%s\"]}",
                     json_string_value(json_object_get(
                         json_array_get(skills, k % json_array_size(skills)), "id")));
        else
            snprintf(body, sizeof body, "{\"role\":\"%s\"}",
                     json_string_value(json_object_get(
                         json_array_get(roles, k - 2 * json_array_size(skills)), "id")));
        struct http_client c = {fx.port, "", ""};
        cr_assert_eq(client_do(&c, "POST", "/api/tests", body, &r), 0);
        cr_assert_eq(r.status, 201, "%s: %s", body, r.body);
        char seen[64][160];
        size_t n;
        long long id = take(&c, &r, alternate, seen, &n);
        tests++;
        /* the report reviews every answer, with its key: all practice items */
        char path[64];
        snprintf(path, sizeof path, "/api/tests/%lld/report", id);
        cr_assert_eq(client_do(&c, "GET", path, NULL, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        const json_t *ans = json_object_get(r.json, "answers"), *x;
        size_t i;
        cr_assert_eq(json_array_size(ans), n, "%s: the review lists every answer", body);
        json_array_foreach(ans, i, x)
        {
            const char *item = json_string_value(json_object_get(x, "item"));
            cr_assert(item, "a reviewed answer names its item");
            cr_assert_eq(item_of(item)->pool, RF_POOL_PRACTICE,
                         "%s: the practice report discloses '%s' of the %s pool", body, item,
                         rf_item_pool_name(item_of(item)->pool));
        }
        http_result_free(&r);
        for (size_t j = 0; j < n; j++) {
            cr_assert_eq(item_of(seen[j])->pool, RF_POOL_PRACTICE,
                         "%s: practice asked '%s' of the %s pool", body, seen[j],
                         rf_item_pool_name(item_of(seen[j])->pool));
            practice_seen++;
            size_t d = 0;
            while (d < ndistinct && strcmp(distinct[d], seen[j]))
                d++;
            if (d == ndistinct && ndistinct < 2048)
                snprintf(distinct[ndistinct++], 160, "%s", seen[j]);
        }
    }
    size_t npractice = 0;
    for (size_t i = 0; i < bank.n; i++)
        npractice += bank.items[i].pool == RF_POOL_PRACTICE && !bank.items[i].retired &&
                     bank.items[i].type != RF_ITEM_RUBRIC;
    fprintf(stderr,
            "pools: %zu practice tests asked %zu questions, %zu distinct of the %zu practice "
            "items; %zu items of the bank\n",
            tests, practice_seen, ndistinct, npractice, bank.n);
    cr_assert(ndistinct > npractice / 2, "the harvest reached %zu of %zu practice items", ndistinct,
              npractice);
    /* invited tests ask operational items only */
    for (int t = 0; t < 4; t++) {
        struct http_client c;
        start_invited(&admin, "ml_engineer", &c, &r);
        char seen[64][160];
        size_t n;
        take(&c, &r, alternate, seen, &n);
        for (size_t j = 0; j < n; j++)
            cr_assert_eq(item_of(seen[j])->pool, RF_POOL_OPERATIONAL,
                         "an invited test asked '%s' of the %s pool", seen[j],
                         rf_item_pool_name(item_of(seen[j])->pool));
    }
    json_decref(skills);
    json_decref(roles);
    fixture_stop();
    rf_bank_cleanup(&bank);
}

/* ---- pretest seeding ---- */

#define PRE_PER_SKILL 4
static char pre_dir[64];
static int pre_count; /* cfg.pretest of the next server */

/* A copy of data/bank with the first PRE_PER_SKILL operational mcq items of
 * every skill marked "pool": "pretest". */
static void make_pretest_bank(void)
{
    strcpy(pre_dir, "/tmp/rf-pretest-XXXXXX");
    cr_assert(mkdtemp(pre_dir));
    DIR *dir = opendir("data/bank");
    cr_assert(dir);
    struct dirent *de;
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
        json_t *items = json_object_get(root, "items"), *it;
        size_t i, marked = 0;
        json_array_foreach(items, i, it)
        {
            const struct rf_item *bi = item_of(json_string_value(json_object_get(it, "id")));
            if (marked < PRE_PER_SKILL && bi->pool == RF_POOL_OPERATIONAL && !bi->retired &&
                bi->type == RF_ITEM_MCQ) {
                json_object_set_new(it, "pool", json_string("pretest"));
                marked++;
            }
        }
        cr_assert_eq(json_dump_file(root, out, JSON_INDENT(1)), 0);
        json_decref(root);
    }
    closedir(dir);
}

static void pretest_tweak(struct rf_server_config *cfg)
{
    cfg->app.bank_dir = pre_dir;
    cfg->app.seed = 1919;
    cfg->app.pretest = pre_count;
}

static int pre_right; /* how the pretest items are answered */

/* A scored question: right by a hash of its id (about two in three). */
static int by_hash(const char *item)
{
    unsigned h = 7;
    for (const char *c = item; *c; c++)
        h = h * 31u + (unsigned char)*c;
    return (h >> 4) % 3 != 0;
}

/* One fresh server: an invited role test taken through; its questions, the
 * stored state, and both reports without the test id. */
struct outcome {
    char seen[64][160];
    size_t n;
    char *report_candidate, *report_staff;
    json_t *state;
    json_t *calibration; /* rolefit calibrate --pretest over the store */
};

static struct rf_bank pre_bank; /* the copy, to tell pretest items */

static int answer_rule(const char *item)
{
    size_t bi;
    cr_assert_eq(rf_bank_find(&pre_bank, item, &bi), RF_OK);
    if (pre_bank.items[bi].pool == RF_POOL_PRETEST)
        return pre_right;
    return by_hash(item);
}

static char *report_text(struct http_client *c, long long id)
{
    struct http_result r;
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/report", id);
    cr_assert_eq(client_do(c, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    json_object_del(r.json, "test");
    /* response times are the machine's wall clock: all else must agree */
    const json_t *ans = json_object_get(json_object_get(r.json, "integrity"), "answers"), *x;
    size_t i;
    json_array_foreach(ans, i, x) json_object_del((json_t *)x, "response_ms");
    char *s = json_dumps(r.json, JSON_SORT_KEYS | JSON_COMPACT);
    http_result_free(&r);
    return s;
}

static void run_invited(int count, int right, struct outcome *o)
{
    pre_count = count;
    pre_right = right;
    fixture_start_with(1, 0, pretest_tweak);
    struct http_client admin = fixture_admin();
    struct http_result r;
    struct http_client c;
    start_invited(&admin, "data_scientist", &c, &r);
    long long id = take(&c, &r, answer_rule, o->seen, &o->n);
    o->report_candidate = report_text(&c, id);
    o->report_staff = report_text(&admin, id);
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    struct rf_test t;
    cr_assert_eq(rf_store_test_get(st, id, &t, &err), RF_OK, "%s", err.msg);
    o->state = json_loads(t.state, 0, NULL);
    rf_store_test_cleanup(&t);
    rf_store_close(st);
    /* the calibration reads the pretest answers back from the store */
    const char *b = getenv("BUILD");
    char cmd[512], out[160];
    snprintf(out, sizeof out, "%s/calib.json", fx.dir);
    snprintf(cmd, sizeof cmd,
             "%s/rolefit calibrate --pretest --bank %s --store %s --format json --out %s",
             b && b[0] ? b : "build", pre_dir, fx.db, out);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    json_error_t je;
    o->calibration = json_load_file(out, 0, &je);
    cr_assert(o->calibration, "%s: %s", out, je.text);
    fixture_stop();
}

Test(pools, pretest_items_are_seeded_unscored, .timeout = 600)
{
    load_bank();
    make_pretest_bank();
    struct rf_err err;
    rf_bank_init(&pre_bank);
    cr_assert_eq(rf_bank_load_dir(pre_dir, &pre_bank, &err), RF_OK, "%s", err.msg);
    static struct outcome none, right, wrong;
    run_invited(-1, 1, &none);
    run_invited(3, 1, &right);
    run_invited(3, 0, &wrong);
    /* the same scored questions in the same order, three pretest items more */
    size_t npre = 0, j = 0;
    for (size_t i = 0; i < right.n; i++) {
        size_t bi;
        cr_assert_eq(rf_bank_find(&pre_bank, right.seen[i], &bi), RF_OK);
        cr_assert_str_eq(right.seen[i], wrong.seen[i]);
        if (pre_bank.items[bi].pool == RF_POOL_PRETEST) {
            npre++;
            continue;
        }
        cr_assert(j < none.n && !strcmp(right.seen[i], none.seen[j]),
                  "scored question %zu: %s with pretest items, %s without", j + 1, right.seen[i],
                  j < none.n ? none.seen[j] : "none");
        j++;
    }
    cr_assert_eq(j, none.n);
    cr_assert_eq(npre, 3, "%zu pretest items asked", npre);
    for (size_t i = 0; i < none.n; i++) {
        size_t bi;
        cr_assert_eq(rf_bank_find(&pre_bank, none.seen[i], &bi), RF_OK);
        cr_assert_neq(pre_bank.items[bi].pool, RF_POOL_PRETEST);
    }
    /* identical reports, the candidate's and the staff's */
    cr_assert_str_eq(right.report_candidate, none.report_candidate);
    cr_assert_str_eq(wrong.report_candidate, none.report_candidate);
    cr_assert_str_eq(right.report_staff, none.report_staff);
    cr_assert_str_eq(wrong.report_staff, none.report_staff);
    /* each pretest answer stored with its skill's posterior at the time */
    const json_t *pa = json_object_get(right.state, "pretest_answers"), *x;
    size_t i;
    cr_assert_eq(json_array_size(pa), 3);
    json_array_foreach(pa, i, x)
    {
        double sd = json_real_value(json_object_get(x, "sd"));
        cr_assert(json_is_real(json_object_get(x, "theta")) && sd > 0 && sd < 1.5, "%s",
                  json_dumps(x, 0));
        cr_assert_eq(json_integer_value(json_object_get(x, "answer")), 1);
    }
    cr_assert_eq(json_array_size(json_object_get(none.state, "pretest_answers")), 0);
    /* one test: each pretest item answered once, all right: nothing to estimate yet */
    const json_t *ci = json_object_get(right.calibration, "items");
    cr_assert_eq(json_array_size(ci), 3, "%s", json_dumps(right.calibration, 0));
    json_array_foreach(ci, i, x)
    {
        cr_assert_eq(json_integer_value(json_object_get(x, "n")), 1);
        cr_assert(json_is_false(json_object_get(x, "ready")));
        cr_assert(strstr(json_string_value(json_object_get(x, "note")), "one category"));
    }
    cr_assert_eq(json_array_size(json_object_get(none.calibration, "items")), 0);
    struct outcome *all[3] = {&none, &right, &wrong};
    for (int k = 0; k < 3; k++) {
        free(all[k]->report_candidate);
        free(all[k]->report_staff);
        json_decref(all[k]->state);
        json_decref(all[k]->calibration);
    }
    rf_bank_cleanup(&pre_bank);
    rf_bank_cleanup(&bank);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", pre_dir);
    cr_assert_eq(system(cmd), 0);
}

/* Pretest batches (cat/pretest.h) through two servers on one database:
 * with batches of 1 and a target of 1 answer, every invited test asks, of
 * each skill it draws a pretest item from, the skill's first pretest item
 * in bank order that no finished test has answered yet (when every one was,
 * the least answered), whichever server
 * starts it (both read the batch from the stored answers, not from memory);
 * each test asks 3 of them, unscored as before. */
static void batch_tweak(struct rf_server_config *cfg)
{
    pretest_tweak(cfg);
    cfg->app.pretest_batch = 1;
    cfg->app.pretest_target = 1;
}

Test(pools, pretest_batches_rotate_by_stored_answers, .timeout = 600)
{
    load_bank();
    make_pretest_bank();
    struct rf_err err;
    rf_bank_init(&pre_bank);
    cr_assert_eq(rf_bank_load_dir(pre_dir, &pre_bank, &err), RF_OK, "%s", err.msg);
    pre_count = 3;
    pre_right = 1;
    fixture_start_with(1, 0, batch_tweak);
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 1, 0);
    batch_tweak(&cfg);
    struct rf_server *other = NULL;
    rf_err_clear(&err);
    cr_assert_eq(rf_server_start(&cfg, &other, &err), RF_OK, "%s", err.msg);
    unsigned port[2] = {fx.port, rf_server_port(other)};
    struct http_client admin = fixture_admin();
    int64_t *asked = calloc(pre_bank.n, sizeof *asked); /* answers stored per bank item */
    cr_assert(asked);
    size_t total = 0;
    for (int t = 0; t < 6; t++) {
        struct http_result r;
        cr_assert_eq(client_do(&admin, "POST", "/api/invites", "{\"role\":\"data_scientist\"}", &r),
                     0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        char body[256];
        snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
                 json_string_value(json_object_get(r.json, "token")));
        http_result_free(&r);
        struct http_client c = {port[t % 2], "", ""};
        cr_assert_eq(client_do(&c, "POST", "/api/tests", body, &r), 0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        char seen[64][160];
        size_t n, npre = 0, bi;
        take(&c, &r, answer_rule, seen, &n);
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(rf_bank_find(&pre_bank, seen[i], &bi), RF_OK);
            if (pre_bank.items[bi].pool != RF_POOL_PRETEST)
                continue;
            npre++;
            /* the live one of its skill: the first in bank order not yet
             * answered; when all were, the least answered (then the first) */
            size_t want = SIZE_MAX;
            for (size_t j = 0; j < pre_bank.n; j++)
                if (pre_bank.items[j].pool == RF_POOL_PRETEST &&
                    !strcmp(pre_bank.items[j].skill, pre_bank.items[bi].skill) &&
                    (want == SIZE_MAX || (asked[j] == 0) > (asked[want] == 0) ||
                     (asked[want] > 0 && asked[j] < asked[want])))
                    want = j;
            cr_assert_eq(bi, want, "test %d (server %d): pretest item %s, the batch holds %s", t + 1,
                         t % 2 + 1, seen[i], want == SIZE_MAX ? "none" : pre_bank.items[want].id);
        }
        cr_assert_eq(npre, 3, "test %d: %zu pretest items", t + 1, npre);
        for (size_t i = 0; i < n; i++)
            if (!rf_bank_find(&pre_bank, seen[i], &bi) && pre_bank.items[bi].pool == RF_POOL_PRETEST)
                asked[bi]++;
        total += npre;
    }
    cr_assert_eq(total, 18);
    /* the Admin page's list of live items (GET /api/review/pretest): per
     * skill the one item the next test would ask, with its answers in
     * finished tests; no calibration run yet */
    struct http_result r;
    cr_assert_eq(client_do(&admin, "GET", "/api/review/pretest", NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert(json_integer_value(json_object_get(r.json, "batch")) == 1 &&
                  json_integer_value(json_object_get(r.json, "target")) == 1 &&
                  json_integer_value(json_object_get(r.json, "per_test")) == 3 &&
                  json_is_null(json_object_get(r.json, "run")),
              "%s", r.body);
    const json_t *sk, *skills = json_object_get(r.json, "skills");
    size_t k, nskills = 0;
    cr_assert(json_array_size(skills) > 0, "%s", r.body);
    json_array_foreach(skills, k, sk)
    {
        const char *sid = json_string_value(json_object_get(sk, "skill"));
        size_t want = SIZE_MAX, npre = 0;
        for (size_t j = 0; j < pre_bank.n; j++)
            if (pre_bank.items[j].pool == RF_POOL_PRETEST &&
                !strcmp(pre_bank.items[j].skill, sid)) {
                npre++;
                if (want == SIZE_MAX || (asked[j] == 0) > (asked[want] == 0) ||
                    (asked[want] > 0 && asked[j] < asked[want]))
                    want = j;
            }
        const json_t *live = json_object_get(sk, "live"), *it = json_array_get(live, 0);
        cr_assert(want != SIZE_MAX && json_array_size(live) == 1, "%s: %s", sid, r.body);
        cr_assert_str_eq(json_string_value(json_object_get(it, "id")), pre_bank.items[want].id,
                         "%s: %s", sid, r.body);
        cr_assert_eq(json_integer_value(json_object_get(it, "answers")), asked[want], "%s: %s", sid,
                     r.body);
        cr_assert(json_is_null(json_object_get(it, "calibrated")), "%s", r.body);
        cr_assert_eq((size_t)json_integer_value(json_object_get(sk, "pretest")), npre, "%s",
                     r.body);
        cr_assert_eq((size_t)json_integer_value(json_object_get(sk, "waiting")), npre - 1, "%s",
                     r.body);
        nskills++;
    }
    http_result_free(&r);
    /* a calibration run: the live items it estimated show its figures */
    cr_assert_eq(client_do(&admin, "POST", "/api/review/calibrate", "{}", &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(client_do(&admin, "GET", "/api/review/pretest", NULL, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert(json_integer_value(json_object_get(r.json, "run")) > 0, "%s", r.body);
    cr_assert_eq(json_array_size(json_object_get(r.json, "skills")), nskills, "%s", r.body);
    http_result_free(&r);
    /* only the bank's admins: another organization's admin finds nothing,
     * someone not signed in is refused */
    struct http_client oadmin = fixture_other_account("admin");
    cr_assert_eq(client_do(&oadmin, "GET", "/api/review/pretest", NULL, &r), 0);
    cr_assert_eq(r.status, 404, "%s", r.body);
    cr_assert_null(strstr(r.body, "live"), "%s", r.body);
    http_result_free(&r);
    struct http_client anon = {fx.port, "", ""};
    cr_assert_eq(client_do(&anon, "GET", "/api/review/pretest", NULL, &r), 0);
    cr_assert_eq(r.status, 403, "%s", r.body);
    http_result_free(&r);
    free(asked);
    rf_server_stop(other);
    fixture_stop();
    rf_bank_cleanup(&pre_bank);
    rf_bank_cleanup(&bank);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", pre_dir);
    cr_assert_eq(system(cmd), 0);
}
