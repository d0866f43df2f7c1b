/*
 * The PostgreSQL backend (store_pg.c): invites and resume codes, ranking of
 * finished tests, postings and their edits, bank versions.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "store/pg_int.h"
/* ---- invites ---- */

static rf_status pg_invite_create(struct rf_store *bs, const char *token_hash,
                                  const struct rf_invite *v, int64_t *id, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "create invite", rf_pg_id_fn, id,
                         "INSERT INTO invites(token_hash, org_id, posting_id, role, label, "
                         "created_by, created, expires, topup_of, skills) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                         "tinttniint", token_hash, v->org_id, v->posting_id, v->role, v->label,
                         v->created_by, rf_pg_now_s(), v->expires, v->topup_of, v->skills);
}

#define INVITE_COLS                                                                                \
    "id, org_id, coalesce(posting_id, 0), coalesce(created_by, 0), coalesce(candidate_id, 0), "    \
    "role, label, created, expires, coalesce(topup_of, 0), skills, resume_hash, resume_fails, "    \
    "resume_fail_at"

static rf_status invite_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_invite *v = out;
    int oom = 0;
    v->id = rf_pg_col_int(r, 0, 0, 0);
    v->org_id = rf_pg_col_int(r, 0, 1, 0);
    v->posting_id = rf_pg_col_int(r, 0, 2, 0);
    v->created_by = rf_pg_col_int(r, 0, 3, 0);
    v->candidate_id = rf_pg_col_int(r, 0, 4, 0);
    v->role = rf_pg_col_text(r, 0, 5, &oom);
    v->label = rf_pg_col_text(r, 0, 6, &oom);
    v->created = rf_pg_col_int(r, 0, 7, 0);
    v->expires = rf_pg_col_int(r, 0, 8, 0);
    v->topup_of = rf_pg_col_int(r, 0, 9, 0);
    v->skills = rf_pg_col_text(r, 0, 10, &oom);
    v->resume_hash = rf_pg_col_text(r, 0, 11, &oom);
    v->resume_fails = rf_pg_col_int(r, 0, 12, 0);
    v->resume_fail_at = rf_pg_col_int(r, 0, 13, 0);
    if (oom) {
        rf_store_invite_cleanup(v);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_invite_by_token(struct rf_store *bs, const char *token_hash,
                                    struct rf_invite *v, struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    return rf_pg_one_row(rf_pg_of(bs), err, "invite", invite_fn, v,
                         "SELECT " INVITE_COLS " FROM invites WHERE token_hash = $1", "t",
                         token_hash);
}

static rf_status pg_invite_get(struct rf_store *bs, int64_t id, struct rf_invite *v,
                               struct rf_err *err)
{
    memset(v, 0, sizeof *v);
    return rf_pg_one_row(rf_pg_of(bs), err, "invite", invite_fn, v,
                         "SELECT " INVITE_COLS " FROM invites WHERE id = $1", "i", id);
}

static rf_status pg_invite_claim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                 struct rf_err *err)
{
    int64_t n = 0;
    rf_status rc = rf_pg_run1(rf_pg_of(bs), err, "claim invite", &n,
                              "UPDATE invites SET candidate_id = $1 WHERE id = $2 AND "
                              "candidate_id IS NULL",
                              "ii", candidate_id, invite_id);
    if (!rc && n != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "this invite has already been used");
    return rc;
}

static rf_status pg_invite_unclaim(struct rf_store *bs, int64_t invite_id, int64_t candidate_id,
                                   struct rf_err *err)
{
    return rf_pg_run1(rf_pg_of(bs), err, "unclaim invite", NULL,
                      "UPDATE invites SET candidate_id = NULL WHERE id = $1 AND candidate_id = $2",
                      "ii", invite_id, candidate_id);
}

static rf_status pg_invite_set_resume(struct rf_store *bs, int64_t invite_id, const char *hash,
                                      struct rf_err *err)
{
    return rf_pg_run1(rf_pg_of(bs), err, "set resume code", NULL,
                      "UPDATE invites SET resume_hash = $1, resume_fails = 0 WHERE id = $2", "ti",
                      hash, invite_id);
}

