/* Japanese in the careers data and reports: the data lint (careers/i18n.h) on
 * the bundled data and on broken translations, the loaders' Japanese fields,
 * the report's message tables (report_text.h) both ways, and reports in both
 * languages. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "careers/concepts.h"
#include "careers/data.h"
#include "careers/html_report.h"
#include "careers/i18n.h"
#include "careers/readiness.h"
#include "careers/report.h"
#include "careers/report_text.h"

/* Collects lint messages, one per line. */
static void collect(void *ctx, const char *msg)
{
    struct rf_buf *b = ctx;
    rf_buf_puts(b, msg);
    rf_buf_putc(b, '\n');
}

Test(i18n, bundled_data_is_fully_japanese)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    size_t n = rf_i18n_lint_dir("data", collect, &b);
    cr_assert_eq(n, 0, "%zu problems:\n%s", n, rf_buf_str(&b));
    static const char *const files[] = {"skills.json",    "roles.json", "learning.json",
                                        "readiness.json", "team.json",  "interviews.json",
                                        "concepts.json"};
    size_t all = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "data/%s", files[i]);
        json_t *root = json_load_file(path, 0, NULL);
        cr_assert_not_null(root, "%s", path);
        size_t fields, translated;
        rf_i18n_count(files[i], root, &fields, &translated);
        cr_assert_gt(fields, 0, "%s has translatable fields", files[i]);
        cr_assert_eq(translated, fields, "%s: %zu of %zu in Japanese", files[i], translated,
                     fields);
        all += fields;
        json_decref(root);
    }
    cr_assert_gt(all, 2600, "every prose field counted (%zu)", all);
    rf_buf_cleanup(&b);
}

/* Every concept tag an item of the bundled bank uses has its name in both
 * languages (data/concepts.json), so a report in Japanese never shows a bare
 * English tag. */
Test(i18n, every_concept_tag_of_the_bank_has_its_names)
{
    struct rf_concepts names;
    struct rf_err err;
    cr_assert_eq(rf_concepts_load("data/concepts.json", &names, &err), RF_OK, "%s", err.msg);
    DIR *d = opendir("data/bank");
    cr_assert_not_null(d);
    size_t tags = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "data/bank/%s", e->d_name);
        json_t *root = json_load_file(path, 0, NULL);
        cr_assert_not_null(root, "%s", path);
        const json_t *items = json_is_array(root) ? root : json_object_get(root, "items"), *it;
        size_t i, j;
        json_array_foreach(items, i, it)
        {
            const json_t *t;
            json_array_foreach(json_object_get(it, "tags"), j, t)
            {
                const char *tag = json_string_value(t);
                const char *en = rf_concepts_name(&names, tag, RF_EN),
                           *ja = rf_concepts_name(&names, tag, RF_JA);
                cr_assert(en && ja && strcmp(en, ja) != 0, "%s: %s: tag '%s' has no names",
                          path, json_string_value(json_object_get(it, "id")), tag);
                tags++;
            }
        }
        json_decref(root);
    }
    closedir(d);
    cr_assert_gt(tags, 1000);
    cr_assert_null(rf_concepts_name(&names, "no_such_concept", RF_JA));
    cr_assert_str_eq(rf_concepts_name(&names, "overfitting", RF_JA), "過学習");
    rf_concepts_cleanup(&names);
    /* a tag listed twice is refused, naming it */
    const char *twice = "{\"concepts\":[{\"tag\":\"a\",\"name\":\"A\"},{\"tag\":\"a\",\"name\":\"B\"}]}";
    cr_assert_eq(rf_concepts_load_mem("c.json", twice, strlen(twice), &names, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "c.json: tag 'a' is listed twice"), "%s", err.msg);
}

/* The lint of one file's text: the number of problems, messages in b. */
static size_t lint(const char *file, const char *text, struct rf_buf *b)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    cr_assert_not_null(root, "%s: %s", text, je.text);
    rf_buf_reset(b);
    size_t n = rf_i18n_lint_json(file, root, collect, b);
    json_decref(root);
    return n;
}

