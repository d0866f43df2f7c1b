/* Test databases on either backend; see testdb.h. */
#include "testdb.h"

#include <criterion/criterion.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static const char *pg_base(void)
{
    const char *u = getenv("RF_TEST_PG_URL");
    return u && u[0] ? u : NULL;
}

int testdb_is_pg(void)
{
    return pg_base() != NULL;
}

/* Runs sql on a libpq connection to conninfo. */
static void pg_run(const char *conninfo, const char *sql)
{
    PGconn *c = PQconnectdb(conninfo);
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    cr_assert_eq(PQstatus(c), CONNECTION_OK, "test database: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    cr_assert(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK,
              "test database: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

void testdb_create(char *url, size_t n)
{
    const char *base = pg_base();
    if (!base) {
        char dir[64];
        strcpy(dir, "/tmp/rf-store-XXXXXX");
        cr_assert(mkdtemp(dir));
        snprintf(url, n, "%s/t.db", dir);
        return;
    }
    static int k;
    char schema[64], sql[128];
    snprintf(schema, sizeof schema, "rft_%ld_%d", (long)getpid(), k++);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema,
             schema);
    pg_run(base, sql);
    snprintf(url, n, "%s%coptions=-csearch_path%%3D%s", base, strchr(base, '?') ? '&' : '?',
             schema);
}

/* The SQLite database at path, which must exist: opening never creates a
 * file, so a URL of the other backend (or a bad pointer) cannot leave an
 * empty file behind in the working folder. */
static sqlite3 *sqlite_open(const char *path)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    cr_assert_eq(rc, SQLITE_OK, "test database %s: %s", path,
                 db ? sqlite3_errmsg(db) : "no memory");
    return db;
}

/* The backend is the one url names, as rf_store_open chooses it. */
void testdb_exec(const char *url, const char *sql)
{
    if (rf_store_is_pg_url(url)) {
        pg_run(url, sql);
        return;
    }
    sqlite3 *db = sqlite_open(url);
    char *msg = NULL;
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
    sqlite3_close(db);
}

long long testdb_int(const char *url, const char *sql)
{
    long long v = 0;
    if (rf_store_is_pg_url(url)) {
        PGconn *c = PQconnectdb(url);
        cr_assert_eq(PQstatus(c), CONNECTION_OK, "test database: %s", PQerrorMessage(c));
        PGresult *r = PQexec(c, sql);
        cr_assert(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1,
                  "test database: %s: %s", sql, PQresultErrorMessage(r));
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(c);
        return v;
    }
    sqlite3 *db = sqlite_open(url);
    sqlite3_stmt *st;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sqlite3_errmsg(db));
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void testdb_drop(const char *url)
{
    if (rf_store_is_pg_url(url)) {
        const char *s = strstr(url, "search_path%3D");
        cr_assert(s);
        char sql[128];
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", s + 14);
        pg_run(pg_base(), sql);
        return;
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(strrchr(url, '/') - url), url);
    cr_assert_eq(system(cmd), 0);
}

struct rf_store *testdb_open(char *url, size_t n)
{
    testdb_create(url, n);
    struct rf_store *st;
    struct rf_err err;
    cr_assert_eq(rf_store_open(url, &st, &err), RF_OK, "%s", err.msg);
    return st;
}

void testdb_close(struct rf_store *st, const char *url)
{
    rf_store_close(st);
    testdb_drop(url);
}
