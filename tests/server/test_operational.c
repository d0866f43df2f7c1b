/* Operational (invited) tests keep their questions undisclosed (issue 19,
 * docs/security.md "Harvesting"): 100 invited tests taken from one address,
 * with right and wrong answers, yield no key, no explanation and no question
 * text in any reply or report (JSON and HTML, the candidate's and the
 * staff's); the report lists the concepts missed instead; while the test runs,
 * an open skill's SE is withheld, so no reply tells whether an answer was
 * right. A practice test on the same server still reviews every answer with
 * its key and explanation. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/config.h"
#include "fixture.h"

static struct rf_bank bank;

static void setup(void)
{
    fixture_start(1, 0);
    struct rf_err err;
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_bank_cleanup(&bank);
    fixture_stop();
}

TestSuite(operational, .init = setup, .fini = teardown);

static const struct rf_item *item_of(const char *id)
{
    size_t bi;
    cr_assert_eq(rf_bank_find(&bank, id, &bi), RF_OK, "no item %s", id);
    return &bank.items[bi];
}

/* No field that names a key, and no explanation of any item asked so far;
 * in a report (report != 0) no question text or answer given either. */
static void assert_nothing_disclosed(const char *body, const char *const *asked, size_t nasked,
                                     const char *where, int report)
{
    static const char *const fields[] = {"\"key\"",       "\"keys\"",        "\"answer\"",
                                         "\"tolerance\"", "\"explanation\"", "\"right_answer\"",
                                         "\"given\"",     "\"stem\""};
    size_t nfields = sizeof fields / sizeof fields[0] - (report ? 0 : 2);
    for (size_t k = 0; k < nfields; k++) {
        const char *at = strstr(body, fields[k]);
        cr_assert(!at, "%s: field %s disclosed: %.120s", where, fields[k],
                  at ? (at - body > 60 ? at - 60 : body) : "");
    }
    for (size_t i = 0; i < nasked; i++) {
        const struct rf_item *it = item_of(asked[i]);
        cr_assert(!strstr(body, it->explanation), "%s: the explanation of %s disclosed", where,
                  asked[i]);
    }
}

/* While an operational test runs, no skill shows its SE or whether it is finished. */
static void assert_coarse(const json_t *reply)
{
    const json_t *sk = json_object_get(json_object_get(reply, "test"), "skills"), *s;
    size_t i;
    cr_assert(json_array_size(sk) > 0);
    json_array_foreach(sk, i, s)
    {
        cr_assert(json_is_null(json_object_get(s, "se")) &&
                      json_is_null(json_object_get(s, "done")),
                  "skill %s: SE or state shown during the test",
                  json_string_value(json_object_get(s, "id")));
    }
}

/* What a reply shows after each answer that could tell right from wrong:
 * the change of progress, and of the finished skills' count; with whether the
 * answer was right. */
struct shown {
    double dprog;
    int right;
};
static struct shown shown[4096];
static size_t nshown;

static double reply_progress(const json_t *reply)
{
    return json_real_value(json_object_get(json_object_get(reply, "test"), "progress"));
}

/* Mann-Whitney AUC of a score telling right answers from wrong ones. */
static double auc(double (*score)(const struct shown *))
{
    double win = 0, pairs = 0;
    for (size_t i = 0; i < nshown; i++)
        for (size_t j = 0; j < nshown; j++)
            if (shown[i].right && !shown[j].right) {
                double a = score(&shown[i]), b = score(&shown[j]);
                win += a > b ? 1 : a == b ? 0.5 : 0;
                pairs++;
            }
    return pairs ? win / pairs : 0.5;
}

static double by_progress(const struct shown *s)
{
    return s->dprog;
}

/* Takes an invited test: answers right when (test + question) % 3 == 0.
 * Returns the test id; the items asked go to asked (cap 64). */
