/* The server under test; see fixture.h. */
#include "fixture.h"

#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "server/auth.h"
#include "store/store.h"

struct fixture fx;

/* The server's clock in microseconds: it moves only when a test moves it. */
static atomic_llong clock_us = 1000000000LL;

double fixture_clock(void)
{
    return (double)atomic_load(&clock_us) / 1e6;
}

void fixture_advance(double seconds)
{
    atomic_fetch_add(&clock_us, (long long)(seconds * 1e6));
}

/* Every log line of the server, kept so tests can check what was (not) logged. */
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char *log_text;
static size_t log_len, log_cap;

int fixture_log_contains(const char *needle)
{
    pthread_mutex_lock(&log_mu);
    int found = log_text && strstr(log_text, needle) != NULL;
    pthread_mutex_unlock(&log_mu);
    return found;
}

static void keep_log(const char *line)
{
    size_t n = strlen(line);
    pthread_mutex_lock(&log_mu);
    if (log_len + n + 2 > log_cap) {
        size_t cap = (log_len + n + 2) * 2;
        char *t = realloc(log_text, cap);
        if (!t) {
            pthread_mutex_unlock(&log_mu);
            return;
        }
        log_text = t;
        log_cap = cap;
    }
    memcpy(log_text + log_len, line, n);
    log_len += n;
    log_text[log_len++] = '\n';
    log_text[log_len] = '\0';
    pthread_mutex_unlock(&log_mu);
}

static void grab_log(const char *line)
{
    keep_log(line);
    const char *h = strstr(line, "setup.html#");
    if (!h)
        return;
    snprintf(fx.setup_token, sizeof fx.setup_token, "%s", h + 11);
    char *sp = strchr(fx.setup_token, ' ');
    if (sp)
        *sp = '\0';
}

void fixture_start(int practice, double rate_ip)
{
    fixture_start_with(practice, rate_ip, NULL);
}

void fixture_config(struct rf_server_config *cfg, const char *db, int practice, double rate_ip)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->app.db = db;
    cfg->app.bank_dir = "data/bank";
    cfg->app.data_dir = "data";
    cfg->app.web_dir = "web";
    cfg->app.practice = practice;
    cfg->app.rate_ip = rate_ip;
    cfg->app.rate_burst = rate_ip * 2;
    cfg->app.rate_answers = 0;
    cfg->app.rate_login = 1000;
    cfg->app.log = grab_log;
    cfg->addr = "127.0.0.1";
    cfg->port = 0;
    cfg->threads = 2;
    cfg->quiet = 0; /* request lines go to grab_log, so tests can check what is logged */
    cfg->clock = fixture_clock;
}

void fixture_start_with(int practice, double rate_ip, void (*tweak)(struct rf_server_config *cfg))
{
    memset(&fx, 0, sizeof fx);
    strcpy(fx.dir, "/tmp/rf-server-XXXXXX");
    cr_assert(mkdtemp(fx.dir));
    snprintf(fx.db, sizeof fx.db, "%s/t.db", fx.dir);
    struct rf_server_config cfg;
    fixture_config(&cfg, fx.db, practice, rate_ip);
    if (tweak)
        tweak(&cfg);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_server_start(&cfg, &fx.srv, &err), RF_OK, "%s", err.msg);
    fx.port = rf_server_port(fx.srv);
    cr_assert(fx.port > 0);
    cr_assert(fx.setup_token[0], "the first start logs a setup link");
}

void fixture_stop(void)
{
    rf_server_stop(fx.srv);
    fx.srv = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx.dir);
    cr_assert_eq(system(cmd), 0);
}

struct http_client fixture_admin(void)
{
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    char body[512];
    snprintf(body, sizeof body,
             "{\"token\":\"%s\",\"organization\":\"Acme\",\"name\":\"Ada\","
             "\"email\":\"ada@acme.test\",\"password\":\"correct horse\"}",
             fx.setup_token);
    cr_assert_eq(client_do(&c, "POST", "/api/setup", body, &r), 0);
    cr_assert_eq(r.status, 201, "%s", r.body);
    cr_assert(c.cookie[0] && c.csrf[0]);
    http_result_free(&r);
    return c;
}

/* A second organization with its own recruiter, written straight into the
 * database the server uses (SQLite allows a second connection in WAL mode). */
struct http_client fixture_other_account(const char *role)
{
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(fx.db, &st, &err), RF_OK, "%s", err.msg);
    int64_t org, uid;
    char hash[RF_PWHASH_LEN];
    cr_assert_eq(rf_auth_init(&err), RF_OK);
    cr_assert_eq(rf_auth_hash_password("other password", hash, &err), RF_OK);
    cr_assert_eq(rf_store_org_create(st, "Other", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "olga@other.test", "Olga", role, hash, &uid, &err),
                 RF_OK);
    rf_store_close(st);
    struct http_client c = {fx.port, "", ""};
    struct http_result r;
    cr_assert_eq(client_do(&c, "POST", "/api/login",
                           "{\"email\":\"olga@other.test\",\"password\":\"other password\","
                           "\"organization\":\"Other\"}",
                           &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_result_free(&r);
    return c;
}

struct http_client fixture_other_recruiter(void)
{
    return fixture_other_account("recruiter");
}

/* data/bank, loaded on first use. */
static const struct rf_item *bank_item(const char *item)
{
    static struct rf_bank bank;
    static int loaded;
    struct rf_err err;
    if (!loaded) {
        rf_bank_init(&bank);
        cr_assert_eq(rf_bank_load_dir("data/bank", &bank, &err), RF_OK, "%s", err.msg);
        loaded = 1;
    }
    size_t bi;
    cr_assert_eq(rf_bank_find(&bank, item, &bi), RF_OK, "no item '%s' in data/bank", item);
    return &bank.items[bi];
}

size_t fixture_noptions(const char *item)
{
    return bank_item(item)->noptions;
}

void fixture_answer_body(const char *item, int right, char *body, size_t cap)
{
    const struct rf_item *it = bank_item(item);
    if (it->type == RF_ITEM_NUMERIC) {
        double v = right ? it->answer : it->answer + 10.0 * it->tolerance + 1.0 + fabs(it->answer);
        snprintf(body, cap, "{\"item\":\"%s\",\"value\":\"%.17g\"}", item, v);
    } else if (it->type == RF_ITEM_MULTI) {
        char sel[64] = "";
        size_t len = 0;
        if (right) {
            for (size_t k = 0; k < it->nkeys; k++)
                len += (size_t)snprintf(sel + len, sizeof sel - len, k ? ",%d" : "%d", it->keys[k]);
        } else {
            /* the first option that is not a key: score max(0, 0 - 1) = 0 */
            int o = 0;
            for (size_t k = 0; k < it->nkeys && it->keys[k] == o; k++)
                o++;
            snprintf(sel, sizeof sel, "%d", o);
        }
        snprintf(body, cap, "{\"item\":\"%s\",\"selected\":[%s]}", item, sel);
    } else {
        int c = right ? it->key : (it->key + 1) % (int)it->noptions;
        snprintf(body, cap, "{\"item\":\"%s\",\"choice\":%d}", item, c);
    }
}
