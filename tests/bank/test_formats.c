/* The formats without guessing: numeric entry and multiple select, through
 * the loader (every refusal names item and field), the JSON round trip, and
 * the linter (clean items pass; each fault is reported with its field). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/lint.h"
#include "base/buf.h"

/* A numeric item; extra replaces nothing, it is appended (keys absent here). */
static const char *NUM_BASE =
    "\"id\":\"ml.latency.001\",\"skill\":\"ml\",\"type\":\"numeric\","
    "\"stem\":\"A model takes 40 ms per batch of 8. What is the latency per example, in ms, "
    "to two decimals?\",\"explanation\":\"Divide the batch time by the batch size: 40 / 8 = "
    "5.00 ms.\",\"difficulty\":\"easy\",\"model\":\"2pl\",\"a\":1.0,\"b\":-1.3,"
    "\"calibrated\":false,\"tags\":[\"latency\"],\"lang\":\"en\"";

static const char *MULTI_BASE =
    "\"id\":\"ml.leakage.002\",\"skill\":\"ml\",\"type\":\"multi\","
    "\"stem\":\"Which of these leak the label into the features? Select all that apply.\","
    "\"options\":[\"a feature computed after the outcome\",\"the row's random id\","
    "\"a target-encoded column fitted on all rows\",\"the customer's age\"],"
    "\"explanation\":\"Post-outcome features and target encoding fitted on the test rows carry "
    "the label; ids and age do not.\",\"difficulty\":\"medium\",\"model\":\"grm\",\"a\":1.0,"
    "\"calibrated\":false,\"tags\":[\"leakage\"],\"lang\":\"en\"";

static const char *bank_of(const char *base, const char *extra)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "{\"skill\":\"ml\",\"items\":[{%s%s}]}", base, extra);
    return buf;
}

static rf_status load(const char *json, struct rf_bank *b, struct rf_err *err)
{
    rf_bank_init(b);
    rf_err_clear(err);
    return rf_bank_load_mem("f.json", json, strlen(json), b, err);
}

