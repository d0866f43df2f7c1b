/* The recruiter ranking over HTTP ranks stored tests with the arithmetic of
 * `rolefit match`: each skill's posterior on its grid, whether the test was
 * stored with its packed profile or (finished before there was one) with its
 * JSON only; never the normal summary (theta, SE) of that posterior. */
#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/json.h"
#include "base/rng.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "careers/profile.h"
#include "careers/rank.h"
#include "fixture.h"
#include "store/store.h"

static void start(void)
{
    fixture_start(0, 0);
}

TestSuite(ranking, .init = start, .fini = fixture_stop);

/* One requirement, so that a candidate's fit is P(theta >= cut) of one skill. */
static const char posting_text[] = "## Requirements\n- SQL\n";

static int64_t org_of(struct http_client *c)
{
    struct http_result r;
    cr_assert_eq(client_do(c, "GET", "/api/me", NULL, &r), 0);
    int64_t org =
        json_integer_value(json_object_get(json_object_get(r.json, "user"), "organization"));
    http_result_free(&r);
    cr_assert_gt(org, 0);
    return org;
}

static int64_t create_posting(struct http_client *c, const char *title, const char *text)
{
    json_t *body = json_pack("{s:s,s:s}", "title", title, "text", text);
    char *b = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    struct http_result r;
    cr_assert_eq(client_do(c, "POST", "/api/postings", b, &r), 0);
    free(b);
    cr_assert_eq(r.status, 201, "%s", r.body);
    int64_t id = json_integer_value(json_object_get(r.json, "id"));
    http_result_free(&r);
    return id;
}

/* Writes a finished test straight into the server's database (a second
 * connection, as WAL allows): a candidate invited for posting (0: none) with
 * label, whose stored profile is pr, packed as the server stores it (the JSON
 * read back, packed) or, like a test finished before the store kept packed
 * profiles, as JSON only. */
static void store_finished(int64_t org, int64_t posting, const char *label,
                           const struct rf_profile *pr, int packed)
{
    static int k;
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    int64_t cand, inv, tid;
    char hash[32];
    snprintf(hash, sizeof hash, "ranking-%d", k++);
    struct rf_invite v = {.org_id = org, .posting_id = posting, .role = "data_engineer",
                          .label = (char *)label, .expires = 1L << 40};
    cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
    cr_assert_eq(rf_store_invite_create(st, hash, &v, &inv, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_invite_claim(st, inv, cand, &err), RF_OK);
    struct rf_test t = {.candidate_id = cand, .org_id = org, .posting_id = posting,
                        .invite_id = inv, .scope = "{\"role\":\"data_engineer\"}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK, "%s", err.msg);
    json_t *j;
    cr_assert_eq(rf_profile_to_json(pr, &j, &err), RF_OK);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    unsigned char *pk = NULL;
    size_t npk = 0;
    struct rf_profile back;
    if (packed) {
        cr_assert_eq(rf_profile_parse("stored", text, strlen(text), &back, &err), RF_OK);
        cr_assert_eq(rf_profile_pack(&back, &pk, &npk, &err), RF_OK);
        rf_profile_cleanup(&back);
    }
    struct rf_answer a = {tid, 0, "data_engineering.sql.001", 0, 1, 0, NULL, 0};
    cr_assert_eq(rf_store_answer_packed(st, &a, "{}", text, pk, npk, &err), RF_OK, "%s", err.msg);
    free(text);
    free(pk);
    rf_store_close(st);
}

/* A profile of one skill whose posterior on the default grid is the given
 * mixture of two normals (weight w on the first). */
static void mixture_profile(struct rf_profile *pr, const char *skill, double w, double m1,
                            double s1, double m2, double s2)
{
    struct rf_err err;
    double post[RF_QUAD_DEFAULT_N];
    rf_profile_init_default(pr);
    for (size_t i = 0; i < pr->n; i++) {
        double x = rf_profile_node(pr, i), z1 = (x - m1) / s1, z2 = (x - m2) / s2;
        post[i] = w * exp(-0.5 * z1 * z1) / s1 + (1 - w) * exp(-0.5 * z2 * z2) / s2;
    }
    cr_assert_eq(rf_profile_add_posterior(pr, skill, 10, post, NULL, &err), RF_OK, "%s", err.msg);
}

/* The fit of prof against the posting as `rolefit match` computes it from
 * the profile's JSON (what it would read from a file). */
static double match_fit(const struct rf_careers *c, const struct rf_parsed_posting *pp,
                        const struct rf_profile *prof)
{
    double p[8];
    struct rf_posting_fit f;
    struct rf_profile back;
    struct rf_err err;
    json_t *j;
    cr_assert_leq(pp->nreqs, 8);
    cr_assert_eq(rf_profile_to_json(prof, &j, &err), RF_OK);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    cr_assert_eq(rf_profile_parse("file", text, strlen(text), &back, &err), RF_OK, "%s", err.msg);
    free(text);
    rf_posting_fit(pp, &c->tax, &back, p, NULL, &f);
    rf_profile_cleanup(&back);
    return f.fit;
}

/* The same profile reduced to its normal summary: N(theta, SE^2). */
static double normal_fit(const struct rf_careers *c, const struct rf_parsed_posting *pp,
                         const struct rf_profile *prof)
{
    struct rf_profile q;
    struct rf_err err;
    rf_profile_init_default(&q);
    const struct rf_profile_skill *s = &prof->skills[0];
    cr_assert_eq(rf_profile_add_skill(&q, s->skill, s->theta, s->se, s->items, NULL, NULL, &err),
                 RF_OK);
    double f = match_fit(c, pp, &q);
    rf_profile_cleanup(&q);
    return f;
}

static void count_packed(void *ud, const struct rf_store_ranked *t)
{
    ((int *)ud)[t->packed ? 0 : 1]++;
}

static const json_t *row_of(const json_t *cands, const char *label)
{
    for (size_t i = 0; i < json_array_size(cands); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(cands, i), "label")), label))
            return json_array_get(cands, i);
    cr_assert_fail("no row for %s", label);
    return NULL;
}

