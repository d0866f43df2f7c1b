/* db export and import (store/dump.h), on either backend (testdb.h): a store
 * exported, imported into a new one and exported again gives the same file
 * byte for byte; ids continue after the imported ones; a store that is not
 * empty, or a bad file, is refused with nothing stored. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/dump.h"
#include "store/store.h"
#include "testdb.h"

static char url1[512], url2[512];
static struct rf_store *s1, *s2;
static struct rf_err err;

static void setup(void)
{
    testdb_create(url1, sizeof url1);
    testdb_create(url2, sizeof url2);
    cr_assert_eq(rf_store_open(url1, &s1, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_open(url2, &s2, &err), RF_OK, "%s", err.msg);
}

static void teardown(void)
{
    rf_store_close(s1);
    rf_store_close(s2);
    testdb_drop(url1);
    testdb_drop(url2);
}

TestSuite(dump, .init = setup, .fini = teardown);

/* One row in every table, with NULLs, non-ASCII text, quotes and binary bytes. */
static void fill(struct rf_store *s)
{
    int64_t org, uid, cand, pid, inv, tid, tid2, bv;
    cr_assert_eq(rf_store_org_create(s, "Ünïcode \"Org\"", &org, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_store_user_create(s, org, "Ann@x.org", "Ann", "admin", "h$1", &uid, &err),
                 RF_OK);
    cr_assert_eq(rf_store_candidate_create(s, org, "Bea 日本", NULL, &cand, &err), RF_OK);
    struct rf_auth a = {uid, 0, "csrf", 4102444800, 0, NULL};
    cr_assert_eq(rf_store_auth_create(s, "tokA", &a, &err), RF_OK);
    struct rf_posting p = {0, org, uid, "MLE", "line1\nline2\ttab", NULL, 0};
    cr_assert_eq(rf_store_posting_create(s, &p, &pid, &err), RF_OK);
    struct rf_invite v = {.org_id = org, .posting_id = pid, .created_by = uid,
                          .label = "for Bea", .expires = 4102444800};
    cr_assert_eq(rf_store_invite_create(s, "inv", &v, &inv, &err), RF_OK);
    cr_assert_eq(rf_store_invite_claim(s, inv, cand, &err), RF_OK);
    struct rf_test t = {.candidate_id = cand, .org_id = org, .posting_id = pid,
                        .invite_id = inv, .scope = "{\"skills\":[\"x\"]}", .state = "{}",
                        .served_ms = 1000};
    cr_assert_eq(rf_store_test_create(s, &t, &tid, &err), RF_OK);
    struct rf_answer a0 = {tid, 0, "q.a.001", 2, 1, 0, "2", 0};
    struct rf_answer_signals g = {.at_ms = 4000, .focus = 1, .blurs = 1, .away_ms = 10,
                                  .client_ms = -1};
    cr_assert_eq(rf_store_answer_signals(s, &a0, &g, "{\"n\":1}", NULL, NULL, 0, &err), RF_OK);
    struct rf_answer a1 = {tid, 1, "q.a.002", -1, 0, 0, " 2.5e-1", 0};
    cr_assert_eq(rf_store_answer_packed(s, &a1, "{\"n\":2}", "{\"skills\": []}",
                                        (const unsigned char *)"\x00\xff\x01\x80", 4, &err),
                 RF_OK, "%s", err.msg);
    struct rf_test t2 = {.candidate_id = cand, .scope = "{}", .state = "{}"};
    cr_assert_eq(rf_store_test_create(s, &t2, &tid2, &err), RF_OK);
    cr_assert_eq(rf_store_bank_version(s, "abc", 320, &bv, &err), RF_OK);
    cr_assert_eq(rf_store_setting_set(s, "practice", "on", &err), RF_OK);
    cr_assert_eq(rf_store_setting_set(s, "Zeta", "é", &err), RF_OK);
}

static char *export_of(struct rf_store *s, size_t *n)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, n);
    cr_assert(f);
    cr_assert_eq(rf_store_dump(s, f, &err), RF_OK, "%s", err.msg);
    fclose(f);
    return text;
}

