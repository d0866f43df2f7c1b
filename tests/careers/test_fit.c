/* Role fit, gaps, learning guidance and reports over the bundled data. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "careers/data.h"
#include "careers/fit.h"
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

TestSuite(fit, .init = setup, .fini = teardown);

static double phi_tail(double cut, double m, double s)
{
    return 0.5 * erfc((cut - m) / (s * M_SQRT2));
}

Test(fit, arithmetic_matches_hand_computation)
{
    const struct rf_role *role = rf_roles_find(&c.roles, "data_engineer");
    cr_assert_not_null(role);
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    /* data_engineering advanced (cut 1), software_engineering proficient (cut 0),
     * algorithms_data_structures proficient (cut 0, not measured: prior). */
    cr_assert_eq(rf_profile_add_skill(&p, "data_engineering", 1.4, 0.4, 6, NULL, NULL, &err),
                 RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "software_engineering", 0.3, 0.5, 5, NULL, NULL, &err),
                 RF_OK);
    struct rf_role_fit f;
    cr_assert_eq(rf_fit_role(&p, &c.roles, role, &f, &err), RF_OK);
    double p_de = phi_tail(1, 1.4, 0.4), p_se = phi_tail(0, 0.3, 0.5), p_al = phi_tail(0, 0, 1);
    /* weights: data_engineering 0.65; foundations 0.35 split 2:1 */
    double w_de = 0.65, w_se = 0.35 * 2 / 3, w_al = 0.35 / 3;
    double fit = w_de * p_de + w_se * p_se + w_al * p_al;
    double sd = sqrt(w_de * w_de * p_de * (1 - p_de) + w_se * w_se * p_se * (1 - p_se) +
                     w_al * w_al * p_al * (1 - p_al));
    /* Closed-form normal tails on both sides: only rounding differs (1e-12). */
    cr_assert_float_eq(f.fit, fit, 1e-12);
    cr_assert_float_eq(f.sd, sd, 1e-12);
    cr_assert_float_eq(f.p_core, p_de * p_se, 1e-12);
    cr_assert_float_eq(f.measured, w_de + w_se, 1e-12);
    cr_assert_eq(f.nunmeasured, 1);
    cr_assert_null(f.reqs[2].have, "algorithms not measured");
    cr_assert_float_eq(f.reqs[2].p, 0.5, 1e-12, "prior, neither 0 nor 1");
    size_t idx[16];
    size_t ng = rf_fit_gaps(&f, idx);
    cr_assert_eq(ng, 2, "p(data_engineering) = %.3f is met, the other two are gaps", p_de);
    cr_assert(f.reqs[idx[0]].gap >= f.reqs[idx[1]].gap);
    for (size_t i = 0; i < ng; i++)
        cr_assert(f.reqs[idx[i]].p < RF_FIT_MET);
    rf_fit_cleanup(&f);
    rf_profile_cleanup(&p);
}

/* A profile that measured part of a role: the fit on what was measured
 * leaves out the prior of what was not, so an all-right answerer of a
 * one-skill practice test reads as strong there, not as the 40% that the
 * population prior of the other requirements makes of the whole fit (a
 * test of deep learning alone, all right: 40% fit to its closest role); the
 * report carries it, and says whether the person chose the target role. */
