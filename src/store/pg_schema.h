/*
 * The schema of the PostgreSQL store, as numbered migrations in step with
 * the SQLite ones (sqlite_schema.h): migration i + 1 is rf_pg_migrations[i],
 * the same tables, columns, constraints and indexes in PostgreSQL's dialect,
 * run in one transaction that records its number in schema_version. A
 * migration is never edited once shipped; a change of schema is a new one
 * appended to both lists (docs/store.md).
 */
#ifndef RF_STORE_PG_SCHEMA_H
#define RF_STORE_PG_SCHEMA_H

#include <stddef.h>

extern const char *const rf_pg_migrations[];
extern const size_t rf_pg_nmigrations;

#endif
