/* `rolefit db export` and `rolefit db import`: a whole database as one file,
 * to move a deployment between SQLite and PostgreSQL (store/dump.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "store/dump.h"
#include "store/store.h"

static const char usage[] =
    "usage: rolefit db export [--db FILE|URL] [--out FILE]\n"
    "       rolefit db import [--db FILE|URL] FILE\n\n"
    "Moves a whole database between SQLite files and PostgreSQL, row for row.\n"
    "export writes every row of --db (default rolefit.db), read in one snapshot, as\n"
    "JSON lines to --out (default standard output); import reads such a file into\n"
    "--db, which it creates when it is a new SQLite file and which must be empty, in\n"
    "one transaction: on any error nothing is stored. Both must run the same rolefit\n"
    "(the same schema). The same rows give the same file whichever database holds\n"
    "them, so two exports compare two databases.\n\n"
    "  --db FILE|URL  SQLite database file or postgres://USER:PASSWORD@HOST:PORT/DB\n"
    "  --out FILE     export: the file to write (default standard output)\n";

int rf_cmd_db(int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    int exp = !strcmp(sub, "export");
    if (!exp && strcmp(sub, "import"))
        return rf_cli_usage_error("db", "expected 'export' or 'import' (see 'rolefit db --help')");
    const char *cmd = exp ? "db export" : "db import";
    const char *db = "rolefit.db", *out = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {{"db", 1, &db, NULL}, {"out", 1, &out, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc - 1, argv + 1, opts, exp ? 2 : 1, pos, exp ? 0 : 1, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!exp && npos != 1)
        return rf_cli_usage_error(cmd, "expected the file to import");
    /* exporting a file that is not there would create an empty database */
    if (exp && !rf_store_is_pg_url(db) &&
        access(strncmp(db, "sqlite:", 7) ? db : db + 7, F_OK) != 0)
    {
        fprintf(stderr, "rolefit %s: %s: no such database file (--db)\n", cmd, db);
        return RF_EXIT_IO;
    }
    FILE *f = exp ? (out ? fopen(out, "w") : stdout) : fopen(pos[0], "r");
    if (!f) {
        fprintf(stderr, "rolefit %s: %s: cannot %s it\n", cmd, exp ? out : pos[0],
                exp ? "write" : "read");
        return RF_EXIT_IO;
    }
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_store *st;
    rf_status rc = rf_store_open(db, &st, &err);
    if (!rc) {
        rc = exp ? rf_store_dump(st, f, &err) : rf_store_restore(st, f, pos[0], &err);
        rf_store_close(st);
    }
    if (f != stdout && fclose(f) && !rc)
        rc = rf_err_set(&err, RF_EIO, "%s: cannot write it", out);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
