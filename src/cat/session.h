/*
 * An adaptive test session over an item pool (cat/pool.h).
 *
 * A session has a scope (skills of the pool) and a blueprint (per skill an SE
 * target and a minimum and maximum number of items; an overall maximum). Each
 * step picks the skill that most needs information (skills below their
 * minimum first, then the largest posterior SD relative to its target), then
 * the k best items of that skill by the selection criterion (maximum Fisher
 * information at the EAP, posterior-weighted Kullback-Leibler, or
 * posterior-weighted information), takes one of them at random (randomesque,
 * Kingsbury & Zara 1989) and, when exposure control is on, administers it with
 * probability K_i (Sympson & Hetter 1985) or else blocks it for this session
 * and chooses again. No item is given twice; unusable (retired, uncalibrated)
 * items are never given; once an item is answered, the other items of its
 * enemy group (cat/pool.h) are never given in the session, in any skill.
 *
 * Each skill keeps its posterior on the pool's grid; an answer multiplies it by
 * P(X = k | node) once and renormalizes (no re-scoring of the history).
 * A skill is finished when it reaches its SE target with its minimum met, its
 * maximum, the end of its items, or (optional) when its SE target can no
 * longer be reached within the items it has left. The session is finished when
 * every skill is, or at the overall maximum.
 *
 * rf_cat_next and rf_cat_answer allocate nothing. A session is not
 * thread-safe; use one per thread (the pool may be shared).
 */
#ifndef RF_CAT_SESSION_H
#define RF_CAT_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/err.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "irt/hier.h"

enum rf_cat_select {
    RF_CAT_MFI = 0, /* maximum Fisher information at the EAP */
    RF_CAT_KL,      /* posterior-weighted Kullback-Leibler (Chang & Ying 1996) */
    RF_CAT_PWI      /* posterior-weighted information (van der Linden 1998) */
};

/* "mfi", "kl", "pwi". */
const char *rf_cat_select_name(enum rf_cat_select s);
rf_status rf_cat_select_parse(const char *s, enum rf_cat_select *out);

struct rf_cat_rule {
    double se;  /* SE target (posterior SD), > 0 */
    size_t min; /* items at least (when the skill has them) */
    size_t max; /* items at most */
};

/* How one class of people is spread on one scope skill: N(mu, tau^2), or
 * (tau == 0, then mu is 0) like the population, the N(0, 1) prior. */
struct rf_cat_class_skill {
    double mu, tau;
};

