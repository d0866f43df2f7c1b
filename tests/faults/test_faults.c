/*
 * Fault injection over a whole candidate flow, the way SQLite tests itself
 * (docs/store.md, "Faults"). The real server runs in-process on a loopback
 * port over a database opened through the fault VFS (faultvfs.h). A flow is
 * what a candidate does: start a practice test, answer every question, read
 * the report. For each kind of fault (a write failing with "disk full" until
 * the disk is freed, a write, sync or truncate failing once with an I/O
 * error, an allocation of SQLite failing once) and for every N = 1, 2, ...
 * until a whole flow passes without reaching it, the Nth operation of that
 * kind in the flow fails, and:
 *   - the request it falls in gets a JSON error: 503 with Retry-After when
 *     the disk is full (nothing was stored; it may pass once space is freed),
 *     500 otherwise (never a crash, a hang, a 4xx, or a 2xx unless SQLite
 *     absorbed the fault);
 *   - the log names the cause ("disk full", "I/O error", "out of memory")
 *     and, for the disk, the database file;
 *   - once the fault is cleared, the same request succeeds at once on the
 *     same server (no restart), and so does the next one, so the connection
 *     and the group commit have recovered;
 *   - the answers stored for the test are exactly the acknowledged ones:
 *     none lost, and none that was answered with an error.
 * A flow stops two successful requests after its fault (the rest of it
 * would run as a flow without faults, which the last N of each kind is).
 * Each test prints how many failure points it exercised and how long it took.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../server/fixture.h"
#include "base/config.h"
#include "faultvfs.h"
#include "store/store.h"

#define TIMEOUT_MS 30000 /* a reply slower than this is a hang */
#define LOG_LINES 64
#define SKILLS "{\"skills\":[\"deep_learning\",\"ml_fundamentals\"]}"

/* ---- the server's log, kept per request ---- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_line[LOG_LINES][1024];
static size_t nlog;

static void log_capture(const char *line)
{
    const char *h = strstr(line, "setup.html#");
    if (h) {
        snprintf(fx.setup_token, sizeof fx.setup_token, "%s", h + 11);
        char *sp = strchr(fx.setup_token, ' ');
        if (sp)
            *sp = '\0';
    }
    pthread_mutex_lock(&log_mu);
    if (nlog < LOG_LINES)
        snprintf(log_line[nlog++], sizeof log_line[0], "%s", line);
    pthread_mutex_unlock(&log_mu);
}

static void log_clear(void)
{
    pthread_mutex_lock(&log_mu);
    nlog = 0;
    pthread_mutex_unlock(&log_mu);
}

/* The first logged line holding both a and b (b may be NULL), copied to out; 1 when found. */
static int log_find(const char *a, const char *b, char *out, size_t n)
{
    int found = 0;
    pthread_mutex_lock(&log_mu);
    for (size_t i = 0; i < nlog && !found; i++)
        if (strstr(log_line[i], a) && (!b || strstr(log_line[i], b))) {
            snprintf(out, n, "%s", log_line[i]);
            found = 1;
        }
    if (!found && nlog)
        snprintf(out, n, "%s", log_line[nlog - 1]);
    else if (!found)
        snprintf(out, n, "(nothing logged)");
    pthread_mutex_unlock(&log_mu);
    return found;
}

static void tweak(struct rf_server_config *cfg)
{
    cfg->app.log = log_capture;
    cfg->app.seed = 21; /* the same items in every run */
}

/* ---- requests ---- */

static int request(struct http_client *c, const char *method, const char *path, const char *body,
                   struct http_result *r)
{
    return client_do_within(c, method, path, body, TIMEOUT_MS, r);
}

/* ---- one kind of fault ---- */

struct sweep {
    const char *name;
    enum fault_kind kind;
    int error;       /* what the operation fails with (SQLite result code) */
    int persistent;  /* every later operation fails too, until the fault is cleared */
    const char *cause; /* what the log must say */
    int names_file;  /* the log must name the database file */
    int status;      /* the status of the request the fault falls in */
};

/* Counts of one sweep. */
struct tally {
    unsigned long points;   /* flows in which the fault fired */
    unsigned long failed;   /* ... and the request answered the sweep's 5xx */
    unsigned long absorbed; /* ... and SQLite absorbed it: the request succeeded */
    unsigned long requests;
    unsigned long answers;  /* acknowledged answers checked */
};

/* A candidate's flow. */
struct flow {
    const struct sweep *sw;
    unsigned long n; /* the operation that fails */
    struct http_client c;
    long long id;
    int finished;
    size_t nacked;
    char acked[RF_WEB_MAX_ITEMS + 1][RF_MAX_ID_LEN + 1]; /* item of each acknowledged answer */
    int faulted; /* the fault fired in this flow */
    int after;   /* successful requests since */
    struct tally *t;
};

