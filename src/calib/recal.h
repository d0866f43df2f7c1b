/*
 * Re-estimating the operational bank from live answers with empirical-Bayes
 * item priors (docs/calibration.md "Learning the whole bank: empirical-Bayes
 * priors"). Bayes modal estimation (Mislevy 1986; BILOG-MG's FLOAT option)
 * with priors centred on what the authors know about each item:
 *
 *   b_i ~ N(rated b_i, sd_b^2)   (a graded item: its rated thresholds shifted
 *                                 together by one N(0, sd_b^2) shift; their
 *                                 spacing is kept)
 *   log a_i ~ N(mu_loga, sd_loga^2)
 *   c_i ~ Beta(RF_RECAL_C_WEIGHT mu_c, RF_RECAL_C_WEIGHT (1 - mu_c))
 *                                (items whose rated model is 3PL)
 *
 * The hyperparameters (mu_loga, sd_loga, sd_b, mu_c) are estimated from the
 * whole bank's data by EM between item passes: from the items' posterior
 * modes and posterior variances (Laplace), each with a weak hyperprior so
 * that it cannot collapse (RF_RECAL_*). Abilities: each scored answer's
 * leave-one-out posterior of its skill from the test's other answers to
 * that skill, at the current estimates, under the skill's latent
 * distribution N(mu_s, 1) whose mean is estimated from the takers too
 * (EM over the tests' full posteriors; o->latent). Each skill's origin is
 * anchored where its rated b's and its takers agree (o->anchor,
 * RF_RECAL_ANCHOR_POOLED: a hierarchical prior on the latent means); the
 * unit stays the reference population's SD (see RF_RECAL_LATENT_FREE for
 * why). The
 * whole loop (latent, leave-one-out posteriors, items, hyperparameters)
 * repeats until the estimates move less than RF_RECAL_TOL.
 *
 * The accept rule is bank-level: tests are split by a seeded hash of their
 * id, a share o->holdout held out. The bank is fitted on the rest, and both
 * banks predict each held-out answer from the same test's other answers to
 * its skill (the current bank under N(0, 1), the product's scoring prior;
 * the new one under its fitted latent distribution). Accepted when the mean
 * log predictive likelihood per held-out answer rises by more than
 * RF_RECAL_MIN_Z standard errors (clustered by test), and when no skill's
 * held-out scores move by more than the verdict guard's bound
 * (RF_RECAL_MAX_SHIFT). The estimates returned are then refitted on every
 * test.
 */
#ifndef RF_CALIB_RECAL_H
#define RF_CALIB_RECAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "irt/model.h"

/* Hyperpriors and rules (docs/calibration.md). The hyperparameters' EM
 * updates add RF_RECAL_HYPER_N pseudo-items at the hyperprior's centre:
 * log a at 0 (a = 1) with SD RF_RECAL_LOGA_SD0, b at the rated b with SD
 * RF_RECAL_B_SD0, c at the mean rated c. SDs never fall below
 * RF_RECAL_SD_FLOOR. */
#define RF_RECAL_HYPER_N 5.0
#define RF_RECAL_LOGA_SD0 0.3
#define RF_RECAL_B_SD0 0.5
#define RF_RECAL_SD_FLOOR 0.05
#define RF_RECAL_C_WEIGHT 20.0
#define RF_RECAL_MIN_Z 2.0
#define RF_RECAL_MIN_HELDOUT_TESTS 20
#define RF_RECAL_ROUNDS 12
#define RF_RECAL_TOL 0.01
/* The verdict guard (docs/calibration.md "Anchoring the scale"): on the
 * held-out tests, each skill's mean score (posterior mean under the
 * product's scoring prior N(0, 1)) under the new bank minus under the
 * current one. A re-estimate is refused when some skill with at least
 * RF_RECAL_SHIFT_MIN_N held-out tests moves by more than RF_RECAL_MAX_SHIFT
 * plus RF_RECAL_MIN_Z of its standard errors. */
#define RF_RECAL_MAX_SHIFT 0.2
#define RF_RECAL_SHIFT_MIN_N 10

/* One operational item. */
struct rf_recal_item {
    const char *id;           /* borrowed */
    size_t skill;             /* index of its skill (0..nskills-1) */
    struct rf_irt_item irt;   /* its current (active revision) parameters */
    struct rf_irt_item rated; /* the authors' prior: a = 1, c = 1/k, rated b; its model
                                 (2PL, 3PL, GRM) is the one estimated; same categories as irt */
};

/* Scored answers, grouped by test (all of a test's answers contiguous). */
struct rf_recal_answer {
    uint64_t test;
    uint32_t item;
    int k;
};

