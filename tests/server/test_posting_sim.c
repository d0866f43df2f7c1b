/*
 * Posting tests (server/postingtest.h): the design measures the posting's
 * skills with the heavier requirements first, and the ranking study
 * (`rolefit posting simulate`, docs/careers.md "Posting tests") gives the
 * same figures on any number of threads and the recorded figures on its
 * seed: of the applicants who truly meet the most of a posting's weight, the
 * share the ranking puts in its top third.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "bank/bank.h"
#include "base/config.h"
#include "careers/data.h"
#include "careers/posting.h"
#include "cat/pool.h"
#include "irt/quad.h"
#include "server/postingtest.h"
#include "server/rolesim.h"

static struct rf_careers c;
static struct rf_bank bank;
static struct rf_quad q;
static struct rf_cat_pool *pool;
static struct rf_rolesim_truth truth;

static void setup(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    rf_bank_init(&bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    /* A posting's test is an invited test: the operational pool. */
    cr_assert_eq(rf_cat_pool_from_bank(&bank, rf_rolesim_live_pool(0), &q, &pool, &err), RF_OK,
                 "%s", err.msg);
    cr_assert_eq(rf_rolesim_truth_init(&truth, pool, &bank, &err), RF_OK);
}

static void teardown(void)
{
    rf_rolesim_truth_cleanup(&truth);
    rf_cat_pool_free(pool);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_careers_cleanup(&c);
}

TestSuite(posting_test, .init = setup, .fini = teardown);

static void load(const char *path, struct rf_parsed_posting *p)
{
    struct rf_err err;
    cr_assert_eq(rf_posting_load(path, &c.aliases, &c.tax, p, &err), RF_OK, "%s", err.msg);
}

/* The design: every skill of the posting the bank has items for, in its
 * order; the first (heaviest) requirement's skill has the tightest SE
 * target; an OR-group's alternatives share its weight. */
