/*
 * Each test kind's latent distribution and the loadings from stored tests
 * (calib/kindlat.h): recovery of known per-kind means and SDs and known
 * loadings from a seeded store-like simulation, the held-out check accepting
 * them and refusing a store with no signal, the 95% intervals of new
 * candidates scored under the applied prior covering near 95% for each
 * kind, and bad input refused.
 *
 * The simulation: 8 skills with loadings 0.40 .. 0.75, 20 2PL items a skill
 * (a ~ U(1.2, 2.2), b ~ U(-2, 2)); three kinds of test whose takers are
 * N(mu_ck, sd_ck^2) on skill k: practice at -0.3 (SD 1.1), invited to a
 * posting at +0.5 (SD 0.8), invited to a role at +0.2 (SD 0.9), the same on
 * every skill; theta_k = mu + sd (lambda_k g + sqrt(1 - lambda_k^2) e_k).
 * Each test answers 5 items on each of the 8 skills.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "calib/kindlat.h"
#include "irt/hier.h"
#include "irt/quad.h"

#define NS 8
#define PER 20
#define NI (NS * PER)
#define NK 3
#define ITEMS 5 /* per skill per test */

static const double kmu[NK] = {-0.3, 0.5, 0.2}, ksd[NK] = {1.1, 0.8, 0.9};

struct sim {
    double lambda[NS];
    struct rf_recal_item items[NI];
    struct rf_recal_answer *ans;
    unsigned char *kind;
    size_t n;
};

static void make_bank(struct sim *s, struct rf_rng *r)
{
    for (size_t k = 0; k < NS; k++)
        s->lambda[k] = 0.40 + 0.35 * (double)k / (NS - 1);
    for (size_t j = 0; j < NI; j++) {
        double a = 1.2 + rf_rng_uniform(r), b = -2 + 4 * rf_rng_uniform(r);
        rf_irt_item_dich(&s->items[j].irt, RF_MODEL_2PL, a, b, 0);
        s->items[j].rated = s->items[j].irt;
        s->items[j].skill = j / PER;
        s->items[j].id = "x";
    }
}

/* One person of kind c: theta per skill. signal 0: every kind N(0, 1). */
static void person(const struct sim *s, size_t c, int signal, struct rf_rng *r, double *th)
{
    double g = rf_rng_normal(r);
    for (size_t k = 0; k < NS; k++) {
        double l = s->lambda[k], z = l * g + sqrt(1 - l * l) * rf_rng_normal(r);
        th[k] = signal ? kmu[c] + ksd[c] * z : z;
    }
}

/* per_kind tests of each kind, test ids 1.. in order, kinds interleaved;
 * flat > 0: every loading flat instead of 0.40 .. 0.75. */
static void simulate(struct sim *s, size_t per_kind, int signal, uint64_t seed, double flat)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    make_bank(s, &r);
    for (size_t k = 0; flat > 0 && k < NS; k++)
        s->lambda[k] = flat;
    size_t nt = per_kind * NK, na = nt * NS * ITEMS;
    s->ans = malloc(na * sizeof *s->ans);
    s->kind = malloc(na);
    cr_assert(s->ans && s->kind);
    s->n = 0;
    for (size_t t = 0; t < nt; t++) {
        size_t c = t % NK;
        double th[NS];
        person(s, c, signal, &r, th);
        for (size_t k = 0; k < NS; k++) {
            unsigned char used[PER] = {0};
            for (size_t m = 0; m < ITEMS; m++) {
                size_t j;
                do
                    j = (size_t)rf_rng_below(&r, PER);
                while (used[j]);
                used[j] = 1;
                j += k * PER;
                int x = rf_rng_uniform(&r) < rf_irt_prob(&s->items[j].irt, th[k], 1);
                s->ans[s->n] = (struct rf_recal_answer){t + 1, (uint32_t)j, x};
                s->kind[s->n++] = (unsigned char)c;
            }
        }
    }
}

