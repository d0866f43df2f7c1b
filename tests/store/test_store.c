/* The store, on SQLite or (RF_TEST_PG_URL, testdb.h) PostgreSQL: migrations,
 * uniqueness, expiry, single-use invites, atomic answers with
 * replay/concurrency refusal, listing and reopening. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/pg_schema.h"
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

TestSuite(store, .init = setup, .fini = teardown);

/* SQL that takes a new database back to schema 10 (undoes migration 12,
 * self-reported groups, and 11, interviews; the wider CHECK on users' role
 * stays: migration 11 makes it again). */
#define UNDO_SCHEMA_11                                                                             \
    "DROP TABLE group_reports; DROP TABLE scorecard_edits; DROP TABLE scorecards; "                 \
    "DROP TABLE interview_assignments; DELETE FROM schema_version WHERE version >= 11;"

/* SQL that takes a new database back to schema 9 (undoes migration 10, ranking's fits). */
#define UNDO_SCHEMA_10                                                                             \
    UNDO_SCHEMA_11 "DROP TABLE test_fits; DROP INDEX tests_ranked; CREATE INDEX tests_org ON tests(org_id, "     \
    "status); DELETE FROM schema_version WHERE version >= 10;"

/* SQL that takes a new database back to schema 8 (undoes migration 9, bank
 * revisions and the review queue). */
#define UNDO_SCHEMA_9                                                                              \
    UNDO_SCHEMA_10 "DROP TABLE review_decisions; DROP TABLE review_runs; DROP TABLE bank_revisions; "              \
    "DELETE FROM schema_version WHERE version >= 9;"

/* SQL that takes a new database back to schema 7 (undoes migration 8, limits). */
#define UNDO_SCHEMA_8                                                                              \
    UNDO_SCHEMA_9 "DROP TABLE limits; DROP TABLE practice_slots; DELETE FROM schema_version WHERE version >= 8;"

/* SQL that takes a new database back to schema 6 (undoes migration 7, teams). */
#define UNDO_SCHEMA_7                                                                              \
    UNDO_SCHEMA_8 "DROP TABLE team_assessments; DROP TABLE team_members; DROP TABLE teams; "                     \
    "DELETE FROM schema_version WHERE version >= 7;"

/* SQL that takes a new database back to schema 5, as far as the migrations
 * below it care: migration 6 applies again over it (test_accounts.c undoes
 * it in full). */
#define UNDO_SCHEMA_6                                                                              \
    UNDO_SCHEMA_7 "DROP INDEX orgs_name; DELETE FROM schema_version WHERE version >= 6;"

/* SQL that takes a new database back to schema 4 (undoes migrations 6 and 5). */
#define UNDO_SCHEMA_5                                                                              \
    UNDO_SCHEMA_6 "DROP TABLE posting_edits; ALTER TABLE invites DROP COLUMN resume_hash; "                      \
    "ALTER TABLE invites DROP COLUMN resume_fails; ALTER TABLE invites DROP COLUMN resume_fail_at; " \
    "ALTER TABLE invites DROP COLUMN topup_of; ALTER TABLE invites DROP COLUMN skills; "           \
    "DELETE FROM schema_version WHERE version >= 5;"

/* SQL that takes a new database back to schema 3 (undoes migrations 5 and 4). */
#define UNDO_SCHEMA_4                                                                              \
    UNDO_SCHEMA_5 "DROP INDEX answers_item; ALTER TABLE tests DROP COLUMN served_ms; "                           \
    "ALTER TABLE answers DROP COLUMN rt_ms; ALTER TABLE answers DROP COLUMN client_ms; "           \
    "ALTER TABLE answers DROP COLUMN blurs; ALTER TABLE answers DROP COLUMN hidden; "              \
    "ALTER TABLE answers DROP COLUMN away_ms; DELETE FROM schema_version WHERE version >= 4;"

Test(store, open_migrate_reopen_and_bad_urls)
{
    cr_assert_eq(rf_store_schema_version(st), (int)rf_sqlite_nmigrations);
    cr_assert_eq(rf_store_setting_set(st, "practice", "on", &err), RF_OK);
    rf_store_close(st);
    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    char *v;
    cr_assert_eq(rf_store_setting_get(st, "practice", &v, &err), RF_OK);
    cr_assert_str_eq(v, "on");
    free(v);
    cr_assert_eq(rf_store_setting_get(st, "absent", &v, &err), RF_OK);
    cr_assert_null(v);
    struct rf_store *x;
    cr_assert_eq(rf_store_open("/nonexistent-dir/x.db", &x, &err), RF_EDB);
    cr_assert(strstr(err.msg, "/nonexistent-dir/x.db"), "%s", err.msg);
    /* a PostgreSQL server nobody runs: one line naming the host, never the password */
    cr_assert_eq(rf_store_open("postgres://rolefit:s3cret-pw@127.0.0.1:1/rf", &x, &err), RF_EDB);
    cr_assert(strstr(err.msg, "127.0.0.1") && strstr(err.msg, "port 1"), "%s", err.msg);
    cr_assert(!strstr(err.msg, "s3cret") && !strchr(err.msg, '\n'), "%s", err.msg);
    cr_assert_eq(rf_store_open("postgresql://rolefit@127.0.0.1:1/rf?password=s3cret-pw", &x,
                               &err),
                 RF_EDB);
    cr_assert(strstr(err.msg, "127.0.0.1") && !strstr(err.msg, "s3cret"), "%s", err.msg);
    cr_assert_eq(rf_store_open("postgresql://u:s3cret-pw@127.0.0.1:1/rf?pool=3", &x, &err), RF_EDB);
    cr_assert(strstr(err.msg, "not valid") && strstr(err.msg, "pool"), "%s", err.msg);
    cr_assert(!strstr(err.msg, "s3cret"), "%s", err.msg);
}

/* Processes that start together on a new database: each migration is
 * applied once (PostgreSQL: under an advisory lock; SQLite: its write lock),
 * and every store opens at the latest schema. The two dialects keep the
 * same numbered migrations. */
static void *open_together(void *arg)
{
    struct rf_store *s = NULL;
    struct rf_err e;
    rf_status rc = rf_store_open(arg, &s, &e);
    int v = rc ? -1 : rf_store_schema_version(s);
    rf_store_close(s);
    return (void *)(intptr_t)v;
}

Test(store, migrations_run_once_when_stores_open_together)
{
    cr_assert_eq(rf_pg_nmigrations, rf_sqlite_nmigrations);
    char fresh[512];
    testdb_create(fresh, sizeof fresh);
    pthread_t th[6];
    for (int i = 0; i < 6; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, open_together, fresh), 0);
    /* every thread joined before an assertion can end the test: one left
     * running would open whatever the test's stack then holds as a URL */
    void *v[6];
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], &v[i]);
    for (int i = 0; i < 6; i++)
        cr_assert_eq((intptr_t)v[i], (intptr_t)rf_sqlite_nmigrations,
                     "store %d opened at version %d", i, (int)(intptr_t)v[i]);
    cr_assert_eq(testdb_int(fresh, "SELECT count(*) FROM schema_version"),
                 (int64_t)rf_sqlite_nmigrations);
    cr_assert_eq(testdb_int(fresh, "SELECT count(DISTINCT version) FROM schema_version"),
                 (int64_t)rf_sqlite_nmigrations);
    testdb_drop(fresh);
}

