/*
 * What online calibration (calib/online.h) reads from a store, shared by
 * `rolefit calibrate --pretest` and the Admin page's review queue
 * (app_review.c): per finished test that carried pretest items, its scored
 * answers (the session state's events) and its pretest answers with the
 * posterior kept beside each (cat/sessfile.h), against a bank (a version's
 * view: its operational items held at their parameters, its pretest items
 * estimated). Drift (calib/drift.h) reads the scored answers of the same
 * tests, each with the leave-one-out posterior of its skill.
 */
#ifndef RF_SERVER_PRETEST_DATA_H
#define RF_SERVER_PRETEST_DATA_H

#include <stddef.h>

#include "bank/bank.h"
#include "base/err.h"
#include "calib/drift.h"
#include "calib/online.h"
#include "store/store.h"

struct rf_pretest_data {
    struct rf_online_item *items; /* one per bank item, in bank order (ids borrowed) */
    size_t nitems;
    struct rf_online_answer *ans;
    size_t n, cap;
    size_t tests;   /* finished tests with pretest answers read */
    size_t unknown; /* answers left out: items retired, gone or no longer in that pool */
    rf_status rc;   /* internal: an allocation failed while reading */
};

/* Reads every finished test of st into *d (zeroed first) against bank b
 * (borrowed; it must outlive d). RF_ENOMEM or the store's error. */
rf_status rf_pretest_collect(struct rf_store *st, const struct rf_bank *b,
                             struct rf_pretest_data *d, struct rf_err *err);
void rf_pretest_data_cleanup(struct rf_pretest_data *d);

/* Drift's data: the scored answers (not carried from an earlier session)
 * of the newest RF_DRIFT_MAX_TESTS finished tests to the items of b that
 * are neither pretest nor retired, each with the leave-one-out posterior of
 * its skill from the test's other such answers at b's parameters (an
 * N(0, 1) prior on the default grid). items: one per bank item (ids
 * borrowed; b must outlive d). */
struct rf_drift_data {
    struct rf_drift_item *items;
    size_t nitems;
    struct rf_drift_answer *ans;
    size_t n, cap;
    size_t tests; /* finished tests read */
    int64_t *candidate; /* rf_dif_collect only: the candidate of each answer's test (n) */
    int with_candidate; /* internal */
    rf_status rc;       /* internal */
};
rf_status rf_drift_collect(struct rf_store *st, const struct rf_bank *b, struct rf_drift_data *d,
                           struct rf_err *err);
void rf_drift_data_cleanup(struct rf_drift_data *d);

/* DIF's data (app_fairness.c): rf_drift_collect's answers with, in
 * d->candidate, the candidate whose test each answer belongs to; each
 * answer's theta (the leave-one-out posterior mean of its skill) is the
 * matching variable. */
rf_status rf_dif_collect(struct rf_store *st, const struct rf_bank *b, struct rf_drift_data *d,
                         struct rf_err *err);

#endif
