/* `rolefit simulate --interviews`: the interview study of issue 17
 * (interview/sim.h): each candidate takes the server's role test for its
 * role (rf_roletest_design over the bank, answers drawn from the bank's own
 * parameters at the candidate's true skills, scored by rf_roletest_profile as
 * the server scores it), then the role's loop of interviews. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/json.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "careers/data.h"
#include "careers/kits.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "interview/sim.h"
#include "irt/quad.h"
#include "server/roletest.h"

static const char usage[] =
    "usage: rolefit simulate --interviews [--examinees N] [--interviewers R]\n"
    "                        [--severity-sd S] [--seed S] [--data DIR] [--bank DIR]\n"
    "                        [--no-test] [--json]\n\n"
    "The interview study (docs/interviews.md): N candidates (default 300), candidate i\n"
    "of role i mod 15, with skills from the higher-order model (loading 0.7). Each takes\n"
    "the server's role test for its role over the bank (answers drawn from the bank's\n"
    "parameters), then its role's loop from DIR/interviews.json: every round and the\n"
    "take-home scored by two of R interviewers (default 12) with severities ~ N(0, S^2)\n"
    "(default S 0.5). The rubric criteria (GRM items with the interviewer's severity\n"
    "shifting every threshold) and the severities are calibrated by marginal maximum\n"
    "likelihood from the scorecards, with the tests' evidence, and each candidate's\n"
    "profile combines test and loop. Prints: severity RMSE against the truth, mean SE\n"
    "and coverage; per skill the mean posterior SD after the test alone and after test\n"
    "+ loop; the within-role Spearman correlation with the truth (mean true skill over\n"
    "what the loop measures) of the model, of the model on the loop alone and of the\n"
    "naive mean of raw scores, and their ratio; per rubric the interviewers' agreement\n"
    "(quadratic-weighted kappa, ICC) and criteria that do not separate candidates.\n\n"
    "  --examinees N      candidates (default 300)\n"
    "  --interviewers R   interviewers in the panel (default 12)\n"
    "  --severity-sd S    SD of their severities (default 0.5)\n"
    "  --seed S           random seed (default 1)\n"
    "  --data DIR         folder with skills.json, roles.json, interviews.json (default data)\n"
    "  --bank DIR         the item bank of the test (default DIR/bank)\n"
    "  --no-test          no test: the loop alone (then no SD comparison)\n"
    "  --json             one JSON object\n";

struct tests {
    const struct rf_careers *c;
    struct rf_cat_pool *p;
    struct rf_cat_design *d; /* one per role */
};

static rf_status take_test(void *ctx, size_t i, size_t role, const double *theta, struct rf_rng *r,
                           struct rf_profile *pr, struct rf_err *err)
{
    const struct tests *t = ctx;
    struct rf_cat_session *s;
    rf_status rc = rf_cat_session_new(t->p, &t->d[role], rf_rng_next(r), &s, err);
    if (rc)
        return rc;
    const struct rf_cat_design *d = &t->d[role];
    for (;;) {
        size_t item, sk;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        double th = 0;
        if (rf_taxonomy_find(&t->c->tax, t->p->skills[t->p->skill[item]], &sk) == RF_OK)
            th = theta[sk];
        if ((rc = rf_cat_answer(s, item, rf_cat_sim_draw(&t->p->irt[item], th, r)))) {
            rc = rf_err_set(err, rc, "candidate %zu: %s", i, rf_cat_errmsg(s));
            break;
        }
    }
    (void)d;
    if (!rc)
        rc = rf_roletest_profile(s, &t->c->roles, pr, NULL, err);
    rf_cat_session_free(s);
    return rc;
}

