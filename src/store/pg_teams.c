/*
 * The PostgreSQL backend (store_pg.c): teams, their members (invites of the
 * team's organization, with whether each shares their profile) and the
 * teams' readiness self-assessments (issue 18).
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/pg_int.h"

static rf_status pg_team_create(struct rf_store *bs, const struct rf_team *t, int64_t *id,
                                struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "create team", rf_pg_id_fn, id,
                         "INSERT INTO teams(org_id, name, created_by, created) "
                         "VALUES ($1, $2, $3, $4) RETURNING id",
                         "itni", t->org_id, t->name, t->created_by, rf_pg_now_s());
}

#define TEAM_COLS "id, org_id, coalesce(created_by, 0), created, name"

static rf_status team_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_team *t = out;
    int oom = 0;
    t->id = rf_pg_col_int(r, 0, 0, 0);
    t->org_id = rf_pg_col_int(r, 0, 1, 0);
    t->created_by = rf_pg_col_int(r, 0, 2, 0);
    t->created = rf_pg_col_int(r, 0, 3, 0);
    t->name = rf_pg_col_text(r, 0, 4, &oom);
    if (oom || !t->name) {
        rf_store_team_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_team_get(struct rf_store *bs, int64_t id, struct rf_team *t,
                             struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return rf_pg_one_row(rf_pg_of(bs), err, "team", team_fn, t,
                         "SELECT " TEAM_COLS " FROM teams WHERE id = $1", "i", id);
}

static rf_status pg_teams_list(struct rf_store *bs, int64_t org_id,
                               void (*fn)(void *ud, const struct rf_team *t), void *ud,
                               struct rf_err *err)
{
    struct rf_team t;
    memset(&t, 0, sizeof t);
    return rf_pg_list(rf_pg_of(bs), err, "teams", team_fn, &t, &rf_store_read_team, (void *)fn,
                      ud, "SELECT " TEAM_COLS " FROM teams WHERE org_id = $1 ORDER BY id", "i",
                      org_id);
}

static rf_status pg_team_member_add(struct rf_store *bs, int64_t team_id, int64_t invite_id,
                                    int64_t *id, struct rf_err *err)
{
    rf_status rc = rf_pg_one_row(rf_pg_of(bs), err, "add team member", rf_pg_id_fn, id,
                                 "INSERT INTO team_members(team_id, invite_id, created) "
                                 "VALUES ($1, $2, $3) RETURNING id",
                                 "iii", team_id, invite_id, rf_pg_now_s());
    if (rc == RF_ECONFLICT)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite is a team member already");
    return rc;
}

/* The two ids of a member's invite: the invite's, the member's. */
static rf_status two_ids_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    int64_t *ids = out;
    ids[0] = rf_pg_col_int(r, 0, 0, 0);
    ids[1] = rf_pg_col_int(r, 0, 1, 0);
    return RF_OK;
}

static rf_status pg_team_member_invite(struct rf_store *bs, int64_t team_id,
                                       const char *token_hash, const struct rf_invite *v,
                                       int64_t *invite_id, int64_t *member_id,
                                       struct rf_err *err)
{
    /* one statement: the invite and the member together, or neither */
    int64_t ids[2];
    rf_status rc = rf_pg_one_row(
        rf_pg_of(bs), err, "add team member", two_ids_fn, ids,
        "WITH i AS (INSERT INTO invites(token_hash, org_id, posting_id, role, label, created_by, "
        "created, expires, topup_of, skills) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "RETURNING id) "
        "INSERT INTO team_members(team_id, invite_id, created) SELECT $11, id, $7 FROM i "
        "RETURNING invite_id, id",
        "tinttniinti", token_hash, v->org_id, v->posting_id, v->role, v->label, v->created_by,
        rf_pg_now_s(), v->expires, v->topup_of, v->skills, team_id);
    if (!rc) {
        *invite_id = ids[0];
        *member_id = ids[1];
    }
    return rc;
}

#define MEMBER_SQL                                                                                 \
    "SELECT m.id, m.team_id, m.invite_id, m.created, m.shared, m.shared_at, i.label, i.role, "     \
    "coalesce(i.candidate_id, 0) FROM team_members m JOIN invites i ON i.id = m.invite_id "

