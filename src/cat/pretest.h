/*
 * Pretest batches (docs/calibration.md "Pretest batches"): which pretest
 * items are live, i.e. may be seeded into a new test. Answers spread over a
 * whole pretest pool reach no item in time (24 items sharing 3 places a
 * test get 125 answers each in 1,000 tests, where a 3PL item needs
 * 1,000-2,000), so each skill has a small batch live at a time and the
 * batch rotates: an item leaves it when it has collected its target number
 * of answers (or is promoted or retired: then it is no pretest item), and
 * the next enters.
 *
 * The batch is a pure function of the items' stored answer counts, so that
 * processes sharing a store agree on it without talking to each other, and
 * a test in flight keeps the plan it started with (the plan is in its
 * session state, cat/session.h).
 */
#ifndef RF_CAT_PRETEST_H
#define RF_CAT_PRETEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"

struct rf_cat_design;

/* Marks live[i] = 1 for the live pretest items, 0 for the others, among n
 * pretest items with skill[i] (any index; equal for items of one skill) and
 * answers[i] stored answers, given in a fixed order (the bank's). Per skill
 * at most `batch` items are live, taken in this order:
 *   1. items with fewer than `target` answers, the most answers first
 *      (finish what has started), ties in the given order;
 *   2. if the batch has room (every other item of the skill reached its
 *      target), items at or past it, the fewest answers first, so that no
 *      place is left empty while an item still lacks precision.
 * batch 0: every item live (no batches). target 0: no target (every item in
 * group 1). O(n^2) comparisons, allocates nothing. */
void rf_cat_pretest_batch(size_t n, const size_t *skill, const int64_t *answers, size_t batch,
                          int64_t target, unsigned char *live);

/* Places the d->npretest pretest items already chosen into d: their order
 * shuffled (Fisher-Yates) and their 1-based positions in the whole test,
 * d->pretest_at[], distinct and increasing in 1..max_items + npretest, each
 * set of positions equally likely; draws from r only. The server's seeding
 * (rf_app_pretest_seed) and the online-curve simulation share it, so the
 * simulation seeds as live tests do. */
void rf_cat_pretest_place(struct rf_cat_design *d, struct rf_rng *r);

#endif