/* A number, or null when it is not finite (a figure without data). */
static json_t *num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *result_json(const struct rf_kits *k, const struct rf_iv_sim_result *r,
                           const struct rf_iv_bank *b)
{
    json_t *sev = json_array(), *sk = json_array(), *ru = json_array();
    for (size_t i = 0; i < r->nraters; i++)
        json_array_append_new(sev, json_pack("{sisosososI}", "interviewer", (int)i, "true",
                                             num(r->sev_true[i]), "estimate", num(r->sev_est[i]),
                                             "se", num(r->sev_se[i]), "ratings",
                                             (json_int_t)r->calib.sev_n[i]));
    for (size_t s = 0; s < r->nskills; s++)
        if (r->skill_n[s])
            json_array_append_new(sk, json_pack("{sssIsfsf}", "skill", k->careers->tax.skills[s].id,
                                                "candidates", (json_int_t)r->skill_n[s], "sd_test",
                                                r->sd_test[s], "sd_test_loop", r->sd_both[s]));
    for (size_t u = 0; u < r->report.nrubrics; u++) {
        const struct rf_iv_rubric_stats *st = &r->report.rubric[u];
        json_t *flat = json_array();
        for (size_t j = b->first[u]; j < b->first[u + 1]; j++)
            if (r->report.crit[j].flat)
                json_array_append_new(flat, json_pack("{ssssss}", "criterion", b->ids[j], "why",
                                                      r->report.crit[j].why, "why_code",
                                                      r->report.crit[j].code));
        json_array_append_new(
            ru, json_pack("{sssIsIsoso}", "rubric", b->rubric_ids[u], "ratings",
                          (json_int_t)st->ratings, "pairs", (json_int_t)st->pairs, "kappa",
                          isfinite(st->kappa) ? json_real(st->kappa) : json_null(), "icc",
                          isfinite(st->icc) ? json_real(st->icc) : json_null()));
        json_object_set_new(json_array_get(ru, json_array_size(ru) - 1), "not_separating", flat);
    }
    json_t *o = json_pack("{sIsIsI}", "candidates", (json_int_t)r->ncand, "interviewers",
                          (json_int_t)r->nraters, "ratings", (json_int_t)r->nratings);
    json_t *sv = json_object(), *sd = json_object(), *sp = json_object(), *ca = json_object();
    if (!o || !sv || !sd || !sp || !ca) {
        json_decref(o);
        json_decref(sv);
        json_decref(sd);
        json_decref(sp);
        json_decref(ca);
        json_decref(sev);
        json_decref(sk);
        json_decref(ru);
        return NULL;
    }
    json_object_set_new(o, "severity", sv);
    json_object_set_new(sv, "rmse", num(r->sev_rmse));
    json_object_set_new(sv, "mean_se", num(r->sev_mean_se));
    json_object_set_new(sv, "coverage", num(r->sev_cover));
    json_object_set_new(sv, "interviewers", sev);
    json_object_set_new(o, "sd", sd);
    json_object_set_new(sd, "test", num(r->sd_test_mean));
    json_object_set_new(sd, "test_loop", num(r->sd_both_mean));
    json_object_set_new(sd, "reduction", num(1 - r->sd_both_mean / r->sd_test_mean));
    json_object_set_new(sd, "skills", sk);
    json_object_set_new(o, "spearman", sp);
    json_object_set_new(sp, "model", num(r->rho_model));
    json_object_set_new(sp, "loop_only", num(r->rho_loop));
    json_object_set_new(sp, "naive", num(r->rho_naive));
    json_object_set_new(sp, "test_only", num(r->rho_test));
    json_object_set_new(sp, "ratio", num(r->rho_model / r->rho_naive));
    json_object_set_new(sp, "ratio_loop_only", num(r->rho_loop / r->rho_naive));
    json_object_set_new(sp, "roles", json_integer((json_int_t)r->nroles));
    json_object_set_new(o, "calibration", ca);
    json_object_set_new(ca, "iterations", json_integer((json_int_t)r->calib.iter));
    json_object_set_new(ca, "converged", json_boolean(r->calib.converged));
    json_object_set_new(ca, "loglik", num(r->calib.loglik));
    json_object_set_new(ca, "criteria_rmse", json_integer((json_int_t)r->ncrit_rmse));
    json_object_set_new(ca, "a_rmse", num(r->a_rmse));
    json_object_set_new(ca, "b_rmse", num(r->b_rmse));
    json_object_set_new(o, "rubrics", ru);
    return o;
}

static void print_result(const struct rf_kits *k, const struct rf_iv_sim_result *r,
                         const struct rf_iv_bank *b)
{
    printf("%zu candidates, %zu interviewers, %zu ratings; calibration %s after %zu cycles\n\n",
           r->ncand, r->nraters, r->nratings, r->calib.converged ? "converged" : "NOT converged",
           r->calib.iter);
    printf("Severity: RMSE %.3f (target <= 0.15), mean SE %.3f, coverage of +-1.96 SE %.2f\n",
           r->sev_rmse, r->sev_mean_se, r->sev_cover);
    printf("  %-11s %7s %9s %6s %7s\n", "interviewer", "true", "estimate", "SE", "ratings");
    for (size_t i = 0; i < r->nraters; i++)
        printf("  %-11zu %7.3f %9.3f %6.3f %7zu\n", i, r->sev_true[i], r->sev_est[i], r->sev_se[i],
               r->calib.sev_n[i]);
    printf("Criteria with >= 100 ratings (%zu): slope RMSE %.3f, threshold RMSE %.3f\n\n",
           r->ncrit_rmse, r->a_rmse, r->b_rmse);
    if (r->sd_test_mean > 0) {
        printf("Posterior SD per skill (candidates whose test and loop both measure it):\n");
        printf("  %-28s %6s %6s %10s %9s\n", "skill", "n", "test", "test+loop", "reduction");
        for (size_t s = 0; s < r->nskills; s++)
            if (r->skill_n[s])
                printf("  %-28s %6zu %6.3f %10.3f %8.0f%%\n", k->careers->tax.skills[s].id,
                       r->skill_n[s], r->sd_test[s], r->sd_both[s],
                       100 * (1 - r->sd_both[s] / r->sd_test[s]));
        printf("  %-28s %6s %6.3f %10.3f %8.0f%% (target >= 30%%)\n\n", "all", "", r->sd_test_mean,
               r->sd_both_mean, 100 * (1 - r->sd_both_mean / r->sd_test_mean));
    }
    printf("Ranking within a role against the truth (Spearman, mean over %zu roles):\n", r->nroles);
    printf("  model (test + loop) %.3f, model (loop alone) %.3f, naive raw-score mean %.3f, "
           "test alone %.3f\n",
           r->rho_model, r->rho_loop, r->rho_naive, r->rho_test);
    printf("  ratio model / naive %.3f, loop-alone model / naive %.3f\n\n",
           r->rho_model / r->rho_naive, r->rho_loop / r->rho_naive);
    printf("Agreement on double-scored rounds:\n  %-26s %7s %6s %6s %6s  %s\n", "rubric", "ratings",
           "pairs", "kappa", "ICC", "criteria that do not separate candidates");
    for (size_t u = 0; u < r->report.nrubrics; u++) {
        const struct rf_iv_rubric_stats *st = &r->report.rubric[u];
        printf("  %-26s %7zu %6zu %6.3f %6.3f ", b->rubric_ids[u], st->ratings, st->pairs,
               st->kappa, st->icc);
        int any = 0;
        for (size_t j = b->first[u]; j < b->first[u + 1]; j++)
            if (r->report.crit[j].flat) {
                printf(" %s (%s)", b->ids[j], r->report.crit[j].why);
                any = 1;
            }
        printf("%s\n", any ? "" : " -");
    }
}

