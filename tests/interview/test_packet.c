/* The hiring packet (interview/packet.h): P(meets) per requirement from test
 * and interviews with the calls of careers/fit.h, what each source said and
 * whether they agree, the round that would settle each open requirement,
 * and the chance a "no" is a false negative. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "careers/data.h"
#include "careers/kits.h"
#include "interview/packet.h"
#include "irt/hier.h"

static struct rf_careers c;
static struct rf_kits k;
static struct rf_iv_bank b;
static const struct rf_role *role;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_kits_load("data/interviews.json", &c, &k, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_iv_bank_from_kits(&k, &b, &err), RF_OK, "%s", err.msg);
    role = rf_roles_find(&c.roles, "ml_engineer");
    cr_assert(role);
}

static void unload(void)
{
    rf_iv_bank_cleanup(&b);
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
}

TestSuite(packet, .init = load, .fini = unload);

/* A test profile: n 2PL items (a 1.5, b 0) on software_engineering, all
 * right or all wrong, under a model with the default loading. */
static void test_profile(struct rf_profile *p, size_t n, int right)
{
    struct rf_err err;
    rf_profile_init_default(p);
    double ll[RF_QUAD_MAX_N], post[RF_QUAD_MAX_N];
    for (size_t q = 0; q < p->n; q++) {
        double x = rf_profile_node(p, q);
        ll[q] = (double)n * rf_log_logistic((right ? 1.5 : -1.5) * x);
        post[q] = exp(ll[q] - 0.5 * x * x);
    }
    size_t idx;
    const char *ids[] = {"software_engineering"};
    cr_assert_eq(rf_profile_add_posterior(p, ids[0], n, post, &idx, &err), RF_OK);
    cr_assert_eq(rf_profile_set_loglik(p, idx, ll, &err), RF_OK);
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 1, RF_HIER_DEFAULT_LAMBDA);
    cr_assert_eq(rf_profile_set_model(p, ids, 1, &sp, 1, &err), RF_OK);
    cr_assert_eq(rf_profile_refresh(p, &err), RF_OK);
}

/* Two interviewers score the coding round's code_clarity (software_engineering) at score. */
static size_t clarity(struct rf_iv_rating *r, size_t score)
{
    size_t j = rf_iv_bank_find(&b, "coding_algorithmic.code_clarity");
    cr_assert_neq(j, (size_t)-1);
    r[0] = (struct rf_iv_rating){0, 0, j, 0, score, 0};
    r[1] = (struct rf_iv_rating){0, 0, j, 1, score, 0};
    return 2;
}

static size_t req_index(const struct rf_iv_packet *pk, const char *skill)
{
    for (size_t i = 0; i < pk->fit.nreqs; i++)
        if (strcmp(c.tax.skills[pk->fit.reqs[i].req->skill].id, skill) == 0)
            return i;
    cr_assert_fail("no requirement on %s", skill);
    return 0;
}

