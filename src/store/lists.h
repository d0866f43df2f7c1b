/*
 * What the list operations of both backends share (private to the store):
 * the caller's callback, and for each kind of record a list hands over, how
 * it is handed to that callback and then freed. A backend reads a row into a
 * record (its own row reader, one per table), then calls read->call and
 * read->clean on it.
 */
#ifndef RF_STORE_LISTS_H
#define RF_STORE_LISTS_H

#include "store/store.h"

/* The callback a list operation received (fn, of the operation's own type)
 * and its data. */
struct rf_store_cb {
    void *fn;
    void *ud;
};

/* How a kind of record goes to the callback and is freed after it. */
struct rf_store_read {
    void (*call)(const struct rf_store_cb *c, const void *rec);
    void (*clean)(void *rec);
};

/* An answer row as a backend reads it: the answer and its signals, with the
 * item id and response owned (freed by clean). */
struct rf_store_answer_row {
    struct rf_answer a;
    struct rf_answer_signals sig;
    char *item, *response;
};

/* Records: struct rf_invite, rf_test, rf_posting, rf_posting_edit (each
 * freed by its rf_store_*_cleanup), rf_store_ranked (borrowed: nothing to
 * free), rf_store_answer_row (to a callback of answers_list or, with its
 * signals, of answers_signals). */
extern const struct rf_store_read rf_store_read_invite;
extern const struct rf_store_read rf_store_read_test;
extern const struct rf_store_read rf_store_read_posting;
extern const struct rf_store_read rf_store_read_posting_edit;
extern const struct rf_store_read rf_store_read_ranked;
extern const struct rf_store_read rf_store_read_answer;
extern const struct rf_store_read rf_store_read_answer_signals;
/* struct rf_team, rf_team_member, rf_team_assessment (each freed by its cleanup) */
extern const struct rf_store_read rf_store_read_team;
extern const struct rf_store_read rf_store_read_team_member;
extern const struct rf_store_read rf_store_read_team_assessment;
/* struct rf_bank_revision, rf_review_decision (each freed by its cleanup) */
extern const struct rf_store_read rf_store_read_bank_revision;
extern const struct rf_store_read rf_store_read_review_decision;
/* struct rf_assignment, rf_scorecard_edit, rf_user (each freed by its cleanup) */
extern const struct rf_store_read rf_store_read_assignment;
extern const struct rf_store_read rf_store_read_scorecard_edit;
extern const struct rf_store_read rf_store_read_user;
/* struct rf_group_report (freed by its cleanup) */
extern const struct rf_store_read rf_store_read_group_report;

#endif
