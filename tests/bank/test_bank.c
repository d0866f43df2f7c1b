/* Bank loading: items, the id index, directory order and every error path. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bank/bank.h"
#include "base/config.h"

#define FIX "tests/fixtures/bank"

Test(bank, loads_dir_in_name_order)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_bank_load_dir(FIX "/small", &b, &err);
    cr_assert_eq(rc, RF_OK, "%s", err.msg);
    cr_assert_eq(b.n, 4);
    cr_assert_eq(b.nfiles, 2); /* notes.txt is ignored */
    /* a_linalg.json sorts before b_stats.json */
    cr_assert_str_eq(b.items[0].id, "linear_algebra.shapes.001");
    cr_assert_str_eq(b.items[2].id, "probability_statistics.bayes.001");
    cr_assert(strstr(b.items[0].file, "a_linalg.json"));
    cr_assert(strstr(b.items[3].file, "b_stats.json"));

    const struct rf_item *it = &b.items[0];
    cr_assert_eq(it->type, RF_ITEM_MCQ);
    cr_assert_eq(it->noptions, 4);
    cr_assert_eq(it->key, 0);
    cr_assert_str_eq(it->options[3], "undefined");
    cr_assert_str_eq(it->difficulty, "easy");
    cr_assert_str_eq(it->lang, "en");
    cr_assert_eq(it->irt.model, RF_MODEL_3PL);
    cr_assert_float_eq(it->irt.b, -1.5, 1e-12);
    cr_assert_float_eq(it->irt.c, 0.25, 1e-12);
    cr_assert_eq(it->ntags, 1);
    cr_assert_not_null(it->translations);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(it->translations, "ja"),
                                                       "stem")),
                     "$A$ は $3 \\times 4$、$B$ は $4 \\times 2$ の行列である。$AB$ の形はどれか。");

    const struct rf_item *r = &b.items[1];
    cr_assert_eq(r->type, RF_ITEM_RUBRIC);
    cr_assert_eq(r->key, -1);
    cr_assert_eq(r->noptions, 0);
    cr_assert_eq(r->irt.model, RF_MODEL_GRM);
    cr_assert_eq(r->irt.ncat, 3);

    cr_assert_eq(b.items[3].retired, 1);
    cr_assert_eq(b.items[3].calibrated, 1);
    cr_assert_eq(b.items[2].retired, 0);
    cr_assert_eq(b.items[3].noptions, 3);

    size_t idx;
    for (size_t i = 0; i < b.n; i++) {
        cr_assert_eq(rf_bank_find(&b, b.items[i].id, &idx), RF_OK);
        cr_assert_eq(idx, i);
    }
    cr_assert_eq(rf_bank_find(&b, "linear_algebra.shapes.002", &idx), RF_ENOTFOUND);
    rf_bank_cleanup(&b);
    cr_assert_eq(b.n, 0);
    cr_assert_eq(rf_bank_find(&b, "linear_algebra.shapes.001", &idx), RF_ENOTFOUND);
}

Test(bank, duplicate_ids_across_files_are_refused)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_dir(FIX "/dup", &b, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "dup/b.json: item 'linear_algebra.shapes.001': field 'id': "
                              "duplicate id (also in " FIX "/dup/a.json)"),
              "%s", err.msg);
    cr_assert_eq(b.n, 0);
}

Test(bank, missing_dir_and_empty_dir)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_dir(FIX "/no_such_dir", &b, &err), RF_EIO);
    cr_assert(strstr(err.msg, "no_such_dir"), "%s", err.msg);
    /* tests/bank holds no .json files: an empty bank, not an error */
    cr_assert_eq(rf_bank_load_dir("tests/bank", &b, &err), RF_OK);
    cr_assert_eq(b.n, 0);
    rf_bank_cleanup(&b);
}