static rf_status pg_invite_resume_result(struct rf_store *bs, int64_t invite_id, int ok,
                                         int64_t now, struct rf_err *err)
{
    if (ok)
        return rf_pg_run1(rf_pg_of(bs), err, "resume code", NULL,
                          "UPDATE invites SET resume_fails = 0 WHERE id = $1", "i", invite_id);
    return rf_pg_run1(rf_pg_of(bs), err, "resume code", NULL,
                      "UPDATE invites SET resume_fails = resume_fails + 1, resume_fail_at = $1 "
                      "WHERE id = $2",
                      "ii", now, invite_id);
}

static rf_status pg_invites_list(struct rf_store *bs, int64_t org_id,
                                 void (*fn)(void *ud, const struct rf_invite *v), void *ud,
                                 struct rf_err *err)
{
    struct rf_invite v;
    memset(&v, 0, sizeof v);
    return rf_pg_list(
        rf_pg_of(bs), err, "invites", invite_fn, &v, &rf_store_read_invite, (void *)fn, ud,
        "SELECT " INVITE_COLS " FROM invites WHERE org_id = $1 ORDER BY id DESC", "i", org_id);
}

/* A ranked test from a binary result (rf_pg_list_binary): the kept fit or
 * the packed profile come as their bytes, borrowed from the row. */
static rf_status ranked_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct rf_store_ranked *t = out;
    t->id = rf_pg_bin_int(r, 0, 0, 0);
    t->candidate_id = rf_pg_bin_int(r, 0, 1, 0);
    t->posting_id = rf_pg_bin_int(r, 0, 2, 0);
    t->invite_id = rf_pg_bin_int(r, 0, 3, 0);
    t->finished = rf_pg_bin_int(r, 0, 4, 0);
    t->label = PQgetisnull(r, 0, 5) ? NULL : PQgetvalue(r, 0, 5);
    t->summary = rf_pg_bin_bytes(r, 0, 6, &t->nsummary);
    t->profile = PQgetisnull(r, 0, 7) ? NULL : PQgetvalue(r, 0, 7);
    t->packed = rf_pg_bin_bytes(r, 0, 8, &t->npacked);
    return RF_OK;
}

/* sqlite_postings.c's scan: tests_ranked, the kept fits, a test's own row
 * (its TOASTed profile) only for a test without one. */
#define RANKED_COLS                                                                                \
    "t.id, t.candidate_id, coalesce(t.posting_id, 0), coalesce(t.invite_id, 0), "                  \
    "coalesce(f.finished, t.updated), i.label, f.summary, "                                        \
    "CASE WHEN f.summary IS NULL AND t.packed IS NULL THEN t.profile END, "                        \
    "CASE WHEN f.summary IS NULL THEN t.packed END "                                               \
    "FROM tests t LEFT JOIN test_fits f ON f.posting_id = $1 AND f.test_id = t.id AND "            \
    "f.fit_key = $2 AND length(f.summary) = $5 LEFT JOIN invites i ON i.id = t.invite_id "

static rf_status pg_tests_ranked(struct rf_store *bs, int64_t org_id, int64_t posting_id,
                                 int64_t fit_posting, int64_t fit_key, size_t fit_size,
                                 void (*fn)(void *ud, const struct rf_store_ranked *t), void *ud,
                                 struct rf_err *err)
{
    struct rf_store_ranked t;
    memset(&t, 0, sizeof t);
    const char *sql;
    if (org_id > 0)
        sql = posting_id > 0 ? "SELECT " RANKED_COLS "WHERE t.org_id = $3 AND "
                               "t.status = 'finished' AND t.posting_id = $4 ORDER BY t.id DESC"
                             : "SELECT " RANKED_COLS "WHERE t.org_id = $3 AND "
                               "t.status = 'finished' AND $4::bigint = 0 ORDER BY t.id DESC";
    else
        sql = posting_id > 0 ? "SELECT " RANKED_COLS "WHERE coalesce(t.org_id, 0) = $3 AND "
                               "t.status = 'finished' AND t.posting_id = $4 ORDER BY t.id DESC"
                             : "SELECT " RANKED_COLS "WHERE coalesce(t.org_id, 0) = $3 AND "
                               "t.status = 'finished' AND $4::bigint = 0 ORDER BY t.id DESC";
    return rf_pg_list_binary(rf_pg_of(bs), err, "tests", ranked_fn, &t, &rf_store_read_ranked,
                             (void *)fn, ud, sql, "iiiii", fit_posting, fit_key, org_id, posting_id,
                             (int64_t)fit_size);
}

