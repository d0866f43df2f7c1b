/*
 * The one storage interface of rolefit: organizations, accounts, login
 * sessions, candidates, invites, adaptive test sessions with their answers,
 * postings, bank versions and settings. Two backends behind the same
 * functions (backend.h): SQLite (store_sqlite.c, schema in sqlite_schema.c),
 * the embedded default, and PostgreSQL (store_pg.c, schema in pg_schema.c)
 * for many processes on one database. Every line of SQL lives in those files.
 *
 * Durability: rf_store_answer commits the answer and the new session state in
 * one transaction (SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous
 * commit) before it returns, so an answer
 * acknowledged to a client survives a crash. Answers arriving together from
 * many threads share one transaction and one sync (group commit), each still
 * returning only once its transaction has committed. Concurrent answers to
 * the same session are serialized by an expected-count check (RF_ECONFLICT).
 *
 * Thread safety: a store may be used from many threads; writes are serialized
 * internally, and reads see the last committed state without waiting for a
 * commit in progress. Strings returned in records are owned by the record and freed
 * by the matching rf_store_*_cleanup. Error messages go to the caller's
 * struct rf_err, never to global state.
 */
#ifndef RF_STORE_H
#define RF_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct rf_store;

/* How a store is opened beyond its URL. */
struct rf_store_options {
    size_t pool; /* PostgreSQL: connections kept open (0: RF_STORE_PG_POOL); SQLite: unused */
};

/* Opens (creating and migrating when needed) the store named by url: a file
 * path or "sqlite:PATH", or a PostgreSQL URL "postgres://USER:PASSWORD@HOST:PORT/DB?..."
 * (or "postgresql://"; libpq's URI syntax, its parameters included). A
 * PostgreSQL server that cannot be reached, or refuses the connection, is
 * RF_EDB with one line naming the host, port and database, never the
 * password. Migrations run under an advisory lock there, so processes that
 * start together apply each one once. */
rf_status rf_store_open(const char *url, struct rf_store **out, struct rf_err *err);
rf_status rf_store_open_opts(const char *url, const struct rf_store_options *opt,
                             struct rf_store **out, struct rf_err *err);
void rf_store_close(struct rf_store *s);

/* Is url a PostgreSQL URL? */
int rf_store_is_pg_url(const char *url);
/* url with its password, if any, replaced by "***", for logs and messages
 * (truncated to fit n bytes). */
void rf_store_url_redacted(const char *url, char *buf, size_t n);

/* Schema version after migrations. */
int rf_store_schema_version(struct rf_store *s);

/* ---- settings (small key/value strings) ---- */
/* *value is malloc'd (caller frees) or NULL when the key is absent. */
rf_status rf_store_setting_get(struct rf_store *s, const char *key, char **value,
                               struct rf_err *err);
rf_status rf_store_setting_set(struct rf_store *s, const char *key, const char *value,
                               struct rf_err *err);

/* Sets key to value only if it currently holds expected (atomically);
 * RF_ECONFLICT when it does not. */
rf_status rf_store_setting_swap(struct rf_store *s, const char *key, const char *expected,
                                const char *value, struct rf_err *err);

/* ---- organizations and users ---- */
struct rf_user {
    int64_t id, org_id;
    char *email, *name, *role, *pw_hash; /* role: "admin", "recruiter" or "interviewer" */
};
void rf_store_user_cleanup(struct rf_user *u);

/* The organization's name (*name malloc'd; RF_ENOTFOUND when none). */
rf_status rf_store_org_name(struct rf_store *s, int64_t id, char **name, struct rf_err *err);
/* Names are unique (case-insensitively): RF_ECONFLICT if taken. */
rf_status rf_store_org_create(struct rf_store *s, const char *name, int64_t *id,
                              struct rf_err *err);
/* The organization named name (case-insensitively), or with name NULL the
 * only one: RF_ENOTFOUND when there is none, and, with name NULL,
 * RF_ECONFLICT when there are two or more. */
rf_status rf_store_org_find(struct rf_store *s, const char *name, int64_t *id,
                            struct rf_err *err);
/* An address is unique (case-insensitively) within its organization:
 * RF_ECONFLICT if taken there; other organizations may have it too. */
rf_status rf_store_user_create(struct rf_store *s, int64_t org_id, const char *email,
                               const char *name, const char *role, const char *pw_hash,
                               int64_t *id, struct rf_err *err);