/* A minimal valid item with one field replaced (or removed, when value is NULL). */
static char *item_with(const char *field, const char *value)
{
    static const char *fields[][2] = {
        {"id", "\"ml_fundamentals.loss.001\""}, {"skill", "\"ml_fundamentals\""},
        {"type", "\"mcq\""},                    {"stem", "\"Which loss?\""},
        {"options", "[\"a\",\"b\",\"c\",\"d\"]"}, {"key", "2"},
        {"explanation", "\"because\""},         {"difficulty", "\"medium\""},
        {"model", "\"3pl\""},                   {"a", "1.0"},
        {"b", "0.1"},                           {"c", "0.25"},
        {"calibrated", "false"},                {"tags", "[\"loss\"]"},
    };
    static char buf[4096];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "{\"items\":[{");
    int first = 1;
    int replaced = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *v = fields[i][1];
        if (field && strcmp(field, fields[i][0]) == 0) {
            v = value;
            replaced = 1;
        }
        if (!v)
            continue;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"%s\":%s", first ? "" : ",",
                              fields[i][0], v);
        first = 0;
    }
    if (field && !replaced)
        n += (size_t)snprintf(buf + n, sizeof buf - n, ",\"%s\":%s", field, value);
    snprintf(buf + n, sizeof buf - n, "}]}");
    return buf;
}

static void expect_error(const char *field, const char *value, const char *want)
{
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    const char *json = item_with(field, value);
    rf_status rc = rf_bank_load_mem("m.json", json, strlen(json), &b, &err);
    cr_assert_neq(rc, RF_OK, "field %s = %s: accepted", field, value ? value : "(absent)");
    cr_assert(strstr(err.msg, want), "field %s = %s: message '%s' lacks '%s'", field,
              value ? value : "(absent)", err.msg, want);
    cr_assert_eq(b.n, 0);
    cr_assert_eq(b.nfiles, 0);
    rf_bank_cleanup(&b);
}

Test(bank, valid_minimal_item_loads)
{
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    const char *json = item_with(NULL, NULL);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(b.n, 1);
    cr_assert_str_eq(b.items[0].lang, "en"); /* default */
    cr_assert_str_eq(b.items[0].file, "m.json");
    rf_bank_cleanup(&b);
}

Test(bank, item_errors_name_file_item_and_field)
{
    expect_error("id", NULL, "m.json: items[0]: missing field 'id'");
    expect_error("id", "\"\"", "m.json: items[0]: field 'id': empty");
    expect_error("id", "7", "m.json: items[0]: field 'id': expected a string");
    expect_error("skill", NULL, "m.json: item 'ml_fundamentals.loss.001': missing field 'skill'");
    expect_error("type", "\"essay\"", "item 'ml_fundamentals.loss.001': field 'type': unknown");
    expect_error("stem", "\"\"", "field 'stem': empty");
    expect_error("options", NULL, "missing field 'options'");
    expect_error("options", "[\"only\"]", "field 'options': expected an array of 2 to 10");
    expect_error("options", "[\"a\", 3]", "field 'options[1]': expected a string");
    expect_error("key", "4", "field 'key': 4 is out of range (4 options");
    expect_error("key", "-1", "field 'key': -1 is out of range");
    expect_error("key", "1.5", "field 'key': expected an integer");
    expect_error("key", NULL, "missing field 'key'");
    expect_error("a", "-1", "item 'ml_fundamentals.loss.001': ");
    expect_error("c", "1.5", "item 'ml_fundamentals.loss.001': ");
    expect_error("b", "\"hard\"", "field 'b': expected a number");
    expect_error("model", "\"grm\"", "field 'thresholds'");
    expect_error("model", "\"4pl\"", "field 'model': unknown model '4pl'");
    expect_error("tags", "\"loss\"", "field 'tags'");
    expect_error("calibrated", "\"no\"", "field 'calibrated': expected true or false");
    expect_error("retired", "1", "field 'retired': expected true or false");
    expect_error("translations", "[]", "field 'translations': expected an object");
    expect_error("explanation", "42", "field 'explanation': expected a string");
    expect_error("enemy", "7", "item 'ml_fundamentals.loss.001': field 'enemy': expected a string");
    expect_error("enemy", "\"Base-Rates\"", "field 'enemy': 'Base-Rates' is not a lower_snake_case");
    expect_error("enemy", "\"\"", "field 'enemy': '' is not a lower_snake_case");
    expect_error("enemy", "\"_x\"", "field 'enemy': '_x' is not");
    expect_error("enemy",
                 "\"abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbc\"",
                 "group name of 1 to 64 bytes");
}