int rf_simulate_interviews(int argc, char **argv)
{
    const char *cmd = "simulate", *data = rf_cli_default_path("data"), *bank = NULL, *n_s = NULL,
               *r_s = NULL, *sd_s = NULL, *seed_s = NULL;
    int json = 0, help = 0, iv = 0, no_test = 0;
    struct rf_cli_opt opts[] = {{"interviews", 0, NULL, &iv},    {"examinees", 1, &n_s, NULL},
                                {"interviewers", 1, &r_s, NULL}, {"severity-sd", 1, &sd_s, NULL},
                                {"seed", 1, &seed_s, NULL},      {"data", 1, &data, NULL},
                                {"bank", 1, &bank, NULL},        {"no-test", 0, NULL, &no_test},
                                {"json", 0, NULL, &json}};
    const char *pos[1];
    size_t npos;
    int ec =
        rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    struct rf_iv_sim_opts o;
    rf_iv_sim_opts_init(&o);
    unsigned long long seed = 1;
    if ((n_s && (ec = rf_cli_size(cmd, "examinees", n_s, 2, 100000, &o.ncand))) ||
        (r_s && (ec = rf_cli_size(cmd, "interviewers", r_s, 2, 1000, &o.nraters))) ||
        (sd_s && (ec = rf_cli_double(cmd, "--severity-sd", sd_s, 0, 5, &o.sev_sd))) ||
        (seed_s && (ec = rf_cli_u64(cmd, "--seed", seed_s, &seed))))
        return ec;
    if (no_test && bank)
        return rf_cli_usage_error(cmd, "--bank does not go with --no-test");
    o.seed = seed;
    struct rf_careers c;
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/interviews.json", data);
    if ((rc = rf_kits_load(path, &c, &k, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    struct tests t = {.c = &c};
    struct rf_quad q = {0};
    struct rf_iv_bank b = {0};
    struct rf_iv_sim_result res = {0};
    int have = 0;
    if (!no_test) {
        char bp[4096];
        snprintf(bp, sizeof bp, "%s/bank", data);
        struct rf_bank bk;
        if (!(rc = rf_quad_init_default(&q, &err)) &&
            !(rc = rf_bank_load_dir(bank ? bank : bp, &bk, &err))) {
            rc = rf_cat_pool_from_bank(&bk, RF_CAT_POOL_SCORED, &q, &t.p, &err);
            rf_bank_cleanup(&bk);
        }
        if (!rc && !(t.d = calloc(c.roles.n, sizeof *t.d)))
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < c.roles.n; i++)
            rc = rf_roletest_design(&t.d[i], t.p, &c.roles, &c.roles.roles[i], &err);
        o.test = take_test;
        o.ctx = &t;
    }
    if (!rc && !(rc = rf_iv_simulate(&k, &o, &res, &err)) &&
        !(rc = rf_iv_bank_from_kits(&k, &b, &err)))
        have = 1;
    if (rc) {
        ec = rf_cli_fail(cmd, rc, err.msg);
    } else if (json) {
        json_t *j = result_json(&k, &res, &b);
        if (!j)
            ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        else
            rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
    } else {
        printf("Interview study: seed %llu, %s\n", seed,
               no_test ? "no test (the loop alone)" : "the role test, then the loop");
        print_result(&k, &res, &b);
    }
    if (have)
        rf_iv_sim_cleanup(&res);
    rf_iv_bank_cleanup(&b);
    free(t.d);
    rf_cat_pool_free(t.p);
    rf_quad_cleanup(&q);
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
    return ec;
}
