/*
 * The item pool of the adaptive engine: the items of a bank that a session may
 * administer, grouped by skill, with everything the hot path needs computed
 * once: P(X = k | node) and the Fisher information of every item at every node
 * of the quadrature grid, and per skill and theta bin a list of candidates
 * ordered by an upper bound of their information over the bin. The bound makes
 * maximum-information selection exact while looking at a few items only (see
 * docs/cat.md). A pool is read-only once built, except for the Sympson-Hetter
 * exposure parameters, which may be set between runs; any number of sessions
 * and threads may share it.
 */
#ifndef RF_CAT_POOL_H
#define RF_CAT_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "irt/model.h"
#include "irt/quad.h"

/* One item as the caller describes it (borrowed; copied into the pool). */
struct rf_cat_item {
    const char *id;         /* unique, e.g. "deep_learning.attention.003" */
    const char *skill;      /* skill id */
    struct rf_irt_item irt; /* parameters (ignored when !usable) */
    int usable;             /* 0: never administered (retired, no parameters) */
    const char *enemy;      /* enemy group (docs/bank-format.md), NULL or "" for none:
                               a session gives at most one usable item of a group */
};

struct rf_cat_pool {
    size_t n;                /* items, in the caller's order */
    char **ids;              /* owned */
    struct rf_irt_item *irt; /* owned copies */
    size_t *skill;           /* skill index of each item */
    unsigned char *usable;   /* 1 = may be administered */
    unsigned char *tables;   /* 1 = its tables are built: usable, or known (an answered
                                item a restored session may hold, never selected) */
    double *sh;              /* Sympson-Hetter exposure parameter K_i in [0, 1]; 1 = free */
    size_t nskills;
    char **skills;      /* owned skill ids, in order of first appearance */
    size_t *nusable;    /* usable items per skill */
    struct rf_quad q;   /* the posterior grid */
    size_t *poff;       /* offset of item i in ptab: ncat rows of q.n values */
    double *ptab;       /* P(X = k | x_j) */
    double *lptab;      /* log P(X = k | x_j), same layout */
    double *itab;       /* [item][node] Fisher information */
    double *prior_info; /* [item] information weighted by the grid's prior */
    double *rand;       /* [item * RF_MAX_CATEGORIES + k] P(X = k) for a random responder:
                           from the item's format in a pool from a bank (bank/answer.h
                           rf_answer_random_probs); else c for a 3PL item,
                           RF_ANSWER_RANDOM_NUMERIC for another dichotomous one, uniform
                           over a graded item's categories */
    double *imax;       /* [skill] largest information of any usable item anywhere */
    /* Candidate lists: skill s, bin b covers [bin_lo + b*bin_w, bin_lo + (b+1)*bin_w). */
    size_t nbins;
    double bin_lo, bin_w;
    size_t *ncand;         /* [skill] list length: min(nusable, RF_CAT_BIN_CANDIDATES) */
    size_t *cand_off;      /* [skill] offset of the skill's lists in cand/cand_ub */
    uint32_t *cand;        /* item indices, by decreasing upper bound */
    double *cand_ub;       /* upper bound of each candidate's information over the bin */
    size_t *skill_off;     /* [skill+1] CSR offsets into skill_items */
    uint32_t *skill_items; /* usable items of each skill, in pool order */
    /* Enemy groups with at least two usable items: group[i] is item i's group
     * or RF_CAT_NO_GROUP; group g's usable items are group_items[group_off[g]
     * .. group_off[g+1]-1], in pool order. */
    size_t ngroups;
    uint32_t *group;       /* [item] */
    size_t *group_off;     /* [ngroups + 1] */
    uint32_t *group_items; /* usable items of each group */
    /* rf_cat_pool_find's index of the ids: item index + 1 per slot, 0 empty */
    size_t nidslots;
    uint32_t *idslot;
};

#define RF_CAT_NO_GROUP UINT32_MAX

/* Builds a pool over items[0..n-1] on the grid q (copied). Every usable item
 * must have valid parameters (the message names the item and field); ids must
 * be unique and non-empty; usable items sharing a non-empty enemy name form
 * an enemy group (a group name is only compared, never stored). Cost: O(n * categories * nodes) time and memory,
 * plus O(skills * bins * RF_CAT_BIN_CANDIDATES). On failure *out is untouched. */
rf_status rf_cat_pool_new(const struct rf_cat_item *items, size_t n, const struct rf_quad *q,
                          struct rf_cat_pool **out, struct rf_err *err);
void rf_cat_pool_free(struct rf_cat_pool *p);

/* A pool over a loaded bank: each item's random-responder probabilities from
 * its format (rf_answer_random_probs); a scored item of the other pool (not
 * retired, not pretest) gets its tables all the same (tables: a session stored
 * before the pools changed may hold it, and restores; it is never selected); an item is usable unless it is retired
 * or a pretest item (bank/item.h: never scored until promoted); with
 * RF_CAT_POOL_SCORED only the items scored without a rater (mcq, numeric and
 * multi: bank/answer.h; not rubric), with RF_CAT_POOL_CALIBRATED
 * only calibrated ones (else the author's prior parameters serve, as for a
 * new bank), with RF_CAT_POOL_PRACTICE only the practice pool's items, with
 * RF_CAT_POOL_OPERATIONAL only the operational pool's (docs/bank-format.md
 * "Pools"), except that a skill with fewer than RF_POOL_SPLIT_MIN items
 * placed by the rule (no "pool" field) is not split: they are in both. Every pool of a bank holds
 * all its items in the bank's order, so indices, ids, skills and parameters agree across pools;
 * only usable differs. Same contract as rf_cat_pool_new. */
#define RF_CAT_POOL_SCORED 1
#define RF_CAT_POOL_CALIBRATED 2
#define RF_CAT_POOL_PRACTICE 4
#define RF_CAT_POOL_OPERATIONAL 8
struct rf_bank;
rf_status rf_cat_pool_from_bank(const struct rf_bank *b, int flags, const struct rf_quad *q,
                                struct rf_cat_pool **out, struct rf_err *err);

/* Sympson-Hetter exposure parameters on disk: {"format": "rolefit-exposure",
 * "target": r, "items": [{"item": ID, "k": K}, ...]} listing the items with
 * K < 1 (the others are free). Save writes p->sh atomically; load resets
 * every K to 1 and sets the listed ones, refusing (RF_EINVAL, message naming
 * the path and entry) an unknown item or K outside (0, 1]. */
rf_status rf_cat_exposure_save(const struct rf_cat_pool *p, double target, const char *path,
                               struct rf_err *err);
rf_status rf_cat_exposure_load(struct rf_cat_pool *p, const char *path, struct rf_err *err);
/* Same as rf_cat_exposure_load, from JSON text in memory; name is used in messages. */
rf_status rf_cat_exposure_parse(struct rf_cat_pool *p, const char *name, const char *data,
                                size_t len, struct rf_err *err);

/* Index of a skill id, or RF_ENOTFOUND. */
rf_status rf_cat_pool_skill(const struct rf_cat_pool *p, const char *skill, size_t *idx);

/* Index of an item id, or RF_ENOTFOUND. O(1): a hash index built with the pool. */
rf_status rf_cat_pool_find(const struct rf_cat_pool *p, const char *id, size_t *idx);

/* Fisher information of item i at theta; closed forms for the dichotomous
 * models, rf_irt_info for graded items. Allocates nothing. */
double rf_cat_info(const struct rf_irt_item *it, double theta);

#endif