Test(i18n, lint_refuses_incomplete_or_misshapen_translations)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    /* complete */
    cr_assert_eq(lint("roles.json",
                      "{\"roles\":[{\"id\":\"x\",\"name\":\"Data engineer\","
                      "\"description\":\"Builds pipelines.\",\"ja\":{\"name\":"
                      "\"データエンジニア\",\"description\":\"パイプラインを作る。\"}}]}",
                      &b),
                 0, "%s", rf_buf_str(&b));
    /* a field without its Japanese */
    cr_assert_eq(lint("roles.json",
                      "{\"roles\":[{\"id\":\"x\",\"name\":\"Data engineer\","
                      "\"description\":\"Builds.\",\"ja\":{\"name\":\"データ\"}}]}",
                      &b),
                 1);
    cr_assert(strstr(rf_buf_str(&b), "roles.json: roles[0].ja.description: missing"), "%s",
              rf_buf_str(&b));
    /* no "ja" at all: every field missing */
    cr_assert_eq(lint("skills.json",
                      "{\"levels\":[\"a\",\"b\"],\"tasks\":[{\"id\":\"t\",\"name\":"
                      "\"T\",\"description\":\"D\"}]}",
                      &b),
                 4, "%s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "skills.json: ja.levels[1]: missing"), "%s", rf_buf_str(&b));
    /* an array of another length */
    cr_assert_eq(lint("learning.json",
                      "{\"skills\":[{\"skill\":\"s\",\"focus\":\"F\",\"study\":"
                      "[\"a\",\"b\"],\"ja\":{\"focus\":\"重点\",\"study\":[\"一\"]}}]}",
                      &b),
                 1, "%s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "skills[0].ja.study: expected an array of 2, as the English"),
              "%s", rf_buf_str(&b));
    /* a map with other keys */
    cr_assert_eq(lint("learning.json",
                      "{\"skills\":[{\"skill\":\"s\",\"focus\":\"F\","
                      "\"concepts\":{\"svd\":\"N\"},\"ja\":{\"focus\":\"重点\","
                      "\"concepts\":{\"pca\":\"主成分\"}}}]}",
                      &b),
                 2, "%s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "ja.concepts.svd: missing"), "%s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "ja.concepts.pca: not in the English"), "%s", rf_buf_str(&b));
    /* English left in, an empty string, a stray key, a "ja" where nothing is translated */
    cr_assert_eq(lint("roles.json",
                      "{\"roles\":[{\"id\":\"x\",\"name\":\"N\",\"description\":"
                      "\"D\",\"kind\":\"technical\",\"ja\":{\"name\":\"Data "
                      "engineer\",\"description\":\"\",\"kind\":\"技術\"},"
                      "\"requires\":[{\"skill\":\"s\",\"ja\":{\"skill\":\"ス\"}}]}]}",
                      &b),
                 4, "%s", rf_buf_str(&b));
    const char *m = rf_buf_str(&b);
    cr_assert(strstr(m, "roles[0].ja.name: no Japanese in \"Data engineer\""), "%s", m);
    cr_assert(strstr(m, "roles[0].ja.description: expected a non-empty string"), "%s", m);
    cr_assert(strstr(m, "roles[0].ja.kind: not a translatable field"), "%s", m);
    cr_assert(strstr(m, "roles[0].requires[0]: field 'ja': nothing here is translated"), "%s", m);
    /* the interview kits: every question, follow-up and rubric anchor */
    cr_assert_eq(lint("interviews.json",
                      "{\"scale\":{\"min\":1,\"max\":2,\"meaning\":{\"1\":\"No.\",\"2\":"
                      "\"Yes.\"},\"ja\":{\"meaning\":{\"1\":\"いいえ。\",\"2\":\"はい。\"}}},"
                      "\"rounds\":[{\"id\":\"r\",\"name\":\"Coding\",\"ja\":{\"name\":"
                      "\"コーディング\"},\"questions\":[{\"prompt\":\"Sort it.\",\"follow_ups\":"
                      "[\"Why?\",\"How fast?\"],\"ja\":{\"prompt\":\"ソートしてください。\","
                      "\"follow_ups\":[\"なぜですか？\"]}}],\"rubric\":[{\"id\":\"c\",\"name\":"
                      "\"Correctness\",\"anchors\":{\"1\":\"Wrong.\",\"2\":\"Right.\"},"
                      "\"ja\":{\"name\":\"正しさ\",\"anchors\":{\"1\":\"誤り。\"}}}]}]}",
                      &b),
                 2, "%s", rf_buf_str(&b));
    m = rf_buf_str(&b);
    cr_assert(strstr(m, "interviews.json: rounds[0].questions[0].ja.follow_ups: expected an "
                        "array of 2, as the English"),
              "%s", m);
    cr_assert(strstr(m, "interviews.json: rounds[0].rubric[0].ja.anchors.2: missing"), "%s", m);
    /* a note on the format ("about") may stay English; translated, it is checked */
    cr_assert_eq(lint("team.json", "{\"about\":\"Format notes.\"}", &b), 0);
    cr_assert_eq(lint("team.json", "{\"about\":\"Format notes.\",\"ja\":{\"about\":\"\"}}", &b), 1);
    rf_buf_cleanup(&b);
}