/* The first organization (the lowest id: the one made at setup); RF_ENOTFOUND
 * when there is none. */
rf_status rf_store_org_first(struct rf_store *s, int64_t *id, struct rf_err *err);
/* The account of organization org_id with this address (case-insensitively). */
rf_status rf_store_user_by_email(struct rf_store *s, int64_t org_id, const char *email,
                                 struct rf_user *u, struct rf_err *err);
rf_status rf_store_user_get(struct rf_store *s, int64_t id, struct rf_user *u,
                            struct rf_err *err);
rf_status rf_store_user_count(struct rf_store *s, int64_t *n, struct rf_err *err);

/* ---- login sessions (cookies): only token hashes are stored ---- */
struct rf_auth {
    int64_t user_id;      /* 0 for a candidate session */
    int64_t candidate_id; /* 0 for a staff session */
    char *csrf;
    int64_t expires;      /* unix seconds */
    /* Filled by rf_store_auth_get from the session's owner in the same query
     * (one round trip a request): the organization (0: open practice) and,
     * for staff, the account's role ("candidate" for a candidate). */
    int64_t org_id;
    char *role;
};
void rf_store_auth_cleanup(struct rf_auth *a);
rf_status rf_store_auth_create(struct rf_store *s, const char *token_hash,
                               const struct rf_auth *a, struct rf_err *err);
/* RF_ENOTFOUND when absent, expired at time now, or its account or
 * candidate is gone. */
rf_status rf_store_auth_get(struct rf_store *s, const char *token_hash, int64_t now,
                            struct rf_auth *a, struct rf_err *err);
rf_status rf_store_auth_delete(struct rf_store *s, const char *token_hash, struct rf_err *err);

/* ---- candidates ---- */
struct rf_candidate {
    int64_t id, org_id; /* org 0: open practice */
    char *name, *email; /* may be NULL */
    int64_t created;
};
void rf_store_candidate_cleanup(struct rf_candidate *c);
rf_status rf_store_candidate_create(struct rf_store *s, int64_t org_id, const char *name,
                                    const char *email, int64_t *id, struct rf_err *err);
rf_status rf_store_candidate_get(struct rf_store *s, int64_t id, struct rf_candidate *c,
                                 struct rf_err *err);

/* ---- invites: single use per candidate ---- */
struct rf_invite {
    int64_t id, org_id, posting_id, created_by, candidate_id; /* candidate 0 until claimed */
    char *role, *label; /* target role id (may be NULL), free text for the recruiter */
    int64_t created, expires;
    int64_t topup_of; /* a top-up: the finished test it adds to (0: none) */
    char *skills;     /* a top-up's skills, a JSON array of ids (NULL: none) */
    char *resume_hash; /* hash of the resume code (set when its test starts), or NULL */
    int64_t resume_fails, resume_fail_at; /* wrong resume codes: count, last time (unix s) */
};
void rf_store_invite_cleanup(struct rf_invite *v);
rf_status rf_store_invite_create(struct rf_store *s, const char *token_hash,
                                 const struct rf_invite *v, int64_t *id, struct rf_err *err);
rf_status rf_store_invite_by_token(struct rf_store *s, const char *token_hash,
                                   struct rf_invite *v, struct rf_err *err);
/* The invite with that id (RF_ENOTFOUND when none). */
rf_status rf_store_invite_get(struct rf_store *s, int64_t id, struct rf_invite *v,
                              struct rf_err *err);
/* Binds the invite to a candidate; RF_ECONFLICT if already claimed. */
rf_status rf_store_invite_claim(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                                struct rf_err *err);
/* Undoes a claim made by candidate_id (when starting its test failed). */
rf_status rf_store_invite_unclaim(struct rf_store *s, int64_t invite_id, int64_t candidate_id,
                                  struct rf_err *err);
/* Sets the hash of the invite's resume code (and clears its wrong-code count). */
rf_status rf_store_invite_set_resume(struct rf_store *s, int64_t invite_id, const char *hash,
                                     struct rf_err *err);
/* Records a wrong resume code at time now (ok 0), or a right one (ok 1: the
 * count goes back to 0). Atomic, so that processes sharing the store share
 * the limit. */
rf_status rf_store_invite_resume_result(struct rf_store *s, int64_t invite_id, int ok, int64_t now,
                                        struct rf_err *err);