Test(store, urls_are_logged_without_their_password)
{
    char buf[128];
    rf_store_url_redacted("postgres://ann:pw@db.example:5433/rf?sslmode=require", buf, sizeof buf);
    cr_assert_str_eq(buf, "postgres://ann:***@db.example:5433/rf?sslmode=require");
    rf_store_url_redacted("postgresql://ann:p@ss:w@db/rf", buf, sizeof buf);
    cr_assert_str_eq(buf, "postgresql://ann:***@db/rf");
    rf_store_url_redacted("postgresql://db/rf?user=ann&password=pw&sslmode=require", buf,
                          sizeof buf);
    cr_assert_str_eq(buf, "postgresql://db/rf?user=ann&password=***&sslmode=require");
    rf_store_url_redacted("postgresql://ann@db/rf", buf, sizeof buf);
    cr_assert_str_eq(buf, "postgresql://ann@db/rf");
    rf_store_url_redacted("/srv/a:b@c.db", buf, sizeof buf);
    cr_assert_str_eq(buf, "/srv/a:b@c.db", "a file path is left alone");
    rf_store_url_redacted("postgres://ann:pw@db/rf", buf, 12);
    cr_assert_str_eq(buf, "postgres://");
}

Test(store, users_are_unique_by_email_in_their_organization)
{
    int64_t org, u1, u2, n;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "Ann@x.org", "Ann", "admin", "h1", &u1, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "ann@X.org", "Ann2", "recruiter", "h2", &u2, &err),
                 RF_ECONFLICT);
    cr_assert(strstr(err.msg, "already has an account"), "%s", err.msg);
    cr_assert_eq(rf_store_user_create(st, org, "bob@x.org", "Bob", "king", "h", &u2, &err),
                 RF_EINVAL, "role is checked");
    cr_assert_eq(rf_store_user_count(st, &n, &err), RF_OK);
    cr_assert_eq(n, 1);
    struct rf_user u;
    cr_assert_eq(rf_store_user_by_email(st, org, "ANN@x.org", &u, &err), RF_OK);
    cr_assert_eq(u.id, u1);
    cr_assert_str_eq(u.role, "admin");
    cr_assert_str_eq(u.pw_hash, "h1");
    rf_store_user_cleanup(&u);
    cr_assert_eq(rf_store_user_by_email(st, org, "nobody@x.org", &u, &err), RF_ENOTFOUND);
    cr_assert_eq(rf_store_user_create(st, 999, "c@x.org", "C", "admin", "h", &u2, &err), RF_EINVAL,
                 "foreign keys are on");
}

Test(store, login_sessions_expire)
{
    int64_t org, uid;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "a@x", "A", "admin", "h", &uid, &err), RF_OK);
    struct rf_auth a = {uid, 0, "csrf1", 2000, 0, NULL};
    cr_assert_eq(rf_store_auth_create(st, "tok1", &a, &err), RF_OK, "%s", err.msg);
    struct rf_auth g;
    cr_assert_eq(rf_store_auth_get(st, "tok1", 1999, &g, &err), RF_OK);
    cr_assert_eq(g.user_id, uid);
    cr_assert_str_eq(g.csrf, "csrf1");
    cr_assert_eq(g.org_id, org, "the owner's organization comes with the session");
    cr_assert_str_eq(g.role, "admin");
    rf_store_auth_cleanup(&g);
    /* a candidate's session: the candidate's organization, role "candidate" */
    int64_t cand;
    cr_assert_eq(rf_store_candidate_create(st, org, "Cy", NULL, &cand, &err), RF_OK, "%s", err.msg);
    struct rf_auth ca = {0, cand, "csrf2", 2000, 0, NULL};
    cr_assert_eq(rf_store_auth_create(st, "tokc", &ca, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_auth_get(st, "tokc", 1999, &g, &err), RF_OK, "%s", err.msg);
    cr_assert(g.candidate_id == cand && g.user_id == 0 && g.org_id == org);
    cr_assert_str_eq(g.role, "candidate");
    rf_store_auth_cleanup(&g);
    cr_assert_eq(rf_store_auth_get(st, "tok1", 2001, &g, &err), RF_ENOTFOUND, "expired");
    cr_assert_eq(rf_store_auth_get(st, "tok2", 0, &g, &err), RF_ENOTFOUND);
    cr_assert_eq(rf_store_auth_delete(st, "tok1", &err), RF_OK);
    cr_assert_eq(rf_store_auth_get(st, "tok1", 0, &g, &err), RF_ENOTFOUND);
}

static int ninv;
static void count_invite(void *ud, const struct rf_invite *v)
{
    (void)ud;
    cr_assert_str_eq(v->label, "for Bea");
    ninv++;
}

Test(store, invites_are_single_use)
{
    int64_t org, uid, inv, c1, c2;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "a@x", "A", "recruiter", "h", &uid, &err), RF_OK);
    struct rf_invite v = {.org_id = org, .created_by = uid, .role = "ml_engineer",
                          .label = "for Bea", .expires = 4102444800};
    cr_assert_eq(rf_store_invite_create(st, "ih", &v, &inv, &err), RF_OK, "%s", err.msg);
    struct rf_invite g;
    cr_assert_eq(rf_store_invite_by_token(st, "ih", &g, &err), RF_OK);
    cr_assert_eq(g.candidate_id, 0);
    cr_assert_str_eq(g.role, "ml_engineer");
    rf_store_invite_cleanup(&g);
    cr_assert_eq(rf_store_candidate_create(st, org, "Bea", NULL, &c1, &err), RF_OK);
    cr_assert_eq(rf_store_candidate_create(st, org, "Eve", NULL, &c2, &err), RF_OK);
    cr_assert_eq(rf_store_invite_claim(st, inv, c1, &err), RF_OK);
    cr_assert_eq(rf_store_invite_claim(st, inv, c2, &err), RF_ECONFLICT);
    cr_assert_eq(rf_store_invite_by_token(st, "ih", &g, &err), RF_OK);
    cr_assert_eq(g.candidate_id, c1);
    rf_store_invite_cleanup(&g);
    cr_assert_eq(rf_store_invite_get(st, inv, &g, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(g.label, "for Bea");
    cr_assert_eq(g.candidate_id, c1);
    rf_store_invite_cleanup(&g);
    cr_assert_eq(rf_store_invite_get(st, inv + 1000, &g, &err), RF_ENOTFOUND);
    ninv = 0;
    cr_assert_eq(rf_store_invites_list(st, org, count_invite, NULL, &err), RF_OK);
    cr_assert_eq(ninv, 1);
}

static int nans;
static void check_answer(void *ud, const struct rf_answer *a)
{
    (void)ud;
    cr_assert_eq(a->seq, nans);
    cr_assert_str_eq(a->item_id, nans ? "i2" : "i1");
    nans++;
}

static int nfin;
static void count_fin(void *ud, const struct rf_test *t)
{
    (void)ud;
    cr_assert_str_eq(t->profile, "{\"skills\": []}");
    nfin++;
}

Test(store, answers_are_atomic_and_ordered)
{
    int64_t cand, tid;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.scope = "{\"skills\": [\"x\"]}";
    t.state = "{\"n\": 0}";
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK, "%s", err.msg);
    struct rf_answer a = {tid, 0, "i1", 2, 1, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &a, "{\"n\": 1}", NULL, &err), RF_OK, "%s", err.msg);
    /* replay of the same position is refused and changes nothing */
    cr_assert_eq(rf_store_answer(st, &a, "{\"n\": 99}", NULL, &err), RF_ECONFLICT);
    struct rf_test g;
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_str_eq(g.state, "{\"n\": 1}");
    cr_assert_eq(g.answers, 1);
    cr_assert_str_eq(g.status, "active");
    rf_store_test_cleanup(&g);
    /* skipping ahead is refused too */
    struct rf_answer skip = {tid, 5, "i9", 0, 0, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &skip, "{}", NULL, &err), RF_ECONFLICT);
    struct rf_answer b = {tid, 1, "i2", 0, 0, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &b, "{\"n\": 2}", "{\"skills\": []}", &err), RF_OK);
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_str_eq(g.status, "finished");
    cr_assert_eq(g.answers, 2);
    rf_store_test_cleanup(&g);
    struct rf_answer c = {tid, 2, "i3", 0, 0, 0, NULL, 0};
    cr_assert_eq(rf_store_answer(st, &c, "{}", NULL, &err), RF_ECONFLICT, "finished tests take no answers");
    nans = 0;
    cr_assert_eq(rf_store_answers_list(st, tid, check_answer, NULL, &err), RF_OK);
    cr_assert_eq(nans, 2);
    nfin = 0;
    cr_assert_eq(rf_store_tests_finished(st, 0, count_fin, NULL, &err), RF_OK);
    cr_assert_eq(nfin, 1);
    nfin = 0;
    cr_assert_eq(rf_store_tests_finished(st, 7, count_fin, NULL, &err), RF_OK);
    cr_assert_eq(nfin, 0, "other organizations see nothing");
    cr_assert_eq(rf_store_test_get(st, 999, &g, &err), RF_ENOTFOUND);
}

