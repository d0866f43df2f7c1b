/* The higher-order model (irt/hier.h): lambda = 0 equals the independent
 * model; marginals, component weights and joint tails against brute-force
 * sums over the full grid; against the continuous multivariate normal prior;
 * evidence combined across sessions; range checks. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "base/rng.h"
#include "irt/ability.h"
#include "irt/hier.h"

static struct rf_quad q61;

static void setup(void)
{
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q61, &err), RF_OK);
}

static void teardown(void)
{
    rf_quad_cleanup(&q61);
}

/* A random 3PL or 2PL item and a response drawn from theta. */
static void draw_item(struct rf_rng *r, struct rf_irt_item *it, double theta, size_t *k)
{
    double a = 0.7 + 1.3 * rf_rng_uniform(r), b = -2 + 4 * rf_rng_uniform(r);
    if (rf_rng_below(r, 2))
        rf_irt_item_dich(it, RF_MODEL_3PL, a, b, 0.25);
    else
        rf_irt_item_dich(it, RF_MODEL_2PL, a, b, 0);
    *k = rf_rng_uniform(r) < rf_irt_prob(it, theta, 1) ? 1 : 0;
}

static void lik_of(const struct rf_irt_item *it, size_t k, const struct rf_quad *q, double *out)
{
    for (size_t i = 0; i < q->n; i++)
        out[i] = rf_irt_prob(it, q->x[i], k);
}

TestSuite(hier, .init = setup, .fini = teardown);

/* lambda = 0 and one N(0, 1) component: each marginal is the independent
 * model's posterior (the prior grid weights times the likelihood, renormalized
 * after each answer as the adaptive engine does), to 1e-12; the joint tail
 * is the product of the marginal tails. */
Test(hier, lambda_zero_is_the_independent_model)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 3, 0.0);
    struct rf_hier *h;
    struct rf_hier_state *st;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_hier_state_new(h, &st, &err), RF_OK);
    double post[3][61], lik[61], m[61];
    for (size_t k = 0; k < 3; k++)
        memcpy(post[k], q61.w, sizeof post[k]);
    struct rf_rng r;
    rf_rng_seed(&r, 11);
    double truth[3] = {-1.0, 0.4, 2.1};
    for (int step = 0; step < 45; step++) {
        size_t k = (size_t)step % 3, x;
        struct rf_irt_item it;
        draw_item(&r, &it, truth[k], &x);
        lik_of(&it, x, &q61, lik);
        double tot = 0;
        for (size_t i = 0; i < 61; i++) {
            post[k][i] *= lik[i];
            tot += post[k][i];
        }
        for (size_t i = 0; i < 61; i++)
            post[k][i] /= tot;
        rf_hier_update(st, k, lik);
        for (size_t j = 0; j < 3; j++) {
            rf_hier_marginal(st, j, m, NULL, NULL);
            for (size_t i = 0; i < 61; i++)
                cr_assert(fabs(m[i] - post[j][i]) <= 1e-12, "step %d skill %zu node %zu: %.17g vs %.17g",
                          step, j, i, m[i], post[j][i]);
        }
    }
    size_t ks[3] = {0, 1, 2};
    double cuts[3] = {-1.2, 0.1, 1.5}, prod = 1;
    for (size_t j = 0; j < 3; j++) {
        double t = 0;
        for (size_t i = 0; i < 61; i++) {
            double f = (q61.x[i] + 0.1 - cuts[j]) / 0.2;
            t += post[j][i] * (f >= 1 ? 1 : f > 0 ? f : 0);
        }
        cr_assert(fabs(rf_hier_tail(st, j, cuts[j]) - t) <= 1e-12, "tail %zu", j);
        prod *= t;
    }
    cr_assert(fabs(rf_hier_joint_tail(st, ks, cuts, 3) - prod) <= 1e-12);
    rf_hier_state_free(st);
    rf_hier_free(h);
}

