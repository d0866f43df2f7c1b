/* Interview kits (careers/kits.h): a kit file loads with its loops, rounds
 * and anchored rubrics; every broken invariant is refused with one line
 * naming the place; lint finds anchors that say too little, anchors alike and
 * technical roles without a take-home. The bundled data/interviews.json
 * loads and lints clean. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "careers/data.h"
#include "careers/kits.h"

static struct rf_careers c;
static json_t *small;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    json_error_t je;
    small = json_load_file("tests/careers/data/kits_small.json", 0, &je);
    cr_assert(small, "%s", je.text);
}

static void unload(void)
{
    json_decref(small);
    rf_careers_cleanup(&c);
}

TestSuite(kits, .init = load, .fini = unload);

static rf_status load_json(const json_t *j, struct rf_kits *k, struct rf_err *err)
{
    char *s = json_dumps(j, 0);
    cr_assert(s);
    rf_status rc = rf_kits_load_mem("kits.json", s, strlen(s), &c, k, err);
    free(s);
    return rc;
}

static void count_line(void *ctx, const char *line)
{
    (void)line;
    ++*(size_t *)ctx;
}

Test(kits, a_kit_file_loads_with_loops_for_every_role)
{
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(load_json(small, &k, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(k.min, 1);
    cr_assert_eq(k.max, 4);
    cr_assert_eq(k.nrounds, 2);
    cr_assert_eq(k.rounds[0].nquestions, 3);
    cr_assert_eq(k.rounds[0].ncriteria, 3);
    cr_assert(strstr(k.rounds[0].rubric[0].anchors[3], "tests the result"));
    for (size_t r = 0; r < c.roles.n; r++)
        cr_assert(rf_kits_loop(&k, r), "role %s has a loop", c.roles.roles[r].id);
    const struct rf_role *ds = rf_roles_find(&c.roles, "data_scientist");
    const struct rf_kit_loop *l = rf_kits_loop(&k, (size_t)(ds - c.roles.roles));
    cr_assert_neq(l->take_home, (size_t)-1);
    cr_assert_str_eq(k.take_homes[l->take_home].id, "churn_model");
    /* eight technical roles lack a take-home in this small file */
    size_t n = 0;
    cr_assert_eq(rf_kits_lint(&k, count_line, &n), 8);
    cr_assert_eq(n, 8);
    rf_kits_cleanup(&k);
}

/* Applies one edit to a copy of the small kit file and expects msg. */
static void refused(const char *what, void (*edit)(json_t *), const char *msg)
{
    json_t *j = json_deep_copy(small);
    edit(j);
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(load_json(j, &k, &err), RF_EINVAL, "%s: loaded", what);
    cr_assert(strstr(err.msg, msg), "%s: '%s'", what, err.msg);
    cr_assert(!strncmp(err.msg, "kits.json: ", 11), "%s: %s", what, err.msg);
    cr_assert_eq(k.nrounds, 0, "left empty");
    json_decref(j);
}

static json_t *round0(json_t *j)
{
    return json_array_get(json_object_get(j, "rounds"), 0);
}
static json_t *crit0(json_t *j)
{
    return json_array_get(json_object_get(round0(j), "rubric"), 0);
}
static void drop_anchor(json_t *j)
{
    json_object_del(json_object_get(crit0(j), "anchors"), "3");
}
static void empty_anchor(json_t *j)
{
    json_object_set_new(json_object_get(crit0(j), "anchors"), "2", json_string("  "));
}
static void foreign_skill(json_t *j)
{
    json_object_set_new(crit0(j), "skill", json_string("deep_learning"));
}
static void two_questions(json_t *j)
{
    json_array_remove(json_object_get(round0(j), "questions"), 0);
}
static void bad_kind(json_t *j)
{
    json_object_set_new(round0(j), "kind", json_string("whiteboard_math"));
}
static void unknown_round(json_t *j)
{
    json_t *l = json_array_get(json_object_get(j, "loops"), 2);
    json_object_set_new(json_array_get(json_object_get(l, "rounds"), 0), "round",
                        json_string("math_whiteboard"));
}
static void missing_loop(json_t *j)
{
    json_array_remove(json_object_get(j, "loops"), 0);
}
static void second_loop(json_t *j)
{
    json_t *loops = json_object_get(j, "loops");
    json_object_set_new(json_array_get(loops, 1), "role",
                        json_string(json_string_value(
                            json_object_get(json_array_get(loops, 0), "role"))));
}
static void zero_count(json_t *j)
{
    json_t *l = json_array_get(json_object_get(j, "loops"), 0);
    json_object_set_new(json_array_get(json_object_get(l, "rounds"), 0), "count",
                        json_integer(0));
}
static void unknown_take_home(json_t *j)
{
    json_object_set_new(json_array_get(json_object_get(j, "loops"), 0), "take_home",
                        json_string("kaggle"));
}
static void unknown_role(json_t *j)
{
    json_t *t = json_array_get(json_object_get(j, "take_homes"), 0);
    json_array_append_new(json_object_get(t, "roles"), json_string("astronaut"));
}
static void duplicate_round(json_t *j)
{
    json_object_set_new(json_array_get(json_object_get(j, "rounds"), 1), "id",
                        json_string("coding_algorithmic"));
}
static void narrow_scale(json_t *j)
{
    json_object_set_new(json_object_get(j, "scale"), "max", json_integer(2));
}

