/*
 * The higher-order skill model and mixture priors, with exact posteriors over
 * a quadrature grid (docs/cat.md "The higher-order model").
 *
 * Skills k = 0..nskills-1 load on one general factor g ~ N(0, 1):
 *     theta_k = mu_ck + tau_ck (lambda_k g + sqrt(1 - lambda_k^2) e_k),
 * e_k ~ N(0, 1) independent, for mixture component c (prior weight pi_c). The
 * population is the component with mu = 0, tau = 1; a class of people (the
 * people of a role) shifts and scales each skill. lambda_k = 0 is the
 * independent model: each skill N(mu, tau^2) on its own.
 *
 * Evidence is a likelihood per skill over the theta grid (the product of
 * P(answer | x_q) of the items given). Given g the skills are independent, so
 * every posterior is a 2-D quadrature over (g grid) x (theta grid):
 *     Z_ck(h) = sum_q L_k(x_q) K_ck(h, q),
 *     W(c, h) ∝ pi_c phi_h prod_k Z_ck(h)           (phi_h: g grid weights),
 *     post_k(q) = L_k(x_q) sum_{c,h} W(c, h) K_ck(h, q) / Z_ck(h),
 *     P(theta_k >= t_k for all k in S) = sum_{c,h} W(c, h) prod_{k in S} T_ck(h),
 *     T_ck(h) = sum_q L_k(x_q) K_ck(h, q) F_q(t_k) / Z_ck(h),
 * where K_ck(h, .) is the conditional prior N(mu + tau lambda g_h,
 * tau^2 (1 - lambda^2)) at the grid nodes, normalized to sum 1 over the grid,
 * and F_q(t) the share of node q's cell [x_q - d/2, x_q + d/2] at or above t
 * (d: grid spacing), the convention of rf_profile_tail. Component weights
 * update by their marginal likelihoods. No sampling, no normal approximation.
 *
 * An answer on skill k updates only L_k and row Z_.k: O(components * g nodes *
 * theta nodes). With lambda = 0 for every skill and one N(0, 1) component the
 * marginals equal the independent model's posteriors to rounding (tests/irt).
 *
 * A struct rf_hier (the model: grid, loadings, components and the kernel
 * tables) is read-only once built and may be shared by threads; a struct
 * rf_hier_state holds one person's evidence and workspace (one per thread).
 * Updates and queries allocate nothing.
 */
#ifndef RF_IRT_HIER_H
#define RF_IRT_HIER_H

#include <stddef.h>

#include "base/config.h"
#include "base/err.h"
#include "irt/quad.h"

/* One mixture component: weight and, per skill, centre and scale. */
struct rf_hier_comp {
    double weight; /* > 0; the weights are normalized by rf_hier_new */
    double mu[RF_HIER_MAX_SKILLS];
    double tau[RF_HIER_MAX_SKILLS]; /* > 0 */
};

/* A prior: loadings per skill and 1..RF_HIER_MAX_COMPONENTS components. */
struct rf_hier_spec {
    size_t nskills; /* 1..RF_HIER_MAX_SKILLS */
    double lambda[RF_HIER_MAX_SKILLS]; /* 0 <= lambda <= RF_HIER_MAX_LAMBDA */
    size_t ncomp;
    struct rf_hier_comp comp[RF_HIER_MAX_COMPONENTS];
};

/* A spec of nskills skills, every loading lambda, one population component
 * (weight 1, mu 0, tau 1). nskills is clamped to RF_HIER_MAX_SKILLS. */
void rf_hier_spec_init(struct rf_hier_spec *s, size_t nskills, double lambda);

/* Adds a component (mu, tau: spec->nskills values each, copied) with the
 * given weight. RF_ETOOBIG when RF_HIER_MAX_COMPONENTS already; RF_EINVAL for
 * a value out of range (the message names the skill index). */
rf_status rf_hier_spec_add(struct rf_hier_spec *s, double weight, const double *mu,
                           const double *tau, struct rf_err *err);

/* Checks ranges: skills, loadings in [0, RF_HIER_MAX_LAMBDA], weights > 0 and
 * finite, |mu| <= RF_HIER_MAX_MU, tau in [RF_HIER_MIN_TAU, RF_HIER_MAX_TAU]. */
rf_status rf_hier_spec_check(const struct rf_hier_spec *s, struct rf_err *err);

struct rf_hier;
struct rf_hier_state;

