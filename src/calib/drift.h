/*
 * Parameter drift of operational items (docs/calibration.md "Drift"): an
 * item whose difficulty moved since it was calibrated (its key leaked and
 * it got easier, the field changed) misleads every score it enters. From
 * live answers, each operational item's location shift is re-estimated
 * with the examinees' abilities held fixed: each answer's ability is the
 * posterior of its skill from the test's other answers (leave one out, the
 * items at their stored parameters, an N(0, 1) prior), and the item's
 * stored curve is shifted by delta along theta (b + delta; every threshold
 * of a graded item). delta maximizes the marginal likelihood of the item's
 * answers over those posteriors; its SE comes from the curvature. An item
 * is flagged when |delta| >= RF_DRIFT_MIN_SHIFT and |delta| / SE >=
 * RF_DRIFT_MIN_Z, on at least RF_DRIFT_MIN_N answers.
 */
#ifndef RF_CALIB_DRIFT_H
#define RF_CALIB_DRIFT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "irt/model.h"
#include "irt/quad.h"

/* An operational item at its stored parameters. */
struct rf_drift_item {
    const char *id; /* borrowed */
    struct rf_irt_item irt;
};

/* One scored answer: item, category, and the mean and SD of its skill's
 * posterior from the test's other answers (rf_drift_loo). */
struct rf_drift_answer {
    uint32_t item;
    int k;
    double theta, sd;
};

struct rf_drift_rules {
    size_t min_n;     /* answers before an item is tested */
    double min_shift; /* |delta| at least (logits) */
    double min_z;     /* |delta| / SE at least */
};
void rf_drift_rules_default(struct rf_drift_rules *r);

struct rf_drift_result_item {
    size_t item;               /* index into the caller's items */
    size_t n;                  /* answers */
    double shift, se, z;       /* delta, its SE, delta / SE (NaN when not tested) */
    double observed, expected; /* mean score, and its expectation at the stored parameters */
    int tested, flagged;
    char note[120]; /* why flagged, or why not tested; "" otherwise */
};

struct rf_drift_result {
    size_t n;
    struct rf_drift_result_item *items; /* owned: one per item with answers, in item order */
};

/* Re-estimates every item of items[0..nitems-1] that has answers. Every
 * answer's item and category must be valid and its theta finite, sd > 0
 * (RF_EINVAL naming the answer). RF_ENOMEM. */
rf_status rf_drift_run(const struct rf_drift_item *items, size_t nitems,
                       const struct rf_drift_answer *ans, size_t nans,
                       const struct rf_drift_rules *rules, struct rf_drift_result *res,
                       struct rf_err *err);
void rf_drift_result_cleanup(struct rf_drift_result *res);

/* The leave-one-out posteriors of one person's n answers on one skill:
 * items[j] answered in category k[j]; on the grid q (its weights the
 * prior), mean[j] and sd[j] of the posterior from the other n - 1 answers.
 * work holds 2 * q->n doubles. */
void rf_drift_loo(const struct rf_irt_item *const *items, const int *k, size_t n,
                  const struct rf_quad *q, double *mean, double *sd, double *work);

/* {"items": [{"id", "n", "shift", "se", "z", "observed", "expected",
 * "tested", "flagged", "note"}], "rules": {...}}; ids from items. */
rf_status rf_drift_result_to_json(const struct rf_drift_result *res,
                                  const struct rf_drift_item *items,
                                  const struct rf_drift_rules *rules, json_t **out);

#endif
