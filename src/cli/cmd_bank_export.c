/* `rolefit bank export`: a bank as IMS QTI 2.1 or Moodle GIFT, for authors. */
#include <stdio.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/gift.h"
#include "bank/qti.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit bank export --to qti|gift DIR [--bank DIR]\n\n"
    "Writes the scored items of the bank (default data/bank: multiple choice, numeric\n"
    "entry and multiple select) for other platforms. The files carry the keys and explanations: they are for authors and\n"
    "item-bank tools, never for candidates.\n\n"
    "  --to qti   an IMS QTI 2.1 content package: DIR/imsmanifest.xml and one\n"
    "             ITEM_ID.xml assessmentItem per item; when DIR ends in .zip, one\n"
    "             zipped package instead\n"
    "  --to gift  one Moodle GIFT file DIR/SKILL.gift per skill\n"
    "  --bank DIR the bank to export, default data/bank\n\n"
    "Each item keeps its rolefit fields (skill, difficulty, parameters, tags,\n"
    "translations) in a comment, so importing the export gives the bank back.\n"
    "Rubric items are not exported (counted on stderr).\n";

int rf_cmd_bank_export(int argc, char **argv)
{
    const char *cmd = "bank export";
    const char *to = NULL, *bank = rf_cli_default_path("data/bank");
    int help = 0;
    struct rf_cli_opt opts[] = {{"to", 1, &to, NULL}, {"bank", 1, &bank, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, 2, pos, 1, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!to)
        return rf_cli_usage_error(cmd, "--to qti|gift is required (see 'rolefit bank export --help')");
    int qti = !strcmp(to, "qti");
    if (!qti && strcmp(to, "gift"))
        return rf_cli_usage_error(cmd, "--to: expected qti or gift, got '%s'", to);
    if (npos != 1)
        return rf_cli_usage_error(cmd, "expected one output DIR (see 'rolefit bank export --help')");
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_bank b;
    rf_status rc = rf_bank_load_dir(bank, &b, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    size_t skipped = 0;
    rc = qti ? rf_qti_export(&b, pos[0], &skipped, &err) : rf_gift_export(&b, pos[0], &skipped, &err);
    if (!rc && skipped)
        fprintf(stderr, "rolefit bank export: %zu items to %s (%s); %zu %s\n", b.n - skipped,
                pos[0], qti ? "QTI 2.1" : "GIFT", skipped,
                qti ? "rubric items not exported: QTI 2.1 here carries no rater-scored question"
                    : "rubric items not exported: GIFT has no rater-scored question");
    else if (!rc)
        fprintf(stderr, "rolefit bank export: %zu items to %s (%s)\n", b.n, pos[0],
                qti ? "QTI 2.1" : "GIFT");
    rf_bank_cleanup(&b);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
