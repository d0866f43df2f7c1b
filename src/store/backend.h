/*
 * What a backend of the store provides (store.h is the interface its users
 * see): a table of functions, one per operation of store.h, with the same
 * contracts. store.c opens the backend a URL names and forwards each call to
 * it. A backend's own store embeds struct rf_store as its first member.
 */
#ifndef RF_STORE_BACKEND_H
#define RF_STORE_BACKEND_H

#include "store/groups.h"
#include "store/store.h"

/* A table as `rolefit db export` and `import` move it (dump.c lists them). */
struct rf_store_table {
    const char *name;
    const char *order; /* its key columns, the order of its rows */
    int text_key;      /* the key is text: rows ordered by its bytes */
    int identity;      /* its id column is generated */
};

/* One value of a raw row. */
enum { RF_STORE_VAL_NULL, RF_STORE_VAL_INT, RF_STORE_VAL_TEXT, RF_STORE_VAL_BLOB };
struct rf_store_value {
    int kind;
    int64_t i;     /* RF_STORE_VAL_INT */
    const char *p; /* RF_STORE_VAL_TEXT (NUL-terminated) and RF_STORE_VAL_BLOB */
    size_t n;      /* bytes at p */
};

/* rows_each's callback: one row of table (tables[k].name, the same pointer);
 * everything borrowed for the call. Non-zero stops the reading. */
typedef int (*rf_store_row_fn)(void *ud, const char *table, size_t ncol, const char *const *names,
                               const struct rf_store_value *vals);
/* rows_load's source: 1 with the next row (table one of tables[k].name; all
 * valid until the next call), 0 at the end, -1 to stop (nothing stored). */
typedef int (*rf_store_next_fn)(void *ud, const char **table, size_t *ncol,
                                const char *const **names, const struct rf_store_value **vals);

