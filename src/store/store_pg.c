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
 * Each caller waits on its own condition variable: the committer wakes those
 * of its batch and the first one still queued, who commits the next batch
 * (a broadcast woke every queued caller at every commit, most of them only
 * to sleep again).
 * The batch goes to the server as one libpq pipeline (one round trip): one
 * statement per answer, in test id order (each locks its test's row, so
 * batches of several processes wait for one another instead of
 * deadlocking), that updates its test only when its position is next and the
 * test active and inserts the answer row only then; then one sync. The
 * statements before a sync are one transaction, committed by the sync (no
 * BEGIN, lock or COMMIT statement: each would cost the server a statement
 * per batch). An answer whose statement fails (not a refusal: an error)
 * aborts the transaction; the batch is then replayed without it, so that it
 * fails alone and the others stay as one at a time would leave them.
 *
 * The operations are in files by area (pg_accounts.c, pg_tests.c,
 * pg_postings.c) over the pool and statements of pg_conn.c (pg_int.h); this
 * file opens, migrates and closes the store, reads and loads the raw rows of
 * db export and import, and fills in the table of operations.
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

static void ops_init(struct rf_store_ops *ops);

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
    ops_init(&s->ops);
    s->base.ops = &s->ops;
    pthread_mutex_init(&s->pmu, NULL);
    pthread_cond_init(&s->pcv, NULL);
    pthread_mutex_init(&s->qmu, NULL);
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
        rf_pg_first_line(perr ? perr : "out of memory", line, sizeof line);
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

/* The table of operations (backend.h): these of this file, then each area's. */
static void ops_init(struct rf_store_ops *ops)
{
    ops->close = pg_close;
    ops->schema_version = pg_schema_version;
    ops->rows_each = pg_rows_each;
    ops->rows_load = pg_rows_load;
    rf_pg_accounts_ops(ops);
    rf_pg_tests_ops(ops);
    rf_pg_postings_ops(ops);
    rf_pg_teams_ops(ops);
    rf_pg_limits_ops(ops);
    rf_pg_review_ops(ops);
    rf_pg_interviews_ops(ops);
    rf_pg_groups_ops(ops);
}
