/* Postings: expected parses of English and Japanese fixtures, OR-groups,
 * unmapped terms, empty, huge and malformed input; posting fit, reasons and
 * cohort ranking against the exact per-profile arithmetic. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "careers/data.h"
#include "careers/posting.h"
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
        {RF_SEC_REQUIRED, 2, "proficient", "PyTorch-or-TensorFlow", "deep_learning", 3},
        {RF_SEC_REQUIRED, 3, "proficient", "SQL-or-data pipelines-or-Spark-or-Airflow",
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
        {RF_SEC_REQUIRED, 2, "developing", "統計学-or-機械学習",
         "probability_statistics|ml_fundamentals", 3},
        /* ＰｙＴｏｒｃｈ (full width) is PyTorch after NFKC. */
        {RF_SEC_REQUIRED, 3, "proficient", "PyTorch-or-TensorFlow", "deep_learning", 2},
        {RF_SEC_REQUIRED, 4, "proficient", "コミュニケーション能力", "product_stakeholder", 1},
        {RF_SEC_PREFERRED, 1, "proficient", "A/Bテスト, 効果検証", "experimentation", 0.5},
        {RF_SEC_PREFERRED, 2, "proficient", "博士号-or-統計学",
         "research_practice|probability_statistics", 0.5},
    };
    const char *const un[] = {"情報科学", "英語での業務遂行能力"};
    check("tests/careers/postings/ds_ja.md", w, sizeof w / sizeof w[0], un, 2);
}

Test(posting, plain_text_without_headings)
{
    const struct want w[] = {
        {RF_SEC_REQUIRED, 1, "proficient", "SQL", "data_engineering", 3},
        {RF_SEC_REQUIRED, 2, "proficient", "Tableau-or-Looker", "data_analysis", 3},
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
    cr_expect_str_eq(p.reqs[2].label, "Docker-or-Kubernetes");
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
    };
    static const char *const needle[] = {"unknown skill 'cooking'", "listed twice",
                                         "skills.deep_learning[0]", "field 'skills'"};
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
    cr_assert_str_eq(buf, "meets Python (0.82), PyTorch-or-TensorFlow (0.81), Model deployment "
                          "(0.84); gap: monitoring (0.18)");
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
