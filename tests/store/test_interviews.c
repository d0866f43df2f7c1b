/* The store's interviews (issue 17), on SQLite or PostgreSQL (testdb.h):
 * interviewer accounts, assignments, scorecards saved, submitted once and
 * locked by round, every save kept with its author, time and the content it
 * replaced; refusals change nothing. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "testdb.h"

static char path[512];
static struct rf_store *st;
static struct rf_err err;
static int64_t org, other_org, rec, ann, bob, eve, inv, inv2;

static void setup(void)
{
    st = testdb_open(path, sizeof path);
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_org_create(st, "Other", &other_org, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_user_create(st, org, "rec@x.org", "Rec", "recruiter", "h", &rec, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_user_create(st, org, "ann@x.org", "Ann", "interviewer", "h", &ann, &err),
                 RF_OK, "an interviewer account: %s", err.msg);
    cr_assert_eq(rf_store_user_create(st, org, "bob@x.org", "Bob", "interviewer", "h", &bob, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(
        rf_store_user_create(st, other_org, "eve@x.org", "Eve", "interviewer", "h", &eve, &err),
        RF_OK, "%s", err.msg);
    struct rf_invite v = {.org_id = org, .created_by = rec, .role = "ml_engineer",
                          .label = "Cand A", .expires = 4000000000};
    cr_assert_eq(rf_store_invite_create(st, "inv-a", &v, &inv, &err), RF_OK, "%s", err.msg);
    v.label = "Cand B";
    cr_assert_eq(rf_store_invite_create(st, "inv-b", &v, &inv2, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    testdb_close(st, path);
}

TestSuite(interviews, .init = setup, .fini = teardown);

static int64_t assign(int64_t invite, const char *round, int64_t slot, int64_t who)
{
    struct rf_assignment a = {.org_id = org, .invite_id = invite, .round = (char *)round,
                              .slot = slot, .interviewer_id = who, .created_by = rec};
    int64_t id = 0;
    cr_assert_eq(rf_store_assignment_add(st, &a, &id, &err), RF_OK, "assign %s %lld: %s", round,
                 (long long)slot, err.msg);
    return id;
}

static rf_status save(int64_t id, int64_t who, const char *scores, int submit, char state[16])
{
    struct rf_scorecard_save w = {id, who, scores, "notes", "hire", submit};
    return rf_store_scorecard_save(st, &w, state, &err);
}

struct collect {
    char text[2048];
    size_t n;
};

static void edit_cb(void *ud, const struct rf_scorecard_edit *e)
{
    struct collect *c = ud;
    size_t l = strlen(c->text);
    snprintf(c->text + l, sizeof c->text - l, "%s by %s: %s %s|", e->action,
             e->user ? e->user : "-", e->state ? e->state : "none",
             e->scores ? e->scores : "-");
    c->n++;
}

static void assign_cb(void *ud, const struct rf_assignment *a)
{
    struct collect *c = ud;
    size_t l = strlen(c->text);
    snprintf(c->text + l, sizeof c->text - l, "%s/%lld/%s/%s|", a->round, (long long)a->slot,
             a->interviewer, a->state ? a->state : "none");
    c->n++;
}

static void user_cb(void *ud, const struct rf_user *u)
{
    struct collect *c = ud;
    size_t l = strlen(c->text);
    snprintf(c->text + l, sizeof c->text - l, "%s:%s|", u->email, u->role);
    c->n++;
}

Test(interviews, accounts_of_an_organization_with_their_roles)
{
    struct collect c = {{0}, 0};
    cr_assert_eq(rf_store_users_list(st, org, user_cb, &c, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(c.text, "rec@x.org:recruiter|ann@x.org:interviewer|bob@x.org:interviewer|");
    int64_t id;
    cr_assert_neq(rf_store_user_create(st, org, "z@x.org", "Z", "owner", "h", &id, &err), RF_OK,
                  "a role outside the three is refused by the schema");
}

Test(interviews, drafts_then_one_submission_with_every_save_kept)
{
    int64_t a1 = assign(inv, "coding_algorithmic", 1, ann);
    assign(inv, "coding_algorithmic", 1, bob);
    char state[16];
    cr_assert_eq(save(a1, ann, "{\"correctness\":2}", 0, state), RF_OK, "%s", err.msg);
    cr_assert_str_eq(state, "draft");
    cr_assert_eq(save(a1, ann, "{\"correctness\":3}", 0, state), RF_OK, "%s", err.msg);
    cr_assert_eq(save(a1, ann, "{\"correctness\":4}", 1, state), RF_OK, "%s", err.msg);
    cr_assert_str_eq(state, "submitted", "bob has not submitted: the round is not locked");
    struct rf_assignment a;
    cr_assert_eq(rf_store_assignment_get(st, a1, &a, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(a.state, "submitted");
    cr_assert_str_eq(a.scores, "{\"correctness\":4}");
    cr_assert_str_eq(a.interviewer, "Ann");
    cr_assert(a.submitted > 0);
    rf_store_assignment_cleanup(&a);

    /* a second submission, and a save after it, are refused; nothing changes */
    cr_assert_eq(save(a1, ann, "{\"correctness\":1}", 1, state), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "submitted already"), "%s", err.msg);
    cr_assert_eq(save(a1, ann, "{\"correctness\":1}", 0, state), RF_ECONFLICT);
    cr_assert_eq(rf_store_assignment_get(st, a1, &a, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(a.scores, "{\"correctness\":4}");
    rf_store_assignment_cleanup(&a);

    struct collect c = {{0}, 0};
    cr_assert_eq(rf_store_scorecard_edits_list(st, a1, edit_cb, &c, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(c.text,
                     "save by ann@x.org: none -|save by ann@x.org: draft {\"correctness\":2}|"
                     "submit by ann@x.org: draft {\"correctness\":3}|");
}

Test(interviews, the_last_submission_of_a_round_locks_it)
{
    int64_t a1 = assign(inv, "ml_system_design", 1, ann);
    int64_t a2 = assign(inv, "ml_system_design", 1, bob);
    int64_t a3 = assign(inv, "ml_system_design", 2, ann); /* another holding: not locked */
    char state[16];
    cr_assert_eq(save(a1, ann, "{}", 1, state), RF_OK, "%s", err.msg);
    cr_assert_str_eq(state, "submitted");
    cr_assert_eq(save(a2, bob, "{}", 1, state), RF_OK, "%s", err.msg);
    cr_assert_str_eq(state, "locked");
    struct collect c = {{0}, 0};
    cr_assert_eq(rf_store_assignments_list(st, org, inv, 0, assign_cb, &c, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_str_eq(c.text, "ml_system_design/1/Ann/locked|ml_system_design/1/Bob/locked|"
                             "ml_system_design/2/Ann/none|");
    /* a locked round takes no new interviewer; another holding does */
    struct rf_assignment na = {.org_id = org, .invite_id = inv, .round = "ml_system_design",
                               .slot = 1, .interviewer_id = rec, .created_by = rec};
    int64_t id;
    cr_assert_eq(rf_store_assignment_add(st, &na, &id, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "locked"), "%s", err.msg);
    (void)a3;
    cr_assert_eq(save(a3, ann, "{}", 0, state), RF_OK, "%s", err.msg);
    cr_assert_str_eq(state, "draft");
}

Test(interviews, refusals_store_nothing)
{
    int64_t a1 = assign(inv, "behavioral", 1, ann);
    struct rf_assignment dup = {.org_id = org, .invite_id = inv, .round = "behavioral",
                                .slot = 1, .interviewer_id = ann, .created_by = rec};
    int64_t id;
    cr_assert_eq(rf_store_assignment_add(st, &dup, &id, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "already"), "%s", err.msg);
    char state[16];
    cr_assert_eq(save(a1 + 1000, ann, "{}", 0, state), RF_ENOTFOUND);
    struct collect c = {{0}, 0};
    cr_assert_eq(rf_store_scorecard_edits_list(st, a1 + 1000, edit_cb, &c, &err), RF_OK);
    cr_assert_eq(c.n, 0);
    cr_assert_eq(rf_store_assignment_get(st, a1 + 1000, &dup, &err), RF_ENOTFOUND);
}

Test(interviews, lists_by_invite_and_by_interviewer)
{
    assign(inv, "coding_algorithmic", 1, ann);
    assign(inv2, "coding_algorithmic", 1, bob);
    assign(inv2, "behavioral", 1, ann);
    struct collect c = {{0}, 0};
    cr_assert_eq(rf_store_assignments_list(st, org, 0, ann, assign_cb, &c, &err), RF_OK);
    cr_assert_str_eq(c.text, "coding_algorithmic/1/Ann/none|behavioral/1/Ann/none|");
    memset(&c, 0, sizeof c);
    cr_assert_eq(rf_store_assignments_list(st, org, inv2, 0, assign_cb, &c, &err), RF_OK);
    cr_assert_str_eq(c.text, "behavioral/1/Ann/none|coding_algorithmic/1/Bob/none|");
    memset(&c, 0, sizeof c);
    cr_assert_eq(rf_store_assignments_list(st, other_org, 0, 0, assign_cb, &c, &err), RF_OK);
    cr_assert_eq(c.n, 0, "another organization sees none");
}
