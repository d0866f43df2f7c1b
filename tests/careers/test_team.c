/* Teams (careers/team.h): coverage counts measured skills only, combines
 * members as different people, carries tasks by the roles that own them,
 * finds single points of failure and suggests the hire that covers most. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "careers/data.h"
#include "careers/team.h"

static struct rf_careers c;
static struct rf_team_spec spec;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_team_spec_load("data/team.json", &c, &spec, &err), RF_OK, "%s", err.msg);
}

static void unload(void)
{
    rf_team_spec_cleanup(&spec);
    rf_careers_cleanup(&c);
}

TestSuite(team, .init = load, .fini = unload);

static size_t role(const char *id)
{
    const struct rf_role *r = rf_roles_find(&c.roles, id);
    cr_assert(r, "%s", id);
    return (size_t)(r - c.roles.roles);
}

static size_t task(const char *id)
{
    size_t t;
    cr_assert_eq(rf_taxonomy_find_task(&c.tax, id, &t), 0, "%s", id);
    return t;
}

/* A profile measuring every core skill of role id at theta (SE 0.3). */
static void at_role(struct rf_profile *p, const char *id, double theta)
{
    struct rf_err err;
    rf_profile_init_default(p);
    const struct rf_role *r = &c.roles.roles[role(id)];
    for (size_t k = 0; k < r->nreqs; k++)
        if (r->reqs[k].core)
            cr_assert_eq(rf_profile_add_skill(p, c.tax.skills[r->reqs[k].skill].id, theta, 0.3,
                                              8, NULL, NULL, &err),
                         RF_OK, "%s", err.msg);
}

Test(team, bundled_spec_lists_the_deployment_roles_and_five_tasks)
{
    /* the practitioner's eight, each a role of roles.json */
    static const char *const eight[] = {"account_manager",  "ux_designer",
                                        "data_scientist",   "project_engineering_manager",
                                        "ml_engineer",      "mlops_engineer",
                                        "application_engineer", "infrastructure_engineer"};
    cr_assert_eq(spec.nroles, 8);
    for (size_t i = 0; i < spec.nroles; i++)
        cr_assert_str_eq(c.roles.roles[spec.roles[i]].id, eight[i]);
    cr_assert_eq(spec.ntasks, 5);
    for (size_t i = 0; i < spec.ntasks; i++)
        cr_assert_str_neq(c.tax.tasks[spec.tasks[i]].id, "foundations");
}

Test(team, only_measured_core_skills_count)
{
    size_t nr = c.roles.n, mlops = role("mlops_engineer");
    double p[64];
    int measured[64];
    struct rf_profile a;
    struct rf_err err;
    at_role(&a, "mlops_engineer", 3.0);
    cr_assert_eq(rf_team_member_roles(&a, &c.roles, p, measured, &err), RF_OK);
    cr_assert(measured[mlops]);
    cr_assert_gt(p[mlops], 0.9, "strong on every core skill: %g", p[mlops]);
    /* the data scientist's core skills were not measured: no coverage, however high the prior */
    cr_assert(!measured[role("data_scientist")]);
    cr_assert_eq(p[role("data_scientist")], 0);
    rf_profile_cleanup(&a);

    /* one core skill missing from an otherwise strong profile: 0 */
    rf_profile_init_default(&a);
    const struct rf_role *r = &c.roles.roles[mlops];
    int dropped = 0;
    for (size_t k = 0; k < r->nreqs; k++)
        if (r->reqs[k].core && (dropped++ > 0))
            cr_assert_eq(rf_profile_add_skill(&a, c.tax.skills[r->reqs[k].skill].id, 3, 0.3, 8,
                                              NULL, NULL, &err),
                         RF_OK);
    cr_assert_eq(rf_team_member_roles(&a, &c.roles, p, measured, &err), RF_OK);
    cr_assert(!measured[mlops]);
    cr_assert_eq(p[mlops], 0);
    rf_profile_cleanup(&a);
    (void)nr;
}

Test(team, members_combine_as_different_people)
{
    size_t nr = c.roles.n, ds = role("data_scientist");
    double pm[3 * 64] = {0}, rc[64], tc[16];
    pm[0 * nr + ds] = 0.5;
    pm[1 * nr + ds] = 0.6;
    pm[2 * nr + ds] = 0.2;
    rf_team_coverage(&c, &spec, pm, 3, (size_t)-1, rc, tc);
    cr_assert_float_eq(rc[ds], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    rf_team_coverage(&c, &spec, pm, 3, 1, rc, tc);
    cr_assert_float_eq(rc[ds], 1 - 0.5 * 0.8, 1e-12, "member 1 left out");
    /* the data scientist carries modeling and business analysis (40% and 35%), not data
     * engineering (0%) */
    rf_team_coverage(&c, &spec, pm, 3, (size_t)-1, rc, tc);
    cr_assert_float_eq(tc[task("modeling")], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    cr_assert_float_eq(tc[task("business_analysis")], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    cr_assert_eq(tc[task("data_engineering")], 0);
    cr_assert_eq(tc[task("foundations")], 0, "not a lifecycle task");
    /* a member's task chance is the best of the roles that carry it, never their sum */
    pm[0 * nr + role("ml_researcher")] = 0.7;
    cr_assert_float_eq(rf_team_member_task(&c, &spec, pm, task("modeling")), 0.7, 1e-12);
    /* nobody: nothing covered */
    rf_team_coverage(&c, &spec, pm, 0, (size_t)-1, rc, tc);
    cr_assert_eq(rf_team_score(&spec, rc), 0);
}

Test(team, a_task_on_one_person_is_a_single_point_of_failure)
{
    size_t nr = c.roles.n, mlops = role("mlops_engineer"), t = task("deployment");
    double pm[3 * 64] = {0};
    pm[1 * nr + mlops] = 0.9;
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, 3, t), 1);
    pm[2 * nr + role("application_engineer")] = 0.85; /* a second person carries deployment */
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, 3, t), (size_t)-1);
    /* two weak carriers, none likely: no single point either */
    memset(pm, 0, sizeof pm);
    pm[0 * nr + mlops] = 0.3;
    pm[1 * nr + mlops] = 0.3;
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, 3, t), (size_t)-1);
}

