/* Self-reported group membership: the forwarders to the backend (groups.h). */
#include "store/groups.h"

#include <stdlib.h>
#include <string.h>

#include "store/backend.h"

void rf_store_group_report_cleanup(struct rf_group_report *g)
{
    for (size_t i = 0; i < RF_GROUP_NDIMS; i++)
        free(g->value[i]);
    memset(g, 0, sizeof *g);
}

rf_status rf_store_group_report_put(struct rf_store *s, const struct rf_group_report *g,
                                    struct rf_err *err)
{
    return s->ops->group_report_put(s, g, err);
}

rf_status rf_store_group_report_get(struct rf_store *s, int64_t candidate_id,
                                    struct rf_group_report *g, struct rf_err *err)
{
    memset(g, 0, sizeof *g);
    return s->ops->group_report_get(s, candidate_id, g, err);
}

rf_status rf_store_group_report_delete(struct rf_store *s, int64_t candidate_id, int *deleted,
                                       struct rf_err *err)
{
    int d = 0;
    rf_status rc = s->ops->group_report_delete(s, candidate_id, &d, err);
    if (deleted)
        *deleted = d;
    return rc;
}

rf_status rf_store_group_reports_list(struct rf_store *s, int64_t org_id,
                                      void (*fn)(void *ud, const struct rf_group_report *g),
                                      void *ud, struct rf_err *err)
{
    return s->ops->group_reports_list(s, org_id, fn, ud, err);
}
