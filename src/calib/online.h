/*
 * Online calibration of pretest items (docs/calibration.md "Online
 * calibration"): the answers of live tests, in which pretest items rode
 * unscored (cat/session.h), calibrate the pretest items on the operational
 * scale. Per skill, a fixed-parameter calibration (rf_calib with the
 * operational items held at their bank values and the latent mean and SD
 * re-estimated, Kim 2006) over the persons who answered a pretest item of
 * the skill, with all their answers on it: the pretest items' parameters with
 * standard errors. Item fit (a sparse equivalent of S-X2) from each pretest
 * answer's posterior at the estimation: its test's other answers on the
 * skill at the calibrated and held parameters, the estimated latent as the
 * prior (docs/calibration.md "Item fit"). A verdict per item
 * against the documented promotion thresholds (RF_ONLINE_*).
 */
#ifndef RF_CALIB_ONLINE_H
#define RF_CALIB_ONLINE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "irt/model.h"

/* An item of the bank, in the caller's order. */
struct rf_online_item {
    const char *id;         /* borrowed */
    size_t skill;           /* any index; items of one skill share it */
    struct rf_irt_item irt; /* operational: the scoring parameters; pretest: the
                               model to estimate (its values start nothing) */
    int pretest;            /* 1: estimated; 0: held fixed */
};

/* One answer of a test: person (the test), item, category; for a pretest
 * answer the posterior mean and SD of its skill when it was answered, as the
 * live test kept it (NaN for a scored answer). rf_online_run checks them but
 * fits from the posterior at the estimation, not from them. */
struct rf_online_answer {
    uint32_t person, item;
    int k;
    double theta, sd;
};

/* The pretest items' priors (docs/calibration.md "Priors of pretest
 * items"), the shape the bank's re-estimate fits (calib/recal.h):
 *   log a ~ N(mu_loga, sd_loga^2);
 *   b ~ N(the item's rated b, sd_b^2) for a dichotomous item (mcq 3PL,
 *     numeric 2PL), the rated b being the bank's b of the pretest item;
 *     sd_b 0: no prior on b; graded items have none;
 *   c ~ Beta(c_weight mu_c, c_weight (1 - mu_c)) (3PL).
 * The SEs are the posterior SDs under these priors (the information of the
 * answers plus the priors' curvature). */
struct rf_online_prior {
    double mu_loga, sd_loga; /* sd_loga > 0 */
    double sd_b;             /* >= 0 */
    double mu_c, c_weight;   /* 0 < mu_c < 1; c_weight mu_c >= 1 and c_weight (1 - mu_c) >= 1 */
};

/* The prior before any re-estimate of the bank has fitted one:
 * RF_ONLINE_PRIOR_* (base/config.h). */
void rf_online_prior_default(struct rf_online_prior *p);

/* The prior from the hyperparameters a re-estimate of the operational bank
 * fitted (rf_recal_result: mu_loga, sd_loga, sd_b, mu_c; its c weight
 * RF_RECAL_C_WEIGHT), each SD no smaller than the default's floor
 * RF_ONLINE_PRIOR_MIN_SD: RF_OK when taken, RF_EINVAL (p unchanged) when a
 * value is not finite or out of range. */
rf_status rf_online_prior_from_hyper(struct rf_online_prior *p, double mu_loga, double sd_loga,
                                     double sd_b, double mu_c);

/* Promotion thresholds (docs/calibration.md "Promotion"), and the priors
 * the estimation uses. */
struct rf_online_rules {
    size_t min_n;     /* answers to the item, at least */
    double max_se_a;  /* SE of a at most */
    double max_se_b;  /* SE of b (every GRM threshold) at most */
    double min_fit_p; /* fit p-value at least */
    double min_a, max_a, max_abs_b;
    struct rf_online_prior prior; /* rf_online_prior_default unless set */
};
void rf_online_rules_default(struct rf_online_rules *r);

struct rf_online_result_item {
    size_t item;            /* index into the caller's items */
    size_t n;               /* answers */
    struct rf_irt_item est; /* estimate (valid when ok) */
    double se_a, se_c;
    double se_b[RF_MAX_CATEGORIES - 1];
    double fit, fit_p; /* rf_online_fit; NaN when too few answers */
    size_t fit_df;
    int ok;         /* 1: estimated (else why: note) */
    int ready;      /* passes every rule: may go to staff review */
    char note[160]; /* the rules it fails, or why it was not estimated */
};

struct rf_online_result {
    size_t n;
    struct rf_online_result_item *items; /* owned, one per pretest item with answers */
    size_t nskills;                      /* skills calibrated */
};

/* Calibrates the pretest items of items[0..nitems-1] from answers[0..nans-1]
 * (any order); each estimated item's fit groups its answers by the
 * leave-one-out posterior of their person under the estimation (the skill's
 * other answers, the calibration's latent N(mean, sd^2) on its grid). Every
 * answer's item and category must be valid (RF_EINVAL naming the answer); a
 * pretest answer needs a finite theta and sd > 0. A skill whose data cannot
 * be calibrated (a pretest item without variance, for instance) leaves its
 * items with ok = 0 and the reason, not an error. threads >= 1. RF_ENOMEM. */
rf_status rf_online_run(const struct rf_online_item *items, size_t nitems,
                        const struct rf_online_answer *answers, size_t nans,
                        const struct rf_online_rules *rules, size_t threads,
                        struct rf_online_result *res, struct rf_err *err);
void rf_online_result_cleanup(struct rf_online_result *res);

/* Item fit from given normal posteriors (rf_online_run uses the posteriors
 * at its estimation instead): the n answers to one
 * item sorted by theta (posterior mean at the time) into G equal groups
 * (G = min(RF_ONLINE_FIT_GROUPS, n / RF_ONLINE_FIT_MIN_GROUP)); in each, the
 * observed score sum against its expectation under the estimate, each
 * answer's expectation and variance integrated over its N(theta, sd^2)
 * posterior: X2 = sum_g (O_g - E_g)^2 / V_g with df = G - (free
 * parameters). Returns X2, or NaN when G <= free parameters. */
double rf_online_fit(const struct rf_irt_item *est, const struct rf_online_answer *const *ans,
                     size_t n, size_t *df, double *p);

/* JSON: {"items": [{id, n, model, a, b | thresholds, c, se: {...}, fit: {x2, df, p},
 * ready, note}], "rules": {...}}. ids from items. */
rf_status rf_online_result_to_json(const struct rf_online_result *res,
                                   const struct rf_online_item *items,
                                   const struct rf_online_rules *rules, json_t **out);

#endif
