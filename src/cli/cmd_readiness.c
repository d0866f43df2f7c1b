/* `rolefit readiness`: a team's ML Test Score from a self-assessment file,
 * its trend over earlier assessments, and the tests to automate next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/lang.h"
#include "base/mem.h"
#include "base/textwidth.h"
#include "careers/data.h"
#include "careers/readiness.h"
#include "careers/report_text.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit readiness [OPTIONS] ASSESSMENT.json [EARLIER.json ...]\n"
    "       rolefit readiness --tests [--json] [--data DIR]\n"
    "       rolefit readiness --template [--data DIR]\n\n"
    "The ML Test Score of an ML system (Breck et al. 2017, in our own words in\n"
    "DIR/readiness.json): 28 tests in four sections (data, model, infrastructure,\n"
    "monitoring). Each test scores 0 (not done), 0.5 (done by hand, with the results\n"
    "documented and shared) or 1 (automated and run repeatedly). A section's score is\n"
    "the sum of its tests; the final score is the lowest section's.\n\n"
    "ASSESSMENT.json is {\"date\": \"YYYY-MM-DD\", \"scores\": {\"data_schema\": 0.5, ...}};\n"
    "a test it leaves out scores 0. Prints the sections, the final score and what it\n"
    "means, and the tests whose automation raises the final score soonest, with the\n"
    "roles that usually own them. With earlier assessments (each with a date) it also\n"
    "prints the trend.\n\n"
    "  --tests      list the 28 tests: what each asks, what counts as 0.5 and as 1\n"
    "  --template   print an assessment with every test at 0, to fill in\n"
    "  --plan N     how many tests the plan lists (default 5, 0..28)\n"
    "  --json       print JSON instead of text\n"
    "  --lang L     the output's language: en (default) or ja (words, section, test,\n"
    "               band and role names; ids and numbers stay the same)\n"
    "  --data DIR   folder with skills.json, roles.json, readiness.json (default data)\n";

struct assessment {
    const char *path;
    char date[11];
    double *scores;
    size_t unscored;
};

/* YYYY-MM-DD with digits where they belong, month 1..12, day 1..31. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return s[0] != '0' && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static rf_status read_assessment(const struct rf_readiness *r, struct assessment *a,
                                 struct rf_err *err)
{
    json_t *root;
    rf_status rc = rf_json_load_file(a->path, &root, err);
    if (rc)
        return rc;
    const char *date = NULL;
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", a->path);
    else if (!(rc = rf_json_get_string(root, "date", 0, &date, a->path, err)) && date &&
             !valid_date(date))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'date': expected YYYY-MM-DD, got '%.32s'",
                        a->path, date);
    if (!rc) {
        snprintf(a->date, sizeof a->date, "%s", date ? date : "");
        rc = rf_readiness_read_scores(r, json_object_get(root, "scores"), a->scores,
                                      &a->unscored, a->path, err);
    }
    json_decref(root);
    return rc;
}

static int by_date(const void *x, const void *y)
{
    return strcmp(((const struct assessment *)x)->date, ((const struct assessment *)y)->date);
}

/* Each field of a rubric entry in lang (English where it has no translation). */
#define L(lang, x, f) rf_lang_pick(lang, (x)->f, (x)->f##_ja)

static void print_tests(const struct rf_readiness *r, enum rf_lang lang)
{
    for (size_t s = 0; s < r->nsections; s++) {
        const struct rf_readiness_section *x = &r->sections[s];
        printf("%s\n", L(lang, x, name));
        for (size_t i = 0; i < x->n; i++) {
            const struct rf_readiness_test *t = &r->tests[x->first + i];
            printf("  %s: %s\n    %s\n    0.5: %s\n    1:   %s\n", t->id, L(lang, t, title),
                   L(lang, t, what), L(lang, t, manual), L(lang, t, automated));
        }
        printf("\n");
    }
}

