/* Closest roles: the Bayes factor against numerical integration, the
 * uninformative cases, and that a profile at a role's level centres points
 * to that role, for every bundled role. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "careers/closest.h"
#include "base/buf.h"
#include "careers/data.h"
#include "careers/html_report.h"
#include "careers/report.h"

static struct rf_careers c;

static void setup(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_careers_cleanup(&c);
}

TestSuite(closest, .init = setup, .fini = teardown);

static double npdf(double x, double m, double s)
{
    double z = (x - m) / s;
    return exp(-0.5 * z * z) / (s * sqrt(2 * M_PI));
}

/* E over N(m, s^2) of N(x; mu, tau^2) / phi(x) by Simpson's rule on [-12, 12]. */
static double factor(double m, double s, double mu, double tau)
{
    const int n = 24000;
    double h = 24.0 / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double x = -12 + i * h;
        double w = i == 0 || i == n ? 1 : i % 2 ? 4 : 2;
        sum += w * npdf(x, m, s) * npdf(x, mu, tau) / npdf(x, 0, 1);
    }
    return sum * h / 3;
}

static const struct rf_role_close *find(const struct rf_role_close *r, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].role->id, id))
            return &r[i];
    cr_assert_fail("role %s missing", id);
    return NULL;
}

Test(closest, level_centres_and_spreads)
{
    size_t k;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "deep_learning", &k), RF_OK);
    double mu, tau;
    /* cuts -1, 0, 1, 2: proficient is [0, 1), expert [2, inf) */
    rf_closest_level_dist(&c.tax, k, 2, &mu, &tau);
    cr_assert_float_eq(mu, 0.5, 1e-15);
    cr_assert_float_eq(tau, 0.5, 1e-15);
    rf_closest_level_dist(&c.tax, k, 4, &mu, &tau);
    cr_assert_float_eq(mu, 2.5, 1e-15, "the top level sits half a band above its cut");
    const struct rf_role *ds = rf_roles_find(&c.roles, "data_scientist");
    const char *sk[3] = {"experimentation", "deep_learning", "no_such_skill"};
    double m[3], t[3];
    rf_closest_role_dists(&c.roles, ds, sk, 3, m, t);
    cr_assert(m[0] == 1.5 && t[0] == 0.5, "experimentation advanced: %g %g", m[0], t[0]);
    cr_assert(m[1] == 0 && t[1] == 0, "not required: like the population");
    cr_assert(m[2] == 0 && t[2] == 0, "unknown skill: like the population");
}

Test(closest, bayes_factor_matches_integration)
{
    /* data_engineer: data_engineering advanced (1.5 +- 0.5), software_engineering
     * proficient (0.5 +- 0.5), algorithms proficient (not measured: factor 1). */
    const struct rf_role *de = rf_roles_find(&c.roles, "data_engineer");
    double want = log(factor(1.2, 0.4, 1.5, 0.5)) + log(factor(-0.3, 0.6, 0.5, 0.5));
    size_t grids[2] = {401, 61};
    double tol[2] = {1e-6, 2e-2}; /* a fine grid is exact; the default grid within 2% */
    for (int g = 0; g < 2; g++) {
        struct rf_profile p;
        struct rf_err err;
        cr_assert_eq(rf_profile_init(&p, -6, 6, grids[g], &err), RF_OK);
        cr_assert_eq(rf_profile_add_skill(&p, "data_engineering", 1.2, 0.4, 8, NULL, NULL, &err),
                     RF_OK);
        cr_assert_eq(
            rf_profile_add_skill(&p, "software_engineering", -0.3, 0.6, 5, NULL, NULL, &err),
            RF_OK);
        struct rf_role_close *r;
        cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
        const struct rf_role_close *x = find(r, c.roles.n, "data_engineer");
        cr_assert_eq(x->role, de);
        cr_assert_float_eq(x->log_bf, want, tol[g], "grid %zu: %.9f vs %.9f", grids[g], x->log_bf,
                           want);
        cr_assert_eq(x->nmeasured, 2);
        double sum = 0, z = 0;
        for (size_t i = 0; i < c.roles.n; i++) {
            sum += r[i].prob;
            if (r[i].nmeasured)
                z += exp(r[i].log_bf);
            else
                cr_assert_eq(r[i].prob, 0, "%s measured nothing", r[i].role->id);
            if (i)
                cr_assert_geq(r[i - 1].prob, r[i].prob, "ordered by probability");
        }
        cr_assert_float_eq(sum, 1, 1e-12);
        cr_assert_float_eq(x->prob, exp(x->log_bf) / z, 1e-12);
        free(r);
        rf_profile_cleanup(&p);
    }
}

