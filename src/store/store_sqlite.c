/*
 * The SQLite backend of the store: every line of SQL of rolefit lives here
 * and, for the schema and its migrations, in sqlite_schema.c.
 * WAL mode with synchronous=FULL and foreign keys on. Two connections, each
 * guarded by its own mutex and with its own cache of prepared statements
 * (keyed by their SQL text, static strings): one for every write, and one
 * read-only connection for the reads, so that a read never waits for a
 * commit's sync to the disk (in WAL mode it reads the last committed state).
 * Without WAL (an in-memory database) reads share the write connection.
 *
 * Group commit: concurrent rf_store_answer calls queue up; the first caller
 * that finds no commit under way takes the queue (up to RF_STORE_BATCH_MAX
 * answers) and records all of them in one transaction, each inside its own
 * savepoint so that a refused answer writes nothing and leaves the others of
 * the batch alone, then commits once (one sync for the whole batch) and wakes
 * the callers, each on its own condition variable, and the first caller still
 * queued to commit the next batch (a broadcast woke every queued caller at
 * every commit only for most to sleep again). Each caller returns only after the transaction
 * holding its answer has committed, or with the error that kept it out. Answers of a batch are
 * applied in their order of arrival, as one at a time would be.
 *
 * The operations are in files by area (sqlite_accounts.c, sqlite_tests.c,
 * sqlite_postings.c) over the statements of sqlite_stmt.c (sqlite_int.h);
 * this file opens, checks, migrates and closes the store, reads and loads
 * the raw rows of db export and import, and fills in the table of operations.
 *
 * Migrations (sqlite_schema.c) are numbered and recorded in schema_version. Organization 0 in
 * the API is NULL in the database (no organization: open practice).
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <time.h>

#include "base/config.h"
#include "base/mem.h"
#include "store/sqlite_schema.h"
#include "store/sqlite_int.h"

/* After migrating with foreign keys off: RF_EDB naming the first reference
 * a migration left without its row. */
static rf_status foreign_keys_hold(struct conn *cn, struct rf_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cn->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
        return rf_sq_dberr(cn, err, "foreign key check");
    int r = sqlite3_step(st);
    rf_status rc = RF_OK;
    if (r == SQLITE_ROW)
        rc = rf_err_set(err, RF_EDB, "store: %s: row %lld of table %s refers to a missing row of %s",
                        cn->path, (long long)sqlite3_column_int64(st, 1),
                        (const char *)sqlite3_column_text(st, 0),
                        (const char *)sqlite3_column_text(st, 2));
    else if (r != SQLITE_DONE)
        rc = rf_sq_dberr(cn, err, "foreign key check");
    sqlite3_finalize(st);
    return rc;
}

/* Applies the migrations the database lacks, all in one transaction that
 * holds SQLite's write lock from the reading of the version on, so that
 * processes opening a new database together apply each migration once. */
static rf_status migrate_locked(struct sq_store *s, struct rf_err *err)
{
    struct conn *cn = &s->w;
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc =
        rf_sq_exec(cn, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err);
    int v = 0, n = (int)rf_sqlite_nmigrations;
    sqlite3_stmt *st;
    if (!rc && sqlite3_prepare_v2(cn->db, "SELECT max(version) FROM schema_version", -1, &st, NULL))
        rc = rf_sq_dberr(cn, err, "schema version");
    else if (!rc) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (!rc && v > n)
        rc = rf_err_set(err, RF_EDB,
                        "store: database schema version %d is newer than this rolefit (%d)", v, n);
    for (int i = v; !rc && i < n; i++) {
        char ins[64];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)", i + 1);
        if ((rc = rf_sq_exec_what(cn, rf_sqlite_migrations[i], "apply the schema", err)) ||
            (rc = rf_sq_exec(cn, ins, err)))
            rf_err_prefix(err, "migration %d", i + 1);
    }
    if (!rc && v < n)
        rc = foreign_keys_hold(cn, err);
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc) {
        if (!sqlite3_get_autocommit(cn->db))
            rf_sq_exec(cn, "ROLLBACK", NULL);
        return rc;
    }
    s->version = n;
    return RF_OK;
}

