/*
 * Adaptive engine speed and the simulation figures, in one run:
 *  1. next-item decision on a 5,000-item 2PL bank: median and 99th
 *     percentile time of rf_cat_next (maximum information, randomesque 5),
 *     beside a naive decision that evaluates every item's information;
 *  2. 100,000 simulated examinees x up to 30 items on a 500-item bank with
 *     2 threads, beside a naive engine that re-scores the whole history
 *     (EAP by summing log-probabilities of every answer at every node) and
 *     scans every item at each step, timed on fewer examinees and scaled;
 *  3. the full-size figures of the targets: length, RMSE and coverage
 *     (k = 1), and randomesque 5 with Sympson-Hetter 0.20 (exposure, RMSE);
 *  4. the server's role test on the bundled bank (machine learning engineer,
 *     8 skills, 30 items): next-item time with the classification objective
 *     over every role (server/roletest.h) beside the same test without it;
 *  5. the server's own designs (rf_roletest_design): the ML engineer role
 *     test, find my role (every role's class in the prior's mixture and the
 *     classification objective) and its confirm stage (rf_roletest_confirm,
 *     the first test's answers carried), time per next-item decision.
 * Prints figures and ratios; asserts nothing.
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
#include "server/roletest.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/ability.h"
#include "irt/quad.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static struct rf_cat_pool *gen_pool(size_t n, struct rf_cat_gen *g, const struct rf_quad *q)
{
    const char *name = "skill";
    struct rf_err err;
    struct rf_cat_pool *p;
    if (rf_cat_generate(&name, 1, n, RF_MODEL_2PL, 1, g, &err) ||
        rf_cat_pool_new(g->items, g->n, q, &p, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    return p;
}

static void design(struct rf_cat_design *d, const struct rf_cat_pool *p, size_t k, size_t maxi)
{
    rf_cat_design_init(d);
    d->max_items = maxi;
    d->randomesque = k;
    struct rf_err err;
    struct rf_cat_rule r = {0.30, 0, maxi};
    rf_cat_design_add(d, p, "skill", r, &err);
}

/* The naive engine: each step re-scores every answer so far at every node,
 * then scans every unused item's information at the EAP. Returns the length. */
static size_t naive_examinee(const struct rf_cat_pool *p, const struct rf_quad *q, double truth,
                             struct rf_rng *r, unsigned char *used, size_t *given, int *resp,
                             double *ll, double *post, double *theta_out, double *se_out)
{
    size_t n = 0;
    memset(used, 0, p->n);
    double theta = 0, sd = 1;
    for (;;) {
        for (size_t j = 0; j < q->n; j++)
            ll[j] = 0;
        for (size_t a = 0; a < n; a++)
            for (size_t j = 0; j < q->n; j++)
                ll[j] += rf_irt_logprob(&p->irt[given[a]], q->x[j], (size_t)resp[a]);
        rf_irt_posterior_moments(q, ll, post, &theta, &sd);
        if (sd <= 0.30 || n == 30)
            break;
        size_t best = SIZE_MAX;
        double bv = -1;
        for (size_t i = 0; i < p->n; i++) {
            if (used[i])
                continue;
            double v = rf_irt_info(&p->irt[i], theta);
            if (v > bv) {
                bv = v;
                best = i;
            }
        }
        used[best] = 1;
        given[n] = best;
        resp[n] = rf_rng_uniform(r) < rf_irt_prob(&p->irt[best], truth, 1);
        n++;
    }
    *theta_out = theta;
    *se_out = sd;
    return n;
}

