/*
 * The SQLite backend (store_sqlite.c): settings, organizations and users,
 * sign-in sessions and candidates.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/sqlite_int.h"
/* ---- settings ---- */

static rf_status sq_setting_get(struct rf_store *bs, const char *key, char **value,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_rlock(s);
    *value = NULL;
    rf_status rc = RF_OK;
    sqlite3_stmt *st = rf_sq_query(cn, err, "SELECT value FROM settings WHERE key = ?", "t", key);
    if (!st) {
        rc = RF_EDB;
    } else {
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            int oom = 0;
            *value = rf_sq_col_text(st, 0, &oom);
            if (!*value)
                rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
        } else if (r != SQLITE_DONE) {
            rc = rf_sq_dberr(cn, err, "setting");
        }
        sqlite3_reset(st);
    }
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_setting_set(struct rf_store *bs, const char *key, const char *value,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "setting",
                             "INSERT INTO settings(key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             "tt", key, value);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                                 const char *value, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "setting", "UPDATE settings SET value = ? WHERE key = ? AND value = ?",
                  "ttt", value, key, expected);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "setting '%s' has changed", key);
    rf_sq_unlock(cn);
    return rc;
}

/* ---- organizations and users ---- */

static rf_status sq_org_create(struct rf_store *bs, const char *name, int64_t *id,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "create organization", "INSERT INTO orgs(name, created) VALUES (?, ?)",
                  "ti", name, rf_sq_now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "an organization named '%s' already exists", name);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                                const char *name, const char *role, const char *pw_hash,
                                int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_run(cn, err, "create user",
                             "INSERT INTO users(org_id, email, name, role, pw_hash, created) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             "itttti", org_id, email, name, role, pw_hash, rf_sq_now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "this organization already has an account with email '%s'", email);
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status user_row(sqlite3_stmt *st, struct rf_user *u, struct rf_err *err)
{
    memset(u, 0, sizeof *u);
    int oom = 0;
    u->id = sqlite3_column_int64(st, 0);
    u->org_id = sqlite3_column_int64(st, 1);
    u->email = rf_sq_col_text(st, 2, &oom);
    u->name = rf_sq_col_text(st, 3, &oom);
    u->role = rf_sq_col_text(st, 4, &oom);
    u->pw_hash = rf_sq_col_text(st, 5, &oom);
    if (oom || !u->email || !u->name || !u->role || !u->pw_hash) {
        rf_store_user_cleanup(u);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    *name = NULL;
    return rf_sq_get(s, err, "organization", rf_sq_text_fn, name,
                     "SELECT name FROM orgs WHERE id = ?", "i", id);
}

rf_status rf_sq_user_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    return user_row(st, out, err);
}

static rf_status sq_user_by_email(struct rf_store *bs, int64_t org_id, const char *email,
                                  struct rf_user *u, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    return rf_sq_get(s, err, "user", rf_sq_user_fn, u,
                     "SELECT id, org_id, email, name, role, pw_hash FROM users "
                     "WHERE org_id = ? AND email = ?",
                     "it", org_id, email);
}

/* The lowest id and the count of organizations (int64_t out[2]). */
static rf_status orgs_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    (void)err;
    ((int64_t *)out)[0] = sqlite3_column_int64(st, 0);
    ((int64_t *)out)[1] = sqlite3_column_int64(st, 1);
    return RF_OK;
}

static rf_status sq_org_find(struct rf_store *bs, const char *name, int64_t *id, int64_t *n,
                             struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    if (name)
        return rf_sq_get(s, err, "organization", rf_sq_count_fn, id,
                         "SELECT id FROM orgs WHERE name = ? COLLATE NOCASE", "t", name);
    int64_t v[2] = {0, 0};
    rf_status rc = rf_sq_get(s, err, "organizations", orgs_fn, v,
                             "SELECT coalesce(min(id), 0), count(*) FROM orgs", "");
    *id = v[0];
    *n = v[1];
    return rc;
}

static rf_status sq_user_get(struct rf_store *bs, int64_t id, struct rf_user *u, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    return rf_sq_get(s, err, "user", rf_sq_user_fn, u,
                     "SELECT id, org_id, email, name, role, pw_hash FROM users "
                     "WHERE id = ?",
                     "i", id);
}

