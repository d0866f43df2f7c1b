/*
 * The PostgreSQL backend of the store (libpq): the same operations, schema
 * (pg_schema.c, numbered in step with sqlite_schema.c) and guarantees as
 * store_sqlite.c, with every line of its SQL here.
 *
 * Connections: a pool of up to RF_STORE_PG_POOL (or the size asked) libpq
 * connections, opened when first needed; a call takes one for one statement
 * or one transaction and gives it back. A connection found broken (the
 * server restarted, the network dropped) fails its call with RF_EUNAVAIL (the
 * server answers 503 with Retry-After), and every connection of the pool is
 * opened anew when next taken (after a restart they are all broken), so the
 * store recovers by itself once the server is back. Statements are prepared
 * once per connection (keyed by their SQL text, static strings). Lists are
 * read in libpq's single-row mode, so a large ranking is never held in
 * memory whole.
 *
 * Group commit, as with SQLite: concurrent answers queue up; the first caller
 * that finds no commit under way takes the queue (up to RF_STORE_BATCH_MAX
 * answers) and records all of them in one transaction on one connection,
 * then commits once (one WAL flush, synchronous_commit on) and wakes the
 * callers, each of which returns only after the commit that holds its answer.
 * The batch goes to the server as one libpq pipeline (one round trip):
 * BEGIN, a lock of the batch's tests in id order (so batches of several
 * processes cannot deadlock), one statement per answer that updates its test
 * only when its position is next and the test active and inserts the answer
 * row only then, COMMIT. An answer whose statement fails (not a refusal: an
 * error) aborts the transaction; the batch is then rolled back and replayed
 * without it, so that it fails alone and the others stay as one at a time
 * would leave them.
 *
 * Migrations run under a session advisory lock, so processes that start
 * together apply each migration once. Organization 0 in the API is NULL in
 * the database, as with SQLite.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/mem.h"
#include "store/backend.h"
#include "store/pg_schema.h"

#define NSTMT 64
#define MAXP 20
/* pg_advisory_lock key held while migrating: "rolefit" in ASCII */
#define MIGRATE_LOCK "31079608165396596"

/* One connection of the pool, used by one thread at a time. */
struct pconn {
    PGconn *db;
    const char *sql[NSTMT]; /* statements prepared on this connection, named "s<index>" */
    size_t nst;
    unsigned char *bytes; /* decoded BYTEA of the row being read */
    size_t nbytes;
    unsigned gen; /* the pool's generation when it was opened */
    struct pconn *next; /* in the free list */
};

/* An answer waiting for the group commit (on its caller's stack). */
struct pending {
    const struct rf_answer *a;
    const struct rf_answer_signals *sig; /* or NULL */
    const char *state, *profile;
    const unsigned char *packed;
    size_t npacked;
    struct rf_err *err;
    rf_status rc;
    int failed; /* its statement failed: left out when the batch is replayed */
    int done;   /* the batch is over: rc is final */
    struct pending *next;
};

struct pg_store {
    struct rf_store base; /* first: the store's functions (backend.h) */
    char *url;            /* as given (password included): what libpq connects with */
    char where[256];      /* "host H port P database D", named in errors */
    int version;
    struct pconn *conns;
    size_t nconns;
    pthread_mutex_t pmu;
    pthread_cond_t pcv;
    struct pconn *free;
    unsigned gen; /* incremented when a connection is found lost: all are reopened */
    /* the group commit: answers queued in arrival order */
    pthread_mutex_t qmu;
    pthread_cond_t qcv;
    struct pending *qhead, **qtail;
    int committing;
};