/* migrate_locked with foreign keys off, as SQLite's way of changing a table
 * that others reference asks (lang_altertable.html: a table rebuilt under
 * its old name keeps the rows that refer to it, which a DROP with foreign
 * keys on would delete or refuse); they are checked before the commit. The
 * pragma does nothing inside a transaction: it is set around it. */
static rf_status migrate(struct sq_store *s, struct rf_err *err)
{
    rf_status rc = rf_sq_exec(&s->w, "PRAGMA foreign_keys=OFF", err);
    if (!rc)
        rc = migrate_locked(s, err);
    rf_status on = rf_sq_exec(&s->w, "PRAGMA foreign_keys=ON", rc ? NULL : err);
    return rc ? rc : on;
}

/* SQLite counts memory under one mutex of the whole process unless told
 * not to: every allocation of every connection would take it, so a ranking
 * at a low priority holding it would stall the candidates' connections.
 * Set before SQLite initializes (after, it is refused and changes nothing). */
static void no_memstatus(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Opens one connection on path and runs its pragmas. */
static rf_status conn_open(struct conn *cn, const char *path, const char *pragmas,
                           struct rf_err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, no_memstatus);
    if (sqlite3_open_v2(path, &cn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return rf_err_set(err, RF_EDB, "store: %s",
                          cn->db ? sqlite3_errmsg(cn->db) : "cannot open");
    sqlite3_busy_timeout(cn->db, 5000);
    sqlite3_extended_result_codes(cn->db, 1);
    return rf_sq_exec_what(cn, pragmas, "connection settings", err);
}

/* The writer's WAL hook, after each commit: wakes the checkpointer once the
 * WAL is long enough (setting a hook turns SQLite's own checkpoints off). */
static int wal_grown(void *ud, sqlite3 *db, const char *name, int npages)
{
    (void)db;
    (void)name;
    struct sq_store *s = ud;
    if (npages >= RF_SQLITE_CHECKPOINT_PAGES) {
        pthread_mutex_lock(&s->ckmu);
        s->ckwanted = 1;
        pthread_cond_signal(&s->ckcv);
        pthread_mutex_unlock(&s->ckmu);
    }
    return SQLITE_OK;
}

/* The checkpointer: a passive checkpoint (it waits for no reader or writer)
 * each time it is woken, RF_SQLITE_CHECKPOINT_GAP apart at most; the last
 * connection's close checkpoints what remains. */
static void *checkpointer(void *arg)
{
    struct sq_store *s = arg;
    pthread_mutex_lock(&s->ckmu);
    for (;;) {
        while (!s->ckwanted && !s->ckstop)
            pthread_cond_wait(&s->ckcv, &s->ckmu);
        if (s->ckstop)
            break;
        s->ckwanted = 0;
        pthread_mutex_unlock(&s->ckmu);
        (void)sqlite3_wal_checkpoint_v2(s->ck.db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        struct timespec gap = {0, (long)(RF_SQLITE_CHECKPOINT_GAP * 1e9)};
        nanosleep(&gap, NULL);
        pthread_mutex_lock(&s->ckmu);
    }
    pthread_mutex_unlock(&s->ckmu);
    return NULL;
}

static void conn_close(struct conn *cn)
{
    for (size_t i = 0; i < cn->nst; i++)
        sqlite3_finalize(cn->st[i]);
    cn->nst = 0;
    if (cn->db)
        sqlite3_close(cn->db);
    cn->db = NULL;
}

/* Is the connection's database in WAL mode? */
static int is_wal(struct conn *cn)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cn->db, "PRAGMA journal_mode", -1, &st, NULL) != SQLITE_OK)
        return 0;
    int wal = sqlite3_step(st) == SQLITE_ROW &&
              sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    return wal;
}