/* Calls fn for each invite of the organization, newest first. */
rf_status rf_store_invites_list(struct rf_store *s, int64_t org_id,
                                void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                struct rf_err *err);

/* ---- adaptive test sessions and answers ---- */
struct rf_test {
    int64_t id, candidate_id, org_id, posting_id, invite_id;
    char *scope;   /* JSON: what the session measures */
    char *state;   /* JSON: the serialized engine session */
    char *status;  /* "active" or "finished" */
    char *profile; /* JSON profile once finished, else NULL */
    int64_t answers; /* answers recorded */
    int64_t created, updated;
    int64_t served_ms; /* create only: when its first question is served, ms since the
                          epoch (0: now); response times are measured from it */
};
void rf_store_test_cleanup(struct rf_test *t);
rf_status rf_store_test_create(struct rf_store *s, const struct rf_test *t, int64_t *id,
                               struct rf_err *err);
rf_status rf_store_test_get(struct rf_store *s, int64_t id, struct rf_test *t,
                            struct rf_err *err);

/* The most recent test started from an invite (RF_ENOTFOUND when none). */
rf_status rf_store_test_by_invite(struct rf_store *s, int64_t invite_id, struct rf_test *t,
                                  struct rf_err *err);

struct rf_answer {
    int64_t test_id;
    int64_t seq;         /* 0-based position; must equal the test's answer count */
    const char *item_id; /* borrowed */
    int choice;           /* option index (mcq) or category (rubric); -1 for numeric and
                             multi answers, which response holds */
    int score;            /* scored category: 1 correct / 0 wrong for mcq and numeric,
                             0..keys for multi */
    int64_t at;
    const char *response; /* borrowed; the raw response in bank/answer.h's stored form,
                             or NULL (answers recorded before the response was kept:
                             choice is the option index) */
    int64_t served_ms;    /* 0, or the test's served_ms must equal it too: the served_ms
                             the writer's own previous write set (sig->at_ms), so that a
                             state the writer kept in memory is known to be the stored one
                             (server/sesscache.h) */
};
/* Atomically records the answer, replaces the session state and, when profile
 * is not NULL, stores it and sets status "finished". RF_ECONFLICT when the
 * test's answer count is not a->seq (a concurrent or replayed answer), its
 * served_ms is not a->served_ms (when that is nonzero), or the test is
 * finished; nothing is written then. The stored served_ms becomes the
 * answer's time in ms (sig->at_ms, else now). Durable on return. Concurrent
 * calls are committed together (in their order of arrival); the refusal or
 * failure of one leaves the others alone. Blocks for one sync to the disk. */
rf_status rf_store_answer(struct rf_store *s, const struct rf_answer *a, const char *new_state,
                          const char *profile, struct rf_err *err);
/* The same, keeping beside the profile its packed form (rf_profile_pack,
 * npacked bytes; ignored when profile is NULL), which ranking reads instead of
 * parsing the JSON. rf_store_answer stores none (NULL). */
rf_status rf_store_answer_packed(struct rf_store *s, const struct rf_answer *a,
                                 const char *new_state, const char *profile,
                                 const unsigned char *packed, size_t npacked, struct rf_err *err);
/* What the server and the candidate's browser record about how an answer
 * was given (schema 4; docs/integrity.md). Signals, never verdicts. */
struct rf_answer_signals {
    int64_t at_ms;     /* in: when the server received the answer, ms since the epoch (0:
                          now); the next question counts as served then */
    int64_t rt_ms;     /* out: ms from serving the question to receiving the answer, on the
                          server's clock; -1 when unknown (recorded before schema 4) */
    int focus;         /* 1: the browser reported the three below */
    int64_t blurs;     /* times the page lost focus while the question was shown */
    int64_t hidden;    /* times the page was hidden (tab switched, window minimized) */
    int64_t away_ms;   /* time without focus or hidden, ms (cut to rt_ms when stored) */
    int64_t client_ms; /* the browser's own time on the question, ms; -1 when not reported */
};

/* rf_store_answer_packed with the answer's signals (sig may be NULL: only
 * the server's response time is recorded, measured to now). The caller
 * bounds the browser's figures; the store keeps them as given. */
rf_status rf_store_answer_signals(struct rf_store *s, const struct rf_answer *a,
                                  const struct rf_answer_signals *sig, const char *new_state,
                                  const char *profile, const unsigned char *packed,
                                  size_t npacked, struct rf_err *err);