static rf_status member_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_team_member *m = out;
    int oom = 0;
    m->id = rf_pg_col_int(r, 0, 0, 0);
    m->team_id = rf_pg_col_int(r, 0, 1, 0);
    m->invite_id = rf_pg_col_int(r, 0, 2, 0);
    m->created = rf_pg_col_int(r, 0, 3, 0);
    m->shared = rf_pg_col_int(r, 0, 4, 0) != 0;
    m->shared_at = rf_pg_col_int(r, 0, 5, 0);
    m->label = rf_pg_col_text(r, 0, 6, &oom);
    m->role = rf_pg_col_text(r, 0, 7, &oom);
    m->candidate_id = rf_pg_col_int(r, 0, 8, 0);
    if (oom) {
        rf_store_team_member_cleanup(m);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_team_members_list(struct rf_store *bs, int64_t team_id,
                                      void (*fn)(void *ud, const struct rf_team_member *m),
                                      void *ud, struct rf_err *err)
{
    struct rf_team_member m;
    memset(&m, 0, sizeof m);
    return rf_pg_list(rf_pg_of(bs), err, "team members", member_fn, &m,
                      &rf_store_read_team_member, (void *)fn, ud,
                      MEMBER_SQL "WHERE m.team_id = $1 ORDER BY m.id", "i", team_id);
}

static rf_status pg_team_member_by_invite(struct rf_store *bs, int64_t invite_id,
                                          struct rf_team_member *m, struct rf_err *err)
{
    memset(m, 0, sizeof *m);
    return rf_pg_one_row(rf_pg_of(bs), err, "team member", member_fn, m,
                         MEMBER_SQL "WHERE m.invite_id = $1", "i", invite_id);
}

static rf_status pg_team_member_share(struct rf_store *bs, int64_t id, int shared, int64_t now,
                                      struct rf_err *err)
{
    int64_t n = 0;
    rf_status rc = rf_pg_run1(rf_pg_of(bs), err, "share with team", &n,
                              "UPDATE team_members SET shared = $1, shared_at = $2 WHERE id = $3",
                              "iii", (int64_t)(shared != 0), now, id);
    if (!rc && n != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "team member not found");
    return rc;
}

static rf_status pg_team_assessment_add(struct rf_store *bs, const struct rf_team_assessment *a,
                                        int64_t *id, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "add readiness assessment", rf_pg_id_fn, id,
                         "INSERT INTO team_assessments(team_id, date, scores, created_by, "
                         "created) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                         "ittni", a->team_id, a->date, a->scores, a->created_by, rf_pg_now_s());
}

static rf_status assessment_fn(struct pconn *cn, const PGresult *r, void *out,
                               struct rf_err *err)
{
    (void)cn;
    struct rf_team_assessment *a = out;
    int oom = 0;
    a->id = rf_pg_col_int(r, 0, 0, 0);
    a->team_id = rf_pg_col_int(r, 0, 1, 0);
    a->created_by = rf_pg_col_int(r, 0, 2, 0);
    a->created = rf_pg_col_int(r, 0, 3, 0);
    a->date = rf_pg_col_text(r, 0, 4, &oom);
    a->scores = rf_pg_col_text(r, 0, 5, &oom);
    if (oom || !a->date || !a->scores) {
        rf_store_team_assessment_cleanup(a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_team_assessments_list(struct rf_store *bs, int64_t team_id,
                                          void (*fn)(void *ud,
                                                     const struct rf_team_assessment *a),
                                          void *ud, struct rf_err *err)
{
    struct rf_team_assessment a;
    memset(&a, 0, sizeof a);
    return rf_pg_list(rf_pg_of(bs), err, "readiness assessments", assessment_fn, &a,
                      &rf_store_read_team_assessment, (void *)fn, ud,
                      "SELECT id, team_id, coalesce(created_by, 0), created, date, scores "
                      "FROM team_assessments WHERE team_id = $1 ORDER BY date, id",
                      "i", team_id);
}

void rf_pg_teams_ops(struct rf_store_ops *ops)
{
    ops->team_create = pg_team_create;
    ops->team_get = pg_team_get;
    ops->teams_list = pg_teams_list;
    ops->team_member_add = pg_team_member_add;
    ops->team_member_invite = pg_team_member_invite;
    ops->team_members_list = pg_team_members_list;
    ops->team_member_by_invite = pg_team_member_by_invite;
    ops->team_member_share = pg_team_member_share;
    ops->team_assessment_add = pg_team_assessment_add;
    ops->team_assessments_list = pg_team_assessments_list;
}
