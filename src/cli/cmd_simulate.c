/* `rolefit simulate`: simulation study of an adaptive design over a bank: a
 * design from the command line, or (--role, --find-role) the design of the
 * server's role tests, built by rf_roletest_design as the server builds it. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "bank/params.h"
#include "bank/skills.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "careers/roles.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/quad.h"
#include "server/rolesim.h"
#include "server/roletest.h"

static const char usage[] =
    "usage: rolefit simulate (--bank BANK | --generate-bank J [--model 2pl|3pl])\n"
    "                        [--examinees N] [--skills a,b] [--select mfi|kl|pwi] [--se X]\n"
    "                        [--max-items N] [--min-items N] [--randomesque K] [--seed S]\n"
    "                        [--threads T] [--thetas FILE] [--sh TARGET] [--sh-rounds R]\n"
    "                        [--sh-out FILE] [--exposure FILE] [--pool P]\n"
    "                        [--no-early-stop] [--json]\n"
    "       rolefit simulate (--role ID | --find-role) [--data DIR] [--roles FILE]\n"
    "                        (--bank BANK | --generate-bank J [--model 2pl|3pl])\n"
    "                        [--examinees N] [--seed S] [--threads T] [--thetas FILE]\n"
    "                        [--sh TARGET] [--sh-rounds R] [--sh-out FILE] [--exposure FILE]\n"
    "                        [--pool P] [--json]\n"
    "       rolefit simulate --population P[,P...] [--role ID | --find-role] [--data DIR]\n"
    "                        [--roles FILE] (--bank DIR | --generate-bank J [--model M])\n"
    "                        [--examinees N] [--seed S] [--threads T] [--pool P] [--json]\n"
    "       rolefit simulate --interviews [...]  (rolefit simulate --interviews --help)\n"
    "       rolefit simulate --online-curve [...]  (rolefit simulate --online-curve --help)\n\n"
    "Simulates examinees taking the adaptive test and reports how well it measures them:\n"
    "test length (mean, SD, min, max, histogram, share stopped short of the SE target),\n"
    "per-skill bias, RMSE and mean SE of theta, coverage of the 95% interval, item\n"
    "exposure (max, mean) and test overlap; and the same figures for a fixed form of\n"
    "equal length (per skill the items with the most prior-weighted information).\n"
    "Results are identical for a given seed whatever the number of threads.\n\n"
    "  --bank BANK        a bank directory (data/bank) or a parameter file (JSON or CSV,\n"
    "                     the calibration output; an item's skill is its id up to the first '.')\n"
    "  --generate-bank J  a synthetic bank of J items per skill: a ~ lognormal(0, 0.25),\n"
    "                     b ~ N(0, 1) clipped to +-2.8, c ~ U(0.10, 0.25) for --model 3pl\n"
    "  --model M          model of the generated bank, 2pl (default) or 3pl\n"
    "  --examinees N      simulated examinees (default 1000); true theta ~ N(0, 1) per skill,\n"
    "                     independent across skills\n"
    "  --thetas FILE      true thetas instead: CSV with a header naming the skills of the\n"
    "                     scope and one row per examinee\n"
    "  --skills a,b       the scope (default: every skill of the bank; for a generated\n"
    "                     bank the skill names, default 'skill')\n"
    "  --select R         item selection: mfi (maximum Fisher information at the EAP,\n"
    "                     default), kl (posterior-weighted Kullback-Leibler), pwi\n"
    "                     (posterior-weighted information)\n"
    "  --se X             SE target per skill (default 0.30)\n"
    "  --max-items N      overall and per-skill maximum (default 40)\n"
    "  --min-items N      per-skill minimum (default 0)\n"
    "  --randomesque K    choose at random among the K best items (default 5)\n"
    "  --sh TARGET        Sympson-Hetter exposure control: first set each item's exposure\n"
    "                     parameter by iterated simulation (seed S+1) so that no item is\n"
    "                     given to more than TARGET of the examinees, then run the study\n"
    "  --sh-rounds R      most rounds of that iteration (default 30)\n"
    "  --sh-out FILE      write the exposure parameters found by --sh (for --exposure)\n"
    "  --exposure FILE    apply exposure parameters from FILE instead of finding them\n"
    "  --no-early-stop    keep testing a skill whose SE target is out of reach within its\n"
    "                     remaining items (default: stop it)\n"
    "  --seed S           random seed (default 1)\n"
    "  --threads T        worker threads (default 2)\n"
    "  --pool P           the items of a bank directory a test may ask: operational (an\n"
    "                     organization's invited tests), practice (open practice tests) or\n"
    "                     all (every item scored without a rater; docs/bank-format.md\n"
    "                     \"Pools\"). Default: the live test's pool: operational for --role\n"
    "                     and every role's test (an invited role test), practice for\n"
    "                     --find-role (open practice) and its confirm stage; a design from\n"
    "                     the command line: every item of the bank, as before pools\n"
    "  --json             one JSON object: settings, adaptive, baseline\n\n"
    "The design of the server's tests (what 'rolefit serve' gives; calibrate the file of\n"
    "'serve --exposure' with these):\n"
    "  --role ID          a test for role ID: its skills, the roles as classes\n"
    "  --find-role        a \"find my role\" test: every skill some role requires that the\n"
    "                     bank has items for, the roles as classes\n"
    "  --data DIR         folder with skills.json and roles.json (default data)\n"
    "  --roles FILE       the roles (default DIR/roles.json)\n"
    "With --role or --find-role the scope, item limits, SE target, selection and stopping\n"
    "are the server's, so --skills, --select, --se, --max-items, --min-items,\n"
    "--randomesque and --no-early-stop are refused; in a bank directory every item\n"
    "scored without a rater is given (multiple choice, numeric, multiple select), as in\n"
    "the server. A generated bank has J items\n"
    "for every skill of DIR/skills.json.\n\n"
    "Who takes the server's tests, and what their reports say (docs/careers.md):\n"
    "  --population P     reference (theta ~ N(0, 1)), role (on each skill the role requires,\n"
    "                     theta ~ N(centre of the level's band, 0.4^2), else N(0, 1)), mix\n"
    "                     (each person reference or role with probability 1/2), random\n"
    "                     (answers at random), perfect (every answer right), other (the\n"
    "                     people of another role than the test's), takers (the people the\n"
    "                     test's prior describes: the test's role's people with its class\n"
    "                     weight, else evenly a role's people or a random responder); a comma\n"
    "                     list, or all. --truth-loading L: people's skills correlate through one\n"
    "                     factor g (theta = centre + spread (L g + sqrt(1 - L^2) e); default 0,\n"
    "                     independent skills). --prior-weight W --prior-loading L: what if\n"
    "                     the test's prior had class weight W (find my role: shared among the\n"
    "                     roles) and every loading L, instead of the product's (studies only).\n"
    "                     --confirm N (with --find-role): then the confirm stage the report\n"
    "                     offers, at most N items (the product's: 20) on the undecided\n"
    "                     requirements of the --confirm-roles R (default 1) most likely\n"
    "                     roles, the first test's answers carried; figures after both stages\n"
    "                     (own role's calls, the confirmed role's, closest roles, items).\n"
    "                     --confirm-own: people with a role of their own confirm it (they\n"
    "                     name it), not the offered role. --confirm-named: everyone names\n"
    "                     the role their calls are read on (their own; for N(0, 1) people\n"
    "                     and random responders role i mod R).\n"
    "                     The test: --role ID, --find-role (each person of role\n"
    "                     i mod R), or neither (person i takes role i mod R's test). Answers\n"
    "                     are drawn with a = 1, c = 1/k (not the bank's claimed slopes; a\n"
    "                     generated bank's own parameters). Per population: mean length;\n"
    "                     of the target role's requirement calls, the decisive share\n"
    "                     (P(meets) < 0.2 or > 0.8), the wrong share among them, Brier score\n"
    "                     and calibration error (random responders meet no bar, perfect\n"
    "                     ones every bar); fit; closest role = own role, = the test's role,\n"
    "                     the mean top role probability and P(no role); the share of skills and task areas\n"
    "                     measured; said vs right per decile. --examinees (default 1000),\n"
    "                     --seed, --threads and --json as above; other options are refused.\n";

/* Loads BANK (directory or parameter file) into a pool; flags (RF_CAT_POOL_*)
 * apply to a directory; a parameter file has no pools (refused with
 * pool_given: --pool). */
