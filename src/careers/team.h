/*
 * Teams: which of the roles an ML deployment needs a team covers, which
 * lifecycle tasks rest on one person, and which role to hire next
 * (docs/careers.md "Teams").
 *
 * A member meets a role when every core requirement of it is met: p_mr =
 * P(every core requirement met | the member's answers). What the member's
 * test measured counts by its posterior; a core skill it did not measure
 * counts by the profile's prior, which the higher-order model (when the
 * profile has one) informs through g from the skills that were measured
 * (team_member.c): a role test measures only its own role's skills, and a
 * team view that counted the rest as "not met" would propose hiring what
 * the team already has. The view says how many members were not measured
 * on a role, and each coverage carries an interval (below) showing how much
 * rests on the unmeasured skills.
 *
 * Members are different people, so the chance that at least one meets role r
 * is C_r = 1 - prod_m (1 - p_mr). A member carries a lifecycle task t when
 * they meet some role whose share of t is at least the spec's task_weight:
 * p_mt = P(the member meets at least one of those roles), exact under the
 * profile's model (inclusion and exclusion over the roles' joint core
 * requirements; one person's role calls are correlated, so not a product).
 *
 * Uncertainty: each coverage has the 90% interval of what it would be once
 * every member's unmeasured core skills are known (rf_team_view_build); the
 * call ("covered", "undecided", "not covered") is made on that interval,
 * so that a call never rests on the prior alone.
 *
 * A task is a single point of failure when exactly one member carries it
 * with p >= 0.5 and the team without that member covers it with
 * probability < 0.5.
 *
 * Next hire: for each deployment role h, a hire at h's required levels
 * meets h and every role whose core requirements h requires at the same or
 * a higher level (certainly: the hire is assumed to be at those levels);
 * the suggestion is the role of highest value (rf_team_hire_value): the
 * expected number of deployment roles it adds to those covered, plus its
 * expected added lifecycle tasks at a weight that makes tasks a tie-break
 * on certain coverage; equal values in file order.
 */
#ifndef RF_CAREERS_TEAM_H
#define RF_CAREERS_TEAM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/lang.h"
#include "careers/data.h"
#include "careers/profile.h"

/* What a team is measured against (data/team.json). */
struct rf_team_spec {
    size_t *roles, nroles; /* owned: indices into the careers roles, the deployment roles */
    size_t *tasks, ntasks; /* owned: indices into the taxonomy's tasks, the lifecycle tasks */
    double task_weight;    /* a role carries a task with at least this share of its work */
};

rf_status rf_team_spec_load(const char *path, const struct rf_careers *c, struct rf_team_spec *out,
                            struct rf_err *err);
rf_status rf_team_spec_load_mem(const char *name, const char *data, size_t len,
                                const struct rf_careers *c, struct rf_team_spec *out,
                                struct rf_err *err);
void rf_team_spec_cleanup(struct rf_team_spec *s);

/* p_mr for one member and every role into prob[roles->n]; measured[r] (may
 * be NULL) says whether every core skill of r was measured; unknown[r] (may
 * be NULL) is P(the core skills of r the test did not measure all clear
 * their cuts | what it measured), 1 when it measured them all. Without a
 * model in the profile, skills are independent and an unmeasured one is
 * N(0, 1). RF_EINVAL (a model skill with answers but no log-likelihood),
 * RF_ENOMEM. */
rf_status rf_team_member_roles(const struct rf_profile *p, const struct rf_roles *roles,
                               double *prob, int *measured, double *unknown,
                               struct rf_err *err);

/* p_mr (as rf_team_member_roles) and, into task[ntasks of the taxonomy]
 * (may be NULL), p_mt: the member's chance of meeting at least one role that
 * carries task t, exact (inclusion and exclusion over those roles' joint core
 * requirements) for the spec's tasks, 0 for the others. */
rf_status rf_team_member_probs(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_profile *p, double *prob, int *measured,
                               double *unknown, double *task, struct rf_err *err);

/* Draws of each member's skills behind the next hire's chance of being the
 * best (rf_team_hire_chances). */
#define RF_TEAM_DRAWS 1024
/* The view draws member m from stream RF_TEAM_DRAW_SEED + m: the same
 * profiles give the same view. */
#define RF_TEAM_DRAW_SEED 0x7465616d18ULL

