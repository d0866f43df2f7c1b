/*
 * Population studies of the server's role tests (issue 13's targets): who
 * takes the test (the reference population, a role's people, a 50/50 mix of
 * the two, people who answer at random, people who answer everything right),
 * the test they take (a role's test, find my role, or every role's test in
 * turn), and what their reports would say: the requirement calls of the
 * target role (P(meets) from rf_fit_role), the closest roles
 * (rf_closest_all) and the test's length. Every piece is the product's own:
 * rf_roletest_design builds the design, the adaptive engine runs it,
 * rf_roletest_profile scores it as the server does.
 *
 * Truth: answers are drawn from "truth" item parameters, which the caller
 * chooses (rf_rolesim_truth_init: a = 1, c = 1/k for a k-option
 * multiple-choice item, the bank's b or thresholds; not the parameters the
 * bank may overstate). A role's person has, on each skill the role requires
 * at level L, theta ~ N(centre of L's band, RF_ROLESIM_ROLE_SD^2)
 * (rf_closest_level_dist's centre), and N(0, 1) elsewhere.
 *
 * Determinism: examinee i draws everything from rf_rng_substream(seed, i) and
 * per-examinee figures are reduced in examinee order, so the results do not
 * depend on the number of threads.
 */
#ifndef RF_SERVER_ROLESIM_H
#define RF_SERVER_ROLESIM_H

#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "base/err.h"
#include "careers/roles.h"
#include "cat/pool.h"

/* SD of a role's people around the centre of their level's band. */
#define RF_ROLESIM_ROLE_SD 0.4
/* A requirement call is decisive when P(meets) is below this or above 1 minus it. */
#define RF_ROLESIM_DECISIVE 0.2
#define RF_ROLESIM_BINS 10

enum rf_rolesim_pop {
    RF_ROLESIM_REFERENCE = 0, /* theta ~ N(0, 1) on every skill */
    RF_ROLESIM_ROLE,          /* the people of a role (see above) */
    RF_ROLESIM_MIX,           /* each examinee reference or role with probability 1/2 */
    RF_ROLESIM_RANDOM,        /* answers at random (see rf_rolesim_truth) */
    RF_ROLESIM_PERFECT,       /* answers every item right (the top category) */
    RF_ROLESIM_OTHER,         /* the people of another role than the test's (see
                                 rf_rolesim_opts): what a role test tells them */
    RF_ROLESIM_TAKERS         /* the takers the test's prior describes: with the
                                 class weight w of a role test, the test's role's
                                 people; otherwise, evenly, the people of a role
                                 some scope skill of the test belongs to, or a
                                 random responder (the hypotheses closest roles
                                 weigh, careers/closest.h): where the closest-role
                                 probabilities, and P(meets), must be calibrated */
};

/* "reference", "role", "mix", "random", "perfect", "other", "takers". */
const char *rf_rolesim_pop_name(enum rf_rolesim_pop pop);
rf_status rf_rolesim_pop_parse(const char *s, enum rf_rolesim_pop *out);

/* How answers are drawn, per pool item: irt, the true parameters, and rand,
 * the probabilities of each category for a random responder, the pool's
 * (rf_cat_pool.rand: for a bank item, bank/answer.h rf_answer_random_probs:
 * 1/k right for a k-option multiple-choice item, RF_ANSWER_RANDOM_NUMERIC for
 * a numeric item, the score of a uniformly random non-empty subset for a
 * multiple-select item); chance is rand's right-answer probability of a
 * dichotomous item (0 for a graded one). */
struct rf_rolesim_truth {
    size_t n;
    struct rf_irt_item *irt; /* owned [n] */
    double *chance;          /* owned [n] */
    double *rand;            /* owned [n * RF_MAX_CATEGORIES] */
};

/* Truth for pool p. With bank b (its items found by id): a = 1 and, for a
 * k-option multiple-choice item, c = 1/k (3PL), the bank's b or thresholds
 * kept. Without a bank (a generated or parameter-file pool): the pool's own
 * parameters. Random responders as the pool describes them. RF_ENOMEM. */
rf_status rf_rolesim_truth_init(struct rf_rolesim_truth *t, const struct rf_cat_pool *p,
                                const struct rf_bank *b, struct rf_err *err);
void rf_rolesim_truth_cleanup(struct rf_rolesim_truth *t);

