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
#include "base/rng.h"
#include "careers/rank.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/hier.h"
#include "irt/quad.h"
#include "server/roletest.h"
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
        struct rf_postingsim_opts o = {300, 1, 2, 0.7, 0};
        struct rf_postingsim_result r1, r2;
        struct rf_err err;
        cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r2, &err), RF_OK, "%s",
                     err.msg);
        o.threads = 1;
        cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r1, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(r1.top_third, r2.top_third, "%s: threads change the result", files[i]);
        cr_assert_eq(r1.len_mean, r2.len_mean, "%s", files[i]);
        cr_assert_eq(r1.top_third_bayes_joint, r2.top_third_bayes_joint, "%s", files[i]);
        cr_expect(r1.top_third_bayes_joint >= 0.5 && r1.top_third_bayes_indep >= 0.5,
                  "%s: the Bayes selection computed (%.2f, %.2f)", files[i],
                  r1.top_third_bayes_joint, r1.top_third_bayes_indep);
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
    struct rf_postingsim_opts o = {2, 1, 1, 0.7, 0};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "at least 3 applicants"), "%s", err.msg);
    o = (struct rf_postingsim_opts){30, 1, 1, 1.0, 0};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "loading"), "%s", err.msg);
    o = (struct rf_postingsim_opts){30, 1, 1, 0.7, RF_CAT_MAX_ITEMS + 1};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "at most"), "%s", err.msg);
    rf_posting_cleanup(&post);
}

/* The what-if test length: the tests run past the product's 40 items, up to
 * the length asked. */
