/* Option parsing, numeric option values and exit codes of the rolefit CLI. */
#include "cli/cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/json.h"

int rf_cli_exit_code(rf_status rc)
{
    switch (rc) {
    case RF_OK: return RF_EXIT_OK;
    case RF_ENOMEM: return RF_EXIT_NOMEM;
    case RF_EIO: return RF_EXIT_IO;
    case RF_EDB:
    case RF_EFULL:
    case RF_EUNAVAIL: return RF_EXIT_DB;
    default: return RF_EXIT_DATA;
    }
}

/* The installed share folder, PREFIX/share/rolefit, when the running binary is
 * PREFIX/bin/rolefit and that folder holds data/skills.json; else "" (a checkout). */
static const char *share_dir(void)
{
    static int done;
    static char dir[PATH_MAX];
    if (done)
        return dir;
    done = 1;
    char exe[PATH_MAX], probe[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return dir;
    exe[n] = '\0';
    for (int up = 0; up < 2; up++) { /* PREFIX/bin/rolefit -> PREFIX */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return dir;
        *slash = '\0';
    }
    int w = snprintf(dir, sizeof dir, "%s/share/rolefit", exe);
    snprintf(probe, sizeof probe, "%s/data/skills.json", dir);
    if (w < 0 || (size_t)w >= sizeof dir || access(probe, R_OK) != 0)
        dir[0] = '\0';
    return dir;
}

const char *rf_cli_default_path(const char *rel)
{
    static char slots[8][PATH_MAX];
    static size_t nslots;
    const char *share = share_dir();
    if (!share[0])
        return rel;
    size_t ns = strlen(share);
    for (size_t i = 0; i < nslots; i++)
        if (strcmp(slots[i] + ns + 1, rel) == 0)
            return slots[i];
    if (nslots == sizeof slots / sizeof slots[0] || ns + 1 + strlen(rel) >= PATH_MAX)
        return rel;
    snprintf(slots[nslots], PATH_MAX, "%s/%s", share, rel);
    return slots[nslots++];
}

int rf_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rolefit %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return RF_EXIT_USAGE;
}

int rf_cli_fail(const char *cmd, rf_status rc, const char *msg)
{
    fprintf(stderr, "rolefit %s: %s\n", cmd, msg && msg[0] ? msg : rf_strerror(rc));
    return rf_cli_exit_code(rc);
}

int rf_cli_parse(const char *cmd, int argc, char **argv, const struct rf_cli_opt *opts,
                 size_t nopts, const char **pos, size_t maxpos, size_t *npos, int *help)
{
    *npos = 0;
    *help = 0;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_pos || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (*npos >= maxpos)
                return rf_cli_usage_error(cmd, "unexpected argument '%s' (see 'rolefit %s --help')",
                                          arg, cmd);
            pos[(*npos)++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            *help = 1;
            continue;
        }
        if (arg[1] != '-')
            return rf_cli_usage_error(cmd, "unknown option '%s' (see 'rolefit %s --help')", arg,
                                      cmd);
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct rf_cli_opt *o = NULL;
        for (size_t k = 0; k < nopts; k++)
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0)
                o = &opts[k];
        if (!o)
            return rf_cli_usage_error(cmd, "unknown option '--%.*s' (see 'rolefit %s --help')",
                                      (int)nlen, name, cmd);
        if (!o->has_arg) {
            if (eq)
                return rf_cli_usage_error(cmd, "option --%s takes no value", o->name);
            *o->flag = 1;
            continue;
        }
        const char *val;
        if (eq) {
            val = eq + 1;
        } else {
            if (i + 1 >= argc)
                return rf_cli_usage_error(cmd, "option --%s needs a value", o->name);
            val = argv[++i];
        }
        *o->value = val;
    }
    return RF_EXIT_OK;
}

int rf_cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi,
                  double *out)
{
    double v;
    if (rf_parse_double(s, &v) || v < lo || v > hi)
        return rf_cli_usage_error(cmd, "--%s: expected a number from %g to %g, got '%s'", opt, lo,
                                  hi, s);
    *out = v;
    return RF_EXIT_OK;
}

int rf_cli_size(const char *cmd, const char *opt, const char *s, size_t lo, size_t hi,
                size_t *out)
{
    size_t v;
    if (rf_parse_size(s, &v) || v < lo || v > hi)
        return rf_cli_usage_error(cmd, "--%s: expected a whole number from %zu to %zu, got '%s'",
                                  opt, lo, hi, s);
    *out = v;
    return RF_EXIT_OK;
}

int rf_cli_u64(const char *cmd, const char *opt, const char *s, unsigned long long *out)
{
    if (rf_parse_u64(s, out))
        return rf_cli_usage_error(cmd, "--%s: expected a whole number >= 0, got '%s'", opt, s);
    return RF_EXIT_OK;
}

rf_status rf_cli_output(const char *path, const json_t *json, const char *text, size_t len,
                        struct rf_err *err)
{
    char *dump = NULL;
    if (json) {
        char *j = rf_json_dumps_out(json, JSON_INDENT(2));
        size_t n = j ? strlen(j) : 0;
        dump = j ? realloc(j, n + 2) : NULL;
        if (!dump) {
            free(j);
            return rf_err_set(err, RF_ENOMEM, "out of memory writing the output");
        }
        dump[n] = '\n';
        dump[n + 1] = '\0';
        text = dump;
        len = n + 1;
    }
    rf_status rc = RF_OK;
    if (path)
        rc = rf_file_write_atomic(path, text, len, err);
    else if (fwrite(text, 1, len, stdout) != len || fflush(stdout))
        rc = rf_err_set(err, RF_EIO, "writing to stdout failed");
    free(dump);
    return rc;
}
