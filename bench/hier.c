/*
 * The higher-order model (irt/hier.h) in the server's role test, machine
 * learning engineer (8 skills, 30 items), bundled bank, truth a = 1,
 * c = 1/k, the bank's b (server/rolesim.h), one run:
 *  1. mean per-skill posterior SD at the end of the test, and coverage of the
 *     central 95% posterior interval, for people drawn from the higher-order
 *     model with true loading 0.7 and 0.4 (every skill), scored with the
 *     independent prior (lambda 0) and with the assumed lambda 0.7, both with
 *     the population prior only (no role class), 4,000 people each;
 *     the same on a generated calibrated bank (60 per skill, a ~ U(1.2,
 *     2.2), c = 0), and the shipped design (decisions at 0.9, up to 40 items);
 *  2. speed: median time of the next-item decision (rf_cat_next) and of
 *     recording an answer (rf_cat_answer: every marginal is recomputed) with
 *     the design the server uses (lambda 0.7, the role's class in the prior,
 *     the classification objective over every role).
 * Prints figures; asserts nothing. Seeded: the same figures every run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank/bank.h"
#include "base/config.h"
#include "base/rng.h"
#include "careers/data.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "server/rolesim.h"
#include "server/roletest.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *m)
{
    fprintf(stderr, "bench hier: %s\n", m);
    exit(1);
}

/* P(theta <= t) under a posterior on the even grid x (cell convention). */
static double cdf(const double *x, const double *post, size_t n, double t)
{
    double h = x[1] - x[0], s = 0;
    for (size_t i = 0; i < n; i++) {
        double f = (t - (x[i] - 0.5 * h)) / h;
        s += post[i] * (f >= 1 ? 1 : f > 0 ? f : 0);
    }
    return s;
}

/* Runs n people with true loading lt through design d; mean SD and coverage. */
static void study(const struct rf_cat_pool *p, const struct rf_rolesim_truth *tr,
                  const struct rf_cat_design *d, double lt, size_t n, double *sd, double *cov)
{
    struct rf_cat_session *s;
    struct rf_err err;
    if (rf_cat_session_new(p, d, 1, &s, &err))
        die(err.msg);
    struct rf_rng r;
    rf_rng_seed(&r, 2026);
    double ssd = 0, scov = 0;
    size_t cnt = 0;
    for (size_t e = 0; e < n; e++) {
        double g = rf_rng_normal(&r), th[RF_CAT_MAX_SCOPE];
        for (size_t j = 0; j < d->nscope; j++)
            th[j] = lt * g + sqrt(1 - lt * lt) * rf_rng_normal(&r);
        rf_cat_session_reset(s, rf_rng_next(&r));
        for (;;) {
            size_t item;
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            size_t j = 0;
            while (d->scope[j] != p->skill[item])
                j++;
            /* every category of a multiple-select (graded) item, not only 0/1 */
            rf_cat_answer(s, item, rf_cat_sim_draw(&tr->irt[item], th[j], &r));
        }
        for (size_t j = 0; j < d->nscope; j++) {
            struct rf_cat_skill_result res;
            rf_cat_skill(s, j, &res);
            double f = cdf(p->q.x, res.posterior, p->q.n, th[j]);
            ssd += res.se;
            scov += f > 0.025 && f < 0.975;
            cnt++;
        }
    }
    rf_cat_session_free(s);
    *sd = ssd / (double)cnt;
    *cov = scov / (double)cnt;
}

static double median_next(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                          double *answer_med)
{
    struct rf_cat_session *s;
    struct rf_err err;
    if (rf_cat_session_new(p, d, 1, &s, &err))
        die(err.msg);
    enum { NDEC = 200 * RF_WEB_MAX_ITEMS };
    static double t[NDEC], ta[NDEC];
    size_t nd = 0;
    struct rf_rng r;
    rf_rng_seed(&r, 9);
    for (uint64_t e = 0; nd < NDEC; e++) {
        rf_cat_session_reset(s, e);
        for (;;) {
            double t0 = now();
            size_t item;
            rf_cat_next(s, &item);
            double t1 = now();
            if (item == SIZE_MAX || nd == NDEC)
                break;
            rf_cat_answer(s, item, rf_rng_uniform(&r) < 0.5);
            ta[nd] = now() - t1;
            t[nd++] = t1 - t0;
        }
    }
    rf_cat_session_free(s);
    qsort(t, nd, sizeof t[0], cmp_d);
    qsort(ta, nd, sizeof ta[0], cmp_d);
    *answer_med = ta[nd / 2];
    return t[nd / 2];
}