struct rf_cat_design {
    size_t nscope;
    size_t scope[RF_CAT_MAX_SCOPE]; /* skill indices of the pool, distinct */
    struct rf_cat_rule rule[RF_CAT_MAX_SCOPE];
    size_t max_items; /* overall maximum, 1..RF_CAT_MAX_ITEMS */
    enum rf_cat_select select;
    size_t randomesque;   /* choose among the best k, 1..RF_CAT_MAX_TOPK */
    int exposure;         /* apply the pool's Sympson-Hetter parameters */
    int stop_unreachable; /* finish a skill whose target is out of reach */
    double reach_slack;   /* >= 1: how much more information than the best
                             available items give is assumed before giving up */
    /* Optional classification objective (nclasses == 0: none). With classes,
     * the next item is, among the most informative few of each open skill,
     * the one whose answer most lowers the expected entropy of the class
     * posterior (one step ahead; equal prior odds; each class's evidence on a
     * skill is E_post[f_c / phi], see careers/closest.h); skills below their
     * minimum still come first. Stopping rules are unchanged. With
     * class_focus, once one class reaches RF_CAT_CLASS_DECIDED and every open
     * skill has its minimum, the items go to that class's skills by the usual
     * rule (largest SD relative to target). docs/cat.md has the details. */
    size_t nclasses;
    int class_focus;
    struct rf_cat_class_skill classes[RF_CAT_MAX_CLASSES][RF_CAT_MAX_SCOPE];
    /* The prior (irt/hier.h, docs/cat.md "The higher-order model"): loadings
     * of the scope skills on the general factor (0 for every skill, the
     * default: independent N(0, 1) skills, the engine as it was), and a
     * mixture: with prior_weight > 0, the people of class prior_class (its
     * N(mu, tau^2) per skill, sharing the loadings) join the population with
     * that weight; with prior_all, the people of every class join it
     * instead, prior_weight shared equally among the classes (a find-my-role
     * test: its takers may be any role's people; prior_class is then
     * ignored). With either, every posterior is the model's exact marginal
     * and an answer on one skill moves every skill. */
    double lambda[RF_CAT_MAX_SCOPE];
    double prior_weight;
    size_t prior_class;
    int prior_all;
    int loadings_assumed; /* the loadings are a default, not calibrated (reports say so) */
    /* The population's spread on each scope skill, N(pop_mu, pop_tau^2): the
     * latent distribution of the takers of this kind of test, as staff
     * applied it from the store (docs/calibration.md "Each test kind's
     * latent distribution"); pop_tau 0 (the default) is the reference
     * N(0, 1). It is the mixture's first component (the classes mixed in
     * keep theirs). Any pop_tau above 0 makes the design's prior the
     * model's. */
    double pop_mu[RF_CAT_MAX_SCOPE], pop_tau[RF_CAT_MAX_SCOPE];
    /* Decisions: with decide[j], scope skill j is a requirement with cut
     * cut[j], and it is finished (RF_CAT_SKILL_DECIDED) once its minimum is
     * met and P(theta >= cut) reaches RF_CAT_DECIDED_P or falls to 1 minus
     * it (with loadings_assumed and a loading above 0: under the prior and
     * under the same prior with every loading 0, as the report's call reads
     * it); it opens again if later answers (through g) undecide it. So the
     * test goes on asking where a requirement is undecided, within the caps. */
    double cut[RF_CAT_MAX_SCOPE];
    unsigned char decide[RF_CAT_MAX_SCOPE];
    /* When decisions may finish skills: not before the test has given
     * decide_after items overall (0: any time), and at decide_p (0: the
     * default RF_CAT_DECIDED_P; otherwise 0.5 < decide_p < 1). Before
     * decide_after the test runs as without decisions. */
    size_t decide_after;
    double decide_p;
    /* Confirm stage (nreqs > 0; careers' "confirm your role"): requirement r
     * is scope skill req_skill[r] with cut req_cut[r] (a skill may carry
     * several). The session asks only where a requirement is undecided
     * (1 - p < P(theta >= cut) < p, p = decide_p or RF_CAT_DECIDED_P): each
     * step takes the undecided requirement nearest a decision (its P farthest
     * from 0.5) among the skills below their maximum with items left, and
     * the items most informative at its cut (randomesque, exposure as
     * usual). A skill with no requirement is in the prior only (state
     * RF_CAT_SKILL_MAX: never asked); a requirement skill is
     * RF_CAT_SKILL_DECIDED while all its requirements are decided and opens
     * again if answers (through g or the mixture) undecide one. The session
     * finishes when every requirement is decided, at max_items, or when the
     * undecided ones have no items or room left. SE targets, minimums,
     * decide[] and the classification objective do not apply (the classes
     * still make up a mixture prior). The answers of earlier sessions enter
     * with rf_cat_carry. */
    size_t nreqs;
    size_t req_skill[RF_CAT_MAX_REQS];
    double req_cut[RF_CAT_MAX_REQS];
    /* Ranking objective (nobj > 0; a posting's test, server/postingtest.h).
     * The score ranked is sum_r w_r 1[some alternative of requirement r is
     * met]; term t is one alternative: scope skill obj_skill[t] at cut
     * obj_cut[t] of requirement obj_req[t] (< nobjreq, weight
     * obj_w[obj_req[t]] > 0). Each step gives, among the available items of
     * the open skills (skills below their minimum first), the item whose
     * answer most lowers the expected posterior variance of the score: the
     * variance over its answer x of E[score | x], read from its skill's
     * marginal, with the alternatives of a requirement taken as independent
     * (so an answer moves p_r = 1 - prod (1 - P_t) through its own terms
     * only), randomesque and exposure as usual. A skill is finished only by
     * its maximum or the end of its items: SE targets and decisions do not
     * apply, and the session runs to max_items, or (obj_stop > 0) until,
     * with every skill at its minimum, no item would lower the variance by
     * obj_stop times the squared sum of the weights. Not with nreqs or
     * classes. */
    double obj_stop;
    size_t nobj, nobjreq;
    size_t obj_req[RF_CAT_MAX_OBJ], obj_skill[RF_CAT_MAX_OBJ];
    double obj_cut[RF_CAT_MAX_OBJ], obj_w[RF_CAT_MAX_OBJ];
    /* Pretest seeding (docs/calibration.md "Pretest items"): npretest pool
     * items that the pool does not use (pretest items of the bank), given
     * unscored at the 1-based positions pretest_at[] of the whole test
     * (strictly increasing, at most max_items + npretest); one whose position
     * the scored test does not reach comes after its last scored item. Each
     * item's skill is a scope skill. Their answers move no posterior, no
     * selection, no RNG and no stopping rule, so the scored items and the
     * result are those of the same design and seed without them; each keeps
     * the posterior mean and SD of its skill when it was answered. */
    size_t npretest;
    uint32_t pretest[RF_CAT_MAX_PRETEST];
    uint32_t pretest_at[RF_CAT_MAX_PRETEST];
};

