/*
 * Adverse impact of a selection decision: per group, the selection rate
 * (selected / decided) with its Wilson score interval, and the ratio of each
 * group's rate to the highest shown group's rate (the four-fifths rule of
 * the US Uniform Guidelines, 29 CFR 1607.4(D): a ratio below 0.8 is evidence
 * of adverse impact), with the Katz log interval of the ratio of two
 * independent proportions, exp(ln r +- z sqrt((1 - p1)/x1 + (1 - p2)/x2))
 * (Katz et al. 1978), and the two-proportion z test (pooled) against the
 * highest group.
 *
 * Small cells are never shown: a group with fewer than min_group decided
 * people, or fewer than min_cell selected or min_cell not selected, gets no
 * figure at all (its rate could single out people), and the highest rate
 * is taken among the shown groups only, so no ratio reveals a hidden rate.
 * With min_cell >= 1 a shown group has no zero cell; with min_cell = 0 the
 * interval of a zero cell adds 1/2 to each cell of the two groups.
 */
#ifndef RF_CALIB_IMPACT_H
#define RF_CALIB_IMPACT_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct rf_impact_group {
    const char *name; /* borrowed */
    size_t n;         /* people with a decision */
    size_t selected;  /* of them, selected (<= n) */
};

struct rf_impact_opts {
    size_t min_group; /* default RF_IMPACT_MIN_GROUP */
    size_t min_cell;  /* default RF_IMPACT_MIN_CELL */
    double level;     /* two-sided confidence level, default 0.95 */
};
void rf_impact_opts_default(struct rf_impact_opts *o);

enum rf_impact_hidden {
    RF_IMPACT_SHOWN = 0,
    RF_IMPACT_SMALL_GROUP, /* n < min_group */
    RF_IMPACT_SMALL_CELL   /* selected or not selected < min_cell */
};

struct rf_impact_row {
    enum rf_impact_hidden hidden; /* every figure below is NaN unless RF_IMPACT_SHOWN */
    double rate, rate_lo, rate_hi;
    int highest;                      /* the reference: the highest shown rate (first on ties) */
    double ratio, ratio_lo, ratio_hi; /* rate / highest rate; the highest group's is 1, no CI */
    int four_fifths;                  /* ratio < 0.8 */
    double z, p;                      /* two-proportion z test against the highest group */
};

/* One row per group (out: n entries). Errors: RF_EINVAL (selected > n, a
 * level outside (0, 1)). When no group is shown, every row is hidden and
 * the call succeeds. Cost O(n). */
rf_status rf_impact_compute(const struct rf_impact_group *g, size_t n,
                            const struct rf_impact_opts *o, struct rf_impact_row *out,
                            struct rf_err *err);

/* Output (calib/fairness_out.c): JSON of one group, {"group", "shown":
 * true, "n", "selected", "rate", "rate_ci", "ratio", "ratio_ci", "highest",
 * "four_fifths", "z", "p"} or {"group", "shown": false, "reason"} and no
 * figure; NULL on allocation failure. CSV header and row (decision, by, the
 * group), the figures of a hidden group empty. */
json_t *rf_impact_row_json(const struct rf_impact_group *g, const struct rf_impact_row *r);
rf_status rf_impact_csv_header(struct rf_buf *b);
rf_status rf_impact_row_csv(struct rf_buf *b, const char *decision, const char *by,
                            const struct rf_impact_group *g, const struct rf_impact_row *r);

/* Text of a hidden reason ("" for shown). */
const char *rf_impact_hidden_text(enum rf_impact_hidden h);

#endif
