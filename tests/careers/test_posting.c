/* Postings: expected parses of English and Japanese fixtures, OR-groups,
 * unmapped terms, empty, huge and malformed input; posting fit, reasons and
 * cohort ranking against the exact per-profile arithmetic. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "careers/posting_edit.h"
#include "careers/posting_eval.h"
#include "careers/rank.h"

static struct rf_careers c;

static void setup(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_careers_cleanup(&c);
}

TestSuite(posting, .init = setup, .fini = teardown);

/* An expected requirement: section, position, level, label and skills ("a|b"). */
struct want {
    enum rf_section sec;
    size_t position;
    const char *level, *label, *skills;
    double weight;
};

static void skills_str(const struct rf_posting_req *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t k = 0; k < r->nskills; k++) {
        strncat(buf, k ? "|" : "", n - strlen(buf) - 1);
        strncat(buf, c.tax.skills[r->skills[k]].id, n - strlen(buf) - 1);
    }
}

static void check(const char *file, const struct want *w, size_t nw, const char *const *unmapped,
                  size_t nun)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_posting_load(file, &c.aliases, &c.tax, &p, &err), RF_OK, "%s", err.msg);
    cr_expect_eq(p.nreqs, nw, "%s: %zu requirements, want %zu", file, p.nreqs, nw);
    for (size_t i = 0; i < nw && i < p.nreqs; i++) {
        const struct rf_posting_req *r = &p.reqs[i];
        char sk[256];
        skills_str(r, sk, sizeof sk);
        cr_expect_eq(r->section, w[i].sec, "%s req %zu (%s): section", file, i, r->label);
        cr_expect_eq(r->position, w[i].position, "%s req %zu (%s): position %zu", file, i,
                     r->label, r->position);
        cr_expect_str_eq(c.tax.levels[r->level], w[i].level, "%s req %zu (%s): level", file, i,
                         r->label);
        cr_expect_str_eq(r->label, w[i].label, "%s req %zu: label", file, i);
        cr_expect_str_eq(sk, w[i].skills, "%s req %zu (%s): skills", file, i, r->label);
        cr_expect_float_eq(r->weight, w[i].weight, 0, "%s req %zu (%s): weight", file, i,
                           r->label);
    }
    cr_expect_eq(p.nunmapped, nun, "%s: %zu unmapped, want %zu", file, p.nunmapped, nun);
    for (size_t i = 0; i < nun && i < p.nunmapped; i++)
        cr_expect_str_eq(p.unmapped[i].text, unmapped[i], "%s: unmapped %zu", file, i);
    rf_posting_cleanup(&p);
}

Test(posting, english_markdown)
{
    const struct want w[] = {
        {RF_SEC_REQUIRED, 1, "advanced", "Python", "software_engineering", 3},
        {RF_SEC_REQUIRED, 2, "proficient", "Deep learning (PyTorch, TensorFlow)", "deep_learning",
         3},
        {RF_SEC_REQUIRED, 3, "proficient", "Data engineering (SQL, data pipelines, Spark, Airflow)",
         "data_engineering", 2},
        {RF_SEC_REQUIRED, 4, "proficient", "Model deployment", "model_deployment", 1},
        {RF_SEC_REQUIRED, 4, "proficient", "monitoring", "mlops_monitoring", 1},
        {RF_SEC_PREFERRED, 1, "proficient", "Kubernetes, Docker", "ai_infrastructure", 0.5},
        {RF_SEC_PREFERRED, 2, "proficient", "A/B testing, causal inference", "experimentation",
         0.5},
        {RF_SEC_PREFERRED, 3, "developing", "LLMs", "llm_applications", 0.5},
    };
    const char *const un[] = {"Bachelor's degree in Computer Science or a related field",
                              "Experience with Go"};
    check("tests/careers/postings/mle_en.md", w, sizeof w / sizeof w[0], un, 2);
}

Test(posting, japanese_with_fullwidth_text)
{
    const struct want w[] = {
        {RF_SEC_REQUIRED, 1, "proficient", "Python", "software_engineering", 3},
        {RF_SEC_REQUIRED, 1, "proficient", "SQL", "data_engineering", 3},
        {RF_SEC_REQUIRED, 1, "proficient", "データ分析", "data_analysis", 3},
        {RF_SEC_REQUIRED, 2, "developing", "確率・統計 (統計学) または 機械学習の基礎 (機械学習)",
         "probability_statistics|ml_fundamentals", 3},
        /* ＰｙＴｏｒｃｈ (full width) is PyTorch after NFKC. */
        {RF_SEC_REQUIRED, 3, "proficient", "深層学習 (PyTorch, TensorFlow)", "deep_learning", 2},
        {RF_SEC_REQUIRED, 4, "proficient", "コミュニケーション能力", "product_stakeholder", 1},
        {RF_SEC_PREFERRED, 1, "proficient", "A/Bテスト, 効果検証", "experimentation", 0.5},
        /* A PhD asked for alone is research practice; its subjects are no skills
         * asked for, and are listed as not measured. */
        {RF_SEC_PREFERRED, 2, "proficient", "研究の実践 (博士号)", "research_practice", 0.5},
    };
    const char *const un[] = {"情報科学", "統計学など", "英語での業務遂行能力"};
    check("tests/careers/postings/ds_ja.md", w, sizeof w / sizeof w[0], un, 3);
}

