/*
 * The PostgreSQL backend (store_pg.c): interviewer assignments, scorecards
 * and their history (issue 17), and the accounts of an organization. A
 * scorecard's save is one transaction on one connection that first locks
 * the assignments of its held round (FOR UPDATE), so that two interviewers
 * of a round submitting at once, from any process, cannot both miss that
 * the round is complete.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/pg_int.h"

/* The assignments of the held round (same invite, round and slot) of
 * assignment $1. */
#define HELD_ROUND                                                                                 \
    "SELECT b.id FROM interview_assignments a JOIN interview_assignments b ON "                  \
    "b.invite_id = a.invite_id AND b.round = a.round AND b.slot = a.slot WHERE a.id = $1"

static rf_status pg_assignment_add(struct rf_store *bs, const struct rf_assignment *a, int64_t *id,
                                   struct rf_err *err)
{
    rf_status rc = rf_pg_one_row(
        rf_pg_of(bs), err, "assign interviewer", rf_pg_id_fn, id,
        "INSERT INTO interview_assignments(org_id, invite_id, round, slot, interviewer_id, "
        "created_by, created) SELECT $1::bigint, $2::bigint, $3::text, $4::bigint, $5::bigint, "
        "$6::bigint, $7::bigint WHERE NOT EXISTS (SELECT 1 FROM interview_assignments x JOIN "
        "scorecards c ON c.assignment_id = x.id WHERE x.invite_id = $2::bigint AND x.round = "
        "$3::text AND x.slot = $4::bigint AND c.state = 'locked') RETURNING id",
        "iitiini", a->org_id, a->invite_id, a->round, a->slot, a->interviewer_id, a->created_by,
        rf_pg_now_s());
    if (rc == RF_ECONFLICT)
        rc = rf_err_set(err, RF_ECONFLICT,
                        "this interviewer is assigned to round '%s' slot %lld already", a->round,
                        (long long)a->slot);
    else if (rc == RF_ENOTFOUND)
        rc = rf_err_set(err, RF_ECONFLICT,
                        "round '%s' slot %lld is locked: every interviewer of it has submitted",
                        a->round, (long long)a->slot);
    return rc;
}

#define ASSIGNMENT_SQL                                                                             \
    "SELECT a.id, a.org_id, a.invite_id, a.interviewer_id, coalesce(a.created_by, 0), "           \
    "a.created, a.round, a.slot, u.name, u.email, c.state, c.scores, c.notes, "                   \
    "c.recommendation, coalesce(c.updated, 0), coalesce(c.submitted, 0) "                         \
    "FROM interview_assignments a JOIN users u ON u.id = a.interviewer_id "                       \
    "LEFT JOIN scorecards c ON c.assignment_id = a.id "