/* rf_store_answer_signals, stored only while the login session whose token
 * hash is session (auth.token_hash) exists, has not expired at time now (s)
 * and is a session of the test's candidate whose candidate still exists:
 * what rf_store_auth_get would find, checked in the answer's own write, so
 * that a server that remembers who a session is can answer without reading
 * it first. Otherwise RF_ECONFLICT and nothing stored, as for an answer that
 * is not the next (the caller tells the two apart by reading the session).
 * session NULL: no check (rf_store_answer_signals). */
rf_status rf_store_answer_session(struct rf_store *s, const struct rf_answer *a,
                                  const struct rf_answer_signals *sig, const char *session,
                                  int64_t now, const char *new_state, const char *profile,
                                  const unsigned char *packed, size_t npacked, struct rf_err *err);

/* Calls fn for each answer of a test in order. */
rf_status rf_store_answers_list(struct rf_store *s, int64_t test_id,
                                void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                struct rf_err *err);
/* The same, with each answer's signals (borrowed, valid during the call). */
rf_status rf_store_answers_signals(struct rf_store *s, int64_t test_id,
                                   void (*fn)(void *ud, const struct rf_answer *a,
                                              const struct rf_answer_signals *sig),
                                   void *ud, struct rf_err *err);

/* How many stored answers to an item have a server response time, and
 * their mean (ms). Reads the answers_item index: O(answers of the item). */
struct rf_store_item_stats {
    int64_t ntimed;
    double mean_rt_ms;
};
rf_status rf_store_item_stats(struct rf_store *s, const char *item_id,
                              struct rf_store_item_stats *out, struct rf_err *err);

/* How many answers to each of n items are stored in finished tests:
 * counts[i] for item_ids[i], 0 when none (pretest batches, cat/pretest.h).
 * Only a finished test's answers count, because only they reach online
 * calibration (server/pretest_data.h reads finished tests); an answer in a
 * test still running, or abandoned, does not (it is exposure, not data).
 * Reads the answers_item index and each answer's test: O(answers of the
 * items); one statement on PostgreSQL. On failure counts is untouched. */
rf_status rf_store_item_answer_counts(struct rf_store *s, size_t n, const char *const *item_ids,
                                      int64_t *counts, struct rf_err *err);

/* Calls fn for each distinct wrong response (score 0) to an item, in its
 * stored form (bank/answer.h; an answer from before schema 3: its option
 * index), with how many gave it: the max most frequent, most frequent first.
 * The read lock is held during the calls. O(answers of the item). */
rf_status rf_store_item_wrong(struct rf_store *s, const char *item_id, size_t max,
                              void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                              struct rf_err *err);

/* Calls fn for each finished test of an organization (org < 0: all), newest first. */
rf_status rf_store_tests_finished(struct rf_store *s, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                  struct rf_err *err);

/* What ranking reads of a finished test; every pointer is borrowed and valid
 * only during the callback. */
struct rf_store_ranked {
    int64_t id, candidate_id, posting_id, invite_id; /* 0 when absent */
    int64_t finished;             /* unix seconds of the last answer */
    const char *label;            /* the invite's label, or NULL */
    const unsigned char *summary; /* its kept fit to the posting asked for, or NULL */
    size_t nsummary;
    /* read only when there is no summary: */
    const unsigned char *packed;  /* the packed profile, or NULL (finished before schema 2) */
    size_t npacked;
    const char *profile;          /* the profile JSON, read only when packed is NULL */
};
/* Calls fn for each finished test of an organization, newest first; with
 * posting_id > 0 only the tests taken for that posting (from its invites).
 * A test whose fit to posting fit_posting was kept under fit_key
 * (rf_store_test_fits_put), fit_size bytes, comes with that summary instead
 * of its profile (fit_posting 0: none). Reads an index and the kept fits, and a test's
 * own row only when it has no summary. The store's read lock (a pooled
 * connection) is held during the calls: keep fn short. */
rf_status rf_store_tests_ranked(struct rf_store *s, int64_t org_id, int64_t posting_id,
                                int64_t fit_posting, int64_t fit_key, size_t fit_size,
                                void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                struct rf_err *err);

