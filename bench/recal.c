/*
 * Speed of the bank re-estimate (calib/recal.h, rf_recal_run), which every
 * review run makes over the newest 50,000 finished tests (issue 19). Prints,
 * in one run, the fused path (the product's) against the reference path
 * (o.reference = 1: every model value through irt/model.h's general
 * functions and the leave-one-out posteriors always computed, as before the
 * fused kernels): wall and CPU seconds of each, their ratio, and the largest
 * difference between their estimates (0: the same to the last bit). Then
 * the fused path alone on the larger stores.
 *
 * Data, seeded: a bank of 400 items in 10 skills (2PL, 3PL and a graded item
 * in ten, a ~ U(0.6, 2), b = the rated b + N(0, 0.5^2), c ~ U(0.1, 0.3)),
 * the product's bank at the authors' priors; each test answers 10 items on
 * each of 2 skills chosen near the running posterior mean (20 answers a
 * test, as the 10,000 tests and 200,000 answers). `build/bench/recal
 * quick` runs the comparison at 1,000 tests and the fused path at 10,000;
 * `build/bench/recal profile N [reference]` one path alone on N tests (for
 * perf and callgrind).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"
#include "calib/recal.h"

#define NI 400
#define NS 10
#define PER_SKILL 10
#define SKILLS_A_TEST 2
#define GRID 41

static struct rf_recal_item items[NI];
static struct rf_irt_item truth[NI];
static char ids[NI][16];

static double wall(void)
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

static void make_bank(uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (size_t i = 0; i < NI; i++) {
        struct rf_recal_item *it = &items[i];
        snprintf(ids[i], sizeof ids[i], "q%03zu", i);
        it->id = ids[i];
        it->skill = i % NS;
        double rb = -2 + 4 * rf_rng_uniform(&r), a = 0.6 + 1.4 * rf_rng_uniform(&r);
        double b = rb + 0.5 * rf_rng_normal(&r), c = 0.1 + 0.2 * rf_rng_uniform(&r);
        if (i % 10 == 9) {
            double rt[3] = {rb - 1, rb, rb + 1}, tt[3] = {b - 1, b, b + 1};
            rf_irt_item_grm(&it->rated, 1, rt, 4);
            rf_irt_item_grm(&truth[i], a, tt, 4);
        } else if (i % 2) {
            rf_irt_item_dich(&it->rated, RF_MODEL_3PL, 1, rb, 0.25);
            rf_irt_item_dich(&truth[i], RF_MODEL_3PL, a, b, c);
        } else {
            rf_irt_item_dich(&it->rated, RF_MODEL_2PL, 1, rb, 0);
            rf_irt_item_dich(&truth[i], RF_MODEL_2PL, a, b, 0);
        }
        it->irt = it->rated;
    }
}

static double gx(size_t g)
{
    return -5.0 + 10.0 * (double)g / (GRID - 1);
}

/* A category drawn from item it at theta. */
static int draw(struct rf_rng *r, const struct rf_irt_item *it, double theta)
{
    double u = rf_rng_uniform(r), s = 0;
    for (size_t k = 0; k + 1 < it->ncat; k++) {
        s += rf_irt_prob(it, theta, k);
        if (u < s)
            return (int)k;
    }
    return (int)it->ncat - 1;
}

static struct rf_recal_answer *make_answers(uint64_t seed, size_t ntests, size_t *nans)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    struct rf_recal_answer *ans = calloc(ntests * SKILLS_A_TEST * PER_SKILL, sizeof *ans);
    if (!ans)
        return NULL;
    size_t n = 0;
    for (size_t t = 0; t < ntests; t++) {
        size_t first = rf_rng_below(&r, NS);
        for (size_t k = 0; k < SKILLS_A_TEST; k++) {
            size_t s = (first + 3 * k) % NS;
            double theta = rf_rng_normal(&r), lw[GRID], est = 0;
            for (size_t g = 0; g < GRID; g++)
                lw[g] = -0.5 * gx(g) * gx(g);
            unsigned char used[NI] = {0};
            for (size_t j = 0; j < PER_SKILL; j++) {
                double target = est + 0.5 * rf_rng_normal(&r), best = HUGE_VAL;
                size_t pick = s;
                for (size_t i = s; i < NI; i += NS)
                    if (!used[i] && fabs(items[i].rated.b - target) < best) {
                        best = fabs(items[i].rated.b - target);
                        pick = i;
                    }
                used[pick] = 1;
                int x = draw(&r, &truth[pick], theta);
                ans[n++] = (struct rf_recal_answer){t + 1, (uint32_t)pick, x};
                double top = -HUGE_VAL, w = 0, m = 0;
                for (size_t g = 0; g < GRID; g++) {
                    lw[g] += rf_irt_logprob(&items[pick].irt, gx(g), (size_t)x);
                    top = lw[g] > top ? lw[g] : top;
                }
                for (size_t g = 0; g < GRID; g++) {
                    double e = exp(lw[g] - top);
                    w += e;
                    m += e * gx(g);
                }
                est = m / w;
            }
        }
    }
    *nans = n;
    return ans;
}