Test(posting_test, study_what_if_length, .timeout = 120)
{
    struct rf_parsed_posting post;
    load("tests/fixtures/postings/en01.md", &post);
    struct rf_postingsim_result r;
    struct rf_err err;
    struct rf_postingsim_opts o = {30, 1, 1, 0.7, 60};
    cr_assert_eq(rf_postingsim_run(pool, &truth, &c.roles, &post, &o, &r, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(r.len_mean > RF_WEB_ROLE_MAX_ITEMS && r.len_mean <= 60, "%.1f items",
              r.len_mean);
    rf_posting_cleanup(&post);
}

/* The Bayes selection's share DP (analysis only, docs/careers.md "Posting
 * tests") against brute force: every subset of the requirements, its weight
 * and probability, summed by weight met. Weights with repeats and sums that
 * meet from different subsets (0.3 + 0.7 = 1.0 only to rounding). */
Test(posting_test, share_dist_matches_enumeration)
{
    static const double w[] = {3, 2, 1, 0.5, 0.5, 1.5, 0.3, 0.7, 1.0};
    static const double pr[] = {0.9, 0.35, 0.5, 0.02, 0.77, 0.61, 0.12, 0.999, 0.44};
    enum { N = sizeof w / sizeof w[0] };
    struct rf_share_space sp;
    struct rf_err err;
    cr_assert_eq(rf_share_space_init(&sp, w, N, &err), RF_OK, "%s", err.msg);
    double dist[RF_POSTINGSIM_MAX_SHARES], brute[RF_POSTINGSIM_MAX_SHARES] = {0};
    rf_share_dist(&sp, pr, dist);
    unsigned char hit[RF_POSTINGSIM_MAX_SHARES] = {0};
    for (unsigned mask = 0; mask < (1u << N); mask++) {
        double sum = 0, p = 1;
        for (size_t r = 0; r < N; r++) {
            int in = (mask >> r) & 1;
            sum += in ? w[r] : 0;
            p *= in ? pr[r] : 1 - pr[r];
        }
        size_t j = 0;
        while (j < sp.m && fabs(sp.sum[j] - sum) > 1e-9)
            j++;
        cr_assert(j < sp.m, "subset %u: weight %g is not in the space", mask, sum);
        brute[j] += p;
        hit[j] = 1;
    }
    double total = 0;
    for (size_t j = 0; j < sp.m; j++) {
        cr_assert(hit[j], "sum %g of the space is no subset's", sp.sum[j]);
        cr_assert(j == 0 || sp.sum[j] > sp.sum[j - 1] + 1e-9, "sums ascend and are distinct");
        cr_assert_float_eq(dist[j], brute[j], 1e-13, "P(weight met = %g)", sp.sum[j]);
        total += dist[j];
    }
    cr_assert_float_eq(total, 1.0, 1e-13);
    /* the distinct subset sums, counted apart (rounded to 1e-9 in Python): 62 */
    cr_assert_eq(sp.m, 62);
    rf_share_space_cleanup(&sp);
    /* Bad weights are refused. */
    static const double bad[] = {1, 0};
    cr_assert_eq(rf_share_space_init(&sp, bad, 2, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "weight 1"), "%s", err.msg);
}

/* The Bayes scores: P(bar = sum j) from the exact Poisson-binomial counts,
 * checked against enumerating every outcome of six applicants; and with
 * certain shares the score is 1 exactly for those at or above the bar. */
Test(posting_test, bayes_scores_match_enumeration)
{
    enum { N = 6, M = 4, K = 2 };
    /* tail[i][j] = P(applicant i's weight met >= sum j), non-increasing */
    static const double tail[N * M] = {1, 0.9, 0.5, 0.1, 1, 0.7, 0.6, 0.3, 1, 0.2, 0.1, 0.0,
                                       1, 1.0, 0.8, 0.6, 1, 0.5, 0.2, 0.2, 1, 0.95, 0.05, 0.01};
    double score[N];
    struct rf_err err;
    cr_assert_eq(rf_postingsim_bayes_scores(tail, N, M, K, score, &err), RF_OK);
    double pge[M + 1] = {0};
    for (size_t j = 0; j < M; j++)
        for (unsigned mask = 0; mask < (1u << N); mask++) {
            double p = 1;
            size_t cnt = 0;
            for (size_t i = 0; i < N; i++) {
                int in = (mask >> i) & 1;
                cnt += (size_t)in;
                p *= in ? tail[i * M + j] : 1 - tail[i * M + j];
            }
            pge[j] += cnt >= K ? p : 0;
        }
    for (size_t i = 0; i < N; i++) {
        double want = 0;
        for (size_t j = 0; j < M; j++)
            want += (pge[j] - pge[j + 1]) * tail[i * M + j];
        cr_assert_float_eq(score[i], want, 1e-12, "applicant %zu", i);
    }
    /* Known shares 3, 1, 2, 2, 0 (sums 0..3), k = 2: the bar is 2. */
    static const int share[5] = {3, 1, 2, 2, 0};
    double sure[5 * M], s5[5];
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < M; j++)
            sure[i * M + j] = (int)j <= share[i];
    cr_assert_eq(rf_postingsim_bayes_scores(sure, 5, M, 2, s5, &err), RF_OK);
    for (size_t i = 0; i < 5; i++)
        cr_assert_float_eq(s5[i], share[i] >= 2 ? 1.0 : 0.0, 1e-15, "applicant %zu", i);
    cr_assert_eq(rf_postingsim_bayes_scores(sure, 5, M, 6, s5, &err), RF_EINVAL);
}

/* The share distribution from a profile's joint posterior (a real posting
 * test's answers): it sums to 1, its mean is the fit's expected weight met
 * (exact without OR-groups, by linearity), P(every requirement met) is the
 * model's joint tail, and the skills' common factor makes meeting all more
 * likely than the marginals taken as independent say. */
Test(posting_test, joint_share_dist_agrees_with_the_model, .timeout = 60)
{
    static const char text[] = "Requirements\n- Python\n- SQL\n- Docker\nNice to have\n"
                               "- A/B testing\n";
    struct rf_parsed_posting post;
    struct rf_err err;
    cr_assert_eq(rf_posting_parse("mem", text, strlen(text), &c.aliases, &c.tax, &post, &err),
                 RF_OK);
    cr_assert_eq(post.nreqs, 4);
    struct rf_cat_design d;
    cr_assert_eq(rf_postingtest_design(&d, pool, &c.roles, &post, NULL, &err), RF_OK, "%s",
                 err.msg);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(pool, &d, 7, &s, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, 7);
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        cr_assert_eq(rf_cat_answer(s, item, rf_cat_sim_draw(&truth.irt[item], 0.6, &r)), RF_OK);
    }
    struct rf_profile pr;
    cr_assert_eq(rf_profile_init(&pr, pool->q.lo, pool->q.hi, pool->q.n, &err), RF_OK);
    cr_assert_eq(rf_roletest_profile(s, &c.roles, &pr, NULL, &err), RF_OK, "%s", err.msg);
    double p[4], w[4], fitw = 0;
    struct rf_posting_fit f;
    rf_posting_fit(&post, &c.tax, &pr, p, NULL, &f);
    for (size_t u = 0; u < 4; u++) {
        w[u] = post.reqs[u].weight;
        fitw += w[u] * p[u];
    }
    struct rf_share_space sp;
    cr_assert_eq(rf_share_space_init(&sp, w, 4, &err), RF_OK);
    double ind[RF_POSTINGSIM_MAX_SHARES], joint[RF_POSTINGSIM_MAX_SHARES];
    rf_share_dist(&sp, p, ind);
    cr_assert_eq(rf_share_dist_joint(&sp, &post, &c.tax, &pr, ind, joint, &err), RF_OK, "%s",
                 err.msg);
    double total = 0, mean = 0;
    for (size_t j = 0; j < sp.m; j++) {
        total += joint[j];
        mean += joint[j] * sp.sum[j];
    }
    cr_assert_float_eq(total, 1.0, 1e-9);
    cr_assert_float_eq(mean, fitw, 1e-6, "joint mean %.9f, fit's %.9f", mean, fitw);
    struct rf_hier *h;
    struct rf_hier_state *hs;
    cr_assert_eq(rf_profile_hier(&pr, &h, &hs, &err), RF_OK, "%s", err.msg);
    cr_assert(h != NULL, "a posting test's profile has the model prior");
    size_t ks[4];
    double cuts[4];
    for (size_t u = 0; u < 4; u++) {
        const struct rf_skill *sk = &c.tax.skills[post.reqs[u].skills[0]];
        size_t k = 0;
        while (k < pr.model->nskills && strcmp(pr.model->skills[k], sk->id) != 0)
            k++;
        cr_assert(k < pr.model->nskills, "%s in the model", sk->id);
        ks[u] = k;
        cuts[u] = sk->cuts[post.reqs[u].level - 1];
    }
    double all = rf_hier_joint_tail(hs, ks, cuts, 4);
    cr_assert_float_eq(joint[sp.m - 1], all, 1e-9, "P(all met) %.9f, model's %.9f",
                       joint[sp.m - 1], all);
    cr_assert(joint[sp.m - 1] > ind[sp.m - 1], "all met: joint %.4f, independent %.4f",
              joint[sp.m - 1], ind[sp.m - 1]);
    rf_hier_state_free(hs);
    rf_hier_free(h);
    rf_share_space_cleanup(&sp);
    rf_profile_cleanup(&pr);
    rf_cat_session_free(s);
    rf_posting_cleanup(&post);
}