static rf_status load_pool(const char *path, int flags, int pool_given, const struct rf_quad *q,
                           struct rf_cat_pool **out, struct rf_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return rf_err_set(err, RF_EIO, "%s: no such file or directory", path);
    if (S_ISDIR(st.st_mode)) {
        struct rf_bank b;
        rf_status rc = rf_bank_load_dir(path, &b, err);
        if (rc)
            return rc;
        rc = rf_cat_pool_from_bank(&b, flags, q, out, err);
        rf_bank_cleanup(&b);
        return rc;
    }
    if (pool_given)
        return rf_err_set(err, RF_EINVAL,
                          "%s: a parameter file has no pools; --pool needs a bank directory",
                          path);
    struct rf_param_table t;
    rf_status rc = rf_params_load(path, &t, err);
    if (rc)
        return rc;
    struct rf_cat_item *items = rf_calloc_array(t.n ? t.n : 1, sizeof *items);
    char **skills = rf_calloc_array(t.n ? t.n : 1, sizeof *skills);
    if (!items || !skills) {
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < t.n; i++) {
        const char *dot = strchr(t.ids[i], '.');
        skills[i] = dot ? rf_strndup(t.ids[i], (size_t)(dot - t.ids[i])) : rf_strdup(t.ids[i]);
        if (!skills[i]) {
            rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            goto out;
        }
        items[i].id = t.ids[i];
        items[i].skill = dot ? skills[i] : "default";
        items[i].irt = t.items[i];
        items[i].usable = 1;
    }
    rc = rf_cat_pool_new(items, t.n, q, out, err);
    if (rc)
        rf_err_prefix(err, "%s", path);
out:
    if (skills)
        for (size_t i = 0; i < t.n; i++)
            free(skills[i]);
    free(skills);
    free(items);
    rf_params_cleanup(&t);
    return rc;
}