/* The server writes the database and, in WAL mode, creates FILE-wal and
 * FILE-shm beside it: a read-only file or folder is refused before SQLite
 * opens it read-only behind our back (its writes would fail later, and it
 * would leave a -shm the next start cannot use). */
static rf_status check_writable(const char *path, struct rf_err *err)
{
    if (access(path, F_OK) == 0) {
        if (access(path, R_OK | W_OK) != 0)
            return rf_err_set(err, RF_EDB,
                              "store: cannot write the database file (%s); rolefit needs read "
                              "and write access to it",
                              strerror(errno));
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (access(dir, W_OK | X_OK) != 0)
        return rf_err_set(err, RF_EDB,
                          "store: cannot write in the database's folder %s (%s); rolefit "
                          "creates its -wal and -shm files there",
                          dir, strerror(errno));
    return RF_OK;
}

/* PRAGMA quick_check before anything is written: a damaged file is refused
 * with SQLite's first finding, instead of being opened and written to. */
static rf_status quick_check(struct conn *cn, struct rf_err *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(cn->db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK)
        return rf_err_set(err, RF_EDB, "store: the file is not a usable SQLite database (%s)",
                          sqlite3_errmsg(cn->db));
    int r = sqlite3_step(st);
    rf_status rc = RF_OK;
    if (r != SQLITE_ROW)
        rc = rf_err_set(err, RF_EDB, "store: the database fails its integrity check (%s)",
                        sqlite3_errmsg(cn->db));
    else if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
        char what[200];
        snprintf(what, sizeof what, "%s", (const char *)sqlite3_column_text(st, 0));
        for (char *c = what; *c; c++)
            if (*c == '\n' || *c == '\r')
                *c = ' '; /* one line */
        rc = rf_err_set(err, RF_EDB,
                        "store: the database fails its integrity check (%s); restore it from "
                        "a backup",
                        what);
    }
    sqlite3_finalize(st);
    return rc;
}

static void ops_init(struct rf_store_ops *ops);
static void sq_close(struct rf_store *bs);

