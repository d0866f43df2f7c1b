/* Answers to every format (bank/answer.h): the numeric grammar of
 * docs/bank-format.md, accepted and refused texts, the widened tolerance,
 * multi partial credit, the stored form and its round trip, and the texts
 * reports show. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bank/answer.h"
#include "bank/bank.h"

static const char *BANK =
    "{\"skill\":\"ml\",\"items\":["
    "{\"id\":\"ml.lat.001\",\"skill\":\"ml\",\"type\":\"numeric\",\"stem\":\"s to two "
    "decimals\",\"answer\":0.25,\"tolerance\":0.005,\"unit\":\"ms\",\"explanation\":\"e\","
    "\"difficulty\":\"easy\",\"model\":\"2pl\",\"a\":1.0,\"b\":-1.3,\"calibrated\":false,"
    "\"tags\":[\"t\"],\"lang\":\"en\"},"
    "{\"id\":\"ml.lat.002\",\"skill\":\"ml\",\"type\":\"numeric\",\"stem\":\"s\",\"answer\":-3e6,"
    "\"tolerance\":0,\"explanation\":\"e\",\"difficulty\":\"easy\",\"model\":\"2pl\",\"a\":1.0,"
    "\"b\":-1.3,\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"},"
    "{\"id\":\"ml.sel.003\",\"skill\":\"ml\",\"type\":\"multi\",\"stem\":\"Select all that "
    "apply.\",\"options\":[\"A\",\"B\",\"C\",\"D\",\"E\"],\"keys\":[0,2,3],\"explanation\":\"e\","
    "\"difficulty\":\"medium\",\"model\":\"grm\",\"a\":1.0,\"thresholds\":[-0.8,0,0.8],"
    "\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"},"
    "{\"id\":\"ml.mc.004\",\"skill\":\"ml\",\"type\":\"mcq\",\"stem\":\"s\",\"options\":[\"x\","
    "\"y\",\"z\"],\"key\":1,\"explanation\":\"e\",\"difficulty\":\"easy\",\"model\":\"3pl\","
    "\"a\":1.0,\"b\":-1.3,\"c\":0.33,\"calibrated\":false,\"tags\":[\"t\"],\"lang\":\"en\"}]}";

static struct rf_bank bank;

static void setup(void)
{
    struct rf_err err;
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_mem("a.json", BANK, strlen(BANK), &bank, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(bank.n, 4);
}

static void teardown(void)
{
    rf_bank_cleanup(&bank);
}

TestSuite(answer, .init = setup, .fini = teardown);

Test(answer, numbers_accepted)
{
    static const struct {
        const char *text;
        double v;
    } ok[] = {{"5", 5},        {"-5", -5},      {"+5", 5},         {".5", 0.5},
              {"5.", 5},       {"1e-3", 1e-3},  {"1E+3", 1e3},     {"  2.50  ", 2.5},
              {"-0.0", 0},     {"\t7\n", 7},    {"1.5e2", 150},    {"0003", 3},
              {"1e-400", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct rf_err err;
        double v = -99;
        cr_assert_eq(rf_answer_parse_number(ok[i].text, &v, &err), RF_OK, "'%s': %s", ok[i].text,
                     err.msg);
        cr_assert(fabs(v - ok[i].v) <= 1e-12 * fmax(1, fabs(ok[i].v)), "'%s': %g != %g",
                  ok[i].text, v, ok[i].v);
    }
}

Test(answer, numbers_refused_with_a_message)
{
    static const char *bad[] = {"",    "   ", "1,5",  "5 ms", "0x10", "inf",  "nan", "1/2",
                                "-",   ".",   "e3",   "1e",   "1e+",  "--1",  "1 2", "1.2.3",
                                "1e999", "Infinity", "١٢"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rf_err err;
        rf_err_clear(&err);
        double v = 42;
        cr_assert_eq(rf_answer_parse_number(bad[i], &v, &err), RF_EINVAL, "'%s' accepted", bad[i]);
        cr_assert_eq(v, 42, "'%s': output touched", bad[i]);
        cr_assert(err.msg[0] && !strchr(err.msg, '\n'), "'%s': message '%s'", bad[i], err.msg);
    }
    struct rf_err err;
    double v;
    rf_answer_parse_number("1,5", &v, &err);
    cr_assert(strstr(err.msg, "comma"), "%s", err.msg);
    rf_answer_parse_number("", &v, &err);
    cr_assert(strstr(err.msg, "no number"), "%s", err.msg);
    char lng[RF_ANSWER_MAX_TEXT + 2];
    memset(lng, '1', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    cr_assert_eq(rf_answer_parse_number(lng, &v, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "longer"), "%s", err.msg);
    cr_assert_eq(rf_answer_parse_number(NULL, &v, &err), RF_EINVAL);
}

Test(answer, numeric_tolerance_is_widened_for_rounding)
{
    const struct rf_item *it = &bank.items[0]; /* 0.25 +- 0.005 */
    cr_assert(rf_answer_numeric_right(it, 0.255), "0.255 is within 0.25 +- 0.005");
    cr_assert(rf_answer_numeric_right(it, 0.245));
    cr_assert(rf_answer_numeric_right(it, 0.25));
    cr_assert(!rf_answer_numeric_right(it, 0.2551));
    cr_assert(!rf_answer_numeric_right(it, 0.2449));
    cr_assert(!rf_answer_numeric_right(it, NAN));
    const struct rf_item *ex = &bank.items[1]; /* -3e6 exactly: slack 3e-3 */
    cr_assert(rf_answer_numeric_right(ex, -3e6));
    cr_assert(rf_answer_numeric_right(ex, -3e6 + 0.002));
    cr_assert(!rf_answer_numeric_right(ex, -3e6 + 0.004));
    cr_assert(!rf_answer_numeric_right(ex, 3e6));
    struct rf_response r;
    struct rf_err err;
    cr_assert_eq(rf_answer_numeric(it, " .255 ", &r, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(r.text, ".255");
    cr_assert_eq(rf_answer_score(it, &r), 1);
    cr_assert_eq(rf_answer_numeric(it, "0.26", &r, &err), RF_OK);
    cr_assert_eq(rf_answer_score(it, &r), 0);
    cr_assert_eq(rf_answer_max_score(it), 1);
}

/* A number as a candidate types it: "80,000" for an answer of 80000 was
 * refused with "use a point for decimals, not a comma", advice that turns a
 * right answer into 80.000, a wrong one; a Japanese input method types
 * full-width digits. Both now read as the number meant; "1,5" and "1,50"
 * still get the comma message. */
Test(answer, numbers_as_candidates_type_them)
{
    const struct rf_item *ex = &bank.items[1]; /* -3e6 */
    struct rf_response r;
    struct rf_err err;
    static const char *ok[] = {"-3,000,000",
                               " -3,000,000.0 ",
                               "\xE2\x88\x92"
                               "3000000",
                               "\xEF\xBC\x8D\xEF\xBC\x93\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90"
                               "\xEF\xBC\x90\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90",
                               "-3e6",
                               "-3,000,000e0"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_assert_eq(rf_answer_numeric(ex, ok[i], &r, &err), RF_OK, "'%s': %s", ok[i], err.msg);
        cr_assert_float_eq(r.value, -3e6, 1e-9, "'%s' read as %g", ok[i], r.value);
        cr_assert_eq(rf_answer_score(ex, &r), 1, "'%s'", ok[i]);
    }
    cr_assert_eq(rf_answer_numeric(ex, "-3,000,000", &r, &err), RF_OK);
    cr_assert_str_eq(r.text, "-3,000,000", "kept as typed");
    struct rf_response back;
    cr_assert_eq(rf_answer_parse_stored(ex, r.text, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_float_eq(back.value, -3e6, 1e-9, "the stored form reads back the same");
    const struct rf_item *it = &bank.items[0]; /* 0.25 */
    cr_assert_eq(
        rf_answer_numeric(it, "\xEF\xBC\x90\xEF\xBC\x8E\xEF\xBC\x92\xEF\xBC\x95", &r, &err), RF_OK,
        "full-width 0.25: %s", err.msg);
    cr_assert_float_eq(r.value, 0.25, 1e-12);
    static const char *bad[] = {"1,5",  "1,50",   "12,34",    "1,2345", "1,,000",
                                ",000", "1,000,", "1000,000", "0,25"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(rf_answer_numeric(it, bad[i], &r, &err), RF_EINVAL, "'%s' accepted as %g",
                     bad[i], r.value);
    rf_answer_numeric(it, "1,5", &r, &err);
    cr_assert(strstr(err.msg, "comma"), "%s", err.msg);
    char lng[3 * RF_ANSWER_MAX_TEXT];
    memset(lng, 0, sizeof lng);
    for (size_t i = 0; i + 3 < sizeof lng; i += 3)
        memcpy(lng + i, "\xEF\xBC\x91", 3);
    cr_assert_eq(rf_answer_numeric(it, lng, &r, &err), RF_EINVAL, "too long as typed");
}

/* A number typed with its unit, as the page shows it beside the box: the
 * item's own unit is taken off ("0.25 ms", "12%", full-width "12％"), the
 * stored form keeps the number alone and reads back; another unit ("0.25 s"
 * for an item in ms) is refused, naming the item's unit, never read as ms. */
Test(answer, the_items_own_unit_after_the_number)
{
    const struct rf_item *it = &bank.items[0]; /* 0.25 ms */
    struct rf_response r;
    struct rf_err err;
    const char *why;
    static const char *ok[] = {"0.25 ms", "0.25ms", " 0.25  ms ",
                               "\xEF\xBC\x90\xEF\xBC\x8E\xEF"
                               "\xBC\x92\xEF\xBC\x95 ms"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_assert_eq(rf_answer_numeric_why(it, ok[i], &r, &err, &why), RF_OK, "'%s': %s", ok[i],
                     err.msg);
        cr_assert_float_eq(r.value, 0.25, 1e-12, "'%s' read as %g", ok[i], r.value);
        cr_assert_eq(rf_answer_score(it, &r), 1, "'%s'", ok[i]);
        cr_assert_null(why);
    }
    cr_assert_eq(rf_answer_numeric(it, " 0.25 ms ", &r, &err), RF_OK);
    cr_assert_str_eq(r.text, "0.25", "the number kept, without the unit");
    struct rf_response back;
    cr_assert_eq(rf_answer_parse_stored(it, r.text, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_float_eq(back.value, 0.25, 1e-12);
    char shown[128];
    rf_answer_response_text(it, &r, shown, sizeof shown);
    cr_assert_str_eq(shown, "0.25 ms", "the unit shown once");
    static const char *other[] = {"0.25 s", "0.25s",  "0.25 MS",   "0.25 sec",
                                  "0.25 %", "250 us", "0.25 ms ms"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        cr_assert_eq(rf_answer_numeric_why(it, other[i], &r, &err, &why), RF_EINVAL,
                     "'%s' accepted as %g", other[i], r.value);
        cr_assert(why && strcmp(why, RF_ANSWER_WHY_UNIT) == 0, "'%s': %s", other[i],
                  why ? why : "no code");
        cr_assert(strstr(err.msg, "not in ms"), "'%s': %s", other[i], err.msg);
    }
    cr_assert_eq(rf_answer_numeric_why(it, "1,5 ms", &r, &err, &why), RF_EINVAL);
    cr_assert_str_eq(why, RF_ANSWER_WHY_COMMA, "%s", err.msg);
    cr_assert_eq(rf_answer_numeric_why(it, "ms", &r, &err, &why), RF_EINVAL);
    cr_assert_eq(rf_answer_numeric_why(it, "  ", &r, &err, &why), RF_EINVAL);
    cr_assert_str_eq(why, RF_ANSWER_WHY_EMPTY);
    cr_assert_eq(rf_answer_numeric_why(it, "0x10", &r, &err, &why), RF_EINVAL);
    cr_assert_str_eq(why, RF_ANSWER_WHY_SYNTAX, "%s", err.msg);

    struct rf_item pct = bank.items[0];
    pct.unit = "%";
    pct.answer = 12;
    pct.tolerance = 0.5;
    static const char *pok[] = {"12%", "12 %", "12\xEF\xBC\x85",
                                "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x85"};
    for (size_t i = 0; i < sizeof pok / sizeof pok[0]; i++) {
        cr_assert_eq(rf_answer_numeric(&pct, pok[i], &r, &err), RF_OK, "'%s': %s", pok[i], err.msg);
        cr_assert_float_eq(r.value, 12, 1e-12, "'%s' reads 12, not 0.12", pok[i]);
    }
    cr_assert_eq(rf_answer_numeric_why(&pct, "0.12 pct", &r, &err, &why), RF_EINVAL);
    cr_assert_str_eq(why, RF_ANSWER_WHY_UNIT);
    cr_assert(strstr(err.msg, "not in %"), "%s", err.msg);

    /* an item without a unit: a word after the number is still not a number */
    const struct rf_item *bare = &bank.items[1];
    cr_assert_eq(rf_answer_numeric_why(bare, "-3e6 ms", &r, &err, &why), RF_EINVAL);
    cr_assert_str_eq(why, RF_ANSWER_WHY_SYNTAX);
}

Test(answer, multi_partial_credit)
{
    const struct rf_item *it = &bank.items[2]; /* keys 0, 2, 3 of 5 */
    static const struct {
        long long sel[5];
        size_t n, score;
    } cases[] = {{{0}, 0, 0},          {{0, 2, 3}, 3, 3},       {{3, 0, 2}, 3, 3},
                 {{0, 2}, 2, 2},       {{0}, 1, 1},             {{1}, 1, 0},
                 {{0, 1}, 2, 0},       {{0, 2, 1}, 3, 1},       {{0, 1, 2, 3, 4}, 5, 1},
                 {{1, 4}, 2, 0},       {{0, 2, 3, 4}, 4, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rf_response r;
        struct rf_err err;
        cr_assert_eq(rf_answer_multi(it, cases[i].sel, cases[i].n, &r, &err), RF_OK,
                     "case %zu: %s", i, err.msg);
        cr_assert_eq(rf_answer_score(it, &r), cases[i].score, "case %zu: score %zu != %zu", i,
                     rf_answer_score(it, &r), cases[i].score);
        for (size_t j = 1; j < r.nsel; j++)
            cr_assert_lt(r.sel[j - 1], r.sel[j], "case %zu: not sorted", i);
    }
    cr_assert_eq(rf_answer_max_score(it), 3);
}

Test(answer, multi_refusals)
{
    const struct rf_item *it = &bank.items[2];
    struct rf_response r;
    struct rf_err err;
    long long out[] = {0, 5}, neg[] = {-1}, dup[] = {2, 0, 2};
    cr_assert_eq(rf_answer_multi(it, out, 2, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "out of range"), "%s", err.msg);
    cr_assert_eq(rf_answer_multi(it, neg, 1, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_multi(it, dup, 3, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "twice"), "%s", err.msg);
    /* a response of the wrong format for the type */
    cr_assert_eq(rf_answer_mcq(it, 1, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "multi"), "%s", err.msg);
    cr_assert_eq(rf_answer_numeric(it, "1", &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_multi(&bank.items[0], dup, 1, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_mcq(&bank.items[3], 3, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_mcq(&bank.items[3], 1, &r, &err), RF_OK);
    cr_assert_eq(rf_answer_score(&bank.items[3], &r), 1);
}

Test(answer, typed_selections)
{
    const struct rf_item *it = &bank.items[2];
    struct rf_response r;
    struct rf_err err;
    cr_assert_eq(rf_answer_parse_selection(it, " a, D ,c", 1, &r, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r.nsel, 3);
    cr_assert_eq(rf_answer_score(it, &r), 3);
    cr_assert_eq(rf_answer_parse_selection(it, "", 1, &r, &err), RF_OK);
    cr_assert_eq(r.nsel, 0);
    cr_assert_eq(rf_answer_parse_selection(it, "a,f", 1, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "'f'"), "%s", err.msg);
    cr_assert_eq(rf_answer_parse_selection(it, "a,,b", 1, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_selection(it, "a b", 1, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_selection(it, "b,B", 1, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "option b is selected twice"), "%s", err.msg);
    cr_assert_eq(rf_answer_parse_selection(it, "0,3", 0, &r, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_answer_score(it, &r), 2);
    cr_assert_eq(rf_answer_parse_selection(it, "0,9", 0, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_selection(it, "99999999999", 0, &r, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_selection(it, "a", 0, &r, &err), RF_EINVAL);
}

Test(answer, stored_form_round_trips)
{
    struct rf_response r, back;
    struct rf_err err;
    char buf[RF_ANSWER_MAX_TEXT + 1];
    long long sel[] = {3, 1};
    cr_assert_eq(rf_answer_multi(&bank.items[2], sel, 2, &r, &err), RF_OK);
    rf_answer_format(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "1,3");
    cr_assert_eq(rf_answer_parse_stored(&bank.items[2], buf, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_answer_score(&bank.items[2], &back), rf_answer_score(&bank.items[2], &r));
    cr_assert_eq(rf_answer_multi(&bank.items[2], sel, 0, &r, &err), RF_OK);
    rf_answer_format(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
    cr_assert_eq(rf_answer_parse_stored(&bank.items[2], buf, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(back.nsel, 0);

    cr_assert_eq(rf_answer_numeric(&bank.items[0], " 2.5e-1 ", &r, &err), RF_OK);
    rf_answer_format(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "2.5e-1");
    cr_assert_eq(rf_answer_parse_stored(&bank.items[0], buf, &back, &err), RF_OK);
    cr_assert_eq(rf_answer_score(&bank.items[0], &back), 1);

    cr_assert_eq(rf_answer_mcq(&bank.items[3], 2, &r, &err), RF_OK);
    rf_answer_format(&r, buf, sizeof buf);
    cr_assert_str_eq(buf, "2");
    cr_assert_eq(rf_answer_parse_stored(&bank.items[3], buf, &back, &err), RF_OK);
    cr_assert_eq(back.choice, 2);
    cr_assert_eq(rf_answer_parse_stored(&bank.items[3], "7", &back, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_stored(&bank.items[3], "x", &back, &err), RF_EINVAL);
    cr_assert_eq(rf_answer_parse_stored(&bank.items[3], NULL, &back, &err), RF_EINVAL);
}

Test(answer, texts_for_reports)
{
    char buf[256];
    rf_answer_key_text(&bank.items[0], buf, sizeof buf);
    cr_assert_str_eq(buf, "0.25 ms (\xc2\xb1 0.005)");
    rf_answer_key_text(&bank.items[1], buf, sizeof buf);
    cr_assert_str_eq(buf, "-3000000");
    rf_answer_key_text(&bank.items[2], buf, sizeof buf);
    cr_assert_str_eq(buf, "a, c, d");
    rf_answer_key_text(&bank.items[3], buf, sizeof buf);
    cr_assert_str_eq(buf, "b) y");
    struct rf_response r;
    struct rf_err err;
    cr_assert_eq(rf_answer_numeric(&bank.items[0], "0.3", &r, &err), RF_OK);
    rf_answer_response_text(&bank.items[0], &r, buf, sizeof buf);
    cr_assert_str_eq(buf, "0.3 ms");
    cr_assert_eq(rf_answer_multi(&bank.items[2], NULL, 0, &r, &err), RF_OK);
    rf_answer_response_text(&bank.items[2], &r, buf, sizeof buf);
    cr_assert_str_eq(buf, "none");
    char small[4];
    rf_answer_key_text(&bank.items[3], small, sizeof small);
    cr_assert_eq(strlen(small), 3);
}
