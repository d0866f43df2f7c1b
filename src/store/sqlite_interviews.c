/*
 * The SQLite backend (store_sqlite.c): interviewer assignments, scorecards
 * and their history (issue 17), and the accounts of an organization. A
 * scorecard's save runs in one write transaction: the state it replaces is
 * read, refused when final, recorded in the history and replaced; a
 * submission that completes its held round locks the round's scorecards.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/sqlite_int.h"

/* A held round of one candidate: the assignments with the same invite,
 * round and slot as assignment ?. */
#define HELD_ROUND                                                                                 \
    "SELECT b.id FROM interview_assignments a JOIN interview_assignments b ON "                  \
    "b.invite_id = a.invite_id AND b.round = a.round AND b.slot = a.slot WHERE a.id = ?"

static rf_status sq_assignment_add(struct rf_store *bs, const struct rf_assignment *a, int64_t *id,
                                   struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(
        cn, err, "assign interviewer",
        "INSERT INTO interview_assignments(org_id, invite_id, round, slot, interviewer_id, "
        "created_by, created) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
        "interview_assignments x JOIN scorecards c ON c.assignment_id = x.id WHERE x.invite_id = "
        "? AND x.round = ? AND x.slot = ? AND c.state = 'locked')",
        "iitiiniiti", a->org_id, a->invite_id, a->round, a->slot, a->interviewer_id,
        a->created_by, rf_sq_now_s(), a->invite_id, a->round, a->slot);
    if (rc == RF_ECONFLICT)
        rc = rf_err_set(err, RF_ECONFLICT,
                        "this interviewer is assigned to round '%s' slot %lld already", a->round,
                        (long long)a->slot);
    else if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ECONFLICT,
                        "round '%s' slot %lld is locked: every interviewer of it has submitted",
                        a->round, (long long)a->slot);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

#define ASSIGNMENT_SQL                                                                             \
    "SELECT a.id, a.org_id, a.invite_id, a.interviewer_id, coalesce(a.created_by, 0), "           \
    "a.created, a.round, a.slot, u.name, u.email, c.state, c.scores, c.notes, "                   \
    "c.recommendation, coalesce(c.updated, 0), coalesce(c.submitted, 0) "                         \
    "FROM interview_assignments a JOIN users u ON u.id = a.interviewer_id "                       \
    "LEFT JOIN scorecards c ON c.assignment_id = a.id "