/* Keeps the fits of n finished tests to posting posting_id under fit_key:
 * test ids[i], finished at finished[i] (its rf_store_ranked.finished),
 * gets the summary at summaries + i * size. Replaces a kept one; skips a
 * test that is gone, not finished, or changed since (finished differs).
 * Derived data, written without a sync in transactions of
 * RF_RANK_FITS_CHUNK tests (a crash may forget the last ones: the next
 * ranking makes them again), never exported. */
rf_status rf_store_test_fits_put(struct rf_store *s, int64_t posting_id, int64_t fit_key,
                                 size_t n, const int64_t *ids, const int64_t *finished,
                                 size_t size, const unsigned char *summaries, struct rf_err *err);

/* Stores the packed profile of finished tests that have none: test ids[i]
 * gets packed[i] (npacked[i] bytes), and their kept fits are dropped (the
 * one change to a finished test's profile). One transaction; a test that
 * has one already, or is not finished, is left as it is. */
rf_status rf_store_tests_set_packed(struct rf_store *s, size_t n, const int64_t *ids,
                                    unsigned char *const *packed, const size_t *npacked,
                                    struct rf_err *err);

/* ---- postings ---- */
/* One correction of a posting's requirements (careers/posting_edit.h). */
struct rf_posting_edit {
    int64_t id, posting_id, user_id, at; /* at: unix seconds */
    char *user;    /* the editor's email, or NULL when the account is gone */
    char *summary; /* what changed, in words */
    char *before, *after; /* the requirements, JSON ({"required": [...], "preferred": [...]}) */
};
void rf_store_posting_edit_cleanup(struct rf_posting_edit *e);
/* Stores parsed as the posting's parse and records the edit e (its
 * posting_id, user_id, summary, before and after; id and at are set here),
 * in one transaction. RF_ENOTFOUND when the posting does not exist. */
rf_status rf_store_posting_edit(struct rf_store *s, const char *parsed,
                                const struct rf_posting_edit *e, int64_t *id, struct rf_err *err);
/* Calls fn for each edit of the posting, oldest first. */
rf_status rf_store_posting_edits_list(struct rf_store *s, int64_t posting_id,
                                      void (*fn)(void *ud, const struct rf_posting_edit *e),
                                      void *ud, struct rf_err *err);
struct rf_posting {
    int64_t id, org_id, created_by;
    char *title, *text, *parsed; /* parsed: JSON of the careers parser */
    int64_t created;
};
void rf_store_posting_cleanup(struct rf_posting *p);
rf_status rf_store_posting_create(struct rf_store *s, const struct rf_posting *p, int64_t *id,
                                  struct rf_err *err);
rf_status rf_store_posting_get(struct rf_store *s, int64_t id, struct rf_posting *p,
                               struct rf_err *err);
rf_status rf_store_postings_list(struct rf_store *s, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                 struct rf_err *err);

/* ---- teams (issue 18): members invited like candidates, readiness assessments ---- */
struct rf_team {
    int64_t id, org_id, created_by, created;
    char *name;
};
void rf_store_team_cleanup(struct rf_team *t);
rf_status rf_store_team_create(struct rf_store *s, const struct rf_team *t, int64_t *id,
                               struct rf_err *err);
/* RF_ENOTFOUND when there is none. */
rf_status rf_store_team_get(struct rf_store *s, int64_t id, struct rf_team *t,
                            struct rf_err *err);
/* Calls fn for each team of the organization, oldest first. */
rf_status rf_store_teams_list(struct rf_store *s, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_team *t), void *ud,
                              struct rf_err *err);

/* A member: an invite of the team's organization (its label and role read
 * from the invite) and whether the member shares their profile with the team. */
struct rf_team_member {
    int64_t id, team_id, invite_id, created;
    int shared;        /* the member shares the profile of their test with the team */
    int64_t shared_at; /* unix seconds of the last change of shared (0: never) */
    char *label, *role; /* the invite's (may be NULL; role NULL for a find-my-role test) */
    int64_t candidate_id; /* the invite's candidate, 0 until the link is used */
};
void rf_store_team_member_cleanup(struct rf_team_member *m);
/* The invite becomes a member of the team (once: RF_ECONFLICT for an invite
 * that is a member already). */
rf_status rf_store_team_member_add(struct rf_store *s, int64_t team_id, int64_t invite_id,
                                   int64_t *id, struct rf_err *err);
/* Creates invite v (as rf_store_invite_create, token_hash its token's hash)
 * and makes it a member of team_id, in one transaction: when either fails,
 * neither is stored. */
