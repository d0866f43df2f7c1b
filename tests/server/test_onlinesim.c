/*
 * Does the bank learn from use (server/onlinesim.h, issue 19's curve): the
 * study is deterministic whatever the threads, pretest items ride the live
 * tests, the true bank measures tighter than the authors' priors, and the
 * bank's re-estimates move the per-skill SD toward the calibrated bank's.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "bank/bank.h"
#include "careers/data.h"
#include "irt/quad.h"
#include "server/onlinesim.h"

struct fx {
    struct rf_careers c;
    struct rf_bank bank;
    struct rf_quad q;
};

static void fx_open(struct fx *f)
{
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_careers_load("data", &f->c, &err), RF_OK, "%s", err.msg);
    rf_bank_init(&f->bank);
    cr_assert_eq(rf_bank_load_dir("data/bank", &f->bank, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_quad_init_default(&f->q, &err), RF_OK);
}

static void fx_close(struct fx *f)
{
    rf_quad_cleanup(&f->q);
    rf_bank_cleanup(&f->bank);
    rf_careers_cleanup(&f->c);
}

static void run(const struct rf_onlinesim_opts *o, struct rf_onlinesim_result *r)
{
    struct fx f;
    struct rf_err err;
    rf_err_clear(&err);
    fx_open(&f);
    cr_assert_eq(rf_onlinesim_run(&f.bank, &f.c.roles, &f.q, o, r, &err), RF_OK, "%s", err.msg);
    fx_close(&f);
}

/* The same figures on 1 and 3 threads, pretest items seeded and promoted
 * (every estimate accepted, so the bank changes between checkpoints). */
Test(onlinesim, deterministic_whatever_the_threads)
{
    struct rf_onlinesim_opts o;
    rf_onlinesim_opts_default(&o);
    o.checkpoints[0] = 40;
    o.checkpoints[1] = 80;
    o.ncheck = 2;
    o.nmeasure = 24;
    o.pretest_items = 12;
    o.accept_all = 1;
    o.seed = 7;
    struct rf_onlinesim_result a, b;
    o.threads = 1;
    run(&o, &a);
    o.threads = 3;
    run(&o, &b);
    cr_assert_eq(a.npoints, 3);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "the curve differs between 1 and 3 threads");
    /* 80 tests of 3 pretest items over 12 (when the scope has them). */
    cr_assert_gt(a.points[2].pretest_answers, 5.0, "pretest answers per item %g",
                 a.points[2].pretest_answers);
    cr_assert_gt(a.points[2].estimated, 0);
    cr_assert_eq(a.points[0].estimated, 0);
}

/* With the true parameters known, a role test measures tighter than with
 * the authors' priors (seeds 1-4, 120 people: 0.414/0.414/0.406/0.415
 * against 0.476/0.472/0.472/0.485); and accepting every re-estimate of 1,000
 * live tests (about 60 answers an item) moves the per-skill SD toward the
 * calibrated bank's (0.445/0.433/0.434/0.444: a drop of 0.031-0.041), not
 * past it. Under the promotion rules almost nothing moves in 1,000 tests
 * (docs/calibration.md "Does the bank learn"). Bad options are refused. */
Test(onlinesim, re_estimates_move_the_sd_toward_the_calibrated_bank, .timeout = 120)
{
    struct rf_onlinesim_opts o;
    rf_onlinesim_opts_default(&o);
    o.checkpoints[0] = 1000;
    o.ncheck = 1;
    o.nmeasure = 120;
    o.accept_all = 1;
    o.seed = 1;
    o.threads = 2;
    struct rf_onlinesim_result r;
    run(&o, &r);
    const struct rf_onlinesim_point *p0 = &r.points[0], *p1 = &r.points[1];
    cr_assert_lt(r.calibrated.sd, p0->sd - 0.04, "calibrated SD %.3f, priors %.3f", r.calibrated.sd,
                 p0->sd);
    cr_assert_lt(p1->sd, p0->sd - 0.015, "SD %.3f after 1,000 tests, %.3f before", p1->sd, p0->sd);
    cr_assert_gt(p1->sd, r.calibrated.sd - 0.01, "SD %.3f after 1,000 tests, calibrated %.3f",
                 p1->sd, r.calibrated.sd);
    cr_assert_gt(p1->answers_per_item, 40.0);
    cr_assert_lt(p1->answers_per_item, 90.0);
    cr_assert_gt(p1->estimated, 200);

    struct fx f;
    struct rf_err err;
    fx_open(&f);
    o.nmeasure = 1;
    o.checkpoints[1] = 500; /* not increasing */
    o.ncheck = 2;
    cr_expect_eq(rf_onlinesim_run(&f.bank, &f.c.roles, &f.q, &o, &r, &err), RF_EINVAL);
    o.ncheck = 1;
    o.live = RF_ROLESIM_RANDOM;
    cr_expect_eq(rf_onlinesim_run(&f.bank, &f.c.roles, &f.q, &o, &r, &err), RF_EINVAL);
    o.live = RF_ROLESIM_REFERENCE;
    o.pretest_items = 100000;
    cr_expect_eq(rf_onlinesim_run(&f.bank, &f.c.roles, &f.q, &o, &r, &err), RF_EINVAL);
    fx_close(&f);
}

