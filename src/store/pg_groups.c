/*
 * The PostgreSQL backend (store_pg.c): self-reported group membership
 * (store/groups.h, issue 19), in its own table, read by nothing else.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/groups.h"
#include "store/lists.h"
#include "store/pg_int.h"

static rf_status pg_group_report_put(struct rf_store *bs, const struct rf_group_report *g,
                                     struct rf_err *err)
{
    int64_t changed = 0;
    rf_status rc = rf_pg_run1(
        rf_pg_of(bs), err, "store group report", &changed,
        "INSERT INTO group_reports(candidate_id, declined, gender, age_band, first_language, "
        "country, updated) SELECT id, $1::integer, $2::text, $3::text, $4::text, $5::text, "
        "$6::bigint FROM candidates WHERE id = $7::bigint "
        "ON CONFLICT (candidate_id) DO UPDATE SET declined = excluded.declined, "
        "gender = excluded.gender, age_band = excluded.age_band, "
        "first_language = excluded.first_language, country = excluded.country, "
        "updated = excluded.updated",
        "dttttii", g->declined ? 1 : 0, g->value[RF_GROUP_GENDER], g->value[RF_GROUP_AGE_BAND],
        g->value[RF_GROUP_FIRST_LANGUAGE], g->value[RF_GROUP_COUNTRY], rf_pg_now_s(),
        g->candidate_id);
    if (!rc && changed != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "candidate %lld not found", (long long)g->candidate_id);
    return rc;
}

#define GROUP_COLS "candidate_id, declined, updated, gender, age_band, first_language, country"

static rf_status group_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_group_report *g = out;
    int oom = 0;
    g->candidate_id = rf_pg_col_int(r, 0, 0, 0);
    g->declined = rf_pg_col_int(r, 0, 1, 0) != 0;
    g->updated = rf_pg_col_int(r, 0, 2, 0);
    for (int i = 0; i < RF_GROUP_NDIMS; i++)
        g->value[i] = rf_pg_col_text(r, 0, 3 + i, &oom);
    if (oom) {
        rf_store_group_report_cleanup(g);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_group_report_get(struct rf_store *bs, int64_t candidate_id,
                                     struct rf_group_report *g, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "group report", group_fn, g,
                         "SELECT " GROUP_COLS " FROM group_reports WHERE candidate_id = $1", "i",
                         candidate_id);
}

static rf_status pg_group_report_delete(struct rf_store *bs, int64_t candidate_id, int *deleted,
                                        struct rf_err *err)
{
    int64_t changed = 0;
    rf_status rc =
        rf_pg_run1(rf_pg_of(bs), err, "withdraw group report", &changed,
                   "DELETE FROM group_reports WHERE candidate_id = $1", "i", candidate_id);
    if (!rc)
        *deleted = changed > 0;
    return rc;
}

static rf_status pg_group_reports_list(struct rf_store *bs, int64_t org_id,
                                       void (*fn)(void *ud, const struct rf_group_report *g),
                                       void *ud, struct rf_err *err)
{
    struct rf_group_report g;
    memset(&g, 0, sizeof g);
    return rf_pg_list(rf_pg_of(bs), err, "group reports", group_fn, &g, &rf_store_read_group_report,
                      (void *)fn, ud,
                      "SELECT g.candidate_id, g.declined, g.updated, g.gender, g.age_band, "
                      "g.first_language, g.country FROM group_reports g "
                      "JOIN candidates c ON c.id = g.candidate_id "
                      "WHERE g.declined = 0 AND ($1::bigint = 0 OR c.org_id = $1::bigint) "
                      "ORDER BY g.candidate_id",
                      "i", org_id);
}

void rf_pg_groups_ops(struct rf_store_ops *ops)
{
    ops->group_report_put = pg_group_report_put;
    ops->group_report_get = pg_group_report_get;
    ops->group_report_delete = pg_group_report_delete;
    ops->group_reports_list = pg_group_reports_list;
}