/* A writer that kept a test's state in memory (server/sesscache.h) names the
 * served_ms its own last write set: the answer is stored only while the test
 * still holds that write, so a stale state is refused even at the right
 * answer count, and nothing of it is written. */
Test(store, answers_checked_against_the_writers_last_write)
{
    int64_t cand, tid;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.scope = "{\"skills\": [\"x\"]}";
    t.state = "{\"n\": 0}";
    t.served_ms = 5000;
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK, "%s", err.msg);
    struct rf_answer_signals sig = {6000, 0, 0, 0, 0, 0, -1};
    struct rf_answer a = {tid, 0, "i1", 0, 1, 0, NULL, 4999};
    cr_assert_eq(rf_store_answer_signals(st, &a, &sig, "{\"n\": 1}", NULL, NULL, 0, &err),
                 RF_ECONFLICT, "another write's served_ms");
    a.served_ms = 5000;
    cr_assert_eq(rf_store_answer_signals(st, &a, &sig, "{\"n\": 1}", NULL, NULL, 0, &err), RF_OK,
                 "%s", err.msg);
    /* the next answer names the write just made (sig.at_ms), not the creation */
    sig.at_ms = 7000;
    struct rf_answer b = {tid, 1, "i2", 0, 1, 0, NULL, 5000};
    cr_assert_eq(rf_store_answer_signals(st, &b, &sig, "{\"n\": 2}", NULL, NULL, 0, &err),
                 RF_ECONFLICT, "a state kept from before the last write is stale");
    struct rf_test g;
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_str_eq(g.state, "{\"n\": 1}", "the refused answer wrote nothing");
    cr_assert_eq(g.answers, 1);
    rf_store_test_cleanup(&g);
    b.served_ms = 6000;
    cr_assert_eq(rf_store_answer_signals(st, &b, &sig, "{\"n\": 2}", NULL, NULL, 0, &err), RF_OK,
                 "%s", err.msg);
    b.served_ms = 0; /* unchecked, as a writer that read the row: the count alone */
    b.seq = 2;
    sig.at_ms = 8000;
    cr_assert_eq(rf_store_answer_signals(st, &b, &sig, "{\"n\": 3}", NULL, NULL, 0, &err), RF_OK,
                 "%s", err.msg);
    nans = 0;
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_eq(g.answers, 3);
    cr_assert_str_eq(g.state, "{\"n\": 3}");
    rf_store_test_cleanup(&g);
}

/* A server that remembers who a session is answers without reading it
 * (server/sesscache.h rf_whocache): the answer's own write checks that the
 * session is still there, unexpired, of the test's candidate, whose
 * candidate still exists; otherwise the answer is refused and nothing of it
 * is stored, on both backends alike. */
Test(store, answers_checked_against_the_login_session)
{
    int64_t cand, other, tid;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &other, &err), RF_OK);
    /* live sessions (creating one purges the expired ones) */
    int64_t exp = (int64_t)time(NULL) + 3600;
    struct rf_auth mine = {0, cand, "c1", exp, 0, NULL}, theirs = {0, other, "c2", exp, 0, NULL};
    cr_assert_eq(rf_store_auth_create(st, "hmine", &mine, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_auth_create(st, "htheirs", &theirs, &err), RF_OK, "%s", err.msg);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.scope = "{\"skills\": [\"x\"]}";
    t.state = "{\"n\": 0}";
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK, "%s", err.msg);
    struct rf_answer_signals sig = {6000, 0, 0, 0, 0, 0, -1};
    struct rf_answer a = {tid, 0, "i1", 0, 1, 0, NULL, 0};
    cr_assert_eq(
        rf_store_answer_session(st, &a, &sig, "hnone", exp - 1, "{\"n\": 1}", NULL, NULL, 0, &err),
        RF_ECONFLICT, "no such session");
    cr_assert_eq(rf_store_answer_session(st, &a, &sig, "htheirs", exp - 1, "{\"n\": 1}", NULL, NULL,
                                         0, &err),
                 RF_ECONFLICT, "another candidate's session");
    cr_assert_eq(
        rf_store_answer_session(st, &a, &sig, "hmine", exp + 1, "{\"n\": 1}", NULL, NULL, 0, &err),
        RF_ECONFLICT, "the session expired");
    struct rf_test g;
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_eq(g.answers, 0, "nothing of the refused answers is stored");
    cr_assert_str_eq(g.state, "{\"n\": 0}");
    rf_store_test_cleanup(&g);
    nans = 0;
    cr_assert_eq(rf_store_answers_list(st, tid, check_answer, NULL, &err), RF_OK);
    cr_assert_eq(nans, 0);
    cr_assert_eq(
        rf_store_answer_session(st, &a, &sig, "hmine", exp, "{\"n\": 1}", NULL, NULL, 0, &err),
        RF_OK, "%s", err.msg);
    /* signed out: the next answer under that session is refused; unchecked it goes in */
    cr_assert_eq(rf_store_auth_delete(st, "hmine", &err), RF_OK);
    struct rf_answer b = {tid, 1, "i2", 0, 1, 0, NULL, 0};
    sig.at_ms = 7000;
    cr_assert_eq(
        rf_store_answer_session(st, &b, &sig, "hmine", exp - 1, "{\"n\": 2}", NULL, NULL, 0, &err),
        RF_ECONFLICT, "the session was signed out");
    cr_assert_eq(rf_store_answer_session(st, &b, &sig, NULL, 0, "{\"n\": 2}", NULL, NULL, 0, &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_test_get(st, tid, &g, &err), RF_OK);
    cr_assert_eq(g.answers, 2);
    cr_assert_str_eq(g.state, "{\"n\": 2}");
    rf_store_test_cleanup(&g);
}

