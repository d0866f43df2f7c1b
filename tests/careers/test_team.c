/* Teams (careers/team.h): coverage counts unmeasured skills by the prior, combines
 * members as different people, carries tasks by the roles that own them,
 * finds single points of failure and suggests the hire that covers most. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "base/rng.h"
#include "careers/data.h"
#include "careers/team.h"
#include "careers/team_report.h"
#include "irt/hier.h"

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

/* The N(0, 1) prior's P(every core skill of role r at or above its cut),
 * skills independent. */
static double prior_core(size_t r)
{
    const struct rf_role *ro = &c.roles.roles[r];
    struct rf_profile none;
    rf_profile_init_default(&none);
    double p = 1;
    for (size_t k = 0; k < ro->nreqs; k++)
        if (ro->reqs[k].core)
            p *= rf_profile_tail(&none, NULL, ro->reqs[k].cut);
    rf_profile_cleanup(&none);
    return p;
}

Test(team, unmeasured_core_skills_count_by_the_prior)
{
    size_t mlops = role("mlops_engineer"), ds = role("data_scientist");
    double p[64], un[64];
    int measured[64];
    struct rf_profile a;
    struct rf_err err;
    at_role(&a, "mlops_engineer", 3.0);
    cr_assert_eq(rf_team_member_roles(&a, &c.roles, p, measured, un, &err), RF_OK);
    cr_assert(measured[mlops]);
    cr_assert_gt(p[mlops], 0.9, "strong on every core skill: %g", p[mlops]);
    cr_assert_eq(un[mlops], 1, "nothing unknown");
    /* the data scientist's core skills were not measured: their prior, not 0 and not met
     * (no model in this profile: independent N(0, 1) skills) */
    cr_assert(!measured[ds]);
    cr_assert_float_eq(p[ds], prior_core(ds), 1e-9, "%g vs %g", p[ds], prior_core(ds));
    cr_assert_gt(p[ds], 0);
    cr_assert_float_eq(un[ds], p[ds], 1e-12, "all of it rests on the unmeasured skills");
    rf_profile_cleanup(&a);

    /* one core skill missing from an otherwise strong profile: that skill's prior tail */
    rf_profile_init_default(&a);
    const struct rf_role *r = &c.roles.roles[mlops];
    double missing = 0;
    int dropped = 0;
    for (size_t k = 0; k < r->nreqs; k++)
        if (r->reqs[k].core && (dropped++ > 0))
            cr_assert_eq(rf_profile_add_skill(&a, c.tax.skills[r->reqs[k].skill].id, 3, 0.3, 8,
                                              NULL, NULL, &err),
                         RF_OK);
        else if (r->reqs[k].core)
            missing = rf_profile_tail(&a, NULL, r->reqs[k].cut);
    cr_assert_eq(rf_team_member_roles(&a, &c.roles, p, measured, un, &err), RF_OK);
    cr_assert(!measured[mlops]);
    cr_assert_float_eq(un[mlops], missing, 1e-12);
    cr_assert(p[mlops] <= missing + 1e-12 && p[mlops] > 0.9 * missing, "%g vs %g", p[mlops],
              missing);
    rf_profile_cleanup(&a);
}

/* A profile that measured software_engineering at theta (SE 0.3) with the
 * model prior of one skill loading lambda on g, the loading assumed or
 * calibrated. */
static void with_model(struct rf_profile *p, double theta, double lambda, int assumed)
{
    struct rf_err err;
    rf_profile_init_default(p);
    double ll[RF_QUAD_MAX_N];
    for (size_t q = 0; q < p->n; q++) {
        double z = (rf_profile_node(p, q) - theta) / 0.3;
        ll[q] = -0.5 * z * z;
    }
    size_t k;
    cr_assert_eq(rf_profile_add_skill(p, "software_engineering", theta, 0.3, 8, NULL, &k, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_profile_set_loglik(p, k, ll, &err), RF_OK, "%s", err.msg);
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 1, lambda);
    const char *ids[] = {"software_engineering"};
    cr_assert_eq(rf_profile_set_model(p, ids, 1, &sp, assumed, &err), RF_OK, "%s", err.msg);
}

/* P(account manager) of profiles measured at theta = 2.5, -2.5 and 2.5 with
 * no g, their loadings assumed or calibrated, into out[3]. */
