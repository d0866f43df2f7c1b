/*
 * Server throughput: durable answers per second over HTTP next to the same
 * server's throughput for a small static file (web/favicon.svg), both
 * measured in one run over loopback, with p50/p99 latency of each and their
 * ratio (issue 7, "Targets").
 *
 * The real server runs in-process (rf_server_start: port 0, a temporary
 * database, rate limits off); a small load client with several threads, each
 * on one keep-alive connection, (a) starts many practice tests, (b) answers
 * them as fast as it can, every request waiting for its reply (an answer is
 * acknowledged only once committed: WAL, synchronous=FULL), and (c) fetches
 * the static file as fast as it can. Every phase stops by itself after a
 * bounded number of requests or a bounded time. Afterwards the database is
 * reopened and every acknowledged answer must be in it.
 *
 * Usage: server [--threads N] [--clients N] [--tests N] [--seconds S] [--db URL]
 *   --threads  HTTP worker threads of the server (default RF_HTTP_THREADS)
 *   --clients  client connections, one thread each (default 32)
 *   --tests    practice tests to start and answer (default 300)
 *   --seconds  time bound of the answer phase; the start phase gets five
 *              times it, the static phase a quarter of it (default 20)
 *   --db       the store: a PostgreSQL URL (scripts/bench-pg gives one of a
 *              throw-away cluster), whose tables must be empty (default: a
 *              new SQLite file in a temporary folder)
 *   --limits   every limit of the server on (requests per address, answers
 *              per test, open practice tests: shared through the store), set
 *              high enough never to refuse: what keeping them costs
 *   --port     load a server already running on this loopback port (rolefit
 *              serve, or nginx in front of several: scripts/bench-multi)
 *              instead of one in this process; --db names its store, read
 *              afterwards to find every acknowledged answer
 *   --mark CMD runs `CMD start` right before the answer phase and `CMD end`
 *              right after it (sh -c), so that a script can read the
 *              database's and the processes' counters of that phase alone
 *              (scripts/bench-multi: CPU, transactions and statements per
 *              answer)
 *
 * Isolation (issue 20, "Reads never wait on one heavy read"):
 *   server --isolation [--finished N] [--rankings R] [--clients N] [--seconds S] [--db URL]
 * loads N finished tests of one organization (default 20,000, packed
 * profiles of 8 skills, imported as one `rolefit db import` transaction),
 * then candidates (--clients, default 8) take practice tests, each reading
 * its test (GET /api/tests/ID) and answering, 20 ms apart, first alone and
 * then while R (default 8) recruiters rank the whole organization over and
 * over (GET /api/postings/ID/ranking?scope=org); it prints the candidates'
 * p50/p99/max of each request in both phases and the rankings' times,
 * against the target p99 <= 100 ms.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/rng.h"
#include "careers/profile.h"
#include "server/auth.h"
#include "server/routes.h"
#include "store/dump.h"
#include "store/store.h"

#define MAX_CLIENTS 256
#define MAX_TESTS 100000
#define RESP_CAP (256 * 1024)
#define LAT_CAP (4L * 1024L * 1024L)
#define NSKILLS_PER_TEST 2
/* The share of test starts that may fail (each reported) before a run
 * fails: a start lost to a machine's hiccup changes no answer's figures. */
#define START_LOSS 0.01

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- a keep-alive HTTP/1.1 connection ---- */

struct conn {
    unsigned port;
    int fd;
    char *buf; /* RESP_CAP + 1 */
    size_t len;
    int status;
    const char *body; /* into buf, NUL-terminated */
    size_t body_len;
    char cookie[160]; /* "rf_session=..." from Set-Cookie, else "" */
};

static int conn_open(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)c->port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Value of header name in the header block [h, end), copied into out. */
static int header(const char *h, const char *end, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = h; p < end;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        if ((size_t)(e - p) > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = (size_t)(e - v);
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            if (vl >= n)
                vl = n - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 1;
        }
        p = e + 1;
    }
    return 0;
}

/* The connection closed after a request that got no whole reply: a reply
 * still on its way (a slow start) can then never be read as the reply of the
 * connection's next request. Returns -1. */
static int drop(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    return -1;
}

/* One request and its whole reply on the connection (reconnecting once if the
 * server closed an idle connection). Returns 0 with c->status and c->body
 * set; -1 with the connection closed (drop). */
static int request(struct conn *c, const char *method, const char *path, const char *extra,
                   const char *body)
{
    char head[2048];
    size_t bl = body ? strlen(body) : 0;
    int hl = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%sContent-Length: %zu\r\n\r\n",
                      method, path, extra ? extra : "",
                      body ? "Content-Type: application/json\r\n" : "", bl);
    if (hl < 0 || (size_t)hl >= sizeof head)
        return -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (c->fd < 0 && conn_open(c))
            return -1;
        c->len = 0;
        if (write_all(c->fd, head, (size_t)hl) || (bl && write_all(c->fd, body, bl)))
            goto retry;
        size_t need = 0, hend = 0;
        for (;;) {
            if (c->len == RESP_CAP)
                return drop(c);
            ssize_t r = read(c->fd, c->buf + c->len, RESP_CAP - c->len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            c->len += (size_t)r;
            c->buf[c->len] = '\0';
            if (!hend) {
                char *sep = strstr(c->buf, "\r\n\r\n");
                if (!sep)
                    continue;
                hend = (size_t)(sep - c->buf) + 4;
                char cl[32];
                if (!header(c->buf, sep, "Content-Length", cl, sizeof cl))
                    return drop(c);
                need = hend + strtoul(cl, NULL, 10);
                if (need > RESP_CAP)
                    return drop(c);
            }
            if (c->len >= need)
                break;
        }
        if (!hend || c->len < need) {
            if (c->len == 0)
                goto retry;
            return drop(c);
        }
        if (sscanf(c->buf, "HTTP/1.%*d %d", &c->status) != 1)
            return drop(c);
        char sc[256];
        if (header(c->buf, c->buf + hend, "Set-Cookie", sc, sizeof sc)) {
            char *semi = strchr(sc, ';');
            if (semi)
                *semi = '\0';
            snprintf(c->cookie, sizeof c->cookie, "%s", sc);
        }
        if (c->len > need)
            return drop(c); /* bytes past the reply: not this request's */
        c->buf[need] = '\0';
        c->body = c->buf + hend;
        c->body_len = need - hend;
        return 0;
    retry:
        close(c->fd);
        c->fd = -1;
    }
    return -1;
}