struct rf_store_ops {
    void (*close)(struct rf_store *s);
    int (*schema_version)(struct rf_store *s);
    rf_status (*setting_get)(struct rf_store *s, const char *key, char **value,
                             struct rf_err *err);
    rf_status (*setting_set)(struct rf_store *s, const char *key, const char *value,
                             struct rf_err *err);
    rf_status (*setting_swap)(struct rf_store *s, const char *key, const char *expected,
                              const char *value, struct rf_err *err);
    rf_status (*org_create)(struct rf_store *s, const char *name, int64_t *id,
                            struct rf_err *err);
    rf_status (*user_create)(struct rf_store *s, int64_t org_id, const char *email,
                             const char *name, const char *role, const char *pw_hash,
                             int64_t *id, struct rf_err *err);
    rf_status (*user_by_email)(struct rf_store *s, int64_t org_id, const char *email,
                               struct rf_user *u, struct rf_err *err);
    rf_status (*user_get)(struct rf_store *s, int64_t id, struct rf_user *u, struct rf_err *err);
    rf_status (*user_count)(struct rf_store *s, int64_t *n, struct rf_err *err);
    rf_status (*auth_create)(struct rf_store *s, const char *token_hash, const struct rf_auth *a,
                             struct rf_err *err);
    rf_status (*auth_get)(struct rf_store *s, const char *token_hash, int64_t now,
                          struct rf_auth *a, struct rf_err *err);
    rf_status (*auth_delete)(struct rf_store *s, const char *token_hash, struct rf_err *err);
    rf_status (*candidate_create)(struct rf_store *s, int64_t org_id, const char *name,
                                  const char *email, int64_t *id, struct rf_err *err);
    rf_status (*candidate_get)(struct rf_store *s, int64_t id, struct rf_candidate *c,
                               struct rf_err *err);
    rf_status (*invite_create)(struct rf_store *s, const char *token_hash,
                               const struct rf_invite *v, int64_t *id, struct rf_err *err);
    rf_status (*invite_by_token)(struct rf_store *s, const char *token_hash, struct rf_invite *v,
                                 struct rf_err *err);
    rf_status (*invite_get)(struct rf_store *s, int64_t id, struct rf_invite *v,
                            struct rf_err *err);
    rf_status (*invite_claim)(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                              struct rf_err *err);
    rf_status (*invite_unclaim)(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                                struct rf_err *err);
    rf_status (*invites_list)(struct rf_store *s, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                              struct rf_err *err);
    rf_status (*test_create)(struct rf_store *s, const struct rf_test *t, int64_t *id,
                             struct rf_err *err);
    rf_status (*test_get)(struct rf_store *s, int64_t id, struct rf_test *t, struct rf_err *err);
    rf_status (*test_by_invite)(struct rf_store *s, int64_t invite_id, struct rf_test *t,
                                struct rf_err *err);
    rf_status (*answer_signals)(struct rf_store *s, const struct rf_answer *a,
                                const struct rf_answer_signals *sig, const char *session,
                                int64_t session_now, const char *new_state, const char *profile,
                                const unsigned char *packed, size_t npacked, struct rf_err *err);
    rf_status (*answers_list)(struct rf_store *s, int64_t test_id,
                              void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                              struct rf_err *err);
    rf_status (*answers_signals)(struct rf_store *s, int64_t test_id,
                                 void (*fn)(void *ud, const struct rf_answer *a,
                                            const struct rf_answer_signals *sig),
                                 void *ud, struct rf_err *err);
    rf_status (*item_stats)(struct rf_store *s, const char *item_id,
                            struct rf_store_item_stats *out, struct rf_err *err);
    rf_status (*item_answer_counts)(struct rf_store *s, size_t n, const char *const *item_ids,
                                    int64_t *counts, struct rf_err *err);
    rf_status (*item_wrong)(struct rf_store *s, const char *item_id, size_t max,
                            void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                            struct rf_err *err);
    rf_status (*tests_finished)(struct rf_store *s, int64_t org_id,
                                void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                struct rf_err *err);
    rf_status (*tests_ranked)(struct rf_store *s, int64_t org_id, int64_t posting_id,
                              int64_t fit_posting, int64_t fit_key, size_t fit_size,
                              void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                              struct rf_err *err);
    rf_status (*test_fits_put)(struct rf_store *s, int64_t posting_id, int64_t fit_key, size_t n,
                               const int64_t *ids, const int64_t *finished, size_t size,
                               const unsigned char *summaries, struct rf_err *err);
    rf_status (*tests_set_packed)(struct rf_store *s, size_t n, const int64_t *ids,
                                  unsigned char *const *packed, const size_t *npacked,
                                  struct rf_err *err);
    rf_status (*posting_create)(struct rf_store *s, const struct rf_posting *p, int64_t *id,
                                struct rf_err *err);
    rf_status (*posting_get)(struct rf_store *s, int64_t id, struct rf_posting *p,
                             struct rf_err *err);
    rf_status (*postings_list)(struct rf_store *s, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                               struct rf_err *err);
    /* issue 15: organizations' names, resume codes, posting edits */
    rf_status (*org_name)(struct rf_store *s, int64_t id, char **name, struct rf_err *err);
    /* issue 21: accounts per organization */
    /* the organization named (RF_ENOTFOUND when none); name NULL: the count
     * of organizations in *n and, when there are some, the lowest id */
    rf_status (*org_find)(struct rf_store *s, const char *name, int64_t *id, int64_t *n,
                          struct rf_err *err);
    rf_status (*invite_set_resume)(struct rf_store *s, int64_t invite_id, const char *hash,
                                   struct rf_err *err);
    rf_status (*invite_resume_result)(struct rf_store *s, int64_t invite_id, int ok, int64_t now,
                                      struct rf_err *err);
    rf_status (*posting_edit)(struct rf_store *s, const char *parsed,
                              const struct rf_posting_edit *e, int64_t *id, struct rf_err *err);
    rf_status (*posting_edits_list)(struct rf_store *s, int64_t posting_id,
                                    void (*fn)(void *ud, const struct rf_posting_edit *e),
                                    void *ud, struct rf_err *err);
    rf_status (*bank_version)(struct rf_store *s, const char *hash, int64_t nitems, int64_t *id,
                              struct rf_err *err);
    /* issue 18: teams, their members and readiness assessments */
    rf_status (*team_create)(struct rf_store *s, const struct rf_team *t, int64_t *id,
                             struct rf_err *err);
    rf_status (*team_get)(struct rf_store *s, int64_t id, struct rf_team *t, struct rf_err *err);
    rf_status (*teams_list)(struct rf_store *s, int64_t org_id,
                            void (*fn)(void *ud, const struct rf_team *t), void *ud,
                            struct rf_err *err);
    rf_status (*team_member_add)(struct rf_store *s, int64_t team_id, int64_t invite_id,
                                 int64_t *id, struct rf_err *err);
    rf_status (*team_member_invite)(struct rf_store *s, int64_t team_id, const char *token_hash,
                                    const struct rf_invite *v, int64_t *invite_id,
                                    int64_t *member_id, struct rf_err *err);
    rf_status (*team_members_list)(struct rf_store *s, int64_t team_id,
                                   void (*fn)(void *ud, const struct rf_team_member *m), void *ud,
                                   struct rf_err *err);
    rf_status (*team_member_by_invite)(struct rf_store *s, int64_t invite_id,
                                       struct rf_team_member *m, struct rf_err *err);
    rf_status (*team_member_share)(struct rf_store *s, int64_t id, int shared, int64_t now,
                                   struct rf_err *err);
    rf_status (*team_assessment_add)(struct rf_store *s, const struct rf_team_assessment *a,
                                     int64_t *id, struct rf_err *err);
    rf_status (*team_assessments_list)(struct rf_store *s, int64_t team_id,
                                       void (*fn)(void *ud, const struct rf_team_assessment *a),
                                       void *ud, struct rf_err *err);

