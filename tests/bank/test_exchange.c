/* QTI and GIFT: round trips of a rich bank, hand-written fixtures from the
 * specifications, unsupported constructs reported by name and line, and
 * malformed input reported with line and column. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank/bank.h"
#include "bank/gift.h"
#include "bank/import.h"
#include "bank/qti.h"

#define FIX "tests/fixtures"

static void load_rich(struct rf_bank *b)
{
    struct rf_err err;
    rf_err_clear(&err);
    rf_bank_init(b);
    cr_assert_eq(rf_bank_load_file(FIX "/exchange/rich.json", b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(b->n, 4);
}

/* Every field of the bank format must come back unchanged. */
static void assert_same_item(const struct rf_item *x, const struct rf_item *y, const char *how)
{
    cr_assert_str_eq(y->id, x->id, "%s: id", how);
    cr_assert_str_eq(y->skill, x->skill, "%s %s: skill", how, x->id);
    cr_assert_str_eq(y->stem, x->stem, "%s %s: stem\n%s\n---\n%s", how, x->id, y->stem, x->stem);
    cr_assert_eq(y->noptions, x->noptions, "%s %s: options", how, x->id);
    for (size_t i = 0; i < x->noptions; i++)
        cr_assert_str_eq(y->options[i], x->options[i], "%s %s: option %zu", how, x->id, i);
    cr_assert_eq(y->key, x->key, "%s %s: key", how, x->id);
    cr_assert_str_eq(y->explanation, x->explanation, "%s %s: explanation\n%s\n---\n%s", how, x->id,
                     y->explanation, x->explanation);
    cr_assert_str_eq(y->difficulty, x->difficulty, "%s %s: difficulty", how, x->id);
    cr_assert_str_eq(y->lang, x->lang, "%s %s: lang", how, x->id);
    cr_assert_eq(y->ntags, x->ntags, "%s %s: tags", how, x->id);
    for (size_t i = 0; i < x->ntags; i++)
        cr_assert_str_eq(y->tags[i], x->tags[i]);
    cr_assert_eq(y->calibrated, x->calibrated, "%s %s: calibrated", how, x->id);
    cr_assert_eq(y->retired, x->retired, "%s %s: retired", how, x->id);
    cr_assert_eq(y->irt.model, x->irt.model, "%s %s: model", how, x->id);
    /* parameters travel as JSON text with 15 significant digits */
    cr_assert_float_eq(y->irt.a, x->irt.a, 1e-12, "%s %s: a", how, x->id);
    cr_assert_float_eq(y->irt.b, x->irt.b, 1e-12, "%s %s: b", how, x->id);
    cr_assert_float_eq(y->irt.c, x->irt.c, 1e-12, "%s %s: c", how, x->id);
    cr_assert_eq(!x->translations, !y->translations, "%s %s: translations", how, x->id);
    if (x->translations)
        cr_assert(json_equal(x->translations, y->translations), "%s %s: translations", how, x->id);
}

Test(exchange, qti_round_trip_in_memory)
{
    struct rf_bank b;
    load_rich(&b);
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    for (size_t i = 0; i < b.n; i++) {
        struct rf_buf out;
        rf_buf_init(&out, 1 << 20);
        cr_assert_eq(rf_qti_write_item(&b.items[i], &out), RF_OK);
        cr_assert_eq(rf_qti_read_mem("rt.xml", out.data, out.len, &im, &err), RF_OK, "%s\n%s",
                     err.msg, out.data);
        rf_buf_cleanup(&out);
    }
    cr_assert_eq(im.nnotes, 0, "%s", im.nnotes ? im.notes[0] : "");
    cr_assert_eq(im.n, b.n);
    for (size_t i = 0; i < b.n; i++)
        assert_same_item(&b.items[i], &im.items[i], "qti");
    rf_import_cleanup(&im);
    rf_bank_cleanup(&b);
}

