/*
 * Seeded simulations that measure the test-integrity signals of
 * careers/integrity.h (the figures of docs/integrity.md, `rolefit integrity
 * simulate`).
 *
 * Response times: effortful answers follow van der Linden's (2006) lognormal
 * model, log T = beta_i - tau_j + e / alpha_i with e ~ N(0, 1); a rapid guess
 * takes a uniform time below a few seconds; every time the server measures
 * adds the network and the page (a lognormal latency). Item thresholds come
 * from the simulated population's own mean times, as they would from the
 * store. Answer copying: 3PL multiple-choice items with unequally attractive
 * distractors; option shares from a reference population; abilities by EAP
 * from each person's answers; one of a copying pair takes the other's option
 * on a share of the items.
 */
#ifndef RF_CAREERS_INTEGRITY_SIM_H
#define RF_CAREERS_INTEGRITY_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "careers/integrity.h"

struct rf_rtsim_args {
    uint64_t seed;
    size_t examinees; /* people, each answering every item */
    size_t items;     /* items, in skills of per_skill consecutive items */
    size_t per_skill;
    double guessers;               /* share of people who rapid-guess at all */
    double guess_lo, guess_hi;     /* a guesser rapid-guesses each item with a chance ~ U(lo, hi) */
    double item_median_s;          /* median over items of an item's median effortful time */
    double item_sd_log;            /* SD of the items' time intensities beta (log seconds) */
    double speed_sd;               /* SD of the people's speeds tau (log seconds) */
    double alpha_lo, alpha_hi;     /* items' time discriminations ~ U(lo, hi) */
    double guess_lo_s, guess_hi_s; /* a rapid guess takes ~ U(lo, hi) seconds in the browser */
    double latency_s;              /* median latency (network, page) added to every server time */
    struct rf_rte_rule rule;
};

/* The defaults of docs/integrity.md's main scenario. */
void rf_rtsim_args_default(struct rf_rtsim_args *a);

struct rf_rtsim_result {
    /* per answer: rapid guesses flagged / all rapid guesses, and effortful
     * answers flagged / all effortful answers */
    size_t rapid, rapid_flagged, effortful, effortful_flagged;
    double sensitivity, false_flags;
    /* per person and skill: skills whose true share of rapid guesses puts
     * their RTE below the flag level, and skills without any rapid guess */
    size_t skills_guessed, skills_guessed_flagged, skills_clean, skills_clean_flagged;
    double skill_sensitivity, skill_false_flags;
    double threshold_min_ms, threshold_mean_ms, threshold_max_ms;
};

/* Runs one scenario. RF_EINVAL for arguments out of range (named), RF_ENOMEM. */
rf_status rf_rtsim_run(const struct rf_rtsim_args *a, struct rf_rtsim_result *out,
                       struct rf_err *err);

struct rf_copysim_args {
    uint64_t seed;
    size_t items;      /* multiple-choice items both answer */
    size_t noptions;   /* options per item (c = 1 / noptions, a = 1) */
    size_t reference;  /* people whose wrong answers give the option shares */
    size_t pairs;      /* pairs per condition */
    double copy_share; /* share of the items the copier takes from the source */
    double alpha;      /* a pair is flagged at p < alpha */
};
void rf_copysim_args_default(struct rf_copysim_args *a);

struct rf_copysim_result {
    size_t pairs;
    double null_rate; /* independent pairs flagged */
    double null_mean_z, null_sd_z;
    double power; /* copying pairs flagged */
    double copy_mean_z;
};

rf_status rf_copysim_run(const struct rf_copysim_args *a, struct rf_copysim_result *out,
                         struct rf_err *err);

#endif
