/*
 * Role fit from a profile (DESIGN.md "Roles"): for each requirement k of a
 * role, p_k = P(theta_k >= cut_k) under the skill's posterior; the role's
 * fit is sum_k w_k p_k (weights sum to 1); P(all core met) is, for a profile
 * with a model prior (profile.h), the exact joint probability over the
 * measured core skills (irt/hier.h: not a product of marginals, the skills
 * correlate through g) times the prior tails of unmeasured core skills; for
 * a profile without one, the product of p_k (independent skills). A skill the
 * profile does not have counts with the prior N(0, 1), and is flagged
 * unmeasured so that reports can say so; it is never counted as 0 or as met.
 *
 * Uncertainty of the fit: the fraction of the role's weight actually met,
 * M = sum_k w_k 1[theta_k >= cut_k], has mean fit and, with independent
 * skills, SD sqrt(sum_k w_k^2 p_k (1 - p_k)). That SD is what reports show
 * as the fit's error bar.
 *
 * Gaps of a role are its requirements ordered by w_k (1 - p_k), largest
 * first; a requirement whose p_k reaches RF_FIT_MET is not a gap.
 */
#ifndef RF_CAREERS_FIT_H
#define RF_CAREERS_FIT_H

#include <stddef.h>

#include "base/err.h"
#include "careers/profile.h"
#include "careers/roles.h"

/* The call on one requirement: meets (p >= RF_FIT_MET), below (p <=
 * RF_FIT_BELOW), undecided in between, or not measured (no evidence: no call).
 * A profile whose prior makes skills load on g with *assumed* loadings (the
 * documented default, not calibrated: careers/profile.h "model") is read
 * twice: with its prior (p) and with the same prior but independent skills
 * (p_unloaded, every loading 0). A call is made only when both readings make
 * it: meets when both are at least RF_FIT_MET, below when both are at most
 * RF_FIT_BELOW (docs/careers.md "Calls that do not rest on assumed
 * loadings"): a loading nobody has estimated may shape P, not carry a call
 * alone. With calibrated loadings, or none, p_unloaded is p. */
enum rf_call { RF_CALL_UNDECIDED = 0, RF_CALL_MEETS, RF_CALL_BELOW, RF_CALL_NOT_MEASURED };

/* "meets", "below", "undecided", "not measured". */
const char *rf_call_name(enum rf_call c);

/* One requirement of a role, evaluated for one profile. */
struct rf_req_fit {
    const struct rf_role_req *req;       /* borrowed from the role */
    const struct rf_profile_skill *have; /* borrowed from the profile; NULL: not measured */
    double p;                            /* P(theta >= cut) */
    double p_unloaded; /* the same with every loading 0 (see above); p when the loadings
                          are calibrated or there are none */
    double gap;                          /* w (1 - p) */
    enum rf_call call;
    double p_wrong; /* chance the call is wrong, under the reading less sure of it:
                       1 - min(p, p_unloaded) (meets), max(p, p_unloaded) (below); undecided and not
                       measured: min(p, 1 - p), what either call would risk */
};

/* One role evaluated for one profile. */
struct rf_role_fit {
    const struct rf_role *role; /* borrowed */
    double fit;                 /* sum_k w_k p_k, in [0, 1] */
    double sd;                  /* SD of the met weight fraction (see above) */
    double p_core;              /* P(every core requirement met) */
    double measured;            /* share of the role's weight on measured skills, [0, 1] */
    double fit_measured;        /* sum of w_k p_k over measured requirements / their weight
                                 * (0 when none is measured): fit on what was measured */
    double p_core_measured;     /* P(every measured core requirement met); 1 when none is */
    size_t ncore_measured;      /* core requirements on measured skills */
    size_t nunmeasured;         /* requirements on skills the profile lacks */
    struct rf_req_fit *reqs;    /* owned, one per role requirement, in the role's order */
    size_t nreqs;
};

/* Evaluates role for profile p (both borrowed; they must outlive out).
 * RF_ENOMEM only. */
rf_status rf_fit_role(const struct rf_profile *p, const struct rf_roles *roles,
                      const struct rf_role *role, struct rf_role_fit *out, struct rf_err *err);

void rf_fit_cleanup(struct rf_role_fit *f);

/* Evaluates every role; *out receives roles->n fits ordered by fit (highest
 * first, ties by P(core) then role order). Free with rf_fit_free_all. */
rf_status rf_fit_all(const struct rf_profile *p, const struct rf_roles *roles,
                     struct rf_role_fit **out, struct rf_err *err);
void rf_fit_free_all(struct rf_role_fit *fits, size_t n);

/* The gaps of f: indices into f->reqs of requirements with p < RF_FIT_MET,
 * ordered by gap (largest first). idx must hold f->nreqs entries; returns
 * how many were written. */
size_t rf_fit_gaps(const struct rf_role_fit *f, size_t *idx);

/* Whether requirement rq blocks its role for this profile: it is core and
 * P(theta >= cut) < RF_FIT_BLOCK. */
int rf_fit_blocks(const struct rf_req_fit *rq);

#endif
