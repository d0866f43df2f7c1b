/*
 * The hiring packet (issue 17, docs/interviews.md "The hiring packet"): for
 * one candidate and one role, from the test's profile and the candidate's
 * scorecards,
 * - per requirement, P(meets) from all evidence with its call (meets, below,
 *   undecided, not measured: careers/fit.h), what the test alone said, what
 *   the interviews alone said, and whether the two agree given the
 *   uncertainty of each (|m_test - m_iv| <= RF_IV_AGREE_Z sqrt(sd_test^2 +
 *   sd_iv^2));
 * - for each open requirement (undecided or not measured), the round of the
 *   role's loop (or its take-home) most likely to settle it, with that
 *   chance: one more such round scored by two interviewers of severity 0
 *   adds the Fisher information of its criteria on the skill, averaged over
 *   the posterior; with the posterior taken as normal (mean m, SD s) the new
 *   SD is s' = (1/s^2 + I)^-1/2 and the mean after the round is, before
 *   seeing it, N(m, s^2 - s'^2); the call is decided when P(theta >= cut)
 *   ends at RF_FIT_MET or more, or RF_FIT_BELOW or less (a normal
 *   approximation of the preposterior);
 * - the chance that a "no" is a false negative: P(every core requirement
 *   met | all evidence), the exact joint probability of careers/fit.h.
 */
#ifndef RF_INTERVIEW_PACKET_H
#define RF_INTERVIEW_PACKET_H

#include <stddef.h>

#include "base/err.h"
#include "careers/fit.h"
#include "careers/kits.h"
#include "careers/profile.h"
#include "interview/rater.h"

/* Test and interviews agree on a skill when their means differ by at most
 * this many SDs of the difference. */
#define RF_IV_AGREE_Z 1.96

struct rf_iv_packet_req {
    double p_test, p_iv; /* P(meets) from the test alone, the interviews alone */
    int test_measured, iv_measured;
    double m_test, sd_test, m_iv, sd_iv;
    int agree;       /* 1 agree, 0 disagree, -1 not both measured */
    size_t settle;   /* open: the rubric (bank index) most likely to settle it, or
                        (size_t)-1 (none of the loop measures the skill; or decided) */
    double p_settle; /* the chance that round settles it */
};

struct rf_iv_packet {
    struct rf_profile all;        /* owned: test + interviews */
    struct rf_profile iv;         /* owned: the interviews alone */
    struct rf_role_fit fit;       /* from all evidence (borrows all) */
    struct rf_iv_packet_req *req; /* owned [fit.nreqs] */
    size_t nopen;                 /* undecided or not measured requirements */
    double p_false_negative;      /* P(every core requirement met): what a "no" risks */
};

/* Do the test (t) and the interviews (v) agree on a skill: their means
 * differ by at most RF_IV_AGREE_Z SDs of the difference. 1 agree, 0
 * disagree, -1 when either did not measure it (NULL). */
int rf_iv_agree(const struct rf_profile_skill *t, const struct rf_profile_skill *v);

/* The two profiles a candidate's interviews give (the staff report's
 * "interviews" section and the packet): all = the test profile test
 * (borrowed, not changed) joined with ratings r[0..m-1] (rf_iv_combine),
 * iv = the ratings alone on test's grid. Both owned by the caller on
 * success (rf_profile_cleanup), untouched on error. Errors: those of
 * rf_iv_combine. */
rf_status rf_iv_sources(const struct rf_profile *test, const struct rf_taxonomy *tax,
                        const struct rf_iv_bank *b, const double *sev, size_t nraters,
                        const struct rf_iv_rating *r, size_t m, struct rf_profile *all,
                        struct rf_profile *iv, struct rf_err *err);

/* Builds the packet of the candidate with test profile test (borrowed, not
 * changed; an empty profile for no test) and ratings r[0..m-1] (one
 * person's; criteria of bank b, raters of severities sev[0..nraters-1]) for
 * role (of roles; its loop in k). Release with rf_iv_packet_cleanup.
 * Errors: those of rf_iv_combine and rf_fit_role. */
rf_status rf_iv_packet(const struct rf_profile *test, const struct rf_roles *roles,
                       const struct rf_role *role, const struct rf_kits *k,
                       const struct rf_iv_bank *b, const double *sev, size_t nraters,
                       const struct rf_iv_rating *r, size_t m, struct rf_iv_packet *out,
                       struct rf_err *err);
void rf_iv_packet_cleanup(struct rf_iv_packet *pk);

#endif