Test(posting_test, design_follows_the_posting)
{
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(rf_posting_parse("mem", "Requirements\n- Python\n- SQL\n- Docker\n"
                                         "Nice to have\n- A/B testing\n",
                                  strlen("Requirements\n- Python\n- SQL\n- Docker\n"
                                         "Nice to have\n- A/B testing\n"),
                                  &c.aliases, &c.tax, &post, &err),
                 RF_OK);
    struct rf_cat_design d;
    size_t missing = 99;
    cr_assert_eq(rf_postingtest_design(&d, pool, &c.roles, &post, &missing, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(missing, 0);
    cr_assert_eq(d.nscope, 4);
    static const char *const want[] = {"software_engineering", "data_engineering",
                                       "ai_infrastructure", "experimentation"};
    for (size_t j = 0; j < 4; j++)
        cr_assert_str_eq(pool->skills[d.scope[j]], want[j], "scope %zu", j);
    /* weights 3, 3, 2, 0.5: SE targets 0.3 sqrt(3 / w) */
    cr_assert_float_eq(d.rule[0].se, RF_CAT_DEFAULT_SE, 1e-12);
    cr_assert_float_eq(d.rule[2].se, RF_CAT_DEFAULT_SE * sqrt(1.5), 1e-12);
    cr_assert_float_eq(d.rule[3].se, RF_CAT_DEFAULT_SE * sqrt(6.0), 1e-12);
    cr_assert_eq(d.max_items, RF_WEB_ROLE_MAX_ITEMS);
    size_t k;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "software_engineering", &k), RF_OK);
    cr_assert_float_eq(d.cut[0], c.tax.skills[k].cuts[post.reqs[0].level - 1], 1e-12);
    /* The ranking objective: a term per requirement, weighted as the posting
     * weighs it, at its level's cut. */
    cr_assert_eq(d.nobj, 4);
    cr_assert_eq(d.nobjreq, 4);
    for (size_t t = 0; t < 4; t++) {
        cr_assert_eq(d.obj_req[t], t);
        cr_assert_eq(d.obj_skill[t], t);
        cr_assert_float_eq(d.obj_w[t], post.reqs[t].weight, 1e-12);
        cr_assert_float_eq(
            d.obj_cut[t], c.tax.skills[post.reqs[t].skills[0]].cuts[post.reqs[t].level - 1], 1e-12);
    }
    rf_posting_cleanup(&post);
    /* An OR-group is one requirement with a term per alternative; a second
     * requirement of one skill alone at the same cut (as an edit may make:
     * the reader merges such lines) adds its weight to the first's term. */
    static const char two[] = "Requirements\n- Python\n- SQL\n- Statistics or machine learning\n";
    cr_assert_eq(rf_posting_parse("mem", two, strlen(two), &c.aliases, &c.tax, &post, &err), RF_OK);
    cr_assert_eq(post.nreqs, 3);
    cr_assert_eq(post.reqs[2].nskills, 2);
    post.reqs[1].skills[0] = post.reqs[0].skills[0];
    post.reqs[1].level = post.reqs[0].level;
    cr_assert_eq(rf_postingtest_design(&d, pool, &c.roles, &post, NULL, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(d.nobjreq, 2);
    cr_assert_eq(d.nobj, 3);
    cr_assert_float_eq(d.obj_w[0], post.reqs[0].weight + post.reqs[1].weight, 1e-12);
    cr_assert_float_eq(d.obj_w[1], post.reqs[2].weight, 1e-12);
    cr_assert(d.obj_req[1] == 1 && d.obj_req[2] == 1 && d.obj_skill[1] != d.obj_skill[2]);
    rf_posting_cleanup(&post);
}

/* The study on six postings of the labelled set, 300 applicants each, seed
 * 1: the same on 1 and 2 threads, and near the figures docs/careers.md
 * records ("Posting tests"). On the operational pool, which an invited
 * posting test draws on, with the ranking objective choosing the items:
 * these six gave 81, 77, 76, 79, 77 and 79%, mean 78.2% (SE targets alone:
 * 85, 76, 76, 80, 71 and 76%, mean 77.3%; on the whole bank, before the
 * study used the live pool: mean 80.3%). The floors leave room for bank
 * changes, not for a ranking that lost its way (chance is 33%). */
Test(posting_test, ranking_study_figures, .timeout = 300)
{
    static const char *const files[] = {"en01.md", "en04.md", "en07.txt",
                                        "ja01.txt", "ja05.txt", "ja10.txt"};
    double sum = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "tests/fixtures/postings/%s", files[i]);
        struct rf_parsed_posting post;
        load(path, &post);
        struct rf_postingsim_opts o = {300, 1, 2, 0.7};
        struct rf_postingsim_result r1, r2;
        struct rf_err err;
        cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r2, &err), RF_OK, "%s",
                     err.msg);
        o.threads = 1;
        cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r1, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(r1.top_third, r2.top_third, "%s: threads change the result", files[i]);
        cr_assert_eq(r1.len_mean, r2.len_mean, "%s", files[i]);
        cr_assert_eq(r1.third, 100);
        cr_expect(r1.top_third >= 0.65, "%s: top third %.2f", files[i], r1.top_third);
        cr_expect(r1.top_third_strict <= r1.top_third, "%s", files[i]);
        cr_expect_float_eq(r1.measured_mean, 1.0, 1e-12, "%s: every requirement measured",
                           files[i]);
        sum += r1.top_third;
        rf_posting_cleanup(&post);
    }
    cr_assert(sum / 6 >= 0.75, "mean top third %.3f", sum / 6);
}

/* Bad input: too few applicants, a loading out of range. */
Test(posting_test, study_refuses_bad_options)
{
    struct rf_parsed_posting post;
    load("tests/fixtures/postings/en01.md", &post);
    struct rf_postingsim_result r;
    struct rf_err err;
    struct rf_postingsim_opts o = {2, 1, 1, 0.7};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "at least 3 applicants"), "%s", err.msg);
    o = (struct rf_postingsim_opts){30, 1, 1, 1.0};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "loading"), "%s", err.msg);
    rf_posting_cleanup(&post);
}
