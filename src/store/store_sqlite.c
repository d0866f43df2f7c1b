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
 * the callers. Each caller returns only after the transaction holding its
 * answer has committed, or with the error that kept it out. Answers of a batch
 * are applied in their order of arrival, as one at a time would be.
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
#include "store/backend.h"

#define NSTMT 96

/* One SQLite connection, used under its mutex, with its statement cache. */
struct conn {
    sqlite3 *db;
    const char *path; /* the database file, named in errors of the disk and the system */
    pthread_mutex_t mu;
    const char *sql[NSTMT];
    sqlite3_stmt *st[NSTMT];
    size_t nst;
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
    int tried; /* recorded in the batch's transaction (rc says how) */
    int done;  /* the batch is over: rc is final */
    struct pending *next;
};

struct sq_store {
    struct rf_store base; /* first: the store's functions (backend.h) */
    char *path;    /* the database file */
    struct conn w; /* every write */
    struct conn r; /* reads, when has_reader */
    int has_reader;
    int version;
    /* the group commit: answers queued in arrival order */
    pthread_mutex_t qmu;
    pthread_cond_t qcv;
    struct pending *qhead, **qtail;
    int committing; /* a caller is committing a batch */
};

/* What an SQLite error means to whoever reads the log, for the errors that
 * come from the disk or the system rather than from the request; NULL for
 * the others. */
static const char *env_cause(int code)
{
    switch (code & 0xff) {
    case SQLITE_FULL: return "disk full";
    case SQLITE_IOERR: return "I/O error";
    case SQLITE_NOMEM: return "out of memory";
    case SQLITE_READONLY: return "the database is read-only";
    case SQLITE_CANTOPEN: return "cannot open a file of the database";
    case SQLITE_PERM: return "permission denied";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return "the database file is damaged";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "the database is locked";
    default: return NULL;
    }
}

/* Records the connection's last error. Errors of the disk or the system name
 * the database file and the cause ("disk full", "I/O error", with the
 * system's own error when there is one), so that the log says what to fix;
 * the others (constraints: a request's fault) name neither. */
static rf_status dberr(struct conn *cn, struct rf_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(cn->db);
    rf_status rc = RF_EDB;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = RF_ECONFLICT;
    else if ((code & 0xff) == SQLITE_CONSTRAINT)
        rc = RF_EINVAL;
    else if ((code & 0xff) == SQLITE_NOMEM)
        rc = RF_ENOMEM;
    else if ((code & 0xff) == SQLITE_FULL)
        rc = RF_EFULL; /* the server answers 503: it may pass once space is freed */
    const char *cause = env_cause(code);
    if (!cause)
        return rf_err_set(err, rc, "store: %s: %s", what, sqlite3_errmsg(cn->db));
    int sys = sqlite3_system_errno(cn->db);
    if ((code & 0xff) == SQLITE_IOERR && sys)
        return rf_err_set(err, rc, "store: %s: %s: %s (%s; %s)", cn->path, what, cause,
                          sqlite3_errmsg(cn->db), strerror(sys));
    return rf_err_set(err, rc, "store: %s: %s: %s (%s)", cn->path, what, cause,
                      sqlite3_errmsg(cn->db));
}

/* Runs SQL without results (statements of a fixed text: transactions,
 * pragmas, migrations); what names it in errors. */