static int npost;
static void count_post(void *ud, const struct rf_posting *p)
{
    (void)ud;
    cr_assert_str_eq(p->title, "MLE");
    npost++;
}

Test(store, postings_and_bank_versions)
{
    int64_t org, pid, bv1, bv2, bv3;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    struct rf_posting p = {0, org, 0, "MLE", "Requirements: PyTorch", "{}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &pid, &err), RF_OK, "%s", err.msg);
    struct rf_posting g;
    cr_assert_eq(rf_store_posting_get(st, pid, &g, &err), RF_OK);
    cr_assert_str_eq(g.text, "Requirements: PyTorch");
    rf_store_posting_cleanup(&g);
    npost = 0;
    cr_assert_eq(rf_store_postings_list(st, org, count_post, NULL, &err), RF_OK);
    cr_assert_eq(npost, 1);
    cr_assert_eq(rf_store_bank_version(st, "abc", 320, &bv1, &err), RF_OK);
    cr_assert_eq(rf_store_bank_version(st, "abc", 320, &bv2, &err), RF_OK);
    cr_assert_eq(rf_store_bank_version(st, "def", 321, &bv3, &err), RF_OK);
    cr_assert_eq(bv1, bv2);
    cr_assert_neq(bv1, bv3);
}

/* A posting edit replaces the parse and is recorded with who and when, in
 * one transaction; an edit of a posting that does not exist stores nothing. */
static int nedit;
static void see_edit(void *ud, const struct rf_posting_edit *e)
{
    int64_t uid = *(const int64_t *)ud;
    cr_assert_eq(e->user_id, uid);
    cr_assert_str_eq(e->user, "r@x");
    cr_assert(e->at > 0);
    cr_assert_str_eq(e->summary, nedit == 0 ? "removed SQL" : "Python: level proficient -> expert");
    cr_assert_str_eq(e->before, nedit == 0 ? "{\"required\":[1,2]}" : "{\"required\":[1]}");
    nedit++;
}

Test(store, posting_edits_are_recorded)
{
    int64_t org, uid, pid, eid;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "r@x", "R", "recruiter", "h", &uid, &err), RF_OK);
    struct rf_posting p = {0, org, uid, "MLE", "Requirements: Python, SQL", "{\"v\":0}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &pid, &err), RF_OK, "%s", err.msg);
    struct rf_posting_edit e = {0, pid, uid, 0, NULL, "removed SQL", "{\"required\":[1,2]}",
                                "{\"required\":[1]}"};
    cr_assert_eq(rf_store_posting_edit(st, "{\"v\":1}", &e, &eid, &err), RF_OK, "%s", err.msg);
    e.summary = "Python: level proficient -> expert";
    e.before = "{\"required\":[1]}";
    cr_assert_eq(rf_store_posting_edit(st, "{\"v\":2}", &e, &eid, &err), RF_OK, "%s", err.msg);
    struct rf_posting g;
    cr_assert_eq(rf_store_posting_get(st, pid, &g, &err), RF_OK);
    cr_assert_str_eq(g.parsed, "{\"v\":2}");
    cr_assert_str_eq(g.text, "Requirements: Python, SQL", "the text is kept as written");
    rf_store_posting_cleanup(&g);
    e.posting_id = pid + 100;
    cr_assert_eq(rf_store_posting_edit(st, "{\"v\":3}", &e, &eid, &err), RF_ENOTFOUND);
    nedit = 0;
    cr_assert_eq(rf_store_posting_edits_list(st, pid, see_edit, &uid, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(nedit, 2, "two edits, the failed one not recorded");
    nedit = 0;
    cr_assert_eq(rf_store_posting_edits_list(st, pid + 100, see_edit, &uid, &err), RF_OK);
    cr_assert_eq(nedit, 0);
}

static int nteam_rows;

static void see_member(void *ud, const struct rf_team_member *m)
{
    const int64_t *inv = ud;
    cr_assert_eq(m->invite_id, inv[nteam_rows]);
    cr_assert_str_eq(m->label, nteam_rows == 0 ? "Mia" : "Dan");
    cr_assert_eq(m->shared, nteam_rows == 0, "only Mia shares");
    cr_assert(nteam_rows != 0 || m->shared_at == 1234);
    nteam_rows++;
}

static void see_assessment(void *ud, const struct rf_team_assessment *a)
{
    (void)ud;
    cr_assert_str_eq(a->date, nteam_rows == 0 ? "2026-10-01" : "2026-11-01", "by date");
    nteam_rows++;
}

static void count_member(void *ud, const struct rf_team_member *m)
{
    (void)ud;
    (void)m;
    nteam_rows++;
}

static void see_team(void *ud, const struct rf_team *t)
{
    cr_assert_str_eq(t->name, (const char *)ud);
    nteam_rows++;
}

/* Teams (issue 18): members are invites, shared or not; assessments kept by date. */
Test(store, teams_members_and_assessments)
{
    int64_t org, org2, uid, team, inv[2], mid[2], aid;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_org_create(st, "Other", &org2, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "r@x", "R", "recruiter", "h", &uid, &err), RF_OK);
    struct rf_team t = {0, org, uid, 0, "Search"};
    cr_assert_eq(rf_store_team_create(st, &t, &team, &err), RF_OK, "%s", err.msg);
    struct rf_team g;
    cr_assert_eq(rf_store_team_get(st, team, &g, &err), RF_OK);
    cr_assert(g.org_id == org && g.created_by == uid && g.created > 0);
    cr_assert_str_eq(g.name, "Search");
    rf_store_team_cleanup(&g);
    cr_assert_eq(rf_store_team_get(st, team + 100, &g, &err), RF_ENOTFOUND);
    nteam_rows = 0;
    cr_assert_eq(rf_store_teams_list(st, org, see_team, "Search", &err), RF_OK);
    cr_assert_eq(nteam_rows, 1);
    nteam_rows = 0;
    cr_assert_eq(rf_store_teams_list(st, org2, see_team, "Search", &err), RF_OK);
    cr_assert_eq(nteam_rows, 0, "another organization has no teams");
    const char *labels[2] = {"Mia", "Dan"};
    for (int i = 0; i < 2; i++) {
        struct rf_invite v = {.org_id = org, .created_by = uid, .role = "mlops_engineer",
                              .label = (char *)labels[i], .expires = 4000000000LL};
        char h[16];
        snprintf(h, sizeof h, "tok%d", i);
        cr_assert_eq(rf_store_invite_create(st, h, &v, &inv[i], &err), RF_OK, "%s", err.msg);
        cr_assert_eq(rf_store_team_member_add(st, team, inv[i], &mid[i], &err), RF_OK, "%s",
                     err.msg);
    }
    int64_t dup;
    cr_assert_eq(rf_store_team_member_add(st, team, inv[0], &dup, &err), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "team member already"), "%s", err.msg);
    cr_assert_eq(rf_store_team_member_share(st, mid[0], 1, 1234, &err), RF_OK);
    cr_assert_eq(rf_store_team_member_share(st, mid[0] + 100, 1, 1234, &err), RF_ENOTFOUND);
    nteam_rows = 0;
    cr_assert_eq(rf_store_team_members_list(st, team, see_member, inv, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(nteam_rows, 2);
    struct rf_team_member m;
    cr_assert_eq(rf_store_team_member_by_invite(st, inv[1], &m, &err), RF_OK);
    cr_assert(m.id == mid[1] && m.team_id == team && !m.shared && m.candidate_id == 0);
    cr_assert_str_eq(m.role, "mlops_engineer");
    rf_store_team_member_cleanup(&m);
    struct rf_invite plain = {.org_id = org, .created_by = uid, .role = "mlops_engineer",
                              .expires = 4000000000LL};
    int64_t pinv;
    cr_assert_eq(rf_store_invite_create(st, "plain", &plain, &pinv, &err), RF_OK);
    cr_assert_eq(rf_store_team_member_by_invite(st, pinv, &m, &err), RF_ENOTFOUND);
    struct rf_team_assessment a1 = {0, team, uid, 0, "2026-11-01", "{\"data_schema\":1}"};
    struct rf_team_assessment a0 = {0, team, uid, 0, "2026-10-01", "{\"data_schema\":0.5}"};
    cr_assert_eq(rf_store_team_assessment_add(st, &a1, &aid, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_team_assessment_add(st, &a0, &aid, &err), RF_OK, "%s", err.msg);
    nteam_rows = 0;
    cr_assert_eq(rf_store_team_assessments_list(st, team, see_assessment, NULL, &err), RF_OK);
    cr_assert_eq(nteam_rows, 2);
}

static void count_any_invite(void *ud, const struct rf_invite *v)
{
    (void)v;
    (*(int *)ud)++;
}

/* A member's invite and their membership are one transaction: when the
 * membership fails (no such team), the invite is not stored either. */
Test(store, a_member_and_their_invite_are_stored_together_or_not_at_all)
{
    int64_t org, uid, team, inv = 0, mid = 0;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "r@x", "R", "recruiter", "h", &uid, &err), RF_OK);
    struct rf_team t = {0, org, uid, 0, "Search"};
    cr_assert_eq(rf_store_team_create(st, &t, &team, &err), RF_OK, "%s", err.msg);
    struct rf_invite v = {.org_id = org, .created_by = uid, .role = "mlops_engineer",
                          .label = "Mia", .expires = 4000000000LL};
    cr_assert_eq(rf_store_team_member_invite(st, team, "tok-a", &v, &inv, &mid, &err), RF_OK, "%s",
                 err.msg);
    struct rf_team_member m;
    cr_assert_eq(rf_store_team_member_by_invite(st, inv, &m, &err), RF_OK, "%s", err.msg);
    cr_assert(m.id == mid && m.team_id == team);
    rf_store_team_member_cleanup(&m);
    /* the membership fails (a team that does not exist): nothing is stored */
    int64_t inv2 = 0, mid2 = 0;
    cr_assert_neq(rf_store_team_member_invite(st, team + 1000, "tok-b", &v, &inv2, &mid2, &err),
                  RF_OK);
    int n = 0;
    cr_assert_eq(rf_store_invites_list(st, org, count_any_invite, &n, &err), RF_OK);
    cr_assert_eq(n, 1, "the failed member left no invite behind");
    struct rf_invite g;
    cr_assert_eq(rf_store_invite_by_token(st, "tok-b", &g, &err), RF_ENOTFOUND);
    /* the invite fails (its token is taken): no member either */
    cr_assert_neq(rf_store_team_member_invite(st, team, "tok-a", &v, &inv2, &mid2, &err), RF_OK);
    nteam_rows = 0;
    cr_assert_eq(rf_store_team_members_list(st, team, count_member, NULL, &err), RF_OK);
    cr_assert_eq(nteam_rows, 1);
    /* and the store still works after the rollbacks */
    cr_assert_eq(rf_store_team_member_invite(st, team, "tok-c", &v, &inv2, &mid2, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(inv2 != inv && mid2 != mid);
}

/* Top-up invites keep what they add to; the resume code's hash and its
 * wrong-code count are stored and reset. */
Test(store, invite_topup_and_resume_code)
{
    int64_t org, uid, inv;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_user_create(st, org, "a@x", "A", "recruiter", "h", &uid, &err), RF_OK);
    struct rf_invite v = {.org_id = org, .created_by = uid, .role = "ml_engineer", .label = "top-up",
                          .expires = 4102444800, .topup_of = 7, .skills = "[\"python\"]"};
    cr_assert_eq(rf_store_invite_create(st, "th", &v, &inv, &err), RF_OK, "%s", err.msg);
    struct rf_invite g;
    cr_assert_eq(rf_store_invite_get(st, inv, &g, &err), RF_OK);
    cr_assert_eq(g.topup_of, 7);
    cr_assert_str_eq(g.skills, "[\"python\"]");
    cr_assert_null(g.resume_hash);
    rf_store_invite_cleanup(&g);
    cr_assert_eq(rf_store_invite_set_resume(st, inv, "codehash", &err), RF_OK);
    cr_assert_eq(rf_store_invite_resume_result(st, inv, 0, 1000, &err), RF_OK);
    cr_assert_eq(rf_store_invite_resume_result(st, inv, 0, 1005, &err), RF_OK);
    cr_assert_eq(rf_store_invite_by_token(st, "th", &g, &err), RF_OK);
    cr_assert_str_eq(g.resume_hash, "codehash");
    cr_assert_eq(g.resume_fails, 2);
    cr_assert_eq(g.resume_fail_at, 1005);
    rf_store_invite_cleanup(&g);
    cr_assert_eq(rf_store_invite_resume_result(st, inv, 1, 1010, &err), RF_OK);
    cr_assert_eq(rf_store_invite_get(st, inv, &g, &err), RF_OK);
    cr_assert_eq(g.resume_fails, 0);
    rf_store_invite_cleanup(&g);
}

/* ---- ranking rows: a posting's applicants or the whole organization ---- */

struct seen {
    int n;
    int64_t ids[8];
    int packed[8];
    char labels[8][16];
};

static void see_ranked(void *ud, const struct rf_store_ranked *t)
{
    struct seen *v = ud;
    cr_assert_lt(v->n, 8);
    v->ids[v->n] = t->id;
    v->packed[v->n] = t->packed != NULL;
    snprintf(v->labels[v->n], sizeof v->labels[0], "%s", t->label ? t->label : "-");
    if (t->packed) {
        cr_assert_eq(t->npacked, 3);
        cr_assert(!memcmp(t->packed, "\x01\x00\x02", 3), "the blob is stored as given");
        cr_assert_null(t->profile, "the JSON is not read when the packed form is there");
    } else {
        cr_assert_str_eq(t->profile, "{\"skills\": []}");
    }
    v->n++;
}

/* A finished test of org for posting (0: none), from an invite labelled label
 * (NULL: no invite), with a packed profile or not. */
static int64_t finished_test(int64_t org, int64_t posting, const char *label, int packed)
{
    static int k;
    int64_t cand, inv = 0, tid;
    cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
    if (label) {
        char hash[32];
        snprintf(hash, sizeof hash, "hash%d", k++);
        struct rf_invite v = {.org_id = org, .posting_id = posting, .role = "ml_engineer",
                              .label = (char *)label, .expires = 1L << 40};
        cr_assert_eq(rf_store_invite_create(st, hash, &v, &inv, &err), RF_OK, "%s", err.msg);
    }
    struct rf_test t = {.candidate_id = cand, .org_id = org, .posting_id = posting,
                        .invite_id = inv, .scope = "{}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK, "%s", err.msg);
    struct rf_answer a = {tid, 0, "i1", 0, 1, 0, NULL, 0};
    cr_assert_eq(rf_store_answer_packed(st, &a, "{}", "{\"skills\": []}",
                                        packed ? (const unsigned char *)"\x01\x00\x02" : NULL,
                                        3, &err),
                 RF_OK, "%s", err.msg);
    return tid;
}

Test(store, ranked_rows_by_posting_or_organization)
{
    int64_t org, other, p1, p2;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    cr_assert_eq(rf_store_org_create(st, "Other", &other, &err), RF_OK);
    struct rf_posting p = {0, org, 0, "MLE", "Requirements: PyTorch", "{}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &p1, &err), RF_OK);
    cr_assert_eq(rf_store_posting_create(st, &p, &p2, &err), RF_OK);
    int64_t a = finished_test(org, p1, "ann", 1);
    int64_t b = finished_test(org, p2, "bob", 0);
    int64_t c = finished_test(org, p1, "cy", 0);
    int64_t d = finished_test(org, 0, "dee", 1); /* invited for no posting */
    finished_test(other, 0, "olga", 1);
    int64_t cand, act;
    cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.org_id = org;
    t.posting_id = p1;
    t.scope = t.state = "{}";
    cr_assert_eq(rf_store_test_create(st, &t, &act, &err), RF_OK); /* active: never ranked */
    struct seen v = {0};
    cr_assert_eq(rf_store_tests_ranked(st, org, p1, 0, 0, 0, see_ranked, &v, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(v.n, 2, "the posting's applicants only");
    cr_assert(v.ids[0] == c && v.ids[1] == a, "newest first");
    cr_assert_str_eq(v.labels[0], "cy");
    cr_assert(!v.packed[0] && v.packed[1]);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, 0, 0, 0, see_ranked, &v, &err), RF_OK);
    cr_assert_eq(v.n, 4, "the whole organization, no other");
    cr_assert(v.ids[0] == d && v.ids[1] == c && v.ids[2] == b && v.ids[3] == a);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, other, p1, 0, 0, 0, see_ranked, &v, &err), RF_OK);
    cr_assert_eq(v.n, 0, "a posting of another organization shows nothing");
}

/* What one ranked row carried: its kept fit, or its profile. */
struct kept {
    int n;
    int64_t ids[8], finished[8];
    char summary[8][8]; /* "" when none */
    int profile[8];     /* packed or JSON given */
};

static void see_kept(void *ud, const struct rf_store_ranked *t)
{
    struct kept *v = ud;
    cr_assert_lt(v->n, 8);
    v->ids[v->n] = t->id;
    v->finished[v->n] = t->finished;
    snprintf(v->summary[v->n], sizeof v->summary[0], "%.*s", (int)t->nsummary,
             t->summary ? (const char *)t->summary : "");
    v->profile[v->n] = t->packed || t->profile;
    cr_assert(!t->summary || (!t->packed && !t->profile), "a kept fit comes without the profile");
    v->n++;
}

/* Kept fits (rf_store_test_fits_put): a ranking of the posting under the same
 * key and size reads them instead of the profiles; another key, size or
 * posting reads the profiles; putting again replaces; a test that is not
 * finished, or finished at another time than the one given, gets none;
 * packing an old test's profile drops its fits. */
Test(store, kept_fits_replace_profiles_under_their_key)
{
    int64_t org, p1, p2;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    struct rf_posting p = {0, org, 0, "MLE", "Requirements: PyTorch", "{}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &p1, &err), RF_OK);
    cr_assert_eq(rf_store_posting_create(st, &p, &p2, &err), RF_OK);
    int64_t a = finished_test(org, p1, "ann", 1);
    int64_t b = finished_test(org, p1, "bob", 0);
    int64_t c = finished_test(org, 0, "cy", 1);
    struct kept v = {0};
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, p1, 7, 5, see_kept, &v, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(v.n == 3 && !v.summary[0][0] && v.profile[0] && v.profile[1] && v.profile[2]);
    int64_t fin[3] = {v.finished[2], v.finished[1] + 1, v.finished[0]}; /* a, b (wrong), c */
    int64_t ids[3] = {a, b, c};
    cr_assert_eq(rf_store_test_fits_put(st, p1, 7, 3, ids, fin, 5,
                                        (const unsigned char *)"AAAAABBBBBCCCCC", &err),
                 RF_OK, "%s", err.msg);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, p1, 7, 5, see_kept, &v, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(v.n == 3 && v.ids[0] == c && v.ids[1] == b && v.ids[2] == a);
    cr_assert_str_eq(v.summary[0], "CCCCC");
    cr_assert_str_eq(v.summary[1], "", "finished at another time: not kept");
    cr_assert(v.profile[1]);
    cr_assert_str_eq(v.summary[2], "AAAAA");
    cr_assert_eq(v.finished[0], fin[2], "a kept fit gives the test's time");
    /* the applicants only, same fits */
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, p1, p1, 7, 5, see_kept, &v, &err), RF_OK);
    cr_assert(v.n == 2 && v.ids[1] == a && !strcmp(v.summary[1], "AAAAA"));
    /* another key, size or posting: the profiles */
    int64_t other[][3] = {{p1, 8, 5}, {p1, 7, 6}, {p2, 7, 5}, {0, 7, 5}};
    for (size_t i = 0; i < 4; i++) {
        memset(&v, 0, sizeof v);
        cr_assert_eq(rf_store_tests_ranked(st, org, 0, other[i][0], other[i][1],
                                           (size_t)other[i][2], see_kept, &v, &err),
                     RF_OK);
        cr_assert(v.n == 3 && !v.summary[0][0] && !v.summary[2][0] && v.profile[0], "case %zu",
                  i);
    }
    /* replaced; b now at its right time */
    fin[1] = fin[1] - 1;
    cr_assert_eq(rf_store_test_fits_put(st, p1, 9, 3, ids, fin, 5,
                                        (const unsigned char *)"aaaaabbbbbccccc", &err),
                 RF_OK, "%s", err.msg);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, p1, 9, 5, see_kept, &v, &err), RF_OK);
    cr_assert(!strcmp(v.summary[0], "ccccc") && !strcmp(v.summary[1], "bbbbb") &&
              !strcmp(v.summary[2], "aaaaa"));
    /* packing b's profile drops b's fits */
    unsigned char pk[3] = {1, 0, 2}, *blobs[1] = {pk};
    size_t lens[1] = {3};
    cr_assert_eq(rf_store_tests_set_packed(st, 1, &b, blobs, lens, &err), RF_OK, "%s", err.msg);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, p1, 9, 5, see_kept, &v, &err), RF_OK);
    cr_assert(!strcmp(v.summary[0], "ccccc") && !v.summary[1][0] && v.profile[1] &&
              !strcmp(v.summary[2], "aaaaa"));
    /* an active test gets none */
    int64_t cand, act;
    cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {.candidate_id = cand, .org_id = org, .scope = "{}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(st, &t, &act, &err), RF_OK);
    cr_assert_eq(rf_store_test_fits_put(st, p1, 9, 1, &act, &fin[0], 5,
                                        (const unsigned char *)"zzzzz", &err),
                 RF_OK, "%s", err.msg);
    cr_assert_eq(testdb_int(path, "SELECT count(*) FROM test_fits"), 2,
                 "a and c: b's dropped, the active test's never kept");
}