static rf_status assignment_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_assignment *a = out;
    int oom = 0;
    a->id = sqlite3_column_int64(st, 0);
    a->org_id = sqlite3_column_int64(st, 1);
    a->invite_id = sqlite3_column_int64(st, 2);
    a->interviewer_id = sqlite3_column_int64(st, 3);
    a->created_by = sqlite3_column_int64(st, 4);
    a->created = sqlite3_column_int64(st, 5);
    a->round = rf_sq_col_text(st, 6, &oom);
    a->slot = sqlite3_column_int64(st, 7);
    a->interviewer = rf_sq_col_text(st, 8, &oom);
    a->email = rf_sq_col_text(st, 9, &oom);
    a->state = rf_sq_col_text(st, 10, &oom);
    a->scores = rf_sq_col_text(st, 11, &oom);
    a->notes = rf_sq_col_text(st, 12, &oom);
    a->recommendation = rf_sq_col_text(st, 13, &oom);
    a->updated = sqlite3_column_int64(st, 14);
    a->submitted = sqlite3_column_int64(st, 15);
    if (oom || !a->round) {
        rf_store_assignment_cleanup(a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_assignment_get(struct rf_store *bs, int64_t id, struct rf_assignment *a,
                                   struct rf_err *err)
{
    memset(a, 0, sizeof *a);
    return rf_sq_get((struct sq_store *)bs, err, "assignment", assignment_fn, a,
                     ASSIGNMENT_SQL "WHERE a.id = ?", "i", id);
}

static rf_status sq_assignments_list(struct rf_store *bs, int64_t org_id, int64_t invite_id,
                                     int64_t interviewer_id,
                                     void (*fn)(void *ud, const struct rf_assignment *a),
                                     void *ud, struct rf_err *err)
{
    struct rf_assignment a;
    memset(&a, 0, sizeof a);
    return rf_sq_list((struct sq_store *)bs, err, "list assignments", assignment_fn, &a,
                      &rf_store_read_assignment, (void *)fn, ud,
                      ASSIGNMENT_SQL "WHERE a.org_id = ? AND (? = 0 OR a.invite_id = ?) AND "
                                     "(? = 0 OR a.interviewer_id = ?) "
                                     "ORDER BY a.invite_id, a.round, a.slot, a.id",
                      "iiiii", org_id, invite_id, invite_id, interviewer_id, interviewer_id);
}

/* One integer of a query on the writer (a count: always one row). */
static rf_status count_on(struct conn *cn, struct rf_err *err, const char *what, int64_t *n,
                          const char *sql, int64_t id)
{
    sqlite3_stmt *st = rf_sq_query(cn, err, sql, "i", id);
    if (!st)
        return err && err->rc ? err->rc : RF_EDB;
    return rf_sq_one_row(cn, st, what, rf_sq_count_fn, n, err);
}

static rf_status sq_scorecard_save(struct rf_store *bs, const struct rf_scorecard_save *w,
                                   char state[16], struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    int64_t now = rf_sq_now_s(), n = 0, open = 0;
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = count_on(cn, err, "scorecard", &n,
                      "SELECT count(*) FROM interview_assignments WHERE id = ?",
                      w->assignment_id);
    if (!rc && n == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "assignment not found");
    if (!rc)
        rc = count_on(cn, err, "scorecard", &n,
                      "SELECT count(*) FROM scorecards WHERE assignment_id = ? AND "
                      "state <> 'draft'",
                      w->assignment_id);
    if (!rc && n)
        rc = rf_err_set(err, RF_ECONFLICT, "this scorecard is submitted already: it is final");
    if (!rc)
        rc = rf_sq_run(cn, err, "scorecard history",
                       "INSERT INTO scorecard_edits(assignment_id, user_id, at, action, state, "
                       "scores, notes, recommendation) SELECT a.id, ?, ?, ?, c.state, c.scores, "
                       "c.notes, c.recommendation FROM interview_assignments a LEFT JOIN "
                       "scorecards c ON c.assignment_id = a.id WHERE a.id = ?",
                       "niti", w->user_id, now, w->submit ? "submit" : "save",
                       w->assignment_id);
    if (!rc)
        rc = rf_sq_run(cn, err, "save scorecard",
                       "INSERT INTO scorecards(assignment_id, scores, notes, recommendation, "
                       "state, updated, submitted) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT(assignment_id) DO UPDATE SET scores = excluded.scores, "
                       "notes = excluded.notes, recommendation = excluded.recommendation, "
                       "state = excluded.state, updated = excluded.updated, "
                       "submitted = excluded.submitted",
                       "ittttii", w->assignment_id, w->scores, w->notes, w->recommendation,
                       w->submit ? "submitted" : "draft", now, w->submit ? now : (int64_t)0);
    if (!rc && w->submit)
        rc = count_on(cn, err, "held round", &open,
                      "SELECT count(*) FROM (" HELD_ROUND ") h LEFT JOIN scorecards c ON "
                      "c.assignment_id = h.id WHERE c.state IS NULL OR c.state = 'draft'",
                      w->assignment_id);
    if (!rc && w->submit && open == 0)
        rc = rf_sq_run(cn, err, "lock held round",
                       "UPDATE scorecards SET state = 'locked' WHERE assignment_id IN (" HELD_ROUND
                       ")",
                       "i", w->assignment_id);
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    if (!rc)
        snprintf(state, 16, "%s", !w->submit ? "draft" : open ? "submitted" : "locked");
    return rc;
}

static rf_status edit_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_scorecard_edit *e = out;
    int oom = 0;
    e->id = sqlite3_column_int64(st, 0);
    e->assignment_id = sqlite3_column_int64(st, 1);
    e->user_id = sqlite3_column_int64(st, 2);
    e->at = sqlite3_column_int64(st, 3);
    e->user = rf_sq_col_text(st, 4, &oom);
    e->action = rf_sq_col_text(st, 5, &oom);
    e->state = rf_sq_col_text(st, 6, &oom);
    e->scores = rf_sq_col_text(st, 7, &oom);
    e->notes = rf_sq_col_text(st, 8, &oom);
    e->recommendation = rf_sq_col_text(st, 9, &oom);
    if (oom || !e->action) {
        rf_store_scorecard_edit_cleanup(e);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_scorecard_edits_list(struct rf_store *bs, int64_t assignment_id,
                                         void (*fn)(void *ud, const struct rf_scorecard_edit *e),
                                         void *ud, struct rf_err *err)
{
    struct rf_scorecard_edit e;
    memset(&e, 0, sizeof e);
    return rf_sq_list((struct sq_store *)bs, err, "list scorecard history", edit_fn, &e,
                      &rf_store_read_scorecard_edit, (void *)fn, ud,
                      "SELECT e.id, e.assignment_id, coalesce(e.user_id, 0), e.at, u.email, "
                      "e.action, e.state, e.scores, e.notes, e.recommendation FROM "
                      "scorecard_edits e LEFT JOIN users u ON u.id = e.user_id "
                      "WHERE e.assignment_id = ? ORDER BY e.id",
                      "i", assignment_id);
}

static rf_status sq_users_list(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_user *u), void *ud,
                               struct rf_err *err)
{
    struct rf_user u;
    memset(&u, 0, sizeof u);
    return rf_sq_list((struct sq_store *)bs, err, "list accounts", rf_sq_user_fn, &u,
                      &rf_store_read_user, (void *)fn, ud,
                      "SELECT id, org_id, email, name, role, pw_hash FROM users "
                      "WHERE org_id = ? ORDER BY id",
                      "i", org_id);
}

void rf_sq_interviews_ops(struct rf_store_ops *ops)
{
    ops->assignment_add = sq_assignment_add;
    ops->assignment_get = sq_assignment_get;
    ops->assignments_list = sq_assignments_list;
    ops->scorecard_save = sq_scorecard_save;
    ops->scorecard_edits_list = sq_scorecard_edits_list;
    ops->users_list = sq_users_list;
}
