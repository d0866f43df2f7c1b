/*
 * What the files of the SQLite backend share (store_sqlite.c, sqlite_accounts.c,
 * sqlite_tests.c, sqlite_postings.c), private to them: the store and its
 * connections, the statement helpers of store_sqlite.c and the operations of
 * each area, which store_sqlite.c's table of operations (backend.h) names.
 * The operations' contracts are store.h's.
 */
#ifndef RF_STORE_SQLITE_INT_H
#define RF_STORE_SQLITE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

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
    char *path;           /* the database file */
    struct conn w;        /* every write */
    struct conn r;        /* reads, when has_reader */
    int has_reader;
    int version;
    /* the group commit: answers queued in arrival order */
    pthread_mutex_t qmu;
    pthread_cond_t qcv;
    struct pending *qhead, **qtail;
    int committing; /* a caller is committing a batch */
};

struct cb {
    void *fn;
    void *ud;
};

/* ---- store_sqlite.c: statement helpers ---- */

/* Records the connection's last error. Errors of the disk or the system name
 * the database file and the cause ("disk full", "I/O error", with the
 * system's own error when there is one), so that the log says what to fix;
 * the others (constraints: a request's fault) name neither. */
rf_status rf_sq_dberr(struct conn *cn, struct rf_err *err, const char *what);

/* Runs SQL without results (statements of a fixed text: transactions,
 * pragmas, migrations); what names it in errors. */
rf_status rf_sq_exec_what(struct conn *cn, const char *sql, const char *what, struct rf_err *err);

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

int64_t rf_sq_now_s(void);

/* Wall-clock milliseconds since the epoch. */
int64_t rf_sq_now_ms(void);

/* The write connection, locked. */
struct conn *rf_sq_wlock(struct sq_store *s);

/* The connection for reads, locked. */
struct conn *rf_sq_rlock(struct sq_store *s);

void rf_sq_unlock(struct conn *cn);

/* Steps a statement expected to return at most one row, converting it with fn. */
rf_status rf_sq_one_row(struct conn *cn, sqlite3_stmt *st, const char *what,
                        rf_status (*fn)(sqlite3_stmt *, void *, struct rf_err *), void *out,
                        struct rf_err *err);

rf_status rf_sq_text_fn(sqlite3_stmt *st, void *out, struct rf_err *err);

rf_status rf_sq_count_fn(sqlite3_stmt *st, void *out, struct rf_err *err);

/* Steps a multi-row statement, converting each row with conv into a record
 * that fn receives and clean frees. */
rf_status rf_sq_each_row(struct conn *cn, sqlite3_stmt *st, const char *what,
                         rf_status (*conv)(sqlite3_stmt *, void *, struct rf_err *), void *rec,
                         void (*clean)(void *), void (*fn)(void *, const void *), void *ud,
                         struct rf_err *err);

/* An integer column or def when it is NULL. */
int64_t rf_sq_col_int(sqlite3_stmt *st, int i, int64_t def);

/* ---- sqlite_accounts.c: settings, organizations, users, sessions, candidates ---- */

rf_status rf_sq_setting_get(struct rf_store *bs, const char *key, char **value, struct rf_err *err);

rf_status rf_sq_setting_set(struct rf_store *bs, const char *key, const char *value,
                            struct rf_err *err);

rf_status rf_sq_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                             const char *value, struct rf_err *err);

rf_status rf_sq_org_create(struct rf_store *bs, const char *name, int64_t *id, struct rf_err *err);

rf_status rf_sq_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                            const char *name, const char *role, const char *pw_hash, int64_t *id,
                            struct rf_err *err);

rf_status rf_sq_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err);

rf_status rf_sq_user_by_email(struct rf_store *bs, const char *email, struct rf_user *u,
                              struct rf_err *err);

rf_status rf_sq_user_get(struct rf_store *bs, int64_t id, struct rf_user *u, struct rf_err *err);

rf_status rf_sq_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err);

rf_status rf_sq_auth_create(struct rf_store *bs, const char *token_hash, const struct rf_auth *a,
                            struct rf_err *err);

rf_status rf_sq_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                         struct rf_auth *a, struct rf_err *err);

rf_status rf_sq_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err);

rf_status rf_sq_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                 const char *email, int64_t *id, struct rf_err *err);

rf_status rf_sq_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                              struct rf_err *err);

/* ---- sqlite_tests.c: tests, answers (the group commit), item statistics ---- */

rf_status rf_sq_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                            struct rf_err *err);

rf_status rf_sq_test_get(struct rf_store *bs, int64_t id, struct rf_test *t, struct rf_err *err);

rf_status rf_sq_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                               struct rf_err *err);

rf_status rf_sq_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                               const struct rf_answer_signals *sig, const char *new_state,
                               const char *profile, const unsigned char *packed, size_t npacked,
                               struct rf_err *err);

rf_status rf_sq_answers_list(struct rf_store *bs, int64_t test_id,
                             void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                             struct rf_err *err);

rf_status rf_sq_answers_signals(struct rf_store *bs, int64_t test_id,
                                void (*fn)(void *ud, const struct rf_answer *a,
                                           const struct rf_answer_signals *sig),
                                void *ud, struct rf_err *err);

rf_status rf_sq_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                           void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                           struct rf_err *err);

rf_status rf_sq_item_stats(struct rf_store *bs, const char *item_id,
                           struct rf_store_item_stats *out, struct rf_err *err);

rf_status rf_sq_tests_finished(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_test *t), void *ud,
                               struct rf_err *err);

rf_status rf_sq_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                 unsigned char *const *packed, const size_t *npacked,
                                 struct rf_err *err);

/* ---- sqlite_postings.c: invites, ranking, postings and their edits, bank versions ---- */

rf_status rf_sq_invite_create(struct rf_store *bs, const char *token_hash,
                              const struct rf_invite *v, int64_t *id, struct rf_err *err);

rf_status rf_sq_invite_by_token(struct rf_store *bs, const char *token_hash, struct rf_invite *v,
                                struct rf_err *err);

rf_status rf_sq_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                           struct rf_err *err);

rf_status rf_sq_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                             struct rf_err *err);

rf_status rf_sq_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                               struct rf_err *err);

rf_status rf_sq_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                  struct rf_err *err);

rf_status rf_sq_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok, int64_t now,
                                     struct rf_err *err);

rf_status rf_sq_invites_list(struct rf_store *bs, int64_t org_id,
                             void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                             struct rf_err *err);

rf_status rf_sq_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                             void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                             struct rf_err *err);

rf_status rf_sq_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                               struct rf_err *err);

rf_status rf_sq_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                            struct rf_err *err);

rf_status rf_sq_postings_list(struct rf_store *bs, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                              struct rf_err *err);

rf_status rf_sq_posting_edit(struct rf_store *bs, const char *parsed,
                             const struct rf_posting_edit *e, int64_t *id, struct rf_err *err);

rf_status rf_sq_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                   void (*fn)(void *ud, const struct rf_posting_edit *e), void *ud,
                                   struct rf_err *err);

rf_status rf_sq_bank_version(struct rf_store *bs, const char *hash, int64_t nitems, int64_t *id,
                             struct rf_err *err);

#endif /* RF_STORE_SQLITE_INT_H */
