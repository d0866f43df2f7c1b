/*
 * Test-integrity signals for staff (docs/integrity.md): evidence worth a
 * look, never a verdict.
 *
 * Rapid guesses. An answer given faster than its item's threshold is a rapid
 * guess: the normative threshold NT10 (Wise & Ma 2012), a fraction of the
 * item's mean response time, kept within a floor (the common 3-second
 * threshold, Wise & Kong 2005) and a cap. A skill's response-time effort
 * (RTE, Wise & Kong 2005) is the share of its timed answers that are not
 * rapid guesses; a skill below the flag level is flagged.
 *
 * Answer copying. For two people who answered the same items, the number
 * of items both answered wrongly (no credit) with the same response,
 * against its exact null distribution under the IRT model: given their
 * abilities the items are independent, item i matching with probability
 * (1 - P_a)(1 - P_b) * sum_v pi_v^2, where pi_v is the share of wrong
 * answers that give response v (an option, a selection, a number). The count is then a sum of
 * independent Bernoullis (a generalized binomial: van der Linden & Sotaridona 2006), whose upper
 * tail is the p-value. Rooted in the identical-incorrect indices of Holland's
 * K index; the standardized count (z) is in the spirit of Wollack's omega.
 *
 * Pure arithmetic over arrays: no allocation, thread-safe.
 */
#ifndef RF_CAREERS_INTEGRITY_H
#define RF_CAREERS_INTEGRITY_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* The rapid-guess rule; rf_rte_rule_default gives base/config.h's values. */
struct rf_rte_rule {
    double fraction;   /* of the item's mean response time (NT10: 0.10) */
    double floor_ms;   /* the threshold is never below this ... */
    double cap_ms;     /* ... nor above this */
    size_t min_timed;  /* stored times an item needs for its own mean; fewer: floor_ms */
    double flag_below; /* a skill whose RTE is below this is flagged */
};
void rf_rte_rule_default(struct rf_rte_rule *r);

/* The rapid-guess threshold (ms) of an item whose ntimed stored response
 * times have mean mean_ms. */
double rf_rte_threshold(const struct rf_rte_rule *r, size_t ntimed, double mean_ms);

/* Response-time effort of a skill: timed answers, of which rapid were rapid
 * guesses. *rte is 1 with no timed answer; *flag is 1 when *rte is below the
 * rule's level. */
void rf_rte_skill(const struct rf_rte_rule *r, size_t timed, size_t rapid, double *rte, int *flag);

/* One item two people both answered. */
struct rf_copy_item {
    double pa, pb;  /* each one's probability of an answer with credit (1 - P(category 0)),
                       at their ability */
    double match;   /* rf_copy_match_shares: two wrong answers are the same response */
    int same_wrong; /* observed: both wrong (no credit), with the same response */
};

struct rf_copy_result {
    size_t common;   /* items compared */
    size_t matches;  /* identical wrong answers */
    double expected; /* their expected number under the model */
    double sd;       /* its standard deviation */
    double z;        /* (matches - expected) / sd, 0 when sd is 0 */
    double p;        /* P(count >= matches) under the model (exact) */
};

/* Most items one pair may have in common. */
#define RF_COPY_MAX_ITEMS 1024

/* The index for n common items. RF_EINVAL when a probability is outside
 * [0, 1], RF_ETOOBIG when n > RF_COPY_MAX_ITEMS. Cost O(n^2). */
rf_status rf_copy_index(const struct rf_copy_item *it, size_t n, struct rf_copy_result *out,
                        struct rf_err *err);

/* sum_v pi_v^2: the chance that two wrong answers to an item are the same
 * response, from counts n[0..nseen-1] of the distinct wrong responses seen.
 * With k > 0 possible wrong responses in all (the wrong options of a
 * multiple-choice item; the selections of a multiple-select item other than
 * its key), every one of them gets one more (a uniform Dirichlet prior), so
 * that an item without data gives 1 / k. With k == 0 (numbers: unbounded)
 * the shares are n_v / (N + 1), one count kept for a value no one gave (a
 * Dirichlet process of concentration 1). Negative counts count as 0. */
double rf_copy_match_shares(const int64_t *n, size_t nseen, size_t k);

#endif
