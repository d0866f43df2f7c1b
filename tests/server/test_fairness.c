/* Fairness in the product through the real server on loopback (issue 19;
 * docs/fairness.md "In the product"):
 *   - a candidate reports, changes, declines and withdraws their own group
 *     membership; bad answers are 400 naming the field and store nothing;
 *     staff and anonymous callers cannot read or write one;
 *   - the reports are for admins only: a recruiter and a candidate get 403,
 *     an admin of another organization 404; nothing a recruiter reads (the
 *     ranking, a report, the invites) carries a group;
 *   - adverse impact of a posting matches a hand-computed example exactly
 *     (rates 4/5 and 2/5, ratio 1/2, the Katz interval), a group under the
 *     minimum size shows no figure at all, no row names a person, and the
 *     CSV export carries the same figures;
 *   - a DIF run over the stored answers shows no item below the minimum
 *     group size (with 2 men, none; with 6, the 32 items each group answered
 *     4 times or more, each with its statistics), is stored in the review
 *     queue, and exports as CSV;
 *   - an item flagged by DIF is kept (a recorded decision, no new revision)
 *     or retired (a new bank revision that never asks it); a test in flight
 *     whose session holds the retired item answers it and finishes on its
 *     own revision; a rollback makes the item usable again, changes no
 *     finished test's report, and lets a test running on the newer revision
 *     finish on it; the stored answers still feed a DIF run;
 *   - on a schedule (server/schedule.h) the server runs DIF by itself over
 *     every reported dimension and flags a seeded DIF item, once per
 *     interval, and processes on one database share one schedule. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/bank.h"
#include "base/config.h"
#include "base/rng.h"
#include "fixture.h"
#include "irt/model.h"
#include "server/schedule.h"
#include "store/groups.h"
#include "store/store.h"

#define MIN_GROUP 3
#define MIN_CELL 1
#define DIF_MIN 4

static void tweak(struct rf_server_config *cfg)
{
    cfg->app.fair_min_group = MIN_GROUP;
    cfg->app.fair_min_cell = MIN_CELL;
    cfg->app.dif_min_group = DIF_MIN;
    cfg->app.seed = 1919;
}

static void setup(void)
{
    fixture_start_with(0, 0, tweak);
}

static void teardown(void)
{
    fixture_stop();
}

TestSuite(fairness, .init = setup, .fini = teardown);

static int status_of(struct http_client *c, const char *method, const char *path, const char *body,
                     struct http_result *r)
{
    cr_assert_eq(client_do(c, method, path, body, r), 0, "%s %s: no reply", method, path);
    return r->status;
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long create_posting(struct http_client *a)
{
    struct http_result r;
    cr_assert_eq(status_of(a, "POST", "/api/postings",
                           "{\"title\":\"Python developer\",\"text\":\"# Python developer\\n\\n"
                           "Requirements\\n- Python\\n\"}",
                           &r),
                 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    http_result_free(&r);
    return id;
}

/* An applicant of posting pid in a new browser *c: the invite, the group
 * answer groups (NULL: none given), every question answered right or
 * wrong. Returns the test's id. */
