/* The answer's reply written as text (rf_app_test_reply_text, the answer
 * route's) against the jansson builder it replaced (rf_app_test_reply
 * dumped by rf_json_dumps_out, as the route did): the same bytes over whole
 * tests, right and wrong answers, English and Japanese, practice and
 * operational, active and finished. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "cat/sessfile.h"
#include "fixture.h"
#include "server/app.h"
#include "server/app_flow.h"

static char *dumped(json_t *j)
{
    char *s = rf_json_dumps_out(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    cr_assert(s);
    return s;
}

static struct rf_app *open_app(const char *dir, const char *name)
{
    char db[160];
    snprintf(db, sizeof db, "%s/%s.db", dir, name);
    struct rf_app_config cfg = {.db = db,
                                .bank_dir = "data/bank",
                                .data_dir = "data",
                                .web_dir = "web",
                                .practice = 1,
                                .seed = 11};
    struct rf_app *a;
    struct rf_err err;
    cr_assert_eq(rf_app_open(&cfg, &a, &err), RF_OK, "%s", err.msg);
    return a;
}

/* Every way the test's reply can be asked for, on the live session of test
 * id as app a holds it: both builders give the same bytes. */
/* CPU seconds this thread has used */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* the two builders' CPU time over the replies compared (logged, not held to) */
static double cpu_jansson, cpu_text;
/* the stored states' bytes, as the tree wrote them and as text */
static size_t state_old, state_new, nstates;
static double cpu_state_tree, cpu_state_text;

static void same_both_ways(struct rf_app *a, int64_t id, size_t *checked)
{
    struct rf_test t;
    struct rf_cat_session *s = rf_sesscache_take(a->live, id, &t);
    if (!s) {
        rf_store_test_cleanup(&t);
        return;
    }
    /* The state stored with the answer: written as text (the server's),
     * against the compact tree dumped as the server stored it before. jansson
     * reads the text back to the same tree (the same keys in the same order,
     * every double the same value, dumped to the very bytes), and the row the
     * cache keeps is that text. */
    char *state, *before = NULL;
    struct rf_err serr;
    cr_assert_eq(rf_app_session_state(s, &state, &serr), RF_OK, "%s", serr.msg);
    /* each builder's CPU time, warm: 10 times each, alternated */
    for (int rep = 0; rep < 10; rep++) {
        double c0 = thread_cpu();
        char *z;
        cr_assert_eq(rf_app_session_state(s, &z, &serr), RF_OK, "%s", serr.msg);
        free(z);
        double c1 = thread_cpu();
        json_t *tree;
        cr_assert_eq(rf_cat_session_to_json_compact(s, &tree, &serr), RF_OK, "%s", serr.msg);
        free(before);
        before = json_dumps(tree, JSON_COMPACT);
        json_decref(tree);
        cpu_state_tree += thread_cpu() - c1;
        cpu_state_text += c1 - c0;
    }
    nstates++;
    json_t *back = json_loads(state, 0, NULL);
    cr_assert_not_null(back, "test %lld: the stored state is not JSON: %s", (long long)id, state);
    char *again = json_dumps(back, JSON_COMPACT);
    cr_assert_str_eq(again, before, "test %lld: the state text reads back as another tree",
                     (long long)id);
    cr_assert_leq(strlen(state), strlen(before));
    cr_assert_str_eq(t.state, state, "test %lld: the row kept is not the state written",
                     (long long)id);
    state_old += strlen(before);
    state_new += strlen(state);
    json_decref(back);
    free(again);
    free(before);
    free(state);
    static const char *const statuses[] = {"active", "finished"};
    static const char *const langs[] = {"en", "ja"};
    for (int op = 0; op < 2; op++)
        for (size_t k = 0; k < 2; k++)
            for (size_t l = 0; l < 2; l++) {
                struct rf_app_error e = {0};
                json_t *j = NULL;
                double t0 = thread_cpu();
                cr_assert_eq(rf_app_test_reply(a, id, s, statuses[k], op, langs[l], &j, &e), RF_OK,
                             "%s", e.err.msg);
                char *old = dumped(j);
                double t1 = thread_cpu();
                struct rf_buf b;
                rf_buf_init(&b, 1 << 20);
                cr_assert_eq(rf_buf_puts(&b, "x"), RF_OK);
                double t2 = thread_cpu();
                cr_assert_eq(rf_app_test_reply_text(a, id, s, statuses[k], op, langs[l], &b, &e),
                             RF_OK, "%s", e.err.msg);
                cpu_text += thread_cpu() - t2;
                cpu_jansson += t1 - t0;
                cr_assert_str_eq(b.data + 1, old, "test %lld %s operational %d %s", (long long)id,
                                 statuses[k], op, langs[l]);
                free(old);
                rf_buf_cleanup(&b);
                (*checked)++;
            }
    rf_sesscache_put(a->live, s, &t);
    rf_store_test_cleanup(&t);
}

