/* Group commit of answers under concurrency: many threads answering many
 * tests at once (their answers share transactions), with replays,
 * out-of-order answers, a failing answer and races on one test mixed in.
 * Every outcome asserted here is the same whatever the batching: each
 * acknowledged answer is stored exactly once and in order, every refused or
 * failed answer leaves nothing behind, and all of it survives a reopen. */
#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "testdb.h"

#define NTHREADS 12
#define NTESTS 36 /* each owned by one thread */
#define NANSWERS 10
#define NRACERS 6
#define NRACE 40 /* answers of the test all racers share */

static char path[512];
static struct rf_store *st;
static int64_t tests[NTESTS], race_test;

static void setup(void)
{
    testdb_create(path, sizeof path);
    struct rf_err err;
    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    int64_t cand;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.scope = "{}";
    t.state = "s0";
    for (int i = 0; i < NTESTS; i++)
        cr_assert_eq(rf_store_test_create(st, &t, &tests[i], &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_test_create(st, &t, &race_test, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_store_close(st);
    testdb_drop(path);
}

TestSuite(group_commit, .init = setup, .fini = teardown);

/* What one thread saw; checked by the main thread (asserting in workers is not portable). */
struct owner {
    int k;
    int ok, bad; /* acknowledged answers; outcomes other than expected */
    char first_bad[200];
};

static void expect(struct owner *o, rf_status got, rf_status want, const struct rf_err *err,
                   const char *what, int test, int seq)
{
    if (got == want)
        return;
    if (!o->bad++)
        snprintf(o->first_bad, sizeof o->first_bad, "thread %d, test %d, seq %d, %s: %s (%s)",
                 o->k, test, seq, what, rf_strerror(got), err->msg);
}

/* Answers the thread's own tests round-robin, one position at a time, with
 * a replay, a skip-ahead and (on odd positions) a failing answer around each. */
static void *own_tests(void *arg)
{
    struct owner *o = arg;
    struct rf_err err;
    char item[32], state[32];
    for (int seq = 0; seq < NANSWERS; seq++) {
        for (int i = o->k; i < NTESTS; i += NTHREADS) {
            int last = seq + 1 == NANSWERS;
            snprintf(item, sizeof item, "t%d-s%d", i, seq);
            snprintf(state, sizeof state, "s%d", seq + 1);
            struct rf_answer a = {tests[i], seq, item, seq % 4, seq % 2, 1000 + seq, NULL, 0};
            if (seq % 2) {
                /* item NULL violates NOT NULL after the test row was updated:
                 * the savepoint must take the update back */
                struct rf_answer broken = a;
                broken.item_id = NULL;
                expect(o, rf_store_answer(st, &broken, "broken", NULL, &err), RF_EINVAL, &err,
                       "failing answer", i, seq);
            }
            rf_status rc = rf_store_answer(st, &a, state, last ? "profile" : NULL, &err);
            expect(o, rc, RF_OK, &err, "answer", i, seq);
            o->ok += rc == RF_OK;
            struct rf_answer replay = a;
            replay.item_id = "replay";
            expect(o, rf_store_answer(st, &replay, "replayed", NULL, &err), RF_ECONFLICT, &err,
                   "replay", i, seq);
            struct rf_answer ahead = a;
            ahead.seq = seq + 2;
            ahead.item_id = "ahead";
            expect(o, rf_store_answer(st, &ahead, "ahead", NULL, &err), RF_ECONFLICT, &err,
                   "skip ahead", i, seq);
        }
    }
    return NULL;
}

struct racer {
    int k;
    int wins, conflicts, bad;
};

/* All racers answer the same test: each reads the answer count and tries
 * that position; exactly one answer per position may win. */
static void *race(void *arg)
{
    struct racer *r = arg;
    struct rf_err err;
    char item[32], state[32];
    for (;;) {
        struct rf_test t;
        if (rf_store_test_get(st, race_test, &t, &err) != RF_OK) {
            r->bad++;
            return NULL;
        }
        int64_t n = t.answers;
        rf_store_test_cleanup(&t);
        if (n >= NRACE)
            return NULL;
        snprintf(item, sizeof item, "r%d-s%lld", r->k, (long long)n);
        snprintf(state, sizeof state, "r%lld", (long long)n + 1);
        struct rf_answer a = {race_test, n, item, r->k, 0, 0, NULL, 0};
        rf_status rc = rf_store_answer(st, &a, state, NULL, &err);
        if (rc == RF_OK)
            r->wins++;
        else if (rc == RF_ECONFLICT)
            r->conflicts++;
        else
            r->bad++;
    }
}

struct seen {
    int test, n, bad;
    char first_bad[160];
};

static void check_row(void *ud, const struct rf_answer *a)
{
    struct seen *s = ud;
    char want[32];
    snprintf(want, sizeof want, "t%d-s%d", s->test, s->n);
    if ((a->seq != s->n || strcmp(a->item_id, want) != 0 || a->choice != s->n % 4 ||
         a->score != s->n % 2 || a->at != 1000 + s->n) &&
        !s->bad++)
        snprintf(s->first_bad, sizeof s->first_bad, "test %d row %d: seq %lld item %s", s->test,
                 s->n, (long long)a->seq, a->item_id);
    s->n++;
}

struct race_seen {
    int n, bad;
};

static void check_race_row(void *ud, const struct rf_answer *a)
{
    struct race_seen *s = ud;
    int k;
    long long seq;
    if (a->seq != s->n || sscanf(a->item_id, "r%d-s%lld", &k, &seq) != 2 || seq != s->n ||
        a->choice != k)
        s->bad++;
    s->n++;
}

/* Every owned test holds exactly its NANSWERS answers in order, the last
 * state and the profile; the raced test holds NRACE answers, one per position. */
static void check_all(const char *when)
{
    struct rf_err err;
    for (int i = 0; i < NTESTS; i++) {
        struct seen s = {i, 0, 0, ""};
        cr_assert_eq(rf_store_answers_list(st, tests[i], check_row, &s, &err), RF_OK, "%s",
                     err.msg);
        cr_assert_eq(s.bad, 0, "%s: %s", when, s.first_bad);
        cr_assert_eq(s.n, NANSWERS, "%s: test %d has %d answers", when, i, s.n);
        struct rf_test t;
        cr_assert_eq(rf_store_test_get(st, tests[i], &t, &err), RF_OK);
        char want[16];
        snprintf(want, sizeof want, "s%d", NANSWERS);
        cr_assert_eq(t.answers, NANSWERS, "%s: test %d", when, i);
        cr_assert_str_eq(t.state, want, "%s: test %d", when, i);
        cr_assert_str_eq(t.status, "finished", "%s: test %d", when, i);
        cr_assert_str_eq(t.profile, "profile", "%s: test %d", when, i);
        rf_store_test_cleanup(&t);
    }
    struct race_seen r = {0, 0};
    cr_assert_eq(rf_store_answers_list(st, race_test, check_race_row, &r, &err), RF_OK);
    cr_assert_eq(r.n, NRACE, "%s: the raced test has %d answers", when, r.n);
    cr_assert_eq(r.bad, 0, "%s: the raced test's answers are out of order", when);
    struct rf_test t;
    cr_assert_eq(rf_store_test_get(st, race_test, &t, &err), RF_OK);
    char want[16];
    snprintf(want, sizeof want, "r%d", NRACE);
    cr_assert_eq(t.answers, NRACE);
    cr_assert_str_eq(t.state, want, "%s: the raced test's state is its last answer's", when);
    cr_assert_str_eq(t.status, "active");
    rf_store_test_cleanup(&t);
}

Test(group_commit, concurrent_answers_are_stored_once_in_order_and_conflicts_refused)
{
    pthread_t th[NTHREADS + NRACERS];
    struct owner own[NTHREADS];
    struct racer rac[NRACERS];
    for (int k = 0; k < NTHREADS; k++) {
        own[k] = (struct owner){k, 0, 0, ""};
        cr_assert_eq(pthread_create(&th[k], NULL, own_tests, &own[k]), 0);
    }
    for (int k = 0; k < NRACERS; k++) {
        rac[k] = (struct racer){k, 0, 0, 0};
        cr_assert_eq(pthread_create(&th[NTHREADS + k], NULL, race, &rac[k]), 0);
    }
    for (int k = 0; k < NTHREADS + NRACERS; k++)
        pthread_join(th[k], NULL);
    int ok = 0, wins = 0;
    for (int k = 0; k < NTHREADS; k++) {
        cr_assert_eq(own[k].bad, 0, "%s", own[k].first_bad);
        ok += own[k].ok;
    }
    for (int k = 0; k < NRACERS; k++) {
        cr_assert_eq(rac[k].bad, 0, "racer %d had errors other than conflicts", k);
        wins += rac[k].wins;
    }
    cr_assert_eq(ok, NTESTS * NANSWERS);
    cr_assert_eq(wins, NRACE, "exactly one racer wins each position");
    check_all("before reopening");

    /* a finished test takes no answer, alone or beside an accepted one */
    struct rf_err err;
    struct rf_answer late = {tests[0], NANSWERS, "late", 0, 0, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &late, "late", NULL, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "not the next answer of an active test"), "%s", err.msg);
    struct rf_answer missing = {987654, 0, "x", 0, 0, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &missing, "x", NULL, &err), RF_ECONFLICT,
                 "an unknown test takes no answer");

    rf_store_close(st);
    st = NULL;
    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    check_all("after reopening");
}

/* PostgreSQL only. The server ends the store's connection in the middle of
 * a batch, as a restart ends every session: the batch waits for a row lock
 * that another connection holds, and its backend is terminated while it
 * waits. The answer must fail as RF_EUNAVAIL (the server then answers 503
 * with Retry-After), never as a plain database error (500), with nothing
 * stored; the next answer reconnects and is stored. The lock makes every run
 * end the connection at the same point. */
struct lost_answer {
    struct rf_store *st;
    struct rf_answer a;
    rf_status rc;
    struct rf_err err;
};

static void *answer_once(void *arg)
{
    struct lost_answer *l = arg;
    l->rc = rf_store_answer(l->st, &l->a, "s", NULL, &l->err);
    return NULL;
}

static void pg_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
              "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
}