/* One request of a flow, expecting want. When the armed fault fires in it,
 * checks the error reply and the log, clears the fault and repeats the
 * request, which must then succeed. *r holds the successful reply. */
static void step(struct flow *f, const char *method, const char *path, const char *body, int want,
                 struct http_result *r)
{
    const struct sweep *sw = f->sw;
    log_clear();
    int rc = request(&f->c, method, path, body, r);
    f->t->requests++;
    cr_assert_eq(rc, 0, "%s, N = %lu: %s %s: no reply (%s)", sw->name, f->n, method, path,
                 rc == -2 ? "hang" : "connection failed");
    if (faultvfs_fired() && !f->faulted) {
        f->faulted = 1;
        f->t->points++;
        if (r->status == want) {
            f->t->absorbed++;
            faultvfs_disarm(); /* a disk that stays full fails the next request instead */
        } else {
            f->t->failed++;
            cr_assert(r->status == sw->status, "%s, N = %lu: %s %s answered %d, not %d: %s",
                      sw->name, f->n, method, path, r->status, sw->status, r->body);
            char retry[32];
            cr_assert(sw->status != 503 || (http_header(r, "Retry-After", retry, sizeof retry) &&
                                            atoi(retry) > 0),
                      "%s, N = %lu: %s %s: the 503 has no Retry-After", sw->name, f->n, method,
                      path);
            cr_assert(json_is_string(json_object_get(r->json, "error")),
                      "%s, N = %lu: %s %s: the %d reply is not a JSON error: %s", sw->name, f->n,
                      method, path, r->status, r->body);
            char line[1024];
            cr_assert(log_find("error: ", sw->cause, line, sizeof line),
                      "%s, N = %lu: %s %s: the log does not say \"%s\"; it says: %s", sw->name,
                      f->n, method, path, sw->cause, line);
            cr_assert(!sw->names_file || log_find(sw->cause, fx.db, line, sizeof line),
                      "%s, N = %lu: %s %s: the log does not name %s: %s", sw->name, f->n, method,
                      path, fx.db, line);
            faultvfs_disarm(); /* the disk is freed, the memory is back */
            http_result_free(r);
            rc = request(&f->c, method, path, body, r);
            f->t->requests++;
            cr_assert_eq(rc, 0, "%s, N = %lu: %s %s again: no reply", sw->name, f->n, method,
                         path);
        }
        if (r->status != want) {
            char line[1024];
            log_find("error: ", NULL, line, sizeof line);
            cr_assert_fail("%s, N = %lu: %s %s after the fault cleared: %d instead of %d: %s; "
                           "the log: %s",
                           sw->name, f->n, method, path, r->status, want, r->body, line);
        }
        return;
    }
    if (r->status != want) {
        char line[1024];
        log_find("error: ", NULL, line, sizeof line);
        cr_assert_fail("%s, N = %lu: %s %s: %d instead of %d: %s; the log: %s", sw->name, f->n,
                       method, path, r->status, want, r->body, line);
    }
    if (f->faulted)
        f->after++;
}

/* The answer to a question in the field its format takes: right every other
 * time, wrong otherwise (tests/server/fixture.h). */
static void answer_body(const json_t *q, size_t k, char *out, size_t n)
{
    fixture_answer_body(json_string_value(json_object_get(q, "item")), (int)(k % 2), out, n);
}

/* Runs a flow until the test is finished and its report read, or until two
 * requests after the fault have succeeded. */
static void flow_run(struct flow *f)
{
    struct http_result r;
    step(f, "POST", "/api/tests", SKILLS, 201, &r);
    f->id = json_integer_value(json_object_get(json_object_get(r.json, "test"), "id"));
    cr_assert(f->id > 0);
    char path[96];
    snprintf(path, sizeof path, "/api/tests/%lld/answers", f->id);
    while (f->after < 2) {
        const json_t *q = json_object_get(r.json, "question");
        if (!json_is_object(q)) {
            f->finished = 1;
            break;
        }
        cr_assert(f->nacked < RF_WEB_MAX_ITEMS);
        char body[RF_MAX_ID_LEN + 64];
        answer_body(q, f->nacked, body, sizeof body);
        char item[RF_MAX_ID_LEN + 1];
        snprintf(item, sizeof item, "%s", json_string_value(json_object_get(q, "item")));
        http_result_free(&r);
        step(f, "POST", path, body, 200, &r);
        snprintf(f->acked[f->nacked++], sizeof f->acked[0], "%s", item);
    }
    http_result_free(&r);
    if (f->finished && f->after < 2) {
        snprintf(path, sizeof path, "/api/tests/%lld/report", f->id);
        step(f, "GET", path, NULL, 200, &r);
        cr_assert(json_is_object(r.json));
        http_result_free(&r);
    }
}