static long long applicant(struct http_client *admin, long long pid, const char *groups, int right,
                           struct http_client *c)
{
    struct http_result r;
    char body[512], path[128];
    snprintf(body, sizeof body, "{\"posting\":%lld}", pid);
    cr_assert_eq(status_of(admin, "POST", "/api/invites", body, &r), 201, "%s", r.body);
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", str(r.json, "token"));
    http_result_free(&r);
    *c = (struct http_client){fx.port, "", ""};
    cr_assert_eq(status_of(c, "POST", "/api/tests", body, &r), 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    if (groups) {
        struct http_result g;
        cr_assert_eq(status_of(c, "PUT", "/api/me/groups", groups, &g), 200, "%s: %s", groups,
                     g.body);
        http_result_free(&g);
    }
    int n = 0;
    while (json_is_object(json_object_get(r.json, "question"))) {
        char item[160];
        snprintf(item, sizeof item, "%s", str(json_object_get(r.json, "question"), "item"));
        http_result_free(&r);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        fixture_answer_body(item, right, body, sizeof body);
        cr_assert_eq(status_of(c, "POST", path, body, &r), 200, "%s", r.body);
        cr_assert(++n <= RF_WEB_ROLE_MAX_ITEMS, "test %lld: more than %d items", id,
                  RF_WEB_ROLE_MAX_ITEMS);
    }
    cr_assert_str_eq(str(json_object_get(r.json, "test"), "status"), "finished", "%s", r.body);
    http_result_free(&r);
    return id;
}

static struct http_client recruiter(struct http_client *admin)
{
    struct http_result r;
    cr_assert_eq(status_of(admin, "POST", "/api/users",
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
    return rec;
}

/* The value of a group answer's field in reply r ("" for null). */
static const char *value(const struct http_result *r, const char *k)
{
    return str(json_object_get(r->json, "values"), k);
}

Test(fairness, candidate_reports_changes_declines_and_withdraws, .timeout = 60)
{
    struct http_client admin = fixture_admin();
    long long pid = create_posting(&admin);
    struct http_result r;
    char body[128];
    snprintf(body, sizeof body, "{\"posting\":%lld}", pid);
    cr_assert_eq(status_of(&admin, "POST", "/api/invites", body, &r), 201, "%s", r.body);
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", str(r.json, "token"));
    http_result_free(&r);
    struct http_client c = {fx.port, "", ""};
    cr_assert_eq(status_of(&c, "POST", "/api/tests", body, &r), 201, "%s", r.body);
    http_result_free(&r);
    /* nothing yet */
    cr_assert_eq(status_of(&c, "GET", "/api/me/groups", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_false(json_object_get(r.json, "reported")), "%s", r.body);
    cr_assert(json_is_array(json_object_get(json_object_get(r.json, "choices"), "gender")));
    http_result_free(&r);
    /* reported, then changed: the change replaces every field */
    cr_assert_eq(
        status_of(&c, "PUT", "/api/me/groups",
                  "{\"gender\":\"woman\",\"age_band\":\"25_34\",\"first_language\":\"ja\"}", &r),
        200, "%s", r.body);
    cr_assert(json_is_true(json_object_get(r.json, "reported")));
    cr_assert_str_eq(value(&r, "gender"), "woman");
    cr_assert_str_eq(value(&r, "first_language"), "ja");
    http_result_free(&r);
    cr_assert_eq(status_of(&c, "PUT", "/api/me/groups", "{\"country\":\"JP\",\"gender\":null}", &r),
                 200, "%s", r.body);
    cr_assert_str_eq(value(&r, "country"), "JP");
    cr_assert_str_eq(value(&r, "gender"), "");
    cr_assert_str_eq(value(&r, "age_band"), "");
    http_result_free(&r);
    /* bad answers: 400 naming the field, nothing stored */
    static const struct {
        const char *body, *field;
    } bad[] = {{"{\"gender\":\"robot\"}", "gender"},
               {"{\"age_band\":\"30\"}", "age_band"},
               {"{\"first_language\":\"JA\"}", "first_language"},
               {"{\"country\":\"Japan\"}", "country"},
               {"{\"country\":7}", "country"},
               {"{\"declined\":\"yes\"}", "declined"},
               {"{\"declined\":true,\"gender\":\"man\"}", "gender"},
               {"{\"religion\":\"none\"}", NULL},
               {"[1]", NULL}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(status_of(&c, "PUT", "/api/me/groups", bad[i].body, &r), 400, "%s: %d %s",
                     bad[i].body, r.status, r.body);
        if (bad[i].field)
            cr_assert_str_eq(str(r.json, "field"), bad[i].field, "%s: %s", bad[i].body, r.body);
        http_result_free(&r);
        cr_assert_eq(status_of(&c, "GET", "/api/me/groups", NULL, &r), 200);
        cr_assert_str_eq(value(&r, "country"), "JP", "%s changed the answer: %s", bad[i].body,
                         r.body);
        http_result_free(&r);
    }
    /* declined */
    cr_assert_eq(status_of(&c, "PUT", "/api/me/groups", "{\"declined\":true}", &r), 200, "%s",
                 r.body);
    cr_assert(json_is_true(json_object_get(r.json, "declined")));
    cr_assert_str_eq(value(&r, "country"), "");
    http_result_free(&r);
    /* withdrawn: gone */
    cr_assert_eq(status_of(&c, "DELETE", "/api/me/groups", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_false(json_object_get(r.json, "reported")));
    http_result_free(&r);
    cr_assert_eq(status_of(&c, "GET", "/api/me/groups", NULL, &r), 200);
    cr_assert(json_is_false(json_object_get(r.json, "reported")), "%s", r.body);
    http_result_free(&r);
    /* a state change needs the CSRF token */
    struct http_client forged = c;
    forged.csrf[0] = '\0';
    cr_assert_eq(status_of(&forged, "PUT", "/api/me/groups", "{\"gender\":\"man\"}", &r), 403);
    http_result_free(&r);
    /* staff and nobody: refused */
    struct http_client anon = {fx.port, "", ""};
    struct http_client rec = recruiter(&admin);
    struct http_client *who[] = {&admin, &rec, &anon};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(status_of(who[i], "GET", "/api/me/groups", NULL, &r), 403, "caller %zu: %s", i,
                     r.body);
        http_result_free(&r);
        cr_assert_eq(status_of(who[i], "PUT", "/api/me/groups", "{\"gender\":\"man\"}", &r), 403,
                     "caller %zu: %s", i, r.body);
        http_result_free(&r);
    }
}

/* Katz's interval of the ratio of x1/n1 to x2/n2 at 95%, by hand. */
static void katz(double x1, double n1, double x2, double n2, double *lo, double *hi)
{
    double l = log((x1 / n1) / (x2 / n2));
    double se = sqrt((1 - x1 / n1) / x1 + (1 - x2 / n2) / x2);
    double z = 1.959963984540054;
    *lo = exp(l - z * se);
    *hi = exp(l + z * se);
}

static const json_t *group_row(const json_t *dec, const char *name)
{
    size_t i;
    const json_t *g;
    json_array_foreach(json_object_get(dec, "groups"), i,
                       g) if (!strcmp(str(g, "group"), name)) return g;
    return NULL;
}

static double num(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    cr_assert(json_is_number(v), "'%s' is not a number", k);
    return json_number_value(v);
}

Test(fairness, impact_matches_a_hand_computed_example_for_admins_only, .timeout = 240)
{
    struct http_client admin = fixture_admin();
    long long pid = create_posting(&admin);
    struct http_client c;
    /* women: 4 of 5 selected; men: 2 of 5; nonbinary: 2 people (under the
     * minimum of 3); one declined, one gave no gender */
    static const struct {
        const char *groups;
        int right;
    } who[] = {{"{\"gender\":\"woman\",\"age_band\":\"25_34\"}", 1},
               {"{\"gender\":\"woman\"}", 1},
               {"{\"gender\":\"woman\",\"country\":\"JP\"}", 1},
               {"{\"gender\":\"woman\"}", 1},
               {"{\"gender\":\"woman\"}", 0},
               {"{\"gender\":\"man\"}", 1},
               {"{\"gender\":\"man\",\"age_band\":\"45_54\"}", 1},
               {"{\"gender\":\"man\"}", 0},
               {"{\"gender\":\"man\"}", 0},
               {"{\"gender\":\"man\"}", 0},
               {"{\"gender\":\"nonbinary\"}", 1},
               {"{\"gender\":\"nonbinary\"}", 0},
               {"{\"declined\":true}", 1},
               {"{\"age_band\":\"35_44\"}", 0}};
    size_t n = sizeof who / sizeof who[0];
    long long last = 0;
    for (size_t i = 0; i < n; i++)
        last = applicant(&admin, pid, who[i].groups, who[i].right, &c);
    struct http_result r;
    char path[160];
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact", pid);
    cr_assert_eq(status_of(&admin, "GET", path, NULL, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "applicants")), (json_int_t)n, "%s",
                 r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "reported")), 12, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "min_group")), MIN_GROUP);
    cr_assert_str_eq(str(r.json, "by"), "gender");
    /* aggregates only: no person, no test */
    cr_assert_null(strstr(r.body, "\"candidate\""), "%s", r.body);
    cr_assert_null(strstr(r.body, "\"test\""), "%s", r.body);
    const json_t *decs = json_object_get(r.json, "decisions");
    cr_assert_eq(json_array_size(decs), 2, "the posting and its one requirement: %s", r.body);
    double lo, hi;
    katz(2, 5, 4, 5, &lo, &hi);
    for (size_t k = 0; k < 2; k++) {
        const json_t *d = json_array_get(decs, k);
        cr_assert_str_eq(str(d, "decision"), k ? "requirement" : "posting");
        const json_t *w = group_row(d, "woman"), *m = group_row(d, "man"),
                     *nb = group_row(d, "nonbinary");
        cr_assert(w && m && nb, "decision %zu: %s", k, r.body);
        cr_assert(json_is_true(json_object_get(w, "shown")));
        cr_assert_eq(json_integer_value(json_object_get(w, "n")), 5);
        cr_assert_eq(json_integer_value(json_object_get(w, "selected")), 4);
        cr_assert_eq(num(w, "rate"), 0.8, "decision %zu: women's rate %.17g", k, num(w, "rate"));
        cr_assert_eq(num(w, "ratio"), 1.0);
        cr_assert(json_is_true(json_object_get(w, "highest")));
        cr_assert_eq(json_integer_value(json_object_get(m, "selected")), 2);
        cr_assert_eq(num(m, "rate"), 0.4, "decision %zu: men's rate %.17g", k, num(m, "rate"));
        cr_assert_eq(num(m, "ratio"), 0.5, "decision %zu: ratio %.17g", k, num(m, "ratio"));
        cr_assert(json_is_true(json_object_get(m, "four_fifths")));
        /* the interval to the 6 significant digits the API prints */
        const json_t *ci = json_object_get(m, "ratio_ci");
        double clo = json_number_value(json_array_get(ci, 0)),
               chi = json_number_value(json_array_get(ci, 1));
        cr_assert(fabs(clo - lo) <= 1e-5 * lo, "Katz low %.17g, by hand %.17g", clo, lo);
        cr_assert(fabs(chi - hi) <= 1e-5 * hi, "Katz high %.17g, by hand %.17g", chi, hi);
        /* under the minimum: the reason and not one figure, not even the count */
        cr_assert(json_is_false(json_object_get(nb, "shown")));
        cr_assert_eq(json_object_size(nb), 3, "a hidden group carries figures: %s",
                     json_dumps(nb, JSON_COMPACT));
    }
    http_result_free(&r);
    /* by age band: every group under the minimum, no figure at all */
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact?by=age_band", pid);
    cr_assert_eq(status_of(&admin, "GET", path, NULL, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "reported")), 3, "%s", r.body);
    cr_assert_null(strstr(r.body, "\"rate\""), "a figure below the minimum: %s", r.body);
    http_result_free(&r);
    /* the CSV export: the same figures */
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact?format=csv", pid);
    cr_assert_eq(status_of(&admin, "GET", path, NULL, &r), 200, "%s", r.body);
    char ct[64];
    cr_assert(http_header(&r, "Content-Type", ct, sizeof ct) && strstr(ct, "text/csv"), "%s", ct);
    cr_assert(strncmp(r.body, "decision,by,group", 17) == 0, "%.80s", r.body);
    cr_assert(strstr(r.body, ",gender,man,1,5,2,0.4,"), "%s", r.body);
    cr_assert(strstr(r.body, ",gender,woman,1,5,4,0.8,"), "%s", r.body);
    http_result_free(&r);
    /* bad arguments */
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact?by=religion", pid);
    cr_assert_eq(status_of(&admin, "GET", path, NULL, &r), 400, "%s", r.body);
    cr_assert_str_eq(str(r.json, "field"), "by");
    http_result_free(&r);
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact?format=xml", pid);
    cr_assert_eq(status_of(&admin, "GET", path, NULL, &r), 400, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/postings/999/impact", NULL, &r), 404);
    http_result_free(&r);
    /* refused: a recruiter, the candidate, nobody (403); another organization's admin (404) */
    struct http_client rec = recruiter(&admin), anon = {fx.port, "", ""};
    struct http_client other = fixture_other_account("admin");
    snprintf(path, sizeof path, "/api/fairness/postings/%lld/impact", pid);
    struct http_client *no[] = {&rec, &c, &anon};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(status_of(no[i], "GET", path, NULL, &r), 403, "caller %zu: %s", i, r.body);
        http_result_free(&r);
        cr_assert_eq(status_of(no[i], "GET", "/api/fairness/dif", NULL, &r), 403, "caller %zu", i);
        http_result_free(&r);
        cr_assert_eq(status_of(no[i], "POST", "/api/fairness/dif", "{\"reference\":\"man\"}", &r),
                     403, "caller %zu: %s", i, r.body);
        http_result_free(&r);
    }
    cr_assert_eq(status_of(&other, "GET", path, NULL, &r), 404, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&other, "GET", "/api/fairness/dif", NULL, &r), 404, "%s", r.body);
    http_result_free(&r);
    /* what a recruiter reads carries no group */
    char rpath[160];
    snprintf(rpath, sizeof rpath, "/api/tests/%lld/report", last);
    const char *reads[] = {"/api/invites", rpath, path};
    snprintf(path, sizeof path, "/api/postings/%lld/ranking", pid);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(status_of(&rec, "GET", reads[i], NULL, &r), 200, "%s: %s", reads[i], r.body);
        cr_assert_null(strstr(r.body, "gender"), "%s", reads[i]);
        cr_assert_null(strstr(r.body, "age_band"), "%s", reads[i]);
        cr_assert_null(strstr(r.body, "woman"), "%s", reads[i]);
        cr_assert_null(strstr(r.body, "35_44"), "%s", reads[i]);
        http_result_free(&r);
    }
}