static void am_by_g(int assumed, double *out)
{
    size_t am = role("account_manager");
    double p[64], un[64];
    int measured[64];
    struct rf_err err;
    struct rf_profile hi, lo, flat;
    with_model(&hi, 2.5, 0.7, assumed);
    with_model(&lo, -2.5, 0.7, assumed);
    with_model(&flat, 2.5, 0, assumed); /* an independent model stays independent */
    cr_assert_eq(rf_team_member_roles(&flat, &c.roles, p, measured, un, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(!measured[am]);
    cr_assert_float_eq(p[am], prior_core(am), 2e-3, "%g vs %g", p[am], prior_core(am));
    out[2] = p[am];
    cr_assert_eq(rf_team_member_roles(&hi, &c.roles, p, measured, un, &err), RF_OK, "%s",
                 err.msg);
    out[0] = p[am];
    cr_assert_eq(rf_team_member_roles(&lo, &c.roles, p, measured, un, &err), RF_OK, "%s",
                 err.msg);
    out[1] = p[am];
    rf_profile_cleanup(&hi);
    rf_profile_cleanup(&lo);
    rf_profile_cleanup(&flat);
}

Test(team, the_higher_order_model_informs_unmeasured_skills_through_g)
{
    /* the account manager requires no software engineering: all its core skills
     * unmeasured. Assumed loadings (the bundled data) carry nothing to them: the
     * prior, whatever was measured */
    double a[3];
    am_by_g(1, a);
    cr_assert_float_eq(a[0], a[2], 1e-9, "assumed loadings: %g vs %g", a[0], a[2]);
    cr_assert_float_eq(a[1], a[2], 1e-9, "assumed loadings: %g vs %g", a[1], a[2]);
    /* calibrated loadings (the profile's and the account manager's core skills') do */
    size_t am = role("account_manager");
    const struct rf_role *r = &c.roles.roles[am];
    int was[64] = {0};
    for (size_t k = 0; k < r->nreqs; k++) {
        was[k] = c.tax.skills[r->reqs[k].skill].loading_calibrated;
        c.tax.skills[r->reqs[k].skill].loading_calibrated = 1;
    }
    am_by_g(0, a);
    for (size_t k = 0; k < r->nreqs; k++)
        c.tax.skills[r->reqs[k].skill].loading_calibrated = was[k];
    cr_assert_gt(a[0], a[2] + 0.01, "strong measured skills raise g: %g vs %g", a[0], a[2]);
    cr_assert_lt(a[1], a[2] - 0.01, "weak ones lower it: %g vs %g", a[1], a[2]);
    /* calibrated in the taxonomy but assumed in the profile's model: nothing */
    for (size_t k = 0; k < r->nreqs; k++)
        c.tax.skills[r->reqs[k].skill].loading_calibrated = 1;
    am_by_g(1, a);
    for (size_t k = 0; k < r->nreqs; k++)
        c.tax.skills[r->reqs[k].skill].loading_calibrated = was[k];
    cr_assert_float_eq(a[0], a[2], 1e-9, "the model's loadings assumed: %g vs %g", a[0], a[2]);
}

Test(team, a_task_is_carried_by_any_of_its_roles)
{
    size_t nt = c.tax.ntasks, t = task("business_analysis");
    double p[64], pt[16];
    struct rf_err err;
    struct rf_profile a;
    at_role(&a, "data_scientist", 0.8);
    cr_assert_eq(rf_team_member_probs(&c, &spec, &a, p, NULL, NULL, pt, &err), RF_OK, "%s",
                 err.msg);
    /* the union of the carrying roles: at least the best of them, at most their sum */
    double best = rf_team_member_task(&c, &spec, p, t), sum = 0;
    for (size_t r = 0; r < c.roles.n; r++)
        if (c.roles.roles[r].task_weights[t] >= spec.task_weight)
            sum += p[r];
    cr_assert(pt[t] >= best - 1e-9 && pt[t] <= sum + 1e-9, "%g in [%g, %g]", pt[t], best, sum);
    cr_assert_gt(pt[t], best + 1e-4, "other carriers add to the best one: %g vs %g", pt[t], best);
    cr_assert_eq(pt[task("foundations")], 0, "not a lifecycle task");
    (void)nt;
    rf_profile_cleanup(&a);
}

Test(team, members_combine_as_different_people)
{
    size_t nr = c.roles.n, ds = role("data_scientist");
    double pm[3 * 64] = {0}, rc[64], tc[16];
    pm[0 * nr + ds] = 0.5;
    pm[1 * nr + ds] = 0.6;
    pm[2 * nr + ds] = 0.2;
    rf_team_coverage(&c, &spec, pm, NULL, 3, (size_t)-1, rc, tc);
    cr_assert_float_eq(rc[ds], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    rf_team_coverage(&c, &spec, pm, NULL, 3, 1, rc, tc);
    cr_assert_float_eq(rc[ds], 1 - 0.5 * 0.8, 1e-12, "member 1 left out");
    /* the data scientist carries modeling and business analysis (40% and 35%), not data
     * engineering (0%) */
    rf_team_coverage(&c, &spec, pm, NULL, 3, (size_t)-1, rc, tc);
    cr_assert_float_eq(tc[task("modeling")], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    cr_assert_float_eq(tc[task("business_analysis")], 1 - 0.5 * 0.4 * 0.8, 1e-12);
    cr_assert_eq(tc[task("data_engineering")], 0);
    cr_assert_eq(tc[task("foundations")], 0, "not a lifecycle task");
    /* a member's task chance is the best of the roles that carry it, never their sum */
    pm[0 * nr + role("ml_researcher")] = 0.7;
    cr_assert_float_eq(rf_team_member_task(&c, &spec, pm, task("modeling")), 0.7, 1e-12);
    /* nobody: nothing covered */
    rf_team_coverage(&c, &spec, pm, NULL, 0, (size_t)-1, rc, tc);
    cr_assert_eq(rf_team_score(&spec, rc), 0);
}

Test(team, a_task_on_one_person_is_a_single_point_of_failure)
{
    size_t nr = c.roles.n, mlops = role("mlops_engineer"), t = task("deployment");
    double pm[3 * 64] = {0};
    pm[1 * nr + mlops] = 0.9;
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, NULL, 3, t), 1);
    pm[2 * nr + role("application_engineer")] = 0.85; /* a second person carries deployment */
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, NULL, 3, t), (size_t)-1);
    /* two weak carriers, none likely: no single point either */
    memset(pm, 0, sizeof pm);
    pm[0 * nr + mlops] = 0.3;
    pm[1 * nr + mlops] = 0.3;
    cr_assert_eq(rf_team_single_point(&c, &spec, pm, NULL, 3, t), (size_t)-1);
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
    cr_assert_eq(rf_team_next_hires(&c, &spec, pm, NULL, spec.nroles, h, &err), RF_OK);
    cr_assert_eq(h[0].role, mlops, "suggested %s", c.roles.roles[h[0].role].id);
    cr_assert_float_eq(h[0].gain, 1.0 / (double)spec.nroles, 1e-9);
    for (size_t i = 1; i < spec.nroles; i++)
        cr_assert(h[i].gain <= h[i - 1].gain + 1e-12, "ordered by gain");
    /* an empty team: every hire covers at least its own role */
    cr_assert_eq(rf_team_next_hires(&c, &spec, pm, NULL, 0, h, &err), RF_OK);
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

Test(team, tasks_break_ties_between_equal_role_gains_only)
{
    struct rf_team_hire a = {0, 1.0 / (double)spec.nroles, 0, 0, 0},
                        b = {1, 1.0 / (double)spec.nroles, 2, 0, 0};
    struct rf_team_hire big = {2, 2.0 / (double)spec.nroles, 0, 0, 0};
    cr_assert_gt(rf_team_hire_value(&spec, &b), rf_team_hire_value(&spec, &a), "tasks break ties");
    /* every lifecycle task together is worth less than one more covered role */
    struct rf_team_hire all = {3, 1.0 / (double)spec.nroles, (double)spec.ntasks, 0, 0};
    cr_assert_gt(rf_team_hire_value(&spec, &big), rf_team_hire_value(&spec, &all));
}

/* The interval of a coverage once the unmeasured skills are known. */
static void interval_of(const struct rf_team_view *v, size_t r, double *lo, double *hi)
{
    *lo = v->role_lo[r];
    *hi = v->role_hi[r];
}

Test(team, coverage_carries_the_interval_of_what_is_unknown)
{
    size_t mlops = role("mlops_engineer"), ds = role("data_scientist");
    struct rf_profile prof[14];
    struct rf_err err;
    for (size_t m = 0; m < 14; m++)
        at_role(&prof[m], "mlops_engineer", m ? 0.9 : 3.0);
    struct rf_team_view v;
    cr_assert_eq(rf_team_view_build(&c, &spec, prof, 1, &v, &err), RF_OK, "%s", err.msg);
    double lo, hi;
    /* measured: nothing to reveal, the interval is the estimate */
    interval_of(&v, mlops, &lo, &hi);
    cr_assert(lo == v.role_cov[mlops] && hi == v.role_cov[mlops], "[%g, %g] vs %g", lo, hi,
              v.role_cov[mlops]);
    /* all unmeasured, one member: coverage 1 with chance u (here u = p), else 0; the 5% and
     * 95% quantiles of that two-point outcome, widened to contain the estimate */
    double p = v.role_cov[ds];
    interval_of(&v, ds, &lo, &hi);
    cr_assert_eq(lo, 0);
    cr_assert_float_eq(hi, p >= 0.05 ? 1 : p, 1e-12, "p %g: [%g, %g]", p, lo, hi);
    rf_team_view_cleanup(&v);
    /* 14 members (past exact enumeration: seeded draws): the estimate inside, the same
     * interval on every build */
    cr_assert_eq(rf_team_view_build(&c, &spec, prof, 14, &v, &err), RF_OK, "%s", err.msg);
    for (size_t i = 0; i < spec.nroles; i++) {
        size_t r = spec.roles[i];
        cr_assert(v.role_lo[r] <= v.role_cov[r] + 1e-12 && v.role_cov[r] <= v.role_hi[r] + 1e-12 &&
                      v.role_lo[r] >= 0 && v.role_hi[r] <= 1,
                  "%s: %g in [%g, %g]", c.roles.roles[r].id, v.role_cov[r], v.role_lo[r],
                  v.role_hi[r]);
    }
    for (size_t i = 0; i < spec.ntasks; i++) {
        size_t t = spec.tasks[i];
        cr_assert(v.task_lo[t] <= v.task_cov[t] + 1e-12 && v.task_cov[t] <= v.task_hi[t] + 1e-12,
                  "%s", c.tax.tasks[t].id);
    }
    double lo1 = v.role_lo[ds], hi1 = v.role_hi[ds];
    cr_assert_lt(lo1, hi1, "unmeasured by 14 members: a real spread");
    rf_team_view_cleanup(&v);
    cr_assert_eq(rf_team_view_build(&c, &spec, prof, 14, &v, &err), RF_OK);
    cr_assert(v.role_lo[ds] == lo1 && v.role_hi[ds] == hi1, "seeded");
    /* the JSON carries it */
    const char *names[14];
    for (size_t m = 0; m < 14; m++)
        names[m] = "m";
    json_t *j = rf_team_view_json(&c, &spec, &v, names);
    json_t *row = json_array_get(json_object_get(j, "roles"), 0),
           *iv = json_object_get(row, "interval");
    cr_assert(json_is_array(iv) && json_array_size(iv) == 2);
    cr_assert(json_is_array(json_object_get(json_array_get(json_object_get(j, "tasks"), 0),
                                            "interval")));
    json_decref(j);
    rf_team_view_cleanup(&v);
    for (size_t m = 0; m < 14; m++)
        rf_profile_cleanup(&prof[m]);
}

/* The share of draws with a bit of mask set, against p within 4.5 SEs. */
static void draws_match(const uint64_t *draws, uint64_t mask, double p, const char *what)
{
    size_t n = 0;
    for (size_t d = 0; d < RF_TEAM_DRAWS; d++)
        n += (draws[d] & mask) != 0;
    double f = (double)n / RF_TEAM_DRAWS, se = sqrt(p * (1 - p) / RF_TEAM_DRAWS);
    cr_assert(fabs(f - p) <= 4.5 * se + 2e-3, "%s: drawn %g, exact %g", what, f, p);
}

Test(team, a_members_draws_meet_roles_as_often_as_their_probabilities_say)
{
    /* a profile without a model (skills outside any model) and one with the
     * higher-order model (per-cell tails); every role alone, and every task's
     * carriers together (the exact union: one person's roles drawn jointly) */
    struct rf_profile prof[2];
    at_role(&prof[0], "application_engineer", 1.2);
    with_model(&prof[1], 1.0, 0.7, 1);
    double p[64], pt[64];
    uint64_t draws[RF_TEAM_DRAWS], again[RF_TEAM_DRAWS];
    struct rf_err err;
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(rf_team_member_draws(&c, &spec, &prof[i], -1, NULL, p, NULL, NULL, pt, 7, draws, &err),
                     RF_OK, "%s", err.msg);
        for (size_t r = 0; r < c.roles.n; r++)
            draws_match(draws, (uint64_t)1 << r, p[r], c.roles.roles[r].id);
        for (size_t k = 0; k < spec.ntasks; k++) {
            uint64_t car = 0;
            for (size_t r = 0; r < c.roles.n; r++)
                if (c.roles.roles[r].task_weights[spec.tasks[k]] >= spec.task_weight)
                    car |= (uint64_t)1 << r;
            draws_match(draws, car, pt[spec.tasks[k]], c.tax.tasks[spec.tasks[k]].id);
        }
        cr_assert_eq(rf_team_member_draws(&c, &spec, &prof[i], -1, NULL, p, NULL, NULL, pt, 7, again, &err),
                     RF_OK);
        cr_assert_eq(memcmp(draws, again, sizeof draws), 0, "the same seed, the same draws");
        rf_profile_cleanup(&prof[i]);
    }
}

