/*
 * Item response models: 1PL/Rasch, 2PL, 3PL (logistic metric, D = 1) and
 * Samejima's graded response model (GRM). Probabilities, log-probabilities,
 * derivatives with respect to theta and to the item parameters, and Fisher
 * information. All functions are pure, allocate nothing and are safe to call
 * from many threads. Log-probabilities stay accurate for |a(theta - b)| up to
 * at least 40 (no 1 - p cancellation).
 *
 * Categories: a dichotomous item has k in {0, 1} (1 = correct); a GRM item
 * with m categories has k in {0, .., m-1}, P(X >= k) = logistic(a(theta - b_k)).
 * Parameter vectors (for derivatives and calibration), in this order:
 *   1PL: (b)            2PL: (a, b)            3PL: (a, b, c)
 *   GRM: (a, b_1, .., b_{m-1})
 */
#ifndef RF_IRT_MODEL_H
#define RF_IRT_MODEL_H

#include <stddef.h>

#include "base/config.h"
#include "base/err.h"

enum rf_model {
    RF_MODEL_1PL = 0, /* Rasch when a = 1; a is common and not estimated per item */
    RF_MODEL_2PL,
    RF_MODEL_3PL,
    RF_MODEL_GRM
};

#define RF_MAX_ITEM_PARAMS RF_MAX_CATEGORIES

struct rf_irt_item {
    enum rf_model model;
    double a;    /* slope, > 0 */
    double b;    /* difficulty (dichotomous models) */
    double c;    /* lower asymptote, 0 <= c < 1 (3PL; 0 otherwise) */
    size_t ncat; /* categories: 2 for dichotomous models, 2..RF_MAX_CATEGORIES for GRM */
    double thr[RF_MAX_CATEGORIES - 1]; /* GRM thresholds, strictly increasing */
};

/* Initializers of a dichotomous item (c is ignored unless model is 3PL). */
void rf_irt_item_dich(struct rf_irt_item *it, enum rf_model model, double a, double b, double c);

/* Initializer of a GRM item with ncat categories and ncat-1 thresholds. */
void rf_irt_item_grm(struct rf_irt_item *it, double a, const double *thr, size_t ncat);

/* Model names "1pl" (alias "rasch"), "2pl", "3pl", "grm". */
const char *rf_irt_model_name(enum rf_model m);
rf_status rf_irt_model_parse(const char *s, enum rf_model *out);

/* Checks a > 0, 0 <= c < 1 (c == 0 unless 3PL), finite b, ordered GRM thresholds,
 * finite intercepts -a b (the slope-intercept form calibration and its output use)
 * and a category count in range. The message names the offending parameter. */
rf_status rf_irt_item_validate(const struct rf_irt_item *it, struct rf_err *err);

/* Number of free parameters in the vector order described above. */
size_t rf_irt_nparams(const struct rf_irt_item *it);

/* Logistic function and its logarithm, stable for any z. */
double rf_logistic(double z);
double rf_log_logistic(double z);

/* P(X = k | theta) and its logarithm; k < it->ncat. */
double rf_irt_prob(const struct rf_irt_item *it, double theta, size_t k);
double rf_irt_logprob(const struct rf_irt_item *it, double theta, size_t k);

/* All category probabilities into p[0..ncat-1]. */
void rf_irt_probs(const struct rf_irt_item *it, double theta, double *p);

/* Expected score E[X | theta] (P(correct) for dichotomous items). */
double rf_irt_expected(const struct rf_irt_item *it, double theta);

/* First and second derivative of log P(X = k | theta) with respect to theta. */
void rf_irt_dlogprob_theta(const struct rf_irt_item *it, double theta, size_t k, double *d1,
                           double *d2);

/* Gradient (length rf_irt_nparams) and, when hess != NULL, Hessian (row-major
 * np x np) of log P(X = k | theta) with respect to the item parameters. */
void rf_irt_dlogprob_params(const struct rf_irt_item *it, double theta, size_t k, double *grad,
                            double *hess);

/* Fisher information of the item at theta: sum_k P'_k^2 / P_k. */
double rf_irt_info(const struct rf_irt_item *it, double theta);

/* Warm's J(theta) = sum_k P'_k P''_k / P_k, used by the WLE. */
double rf_irt_warm_j(const struct rf_irt_item *it, double theta);

/* Test information: sum of rf_irt_info over n items. */
double rf_irt_test_info(const struct rf_irt_item *items, size_t n, double theta);

#endif
