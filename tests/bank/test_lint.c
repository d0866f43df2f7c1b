/* The bank linter and its text helpers: folding, shingles, markup, and each check. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank/lint.h"
#include "bank/text.h"
#include "base/buf.h"

Test(text, folding)
{
    char *s = rf_text_fold_space("  Hello,\t\tWORLD\n $x^2$ ");
    cr_assert_str_eq(s, "hello, world $x^2$");
    free(s);
    s = rf_text_fold_words("  Hello,\t\tWORLD\n $x^2$ — ok?");
    cr_assert_str_eq(s, "hello world x 2 — ok"); /* UTF-8 dash kept as a word */
    free(s);
    s = rf_text_fold_words("?!");
    cr_assert_str_eq(s, "");
    free(s);
}

Test(text, shingles_and_jaccard)
{
    uint64_t *a, *b;
    size_t na, nb;
    cr_assert_eq(rf_text_shingles("a b c d", 2, &a, &na), RF_OK);
    cr_assert_eq(na, 3); /* ab bc cd */
    cr_assert_eq(rf_text_shingles("a b c e", 2, &b, &nb), RF_OK);
    /* shared {ab, bc} of union {ab, bc, cd, ce}: 2/4, exact in binary */
    cr_assert_float_eq(rf_text_jaccard(a, na, b, nb), 0.5, 1e-15);
    cr_assert_float_eq(rf_text_jaccard(a, na, a, na), 1.0, 1e-15);
    free(b);
    /* repeated shingles count once; short texts have one shingle */
    cr_assert_eq(rf_text_shingles("x y x y x y", 2, &b, &nb), RF_OK);
    cr_assert_eq(nb, 2);
    free(b);
    cr_assert_eq(rf_text_shingles("single", 2, &b, &nb), RF_OK);
    cr_assert_eq(nb, 1);
    cr_assert_float_eq(rf_text_jaccard(a, na, b, nb), 0.0, 1e-15);
    free(b);
    cr_assert_eq(rf_text_shingles("", 2, &b, &nb), RF_OK);
    cr_assert_eq(nb, 0);
    cr_assert_null(b);
    cr_assert_float_eq(rf_text_jaccard(NULL, 0, NULL, 0), 0.0, 1e-15);
    free(a);
}

static const char *markup(const char *s)
{
    static char msg[256];
    msg[0] = '\0';
    return rf_markup_check(s, msg, sizeof msg) == RF_OK ? NULL : msg;
}