Test(fit, fit_on_what_was_measured)
{
    const struct rf_role *role = rf_roles_find(&c.roles, "data_engineer");
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    /* data_engineering (core, advanced, cut 1) measured high; software
     * engineering (core) and algorithms not measured */
    cr_assert_eq(rf_profile_add_skill(&p, "data_engineering", 2.5, 0.5, 8, NULL, NULL, &err),
                 RF_OK);
    struct rf_role_fit f;
    cr_assert_eq(rf_fit_role(&p, &c.roles, role, &f, &err), RF_OK);
    double p_de = phi_tail(1, 2.5, 0.5);
    cr_assert_float_eq(f.fit_measured, p_de, 1e-12, "fit on the measured requirement alone");
    cr_assert_float_eq(f.p_core_measured, p_de, 1e-12, "the measured core requirement alone");
    cr_assert_eq(f.ncore_measured, 1);
    cr_assert(f.fit < f.fit_measured - 0.1 && f.p_core < f.p_core_measured - 0.4,
              "the whole fit counts the prior of the rest: fit %.3f, P(core) %.3f", f.fit,
              f.p_core);
    cr_assert(f.fit_measured > 0.99, "what was measured reads strong: %.3f", f.fit_measured);
    rf_fit_cleanup(&f);
    /* nothing of the role measured: 0, and no core requirement measured */
    const struct rf_role *ux = rf_roles_find(&c.roles, "ux_designer");
    cr_assert_eq(rf_fit_role(&p, &c.roles, ux, &f, &err), RF_OK);
    cr_assert_float_eq(f.fit_measured, 0, 1e-15);
    cr_assert_eq(f.ncore_measured, 0);
    cr_assert_float_eq(f.p_core_measured, 1, 1e-15);
    rf_fit_cleanup(&f);
    /* the report: per role, and whether the target was chosen */
    json_t *r = NULL;
    cr_assert_eq(rf_report_build(&p, &c, NULL, &r, &err), RF_OK, "%s", err.msg);
    cr_assert(json_is_false(json_object_get(json_object_get(r, "target"), "chosen")));
    size_t i;
    json_t *x;
    int seen = 0;
    json_array_foreach(json_object_get(r, "roles"), i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "role")), "data_engineer") != 0)
            continue;
        seen = 1;
        cr_assert_float_eq(json_number_value(json_object_get(x, "fit_measured")), p_de, 1e-5);
        cr_assert_float_eq(json_number_value(json_object_get(x, "p_core_measured")), p_de, 1e-5);
        cr_assert_eq(json_integer_value(json_object_get(x, "core_measured")), 1);
    }
    cr_assert(seen);
    json_decref(r);
    cr_assert_eq(rf_report_build(&p, &c, "data_engineer", &r, &err), RF_OK, "%s", err.msg);
    cr_assert(json_is_true(json_object_get(json_object_get(r, "target"), "chosen")));
    json_decref(r);
    rf_profile_cleanup(&p);
}

/* The HTML download of a role test shows its verdict on each requirement
 * with the chance the call is wrong (only find my role's and the confirm
 * test's did); a report without a chosen role shows none; answers that
 * look random carry a word on what the levels mean. */
Test(fit, html_shows_a_role_tests_verdicts)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    cr_assert_eq(rf_profile_add_skill(&p, "data_engineering", 2.5, 0.4, 8, NULL, NULL, &err),
                 RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "software_engineering", -2.0, 0.4, 8, NULL, NULL, &err),
                 RF_OK);
    cr_assert_eq(
        rf_profile_add_skill(&p, "algorithms_data_structures", 0.1, 0.8, 3, NULL, NULL, &err),
        RF_OK);
    for (int chosen = 0; chosen < 2; chosen++) {
        json_t *r = NULL;
        cr_assert_eq(rf_report_build(&p, &c, chosen ? "data_engineer" : NULL, &r, &err), RF_OK,
                     "%s", err.msg);
        struct rf_buf b;
        rf_buf_init(&b, 1 << 22);
        cr_assert_eq(rf_report_html(r, &b), RF_OK);
        const char *h = rf_buf_str(&b);
        if (chosen) {
            cr_assert(strstr(h, "Data engineer: each requirement"), "the verdict's heading");
            cr_assert(strstr(h, "Chance the call is wrong"));
            cr_assert(strstr(h, "<td>met</td>"), "the call on data engineering");
        } else {
            cr_assert_null(strstr(h, ": each requirement"), "no role chosen: no verdict");
        }
        cr_assert_null(strstr(h, "levels-random"));
        rf_buf_cleanup(&b);
        /* the renderer's reading of "no role" */
        json_object_set_new(r, "no_role", json_real(0.99));
        rf_buf_init(&b, 1 << 22);
        cr_assert_eq(rf_report_html(r, &b), RF_OK);
        cr_assert(strstr(rf_buf_str(&b), "id=\"levels-random\""), "random answers' levels");
        rf_buf_cleanup(&b);
        /* Markdown: no role's name in bold when no role is the likeliest */
        rf_buf_init(&b, 1 << 22);
        cr_assert_eq(rf_report_markdown(r, &b), RF_OK);
        const char *top = json_string_value(
            json_object_get(json_array_get(json_object_get(r, "closest"), 0), "name"));
        char bold[128];
        snprintf(bold, sizeof bold, "- **%s**", top);
        cr_assert_null(strstr(rf_buf_str(&b), bold), "'%s' in bold under no role", top);
        cr_assert(strstr(rf_buf_str(&b), "No role resembles these answers"));
        rf_buf_cleanup(&b);
        json_decref(r);
    }
    rf_profile_cleanup(&p);
}