static struct pg_store *pgs(struct rf_store *bs)
{
    return (struct pg_store *)bs;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first line of a libpq message, without its "ERROR:  " or trailing newline. */
static void first_line(const char *msg, char *out, size_t n)
{
    if (!msg)
        msg = "";
    if (strncmp(msg, "ERROR:  ", 8) == 0)
        msg += 8;
    size_t len = strcspn(msg, "\n");
    snprintf(out, n, "%.*s", (int)len, msg);
}

/* Records an error of a statement (r, or the connection when r is NULL).
 * Constraint violations (a request's fault) name neither the server nor its
 * message's details; errors of the server, the network or the disk name
 * the server, so that the log says what to look at. */
static rf_status pgerr(struct pg_store *s, struct pconn *cn, const PGresult *r,
                       struct rf_err *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    char line[300];
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    first_line(primary ? primary : (r ? PQresultErrorMessage(r) : PQerrorMessage(cn->db)), line,
               sizeof line);
    if (!line[0])
        first_line(PQerrorMessage(cn->db), line, sizeof line);
    if (state && strncmp(state, "23", 2) == 0)
        return rf_err_set(err, strcmp(state, "23505") == 0 ? RF_ECONFLICT : RF_EINVAL,
                          "store: %s: %s", what, line);
    rf_status rc = RF_EDB;
    if (state && strcmp(state, "53100") == 0)
        rc = RF_EFULL; /* disk full: the server answers 503, it may pass once space is freed */
    else if (state && strcmp(state, "53200") == 0)
        rc = RF_ENOMEM;
    /* the connection is gone, or going: the server shuts down or restarts
     * (57P01-57P03), or the link failed (class 08) */
    int lost = PQstatus(cn->db) != CONNECTION_OK ||
               (state && (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0));
    if (lost) {
        pthread_mutex_lock(&s->pmu);
        s->gen++;
        pthread_mutex_unlock(&s->pmu);
        return rf_err_set(err, RF_EUNAVAIL, "store: PostgreSQL at %s: %s: connection lost (%s)",
                          s->where, what, line);
    }
    return rf_err_set(err, rc, "store: PostgreSQL at %s: %s: %s", s->where, what, line);
}

/* Opens the connection of cn (closing a broken one first). */
static rf_status conn_open(struct pg_store *s, struct pconn *cn, struct rf_err *err)
{
    if (cn->db)
        PQfinish(cn->db);
    cn->nst = 0;
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", RF_STORE_PG_CONNECT_TIMEOUT);
    /* the URL comes last: what it says overrides these defaults */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {timeout, "rolefit", s->url, NULL};
    cn->db = PQconnectdbParams(keys, vals, 1);
    if (!cn->db)
        return rf_err_set(err, RF_ENOMEM, "store: PostgreSQL: out of memory");
    if (!s->where[0] || PQstatus(cn->db) == CONNECTION_OK) {
        const char *host = PQhost(cn->db), *port = PQport(cn->db), *db = PQdb(cn->db);
        snprintf(s->where, sizeof s->where, "host %s port %s database %s",
                 host && host[0] ? host : "(default)", port && port[0] ? port : "(default)",
                 db && db[0] ? db : "(default)");
    }
    if (PQstatus(cn->db) != CONNECTION_OK) {
        char line[300];
        first_line(PQerrorMessage(cn->db), line, sizeof line);
        /* libpq does not put the password in its messages; make sure of it */
        const char *pw = PQpass(cn->db);
        char *hit = pw && strlen(pw) >= 4 ? strstr(line, pw) : NULL;
        if (hit)
            snprintf(hit, sizeof line - (size_t)(hit - line), "***");
        PQfinish(cn->db);
        cn->db = NULL;
        return rf_err_set(err, RF_EUNAVAIL, "store: cannot connect to PostgreSQL at %s: %s",
                          s->where, line);
    }
    PGresult *r = PQexec(cn->db, "SET client_min_messages = warning");
    PQclear(r);
    return RF_OK;
}

/* Takes a connection from the pool, waiting for one when all are in use;
 * opens it if needed. NULL (err set) when the server cannot be reached. */
static struct pconn *acquire(struct pg_store *s, struct rf_err *err)
{
    pthread_mutex_lock(&s->pmu);
    while (!s->free)
        pthread_cond_wait(&s->pcv, &s->pmu);
    struct pconn *cn = s->free;
    s->free = cn->next;
    unsigned gen = s->gen;
    pthread_mutex_unlock(&s->pmu);
    if (!cn->db || PQstatus(cn->db) != CONNECTION_OK || cn->gen != gen) {
        cn->gen = gen;
        if (conn_open(s, cn, err)) {
            pthread_mutex_lock(&s->pmu);
            cn->next = s->free;
            s->free = cn;
            pthread_cond_signal(&s->pcv);
            pthread_mutex_unlock(&s->pmu);
            return NULL;
        }
    }
    return cn;
}

static void release(struct pg_store *s, struct pconn *cn)
{
    pthread_mutex_lock(&s->pmu);
    cn->next = s->free;
    s->free = cn;
    pthread_cond_signal(&s->pcv);
    pthread_mutex_unlock(&s->pmu);
}

/* Parameters of one statement, as libpq takes them: integers as text, text
 * as given, blobs as binary. */
struct params {
    int n;
    const char *val[MAXP];
    int len[MAXP], fmt[MAXP];
    char num[MAXP][24];
};

/* Binds by a type string, as store_sqlite.c's bind: 'i' int64, 'n' int64
 * with 0 as NULL, 't' text (NULL allowed), 'd' int, 'b' blob (a pointer, NULL
 * allowed, and a size_t length). */
static void bindv(struct params *p, const char *types, va_list ap)
{
    p->n = 0;
    for (const char *ty = types; *ty && p->n < MAXP; ty++, p->n++) {
        int i = p->n;
        p->len[i] = 0;
        p->fmt[i] = 0;
        p->val[i] = NULL;
        switch (*ty) {
        case 'i':
            snprintf(p->num[i], sizeof p->num[i], "%lld", (long long)va_arg(ap, int64_t));
            p->val[i] = p->num[i];
            break;
        case 'n': {
            int64_t v = va_arg(ap, int64_t);
            if (v) {
                snprintf(p->num[i], sizeof p->num[i], "%lld", (long long)v);
                p->val[i] = p->num[i];
            }
            break;
        }
        case 'd':
            snprintf(p->num[i], sizeof p->num[i], "%d", va_arg(ap, int));
            p->val[i] = p->num[i];
            break;
        case 't': p->val[i] = va_arg(ap, const char *); break;
        case 'b': {
            const void *b = va_arg(ap, const void *);
            size_t len = va_arg(ap, size_t);
            p->val[i] = b;
            p->len[i] = (int)len;
            p->fmt[i] = 1;
            break;
        }
        default: break;
        }
    }
}

static void bindp(struct params *p, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    bindv(p, types, ap);
    va_end(ap);
}

/* The name of sql's prepared statement on cn, preparing it the first time. */
static rf_status prepared(struct pg_store *s, struct pconn *cn, const char *sql, int nparams,
                          char name[16], struct rf_err *err)
{
    for (size_t i = 0; i < cn->nst; i++) {
        if (cn->sql[i] == sql) {
            snprintf(name, 16, "s%zu", i);
            return RF_OK;
        }
    }
    if (cn->nst == NSTMT) {
        name[0] = '\0'; /* unnamed: prepared for this call only */
    } else {
        snprintf(name, 16, "s%zu", cn->nst);
    }
    PGresult *r = PQprepare(cn->db, name, sql, nparams, NULL);
    rf_status rc = RF_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pgerr(s, cn, r, err, "prepare");
    else if (name[0])
        cn->sql[cn->nst++] = sql;
    PQclear(r);
    return rc;
}

/* Runs a statement; the result (rows or none) or NULL with err set. */
static PGresult *qv(struct pg_store *s, struct pconn *cn, struct rf_err *err, const char *what,
                    const char *sql, const char *types, va_list ap)
{
    struct params p;
    bindv(&p, types, ap);
    char name[16];
    if (prepared(s, cn, sql, p.n, name, err))
        return NULL;
    PGresult *r = PQexecPrepared(cn->db, name, p.n, p.val, p.len, p.fmt, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    pgerr(s, cn, r, err, what);
    PQclear(r);
    return NULL;
}

/* Runs a statement without rows; *changed (may be NULL) gets the rows it changed. */
static rf_status run(struct pg_store *s, struct pconn *cn, struct rf_err *err, const char *what,
                     int64_t *changed, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    PGresult *r = qv(s, cn, err, what, sql, types, ap);
    va_end(ap);
    if (!r)
        return err && err->rc ? err->rc : RF_EDB;
    if (changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return RF_OK;
}

/* Runs fixed SQL (transactions, migrations: several statements allowed). */
static rf_status exec(struct pg_store *s, struct pconn *cn, const char *sql, const char *what,
                      struct rf_err *err)
{
    PGresult *r = PQexec(cn->db, sql);
    ExecStatusType st = PQresultStatus(r);
    rf_status rc = RF_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pgerr(s, cn, r, err, what);
    PQclear(r);
    return rc;
}

/* ---- reading columns ---- */

static int64_t col_int(const PGresult *r, int row, int col, int64_t def)
{
    return PQgetisnull(r, row, col) ? def : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

/* A copy of a text column, or NULL when it is SQL NULL; *oom set when the copy failed. */
static char *col_text(const PGresult *r, int row, int col, int *oom)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    char *c = rf_strdup(PQgetvalue(r, row, col));
    if (!c)
        *oom = 1;
    return c;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A BYTEA column (text result, hex form "\x0102") decoded into cn's buffer;
 * NULL for SQL NULL. RF_ENOMEM or RF_EDB (not hex) on failure. */
static rf_status col_bytes(struct pconn *cn, const PGresult *r, int row, int col,
                           const unsigned char **out, size_t *n, struct rf_err *err)
{
    *out = NULL;
    *n = 0;
    if (PQgetisnull(r, row, col))
        return RF_OK;
    const char *v = PQgetvalue(r, row, col);
    size_t len = (size_t)PQgetlength(r, row, col);
    if (len < 2 || v[0] != '\\' || v[1] != 'x' || len % 2)
        return rf_err_set(err, RF_EDB, "store: a binary column is not in hex form");
    size_t nb = (len - 2) / 2;
    if (nb + 1 > cn->nbytes) {
        unsigned char *b = realloc(cn->bytes, nb + 1);
        if (!b)
            return rf_err_set(err, RF_ENOMEM, "store: out of memory");
        cn->bytes = b;
        cn->nbytes = nb + 1;
    }
    for (size_t i = 0; i < nb; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return rf_err_set(err, RF_EDB, "store: a binary column is not in hex form");
        cn->bytes[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = cn->bytes;
    *n = nb;
    return RF_OK;
}

/* ---- one row, many rows ---- */

typedef rf_status (*conv_fn)(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err);

/* Runs a statement expected to return at most one row, converting it with
 * conv; RF_ENOTFOUND ("<what> not found") when there is none. */
static rf_status one_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                         void *out, const char *sql, const char *types, ...)
{
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    va_list ap;
    va_start(ap, types);
    PGresult *r = qv(s, cn, err, what, sql, types, ap);
    va_end(ap);
    rf_status rc;
    if (!r)
        rc = err && err->rc ? err->rc : RF_EDB;
    else if (PQntuples(r) == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "%s not found", what);
    else
        rc = conv(cn, r, out, err);
    PQclear(r);
    release(s, cn);
    return rc;
}

/* Streams the rows of a statement (single-row mode), converting each with
 * conv into rec, calling fn with it and freeing it with clean. */
static rf_status each_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                          void *rec, void (*clean)(void *), void (*fn)(void *, const void *),
                          void *ud, const char *sql, const char *types, ...)
{
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    struct params p;
    va_list ap;
    va_start(ap, types);
    bindv(&p, types, ap);
    va_end(ap);
    char name[16];
    rf_status rc = prepared(s, cn, sql, p.n, name, err);
    if (!rc && !PQsendQueryPrepared(cn->db, name, p.n, p.val, p.len, p.fmt, 0))
        rc = pgerr(s, cn, NULL, err, what);
    if (rc) {
        release(s, cn);
        return rc;
    }
    PQsetSingleRowMode(cn->db);
    PGresult *r;
    while ((r = PQgetResult(cn->db))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && !rc) {
            if (!(rc = conv(cn, r, rec, err))) {
                fn(ud, rec);
                clean(rec);
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !rc) {
            rc = pgerr(s, cn, r, err, what);
        }
        PQclear(r); /* the remaining rows are read and dropped after an error */
    }
    release(s, cn);
    return rc;
}

/* A statement without rows on a pooled connection. */
static rf_status run1(struct pg_store *s, struct rf_err *err, const char *what, int64_t *changed,
                      const char *sql, const char *types, ...)
{
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    va_list ap;
    va_start(ap, types);
    PGresult *r = qv(s, cn, err, what, sql, types, ap);
    va_end(ap);
    rf_status rc = r ? RF_OK : (err && err->rc ? err->rc : RF_EDB);
    if (r && changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    release(s, cn);
    return rc;
}

static rf_status id_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    *(int64_t *)out = col_int(r, 0, 0, 0);
    return RF_OK;
}

/* ---- opening, migrating, closing ---- */

static rf_status migrate(struct pg_store *s, struct pconn *cn, struct rf_err *err)
{
    rf_status rc = exec(s, cn, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", "migrate: lock", err);
    if (rc)
        return rc;
    rc = exec(s, cn, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
              "schema version", err);
    int v = 0;
    if (!rc) {
        PGresult *r = PQexec(cn->db, "SELECT coalesce(max(version), 0) FROM schema_version");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = (int)col_int(r, 0, 0, 0);
        else
            rc = pgerr(s, cn, r, err, "schema version");
        PQclear(r);
    }
    int n = (int)rf_pg_nmigrations;
    if (!rc && v > n)
        rc = rf_err_set(err, RF_EDB,
                        "store: database schema version %d is newer than this rolefit (%d)", v, n);
    for (int i = v; !rc && i < n; i++) {
        char ins[64];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)", i + 1);
        if ((rc = exec(s, cn, "BEGIN", "migrate: begin", err)))
            break;
        if ((rc = exec(s, cn, rf_pg_migrations[i], "apply the schema", err)) ||
            (rc = exec(s, cn, ins, "schema version", err)) ||
            (rc = exec(s, cn, "COMMIT", "migrate: commit", err))) {
            exec(s, cn, "ROLLBACK", "migrate: roll back", NULL);
            rf_err_prefix(err, "migration %d", i + 1);
        }
    }
    exec(s, cn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", "migrate: unlock", NULL);
    if (!rc)
        s->version = n;
    return rc;
}

static const struct rf_store_ops pg_ops;

static void pg_close(struct rf_store *bs)
{
    struct pg_store *s = pgs(bs);
    for (size_t i = 0; s->conns && i < s->nconns; i++) {
        if (s->conns[i].db)
            PQfinish(s->conns[i].db);
        free(s->conns[i].bytes);
    }
    free(s->conns);
    pthread_mutex_destroy(&s->pmu);
    pthread_cond_destroy(&s->pcv);
    pthread_mutex_destroy(&s->qmu);
    pthread_cond_destroy(&s->qcv);
    free(s->url);
    free(s);
}

rf_status rf_store_pg_open(const char *url, const struct rf_store_options *opt,
                           struct rf_store **out, struct rf_err *err)
{
    size_t pool = opt && opt->pool ? opt->pool : RF_STORE_PG_POOL;
    struct pg_store *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    s->base.ops = &pg_ops;
    pthread_mutex_init(&s->pmu, NULL);
    pthread_cond_init(&s->pcv, NULL);
    pthread_mutex_init(&s->qmu, NULL);
    pthread_cond_init(&s->qcv, NULL);
    s->qtail = &s->qhead;
    s->url = rf_strdup(url);
    s->conns = rf_calloc_array(pool, sizeof *s->conns);
    if (!s->url || !s->conns) {
        pg_close(&s->base);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    s->nconns = pool;
    for (size_t i = pool; i-- > 0;) {
        s->conns[i].next = s->free;
        s->free = &s->conns[i];
    }
    /* A URL libpq cannot parse is refused before anything else, without
     * echoing it (it may hold a password). */
    char *perr = NULL;
    PQconninfoOption *parsed = PQconninfoParse(url, &perr);
    if (!parsed) {
        char line[300];
        first_line(perr ? perr : "out of memory", line, sizeof line);
        PQfreemem(perr);
        pg_close(&s->base);
        return rf_err_set(err, RF_EDB, "store: the PostgreSQL URL is not valid: %s", line);
    }
    PQconninfoFree(parsed);
    struct pconn *cn = acquire(s, err);
    rf_status rc = cn ? RF_OK : (err && err->rc ? err->rc : RF_EDB);
    if (cn) {
        rc = migrate(s, cn, err);
        release(s, cn);
    }
    if (rc) {
        if (rc == RF_EUNAVAIL) /* at start: a wrong address or account, exit 5 */
            rc = err ? (err->rc = RF_EDB) : RF_EDB;
        if (err && !strstr(err->msg, s->where))
            rf_err_prefix(err, "PostgreSQL at %s", s->where);
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return RF_OK;
}

static int pg_schema_version(struct rf_store *bs)
{
    return pgs(bs)->version;
}

/* ---- settings ---- */

static rf_status text_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    int oom = 0;
    *(char **)out = col_text(r, 0, 0, &oom);
    return oom ? rf_err_set(err, RF_ENOMEM, "store: out of memory") : RF_OK;
}

static rf_status pg_setting_get(struct rf_store *bs, const char *key, char **value,
                                struct rf_err *err)
{
    *value = NULL;
    rf_status rc = one_row(pgs(bs), err, "setting", text_fn, value,
                           "SELECT value FROM settings WHERE key = $1", "t", key);
    return rc == RF_ENOTFOUND ? RF_OK : rc;
}

static rf_status pg_setting_set(struct rf_store *bs, const char *key, const char *value,
                                struct rf_err *err)
{
    return run1(pgs(bs), err, "setting", NULL,
                "INSERT INTO settings(key, value) VALUES ($1, $2) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                "tt", key, value);
}

static rf_status pg_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                                 const char *value, struct rf_err *err)
{
    int64_t n = 0;
    rf_status rc = run1(pgs(bs), err, "setting", &n,
                        "UPDATE settings SET value = $1 WHERE key = $2 AND value = $3", "ttt",
                        value, key, expected);
    if (!rc && n != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "setting '%s' has changed", key);
    return rc;
}

/* ---- organizations and users ---- */

static rf_status pg_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err)
{
    *name = NULL;
    return one_row(pgs(bs), err, "organization", text_fn, name,
                   "SELECT name FROM orgs WHERE id = $1", "i", id);
}

static rf_status pg_org_create(struct rf_store *bs, const char *name, int64_t *id,
                               struct rf_err *err)
{
    return one_row(pgs(bs), err, "create organization", id_fn, id,
                   "INSERT INTO orgs(name, created) VALUES ($1, $2) RETURNING id", "ti", name,
                   now_s());
}

static rf_status pg_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                                const char *name, const char *role, const char *pw_hash,
                                int64_t *id, struct rf_err *err)
{
    rf_status rc = one_row(pgs(bs), err, "create user", id_fn, id,
                           "INSERT INTO users(org_id, email, name, role, pw_hash, created) "
                           "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                           "itttti", org_id, email, name, role, pw_hash, now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "an account with email '%s' already exists", email);
    return rc;
}

static rf_status user_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_user *u = out;
    memset(u, 0, sizeof *u);
    int oom = 0;
    u->id = col_int(r, 0, 0, 0);
    u->org_id = col_int(r, 0, 1, 0);
    u->email = col_text(r, 0, 2, &oom);
    u->name = col_text(r, 0, 3, &oom);
    u->role = col_text(r, 0, 4, &oom);
    u->pw_hash = col_text(r, 0, 5, &oom);
    if (oom || !u->email || !u->name || !u->role || !u->pw_hash) {
        rf_store_user_cleanup(u);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_user_by_email(struct rf_store *bs, const char *email, struct rf_user *u,
                                  struct rf_err *err)
{
    return one_row(pgs(bs), err, "user", user_fn, u,
                   "SELECT id, org_id, email, name, role, pw_hash FROM users "
                   "WHERE lower(email) = lower($1)",
                   "t", email);
}

static rf_status pg_user_get(struct rf_store *bs, int64_t id, struct rf_user *u,
                             struct rf_err *err)
{
    return one_row(pgs(bs), err, "user", user_fn, u,
                   "SELECT id, org_id, email, name, role, pw_hash FROM users WHERE id = $1", "i",
                   id);
}

static rf_status pg_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err)
{
    return one_row(pgs(bs), err, "count", id_fn, n, "SELECT count(*) FROM users", "");
}

/* ---- login sessions ---- */

static rf_status pg_auth_create(struct rf_store *bs, const char *token_hash,
                                const struct rf_auth *a, struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    run1(s, NULL, "purge", NULL, "DELETE FROM auth WHERE expires < $1", "i", now_s());
    return run1(s, err, "create login session", NULL,
                "INSERT INTO auth(token_hash, user_id, candidate_id, csrf, expires) "
                "VALUES ($1, $2, $3, $4, $5)",
                "tnnti", token_hash, a->user_id, a->candidate_id, a->csrf, a->expires);
}

static rf_status auth_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_auth *a = out;
    int oom = 0;
    a->user_id = col_int(r, 0, 0, 0);
    a->candidate_id = col_int(r, 0, 1, 0);
    a->csrf = col_text(r, 0, 2, &oom);
    a->expires = col_int(r, 0, 3, 0);
    if (!a->csrf)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

static rf_status pg_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                             struct rf_auth *a, struct rf_err *err)
{
    memset(a, 0, sizeof *a);
    return one_row(pgs(bs), err, "login session", auth_fn, a,
                   "SELECT coalesce(user_id, 0), coalesce(candidate_id, 0), csrf, expires "
                   "FROM auth WHERE token_hash = $1 AND expires >= $2",
                   "ti", token_hash, now);
}

static rf_status pg_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err)
{
    return run1(pgs(bs), err, "logout", NULL, "DELETE FROM auth WHERE token_hash = $1", "t",
                token_hash);
}

/* ---- candidates ---- */

static rf_status pg_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                     const char *email, int64_t *id, struct rf_err *err)
{
    return one_row(pgs(bs), err, "create candidate", id_fn, id,
                   "INSERT INTO candidates(org_id, name, email, created) "
                   "VALUES ($1, $2, $3, $4) RETURNING id",
                   "ntti", org_id, name, email, now_s());
}

static rf_status candidate_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_candidate *c = out;
    int oom = 0;
    c->id = col_int(r, 0, 0, 0);
    c->org_id = col_int(r, 0, 1, 0);
    c->name = col_text(r, 0, 2, &oom);
    c->email = col_text(r, 0, 3, &oom);
    c->created = col_int(r, 0, 4, 0);
    if (oom) {
        rf_store_candidate_cleanup(c);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                                  struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    return one_row(pgs(bs), err, "candidate", candidate_fn, c,
                   "SELECT id, coalesce(org_id, 0), name, email, created FROM candidates "
                   "WHERE id = $1",
                   "i", id);
}

/* ---- invites ---- */

static rf_status pg_invite_create(struct rf_store *bs, const char *token_hash,
                                  const struct rf_invite *v, int64_t *id, struct rf_err *err)
{
    return one_row(pgs(bs), err, "create invite", id_fn, id,
                   "INSERT INTO invites(token_hash, org_id, posting_id, role, label, "
                   "created_by, created, expires, topup_of, skills) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                   "tinttniint", token_hash, v->org_id, v->posting_id, v->role, v->label,
                   v->created_by, now_s(), v->expires, v->topup_of, v->skills);
}

#define INVITE_COLS                                                                                \
    "id, org_id, coalesce(posting_id, 0), coalesce(created_by, 0), coalesce(candidate_id, 0), "    \
    "role, label, created, expires, coalesce(topup_of, 0), skills, resume_hash, resume_fails, "    \
    "resume_fail_at"

static rf_status invite_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_invite *v = out;
    int oom = 0;
    v->id = col_int(r, 0, 0, 0);
    v->org_id = col_int(r, 0, 1, 0);
    v->posting_id = col_int(r, 0, 2, 0);
    v->created_by = col_int(r, 0, 3, 0);
    v->candidate_id = col_int(r, 0, 4, 0);
    v->role = col_text(r, 0, 5, &oom);
    v->label = col_text(r, 0, 6, &oom);
    v->created = col_int(r, 0, 7, 0);
    v->expires = col_int(r, 0, 8, 0);
    v->topup_of = col_int(r, 0, 9, 0);
    v->skills = col_text(r, 0, 10, &oom);
    v->resume_hash = col_text(r, 0, 11, &oom);
    v->resume_fails = col_int(r, 0, 12, 0);
    v->resume_fail_at = col_int(r, 0, 13, 0);
    if (oom) {
        rf_store_invite_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_invite_by_token(struct rf_store *bs, const char *token_hash,
                                    struct rf_invite *v, struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    return one_row(pgs(bs), err, "invite", invite_fn, v,
                   "SELECT " INVITE_COLS " FROM invites WHERE token_hash = $1", "t", token_hash);
}

static rf_status pg_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                               struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    return one_row(pgs(bs), err, "invite", invite_fn, v,
                   "SELECT " INVITE_COLS " FROM invites WHERE id = $1", "i", id);
}

static rf_status pg_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                 struct rf_err *err)
{
    int64_t n = 0;
    rf_status rc = run1(pgs(bs), err, "claim invite", &n,
                        "UPDATE invites SET candidate_id = $1 WHERE id = $2 AND "
                        "candidate_id IS NULL",
                        "ii", candidate_id, invite_id);
    if (!rc && n != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite has already been used");
    return rc;
}

static rf_status pg_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                   struct rf_err *err)
{
    return run1(pgs(bs), err, "unclaim invite", NULL,
                "UPDATE invites SET candidate_id = NULL WHERE id = $1 AND candidate_id = $2", "ii",
                invite_id, candidate_id);
}

static rf_status pg_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                      struct rf_err *err)
{
    return run1(pgs(bs), err, "set resume code", NULL,
                "UPDATE invites SET resume_hash = $1, resume_fails = 0 WHERE id = $2", "ti", hash,
                invite_id);
}