Test(group_commit, a_connection_ended_mid_batch_is_unavailable_then_recovers)
{
    if (!testdb_is_pg())
        cr_skip_test("PostgreSQL only (RF_TEST_PG_URL)");
    char url[600], name[64], sql[300];
    snprintf(name, sizeof name, "rft_lost_%ld", (long)getpid());
    snprintf(url, sizeof url, "%s&application_name=%s", path, name);
    struct rf_store *s2;
    struct rf_err err;
    cr_assert_eq(rf_store_open(url, &s2, &err), RF_OK, "%s", err.msg);
    PGconn *blocker = PQconnectdb(path);
    cr_assert_eq(PQstatus(blocker), CONNECTION_OK, "%s", PQerrorMessage(blocker));
    int64_t seq = 0;
    for (int round = 0; round < 3; round++) {
        struct rf_answer a = {tests[0], seq, "before", 0, 1, 1000, NULL, 0};
        cr_assert_eq(rf_store_answer(s2, &a, "s", NULL, &err), RF_OK, "round %d: %s", round,
                     err.msg);
        seq++;
        snprintf(sql, sizeof sql, "BEGIN; SELECT id FROM tests WHERE id = %lld FOR UPDATE",
                 (long long)tests[0]);
        pg_ok(blocker, sql);
        struct lost_answer l = {s2, {tests[0], seq, "lost", 0, 1, 1000, NULL, 0}, RF_OK, {0}};
        pthread_t th;
        cr_assert_eq(pthread_create(&th, NULL, answer_once, &l), 0);
        /* the batch's backend waits for the lock: end it there */
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM pg_stat_activity WHERE application_name = '%s' AND "
                 "wait_event_type = 'Lock'",
                 name);
        int waiting = 0;
        for (int i = 0; i < 1000 && !waiting; i++) {
            waiting = testdb_int(path, sql) > 0;
            if (!waiting)
                usleep(10000);
        }
        cr_assert(waiting, "round %d: the batch never waited for the lock", round);
        snprintf(sql, sizeof sql,
                 "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                 "WHERE application_name = '%s'",
                 name);
        testdb_exec(path, sql);
        pthread_join(th, NULL);
        pg_ok(blocker, "COMMIT");
        cr_assert_eq(l.rc, RF_EUNAVAIL, "round %d: a batch whose connection ended: %s (%s)",
                     round, rf_strerror(l.rc), l.err.msg);
        struct rf_test t;
        cr_assert_eq(rf_store_test_get(s2, tests[0], &t, &err), RF_OK, "round %d: %s", round,
                     err.msg);
        cr_assert_eq(t.answers, seq, "round %d: the failed answer left nothing", round);
        rf_store_test_cleanup(&t);
    }
    PQfinish(blocker);
    rf_store_close(s2);
}