Test(kits, broken_kits_are_refused_naming_the_place)
{
    refused("anchor missing", drop_anchor,
            "rounds[0] 'coding_algorithmic': rubric[0] 'correctness': field 'anchors': expected "
            "one anchor for each point 1..4");
    refused("anchor empty", empty_anchor, "anchors.2: expected what an answer at 2 looks like");
    refused("criterion skill", foreign_skill,
            "field 'skill': 'deep_learning' is not one of the skills it measures");
    refused("two questions", two_questions, "field 'questions': expected 3 to 5 questions");
    refused("kind", bad_kind, "field 'kind': expected coding");
    refused("unknown round", unknown_round, "rounds[0]: unknown round 'math_whiteboard'");
    refused("missing loop", missing_loop, "field 'loops': no loop for role");
    refused("second loop", second_loop, "a second loop for the role");
    refused("count", zero_count, "field 'count': expected 1 to 8");
    refused("take-home", unknown_take_home, "unknown take-home 'kaggle'");
    refused("role", unknown_role, "unknown role 'astronaut'");
    refused("duplicate round", duplicate_round, "duplicate round 'coding_algorithmic'");
    refused("scale", narrow_scale, "field 'scale': expected integer min and max with 3 to");
}

static void adjectives(json_t *j)
{
    json_t *an = json_object_get(crit0(j), "anchors");
    json_object_set_new(an, "1", json_string("Poor."));
    json_object_set_new(an, "2", json_string("Answers the question with one working step."));
    json_object_set_new(an, "3", json_string("Answers the question with one working step."));
}

Test(kits, lint_finds_adjectives_and_anchors_alike)
{
    json_t *j = json_deep_copy(small);
    adjectives(j);
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(load_json(j, &k, &err), RF_OK, "%s", err.msg);
    size_t n = 0;
    cr_assert_eq(rf_kits_lint(&k, count_line, &n), 8 + 2, "8 take-homes, 1 adjective, 1 alike");
    rf_kits_cleanup(&k);
    json_decref(j);
}

static void print_finding(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "finding: %s\n", line);
}

Test(kits, bundled_kits_load_and_lint_clean)
{
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_kits_load("data/interviews.json", &c, &k, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_kits_lint(&k, print_finding, NULL), 0);
    /* the research scientist's loop: presentation, coding, four research design rounds,
     * behavioral (CONTEXT.md), and no round of another kind */
    const struct rf_role *res = rf_roles_find(&c.roles, "ml_researcher");
    const struct rf_kit_loop *l = rf_kits_loop(&k, (size_t)(res - c.roles.roles));
    size_t design = 0, coding = 0, pres = 0, total = 0;
    for (size_t i = 0; i < l->nsteps; i++) {
        const char *kind = k.rounds[l->steps[i].round].kind;
        design += strcmp(kind, "research_design") == 0 ? l->steps[i].count : 0;
        coding += strcmp(kind, "coding") == 0 ? l->steps[i].count : 0;
        pres += strcmp(kind, "research_presentation") == 0 ? l->steps[i].count : 0;
        total += l->steps[i].count;
    }
    cr_assert_geq(design, 4);
    cr_assert_eq(coding, 1);
    cr_assert_eq(pres, 1);
    cr_assert_leq(total, 7);
    /* the ML engineer's loop has coding and ML system design */
    const struct rf_role *mle = rf_roles_find(&c.roles, "ml_engineer");
    l = rf_kits_loop(&k, (size_t)(mle - c.roles.roles));
    int sd = 0;
    coding = 0;
    for (size_t i = 0; i < l->nsteps; i++) {
        sd |= strcmp(k.rounds[l->steps[i].round].kind, "ml_system_design") == 0;
        coding += strcmp(k.rounds[l->steps[i].round].kind, "coding") == 0;
    }
    cr_assert(sd && coding);
    /* the 40/30/30 split shows in the loop: product and experiment rounds */
    int product = 0, experiments = 0;
    for (size_t i = 0; i < l->nsteps; i++) {
        product |= strcmp(k.rounds[l->steps[i].round].id, "product_case") == 0;
        experiments |= strcmp(k.rounds[l->steps[i].round].id, "data_analysis_case") == 0;
    }
    cr_assert(product && experiments);
    /* roles.json's loops say what the kits say, and no research stage is a math round */
    cr_assert_eq(rf_kits_check_roles(&k, print_finding, NULL), 0);
    for (size_t i = 0; i < res->nloop; i++)
        cr_assert_null(strstr(res->loop[i].stage, "math"), "%s", res->loop[i].stage);
    rf_kits_cleanup(&k);
}

