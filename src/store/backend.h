/*
 * What a backend of the store provides (store.h is the interface its users
 * see): a table of functions, one per operation of store.h, with the same
 * contracts. store.c opens the backend a URL names and forwards each call to
 * it. A backend's own store embeds struct rf_store as its first member.
 */
#ifndef RF_STORE_BACKEND_H
#define RF_STORE_BACKEND_H

#include "store/store.h"

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
    rf_status (*user_by_email)(struct rf_store *s, const char *email, struct rf_user *u,
                               struct rf_err *err);
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
                                const struct rf_answer_signals *sig, const char *new_state,
                                const char *profile, const unsigned char *packed,
                                size_t npacked, struct rf_err *err);
    rf_status (*answers_list)(struct rf_store *s, int64_t test_id,
                              void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                              struct rf_err *err);
    rf_status (*answers_signals)(struct rf_store *s, int64_t test_id,
                                 void (*fn)(void *ud, const struct rf_answer *a,
                                            const struct rf_answer_signals *sig),
                                 void *ud, struct rf_err *err);
    rf_status (*item_stats)(struct rf_store *s, const char *item_id,
                            struct rf_store_item_stats *out, struct rf_err *err);
    rf_status (*item_wrong)(struct rf_store *s, const char *item_id, size_t max,
                            void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                            struct rf_err *err);
    rf_status (*tests_finished)(struct rf_store *s, int64_t org_id,
                                void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                struct rf_err *err);
    rf_status (*tests_ranked)(struct rf_store *s, int64_t org_id, int64_t posting_id,
                              void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                              struct rf_err *err);
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
};

struct rf_store {
    const struct rf_store_ops *ops;
};

/* The backends' open functions: path is a file path (no "sqlite:" prefix),
 * url a "postgres://" or "postgresql://" URL. */
rf_status rf_store_sqlite_open(const char *path, struct rf_store **out, struct rf_err *err);
rf_status rf_store_pg_open(const char *url, const struct rf_store_options *opt,
                           struct rf_store **out, struct rf_err *err);

#endif
