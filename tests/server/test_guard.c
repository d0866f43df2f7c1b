/* The sign-in guards (server/guard.h): the hashing gate and the per-account
 * throttle, alone and through the real server. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

static void short_headers(struct rf_server_config *cfg)
{
    cfg->header_seconds = 1.0;
}

static void setup_short_headers(void)
{
    fixture_start_with(1, 0, short_headers);
}

/* Slowloris: a client that sends one header byte now and then resets the idle
 * timeout with each byte, but not the header deadline: its connection is shut
 * down once the headers have taken longer than header_seconds in all, while a
 * normal request on another connection is answered. */
Test(guard_http, slow_headers_are_shut_down, .init = setup_short_headers, .fini = fixture_stop)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)fx.port);
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    const char *start = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    cr_assert(write(fd, start, strlen(start)) > 0);
    int closed = 0;
    double waited = 0;
    for (int i = 0; i < 40 && !closed; i++) { /* up to 8 s of one byte per 0.2 s */
        struct timespec ts = {0, 200L * 1000 * 1000};
        nanosleep(&ts, NULL);
        waited += 0.2;
        if (send(fd, "a", 1, MSG_NOSIGNAL) < 0) {
            closed = 1;
            break;
        }
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 0) > 0) {
            char buf[64];
            closed = recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0;
        }
        if (i == 2) { /* meanwhile others are served */
            struct http_result r;
            cr_assert_eq(http_request(fx.port, "GET", "/api/health", NULL, NULL, 0, &r), 0);
            cr_assert_eq(r.status, 200);
            http_result_free(&r);
        }
    }
    close(fd);
    cr_assert(closed, "a connection trickling its headers was kept for %.1f s", waited);
    cr_assert(waited >= 0.9, "shut down after %.1f s, before its deadline", waited);
    cr_assert_geq(rf_server_shed_count(fx.srv), 1);
}