Test(closest, nothing_measured_tells_nothing)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    /* a skill no role requires, and one no taxonomy knows */
    cr_assert_eq(rf_profile_add_skill(&p, "quantum_baking", 2, 0.3, 5, NULL, NULL, &err), RF_OK);
    struct rf_role_close *r;
    cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
    for (size_t i = 0; i < c.roles.n; i++) {
        cr_assert_float_eq(r[i].prob, 1.0 / (double)c.roles.n, 1e-12);
        cr_assert_eq(r[i].log_bf, 0);
        cr_assert_eq(r[i].nmeasured, 0);
        cr_assert_eq(r[i].role, &c.roles.roles[i], "ties keep the file's order");
    }
    free(r);
    /* a skill measured exactly at the population prior is no evidence either */
    double post[61];
    rf_profile_posterior(&p, NULL, post);
    cr_assert_eq(rf_profile_add_skill(&p, "deep_learning", 0, 1, 0, post, NULL, &err), RF_OK);
    cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
    for (size_t i = 0; i < c.roles.n; i++)
        cr_assert_float_eq(r[i].log_bf, 0, 1e-12, "%s: %g", r[i].role->id, r[i].log_bf);
    free(r);
    rf_profile_cleanup(&p);
}

/* A person measured on a role's skills at that role's level centres (SE 0.3)
 * is closest to that role, for every role: no two roles are the same
 * profile, and roles that need less on the same skills do not win. */
Test(closest, a_profile_at_a_roles_centres_points_to_it)
{
    for (size_t i = 0; i < c.roles.n; i++) {
        const struct rf_role *role = &c.roles.roles[i];
        struct rf_profile p;
        rf_profile_init_default(&p);
        struct rf_err err;
        for (size_t k = 0; k < role->nreqs; k++) {
            double mu, tau;
            rf_closest_level_dist(&c.tax, role->reqs[k].skill, role->reqs[k].level, &mu, &tau);
            cr_assert_eq(rf_profile_add_skill(&p, c.tax.skills[role->reqs[k].skill].id, mu, 0.3, 6,
                                              NULL, NULL, &err),
                         RF_OK);
        }
        struct rf_role_close *r;
        cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
        cr_assert_eq(r[0].role, role, "%s: closest is %s (%.2f)", role->id, r[0].role->id,
                     r[0].prob);
        cr_assert_gt(r[0].prob, 0.5, "%s: %.2f", role->id, r[0].prob);
        free(r);
        rf_profile_cleanup(&p);
    }
}

/* Weak answers count against every role measured (log BF < 0 for all): the
 * closest role is still one the test measured, never one it did not, and a
 * (theta, se) summary with se >= 1 is no evidence. */
Test(closest, weak_answers_point_to_a_measured_role)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    const char *de[3] = {"data_engineering", "software_engineering", "algorithms_data_structures"};
    for (int k = 0; k < 3; k++)
        cr_assert_eq(rf_profile_add_skill(&p, de[k], -1.8, 0.4, 6, NULL, NULL, &err), RF_OK);
    struct rf_role_close *r;
    cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
    cr_assert_gt(r[0].nmeasured, 0, "closest %s measured nothing", r[0].role->id);
    size_t nmeasured = 0;
    for (size_t i = 0; i < c.roles.n; i++) {
        if (r[i].nmeasured) {
            cr_assert_lt(r[i].log_bf, 0, "%s: the answers count against it", r[i].role->id);
            cr_assert_eq(i, nmeasured++, "measured roles come first");
        } else {
            cr_assert_eq(r[i].prob, 0);
        }
    }
    free(r);
    rf_profile_cleanup(&p);
    rf_profile_init_default(&p);
    cr_assert_eq(rf_profile_add_skill(&p, "deep_learning", 0, 2.0, 1, NULL, NULL, &err), RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "linear_algebra", 0.2, 1.5, 1, NULL, NULL, &err), RF_OK);
    cr_assert_eq(rf_closest_all(&p, &c.roles, &r, NULL, &err), RF_OK);
    for (size_t i = 0; i < c.roles.n; i++) {
        cr_assert_eq(r[i].nmeasured, 0, "%s: se >= 1 is no evidence", r[i].role->id);
        cr_assert_float_eq(r[i].prob, 1.0 / (double)c.roles.n, 1e-12);
    }
    free(r);
    rf_profile_cleanup(&p);
}