/* Whether each test of the posting has its packed profile in the store. */
static void packed_state(int64_t org, int64_t posting, int *npacked, int *njson)
{
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    int counts[2] = {0, 0};
    cr_assert_eq(rf_store_tests_ranked(st, org, posting, 0, 0, 0, count_packed, counts, &err), RF_OK);
    rf_store_close(st);
    *npacked = counts[0];
    *njson = counts[1];
}

/* "skewed" has most of its posterior mass well above the cut and a long tail
 * far below it, so its mean sits below the cut: the normal summary puts it
 * under "steady" (a plain normal posterior a little above the cut), the
 * posterior itself above. The server must rank it first, with the exact
 * fits, for the packed test and for the JSON-only one alike; the JSON-only one
 * is packed by that ranking and ranks the same from then on. */
Test(ranking, uses_the_posterior_not_its_normal_summary)
{
    struct http_client a = fixture_admin();
    int64_t org = org_of(&a);
    int64_t pid = create_posting(&a, "Data engineer", posting_text);
    struct rf_careers c;
    struct rf_err err;
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    struct rf_parsed_posting pp;
    cr_assert_eq(rf_posting_parse("posting", posting_text, strlen(posting_text), &c.aliases, &c.tax,
                                  &pp, &err),
                 RF_OK);
    cr_assert_eq(pp.nreqs, 1);
    const struct rf_posting_req *q = &pp.reqs[0];
    cr_assert_eq(q->nskills, 1);
    const char *skill = c.tax.skills[q->skills[0]].id;
    double cut = c.tax.skills[q->skills[0]].cuts[q->level - 1];
    struct rf_profile skewed, steady;
    mixture_profile(&skewed, skill, 0.75, cut + 0.8, 0.3, cut - 3, 0.5);
    mixture_profile(&steady, skill, 1, cut + 0.15, 0.45, 0, 1);
    double fs = match_fit(&c, &pp, &skewed), ft = match_fit(&c, &pp, &steady);
    double ns = normal_fit(&c, &pp, &skewed), nt = normal_fit(&c, &pp, &steady);
    /* the case separates the two methods (else this test would prove nothing) */
    cr_assert_gt(fs, ft + 0.05, "posterior: skewed %.3f above steady %.3f", fs, ft);
    cr_assert_lt(ns, nt - 0.05, "normal summary: skewed %.3f below steady %.3f", ns, nt);
    store_finished(org, pid, "steady", &steady, 1);
    store_finished(org, pid, "skewed", &skewed, 1);
    store_finished(org, pid, "skewed-json-only", &skewed, 0);
    int npk, njs;
    packed_state(org, pid, &npk, &njs);
    cr_assert(npk == 2 && njs == 1, "before: %d packed, %d JSON only", npk, njs);
    char path[96];
    snprintf(path, sizeof path, "/api/postings/%lld/ranking", (long long)pid);
    for (int round = 0; round < 2; round++) {
        struct http_result r;
        cr_assert_eq(client_do(&a, "GET", path, NULL, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        const json_t *cands = json_object_get(r.json, "candidates");
        cr_assert_eq(json_array_size(cands), 3, "%s", r.body);
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cands, 2), "label")),
                         "steady", "%s", r.body);
        /* the same doubles as `rolefit match`, printed at the 4 significant digits of a
         * probability (issue 22) */
        const char *names[] = {"skewed", "skewed-json-only", "steady"};
        double want[] = {fs, fs, ft};
        for (size_t i = 0; i < 3; i++) {
            double got = json_real_value(json_object_get(row_of(cands, names[i]), "fit"));
            cr_assert(got == rf_round_sig(want[i], 4), "round %d, %s: server %.17g, match %.17g",
                      round, names[i], got, want[i]);
        }
        cr_assert_eq(json_integer_value(json_object_get(r.json, "skipped")), 0);
        http_result_free(&r);
        packed_state(org, pid, &npk, &njs);
        cr_assert(npk == 3 && njs == 0, "after round %d: %d packed, %d JSON only", round, npk,
                  njs);
    }
    rf_profile_cleanup(&skewed);
    rf_profile_cleanup(&steady);
    rf_posting_cleanup(&pp);
    rf_careers_cleanup(&c);
}

