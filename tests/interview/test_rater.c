/* Rubric criteria as GRM items with a rater severity, and scorecards joined
 * to a profile (interview/rater.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "careers/data.h"
#include "careers/kits.h"
#include "careers/profile.h"
#include "interview/rater.h"

static struct rf_careers c;
static struct rf_kits k;
static struct rf_iv_bank b;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_kits_load("data/interviews.json", &c, &k, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_iv_bank_from_kits(&k, &b, &err), RF_OK, "%s", err.msg);
}

static void unload(void)
{
    rf_iv_bank_cleanup(&b);
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
}

TestSuite(rater, .init = load, .fini = unload);

Test(rater, the_bank_holds_every_criterion_of_the_kits)
{
    size_t total = 0;
    for (size_t i = 0; i < k.nrounds; i++)
        total += k.rounds[i].ncriteria;
    for (size_t i = 0; i < k.ntake_homes; i++)
        total += k.take_homes[i].ncriteria;
    cr_assert_eq(b.ncrit, total);
    cr_assert_eq(b.nrubrics, k.nrounds + k.ntake_homes);
    size_t j = rf_iv_bank_find(&b, "coding_algorithmic.correctness");
    cr_assert_neq(j, (size_t)-1);
    size_t s;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "algorithms_data_structures", &s), RF_OK);
    cr_assert_eq(b.crit[j].skill, s);
    cr_assert_eq(b.crit[j].it.ncat, 4);
    cr_assert_eq(b.crit[j].rubric, rf_iv_bank_rubric(&b, "coding_algorithmic"));
    cr_assert_eq(rf_iv_bank_find(&b, "nope.nope"), (size_t)-1);
    cr_assert_eq(rf_iv_bank_rubric(&b, "th_churn_uplift"), k.nrounds + 2);
}

Test(rater, severity_shifts_every_threshold)
{
    double thr[] = {-1, 0.2, 1.1};
    struct rf_iv_crit cr = {0};
    rf_irt_item_grm(&cr.it, 1.7, thr, 4);
    for (double th = -2; th <= 2; th += 0.5)
        for (size_t x = 0; x < 4; x++) {
            /* P(X = x | theta, delta) is the GRM's at theta - delta */
            double p = rf_iv_prob(&cr, th, 0.4, x), want = rf_irt_prob(&cr.it, th - 0.4, x);
            cr_assert(fabs(p - want) < 1e-15);
        }
    /* A severe interviewer gives lower expected scores to the same answer. */
    double e0 = 0, e1 = 0;
    for (size_t x = 0; x < 4; x++) {
        e0 += (double)x * rf_iv_prob(&cr, 0.3, 0, x);
        e1 += (double)x * rf_iv_prob(&cr, 0.3, 0.5, x);
    }
    cr_assert(e1 < e0 - 0.1, "severe %g vs neutral %g", e1, e0);
}

Test(rater, bad_ratings_are_refused_naming_the_field)
{
    struct rf_err err;
    struct rf_iv_rating r[] = {{0, 0, 0, 0, 1, 0}, {0, 0, 0, 1, 4, 0}};
    double sev[2] = {0, 0};
    cr_assert_eq(rf_iv_check(b.crit, b.ncrit, 2, r, 2, &err), RF_EINVAL);
    cr_assert_str_eq(err.msg, "ratings[1]: field 'score': 4 is outside 0..3");
    r[1].score = 3;
    r[1].rater = 2;
    cr_assert_eq(rf_iv_check(b.crit, b.ncrit, 2, r, 2, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "ratings[1]: field 'rater'"), "%s", err.msg);
    r[1].rater = 1;
    r[0].crit = b.ncrit;
    cr_assert_eq(rf_iv_check(b.crit, b.ncrit, 2, r, 2, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "ratings[0]: field 'criterion'"), "%s", err.msg);
    /* and combining them leaves the profile as it was */
    struct rf_profile p;
    rf_profile_init_default(&p);
    cr_assert_eq(rf_iv_combine(&p, &c.tax, &b, sev, 2, r, 2, &err), RF_EINVAL);
    cr_assert_eq(p.nskills, 0);
    rf_profile_cleanup(&p);
}

