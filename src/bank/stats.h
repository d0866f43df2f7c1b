/*
 * Bank statistics for authors: items per skill and difficulty band, the
 * calibrated share, and the test information curve of each skill's active
 * (not retired) items over a theta grid; plus an SVG chart of the curves.
 */
#ifndef RF_BANK_STATS_H
#define RF_BANK_STATS_H

#include <stddef.h>

#include "bank/bank.h"
#include "bank/item.h"
#include "bank/skills.h"
#include "base/buf.h"
#include "base/err.h"

struct rf_skill_stats {
    char *skill;       /* owned */
    int in_taxonomy;   /* 0 for skills the taxonomy does not know */
    size_t n;          /* items, retired included */
    size_t active;     /* not retired */
    size_t retired;
    size_t calibrated; /* of the active items */
    size_t recall;     /* active items marked recall (the rest count as applied) */
    size_t ja;         /* active items with a Japanese translation (checked by lint) */
    size_t pool[RF_NPOOLS];    /* active items per pool (enum rf_item_pool), rubric items aside */
    size_t band[RF_NDIFF + 1]; /* active items rated easy, medium, hard, expert, unrated */
    double *info;      /* owned: test information of the active items at each theta */
    double cut_info[RF_NLEVELS - 1]; /* information at the skill's cut points (taxonomy
                                        skills only; 0 otherwise) */
};

struct rf_bank_stats {
    size_t nskills;
    struct rf_skill_stats *skills; /* taxonomy order, then unknown skills by first appearance */
    size_t ntheta;
    double *theta; /* owned grid, evenly spaced from lo to hi */
    size_t n, active, calibrated; /* whole bank (calibrated counts active items) */
};

/* Computes the statistics of b. tax (may be NULL) fixes the order and adds
 * skills without items; the grid has ntheta >= 2 points from lo to hi.
 * Cost O(items x ntheta). On failure s is left empty. */
rf_status rf_bank_stats_compute(const struct rf_bank *b, const struct rf_taxonomy *tax, double lo,
                                double hi, size_t ntheta, struct rf_bank_stats *s,
                                struct rf_err *err);

/* Appends a self-contained SVG document (no external references; all text
 * escaped) charting each skill's information curve, with axes and a legend. */
rf_status rf_bank_stats_svg(const struct rf_bank_stats *s, struct rf_buf *out);

void rf_bank_stats_cleanup(struct rf_bank_stats *s);

#endif
