/*
 * What the files of the PostgreSQL backend share (store_pg.c, pg_accounts.c,
 * pg_tests.c, pg_postings.c), private to them: the store, its pool and
 * connections, the statement helpers of store_pg.c and the operations of each
 * area, which store_pg.c's table of operations (backend.h) names. The
 * operations' contracts are store.h's.
 */
#ifndef RF_STORE_PG_INT_H
#define RF_STORE_PG_INT_H

#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>

#include "store/backend.h"

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

struct cb {
    void *fn;
    void *ud;
};

/* ---- store_pg.c: the pool and the statement helpers ---- */

struct pg_store *rf_pg_of(struct rf_store *bs);

int64_t rf_pg_now_s(void);

int64_t rf_pg_now_ms(void);

/* Records an error of a statement (r, or the connection when r is NULL).
 * Constraint violations (a request's fault) name neither the server nor its
 * message's details; errors of the server, the network or the disk name
 * the server, so that the log says what to look at. */
rf_status rf_pg_pgerr(struct pg_store *s, struct pconn *cn, const PGresult *r, struct rf_err *err,
                      const char *what);

/* Takes a connection from the pool, waiting for one when all are in use;
 * opens it if needed. NULL (err set) when the server cannot be reached. */
struct pconn *rf_pg_acquire(struct pg_store *s, struct rf_err *err);

void rf_pg_release(struct pg_store *s, struct pconn *cn);

void rf_pg_bindp(struct params *p, const char *types, ...);

/* The name of sql's prepared statement on cn, preparing it the first time. */
rf_status rf_pg_prepared(struct pg_store *s, struct pconn *cn, const char *sql, int nparams,
                         char name[16], struct rf_err *err);

/* Runs a statement without rows; *changed (may be NULL) gets the rows it changed. */
rf_status rf_pg_run(struct pg_store *s, struct pconn *cn, struct rf_err *err, const char *what,
                    int64_t *changed, const char *sql, const char *types, ...);

/* Runs fixed SQL (transactions, migrations: several statements allowed). */
rf_status rf_pg_exec(struct pg_store *s, struct pconn *cn, const char *sql, const char *what,
                     struct rf_err *err);

int64_t rf_pg_col_int(const PGresult *r, int row, int col, int64_t def);

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
 * conv into rec, calling fn with it and freeing it with clean. */
rf_status rf_pg_each_row(struct pg_store *s, struct rf_err *err, const char *what, conv_fn conv,
                         void *rec, void (*clean)(void *), void (*fn)(void *, const void *),
                         void *ud, const char *sql, const char *types, ...);

/* A statement without rows on a pooled connection. */
rf_status rf_pg_run1(struct pg_store *s, struct rf_err *err, const char *what, int64_t *changed,
                     const char *sql, const char *types, ...);

rf_status rf_pg_id_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err);

/* ---- pg_accounts.c: settings, organizations, users, sessions, candidates ---- */

rf_status rf_pg_setting_get(struct rf_store *bs, const char *key, char **value, struct rf_err *err);

rf_status rf_pg_setting_set(struct rf_store *bs, const char *key, const char *value,
                            struct rf_err *err);

rf_status rf_pg_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                             const char *value, struct rf_err *err);

rf_status rf_pg_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err);

rf_status rf_pg_org_create(struct rf_store *bs, const char *name, int64_t *id, struct rf_err *err);

rf_status rf_pg_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                            const char *name, const char *role, const char *pw_hash, int64_t *id,
                            struct rf_err *err);

rf_status rf_pg_user_by_email(struct rf_store *bs, const char *email, struct rf_user *u,
                              struct rf_err *err);

rf_status rf_pg_user_get(struct rf_store *bs, int64_t id, struct rf_user *u, struct rf_err *err);

rf_status rf_pg_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err);

rf_status rf_pg_auth_create(struct rf_store *bs, const char *token_hash, const struct rf_auth *a,
                            struct rf_err *err);

rf_status rf_pg_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                         struct rf_auth *a, struct rf_err *err);

rf_status rf_pg_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err);

rf_status rf_pg_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                 const char *email, int64_t *id, struct rf_err *err);

rf_status rf_pg_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                              struct rf_err *err);

/* ---- pg_tests.c: tests, answers (the group commit), item statistics ---- */

rf_status rf_pg_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                            struct rf_err *err);

rf_status rf_pg_test_get(struct rf_store *bs, int64_t id, struct rf_test *t, struct rf_err *err);

rf_status rf_pg_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                               struct rf_err *err);

rf_status rf_pg_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                               const struct rf_answer_signals *sig, const char *new_state,
                               const char *profile, const unsigned char *packed, size_t npacked,
                               struct rf_err *err);

rf_status rf_pg_answers_list(struct rf_store *bs, int64_t test_id,
                             void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                             struct rf_err *err);

rf_status rf_pg_answers_signals(struct rf_store *bs, int64_t test_id,
                                void (*fn)(void *ud, const struct rf_answer *a,
                                           const struct rf_answer_signals *sig),
                                void *ud, struct rf_err *err);

void rf_pg_nothing_clean(void *p);

rf_status rf_pg_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                           void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                           struct rf_err *err);

rf_status rf_pg_item_stats(struct rf_store *bs, const char *item_id,
                           struct rf_store_item_stats *out, struct rf_err *err);

rf_status rf_pg_tests_finished(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_test *t), void *ud,
                               struct rf_err *err);

rf_status rf_pg_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                 unsigned char *const *packed, const size_t *npacked,
                                 struct rf_err *err);

/* ---- pg_postings.c: invites, ranking, postings and their edits, bank versions ---- */

rf_status rf_pg_invite_create(struct rf_store *bs, const char *token_hash,
                              const struct rf_invite *v, int64_t *id, struct rf_err *err);

rf_status rf_pg_invite_by_token(struct rf_store *bs, const char *token_hash, struct rf_invite *v,
                                struct rf_err *err);

rf_status rf_pg_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                           struct rf_err *err);

rf_status rf_pg_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                             struct rf_err *err);

rf_status rf_pg_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                               struct rf_err *err);

rf_status rf_pg_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                  struct rf_err *err);

rf_status rf_pg_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok, int64_t now,
                                     struct rf_err *err);

rf_status rf_pg_invites_list(struct rf_store *bs, int64_t org_id,
                             void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                             struct rf_err *err);

rf_status rf_pg_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                             void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                             struct rf_err *err);

rf_status rf_pg_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                               struct rf_err *err);

rf_status rf_pg_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                            struct rf_err *err);

rf_status rf_pg_postings_list(struct rf_store *bs, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                              struct rf_err *err);

/* The posting's new parse and the edit's row in one statement (atomic): no
 * posting, no row. */
rf_status rf_pg_posting_edit(struct rf_store *bs, const char *parsed,
                             const struct rf_posting_edit *e, int64_t *id, struct rf_err *err);

rf_status rf_pg_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                   void (*fn)(void *ud, const struct rf_posting_edit *e), void *ud,
                                   struct rf_err *err);

rf_status rf_pg_bank_version(struct rf_store *bs, const char *hash, int64_t nitems, int64_t *id,
                             struct rf_err *err);

#endif /* RF_STORE_PG_INT_H */