static rf_status exec_what(struct conn *cn, const char *sql, const char *what,
                           struct rf_err *err)
{
    if (sqlite3_exec(cn->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return dberr(cn, err, what);
    return RF_OK;
}

static rf_status exec(struct conn *cn, const char *sql, struct rf_err *err)
{
    return exec_what(cn, sql, sql, err);
}

/* The cached statement for sql (a static string), reset and with bindings cleared. */
static sqlite3_stmt *prep(struct conn *cn, const char *sql, struct rf_err *err)
{
    for (size_t i = 0; i < cn->nst; i++) {
        if (cn->sql[i] == sql) {
            sqlite3_reset(cn->st[i]);
            sqlite3_clear_bindings(cn->st[i]);
            return cn->st[i];
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(cn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        dberr(cn, err, "prepare");
        return NULL;
    }
    if (cn->nst < NSTMT) {
        cn->sql[cn->nst] = sql;
        cn->st[cn->nst++] = st;
    }
    return st;
}

/* Binds parameters by a type string: 'i' int64, 'n' int64 with 0 as NULL,
 * 't' text (NULL allowed), 'd' int, 'b' blob (two arguments: a pointer, NULL
 * allowed, and a size_t length). */
static int bind(sqlite3_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        int rc = SQLITE_OK, k = i + 1;
        switch (types[i]) {
        case 'i': rc = sqlite3_bind_int64(st, k, va_arg(ap, int64_t)); break;
        case 'n': {
            int64_t v = va_arg(ap, int64_t);
            rc = v ? sqlite3_bind_int64(st, k, v) : sqlite3_bind_null(st, k);
            break;
        }
        case 'd': rc = sqlite3_bind_int(st, k, va_arg(ap, int)); break;
        case 't': {
            const char *t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(st, k, t, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, k);
            break;
        }
        case 'b': {
            const void *b = va_arg(ap, const void *);
            size_t n = va_arg(ap, size_t);
            rc = b ? sqlite3_bind_blob64(st, k, b, n, SQLITE_TRANSIENT) : sqlite3_bind_null(st, k);
            break;
        }
        default: return SQLITE_MISUSE;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Prepares, binds and returns the statement ready to step (NULL on error). */
static sqlite3_stmt *query(struct conn *cn, struct rf_err *err, const char *sql,
                           const char *types, ...)
{
    sqlite3_stmt *st = prep(cn, sql, err);
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, types);
    int rc = bind(st, types, ap);
    va_end(ap);
    if (rc != SQLITE_OK) {
        dberr(cn, err, "bind");
        return NULL;
    }
    return st;
}

/* Runs a statement that returns no rows. */
static rf_status run(struct conn *cn, struct rf_err *err, const char *what, const char *sql,
                     const char *types, ...)
{
    sqlite3_stmt *st = prep(cn, sql, err);
    if (!st)
        return RF_EDB;
    va_list ap;
    va_start(ap, types);
    int rc = bind(st, types, ap);
    va_end(ap);
    if (rc != SQLITE_OK)
        return dberr(cn, err, what);
    rc = sqlite3_step(st);
    rf_status r = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? RF_OK : dberr(cn, err, what);
    sqlite3_reset(st);
    return r;
}

/* A copy of text column i, or NULL when it is SQL NULL. A value that is not
 * NULL but cannot be had (SQLite or the copy ran out of memory) also gives
 * NULL, and sets *oom: the two must not be taken for one another (a profile
 * lost to an allocation is not a test without a profile). */
static char *col_text(sqlite3_stmt *st, int i, int *oom)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const unsigned char *t = sqlite3_column_text(st, i);
    char *c = t ? rf_strdup((const char *)t) : NULL;
    if (!c)
        *oom = 1;
    return c;
}

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* Wall-clock milliseconds since the epoch. */
static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The write connection, locked. */
static struct conn *wlock(struct sq_store *s)
{
    pthread_mutex_lock(&s->w.mu);
    return &s->w;
}

/* The connection for reads, locked. */
static struct conn *rlock(struct sq_store *s)
{
    struct conn *cn = s->has_reader ? &s->r : &s->w;
    pthread_mutex_lock(&cn->mu);
    return cn;
}

static void unlock(struct conn *cn)
{
    pthread_mutex_unlock(&cn->mu);
}

/* Applies the migrations the database lacks, all in one transaction that
 * holds SQLite's write lock from the reading of the version on, so that
 * processes opening a new database together apply each migration once. */
static rf_status migrate(struct sq_store *s, struct rf_err *err)
{
    struct conn *cn = &s->w;
    rf_status rc = exec(cn, "BEGIN IMMEDIATE", err);
    if (rc)
        return rc;
    rc = exec(cn, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err);
    int v = 0, n = (int)rf_sqlite_nmigrations;
    sqlite3_stmt *st;
    if (!rc && sqlite3_prepare_v2(cn->db, "SELECT max(version) FROM schema_version", -1, &st,
                                  NULL))
        rc = dberr(cn, err, "schema version");
    else if (!rc) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if (!rc && v > n)
        rc = rf_err_set(err, RF_EDB,
                        "store: database schema version %d is newer than this rolefit (%d)", v,
                        n);
    for (int i = v; !rc && i < n; i++) {
        char ins[64];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)", i + 1);
        if ((rc = exec_what(cn, rf_sqlite_migrations[i], "apply the schema", err)) ||
            (rc = exec(cn, ins, err)))
            rf_err_prefix(err, "migration %d", i + 1);
    }
    if (!rc)
        rc = exec(cn, "COMMIT", err);
    if (rc) {
        if (!sqlite3_get_autocommit(cn->db))
            exec(cn, "ROLLBACK", NULL);
        return rc;
    }
    s->version = n;
    return RF_OK;
}

/* Opens one connection on path and runs its pragmas. */
static rf_status conn_open(struct conn *cn, const char *path, const char *pragmas,
                           struct rf_err *err)
{
    if (sqlite3_open_v2(path, &cn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return rf_err_set(err, RF_EDB, "store: %s",
                          cn->db ? sqlite3_errmsg(cn->db) : "cannot open");
    sqlite3_busy_timeout(cn->db, 5000);
    sqlite3_extended_result_codes(cn->db, 1);
    return exec_what(cn, pragmas, "connection settings", err);
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

static const struct rf_store_ops sq_ops;
static void sq_close(struct rf_store *bs);

rf_status rf_store_sqlite_open(const char *path, struct rf_store **out, struct rf_err *err)
{
    if (!path[0])
        return rf_err_set(err, RF_EINVAL, "store: empty database path");
    struct sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    s->base.ops = &sq_ops;
    pthread_mutex_init(&s->w.mu, NULL);
    pthread_mutex_init(&s->r.mu, NULL);
    pthread_mutex_init(&s->qmu, NULL);
    pthread_cond_init(&s->qcv, NULL);
    s->qtail = &s->qhead;
    s->path = rf_strdup(path);
    if (!s->path) {
        sq_close(&s->base);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    s->w.path = s->r.path = s->path;
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
        rc = conn_open(&s->r, path, "PRAGMA query_only=ON; PRAGMA foreign_keys=ON;", err);
        s->has_reader = !rc;
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
    conn_close(&s->r);
    conn_close(&s->w);
    pthread_mutex_destroy(&s->w.mu);
    pthread_mutex_destroy(&s->r.mu);
    pthread_mutex_destroy(&s->qmu);
    pthread_cond_destroy(&s->qcv);
    free(s->path);
    free(s);
}

static int sq_schema_version(struct rf_store *bs)
{
    struct sq_store *s = (struct sq_store *)bs;
    return s->version;
}

/* ---- settings ---- */

static rf_status sq_setting_get(struct rf_store *bs, const char *key, char **value,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    *value = NULL;
    rf_status rc = RF_OK;
    sqlite3_stmt *st = query(cn, err, "SELECT value FROM settings WHERE key = ?", "t", key);
    if (!st) {
        rc = RF_EDB;
    } else {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            int oom = 0;
            *value = col_text(st, 0, &oom);
            if (!*value)
                rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
        } else if (r != SQLITE_DONE) {
            rc = dberr(cn, err, "setting");
        }
        sqlite3_reset(st);
    }
    unlock(cn);
    return rc;
}

static rf_status sq_setting_set(struct rf_store *bs, const char *key, const char *value,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "setting",
                       "INSERT INTO settings(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       "tt", key, value);
    unlock(cn);
    return rc;
}

static rf_status sq_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                                const char *value, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "setting",
                       "UPDATE settings SET value = ? WHERE key = ? AND value = ?", "ttt", value,
                       key, expected);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "setting '%s' has changed", key);
    unlock(cn);
    return rc;
}

/* ---- organizations and users ---- */

static rf_status sq_org_create(struct rf_store *bs, const char *name, int64_t *id,
                              struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "create organization",
                       "INSERT INTO orgs(name, created) VALUES (?, ?)", "ti", name, now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

static rf_status sq_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                               const char *name, const char *role, const char *pw_hash,
                               int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "create user",
                       "INSERT INTO users(org_id, email, name, role, pw_hash, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       "itttti", org_id, email, name, role, pw_hash,
                       now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "an account with email '%s' already exists", email);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

static rf_status user_row(sqlite3_stmt *st, struct rf_user *u, struct rf_err *err)
{
    memset(u, 0, sizeof *u);
    int oom = 0;
    u->id = sqlite3_column_int64(st, 0);
    u->org_id = sqlite3_column_int64(st, 1);
    u->email = col_text(st, 2, &oom);
    u->name = col_text(st, 3, &oom);
    u->role = col_text(st, 4, &oom);
    u->pw_hash = col_text(st, 5, &oom);
    if (oom || !u->email || !u->name || !u->role || !u->pw_hash) {
        rf_store_user_cleanup(u);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

/* Steps a statement expected to return at most one row, converting it with fn. */
static rf_status one_row(struct conn *cn, sqlite3_stmt *st, const char *what,
                         rf_status (*fn)(sqlite3_stmt *, void *, struct rf_err *), void *out,
                         struct rf_err *err)
{
    if (!st)
        return RF_EDB;
    int r = sqlite3_step(st);
    rf_status rc;
    if (r == SQLITE_ROW)
        rc = fn(st, out, err);
    else if (r == SQLITE_DONE)
        rc = rf_err_set(err, RF_ENOTFOUND, "%s not found", what);
    else
        rc = dberr(cn, err, what);
    sqlite3_reset(st);
    return rc;
}

static rf_status text_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    int oom = 0;
    char *t = col_text(st, 0, &oom);
    if (!t)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    *(char **)out = t;
    return RF_OK;
}

static rf_status sq_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    *name = NULL;
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn, query(cn, err, "SELECT name FROM orgs WHERE id = ?", "i", id),
                           "organization", text_fn, name, err);
    unlock(cn);
    return rc;
}

static rf_status user_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    return user_row(st, out, err);
}

static rf_status sq_user_by_email(struct rf_store *bs, const char *email, struct rf_user *u,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn,
                           query(cn, err,
                                 "SELECT id, org_id, email, name, role, pw_hash FROM users "
                                 "WHERE email = ?",
                                 "t", email),
                           "user", user_fn, u, err);
    unlock(cn);
    return rc;
}