/* A profile with a model over two skills and a test's evidence on both. */
static void test_profile(struct rf_profile *p, const char *s1, const char *s2)
{
    struct rf_err err;
    rf_profile_init_default(p);
    double ll[RF_QUAD_MAX_N], post[RF_QUAD_MAX_N];
    const char *ids[] = {s1, s2};
    for (size_t s = 0; s < 2; s++) {
        for (size_t q = 0; q < p->n; q++) { /* two 2PL items answered right at b = 0 */
            double x = rf_profile_node(p, q);
            ll[q] = 2 * rf_log_logistic(1.2 * x);
            post[q] = exp(ll[q] - 0.5 * x * x);
        }
        size_t idx;
        cr_assert_eq(rf_profile_add_posterior(p, ids[s], 2, post, &idx, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(rf_profile_set_loglik(p, idx, ll, &err), RF_OK);
    }
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 2, 0.7);
    cr_assert_eq(rf_profile_set_model(p, ids, 2, &sp, 1, &err), RF_OK);
    cr_assert_eq(rf_profile_refresh(p, &err), RF_OK);
}

Test(rater, scorecards_join_the_test_posterior_in_the_same_profile)
{
    struct rf_err err;
    struct rf_profile p;
    test_profile(&p, "algorithms_data_structures", "ml_fundamentals");
    double se0 = rf_profile_find(&p, "algorithms_data_structures")->se;
    double th0 = rf_profile_find(&p, "algorithms_data_structures")->theta;
    double mlf0 = rf_profile_find(&p, "ml_fundamentals")->theta;
    /* Two interviewers score the algorithms coding round low (1 of 1..4). */
    size_t j0 = rf_iv_bank_find(&b, "coding_algorithmic.approach"),
           j1 = rf_iv_bank_find(&b, "coding_algorithmic.correctness"),
           j2 = rf_iv_bank_find(&b, "coding_algorithmic.code_clarity");
    struct rf_iv_rating r[] = {{0, 0, j0, 0, 0, 0}, {0, 0, j1, 0, 0, 0}, {0, 0, j0, 1, 0, 0},
                               {0, 0, j1, 1, 1, 0}, {0, 0, j2, 0, 2, 0}, {0, 0, j2, 1, 2, 0}};
    double sev[] = {0, 0};
    cr_assert_eq(rf_iv_combine(&p, &c.tax, &b, sev, 2, r, 6, &err), RF_OK, "%s", err.msg);
    const struct rf_profile_skill *s = rf_profile_find(&p, "algorithms_data_structures");
    cr_assert(s->se < se0, "SD %g after, %g before", s->se, se0);
    cr_assert(s->theta < th0 - 0.3, "theta %g after, %g before", s->theta, th0);
    cr_assert_eq(s->items, 2 + 4);
    /* The skills correlate through g: the other skill moves down a little. */
    cr_assert(rf_profile_find(&p, "ml_fundamentals")->theta < mlf0);
    /* software_engineering was not in the test: it joins the profile and its model. */
    const struct rf_profile_skill *se = rf_profile_find(&p, "software_engineering");
    cr_assert(se);
    cr_assert_eq(se->items, 2);
    cr_assert_eq(p.model->nskills, 3);
    /* The same evidence from a severe panel (delta = +1) says less against the
     * candidate: the posterior mean is higher than with neutral interviewers. */
    struct rf_profile q;
    test_profile(&q, "algorithms_data_structures", "ml_fundamentals");
    double severe[] = {1, 1};
    cr_assert_eq(rf_iv_combine(&q, &c.tax, &b, severe, 2, r, 6, &err), RF_OK);
    cr_assert(rf_profile_find(&q, "algorithms_data_structures")->theta > s->theta + 0.2);
    rf_profile_cleanup(&q);
    rf_profile_cleanup(&p);
}

Test(rater, combining_equals_the_posterior_computed_by_hand_without_a_model)
{
    /* An empty profile: the interview evidence alone, under the model the
     * evidence brings (one skill with loading 0.7: marginally N(0, 1)). The
     * posterior is then phi(x) prod P(score | x - delta), normalized, computed
     * here directly; the model integrates over its g grid, which agrees to
     * the quadrature's accuracy (1e-3). */
    struct rf_err err;
    struct rf_profile p;
    rf_profile_init_default(&p);
    size_t j = rf_iv_bank_find(&b, "behavioral.ownership");
    struct rf_iv_rating r[] = {{0, 0, j, 0, 3, 0}, {0, 0, j, 1, 2, 0}};
    double sev[] = {-0.3, 0.6};
    cr_assert_eq(rf_iv_combine(&p, &c.tax, &b, sev, 2, r, 2, &err), RF_OK, "%s", err.msg);
    const struct rf_profile_skill *s = rf_profile_find(&p, "software_engineering");
    cr_assert(s);
    double z = 0, m = 0;
    for (size_t q = 0; q < p.n; q++) {
        double x = rf_profile_node(&p, q);
        double w = exp(-0.5 * x * x) * rf_iv_prob(&b.crit[j], x, -0.3, 3) *
                   rf_iv_prob(&b.crit[j], x, 0.6, 2);
        z += w;
        m += w * x;
    }
    cr_assert(fabs(s->theta - m / z) < 1e-3, "theta %.12f, by hand %.12f", s->theta, m / z);
    rf_profile_cleanup(&p);
}