/* A posterior from answers to four-option items (a = 1, c = 0.25, b spread
 * over [-1.5, 1.5]): right[i] for item i of n, times the N(0, 1) prior on
 * p's grid, as the engine builds it. */
static void add_answers(struct rf_profile *p, const char *skill, const int *right, size_t n)
{
    double post[RF_QUAD_MAX_N];
    struct rf_err err;
    for (size_t g = 0; g < p->n; g++) {
        double x = rf_profile_node(p, g), l = exp(-0.5 * x * x);
        for (size_t i = 0; i < n; i++) {
            double b = n > 1 ? -1.5 + 3.0 * (double)i / (double)(n - 1) : 0;
            double pc = 0.25 + 0.75 / (1 + exp(-(x - b)));
            l *= right[i] ? pc : 1 - pc;
        }
        post[g] = l;
    }
    cr_assert_eq(rf_profile_add_posterior(p, skill, n, post, NULL, &err), RF_OK, "%s", err.msg);
}

/* Answers at chance on every skill of a role test (one right of four per
 * skill) are told "no role"; the same items all right are not; the role
 * probabilities and P(no role) sum to 1 either way. */
Test(closest, random_answers_are_no_role)
{
    const struct rf_role *mle = rf_roles_find(&c.roles, "ml_engineer");
    for (int all_right = 0; all_right < 2; all_right++) {
        struct rf_profile p;
        rf_profile_init_default(&p);
        for (size_t k = 0; k < mle->nreqs; k++) {
            int right[4] = {all_right, all_right, all_right, 1};
            add_answers(&p, c.tax.skills[mle->reqs[k].skill].id, right, 4);
        }
        struct rf_role_close *r;
        double none = -1, sum = 0;
        struct rf_err err;
        cr_assert_eq(rf_closest_all(&p, &c.roles, &r, &none, &err), RF_OK);
        for (size_t i = 0; i < c.roles.n; i++)
            sum += r[i].prob;
        cr_assert_float_eq(sum + none, 1.0, 1e-12, "roles %.6f + no role %.6f", sum, none);
        if (all_right) {
            cr_expect_lt(none, 0.01, "all right: P(no role) %.4f", none);
        } else {
            cr_expect_gt(none, 0.5, "at chance: P(no role) %.4f", none);
            cr_expect_lt(r[0].prob, 0.3, "at chance: the top role %s has %.4f", r[0].role->id,
                         r[0].prob);
        }
        free(r);
        rf_profile_cleanup(&p);
    }
}

/* Nothing measured: no "no role" either. */
Test(closest, nothing_measured_is_not_no_role)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_role_close *r;
    double none = -1;
    struct rf_err err;
    cr_assert_eq(rf_closest_all(&p, &c.roles, &r, &none, &err), RF_OK);
    cr_assert_eq(none, 0);
    free(r);
    rf_profile_cleanup(&p);
}

/* The reports say it: answers at chance on every skill read "No role
 * resembles these answers" in Markdown and HTML. The HTML for staff speaks
 * of the candidate, never to "you", and carries the answer review. */
