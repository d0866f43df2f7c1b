/* `rolefit calibrate --pretest`: online calibration of the bank's pretest
 * items from the finished tests of a store (calib/online.h). The usage text
 * is calibrate's (cmd_calibrate.c), which parses the options and calls this. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/buf.h"
#include "base/mem.h"
#include "calib/online.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

struct collect {
    const struct rf_bank *bank;
    struct rf_online_answer *a;
    size_t n, cap, tests, unknown;
    uint32_t person;
    rf_status rc;
};

static void add(struct collect *c, size_t item, json_int_t k, double theta, double sd)
{
    if (c->rc)
        return;
    if (c->n == c->cap) {
        size_t nc = c->cap ? 2 * c->cap : 4096;
        struct rf_online_answer *na = rf_realloc_array(c->a, nc, sizeof *na);
        if (!na) {
            c->rc = RF_ENOMEM;
            return;
        }
        c->a = na;
        c->cap = nc;
    }
    c->a[c->n++] = (struct rf_online_answer){c->person, (uint32_t)item, (int)k, theta, sd};
}

/* One finished test: its scored answers and its pretest answers with their
 * posteriors, from the stored session state (cat/sessfile.h). */
static void take_test(void *ud, const struct rf_test *t)
{
    struct collect *c = ud;
    json_t *st = t->state ? json_loads(t->state, 0, NULL) : NULL;
    const json_t *pa = json_object_get(st, "pretest_answers"), *ev = json_object_get(st, "events");
    if (json_array_size(pa) == 0) { /* no pretest item: nothing to calibrate from it */
        json_decref(st);
        return;
    }
    const json_t *x;
    size_t i, bi;
    json_array_foreach(ev, i, x)
    {
        const json_t *k = json_object_get(x, "answer");
        const char *id = json_string_value(json_object_get(x, "item"));
        if (!json_is_integer(k) || !id)
            continue; /* an exposure block */
        if (rf_bank_find(c->bank, id, &bi) || c->bank->items[bi].retired ||
            c->bank->items[bi].pool == RF_POOL_PRETEST) {
            c->unknown++;
            continue;
        }
        if (json_integer_value(k) >= 0 &&
            (size_t)json_integer_value(k) < c->bank->items[bi].irt.ncat)
            add(c, bi, json_integer_value(k), NAN, NAN);
    }
    json_array_foreach(pa, i, x)
    {
        const char *id = json_string_value(json_object_get(x, "item"));
        const json_t *k = json_object_get(x, "answer");
        if (!id || rf_bank_find(c->bank, id, &bi) || c->bank->items[bi].pool != RF_POOL_PRETEST ||
            !json_is_integer(k)) {
            c->unknown++; /* promoted, retired or gone since */
            continue;
        }
        add(c, bi, json_integer_value(k), json_number_value(json_object_get(x, "theta")),
            json_number_value(json_object_get(x, "sd")));
    }
    c->tests++;
    c->person++;
    json_decref(st);
}

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
    struct collect c;
    memset(&c, 0, sizeof c);
    c.bank = &bank;
    struct rf_online_item *items = NULL;
    struct rf_online_result res;
    memset(&res, 0, sizeof res);
    struct rf_store *st = NULL;
    rf_status rc = rf_bank_load_dir(pa->bank, &bank, &err);
    if (!rc && !(items = rf_calloc_array(bank.n ? bank.n : 1, sizeof *items)))
        rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
    /* skills by first appearance: an item's skill index is that of the first item of its skill */
    for (size_t i = 0; !rc && i < bank.n; i++) {
        size_t s = 0;
        while (s < i && strcmp(bank.items[s].skill, bank.items[i].skill) != 0)
            s++;
        items[i] = (struct rf_online_item){bank.items[i].id, s, bank.items[i].irt,
                                           bank.items[i].pool == RF_POOL_PRETEST};
    }
    if (!rc)
        rc = rf_store_open(pa->store, &st, &err);
    if (!rc)
        rc = rf_store_tests_finished(st, -1, take_test, &c, &err);
    if (!rc && c.rc)
        rc = rf_err_set(&err, c.rc, "out of memory");
    struct rf_online_rules rules;
    rf_online_rules_default(&rules);
    if (!rc)
        rc = rf_online_run(items, bank.n, c.a, c.n, &rules, pa->threads, &res, &err);
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
    free(c.a);
    free(items);
    rf_bank_cleanup(&bank);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