/* The conditional prior of the brute force, written out independently. */
static void brute_kernel(double mu, double tau, double la, double g, double *row)
{
    double s = 0, m = mu + tau * la * g, sd = tau * sqrt(1 - la * la);
    for (size_t i = 0; i < q61.n; i++) {
        double z = (q61.x[i] - m) / sd;
        row[i] = exp(-0.5 * z * z);
        s += row[i];
    }
    for (size_t i = 0; i < q61.n; i++)
        row[i] /= s;
}

/* Two skills, a two-component mixture: the full sum over (component, g node,
 * theta_1 node, theta_2 node) gives the same marginals, component weights and
 * joint tail to 1e-12 (the same discretization, none of the factorization). */
Test(hier, mixture_matches_full_grid_sum)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 2, 0.7);
    sp.lambda[1] = 0.5;
    sp.comp[0].weight = 0.7;
    double mu[2] = {1.2, 0.6}, tau[2] = {0.4, 0.5};
    cr_assert_eq(rf_hier_spec_add(&sp, 0.3, mu, tau, &err), RF_OK);
    struct rf_hier *h;
    struct rf_hier_state *st;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_hier_state_new(h, &st, &err), RF_OK);
    static double L[2][61];
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < 61; i++)
            L[k][i] = 1;
    struct rf_rng r;
    rf_rng_seed(&r, 5);
    double lik[61];
    for (int step = 0; step < 7; step++) { /* 4 answers on skill 0, 3 on skill 1 */
        size_t k = (size_t)step % 2, x;
        struct rf_irt_item it;
        draw_item(&r, &it, 1.0, &x);
        lik_of(&it, x, &q61, lik);
        rf_hier_update(st, k, lik);
        for (size_t i = 0; i < 61; i++)
            L[k][i] *= lik[i];
    }
    static double K0[61], K1[61];
    double marg[2][61] = {{0}}, cw[2] = {0}, joint = 0, tot = 0;
    double cut0 = 0.35, cut1 = -0.2;
    for (size_t c = 0; c < 2; c++) {
        double cm[2] = {c ? mu[0] : 0, c ? mu[1] : 0}, ct[2] = {c ? tau[0] : 1, c ? tau[1] : 1};
        double pi = c ? 0.3 : 0.7;
        for (size_t gi = 0; gi < RF_HIER_G_N; gi++) {
            double g = -RF_HIER_G_LIM + 2 * RF_HIER_G_LIM * (double)gi / (RF_HIER_G_N - 1);
            double phi = exp(-0.5 * g * g);
            brute_kernel(cm[0], ct[0], 0.7, g, K0);
            brute_kernel(cm[1], ct[1], 0.5, g, K1);
            for (size_t i = 0; i < 61; i++)
                for (size_t j = 0; j < 61; j++) {
                    double v = pi * phi * K0[i] * L[0][i] * K1[j] * L[1][j];
                    marg[0][i] += v;
                    marg[1][j] += v;
                    cw[c] += v;
                    tot += v;
                    double f0 = (q61.x[i] + 0.1 - cut0) / 0.2, f1 = (q61.x[j] + 0.1 - cut1) / 0.2;
                    f0 = f0 >= 1 ? 1 : f0 > 0 ? f0 : 0;
                    f1 = f1 >= 1 ? 1 : f1 > 0 ? f1 : 0;
                    joint += v * f0 * f1;
                }
        }
    }
    double m[61];
    for (size_t k = 0; k < 2; k++) {
        rf_hier_marginal(st, k, m, NULL, NULL);
        for (size_t i = 0; i < 61; i++)
            cr_assert(fabs(m[i] - marg[k][i] / tot) <= 1e-12, "skill %zu node %zu: %.15g vs %.15g",
                      k, i, m[i], marg[k][i] / tot);
    }
    for (size_t c = 0; c < 2; c++)
        cr_assert(fabs(rf_hier_comp_weight(st, c) - cw[c] / tot) <= 1e-12, "component %zu", c);
    size_t ks[2] = {0, 1};
    double cuts[2] = {cut0, cut1};
    double jt = rf_hier_joint_tail(st, ks, cuts, 2);
    cr_assert(fabs(jt - joint / tot) <= 1e-12, "joint %.15g vs %.15g", jt, joint / tot);
    /* and the joint is not the product of the marginals: the skills correlate */
    double prod = rf_hier_tail(st, 0, cut0) * rf_hier_tail(st, 1, cut1);
    cr_assert(fabs(jt - prod) > 1e-3, "joint %.6f product %.6f", jt, prod);
    rf_hier_state_free(st);
    rf_hier_free(h);
}

