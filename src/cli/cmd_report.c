/* `rolefit report`: a profile's report as JSON, Markdown or self-contained HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/lang.h"
#include "careers/data.h"
#include "careers/html_report.h"
#include "careers/profile.h"
#include "careers/report.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

static const char usage[] =
    "usage: rolefit report --profile FILE|--session ID [--db FILE] [--format json|md|html]\n"
    "                      [--role ID] [--lang en|ja] [--data DIR]\n\n"
    "Writes the report of the skill profile FILE to stdout: measured skills with levels,\n"
    "fit to every role with its uncertainty, the gaps of one role (largest w*(1-p) first)\n"
    "with a learning plan naming the concepts missed and what to study, and the role's\n"
    "typical interview loop. html is one self-contained file with inline SVG charts.\n\n"
    "  --profile FILE  the profile (JSON, docs/profile-format.md)\n"
    "  --session ID    instead, the finished test ID of the server's database (its target\n"
    "                  role is the default --role)\n"
    "  --db FILE       the server's database for --session (default rolefit.db)\n"
    "  --format F      json (default), md or html\n"
    "  --role ID       the role to plan for (default: the best-fitting role)\n"
    "  --lang L        the report's language: en (default) or ja (labels, skill, role and\n"
    "                  level names, the learning plan and the interview loop)\n"
    "  --data DIR      folder with skills.json, roles.json, learning.json (default data)\n";

int rf_cmd_report(int argc, char **argv)
{
    const char *cmd = "report", *data = rf_cli_default_path("data"), *profile = NULL, *format = "json", *role = NULL,
               *session = NULL, *db = "rolefit.db", *lang = "en";
    int help = 0;
    struct rf_cli_opt opts[] = {{"profile", 1, &profile, NULL},
                                {"session", 1, &session, NULL},
                                {"db", 1, &db, NULL},
                                {"format", 1, &format, NULL},
                                {"role", 1, &role, NULL},
                                {"lang", 1, &lang, NULL},
                                {"data", 1, &data, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!profile == !session)
        return rf_cli_usage_error(cmd, "give one of --profile or --session (see 'rolefit report "
                                       "--help')");
    size_t sid = 0;
    if (session && (ec = rf_cli_size(cmd, "session", session, 1, (size_t)1 << 62, &sid)))
        return ec;
    if (strcmp(format, "json") && strcmp(format, "md") && strcmp(format, "html"))
        return rf_cli_usage_error(cmd, "--format: expected json, md or html, got '%s'", format);
    enum rf_lang rl;
    if (rf_lang_parse(lang, &rl))
        return rf_cli_usage_error(cmd, "--lang: unknown language '%s' (%s)", lang, RF_LANG_CODES);
    struct rf_careers c;
    struct rf_profile p;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char target[128] = "";
    if (profile) {
        rc = rf_profile_load(profile, &p, &err);
    } else {
        /* a finished test of the server's database: its stored profile and target role */
        struct rf_store *st;
        struct rf_test t;
        rc = rf_store_open(db, &st, &err);
        if (!rc) {
            rc = rf_store_test_get(st, (int64_t)sid, &t, &err);
            if (rc == RF_ENOTFOUND)
                rf_err_set(&err, rc, "%s: no test %zu", db, sid);
            else if (!rc && !t.profile)
                rc = rf_err_set(&err, RF_ECONFLICT, "%s: test %zu is not finished", db, sid);
            if (!rc) {
                char name[96];
                snprintf(name, sizeof name, "%s: test %zu", db, sid);
                rc = rf_profile_parse(name, t.profile, strlen(t.profile), &p, &err);
                json_t *scope = json_loads(t.scope, 0, NULL);
                const char *r0 = json_string_value(json_object_get(scope, "role"));
                if (r0)
                    snprintf(target, sizeof target, "%s", r0);
                json_decref(scope);
            }
            if (rc != RF_ENOTFOUND)
                rf_store_test_cleanup(&t);
            rf_store_close(st);
        }
        if (!role && target[0])
            role = target;
    }
    if (rc) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    json_t *r = NULL;
    struct rf_buf b;
    rf_buf_init(&b, RF_REPORT_MAX_BYTES);
    if ((rc = rf_report_build_lang(&p, &c, role, rl, &r, &err)))
        goto out;
    if (strcmp(format, "json") == 0) {
        char *s = rf_json_dumps_out(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!s || rf_buf_puts(&b, s) || rf_buf_putc(&b, '\n'))
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory writing the report");
        free(s);
    } else {
        rc = strcmp(format, "md") == 0 ? rf_report_markdown(r, &b) : rf_report_html(r, &b);
        if (rc)
            rf_err_set(&err, rc, "cannot render the report: %s", rf_strerror(rc));
    }
    if (!rc && fwrite(rf_buf_str(&b), 1, b.len, stdout) != b.len)
        rc = rf_err_set(&err, RF_EIO, "cannot write the report (standard output)");
out:
    rf_buf_cleanup(&b);
    json_decref(r);
    rf_profile_cleanup(&p);
    rf_careers_cleanup(&c);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