static void sim_free(struct sim *s)
{
    free(s->ans);
    free(s->kind);
}

static double lam_cur[NS], zero_sd[NK * NS];

static struct rf_kindlat_prior current(void)
{
    for (size_t k = 0; k < NS; k++)
        lam_cur[k] = 0.7; /* the product's assumed default (RF_HIER_DEFAULT_LAMBDA) */
    memset(zero_sd, 0, sizeof zero_sd);
    return (struct rf_kindlat_prior){NK, NS, zero_sd, zero_sd, lam_cur};
}

/* 1,000 tests of each kind: every (kind, skill)'s mean and SD within 0.12
 * of the truth and within 3.5 SEs; the SEs honest (|z| < 2 for most);
 * the loadings within RMSE 0.07; the two kinds far from N(0, 1) and the
 * loadings accepted. */
Test(kindlat, recovers_kind_distributions_and_loadings, .timeout = 600)
{
    struct sim s;
    simulate(&s, 1000, 1, 4401, 0);
    struct rf_kindlat_prior cur = current();
    struct rf_kindlat_opts o;
    rf_kindlat_opts_default(&o);
    struct rf_kindlat_result res;
    struct rf_err err;
    cr_assert_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err), RF_OK,
                 "%s", err.msg);
    size_t within2 = 0;
    double se_m = 0, se_s = 0, worst_m = 0, worst_s = 0;
    for (size_t c = 0; c < NK; c++) {
        /* practice (-0.3, 1.1) and posting (+0.5, 0.8) are far from N(0, 1) and are
         * accepted; role (+0.2, 0.9) is nearer, and at 1,000 tests its gain is about
         * 2 SEs (1.94 with this seed): it must at least gain */
        if (c < 2)
            cr_expect(res.kind[c].accept, "kind %zu: %s", c, res.kind[c].why);
        else
            cr_expect(res.kind[c].ll_new > res.kind[c].ll_current, "kind %zu: %s", c,
                      res.kind[c].why);
        cr_log_info("kind %zu: %s", c, res.kind[c].why);
        for (size_t k = 0; k < NS; k++) {
            const struct rf_kindlat_est *e = &res.est[c * NS + k];
            double dm = e->mean - kmu[c], ds = e->sd - ksd[c];
            cr_expect_eq(e->n, 1000, "kind %zu skill %zu: %zu tests", c, k, e->n);
            cr_expect(e->proposed);
            cr_expect(fabs(dm) < 0.12 && fabs(dm) < 3.5 * e->se_mean,
                      "kind %zu skill %zu: mean %.3f (truth %.2f, SE %.3f)", c, k, e->mean, kmu[c],
                      e->se_mean);
            cr_expect(fabs(ds) < 0.12 && fabs(ds) < 3.5 * e->se_sd,
                      "kind %zu skill %zu: SD %.3f (truth %.2f, SE %.3f)", c, k, e->sd, ksd[c],
                      e->se_sd);
            within2 += (fabs(dm) < 2 * e->se_mean) + (fabs(ds) < 2 * e->se_sd);
            se_m += e->se_mean;
            se_s += e->se_sd;
            worst_m = fmax(worst_m, fabs(dm));
            worst_s = fmax(worst_s, fabs(ds));
        }
    }
    /* 48 estimates; with honest SEs about 46 fall within 2 SEs (P(fewer than 40) < 1e-3) */
    cr_expect(within2 >= 40, "%zu of 48 estimates within 2 SEs", within2);
    cr_log_info("means: worst error %.3f, mean SE %.3f; SDs: worst %.3f, mean SE %.3f; "
                "%zu of 48 within 2 SEs",
                worst_m, se_m / (NK * NS), worst_s, se_s / (NK * NS), within2);
    double ss = 0;
    for (size_t k = 0; k < NS; k++) {
        ss += (res.lambda[k] - s.lambda[k]) * (res.lambda[k] - s.lambda[k]);
        cr_expect(res.lambda_proposed[k]);
    }
    double rmse = sqrt(ss / NS);
    cr_log_info("loadings: RMSE %.3f, %d cycles; %s", rmse, res.lambda_iter, res.l_why);
    cr_expect(rmse <= 0.07, "loadings RMSE %.3f", rmse);
    cr_expect(res.l_accept, "%s", res.l_why);
    rf_kindlat_result_cleanup(&res);
    sim_free(&s);
}