/* Two servers seeded alike answer the same tests the same way, one through
 * the jansson reply and one through the text reply: every reply is the same
 * bytes, and at every state the two builders agree on whatever status,
 * language and kind the reply may be asked in. */
Test(reply, the_text_reply_is_the_jansson_reply_byte_for_byte, .timeout = 300)
{
    char dir[] = "/tmp/rf-reply-XXXXXX";
    cr_assert(mkdtemp(dir));
    struct rf_app *ja = open_app(dir, "jansson"), *tx = open_app(dir, "text");
    static const char *const starts[] = {
        "{\"role\":\"ml_engineer\"}",
        "{\"skills\":[\"deep_learning\",\"llm_applications\"],\"lang\":\"ja\"}",
        "{\"role\":\"data_scientist\",\"lang\":\"ja\"}",
        "{\"skills\":[\"probability_statistics\"]}",
    };
    size_t answers = 0, checked = 0, finished = 0;
    for (size_t st = 0; st < sizeof starts / sizeof starts[0]; st++) {
        /* the answers: all right, all wrong, alternating, every third right */
        for (int pattern = 0; pattern < 4; pattern++) {
            struct rf_principal p0 = {0};
            struct rf_app_error e = {0};
            char tok[2][RF_TOKEN_LEN], csrf[RF_TOKEN_LEN];
            json_t *req, *out[2];
            json_error_t je;
            req = json_loads(starts[st], 0, &je);
            cr_assert(req, "%s", je.text);
            cr_assert_eq(rf_app_test_start(ja, &p0, req, tok[0], csrf, &out[0], &e), RF_OK, "%s",
                         e.err.msg);
            cr_assert_eq(rf_app_test_start(tx, &p0, req, tok[1], csrf, &out[1], &e), RF_OK, "%s",
                         e.err.msg);
            json_decref(req);
            char *s0 = dumped(out[0]), *s1 = dumped(out[1]);
            cr_assert_str_eq(s0, s1, "the two servers' tests differ from the start");
            free(s1);
            struct rf_principal p[2];
            struct rf_err err;
            cr_assert_eq(rf_app_principal(ja, tok[0], &p[0], &err), RF_OK, "%s", err.msg);
            cr_assert_eq(rf_app_principal(tx, tok[1], &p[1], &err), RF_OK, "%s", err.msg);
            json_t *cur = json_loads(s0, 0, &je);
            free(s0);
            int64_t id = json_integer_value(json_object_get(json_object_get(cur, "test"), "id"));
            for (int n = 0; json_is_object(json_object_get(cur, "question")); n++) {
                same_both_ways(ja, id, &checked);
                const char *item =
                    json_string_value(json_object_get(json_object_get(cur, "question"), "item"));
                int right = pattern == 0 ? 1 : pattern == 1 ? 0 : pattern == 2 ? n % 2 : n % 3 == 0;
                char body[512];
                fixture_answer_body(item, right, body, sizeof body);
                json_t *ans = json_loads(body, 0, &je);
                cr_assert(ans, "%s", je.text);
                json_t *jr = NULL;
                cr_assert_eq(rf_app_test_answer(ja, &p[0], id, ans, &jr, &e), RF_OK, "%s",
                             e.err.msg);
                struct rf_buf b;
                rf_buf_init(&b, 1 << 20);
                int fin = -1;
                cr_assert_eq(rf_app_test_answer_text(tx, &p[1], NULL, id, ans, &b, &fin, &e), RF_OK,
                             "%s", e.err.msg);
                json_decref(ans);
                char *old = dumped(jr);
                cr_assert_str_eq(b.data, old, "answer %d of test %lld", n + 1, (long long)id);
                json_decref(cur);
                cur = json_loads(old, 0, &je);
                free(old);
                rf_buf_cleanup(&b);
                const char *status =
                    json_string_value(json_object_get(json_object_get(cur, "test"), "status"));
                cr_assert_eq(fin, strcmp(status, "active") != 0, "finished %d, status %s", fin,
                             status);
                answers++;
                cr_assert_lt(n, 200, "test %lld does not end", (long long)id);
            }
            finished++;
            json_decref(cur);
        }
    }
    rf_app_close(ja);
    rf_app_close(tx);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    cr_log_info("%zu tests, %zu answers, %zu replies compared by both builders; CPU per reply: "
                "jansson tree and dump %.1f us, text %.1f us",
                finished, answers, checked, 1e6 * cpu_jansson / (double)checked,
                1e6 * cpu_text / (double)checked);
    cr_log_info("%zu stored states: %zu bytes as the tree wrote them, %zu as text; CPU per "
                "state: tree and dump %.1f us, text %.1f us",
                nstates, state_old, state_new, 1e6 * cpu_state_tree / (10.0 * (double)nstates),
                1e6 * cpu_state_text / (10.0 * (double)nstates));
    cr_assert_eq(finished, 16);
    cr_assert_gt(answers, 200);
    cr_assert_gt(checked, 8 * 200);
}

