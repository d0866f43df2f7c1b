/* `rolefit score`: ability estimates for every person of a fixed form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/params.h"
#include "bank/responses.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/ability.h"
#include "irt/quad.h"

static const char usage[] =
    "usage: rolefit score --params PARAMS --responses RESPONSES.csv [--method eap|map|mle|wle]\n"
    "                     [--quad N] [--range LO,HI]\n\n"
    "Scores every person of a fixed form. PARAMS is a calibration output (JSON with\n"
    "\"items\", or CSV with columns id,model,a,b,c); RESPONSES.csv has a header row of item\n"
    "ids (optionally a first column 'person') and one row per person with categories\n"
    "(0/1) or empty cells for items not administered.\n\n"
    "Writes CSV to stdout: person,theta,se,n (n = items answered). Where MLE or WLE has no\n"
    "finite estimate (e.g. a perfect score) theta and se are NA and a count goes to stderr.\n\n"
    "  --method M    eap (default; posterior mean and SD), map, mle or wle (Warm)\n"
    "  --quad N      quadrature nodes for EAP/MAP, default 61 on [-6, 6], N(0,1) prior\n"
    "  --range LO,HI quadrature range, default -6,6\n";

int rf_cmd_score(int argc, char **argv)
{
    const char *cmd = "score";
    const char *params = NULL, *responses = NULL, *method_s = "eap", *quad_s = NULL,
               *range_s = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {
        {"params", 1, &params, NULL},   {"responses", 1, &responses, NULL},
        {"method", 1, &method_s, NULL}, {"quad", 1, &quad_s, NULL},
        {"range", 1, &range_s, NULL},
    };
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
    if (!params)
        return rf_cli_usage_error(cmd, "--params is required (see 'rolefit score --help')");
    if (!responses)
        return rf_cli_usage_error(cmd, "--responses is required (see 'rolefit score --help')");
    enum rf_method method;
    if (rf_irt_method_parse(method_s, &method))
        return rf_cli_usage_error(cmd, "--method: expected eap, map, mle or wle, got '%s'",
                                  method_s);
    size_t nq = RF_QUAD_DEFAULT_N;
    if (quad_s && (ec = rf_cli_size(cmd, "quad", quad_s, RF_QUAD_MIN_N, RF_QUAD_MAX_N, &nq)))
        return ec;
    double lo = RF_QUAD_DEFAULT_LO, hi = RF_QUAD_DEFAULT_HI;
    if (range_s) {
        char *comma = strchr(range_s, ',');
        char lo_s[64];
        if (!comma || (size_t)(comma - range_s) >= sizeof lo_s)
            return rf_cli_usage_error(cmd, "--range: expected LO,HI, got '%s'", range_s);
        memcpy(lo_s, range_s, (size_t)(comma - range_s));
        lo_s[comma - range_s] = '\0';
        if ((ec = rf_cli_double(cmd, "range", lo_s, -20, 20, &lo)) ||
            (ec = rf_cli_double(cmd, "range", comma + 1, -20, 20, &hi)))
            return ec;
        if (lo >= hi)
            return rf_cli_usage_error(cmd, "--range: LO must be below HI, got '%s'", range_s);
    }

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_param_table pt;
    rf_status rc = rf_params_load(params, &pt, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    int max_cat = 2;
    for (size_t i = 0; i < pt.n; i++)
        if ((int)pt.items[i].ncat > max_cat)
            max_cat = (int)pt.items[i].ncat;
    struct rf_responses r;
    rc = rf_responses_load(responses, max_cat, &r, &err);
    if (rc) {
        rf_params_cleanup(&pt);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    struct rf_irt_item *items = rf_alloc_array(r.nitems, sizeof *items);
    int *resp = rf_alloc_array(r.nitems, sizeof *resp);
    struct rf_quad q = {0};
    struct rf_scorer *sc = NULL;
    if (!items || !resp) {
        rc = RF_ENOMEM;
        rf_err_set(&err, rc, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < r.nitems; j++) {
        size_t idx;
        if (rf_params_find(&pt, r.item_ids[j], &idx)) {
            rc = rf_err_set(&err, RF_ENOTFOUND, "%s:1: column %zu: item '%s' is not in %s",
                            responses, j + 1 + (r.person_ids != NULL), r.item_ids[j], params);
            goto out;
        }
        items[j] = pt.items[idx];
    }
    if ((rc = rf_quad_init_even(&q, nq, lo, hi, 0.0, 1.0, &err)))
        goto out;
    if ((rc = rf_scorer_new(items, r.nitems, &q, &sc, &err)))
        goto out;
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    printf("person,theta,se,n\n");
    size_t no_estimate = 0;
    for (size_t i = 0; i < r.npersons; i++) {
        const signed char *row = r.x + i * r.nitems;
        for (size_t j = 0; j < r.nitems; j++) {
            /* a response category or -1, never a character */
            /* NOLINTNEXTLINE(bugprone-signed-char-misuse,cert-str34-c) */
            int v = row[j];
            if (v != RF_RESP_MISSING && v >= (int)items[j].ncat) {
                rc = rf_err_set(&err, RF_EINVAL,
                                "%s: person %zu, item '%s': category %d but the item has %zu",
                                responses, i + 1, r.item_ids[j], v, items[j].ncat);
                goto out;
            }
            resp[j] = v == RF_RESP_MISSING ? RF_MISSING : v;
        }
        struct rf_ability ab;
        struct rf_err e2;
        rf_err_clear(&e2);
        rf_status erc = rf_scorer_estimate(sc, resp, method, &ab, &e2);
        char pid[32];
        const char *person = r.person_ids ? r.person_ids[i] : pid;
        if (!r.person_ids)
            snprintf(pid, sizeof pid, "%zu", i + 1);
        if (erc == RF_ERANGE) {
            size_t n = 0;
            for (size_t j = 0; j < r.nitems; j++)
                n += resp[j] != RF_MISSING;
            printf("%s,NA,NA,%zu\n", person, n);
            no_estimate++;
            continue;
        }
        if (erc) {
            rc = erc;
            rf_err_set(&err, erc, "%s: person %zu: %s", responses, i + 1, e2.msg);
            goto out;
        }
        if (fabs(ab.theta) < 5e-7)
            ab.theta = 0.0; /* print 0.000000, not -0.000000 */
        printf("%s,%.6f,%.6f,%zu\n", person, ab.theta, ab.se, ab.n);
    }
    (void)fflush(stdout); /* before the note on stderr; a write error fails in main() */
    if (no_estimate)
        fprintf(stderr,
                "rolefit score: %zu of %zu persons have no finite %s estimate (no responses, or "
                "all in the top or bottom category); their theta is NA\n",
                no_estimate, r.npersons, rf_irt_method_name(method));
out:
    rf_scorer_free(sc);
    rf_quad_cleanup(&q);
    free(items);
    free(resp);
    rf_responses_cleanup(&r);
    rf_params_cleanup(&pt);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
