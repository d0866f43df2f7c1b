/* `rolefit dif`: differential item functioning by Mantel-Haenszel and
 * logistic regression, per item, for each focal group against a reference
 * group; or, with --simulate, the detection rates by seeded simulation. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/responses.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "calib/dif.h"
#include "calib/people.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit dif --responses FILE.csv --people FILE.csv --by COLUMN --reference GROUP\n"
    "                   [--focal GROUP[,GROUP...]] [--match total|rest|theta] [--theta COLUMN]\n"
    "                   [--strata N] [--min-group N] [--alpha X] [--no-logistic]\n"
    "                   [--format json|csv] [--out FILE]\n"
    "       rolefit dif --simulate [--replications N] [--persons N] [--items N] [--dif X]\n"
    "                   [--slope A] [--dif-b B|random] [--impact X] [--seed N]\n"
    "                   [--match total|rest|theta] [--alpha X] [--json]\n\n"
    "Differential item functioning: whether an item favours one group over another among\n"
    "people of equal ability. Per item and per focal group: Mantel-Haenszel (common odds\n"
    "ratio, MH D-DIF = -2.35 ln alpha with its SE, the MH chi-square, the ETS class A, B\n"
    "or C) and logistic regression (likelihood-ratio tests of uniform and non-uniform DIF,\n"
    "the rise of Nagelkerke R2, class A, B or C). docs/fairness.md has the formulas.\n"
    "FILE.csv of --responses: the response format of calibrate (0/1 cells), with a first\n"
    "column 'person'. --people: a CSV with a header row, a 'person' column and the\n"
    "self-reported group columns; an empty cell is a declined answer, and people without a\n"
    "row or a group are left out. No figure of an item is shown until each group has\n"
    "--min-group answers to it.\n\n"
    "  --responses F   the responses (0/1, a 'person' column)\n"
    "  --people F      the people table (person, group columns, optionally theta)\n"
    "  --by COLUMN     the group column of --people (gender, age_band, ...)\n"
    "  --reference G   the reference group, a value of COLUMN\n"
    "  --focal LIST    focal groups, comma-separated (default: every other value)\n"
    "  --match M       matching variable: total (total score, the studied item included;\n"
    "                  the default), rest (without it) or theta (equal-count strata of the\n"
    "                  --theta column; for adaptive tests, where people answer different items)\n"
    "  --theta COLUMN  the column of --people holding theta (default theta)\n"
    "  --strata N      theta strata, 2 to 100, default 10\n"
    "  --min-group N   answers needed in each group before an item is shown, default 100\n"
    "  --alpha X       significance level of the ETS and logistic classes, default 0.05\n"
    "  --no-logistic   Mantel-Haenszel only\n"
    "  --format F      json (default) or csv (one row per item and focal group)\n"
    "  --out FILE      write there (atomically) instead of stdout\n\n"
    "--simulate measures the detection rates instead: each replication draws a 2PL form\n"
    "(a ~ U(0.8, 2), b ~ N(0, 1)) whose first item is harder for the focal group by --dif\n"
    "on the theta scale, answered by --persons people per group, and prints how often the\n"
    "DIF item and the others are classed C, B or C, and flagged by logistic regression.\n"
    "  --replications N  default 1000\n"
    "  --persons N       people per group, default 500\n"
    "  --items N         items of the form, 2 to 200, default 20\n"
    "  --dif X           difficulty shift of the first item for the focal group, default 0.6\n"
    "  --slope A         slope of the DIF item, default 1.7 (the focal group's log-odds are\n"
    "                    A x X lower; 1.7 is slope 1 on the normal-ogive scale)\n"
    "  --dif-b B         the DIF item's difficulty for the reference group, default 0, or\n"
    "                    random: drawn N(0, 1) like the others\n"
    "  --impact X        focal group's mean theta (reference N(0, 1)), default 0\n"
    "  --seed N          default 19\n"
    "  --json            one JSON object instead of the table\n";

/* Splits a comma list into *out (pointers into a copy returned in *buf). */
static int split_list(const char *cmd, const char *opt, const char *s, char **buf,
                      const char ***out, size_t *n)
{
    char *copy = rf_strdup(s);
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    const char **v = rf_alloc_array(cap, sizeof *v);
    if (!copy || !v) {
        free(copy);
        free(v);
        return rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (char *tok = copy, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (!*tok) {
            free(copy);
            free(v);
            return rf_cli_usage_error(cmd, "--%s: an empty name in '%s'", opt, s);
        }
        v[k++] = tok;
    }
    *buf = copy;
    *out = v;
    *n = k;
    return RF_EXIT_OK;
}

static int parse_match(const char *cmd, const char *s, enum rf_dif_match *m)
{
    if (strcmp(s, "total") == 0)
        *m = RF_DIF_MATCH_TOTAL;
    else if (strcmp(s, "rest") == 0)
        *m = RF_DIF_MATCH_REST;
    else if (strcmp(s, "theta") == 0)
        *m = RF_DIF_MATCH_THETA;
    else
        return rf_cli_usage_error(cmd, "--match: expected total, rest or theta, got '%s'", s);
    return RF_EXIT_OK;
}

static const char *match_name(enum rf_dif_match m)
{
    return m == RF_DIF_MATCH_TOTAL ? "total" : m == RF_DIF_MATCH_REST ? "rest" : "theta";
}

static int run_simulation(const char *cmd, const char *const *val, int json, double alpha,
                          enum rf_dif_match match)
{
    struct rf_dif_sim_opts so = {.replications = 1000,
                                 .persons = 500,
                                 .nitems = 20,
                                 .dif = 0.6,
                                 .dif_slope = 1.7,
                                 .dif_b = 0,
                                 .impact = 0,
                                 .seed = 19};
    rf_dif_opts_default(&so.dif_opts);
    so.dif_opts.alpha = alpha;
    so.dif_opts.match = match;
    int ec;
    unsigned long long seed = so.seed;
    if ((val[0] && (ec = rf_cli_size(cmd, "replications", val[0], 1, 1000000, &so.replications))) ||
        (val[1] && (ec = rf_cli_size(cmd, "persons", val[1], 1, 1000000, &so.persons))) ||
        (val[2] && (ec = rf_cli_size(cmd, "items", val[2], 2, 200, &so.nitems))) ||
        (val[3] && (ec = rf_cli_double(cmd, "dif", val[3], -5, 5, &so.dif))) ||
        (val[4] && (ec = rf_cli_double(cmd, "slope", val[4], 0.05, 10, &so.dif_slope))) ||
        (val[5] && (ec = rf_cli_double(cmd, "impact", val[5], -5, 5, &so.impact))) ||
        (val[6] && (ec = rf_cli_u64(cmd, "seed", val[6], &seed))))
        return ec;
    if (val[7] && strcmp(val[7], "random") == 0)
        so.dif_b = NAN;
    else if (val[7] && (ec = rf_cli_double(cmd, "dif-b", val[7], -5, 5, &so.dif_b)))
        return ec;
    so.seed = seed;
    /* the simulated groups are never below the shown minimum */
    so.dif_opts.min_group = 1;
    struct rf_dif_sim_result r;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_dif_simulate(&so, &r, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    if (json) {
        json_t *o = json_pack(
            "{s:I,s:I,s:I,s:f,s:f,s:o,s:f,s:I,s:s,s:f,s:{s:f,s:f,s:f,s:f},s:{s:f,s:f,s:f,s:f}}",
            "replications", (json_int_t)so.replications, "persons", (json_int_t)so.persons, "items",
            (json_int_t)so.nitems, "dif", so.dif, "slope", so.dif_slope, "dif_b",
            isnan(so.dif_b) ? json_string("random") : json_real(so.dif_b), "impact", so.impact,
            "seed", (json_int_t)so.seed, "match", match_name(match), "alpha", alpha, "dif_item",
            "c", r.dif_c, "b_or_c", r.dif_bc, "logistic", r.dif_lr, "mean_d_dif", r.mean_d_dif,
            "other_items", "c", r.null_c, "b_or_c", r.null_bc, "logistic", r.null_lr, "mean_d_dif",
            r.mean_d_null);
        if (!o || rf_json_dumpf_out(o, stdout, JSON_INDENT(2)) != 0) {
            json_decref(o);
            return rf_cli_fail(cmd, RF_ENOMEM, "out of memory writing the output");
        }
        json_decref(o);
        return RF_EXIT_OK;
    }
    char bdesc[32];
    if (isnan(so.dif_b))
        snprintf(bdesc, sizeof bdesc, "random");
    else
        snprintf(bdesc, sizeof bdesc, "%g", so.dif_b);
    printf("DIF detection (seed %llu, %zu replications, %zu people per group, %zu items,\n"
           "  first item: b %s, + %g for the focal group, slope %g; focal mean theta %g;\n"
           "  matching %s, alpha %g)\n",
           (unsigned long long)so.seed, so.replications, so.persons, so.nitems, bdesc, so.dif,
           so.dif_slope, so.impact, match_name(match), alpha);
    printf("%-12s %8s %8s %10s %12s\n", "items", "C", "B or C", "logistic", "mean D-DIF");
    printf("%-12s %8.4f %8.4f %10.4f %12.3f\n", "DIF item", r.dif_c, r.dif_bc, r.dif_lr,
           r.mean_d_dif);
    printf("%-12s %8.4f %8.4f %10.4f %12.3f\n", "other items", r.null_c, r.null_bc, r.null_lr,
           r.mean_d_null);
    return RF_EXIT_OK;
}

int rf_cmd_dif(int argc, char **argv)
{
    const char *cmd = "dif";
    const char *responses = NULL, *people_s = NULL, *by = NULL, *reference = NULL, *focal_s = NULL,
               *match_s = NULL, *theta_s = NULL, *strata_s = NULL, *min_s = NULL, *alpha_s = NULL,
               *format_s = NULL, *out_s = NULL;
    const char *sim_val[8] = {NULL};
    int help = 0, no_lr = 0, simulate = 0, json_flag = 0;
    struct rf_cli_opt opts[] = {
        {"responses", 1, &responses, NULL},
        {"people", 1, &people_s, NULL},
        {"by", 1, &by, NULL},
        {"reference", 1, &reference, NULL},
        {"focal", 1, &focal_s, NULL},
        {"match", 1, &match_s, NULL},
        {"theta", 1, &theta_s, NULL},
        {"strata", 1, &strata_s, NULL},
        {"min-group", 1, &min_s, NULL},
        {"alpha", 1, &alpha_s, NULL},
        {"no-logistic", 0, NULL, &no_lr},
        {"format", 1, &format_s, NULL},
        {"out", 1, &out_s, NULL},
        {"simulate", 0, NULL, &simulate},
        {"replications", 1, &sim_val[0], NULL},
        {"persons", 1, &sim_val[1], NULL},
        {"items", 1, &sim_val[2], NULL},
        {"dif", 1, &sim_val[3], NULL},
        {"slope", 1, &sim_val[4], NULL},
        {"impact", 1, &sim_val[5], NULL},
        {"seed", 1, &sim_val[6], NULL},
        {"json", 0, NULL, &json_flag},
        {"dif-b", 1, &sim_val[7], NULL},
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
    struct rf_dif_opts o;
    rf_dif_opts_default(&o);
    if ((match_s && (ec = parse_match(cmd, match_s, &o.match))) ||
        (alpha_s && (ec = rf_cli_double(cmd, "alpha", alpha_s, 1e-6, 0.49, &o.alpha))))
        return ec;
    if (simulate) {
        const char *real[] = {responses, people_s, by,    reference, focal_s,
                              theta_s,   strata_s, min_s, format_s,  out_s};
        const char *names[] = {"responses", "people", "by",        "reference", "focal",
                               "theta",     "strata", "min-group", "format",    "out"};
        for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
            if (real[i])
                return rf_cli_usage_error(cmd, "--%s does not go with --simulate", names[i]);
        if (no_lr)
            return rf_cli_usage_error(cmd, "--no-logistic does not go with --simulate");
        return run_simulation(cmd, sim_val, json_flag, o.alpha, o.match);
    }
    if (json_flag)
        return rf_cli_usage_error(cmd, "--json goes with --simulate only");
    for (size_t i = 0; i < sizeof sim_val / sizeof sim_val[0]; i++)
        if (sim_val[i])
            return rf_cli_usage_error(cmd, "--%s goes with --simulate only",
                                      i < 7 ? opts[14 + i].name : "dif-b");
    if (!responses || !people_s || !by || !reference)
        return rf_cli_usage_error(cmd, "give --responses, --people, --by and --reference (see "
                                       "'rolefit dif --help')");
    o.logistic = !no_lr;
    if ((strata_s && (ec = rf_cli_size(cmd, "strata", strata_s, 2, 100, &o.strata))) ||
        (min_s && (ec = rf_cli_size(cmd, "min-group", min_s, 1, 100000000, &o.min_group))))
        return ec;
    if (theta_s && o.match != RF_DIF_MATCH_THETA)
        return rf_cli_usage_error(cmd, "--theta goes with --match theta");
    if (strata_s && o.match != RF_DIF_MATCH_THETA)
        return rf_cli_usage_error(cmd, "--strata goes with --match theta");
    int csv = 0;
    if (format_s && strcmp(format_s, "csv") == 0)
        csv = 1;
    else if (format_s && strcmp(format_s, "json") != 0)
        return rf_cli_usage_error(cmd, "--format: expected json or csv, got '%s'", format_s);

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_responses r = {0};
    struct rf_people p = {0};
    const char **focal = NULL, **values = NULL;
    char *focal_buf = NULL;
    size_t nfocal = 0, nvalues = 0;
    size_t *rows = NULL;
    signed char *group = NULL;
    double *theta = NULL;
    struct rf_dif_item *items = NULL;
    json_t *root = NULL, *comps = NULL;
    struct rf_buf out;
    rf_buf_init(&out, (size_t)RF_MAX_FILE_BYTES);
    size_t jby, jperson, jtheta = 0;
    rf_status rc;
    if ((rc = rf_responses_load(responses, 2, &r, &err)) ||
        (rc = rf_people_load(people_s, &p, &err)))
        goto done;
    if (!r.person_ids) {
        rc = rf_err_set(&err, RF_EINVAL,
                        "%s: no 'person' column, so its rows cannot be joined to %s", responses,
                        people_s);
        goto done;
    }
    if ((rc = rf_people_column(&p, "person", &jperson, &err)) ||
        (rc = rf_people_column(&p, by, &jby, &err)) ||
        (o.match == RF_DIF_MATCH_THETA &&
         (rc = rf_people_column(&p, theta_s ? theta_s : "theta", &jtheta, &err))) ||
        (rc = rf_people_values(&p, jby, &values, &nvalues, &err)))
        goto done;
    if (focal_s) {
        if ((ec = split_list(cmd, "focal", focal_s, &focal_buf, &focal, &nfocal)))
            goto done_ec;
    } else {
        if (!(focal = rf_alloc_array(nvalues ? nvalues : 1, sizeof *focal))) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < nvalues; k++)
            if (strcmp(values[k], reference) != 0)
                focal[nfocal++] = values[k];
    }
    /* every named group must occur in the column */
    for (size_t k = 0; k <= nfocal; k++) {
        const char *g = k < nfocal ? focal[k] : reference;
        size_t v = 0;
        while (v < nvalues && strcmp(values[v], g) != 0)
            v++;
        if (v == nvalues) {
            rc = rf_err_set(&err, RF_ENOTFOUND, "%s: nobody is in group '%s' of column '%s'",
                            people_s, g, by);
            goto done;
        }
        if (k < nfocal && strcmp(g, reference) == 0) {
            ec = rf_cli_usage_error(cmd, "--focal: '%s' is the reference group", g);
            goto done_ec;
        }
    }
    if (nfocal == 0) {
        rc = rf_err_set(&err, RF_EINVAL, "%s: column '%s' has no group besides '%s'", people_s, by,
                        reference);
        goto done;
    }
    rows = rf_alloc_array(r.npersons ? r.npersons : 1, sizeof *rows);
    group = rf_alloc_array(r.npersons ? r.npersons : 1, 1);
    theta = rf_alloc_array(r.npersons ? r.npersons : 1, sizeof *theta);
    items = rf_alloc_array(r.nitems ? r.nitems : 1, sizeof *items);
    if (!rows || !group || !theta || !items) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = rf_people_join(&p, jperson, (const char *const *)r.person_ids, r.npersons, rows,
                             &err)))
        goto done;
    for (size_t i = 0; i < r.npersons; i++) {
        theta[i] = NAN;
        if (o.match != RF_DIF_MATCH_THETA || rows[i] == SIZE_MAX)
            continue;
        const char *t = rf_people_cell(&p, rows[i], jtheta);
        if (t[0] && (rf_parse_double(t, &theta[i]) || !isfinite(theta[i]))) {
            rc = rf_err_set(&err, RF_EINVAL, "%s:%zu: column '%s': expected a number, got '%s'",
                            people_s, p.line[rows[i]], p.cols[jtheta], t);
            goto done;
        }
    }
    if (csv) {
        if ((rc = rf_dif_csv_header(&out))) {
            rf_err_set(&err, rc, "output too large");
            goto done;
        }
    } else {
        root =
            json_pack("{s:s,s:s,s:s,s:I,s:f}", "by", by, "reference", reference, "match",
                      match_name(o.match), "min_group", (json_int_t)o.min_group, "alpha", o.alpha);
        comps = json_array();
        if (!root || !comps || json_object_set(root, "comparisons", comps)) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
            goto done;
        }
    }
    struct rf_dif_data d = {.npersons = r.npersons,
                            .nitems = r.nitems,
                            .item_ids = (const char *const *)r.item_ids,
                            .person_ids = (const char *const *)r.person_ids,
                            .x = r.x,
                            .group = group,
                            .theta = theta};
    for (size_t k = 0; k < nfocal; k++) {
        for (size_t i = 0; i < r.npersons; i++) {
            const char *g = rows[i] == SIZE_MAX ? "" : rf_people_cell(&p, rows[i], jby);
            group[i] = (signed char)(strcmp(g, reference) == 0  ? 0
                                     : strcmp(g, focal[k]) == 0 ? 1
                                                                : -1);
        }
        if ((rc = rf_dif_run(&d, &o, items, &err))) {
            rf_err_prefix(&err, "%s", responses);
            goto done;
        }
        size_t counts[3] = {0}, hidden = 0;
        json_t *list = csv ? NULL : json_array();
        if (!csv && !list) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
            goto done;
        }
        for (size_t j = 0; j < r.nitems; j++) {
            const struct rf_dif_item *it = &items[j];
            if (!it->shown)
                hidden++;
            else if (it->mh.ets >= 'A' && it->mh.ets <= 'C')
                counts[it->mh.ets - 'A']++;
            if (csv) {
                if ((rc = rf_dif_item_csv(&out, by, reference, focal[k], r.item_ids[j], it))) {
                    rf_err_set(&err, rc, "output too large");
                    json_decref(list);
                    goto done;
                }
            } else if (json_array_append_new(list, rf_dif_item_json(r.item_ids[j], it, &o))) {
                json_decref(list);
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
                goto done;
            }
        }
        if (!csv) {
            json_t *c =
                json_pack("{s:s,s:{s:I,s:I,s:I,s:I},s:o}", "focal", focal[k], "summary", "A",
                          (json_int_t)counts[0], "B", (json_int_t)counts[1], "C",
                          (json_int_t)counts[2], "hidden", (json_int_t)hidden, "items", list);
            if (!c || json_array_append_new(comps, c)) {
                rc = rf_err_set(&err, RF_ENOMEM, "out of memory building the output");
                goto done;
            }
        }
        if (counts[2])
            fprintf(stderr, "rolefit dif: %s '%s' vs '%s': %zu items in class C\n", by, focal[k],
                    reference, counts[2]);
    }
    rc = rf_cli_output(out_s, csv ? NULL : root, out.data, out.len, &err);
done:
    ec = rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
done_ec:
    rf_buf_cleanup(&out);
    json_decref(comps);
    json_decref(root);
    free(items), free(theta), free(group), free(rows);
    free(focal_buf), free(focal), free(values);
    rf_people_cleanup(&p);
    rf_responses_cleanup(&r);
    return ec;
}