static json_t *get_ranking(struct http_client *c, int64_t pid, const char *query, int want)
{
    char path[128];
    snprintf(path, sizeof path, "/api/postings/%lld/ranking%s", (long long)pid, query);
    struct http_result r;
    cr_assert_eq(client_do(c, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, want, "%s: %s", path, r.body);
    json_t *j = json_incref(r.json);
    http_result_free(&r);
    return j;
}

static int has_label(const json_t *cands, const char *label)
{
    for (size_t i = 0; i < json_array_size(cands); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(cands, i), "label")), label))
            return 1;
    return 0;
}

/* By default a posting ranks its applicants (the tests taken from its
 * invites); ?scope=org ranks every finished test of the organization and
 * marks the applicants; any other scope is a 400 naming the field. */
Test(ranking, scope_applicants_by_default_organization_on_request)
{
    struct http_client a = fixture_admin();
    int64_t org = org_of(&a);
    int64_t pa = create_posting(&a, "Data engineer", posting_text);
    int64_t pb = create_posting(&a, "Analyst", "## Requirements\n- SQL\n- Statistics\n");
    struct rf_profile pr;
    mixture_profile(&pr, "data_engineering", 1, 0.5, 0.4, 0, 1);
    store_finished(org, pa, "for-a", &pr, 1);
    store_finished(org, pb, "for-b", &pr, 1);
    store_finished(org, 0, "no-posting", &pr, 0);
    rf_profile_cleanup(&pr);
    const char *defaults[] = {"", "?scope=posting"};
    for (size_t i = 0; i < 2; i++) {
        json_t *j = get_ranking(&a, pa, defaults[i], 200);
        const json_t *cands = json_object_get(j, "candidates");
        cr_assert_str_eq(json_string_value(json_object_get(j, "scope")), "posting");
        cr_assert_eq(json_array_size(cands), 1, "'%s': only the applicant", defaults[i]);
        cr_assert(has_label(cands, "for-a"));
        cr_assert(json_is_true(json_object_get(json_array_get(cands, 0), "applicant")));
        json_decref(j);
    }
    json_t *j = get_ranking(&a, pa, "?scope=org", 200);
    const json_t *cands = json_object_get(j, "candidates");
    cr_assert_str_eq(json_string_value(json_object_get(j, "scope")), "org");
    cr_assert_eq(json_array_size(cands), 3, "the whole organization");
    for (size_t i = 0; i < 3; i++) {
        const json_t *row = json_array_get(cands, i);
        int mine = !strcmp(json_string_value(json_object_get(row, "label")), "for-a");
        cr_assert_eq(json_is_true(json_object_get(row, "applicant")), mine, "row %zu", i);
    }
    json_decref(j);
    j = get_ranking(&a, pb, "", 200);
    cands = json_object_get(j, "candidates");
    cr_assert(json_array_size(cands) == 1 && has_label(cands, "for-b"), "the other posting's own");
    json_decref(j);
    /* unknown scopes: one-line 400 naming the field */
    const char *bad[] = {"?scope=team", "?scope=", "?scope=ORG", "?scope=org%0Aposting",
                         "?scope=%E6%97%A5%E6%9C%AC%E8%AA%9E%E6%97%A5%E6%9C%AC%E8%AA%9E%E6%97%A5"
                         "%E6%9C%AC%E8%AA%9E%E6%97%A5%E6%9C%AC%E8%AA%9E%E6%97%A5%E6%9C%AC"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = get_ranking(&a, pa, bad[i], 400);
        cr_assert_str_eq(json_string_value(json_object_get(j, "field")), "scope", "%s", bad[i]);
        const char *msg = json_string_value(json_object_get(j, "error"));
        cr_assert(msg && strstr(msg, "scope must be 'posting'") && !strchr(msg, '\n'), "%s: %s",
                  bad[i], msg);
        json_decref(j);
    }
    /* another organization sees neither scope */
    struct http_client olga = fixture_other_recruiter();
    json_decref(get_ranking(&olga, pa, "?scope=org", 404));
    json_decref(get_ranking(&olga, pa, "", 404));
}