Test(team, a_hire_meets_the_roles_its_levels_include)
{
    for (size_t r = 0; r < c.roles.n; r++)
        cr_assert(rf_team_hire_meets(&c.roles.roles[r], &c.roles.roles[r]), "%s meets itself",
                  c.roles.roles[r].id);
    /* the MLOps engineer requires ai_infrastructure at proficient, the infrastructure engineer
     * at advanced */
    cr_assert(!rf_team_hire_meets(&c.roles.roles[role("mlops_engineer")],
                                  &c.roles.roles[role("infrastructure_engineer")]));
    cr_assert(!rf_team_hire_meets(&c.roles.roles[role("data_scientist")],
                                  &c.roles.roles[role("mlops_engineer")]));
}

Test(team, the_next_hire_fills_the_gap)
{
    size_t nr = c.roles.n, mlops = role("mlops_engineer");
    struct rf_team_hire h[16];
    struct rf_err err;
    /* every deployment role but the MLOps engineer is covered by someone */
    double pm[16 * 64] = {0};
    for (size_t i = 0; i < spec.nroles; i++)
        if (spec.roles[i] != mlops)
            pm[i * nr + spec.roles[i]] = 0.95;
    cr_assert_eq(rf_team_next_hires(&c, &spec, pm, spec.nroles, h, &err), RF_OK);
    cr_assert_eq(h[0].role, mlops, "suggested %s", c.roles.roles[h[0].role].id);
    cr_assert_float_eq(h[0].gain, 1.0 / (double)spec.nroles, 1e-9);
    for (size_t i = 1; i < spec.nroles; i++)
        cr_assert(h[i].gain <= h[i - 1].gain + 1e-12, "ordered by gain");
    /* an empty team: every hire covers at least its own role */
    cr_assert_eq(rf_team_next_hires(&c, &spec, pm, 0, h, &err), RF_OK);
    for (size_t i = 0; i < spec.nroles; i++)
        cr_assert_geq(h[i].gain, 1.0 / (double)spec.nroles - 1e-12);
}

static rf_status spec_text(const char *text, struct rf_err *err)
{
    struct rf_team_spec s;
    rf_status rc = rf_team_spec_load_mem("team.json", text, strlen(text), &c, &s, err);
    rf_team_spec_cleanup(&s);
    return rc;
}

Test(team, malformed_specs_are_refused_naming_the_field)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"deployment_roles\":[\"astronaut\"],\"lifecycle_tasks\":[\"modeling\"],"
         "\"task_weight\":0.25}",
         "deployment_roles[0]: unknown role 'astronaut'"},
        {"{\"deployment_roles\":[\"ml_engineer\"],\"lifecycle_tasks\":[\"cooking\"],"
         "\"task_weight\":0.25}",
         "lifecycle_tasks[0]: unknown task 'cooking'"},
        {"{\"deployment_roles\":[\"ml_engineer\",\"ml_engineer\"],\"lifecycle_tasks\":"
         "[\"modeling\"],\"task_weight\":0.25}",
         "deployment_roles[1]: 'ml_engineer' is listed twice"},
        {"{\"deployment_roles\":[\"ml_engineer\"],\"lifecycle_tasks\":[\"modeling\"],"
         "\"task_weight\":0}",
         "field 'task_weight': expected a share in (0, 1]"},
        {"{\"deployment_roles\":[\"ml_engineer\"],\"lifecycle_tasks\":[\"deployment\"],"
         "\"task_weight\":0.9}",
         "no role gives task 'deployment' a share of 0.9"},
        {"{\"deployment_roles\":[],\"lifecycle_tasks\":[\"modeling\"],\"task_weight\":0.25}",
         "field 'deployment_roles': expected a non-empty array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rf_err err;
        rf_err_clear(&err);
        cr_assert_eq(spec_text(bad[i].text, &err), RF_EINVAL, "case %zu", i);
        cr_assert(strstr(err.msg, bad[i].msg), "case %zu: '%s'", i, err.msg);
        cr_assert(!strncmp(err.msg, "team.json: ", 11), "%s", err.msg);
    }
}