static rf_status import_text(struct rf_store *s, const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    cr_assert(f);
    rf_status rc = rf_store_restore(s, f, "in.jsonl", &err);
    fclose(f);
    return rc;
}

Test(dump, export_import_export_gives_the_same_file)
{
    fill(s1);
    size_t n1, n2;
    char *a = export_of(s1, &n1);
    cr_assert(strstr(a, "{\"table\":\"answers\",\"columns\":[\"test_id\",\"seq\",\"item_id\""),
              "%s", a);
    cr_assert(strstr(a, "{\"hex\":\"00ff0180\"}"), "the packed profile as hex: %s", a);
    cr_assert_eq(import_text(s2, a), RF_OK, "%s", err.msg);
    char *b = export_of(s2, &n2);
    cr_assert_str_eq(a, b);
    /* ids go on after the imported ones */
    int64_t org;
    cr_assert_eq(rf_store_org_create(s2, "Next", &org, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(org, 2);
    struct rf_user u;
    cr_assert_eq(rf_store_user_by_email(s2, 1, "ann@x.org", &u, &err), RF_OK);
    cr_assert_str_eq(u.pw_hash, "h$1");
    rf_store_user_cleanup(&u);
    /* a store that is not empty is refused, and keeps what it had */
    cr_assert_eq(import_text(s2, a), RF_ECONFLICT);
    cr_assert(strstr(err.msg, "not empty"), "%s", err.msg);
    free(a);
    free(b);
}

/* A bad file: head 1 puts a valid header line before text. */
struct bad_file {
    int head;
    const char *text, *msg;
};

Test(dump, bad_files_are_refused_with_their_line_and_nothing_stored)
{
    size_t n;
    char *empty = export_of(s2, &n);
    int v = rf_store_schema_version(s2);
    char older[100];
    snprintf(older, sizeof older, "{\"format\":\"rolefit-db\",\"version\":1,\"schema\":%d}\n",
             v - 1);
    char older_msg[40];
    snprintf(older_msg, sizeof older_msg, "schema %d", v - 1);
    const struct bad_file bad[] = {
        {0, "", "empty file"},
        {0, "{\"format\":\"other\",\"version\":1,\"schema\":4}\n", "in.jsonl:1: not a rolefit-db"},
        {0, older, older_msg},
        {1, "[1]\n", "in.jsonl:2: a row before"},
        {1, "{\"table\":\"orgs\",\"columns\":[\"id\",\"name\",\"created\"]}\n[1,\"A\",5]\n[2,\"B\"]\n",
         "in.jsonl:4: the row does not have one value per column"},
        {1, "{\"table\":\"orgs\",\"columns\":[\"id\",\"name; DROP TABLE x\",\"created\"]}\n",
         "in.jsonl:2: a column name"},
        /* organization 1 does not exist: a foreign key */
        {1, "{\"table\":\"users\",\"columns\":[\"id\",\"org_id\",\"email\",\"name\",\"role\","
            "\"pw_hash\",\"created\"]}\n[1,1,\"a@x\",\"A\",\"admin\",\"h\",5]\n",
         "in.jsonl:3"},
        {1, "{\"table\":\"orgs\",\"columns\":[\"id\",\"name\",\"created\"]}\n[1,\"A\",5]\n"
            "{\"table\":\"orgs\",\"columns\":[\"id\",\"name\",\"created\"]}\n",
         "in.jsonl:4: tables out of order"},
        {1, "{\"table\":\"tests\",\"columns\":[\"packed\"]}\n[{\"hex\":\"0g\"}]\n",
         "in.jsonl:3: a hex value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        if (bad[i].head)
            snprintf(text, sizeof text, "{\"format\":\"rolefit-db\",\"version\":1,\"schema\":%d}\n%s",
                     v, bad[i].text);
        else
            snprintf(text, sizeof text, "%s", bad[i].text);
        cr_assert_eq(import_text(s2, text), RF_EINVAL, "case %zu: %s", i, err.msg);
        cr_assert(strstr(err.msg, bad[i].msg), "case %zu: %s", i, err.msg);
        char *now = export_of(s2, &n);
        cr_assert_str_eq(now, empty, "case %zu: something was stored", i);
        free(now);
    }
    free(empty);
}