/* The reason line in the recruiter's language (issue 16): ?lang=ja gives the
 * same rows in the same order with the same figures, each reason the
 * English one's clauses in Japanese; an unknown language is a 400 naming
 * the field. */
Test(ranking, reasons_in_the_recruiters_language)
{
    struct http_client a = fixture_admin();
    int64_t org = org_of(&a);
    int64_t pa = create_posting(&a, "Data engineer", posting_text);
    struct rf_profile pr;
    mixture_profile(&pr, "data_engineering", 1, 0.5, 0.4, 0, 1);
    store_finished(org, pa, "strong", &pr, 1);
    rf_profile_cleanup(&pr);
    mixture_profile(&pr, "data_engineering", 1, -1.0, 0.4, 0, 1);
    store_finished(org, pa, "weak", &pr, 1);
    rf_profile_cleanup(&pr);
    json_t *en = get_ranking(&a, pa, "", 200), *ja = get_ranking(&a, pa, "?lang=ja", 200);
    const json_t *ce = json_object_get(en, "candidates"), *cj = json_object_get(ja, "candidates");
    cr_assert_eq(json_array_size(ce), 2);
    cr_assert_eq(json_array_size(cj), 2);
    for (size_t i = 0; i < 2; i++) {
        const json_t *x = json_array_get(ce, i), *y = json_array_get(cj, i);
        cr_assert_str_eq(json_string_value(json_object_get(x, "label")),
                         json_string_value(json_object_get(y, "label")));
        cr_assert(json_equal(json_object_get(x, "fit"), json_object_get(y, "fit")));
        const char *re = json_string_value(json_object_get(x, "reason")),
                   *rj = json_string_value(json_object_get(y, "reason"));
        cr_assert(re && rj, "row %zu", i);
        /* each English clause has its Japanese one, in the same order */
        cr_assert_eq(!strncmp(re, "meets ", 6) && strncmp(re, "meets no ", 9),
                     !strncmp(rj, "満たしている：", strlen("満たしている：")), "row %zu: '%s' / '%s'", i, re, rj);
        const char *pairs[][2] = {{"meets no measured", "確信をもって満たしている"},
                                  {"gap: ", "不足："},
                                  {"not measured: ", "未測定："}};
        for (size_t k = 0; k < 3; k++)
            cr_assert_eq(strstr(re, pairs[k][0]) != NULL, strstr(rj, pairs[k][1]) != NULL,
                         "row %zu: '%s' / '%s'", i, re, rj);
        cr_assert(!strstr(rj, "meets") && !strstr(rj, "gap") && !strstr(rj, "; "), "%s", rj);
        /* the figures are the same: whole percentages ("93%", ">99%", "<1%") */
        for (const char *q = re; (q = strchr(q, '(')) != NULL; q++) {
            size_t n = strspn(q + 1, "<>0123456789");
            if (n && q[1 + n] == '%' && q[2 + n] == ')') {
                char num[8];
                snprintf(num, sizeof num, "%.*s%%", (int)n, q + 1);
                cr_assert(strstr(rj, num), "row %zu: %s not in '%s'", i, num, rj);
            }
        }
        cr_assert(!strstr(re, "0.") && !strstr(rj, "0."), "no decimal figure: '%s' / '%s'", re, rj);
    }
    json_decref(en);
    json_decref(ja);
    json_t *j = get_ranking(&a, pa, "?lang=fr", 400);
    cr_assert_str_eq(json_string_value(json_object_get(j, "field")), "lang");
    json_decref(j);
}

