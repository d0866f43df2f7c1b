/* The ML Test Score (careers/readiness.h): the bundled rubric, the section
 * sums and the minimum rule, the bands at their edges, reading an assessment
 * with one-line errors, and the order of tests to automate. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "careers/data.h"
#include "careers/readiness.h"

static struct rf_careers c;
static struct rf_readiness r;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_readiness_load("data/readiness.json", &c, &r, &err), RF_OK, "%s", err.msg);
}

static void unload(void)
{
    rf_readiness_cleanup(&r);
    rf_careers_cleanup(&c);
}

TestSuite(readiness, .init = load, .fini = unload);

/* Sets every test of section s to x. */
static void fill(double *scores, size_t s, double x)
{
    for (size_t i = 0; i < r.sections[s].n; i++)
        scores[r.sections[s].first + i] = x;
}

Test(readiness, bundled_rubric_has_four_sections_of_seven)
{
    static const char *const ids[] = {"data", "model", "infrastructure", "monitoring"};
    cr_assert_eq(r.nsections, 4);
    cr_assert_eq(r.ntests, 28);
    for (size_t s = 0; s < 4; s++) {
        cr_assert_str_eq(r.sections[s].id, ids[s]);
        cr_assert_eq(r.sections[s].n, 7);
        cr_assert_eq(r.sections[s].first, 7 * s);
    }
    for (size_t i = 0; i < r.ntests; i++) {
        cr_assert_eq(rf_readiness_find(&r, r.tests[i].id), i, "%s", r.tests[i].id);
        cr_assert(r.tests[i].nroles >= 1 && r.tests[i].nskills >= 1, "%s", r.tests[i].id);
    }
    /* monitoring points at the MLOps engineer, as the example says */
    size_t mlops = (size_t)(rf_roles_find(&c.roles, "mlops_engineer") - c.roles.roles), owned = 0;
    for (size_t i = 0; i < r.sections[3].n; i++) {
        const struct rf_readiness_test *t = &r.tests[r.sections[3].first + i];
        for (size_t k = 0; k < t->nroles; k++)
            owned += t->roles[k] == mlops;
    }
    cr_assert_geq(owned, 5, "monitoring tests owned by the MLOps engineer: %zu of 7", owned);
    cr_assert_eq(r.nbands, 6);
}

Test(readiness, sections_sum_and_the_lowest_section_is_the_final_score)
{
    double s[28] = {0}, sec[4];
    /* nothing done: a research project */
    cr_assert_eq(rf_readiness_score(&r, s, sec), 0);
    cr_assert_str_eq(rf_readiness_band(&r, 0)->name, "research project");
    /* everything automated: 7 in every section, exceptional */
    for (size_t k = 0; k < 4; k++)
        fill(s, k, 1);
    cr_assert_eq(rf_readiness_score(&r, s, sec), 7);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(sec[k], 7);
    cr_assert_str_eq(rf_readiness_band(&r, 7)->name, "exceptional");
    /* one empty section sets the final score to 0 however good the rest is */
    fill(s, 2, 0);
    cr_assert_eq(rf_readiness_score(&r, s, sec), 0);
    cr_assert_eq(sec[2], 0);
    /* data 3 (six by hand), model 2.5, infrastructure 4, monitoring 1.5: final 1.5 */
    memset(s, 0, sizeof s);
    for (size_t i = 0; i < 6; i++)
        s[i] = 0.5;
    s[7] = s[8] = 1, s[9] = 0.5;
    for (size_t i = 14; i < 18; i++)
        s[i] = 1;
    s[21] = 1, s[22] = 0.5;
    cr_assert_eq(rf_readiness_score(&r, s, sec), 1.5);
    cr_assert_eq(sec[0], 3);
    cr_assert_eq(sec[1], 2.5);
    cr_assert_eq(sec[2], 4);
    cr_assert_eq(sec[3], 1.5);
    cr_assert_str_eq(rf_readiness_band(&r, 1.5)->name, "first pass");
    cr_assert(rf_readiness_score(&r, s, NULL) == 1.5, "section may be NULL");
}