/* rf_team_member_probs, and into draws[RF_TEAM_DRAWS] the roles (bit r of
 * the careers roles) the member meets in each of RF_TEAM_DRAWS draws of
 * their skills from the profile's model given the answers (seeded by seed:
 * the same profile and seed give the same draws). role_w in (0, 1) reads the
 * profile with its role component (a role test's: the role's people) at
 * that prior weight, the rest scaled to 1 - role_w (rf_team_role_weights);
 * a negative role_w, or a profile without such a component, keeps the
 * profile's own. pi (may be NULL: none) holds the team's share of role
 * people in each draw (rf_team_role_weights): in draw d a member with a
 * role component is then that role's person with probability
 * pi[d] LR / (pi[d] LR + 1 - pi[d]), LR their likelihood ratio, so that
 * the members' kinds are drawn together, as the team's posterior has them;
 * each member's draws still meet each role as often as prob says. RF_EINVAL
 * (more than 64 roles, or as rf_team_member_probs), RF_ENOMEM. */
rf_status rf_team_member_draws(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_profile *p, double role_w, const double *pi,
                               double *prob, int *measured, double *unknown, double *task,
                               uint64_t seed, uint64_t *draws, struct rf_err *err);

/* The weight of the team's prior on its members' role components (below):
 * the Beta prior of the share of role-test members who are their role's
 * people holds this many members' worth, centred on the tests' own weight. */
#define RF_TEAM_KIND_PRIOR_N 2.0

/* Who a team's members are (docs/careers.md, "Who the members are"). A role
 * test reads its taker with a prior in which a share a (0.3) are the role's
 * people; a team's members are not a test's takers at large, and whether
 * they are their roles' people is one question for the whole team. So the
 * share pi of the team's role-test members who are their role's people gets
 * a Beta prior of RF_TEAM_KIND_PRIOR_N members' weight centred on the mean
 * a, each member's answers give the likelihood ratio LR_m of "the role's
 * person" over "the rest of the population" (from the posterior of its
 * role component), and member m is read with the role weight w[m] that
 * gives their component the posterior it has under pi's posterior given
 * every member: E[pi LR_m / (pi LR_m + 1 - pi) | all members], exact on a
 * grid of pi. A member alone is read as the test reads them (the Beta
 * prior's mean is a); w[m] is -1 for a member whose profile has no role
 * component (find my role, no model) and for every member when fewer than
 * two have one. pi (may be NULL) receives RF_TEAM_DRAWS values of the
 * share from its posterior given every member (its quantiles at (d + 1/2) /
 * RF_TEAM_DRAWS; -1 each when w is -1 for all) for rf_team_member_draws.
 * RF_EINVAL (a model skill without its log-likelihood), RF_ENOMEM. */
rf_status rf_team_role_weights(const struct rf_profile *prof, size_t nm, double *w, double *pi,
                               struct rf_err *err);

/* Coverage from the members' role probabilities pm[m * nroles_all + r] and
 * task probabilities pt[m * ntasks_all + t] (NULL: each member's best
 * carrying role, rf_team_member_task, exact for rows of 0 and 1):
 * role_cov[nroles_all] and task_cov[ntasks of the taxonomy] (a task the spec
 * does not list gets 0). skip (< nm) leaves that member out, (size_t)-1 none. */
void rf_team_coverage(const struct rf_careers *c, const struct rf_team_spec *s, const double *pm,
                      const double *pt, size_t nm, size_t skip, double *role_cov,
                      double *task_cov);

/* A lower bound of p_mt from the member's role row: the best carrying role. */
double rf_team_member_task(const struct rf_careers *c, const struct rf_team_spec *s,
                           const double *pm_row, size_t t);

/* The member who is task t's single point of failure (see above), or
 * (size_t)-1 when there is none. */
size_t rf_team_single_point(const struct rf_careers *c, const struct rf_team_spec *s,
                            const double *pm, const double *pt, size_t nm, size_t t);

/* Whether a hire at role h's required levels meets role r (see above). */
int rf_team_hire_meets(const struct rf_role *h, const struct rf_role *r);

/* One candidate hire. */
struct rf_team_hire {
    size_t role;       /* index into the careers roles */
    double gain;       /* rise of the mean deployment-role coverage */
    double task_gain;  /* rise of the summed task coverage */
    double p_best;     /* the chance it is among the best hires (rf_team_hire_chances) */
    int near_tie;      /* not the suggestion, and the draws cannot tell its p_best from the
                          suggestion's (rf_team_hire_chances) */
};

/* What hire h is worth: the covered deployment roles it adds (expected),
 * plus its expected added lifecycle tasks at 1 / (ntasks + 1) each, so that
 * on certain coverage tasks only break ties between equal role gains. The
 * next hire maximizes it; the simulation judges it by the same value on the
 * true skills. */
double rf_team_hire_value(const struct rf_team_spec *s, const struct rf_team_hire *h);

/* Ranks every deployment role as the next hire, best first, into
 * out[s->nroles]. RF_ENOMEM only. */
rf_status rf_team_next_hires(const struct rf_careers *c, const struct rf_team_spec *s,
                             const double *pm, const double *pt, size_t nm,
                             struct rf_team_hire *out, struct rf_err *err);

