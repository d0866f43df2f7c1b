/*
 * Rubric criteria as items on the skill scales, with the interviewer as a
 * facet (issue 17, docs/interviews.md). A criterion of a round's rubric (or
 * of a take-home's) is a graded response item on the one skill it measures;
 * its score points min..max are the categories 0..m-1. The interviewer who
 * scores it shifts every threshold by his severity:
 *     P(X >= k | theta, rater r) = logistic(a (theta - b_k - delta_r)),
 * so P(X = k | theta, r) is the GRM's at theta - delta_r (Samejima 1969 with a
 * rater effect; the many-facet idea of Linacre 1989 on the GRM). A severe
 * interviewer (delta > 0) gives lower scores to the same answer.
 *
 * A scorecard's evidence on skill s is the likelihood over the profile's grid
 * of every rating on a criterion of s; it joins the test's evidence in the
 * profile (rf_iv_combine), so fit, closest roles and ranking use one
 * posterior. Ratings of one candidate are independent given the skills.
 */
#ifndef RF_INTERVIEW_RATER_H
#define RF_INTERVIEW_RATER_H

#include <stddef.h>

#include "base/err.h"
#include "bank/skills.h"
#include "careers/kits.h"
#include "careers/profile.h"
#include "careers/roles.h"
#include "irt/model.h"

/* Parameters a criterion has until calibration (docs/interviews.md "The
 * bar"): slope RF_IV_DEFAULT_A, and thresholds on the level bands of its
 * skill (bank/skills.h cuts): the scale's "meets the bar" point (the one
 * below its top: 3 of 1..4) starts where RF_IV_BAR_LEVEL starts, each point
 * below it one level lower, the top one level higher. On a 1..4 scale and
 * the bundled cuts: -1, 0, 1 (developing, proficient, advanced). Without a
 * taxonomy (kits loaded without careers) the thresholds are spread
 * RF_IV_DEFAULT_STEP apart around 0. Every severity starts at 0. */
#define RF_IV_DEFAULT_A 1.2
#define RF_IV_DEFAULT_STEP 1.0
#define RF_IV_BAR_LEVEL 2 /* proficient: the bar of a criterion when no role sets one */

/* One criterion as an item. */
struct rf_iv_crit {
    size_t skill;          /* the skill it measures: taxonomy index */
    size_t rubric;         /* its rubric (round kit or take-home), index into the bank's */
    struct rf_irt_item it; /* GRM, ncat = the scale's points */
};

/* One score: a person's score on a criterion, given by a rater in one slot
 * (one held round: a person's second research-design round is another slot). */
struct rf_iv_rating {
    size_t person, slot, crit, rater;
    size_t score; /* category, 0..ncat-1 (the scale point minus its minimum) */
    double bar;   /* where the candidate's role puts the bar on the criterion's skill, relative to
                     the criterion's default bar (rf_iv_bar; 0: the default): every threshold
                     moves by it, like a severity */
};

/* The criteria of the kits: every round's rubric, then every take-home's. */
struct rf_iv_bank {
    size_t ncrit;
    struct rf_iv_crit *crit; /* owned */
    char **ids;              /* owned: "<rubric>.<criterion>" */
    size_t nrubrics;         /* kits' rounds then take-homes */
    char **rubric_ids;       /* owned: the round's or take-home's id */
    size_t *first; /* owned [nrubrics + 1]: rubric u's criteria are first[u]..first[u+1]-1 */
};

/* The criteria of k with default parameters (above). RF_ENOMEM, RF_EINVAL (a
 * scale of more than RF_MAX_CATEGORIES points). */
rf_status rf_iv_bank_from_kits(const struct rf_kits *k, struct rf_iv_bank *out, struct rf_err *err);
void rf_iv_bank_cleanup(struct rf_iv_bank *b);

/* Criterion index of id ("<rubric>.<criterion>"), or (size_t)-1. */
size_t rf_iv_bank_find(const struct rf_iv_bank *b, const char *id);

/* Rubric index of a round's or take-home's id, or (size_t)-1. */
size_t rf_iv_bank_rubric(const struct rf_iv_bank *b, const char *id);

/* The bar of a rating on a criterion of skill for a candidate interviewed
 * for role (NULL: none): how far the start of the level role requires of
 * the skill lies above the start of RF_IV_BAR_LEVEL (tax's cuts); 0 when
 * role is NULL or does not require the skill. An ML engineer (software
 * engineering at advanced) gets 1 on the bundled cuts: scored "meets the
 * bar", he reads at the start of advanced, not of proficient. */
double rf_iv_bar(const struct rf_taxonomy *tax, const struct rf_role *role, size_t skill);

/* P(X = k | theta, severity sev) of criterion c (a rating's bar adds to sev). */
double rf_iv_prob(const struct rf_iv_crit *c, double theta, double sev, size_t k);

/* Adds to ll[0..n-1] the log-likelihood at nodes x[0..n-1] of the ratings
 * r[0..m-1] whose criterion measures skill (the others are skipped); sev[r]
 * the raters' severities, each rating shifted by its bar too. Indices must be valid (rf_iv_check). */
void rf_iv_loglik_add(const struct rf_iv_crit *crit, const double *sev,
                      const struct rf_iv_rating *r, size_t m, size_t skill, const double *x,
                      size_t n, double *ll);

/* Checks ratings r[0..m-1]: criterion < ncrit, rater < nraters, score <
 * its criterion's ncat. The message names the rating and the field
 * ("ratings[3]: field 'score': 5 is outside 0..3"). RF_EINVAL. */
rf_status rf_iv_check(const struct rf_iv_crit *crit, size_t ncrit, size_t nraters,
                      const struct rf_iv_rating *r, size_t m, struct rf_err *err);

/* Joins one person's ratings r[0..m-1] (criteria of bank b, raters of
 * severities sev[0..nraters-1]) to profile p: per skill the ratings touch,
 * their log-likelihood over p's grid is added to the skill's (a skill p did
 * not measure is added, with the documented default loading,
 * RF_HIER_DEFAULT_LAMBDA, in p's model), and the posteriors are recomputed
 * under p's prior (careers/profile.h rf_profile_combine). tax names the
 * skills. A profile without a model prior gets its log-likelihoods derived
 * first (rf_profile_derive_loglik; on error p keeps those and is otherwise
 * unchanged). RF_EINVAL (bad
 * rating, contradicting evidence), RF_ETOOBIG (too many skills), RF_ENOMEM. */
rf_status rf_iv_combine(struct rf_profile *p, const struct rf_taxonomy *tax,
                        const struct rf_iv_bank *b, const double *sev, size_t nraters,
                        const struct rf_iv_rating *r, size_t m, struct rf_err *err);

#endif
