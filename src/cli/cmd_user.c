/* `rolefit user add`: accounts from the command line (the alternative to the setup link). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "server/auth.h"
#include "store/store.h"

static const char usage[] =
    "usage: rolefit user add --email EMAIL --name NAME [--role admin|recruiter|interviewer]\n"
    "                        [--db FILE] [--org NAME] [--org-id N] [--data DIR] [--password-min N]\n\n"
    "Adds an account to the database of `rolefit serve` (default rolefit.db). The password\n"
    "is read from the first line of standard input: at least 12 characters (or\n"
    "--password-min), 5 different ones, not on DIR/common-passwords.txt (--data, default\n"
    "data) and not the e-mail address. --org NAME starts a new organization (names are\n"
    "unique, whatever the case) whose first account this is, an admin; on an empty database\n"
    "that is the default, \"My organization\". Other accounts join organization --org-id\n"
    "(default 1). An address is unique within its organization, not across them.\n";

int rf_cmd_user(int argc, char **argv)
{
    const char *cmd = "user";
    if (argc < 2 || strcmp(argv[1], "add") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            fputs(usage, stdout);
            return RF_EXIT_OK;
        }
        return rf_cli_usage_error(cmd, "expected 'add' (see 'rolefit user --help')");
    }
    const char *email = NULL, *name = NULL, *role = "recruiter", *db = "rolefit.db",
               *org = NULL, *org_id_s = NULL, *data = rf_cli_default_path("data"), *pwmin_s = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {
        {"email", 1, &email, NULL}, {"name", 1, &name, NULL}, {"role", 1, &role, NULL},
        {"db", 1, &db, NULL},       {"org", 1, &org, NULL},   {"org-id", 1, &org_id_s, NULL},
        {"data", 1, &data, NULL},   {"password-min", 1, &pwmin_s, NULL},
    };
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse("user add", argc - 1, argv + 1, opts, sizeof opts / sizeof opts[0], pos,
                          0, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!email || !name)
        return rf_cli_usage_error("user add", "--email and --name are required");
    if (strcmp(role, "admin") && strcmp(role, "recruiter") && strcmp(role, "interviewer"))
        return rf_cli_usage_error("user add",
                                  "--role: expected admin, recruiter or interviewer, got '%s'",
                                  role);
    size_t org_id = 1, pwmin = RF_PASSWORD_MIN;
    if ((org_id_s &&
         (ec = rf_cli_size("user add", "org-id", org_id_s, 1, (size_t)1 << 40, &org_id))) ||
        (pwmin_s &&
         (ec = rf_cli_size("user add", "password-min", pwmin_s, RF_PASSWORD_MIN, 128, &pwmin))))
        return ec;
    if (org && org_id_s)
        return rf_cli_usage_error("user add", "--org and --org-id exclude each other");
    char pw[300];
    if (!fgets(pw, sizeof pw, stdin))
        return rf_cli_usage_error("user add", "no password on standard input");
    pw[strcspn(pw, "\r\n")] = '\0';
    struct rf_err err;
    rf_err_clear(&err);
    char hash[RF_PWHASH_LEN], path[4096];
    snprintf(path, sizeof path, "%s/common-passwords.txt", data);
    struct rf_pwpolicy pol;
    rf_status rc = rf_auth_init(&err);
    if (!rc && !(rc = rf_auth_pwpolicy_load(&pol, path, pwmin, &err))) {
        rc = rf_auth_password_check(&pol, pw, email, &err);
        rf_auth_pwpolicy_cleanup(&pol);
    }
    if (!rc)
        rc = rf_auth_hash_password(pw, hash, &err);
    if (rc)
        return rf_cli_fail("user add", rc, err.msg);
    struct rf_store *st;
    if ((rc = rf_store_open(db, &st, &err)))
        return rf_cli_fail("user add", rc, err.msg);
    int64_t n, oid = (int64_t)org_id, uid;
    rc = rf_store_user_count(st, &n, &err);
    if (!rc && (n == 0 || org)) {
        /* a new organization's first account is its admin */
        role = "admin";
        rc = rf_store_org_create(st, org ? org : "My organization", &oid, &err);
    } else if (!rc) {
        char *org_name = NULL;
        rc = rf_store_org_name(st, oid, &org_name, &err);
        free(org_name);
        if (rc == RF_ENOTFOUND)
            rc = rf_err_set(&err, RF_EINVAL, "%s: no organization %lld (--org-id)", db,
                            (long long)oid);
    }
    if (!rc)
        rc = rf_store_user_create(st, oid, email, name, role, hash, &uid, &err);
    rf_store_close(st);
    if (rc)
        return rf_cli_fail("user add", rc, err.msg);
    printf("added %s (%s) to organization %lld\n", email, role, (long long)oid);
    return RF_EXIT_OK;
}