static rf_status assignment_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_assignment *a = out;
    int oom = 0;
    a->id = rf_pg_col_int(r, 0, 0, 0);
    a->org_id = rf_pg_col_int(r, 0, 1, 0);
    a->invite_id = rf_pg_col_int(r, 0, 2, 0);
    a->interviewer_id = rf_pg_col_int(r, 0, 3, 0);
    a->created_by = rf_pg_col_int(r, 0, 4, 0);
    a->created = rf_pg_col_int(r, 0, 5, 0);
    a->round = rf_pg_col_text(r, 0, 6, &oom);
    a->slot = rf_pg_col_int(r, 0, 7, 0);
    a->interviewer = rf_pg_col_text(r, 0, 8, &oom);
    a->email = rf_pg_col_text(r, 0, 9, &oom);
    a->state = rf_pg_col_text(r, 0, 10, &oom);
    a->scores = rf_pg_col_text(r, 0, 11, &oom);
    a->notes = rf_pg_col_text(r, 0, 12, &oom);
    a->recommendation = rf_pg_col_text(r, 0, 13, &oom);
    a->updated = rf_pg_col_int(r, 0, 14, 0);
    a->submitted = rf_pg_col_int(r, 0, 15, 0);
    if (oom || !a->round) {
        rf_store_assignment_cleanup(a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_assignment_get(struct rf_store *bs, int64_t id, struct rf_assignment *a,
                                   struct rf_err *err)
{
    memset(a, 0, sizeof *a);
    return rf_pg_one_row(rf_pg_of(bs), err, "assignment", assignment_fn, a,
                         ASSIGNMENT_SQL "WHERE a.id = $1", "i", id);
}

static rf_status pg_assignments_list(struct rf_store *bs, int64_t org_id, int64_t invite_id,
                                     int64_t interviewer_id,
                                     void (*fn)(void *ud, const struct rf_assignment *a),
                                     void *ud, struct rf_err *err)
{
    struct rf_assignment a;
    memset(&a, 0, sizeof a);
    return rf_pg_list(rf_pg_of(bs), err, "assignments", assignment_fn, &a,
                      &rf_store_read_assignment, (void *)fn, ud,
                      ASSIGNMENT_SQL "WHERE a.org_id = $1 AND ($2::bigint = 0 OR a.invite_id = "
                                     "$2::bigint) AND ($3::bigint = 0 OR a.interviewer_id = "
                                     "$3::bigint) "
                                     "ORDER BY a.invite_id, a.round, a.slot, a.id",
                      "iii", org_id, invite_id, interviewer_id);
}

static rf_status pg_scorecard_save(struct rf_store *bs, const struct rf_scorecard_save *w,
                                   char state[16], struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    int64_t now = rf_pg_now_s(), n = 0, open = 0;
    rf_status rc = rf_pg_exec(s, cn, "BEGIN", "scorecard: begin", err);
    if (!rc)
        rc = rf_pg_run(s, cn, err, "scorecard", &n,
                       "SELECT 1 FROM interview_assignments WHERE id IN (" HELD_ROUND
                       ") ORDER BY id FOR UPDATE",
                       "i", w->assignment_id);
    if (!rc && n == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "assignment not found");
    if (!rc)
        rc = rf_pg_run(s, cn, err, "scorecard", &n,
                       "SELECT 1 FROM scorecards WHERE assignment_id = $1 AND state <> 'draft'",
                       "i", w->assignment_id);
    if (!rc && n)
        rc = rf_err_set(err, RF_ECONFLICT, "this scorecard is submitted already: it is final");
    if (!rc)
        rc = rf_pg_run(s, cn, err, "scorecard history", NULL,
                       "INSERT INTO scorecard_edits(assignment_id, user_id, at, action, state, "
                       "scores, notes, recommendation) SELECT a.id, $2::bigint, $3::bigint, "
                       "$4::text, c.state, "
                       "c.scores, c.notes, c.recommendation FROM interview_assignments a LEFT "
                       "JOIN scorecards c ON c.assignment_id = a.id WHERE a.id = $1",
                       "init", w->assignment_id, w->user_id, now,
                       w->submit ? "submit" : "save");
    if (!rc)
        rc = rf_pg_run(s, cn, err, "save scorecard", NULL,
                       "INSERT INTO scorecards(assignment_id, scores, notes, recommendation, "
                       "state, updated, submitted) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                       "ON CONFLICT (assignment_id) DO UPDATE SET scores = excluded.scores, "
                       "notes = excluded.notes, recommendation = excluded.recommendation, "
                       "state = excluded.state, updated = excluded.updated, "
                       "submitted = excluded.submitted",
                       "ittttii", w->assignment_id, w->scores, w->notes, w->recommendation,
                       w->submit ? "submitted" : "draft", now, w->submit ? now : (int64_t)0);
    if (!rc && w->submit)
        rc = rf_pg_run(s, cn, err, "held round", &open,
                       "SELECT 1 FROM (" HELD_ROUND ") h LEFT JOIN scorecards c ON "
                       "c.assignment_id = h.id WHERE c.state IS NULL OR c.state = 'draft'",
                       "i", w->assignment_id);
    if (!rc && w->submit && open == 0)
        rc = rf_pg_run(s, cn, err, "lock held round", NULL,
                       "UPDATE scorecards SET state = 'locked' WHERE assignment_id IN (" HELD_ROUND
                       ")",
                       "i", w->assignment_id);
    rf_status re = rf_pg_exec(s, cn, rc ? "ROLLBACK" : "COMMIT", "scorecard: end", rc ? NULL : err);
    rf_pg_release(s, cn);
    if (!rc)
        rc = re;
    if (!rc)
        snprintf(state, 16, "%s", !w->submit ? "draft" : open ? "submitted" : "locked");
    return rc;
}

static rf_status edit_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_scorecard_edit *e = out;
    int oom = 0;
    e->id = rf_pg_col_int(r, 0, 0, 0);
    e->assignment_id = rf_pg_col_int(r, 0, 1, 0);
    e->user_id = rf_pg_col_int(r, 0, 2, 0);
    e->at = rf_pg_col_int(r, 0, 3, 0);
    e->user = rf_pg_col_text(r, 0, 4, &oom);
    e->action = rf_pg_col_text(r, 0, 5, &oom);
    e->state = rf_pg_col_text(r, 0, 6, &oom);
    e->scores = rf_pg_col_text(r, 0, 7, &oom);
    e->notes = rf_pg_col_text(r, 0, 8, &oom);
    e->recommendation = rf_pg_col_text(r, 0, 9, &oom);
    if (oom || !e->action) {
        rf_store_scorecard_edit_cleanup(e);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_scorecard_edits_list(struct rf_store *bs, int64_t assignment_id,
                                         void (*fn)(void *ud, const struct rf_scorecard_edit *e),
                                         void *ud, struct rf_err *err)
{
    struct rf_scorecard_edit e;
    memset(&e, 0, sizeof e);
    return rf_pg_list(rf_pg_of(bs), err, "scorecard history", edit_fn, &e,
                      &rf_store_read_scorecard_edit, (void *)fn, ud,
                      "SELECT e.id, e.assignment_id, coalesce(e.user_id, 0), e.at, u.email, "
                      "e.action, e.state, e.scores, e.notes, e.recommendation FROM "
                      "scorecard_edits e LEFT JOIN users u ON u.id = e.user_id "
                      "WHERE e.assignment_id = $1 ORDER BY e.id",
                      "i", assignment_id);
}

static rf_status pg_users_list(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_user *u), void *ud,
                               struct rf_err *err)
{
    struct rf_user u;
    memset(&u, 0, sizeof u);
    return rf_pg_list(rf_pg_of(bs), err, "accounts", rf_pg_user_fn, &u, &rf_store_read_user,
                      (void *)fn, ud,
                      "SELECT id, org_id, email, name, role, pw_hash FROM users "
                      "WHERE org_id = $1 ORDER BY id",
                      "i", org_id);
}

void rf_pg_interviews_ops(struct rf_store_ops *ops)
{
    ops->assignment_add = pg_assignment_add;
    ops->assignment_get = pg_assignment_get;
    ops->assignments_list = pg_assignments_list;
    ops->scorecard_save = pg_scorecard_save;
    ops->scorecard_edits_list = pg_scorecard_edits_list;
    ops->users_list = pg_users_list;
}
