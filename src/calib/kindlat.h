/*
 * Each test kind's latent distribution and the loadings of the higher-order
 * model, from stored tests with the item parameters held fixed
 * (docs/calibration.md "Each test kind's latent distribution and the
 * loadings").
 *
 * Latent: the takers of one kind of test (practice, a posting's invite, a
 * role's invite: the caller numbers the kinds) are N(mu_ck, sd_ck^2) on
 * skill k. Under the higher-order model (irt/hier.h) that is each skill's
 * marginal whatever the loadings, so each (kind, skill) is estimated on its
 * own by marginal maximum likelihood over the 61-node grid on [-6, 6] from
 * the likelihood of each test's answers to the skill (EM, then Newton on
 * (mu, log sd)); SEs from the observed information (numerical Hessian of
 * the marginal log-likelihood). Only (kind, skill) pairs with at least
 * min_tests tests are proposed; the others keep the current prior.
 *
 * Loadings: calib/loadings.h over the same tests, each test's skills
 * standardized by its kind's fitted distribution (the loadings are how the
 * standardized skills covary), skills with at least min_tests tests.
 *
 * Held-out check, as the item re-estimate's (calib/recal.h): tests are split
 * by a seeded hash of their id, a share held out (only tests from
 * heldout_from on: the current prior has not seen them). Each kind's
 * distributions are fitted on the rest, and each held-out test's marginal
 * log-likelihood (per skill, summed over its skills) under the fitted and
 * under the current distributions is compared; a kind is accepted when the
 * mean gain per held-out test exceeds RF_KINDLAT_MIN_Z standard errors
 * (over tests). The loadings likewise: each held-out test's joint marginal
 * log-likelihood under the fitted and the current loadings (both with the
 * fitted kind distributions). Estimates returned are refitted on every
 * test.
 *
 * Memory: 4 x 61 bytes per answered (test, skill) pair, plus the loadings'
 * 8 x 61. Allocates; not for hot paths.
 */
#ifndef RF_CALIB_KINDLAT_H
#define RF_CALIB_KINDLAT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "calib/recal.h"
#include "irt/model.h"

#define RF_KINDLAT_MAX_KINDS 8
#define RF_KINDLAT_MIN_Z 2.0
#define RF_KINDLAT_MIN_HELDOUT 20
#define RF_KINDLAT_SD_MIN 0.2 /* the fitted SD is kept within [SD_MIN, SD_MAX] */
#define RF_KINDLAT_SD_MAX 3.0
#define RF_KINDLAT_MU_MAX 3.0

struct rf_kindlat_opts {
    uint64_t seed;
    double holdout;        /* share of tests held out, [0, 1); 0: no check (nothing accepted) */
    uint64_t heldout_from; /* only tests with id >= this may be held out (0: any) */
    size_t min_tests;      /* tests of a (kind, skill) at least to propose it (and a loading) */
    int loadings;          /* 1: estimate the loadings too */
    double tol;            /* loadings: stop when no loading moves more (1e-4) */
    int max_iter;          /* loadings: EM cycles at most (200) */
};
void rf_kindlat_opts_default(struct rf_kindlat_opts *o);

/* The current prior: per kind and skill N(mu, sd^2) (sd 0: N(0, 1)), and per
 * skill its loading. */
struct rf_kindlat_prior {
    size_t nkinds, nskills;
    const double *mu, *sd; /* [nkinds * nskills] */
    const double *lambda;  /* [nskills] */
};

struct rf_kindlat_est {
    size_t n;              /* tests of the kind with answers to the skill (every test) */
    double mean, sd;       /* fitted on every test (NAN when n is 0) */
    double se_mean, se_sd; /* from the observed information */
    int proposed;          /* n >= min_tests */
};

struct rf_kindlat_kind {
    size_t tests; /* tests of the kind */
    size_t tests_heldout;
    double ll_current, ll_new, se; /* mean held-out log-likelihood per test, SE of the gain */
    int accept;
    char why[160];
};

struct rf_kindlat_result {
    size_t nkinds, nskills;
    struct rf_kindlat_est *est; /* owned, [nkinds * nskills] */
    struct rf_kindlat_kind kind[RF_KINDLAT_MAX_KINDS];
    /* the loadings (opts.loadings) */
    double *lambda, *lambda_current; /* owned, [nskills] */
    size_t *lambda_n;                /* owned, [nskills]: tests with answers to the skill */
    unsigned char *lambda_proposed;  /* owned, [nskills] */
    int lambda_iter, lambda_converged;
    size_t l_tests_heldout;
    double l_ll_current, l_ll_new, l_se;
    int l_accept;
    char l_why[160];
};

/* Estimates from ans[0..nans-1] (grouped by test, as rf_recal_run takes
 * them; kind[a] the kind of answer a's test, < cur->nkinds), with the items'
 * parameters items[i].irt and skills items[i].skill (< nskills) held fixed;
 * cur is the prior now (its nkinds at most RF_KINDLAT_MAX_KINDS and its
 * nskills equal to nskills). RF_EINVAL naming the answer or item, RF_ENOMEM. */
rf_status rf_kindlat_run(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                         const struct rf_recal_answer *ans, const unsigned char *kind, size_t nans,
                         const struct rf_kindlat_prior *cur, const struct rf_kindlat_opts *o,
                         struct rf_kindlat_result *res, struct rf_err *err);
void rf_kindlat_result_cleanup(struct rf_kindlat_result *res);

#endif
