/*
 * Recruiter ranking speed: GET /api/postings/ID/ranking as the application
 * computes it (rf_app_posting_ranking), over a database of finished tests
 * whose stored profiles look like the server's own (per skill the posterior
 * on the 61-node grid, written with 17 significant digits, and the missed
 * items with their tags), stored with their packed form as the server does.
 * Prints, in one run:
 *  - the time to read the organization's finished rows from the store
 *    (rf_store_tests_finished: the floor a ranking pays);
 *  - the ranking of one posting's applicants (scope=posting, half of the
 *    tests) and of the whole organization (scope=org), best of 3 each, with
 *    the exact posterior arithmetic of `rolefit match`, from packed profiles;
 *  - the first ranking in an organization whose tests have no packed form
 *    (finished before the store kept one): parsed from JSON, and packed and
 *    stored by that ranking; the ratio per test to the packed ranking, and
 *    the time of the next ranking (best of 3).
 * `bench/ranking quick` uses 1,000 tests instead of 4,000 (and 250 for the
 * JSON-only organization). The database lives in /dev/shm when there is one;
 * filling it is not measured.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/rng.h"
#include "careers/profile.h"
#include "server/app.h"
#include "store/store.h"

#define NSKILLS 8
#define NMISSED 4

static const char *const skills[NSKILLS] = {
    "python_programming", "software_engineering", "ml_fundamentals", "deep_learning",
    "data_engineering",   "model_deployment",     "mlops_monitoring", "probability_statistics"};

static const char posting_text[] =
    "# ML Engineer\n\n## Requirements\n- Python\n- PyTorch or TensorFlow\n- SQL or Spark\n"
    "- Model deployment\n- Monitoring\n\n## Nice to have\n- Statistics\n";

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void die(const char *what, const struct rf_err *err)
{
    fprintf(stderr, "bench ranking: %s: %s\n", what, err->msg);
    exit(1);
}

/* A stored profile like the server's: per skill a posterior proportional to
 * a normal likelihood times the N(0,1) prior, with a few missed items; its
 * JSON text, and its packed form into *packed (as the server stores both). */
static char *make_profile(struct rf_rng *rng, unsigned char **packed, size_t *npacked)
{
    struct rf_profile p;
    struct rf_err err;
    double post[RF_QUAD_DEFAULT_N];
    rf_profile_init_default(&p);
    rf_profile_set_person(&p, NULL, "session", &err);
    for (size_t k = 0; k < NSKILLS; k++) {
        double m = rf_rng_normal(rng), s = 0.35 + 0.3 * rf_rng_uniform(rng);
        for (size_t i = 0; i < p.n; i++) {
            double x = rf_profile_node(&p, i), z = (x - m) / s;
            post[i] = exp(-0.5 * z * z - 0.5 * x * x);
        }
        size_t idx;
        if (rf_profile_add_posterior(&p, skills[k], 6, post, &idx, &err))
            die("profile", &err);
        for (size_t j = 0; j < NMISSED; j++) {
            char item[64];
            const char *tags[3] = {"concept-a", "concept-b", "concept-c"};
            snprintf(item, sizeof item, "%s.topic.%03zu", skills[k], j);
            if (rf_profile_add_missed(&p, idx, item, tags, 3, &err))
                die("profile", &err);
        }
    }
    json_t *j;
    if (rf_profile_to_json(&p, &j, &err))
        die("profile", &err);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (rf_profile_pack(&p, packed, npacked, &err))
        die("pack", &err);
    rf_profile_cleanup(&p);
    return s;
}

/* An organization with a recruiter, two postings and n finished tests,
 * alternately for each posting; packed or, like tests finished before the
 * store kept packed profiles, with their JSON only. */
static void fill(struct rf_store *st, const char *name, size_t n, int packed, int64_t *org,
                 int64_t *user, int64_t posting[2])
{
    struct rf_err err;
    char email[64];
    snprintf(email, sizeof email, "r@%s.test", name);
    if (rf_store_org_create(st, name, org, &err) ||
        rf_store_user_create(st, *org, email, "R", "recruiter", "x", user, &err))
        die("org", &err);
    for (int k = 0; k < 2; k++) {
        struct rf_posting po = {0, *org, *user, "ML Engineer", (char *)posting_text, NULL, 0};
        if (rf_store_posting_create(st, &po, &posting[k], &err))
            die("posting", &err);
    }
    struct rf_rng rng;
    rf_rng_seed(&rng, 42);
    size_t bytes = 0, pbytes = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t cand, inv, tid;
        char hash[64], label[32];
        snprintf(hash, sizeof hash, "%s%zu", name, i);
        snprintf(label, sizeof label, "cand %zu", i);
        struct rf_invite v = {.org_id = *org,
                              .posting_id = posting[i % 2],
                              .created_by = *user,
                              .role = "ml_engineer",
                              .label = label,
                              .expires = (int64_t)1 << 40};
        if (rf_store_candidate_create(st, *org, NULL, NULL, &cand, &err) ||
            rf_store_invite_create(st, hash, &v, &inv, &err) ||
            rf_store_invite_claim(st, inv, cand, &err))
            die("candidate", &err);
        struct rf_test t;
        memset(&t, 0, sizeof t);
        t.candidate_id = cand;
        t.org_id = *org;
        t.posting_id = posting[i % 2];
        t.invite_id = inv;
        t.scope = "{\"role\":\"ml_engineer\"}";
        t.state = "{}";
        if (rf_store_test_create(st, &t, &tid, &err))
            die("test", &err);
        unsigned char *pk;
        size_t npk;
        char *prof = make_profile(&rng, &pk, &npk);
        bytes += strlen(prof);
        pbytes += npk;
        struct rf_answer a = {tid, 0, "python_programming.basics.001", 0, 1, 0, NULL, 0};
        if (rf_store_answer_packed(st, &a, "{}", prof, packed ? pk : NULL, npk, &err))
            die("answer", &err);
        free(prof);
        free(pk);
    }
    printf("%-6s %5zu finished tests; profiles of %.1f KiB JSON, %.1f KiB packed%s\n", name, n,
           (double)bytes / (double)n / 1024, (double)pbytes / (double)n / 1024,
           packed ? "" : " (not stored)");
}