    /* issue 19: bank revisions and the review queue */
    rf_status (*bank_revision_active)(struct rf_store *s, int64_t *id, struct rf_err *err);
    rf_status (*bank_revision_add)(struct rf_store *s, const struct rf_bank_revision *r,
                                   const struct rf_review_decision *d, int64_t *id,
                                   struct rf_err *err);
    rf_status (*bank_revision_activate)(struct rf_store *s, int64_t expected,
                                        const struct rf_review_decision *d, struct rf_err *err);
    rf_status (*bank_revision_get)(struct rf_store *s, int64_t id, struct rf_bank_revision *r,
                                   struct rf_err *err);
    rf_status (*bank_revisions_list)(struct rf_store *s,
                                     void (*fn)(void *ud, const struct rf_bank_revision *r),
                                     void *ud, struct rf_err *err);
    rf_status (*review_decision_add)(struct rf_store *s, const struct rf_review_decision *d,
                                     int64_t *id, struct rf_err *err);
    rf_status (*review_decisions_list)(struct rf_store *s,
                                       void (*fn)(void *ud, const struct rf_review_decision *d),
                                       void *ud, struct rf_err *err);
    rf_status (*review_run_add)(struct rf_store *s, const struct rf_review_run *r, int64_t *id,
                                struct rf_err *err);
    rf_status (*review_run_latest)(struct rf_store *s, const char *kind, struct rf_review_run *r,
                                   struct rf_err *err);

    /* issue 17: interviewer assignments and scorecards */
    rf_status (*assignment_add)(struct rf_store *s, const struct rf_assignment *a, int64_t *id,
                                struct rf_err *err);
    rf_status (*assignment_get)(struct rf_store *s, int64_t id, struct rf_assignment *a,
                                struct rf_err *err);
    rf_status (*assignments_list)(struct rf_store *s, int64_t org_id, int64_t invite_id,
                                  int64_t interviewer_id,
                                  void (*fn)(void *ud, const struct rf_assignment *a), void *ud,
                                  struct rf_err *err);
    rf_status (*scorecard_save)(struct rf_store *s, const struct rf_scorecard_save *w,
                                char state[16], struct rf_err *err);
    rf_status (*scorecard_edits_list)(struct rf_store *s, int64_t assignment_id,
                                      void (*fn)(void *ud, const struct rf_scorecard_edit *e),
                                      void *ud, struct rf_err *err);
    rf_status (*users_list)(struct rf_store *s, int64_t org_id,
                            void (*fn)(void *ud, const struct rf_user *u), void *ud,
                            struct rf_err *err);

    /* issue 20: limits shared by the processes on the store */
    rf_status (*limits_take)(struct rf_store *s, double now, int strict,
                             struct rf_store_take *v, size_t n, struct rf_err *err);
    rf_status (*counter)(struct rf_store *s, const char *key, int op, double now, int64_t *n,
                         double *at, struct rf_err *err);
    rf_status (*slot_take)(struct rf_store *s, const struct rf_store_slot_ask *q, int64_t *slot,
                           int *per_key, double *retry_after, struct rf_err *err);
    rf_status (*slots_update)(struct rf_store *s, const struct rf_store_slot_change *c, size_t n,
                              struct rf_err *err);
    /* issue 19: self-reported group membership (groups.h) */
    rf_status (*group_report_put)(struct rf_store *s, const struct rf_group_report *g,
                                  struct rf_err *err);
    rf_status (*group_report_get)(struct rf_store *s, int64_t candidate_id,
                                  struct rf_group_report *g, struct rf_err *err);
    rf_status (*group_report_delete)(struct rf_store *s, int64_t candidate_id, int *deleted,
                                     struct rf_err *err);
    rf_status (*group_reports_list)(struct rf_store *s, int64_t org_id,
                                    void (*fn)(void *ud, const struct rf_group_report *g),
                                    void *ud, struct rf_err *err);
    /* Every row of the tables, in their order and each table's key order,
     * read in one snapshot. */
    rf_status (*rows_each)(struct rf_store *s, const struct rf_store_table *tables, size_t n,
                           rf_store_row_fn fn, void *ud, struct rf_err *err);
    /* Inserts every row next gives, in one transaction, into a store whose
     * tables are all empty (RF_ECONFLICT naming a table that is not); then
     * moves generated ids past the rows inserted. */
    rf_status (*rows_load)(struct rf_store *s, const struct rf_store_table *tables, size_t n,
                           rf_store_next_fn next, void *ud, struct rf_err *err);
};

struct rf_store {
    const struct rf_store_ops *ops;
};

/* The rule of rf_store_slot_take for backends: given the slots held (all)
 * and key's (mine) and the seconds until the first of each frees, 1 when q's
 * key may take one; else 0 with *per_key and *retry_after set. */
int rf_store_slot_decide(const struct rf_store_slot_ask *q, int64_t all, int64_t mine,
                         double first_all, double first_mine, int *per_key,
                         double *retry_after);

/* The backends' open functions: path is a file path (no "sqlite:" prefix),
 * url a "postgres://" or "postgresql://" URL. */
rf_status rf_store_sqlite_open(const char *path, struct rf_store **out, struct rf_err *err);
rf_status rf_store_pg_open(const char *url, const struct rf_store_options *opt,
                           struct rf_store **out, struct rf_err *err);

#endif
