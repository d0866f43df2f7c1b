/*
 * Quadrature grids for the latent trait: nodes x[0..n-1] and weights w that
 * sum to 1 and represent a N(mean, sd^2) prior. Two kinds: equally spaced
 * nodes with normal-density weights (the default, 61 nodes on [-6, 6], as
 * mirt and ltm use), and Gauss-Hermite nodes (Golub-Welsch accuracy through
 * Newton refinement of Hermite roots).
 */
#ifndef RF_IRT_QUAD_H
#define RF_IRT_QUAD_H

#include <stddef.h>

#include "base/err.h"

enum rf_quad_kind { RF_QUAD_EVEN = 0, RF_QUAD_HERMITE };

struct rf_quad {
    enum rf_quad_kind kind;
    size_t n;
    double *x;    /* nodes, increasing */
    double *w;    /* weights, sum 1 */
    double *logw; /* log of w */
    double mean, sd; /* the normal prior the weights represent */
    double lo, hi;   /* range for RF_QUAD_EVEN (nodes span it) */
};

/* Equally spaced grid of n nodes on [lo, hi] with weights proportional to the
 * N(mean, sd^2) density. n in [RF_QUAD_MIN_N, RF_QUAD_MAX_N], lo < hi, sd > 0. */
rf_status rf_quad_init_even(struct rf_quad *q, size_t n, double lo, double hi, double mean,
                            double sd, struct rf_err *err);

/* The default grid: RF_QUAD_DEFAULT_N nodes on [RF_QUAD_DEFAULT_LO, RF_QUAD_DEFAULT_HI], N(0,1). */
rf_status rf_quad_init_default(struct rf_quad *q, struct rf_err *err);

/* Gauss-Hermite rule with n nodes for a N(mean, sd^2) prior: sum_i w_i f(x_i)
 * approximates E f(theta) exactly for polynomials of degree < 2n. n <= 200. */
rf_status rf_quad_init_hermite(struct rf_quad *q, size_t n, double mean, double sd,
                               struct rf_err *err);

void rf_quad_cleanup(struct rf_quad *q);

#endif