static rf_status pg_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok,
                                         int64_t now, struct rf_err *err)
{
    if (ok)
        return run1(pgs(bs), err, "resume code", NULL,
                    "UPDATE invites SET resume_fails = 0 WHERE id = $1", "i", invite_id);
    return run1(pgs(bs), err, "resume code", NULL,
                "UPDATE invites SET resume_fails = resume_fails + 1, resume_fail_at = $1 "
                "WHERE id = $2",
                "ii", now, invite_id);
}

struct cb {
    void *fn;
    void *ud;
};

static void invite_clean(void *p)
{
    rf_store_invite_cleanup(p);
}

static void invite_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_invite *))c->fn)(c->ud, rec);
}

static rf_status pg_invites_list(struct rf_store *bs, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                 struct rf_err *err)
{
    struct rf_invite v;
    memset(&v, 0, sizeof v);
    struct cb c = {(void *)fn, ud};
    return each_row(pgs(bs), err, "invites", invite_fn, &v, invite_clean, invite_call, &c,
                    "SELECT " INVITE_COLS " FROM invites WHERE org_id = $1 ORDER BY id DESC", "i",
                    org_id);
}

/* ---- tests ---- */

static rf_status pg_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                                struct rf_err *err)
{
    int64_t now = now_s();
    return one_row(pgs(bs), err, "create test", id_fn, id,
                   "INSERT INTO tests(candidate_id, org_id, posting_id, invite_id, scope, state, "
                   "created, updated, served_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                   "RETURNING id",
                   "innnttiii", t->candidate_id, t->org_id, t->posting_id, t->invite_id,
                   t->scope, t->state, now, now, t->served_ms ? t->served_ms : now_ms());
}