Test(packet, every_requirement_has_its_call_sources_and_open_ones_a_round)
{
    struct rf_err err;
    struct rf_profile t;
    test_profile(&t, 6, 1);
    struct rf_iv_rating r[2];
    size_t n = clarity(r, 3);
    double sev[] = {0, 0};
    struct rf_iv_packet pk;
    cr_assert_eq(rf_iv_packet(&t, &c.roles, role, &k, &b, sev, 2, r, n, &pk, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(pk.fit.nreqs, role->nreqs);
    cr_assert_eq(pk.p_false_negative, pk.fit.p_core);
    cr_assert(pk.p_false_negative >= 0 && pk.p_false_negative <= 1);
    size_t se = req_index(&pk, "software_engineering");
    cr_assert(pk.req[se].test_measured && pk.req[se].iv_measured);
    cr_assert_eq(pk.req[se].agree, 1, "test %g +- %g, interviews %g +- %g", pk.req[se].m_test,
                 pk.req[se].sd_test, pk.req[se].m_iv, pk.req[se].sd_iv);
    size_t open = 0;
    for (size_t i = 0; i < pk.fit.nreqs; i++) {
        const struct rf_req_fit *rq = &pk.fit.reqs[i];
        int is_open = rq->call == RF_CALL_UNDECIDED || rq->call == RF_CALL_NOT_MEASURED;
        open += (size_t)is_open;
        if (!is_open) {
            cr_assert_eq(pk.req[i].settle, (size_t)-1);
            continue;
        }
        size_t u = pk.req[i].settle;
        if (u == (size_t)-1)
            continue;
        /* the round is in the loop and measures the skill */
        int measures = 0;
        for (size_t j = b.first[u]; j < b.first[u + 1]; j++)
            measures |= b.crit[j].skill == rq->req->skill;
        cr_assert(measures, "requirement %zu: rubric %s", i, b.rubric_ids[u]);
        cr_assert(pk.req[i].p_settle > 0 && pk.req[i].p_settle <= 1);
    }
    cr_assert_eq(pk.nopen, open);
    cr_assert(open > 0);
    /* Not measured by the test: ml_system_design; its loop holds the ML system design round. */
    size_t sd = req_index(&pk, "ml_system_design");
    cr_assert_eq(pk.req[sd].test_measured, 0);
    cr_assert_eq(pk.req[sd].agree, -1);
    cr_assert_str_eq(b.rubric_ids[pk.req[sd].settle], "ml_system_design");
    /* The test profile is not changed. */
    cr_assert_eq(t.nskills, 1);
    rf_iv_packet_cleanup(&pk);
    rf_profile_cleanup(&t);
}

Test(packet, a_test_and_interviews_that_contradict_are_marked)
{
    struct rf_err err;
    struct rf_profile t;
    test_profile(&t, 12, 1); /* the test: far above the bar */
    struct rf_iv_rating r[8];
    size_t n = clarity(r, 0);
    size_t j = rf_iv_bank_find(&b, "behavioral.ownership");
    for (size_t i = 0; i < 3; i++) /* three more rounds scored 1 of 4 on software engineering */
        for (size_t w = 0; w < 2; w++)
            r[n++] = (struct rf_iv_rating){0, 1 + i, j, w, 0, 0};
    double sev[] = {0, 0};
    struct rf_iv_packet pk;
    cr_assert_eq(rf_iv_packet(&t, &c.roles, role, &k, &b, sev, 2, r, n, &pk, &err), RF_OK, "%s",
                 err.msg);
    size_t se = req_index(&pk, "software_engineering");
    cr_assert_eq(pk.req[se].agree, 0, "test %g +- %g, interviews %g +- %g", pk.req[se].m_test,
                 pk.req[se].sd_test, pk.req[se].m_iv, pk.req[se].sd_iv);
    cr_assert(pk.req[se].p_test > pk.fit.reqs[se].p && pk.fit.reqs[se].p > pk.req[se].p_iv);
    rf_iv_packet_cleanup(&pk);
    rf_profile_cleanup(&t);
}

Test(packet, a_bad_rating_fails_and_leaves_nothing)
{
    struct rf_err err;
    struct rf_profile t;
    test_profile(&t, 3, 0);
    struct rf_iv_rating r[2];
    size_t n = clarity(r, 3);
    r[1].score = 9;
    double sev[] = {0, 0};
    struct rf_iv_packet pk;
    cr_assert_eq(rf_iv_packet(&t, &c.roles, role, &k, &b, sev, 2, r, n, &pk, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "field 'score'"), "%s", err.msg);
    cr_assert_eq(t.nskills, 1);
    rf_profile_cleanup(&t);
}

/* The bar (docs/interviews.md "The bar"): the default thresholds sit on the
 * level bands, and a rating's bar moves them to the level the candidate's
 * role requires, so that "meets the bar" means that level. An ML engineer
 * needs software engineering at advanced (cut 1 on the bundled cuts). With
 * no test, two interviewers of severity 0 score code clarity: P(meets)
 * from the interviews alone under the profile's prior. */
static double p_meets_se(size_t point, int with_bar, double *mean)
{
    struct rf_err err;
    struct rf_profile t;
    rf_profile_init_default(&t);
    size_t se_skill;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "software_engineering", &se_skill), RF_OK);
    struct rf_iv_rating r[2];
    size_t n = clarity(r, point - (size_t)k.min);
    for (size_t i = 0; i < n; i++)
        r[i].bar = with_bar ? rf_iv_bar(&c.tax, role, se_skill) : 0;
    double sev[] = {0, 0};
    struct rf_iv_packet pk;
    cr_assert_eq(rf_iv_packet(&t, &c.roles, role, &k, &b, sev, 2, r, n, &pk, &err), RF_OK, "%s",
                 err.msg);
    size_t i = req_index(&pk, "software_engineering");
    double p = pk.fit.reqs[i].p;
    *mean = pk.fit.reqs[i].have->theta;
    cr_log_info("scores %zu, %zu, bar %s: mean %.3f, P(meets, cut %.1f) %.3f", point, point,
                with_bar ? "of the role" : "default", *mean, pk.fit.reqs[i].req->cut, p);
    rf_iv_packet_cleanup(&pk);
    rf_profile_cleanup(&t);
    return p;
}

