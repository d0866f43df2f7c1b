/*
 * What the files of the PostgreSQL backend share, private to them: the store
 * and its pool of connections; the pool and statements of pg_conn.c, which
 * the areas use (pg_accounts.c, pg_tests.c, pg_postings.c); and each area's
 * part of the table of operations (backend.h), which store_pg.c fills in
 * when it opens a store. The operations' contracts are store.h's.
 */
#ifndef RF_STORE_PG_INT_H
#define RF_STORE_PG_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "store/backend.h"
#include "store/lists.h"

#define NSTMT 64

/* One connection of the pool, used by one thread at a time. */
struct pconn {
    PGconn *db;
    const char *sql[NSTMT]; /* statements prepared on this connection, named "s<index>" */
    size_t nst;
    unsigned char *bytes; /* decoded BYTEA of the row being read */
    size_t nbytes;
    unsigned gen;       /* the pool's generation when it was opened */
    struct pconn *next; /* in the free list */
};

/* An answer waiting for the group commit (on its caller's stack). */
struct pending {
    const struct rf_answer *a;
    const struct rf_answer_signals *sig; /* or NULL */
    const char *session;                 /* or NULL: the login session the answer is stored under
                                            (rf_store_answer_session), checked in its write */
    int64_t session_now;                 /* the time the session must not have expired at */
    const char *state, *profile;
    const unsigned char *packed;
    size_t npacked;
    struct rf_err *err;
    rf_status rc;
    int failed; /* its statement failed: left out when the batch is replayed */
    int done;   /* the batch is over: rc is final */
    struct pending *next;
    pthread_cond_t cv; /* its owner waits on it: woken when done, or to commit next */
};

struct pg_store {
    struct rf_store base;    /* first: the store's functions (backend.h) */
    struct rf_store_ops ops; /* base.ops: filled in by the files of each area */
    char *url;               /* as given (password included): what libpq connects with */
    char where[256];         /* "host H port P database D", named in errors */
    int version;
    struct pconn *conns;
    size_t nconns;
    pthread_mutex_t pmu;
    pthread_cond_t pcv;
    struct pconn *free;
    unsigned gen; /* incremented when a connection is found lost: all are reopened */
    /* the group commit: answers queued in arrival order */
    pthread_mutex_t qmu;
    struct pending *qhead, **qtail;
    int committing;
};

typedef rf_status (*conv_fn)(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err);

#define MAXP 20

/* Parameters of one statement, as libpq takes them: integers as text, text
 * as given, blobs as binary. */
struct params {
    int n;
    const char *val[MAXP];
    int len[MAXP], fmt[MAXP];
    char num[MAXP][24];
};

/* ---- pg_conn.c: the pool, statements, errors ---- */

/* The first line of a libpq message, without its "ERROR:  " or trailing newline. */
void rf_pg_first_line(const char *msg, char *out, size_t n);

/* The backend's store behind the interface's. */
struct pg_store *rf_pg_of(struct rf_store *bs);

/* Seconds, and milliseconds, since the epoch. */
int64_t rf_pg_now_s(void);
int64_t rf_pg_now_ms(void);

/* Records an error of a statement (r, or the connection when r is NULL).
 * Constraint violations (a request's fault) name neither the server nor its
 * message's details; errors of the server, the network or the disk name
 * the server, so that the log says what to look at. */
rf_status rf_pg_pgerr(struct pg_store *s, struct pconn *cn, const PGresult *r, struct rf_err *err,
                      const char *what);

/* Records that the server ended the connections (a restart, the network):
 * every connection of the pool is reopened before its next use; returns
 * RF_EUNAVAIL ("<what>: connection lost (<why>)"), which the server answers
 * with 503 and Retry-After. */
rf_status rf_pg_lost(struct pg_store *s, struct rf_err *err, const char *what, const char *why);

/* Takes a connection from the pool, waiting for one when all are in use;
 * opens it if needed. NULL (err set) when the server cannot be reached. */
struct pconn *rf_pg_acquire(struct pg_store *s, struct rf_err *err);

/* Gives a connection of rf_pg_acquire back to the pool. */
void rf_pg_release(struct pg_store *s, struct pconn *cn);

void rf_pg_bindp(struct params *p, const char *types, ...);

/* One statement of rf_pg_pipeline: sql with n text parameters val (NULL: SQL
 * NULL), prepared on the connection; n < 0: sent as it is, without
 * parameters (BEGIN, COMMIT). sync: a sync follows it, which ends the
 * implicit transaction of the statements before it that no BEGIN opened. */
struct pg_step {
    const char *sql;
    const char *const *val;
    int n;
    int sync;
};
#define PG_PIPELINE_MAX 8

/* Sends the n steps (<= PG_PIPELINE_MAX, the last with sync) in one
 * pipeline, one round trip, and reads every result. *kept (may be NULL) gets
 * the rows of step keep (the caller clears them). The first error is
 * returned (what names the work) and nothing kept; a transaction a failed
 * step left open is rolled back. */
rf_status rf_pg_pipeline(struct pg_store *s, struct pconn *cn, const struct pg_step *st, size_t n,
                         size_t keep, PGresult **kept, struct rf_err *err, const char *what);

