/*
 * Response matrices in the CSV format of DESIGN.md: a header row of item ids,
 * then one row per person; an optional first column named "person" holds the
 * person id. Cells are a category (0/1 for dichotomous items, 0..m-1 for
 * graded ones) or empty for "not administered". Stored dense, one signed byte
 * per cell (RF_RESP_MISSING = -1), row-major persons x items, or (the
 * _sparse entry points) as compressed sparse rows of the answered cells.
 */
#ifndef RF_BANK_RESPONSES_H
#define RF_BANK_RESPONSES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define RF_RESP_MISSING (-1)

struct rf_responses {
    size_t npersons, nitems;
    char **item_ids;    /* owned, nitems */
    char **person_ids;  /* owned, npersons; NULL when the file has no person column */
    signed char *x;     /* owned, npersons * nitems; NULL when read sparse */
    /* Compressed sparse rows (rf_responses_load_sparse only): the answered
     * cells of person i are col[row_ptr[i] .. row_ptr[i+1]-1] (item indices,
     * increasing) with categories val[..]. Owned; NULL for dense reads. */
    size_t nnz;
    size_t *row_ptr;    /* npersons + 1 */
    uint32_t *col;      /* nnz */
    signed char *val;   /* nnz */
};

/* Reads a response CSV. Errors name file, line and column: ragged rows,
 * non-numeric or out-of-range cells (a cell must be 0..max_cat-1), duplicate
 * item ids, an empty file. max_cat is at most RF_MAX_CATEGORIES. */
rf_status rf_responses_load(const char *path, int max_cat, struct rf_responses *r,
                            struct rf_err *err);

/* Same, from text in memory; name is used in messages. */
rf_status rf_responses_parse(const char *name, const char *data, size_t len, int max_cat,
                             struct rf_responses *r, struct rf_err *err);

/* Same checks and messages as rf_responses_load, but the cells are stored as
 * compressed sparse rows (x stays NULL), so memory follows the number of
 * answers (5 bytes each plus 8 per person), never persons x items. For data
 * from adaptive tests, where most cells are empty. */
rf_status rf_responses_load_sparse(const char *path, int max_cat, struct rf_responses *r,
                                   struct rf_err *err);
rf_status rf_responses_parse_sparse(const char *name, const char *data, size_t len, int max_cat,
                                    struct rf_responses *r, struct rf_err *err);

void rf_responses_cleanup(struct rf_responses *r);

#endif