/* --learn eb (calib/recal.h) at 1,000 live tests, 120 people measured:
 * the held-out rule accepts the re-estimate; the bank's b and a move
 * toward the truth (seed 1: RMSE b 0.494 -> 0.416, a 0.520 -> 0.439;
 * SD 0.476 -> 0.424, true 0.414; RMSE theta 0.406 -> 0.409; coverage
 * 98.4% -> 97.0%); the per-skill SD
 * falls toward the calibrated bank's while the error it claims stays
 * honest: RMSE theta does not rise by more than 0.02 (the priors' role
 * test is longer: its RMSE theta already equals the true bank's) and 95%
 * intervals still cover at least 93% of the true skills. The old path
 * (--learn recalibrate, the promotion rules) moves none of this in 1,000
 * tests (docs/calibration.md "Does the bank learn"). */
Test(onlinesim, eb_learns_honestly_in_1000_tests, .timeout = 300)
{
    struct rf_onlinesim_opts o;
    rf_onlinesim_opts_default(&o);
    o.checkpoints[0] = 1000;
    o.ncheck = 1;
    o.nmeasure = 120;
    o.learn = RF_ONLINESIM_EB;
    o.seed = 1;
    o.threads = 2;
    struct rf_onlinesim_result r;
    run(&o, &r);
    const struct rf_onlinesim_point *p0 = &r.points[0], *p1 = &r.points[1];
    cr_log_info(
        "eb, 1,000 tests: SD %.3f -> %.3f (true %.3f), RMSE theta %.3f -> %.3f (true %.3f), "
        "coverage %.3f -> %.3f, RMSE b %.3f -> %.3f, a %.3f -> %.3f, ll %.4f -> %.4f (%.4f) %d",
        p0->sd, p1->sd, r.calibrated.sd, p0->theta_rmse, p1->theta_rmse, r.calibrated.theta_rmse,
        p0->cover95, p1->cover95, p0->rmse_b, p1->rmse_b, p0->rmse_a, p1->rmse_a, p1->ll_current,
        p1->ll_new, p1->ll_se, p1->eb_accept);
    cr_assert(p1->eb_run);
    cr_expect(p1->eb_accept, "held-out %.4f -> %.4f (SE %.4f)", p1->ll_current, p1->ll_new,
              p1->ll_se);
    cr_expect_lt(p1->rmse_b, p0->rmse_b - 0.05, "RMSE b %.3f, priors %.3f", p1->rmse_b, p0->rmse_b);
    cr_expect_lt(p1->rmse_a, p0->rmse_a - 0.05, "RMSE a %.3f, priors %.3f", p1->rmse_a, p0->rmse_a);
    cr_expect_lt(p1->sd, p0->sd - 0.03, "SD %.3f, priors %.3f", p1->sd, p0->sd);
    cr_expect_lt(p1->theta_rmse, p0->theta_rmse + 0.02, "RMSE theta %.3f, priors %.3f",
                 p1->theta_rmse, p0->theta_rmse);
    cr_expect_gt(p1->cover95, 0.93, "coverage %.3f", p1->cover95);
    cr_expect(fabs(p1->mu_loga - 0.209) < 0.15, "mu log a %.3f, hidden 0.209", p1->mu_loga);
    cr_expect(fabs(p1->mu_c - 0.2) < 0.05, "mu c %.3f, hidden 0.2", p1->mu_c);
    /* Where the skills' origins sit (docs/calibration.md "Anchoring the
     * scale"): logged, not asserted. With one re-estimate at 1,000 tests the
     * bank origin RMS goes 0.060 -> 0.054, the same as with the old rated
     * anchoring (0.055); the gain measured on the curve (0.060 -> 0.040 on
     * seed 1) comes with the re-estimates at 250 and 500 tests. */
    cr_log_info("bank origin RMS %.3f -> %.3f", p0->bank_origin_rms, p1->bank_origin_rms);
}
