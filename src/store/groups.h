/*
 * Self-reported group membership (issue 19; docs/fairness.md "Group
 * membership in the product"): part of the store's one interface (store.h),
 * kept in its own header because nothing but the admins' aggregate fairness
 * reports and the candidate's own form may read it.
 *
 * A candidate may report, for each dimension, a value or nothing, or decline
 * altogether; may change the answer; may withdraw it (the row is deleted).
 * It lives in its own table, keyed by candidate, apart from the tests: no
 * test, report, ranking or export made for a recruiter reads it, and
 * scoring never does.
 */
#ifndef RF_STORE_GROUPS_H
#define RF_STORE_GROUPS_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* The dimensions, in column order: gender, age band, first language, country. */
enum {
    RF_GROUP_GENDER,
    RF_GROUP_AGE_BAND,
    RF_GROUP_FIRST_LANGUAGE,
    RF_GROUP_COUNTRY,
    RF_GROUP_NDIMS
};

struct rf_group_report {
    int64_t candidate_id;
    int declined;                /* 1: declined to say (every value NULL) */
    char *value[RF_GROUP_NDIMS]; /* NULL: not given */
    int64_t updated;             /* unix seconds of the last change (read only) */
};
void rf_store_group_report_cleanup(struct rf_group_report *g);

/* Stores the candidate's answer, replacing any earlier one (values
 * borrowed). RF_ENOTFOUND when there is no such candidate. */
rf_status rf_store_group_report_put(struct rf_store *s, const struct rf_group_report *g,
                                    struct rf_err *err);
/* The candidate's answer (*g the caller's to clean up); RF_ENOTFOUND when
 * none is stored. */
rf_status rf_store_group_report_get(struct rf_store *s, int64_t candidate_id,
                                    struct rf_group_report *g, struct rf_err *err);
/* Withdraws the answer: deleted for good. *deleted (may be NULL): 1 when
 * there was one. */
rf_status rf_store_group_report_delete(struct rf_store *s, int64_t candidate_id, int *deleted,
                                       struct rf_err *err);
/* Calls fn for each answer not declined, by candidate id: of the
 * candidates of organization org_id, or with org_id 0 of every candidate.
 * For aggregate reports only (the record is borrowed during the call). */
rf_status rf_store_group_reports_list(struct rf_store *s, int64_t org_id,
                                      void (*fn)(void *ud, const struct rf_group_report *g),
                                      void *ud, struct rf_err *err);

#endif
