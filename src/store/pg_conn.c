/*
 * The PostgreSQL backend's connections and statements (pg_int.h): the pool
 * (a connection found broken makes every one reopen when next taken), errors
 * that name the server and never the password, statements prepared once per
 * connection, parameters by a type string, reading columns, one row and
 * lists of rows in single-row mode.
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

void rf_pg_first_line(const char *msg, char *out, size_t n)
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
    rf_pg_first_line(primary ? primary : (r ? PQresultErrorMessage(r) : PQerrorMessage(cn->db)),
                     line, sizeof line);
    if (!line[0])
        rf_pg_first_line(PQerrorMessage(cn->db), line, sizeof line);
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
    if (lost)
        return rf_pg_lost(s, err, what, line);
    return rf_err_set(err, rc, "store: PostgreSQL at %s: %s: %s", s->where, what, line);
}

rf_status rf_pg_lost(struct pg_store *s, struct rf_err *err, const char *what, const char *why)
{
    pthread_mutex_lock(&s->pmu);
    s->gen++;
    pthread_mutex_unlock(&s->pmu);
    return rf_err_set(err, RF_EUNAVAIL, "store: PostgreSQL at %s: %s: connection lost (%s)",
                      s->where, what, why);
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
        rf_pg_first_line(PQerrorMessage(cn->db), line, sizeof line);
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
    /* a value too large for its row (a test's state past ~2 KB, rewritten
     * with every answer) compressed with lz4, several times faster than the
     * default pglz at about the same size; a server built without lz4 (or
     * before PostgreSQL 14) refuses, and keeps pglz */
    r = PQexec(cn->db, "SET default_toast_compression = lz4");
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

rf_status rf_pg_pipeline(struct pg_store *s, struct pconn *cn, const struct pg_step *st, size_t n,
                         size_t keep, PGresult **kept, struct rf_err *err, const char *what)
{
    char names[PG_PIPELINE_MAX][16];
    if (kept)
        *kept = NULL;
    if (n > PG_PIPELINE_MAX || !n || !st[n - 1].sync)
        return rf_err_set(err, RF_EINVAL, "store: %s: a pipeline of %zu steps", what, n);
    for (size_t i = 0; i < n; i++) {
        rf_status rc = st[i].n >= 0 ? rf_pg_prepared(s, cn, st[i].sql, st[i].n, names[i], err)
                                    : RF_OK;
        if (rc)
            return rc;
    }
    size_t nsync = 0;
    int ok = PQenterPipelineMode(cn->db);
    for (size_t i = 0; ok && i < n; i++) {
        ok = st[i].n < 0
                 ? PQsendQueryParams(cn->db, st[i].sql, 0, NULL, NULL, NULL, NULL, 0)
                 : PQsendQueryPrepared(cn->db, names[i], st[i].n, st[i].val, NULL, NULL, 0);
        if (ok && st[i].sync) {
            ok = PQpipelineSync(cn->db);
            nsync++;
        }
    }
    rf_status fatal = ok ? RF_OK : rf_pg_pgerr(s, cn, NULL, err, what);
    PGresult *got = NULL;
    size_t idx = 0, synced = 0;
    while (ok && synced < nsync) {
        PGresult *r = PQgetResult(cn->db);
        if (!r) {
            /* the end of one step's results; more than the steps: the
             * server ended the session before the sync (a restart) */
            if (PQstatus(cn->db) != CONNECTION_OK || ++idx > n) {
                if (!fatal)
                    fatal = PQstatus(cn->db) != CONNECTION_OK
                                ? rf_pg_pgerr(s, cn, NULL, err, what)
                                : rf_pg_lost(s, err, what, "the pipeline ended early");
                break;
            }
            continue;
        }
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_PIPELINE_SYNC) {
            synced++;
        } else if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_PIPELINE_ABORTED) {
            if (!fatal)
                fatal = rf_pg_pgerr(s, cn, r, err, what);
        } else if (idx == keep && t == PGRES_TUPLES_OK && !got) {
            got = r;
            r = NULL;
        }
        PQclear(r);
    }
    if (PQpipelineStatus(cn->db) != PQ_PIPELINE_OFF && !PQexitPipelineMode(cn->db) && !fatal)
        fatal = rf_pg_pgerr(s, cn, NULL, err, what);
    if (PQstatus(cn->db) == CONNECTION_OK && PQtransactionStatus(cn->db) != PQTRANS_IDLE) {
        PGresult *r = PQexec(cn->db, "ROLLBACK");
        PQclear(r);
    }
    if (fatal || !kept)
        PQclear(got);
    else
        *kept = got;
    return fatal;
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

