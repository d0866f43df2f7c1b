/* The skill taxonomy: the bundled data/skills.json and every error path. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "bank/skills.h"

Test(skills, bundled_taxonomy_loads)
{
    struct rf_taxonomy t;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_taxonomy_load("data/skills.json", &t, &err);
    cr_assert_eq(rc, RF_OK, "%s", err.msg);
    cr_assert_eq(t.nskills, 19);
    cr_assert_eq(t.ntasks, 6);
    cr_assert_str_eq(t.levels[0], "novice");
    cr_assert_str_eq(t.levels[4], "expert");
    size_t i;
    cr_assert_eq(rf_taxonomy_find(&t, "deep_learning", &i), RF_OK);
    cr_assert_str_eq(t.skills[i].id, "deep_learning");
    cr_assert_str_eq(t.skills[i].task, "modeling");
    cr_assert(strlen(t.skills[i].description) > 20);
    cr_assert_eq(rf_taxonomy_find(&t, "astrology", &i), RF_ENOTFOUND);
    cr_assert_eq(rf_taxonomy_find_task(&t, "deployment", &i), RF_OK);
    rf_taxonomy_cleanup(&t);
    rf_taxonomy_cleanup(&t); /* twice is harmless */
}

Test(skills, level_cut_points)
{
    struct rf_skill s = {.cuts = {-1.0, 0.0, 1.0, 2.0}};
    cr_assert_eq(rf_skill_level(&s, -3.0), 0);
    cr_assert_eq(rf_skill_level(&s, -1.0001), 0);
    cr_assert_eq(rf_skill_level(&s, -1.0), 1); /* on the cut: the higher level */
    cr_assert_eq(rf_skill_level(&s, 0.5), 2);
    cr_assert_eq(rf_skill_level(&s, 1.0), 3);
    cr_assert_eq(rf_skill_level(&s, 1.99), 3);
    cr_assert_eq(rf_skill_level(&s, 2.0), 4);
    cr_assert_eq(rf_skill_level(&s, 9.0), 4);
    cr_assert_eq(rf_skill_level(&s, NAN), 0);
}

static const char *load_error(const char *json)
{
    static struct rf_err err;
    struct rf_taxonomy t;
    rf_err_clear(&err);
    rf_status rc = rf_taxonomy_load_mem("tax.json", json, strlen(json), &t, &err);
    cr_assert_neq(rc, RF_OK, "expected an error for %s", json);
    cr_assert_eq(t.nskills, 0);
    cr_assert_null(t.skills);
    return err.msg;
}

#define TASKS "\"tasks\":[{\"id\":\"modeling\",\"name\":\"Modeling\"}]"
#define LEVELS "\"levels\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"

Test(skills, errors_name_the_place)
{
    cr_assert(strstr(load_error("{\"tasks\": ["), "tax.json:1:"));
    cr_assert(strstr(load_error("[]"), "expected a JSON object"));
    cr_assert(strstr(load_error("{" LEVELS ",\"skills\":[]}"), "field 'tasks'"));
    cr_assert(strstr(load_error("{" TASKS ",\"levels\":[\"a\"],\"skills\":[]}"), "field 'levels'"));
    cr_assert(strstr(load_error("{" TASKS "," LEVELS ",\"skills\":[]}"), "field 'skills'"));
    const char *m = load_error("{" TASKS "," LEVELS ",\"skills\":[{\"id\":\"x\",\"name\":\"X\","
                               "\"task\":\"nowhere\",\"cuts\":[-1,0,1,2]}]}");
    cr_assert(strstr(m, "skills[0] 'x': field 'task': unknown task 'nowhere'"), "%s", m);
    m = load_error("{" TASKS "," LEVELS ",\"skills\":[{\"id\":\"x\",\"name\":\"X\","
                   "\"task\":\"modeling\",\"cuts\":[-1,0,0,2]}]}");
    cr_assert(strstr(m, "field 'cuts': must increase"), "%s", m);
    m = load_error("{" TASKS "," LEVELS ",\"skills\":[{\"id\":\"x\",\"name\":\"X\","
                   "\"task\":\"modeling\",\"cuts\":[-1,0,1]}]}");
    cr_assert(strstr(m, "field 'cuts': expected an array of 4"), "%s", m);
    m = load_error("{" TASKS "," LEVELS ",\"skills\":[{\"id\":\"x\",\"name\":\"X\","
                   "\"task\":\"modeling\",\"cuts\":[-1,0,1,2]},{\"id\":\"x\",\"name\":\"Y\","
                   "\"task\":\"modeling\",\"cuts\":[-1,0,1,2]}]}");
    cr_assert(strstr(m, "skills[1]: field 'id': duplicate skill 'x'"), "%s", m);
    m = load_error("{" TASKS "," LEVELS ",\"skills\":[{\"id\":\"x\",\"task\":\"modeling\","
                   "\"cuts\":[-1,0,1,2]}]}");
    cr_assert(strstr(m, "missing field 'name'"), "%s", m);
}

Test(skills, missing_file_is_io_error)
{
    struct rf_taxonomy t;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load("tests/fixtures/no/such.json", &t, &err), RF_EIO);
    cr_assert(strstr(err.msg, "tests/fixtures/no/such.json"), "%s", err.msg);
}