/* Against the continuous prior: theta ~ N(0, [[1, l1 l2], [l1 l2, 1]]) on a
 * fine 2-D grid with no g at all. The g grid's quadrature and the theta grid's
 * discretization of the conditional prior differ from it by less than 2e-3 in
 * the means and SDs, and 2e-3 in the joint tail. */
Test(hier, matches_the_continuous_bivariate_normal)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 2, 0.8);
    sp.lambda[1] = 0.6;
    struct rf_hier *h;
    struct rf_hier_state *st;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &st, &err), RF_OK);
    /* evidence on skill 0 only: five 2PL answers, mostly right */
    struct rf_irt_item its[5];
    size_t xs[5] = {1, 1, 0, 1, 1};
    double lik[61];
    for (size_t i = 0; i < 5; i++) {
        rf_irt_item_dich(&its[i], RF_MODEL_2PL, 1.5, -0.5 + 0.4 * (double)i, 0);
        lik_of(&its[i], xs[i], &q61, lik);
        rf_hier_update(st, 0, lik);
    }
    double rho = 0.8 * 0.6, n = 0, m0 = 0, m1 = 0, s0 = 0, s1 = 0, jt = 0;
    double d = 0.02; /* midpoints of cells of width d: no point falls on a cut */
    for (int ia = 0; ia < 700; ia++)
        for (int ib = 0; ib < 700; ib++) {
            double a = -7 + (ia + 0.5) * d, b = -7 + (ib + 0.5) * d;
            double qf = (a * a - 2 * rho * a * b + b * b) / (1 - rho * rho);
            double v = exp(-0.5 * qf);
            for (size_t i = 0; i < 5; i++)
                v *= rf_irt_prob(&its[i], a, xs[i]);
            n += v;
            m0 += v * a;
            m1 += v * b;
            s0 += v * a * a;
            s1 += v * b * b;
            jt += (a >= 0.5 && b >= 0.0) ? v : 0;
        }
    m0 /= n;
    m1 /= n;
    s0 = sqrt(s0 / n - m0 * m0);
    s1 = sqrt(s1 / n - m1 * m1);
    jt /= n;
    double hm0, hs0, hm1, hs1;
    rf_hier_marginal(st, 0, NULL, &hm0, &hs0);
    rf_hier_marginal(st, 1, NULL, &hm1, &hs1);
    cr_assert(fabs(hm0 - m0) < 2e-3 && fabs(hs0 - s0) < 2e-3, "skill 0: %.5f %.5f vs %.5f %.5f",
              hm0, hs0, m0, s0);
    cr_assert(fabs(hm1 - m1) < 2e-3 && fabs(hs1 - s1) < 2e-3, "skill 1: %.5f %.5f vs %.5f %.5f",
              hm1, hs1, m1, s1);
    cr_assert(hm1 > 0.2, "an answer on skill 0 moves skill 1 through g (%.3f)", hm1);
    size_t ks[2] = {0, 1};
    double cuts[2] = {0.5, 0.0};
    double hj = rf_hier_joint_tail(st, ks, cuts, 2);
    cr_assert(fabs(hj - jt) < 2e-3, "joint %.5f vs %.5f", hj, jt);
    rf_hier_state_free(st);
    rf_hier_free(h);
}

/* Two sessions' evidence combined through their log-likelihoods equals one
 * state that saw every answer (follow-up sessions), to 1e-12. */
