/*
 * Teams (app_teams.c): sharing. A member's profile is their own: the member
 * shares it from their report (rf_app_test_share); until then it counts in no
 * team view, staff cannot open its report, and organization-wide rankings
 * leave it out (rf_app_team_private_invites).
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "server/app_flow.h"
#include "store/store.h"

/* ---- sharing: the member decides ---- */

json_t *rf_app_team_of_test(struct rf_app *a, const struct rf_test *t)
{
    struct rf_team_member m;
    if (!t->invite_id || rf_store_team_member_by_invite(a->store, t->invite_id, &m, NULL))
        return NULL;
    struct rf_team team;
    json_t *j = NULL;
    if (rf_store_team_get(a->store, m.team_id, &team, NULL) == RF_OK) {
        j = json_pack("{s:I,s:s,s:b}", "id", (json_int_t)team.id, "name", team.name, "shared",
                      m.shared);
        rf_store_team_cleanup(&team);
    }
    rf_store_team_member_cleanup(&m);
    return j;
}

int rf_app_team_staff_may_read(struct rf_app *a, const struct rf_test *t)
{
    struct rf_team_member m;
    if (!t->invite_id || rf_store_team_member_by_invite(a->store, t->invite_id, &m, NULL))
        return 1;
    int shared = m.shared;
    rf_store_team_member_cleanup(&m);
    return shared;
}

struct private_ctx {
    int64_t *ids;
    size_t n, cap;
    int oom;
};

static void push_id(struct private_ctx *c, int64_t id)
{
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        int64_t *g = rf_realloc_array(c->ids, cap, sizeof *g);
        if (!g) {
            c->oom = 1;
            return;
        }
        c->ids = g;
        c->cap = cap;
    }
    c->ids[c->n++] = id;
}

static void keep_private(void *ud, const struct rf_team_member *m)
{
    if (!m->shared)
        push_id(ud, m->invite_id);
}

static void keep_team_id(void *ud, const struct rf_team *t)
{
    push_id(ud, t->id);
}

rf_status rf_app_team_private_invites(struct rf_app *a, int64_t org_id, int64_t **ids, size_t *n,
                                      struct rf_err *err)
{
    *ids = NULL;
    *n = 0;
    struct private_ctx teams = {0}, inv = {0};
    rf_status rc = rf_store_teams_list(a->store, org_id, keep_team_id, &teams, err);
    for (size_t i = 0; !rc && !teams.oom && i < teams.n; i++)
        rc = rf_store_team_members_list(a->store, teams.ids[i], keep_private, &inv, err);
    free(teams.ids);
    if (!rc && (teams.oom || inv.oom))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    if (rc) {
        free(inv.ids);
        return rc;
    }
    *ids = inv.ids;
    *n = inv.n;
    return RF_OK;
}

rf_status rf_app_test_share(struct rf_app *a, const struct rf_principal *p, int64_t id,
                            const json_t *req, json_t **out, struct rf_app_error *e)
{
    const json_t *sv = json_object_get(req, "share");
    if (!json_is_boolean(sv))
        return rf_app_fail(e, RF_EINVAL, "share", "field 'share' must be true or false");
    struct rf_test t;
    rf_status rc = rf_app_own_test(a, p, id, &t, e);
    if (rc)
        return rc;
    struct rf_team_member m;
    memset(&m, 0, sizeof m);
    rc = t.invite_id ? rf_store_team_member_by_invite(a->store, t.invite_id, &m, &e->err)
                     : RF_ENOTFOUND;
    if (rc == RF_ENOTFOUND)
        rc = rf_app_fail(e, RF_ENOTFOUND, "test", "test %lld was not taken for a team",
                         (long long)id);
    if (!rc)
        rc = rf_store_team_member_share(a->store, m.id, json_is_true(sv), rf_app_now_s(),
                                        &e->err);
    if (!rc) {
        rf_app_log(a, "team member %lld: %s", (long long)m.id,
                   json_is_true(sv) ? "shares their profile" : "stopped sharing");
        m.shared = json_is_true(sv);
        *out = rf_app_team_of_test(a, &t);
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        else
            *out = json_pack("{s:o,s:b}", "team", *out, "shared", m.shared);
    }
    rf_store_team_member_cleanup(&m);
    rf_store_test_cleanup(&t);
    return rc;
}
