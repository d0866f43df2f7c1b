/*
 * Loadings of the higher-order skill model (DESIGN.md): theta_k = lambda_k g +
 * sqrt(1 - lambda_k^2) e_k with g and e_k independent N(0, 1), estimated by
 * marginal maximum likelihood with the item parameters held fixed, by EM over
 * a 2-D quadrature (g grid x theta grid): the E-step takes each person's
 * posterior over g and, given g, over each answered skill's theta; the
 * M-step maximizes, per skill, the expected complete-data log-likelihood of
 * theta_k given g, a cubic in lambda_k (docs/calibrate.md, "Loadings").
 *
 * A person who answered nothing on skill k carries no information on
 * lambda_k (integrating theta_k out of their likelihood gives 1 whatever
 * lambda_k is), so only the persons with answers on k enter its M-step: the
 * same likelihood, a faster EM.
 *
 * Identification: the sign of g is arbitrary; loadings are kept in
 * [0, RF_LOADINGS_MAX] (skills correlate positively; at most 0.95 keeps the
 * conditional SD of theta_k, sqrt(1 - lambda^2) >= 0.31, above the grid step).
 *
 * Shape (GSL "algorithm decomposition"): rf_loadings_new prepares the
 * per-person, per-skill likelihoods on the theta grid (memory: 8 x nodes
 * bytes per answered (person, skill) pair), rf_loadings_step runs one EM
 * cycle, the caller tests convergence and owns the loop. Nothing is
 * allocated in a step.
 */
#ifndef RF_CALIB_LOADINGS_H
#define RF_CALIB_LOADINGS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "irt/model.h"

#define RF_LOADINGS_MAX 0.95

/* Responses (dense x, or CSR row_ptr/col/val as in calib.h, borrowed) with,
 * per item, its fixed parameters and its skill (an index < nskills, or
 * SIZE_MAX to leave the item out). */
struct rf_loadings_data {
    size_t npersons, nitems, nskills;
    const signed char *x; /* npersons x nitems, RF_RESP_MISSING for not given; or NULL */
    const size_t *row_ptr;
    const uint32_t *col;
    const signed char *val;
    const struct rf_irt_item *items; /* nitems */
    const size_t *skill;             /* nitems */
    /* Optional: each person's group (group[i] < ngroups) and each group's
     * latent distribution per skill, N(gmu, gsd^2) ([ngroups * nskills],
     * row per group): theta_k = gmu + gsd (lambda_k g + sqrt(1 - lambda_k^2)
     * e_k), so the loadings are read from the standardized skills of each
     * kind of test's takers (calib/kindlat.h). NULL: every person N(0, 1). */
    const size_t *group;
    size_t ngroups;
    const double *gmu, *gsd;
};

struct rf_loadings_opts {
    size_t ntheta; /* theta grid nodes on [-6, 6] (default 61) */
    size_t ng;     /* g grid nodes on [-5, 5] (default 31) */
    double start;  /* starting loading of every skill (default 0.5) */
};
void rf_loadings_opts_init(struct rf_loadings_opts *o);

struct rf_loadings;

/* Prepares the fit. Errors: RF_EINVAL (no skills, a category outside an
 * item's range, grid sizes outside 5..RF_QUAD_MAX_N), RF_ENOMEM. */
rf_status rf_loadings_new(const struct rf_loadings_data *d, const struct rf_loadings_opts *o,
                          struct rf_loadings **out, struct rf_err *err);
void rf_loadings_free(struct rf_loadings *w);

/* One EM cycle: *change receives the largest |lambda_new - lambda_old| and
 * *loglik the marginal log-likelihood at the loadings the cycle started from. */
void rf_loadings_step(struct rf_loadings *w, double *change, double *loglik);

/* The current loadings (nskills values) and, per skill, the persons who
 * answered at least one of its items (a skill nobody answered keeps its
 * starting value). */
const double *rf_loadings_lambda(const struct rf_loadings *w);

/* Sets the current loadings (nskills values, each clamped to
 * [0, RF_LOADINGS_MAX]): a warm start, or the loadings to read a
 * log-likelihood at. */
void rf_loadings_set(struct rf_loadings *w, const double *lambda);

/* Each person's marginal log-likelihood at the current loadings into
 * ll[0..npersons-1] (0 for a person with no answers), up to a constant per
 * person that does not depend on the loadings; returns their sum. One
 * E-step's cost; the loadings are not changed. */
double rf_loadings_person_loglik(struct rf_loadings *w, double *ll);
const size_t *rf_loadings_npersons(const struct rf_loadings *w);

#endif
