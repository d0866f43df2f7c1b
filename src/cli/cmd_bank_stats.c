/* `rolefit bank stats`: what a bank holds and where it measures well. */
#include <stdio.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/skills.h"
#include "bank/stats.h"
#include "base/config.h"
#include "base/file.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit bank stats [DIR] [--skills FILE] [--svg FILE]\n\n"
    "Summarizes the item bank in DIR (default data/bank): per skill, the active\n"
    "(not retired) items by the author's difficulty rating, retired items, the\n"
    "calibrated share, the applied share (active items not marked \"recall\",\n"
    "docs/bank-format.md) and the share translated into Japanese; the items of each\n"
    "pool (practice, operational, pretest; docs/bank-format.md \"Pools\"), flagging a\n"
    "pool too thin to measure the skill (practice below 10, operational below 24);\n"
    "then the test information of each skill's active items at theta = -3, -2.5,\n"
    "..., 3 (information I gives a standard error of about 1/sqrt(I) when every item\n"
    "is given). Skills come in taxonomy order; skills the\n"
    "taxonomy does not know are marked '?'. Last, the information at each skill's\n"
    "cut points (data/skills.json), flagged 'low' below 6 at the advanced cut (the\n"
    "third) and below 3 at the expert cut (the fourth).\n\n"
    "  --skills FILE  the skill taxonomy, default data/skills.json\n"
    "  --svg FILE     also write the information curves as a self-contained SVG chart\n";

/* Text table points: every 5th point of the 61-point chart grid on [-3, 3]. */
#define GRID_N 61
#define TABLE_STEP 5

int rf_cmd_bank_stats(int argc, char **argv)
{
    const char *cmd = "bank stats";
    const char *skills = rf_cli_default_path("data/skills.json"), *svg = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {{"skills", 1, &skills, NULL}, {"svg", 1, &svg, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, 2, pos, 1, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    const char *dir = npos ? pos[0] : rf_cli_default_path("data/bank");
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_taxonomy tax;
    struct rf_bank b;
    struct rf_bank_stats s;
    rf_bank_init(&b);
    memset(&s, 0, sizeof s);
    rf_status rc = rf_taxonomy_load(skills, &tax, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    if ((rc = rf_bank_load_dir(dir, &b, &err)) ||
        (rc = rf_bank_stats_compute(&b, &tax, -3.0, 3.0, GRID_N, &s, &err)))
        goto out;
    printf("bank %s: %zu items in %zu files, %zu active, %zu calibrated (%.1f%% of active)\n\n",
           dir, s.n, b.nfiles, s.active, s.calibrated,
           s.active ? 100.0 * (double)s.calibrated / (double)s.active : 0.0);
    printf("%-28s %6s %5s %6s %5s %6s %7s %7s %10s %7s %7s\n", "skill", "active", "easy",
           "medium", "hard", "expert", "unrated", "retired", "calibrated", "applied", "ja");
    for (size_t i = 0; i < s.nskills; i++) {
        const struct rf_skill_stats *k = &s.skills[i];
        printf("%-28s %6zu %5zu %6zu %5zu %6zu %7zu %7zu %9.1f%% %6.1f%% %6.1f%%\n", k->skill,
               k->active, k->band[0], k->band[1], k->band[2], k->band[3], k->band[4], k->retired,
               k->active ? 100.0 * (double)k->calibrated / (double)k->active : 0.0,
               k->active ? 100.0 * (double)(k->active - k->recall) / (double)k->active : 0.0,
               k->active ? 100.0 * (double)k->ja / (double)k->active : 0.0);
    }
    printf("\nitems per pool (docs/bank-format.md \"Pools\"; rubric items aside)\n%-28s %8s %11s "
           "%7s  %s\n",
           "skill", "practice", "operational", "pretest", "flags");
    for (size_t i = 0; i < s.nskills; i++) {
        const struct rf_skill_stats *k = &s.skills[i];
        int thin_p = k->pool[RF_POOL_PRACTICE] < RF_LINT_MIN_PRACTICE;
        int thin_o = k->pool[RF_POOL_OPERATIONAL] < RF_LINT_MIN_OPERATIONAL;
        printf("%-28s %8zu %11zu %7zu  %s%s%s\n", k->skill, k->pool[RF_POOL_PRACTICE],
               k->pool[RF_POOL_OPERATIONAL], k->pool[RF_POOL_PRETEST],
               thin_p ? "practice pool thin" : "", thin_p && thin_o ? ", " : "",
               thin_o ? "operational pool thin" : "");
    }
    printf("\ntest information of active items by theta\n%-28s", "skill");
    for (size_t q = 0; q < GRID_N; q += TABLE_STEP)
        printf(" %5.1f", s.theta[q]);
    printf("\n");
    for (size_t i = 0; i < s.nskills; i++) {
        printf("%-28s", s.skills[i].skill);
        for (size_t q = 0; q < GRID_N; q += TABLE_STEP)
            printf(" %5.2f", s.skills[i].info[q]);
        printf("%s\n", s.skills[i].in_taxonomy ? "" : "  ?");
    }
    printf("\ntest information of active items at the cuts of the taxonomy\n%-28s %7s %7s %7s "
           "%7s  %s\n",
           "skill", "cut1", "cut2", "advanced", "expert", "flags");
    for (size_t i = 0; i < s.nskills; i++) {
        const struct rf_skill_stats *k = &s.skills[i];
        if (!k->in_taxonomy)
            continue;
        int low_adv = k->cut_info[2] < RF_STATS_MIN_INFO_ADVANCED;
        int low_exp = k->cut_info[3] < RF_STATS_MIN_INFO_EXPERT;
        printf("%-28s", k->skill);
        for (size_t c = 0; c < RF_NLEVELS - 1; c++)
            printf(" %7.2f", k->cut_info[c]);
        printf("  %s%s%s\n", low_adv ? "low at advanced" : "", low_adv && low_exp ? ", " : "",
               low_exp ? "low at expert" : "");
    }
    if (svg) {
        struct rf_buf out;
        rf_buf_init(&out, 16u << 20);
        if ((rc = rf_bank_stats_svg(&s, &out)))
            rf_err_set(&err, rc, "%s: chart too large", svg);
        else
            rc = rf_file_write_atomic(svg, out.data, out.len, &err);
        rf_buf_cleanup(&out);
    }
out:
    rf_bank_stats_cleanup(&s);
    rf_bank_cleanup(&b);
    rf_taxonomy_cleanup(&tax);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
