/*
 * Teams (app_teams.c): sharing. A member's profile is their own: the member
 * shares it from their report (rf_app_test_share); until then it counts in no
 * team view, staff cannot open its report, and organization-wide rankings
 * leave it out (rf_app_team_private_invites). A top-up of a member's test is
 * the member's too, and follows the same sharing.
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "server/app_flow.h"
#include "store/store.h"

/* ---- sharing: the member decides ---- */

/* Top-ups of top-ups followed at most this far back to the member's test. */
#define TOPUP_CHAIN 16

/* The team member invite_id belongs to: the member of that invite or, for a
 * top-up's invite, the member of the test it tops up (a member's top-up is
 * theirs too, and follows their sharing). RF_ENOTFOUND: no member's. */
static rf_status member_of_invite(struct rf_app *a, int64_t invite_id, struct rf_team_member *m)
{
    for (int depth = 0; invite_id && depth < TOPUP_CHAIN; depth++) {
        rf_status rc = rf_store_team_member_by_invite(a->store, invite_id, m, NULL);
        if (rc != RF_ENOTFOUND)
            return rc;
        struct rf_invite v;
        if ((rc = rf_store_invite_get(a->store, invite_id, &v, NULL)))
            return rc;
        int64_t of = v.topup_of;
        rf_store_invite_cleanup(&v);
        if (!of)
            return RF_ENOTFOUND;
        struct rf_test t;
        if ((rc = rf_store_test_get(a->store, of, &t, NULL)))
            return rc;
        invite_id = t.invite_id;
        rf_store_test_cleanup(&t);
    }
    return RF_ENOTFOUND;
}

json_t *rf_app_team_of_test(struct rf_app *a, const struct rf_test *t)
{
    struct rf_team_member m;
    if (member_of_invite(a, t->invite_id, &m))
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
    rf_status rc = member_of_invite(a, t->invite_id, &m);
    if (rc) /* no member's test: the organization's; a store error: not known, so no */
        return rc == RF_ENOTFOUND;
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

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

int rf_app_ids_have(const int64_t *ids, size_t n, int64_t id)
{
    return n && bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

static void keep_topup(void *ud, const struct rf_invite *v)
{
    if (v->topup_of)
        push_id(ud, v->id);
}

rf_status rf_app_team_private_invites(struct rf_app *a, int64_t org_id, int64_t **ids, size_t *n,
                                      struct rf_err *err)
{
    *ids = NULL;
    *n = 0;
    struct private_ctx teams = {0}, inv = {0}, topups = {0};
    rf_status rc = rf_store_teams_list(a->store, org_id, keep_team_id, &teams, err);
    for (size_t i = 0; !rc && !teams.oom && i < teams.n; i++)
        rc = rf_store_team_members_list(a->store, teams.ids[i], keep_private, &inv, err);
    /* a private member's top-ups are private too (listed first: the store is
     * not re-entrant) */
    if (!rc && teams.n)
        rc = rf_store_invites_list(a->store, org_id, keep_topup, &topups, err);
    for (size_t i = 0; !rc && !topups.oom && i < topups.n; i++) {
        struct rf_team_member m;
        rf_status mrc = member_of_invite(a, topups.ids[i], &m);
        if (mrc == RF_OK) {
            if (!m.shared)
                push_id(&inv, topups.ids[i]);
            rf_store_team_member_cleanup(&m);
        } else if (mrc != RF_ENOTFOUND) {
            rc = rf_err_set(err, mrc, "team members' top-ups: could not read the store");
        }
    }
    free(teams.ids);
    free(topups.ids);
    if (!rc && (teams.oom || inv.oom || topups.oom))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    if (rc) {
        free(inv.ids);
        return rc;
    }
    if (inv.n)
        qsort(inv.ids, inv.n, sizeof *inv.ids, cmp_id);
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
    rc = member_of_invite(a, t.invite_id, &m);
    if (rc && rc != RF_ENOTFOUND)
        rc = rf_app_fail(e, rc, NULL, "could not read the test's team");
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
