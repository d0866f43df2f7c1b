/*
 * A plain, slow reference EM for the calibration tests: loops only, no BLAS,
 * no pattern collapsing, no slope-intercept form. Newton-Raphson in the
 * (a, b..) parameters of irt/model.h with step halving. 2PL and GRM.
 */
#ifndef RF_TESTS_REF_EM_H
#define RF_TESTS_REF_EM_H

#include <stddef.h>

#include "irt/model.h"

/* Calibrates x (n x J, -1 missing) under model (RF_MODEL_2PL or RF_MODEL_GRM,
 * ncat[j] categories) on an even grid of nq nodes over [-6, 6] with N(0,1)
 * weights until no parameter moves more than tol. Writes items and returns
 * the marginal log-likelihood at the final parameters. */
double ref_em(const signed char *x, size_t n, size_t J, enum rf_model model, const size_t *ncat,
              size_t nq, double tol, size_t max_iter, struct rf_irt_item *items);

#endif
