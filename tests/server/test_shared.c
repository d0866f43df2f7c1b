/* Limits held for the whole deployment (server/shared.h): two rf_shared on
 * one database stand for two serve processes behind a load balancer. A
 * settled limit lets each process decide alone until it settles, then both
 * hold one budget; the failed-sign-in throttle doubles to its cap across
 * processes and a success clears it; a secret is made once; a token is spent
 * once. Time is a test clock, and the processes settle by hand. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "server/shared.h"
#include "store/store.h"

static double clock_now = 1000;
static double test_clock(void)
{
    return clock_now;
}

static char dir[] = "/tmp/rf-test-shared-XXXXXX";
static char db[128];
static struct rf_store *st1, *st2;
static struct rf_shared *p1, *p2;
static struct rf_err err;

static void setup(void)
{
    cr_assert(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/shared.db", dir);
    cr_assert_eq(rf_store_open(db, &st1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_open(db, &st2, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_shared_new(st1, test_clock, 0, &p1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_shared_new(st2, test_clock, 0, &p2, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_shared_free(p1);
    rf_shared_free(p2);
    rf_store_close(st1);
    rf_store_close(st2);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(shared, .init = setup, .fini = teardown);

static int passes(struct rf_shlimit *l, const char *key, int n)
{
    int ok = 0;
    for (int i = 0; i < n; i++)
        ok += rf_shlimit_take(l, key, NULL);
    return ok;
}

/* 1 a second, burst 10. Alone, each process lets its own burst through; once
 * both have settled, what one took is gone for the other, and the debt is
 * repaid before anything passes again: over time, one budget. */
Test(shared, settled_limit_is_one_budget_for_two_processes)
{
    struct rf_shlimit *l1, *l2;
    cr_assert_eq(rf_shlimit_new(p1, "ip", 1, 10, 64, &l1, &err), RF_OK);
    cr_assert_eq(rf_shlimit_new(p2, "ip", 1, 10, 64, &l2, &err), RF_OK);
    cr_assert_eq(passes(l1, "10.0.0.1", 6), 6);
    rf_shared_sync(p1);
    /* the second process had not seen the key: its first takes are its own */
    cr_assert_eq(passes(l2, "10.0.0.1", 1), 1);
    rf_shared_sync(p2);
    /* settled: 10 - 6 - 1 = 3 left for both */
    cr_assert_eq(passes(l2, "10.0.0.1", 10), 3, "the store's level is the local one");
    rf_shared_sync(p2);
    /* the first process acts on what it last settled (4 left) until it
     * settles again: then the store's debt is its own, repaid first */
    cr_assert_eq(passes(l1, "10.0.0.1", 10), 4);
    rf_shared_sync(p1);
    clock_now += 2;
    cr_assert_eq(passes(l1, "10.0.0.1", 10), 0, "-4 + 2: still in debt");
    clock_now += 6;
    cr_assert_eq(passes(l1, "10.0.0.1", 10), 4, "repaid, then 1 a second");
    cr_assert_eq(passes(l1, "10.0.0.2", 10), 10, "another address has its own");
    /* each process alone for a while: together they overdraw, then repay */
    rf_shared_sync(p1);
    rf_shared_sync(p2);
    clock_now += 100;
    int both = passes(l1, "10.0.0.3", 10) + passes(l2, "10.0.0.3", 10);
    cr_assert_eq(both, 20, "between settlings each decides alone");
    rf_shared_sync(p1);
    rf_shared_sync(p2); /* the store: 10 - 10 - 10 = -10 */
    clock_now += 5;
    cr_assert_eq(passes(l2, "10.0.0.3", 10), 0, "settled last, it knows the debt: -10 + 5");
    cr_assert_eq(passes(l1, "10.0.0.3", 10), 5,
                 "not settled since the other overdrew: it spends its own refill");
    rf_shared_sync(p1);
    cr_assert_eq(passes(l1, "10.0.0.3", 10), 0, "settled: the debt is the store's");
    clock_now += 16;
    cr_assert_eq(passes(l1, "10.0.0.3", 10), 6, "-10 repaid, then 1 a second");
}

/* After RF_THROTTLE_FREE failures an account waits 1, 2, 4 ... s up to
 * RF_THROTTLE_MAX_DELAY, whichever process it asks; the case of the address
 * does not matter; a success clears it. */
Test(shared, throttle_doubles_across_processes_and_clears_on_success)
{
    double retry = -1;
    for (int i = 0; i < RF_THROTTLE_FREE; i++) {
        cr_assert_eq(rf_shared_throttle_allowed(i % 2 ? p1 : p2, "ada@acme.test", &retry, &err), 1,
                     "free attempt %d", i);
        rf_shared_throttle_failed(i % 2 ? p2 : p1, "ada@acme.test");
    }
    cr_assert_eq(rf_shared_throttle_allowed(p1, "ADA@acme.test", &retry, &err), 1, "no delay yet");
    double want = 1;
    for (int k = 0; k < 10; k++) {
        rf_shared_throttle_failed(k % 2 ? p1 : p2, "ada@acme.test");
        cr_assert_eq(rf_shared_throttle_allowed(k % 2 ? p2 : p1, "Ada@Acme.test", &retry, &err), 0,
                     "failure %d", k);
        cr_assert_float_eq(retry, want, 1e-6, "failure %d: delay %g, want %g", k, retry, want);
        cr_assert_eq(rf_shared_throttle_allowed(p1, "bob@acme.test", &retry, &err), 1);
        clock_now += want;
        cr_assert_eq(rf_shared_throttle_allowed(p2, "ada@acme.test", &retry, &err), 1);
        want = want * 2 > RF_THROTTLE_MAX_DELAY ? RF_THROTTLE_MAX_DELAY : want * 2;
    }
    rf_shared_throttle_failed(p1, "ada@acme.test");
    rf_shared_throttle_succeeded(p2, "ada@acme.test");
    cr_assert_eq(rf_shared_throttle_allowed(p1, "ada@acme.test", &retry, &err), 1,
                 "a success clears the delay");
}

/* Exact takes, secrets and spent tokens hold across processes. */
Test(shared, exact_take_secret_and_spend)
{
    double retry = 0;
    for (int i = 0; i < 3; i++)
        cr_assert_eq(rf_shared_take(i % 2 ? p1 : p2, "signin", "10.1.1.1", 1.0 / 60, 3, &retry,
                                    &err),
                     1, "%d", i);
    cr_assert_eq(rf_shared_take(p1, "signin", "10.1.1.1", 1.0 / 60, 3, &retry, &err), 0);
    cr_assert_float_eq(retry, 60, 1e-6);
    unsigned char a[32], b[32];
    cr_assert_eq(rf_shared_secret(p1, "pow", a, sizeof a, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_shared_secret(p2, "pow", b, sizeof b, &err), RF_OK, "%s", err.msg);
    cr_assert(memcmp(a, b, sizeof a) == 0, "one secret for both");
    cr_assert_eq(rf_shared_spend(p1, "pow", "c1", &err), 1);
    cr_assert_eq(rf_shared_spend(p2, "pow", "c1", &err), 0, "spent by the other process");
    cr_assert_eq(rf_shared_spend(p2, "pow", "c2", &err), 1);
}
