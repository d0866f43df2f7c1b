/*
 * The SQLite backend (store_sqlite.c): invites and resume codes, ranking of
 * finished tests, postings and their edits, bank versions.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "store/sqlite_int.h"
/* ---- invites ---- */

static rf_status sq_invite_create(struct rf_store *bs, const char *token_hash,
                                  const struct rf_invite *v, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "create invite",
                             "INSERT INTO invites(token_hash, org_id, posting_id, role, label, "
                             "created_by, created, expires, topup_of, skills) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             "tinttniint", token_hash, v->org_id, v->posting_id, v->role, v->label,
                             v->created_by, rf_sq_now_s(), v->expires, v->topup_of, v->skills);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

#define INVITE_COLS                                                                                \
    "id, org_id, coalesce(posting_id, 0), coalesce(created_by, 0), coalesce(candidate_id, 0), "    \
    "role, label, created, expires, coalesce(topup_of, 0), skills, resume_hash, resume_fails, "    \
    "resume_fail_at"

static rf_status invite_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_invite *v = out;
    int oom = 0;
    v->id = sqlite3_column_int64(st, 0);
    v->org_id = sqlite3_column_int64(st, 1);
    v->posting_id = sqlite3_column_int64(st, 2);
    v->created_by = sqlite3_column_int64(st, 3);
    v->candidate_id = sqlite3_column_int64(st, 4);
    v->role = rf_sq_col_text(st, 5, &oom);
    v->label = rf_sq_col_text(st, 6, &oom);
    v->created = sqlite3_column_int64(st, 7);
    v->expires = sqlite3_column_int64(st, 8);
    v->topup_of = sqlite3_column_int64(st, 9);
    v->skills = rf_sq_col_text(st, 10, &oom);
    v->resume_hash = rf_sq_col_text(st, 11, &oom);
    v->resume_fails = sqlite3_column_int64(st, 12);
    v->resume_fail_at = sqlite3_column_int64(st, 13);
    if (oom) {
        rf_store_invite_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_invite_by_token(struct rf_store *bs, const char *token_hash,
                                    struct rf_invite *v, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(v, 0, sizeof *v);
    return rf_sq_get(s, err, "invite", invite_fn, v,
                     "SELECT " INVITE_COLS " FROM invites WHERE token_hash = ?", "t", token_hash);
}

static rf_status sq_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(v, 0, sizeof *v);
    return rf_sq_get(s, err, "invite", invite_fn, v,
                     "SELECT " INVITE_COLS " FROM invites WHERE id = ?", "i", id);
}

static rf_status sq_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "claim invite",
                  "UPDATE invites SET candidate_id = ? WHERE id = ? AND candidate_id IS NULL", "ii",
                  candidate_id, invite_id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite has already been used");
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                   struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "unclaim invite",
                  "UPDATE invites SET candidate_id = NULL WHERE id = ? AND candidate_id = ?", "ii",
                  invite_id, candidate_id);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                      struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "set resume code",
                             "UPDATE invites SET resume_hash = ?, resume_fails = 0 WHERE id = ?",
                             "ti", hash, invite_id);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok,
                                         int64_t now, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        ok ? rf_sq_run(cn, err, "resume code", "UPDATE invites SET resume_fails = 0 WHERE id = ?",
                       "i", invite_id)
           : rf_sq_run(cn, err, "resume code",
                       "UPDATE invites SET resume_fails = resume_fails + 1, resume_fail_at = ? "
                       "WHERE id = ?",
                       "ii", now, invite_id);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_invites_list(struct rf_store *bs, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                 struct rf_err *err)
{
    struct rf_invite v;
    memset(&v, 0, sizeof v);
    return rf_sq_list(
        (struct sq_store *)bs, err, "invites", invite_fn, &v, &rf_store_read_invite, (void *)fn, ud,
        "SELECT " INVITE_COLS " FROM invites WHERE org_id = ? ORDER BY id DESC", "i", org_id);
}

/* What ranking reads of a row: borrowed from the statement, valid until its next step. */
static rf_status ranked_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_store_ranked *t = out;
    t->id = sqlite3_column_int64(st, 0);
    t->candidate_id = sqlite3_column_int64(st, 1);
    t->posting_id = sqlite3_column_int64(st, 2);
    t->invite_id = sqlite3_column_int64(st, 3);
    t->finished = sqlite3_column_int64(st, 4);
    t->label = (const char *)sqlite3_column_text(st, 5);
    t->summary = sqlite3_column_blob(st, 6);
    t->nsummary = t->summary ? (size_t)sqlite3_column_bytes(st, 6) : 0;
    t->profile = (const char *)sqlite3_column_text(st, 7);
    t->packed = sqlite3_column_blob(st, 8);
    t->npacked = t->packed ? (size_t)sqlite3_column_bytes(st, 8) : 0;
    /* NULL for a value that is there: SQLite ran out of memory */
    if ((!t->label && sqlite3_column_type(st, 5) != SQLITE_NULL) ||
        (!t->summary && sqlite3_column_type(st, 6) != SQLITE_NULL && sqlite3_column_bytes(st, 6)) ||
        (!t->profile && sqlite3_column_type(st, 7) != SQLITE_NULL) ||
        (!t->packed && sqlite3_column_type(st, 8) != SQLITE_NULL && sqlite3_column_bytes(st, 8)))
        return rf_err_set(err, RF_ENOMEM, "store: ranking: out of memory");
    return RF_OK;
}