Test(i18n, lint_names_an_unreadable_file)
{
    struct rf_buf b;
    rf_buf_init(&b, 1 << 16);
    size_t n = rf_i18n_lint_dir("tests/careers/no-such-dir", collect, &b);
    cr_assert_eq(n, 2, "skills.json and roles.json are required: %s", rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "skills.json"), "%s", rf_buf_str(&b));
    rf_buf_cleanup(&b);
}

Test(i18n, loaders_read_the_japanese)
{
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    for (size_t i = 0; i < c.tax.ntasks; i++)
        cr_assert(c.tax.tasks[i].name_ja && c.tax.tasks[i].description_ja, "%s", c.tax.tasks[i].id);
    for (size_t i = 0; i < c.tax.nskills; i++)
        cr_assert(c.tax.skills[i].name_ja && c.tax.skills[i].description_ja, "%s",
                  c.tax.skills[i].id);
    size_t k;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "deep_learning", &k), RF_OK);
    cr_assert_str_eq(rf_lang_pick(RF_JA, c.tax.skills[k].name, c.tax.skills[k].name_ja),
                     "深層学習");
    cr_assert_str_eq(rf_lang_pick(RF_EN, c.tax.skills[k].name, c.tax.skills[k].name_ja),
                     "Deep learning");
    cr_assert_str_eq(rf_taxonomy_level_name(&c.tax, 0, RF_EN), "novice");
    for (size_t l = 0; l < RF_NLEVELS; l++)
        cr_assert_neq(strcmp(rf_taxonomy_level_name(&c.tax, l, RF_JA), c.tax.levels[l]), 0);
    for (size_t i = 0; i < c.roles.n; i++) {
        const struct rf_role *r = &c.roles.roles[i];
        cr_assert(r->name_ja && r->description_ja, "%s", r->id);
        for (size_t j = 0; j < r->nloop; j++)
            cr_assert(r->loop[j].stage_ja && r->loop[j].what_ja, "%s loop[%zu]", r->id, j);
    }
    cr_assert_eq(c.learning.n, c.tax.nskills);
    for (size_t i = 0; i < c.learning.n; i++) {
        const struct rf_guidance *g = &c.learning.g[i];
        cr_assert(g->focus_ja && g->study_ja, "learning[%zu]", i);
        for (size_t j = 0; j < g->nstudy; j++)
            cr_assert_not_null(g->study_ja[j]);
        cr_assert_eq(!g->practice[0], !g->practice_ja);
        for (size_t j = 0; j < g->nconcepts; j++)
            cr_assert_not_null(g->concepts[j].note_ja, "%s", g->concepts[j].tag);
        if (g->nconcepts)
            cr_assert_str_eq(rf_learning_concept_lang(g, g->concepts[0].tag, RF_JA),
                             g->concepts[0].note_ja);
    }
    struct rf_readiness rd;
    cr_assert_eq(rf_readiness_load("data/readiness.json", &c, &rd, &err), RF_OK, "%s", err.msg);
    for (size_t i = 0; i < rd.ntests; i++)
        cr_assert(rd.tests[i].title_ja && rd.tests[i].what_ja && rd.tests[i].manual_ja &&
                      rd.tests[i].automated_ja,
                  "%s", rd.tests[i].id);
    for (size_t i = 0; i < rd.nsections; i++)
        cr_assert_not_null(rd.sections[i].name_ja);
    for (size_t i = 0; i < rd.nbands; i++)
        cr_assert(rd.bands[i].name_ja && rd.bands[i].meaning_ja);
    rf_readiness_cleanup(&rd);
    rf_careers_cleanup(&c);
}

