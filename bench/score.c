/*
 * Scoring speed: a 10,000-person x 50-item 2PL form. Prints, in one run, the
 * time of the table-driven EAP of src/irt/ability.c next to a naive EAP that
 * evaluates every item response function at every node for every person, the
 * other estimators, and `rolefit score` end to end on a CSV of the same data.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/rng.h"
#include "irt/ability.h"

#define NP 10000
#define NI 50

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    static struct rf_irt_item items[NI];
    static int resp[NP][NI];
    struct rf_rng r;
    rf_rng_seed(&r, 2026);
    for (int i = 0; i < NI; i++)
        rf_irt_item_dich(&items[i], RF_MODEL_2PL, exp(0.25 * rf_rng_normal(&r)),
                         rf_rng_normal(&r), 0);
    for (int p = 0; p < NP; p++) {
        double th = rf_rng_normal(&r);
        for (int i = 0; i < NI; i++)
            resp[p][i] = rf_rng_uniform(&r) < rf_irt_prob(&items[i], th, 1);
    }
    struct rf_quad q;
    struct rf_err err;
    struct rf_scorer *s;
    if (rf_quad_init_default(&q, &err) || rf_scorer_new(items, NI, &q, &s, &err)) {
        fprintf(stderr, "bench score: %s\n", err.msg);
        return 1;
    }
    double sink = 0, t0, t1;
    double tm[4];
    for (int m = RF_EST_EAP; m <= RF_EST_WLE; m++) {
        t0 = now();
        for (int p = 0; p < NP; p++) {
            struct rf_ability a;
            if (rf_scorer_estimate(s, resp[p], (enum rf_method)m, &a, &err) == RF_OK)
                sink += a.theta;
        }
        tm[m] = now() - t0;
    }
    /* naive EAP: no tables */
    t0 = now();
    double *ll = malloc(q.n * sizeof *ll), *post = malloc(q.n * sizeof *post);
    for (int p = 0; p < NP; p++) {
        for (size_t j = 0; j < q.n; j++) {
            ll[j] = 0;
            for (int i = 0; i < NI; i++)
                ll[j] += rf_irt_logprob(&items[i], q.x[j], (size_t)resp[p][i]);
        }
        double m, sd;
        rf_irt_posterior_moments(&q, ll, post, &m, &sd);
        sink += m;
    }
    t1 = now() - t0;
    printf("score: %d persons x %d items (2PL), 61-node grid\n", NP, NI);
    printf("  eap  %8.1f ms   naive eap %8.1f ms   speed-up x%.1f\n", 1e3 * tm[0], 1e3 * t1,
           t1 / tm[0]);
    printf("  map  %8.1f ms   mle %8.1f ms   wle %8.1f ms   (x%.1f, x%.1f, x%.1f of eap)\n",
           1e3 * tm[1], 1e3 * tm[2], 1e3 * tm[3], tm[1] / tm[0], tm[2] / tm[0], tm[3] / tm[0]);

    /* end to end through the CLI */
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char pp[256], rp[256], cmd[1024];
    snprintf(pp, sizeof pp, "%s/rf-bench-params.csv", dir);
    snprintf(rp, sizeof rp, "%s/rf-bench-resp.csv", dir);
    FILE *f = fopen(pp, "w");
    FILE *g = fopen(rp, "w");
    if (!f || !g)
        return 1;
    fprintf(f, "id,model,a,b\n");
    for (int i = 0; i < NI; i++) {
        fprintf(f, "i%d,2pl,%.17g,%.17g\n", i, items[i].a, items[i].b);
        fprintf(g, i ? ",i%d" : "i%d", i);
    }
    fprintf(g, "\n");
    for (int p = 0; p < NP; p++)
        for (int i = 0; i < NI; i++)
            fprintf(g, i + 1 < NI ? "%d," : "%d\n", resp[p][i]);
    fclose(f);
    fclose(g);
    const char *bin = getenv("RF_BIN") ? getenv("RF_BIN") : "build/rolefit";
    for (int m = 0; m < 2; m++) {
        snprintf(cmd, sizeof cmd, "%s score --params %s --responses %s --method %s >/dev/null", bin,
                 pp, rp, m ? "wle" : "eap");
        t0 = now();
        int rc = system(cmd);
        t1 = now() - t0;
        printf("  rolefit score --method %s end to end: %.0f ms (exit %d)\n", m ? "wle" : "eap",
               1e3 * t1, rc);
    }
    remove(pp);
    remove(rp);
    free(ll);
    free(post);
    rf_scorer_free(s);
    rf_quad_cleanup(&q);
    return sink == 12345.678; /* keep the work observable */
}