/* The scan walks tests_ranked (organization, status, id) and reads a test's
 * row (the deferred seek: only when a column of it is evaluated) for the
 * tests without a kept fit. */
#define RANKED_COLS                                                                                \
    "t.id, t.candidate_id, coalesce(t.posting_id, 0), coalesce(t.invite_id, 0), "                  \
    "coalesce(f.finished, t.updated), i.label, f.summary, "                                        \
    "CASE WHEN f.summary IS NULL AND t.packed IS NULL THEN t.profile END, "                        \
    "CASE WHEN f.summary IS NULL THEN t.packed END "                                               \
    "FROM tests t LEFT JOIN test_fits f ON f.posting_id = ?1 AND f.test_id = t.id AND "            \
    "f.fit_key = ?2 AND length(f.summary) = ?5 LEFT JOIN invites i ON i.id = t.invite_id "

static rf_status sq_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                                 int64_t fit_posting, int64_t fit_key, size_t fit_size,
                                 void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_store_ranked t;
    memset(&t, 0, sizeof t);
    const char *sql;
    if (org_id > 0)
        sql = posting_id > 0 ? "SELECT " RANKED_COLS "WHERE t.org_id = ?3 AND "
                               "t.status = 'finished' AND t.posting_id = ?4 ORDER BY t.id DESC"
                             : "SELECT " RANKED_COLS "WHERE t.org_id = ?3 AND "
                               "t.status = 'finished' AND ?4 = 0 ORDER BY t.id DESC";
    else
        sql = posting_id > 0 ? "SELECT " RANKED_COLS "WHERE coalesce(t.org_id, 0) = ?3 AND "
                               "t.status = 'finished' AND t.posting_id = ?4 ORDER BY t.id DESC"
                             : "SELECT " RANKED_COLS "WHERE coalesce(t.org_id, 0) = ?3 AND "
                               "t.status = 'finished' AND ?4 = 0 ORDER BY t.id DESC";
    return rf_sq_list(s, err, "tests", ranked_fn, &t, &rf_store_read_ranked, (void *)fn, ud, sql,
                      "iiiii", fit_posting, fit_key, org_id, posting_id, (int64_t)fit_size);
}

static rf_status sq_test_fits_put(struct rf_store *bs, int64_t posting_id, int64_t fit_key,
                                  size_t n, const int64_t *ids, const int64_t *finished,
                                  size_t size, const unsigned char *summaries, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    rf_status rc = RF_OK;
    for (size_t at = 0; at < n && !rc; at += RF_RANK_FITS_CHUNK) {
        struct conn *cn = rf_sq_begin_nosync(s, "ranking: keep fits", err);
        if (!cn)
            return err && err->rc ? err->rc : RF_EDB;
        for (size_t i = at; i < n && i < at + RF_RANK_FITS_CHUNK && !rc; i++)
            rc = rf_sq_run(cn, err, "ranking: keep fits",
                           "INSERT INTO test_fits(posting_id, test_id, fit_key, finished, summary) "
                           "SELECT ?1, id, ?2, updated, ?3 FROM tests WHERE id = ?4 AND "
                           "status = 'finished' AND updated = ?5 "
                           "ON CONFLICT(posting_id, test_id) DO UPDATE SET "
                           "fit_key = excluded.fit_key, finished = excluded.finished, "
                           "summary = excluded.summary",
                           "iibii", posting_id, fit_key, summaries + i * size, size, ids[i],
                           finished[i]);
        rc = rf_sq_end_nosync(cn, rc, "ranking: keep fits", err);
    }
    return rc;
}

/* ---- postings ---- */

static rf_status sq_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                                   struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "create posting",
                  "INSERT INTO postings(org_id, created_by, title, text, parsed, created) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  "inttti", p->org_id, p->created_by, p->title, p->text, p->parsed, rf_sq_now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

#define POSTING_COLS "id, org_id, coalesce(created_by, 0), title, text, parsed, created"