/* Splits a comma list into at most max fields (in place). */
static size_t split(char *s, char **out, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < max + 1; tok = strtok(NULL, ","))
        out[n++] = tok;
    return n;
}

/* Reads the true thetas file: header of scope skill names (any order), one row per examinee. */
static rf_status load_thetas(const char *path, const struct rf_cat_pool *p,
                             const struct rf_cat_design *d, double **out, size_t *n,
                             struct rf_err *err)
{
    struct rf_csv c;
    rf_status rc = rf_csv_open_file(&c, path);
    if (rc) {
        rf_err_set(err, rc, "%s", rf_err_msg(&c.err));
        rf_csv_cleanup(&c);
        return rc;
    }
    size_t col[RF_CAT_MAX_SCOPE], cap = 0, rows = 0;
    double *th = NULL;
    int eof;
    if ((rc = rf_csv_next(&c, &eof)) || eof) {
        rc = rc ? rf_err_set(err, rc, "%s", rf_err_msg(&c.err))
                : rf_err_set(err, RF_EINVAL, "%s: empty file", path);
        goto out;
    }
    size_t ncols = c.nfields;
    for (size_t k = 0; k < d->nscope; k++) {
        col[k] = SIZE_MAX;
        for (size_t f = 0; f < ncols; f++)
            if (strcmp(c.fields[f], p->skills[d->scope[k]]) == 0)
                col[k] = f;
        if (col[k] == SIZE_MAX) {
            rc = rf_err_set(err, RF_EINVAL, "%s:1: no column for skill '%s'", path,
                            p->skills[d->scope[k]]);
            goto out;
        }
    }
    for (;;) {
        if ((rc = rf_csv_next(&c, &eof))) {
            rf_err_set(err, rc, "%s", rf_err_msg(&c.err));
            goto out;
        }
        if (eof)
            break;
        if (c.nfields != ncols) {
            rc = rf_err_set(err, RF_EINVAL, "%s:%zu: %zu fields, the header has %zu", path,
                            c.rec_line, c.nfields, ncols);
            goto out;
        }
        if (rows == cap) {
            size_t nc = cap ? 2 * cap : 1024;
            double *t2 = rf_realloc_array(th, nc * d->nscope, sizeof *th);
            if (!t2) {
                rc = rf_err_set(err, RF_ENOMEM, "out of memory");
                goto out;
            }
            th = t2;
            cap = nc;
        }
        for (size_t k = 0; k < d->nscope; k++)
            if (rf_parse_double(c.fields[col[k]], &th[rows * d->nscope + k])) {
                rc = rf_err_set(err, RF_EINVAL, "%s:%zu: column '%s': expected a number, got '%s'",
                                path, c.rec_line, p->skills[d->scope[k]], c.fields[col[k]]);
                goto out;
            }
        rows++;
    }
    if (rows == 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: no examinees", path);
out:
    rf_csv_cleanup(&c);
    if (rc) {
        free(th);
        return rc;
    }
    *out = th;
    *n = rows;
    return RF_OK;
}

static json_t *stats_json(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                          const struct rf_cat_sim_stats *st)
{
    json_t *hist = json_array();
    for (size_t l = 0; l < st->hist_n; l++)
        json_array_append_new(hist, json_integer((json_int_t)st->hist[l]));
    json_t *skills = json_array();
    for (size_t k = 0; k < d->nscope; k++) {
        const struct rf_cat_sim_skill *s = &st->skill[k];
        json_array_append_new(skills, json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "skill",
                                                p->skills[d->scope[k]], "items", s->mean_items,
                                                "bias", s->bias, "rmse", s->rmse, "mean_se",
                                                s->mean_se, "coverage", s->coverage));
    }
    return json_pack("{s:{s:f, s:f, s:I, s:I, s:f, s:f, s:o}, s:f, s:f, s:f, s:f, s:o, "
                     "s:{s:f, s:f}, s:f}",
                     "length", "mean", st->len_mean, "sd", st->len_sd, "min",
                     (json_int_t)st->len_min, "max", (json_int_t)st->len_max, "capped", st->capped,
                     "early_stop", st->early, "histogram", hist, "bias", st->bias, "rmse", st->rmse,
                     "mean_se", st->mean_se, "coverage", st->coverage, "skills", skills, "exposure",
                     "max", st->exp_max, "mean", st->exp_mean, "overlap", st->overlap);
}

