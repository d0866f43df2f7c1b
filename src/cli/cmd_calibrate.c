/* `rolefit calibrate`: item parameters from responses by marginal ML (EM). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/params.h"
#include "bank/responses.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/file.h"
#include "base/mem.h"
#include "calib/calib.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/export.h"
#include "store/store.h"

static const char usage[] =
    "usage: rolefit calibrate (--responses FILE.csv | --store URL)\n"
    "                         [--model 1pl|2pl|3pl|grm | --model bank --bank BANK]\n"
    "                         [--quad N] [--range LO,HI] [--tol X] [--max-iter N] [--threads N]\n"
    "                         [--prior-a lognormal:M,S|none] [--prior-c beta:A,B|none]\n"
    "                         [--fixed BANK] [--out FILE] [--format json|csv] [--progress]\n"
    "                         [--no-se] [--no-fit]\n"
    "       rolefit calibrate --loadings --bank BANK (--responses FILE.csv | --store URL)\n"
    "                         [--tol X] [--max-iter N] [--out FILE] [--progress]\n"
    "       rolefit calibrate --pretest --bank BANK --store URL [--format json|text]\n"
    "                         [--threads N] [--out FILE]\n\n"
    "Estimates item parameters by marginal maximum likelihood (Bock-Aitkin EM) over an\n"
    "equally spaced quadrature grid with a N(0,1) latent distribution. FILE.csv has a\n"
    "header row of item ids (optionally a first column 'person') and one row per person:\n"
    "categories (0/1, or 0..m-1 for grm) or empty cells for items not administered.\n"
    "--store URL reads the finished tests of the store instead (a SQLite file path or\n"
    "sqlite:PATH): one person per test, one column per item answered, the scored category.\n\n"
    "  --model M       1pl (common slope), 2pl, 3pl or grm (default 2pl), or bank: each\n"
    "                  item's model from the bank directory BANK (--bank): numeric entry 2pl,\n"
    "                  multiple select grm (categories 0..keys: the partial-credit score),\n"
    "                  multiple choice its own (3pl or 2pl); every item of the data must be\n"
    "                  in the bank\n"
    "  --quad N        quadrature nodes, default 61\n"
    "  --range LO,HI   grid range, default -6,6\n"
    "  --tol X         stop when no parameter (a, d, c) moves more than X, default 1e-4\n"
    "  --max-iter N    EM cycles at most, default 500\n"
    "  --threads N     worker threads, default 1\n"
    "  --prior-a P     lognormal:M,S prior on slopes (log a ~ N(M, S^2)); default none\n"
    "  --prior-c P     beta:A,B prior on 3pl lower asymptotes; default beta:5,17; 'none'\n"
    "  --fixed BANK    hold the items of BANK (params JSON or CSV) fixed at their values and\n"
    "                  calibrate the others on their scale (latent mean and SD estimated)\n"
    "  --out FILE      write there (atomically) instead of stdout\n"
    "  --format F      json (default: bank-ready parameters, SEs, fit, run summary) or csv\n"
    "                  (one row per item: id,model,a,b,c,d,se_a,se_b,se_c,se_d,...,n,sx2,df,p)\n"
    "  --progress      print the log-likelihood of every cycle to stderr\n"
    "  --no-se         skip standard errors (their cross-product costs N x (answers x\n"
    "                  parameters)^2: the largest part of the final pass on big data)\n"
    "  --no-fit        skip S-X2 item fit\n\n"
    "Warnings go to stderr as 'warning[name]: ...': persons-without-responses,\n"
    "not-converged, fixed-unused, extreme-slope, se-unavailable.\n\n"
    "--loadings estimates instead the loadings of the higher-order skill model,\n"
    "theta_k = lambda_k g + sqrt(1 - lambda_k^2) e_k, by marginal maximum likelihood (EM\n"
    "over a g grid x theta grid, SQUAREM-accelerated) with the item parameters of BANK\n"
    "held fixed, and writes data/loadings.json's form: {\"skill\": lambda, ...}, each in\n"
    "[0, 0.95] (docs/calibration.md, \"Loadings\").\n"
    "  --bank BANK     a bank directory (each item's skill field) or a parameter file (the\n"
    "                  skill is the item id up to its first '.'); answers to items it\n"
    "                  lacks are left out (warning[items-without-parameters])\n"
    "  --tol X         stop when no loading moves more than X in a cycle, default 1e-4\n"
    "  --max-iter N    cycles at most, default 200\n"
    "--model, --quad, --range, --threads, --prior-a, --prior-c, --fixed, --format,\n"
    "--no-se and --no-fit do not go with --loadings.\n\n"
    "--pretest calibrates the pretest items of BANK (\"pool\": \"pretest\") from the finished\n"
    "tests of the store that carried them (docs/calibration.md, \"Online calibration\"):\n"
    "per skill, the operational items held at their bank values and the latent mean and\n"
    "SD estimated; each item's estimate with standard errors, a fit test from the\n"
    "posterior kept with each answer, and whether it passes the promotion rules (at\n"
    "least 200 answers, SE of a and of b at most 0.20, fit p at least 0.01, a in\n"
    "0.2..4, |b| at most 4): 'ready for staff review'. --format text (default) or json.\n";

/* Parses "NAME:X,Y" into two numbers; "none" clears. */
static int parse_prior(const char *cmd, const char *opt, const char *s, const char *name, int *on,
                       double *x, double *y)
{
    if (strcmp(s, "none") == 0) {
        *on = 0;
        return RF_EXIT_OK;
    }
    size_t nl = strlen(name);
    const char *comma = strchr(s, ',');
    if (strncmp(s, name, nl) != 0 || s[nl] != ':' || !comma)
        return rf_cli_usage_error(cmd, "--%s: expected %s:X,Y or none, got '%s'", opt, name, s);
    char first[64];
    size_t fl = (size_t)(comma - (s + nl + 1));
    if (fl >= sizeof first)
        return rf_cli_usage_error(cmd, "--%s: expected %s:X,Y or none, got '%s'", opt, name, s);
    memcpy(first, s + nl + 1, fl);
    first[fl] = '\0';
    int ec;
    if ((ec = rf_cli_double(cmd, opt, first, -1e6, 1e6, x)) ||
        (ec = rf_cli_double(cmd, opt, comma + 1, -1e6, 1e6, y)))
        return ec;
    *on = 1;
    return RF_EXIT_OK;
}

