/*
 * Team coverage speed (issue 18): the team view of a 50-member team over
 * every role of data/roles.json — each member's chance of meeting each
 * role's core requirements (fit.h), role and task coverage, and every
 * deployment role tried as the next hire — and its JSON, as the team page
 * computes them. Members are the profiles of real role tests as the server
 * scores them (rf_roletest_profile, with the role's model prior): member m
 * takes deployment role m mod 8's test on the shipped bank, answering right
 * with probability 0.6 (fixed seed). Prints the best of 20 runs against the
 * target of 50 ms.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "careers/data.h"
#include "careers/profile.h"
#include "careers/team.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "irt/quad.h"
#include "server/roletest.h"

#define MEMBERS 50
#define RUNS 20

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    struct rf_careers c;
    struct rf_team_spec spec;
    struct rf_err err;
    rf_err_clear(&err);
    if (rf_careers_load("data", &c, &err) ||
        rf_team_spec_load("data/team.json", &c, &spec, &err)) {
        fprintf(stderr, "bench team: %s\n", err.msg);
        return 1;
    }
    static struct rf_profile prof[MEMBERS];
    static const char *names[MEMBERS];
    struct rf_bank bank;
    struct rf_quad q;
    struct rf_cat_pool *pool = NULL;
    rf_bank_init(&bank);
    if (rf_quad_init_default(&q, &err) || rf_bank_load_dir("data/bank", &bank, &err) ||
        rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED, &q, &pool, &err)) {
        fprintf(stderr, "bench team: %s\n", err.msg);
        return 1;
    }
    struct rf_rng g;
    rf_rng_seed(&g, 18);
    for (size_t m = 0; m < MEMBERS; m++) {
        const struct rf_role *r = &c.roles.roles[spec.roles[m % spec.nroles]];
        struct rf_cat_design d;
        struct rf_cat_session *ses = NULL;
        names[m] = r->id;
        if (rf_roletest_design(&d, pool, &c.roles, r, &err) ||
            rf_cat_session_new(pool, &d, m + 1, &ses, &err) ||
            rf_profile_init(&prof[m], q.lo, q.hi, q.n, &err)) {
            fprintf(stderr, "bench team: %s\n", err.msg);
            return 1;
        }
        size_t item;
        for (rf_cat_next(ses, &item); item != SIZE_MAX; rf_cat_next(ses, &item))
            (void)rf_cat_answer(ses, item,
                                rf_rng_uniform(&g) < 0.6 ? pool->irt[item].ncat - 1 : 0);
        if (rf_roletest_profile(ses, &c.roles, &prof[m], NULL, &err)) {
            fprintf(stderr, "bench team: %s\n", err.msg);
            return 1;
        }
        rf_cat_session_free(ses);
    }
    /* who the members are (rf_team_role_weights, part of the view): its share */
    double best_w = 1e9, w[MEMBERS];
    for (int run = 0; run < RUNS; run++) {
        double t0 = now();
        if (rf_team_role_weights(prof, MEMBERS, w, NULL, &err)) {
            fprintf(stderr, "bench team: %s\n", err.msg);
            return 1;
        }
        double t1 = now();
        if (t1 - t0 < best_w)
            best_w = t1 - t0;
    }
    double best = 1e9, gain = 0;
    for (int run = 0; run < RUNS; run++) {
        double t0 = now();
        struct rf_team_view v;
        if (rf_team_view_build(&c, &spec, prof, MEMBERS, &v, &err)) {
            fprintf(stderr, "bench team: %s\n", err.msg);
            return 1;
        }
        json_t *j = rf_team_view_json(&c, &spec, &v, names);
        double t1 = now();
        gain = v.hires[0].gain;
        json_decref(j);
        rf_team_view_cleanup(&v);
        if (t1 - t0 < best)
            best = t1 - t0;
    }
    printf("team: coverage of a %d-member team over %zu roles (%zu deployment roles, %zu tasks), "
           "role tests' profiles\n",
           MEMBERS, c.roles.n, spec.nroles, spec.ntasks);
    printf("  team view + JSON      %8.2f ms  (best of %d; target <= 50 ms: %s)\n", 1e3 * best,
           RUNS, best <= 0.050 ? "met" : "NOT met");
    printf("  of which who the members are %6.2f ms  (rf_team_role_weights, best of %d)\n",
           1e3 * best_w, RUNS);
    printf("  suggested hire gains %.3f in mean coverage\n", gain);
    for (size_t m = 0; m < MEMBERS; m++)
        rf_profile_cleanup(&prof[m]);
    rf_cat_pool_free(pool);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_team_spec_cleanup(&spec);
    rf_careers_cleanup(&c);
    return 0;
}
