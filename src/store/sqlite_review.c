/*
 * The SQLite backend (store_sqlite.c): bank revisions, the active one (the
 * setting bank_revision), review runs and staff decisions (issue 19).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/lists.h"
#include "store/sqlite_int.h"

#define ACTIVE_SQL                                                                                 \
    "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'bank_revision'), "  \
    "0)"

static rf_status sq_bank_revision_active(struct rf_store *bs, int64_t *id, struct rf_err *err)
{
    return rf_sq_get((struct sq_store *)bs, err, "active bank revision", rf_sq_count_fn, id,
                     ACTIVE_SQL, "");
}

/* Inside a write transaction: the active revision is expected (else
 * RF_ECONFLICT); then it becomes target. */
static rf_status swap_active(struct conn *cn, int64_t expected, int64_t target, struct rf_err *err)
{
    int64_t cur = 0;
    rf_status rc = rf_sq_one_row(cn, rf_sq_query(cn, err, ACTIVE_SQL, ""), "active bank revision",
                                 rf_sq_count_fn, &cur, err);
    if (!rc && cur != expected)
        rc = rf_err_set(err, RF_ECONFLICT,
                        "the bank changed meanwhile (revision %lld is active, not %lld): reload "
                        "and decide again",
                        (long long)cur, (long long)expected);
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)target);
    if (!rc)
        rc = rf_sq_run(cn, err, "activate bank revision",
                       "INSERT INTO settings(key, value) VALUES ('bank_revision', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       "t", v);
    return rc;
}

static rf_status insert_decision(struct conn *cn, const struct rf_review_decision *d,
                                 int64_t revision, struct rf_err *err)
{
    return rf_sq_run(cn, err, "record review decision",
                     "INSERT INTO review_decisions(item_id, action, revision, run_id, note, "
                     "user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     "ttintni", d->item, d->action, revision, d->run_id, d->note ? d->note : "",
                     d->user_id, rf_sq_now_s());
}

/* Ends the transaction of cn: COMMIT when rc is RF_OK, else ROLLBACK. */
static rf_status finish(struct conn *cn, rf_status rc, struct rf_err *err)
{
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_bank_revision_add(struct rf_store *bs, const struct rf_bank_revision *r,
                                      const struct rf_review_decision *d, int64_t *id,
                                      struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    int64_t next = 0;
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = rf_sq_one_row(
            cn, rf_sq_query(cn, err, "SELECT coalesce(max(id), 0) + 1 FROM bank_revisions", ""),
            "bank revision", rf_sq_count_fn, &next, err);
    if (!rc)
        rc = swap_active(cn, r->parent, next, err);
    if (!rc)
        rc = rf_sq_run(cn, err, "store bank revision",
                       "INSERT INTO bank_revisions(id, parent, overlay, summary, created_by, "
                       "created) VALUES (?, ?, ?, ?, ?, ?)",
                       "iittni", next, r->parent, r->overlay, r->summary, r->created_by,
                       rf_sq_now_s());
    if (!rc)
        rc = insert_decision(cn, d, next, err);
    if (!rc)
        *id = next;
    return finish(cn, rc, err);
}

static rf_status sq_bank_revision_activate(struct rf_store *bs, int64_t expected,
                                           const struct rf_review_decision *d, struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    int64_t n = 1;
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc && d->revision != 0)
        rc = rf_sq_one_row(cn,
                           rf_sq_query(cn, err, "SELECT count(*) FROM bank_revisions WHERE id = ?",
                                       "i", d->revision),
                           "bank revision", rf_sq_count_fn, &n, err);
    if (!rc && n == 0)
        rc = rf_err_set(err, RF_ENOTFOUND, "no bank revision %lld", (long long)d->revision);
    if (!rc)
        rc = swap_active(cn, expected, d->revision, err);
    if (!rc)
        rc = insert_decision(cn, d, d->revision, err);
    return finish(cn, rc, err);
}

#define REVISION_COLS "id, parent, coalesce(created_by, 0), created, overlay, summary"

