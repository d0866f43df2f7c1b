/* `rolefit bank`: the author's tools over item banks; dispatches to the subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit bank lint [DIR|FILE...] [--skills FILE]\n"
    "       rolefit bank stats [DIR] [--skills FILE] [--svg FILE]\n"
    "       rolefit bank import --from qti|gift FILE... [--skill S] [--out FILE]\n"
    "       rolefit bank export --to qti|gift DIR [--bank DIR]\n\n"
    "Tools for item-bank authors (docs/bank-format.md). 'rolefit bank SUBCOMMAND --help'\n"
    "describes each.\n";

struct sub {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct sub subs[] = {
    {"lint", rf_cmd_bank_lint},
    {"stats", rf_cmd_bank_stats},
    {"import", rf_cmd_bank_import},
    {"export", rf_cmd_bank_export},
};

int rf_cmd_bank(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return RF_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return rf_cli_usage_error("bank", "unknown subcommand '%s' (see 'rolefit bank --help')",
                              argv[1]);
}