Test(fairness, dif_run_hides_small_groups_and_joins_the_review_queue, .timeout = 240)
{
    struct http_client admin = fixture_admin();
    long long pid = create_posting(&admin);
    struct http_client c;
    struct http_result r;
    /* before any run */
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_null(json_object_get(r.json, "run")), "%s", r.body);
    http_result_free(&r);
    /* 5 women and 2 men answer (alternately right and wrong) */
    for (int i = 0; i < 7; i++)
        applicant(&admin, pid, i < 5 ? "{\"gender\":\"woman\"}" : "{\"gender\":\"man\"}", i % 2,
                  &c);
    /* bad requests store nothing */
    static const struct {
        const char *body, *field;
    } bad[] = {{"{\"reference\":5}", "reference"},
               {"{\"reference\":\"robot\"}", "reference"},
               {"{\"by\":\"religion\",\"reference\":\"x\"}", "by"},
               {"{\"reference\":\"man\",\"focal\":[\"man\"]}", "focal"},
               {"{\"reference\":\"man\",\"focal\":\"woman\"}", "focal"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif", bad[i].body, &r), 400, "%s: %s",
                     bad[i].body, r.body);
        cr_assert_str_eq(str(r.json, "field"), bad[i].field, "%s: %s", bad[i].body, r.body);
        http_result_free(&r);
    }
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif", NULL, &r), 200);
    cr_assert(json_is_null(json_object_get(r.json, "run")), "a refused run was stored");
    http_result_free(&r);
    /* men are 2, under the minimum of 4 answers: no item is shown */
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif",
                           "{\"by\":\"gender\",\"reference\":\"woman\"}", &r),
                 200, "%s", r.body);
    cr_assert(json_is_object(json_object_get(r.json, "run")), "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "min_group")), DIF_MIN);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "shown")), 0, "%s", r.body);
    cr_assert_gt(json_integer_value(json_object_get(r.json, "hidden")), 0, "%s", r.body);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 0);
    const char *f0 = json_string_value(json_array_get(json_object_get(r.json, "focal"), 0));
    cr_assert(f0 && !strcmp(f0, "man"), "focal: every other group: %s", r.body);
    cr_assert_null(json_object_get(r.json, "csv"), "the export is not in the JSON");
    http_result_free(&r);
    /* the review queue holds the run (no item flagged) */
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    const json_t *dq = json_object_get(r.json, "dif");
    cr_assert(json_is_object(dq), "%s", r.body);
    cr_assert_eq(json_array_size(json_object_get(dq, "items")), 0);
    http_result_free(&r);
    /* the export: a header and one row per item answered, figures empty */
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif?format=csv", NULL, &r), 200);
    cr_assert(strncmp(r.body, "by,reference,focal,id,", 22) == 0, "%.80s", r.body);
    cr_assert(strstr(r.body, "\ngender,woman,man,"), "%.300s", r.body);
    http_result_free(&r);
    /* 4 more men: items answered by 4 of each are shown, the others not */
    for (int i = 0; i < 4; i++)
        applicant(&admin, pid, "{\"gender\":\"man\"}", i % 2, &c);
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif",
                           "{\"reference\":\"woman\",\"focal\":[\"man\"]}", &r),
                 200, "%s", r.body);
    size_t shown = (size_t)json_integer_value(json_object_get(r.json, "shown"));
    fprintf(stderr, "fairness: DIF over 11 tests: %zu items shown, %lld hidden\n", shown,
            (long long)json_integer_value(json_object_get(r.json, "hidden")));
    cr_assert_gt(shown, 0, "%s", r.body);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), shown);
    size_t i;
    const json_t *it;
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        cr_assert_geq(json_integer_value(json_object_get(it, "n_reference")), DIF_MIN, "%s",
                      str(it, "id"));
        cr_assert_geq(json_integer_value(json_object_get(it, "n_focal")), DIF_MIN, "%s",
                      str(it, "id"));
        cr_assert(json_is_object(json_object_get(
                      it, json_is_true(json_object_get(it, "graded")) ? "la" : "mh")),
                  "%s", str(it, "id"));
    }
    /* decisions from the DIF queue: keep or retire a flagged item only */
    const json_t *unflagged = NULL;
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        if (!unflagged && json_is_false(json_object_get(it, "flagged")))
            unflagged = it;
    }
    cr_assert(unflagged, "every item flagged: %s", r.body);
    char item[200], body[512];
    snprintf(item, sizeof item, "%s", str(unflagged, "id"));
    http_result_free(&r);
    static const struct {
        const char *action, *queue, *field;
    } no[] = {{"promote", "dif", "action"}, {"keep", "drift", "queue"}, {"keep", "dif", "item"}};
    for (size_t k = 0; k < sizeof no / sizeof no[0]; k++) {
        snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"%s\",\"queue\":\"%s\"}", item,
                 no[k].action, no[k].queue);
        cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 400, "%s: %s",
                     body, r.body);
        cr_assert_str_eq(str(r.json, "field"), no[k].field, "%s: %s", body, r.body);
        http_result_free(&r);
    }
    cr_assert_eq(status_of(&admin, "GET", "/api/bank/versions", NULL, &r), 200);
    cr_assert_eq(json_array_size(json_object_get(r.json, "decisions")), 0, "a refusal was stored");
    http_result_free(&r);
}

