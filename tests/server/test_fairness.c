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
 *     queue, and exports as CSV. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "fixture.h"

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
    } bad[] = {{"{}", "reference"},
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