/* A ranking comes in pages: limit rows from offset, best first, "total"
 * counting every candidate and "next" the next page's offset (null on the
 * last); the pages put together are the whole ranking, in its order. A limit
 * above the most a page holds is taken as that most; a bad offset or limit is
 * a 400 naming it. */
Test(ranking, pages_put_together_are_the_whole_ranking)
{
    struct http_client a = fixture_admin();
    int64_t org = org_of(&a);
    int64_t pid = create_posting(&a, "Data engineer", posting_text);
    for (int k = 0; k < 7; k++) {
        struct rf_profile pr;
        mixture_profile(&pr, "data_engineering", 1, -1.5 + 0.5 * k, 0.4, 0, 1);
        char label[16];
        snprintf(label, sizeof label, "c%d", k);
        store_finished(org, pid, label, &pr, 1);
        rf_profile_cleanup(&pr);
    }
    json_t *all = get_ranking(&a, pid, "?limit=1000", 200);
    const json_t *whole = json_object_get(all, "candidates");
    cr_assert_eq(json_array_size(whole), 7);
    cr_assert_eq(json_integer_value(json_object_get(all, "total")), 7);
    cr_assert(json_is_null(json_object_get(all, "next")));
    cr_assert(json_is_false(json_object_get(all, "capped")));
    /* best first: the strongest candidate (c6) leads */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(whole, 0), "label")), "c6");
    size_t seen = 0;
    json_int_t offset = 0;
    for (int page = 0; page < 10 && offset >= 0; page++) {
        char q[64];
        snprintf(q, sizeof q, "?offset=%lld&limit=3", (long long)offset);
        json_t *j = get_ranking(&a, pid, q, 200);
        const json_t *c = json_object_get(j, "candidates");
        cr_assert_eq(json_integer_value(json_object_get(j, "total")), 7);
        cr_assert_eq(json_integer_value(json_object_get(j, "offset")), offset);
        cr_assert_eq(json_integer_value(json_object_get(j, "limit")), 3);
        cr_assert_leq(json_array_size(c), 3);
        for (size_t i = 0; i < json_array_size(c); i++, seen++)
            cr_assert(json_equal(json_array_get(c, i), json_array_get(whole, seen)),
                      "row %zu of the pages is row %zu of the whole", i, seen);
        const json_t *next = json_object_get(j, "next");
        offset = json_is_null(next) ? -1 : json_integer_value(next);
        json_decref(j);
    }
    cr_assert_eq(seen, 7, "the pages hold every candidate once");
    json_t *j = get_ranking(&a, pid, "?offset=7", 200);
    cr_assert_eq(json_array_size(json_object_get(j, "candidates")), 0, "past the end: empty");
    json_decref(j);
    j = get_ranking(&a, pid, "?limit=1000000", 200);
    cr_assert_eq(json_integer_value(json_object_get(j, "limit")), RF_RANK_PAGE_MAX);
    json_decref(j);
    const char *bad[][2] = {{"?limit=0", "limit"},      {"?limit=-1", "limit"},
                            {"?limit=ten", "limit"},    {"?offset=-3", "offset"},
                            {"?offset=1e3", "offset"}, {"?offset=99999999999999999999", "offset"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = get_ranking(&a, pid, bad[i][0], 400);
        cr_assert_str_eq(json_string_value(json_object_get(j, "field")), bad[i][1], "%s",
                         bad[i][0]);
        json_decref(j);
    }
    json_decref(all);
}

/* Rows of table test_fits for posting (0: all), read straight from the
 * server's database. */