/* More ability never lowers fit or P(core), for every role and every skill,
 * with theta/se profiles and with posterior profiles. */
Test(fit, more_ability_never_lowers_fit)
{
    struct rf_err err;
    for (int with_post = 0; with_post < 2; with_post++)
        for (size_t k = 0; k < c.tax.nskills; k++) {
            double prev_fit[64], prev_core[64];
            for (int step = 0; step <= 16; step++) {
                double theta = -4 + 0.5 * step;
                struct rf_profile p;
                rf_profile_init_default(&p);
                for (size_t j = 0; j < c.tax.nskills; j++) {
                    double th = j == k ? theta : 0.3 * (double)(j % 5) - 0.6;
                    cr_assert_eq(rf_profile_add_skill(&p, c.tax.skills[j].id, th, 0.45, 4, NULL,
                                                      NULL, &err),
                                 RF_OK);
                    if (with_post) {
                        double post[61];
                        rf_profile_posterior(&p, &p.skills[j], post);
                        free(p.skills[j].posterior);
                        p.skills[j].posterior = NULL;
                        p.skills[j].posterior = malloc(sizeof post);
                        memcpy(p.skills[j].posterior, post, sizeof post);
                    }
                }
                for (size_t r = 0; r < c.roles.n; r++) {
                    struct rf_role_fit f;
                    cr_assert_eq(rf_fit_role(&p, &c.roles, &c.roles.roles[r], &f, &err), RF_OK);
                    if (step > 0) {
                        cr_assert(f.fit >= prev_fit[r] - 1e-15,
                                  "role %s skill %s theta %g: fit fell %.17g -> %.17g",
                                  c.roles.roles[r].id, c.tax.skills[k].id, theta, prev_fit[r],
                                  f.fit);
                        cr_assert(f.p_core >= prev_core[r] - 1e-15);
                    }
                    prev_fit[r] = f.fit;
                    prev_core[r] = f.p_core;
                    rf_fit_cleanup(&f);
                }
                rf_profile_cleanup(&p);
            }
        }
}

Test(fit, empty_and_foreign_profiles)
{
    struct rf_err err;
    struct rf_profile p;
    rf_profile_init_default(&p);
    /* A skill the taxonomy does not know is carried but never used. */
    cr_assert_eq(rf_profile_add_skill(&p, "underwater_basketry", 3, 0.2, 9, NULL, NULL, &err),
                 RF_OK);
    struct rf_role_fit *fits;
    cr_assert_eq(rf_fit_all(&p, &c.roles, &fits, &err), RF_OK);
    for (size_t i = 0; i < c.roles.n; i++) {
        const struct rf_role_fit *f = &fits[i];
        cr_assert_eq(f->nunmeasured, f->nreqs);
        cr_assert_float_eq(f->measured, 0, 0);
        double expect = 0;
        for (size_t k = 0; k < f->nreqs; k++)
            expect += f->reqs[k].req->weight * phi_tail(f->reqs[k].req->cut, 0, 1);
        cr_assert_float_eq(f->fit, expect, 1e-12, "%s: prior fit", f->role->id);
        cr_assert(f->fit > 0.05 && f->fit < 0.95, "%s: prior fit %.3f is neither 0 nor 1",
                  f->role->id, f->fit);
        if (i)
            cr_assert(fits[i - 1].fit >= f->fit, "sorted by fit");
    }
    rf_fit_free_all(fits, c.roles.n);
    rf_profile_cleanup(&p);
}