Test(packet, meets_the_bar_reads_at_the_roles_level)
{
    size_t se_skill, j = rf_iv_bank_find(&b, "coding_algorithmic.code_clarity");
    cr_assert_eq(rf_taxonomy_find(&c.tax, "software_engineering", &se_skill), RF_OK);
    const double *cuts = c.tax.skills[se_skill].cuts;
    /* default thresholds: developing, proficient, advanced start */
    cr_assert_float_eq(b.crit[j].it.thr[0], cuts[0], 1e-12);
    cr_assert_float_eq(b.crit[j].it.thr[1], cuts[1], 1e-12);
    cr_assert_float_eq(b.crit[j].it.thr[2], cuts[2], 1e-12);
    cr_assert_float_eq(b.crit[j].it.a, RF_IV_DEFAULT_A, 1e-12);
    /* ML engineer: software engineering at advanced, one band above proficient */
    cr_assert_float_eq(rf_iv_bar(&c.tax, role, se_skill), cuts[2] - cuts[1], 1e-12);
    cr_assert_float_eq(rf_iv_bar(&c.tax, NULL, se_skill), 0, 1e-12);
    size_t other;
    cr_assert_eq(rf_taxonomy_find(&c.tax, "ux_for_ml", &other), RF_OK);
    cr_assert_float_eq(rf_iv_bar(&c.tax, role, other), 0, 1e-12); /* not required: default */
    double m_meets, m_strong, m_weak, m_old;
    double meets = p_meets_se(3, 1, &m_meets), strong = p_meets_se(4, 1, &m_strong),
           weak = p_meets_se(2, 1, &m_weak), old = p_meets_se(3, 0, &m_old);
    /* Two "meets the bar": near the cut (the prior, N(0, 1), has 16% at
     * advanced or above, and two ratings of slope 1.2 move it part way). */
    cr_assert(meets > 0.3 && meets < 0.7, "P(meets) %g", meets);
    cr_assert(fabs(m_meets - cuts[2]) < 0.35, "mean %g, cut %g", m_meets, cuts[2]);
    cr_assert(strong > 0.7, "P(meets) %g", strong);
    cr_assert(weak < 0.2, "P(meets) %g", weak); /* a "below" call (RF_FIT_BELOW) */
    /* the default bar (proficient) reads the same scores a level lower */
    cr_assert(old < 0.2 && m_old < m_meets - 0.4, "default bar: %g (mean %g)", old, m_old);
}