int main(void)
{
    struct rf_careers c;
    struct rf_bank b;
    struct rf_cat_pool *p;
    struct rf_quad q;
    struct rf_err err;
    struct rf_rolesim_truth tr;
    rf_bank_init(&b);
    if (rf_careers_load("data", &c, &err) || rf_bank_load_dir("data/bank", &b, &err) ||
        rf_quad_init_default(&q, &err) ||
        rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED, &q, &p, &err) ||
        rf_rolesim_truth_init(&tr, p, &b, &err))
        die(err.msg);
    const struct rf_role *role = rf_roles_find(&c.roles, "ml_engineer");
    if (!role)
        die("no role ml_engineer");
    struct rf_cat_design d;
    if (rf_roletest_design(&d, p, &c.roles, role, &err))
        die(err.msg);
    struct rf_cat_design pop = d;
    pop.prior_weight = 0; /* the population prior alone: the SD figures */
    /* The SD figures are after a 30-item test: decisions off, 30
     * items (the shipped design, deciding within 40, is the last row). */
    struct rf_cat_design shipped = pop;
    pop.max_items = 30;
    for (size_t j = 0; j < pop.nscope; j++) {
        pop.decide[j] = 0;
        pop.rule[j].max = 30;
    }
    enum { N = 4000 };
    printf("machine learning engineer role test (%zu skills, 30 items; the shipped design up to "
           "%zu), truth a = 1, c = 1/k; "
           "%d people per row\n",
           d.nscope, d.max_items, N);
    printf("  %-10s %-10s %-8s %s\n", "true lam", "assumed", "mean SD", "coverage of 95%");
    double lts[2] = {0.7, 0.4}, las[2] = {0.0, 0.7};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            struct rf_cat_design x = pop;
            for (size_t j = 0; j < x.nscope; j++)
                x.lambda[j] = las[k];
            double sd, cov;
            study(p, &tr, &x, lts[i], N, &sd, &cov);
            printf("  %-10.1f %-10.1f %-8.3f %.3f\n", lts[i], las[k], sd, cov);
        }
    {
        double sd, cov;
        study(p, &tr, &shipped, 0.7, N, &sd, &cov);
        printf("  %-10.1f %-10.1f %-8.3f %.3f  (the shipped design: decisions at 0.9, up to 40)\n",
               0.7, 0.7, sd, cov);
    }
    /* A generated calibrated bank: 60 items per skill, a ~ U(1.2, 2.2), c = 0
     * (2PL), b ~ N(0, 1) clipped to +-2.8; truth = the generated parameters. */
    {
        const char *ids[64];
        size_t ns = c.tax.nskills < 64 ? c.tax.nskills : 64;
        for (size_t k = 0; k < ns; k++)
            ids[k] = c.tax.skills[k].id;
        struct rf_cat_gen g;
        struct rf_cat_pool *gp;
        struct rf_rolesim_truth gt;
        struct rf_rng ra;
        rf_rng_seed(&ra, 77);
        if (rf_cat_generate(ids, ns, 60, RF_MODEL_2PL, 5, &g, &err))
            die(err.msg);
        for (size_t i = 0; i < g.n; i++)
            rf_irt_item_dich(&g.items[i].irt, RF_MODEL_2PL, 1.2 + rf_rng_uniform(&ra),
                             g.items[i].irt.b, 0);
        struct rf_cat_design gd;
        if (rf_cat_pool_new(g.items, g.n, &q, &gp, &err) ||
            rf_rolesim_truth_init(&gt, gp, NULL, &err) ||
            rf_roletest_design(&gd, gp, &c.roles, role, &err))
            die(err.msg);
        gd.prior_weight = 0;
        struct rf_cat_design g30 = gd;
        g30.max_items = 30;
        for (size_t j = 0; j < g30.nscope; j++) {
            g30.decide[j] = 0;
            g30.rule[j].max = 30;
        }
        printf("generated calibrated bank (60 per skill, a ~ U(1.2, 2.2), c = 0), 30 items, "
               "%d people per row\n",
               N / 2);
        double lt2[3] = {0.7, 0.7, 0.4}, la2[3] = {0.0, 0.7, 0.7};
        for (int i = 0; i < 3; i++) {
            struct rf_cat_design x = g30;
            for (size_t j = 0; j < x.nscope; j++)
                x.lambda[j] = la2[i];
            double sd, cov;
            study(gp, &gt, &x, lt2[i], N / 2, &sd, &cov);
            printf("  %-10.1f %-10.1f %-8.3f %.3f\n", lt2[i], la2[i], sd, cov);
        }
        rf_rolesim_truth_cleanup(&gt);
        rf_cat_pool_free(gp);
        rf_cat_gen_cleanup(&g);
    }
    double ans, next = median_next(p, &d, &ans);
    struct rf_cat_design ind = d;
    ind.prior_weight = 0;
    for (size_t j = 0; j < ind.nscope; j++)
        ind.lambda[j] = 0;
    double ans0, next0 = median_next(p, &ind, &ans0);
    printf("\nspeed, the server's design (lambda 0.7, the role's class in the prior, %zu role "
           "classes):\n",
           d.nclasses);
    printf("  next item: median %.2f us (independent prior: %.2f us; target <= 100 us)\n",
           next * 1e6, next0 * 1e6);
    printf("  recording an answer: median %.2f us (independent prior: %.2f us)\n", ans * 1e6,
           ans0 * 1e6);
    rf_rolesim_truth_cleanup(&tr);
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&b);
    rf_careers_cleanup(&c);
    return 0;
}
