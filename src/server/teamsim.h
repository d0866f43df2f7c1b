/*
 * Simulated teams (issue 18's target for the next-hire suggestion): each
 * team has 1 to 4 members drawn from the deployment roles of the team spec;
 * a member is the role's person (on each skill the role requires at level
 * L, theta ~ N(centre of L's band, RF_ROLESIM_ROLE_SD^2); N(0, 1) elsewhere,
 * as rolesim.h draws them), takes the server's test for that role (answers
 * drawn from the truth parameters, rolesim.h), and is scored as the server
 * scores it. With with_g the members' skills correlate as the product's
 * higher-order model says (irt/hier.h): z_k = lambda_k g + sqrt(1 -
 * lambda_k^2) e_k takes the place of the N(0, 1) draw, lambda_k the
 * taxonomy's loading. The team's coverage and next hire (careers/team.h) are then
 * computed from the profiles and, with the same rules, from the truth (a
 * member meets a role when their true theta clears every core cut).
 *
 * The suggestion is right when the suggested role is among the hires that
 * truly raise coverage most (the same order: mean deployment-role coverage,
 * then task coverage): a tie counts every tied role as right, and
 * hire_chance says how often a role drawn at random would be. Determinism: team i draws from
 * rf_rng_substream(seed, i) and results are reduced in team order, whatever the thread count.
 */
#ifndef RF_SERVER_TEAMSIM_H
#define RF_SERVER_TEAMSIM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "careers/data.h"
#include "careers/team.h"
#include "cat/pool.h"
#include "server/rolesim.h"

struct rf_teamsim_opts {
    size_t nteams;             /* >= 1 */
    size_t min_size, max_size; /* members per team, 1 <= min <= max <= RF_TEAMSIM_MAX_SIZE */
    uint64_t seed;
    size_t threads; /* >= 1; the results do not depend on it */
    int with_g;     /* members' skills correlate through g at the taxonomy's loadings (see above) */
    int members;    /* who the members are: RF_TEAMSIM_ROLE_PEOPLE and so on (below) */
};

/* Who a simulated member is (each still takes a deployment role's test,
 * the role drawn at random): the role's person (the target), a
 * person of the population (N(0, 1) on every skill: someone put in a role
 * they may not be up to), or either with even odds. */
enum { RF_TEAMSIM_ROLE_PEOPLE = 0, RF_TEAMSIM_POPULATION = 1, RF_TEAMSIM_MIX = 2 };

#define RF_TEAMSIM_MAX_SIZE 16

/* Calibration of stated probabilities against the truth, in RF_TEAMSIM_BINS
 * equal bins of the stated value: how many, their mean stated value and the
 * share truly so. */
#define RF_TEAMSIM_BINS 10
struct rf_teamsim_calib {
    size_t n[RF_TEAMSIM_BINS];
    double said[RF_TEAMSIM_BINS];  /* mean stated value in the bin */
    double truth[RF_TEAMSIM_BINS]; /* share truly met / covered */
};

struct rf_teamsim_result {
    size_t nteams, nmembers;
    double hire_right;     /* share of teams whose suggestion is among the truly best */
    double hire_right_gain; /* the same, judged by the coverage of the roles alone */
    double hire_said;      /* the suggestion's mean stated chance of being the best (p_best) */
    double hire_tied;      /* share of teams whose suggestion has a near tie (team.h) */
    double hire_right_tied; /* share whose suggestion or one of its near ties is truly best */
    double hire_chance;    /* hire_right of a deployment role drawn at random: ties' share */
    double cov_said;       /* mean estimated coverage of a deployment role */
    double cov_true;       /* mean true coverage (0 or 1) */
    double cov_brier;      /* mean (estimated - true)^2 over teams and deployment roles */
    double len_mean;       /* mean items per member's test */
    /* A deployment role's coverage against "some member truly meets it",
     * [0] when some member's test measured every core skill of the role,
     * [1] when none did; a member's p_mr against "truly meets", [0] every
     * core skill measured, [1] not. */
    struct rf_teamsim_calib cov[2], member[2];
    struct rf_teamsim_calib own; /* a member meets the role whose test they took */
};

/* Runs the study on pool p with truth t (rf_rolesim_truth_init), the careers
 * data c and the team spec s. Errors: RF_EINVAL (bad options, a role whose
 * test the pool cannot give), RF_ENOMEM, RF_ETOOBIG. */
rf_status rf_teamsim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                         const struct rf_careers *c, const struct rf_team_spec *s,
                         const struct rf_teamsim_opts *o, struct rf_teamsim_result *r,
                         struct rf_err *err);

#endif