Test(fit, learning_guidance_loads_and_matches_tags)
{
    cr_assert_eq(c.learning.n, c.tax.nskills, "guidance for every skill");
    size_t dl;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "deep_learning", &dl), RF_OK);
    const struct rf_guidance *g = rf_learning_find(&c.learning, dl);
    cr_assert_not_null(g);
    cr_assert_not_null(rf_learning_concept(g, "Vanishing gradients"));
    cr_assert_not_null(rf_learning_concept(g, "vanishing-gradients"));
    cr_assert_null(rf_learning_concept(g, "vanishing"));
    static const char *const bad[] = {
        "{\"skills\": [{\"skill\": \"cooking\", \"focus\": \"f\", \"study\": [\"s\"]}]}",
        "{\"skills\": [{\"skill\": \"deep_learning\", \"study\": [\"s\"]}]}",
        "{\"skills\": [{\"skill\": \"deep_learning\", \"focus\": \"f\", \"study\": []}]}",
        "{\"skills\": [{\"skill\": \"deep_learning\", \"focus\": \"f\", \"study\": [\"s\"], "
        "\"concepts\": {\"a\": 3}}]}",
        "{\"skills\": [{\"skill\": \"deep_learning\", \"focus\": \"f\", \"study\": [\"s\"]}, "
        "{\"skill\": \"deep_learning\", \"focus\": \"f\", \"study\": [\"s\"]}]}",
    };
    static const char *const needle[] = {"unknown skill 'cooking'", "field 'focus'",
                                         "field 'study'", "field 'concepts.a'",
                                         "already has guidance"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rf_learning l;
        struct rf_err err;
        rf_err_clear(&err);
        cr_expect_eq(rf_learning_load_mem("learn.json", bad[i], strlen(bad[i]), &c.tax, &l, &err),
                     RF_EINVAL, "case %zu", i);
        cr_expect(strstr(err.msg, needle[i]) && strstr(err.msg, "learn.json"),
                  "case %zu: '%s' lacks '%s'", i, err.msg, needle[i]);
        rf_learning_cleanup(&l);
    }
}

