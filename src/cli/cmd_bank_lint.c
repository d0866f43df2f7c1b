/* `rolefit bank lint`: checks an item bank and prints one line per finding. */
#include <stdio.h>
#include <sys/stat.h>

#include "bank/lint.h"
#include "bank/skills.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit bank lint [DIR|FILE...] [--skills FILE]\n\n"
    "Checks the item bank in DIR (default data/bank: every *.json file) or the given\n"
    "bank files against docs/bank-format.md and the skill taxonomy (default\n"
    "data/skills.json). Errors: structure and types, unique ids of the form\n"
    "skill.topic.NNN, known skill, 3 to 5 distinct options, key in range, no \"all/none\n"
    "of the above\", explanation present, difficulty easy|medium|hard, parameters valid\n"
    "and plausible, balanced markup (``` fences, `code`, $math$), duplicate stems.\n"
    "Warnings: near-duplicate stems, fewer than 20 items per skill, difficulty spread\n"
    "far from 25/50/25 %, short explanations, priors off the rating's band, missing\n"
    "tags, unknown fields. docs/bank-lint.md lists every check.\n\n"
    "Prints one line per finding to stdout, \"FILE: item 'ID': field 'F': error: ...\"\n"
    "(or warning:), then a summary line. Exits 1 when there are errors.\n\n"
    "  --skills FILE  the skill taxonomy, default data/skills.json\n";

int rf_cmd_bank_lint(int argc, char **argv)
{
    const char *cmd = "bank lint";
    const char *skills = rf_cli_default_path("data/skills.json");
    int help = 0;
    struct rf_cli_opt opts[] = {{"skills", 1, &skills, NULL}};
    const char *pos[256];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, 1, pos, 256, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos == 0)
        pos[npos++] = rf_cli_default_path("data/bank");
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_taxonomy tax;
    rf_status rc = rf_taxonomy_load(skills, &tax, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    struct rf_lint l;
    rf_lint_init(&l, &tax);
    for (size_t i = 0; !rc && i < npos; i++) {
        struct stat st;
        if (stat(pos[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = rf_lint_add_dir(&l, pos[i], &err);
        else
            rc = rf_lint_add_file(&l, pos[i], &err);
    }
    if (!rc)
        rc = rf_lint_finish(&l, &err);
    struct rf_buf line;
    rf_buf_init(&line, 1 << 16);
    for (size_t i = 0; !rc && i < l.ndiags; i++) {
        rf_buf_reset(&line);
        if ((rc = rf_lint_diag_format(&l.diags[i], &line)))
            rf_err_set(&err, rc, "out of memory");
        else
            printf("%s\n", rf_buf_str(&line));
    }
    rf_buf_cleanup(&line);
    if (!rc) {
        if (l.dropped)
            printf("(%zu more findings not shown)\n", l.dropped);
        printf("lint: %zu files, %zu items: %zu errors, %zu warnings\n", l.nfiles, l.nitems,
               l.nerrors, l.nwarnings);
    }
    size_t nerrors = l.nerrors;
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return nerrors ? RF_EXIT_DATA : RF_EXIT_OK;
}
