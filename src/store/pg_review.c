/*
 * The PostgreSQL backend (store_pg.c): bank revisions, the active one (the
 * setting bank_revision), review runs and staff decisions (issue 19). A
 * revision is made or activated by one statement that updates the setting
 * only when it still names the expected revision: its row lock serializes
 * concurrent promotions across processes, and the loser changes nothing.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/lists.h"
#include "store/pg_int.h"

#define ACTIVE_SQL                                                                                 \
    "SELECT coalesce((SELECT value::bigint FROM settings WHERE key = 'bank_revision'), 0)"

static rf_status pg_bank_revision_active(struct rf_store *bs, int64_t *id, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "active bank revision", rf_pg_id_fn, id, ACTIVE_SQL,
                         "");
}

/* The setting row exists (the statements below lock and update it). */
static rf_status ensure_setting(struct rf_store *bs, struct rf_err *err)
{
    return rf_pg_run1(rf_pg_of(bs), err, "bank revision", NULL,
                      "INSERT INTO settings(key, value) VALUES ('bank_revision', '0') "
                      "ON CONFLICT (key) DO NOTHING",
                      "");
}

/* Why nothing was stored: the revision named does not exist, or the active
 * one is not the expected one. */
static rf_status refused(struct rf_store *bs, int64_t target, struct rf_err *err)
{
    int64_t n = 1, cur = 0;
    if (target)
        rf_pg_one_row(rf_pg_of(bs), NULL, "bank revision", rf_pg_id_fn, &n,
                      "SELECT count(*) FROM bank_revisions WHERE id = $1", "i", target);
    if (n == 0)
        return rf_err_set(err, RF_ENOTFOUND, "no bank revision %lld", (long long)target);
    rf_pg_one_row(rf_pg_of(bs), NULL, "active bank revision", rf_pg_id_fn, &cur, ACTIVE_SQL, "");
    return rf_err_set(err, RF_ECONFLICT,
                      "the bank changed meanwhile (revision %lld is active): reload and decide "
                      "again",
                      (long long)cur);
}

static rf_status pg_bank_revision_add(struct rf_store *bs, const struct rf_bank_revision *r,
                                      const struct rf_review_decision *d, int64_t *id,
                                      struct rf_err *err)
{
    rf_status rc = ensure_setting(bs, err);
    if (!rc)
        rc = rf_pg_one_row(
            rf_pg_of(bs), err, "bank revision", rf_pg_id_fn, id,
            "WITH up AS (UPDATE settings SET value = ((SELECT coalesce(max(id), 0) FROM "
            "bank_revisions) + 1)::text WHERE key = 'bank_revision' AND value::bigint = "
            "$1::bigint RETURNING value::bigint AS id), "
            "ins AS (INSERT INTO bank_revisions(id, parent, overlay, summary, created_by, "
            "created) SELECT id, $1::bigint, $2::text, $3::text, $4::bigint, $5::bigint FROM up "
            "RETURNING id) "
            "INSERT INTO review_decisions(item_id, action, revision, run_id, note, user_id, at) "
            "SELECT $6::text, $7::text, id, $8::bigint, $9::text, $4::bigint, $5::bigint FROM ins "
            "RETURNING revision",
            "ittnittnt", r->parent, r->overlay, r->summary, r->created_by, rf_pg_now_s(), d->item,
            d->action, d->run_id, d->note ? d->note : "");
    return rc == RF_ENOTFOUND ? refused(bs, 0, err) : rc;
}

static rf_status pg_bank_revision_activate(struct rf_store *bs, int64_t expected,
                                           const struct rf_review_decision *d, struct rf_err *err)
{
    int64_t id = 0;
    rf_status rc = ensure_setting(bs, err);
    if (!rc)
        rc = rf_pg_one_row(
            rf_pg_of(bs), err, "bank revision", rf_pg_id_fn, &id,
            "WITH up AS (UPDATE settings SET value = $2::bigint::text WHERE key = "
            "'bank_revision' AND value::bigint = $1::bigint AND ($2::bigint = 0 OR EXISTS "
            "(SELECT 1 FROM bank_revisions WHERE id = $2::bigint)) RETURNING 1) "
            "INSERT INTO review_decisions(item_id, action, revision, run_id, note, user_id, at) "
            "SELECT $3::text, $4::text, $2::bigint, $5::bigint, $6::text, $7::bigint, $8::bigint "
            "FROM up RETURNING id",
            "iittntni", expected, d->revision, d->item, d->action, d->run_id,
            d->note ? d->note : "", d->user_id, rf_pg_now_s());
    return rc == RF_ENOTFOUND ? refused(bs, d->revision, err) : rc;
}

#define REVISION_COLS "id, parent, coalesce(created_by, 0), created, overlay, summary"