/* ---- the reference groups of the scheduled run (docs/fairness.md "Reference groups") ---- */

/* n candidates whose group answer is gender g (and age band 25_34), written
 * into the server's database. */
static void seed_groups(const char *g, int n)
{
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    for (int i = 0; i < n; i++) {
        int64_t cand;
        cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK, "%s",
                     err.msg);
        struct rf_group_report gr = {cand, 0, {(char *)g, "25_34", NULL, NULL}, 0};
        cr_assert_eq(rf_store_group_report_put(st, &gr, &err), RF_OK, "%s", err.msg);
    }
    rf_store_close(st);
}

/* The references reply's entry of dimension by. */
static const json_t *ref_dim(const json_t *reply, const char *by)
{
    size_t i;
    const json_t *o;
    json_array_foreach(json_object_get(reply, "dimensions"), i, o)
    {
        if (!strcmp(str(o, "by"), by))
            return o;
    }
    cr_assert_fail("no dimension %s in %s", by, json_dumps(reply, 0));
    return NULL;
}

/* Checks dimension by of GET /api/fairness/dif/references: chosen ("" for
 * null), reference and its source. */
static void expect_ref(struct http_client *admin, const char *by, const char *chosen,
                       const char *reference, const char *source)
{
    struct http_result r;
    cr_assert_eq(status_of(admin, "GET", "/api/fairness/dif/references", NULL, &r), 200, "%s",
                 r.body);
    const json_t *d = ref_dim(r.json, by);
    cr_assert_str_eq(str(d, "chosen"), chosen, "%s: %s", by, r.body);
    cr_assert_str_eq(str(d, "reference"), reference, "%s: %s", by, r.body);
    cr_assert_str_eq(str(d, "reference_source"), source, "%s: %s", by, r.body);
    http_result_free(&r);
}

Test(fairness, admins_choose_each_dimensions_reference_and_the_schedule_takes_it, .timeout = 120)
{
    struct http_client admin = fixture_admin();
    struct http_client rec = recruiter(&admin);
    struct http_result r;
    /* nobody has reported a group: no reference anywhere, and a run without
     * one has nothing to compare */
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif/references", NULL, &r), 200, "%s",
                 r.body);
    cr_assert_eq(json_array_size(json_object_get(r.json, "dimensions")), 4, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "min_group")), DIF_MIN);
    cr_assert(json_is_null(json_object_get(ref_dim(r.json, "gender"), "reference")), "%s", r.body);
    cr_assert(json_is_null(json_object_get(ref_dim(r.json, "country"), "largest")), "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif", "{\"by\":\"country\"}", &r), 409,
                 "%s", r.body);
    cr_assert_str_eq(str(r.json, "field"), "reference", "%s", r.body);
    http_result_free(&r);
    /* admins of the bank's organization only */
    cr_assert_eq(status_of(&rec, "GET", "/api/fairness/dif/references", NULL, &r), 403, "%s",
                 r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&rec, "PUT", "/api/fairness/dif/references", "{\"gender\":\"woman\"}",
                           &r),
                 403, "%s", r.body);
    http_result_free(&r);
    /* 4 women, 5 men, 1 non-binary person: the default is the largest group */
    seed_groups("woman", 4);
    seed_groups("man", 5);
    seed_groups("nonbinary", 1);
    expect_ref(&admin, "gender", "", "man", "largest");
    expect_ref(&admin, "age_band", "", "25_34", "largest");
    /* another organization's admin finds nothing (404), reading or choosing
     * a valid group, and stores nothing */
    struct http_client other = fixture_other_account("admin");
    cr_assert_eq(status_of(&other, "GET", "/api/fairness/dif/references", NULL, &r), 404, "%s",
                 r.body);
    cr_assert_null(strstr(r.body, "man"), "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&other, "PUT", "/api/fairness/dif/references",
                           "{\"gender\":\"woman\",\"age_band\":\"25_34\"}", &r),
                 404, "%s", r.body);
    http_result_free(&r);
    expect_ref(&admin, "gender", "", "man", "largest");
    expect_ref(&admin, "age_band", "", "25_34", "largest");
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif/references", NULL, &r), 200);
    const json_t *gs = json_object_get(ref_dim(r.json, "gender"), "groups");
    cr_assert_eq(json_array_size(gs), 3, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_array_get(gs, 0)), "man");
    http_result_free(&r);
    /* bad choices: 400 naming the field, nothing stored (not even a good field beside a bad one) */
    static const struct {
        const char *body, *field;
    } bad[] = {{"[]", ""},
               {"{\"religion\":\"x\"}", ""},
               {"{\"gender\":\"robot\"}", "gender"},
               {"{\"gender\":7}", "gender"},
               {"{\"gender\":\"woman\",\"age_band\":\"old\"}", "age_band"},
               {"{\"gender\":\"woman\",\"country\":\"jp\"}", "country"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(status_of(&admin, "PUT", "/api/fairness/dif/references", bad[i].body, &r),
                     400, "%s: %s", bad[i].body, r.body);
        cr_assert_str_eq(str(r.json, "field"), bad[i].field, "%s: %s", bad[i].body, r.body);
        http_result_free(&r);
    }
    expect_ref(&admin, "gender", "", "man", "largest");
    /* chosen: women; a group under the minimum size cannot show an item, so
     * the run keeps the largest (and says the choice was not taken); null
     * goes back to the default */
    cr_assert_eq(status_of(&admin, "PUT", "/api/fairness/dif/references", "{\"gender\":\"woman\"}",
                           &r),
                 200, "%s", r.body);
    cr_assert_str_eq(str(ref_dim(r.json, "gender"), "reference"), "woman", "%s", r.body);
    http_result_free(&r);
    expect_ref(&admin, "gender", "woman", "woman", "chosen");
    expect_ref(&admin, "age_band", "", "25_34", "largest");
    cr_assert_eq(status_of(&admin, "PUT", "/api/fairness/dif/references",
                           "{\"gender\":\"nonbinary\"}", &r),
                 200, "%s", r.body);
    http_result_free(&r);
    expect_ref(&admin, "gender", "nonbinary", "man", "largest");
    cr_assert_eq(status_of(&admin, "PUT", "/api/fairness/dif/references", "{\"gender\":null}", &r),
                 200, "%s", r.body);
    http_result_free(&r);
    expect_ref(&admin, "gender", "", "man", "largest");
    /* the scheduled run (as the schedule's thread calls it) and a run on
     * request without a reference take the choice */
    cr_assert_eq(status_of(&admin, "PUT", "/api/fairness/dif/references", "{\"gender\":\"woman\"}",
                           &r),
                 200, "%s", r.body);
    http_result_free(&r);
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 0, 0);
    cfg.app.dif_min_group = DIF_MIN;
    struct rf_app *app;
    struct rf_err err;
    cr_assert_eq(rf_app_open(&cfg.app, &app, &err), RF_OK, "%s", err.msg);
    int stored = 0;
    struct rf_app_error e = {0};
    cr_assert_eq(rf_app_fair_dif_scheduled(app, &stored, &e), RF_OK, "%s", e.err.msg);
    rf_app_close(app);
    cr_assert_eq(stored, 1);
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_true(json_object_get(r.json, "scheduled")), "%s", r.body);
    const json_t *dims = json_object_get(r.json, "dimensions");
    cr_assert_eq(json_array_size(dims), 1, "gender alone has two groups: %s", r.body);
    cr_assert_str_eq(str(json_array_get(dims, 0), "reference"), "woman", "%s", r.body);
    cr_assert_str_eq(str(json_array_get(dims, 0), "reference_source"), "chosen", "%s", r.body);
    const json_t *focal = json_object_get(json_array_get(dims, 0), "focal");
    cr_assert_eq(json_array_size(focal), 2, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_array_get(focal, 0)), "man", "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif", "{}", &r), 200, "%s", r.body);
    cr_assert_str_eq(str(r.json, "reference"), "woman", "%s", r.body);
    cr_assert_null(json_object_get(r.json, "scheduled"), "%s", r.body);
    http_result_free(&r);
}