Test(exchange, gift_round_trip_in_memory)
{
    struct rf_bank b;
    load_rich(&b);
    struct rf_buf out;
    rf_buf_init(&out, 1 << 20);
    for (size_t i = 0; i < b.n; i++)
        cr_assert_eq(rf_gift_write_item(&b.items[i], &out), RF_OK);
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_gift_read_mem("rt.gift", out.data, out.len, &im, &err), RF_OK, "%s\n%s",
                 err.msg, out.data);
    cr_assert_eq(im.nnotes, 0, "%s", im.nnotes ? im.notes[0] : "");
    cr_assert_eq(im.n, b.n);
    for (size_t i = 0; i < b.n; i++)
        assert_same_item(&b.items[i], &im.items[i], "gift");
    /* the key is in the file: the right answer carries '=' */
    cr_assert(strstr(out.data, "\t=`opt.zero_grad()`, so gradients accumulate across steps\n"));
    rf_buf_cleanup(&out);
    rf_import_cleanup(&im);
    rf_bank_cleanup(&b);
}

static char *temp_dir(void)
{
    char *d = strdup("/tmp/rolefit-test-XXXXXX");
    cr_assert_not_null(mkdtemp(d));
    return d;
}

static void remove_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(exchange, packages_and_files_round_trip)
{
    struct rf_bank b;
    load_rich(&b);
    char *d = temp_dir();
    char path[512];
    struct rf_err err;
    rf_err_clear(&err);
    size_t skipped;
    struct {
        const char *to; /* "zip", "dir" or "gift" */
    } cases[] = {{"zip"}, {"dir"}, {"gift"}};
    for (size_t c = 0; c < 3; c++) {
        struct rf_import im;
        rf_import_init(&im, NULL);
        if (!strcmp(cases[c].to, "zip")) {
            snprintf(path, sizeof path, "%s/bank.zip", d);
            cr_assert_eq(rf_qti_export(&b, path, &skipped, &err), RF_OK, "%s", err.msg);
            cr_assert_eq(rf_qti_read_file(path, &im, &err), RF_OK, "%s", err.msg);
        } else if (!strcmp(cases[c].to, "dir")) {
            snprintf(path, sizeof path, "%s/qti", d);
            cr_assert_eq(rf_qti_export(&b, path, &skipped, &err), RF_OK, "%s", err.msg);
            snprintf(path, sizeof path, "%s/qti/imsmanifest.xml", d);
            cr_assert_eq(rf_qti_read_file(path, &im, &err), RF_OK, "%s", err.msg);
        } else {
            snprintf(path, sizeof path, "%s/gift", d);
            cr_assert_eq(rf_gift_export(&b, path, &skipped, &err), RF_OK, "%s", err.msg);
            snprintf(path, sizeof path, "%s/gift/deep_learning.gift", d);
            cr_assert_eq(rf_gift_read_file(path, &im, &err), RF_OK, "%s", err.msg);
        }
        cr_assert_eq(skipped, 0);
        cr_assert_eq(im.nnotes, 0, "%s: %s", cases[c].to, im.nnotes ? im.notes[0] : "");
        cr_assert_eq(im.n, b.n, "%s", cases[c].to);
        for (size_t i = 0; i < b.n; i++)
            assert_same_item(&b.items[i], &im.items[i], cases[c].to);
        rf_import_cleanup(&im);
    }
    remove_tree(d);
    free(d);
    rf_bank_cleanup(&b);
}

