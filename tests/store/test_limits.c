/* Limits shared by the processes on one database (store.h, issue 20), on
 * either backend (testdb.h): token buckets taken strictly or settled into
 * debt, counters, open practice slots with their caps, the reserved fifth,
 * idle times and retry times; and two stores on one database (two processes)
 * holding one budget. */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "store/store.h"
#include "testdb.h"

static char url[512];
static struct rf_store *s, *s2;
static struct rf_err err;

static void setup(void)
{
    testdb_create(url, sizeof url);
    cr_assert_eq(rf_store_open(url, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_open(url, &s2, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_store_close(s);
    rf_store_close(s2);
    testdb_drop(url);
}

TestSuite(limits, .init = setup, .fini = teardown);

static int take(struct rf_store *st, const char *key, double now, int strict, double cost,
                double *level)
{
    struct rf_store_take v = {key, 2.0, 4.0, cost, 0, 0};
    cr_assert_eq(rf_store_limits_take(st, now, strict, &v, 1, &err), RF_OK, "%s", err.msg);
    if (level)
        *level = v.level;
    return v.taken;
}

/* rate 2/s, burst 4: a new key starts full; strict takes stop at empty and
 * leave the bucket as it is; it refills with time, never beyond the burst;
 * keys are apart; two stores on one database share the bucket. */
Test(limits, strict_token_bucket_shared_by_two_stores)
{
    double level;
    for (int i = 0; i < 4; i++)
        cr_assert(take(i % 2 ? s2 : s, "ip:a", 1000, 1, 1, &level), "take %d", i);
    cr_assert_float_eq(level, 0, 1e-9);
    cr_assert(!take(s, "ip:a", 1000, 1, 1, &level), "empty: the second store took half");
    cr_assert(!take(s2, "ip:a", 1000.25, 1, 1, &level));
    cr_assert_float_eq(level, 0.5, 1e-9, "refused takes leave the bucket as it is");
    cr_assert(take(s2, "ip:a", 1000.5, 1, 1, &level), "refilled 1 in 0.5 s");
    cr_assert(take(s, "ip:b", 1000.5, 1, 1, NULL), "another key is full");
    cr_assert(take(s, "ip:a", 1100, 1, 1, &level));
    cr_assert_float_eq(level, 3, 1e-9, "refilled to the burst, no further");
    /* a clock that steps back refills nothing */
    cr_assert(take(s, "ip:a", 900, 1, 1, &level));
    cr_assert_float_eq(level, 2, 1e-9);
}

/* Settling (not strict) always takes, into debt down to -burst, and the debt
 * is repaid by time before anything passes again. */
Test(limits, settling_goes_into_debt_and_repays_it)
{
    double level;
    cr_assert(take(s, "answer:1:2", 50, 0, 3, &level));
    cr_assert_float_eq(level, 1, 1e-9);
    cr_assert(take(s2, "answer:1:2", 50, 0, 3, &level), "another process let 3 through");
    cr_assert_float_eq(level, -2, 1e-9);
    cr_assert(take(s, "answer:1:2", 50, 0, 100, &level));
    cr_assert_float_eq(level, -4, 1e-9, "debt bounded by the burst");
    cr_assert(!take(s, "answer:1:2", 52, 1, 1, &level), "still in debt after 2 s");
    cr_assert(take(s, "answer:1:2", 52.5, 1, 1, &level), "repaid at 2 tokens/s");
    /* several keys in one call */
    struct rf_store_take v[3] = {{"k1", 1, 2, 1, 0, 0}, {"k2", 1, 2, 5, 0, 0}, {"k1", 1, 2, 1, 0, 0}};
    cr_assert_eq(rf_store_limits_take(s, 10, 0, v, 3, &err), RF_OK, "%s", err.msg);
    cr_assert_float_eq(v[0].level, 1, 1e-9);
    cr_assert_float_eq(v[1].level, -2, 1e-9);
    cr_assert_float_eq(v[2].level, 0, 1e-9);
}

/* A settling of many keys at once (one round trip on PostgreSQL) takes from
 * every bucket exactly what takes one at a time would, new and old ones,
 * whatever characters the keys hold. */
Test(limits, many_takes_at_once_equal_takes_one_by_one)
{
    const char *keys[] = {"ip:10.0.0.1", "answer:7", "q\"uo,te{}", "back\\slash", "ip:::1",
                          "answer:8"};
    enum { N = sizeof keys / sizeof keys[0] };
    char one[N][64];
    struct rf_store_take v[N];
    double now = 100;
    for (int round = 0; round < 3; round++, now += 0.5) {
        for (size_t i = 0; i < N; i++) {
            snprintf(one[i], sizeof one[i], "one/%s", keys[i]);
            v[i] = (struct rf_store_take){keys[i], 2.0, 4.0, (double)(i % 3) + 0.5, 0, 0};
        }
        cr_assert_eq(rf_store_limits_take(s, now, 0, v, N, &err), RF_OK, "%s", err.msg);
        for (size_t i = 0; i < N; i++) {
            double level;
            cr_assert(take(s2, one[i], now, 0, (double)(i % 3) + 0.5, &level));
            cr_assert(v[i].taken, "round %d key %s", round, keys[i]);
            cr_assert_float_eq(v[i].level, level, 1e-9, "round %d key %s: %g vs one by one %g",
                               round, keys[i], v[i].level, level);
        }
    }
}

/* Two processes settling the same keys at the same moments, in opposite
 * orders: every take lands (no deadlock, nothing lost). */
struct settler {
    struct rf_store *st;
    int reverse;
    rf_status rc;
    char msg[256];
};
static void *settle_loop(void *arg)
{
    struct settler *w = arg;
    char keys[40][16];
    struct rf_store_take v[40];
    struct rf_err e;
    w->rc = RF_OK;
    for (int round = 0; round < 20 && !w->rc; round++) {
        for (int i = 0; i < 40; i++) {
            snprintf(keys[i], sizeof keys[i], "k%02d", w->reverse ? 39 - i : i);
            v[i] = (struct rf_store_take){keys[i], 1e-9, 1e6, 1, 0, 0};
        }
        w->rc = rf_store_limits_take(w->st, 1000, 0, v, 40, &e);
        if (w->rc)
            snprintf(w->msg, sizeof w->msg, "%s", e.msg);
    }
    return NULL;
}

Test(limits, settlings_of_two_processes_over_the_same_keys_all_land)
{
    struct settler a = {s, 0, RF_OK, ""}, b = {s2, 1, RF_OK, ""};
    pthread_t ta, tb;
    cr_assert_eq(pthread_create(&ta, NULL, settle_loop, &a), 0);
    cr_assert_eq(pthread_create(&tb, NULL, settle_loop, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    cr_assert_eq(a.rc, RF_OK, "%s", a.msg);
    cr_assert_eq(b.rc, RF_OK, "%s", b.msg);
    for (int i = 0; i < 40; i += 13) {
        char k[16];
        snprintf(k, sizeof k, "k%02d", i);
        struct rf_store_take q = {k, 1e-9, 1e6, 0, 0, 0};
        cr_assert_eq(rf_store_limits_take(s, 1000, 0, &q, 1, &err), RF_OK, "%s", err.msg);
        cr_assert_float_eq(q.level, 1e6 - 40, 1e-6, "key %s: 20 takes of 1 by each", k);
    }
}

/* Counters: add, read, clear; a long key is cut, not refused; prune removes
 * what was last touched before a time. */
Test(limits, counters_add_read_clear_prune)
{
    int64_t n;
    double at;
    cr_assert_eq(rf_store_counter(s, "fail:a@x", RF_STORE_COUNT_GET, 5, &n, &at, &err), RF_OK);
    cr_assert(n == 0 && at == 0);
    for (int i = 1; i <= 3; i++) {
        cr_assert_eq(rf_store_counter(i % 2 ? s : s2, "fail:a@x", RF_STORE_COUNT_ADD, 10 + i, &n,
                                      &at, &err),
                     RF_OK, "%s", err.msg);
        cr_assert_eq(n, i);
        cr_assert_float_eq(at, 10 + i, 1e-9);
    }
    cr_assert_eq(rf_store_counter(s2, "fail:a@x", RF_STORE_COUNT_GET, 20, &n, &at, &err), RF_OK);
    cr_assert(n == 3 && fabs(at - 13) < 1e-9);
    cr_assert_eq(rf_store_counter(s, "fail:a@x", RF_STORE_COUNT_CLEAR, 20, NULL, NULL, &err),
                 RF_OK);
    cr_assert_eq(rf_store_counter(s, "fail:a@x", RF_STORE_COUNT_GET, 20, &n, NULL, &err), RF_OK);
    cr_assert_eq(n, 0);
    char long_key[400];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    cr_assert_eq(rf_store_counter(s, long_key, RF_STORE_COUNT_ADD, 30, &n, NULL, &err), RF_OK,
                 "%s", err.msg);
    cr_assert_eq(rf_store_counter(s, "old", RF_STORE_COUNT_ADD, 5, &n, NULL, &err), RF_OK);
    cr_assert_eq(rf_store_counter(s, "", RF_STORE_COUNT_PRUNE, 10, NULL, NULL, &err), RF_OK,
                 "%s", err.msg);
    cr_assert_eq(rf_store_counter(s, "old", RF_STORE_COUNT_GET, 40, &n, NULL, &err), RF_OK);
    cr_assert_eq(n, 0, "pruned");
    cr_assert_eq(rf_store_counter(s, long_key, RF_STORE_COUNT_GET, 40, &n, NULL, &err), RF_OK);
    cr_assert_eq(n, 1, "kept");
}

static int64_t slot(struct rf_store *st, const char *key, double now, int64_t total,
                    int64_t per_key, double *retry, int *per)
{
    struct rf_store_slot_ask q = {key, now, 10, total, per_key};
    int64_t id;
    int pk;
    double r;
    cr_assert_eq(rf_store_slot_take(st, &q, &id, &pk, &r, &err), RF_OK, "%s", err.msg);
    if (retry)
        *retry = r;
    if (per)
        *per = pk;
    return id;
}

static void change(struct rf_store *st, int kind, int64_t id, int64_t test, int finished,
                   double now)
{
    struct rf_store_slot_change c = {kind, id, test, finished, now};
    cr_assert_eq(rf_store_slots_update(st, &c, 1, &err), RF_OK, "%s", err.msg);
}

/* The caps on open practice tests, held by the database: 2 per key and 3 in all,
 * idle after 10 s without an answer, retry times to the first slot in the
 * way, answers keeping a slot and a finished test freeing it; two stores
 * (processes) count the same slots. */
Test(limits, practice_slots_caps_idle_and_retry_times)
{
    double retry;
    int per;
    int64_t a1 = slot(s, "a", 0, 3, 2, NULL, NULL);
    cr_assert_gt(a1, 0);
    change(s, RF_STORE_SLOT_BIND, a1, 1, 0, 0);
    int64_t a2 = slot(s2, "a", 1, 3, 2, NULL, NULL);
    cr_assert_gt(a2, 0);
    change(s2, RF_STORE_SLOT_BIND, a2, 2, 0, 1);
    cr_assert_eq(slot(s, "a", 2, 3, 2, &retry, &per), 0, "two per key, across processes");
    cr_assert(per);
    cr_assert_float_eq(retry, 8, 1e-9, "a's first slot goes idle at 10");
    int64_t b1 = slot(s2, "b", 2, 3, 2, NULL, NULL);
    cr_assert_gt(b1, 0);
    change(s2, RF_STORE_SLOT_BIND, b1, 3, 0, 2);
    cr_assert_eq(slot(s, "c", 3, 3, 2, &retry, &per), 0, "three in all");
    cr_assert(!per);
    /* test 1 finished: its slot is free */
    change(s, RF_STORE_SLOT_ANSWERED, 0, 1, 1, 4);
    int64_t c1 = slot(s, "c", 4, 3, 2, NULL, NULL);
    cr_assert_gt(c1, 0);
    change(s, RF_STORE_SLOT_BIND, c1, 4, 0, 4);
    /* test 2 answered at 9 keeps its slot to 19; b's (bound at 2) idles at 12 */
    change(s2, RF_STORE_SLOT_ANSWERED, 0, 2, 0, 9);
    change(s2, RF_STORE_SLOT_ANSWERED, 0, 99, 1, 9); /* no slot: nothing */
    cr_assert_gt(slot(s, "d", 12.5, 3, 2, NULL, NULL), 0, "b's slot went idle");
    cr_assert_eq(slot(s, "e", 12.6, 3, 2, &retry, NULL), 0);
    cr_assert_geq(retry, 1, "retry at least 1 s");
    /* a slot released by a failed start is free at once */
    int64_t r = slot(s, "z", 100, 3, 2, NULL, NULL);
    cr_assert_gt(r, 0);
    change(s, RF_STORE_SLOT_RELEASE, r, 0, 0, 100);
}

/* A settling keeps the slots of every test answered since the last one, in
 * one call (one round trip on PostgreSQL), each to the latest of its times;
 * tests without a slot change nothing. */
Test(limits, answered_tests_keep_their_slots_together)
{
    /* key k holds three slots (its cap) for tests 10-12, bound at 0 */
    for (int i = 0; i < 3; i++) {
        int64_t x = slot(s, "k", 0, 10, 3, NULL, NULL);
        cr_assert_gt(x, 0);
        change(s, RF_STORE_SLOT_BIND, x, 10 + i, 0, 0);
    }
    /* 10 and 11 answered at 8 (11 also at 7, listed after), 12 not; 99 has no slot */
    struct rf_store_slot_change c[4] = {{RF_STORE_SLOT_ANSWERED, 0, 10, 0, 8},
                                        {RF_STORE_SLOT_ANSWERED, 0, 11, 0, 8},
                                        {RF_STORE_SLOT_ANSWERED, 0, 11, 0, 7},
                                        {RF_STORE_SLOT_ANSWERED, 0, 99, 0, 8}};
    cr_assert_eq(rf_store_slots_update(s2, c, 4, &err), RF_OK, "%s", err.msg);
    /* idle after 10 s: at 11 only 12's slot (last at 0) is free, and k takes it */
    int64_t x = slot(s, "k", 11, 10, 3, NULL, NULL);
    cr_assert_gt(x, 0, "12's slot went idle");
    change(s, RF_STORE_SLOT_BIND, x, 13, 0, 11);
    /* at 12 k is at its cap again: its first slot frees at 18, 10 s after 8
     * (the latest of 11's times; 7 would say 17) */
    double retry;
    int per;
    cr_assert_eq(slot(s, "k", 12, 10, 3, &retry, &per), 0, "10 and 11 kept theirs");
    cr_assert(per);
    cr_assert_float_eq(retry, 6, 1e-9, "retry %g", retry);
}

/* A slot taken but never bound (its process died within the request) frees
 * itself after RF_STORE_SLOT_UNBOUND, not before. */
Test(limits, unbound_slot_frees_after_its_bound)
{
    cr_assert_gt(slot(s, "a", 0, 1, 0, NULL, NULL), 0);
    cr_assert_eq(slot(s2, "b", RF_STORE_SLOT_UNBOUND - 1, 1, 0, NULL, NULL), 0,
                 "a start in progress holds it");
    cr_assert_gt(slot(s2, "b", RF_STORE_SLOT_UNBOUND + 1, 1, 0, NULL, NULL), 0);
}

/* The last fifth of the slots is kept for keys that hold none: 10 slots,
 * 8 held by keys holding some; a key holding some cannot take the last 2,
 * newcomers can, once each. */
Test(limits, the_last_fifth_is_kept_for_keys_that_hold_none)
{
    const char *keys[] = {"a", "b", "c", "d"};
    int64_t test = 1;
    for (size_t k = 0; k < 4; k++)
        for (int i = 0; i < 2; i++) {
            int64_t x = slot(s, keys[k], 0, 10, 3, NULL, NULL);
            cr_assert_gt(x, 0, "%s %d", keys[k], i);
            change(s, RF_STORE_SLOT_BIND, x, test++, 0, 0);
        }
    cr_assert_eq(slot(s, "a", 1, 10, 3, NULL, NULL), 0, "a holds some: no reserved slot");
    int64_t x = slot(s2, "newcomer", 1, 10, 3, NULL, NULL);
    cr_assert_gt(x, 0, "a key holding none gets in");
    change(s2, RF_STORE_SLOT_BIND, x, 99, 0, 1);
    cr_assert_eq(slot(s, "newcomer", 1, 10, 3, NULL, NULL), 0, "not twice");
    cr_assert_gt(slot(s, "other", 1, 10, 3, NULL, NULL), 0, "the second reserved slot");
    cr_assert_eq(slot(s, "third", 1, 10, 3, NULL, NULL), 0, "all 10 held");
}
