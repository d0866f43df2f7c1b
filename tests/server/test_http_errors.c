/* Requests libmicrohttpd refuses by itself before they reach a handler (issue
 * 21): a Content-Length that overflows 64 bits (10^26) or is not a number, a
 * chunked body with a malformed or overflowing chunk size. Each gets our JSON
 * error with the security headers in one header block (libmicrohttpd 0.9.75
 * sends its HTML page, its header block twice for Content-Length), and the
 * connection is closed; the server keeps answering. Requests it refuses while
 * the headers are still arriving keep its own reply with one header block. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

static void start(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

/* Occurrences of needle in hay. */
static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Sends raw and checks the reply is our JSON error with status, one header
 * block and the security headers, and that the connection was closed after it. */
static void refused_with_json(const char *name, const char *raw, int status)
{
    struct http_result r;
    int rc = http_exchange(fx.port, raw, strlen(raw), 10000, &r);
    cr_assert_eq(rc, 0, "%s: no reply, or the connection stayed open (%d)", name, rc);
    cr_assert_eq(r.status, status, "%s: status %d, want %d: %s", name, r.status, status, r.body);
    cr_assert_eq(count(r.headers, "HTTP/1.") + count(r.body, "HTTP/1."), 1,
                 "%s: one status line and one header block, got:\n%s\n\n%s", name, r.headers,
                 r.body);
    char v[256];
    cr_assert(http_header(&r, "Content-Type", v, sizeof v) && !strcmp(v, "application/json"),
              "%s: %s", name, r.headers);
    cr_assert(http_header(&r, "X-Content-Type-Options", v, sizeof v) && !strcmp(v, "nosniff"),
              "%s: no security headers: %s", name, r.headers);
    cr_assert(http_header(&r, "Content-Security-Policy", v, sizeof v), "%s", name);
    cr_assert(http_header(&r, "X-Frame-Options", v, sizeof v), "%s", name);
    cr_assert(http_header(&r, "Connection", v, sizeof v) && !strcmp(v, "close"), "%s", name);
    cr_assert(json_is_string(json_object_get(r.json, "error")), "%s: not a JSON error: %s", name,
              r.body);
    http_result_free(&r);
}

static void health_answers(void)
{
    struct http_result r;
    cr_assert_eq(http_request(fx.port, "GET", "/api/health", NULL, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200);
    http_result_free(&r);
}

Test(http_errors, overflowing_content_length_gets_one_json_413, .init = start, .fini = stop)
{
    refused_with_json("Content-Length 10^26",
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100000000000000000000000000\r\n\r\n",
                      413);
    refused_with_json("Content-Length 2^64",
                      "POST /api/tests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 18446744073709551616\r\n\r\n{}",
                      413);
    /* the largest 64-bit value parses, and is over the route's cap: our 413 too */
    refused_with_json("Content-Length 2^64-1",
                      "POST /api/tests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 18446744073709551615\r\n\r\n",
                      413);
    health_answers();
}

Test(http_errors, malformed_length_and_chunks_get_json_400_or_413, .init = start, .fini = stop)
{
    refused_with_json("Content-Length not a number",
                      "GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400);
    refused_with_json("malformed chunk size",
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                      400);
    refused_with_json("chunk size over 64 bits",
                      "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
                      413);
    health_answers();
}

/* Refused while the headers were still arriving: libmicrohttpd's own short
 * reply, but still a single header block and the connection closed. */
Test(http_errors, header_errors_keep_one_header_block, .init = start, .fini = stop)
{
    static char raw[80 * 1024];
    int n = snprintf(raw, sizeof raw, "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(raw + n, 'a', sizeof raw - (size_t)n - 8);
    memcpy(raw + sizeof raw - 8, "\r\n\r\n", 5);
    const char *cases[] = {raw, "GET /api/health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"};
    for (size_t i = 0; i < 2; i++) {
        struct http_result r;
        cr_assert_eq(http_exchange(fx.port, cases[i], strlen(cases[i]), 10000, &r), 0, "case %zu",
                     i);
        cr_assert(r.status == 400 || r.status == 431, "case %zu: %d", i, r.status);
        cr_assert_eq(count(r.headers, "HTTP/1.") + count(r.body, "HTTP/1."), 1, "case %zu: %s",
                     i, r.headers);
        http_result_free(&r);
    }
    health_answers();
}
