/*
 * Skill profiles: what an adaptive test learned about one person, per skill,
 * and what role fit, reports and ranking consume. The JSON form is specified
 * in docs/profile-format.md; this module is its only reader and writer.
 *
 * Invariants of a profile built by these functions: the grid has
 * RF_QUAD_MIN_N..RF_QUAD_MAX_N nodes on a finite range lo < hi; skill ids
 * are unique and non-empty; theta is finite and se finite and > 0; a stored
 * posterior has exactly n finite, non-negative values summing to 1 (it is
 * renormalized on entry); every missed item has a non-empty id.
 * Skill ids are not checked against the taxonomy here: a profile may carry a
 * skill a taxonomy does not know, and fit simply does not use it.
 */
#ifndef RF_CAREERS_PROFILE_H
#define RF_CAREERS_PROFILE_H

#include <jansson.h>
#include <stddef.h>

#include "base/config.h"
#include "base/err.h"
#include "irt/hier.h"

/* One item answered wrongly, or partly right (a multiple-select item with
 * some credit but not all), with the concepts (tags) it tests. */
struct rf_profile_miss {
    char *item;   /* owned item id */
    char **tags;  /* owned, ntags strings */
    size_t ntags;
    int partial;  /* 1: partly right ("partial": true in the JSON form) */
};

/* What is known about one skill. */
struct rf_profile_skill {
    char *skill;       /* owned skill id */
    double theta, se;  /* posterior mean (EAP) and posterior SD */
    size_t items;      /* items answered in this skill */
    double *posterior; /* owned, n values on the grid summing to 1, or NULL: then N(theta, se^2) */
    struct rf_profile_miss *missed; /* owned, nmissed entries */
    size_t nmissed;
    double *loglik; /* owned, n values (-HUGE_VAL: zero likelihood), or NULL: the skill's
                       evidence without its prior, which later sessions combine with */
    /* With has_random: log [P(the skill's answers | a random responder) /
     * P(the same | a person drawn from N(0, 1))] (cat/session.h), what
     * "no role" rests on (careers/closest.h); -HUGE_VAL: a random responder
     * could not have answered so. Without (a profile from before it was kept),
     * closest roles fall back to a person at the grid's lowest node. */
    double random_lbf;
    int has_random;
};

/* The prior a profile's posteriors rest on (irt/hier.h): skill ids (the
 * model's skills, in its order; measured or not) and the spec over them. */
struct rf_profile_model {
    size_t nskills;
    char *skills[RF_HIER_MAX_SKILLS]; /* owned */
    struct rf_hier_spec spec;
    int assumed; /* 1: the loadings are the documented default, not calibrated */
    char *role;  /* owned, or NULL: the role whose people the last component describes (a
                    role test's takers are partly its people); closest roles weigh that
                    role with the component's weight (careers/closest.h) */
};

struct rf_profile {
    char *person;        /* owned, NULL when absent */
    char *source;        /* owned, NULL when absent: "assess", "session" or "manual" */
    double lo, hi;       /* the even quadrature grid: n nodes from lo to hi */
    size_t n;
    struct rf_profile_skill *skills; /* owned, in insertion order */
    size_t nskills;
    size_t cap;          /* allocated entries of skills */
    struct rf_profile_model *model; /* owned, or NULL: independent N(0, 1) skills */
    char **sessions;     /* owned ids of the sessions the profile rests on */
    size_t nsessions;
};

/* Starts an empty profile over the even grid (lo, hi, n). n must lie in
 * [RF_QUAD_MIN_N, RF_QUAD_MAX_N] and lo < hi, both finite. */
rf_status rf_profile_init(struct rf_profile *p, double lo, double hi, size_t n,
                          struct rf_err *err);

/* The same with the default grid of the IRT core (61 nodes on [-6, 6]). */
void rf_profile_init_default(struct rf_profile *p);

/* Frees everything; p is left empty with the grid unchanged. A zeroed p is fine. */
void rf_profile_cleanup(struct rf_profile *p);

/* Sets (copies) the person and source; either may be NULL to clear it. */
rf_status rf_profile_set_person(struct rf_profile *p, const char *person, const char *source,
                                struct rf_err *err);

/* Adds a skill with estimate theta and standard error se from items answers.
 * posterior (may be NULL) has p->n values; it is copied and renormalized, and
 * must be finite, non-negative and sum to 1 within 1e-6. *idx (may be NULL)
 * receives the new skill's index. Errors: RF_EINVAL (empty or duplicate id,
 * non-finite theta, se <= 0, bad posterior), RF_ENOMEM. p is unchanged on error. */
rf_status rf_profile_add_skill(struct rf_profile *p, const char *skill, double theta, double se,
                               size_t items, const double *posterior, size_t *idx,
                               struct rf_err *err);