static void count_row(void *ud, const struct rf_test *t)
{
    (void)t;
    ++*(size_t *)ud;
}

/* Best of runs of one ranking; *ranked receives how many tests it ranked. */
static double rank_time(struct rf_app *a, const struct rf_principal *p, int64_t posting,
                        const char *scope, int runs, size_t *ranked)
{
    double best = 1e30;
    for (int r = 0; r < runs; r++) {
        struct rf_app_error e = {0};
        json_t *out = NULL;
        double t0 = now();
        if (rf_app_posting_ranking(a, p, posting, scope, NULL, NULL, &out, &e))
            die("ranking", &e.err);
        double t = now() - t0;
        best = t < best ? t : best;
        *ranked = (size_t)json_integer_value(json_object_get(out, "total"));
        json_decref(out);
    }
    return best;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 && strcmp(argv[1], "quick") == 0 ? 1000 : 4000;
    char dir[] = "/dev/shm/rf-bench-rankXXXXXX", dir2[] = "/tmp/rf-bench-rankXXXXXX";
    const char *d = mkdtemp(dir);
    if (!d)
        d = mkdtemp(dir2);
    if (!d) {
        perror("bench ranking: mkdtemp");
        return 1;
    }
    char db[128];
    snprintf(db, sizeof db, "%s/bench.db", d);
    struct rf_store *st;
    struct rf_err err;
    if (rf_store_open(db, &st, &err))
        die("open", &err);
    int64_t org[2], user[2], posting[2][2];
    fill(st, "packed", n, 1, &org[0], &user[0], posting[0]);
    fill(st, "json", n / 4, 0, &org[1], &user[1], posting[1]);

    struct rf_app_config cfg = {.db = db, .bank_dir = "data/bank", .data_dir = "data",
                                .web_dir = "web"};
    struct rf_app *a;
    if (rf_app_open(&cfg, &a, &err))
        die("app", &err);
    struct rf_principal p = {user[0], org[0], 0, "recruiter", ""};
    struct rf_principal pj = {user[1], org[1], 0, "recruiter", ""};
    double t_read = 1e30;
    size_t rows = 0;
    for (int r = 0; r < 3; r++) {
        rows = 0;
        double t0 = now();
        if (rf_store_tests_finished(st, org[0], count_row, &rows, &err))
            die("read", &err);
        double t = now() - t0;
        t_read = t < t_read ? t : t_read;
    }
    size_t nr[4];
    double t_post = rank_time(a, &p, posting[0][0], NULL, 3, &nr[0]);
    double t_org = rank_time(a, &p, posting[0][0], "org", 3, &nr[1]);
    /* the first ranking of older tests reads their JSON and packs them */
    double t_json = rank_time(a, &pj, posting[1][0], "org", 1, &nr[2]);
    double t_after = rank_time(a, &pj, posting[1][0], "org", 3, &nr[3]);
    printf("reading the %zu finished rows of the store (rf_store_tests_finished): %.1f ms\n", rows,
           1e3 * t_read);
    printf("ranking, one posting's applicants:  %5zu tests %7.1f ms  (%.1f us a test)\n", nr[0],
           1e3 * t_post, 1e6 * t_post / (double)nr[0]);
    printf("ranking, the whole organization:    %5zu tests %7.1f ms  (%.1f us a test, %.2fx the "
           "row read)\n",
           nr[1], 1e3 * t_org, 1e6 * t_org / (double)nr[1], t_org / t_read);
    printf("ranking from JSON (no packed form): %5zu tests %7.1f ms  (%.1f us a test, %.1fx the "
           "packed ranking per test),\n  packing them for next time; the next ranking %.1f ms\n",
           nr[2], 1e3 * t_json, 1e6 * t_json / (double)nr[2],
           (t_json / (double)nr[2]) / (t_org / (double)nr[1]), 1e3 * t_after);
    rf_app_close(a);
    rf_store_close(st);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    return system(cmd) == 0 ? 0 : 1;
}
