/*
 * Each test kind's latent distribution from the store, through the server
 * (server/app_latent.c; docs/calibration.md "Each test kind's latent
 * distribution and the loadings"): a store whose invited role-test takers
 * are N(+0.5, 0.8^2) on ml_fundamentals and whose practice takers are
 * N(0, 1) gives a latent run that recovers the invited kind and accepts it
 * alone; applying makes one revision whose new invited tests start from that
 * prior while a test in flight keeps N(0, 1); a rollback restores it; bad
 * bodies are 400 naming the field and refusals 409 with the reason.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "fixture.h"
#include "irt/model.h"
#include "store/store.h"

#define SKILL "ml_fundamentals"

static int status_of(struct http_client *c, const char *method, const char *path, const char *body,
                     struct http_result *r)
{
    cr_assert_eq(client_do(c, method, path, body, r), 0);
    return r->status;
}

/* An invited ml_engineer test in a new browser c; its id. */
static long long start_invited(struct http_client *admin, struct http_client *c)
{
    struct http_result r;
    cr_assert_eq(status_of(admin, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", &r), 201,
                 "%s", r.body);
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
             json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);
    *c = (struct http_client){fx.port, "", ""};
    cr_assert_eq(status_of(c, "POST", "/api/tests", body, &r), 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    http_result_free(&r);
    return id;
}

/* The stored test's org and its session's population prior of SKILL
 * (*mu, *sd; 0 and 0 when the design has none). */
static int64_t test_prior(long long id, double *mu, double *sd)
{
    struct rf_store *st;
    struct rf_err err;
    struct rf_test t;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_test_get(st, id, &t, &err), RF_OK, "%s", err.msg);
    json_t *s = json_loads(t.state, 0, NULL), *sc = json_loads(t.scope, 0, NULL);
    const json_t *d = json_object_get(s, "design"), *o;
    const json_t *pop = json_object_get(d, "population");
    size_t i;
    *mu = *sd = 0;
    json_array_foreach(json_object_get(sc, "skills"), i, o)
    {
        if (!strcmp(json_string_value(o), SKILL) && pop) {
            *mu = json_number_value(json_array_get(json_object_get(pop, "mu"), i));
            *sd = json_number_value(json_array_get(json_object_get(pop, "tau"), i));
        }
    }
    int64_t org = t.org_id;
    json_decref(s);
    json_decref(sc);
    rf_store_test_cleanup(&t);
    rf_store_close(st);
    return org;
}

/* n finished tests of kind (org 0: practice; else a role invite's) of 20
 * answers each to SKILL's operational mcq items, takers N(mu, sd^2). */
static void seed(int64_t org, double mu, double sd, int n, uint64_t seed)
{
    struct rf_bank bank;
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    size_t m = 0, idx[256];
    for (size_t i = 0; i < bank.n && m < 256; i++) {
        const struct rf_item *it = &bank.items[i];
        if (!strcmp(it->skill, SKILL) && it->pool == RF_POOL_OPERATIONAL && !it->retired &&
            it->type == RF_ITEM_MCQ)
            idx[m++] = i;
    }
    cr_assert(m >= 14, "%s has %zu operational mcq items", SKILL, m);
    struct rf_store *st;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (int t = 0; t < n; t++) {
        double theta = mu + sd * rf_rng_normal(&r);
        size_t order[256];
        for (size_t j = 0; j < m; j++)
            order[j] = j;
        json_t *ev = json_array();
        for (size_t j = 0; j < 14; j++) {
            size_t k = j + rf_rng_below(&r, m - j), x = order[j];
            order[j] = order[k];
            order[k] = x;
            const struct rf_item *it = &bank.items[idx[order[j]]];
            int right = rf_rng_uniform(&r) < rf_irt_prob(&it->irt, theta, 1);
            json_array_append_new(ev, json_pack("{s:s,s:i}", "item", it->id, "answer", right));
        }
        json_t *sj = json_pack("{s:o}", "events", ev);
        char *state = json_dumps(sj, JSON_COMPACT);
        json_decref(sj);
        int64_t cand, tid;
        cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
        struct rf_test tt = {0};
        tt.candidate_id = cand;
        tt.org_id = org;
        tt.scope = "{}";
        tt.state = state;
        cr_assert_eq(rf_store_test_create(st, &tt, &tid, &err), RF_OK, "%s", err.msg);
        struct rf_answer a = {tid, 0, bank.items[idx[0]].id, 1, 1, 0, NULL, 0};
        cr_assert_eq(rf_store_answer(st, &a, state, "{\"skills\": []}", &err), RF_OK, "%s",
                     err.msg);
        free(state);
    }
    rf_store_close(st);
    rf_bank_cleanup(&bank);
}