/* The model of each item of r from bank b (by id): numeric entry 2pl,
 * multiple select (and rubric) grm, multiple choice its own. *out is
 * r->nitems entries, the caller frees it. RF_ENOTFOUND names an item of the
 * data that the bank lacks. */
static rf_status models_from_bank(const struct rf_bank *b, const struct rf_responses *r,
                                  const char *bank_dir, enum rf_model **out, struct rf_err *err)
{
    enum rf_model *m = rf_calloc_array(r->nitems ? r->nitems : 1, sizeof *m);
    if (!m)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t j = 0; j < r->nitems; j++) {
        size_t bi;
        if (rf_bank_find(b, r->item_ids[j], &bi)) {
            free(m);
            return rf_err_set(err, RF_ENOTFOUND, "item '%s' of the responses is not in the bank %s",
                              r->item_ids[j], bank_dir);
        }
        const struct rf_item *it = &b->items[bi];
        m[j] = it->type == RF_ITEM_NUMERIC ? RF_MODEL_2PL
               : it->type == RF_ITEM_MCQ    ? (it->irt.model == RF_MODEL_3PL ? RF_MODEL_3PL
                                                                             : RF_MODEL_2PL)
                                            : RF_MODEL_GRM;
    }
    *out = m;
    return RF_OK;
}

