/* `rolefit impact`: adverse impact of selection decisions per group, the
 * four-fifths rule with confidence intervals, small cells hidden. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "calib/impact.h"
#include "calib/people.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit impact --decisions FILE.csv --by COLUMN --decision COLUMN[,COLUMN...]\n"
    "                      [--min-group N] [--min-cell N] [--level X] [--format json|csv]\n"
    "                      [--out FILE]\n\n"
    "Adverse impact of selection decisions, for an audit: per group of COLUMN, the\n"
    "selection rate with its Wilson interval, and the ratio to the highest group's rate\n"
    "with its Katz interval and a two-proportion z test; a ratio below 0.8 fails the\n"
    "four-fifths rule. FILE.csv has a header row and one row per person: the group columns\n"
    "(an empty cell is a declined answer, left out) and one column per decision: 1\n"
    "selected, 0 not selected, empty no decision. A group below --min-group people, or\n"
    "with fewer than --min-cell selected or not selected, shows no figure at all, and the\n"
    "highest rate is taken among the groups shown. docs/fairness.md has the formulas.\n\n"
    "  --decisions F   the people and their decisions\n"
    "  --by COLUMN     the group column (gender, age_band, first_language, country, ...)\n"
    "  --decision L    the decision columns, comma-separated (e.g. selected,meets_python)\n"
    "  --min-group N   people with a decision a group needs to be shown, default 30\n"
    "  --min-cell N    selected and not selected a group needs to be shown, default 5\n"
    "  --level X       confidence level of the intervals, default 0.95\n"
    "  --format F      json (default) or csv (one row per decision and group)\n"
    "  --out FILE      write there (atomically) instead of stdout\n";

/* The groups of column jby and their counts for decision column jd. */
static rf_status count_groups(const struct rf_people *p, size_t jby, size_t jd, const char **vals,
                              size_t nvals, struct rf_impact_group *g, struct rf_err *err)
{
    for (size_t k = 0; k < nvals; k++)
        g[k] = (struct rf_impact_group){vals[k], 0, 0};
    for (size_t i = 0; i < p->nrows; i++) {
        const char *grp = rf_people_cell(p, i, jby), *dec = rf_people_cell(p, i, jd);
        int sel;
        if (!dec[0])
            continue;
        if (strcmp(dec, "1") == 0)
            sel = 1;
        else if (strcmp(dec, "0") == 0)
            sel = 0;
        else
            return rf_err_set(err, RF_EINVAL,
                              "%s:%zu: column '%s': expected 1, 0 or empty, got '%s'", p->name,
                              p->line[i], p->cols[jd], dec);
        if (!grp[0])
            continue;
        size_t lo = 0, hi = nvals; /* vals are sorted */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(vals[mid], grp) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        g[lo].n++;
        g[lo].selected += (size_t)sel;
    }
    return RF_OK;
}

