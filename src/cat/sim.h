/*
 * Simulation studies of an adaptive design (docs/cat.md): simulated
 * examinees with known theta take the adaptive test over a pool; the
 * estimates are compared with the truth, and the same examinees take a fixed
 * form of equal length as a baseline. Also: Sympson-Hetter exposure
 * parameters set by iterated simulation, and synthetic banks.
 *
 * Determinism: examinee i draws its true theta, its answers and its session's
 * seed from rf_rng_substream(seed, i); statistics are reduced in examinee
 * order. The results are therefore identical for every thread count.
 */
#ifndef RF_CAT_SIM_H
#define RF_CAT_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/err.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/session.h"

struct rf_cat_sim_opts {
    size_t nexaminees; /* >= 1 */
    uint64_t seed;
    size_t threads;      /* >= 1; the results do not depend on it */
    const double *theta; /* optional true thetas, [nexaminees][nscope]; else N(0, 1),
                            correlated through g by the design's loadings */
    int baseline;        /* also simulate the fixed form of equal length */
};

struct rf_cat_sim_skill {
    double bias, rmse, mean_se, coverage; /* coverage of theta^ +- 1.96 SE */
    double mean_items;
};

struct rf_cat_sim_stats {
    double len_mean, len_sd;
    size_t len_min, len_max;
    double capped; /* share of examinees with a skill that ended short of its SE target
                      (item limit, or target out of reach) */
    double early;  /* share with a skill ended because its target was out of reach */
    size_t *hist;  /* owned: hist[L] examinees with length L, L = 0..hist_n-1 */
    size_t hist_n;
    double bias, rmse, mean_se, coverage; /* over all skills and examinees */
    struct rf_cat_sim_skill skill[RF_CAT_MAX_SCOPE];
    double exp_max, exp_mean; /* exposure rates over the usable items of the scope */
    double overlap;           /* mean share of a test's items shared with another's */
};

struct rf_cat_sim_result {
    size_t nexaminees, nitems;
    struct rf_cat_sim_stats adaptive, baseline;
    size_t form_len[RF_CAT_MAX_SCOPE]; /* baseline items per scope skill */
    size_t *selected;                  /* owned [pool n]: times chosen (administered or blocked) */
    size_t *given;                     /* owned [pool n]: times administered */
};

/* Runs the study. The design's rules apply unchanged (exposure control only
 * when d->exposure). r is filled; release it with rf_cat_sim_cleanup. */
rf_status rf_cat_simulate(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                          const struct rf_cat_sim_opts *o, struct rf_cat_sim_result *r,
                          struct rf_err *err);
void rf_cat_sim_cleanup(struct rf_cat_sim_result *r);

/* Draws a category of item it for an examinee at theta from r (one uniform). */
size_t rf_cat_sim_draw(const struct rf_irt_item *it, double theta, struct rf_rng *r);

/* Runs fn on nt jobs (an array of job_size-byte elements): job 0 on the
 * calling thread, each other on a thread of its own; returns when all have
 * finished. At most RF_CAT_SIM_MAX_THREADS (RF_EINVAL beyond); RF_ENOMEM when
 * a thread cannot start (then job 0 is not run and the started ones are
 * joined). Jobs report their own errors. */
#define RF_CAT_SIM_MAX_THREADS 64
rf_status rf_cat_sim_parallel(size_t nt, void *(*fn)(void *), void *jobs, size_t job_size,
                              struct rf_err *err);

/* Sets the Sympson-Hetter parameters p->sh of the scope's items so that no
 * item is given to more than target of the examinees (Sympson & Hetter 1985):
 * start from K_i = 1; each round simulates o->nexaminees with exposure on,
 * then K_i = target / P(selected_i) where that exceeds target, else 1; stop
 * when the largest exposure rate is at most target or after max_rounds.
 * Reports the rounds run and the last largest exposure rate. */
rf_status rf_cat_sh_calibrate(struct rf_cat_pool *p, const struct rf_cat_design *d, double target,
                              size_t max_rounds, const struct rf_cat_sim_opts *o, size_t *rounds,
                              double *max_rate, struct rf_err *err);

/* A synthetic bank for design studies: per skill n items with a ~
 * lognormal(0, 0.25), b ~ N(0, 1) clipped to +-2.8 and, for the 3PL,
 * c ~ U(0.10, 0.25); ids "<skill>.gen.<NNNN>". Drawn from substream
 * (seed, 2^63 + skill index) so a bank does not share draws with examinees. */
struct rf_cat_gen {
    size_t n;
    struct rf_cat_item *items; /* owned, ids and skills point into strings */
    char **strings;            /* owned */
    size_t nstrings;
};
rf_status rf_cat_generate(const char *const *skills, size_t nskills, size_t per_skill,
                          enum rf_model model, uint64_t seed, struct rf_cat_gen *g,
                          struct rf_err *err);
void rf_cat_gen_cleanup(struct rf_cat_gen *g);

#endif
