/* Calibration: parameter recovery on generated data, agreement with a plain
 * reference EM, agreement between kernels, published LSAT values, fixed-item
 * calibration, item fit, output round trips and every bad-input path. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank/params.h"
#include "bank/responses.h"
#include "base/rng.h"
#include "calib/calib.h"
#include "ref_em.h"

/* Generated data: persons with theta ~ N(mu, sd^2), responses drawn from
 * items; cells missing with probability miss. */
struct gen {
    size_t n, J;
    signed char *x;
    char **ids;
};

static void gen_data(struct gen *g, const struct rf_irt_item *items, size_t n, size_t J, double mu,
                     double sd, double miss, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    g->n = n;
    g->J = J;
    g->x = malloc(n * J);
    g->ids = malloc(J * sizeof *g->ids);
    cr_assert(g->x && g->ids);
    for (size_t j = 0; j < J; j++) {
        g->ids[j] = malloc(16);
        snprintf(g->ids[j], 16, "i%zu", j + 1);
    }
    for (size_t i = 0; i < n; i++) {
        double th = mu + sd * rf_rng_normal(&r);
        for (size_t j = 0; j < J; j++) {
            double u = rf_rng_uniform(&r), m = rf_rng_uniform(&r);
            size_t k = 0;
            double cum = 0;
            for (k = 0; k + 1 < items[j].ncat; k++) {
                cum += rf_irt_prob(&items[j], th, k);
                if (u < cum)
                    break;
            }
            g->x[i * J + j] = m < miss ? -1 : (signed char)k;
        }
    }
}

static void gen_free(struct gen *g)
{
    for (size_t j = 0; j < g->J; j++)
        free(g->ids[j]);
    free(g->ids);
    free(g->x);
}

static struct rf_calib_data data_of(const struct gen *g)
{
    struct rf_calib_data d = {
        .npersons = g->n, .nitems = g->J, .item_ids = (const char *const *)g->ids, .x = g->x};
    return d;
}

static void true_items(struct rf_irt_item *items, size_t J, enum rf_model m, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (size_t j = 0; j < J; j++) {
        double a = 0.8 + 1.2 * rf_rng_uniform(&r), b = -2.0 + 4.0 * rf_rng_uniform(&r);
        if (m == RF_MODEL_3PL) {
            a = 1.0 + 1.0 * rf_rng_uniform(&r);
            b = -1.5 + 3.0 * rf_rng_uniform(&r);
        }
        double c = m == RF_MODEL_3PL ? 0.1 + 0.15 * rf_rng_uniform(&r) : 0.0;
        if (m == RF_MODEL_GRM) {
            double thr[3] = {b - 1.0, b, b + 1.0};
            rf_irt_item_grm(&items[j], a, thr, 4);
        } else {
            rf_irt_item_dich(&items[j], m, a, b, c);
        }
    }
}

static double rmse_ab(const struct rf_calib_result *res, const struct rf_irt_item *t, size_t J,
                      int which)
{
    double s = 0;
    for (size_t j = 0; j < J; j++) {
        double e = which == 0 ? res->items[j].it.a - t[j].a : res->items[j].it.b - t[j].b;
        s += e * e;
    }
    return sqrt(s / (double)J);
}

Test(calib, recovery_2pl)
{
    enum { N = 10000, J = 50 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_2PL, 11);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0, 12);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.threads = 2;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    double ra = rmse_ab(&res, t, J, 0), rb = rmse_ab(&res, t, J, 1);
    cr_expect(res.converged, "converged in %zu cycles", res.iterations);
    /* the bounds: RMSE of a and of b <= 0.06 at N = 10,000 */
    cr_expect(ra <= 0.06, "RMSE a = %g", ra);
    cr_expect(rb <= 0.06, "RMSE b = %g", rb);
    cr_expect_str_eq(res.kernel, "dense-binary");
    /* 50 items of a in [0.8, 2]: reliability well above 0.85 */
    cr_expect(res.reliability > 0.85 && res.reliability < 1, "reliability %g", res.reliability);
    /* SEs are finite and of the size sqrt(1/N) suggests */
    for (size_t j = 0; j < J; j++)
        cr_expect(res.items[j].se_a > 0.01 && res.items[j].se_a < 0.15 &&
                      res.items[j].se_b[0] > 0.005 && res.items[j].se_b[0] < 0.2,
                  "item %zu: se_a %g se_b %g", j, res.items[j].se_a, res.items[j].se_b[0]);
    /* S-X2 on data the model generated: few small p-values (5% expected) */
    size_t small = 0;
    for (size_t j = 0; j < J; j++)
        small += res.items[j].sx2_p < 0.01;
    cr_expect(small <= 3, "%zu of %d items with S-X2 p < 0.01 on well-fitting data", small, J);
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