static long long kept_fits(int64_t posting)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(fx.db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db,
                                    "SELECT count(*) FROM test_fits WHERE ?1 = 0 OR "
                                    "posting_id = ?1",
                                    -1, &st, NULL),
                 SQLITE_OK, "%s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, posting);
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void sql_run(const char *sql)
{
    sqlite3 *db;
    cr_assert_eq(sqlite3_open_v2(fx.db, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* The first ranking computes each test's fit from its posterior and keeps
 * it (table test_fits, careers/fitsum.h); the next ones read the kept fits.
 * Whatever was kept, the ranking is the same to the last bit: same order,
 * same figures, same reasons, with the fits kept, dropped or (a test whose
 * kept fit is not a summary of this posting's requirements) unreadable;
 * another posting keeps its own. Profiles over every skill the posting
 * names, at seeded random levels, so that every requirement and the
 * reasons vary. */
Test(ranking, kept_fits_rank_exactly_as_the_posteriors)
{
    static const char text[] = "## Requirements\n- Python\n- SQL\n- PyTorch or TensorFlow\n"
                               "- Model deployment\n\n## Nice to have\n- Statistics\n";
    struct http_client a = fixture_admin();
    int64_t org = org_of(&a);
    int64_t pid = create_posting(&a, "ML engineer", text);
    int64_t other = create_posting(&a, "Analyst", posting_text);
    struct rf_careers c;
    struct rf_err err;
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    struct rf_parsed_posting pp;
    cr_assert_eq(rf_posting_parse("posting", text, strlen(text), &c.aliases, &c.tax, &pp, &err),
                 RF_OK);
    cr_assert_geq(pp.nreqs, 4);
    struct rf_rng rng;
    rf_rng_seed(&rng, 2020);
    enum { N = 24 };
    for (int k = 0; k < N; k++) {
        struct rf_profile pr;
        rf_profile_init_default(&pr);
        for (size_t r = 0; r < pp.nreqs; r++)
            for (size_t i = 0; i < pp.reqs[r].nskills; i++) {
                const char *skill = c.tax.skills[pp.reqs[r].skills[i]].id;
                if (rf_profile_find(&pr, skill) || rf_rng_uniform(&rng) < 0.15)
                    continue; /* some skills not measured */
                double post[RF_QUAD_DEFAULT_N];
                double m = 2 * rf_rng_normal(&rng), sd = 0.3 + 0.5 * rf_rng_uniform(&rng);
                for (size_t j = 0; j < pr.n; j++) {
                    double z = (rf_profile_node(&pr, j) - m) / sd;
                    post[j] = exp(-0.5 * z * z);
                }
                cr_assert_eq(rf_profile_add_posterior(&pr, skill, 8, post, NULL, &err), RF_OK,
                             "%s", err.msg);
            }
        char label[16];
        snprintf(label, sizeof label, "c%02d", k);
        store_finished(org, k % 3 ? pid : 0, label, &pr, k % 5 != 0);
        rf_profile_cleanup(&pr);
    }
    cr_assert_eq(kept_fits(0), 0);
    json_t *first = get_ranking(&a, pid, "?scope=org&limit=1000", 200);
    cr_assert_eq(json_array_size(json_object_get(first, "candidates")), N);
    cr_assert_eq(kept_fits(pid), N, "the first ranking keeps every test's fit");
    json_t *apps = get_ranking(&a, pid, "", 200);
    for (int round = 0; round < 4; round++) {
        if (round == 2)
            sql_run("DELETE FROM test_fits"); /* dropped: computed again */
        if (round == 3) /* not a summary of this posting: computed again */
            sql_run("UPDATE test_fits SET summary = x'00'");
        json_t *again = get_ranking(&a, pid, "?scope=org&limit=1000", 200);
        cr_assert(json_equal(first, again), "round %d: the ranking changed:\n%s\n%s", round,
                  json_dumps(first, JSON_COMPACT), json_dumps(again, JSON_COMPACT));
        json_decref(again);
        again = get_ranking(&a, pid, "", 200);
        cr_assert(json_equal(apps, again), "round %d: the applicants' ranking changed", round);
        json_decref(again);
        cr_assert_eq(kept_fits(pid), N, "round %d", round);
    }
    /* the other posting's fits are its own */
    json_decref(get_ranking(&a, other, "?scope=org&limit=1000", 200));
    cr_assert_eq(kept_fits(other), N);
    cr_assert_eq(kept_fits(0), 2 * N);
    json_t *again = get_ranking(&a, pid, "?scope=org&limit=1000", 200);
    cr_assert(json_equal(first, again), "after the other posting's ranking");
    json_decref(again);
    json_decref(first);
    json_decref(apps);
    rf_posting_cleanup(&pp);
    rf_careers_cleanup(&c);
}
