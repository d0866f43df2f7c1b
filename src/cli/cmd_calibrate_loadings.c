/* `rolefit calibrate --loadings`: the loadings of the higher-order skill model
 * from stored tests or a responses CSV, the item parameters held fixed
 * (calib/loadings.h). The usage text is calibrate's (cmd_calibrate.c), which
 * parses the options and calls this. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "bank/params.h"
#include "bank/responses.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"
#include "calib/loadings.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/export.h"
#include "store/store.h"

/* The parameters and skills of the items: a bank directory (each item's
 * skill field) or a parameter file (the skill is the id up to its first '.'). */
struct params {
    struct rf_bank bank;
    struct rf_param_table table;
    int is_bank;
};

static rf_status params_load(const char *path, struct params *p, struct rf_err *err)
{
    struct stat st;
    memset(p, 0, sizeof *p);
    rf_bank_init(&p->bank);
    if (stat(path, &st) != 0)
        return rf_err_set(err, RF_EIO, "%s: no such file or directory", path);
    p->is_bank = S_ISDIR(st.st_mode);
    return p->is_bank ? rf_bank_load_dir(path, &p->bank, err) : rf_params_load(path, &p->table, err);
}

static void params_cleanup(struct params *p)
{
    rf_bank_cleanup(&p->bank);
    rf_params_cleanup(&p->table);
}

/* The parameters and skill name (its length in *len) of item id, or NULL. */
static const struct rf_irt_item *params_find(const struct params *p, const char *id,
                                             const char **skill, size_t *len)
{
    size_t i;
    if (p->is_bank) {
        if (rf_bank_find(&p->bank, id, &i) || p->bank.items[i].retired)
            return NULL;
        *skill = p->bank.items[i].skill;
        *len = strlen(*skill);
        return &p->bank.items[i].irt;
    }
    if (rf_params_find(&p->table, id, &i))
        return NULL;
    const char *dot = strchr(id, '.');
    *skill = id;
    *len = dot ? (size_t)(dot - id) : strlen(id);
    return &p->table.items[i];
}

int rf_calibrate_loadings(const struct rf_loadings_args *a)
{
    const char *cmd = "calibrate";
    struct rf_err err;
    rf_err_clear(&err);
    struct params pm;
    struct rf_responses r;
    memset(&r, 0, sizeof r);
    struct rf_irt_item *items = NULL;
    size_t *skill = NULL, nskills = 0, unknown = 0;
    char **names = NULL;
    struct rf_loadings *w = NULL;
    json_t *out = NULL;
    char *text = NULL;
    rf_status rc = params_load(a->bank, &pm, &err);
    if (rc)
        goto done;
    if (a->store) {
        struct rf_store *st = NULL;
        rc = rf_store_open(a->store, &st, &err);
        if (!rc)
            rc = rf_store_export_responses(st, -1, &r, &err);
        rf_store_close(st);
    } else {
        rc = rf_responses_load_sparse(a->responses, RF_MAX_CATEGORIES, &r, &err);
    }
    if (rc)
        goto done;
    size_t ni = r.nitems ? r.nitems : 1;
    items = rf_calloc_array(ni, sizeof *items);
    skill = rf_alloc_array(ni, sizeof *skill);
    names = rf_calloc_array(ni, sizeof *names);
    if (!items || !skill || !names) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < r.nitems; j++) {
        const char *sk;
        size_t len, k;
        const struct rf_irt_item *it = params_find(&pm, r.item_ids[j], &sk, &len);
        skill[j] = SIZE_MAX;
        if (!it) {
            unknown++;
            continue;
        }
        items[j] = *it;
        for (k = 0; k < nskills; k++)
            if (strlen(names[k]) == len && strncmp(names[k], sk, len) == 0)
                break;
        if (k == nskills && !(names[nskills++] = rf_strndup(sk, len))) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        skill[j] = k;
    }
    const char *src = a->store ? a->store : a->responses;
    if (unknown && nskills)
        fprintf(stderr,
                "rolefit calibrate: warning[items-without-parameters]: %zu of %zu items of %s "
                "are not in %s (or retired): their answers are left out\n",
                unknown, r.nitems, src, a->bank);
    if (nskills == 0) {
        rc = rf_err_set(&err, RF_EINVAL, "%s: none of its %zu items has parameters in %s", src,
                        r.nitems, a->bank);
        goto done;
    }
    for (size_t j = 0; j < r.nnz; j++)
        if (skill[r.col[j]] != SIZE_MAX && (size_t)r.val[j] >= items[r.col[j]].ncat) {
            rc = rf_err_set(&err, RF_EINVAL, "%s: item '%s': category %d, the item has %zu", src,
                            r.item_ids[r.col[j]], r.val[j], items[r.col[j]].ncat);
            goto done;
        }
    struct rf_loadings_data d = {r.npersons, r.nitems, nskills, NULL, r.row_ptr, r.col, r.val,
                                 items,      skill,    NULL,    0,    NULL,      NULL};
    struct rf_loadings_opts o;
    rf_loadings_opts_init(&o);
    if ((rc = rf_loadings_new(&d, &o, &w, &err))) {
        rf_err_prefix(&err, "%s", src);
        goto done;
    }
    size_t cycles = 0;
    double change = INFINITY, ll = 0;
    while (change >= a->tol && cycles < a->max_iter) {
        rf_loadings_step(w, &change, &ll);
        cycles++;
        if (a->progress)
            fprintf(stderr, "rolefit calibrate: cycle %zu loglik %.6f max change %.3g\n", cycles,
                    ll, change);
    }
    int converged = change < a->tol;
    if (!converged)
        fprintf(stderr,
                "rolefit calibrate: warning[not-converged]: loadings moved by %.3g in cycle %zu "
                "(--tol %g); raise --max-iter\n",
                change, cycles, a->tol);
    const double *lambda = rf_loadings_lambda(w);
    const size_t *np = rf_loadings_npersons(w);
    out = json_object();
    if (!out) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < nskills; k++) {
        if (!np[k]) {
            fprintf(stderr, "rolefit calibrate: warning[skill-without-answers]: '%s': nobody "
                            "answered its items, no loading\n",
                    names[k]);
            continue;
        }
        if (json_object_set_new(out, names[k], json_real(round(lambda[k] * 1e4) / 1e4))) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
    }
    fprintf(stderr,
            "rolefit calibrate: loadings of %zu skills from %zu persons: %zu cycles, %s, "
            "log-likelihood %.4f\n",
            nskills, r.npersons, cycles, converged ? "converged" : "not converged", ll);
    if (!(text = rf_json_dumps_out(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        goto done;
    }
    if (a->out) {
        size_t n = strlen(text);
        char *t2 = rf_realloc_array(text, n + 2, 1);
        if (!t2) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        text = t2;
        text[n] = '\n';
        text[n + 1] = '\0';
        rc = rf_file_write_atomic(a->out, text, n + 1, &err);
    } else {
        puts(text);
    }
done:
    free(text);
    json_decref(out);
    rf_loadings_free(w);
    if (names)
        for (size_t k = 0; k < nskills; k++)
            free(names[k]);
    free(names);
    free(items);
    free(skill);
    rf_responses_cleanup(&r);
    params_cleanup(&pm);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