/* One run; the times through *w and *c. */
static int run(const struct rf_recal_answer *ans, size_t n, int reference, int threads,
               struct rf_recal_result *res, double *w, double *c)
{
    struct rf_recal_opts o;
    rf_recal_opts_default(&o);
    o.threads = threads;
    o.reference = reference;
    struct rf_err err;
    rf_err_clear(&err);
    double w0 = wall(), c0 = cpu();
    rf_status rc = rf_recal_run(items, NI, NS, ans, n, &o, res, &err);
    *w = wall() - w0;
    *c = cpu() - c0;
    if (rc)
        fprintf(stderr, "bench recal: %s\n", err.msg);
    return rc != RF_OK;
}

/* The largest difference between two results' estimates and SEs. */
static double diff(const struct rf_recal_result *x, const struct rf_recal_result *y)
{
    if (x->n != y->n)
        return HUGE_VAL;
    double d = fabs(x->ll_new - y->ll_new) + fabs(x->ll_current - y->ll_current);
    for (size_t k = 0; k < x->n; k++) {
        const struct rf_recal_result_item *a = &x->items[k], *b = &y->items[k];
        double e[5] = {a->est.a - b->est.a, a->est.b - b->est.b, a->est.c - b->est.c,
                       a->se_a - b->se_a, a->se_b - b->se_b};
        for (int j = 0; j < 5; j++)
            d = fmax(d, fabs(e[j]));
        for (size_t t = 0; t + 1 < a->est.ncat; t++)
            d = fmax(d, fabs(a->est.thr[t] - b->est.thr[t]));
    }
    return d;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    if (argc > 2 && strcmp(argv[1], "profile") == 0) { /* one path alone, for perf */
        size_t nt = (size_t)strtoul(argv[2], NULL, 10), n = 0;
        int ref = argc > 3 && strcmp(argv[3], "reference") == 0;
        make_bank(1);
        struct rf_recal_answer *a = make_answers(2, nt ? nt : 1, &n);
        struct rf_recal_result res;
        double w, c;
        if (!a || run(a, n, ref, 2, &res, &w, &c))
            return 1;
        printf("%s path, %zu tests: %.2f s wall %.2f s CPU\n", ref ? "reference" : "fused", nt, w,
               c);
        rf_recal_result_cleanup(&res);
        free(a);
        return 0;
    }
    size_t cmp = quick ? 1000 : 2000;
    size_t sizes[2] = {10000, 50000};
    size_t nsizes = quick ? 1 : 2;
    make_bank(1);
    struct rf_recal_answer *ans = make_answers(2, sizes[nsizes - 1], &(size_t){0});
    if (!ans) {
        fprintf(stderr, "bench recal: out of memory\n");
        return 1;
    }
    size_t per = SKILLS_A_TEST * PER_SKILL;
    printf("re-estimate, %zu tests (%zu answers), 2 threads:\n", cmp, cmp * per);
    struct rf_recal_result ref, fast;
    double rw, rc, fw, fc;
    if (run(ans, cmp * per, 1, 2, &ref, &rw, &rc) || run(ans, cmp * per, 0, 2, &fast, &fw, &fc))
        return 1;
    printf("  reference path %7.2f s wall %7.2f s CPU (%d rounds)\n", rw, rc, ref.rounds);
    printf("  fused path     %7.2f s wall %7.2f s CPU (%d rounds)\n", fw, fc, fast.rounds);
    printf("  ratio reference / fused: wall %.2f, CPU %.2f; largest difference %.3g\n", rw / fw,
           rc / fc, diff(&ref, &fast));
    rf_recal_result_cleanup(&ref);
    rf_recal_result_cleanup(&fast);
    for (size_t s = 0; s < nsizes; s++) {
        double w1, c1, w2, c2;
        struct rf_recal_result one;
        if (run(ans, sizes[s] * per, 0, 2, &fast, &w2, &c2) ||
            run(ans, sizes[s] * per, 0, 1, &one, &w1, &c1))
            return 1;
        printf("fused path, %zu tests (%zu answers): 2 threads %.2f s wall %.2f s CPU, 1 thread "
               "%.2f s wall (%d rounds, %zu items, %s; same with 1 thread: %s)\n",
               sizes[s], sizes[s] * per, w2, c2, w1, fast.rounds, fast.n,
               fast.accept ? "accepted" : "not accepted", diff(&one, &fast) == 0 ? "yes" : "no");
        rf_recal_result_cleanup(&fast);
        rf_recal_result_cleanup(&one);
    }
    free(ans);
    return 0;
}