#define TEST_COLS                                                                                  \
    "id, candidate_id, coalesce(org_id, 0), coalesce(posting_id, 0), coalesce(invite_id, 0), "     \
    "scope, state, status, profile, answers, created, updated"

static rf_status test_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_test *t = out;
    int oom = 0;
    t->id = col_int(r, 0, 0, 0);
    t->candidate_id = col_int(r, 0, 1, 0);
    t->org_id = col_int(r, 0, 2, 0);
    t->posting_id = col_int(r, 0, 3, 0);
    t->invite_id = col_int(r, 0, 4, 0);
    t->scope = col_text(r, 0, 5, &oom);
    t->state = col_text(r, 0, 6, &oom);
    t->status = col_text(r, 0, 7, &oom);
    t->profile = col_text(r, 0, 8, &oom);
    t->answers = col_int(r, 0, 9, 0);
    t->created = col_int(r, 0, 10, 0);
    t->updated = col_int(r, 0, 11, 0);
    if (oom || !t->scope || !t->state || !t->status) {
        rf_store_test_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_test_get(struct rf_store *bs, int64_t id, struct rf_test *t,
                             struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return one_row(pgs(bs), err, "test session", test_fn, t,
                   "SELECT " TEST_COLS " FROM tests WHERE id = $1", "i", id);
}

static rf_status pg_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                                   struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return one_row(pgs(bs), err, "test session", test_fn, t,
                   "SELECT " TEST_COLS " FROM tests WHERE invite_id = $1 "
                   "ORDER BY id DESC LIMIT 1",
                   "i", invite_id);
}