Test(hier, sessions_combine_by_loglik)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 3, 0.7);
    struct rf_hier *h;
    struct rf_hier_state *all, *s1, *s2, *comb;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &all, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &s1, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &s2, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &comb, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 99);
    double lik[61], ll[61];
    for (int step = 0; step < 30; step++) {
        size_t k = (size_t)step % 3, x;
        struct rf_irt_item it;
        draw_item(&r, &it, 0.8, &x);
        lik_of(&it, x, &q61, lik);
        rf_hier_update(all, k, lik);
        rf_hier_update(step < 18 ? s1 : s2, k, lik);
    }
    for (size_t k = 0; k < 3; k++) {
        cr_assert(!rf_hier_has_evidence(comb, k));
        rf_hier_loglik(s1, k, ll);
        rf_hier_add_loglik(comb, k, ll);
        rf_hier_loglik(s2, k, ll);
        rf_hier_add_loglik(comb, k, ll);
        cr_assert(rf_hier_has_evidence(comb, k));
    }
    double a[61], b[61];
    for (size_t k = 0; k < 3; k++) {
        rf_hier_marginal(all, k, a, NULL, NULL);
        rf_hier_marginal(comb, k, b, NULL, NULL);
        for (size_t i = 0; i < 61; i++)
            cr_assert(fabs(a[i] - b[i]) <= 1e-12, "skill %zu node %zu", k, i);
    }
    /* a copy is the same state; a reset forgets everything */
    rf_hier_state_copy(s1, all);
    rf_hier_marginal(s1, 2, b, NULL, NULL);
    rf_hier_marginal(all, 2, a, NULL, NULL);
    cr_assert(memcmp(a, b, sizeof a) == 0);
    rf_hier_state_reset(s1);
    double mean, sd;
    rf_hier_marginal(s1, 0, NULL, &mean, &sd);
    /* the discretized conditional priors: SD 1 within 1e-5 */
    cr_assert(fabs(mean) < 1e-12 && fabs(sd - 1) < 1e-5, "prior %.9f %.9f", mean, sd);
    rf_hier_g_moments(s1, &mean, &sd);
    cr_assert(fabs(mean) < 1e-12 && fabs(sd - 1) < 1e-4, "g prior %.9f %.9f", mean, sd);
    rf_hier_state_free(all);
    rf_hier_state_free(s1);
    rf_hier_state_free(s2);
    rf_hier_state_free(comb);
    rf_hier_free(h);
}

/* A person whose answers fit the class moves weight onto it. */
Test(hier, component_weights_follow_the_evidence)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, 2, 0.7);
    sp.comp[0].weight = 0.7;
    double mu[2] = {1.5, 1.5}, tau[2] = {0.4, 0.4};
    cr_assert_eq(rf_hier_spec_add(&sp, 0.3, mu, tau, &err), RF_OK);
    struct rf_hier *h;
    struct rf_hier_state *st;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(h, &st, &err), RF_OK);
    cr_assert(fabs(rf_hier_comp_weight(st, 1) - 0.3) < 1e-12);
    double lik[61];
    struct rf_irt_item it;
    for (int i = 0; i < 8; i++) {
        rf_irt_item_dich(&it, RF_MODEL_2PL, 1.2, 0.8 + 0.1 * i, 0);
        lik_of(&it, 1, &q61, lik);
        rf_hier_update(st, (size_t)i % 2, lik);
    }
    cr_assert(rf_hier_comp_weight(st, 1) > 0.5, "class weight %.3f",
              rf_hier_comp_weight(st, 1));
    rf_hier_state_free(st);
    rf_hier_free(h);
}

/* Without any loading the model uses one g node (no kernel depends on g):
 * marginals, joint tails and component weights equal those of the full g
 * grid, built here with a loading too small to matter (1e-12), to 1e-9; the
 * g moments are the prior's. Thirteen components, as a find-my-role test
 * mixes twelve roles' people into the population. */