static int latent(struct http_client *c, long long run, const char *action, struct http_result *r)
{
    char body[128];
    snprintf(body, sizeof body, "{\"run\":%lld,\"action\":\"%s\"}", run, action);
    return status_of(c, "POST", "/api/review/latent", body, r);
}

static const json_t *kind_of(const json_t *lat, const char *kind)
{
    const json_t *o;
    size_t i;
    json_array_foreach(json_object_get(lat, "kinds"), i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "kind")), kind))
            return o;
    }
    return NULL;
}

static const json_t *skill_of(const json_t *k)
{
    const json_t *o;
    size_t i;
    json_array_foreach(json_object_get(k, "skills"), i, o)
    {
        if (!strcmp(json_string_value(json_object_get(o, "skill")), SKILL))
            return o;
    }
    return NULL;
}

Test(latent, invited_kind_recovered_applied_to_new_tests_and_rolled_back, .timeout = 900)
{
    fixture_start(0, 0);
    struct http_client admin = fixture_admin(), fl;
    struct http_result r;
    double mu, sd;
    long long flight = start_invited(&admin, &fl);
    int64_t org = test_prior(flight, &mu, &sd);
    cr_assert(org > 0 && sd == 0, "an invited test before any prior: org %lld, sd %g",
              (long long)org, sd);
    seed(0, 0.0, 1.0, 500, 7001);   /* practice: the reference population */
    seed(org, 0.5, 0.8, 500, 7002); /* invited to a role: +0.5, SD 0.8 */

    cr_assert_eq(
        status_of(&admin, "POST", "/api/review/latent", "{\"run\":1,\"action\":\"apply\"}", &r),
        400, "no run yet: %s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "run");
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/calibrate", "{}", &r), 200, "%s", r.body);
    const json_t *lat = json_object_get(r.json, "latent");
    cr_assert(json_is_object(lat), "the review run estimates the kinds: %s", r.body);
    long long run1 = json_integer_value(json_object_get(json_object_get(lat, "run"), "id"));
    const json_t *rk = kind_of(lat, "role"), *pk = kind_of(lat, "practice");
    const json_t *rs = skill_of(rk), *ps = skill_of(pk);
    cr_assert(rs && ps, "%s", r.body);
    double rm = json_number_value(json_object_get(rs, "mean")),
           rsd = json_number_value(json_object_get(rs, "sd")),
           rse = json_number_value(json_object_get(rs, "se_mean")),
           pm = json_number_value(json_object_get(ps, "mean"));
    fprintf(stderr,
            "latent run: role kind %s mean %.3f (SE %.3f) SD %.3f (SE %.3f), n %lld: %s; practice "
            "mean %.3f SD %.3f: %s; loadings: %s\n",
            SKILL, rm, rse, rsd, json_number_value(json_object_get(rs, "se_sd")),
            (long long)json_integer_value(json_object_get(rs, "n")),
            json_string_value(json_object_get(rk, "why")), pm,
            json_number_value(json_object_get(ps, "sd")),
            json_string_value(json_object_get(pk, "why")),
            json_string_value(json_object_get(json_object_get(lat, "loadings"), "why")));
    /* 500 tests of 20 answers: SE of the mean about 0.05 (the bank's a = 1, c = 0.25 items) */
    cr_assert(fabs(rm - 0.5) < 0.2 && fabs(rm - 0.5) < 3.5 * rse, "role mean %.3f (SE %.3f)", rm,
              rse);
    cr_assert(fabs(rsd - 0.8) < 0.25, "role SD %.3f", rsd);
    cr_assert(fabs(pm) < 0.2, "practice mean %.3f", pm);
    cr_assert(json_is_true(json_object_get(rk, "accept")), "%s", r.body);
    cr_assert(!json_is_true(json_object_get(pk, "accept")), "practice is N(0, 1): %s", r.body);
    cr_assert(json_is_true(json_object_get(lat, "applicable")), "%s", r.body);
    cr_assert(!json_is_true(json_object_get(json_object_get(lat, "loadings"), "accept")),
              "one skill says nothing of the loadings: %s", r.body);
    http_result_free(&r);

    /* bad bodies: 400 naming the field, nothing stored */
    static const char *const bad[][2] = {
        {"{\"action\":\"apply\"}", "run"},
        {"{\"run\":0,\"action\":\"apply\"}", "run"},
        {"{\"run\":99999,\"action\":\"apply\"}", "run"},
        {"{\"run\":@,\"action\":\"bless\"}", "action"},
        {"{\"run\":@,\"action\":\"apply\",\"note\":5}", "note"},
    };
    char body[256];
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *at = strchr(bad[k][0], '@');
        if (at)
            snprintf(body, sizeof body, "%.*s%lld%s", (int)(at - bad[k][0]), bad[k][0], run1,
                     at + 1);
        else
            snprintf(body, sizeof body, "%s", bad[k][0]);
        cr_assert_eq(status_of(&admin, "POST", "/api/review/latent", body, &r), 400, "%s: %s", body,
                     r.body);
        cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), bad[k][1], "%s: %s",
                         body, r.body);
        http_result_free(&r);
    }

    /* apply: one revision; new invited tests start from +0.5 */
    cr_assert_eq(latent(&admin, run1, "apply", &r), 200, "%s", r.body);
    long long rev = json_integer_value(json_object_get(r.json, "revision"));
    cr_assert_eq(json_integer_value(json_object_get(r.json, "kinds")), 1, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "loadings")), 0, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(latent(&admin, run1, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "applied already"), "%s", r.body);
    /* the refusal's stable reason and its run, which the pages word (reason.latent_applied) */
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "reason")), "latent_applied", "%s",
                     r.body);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "detail"), "run")),
                 run1, "%s", r.body);
    http_result_free(&r);
    struct http_client c2;
    long long t2 = start_invited(&admin, &c2);
    test_prior(t2, &mu, &sd);
    cr_assert_float_eq(mu, round(rm * 1e4) / 1e4, 1e-4, "the new test's prior mean %g", mu);
    cr_assert_float_eq(sd, round(rsd * 1e4) / 1e4, 1e-4, "the new test's prior SD %g", sd);
    /* the test in flight keeps N(0, 1): its state is restored as it was */
    struct http_result g;
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld", flight);
    cr_assert_eq(status_of(&fl, "GET", path, NULL, &g), 200, "%s", g.body);
    http_result_free(&g);
    test_prior(flight, &mu, &sd);
    cr_assert(sd == 0, "the test in flight keeps its prior (sd %g)", sd);
    /* a rollback restores the reference prior for new tests */
    snprintf(body, sizeof body, "{\"revision\":%lld}", rev - 1);
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback", body, &r), 200, "%s", r.body);
    http_result_free(&r);
    struct http_client c3;
    long long t3 = start_invited(&admin, &c3);
    test_prior(t3, &mu, &sd);
    cr_assert(sd == 0, "after the rollback new tests start from N(0, 1) (sd %g)", sd);
    /* the run, computed at the revision active again, stands undecided */
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    lat = json_object_get(r.json, "latent");
    cr_assert(json_is_null(json_object_get(lat, "decision")), "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(latent(&admin, run1, "dismiss", &r), 200, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(latent(&admin, run1, "apply", &r), 409, "%s", r.body);
    cr_assert(strstr(r.body, "dismissed"), "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "reason")), "latent_dismissed", "%s",
                     r.body);
    http_result_free(&r);
    fixture_stop();
}