/* Numeric entry (2PL) and multiple select (GRM with 1-3 keys: 2-4 categories,
 * thresholds spaced as the bank's priors) calibrated together, each item by
 * its own model (opts.item_model), from 5,000 persons who each answered
 * about 60% of the items. The figures go to docs/calibration.md
 * ("Numeric entry and multiple select"): run with --verbose. */
Test(calib, recovery_numeric_and_multi, .timeout = 120)
{
    enum { N = 5000, JN = 20, JM = 20, J = JN + JM };
    struct rf_irt_item t[J];
    enum rf_model models[J];
    struct rf_rng r;
    rf_rng_seed(&r, 31);
    for (size_t j = 0; j < J; j++) {
        double a = 0.8 + 0.8 * rf_rng_uniform(&r), b = -1.5 + 3.0 * rf_rng_uniform(&r);
        if (j < JN) {
            rf_irt_item_dich(&t[j], RF_MODEL_2PL, a, b, 0);
            models[j] = RF_MODEL_2PL;
        } else {
            size_t m = 1 + j % 3;
            double thr[3];
            for (size_t k = 1; k <= m; k++)
                thr[k - 1] = b + ((double)k - (double)(m + 1) / 2.0) * 0.8;
            rf_irt_item_grm(&t[j], a, thr, m + 1);
            models[j] = RF_MODEL_GRM;
        }
    }
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0.4, 32);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.threads = 2;
    o.item_model = models;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect(res.converged, "converged in %zu cycles", res.iterations);
    cr_expect(res.per_item);
    double sa[2] = {0}, sb[2] = {0};
    size_t nb[2] = {0};
    for (size_t j = 0; j < J; j++) {
        int multi = j >= JN;
        cr_assert_eq(res.items[j].it.model, models[j], "item %zu", j);
        cr_assert_eq(res.items[j].it.ncat, t[j].ncat, "item %zu: categories", j);
        double ea = res.items[j].it.a - t[j].a;
        sa[multi] += ea * ea;
        for (size_t k = 0; k + 1 < t[j].ncat; k++) {
            double eb = multi ? res.items[j].it.thr[k] - t[j].thr[k] : res.items[j].it.b - t[j].b;
            sb[multi] += eb * eb;
            nb[multi]++;
        }
    }
    double ra_n = sqrt(sa[0] / JN), rb_n = sqrt(sb[0] / (double)nb[0]);
    double ra_m = sqrt(sa[1] / JM), rb_m = sqrt(sb[1] / (double)nb[1]);
    cr_log_info("recovery, N = %d, 60%% answered: numeric (2PL, %d items) RMSE a %.3f, b %.3f; "
                "multi (GRM, %d items, %zu thresholds) RMSE a %.3f, thresholds %.3f; %zu cycles",
                N, JN, ra_n, rb_n, JM, nb[1], ra_m, rb_m, res.iterations);
    cr_expect(ra_n <= 0.10 && rb_n <= 0.10, "numeric: RMSE a %g, b %g", ra_n, rb_n);
    cr_expect(ra_m <= 0.10 && rb_m <= 0.10, "multi: RMSE a %g, thresholds %g", ra_m, rb_m);
    rf_calib_result_cleanup(&res);
    /* the 1pl's common slope is not one item's model */
    o.model = RF_MODEL_1PL;
    struct rf_calib *c;
    cr_assert_eq(rf_calib_new(&d, &o, &c, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "1pl"), "%s", err.msg);
    gen_free(&g);
}

Test(calib, recovery_3pl_with_prior)
{
    enum { N = 20000, J = 50 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_3PL, 21);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0, 22);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = RF_MODEL_3PL;
    o.tol = 1e-3;
    o.threads = 2;
    o.want_fit = 0;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    double rb = rmse_ab(&res, t, J, 1);
    /* the bound: RMSE of b <= 0.10 at N = 20,000 with a prior on c */
    cr_expect(rb <= 0.10, "3PL RMSE b = %g after %zu cycles", rb, res.iterations);
    double sc = 0;
    for (size_t j = 0; j < J; j++)
        sc += pow(res.items[j].it.c - t[j].c, 2);
    cr_expect(sqrt(sc / J) <= 0.06, "RMSE c = %g", sqrt(sc / J));
    cr_expect(res.items[0].se_c > 0, "se_c");
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

