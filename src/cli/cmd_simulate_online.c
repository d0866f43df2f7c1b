/* `rolefit simulate --online-curve`: does the bank learn from use? The
 * curve of issue 19 (server/onlinesim.h, docs/calibration.md "Does the bank
 * learn: the curve over 1,000 tests"). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "bank/skills.h"
#include "base/config.h"
#include "base/json.h"
#include "careers/roles.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/quad.h"
#include "calib/recal.h"
#include "server/onlinesim.h"

static const char usage[] =
    "usage: rolefit simulate --online-curve [--bank DIR] [--data DIR] [--roles FILE]\n"
    "                        [--tests N[,N...]] [--examinees N] [--live P]\n"
    "                        [--learn recalibrate|drift|eb] [--accept ready|all]\n"
    "                        [--eb-abilities em|loo] [--eb-latent mean|free|fixed]\n"
    "                        [--eb-anchor pooled|rated] [--eb-max-shift X]\n"
    "                        [--pretest-items M] [--pretest K] [--seed S] [--threads T]\n"
    "                        [--json]\n\n"
    "Does the bank learn from use (issue 19; docs/calibration.md \"Does the bank learn\")?\n"
    "A hidden true bank is drawn from the bank's items (a ~ U(0.6, 2.0), c ~ U(0.1, 0.3)\n"
    "for multiple choice, b = the rated b + N(0, 0.5^2), a graded item's thresholds\n"
    "shifted alike); the product's bank starts at the authors' priors (a = 1, c = 1/k).\n"
    "Live role tests (every role's test in turn, the operational pool, K pretest items\n"
    "seeded a test as the server seeds them) are answered from the true bank. After each\n"
    "of the --tests checkpoints (default 250,500,1000) the review queue's calibrations run\n"
    "over every stored answer (pretest items with the operational ones fixed; the\n"
    "operational items re-estimated, or only their drift) and staff are assumed to accept\n"
    "what the queue marks ready. At 0 tests and each checkpoint the same N role people\n"
    "(default 1200; person i of role i mod R) take their role's test, answered from the\n"
    "true bank, scored with the current one. Prints per checkpoint the mean per-skill\n"
    "posterior SD and the closest-role accuracy, and the same for the true parameters.\n\n"
    "  --bank DIR         the bank (default DIR/bank of --data)\n"
    "  --data DIR         skills.json and roles.json (default data)\n"
    "  --roles FILE       roles (default DIR/roles.json)\n"
    "  --tests N[,N...]   live tests at each checkpoint, increasing (default 250,500,1000)\n"
    "  --examinees N      role people measured at each checkpoint (default 1200)\n"
    "  --live P           who takes the live tests: reference (theta ~ N(0, 1), the\n"
    "                     default: the scale the calibration assumes), role or mix\n"
    "  --learn L          eb (default, what the product's review queue does: every\n"
    "                     operational item by empirical-Bayes priors centred on its rated\n"
    "                     b, their hyperparameters and each skill's latent distribution\n"
    "                     estimated from all answers; the whole bank accepted when it\n"
    "                     predicts held-out tests' answers better, see docs/calibration.md\n"
    "                     \"Learning the whole bank\"), recalibrate (every operational item's\n"
    "                     a, b, c by the online calibration's EM, all free, latent N(0, 1))\n"
    "                     or drift (a flagged item's location shift only)\n"
    "  --eb-abilities A   eb: em (default: each test's full posterior of the skill) or\n"
    "                     loo (each answer's leave-one-out posterior)\n"
    "  --eb-latent L      eb: each skill's latent mean (default: SD 1), free (mean and SD)\n"
    "                     or fixed (N(0, 1))\n"
    "  --eb-anchor A      eb: where each skill's origin comes from: pooled (default: its\n"
    "                     rated b's and its takers, pooled over skills by a hierarchical\n"
    "                     prior on the latent means) or rated (the rated b's alone, as\n"
    "                     before; docs/calibration.md \"Anchoring the scale\")\n"
    "  --eb-max-shift X   eb: the verdict guard's bound on a skill's held-out mean score\n"
    "                     shift (default 0.2; 0: no guard)\n"
    "  --accept A         ready (default: what passes the promotion rules; for eb, what the\n"
    "                     held-out rule accepts) or all (every estimate within the linter's\n"
    "                     ranges: what the data could give)\n"
    "  --pretest-items M  operational items turned pretest at the start (default 0)\n"
    "  --pretest K        pretest items seeded a live test (default 3, at most 8)\n"
    "  --seed S           seed (default 1); the same results for any --threads\n"
    "  --threads T        worker threads (default 1)\n"
    "  --json             JSON instead of text\n";

/* Parses "250,500,1000" into o; 0 on success. */
static int parse_tests(const char *cmd, const char *s, struct rf_onlinesim_opts *o)
{
    o->ncheck = 0;
    const char *p = s;
    for (;;) {
        char *end;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || (*end && *end != ',') || v == 0 || v > 10000000ULL ||
            o->ncheck == RF_ONLINESIM_MAX_CHECKPOINTS ||
            (o->ncheck && v <= o->checkpoints[o->ncheck - 1]) || *p == '-' || *p == '+')
            return rf_cli_usage_error(cmd,
                                      "--tests: expected up to %d increasing positive counts "
                                      "separated by commas, got '%s'",
                                      RF_ONLINESIM_MAX_CHECKPOINTS, s);
        o->checkpoints[o->ncheck++] = (size_t)v;
        if (!*end)
            return 0;
        p = end + 1;
    }
}