Test(i18n, loaders_refuse_a_malformed_translation)
{
    struct rf_taxonomy t;
    struct rf_err err;
    const char *bad_name = "{\"tasks\":[{\"id\":\"t\",\"name\":\"T\",\"ja\":{\"name\":3}}],"
                           "\"levels\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"skills\":[{\"id\":\"s\","
                           "\"name\":\"S\",\"task\":\"t\",\"cuts\":[-1,0,1,2]}]}";
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load_mem("skills.json", bad_name, strlen(bad_name), &t, &err),
                 RF_EINVAL);
    cr_assert_str_eq(err.msg,
                     "skills.json: tasks[0]: field 'ja.name': expected a non-empty string");
    const char *bad_levels = "{\"tasks\":[{\"id\":\"t\",\"name\":\"T\"}],\"levels\":[\"a\",\"b\","
                             "\"c\",\"d\",\"e\"],\"ja\":{\"levels\":[\"一\"]},\"skills\":[{\"id\":"
                             "\"s\",\"name\":\"S\",\"task\":\"t\",\"cuts\":[-1,0,1,2]}]}";
    rf_err_clear(&err);
    cr_assert_eq(rf_taxonomy_load_mem("skills.json", bad_levels, strlen(bad_levels), &t, &err),
                 RF_EINVAL);
    cr_assert_str_eq(err.msg, "skills.json: field 'ja.levels': expected an array of 5 names");
    /* English-only data still loads: names fall back to English */
    const char *plain = "{\"tasks\":[{\"id\":\"t\",\"name\":\"T\"}],\"levels\":[\"a\",\"b\",\"c\","
                        "\"d\",\"e\"],\"skills\":[{\"id\":\"s\",\"name\":\"S\",\"task\":\"t\","
                        "\"cuts\":[-1,0,1,2]}]}";
    cr_assert_eq(rf_taxonomy_load_mem("skills.json", plain, strlen(plain), &t, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_str_eq(rf_lang_pick(RF_JA, t.skills[0].name, t.skills[0].name_ja), "S");
    cr_assert_str_eq(rf_taxonomy_level_name(&t, 4, RF_JA), "e");
    rf_taxonomy_cleanup(&t);
    struct rf_careers c;
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    struct rf_learning l;
    const char *bad_study = "{\"skills\":[{\"skill\":\"deep_learning\",\"focus\":\"F\",\"study\":"
                            "[\"a\",\"b\"],\"ja\":{\"study\":[\"一\"]}}]}";
    rf_err_clear(&err);
    cr_assert_eq(
        rf_learning_load_mem("learning.json", bad_study, strlen(bad_study), &c.tax, &l, &err),
        RF_EINVAL);
    cr_assert(strstr(err.msg, "field 'ja.study': expected 2 steps, as 'study' has"), "%s", err.msg);
    rf_careers_cleanup(&c);
}

/* The placeholders {1}..{9} of a template as a bit set, and its '*' count. */
static unsigned placeholders(const char *t, size_t *stars)
{
    unsigned set = 0;
    *stars = 0;
    for (const char *p = t; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}')
            set |= 1u << (p[1] - '0');
        *stars += *p == '*';
    }
    return set;
}

Test(i18n, message_tables_match_both_ways)
{
    size_t n[RF_NLANGS] = {0};
    for (int l = 0; l < RF_NLANGS; l++) {
        enum rf_lang lang = (enum rf_lang)l, other = lang == RF_EN ? RF_JA : RF_EN;
        const char *key;
        for (size_t i = 0; (key = rf_report_msg_key(lang, i)); i++, n[l]++) {
            const char *t = rf_report_msg(lang, key), *u = rf_report_msg(other, key);
            cr_assert_not_null(u, "'%s' is in the %s table, not in the %s one", key,
                               rf_lang_code(lang), rf_lang_code(other));
            cr_assert_str_neq(t, "", "'%s' is empty in %s", key, rf_lang_code(lang));
            size_t st, su;
            cr_assert_eq(placeholders(t, &st), placeholders(u, &su),
                         "'%s': the placeholders differ between the languages", key);
            cr_assert_eq(st % 2, 0, "'%s' (%s): unbalanced '*'", key, rf_lang_code(lang));
            cr_assert_eq(st, su, "'%s': the emphasis differs between the languages", key);
            for (size_t j = 0; j < i; j++)
                cr_assert_str_neq(rf_report_msg_key(lang, j), key, "'%s' twice", key);
        }
    }
    cr_assert_eq(n[RF_EN], n[RF_JA]);
    cr_assert_gt(n[RF_EN], 100);
}