struct rf_recal_opts {
    uint64_t seed;
    double holdout;        /* share of tests held out, e.g. 0.2; 0: no held-out comparison */
    uint64_t heldout_from; /* only tests with id >= this may be held out: the tests since the
                              current bank was fitted (it has seen the older ones, and would
                              predict them too well); 0: any test */
    size_t min_answers;    /* items with fewer (in the fit's tests) keep their current parameters */
    int threads;           /* >= 1 */
    int rounds;            /* outer rounds at most (RF_RECAL_ROUNDS) */
    int latent;            /* RF_RECAL_LATENT_* */
    int abilities;         /* RF_RECAL_ABILITY_* */
    int anchor;            /* RF_RECAL_ANCHOR_* */
    double max_shift;      /* the verdict guard's bound (RF_RECAL_MAX_SHIFT); <= 0: no guard */
    const char *const *skills; /* borrowed, [nskills] names for messages; NULL: numbers */
    int reference;         /* 1: the generic path, as before the fused kernels (every model
                              value through irt/model.h's general functions, leave-one-out
                              posteriors always computed); the same results to the last bit,
                              several times slower: kept for the agreement test and the
                              bench (docs/calibration.md "Speed of the re-estimate") */
};
enum {
    /* The default. Each skill's origin is placed where the two things that
     * know it agree (a hierarchical prior on the latent means): the mean of
     * its rated b's (the authors' ratings, each off by N(0, sd_b^2), so their
     * mean by sd_b^2 / n_s) and the takers, whose latent means are drawn
     * around one common mean mu0, mu_s ~ N(mu0, tau^2); mu0 and tau are
     * estimated from all skills (empirical Bayes), so tau is 0 when the
     * skills' latent means differ no more than their rated origins'
     * errors explain, and large when the takers really differ by skill. The
     * scores' shift along each skill's scale is solved in closed form after
     * each item pass (the likelihood cannot see it). */
    RF_RECAL_ANCHOR_POOLED = 0,
    /* Before: the origin rests on the rated b's alone, reached by the EM's
     * alternation (slow along the direction the likelihood cannot see). */
    RF_RECAL_ANCHOR_RATED
};
enum {
    /* Marginal EM (Bock-Aitkin, as BILOG-MG): each answer's item is fitted to
     * the expected log-likelihood over its test's full posterior of the
     * skill (all the test's answers to it, normal approximation). */
    RF_RECAL_ABILITY_EM = 0,
    /* Each answer's leave-one-out posterior (the other answers), the item
     * fitted to the predictive likelihood over it. Biased on adaptive
     * tests, where the items that follow an answer depend on it
     * (docs/calibration.md); kept for comparison. */
    RF_RECAL_ABILITY_LOO
};
enum {
    RF_RECAL_LATENT_FREE = 0, /* each skill's latent mean and SD estimated: the unit then rests
                                 on the spread of the rated b's alone, too weak a hold (in the
                                 online study the fitted SDs ranged 0.56-1.31 for takers of SD 1) */
    RF_RECAL_LATENT_MEAN,     /* the default: mean estimated (the rated b's fix the origin),
                                 SD 1 (the unit is the reference population's) */
    RF_RECAL_LATENT_FIXED     /* N(0, 1) */
};
void rf_recal_opts_default(struct rf_recal_opts *o);

struct rf_recal_result_item {
    size_t item; /* index into the caller's items */
    size_t n;    /* answers (every test) */
    struct rf_irt_item est;
    double se_a, se_b,
        se_c; /* posterior SDs (se_b: the shift of a graded item; se_c 0 unless 3PL) */
};

struct rf_recal_result {
    size_t n;
    struct rf_recal_result_item *items;  /* owned; items that got an estimate, in item order */
    double mu_loga, sd_loga, sd_b, mu_c; /* fitted hyperparameters (every test) */
    size_t nskills;
    double *latent_mean, *latent_sd; /* owned, [nskills]: each skill's takers (every test) */
    int rounds;                      /* outer rounds of the final fit */
    double ll_current, ll_new;       /* mean held-out log-likelihood per answer */
    double ll_se;                    /* SE of ll_new - ll_current (clustered by test) */
    size_t n_heldout;                /* held-out answers */
    size_t tests_heldout, tests;     /* held-out tests, all tests */
    /* the anchoring (RF_RECAL_ANCHOR_POOLED; NaN otherwise): the takers' common latent mean
     * and the SD of the skills' latent means around it; each skill's origin SE [nskills] */
    double lat_mu0, lat_tau;
    double *origin_se; /* owned, [nskills]; NaN: not anchored */
    /* the verdict guard, per skill [nskills] (owned): the held-out tests' mean score shift
     * (new bank - current, both under N(0, 1)), its SE and the held-out tests with answers
     * to the skill (0: NaN shift) */
    double *shift, *shift_se;
    size_t *shift_n;
    int scale_ok;     /* every skill's shift within the guard's bound (1 with no guard) */
    size_t worst;     /* the skill whose |shift| - bound - RF_RECAL_MIN_Z SE is largest */
    int accept;       /* ll_new > ll_current by RF_RECAL_MIN_Z SEs, and scale_ok */
    char refused[24]; /* "" when accepted; else "too_few_heldout", "heldout_loglik" or
                         "scale_shift": the rule that refused it (the server adds
                         "invalid_data" for data the estimator refused) */
    char why[240];    /* one line: why accepted or not */
};

/* Re-estimates items[0..nitems-1] from ans[0..nans-1]. RF_EINVAL naming the
 * answer or item: an item index or category out of range, a skill >=
 * nskills, invalid (NaN) parameters, rated and current categories that
 * differ, a test's answers not contiguous, bad options. RF_ENOMEM. */
rf_status rf_recal_run(const struct rf_recal_item *items, size_t nitems, size_t nskills,
                       const struct rf_recal_answer *ans, size_t nans,
                       const struct rf_recal_opts *o, struct rf_recal_result *res,
                       struct rf_err *err);
void rf_recal_result_cleanup(struct rf_recal_result *res);

/* {"accept", "refused", "why", "heldout": {"ll_current", "ll_new", "se", "answers", "tests"},
 * "hyper": {"mu_loga", "sd_loga", "sd_b", "mu_c"}, "rounds", "latent": [{"mean", "sd"}],
 * "anchor": {"mu0", "tau"}, "scale": [{"skill", "shift", "se", "tests", "origin_se"}],
 * "items": [{"id", "n", "model", "a", "b" | "thresholds", "c", "se": {"a", "b", "c"}}]};
 * ids from items, "skill" the index (NaN figures null). */
rf_status rf_recal_result_to_json(const struct rf_recal_result *res,
                                  const struct rf_recal_item *items, json_t **out,
                                  struct rf_err *err);

#endif