Test(readiness, bands_hold_their_upper_edges)
{
    static const struct {
        double x;
        const char *name;
    } cases[] = {{0, "research project"}, {0.5, "serious holes"}, {1, "serious holes"},
                 {1.5, "first pass"},      {2, "first pass"},     {2.5, "reasonably tested"},
                 {3, "reasonably tested"}, {3.5, "strong"},       {5, "strong"},
                 {5.5, "exceptional"},     {7, "exceptional"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_str_eq(rf_readiness_band(&r, cases[i].x)->name, cases[i].name, "final %g",
                         cases[i].x);
}

static rf_status read_text(const char *text, double *s, size_t *unscored, struct rf_err *err)
{
    json_t *j;
    rf_status rc = rf_json_load_mem("assessment", text, strlen(text), &j, err);
    if (rc)
        return rc;
    rc = rf_readiness_read_scores(&r, json_object_get(j, "scores"), s, unscored, "assessment",
                                  err);
    json_decref(j);
    return rc;
}

Test(readiness, an_assessment_reads_or_is_refused_naming_the_field)
{
    double s[28], keep[28];
    size_t unscored = 99;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(read_text("{\"scores\":{\"data_schema\":0.5,\"infra_rollback\":1,"
                           "\"mon_staleness\":0}}",
                           s, &unscored, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(unscored, 25);
    cr_assert_eq(s[rf_readiness_find(&r, "data_schema")], 0.5);
    cr_assert_eq(s[rf_readiness_find(&r, "infra_rollback")], 1);
    cr_assert_eq(s[rf_readiness_find(&r, "model_slices")], 0);
    memcpy(keep, s, sizeof s);

    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"scores\":{\"data_schema\":2}}", "scores.data_schema: expected 0, 0.5 or 1, got 2"},
        {"{\"scores\":{\"data_schema\":0.25}}", "got 0.25"},
        {"{\"scores\":{\"data_schema\":\"1\"}}", "got a string"},
        {"{\"scores\":{\"data_schema\":true}}", "got a non-number"},
        {"{\"scores\":{\"no_such_test\":1}}", "scores.no_such_test: unknown test"},
        {"{\"scores\":[1,0]}", "field 'scores': expected an object"},
        {"{}", "field 'scores': expected an object"},
        {"{\"scores\":{\"data_schema\":1,\"data_schema\":0}}", "duplicate"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rf_err_clear(&err);
        cr_assert_eq(read_text(bad[i].text, s, NULL, &err), RF_EINVAL, "%s", bad[i].text);
        cr_assert(strstr(err.msg, bad[i].msg), "%s: got '%s'", bad[i].text, err.msg);
        cr_assert(!strchr(err.msg, '\n'));
        cr_assert_eq(memcmp(s, keep, sizeof s), 0, "%s changed the scores", bad[i].text);
    }
}

Test(readiness, the_plan_raises_the_lowest_section_first)
{
    double s[28] = {0}, finals[28];
    size_t steps[28];
    /* data and model automated, infrastructure 2, monitoring 3: infrastructure first */
    fill(s, 0, 1);
    fill(s, 1, 1);
    s[14] = s[15] = 1;
    s[21] = s[22] = s[23] = 1;
    cr_assert_eq(rf_readiness_score(&r, s, NULL), 2);
    size_t n = rf_readiness_plan(&r, s, 3, steps, finals);
    cr_assert_eq(n, 3);
    cr_assert_eq(r.tests[steps[0]].section, 2);
    cr_assert_eq(finals[0], 3, "infrastructure 3, monitoring 3");
    cr_assert_eq(finals[1], 3, "one section rising alone leaves the minimum where it is");
    cr_assert_eq(finals[2], 4);
    cr_assert_neq(r.tests[steps[1]].section, r.tests[steps[2]].section);

    /* a test done by hand gains half a point, one not done a whole point: not done first */
    memset(s, 0, sizeof s);
    fill(s, 0, 1);
    fill(s, 1, 1);
    fill(s, 3, 1);
    s[14] = 0.5;
    n = rf_readiness_plan(&r, s, 1, steps, finals);
    cr_assert_eq(n, 1);
    cr_assert_neq(steps[0], 14);
    cr_assert_eq(finals[0], 1.5);

    /* from nothing, all 28 steps: never a test twice, never one already automated,
     * finals never fall and end at 7 */
    memset(s, 0, sizeof s);
    n = rf_readiness_plan(&r, s, 28, steps, finals);
    cr_assert_eq(n, 28);
    int seen[28] = {0};
    for (size_t i = 0; i < n; i++) {
        cr_assert(!seen[steps[i]]++);
        cr_assert(i == 0 || finals[i] >= finals[i - 1]);
    }
    cr_assert_eq(finals[27], 7);
    cr_assert_eq(finals[3], 1, "the fourth step completes a round of the four sections");
    /* nothing left to do */
    for (size_t k = 0; k < 4; k++)
        fill(s, k, 1);
    cr_assert_eq(rf_readiness_plan(&r, s, 5, steps, NULL), 0);
}

Test(readiness, the_json_names_band_weakest_and_owners)
{
    double s[28] = {0};
    fill(s, 0, 1);
    fill(s, 1, 0.5);
    fill(s, 2, 1);
    fill(s, 3, 0.5);
    json_t *j = rf_readiness_json(&r, s, 2, "2026-12-06");
    cr_assert(j);
    cr_assert_eq(rf_json_num(j, "final"), 3.5);
    cr_assert_str_eq(rf_json_text(json_object_get(j, "band"), "name"), "strong");
    cr_assert_str_eq(rf_json_text(j, "date"), "2026-12-06");
    const json_t *w = json_object_get(j, "weakest");
    cr_assert_eq(json_array_size(w), 2);
    cr_assert_str_eq(json_string_value(json_array_get(w, 0)), "model");
    cr_assert_str_eq(json_string_value(json_array_get(w, 1)), "monitoring");
    const json_t *plan = json_object_get(j, "plan");
    cr_assert_eq(json_array_size(plan), 2);
    const json_t *p0 = json_array_get(plan, 0);
    cr_assert_eq(rf_json_num(p0, "from"), 0.5);
    cr_assert_eq(rf_json_num(p0, "to"), 1);
    cr_assert(json_array_size(json_object_get(p0, "roles")) >= 1);
    cr_assert_eq(json_array_size(json_object_get(j, "sections")), 4);
    json_decref(j);
}

static rf_status load_text(const char *text, struct rf_err *err)
{
    struct rf_readiness x;
    rf_status rc = rf_readiness_load_mem("rubric.json", text, strlen(text), &c, &x, err);
    rf_readiness_cleanup(&x);
    return rc;
}

#define TEST_OK(id, skills, roles)                                                             \
    "{\"id\":\"" id "\",\"title\":\"t\",\"what\":\"w\",\"manual\":\"m\",\"automated\":\"a\","   \
    "\"skills\":" skills ",\"roles\":" roles "}"
#define BANDS "\"bands\":[{\"upto\":0,\"name\":\"a\",\"meaning\":\"m\"},{\"upto\":null,\"name\":\"b\",\"meaning\":\"m\"}]"

Test(readiness, malformed_rubrics_are_refused_naming_the_place)
{
    struct rf_err err;
    rf_err_clear(&err);
    const char *ok = "{\"sections\":[{\"id\":\"data\",\"name\":\"Data\",\"tests\":[" TEST_OK(
        "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "]}]," BANDS "}";
    cr_assert_eq(load_text(ok, &err), RF_OK, "%s", err.msg);
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"data_engineering\"]", "[\"nobody\"]") "]}]," BANDS "}",
         "sections[0].tests[0] 'x': roles[0]: unknown role 'nobody'"},
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"cooking\"]", "[\"data_engineer\"]") "]}]," BANDS "}",
         "skills[0]: unknown skill 'cooking'"},
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "," TEST_OK(
             "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "]}]," BANDS "}",
         "duplicate test 'x'"},
        {"{\"sections\":[{\"id\":\"Data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "]}]," BANDS "}",
         "sections[0]: field 'id': expected lower_snake_case"},
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[]}]," BANDS "}",
         "sections[0]: field 'tests': expected a non-empty array"},
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "]}],"
         "\"bands\":[{\"upto\":2,\"name\":\"a\",\"meaning\":\"m\"},{\"upto\":1,\"name\":\"b\","
         "\"meaning\":\"m\"},{\"upto\":null,\"name\":\"c\",\"meaning\":\"m\"}]}",
         "bands[1]: field 'upto': 1 does not rise"},
        {"{\"sections\":[{\"id\":\"data\",\"name\":\"D\",\"tests\":[" TEST_OK(
             "x", "[\"data_engineering\"]", "[\"data_engineer\"]") "]}],"
         "\"bands\":[{\"upto\":2,\"name\":\"a\",\"meaning\":\"m\"}]}",
         "bands[0]: field 'upto': expected null (the last band is open)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rf_err_clear(&err);
        cr_assert_eq(load_text(bad[i].text, &err), RF_EINVAL, "case %zu", i);
        cr_assert(strstr(err.msg, bad[i].msg), "case %zu: got '%s'", i, err.msg);
        cr_assert(!strncmp(err.msg, "rubric.json: ", 13), "%s", err.msg);
    }
}