Test(posting, plain_text_without_headings)
{
    const struct want w[] = {
        {RF_SEC_REQUIRED, 1, "proficient", "SQL", "data_engineering", 3},
        {RF_SEC_REQUIRED, 2, "proficient", "Data analysis and visualization (Tableau, Looker)",
         "data_analysis", 3},
    };
    const char *const un[] = {"Storytelling with data"};
    check("tests/careers/postings/plain_en.txt", w, sizeof w / sizeof w[0], un, 1);
}

static rf_status parse_str(const char *s, struct rf_parsed_posting *p, struct rf_err *err)
{
    return rf_posting_parse("mem.md", s, strlen(s), &c.aliases, &c.tax, p, err);
}

Test(posting, or_markers_headings_and_levels)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    cr_assert_eq(parse_str("Requirements: Python, SQL\n"
                           "Must have:\n"
                           "- Docker/Kubernetes\n"
                           "- Deep expertise in statistics\n"
                           "- Basic knowledge of CI/CD\n"
                           "- Spark または Kafka\n"
                           "Strong Python skills\n"
                           "Nice to have:\n"
                           "- TensorFlow\n",
                           &p, &err),
                 RF_OK, "%s", err.msg);
    cr_assert(p.sectioned);
    char sk[256];
    /* Inline heading: Python and SQL are two requirements (no OR marker). */
    cr_expect_str_eq(p.reqs[0].label, "Python");
    cr_expect_str_eq(p.reqs[1].label, "SQL");
    /* "/" makes an OR-group even though both sides are one skill. */
    cr_expect_str_eq(p.reqs[2].label, "AI infrastructure (Docker, Kubernetes)");
    cr_expect_str_eq(c.tax.levels[p.reqs[3].level], "advanced", "deep expertise");
    /* CI/CD is one term: its slash is no OR marker; "basic" lowers the level. */
    cr_expect_str_eq(p.reqs[4].label, "CI/CD");
    cr_expect_str_eq(c.tax.levels[p.reqs[4].level], "developing");
    /* "Spark または Kafka" is an OR-group on data_engineering at proficient: the
     * same requirement as SQL, so it merges into it; "Strong Python skills" names
     * a term, so it is an item, not a heading, and repeats requirement 1. */
    cr_assert_eq(p.nreqs, 6, "%zu requirements", p.nreqs);
    cr_expect_eq(p.nrequired, 5);
    skills_str(&p.reqs[1], sk, sizeof sk);
    cr_expect_str_eq(sk, "data_engineering");
    cr_expect_eq(p.reqs[5].section, RF_SEC_PREFERRED);
    cr_expect_str_eq(p.reqs[5].label, "TensorFlow");
    cr_expect_float_eq(p.reqs[5].weight, RF_POSTING_W_PREFERRED, 0);
    cr_expect_eq(p.nunmapped, 0);
    rf_posting_cleanup(&p);
}

Test(posting, empty_huge_and_malformed)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_expect_eq(parse_str("", &p, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "mem.md: empty posting"), "%s", err.msg);
    cr_expect_eq(parse_str(" \n\t\n  \n", &p, &err), RF_EINVAL);
    cr_expect_eq(rf_posting_parse("bad.md", "Python \xff\xfe", 9, &c.aliases, &c.tax, &p, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "bad.md: byte 8: not valid UTF-8"), "%s", err.msg);
    cr_expect_eq(rf_posting_parse("nul.md", "SQL\0x", 5, &c.aliases, &c.tax, &p, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "NUL"), "%s", err.msg);
    /* A posting whose items name nothing measurable parses, with everything unmapped. */
    cr_assert_eq(parse_str("Requirements\n- A driver's license\n- Fluent Klingon\n", &p, &err),
                 RF_OK);
    cr_expect_eq(p.nreqs, 0);
    cr_expect_eq(p.nunmapped, 2);
    rf_posting_cleanup(&p);
    /* Larger than the cap: refused with ETOOBIG. */
    size_t big = RF_POSTING_MAX_BYTES + 1;
    char *s = malloc(big);
    memset(s, 'a', big);
    cr_expect_eq(rf_posting_parse("big.md", s, big, &c.aliases, &c.tax, &p, &err), RF_ETOOBIG);
    cr_expect(strstr(err.msg, "big.md: posting larger than"), "%s", err.msg);
    /* Huge but under the cap: 20,000 items; requirements stop at the cap and
     * the rest is counted, unmapped entries too. */
    size_t n = 0;
    n += (size_t)snprintf(s + n, big - n, "Requirements\n");
    for (int i = 0; i < 20000 && n + 64 < big; i++)
        n += (size_t)snprintf(s + n, big - n, "- SQL level %d or skill%d\n", i, i);
    cr_assert_eq(rf_posting_parse("huge.md", s, n, &c.aliases, &c.tax, &p, &err), RF_OK, "%s",
                 err.msg);
    cr_expect_eq(p.nreqs, 1, "every item repeats one SQL requirement: merged");
    cr_expect_eq(p.nunmapped, RF_POSTING_MAX_UNMAPPED);
    cr_expect(p.dropped > 0);
    rf_posting_cleanup(&p);
    free(s);
}