static rf_status revision_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_bank_revision *r = out;
    int oom = 0;
    r->id = sqlite3_column_int64(st, 0);
    r->parent = sqlite3_column_int64(st, 1);
    r->created_by = sqlite3_column_int64(st, 2);
    r->created = sqlite3_column_int64(st, 3);
    r->overlay = rf_sq_col_text(st, 4, &oom);
    r->summary = rf_sq_col_text(st, 5, &oom);
    if (oom || !r->overlay || !r->summary) {
        rf_store_bank_revision_cleanup(r);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_bank_revision_get(struct rf_store *bs, int64_t id, struct rf_bank_revision *r,
                                      struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    return rf_sq_get((struct sq_store *)bs, err, "bank revision", revision_fn, r,
                     "SELECT " REVISION_COLS " FROM bank_revisions WHERE id = ?", "i", id);
}

static rf_status sq_bank_revisions_list(struct rf_store *bs,
                                        void (*fn)(void *ud, const struct rf_bank_revision *r),
                                        void *ud, struct rf_err *err)
{
    struct rf_bank_revision r;
    memset(&r, 0, sizeof r);
    return rf_sq_list((struct sq_store *)bs, err, "list bank revisions", revision_fn, &r,
                      &rf_store_read_bank_revision, (void *)fn, ud,
                      "SELECT " REVISION_COLS " FROM bank_revisions ORDER BY id DESC", "");
}

static rf_status sq_review_decision_add(struct rf_store *bs, const struct rf_review_decision *d,
                                        int64_t *id, struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    rf_status rc = insert_decision(cn, d, d->revision, err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status decision_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_review_decision *d = out;
    int oom = 0;
    d->id = sqlite3_column_int64(st, 0);
    d->revision = sqlite3_column_int64(st, 1);
    d->run_id = sqlite3_column_int64(st, 2);
    d->user_id = sqlite3_column_int64(st, 3);
    d->at = sqlite3_column_int64(st, 4);
    d->item = rf_sq_col_text(st, 5, &oom);
    d->action = rf_sq_col_text(st, 6, &oom);
    d->note = rf_sq_col_text(st, 7, &oom);
    if (oom || !d->action || !d->note) {
        rf_store_review_decision_cleanup(d);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_review_decisions_list(struct rf_store *bs,
                                          void (*fn)(void *ud, const struct rf_review_decision *d),
                                          void *ud, struct rf_err *err)
{
    struct rf_review_decision d;
    memset(&d, 0, sizeof d);
    return rf_sq_list((struct sq_store *)bs, err, "list review decisions", decision_fn, &d,
                      &rf_store_read_review_decision, (void *)fn, ud,
                      "SELECT id, revision, coalesce(run_id, 0), coalesce(user_id, 0), at, "
                      "item_id, action, note FROM review_decisions ORDER BY id DESC",
                      "");
}

static rf_status sq_review_run_add(struct rf_store *bs, const struct rf_review_run *r, int64_t *id,
                                   struct rf_err *err)
{
    struct conn *cn = rf_sq_wlock((struct sq_store *)bs);
    rf_status rc =
        rf_sq_run(cn, err, "store review run",
                  "INSERT INTO review_runs(kind, revision, result, created_by, created) "
                  "VALUES (?, ?, ?, ?, ?)",
                  "titni", r->kind, r->revision, r->result, r->created_by, rf_sq_now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status run_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_review_run *r = out;
    int oom = 0;
    r->id = sqlite3_column_int64(st, 0);
    r->revision = sqlite3_column_int64(st, 1);
    r->created_by = sqlite3_column_int64(st, 2);
    r->created = sqlite3_column_int64(st, 3);
    r->kind = rf_sq_col_text(st, 4, &oom);
    r->result = rf_sq_col_text(st, 5, &oom);
    if (oom || !r->kind || !r->result) {
        rf_store_review_run_cleanup(r);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_review_run_latest(struct rf_store *bs, const char *kind,
                                      struct rf_review_run *r, struct rf_err *err)
{
    memset(r, 0, sizeof *r);
    return rf_sq_get((struct sq_store *)bs, err, "review run", run_fn, r,
                     "SELECT id, revision, coalesce(created_by, 0), created, kind, result "
                     "FROM review_runs WHERE kind = ? ORDER BY id DESC LIMIT 1",
                     "t", kind);
}

void rf_sq_review_ops(struct rf_store_ops *ops)
{
    ops->bank_revision_active = sq_bank_revision_active;
    ops->bank_revision_add = sq_bank_revision_add;
    ops->bank_revision_activate = sq_bank_revision_activate;
    ops->bank_revision_get = sq_bank_revision_get;
    ops->bank_revisions_list = sq_bank_revisions_list;
    ops->review_decision_add = sq_review_decision_add;
    ops->review_decisions_list = sq_review_decisions_list;
    ops->review_run_add = sq_review_run_add;
    ops->review_run_latest = sq_review_run_latest;
}