/* Adds a skill from an in-memory posterior over p's grid (p->n values, need
 * not be normalized but must have positive mass): theta and se are its mean
 * and SD over the grid nodes. This is how the adaptive engine builds a profile. */
rf_status rf_profile_add_posterior(struct rf_profile *p, const char *skill, size_t items,
                                   const double *posterior, size_t *idx, struct rf_err *err);

/* Records a missed item of skill idx with its tags (copied; ntags may be 0). */
rf_status rf_profile_add_missed(struct rf_profile *p, size_t idx, const char *item,
                                const char *const *tags, size_t ntags, struct rf_err *err);

/* The same for an item answered partly right (some credit, not all). */
rf_status rf_profile_add_partly(struct rf_profile *p, size_t idx, const char *item,
                                const char *const *tags, size_t ntags, struct rf_err *err);

/* Stores skill idx's log-likelihood (p->n values, copied; -HUGE_VAL allowed,
 * not everywhere, no NaN or +inf). RF_EINVAL, RF_ENOMEM. */
rf_status rf_profile_set_loglik(struct rf_profile *p, size_t idx, const double *loglik,
                                struct rf_err *err);

/* Stores skill idx's random-responder evidence (see struct rf_profile_skill;
 * -HUGE_VAL allowed, not NaN or +inf). RF_EINVAL. */
rf_status rf_profile_set_random(struct rf_profile *p, size_t idx, double random_lbf,
                                struct rf_err *err);

/* Sets the model prior: n skill ids (distinct, non-empty) and a spec over
 * them (spec->nskills == n; checked by rf_hier_spec_check). Replaces any
 * model. RF_EINVAL, RF_ENOMEM; p unchanged on error. */
rf_status rf_profile_set_model(struct rf_profile *p, const char *const *skills, size_t n,
                               const struct rf_hier_spec *spec, int assumed, struct rf_err *err);

/* Names the role whose people the model's last component describes (role id,
 * non-empty, at most RF_MAX_ID_LEN bytes; copied). p must have a model with
 * at least two components. RF_EINVAL, RF_ENOMEM. */
rf_status rf_profile_set_model_role(struct rf_profile *p, const char *role, struct rf_err *err);

/* Appends a session id (non-empty, at most RF_MAX_ID_LEN bytes; at most
 * RF_PROFILE_MAX_SESSIONS). RF_EINVAL, RF_ETOOBIG, RF_ENOMEM. */
rf_status rf_profile_add_session(struct rf_profile *p, const char *id, struct rf_err *err);

/* The model of p with its evidence: a model (*h) and a state (*st) holding
 * every model skill's stored log-likelihood (skills without one have none).
 * Both NULL when p has no model. Caller frees both. Cost: building the
 * kernels, O(kernels * RF_HIER_G_N * n). RF_EINVAL (a model skill without a
 * log-likelihood while it has items), RF_ENOMEM. */
rf_status rf_profile_hier(const struct rf_profile *p, struct rf_hier **h,
                          struct rf_hier_state **st, struct rf_err *err);

/* The same with every loading 0 (the components kept): the reading of the
 * evidence that does not rest on the loadings. Both NULL when p has no model,
 * when its loadings are calibrated (model->assumed 0) or when every loading
 * is already 0: then rf_profile_hier's reading is that one. Same errors. */
rf_status rf_profile_hier_unloaded(const struct rf_profile *p, struct rf_hier **h,
                                   struct rf_hier_state **st, struct rf_err *err);

/* Recomputes the posterior, theta and se of every skill of p's model that
 * p measured, from the log-likelihoods and the model (after evidence was
 * added). No-op without a model. RF_EINVAL, RF_ENOMEM. */
rf_status rf_profile_refresh(struct rf_profile *p, struct rf_err *err);

/* For a profile without a model prior (its posteriors rest on independent
 * N(0, 1) skills), gives every skill that has a stored posterior and no
 * log-likelihood the one its posterior implies, log post - log phi (phi: the
 * N(0, 1) density normalized over the grid, as the engine's prior), up to a
 * constant. So a profile from a session without the model, or one written
 * before profiles kept log-likelihoods, can take a follow-up exactly.
 * No-op with a model. RF_ENOMEM. */
rf_status rf_profile_derive_loglik(struct rf_profile *p, struct rf_err *err);

/* Follow-up: adds the evidence of src (a later session of the same person,
 * same grid) to dst. Skills in both add their log-likelihoods, items and
 * missed items, and their random-responder evidence (the random likelihoods
 * multiply; the population's is recomputed from the summed log-likelihoods;
 * dropped when either lacks it); skills only in src are added; src's sessions are appended;
 * src's model skills that dst's model lacks join it with src's loadings and
 * centres. Both must carry log-likelihoods for every measured skill. Then
 * dst is refreshed. On error dst is unchanged. RF_EINVAL (different grids,
 * a skill without a log-likelihood, too many skills), RF_ENOMEM. */
