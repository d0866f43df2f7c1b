/*
 * Ability estimation for one response pattern over any subset of items:
 * EAP (posterior mean, posterior SD as SE) over a quadrature grid, MAP
 * (posterior mode, SE from the curvature of the log posterior), MLE and WLE
 * (Warm 1989), both with SE = 1/sqrt(test information).
 *
 * A struct rf_scorer precomputes log P(X = k | node) for every item, category
 * and node, so EAP for one person costs one addition per answered item and
 * node. A scorer holds workspace: use one per thread.
 *
 * Responses are int arrays aligned with the items: the category (0/1 for
 * dichotomous items), or RF_MISSING (-1) where the item was not administered.
 */
#ifndef RF_IRT_ABILITY_H
#define RF_IRT_ABILITY_H

#include <stddef.h>

#include "base/err.h"
#include "irt/model.h"
#include "irt/quad.h"

#define RF_MISSING (-1)

enum rf_method { RF_EST_EAP = 0, RF_EST_MAP, RF_EST_MLE, RF_EST_WLE };

struct rf_ability {
    double theta;
    double se;
    size_t n; /* items answered */
};

/* "eap", "map", "mle", "wle". */
const char *rf_irt_method_name(enum rf_method m);
rf_status rf_irt_method_parse(const char *s, enum rf_method *out);

struct rf_scorer;

/* Builds a scorer over items[0..nitems-1] (borrowed: they must outlive the
 * scorer and not change) and the grid q (copied). Items must be valid.
 * Cost: O(nitems * categories * nodes) time and memory. */
rf_status rf_scorer_new(const struct rf_irt_item *items, size_t nitems, const struct rf_quad *q,
                        struct rf_scorer **out, struct rf_err *err);
void rf_scorer_free(struct rf_scorer *s);

/* Estimates theta for one response pattern. Errors: RF_EINVAL for a category
 * out of range (message names the item index); RF_ERANGE when MLE or WLE has
 * no finite estimate (no responses, all responses in the top or bottom
 * category, or the likelihood still rising at +-RF_THETA_LIMIT). EAP and MAP
 * are always finite; with no responses they return the prior mean and SD. */
rf_status rf_scorer_estimate(struct rf_scorer *s, const int *resp, enum rf_method method,
                             struct rf_ability *out, struct rf_err *err);

/* The normalized posterior over the scorer's grid (q->n values into post). */
rf_status rf_scorer_posterior(struct rf_scorer *s, const int *resp, double *post,
                              struct rf_err *err);

/* Adds log P(X = k | x_q) of one item to loglik[0..q->n-1] (incremental
 * posterior updates of the adaptive engine). */
void rf_irt_loglik_add(const struct rf_irt_item *it, size_t k, const struct rf_quad *q,
                       double *loglik);

/* From a log-likelihood over the grid, the normalized posterior (with the
 * grid's prior weights) into post, and its mean and SD. */
void rf_irt_posterior_moments(const struct rf_quad *q, const double *loglik, double *post,
                              double *mean, double *sd);

#endif
