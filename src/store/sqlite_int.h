/*
 * What the files of the SQLite backend share, private to them: the store and
 * its connections; the statements of sqlite_stmt.c, which the areas use
 * (sqlite_accounts.c, sqlite_tests.c, sqlite_postings.c); and each area's
 * part of the table of operations (backend.h), which store_sqlite.c fills in
 * when it opens a store. The operations' contracts are store.h's.
 */
#ifndef RF_STORE_SQLITE_INT_H
#define RF_STORE_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

#include "base/config.h"
#include "store/backend.h"
#include "store/lists.h"

#define NSTMT 160

/* One SQLite connection, used under its mutex, with its statement cache. */
struct sq_store;
struct conn {
    sqlite3 *db;
    const char *path; /* the database file, named in errors of the disk and the system */
    pthread_mutex_t mu;
    struct sq_store *pool; /* a reader of this store's pool (NULL: the writer) */
    int busy;              /* a reader taken (under the pool's mutex) */
    const char *sql[NSTMT];
    sqlite3_stmt *st[NSTMT];
    size_t nst;
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
    int tried; /* recorded in the batch's transaction (rc says how) */
    int done;  /* the batch is over: rc is final */
    struct pending *next;
    pthread_cond_t cv; /* its owner waits on it: woken when done, or to commit next */
};

struct sq_store {
    struct rf_store base;    /* first: the store's functions (backend.h) */
    struct rf_store_ops ops; /* base.ops: filled in by the files of each area */
    char *path;              /* the database file */
    struct conn w;           /* every write */
    /* reads, when nreaders > 0 (WAL): each taken whole by one read, so that
     * a long read (a ranking) holds one while the others serve the rest */
    struct conn r[RF_SQLITE_READERS];
    size_t nreaders;
    pthread_mutex_t rmu;
    pthread_cond_t rcv;
    int version;
    /* the group commit: answers queued in arrival order */
    pthread_mutex_t qmu;
    struct pending *qhead, **qtail;
    int committing; /* a caller is committing a batch */
    /* checkpoints (WAL), off the commit path: the writer's commits wake a
     * thread that copies the WAL into the database on its own connection */
    struct conn ck;
    pthread_t ckthread;
    int ckstarted, ckwanted, ckstop;
    pthread_mutex_t ckmu;
    pthread_cond_t ckcv;
};

/* ---- sqlite_stmt.c: statements, errors, locks ---- */

/* Records the connection's last error. Errors of the disk or the system name
 * the database file and the cause ("disk full", "I/O error", with the
 * system's own error when there is one), so that the log says what to fix;
 * the others (constraints: a request's fault) name neither. */
rf_status rf_sq_dberr(struct conn *cn, struct rf_err *err, const char *what);

/* Runs SQL without results (statements of a fixed text: transactions,
 * pragmas, migrations); what names it in errors. */
rf_status rf_sq_exec_what(struct conn *cn, const char *sql, const char *what, struct rf_err *err);

/* rf_sq_exec_what naming the SQL itself. */
rf_status rf_sq_exec(struct conn *cn, const char *sql, struct rf_err *err);

/* Prepares, binds and returns the statement ready to step (NULL on error). */
sqlite3_stmt *rf_sq_query(struct conn *cn, struct rf_err *err, const char *sql, const char *types,
                          ...);

/* Runs a statement that returns no rows. */
rf_status rf_sq_run(struct conn *cn, struct rf_err *err, const char *what, const char *sql,
                    const char *types, ...);

/* A copy of text column i, or NULL when it is SQL NULL. A value that is not
 * NULL but cannot be had (SQLite or the copy ran out of memory) also gives
 * NULL, and sets *oom: the two must not be taken for one another (a profile
 * lost to an allocation is not a test without a profile). */
char *rf_sq_col_text(sqlite3_stmt *st, int i, int *oom);

/* Seconds since the epoch. */
int64_t rf_sq_now_s(void);

/* Wall-clock milliseconds since the epoch. */
int64_t rf_sq_now_ms(void);

