/* Proof of work for practice starts (server/pow.h): the puzzle alone with
 * explicit times (solved, forged, expired, replayed, malformed), then over
 * HTTP: a practice start without or with a bad solution gets 400 naming
 * "pow" and takes no slot; a solved challenge starts the test once; invited
 * candidates and servers that ask none need no work. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "server/pow.h"

static unsigned leading_zero_bits(const char *challenge, const char *counter)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s:%s", challenge, counter);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)msg, strlen(msg));
    unsigned n = 0;
    for (size_t i = 0; i < sizeof h; i++) {
        for (int b = 7; b >= 0; b--) {
            if (h[i] >> b & 1)
                return n;
            n++;
        }
    }
    return n;
}

Test(pow, solutions_reach_the_bits_and_nothing_less_passes)
{
    cr_assert_geq(sodium_init(), 0);
    char c[RF_POW_CHALLENGE_LEN + 1] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    char n[21];
    for (unsigned bits = 1; bits <= 14; bits++) {
        rf_pow_solve(c, bits, n);
        cr_assert_geq(leading_zero_bits(c, n), bits, "bits %u: %s", bits, n);
        cr_assert(rf_pow_solved(c, n, bits));
        /* the least solution: no smaller counter solves it */
        unsigned long long v = strtoull(n, NULL, 10);
        for (unsigned long long k = 0; k < v; k++) {
            char m[21];
            snprintf(m, sizeof m, "%llu", k);
            cr_assert(!rf_pow_solved(c, m, bits), "bits %u: %s solves too", bits, m);
            cr_assert_lt(leading_zero_bits(c, m), bits);
        }
    }
}