struct lines {
    size_t n;
    char text[8][RF_ERRMSG_LEN * 2];
};

static void keep_line(void *ctx, const char *line)
{
    struct lines *l = ctx;
    if (l->n < 8)
        snprintf(l->text[l->n], sizeof l->text[0], "%s", line);
    l->n++;
}

static struct rf_role *role_named(const char *id)
{
    return (struct rf_role *)rf_roles_find(&c.roles, id);
}

/* Each edit of the loaded roles makes them disagree with the bundled kits in
 * one way, is found with a line naming the role, and is undone. */
Test(kits, roles_loops_that_disagree_with_the_kits_are_found)
{
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_kits_load("data/interviews.json", &c, &k, &err), RF_OK, "%s", err.msg);
    struct lines out = {0};
    cr_assert_eq(rf_kits_check_roles(&k, keep_line, &out), 0, "%s", out.text[0]);
    /* the research scientist's research design held twice, not four times */
    struct rf_role *res = role_named("ml_researcher");
    struct rf_role_stage *design = NULL;
    for (size_t i = 0; i < res->nloop; i++)
        if (res->loop[i].round && strcmp(res->loop[i].round, "research_design") == 0)
            design = &res->loop[i];
    cr_assert_not_null(design);
    design->count = 2;
    cr_assert_eq(rf_kits_check_roles(&k, keep_line, &out), 2);
    cr_assert(strstr(out.text[0], "role 'ml_researcher'") &&
                  strstr(out.text[0], "'research_design' x2, interviews.json has "
                                      "'research_design' x4"),
              "%s", out.text[0]);
    cr_assert(strstr(out.text[1], "its name does not say so"), "%s", out.text[1]);
    design->count = 4;
    /* a take-home the kits do not give the role */
    char *th = NULL;
    for (size_t i = 0; i < res->nloop; i++)
        if (res->loop[i].take_home) {
            th = res->loop[i].take_home;
            res->loop[i].take_home = (char *)"th_event_pipeline";
        }
    out.n = 0;
    cr_assert_eq(rf_kits_check_roles(&k, keep_line, &out), 1);
    cr_assert(strstr(out.text[0], "take-home 'th_event_pipeline', interviews.json has "
                                  "th_research_ablation"),
              "%s", out.text[0]);
    for (size_t i = 0; i < res->nloop; i++)
        if (res->loop[i].take_home)
            res->loop[i].take_home = th;
    /* the data scientist's coding round without a coding requirement */
    struct rf_role *ds = role_named("data_scientist");
    size_t se, la;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "software_engineering", &se), RF_OK);
    cr_assert_eq(rf_taxonomy_find(&c.tax, "linear_algebra", &la), RF_OK);
    struct rf_role_req *req = (struct rf_role_req *)rf_role_req_find(ds, se);
    cr_assert_not_null(req);
    req->skill = la;
    out.n = 0;
    cr_assert_eq(rf_kits_check_roles(&k, keep_line, &out), 1);
    cr_assert(strstr(out.text[0], "role 'data_scientist': the loop's round "
                                  "'coding_ml_practical' tests software_engineering first"),
              "%s", out.text[0]);
    req->skill = se;
    out.n = 0;
    cr_assert_eq(rf_kits_check_roles(&k, keep_line, &out), 0);
    rf_kits_cleanup(&k);
}