/* ---- answers: the group commit ---- */

/* The statement of one answer: it updates the test only when the answer's
 * position is next and the test active, and only then inserts the answer,
 * with the server's response time computed from the test's previous
 * served_ms (o: read in the statement's snapshot, before its update), as
 * store_sqlite.c's record() computes it in C. No row inserted: a refusal. */
static const char ANSWER_SQL[] =
    "WITH o AS (SELECT id, nullif(served_ms, 0) AS served FROM tests WHERE id = $6), "
    "t AS (UPDATE tests SET state = $1, answers = answers + 1, updated = $2, served_ms = $3, "
    "status = CASE WHEN $4::text IS NULL THEN status ELSE 'finished' END, "
    "profile = coalesce($4::text, profile), packed = coalesce($5::bytea, packed) "
    "FROM o WHERE tests.id = o.id AND tests.answers = $7 AND tests.status = 'active' "
    "RETURNING tests.id, o.served) "
    "INSERT INTO answers(test_id, seq, item_id, choice, score, at, response, rt_ms, client_ms, "
    "blurs, hidden, away_ms) "
    "SELECT t.id, $7::bigint, $8::text, $9::integer, $10::integer, $2::bigint, $11::text, "
    "CASE WHEN t.served IS NOT NULL THEN greatest($3::bigint - t.served, 0) END, "
    "$12::bigint, $13::bigint, $14::bigint, "
    "CASE WHEN $15::bigint IS NULL THEN NULL WHEN t.served IS NULL THEN $15::bigint "
    "ELSE least($15::bigint, greatest($3::bigint - t.served, 0)) END FROM t";

/* Locks the tests of a batch in id order: batches of several processes
 * then wait for one another instead of deadlocking. */
static const char LOCK_SQL[] =
    "SELECT id FROM tests WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE";

/* Sends one answer's statement into the pipeline (named: the prepared
 * ANSWER_SQL). */
static int send_answer(struct pconn *cn, const char *name, const struct pending *p)
{
    const struct rf_answer *a = p->a;
    const struct rf_answer_signals *sig = p->sig;
    int focus = sig && sig->focus;
    char client[24], blurs[24], hidden[24], away[24];
    snprintf(client, sizeof client, "%lld", (long long)(focus ? sig->client_ms : 0));
    snprintf(blurs, sizeof blurs, "%lld", (long long)(focus ? sig->blurs : 0));
    snprintf(hidden, sizeof hidden, "%lld", (long long)(focus ? sig->hidden : 0));
    snprintf(away, sizeof away, "%lld", (long long)(focus ? sig->away_ms : 0));
    struct params q;
    bindp(&q, "tiitbiitddttttt", p->state, a->at ? a->at : now_s(),
          sig && sig->at_ms ? sig->at_ms : now_ms(), p->profile, p->packed, p->npacked,
          a->test_id, a->seq, a->item_id, a->choice, a->score, a->response,
          focus && sig->client_ms >= 0 ? client : NULL, focus ? blurs : NULL,
          focus ? hidden : NULL, focus ? away : NULL);
    return PQsendQueryPrepared(cn->db, name, q.n, q.val, q.len, q.fmt, 0);
}

/* The batch's test ids as a PostgreSQL array literal (malloc'd; NULL: no memory). */
static char *id_array(const struct pending *batch)
{
    char *ids = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&ids, &len);
    if (!f)
        return NULL;
    fputc('{', f);
    for (const struct pending *p = batch; p; p = p->next)
        fprintf(f, "%s%lld", p == batch ? "" : ",", (long long)p->a->test_id);
    fputc('}', f);
    if (fclose(f)) {
        free(ids);
        return NULL;
    }
    return ids;
}

/* One attempt at a batch as one pipeline: BEGIN, the lock, every answer not
 * failed before, COMMIT, one sync; then the results in order. Sets each
 * answer's rc; *again when an answer failed (it is marked, the transaction
 * rolled back: replay without it). Returns an error that fails the whole
 * batch (connection lost, commit failed), else RF_OK. */
