/* rf_http_config.heavy_if (issue 17): a request of an ordinary route runs on
 * the heavy-request workers when heavy_if says so for it (a staff report of a
 * test, with the interviews' calibration), and on the HTTP thread otherwise.
 * The handler answers its thread's nice value: the heavy workers lower theirs
 * to RF_HTTP_HEAVY_NICE. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/config.h"
#include "server/http.h"
#include "client.h"

static void nice_of_thread(void *app, struct rf_req *req, struct rf_resp *resp)
{
    (void)app;
    (void)req;
    int n = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    rf_resp_json(resp, 200, json_pack("{s:i}", "nice", n));
}

static const struct rf_route routes[] = {{"GET", "/x", nice_of_thread, NULL, 0}};

/* heavy when the request says X-Heavy: 1 */
static int heavy_if(void *app, const struct rf_route *r, struct rf_req *req)
{
    (void)app;
    const char *h = rf_req_header(req, "X-Heavy");
    return r == &routes[0] && h && strcmp(h, "1") == 0;
}

static int nice_via(unsigned port, const char *headers)
{
    struct http_result r;
    cr_assert_eq(http_request(port, "GET", "/x", headers, NULL, 0, &r), 0, "no reply");
    cr_assert_eq(r.status, 200, "status %d: %s", r.status, r.body);
    json_t *n = json_object_get(r.json, "nice");
    cr_assert(json_is_integer(n), "no nice in %s", r.body);
    int v = (int)json_integer_value(n);
    http_result_free(&r);
    return v;
}

Test(heavy_if, routes_a_request_to_the_heavy_workers_when_it_says_so)
{
    int base = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
    if (base >= RF_HTTP_HEAVY_NICE)
        cr_skip_test("the tests already run at nice %d", base);
    struct rf_http_config hc = {.addr = "127.0.0.1",
                                .threads = 1,
                                .max_body = 4096,
                                .timeout = 10,
                                .routes = routes,
                                .nroutes = 1,
                                .heavy_if = heavy_if};
    struct rf_http *h = NULL;
    struct rf_err err;
    cr_assert_eq(rf_http_start(&hc, &h, &err), RF_OK, "%s", err.msg);
    unsigned port = rf_http_port(h);
    int plain = nice_via(port, NULL), heavy = nice_via(port, "X-Heavy: 1\r\n"),
        other = nice_via(port, "X-Heavy: 0\r\n");
    rf_http_stop(h, 1);
    cr_assert_eq(heavy, RF_HTTP_HEAVY_NICE, "the heavy request ran at nice %d", heavy);
    cr_assert(plain < RF_HTTP_HEAVY_NICE && other < RF_HTTP_HEAVY_NICE,
              "ordinary requests ran at nice %d and %d", plain, other);
}