/* One statement a chunk: the ids and times as arrays, the summaries as one
 * BYTEA cut in equal parts. test_fits is unlogged: no WAL, no flush. */
static rf_status pg_test_fits_put(struct rf_store *bs, int64_t posting_id, int64_t fit_key,
                                  size_t n, const int64_t *ids, const int64_t *finished,
                                  size_t size, const unsigned char *summaries, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    rf_status rc = RF_OK;
    for (size_t at = 0; at < n && !rc; at += RF_RANK_FITS_CHUNK) {
        size_t m = n - at < RF_RANK_FITS_CHUNK ? n - at : RF_RANK_FITS_CHUNK;
        char *idv = rf_pg_int_array(ids + at, m), *finv = rf_pg_int_array(finished + at, m);
        if (!idv || !finv)
            rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
        if (!rc)
            rc = rf_pg_run1(
                s, err, "ranking: keep fits", NULL,
                "INSERT INTO test_fits(posting_id, test_id, fit_key, finished, summary) "
                "SELECT $1, t.id, $2, t.updated, "
                "substring($5::bytea FROM ((x.k - 1) * $6::bigint + 1)::int FOR $6::int) "
                "FROM unnest($3::bigint[], $4::bigint[]) WITH ORDINALITY AS x(id, fin, k) "
                "JOIN tests t ON t.id = x.id AND t.status = 'finished' AND t.updated = x.fin "
                "ON CONFLICT (posting_id, test_id) DO UPDATE SET fit_key = excluded.fit_key, "
                "finished = excluded.finished, summary = excluded.summary",
                "iittbi", posting_id, fit_key, idv, finv, summaries + at * size, m * size,
                (int64_t)size);
        free(idv);
        free(finv);
    }
    return rc;
}

/* ---- postings ---- */

static rf_status pg_posting_create(struct rf_store *bs, const struct rf_posting *p, int64_t *id,
                                   struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "create posting", rf_pg_id_fn, id,
                         "INSERT INTO postings(org_id, created_by, title, text, parsed, created) "
                         "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                         "inttti", p->org_id, p->created_by, p->title, p->text, p->parsed,
                         rf_pg_now_s());
}

#define POSTING_COLS "id, org_id, coalesce(created_by, 0), title, text, parsed, created"

