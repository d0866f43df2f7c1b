/* Role tests (see roletest.h). */
#include "server/roletest.h"

#include <stdint.h>

#include "bank/skills.h"
#include "base/config.h"
#include "careers/closest.h"

rf_status rf_roletest_add_classes(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                  const struct rf_roles *roles, struct rf_err *err)
{
    const char *skills[RF_CAT_MAX_SCOPE];
    for (size_t j = 0; j < d->nscope; j++)
        skills[j] = p->skills[d->scope[j]];
    for (size_t c = 0; c < roles->n; c++) {
        double mu[RF_CAT_MAX_SCOPE], tau[RF_CAT_MAX_SCOPE];
        struct rf_cat_class_skill dist[RF_CAT_MAX_SCOPE];
        rf_closest_role_dists(roles, &roles->roles[c], skills, d->nscope, mu, tau);
        for (size_t j = 0; j < d->nscope; j++)
            dist[j] = (struct rf_cat_class_skill){mu[j], tau[j]};
        rf_status rc = rf_cat_design_add_class(d, dist, err);
        if (rc)
            return rc;
    }
    return RF_OK;
}

/* Whether some role of roles requires taxonomy skill k. */
static int required(const struct rf_roles *roles, size_t k)
{
    for (size_t i = 0; i < roles->n; i++)
        if (rf_role_req_find(&roles->roles[i], k))
            return 1;
    return 0;
}

rf_status rf_roletest_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                             const struct rf_roles *roles, const struct rf_role *role,
                             struct rf_err *err)
{
    rf_cat_design_init(d);
    d->max_items = role ? RF_WEB_ROLE_MAX_ITEMS : RF_WEB_FIND_MAX_ITEMS;
    /* A broad test rarely reaches the SE target within the limit: use every
     * item the limit allows rather than stop early. */
    d->stop_unreachable = 0;
    struct rf_cat_rule rule = {RF_CAT_DEFAULT_SE,
                               role ? RF_WEB_MIN_PER_SKILL : RF_WEB_FIND_MIN_PER_SKILL,
                               role ? RF_WEB_ROLE_MAX_ITEMS : RF_WEB_FIND_MAX_ITEMS};
    const struct rf_taxonomy *tax = roles->tax;
    for (size_t k = 0; k < tax->nskills; k++) {
        size_t ps;
        if (role ? !rf_role_req_find(role, k) : !required(roles, k))
            continue;
        /* A find-my-role test skips skills the bank has no items for. */
        if (!role && (rf_cat_pool_skill(p, tax->skills[k].id, &ps) || p->nusable[ps] == 0))
            continue;
        rf_status rc = rf_cat_design_add(d, p, tax->skills[k].id, rule, err);
        if (rc)
            return rc == RF_ENOTFOUND ? RF_EINVAL : rc;
        /* A role test decides its requirements: a skill finishes once
         * P(meets its cut) is at least RF_ROLETEST_DECIDE_P or at most 1
         * minus it, so the items go where a call is still undecided (docs/cat.md
         * "Deciding as a stopping rule"). */
        if (role) {
            d->decide[d->nscope - 1] = 1;
            d->cut[d->nscope - 1] = rf_role_req_find(role, k)->cut;
        }
        /* The higher-order prior: the skill's loading (assumed or calibrated).
         * Role tests only for now: with it, find my role's probabilities
         * (whose evidence is unchanged) drifted past the 8-point calibration
         * check of tests/server/test_role_sim.c (said 0.579, right 0.660 on
         * the generated bank), through the items the model's marginals pick;
         * find my role keeps the independent prior until that is understood. */
        if (role) {
            d->lambda[d->nscope - 1] = tax->skills[k].loading;
            d->loadings_assumed |= !tax->skills[k].loading_calibrated;
        }
    }
    if (d->nscope == 0)
        return rf_err_set(err, RF_EINVAL, "no skill of the roles has items in the bank");
    d->decide_p = role ? RF_ROLETEST_DECIDE_P : 0;
    /* Find my role: once a role is clear, measure what its plan needs. A
     * role test measures its own role's skills throughout. */
    d->class_focus = role == NULL;
    rf_status rc = rf_roletest_add_classes(d, p, roles, err);
    /* A role test's takers are partly the role's people: its class joins the
     * population in the prior (docs/careers.md "Priors for the people who
     * test"). */
    if (!rc && role && RF_ROLETEST_PRIOR_WEIGHT > 0) {
        d->prior_class = (size_t)(role - roles->roles);
        d->prior_weight = RF_ROLETEST_PRIOR_WEIGHT;
    }
    /* Find my role's takers may be any role's people: every role's class
     * joins the population, the weight shared equally among the roles. No
     * role is presumed (closest roles keep even odds among them). */
    if (!rc && !role && RF_FINDROLE_PRIOR_WEIGHT > 0) {
        d->prior_all = 1;
        d->prior_weight = RF_FINDROLE_PRIOR_WEIGHT;
    }
    return rc;
}

