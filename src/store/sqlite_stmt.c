/*
 * The SQLite backend's statements (sqlite_int.h): errors that name the
 * database file and the cause, the cache of prepared statements, binding by
 * a type string, one row and lists of rows, the two connections' locks.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "store/sqlite_int.h"

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

rf_status rf_sq_dberr(struct conn *cn, struct rf_err *err, const char *what)
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

rf_status rf_sq_exec_what(struct conn *cn, const char *sql, const char *what, struct rf_err *err)
{
    if (sqlite3_exec(cn->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return rf_sq_dberr(cn, err, what);
    return RF_OK;
}

rf_status rf_sq_exec(struct conn *cn, const char *sql, struct rf_err *err)
{
    return rf_sq_exec_what(cn, sql, sql, err);
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
        rf_sq_dberr(cn, err, "prepare");
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

/* rf_sq_query with the parameters in ap. */
static sqlite3_stmt *vquery(struct conn *cn, struct rf_err *err, const char *sql, const char *types,
                            va_list ap)
{
    sqlite3_stmt *st = prep(cn, sql, err);
    if (!st)
        return NULL;
    if (bind(st, types, ap) != SQLITE_OK) {
        rf_sq_dberr(cn, err, "bind");
        return NULL;
    }
    return st;
}

sqlite3_stmt *rf_sq_query(struct conn *cn, struct rf_err *err, const char *sql, const char *types,
                          ...)
{
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vquery(cn, err, sql, types, ap);
    va_end(ap);
    return st;
}

rf_status rf_sq_run(struct conn *cn, struct rf_err *err, const char *what, const char *sql,
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
        return rf_sq_dberr(cn, err, what);
    rc = sqlite3_step(st);
    rf_status r = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? RF_OK : rf_sq_dberr(cn, err, what);
    sqlite3_reset(st);
    return r;
}

char *rf_sq_col_text(sqlite3_stmt *st, int i, int *oom)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    const unsigned char *t = sqlite3_column_text(st, i);
    char *c = t ? rf_strdup((const char *)t) : NULL;
    if (!c)
        *oom = 1;
    return c;
}

int64_t rf_sq_now_s(void)
{
    return (int64_t)time(NULL);
}

int64_t rf_sq_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct conn *rf_sq_wlock(struct sq_store *s)
{
    pthread_mutex_lock(&s->w.mu);
    return &s->w;
}

struct conn *rf_sq_rlock(struct sq_store *s)
{
    if (!s->nreaders)
        return rf_sq_wlock(s);
    pthread_mutex_lock(&s->rmu);
    struct conn *cn = NULL;
    for (;;) {
        for (size_t i = 0; i < s->nreaders && !cn; i++)
            if (!s->r[i].busy)
                cn = &s->r[i];
        if (cn)
            break;
        pthread_cond_wait(&s->rcv, &s->rmu);
    }
    cn->busy = 1;
    pthread_mutex_unlock(&s->rmu);
    pthread_mutex_lock(&cn->mu);
    return cn;
}

void rf_sq_unlock(struct conn *cn)
{
    pthread_mutex_unlock(&cn->mu);
    struct sq_store *s = cn->pool;
    if (!s)
        return;
    pthread_mutex_lock(&s->rmu);
    cn->busy = 0;
    pthread_cond_signal(&s->rcv);
    pthread_mutex_unlock(&s->rmu);
}

rf_status rf_sq_one_row(struct conn *cn, sqlite3_stmt *st, const char *what,
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
        rc = rf_sq_dberr(cn, err, what);
    sqlite3_reset(st);
    return rc;
}

rf_status rf_sq_get(struct sq_store *s, struct rf_err *err, const char *what,
                    rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *out,
                    const char *sql, const char *types, ...)
{
    struct conn *cn = rf_sq_rlock(s);
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vquery(cn, err, sql, types, ap);
    va_end(ap);
    rf_status rc = rf_sq_one_row(cn, st, what, conv, out, err);
    rf_sq_unlock(cn);
    return rc;
}

rf_status rf_sq_text_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    int oom = 0;
    char *t = rf_sq_col_text(st, 0, &oom);
    if (!t)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    *(char **)out = t;
    return RF_OK;
}

rf_status rf_sq_count_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    (void)err;
    *(int64_t *)out = sqlite3_column_int64(st, 0);
    return RF_OK;
}

rf_status rf_sq_list(struct sq_store *s, struct rf_err *err, const char *what,
                     rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *rec,
                     const struct rf_store_read *read, void *fn, void *ud, const char *sql,
                     const char *types, ...)
{
    struct rf_store_cb c = {fn, ud};
    struct conn *cn = rf_sq_rlock(s);
    va_list ap;
    va_start(ap, types);
    sqlite3_stmt *st = vquery(cn, err, sql, types, ap);
    va_end(ap);
    rf_status rc = st ? RF_OK : RF_EDB;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = conv(st, rec, err)))
            break;
        read->call(&c, rec);
        read->clean(rec);
    }
    if (!rc && r != SQLITE_DONE)
        rc = rf_sq_dberr(cn, err, what);
    if (st)
        sqlite3_reset(st);
    rf_sq_unlock(cn);
    return rc;
}

int64_t rf_sq_col_int(sqlite3_stmt *st, int i, int64_t def)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? def : sqlite3_column_int64(st, i);
}

struct conn *rf_sq_begin_nosync(struct sq_store *s, const char *what, struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock(s);
    char w[64];
    snprintf(w, sizeof w, "%s: no sync", what);
    rf_status rc = rf_sq_exec_what(cn, "PRAGMA synchronous=OFF", w, err);
    snprintf(w, sizeof w, "%s: begin", what);
    if (!rc)
        rc = rf_sq_exec_what(cn, "BEGIN IMMEDIATE", w, err);
    if (rc) {
        (void)rf_sq_exec_what(cn, "PRAGMA synchronous=FULL", what, NULL);
        rf_sq_unlock(cn);
        return NULL;
    }
    return cn;
}

rf_status rf_sq_end_nosync(struct conn *cn, rf_status rc, const char *what, struct rf_err *err)
{
    char w[64];
    snprintf(w, sizeof w, "%s: commit", what);
    if (!rc)
        rc = rf_sq_exec_what(cn, "COMMIT", w, err);
    if (rc)
        (void)rf_sq_exec_what(cn, "ROLLBACK", what, NULL);
    snprintf(w, sizeof w, "%s: sync again", what);
    rf_status rs = rf_sq_exec_what(cn, "PRAGMA synchronous=FULL", w, err);
    rf_sq_unlock(cn);
    return rc ? rc : rs;
}