static rf_status sq_user_get(struct rf_store *bs, int64_t id, struct rf_user *u,
                            struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn,
                           query(cn, err,
                                 "SELECT id, org_id, email, name, role, pw_hash FROM users "
                                 "WHERE id = ?",
                                 "i", id),
                           "user", user_fn, u, err);
    unlock(cn);
    return rc;
}

static rf_status count_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    (void)err;
    *(int64_t *)out = sqlite3_column_int64(st, 0);
    return RF_OK;
}

static rf_status sq_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn, query(cn, err, "SELECT count(*) FROM users", ""), "count", count_fn,
                           n, err);
    unlock(cn);
    return rc;
}

/* ---- login sessions ---- */

static rf_status sq_auth_create(struct rf_store *bs, const char *token_hash,
                               const struct rf_auth *a, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    run(cn, NULL, "purge", "DELETE FROM auth WHERE expires < ?", "i", now_s());
    rf_status rc = run(cn, err, "create login session",
                       "INSERT INTO auth(token_hash, user_id, candidate_id, csrf, expires) "
                       "VALUES (?, ?, ?, ?, ?)",
                       "tnnti", token_hash, a->user_id, a->candidate_id, a->csrf, a->expires);
    unlock(cn);
    return rc;
}

static rf_status auth_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_auth *a = out;
    int oom = 0;
    a->user_id = sqlite3_column_int64(st, 0);
    a->candidate_id = sqlite3_column_int64(st, 1);
    a->csrf = col_text(st, 2, &oom);
    a->expires = sqlite3_column_int64(st, 3);
    if (!a->csrf)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

static rf_status sq_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                            struct rf_auth *a, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(a, 0, sizeof *a);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn,
                           query(cn, err,
                                 "SELECT coalesce(user_id, 0), coalesce(candidate_id, 0), csrf, "
                                 "expires FROM auth WHERE token_hash = ? AND expires >= ?",
                                 "ti", token_hash, now),
                           "login session", auth_fn, a, err);
    unlock(cn);
    return rc;
}

static rf_status sq_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "logout", "DELETE FROM auth WHERE token_hash = ?", "t", token_hash);
    unlock(cn);
    return rc;
}

/* ---- candidates ---- */

static rf_status sq_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                    const char *email, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "create candidate",
                       "INSERT INTO candidates(org_id, name, email, created) VALUES (?, ?, ?, ?)",
                       "ntti", org_id, name, email, now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

static rf_status candidate_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_candidate *c = out;
    int oom = 0;
    c->id = sqlite3_column_int64(st, 0);
    c->org_id = sqlite3_column_int64(st, 1);
    c->name = col_text(st, 2, &oom);
    c->email = col_text(st, 3, &oom);
    c->created = sqlite3_column_int64(st, 4);
    if (oom) {
        rf_store_candidate_cleanup(c);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(c, 0, sizeof *c);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn,
                           query(cn, err,
                                 "SELECT id, coalesce(org_id, 0), name, email, created "
                                 "FROM candidates WHERE id = ?",
                                 "i", id),
                           "candidate", candidate_fn, c, err);
    unlock(cn);
    return rc;
}