Test(text, markup_accepts_the_documented_subset)
{
    const char *good[] = {
        "plain text",
        "inline `code` and $\\frac{a}{b}$ and $x_{i}^{2}$",
        "costs \\$5 and \\$10",
        "```python\nx = a$b  # $ inside code is literal\n```\nafter",
        "  ```\nindented fence\n  ```",
        "$\\{a\\}$ escaped braces",
        "`$` is a dollar in code",
        "**bold** and\n\nparagraphs",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        cr_assert_null(markup(good[i]), "case %zu '%s': %s", i, good[i], markup(good[i]));
}

Test(text, markup_faults_name_the_line)
{
    struct {
        const char *s, *want;
    } bad[] = {
        {"price $5", "line 1: unclosed $ math"},
        {"one\n```\ncode", "line 2: unclosed ``` code fence"},
        {"a `b", "line 1: unclosed ` code span"},
        {"$a\n\nb$", "line 1: unclosed $ math"}, /* a paragraph ends inside math */
        {"x\n$\\frac{a}{b$", "line 2: unbalanced braces"},
        {"$a}$", "line 1: '}' without '{'"},
        {"`a\n```\nb`", "line 1: unclosed ` code span"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = markup(bad[i].s);
        cr_assert_not_null(m, "case %zu accepted", i);
        cr_assert(strstr(m, bad[i].want), "case %zu: '%s' lacks '%s'", i, m, bad[i].want);
    }
}

static const char *TAX =
    "{\"tasks\":[{\"id\":\"modeling\",\"name\":\"Modeling\"}],"
    "\"levels\":[\"a\",\"b\",\"c\",\"d\",\"e\"],"
    "\"skills\":[{\"id\":\"ml\",\"name\":\"ML\",\"task\":\"modeling\",\"cuts\":[-1,0,1,2]}]}";

static const char *words[] = {"gradient", "variance", "kernel",   "margin",  "entropy",
                              "prior",    "ridge",    "boosting", "bagging", "dropout",
                              "softmax",  "recall",   "lasso",    "epoch",   "embedding",
                              "sigmoid",  "tree",     "forest",   "cluster", "label",
                              "feature",  "batch",    "momentum", "bias"};

/* How a generated skill departs from the clean one (all 0: clean). */
struct shape {
    int keys;         /* 0 cycle over 4 positions, 1 always 0, 2 cycle over 0..2 */
    int options;      /* 0 two lengths, 1 the key uniquely longest in 3 items of 4 (else
                         the shortest), 2 the key never shortest */
    int few_numeric;  /* only i % 5 == 1 numeric (about 20%) */
    int hard_low;     /* hard items at b 1.4 instead of 1.8 */
    int no_expert;    /* the expert items rated hard at b 2.1 */
    int recall;       /* mcq items marked recall: 1 those with i % 5 == 0 (10 of 48), 2 also
                         i % 5 == 3 (19 of 48) */
    const char *more; /* raw JSON items appended to the array, or NULL */
};

/* A skill file: n items (48 meet every per-skill target): difficulties 1/4
 * easy, 1/2 medium, 1/4 hard, five of them expert (b 2.6), the others hard
 * at b 1.8; items i with i % 5 in {1, 2} numeric (40%), the rest mcq with
 * keys on every position and options of two lengths; every stem different in
 * several words and too short to share a scenario (fewer than 5 content
 * words); tags distinct. Extra JSON replaces item 0's tail. sh departs from
 * that (NULL: clean). */
static void shaped_bank(struct rf_buf *b, size_t n, const char *item0_extra,
                        const struct shape *sh)
{
    static const struct shape clean;
    if (!sh)
        sh = &clean;
    rf_buf_puts(b, "{\"skill\":\"ml\",\"items\":[");
    size_t nmcq = 0, nexpert = 0;
    for (size_t i = 0; i < n; i++) {
        int expert = i % 4 == 3 && nexpert < 5 && !sh->no_expert;
        nexpert += expert;
        const char *d = i % 4 == 0 ? "easy" : i % 4 == 3 ? (expert ? "expert" : "hard") : "medium";
        double hard = sh->no_expert && i % 4 == 3 && i < 20 ? 2.1 : sh->hard_low ? 1.4 : 1.8;
        double bval = i % 4 == 0 ? -1.3 : i % 4 == 3 ? (expert ? 2.6 : hard) : 0.0;
        const char *sep = i ? "," : "";
        if (i % 5 == 1 || (i % 5 == 2 && !sh->few_numeric)) {
            rf_buf_printf(b,
                          "%s{\"id\":\"ml.topic.%03zu\",\"skill\":\"ml\",\"type\":\"numeric\","
                          "\"stem\":\"How many %s per %s, as an integer?\",\"answer\":%zu,"
                          "\"tolerance\":0.5,\"explanation\":\"A long enough explanation that "
                          "teaches why the answer is right.\",\"difficulty\":\"%s\","
                          "\"model\":\"2pl\",\"a\":1.0,\"b\":%g,\"calibrated\":false,"
                          "\"tags\":[\"t%03zu\"],\"lang\":\"en\"}",
                          sep, i, words[i % 24], words[(i * 7 + 3 + i / 24) % 24], i, d, bval, i);
            continue;
        }
        size_t key = sh->keys == 1 ? 0 : sh->keys == 2 ? nmcq % 3 : nmcq % 4;
        nmcq++;
        const char *opt[4] = {"first", "second", "third", "fourth"};
        if (sh->options == 1) /* 3 items in 4, else the shortest */
            opt[key] = nmcq % 4 ? "a much longer option" : "k";
        if (sh->options == 2) { /* key 6 characters; distractors 2, 6 and 10 */
            static const char *const dis[3] = {"ab", "abcdef", "abcdefghij"};
            for (size_t o = 0, k = 0; o < 4; o++)
                opt[o] = o == key ? "keykey" : dis[k++];
        }
        rf_buf_printf(b,
                      "%s{\"id\":\"ml.topic.%03zu\",\"skill\":\"ml\",\"type\":\"mcq\","
                      "\"stem\":\"How does %s interact with %s?\","
                      "\"options\":[\"%s\",\"%s\",\"%s\",\"%s\"],\"key\":%zu,"
                      "\"explanation\":\"A long enough explanation that teaches why the key "
                      "is right.\",\"difficulty\":\"%s\",\"model\":\"3pl\",\"a\":1.0,"
                      "\"b\":%g,\"c\":0.25,\"calibrated\":false,\"tags\":[\"t%03zu\"],"
                      "\"lang\":\"en\"%s%s}",
                      sep, i, words[i % 24], words[(i * 7 + 3 + i / 24) % 24], opt[0], opt[1],
                      opt[2], opt[3], key, d, bval, i,
                      (sh->recall && i % 5 == 0) || (sh->recall == 2 && i % 5 == 3)
                          ? ",\"recall\":true"
                          : "",
                      i == 0 && item0_extra ? item0_extra : "");
    }
    if (sh->more)
        rf_buf_printf(b, ",%s", sh->more);
    rf_buf_puts(b, "]}");
}

static void clean_bank(struct rf_buf *b, size_t n, const char *item0_extra)
{
    shaped_bank(b, n, item0_extra, NULL);
}

static void run_lint(const char *json, struct rf_taxonomy *tax, struct rf_lint *l)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load_mem("tax", TAX, strlen(TAX), tax, &err), RF_OK, "%s", err.msg);
    rf_lint_init(l, tax);
    cr_assert_eq(rf_lint_add_mem(l, "ml.json", json, strlen(json), &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_lint_finish(l, &err), RF_OK, "%s", err.msg);
}

static char *all_lines(const struct rf_lint *l)
{
    struct rf_buf out;
    rf_buf_init(&out, 1 << 20);
    for (size_t i = 0; i < l->ndiags; i++) {
        rf_lint_diag_format(&l->diags[i], &out);
        rf_buf_putc(&out, '\n');
    }
    char *s = rf_buf_take(&out);
    return s ? s : calloc(1, 1);
}

static size_t count_of(const char *lines, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(lines, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

Test(lint, clean_bank_has_no_findings)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    clean_bank(&b, 48, NULL);
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint(rf_buf_str(&b), &tax, &l);
    char *lines = all_lines(&l);
    cr_assert_eq(l.ndiags, 0, "unexpected findings:\n%s", lines);
    cr_assert_eq(l.nitems, 48);
    free(lines);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&b);
}

/* Lints a clean bank whose item 0 gets extra (overriding) JSON fields and
 * checks that exactly the expected line appears with the expected level. */
static void expect_finding(size_t n, const char *extra, const char *line, int errors)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    clean_bank(&b, n, extra);
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint(rf_buf_str(&b), &tax, &l);
    char *lines = all_lines(&l);
    cr_assert(strstr(lines, line), "extra %s: no line '%s' in:\n%s", extra, line, lines);
    cr_assert_eq(l.nerrors, (size_t)errors, "extra %s: %zu errors, expected %d:\n%s", extra,
                 l.nerrors, errors, lines);
    free(lines);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&b);
}