/* ---- keeping and retiring a DIF-flagged item (docs/fairness.md "In the product") ---- */

/* A scored item with two categories (mcq or numeric): the items seeded with DIF. */
static int dichotomous(const struct rf_item *it)
{
    return it->type != RF_ITEM_RUBRIC && it->irt.ncat == 2;
}

/* n finished tests per group written into the server's database, each by a
 * new candidate who reported gender woman (reference) or man (focal): 12
 * scored answers to operational dichotomous items of skill, always the items dif[0]
 * and dif[1] and 10 others at random, simulated from the bank's parameters
 * at theta ~ N(0, 1) in both groups, except that the items of dif are shift
 * logits harder for the focal group. */
static void seed_dif_tests(const struct rf_bank *bank, const char *skill, const char *const dif[2],
                           double shift, int n)
{
    size_t m = 0, idx[256];
    for (size_t i = 0; i < bank->n && m < 256; i++) {
        const struct rf_item *it = &bank->items[i];
        if (!strcmp(it->skill, skill) && it->pool == RF_POOL_OPERATIONAL && !it->retired &&
            dichotomous(it) && strcmp(it->id, dif[0]) != 0 && strcmp(it->id, dif[1]) != 0)
            idx[m++] = i;
    }
    cr_assert(m >= 10, "%s has %zu other operational dichotomous items", skill, m);
    size_t di[2];
    cr_assert_eq(rf_bank_find(bank, dif[0], &di[0]), RF_OK);
    cr_assert_eq(rf_bank_find(bank, dif[1], &di[1]), RF_OK);
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, 1919);
    for (int t = 0; t < 2 * n; t++) {
        int focal = t % 2;
        double theta = rf_rng_normal(&r);
        size_t order[256];
        for (size_t j = 0; j < m; j++)
            order[j] = j;
        json_t *ev = json_array();
        for (size_t j = 0; j < 12; j++) {
            size_t bi;
            if (j < 2) {
                bi = di[j];
            } else {
                size_t k = (j - 2) + rf_rng_below(&r, m - (j - 2)), x = order[j - 2];
                order[j - 2] = order[k];
                order[k] = x;
                bi = idx[order[j - 2]];
            }
            struct rf_irt_item truth = bank->items[bi].irt;
            if (j < 2 && focal)
                truth.b += shift;
            int right = rf_rng_uniform(&r) < rf_irt_prob(&truth, theta, 1);
            json_array_append_new(
                ev, json_pack("{s:s,s:i}", "item", bank->items[bi].id, "answer", right));
        }
        json_t *sj = json_pack("{s:o}", "events", ev);
        char *state = json_dumps(sj, JSON_COMPACT);
        json_decref(sj);
        int64_t cand, tid;
        cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK, "%s",
                     err.msg);
        struct rf_group_report g = {cand, 0, {NULL}, 0};
        g.value[RF_GROUP_GENDER] = focal ? "man" : "woman";
        cr_assert_eq(rf_store_group_report_put(st, &g, &err), RF_OK, "%s", err.msg);
        struct rf_test tt = {0};
        tt.candidate_id = cand;
        tt.scope = "{}";
        tt.state = state;
        cr_assert_eq(rf_store_test_create(st, &tt, &tid, &err), RF_OK, "%s", err.msg);
        struct rf_answer a = {tid, 0, dif[0], 1, 1, 0, NULL, 0};
        cr_assert_eq(rf_store_answer(st, &a, state, "{\"skills\": []}", &err), RF_OK, "%s",
                     err.msg);
        free(state);
    }
    rf_store_close(st);
}

/* The operational dichotomous items of skill in bank. */
static size_t skill_items(const struct rf_bank *bank, const char *skill)
{
    size_t m = 0;
    for (size_t i = 0; i < bank->n; i++) {
        const struct rf_item *it = &bank->items[i];
        m += !strcmp(it->skill, skill) && it->pool == RF_POOL_OPERATIONAL && !it->retired &&
             dichotomous(it);
    }
    return m;
}