Test(pow, redeem_checks_mac_expiry_work_and_spends_once)
{
    struct rf_pow *p;
    struct rf_err err;
    cr_assert_eq(rf_pow_new(0, 10, &p, &err), RF_EINVAL);
    cr_assert_eq(rf_pow_new(33, 10, &p, &err), RF_EINVAL);
    cr_assert_eq(rf_pow_new(8, 0, &p, &err), RF_EINVAL);
    cr_assert_eq(rf_pow_new(10, 100, &p, &err), RF_OK);
    char c[RF_POW_CHALLENGE_LEN + 1], n[21];
    rf_pow_challenge(p, 1000, c);
    cr_assert_eq(strlen(c), RF_POW_CHALLENGE_LEN);
    rf_pow_solve(c, 10, n);

    /* a wrong counter, a malformed one, a malformed challenge */
    char wrong[21];
    unsigned long long k = 0;
    do
        snprintf(wrong, sizeof wrong, "%llu", k++);
    while (rf_pow_solved(c, wrong, 10));
    cr_assert_eq(rf_pow_redeem(p, c, wrong, 1001, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "does not solve"), "%s", err.msg);
    cr_assert_eq(rf_pow_redeem(p, c, "12a", 1001, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "pow.nonce"), "%s", err.msg);
    cr_assert_eq(rf_pow_redeem(p, c, "", 1001, &err), RF_EINVAL);
    cr_assert_eq(rf_pow_redeem(p, c, "123456789012345678901", 1001, &err), RF_EINVAL);
    cr_assert_eq(rf_pow_redeem(p, "abc", n, 1001, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "pow.challenge"), "%s", err.msg);
    cr_assert_eq(rf_pow_redeem(p, NULL, n, 1001, &err), RF_EINVAL);

    /* a forged challenge: one hex digit of the expiry changed, solved anew */
    char forged[RF_POW_CHALLENGE_LEN + 1], fn[21];
    memcpy(forged, c, sizeof forged);
    forged[2] = forged[2] == 'f' ? 'e' : 'f';
    rf_pow_solve(forged, 10, fn);
    cr_assert_eq(rf_pow_redeem(p, forged, fn, 1001, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "not a challenge of this server"), "%s", err.msg);

    /* another server's challenge (another key) is not this one's */
    struct rf_pow *q;
    cr_assert_eq(rf_pow_new(10, 100, &q, &err), RF_OK);
    cr_assert_eq(rf_pow_redeem(q, c, n, 1001, &err), RF_EINVAL);
    rf_pow_free(q);

    /* expired after the ttl; good once; then spent */
    cr_assert_eq(rf_pow_redeem(p, c, n, 1101.5, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "expired"), "%s", err.msg);
    cr_assert_eq(rf_pow_redeem(p, c, n, 1050, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_pow_redeem(p, c, n, 1051, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "already used"), "%s", err.msg);

    /* many challenges spent at once all stay spent */
    enum { N = 300 };
    static char cs[N][RF_POW_CHALLENGE_LEN + 1], ns[N][21];
    for (int i = 0; i < N; i++) {
        rf_pow_challenge(p, 2000, cs[i]);
        rf_pow_solve(cs[i], 10, ns[i]);
        cr_assert_eq(rf_pow_redeem(p, cs[i], ns[i], 2001, &err), RF_OK, "%d: %s", i, err.msg);
    }
    for (int i = 0; i < N; i++)
        cr_assert_eq(rf_pow_redeem(p, cs[i], ns[i], 2002, &err), RF_EINVAL, "%d replayed", i);
    rf_pow_free(p);
}

/* ---- over HTTP ---- */

static void with_pow(struct rf_server_config *cfg)
{
    cfg->practice_pow_bits = 12;
    cfg->practice_max = 50;
    cfg->practice_max_per_ip = 5;
}

static void start_pow(void)
{
    fixture_start_with(1, 0, with_pow);
}

static void start_plain(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

static int start_test(const char *body, struct http_result *r)
{
    struct http_client c = {fx.port, "", ""};
    return client_do(&c, "POST", "/api/tests", body, r) ? -1 : r->status;
}

static void challenge(char *c, int *bits)
{
    struct http_result r;
    cr_assert_eq(http_request(fx.port, "GET", "/api/practice/challenge", NULL, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200);
    const char *s = json_string_value(json_object_get(r.json, "challenge"));
    *bits = (int)json_integer_value(json_object_get(r.json, "bits"));
    snprintf(c, RF_POW_CHALLENGE_LEN + 1, "%s", s ? s : "");
    http_result_free(&r);
}

Test(pow_http, practice_start_needs_a_solved_unspent_challenge, .init = start_pow, .fini = stop)
{
    struct http_result r;
    cr_assert_eq(start_test("{\"skills\":[\"deep_learning\"]}", &r), 400, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "pow");
    http_result_free(&r);

    char c[RF_POW_CHALLENGE_LEN + 1], n[21], body[512];
    int bits;
    challenge(c, &bits);
    cr_assert_eq(bits, 12);
    cr_assert_eq(strlen(c), RF_POW_CHALLENGE_LEN);

    /* unsolved */
    snprintf(body, sizeof body,
             "{\"skills\":[\"deep_learning\"],\"pow\":{\"challenge\":\"%s\",\"nonce\":\"x\"}}", c);
    cr_assert_eq(start_test(body, &r), 400, "%s", r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), "pow");
    http_result_free(&r);

    rf_pow_solve(c, 12, n);
    snprintf(body, sizeof body,
             "{\"skills\":[\"deep_learning\"],\"pow\":{\"challenge\":\"%s\",\"nonce\":\"%s\"}}", c,
             n);
    cr_assert_eq(start_test(body, &r), 201, "%s", r.body);
    http_result_free(&r);
    cr_assert_eq(start_test(body, &r), 400, "replay: %s", r.body);
    cr_assert(strstr(r.body, "already used"), "%s", r.body);
    http_result_free(&r);

    /* refused starts took no slot: with the one above, four more solved
     * starts fill this address's cap of 5, and the fifth meets the cap */
    for (int i = 0; i < 5; i++) {
        challenge(c, &bits);
        rf_pow_solve(c, 12, n);
        snprintf(body, sizeof body,
                 "{\"skills\":[\"deep_learning\"],\"pow\":{\"challenge\":\"%s\",\"nonce\":\"%s\"}}",
                 c, n);
        int want = i < 4 ? 201 : 429;
        cr_assert_eq(start_test(body, &r), want, "start %d: %s", i, r.body);
        http_result_free(&r);
    }

    /* an invited candidate does no work */
    struct http_client admin = fixture_admin();
    cr_assert_eq(client_do(&admin, "POST", "/api/invites", "{\"role\":\"data_scientist\"}", &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    snprintf(body, sizeof body, "{\"invite\":\"%s\"}",
             json_string_value(json_object_get(r.json, "token")));
    http_result_free(&r);
    cr_assert_eq(start_test(body, &r), 201, "invites need no work: %s", r.body);
    http_result_free(&r);
}

Test(pow_http, servers_without_pow_ask_none, .init = start_plain, .fini = stop)
{
    char c[RF_POW_CHALLENGE_LEN + 1];
    int bits = -1;
    challenge(c, &bits);
    cr_assert_eq(bits, 0, "no work asked");
    struct http_result r;
    cr_assert_eq(start_test("{\"skills\":[\"deep_learning\"]}", &r), 201, "%s", r.body);
    http_result_free(&r);
}