rf_status rf_roletest_confirm(struct rf_cat_design *d, const struct rf_cat_pool *p,
                              const struct rf_roles *roles, const struct rf_role *const *lead,
                              size_t nlead, size_t max_items, struct rf_err *err)
{
    if (!rf_cat_design_has_model(d))
        return rf_err_set(err, RF_EINVAL,
                          "confirm stage: find my role's design has no model prior to carry "
                          "its answers with");
    if (nlead == 0)
        return rf_err_set(err, RF_EINVAL, "confirm stage: no role to confirm");
    if (max_items == 0 || max_items > RF_CAT_MAX_ITEMS)
        return rf_err_set(err, RF_EINVAL, "confirm stage: at most 1 to %d items, not %zu",
                          RF_CAT_MAX_ITEMS, max_items);
    d->max_items = max_items;
    d->class_focus = 0;
    d->stop_unreachable = 0;
    d->decide_p = RF_ROLETEST_DECIDE_P;
    d->decide_after = 0;
    d->nreqs = 0;
    for (size_t j = 0; j < d->nscope; j++) {
        d->decide[j] = 0;
        d->rule[j].min = 0;
        d->rule[j].max = RF_CONFIRM_MAX_PER_SKILL;
    }
    for (size_t l = 0; l < nlead; l++)
        for (size_t r = 0; r < lead[l]->nreqs; r++) {
            const struct rf_role_req *q = &lead[l]->reqs[r];
            size_t j = 0, ps;
            if (q->skill >= roles->tax->nskills ||
                rf_cat_pool_skill(p, roles->tax->skills[q->skill].id, &ps))
                continue;
            while (j < d->nscope && d->scope[j] != ps)
                j++;
            size_t k = 0;
            while (k < d->nreqs && !(d->req_skill[k] == j && d->req_cut[k] == q->cut))
                k++;
            if (j == d->nscope || k < d->nreqs)
                continue;
            if (d->nreqs == RF_CAT_MAX_REQS)
                return rf_err_set(err, RF_ETOOBIG, "confirm stage: more than %d requirements",
                                  RF_CAT_MAX_REQS);
            d->req_skill[d->nreqs] = j;
            d->req_cut[d->nreqs++] = q->cut;
        }
    if (d->nreqs == 0)
        return rf_err_set(err, RF_EINVAL,
                          "confirm stage: no requirement of the role has items in the bank");
    return rf_cat_design_check(d, p, err);
}

rf_status rf_roletest_confirm_named(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                    const struct rf_roles *roles, const struct rf_role *role,
                                    size_t max_items, struct rf_err *err)
{
    if (!role || role < roles->roles || role >= roles->roles + roles->n)
        return rf_err_set(err, RF_EINVAL, "confirm stage: the named role is not one of the roles");
    size_t c = (size_t)(role - roles->roles);
    if (c >= d->nclasses)
        return rf_err_set(err, RF_EINVAL, "confirm stage: no class for role '%s'", role->id);
    rf_status rc = rf_roletest_confirm(d, p, roles, &role, 1, max_items, err);
    if (rc)
        return rc;
    const struct rf_taxonomy *tax = roles->tax;
    d->loadings_assumed = 0;
    for (size_t j = 0; j < d->nscope; j++) {
        size_t k;
        d->lambda[j] = 0;
        if (rf_taxonomy_find(tax, p->skills[d->scope[j]], &k) || !rf_role_req_find(role, k))
            continue;
        d->lambda[j] = tax->skills[k].loading;
        d->loadings_assumed |= !tax->skills[k].loading_calibrated;
    }
    d->prior_all = 0;
    d->prior_class = c;
    d->prior_weight = RF_ROLETEST_PRIOR_WEIGHT;
    return rf_cat_design_check(d, p, err);
}

rf_status rf_roletest_profile(const struct rf_cat_session *s, const struct rf_roles *roles,
                              struct rf_profile *pr, size_t *idx, struct rf_err *err)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        if (idx)
            idx[j] = SIZE_MAX;
        if (r.items == 0) /* no question asked: not measured, left to the prior */
            continue;
        size_t k;
        rf_status rc = rf_profile_add_posterior(pr, p->skills[d->scope[j]], r.items, r.posterior,
                                                &k, err);
        if (rc)
            return rc;
        if (idx)
            idx[j] = k;
        if ((rc = rf_profile_set_random(pr, k, r.random_lbf, err)))
            return rc;
        if (rf_cat_design_has_model(d)) { /* the evidence, so that follow-ups stay exact */
            double ll[RF_QUAD_MAX_N];
            rf_cat_skill_loglik(s, j, ll);
            if ((rc = rf_profile_set_loglik(pr, k, ll, err)))
                return rc;
        }
    }
    if (!rf_cat_design_has_model(d))
        return RF_OK;
    const char *ids[RF_CAT_MAX_SCOPE];
    for (size_t j = 0; j < d->nscope; j++)
        ids[j] = p->skills[d->scope[j]];
    struct rf_hier_spec sp;
    rf_cat_design_prior(d, &sp);
    rf_status rc = rf_profile_set_model(pr, ids, d->nscope, &sp, d->loadings_assumed, err);
    if (!rc && sp.ncomp > 1 && !d->prior_all && roles && d->prior_class < roles->n)
        rc = rf_profile_set_model_role(pr, roles->roles[d->prior_class].id, err);
    return rc;
}