Test(lint, each_check_reports_file_item_and_field)
{
    /* jansson rejects duplicate keys, so overrides use keys absent from the clean item
     * or replace the whole item through a second file below */
    expect_finding(48, ",\"retired\":\"yes\"",
                   "ml.json: item 'ml.topic.000': field 'retired': error: expected true or false", 1);
    expect_finding(48, ",\"recall\":1",
                   "ml.json: item 'ml.topic.000': field 'recall': error: expected true or false", 1);
    expect_finding(48, ",\"thresholds\":[1]", "", 0); /* ignored by a 3pl item: no finding */
    /* malformed markup, missing explanation, wrong option count */
    expect_finding(48, ",\"translations\":{\"ja\":{\"stem\":\"$x\",\"options\":[\"a\"]}}",
                   "field 'translations.ja.stem': error: malformed markup: line 1: unclosed $", 3);
    expect_finding(48, ",\"translations\":{\"ja\":{\"options\":[\"a\"]}}",
                   "field 'translations.ja.options': error: expected an array of 4 strings", 3);
    expect_finding(48, ",\"colour\":1",
                   "item 'ml.topic.000': field 'colour': warning: unknown field", 0);
    expect_finding(12, NULL, "ml.json: warning: skill 'ml': 12 active items, fewer than 48", 0);
    /* retired items do not count toward a skill's active items */
    expect_finding(48, ",\"retired\":true", "warning: skill 'ml': 47 active items, fewer than 48",
                   0);
}

Test(lint, spread_and_count_warnings)
{
    /* all medium: one spread warning naming the counts */
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    rf_buf_puts(&b, "{\"skill\":\"ml\",\"items\":[");
    for (size_t i = 0; i < 20; i++)
        rf_buf_printf(&b,
                      "%s{\"id\":\"ml.t.%03zu\",\"skill\":\"ml\",\"type\":\"mcq\",\"stem\":\"Q "
                      "%s %s %zu\",\"options\":[\"a\",\"b\",\"c\"],\"key\":%zu,\"explanation\":\"one "
                      "two three four five six seven eight\",\"difficulty\":\"medium\","
                      "\"model\":\"3pl\",\"a\":1,\"b\":0,\"c\":0.33,\"calibrated\":false,"
                      "\"tags\":[\"t%zu\"],"
                      "\"lang\":\"en\"}",
                      i ? "," : "", i, words[i], words[(i + 5) % 24], i, i % 3, i);
    rf_buf_puts(&b, "]}");
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint(rf_buf_str(&b), &tax, &l);
    char *lines = all_lines(&l);
    cr_assert_eq(l.nerrors, 0, "%s", lines);
    cr_assert_eq(count_of(lines, "difficulty spread"), 1, "%s", lines);
    cr_assert(strstr(lines, "difficulty spread easy 0 / medium 20 / hard 0"), "%s", lines);
    free(lines);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&b);
}