/* A database made by the first schema (no packed column, no posting index)
 * opens, is migrated, and its finished tests rank from their JSON. The old
 * schema is made from a new one by undoing migrations 2 to 4 on the database itself. */
Test(store, opens_a_first_schema_database)
{
    int64_t org, p1;
    cr_assert_eq(rf_store_org_create(st, "Acme", &org, &err), RF_OK);
    struct rf_posting p = {0, org, 0, "MLE", "Requirements: PyTorch", "{}", 0};
    cr_assert_eq(rf_store_posting_create(st, &p, &p1, &err), RF_OK);
    int64_t a = finished_test(org, p1, "ann", 0);
    rf_store_close(st);
    st = NULL;
    testdb_exec(path, UNDO_SCHEMA_4 "DROP INDEX tests_posting; ALTER TABLE tests DROP COLUMN packed; "
                      "ALTER TABLE answers DROP COLUMN response; "
                      "DELETE FROM schema_version WHERE version >= 2;");
    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_schema_version(st), (int)rf_sqlite_nmigrations);
    struct seen v = {0};
    cr_assert_eq(rf_store_tests_ranked(st, org, p1, 0, 0, 0, see_ranked, &v, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(v.n, 1);
    cr_assert_eq(v.ids[0], a);
    cr_assert_eq(v.packed[0], 0, "an old test has no packed form: ranking reads its JSON");
    /* and the migrated database takes packed profiles */
    int64_t b = finished_test(org, p1, "bob", 1);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, p1, 0, 0, 0, see_ranked, &v, &err), RF_OK);
    cr_assert(v.n == 2 && v.ids[0] == b && v.packed[0] && !v.packed[1]);
    /* the old test gets one later; a test that has one, or is active, keeps its state */
    int64_t cand, act;
    cr_assert_eq(rf_store_candidate_create(st, org, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {.candidate_id = cand, .org_id = org, .scope = "{}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(st, &t, &act, &err), RF_OK);
    int64_t ids[] = {a, b, act};
    unsigned char *blobs[] = {(unsigned char *)"\x01\x00\x02", (unsigned char *)"zzz",
                              (unsigned char *)"zzz"};
    size_t lens[] = {3, 3, 3};
    cr_assert_eq(rf_store_tests_set_packed(st, 3, ids, blobs, lens, &err), RF_OK, "%s", err.msg);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_tests_ranked(st, org, 0, 0, 0, 0, see_ranked, &v, &err), RF_OK);
    cr_assert(v.n == 2 && v.packed[0] && v.packed[1], "both packed, bob's blob unchanged");
    struct rf_test g;
    cr_assert_eq(rf_store_test_get(st, act, &g, &err), RF_OK);
    cr_assert_str_eq(g.status, "active");
    rf_store_test_cleanup(&g);
}

struct resp_seen {
    int n;
    char item[4][16], resp[4][32];
    int choice[4], score[4], has[4];
};

static void see_response(void *ud, const struct rf_answer *a)
{
    struct resp_seen *v = ud;
    if (v->n >= 4)
        return;
    snprintf(v->item[v->n], sizeof v->item[0], "%s", a->item_id);
    snprintf(v->resp[v->n], sizeof v->resp[0], "%s", a->response ? a->response : "");
    v->has[v->n] = a->response != NULL;
    v->choice[v->n] = a->choice;
    v->score[v->n++] = a->score;
}

/* A test made in a new database, which is then taken back to an older
 * schema by sql (run on the database itself) and reopened: migrated to schema 4.
 * Returns the test's id. */
static int64_t test_in_old_schema(const char *sql)
{
    int64_t cand, tid;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    struct rf_test t = {.candidate_id = cand, .scope = "{}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(st, &t, &tid, &err), RF_OK);
    rf_store_close(st);
    st = NULL;
    testdb_exec(path, sql);
    cr_assert_eq(rf_store_open(path, &st, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_schema_version(st), (int)rf_sqlite_nmigrations);
    return tid;
}

/* A database of schema 2 (answers without their raw response) opens and is
 * migrated: its answers read back unchanged with no response (NULL), and
 * new answers keep theirs, exactly as given. */
Test(store, answers_keep_their_raw_response_and_old_ones_survive)
{
    int64_t tid = test_in_old_schema(UNDO_SCHEMA_4 "ALTER TABLE answers DROP COLUMN response;"
                                                   "DELETE FROM schema_version WHERE version >= 3;"
                                                   "INSERT INTO answers(test_id, seq, item_id, "
                                                   "choice, score, at) "
                                                   "VALUES (1, 0, 'old', 2, 1, 5);"
                                                   "UPDATE tests SET answers = 1;");
    struct rf_answer a = {tid, 1, "num", -1, 1, 0, " 2.5e-1", 0};
    cr_assert_eq(rf_store_answer(st, &a, "{}", NULL, &err), RF_OK, "%s", err.msg);
    struct rf_answer b = {tid, 2, "sel", -1, 2, 0, "0,3", 0};
    cr_assert_eq(rf_store_answer(st, &b, "{}", NULL, &err), RF_OK, "%s", err.msg);
    struct rf_answer c = {tid, 3, "none", -1, 0, 0, "", 0};
    cr_assert_eq(rf_store_answer(st, &c, "{}", NULL, &err), RF_OK, "%s", err.msg);
    struct resp_seen v = {0};
    cr_assert_eq(rf_store_answers_list(st, tid, see_response, &v, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(v.n, 4);
    cr_assert(!v.has[0] && v.choice[0] == 2 && v.score[0] == 1, "the old answer is intact");
    cr_assert_str_eq(v.item[0], "old");
    cr_assert(v.has[1] && !strcmp(v.resp[1], " 2.5e-1"), "'%s'", v.resp[1]);
    cr_assert(v.has[2] && !strcmp(v.resp[2], "0,3") && v.score[2] == 2);
    cr_assert(v.has[3] && !strcmp(v.resp[3], ""), "an empty selection is not a missing one");
}

struct sig_seen {
    int n;
    int64_t rt[8], client[8], blurs[8], hidden[8], away[8];
    int focus[8], score[8];
};

static void see_signals(void *ud, const struct rf_answer *a, const struct rf_answer_signals *g)
{
    struct sig_seen *v = ud;
    if (v->n >= 8)
        return;
    v->rt[v->n] = g->rt_ms;
    v->client[v->n] = g->client_ms;
    v->focus[v->n] = g->focus;
    v->blurs[v->n] = g->blurs;
    v->hidden[v->n] = g->hidden;
    v->away[v->n] = g->away_ms;
    v->score[v->n++] = a->score;
}

struct wrong_seen {
    int n;
    char resp[4][16];
    int64_t count[4];
};

static void see_wrong(void *ud, const char *response, int64_t n)
{
    struct wrong_seen *w = ud;
    if (w->n < 4) {
        snprintf(w->resp[w->n], sizeof w->resp[0], "%s", response);
        w->count[w->n++] = n;
    }
}

/* A database of schema 3 upgrades to schema 4 without loss: its answers read
 * back intact with no time and no focus report; a test active across the
 * upgrade gets no time for its next answer (when its question was served is
 * unknown) and times from then on. A new test's response times are the
 * server's: from serving (creating the test, recording the previous answer)
 * to receiving, whatever the browser reports beside them. */
Test(store, schema_3_upgrades_and_answers_keep_their_signals)
{
    int64_t old = test_in_old_schema(UNDO_SCHEMA_4 "INSERT INTO answers(test_id, seq, item_id, "
                                                   "choice, score, at, response) "
                                                   "VALUES (1, 0, 'q.a.001', 2, 0, 5, '2');"
                                                   "UPDATE tests SET answers = 1;");
    int64_t cand;
    cr_assert_eq(rf_store_candidate_create(st, 0, NULL, NULL, &cand, &err), RF_OK);
    struct rf_answer a1 = {old, 1, "q.a.002", 1, 1, 0, "1", 0};
    struct rf_answer_signals g = {.at_ms = 5000000};
    cr_assert_eq(rf_store_answer_signals(st, &a1, &g, "{}", NULL, NULL, 0, &err), RF_OK, "%s",
                 err.msg);
    struct rf_answer a2 = {old, 2, "q.a.001", 3, 0, 0, "3", 0};
    g.at_ms = 5004500;
    cr_assert_eq(rf_store_answer_signals(st, &a2, &g, "{}", NULL, NULL, 0, &err), RF_OK);
    struct sig_seen v = {0};
    cr_assert_eq(rf_store_answers_signals(st, old, see_signals, &v, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(v.n, 3);
    cr_assert(v.rt[0] == -1 && !v.focus[0] && v.client[0] == -1 && v.score[0] == 0,
              "the old answer is intact, without signals");
    cr_assert_eq(v.rt[1], -1, "served before the upgrade: no time");
    cr_assert_eq(v.rt[2], 4500, "served at the previous answer, received 4.5 s later");

    int64_t tid;
    struct rf_test n = {.candidate_id = cand, .scope = "{}", .state = "{}", .served_ms = 9000000};
    cr_assert_eq(rf_store_test_create(st, &n, &tid, &err), RF_OK);
    struct rf_answer b1 = {tid, 0, "q.a.001", 2, 0, 0, "2", 0};
    struct rf_answer_signals f = {.at_ms = 9001200, .focus = 1, .blurs = 2, .hidden = 1,
                                  .away_ms = 700, .client_ms = 1100};
    cr_assert_eq(rf_store_answer_signals(st, &b1, &f, "{}", NULL, NULL, 0, &err), RF_OK);
    struct rf_answer b2 = {tid, 1, "q.a.003", -1, 1, 0, "2.5", 0};
    struct rf_answer_signals h = {.at_ms = 9001000, .focus = 1, .client_ms = -1};
    cr_assert_eq(rf_store_answer_signals(st, &b2, &h, "{}", "{}", NULL, 0, &err), RF_OK);
    memset(&v, 0, sizeof v);
    cr_assert_eq(rf_store_answers_signals(st, tid, see_signals, &v, &err), RF_OK);
    cr_assert_eq(v.n, 2);
    cr_assert(v.rt[0] == 1200 && v.focus[0] && v.blurs[0] == 2 && v.hidden[0] == 1 &&
                  v.away[0] == 700 && v.client[0] == 1100,
              "rt %lld blurs %lld hidden %lld away %lld client %lld", (long long)v.rt[0],
              (long long)v.blurs[0], (long long)v.hidden[0], (long long)v.away[0],
              (long long)v.client[0]);
    cr_assert(v.rt[1] == 0 && v.focus[1] && v.client[1] == -1,
              "a clock stepping back gives 0, never a negative time (got %lld)",
              (long long)v.rt[1]);
    /* a refused answer records nothing and leaves the served time alone */
    struct rf_answer late = {tid, 2, "q.a.004", 0, 0, 0, "0", 0};
    cr_assert_eq(rf_store_answer_signals(st, &late, &f, "{}", NULL, NULL, 0, &err), RF_ECONFLICT);

    struct rf_store_item_stats is;
    cr_assert_eq(rf_store_item_stats(st, "q.a.001", &is, &err), RF_OK, "%s", err.msg);
    cr_assert(is.ntimed == 2 && is.mean_rt_ms == (4500 + 1200) / 2.0, "n %lld mean %g",
              (long long)is.ntimed, is.mean_rt_ms);
    struct wrong_seen w = {0};
    cr_assert_eq(rf_store_item_wrong(st, "q.a.001", 8, see_wrong, &w, &err), RF_OK, "%s",
                 err.msg);
    cr_assert(w.n == 2 && !strcmp(w.resp[0], "2") && w.count[0] == 2 &&
                  !strcmp(w.resp[1], "3") && w.count[1] == 1,
              "wrong answers, most frequent first: %d: %s x%lld", w.n, w.resp[0],
              (long long)w.count[0]);
    memset(&w, 0, sizeof w);
    cr_assert_eq(rf_store_item_wrong(st, "q.a.001", 1, see_wrong, &w, &err), RF_OK);
    cr_assert_eq(w.n, 1, "at most max of them");
    cr_assert_eq(rf_store_item_stats(st, "nowhere", &is, &err), RF_OK);
    cr_assert(is.ntimed == 0 && is.mean_rt_ms == 0);
    /* answers stored per item in finished tests (pretest batches), what
     * calibration will read: the second test finished (its answers count,
     * the refused one is none), the first still runs (its three do not) */
    const char *const cid[4] = {"q.a.001", "nowhere", "q.a.003", "q.a.004"};
    int64_t cnt[4] = {-1, -1, -1, -1};
    cr_assert_eq(rf_store_item_answer_counts(st, 4, cid, cnt, &err), RF_OK, "%s", err.msg);
    cr_assert(cnt[0] == 1 && cnt[1] == 0 && cnt[2] == 1 && cnt[3] == 0,
              "one test running: answer counts %lld %lld %lld %lld, want 1 0 1 0",
              (long long)cnt[0], (long long)cnt[1], (long long)cnt[2], (long long)cnt[3]);
    /* the first test finishes with a fourth answer: all its answers count */
    struct rf_answer a3 = {old, 3, "q.a.004", 1, 1, 0, "1", 0};
    cr_assert_eq(rf_store_answer_signals(st, &a3, NULL, "{}", "{}", NULL, 0, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(rf_store_item_answer_counts(st, 4, cid, cnt, &err), RF_OK, "%s", err.msg);
    cr_assert(cnt[0] == 3 && cnt[1] == 0 && cnt[2] == 1 && cnt[3] == 1,
              "both finished: answer counts %lld %lld %lld %lld, want 3 0 1 1", (long long)cnt[0],
              (long long)cnt[1], (long long)cnt[2], (long long)cnt[3]);
    /* an item asked twice gets its count twice */
    const char *const twice[2] = {"q.a.003", "q.a.003"};
    cr_assert_eq(rf_store_item_answer_counts(st, 2, twice, cnt, &err), RF_OK, "%s", err.msg);
    cr_assert(cnt[0] == 1 && cnt[1] == 1, "%lld %lld", (long long)cnt[0], (long long)cnt[1]);
    cr_assert_eq(rf_store_item_answer_counts(st, 0, NULL, NULL, &err), RF_OK);
}
