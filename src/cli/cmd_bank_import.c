/* `rolefit bank import`: items from IMS QTI 2.1 or Moodle GIFT into a bank file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/gift.h"
#include "bank/import.h"
#include "bank/qti.h"
#include "base/file.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit bank import --from qti|gift FILE... [--skill S] [--out FILE]\n\n"
    "Reads multiple-choice, numeric-entry and multiple-select items and writes one\n"
    "bank file (docs/bank-format.md) to --out FILE or stdout.\n\n"
    "  --from qti   IMS QTI 2.1 assessmentItem files with one choiceInteraction\n"
    "               (single or multiple) or one numeric textEntryInteraction, loose\n"
    "               .xml or zipped content packages (imsmanifest.xml)\n"
    "  --from gift  Moodle GIFT text: ::title:: text { =right ~wrong #feedback ####general }\n"
    "  --skill S    the skill of every item (else: rolefit metadata of an earlier\n"
    "               export, the id's skill part, or the GIFT $CATEGORY's last part)\n"
    "  --out FILE   write the bank file there (atomically) instead of stdout\n\n"
    "Items get the author's priors (multiple choice 3pl with c = 1/options; numeric\n"
    "2pl; multiple select grm; a = 1, b from the difficulty; docs/bank-format.md),\n"
    "calibrated false and difficulty medium unless rolefit metadata says otherwise.\n"
    "Every construct not imported (other question types, text answers, images,\n"
    "...) is reported on stderr with its file and line, one per line. Malformed XML\n"
    "or GIFT stops the import with FILE:LINE:COLUMN: message. Exits 1 when nothing\n"
    "could be imported. docs/bank-exchange.md gives the mapping.\n";

int rf_cmd_bank_import(int argc, char **argv)
{
    const char *cmd = "bank import";
    const char *from = NULL, *skill = NULL, *out = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {
        {"from", 1, &from, NULL}, {"skill", 1, &skill, NULL}, {"out", 1, &out, NULL}};
    const char *pos[1024];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, 3, pos, 1024, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!from)
        return rf_cli_usage_error(cmd, "--from qti|gift is required (see 'rolefit bank import --help')");
    int qti = !strcmp(from, "qti");
    if (!qti && strcmp(from, "gift"))
        return rf_cli_usage_error(cmd, "--from: expected qti or gift, got '%s'", from);
    if (npos == 0)
        return rf_cli_usage_error(cmd, "no input files (see 'rolefit bank import --help')");
    if (skill && !skill[0])
        return rf_cli_usage_error(cmd, "--skill: empty");
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_import im;
    rf_import_init(&im, skill);
    rf_status rc = RF_OK;
    for (size_t i = 0; !rc && i < npos; i++)
        rc = qti ? rf_qti_read_file(pos[i], &im, &err) : rf_gift_read_file(pos[i], &im, &err);
    for (size_t i = 0; i < im.nnotes; i++)
        fprintf(stderr, "rolefit bank import: %s\n", im.notes[i]);
    if (im.dropped_notes)
        fprintf(stderr, "rolefit bank import: %zu more notes not shown\n", im.dropped_notes);
    json_t *root = NULL;
    char *text = NULL;
    if (!rc && im.n == 0)
        rc = rf_err_set(&err, RF_EINVAL, "nothing imported from %zu file%s", npos,
                        npos == 1 ? "" : "s");
    if (!rc && rf_import_to_json(&im, &root))
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
    if (!rc && !(text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))))
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
    if (!rc) {
        size_t n = strlen(text);
        text[n] = '\n'; /* json_dumps leaves room only for the NUL: write n + 1 bytes below */
        if (out)
            rc = rf_file_write_atomic(out, text, n + 1, &err);
        else if (fwrite(text, 1, n + 1, stdout) != n + 1 || fflush(stdout))
            rc = rf_err_set(&err, RF_EIO, "cannot write to stdout");
        text[n] = '\0';
    }
    if (!rc)
        fprintf(stderr, "rolefit bank import: %zu item%s imported, %zu note%s\n", im.n,
                im.n == 1 ? "" : "s", im.nnotes, im.nnotes == 1 ? "" : "s");
    free(text);
    if (root)
        json_decref(root);
    rf_import_cleanup(&im);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