/* The fast EM (any kernel) and the loop-only reference reach the same optimum. */
static void versus_reference(enum rf_model m, double miss, enum rf_calib_kernel kern, uint64_t seed)
{
    enum { N = 800, J = 7 };
    struct rf_irt_item t[J], ref[J];
    true_items(t, J, m, seed);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, miss, seed + 1);
    size_t ncat[J];
    for (size_t j = 0; j < J; j++)
        ncat[j] = t[j].ncat;
    double ll_ref = ref_em(g.x, N, J, m, ncat, 61, 1e-8, 5000, ref);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = m;
    o.tol = 1e-8;
    o.max_iter = 5000;
    o.kernel = kern;
    o.collapse = 0;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_assert(res.converged);
    /* tolerances of the issue: log-likelihood 1e-6 relative, parameters 1e-4 */
    cr_expect(fabs(res.loglik - ll_ref) <= 1e-6 * fabs(ll_ref), "%s: loglik %.10f vs ref %.10f",
              rf_irt_model_name(m), res.loglik, ll_ref);
    for (size_t j = 0; j < J; j++) {
        cr_expect(fabs(res.items[j].it.a - ref[j].a) <= 1e-4, "item %zu a %.6f vs ref %.6f", j,
                  res.items[j].it.a, ref[j].a);
        for (size_t k = 0; k + 1 < ncat[j]; k++) {
            double b = m == RF_MODEL_GRM ? res.items[j].it.thr[k] : res.items[j].it.b;
            double br = m == RF_MODEL_GRM ? ref[j].thr[k] : ref[j].b;
            cr_expect(fabs(b - br) <= 1e-4, "item %zu threshold %zu %.6f vs ref %.6f", j, k, b, br);
        }
    }
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

Test(calib, reference_2pl_complete_dense_binary)
{
    versus_reference(RF_MODEL_2PL, 0.0, RF_CALIB_AUTO, 31);
}

Test(calib, reference_2pl_missing_dense)
{
    versus_reference(RF_MODEL_2PL, 0.2, RF_CALIB_DENSE, 41);
}

Test(calib, reference_2pl_missing_sparse)
{
    versus_reference(RF_MODEL_2PL, 0.2, RF_CALIB_SPARSE, 51);
}

Test(calib, reference_grm)
{
    versus_reference(RF_MODEL_GRM, 0.1, RF_CALIB_AUTO, 61);
}

/* Same data, different routes: dense vs sparse kernel, collapsing, thread
 * counts, CSR input. Only summation order differs, so 1e-8 is ample. */
Test(calib, kernels_threads_and_collapsing_agree)
{
    enum { N = 2000, J = 6 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_2PL, 71);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0.3, 72);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.tol = 1e-8;
    o.collapse = 0;
    o.kernel = RF_CALIB_DENSE;
    struct rf_calib_result base, other;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &base, &err), RF_OK, "%s", err.msg);
    cr_expect_eq(base.npatterns + base.npersons_empty, N);
    /* CSR copy of the data */
    size_t *rp = calloc(N + 1, sizeof *rp);
    uint32_t *col = malloc(N * J * sizeof *col);
    signed char *val = malloc(N * J);
    size_t e = 0;
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < J; j++)
            if (g.x[i * J + j] >= 0) {
                col[e] = (uint32_t)j;
                val[e++] = g.x[i * J + j];
            }
        rp[i + 1] = e;
    }
    struct rf_calib_data sp = {.npersons = N,
                               .nitems = J,
                               .item_ids = (const char *const *)g.ids,
                               .row_ptr = rp,
                               .col = col,
                               .val = val};
    for (int variant = 0; variant < 4; variant++) {
        struct rf_calib_opts v = o;
        const struct rf_calib_data *dd = &d;
        if (variant == 0)
            v.collapse = 1;
        if (variant == 1)
            v.threads = 2;
        if (variant == 2)
            v.kernel = RF_CALIB_SPARSE;
        if (variant == 3) {
            v.kernel = RF_CALIB_AUTO;
            v.threads = 3;
            dd = &sp;
        }
        cr_assert_eq(rf_calib_run(dd, &v, &other, &err), RF_OK, "%s", err.msg);
        if (variant == 0)
            cr_expect(other.npatterns < N / 2, "6 items with missing cells: %zu patterns",
                      other.npatterns);
        if (variant == 2)
            cr_expect_str_eq(other.kernel, "sparse");
        if (variant == 3) /* 70% filled CSR input is copied dense for the GEMM kernel */
            cr_expect_str_eq(other.kernel, "dense");
        cr_expect(fabs(other.loglik - base.loglik) < 1e-8 * fabs(base.loglik),
                  "variant %d: loglik %.12f vs %.12f", variant, other.loglik, base.loglik);
        cr_expect_eq(other.iterations, base.iterations, "variant %d", variant);
        for (size_t j = 0; j < J; j++) {
            cr_expect(fabs(other.items[j].it.a - base.items[j].it.a) < 1e-8, "variant %d", variant);
            cr_expect(fabs(other.items[j].it.b - base.items[j].it.b) < 1e-8, "variant %d", variant);
            cr_expect(fabs(other.items[j].se_a - base.items[j].se_a) < 1e-8, "variant %d se",
                      variant);
        }
        rf_calib_result_cleanup(&other);
    }
    free(rp);
    free(col);
    free(val);
    rf_calib_result_cleanup(&base);
    gen_free(&g);
}