/* null for a value that is not finite (JSON has no NaN) */
static json_t *real_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Where each skill's scale sits against the truth (onlinesim.h). */
static json_t *scale_json(const struct rf_onlinesim_point *p, const struct rf_taxonomy *tax)
{
    json_t *sk = json_array();
    for (size_t t = 0; sk && t < tax->nskills && t < RF_ONLINESIM_MAX_SKILLS; t++)
        if (p->skill_n[t] || isfinite(p->bank_origin[t]))
            json_array_append_new(sk, json_pack("{s:s, s:I, s:o, s:o}", "skill", tax->skills[t].id,
                                                "measured", (json_int_t)p->skill_n[t], "score_bias",
                                                real_or_null(p->skill_bias[t]), "bank_origin",
                                                real_or_null(p->bank_origin[t])));
    return sk ? json_pack("{s:o, s:o, s:o, s:o}", "score_bias_rms", real_or_null(p->bias_rms),
                          "bank_origin_rms", real_or_null(p->bank_origin_rms), "loga_bias",
                          real_or_null(p->bank_loga_bias), "skills", sk)
              : NULL;
}

static json_t *point_json(const struct rf_onlinesim_point *p, const struct rf_taxonomy *tax)
{
    json_t *o = json_pack("{s:I, s:f, s:f, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f}", "tests",
                          (json_int_t)p->tests, "answers_per_item", p->answers_per_item,
                          "pretest_answers_per_item", p->pretest_answers, "estimated",
                          (json_int_t)p->estimated, "promoted", (json_int_t)p->promoted, "rmse_a",
                          p->rmse_a, "rmse_b", p->rmse_b, "length", p->len, "sd", p->sd,
                          "theta_rmse", p->theta_rmse, "closest_own", p->closest);
    if (o)
        json_object_set_new(o, "items_with_200_answers", json_integer((json_int_t)p->answered200));
    if (o)
        json_object_set_new(o, "reestimated_with_200",
                            json_pack("{s:I, s:I, s:I, s:I}", "items", (json_int_t)p->n200,
                                      "fail_se_a", (json_int_t)p->fail_se_a, "fail_se_b",
                                      (json_int_t)p->fail_se_b, "fail_fit",
                                      (json_int_t)p->fail_fit));
    if (o)
        json_object_set_new(o, "coverage95", json_real(p->cover95));
    if (o)
        json_object_set_new(o, "scale", scale_json(p, tax));
    if (o && p->eb_run)
        json_object_set_new(o, "eb",
                            json_pack("{s:b, s:b, s:f, s:o, s:o, s:f, s:f, s:f, s:f, s:f, s:f, "
                                      "s:f, s:f, s:f}",
                                      "accepted", p->eb_accept, "scale_ok", p->eb_scale_ok,
                                      "shift_max", p->eb_shift_max, "mu0", real_or_null(p->lat_mu0),
                                      "tau", real_or_null(p->lat_tau), "ll_current",
                                      isfinite(p->ll_current) ? p->ll_current : 0, "ll_new",
                                      isfinite(p->ll_new) ? p->ll_new : 0, "ll_se",
                                      isfinite(p->ll_se) ? p->ll_se : 0, "mu_loga", p->mu_loga,
                                      "sd_loga", p->sd_loga, "sd_b", p->sd_b, "mu_c", p->mu_c,
                                      "latent_mean", p->latent_mean, "latent_sd", p->latent_sd));
    if (o && !isnan(p->est_rmse_a))
        json_object_set_new(o, "estimated_items",
                            json_pack("{s:f, s:f, s:f}", "rmse_a", p->est_rmse_a, "rmse_b",
                                      p->est_rmse_b, "bias_b", p->est_bias_b));
    return o;
}