char *rf_pg_array(size_t n, const char *(*el)(void *ud, size_t i, char buf[32]), void *ud,
                  int quote)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return NULL;
    fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        const char *e = el(ud, i, buf);
        if (i)
            fputc(',', f);
        if (quote)
            fputc('"', f);
        for (; *e; e++) {
            if (quote && (*e == '"' || *e == '\\'))
                fputc('\\', f);
            fputc(*e, f);
        }
        if (quote)
            fputc('"', f);
    }
    fputc('}', f);
    if (fclose(f)) {
        free(out);
        return NULL;
    }
    return out;
}

static const char *int_el(void *ud, size_t i, char buf[32])
{
    snprintf(buf, 32, "%lld", (long long)((const int64_t *)ud)[i]);
    return buf;
}

char *rf_pg_int_array(const int64_t *v, size_t n)
{
    return rf_pg_array(n, int_el, (void *)v, 0);
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

/* rf_pg_list's work, with text (binary 0) or binary results. */
static rf_status listv(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                       void *rec, const struct rf_store_read *read, void *fn, void *ud, int binary,
                       const char *sql, const char *types, va_list ap)
{
    struct rf_store_cb c = {fn, ud};
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    struct params p;
    bindv(&p, types, ap);
    char name[16];
    rf_status rc = rf_pg_prepared(s, cn, sql, p.n, name, err);
    if (!rc && !PQsendQueryPrepared(cn->db, name, p.n, p.val, p.len, p.fmt, binary))
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
                read->call(&c, rec);
                read->clean(rec);
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !rc) {
            rc = rf_pg_pgerr(s, cn, r, err, what);
        }
        PQclear(r); /* the remaining rows are read and dropped after an error */
    }
    rf_pg_release(s, cn);
    return rc;
}

rf_status rf_pg_list(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                     void *rec, const struct rf_store_read *read, void *fn, void *ud,
                     const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    rf_status rc = listv(s, err, what, conv, rec, read, fn, ud, 0, sql, types, ap);
    va_end(ap);
    return rc;
}

rf_status rf_pg_list_binary(struct pg_store *s, struct rf_err *err, const char *what,
                            conv_fn conv, void *rec, const struct rf_store_read *read, void *fn,
                            void *ud, const char *sql, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    rf_status rc = listv(s, err, what, conv, rec, read, fn, ud, 1, sql, types, ap);
    va_end(ap);
    return rc;
}

int64_t rf_pg_bin_int(const PGresult *r, int row, int col, int64_t def)
{
    if (PQgetisnull(r, row, col))
        return def;
    const unsigned char *b = (const unsigned char *)PQgetvalue(r, row, col);
    int n = PQgetlength(r, row, col);
    if (n != 2 && n != 4 && n != 8)
        return def;
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | b[i];
    /* sign-extend the narrower integers */
    if (n < 8 && (b[0] & 0x80))
        v |= ~(uint64_t)0 << (8 * n);
    int64_t x;
    memcpy(&x, &v, sizeof x);
    return x;
}

const unsigned char *rf_pg_bin_bytes(const PGresult *r, int row, int col, size_t *n)
{
    if (PQgetisnull(r, row, col)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(r, row, col);
    return (const unsigned char *)PQgetvalue(r, row, col);
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