/* The sparse kernel accumulates the SE cross-product in 2 x 2 tiles with a
 * marker array for the parameters a person touches; the dense kernel uses one
 * DSYRK on row-major score vectors. Both must give the same standard errors:
 * 1PL (one slope shared by every item, so a person touches it once per
 * answer), 3PL (three parameters per item, so items straddle tiles) and GRM,
 * 9 items (an odd parameter count), 40% of the cells missing. */
static void sparse_se_agrees(enum rf_model m, uint64_t seed)
{
    enum { N = 1500, J = 9 };
    struct rf_irt_item t[J];
    true_items(t, J, m, seed);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0.4, seed + 1);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = m;
    o.tol = 1e-8;
    o.max_iter = 5000;
    o.collapse = 0;
    struct rf_calib_result dense, sparse;
    struct rf_err err;
    o.kernel = RF_CALIB_DENSE;
    cr_assert_eq(rf_calib_run(&d, &o, &dense, &err), RF_OK, "%s", err.msg);
    o.kernel = RF_CALIB_SPARSE;
    o.threads = 2;
    cr_assert_eq(rf_calib_run(&d, &o, &sparse, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(sparse.kernel, "sparse");
    size_t nse = 0;
    for (size_t j = 0; j < J; j++) {
        const struct rf_calib_item *p = &dense.items[j], *q = &sparse.items[j];
        double a[2 + 2 * (RF_MAX_CATEGORIES - 1)] = {p->se_a, p->se_c},
                                              b[2 + 2 * (RF_MAX_CATEGORIES - 1)] = {q->se_a,
                                                                                    q->se_c};
        for (size_t k = 0; k < RF_MAX_CATEGORIES - 1; k++) {
            a[2 + k] = p->se_b[k], b[2 + k] = q->se_b[k];
            a[2 + RF_MAX_CATEGORIES - 1 + k] = p->se_d[k];
            b[2 + RF_MAX_CATEGORIES - 1 + k] = q->se_d[k];
        }
        for (size_t k = 0; k < sizeof a / sizeof a[0]; k++) {
            cr_expect(isnan(a[k]) == isnan(b[k]), "%s item %zu se %zu: %g vs %g",
                      rf_irt_model_name(m), j, k, a[k], b[k]);
            if (isnan(a[k]) || isnan(b[k]))
                continue;
            nse += a[k] > 0;
            cr_expect(fabs(a[k] - b[k]) <= 1e-7 * a[k],
                      "%s item %zu se %zu: dense %.12g sparse %.12g", rf_irt_model_name(m), j, k,
                      a[k], b[k]);
        }
    }
    cr_expect(nse >= J, "%s: only %zu standard errors compared", rf_irt_model_name(m), nse);
    rf_calib_result_cleanup(&dense);
    rf_calib_result_cleanup(&sparse);
    gen_free(&g);
}

Test(calib, sparse_se_1pl)
{
    sparse_se_agrees(RF_MODEL_1PL, 91);
}

Test(calib, sparse_se_3pl)
{
    sparse_se_agrees(RF_MODEL_3PL, 93);
}

Test(calib, sparse_se_grm)
{
    sparse_se_agrees(RF_MODEL_GRM, 95);
}

/* LSAT section 6 (Bock & Lieberman 1970; the LSAT data of R's ltm): 1000
 * persons, 5 items, as the 32 pattern frequencies. */
static const int lsat6_freq[32] = {3,  6,  2,  11, 1, 1,  3,  4,  1,  8,  0,  16,  0,  3,  2,  15,
                                   10, 29, 14, 81, 3, 28, 15, 80, 16, 56, 21, 173, 11, 61, 28, 298};

static void lsat6(struct gen *g)
{
    g->n = 1000;
    g->J = 5;
    g->x = malloc(1000 * 5);
    g->ids = malloc(5 * sizeof *g->ids);
    for (size_t j = 0; j < 5; j++) {
        g->ids[j] = malloc(16);
        snprintf(g->ids[j], 16, "Item%zu", j + 1);
    }
    size_t i = 0;
    for (int p = 0; p < 32; p++)
        for (int f = 0; f < lsat6_freq[p]; f++, i++)
            for (int j = 0; j < 5; j++)
                g->x[i * 5 + (size_t)j] = (signed char)((p >> (4 - j)) & 1);
    cr_assert_eq(i, 1000);
}

/* Published estimates of ltm (Rizopoulos 2006, ltm's LSAT examples):
 * ltm(LSAT ~ z1) and rasch(LSAT) with a free common slope. ltm integrates
 * with 21-point Gauss-Hermite quadrature, rolefit with 61 even nodes on
 * [-6, 6], so estimates agree to a few 1e-3 rather than exactly (slopes
 * 2e-3, the extreme difficulties near -3 within 5e-3); the
 * log-likelihoods (printed by ltm to 3 decimals) agree to 1e-3. SEs: ltm
 * inverts the observed Hessian, rolefit the cross-product of scores, which
 * estimate the same information; they agree within 5% here. */
Test(calib, lsat6_matches_ltm)
{
    static const double b2[5] = {-3.3597, -1.3696, -0.2799, -1.8659, -3.1236};
    static const double a2[5] = {0.8254, 0.7229, 0.8905, 0.6886, 0.6575};
    static const double seb2[5] = {0.8669, 0.3073, 0.0997, 0.4341, 0.8700};
    static const double sea2[5] = {0.2581, 0.1867, 0.2326, 0.1852, 0.2100};
    static const double b1[5] = {-3.6153, -1.3224, -0.3176, -1.7301, -2.7802};
    struct gen g;
    lsat6(&g);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.tol = 1e-6;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect(fabs(res.loglik - -2466.653) < 1e-3, "2PL loglik %.6f (ltm -2466.653)", res.loglik);
    cr_expect(fabs(res.aic - 4953.307) < 2e-3 && fabs(res.bic - 5002.384) < 2e-3,
              "AIC %.4f BIC %.4f (ltm 4953.307, 5002.384)", res.aic, res.bic);
    cr_expect_eq(res.npatterns, 30, "30 distinct patterns among the 1000 rows");
    for (size_t j = 0; j < 5; j++) {
        cr_expect(fabs(res.items[j].it.b - b2[j]) < 5e-3, "item %zu b %.4f (ltm %.4f)", j + 1,
                  res.items[j].it.b, b2[j]);
        cr_expect(fabs(res.items[j].it.a - a2[j]) < 2e-3, "item %zu a %.4f (ltm %.4f)", j + 1,
                  res.items[j].it.a, a2[j]);
        cr_expect(fabs(res.items[j].se_b[0] / seb2[j] - 1) < 0.05, "item %zu se_b %.4f (%.4f)",
                  j + 1, res.items[j].se_b[0], seb2[j]);
        cr_expect(fabs(res.items[j].se_a / sea2[j] - 1) < 0.05, "item %zu se_a %.4f (%.4f)", j + 1,
                  res.items[j].se_a, sea2[j]);
    }
    rf_calib_result_cleanup(&res);
    o.model = RF_MODEL_1PL;
    o.tol = 1e-7;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect(fabs(res.loglik - -2466.938) < 1e-3, "1PL loglik %.6f (ltm -2466.938)", res.loglik);
    cr_expect_eq(res.npar, 6);
    for (size_t j = 0; j < 5; j++) {
        cr_expect(fabs(res.items[j].it.b - b1[j]) < 1e-3, "1PL item %zu b %.4f (ltm %.4f)", j + 1,
                  res.items[j].it.b, b1[j]);
        cr_expect(fabs(res.items[j].it.a - 0.7551) < 1e-3, "1PL common a %.4f (ltm 0.7551)",
                  res.items[j].it.a);
        cr_expect_eq(res.items[j].it.model, RF_MODEL_1PL);
    }
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

/* LSAT section 7 (Bock & Lieberman 1970; mirt's LSAT7) as pattern
 * frequencies, and mirt's documented fit of it: `mirt(expand.table(LSAT7), 1)`
 * (mirt 1.45, 61 nodes on [-6, 6], TOL 1e-4, Ramsay acceleration) prints
 * log-likelihood -2658.805, AIC 5337.61, BIC 5386.688 and coef() slopes and
 * intercepts to 3 decimals. Same model, grid and tolerance here: the
 * log-likelihood agrees to its printed digits and every parameter within
 * 2e-3 (mirt's rounding plus where each EM stops within TOL). */
Test(calib, lsat7_matches_mirt)
{
    static const int freq[32] = {12, 19, 1,  7,  3,  19, 3,  17, 10, 5,  3, 7,  7,  23,  8,  28,
                                 7,  39, 11, 34, 14, 51, 15, 90, 6,  25, 7, 35, 18, 136, 32, 308};
    static const double a[5] = {0.988, 1.081, 1.706, 0.765, 0.736};
    static const double d[5] = {1.856, 0.808, 1.804, 0.486, 1.855};
    struct gen g;
    g.n = 1000;
    g.J = 5;
    g.x = malloc(1000 * 5);
    g.ids = malloc(5 * sizeof *g.ids);
    for (size_t j = 0; j < 5; j++) {
        g.ids[j] = malloc(16);
        snprintf(g.ids[j], 16, "Item.%zu", j + 1);
    }
    size_t i = 0;
    for (int p = 0; p < 32; p++)
        for (int f = 0; f < freq[p]; f++, i++)
            for (int j = 0; j < 5; j++)
                g.x[i * 5 + (size_t)j] = (signed char)((p >> (4 - j)) & 1);
    cr_assert_eq(i, 1000);
    struct rf_calib_data dd = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o); /* 61 nodes on [-6, 6], tol 1e-4: mirt's defaults */
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&dd, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect(fabs(res.loglik - -2658.805) < 1e-3, "loglik %.6f (mirt -2658.805)", res.loglik);
    cr_expect(fabs(res.aic - 5337.61) < 1e-2 && fabs(res.bic - 5386.688) < 1e-3,
              "AIC %.4f BIC %.4f (mirt 5337.61, 5386.688)", res.aic, res.bic);
    for (size_t j = 0; j < 5; j++) {
        double dj = -res.items[j].it.a * res.items[j].it.b;
        cr_expect(fabs(res.items[j].it.a - a[j]) < 2e-3, "item %zu a %.4f (mirt %.3f)", j + 1,
                  res.items[j].it.a, a[j]);
        cr_expect(fabs(dj - d[j]) < 2e-3, "item %zu d %.4f (mirt %.3f)", j + 1, dj, d[j]);
    }
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

/* Pretest calibration: operational items fixed at their true values, a
 * sample from N(0.5, 1.2^2); the latent distribution is estimated and the new
 * items land on the operational scale. */
Test(calib, fixed_items_put_pretest_items_on_scale)
{
    enum { N = 8000, J = 30, JF = 20 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_2PL, 81);
    struct gen g;
    gen_data(&g, t, N, J, 0.5, 1.2, 0, 82);
    struct rf_param_table ft = {0};
    ft.n = JF + 1;
    ft.ids = calloc(ft.n, sizeof *ft.ids);
    ft.items = calloc(ft.n, sizeof *ft.items);
    for (size_t j = 0; j < JF; j++) {
        ft.ids[j] = strdup(g.ids[j]);
        ft.items[j] = t[j];
    }
    ft.ids[JF] = strdup("not-in-data");
    ft.items[JF] = t[0];
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.fixed = &ft;
    o.tol = 1e-5;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect_eq(res.nfixed_unused, 1);
    cr_expect(fabs(res.latent_mean - 0.5) < 0.06 && fabs(res.latent_sd - 1.2) < 0.06,
              "latent N(%g, %g^2), generated N(0.5, 1.2^2)", res.latent_mean, res.latent_sd);
    for (size_t j = 0; j < JF; j++) {
        cr_expect(res.items[j].fixed && res.items[j].it.a == t[j].a && isnan(res.items[j].se_a));
    }
    double sb = 0;
    for (size_t j = JF; j < J; j++)
        sb += pow(res.items[j].it.b - t[j].b, 2);
    cr_expect(sqrt(sb / (J - JF)) < 0.08, "pretest RMSE b %g", sqrt(sb / (J - JF)));
    /* without anchoring the same items would sit about 0.5 lower on the scale */
    rf_calib_result_cleanup(&res);
    rf_params_cleanup(&ft);
    gen_free(&g);
}

Test(calib, sx2_flags_a_misfitting_item)
{
    enum { N = 4000, J = 20 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_2PL, 91);
    /* item 0 is really a 3PL with heavy guessing: a 2PL cannot fit its lower tail */
    rf_irt_item_dich(&t[0], RF_MODEL_3PL, 2.5, 0.8, 0.35);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0, 92);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect(res.items[0].sx2_p < 1e-3, "misfitting item: S-X2 %g df %zu p %g", res.items[0].sx2,
              res.items[0].sx2_df, res.items[0].sx2_p);
    cr_expect(res.items[0].sx2_df > 5 && res.items[0].sx2_df < J);
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

Test(calib, chisq_upper_tail)
{
    /* 95th percentiles of chi-square tables (Abramowitz & Stegun 26.8) */
    cr_expect(fabs(rf_calib_chisq_upper(3.841459, 1) - 0.05) < 1e-6);
    cr_expect(fabs(rf_calib_chisq_upper(18.307038, 10) - 0.05) < 1e-6);
    cr_expect(fabs(rf_calib_chisq_upper(124.342113, 100) - 0.05) < 1e-6);
    cr_expect(fabs(rf_calib_chisq_upper(2.0, 2) - exp(-1.0)) < 1e-12);
    cr_expect(rf_calib_chisq_upper(0, 3) == 1.0);
    cr_expect(isnan(rf_calib_chisq_upper(1, 0)));
}

/* JSON and CSV outputs load back through rf_params_load with the same values. */
Test(calib, output_round_trips_through_params_load)
{
    enum { N = 2000, J = 5 };
    struct rf_irt_item t[J];
    true_items(t, J, RF_MODEL_GRM, 101);
    struct gen g;
    gen_data(&g, t, N, J, 0, 1, 0.1, 102);
    struct rf_calib_data d = data_of(&g);
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = RF_MODEL_GRM;
    struct rf_calib_result res;
    struct rf_err err;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &err), RF_OK, "%s", err.msg);
    cr_expect_str_eq(res.kernel, "dense");
    cr_expect_not_null(res.fit_note, "S-X2 needs complete dichotomous data");
    char dir[] = "/tmp/rf-calib-XXXXXX", pj[64], pc[64];
    cr_assert(mkdtemp(dir));
    snprintf(pj, sizeof pj, "%s/p.json", dir);
    snprintf(pc, sizeof pc, "%s/p.csv", dir);
    json_t *root;
    cr_assert_eq(rf_calib_result_to_json(&res, &root), RF_OK);
    cr_assert_eq(json_dump_file(root, pj, JSON_REAL_PRECISION(17)), 0);
    json_decref(root);
    struct rf_buf b;
    rf_buf_init(&b, 1 << 20);
    cr_assert_eq(rf_calib_result_to_csv(&res, &b), RF_OK);
    FILE *f = fopen(pc, "w");
    fputs(rf_buf_str(&b), f);
    fclose(f);
    rf_buf_cleanup(&b);
    for (int k = 0; k < 2; k++) {
        struct rf_param_table pt;
        cr_assert_eq(rf_params_load(k ? pc : pj, &pt, &err), RF_OK, "%s", err.msg);
        cr_assert_eq(pt.n, J);
        double tolv = k ? 1e-6 : 1e-12; /* CSV prints 6 decimals */
        for (size_t j = 0; j < J; j++) {
            cr_expect_str_eq(pt.ids[j], res.ids[j]);
            cr_expect_eq(pt.items[j].ncat, 4);
            cr_expect(fabs(pt.items[j].a - res.items[j].it.a) < tolv);
            for (size_t c = 0; c < 3; c++)
                cr_expect(fabs(pt.items[j].thr[c] - res.items[j].it.thr[c]) < tolv);
        }
        rf_params_cleanup(&pt);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    rf_calib_result_cleanup(&res);
    gen_free(&g);
}

/* ---- bad input: one-line errors naming the item, or counted warnings ---- */

static rf_status run_small(const char *csv, enum rf_model m, struct rf_calib_result *res,
                           struct rf_err *err)
{
    struct rf_responses r;
    rf_status rc = rf_responses_parse("t.csv", csv, strlen(csv), RF_MAX_CATEGORIES, &r, err);
    cr_assert_eq(rc, RF_OK, "%s", err->msg);
    struct rf_calib_data d = {.npersons = r.npersons,
                              .nitems = r.nitems,
                              .item_ids = (const char *const *)r.item_ids,
                              .x = r.x};
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = m;
    rf_err_clear(err);
    rc = rf_calib_run(&d, &o, res, err);
    rf_responses_cleanup(&r);
    return rc;
}

Test(calib, errors_and_warnings)
{
    struct rf_calib_result res;
    struct rf_err err;
    cr_expect_eq(run_small("q1,q2,q3\n1,0,1\n1,1,0\n1,0,0\n1,1,1\n", RF_MODEL_2PL, &res, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "item 'q1': no variance (all 4 responses are 1)"), "%s", err.msg);
    cr_expect_eq(run_small("q1,q2\n1,0\n2,1\n0,1\n", RF_MODEL_2PL, &res, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "item 'q1': category 2 in the data, but a 2pl item takes 0 or 1"),
              "%s", err.msg);
    cr_expect_eq(run_small("q1,q2\n,0\n,1\n", RF_MODEL_2PL, &res, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "item 'q1': no responses"), "%s", err.msg);
    cr_expect_eq(run_small("q1,q2\n0,0\n2,1\n0,1\n2,0\n", RF_MODEL_GRM, &res, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "item 'q1': category 1 is never observed"), "%s", err.msg);
    cr_expect_eq(run_small("q1,q2\n,\n,\n", RF_MODEL_2PL, &res, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "no responses") || strstr(err.msg, "no person"), "%s", err.msg);
    /* persons without responses: ignored and counted, estimates finite */
    cr_assert_eq(run_small("q1,q2,q3\n1,0,1\n,,\n0,1,0\n1,1,0\n0,0,1\n1,0,0\n,,\n0,1,1\n",
                           RF_MODEL_2PL, &res, &err),
                 RF_OK, "%s", err.msg);
    cr_expect_eq(res.npersons_empty, 2);
    cr_expect_eq(res.npersons, 8);
    for (size_t j = 0; j < 3; j++)
        cr_expect(isfinite(res.items[j].it.a) && isfinite(res.items[j].it.b) &&
                  isfinite(res.loglik));
    rf_calib_result_cleanup(&res);
    /* ragged rows never reach calibration: the reader names the line */
    struct rf_responses r;
    cr_expect_eq(rf_responses_parse("t.csv", "q1,q2\n1,0\n1\n", 11, 2, &r, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "t.csv:3: 1 fields, the header has 2"), "%s", err.msg);
}

Test(calib, fixed_table_errors_and_bad_options)
{
    const char *ids[2] = {"q1", "q2"};
    signed char x[8] = {1, 0, 0, 1, 1, 1, 0, 0};
    struct rf_calib_data d = {.npersons = 4, .nitems = 2, .item_ids = ids, .x = x};
    struct rf_param_table ft = {0};
    ft.n = 1;
    char *fid = strdup("zz");
    ft.ids = &fid;
    struct rf_irt_item it;
    rf_irt_item_dich(&it, RF_MODEL_2PL, 1, 0, 0);
    ft.items = &it;
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.fixed = &ft;
    struct rf_calib *c;
    struct rf_err err;
    cr_expect_eq(rf_calib_new(&d, &o, &c, &err), RF_ENOTFOUND);
    cr_expect(strstr(err.msg, "none of the 1 ids of the fixed table"), "%s", err.msg);
    /* every item fixed: nothing to estimate */
    const char *ids1[1] = {"zz"};
    struct rf_calib_data d1 = {.npersons = 4, .nitems = 1, .item_ids = ids1, .x = x};
    cr_expect_eq(rf_calib_new(&d1, &o, &c, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "every item is fixed"), "%s", err.msg);
    /* a fixed binary item cannot take category 2 */
    signed char x2[4] = {2, 0, 1, 0};
    struct rf_calib_data d2 = {
        .npersons = 2, .nitems = 2, .item_ids = (const char *[]){"zz", "q"}, .x = x2};
    o.model = RF_MODEL_GRM;
    cr_expect_eq(rf_calib_new(&d2, &o, &c, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "item 'zz': category 2 in the data but the fixed item has 2"), "%s",
              err.msg);
    free(fid);
    rf_calib_opts_default(&o);
    o.nquad = 3;
    cr_expect_eq(rf_calib_new(&d, &o, &c, &err), RF_EINVAL);
    rf_calib_opts_default(&o);
    o.prior_a = 1;
    o.prior_a_sigma = 0;
    cr_expect_eq(rf_calib_new(&d, &o, &c, &err), RF_EINVAL);
    rf_calib_opts_default(&o);
    o.threads = 0;
    cr_expect_eq(rf_calib_new(&d, &o, &c, &err), RF_EINVAL);
    /* malformed CSR: decreasing item indices */
    size_t rp[3] = {0, 2, 3};
    uint32_t col[3] = {1, 0, 0};
    signed char val[3] = {1, 0, 1};
    struct rf_calib_data sp = {
        .npersons = 2, .nitems = 2, .item_ids = ids, .row_ptr = rp, .col = col, .val = val};
    rf_calib_opts_default(&o);
    cr_expect_eq(rf_calib_new(&sp, &o, &c, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "person 1: item indices must increase"), "%s", err.msg);
}
