/*
 * A whole store as one text file, for `rolefit db export` and `db import`:
 * moving a deployment from SQLite to PostgreSQL and back, row for row.
 *
 * The file is JSON lines: a header {"format": "rolefit-db", "version": 1,
 * "schema": N}, then for each table that has rows a line {"table": NAME,
 * "columns": [...]} followed by one JSON array per row, in the order of the
 * table's key, tables in the order of their foreign keys. Integers are JSON
 * integers, text JSON strings, binary values {"hex": "..."}, SQL NULL null.
 * The same rows give the same file byte for byte whichever backend holds
 * them, so comparing two exports compares two databases.
 */
#ifndef RF_STORE_DUMP_H
#define RF_STORE_DUMP_H

#include <stdio.h>

#include "base/err.h"
#include "store/store.h"

/* Writes every row of the store to out, read in one snapshot (a server may
 * keep running). */
rf_status rf_store_dump(struct rf_store *s, FILE *out, struct rf_err *err);

/* Reads a file written by rf_store_dump (name: its name in messages) into
 * s, which must be empty and at the file's schema version, in one
 * transaction: on any error nothing is stored. Errors name the file and
 * line. */
rf_status rf_store_restore(struct rf_store *s, FILE *in, const char *name, struct rf_err *err);

#endif