/* The hidden bank of the oracle-information bound: every scored item's
 * slope in [0.6, 2.0], a multiple-choice item's guessing in [0.1, 0.3], b
 * moved by about N(0, 0.5^2); the same seed gives the same bank. */
Test(posting_test, hidden_bank_draws)
{
    struct rf_bank b1, b2;
    struct rf_err err;
    rf_bank_init(&b1);
    rf_bank_init(&b2);
    cr_assert_eq(rf_bank_load_dir("data/bank", &b1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_bank_load_dir("data/bank", &b2, &err), RF_OK, "%s", err.msg);
    rf_postingsim_hidden_bank(&b2, 3);
    double sa = 0, sd = 0, sd2 = 0;
    size_t n = 0, n3 = 0;
    for (size_t i = 0; i < b2.n; i++) {
        const struct rf_irt_item *o = &b1.items[i].irt, *h = &b2.items[i].irt;
        if (o->ncat < 2)
            continue;
        cr_assert(h->a >= 0.6 && h->a <= 2.0, "%s: a %g", b2.items[i].id, h->a);
        cr_assert_eq(h->ncat, o->ncat);
        double shift = o->ncat == 2 ? h->b - o->b : h->thr[0] - o->thr[0];
        for (size_t t = 1; o->ncat > 2 && t + 1 < o->ncat; t++)
            cr_assert_float_eq(h->thr[t] - o->thr[t], shift, 1e-12, "thresholds move together");
        if (o->model == RF_MODEL_3PL) {
            cr_assert(h->model == RF_MODEL_3PL && h->c >= 0.1 && h->c <= 0.3, "%s: c %g",
                      b2.items[i].id, h->c);
            n3++;
        }
        sa += h->a;
        sd += shift;
        sd2 += shift * shift;
        n++;
    }
    cr_assert(n > 500 && n3 > 300, "%zu items, %zu multiple choice", n, n3);
    double mean = sd / (double)n, sdv = sqrt(sd2 / (double)n - mean * mean);
    cr_assert(fabs(sa / (double)n - 1.3) < 0.06, "mean a %.3f", sa / (double)n);
    cr_assert(fabs(mean) < 0.06 && fabs(sdv - 0.5) < 0.05, "b moved by %.3f (SD %.3f)", mean, sdv);
    rf_bank_cleanup(&b1);
    rf_bank_init(&b1);
    cr_assert_eq(rf_bank_load_dir("data/bank", &b1, &err), RF_OK, "%s", err.msg);
    rf_postingsim_hidden_bank(&b1, 3);
    for (size_t i = 0; i < b1.n; i++)
        cr_assert(memcmp(&b1.items[i].irt, &b2.items[i].irt, sizeof b1.items[i].irt) == 0,
                  "%s: the same seed, the same bank", b1.items[i].id);
    rf_bank_cleanup(&b1);
    rf_bank_cleanup(&b2);
}
