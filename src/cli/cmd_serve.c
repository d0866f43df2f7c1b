/* `rolefit serve`: the web product on an embedded SQLite file or a PostgreSQL database. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "server/routes.h"
#include "store/store.h"

static const char usage[] =
    "usage: rolefit serve [--port N] [--addr IP] [--db FILE|URL] [--bank DIR] [--data DIR] [--web DIR]\n"
    "                     [--threads N] [--no-practice] [--rate N] [--answer-rate N]\n"
    "                     [--secure-cookies] [--trust-proxy IP] [--exposure FILE] [--pretest N]\n"
    "                     [--pretest-batch N] [--pretest-target N]\n"
    "                     [--practice-max N] [--practice-max-per-ip N] [--practice-pow BITS]\n"
    "                     [--password-min N] [--seed S] [--db-pool N] [--fair-min-group N]\n"
    "                     [--fair-min-cell N] [--dif-min-group N]\n"
    "                     [--review-every SECONDS] [--quiet]\n\n"
    "Starts rolefit on http://127.0.0.1:8080 with the bundled item bank and an embedded\n"
    "SQLite database file (created on first start). On first start the log prints a\n"
    "one-time link to create the admin account. SIGTERM or SIGINT stops it gracefully:\n"
    "requests in flight finish, every acknowledged answer is on disk.\n\n"
    "  --port N       TCP port (default 8080; 0 picks a free one and logs it)\n"
    "  --addr IP      IPv4 address to listen on (default 127.0.0.1)\n"
    "  --db FILE|URL  SQLite database file (default rolefit.db), or a PostgreSQL\n"
    "                 URL postgres://USER:PASSWORD@HOST:PORT/DB (libpq's URI form)\n"
    "  --db-pool N    PostgreSQL connections the server keeps open, at most (default\n"
    "                 8; 1 to 1000): requests beyond wait for one\n"
    "  --bank DIR     item bank folder (default data/bank)\n"
    "  --data DIR     skills.json, roles.json, aliases (default data)\n"
    "  --web DIR      static files of the UI (default web)\n"
    "  --threads N    HTTP worker threads (default 32)\n"
    "  --no-practice  only invited candidates may take tests\n"
    "  --rate N       requests per second per client address (default 50; 0 = no limit)\n"
    "  --answer-rate N answers per second per test (default 4; 0 = no limit)\n"
    "  --secure-cookies  session cookies carry Secure: set it when users reach the\n"
    "                 server over HTTPS (a TLS proxy in front); over plain HTTP\n"
    "                 browsers then drop the cookie and nobody can sign in\n"
    "  --trust-proxy IP  the reverse proxy at IP (IPv4) is believed: on its\n"
    "                 connections the last X-Forwarded-For entry is the client's\n"
    "                 address (rate limits, logs) and X-Forwarded-Proto: https\n"
    "                 sets Secure on cookies; other connections' headers are ignored\n"
    "  --exposure FILE  Sympson-Hetter exposure parameters ('rolefit simulate\n"
    "                 --find-role|--role ID --sh T --sh-out FILE' calibrates them for\n"
    "                 these tests): tests give item i with probability K_i when chosen,\n"
    "                 as 'rolefit assess --exposure' does; checked at start (an item\n"
    "                 the bank lacks, or K outside (0, 1], is an error)\n"
    "  --pretest N    unscored pretest items (the bank's \"pool\": \"pretest\" items of\n"
    "                 the test's skills) seeded at random positions into each\n"
    "                 organization's test, 0 to 8 (default 3; 0 = none): they change no\n"
    "                 score or report (docs/calibration.md \"Pretest items\")\n"
    "  --pretest-batch N  pretest items live at once per skill (default 3; 0 = every\n"
    "                 pretest item live): tests draw their pretest items from the\n"
    "                 batches only, so each live item collects its answers quickly\n"
    "                 (docs/calibration.md \"Pretest batches\")\n"
    "  --pretest-target N  stored answers after which an item leaves its skill's\n"
    "                 batch and the next enters (default 2000; 0 = no target: an\n"
    "                 item stays until promoted or retired)\n"
    "  --practice-max N  practice tests (no invite) open at once, at most (default\n"
    "                 1000): beyond, starts get 429 with Retry-After; a test holds\n"
    "                 its slot until it finishes or goes 30 minutes without an answer\n"
    "  --practice-max-per-ip N  the same per client address (default 20; 0 = no\n"
    "                 cap per address)\n"
    "  --practice-pow BITS  a practice start carries a proof of work: a hash with\n"
    "                 BITS leading zero bits, which the start page finds in about\n"
    "                 0.2 s at 16 (each bit doubles it); it makes every slot cost an\n"
    "                 attacker work (default 16; 0 = none asked; at most 24)\n"
    "  --password-min N  shortest password a new account may set (default 12, the\n"
    "                 least allowed; up to 128); common passwords (DIR/common-\n"
    "                 passwords.txt of --data) and the e-mail address are refused too\n"
    "  --seed S       the n-th test started (from 0) takes its item choices from\n"
    "                 substream n of seed S, so a run of tests repeats exactly (browser\n"
    "                 tests, demos); anyone who knows S can predict the questions, so\n"
    "                 never in production (default: each test seeded by the system)\n"
    "  --fair-min-group N  the admins' adverse-impact report shows no figure of a group\n"
    "                 with fewer people with a decision (default 30; 1 to 100000)\n"
    "  --fair-min-cell N  ... nor of a group with fewer selected or not selected\n"
    "                 (default 5; 1 to 100000)\n"
    "  --dif-min-group N  the DIF report shows no figure of an item until each group\n"
    "                 has N answers to it (default 100; 1 to 1000000)\n"
    "                 (docs/fairness.md \"In the product\"; no request can lower them)\n"
    "  --review-every SECONDS  re-run the review queue's pretest calibration, the\n"
    "                 drift of the items in use and DIF over every reported dimension\n"
    "                 (each against its largest group) every SECONDS, the first one\n"
    "                 interval after the database's first start; staff decide on what\n"
    "                 is flagged (default 86400, one day; 0 = on request only; at\n"
    "                 least 60; docs/calibration.md \"Schedule\")\n"
    "  --quiet        no per-request log lines\n";

static void log_stderr(const char *line)
{
    time_t t = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s rolefit: %s\n", ts, line);
}

int rf_cmd_serve(int argc, char **argv)
{
    const char *cmd = "serve";
    const char *port_s = NULL, *addr = RF_HTTP_DEFAULT_ADDR, *db = "rolefit.db",
               *bank = rf_cli_default_path("data/bank"), *data = rf_cli_default_path("data"),
               *web = rf_cli_default_path("web"), *threads_s = NULL,
               *rate_s = NULL, *arate_s = NULL, *trust_proxy = NULL,
               *exposure = NULL, *pmax_s = NULL, *pmax_ip_s = NULL, *pwmin_s = NULL,
               *seed_s = NULL, *pow_s = NULL, *pool_s = NULL, *pretest_s = NULL,
               *pbatch_s = NULL, *ptarget_s = NULL,
               *fgroup_s = NULL, *fcell_s = NULL, *dgroup_s = NULL,
               *review_s = NULL;
    int no_practice = 0, quiet = 0, help = 0, secure_cookies = RF_HTTP_SECURE_COOKIES;
    struct rf_cli_opt opts[] = {
        {"port", 1, &port_s, NULL},       {"addr", 1, &addr, NULL},
        {"db", 1, &db, NULL},             {"bank", 1, &bank, NULL},
        {"data", 1, &data, NULL},         {"web", 1, &web, NULL},
        {"threads", 1, &threads_s, NULL}, {"no-practice", 0, NULL, &no_practice},
        {"rate", 1, &rate_s, NULL},       {"answer-rate", 1, &arate_s, NULL},
        {"quiet", 0, NULL, &quiet},       {"secure-cookies", 0, NULL, &secure_cookies},
        {"trust-proxy", 1, &trust_proxy, NULL}, {"exposure", 1, &exposure, NULL},
        {"practice-max", 1, &pmax_s, NULL},     {"practice-max-per-ip", 1, &pmax_ip_s, NULL},
        {"password-min", 1, &pwmin_s, NULL},    {"practice-pow", 1, &pow_s, NULL},
        {"seed", 1, &seed_s, NULL},             {"db-pool", 1, &pool_s, NULL},
        {"pretest", 1, &pretest_s, NULL},       {"pretest-batch", 1, &pbatch_s, NULL},
        {"pretest-target", 1, &ptarget_s, NULL},       {"fair-min-group", 1, &fgroup_s, NULL},
        {"fair-min-cell", 1, &fcell_s, NULL},   {"dif-min-group", 1, &dgroup_s, NULL},
        {"review-every", 1, &review_s, NULL},
    };
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    size_t port = RF_HTTP_DEFAULT_PORT, threads = RF_HTTP_THREADS;
    size_t pmax = RF_PRACTICE_MAX_OPEN, pmax_ip = RF_PRACTICE_MAX_OPEN_PER_IP;
    size_t pwmin = RF_PASSWORD_MIN, pow_bits = RF_PRACTICE_POW_BITS, pool = 0;
    size_t pretest = RF_WEB_PRETEST, fgroup = RF_IMPACT_MIN_GROUP, fcell = RF_IMPACT_MIN_CELL;
    size_t dgroup = RF_DIF_MIN_GROUP, pbatch = RF_WEB_PRETEST_BATCH;
    size_t ptarget = RF_WEB_PRETEST_TARGET;
    double rate = RF_RATE_PER_IP, arate = RF_RATE_ANSWERS, review = RF_REVIEW_EVERY_SECONDS;
    unsigned long long seed = 0;
    if ((port_s && (ec = rf_cli_size(cmd, "port", port_s, 0, 65535, &port))) ||
        (threads_s && (ec = rf_cli_size(cmd, "threads", threads_s, 1, 64, &threads))) ||
        (rate_s && (ec = rf_cli_double(cmd, "rate", rate_s, 0, 1e9, &rate))) ||
        (arate_s && (ec = rf_cli_double(cmd, "answer-rate", arate_s, 0, 1e9, &arate))) ||
        (pmax_s && (ec = rf_cli_size(cmd, "practice-max", pmax_s, 1, 100000, &pmax))) ||
        (pmax_ip_s &&
         (ec = rf_cli_size(cmd, "practice-max-per-ip", pmax_ip_s, 0, 100000, &pmax_ip))) ||
        (pwmin_s &&
         (ec = rf_cli_size(cmd, "password-min", pwmin_s, RF_PASSWORD_MIN, 128, &pwmin))) ||
        (pow_s && (ec = rf_cli_size(cmd, "practice-pow", pow_s, 0, 24, &pow_bits))) ||
        (seed_s && (ec = rf_cli_u64(cmd, "seed", seed_s, &seed))) ||
        (pool_s && (ec = rf_cli_size(cmd, "db-pool", pool_s, 1, 1000, &pool))) ||
        (pretest_s &&
         (ec = rf_cli_size(cmd, "pretest", pretest_s, 0, RF_CAT_MAX_PRETEST, &pretest))) ||
        (pbatch_s && (ec = rf_cli_size(cmd, "pretest-batch", pbatch_s, 0, 1000, &pbatch))) ||
        (ptarget_s &&
         (ec = rf_cli_size(cmd, "pretest-target", ptarget_s, 0, 100000000, &ptarget))) ||
        (fgroup_s && (ec = rf_cli_size(cmd, "fair-min-group", fgroup_s, 1, 100000, &fgroup))) ||
        (fcell_s && (ec = rf_cli_size(cmd, "fair-min-cell", fcell_s, 1, 100000, &fcell))) ||
        (dgroup_s && (ec = rf_cli_size(cmd, "dif-min-group", dgroup_s, 1, 1000000, &dgroup))) ||
        (review_s && (ec = rf_cli_double(cmd, "review-every", review_s, 0, 3.2e7, &review))))
        return ec;
    if (review > 0 && review < 60)
        return rf_cli_usage_error(cmd, "--review-every: %g seconds is under 60 (0 turns it off)",
                                  review);
    if (seed_s && seed == 0)
        return rf_cli_usage_error(cmd, "--seed: 0 means no seed; give a number from 1");
    struct in_addr proxy;
    if (trust_proxy && inet_pton(AF_INET, trust_proxy, &proxy) != 1)
        return rf_cli_usage_error(cmd, "--trust-proxy: '%s' is not an IPv4 address", trust_proxy);
    struct rf_server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.app.db = db;
    cfg.app.db_pool = pool;
    cfg.app.bank_dir = bank;
    cfg.app.data_dir = data;
    cfg.app.web_dir = web;
    cfg.app.practice = !no_practice;
    cfg.app.rate_ip = rate;
    cfg.app.rate_burst = rate * 2;
    cfg.app.rate_answers = arate;
    cfg.app.rate_login = RF_RATE_LOGIN_PER_MIN;
    cfg.app.log = log_stderr;
    cfg.app.exposure = exposure;
    cfg.app.password_min = pwmin;
    cfg.app.seed = seed;
    cfg.app.pretest = pretest ? (int)pretest : -1;
    cfg.app.pretest_batch = pbatch ? (int)pbatch : -1;
    cfg.app.pretest_target = ptarget ? (long long)ptarget : -1;
    cfg.app.fair_min_group = fgroup;
    cfg.app.fair_min_cell = fcell;
    cfg.app.dif_min_group = dgroup;
    cfg.addr = addr;
    cfg.port = (unsigned)port;
    cfg.threads = (unsigned)threads;
    cfg.quiet = quiet;
    cfg.secure_cookies = secure_cookies;
    cfg.trust_proxy = trust_proxy;
    cfg.practice_max = pmax;
    cfg.practice_max_per_ip = pmax_ip;
    cfg.practice_pow_bits = (unsigned)pow_bits;
    cfg.review_every = review;

    /* SIGINT and SIGTERM are blocked before the server's threads start, so
     * they inherit the mask and the signal can only be taken here, by
     * sigwait. A handler that sets a flag for pause() loses the signal when
     * another thread takes it, or when it lands between the test and the
     * pause(). */
    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct rf_err err;
    rf_err_clear(&err);
    struct rf_server *srv;
    rf_status rc = rf_server_start(&cfg, &srv, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char line[600], shown[512];
    rf_store_url_redacted(db, shown, sizeof shown);
    snprintf(line, sizeof line, "listening on http://%s:%u (database %s)", addr,
             rf_server_port(srv), shown);
    log_stderr(line);
    int sig = 0;
    while (sigwait(&stop_set, &sig) != 0)
        ;
    log_stderr("stopping: finishing requests in flight");
    rf_server_stop(srv);
    log_stderr("stopped");
    return RF_EXIT_OK;
}