static json_t *tests_json(const struct rf_readiness *r, enum rf_lang lang)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->ntests; i++) {
        const struct rf_readiness_test *t = &r->tests[i];
        json_t *o = json_pack("{ssssssssssss}", "id", t->id, "section",
                              r->sections[t->section].id, "title", L(lang, t, title), "what",
                              L(lang, t, what), "manual", L(lang, t, manual), "automated",
                              L(lang, t, automated));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

/* The words of the text output: whole messages of the report tables
 * ("rd.*", careers/report_text.h) with the numbers formatted here. */
struct out {
    struct rf_buf b;
    enum rf_lang lang;
};

static void say(struct out *o, const char *key, size_t n, const char *const *args)
{
    (void)rf_report_msg_put(&o->b, RF_MSG_TEXT, o->lang, key, args, n);
}

static void put(struct out *o, const char *s)
{
    (void)rf_buf_puts(&o->b, s);
}

static const char *level_key(double x)
{
    return x >= 1 ? "rd.level.automated" : x > 0 ? "rd.level.by_hand" : "rd.level.not_done";
}

static void print_text(const struct rf_readiness *r, const struct assessment *as, size_t n,
                       size_t plan_max, enum rf_lang lang)
{
    const struct assessment *a = &as[n - 1];
    double *sec = rf_calloc_array(r->nsections, sizeof *sec);
    size_t *steps = rf_calloc_array(plan_max ? plan_max : 1, sizeof *steps);
    double *finals = rf_calloc_array(plan_max ? plan_max : 1, sizeof *finals);
    int *held = rf_calloc_array(r->nsections, sizeof *held);
    struct out o = {{0}, lang};
    rf_buf_init(&o.b, (size_t)1 << 20);
    char x[64], y[64], z[64];
    if (!sec || !steps || !finals || !held)
        goto out;
    double final = rf_readiness_score(r, a->scores, sec);
    const struct rf_readiness_band *b = rf_readiness_band(r, final);
    snprintf(x, sizeof x, "%g", final);
    if (a->date[0])
        say(&o, "rd.head_date", 3, (const char *[]){a->date, x, L(lang, b, name)});
    else
        say(&o, "rd.head", 2, (const char *[]){x, L(lang, b, name)});
    put(&o, "\n");
    put(&o, L(lang, b, meaning));
    put(&o, "\n\n");
    for (size_t s = 0; s < r->nsections; s++) {
        put(&o, "  ");
        (void)rf_text_pad(&o.b, L(lang, &r->sections[s], name), 16);
        snprintf(x, sizeof x, "%4g", sec[s]);
        snprintf(y, sizeof y, "%zu", r->sections[s].n);
        put(&o, " ");
        say(&o, "rd.score_of", 2, (const char *[]){x, y});
        if (sec[s] == final) {
            put(&o, "   ");
            say(&o, "rd.lowest", 0, NULL);
        }
        put(&o, "\n");
    }
    if (a->unscored) {
        snprintf(x, sizeof x, "%zu", a->unscored);
        snprintf(y, sizeof y, "%zu", r->ntests);
        put(&o, "\n");
        say(&o, "rd.unscored", 2, (const char *[]){x, y});
        put(&o, "\n");
    }
    size_t k = rf_readiness_plan(r, a->scores, plan_max, steps, finals);
    if (k) {
        put(&o, "\n");
        say(&o, "rd.plan_h", 0, NULL);
        put(&o, "\n");
        for (size_t i = 0; i < k; i++) {
            const struct rf_readiness_test *t = &r->tests[steps[i]];
            struct rf_buf lv, owners;
            rf_buf_init(&lv, 256);
            rf_buf_init(&owners, (size_t)64 * 1024);
            (void)rf_report_msg_put(&lv, RF_MSG_TEXT, lang, level_key(a->scores[steps[i]]), NULL,
                                    0);
            snprintf(x, sizeof x, "%zu", i + 1);
            snprintf(y, sizeof y, "%g", finals[i]);
            put(&o, "  ");
            /* a step that leaves the final where it is: the sections holding it */
            int raises = rf_readiness_step_raises(r, a->scores, steps, i, held);
            struct rf_buf hb;
            rf_buf_init(&hb, (size_t)64 * 1024);
            for (size_t s = 0, nh = 0; !raises && s < r->nsections; s++)
                if (held[s]) {
                    if (nh++)
                        (void)rf_report_msg_put(&hb, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
                    (void)rf_buf_puts(&hb, L(lang, &r->sections[s], name));
                }
            if (!raises)
                say(&o, "rd.step_held", 6,
                    (const char *[]){x, L(lang, t, title), L(lang, &r->sections[t->section], name),
                                     rf_buf_str(&lv), y, rf_buf_str(&hb)});
            else
                say(&o, "rd.step", 5,
                    (const char *[]){x, L(lang, t, title), L(lang, &r->sections[t->section], name),
                                     rf_buf_str(&lv), y});
            rf_buf_cleanup(&hb);
            for (size_t j = 0; j < t->nroles; j++) {
                const struct rf_role *ro = &r->careers->roles.roles[t->roles[j]];
                if (j)
                    (void)rf_report_msg_put(&owners, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
                (void)rf_buf_puts(&owners, L(lang, ro, name));
            }
            if (t->nroles) {
                put(&o, "\n     ");
                say(&o, "rd.owned", 1, (const char *[]){rf_buf_str(&owners)});
            }
            put(&o, "\n");
            rf_buf_cleanup(&lv);
            rf_buf_cleanup(&owners);
        }
    } else if (plan_max) {
        put(&o, "\n");
        say(&o, "rd.all_automated", 0, NULL);
        put(&o, "\n");
    }
    if (n > 1) {
        put(&o, "\n");
        say(&o, "rd.trend_h", 0, NULL);
        put(&o, "\n");
        for (size_t i = 0; i < n; i++) {
            double f = rf_readiness_score(r, as[i].scores, NULL);
            const struct rf_readiness_band *bi = rf_readiness_band(r, f);
            snprintf(x, sizeof x, "%4g", f);
            (void)rf_buf_printf(&o.b, "  %s  %s  ", as[i].date, x);
            put(&o, L(lang, bi, name));
            if (i) {
                snprintf(z, sizeof z, "  (%+g)", f - rf_readiness_score(r, as[i - 1].scores, NULL));
                put(&o, z);
            }
            put(&o, "\n");
        }
    }
    fputs(rf_buf_str(&o.b), stdout);
out:
    rf_buf_cleanup(&o.b);
    free(sec);
    free(steps);
    free(finals);
    free(held);
}

static json_t *assessments_json(const struct rf_readiness *r, const struct assessment *as,
                                size_t n, size_t plan_max, enum rf_lang lang)
{
    const struct assessment *a = &as[n - 1];
    json_t *o = rf_readiness_json_lang(r, a->scores, plan_max, a->date[0] ? a->date : NULL, lang);
    json_t *trend = json_array();
    if (!o || !trend) {
        json_decref(o);
        json_decref(trend);
        return NULL;
    }
    json_object_set_new(o, "unscored", json_integer((json_int_t)a->unscored));
    for (size_t i = 0; i < n; i++) {
        double f = rf_readiness_score(r, as[i].scores, NULL);
        const struct rf_readiness_band *b = rf_readiness_band(r, f);
        json_array_append_new(trend, json_pack("{sssfss}", "date", as[i].date, "final", f,
                                               "band", L(lang, b, name)));
    }
    json_object_set_new(o, "trend", trend);
    return o;
}

static int print_json(json_t *j)
{
    if (!j)
        return rf_cli_fail("readiness", RF_ENOMEM, "out of memory");
    rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    return RF_EXIT_OK;
}

static int run(const struct rf_readiness *r, const char **pos, size_t npos, int json,
               size_t plan_max, enum rf_lang lang)
{
    const char *cmd = "readiness";
    struct assessment *as = rf_calloc_array(npos, sizeof *as);
    double *scores = rf_calloc_array(npos * r->ntests, sizeof *scores);
    int ec = RF_EXIT_OK;
    if (!as || !scores) {
        ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < npos; i++) {
        struct rf_err err;
        rf_err_clear(&err);
        as[i].path = pos[i];
        as[i].scores = scores + i * r->ntests;
        rf_status rc = read_assessment(r, &as[i], &err);
        if (rc) {
            ec = rf_cli_fail(cmd, rc, err.msg);
            goto out;
        }
        if (npos > 1 && !as[i].date[0]) {
            rf_err_set(&err, RF_EINVAL,
                       "%s: a trend needs a date in every assessment; add \"date\": "
                       "\"YYYY-MM-DD\"",
                       pos[i]);
            ec = rf_cli_fail(cmd, RF_EINVAL, err.msg);
            goto out;
        }
    }
    qsort(as, npos, sizeof *as, by_date); /* stable enough: equal dates keep no order promise */
    if (json)
        ec = print_json(assessments_json(r, as, npos, plan_max, lang));
    else
        print_text(r, as, npos, plan_max, lang);
out:
    free(as);
    free(scores);
    return ec;
}

int rf_cmd_readiness(int argc, char **argv)
{
    const char *cmd = "readiness", *data = rf_cli_default_path("data"), *plan = NULL,
               *lang = "en";
    int json = 0, help = 0, tests = 0, template = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json},     {"data", 1, &data, NULL},
                                {"tests", 0, NULL, &tests},   {"template", 0, NULL, &template},
                                {"plan", 1, &plan, NULL},     {"lang", 1, &lang, NULL}};
    const char *pos[64];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 64, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    enum rf_lang rl;
    if (rf_lang_parse(lang, &rl))
        return rf_cli_usage_error(cmd, "--lang: unknown language '%s' (%s)", lang, RF_LANG_CODES);
    size_t plan_max = 5;
    if (plan && (ec = rf_cli_size(cmd, "plan", plan, 0, 28, &plan_max)))
        return ec;
    if ((tests || template) && npos)
        return rf_cli_usage_error(cmd, "--tests and --template take no assessment file");
    if (tests && template)
        return rf_cli_usage_error(cmd, "--tests and --template cannot be combined");
    if (!tests && !template && !npos)
        return rf_cli_usage_error(cmd, "expected an assessment file (see 'rolefit readiness "
                                       "--help')");
    struct rf_careers c;
    struct rf_readiness r;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/readiness.json", data);
    if ((rc = rf_readiness_load(path, &c, &r, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (tests && json) {
        ec = print_json(tests_json(&r, rl));
    } else if (tests) {
        print_tests(&r, rl);
    } else if (template) {
        json_t *s = json_object(), *o = json_pack("{ss}", "date", "YYYY-MM-DD");
        for (size_t i = 0; s && i < r.ntests; i++)
            json_object_set_new(s, r.tests[i].id, json_integer(0));
        if (o && s)
            json_object_set(o, "scores", s);
        json_decref(s);
        ec = print_json(o);
    } else {
        ec = run(&r, pos, npos, json, plan_max, rl);
    }
    rf_readiness_cleanup(&r);
    rf_careers_cleanup(&c);
    return ec;
}