static rf_status posting_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_posting *p = out;
    int oom = 0;
    p->id = rf_pg_col_int(r, 0, 0, 0);
    p->org_id = rf_pg_col_int(r, 0, 1, 0);
    p->created_by = rf_pg_col_int(r, 0, 2, 0);
    p->title = rf_pg_col_text(r, 0, 3, &oom);
    p->text = rf_pg_col_text(r, 0, 4, &oom);
    p->parsed = rf_pg_col_text(r, 0, 5, &oom);
    p->created = rf_pg_col_int(r, 0, 6, 0);
    if (oom || !p->title || !p->text) {
        rf_store_posting_cleanup(p);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_posting_get(struct rf_store *bs, int64_t id, struct rf_posting *p,
                                struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    return rf_pg_one_row(rf_pg_of(bs), err, "posting", posting_fn, p,
                         "SELECT " POSTING_COLS " FROM postings WHERE id = $1", "i", id);
}

static rf_status pg_postings_list(struct rf_store *bs, int64_t org_id,
                                  void (*fn)(void *ud, const struct rf_posting *p), void *ud,
                                  struct rf_err *err)
{
    struct rf_posting p;
    memset(&p, 0, sizeof p);
    return rf_pg_list(
        rf_pg_of(bs), err, "postings", posting_fn, &p, &rf_store_read_posting, (void *)fn, ud,
        "SELECT " POSTING_COLS " FROM postings WHERE org_id = $1 ORDER BY id DESC", "i", org_id);
}

static rf_status pg_posting_edit(struct rf_store *bs, const char *parsed,
                                 const struct rf_posting_edit *e, int64_t *id, struct rf_err *err)
{
    rf_status rc =
        rf_pg_one_row(rf_pg_of(bs), err, "posting", rf_pg_id_fn, id,
                      "WITH up AS (UPDATE postings SET parsed = $1 WHERE id = $2 RETURNING id) "
                      "INSERT INTO posting_edits(posting_id, user_id, at, summary, before, "
                      "after) SELECT id, $3::bigint, $4::bigint, $5::text, $6::text, $7::text "
                      "FROM up RETURNING id",
                      "tinittt", parsed, e->posting_id, e->user_id, rf_pg_now_s(), e->summary,
                      e->before, e->after);
    if (rc == RF_ENOTFOUND)
        rf_err_set(err, RF_ENOTFOUND, "no posting %lld", (long long)e->posting_id);
    return rc;
}

static rf_status posting_edit_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_posting_edit *e = out;
    int oom = 0;
    e->id = rf_pg_col_int(r, 0, 0, 0);
    e->posting_id = rf_pg_col_int(r, 0, 1, 0);
    e->user_id = rf_pg_col_int(r, 0, 2, 0);
    e->at = rf_pg_col_int(r, 0, 3, 0);
    e->user = rf_pg_col_text(r, 0, 4, &oom);
    e->summary = rf_pg_col_text(r, 0, 5, &oom);
    e->before = rf_pg_col_text(r, 0, 6, &oom);
    e->after = rf_pg_col_text(r, 0, 7, &oom);
    if (oom || !e->summary || !e->before || !e->after) {
        rf_store_posting_edit_cleanup(e);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_posting_edits_list(struct rf_store *bs, int64_t posting_id,
                                       void (*fn)(void *ud, const struct rf_posting_edit *e),
                                       void *ud, struct rf_err *err)
{
    struct rf_posting_edit e;
    memset(&e, 0, sizeof e);
    return rf_pg_list(
        rf_pg_of(bs), err, "posting edits", posting_edit_fn, &e, &rf_store_read_posting_edit,
        (void *)fn, ud,
        "SELECT e.id, e.posting_id, coalesce(e.user_id, 0), e.at, u.email, e.summary, "
        "e.before, e.after FROM posting_edits e LEFT JOIN users u ON u.id = e.user_id "
        "WHERE e.posting_id = $1 ORDER BY e.id",
        "i", posting_id);
}

/* ---- bank versions ---- */

static rf_status pg_bank_version(struct rf_store *bs, const char *hash, int64_t nitems, int64_t *id,
                                 struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    rf_status rc = rf_pg_run1(s, err, "bank version", NULL,
                              "INSERT INTO bank_versions(hash, nitems, loaded) VALUES ($1, $2, $3) "
                              "ON CONFLICT(hash) DO NOTHING",
                              "tii", hash, nitems, rf_pg_now_s());
    if (!rc)
        rc = rf_pg_one_row(s, err, "bank version", rf_pg_id_fn, id,
                           "SELECT id FROM bank_versions WHERE hash = $1", "t", hash);
    return rc;
}

/* Fills in this file's operations of the table. */
void rf_pg_postings_ops(struct rf_store_ops *ops)
{
    ops->invite_create = pg_invite_create;
    ops->invite_set_resume = pg_invite_set_resume;
    ops->invite_resume_result = pg_invite_resume_result;
    ops->posting_edit = pg_posting_edit;
    ops->posting_edits_list = pg_posting_edits_list;
    ops->invite_by_token = pg_invite_by_token;
    ops->invite_get = pg_invite_get;
    ops->invite_claim = pg_invite_claim;
    ops->invite_unclaim = pg_invite_unclaim;
    ops->invites_list = pg_invites_list;
    ops->tests_ranked = pg_tests_ranked;
    ops->test_fits_put = pg_test_fits_put;
    ops->posting_create = pg_posting_create;
    ops->posting_get = pg_posting_get;
    ops->postings_list = pg_postings_list;
    ops->bank_version = pg_bank_version;
}