struct stored {
    const struct flow *f;
    size_t n;
    int mismatch;
};

static void stored_one(void *ud, const struct rf_answer *a)
{
    struct stored *s = ud;
    if (a->seq != (int64_t)s->n || s->n >= s->f->nacked || strcmp(a->item_id, s->f->acked[s->n]))
        s->mismatch = 1;
    s->n++;
}

/* The answers stored for the flow's test are exactly the acknowledged ones. */
static void check_stored(struct rf_store *db, const struct flow *f)
{
    struct stored s = {f, 0, 0};
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_store_answers_list(db, f->id, stored_one, &s, &err), RF_OK, "%s", err.msg);
    cr_assert(!s.mismatch && s.n == f->nacked,
              "%s, N = %lu: test %lld has %zu answers stored (%s) for %zu acknowledged",
              f->sw->name, f->n, f->id, s.n, s.mismatch ? "not the acknowledged ones" : "in order",
              f->nacked);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Every N of one kind of fault over the flow, on one server. */
static void sweep_run(const struct sweep *sw)
{
    cr_assert_eq(faultvfs_install(), 0, "the fault VFS could not be installed");
    fixture_start_with(1, 0, tweak);
    struct rf_store *db;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_store_open(fx.db, &db, &err), RF_OK, "%s", err.msg);
    struct tally t;
    memset(&t, 0, sizeof t);
    double t0 = seconds();
    /* one flow without faults first: the server's statements are prepared and
     * its caches warm, as they are on a server that has been up a while */
    unsigned long cold = 0, warm = 0;
    for (unsigned long n = 0;; n++) {
        struct flow f;
        memset(&f, 0, sizeof f);
        f.sw = sw;
        f.n = n;
        f.c.port = fx.port;
        f.t = &t;
        faultvfs_arm(sw->kind, n, sw->error, sw->persistent);
        flow_run(&f);
        unsigned long ops = faultvfs_count(sw->kind);
        faultvfs_disarm();
        check_stored(db, &f);
        t.answers += f.nacked;
        if (!n)
            cold = ops;
        if (n && !f.faulted) {
            cr_assert(f.finished, "%s: the last flow did not finish", sw->name);
            warm = ops;
            break;
        }
    }
    double dt = seconds() - t0;
    /* on the run's output (and Criterion's log) */
    char line[512];
    snprintf(line, sizeof line,
             "faults: %s: %lu failure points (%lu answered %d, %lu absorbed by SQLite) over "
             "a flow of %lu %s operations (%lu on the first, cold one); %lu requests, %lu "
             "acknowledged answers found; %.1f s",
             sw->name, t.points, t.failed, sw->status, t.absorbed, warm, faultvfs_kind_name(sw->kind), cold,
             t.requests, t.answers, dt);
    cr_log_info("%s", line);
    fprintf(stderr, "%s\n", line);
    rf_store_close(db);
    fixture_stop();
}

static const struct sweep disk_full = {"write, disk full until freed", FAULT_WRITE, SQLITE_FULL,
                                       1, "disk full", 1, 503};
static const struct sweep write_error = {"write, I/O error once", FAULT_WRITE,
                                         SQLITE_IOERR_WRITE, 0, "I/O error", 1, 500};
static const struct sweep sync_error = {"sync, I/O error once", FAULT_SYNC, SQLITE_IOERR_FSYNC,
                                        0, "I/O error", 1, 500};
static const struct sweep truncate_error = {"truncate, I/O error once", FAULT_TRUNCATE,
                                            SQLITE_IOERR_TRUNCATE, 0, "I/O error", 1, 500};
static const struct sweep no_memory = {"allocation fails once", FAULT_MALLOC, 0, 0,
                                       "out of memory", 0, 500};

Test(faults, disk_full_on_every_write, .timeout = 300)
{
    sweep_run(&disk_full);
}

Test(faults, io_error_on_every_write, .timeout = 300)
{
    sweep_run(&write_error);
}

Test(faults, io_error_on_every_sync, .timeout = 300)
{
    sweep_run(&sync_error);
}

Test(faults, io_error_on_every_truncate, .timeout = 300)
{
    sweep_run(&truncate_error);
}

Test(faults, every_allocation_of_sqlite_fails, .timeout = 300)
{
    sweep_run(&no_memory);
}
