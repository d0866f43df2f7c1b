/* Sympson-Hetter exposure control in live tests (serve --exposure): the items
 * a first question is drawn from, given K = 1e-9, never reach a candidate
 * over many sessions, while without the file every first question is one of
 * them; and each session's items are exactly those of the engine run with the
 * same seed, design and parameters. Seeds are fixed (rf_app_config.seed). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "fixture.h"
#include "irt/quad.h"

#define SEED 20261124u
#define SESSIONS 20
#define ANSWERS 8
#define NBLOCKED 8

static const char *skill = "deep_learning";
static struct rf_bank bank;
static struct rf_cat_pool *pool; /* as the server builds it for practice: scored practice items */
static char *blocked[NBLOCKED];  /* the skill's most informative items at theta = 0 */
static char dir[64], exposure_path[128];
static int use_exposure;

/* Builds the pool and picks the NBLOCKED items with the most information at
 * the prior mean, where every session's first item is chosen (randomesque
 * among the best RF_CAT_DEFAULT_RANDOMESQUE < NBLOCKED). */
static void pick_blocked(void)
{
    struct rf_err err;
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    cr_assert_eq(
        rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED | RF_CAT_POOL_PRACTICE, &q, &pool, &err),
        RF_OK, "%s", err.msg);
    size_t mid = q.n / 2, sk;
    cr_assert(q.x[mid] == 0.0, "the default grid has a node at 0");
    rf_quad_cleanup(&q);
    cr_assert_eq(rf_cat_pool_skill(pool, skill, &sk), RF_OK);
    int taken[4096] = {0};
    cr_assert(pool->n <= 4096);
    for (size_t b = 0; b < NBLOCKED; b++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < pool->n; i++)
            if (pool->usable[i] && pool->skill[i] == sk && !taken[i] &&
                (best == SIZE_MAX || pool->itab[i * pool->q.n + mid] >
                                         pool->itab[best * pool->q.n + mid]))
                best = i;
        cr_assert_neq(best, SIZE_MAX, "the skill has %d usable items", NBLOCKED);
        taken[best] = 1;
        blocked[b] = pool->ids[best];
    }
}

static int is_blocked(const char *id)
{
    for (size_t b = 0; b < NBLOCKED; b++)
        if (!strcmp(blocked[b], id))
            return 1;
    return 0;
}

static void tweak(struct rf_server_config *cfg)
{
    cfg->app.seed = SEED;
    cfg->app.exposure = use_exposure ? exposure_path : NULL;
}

