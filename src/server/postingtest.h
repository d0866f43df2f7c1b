/*
 * Posting tests (issue 15 item 3): the adaptive design of a test whose scope
 * and item budget come from a posting's requirements, and a seeded study of how
 * well ranking applicants who took it finds the best of them. The server's
 * invites for a posting and `rolefit posting simulate` build their designs
 * here; a posting test is scored as a role test is (rf_roletest_profile).
 */
#ifndef RF_SERVER_POSTINGTEST_H
#define RF_SERVER_POSTINGTEST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "careers/posting.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "server/rolesim.h"

/* The design of post's test on pool p: its scope is the skills of the
 * posting's requirements the pool has usable items for, in the posting's
 * order (required first), at most RF_CAT_MAX_SCOPE, each with the cut of the
 * level of the first requirement naming it; RF_WEB_ROLE_MAX_ITEMS items,
 * each skill at least RF_WEB_MIN_PER_SKILL (fewer when the scope is too wide
 * for the limit: at least 1); each skill's SE target RF_CAT_DEFAULT_SE times
 * sqrt(largest skill weight / its weight), its weight the sum of its
 * requirements' weights (an OR-group's split among its alternatives), so
 * that the next item goes where the posting's weight is least measured; the
 * skills' loadings as the prior; and the ranking objective (cat/session.h):
 * a term per requirement alternative the test measures, at its level's cut,
 * weighted as the posting weighs it (single-skill requirements at the same
 * cut share a term), so that each item is the one whose answer most lowers
 * the expected posterior variance of the weight met, which is what the
 * ranking ranks by; without room for the terms (more than RF_CAT_MAX_OBJ),
 * the SE targets choose. No classification objective and no decision stop:
 * measured against each other on the ranking study, both ranked worse
 * (docs/careers.md "Posting tests"). roles gives the taxonomy.
 * *nmissing (may be NULL) receives how many requirement skills the pool has
 * no items for (not measured by the test). Errors: RF_EINVAL (no skill of the
 * posting has items), RF_ETOOBIG. */
rf_status rf_postingtest_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                const struct rf_roles *roles, const struct rf_parsed_posting *post,
                                size_t *nmissing, struct rf_err *err);

/* The design of a top-up test (issue 15 item 4): the skills (taxonomy
 * indices, n of them, 1..RF_CAT_MAX_SCOPE) of post that a candidate's
 * finished test did not measure, each a decision at its requirement's cut,
 * at most RF_FOLLOWUP_MAX_ITEMS items and RF_WEB_MIN_PER_SKILL per skill
 * (fewer when they do not fit, at least 1), the loadings as prior. Errors:
 * RF_EINVAL (a skill without usable items), RF_ETOOBIG. */
rf_status rf_postingtest_topup_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                      const struct rf_taxonomy *tax,
                                      const struct rf_parsed_posting *post, const size_t *skills,
                                      size_t n, struct rf_err *err);

struct rf_postingsim_opts {
    size_t nexaminees; /* >= 3 */
    uint64_t seed;
    size_t threads;       /* >= 1; the results do not depend on it */
    double truth_loading; /* applicants' skills load on g with this loading, [0, 1) */
};

struct rf_postingsim_result {
    size_t nexaminees, third; /* third = nexaminees / 3 */
    /* Of the true best third, the share the ranking puts in its top third.
     * The truth orders applicants by the share of the posting's weight they
     * truly meet (an OR-group met by any of its skills). top_third lets ties
     * in that share fall either way (applicants who meet the same weight are
     * equally good); top_third_strict breaks them by the weighted mean of
     * the best margin over each requirement's cut. */
    double top_third, top_third_strict;
    double len_mean;      /* items per test */
    double measured_mean; /* mean share of the posting's weight measured */
    double fit_mean;
};

/* Runs the study: nexaminees applicants from the reference population (every
 * skill N(0, 1), loading on g as o says) take post's test on pool p
 * (answers drawn from truth t, rolesim.h), are scored as the server scores
 * them and ranked by posting fit. Determinism as rolesim.h: examinee i draws
 * from rf_rng_substream(seed, i). Errors: RF_EINVAL (fewer than 3
 * examinees, a loading outside [0, 1), a design the pool cannot give),
 * RF_ENOMEM, RF_ETOOBIG. */
rf_status rf_postingsim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                            const struct rf_roles *roles, const struct rf_parsed_posting *post,
                            const struct rf_postingsim_opts *o, struct rf_postingsim_result *r,
                            struct rf_err *err);

#endif