static rf_status pipeline_once(struct pg_store *s, struct pconn *cn, struct pending *batch,
                               int *again, struct rf_err *berr)
{
    char ans[16], lock[16];
    rf_status rc = prepared(s, cn, ANSWER_SQL, 15, ans, berr);
    if (!rc)
        rc = prepared(s, cn, LOCK_SQL, 1, lock, berr);
    char *ids = rc ? NULL : id_array(batch);
    if (!rc && !ids)
        rc = rf_err_set(berr, RF_ENOMEM, "store: out of memory");
    if (rc)
        return rc;
    /* commands: 0 BEGIN, 1 lock, 2.. the answers sent, then COMMIT */
    struct pending *sent[RF_STORE_BATCH_MAX];
    size_t nsent = 0;
    int ok = PQenterPipelineMode(cn->db) &&
             PQsendQueryParams(cn->db, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
    const char *idv[1] = {ids};
    ok = ok && PQsendQueryPrepared(cn->db, lock, 1, idv, NULL, NULL, 0);
    for (struct pending *p = batch; ok && p; p = p->next) {
        if (p->failed)
            continue;
        p->rc = RF_EDB;
        ok = nsent < RF_STORE_BATCH_MAX && send_answer(cn, ans, p);
        sent[nsent++] = p;
    }
    ok = ok && PQsendQueryParams(cn->db, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) &&
         PQpipelineSync(cn->db);
    free(ids);
    size_t ncmd = nsent + 3, idx = 0;
    rf_status fatal = ok ? RF_OK : pgerr(s, cn, NULL, berr, "record answers: send");
    while (ok) {
        PGresult *r = PQgetResult(cn->db);
        if (!r) {
            if (PQstatus(cn->db) != CONNECTION_OK || ++idx > ncmd) {
                fatal = pgerr(s, cn, NULL, berr, "record answers");
                break;
            }
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (idx >= 2 && idx < 2 + nsent) {
            struct pending *p = sent[idx - 2];
            if (st == PGRES_COMMAND_OK && strtoll(PQcmdTuples(r), NULL, 10) == 1) {
                p->rc = RF_OK;
            } else if (st == PGRES_COMMAND_OK) {
                p->rc = rf_err_set(p->err, RF_ECONFLICT,
                                   "test %lld: answer %lld is not the next answer of an active "
                                   "test",
                                   (long long)p->a->test_id, (long long)p->a->seq + 1);
            } else if (st == PGRES_FATAL_ERROR && !*again) {
                p->rc = pgerr(s, cn, r, p->err, "record answer");
                if (p->rc == RF_EUNAVAIL)
                    fatal = rf_err_set(berr, p->rc, "%s", p->err ? p->err->msg : "lost");
                else
                    p->failed = *again = 1; /* the transaction is aborted: replay without it */
            }
        } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                   st != PGRES_PIPELINE_ABORTED && !fatal && !*again) {
            /* BEGIN, the lock or COMMIT failed: the whole batch fails */
            fatal = pgerr(s, cn, r, berr, idx + 1 == ncmd ? "record answers: commit"
                                                          : "record answers");
        }
        PQclear(r);
    }
    if (PQpipelineStatus(cn->db) != PQ_PIPELINE_OFF && !PQexitPipelineMode(cn->db) && !fatal)
        fatal = pgerr(s, cn, NULL, berr, "record answers: end the pipeline");
    if (!fatal && *again && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
        fatal = exec(s, cn, "ROLLBACK", "record answers: roll back", berr);
    return fatal;
}

/* Records a batch of answers in one transaction, sent as one pipeline, and
 * commits it, setting each answer's status. An answer whose statement fails
 * (an error, not a refusal) is left out and the batch replayed without it.
 * Whatever fails, the connection leaves with no transaction open. */
static void commit_batch(struct pg_store *s, struct pending *batch)
{
    struct rf_err berr;
    rf_err_clear(&berr);
    struct pconn *cn = acquire(s, &berr);
    rf_status rc = cn ? RF_OK : (berr.rc ? berr.rc : RF_EDB);
    for (int again = 1; !rc && again;) {
        again = 0;
        rc = pipeline_once(s, cn, batch, &again, &berr);
    }
    if (rc) {
        if (cn && PQstatus(cn->db) == CONNECTION_OK && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
            exec(s, cn, "ROLLBACK", "record answers: roll back", NULL);
        /* nothing of the batch is stored: every answer not refused or failed alone fails */
        for (struct pending *p = batch; p; p = p->next)
            if (!p->failed && p->rc != RF_ECONFLICT)
                p->rc = rf_err_set(p->err, rc, "%s", berr.msg);
    }
    if (cn)
        release(s, cn);
}

static rf_status pg_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                                   const struct rf_answer_signals *sig, const char *new_state,
                                   const char *profile, const unsigned char *packed,
                                   size_t npacked, struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    struct pending me = {a, sig, new_state, profile, profile ? packed : NULL, npacked, err,
                         RF_EDB, 0, 0, NULL};
    pthread_mutex_lock(&s->qmu);
    *s->qtail = &me;
    /* cppcheck-suppress autoVariables ; me leaves the queue (its batch is taken, the tail
     * reset when the queue empties) before me.done is set, so before this frame returns */
    s->qtail = &me.next;
    while (!me.done) {
        if (s->committing) {
            pthread_cond_wait(&s->qcv, &s->qmu);
            continue;
        }
        struct pending *batch = s->qhead, *last = batch;
        for (size_t n = 1; n < RF_STORE_BATCH_MAX && last->next; n++)
            last = last->next;
        s->qhead = last->next;
        if (!s->qhead)
            s->qtail = &s->qhead;
        last->next = NULL;
        s->committing = 1;
        pthread_mutex_unlock(&s->qmu);
        commit_batch(s, batch);
        pthread_mutex_lock(&s->qmu);
        s->committing = 0;
        for (struct pending *p = batch, *next; p; p = next) {
            next = p->next;
            p->done = 1;
        }
        pthread_cond_broadcast(&s->qcv);
    }
    pthread_mutex_unlock(&s->qmu);
    return me.rc;
}

/* ---- reading answers ---- */

struct answer_row {
    struct rf_answer a;
    struct rf_answer_signals sig;
    char *item, *response;
};

static rf_status answer_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct answer_row *w = out;
    int oom = 0;
    w->a.test_id = col_int(r, 0, 0, 0);
    w->a.seq = col_int(r, 0, 1, 0);
    w->item = col_text(r, 0, 2, &oom);
    w->a.item_id = w->item;
    w->a.choice = (int)col_int(r, 0, 3, 0);
    w->a.score = (int)col_int(r, 0, 4, 0);
    w->a.at = col_int(r, 0, 5, 0);
    w->response = col_text(r, 0, 6, &oom);
    w->a.response = w->response;
    w->sig.at_ms = 0;
    w->sig.rt_ms = col_int(r, 0, 7, -1);
    w->sig.client_ms = col_int(r, 0, 8, -1);
    w->sig.focus = !PQgetisnull(r, 0, 9);
    w->sig.blurs = col_int(r, 0, 9, 0);
    w->sig.hidden = col_int(r, 0, 10, 0);
    w->sig.away_ms = col_int(r, 0, 11, 0);
    if (oom || !w->item)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

static void answer_clean(void *p)
{
    struct answer_row *w = p;
    free(w->item);
    free(w->response);
    w->item = w->response = NULL;
}

static void answer_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_answer *))c->fn)(c->ud, &((const struct answer_row *)rec)->a);
}

static void answer_sig_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    const struct answer_row *w = rec;
    ((void (*)(void *, const struct rf_answer *, const struct rf_answer_signals *))c->fn)(
        c->ud, &w->a, &w->sig);
}

static rf_status answers_each(struct pg_store *s, int64_t test_id,
                              void (*call)(void *, const void *), struct cb *c,
                              struct rf_err *err)
{
    struct answer_row w;
    memset(&w, 0, sizeof w);
    return each_row(s, err, "answers", answer_fn, &w, answer_clean, call, c,
                    "SELECT test_id, seq, item_id, choice, score, at, response, rt_ms, "
                    "client_ms, blurs, hidden, away_ms FROM answers WHERE test_id = $1 "
                    "ORDER BY seq",
                    "i", test_id);
}

static rf_status pg_answers_list(struct rf_store *bs, int64_t test_id,
                                 void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                 struct rf_err *err)
{
    struct cb c = {(void *)fn, ud};
    return answers_each(pgs(bs), test_id, answer_call, &c, err);
}

static rf_status pg_answers_signals(struct rf_store *bs, int64_t test_id,
                                    void (*fn)(void *ud, const struct rf_answer *a,
                                               const struct rf_answer_signals *sig),
                                    void *ud, struct rf_err *err)
{
    struct cb c = {(void *)fn, ud};
    return answers_each(pgs(bs), test_id, answer_sig_call, &c, err);
}

struct wrong_row {
    const char *response;
    int64_t n;
};

static rf_status wrong_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct wrong_row *w = out;
    w->response = PQgetvalue(r, 0, 0);
    w->n = col_int(r, 0, 1, 0);
    return RF_OK;
}

static void nothing_clean(void *p)
{
    (void)p;
}

static void wrong_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    const struct wrong_row *w = rec;
    ((void (*)(void *, const char *, int64_t))c->fn)(c->ud, w->response, w->n);
}

static rf_status pg_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                               void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                               struct rf_err *err)
{
    struct wrong_row w = {NULL, 0};
    struct cb c = {(void *)fn, ud};
    /* COLLATE "C": ties ordered by bytes, as SQLite orders them */
    return each_row(pgs(bs), err, "wrong answers of an item", wrong_fn, &w, nothing_clean,
                    wrong_call, &c,
                    "SELECT coalesce(response, CAST(choice AS TEXT)) COLLATE \"C\" AS r, "
                    "count(*) AS n FROM answers WHERE item_id = $1 AND score = 0 "
                    "AND (response IS NOT NULL OR choice >= 0) "
                    "GROUP BY 1 ORDER BY n DESC, r LIMIT $2",
                    "ti", item_id, (int64_t)(max > INT64_MAX ? INT64_MAX : max));
}

static rf_status stats_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct rf_store_item_stats *o = out;
    o->ntimed = col_int(r, 0, 0, 0);
    o->mean_rt_ms = strtod(PQgetvalue(r, 0, 1), NULL);
    return RF_OK;
}

static rf_status pg_item_stats(struct rf_store *bs, const char *item_id,
                               struct rf_store_item_stats *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    return one_row(pgs(bs), err, "item statistics", stats_fn, out,
                   "SELECT count(rt_ms), coalesce(avg(rt_ms), 0)::float8 FROM answers "
                   "WHERE item_id = $1",
                   "t", item_id);
}