/* A step that leaves the final score where it is is said so, with the
 * sections that hold it (the final is the lowest section's): never listed as
 * raising it. */
Test(readiness, a_step_that_does_not_raise_the_final_names_the_sections_holding_it)
{
    double s[28] = {0}, finals[28];
    size_t steps[28];
    int held[4];
    /* data and model automated, infrastructure 2, monitoring 3 */
    fill(s, 0, 1);
    fill(s, 1, 1);
    s[14] = s[15] = 1;
    s[21] = s[22] = s[23] = 1;
    cr_assert_eq(rf_readiness_plan(&r, s, 3, steps, finals), 3);
    cr_assert_eq(rf_readiness_step_raises(&r, s, steps, 0, held), 1, "2 to 3");
    /* infrastructure and monitoring at 3: raising one leaves monitoring holding 3 */
    cr_assert_eq(rf_readiness_step_raises(&r, s, steps, 1, held), 0);
    size_t other = r.tests[steps[1]].section == 2 ? 3 : 2;
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(held[k], k == other, "section %zu", k);
    cr_assert_eq(rf_readiness_step_raises(&r, s, steps, 2, held), 1, "3 to 4");
    json_t *j = rf_readiness_json(&r, s, 3, NULL), *plan = json_object_get(j, "plan");
    cr_assert(json_is_true(json_object_get(json_array_get(plan, 0), "raises_final")));
    cr_assert_eq(json_array_size(json_object_get(json_array_get(plan, 0), "held_by")), 0);
    const json_t *p1 = json_array_get(plan, 1);
    cr_assert(json_is_false(json_object_get(p1, "raises_final")));
    cr_assert_eq(json_array_size(json_object_get(p1, "held_by")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(p1, "held_by"), 0), "id")),
                     r.sections[other].id);
    json_decref(j);
    /* from nothing: the first three steps raise nothing, the fourth does */
    memset(s, 0, sizeof s);
    cr_assert_eq(rf_readiness_plan(&r, s, 4, steps, NULL), 4);
    for (size_t k = 0; k < 4; k++)
        cr_assert_eq(rf_readiness_step_raises(&r, s, steps, k, NULL), k == 3, "step %zu", k);
}