static long long take(struct http_client *c, const char *token, int salt, char asked[][160],
                      size_t *nasked)
{
    char body[256];
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}", token);
    struct http_result r;
    cr_assert_eq(client_do(c, "POST", "/api/tests", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    const char *ptr[64];
    *nasked = 0;
    while (json_is_object(json_object_get(r.json, "question"))) {
        cr_assert(*nasked < 64);
        snprintf(asked[*nasked], 160, "%s",
                 json_string_value(json_object_get(json_object_get(r.json, "question"), "item")));
        ptr[*nasked] = asked[*nasked];
        assert_coarse(r.json);
        int right = (salt + (int)*nasked) % 3 == 0;
        double prog0 = reply_progress(r.json);
        http_result_free(&r);
        fixture_answer_body(asked[*nasked], right, body, sizeof body);
        ++*nasked;
        char path[64];
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        cr_assert_eq(client_do(c, "POST", path, body, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        assert_nothing_disclosed(r.body, ptr, *nasked - 1, "an answer's reply", 0);
        double prog1 = reply_progress(r.json);
        if (json_is_object(json_object_get(r.json, "question")) && nshown < 4096)
            shown[nshown++] = (struct shown){prog1 - prog0, right};
    }
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r.json, "test"), "status")),
                     "finished");
    http_result_free(&r);
    return id;
}