/* An invited role test started in a new browser *c; its first reply in *r. */
static long long start_role_test(struct http_client *admin, struct http_client *c,
                                 struct http_result *r)
{
    cr_assert_eq(status_of(admin, "POST", "/api/invites", "{\"role\":\"ml_engineer\"}", r), 201,
                 "%s", r->body);
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", str(r->json, "token"));
    http_result_free(r);
    *c = (struct http_client){fx.port, "", ""};
    cr_assert_eq(status_of(c, "POST", "/api/tests", body, r), 201, "%s", r->body);
    return json_integer_value(json_object_get(json_object_get(r->json, "test"), "id"));
}

/* The item of the question reply r asks ("" when the test is over). */
static const char *asked(const struct http_result *r)
{
    return str(json_object_get(r->json, "question"), "item");
}

/* Answers test id from reply r (consumed) to the end, right by a hash of the
 * item; counts in *seen_item the times item was asked. */
static void finish_test(struct http_client *c, long long id, struct http_result *r,
                        const char *item, int *seen_item)
{
    char body[512], path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
    int n = 0;
    while (json_is_object(json_object_get(r->json, "question"))) {
        char q[160];
        snprintf(q, sizeof q, "%s", asked(r));
        if (item && !strcmp(q, item))
            ++*seen_item;
        http_result_free(r);
        fixture_answer_body(q, (q[strlen(q) - 1] & 1) != 0, body, sizeof body);
        cr_assert_eq(status_of(c, "POST", path, body, r), 200, "test %lld, %s: %s", id, q, r->body);
        cr_assert(++n <= RF_WEB_ROLE_MAX_ITEMS + RF_CAT_MAX_PRETEST, "test %lld: too many items",
                  id);
    }
    cr_assert_str_eq(str(json_object_get(r->json, "test"), "status"), "finished", "%s", r->body);
    http_result_free(r);
}

/* Test id's report as its candidate reads it: the revision that scored it
 * and its per-skill figures (caller frees *skills). */
static long long report_of(struct http_client *c, long long id, char **skills)
{
    struct http_result r;
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/report", id);
    cr_assert_eq(status_of(c, "GET", path, NULL, &r), 200, "test %lld: %s", id, r.body);
    const json_t *sk = json_object_get(r.json, "skills");
    cr_assert(sk && json_array_size(sk) > 0, "test %lld: a report without skills: %s", id, r.body);
    *skills = json_dumps(sk, JSON_COMPACT | JSON_SORT_KEYS);
    long long rev =
        json_integer_value(json_object_get(json_object_get(r.json, "bank_version"), "revision"));
    http_result_free(&r);
    return rev;
}

/* The entry of item in the review queue's DIF section (NULL: not listed). */
static const json_t *dif_entry(const json_t *review, const char *item)
{
    size_t i;
    const json_t *o;
    json_array_foreach(json_object_get(json_object_get(review, "dif"), "items"), i, o)
    {
        if (!strcmp(str(o, "id"), item))
            return o;
    }
    return NULL;
}

static long long active_rev(struct http_client *admin, size_t *nversions, size_t *ndecisions)
{
    struct http_result r;
    cr_assert_eq(status_of(admin, "GET", "/api/bank/versions", NULL, &r), 200, "%s", r.body);
    long long a = json_integer_value(json_object_get(r.json, "active"));
    *nversions = json_array_size(json_object_get(r.json, "versions"));
    *ndecisions = json_array_size(json_object_get(r.json, "decisions"));
    http_result_free(&r);
    return a;
}

