/* The interview simulation study (interview/sim.h) over the bundled kits,
 * with a small fixed test per candidate (three 2PL items on every skill,
 * scored under the higher-order model): severities are recovered, the loop
 * narrows the test's posteriors and the model ranks better than raw-score
 * averaging; the same seed gives the same figures; bad options are refused. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "careers/data.h"
#include "careers/kits.h"
#include "interview/sim.h"
#include "irt/hier.h"

static struct rf_careers c;
static struct rf_kits k;

static void load(void)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &c, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_kits_load("data/interviews.json", &c, &k, &err), RF_OK, "%s", err.msg);
}

static void unload(void)
{
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
}

TestSuite(sim, .init = load, .fini = unload, .timeout = 300);

/* Three 2PL items (a 1.5, b -1, 0, 1) on every skill, answers drawn at theta. */
static rf_status fixed_test(void *ctx, size_t i, size_t role, const double *theta, struct rf_rng *r,
                            struct rf_profile *pr, struct rf_err *err)
{
    const struct rf_taxonomy *tax = ctx;
    const char *ids[RF_HIER_MAX_SKILLS];
    size_t n = tax->nskills < RF_HIER_MAX_SKILLS ? tax->nskills : RF_HIER_MAX_SKILLS;
    (void)i;
    (void)role;
    for (size_t s = 0; s < n; s++) {
        double ll[RF_QUAD_MAX_N] = {0}, post[RF_QUAD_MAX_N];
        for (int b = -1; b <= 1; b++) {
            int right = rf_rng_uniform(r) < rf_logistic(1.5 * (theta[s] - b));
            for (size_t q = 0; q < pr->n; q++)
                ll[q] += rf_log_logistic((right ? 1.5 : -1.5) * (rf_profile_node(pr, q) - b));
        }
        for (size_t q = 0; q < pr->n; q++) {
            double x = rf_profile_node(pr, q);
            post[q] = exp(ll[q] - 0.5 * x * x);
        }
        size_t idx;
        rf_status rc = rf_profile_add_posterior(pr, tax->skills[s].id, 3, post, &idx, err);
        if (rc || (rc = rf_profile_set_loglik(pr, idx, ll, err)))
            return rc;
        ids[s] = tax->skills[s].id;
    }
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, n, RF_HIER_DEFAULT_LAMBDA);
    rf_status rc = rf_profile_set_model(pr, ids, n, &sp, 1, err);
    return rc ? rc : rf_profile_refresh(pr, err);
}

Test(sim, severities_are_recovered_and_the_model_ranks_better_than_raw_scores)
{
    struct rf_iv_sim_opts o;
    rf_iv_sim_opts_init(&o);
    o.ncand = 150;
    o.seed = 7;
    o.test = fixed_test;
    o.ctx = &c.tax;
    struct rf_iv_sim_result r;
    struct rf_err err;
    cr_assert_eq(rf_iv_simulate(&k, &o, &r, &err), RF_OK, "%s", err.msg);
    cr_assert(r.calib.converged);
    cr_assert_eq(r.ncand, 150);
    cr_assert_eq(r.nraters, 12);
    /* 150 candidates, about 550 ratings an interviewer: SE about 0.06 */
    cr_assert(r.sev_rmse < 0.15, "severity RMSE %g", r.sev_rmse);
    cr_assert(r.sev_mean_se > 0.02 && r.sev_mean_se < 0.12, "mean SE %g", r.sev_mean_se);
    /* The test's three items a skill leave SD about 0.6; the loop narrows it. */
    cr_assert(r.sd_both_mean < 0.8 * r.sd_test_mean, "SD %g after the loop, %g before",
              r.sd_both_mean, r.sd_test_mean);
    for (size_t s = 0; s < r.nskills; s++)
        if (r.skill_n[s])
            cr_assert(r.sd_both[s] < r.sd_test[s], "skill %zu: %g vs %g", s, r.sd_both[s],
                      r.sd_test[s]);
    cr_assert(r.rho_model > r.rho_naive, "model %g, naive %g", r.rho_model, r.rho_naive);
    cr_assert(r.rho_naive > 0.5 && r.rho_model < 1);
    cr_assert_eq(r.nroles, k.nloops);
    /* Every rubric some loop holds was double-scored. */
    for (size_t u = 0; u < r.report.nrubrics; u++)
        cr_assert(r.report.rubric[u].pairs > 0, "rubric %zu", u);
    /* The same seed gives the same figures. */
    struct rf_iv_sim_result r2;
    cr_assert_eq(rf_iv_simulate(&k, &o, &r2, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r2.sev_rmse, r.sev_rmse);
    cr_assert_eq(r2.rho_model, r.rho_model);
    cr_assert_eq(r2.nratings, r.nratings);
    rf_iv_sim_cleanup(&r2);
    rf_iv_sim_cleanup(&r);
}

Test(sim, bad_options_are_refused)
{
    struct rf_iv_sim_opts o;
    rf_iv_sim_opts_init(&o);
    struct rf_iv_sim_result r;
    struct rf_err err;
    o.nraters = 1;
    cr_assert_eq(rf_iv_simulate(&k, &o, &r, &err), RF_EINVAL);
    o.nraters = 12;
    o.sev_sd = -1;
    cr_assert_eq(rf_iv_simulate(&k, &o, &r, &err), RF_EINVAL);
    o.sev_sd = 0.5;
    o.ncand = 1;
    cr_assert_eq(rf_iv_simulate(&k, &o, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "interview simulation"), "%s", err.msg);
}