static void bench_decision(const struct rf_quad *q)
{
    struct rf_cat_gen g;
    struct rf_cat_pool *p = gen_pool(5000, &g, q);
    struct rf_cat_design d;
    design(&d, p, 5, 30);
    struct rf_cat_session *s;
    struct rf_err err;
    if (rf_cat_session_new(p, &d, 1, &s, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    enum { NDEC = 20000 };
    static double t[NDEC], tn[2000];
    size_t nd = 0, nn = 0;
    struct rf_rng r;
    rf_rng_seed(&r, 5);
    double sink = 0;
    for (uint64_t e = 0; nd < NDEC; e++) {
        rf_cat_session_reset(s, e);
        double truth = rf_rng_normal(&r);
        for (;;) {
            double t0 = now();
            size_t item;
            rf_cat_next(s, &item);
            double t1 = now();
            if (item == SIZE_MAX || nd == NDEC)
                break;
            t[nd++] = t1 - t0;
            if (nn < 2000 && nd % 10 == 0) { /* the naive decision at the same state */
                struct rf_cat_skill_result sr;
                rf_cat_skill(s, 0, &sr);
                double t2 = now(), bv = -1;
                size_t best = 0;
                for (size_t i = 0; i < p->n; i++) {
                    double v = rf_irt_info(&p->irt[i], sr.theta);
                    if (v > bv) {
                        bv = v;
                        best = i;
                    }
                }
                tn[nn++] = now() - t2;
                sink += (double)best;
            }
            rf_cat_answer(s, item, rf_rng_uniform(&r) < rf_irt_prob(&p->irt[item], truth, 1));
        }
    }
    qsort(t, nd, sizeof t[0], cmp_d);
    qsort(tn, nn, sizeof tn[0], cmp_d);
    double med = t[nd / 2], p99 = t[nd * 99 / 100], nmed = tn[nn / 2];
    printf("next-item decision, 5,000-item bank, MFI + randomesque 5 (%zu decisions):\n", nd);
    printf("  median %.2f us, 99th percentile %.2f us (target: median <= 20 us)\n", med * 1e6,
           p99 * 1e6);
    printf("  naive full scan of the bank: median %.2f us; ratio naive/engine %.1fx\n", nmed * 1e6,
           nmed / med);
    if (sink < 0)
        printf("%g\n", sink);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&g);
}

static void print_line(const char *what, const struct rf_cat_sim_stats *st)
{
    printf("  %-28s length %.2f (capped %.1f%%)  rmse %.3f  coverage %.3f  exposure max %.3f"
           "  overlap %.3f\n",
           what, st->len_mean, 100 * st->capped, st->rmse, st->coverage, st->exp_max, st->overlap);
}

static void bench_simulation(const struct rf_quad *q)
{
    struct rf_cat_gen g;
    struct rf_cat_pool *p = gen_pool(500, &g, q);
    struct rf_cat_design d;
    design(&d, p, 1, 30);
    struct rf_err err;
    struct rf_cat_sim_result r;
    struct rf_cat_sim_opts o = {100000, 1, 2, NULL, 0};
    double t0 = now(), c0 = cpu();
    if (rf_cat_simulate(p, &d, &o, &r, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    double te = now() - t0, ce = cpu() - c0;
    rf_cat_sim_cleanup(&r);
    /* the naive engine, one thread, on 2,000 examinees */
    enum { NN = 2000 };
    unsigned char *used = malloc(p->n);
    size_t *given = malloc(30 * sizeof *given);
    int *resp = malloc(30 * sizeof *resp);
    double *ll = malloc(q->n * sizeof *ll), *post = malloc(q->n * sizeof *post);
    double len = 0, se2 = 0;
    t0 = cpu();
    for (size_t i = 0; i < NN; i++) {
        struct rf_rng rr;
        rf_rng_substream(&rr, 1, i);
        double truth = rf_rng_normal(&rr), th, se;
        len += (double)naive_examinee(p, q, truth, &rr, used, given, resp, ll, post, &th, &se);
        se2 += (th - truth) * (th - truth);
    }
    double tn = cpu() - t0;
    double tn_full = tn * 100000.0 / NN;
    printf(
        "\nsimulation, 500-item 2PL bank, SE 0.30, <= 30 items, 100,000 examinees, 2 threads:\n");
    printf("  engine %.2f s wall, %.2f s CPU (%.1f us CPU per examinee; target <= 5 s wall "
           "on 2 free cores, i.e. CPU / 2 = %.2f s)\n",
           te, ce, ce / 1e5 * 1e6, ce / 2);
    printf("  naive engine (re-scores the history, scans the bank; %d examinees, "
           "mean length %.2f): %.1f us CPU per examinee, %.1f s scaled to 100,000\n",
           NN, len / NN, tn / NN * 1e6, tn_full);
    printf("  ratio naive / engine, CPU time per examinee: %.1fx (wall, 2 threads against 1: "
           "%.1fx)\n",
           tn_full / ce, tn_full / te);
    o.baseline = 1;
    if (rf_cat_simulate(p, &d, &o, &r, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    printf("\nthe issue's targets at full size (100,000 examinees):\n");
    print_line("adaptive, MFI, k = 1", &r.adaptive);
    print_line("fixed form of equal length", &r.baseline);
    printf("    targets: length <= 21.0, rmse <= 0.31, coverage 0.93-0.97\n");
    double rmse0 = r.adaptive.rmse;
    rf_cat_sim_cleanup(&r);

    struct rf_cat_design d5;
    design(&d5, p, 5, 30);
    o.baseline = 0;
    if (rf_cat_simulate(p, &d5, &o, &r, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    print_line("randomesque 5", &r.adaptive);
    rf_cat_sim_cleanup(&r);
    struct rf_cat_sim_opts oc = {5000, 2, 2, NULL, 0};
    size_t rounds;
    double mx;
    t0 = now();
    if (rf_cat_sh_calibrate(p, &d5, 0.20, 15, &oc, &rounds, &mx, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    double tc = now() - t0;
    d5.exposure = 1;
    if (rf_cat_simulate(p, &d5, &o, &r, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    print_line("randomesque 5 + SH 0.20", &r.adaptive);
    printf("    Sympson-Hetter: %zu rounds of 5,000 examinees (%.1f s), calibration max "
           "exposure %.3f\n",
           rounds, tc, mx);
    printf("    targets: max exposure <= 0.25 (got %.3f), rmse within 5%% of unrestricted "
           "(%.3f vs %.3f: %+.1f%%)\n",
           r.adaptive.exp_max, r.adaptive.rmse, rmse0, 100 * (r.adaptive.rmse / rmse0 - 1));
    rf_cat_sim_cleanup(&r);
    free(used);
    free(given);
    free(resp);
    free(ll);
    free(post);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&g);
}

/* Median next-item time of the server's ML engineer role test, with or
 * without role classes, over 200 simulated candidates. */
static double role_decisions(const struct rf_cat_pool *p, const struct rf_careers *c, int classes)
{
    const struct rf_role *role = rf_roles_find(&c->roles, "ml_engineer");
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = RF_WEB_MAX_ITEMS;
    d.stop_unreachable = 0;
    struct rf_cat_rule rule = {RF_CAT_DEFAULT_SE, RF_WEB_MIN_PER_SKILL, RF_WEB_MAX_ITEMS};
    struct rf_err err;
    for (size_t k = 0; role && k < role->nreqs; k++)
        if (rf_cat_design_add(&d, p, c->tax.skills[role->reqs[k].skill].id, rule, &err)) {
            fprintf(stderr, "bench cat: %s\n", err.msg);
            exit(1);
        }
    struct rf_cat_session *s;
    if (!role || (classes && rf_roletest_add_classes(&d, p, &c->roles, &err)) ||
        rf_cat_session_new(p, &d, 1, &s, &err)) {
        fprintf(stderr, "bench cat: %s\n", role ? err.msg : "no role ml_engineer");
        exit(1);
    }
    enum { NDEC = 200 * RF_WEB_MAX_ITEMS };
    static double t[NDEC];
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
            t[nd++] = t1 - t0;
            rf_cat_answer(s, item, rf_rng_uniform(&r) < 0.5);
        }
    }
    rf_cat_session_free(s);
    qsort(t, nd, sizeof t[0], cmp_d);
    return t[nd / 2];
}

/* Times every rf_cat_next of s until it finishes, answering at random, into
 * t[*nd..] (at most max); returns the session's answers. */
static size_t timed_run(struct rf_cat_session *s, struct rf_rng *r, double *t, size_t *nd,
                        size_t max)
{
    for (;;) {
        double t0 = now();
        size_t item;
        rf_cat_next(s, &item);
        double t1 = now();
        if (item == SIZE_MAX)
            return rf_cat_nanswered(s);
        if (*nd < max)
            t[(*nd)++] = t1 - t0;
        rf_cat_answer(s, item, rf_rng_uniform(r) < 0.5);
    }
}

static double median(double *t, size_t n)
{
    qsort(t, n, sizeof t[0], cmp_d);
    return n ? t[n / 2] : 0;
}

/* The server's designs: per next-item decision, the ML engineer role test,
 * find my role and its confirm stage on the most likely role (here role
 * e mod R for test e), 200 tests each, random answers. */
static void bench_server_designs(const struct rf_cat_pool *p, const struct rf_careers *c)
{
    enum { NT = 200, MAXD = NT * 64 };
    static double tr[MAXD], tf[MAXD], tc[MAXD];
    size_t nr = 0, nf = 0, nc = 0;
    struct rf_cat_design dr, df, dc;
    struct rf_cat_session *sr = NULL, *sf = NULL, *sc = NULL;
    struct rf_err err;
    const struct rf_role *ml = rf_roles_find(&c->roles, "ml_engineer");
    if (!ml || rf_roletest_design(&dr, p, &c->roles, ml, &err) ||
        rf_roletest_design(&df, p, &c->roles, NULL, &err) ||
        rf_cat_session_new(p, &dr, 1, &sr, &err) || rf_cat_session_new(p, &df, 1, &sf, &err)) {
        fprintf(stderr, "bench cat: %s\n", ml ? err.msg : "no role ml_engineer");
        exit(1);
    }
    struct rf_rng r;
    rf_rng_seed(&r, 13);
    double citems = 0;
    for (uint64_t e = 0; e < NT; e++) {
        rf_cat_session_reset(sr, e);
        timed_run(sr, &r, tr, &nr, MAXD);
        rf_cat_session_reset(sf, e);
        size_t n = timed_run(sf, &r, tf, &nf, MAXD);
        const struct rf_role *lead = &c->roles.roles[e % c->roles.n];
        dc = df;
        if (rf_roletest_confirm(&dc, p, &c->roles, &lead, 1, RF_CONFIRM_MAX_ITEMS, &err) ||
            rf_cat_session_new(p, &dc, e, &sc, &err)) {
            fprintf(stderr, "bench cat: %s\n", err.msg);
            exit(1);
        }
        for (size_t k = 0; k < n; k++) {
            size_t item, cat;
            rf_cat_answered(sf, k, &item, &cat);
            if (rf_cat_carry(sc, item, cat, &err)) {
                fprintf(stderr, "bench cat: %s\n", err.msg);
                exit(1);
            }
        }
        citems += (double)timed_run(sc, &r, tc, &nc, MAXD);
        rf_cat_session_free(sc);
    }
    double mr = median(tr, nr), mf = median(tf, nf), mc = median(tc, nc);
    printf("\nthe server's designs, bundled bank, %zu roles, random answers, %d tests each:\n",
           c->roles.n, NT);
    printf("  ML engineer role test (%zu skills, prior 0.7 population + 0.3 its class, %zu "
           "classes): median %.2f us per next item\n",
           dr.nscope, dr.nclasses, mr * 1e6);
    printf("  find my role (%zu skills, %zu mixture components, classification objective): "
           "median %.2f us (%.1fx the role test's; target <= 100 us)\n",
           df.nscope, df.nclasses + 1, mf * 1e6, mf / mr);
    printf("  its confirm stage (the same prior, the first test's answers carried, %.1f items "
           "on average): median %.2f us (%.2fx)\n",
           citems / NT, mc * 1e6, mc / mr);
    rf_cat_session_free(sr);
    rf_cat_session_free(sf);
}

static void bench_role_test(const struct rf_quad *q)
{
    struct rf_careers c;
    struct rf_bank b;
    struct rf_cat_pool *p;
    struct rf_err err;
    rf_bank_init(&b);
    if (rf_careers_load("data", &c, &err) || rf_bank_load_dir("data/bank", &b, &err) ||
        rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED, q, &p, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        exit(1);
    }
    double plain = role_decisions(p, &c, 0), cls = role_decisions(p, &c, 1);
    printf("\nrole test, bundled bank, machine learning engineer (8 skills, 30 items, 200 "
           "candidates):\n");
    printf("  next item without role classes: median %.2f us\n", plain * 1e6);
    printf("  with the classification objective over %zu roles: median %.2f us (%.1fx; "
           "a test's 30 decisions cost %.2f ms)\n",
           c.roles.n, cls * 1e6, cls / plain, 30 * cls * 1e3);
    bench_server_designs(p, &c);
    rf_cat_pool_free(p);
    rf_bank_cleanup(&b);
    rf_careers_cleanup(&c);
}

int main(void)
{
    struct rf_quad q;
    struct rf_err err;
    if (rf_quad_init_default(&q, &err)) {
        fprintf(stderr, "bench cat: %s\n", err.msg);
        return 1;
    }
    bench_decision(&q);
    bench_role_test(&q);
    bench_simulation(&q);
    rf_quad_cleanup(&q);
    return 0;
}
