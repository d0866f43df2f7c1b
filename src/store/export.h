/*
 * Response matrices out of the store, for calibration: every finished test
 * is one person (id "test-<id>"), every item answered anywhere is one column
 * (in order of first appearance), and each answer's scored category is a
 * cell. Built as compressed sparse rows (struct rf_responses with x == NULL),
 * so memory follows the number of answers: adaptive tests leave most cells
 * empty.
 */
#ifndef RF_STORE_EXPORT_H
#define RF_STORE_EXPORT_H

#include <stdint.h>

#include "bank/responses.h"
#include "base/err.h"
#include "store/store.h"

/* Fills r from the finished tests of organization org_id (< 0: all). Errors:
 * no finished test with an answer (RF_ENOTFOUND), a scored category outside
 * 0..RF_MAX_CATEGORIES-1 (RF_EINVAL, naming test and item), store errors.
 * An item answered twice in one test keeps the last answer. On failure r is
 * left empty. Cost: one pass over the answers plus a sort within each test. */
rf_status rf_store_export_responses(struct rf_store *s, int64_t org_id, struct rf_responses *r,
                                    struct rf_err *err);

#endif