/* Defaults: empty scope, overall maximum RF_CAT_DEFAULT_MAX_ITEMS, MFI,
 * randomesque RF_CAT_DEFAULT_RANDOMESQUE, no exposure control, early stop on. */
void rf_cat_design_init(struct rf_cat_design *d);

/* Adds a skill to the scope with rule r (se > 0, min <= max). Errors:
 * RF_ENOTFOUND unknown skill; RF_EINVAL no usable (calibrated, not retired)
 * items, a skill already in scope, a bad rule; RF_ETOOBIG scope full. */
rf_status rf_cat_design_add(struct rf_cat_design *d, const struct rf_cat_pool *p, const char *skill,
                            struct rf_cat_rule r, struct rf_err *err);

/* Adds a class to d's classification objective: dist[j] for each of the
 * d->nscope scope skills (copied). Errors: RF_EINVAL (|mu| above
 * RF_CAT_CLASS_MAX_MU, tau neither 0 nor within RF_CAT_CLASS_MIN_TAU ..
 * RF_CAT_CLASS_MAX_TAU), RF_ETOOBIG (RF_CAT_MAX_CLASSES already). */
rf_status rf_cat_design_add_class(struct rf_cat_design *d, const struct rf_cat_class_skill *dist,
                                  struct rf_err *err);

/* Sets every scope skill's loading to lambda and, with weight > 0, mixes class
 * cls into the prior with that weight. Checked by rf_cat_design_check. */
void rf_cat_design_set_prior(struct rf_cat_design *d, double lambda, size_t cls, double weight);

/* Whether d's prior is the model's (some loading or a mixture) rather than
 * independent N(0, 1) skills. */
int rf_cat_design_has_model(const struct rf_cat_design *d);

/* The prior of d as a spec over its scope skills (in scope order): the
 * independent N(0, 1) model when d has none. */
void rf_cat_design_prior(const struct rf_cat_design *d, struct rf_hier_spec *out);

/* Checks a design against a pool (non-empty scope, valid indices and rules). */
rf_status rf_cat_design_check(const struct rf_cat_design *d, const struct rf_cat_pool *p,
                              struct rf_err *err);

enum rf_cat_stop {
    RF_CAT_RUNNING = 0,
    RF_CAT_STOP_TARGET,    /* every skill finished by its target, minimum or maximum */
    RF_CAT_STOP_MAX_ITEMS, /* the overall maximum */
    RF_CAT_STOP_EXHAUSTED  /* some skill ran out of items before its target */
};

/* Why a skill is finished (RF_CAT_SKILL_OPEN while it is not). */
enum rf_cat_skill_state {
    RF_CAT_SKILL_OPEN = 0,
    RF_CAT_SKILL_TARGET,
    RF_CAT_SKILL_MAX,
    RF_CAT_SKILL_EXHAUSTED,
    RF_CAT_SKILL_UNREACHABLE,
    RF_CAT_SKILL_DECIDED /* its requirement is decided (design decide[j]) */
};

struct rf_cat_session;

/* A new session over pool p (borrowed: it must outlive the session) with
 * design d (copied) and an RNG seeded with seed. */
rf_status rf_cat_session_new(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                             uint64_t seed, struct rf_cat_session **out, struct rf_err *err);
void rf_cat_session_free(struct rf_cat_session *s);

/* Starts the session over (same pool and design), RNG seeded with seed. */
void rf_cat_session_reset(struct rf_cat_session *s, uint64_t seed);

/* The next item to present, in *item (a pool index); *item = SIZE_MAX when
 * the session is finished. Asking again before answering returns the same
 * item. Allocates nothing. */
void rf_cat_next(struct rf_cat_session *s, size_t *item);

/* Records the answer (category k) to the item presented by rf_cat_next.
 * Errors: RF_ECONFLICT when item is not the one presented; RF_EINVAL for a
 * category out of range. The session's message says which. */
rf_status rf_cat_answer(struct rf_cat_session *s, size_t item, size_t k);