/* ---- invites ---- */

static rf_status sq_invite_create(struct rf_store *bs, const char *token_hash,
                                 const struct rf_invite *v, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "create invite",
                       "INSERT INTO invites(token_hash, org_id, posting_id, role, label, "
                       "created_by, created, expires, topup_of, skills) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "tinttniint", token_hash, v->org_id, v->posting_id, v->role, v->label,
                       v->created_by, now_s(), v->expires, v->topup_of, v->skills);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

#define INVITE_COLS                                                                                \
    "id, org_id, coalesce(posting_id, 0), coalesce(created_by, 0), coalesce(candidate_id, 0), "    \
    "role, label, created, expires, coalesce(topup_of, 0), skills, resume_hash, resume_fails, "    \
    "resume_fail_at"

static rf_status invite_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_invite *v = out;
    int oom = 0;
    v->id = sqlite3_column_int64(st, 0);
    v->org_id = sqlite3_column_int64(st, 1);
    v->posting_id = sqlite3_column_int64(st, 2);
    v->created_by = sqlite3_column_int64(st, 3);
    v->candidate_id = sqlite3_column_int64(st, 4);
    v->role = col_text(st, 5, &oom);
    v->label = col_text(st, 6, &oom);
    v->created = sqlite3_column_int64(st, 7);
    v->expires = sqlite3_column_int64(st, 8);
    v->topup_of = sqlite3_column_int64(st, 9);
    v->skills = col_text(st, 10, &oom);
    v->resume_hash = col_text(st, 11, &oom);
    v->resume_fails = sqlite3_column_int64(st, 12);
    v->resume_fail_at = sqlite3_column_int64(st, 13);
    if (oom) {
        rf_store_invite_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_invite_by_token(struct rf_store *bs, const char *token_hash,
                                   struct rf_invite *v, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(v, 0, sizeof *v);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(
        cn, query(cn, err, "SELECT " INVITE_COLS " FROM invites WHERE token_hash = ?", "t", token_hash),
        "invite", invite_fn, v, err);
    unlock(cn);
    return rc;
}

static rf_status sq_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                              struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(v, 0, sizeof *v);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(
        cn, query(cn, err, "SELECT " INVITE_COLS " FROM invites WHERE id = ?", "i", id), "invite",
        invite_fn, v, err);
    unlock(cn);
    return rc;
}

static rf_status sq_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "claim invite",
                       "UPDATE invites SET candidate_id = ? WHERE id = ? AND candidate_id IS NULL",
                       "ii", candidate_id, invite_id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite has already been used");
    unlock(cn);
    return rc;
}

static rf_status sq_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                  struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "unclaim invite",
                       "UPDATE invites SET candidate_id = NULL WHERE id = ? AND candidate_id = ?",
                       "ii", invite_id, candidate_id);
    unlock(cn);
    return rc;
}

static rf_status sq_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                      struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "set resume code",
                       "UPDATE invites SET resume_hash = ?, resume_fails = 0 WHERE id = ?", "ti",
                       hash, invite_id);
    unlock(cn);
    return rc;
}

static rf_status sq_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok,
                                         int64_t now, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc =
        ok ? run(cn, err, "resume code", "UPDATE invites SET resume_fails = 0 WHERE id = ?", "i",
                 invite_id)
           : run(cn, err, "resume code",
                 "UPDATE invites SET resume_fails = resume_fails + 1, resume_fail_at = ? "
                 "WHERE id = ?",
                 "ii", now, invite_id);
    unlock(cn);
    return rc;
}

/* Steps a multi-row statement, converting each row with conv into a record
 * that fn receives and clean frees. */
static rf_status each_row(struct conn *cn, sqlite3_stmt *st, const char *what,
                          rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *rec,
                          void (*clean)(void *), void (*fn)(void *, const void *), void *ud,
                          struct rf_err *err)
{
    if (!st)
        return RF_EDB;
    rf_status rc = RF_OK;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = conv(st, rec, err)))
            break;
        fn(ud, rec);
        clean(rec);
    }
    if (!rc && r != SQLITE_DONE)
        rc = dberr(cn, err, what);
    sqlite3_reset(st);
    return rc;
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

static rf_status sq_invites_list(struct rf_store *bs, int64_t org_id,
                                void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_invite v;
    memset(&v, 0, sizeof v);
    struct cb c = {(void *)fn, ud};
    struct conn *cn = rlock(s);
    rf_status rc = each_row(
        cn, query(cn, err, "SELECT " INVITE_COLS " FROM invites WHERE org_id = ? ORDER BY id DESC",
                 "i", org_id),
        "invites", invite_fn, &v, invite_clean, invite_call, &c, err);
    unlock(cn);
    return rc;
}

/* ---- tests and answers ---- */

static rf_status sq_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    int64_t now = now_s();
    rf_status rc = run(cn, err, "create test",
                       "INSERT INTO tests(candidate_id, org_id, posting_id, invite_id, scope, "
                       "state, created, updated, served_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "innnttiii", t->candidate_id, t->org_id, t->posting_id, t->invite_id,
                       t->scope, t->state, now, now, t->served_ms ? t->served_ms : now_ms());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

#define TEST_COLS                                                                                  \
    "id, candidate_id, coalesce(org_id, 0), coalesce(posting_id, 0), coalesce(invite_id, 0), "     \
    "scope, state, status, profile, answers, created, updated"