rf_status rf_store_team_member_invite(struct rf_store *s, int64_t team_id, const char *token_hash,
                                      const struct rf_invite *v, int64_t *invite_id,
                                      int64_t *member_id, struct rf_err *err);
/* Calls fn for each member of the team, in the order they were added. */
rf_status rf_store_team_members_list(struct rf_store *s, int64_t team_id,
                                     void (*fn)(void *ud, const struct rf_team_member *m),
                                     void *ud, struct rf_err *err);
/* The member of an invite; RF_ENOTFOUND when the invite is no team's. */
rf_status rf_store_team_member_by_invite(struct rf_store *s, int64_t invite_id,
                                         struct rf_team_member *m, struct rf_err *err);
/* Sets whether member id shares their profile, at time now (unix seconds). */
rf_status rf_store_team_member_share(struct rf_store *s, int64_t id, int shared, int64_t now,
                                     struct rf_err *err);

/* A readiness self-assessment (careers/readiness.h) of a team, dated. */
struct rf_team_assessment {
    int64_t id, team_id, created_by, created;
    char *date;   /* YYYY-MM-DD */
    char *scores; /* JSON object {"test_id": 0 | 0.5 | 1, ...}, checked by the caller */
};
void rf_store_team_assessment_cleanup(struct rf_team_assessment *a);
rf_status rf_store_team_assessment_add(struct rf_store *s, const struct rf_team_assessment *a,
                                       int64_t *id, struct rf_err *err);
/* Calls fn for each assessment of the team, by date, then in the order stored. */
rf_status rf_store_team_assessments_list(struct rf_store *s, int64_t team_id,
                                         void (*fn)(void *ud, const struct rf_team_assessment *a),
                                         void *ud, struct rf_err *err);

/* ---- interviews (issue 17; docs/interviews.md "Scorecards in the product") ----
 * An assignment puts an interviewer (an account of role "interviewer") on
 * one held round of a candidate (an invite of the organization): the round
 * is a round kit's or take-home's id, slot which holding of it (1..; a
 * research scientist's four research-design rounds are slots 1..4). Each
 * assignment has at most one scorecard, saved by its interviewer as a draft
 * any number of times, then submitted once: "submitted" is final, and when
 * every interviewer of that held round (invite, round, slot) has submitted
 * their scorecards are "locked" together. Every save is kept with its
 * author, its time and the content it replaced. The caller checks who may
 * do what; the store keeps the states' order. */
struct rf_assignment {
    int64_t id, org_id, invite_id, interviewer_id, created_by, created;
    char *round;
    int64_t slot;
    /* read only: the interviewer's name and address */
    char *interviewer, *email;
    /* read only, its scorecard: state NULL when none was saved yet */
    char *state;          /* "draft", "submitted" or "locked" */
    char *scores;         /* JSON object {"criterion": point, ...} */
    char *notes;          /* evidence notes */
    char *recommendation; /* may be NULL */
    int64_t updated, submitted; /* unix seconds (submitted 0: not yet) */
};
void rf_store_assignment_cleanup(struct rf_assignment *a);
/* Stores assignment a (its org_id, invite_id, round, slot, interviewer_id,
 * created_by); *id. RF_ECONFLICT when that interviewer has that held round
 * already, or the held round is locked (nothing stored then). */
rf_status rf_store_assignment_add(struct rf_store *s, const struct rf_assignment *a, int64_t *id,
                                  struct rf_err *err);
/* The assignment with its scorecard (RF_ENOTFOUND when none). */
rf_status rf_store_assignment_get(struct rf_store *s, int64_t id, struct rf_assignment *a,
                                  struct rf_err *err);
/* Calls fn for each assignment of the organization (with its scorecard),
 * of one invite (invite_id; 0: all) and one interviewer (interviewer_id; 0:
 * all), by invite, round, slot, then in the order made. */
rf_status rf_store_assignments_list(struct rf_store *s, int64_t org_id, int64_t invite_id,
                                    int64_t interviewer_id,
                                    void (*fn)(void *ud, const struct rf_assignment *a), void *ud,
                                    struct rf_err *err);

