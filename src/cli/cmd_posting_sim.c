/* `rolefit posting simulate`: how well ranking finds a posting's best
 * applicants when every applicant took the posting's test (issue 15). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "cat/pool.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/quad.h"
#include "server/postingtest.h"
#include "server/rolesim.h"

static const char usage[] =
    "usage: rolefit posting simulate FILE|DIR [--examinees N] [--seed S] [--threads T]\n"
    "                                [--truth-loading L] [--calibrated-bank | --hidden-truth]\n"
    "                                [--items N]\n"
    "                                [--bank DIR] [--data DIR] [--json]\n\n"
    "Simulates applicants to a posting who all take the posting's adaptive test (the\n"
    "server's design: the posting's skills, each item the one whose answer most\n"
    "sharpens the weight of requirements met, at most 40 items) and are ranked by\n"
    "posting fit, as the recruiter's ranking ranks them. Applicants come from the\n"
    "reference population (every skill N(0, 1),\n"
    "loading L on one general factor); answers are drawn from a = 1, c = 1/k and the\n"
    "bank's difficulties, the test asking the operational pool's items (an invited\n"
    "test's). Reports, per posting, the share of the true best third\n"
    "(by the weight of requirements truly met, ties by the margin over the bars)\n"
    "that the ranking puts in its top third, the mean test length and the measured\n"
    "share of the posting's weight. Beside the ranking, for analysis, the Bayes\n"
    "selection (bayes, b-ind): the top third by each applicant's posterior\n"
    "probability of meeting at least the pool's bar, from the joint posterior and\n"
    "from the requirements' P(meets) as independent: the best a ranking can do\n"
    "on average from the same answers. DIR: every NAME.md or NAME.txt beside a\n"
    "NAME.labels (the labelled set, tests/fixtures/postings), in name order.\n\n"
    "  --examinees N      applicants per posting (default 300)\n"
    "  --seed S           seed (default 1); the results do not depend on --threads\n"
    "  --threads T        threads (default 2)\n"
    "  --truth-loading L  applicants' skills' loading on g, 0 <= L < 1 (default 0.7)\n"
    "  --calibrated-bank  every item as a calibrated bank's (a ~ U(0.6, 2.0), c ~\n"
    "                     U(0.1, 0.3), b = the bank's b + N(0, 0.5^2), drawn from the\n"
    "                     seed), answers drawn from and scored with these parameters\n"
    "  --hidden-truth     answers drawn from the same parameters, the test scoring with\n"
    "                     the bank's (a bank of such items, not calibrated)\n"
    "  --items N          what-if: tests of N items (default: the product's 40)\n"
    "  --bank DIR         item bank (default data/bank)\n"
    "  --data DIR         skills, roles and aliases (default data)\n"
    "  --json             print JSON\n";

#define MAX_FILES 256

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The postings of path: the file itself, or the labelled ones of a folder. */
static size_t list_postings(const char *path, char **out, struct rf_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        rf_err_set(err, RF_EIO, "%s: cannot read", path);
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        out[0] = rf_strdup(path);
        return out[0] ? 1 : 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        rf_err_set(err, RF_EIO, "%s: cannot open the folder", path);
        return 0;
    }
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_FILES) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 4 ||
            (strcmp(e->d_name + l - 3, ".md") != 0 && strcmp(e->d_name + l - 4, ".txt") != 0))
            continue;
        char lab[4096];
        size_t stem = l - (e->d_name[l - 3] == '.' ? 3 : 4);
        snprintf(lab, sizeof lab, "%s/%.*s.labels", path, (int)stem, e->d_name);
        if (stat(lab, &st) != 0)
            continue;
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (!(out[n] = rf_strdup(full)))
            break;
        n++;
    }
    closedir(d);
    qsort(out, n, sizeof *out, by_name);
    if (n == 0)
        rf_err_set(err, RF_EINVAL, "%s: no labelled postings (NAME.md or NAME.txt beside "
                                   "NAME.labels)", path);
    return n;
}