static rf_status test_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_test *t = out;
    int oom = 0;
    t->id = sqlite3_column_int64(st, 0);
    t->candidate_id = sqlite3_column_int64(st, 1);
    t->org_id = sqlite3_column_int64(st, 2);
    t->posting_id = sqlite3_column_int64(st, 3);
    t->invite_id = sqlite3_column_int64(st, 4);
    t->scope = col_text(st, 5, &oom);
    t->state = col_text(st, 6, &oom);
    t->status = col_text(st, 7, &oom);
    t->profile = col_text(st, 8, &oom);
    t->answers = sqlite3_column_int64(st, 9);
    t->created = sqlite3_column_int64(st, 10);
    t->updated = sqlite3_column_int64(st, 11);
    if (oom || !t->scope || !t->state || !t->status) {
        rf_store_test_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_test_get(struct rf_store *bs, int64_t id, struct rf_test *t,
                            struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(t, 0, sizeof *t);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn, query(cn, err, "SELECT " TEST_COLS " FROM tests WHERE id = ?", "i", id),
                           "test session", test_fn, t, err);
    unlock(cn);
    return rc;
}

static rf_status sq_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                                  struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(t, 0, sizeof *t);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(cn,
                           query(cn, err,
                                 "SELECT " TEST_COLS " FROM tests WHERE invite_id = ? "
                                 "ORDER BY id DESC LIMIT 1",
                                 "i", invite_id),
                           "test session", test_fn, t, err);
    unlock(cn);
    return rc;
}

/* Records one answer of a batch inside its own savepoint: on refusal or
 * error the savepoint is rolled back and nothing of it stays. When the
 * enclosing transaction can no longer be trusted (SQLite rolled it back, or
 * a savepoint could not be opened or undone), *broken is set and berr says
 * why. */
static rf_status record(struct conn *cn, const struct pending *p, int *broken,
                        struct rf_err *berr)
{
    const struct rf_answer *a = p->a;
    rf_status rc = run(cn, berr, "record answer: open its savepoint", "SAVEPOINT answer", "");
    if (rc) {
        *broken = 1;
        return rf_err_set(p->err, rc, "%s", berr->msg);
    }
    int64_t at = a->at ? a->at : now_s();
    const struct rf_answer_signals *sig = p->sig;
    int64_t at_ms = sig && sig->at_ms ? sig->at_ms : now_ms();
    /* the server's response time: from serving this question (when the test
     * started or the previous answer was recorded) to receiving this answer */
    int64_t served = 0;
    sqlite3_stmt *st = query(cn, p->err, "SELECT served_ms FROM tests WHERE id = ?", "i",
                             a->test_id);
    int step = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        served = sqlite3_column_int64(st, 0);
    else if (st && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = dberr(cn, p->err, "record answer");
    else if (!st)
        rc = RF_EDB;
    if (st)
        sqlite3_reset(st);
    int64_t rt = served ? (at_ms > served ? at_ms - served : 0) : 0;
    int focus = sig && sig->focus;
    int64_t away = focus ? sig->away_ms : 0;
    if (served && away > rt)
        away = rt; /* time away is part of the time on the question */
    if (!rc)
        rc = run(cn, p->err, "record answer",
                 "UPDATE tests SET state = ?, answers = answers + 1, updated = ?, served_ms = ?, "
                 "status = CASE WHEN ? IS NULL THEN status ELSE 'finished' END, "
                 "profile = coalesce(?, profile), packed = coalesce(?, packed) "
                 "WHERE id = ? AND answers = ? AND status = 'active'",
                 "tiittbii", p->state, at, at_ms, p->profile, p->profile, p->packed, p->npacked,
                 a->test_id, a->seq);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(p->err, RF_ECONFLICT,
                        "test %lld: answer %lld is not the next answer of an active test",
                        (long long)a->test_id, (long long)a->seq + 1);
    if (!rc)
        rc = run(cn, p->err, "record answer",
                 "INSERT INTO answers(test_id, seq, item_id, choice, score, at, response, rt_ms, "
                 "client_ms, blurs, hidden, away_ms) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END, "
                 "CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END)",
                 "iitdditdididididi", a->test_id, a->seq, a->item_id, a->choice, a->score, at,
                 a->response, served != 0, rt, focus && sig->client_ms >= 0,
                 focus ? sig->client_ms : 0, focus, focus ? sig->blurs : 0, focus,
                 focus ? sig->hidden : 0, focus, away);
    if (sqlite3_get_autocommit(cn->db)) {
        /* SQLite rolled the whole transaction back (I/O error, disk full, ...) */
        *broken = 1;
        if (!rc)
            rc = dberr(cn, p->err, "record answer");
        rf_err_set(berr, rc, "%s", p->err ? p->err->msg : "store: record answer failed");
        return rc;
    }
    if ((rc && run(cn, berr, "record answer: undo it", "ROLLBACK TO answer", "")) ||
        run(cn, berr, "record answer: release its savepoint", "RELEASE answer", "")) {
        *broken = 1;
        return rc ? rc : rf_err_set(p->err, berr->rc, "%s", berr->msg);
    }
    return rc;
}

/* Records a batch of answers in one transaction and commits it; sets each
 * answer's status (and message when it failed). Whatever fails, the
 * connection leaves with no transaction open, so the next batch starts
 * clean. */
static void commit_batch(struct sq_store *s, struct pending *batch)
{
    struct conn *cn = wlock(s);
    struct rf_err berr;
    rf_err_clear(&berr);
    rf_status rc = exec_what(cn, "BEGIN IMMEDIATE", "record answers: begin", &berr);
    int broken = 0;
    size_t nok = 0;
    for (struct pending *p = batch; p && !rc && !broken; p = p->next) {
        p->rc = record(cn, p, &broken, &berr);
        p->tried = 1;
        nok += p->rc == RF_OK;
    }
    if (!rc && broken)
        rc = berr.rc ? berr.rc : RF_EDB;
    if (!rc)
        rc = nok ? exec_what(cn, "COMMIT", "record answers: commit", &berr)
                 : exec_what(cn, "ROLLBACK", "record answers: roll back", &berr);
    if (rc) {
        if (!sqlite3_get_autocommit(cn->db))
            exec(cn, "ROLLBACK", NULL);
        /* nothing of the batch is stored: every answer not already refused fails */
        for (struct pending *p = batch; p; p = p->next)
            if (!p->tried || p->rc == RF_OK)
                p->rc = rf_err_set(p->err, rc, "%s", berr.msg);
    }
    unlock(cn);
}

static rf_status sq_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                                  const struct rf_answer_signals *sig, const char *new_state,
                                  const char *profile, const unsigned char *packed,
                                  size_t npacked, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
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
        /* No commit under way, so this caller's answer is still queued: take
         * the queue (up to RF_STORE_BATCH_MAX) and commit it. */
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

struct answer_row {
    struct rf_answer a;
    struct rf_answer_signals sig;
    char *item, *response;
};

/* An integer column or def when it is NULL. */
static int64_t col_int(sqlite3_stmt *st, int i, int64_t def)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? def : sqlite3_column_int64(st, i);
}

