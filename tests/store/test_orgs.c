/* Accounts per organization (issue 21), on SQLite or (RF_TEST_PG_URL,
 * testdb.h) PostgreSQL: an address is unique within its organization only,
 * organizations are found by name (case-insensitively, names unique) or as
 * the only one, and migration 6 keeps every account and what refers to it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_schema.h"
#include "store/store.h"
#include "testdb.h"

static char path[512];
static struct rf_store *st;
static struct rf_err err;

static void setup(void)
{
    st = testdb_open(path, sizeof path);
}

static void teardown(void)
{
    testdb_close(st, path);
}

TestSuite(orgs, .init = setup, .fini = teardown);

Test(orgs, one_address_in_two_organizations)
{
    int64_t acme, beta, a1, a2, b1, id;
    cr_assert_eq(rf_store_org_find(st, NULL, &id, &err), RF_ENOTFOUND, "no organization yet");
    cr_assert_eq(rf_store_org_create(st, "Acme", &acme, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_org_find(st, NULL, &id, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(id, acme, "the only organization");
    cr_assert_eq(rf_store_user_create(st, acme, "Ann@x.org", "Ann", "admin", "ha", &a1, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_org_create(st, "aCME", &id, &err), RF_ECONFLICT, "names are unique");
    cr_assert(strstr(err.msg, "aCME"), "%s", err.msg);
    cr_assert_eq(rf_store_org_create(st, "Beta", &beta, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_org_find(st, NULL, &id, &err), RF_ECONFLICT, "two: a name is needed");
    cr_assert_eq(rf_store_org_find(st, "BETA", &id, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(id, beta);
    cr_assert_eq(rf_store_org_find(st, "Gamma", &id, &err), RF_ENOTFOUND);
    /* the same address in another organization is another account */
    cr_assert_eq(rf_store_user_create(st, beta, "ann@X.org", "Ann B", "recruiter", "hb", &b1, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_neq(b1, a1);
    cr_assert_eq(rf_store_user_create(st, acme, "ANN@x.org", "Ann 2", "recruiter", "h", &a2, &err),
                 RF_ECONFLICT, "within one organization the address is taken");
    struct rf_user u;
    cr_assert_eq(rf_store_user_by_email(st, acme, "ann@x.org", &u, &err), RF_OK, "%s", err.msg);
    cr_assert(u.id == a1 && u.org_id == acme && !strcmp(u.pw_hash, "ha"));
    rf_store_user_cleanup(&u);
    cr_assert_eq(rf_store_user_by_email(st, beta, "ANN@X.ORG", &u, &err), RF_OK, "%s", err.msg);
    cr_assert(u.id == b1 && u.org_id == beta && !strcmp(u.pw_hash, "hb"));
    rf_store_user_cleanup(&u);
    int64_t n;
    cr_assert_eq(rf_store_user_count(st, &n, &err), RF_OK);
    cr_assert_eq(n, 2);
}

/* SQL that takes a new database back to schema 5 in full: migration 12's
 * groups, 11's interviews, 10's
 * fits, 9's revisions, 8's limits and 7's teams dropped, addresses unique across organizations (SQLite: users
 * rebuilt as migration 1 made it; the test connection has foreign keys off),
 * organization names free. */
static const char *undo_schema_6(void)
{
    if (testdb_is_pg())
        return "DROP TABLE group_reports; DROP TABLE scorecard_edits; DROP TABLE scorecards; DROP TABLE interview_assignments; DROP TABLE test_fits; DROP INDEX tests_ranked; CREATE INDEX tests_org ON tests(org_id, status); DROP TABLE review_decisions; DROP TABLE review_runs; DROP TABLE bank_revisions; DROP TABLE limits; DROP TABLE practice_slots; DROP TABLE team_assessments; DROP TABLE team_members; DROP TABLE teams; DROP INDEX orgs_name; DROP INDEX users_email;"
               "CREATE UNIQUE INDEX users_email ON users(lower(email));"
               "DELETE FROM schema_version WHERE version >= 6;";
    return "DROP TABLE group_reports; DROP TABLE scorecard_edits; DROP TABLE scorecards; DROP TABLE interview_assignments; DROP TABLE test_fits; DROP INDEX tests_ranked; CREATE INDEX tests_org ON tests(org_id, status); DROP TABLE review_decisions; DROP TABLE review_runs; DROP TABLE bank_revisions; DROP TABLE limits; DROP TABLE practice_slots; DROP TABLE team_assessments; DROP TABLE team_members; DROP TABLE teams; DROP INDEX orgs_name;"
           "CREATE TABLE users_old (id INTEGER PRIMARY KEY,"
           "  org_id INTEGER NOT NULL REFERENCES orgs(id),"
           "  email TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL,"
           "  role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter')), pw_hash TEXT NOT NULL,"
           "  created INTEGER NOT NULL);"
           "INSERT INTO users_old SELECT id, org_id, email, name, role, pw_hash, created FROM users;"
           "DROP TABLE users; ALTER TABLE users_old RENAME TO users;"
           "DELETE FROM schema_version WHERE version >= 6;";
}

/* A database of schema 5 with accounts, their sessions, postings, edits and
 * invites, and two organizations of one name (possible before): migrated,
 * every row stays with its id, sessions still sign in, the second name gets
 * its id added, and foreign keys are on again. */
Test(orgs, migration_keeps_accounts_and_what_refers_to_them)
{
    int64_t acme, ann, bob, post, edit, inv, other;
    cr_assert_eq(rf_store_org_create(st, "Acme", &acme, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, acme, "ann@x.org", "Ann", "admin", "ha", &ann, &err),
                 RF_OK);
    cr_assert_eq(rf_store_user_create(st, acme, "bob@x.org", "Bob", "recruiter", "hb", &bob, &err),
                 RF_OK);
    struct rf_auth a = {bob, 0, "csrf-b", 4000000000, 0, NULL};
    cr_assert_eq(rf_store_auth_create(st, "tok-bob", &a, &err), RF_OK, "%s", err.msg);
    struct rf_posting p = {0, acme, bob, "MLE", "Requirements: PyTorch", "{}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &post, &err), RF_OK);
    struct rf_posting_edit pe = {0, post, bob, 0, NULL, "tightened", "{}", "{\"a\":1}"};
    cr_assert_eq(rf_store_posting_edit(st, "{\"a\":1}", &pe, &edit, &err), RF_OK, "%s", err.msg);
    struct rf_invite v = {.org_id = acme, .posting_id = post, .created_by = bob,
                          .expires = 4000000000};
    cr_assert_eq(rf_store_invite_create(st, "inv-hash", &v, &inv, &err), RF_OK, "%s", err.msg);
    rf_store_close(st);
    st = NULL;
    testdb_exec(path, undo_schema_6());
    testdb_exec(path, "INSERT INTO orgs(name, created) VALUES ('ACME', 1)");
    other = testdb_int(path, "SELECT max(id) FROM orgs");

    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_schema_version(st), (int)rf_sqlite_nmigrations);
    struct rf_user u;
    cr_assert_eq(rf_store_user_get(st, ann, &u, &err), RF_OK, "%s", err.msg);
    cr_assert(u.org_id == acme && !strcmp(u.email, "ann@x.org") && !strcmp(u.pw_hash, "ha"));
    rf_store_user_cleanup(&u);
    cr_assert_eq(rf_store_user_by_email(st, acme, "BOB@x.org", &u, &err), RF_OK, "%s", err.msg);
    cr_assert(u.id == bob && !strcmp(u.role, "recruiter"));
    rf_store_user_cleanup(&u);
    struct rf_auth got;
    cr_assert_eq(rf_store_auth_get(st, "tok-bob", 100, &got, &err), RF_OK,
                 "a session outlives the migration: %s", err.msg);
    cr_assert_eq(got.user_id, bob);
    rf_store_auth_cleanup(&got);
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM posting_edits WHERE user_id = %lld",
             (long long)bob);
    cr_assert_eq(testdb_int(path, sql), 1);
    cr_assert_eq(testdb_int(path, "SELECT created_by FROM invites"), bob);
    cr_assert_eq(testdb_int(path, "SELECT created_by FROM postings"), bob);
    /* the two Acmes: the first keeps its name, the other is told apart */
    char *name;
    cr_assert_eq(rf_store_org_name(st, acme, &name, &err), RF_OK);
    cr_assert_str_eq(name, "Acme");
    free(name);
    cr_assert_eq(rf_store_org_name(st, other, &name, &err), RF_OK);
    char want[64];
    snprintf(want, sizeof want, "ACME (%lld)", (long long)other);
    cr_assert_str_eq(name, want);
    free(name);
    /* and the new rules hold: ann in the other organization too, once */
    int64_t id;
    cr_assert_eq(rf_store_user_create(st, other, "Ann@x.org", "Ann", "admin", "h", &id, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_user_create(st, other, "ann@x.org", "Ann", "admin", "h", &id, &err),
                 RF_ECONFLICT);
    cr_assert_eq(rf_store_org_create(st, "acme", &id, &err), RF_ECONFLICT);
    cr_assert_eq(rf_store_user_create(st, 999, "c@x.org", "C", "admin", "h", &id, &err),
                 RF_EINVAL, "foreign keys are on again");
}