/* Carries an answer (category k) of an earlier session of the same person
 * into s: the posterior takes its evidence and the item is never given, but
 * it is not one of this session's answers (not counted, not in
 * rf_cat_skill_loglik or the random-responder evidence, so a profile of
 * this session combines with the earlier one's without counting it twice;
 * careers/profile.h rf_profile_combine). Only before the session's first
 * answer, and only with the model's prior (rf_cat_design_has_model). An
 * item outside the scope, retired or without parameters is skipped (RF_OK,
 * nothing recorded). Errors: RF_EINVAL (no model, an item index outside the
 * pool, an item given twice, a category out of range), RF_ECONFLICT (after
 * an answer, or while an item is presented). */
rf_status rf_cat_carry(struct rf_cat_session *s, size_t item, size_t k, struct rf_err *err);

/* Whether event j (rf_cat_event) is a carried answer. */
int rf_cat_event_carried(const struct rf_cat_session *s, size_t j);

/* State of the session. */
enum rf_cat_stop rf_cat_stopped(const struct rf_cat_session *s);
size_t rf_cat_nanswered(const struct rf_cat_session *s);
/* The j-th answered item and its category. */
void rf_cat_answered(const struct rf_cat_session *s, size_t j, size_t *item, size_t *k);
const struct rf_cat_design *rf_cat_session_design(const struct rf_cat_session *s);
const struct rf_cat_pool *rf_cat_session_pool(const struct rf_cat_session *s);

/* Scope skill j's log-likelihood over the pool's grid into out[0..n-1]
 * (up to a constant; -HUGE_VAL where it is zero): what a profile stores so
 * that later evidence combines exactly (careers/profile.h). */
void rf_cat_skill_loglik(const struct rf_cat_session *s, size_t j, double *out);

/* The posterior weight of the class mixed into the prior, or of all the
 * classes together with prior_all (0 without one). */
double rf_cat_prior_class_weight(struct rf_cat_session *s);

/* Scope entry j (0..nscope-1): EAP, posterior SD, items answered, state, the
 * normalized posterior on the pool's grid (pool->q.n values, borrowed) and the
 * random responder's evidence. */
struct rf_cat_skill_result {
    double theta, se;
    size_t items;
    enum rf_cat_skill_state state;
    const double *posterior;
    /* log [P(the skill's answers | a random responder) / P(the same | a
     * person drawn from N(0, 1))], each answer's random probability from the
     * pool (rf_cat_pool.rand): what careers/closest.h weighs "no role" with.
     * 0 with no answer; -HUGE_VAL when a random responder could not give them. */
    double random_lbf;
};
void rf_cat_skill(const struct rf_cat_session *s, size_t j, struct rf_cat_skill_result *out);

/* Pretest items (design npretest): how many were answered, and the j-th
 * (in order) with its category and its skill's posterior mean and SD just
 * before it was answered. rf_cat_next presents them like scored items;
 * rf_cat_answer records them. */
size_t rf_cat_npretest_answered(const struct rf_cat_session *s);
void rf_cat_pretest_answer(const struct rf_cat_session *s, size_t j, size_t *item, size_t *k,
                           double *theta, double *sd);
/* Whether the presented item is a pretest item. */
int rf_cat_pending_pretest(const struct rf_cat_session *s);
/* Restores the next pretest answer (the session file reader): item must be
 * the next pretest item of the design, k in range, sd > 0. */
rf_status rf_cat_replay_pretest(struct rf_cat_session *s, size_t item, size_t k, double theta,
                                double sd, struct rf_err *err);

/* The last error message of the session. */
const char *rf_cat_errmsg(const struct rf_cat_session *s);

/* Items blocked by exposure control in this session (pool indices). */
size_t rf_cat_nblocked(const struct rf_cat_session *s);
size_t rf_cat_blocked(const struct rf_cat_session *s, size_t j);

/* The ordered log of answers and blocks: event j is (item, k) with k the
 * category, or k = -1 for an item blocked by exposure control. */
size_t rf_cat_nevents(const struct rf_cat_session *s);
void rf_cat_event(const struct rf_cat_session *s, size_t j, size_t *item, int *k);

/* Raw access used by the session file reader (cat/sessfile.h): the RNG state,
 * and a restore step that replays one answer without selection. */
struct rf_rng *rf_cat_session_rng(struct rf_cat_session *s);
rf_status rf_cat_replay(struct rf_cat_session *s, size_t item, size_t k, struct rf_err *err);
rf_status rf_cat_replay_block(struct rf_cat_session *s, size_t item, struct rf_err *err);
rf_status rf_cat_set_pending(struct rf_cat_session *s, size_t item, struct rf_err *err);
/* The presented item (SIZE_MAX when none). */
size_t rf_cat_pending(const struct rf_cat_session *s);

#endif
