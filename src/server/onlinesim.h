/*
 * Does the bank learn from use? (issue 19, docs/calibration.md "Does the
 * bank learn: the curve over 1,000 tests"). A hidden true bank is drawn
 * from the bank's items (a ~ U(0.6, 2.0); c ~ U(0.1, 0.3) for a
 * multiple-choice item, none for a numeric one; b the item's rated b +
 * N(0, 0.5^2), a graded item's thresholds shifted together by one such
 * draw); the product's bank starts at the authors' priors (a = 1, c = 1/k
 * for k options, the rated b). Live role tests run as the server runs
 * them (every role's test in turn, the operational pool, pretest items
 * seeded as rf_app_pretest_seed seeds them), answered from the true bank.
 * At each checkpoint the product re-estimates from the stored-style
 * answers what its review queue re-estimates (calib/online.h: the pretest
 * items with the operational items fixed; the operational items as
 * chosen by learn, below), staff accept what the queue marks ready (or,
 * with accept_all, every estimate), and the bank is rebuilt. Before the
 * first live test and after each checkpoint a fixed set of role people
 * (the same people every time) take their role's test, answered from the
 * true bank and scored with the current bank: the mean per-skill
 * posterior SD over the test's scope and the share whose closest role is
 * their own. The same is measured once with the true parameters known
 * (the calibrated-bank reference).
 *
 * Determinism: live test t draws from rf_rng_substream(seed, t), measured
 * person i from rf_rng_substream(seed ^ RF_ONLINESIM_MEASURE_SALT, i),
 * the truth from rf_rng_substream(seed ^ RF_ONLINESIM_TRUTH_SALT, 0);
 * figures are reduced in index order and the calibrations run on one
 * thread, so results do not depend on threads.
 */
#ifndef RF_SERVER_ONLINESIM_H
#define RF_SERVER_ONLINESIM_H

#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "base/err.h"
#include "careers/roles.h"
#include "irt/quad.h"
#include "server/rolesim.h"

#define RF_ONLINESIM_MEASURE_SALT 0x6d65617375726521ULL
#define RF_ONLINESIM_TRUTH_SALT 0x7472757468626e6bULL
#define RF_ONLINESIM_MAX_CHECKPOINTS 32
#define RF_ONLINESIM_MAX_SKILLS 64 /* taxonomy skills a person's truth covers */

/* How the operational items are re-estimated at a checkpoint. */
enum rf_onlinesim_learn {
    /* Every operational item with answers: a, b (thresholds) and c by the
     * online calibration's EM with its priors (rf_online_run, every item
     * free, latent N(0, 1): the scale is the takers'), each answer's
     * posterior for the fit its skill's leave-one-out posterior at the
     * current parameters (calib/drift.h rf_drift_loo); an estimate is
     * accepted when it passes the promotion rules (RF_ONLINE_*). */
    RF_ONLINESIM_RECALIBRATE = 0,
    /* What the product's schedule does today: drift (rf_drift_run), a
     * flagged item updated by its location shift; slope and guessing stay
     * at the priors. */
    RF_ONLINESIM_DRIFT,
    /* Every operational item with answers, by the empirical-Bayes
     * re-estimation (calib/recal.h: priors centred on the rated b, their
     * hyperparameters and each skill's latent distribution estimated from
     * the whole bank's answers, leave-one-out abilities iterated); the
     * re-estimated bank is accepted as a whole when it predicts held-out
     * tests' answers better than the current bank (accept_all: always). */
    RF_ONLINESIM_EB
};

struct rf_onlinesim_opts {
    size_t checkpoints[RF_ONLINESIM_MAX_CHECKPOINTS]; /* live tests, increasing */
    size_t ncheck;                                    /* >= 1 */
    size_t nmeasure;                                  /* people measured per checkpoint, >= 1 */
    enum rf_rolesim_pop live; /* the live takers: reference, role or mix (rolesim.h) */
    enum rf_onlinesim_learn learn;
    int accept_all;          /* accept every estimate, not only what the rules call ready */
    int eb_abilities, eb_latent; /* eb: calib/recal.h's opts.abilities and opts.latent
                                    (RF_RECAL_ABILITY_*, RF_RECAL_LATENT_*; default EM, MEAN) */
    int eb_anchor;               /* eb: opts.anchor (RF_RECAL_ANCHOR_*; default POOLED) */
    double eb_max_shift;         /* eb: opts.max_shift, the verdict guard (<= 0: none) */
    size_t pretest_items;    /* operational items turned pretest at the start (seeded) */
    size_t pretest_per_test; /* pretest items per live test (0..RF_CAT_MAX_PRETEST) */
    uint64_t seed;
    size_t threads; /* >= 1 */
};
void rf_onlinesim_opts_default(struct rf_onlinesim_opts *o);