static rf_status answer_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct answer_row *r = out;
    int oom = 0;
    r->a.test_id = sqlite3_column_int64(st, 0);
    r->a.seq = sqlite3_column_int64(st, 1);
    r->item = col_text(st, 2, &oom);
    r->a.item_id = r->item;
    r->a.choice = sqlite3_column_int(st, 3);
    r->a.score = sqlite3_column_int(st, 4);
    r->a.at = sqlite3_column_int64(st, 5);
    r->response = col_text(st, 6, &oom); /* NULL: an answer from before schema 3 */
    r->a.response = r->response;
    /* NULL: an answer from before schema 4, or without that signal */
    r->sig.at_ms = 0;
    r->sig.rt_ms = col_int(st, 7, -1);
    r->sig.client_ms = col_int(st, 8, -1);
    r->sig.focus = sqlite3_column_type(st, 9) != SQLITE_NULL;
    r->sig.blurs = col_int(st, 9, 0);
    r->sig.hidden = col_int(st, 10, 0);
    r->sig.away_ms = col_int(st, 11, 0);
    if (oom || !r->item)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

static void answer_clean(void *p)
{
    struct answer_row *r = p;
    free(r->item);
    free(r->response);
    r->item = r->response = NULL;
}

static void answer_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_answer *))c->fn)(c->ud, &((const struct answer_row *)rec)->a);
}

static void answer_sig_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    const struct answer_row *r = rec;
    ((void (*)(void *, const struct rf_answer *, const struct rf_answer_signals *))c->fn)(
        c->ud, &r->a, &r->sig);
}

static rf_status answers_each(struct sq_store *s, int64_t test_id, void (*call)(void *, const void *),
                              struct cb *c, struct rf_err *err)
{
    struct answer_row r;
    memset(&r, 0, sizeof r);
    struct conn *cn = rlock(s);
    rf_status rc = each_row(cn,
                            query(cn, err,
                                  "SELECT test_id, seq, item_id, choice, score, at, response, "
                                  "rt_ms, client_ms, blurs, hidden, away_ms FROM answers "
                                  "WHERE test_id = ? ORDER BY seq",
                                  "i", test_id),
                            "answers", answer_fn, &r, answer_clean, call, c, err);
    unlock(cn);
    return rc;
}

static rf_status sq_answers_list(struct rf_store *bs, int64_t test_id,
                                void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct cb c = {(void *)fn, ud};
    return answers_each(s, test_id, answer_call, &c, err);
}

static rf_status sq_answers_signals(struct rf_store *bs, int64_t test_id,
                                   void (*fn)(void *ud, const struct rf_answer *a,
                                              const struct rf_answer_signals *sig),
                                   void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct cb c = {(void *)fn, ud};
    return answers_each(s, test_id, answer_sig_call, &c, err);
}

static rf_status sq_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                              void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                              struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    sqlite3_stmt *st = query(cn, err,
                             "SELECT coalesce(response, CAST(choice AS TEXT)) AS r, count(*) AS n "
                             "FROM answers WHERE item_id = ? AND score = 0 "
                             "AND (response IS NOT NULL OR choice >= 0) "
                             "GROUP BY r ORDER BY n DESC, r LIMIT ?",
                             "ti", item_id, (int64_t)(max > INT64_MAX ? INT64_MAX : max));
    rf_status rc = st ? RF_OK : RF_EDB;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
    if (!rc && r != SQLITE_DONE)
        rc = dberr(cn, err, "wrong answers of an item");
    if (st)
        sqlite3_reset(st);
    unlock(cn);
    return rc;
}

static rf_status sq_item_stats(struct rf_store *bs, const char *item_id,
                              struct rf_store_item_stats *out, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(out, 0, sizeof *out);
    struct conn *cn = rlock(s);
    sqlite3_stmt *st = query(cn, err,
                             "SELECT count(rt_ms), coalesce(avg(rt_ms), 0) FROM answers "
                             "WHERE item_id = ?",
                             "t", item_id);
    rf_status rc = RF_OK;
    int r = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (r == SQLITE_ROW) {
        out->ntimed = sqlite3_column_int64(st, 0);
        out->mean_rt_ms = sqlite3_column_double(st, 1);
    } else {
        rc = st ? dberr(cn, err, "item statistics") : RF_EDB;
    }
    if (st)
        sqlite3_reset(st);
    unlock(cn);
    return rc;
}

static void test_clean(void *p)
{
    rf_store_test_cleanup(p);
}

static void test_call(void *ud, const void *rec)
{
    struct cb *c = ud;
    ((void (*)(void *, const struct rf_test *))c->fn)(c->ud, rec);
}

static rf_status sq_tests_finished(struct rf_store *bs, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                  struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_test t;
    memset(&t, 0, sizeof t);
    struct cb c = {(void *)fn, ud};
    struct conn *cn = rlock(s);
    sqlite3_stmt *st =
        org_id < 0 ? query(cn, err,
                           "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' "
                           "ORDER BY id DESC",
                           "")
                   : query(cn, err,
                           "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' AND "
                           "coalesce(org_id, 0) = ? ORDER BY id DESC",
                           "i", org_id);
    rf_status rc = each_row(cn, st, "tests", test_fn, &t, test_clean, test_call, &c, err);
    unlock(cn);
    return rc;
}