Test(fit, report_says_what_the_profile_says)
{
    struct rf_profile p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_profile_load("tests/careers/data/kenji.json", &p, &err), RF_OK, "%s",
                 err.msg);
    json_t *r = NULL;
    cr_assert_eq(rf_report_build(&p, &c, "astronaut", &r, &err), RF_ENOTFOUND);
    cr_assert(strstr(err.msg, "astronaut"));
    cr_assert_eq(rf_report_build(&p, &c, "ml_engineer", &r, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "target"), "role")),
                     "ml_engineer");
    cr_assert_eq(json_integer_value(json_object_get(r, "skills_measured")), 8);
    const json_t *gaps = json_object_get(r, "gaps");
    cr_assert(json_array_size(gaps) >= 2);
    /* Largest gap first, and model_deployment (advanced, theta 0.42 +- 0.43,
     * weight 0.1) is the largest: 0.1 * (1 - 0.089) = 0.091; the unmeasured
     * product and experimentation needs (0.15 each) follow at their prior. */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(gaps, 0), "skill")),
                     "model_deployment");
    for (size_t i = 1; i < json_array_size(gaps); i++)
        cr_assert(json_number_value(json_object_get(json_array_get(gaps, i - 1), "gap")) >=
                  json_number_value(json_object_get(json_array_get(gaps, i), "gap")));
    /* Missed concepts: latency was missed twice, so it comes first, with its note. */
    const json_t *missed = json_object_get(json_array_get(gaps, 0), "missed");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(missed, 0), "tag")),
                     "latency");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(missed, 0), "count")), 2);
    cr_assert_not_null(json_object_get(json_array_get(missed, 0), "note"));
    cr_assert(json_array_size(json_object_get(json_array_get(gaps, 0), "study")) >= 1);

    struct rf_buf b;
    rf_buf_init(&b, 1 << 22);
    cr_assert_eq(rf_report_html(r, &b), RF_OK);
    const char *h = rf_buf_str(&b);
    cr_assert(strncmp(h, "<!DOCTYPE html>", 15) == 0);
    cr_assert(strstr(h, "Kenji Sato &lt;kenji@example.com&gt;"), "person escaped");
    cr_assert_null(strstr(h, "<kenji"), "raw person text leaked into markup");
    cr_assert(strstr(h, "<svg") && strstr(h, "Role fit chart") && strstr(h, "Skill profile chart"));
    cr_assert_null(strstr(h, "<script"), "no scripts");
    cr_assert_null(strstr(h, "http://"), "no external resources");
    cr_assert_null(strstr(h, "https://"), "no external resources");
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_markdown(r, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "## Gaps and learning plan: Machine learning engineer"));
    cr_assert(strstr(rf_buf_str(&b), "**latency** (missed 2×)"));
    /* Closest roles: in the JSON by probability, in both renderings. */
    const json_t *cl = json_object_get(r, "closest");
    cr_assert_eq(json_array_size(cl), c.roles.n);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(cl, 0), "role")),
                     "application_engineer",
                     "kenji (engineering and deployment measured, no product or experiments) "
                     "looks most like an application engineer");
    for (size_t i = 1; i < json_array_size(cl); i++)
        cr_assert_geq(json_number_value(json_object_get(json_array_get(cl, i - 1), "probability")),
                      json_number_value(json_object_get(json_array_get(cl, i), "probability")));
    cr_assert(strstr(rf_buf_str(&b), "## Closest roles"));
    cr_assert(strstr(rf_buf_str(&b), "look most like (probability among the roles the test "
                                     "measured, and that the answers were given at random):\n\n"
                                     "- **Application engineer** 22%\n- Infrastructure engineer 19%"),
              "%s", rf_buf_str(&b));
    /* A measured profile answered well: "no role" is shown, and not chosen;
     * its chance below 0.5% reads "<1%", never "0%" (base/chance.h). */
    cr_assert(strstr(rf_buf_str(&b), "\n- No role <1%\n"), "%s", rf_buf_str(&b));
    cr_assert(!strstr(rf_buf_str(&b), "No role resembles"), "%s", rf_buf_str(&b));
    cr_assert_lt(json_number_value(json_object_get(r, "no_role")), 0.01);
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_html(r, &b), RF_OK);
    cr_assert(strstr(rf_buf_str(&b), "aria-label=\"Closest roles\""));
    cr_assert(strstr(rf_buf_str(&b), "<span>Closest role</span><b>Application engineer"));
    cr_assert(strstr(rf_buf_str(&b), "<span>probability 22%</span>"), "%s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "fill=\"#1d2433\">&lt;1%</text>"), "no role's bar: %s",
              rf_buf_str(&b));
    cr_assert_null(strstr(rf_buf_str(&b), ">0%<"), "no chance shown as 0%%");
    json_decref(r);
    /* Without a target the plan is for the closest role, not the highest fit
     * (software engineer (ML): lower bars on the same skills). */
    cr_assert_eq(rf_report_build(&p, &c, NULL, &r, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(
        json_string_value(json_object_get(json_array_get(json_object_get(r, "roles"), 0), "role")),
        "ml_software_engineer");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "target"), "role")),
                     "application_engineer");
    /* A tiny cap fails cleanly instead of truncating silently. */
    struct rf_buf small;
    rf_buf_init(&small, 100);
    cr_assert_eq(rf_report_html(r, &small), RF_ETOOBIG);
    cr_assert_eq(rf_report_markdown(r, &small), RF_ETOOBIG);
    rf_buf_cleanup(&small);
    rf_buf_cleanup(&b);
    json_decref(r);
    rf_profile_cleanup(&p);
}

