/* Bank revisions and the review queue (issue 19), on SQLite or
 * (RF_TEST_PG_URL, testdb.h) PostgreSQL: a revision is stored and made
 * active only from the active one (a second promotion from the same parent
 * is refused and stores nothing), a rollback makes an earlier revision
 * active exactly as it was, an unknown revision is refused, and decisions
 * and runs are listed newest first. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "testdb.h"

static char path[512];
static struct rf_store *st;
static struct rf_err err;
static int64_t org, admin;

static void setup(void)
{
    st = testdb_open(path, sizeof path);
    cr_assert_eq(rf_store_org_create(st, "Bank keepers", &org, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_user_create(st, org, "ada@x.org", "Ada", "admin", "h", &admin, &err),
                 RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    testdb_close(st, path);
}

TestSuite(review, .init = setup, .fini = teardown);

static int64_t active(void)
{
    int64_t id = -1;
    cr_assert_eq(rf_store_bank_revision_active(st, &id, &err), RF_OK, "%s", err.msg);
    return id;
}

static void count_fn(void *ud, const struct rf_bank_revision *r)
{
    (void)r;
    ++*(int *)ud;
}

static int nrevisions(void)
{
    int n = 0;
    cr_assert_eq(rf_store_bank_revisions_list(st, count_fn, &n, &err), RF_OK, "%s", err.msg);
    return n;
}

struct dec_list {
    int n;
    char actions[16][16];
    int64_t revisions[16];
};

static void dec_fn(void *ud, const struct rf_review_decision *d)
{
    struct dec_list *l = ud;
    if (l->n < 16) {
        snprintf(l->actions[l->n], 16, "%s", d->action);
        l->revisions[l->n] = d->revision;
    }
    l->n++;
}

Test(review, revisions_from_the_active_one_only)
{
    cr_assert_eq(active(), 0, "no revision yet: the bank file");
    struct rf_review_run run = {0, 0, admin, 0, "pretest", "{\"items\":[]}"};
    int64_t run_id, r1, r2, id;
    cr_assert_eq(rf_store_review_run_add(st, &run, &run_id, &err), RF_OK, "%s", err.msg);
    struct rf_bank_revision rv = {
        0, 0, admin, 0, "{\"items\":{\"x.1\":{\"pool\":\"operational\"}}}", "promote x.1"};
    struct rf_review_decision d = {0, 0, run_id, admin, 0, "x.1", "promote", ""};
    cr_assert_eq(rf_store_bank_revision_add(st, &rv, &d, &r1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r1, 1);
    cr_assert_eq(active(), 1);
    /* a second promotion made from revision 0 (a stale page) is refused */
    d.item = "x.2";
    rv.overlay = "{\"items\":{\"x.2\":{\"retired\":true}}}";
    cr_assert_eq(rf_store_bank_revision_add(st, &rv, &d, &r2, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "revision 1"), "%s", err.msg);
    cr_assert_eq(nrevisions(), 1, "nothing stored on a refusal");
    rv.parent = 1;
    cr_assert_eq(rf_store_bank_revision_add(st, &rv, &d, &r2, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r2, 2);
    cr_assert_eq(active(), 2);
    struct rf_bank_revision got;
    cr_assert_eq(rf_store_bank_revision_get(st, 2, &got, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(got.parent, 1);
    cr_assert_str_eq(got.overlay, rv.overlay);
    cr_assert_eq(got.created_by, admin);
    rf_store_bank_revision_cleanup(&got);
    cr_assert_eq(rf_store_bank_revision_get(st, 7, &got, &err), RF_ENOTFOUND);

    /* rollback to 1, then to the file, and a refused one */
    struct rf_review_decision rb = {0, 1, 0, admin, 0, NULL, "rollback", "bad item"};
    cr_assert_eq(rf_store_bank_revision_activate(st, 2, &rb, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(active(), 1);
    rb.revision = 0;
    cr_assert_eq(rf_store_bank_revision_activate(st, 2, &rb, &err), RF_ECONFLICT,
                 "expected 2, but 1 is active");
    cr_assert_eq(active(), 1);
    rb.revision = 9;
    cr_assert_eq(rf_store_bank_revision_activate(st, 1, &rb, &err), RF_ENOTFOUND);
    cr_assert_eq(active(), 1);
    rb.revision = 0;
    cr_assert_eq(rf_store_bank_revision_activate(st, 1, &rb, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(active(), 0);
    /* a promotion after a rollback gets the next id and names its parent */
    rv.parent = 0;
    int64_t r3;
    cr_assert_eq(rf_store_bank_revision_add(st, &rv, &d, &r3, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r3, 3);
    struct rf_review_decision keep = {0, 3, run_id, admin, 0, "x.9", "keep", ""};
    cr_assert_eq(rf_store_review_decision_add(st, &keep, &id, &err), RF_OK, "%s", err.msg);

    struct dec_list l = {0};
    cr_assert_eq(rf_store_review_decisions_list(st, dec_fn, &l, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(l.n, 6, "promote, promote, rollback, rollback, promote, keep: %d", l.n);
    const char *want[] = {"keep", "promote", "rollback", "rollback", "promote", "promote"};
    int64_t wrev[] = {3, 3, 0, 1, 2, 1};
    for (int i = 0; i < 6; i++) {
        cr_assert_str_eq(l.actions[i], want[i], "decision %d", i);
        cr_assert_eq(l.revisions[i], wrev[i], "decision %d", i);
    }
    /* the latest run of a kind */
    struct rf_review_run r;
    run.result = "{\"items\":[1]}";
    cr_assert_eq(rf_store_review_run_add(st, &run, &id, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_review_run_latest(st, "pretest", &r, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r.id, id);
    cr_assert_str_eq(r.result, "{\"items\":[1]}");
    rf_store_review_run_cleanup(&r);
    cr_assert_eq(rf_store_review_run_latest(st, "drift", &r, &err), RF_ENOTFOUND);
}

Test(review, a_bad_decision_stores_nothing)
{
    struct rf_bank_revision rv = {0, 0, admin, 0, "{}", "x"};
    struct rf_review_decision d = {0, 0, 0, admin, 0, "x.1", "promote-ish", ""};
    int64_t id;
    cr_assert_neq(rf_store_bank_revision_add(st, &rv, &d, &id, &err), RF_OK,
                  "the decision's action is checked: the revision goes with it");
    cr_assert_eq(nrevisions(), 0);
    cr_assert_eq(active(), 0);
}

/* ---- concurrent promotions from the same revision: exactly one wins ---- */

static void *promote(void *arg)
{
    struct rf_store *s;
    struct rf_err e;
    if (rf_store_open(path, &s, &e))
        return (void *)(intptr_t)-1;
    struct rf_bank_revision rv = {0, 0, 0, 0, "{\"items\":{}}", (char *)arg};
    struct rf_review_decision d = {0, 0, 0, 0, 0, (char *)arg, "promote", ""};
    int64_t id;
    rf_status rc = rf_store_bank_revision_add(s, &rv, &d, &id, &e);
    rf_store_close(s);
    return (void *)(intptr_t)(rc == RF_OK ? 1 : rc == RF_ECONFLICT ? 0 : -1);
}

Test(review, one_of_concurrent_promotions_wins)
{
    pthread_t th[4];
    char *names[4] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, promote, names[i]), 0);
    void *v[4];
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], &v[i]);
    int won = 0;
    for (int i = 0; i < 4; i++) {
        cr_assert_neq((intptr_t)v[i], -1, "promotion %d failed otherwise than by a conflict", i);
        won += (int)(intptr_t)v[i];
    }
    cr_assert_eq(won, 1, "%d promotions from revision 0 were stored", won);
    cr_assert_eq(nrevisions(), 1);
    cr_assert_eq(active(), 1);
}
