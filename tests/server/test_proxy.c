/* The session cookie's Secure flag in each mode (plain, --secure-cookies,
 * behind a trusted proxy), and which X-Forwarded-* headers are believed:
 * only those of the trusted proxy's connections. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"

static const char *start_body = "{\"skills\":[\"deep_learning\"]}";

/* Starts a practice test with extra header lines; returns its Set-Cookie in out. */
static void start_cookie(const char *extra, char *out, size_t n)
{
    char hdr[512];
    snprintf(hdr, sizeof hdr, "Content-Type: application/json\r\n%s", extra ? extra : "");
    struct http_result r;
    cr_assert_eq(http_request(fx.port, "POST", "/api/tests", hdr, start_body, strlen(start_body),
                              &r),
                 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    cr_assert(http_header(&r, "Set-Cookie", out, n), "a new candidate gets a cookie");
    cr_assert(strstr(out, "HttpOnly") && strstr(out, "SameSite=Strict"), "%s", out);
    http_result_free(&r);
}

static int secure(const char *cookie)
{
    return strstr(cookie, "; Secure") != NULL;
}

static void stop(void)
{
    fixture_stop();
}

static void plain(void)
{
    fixture_start(1, 0);
}

Test(cookies, plain_http_has_no_secure_and_ignores_forwarded_proto, .init = plain, .fini = stop)
{
    char c[512];
    start_cookie(NULL, c, sizeof c);
    cr_assert(!secure(c), "%s", c);
    start_cookie("X-Forwarded-Proto: https\r\n", c, sizeof c);
    cr_assert(!secure(c), "an untrusted X-Forwarded-Proto is ignored: %s", c);
}

static void tweak_secure(struct rf_server_config *cfg)
{
    cfg->secure_cookies = 1;
}

static void with_secure(void)
{
    fixture_start_with(1, 0, tweak_secure);
}

Test(cookies, secure_cookies_on_every_cookie, .init = with_secure, .fini = stop)
{
    char c[512];
    start_cookie(NULL, c, sizeof c);
    cr_assert(secure(c), "%s", c);
    /* sign-in and sign-out cookies too */
    struct http_client a = fixture_admin();
    struct http_result r;
    cr_assert_eq(client_do(&a, "POST", "/api/logout", "{}", &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert(http_header(&r, "Set-Cookie", c, sizeof c));
    cr_assert(secure(c) && strstr(c, "Max-Age=0"), "%s", c);
    http_result_free(&r);
}

/* A proxy is trusted (at proxy_addr) and each client address may make 3
 * requests in a burst. */
static const char *proxy_addr;

static void tweak_proxy(struct rf_server_config *cfg)
{
    cfg->trust_proxy = proxy_addr;
    cfg->app.rate_ip = 3;
    cfg->app.rate_burst = 3;
}

static void with_proxy(void)
{
    proxy_addr = "127.0.0.1";
    fixture_start_with(1, 0, tweak_proxy);
}

Test(cookies, trusted_proxy_says_https, .init = with_proxy, .fini = stop)
{
    char c[512];
    start_cookie("X-Forwarded-For: 203.0.113.1\r\nX-Forwarded-Proto: https\r\n", c, sizeof c);
    cr_assert(secure(c), "%s", c);
    start_cookie("X-Forwarded-For: 203.0.113.2\r\nX-Forwarded-Proto: http\r\n", c, sizeof c);
    cr_assert(!secure(c), "%s", c);
    start_cookie("X-Forwarded-For: 203.0.113.3\r\n", c, sizeof c);
    cr_assert(!secure(c), "%s", c);
    /* the proxy appends: the last entry of the last line is what it saw */
    start_cookie("X-Forwarded-For: 203.0.113.4\r\nX-Forwarded-Proto: https, http\r\n", c,
                 sizeof c);
    cr_assert(!secure(c), "%s", c);
}

/* Requests until one is refused with 429 (at most 20); returns how many passed. */
static int until_limited(const char *extra)
{
    for (int i = 0; i < 20; i++) {
        struct http_result r;
        cr_assert_eq(http_request(fx.port, "GET", "/api/health", extra, NULL, 0, &r), 0);
        int st = r.status;
        http_result_free(&r);
        if (st == 429)
            return i;
        cr_assert_eq(st, 200);
    }
    return 20;
}

Test(proxy, rate_limit_per_forwarded_address, .init = with_proxy, .fini = stop)
{
    cr_assert_lt(until_limited("X-Forwarded-For: 198.51.100.7\r\n"), 20);
    /* another client behind the same proxy has its own budget... */
    cr_assert_gt(until_limited("X-Forwarded-For: 198.51.100.8\r\n"), 0);
    /* ...which a client cannot fake by prepending entries of its own */
    cr_assert_eq(until_limited("X-Forwarded-For: 10.0.0.1, 198.51.100.8\r\n"), 0);
}

static void with_other_proxy(void)
{
    proxy_addr = "10.9.9.9";
    fixture_start_with(1, 0, tweak_proxy);
}

Test(proxy, headers_of_other_peers_are_ignored, .init = with_other_proxy, .fini = stop)
{
    char c[512];
    start_cookie("X-Forwarded-Proto: https\r\n", c, sizeof c);
    cr_assert(!secure(c), "%s", c);
    /* a forwarded address from anyone but the proxy buys no fresh budget */
    until_limited("X-Forwarded-For: 198.51.100.7\r\n");
    cr_assert_eq(until_limited("X-Forwarded-For: 198.51.100.8\r\n"), 0);
}