Test(team, the_hires_chance_counts_the_draws_in_which_it_is_among_the_best)
{
    /* three members drawn at random masks: each hire's chance equals the
     * share of draws in which the next hire computed on those draws' 0/1
     * rows (the truth's rule) has it among the best */
    size_t nm = 3, nr = c.roles.n;
    uint64_t *draws = calloc(nm * RF_TEAM_DRAWS, sizeof *draws);
    double *rows = calloc(nm * nr, sizeof *rows);
    struct rf_team_hire h[64], t[64];
    cr_assert(draws && rows);
    struct rf_rng g;
    rf_rng_seed(&g, 3);
    for (size_t i = 0; i < nm * RF_TEAM_DRAWS; i++) /* each role met with probability 1/4 */
        draws[i] = rf_rng_next(&g) & rf_rng_next(&g) & (((uint64_t)1 << nr) - 1);
    size_t count[64] = {0};
    uint64_t *best = calloc(RF_TEAM_DRAWS, sizeof *best);
    struct rf_err err;
    for (size_t d = 0; d < RF_TEAM_DRAWS; d++) {
        for (size_t m = 0; m < nm; m++)
            for (size_t r = 0; r < nr; r++)
                rows[m * nr + r] = (double)(draws[m * RF_TEAM_DRAWS + d] >> r & 1);
        cr_assert_eq(rf_team_next_hires(&c, &spec, rows, NULL, nm, t, &err), RF_OK);
        for (size_t i = 0; i < spec.nroles; i++)
            if (fabs(rf_team_hire_value(&spec, &t[i]) - rf_team_hire_value(&spec, &t[0])) < 1e-9) {
                count[t[i].role]++;
                best[d] |= (uint64_t)1 << t[i].role;
            }
    }
    for (size_t r = 0; r < nr; r++)
        rows[r] = 0.25;
    cr_assert_eq(rf_team_next_hires(&c, &spec, rows, NULL, 1, h, &err), RF_OK);
    rf_team_hire_chances(&c, &spec, draws, nm, h);
    size_t ties = 0, clear = 0;
    for (size_t i = 0; i < spec.nroles; i++) {
        cr_assert_float_eq(h[i].p_best, (double)count[h[i].role] / RF_TEAM_DRAWS, 1e-12, "%s",
                           c.roles.roles[h[i].role].id);
        if (i)
            cr_assert_geq(h[i - 1].p_best, h[i].p_best, "most likely the best first");
        /* a near tie: the draws where only one of the two is among the best
         * differ by at most two standard errors of the paired difference */
        size_t a = 0, b = 0;
        for (size_t d = 0; d < RF_TEAM_DRAWS; d++) {
            int top = (int)(best[d] >> h[0].role & 1), me = (int)(best[d] >> h[i].role & 1);
            a += top && !me;
            b += me && !top;
        }
        int want = i > 0 && (double)a - (double)b <= 2 * sqrt((double)(a + b));
        cr_assert_eq(h[i].near_tie, want, "%s: %zu vs %zu draws", c.roles.roles[h[i].role].id, a,
                     b);
        ties += h[i].near_tie;
        clear += i > 0 && !h[i].near_tie;
    }
    cr_assert(clear > 0, "clear seconds occur here: %zu near ties, %zu clear", ties, clear);
    /* a team that meets every role in every draw: every hire adds nothing,
     * all tie in every draw, and each is a (true) tie with the suggestion */
    for (size_t i = 0; i < nm * RF_TEAM_DRAWS; i++)
        draws[i] = ((uint64_t)1 << nr) - 1;
    rf_team_hire_chances(&c, &spec, draws, nm, h);
    for (size_t i = 1; i < spec.nroles; i++)
        cr_assert(h[i].near_tie && h[i].p_best == 1, "%s", c.roles.roles[h[i].role].id);
    cr_assert(!h[0].near_tie, "the suggestion is not its own tie");
    free(best);
    free(draws);
    free(rows);
}