Test(lint, bad_json_and_wrong_shape_are_findings_not_failures)
{
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint("{\"items\": [\n  {\"id\": ]\n}", &tax, &l);
    cr_assert_eq(l.nerrors, 1);
    struct rf_buf out;
    rf_buf_init(&out, 4096);
    rf_lint_diag_format(&l.diags[0], &out);
    cr_assert(strncmp(rf_buf_str(&out), "ml.json: error: invalid JSON at 2:", 34) == 0, "%s",
              rf_buf_str(&out));
    rf_buf_cleanup(&out);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);

    run_lint("[1, 2]", &tax, &l);
    cr_assert_eq(l.nerrors, 1);
    cr_assert(strstr(l.diags[0].msg, "expected an object {\"skill\""));
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
}

Test(lint, directory_order_and_bank_wide_findings)
{
    struct rf_taxonomy tax;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load("tests/fixtures/bank/skills.json", &tax, &err), RF_OK, "%s",
                 err.msg);
    struct rf_lint l;
    rf_lint_init(&l, &tax);
    cr_assert_eq(rf_lint_add_dir(&l, "tests/fixtures/bank/small", &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_lint_finish(&l, &err), RF_OK);
    cr_assert_eq(l.nfiles, 2);
    cr_assert_eq(l.nitems, 4);
    cr_assert_eq(l.nerrors, 0);
    /* the last finding is bank-wide: a taxonomy skill without items */
    const struct rf_lint_diag *last = &l.diags[l.ndiags - 1];
    cr_assert_str_eq(last->file, "tests/fixtures/bank/small");
    cr_assert_str_eq(last->msg, "skill 'deep_learning' of the taxonomy has no items");
    /* findings are sorted by file */
    for (size_t i = 1; i < l.ndiags; i++)
        cr_assert(l.diags[i - 1].file_idx <= l.diags[i].file_idx);
    rf_lint_cleanup(&l);
    rf_lint_init(&l, &tax);
    cr_assert_eq(rf_lint_add_dir(&l, "tests/fixtures/bank/none", &err), RF_EIO);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
}

Test(text, tex_commands_outside_the_rendered_subset)
{
    char name[64];
    cr_assert_eq(rf_markup_tex_unknown("$\\frac{a}{b} + \\sqrt{x} \\cdot \\mathbb{E}[X]$ and "
                                       "$\\alpha_{i}^{2} \\,\\{\\}$ text \\mathcal outside",
                                       name, sizeof name),
                 0);
    cr_assert_eq(rf_markup_tex_unknown("ok $\\log x$, then $\\mathcal{L}(\\theta)$", name,
                                       sizeof name),
                 1);
    cr_assert_str_eq(name, "mathcal");
    /* code spans and fences are not math */
    cr_assert_eq(rf_markup_tex_unknown("`$\\weird$` and\n```\n$\\weird$\n```\n", name, sizeof name),
                 0);
    cr_assert_eq(rf_markup_tex_unknown("cost \\$5 \\$6 $\\operatorname{KL}$", name, sizeof name), 0);
}

/* Each per-skill rule, on a 48-item skill that meets every other rule: the
 * one finding appears (and is a warning), and nothing else does. */
Test(lint, per_skill_rules_each_fail_on_a_skill_that_breaks_them)
{
    struct {
        struct shape sh;
        const char *want;
    } cases[] = {
        {{0}, NULL},
        {{.keys = 1}, "warning: skill 'ml': keys by position 28 / 0 / 0 / 0 of 28 mcq items; "
                      "position 0 holds 28 of the 28 items that have it (fair share 7.0)"},
        {{.keys = 2}, "warning: skill 'ml': keys by position 10 / 9 / 9 / 0 of 28 mcq items; "
                      "position 3 holds 0 of the 28 items that have it (fair share 7.0)"},
        {{.options = 1},
         "warning: skill 'ml': \"pick the longest option\" scores 75% over 28 mcq items (at "
         "most 35%)"},
        {{.options = 2},
         "warning: skill 'ml': \"pick the shortest option\" scores 0% over 28 mcq items (at "
         "least 10%)"},
        {{.few_numeric = 1},
         "warning: skill 'ml': 10 of 48 active items are numeric or multi (21%), fewer than "
         "40%"},
        {{.hard_low = 1},
         "warning: skill 'ml': 5 of 48 active items have b >= 1.5 (10%), fewer than 25%"},
        {{.no_expert = 1},
         "warning: skill 'ml': 0 active items with b >= 2.2 (the expert level), fewer than 5"},
        {{.recall = 1}, NULL}, /* 38 of 48 applied (79%) */
        {{.recall = 2},
         "warning: skill 'ml': 29 of 48 active items are applied (not marked recall, 60%), "
         "fewer than 70%"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct rf_buf b;
        rf_buf_init(&b, 1 << 20);
        shaped_bank(&b, 48, NULL, &cases[c].sh);
        struct rf_taxonomy tax;
        struct rf_lint l;
        run_lint(rf_buf_str(&b), &tax, &l);
        char *lines = all_lines(&l);
        cr_assert_eq(l.nerrors, 0, "case %zu:\n%s", c, lines);
        cr_assert_eq(l.nwarnings, cases[c].want ? 1u : 0u, "case %zu:\n%s", c, lines);
        if (cases[c].want)
            cr_assert(strstr(lines, cases[c].want), "case %zu: want '%s' in:\n%s", c,
                      cases[c].want, lines);
        free(lines);
        rf_lint_cleanup(&l);
        rf_taxonomy_cleanup(&tax);
        rf_buf_cleanup(&b);
    }
}

/* Two extra items (raw JSON fields after id and skill) on a clean skill:
 * returns the lines of the findings. */
static char *pair_findings(const char *x, const char *y, size_t *nwarn)
{
    char more[4096];
    snprintf(more, sizeof more,
             "{\"id\":\"ml.pair.001\",\"skill\":\"ml\",%s},{\"id\":\"ml.pair.002\",\"skill\":"
             "\"ml\",%s}",
             x, y);
    struct shape sh = {.more = more};
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    shaped_bank(&b, 48, NULL, &sh);
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint(rf_buf_str(&b), &tax, &l);
    char *lines = all_lines(&l);
    cr_assert_eq(l.nerrors, 0, "%s", lines);
    *nwarn = l.nwarnings;
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&b);
    return lines;
}