/* The name of sql's prepared statement on cn, preparing it the first time. */
rf_status rf_pg_prepared(struct pg_store *s, struct pconn *cn, const char *sql, int nparams,
                         char name[16], struct rf_err *err);

/* Runs a statement without rows; *changed (may be NULL) gets the rows it changed. */
rf_status rf_pg_run(struct pg_store *s, struct pconn *cn, struct rf_err *err, const char *what,
                    int64_t *changed, const char *sql, const char *types, ...);

/* Runs fixed SQL (transactions, migrations: several statements allowed). */
rf_status rf_pg_exec(struct pg_store *s, struct pconn *cn, const char *sql, const char *what,
                     struct rf_err *err);

/* An integer column of row, or def when it is NULL. */
int64_t rf_pg_col_int(const PGresult *r, int row, int col, int64_t def);

/* A PostgreSQL array literal of n elements, element i the text el(ud, i, buf)
 * (el is called for i = 0 .. n - 1 in order; buf is its scratch space), each
 * double-quoted with " and \ escaped when quote (malloc'd; NULL: no memory). */
char *rf_pg_array(size_t n, const char *(*el)(void *ud, size_t i, char buf[32]), void *ud,
                  int quote);

/* n integers as a PostgreSQL array literal (malloc'd; NULL: no memory). */
char *rf_pg_int_array(const int64_t *v, size_t n);

/* A copy of a text column, or NULL when it is SQL NULL; *oom set when the copy failed. */
char *rf_pg_col_text(const PGresult *r, int row, int col, int *oom);

/* A BYTEA column (text result, hex form "\x0102") decoded into cn's buffer;
 * NULL for SQL NULL. RF_ENOMEM or RF_EDB (not hex) on failure. */
rf_status rf_pg_col_bytes(struct pconn *cn, const PGresult *r, int row, int col,
                          const unsigned char **out, size_t *n, struct rf_err *err);

/* Runs a statement expected to return at most one row, converting it with
 * conv; RF_ENOTFOUND ("<what> not found") when there is none. */
rf_status rf_pg_one_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                        void *out, const char *sql, const char *types, ...);

/* Streams the rows of a statement (single-row mode), converting each with
 * conv (the table's row reader) into rec, which read hands to fn (the list
 * operation's callback, with ud) and then frees. */
rf_status rf_pg_list(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                     void *rec, const struct rf_store_read *read, void *fn, void *ud,
                     const char *sql, const char *types, ...);

/* rf_pg_list with the results in binary form: no text to parse, BYTEA as
 * its bytes (not hex); conv reads the columns with rf_pg_bin_int,
 * rf_pg_bin_bytes, and PQgetvalue for text (NUL-terminated either way). */
rf_status rf_pg_list_binary(struct pg_store *s, struct rf_err *err, const char *what,
                            conv_fn conv, void *rec, const struct rf_store_read *read, void *fn,
                            void *ud, const char *sql, const char *types, ...);

/* An integer column (smallint, integer, bigint) of a binary result, or def
 * when it is NULL. */
int64_t rf_pg_bin_int(const PGresult *r, int row, int col, int64_t def);

/* A BYTEA column of a binary result, borrowed from r (n bytes); NULL for SQL NULL. */
const unsigned char *rf_pg_bin_bytes(const PGresult *r, int row, int col, size_t *n);

/* A statement without rows on a pooled connection. */
rf_status rf_pg_run1(struct pg_store *s, struct rf_err *err, const char *what, int64_t *changed,
                     const char *sql, const char *types, ...);

/* Row reader of a returned id (int64_t *out). */
rf_status rf_pg_id_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err);
/* Row 0 of "id, org_id, email, name, role, pw_hash" into a struct rf_user (pg_accounts.c). */
rf_status rf_pg_user_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err);

/* ---- pg_accounts.c: settings, organizations, users, sessions, candidates ---- */

void rf_pg_accounts_ops(struct rf_store_ops *ops);

/* ---- pg_tests.c: tests, answers (the group commit), item statistics ---- */

void rf_pg_tests_ops(struct rf_store_ops *ops);

/* ---- pg_postings.c: invites, ranking, postings and their edits, bank versions ---- */

void rf_pg_postings_ops(struct rf_store_ops *ops);

/* ---- pg_teams.c: teams, their members, readiness assessments ---- */

void rf_pg_teams_ops(struct rf_store_ops *ops);

/* ---- pg_limits.c: limits shared by the processes on the database ---- */

void rf_pg_limits_ops(struct rf_store_ops *ops);

/* ---- pg_review.c: bank revisions and the review queue (issue 19) ---- */

void rf_pg_review_ops(struct rf_store_ops *ops);

/* ---- pg_interviews.c: interviewer assignments, scorecards, accounts of an organization ---- */

void rf_pg_interviews_ops(struct rf_store_ops *ops);
/* ---- pg_groups.c: self-reported group membership (issue 19) ---- */

void rf_pg_groups_ops(struct rf_store_ops *ops);

#endif /* RF_STORE_PG_INT_H */