/* The write connection, locked. */
struct conn *rf_sq_wlock(struct sq_store *s);

/* A connection for reads, locked: a free reader of the pool (waiting for
 * one when all are taken), or the writer when there are none. */
struct conn *rf_sq_rlock(struct sq_store *s);

/* Unlocks a connection of rf_sq_wlock or rf_sq_rlock. */
void rf_sq_unlock(struct conn *cn);

/* The write connection, locked, in a transaction that will not sync
 * (synchronous=OFF until rf_sq_end_nosync: the next synced commit writes it
 * anyway); NULL (err set, naming what) when it cannot begin. */
struct conn *rf_sq_begin_nosync(struct sq_store *s, const char *what, struct rf_err *err);

/* Commits (rc OK) or rolls back a rf_sq_begin_nosync transaction, syncs
 * again from then on, unlocks; the first error. */
rf_status rf_sq_end_nosync(struct conn *cn, rf_status rc, const char *what, struct rf_err *err);

/* Steps a statement expected to return at most one row, converting it with fn. */
rf_status rf_sq_one_row(struct conn *cn, sqlite3_stmt *st, const char *what,
                        rf_status (*fn)(sqlite3_stmt *, void *, struct rf_err *), void *out,
                        struct rf_err *err);

/* rf_sq_one_row on the read connection for sql with its parameters bound by
 * types (rf_sq_query's). */
rf_status rf_sq_get(struct sq_store *s, struct rf_err *err, const char *what,
                    rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *out,
                    const char *sql, const char *types, ...);

/* Row readers of one column: a copy of its text (char **out; NULL for SQL
 * NULL), its integer (int64_t *out). */
rf_status rf_sq_text_fn(sqlite3_stmt *st, void *out, struct rf_err *err);
/* A row of "id, org_id, email, name, role, pw_hash" into a struct rf_user (sqlite_accounts.c). */
rf_status rf_sq_user_fn(sqlite3_stmt *st, void *out, struct rf_err *err);

rf_status rf_sq_count_fn(sqlite3_stmt *st, void *out, struct rf_err *err);

/* Reads the rows of a statement on the read connection, converting each
 * with conv (the table's row reader) into rec, which read hands to fn (the
 * list operation's callback, with ud) and then frees. */
rf_status rf_sq_list(struct sq_store *s, struct rf_err *err, const char *what,
                     rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *rec,
                     const struct rf_store_read *read, void *fn, void *ud, const char *sql,
                     const char *types, ...);

/* An integer column or def when it is NULL. */
int64_t rf_sq_col_int(sqlite3_stmt *st, int i, int64_t def);

/* ---- sqlite_accounts.c: settings, organizations, users, sessions, candidates ---- */

void rf_sq_accounts_ops(struct rf_store_ops *ops);

/* ---- sqlite_tests.c: tests, answers (the group commit), item statistics ---- */

void rf_sq_tests_ops(struct rf_store_ops *ops);

/* ---- sqlite_postings.c: invites, ranking, postings and their edits, bank versions ---- */

void rf_sq_postings_ops(struct rf_store_ops *ops);

/* ---- sqlite_teams.c: teams, their members, readiness assessments ---- */

void rf_sq_teams_ops(struct rf_store_ops *ops);

/* ---- sqlite_limits.c: limits shared by the processes on the database ---- */

void rf_sq_limits_ops(struct rf_store_ops *ops);

/* ---- sqlite_review.c: bank revisions and the review queue (issue 19) ---- */

void rf_sq_review_ops(struct rf_store_ops *ops);

/* ---- sqlite_interviews.c: interviewer assignments, scorecards, accounts of an organization ---- */

void rf_sq_interviews_ops(struct rf_store_ops *ops);
/* ---- sqlite_groups.c: self-reported group membership (issue 19) ---- */

void rf_sq_groups_ops(struct rf_store_ops *ops);

#endif /* RF_STORE_SQLITE_INT_H */
