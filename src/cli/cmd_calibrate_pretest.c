/* `rolefit calibrate --pretest`: online calibration of the bank's pretest
 * items from the finished tests of a store (calib/online.h). The usage text
 * is calibrate's (cmd_calibrate.c), which parses the options and calls this. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/buf.h"
#include "calib/online.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "server/pretest_data.h"
#include "store/store.h"

/* The table; nonzero when out of memory. */
static int print_text(const struct rf_online_result *res, const struct rf_online_item *items,
                      struct rf_buf *b, size_t tests)
{
    int bad =
        rf_buf_printf(b, "%zu finished tests with pretest answers; %zu pretest items answered\n\n",
                      tests, res->n);
    bad |= rf_buf_printf(b, "%-44s %5s %6s %6s %5s %6s %6s %7s  %s\n", "item", "n", "a", "b", "c",
                         "se_a", "se_b", "fit_p", "verdict");
    for (size_t i = 0; i < res->n; i++) {
        const struct rf_online_result_item *r = &res->items[i];
        if (!r->ok) {
            bad |= rf_buf_printf(b, "%-44s %5zu %6s %6s %5s %6s %6s %7s  not estimated: %s\n",
                                 items[r->item].id, r->n, "", "", "", "", "", "", r->note);
            continue;
        }
        double bb = r->est.model == RF_MODEL_GRM ? r->est.thr[0] : r->est.b;
        bad |= rf_buf_printf(b, "%-44s %5zu %6.2f %6.2f %5.2f %6.3f %6.3f %7.4f  %s\n",
                             items[r->item].id, r->n, r->est.a, bb,
                             r->est.model == RF_MODEL_3PL ? r->est.c : 0.0, r->se_a, r->se_b[0],
                             r->fit_p, r->note);
    }
    return bad;
}

int rf_calibrate_pretest(const struct rf_pretest_args *pa)
{
    const char *cmd = "calibrate --pretest";
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_bank bank;
    rf_bank_init(&bank);
    struct rf_pretest_data c;
    memset(&c, 0, sizeof c);
    struct rf_online_result res;
    memset(&res, 0, sizeof res);
    struct rf_store *st = NULL;
    rf_status rc = rf_bank_load_dir(pa->bank, &bank, &err);
    if (!rc)
        rc = rf_store_open(pa->store, &st, &err);
    if (!rc)
        rc = rf_pretest_collect(st, &bank, &c, &err);
    const struct rf_online_item *items = c.items;
    struct rf_online_rules rules;
    rf_online_rules_default(&rules);
    if (!rc)
        rc = rf_online_run(items, bank.n, c.ans, c.n, &rules, pa->threads, &res, &err);
    if (!rc && c.unknown)
        fprintf(stderr,
                "warning[items-not-in-bank]: %zu stored answers name items that are no longer "
                "in %s as they were (retired, renamed or promoted): left out\n",
                c.unknown, pa->bank);
    if (!rc) {
        json_t *j = NULL;
        struct rf_buf b;
        rf_buf_init(&b, 64u << 20);
        if (pa->json) {
            rc = rf_online_result_to_json(&res, items, &rules, &j);
            if (!rc)
                json_object_set_new(j, "tests", json_integer((json_int_t)c.tests));
        } else if (print_text(&res, items, &b, c.tests)) {
            rc = RF_ENOMEM;
        }
        if (rc)
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
        if (!rc)
            rc = rf_cli_output(pa->out, j, b.data ? b.data : "", b.len, &err);
        json_decref(j);
        rf_buf_cleanup(&b);
    }
    rf_online_result_cleanup(&res);
    rf_store_close(st);
    rf_pretest_data_cleanup(&c);
    rf_bank_cleanup(&bank);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
