/*
 * What the re-estimation of the items in use (calib/recal.h; docs/
 * calibration.md "Re-estimating operational items in the product") reads
 * from a store: the scored answers (not carried from an earlier session) of
 * the newest RF_DRIFT_MAX_TESTS finished tests, as drift reads them, to the
 * items of a bank version that are neither pretest nor retired, grouped by
 * test; each such item at the version's parameters with the authors' prior
 * from the bank file (rf_recal_rated).
 */
#ifndef RF_SERVER_RECAL_DATA_H
#define RF_SERVER_RECAL_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "base/err.h"
#include "calib/recal.h"
#include "store/store.h"

/* The kinds of test, by who takes them (docs/calibration.md "Each test
 * kind's latent distribution and the loadings"): open practice (no
 * organization), an invite to a posting, an invite to a role (or to find my
 * role: a team member's). */
enum rf_test_kind { RF_TEST_PRACTICE = 0, RF_TEST_POSTING, RF_TEST_ROLE, RF_TEST_NKINDS };

/* "practice", "posting", "role"; NULL past the end. */
const char *rf_test_kind_name(int kind);

/* The kind of a stored test, from its columns. */
enum rf_test_kind rf_test_kind_of(const struct rf_test *t);

struct rf_recal_data {
    struct rf_recal_item *items; /* the version's items in use, in bank order (ids borrowed) */
    size_t *bank;                /* items[i]'s index in the bank */
    size_t nitems, nskills;      /* skills: numbered by first appearance in the bank */
    const char **skills;         /* [nskills]: each skill's id (borrowed from the bank) */
    struct rf_recal_answer *ans; /* grouped by test (test: the store's test id) */
    unsigned char *kind;         /* [n]: the kind of each answer's test (enum rf_test_kind) */
    size_t n, cap;
    size_t tests;      /* finished tests read (those with an answer to an item in use) */
    uint64_t max_test; /* the largest of their ids (0: none) */
    size_t *of;   /* internal: bank index -> items index, SIZE_MAX when not in use */
    rf_status rc; /* internal: an allocation failed while reading */
};

/* The authors' prior of a bank file's item: its own parameters while it is
 * uncalibrated (they are the prior: docs/bank-format.md "Prior
 * parameters"), else the prior of its format and rating
 * (rf_item_prior_params). */
void rf_recal_rated(const struct rf_item *file_item, struct rf_irt_item *out);

/* Reads st into *d (zeroed first): v the version (its parameters and
 * pools), file the bank file (the priors); both borrowed, with the same
 * items in the same order, and they must outlive d. RF_ENOMEM or the
 * store's error. */
rf_status rf_recal_collect(struct rf_store *st, const struct rf_bank *file, const struct rf_bank *v,
                           struct rf_recal_data *d, struct rf_err *err);
void rf_recal_data_cleanup(struct rf_recal_data *d);

#endif