Test(formats, numeric_item_loads_and_round_trips)
{
    struct rf_bank b;
    struct rf_err err;
    const char *json = bank_of(NUM_BASE, ",\"answer\":5,\"tolerance\":0.005,\"unit\":\"ms\"");
    cr_assert_eq(load(json, &b, &err), RF_OK, "%s", err.msg);
    const struct rf_item *it = &b.items[0];
    cr_assert_eq(it->type, RF_ITEM_NUMERIC);
    cr_assert_float_eq(it->answer, 5.0, 1e-15);
    cr_assert_float_eq(it->tolerance, 0.005, 1e-15);
    cr_assert_str_eq(it->unit, "ms");
    cr_assert_eq(it->noptions, 0);
    cr_assert_eq(it->key, -1);
    cr_assert_eq(it->irt.model, RF_MODEL_2PL);
    cr_assert_eq(it->irt.ncat, 2);
    cr_assert_str_eq(rf_item_type_name(it->type), "numeric");

    json_t *o;
    cr_assert_eq(rf_item_to_json(it, &o), RF_OK);
    cr_assert_null(json_object_get(o, "c"), "a numeric item is written without 'c'");
    cr_assert_null(json_object_get(o, "options"));
    struct rf_item back;
    cr_assert_eq(rf_item_from_json(o, "rt", 0, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(back.type, RF_ITEM_NUMERIC);
    cr_assert_float_eq(back.answer, 5.0, 1e-15);
    cr_assert_float_eq(back.tolerance, 0.005, 1e-15);
    cr_assert_str_eq(back.unit, "ms");
    struct rf_item copy;
    cr_assert_eq(rf_item_copy(&back, &copy), RF_OK);
    cr_assert_str_eq(copy.unit, "ms");
    cr_assert(copy.unit != back.unit);
    rf_item_cleanup(&copy);
    rf_item_cleanup(&back);
    json_decref(o);
    rf_bank_cleanup(&b);

    /* no unit: "" */
    json = bank_of(NUM_BASE, ",\"answer\":-3,\"tolerance\":0");
    cr_assert_eq(load(json, &b, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(b.items[0].unit, "");
    rf_bank_cleanup(&b);
}

Test(formats, multi_item_loads_and_round_trips)
{
    struct rf_bank b;
    struct rf_err err;
    const char *json = bank_of(MULTI_BASE, ",\"keys\":[0,2],\"thresholds\":[-0.4,0.4]");
    cr_assert_eq(load(json, &b, &err), RF_OK, "%s", err.msg);
    const struct rf_item *it = &b.items[0];
    cr_assert_eq(it->type, RF_ITEM_MULTI);
    cr_assert_eq(it->nkeys, 2);
    cr_assert_eq(it->keys[0], 0);
    cr_assert_eq(it->keys[1], 2);
    cr_assert_eq(it->noptions, 4);
    cr_assert_eq(it->irt.model, RF_MODEL_GRM);
    cr_assert_eq(it->irt.ncat, 3);
    json_t *o;
    cr_assert_eq(rf_item_to_json(it, &o), RF_OK);
    struct rf_item back;
    cr_assert_eq(rf_item_from_json(o, "rt", 0, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(back.nkeys, 2);
    cr_assert_eq(back.keys[1], 2);
    cr_assert_float_eq(back.irt.thr[0], -0.4, 1e-15);
    cr_assert_str_eq(rf_item_type_name(back.type), "multi");
    rf_item_cleanup(&back);
    json_decref(o);
    rf_bank_cleanup(&b);
}

static void refused(const char *base, const char *extra, const char *want)
{
    struct rf_bank b;
    struct rf_err err;
    const char *json = bank_of(base, extra);
    cr_assert_neq(load(json, &b, &err), RF_OK, "accepted: %s", extra);
    cr_assert(strstr(err.msg, want), "extra %s: message '%s' lacks '%s'", extra, err.msg, want);
    cr_assert_eq(b.n, 0);
    rf_bank_cleanup(&b);
}

Test(formats, loader_refusals_name_item_and_field)
{
    const char *n = NUM_BASE, *m = MULTI_BASE;
    refused(n, ",\"tolerance\":0.1", "f.json: item 'ml.latency.001': missing field 'answer'");
    refused(n, ",\"answer\":1", "item 'ml.latency.001': missing field 'tolerance'");
    refused(n, ",\"answer\":\"5\",\"tolerance\":0.1", "field 'answer': expected a number");
    refused(n, ",\"answer\":5,\"tolerance\":-0.1", "field 'tolerance': -0.1 is not a number >= 0");
    refused(n, ",\"answer\":5,\"tolerance\":0.1,\"unit\":7", "field 'unit': expected a string");
    refused(n, ",\"answer\":5,\"tolerance\":0.1,\"options\":[\"a\",\"b\"]",
            "field 'options': a numeric item has no options");
    refused(n, ",\"answer\":5,\"tolerance\":0.1,\"c\":0.2", "field 'c': must be 0");
    refused(m, ",\"thresholds\":[0]", "item 'ml.leakage.002': missing field 'keys'");
    refused(m, ",\"keys\":[],\"thresholds\":[0]", "field 'keys': expected an array of 1 to 3");
    refused(m, ",\"keys\":[0,1,2,3],\"thresholds\":[0,1,2,3]", "field 'keys': expected an array");
    refused(m, ",\"keys\":[0,4],\"thresholds\":[0,1]", "field 'keys[1]': 4 is out of range");
    refused(m, ",\"keys\":[2,0],\"thresholds\":[0,1]", "field 'keys[1]': 0 after 2");
    refused(m, ",\"keys\":[1,1],\"thresholds\":[0,1]", "keys must be sorted and distinct");
    refused(m, ",\"keys\":[0,1.5],\"thresholds\":[0,1]", "field 'keys[1]': expected an integer");
    refused(m, ",\"keys\":[0,2],\"thresholds\":[0]",
            "field 'thresholds': a multi item with 2 keys needs a grm model with 2 thresholds");
    refused(m, ",\"keys\":[0,2],\"thresholds\":[0.4,-0.4]", "item 'ml.leakage.002': ");
}

Test(formats, numeric_with_guessing_model_is_refused)
{
    struct rf_bank b;
    struct rf_err err;
    char base[2048];
    snprintf(base, sizeof base, "%s", NUM_BASE);
    char *p = strstr(base, "\"model\":\"2pl\"");
    cr_assert_not_null(p);
    memcpy(p, "\"model\":\"3pl\"", 13);
    const char *json = bank_of(base, ",\"answer\":5,\"tolerance\":0.005,\"c\":0.2");
    cr_assert_eq(load(json, &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "field 'model': a numeric item has no guessing"), "%s", err.msg);
    rf_bank_cleanup(&b);
}

Test(formats, prior_thresholds_follow_the_contract)
{
    double t[RF_MAX_CATEGORIES];
    rf_item_multi_prior_thresholds(0.3, 1, t);
    cr_assert_float_eq(t[0], 0.3, 1e-12);
    rf_item_multi_prior_thresholds(0.0, 2, t);
    cr_assert_float_eq(t[0], -0.4, 1e-12);
    cr_assert_float_eq(t[1], 0.4, 1e-12);
    rf_item_multi_prior_thresholds(1.5, 3, t);
    cr_assert_float_eq(t[0], 0.7, 1e-12);
    cr_assert_float_eq(t[1], 1.5, 1e-12);
    cr_assert_float_eq(t[2], 2.3, 1e-12);
    rf_item_multi_prior_thresholds(-1.234, 2, t); /* rounded to 2 decimals */
    cr_assert_float_eq(t[0], -1.63, 1e-12);
    cr_assert_float_eq(t[1], -0.83, 1e-12);
}

/* ---- lint ---- */

static const char *TAX =
    "{\"tasks\":[{\"id\":\"modeling\",\"name\":\"Modeling\"}],"
    "\"levels\":[\"a\",\"b\",\"c\",\"d\",\"e\"],"
    "\"skills\":[{\"id\":\"ml\",\"name\":\"ML\",\"task\":\"modeling\",\"cuts\":[-1,0,1,2]}]}";

/* Lints one item; returns every finding as lines, counts in *nerr / *nwarn.
 * The skill has one item, so per-skill findings are dropped here. */
static char *lint_one(const char *base, const char *extra, size_t *nerr, size_t *nwarn)
{
    struct rf_taxonomy tax;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load_mem("tax", TAX, strlen(TAX), &tax, &err), RF_OK, "%s", err.msg);
    struct rf_lint l;
    rf_lint_init(&l, &tax);
    const char *json = bank_of(base, extra);
    cr_assert_eq(rf_lint_add_mem(&l, "ml.json", json, strlen(json), &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_lint_finish(&l, &err), RF_OK, "%s", err.msg);
    struct rf_buf out;
    rf_buf_init(&out, 1 << 20);
    *nerr = l.nerrors;
    *nwarn = 0;
    for (size_t i = 0; i < l.ndiags; i++) {
        if (!l.diags[i].item)
            continue; /* per-skill findings (count, spread) of a one-item skill */
        if (l.diags[i].level == RF_LINT_WARNING)
            (*nwarn)++;
        rf_lint_diag_format(&l.diags[i], &out);
        rf_buf_putc(&out, '\n');
    }
    char *s = rf_buf_take(&out);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    return s ? s : calloc(1, 1);
}

static void lint_clean(const char *base, const char *extra)
{
    size_t ne, nw;
    char *s = lint_one(base, extra, &ne, &nw);
    cr_assert_eq(ne + nw, 0, "extra %s: unexpected findings:\n%s", extra, s);
    free(s);
}

static void lint_finds(const char *base, const char *extra, const char *line, int is_error)
{
    size_t ne, nw;
    char *s = lint_one(base, extra, &ne, &nw);
    cr_assert(strstr(s, line), "extra %s: no line '%s' in:\n%s", extra, line, s);
    if (is_error)
        cr_assert_geq(ne, 1, "extra %s: expected an error:\n%s", extra, s);
    else
        cr_assert_eq(ne, 0, "extra %s: expected only warnings:\n%s", extra, s);
    free(s);
}

Test(formats, lint_accepts_clean_items_of_both_formats)
{
    lint_clean(NUM_BASE, ",\"answer\":5,\"tolerance\":0.005,\"unit\":\"ms\"");
    lint_clean(MULTI_BASE, ",\"keys\":[0,2],\"thresholds\":[-0.4,0.4]");
    lint_clean(MULTI_BASE, ",\"keys\":[1],\"thresholds\":[0.3]");
    lint_clean(MULTI_BASE, ",\"keys\":[0,1,3],\"thresholds\":[-0.5,0.3,1.1]");
}

Test(formats, lint_numeric_precision_and_tolerance)
{
    const char *n = NUM_BASE;
    lint_finds(n, ",\"answer\":5.004,\"tolerance\":0.001",
               "field 'answer': error: 5.004 rounded as the stem asks (step 0.01) is 5, which the "
               "tolerance 0.001 marks wrong",
               1);
    lint_finds(n, ",\"answer\":5,\"tolerance\":0.001",
               "field 'tolerance': warning: 0.001 is below half the step 0.01", 0);
    lint_finds(n, ",\"answer\":5,\"tolerance\":0.5",
               "field 'tolerance': warning: 0.5 is wider than the step 0.01", 0);
    lint_finds(n, ",\"answer\":5,\"tolerance\":-1",
               "field 'tolerance': error: expected a number >= 0", 1);
    lint_finds(n, ",\"tolerance\":0.005", "field 'answer': error: missing", 1);
    lint_finds(n, ",\"answer\":5", "field 'tolerance': error: missing", 1);
    lint_finds(n, ",\"answer\":5,\"tolerance\":0.005,\"options\":[\"a\",\"b\"]",
               "field 'options': error: a numeric item has no options", 1);
    lint_finds(n, ",\"answer\":5,\"tolerance\":0.005,\"c\":0",
               "field 'c': warning: a numeric item has no guessing parameter", 0);
    lint_finds(n, ",\"answer\":5,\"tolerance\":0.005,\"unit\":[\"ms\"]",
               "field 'unit': error: expected a string", 1);
}

/* Numeric stems in each documented precision phrase, and one without. */
Test(formats, lint_numeric_precision_phrases)
{
    struct {
        const char *phrase;
        double answer, tol;
    } ok[] = {
        {"to the nearest integer", 42, 0.5},
        {"as a whole number", 42, 0.5},
        {"as an integer", 7, 0},
        {"to 3 decimal places", 0.125, 0.0005},
        {"to one decimal", -2.5, 0.05},
        {"to the nearest 0.05", 0.35, 0.025},
        {"to the nearest 10", 1230, 5},
        {"to three significant figures", 0.000123, 5e-7},
        {"to two significant digits", 4700, 50},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char base[2048], extra[128];
        snprintf(base, sizeof base,
                 "\"id\":\"ml.latency.001\",\"skill\":\"ml\",\"type\":\"numeric\","
                 "\"stem\":\"How much is it, %s?\",\"explanation\":\"Compute it as the item "
                 "explains in several words here.\",\"difficulty\":\"easy\",\"model\":\"2pl\","
                 "\"a\":1.0,\"b\":-1.3,\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"",
                 ok[i].phrase);
        snprintf(extra, sizeof extra, ",\"answer\":%.17g,\"tolerance\":%.17g", ok[i].answer,
                 ok[i].tol);
        lint_clean(base, extra);
    }
    lint_finds("\"id\":\"ml.latency.001\",\"skill\":\"ml\",\"type\":\"numeric\","
               "\"stem\":\"How much is it?\",\"explanation\":\"Compute it as the item explains "
               "in several words here.\",\"difficulty\":\"easy\",\"model\":\"2pl\",\"a\":1.0,"
               "\"b\":-1.3,\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"",
               ",\"answer\":5,\"tolerance\":0.5", "field 'stem': warning: states no precision",
               0);
}

Test(formats, lint_multi_keys_options_and_priors)
{
    const char *m = MULTI_BASE;
    lint_finds(m, ",\"thresholds\":[0]", "field 'keys': error: missing", 1);
    lint_finds(m, ",\"keys\":[0,4],\"thresholds\":[-0.4,0.4]",
               "field 'keys[1]': error: 4 is out of range (4 options, 0-based)", 1);
    lint_finds(m, ",\"keys\":[2,1],\"thresholds\":[-0.4,0.4]",
               "field 'keys[1]': error: 1 after 2: keys must be sorted and distinct", 1);
    lint_finds(m, ",\"keys\":[0,1,2,3],\"thresholds\":[-1.2,-0.4,0.4,1.2]",
               "field 'keys': error: 4 keys, expected 1 to 3", 1);
    lint_finds(m, ",\"keys\":[],\"thresholds\":[0]", "field 'keys': error: 0 keys", 1);
    lint_finds(m, ",\"keys\":[0,2],\"thresholds\":[0]",
               "field 'thresholds': error: 1 thresholds, expected one per key (2)", 1);
    lint_finds(m, ",\"keys\":[0,2],\"thresholds\":[0.4,-0.4]", "error: thresholds must increase",
               1);
    lint_finds(m, ",\"keys\":[0,2],\"thresholds\":[-0.1,0.1]",
               "field 'thresholds': warning: prior thresholds are b + (j - (m+1)/2) * 0.8 around "
               "their mean b = 0.00: [-0.40, 0.40]",
               0);
    lint_finds(m, ",\"keys\":[0,2],\"thresholds\":[0.6,1.4]",
               "field 'thresholds': warning: their mean 1.00 is outside the medium band", 0);
    lint_finds(m, ",\"keys\":[0,2],\"thresholds\":[-0.4,0.4],\"key\":0",
               "field 'key': error: a multi item lists its correct options in 'keys'", 1);
}

Test(formats, lint_multi_stem_options_and_slope)
{
    size_t ne, nw;
    char *s = lint_one("\"id\":\"ml.x.001\",\"skill\":\"ml\",\"type\":\"multi\","
                       "\"stem\":\"Which leak the label?\",\"options\":[\"a\",\"b\",\"c\"],"
                       "\"keys\":[0],\"explanation\":\"One two three four five six seven eight "
                       "nine.\",\"difficulty\":\"medium\",\"model\":\"grm\",\"a\":1.5,"
                       "\"thresholds\":[0.1],\"calibrated\":false,\"tags\":[\"t\"],"
                       "\"lang\":\"en\"",
                       "", &ne, &nw);
    cr_assert(strstr(s, "field 'stem': warning: a multi item's stem ends \"Select all that "
                        "apply.\""),
              "%s", s);
    cr_assert(strstr(s, "field 'options': error: 3 options, expected 4 to 6"), "%s", s);
    cr_assert(strstr(s, "field 'a': error: 1.5: an uncalibrated item claims no slope above 1.2"),
              "%s", s);
    cr_assert_eq(ne, 2, "%s", s);
    free(s);
    /* a numeric item with a 3pl model */
    char base[2048];
    snprintf(base, sizeof base, "%s", NUM_BASE);
    memcpy(strstr(base, "\"model\":\"2pl\""), "\"model\":\"3pl\"", 13);
    lint_finds(base, ",\"answer\":5,\"tolerance\":0.005,\"c\":0.25",
               "field 'model': error: a numeric item has no guessing: use 2pl, got 3pl", 1);
}