/* The chance of each hire of out[s->nroles] (as rf_team_next_hires gives
 * them) to be among the best, by the value on the truth (rf_team_hire_value
 * on whether each member meets each role): over RF_TEAM_DRAWS joint draws
 * of the members (draws[m * RF_TEAM_DRAWS + d], rf_team_member_draws; one
 * member's roles drawn together, members independently), the share in
 * which the hire's realized value is the largest (ties: every hire of the
 * largest value counts). Reorders out by that chance, then by value, then
 * in file order: the suggestion is the hire most likely to be the best
 * (docs/careers.md, "Next hire"). A hire other than the suggestion is a
 * near tie when the draws cannot tell the two apart: the draws in which
 * only the suggestion is among the best outnumber those in which only the
 * hire is by at most twice the square root of their sum (two standard
 * errors of the paired difference; a true tie, the same draws, has 0). */
void rf_team_hire_chances(const struct rf_careers *c, const struct rf_team_spec *s,
                          const uint64_t *draws, size_t nm, struct rf_team_hire *out);

/* Mean coverage over the spec's deployment roles. */
double rf_team_score(const struct rf_team_spec *s, const double *role_cov);

/* Everything the team view shows, computed once from the members' profiles. */
struct rf_team_view {
    size_t nm;                   /* members */
    double *pm;                  /* owned: p_mr, nm x the careers roles */
    double *pt;                  /* owned: p_mt, nm x the taxonomy's tasks */
    double *unknown;             /* owned: P(unmeasured core skills clear), nm x roles */
    int *measured;               /* owned: every core skill of r measured, nm x roles */
    double *role_cov, *task_cov; /* owned: per careers role, per taxonomy task */
    double *role_lo, *role_hi;   /* owned: the 90% interval of each deployment role's coverage */
    double *task_lo, *task_hi;   /* owned: the same per lifecycle task */
    int *role_unmeasured;        /* owned, per careers role: members, none measured on it */
    int *task_unmeasured;        /* owned, per taxonomy task: members, none measured on a
                                    role that carries it */
    struct rf_team_hire *hires;  /* owned: every deployment role as the next hire, best first */
    /* the greedy follow-ups after hires[0]: then[k] is the hire that adds the
     * most role coverage (of equal ones, the most value) given the members,
     * hires[0] and then[0..k-1], its gain and task_gain what it adds to them
     * (not to the members alone); nthen <= 2, only hires that still raise
     * the role coverage */
    struct rf_team_hire then[2];
    size_t nthen;
    uint64_t *draws;             /* owned: nm x RF_TEAM_DRAWS, rf_team_member_draws */
};

/* Builds the view of nm members with profiles prof[nm] (nm may be 0).
 * RF_ENOMEM only; on failure v is left empty. */
rf_status rf_team_view_build(const struct rf_careers *c, const struct rf_team_spec *s,
                             const struct rf_profile *prof, size_t nm, struct rf_team_view *v,
                             struct rf_err *err);
void rf_team_view_cleanup(struct rf_team_view *v);

/* The call on a coverage with interval [lo, hi] (the view's): "unmeasured"
 * when the team has members and none of their tests measured every core
 * skill of the role (for a task: of a role that carries it), whatever the
 * figure: it then rests on the prior alone; else "covered" when lo >=
 * RF_FIT_MET (it holds whatever the unmeasured skills turn out to be, but
 * for 5%), "not covered" when hi <= RF_FIT_BELOW, else "undecided": a call
 * is made on what was measured, never on the prior. */
const char *rf_team_call(double lo, double hi, int unmeasured);

/* The view as JSON: "members" (names[nm]); "roles", per deployment role its
 * coverage "prob", its 90% "interval" once the unmeasured skills are known,
 * "call" (rf_team_call), "unmeasured" (members whose tests did not measure
 * its core skills), "measured" (whether some member's test did) and each member's "prob" and "measured"; "tasks", per
 * lifecycle task its coverage, "interval", "call", "measured" and "single_point" (the
 * member's name, or null); "score" (mean role coverage); "hires", every
 * deployment role as the next hire, best first, with its "gain",
 * "task_gain", "p_best" (its chance of being the best hire), "near_tie" (rf_team_hire_chances) and what it "closes": the deployment roles it meets that the
 * team does not cover (not called "covered") and the lifecycle tasks whose
 * coverage it raises. NULL on allocation failure. */
json_t *rf_team_view_json(const struct rf_careers *c, const struct rf_team_spec *s,
                          const struct rf_team_view *v, const char *const *names);

/* The same with the role and task names in lang; ids, calls and numbers alike. */
json_t *rf_team_view_json_lang(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_team_view *v, const char *const *names,
                               enum rf_lang lang);

#endif