rf_status rf_profile_combine(struct rf_profile *dst, const struct rf_profile *src,
                             struct rf_err *err);

/* As rf_profile_combine, but the result is read under src's prior (its
 * model, with the role it names) instead of dst's: dst's model skills that
 * src's lacks join it with dst's loadings, at the population's centre in
 * every component. What a confirm test of a role the person names does: its
 * prior is that role's role-test prior (server/roletest.h
 * rf_roletest_confirm_named), and the profile it completes is read under it
 * (docs/careers.md "A role the person names"). The evidence is the same as
 * rf_profile_combine's (the log-likelihoods add); only the prior differs.
 * RF_EINVAL (src without a model, different grids, a skill without a
 * log-likelihood), RF_ETOOBIG, RF_ENOMEM; dst unchanged on error. */
rf_status rf_profile_combine_under(struct rf_profile *dst, const struct rf_profile *src,
                                   struct rf_err *err);

/* The skill with that id, or NULL when it was not measured. Linear scan. */
const struct rf_profile_skill *rf_profile_find(const struct rf_profile *p, const char *skill);

/* Grid node i of p: lo + i * (hi - lo) / (n - 1). */
double rf_profile_node(const struct rf_profile *p, size_t i);

/* P(theta >= cut) for skill s of p; s == NULL means not measured, and the
 * prior N(0, 1) is used. With a stored posterior each node's mass is spread
 * evenly over its cell [x_i - h/2, x_i + h/2] (so the result is continuous and
 * non-increasing in cut); without one, the normal tail of N(theta, se^2) in
 * closed form. Cost O(n) or one erfc. */
double rf_profile_tail(const struct rf_profile *p, const struct rf_profile_skill *s, double cut);

/* The posterior of s over p's grid into out[0..n-1]: the stored one, or
 * N(theta, se^2) evaluated at the nodes and normalized. s == NULL: N(0, 1). */
void rf_profile_posterior(const struct rf_profile *p, const struct rf_profile_skill *s,
                          double *out);

/* The posterior s would have under the independent N(0, 1) prior, into
 * out[0..n-1]: from its log-likelihood when the profile stores one (a
 * profile with a model prior), else rf_profile_posterior. What comparisons
 * of evidence against the population (closest roles) need. */
void rf_profile_posterior_indep(const struct rf_profile *p, const struct rf_profile_skill *s,
                                double *out);

/* Reads a profile from JSON text (name is used in messages) or from a file.
 * Messages are one line naming the file and the field: "alice.json: skills[2]
 * 'deep_learning': field 'se': expected a number > 0". On failure p is empty. */
rf_status rf_profile_parse(const char *name, const char *data, size_t len, struct rf_profile *p,
                           struct rf_err *err);
rf_status rf_profile_load(const char *path, struct rf_profile *p, struct rf_err *err);

/* Reads from a parsed JSON value; name prefixes messages. */
rf_status rf_profile_from_json(const json_t *j, const char *name, struct rf_profile *p,
                               struct rf_err *err);

/* Builds the JSON form (caller json_decref()s). RF_ENOMEM on failure. */
rf_status rf_profile_to_json(const struct rf_profile *p, json_t **out, struct rf_err *err);

/* Writes the JSON form to path atomically, indented, with a final newline. */
rf_status rf_profile_save(const struct rf_profile *p, const char *path, struct rf_err *err);

/* The packed form (docs/profile-format.md): the grid and, per skill, its id,
 * theta, se, items and stored posterior, little-endian binary; person, source
 * and missed items are left out. It holds what fit and ranking read, without
 * a JSON parse; unpacking gives back p's doubles exactly (the posterior is
 * checked, not renormalized again). Pack a profile as read from its JSON to
 * rank exactly as readers of that JSON do. *out is malloc'd (caller frees). RF_ENOMEM. */
rf_status rf_profile_pack(const struct rf_profile *p, unsigned char **out, size_t *len,
                          struct rf_err *err);

/* Reads a packed profile into p, checking every value as rf_profile_add_skill
 * does (the posterior must sum to 1 within RF_PROFILE_POST_TOL and is kept as
 * stored). A truncated, oversized or corrupted form fails with RF_EINVAL and a
 * message "packed profile: ..."; on failure p is empty. Cost O(size). */
rf_status rf_profile_unpack(const unsigned char *data, size_t len, struct rf_profile *p,
                            struct rf_err *err);

#endif
