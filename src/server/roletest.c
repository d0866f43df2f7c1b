/* Role tests (see roletest.h). */
#include "server/roletest.h"

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
