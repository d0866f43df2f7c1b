/*
 * Calibration speed and memory. Prints, in one run:
 *  - the E-step's achieved GFLOP/s (4 N J Q flops for complete dichotomous
 *    data: two products of N x J by J x Q) next to OpenBLAS DGEMM's GFLOP/s on
 *    the same shapes, and their ratio (target >= 0.6), at 100,000 x 100 and
 *    200,000 x 200;
 *  - end-to-end calibration time (EM to the default tolerance 1e-4, then SEs,
 *    reliability and S-X2) for 100,000 x 100 and 1,000,000 x 200 dense 2PL
 *    data and a sparse 1,000,000-person x 1,000-item set with 30 answers per
 *    person;
 *  - peak resident memory of each case (ru_maxrss of the child process that
 *    ran it, data generation included) against 16 N J bytes.
 * Data are generated in-process with fixed seeds. `bench/calib quick` runs
 * every case at a tenth of the persons (for development).
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "calib/calib.h"
#include "calib/em.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void make_items(struct rf_irt_item *it, size_t J, uint64_t seed)
{
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (size_t j = 0; j < J; j++)
        rf_irt_item_dich(&it[j], RF_MODEL_2PL, 0.7 + 1.3 * rf_rng_uniform(&r),
                         -2.0 + 4.0 * rf_rng_uniform(&r), 0);
}

/* Dense complete 2PL responses, N x J. */
static signed char *gen_dense(const struct rf_irt_item *it, size_t N, size_t J, uint64_t seed)
{
    signed char *x = malloc(N * J);
    if (!x)
        return NULL;
    struct rf_rng r;
    rf_rng_seed(&r, seed);
    for (size_t i = 0; i < N; i++) {
        double th = rf_rng_normal(&r);
        for (size_t j = 0; j < J; j++)
            x[i * J + j] = (signed char)(rf_rng_uniform(&r) < rf_irt_prob(&it[j], th, 1));
    }
    return x;
}

static char **make_ids(size_t J)
{
    char **ids = malloc(J * sizeof *ids);
    for (size_t j = 0; j < J; j++) {
        ids[j] = malloc(16);
        snprintf(ids[j], 16, "i%zu", j);
    }
    return ids;
}

static void free_ids(char **ids, size_t J)
{
    for (size_t j = 0; j < J; j++)
        free(ids[j]);
    free(ids);
}

static double rmse_b(const struct rf_calib_result *res, const struct rf_irt_item *t, size_t J)
{
    double s = 0;
    for (size_t j = 0; j < J; j++)
        s += pow(res->items[j].it.b - t[j].b, 2);
    return sqrt(s / (double)J);
}

static int want_se = 1;     /* 0 in the sparse comparison's second run */
static size_t max_iter_cap; /* `bench/calib sparse N CYCLES`: stop EM after CYCLES */

static int run_case(const char *name, const struct rf_calib_data *d, const struct rf_irt_item *t,
                    size_t threads, double dense_bytes)
{
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.threads = threads;
    o.want_se = want_se;
    if (max_iter_cap)
        o.max_iter = max_iter_cap;
    struct rf_calib_result res;
    struct rf_err err;
    double t0 = now();
    struct rf_calib *c;
    if (rf_calib_new(d, &o, &c, &err)) {
        fprintf(stderr, "bench calib: %s\n", err.msg);
        return 1;
    }
    double t1 = now();
    while (!rf_calib_converged(c) && rf_calib_iterations(c) < o.max_iter)
        if (rf_calib_step(c, NULL, NULL, &err)) {
            fprintf(stderr, "bench calib: %s\n", err.msg);
            return 1;
        }
    double t2 = now();
    if (rf_calib_finish(c, &res, &err)) {
        fprintf(stderr, "bench calib: %s\n", err.msg);
        return 1;
    }
    double t3 = now();
    rf_calib_free(c);
    printf("%-34s %7.2f s  (setup %.2f, EM %.2f = %zu cycles x %.3f s, final pass %.2f); "
           "%s kernel, converged %s, RMSE b %.3f\n",
           name, t3 - t0, t1 - t0, t2 - t1, res.iterations,
           (t2 - t1) / (double)(res.iterations ? res.iterations : 1), t3 - t2, res.kernel,
           res.converged ? "yes" : "no", rmse_b(&res, t, d->nitems));
    (void)dense_bytes;
    rf_calib_result_cleanup(&res);
    return 0;
}