Test(posting, aliases_are_checked)
{
    static const char *const bad[] = {
        "{\"skills\": {\"cooking\": [\"knife\"]}}",
        "{\"skills\": {\"deep_learning\": [\"PyTorch\"], \"ml_fundamentals\": [\"pytorch\"]}}",
        "{\"skills\": {\"deep_learning\": [\"\"]}}",
        "{\"skills\": []}",
        "{\"skills\": {\"deep_learning\": [\"PyTorch\"]}, \"modifiers\": [\"ML\"]}",
    };
    static const char *const needle[] = {"unknown skill 'cooking'", "listed twice",
                                         "skills.deep_learning[0]", "field 'skills'",
                                         "modifiers[0]: 'ML' is not a term"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rf_aliases a;
        struct rf_err err;
        rf_err_clear(&err);
        cr_expect_eq(rf_aliases_load_mem("al.json", bad[i], strlen(bad[i]), &c.tax, &a, &err),
                     RF_EINVAL, "case %zu", i);
        cr_expect(strstr(err.msg, needle[i]) && strstr(err.msg, "al.json"),
                  "case %zu: '%s' lacks '%s'", i, err.msg, needle[i]);
        rf_aliases_cleanup(&a);
    }
}

Test(posting, fit_reason_and_or_group_probability)
{
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(rf_posting_load("tests/careers/postings/mle_en.md", &c.aliases, &c.tax, &post,
                                 &err),
                 RF_OK);
    struct rf_profile p;
    cr_assert_eq(rf_profile_load("tests/careers/data/kenji.json", &p, &err), RF_OK);
    double pr[RF_POSTING_MAX_REQS];
    size_t m[RF_POSTING_MAX_REQS];
    struct rf_posting_fit f;
    rf_posting_fit(&post, &c.tax, &p, pr, m, &f);
    /* Requirement 1: software_engineering advanced: P(N(1.35, 0.38^2) >= 1). */
    cr_assert_float_eq(pr[0], 0.5 * erfc((1 - 1.35) / (0.38 * M_SQRT2)), 1e-12);
    double sw = 0, sp = 0;
    for (size_t r = 0; r < post.nreqs; r++) {
        sw += post.reqs[r].weight;
        sp += post.reqs[r].weight * pr[r];
    }
    cr_assert_float_eq(f.fit, sp / sw, 1e-12);
    char buf[512];
    rf_posting_reason(&post, pr, m, buf, sizeof buf);
    cr_assert_str_eq(buf, "meets Python (82%), Deep learning (PyTorch, TensorFlow) (81%), Model "
                          "deployment (84%); gap: monitoring (18%); not measured: Kubernetes, "
                          "Docker, A/B testing, causal inference and 1 more");
    /* An OR-group over two skills: 1 - (1 - p1)(1 - p2). */
    struct rf_parsed_posting q;
    cr_assert_eq(parse_str("Requirements\n- statistics or machine learning\n", &q, &err), RF_OK);
    cr_assert_eq(q.reqs[0].nskills, 2);
    struct rf_profile two;
    rf_profile_init_default(&two);
    rf_profile_add_skill(&two, "probability_statistics", 0.2, 0.5, 3, NULL, NULL, &err);
    rf_profile_add_skill(&two, "ml_fundamentals", -0.4, 0.3, 3, NULL, NULL, &err);
    double p1 = 0.5 * erfc(-0.2 / (0.5 * M_SQRT2)), p2 = 0.5 * erfc(0.4 / (0.3 * M_SQRT2));
    cr_assert_float_eq(rf_posting_req_p(&q.reqs[0], &c.tax, &two, NULL),
                       1 - (1 - p1) * (1 - p2), 1e-12);
    /* More ability never lowers a requirement's probability. */
    double prev = 0;
    for (double th = -3; th <= 3; th += 0.25) {
        two.skills[1].theta = th;
        double now = rf_posting_req_p(&q.reqs[0], &c.tax, &two, NULL);
        cr_assert(now >= prev, "theta %g", th);
        prev = now;
    }
    rf_profile_cleanup(&two);
    rf_posting_cleanup(&q);
    rf_profile_cleanup(&p);
    rf_posting_cleanup(&post);
}

/* A requirement the profile did not measure is "not measured" in the reason,
 * never "meets" (the prior alone gives basic statistics P = 0.84) nor a gap;
 * the measured share is the weight on requirements with a measured skill. */