/* The text writer's strings and reals are jansson's, character for
 * character: escapes, controls, non-ASCII in and beyond the BMP, and reals
 * of every size, probabilities (4 digits) and estimates (6). */
Test(reply, strings_and_reals_are_written_as_jansson_writes_them)
{
    static const char *const strs[] = {
        "",
        "plain",
        "q\"uote",
        "back\\slash",
        "/slash",
        "\b\f\n\r\t",
        "\x01\x1f\x7f",
        "caf\xc3\xa9",
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
        "emoji \xf0\x9f\x98\x80 end",
        "\xef\xbf\xbf",
        "\xf4\x8f\xbf\xbf",
        "mixed \"\xe3\x81\x82\"\n\\",
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        json_t *j = json_pack("{s:s}", "k", strs[i]);
        cr_assert(j, "jansson refused string %zu", i);
        char *want = rf_json_dumps_out(j, JSON_COMPACT | JSON_ENSURE_ASCII);
        json_decref(j);
        struct rf_buf b;
        rf_buf_init(&b, 4096);
        cr_assert_eq(rf_buf_puts(&b, "{\"k\":"), RF_OK);
        cr_assert_eq(rf_buf_put_json_string(&b, strs[i]), RF_OK);
        cr_assert_eq(rf_buf_putc(&b, '}'), RF_OK);
        cr_assert_str_eq(b.data, want, "string %zu", i);
        free(want);
        rf_buf_cleanup(&b);
    }
    /* what jansson refuses, the writer refuses: bad UTF-8, overlong forms,
     * surrogates, past U+10FFFF, a cut sequence */
    static const char *const bad[] = {"\xc3",       "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "ab\xe6\x97", "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_null(json_string(bad[i]), "jansson took bad string %zu", i);
        struct rf_buf b;
        rf_buf_init(&b, 4096);
        cr_assert_eq(rf_buf_put_json_string(&b, bad[i]), RF_EINVAL, "bad string %zu", i);
        rf_buf_cleanup(&b);
    }
    static const double reals[] = {0.0,           -0.0,      1.0,
                                   -2.0,          0.5,       0.1,
                                   1.0 / 3,       2.0 / 3,   0.30000000000000004,
                                   123456.0,      1234567.0, 1e-5,
                                   1.5e-7,        -3.25e-12, 1e20,
                                   6.02e23,       0.99995,   0.123456789,
                                   99999.95,      1e100,     -1e-100,
                                   0.41421356237, 12.5,      1000000.0};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        for (int prob = 0; prob < 2; prob++) {
            json_t *j = json_pack("{s:f}", prob ? "progress" : "se", reals[i]);
            char *want = rf_json_dumps_out(j, JSON_COMPACT);
            json_decref(j);
            struct rf_buf b;
            rf_buf_init(&b, 4096);
            cr_assert_eq(rf_buf_puts(&b, prob ? "{\"progress\":" : "{\"se\":"), RF_OK);
            cr_assert_eq(rf_buf_put_json_real(&b, reals[i], prob), RF_OK);
            cr_assert_eq(rf_buf_putc(&b, '}'), RF_OK);
            cr_assert_str_eq(b.data, want, "real %.17g prob %d", reals[i], prob);
            free(want);
            rf_buf_cleanup(&b);
        }
    struct rf_buf b;
    rf_buf_init(&b, 4096);
    cr_assert_eq(rf_buf_put_json_real(&b, NAN, 0), RF_EINVAL);
    cr_assert_eq(rf_buf_put_json_real(&b, INFINITY, 1), RF_EINVAL);
    rf_buf_cleanup(&b);
}