/* ---- the load ---- */

struct test {
    int64_t id;
    char cookie[160], csrf[96], item[96];
    size_t noptions;
    int numeric; /* a numeric-entry question: answered with a value, it has no options */
    int multi;   /* a multiple-select question: answered with a selection */
    int done;
};

struct lat {
    double *v;
    size_t n, cap;
};

static void lat_add(struct lat *l, double x)
{
    if (l->n == l->cap) {
        if (l->cap >= (size_t)LAT_CAP)
            return;
        size_t cap = l->cap ? 2 * l->cap : 4096;
        double *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
}

struct bench {
    unsigned port;
    size_t nclients, ntests;
    double answer_seconds, static_seconds;
    char skills[16][64];
    size_t nskills;
    struct test *tests;
    size_t static_len;
    /* the shared queue of tests waiting for their next answer */
    pthread_mutex_t mu;
    size_t *queue, qhead, qlen, next_create;
    double deadline;
};

struct worker {
    struct bench *b;
    size_t k;
    struct conn c;
    struct lat lat;
    size_t ok, errors;
    uint64_t seed;
};

/* Reads the current question of a test reply: item id and option count; done when null. */
static int read_question(struct test *t, const char *body, size_t len)
{
    json_t *j = json_loadb(body, len, 0, NULL);
    if (!j)
        return -1;
    json_t *q = json_object_get(j, "question");
    int rc = 0;
    if (json_is_null(q)) {
        t->done = 1;
    } else {
        const char *item = json_string_value(json_object_get(q, "item"));
        const char *type = json_string_value(json_object_get(q, "type"));
        json_t *opts = json_object_get(q, "options");
        int numeric = type && strcmp(type, "numeric") == 0;
        if (!item || !json_is_array(opts) || (!numeric && !json_array_size(opts)) ||
            strlen(item) >= sizeof t->item)
            rc = -1;
        else {
            snprintf(t->item, sizeof t->item, "%s", item);
            t->noptions = json_array_size(opts);
            t->numeric = numeric;
            t->multi = type && strcmp(type, "multi") == 0;
        }
    }
    json_t *test = json_object_get(j, "test");
    if (json_is_integer(json_object_get(test, "id")))
        t->id = json_integer_value(json_object_get(test, "id"));
    const char *csrf = json_string_value(json_object_get(j, "csrf"));
    if (csrf)
        snprintf(t->csrf, sizeof t->csrf, "%s", csrf);
    json_decref(j);
    return rc;
}

/* The current question of an answer's reply without a JSON parser, so the
 * client spends little of the machine: the reply is compact JSON whose
 * "question" is null or {"item": ID, ..., "options": [strings], ...}; an
 * unescaped quote cannot occur inside a JSON string, so the keys found are
 * keys. */
static int scan_question(struct test *t, const char *body)
{
    const char *q = strstr(body, "\"question\":");
    if (!q)
        return -1;
    q += strlen("\"question\":");
    if (strncmp(q, "null", 4) == 0) {
        t->done = 1;
        return 0;
    }
    const char *it = strstr(q, "\"item\":\""), *op = strstr(q, "\"options\":["),
               *ty = strstr(q, "\"type\":\"");
    if (!it || !op || !ty)
        return -1;
    ty += strlen("\"type\":\"");
    t->numeric = strncmp(ty, "numeric\"", 8) == 0;
    t->multi = strncmp(ty, "multi\"", 6) == 0;
    it += strlen("\"item\":\"");
    size_t n = strcspn(it, "\"\\");
    if (it[n] != '"' || n == 0 || n >= sizeof t->item)
        return -1;
    memcpy(t->item, it, n);
    t->item[n] = '\0';
    const char *p = op + strlen("\"options\":[");
    size_t nopt = 0;
    while (*p == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
                p++;
        if (*p != '"')
            return -1;
        p++;
        nopt++;
        if (*p == ',')
            p++;
    }
    if (*p != ']' || (nopt == 0 && !t->numeric))
        return -1;
    t->noptions = nopt;
    return 0;
}

/* Phase (a): start tests, each as a new candidate (no cookie: a new session). */
static void *run_create(void *arg)
{
    struct worker *w = arg;
    struct bench *b = w->b;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        size_t i = b->next_create < b->ntests ? b->next_create++ : SIZE_MAX;
        pthread_mutex_unlock(&b->mu);
        if (i == SIZE_MAX || now() > b->deadline)
            break;
        char body[256];
        size_t s0 = (i * NSKILLS_PER_TEST) % b->nskills;
        int n = snprintf(body, sizeof body, "{\"skills\":[");
        for (size_t k = 0; k < NSKILLS_PER_TEST && k < b->nskills; k++)
            n += snprintf(body + n, sizeof body - (size_t)n, "%s\"%s\"", k ? "," : "",
                          b->skills[(s0 + k) % b->nskills]);
        snprintf(body + n, sizeof body - (size_t)n, "]}");
        struct test *t = &b->tests[i];
        w->c.cookie[0] = '\0';
        double t0 = now();
        int rq;
        /* 503: both practice-start slots taken (RF_PRACTICE_START_SLOTS): again
         * after 5 ms, as a client honouring Retry-After would wait (without
         * it, 32 clients spinning on 503 took the cores the starts needed) */
        while (!(rq = request(&w->c, "POST", "/api/tests", NULL, body)) && w->c.status == 503 &&
               now() < b->deadline)
            nanosleep(&(struct timespec){0, 5L * 1000 * 1000}, NULL);
        if (rq || w->c.status != 201 ||
            !w->c.cookie[0] || read_question(t, w->c.body, w->c.body_len) || !t->csrf[0] ||
            !t->id) {
            /* the test is left out of the answers (a retry could start a
             * second test for the candidate whose first one did start);
             * the run fails only when more than START_LOSS of them fail */
            if (w->errors++ == 0)
                fprintf(stderr, "bench server: start of test %zu: %s %d: %.200s\n", i + 1,
                        rq ? "no reply" : "status", rq ? 0 : w->c.status,
                        rq          ? ""
                        : w->c.body ? w->c.body
                                    : "");
            memset(t, 0, sizeof *t);
            t->done = 1;
            continue;
        }
        lat_add(&w->lat, now() - t0);
        snprintf(t->cookie, sizeof t->cookie, "%s", w->c.cookie);
        w->ok++;
    }
    return NULL;
}