/* Every kind N(0, 1) and the loadings at the current ones (0.7 everywhere):
 * nothing is accepted. */
Test(kindlat, no_signal_is_not_accepted, .timeout = 600)
{
    struct sim s;
    simulate(&s, 600, 0, 4402, 0.7);
    struct rf_kindlat_prior cur = current();
    struct rf_kindlat_opts o;
    rf_kindlat_opts_default(&o);
    struct rf_kindlat_result res;
    struct rf_err err;
    cr_assert_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err), RF_OK,
                 "%s", err.msg);
    for (size_t c = 0; c < NK; c++) {
        cr_log_info("kind %zu: %s", c, res.kind[c].why);
        cr_expect(!res.kind[c].accept, "kind %zu: %s", c, res.kind[c].why);
    }
    cr_log_info("loadings: %s", res.l_why);
    cr_expect(!res.l_accept, "%s", res.l_why);
    rf_kindlat_result_cleanup(&res);
    sim_free(&s);
}

/* The 2.5% and 97.5% points of a posterior on the grid (cell-spread mass). */
static void interval(const struct rf_quad *q, const double *post, double *lo, double *hi)
{
    double h = q->x[1] - q->x[0], c = 0;
    *lo = q->x[0];
    *hi = q->x[q->n - 1];
    int got_lo = 0;
    for (size_t i = 0; i < q->n; i++) {
        double c2 = c + post[i];
        if (!got_lo && c2 >= 0.025) {
            *lo = q->x[i] - h / 2 + h * (0.025 - c) / post[i];
            got_lo = 1;
        }
        if (c2 >= 0.975) {
            *hi = q->x[i] - h / 2 + h * (0.975 - c) / post[i];
            break;
        }
        c = c2;
    }
}

/* New candidates of each kind, scored under the prior fitted from the
 * store (the kind's N(mu, sd^2) per skill as the population, the fitted
 * loadings): the 95% intervals cover near 95% for each kind, and the
 * posterior means are less wrong than under N(0, 1) with the assumed 0.7. */