static rf_status revision_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_bank_revision *v = out;
    int oom = 0;
    v->id = rf_pg_col_int(r, 0, 0, 0);
    v->parent = rf_pg_col_int(r, 0, 1, 0);
    v->created_by = rf_pg_col_int(r, 0, 2, 0);
    v->created = rf_pg_col_int(r, 0, 3, 0);
    v->overlay = rf_pg_col_text(r, 0, 4, &oom);
    v->summary = rf_pg_col_text(r, 0, 5, &oom);
    if (oom || !v->overlay || !v->summary) {
        rf_store_bank_revision_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_bank_revision_get(struct rf_store *bs, int64_t id, struct rf_bank_revision *r,
                                      struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    return rf_pg_one_row(rf_pg_of(bs), err, "bank revision", revision_fn, r,
                         "SELECT " REVISION_COLS " FROM bank_revisions WHERE id = $1", "i", id);
}

static rf_status pg_bank_revisions_list(struct rf_store *bs,
                                        void (*fn)(void *ud, const struct rf_bank_revision *r),
                                        void *ud, struct rf_err *err)
{
    struct rf_bank_revision r;
    memset(&r, 0, sizeof r);
    return rf_pg_list(rf_pg_of(bs), err, "bank revisions", revision_fn, &r,
                      &rf_store_read_bank_revision, (void *)fn, ud,
                      "SELECT " REVISION_COLS " FROM bank_revisions ORDER BY id DESC", "");
}

static rf_status pg_review_decision_add(struct rf_store *bs, const struct rf_review_decision *d,
                                        int64_t *id, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "record review decision", rf_pg_id_fn, id,
                         "INSERT INTO review_decisions(item_id, action, revision, run_id, note, "
                         "user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                         "ttintni", d->item, d->action, d->revision, d->run_id,
                         d->note ? d->note : "", d->user_id, rf_pg_now_s());
}

static rf_status decision_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_review_decision *d = out;
    int oom = 0;
    d->id = rf_pg_col_int(r, 0, 0, 0);
    d->revision = rf_pg_col_int(r, 0, 1, 0);
    d->run_id = rf_pg_col_int(r, 0, 2, 0);
    d->user_id = rf_pg_col_int(r, 0, 3, 0);
    d->at = rf_pg_col_int(r, 0, 4, 0);
    d->item = rf_pg_col_text(r, 0, 5, &oom);
    d->action = rf_pg_col_text(r, 0, 6, &oom);
    d->note = rf_pg_col_text(r, 0, 7, &oom);
    if (oom || !d->action || !d->note) {
        rf_store_review_decision_cleanup(d);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_review_decisions_list(struct rf_store *bs,
                                          void (*fn)(void *ud, const struct rf_review_decision *d),
                                          void *ud, struct rf_err *err)
{
    struct rf_review_decision d;
    memset(&d, 0, sizeof d);
    return rf_pg_list(rf_pg_of(bs), err, "review decisions", decision_fn, &d,
                      &rf_store_read_review_decision, (void *)fn, ud,
                      "SELECT id, revision, coalesce(run_id, 0), coalesce(user_id, 0), at, "
                      "item_id, action, note FROM review_decisions ORDER BY id DESC",
                      "");
}

static rf_status pg_review_run_add(struct rf_store *bs, const struct rf_review_run *r, int64_t *id,
                                   struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "store review run", rf_pg_id_fn, id,
                         "INSERT INTO review_runs(kind, revision, result, created_by, created) "
                         "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                         "titni", r->kind, r->revision, r->result, r->created_by, rf_pg_now_s());
}

static rf_status run_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_review_run *v = out;
    int oom = 0;
    v->id = rf_pg_col_int(r, 0, 0, 0);
    v->revision = rf_pg_col_int(r, 0, 1, 0);
    v->created_by = rf_pg_col_int(r, 0, 2, 0);
    v->created = rf_pg_col_int(r, 0, 3, 0);
    v->kind = rf_pg_col_text(r, 0, 4, &oom);
    v->result = rf_pg_col_text(r, 0, 5, &oom);
    if (oom || !v->kind || !v->result) {
        rf_store_review_run_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_review_run_latest(struct rf_store *bs, const char *kind,
                                      struct rf_review_run *r, struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    return rf_pg_one_row(rf_pg_of(bs), err, "review run", run_fn, r,
                         "SELECT id, revision, coalesce(created_by, 0), created, kind, result "
                         "FROM review_runs WHERE kind = $1 ORDER BY id DESC LIMIT 1",
                         "t", kind);
}

void rf_pg_review_ops(struct rf_store_ops *ops)
{
    ops->bank_revision_active = pg_bank_revision_active;
    ops->bank_revision_add = pg_bank_revision_add;
    ops->bank_revision_activate = pg_bank_revision_activate;
    ops->bank_revision_get = pg_bank_revision_get;
    ops->bank_revisions_list = pg_bank_revisions_list;
    ops->review_decision_add = pg_review_decision_add;
    ops->review_decisions_list = pg_review_decisions_list;
    ops->review_run_add = pg_review_run_add;
    ops->review_run_latest = pg_review_run_latest;
}
