/*
 * Closest roles: which role's people a measured profile most resembles.
 *
 * Fit (fit.h) answers a recruiter's question, "does this person meet the
 * role's bar", and a person who meets a demanding role also meets every role
 * with lower bars on the same skills, so fit alone cannot tell a candidate
 * which role is theirs. Closeness answers the candidate's question with a
 * classification over the roles file:
 *
 *   - the people of role R have, on each skill R requires at level L, theta ~
 *     N(mu_L, tau_L^2): mu_L is the middle of level L's band on that skill's
 *     scale (for the top level, half a band above its cut) and tau_L is
 *     RF_CLOSEST_SPREAD band widths; on skills R does not require they look
 *     like the population, N(0, 1);
 *   - the evidence for R against the population is the Bayes factor
 *     BF_R = prod over R's measured skills of E_post[f_R(theta) / phi(theta)],
 *     computed on the profile's grid (the posterior is taken as the
 *     likelihood times the N(0, 1) prior, which is how the engine builds it);
 *     skills the profile lacks contribute a factor 1;
 *   - "no role": a random responder, who picks an answer at random: one of
 *     k options (right 1/k), a number (within the tolerance with probability
 *     RF_ANSWER_RANDOM_NUMERIC), a uniformly random non-empty subset of a
 *     multiple-select item's options (its credit category with the
 *     probability bank/answer.h rf_answer_random_probs gives). Its Bayes
 *     factor against the population is the product over the measured skills
 *     of the profile's random_lbf (careers/profile.h): P(answers | random) /
 *     P(answers | N(0, 1) person), kept by the engine per skill. A skill of a
 *     profile written before that was kept falls back to a person who knows
 *     nothing (the grid's lowest node x_0): post(x_0) / phi(x_0), both
 *     normalized over the grid; right for multiple-choice and numeric items,
 *     wrong for multiple-select ones (a random subset earns partial credit);
 *   - with equal prior odds for every role and for "no role", P(R | answers)
 *     = BF_R / (BF_none + sum of BF over the roles with at least one
 *     measured skill), and P(no role) = BF_none / the same sum, so the role
 *     probabilities and P(no role) sum to 1; a role none of whose skills was
 *     measured gets probability 0 and comes last (with no evidence either
 *     way it would otherwise win by default whenever the answers count
 *     against every measured role: log BF < 0 for all).
 *
 * Every measured skill counts for every role: on a skill a role does not
 * require its people look like the population (factor 1), so the roles are
 * compared over the same skills, and an unmeasured skill is factor 1 for
 * all of them and for "no role".
 *
 * A skill summarized by (theta, se) without a posterior counts as measured
 * only when se < 1 (a wider "posterior" than the prior implies no
 * information). A profile that measured nothing gives every role the same
 * probability and nmeasured 0.
 */
#ifndef RF_CAREERS_CLOSEST_H
#define RF_CAREERS_CLOSEST_H

#include <stddef.h>

#include "base/err.h"
#include "careers/profile.h"
#include "careers/roles.h"

struct rf_role_close {
    const struct rf_role *role; /* borrowed */
    double prob;                /* P(R | answers) among the measured roles and "no role" */
    double log_bf;              /* log BF_R against the population */
    size_t nmeasured;           /* R's requirements on skills the profile measured */
};

/* The centre and spread of the people of a role requiring level (1..4) on
 * skill (taxonomy index) of tax. */
void rf_closest_level_dist(const struct rf_taxonomy *tax, size_t skill, size_t level, double *mu,
                           double *tau);

/* The people of role on each of n skills (ids; unknown ids and skills the
 * role does not require get mu = 0, tau = 0, meaning "like the
 * population"): what an adaptive test needs to tell the roles apart. */
void rf_closest_role_dists(const struct rf_roles *roles, const struct rf_role *role,
                           const char *const *skills, size_t n, double *mu, double *tau);

/* Evaluates every role of roles for p (both borrowed; they must outlive
 * out); *out receives roles->n entries, measured roles first, each group by
 * probability (highest first, ties in role order), and *no_role (may be
 * NULL) P(no role) (0 when nothing of any role was measured). Free *out with
 * free(). RF_ENOMEM only. */
rf_status rf_closest_all(const struct rf_profile *p, const struct rf_roles *roles,
                         struct rf_role_close **out, double *no_role, struct rf_err *err);

/* Whether role x's bars are at least as high as role own's on every skill p
 * measured (as above: a stored posterior, or se < 1); a skill a role does not
 * require counts as no bar. What a report says when a role test's closest
 * role is another role: one that asks at least as much (the answers go beyond
 * the test's role), or not. */
int rf_closest_bars_at_least(const struct rf_profile *p, const struct rf_roles *roles,
                             const struct rf_role *x, const struct rf_role *own);

/* Whether no role of roles asks more than x on what p measured: none has
 * bars at least as high as x's on every skill p measured and higher on one
 * (rf_closest_bars_at_least both ways). What a find-my-role report says of
 * its closest role when the answers meet all its bars: a role with the
 * highest bars on what was asked (nothing asks more), or one some role goes
 * beyond. Cost O(roles * skills). */
int rf_closest_bars_highest(const struct rf_profile *p, const struct rf_roles *roles,
                            const struct rf_role *x);

#endif