/* ---- finished tests and ranking ---- */

static void test_clean(void *p)
{
    rf_store_test_cleanup(p);
}

static void test_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_test *))c->fn)(c->ud, rec);
}

static rf_status pg_tests_finished(struct rf_store *bs, int64_t org_id,
                                   void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                   struct rf_err *err)
{
    struct rf_test t;
    memset(&t, 0, sizeof t);
    struct cb c = {(void *)fn, ud};
    if (org_id < 0)
        return each_row(pgs(bs), err, "tests", test_fn, &t, test_clean, test_call, &c,
                        "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' "
                        "ORDER BY id DESC",
                        "");
    return each_row(pgs(bs), err, "tests", test_fn, &t, test_clean, test_call, &c,
                    "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' AND "
                    "coalesce(org_id, 0) = $1 ORDER BY id DESC",
                    "i", org_id);
}

static rf_status ranked_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    struct rf_store_ranked *t = out;
    t->id = col_int(r, 0, 0, 0);
    t->candidate_id = col_int(r, 0, 1, 0);
    t->posting_id = col_int(r, 0, 2, 0);
    t->invite_id = col_int(r, 0, 3, 0);
    t->finished = col_int(r, 0, 4, 0);
    t->label = PQgetisnull(r, 0, 5) ? NULL : PQgetvalue(r, 0, 5);
    t->profile = PQgetisnull(r, 0, 6) ? NULL : PQgetvalue(r, 0, 6);
    return col_bytes(cn, r, 0, 7, &t->packed, &t->npacked, err);
}

static void ranked_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_store_ranked *))c->fn)(c->ud, rec);
}

#define RANKED_COLS                                                                                \
    "t.id, t.candidate_id, coalesce(t.posting_id, 0), coalesce(t.invite_id, 0), t.updated, "     \
    "i.label, CASE WHEN t.packed IS NULL THEN t.profile END, t.packed "                           \
    "FROM tests t LEFT JOIN invites i ON i.id = t.invite_id "

static rf_status pg_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                                 void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                 struct rf_err *err)
{
    struct rf_store_ranked t;
    memset(&t, 0, sizeof t);
    struct cb c = {(void *)fn, ud};
    if (posting_id > 0)
        return each_row(pgs(bs), err, "tests", ranked_fn, &t, nothing_clean, ranked_call, &c,
                        "SELECT " RANKED_COLS "WHERE t.posting_id = $1 AND "
                        "t.status = 'finished' AND coalesce(t.org_id, 0) = $2 "
                        "ORDER BY t.id DESC",
                        "ii", posting_id, org_id);
    return each_row(pgs(bs), err, "tests", ranked_fn, &t, nothing_clean, ranked_call, &c,
                    "SELECT " RANKED_COLS "WHERE t.status = 'finished' AND "
                    "coalesce(t.org_id, 0) = $1 ORDER BY t.id DESC",
                    "i", org_id);
}

static rf_status pg_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                     unsigned char *const *packed, const size_t *npacked,
                                     struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    rf_status rc = exec(s, cn, "BEGIN", "store packed profile", err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = run(s, cn, err, "store packed profile", NULL,
                 "UPDATE tests SET packed = $1 WHERE id = $2 AND status = 'finished' AND "
                 "packed IS NULL",
                 "bi", packed[i], npacked[i], ids[i]);
    if (!rc)
        rc = exec(s, cn, "COMMIT", "store packed profile", err);
    if (rc && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
        exec(s, cn, "ROLLBACK", "store packed profile", NULL);
    release(s, cn);
    return rc;
}

/* ---- postings ---- */

static rf_status pg_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                                   struct rf_err *err)
{
    return one_row(pgs(bs), err, "create posting", id_fn, id,
                   "INSERT INTO postings(org_id, created_by, title, text, parsed, created) "
                   "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                   "inttti", p->org_id, p->created_by, p->title, p->text, p->parsed, now_s());
}

#define POSTING_COLS "id, org_id, coalesce(created_by, 0), title, text, parsed, created"

static rf_status posting_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_posting *p = out;
    int oom = 0;
    p->id = col_int(r, 0, 0, 0);
    p->org_id = col_int(r, 0, 1, 0);
    p->created_by = col_int(r, 0, 2, 0);
    p->title = col_text(r, 0, 3, &oom);
    p->text = col_text(r, 0, 4, &oom);
    p->parsed = col_text(r, 0, 5, &oom);
    p->created = col_int(r, 0, 6, 0);
    if (oom || !p->title || !p->text) {
        rf_store_posting_cleanup(p);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                                struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    return one_row(pgs(bs), err, "posting", posting_fn, p,
                   "SELECT " POSTING_COLS " FROM postings WHERE id = $1", "i", id);
}

static void posting_clean(void *p)
{
    rf_store_posting_cleanup(p);
}

static void posting_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_posting *))c->fn)(c->ud, rec);
}

static rf_status pg_postings_list(struct rf_store *bs, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                  struct rf_err *err)
{
    struct rf_posting p;
    memset(&p, 0, sizeof p);
    struct cb c = {(void *)fn, ud};
    return each_row(pgs(bs), err, "postings", posting_fn, &p, posting_clean, posting_call, &c,
                    "SELECT " POSTING_COLS " FROM postings WHERE org_id = $1 ORDER BY id DESC",
                    "i", org_id);
}

/* The posting's new parse and the edit's row in one statement (atomic): no
 * posting, no row. */
static rf_status pg_posting_edit(struct rf_store *bs, const char *parsed,
                                 const struct rf_posting_edit *e, int64_t *id, struct rf_err *err)
{
    rf_status rc = one_row(pgs(bs), err, "posting", id_fn, id,
                           "WITH up AS (UPDATE postings SET parsed = $1 WHERE id = $2 RETURNING id) "
                           "INSERT INTO posting_edits(posting_id, user_id, at, summary, before, "
                           "after) SELECT id, $3::bigint, $4::bigint, $5::text, $6::text, $7::text "
                           "FROM up RETURNING id",
                           "tinittt", parsed, e->posting_id, e->user_id, now_s(), e->summary,
                           e->before, e->after);
    if (rc == RF_ENOTFOUND)
        rf_err_set(err, RF_ENOTFOUND, "no posting %lld", (long long)e->posting_id);
    return rc;
}

static rf_status posting_edit_fn(struct pconn *cn, const PGresult *r, void *out,
                                 struct rf_err *err)
{
    (void)cn;
    struct rf_posting_edit *e = out;
    int oom = 0;
    e->id = col_int(r, 0, 0, 0);
    e->posting_id = col_int(r, 0, 1, 0);
    e->user_id = col_int(r, 0, 2, 0);
    e->at = col_int(r, 0, 3, 0);
    e->user = col_text(r, 0, 4, &oom);
    e->summary = col_text(r, 0, 5, &oom);
    e->before = col_text(r, 0, 6, &oom);
    e->after = col_text(r, 0, 7, &oom);
    if (oom || !e->summary || !e->before || !e->after) {
        rf_store_posting_edit_cleanup(e);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static void posting_edit_clean(void *p)
{
    rf_store_posting_edit_cleanup(p);
}

static void posting_edit_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_posting_edit *))c->fn)(c->ud, rec);
}

static rf_status pg_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                       void (*fn)(void *ud, const struct rf_posting_edit *e),
                                       void *ud, struct rf_err *err)
{
    struct rf_posting_edit e;
    memset(&e, 0, sizeof e);
    struct cb c = {(void *)fn, ud};
    return each_row(pgs(bs), err, "posting edits", posting_edit_fn, &e, posting_edit_clean,
                    posting_edit_call, &c,
                    "SELECT e.id, e.posting_id, coalesce(e.user_id, 0), e.at, u.email, e.summary, "
                    "e.before, e.after FROM posting_edits e LEFT JOIN users u ON u.id = e.user_id "
                    "WHERE e.posting_id = $1 ORDER BY e.id",
                    "i", posting_id);
}

/* ---- bank versions ---- */