/* Some credit on a multiple-select item is "partly right", not "missed": the
 * profile keeps the mark through its file, and the plan, the Markdown and the
 * HTML say so (issue 13). */
Test(fit, partly_right_is_not_missed)
{
    struct rf_profile p, back;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_profile_load("tests/careers/data/kenji.json", &p, &err), RF_OK, "%s",
                 err.msg);
    const struct rf_profile_skill *s = rf_profile_find(&p, "model_deployment");
    cr_assert_not_null(s);
    size_t idx = (size_t)(s - p.skills);
    const char *tags[] = {"rollback", "latency"};
    cr_assert_eq(rf_profile_add_partly(&p, idx, "model_deployment.multi.001", tags, 2, &err),
                 RF_OK);
    json_t *j;
    cr_assert_eq(rf_profile_to_json(&p, &j, &err), RF_OK);
    cr_assert_eq(rf_profile_from_json(j, "k.json", &back, &err), RF_OK, "%s", err.msg);
    json_decref(j);
    s = rf_profile_find(&back, "model_deployment");
    cr_assert(s->nmissed >= 1 && s->missed[s->nmissed - 1].partial, "kept through the file");
    cr_assert_not(s->missed[0].partial);
    json_t *r;
    cr_assert_eq(rf_report_build(&back, &c, "ml_engineer", &r, &err), RF_OK, "%s", err.msg);
    const json_t *missed = json_object_get(json_array_get(json_object_get(r, "gaps"), 0), "missed");
    size_t i;
    const json_t *m;
    int rollback = 0, latency = 0;
    json_array_foreach(missed, i, m)
    {
        const char *t = json_string_value(json_object_get(m, "tag"));
        json_int_t n = json_integer_value(json_object_get(m, "count")),
                   np = json_integer_value(json_object_get(m, "partly"));
        if (!strcmp(t, "rollback")) {
            rollback = 1;
            cr_expect(n == 0 && np == 1, "rollback: missed %lld, partly %lld", (long long)n,
                      (long long)np);
        }
        if (!strcmp(t, "latency")) {
            latency = 1;
            cr_expect(n == 2 && np == 1, "latency: missed %lld, partly %lld", (long long)n,
                      (long long)np);
        }
    }
    cr_assert(rollback && latency);
    struct rf_buf b;
    rf_buf_init(&b, 1 << 22);
    cr_assert_eq(rf_report_markdown(r, &b), RF_OK);
    cr_expect(strstr(rf_buf_str(&b), "Concepts you missed or got partly right:"));
    cr_expect(strstr(rf_buf_str(&b), "**latency** (missed 2×, partly right 1×)"));
    cr_expect(strstr(rf_buf_str(&b), "**rollback** (partly right 1×)"));
    cr_expect_null(strstr(rf_buf_str(&b), "**rollback** (missed"));
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_html(r, &b), RF_OK);
    cr_expect(strstr(rf_buf_str(&b), "rollback (partly right)"), "HTML chip");
    rf_buf_cleanup(&b);
    json_decref(r);
    const char *bad = "{\"skills\": [{\"skill\": \"a\", \"theta\": 0, \"se\": 1, \"missed\": "
                      "[{\"item\": \"x\", \"partial\": 1}]}]}";
    rf_profile_cleanup(&back);
    cr_assert_eq(rf_profile_parse("b.json", bad, strlen(bad), &back, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "b.json") && strstr(err.msg, "field 'partial'"), "%s", err.msg);
    rf_profile_cleanup(&p);
}