/* One save of a scorecard. */
struct rf_scorecard_save {
    int64_t assignment_id, user_id; /* user: who saves it (recorded in its history) */
    const char *scores, *notes, *recommendation; /* recommendation may be NULL */
    int submit; /* 1: submitted with this save (final) */
};
/* Saves the assignment's scorecard as a draft or, with submit, submits it;
 * records the save in its history (author, time, the content replaced) and,
 * when this submission completes its held round, locks the round's
 * scorecards; one transaction. *state (may be NULL) gets the state after:
 * "draft", "submitted" or "locked". RF_ECONFLICT when the scorecard is
 * submitted already, RF_ENOTFOUND when the assignment does not exist:
 * nothing stored then. */
rf_status rf_store_scorecard_save(struct rf_store *s, const struct rf_scorecard_save *w,
                                  char state[16], struct rf_err *err);

/* A save of a scorecard as its history keeps it: who (user: the address,
 * NULL when the account is gone), when, "save" or "submit", and the content
 * it replaced (state NULL, with scores, notes and recommendation, when the
 * scorecard had none before). */
struct rf_scorecard_edit {
    int64_t id, assignment_id, user_id, at;
    char *user, *action;
    char *state, *scores, *notes, *recommendation;
};
void rf_store_scorecard_edit_cleanup(struct rf_scorecard_edit *e);
/* Calls fn for each save of the assignment's scorecard, oldest first. */
rf_status rf_store_scorecard_edits_list(struct rf_store *s, int64_t assignment_id,
                                        void (*fn)(void *ud, const struct rf_scorecard_edit *e),
                                        void *ud, struct rf_err *err);

/* Calls fn for each account of the organization, oldest first (pw_hash
 * included: the caller never shows it). */
rf_status rf_store_users_list(struct rf_store *s, int64_t org_id,
                              void (*fn)(void *ud, const struct rf_user *u), void *ud,
                              struct rf_err *err);

/* ---- bank versions ---- */
/* Records the bank loaded at start (content hash, item count) if new; *id is its row. */
rf_status rf_store_bank_version(struct rf_store *s, const char *hash, int64_t nitems, int64_t *id,
                                struct rf_err *err);

/* ---- bank revisions and the review queue (issue 19; docs/calibration.md
 * "Review and bank versions") ----
 * A revision is the bank file plus overlay (JSON, every change since the
 * file: pools, parameters, retirements), made from revision parent. Ids are
 * 1, 2, ...; 0 is the bank file alone. Exactly one is active. */
struct rf_bank_revision {
    int64_t id, parent, created_by, created;
    char *overlay, *summary;
};
void rf_store_bank_revision_cleanup(struct rf_bank_revision *r);
/* A staff decision on the queue: action "promote", "update" (a drifted
 * item's new parameters), "keep", "retire" (item set) or "rollback" (item
 * NULL); revision: the one it made or chose (keep:
 * the active one); run_id: the review run it answers (0: none). */
struct rf_review_decision {
    int64_t id, revision, run_id, user_id, at;
    char *item, *action, *note; /* note: "" when none */
};
void rf_store_review_decision_cleanup(struct rf_review_decision *d);
/* One calibration of the queue: kind "pretest" or "drift", the revision it
 * read, its result (JSON). */
struct rf_review_run {
    int64_t id, revision, created_by, created;
    char *kind, *result;
};
void rf_store_review_run_cleanup(struct rf_review_run *r);

/* The active revision (0 when none was ever made active). */
rf_status rf_store_bank_revision_active(struct rf_store *s, int64_t *id, struct rf_err *err);
/* Stores r as a new revision (id: one above the largest; *id) made from
 * r->parent, makes it active and records d (its revision set to the new id),
 * in one transaction; RF_ECONFLICT, nothing stored, when r->parent is not
 * the active revision (another promotion came first). */
rf_status rf_store_bank_revision_add(struct rf_store *s, const struct rf_bank_revision *r,
                                     const struct rf_review_decision *d, int64_t *id,
                                     struct rf_err *err);
/* Makes revision d->revision (0: the bank file alone) active and records d,
 * in one transaction, when expected is the active one: RF_ECONFLICT when it
 * is not, RF_ENOTFOUND when there is no such revision; nothing stored then. */
rf_status rf_store_bank_revision_activate(struct rf_store *s, int64_t expected,
                                          const struct rf_review_decision *d, struct rf_err *err);
rf_status rf_store_bank_revision_get(struct rf_store *s, int64_t id, struct rf_bank_revision *r,
                                     struct rf_err *err);