/* A JSON number, or null for NaN (a figure not computed). */
static json_t *num_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

int rf_posting_simulate(const char *cmd, int argc, char **argv)
{
    const char *data = rf_cli_default_path("data"), *bank_dir = rf_cli_default_path("data/bank");
    const char *n_s = NULL, *seed_s = NULL, *threads_s = NULL, *tl_s = NULL, *items_s = NULL;
    int json = 0, help = 0, calibrated = 0, hidden = 0;
    struct rf_cli_opt opts[] = {{"examinees", 1, &n_s, NULL}, {"seed", 1, &seed_s, NULL},
                                {"threads", 1, &threads_s, NULL},
                                {"truth-loading", 1, &tl_s, NULL}, {"bank", 1, &bank_dir, NULL},
                                {"calibrated-bank", 0, NULL, &calibrated},
                                {"hidden-truth", 0, NULL, &hidden},
                                {"items", 1, &items_s, NULL},
                                {"data", 1, &data, NULL}, {"json", 0, NULL, &json}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos != 1)
        return rf_cli_usage_error(cmd, "expected a posting FILE or a DIR of labelled postings "
                                       "(see 'rolefit posting simulate --help')");
    if (calibrated && hidden)
        return rf_cli_usage_error(cmd, "--calibrated-bank and --hidden-truth: choose one");
    struct rf_postingsim_opts o = {300, 1, 2, 0.7, 0};
    unsigned long long seed = 1;
    if ((n_s && (ec = rf_cli_size(cmd, "examinees", n_s, 3, 1000000, &o.nexaminees))) ||
        (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &o.threads))) ||
        (seed_s && (ec = rf_cli_u64(cmd, "seed", seed_s, &seed))) ||
        (tl_s && (ec = rf_cli_double(cmd, "truth-loading", tl_s, 0, 0.999, &o.truth_loading))) ||
        (items_s && (ec = rf_cli_size(cmd, "items", items_s, 1, RF_CAT_MAX_ITEMS, &o.max_items))))
        return ec;
    o.seed = seed;
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_careers c;
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    struct rf_bank bank;
    rf_bank_init(&bank);
    struct rf_quad q = {0};
    struct rf_cat_pool *p = NULL, *ph = NULL;
    struct rf_rolesim_truth t = {0};
    char *files[MAX_FILES] = {0};
    size_t nfiles = 0;
    json_t *arr = json ? json_array() : NULL;
    if ((rc = rf_quad_init_default(&q, &err)) || (rc = rf_bank_load_dir(bank_dir, &bank, &err)))
        goto done;
    /* The oracle-information bound: the bank's items as a calibrated bank's,
     * the answers drawn from and scored with the same parameters. */
    if (calibrated)
        rf_postingsim_hidden_bank(&bank, o.seed);
    /* A posting's test is an invited test: the operational pool. */
    if ((rc = rf_cat_pool_from_bank(&bank, rf_rolesim_live_pool(0), &q, &p, &err)))
        goto done;
    if (hidden) {
        /* The answers from the hidden bank, the test scoring with the bank's
         * own parameters: a pool of the hidden bank (the same items in the
         * same order) gives the truth. */
        struct rf_bank hb;
        rf_bank_init(&hb);
        if (!(rc = rf_bank_load_dir(bank_dir, &hb, &err))) {
            rf_postingsim_hidden_bank(&hb, o.seed);
            rc = rf_cat_pool_from_bank(&hb, rf_rolesim_live_pool(0), &q, &ph, &err);
        }
        rf_bank_cleanup(&hb);
        if (rc || (rc = rf_rolesim_truth_init(&t, ph, NULL, &err)))
            goto done;
    } else if ((rc = rf_rolesim_truth_init(&t, p, calibrated ? NULL : &bank, &err))) {
        goto done;
    }
    if (!(nfiles = list_postings(pos[0], files, &err))) {
        rc = err.msg[0] ? RF_EINVAL : RF_ENOMEM;
        goto done;
    }
    if (!json)
        printf("%zu applicants per posting, seed %llu, truth loading %.2f%s%s; true best third "
               "in the top third (ties in the weight met either way; strict: broken by margin; "
               "bayes, b-ind: the Bayes selection, analysis only)\n\n"
               "%-28s %6s %6s %6s %6s %6s %8s %6s\n",
               o.nexaminees, seed, o.truth_loading, calibrated ? ", calibrated bank" : hidden ? ", hidden-bank truth" : "",
               o.max_items ? ", what-if test length" : "",
               "posting", "top1/3", "strict", "bayes", "b-ind", "items", "measured", "fit");
    double sum = 0, min = 1, sum_strict = 0, sum_bj = 0, sum_bi = 0;
    size_t nbayes = 0;
    for (size_t i = 0; i < nfiles; i++) {
        struct rf_parsed_posting post;
        struct rf_postingsim_result r;
        if ((rc = rf_posting_load(files[i], &c.aliases, &c.tax, &post, &err)))
            goto done;
        rc = rf_postingsim_run(p, &t, &c.roles, &post, &o, &r, &err);
        rf_posting_cleanup(&post);
        if (rc) {
            rf_err_prefix(&err, "%s", files[i]);
            goto done;
        }
        sum += r.top_third;
        sum_strict += r.top_third_strict;
        min = r.top_third < min ? r.top_third : min;
        if (!isnan(r.top_third_bayes_joint)) {
            sum_bj += r.top_third_bayes_joint;
            sum_bi += r.top_third_bayes_indep;
            nbayes++;
        }
        const char *base = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 : files[i];
        if (json)
            json_array_append_new(
                arr, json_pack("{sssIsfsfsososfsfsf}", "posting", base, "examinees",
                               (json_int_t)r.nexaminees, "top_third", r.top_third,
                               "top_third_strict", r.top_third_strict, "top_third_bayes",
                               num_or_null(r.top_third_bayes_joint), "top_third_bayes_indep",
                               num_or_null(r.top_third_bayes_indep), "items", r.len_mean,
                               "measured", r.measured_mean, "fit", r.fit_mean));
        else
            printf("%-28s %5.1f%% %5.1f%% %5.1f%% %5.1f%% %6.1f %7.1f%% %6.3f\n", base,
                   100 * r.top_third, 100 * r.top_third_strict, 100 * r.top_third_bayes_joint,
                   100 * r.top_third_bayes_indep, r.len_mean, 100 * r.measured_mean, r.fit_mean);
    }
    if (json) {
        json_t *j = json_pack(
            "{sIsIsfsbsbsfsfsfsososo}", "examinees", (json_int_t)o.nexaminees, "seed",
            (json_int_t)seed, "truth_loading", o.truth_loading, "calibrated_bank", calibrated, "hidden_truth", hidden,
            "top_third_mean", sum / (double)nfiles, "top_third_min", min,
            "top_third_strict_mean", sum_strict / (double)nfiles, "top_third_bayes_mean",
            num_or_null(nbayes ? sum_bj / (double)nbayes : NAN), "top_third_bayes_indep_mean",
            num_or_null(nbayes ? sum_bi / (double)nbayes : NAN), "postings", arr);
        arr = NULL;
        if (j)
            rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
    } else {
        printf("\nmean %.1f%% (strict %.1f%%), lowest %.1f%% over %zu postings\n",
               100 * sum / (double)nfiles, 100 * sum_strict / (double)nfiles, 100 * min, nfiles);
        if (nbayes)
            printf("Bayes selection (analysis only): %.1f%% from the joint posterior, %.1f%% "
                   "from independent P(meets), over %zu postings\n",
                   100 * sum_bj / (double)nbayes, 100 * sum_bi / (double)nbayes, nbayes);
    }
done:
    json_decref(arr);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    rf_rolesim_truth_cleanup(&t);
    rf_cat_pool_free(p);
    rf_cat_pool_free(ph);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_careers_cleanup(&c);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
