/*
 * The interviewer calibration report and the hiring packet as JSON, one
 * form for every front door (`rolefit scorecards --json`, the server's
 * GET /api/interviewers/calibration and GET /api/interviews/ID/packet;
 * docs/interviews.md). Numbers that are not finite are null.
 */
#ifndef RF_INTERVIEW_VIEW_H
#define RF_INTERVIEW_VIEW_H

#include <jansson.h>
#include <stddef.h>

#include "bank/skills.h"
#include "interview/agree.h"
#include "interview/calib.h"
#include "interview/packet.h"
#include "interview/rater.h"

/* {"ratings", "candidates", "converged", "iterations", "interviewers":
 * [{"interviewer", "severity", "se", "ratings"}], "rubrics": [{"rubric",
 * "ratings", "pairs", "kappa", "icc", "not_separating": [{"criterion",
 * "why" (English), "why_code" ("one_point" or "low_slope", for a page to
 * word)}]}], "criteria": [{"criterion", "ratings", "a", "a_se",
 * "thresholds", "thresholds_se", "kit": {"a", "thresholds"}}]}: raters[r] names rater r
 * (nraters of them, as c's); the criteria are c's estimates beside b's
 * (the start values: the kits' defaults); rubrics and criteria without
 * ratings are left out. NULL when out of memory. */
json_t *rf_iv_report_json(const struct rf_iv_bank *b, const struct rf_iv_calib *c,
                          const struct rf_iv_report *rep, const char *const *raters,
                          size_t nraters, size_t npersons, size_t nratings);

/* {"candidate", "role", "p_false_negative", "open", "requirements":
 * [{"skill", "core", "p_meets", "call", "p_test", "p_interviews", "agree",
 * "settled_by", "p_settle"}]}: who names the candidate; skills named by tax.
 * NULL when out of memory. */
json_t *rf_iv_packet_json(const struct rf_taxonomy *tax, const struct rf_iv_bank *b,
                          const struct rf_iv_packet *pk, const char *who);

#endif