struct rf_rolesim_opts {
    enum rf_rolesim_pop pop;
    /* The test: role's test (role != NULL), find my role (find_role), or
     * (neither) every role's test in turn, examinee i taking role i mod n's.
     * The other population: examinee i of a test of role t (index) is of
     * role (t + 1 + (i / n) mod (n - 1)) mod n, never t (for find my role,
     * t = i mod n, the role whose requirement calls are read). */
    const struct rf_role *role;
    int find_role;
    size_t nexaminees; /* >= 1 */
    uint64_t seed;
    size_t threads; /* >= 1; the results do not depend on it */
    /* People's skills load on one factor g with this loading (0 <= L < 1):
     * theta_k = centre + spread (L g + sqrt(1 - L^2) e_k), the spread 1 for
     * the population and RF_ROLESIM_ROLE_SD on a role's required skills.
     * 0: independent skills. */
    double truth_loading;
    /* What-if studies of the test's prior: with prior_set, the design's
     * class weight is prior_weight (0 <= w < 1; 0: the population alone) and
     * every scope skill's loading prior_loading (0 <= L <= RF_HIER_MAX_LAMBDA)
     * instead of the product's (rf_roletest_design). */
    int prior_set;
    double prior_weight, prior_loading;
    /* Find my role, then its confirm stage (server/roletest.h
     * rf_roletest_confirm) as the product offers it: with confirm > 0, every
     * examinee goes on to a confirm test of at most confirm items on the
     * requirements of the confirm_roles (>= 1) most likely roles of the
     * find-my-role report (closest roles, "no role" aside), the first
     * test's answers carried, and is read again on the profile the two
     * sessions make together (careers/profile.h rf_profile_combine). The
     * first test's figures do not change. */
    size_t confirm, confirm_roles;
    /* With confirm: people with a role of their own (role candidates, the
     * other population, the role half of the mix, the takers' role people)
     * confirm that role, as a person who knows their role names it in the
     * confirm request ({"role": ID}); the others the offered roles. 2:
     * everyone names a role, those without one of their own (N(0, 1)
     * people, random responders) the role their calls are read on (role
     * i mod n), as a person might name a role they hope to fit. */
    int confirm_own;
};

/* One row of a calibration table: said (mean probability), right (share
 * true), n (cases) for the probabilities in [b/10, (b+1)/10). */
struct rf_rolesim_bin {
    double said, right;
    size_t n;
};

/* Requirement calls against the truth. Decisive: the report calls it meets
 * or below (careers/fit.h: both the test's prior and the population's
 * agree) as a verdict; a call the report gives as a first reading (find my
 * role's, and after its confirm test those of roles not confirmed:
 * careers/report.h rf_report_calls_verdict) is not decisive, whatever it
 * reads, and is counted apart (first_*). p_decisive: P(meets) alone is
 * beyond RF_ROLESIM_DECISIVE, verdict or not. */
struct rf_rolesim_calls {
    size_t n;
    double decisive;    /* share of calls the report makes as a verdict (meets or below) */
    double wrong;       /* share of decisive calls that are wrong (0 when none) */
    double first;       /* share of calls that are first readings */
    double first_decisive; /* share of first readings that read meets or below */
    double first_wrong;    /* share of those that are wrong */
    double p_decisive;  /* share of calls with P < 0.2 or P > 0.8 */
    double p_wrong;     /* share of those that are wrong */
    double brier;       /* mean (P - met)^2 */
    double cal_error;   /* sum over bins of n_b / N |said_b - right_b| */
    struct rf_rolesim_bin bins[RF_ROLESIM_BINS];
};

/* After the confirm stage (find my role with confirm > 0). */
struct rf_rolesim_confirm {
    double items; /* mean items of the confirm stage (0 for those it had nothing to ask) */
    double asked; /* share given at least one item */
    double total; /* mean items of both stages */
    size_t items_max;
    /* The calls of the result's target role (own role) and of the most
     * likely role of the first report (the role confirmed), on the combined
     * profile; the latter also after the first test alone (report1). */
    struct rf_rolesim_calls own, report, report1;
    /* The calls of own above (the target role's) split by whether the role
     * confirmed was that role (own_same: the report's verdict) or another
     * (own_other: a first reading, resting on find my role's one or two
     * items a skill and on what the confirm test asked for the other role);
     * examinees with an own role only (for the role population and the
     * mix the target is the own role). */
    struct rf_rolesim_calls own_same, own_other;
    double closest;     /* share of those with an own role whose closest role is it */
    double top_prob;    /* mean probability of the most likely role */
    double no_role_top; /* share told "no role" */
};