/* E-step GFLOP/s against DGEMM on the same shapes. */
static int estep_vs_dgemm(size_t N, size_t J, size_t threads)
{
    struct rf_irt_item *t = malloc(J * sizeof *t);
    make_items(t, J, 7);
    signed char *x = gen_dense(t, N, J, 8);
    char **ids = make_ids(J);
    struct rf_calib_data d = {
        .npersons = N, .nitems = J, .item_ids = (const char *const *)ids, .x = x};
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.threads = threads;
    o.collapse = 0;
    struct rf_calib *c;
    struct rf_err err;
    if (!x || rf_calib_new(&d, &o, &c, &err)) {
        fprintf(stderr, "bench calib: %s\n", x ? err.msg : "out of memory");
        return 1;
    }
    size_t Q = c->Q, reps = 7;
    double flops = 4.0 * (double)N * (double)J * (double)Q;
    /* DGEMM on the same shapes (N x J by J x Q, then J x N by N x Q) */
    double *X = malloc(N * J * sizeof *X), *T = malloc(J * Q * sizeof *T);
    double *L = malloc(N * Q * sizeof *L), *R = malloc(J * Q * sizeof *R);
    if (!X || !T || !L || !R) {
        fprintf(stderr, "bench calib: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < N * J; i++)
        X[i] = x[i];
    for (size_t i = 0; i < J * Q; i++)
        T[i] = -0.01 * (double)(i % 97);
    /* Interleaved repetitions, best of each: the machine is shared, and the
     * fastest run is the one least disturbed by others. The E-step runs its
     * own threads with single-threaded BLAS inside; DGEMM runs with
     * OpenBLAS's own threads, the same count. */
    rf_em_tables(c);
    rf_em_estep(c, 0, NULL, NULL, &err); /* warm-up */
    double te = HUGE_VAL, tg = HUGE_VAL;
    for (size_t r = 0; r < reps; r++) {
        double t0 = now();
        rf_em_estep(c, 0, NULL, NULL, &err);
        te = fmin(te, now() - t0);
        openblas_set_num_threads((int)threads);
        t0 = now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)N, (int)Q, (int)J, 1.0, X,
                    (int)J, T, (int)Q, 0.0, L, (int)Q);
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)J, (int)Q, (int)N, 1.0, X, (int)J,
                    L, (int)Q, 0.0, R, (int)Q);
        tg = fmin(tg, now() - t0);
        openblas_set_num_threads(1); /* as the calibration object set it */
    }
    rf_calib_free(c); /* restores OpenBLAS's thread count */
    printf("E-step %zu x %zu, %zu nodes, %zu threads: %.3f s = %.2f GFLOP/s; OpenBLAS DGEMM on the "
           "same shapes (%zu threads): %.3f s = %.2f GFLOP/s; ratio %.2f (target >= 0.60)\n",
           N, J, Q, threads, te, flops / te * 1e-9, threads, tg, flops / tg * 1e-9, tg / te);
    free(X), free(T), free(L), free(R), free(x), free(t);
    free_ids(ids, J);
    return 0;
}

static int dense_case(size_t N, size_t J, int k, size_t threads, const char *name)
{
    struct rf_irt_item *t = malloc(J * sizeof *t);
    make_items(t, J, 100 + (uint64_t)k);
    double g0 = now();
    signed char *x = gen_dense(t, N, J, 200 + (uint64_t)k);
    if (!x) {
        fprintf(stderr, "bench calib: out of memory\n");
        return 1;
    }
    double g1 = now();
    char **ids = make_ids(J);
    struct rf_calib_data d = {
        .npersons = N, .nitems = J, .item_ids = (const char *const *)ids, .x = x};
    printf("(generating %zu x %zu: %.2f s, not counted)\n", N, J, g1 - g0);
    int rc = run_case(name, &d, t, threads, (double)N * (double)J);
    free(x);
    free(t);
    free_ids(ids, J);
    return rc;
}

static int se_ratio; /* `bench/calib sparse N`: also time the sparse case without SEs */