Test(i18n, messages_expand_and_escape)
{
    struct rf_buf b;
    rf_buf_init(&b, 4096);
    const char *args[] = {"<Data|scientist>", "Research & co"};
    cr_assert_eq(rf_report_msg_put(&b, RF_MSG_HTML, RF_EN, "closest.higher", args, 2), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b),
                     "The closest role, &lt;Data|scientist&gt;, asks at least as much as Research "
                     "&amp; co on every skill the test measured: the answers reach beyond its "
                     "levels.");
    rf_buf_reset(&b);
    cr_assert_eq(
        rf_report_msg_put(&b, RF_MSG_MD, RF_JA, "closest.random", (const char *[]){"3%"}, 1),
        RF_OK);
    cr_assert(strncmp(rf_buf_str(&b), "**どの職種の解答にも似ていません**。", 10) == 0, "%s",
              rf_buf_str(&b));
    cr_assert(strstr(rf_buf_str(&b), "（3%）"), "%s", rf_buf_str(&b));
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_msg_put(&b, RF_MSG_MD, RF_EN, "md.skills.unmeasured",
                                   (const char *[]){"a|b\nc"}, 1),
                 RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "Not measured: a\\|b c.");
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_msg_put(&b, RF_MSG_HTML, RF_JA, "review.why", (const char *[]){"x"}, 1),
                 RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "<b>解説：</b> x");
    rf_buf_reset(&b);
    cr_assert_eq(rf_report_msg_put(&b, RF_MSG_TEXT, RF_JA, "no.such.key", NULL, 0), RF_OK);
    cr_assert_str_eq(rf_buf_str(&b), "no.such.key", "a slip shows");
    rf_buf_cleanup(&b);
}

/* Every run of two or more English words of the English message templates
 * (placeholders and emphasis taken out): none may show in a Japanese report. */
static void no_english_label(const char *out, const char *what)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, "[A-Za-z]{2,}( [A-Za-z]{2,})+", REG_EXTENDED), 0);
    const char *key;
    for (size_t i = 0; (key = rf_report_msg_key(RF_EN, i)); i++) {
        char t[2048];
        snprintf(t, sizeof t, "%s", rf_report_msg(RF_EN, key));
        for (char *p = t; *p; p++)
            if (*p == '*' || (p[0] == '{' && p[2] == '}'))
                *p = '\n';
        for (char *seg = strtok(t, "\n{}"); seg; seg = strtok(NULL, "\n{}")) {
            regmatch_t m;
            const char *s = seg;
            while (regexec(&re, s, 1, &m, 0) == 0) {
                char run[512];
                snprintf(run, sizeof run, "%.*s", (int)(m.rm_eo - m.rm_so), s + m.rm_so);
                cr_assert_null(strstr(out, run),
                               "%s: the English label '%s' (%s) is in the "
                               "Japanese report",
                               what, run, key);
                s += m.rm_eo;
            }
        }
    }
    regfree(&re);
}

/* The decimals and percentages of a report before its gaps, in order
 * ("0.63", "22%"): the same in both languages. */
static void numbers(const char *s, const char *end, struct rf_buf *out)
{
    const char *stop = strstr(s, end);
    cr_assert_not_null(stop, "%s", end);
    for (const char *p = s; p < stop; p++) {
        if (*p < '0' || *p > '9' || (p > s && p[-1] >= '0' && p[-1] <= '9'))
            continue;
        size_t n = strspn(p, "0123456789.%");
        if (memchr(p, '%', n) || (memchr(p, '.', n) && p[n - 1] != '.')) {
            rf_buf_append(out, p, n);
            rf_buf_putc(out, ' ');
        }
        p += n - 1;
    }
}