/* What ranking reads of a row: borrowed from the statement, valid until its next step. */
static rf_status ranked_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_store_ranked *t = out;
    t->id = sqlite3_column_int64(st, 0);
    t->candidate_id = sqlite3_column_int64(st, 1);
    t->posting_id = sqlite3_column_int64(st, 2);
    t->invite_id = sqlite3_column_int64(st, 3);
    t->finished = sqlite3_column_int64(st, 4);
    t->label = (const char *)sqlite3_column_text(st, 5);
    t->profile = (const char *)sqlite3_column_text(st, 6);
    t->packed = sqlite3_column_blob(st, 7);
    t->npacked = (size_t)sqlite3_column_bytes(st, 7);
    if (!t->packed)
        t->npacked = 0;
    /* NULL for a value that is there: SQLite ran out of memory */
    if ((!t->label && sqlite3_column_type(st, 5) != SQLITE_NULL) ||
        (!t->profile && sqlite3_column_type(st, 6) != SQLITE_NULL) ||
        (!t->packed && sqlite3_column_type(st, 7) != SQLITE_NULL && sqlite3_column_bytes(st, 7)))
        return rf_err_set(err, RF_ENOMEM, "store: ranking: out of memory");
    return RF_OK;
}

static void ranked_clean(void *p)
{
    (void)p;
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

static rf_status sq_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                                void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_store_ranked t;
    memset(&t, 0, sizeof t);
    struct cb c = {(void *)fn, ud};
    struct conn *cn = rlock(s);
    sqlite3_stmt *st =
        posting_id > 0
            ? query(cn, err,
                    "SELECT " RANKED_COLS "WHERE t.posting_id = ? AND t.status = 'finished' AND "
                    "coalesce(t.org_id, 0) = ? ORDER BY t.id DESC",
                    "ii", posting_id, org_id)
            : query(cn, err,
                    "SELECT " RANKED_COLS "WHERE t.status = 'finished' AND "
                    "coalesce(t.org_id, 0) = ? ORDER BY t.id DESC",
                    "i", org_id);
    rf_status rc = each_row(cn, st, "tests", ranked_fn, &t, ranked_clean, ranked_call, &c, err);
    unlock(cn);
    return rc;
}

static rf_status sq_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                    unsigned char *const *packed, const size_t *npacked,
                                    struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = exec(cn, "BEGIN IMMEDIATE", err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = run(cn, err, "store packed profile",
                 "UPDATE tests SET packed = ? WHERE id = ? AND status = 'finished' AND "
                 "packed IS NULL",
                 "bi", packed[i], npacked[i], ids[i]);
    if (!rc)
        rc = exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        exec(cn, "ROLLBACK", NULL);
    unlock(cn);
    return rc;
}

/* ---- postings ---- */

static rf_status sq_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                                  struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "create posting",
                       "INSERT INTO postings(org_id, created_by, title, text, parsed, created) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       "inttti", p->org_id, p->created_by, p->title, p->text,
                       p->parsed, now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    unlock(cn);
    return rc;
}

#define POSTING_COLS "id, org_id, coalesce(created_by, 0), title, text, parsed, created"