static void start(int exposure)
{
    pick_blocked();
    strcpy(dir, "/tmp/rf-exposure-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(exposure_path, sizeof exposure_path, "%s/exposure.json", dir);
    FILE *f = fopen(exposure_path, "w");
    cr_assert(f);
    fprintf(f, "{\"format\": \"rolefit-exposure\", \"target\": 0.2, \"items\": [");
    for (size_t b = 0; b < NBLOCKED; b++)
        fprintf(f, "%s{\"item\": \"%s\", \"k\": 1e-9}", b ? ", " : "", blocked[b]);
    fprintf(f, "]}\n");
    cr_assert_eq(fclose(f), 0);
    use_exposure = exposure;
    fixture_start_with(1, 0, tweak);
}

static void start_with(void)
{
    start(1);
}

static void start_without(void)
{
    start(0);
}

static void stop(void)
{
    fixture_stop();
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    rf_cat_pool_free(pool);
    rf_bank_cleanup(&bank);
}

/* Session n as the engine runs it: the server's design for a one-skill
 * practice test (server/app_tests.c build_design) and seed (app.h, cfg.seed). */
static struct rf_cat_session *engine_session(uint64_t n, int exposure)
{
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = RF_WEB_MAX_ITEMS;
    d.stop_unreachable = 0;
    d.exposure = exposure;
    struct rf_cat_rule rule = {RF_CAT_DEFAULT_SE, RF_WEB_MIN_PER_SKILL, RF_WEB_MAX_ITEMS};
    struct rf_err err;
    cr_assert_eq(rf_cat_design_add(&d, pool, skill, rule, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_substream(&r, SEED, n);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(pool, &d, rf_rng_next(&r), &s, &err), RF_OK, "%s", err.msg);
    return s;
}

/* Runs SESSIONS tests of ANSWERS answers each (right on even steps) for new
 * candidates; checks every question against the engine session of the same
 * number; returns how many first questions were blocked items and how many
 * questions in all were. */
static void run_sessions(int exposure, int *first_blocked, int *any_blocked)
{
    if (exposure)
        cr_assert_eq(rf_cat_exposure_load(pool, exposure_path, NULL), RF_OK);
    *first_blocked = *any_blocked = 0;
    char body[128];
    snprintf(body, sizeof body, "{\"skills\":[\"%s\"]}", skill);
    for (int n = 0; n < SESSIONS; n++) {
        struct http_client c = {fx.port, "", ""};
        struct http_result r;
        cr_assert_eq(client_do(&c, "POST", "/api/tests", body, &r), 0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
        struct rf_cat_session *s = engine_session((uint64_t)n, exposure);
        for (int k = 0; k < ANSWERS; k++) {
            const json_t *q = json_object_get(r.json, "question");
            cr_assert(json_is_object(q), "session %d ended after %d answers", n, k);
            const char *item = json_string_value(json_object_get(q, "item"));
            size_t want;
            rf_cat_next(s, &want);
            cr_assert_str_eq(item, pool->ids[want], "session %d question %d: server %s, engine %s",
                             n, k + 1, item, pool->ids[want]);
            *first_blocked += k == 0 && is_blocked(item);
            *any_blocked += is_blocked(item);
            int right = k % 2 == 0;
            cr_assert_eq(rf_cat_answer(s, want, right ? pool->irt[want].ncat - 1 : 0), RF_OK);
            char path[64], ans[256];
            snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
            fixture_answer_body(item, right, ans, sizeof ans);
            http_result_free(&r);
            cr_assert_eq(client_do(&c, "POST", path, ans, &r), 0);
            cr_assert_eq(r.status, 200, "%s", r.body);
        }
        http_result_free(&r);
        if (exposure)
            cr_assert_gt(rf_cat_nblocked(s), 0, "session %d blocked nothing", n);
        rf_cat_session_free(s);
    }
}

Test(exposure, limited_items_are_never_given, .init = start_with, .fini = stop)
{
    int first, any;
    run_sessions(1, &first, &any);
    cr_assert_eq(any, 0, "%d questions of %d sessions were items with K = 1e-9", any, SESSIONS);
}

Test(exposure, without_the_file_they_come_first, .init = start_without, .fini = stop)
{
    int first, any;
    run_sessions(0, &first, &any);
    cr_assert_eq(first, SESSIONS, "only %d of %d first questions were among the %d best items",
                 first, SESSIONS, NBLOCKED);
}

/* A file naming an item the bank lacks stops the start with one line naming
 * the file, the entry and the item. */
Test(exposure_file, unknown_item_refused_at_start)
{
    char d[64] = "/tmp/rf-exposure-XXXXXX", path[128], db[128];
    cr_assert(mkdtemp(d));
    snprintf(path, sizeof path, "%s/e.json", d);
    snprintf(db, sizeof db, "%s/t.db", d);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fprintf(f, "{\"format\": \"rolefit-exposure\", \"target\": 0.2,\n \"items\": [{\"item\": "
               "\"no_such.item.001\", \"k\": 0.5}]}\n");
    cr_assert_eq(fclose(f), 0);
    struct rf_server_config cfg;
    fixture_config(&cfg, db, 1, 0);
    cfg.app.exposure = path;
    struct rf_server *srv = NULL;
    struct rf_err err;
    cr_assert_eq(rf_server_start(&cfg, &srv, &err), RF_EINVAL);
    cr_assert_null(srv);
    cr_assert(strstr(err.msg, path) && strstr(err.msg, "items[0]") &&
                  strstr(err.msg, "no_such.item.001") && !strchr(err.msg, '\n'),
              "%s", err.msg);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    cr_assert_eq(system(cmd), 0);
}