int rf_simulate_online(int argc, char **argv)
{
    const char *cmd = "simulate", *data = rf_cli_default_path("data"), *bank_s = NULL,
               *roles_s = NULL, *tests_s = NULL, *n_s = NULL, *live_s = NULL, *learn_s = NULL,
               *accept_s = NULL, *pi_s = NULL, *pk_s = NULL, *seed_s = NULL, *threads_s = NULL,
               *abil_s = NULL, *lat_s = NULL, *anchor_s = NULL, *shift_s = NULL;
    int json = 0, help = 0, flag = 0;
    struct rf_cli_opt opts[] = {
        {"online-curve", 0, NULL, &flag},   {"bank", 1, &bank_s, NULL},
        {"data", 1, &data, NULL},           {"roles", 1, &roles_s, NULL},
        {"tests", 1, &tests_s, NULL},       {"examinees", 1, &n_s, NULL},
        {"live", 1, &live_s, NULL},         {"learn", 1, &learn_s, NULL},
        {"accept", 1, &accept_s, NULL},     {"pretest-items", 1, &pi_s, NULL},
        {"pretest", 1, &pk_s, NULL},        {"seed", 1, &seed_s, NULL},
        {"threads", 1, &threads_s, NULL},   {"json", 0, NULL, &json},
        {"eb-abilities", 1, &abil_s, NULL}, {"eb-latent", 1, &lat_s, NULL},
        {"eb-anchor", 1, &anchor_s, NULL},  {"eb-max-shift", 1, &shift_s, NULL}};
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
    struct rf_onlinesim_opts o;
    rf_onlinesim_opts_default(&o);
    unsigned long long seed = 1;
    if ((tests_s && (ec = parse_tests(cmd, tests_s, &o))) ||
        (n_s && (ec = rf_cli_size(cmd, "examinees", n_s, 1, 1000000, &o.nmeasure))) ||
        (pi_s && (ec = rf_cli_size(cmd, "pretest-items", pi_s, 0, 100000, &o.pretest_items))) ||
        (pk_s && (ec = rf_cli_size(cmd, "pretest", pk_s, 0, 8, &o.pretest_per_test))) ||
        (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &o.threads))) ||
        (seed_s && (ec = rf_cli_u64(cmd, "seed", seed_s, &seed))))
        return ec;
    o.seed = seed;
    if (live_s) {
        if (rf_rolesim_pop_parse(live_s, &o.live) ||
            (o.live != RF_ROLESIM_REFERENCE && o.live != RF_ROLESIM_ROLE &&
             o.live != RF_ROLESIM_MIX))
            return rf_cli_usage_error(cmd, "--live: expected reference, role or mix, got '%s'",
                                      live_s);
    }
    o.learn = RF_ONLINESIM_EB; /* what the product's review queue does */
    if (learn_s) {
        if (strcmp(learn_s, "recalibrate") == 0)
            o.learn = RF_ONLINESIM_RECALIBRATE;
        else if (strcmp(learn_s, "drift") == 0)
            o.learn = RF_ONLINESIM_DRIFT;
        else if (strcmp(learn_s, "eb") == 0)
            o.learn = RF_ONLINESIM_EB;
        else
            return rf_cli_usage_error(cmd, "--learn: expected recalibrate, drift or eb, got '%s'",
                                      learn_s);
    }
    if (abil_s) {
        if (strcmp(abil_s, "em") == 0)
            o.eb_abilities = RF_RECAL_ABILITY_EM;
        else if (strcmp(abil_s, "loo") == 0)
            o.eb_abilities = RF_RECAL_ABILITY_LOO;
        else
            return rf_cli_usage_error(cmd, "--eb-abilities: expected em or loo, got '%s'", abil_s);
    }
    if (lat_s) {
        if (strcmp(lat_s, "mean") == 0)
            o.eb_latent = RF_RECAL_LATENT_MEAN;
        else if (strcmp(lat_s, "free") == 0)
            o.eb_latent = RF_RECAL_LATENT_FREE;
        else if (strcmp(lat_s, "fixed") == 0)
            o.eb_latent = RF_RECAL_LATENT_FIXED;
        else
            return rf_cli_usage_error(cmd, "--eb-latent: expected mean, free or fixed, got '%s'",
                                      lat_s);
    }
    if (anchor_s) {
        if (strcmp(anchor_s, "pooled") == 0)
            o.eb_anchor = RF_RECAL_ANCHOR_POOLED;
        else if (strcmp(anchor_s, "rated") == 0)
            o.eb_anchor = RF_RECAL_ANCHOR_RATED;
        else
            return rf_cli_usage_error(cmd, "--eb-anchor: expected pooled or rated, got '%s'",
                                      anchor_s);
    }
    if (shift_s) {
        char *end;
        double v = strtod(shift_s, &end);
        if (end == shift_s || *end || !(v >= 0 && v <= 10))
            return rf_cli_usage_error(cmd, "--eb-max-shift: expected a number in [0, 10], got '%s'",
                                      shift_s);
        o.eb_max_shift = v;
    }
    if (accept_s) {
        if (strcmp(accept_s, "ready") == 0)
            o.accept_all = 0;
        else if (strcmp(accept_s, "all") == 0)
            o.accept_all = 1;
        else
            return rf_cli_usage_error(cmd, "--accept: expected ready or all, got '%s'", accept_s);
    }
    char bp[4096], path[4096];
    snprintf(bp, sizeof bp, "%s/bank", data);
    const char *bank_dir = bank_s ? bank_s : bp;
    struct stat sb;
    if (stat(bank_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rf_cli_usage_error(cmd, "--bank: %s: expected a bank directory", bank_dir);
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_taxonomy tax = {0};
    struct rf_roles roles = {0};
    struct rf_bank bank;
    struct rf_quad q = {0};
    struct rf_onlinesim_result r;
    json_t *out = NULL;
    rf_bank_init(&bank);
    snprintf(path, sizeof path, "%s/skills.json", data);
    rf_status rc = rf_taxonomy_load(path, &tax, &err);
    if (!rc) {
        snprintf(path, sizeof path, "%s/roles.json", data);
        rc = rf_roles_load(roles_s ? roles_s : path, &tax, &roles, &err);
    }
    if (!rc)
        rc = rf_quad_init_default(&q, &err);
    if (!rc)
        rc = rf_bank_load_dir(bank_dir, &bank, &err);
    if (!rc)
        rc = rf_onlinesim_run(&bank, &roles, &q, &o, &r, &err);
    if (rc)
        goto done;
    const char *learn = o.learn == RF_ONLINESIM_DRIFT ? "drift"
                        : o.learn == RF_ONLINESIM_EB  ? "eb"
                                                      : "recalibrate";
    const char *accept = o.accept_all ? "all" : "ready";
    if (json) {
        json_t *pts = json_array();
        for (size_t k = 0; k < r.npoints; k++)
            json_array_append_new(pts, point_json(&r.points[k], &tax));
        out = json_pack(
            "{s:{s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:I}, s:o, s:o}", "settings", "bank",
            bank_dir, "operational_items", (json_int_t)r.items, "examinees", (json_int_t)o.nmeasure,
            "live", rf_rolesim_pop_name(o.live), "learn", learn, "accept", accept, "pretest_items",
            (json_int_t)o.pretest_items, "pretest_per_test", (json_int_t)o.pretest_per_test, "seed",
            (json_int_t)seed, "curve", pts, "calibrated", point_json(&r.calibrated, &tax));
        char *s = out ? rf_json_dumps_out(out, JSON_INDENT(2)) : NULL;
        if (!s) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        puts(s);
        free(s);
        goto done;
    }
    printf("Does the bank learn: %zu operational items, live takers %s, learn %s, accept %s, "
           "%zu pretest items (%zu a test), %zu role people measured, seed %llu\n",
           r.items, rf_rolesim_pop_name(o.live), learn, accept, o.pretest_items, o.pretest_per_test,
           o.nmeasure, seed);
    printf("%8s %10s %9s %9s %8s %8s %7s %7s %9s %8s %8s %7s\n", "tests", "answers/it", "estimated",
           "promoted", "RMSE a", "RMSE b", "length", "SD", "RMSE th", "closest", "RMSE/SD",
           "cover");
    for (size_t k = 0; k < r.npoints; k++) {
        const struct rf_onlinesim_point *p = &r.points[k];
        printf("%8zu %10.1f %9zu %9zu %8.3f %8.3f %7.1f %7.3f %9.3f %7.1f%% %8.3f %6.1f%%\n",
               p->tests, p->answers_per_item, p->estimated, p->promoted, p->rmse_a, p->rmse_b,
               p->len, p->sd, p->theta_rmse, 100 * p->closest, p->theta_rmse / p->sd,
               100 * p->cover95);
    }
    printf("operational items with %d scored answers or more:", RF_ONLINE_MIN_N);
    for (size_t k = 1; k < r.npoints; k++)
        printf(" %zu tests %zu%s", r.points[k].tests, r.points[k].answered200,
               k + 1 < r.npoints ? ";" : "\n");
    if (o.learn == RF_ONLINESIM_RECALIBRATE) {
        printf("of the items re-estimated from %d answers or more, failing SE(a) / SE(b) / fit:",
               RF_ONLINE_MIN_N);
        for (size_t k = 1; k < r.npoints; k++)
            printf(" %zu tests %zu of %zu / %zu / %zu%s", r.points[k].tests, r.points[k].fail_se_a,
                   r.points[k].n200, r.points[k].fail_se_b, r.points[k].fail_fit,
                   k + 1 < r.npoints ? ";" : "\n");
    }
    printf("estimated dichotomous items against the truth (RMSE a, RMSE b, mean error of b):");
    for (size_t k = 1; k < r.npoints; k++) {
        const struct rf_onlinesim_point *p = &r.points[k];
        if (isnan(p->est_rmse_a))
            printf(" %zu tests none", p->tests);
        else
            printf(" %zu tests %.3f/%.3f/%+.3f", p->tests, p->est_rmse_a, p->est_rmse_b,
                   p->est_bias_b);
        printf("%s", k + 1 < r.npoints ? ";" : "\n");
    }
    printf("%8s %10s %9s %9s %8.3f %8.3f %7.1f %7.3f %9.3f %7.1f%% %8.3f %6.1f%%\n", "true", "-",
           "-", "-", r.calibrated.rmse_a, r.calibrated.rmse_b, r.calibrated.len, r.calibrated.sd,
           r.calibrated.theta_rmse, 100 * r.calibrated.closest,
           r.calibrated.theta_rmse / r.calibrated.sd, 100 * r.calibrated.cover95);
    if (o.learn == RF_ONLINESIM_EB) {
        printf("eb, held-out log-likelihood per answer, current -> re-estimated (SE of the gain), "
               "accepted; hyperparameters mu log a / sd log a / sd b / mu c; latent mean / SD "
               "(skills' average):\n");
        for (size_t k = 1; k < r.npoints; k++) {
            const struct rf_onlinesim_point *p = &r.points[k];
            if (isfinite(p->ll_se))
                printf("  %zu tests: %.4f -> %.4f (%.4f) %s;", p->tests, p->ll_current, p->ll_new,
                       p->ll_se, p->eb_accept ? "yes" : "no");
            else
                printf("  %zu tests: too few held-out tests, no;", p->tests);
            printf(" %.3f / %.3f / %.3f / %.3f; %+.3f / %.3f; anchor mu0 %+.3f tau %.3f; largest "
                   "scale shift %.3f%s\n",
                   p->mu_loga, p->sd_loga, p->sd_b, p->mu_c, p->latent_mean, p->latent_sd,
                   p->lat_mu0, p->lat_tau, p->eb_shift_max,
                   p->eb_scale_ok ? "" : " (refused by the verdict guard)");
        }
    }
    printf("scale against the truth: RMS over skills of the measured people's mean score error / "
           "of the bank's mean b error; mean log(a / true a):\n");
    for (size_t k = 0; k <= r.npoints; k++) {
        const struct rf_onlinesim_point *p = k < r.npoints ? &r.points[k] : &r.calibrated;
        if (k < r.npoints)
            printf("  %zu tests:", p->tests);
        else
            printf("  true:");
        printf(" %.3f / %.3f; %+.3f\n", p->bias_rms, p->bank_origin_rms, p->bank_loga_bias);
    }
    if (o.pretest_items && r.npoints > 1)
        printf("pretest answers per pretest item at the last checkpoint: %.1f\n",
               r.points[r.npoints - 1].pretest_answers);
done:
    json_decref(out);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_roles_cleanup(&roles);
    rf_taxonomy_cleanup(&tax);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