/* Builds the model for spec over the theta grid q (copied; an even grid, as
 * the engine and profiles use), with the g grid of RF_HIER_G_N even nodes on
 * +-RF_HIER_G_LIM (one node at g = 0 when every loading is 0: no kernel
 * depends on g, and the g moments are then N(0, 1)'s). Kernel tables are
 * shared by components and skills with the same (mu, tau, lambda). Cost O(distinct kernels * g nodes * nodes).
 * Errors: RF_EINVAL (spec, see rf_hier_spec_check), RF_ENOMEM. */
rf_status rf_hier_new(const struct rf_hier_spec *spec, const struct rf_quad *q,
                      struct rf_hier **out, struct rf_err *err);
void rf_hier_free(struct rf_hier *h);

/* rf_hier_new for callers that build the same model again and again (a
 * report builds its profile's model each time): the model comes from a
 * cache of the calling thread (the last 32 models it built this way) when
 * one was built from the same spec and grid, bit for bit, else it is built
 * and kept. The same model as rf_hier_new's. Free it with rf_hier_free, in
 * the same thread; the cache's own models go when the thread ends. */
rf_status rf_hier_new_cached(const struct rf_hier_spec *spec, const struct rf_quad *q,
                             struct rf_hier **out, struct rf_err *err);

/* The spec the model was built from (weights normalized) and its theta grid. */
const struct rf_hier_spec *rf_hier_get_spec(const struct rf_hier *h);
const struct rf_quad *rf_hier_quad(const struct rf_hier *h);

/* A state without evidence over model h (borrowed: it must outlive the
 * state). RF_ENOMEM only. */
rf_status rf_hier_state_new(const struct rf_hier *h, struct rf_hier_state **out,
                            struct rf_err *err);
void rf_hier_state_free(struct rf_hier_state *st);

/* Forgets all evidence. */
void rf_hier_state_reset(struct rf_hier_state *st);

/* Copies the evidence of src into dst (same model). */
void rf_hier_state_copy(struct rf_hier_state *dst, const struct rf_hier_state *src);

/* Multiplies skill k's likelihood by lik[q] (e.g. P(X = x | x_q) of one
 * answer; non-negative, not all zero where the prior has mass). */
void rf_hier_update(struct rf_hier_state *st, size_t k, const double *lik);

/* Adds loglik[q] to skill k's log-likelihood (-inf allowed, not everywhere):
 * evidence from another session or a stored profile. */
void rf_hier_add_loglik(struct rf_hier_state *st, size_t k, const double *loglik);

/* Skill k's log-likelihood over the grid into out[0..n-1]; entries where the
 * likelihood is zero are -HUGE_VAL. */
void rf_hier_loglik(const struct rf_hier_state *st, size_t k, double *out);

/* Whether skill k has any evidence (an update or a non-constant loglik). */
int rf_hier_has_evidence(const struct rf_hier_state *st, size_t k);

/* The marginal posterior of skill k into post[0..n-1] (may be NULL), its mean
 * and SD (either may be NULL). Cost O(components * g nodes * nodes). */
void rf_hier_marginal(struct rf_hier_state *st, size_t k, double *post, double *mean,
                      double *sd);

/* P(theta_k >= cut_k for every k in ks[0..n-1]), exact under the model
 * (not a product of marginals). n = 0 gives 1. */
double rf_hier_joint_tail(struct rf_hier_state *st, const size_t *ks, const double *cuts,
                          size_t n);

/* The joint tail by parts, for many joint tails over few (skill, cut)
 * pairs: the model's cells (component, g node) number rf_hier_ncells;
 * rf_hier_cell_weights writes each cell's posterior weight W(c, h) (0 for
 * the cells rf_hier_joint_tail skips) and rf_hier_cell_tails each cell's
 * T_ck(h) for skill k at cut, so that rf_hier_joint_tail(ks, cuts) =
 * sum_i w[i] prod_j t_j[i] (to rounding; it caps at 1). */
size_t rf_hier_ncells(const struct rf_hier_state *st);
void rf_hier_cell_weights(struct rf_hier_state *st, double *w);
void rf_hier_cell_tails(struct rf_hier_state *st, size_t k, double cut, double *t);

/* P(theta_k >= cut). */
double rf_hier_tail(struct rf_hier_state *st, size_t k, double cut);

/* Posterior weight of component c given the evidence. */
double rf_hier_comp_weight(struct rf_hier_state *st, size_t c);

/* Posterior mean and SD of g. */
void rf_hier_g_moments(struct rf_hier_state *st, double *mean, double *sd);

#endif