/* Phase (b): answer whichever test is waiting, each answer waiting for its reply. */
static void *run_answer(void *arg)
{
    struct worker *w = arg;
    struct bench *b = w->b;
    struct rf_rng r;
    rf_rng_seed(&r, w->seed);
    for (;;) {
        pthread_mutex_lock(&b->mu);
        size_t i = SIZE_MAX;
        if (b->qlen) {
            i = b->queue[b->qhead];
            b->qhead = (b->qhead + 1) % b->ntests;
            b->qlen--;
        }
        pthread_mutex_unlock(&b->mu);
        if (i == SIZE_MAX || now() > b->deadline)
            break;
        struct test *t = &b->tests[i];
        char path[64], extra[320], body[192];
        snprintf(path, sizeof path, "/api/tests/%lld/answers", (long long)t->id);
        snprintf(extra, sizeof extra, "Cookie: %s\r\nX-CSRF-Token: %s\r\n", t->cookie, t->csrf);
        if (t->numeric)
            snprintf(body, sizeof body, "{\"item\":\"%s\",\"value\":\"%llu\"}", t->item,
                     (unsigned long long)rf_rng_below(&r, 100));
        else
            snprintf(body, sizeof body, t->multi ? "{\"item\":\"%s\",\"selected\":[%llu]}"
                                                 : "{\"item\":\"%s\",\"choice\":%llu}",
                     t->item, (unsigned long long)(t->noptions ? rf_rng_below(&r, t->noptions) : 0));
        double t0 = now();
        if (request(&w->c, "POST", path, extra, body) || w->c.status != 200 ||
            scan_question(t, w->c.body)) {
            if (w->errors++ == 0)
                fprintf(stderr, "bench server: answer to test %lld: status %d: %.200s\n",
                        (long long)t->id, w->c.status, w->c.body ? w->c.body : "");
            continue; /* the test leaves the queue */
        }
        lat_add(&w->lat, now() - t0);
        w->ok++;
        if (!t->done) {
            pthread_mutex_lock(&b->mu);
            b->queue[(b->qhead + b->qlen) % b->ntests] = i;
            b->qlen++;
            pthread_mutex_unlock(&b->mu);
        }
    }
    return NULL;
}

/* Phase (c): the static file as fast as possible. */
static void *run_static(void *arg)
{
    struct worker *w = arg;
    struct bench *b = w->b;
    while (now() < b->deadline && w->ok < 10000000) {
        double t0 = now();
        if (request(&w->c, "GET", "/favicon.svg", NULL, NULL) || w->c.status != 200 ||
            w->c.body_len != b->static_len) {
            w->errors++;
            if (w->errors > 100)
                break;
            continue;
        }
        lat_add(&w->lat, now() - t0);
        w->ok++;
    }
    return NULL;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;
    return (a > c) - (a < c);
}