static rf_status posting_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_posting *p = out;
    int oom = 0;
    p->id = sqlite3_column_int64(st, 0);
    p->org_id = sqlite3_column_int64(st, 1);
    p->created_by = sqlite3_column_int64(st, 2);
    p->title = rf_sq_col_text(st, 3, &oom);
    p->text = rf_sq_col_text(st, 4, &oom);
    p->parsed = rf_sq_col_text(st, 5, &oom);
    p->created = sqlite3_column_int64(st, 6);
    if (oom || !p->title || !p->text) {
        rf_store_posting_cleanup(p);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(p, 0, sizeof *p);
    return rf_sq_get(s, err, "posting", posting_fn, p,
                     "SELECT " POSTING_COLS " FROM postings WHERE id = ?", "i", id);
}

static rf_status sq_postings_list(struct rf_store *bs, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                  struct rf_err *err)
{
    struct rf_posting p;
    memset(&p, 0, sizeof p);
    return rf_sq_list(
        (struct sq_store *)bs, err, "postings", posting_fn, &p, &rf_store_read_posting, (void *)fn,
        ud, "SELECT " POSTING_COLS " FROM postings WHERE org_id = ? ORDER BY id DESC", "i", org_id);
}

static rf_status sq_posting_edit(struct rf_store *bs, const char *parsed,
                                 const struct rf_posting_edit *e, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    if (!rc)
        rc = rf_sq_run(cn, err, "edit posting", "UPDATE postings SET parsed = ? WHERE id = ?", "ti",
                       parsed, e->posting_id);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ENOTFOUND, "no posting %lld", (long long)e->posting_id);
    if (!rc)
        rc = rf_sq_run(cn, err, "record posting edit",
                       "INSERT INTO posting_edits(posting_id, user_id, at, summary, before, after) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       "inittt", e->posting_id, e->user_id, rf_sq_now_s(), e->summary, e->before,
                       e->after);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status posting_edit_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_posting_edit *e = out;
    int oom = 0;
    e->id = sqlite3_column_int64(st, 0);
    e->posting_id = sqlite3_column_int64(st, 1);
    e->user_id = sqlite3_column_int64(st, 2);
    e->at = sqlite3_column_int64(st, 3);
    e->user = rf_sq_col_text(st, 4, &oom);
    e->summary = rf_sq_col_text(st, 5, &oom);
    e->before = rf_sq_col_text(st, 6, &oom);
    e->after = rf_sq_col_text(st, 7, &oom);
    if (oom || !e->summary || !e->before || !e->after) {
        rf_store_posting_edit_cleanup(e);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                       void (*fn)(void *ud, const struct rf_posting_edit *e),
                                       void *ud, struct rf_err *err)
{
    struct rf_posting_edit e;
    memset(&e, 0, sizeof e);
    return rf_sq_list(
        (struct sq_store *)bs, err, "posting edits", posting_edit_fn, &e,
        &rf_store_read_posting_edit, (void *)fn, ud,
        "SELECT e.id, e.posting_id, coalesce(e.user_id, 0), e.at, u.email, e.summary, "
        "e.before, e.after FROM posting_edits e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.posting_id = ? ORDER BY e.id",
        "i", posting_id);
}

/* ---- bank versions ---- */

static rf_status sq_bank_version(struct rf_store *bs, const char *hash, int64_t nitems, int64_t *id,
                                 struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "bank version",
                             "INSERT INTO bank_versions(hash, nitems, loaded) VALUES (?, ?, ?) "
                             "ON CONFLICT(hash) DO NOTHING",
                             "tii", hash, nitems, rf_sq_now_s());
    if (!rc)
        rc = rf_sq_one_row(
            cn, rf_sq_query(cn, err, "SELECT id FROM bank_versions WHERE hash = ?", "t", hash),
            "bank version", rf_sq_count_fn, id, err);
    rf_sq_unlock(cn);
    return rc;
}

/* Fills in this file's operations of the table. */
void rf_sq_postings_ops(struct rf_store_ops *ops)
{
    ops->invite_create = sq_invite_create;
    ops->invite_set_resume = sq_invite_set_resume;
    ops->invite_resume_result = sq_invite_resume_result;
    ops->posting_edit = sq_posting_edit;
    ops->posting_edits_list = sq_posting_edits_list;
    ops->invite_by_token = sq_invite_by_token;
    ops->invite_get = sq_invite_get;
    ops->invite_claim = sq_invite_claim;
    ops->invite_unclaim = sq_invite_unclaim;
    ops->invites_list = sq_invites_list;
    ops->tests_ranked = sq_tests_ranked;
    ops->test_fits_put = sq_test_fits_put;
    ops->posting_create = sq_posting_create;
    ops->posting_get = sq_posting_get;
    ops->postings_list = sq_postings_list;
    ops->bank_version = sq_bank_version;
}