int rf_cmd_impact(int argc, char **argv)
{
    const char *cmd = "impact";
    const char *file = NULL, *by = NULL, *dec_s = NULL, *min_s = NULL, *cell_s = NULL,
               *level_s = NULL, *format_s = NULL, *out_s = NULL;
    int help = 0;
    struct rf_cli_opt opts[] = {
        {"decisions", 1, &file, NULL},  {"by", 1, &by, NULL},
        {"decision", 1, &dec_s, NULL},  {"min-group", 1, &min_s, NULL},
        {"min-cell", 1, &cell_s, NULL}, {"level", 1, &level_s, NULL},
        {"format", 1, &format_s, NULL}, {"out", 1, &out_s, NULL},
    };
    const char *pos[1];
    size_t npos;
    int ec =
        rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!file || !by || !dec_s)
        return rf_cli_usage_error(cmd, "give --decisions, --by and --decision (see 'rolefit "
                                       "impact --help')");
    struct rf_impact_opts o;
    rf_impact_opts_default(&o);
    if ((min_s && (ec = rf_cli_size(cmd, "min-group", min_s, 1, 100000000, &o.min_group))) ||
        (cell_s && (ec = rf_cli_size(cmd, "min-cell", cell_s, 0, 100000000, &o.min_cell))) ||
        (level_s && (ec = rf_cli_double(cmd, "level", level_s, 0.5, 0.9999, &o.level))))
        return ec;
    int csv = 0;
    if (format_s && strcmp(format_s, "csv") == 0)
        csv = 1;
    else if (format_s && strcmp(format_s, "json") != 0)
        return rf_cli_usage_error(cmd, "--format: expected json or csv, got '%s'", format_s);

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_people p = {0};
    char *decs = rf_strdup(dec_s);
    const char **vals = NULL;
    size_t nvals = 0, jby;
    struct rf_impact_group *g = NULL;
    struct rf_impact_row *rows = NULL;
    json_t *root = NULL, *list = NULL;
    struct rf_buf out;
    rf_buf_init(&out, (size_t)RF_MAX_FILE_BYTES);
    rf_status rc;
    if (!decs) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = rf_people_load(file, &p, &err)) || (rc = rf_people_column(&p, by, &jby, &err)) ||
        (rc = rf_people_values(&p, jby, &vals, &nvals, &err)))
        goto done;
    g = rf_alloc_array(nvals ? nvals : 1, sizeof *g);
    rows = rf_alloc_array(nvals ? nvals : 1, sizeof *rows);
    if (!g || !rows) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    if (csv) {
        if ((rc = rf_impact_csv_header(&out))) {
            rf_err_set(&err, rc, "output too large");
            goto done;
        }
    } else {
        root = json_pack("{s:s,s:I,s:I,s:f}", "by", by, "min_group", (json_int_t)o.min_group,
                         "min_cell", (json_int_t)o.min_cell, "level", o.level);
        list = json_array();
        if (!root || !list || json_object_set(root, "decisions", list)) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
            goto done;
        }
    }
    for (char *dec = decs, *next; dec; dec = next) {
        next = strchr(dec, ',');
        if (next)
            *next++ = '\0';
        size_t jd;
        if (!*dec) {
            ec = rf_cli_usage_error(cmd, "--decision: an empty name in '%s'", dec_s);
            goto done_ec;
        }
        if ((rc = rf_people_column(&p, dec, &jd, &err)) ||
            (rc = count_groups(&p, jby, jd, vals, nvals, g, &err)) ||
            (rc = rf_impact_compute(g, nvals, &o, rows, &err)))
            goto done;
        size_t below = 0;
        json_t *groups = csv ? NULL : json_array();
        if (!csv && !groups) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
            goto done;
        }
        for (size_t k = 0; k < nvals; k++) {
            below += !rows[k].hidden && rows[k].four_fifths;
            if (csv) {
                if ((rc = rf_impact_row_csv(&out, dec, by, &g[k], &rows[k]))) {
                    rf_err_set(&err, rc, "output too large");
                    goto done;
                }
            } else if (json_array_append_new(groups, rf_impact_row_json(&g[k], &rows[k]))) {
                json_decref(groups);
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
                goto done;
            }
        }
        if (!csv) {
            json_t *d = json_pack("{s:s,s:I,s:o}", "decision", dec, "below_four_fifths",
                                  (json_int_t)below, "groups", groups);
            if (!d || json_array_append_new(list, d)) {
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
                goto done;
            }
        }
        if (below)
            fprintf(stderr,
                    "rolefit impact: %s: %zu groups of '%s' below four fifths of the "
                    "highest rate\n",
                    dec, below, by);
    }
    rc = rf_cli_output(out_s, csv ? NULL : root, out.data, out.len, &err);
done:
    ec = rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
done_ec:
    rf_buf_cleanup(&out);
    json_decref(list);
    json_decref(root);
    free(rows), free(g), free(vals), free(decs);
    rf_people_cleanup(&p);
    return ec;
}