/* Calls fn for each revision, newest first. */
rf_status rf_store_bank_revisions_list(struct rf_store *s,
                                       void (*fn)(void *ud, const struct rf_bank_revision *r),
                                       void *ud, struct rf_err *err);
/* Records a decision that changes no revision (keep); *id. */
rf_status rf_store_review_decision_add(struct rf_store *s, const struct rf_review_decision *d,
                                       int64_t *id, struct rf_err *err);
/* Calls fn for each decision, newest first. */
rf_status rf_store_review_decisions_list(struct rf_store *s,
                                         void (*fn)(void *ud, const struct rf_review_decision *d),
                                         void *ud, struct rf_err *err);
rf_status rf_store_review_run_add(struct rf_store *s, const struct rf_review_run *r, int64_t *id,
                                  struct rf_err *err);
/* The latest run of a kind (RF_ENOTFOUND when none). */
rf_status rf_store_review_run_latest(struct rf_store *s, const char *kind,
                                     struct rf_review_run *r, struct rf_err *err);

/* ---- limits shared by every process on the store (issue 20) ----
 * Rate limits, failed sign-ins and open practice tests kept in the database,
 * so that serve processes behind a load balancer hold one budget per key.
 * Not durable on purpose (SQLite: committed without a sync; PostgreSQL:
 * asynchronous commit into unlogged tables): a crash may forget the last
 * moments of a limit, never an answer. Times are seconds on one clock shared
 * by the processes (the wall clock). Keys are at most RF_STORE_LIMIT_KEY
 * bytes (longer ones are cut). Not exported by `rolefit db export`. */
#define RF_STORE_LIMIT_KEY 200

/* One token bucket to take from: refilled at rate tokens a second up to
 * burst (a new key starts full), then cost tokens taken. */
struct rf_store_take {
    const char *key;
    double rate, burst, cost;
    double level; /* out: the tokens left (below zero: in debt) */
    int taken;    /* out: 1 when cost was taken */
};
/* Takes from n buckets at time now in one transaction. strict: a bucket
 * with fewer than cost tokens is left as it is (taken 0); otherwise cost is
 * always taken (the bucket may go into debt, down to -burst): how a process
 * settles what it has already let through. */
rf_status rf_store_limits_take(struct rf_store *s, double now, int strict,
                               struct rf_store_take *v, size_t n, struct rf_err *err);

/* A counter of events with the time of the last (failed sign-ins of an
 * account). RF_STORE_COUNT_GET reads it (0 and 0 when absent);
 * RF_STORE_COUNT_ADD adds one at now; RF_STORE_COUNT_CLEAR removes it. *n and
 * *at (either may be NULL) receive the count and time after the operation.
 * RF_STORE_COUNT_PRUNE (key ignored) removes every counter and bucket last
 * touched before now (a bucket untouched that long is full again). */
enum { RF_STORE_COUNT_GET, RF_STORE_COUNT_ADD, RF_STORE_COUNT_CLEAR, RF_STORE_COUNT_PRUNE };
rf_status rf_store_counter(struct rf_store *s, const char *key, int op, double now, int64_t *n,
                           double *at, struct rf_err *err);

/* Open practice tests, at most so many in all and per client address.
 * Takes a slot for key at now: slots bound to a test free themselves after
 * idle seconds without an answer, unbound ones after RF_STORE_SLOT_UNBOUND;
 * at most max_total in all (the last fifth kept for keys that hold none) and
 * max_per_key for one key (0: no cap per key). *slot > 0 when taken; else 0,
 * *per_key 1 when the key's cap is the reason, and *retry_after the seconds
 * (>= 1) until the first slot in the way frees. */
struct rf_store_slot_ask {
    const char *key;
    double now, idle;
    int64_t max_total, max_per_key;
};
rf_status rf_store_slot_take(struct rf_store *s, const struct rf_store_slot_ask *q,
                             int64_t *slot, int *per_key, double *retry_after,
                             struct rf_err *err);
/* Changes to slots: bind slot to test (its idle time starts at now),
 * release slot, or test answered at now (finished: its slot is freed). */
enum { RF_STORE_SLOT_BIND, RF_STORE_SLOT_RELEASE, RF_STORE_SLOT_ANSWERED };
struct rf_store_slot_change {
    int kind;
    int64_t slot, test;
    int finished;
    double now;
};
rf_status rf_store_slots_update(struct rf_store *s, const struct rf_store_slot_change *c,
                                size_t n, struct rf_err *err);

#endif
