/* Self-reported group membership (issue 19, store/groups.h), on SQLite or
 * (RF_TEST_PG_URL, testdb.h) PostgreSQL: an answer is stored, changed,
 * declined and withdrawn (deleted for good); an unknown candidate is
 * refused and stores nothing; the aggregate list holds only answers not
 * declined, of the organization asked for (or of every candidate), by
 * candidate; deleting a candidate deletes the answer. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/groups.h"
#include "store/store.h"
#include "testdb.h"

static char path[512];
static struct rf_store *st;
static struct rf_err err;
static int64_t org1, org2, c1, c2, c3, c4;

static void setup(void)
{
    st = testdb_open(path, sizeof path);
    cr_assert_eq(rf_store_org_create(st, "One", &org1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_org_create(st, "Two", &org2, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_candidate_create(st, org1, NULL, NULL, &c1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_candidate_create(st, org1, NULL, NULL, &c2, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_candidate_create(st, org2, NULL, NULL, &c3, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &c4, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    testdb_close(st, path);
}

TestSuite(groups, .init = setup, .fini = teardown);

static void put(int64_t cand, int declined, const char *g, const char *a, const char *l,
                const char *c)
{
    struct rf_group_report r = {cand, declined, {(char *)g, (char *)a, (char *)l, (char *)c}, 0};
    cr_assert_eq(rf_store_group_report_put(st, &r, &err), RF_OK, "candidate %lld: %s",
                 (long long)cand, err.msg);
}

static void expect(int64_t cand, int declined, const char *g, const char *a, const char *l,
                   const char *c)
{
    struct rf_group_report r;
    cr_assert_eq(rf_store_group_report_get(st, cand, &r, &err), RF_OK, "%s", err.msg);
    const char *want[RF_GROUP_NDIMS] = {g, a, l, c};
    cr_assert_eq(r.candidate_id, cand);
    cr_assert_eq(r.declined, declined, "candidate %lld: declined %d", (long long)cand, r.declined);
    for (int i = 0; i < RF_GROUP_NDIMS; i++) {
        if (!want[i])
            cr_assert_null(r.value[i], "candidate %lld field %d: '%s'", (long long)cand, i,
                           r.value[i]);
        else
            cr_assert(r.value[i] && !strcmp(r.value[i], want[i]),
                      "candidate %lld field %d: '%s', expected '%s'", (long long)cand, i,
                      r.value[i] ? r.value[i] : "(null)", want[i]);
    }
    cr_assert_gt(r.updated, 0);
    rf_store_group_report_cleanup(&r);
}

Test(groups, put_change_decline_withdraw)
{
    struct rf_group_report r;
    cr_assert_eq(rf_store_group_report_get(st, c1, &r, &err), RF_ENOTFOUND);
    put(c1, 0, "woman", "25_34", "ja", NULL);
    expect(c1, 0, "woman", "25_34", "ja", NULL);
    put(c1, 0, NULL, "35_44", NULL, "JP"); /* a change replaces every field */
    expect(c1, 0, NULL, "35_44", NULL, "JP");
    put(c1, 1, NULL, NULL, NULL, NULL);
    expect(c1, 1, NULL, NULL, NULL, NULL);
    int del = -1;
    cr_assert_eq(rf_store_group_report_delete(st, c1, &del, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(del, 1);
    cr_assert_eq(rf_store_group_report_get(st, c1, &r, &err), RF_ENOTFOUND);
    cr_assert_eq(rf_store_group_report_delete(st, c1, &del, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(del, 0, "a second withdrawal found something");
    cr_assert_eq(testdb_int(path, "SELECT count(*) FROM group_reports"), 0);
}

Test(groups, unknown_candidate_refused)
{
    struct rf_group_report r = {999999, 0, {"man", NULL, NULL, NULL}, 0};
    cr_assert_eq(rf_store_group_report_put(st, &r, &err), RF_ENOTFOUND);
    cr_assert(strstr(err.msg, "999999"), "%s", err.msg);
    cr_assert_eq(testdb_int(path, "SELECT count(*) FROM group_reports"), 0);
}

struct seen {
    int64_t ids[8];
    char gender[8][32];
    size_t n;
};

static void take(void *ud, const struct rf_group_report *g)
{
    struct seen *s = ud;
    cr_assert_lt(s->n, 8);
    cr_assert_eq(g->declined, 0, "a declined answer was listed");
    s->ids[s->n] = g->candidate_id;
    snprintf(s->gender[s->n++], 32, "%s",
             g->value[RF_GROUP_GENDER] ? g->value[RF_GROUP_GENDER] : "-");
}

Test(groups, list_by_organization_without_declined)
{
    put(c2, 0, "man", NULL, "en", "US");
    put(c1, 0, "woman", NULL, NULL, NULL);
    put(c3, 0, "nonbinary", NULL, NULL, NULL);
    put(c4, 1, NULL, NULL, NULL, NULL);
    struct seen s = {{0}, {{0}}, 0};
    cr_assert_eq(rf_store_group_reports_list(st, org1, take, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.ids[0], c1);
    cr_assert_str_eq(s.gender[0], "woman");
    cr_assert_eq(s.ids[1], c2);
    cr_assert_str_eq(s.gender[1], "man");
    memset(&s, 0, sizeof s);
    cr_assert_eq(rf_store_group_reports_list(st, 0, take, &s, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(s.n, 3, "every organization: %zu", s.n);
    cr_assert_eq(s.ids[2], c3);
}