static void print_stats(const char *title, const struct rf_cat_pool *p,
                        const struct rf_cat_design *d, const struct rf_cat_sim_stats *st)
{
    printf("%s\n", title);
    printf("  length    mean %.2f  sd %.2f  min %zu  max %zu  short of target %.1f%%"
           "  (early stop %.1f%%)\n",
           st->len_mean, st->len_sd, st->len_min, st->len_max, 100 * st->capped, 100 * st->early);
    printf("  theta     bias %+.3f  rmse %.3f  mean se %.3f  coverage %.3f\n", st->bias, st->rmse,
           st->mean_se, st->coverage);
    if (d->nscope > 1)
        for (size_t k = 0; k < d->nscope; k++)
            printf("    %-26s items %5.2f  bias %+.3f  rmse %.3f  mean se %.3f  coverage %.3f\n",
                   p->skills[d->scope[k]], st->skill[k].mean_items, st->skill[k].bias,
                   st->skill[k].rmse, st->skill[k].mean_se, st->skill[k].coverage);
    printf("  exposure  max %.3f  mean %.3f   overlap %.3f\n", st->exp_max, st->exp_mean,
           st->overlap);
}

/* What --role and --find-role need: the taxonomy, the roles, the role. */
struct roledata {
    struct rf_taxonomy tax;
    struct rf_roles roles;
    const struct rf_role *role; /* NULL for "find my role" */
};

/* Loads DIR/skills.json and the roles (roles_path, else DIR/roles.json), as
 * the server loads them from its --data folder. */
static rf_status load_roledata(const char *dir, const char *roles_path, struct roledata *rd,
                               struct rf_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/skills.json", dir);
    rf_status rc = rf_taxonomy_load(path, &rd->tax, err);
    if (rc)
        return rc;
    if (!roles_path) {
        snprintf(path, sizeof path, "%s/roles.json", dir);
        roles_path = path;
    }
    return rf_roles_load(roles_path, &rd->tax, &rd->roles, err);
}

/* "unknown role 'x' (roles: a, b, ...)" as a usage error. */
static int unknown_role(const char *cmd, const char *id, const struct rf_roles *roles)
{
    char list[1024];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = 0; i < roles->n && n < sizeof list; i++) {
        int w = snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", roles->roles[i].id);
        n = w < 0 ? sizeof list : n + (size_t)w;
    }
    return rf_cli_usage_error(cmd, "unknown role '%s' (roles: %s)", id, list);
}

/* The rule every scope skill has, or NULL when they differ. */
static const struct rf_cat_rule *common_rule(const struct rf_cat_design *d)
{
    for (size_t k = 1; k < d->nscope; k++)
        if (d->rule[k].se != d->rule[0].se || d->rule[k].min != d->rule[0].min ||
            d->rule[k].max != d->rule[0].max)
            return NULL;
    return d->nscope ? &d->rule[0] : NULL;
}

