/*
 * The SQLite backend (store_sqlite.c): self-reported group membership
 * (store/groups.h, issue 19), in its own table, read by nothing else.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/groups.h"
#include "store/lists.h"
#include "store/sqlite_int.h"

static rf_status sq_group_report_put(struct rf_store *bs, const struct rf_group_report *g,
                                     struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    rf_status rc = rf_sq_run(
        cn, err, "store group report",
        "INSERT INTO group_reports(candidate_id, declined, gender, age_band, first_language, "
        "country, updated) SELECT id, ?, ?, ?, ?, ?, ? FROM candidates WHERE id = ? "
        "ON CONFLICT(candidate_id) DO UPDATE SET declined = excluded.declined, "
        "gender = excluded.gender, age_band = excluded.age_band, "
        "first_language = excluded.first_language, country = excluded.country, "
        "updated = excluded.updated",
        "dttttii", g->declined ? 1 : 0, g->value[RF_GROUP_GENDER], g->value[RF_GROUP_AGE_BAND],
        g->value[RF_GROUP_FIRST_LANGUAGE], g->value[RF_GROUP_COUNTRY], rf_sq_now_s(),
        g->candidate_id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "candidate %lld not found", (long long)g->candidate_id);
    rf_sq_unlock(cn);
    return rc;
}

#define GROUP_COLS "candidate_id, declined, updated, gender, age_band, first_language, country"

static rf_status group_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_group_report *g = out;
    int oom = 0;
    g->candidate_id = sqlite3_column_int64(st, 0);
    g->declined = sqlite3_column_int(st, 1) != 0;
    g->updated = sqlite3_column_int64(st, 2);
    for (int i = 0; i < RF_GROUP_NDIMS; i++)
        g->value[i] = rf_sq_col_text(st, 3 + i, &oom);
    if (oom) {
        rf_store_group_report_cleanup(g);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_group_report_get(struct rf_store *bs, int64_t candidate_id,
                                     struct rf_group_report *g, struct rf_err *err)
{
    return rf_sq_get((struct sq_store *)bs, err, "group report", group_fn, g,
                     "SELECT " GROUP_COLS " FROM group_reports WHERE candidate_id = ?", "i",
                     candidate_id);
}

static rf_status sq_group_report_delete(struct rf_store *bs, int64_t candidate_id, int *deleted,
                                        struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    rf_status rc = rf_sq_run(cn, err, "withdraw group report",
                             "DELETE FROM group_reports WHERE candidate_id = ?", "i", candidate_id);
    if (!rc)
        *deleted = sqlite3_changes(cn->db) > 0;
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_group_reports_list(struct rf_store *bs, int64_t org_id,
                                       void (*fn)(void *ud, const struct rf_group_report *g),
                                       void *ud, struct rf_err *err)
{
    struct rf_group_report g;
    memset(&g, 0, sizeof g);
    return rf_sq_list((struct sq_store *)bs, err, "list group reports", group_fn, &g,
                      &rf_store_read_group_report, (void *)fn, ud,
                      "SELECT g.candidate_id, g.declined, g.updated, g.gender, g.age_band, "
                      "g.first_language, g.country FROM group_reports g "
                      "JOIN candidates c ON c.id = g.candidate_id "
                      "WHERE g.declined = 0 AND (? = 0 OR c.org_id = ?) ORDER BY g.candidate_id",
                      "ii", org_id, org_id);
}

void rf_sq_groups_ops(struct rf_store_ops *ops)
{
    ops->group_report_put = sq_group_report_put;
    ops->group_report_get = sq_group_report_get;
    ops->group_report_delete = sq_group_report_delete;
    ops->group_reports_list = sq_group_reports_list;
}