int rf_cmd_calibrate(int argc, char **argv)
{
    const char *cmd = "calibrate";
    const char *responses = NULL, *model_s = NULL, *quad_s = NULL, *range_s = NULL, *tol_s = NULL,
               *iter_s = NULL, *threads_s = NULL, *pa_s = NULL, *pc_s = NULL, *fixed_s = NULL,
               *out_s = NULL, *format_s = NULL, *store_s = NULL, *bank_s = NULL;
    int help = 0, progress = 0, no_se = 0, no_fit = 0, loadings = 0, pretest = 0;
    struct rf_cli_opt opts[] = {
        {"responses", 1, &responses, NULL}, {"model", 1, &model_s, NULL},
        {"quad", 1, &quad_s, NULL},         {"range", 1, &range_s, NULL},
        {"tol", 1, &tol_s, NULL},           {"max-iter", 1, &iter_s, NULL},
        {"threads", 1, &threads_s, NULL},   {"prior-a", 1, &pa_s, NULL},
        {"prior-c", 1, &pc_s, NULL},        {"fixed", 1, &fixed_s, NULL},
        {"out", 1, &out_s, NULL},           {"format", 1, &format_s, NULL},
        {"store", 1, &store_s, NULL},       {"progress", 0, NULL, &progress},
        {"no-se", 0, NULL, &no_se},         {"no-fit", 0, NULL, &no_fit},
        {"loadings", 0, NULL, &loadings},   {"bank", 1, &bank_s, NULL},
        {"pretest", 0, NULL, &pretest},
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
    if (pretest) {
        const struct {
            int given;
            const char *name;
        } other[] = {{model_s != NULL, "model"},     {quad_s != NULL, "quad"},
                     {range_s != NULL, "range"},     {tol_s != NULL, "tol"},
                     {iter_s != NULL, "max-iter"},   {pa_s != NULL, "prior-a"},
                     {pc_s != NULL, "prior-c"},      {fixed_s != NULL, "fixed"},
                     {no_se, "no-se"},               {no_fit, "no-fit"},
                     {loadings, "loadings"},         {responses != NULL, "responses"},
                     {progress, "progress"}};
        for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
            if (other[i].given)
                return rf_cli_usage_error(cmd, "--%s does not go with --pretest", other[i].name);
        if (!bank_s || !store_s)
            return rf_cli_usage_error(cmd, "--pretest needs --bank BANK and --store URL");
        if (format_s && strcmp(format_s, "json") && strcmp(format_s, "text"))
            return rf_cli_usage_error(cmd, "--format: '%s' is not json or text", format_s);
        struct rf_pretest_args pa = {bank_s, store_s, out_s, format_s && !strcmp(format_s, "json"),
                                     1};
        if (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &pa.threads)))
            return ec;
        return rf_calibrate_pretest(&pa);
    }
    if (!responses == !store_s)
        return rf_cli_usage_error(cmd, "give one of --responses or --store (see 'rolefit "
                                       "calibrate --help')");
    if (loadings) {
        const struct {
            int given;
            const char *name;
        } other[] = {{model_s != NULL, "model"},     {quad_s != NULL, "quad"},
                     {range_s != NULL, "range"},     {threads_s != NULL, "threads"},
                     {pa_s != NULL, "prior-a"},      {pc_s != NULL, "prior-c"},
                     {fixed_s != NULL, "fixed"},     {format_s != NULL, "format"},
                     {no_se, "no-se"},               {no_fit, "no-fit"}};
        for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
            if (other[i].given)
                return rf_cli_usage_error(cmd, "--%s does not go with --loadings", other[i].name);
        if (!bank_s)
            return rf_cli_usage_error(cmd, "--loadings needs --bank BANK (the item parameters)");
        struct rf_loadings_args la = {bank_s, responses, store_s, out_s, 1e-4, 200, progress};
        if ((tol_s && (ec = rf_cli_double(cmd, "tol", tol_s, 1e-12, 1, &la.tol))) ||
            (iter_s && (ec = rf_cli_size(cmd, "max-iter", iter_s, 1, 1000000, &la.max_iter))))
            return ec;
        return rf_calibrate_loadings(&la);
    }
    int by_bank = model_s && strcmp(model_s, "bank") == 0;
    if (bank_s && !by_bank)
        return rf_cli_usage_error(cmd, "--bank goes with --loadings or --model bank (calibrating "
                                       "items, --fixed holds known items fixed)");
    if (by_bank && !bank_s)
        return rf_cli_usage_error(cmd, "--model bank needs --bank BANK (the bank directory "
                                       "naming each item's format)");
    if (!model_s || by_bank)
        model_s = "2pl";
    if (!format_s)
        format_s = "json";
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.want_se = !no_se;
    o.want_fit = !no_fit;
    if (rf_irt_model_parse(model_s, &o.model))
        return rf_cli_usage_error(cmd, "--model: expected 1pl, 2pl, 3pl or grm, got '%s'", model_s);
    int csv = 0;
    if (strcmp(format_s, "csv") == 0)
        csv = 1;
    else if (strcmp(format_s, "json") != 0)
        return rf_cli_usage_error(cmd, "--format: expected json or csv, got '%s'", format_s);
    if (quad_s && (ec = rf_cli_size(cmd, "quad", quad_s, RF_QUAD_MIN_N, RF_QUAD_MAX_N, &o.nquad)))
        return ec;
    if (range_s) {
        char *comma = strchr(range_s, ',');
        char lo_s[64];
        if (!comma || (size_t)(comma - range_s) >= sizeof lo_s)
            return rf_cli_usage_error(cmd, "--range: expected LO,HI, got '%s'", range_s);
        memcpy(lo_s, range_s, (size_t)(comma - range_s));
        lo_s[comma - range_s] = '\0';
        if ((ec = rf_cli_double(cmd, "range", lo_s, -20, 20, &o.lo)) ||
            (ec = rf_cli_double(cmd, "range", comma + 1, -20, 20, &o.hi)))
            return ec;
        if (o.lo >= o.hi)
            return rf_cli_usage_error(cmd, "--range: LO must be below HI, got '%s'", range_s);
    }
    if (tol_s && (ec = rf_cli_double(cmd, "tol", tol_s, 1e-12, 1, &o.tol)))
        return ec;
    if (iter_s && (ec = rf_cli_size(cmd, "max-iter", iter_s, 1, 1000000, &o.max_iter)))
        return ec;
    if (threads_s &&
        (ec = rf_cli_size(cmd, "threads", threads_s, 1, RF_CALIB_MAX_THREADS, &o.threads)))
        return ec;
    if (pa_s && (ec = parse_prior(cmd, "prior-a", pa_s, "lognormal", &o.prior_a, &o.prior_a_mu,
                                  &o.prior_a_sigma)))
        return ec;
    if (o.prior_a && !(o.prior_a_sigma > 0))
        return rf_cli_usage_error(cmd, "--prior-a: the standard deviation S must be > 0");
    if (pc_s && (ec = parse_prior(cmd, "prior-c", pc_s, "beta", &o.prior_c, &o.prior_c_alpha,
                                  &o.prior_c_beta)))
        return ec;
    if (o.prior_c && !(o.prior_c_alpha >= 1 && o.prior_c_beta >= 1))
        return rf_cli_usage_error(cmd, "--prior-c: A and B must be >= 1");

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_param_table fixed = {0};
    rf_status rc;
    int max_cat = o.model == RF_MODEL_GRM || by_bank ? RF_MAX_CATEGORIES : 2;
    if (fixed_s) {
        if ((rc = rf_params_load(fixed_s, &fixed, &err)))
            return rf_cli_fail(cmd, rc, err.msg);
        for (size_t i = 0; i < fixed.n; i++)
            if ((int)fixed.items[i].ncat > max_cat)
                max_cat = (int)fixed.items[i].ncat;
        o.fixed = &fixed;
    }
    struct rf_responses r;
    /* read as sparse rows: memory follows the answers, and the calibration
     * builds a dense copy only when the data are filled enough for GEMM */
    if (store_s) {
        struct rf_store *st = NULL;
        rc = rf_store_open(store_s, &st, &err);
        if (!rc)
            rc = rf_store_export_responses(st, -1, &r, &err);
        rf_store_close(st);
        responses = store_s; /* names the source in messages */
    } else {
        rc = rf_responses_load_sparse(responses, max_cat, &r, &err);
    }
    enum rf_model *models = NULL;
    if (!rc && by_bank) {
        struct rf_bank bank;
        rf_bank_init(&bank);
        rc = rf_bank_load_dir(bank_s, &bank, &err);
        if (!rc && !(rc = models_from_bank(&bank, &r, bank_s, &models, &err)))
            o.item_model = models;
        rf_bank_cleanup(&bank);
        if (rc)
            rf_responses_cleanup(&r);
    }
    if (rc) {
        rf_params_cleanup(&fixed);
        free(models);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    struct rf_calib_data d = {.npersons = r.npersons,
                              .nitems = r.nitems,
                              .item_ids = (const char *const *)r.item_ids,
                              .row_ptr = r.row_ptr,
                              .col = r.col,
                              .val = r.val};
    struct rf_calib *c = NULL;
    struct rf_calib_result res = {0};
    struct rf_buf out;
    rf_buf_init(&out, (size_t)RF_MAX_FILE_BYTES);
    char *text = NULL;
    if ((rc = rf_calib_new(&d, &o, &c, &err))) {
        rf_err_prefix(&err, "%s", responses);
        goto done;
    }
    while (!rf_calib_converged(c) && rf_calib_iterations(c) < o.max_iter) {
        double ll, ch;
        if ((rc = rf_calib_step(c, &ll, &ch, &err)))
            goto done;
        if (progress)
            fprintf(stderr, "rolefit calibrate: cycle %zu loglik %.6f max change %.3g\n",
                    rf_calib_iterations(c), ll, ch);
    }
    if ((rc = rf_calib_finish(c, &res, &err)))
        goto done;
    if (res.npersons_empty)
        fprintf(stderr,
                "rolefit calibrate: warning[persons-without-responses]: %zu of %zu "
                "persons in %s have no responses; they are ignored\n",
                res.npersons_empty, res.npersons, responses);
    if (!res.converged)
        fprintf(stderr,
                "rolefit calibrate: warning[not-converged]: stopped after %zu cycles "
                "with a largest change of %.3g (tolerance %g)\n",
                res.iterations, res.max_change, o.tol);
    if (res.nfixed_unused)
        fprintf(stderr,
                "rolefit calibrate: warning[fixed-unused]: %zu items of %s are not "
                "columns of %s\n",
                res.nfixed_unused, fixed_s, responses);
    size_t steep = 0;
    const char *first_steep = NULL;
    for (size_t j = 0; j < res.nitems; j++)
        if (!res.items[j].fixed && res.items[j].it.a > RF_CALIB_WARN_A) {
            if (!steep++)
                first_steep = res.ids[j];
        }
    if (steep)
        fprintf(stderr,
                "rolefit calibrate: warning[extreme-slope]: %zu items (first '%s') have a "
                "slope above %g: responses that separate perfectly; their estimates are "
                "unstable\n",
                steep, first_steep, RF_CALIB_WARN_A);
    if (!res.se_ok && o.want_se)
        fprintf(stderr, "rolefit calibrate: warning[se-unavailable]: the information matrix is "
                        "singular; standard errors are null\n");
    if (csv) {
        rc = rf_calib_result_to_csv(&res, &out);
        if (rc)
            rf_err_set(&err, rc, "output too large");
    } else {
        json_t *root = NULL;
        if ((rc = rf_calib_result_to_json(&res, &root))) {
            rf_err_set(&err, rc, "out of memory building the output");
            goto done;
        }
        text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        json_decref(root);
        if (!text || rf_buf_puts(&out, text) || rf_buf_putc(&out, '\n')) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory writing the output");
            goto done;
        }
    }
    if (rc)
        goto done;
    if (out_s) {
        rc = rf_file_write_atomic(out_s, out.data, out.len, &err);
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
        rc = rf_err_set(&err, RF_EIO, "writing to stdout failed");
    }
done:
    free(text);
    rf_buf_cleanup(&out);
    rf_calib_result_cleanup(&res);
    rf_calib_free(c);
    rf_responses_cleanup(&r);
    rf_params_cleanup(&fixed);
    free(models);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    return RF_EXIT_OK;
}
