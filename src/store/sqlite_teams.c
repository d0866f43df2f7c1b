/*
 * The SQLite backend (store_sqlite.c): teams, their members (invites of the
 * team's organization, with whether each shares their profile) and the
 * teams' readiness self-assessments (issue 18).
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/sqlite_int.h"

static rf_status sq_team_create(struct rf_store *bs, const struct rf_team *t, int64_t *id,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "create team",
                             "INSERT INTO teams(org_id, name, created_by, created) "
                             "VALUES (?, ?, ?, ?)",
                             "itni", t->org_id, t->name, t->created_by, rf_sq_now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

#define TEAM_COLS "id, org_id, coalesce(created_by, 0), created, name"

static rf_status team_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_team *t = out;
    int oom = 0;
    t->id = sqlite3_column_int64(st, 0);
    t->org_id = sqlite3_column_int64(st, 1);
    t->created_by = sqlite3_column_int64(st, 2);
    t->created = sqlite3_column_int64(st, 3);
    t->name = rf_sq_col_text(st, 4, &oom);
    if (oom || !t->name) {
        rf_store_team_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_team_get(struct rf_store *bs, int64_t id, struct rf_team *t,
                             struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return rf_sq_get((struct sq_store *)bs, err, "team", team_fn, t,
                     "SELECT " TEAM_COLS " FROM teams WHERE id = ?", "i", id);
}

static rf_status sq_teams_list(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_team *t), void *ud,
                               struct rf_err *err)
{
    struct rf_team t;
    memset(&t, 0, sizeof t);
    return rf_sq_list((struct sq_store *)bs, err, "list teams", team_fn, &t, &rf_store_read_team,
                      (void *)fn, ud,
                      "SELECT " TEAM_COLS " FROM teams WHERE org_id = ? ORDER BY id", "i",
                      org_id);
}

static rf_status sq_team_member_add(struct rf_store *bs, int64_t team_id, int64_t invite_id,
                                    int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "add team member",
                             "INSERT INTO team_members(team_id, invite_id, created) "
                             "VALUES (?, ?, ?)",
                             "iii", team_id, invite_id, rf_sq_now_s());
    if (rc == RF_ECONFLICT)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite is a team member already");
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_team_member_invite(struct rf_store *bs, int64_t team_id,
                                       const char *token_hash, const struct rf_invite *v,
                                       int64_t *invite_id, int64_t *member_id,
                                       struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = rf_sq_run(cn, err, "create member's invite",
                       "INSERT INTO invites(token_hash, org_id, posting_id, role, label, "
                       "created_by, created, expires, topup_of, skills) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "tinttniint", token_hash, v->org_id, v->posting_id, v->role, v->label,
                       v->created_by, rf_sq_now_s(), v->expires, v->topup_of, v->skills);
    if (!rc) {
        *invite_id = sqlite3_last_insert_rowid(cn->db);
        rc = rf_sq_run(cn, err, "add team member",
                       "INSERT INTO team_members(team_id, invite_id, created) VALUES (?, ?, ?)",
                       "iii", team_id, *invite_id, rf_sq_now_s());
    }
    if (!rc)
        *member_id = sqlite3_last_insert_rowid(cn->db);
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    return rc;
}

#define MEMBER_SQL                                                                                 \
    "SELECT m.id, m.team_id, m.invite_id, m.created, m.shared, m.shared_at, i.label, i.role, "     \
    "coalesce(i.candidate_id, 0) FROM team_members m JOIN invites i ON i.id = m.invite_id "

static rf_status member_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_team_member *m = out;
    int oom = 0;
    m->id = sqlite3_column_int64(st, 0);
    m->team_id = sqlite3_column_int64(st, 1);
    m->invite_id = sqlite3_column_int64(st, 2);
    m->created = sqlite3_column_int64(st, 3);
    m->shared = sqlite3_column_int64(st, 4) != 0;
    m->shared_at = sqlite3_column_int64(st, 5);
    m->label = rf_sq_col_text(st, 6, &oom);
    m->role = rf_sq_col_text(st, 7, &oom);
    m->candidate_id = sqlite3_column_int64(st, 8);
    if (oom) {
        rf_store_team_member_cleanup(m);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_team_members_list(struct rf_store *bs, int64_t team_id,
                                      void (*fn)(void *ud, const struct rf_team_member *m),
                                      void *ud, struct rf_err *err)
{
    struct rf_team_member m;
    memset(&m, 0, sizeof m);
    return rf_sq_list((struct sq_store *)bs, err, "list team members", member_fn, &m,
                      &rf_store_read_team_member, (void *)fn, ud,
                      MEMBER_SQL "WHERE m.team_id = ? ORDER BY m.id", "i", team_id);
}

static rf_status sq_team_member_by_invite(struct rf_store *bs, int64_t invite_id,
                                          struct rf_team_member *m, struct rf_err *err)
{
    memset(m, 0, sizeof *m);
    return rf_sq_get((struct sq_store *)bs, err, "team member", member_fn, m,
                     MEMBER_SQL "WHERE m.invite_id = ?", "i", invite_id);
}

static rf_status sq_team_member_share(struct rf_store *bs, int64_t id, int shared, int64_t now,
                                      struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "share with team",
                             "UPDATE team_members SET shared = ?, shared_at = ? WHERE id = ?",
                             "iii", (int64_t)(shared != 0), now, id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "team member not found");
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_team_assessment_add(struct rf_store *bs, const struct rf_team_assessment *a,
                                        int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "add readiness assessment",
                             "INSERT INTO team_assessments(team_id, date, scores, created_by, "
                             "created) VALUES (?, ?, ?, ?, ?)",
                             "ittni", a->team_id, a->date, a->scores, a->created_by,
                             rf_sq_now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status assessment_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_team_assessment *a = out;
    int oom = 0;
    a->id = sqlite3_column_int64(st, 0);
    a->team_id = sqlite3_column_int64(st, 1);
    a->created_by = sqlite3_column_int64(st, 2);
    a->created = sqlite3_column_int64(st, 3);
    a->date = rf_sq_col_text(st, 4, &oom);
    a->scores = rf_sq_col_text(st, 5, &oom);
    if (oom || !a->date || !a->scores) {
        rf_store_team_assessment_cleanup(a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_team_assessments_list(struct rf_store *bs, int64_t team_id,
                                          void (*fn)(void *ud,
                                                     const struct rf_team_assessment *a),
                                          void *ud, struct rf_err *err)
{
    struct rf_team_assessment a;
    memset(&a, 0, sizeof a);
    return rf_sq_list((struct sq_store *)bs, err, "list readiness assessments", assessment_fn,
                      &a, &rf_store_read_team_assessment, (void *)fn, ud,
                      "SELECT id, team_id, coalesce(created_by, 0), created, date, scores "
                      "FROM team_assessments WHERE team_id = ? ORDER BY date, id",
                      "i", team_id);
}

void rf_sq_teams_ops(struct rf_store_ops *ops)
{
    ops->team_create = sq_team_create;
    ops->team_get = sq_team_get;
    ops->teams_list = sq_teams_list;
    ops->team_member_add = sq_team_member_add;
    ops->team_member_invite = sq_team_member_invite;
    ops->team_members_list = sq_team_members_list;
    ops->team_member_by_invite = sq_team_member_by_invite;
    ops->team_member_share = sq_team_member_share;
    ops->team_assessment_add = sq_team_assessment_add;
    ops->team_assessments_list = sq_team_assessments_list;
}