struct rf_rolesim_result {
    size_t nexaminees;
    double len_mean;
    /* Requirement calls on the target role (the role test's role; for find
     * my role the examinee's own role, role i mod n for the reference
     * population): P(meets) against the truth (random responders are below
     * every bar, perfect ones above). */
    size_t ncalls;
    double decisive;  /* share of calls the report makes (meets or below; careers/fit.h) */
    double wrong;     /* share of decisive calls that are wrong (0 when none) */
    double first, first_decisive, first_wrong; /* first readings, as rf_rolesim_calls */
    double p_decisive, p_wrong; /* the same with P < 0.2 or P > 0.8 as the call */
    /* The verdicts above by call (first readings left out): how many, the
     * share wrong and the mean chance of being wrong the report states. */
    struct rf_rolesim_by_call {
        size_t n;
        double wrong, stated;
    } by_meets, by_below;
    double brier;     /* mean (P - met)^2 */
    double cal_error; /* sum over bins of n_b / N |said_b - right_b| */
    struct rf_rolesim_bin meets[RF_ROLESIM_BINS];
    /* Find my role: the calls on the role its report targets (the closest
     * role, whatever the examinee's own), as the report reads them; n = 0 for
     * a role's test, whose report targets the test's role (the calls above). */
    struct rf_rolesim_calls report;
    double fit_mean, fit_min; /* fit of the target role */
    double p_min;             /* smallest requirement P(meets) of any examinee */
    /* Closest roles. own: the examinee's role (role population and the role
     * half of the mix; the target role for perfect responders). */
    size_t nown;
    double closest;        /* share of those whose closest role is their own */
    double closest_higher; /* share whose closest is another role with bars at least as
                              high as the own role's on every skill the test measured */
    double closest_highest; /* share of everyone (not told "no role") whose closest role
                               no role asks more than on what the test measured
                               (careers/closest.h rf_closest_bars_highest) */
    double closest_same;    /* share of everyone whose closest role is the one most
                               examinees got (all correct: the same role every time) */
    double closest_test;   /* share of everyone whose closest role is the test's role
                              (not told "no role"; 0 for find my role) */
    double top_prob;       /* mean probability of the most likely role, over everyone */
    double no_role;        /* mean P(no role) */
    double no_role_top;    /* share told "no role" (P(no role) above every role) */
    /* Every role's probability vs own; for the takers also every random
     * responder's role probabilities (vs 0) and everyone's P(no role) (vs
     * being a random responder): all the hypotheses closest roles weigh. */
    struct rf_rolesim_bin roles[RF_ROLESIM_BINS];
    /* Coverage: mean share of the scope's skills given at least one item;
     * share of tests that gave an item in every lifecycle task area of the
     * scope (every task but "foundations"). */
    double skills_measured, tasks_all;
    struct rf_rolesim_confirm confirm; /* zero without a confirm stage */
};

/* The pool the product's test of that kind draws from (cat/pool.h flags, for
 * rf_cat_pool_from_bank): a role test, given as an organization's invited
 * test, the operational pool; find my role (open practice, and its confirm
 * stage) the practice pool. Always RF_CAT_POOL_SCORED (no rubric items, as
 * the server). A self-serve practice role test draws from the practice pool,
 * a team member's invited find my role from the operational one: studies of
 * those choose the pool themselves. */
int rf_rolesim_live_pool(int find_role);
/* "operational", "practice" or "all" for pool flags; the number of items
 * pool p may give. */
const char *rf_rolesim_pool_name(int flags);
size_t rf_rolesim_pool_usable(const struct rf_cat_pool *p);

/* Runs the study on pool p (with truth t, parallel to p) and the roles.
 * Errors: RF_EINVAL (a design the pool cannot give, nexaminees 0),
 * RF_ENOMEM, RF_ETOOBIG (more roles than the engine's classes). */
rf_status rf_rolesim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                         const struct rf_roles *roles, const struct rf_rolesim_opts *o,
                         struct rf_rolesim_result *r, struct rf_err *err);

#endif
