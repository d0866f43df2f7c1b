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
 * The operations are in files by area (pg_accounts.c, pg_tests.c,
 * pg_postings.c); this file holds the statement helpers they share
 * (pg_int.h), the pool, opening and migrating, the raw rows of db export and
 * import, and the table of operations.
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
#include "store/pg_int.h"
#include "store/pg_schema.h"

/* pg_advisory_lock key held while migrating: "rolefit" in ASCII */
#define MIGRATE_LOCK "31079608165396596"

struct pg_store *rf_pg_of(struct rf_store *bs)
{
    return (struct pg_store *)bs;
}

int64_t rf_pg_now_s(void)
{
    return (int64_t)time(NULL);
}

int64_t rf_pg_now_ms(void)
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

rf_status rf_pg_pgerr(struct pg_store *s, struct pconn *cn, const PGresult *r, struct rf_err *err,
                      const char *what)
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

struct pconn *rf_pg_acquire(struct pg_store *s, struct rf_err *err)
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

void rf_pg_release(struct pg_store *s, struct pconn *cn)
{
    pthread_mutex_lock(&s->pmu);
    cn->next = s->free;
    s->free = cn;
    pthread_cond_signal(&s->pcv);
    pthread_mutex_unlock(&s->pmu);
}

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

void rf_pg_bindp(struct params *p, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    bindv(p, types, ap);
    va_end(ap);
}

rf_status rf_pg_prepared(struct pg_store *s, struct pconn *cn, const char *sql, int nparams,
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
        rc = rf_pg_pgerr(s, cn, r, err, "prepare");
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
    if (rf_pg_prepared(s, cn, sql, p.n, name, err))
        return NULL;
    PGresult *r = PQexecPrepared(cn->db, name, p.n, p.val, p.len, p.fmt, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    rf_pg_pgerr(s, cn, r, err, what);
    PQclear(r);
    return NULL;
}

rf_status rf_pg_run(struct pg_store *s, struct pconn *cn, struct rf_err *err, const char *what,
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

rf_status rf_pg_exec(struct pg_store *s, struct pconn *cn, const char *sql, const char *what,
                     struct rf_err *err)
{
    PGresult *r = PQexec(cn->db, sql);
    ExecStatusType st = PQresultStatus(r);
    rf_status rc = RF_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = rf_pg_pgerr(s, cn, r, err, what);
    PQclear(r);
    return rc;
}

/* ---- reading columns ---- */

int64_t rf_pg_col_int(const PGresult *r, int row, int col, int64_t def)
{
    return PQgetisnull(r, row, col) ? def : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *rf_pg_col_text(const PGresult *r, int row, int col, int *oom)
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

rf_status rf_pg_col_bytes(struct pconn *cn, const PGresult *r, int row, int col,
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

rf_status rf_pg_one_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                        void *out, const char *sql, const char *types, ...)
{
    struct pconn *cn = rf_pg_acquire(s, err);
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
    rf_pg_release(s, cn);
    return rc;
}

rf_status rf_pg_each_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                         void *rec, void (*clean)(void *), void (*fn)(void *, const void *),
                         void *ud, const char *sql, const char *types, ...)
{
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    struct params p;
    va_list ap;
    va_start(ap, types);
    bindv(&p, types, ap);
    va_end(ap);
    char name[16];
    rf_status rc = rf_pg_prepared(s, cn, sql, p.n, name, err);
    if (!rc && !PQsendQueryPrepared(cn->db, name, p.n, p.val, p.len, p.fmt, 0))
        rc = rf_pg_pgerr(s, cn, NULL, err, what);
    if (rc) {
        rf_pg_release(s, cn);
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
            rc = rf_pg_pgerr(s, cn, r, err, what);
        }
        PQclear(r); /* the remaining rows are read and dropped after an error */
    }
    rf_pg_release(s, cn);
    return rc;
}

rf_status rf_pg_run1(struct pg_store *s, struct rf_err *err, const char *what, int64_t *changed,
                     const char *sql, const char *types, ...)
{
    struct pconn *cn = rf_pg_acquire(s, err);
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
    rf_pg_release(s, cn);
    return rc;
}

rf_status rf_pg_id_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    *(int64_t *)out = rf_pg_col_int(r, 0, 0, 0);
    return RF_OK;
}

/* ---- opening, migrating, closing ---- */