static rf_status sq_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    return rf_sq_get(s, err, "count", rf_sq_count_fn, n, "SELECT count(*) FROM users", "");
}

/* ---- login sessions ---- */

static rf_status sq_auth_create(struct rf_store *bs, const char *token_hash,
                                const struct rf_auth *a, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_sq_run(cn, NULL, "purge", "DELETE FROM auth WHERE expires < ?", "i", rf_sq_now_s());
    rf_status rc = rf_sq_run(cn, err, "create login session",
                             "INSERT INTO auth(token_hash, user_id, candidate_id, csrf, expires) "
                             "VALUES (?, ?, ?, ?, ?)",
                             "tnnti", token_hash, a->user_id, a->candidate_id, a->csrf, a->expires);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status auth_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_auth *a = out;
    int oom = 0;
    a->user_id = sqlite3_column_int64(st, 0);
    a->candidate_id = sqlite3_column_int64(st, 1);
    a->csrf = rf_sq_col_text(st, 2, &oom);
    a->expires = sqlite3_column_int64(st, 3);
    a->org_id = sqlite3_column_int64(st, 4);
    a->role = rf_sq_col_text(st, 5, &oom);
    if (!a->csrf || !a->role) {
        free(a->csrf);
        free(a->role);
        memset(a, 0, sizeof *a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                             struct rf_auth *a, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(a, 0, sizeof *a);
    return rf_sq_get(
        s, err, "login session", auth_fn, a,
        "SELECT coalesce(a.user_id, 0), coalesce(a.candidate_id, 0), a.csrf, a.expires, "
        "coalesce(u.org_id, c.org_id, 0), coalesce(u.role, 'candidate') FROM auth a "
        "LEFT JOIN users u ON u.id = a.user_id "
        "LEFT JOIN candidates c ON c.id = a.candidate_id "
        "WHERE a.token_hash = ? AND a.expires >= ? "
        "AND (a.user_id IS NULL OR u.id IS NOT NULL) "
        "AND (a.candidate_id IS NULL OR c.id IS NOT NULL)",
        "ti", token_hash, now);
}

static rf_status sq_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "logout", "DELETE FROM auth WHERE token_hash = ?", "t", token_hash);
    rf_sq_unlock(cn);
    return rc;
}

/* ---- candidates ---- */

static rf_status sq_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                     const char *email, int64_t *id, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc =
        rf_sq_run(cn, err, "create candidate",
                  "INSERT INTO candidates(org_id, name, email, created) VALUES (?, ?, ?, ?)",
                  "ntti", org_id, name, email, rf_sq_now_s());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status candidate_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_candidate *c = out;
    int oom = 0;
    c->id = sqlite3_column_int64(st, 0);
    c->org_id = sqlite3_column_int64(st, 1);
    c->name = rf_sq_col_text(st, 2, &oom);
    c->email = rf_sq_col_text(st, 3, &oom);
    c->created = sqlite3_column_int64(st, 4);
    if (oom) {
        rf_store_candidate_cleanup(c);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                                  struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(c, 0, sizeof *c);
    return rf_sq_get(s, err, "candidate", candidate_fn, c,
                     "SELECT id, coalesce(org_id, 0), name, email, created "
                     "FROM candidates WHERE id = ?",
                     "i", id);
}

/* Fills in this file's operations of the table. */
void rf_sq_accounts_ops(struct rf_store_ops *ops)
{
    ops->setting_get = sq_setting_get;
    ops->setting_set = sq_setting_set;
    ops->setting_swap = sq_setting_swap;
    ops->org_create = sq_org_create;
    ops->user_create = sq_user_create;
    ops->user_by_email = sq_user_by_email;
    ops->user_get = sq_user_get;
    ops->user_count = sq_user_count;
    ops->auth_create = sq_auth_create;
    ops->auth_get = sq_auth_get;
    ops->auth_delete = sq_auth_delete;
    ops->candidate_create = sq_candidate_create;
    ops->candidate_get = sq_candidate_get;
    ops->org_name = sq_org_name;
    ops->org_find = sq_org_find;
}