static rf_status pg_bank_version(struct rf_store *bs, const char *hash, int64_t nitems,
                                 int64_t *id, struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    rf_status rc = run1(s, err, "bank version", NULL,
                        "INSERT INTO bank_versions(hash, nitems, loaded) VALUES ($1, $2, $3) "
                        "ON CONFLICT(hash) DO NOTHING",
                        "tii", hash, nitems, now_s());
    if (!rc)
        rc = one_row(s, err, "bank version", id_fn, id,
                     "SELECT id FROM bank_versions WHERE hash = $1", "t", hash);
    return rc;
}

/* ---- raw rows: db export and import ---- */

static rf_status pg_rows_each(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_row_fn fn, void *ud, struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    /* one snapshot for every table */
    rf_status rc = exec(s, cn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "export: begin",
                        err);
    int stop = 0;
    for (size_t t = 0; t < n && !rc && !stop; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s%s", tables[t].name,
                 tables[t].order, tables[t].text_key ? " COLLATE \"C\"" : "");
        if (!PQsendQuery(cn->db, sql)) {
            rc = pgerr(s, cn, NULL, err, "export");
            break;
        }
        PQsetSingleRowMode(cn->db);
        PGresult *r;
        while ((r = PQgetResult(cn->db))) {
            ExecStatusType st = PQresultStatus(r);
            if (st == PGRES_SINGLE_TUPLE && !rc && !stop) {
                int ncol = PQnfields(r) > 64 ? 64 : PQnfields(r);
                const char *names[64];
                struct rf_store_value vals[64];
                for (int i = 0; i < ncol && !rc; i++) {
                    struct rf_store_value *v = &vals[i];
                    memset(v, 0, sizeof *v);
                    names[i] = PQfname(r, i);
                    Oid type = PQftype(r, i);
                    if (PQgetisnull(r, 0, i)) {
                        v->kind = RF_STORE_VAL_NULL;
                    } else if (type == 20 || type == 21 || type == 23) { /* int8, int2, int4 */
                        v->kind = RF_STORE_VAL_INT;
                        v->i = strtoll(PQgetvalue(r, 0, i), NULL, 10);
                    } else if (type == 17) { /* bytea: decoded into cn's buffer, one per row */
                        const unsigned char *b;
                        rc = col_bytes(cn, r, 0, i, &b, &v->n, err);
                        v->kind = RF_STORE_VAL_BLOB;
                        v->p = (const char *)b;
                    } else {
                        v->kind = RF_STORE_VAL_TEXT;
                        v->p = PQgetvalue(r, 0, i);
                        v->n = (size_t)PQgetlength(r, 0, i);
                    }
                }
                if (!rc)
                    stop = fn(ud, tables[t].name, (size_t)ncol, names, vals);
            } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !rc) {
                rc = pgerr(s, cn, r, err, "export");
            }
            PQclear(r);
        }
    }
    exec(s, cn, "COMMIT", "export: end", NULL);
    release(s, cn);
    return rc;
}

static rf_status pg_rows_load(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_next_fn next, void *ud, struct rf_err *err)
{
    struct pg_store *s = pgs(bs);
    struct pconn *cn = acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    rf_status rc = exec(s, cn, "BEGIN", "import: begin", err);
    for (size_t t = 0; t < n && !rc; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", tables[t].name);
        PGresult *r = PQexec(cn->db, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = pgerr(s, cn, r, err, "import");
        else if (PQntuples(r) > 0)
            rc = rf_err_set(err, RF_ECONFLICT,
                            "db import: the database is not empty (table %s has rows); import "
                            "into a new one",
                            tables[t].name);
        PQclear(r);
    }
    char *sql = NULL;
    size_t sqlcap = 0;
    const char *sql_table = NULL;
    const char *const *sql_names = NULL;
    for (int more = 1; !rc && more;) {
        const char *table;
        size_t ncol;
        const char *const *names;
        const struct rf_store_value *vals;
        int got = next(ud, &table, &ncol, &names, &vals);
        if (got < 0)
            rc = RF_EINVAL; /* the source says why */
        if (got <= 0 || ncol > 64) {
            more = 0;
            continue;
        }
        if (table != sql_table || names != sql_names) {
            free(sql);
            sql = NULL;
            FILE *f = open_memstream(&sql, &sqlcap);
            if (!f) {
                rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
                break;
            }
            fprintf(f, "INSERT INTO %s(", table);
            for (size_t i = 0; i < ncol; i++)
                fprintf(f, "%s%s", i ? ", " : "", names[i]);
            for (size_t i = 0; i < ncol; i++)
                fprintf(f, "%s$%zu", i ? ", " : ") VALUES (", i + 1);
            fputc(')', f);
            if (fclose(f)) {
                rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
                break;
            }
            sql_table = table;
            sql_names = names;
        }
        const char *pv[64];
        int pl[64], pf[64];
        char num[64][24];
        for (size_t i = 0; i < ncol; i++) {
            pl[i] = pf[i] = 0;
            pv[i] = NULL;
            if (vals[i].kind == RF_STORE_VAL_INT) {
                snprintf(num[i], sizeof num[i], "%lld", (long long)vals[i].i);
                pv[i] = num[i];
            } else if (vals[i].kind == RF_STORE_VAL_TEXT) {
                pv[i] = vals[i].p;
            } else if (vals[i].kind == RF_STORE_VAL_BLOB) {
                pv[i] = vals[i].p;
                pl[i] = (int)vals[i].n;
                pf[i] = 1;
            }
        }
        PGresult *r = PQexecParams(cn->db, sql, (int)ncol, NULL, pv, pl, pf, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = pgerr(s, cn, r, err, "import");
            rf_err_prefix(err, "table %s", table);
        }
        PQclear(r);
    }
    free(sql);
    /* generated ids continue after the largest imported */
    for (size_t t = 0; t < n && !rc; t++) {
        if (!tables[t].identity)
            continue;
        char q[300];
        snprintf(q, sizeof q,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, "
                 "false) FROM %s",
                 tables[t].name, tables[t].name);
        rc = exec(s, cn, q, "import: move the id counters", err);
    }
    if (!rc)
        rc = exec(s, cn, "COMMIT", "import: commit", err);
    if (rc && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
        exec(s, cn, "ROLLBACK", "import: roll back", NULL);
    release(s, cn);
    return rc;
}

static const struct rf_store_ops pg_ops = {
    .close = pg_close,
    .schema_version = pg_schema_version,
    .setting_get = pg_setting_get,
    .setting_set = pg_setting_set,
    .setting_swap = pg_setting_swap,
    .org_create = pg_org_create,
    .user_create = pg_user_create,
    .user_by_email = pg_user_by_email,
    .user_get = pg_user_get,
    .user_count = pg_user_count,
    .auth_create = pg_auth_create,
    .auth_get = pg_auth_get,
    .auth_delete = pg_auth_delete,
    .candidate_create = pg_candidate_create,
    .candidate_get = pg_candidate_get,
    .invite_create = pg_invite_create,
    .invite_set_resume = pg_invite_set_resume,
    .invite_resume_result = pg_invite_resume_result,
    .org_name = pg_org_name,
    .posting_edit = pg_posting_edit,
    .posting_edits_list = pg_posting_edits_list,
    .invite_by_token = pg_invite_by_token,
    .invite_get = pg_invite_get,
    .invite_claim = pg_invite_claim,
    .invite_unclaim = pg_invite_unclaim,
    .invites_list = pg_invites_list,
    .test_create = pg_test_create,
    .test_get = pg_test_get,
    .test_by_invite = pg_test_by_invite,
    .answer_signals = pg_answer_signals,
    .answers_list = pg_answers_list,
    .answers_signals = pg_answers_signals,
    .item_stats = pg_item_stats,
    .item_wrong = pg_item_wrong,
    .tests_finished = pg_tests_finished,
    .tests_ranked = pg_tests_ranked,
    .tests_set_packed = pg_tests_set_packed,
    .posting_create = pg_posting_create,
    .posting_get = pg_posting_get,
    .postings_list = pg_postings_list,
    .bank_version = pg_bank_version,
    .rows_each = pg_rows_each,
    .rows_load = pg_rows_load,
};