Test(closest, reports_say_no_role_and_speak_to_the_reader)
{
    const struct rf_role *mle = rf_roles_find(&c.roles, "ml_engineer");
    struct rf_profile p;
    rf_profile_init_default(&p);
    for (size_t k = 0; k < mle->nreqs; k++) {
        int right[4] = {0, 0, 0, 1};
        add_answers(&p, c.tax.skills[mle->reqs[k].skill].id, right, 4);
    }
    json_t *r;
    struct rf_err err;
    cr_assert_eq(rf_report_build(&p, &c, "ml_engineer", &r, &err), RF_OK, "%s", err.msg);
    cr_assert_gt(json_number_value(json_object_get(r, "no_role")), 0.5);
    struct rf_buf b;
    rf_buf_init(&b, 1 << 24);
    cr_assert_eq(rf_report_markdown(r, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "**No role resembles these answers**"), "%s", rf_buf_str(&b));
    rf_buf_reset(&b);
    json_object_set_new(r, "answers",
                        json_pack("[{s:s, s:s, s:s, s:[s, s, s], s:i, s:i, s:b, s:s, s:[]}]",
                                  "item", "ml_fundamentals.x.001", "skill", "ml_fundamentals",
                                  "stem", "Which loss <b>?", "options", "MSE", "hinge", "log",
                                  "choice", 1, "key", 2, "correct", 0, "explanation",
                                  "Log loss is the likelihood.", "tags"));
    cr_assert_eq(rf_report_html(r, &b), RF_OK);
    const char *h = rf_buf_str(&b);
    cr_assert(strstr(h, "<b>No role resembles these answers</b>"), "%s", h);
    cr_assert(strstr(h, "<b>No role</b>"), "the header says it too");
    cr_assert(strstr(h, "Your answers (0 of 1 right)"), "the candidate's review");
    cr_assert(strstr(h, "Which loss &lt;b&gt;?"), "the stem, escaped");
    cr_assert(strstr(h, "Log loss is the likelihood."), "the explanation");
    cr_assert(strstr(h, "✗ your answer"));
    json_object_set_new(r, "viewer", json_string("staff"));
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_html(r, &b), RF_OK);
    h = rf_buf_str(&b);
    cr_assert(strstr(h, "Answers (0 of 1 right)"), "staff see the review too");
    /* The renderer's own words (study steps from data/learning.json are
     * written to the learner and stay as written). */
    const char *you[] = {"Your answers", "your answers", "you meet", "where you stand",
                         "Concepts you missed", "your answer", "so you can"};
    for (size_t i = 0; i < sizeof you / sizeof you[0]; i++)
        cr_expect(!strstr(h, you[i]), "staff's report says '%s'", you[i]);
    rf_buf_cleanup(&b);
    json_decref(r);
    rf_profile_cleanup(&p);
}

/* "Bars at least as high" over the measured skills: the data scientist asks
 * more than the data analyst on statistics and experimentation, less on data
 * analysis; a skill not measured does not count. Reports name the relation
 * of a role test's closest role to the test's role. */
Test(closest, bars_at_least_as_high_on_what_was_measured)
{
    const struct rf_role *ds = rf_roles_find(&c.roles, "data_scientist");
    const struct rf_role *da = rf_roles_find(&c.roles, "data_analyst");
    struct rf_profile p;
    struct rf_err err;
    rf_profile_init_default(&p);
    cr_assert_eq(rf_profile_add_skill(&p, "probability_statistics", 1.5, 0.4, 4, NULL, NULL, &err),
                 RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "experimentation", 1.5, 0.4, 4, NULL, NULL, &err), RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "data_analysis", 0, 2.0, 1, NULL, NULL, &err), RF_OK);
    cr_expect(rf_closest_bars_at_least(&p, &c.roles, ds, da), "se >= 1 is not measured");
    cr_expect(!rf_closest_bars_at_least(&p, &c.roles, da, ds));
    cr_expect(rf_closest_bars_at_least(&p, &c.roles, ds, ds));
    json_t *r;
    cr_assert_eq(rf_report_build(&p, &c, "data_analyst", &r, &err), RF_OK, "%s", err.msg);
    const char *rel = json_string_value(json_object_get(r, "closest_relation"));
    const char *top = json_string_value(json_object_get(json_array_get(json_object_get(r, "closest"), 0), "role"));
    cr_assert(rel, "a role test's report names the relation");
    cr_expect_str_eq(rel, !strcmp(top, "data_analyst") ? "own"
                          : rf_closest_bars_at_least(&p, &c.roles, rf_roles_find(&c.roles, top), da)
                              ? "higher"
                              : "other");
    json_decref(r);
    cr_assert_eq(rf_report_build(&p, &c, NULL, &r, &err), RF_OK, "%s", err.msg);
    cr_expect_null(json_object_get(r, "closest_relation"), "no test role, no relation");
    json_decref(r);
    rf_profile_cleanup(&p);
    rf_profile_init_default(&p);
    cr_assert_eq(rf_profile_add_skill(&p, "data_analysis", 1.5, 0.4, 4, NULL, NULL, &err), RF_OK);
    cr_expect(!rf_closest_bars_at_least(&p, &c.roles, ds, da), "data analysis: 2 < 3");
    rf_profile_cleanup(&p);
}