Test(exchange, rubric_items_are_not_exported)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_dir(FIX "/bank/small", &b, &err), RF_OK);
    char *d = temp_dir();
    size_t skipped = 0;
    cr_assert_eq(rf_gift_export(&b, d, &skipped, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(skipped, 1);
    struct rf_buf out;
    rf_buf_init(&out, 1 << 16);
    cr_assert_eq(rf_qti_write_item(&b.items[1], &out), RF_EINVAL); /* the rubric item */
    cr_assert_eq(rf_gift_write_item(&b.items[1], &out), RF_EINVAL);
    rf_buf_cleanup(&out);
    remove_tree(d);
    free(d);
    rf_bank_cleanup(&b);
}

static int has_note(const struct rf_import *im, const char *want)
{
    for (size_t i = 0; i < im->nnotes; i++)
        if (strstr(im->notes[i], want))
            return 1;
    return 0;
}

static char *notes_of(const struct rf_import *im)
{
    static char buf[8192];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < im->nnotes && n < sizeof buf - 1; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", im->notes[i]);
    return buf;
}

Test(exchange, qti_hand_written_item)
{
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_qti_read_file(FIX "/qti/choice.xml", &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 1);
    const struct rf_item *it = &im.items[0];
    cr_assert_str_eq(it->id, "ml_fundamentals.leakage.001");
    cr_assert_str_eq(it->skill, "ml_fundamentals"); /* from the id */
    cr_assert_str_eq(it->stem, "A churn model scores **0.99 AUC** offline but fails in "
                               "production.\n\n```python\nfeatures = "
                               "df.drop(columns=[\"churned\"])\n```\n\nWhich column most likely "
                               "leaks the target?");
    cr_assert_eq(it->noptions, 4);
    cr_assert_str_eq(it->options[1], "`cancellation_date`");
    cr_assert_str_eq(it->options[3], "signup_month");
    cr_assert_eq(it->key, 1); /* identifier ChoiceB, with blanks around it */
    cr_assert_str_eq(it->explanation, "A cancellation date exists only for customers who already "
                                      "churned, so it encodes the label.\n\nAge and plan are known "
                                      "at prediction time.");
    cr_assert_str_eq(it->lang, "en"); /* en-GB */
    /* the author's priors */
    cr_assert_eq(it->irt.model, RF_MODEL_3PL);
    cr_assert_float_eq(it->irt.c, 0.25, 1e-15);
    cr_assert_str_eq(it->difficulty, "medium");
    cr_assert_eq(it->calibrated, 0);
    /* the image and the inline feedback are reported with their lines */
    cr_assert_eq(im.nnotes, 2, "%s", notes_of(&im));
    cr_assert(has_note(&im, "choice.xml:22: item 'ml_fundamentals.leakage.001': <img> "
                            "(images/roc.png) not supported, dropped"),
              "%s", notes_of(&im));
    cr_assert(has_note(&im, "choice.xml:31: item 'ml_fundamentals.leakage.001': <feedbackInline> "
                            "not supported, dropped"),
              "%s", notes_of(&im));
    rf_import_cleanup(&im);
}

static const char *FORMATS_BANK =
    "{\"skill\":\"ml\",\"items\":["
    "{\"id\":\"ml.lat.001\",\"skill\":\"ml\",\"type\":\"numeric\",\"stem\":\"What is the p50, in "
    "ms, to two decimals?\",\"answer\":-0.25,\"tolerance\":0.005,\"unit\":\"ms\",\"explanation\":"
    "\"Because {it} is: so.\",\"difficulty\":\"hard\",\"model\":\"2pl\",\"a\":1.1,\"b\":1.7,"
    "\"calibrated\":false,\"tags\":[\"latency\"],\"lang\":\"en\"},"
    "{\"id\":\"ml.sel.002\",\"skill\":\"ml\",\"type\":\"multi\",\"stem\":\"Which leak? Select all "
    "that apply.\",\"options\":[\"a = b\",\"c ~ d\",\"e # f\",\"g\",\"h\"],\"keys\":[0,2,3],"
    "\"explanation\":\"e\",\"difficulty\":\"medium\",\"model\":\"grm\",\"a\":1.0,"
    "\"thresholds\":[-0.7,0.1,0.9],\"calibrated\":false,\"tags\":[\"leakage\"],\"lang\":\"en\"}]}";

Test(exchange, qti_unsupported_constructs_are_named)
{
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_qti_read_file(FIX "/qti/text_entry.xml", &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 0);
    cr_assert_eq(im.nnotes, 1, "%s", notes_of(&im));
    cr_assert(has_note(&im, "text_entry.xml:9: item 'text.001': textEntryInteraction with baseType "
                            "string (a text answer) not supported"),
              "%s", notes_of(&im));
    rf_import_cleanup(&im);
    /* multiple response (QTI's choice_multiple) is a multiple-select item */
    rf_import_init(&im, NULL);
    cr_assert_eq(rf_qti_read_file(FIX "/qti/multiple.xml", &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 1, "%s", notes_of(&im));
    cr_assert_eq(im.items[0].type, RF_ITEM_MULTI);
    cr_assert(im.items[0].nkeys == 2 && im.items[0].keys[0] == 0 && im.items[0].keys[1] == 2);
    cr_assert_eq(im.items[0].irt.model, RF_MODEL_GRM);
    rf_import_cleanup(&im);
    /* the same declared only through cardinality; a value that is no choice is named */
    const char *card =
        "<assessmentItem identifier=\"c.1\"><responseDeclaration identifier=\"R\" "
        "cardinality=\"multiple\" baseType=\"identifier\"><correctResponse><value>A</value>"
        "<value>Z</value></correctResponse></responseDeclaration><itemBody><choiceInteraction "
        "responseIdentifier=\"R\"><simpleChoice identifier=\"A\">a</simpleChoice><simpleChoice "
        "identifier=\"B\">b</simpleChoice></choiceInteraction></itemBody></assessmentItem>";
    rf_import_init(&im, "x");
    cr_assert_eq(rf_qti_read_mem("card.xml", card, strlen(card), &im, &err), RF_OK);
    cr_assert(has_note(&im, "card.xml:1: item 'c.1': a correct value is not one of the choices"),
              "%s", notes_of(&im));
    cr_assert_eq(im.n, 0);
    rf_import_cleanup(&im);
}

/* Numeric entry and multiple select through QTI 2.1: a float textEntryInteraction
 * with an absolute tolerance, and a multiple choiceInteraction whose mapping
 * scores max(0, keys - non-keys); the same items come back. */
Test(exchange, qti_numeric_and_multi_round_trip)
{
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("f.json", FORMATS_BANK, strlen(FORMATS_BANK), &b, &err), RF_OK,
                 "%s", err.msg);
    for (size_t i = 0; i < b.n; i++) {
        struct rf_buf out;
        rf_buf_init(&out, 1 << 20);
        cr_assert_eq(rf_qti_write_item(&b.items[i], &out), RF_OK);
        if (i == 0)
            cr_assert(strstr(out.data, "toleranceMode=\"absolute\" tolerance=\"0.005 0.005\"") &&
                          strstr(out.data, "<value>-0.25</value>"),
                      "%s", out.data);
        else
            cr_assert(strstr(out.data, "cardinality=\"multiple\"") &&
                          strstr(out.data, "<mapEntry mapKey=\"C1\" mappedValue=\"-1\"/>") &&
                          strstr(out.data, "lowerBound=\"0\""),
                      "%s", out.data);
        struct rf_import im;
        rf_import_init(&im, NULL);
        cr_assert_eq(rf_qti_read_mem("rt.xml", out.data, out.len, &im, &err), RF_OK, "%s\n%s",
                     err.msg, out.data);
        cr_assert_eq(im.nnotes, 0, "%s", im.nnotes ? im.notes[0] : "");
        cr_assert_eq(im.n, 1);
        const struct rf_item *x = &b.items[i], *y = &im.items[0];
        assert_same_item(x, y, "qti formats");
        cr_assert_eq(y->type, x->type);
        cr_assert_eq(y->irt.model, x->irt.model);
        cr_assert_eq(y->irt.ncat, x->irt.ncat);
        cr_assert_float_eq(y->answer, x->answer, 1e-15);
        cr_assert_float_eq(y->tolerance, x->tolerance, 1e-15);
        cr_assert_str_eq(y->unit ? y->unit : "", x->unit ? x->unit : "");
        cr_assert_eq(y->nkeys, x->nkeys);
        for (size_t k = 0; k < x->nkeys; k++)
            cr_assert_eq(y->keys[k], x->keys[k]);
        rf_import_cleanup(&im);
        rf_buf_cleanup(&out);
    }
    rf_bank_cleanup(&b);
}

Test(exchange, qti_package_from_the_specification)
{
    const char *paths[] = {FIX "/qti/package.zip", FIX "/qti/package/imsmanifest.xml"};
    for (size_t p = 0; p < 2; p++) {
        struct rf_import im;
        rf_import_init(&im, "ml_fundamentals");
        struct rf_err err;
        rf_err_clear(&err);
        cr_assert_eq(rf_qti_read_file(paths[p], &im, &err), RF_OK, "%s: %s", paths[p], err.msg);
        cr_assert_eq(im.n, 1, "%s", paths[p]);
        const struct rf_item *it = &im.items[0];
        cr_assert_str_eq(it->id, "I_OVERFIT");
        cr_assert_str_eq(it->skill, "ml_fundamentals"); /* --skill wins */
        /* the interaction sits inside a <div>; its prompt ends the stem */
        cr_assert_str_eq(it->stem,
                         "Training loss falls while validation loss rises.\n\nWhat is happening?");
        cr_assert_eq(it->key, 1);
        cr_assert_eq(im.nnotes, 2, "%s", notes_of(&im));
        cr_assert(has_note(&im, "imsmanifest.xml:13: resource of type 'imsqti_test_xmlv2p1' "
                                "(test.xml) not supported, skipped"),
                  "%s", notes_of(&im));
        cr_assert(has_note(&im, "items/order.xml:8: item 'I_ORDER': <orderInteraction> not "
                                "supported"),
                  "%s", notes_of(&im));
        rf_import_cleanup(&im);
    }
}

static const char *read_error(int qti, const char *name, const char *text)
{
    static struct rf_err err;
    rf_err_clear(&err);
    struct rf_import im;
    rf_import_init(&im, "s");
    rf_status rc = qti ? rf_qti_read_mem(name, text, strlen(text), &im, &err)
                       : rf_gift_read_mem(name, text, strlen(text), &im, &err);
    cr_assert_eq(rc, RF_EINVAL, "%s accepted", name);
    rf_import_cleanup(&im);
    return err.msg;
}

Test(exchange, malformed_input_gives_line_and_column)
{
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_qti_read_file(FIX "/qti/malformed.xml", &im, &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, FIX "/qti/malformed.xml:5:14: Opening and ending tag mismatch: p "
                                  "line 4 and itemBody");
    rf_import_cleanup(&im);
    cr_assert_str_eq(read_error(1, "e.xml", ""), "e.xml:1:1: Document is empty");
    cr_assert(strstr(read_error(1, "a.xml", "<a>\n <b x='1' x='2'/></a>"), "a.xml:2:"));
    cr_assert_str_eq(read_error(0, "u.gift", "::ok::Fine.{=a ~b}\n\n::broken::Which?{\n=first\n"),
                     "u.gift:3:17: '{' is not closed by '}'");
    cr_assert_str_eq(read_error(0, "s.gift", "\n\n::s::What } is{=a ~b}"),
                     "s.gift:3:11: '}' without an opening '{'");
    cr_assert_str_eq(read_error(0, "t.gift", "::unclosed title{=a ~b}"),
                     "t.gift:1:1: question name opened with '::' is not closed");
    cr_assert_str_eq(read_error(0, "two.gift", "Q{=a ~b} and {=c ~d}"),
                     "two.gift:1:14: a second answer block in one question");
    cr_assert_str_eq(read_error(0, "n.gift", "Q{ a ~b =c}"),
                     "n.gift:1:4: answers must start with '=' or '~'");
    /* a package that is not a zip, and a zip without a manifest */
    rf_import_init(&im, NULL);
    cr_assert_eq(rf_qti_read_package_mem("x.zip", "PK\3\4junk", 9, &im, &err), RF_EINVAL);
    cr_assert(strncmp(err.msg, "x.zip: not a readable zip package", 33) == 0, "%s", err.msg);
    rf_import_cleanup(&im);
}

Test(exchange, gift_from_the_documentation)
{
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_gift_read_file(FIX "/gift/quiz.gift", &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 5, "%s", notes_of(&im));
    const struct rf_item *a = &im.items[0], *m = &im.items[1], *k = &im.items[2];
    /* numeric entry and multiple select come in with the author's priors */
    cr_assert_eq(im.items[3].type, RF_ITEM_NUMERIC);
    cr_assert_float_eq(im.items[3].answer, 2, 1e-12);
    cr_assert_eq(im.items[4].type, RF_ITEM_MULTI);
    cr_assert_eq(im.items[4].nkeys, 2);
    cr_assert_str_eq(a->id, "ml_fundamentals.bias.001");
    cr_assert_str_eq(a->skill, "ml_fundamentals"); /* $CATEGORY's last part */
    cr_assert_eq(a->noptions, 3);
    cr_assert_eq(a->key, 1);
    cr_assert_str_eq(a->options[0], "Bias");
    cr_assert_str_eq(a->explanation,
                     "Bias is a property of the model class; variance shrinks as the sample "
                     "grows.\n\n**Bias**: More data does not make a too-simple model more "
                     "flexible.\n\n**Variance**: Right: estimates fluctuate less with more data.");
    /* missing word, escapes, generated id */
    cr_assert_str_eq(m->id, "ml_fundamentals.imported.001");
    cr_assert_str_eq(m->stem, "An L1 penalty { \\lambda \\sum |w| } tends to make weights _____ "
                              "when $\\lambda$ is large.");
    cr_assert_str_eq(m->options[3], "equal: all the same");
    cr_assert_eq(m->key, 0);
    /* [markdown] dropped, the line break kept */
    cr_assert_str_eq(k->stem, "Which metric is **threshold-free**?\nThink about `roc_auc_score`.");
    /* every other question is named with its line */
    const char *want[] = {
        "quiz.gift:24: true-false question 'tf'",
        "quiz.gift:26: short-answer question 'short'",
        "quiz.gift:28: matching question 'match'",
        "quiz.gift:35: essay question 'essay'",
        "quiz.gift:37: multiple-select question 'weights': weights other than +-100/keys",
        "quiz.gift:43: description (untitled) (no answers)",
        "quiz.gift:45: multiple-choice question 'two_right': more than one correct answer",
    };
    cr_assert_eq(im.nnotes, 7, "%s", notes_of(&im));
    for (size_t i = 0; i < 7; i++)
        cr_assert(has_note(&im, want[i]), "no note '%s' in\n%s", want[i], notes_of(&im));
    rf_import_cleanup(&im);

    /* weights on wrong answers next to one right answer: partial credit */
    rf_import_init(&im, "s");
    const char *w = "::w::Q{=a ~%25%b ~c}";
    cr_assert_eq(rf_gift_read_mem("w.gift", w, strlen(w), &im, &err), RF_OK);
    cr_assert(has_note(&im, "w.gift:1: multiple-choice question 'w': partial-credit answer "
                            "weights"),
              "%s", notes_of(&im));
    cr_assert_eq(im.n, 0);
    rf_import_cleanup(&im);
}

Test(exchange, import_fills_ids_and_skills)
{
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    /* no skill anywhere: skipped with a note; a bad title becomes a fresh id */
    const char *g = "::not an id::Q{=a ~b ~c}\n\n$CATEGORY: stats\n\n::also bad::Q2{=a ~b ~c}\n\n"
                    "::stats.x.001::Q3{=a ~b ~c}\n\n::stats.x.001::Q4{=a ~b ~c}";
    cr_assert_eq(rf_gift_read_mem("f.gift", g, strlen(g), &im, &err), RF_OK, "%s", err.msg);
    cr_assert(has_note(&im, "f.gift:1: question 'not an id': no skill"), "%s", notes_of(&im));
    cr_assert_eq(im.n, 3, "%s", notes_of(&im));
    cr_assert_str_eq(im.items[0].id, "stats.imported.001");
    cr_assert(has_note(&im, "id 'also bad' is not a usable id; imported as 'stats.imported.001'"),
              "%s", notes_of(&im));
    cr_assert_str_eq(im.items[1].id, "stats.x.001");
    cr_assert_str_eq(im.items[2].id, "stats.imported.002");
    cr_assert(has_note(&im, "id 'stats.x.001' is taken; imported as 'stats.imported.002'"), "%s",
              notes_of(&im));
    json_t *root;
    cr_assert_eq(rf_import_to_json(&im, &root), RF_OK);
    cr_assert_str_eq(json_string_value(json_object_get(root, "skill")), "stats");
    cr_assert_eq(json_array_size(json_object_get(root, "items")), 3);
    json_decref(root);
    rf_import_cleanup(&im);
}

/* Found by scripts/fuzz gift: a missing-word question with no text before the
 * answers, and text ending in escaped backslashes, must survive a round trip. */
Test(exchange, gift_round_trip_edge_cases)
{
    const char *src = "::s.t.001::{=a ~b ~c} comes first\n\n::s.t.002::ends in \\\\\\\\ {=a ~b ~c}";
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_gift_read_mem("e.gift", src, strlen(src), &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 2, "%s", notes_of(&im));
    cr_assert_str_eq(im.items[0].stem, "_____ comes first");
    cr_assert_str_eq(im.items[1].stem, "ends in \\\\");
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    for (size_t i = 0; i < 2; i++)
        cr_assert_eq(rf_gift_write_item(&im.items[i], &b), RF_OK);
    struct rf_import back;
    rf_import_init(&back, NULL);
    cr_assert_eq(rf_gift_read_mem("rt.gift", b.data, b.len, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(back.n, 2);
    for (size_t i = 0; i < 2; i++)
        assert_same_item(&im.items[i], &back.items[i], "gift edge");
    rf_import_cleanup(&back);
    rf_buf_cleanup(&b);
    rf_import_cleanup(&im);
}

/* Numeric entry and multiple select: GIFT {#answer:tolerance} and weighted
 * answers (+100/m for keys, -100/m for the others) come back as the same
 * items, the unit and parameters through the rolefit comment. */
Test(exchange, gift_numeric_and_multi_round_trip)
{
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("f.json", FORMATS_BANK, strlen(FORMATS_BANK), &b, &err), RF_OK,
                 "%s", err.msg);
    struct rf_buf out;
    rf_buf_init(&out, 1 << 20);
    for (size_t i = 0; i < b.n; i++)
        cr_assert_eq(rf_gift_write_item(&b.items[i], &out), RF_OK);
    cr_assert(strstr(out.data, "\t#-0.25:0.005\n"), "%s", out.data);
    cr_assert(strstr(out.data, "\t~%33.33333%a \\= b\n"), "%s", out.data);
    cr_assert(strstr(out.data, "\t~%-33.33333%c \\~ d\n"), "%s", out.data);
    struct rf_import im;
    rf_import_init(&im, NULL);
    cr_assert_eq(rf_gift_read_mem("rt.gift", out.data, out.len, &im, &err), RF_OK, "%s\n%s",
                 err.msg, out.data);
    cr_assert_eq(im.nnotes, 0, "%s", im.nnotes ? im.notes[0] : "");
    cr_assert_eq(im.n, 2);
    for (size_t i = 0; i < 2; i++) {
        const struct rf_item *x = &b.items[i], *y = &im.items[i];
        assert_same_item(x, y, "gift formats");
        cr_assert_eq(y->type, x->type, "%s: type", x->id);
        cr_assert_eq(y->irt.model, x->irt.model);
        cr_assert_eq(y->irt.ncat, x->irt.ncat);
        cr_assert_float_eq(y->irt.a, x->irt.a, 1e-12);
    }
    cr_assert_float_eq(im.items[0].answer, -0.25, 1e-15);
    cr_assert_float_eq(im.items[0].tolerance, 0.005, 1e-15);
    cr_assert_str_eq(im.items[0].unit, "ms");
    cr_assert_float_eq(im.items[0].irt.b, 1.7, 1e-12);
    cr_assert_eq(im.items[1].nkeys, 3);
    cr_assert(im.items[1].keys[0] == 0 && im.items[1].keys[1] == 2 && im.items[1].keys[2] == 3);
    cr_assert_float_eq(im.items[1].irt.thr[2], 0.9, 1e-12);
    rf_buf_cleanup(&out);
    rf_import_cleanup(&im);
    rf_bank_cleanup(&b);
}

/* Hand-written GIFT (as Moodle documents it) without rolefit comments: the
 * author's priors fill in; what rolefit cannot score as written is named. */
Test(exchange, gift_numeric_and_multi_by_hand)
{
    const char *src = "::ml.n.001::How many ms? {#38:0.5}\n\n"
                      "::ml.n.002::Between? {#=1..3 ####because}\n\n"
                      "::ml.n.003::Two answers {#=1:0 =%50%2:0}\n\n"
                      "::ml.n.004::Not a number {#abc}\n\n"
                      "::ml.s.005::Pick {~%50%a ~%50%b ~%-50%c ~%-50%d}\n\n"
                      "::ml.s.006::Uneven {~%30%a ~%70%b ~%-100%c ~%-100%d}\n\n"
                      "::ml.s.007::No weights {~a ~b ~c}\n";
    struct rf_import im;
    rf_import_init(&im, NULL);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_gift_read_mem("h.gift", src, strlen(src), &im, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(im.n, 4, "%s", notes_of(&im));
    cr_assert_eq(im.items[0].type, RF_ITEM_NUMERIC);
    cr_assert_float_eq(im.items[0].answer, 38, 1e-12);
    cr_assert_float_eq(im.items[0].tolerance, 0.5, 1e-12);
    cr_assert_eq(im.items[0].irt.model, RF_MODEL_2PL);
    cr_assert_float_eq(im.items[1].answer, 2, 1e-12);
    cr_assert_float_eq(im.items[1].tolerance, 1, 1e-12);
    cr_assert_str_eq(im.items[1].explanation, "because");
    cr_assert_eq(im.items[2].type, RF_ITEM_MULTI);
    cr_assert_eq(im.items[2].nkeys, 2);
    cr_assert_eq(im.items[2].irt.model, RF_MODEL_GRM);
    cr_assert_eq(im.items[2].irt.ncat, 3);
    cr_assert_eq(im.items[3].nkeys, 2, "uneven weights: the positive ones are the keys");
    const char *n = notes_of(&im);
    cr_assert(strstr(n, "h.gift:5: numerical question 'ml.n.003': more than one answer"), "%s", n);
    cr_assert(strstr(n, "h.gift:7: numerical question 'ml.n.004': the answer is not a number"),
              "%s", n);
    cr_assert(strstr(n, "h.gift:11: multiple-select question 'ml.s.006': weights other than"), "%s",
              n);
    cr_assert(strstr(n, "h.gift:13: multiple-answer question 'ml.s.007': not supported"), "%s", n);
    rf_import_cleanup(&im);
}