Test(kindlat, intervals_cover_under_the_applied_prior, .timeout = 600)
{
    struct sim s;
    simulate(&s, 1000, 1, 4403, 0);
    struct rf_kindlat_prior cur = current();
    struct rf_kindlat_opts o;
    rf_kindlat_opts_default(&o);
    struct rf_kindlat_result res;
    struct rf_err err;
    cr_assert_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err), RF_OK,
                 "%s", err.msg);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_even(&q, 61, -6, 6, 0, 1, &err), RF_OK, "%s", err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, 4404);
    const size_t people = 600;
    for (size_t c = 0; c < NK; c++) {
        struct rf_hier_spec sp[2];
        rf_hier_spec_init(&sp[0], NS, 0);
        rf_hier_spec_init(&sp[1], NS, 0.7);
        for (size_t k = 0; k < NS; k++) {
            sp[0].lambda[k] = res.lambda[k];
            sp[0].comp[0].mu[k] = res.est[c * NS + k].mean;
            sp[0].comp[0].tau[k] = res.est[c * NS + k].sd;
        }
        size_t cover[2] = {0, 0}, total = 0;
        double se2[2] = {0, 0};
        struct rf_hier *h[2];
        struct rf_hier_state *st[2];
        for (int m = 0; m < 2; m++) {
            cr_assert_eq(rf_hier_new(&sp[m], &q, &h[m], &err), RF_OK, "%s", err.msg);
            cr_assert_eq(rf_hier_state_new(h[m], &st[m], &err), RF_OK, "%s", err.msg);
        }
        for (size_t p = 0; p < people; p++) {
            double th[NS], lik[NS][61];
            person(&s, c, 1, &r, th);
            for (size_t k = 0; k < NS; k++) {
                for (size_t i = 0; i < q.n; i++)
                    lik[k][i] = 1;
                for (size_t mth = 0; mth < ITEMS; mth++) {
                    size_t j = k * PER + (size_t)rf_rng_below(&r, PER);
                    int x = rf_rng_uniform(&r) < rf_irt_prob(&s.items[j].irt, th[k], 1);
                    for (size_t i = 0; i < q.n; i++)
                        lik[k][i] *= rf_irt_prob(&s.items[j].irt, q.x[i], (size_t)x);
                }
            }
            for (int m = 0; m < 2; m++) {
                rf_hier_state_reset(st[m]);
                for (size_t k = 0; k < NS; k++)
                    rf_hier_update(st[m], k, lik[k]);
                for (size_t k = 0; k < NS; k++) {
                    double post[61], mean, sd, lo, hi;
                    rf_hier_marginal(st[m], k, post, &mean, &sd);
                    interval(&q, post, &lo, &hi);
                    cover[m] += th[k] >= lo && th[k] <= hi;
                    se2[m] += (mean - th[k]) * (mean - th[k]);
                }
            }
            total += NS;
        }
        double cv = (double)cover[0] / (double)total, cv0 = (double)cover[1] / (double)total;
        cr_log_info("kind %zu: 95%% intervals cover %.3f under the fitted prior (RMSE %.3f), "
                    "%.3f under N(0, 1) with loadings 0.7 (RMSE %.3f), %zu intervals",
                    c, cv, sqrt(se2[0] / (double)total), cv0, sqrt(se2[1] / (double)total), total);
        /* 4,800 intervals: the SE of a coverage of 0.95 is 0.003, but the 8 skills of a
         * person share g, so allow +-0.02 */
        cr_expect(cv >= 0.93 && cv <= 0.97, "kind %zu: coverage %.3f", c, cv);
        cr_expect(se2[0] <= se2[1] * 1.001, "kind %zu: the fitted prior is not closer", c);
        for (int m = 0; m < 2; m++) {
            rf_hier_state_free(st[m]);
            rf_hier_free(h[m]);
        }
    }
    rf_quad_cleanup(&q);
    rf_kindlat_result_cleanup(&res);
    sim_free(&s);
}

Test(kindlat, bad_input_is_named)
{
    struct sim s;
    simulate(&s, 10, 1, 4405, 0);
    struct rf_kindlat_prior cur = current();
    struct rf_kindlat_opts o;
    rf_kindlat_opts_default(&o);
    struct rf_kindlat_result res;
    struct rf_err err;
    s.kind[3] = 7; /* a kind the prior does not have */
    cr_expect_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "answer 3") != NULL, "%s", err.msg);
    s.kind[3] = s.kind[2];
    s.kind[4] = (unsigned char)((s.kind[3] + 1) % NK); /* two kinds in one test */
    cr_expect_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "two kinds") != NULL, "%s", err.msg);
    s.kind[4] = s.kind[3];
    s.ans[5].k = 2; /* not a category of a 2PL item */
    cr_expect_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "answer 5: category 2") != NULL, "%s", err.msg);
    s.ans[5].k = 0;
    o.holdout = 1;
    cr_expect_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err),
                 RF_EINVAL);
    /* a tiny store: nothing proposed, nothing accepted, no error */
    rf_kindlat_opts_default(&o);
    cr_assert_eq(rf_kindlat_run(s.items, NI, NS, s.ans, s.kind, s.n, &cur, &o, &res, &err), RF_OK,
                 "%s", err.msg);
    for (size_t c = 0; c < NK; c++)
        cr_expect(!res.kind[c].accept && !res.est[c * NS].proposed);
    cr_expect(!res.l_accept);
    rf_kindlat_result_cleanup(&res);
    sim_free(&s);
}