struct phase {
    size_t ok, errors;
    double seconds, cpu, p50, p99; /* cpu: seconds of this process (server and client) */
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs fn on every worker and merges counts and latencies. */
static int run_phase(struct bench *b, struct worker *w, void *(*fn)(void *), double seconds,
                     struct phase *ph)
{
    pthread_t th[MAX_CLIENTS];
    for (size_t k = 0; k < b->nclients; k++) {
        w[k].ok = w[k].errors = 0;
        w[k].lat.n = 0;
    }
    double t0 = now(), c0 = cpu_now();
    b->deadline = t0 + seconds;
    size_t started = 0;
    for (; started < b->nclients; started++)
        if (pthread_create(&th[started], NULL, fn, &w[started]))
            break;
    for (size_t k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    ph->seconds = now() - t0;
    ph->cpu = cpu_now() - c0;
    if (started < b->nclients)
        return -1;
    memset(ph, 0, offsetof(struct phase, seconds));
    size_t n = 0;
    for (size_t k = 0; k < b->nclients; k++) {
        ph->ok += w[k].ok;
        ph->errors += w[k].errors;
        n += w[k].lat.n;
    }
    double *all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return -1;
    size_t m = 0;
    for (size_t k = 0; k < b->nclients; k++) {
        memcpy(all + m, w[k].lat.v, w[k].lat.n * sizeof *all);
        m += w[k].lat.n;
    }
    qsort(all, n, sizeof *all, cmp_double);
    ph->p50 = n ? all[(n - 1) / 2] : 0;
    ph->p99 = n ? all[(size_t)(0.99 * (double)(n - 1))] : 0;
    free(all);
    return 0;
}

/* The cost of one durable write on this disk: 4 KiB appended then fdatasync. */
static double fsync_ms(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/fsync.probe", dir);
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    char block[4096];
    memset(block, 'x', sizeof block);
    int n = 100;
    double t0 = now();
    for (int i = 0; i < n; i++)
        if (write_all(fd, block, sizeof block) || fdatasync(fd))
            break;
    double t = now() - t0;
    close(fd);
    unlink(path);
    return 1e3 * t / n;
}

static void quiet_log(const char *line)
{
    (void)line;
}

/* Closes the client connections (a graceful stop waits for open ones). */
static void close_all(struct bench *b, struct worker *w)
{
    for (size_t k = 0; w && k < b->nclients; k++) {
        if (w[k].c.fd >= 0)
            close(w[k].c.fd);
        w[k].c.fd = -1;
    }
}

/* ---- isolation: candidates while recruiters rank the whole organization ---- */

#define ISO_SKILLS 8
static const char *const iso_skills[ISO_SKILLS] = {
    "python_programming", "software_engineering", "ml_fundamentals", "deep_learning",
    "data_engineering",   "model_deployment",     "mlops_monitoring", "probability_statistics"};

/* A packed profile as the server stores it: per skill a posterior
 * proportional to a normal likelihood times the N(0,1) prior. */
static int iso_packed(struct rf_rng *rng, unsigned char **packed, size_t *n)
{
    struct rf_profile p;
    struct rf_err err;
    double post[RF_QUAD_DEFAULT_N];
    rf_profile_init_default(&p);
    int rc = rf_profile_set_person(&p, NULL, "session", &err) != RF_OK;
    for (size_t k = 0; k < ISO_SKILLS && !rc; k++) {
        double m = rf_rng_normal(rng), sd = 0.35 + 0.3 * rf_rng_uniform(rng);
        for (size_t i = 0; i < p.n; i++) {
            double x = rf_profile_node(&p, i), z = (x - m) / sd;
            post[i] = exp(-0.5 * z * z - 0.5 * x * x);
        }
        size_t idx;
        rc = rf_profile_add_posterior(&p, iso_skills[k], 6, post, &idx, &err) != RF_OK;
    }
    rc = rc || rf_profile_pack(&p, packed, n, &err) != RF_OK;
    rf_profile_cleanup(&p);
    return rc ? -1 : 0;
}

/* One organization (id 1) with a recruiter (user 1) signed in with token,
 * posting 1, and n finished tests of as many invited candidates, written as
 * a `rolefit db export` file and imported in one transaction. */
static int iso_fill(const char *db, size_t n, const char *token)
{
    struct rf_store *st;
    struct rf_err err;
    if (rf_store_open(db, &st, &err)) {
        fprintf(stderr, "bench server: %s\n", err.msg);
        return -1;
    }
    FILE *f = tmpfile();
    char th[RF_TOKEN_HASH_LEN];
    rf_auth_token_hash(token, th);
    int rc = f ? 0 : -1;
    if (f) {
        fprintf(f, "{\"format\":\"rolefit-db\",\"version\":1,\"schema\":%d}\n",
                rf_store_schema_version(st));
        fprintf(f, "{\"table\":\"orgs\",\"columns\":[\"id\",\"name\",\"created\"]}\n"
                   "[1,\"bench\",1]\n");
        fprintf(f, "{\"table\":\"users\",\"columns\":[\"id\",\"org_id\",\"email\",\"name\","
                   "\"role\",\"pw_hash\",\"created\"]}\n[1,1,\"r@bench.test\",\"R\","
                   "\"recruiter\",\"x\",1]\n");
        fprintf(f, "{\"table\":\"candidates\",\"columns\":[\"id\",\"org_id\",\"created\"]}\n");
        for (size_t i = 1; i <= n; i++)
            fprintf(f, "[%zu,1,1]\n", i);
        fprintf(f, "{\"table\":\"auth\",\"columns\":[\"token_hash\",\"user_id\",\"csrf\","
                   "\"expires\"]}\n[\"%s\",1,\"c\",%lld]\n",
                th, (long long)time(NULL) + 86400);
        fprintf(f, "{\"table\":\"postings\",\"columns\":[\"id\",\"org_id\",\"created_by\","
                   "\"title\",\"text\",\"created\"]}\n[1,1,1,\"ML Engineer\",\"# ML Engineer\\n\\n"
                   "## Requirements\\n- Python\\n- PyTorch or TensorFlow\\n- SQL or Spark\\n"
                   "- Model deployment\\n- Monitoring\\n\\n## Nice to have\\n- Statistics\\n\",1]\n");
        fprintf(f, "{\"table\":\"invites\",\"columns\":[\"id\",\"token_hash\",\"org_id\","
                   "\"posting_id\",\"role\",\"label\",\"created_by\",\"candidate_id\",\"created\","
                   "\"expires\"]}\n");
        for (size_t i = 1; i <= n; i++)
            fprintf(f, "[%zu,\"iso%zu\",1,1,\"ml_engineer\",\"cand %zu\",1,%zu,1,%lld]\n", i, i, i,
                    i, (long long)1 << 40);
        fprintf(f, "{\"table\":\"tests\",\"columns\":[\"id\",\"candidate_id\",\"org_id\","
                   "\"posting_id\",\"invite_id\",\"scope\",\"state\",\"status\",\"answers\","
                   "\"created\",\"updated\",\"packed\"]}\n");
        struct rf_rng rng;
        rf_rng_seed(&rng, 20);
        for (size_t i = 1; i <= n && !rc; i++) {
            unsigned char *pk;
            size_t npk;
            if (iso_packed(&rng, &pk, &npk)) {
                rc = -1;
                break;
            }
            fprintf(f, "[%zu,%zu,1,1,%zu,\"{\\\"role\\\":\\\"ml_engineer\\\"}\",\"{}\",\"finished\","
                       "1,1,%zu,{\"hex\":\"",
                    i, i, i, i);
            for (size_t k = 0; k < npk; k++)
                fprintf(f, "%02x", pk[k]);
            fprintf(f, "\"}]\n");
            free(pk);
        }
        rc = rc || fflush(f) || fseek(f, 0, SEEK_SET) ? -1 : 0;
    }
    if (!rc && rf_store_restore(st, f, "isolation data", &err)) {
        fprintf(stderr, "bench server: %s\n", err.msg);
        rc = -1;
    }
    if (f)
        fclose(f);
    rf_store_close(st);
    return rc;
}

struct iso {
    struct bench *b;
    char cookie[160]; /* the recruiter's */
    double deadline;
    int rank;                /* 1 while the rankings run */
    pthread_mutex_t mu;
    struct lat rankings;     /* seconds of each ranking */
    size_t rank_errors;
};

struct iso_worker {
    struct iso *s;
    struct worker w;  /* its connection; lat: GET /api/tests/ID */
    struct lat ans;   /* answers */
    size_t test;      /* index into b->tests */
};

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* A candidate: reads its test and answers it, 20 ms apart, moving to its
 * next test when one finishes. */
static void *iso_candidate(void *arg)
{
    struct iso_worker *iw = arg;
    struct bench *b = iw->s->b;
    struct worker *w = &iw->w;
    struct rf_rng r;
    rf_rng_seed(&r, w->seed);
    while (now() < iw->s->deadline) {
        struct test *t = &b->tests[iw->test];
        if (t->done) {
            iw->test += b->nclients;
            if (iw->test >= b->ntests)
                break;
            continue;
        }
        char path[64], extra[320], body[192];
        snprintf(extra, sizeof extra, "Cookie: %s\r\nX-CSRF-Token: %s\r\n", t->cookie, t->csrf);
        snprintf(path, sizeof path, "/api/tests/%lld", (long long)t->id);
        double t0 = now();
        if (request(&w->c, "GET", path, extra, NULL) || w->c.status != 200) {
            w->errors++;
            t->done = 1;
            continue;
        }
        lat_add(&w->lat, now() - t0);
        sleep_s(0.02);
        snprintf(path, sizeof path, "/api/tests/%lld/answers", (long long)t->id);
        if (t->numeric)
            snprintf(body, sizeof body, "{\"item\":\"%s\",\"value\":\"1\"}", t->item);
        else
            snprintf(body, sizeof body, t->multi ? "{\"item\":\"%s\",\"selected\":[%llu]}"
                                                 : "{\"item\":\"%s\",\"choice\":%llu}",
                     t->item, (unsigned long long)(t->noptions ? rf_rng_below(&r, t->noptions) : 0));
        t0 = now();
        if (request(&w->c, "POST", path, extra, body) || w->c.status != 200 ||
            scan_question(t, w->c.body)) {
            w->errors++;
            t->done = 1;
            continue;
        }
        lat_add(&iw->ans, now() - t0);
        w->ok++;
        sleep_s(0.02);
    }
    return NULL;
}

/* A recruiter ranking the whole organization over and over. */
static void *iso_ranker(void *arg)
{
    struct iso_worker *iw = arg;
    struct iso *s = iw->s;
    char extra[200];
    snprintf(extra, sizeof extra, "Cookie: %s\r\n", s->cookie);
    while (now() < s->deadline) {
        double t0 = now();
        int bad = request(&iw->w.c, "GET", "/api/postings/1/ranking?scope=org", extra, NULL) ||
                  iw->w.c.status != 200;
        pthread_mutex_lock(&s->mu);
        if (bad)
            s->rank_errors++;
        else
            lat_add(&s->rankings, now() - t0);
        pthread_mutex_unlock(&s->mu);
        if (bad)
            sleep_s(0.1);
    }
    return NULL;
}

/* p-quantile of l (sorted here). */
static double quantile(struct lat *l, double p)
{
    if (!l->n)
        return 0;
    qsort(l->v, l->n, sizeof *l->v, cmp_double);
    return l->v[(size_t)(p * (double)(l->n - 1))];
}

/* One phase of the isolation run: candidates, and rankers when rankers > 0. */
static int iso_phase(struct iso *s, struct iso_worker *cw, struct iso_worker *rw, size_t rankers,
                     double seconds, const char *name)
{
    struct bench *b = s->b;
    pthread_t th[2 * MAX_CLIENTS];
    size_t started = 0, nc = b->nclients;
    s->deadline = now() + seconds;
    s->rankings.n = 0;
    s->rank_errors = 0;
    for (size_t k = 0; k < nc; k++) {
        cw[k].w.lat.n = cw[k].ans.n = 0;
        cw[k].w.ok = cw[k].w.errors = 0;
    }
    for (size_t k = 0; k < rankers; k++)
        started += pthread_create(&th[started], NULL, iso_ranker, &rw[k]) == 0;
    for (size_t k = 0; k < nc; k++)
        started += pthread_create(&th[started], NULL, iso_candidate, &cw[k]) == 0;
    for (size_t k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    struct lat get = {0}, ans = {0};
    size_t errors = 0;
    for (size_t k = 0; k < nc; k++) {
        for (size_t i = 0; i < cw[k].w.lat.n; i++)
            lat_add(&get, cw[k].w.lat.v[i]);
        for (size_t i = 0; i < cw[k].ans.n; i++)
            lat_add(&ans, cw[k].ans.v[i]);
        errors += cw[k].w.errors;
    }
    printf("  %-28s GET test p50 %6.1f p99 %7.1f max %7.1f ms (%zu) | answer p50 %6.1f p99 "
           "%7.1f max %7.1f ms (%zu) | errors %zu\n",
           name, 1e3 * quantile(&get, 0.5), 1e3 * quantile(&get, 0.99),
           1e3 * quantile(&get, 1.0), get.n, 1e3 * quantile(&ans, 0.5),
           1e3 * quantile(&ans, 0.99), 1e3 * quantile(&ans, 1.0), ans.n, errors);
    if (rankers)
        printf("  %-28s %zu organization-wide rankings finished, each %.2f s median, %.2f s max "
               "(%zu at once; errors %zu)\n",
               "", s->rankings.n, quantile(&s->rankings, 0.5), quantile(&s->rankings, 1.0),
               rankers, s->rank_errors);
    int met = quantile(&get, 0.99) <= 0.1 && quantile(&ans, 0.99) <= 0.1;
    if (rankers)
        printf("  isolation: candidate p99 <= 100 ms while %zu rankings run: %s\n", rankers,
               met ? "met" : "NOT met");
    free(get.v);
    free(ans.v);
    return errors || s->rank_errors ? -1 : 0;
}

/* The isolation run (see the top of this file), once the candidates' tests
 * are started: 0 when every request succeeded. */
static int isolate(struct bench *b, struct worker *w, const char *token, size_t rankers,
                   double seconds, size_t finished, double fill_s, const char *store,
                   unsigned threads)
{
    struct iso s;
    memset(&s, 0, sizeof s);
    s.b = b;
    snprintf(s.cookie, sizeof s.cookie, "rf_session=%s", token);
    pthread_mutex_init(&s.mu, NULL);
    close_all(b, w);
    struct iso_worker *cw = calloc(b->nclients, sizeof *cw), *rw = calloc(rankers + 1, sizeof *rw);
    int rc = cw && rw ? 0 : -1;
    for (size_t k = 0; !rc && k < b->nclients + rankers; k++) {
        struct iso_worker *iw = k < b->nclients ? &cw[k] : &rw[k - b->nclients];
        iw->s = &s;
        iw->test = k;
        iw->w.b = b;
        iw->w.seed = 7000 + k;
        iw->w.c.port = b->port;
        iw->w.c.fd = -1;
        if (!(iw->w.c.buf = malloc(RESP_CAP + 1)))
            rc = -1;
    }
    double load[1] = {0};
    getloadavg(load, 1);
    if (!rc)
        printf("isolation (%s): %zu finished tests of one organization (imported in %.1f s); "
               "%zu candidates each reading its test and answering, 20 ms apart; %u HTTP "
               "threads; load average %.1f\n",
               store, finished, fill_s, b->nclients, threads, load[0]);
    /* the first ranking computes every test's fit from its posterior and
     * keeps it (app_rank.c); the phases measure the rankings after it */
    if (!rc && rankers) {
        char extra[200];
        snprintf(extra, sizeof extra, "Cookie: %s\r\n", s.cookie);
        double t0 = now();
        if (request(&rw[0].w.c, "GET", "/api/postings/1/ranking?scope=org", extra, NULL) ||
            rw[0].w.c.status != 200)
            rc = -1;
        double t1 = now(), c1 = cpu_now();
        if (!rc && (request(&rw[0].w.c, "GET", "/api/postings/1/ranking?scope=org", extra, NULL) ||
                    rw[0].w.c.status != 200))
            rc = -1;
        if (!rc)
            printf("  first ranking (computes and keeps %zu fits): %.2f s; the next, alone: %.3f "
                   "s, %.1f ms of CPU (server and client)\n",
                   finished, t1 - t0, now() - t1, 1e3 * (cpu_now() - c1));
    }
    if (!rc)
        rc = iso_phase(&s, cw, rw, 0, seconds, "alone:");
    for (size_t k = 0; !rc && k < b->nclients; k++) /* the next phase from the next test */
        cw[k].test = cw[k].test < b->ntests ? cw[k].test : cw[k].test % b->nclients;
    char name[64];
    snprintf(name, sizeof name, "with %zu rankings running:", rankers);
    if (!rc)
        rc = iso_phase(&s, cw, rw, rankers, seconds, name);
    for (size_t k = 0; k < b->nclients + rankers; k++) {
        struct iso_worker *iw = k < b->nclients ? (cw ? &cw[k] : NULL)
                                                 : (rw ? &rw[k - b->nclients] : NULL);
        if (!iw)
            continue;
        if (iw->w.c.fd >= 0)
            close(iw->w.c.fd);
        free(iw->w.c.buf);
        free(iw->w.lat.v);
        free(iw->ans.v);
    }
    free(cw);
    free(rw);
    free(s.rankings.v);
    pthread_mutex_destroy(&s.mu);
    return rc;
}

static int parse_opt(int argc, char **argv, int *i, const char *name, double lo, double hi,
                     double *out)
{
    if (strcmp(argv[*i], name) != 0)
        return 0;
    char *end;
    if (*i + 1 >= argc || (*out = strtod(argv[*i + 1], &end), *end) || *out < lo || *out > hi) {
        fprintf(stderr, "bench server: %s needs a number from %g to %g\n", name, lo, hi);
        exit(2);
    }
    *i += 1;
    return 1;
}

/* --mark: the command run around the answer phase (NULL: none). */
static const char *mark_cmd;

/* Runs `mark_cmd what`; 0 when there is none or it succeeded. */
static int mark(const char *what)
{
    if (!mark_cmd)
        return 0;
    char cmd[4096];
    if ((size_t)snprintf(cmd, sizeof cmd, "%s %s", mark_cmd, what) >= sizeof cmd) {
        fprintf(stderr, "bench server: --mark: the command is too long\n");
        return -1;
    }
    int st = system(cmd);
    if (st != 0) {
        fprintf(stderr, "bench server: --mark %s: exit status %d\n", what, st);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    double threads = RF_HTTP_THREADS, clients = -1, ntests = -1, seconds = -1, port = 0;
    double finished = 20000, rankings = 8;
    int isolation = 0, limits = 0;
    const char *db_url = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db_url = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--mark") == 0 && i + 1 < argc) {
            mark_cmd = argv[++i];
            continue;
        }
        if (strcmp(argv[i], "--isolation") == 0) {
            isolation = 1;
            continue;
        }
        if (strcmp(argv[i], "--limits") == 0) {
            limits = 1;
            continue;
        }
        if (!parse_opt(argc, argv, &i, "--threads", 1, 64, &threads) &&
            !parse_opt(argc, argv, &i, "--clients", 1, MAX_CLIENTS, &clients) &&
            !parse_opt(argc, argv, &i, "--tests", 1, MAX_TESTS, &ntests) &&
            !parse_opt(argc, argv, &i, "--seconds", 0.5, 600, &seconds) &&
            !parse_opt(argc, argv, &i, "--port", 1, 65535, &port) &&
            !parse_opt(argc, argv, &i, "--finished", 0, 1e6, &finished) &&
            !parse_opt(argc, argv, &i, "--rankings", 0, MAX_CLIENTS, &rankings)) {
            fprintf(stderr,
                    "usage: server [--threads N] [--clients N] [--tests N] [--seconds S] "
                    "[--db URL] [--port P] [--limits] [--mark CMD]\n"
                    "       server --isolation [--finished N] [--rankings R] [--clients N] "
                    "[--seconds S] [--db URL]\n");
            return 2;
        }
    }
    /* a connection the server closed is an error of the request, not the end of the run */
    signal(SIGPIPE, SIG_IGN);
    if (port && !db_url) {
        fprintf(stderr, "bench server: --port needs --db (the server's store, read afterwards)\n");
        return 2;
    }
    if (clients < 0)
        clients = isolation ? 8 : 32;
    if (ntests < 0)
        ntests = isolation ? 40 * clients : 300;
    if (seconds < 0)
        seconds = isolation ? 15 : 20;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char dir[512], db[600];
    snprintf(dir, sizeof dir, "%s/rf-bench-server-XXXXXX", tmp);
    if (!mkdtemp(dir)) {
        perror("bench server: mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s", db_url ? db_url : "");
    if (!db_url)
        snprintf(db, sizeof db, "%s/bench.db", dir);
    struct stat st;
    if (stat("web/favicon.svg", &st) != 0) {
        fprintf(stderr, "bench server: run from the repository root (web/favicon.svg)\n");
        return 1;
    }

    char token[RF_TOKEN_LEN];
    rf_auth_token(token);
    double tf = now();
    if (isolation && iso_fill(db, (size_t)finished, token)) {
        fprintf(stderr, "bench server: could not load the finished tests\n");
        return 1;
    }
    tf = now() - tf;

    struct rf_server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.app.db = db;
    cfg.app.bank_dir = "data/bank";
    cfg.app.data_dir = "data";
    cfg.app.web_dir = "web";
    cfg.app.practice = 1;
    cfg.app.log = quiet_log;
    cfg.addr = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = (unsigned)threads;
    cfg.quiet = 1;
    if (limits) { /* every limit on, shared through the store, never refusing */
        cfg.app.rate_ip = cfg.app.rate_answers = cfg.app.rate_login = 1e6;
        cfg.app.rate_burst = 2e6;
        cfg.practice_max = 1000000;
    }
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_server *srv = NULL;
    if (!port && rf_server_start(&cfg, &srv, &err)) {
        fprintf(stderr, "bench server: %s\n", err.msg);
        return 1;
    }

    struct bench b;
    memset(&b, 0, sizeof b);
    b.port = port ? (unsigned)port : rf_server_port(srv);
    b.nclients = (size_t)clients;
    b.ntests = (size_t)ntests;
    b.answer_seconds = seconds;
    b.static_seconds = seconds / 4 < 5 ? seconds / 4 : 5;
    b.static_len = (size_t)st.st_size;
    pthread_mutex_init(&b.mu, NULL);
    b.tests = calloc(b.ntests, sizeof *b.tests);
    b.queue = calloc(b.ntests, sizeof *b.queue);
    struct worker *w = calloc(b.nclients, sizeof *w);
    int rc = 1;
    if (!b.tests || !b.queue || !w)
        goto out;
    for (size_t k = 0; k < b.nclients; k++) {
        w[k].b = &b;
        w[k].k = k;
        w[k].seed = 2026 + k;
        w[k].c.port = b.port;
        w[k].c.fd = -1;
        if (!(w[k].c.buf = malloc(RESP_CAP + 1)))
            goto out;
    }

    /* the skills to test: the first few of the catalogue with items */
    if (request(&w[0].c, "GET", "/api/skills", NULL, NULL) || w[0].c.status != 200)
        goto out;
    json_t *sk = json_loadb(w[0].c.body, w[0].c.body_len, 0, NULL);
    json_t *arr = json_object_get(sk, "skills");
    for (size_t i = 0; i < json_array_size(arr) && b.nskills < 4; i++) {
        json_t *s = json_array_get(arr, i);
        if (json_integer_value(json_object_get(s, "items")) >= RF_WEB_MAX_ITEMS / NSKILLS_PER_TEST)
            snprintf(b.skills[b.nskills++], sizeof b.skills[0], "%s",
                     json_string_value(json_object_get(s, "id")));
    }
    json_decref(sk);
    if (b.nskills < NSKILLS_PER_TEST) {
        fprintf(stderr, "bench server: the bank has too few skills with items\n");
        goto out;
    }

    struct phase create, answer, stat_ph;
    /* The starts get five times the answer phase's time bound: a start
     * waits for one of the server's two start slots (RF_PRACTICE_START_SLOTS,
     * a 503 retried after 5 ms) and holds it 20-40 ms here, so on a busy
     * machine 600 starts took longer than the 8 s of --seconds 8 and only
     * 200-470 tests were started (scripts/bench-multi). The phase ends as
     * soon as every test has started. */
    if (run_phase(&b, w, run_create, 5 * seconds, &create))
        goto out;
    if (isolation) {
        rc = isolate(&b, w, token, (size_t)rankings, seconds, (size_t)finished, tf,
                     db_url ? "PostgreSQL" : "SQLite", cfg.threads);
        goto out;
    }
    /* the tests started (a start phase cut short by its time bound on a
     * busy machine leaves some unstarted) */
    for (size_t i = 0; i < b.ntests; i++)
        if (b.tests[i].id && !b.tests[i].done)
            b.queue[b.qlen++] = i;
    if (mark("start") || run_phase(&b, w, run_answer, seconds, &answer) || mark("end") ||
        run_phase(&b, w, run_static, b.static_seconds, &stat_ph))
        goto out;
    size_t unfinished = 0;
    for (size_t i = 0; i < b.ntests; i++)
        unfinished += b.tests[i].id && !b.tests[i].done;
    close_all(&b, w);
    rf_server_stop(srv);
    srv = NULL;

    /* every acknowledged answer must be in the database */
    struct rf_store *store;
    size_t stored = 0;
    if (rf_store_open(db, &store, &err)) {
        fprintf(stderr, "bench server: reopen: %s\n", err.msg);
        goto out;
    }
    for (size_t i = 0; i < b.ntests; i++) {
        struct rf_test t;
        if (b.tests[i].id && rf_store_test_get(store, b.tests[i].id, &t, &err) == RF_OK) {
            stored += (size_t)t.answers;
            rf_store_test_cleanup(&t);
        }
    }
    rf_store_close(store);

    double ar = (double)answer.ok / answer.seconds, sr = (double)stat_ph.ok / stat_ph.seconds;
    double fs = fsync_ms(dir), load[1] = {0};
    getloadavg(load, 1);
    printf("server: %s, %zu keep-alive client connections over loopback, "
           "%zu practice tests of %d skills (at most %d items); %ld cores, load average %.1f%s\n",
           port ? "a server of its own (--port)" : "in this process", b.nclients, b.ntests,
           NSKILLS_PER_TEST, RF_WEB_MAX_ITEMS, sysconf(_SC_NPROCESSORS_ONLN), load[0],
           limits ? "; every limit on (never refusing)" : "");
    printf("  %-11s %8s %8s %9s %8s %8s %11s %6s\n", "", "requests", "seconds", "per s",
           "p50 ms", "p99 ms", "cpu us/req", "errors");
    const struct phase *ph[3] = {&create, &answer, &stat_ph};
    const char *names[3] = {"start test", "answer", "static file"};
    for (int i = 0; i < 3; i++)
        printf("  %-11s %8zu %8.2f %9.0f %8.2f %8.2f %11.1f %6zu\n", names[i], ph[i]->ok,
               ph[i]->seconds, (double)ph[i]->ok / ph[i]->seconds, 1e3 * ph[i]->p50,
               1e3 * ph[i]->p99, ph[i]->ok ? 1e6 * ph[i]->cpu / (double)ph[i]->ok : 0,
               ph[i]->errors);
    printf("  answers/static: %.3f in throughput, %.1fx the CPU per request (cpu: server and "
           "client together)\n",
           ar / sr,
           stat_ph.ok && answer.ok && stat_ph.cpu > 0
               ? (answer.cpu / (double)answer.ok) / (stat_ph.cpu / (double)stat_ph.ok)
               : 0);
    printf("  durable answers/s %.0f: target >= 2000 %s; %zu tests unfinished at the time bound\n",
           ar, ar >= 2000 ? "met" : "NOT met", unfinished);
    printf("  every answer is committed (%s) before its reply: %zu of %zu "
           "acknowledged answers found in the database after stop%s\n",
           rf_store_is_pg_url(db) ? "PostgreSQL, synchronous_commit on" : "SQLite WAL, synchronous=FULL", stored,
           answer.ok, stored == answer.ok ? "" : "  MISMATCH");
    printf("  fsync on this disk (4 KiB append + fdatasync): %.2f ms, so at most %.0f commits/s "
           "one at a time\n",
           fs, fs > 0 ? 1e3 / fs : 0);
    if (create.errors)
        printf("  %zu of %zu starts failed (their reasons above); the answers are those of the "
               "%zu tests started\n",
               create.errors, b.ntests, create.ok);
    rc = stored == answer.ok && !answer.errors && !stat_ph.errors &&
                 (double)create.errors <= START_LOSS * (double)b.ntests
             ? 0
             : 1;
out:
    if (rc)
        fprintf(stderr, "bench server: failed\n");
    close_all(&b, w);
    rf_server_stop(srv);
    for (size_t k = 0; w && k < b.nclients; k++) {
        free(w[k].c.buf);
        free(w[k].lat.v);
    }
    free(w);
    free(b.tests);
    free(b.queue);
    pthread_mutex_destroy(&b.mu);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench server: could not remove %s\n", dir);
    return rc;
}