#define PAIR_TAIL                                                                                  \
    "\"type\":\"numeric\",\"answer\":3,\"tolerance\":0.5,\"explanation\":\"A long enough "       \
    "explanation that teaches why the answer is right.\",\"difficulty\":\"hard\","              \
    "\"model\":\"2pl\",\"a\":1.0,\"b\":1.8,\"calibrated\":false,\"lang\":\"en\""

Test(lint, likely_enemies_same_tags_or_shared_scenario)
{
    static const char *const scen1 =
        "\"stem\":\"A churn model trained on 2024 subscription logs flags 3000 accounts weekly; "
        "retention calls cost 4 dollars each. How many dollars per week, as an integer?\"";
    static const char *const scen2 =
        "\"stem\":\"Retention calls cost 4 dollars each and the churn model, trained on 2024 "
        "subscription logs, flags 3000 accounts weekly. How many calls per day, as an integer?\"";
    static const char *const other =
        "\"stem\":\"A fraud detector scores card payments at checkout within 80 milliseconds; "
        "how many payments per second can one replica score, as an integer?\"";
    char x[2048], y[2048];
    size_t nw;
    /* the same tag set, in another order */
    snprintf(x, sizeof x, "%s,\"tags\":[\"churn\",\"cost\"]," PAIR_TAIL, scen1);
    snprintf(y, sizeof y, "%s,\"tags\":[\"cost\",\"churn\",\"cost\"]," PAIR_TAIL, other);
    char *lines = pair_findings(x, y, &nw);
    cr_assert(strstr(lines, "item 'ml.pair.002': field 'enemy': warning: likely enemy of item "
                            "'ml.pair.001' (ml.json): the same tags, not in one enemy group"),
              "%s", lines);
    free(lines);
    /* stems that share the scenario, different tags */
    snprintf(x, sizeof x, "%s,\"tags\":[\"churn\"]," PAIR_TAIL, scen1);
    snprintf(y, sizeof y, "%s,\"tags\":[\"cost\"]," PAIR_TAIL, scen2);
    lines = pair_findings(x, y, &nw);
    cr_assert(strstr(lines, "item 'ml.pair.002': field 'enemy': warning: likely enemy of item "
                            "'ml.pair.001' (ml.json): stems that share the scenario "
                            "(content-word overlap"),
              "%s", lines);
    cr_assert_eq(nw, 1, "%s", lines);
    cr_assert_null(strstr(lines, "near-duplicate"), "%s", lines);
    free(lines);
    /* one enemy group resolves either; so does retiring one; unrelated stems are fine */
    snprintf(x, sizeof x, "%s,\"tags\":[\"churn\"],\"enemy\":\"churn_calls\"," PAIR_TAIL, scen1);
    snprintf(y, sizeof y, "%s,\"tags\":[\"churn\"],\"enemy\":\"churn_calls\"," PAIR_TAIL, scen2);
    lines = pair_findings(x, y, &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    snprintf(x, sizeof x, "%s,\"tags\":[\"churn\"],\"retired\":true," PAIR_TAIL, scen1);
    snprintf(y, sizeof y, "%s,\"tags\":[\"churn\"]," PAIR_TAIL, scen2);
    lines = pair_findings(x, y, &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    snprintf(x, sizeof x, "%s,\"tags\":[\"churn\"]," PAIR_TAIL, scen1);
    snprintf(y, sizeof y, "%s,\"tags\":[\"latency\"]," PAIR_TAIL, other);
    lines = pair_findings(x, y, &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    /* near-duplicate stems in one enemy group are resolved too */
    snprintf(x, sizeof x, "%s,\"tags\":[\"a\"],\"enemy\":\"g\"," PAIR_TAIL, scen1);
    snprintf(y, sizeof y,
             "\"stem\":\"A churn model trained on 2024 subscription logs flags 3000 accounts "
             "weekly; retention calls cost 5 dollars each. How many dollars per week, as an "
             "integer?\",\"tags\":[\"b\"],\"enemy\":\"g\"," PAIR_TAIL);
    lines = pair_findings(x, y, &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    y[strlen(y) - strlen(PAIR_TAIL) - strlen("\"enemy\":\"g\",")] = '\0';
    strcat(y, PAIR_TAIL);
    lines = pair_findings(x, y, &nw);
    cr_assert(strstr(lines, "near-duplicate of item 'ml.pair.001'"), "%s", lines);
    cr_assert_eq(nw, 1, "%s", lines);
    free(lines);
}

Test(lint, likely_enemies_ignore_notation_and_answer_format_words)
{
    /* Two Adam items on different concepts: their stems share TeX commands
     * ($\beta$, $\sqrt$, $\epsilon$), answer-format words ("give", "decimals",
     * "how many") and Python names, which say nothing about the scenario. */
    static const char *const adam_eps =
        "\"stem\":\"A weight gets the same tiny gradient every step under Adam with "
        "$\\\\beta_1 = 0.9$, $\\\\beta_2 = 0.999$ and $\\\\epsilon$ added to $\\\\sqrt{v}$; "
        "def print return. How many learning rates is its update? Give it as an integer.\"";
    static const char *const adam_bias =
        "\"stem\":\"Adam with $\\\\beta_1 = 0.9$ and $\\\\beta_2 = 0.999$ forgets bias "
        "correction, stepping by $m / \\\\sqrt{v}$ without $\\\\epsilon$; def print return. How "
        "many times the learning rate is its first step? Give it as an integer.\"";
    char x[2048], y[2048];
    size_t nw;
    snprintf(x, sizeof x, "%s,\"tags\":[\"adam\"]," PAIR_TAIL, adam_eps);
    snprintf(y, sizeof y, "%s,\"tags\":[\"bias_correction\"]," PAIR_TAIL, adam_bias);
    char *lines = pair_findings(x, y, &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    /* the same words as scenario words (no backslash) still count */
    snprintf(x, sizeof x,
             "\"stem\":\"Adam beta epsilon sqrt warmup tiny gradient weight update step rate "
             "first.\",\"tags\":[\"adam\"]," PAIR_TAIL);
    snprintf(y, sizeof y,
             "\"stem\":\"Adam beta epsilon sqrt warmup tiny gradient weight bias correction "
             "forgets.\",\"tags\":[\"bias_correction\"]," PAIR_TAIL);
    lines = pair_findings(x, y, &nw);
    cr_assert(strstr(lines, "stems that share the scenario"), "%s", lines);
    free(lines);
}

/* Lints dir/ml.json holding json as a whole bank directory. */
static char *dir_findings(const char *json, size_t *nwarn)
{
    char dir[] = "/tmp/rf_lint_XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/ml.json", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    cr_assert_geq(fputs(json, f), 0);
    cr_assert_eq(fclose(f), 0);
    struct rf_taxonomy tax;
    struct rf_lint l;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load_mem("tax", TAX, strlen(TAX), &tax, &err), RF_OK, "%s", err.msg);
    rf_lint_init(&l, &tax);
    cr_assert_eq(rf_lint_add_dir(&l, dir, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_lint_finish(&l, &err), RF_OK, "%s", err.msg);
    char *lines = all_lines(&l);
    *nwarn = l.nwarnings;
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    cr_assert_eq(remove(path), 0);
    cr_assert_eq(rmdir(dir), 0);
    return lines;
}

Test(lint, enemy_group_of_one_when_linting_a_bank_directory)
{
    static const char *const pair =
        "{\"id\":\"ml.pair.001\",\"skill\":\"ml\",\"stem\":\"How many cache hits per second, as an integer?\",\"tags\":"
        "[\"p\"],\"enemy\":\"kept_apart\"," PAIR_TAIL "},{\"id\":\"ml.pair.002\",\"skill\":"
        "\"ml\",\"stem\":\"How many queued jobs per worker, as an integer?\",\"tags\":[\"q\"],%s\"enemy\":\"%s\"," PAIR_TAIL "}";
    char more[4096];
    struct rf_buf b;
    size_t nw;
    /* both items in the group: nothing to say */
    snprintf(more, sizeof more, pair, "", "kept_apart");
    struct shape sh = {.more = more};
    rf_buf_init(&b, 1 << 20);
    shaped_bank(&b, 48, NULL, &sh);
    char *lines = dir_findings(rf_buf_str(&b), &nw);
    cr_assert_eq(nw, 0, "%s", lines);
    free(lines);
    rf_buf_cleanup(&b);
    /* the partner in another group: each group has one item */
    snprintf(more, sizeof more, pair, "", "other_group");
    rf_buf_init(&b, 1 << 20);
    shaped_bank(&b, 48, NULL, &sh);
    lines = dir_findings(rf_buf_str(&b), &nw);
    cr_assert(strstr(lines, "item 'ml.pair.001': field 'enemy': warning: no other active item is "
                            "in enemy group 'kept_apart'"),
              "%s", lines);
    cr_assert(strstr(lines, "item 'ml.pair.002': field 'enemy': warning: no other active item is "
                            "in enemy group 'other_group'"),
              "%s", lines);
    cr_assert_eq(nw, 2, "%s", lines);
    free(lines);
    /* a retired partner keeps nothing apart either */
    snprintf(more, sizeof more, pair, "\"retired\":true,", "kept_apart");
    rf_buf_reset(&b);
    shaped_bank(&b, 48, NULL, &sh);
    lines = dir_findings(rf_buf_str(&b), &nw);
    cr_assert_eq(count_of(lines, "no other active item"), 1, "%s", lines);
    free(lines);
    /* one file linted on its own: the partner may be in another file */
    struct rf_taxonomy tax;
    struct rf_lint l;
    snprintf(more, sizeof more, pair, "", "other_group");
    rf_buf_reset(&b);
    shaped_bank(&b, 48, NULL, &sh);
    run_lint(rf_buf_str(&b), &tax, &l);
    lines = all_lines(&l);
    cr_assert_eq(count_of(lines, "no other active item"), 0, "%s", lines);
    free(lines);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&b);
}

/* Item 0 of the clean bank (mcq: "How does gradient interact with ridge?",
 * options first..fourth) with a Japanese translation: the translation is
 * complete or an error, and keeps code, math and numbers. */
static const char *JA_OK =
    ",\"translations\":{\"ja\":{\"stem\":\"gradient と ridge はどう関係するか。\","
    "\"options\":[\"1つ目\",\"2つ目\",\"3つ目\",\"4つ目\"],"
    "\"explanation\":\"正答が正しい理由を説明する十分に長い解説。\"}}";

Test(lint, translations_complete_or_an_error)
{
    expect_finding(48, JA_OK, "", 0); /* counting numbers 1-4 added: fine (0-12 may be added) */
    expect_finding(48,
                   ",\"translations\":{\"ja\":{\"stem\":\"関係は？\",\"options\":[\"a\",\"b\","
                   "\"c\",\"d\"]}}",
                   "field 'translations.ja.explanation': error: missing: a translation is "
                   "complete or absent",
                   1);
    expect_finding(48,
                   ",\"translations\":{\"ja\":{\"stem\":\"関係は？\",\"explanation\":\"解説\"}}",
                   "field 'translations.ja.options': error: missing", 1);
    expect_finding(48,
                   ",\"translations\":{\"ja\":{\"stem\":\"関係は？\",\"explanation\":\"解説\","
                   "\"options\":[\"a\",\"b\",\"c\",\"d\"],\"hint\":\"x\"}}",
                   "field 'translations.ja.hint': error: unknown field", 1);
    expect_finding(48,
                   ",\"translations\":{\"ja\":{\"stem\":\"関係は？\",\"explanation\":\"解説\","
                   "\"options\":[\"a\",\"b\",\"c\",\"d\"],\"unit\":\"個\"}}",
                   "field 'translations.ja.unit': error: the item has no unit", 1);
    /* a number the English does not have (beyond counting words) */
    expect_finding(48,
                   ",\"translations\":{\"ja\":{\"stem\":\"関係は？ 4,096\",\"explanation\":"
                   "\"解説\",\"options\":[\"a\",\"b\",\"c\",\"d\"]}}",
                   "field 'translations.ja.stem': error: number '4,096' is not in the original", 1);
}

Test(text, literals_a_translation_keeps)
{
    char msg[160];
    const char *en = "A batch of 4,096 rows costs $O(n^2)$ with `torch.bmm`; GPT-4 and x2 "
                     "take 0.25 s.\n```python\nx = y[3]\n```\ncosts \\$5";
    struct rf_literal *v;
    size_t n;
    cr_assert_eq(rf_markup_literals(en, &v, &n), RF_OK);
    const char *want[] = {"4,096", "$O(n^2)$", "`torch.bmm`", "4", "0.25", "```python\nx = y[3]\n```", "5"};
    cr_assert_eq(n, sizeof want / sizeof want[0], "%zu literals", n);
    for (size_t i = 0; i < n; i++)
        cr_assert(strlen(want[i]) == v[i].n && memcmp(want[i], v[i].p, v[i].n) == 0,
                  "literal %zu: '%.*s', want '%s'", i, (int)v[i].n, v[i].p, want[i]);
    free(v);
    const char *ja = "4,096 行のバッチは `torch.bmm` で $O(n^2)$ かかり、GPT-4 と x2 は 0.25 秒。"
                     "\n```python\nx = y[3]\n```\n費用は \\$5、2つの場合";
    cr_assert_eq(rf_markup_literals_differ(en, ja, msg, sizeof msg), 0, "%s", msg);
    /* numbers agree by value, with their scale words: Japanese writes 万 and 億 */
    const char *same[][2] = {
        {"13 million users", "1,300万人"},
        {"100 thousand USD and 4,096 rows", "10万米ドルと4096行"},
        {"a 7 billion model; 2.5 million tokens", "70億パラメータのモデル、250万トークン"},
        {"1.2 trillion tokens", "1.2兆トークン"},
        {"a 47 billion model, 18.6 million rows, 10 thousand QPS", "47Bモデル、18.6M行、10k QPS"},
        {"a 7-billion-parameter model joins a 500-million-row table", "7Bパラメータのモデルが5億行の表を結合"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        cr_assert_eq(rf_markup_literals_differ(same[i][0], same[i][1], msg, sizeof msg), 0,
                     "case %zu: %s", i, msg);
    cr_assert_eq(rf_markup_literals_differ("13 million", "13万", msg, sizeof msg), 1);
    cr_assert_eq(rf_markup_literals_differ("8 MB", "8M B", msg, sizeof msg), 1,
                 "8 and 8M differ");
    cr_assert_eq(rf_markup_literals_differ("8 MB", "8 MB", msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rf_markup_literals_differ("3 millionths", "3", msg, sizeof msg), 0,
                 "a word that only starts like a scale word is no scale: %s", msg);
    const struct {
        const char *ja, *want;
    } bad[] = {
        {"4,069 行 `torch.bmm` $O(n^2)$ GPT-4 0.25\n```python\nx = y[3]\n```\n\\$5",
         "number '4,069' is not in the original"},
        {"4,096 万行 `torch.bmm` $O(n^2)$ GPT-4 0.25\n```python\nx = y[3]\n```\n\\$5",
         "number '4,096' of the original is missing"}, /* 4,096万 is another value */
        {"4,096 `torch.bmm` $O(n^2)$ GPT-4 0.25\n```python\nx = y[4]\n```\n\\$5",
         "code block '```python"},
        {"4,096 `bmm` $O(n^2)$ GPT-4 0.25\n```python\nx = y[3]\n```\n\\$5", "code '`bmm`'"},
        {"4,096 `torch.bmm` $O(n)$ GPT-4 0.25\n```python\nx = y[3]\n```\n\\$5", "math '$O(n)$'"},
        {"4,096 `torch.bmm` $O(n^2)$ GPT-4 0.25 13\n```python\nx = y[3]\n```\n\\$5",
         "number '13' is not in the original"}, /* 0-12 may be added */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        msg[0] = '\0';
        cr_assert_eq(rf_markup_literals_differ(en, bad[i].ja, msg, sizeof msg), 1, "case %zu", i);
        cr_assert(strstr(msg, bad[i].want), "case %zu: '%s' lacks '%s'", i, msg, bad[i].want);
    }
}

/* Pools: a bad value is an error naming the field; a skill whose items are
 * all operational has a practice pool too thin to measure it. */
Test(lint, pools_checked_and_thin_pools_warned)
{
    expect_finding(48, ",\"pool\":\"secret\"",
                   "ml.json: item 'ml.topic.000': field 'pool': error: expected \"practice\", "
                   "\"operational\" or \"pretest\"",
                   1);
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    clean_bank(&b, 48, NULL);
    /* every item operational: the field before each item's "lang" */
    char *json = rf_buf_take(&b);
    struct rf_buf c;
    rf_buf_init(&c, 1 << 20);
    for (const char *p = json; *p; p++) {
        if (!strncmp(p, "\"lang\":\"en\"", 11))
            rf_buf_puts(&c, "\"pool\":\"operational\",");
        rf_buf_putc(&c, *p);
    }
    free(json);
    struct rf_taxonomy tax;
    struct rf_lint l;
    run_lint(rf_buf_str(&c), &tax, &l);
    char *lines = all_lines(&l);
    cr_assert(strstr(lines, "skill 'ml': pools: 0 practice, 48 operational, 0 pretest active "
                            "items; a skill needs at least 10 practice and 24 operational"),
              "%s", lines);
    free(lines);
    rf_lint_cleanup(&l);
    rf_taxonomy_cleanup(&tax);
    rf_buf_cleanup(&c);
}
