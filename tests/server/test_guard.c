/* The sign-in guards (server/guard.h): the hashing gate and the per-account
 * throttle, alone and through the real server. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "fixture.h"
#include "server/guard.h"

Test(guard, gate_bounds_holders_and_waiters)
{
    struct rf_gate *g;
    struct rf_err err;
    cr_assert_eq(rf_gate_new(1, 0, &g, &err), RF_OK);
    cr_assert(rf_gate_enter(g, 1.0));
    cr_assert(!rf_gate_enter(g, 1.0), "no queue: a second caller is turned away at once");
    rf_gate_leave(g);
    cr_assert(rf_gate_enter(g, 0));
    rf_gate_leave(g);
    rf_gate_free(g);
}

static void *release_later(void *arg)
{
    struct timespec ts = {0, 100L * 1000 * 1000};
    nanosleep(&ts, NULL);
    rf_gate_leave(arg);
    return NULL;
}

Test(guard, gate_waiter_gets_the_freed_slot_or_times_out)
{
    struct rf_gate *g;
    struct rf_err err;
    cr_assert_eq(rf_gate_new(1, 1, &g, &err), RF_OK);
    cr_assert(rf_gate_enter(g, 0));
    cr_assert(!rf_gate_enter(g, 0.05), "times out while the slot is held");
    pthread_t t;
    pthread_create(&t, NULL, release_later, g);
    cr_assert(rf_gate_enter(g, 10.0), "gets the slot once it is freed");
    pthread_join(t, NULL);
    rf_gate_leave(g);
    rf_gate_free(g);
}

Test(guard, throttle_backs_off_doubling_to_the_cap_and_clears_on_success)
{
    struct rf_throttle *t;
    struct rf_err err;
    cr_assert_eq(rf_throttle_new(64, &t, &err), RF_OK);
    double now = 100, retry = -1;
    for (int i = 0; i < RF_THROTTLE_FREE; i++) {
        cr_assert(rf_throttle_allowed(t, "ada@acme.test", now, &retry), "free attempt %d", i);
        rf_throttle_failed(t, "ada@acme.test", now);
    }
    cr_assert(rf_throttle_allowed(t, "ADA@acme.test", now, NULL), "no delay yet");
    double want = 1;
    for (int k = 0; k < 10; k++) {
        rf_throttle_failed(t, "ada@acme.test", now);
        cr_assert(!rf_throttle_allowed(t, "Ada@Acme.test", now, &retry), "failure %d", k);
        cr_assert_float_eq(retry, want, 1e-9, "failure %d: delay %g, want %g", k, retry, want);
        cr_assert(rf_throttle_allowed(t, "bob@acme.test", now, NULL), "other accounts unaffected");
        now += retry;
        cr_assert(rf_throttle_allowed(t, "ada@acme.test", now, NULL));
        want = want * 2 > RF_THROTTLE_MAX_DELAY ? RF_THROTTLE_MAX_DELAY : want * 2;
    }
    cr_assert_float_eq(retry, RF_THROTTLE_MAX_DELAY, 1e-9, "capped");
    rf_throttle_failed(t, "ada@acme.test", now);
    rf_throttle_succeeded(t, "ada@acme.test");
    cr_assert(rf_throttle_allowed(t, "ada@acme.test", now, NULL), "a success clears the delay");
    rf_throttle_free(t);
}

static void setup_server(void)
{
    fixture_start(1, 0);
}

/* Through the server: an account under attack gets 429 with Retry-After
 * without any hashing, others sign in, and the real user gets in once the
 * delay has passed (the fixture's clock stands still until moved). */
Test(guard_http, failed_sign_ins_throttle_the_account_only, .init = setup_server,
     .fini = fixture_stop)
{
    struct http_client a = fixture_admin();
    (void)a;
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    const char *wrong = "{\"email\":\"ada@acme.test\",\"password\":\"not the password\"}";
    for (int i = 0; i < RF_THROTTLE_FREE + 1; i++) {
        cr_assert_eq(client_do(&c, "POST", "/api/login", wrong, &r), 0);
        cr_assert_eq(r.status, 401, "attempt %d: %s", i, r.body);
        http_result_free(&r);
    }
    cr_assert_eq(client_do(&c, "POST", "/api/login", wrong, &r), 0);
    cr_assert_eq(r.status, 429, "%s", r.body);
    char v[32];
    cr_assert(http_header(&r, "Retry-After", v, sizeof v));
    cr_assert(atoi(v) >= 1 && atoi(v) <= 2, "Retry-After %s for a 1 s delay", v);
    http_result_free(&r);
    /* even the right password waits: the attacker cannot tell */
    const char *right = "{\"email\":\"ada@acme.test\",\"password\":\"correct horse\"}";
    cr_assert_eq(client_do(&c, "POST", "/api/login", right, &r), 0);
    cr_assert_eq(r.status, 429, "%s", r.body);
    http_result_free(&r);
    fixture_advance(1.0);
    cr_assert_eq(client_do(&c, "POST", "/api/login", right, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    /* the success cleared the account's failures */
    struct http_client d = {fx.port, "", ""};
    cr_assert_eq(client_do(&d, "POST", "/api/login", wrong, &r), 0);
    cr_assert_eq(r.status, 401, "%s", r.body);
    http_result_free(&r);
}