static rf_status posting_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_posting *p = out;
    int oom = 0;
    p->id = sqlite3_column_int64(st, 0);
    p->org_id = sqlite3_column_int64(st, 1);
    p->created_by = sqlite3_column_int64(st, 2);
    p->title = col_text(st, 3, &oom);
    p->text = col_text(st, 4, &oom);
    p->parsed = col_text(st, 5, &oom);
    p->created = sqlite3_column_int64(st, 6);
    if (oom || !p->title || !p->text) {
        rf_store_posting_cleanup(p);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(p, 0, sizeof *p);
    struct conn *cn = rlock(s);
    rf_status rc = one_row(
        cn, query(cn, err, "SELECT " POSTING_COLS " FROM postings WHERE id = ?", "i", id), "posting",
        posting_fn, p, err);
    unlock(cn);
    return rc;
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

static rf_status sq_postings_list(struct rf_store *bs, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_posting p;
    memset(&p, 0, sizeof p);
    struct cb c = {(void *)fn, ud};
    struct conn *cn = rlock(s);
    rf_status rc = each_row(
        cn,
        query(cn, err, "SELECT " POSTING_COLS " FROM postings WHERE org_id = ? ORDER BY id DESC",
              "i", org_id),
        "postings", posting_fn, &p, posting_clean, posting_call, &c, err);
    unlock(cn);
    return rc;
}

static rf_status sq_posting_edit(struct rf_store *bs, const char *parsed,
                                 const struct rf_posting_edit *e, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = run(cn, err, "edit posting", "UPDATE postings SET parsed = ? WHERE id = ?", "ti",
                 parsed, e->posting_id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "no posting %lld", (long long)e->posting_id);
    if (!rc)
        rc = run(cn, err, "record posting edit",
                 "INSERT INTO posting_edits(posting_id, user_id, at, summary, before, after) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 "inittt", e->posting_id, e->user_id, now_s(), e->summary, e->before, e->after);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    if (!rc)
        rc = exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        exec(cn, "ROLLBACK", NULL);
    unlock(cn);
    return rc;
}

static rf_status posting_edit_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_posting_edit *e = out;
    int oom = 0;
    e->id = sqlite3_column_int64(st, 0);
    e->posting_id = sqlite3_column_int64(st, 1);
    e->user_id = sqlite3_column_int64(st, 2);
    e->at = sqlite3_column_int64(st, 3);
    e->user = col_text(st, 4, &oom);
    e->summary = col_text(st, 5, &oom);
    e->before = col_text(st, 6, &oom);
    e->after = col_text(st, 7, &oom);
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

static rf_status sq_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                       void (*fn)(void *ud, const struct rf_posting_edit *e),
                                       void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_posting_edit e;
    memset(&e, 0, sizeof e);
    struct cb c = {(void *)fn, ud};
    struct conn *cn = rlock(s);
    rf_status rc = each_row(
        cn,
        query(cn, err,
              "SELECT e.id, e.posting_id, coalesce(e.user_id, 0), e.at, u.email, e.summary, "
              "e.before, e.after FROM posting_edits e LEFT JOIN users u ON u.id = e.user_id "
              "WHERE e.posting_id = ? ORDER BY e.id",
              "i", posting_id),
        "posting edits", posting_edit_fn, &e, posting_edit_clean, posting_edit_call, &c, err);
    unlock(cn);
    return rc;
}

/* ---- bank versions ---- */

static rf_status sq_bank_version(struct rf_store *bs, const char *hash, int64_t nitems, int64_t *id,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = run(cn, err, "bank version",
                       "INSERT INTO bank_versions(hash, nitems, loaded) VALUES (?, ?, ?) "
                       "ON CONFLICT(hash) DO NOTHING",
                       "tii", hash, nitems, now_s());
    if (!rc)
        rc = one_row(cn, query(cn, err, "SELECT id FROM bank_versions WHERE hash = ?", "t", hash),
                     "bank version", count_fn, id, err);
    unlock(cn);
    return rc;
}

/* ---- raw rows: db export and import ---- */

static rf_status sq_rows_each(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_row_fn fn, void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rlock(s);
    /* one read transaction: one snapshot for every table */
    rf_status rc = exec_what(cn, "BEGIN", "export: begin", err);
    int stop = 0;
    for (size_t t = 0; t < n && !rc && !stop; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY %s", tables[t].name, tables[t].order);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(cn->db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = dberr(cn, err, "export");
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
            rc = dberr(cn, err, "export");
        sqlite3_finalize(st);
    }
    exec(cn, "COMMIT", NULL);
    unlock(cn);
    return rc;
}

/* Binds one raw value. */
static int bind_value(sqlite3_stmt *st, int k, const struct rf_store_value *v)
{
    switch (v->kind) {
    case RF_STORE_VAL_INT: return sqlite3_bind_int64(st, k, v->i);
    case RF_STORE_VAL_TEXT: return sqlite3_bind_text64(st, k, v->p, v->n, SQLITE_TRANSIENT, SQLITE_UTF8);
    case RF_STORE_VAL_BLOB: return sqlite3_bind_blob64(st, k, v->p, v->n, SQLITE_TRANSIENT);
    default: return sqlite3_bind_null(st, k);
    }
}

static rf_status sq_rows_load(struct rf_store *bs, const struct rf_store_table *tables, size_t n,
                              rf_store_next_fn next, void *ud, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = wlock(s);
    rf_status rc = exec_what(cn, "BEGIN IMMEDIATE", "import: begin", err);
    for (size_t t = 0; t < n && !rc; t++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t].name);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(cn->db, sql, -1, &st, NULL) != SQLITE_OK) {
            rc = dberr(cn, err, "import");
            break;
        }
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = dberr(cn, err, "import");
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
            if (o >= sizeof sql - 1 || sqlite3_prepare_v2(cn->db, sql, -1, &ins, NULL) != SQLITE_OK) {
                rc = dberr(cn, err, "import");
                break;
            }
            ins_table = table;
            ins_names = names;
        }
        sqlite3_reset(ins);
        for (size_t i = 0; i < ncol && !rc; i++)
            if (bind_value(ins, (int)i + 1, &vals[i]) != SQLITE_OK)
                rc = dberr(cn, err, "import");
        if (!rc && sqlite3_step(ins) != SQLITE_DONE) {
            rc = dberr(cn, err, "import");
            rf_err_prefix(err, "table %s", table);
        }
    }
    sqlite3_finalize(ins);
    if (!rc)
        rc = exec_what(cn, "COMMIT", "import: commit", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        exec(cn, "ROLLBACK", NULL);
    unlock(cn);
    return rc;
}

static const struct rf_store_ops sq_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .setting_get = sq_setting_get,
    .setting_set = sq_setting_set,
    .setting_swap = sq_setting_swap,
    .org_create = sq_org_create,
    .user_create = sq_user_create,
    .user_by_email = sq_user_by_email,
    .user_get = sq_user_get,
    .user_count = sq_user_count,
    .auth_create = sq_auth_create,
    .auth_get = sq_auth_get,
    .auth_delete = sq_auth_delete,
    .candidate_create = sq_candidate_create,
    .candidate_get = sq_candidate_get,
    .invite_create = sq_invite_create,
    .invite_set_resume = sq_invite_set_resume,
    .invite_resume_result = sq_invite_resume_result,
    .org_name = sq_org_name,
    .posting_edit = sq_posting_edit,
    .posting_edits_list = sq_posting_edits_list,
    .invite_by_token = sq_invite_by_token,
    .invite_get = sq_invite_get,
    .invite_claim = sq_invite_claim,
    .invite_unclaim = sq_invite_unclaim,
    .invites_list = sq_invites_list,
    .test_create = sq_test_create,
    .test_get = sq_test_get,
    .test_by_invite = sq_test_by_invite,
    .answer_signals = sq_answer_signals,
    .answers_list = sq_answers_list,
    .answers_signals = sq_answers_signals,
    .item_stats = sq_item_stats,
    .item_wrong = sq_item_wrong,
    .tests_finished = sq_tests_finished,
    .tests_ranked = sq_tests_ranked,
    .tests_set_packed = sq_tests_set_packed,
    .posting_create = sq_posting_create,
    .posting_get = sq_posting_get,
    .postings_list = sq_postings_list,
    .bank_version = sq_bank_version,
    .rows_each = sq_rows_each,
    .rows_load = sq_rows_load,
};