Test(fairness, dif_flagged_items_are_kept_or_retired_and_tests_keep_scoring, .timeout = 600)
{
    struct http_client admin = fixture_admin();
    struct rf_bank bank;
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    struct http_result r;
    /* a test in flight whose session holds the item about to be retired:
     * its pending question, an operational dichotomous item of a skill with enough
     * items to seed */
    struct http_client fl;
    long long flight = start_role_test(&admin, &fl, &r);
    char retired[160] = "", kept[160] = "", body[512], path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/answers", flight);
    for (int k = 0; k < RF_WEB_ROLE_MAX_ITEMS && !retired[0]; k++) {
        cr_assert(json_is_object(json_object_get(r.json, "question")), "the test ended: %s",
                  r.body);
        size_t bi;
        char q[160];
        snprintf(q, sizeof q, "%s", asked(&r));
        if (!rf_bank_find(&bank, q, &bi) && dichotomous(&bank.items[bi]) &&
            bank.items[bi].pool == RF_POOL_OPERATIONAL &&
            skill_items(&bank, bank.items[bi].skill) >= 14) {
            snprintf(retired, sizeof retired, "%s", q);
            break;
        }
        http_result_free(&r);
        fixture_answer_body(q, 1, body, sizeof body);
        cr_assert_eq(status_of(&fl, "POST", path, body, &r), 200, "%s", r.body);
    }
    cr_assert(retired[0], "no operational dichotomous item asked");
    http_result_free(&r);
    size_t ri;
    cr_assert_eq(rf_bank_find(&bank, retired, &ri), RF_OK);
    const char *skill = bank.items[ri].skill;
    for (size_t i = 0; i < bank.n && !kept[0]; i++)
        if (i != ri && !strcmp(bank.items[i].skill, skill) && dichotomous(&bank.items[i]) &&
            bank.items[i].pool == RF_POOL_OPERATIONAL && !bank.items[i].retired)
            snprintf(kept, sizeof kept, "%s", bank.items[i].id);
    /* 300 women and 300 men; both items 1.5 logits harder for men */
    const char *const dif[2] = {kept, retired};
    seed_dif_tests(&bank, skill, dif, 1.5, 300);
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif",
                           "{\"by\":\"gender\",\"reference\":\"woman\"}", &r),
                 200, "%s", r.body);
    size_t i, others = 0;
    int flagged[2] = {0, 0};
    const json_t *it;
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        if (!json_is_true(json_object_get(it, "flagged")))
            continue;
        if (!strcmp(str(it, "id"), kept))
            flagged[0] = 1;
        else if (!strcmp(str(it, "id"), retired))
            flagged[1] = 1;
        else
            others++;
    }
    fprintf(stderr, "fairness: seeded DIF: %s %sflagged, %s %sflagged, %zu others flagged\n", kept,
            flagged[0] ? "" : "NOT ", retired, flagged[1] ? "" : "NOT ", others);
    cr_assert(flagged[0] && flagged[1], "a seeded DIF item was not flagged: %s", r.body);
    cr_assert_leq(others, 1, "%zu items without DIF flagged", others);
    http_result_free(&r);
    /* the review queue lists both, in use and retirable, undecided */
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    for (int k = 0; k < 2; k++) {
        const json_t *o = dif_entry(r.json, dif[k]);
        cr_assert(o, "%s is not in the DIF queue: %s", dif[k], r.body);
        cr_assert_str_eq(str(o, "state"), "operational", "%s", dif[k]);
        cr_assert_str_eq(str(o, "skill"), skill);
        cr_assert(json_is_true(json_object_get(o, "retirable")), "%s", dif[k]);
        cr_assert(json_is_null(json_object_get(o, "decision")), "%s", dif[k]);
        cr_assert(json_is_object(json_object_get(o, "mh")), "the evidence: %s", dif[k]);
    }
    http_result_free(&r);

    /* keep: a decision, no new revision, the item still in use */
    size_t nv, nd;
    snprintf(body, sizeof body,
             "{\"item\":\"%s\",\"action\":\"keep\",\"queue\":\"dif\",\"note\":\"reviewed: the "
             "content is job-relevant\"}",
             kept);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 0, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "previous")), 0, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_rev(&admin, &nv, &nd), 0);
    cr_assert_eq(nv, 0, "keep made a revision");
    cr_assert_eq(nd, 1, "the keep is recorded");
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    {
        const json_t *o = dif_entry(r.json, kept);
        cr_assert(o, "%s left the queue: %s", kept, r.body);
        cr_assert_str_eq(str(json_object_get(o, "decision"), "action"), "keep", "%s", r.body);
        cr_assert_str_eq(str(o, "state"), "operational");
    }
    http_result_free(&r);

    /* retire: revision 1, the item retired in it */
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"retire\",\"queue\":\"dif\"}",
             retired);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "previous")), 0, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_rev(&admin, &nv, &nd), 1);
    cr_assert_eq(nv, 1);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    {
        const json_t *o = dif_entry(r.json, retired);
        cr_assert(o, "%s left the queue: %s", retired, r.body);
        cr_assert_str_eq(str(o, "state"), "retired", "%s", r.body);
        cr_assert(json_is_false(json_object_get(o, "retirable")), "%s", r.body);
        cr_assert_str_eq(str(json_object_get(o, "decision"), "action"), "retire", "%s", r.body);
        cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1);
    }
    http_result_free(&r);
    /* retired twice, or kept once retired: refused naming the item, nothing stored */
    static const char *const again[] = {"retire", "keep"};
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"%s\",\"queue\":\"dif\"}",
                 retired, again[k]);
        cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 409, "%s: %s",
                     body, r.body);
        cr_assert(strstr(str(r.json, "error"), retired), "the refusal names the item: %s", r.body);
        http_result_free(&r);
    }
    size_t nd2;
    cr_assert_eq(active_rev(&admin, &nv, &nd2), 1);
    cr_assert_eq(nv, 1, "a refusal made a revision");
    cr_assert_eq(nd2, nd, "a refusal was recorded");

    /* the test in flight answers the retired item it holds and finishes on revision 0 */
    fixture_answer_body(retired, 1, body, sizeof body);
    cr_assert_eq(status_of(&fl, "POST", path, body, &r), 200, "the held item: %s", r.body);
    int seen = 0;
    finish_test(&fl, flight, &r, retired, &seen);
    char *sk_flight = NULL;
    cr_assert_eq(report_of(&fl, flight, &sk_flight), 0, "the test in flight keeps revision 0");
    {
        struct rf_store *st;
        struct rf_test t;
        cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_store_test_get(st, flight, &t, &err), RF_OK, "%s", err.msg);
        char needle[200];
        snprintf(needle, sizeof needle, "\"item\":\"%s\"", retired);
        cr_assert(t.state && strstr(t.state, needle),
                  "the retired item's answer is not in the scored session");
        rf_store_test_cleanup(&t);
        rf_store_close(st);
    }
    /* a new test runs on revision 1 and never asks the retired item */
    struct http_client nb;
    long long newer = start_role_test(&admin, &nb, &r);
    seen = 0;
    finish_test(&nb, newer, &r, retired, &seen);
    cr_assert_eq(seen, 0, "revision 1 asked the retired item");
    char *sk_newer = NULL;
    cr_assert_eq(report_of(&nb, newer, &sk_newer), 1);
    /* one more started on revision 1 and left running across the rollback */
    struct http_client lr;
    long long running = start_role_test(&admin, &lr, &r);
    cr_assert_str_neq(asked(&r), retired);
    http_result_free(&r);

    /* rollback to 0: the item in use again; every stored test still reads
     * and scores as before, the one running on 1 finishes on 1 */
    cr_assert_eq(status_of(&admin, "POST", "/api/bank/rollback",
                           "{\"revision\":0,\"note\":\"retired by mistake\"}", &r),
                 200, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(active_rev(&admin, &nv, &nd), 0);
    cr_assert_eq(nv, 1, "revision 1 is kept");
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert_str_eq(str(dif_entry(r.json, retired), "state"), "operational", "%s", r.body);
    http_result_free(&r);
    char *sk = NULL;
    cr_assert_eq(report_of(&fl, flight, &sk), 0);
    cr_assert_str_eq(sk, sk_flight, "the rollback changed a finished test's report");
    free(sk);
    cr_assert_eq(report_of(&nb, newer, &sk), 1);
    cr_assert_str_eq(sk, sk_newer, "the rollback changed a finished test's report");
    free(sk);
    snprintf(path, sizeof path, "/api/tests/%lld", running);
    cr_assert_eq(status_of(&lr, "GET", path, NULL, &r), 200, "%s", r.body);
    seen = 0;
    finish_test(&lr, running, &r, retired, &seen);
    cr_assert_eq(seen, 0, "the test on revision 1 asked the retired item after the rollback");
    cr_assert_eq(report_of(&lr, running, &sk), 1);
    free(sk);
    /* the stored answers still feed the analysis: a DIF run after the
     * rollback reads them all and flags the item again */
    cr_assert_eq(status_of(&admin, "POST", "/api/fairness/dif",
                           "{\"by\":\"gender\",\"reference\":\"woman\"}", &r),
                 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "tests")), 600 + 3, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    cr_assert(json_is_true(json_object_get(dif_entry(r.json, retired), "retirable")),
              "after the rollback the item may be retired again: %s", r.body);
    http_result_free(&r);
    free(sk_flight);
    free(sk_newer);
    rf_bank_cleanup(&bank);
}

/* ---- the scheduled run (docs/calibration.md "Schedule") ---- */

#define EVERY 3600.0

static void tweak_schedule(struct rf_server_config *cfg)
{
    tweak(cfg);
    cfg->review_every = EVERY;
}

static void setup_schedule(void)
{
    fixture_start_with(0, 0, tweak_schedule);
}

TestSuite(fairness_schedule, .init = setup_schedule, .fini = teardown);

/* The id of the latest DIF run (0: none), its reply in *r when r. */
static long long latest_dif(struct http_client *admin, struct http_result *r)
{
    struct http_result own;
    struct http_result *x = r ? r : &own;
    cr_assert_eq(status_of(admin, "GET", "/api/fairness/dif", NULL, x), 200, "%s", x->body);
    long long id = json_integer_value(json_object_get(json_object_get(x->json, "run"), "id"));
    if (!r)
        http_result_free(&own);
    return id;
}

/* Real time for the schedule's thread to look at the clock (it looks every
 * RF_REVIEW_TICK_SECONDS) and finish a run. */
static void wait_ticks(double seconds)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
}