int rf_cmd_simulate(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--interviews") == 0)
            return rf_simulate_interviews(argc, argv);
        else if (strcmp(argv[i], "--online-curve") == 0)
            return rf_simulate_online(argc, argv);
    const char *cmd = "simulate";
    const char *bank = NULL, *gen_s = NULL, *model_s = "2pl", *n_s = NULL, *skills_s = NULL,
               *select_s = NULL, *se_s = NULL, *max_s = NULL, *min_s = NULL, *rq_s = NULL,
               *seed_s = NULL, *threads_s = NULL, *thetas = NULL, *sh_s = NULL, *shr_s = NULL,
               *sh_out = NULL, *exposure = NULL, *role_id = NULL, *data_s = NULL,
               *roles_path = NULL, *pop_s = NULL, *tl_s = NULL, *pw_s = NULL, *pl_s = NULL,
               *cf_s = NULL, *cfr_s = NULL, *pool_s = NULL;
    int json = 0, no_early = 0, help = 0, find_role = 0, confirm_own = 0, confirm_named = 0;
    struct rf_cli_opt opts[] = {
        {"bank", 1, &bank, NULL},
        {"generate-bank", 1, &gen_s, NULL},
        {"model", 1, &model_s, NULL},
        {"examinees", 1, &n_s, NULL},
        {"skills", 1, &skills_s, NULL},
        {"select", 1, &select_s, NULL},
        {"se", 1, &se_s, NULL},
        {"max-items", 1, &max_s, NULL},
        {"min-items", 1, &min_s, NULL},
        {"randomesque", 1, &rq_s, NULL},
        {"seed", 1, &seed_s, NULL},
        {"threads", 1, &threads_s, NULL},
        {"thetas", 1, &thetas, NULL},
        {"sh", 1, &sh_s, NULL},
        {"sh-rounds", 1, &shr_s, NULL},
        {"json", 0, NULL, &json},
        {"sh-out", 1, &sh_out, NULL},
        {"exposure", 1, &exposure, NULL},
        {"no-early-stop", 0, NULL, &no_early},
        {"role", 1, &role_id, NULL},
        {"find-role", 0, NULL, &find_role},
        {"data", 1, &data_s, NULL},
        {"roles", 1, &roles_path, NULL},
        {"population", 1, &pop_s, NULL},
        {"truth-loading", 1, &tl_s, NULL},
        {"prior-weight", 1, &pw_s, NULL},
        {"prior-loading", 1, &pl_s, NULL},
        {"confirm", 1, &cf_s, NULL},
        {"confirm-roles", 1, &cfr_s, NULL},
        {"confirm-own", 0, NULL, &confirm_own},
        {"confirm-named", 0, NULL, &confirm_named},
        {"pool", 1, &pool_s, NULL},
    };
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
    int pool = -1; /* the live test's */
    if (pool_s) {
        if (strcmp(pool_s, "operational") == 0)
            pool = RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL;
        else if (strcmp(pool_s, "practice") == 0)
            pool = RF_CAT_POOL_SCORED | RF_CAT_POOL_PRACTICE;
        else if (strcmp(pool_s, "all") == 0)
            pool = RF_CAT_POOL_SCORED;
        else
            return rf_cli_usage_error(cmd, "--pool: expected operational, practice or all, got "
                                           "'%s'",
                                      pool_s);
        if (gen_s)
            return rf_cli_usage_error(cmd, "--pool goes with a bank directory (--bank DIR), not "
                                           "a generated bank");
    }
    if (tl_s && !pop_s)
        return rf_cli_usage_error(cmd, "--truth-loading goes with --population");
    if ((pw_s || pl_s) && !(pop_s && pw_s && pl_s && (role_id || find_role)))
        return rf_cli_usage_error(cmd, "--prior-weight and --prior-loading go together, with "
                                       "--population and --role or --find-role");
    if ((cf_s || cfr_s || confirm_own || confirm_named) && !(pop_s && find_role && cf_s))
        return rf_cli_usage_error(cmd, "--confirm N (and --confirm-roles R, --confirm-own, "
                                       "--confirm-named) go with --population and --find-role");
    if (confirm_own && confirm_named)
        return rf_cli_usage_error(cmd, "give --confirm-own or --confirm-named, not both");
    if (pop_s) {
        const struct {
            int given;
            const char *name;
        } other[] = {{skills_s != NULL, "skills"},    {select_s != NULL, "select"},
                     {se_s != NULL, "se"},            {max_s != NULL, "max-items"},
                     {min_s != NULL, "min-items"},    {rq_s != NULL, "randomesque"},
                     {no_early, "no-early-stop"},     {thetas != NULL, "thetas"},
                     {sh_s != NULL, "sh"},            {shr_s != NULL, "sh-rounds"},
                     {sh_out != NULL, "sh-out"},      {exposure != NULL, "exposure"}};
        for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
            if (other[i].given)
                return rf_cli_usage_error(cmd, "--%s does not go with --population",
                                          other[i].name);
        if (role_id && find_role)
            return rf_cli_usage_error(cmd, "give --role ID or --find-role, not both");
        if (!bank == !gen_s)
            return rf_cli_usage_error(cmd, "give exactly one of --bank and --generate-bank "
                                           "(see 'rolefit simulate --help')");
        struct rf_simpop_args pa = {bank,     0,     0,    data_s ? data_s : rf_cli_default_path("data"), roles_path,
                                    role_id,  find_role, pop_s, 1000, 2, 1, json, 0, 0, 0, 0, 0, 1,
                                    pool, confirm_named ? 2 : confirm_own};
        enum rf_model pm;
        if ((n_s && (ec = rf_cli_size(cmd, "examinees", n_s, 1, 10000000, &pa.examinees))) ||
            (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &pa.threads))) ||
            (gen_s && (ec = rf_cli_size(cmd, "generate-bank", gen_s, 1, 1000000, &pa.gen))) ||
            (seed_s && (ec = rf_cli_u64(cmd, "seed", seed_s, &pa.seed))) ||
            (cf_s && (ec = rf_cli_size(cmd, "confirm", cf_s, 1, RF_CAT_MAX_ITEMS, &pa.confirm))) ||
            (cfr_s && (ec = rf_cli_size(cmd, "confirm-roles", cfr_s, 1, RF_CAT_MAX_CLASSES,
                                        &pa.confirm_roles))))
            return ec;
        if (tl_s) {
            char *e;
            pa.truth_loading = strtod(tl_s, &e);
            if (e == tl_s || *e || !(pa.truth_loading >= 0 && pa.truth_loading < 1))
                return rf_cli_usage_error(cmd, "--truth-loading: expected a number from 0 to "
                                               "below 1, got '%s'",
                                          tl_s);
        }
        if (pw_s) {
            char *e;
            pa.prior_set = 1;
            pa.prior_weight = strtod(pw_s, &e);
            if (e == pw_s || *e || !(pa.prior_weight >= 0 && pa.prior_weight < 1))
                return rf_cli_usage_error(cmd, "--prior-weight: expected a number from 0 to "
                                               "below 1, got '%s'",
                                          pw_s);
            pa.prior_loading = strtod(pl_s, &e);
            if (e == pl_s || *e || !(pa.prior_loading >= 0 && pa.prior_loading <= RF_HIER_MAX_LAMBDA))
                return rf_cli_usage_error(cmd, "--prior-loading: expected a number from 0 to "
                                               "%g, got '%s'",
                                          RF_HIER_MAX_LAMBDA, pl_s);
        }
        if (rf_irt_model_parse(model_s, &pm) || (pm != RF_MODEL_2PL && pm != RF_MODEL_3PL))
            return rf_cli_usage_error(cmd, "--model: expected 2pl or 3pl, got '%s'", model_s);
        pa.model_3pl = pm == RF_MODEL_3PL;
        return rf_simulate_population(&pa);
    }
    int roled = role_id || find_role;
    const char *mode = role_id ? "--role" : "--find-role";
    if (role_id && find_role)
        return rf_cli_usage_error(cmd, "give --role ID or --find-role, not both");
    if (!roled && (data_s || roles_path))
        return rf_cli_usage_error(cmd, "--%s needs --role ID or --find-role",
                                  data_s ? "data" : "roles");
    if (roled) {
        /* The server's design sets these; a study of another design is not
         * the study of the live tests. */
        const struct {
            int given;
            const char *name;
        } fixed[] = {{skills_s != NULL, "skills"}, {select_s != NULL, "select"},
                     {se_s != NULL, "se"},         {max_s != NULL, "max-items"},
                     {min_s != NULL, "min-items"}, {rq_s != NULL, "randomesque"},
                     {no_early, "no-early-stop"}};
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            if (fixed[i].given)
                return rf_cli_usage_error(cmd,
                                          "--%s does not go with %s: the server's design sets it "
                                          "(see 'rolefit simulate --help')",
                                          fixed[i].name, mode);
    }
    if (!bank == !gen_s)
        return rf_cli_usage_error(cmd, "give exactly one of --bank and --generate-bank "
                                       "(see 'rolefit simulate --help')");
    size_t nex = 1000, maxi = RF_CAT_DEFAULT_MAX_ITEMS, mini = 0, rq = RF_CAT_DEFAULT_RANDOMESQUE,
           threads = 2, gen = 0, shr = 30;
    double se = RF_CAT_DEFAULT_SE, sh = 0;
    unsigned long long seed = 1;
    enum rf_cat_select sel;
    enum rf_model model;
    if ((n_s && (ec = rf_cli_size(cmd, "examinees", n_s, 1, 100000000, &nex))) ||
        (max_s && (ec = rf_cli_size(cmd, "max-items", max_s, 1, RF_CAT_MAX_ITEMS, &maxi))) ||
        (min_s && (ec = rf_cli_size(cmd, "min-items", min_s, 0, RF_CAT_MAX_ITEMS, &mini))) ||
        (rq_s && (ec = rf_cli_size(cmd, "randomesque", rq_s, 1, RF_CAT_MAX_TOPK, &rq))) ||
        (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &threads))) ||
        (gen_s && (ec = rf_cli_size(cmd, "generate-bank", gen_s, 1, 1000000, &gen))) ||
        (shr_s && (ec = rf_cli_size(cmd, "sh-rounds", shr_s, 1, 1000, &shr))) ||
        (se_s && (ec = rf_cli_double(cmd, "se", se_s, 1e-3, 10, &se))) ||
        (sh_s && (ec = rf_cli_double(cmd, "sh", sh_s, 1e-3, 1, &sh))) ||
        (seed_s && (ec = rf_cli_u64(cmd, "seed", seed_s, &seed))))
        return ec;
    if (sh_out && !sh_s)
        return rf_cli_usage_error(cmd, "--sh-out needs --sh TARGET");
    if (exposure && sh_s)
        return rf_cli_usage_error(cmd, "give --sh (find exposure parameters) or --exposure "
                                       "(use a file), not both");
    if (mini > maxi)
        return rf_cli_usage_error(cmd, "--min-items %zu exceeds --max-items %zu", mini, maxi);
    if (rf_cat_select_parse(select_s ? select_s : "mfi", &sel))
        return rf_cli_usage_error(cmd, "--select: expected mfi, kl or pwi, got '%s'", select_s);
    if (rf_irt_model_parse(model_s, &model) || (model != RF_MODEL_2PL && model != RF_MODEL_3PL))
        return rf_cli_usage_error(cmd, "--model: expected 2pl or 3pl, got '%s'", model_s);

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_quad q = {0};
    struct rf_cat_pool *p = NULL;
    struct rf_cat_gen g = {0};
    struct rf_cat_sim_result res = {0};
    struct roledata rd = {0};
    const char **gen_skills = NULL;
    double *theta = NULL;
    char *skills_buf = skills_s ? rf_strdup(skills_s) : NULL;
    char *names[RF_CAT_MAX_SCOPE + 1];
    size_t nnames = 0;
    rf_status rc = RF_OK;
    int usage_ec = 0;
    if (skills_s && !skills_buf) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto out;
    }
    if (skills_buf) {
        nnames = split(skills_buf, names, RF_CAT_MAX_SCOPE);
        if (nnames == 0 || nnames > RF_CAT_MAX_SCOPE) {
            usage_ec = rf_cli_usage_error(cmd, "--skills: expected 1 to %d names separated by ','",
                                          RF_CAT_MAX_SCOPE);
            goto out;
        }
    }
    if (roled) {
        if ((rc = load_roledata(data_s ? data_s : rf_cli_default_path("data"), roles_path, &rd, &err)))
            goto out;
        if (role_id && !(rd.role = rf_roles_find(&rd.roles, role_id))) {
            usage_ec = unknown_role(cmd, role_id, &rd.roles);
            goto out;
        }
    }
    if ((rc = rf_quad_init_default(&q, &err)))
        goto out;
    if (gen) {
        const char *def = "skill";
        const char *const *sk = nnames ? (const char *const *)names : &def;
        size_t nsk = nnames ? nnames : 1;
        if (roled) { /* every skill of the taxonomy */
            gen_skills = rf_calloc_array(rd.tax.nskills ? rd.tax.nskills : 1, sizeof *gen_skills);
            if (!gen_skills) {
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
                goto out;
            }
            for (size_t k = 0; k < rd.tax.nskills; k++)
                gen_skills[k] = rd.tax.skills[k].id;
            sk = gen_skills;
            nsk = rd.tax.nskills;
        }
        if ((rc = rf_cat_generate(sk, nsk, gen, model, seed, &g, &err)) ||
            (rc = rf_cat_pool_new(g.items, g.n, &q, &p, &err)))
            goto out;
    } else {
        if (pool < 0 && roled)
            pool = rf_rolesim_live_pool(find_role);
        if ((rc = load_pool(bank, pool >= 0 ? pool : 0, pool_s != NULL, &q, &p, &err)))
            goto out;
    }
    /* The pool the study draws from, for the output. */
    const char *pool_name = gen ? "generated" : pool >= 0 ? rf_rolesim_pool_name(pool) : "bank";
    struct rf_cat_design d;
    if (roled) {
        /* Exactly the design the server gives its role and find-my-role tests. */
        if ((rc = rf_roletest_design(&d, p, &rd.roles, rd.role, &err)))
            goto out;
    } else {
        rf_cat_design_init(&d);
        d.max_items = maxi;
        d.select = sel;
        d.randomesque = rq;
        d.stop_unreachable = !no_early;
        struct rf_cat_rule rule = {se, mini, maxi};
        if (nnames) {
            for (size_t k = 0; k < nnames; k++)
                if ((rc = rf_cat_design_add(&d, p, names[k], rule, &err)))
                    goto out;
        } else {
            for (size_t s = 0; s < p->nskills && s < RF_CAT_MAX_SCOPE; s++)
                if (p->nusable[s] && (rc = rf_cat_design_add(&d, p, p->skills[s], rule, &err)))
                    goto out;
        }
    }
    if ((rc = rf_cat_design_check(&d, p, &err)))
        goto out;
    const struct rf_cat_rule *rule = common_rule(&d);
    struct rf_cat_sim_opts o = {nex, seed, threads, NULL, 1};
    if (thetas) {
        if ((rc = load_thetas(thetas, p, &d, &theta, &nex, &err)))
            goto out;
        o.theta = theta;
        o.nexaminees = nex;
    }
    size_t rounds = 0;
    double sh_max = 0;
    if (sh > 0) {
        struct rf_cat_sim_opts oc = o;
        oc.seed = seed + 1;
        if ((rc = rf_cat_sh_calibrate(p, &d, sh, shr, &oc, &rounds, &sh_max, &err)))
            goto out;
        d.exposure = 1;
        if (sh_out && (rc = rf_cat_exposure_save(p, sh, sh_out, &err)))
            goto out;
    }
    if (exposure) {
        if ((rc = rf_cat_exposure_load(p, exposure, &err)))
            goto out;
        d.exposure = 1;
    }
    if ((rc = rf_cat_simulate(p, &d, &o, &res, &err)))
        goto out;
    if (json) {
        const char *design_name = role_id ? "role" : find_role ? "find_role" : "skills";
        json_t *skl = json_array();
        for (size_t k = 0; k < d.nscope; k++)
            json_array_append_new(skl, json_string(p->skills[d.scope[k]]));
        json_t *form = json_array();
        for (size_t k = 0; k < d.nscope; k++)
            json_array_append_new(form, json_integer((json_int_t)res.form_len[k]));
        json_t *settings = json_pack(
            "{s:s, s:I, s:I, s:o, s:s, s:I, s:I, s:b, s:I, s:I, s:o, s:s, s:I}", "bank",
            bank ? bank : "generated", "items", (json_int_t)p->n, "examinees", (json_int_t)nex,
            "skills", skl, "select", rf_cat_select_name(d.select), "max_items",
            (json_int_t)d.max_items, "randomesque", (json_int_t)d.randomesque, "early_stop",
            d.stop_unreachable, "seed", (json_int_t)seed, "threads", (json_int_t)threads,
            "baseline_form", form, "design", design_name, "classes", (json_int_t)d.nclasses);
        if (settings) {
            json_object_set_new(settings, "pool", json_string(pool_name));
            json_object_set_new(settings, "usable_items",
                                json_integer((json_int_t)rf_rolesim_pool_usable(p)));
        }
        if (settings && rule) {
            json_object_set_new(settings, "se", json_real(rule->se));
            json_object_set_new(settings, "min_items", json_integer((json_int_t)rule->min));
        } else if (settings) { /* the rules differ from skill to skill */
            json_t *rules = json_array();
            for (size_t k = 0; k < d.nscope; k++)
                json_array_append_new(rules, json_pack("{s:f, s:I, s:I}", "se", d.rule[k].se, "min",
                                                       (json_int_t)d.rule[k].min, "max",
                                                       (json_int_t)d.rule[k].max));
            json_object_set_new(settings, "rules", rules);
        }
        if (role_id)
            json_object_set_new(settings, "role", json_string(role_id));
        if (roled)
            json_object_set_new(settings, "data", json_string(data_s ? data_s : rf_cli_default_path("data")));
        if (roles_path)
            json_object_set_new(settings, "roles_file", json_string(roles_path));
        if (exposure)
            json_object_set_new(settings, "exposure_file", json_string(exposure));
        if (gen)
            json_object_set_new(settings, "generated",
                                json_pack("{s:I, s:s}", "per_skill", (json_int_t)gen, "model",
                                          rf_irt_model_name(model)));
        if (sh > 0)
            json_object_set_new(settings, "sympson_hetter",
                                json_pack("{s:f, s:I, s:f}", "target", sh, "rounds",
                                          (json_int_t)rounds, "calibration_max_exposure", sh_max));
        json_t *root = json_pack("{s:o, s:o, s:o}", "settings", settings, "adaptive",
                                 stats_json(p, &d, &res.adaptive), "baseline",
                                 stats_json(p, &d, &res.baseline));
        char *s = root ? rf_json_dumps_out(root, JSON_INDENT(2)) : NULL;
        json_decref(root);
        if (!s) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        puts(s);
        free(s);
    } else {
        if (roled) {
            printf("%s: the server's design, %zu skills, %zu roles as classes",
                   role_id ? role_id : "find my role", d.nscope, d.nclasses);
            if (rule)
                printf(", SE target %.2f, %zu to %zu items per skill", rule->se, rule->min,
                       rule->max);
            printf(", max %zu items, randomesque %zu, early stop %s", d.max_items, d.randomesque,
                   d.stop_unreachable ? "on" : "off");
            if (d.decide_p > 0)
                printf(", requirements decided at P %.2f", d.decide_p);
            printf("\n");
            printf("%zu examinees, %zu items (pool: %s, %zu it may give), seed %llu\n", nex, p->n,
                   pool_name, rf_rolesim_pool_usable(p), seed);
        } else {
            printf("%zu examinees, %zu items, select %s, SE target %.2f, max %zu items, "
                   "randomesque %zu, seed %llu\n",
                   nex, p->n, rf_cat_select_name(sel), se, maxi, rq, seed);
        }
        if (sh > 0)
            printf("Sympson-Hetter target %.2f: %zu rounds, calibration max exposure %.3f\n", sh,
                   rounds, sh_max);
        print_stats("adaptive", p, &d, &res.adaptive);
        print_stats("fixed form of equal length", p, &d, &res.baseline);
    }
out:
    free(theta);
    free(skills_buf);
    free(gen_skills);
    rf_cat_sim_cleanup(&res);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&g);
    rf_quad_cleanup(&q);
    rf_roles_cleanup(&rd.roles);
    rf_taxonomy_cleanup(&rd.tax);
    if (usage_ec)
        return usage_ec;
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
