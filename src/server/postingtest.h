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
    /* What-if (analysis only): a test length other than the product's
     * (every skill's maximum too), 0..RF_CAT_MAX_ITEMS; 0: the product's. */
    size_t max_items;
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
    /* Analysis only, not the product's ranking (docs/careers.md "Posting
     * tests"): the same figure (ties either way) for the Bayes selection, the
     * top third by each applicant's posterior probability of truly meeting
     * at least the pool's bar (the third's share, itself uncertain:
     * rf_postingsim_bayes_scores), the best any ranking can do on average
     * from the same answers and model. _joint reads the share's distribution
     * from the profile's joint posterior (given the general factor the skills
     * are independent: a share DP per cell of the model); _indep from the
     * per-requirement P(meets) the fit shows, taken as independent. */
    double top_third_bayes_joint, top_third_bayes_indep;
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
/* The attainable weights met of a posting (every subset sum of its
 * requirements' weights, distinct to 1e-9 of the total), ascending, and for
 * each requirement r and sum j the index of sum j + w[r] (SIZE_MAX when not
 * attainable): the space the Bayes selection's share distributions live in. */
struct rf_share_space {
    size_t nreq, m;
    double *sum;  /* owned [m]; sum[0] = 0 */
    size_t *next; /* owned [nreq * m] */
};

/* Builds the space of n weights (each > 0 and finite). Errors: RF_EINVAL (a
 * weight), RF_ETOOBIG (more than RF_POSTINGSIM_MAX_SHARES distinct sums),
 * RF_ENOMEM. On error sp is empty. */
#define RF_POSTINGSIM_MAX_SHARES 4096
rf_status rf_share_space_init(struct rf_share_space *sp, const double *w, size_t n,
                              struct rf_err *err);
void rf_share_space_cleanup(struct rf_share_space *sp);

/* The distribution of the weight met when requirement r is met with
 * probability p[r], independently of the others (a Poisson-binomial over
 * weights): out[j] = P(weight met = sp->sum[j]). O(nreq * m). */
void rf_share_dist(const struct rf_share_space *sp, const double *p, double *out);

/* The distribution of the weight met of post (sp its space, the same
 * requirements) under profile pr's joint posterior into out[0..m-1]: given a
 * cell of the profile's model (component, g node; irt/hier.h) the skills are
 * independent, so a share DP per cell (an OR-group met unless every
 * alternative misses), mixed by the cells' posterior weights; a skill
 * outside the model enters with its marginal P(meets). Without a model,
 * indep[0..m-1] (the DP of the requirements' P(meets)) is copied. Errors:
 * rf_profile_hier's, RF_ENOMEM. */
rf_status rf_share_dist_joint(const struct rf_share_space *sp, const struct rf_parsed_posting *post,
                              const struct rf_taxonomy *tax, const struct rf_profile *pr,
                              const double *indep, double *out, struct rf_err *err);

/* The Bayes selection's scores. tail[i * m + j] is applicant i's posterior
 * P(weight met >= sum j) (non-increasing in j, tail[i * m] = 1); the bar is
 * the k-th largest true weight met in the pool (1 <= k <= n): P(bar >= sum
 * j) = P(N_j >= k), N_j the number of applicants at or above sum j, a sum of
 * independent Bernoulli(tail[i * m + j]) (exact when n * k <= 10^7, else the
 * normal approximation with continuity correction). score[i] = sum_j P(bar =
 * sum j) tail[i * m + j], applicant i's probability of being truly at or
 * above the bar: the top k by score maximize the expected number of the
 * true best k among them (ties at the bar counted either way). RF_ENOMEM. */
rf_status rf_postingsim_bayes_scores(const double *tail, size_t n, size_t m, size_t k,
                                     double *score, struct rf_err *err);

/* The issue-19 hidden bank, for the study's oracle-information bound: every
 * item of b that the engine scores gets parameters drawn as a calibrated
 * bank's would be, a ~ U(0.6, 2.0), and for a multiple-choice (3PL) item c ~
 * U(0.1, 0.3), b = its rated b + N(0, 0.5^2) (a graded item's thresholds
 * shift together by one such draw); item i draws from
 * rf_rng_substream(seed ^ RF_POSTINGSIM_BANK_SALT, i). A pool built from b
 * then scores with these parameters, and truth from that pool without the
 * bank (rf_rolesim_truth_init(t, p, NULL)) draws answers from them: a
 * perfectly calibrated bank of more informative items. */
#define RF_POSTINGSIM_BANK_SALT 0x68696464656e6231ULL
void rf_postingsim_hidden_bank(struct rf_bank *b, uint64_t seed);

rf_status rf_postingsim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                            const struct rf_roles *roles, const struct rf_parsed_posting *post,
                            const struct rf_postingsim_opts *o, struct rf_postingsim_result *r,
                            struct rf_err *err);

#endif