Test(fairness_schedule, a_scheduled_run_flags_a_seeded_dif_item, .timeout = 300)
{
    struct http_client admin = fixture_admin();
    struct rf_bank bank;
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    const char *skill = "data_engineering";
    char ids[2][160];
    size_t k = 0;
    for (size_t i = 0; i < bank.n && k < 2; i++)
        if (!strcmp(bank.items[i].skill, skill) && dichotomous(&bank.items[i]) &&
            bank.items[i].pool == RF_POOL_OPERATIONAL && !bank.items[i].retired)
            snprintf(ids[k++], sizeof ids[0], "%s", bank.items[i].id);
    cr_assert_eq(k, 2);
    const char *const dif[2] = {ids[0], ids[1]};
    seed_dif_tests(&bank, skill, dif, 1.5, 300);
    /* the schedule's first look records when the interval starts */
    char *start = NULL;
    for (int t = 0; t < 300 && !start; t++) {
        struct rf_store *st;
        cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_store_setting_get(st, RF_SCHEDULE_KEY, &start, &err), RF_OK, "%s", err.msg);
        rf_store_close(st);
        if (!start)
            wait_ticks(0.1);
    }
    cr_assert(start, "the schedule never looked at its clock");
    cr_assert_eq(strtod(start, NULL), fixture_clock(), "the interval starts at %s", start);
    free(start);
    /* not due: the first look only starts the interval, and an interval less
     * a second runs nothing */
    wait_ticks(2 * RF_REVIEW_TICK_SECONDS + 0.5);
    cr_assert_eq(latest_dif(&admin, NULL), 0, "a run before the interval");
    fixture_advance(EVERY - 1);
    wait_ticks(2 * RF_REVIEW_TICK_SECONDS + 0.5);
    cr_assert_eq(latest_dif(&admin, NULL), 0, "a run before the interval");
    /* due: the run comes by itself */
    fixture_advance(1);
    struct http_result r;
    long long id = 0;
    for (int t = 0; t < 600 && !id; t++) {
        wait_ticks(0.2);
        id = latest_dif(&admin, NULL);
    }
    cr_assert_gt(id, 0, "no scheduled DIF run within 120 s");
    cr_assert_eq(latest_dif(&admin, &r), id);
    cr_assert(json_is_true(json_object_get(r.json, "scheduled")), "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "run"), "by")), 0,
                 "made by nobody: %s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "min_group")), DIF_MIN);
    const json_t *dims = json_object_get(r.json, "dimensions");
    cr_assert_eq(json_array_size(dims), 1, "only gender was reported: %s", r.body);
    /* 300 and 300: the tie goes to the first by name */
    cr_assert_str_eq(str(json_array_get(dims, 0), "by"), "gender");
    cr_assert_str_eq(str(json_array_get(dims, 0), "reference"), "man", "%s", r.body);
    size_t i, others = 0;
    int flagged[2] = {0, 0};
    const json_t *it;
    json_array_foreach(json_object_get(r.json, "items"), i, it)
    {
        cr_assert_str_eq(str(it, "by"), "gender");
        cr_assert_str_eq(str(it, "reference"), "man");
        if (!json_is_true(json_object_get(it, "flagged")))
            continue;
        int which = !strcmp(str(it, "id"), ids[0]) ? 0 : !strcmp(str(it, "id"), ids[1]) ? 1 : -1;
        if (which < 0)
            others++;
        else
            flagged[which] = 1;
    }
    fprintf(stderr, "fairness: scheduled run %lld: %s %sflagged, %s %sflagged, %zu others\n", id,
            ids[0], flagged[0] ? "" : "NOT ", ids[1], flagged[1] ? "" : "NOT ", others);
    cr_assert(flagged[0] && flagged[1], "a seeded DIF item was not flagged: %s", r.body);
    cr_assert_leq(others, 1);
    http_result_free(&r);
    /* the export has one header */
    cr_assert_eq(status_of(&admin, "GET", "/api/fairness/dif?format=csv", NULL, &r), 200);
    cr_assert(strncmp(r.body, "by,reference,focal,id,", 22) == 0, "%.80s", r.body);
    cr_assert_null(strstr(r.body + 1, "\nby,reference,focal,id,"), "a second header");
    http_result_free(&r);
    /* the drift run came with it, and the queue takes decisions on the scheduled run */
    cr_assert_eq(status_of(&admin, "GET", "/api/review", NULL, &r), 200, "%s", r.body);
    const json_t *dr = json_object_get(r.json, "drift");
    cr_assert(json_is_object(dr), "no scheduled drift run: %s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(dr, "run"), "by")), 0);
    cr_assert(json_is_true(json_object_get(dif_entry(r.json, ids[1]), "retirable")), "%s", r.body);
    http_result_free(&r);
    char body[512];
    snprintf(body, sizeof body, "{\"item\":\"%s\",\"action\":\"retire\",\"queue\":\"dif\"}",
             ids[1]);
    cr_assert_eq(status_of(&admin, "POST", "/api/review/decisions", body, &r), 200, "%s", r.body);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "revision")), 1, "%s", r.body);
    http_result_free(&r);
    cr_assert(fixture_log_contains("scheduled DIF run"), "the run is logged");
    /* not again until the next interval */
    fixture_advance(EVERY / 2);
    wait_ticks(2 * RF_REVIEW_TICK_SECONDS + 0.5);
    cr_assert_eq(latest_dif(&admin, NULL), id, "a second run within the interval");
    rf_bank_cleanup(&bank);
}

/* Two serve processes on one database (two applications here) run one
 * schedule: the first look starts the interval for both, and when a run is
 * due only the first to claim it runs it. */
Test(fairness, processes_on_one_database_share_one_schedule, .timeout = 120)
{
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, 0, 0);
    struct rf_app *a1, *a2;
    struct rf_err err;
    cr_assert_eq(rf_app_open(&cfg.app, &a1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_app_open(&cfg.app, &a2, &err), RF_OK, "%s", err.msg);
    static const struct {
        int app;
        double now;
        int due;
    } steps[] = {
        {1, 5000, 0}, /* the first look: the interval starts at 5000 */
        {2, 5050, 0}, /* the other process sees the same start */
        {2, 5100, 1}, /* due: claimed by process 2 */
        {1, 5100, 0}, /* process 1 sees it taken */
        {1, 5150, 0}, {1, 5200, 1}, {2, 5250, 0}, {2, 5300, 1},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        rf_err_clear(&err);
        int due = rf_schedule_due(steps[i].app == 1 ? a1 : a2, 100, steps[i].now, &err);
        cr_assert_eq(due, steps[i].due, "step %zu: process %d at %.0f: due %d (%s)", i,
                     steps[i].app, steps[i].now, due, err.msg);
    }
    /* a value that is not a time (edited by hand) is due and replaced */
    struct rf_store *st;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_setting_set(st, RF_SCHEDULE_KEY, "soon", &err), RF_OK, "%s", err.msg);
    rf_store_close(st);
    cr_assert_eq(rf_schedule_due(a1, 100, 5310, &err), 1);
    cr_assert_eq(rf_schedule_due(a2, 100, 5320, &err), 0);
    rf_app_close(a1);
    rf_app_close(a2);
}