Test(operational, hundred_invited_tests_disclose_no_key, .timeout = 600)
{
    struct http_client admin = fixture_admin();
    size_t distinct = 0, concepts = 0;
    char *seen[1024];
    for (int t = 0; t < 100; t++) {
        struct http_result r;
        cr_assert_eq(client_do(&admin, "POST", "/api/invites", "{\"role\":\"data_analyst\"}", &r),
                     0);
        cr_assert_eq(r.status, 201, "%s", r.body);
        char token[128];
        snprintf(token, sizeof token, "%s", json_string_value(json_object_get(r.json, "token")));
        http_result_free(&r);
        struct http_client c = {fx.port, "", ""}; /* a new browser, the same address */
        char asked[64][160];
        size_t nasked;
        long long id = take(&c, token, t, asked, &nasked);
        const char *ptr[64];
        for (size_t i = 0; i < nasked; i++) {
            ptr[i] = asked[i];
            size_t k = 0;
            while (k < distinct && strcmp(seen[k], asked[i]))
                k++;
            if (k == distinct && distinct < 1024)
                seen[distinct++] = strdup(asked[i]);
        }
        /* the candidate's report, JSON and HTML; the staff's every tenth test */
        const char *suffix[] = {"/report", "/report.html"};
        for (int who = 0; who < (t % 10 == 0 ? 2 : 1); who++)
            for (int f = 0; f < 2; f++) {
                char path[96];
                snprintf(path, sizeof path, "/api/tests/%lld%s", id, suffix[f]);
                cr_assert_eq(client_do(who ? &admin : &c, "GET", path, NULL, &r), 0);
                cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
                assert_nothing_disclosed(r.body, ptr, nasked, path, 1);
                for (size_t i = 0; i < nasked; i++)
                    cr_assert(!strstr(r.body, item_of(asked[i])->stem),
                              "%s: the question text of %s disclosed", path, asked[i]);
                if (f == 0) {
                    cr_assert_null(json_object_get(r.json, "answers"), "%s: answers reviewed",
                                   path);
                    cr_assert(json_is_true(json_object_get(r.json, "answers_withheld")));
                    const json_t *cm = json_object_get(r.json, "concepts_missed");
                    cr_assert(json_is_array(cm), "%s: no concepts_missed", path);
                    concepts += json_array_size(cm);
                } else {
                    cr_assert(!strstr(r.body, "class=\"review\""), "%s: a question reviewed", path);
                    cr_assert(strstr(r.body, "<h2>Concepts missed</h2>"), "%s: no concepts", path);
                }
                http_result_free(&r);
            }
        /* the staff's report in Japanese: the integrity note and the concepts named in it */
        if (t % 10 == 0) {
            char path[96];
            snprintf(path, sizeof path, "/api/tests/%lld/report?lang=ja", id);
            cr_assert_eq(client_do(&admin, "GET", path, NULL, &r), 0);
            cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
            const char *note =
                json_string_value(json_object_get(json_object_get(r.json, "integrity"), "note"));
            cr_assert(note && strstr(note, "判定ではありません"), "%s: integrity note '%s'", path,
                      note ? note : "(none)");
            size_t k;
            const json_t *x;
            json_array_foreach(json_object_get(r.json, "concepts_missed"), k, x)
            {
                const char *nm = json_string_value(json_object_get(x, "name"));
                int ja = 0;
                for (const char *q = nm; q && *q; q++)
                    ja |= (unsigned char)*q >= 0xE3;
                cr_assert(ja, "%s: concept %s named '%s'",
                          path, json_string_value(json_object_get(x, "concept")), nm ? nm : "");
            }
            /* the integrity table names each answer's question by its item's
             * concepts, in English and Japanese, not by the item's id alone */
            size_t nans = 0;
            json_array_foreach(json_object_get(json_object_get(r.json, "integrity"), "answers"), k,
                               x)
            {
                const struct rf_item *it = item_of(json_string_value(json_object_get(x, "item")));
                const json_t *cs = json_object_get(x, "concepts"), *cj;
                cr_assert_eq(json_array_size(cs), it->ntags, "%s: answer %zu: %zu concepts of %zu",
                             path, k, json_array_size(cs), it->ntags);
                size_t m;
                json_array_foreach(cs, m, cj)
                {
                    const char *tag = json_string_value(json_object_get(cj, "tag"));
                    const char *en = json_string_value(json_object_get(cj, "name"));
                    const char *ja = json_string_value(json_object_get(cj, "name_ja"));
                    cr_assert(tag && !strcmp(tag, it->tags[m]), "%s: answer %zu: tag %s, not %s",
                              path, k, tag ? tag : "(none)", it->tags[m]);
                    cr_assert(en && en[0] && !strchr(en, '_'), "%s: %s named '%s' in English", path,
                              tag, en ? en : "");
                    int jp = 0;
                    for (const char *q = ja; q && *q; q++)
                        jp |= (unsigned char)*q >= 0xE3;
                    cr_assert(jp, "%s: %s named '%s' in Japanese", path, tag, ja ? ja : "");
                }
                nans++;
            }
            cr_assert(nans > 0, "%s: no answer in the integrity table", path);
            http_result_free(&r);
            /* the HTML report in Japanese shows those names, not the items' ids */
            snprintf(path, sizeof path, "/api/tests/%lld/report.html?lang=ja", id);
            cr_assert_eq(client_do(&admin, "GET", path, NULL, &r), 0);
            cr_assert_eq(r.status, 200, "%s: %s", path, r.body);
            cr_assert(strstr(r.body, "問題の概念"), "%s: no concepts column", path);
            for (size_t i = 0; i < nasked; i++)
                cr_assert(!strstr(r.body, asked[i]), "%s: item id %s shown", path, asked[i]);
            http_result_free(&r);
        }
    }
    cr_assert(distinct >= 30, "the tests asked %zu distinct questions", distinct);
    /* what the test shows after an answer no longer tells right from wrong */
    double ap = auc(by_progress);
    fprintf(stderr, "operational: %zu answers, AUC of the progress change, right vs wrong: %.3f\n",
            nshown, ap);
    cr_assert(nshown > 1000 && ap > 0.45 && ap < 0.55, "progress AUC %.3f over %zu", ap, nshown);
    cr_assert(concepts > 0, "the reports name the concepts missed");
    for (size_t k = 0; k < distinct; k++)
        free(seen[k]);
}

/* The same server's practice tests still show precision and review answers. */
Test(operational, practice_keeps_its_review)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/tests", "{\"skills\":[\"deep_learning\"]}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    long long id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    const json_t *s0 =
        json_array_get(json_object_get(json_object_get(r.json, "test"), "skills"), 0);
    cr_assert(json_is_real(json_object_get(s0, "se")), "practice shows the SE");
    int n = 0;
    while (json_is_object(json_object_get(r.json, "question"))) {
        char body[256], item[160], path[64];
        snprintf(item, sizeof item, "%s",
                 json_string_value(json_object_get(json_object_get(r.json, "question"), "item")));
        http_result_free(&r);
        fixture_answer_body(item, n++ % 2, body, sizeof body);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", id);
        cr_assert_eq(client_do(&c, "POST", path, body, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
    }
    http_result_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/api/tests/%lld/report", id);
    cr_assert_eq(client_do(&c, "GET", path, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    const json_t *ans = json_object_get(r.json, "answers");
    cr_assert_eq(json_array_size(ans), (size_t)n);
    cr_assert(json_is_string(json_object_get(json_array_get(ans, 0), "explanation")));
    cr_assert_null(json_object_get(r.json, "concepts_missed"));
    http_result_free(&r);
}