Test(bank, enemy_group_loads_copies_and_round_trips)
{
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    /* 64 bytes is the longest name */
    const char *json =
        item_with("enemy", "\"abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb_\"");
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(strlen(b.items[0].enemy), 64);
    json = item_with("enemy", "\"base_rate_precision\"");
    rf_bank_cleanup(&b);
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(b.items[0].enemy, "base_rate_precision");
    json_t *o;
    cr_assert_eq(rf_item_to_json(&b.items[0], &o), RF_OK);
    cr_assert_str_eq(json_string_value(json_object_get(o, "enemy")), "base_rate_precision");
    struct rf_item back, copy;
    cr_assert_eq(rf_item_from_json(o, "rt", 0, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(back.enemy, "base_rate_precision");
    cr_assert_eq(rf_item_copy(&back, &copy), RF_OK);
    cr_assert_str_eq(copy.enemy, "base_rate_precision");
    cr_assert_neq(copy.enemy, back.enemy);
    json_decref(o);
    rf_item_cleanup(&back);
    rf_item_cleanup(&copy);
    rf_bank_cleanup(&b);
    /* no group: "" in memory, no field written */
    rf_bank_init(&b);
    json = item_with(NULL, NULL);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(b.items[0].enemy, "");
    cr_assert_eq(rf_item_to_json(&b.items[0], &o), RF_OK);
    cr_assert_null(json_object_get(o, "enemy"));
    json_decref(o);
    rf_bank_cleanup(&b);
}

Test(bank, mcq_with_graded_model_is_refused)
{
    const char *json = "{\"items\":[{\"id\":\"x.y.001\",\"skill\":\"x\",\"type\":\"mcq\","
                       "\"stem\":\"s\",\"options\":[\"a\",\"b\"],\"key\":0,\"model\":\"grm\","
                       "\"a\":1,\"thresholds\":[0,1]}]}";
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_mem("g.json", json, strlen(json), &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "g.json: item 'x.y.001': field 'model': a multiple-choice item "
                              "needs a dichotomous model"),
              "%s", err.msg);
    cr_assert_eq(b.n, 0);
    rf_bank_cleanup(&b);
}

Test(bank, failed_file_leaves_bank_as_it_was)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_dir(FIX "/small", &b, &err), RF_OK, "%s", err.msg);
    /* second item bad: the first of the same file must not stay behind */
    const char *json = "[{\"id\":\"new.item.001\",\"skill\":\"new\",\"type\":\"mcq\",\"stem\":\"s\","
                       "\"options\":[\"a\",\"b\"],\"key\":0,\"model\":\"2pl\",\"a\":1,\"b\":0},"
                       "{\"id\":\"new.item.002\"}]";
    cr_assert_eq(rf_bank_load_mem("bad.json", json, strlen(json), &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "bad.json: item 'new.item.002': missing field"), "%s", err.msg);
    cr_assert_eq(b.n, 4);
    cr_assert_eq(b.nfiles, 2);
    size_t idx;
    cr_assert_eq(rf_bank_find(&b, "new.item.001", &idx), RF_ENOTFOUND);
    /* a duplicate of an id already loaded */
    const char *dup = "[{\"id\":\"linear_algebra.shapes.001\",\"skill\":\"x\",\"type\":\"mcq\","
                      "\"stem\":\"s\",\"options\":[\"a\",\"b\"],\"key\":0,\"model\":\"2pl\","
                      "\"a\":1,\"b\":0}]";
    cr_assert_eq(rf_bank_load_mem("d.json", dup, strlen(dup), &b, &err), RF_ECONFLICT);
    cr_assert_eq(b.n, 4);
    /* the good part of the first attempt loads now */
    const char *ok = "[{\"id\":\"new.item.001\",\"skill\":\"new\",\"type\":\"mcq\",\"stem\":\"s\","
                     "\"options\":[\"a\",\"b\"],\"key\":1,\"model\":\"2pl\",\"a\":1,\"b\":0}]";
    cr_assert_eq(rf_bank_load_mem("ok.json", ok, strlen(ok), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(b.n, 5);
    cr_assert_eq(rf_bank_find(&b, "new.item.001", &idx), RF_OK);
    cr_assert_eq(idx, 4);
    cr_assert_str_eq(b.items[4].file, "ok.json");
    rf_bank_cleanup(&b);
}

Test(bank, syntax_error_has_line_and_column)
{
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    const char *json = "{\"items\": [\n  {\"id\": }\n]}";
    cr_assert_eq(rf_bank_load_mem("s.json", json, strlen(json), &b, &err), RF_EINVAL);
    cr_assert(strncmp(err.msg, "s.json:2:", 9) == 0, "%s", err.msg);
    const char *notarr = "{\"skill\": \"x\"}";
    cr_assert_eq(rf_bank_load_mem("n.json", notarr, strlen(notarr), &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "n.json: expected an object with an array 'items'"), "%s", err.msg);
    rf_bank_cleanup(&b);
}

Test(bank, many_items_index_and_json_round_trip)
{
    /* 1000 items through rf_bank_add: every one found at its index after table growth */
    struct rf_bank b;
    rf_bank_init(&b);
    struct rf_err err;
    rf_err_clear(&err);
    char *opts[] = {"yes", "no", "maybe"};
    for (size_t i = 0; i < 1000; i++) {
        char id[64];
        snprintf(id, sizeof id, "s.t%zu.%03zu", i / 1000, i % 1000);
        struct rf_item it = {.id = id, .skill = "s", .stem = "q", .explanation = "e",
                             .difficulty = "hard", .lang = "en", .type = RF_ITEM_MCQ,
                             .options = opts, .noptions = 3, .key = (int)(i % 3)};
        rf_irt_item_dich(&it.irt, RF_MODEL_3PL, 1.0, 1.0, 1.0 / 3);
        cr_assert_eq(rf_bank_add(&b, &it, &err), RF_OK, "%s", err.msg);
    }
    size_t idx;
    for (size_t i = 0; i < 1000; i += 37) {
        char id[64];
        snprintf(id, sizeof id, "s.t%zu.%03zu", i / 1000, i % 1000);
        cr_assert_eq(rf_bank_find(&b, id, &idx), RF_OK, "%s", id);
        cr_assert_eq(idx, i);
    }
    cr_assert_eq(rf_bank_add(&b, &b.items[5], &err), RF_ECONFLICT);
    cr_assert_eq(b.n, 1000);

    /* to JSON and back gives the same item */
    json_t *o;
    cr_assert_eq(rf_item_to_json(&b.items[7], &o), RF_OK);
    struct rf_item back;
    cr_assert_eq(rf_item_from_json(o, "rt", 0, &back, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(back.id, b.items[7].id);
    cr_assert_eq(back.key, 1);
    cr_assert_eq(back.noptions, 3);
    cr_assert_str_eq(back.options[2], "maybe");
    cr_assert_str_eq(back.difficulty, "hard");
    cr_assert_float_eq(back.irt.c, 1.0 / 3, 1e-12);
    cr_assert_null(json_object_get(o, "d"));
    json_decref(o);
    rf_item_cleanup(&back);
    rf_bank_cleanup(&b);
}

Test(bank, difficulty_names)
{
    cr_assert_eq(rf_difficulty_parse("easy"), RF_DIFF_EASY);
    cr_assert_eq(rf_difficulty_parse("hard"), RF_DIFF_HARD);
    cr_assert_eq(rf_difficulty_parse("Hard"), RF_DIFF_NONE);
    cr_assert_eq(rf_difficulty_parse(NULL), RF_DIFF_NONE);
    cr_assert_str_eq(rf_difficulty_name(RF_DIFF_MEDIUM), "medium");
    /* priors fall inside the bands of docs/bank-format.md */
    cr_assert(rf_difficulty_prior_b(RF_DIFF_EASY) >= -2.0 && rf_difficulty_prior_b(RF_DIFF_EASY) <= -0.6);
    cr_assert(rf_difficulty_prior_b(RF_DIFF_MEDIUM) >= -0.5 && rf_difficulty_prior_b(RF_DIFF_MEDIUM) <= 0.6);
    cr_assert(rf_difficulty_prior_b(RF_DIFF_HARD) >= 0.7 && rf_difficulty_prior_b(RF_DIFF_HARD) <= 2.2);
    /* the expert rating (issue 14): b 2.2..3.0 */
    cr_assert_eq(rf_difficulty_parse("expert"), RF_DIFF_EXPERT);
    cr_assert_str_eq(rf_difficulty_name(RF_DIFF_EXPERT), "expert");
    cr_assert(rf_difficulty_prior_b(RF_DIFF_EXPERT) >= 2.2 && rf_difficulty_prior_b(RF_DIFF_EXPERT) <= 3.0);
    double lo, hi;
    rf_difficulty_band(RF_DIFF_EXPERT, &lo, &hi);
    cr_assert_float_eq(lo, 2.2, 1e-12);
    cr_assert_float_eq(hi, 3.0, 1e-12);
    rf_difficulty_band(RF_DIFF_HARD, &lo, &hi);
    cr_assert_float_eq(lo, 0.7, 1e-12);
    cr_assert_float_eq(hi, 2.2, 1e-12);
    rf_difficulty_band(RF_DIFF_EASY, &lo, &hi);
    cr_assert_float_eq(lo, -2.0, 1e-12);
    cr_assert_float_eq(hi, -0.6, 1e-12);
}

/* The authors' prior by format and rating (docs/bank-format.md "Prior
 * parameters"), whatever parameters the item carries now. */
Test(bank, prior_params_by_format_and_rating)
{
    struct rf_item it;
    memset(&it, 0, sizeof it);
    struct rf_irt_item p;
    it.type = RF_ITEM_MCQ;
    it.noptions = 4;
    it.difficulty = "hard";
    rf_irt_item_dich(&it.irt, RF_MODEL_2PL, 1.9, 0.2, 0);
    rf_item_prior_params(&it, &p);
    cr_assert_eq(p.model, RF_MODEL_3PL);
    cr_assert_float_eq(p.a, 1.0, 1e-12);
    cr_assert_float_eq(p.b, 1.45, 1e-12);
    cr_assert_float_eq(p.c, 0.25, 1e-12);
    it.type = RF_ITEM_NUMERIC;
    it.difficulty = "";
    rf_item_prior_params(&it, &p);
    cr_assert_eq(p.model, RF_MODEL_2PL);
    cr_assert_float_eq(p.b, 0.0, 1e-12, "unrated: medium");
    cr_assert_float_eq(p.c, 0.0, 1e-12);
    it.type = RF_ITEM_MULTI;
    it.nkeys = 2;
    it.difficulty = "easy";
    rf_item_prior_params(&it, &p);
    cr_assert_eq(p.model, RF_MODEL_GRM);
    cr_assert_eq(p.ncat, 3);
    cr_assert_float_eq(p.a, 1.0, 1e-12);
    cr_assert_float_eq(p.thr[0], -1.7, 1e-12);
    cr_assert_float_eq(p.thr[1], -0.9, 1e-12);
}

/* An item in Japanese: the view borrows the translation; a bank put in
 * Japanese owns it; items without a complete translation stay English. */
Test(bank, items_in_japanese)
{
    struct rf_bank b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_bank_load_dir("tests/fixtures/bank/small", &b, &err), RF_OK, "%s", err.msg);
    struct rf_item v;
    char *opts[RF_BANK_MAX_OPTIONS];
    cr_assert_eq(rf_item_in_lang(&b.items[0], "ja", &v, opts), 1);
    cr_assert(strstr(v.stem, "の形はどれか"));
    cr_assert_str_eq(v.options[3], "定義されない");
    cr_assert_str_eq(v.lang, "ja");
    cr_assert_str_eq(b.items[0].options[3], "undefined", "the item itself is untouched");
    cr_assert_eq(rf_item_in_lang(&b.items[0], "en", &v, opts), 0);
    cr_assert_str_eq(v.stem, b.items[0].stem);
    cr_assert_eq(rf_item_in_lang(&b.items[2], "ja", &v, opts), 0, "no translation: English");
    cr_assert_str_eq(v.stem, b.items[2].stem);
    size_t missing = 99;
    cr_assert_eq(rf_bank_use_lang(&b, "ja", &missing), RF_OK);
    cr_assert_str_eq(b.items[0].options[3], "定義されない");
    cr_assert_str_eq(b.items[0].lang, "ja");
    cr_assert_eq(missing, 2, "the two active untranslated items (the retired one not counted)");
    cr_assert(rf_item_lang_known("ja") && rf_item_lang_known("en") && !rf_item_lang_known("fr"));
    rf_bank_cleanup(&b);
}

/* Pools (docs/bank-format.md "Pools"): the field names the pool and round
 * trips; without it the stable rule places the item, an enemy group whole. */
Test(bank, pool_field_and_rule)
{
    struct rf_bank b;
    struct rf_err err;
    static const char *const names[] = {"practice", "operational", "pretest"};
    static const enum rf_item_pool want[] = {RF_POOL_PRACTICE, RF_POOL_OPERATIONAL,
                                             RF_POOL_PRETEST};
    for (size_t i = 0; i < 3; i++) {
        char v[32];
        snprintf(v, sizeof v, "\"%s\"", names[i]);
        const char *json = item_with("pool", v);
        rf_bank_init(&b);
        cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(b.items[0].pool, want[i]);
        json_t *o;
        cr_assert_eq(rf_item_to_json(&b.items[0], &o), RF_OK);
        cr_assert_str_eq(json_string_value(json_object_get(o, "pool")), names[i]);
        json_decref(o);
        rf_bank_cleanup(&b);
    }
    expect_error("pool", "\"secret\"", "item 'ml_fundamentals.loss.001': field 'pool': expected");
    expect_error("pool", "1",
                 "field 'pool': expected \"practice\", \"operational\" or \"pretest\"");
    /* absent: the rule, and no field written back */
    const char *json = item_with(NULL, NULL);
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(b.items[0].pool, rf_item_pool_rule("ml_fundamentals.loss.001", ""));
    json_t *o;
    cr_assert_eq(rf_item_to_json(&b.items[0], &o), RF_OK);
    cr_assert_null(json_object_get(o, "pool"));
    json_decref(o);
    rf_bank_cleanup(&b);
    /* the rule: an enemy group decides for all its items; about a third practice */
    size_t practice = 0;
    for (int i = 0; i < 3000; i++) {
        char id[32];
        snprintf(id, sizeof id, "skill.topic.%04d", i);
        practice += rf_item_pool_rule(id, NULL) == RF_POOL_PRACTICE;
        cr_assert_eq(rf_item_pool_rule(id, "shared_group"), rf_item_pool_rule("x", "shared_group"));
        cr_assert_eq(rf_item_pool_rule(id, ""), rf_item_pool_rule(id, NULL));
    }
    cr_assert(practice > 900 && practice < 1100, "%zu of 3000 in practice", practice);
}

/* The bundled bank: every skill has both pools thick enough to measure it. */
Test(bank, bundled_bank_pools_are_thick_enough)
{
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_dir("data/bank", &b, &err), RF_OK, "%s", err.msg);
    for (size_t i = 0; i < b.n; i++) {
        size_t n[RF_NPOOLS] = {0, 0, 0};
        int first = 1;
        for (size_t j = 0; j < b.n && first; j++)
            first = j >= i || strcmp(b.items[j].skill, b.items[i].skill) != 0;
        if (!first)
            continue;
        for (size_t j = i; j < b.n; j++)
            if (!strcmp(b.items[j].skill, b.items[i].skill) && !b.items[j].retired &&
                b.items[j].type != RF_ITEM_RUBRIC)
                n[b.items[j].pool]++;
        cr_assert(n[RF_POOL_PRACTICE] >= RF_LINT_MIN_PRACTICE &&
                      n[RF_POOL_OPERATIONAL] >= RF_LINT_MIN_OPERATIONAL,
                  "skill %s: %zu practice, %zu operational", b.items[i].skill, n[RF_POOL_PRACTICE],
                  n[RF_POOL_OPERATIONAL]);
    }
    rf_bank_cleanup(&b);
}
