/*
 * The database a store test opens, so that the same tests run on both
 * backends: a new SQLite file in a temporary folder, or, when RF_TEST_PG_URL
 * names a PostgreSQL database (tests/integration/store_pg.sh starts one with
 * pg_virtualenv), a new schema in it, named by the URL returned
 * (search_path set to the schema).
 */
#ifndef RF_TESTS_STORE_TESTDB_H
#define RF_TESTS_STORE_TESTDB_H

#include <stddef.h>

struct rf_store;

/* Creates a new empty database and writes its store URL to url (n bytes). */
void testdb_create(char *url, size_t n);
/* Runs SQL on the database of url, around the store (to take a database back
 * to an older schema); fails the test on error. */
void testdb_exec(const char *url, const char *sql);
/* The integer the query sql (one row, one column) gives on the database of url. */
long long testdb_int(const char *url, const char *sql);
/* Removes the database of url. */
void testdb_drop(const char *url);
/* A new database (testdb_create) with a store open on it; fails the test
 * on error. */
struct rf_store *testdb_open(char *url, size_t n);
/* Closes the store (NULL: none) and drops its database. */
void testdb_close(struct rf_store *st, const char *url);
/* 1 when the tests run on PostgreSQL. */
int testdb_is_pg(void);

#endif