/* A profile that measured software_engineering at theta (SE 0.3) with a role
 * test's prior: the population at weight 0.7 and the application engineer's
 * people (software engineering N(1.5, 0.5^2)) at 0.3, no g. */
static void role_tested(struct rf_profile *p, double theta)
{
    struct rf_err err;
    with_model(p, theta, 0, 1);
    struct rf_hier_spec sp = p->model->spec;
    sp.comp[0].weight = 0.7;
    double mu[] = {1.5}, tau[] = {0.5};
    cr_assert_eq(rf_hier_spec_add(&sp, 0.3, mu, tau, &err), RF_OK, "%s", err.msg);
    const char *ids[] = {"software_engineering"};
    cr_assert_eq(rf_profile_set_model(p, ids, 1, &sp, 1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_profile_set_model_role(p, "application_engineer", &err), RF_OK, "%s",
                 err.msg);
}

/* The likelihood ratio of the role's people over the rest in profile p. */
static double role_lr(const struct rf_profile *p)
{
    struct rf_hier *h;
    struct rf_hier_state *st;
    struct rf_err err;
    cr_assert_eq(rf_profile_hier(p, &h, &st, &err), RF_OK, "%s", err.msg);
    double q = rf_hier_comp_weight(st, 1);
    rf_hier_state_free(st);
    rf_hier_free(h);
    return q * 0.7 / ((1 - q) * 0.3);
}

Test(team, who_the_members_are_is_read_from_the_whole_team)
{
    struct rf_profile p[4];
    double w[4];
    struct rf_err err;
    role_tested(&p[0], 1.6); /* both look like the role's people */
    role_tested(&p[1], 1.4);
    role_tested(&p[2], -0.8); /* looks like the population */
    with_model(&p[3], 1.5, 0, 1); /* no role component: not part of the question */

    /* alone, a member is read as their test reads them */
    cr_assert_eq(rf_team_role_weights(p, 1, w, NULL, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(w[0], -1);
    cr_assert_eq(rf_team_role_weights(&p[2], 2, w, NULL, &err), RF_OK, "%s", err.msg);
    cr_assert(w[0] == -1 && w[1] == -1, "one role-test member and one without: %g %g", w[0],
              w[1]);

    /* two members: exact against the Beta prior's moments. With
     * pi ~ Beta(al, be), P(z1 = 1 | both) = (L1 L2 E[pi^2] + L1 E[pi (1 - pi)]) /
     * (L1 L2 E[pi^2] + (L1 + L2) E[pi (1 - pi)] + E[(1 - pi)^2]), and the weight
     * w1 has odds(w1) = odds(P(z1 = 1)) / L1 */
    double al = RF_TEAM_KIND_PRIOR_N * 0.3, be = RF_TEAM_KIND_PRIOR_N * 0.7, n = al + be;
    double e11 = al * (al + 1) / (n * (n + 1)), e10 = al * be / (n * (n + 1)),
           e00 = be * (be + 1) / (n * (n + 1));
    for (size_t k = 0; k < 2; k++) {
        struct rf_profile two[2] = {p[k], p[2]};
        double l1 = role_lr(&two[0]), l2 = role_lr(&two[1]);
        double z = l1 * l2 * e11 + (l1 + l2) * e10 + e00;
        double post1 = (l1 * l2 * e11 + l1 * e10) / z, post2 = (l1 * l2 * e11 + l2 * e10) / z;
        cr_assert_eq(rf_team_role_weights(two, 2, w, NULL, &err), RF_OK, "%s", err.msg);
        double o1 = post1 / (1 - post1) / l1, o2 = post2 / (1 - post2) / l2;
        /* the grid of 1,000 cells of pi: 1e-3 is ample */
        cr_assert_float_eq(w[0], o1 / (1 + o1), 1e-3, "member %zu: %g vs %g", k, w[0],
                           o1 / (1 + o1));
        cr_assert_float_eq(w[1], o2 / (1 + o2), 1e-3, "population-like: %g vs %g", w[1],
                           o2 / (1 + o2));
    }

    /* the share's draws: quantiles of its posterior, whose mean they hold */
    {
        double pi[RF_TEAM_DRAWS], mean = 0;
        struct rf_profile two[2] = {p[0], p[2]};
        double l1 = role_lr(&two[0]), l2 = role_lr(&two[1]);
        cr_assert_eq(rf_team_role_weights(two, 2, w, pi, &err), RF_OK, "%s", err.msg);
        for (size_t d = 0; d < RF_TEAM_DRAWS; d++) {
            cr_assert(pi[d] > 0 && pi[d] < 1 && (d == 0 || pi[d] >= pi[d - 1]), "pi[%zu] %g", d,
                      pi[d]);
            mean += pi[d] / RF_TEAM_DRAWS;
        }
        /* E[pi^a (1 - pi)^b] under Beta(al, be), as B(al + a, be + b) / B(al, be) */
#define BM(a, b) exp(lgamma(al + (a)) + lgamma(be + (b)) - lgamma(n + (a) + (b)) - lgamma(al) - \
                      lgamma(be) + lgamma(n))
        double want = (l1 * l2 * BM(3, 0) + (l1 + l2) * BM(2, 1) + BM(1, 2)) /
                      (l1 * l2 * BM(2, 0) + (l1 + l2) * BM(1, 1) + BM(0, 2));
#undef BM
        /* 1,024 quantiles of a 1,000-cell grid: 2e-3 */
        cr_assert_float_eq(mean, want, 2e-3, "E[pi | both]: %g vs %g", mean, want);
        /* a member's draws with the team's pi meet each role as often as the
         * member's probabilities (read at their weight) say */
        double pw[64], pt[64];
        uint64_t draws[RF_TEAM_DRAWS];
        cr_assert_eq(rf_team_member_draws(&c, &spec, &two[0], w[0], pi, pw, NULL, NULL, pt, 5,
                                          draws, &err),
                     RF_OK, "%s", err.msg);
        for (size_t r = 0; r < c.roles.n; r++)
            draws_match(draws, (uint64_t)1 << r, pw[r], c.roles.roles[r].id);
        cr_assert_eq(rf_team_role_weights(p, 1, w, pi, &err), RF_OK);
        cr_assert(pi[0] == -1 && pi[RF_TEAM_DRAWS - 1] == -1, "a member alone: no share drawn");
    }

    /* two of the role's people: each makes the other more likely one of them */
    cr_assert_eq(rf_team_role_weights(p, 2, w, NULL, &err), RF_OK, "%s", err.msg);
    cr_assert(w[0] > 0.35 && w[1] > 0.35, "read up: %g %g", w[0], w[1]);
    double up = w[0];
    /* one who looks like the population pulls the others down, and the one
     * without a role component stays as it is */
    cr_assert_eq(rf_team_role_weights(p, 4, w, NULL, &err), RF_OK, "%s", err.msg);
    cr_assert(w[0] < up, "%g vs %g", w[0], up);
    cr_assert_eq(w[3], -1);

    /* the view reads each member with their weight: its rows are the draws' at
     * that weight, not the test's own reading */
    size_t ae = role("application_engineer"), nr = c.roles.n;
    cr_assert_eq(rf_team_role_weights(p, 2, w, NULL, &err), RF_OK, "%s", err.msg);
    struct rf_team_view v;
    cr_assert_eq(rf_team_view_build(&c, &spec, p, 2, &v, &err), RF_OK, "%s", err.msg);
    double pw[64], p0[64], pt[64];
    uint64_t *draws = calloc(RF_TEAM_DRAWS, sizeof *draws);
    cr_assert_eq(rf_team_member_draws(&c, &spec, &p[0], w[0], NULL, pw, NULL, NULL, pt, 7, draws, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_team_member_roles(&p[0], &c.roles, p0, NULL, NULL, &err), RF_OK);
    cr_assert_float_eq(v.pm[ae], pw[ae], 1e-12, "%g vs %g", v.pm[ae], pw[ae]);
    /* (the role's other core skills were not measured: the rise is small) */
    cr_assert_gt(pw[ae], p0[ae] * 1.002, "read up as the role's person: %g vs %g", pw[ae],
                 p0[ae]);
    for (size_t r = 0; r < nr; r++)
        cr_assert_float_eq(v.pm[r], pw[r], 1e-12, "%s", c.roles.roles[r].id);
    free(draws);
    rf_team_view_cleanup(&v);
    for (size_t i = 0; i < 4; i++)
        rf_profile_cleanup(&p[i]);
}

/* The team report says when the next hire has near ties (the hires the
 * members' draws cannot tell from it), in English and in Japanese, and says
 * nothing of the kind when it has none. */
Test(team, the_report_names_the_near_ties_of_the_next_hire)
{
    json_error_t je;
    json_t *doc = json_loads(
        "{\"team\": {\"name\": \"Search\"}, \"members\": [], \"counted\": 0,"
        " \"coverage\": {\"roles\": [], \"tasks\": [], \"score\": 0, \"hires\": ["
        "  {\"role\": \"ml_engineer\", \"name\": \"ML engineer\", \"gain\": 0.2, \"p_best\": 0.51,"
        "   \"near_tie\": false, \"closes\": {\"roles\": [], \"tasks\": []}},"
        "  {\"role\": \"mlops_engineer\", \"name\": \"MLOps engineer\", \"gain\": 0.1,"
        "   \"p_best\": 0.47, \"near_tie\": true, \"closes\": {\"roles\": [], \"tasks\": []}},"
        "  {\"role\": \"ux_designer\", \"name\": \"UX designer\", \"gain\": 0.1, \"p_best\": 0.1,"
        "   \"near_tie\": false, \"closes\": {\"roles\": [], \"tasks\": []}}]},"
        " \"readiness\": null}",
        0, &je);
    cr_assert_not_null(doc, "%s", je.text);
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 22);
    cr_assert_eq(rf_team_report_html_lang(doc, RF_EN, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "About as likely the best") &&
                  strstr(rf_buf_str(&b), "MLOps engineer (47%)"),
              "%s", rf_buf_str(&b));
    cr_assert_null(strstr(rf_buf_str(&b), "UX designer ("), "not a near tie");
    rf_buf_reset(&b);
    cr_assert_eq(rf_team_report_html_lang(doc, RF_JA, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "MLOps engineer（47%）") &&
                  strstr(rf_buf_str(&b), "区別できません"),
              "%s", rf_buf_str(&b));
    /* no near tie: no such line */
    json_object_set_new(json_array_get(json_object_get(json_object_get(doc, "coverage"), "hires"),
                                       1),
                        "near_tie", json_false());
    rf_buf_reset(&b);
    cr_assert_eq(rf_team_report_html_lang(doc, RF_EN, &b), RF_OK);
    cr_assert_null(strstr(rf_buf_str(&b), "About as likely"));
    cr_assert_null(strstr(rf_buf_str(&b), "Not needed there"));
    /* a task the team covers: not needed there; a readiness step that does not
     * raise the final: the sections holding it, never "final 0 after it" */
    json_object_set_new(json_object_get(json_array_get(json_object_get(json_object_get(doc, "coverage"), "hires"), 0), "closes"),
                        "not_needed", json_pack("[{ss}]", "name", "Deployment"));
    json_object_set_new(doc, "readiness",
                        json_pack("{sfsss{ss}s[]s[{sssfsbs[{ss}{ss}]}{sssfsbs[]}]s[]}", "final", 0.0,
                                  "date", "2026-12-07", "band", "name", "research project",
                                  "sections", "plan", "title", "Schema", "final_after", 0.0,
                                  "raises_final", 0, "held_by", "name", "Model", "name",
                                  "Monitoring", "title", "Canary", "final_after", 1.0,
                                  "raises_final", 1, "held_by", "trend"));
    rf_buf_reset(&b);
    cr_assert_eq(rf_team_report_html_lang(doc, RF_EN, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "Not needed there, already covered: Deployment"), "%s",
              strstr(rf_buf_str(&b), "It closes") ? strstr(rf_buf_str(&b), "It closes") : "-");
    cr_assert(strstr(rf_buf_str(&b), "Schema (final stays 0.0: Model, Monitoring must rise first)"),
              "%s", strstr(rf_buf_str(&b), "<ol>") ? strstr(rf_buf_str(&b), "<ol>") : "-");
    cr_assert(strstr(rf_buf_str(&b), "Canary (final 1.0 after it)"), "%s", rf_buf_str(&b));
    cr_assert_null(strstr(rf_buf_str(&b), "final 0.0 after it"));
    rf_buf_reset(&b);
    cr_assert_eq(rf_team_report_html_lang(doc, RF_JA, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "すでにカバーされているため、そこでは不要：Deployment") &&
                  strstr(rf_buf_str(&b), "Model、Monitoring が先に上がるまで最終スコアは 0.0 のまま"),
              "%s", rf_buf_str(&b));
    rf_buf_cleanup(&b);
    json_decref(doc);
}

/* The team report writes every chance as the pages do (base/chance.h): a
 * near-certain coverage, interval end or best-hire chance is ">99%", a
 * near-impossible one "<1%", never "100%" or "0%", in English and Japanese. */
Test(team, the_report_never_rounds_a_chance_to_a_certainty)
{
    json_error_t je;
    json_t *doc = json_loads(
        "{\"team\": {\"name\": \"Search\"}, \"members\": [], \"counted\": 2,"
        " \"coverage\": {\"roles\": ["
        "  {\"role\": \"mlops_engineer\", \"name\": \"MLOps engineer\", \"prob\": 0.997,"
        "   \"interval\": [0.962, 0.9991], \"call\": \"covered\", \"unmeasured\": 0},"
        "  {\"role\": \"ux_designer\", \"name\": \"UX designer\", \"prob\": 0.003,"
        "   \"interval\": [0.0001, 0.04], \"call\": \"not covered\", \"unmeasured\": 0}],"
        "  \"tasks\": [], \"score\": 0.5, \"hires\": ["
        "  {\"role\": \"ux_designer\", \"name\": \"UX designer\", \"gain\": 0.2,"
        "   \"p_best\": 0.998, \"near_tie\": false, \"closes\": {\"roles\": [], \"tasks\": []}},"
        "  {\"role\": \"ml_engineer\", \"name\": \"ML engineer\", \"gain\": 0.1,"
        "   \"p_best\": 0.002, \"near_tie\": true, \"closes\": {\"roles\": [], \"tasks\": []}}]},"
        " \"readiness\": null}",
        0, &je);
    cr_assert_not_null(doc, "%s", je.text);
    struct rf_buf b;
    rf_buf_init(&b, (size_t)1 << 22);
    for (int ja = 0; ja < 2; ja++) {
        rf_buf_reset(&b);
        cr_assert_eq(rf_team_report_html_lang(doc, ja ? RF_JA : RF_EN, &b), RF_OK);
        const char *h = rf_buf_str(&b);
        const char *rows = strstr(h, "<tbody><tr>") ? strstr(h, "<tbody><tr>") : h;
        cr_assert(strstr(h, "<td>&gt;99% (96%\xE2\x80\x93&gt;99%)</td>"), "%s: covered row: %.300s",
                  ja ? "ja" : "en", rows);
        cr_assert(strstr(h, "<td>&lt;1% (&lt;1%\xE2\x80\x93"
                            "4%)</td>"),
                  "%s: uncovered row: %.300s", ja ? "ja" : "en", rows);
        cr_assert(strstr(h, "font-size=\"14\">&gt;99%</text>") &&
                      strstr(h, "font-size=\"14\">&lt;1%</text>"),
                  "%s: bar labels: %s", ja ? "ja" : "en", h);
        cr_assert(strstr(h, ja ? "確率：&gt;99%。" : "tests leave uncertain: &gt;99%."),
                  "%s: best-hire chance: %s", ja ? "ja" : "en", h);
        cr_assert(strstr(h, ja ? "ML engineer（&lt;1%）" : "ML engineer (&lt;1%)"),
                  "%s: near tie: %s", ja ? "ja" : "en", h);
        cr_assert_null(strstr(h, ">100%") ? strstr(h, ">100%") : strstr(h, "(100%"),
                       "%s: a chance shown as 100%%", ja ? "ja" : "en");
        cr_assert_null(strstr(h, ">0%") ? strstr(h, ">0%") : strstr(h, "(0%"),
                       "%s: a chance shown as 0%%", ja ? "ja" : "en");
    }
    rf_buf_cleanup(&b);
    json_decref(doc);
}

/* The hires after the suggestion are the greedy choice given it, each with
 * the gain it adds to the members and the hires before it (the figures add
 * up: the score after them is the score plus their gains); and a task the
 * page calls covered is never said to be raised by a hire, but not needed
 * there. */
Test(team, the_follow_up_hires_add_up_and_a_covered_task_is_not_raised)
{
    size_t nr = c.roles.n, nt = c.tax.ntasks;
    struct rf_err err;
    static const double thetas[] = {0.9, 1.2, 1.5, 3.0};
    size_t covered_said = 0;
    for (size_t k = 0; k < sizeof thetas / sizeof thetas[0]; k++) {
        struct rf_profile prof[2];
        at_role(&prof[0], "mlops_engineer", thetas[k]);
        at_role(&prof[1], "data_scientist", 3.0);
        struct rf_team_view v;
        cr_assert_eq(rf_team_view_build(&c, &spec, prof, 2, &v, &err), RF_OK, "%s", err.msg);
        cr_assert_gt(v.nthen, 0);
        /* the members, then the suggestion and the follow-ups as certain rows */
        double pm[5 * 64] = {0}, pt[5 * 64] = {0}, rc[64], tc[64];
        memcpy(pm, v.pm, 2 * nr * sizeof *pm);
        memcpy(pt, v.pt, 2 * nt * sizeof *pt);
        rf_team_coverage(&c, &spec, pm, pt, 2, (size_t)-1, rc, tc);
        double score = rf_team_score(&spec, rc);
        for (size_t j = 0; j <= v.nthen; j++) {
            const struct rf_team_hire *h = j ? &v.then[j - 1] : &v.hires[0];
            double *row = pm + (2 + j) * nr;
            for (size_t r = 0; r < nr; r++)
                row[r] = rf_team_hire_meets(&c.roles.roles[h->role], &c.roles.roles[r]);
            for (size_t t = 0; t < nt; t++)
                pt[(2 + j) * nt + t] = rf_team_member_task(&c, &spec, row, t);
            if (j) { /* the greedy choice: no other hire adds more role coverage */
                struct rf_team_hire all[64];
                cr_assert_eq(rf_team_next_hires(&c, &spec, pm, pt, 2 + j, all, &err), RF_OK);
                for (size_t q = 0; q < spec.nroles; q++)
                    cr_assert_leq(all[q].gain, h->gain + 1e-12, "%s adds more",
                                  c.roles.roles[all[q].role].id);
            }
            rf_team_coverage(&c, &spec, pm, pt, 3 + j, (size_t)-1, rc, tc);
            double next = rf_team_score(&spec, rc);
            cr_assert_float_eq(next - score, h->gain, 1e-9, "theta %g, hire %zu: %g vs %g",
                               thetas[k], j, next - score, h->gain);
            score = next;
            if (j > 1)
                cr_assert_leq(h->gain, v.then[j - 2].gain + 1e-12, "greedy gains fall: theta %g %g (%g) after %g (%g)", thetas[k], h->gain, h->task_gain, v.then[j - 2].gain, v.then[j - 2].task_gain);
        }
        const char *names[2] = {"mei", "ravi"};
        json_t *doc = rf_team_view_json(&c, &spec, &v, names);
        cr_assert_eq(json_array_size(json_object_get(doc, "then")), v.nthen);
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(doc, "hires"), i, h)
        {
            json_t *cl = json_object_get(h, "closes"), *x;
            size_t q, t;
            json_array_foreach(json_object_get(cl, "tasks"), q, x)
            {
                cr_assert_eq(rf_taxonomy_find_task(&c.tax, json_string_value(json_object_get(x, "task")), &t), 0);
                cr_assert_lt(v.task_lo[t], RF_FIT_MET, "%s raised at %g", c.tax.tasks[t].id,
                             v.task_lo[t]);
            }
            json_array_foreach(json_object_get(cl, "not_needed"), q, x)
            {
                cr_assert_eq(rf_taxonomy_find_task(&c.tax, json_string_value(json_object_get(x, "task")), &t), 0);
                cr_assert_geq(v.task_lo[t], RF_FIT_MET);
                covered_said += v.task_cov[t] < 1 - 1e-9; /* covered, not certain */
            }
        }
        json_decref(doc);
        rf_team_view_cleanup(&v);
        rf_profile_cleanup(&prof[0]);
        rf_profile_cleanup(&prof[1]);
    }
    cr_assert_gt(covered_said, 0, "a task covered short of 100%% is said not needed");
}