struct rf_onlinesim_point {
    size_t tests;            /* live tests so far */
    double answers_per_item; /* scored answers per operational item (mean) */
    double pretest_answers;  /* answers per pretest item (mean over those started pretest) */
    size_t answered200;      /* operational items with at least RF_ONLINE_MIN_N scored answers */
    size_t estimated;        /* operational items whose parameters are an estimate */
    /* recalibrate: of the operational items estimated with at least
     * RF_ONLINE_MIN_N answers at this checkpoint, how many fail SE(a), SE(b)
     * (any threshold) and the fit (an item may fail several) */
    size_t n200, fail_se_a, fail_se_b, fail_fit;
    size_t promoted;       /* pretest items promoted so far */
    double rmse_a, rmse_b; /* current vs true, over the usable dichotomous items */
    double est_rmse_a, est_rmse_b, est_bias_b; /* the same over those estimated (NaN: none),
                                                  and the mean of b's error */
    double len;                                /* mean length of the measured role tests */
    double sd;                                 /* mean per-skill posterior SD (scope skills) */
    double theta_rmse; /* RMSE of the posterior means against the truth (scope skills:
                          the error the SD claims to be) */
    double closest;    /* share of the measured whose closest role is their own */
    double cover95;    /* share of (person, scope skill) whose true skill lies within the
                          posterior mean +- 1.96 SD */
    /* Where each skill's scale sits (docs/calibration.md "Anchoring the scale"): per taxonomy
     * skill the mean of (posterior mean - true skill) over the measured people who took it
     * (skill_n of them; NaN: none), and per skill the mean of (current b - true b) over its
     * usable scored items (a graded item: its thresholds' mean; NaN: none), with the RMS of
     * each over the skills: the score's and the bank's origin error. bank_loga_bias: the mean of
     * log(current a / true a) over the usable items (the unit's error, < 0: slopes low). */
    double skill_bias[RF_ONLINESIM_MAX_SKILLS];
    size_t skill_n[RF_ONLINESIM_MAX_SKILLS];
    double bias_rms; /* RMS over the taxonomy skills measured of skill_bias */
    double bank_origin[RF_ONLINESIM_MAX_SKILLS]; /* by taxonomy skill, as skill_bias */
    double bank_origin_rms, bank_loga_bias;
    /* eb: the bank-level rule at this checkpoint */
    int eb_run, eb_accept;
    double ll_current, ll_new, ll_se;    /* mean held-out log-likelihood per answer */
    double mu_loga, sd_loga, sd_b, mu_c; /* fitted hyperparameters */
    double latent_mean, latent_sd;       /* fitted latent mean and SD, averaged over skills */
    double lat_mu0, lat_tau;             /* the anchoring's common latent mean and SD (NaN) */
    int eb_scale_ok;                     /* the verdict guard passed */
    double eb_shift_max;                 /* the largest |held-out scale shift| over skills */
};

struct rf_onlinesim_result {
    size_t npoints;
    struct rf_onlinesim_point points[RF_ONLINESIM_MAX_CHECKPOINTS + 1]; /* 0, then checkpoints */
    struct rf_onlinesim_point calibrated; /* the true parameters as the bank's */
    size_t items;                         /* usable operational items at the start */
};

/* Runs the study over b (changed: its items' parameters and pools are
 * the simulation's; the caller reloads it to use it again), the roles and
 * grid q. Errors: RF_EINVAL (bad options, a bank without operational
 * items of the roles' skills), RF_ENOMEM, RF_ETOOBIG. */
rf_status rf_onlinesim_run(struct rf_bank *b, const struct rf_roles *roles, const struct rf_quad *q,
                           const struct rf_onlinesim_opts *o, struct rf_onlinesim_result *r,
                           struct rf_err *err);

#endif
