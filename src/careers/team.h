/*
 * Teams: which of the roles an ML deployment needs a team covers, which
 * lifecycle tasks rest on one person, and which role to hire next
 * (docs/careers.md "Teams").
 *
 * A member meets a role when every core requirement of it is met. Coverage
 * counts only what was measured: a member whose profile lacks one of a
 * role's core skills does not meet that role (p = 0), however likely the
 * prior makes it; the team view says which members were not measured on it.
 * For a measured member, p is the fit's P(every core requirement met).
 *
 * Members are different people, so the chance that at least one meets role r
 * is C_r = 1 - prod_m (1 - p_mr). A member carries a lifecycle task t when
 * they meet some role whose share of t is at least the spec's task_weight;
 * p_mt = max over those roles of p_mr, a lower bound of that union (one
 * person's role calls are correlated), so task coverage never overclaims.
 *
 * A task is a single point of failure when exactly one member carries it
 * with p >= 0.5 and the team without that member covers it with
 * probability < 0.5.
 *
 * Next hire: for each deployment role h, a hire at h's required levels
 * meets h and every role whose core requirements h requires at the same or
 * a higher level (certainly: the hire is assumed to be at those levels);
 * the suggestion is the role that most raises the mean coverage of the
 * deployment roles, ties broken by the rise in task coverage, then by file
 * order.
 */
#ifndef RF_CAREERS_TEAM_H
#define RF_CAREERS_TEAM_H

#include <stddef.h>

#include "base/err.h"
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

/* p_mr for one member and every role into p[roles->n]; measured[r] (may be
 * NULL) says whether every core skill of r was measured. RF_ENOMEM only. */
rf_status rf_team_member_roles(const struct rf_profile *p, const struct rf_roles *roles,
                               double *prob, int *measured, struct rf_err *err);

/* Coverage from the members' role probabilities pm[m * nroles_all + r]:
 * role_cov[nroles_all] and task_cov[ntasks of the taxonomy] (a task the spec
 * does not list gets 0). skip (< nm) leaves that member out, (size_t)-1 none. */
void rf_team_coverage(const struct rf_careers *c, const struct rf_team_spec *s, const double *pm,
                      size_t nm, size_t skip, double *role_cov, double *task_cov);

/* p_mt: the member's chance of carrying task t (see above). */
double rf_team_member_task(const struct rf_careers *c, const struct rf_team_spec *s,
                           const double *pm_row, size_t t);

/* The member who is task t's single point of failure (see above), or
 * (size_t)-1 when there is none. */
size_t rf_team_single_point(const struct rf_careers *c, const struct rf_team_spec *s,
                            const double *pm, size_t nm, size_t t);

/* Whether a hire at role h's required levels meets role r (see above). */
int rf_team_hire_meets(const struct rf_role *h, const struct rf_role *r);

/* One candidate hire. */
struct rf_team_hire {
    size_t role;       /* index into the careers roles */
    double gain;       /* rise of the mean deployment-role coverage */
    double task_gain;  /* rise of the summed task coverage */
};

/* Ranks every deployment role as the next hire, best first, into
 * out[s->nroles]. RF_ENOMEM only. */
rf_status rf_team_next_hires(const struct rf_careers *c, const struct rf_team_spec *s,
                             const double *pm, size_t nm, struct rf_team_hire *out,
                             struct rf_err *err);

/* Mean coverage over the spec's deployment roles. */
double rf_team_score(const struct rf_team_spec *s, const double *role_cov);

/* Everything the team view shows, computed once from the members' profiles. */
struct rf_team_view {
    size_t nm;                   /* members */
    double *pm;                  /* owned: p_mr, nm x the careers roles */
    int *measured;               /* owned: every core skill of r measured, nm x roles */
    double *role_cov, *task_cov; /* owned: per careers role, per taxonomy task */
    struct rf_team_hire *hires;  /* owned: every deployment role as the next hire, best first */
};

/* Builds the view of nm members with profiles prof[nm] (nm may be 0).
 * RF_ENOMEM only; on failure v is left empty. */
rf_status rf_team_view_build(const struct rf_careers *c, const struct rf_team_spec *s,
                             const struct rf_profile *prof, size_t nm, struct rf_team_view *v,
                             struct rf_err *err);
void rf_team_view_cleanup(struct rf_team_view *v);

/* The view as JSON: "members" (names[nm]); "roles", per deployment role its
 * coverage "prob", "call" (covered, undecided or not covered at the fit's
 * cuts), "unmeasured" (members whose tests did not measure its core skills)
 * and each member's "prob" and "measured"; "tasks", per lifecycle task its
 * coverage and "single_point" (the member's name, or null); "score" (mean
 * role coverage); "hires", every deployment role as the next hire, best
 * first, with its "gain", "task_gain" and what it "closes": the deployment
 * roles it meets that the team does not cover (coverage below the fit's
 * "covered" cut) and the lifecycle tasks whose coverage it raises. NULL on
 * allocation failure. */
json_t *rf_team_view_json(const struct rf_careers *c, const struct rf_team_spec *s,
                          const struct rf_team_view *v, const char *const *names);

#endif
