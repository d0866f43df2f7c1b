/*
 * The schema of the SQLite store, as numbered migrations: migration i + 1 is
 * rf_sqlite_migrations[i], SQL run in one transaction that also records its
 * number in schema_version. A migration is never edited once shipped; a
 * change of schema is a new one appended at the end (docs/store.md).
 */
#ifndef RF_STORE_SQLITE_SCHEMA_H
#define RF_STORE_SQLITE_SCHEMA_H

#include <stddef.h>

extern const char *const rf_sqlite_migrations[];
extern const size_t rf_sqlite_nmigrations;

#endif