/* persons x items with per answers each, items drawn without repetition */
static int sparse_case(size_t N, size_t J, size_t per, size_t threads, const char *name)
{
    struct rf_irt_item *t = malloc(J * sizeof *t);
    make_items(t, J, 300);
    size_t *rp = malloc((N + 1) * sizeof *rp);
    uint32_t *col = malloc(N * per * sizeof *col);
    signed char *val = malloc(N * per);
    if (!t || !rp || !col || !val) {
        fprintf(stderr, "bench calib: out of memory\n");
        return 1;
    }
    double g0 = now();
    struct rf_rng r;
    rf_rng_seed(&r, 301);
    rp[0] = 0;
    for (size_t i = 0; i < N; i++) {
        double th = rf_rng_normal(&r);
        uint32_t *cc = col + i * per;
        size_t n = 0;
        while (n < per) { /* distinct items, then sorted */
            uint32_t j = (uint32_t)rf_rng_below(&r, J);
            int dup = 0;
            for (size_t k = 0; k < n; k++)
                dup |= cc[k] == j;
            if (!dup)
                cc[n++] = j;
        }
        for (size_t a = 1; a < per; a++)
            for (size_t b = a; b > 0 && cc[b - 1] > cc[b]; b--) {
                uint32_t tmp = cc[b];
                cc[b] = cc[b - 1];
                cc[b - 1] = tmp;
            }
        for (size_t k = 0; k < per; k++)
            val[i * per + k] = (signed char)(rf_rng_uniform(&r) < rf_irt_prob(&t[cc[k]], th, 1));
        rp[i + 1] = rp[i] + per;
    }
    char **ids = make_ids(J);
    struct rf_calib_data d = {.npersons = N,
                              .nitems = J,
                              .item_ids = (const char *const *)ids,
                              .row_ptr = rp,
                              .col = col,
                              .val = val};
    printf("(generating %zu x %zu, %zu answers each: %.2f s, not counted)\n", N, J, per,
           now() - g0);
    int rc = run_case(name, &d, t, threads, (double)N * (double)J);
    if (!rc && se_ratio) {
        double t0 = now();
        want_se = 0;
        rc = run_case("  same without SEs", &d, t, threads, (double)N * (double)J);
        double t1 = now();
        want_se = 1;
        rc = rc ? rc : run_case("  same with SEs again", &d, t, threads, (double)N * (double)J);
        double t2 = now();
        printf("with SEs / without: %.3f (second with-SE run %.2f s, without %.2f s)\n",
               (t2 - t1) / (t1 - t0), t2 - t1, t1 - t0);
    }
    free(rp), free(col), free(val), free(t);
    free_ids(ids, J);
    return rc;
}

/* Runs case k in a child process so that its peak RSS is its own. */
static int in_child(int k, size_t scale, size_t threads)
{
    static const struct {
        const char *name;
        size_t N, J;
    } cases[5] = {{"E-step vs DGEMM", 100000, 100},
                  {"E-step vs DGEMM", 200000, 200},
                  {"dense 2PL 100,000 x 100", 100000, 100},
                  {"dense 2PL 1,000,000 x 200", 1000000, 200},
                  {"sparse 2PL 1,000,000 x 1,000 (30/p)", 1000000, 1000}};
    size_t N = cases[k].N / scale, J = cases[k].J;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        int rc = k <= 1   ? estep_vs_dgemm(N, J, threads)
                 : k == 4 ? sparse_case(N, J, 30, threads, cases[k].name)
                          : dense_case(N, J, k - 2, threads, cases[k].name);
        fflush(stdout);
        _exit(rc);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
        return 1;
    if (k <= 1)
        return 0; /* the DGEMM reference holds N x J doubles: not a calibration */
    double peak = (double)ru.ru_maxrss * 1024.0; /* KiB on Linux */
    double budget = 16.0 * (double)N * (double)J;
    printf("%-36s peak RSS %8.1f MB vs 16 N J = %9.1f MB (ratio %.3f)\n", cases[k].name,
           peak / 1048576.0, budget / 1048576.0, peak / budget);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0); /* figures appear as they are measured */
    size_t scale = argc > 1 && strcmp(argv[1], "quick") == 0 ? 10 : 1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = ncpu > 0 ? (size_t)ncpu : 1;
    if (argc > 2 && strcmp(argv[1], "sparse") == 0) {
        /* the sparse 1,000 item case alone at argv[2] persons, with SEs, without,
         * and with SEs again; the ratio uses the last two runs */
        char *end;
        unsigned long long n = strtoull(argv[2], &end, 10);
        if (*end || n < 1000) {
            fprintf(stderr, "bench calib: sparse: persons must be a whole number >= 1000: %s\n",
                    argv[2]);
            return 1;
        }
        se_ratio = 1;
        if (argc > 3) { /* for callgrind: few EM cycles, the final pass in full */
            unsigned long long m = strtoull(argv[3], &end, 10);
            if (*end || m < 1) {
                fprintf(stderr, "bench calib: sparse: cycles must be a whole number >= 1: %s\n",
                        argv[3]);
                return 1;
            }
            max_iter_cap = (size_t)m;
        }
        printf("sparse SE benchmark: %zu threads, %llu persons x 1,000 items, 30 answers each\n",
               threads, n);
        return sparse_case((size_t)n, 1000, 30, threads, "sparse 2PL with SEs");
    }
    printf("calibration benchmark: %zu threads, 61 nodes, tolerance 1e-4%s; each case in its own "
           "process\n",
           threads, scale > 1 ? " (quick: persons / 10)" : "");
    for (int k = 0; k < 5; k++)
        if (in_child(k, scale, threads))
            return 1;
    return 0;
}