/* The stored state's writers (rf_buf_put_json_utf8, rf_buf_put_json_double)
 * against json_dumps(j, JSON_COMPACT), as the state was dumped: strings the
 * same bytes (non-ASCII kept); doubles read back by jansson as the same
 * double, in no more characters than jansson's 17 digits, and no more
 * digits than the fewest of 15-17 that round-trip (0.1 is "0.1"). Random
 * doubles of every magnitude, seeded, besides the hand-picked ones. */
Test(reply, the_state_writers_round_trip_every_double)
{
    static const char *const strs[] = {"",
                                       "plain",
                                       "q\"uote",
                                       "back\\slash",
                                       "/slash",
                                       "\b\f\n\r\t",
                                       "\x01\x1f\x7f",
                                       "caf\xc3\xa9",
                                       "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                                       "emoji \xf0\x9f\x98\x80 end",
                                       "mixed \"\xe3\x81\x82\"\n\\"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        json_t *j = json_pack("[s]", strs[i]);
        char *want = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        struct rf_buf b;
        rf_buf_init(&b, 4096);
        cr_assert_eq(rf_buf_putc(&b, '['), RF_OK);
        cr_assert_eq(rf_buf_put_json_utf8(&b, strs[i]), RF_OK);
        cr_assert_eq(rf_buf_putc(&b, ']'), RF_OK);
        cr_assert_str_eq(b.data, want, "string %zu", i);
        free(want);
        rf_buf_cleanup(&b);
    }
    struct rf_buf b;
    rf_buf_init(&b, 4096);
    cr_assert_eq(rf_buf_put_json_utf8(&b, "ab\xe6\x97"), RF_EINVAL, "a cut sequence");
    cr_assert_eq(rf_buf_put_json_double(&b, NAN), RF_EINVAL);
    cr_assert_eq(rf_buf_put_json_double(&b, -INFINITY), RF_EINVAL);
    rf_buf_cleanup(&b);
    static const double picked[] = {0.0,  -0.0, 1.0,  -4.0,   4.0,   0.1,    0.3,  1.0 / 3,
                                    1e-5, 1e20, 1e21, 5e-324, 1e308, 2.5e-7, 0.25, 123456789.0};
    uint64_t x = 2026;
    size_t n = 0, shorter = 0;
    for (size_t i = 0; i < 20000 + sizeof picked / sizeof picked[0]; i++) {
        double v;
        if (i < sizeof picked / sizeof picked[0]) {
            v = picked[i];
        } else {
            /* xorshift64*: any bit pattern that is a finite double */
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            uint64_t bits = x * 2685821657736338717ULL;
            memcpy(&v, &bits, sizeof v);
            if (!isfinite(v))
                continue;
            if (i % 2)
                v = rf_round_sig(fmod(v, 1000.0), (int)(i % 17) + 1); /* short ones too */
        }
        json_t *j = json_pack("[f]", v);
        char *want = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        rf_buf_init(&b, 4096);
        cr_assert_eq(rf_buf_putc(&b, '['), RF_OK);
        cr_assert_eq(rf_buf_put_json_double(&b, v), RF_OK);
        cr_assert_eq(rf_buf_putc(&b, ']'), RF_OK);
        json_t *back = json_loads(b.data, 0, NULL);
        cr_assert(json_is_real(json_array_get(back, 0)), "%.17g as %s: not a real", v, b.data);
        double r = json_real_value(json_array_get(back, 0));
        cr_assert(memcmp(&r, &v, sizeof r) == 0 || (r == 0 && v == 0 && signbit(r) == signbit(v)),
                  "%.17g written %s, read back %.17g", v, b.data, r);
        cr_assert_leq(b.len, strlen(want), "%.17g: %s longer than jansson's %s", v, b.data, want);
        /* %.15g when it round-trips without an exponent (".0" added to an
         * integral one) */
        char p15[40];
        snprintf(p15, sizeof p15, "%.15g", v);
        if (strtod(p15, NULL) == v && !strchr(p15, 'e')) {
            if (!strchr(p15, '.'))
                strcat(p15, ".0");
            cr_assert(strlen(b.data) == strlen(p15) + 2 && !strncmp(b.data + 1, p15, strlen(p15)),
                      "%.17g: %s, not %s", v, b.data, p15);
        }
        shorter += b.len < strlen(want);
        n++;
        json_decref(back);
        free(want);
        rf_buf_cleanup(&b);
    }
    cr_log_info("%zu doubles round-trip, %zu of them shorter than jansson's", n, shorter);
    cr_assert_gt(n, 15000);
}
