/*
 * The people table of the fairness reports (docs/fairness.md): a CSV with a
 * header row, one row per person. Columns are named by the header: `person`
 * (the id joining the responses), self-reported groups (gender, age_band,
 * first_language, country, ... : an empty cell is a declined answer), and
 * for `rolefit dif --match theta` a theta column, for `rolefit impact` the
 * decision columns (1 selected, 0 not, empty no decision). Read through the
 * one CSV reader (base/csv.h); cells are kept as text.
 */
#ifndef RF_CALIB_PEOPLE_H
#define RF_CALIB_PEOPLE_H

#include <stddef.h>

#include "base/err.h"

struct rf_people {
    char *name; /* file name used in messages, owned */
    size_t nrows, ncols;
    char **cols;  /* ncols header names, owned */
    char **cells; /* nrows x ncols, row-major, owned; "" for an empty cell */
    size_t *line; /* nrows: the line where each row starts */
};

/* Reads a people CSV. Errors name the file and line: an empty file, an
 * empty or repeated column name, a row whose field count differs from the
 * header's, the CSV reader's own errors. On failure p is left empty. */
rf_status rf_people_load(const char *path, struct rf_people *p, struct rf_err *err);

/* Same, from text in memory; name is used in messages. */
rf_status rf_people_parse(const char *name, const char *data, size_t len, struct rf_people *p,
                          struct rf_err *err);

/* The index of column col; RF_ENOTFOUND names the file and the column. */
rf_status rf_people_column(const struct rf_people *p, const char *col, size_t *j,
                           struct rf_err *err);

/* Cell of row i, column j (never NULL). */
const char *rf_people_cell(const struct rf_people *p, size_t i, size_t j);

/* The distinct non-empty values of column j, sorted bytewise: *vals holds
 * pointers into p (borrowed), the array itself is the caller's to free. */
rf_status rf_people_values(const struct rf_people *p, size_t j, const char ***vals, size_t *n,
                           struct rf_err *err);

/* For each of n ids, the row of p whose column idcol holds it, or SIZE_MAX
 * (rows: n entries). Errors: an empty or repeated id in p (naming the line),
 * RF_ENOMEM. Cost O((rows + n) log rows). */
rf_status rf_people_join(const struct rf_people *p, size_t idcol, const char *const *ids, size_t n,
                         size_t *rows, struct rf_err *err);

void rf_people_cleanup(struct rf_people *p);

#endif