Test(i18n, reports_in_both_languages)
{
    struct rf_careers c;
    struct rf_profile p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_profile_load("tests/careers/data/kenji.json", &p, &err), RF_OK, "%s", err.msg);
    json_t *en = NULL, *ja = NULL;
    cr_assert_eq(rf_report_build_lang(&p, &c, "ml_engineer", RF_EN, &en, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(rf_report_build_lang(&p, &c, "ml_engineer", RF_JA, &ja, &err), RF_OK, "%s",
                 err.msg);
    /* JSON: the same ids and numbers, the names in the language */
    cr_assert_str_eq(json_string_value(json_object_get(ja, "report_lang")), "ja");
    const json_t *t = json_object_get(ja, "target");
    cr_assert_str_eq(json_string_value(json_object_get(t, "role")), "ml_engineer");
    cr_assert_str_eq(json_string_value(json_object_get(t, "name")), "機械学習エンジニア");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(ja, "levels"), 2)), "中級");
    const json_t *g0 = json_array_get(json_object_get(ja, "gaps"), 0);
    const json_t *g0en = json_array_get(json_object_get(en, "gaps"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(g0, "skill")),
                     json_string_value(json_object_get(g0en, "skill")));
    cr_assert_float_eq(json_number_value(json_object_get(g0, "p")),
                       json_number_value(json_object_get(g0en, "p")), 0);
    cr_assert_str_neq(json_string_value(json_object_get(g0, "focus")),
                      json_string_value(json_object_get(g0en, "focus")));
    cr_assert_str_neq(
        json_string_value(json_object_get(json_array_get(json_object_get(ja, "loop"), 0), "what")),
        json_string_value(json_object_get(json_array_get(json_object_get(en, "loop"), 0), "what")));

    struct rf_buf me, mj, he, hj, ne, nj;
    rf_buf_init(&me, 1 << 22);
    rf_buf_init(&mj, 1 << 22);
    rf_buf_init(&he, 1 << 22);
    rf_buf_init(&hj, 1 << 22);
    rf_buf_init(&ne, 1 << 20);
    rf_buf_init(&nj, 1 << 20);
    cr_assert_eq(rf_report_markdown(en, &me), RF_OK);
    cr_assert_eq(rf_report_markdown(ja, &mj), RF_OK);
    cr_assert_eq(rf_report_html(en, &he), RF_OK);
    cr_assert_eq(rf_report_html(ja, &hj), RF_OK);
    const char *md = rf_buf_str(&mj), *html = rf_buf_str(&hj);
    cr_assert(strstr(md, "## 不足しているスキルと学習計画：機械学習エンジニア"), "%s", md);
    cr_assert(strstr(md, "## 一般的な面接の流れ：機械学習エンジニア"), "%s", md);
    cr_assert(strstr(html, "<html lang=\"ja\">"));
    cr_assert(strstr(rf_buf_str(&he), "<html lang=\"en\">"));
    cr_assert(strstr(html, "<h2>適合する職種</h2>"));
    cr_assert(strstr(html, "aria-label=\"スキルプロファイルのグラフ\""));
    cr_assert(strstr(html, ">エキスパート</text>"), "level names over the bands");
    no_english_label(md, "Markdown");
    no_english_label(html, "HTML");
    /* and the English report has no Japanese */
    cr_assert_null(strstr(rf_buf_str(&me), "職種"));
    cr_assert_null(strstr(rf_buf_str(&he), "の"));
    /* numbers formatted the same */
    numbers(rf_buf_str(&me), "## Gaps", &ne);
    numbers(md, "## 不足しているスキル", &nj);
    cr_assert_gt(ne.len, 100);
    cr_assert_str_eq(rf_buf_str(&ne), rf_buf_str(&nj));
    json_decref(en);
    json_decref(ja);
    rf_buf_cleanup(&me);
    rf_buf_cleanup(&mj);
    rf_buf_cleanup(&he);
    rf_buf_cleanup(&hj);
    rf_buf_cleanup(&ne);
    rf_buf_cleanup(&nj);
    rf_profile_cleanup(&p);
    rf_careers_cleanup(&c);
}