Test(posting, reason_never_claims_what_was_not_measured)
{
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(parse_str("Requirements\n- Basic statistics\n- Basic SQL\n- Python\n- Docker\n",
                           &post, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(post.nreqs, 4);
    struct rf_profile p;
    rf_profile_init_default(&p);
    /* Only Python (software engineering) is measured, and well above its cut. */
    cr_assert_eq(rf_profile_add_skill(&p, "software_engineering", 2.0, 0.3, 8, NULL, NULL, &err),
                 RF_OK);
    double pr[RF_POSTING_MAX_REQS];
    size_t m[RF_POSTING_MAX_REQS];
    struct rf_posting_fit f;
    rf_posting_fit(&post, &c.tax, &p, pr, m, &f);
    cr_assert_float_eq(pr[0], 0.5 * erfc(-1 / M_SQRT2), 1e-12, "the prior's P(theta >= -1)");
    cr_assert_eq(m[0], 0);
    cr_assert_eq(m[2], 1);
    cr_assert_eq(f.nunmeasured, 3);
    /* weights 3, 3, 2, 1: Python (weight 2) is 2/9 of the posting */
    cr_assert_float_eq(f.measured, 2.0 / 9, 1e-12, "measured share %g", f.measured);
    char buf[512];
    rf_posting_reason(&post, pr, m, buf, sizeof buf);
    cr_assert_str_eq(buf, "meets Python (>99%); not measured: statistics, SQL and 1 more");
    /* the recruiter's language: the same clauses and numbers as whole Japanese
     * messages, the posting's own labels as written */
    rf_posting_reason_lang(&post, pr, m, RF_JA, buf, sizeof buf);
    cr_assert_str_eq(buf, "満たしている：Python（>99%）／未測定：statistics、SQL ほか1件");
    /* a short buffer cuts on a character boundary, never inside one */
    for (size_t cap = 1; cap < 40; cap++) {
        char small[40];
        rf_posting_reason_lang(&post, pr, m, RF_JA, small, cap);
        cr_assert(strlen(small) < cap && strncmp(small, buf, strlen(small)) == 0, "cap %zu", cap);
        cr_assert(strlen(small) == strlen(buf) || (buf[strlen(small)] & 0xC0) != 0x80,
                  "cap %zu: cut inside a character", cap);
    }
    /* Nothing measured: no "meets" at all, and no gap. */
    struct rf_profile none;
    rf_profile_init_default(&none);
    rf_posting_fit(&post, &c.tax, &none, pr, m, &f);
    cr_assert_float_eq(f.measured, 0, 1e-12);
    rf_posting_reason(&post, pr, m, buf, sizeof buf);
    cr_assert(strstr(buf, "meets no measured requirement") == buf, "%s", buf);
    cr_assert(!strstr(buf, "gap") && !strstr(buf, "(0."), "%s", buf);
    rf_posting_reason_lang(&post, pr, m, RF_JA, buf, sizeof buf);
    cr_assert_str_eq(buf, "確信をもって満たしていると言える測定済みの要件はなし／未測定：statistics、SQL ほか2件");
    rf_profile_cleanup(&none);
    rf_profile_cleanup(&p);
    rf_posting_cleanup(&post);
}

/* Recruiters' corrections: an edit replaces the requirements (weights by
 * position unless given, labels from the skill names unless given), a bad
 * edit names its field and changes nothing, the stored parse reads back to
 * the same requirements, and the diff says what changed. */
Test(posting, edited_requirements_round_trip_and_diff)
{
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(parse_str("Requirements\n- Python\n- SQL\n- Docker\nNice to have\n- A/B testing\n", &post,
                           &err),
                 RF_OK, "%s", err.msg);
    struct rf_parsed_posting before;
    json_t *bj;
    cr_assert_eq(rf_posting_to_json(&post, &c.tax, &bj, &err), RF_OK);
    cr_assert_eq(rf_posting_from_json("stored", bj, &c.tax, &before, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(before.nreqs, post.nreqs);
    for (size_t r = 0; r < post.nreqs; r++) {
        cr_assert_eq(before.reqs[r].section, post.reqs[r].section, "req %zu", r);
        cr_assert_eq(before.reqs[r].level, post.reqs[r].level, "req %zu", r);
        cr_assert_float_eq(before.reqs[r].weight, post.reqs[r].weight, 1e-12, "req %zu", r);
        cr_assert_eq(before.reqs[r].nskills, post.reqs[r].nskills, "req %zu", r);
        cr_assert_eq(before.reqs[r].skills[0], post.reqs[r].skills[0], "req %zu", r);
        cr_assert_str_eq(before.reqs[r].label, post.reqs[r].label, "req %zu", r);
    }
    cr_assert_eq(before.nlines, post.nlines);
    cr_assert_eq(before.nprose, post.nprose);
    /* Bad edits: each names its field, and the posting keeps its requirements. */
    static const char *const bad[] = {
        "{\"required\": [{\"skills\": [\"cooking\"], \"level\": \"proficient\"}]}",
        "{\"required\": [{\"skills\": [\"software_engineering\"], \"level\": \"guru\"}]}",
        "{\"required\": [{\"skills\": [\"software_engineering\"], \"level\": \"novice\"}]}",
        "{\"preferred\": [{\"skills\": [\"software_engineering\"], \"level\": \"expert\", "
        "\"weight\": -1}]}",
        "{\"required\": [], \"preferred\": []}",
        "{\"required\": [{\"skills\": [], \"level\": \"expert\"}]}",
        "{\"required\": [{\"skills\": [\"sql\", \"sql\"], \"level\": \"expert\"}]}",
        "{\"required\": \"Python\"}",
    };
    static const char *const needle[] = {
        "required[0].skills[0]: unknown skill 'cooking'",
        "required[0].level: unknown level 'guru'",
        "required[0].level: unknown level 'novice'",
        "preferred[0].weight: expected a number above 0",
        "required: a posting needs at least one requirement",
        "required[0].skills: expected a non-empty array",
        "required[0].skills[0]: unknown skill 'sql'",
        "required: expected an array",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *e = json_loads(bad[i], 0, NULL);
        cr_assert(e, "case %zu", i);
        cr_assert_eq(rf_posting_set_requirements(&post, e, &c.tax, &err), RF_EINVAL, "case %zu", i);
        cr_assert(strstr(err.msg, needle[i]), "case %zu: '%s' lacks '%s'", i, err.msg, needle[i]);
        cr_assert_eq(post.nreqs, before.nreqs, "case %zu: unchanged", i);
        json_decref(e);
    }
    /* A good edit: Python up to expert, SQL removed, an OR-group added, A/B testing kept. */
    json_t *e = json_loads("{\"required\": [{\"skills\": [\"software_engineering\"], \"level\": "
                           "\"expert\", \"label\": \"Python\"},"
                           " {\"skills\": [\"deep_learning\", \"ml_fundamentals\"], \"level\": "
                           "\"proficient\", \"weight\": 2.5}],"
                           " \"preferred\": [{\"skills\": [\"experimentation\"], \"level\": "
                           "\"proficient\", \"label\": \"A/B testing\"}]}",
                           0, NULL);
    cr_assert(e);
    cr_assert_eq(rf_posting_set_requirements(&post, e, &c.tax, &err), RF_OK, "%s", err.msg);
    json_decref(e);
    cr_assert_eq(post.nreqs, 3);
    cr_assert_eq(post.nrequired, 2);
    cr_assert_float_eq(post.reqs[0].weight, RF_POSTING_W_TOP, 1e-12, "weight by position");
    cr_assert_float_eq(post.reqs[1].weight, 2.5, 1e-12);
    cr_assert_float_eq(post.reqs[2].weight, RF_POSTING_W_PREFERRED, 1e-12);
    cr_assert_str_eq(post.reqs[1].label, "Deep learning or ML fundamentals");
    cr_assert_eq(post.reqs[1].nskills, 2);
    char *d;
    cr_assert_eq(rf_posting_diff(&before, &post, &c.tax, &d, &err), RF_OK);
    cr_assert(strstr(d, "Python: level proficient -> expert, weight 3 -> 3") == NULL, "%s", d);
    cr_assert(strstr(d, "Python: level proficient -> expert"), "%s", d);
    cr_assert(strstr(d, "added Deep learning or ML fundamentals (required, proficient, weight "
                        "2.5)"),
              "%s", d);
    cr_assert(strstr(d, "removed SQL"), "%s", d);
    cr_assert(strstr(d, "removed Docker"), "%s", d);
    cr_assert(strstr(d, "A/B testing") == NULL, "unchanged, so not named: %s", d);
    free(d);
    /* the same edit as data: ids and numbers, no English words to translate */
    json_t *ch = NULL;
    cr_assert_eq(rf_posting_changes(&before, &post, &c.tax, &ch, &err), RF_OK);
    char *chs = json_dumps(ch, JSON_COMPACT | JSON_SORT_KEYS);
    cr_assert(strstr(chs, "{\"fields\":[{\"field\":\"level\",\"from\":\"proficient\",\"to\":"
                          "\"expert\"}],\"label\":\"Python\",\"what\":\"changed\"}"),
              "%s", chs);
    cr_assert(strstr(chs, "{\"label\":\"Deep learning or ML fundamentals\",\"level\":"
                          "\"proficient\",\"section\":\"required\",\"weight\":2.5,\"what\":"
                          "\"added\"}"),
              "%s", chs);
    cr_assert(strstr(chs, "{\"label\":\"SQL\",\"what\":\"removed\"}"), "%s", chs);
    cr_assert(!strstr(chs, "->") && !strstr(chs, "A/B testing"), "%s", chs);
    free(chs);
    json_decref(ch);
    cr_assert_eq(rf_posting_changes(&post, &post, &c.tax, &ch, &err), RF_OK);
    cr_assert_eq(json_array_size(ch), 0, "no change: an empty list");
    json_decref(ch);
    cr_assert_eq(rf_posting_diff(&post, &post, &c.tax, &d, &err), RF_OK);
    cr_assert_str_eq(d, "no change");
    free(d);
    json_decref(bj);
    rf_posting_cleanup(&before);
    rf_posting_cleanup(&post);
}

/* The table-driven cohort ranking agrees with the exact per-profile
 * arithmetic: same order (fits differ by < 1e-5: table error 2e-6 plus float
 * storage), whatever the number of threads. */
Test(posting, cohort_ranking_matches_exact_fit)
{
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(rf_posting_load("tests/careers/postings/ds_ja.md", &c.aliases, &c.tax, &post,
                                 &err),
                 RF_OK);
    const size_t n = 3000;
    struct rf_cohort co;
    cr_assert_eq(rf_cohort_init(&co, n, c.tax.nskills, &err), RF_OK);
    struct rf_rng rng;
    rf_rng_seed(&rng, 42);
    double *exact = malloc(n * sizeof *exact);
    double pr[RF_POSTING_MAX_REQS];
    for (size_t i = 0; i < n; i++) {
        struct rf_profile p;
        rf_profile_init_default(&p);
        for (size_t k = 0; k < c.tax.nskills; k++) {
            if (rf_rng_uniform(&rng) < 0.3)
                continue; /* not measured */
            /* Values exactly representable as float, so both paths see the same numbers. */
            float th = (float)(3 * rf_rng_uniform(&rng) - 1.5);
            float se = (float)(0.25 + 0.5 * rf_rng_uniform(&rng));
            rf_profile_add_skill(&p, c.tax.skills[k].id, th, se, 4, NULL, NULL, &err);
        }
        rf_cohort_set_profile(&co, i, &p, &c.tax);
        struct rf_posting_fit f;
        rf_posting_fit(&post, &c.tax, &p, pr, NULL, &f);
        exact[i] = f.fit;
        rf_profile_cleanup(&p);
    }
    const size_t top = 50;
    struct rf_rank_hit h1[50], h4[50];
    cr_assert_eq(rf_rank_cohort(&co, &post, &c.tax, top, 1, h1, &err), RF_OK);
    cr_assert_eq(rf_rank_cohort(&co, &post, &c.tax, top, 4, h4, &err), RF_OK);
    for (size_t i = 0; i < top; i++) {
        cr_assert_eq(h1[i].index, h4[i].index, "rank %zu differs across threads", i);
        cr_assert_float_eq(h1[i].fit, exact[h1[i].index], 1e-5, "rank %zu", i);
        if (i)
            cr_assert(h1[i - 1].fit >= h1[i].fit);
    }
    /* The exact top-1 is the table top-1 unless two fits tie within the tolerance. */
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (exact[i] > exact[best])
            best = i;
    cr_assert(h1[0].index == best || fabs(exact[h1[0].index] - exact[best]) < 1e-5);
    struct rf_parsed_posting empty = {0};
    cr_assert_eq(rf_rank_cohort(&co, &empty, &c.tax, top, 1, h1, &err), RF_EINVAL);
    free(exact);
    rf_cohort_cleanup(&co);
    rf_posting_cleanup(&post);
}

/* The posting evaluator: label files are checked (each error names the file,
 * line and field), and the figures follow their definitions on a posting
 * small enough to count by hand. */
static rf_status load_str(const char *text, struct rf_posting_label **l, size_t *n,
                          struct rf_err *err)
{
    char path[] = "/tmp/rf_labels_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    rf_status rc = rf_posting_labels_load(path, &c.tax, l, n, err);
    remove(path);
    return rc;
}

Test(posting, eval_bad_label_files_name_the_field)
{
    static const char *const bad[] = {
        "3\trequired\tcooking\n",          "x\trequired\t-\n",
        "3\tmaybe\t-\n",                   "3\trequired\n",
        "3\trequired\t-\n3\tpreferred\t-\n",
    };
    static const char *const needle[] = {":1: field 'skills': unknown skill 'cooking'",
                                         ":1: field 'line'", ":1: field 'section'",
                                         ":1: expected LINE", "line 3 is labelled twice"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rf_posting_label *l = NULL;
        size_t n = 0;
        struct rf_err err;
        rf_err_clear(&err);
        cr_expect_eq(load_str(bad[i], &l, &n, &err), RF_EINVAL, "case %zu", i);
        cr_expect(strstr(err.msg, needle[i]), "case %zu: '%s' lacks '%s'", i, err.msg, needle[i]);
        free(l);
    }
}

Test(posting, eval_figures_follow_their_definitions)
{
    struct rf_posting_label *l = NULL;
    size_t n = 0;
    struct rf_err err;
    rf_err_clear(&err);
    /* Line 3: SQL (data_engineering) required; line 4: PyTorch and Python
     * required; line 5: a driver's licence (nothing measured); line 7:
     * Kubernetes preferred. */
    cr_assert_eq(load_str("# comment\n3\trequired\tdata_engineering\n"
                          "4\trequired\tdeep_learning,software_engineering\n"
                          "5\trequired\t-\n7\tpreferred\tai_infrastructure\n",
                          &l, &n, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(n, 4);
    const char *text = "# Data scientist\n"
                       "Requirements\n"
                       "- SQL\n"
                       "- PyTorch\n"
                       "- A driver's licence\n"
                       "Nice to have\n"
                       "- Kubernetes\n";
    struct rf_parsed_posting p;
    cr_assert_eq(rf_posting_parse("t.md", text, strlen(text), &c.aliases, &c.tax, &p, &err),
                 RF_OK, "%s", err.msg);
    struct rf_posting_score s = {0};
    rf_posting_eval_add(&p, l, n, &c.tax, &s, NULL, NULL);
    /* Every labelled line is read; software_engineering on line 4 is missed. */
    cr_expect_eq(s.lines, 4);
    cr_expect_eq(s.found, 4);
    cr_expect_eq(s.section_right, 4);
    cr_expect_eq(s.tp, 3);
    cr_expect_eq(s.fn, 1);
    cr_expect_eq(s.fp, 0);
    cr_expect_eq(s.from_prose, 0);
    cr_expect_eq(s.dropped, 0);
    /* The same parse against labels that miss line 7 and call line 5 preferred:
     * line 7 is prose read as a requirement, its skill an invented one. */
    l[2].section = RF_SEC_PREFERRED;
    struct rf_posting_score t = {0};
    rf_posting_eval_add(&p, l, 3, &c.tax, &t, NULL, NULL);
    cr_expect_eq(t.section_right, 2);
    cr_expect_eq(t.from_prose, 1);
    cr_expect_eq(t.fp, 1);
    cr_expect_eq(t.tp, 2);
    cr_expect_float_eq(rf_posting_eval_ratio(t.tp, t.tp + t.fp), 2.0 / 3, 1e-12);
    cr_expect_float_eq(rf_posting_eval_ratio(0, 0), 1.0, 0);
    rf_posting_cleanup(&p);
    free(l);
}

/* The labelled set (tests/fixtures/postings, issue 15) meets the reader's
 * targets on the postings tuned on and on the held-out third alike: line
 * recall >= 95%, skill precision >= 90% and recall >= 80% per line,
 * required/preferred right >= 95%, no prose read as a requirement and no
 * line silently dropped. Figures in docs/careers.md. */
Test(posting, labelled_set_meets_the_targets)
{
    struct rf_posting_score part[2];
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_posting_eval_dir("tests/fixtures/postings", &c.aliases, &c.tax, &part[0],
                                     &part[1], NULL, NULL, &err),
                 RF_OK, "%s", err.msg);
    static const char *const name[] = {"tuned", "held-out"};
    const size_t want_postings[] = {20, 10};
    for (size_t k = 0; k < 2; k++) {
        const struct rf_posting_score *s = &part[k];
        cr_expect_eq(s->postings, want_postings[k], "%s: %zu postings", name[k], s->postings);
        double lr = rf_posting_eval_ratio(s->found, s->lines),
               sp = rf_posting_eval_ratio(s->tp, s->tp + s->fp),
               sr = rf_posting_eval_ratio(s->tp, s->tp + s->fn),
               sa = rf_posting_eval_ratio(s->section_right, s->found);
        cr_expect(lr >= 0.95, "%s: line recall %.3f", name[k], lr);
        cr_expect(sp >= 0.90, "%s: skill precision %.3f", name[k], sp);
        cr_expect(sr >= 0.80, "%s: skill recall %.3f", name[k], sr);
        cr_expect(sa >= 0.95, "%s: required/preferred %.3f", name[k], sa);
        cr_expect_eq(s->from_prose, 0, "%s: %zu prose lines read as requirements", name[k],
                     s->from_prose);
        cr_expect_eq(s->dropped, 0, "%s: %zu lines silently dropped", name[k], s->dropped);
    }
}

/* Every non-blank line of every posting ends in exactly one list: a
 * requirement line (mapped or not measured) or prose; requirements and
 * not-measured entries point at requirement lines. */
static void check_accounting(const char *path)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_posting_load(path, &c.aliases, &c.tax, &p, &err), RF_OK, "%s", err.msg);
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char buf[4096];
    size_t ln = 0;
    while (fgets(buf, sizeof buf, f)) {
        ln++;
        int blank = 1;
        for (char *q = buf; *q; q++)
            blank &= *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r';
        size_t seen = 0;
        for (size_t i = 0; i < p.nlines; i++)
            seen += p.lines[i].line == ln;
        for (size_t i = 0; i < p.nprose; i++)
            seen += p.prose[i] == ln;
        cr_expect_eq(seen, blank ? 0 : 1, "%s:%zu: in %zu lists", path, ln, seen);
    }
    fclose(f);
    for (size_t i = 0; i < p.nreqs + p.nunmapped; i++) {
        size_t l = i < p.nreqs ? p.reqs[i].line : p.unmapped[i - p.nreqs].line, j = 0;
        while (j < p.nlines && p.lines[j].line != l)
            j++;
        cr_expect(j < p.nlines, "%s:%zu: an entry on a line that is no requirement line", path, l);
    }
    cr_expect_eq(p.dropped, 0, "%s", path);
    rf_posting_cleanup(&p);
}

Test(posting, every_line_ends_in_one_list)
{
    DIR *d = opendir("tests/fixtures/postings");
    cr_assert(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > 3 && (!strcmp(e->d_name + l - 3, ".md") || !strcmp(e->d_name + l - 4, ".txt")) &&
            strcmp(e->d_name, "README.md") && strcmp(e->d_name, "holdout.txt")) {
            char path[512];
            snprintf(path, sizeof path, "tests/fixtures/postings/%s", e->d_name);
            check_accounting(path);
            n++;
        }
    }
    closedir(d);
    cr_expect_eq(n, 30);
    check_accounting("tests/careers/postings/mle_en.md");
    check_accounting("tests/careers/postings/ds_ja.md");
    check_accounting("tests/careers/postings/plain_en.txt");
}

/* The skills of the first requirement line of a posting "Requirements\n- LINE". */
static void line_skills(const char *line, char *out, size_t cap)
{
    char text[512];
    snprintf(text, sizeof text, "# Job\n\n## Requirements\n- %s\n", line);
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(parse_str(text, &p, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(p.nlines, 1, "%s: %zu requirement lines", line, p.nlines);
    out[0] = '\0';
    for (size_t k = 0; k < p.lines[0].nskills; k++) {
        strncat(out, k ? "|" : "", cap - strlen(out) - 1);
        strncat(out, c.tax.skills[p.lines[0].skills[k]].id, cap - strlen(out) - 1);
    }
    rf_posting_cleanup(&p);
}

/* The cases of issue 15: requirements found, none invented. */
Test(posting, finds_every_requirement_and_invents_none)
{
    static const struct {
        const char *line, *skills;
    } cases[] = {
        {"Shipping models to production: online serving, latency budgets, canary rollouts",
         "model_deployment"},
        {"GPU cluster scheduling for distributed training", "ai_infrastructure"},
        {"大規模分散学習(複数GPU)の経験", "ai_infrastructure"},
        /* 機械学習 qualifies the service: the requirement is running it. */
        {"機械学習を用いたサービスの本番運用経験", "model_deployment"},
        {"機械学習モデルを本番環境に載せた経験", "model_deployment"},
        {"機械学習に関する基礎知識", "ml_fundamentals"},
        {"Publications at top ML venues (NeurIPS, ICML)", "research_practice"},
        {"PhD in machine learning, statistics or a related field", "research_practice"},
        {"MS or PhD in computer science or machine learning", ""},
        {"Master's in CS, statistics, economics or a related field", ""},
        /* 統計的推論 is one term; 推論 alone would be inference serving. */
        {"統計的推論(推定、検定、信頼区間)に関する知識", "probability_statistics"},
        {"コスト最適化や広告配信最適化の実務経験", ""},
        {"Cost optimization of cloud spend", ""},
        {"数理最適化の知識", "calculus_optimization"},
        {"Convex optimization", "calculus_optimization"},
        {"LLM product work (prompting, retrieval, evaluation)", "llm_applications"},
        {"5+ years of product management, including 2 shipping ML features",
         "product_stakeholder"},
        {"英語でのコミュニケーション能力", ""},
        {"Guardrails against prompt injection", "responsible_ai"},
        {"User research and customer journey maps", "ux_for_ml"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[256];
        line_skills(cases[i].line, got, sizeof got);
        cr_expect_str_eq(got, cases[i].skills, "'%s': got '%s', want '%s'", cases[i].line, got,
                         cases[i].skills);
    }
}

/* Headings: an unknown one never loses its block, and without any heading
 * duty lines stay description while a list that asks stays requirements. */
Test(posting, unknown_headings_and_duties)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(parse_str("# ML engineer\n\n"
                           "We build fraud models for banks.\n\n"
                           "## Your toolbox\n"
                           "- 3+ years with Python in production\n"
                           "- Experience with Kubernetes is a plus\n\n"
                           "## Benefits\n"
                           "- Python workshops\n",
                           &p, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(p.nlines, 2);
    cr_expect_eq(p.lines[0].line, 6);
    cr_expect_eq(p.lines[0].section, RF_SEC_REQUIRED);
    cr_expect_eq(p.lines[1].section, RF_SEC_PREFERRED, "'is a plus' makes it preferred");
    rf_posting_cleanup(&p);
    cr_assert_eq(parse_str("Data scientist\n\n"
                           "- Run online experiments with product partners\n"
                           "- Build dashboards for the sales team\n\n"
                           "- Experience with A/B testing\n"
                           "- Strong SQL\n",
                           &p, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(p.nlines, 2, "%zu requirement lines", p.nlines);
    cr_expect_eq(p.lines[0].line, 6);
    cr_expect_eq(p.nprose, 3, "the title and the two duties are prose: %zu", p.nprose);
    rf_posting_cleanup(&p);
}

/* A posting in another language is read as far as the known terms go, and
 * says so; English and Japanese ones do not. */
Test(posting, other_languages_are_read_and_noted)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(parse_str("Datenwissenschaftler (m/w/d)\n\n"
                           "Wir sind ein Start-up aus Berlin und suchen Verstärkung für unser Team.\n\n"
                           "Anforderungen:\n"
                           "- Erfahrung mit Python und SQL\n"
                           "- Kenntnisse in Kubernetes\n",
                           &p, &err),
                 RF_OK, "%s", err.msg);
    cr_expect_eq(p.language, RF_LANG_OTHER);
    cr_expect(rf_posting_note(&p) && strstr(rf_posting_note(&p), "English or Japanese"));
    cr_expect_eq(p.nlines, 2);
    cr_expect(p.nreqs >= 3, "Python, SQL and Kubernetes are read: %zu", p.nreqs);
    rf_posting_cleanup(&p);
    cr_assert_eq(parse_str("数据科学家\n\n任职要求\n- 熟悉 Python 和 SQL\n", &p, &err), RF_OK);
    cr_expect_eq(p.language, RF_LANG_OTHER);
    rf_posting_cleanup(&p);
    cr_assert_eq(rf_posting_load("tests/fixtures/postings/ja02.txt", &c.aliases, &c.tax, &p, &err),
                 RF_OK);
    cr_expect_eq(p.language, RF_LANG_JA);
    cr_expect(rf_posting_note(&p) == NULL);
    rf_posting_cleanup(&p);
    cr_assert_eq(rf_posting_load("tests/fixtures/postings/en02.txt", &c.aliases, &c.tax, &p, &err),
                 RF_OK);
    cr_expect_eq(p.language, RF_LANG_EN);
    rf_posting_cleanup(&p);
}

/* What the reader lists as not measured is something asked for: en01's
 * fundamentals line ("bias-variance, regularization, offline metrics and
 * their pitfalls") maps its known concepts to ML fundamentals, and neither a
 * word pointing back ("Spark, Airflow or similar") nor a possessive phrase
 * ("their pitfalls", "its packaging tools") is listed as a requirement. */
Test(posting, fragments_are_not_requirements_and_concepts_map)
{
    struct rf_parsed_posting p;
    struct rf_err err;
    cr_assert_eq(rf_posting_load("tests/fixtures/postings/en01.md", &c.aliases, &c.tax, &p, &err),
                 RF_OK, "%s", err.msg);
    static const char *const gone[] = {"bias-variance", "regularization", "offline metrics",
                                       "their pitfalls", "similar", "latency budgets",
                                       "guardrail metrics"};
    for (size_t i = 0; i < p.nunmapped; i++)
        for (size_t k = 0; k < sizeof gone / sizeof *gone; k++)
            cr_expect(strcmp(p.unmapped[i].text, gone[k]) != 0, "en01 line %zu: '%s' not measured",
                      p.unmapped[i].line, p.unmapped[i].text);
    cr_expect_eq(p.nunmapped, 2, "Go and German are what en01 asks that is not measured: %zu",
                 p.nunmapped);
    int fundamentals = 0;
    for (size_t i = 0; i < p.nreqs; i++)
        fundamentals |= p.reqs[i].line == 14 && p.reqs[i].nskills == 1 &&
                        strcmp(c.tax.skills[p.reqs[i].skills[0]].id, "ml_fundamentals") == 0 &&
                        strstr(p.reqs[i].label, "regularization") != NULL;
    cr_expect(fundamentals, "line 14 reads as ML fundamentals naming regularization");
    rf_posting_cleanup(&p);
    cr_assert_eq(parse_str("Requirements\n- Python and its packaging tools\n- Spark, Airflow or "
                           "similar\n- SQL and their pitfalls\n- Fluency in German\n",
                           &p, &err),
                 RF_OK, "%s", err.msg);
    cr_expect_eq(p.nunmapped, 1, "only German is not measured: %zu", p.nunmapped);
    cr_expect(p.nunmapped && strcmp(p.unmapped[0].text, "Fluency in German") == 0);
    rf_posting_cleanup(&p);
}