Test(hier, no_loading_one_g_node)
{
    struct rf_err err;
    struct rf_hier_spec a, b;
    rf_hier_spec_init(&a, 3, 0.0);
    a.comp[0].weight = 0.7;
    for (int c = 0; c < 12; c++) {
        double mu[3] = {0.5 + 0.1 * c, -0.3 * c, 0}, tau[3] = {0.5, 0.5, c % 2 ? 1.0 : 0.5};
        cr_assert_eq(rf_hier_spec_add(&a, 0.025, mu, tau, &err), RF_OK, "%s", err.msg);
    }
    b = a;
    for (size_t k = 0; k < 3; k++)
        b.lambda[k] = 1e-12;
    struct rf_hier *ha, *hb;
    struct rf_hier_state *sa, *sb;
    cr_assert_eq(rf_hier_new(&a, &q61, &ha, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_hier_new(&b, &q61, &hb, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_hier_state_new(ha, &sa, &err), RF_OK);
    cr_assert_eq(rf_hier_state_new(hb, &sb, &err), RF_OK);
    struct rf_rng r;
    rf_rng_seed(&r, 5);
    double lik[61], pa[61], pb[61];
    for (int i = 0; i < 15; i++) {
        struct rf_irt_item it;
        size_t k;
        draw_item(&r, &it, 1.0, &k);
        lik_of(&it, k, &q61, lik);
        rf_hier_update(sa, (size_t)i % 3, lik);
        rf_hier_update(sb, (size_t)i % 3, lik);
    }
    for (size_t k = 0; k < 3; k++) {
        rf_hier_marginal(sa, k, pa, NULL, NULL);
        rf_hier_marginal(sb, k, pb, NULL, NULL);
        for (size_t q = 0; q < 61; q++)
            cr_assert(fabs(pa[q] - pb[q]) < 1e-9, "skill %zu node %zu", k, q);
    }
    size_t ks[3] = {0, 1, 2};
    double cuts[3] = {0.5, -0.5, 0};
    cr_assert(fabs(rf_hier_joint_tail(sa, ks, cuts, 3) - rf_hier_joint_tail(sb, ks, cuts, 3)) <
              1e-9);
    for (size_t c = 0; c < 13; c++)
        cr_assert(fabs(rf_hier_comp_weight(sa, c) - rf_hier_comp_weight(sb, c)) < 1e-9, "%zu", c);
    double m, sd;
    rf_hier_g_moments(sa, &m, &sd);
    cr_assert(m == 0 && sd == 1, "g %.3f %.3f", m, sd);
    rf_hier_state_free(sa);
    rf_hier_state_free(sb);
    rf_hier_free(ha);
    rf_hier_free(hb);
}

Test(hier, refuses_bad_specs)
{
    struct rf_err err;
    struct rf_hier_spec sp;
    struct rf_hier *h = NULL;
    rf_hier_spec_init(&sp, 2, 0.7);
    sp.lambda[1] = 1.0;
    cr_assert_eq(rf_hier_new(&sp, &q61, &h, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "skill 1: loading") != NULL, "%s", err.msg);
    rf_hier_spec_init(&sp, 0, 0.7);
    cr_assert_eq(rf_hier_spec_check(&sp, &err), RF_EINVAL);
    rf_hier_spec_init(&sp, 2, 0.7);
    double mu[2] = {0, 0}, tau[2] = {1, 0};
    cr_assert_eq(rf_hier_spec_add(&sp, 0.5, mu, tau, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "component 1, skill 1") != NULL, "%s", err.msg);
    tau[1] = 1;
    cr_assert_eq(rf_hier_spec_add(&sp, 0, mu, tau, &err), RF_EINVAL);
    for (int i = 1; i < RF_HIER_MAX_COMPONENTS; i++)
        cr_assert_eq(rf_hier_spec_add(&sp, 1, mu, tau, &err), RF_OK);
    cr_assert_eq(rf_hier_spec_add(&sp, 1, mu, tau, &err), RF_ETOOBIG);
    cr_assert_null(h);
}