static rf_status migrate(struct pg_store *s, struct pconn *cn, struct rf_err *err)
{
    rf_status rc =
        rf_pg_exec(s, cn, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", "migrate: lock", err);
    if (rc)
        return rc;
    rc = rf_pg_exec(s, cn, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                    "schema version", err);
    int v = 0;
    if (!rc) {
        PGresult *r = PQexec(cn->db, "SELECT coalesce(max(version), 0) FROM schema_version");
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            v = (int)rf_pg_col_int(r, 0, 0, 0);
        else
            rc = rf_pg_pgerr(s, cn, r, err, "schema version");
        PQclear(r);
    }
    int n = (int)rf_pg_nmigrations;
    if (!rc && v > n)
        rc = rf_err_set(err, RF_EDB,
                        "store: database schema version %d is newer than this rolefit (%d)", v, n);
    for (int i = v; !rc && i < n; i++) {
        char ins[64];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)", i + 1);
        if ((rc = rf_pg_exec(s, cn, "BEGIN", "migrate: begin", err)))
            break;
        if ((rc = rf_pg_exec(s, cn, rf_pg_migrations[i], "apply the schema", err)) ||
            (rc = rf_pg_exec(s, cn, ins, "schema version", err)) ||
            (rc = rf_pg_exec(s, cn, "COMMIT", "migrate: commit", err))) {
            rf_pg_exec(s, cn, "ROLLBACK", "migrate: roll back", NULL);
            rf_err_prefix(err, "migration %d", i + 1);
        }
    }
    rf_pg_exec(s, cn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", "migrate: unlock", NULL);
    if (!rc)
        s->version = n;
    return rc;
}

static const struct rf_store_ops pg_ops;

static void pg_close(struct rf_store *bs)
{
    struct pg_store *s = rf_pg_of(bs);
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
    struct pconn *cn = rf_pg_acquire(s, err);
    rf_status rc = cn ? RF_OK : (err && err->rc ? err->rc : RF_EDB);
    if (cn) {
        rc = migrate(s, cn, err);
        rf_pg_release(s, cn);
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
    return rf_pg_of(bs)->version;
}

/* ---- raw rows: db export and import ---- */

static rf_status pg_rows_each(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_row_fn fn, void *ud, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    /* one snapshot for every table */
    rf_status rc =
        rf_pg_exec(s, cn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "export: begin", err);
    int stop = 0;
    for (size_t t = 0; t < n && !rc && !stop; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s%s", tables[t].name, tables[t].order,
                 tables[t].text_key ? " COLLATE \"C\"" : "");
        if (!PQsendQuery(cn->db, sql)) {
            rc = rf_pg_pgerr(s, cn, NULL, err, "export");
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
                        rc = rf_pg_col_bytes(cn, r, 0, i, &b, &v->n, err);
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
                rc = rf_pg_pgerr(s, cn, r, err, "export");
            }
            PQclear(r);
        }
    }
    rf_pg_exec(s, cn, "COMMIT", "export: end", NULL);
    rf_pg_release(s, cn);
    return rc;
}

static rf_status pg_rows_load(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_next_fn next, void *ud, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    rf_status rc = rf_pg_exec(s, cn, "BEGIN", "import: begin", err);
    for (size_t t = 0; t < n && !rc; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", tables[t].name);
        PGresult *r = PQexec(cn->db, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = rf_pg_pgerr(s, cn, r, err, "import");
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
            rc = rf_pg_pgerr(s, cn, r, err, "import");
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
        rc = rf_pg_exec(s, cn, q, "import: move the id counters", err);
    }
    if (!rc)
        rc = rf_pg_exec(s, cn, "COMMIT", "import: commit", err);
    if (rc && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
        rf_pg_exec(s, cn, "ROLLBACK", "import: roll back", NULL);
    rf_pg_release(s, cn);
    return rc;
}

static const struct rf_store_ops pg_ops = {
    .close = pg_close,
    .schema_version = pg_schema_version,
    .setting_get = rf_pg_setting_get,
    .setting_set = rf_pg_setting_set,
    .setting_swap = rf_pg_setting_swap,
    .org_create = rf_pg_org_create,
    .user_create = rf_pg_user_create,
    .user_by_email = rf_pg_user_by_email,
    .user_get = rf_pg_user_get,
    .user_count = rf_pg_user_count,
    .auth_create = rf_pg_auth_create,
    .auth_get = rf_pg_auth_get,
    .auth_delete = rf_pg_auth_delete,
    .candidate_create = rf_pg_candidate_create,
    .candidate_get = rf_pg_candidate_get,
    .invite_create = rf_pg_invite_create,
    .invite_set_resume = rf_pg_invite_set_resume,
    .invite_resume_result = rf_pg_invite_resume_result,
    .org_name = rf_pg_org_name,
    .posting_edit = rf_pg_posting_edit,
    .posting_edits_list = rf_pg_posting_edits_list,
    .invite_by_token = rf_pg_invite_by_token,
    .invite_get = rf_pg_invite_get,
    .invite_claim = rf_pg_invite_claim,
    .invite_unclaim = rf_pg_invite_unclaim,
    .invites_list = rf_pg_invites_list,
    .test_create = rf_pg_test_create,
    .test_get = rf_pg_test_get,
    .test_by_invite = rf_pg_test_by_invite,
    .answer_signals = rf_pg_answer_signals,
    .answers_list = rf_pg_answers_list,
    .answers_signals = rf_pg_answers_signals,
    .item_stats = rf_pg_item_stats,
    .item_wrong = rf_pg_item_wrong,
    .tests_finished = rf_pg_tests_finished,
    .tests_ranked = rf_pg_tests_ranked,
    .tests_set_packed = rf_pg_tests_set_packed,
    .posting_create = rf_pg_posting_create,
    .posting_get = rf_pg_posting_get,
    .postings_list = rf_pg_postings_list,
    .bank_version = rf_pg_bank_version,
    .rows_each = pg_rows_each,
    .rows_load = pg_rows_load,
};