rf_status rf_store_sqlite_open(const char *path, struct rf_store **out, struct rf_err *err)
{
    if (!path[0])
        return rf_err_set(err, RF_EINVAL, "store: empty database path");
    struct sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    ops_init(&s->ops);
    s->base.ops = &s->ops;
    pthread_mutex_init(&s->w.mu, NULL);
    pthread_mutex_init(&s->ck.mu, NULL);
    pthread_mutex_init(&s->ckmu, NULL);
    pthread_cond_init(&s->ckcv, NULL);
    for (size_t i = 0; i < RF_SQLITE_READERS; i++) {
        pthread_mutex_init(&s->r[i].mu, NULL);
        s->r[i].pool = s;
    }
    pthread_mutex_init(&s->rmu, NULL);
    pthread_cond_init(&s->rcv, NULL);
    pthread_mutex_init(&s->qmu, NULL);
    s->qtail = &s->qhead;
    s->path = rf_strdup(path);
    if (!s->path) {
        sq_close(&s->base);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    s->w.path = s->path;
    for (size_t i = 0; i < RF_SQLITE_READERS; i++)
        s->r[i].path = s->path;
    rf_status rc = check_writable(path, err);
    if (!rc)
        rc = conn_open(&s->w, path,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                       "PRAGMA foreign_keys=ON;",
                       err);
    if (!rc)
        rc = quick_check(&s->w, err);
    if (!rc)
        rc = migrate(s, err);
    if (!rc && is_wal(&s->w)) {
        for (size_t i = 0; i < RF_SQLITE_READERS && !rc; i++) {
            rc = conn_open(&s->r[i], path, "PRAGMA query_only=ON; PRAGMA foreign_keys=ON;",
                           err);
            s->nreaders += !rc;
        }
        s->ck.path = s->path;
        if (!rc)
            rc = conn_open(&s->ck, path, "PRAGMA foreign_keys=ON;", err);
        if (!rc && pthread_create(&s->ckthread, NULL, checkpointer, s) == 0) {
            s->ckstarted = 1;
            sqlite3_wal_hook(s->w.db, wal_grown, s);
        }
    }
    if (rc) {
        if (!err || !strstr(err->msg, path)) /* disk and system errors name it already */
            rf_err_prefix(err, "%s", path);
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return RF_OK;
}

static void sq_close(struct rf_store *bs)
{
    struct sq_store *s = (struct sq_store *)bs;
    if (!s)
        return;
    if (s->ckstarted) {
        pthread_mutex_lock(&s->ckmu);
        s->ckstop = 1;
        pthread_cond_signal(&s->ckcv);
        pthread_mutex_unlock(&s->ckmu);
        pthread_join(s->ckthread, NULL);
    }
    conn_close(&s->ck);
    for (size_t i = 0; i < RF_SQLITE_READERS; i++)
        conn_close(&s->r[i]);
    conn_close(&s->w);
    pthread_mutex_destroy(&s->w.mu);
    pthread_mutex_destroy(&s->ck.mu);
    pthread_mutex_destroy(&s->ckmu);
    pthread_cond_destroy(&s->ckcv);
    for (size_t i = 0; i < RF_SQLITE_READERS; i++)
        pthread_mutex_destroy(&s->r[i].mu);
    pthread_mutex_destroy(&s->rmu);
    pthread_cond_destroy(&s->rcv);
    pthread_mutex_destroy(&s->qmu);
    free(s->path);
    free(s);
}

static int sq_schema_version(struct rf_store *bs)
{
    struct sq_store *s = (struct sq_store *)bs;
    return s->version;
}

/* ---- raw rows: db export and import ---- */

static rf_status sq_rows_each(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_row_fn fn, void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_rlock(s);
    /* one read transaction: one snapshot for every table */
    rf_status rc = rf_sq_exec_what(cn, "BEGIN", "export: begin", err);
    int stop = 0;
    for (size_t t = 0; t < n && !rc && !stop; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", tables[t].name, tables[t].order);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(cn->db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = rf_sq_dberr(cn, err, "export");
            break;
        }
        int ncol = sqlite3_column_count(st), r = SQLITE_DONE;
        const char *names[64];
        struct rf_store_value vals[64];
        if (ncol > 64)
            ncol = 64;
        for (int i = 0; i < ncol; i++)
            names[i] = sqlite3_column_name(st, i);
        while (!stop && (r = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < ncol; i++) {
                struct rf_store_value *v = &vals[i];
                memset(v, 0, sizeof *v);
                switch (sqlite3_column_type(st, i)) {
                case SQLITE_INTEGER:
                    v->kind = RF_STORE_VAL_INT;
                    v->i = sqlite3_column_int64(st, i);
                    break;
                case SQLITE_NULL: v->kind = RF_STORE_VAL_NULL; break;
                case SQLITE_BLOB:
                    v->kind = RF_STORE_VAL_BLOB;
                    v->p = sqlite3_column_blob(st, i);
                    v->n = (size_t)sqlite3_column_bytes(st, i);
                    break;
                default: /* text (no column of the schema holds a real) */
                    v->kind = RF_STORE_VAL_TEXT;
                    v->p = (const char *)sqlite3_column_text(st, i);
                    v->n = (size_t)sqlite3_column_bytes(st, i);
                    if (!v->p)
                        v->p = "";
                }
            }
            stop = fn(ud, tables[t].name, (size_t)ncol, names, vals);
        }
        if (!stop && r != SQLITE_DONE)
            rc = rf_sq_dberr(cn, err, "export");
        sqlite3_finalize(st);
    }
    rf_sq_exec(cn, "COMMIT", NULL);
    rf_sq_unlock(cn);
    return rc;
}

/* Binds one raw value. */
static int bind_value(sqlite3_stmt *st, int k, const struct rf_store_value *v)
{
    switch (v->kind) {
    case RF_STORE_VAL_INT: return sqlite3_bind_int64(st, k, v->i);
    case RF_STORE_VAL_TEXT:
        return sqlite3_bind_text64(st, k, v->p, v->n, SQLITE_TRANSIENT, SQLITE_UTF8);
    case RF_STORE_VAL_BLOB: return sqlite3_bind_blob64(st, k, v->p, v->n, SQLITE_TRANSIENT);
    default: return sqlite3_bind_null(st, k);
    }
}

static rf_status sq_rows_load(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_next_fn next, void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_exec_what(cn, "BEGIN IMMEDIATE", "import: begin", err);
    for (size_t t = 0; t < n && !rc; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t].name);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(cn->db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = rf_sq_dberr(cn, err, "import");
            break;
        }
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = rf_sq_dberr(cn, err, "import");
        else if (sqlite3_column_int64(st, 0) > 0)
            rc = rf_err_set(err, RF_ECONFLICT,
                            "db import: the database is not empty (table %s has rows); import "
                            "into a new one",
                            tables[t].name);
        sqlite3_finalize(st);
    }
    sqlite3_stmt *ins = NULL;
    const char *ins_table = NULL;
    const char *const *ins_names = NULL;
    for (int more = 1; !rc && more;) {
        const char *table;
        size_t ncol;
        const char *const *names;
        const struct rf_store_value *vals;
        int r = next(ud, &table, &ncol, &names, &vals);
        if (r < 0)
            rc = RF_EINVAL; /* the source says why */
        if (r <= 0) {
            more = 0;
            continue;
        }
        if (!ins || table != ins_table || names != ins_names) {
            /* a new table: its INSERT, columns named by the source */
            char sql[4096];
            size_t o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s(", table);
            for (size_t i = 0; i < ncol && o < sizeof sql; i++)
                o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", names[i]);
            for (size_t i = 0; i < ncol && o < sizeof sql; i++)
                o += (size_t)snprintf(sql + o, sizeof sql - o, "%s", i ? ", ?" : ") VALUES (?");
            if (o < sizeof sql)
                snprintf(sql + o, sizeof sql - o, ")");
            sqlite3_finalize(ins);
            ins = NULL;
            if (o >= sizeof sql - 1 ||
                sqlite3_prepare_v2(cn->db, sql, -1, &ins, NULL) != SQLITE_OK) {
                rc = rf_sq_dberr(cn, err, "import");
                break;
            }
            ins_table = table;
            ins_names = names;
        }
        sqlite3_reset(ins);
        for (size_t i = 0; i < ncol && !rc; i++)
            if (bind_value(ins, (int)i + 1, &vals[i]) != SQLITE_OK)
                rc = rf_sq_dberr(cn, err, "import");
        if (!rc && sqlite3_step(ins) != SQLITE_DONE) {
            rc = rf_sq_dberr(cn, err, "import");
            rf_err_prefix(err, "table %s", table);
        }
    }
    sqlite3_finalize(ins);
    if (!rc)
        rc = rf_sq_exec_what(cn, "COMMIT", "import: commit", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    return rc;
}

/* The table of operations (backend.h): these of this file, then each area's. */
static void ops_init(struct rf_store_ops *ops)
{
    ops->close = sq_close;
    ops->schema_version = sq_schema_version;
    ops->rows_each = sq_rows_each;
    ops->rows_load = sq_rows_load;
    rf_sq_accounts_ops(ops);
    rf_sq_tests_ops(ops);
    rf_sq_postings_ops(ops);
    rf_sq_teams_ops(ops);
    rf_sq_limits_ops(ops);
    rf_sq_review_ops(ops);
    rf_sq_interviews_ops(ops);
    rf_sq_groups_ops(ops);
}
