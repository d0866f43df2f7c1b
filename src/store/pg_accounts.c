/*
 * The PostgreSQL backend (store_pg.c): settings, organizations and users,
 * sign-in sessions and candidates.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/pg_int.h"
/* ---- settings ---- */

static rf_status text_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    int oom = 0;
    *(char **)out = rf_pg_col_text(r, 0, 0, &oom);
    return oom ? rf_err_set(err, RF_ENOMEM, "store: out of memory") : RF_OK;
}

static rf_status pg_setting_get(struct rf_store *bs, const char *key, char **value,
                                struct rf_err *err)
{
    *value = NULL;
    rf_status rc = rf_pg_one_row(rf_pg_of(bs), err, "setting", text_fn, value,
                                 "SELECT value FROM settings WHERE key = $1", "t", key);
    return rc == RF_ENOTFOUND ? RF_OK : rc;
}

static rf_status pg_setting_set(struct rf_store *bs, const char *key, const char *value,
                                struct rf_err *err)
{
    return rf_pg_run1(rf_pg_of(bs), err, "setting", NULL,
                      "INSERT INTO settings(key, value) VALUES ($1, $2) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                      "tt", key, value);
}

static rf_status pg_setting_swap(struct rf_store *bs, const char *key, const char *expected,
                                 const char *value, struct rf_err *err)
{
    int64_t n = 0;
    rf_status rc = rf_pg_run1(rf_pg_of(bs), err, "setting", &n,
                              "UPDATE settings SET value = $1 WHERE key = $2 AND value = $3", "ttt",
                              value, key, expected);
    if (!rc && n != 1)
        rc = rf_err_set(err, RF_ECONFLICT, "setting '%s' has changed", key);
    return rc;
}

/* ---- organizations and users ---- */

static rf_status pg_org_name(struct rf_store *bs, int64_t id, char **name, struct rf_err *err)
{
    *name = NULL;
    return rf_pg_one_row(rf_pg_of(bs), err, "organization", text_fn, name,
                         "SELECT name FROM orgs WHERE id = $1", "i", id);
}

static rf_status pg_org_create(struct rf_store *bs, const char *name, int64_t *id,
                               struct rf_err *err)
{
    rf_status rc = rf_pg_one_row(rf_pg_of(bs), err, "create organization", rf_pg_id_fn, id,
                                 "INSERT INTO orgs(name, created) VALUES ($1, $2) RETURNING id",
                                 "ti", name, rf_pg_now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "an organization named '%s' already exists", name);
    return rc;
}

/* The lowest id and the count of organizations (int64_t out[2]). */
static rf_status orgs_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    ((int64_t *)out)[0] = rf_pg_col_int(r, 0, 0, 0);
    ((int64_t *)out)[1] = rf_pg_col_int(r, 0, 1, 0);
    return RF_OK;
}

static rf_status pg_org_find(struct rf_store *bs, const char *name, int64_t *id, int64_t *n,
                             struct rf_err *err)
{
    if (name)
        return rf_pg_one_row(rf_pg_of(bs), err, "organization", rf_pg_id_fn, id,
                             "SELECT id FROM orgs WHERE lower(name) = lower($1)", "t", name);
    int64_t v[2] = {0, 0};
    rf_status rc = rf_pg_one_row(rf_pg_of(bs), err, "organizations", orgs_fn, v,
                                 "SELECT coalesce(min(id), 0), count(*) FROM orgs", "");
    *id = v[0];
    *n = v[1];
    return rc;
}

static rf_status pg_user_create(struct rf_store *bs, int64_t org_id, const char *email,
                                const char *name, const char *role, const char *pw_hash,
                                int64_t *id, struct rf_err *err)
{
    rf_status rc = rf_pg_one_row(rf_pg_of(bs), err, "create user", rf_pg_id_fn, id,
                                 "INSERT INTO users(org_id, email, name, role, pw_hash, created) "
                                 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                 "itttti", org_id, email, name, role, pw_hash, rf_pg_now_s());
    if (rc == RF_ECONFLICT)
        rf_err_set(err, rc, "this organization already has an account with email '%s'", email);
    return rc;
}

rf_status rf_pg_user_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_user *u = out;
    memset(u, 0, sizeof *u);
    int oom = 0;
    u->id = rf_pg_col_int(r, 0, 0, 0);
    u->org_id = rf_pg_col_int(r, 0, 1, 0);
    u->email = rf_pg_col_text(r, 0, 2, &oom);
    u->name = rf_pg_col_text(r, 0, 3, &oom);
    u->role = rf_pg_col_text(r, 0, 4, &oom);
    u->pw_hash = rf_pg_col_text(r, 0, 5, &oom);
    if (oom || !u->email || !u->name || !u->role || !u->pw_hash) {
        rf_store_user_cleanup(u);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_user_by_email(struct rf_store *bs, int64_t org_id, const char *email,
                                  struct rf_user *u, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "user", rf_pg_user_fn, u,
                         "SELECT id, org_id, email, name, role, pw_hash FROM users "
                         "WHERE org_id = $1 AND lower(email) = lower($2)",
                         "it", org_id, email);
}

static rf_status pg_user_get(struct rf_store *bs, int64_t id, struct rf_user *u, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "user", rf_pg_user_fn, u,
                         "SELECT id, org_id, email, name, role, pw_hash FROM users WHERE id = $1",
                         "i", id);
}

static rf_status pg_user_count(struct rf_store *bs, int64_t *n, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "count", rf_pg_id_fn, n, "SELECT count(*) FROM users",
                         "");
}

/* ---- login sessions ---- */

static rf_status pg_auth_create(struct rf_store *bs, const char *token_hash,
                                const struct rf_auth *a, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    rf_pg_run1(s, NULL, "purge", NULL, "DELETE FROM auth WHERE expires < $1", "i", rf_pg_now_s());
    return rf_pg_run1(s, err, "create login session", NULL,
                      "INSERT INTO auth(token_hash, user_id, candidate_id, csrf, expires) "
                      "VALUES ($1, $2, $3, $4, $5)",
                      "tnnti", token_hash, a->user_id, a->candidate_id, a->csrf, a->expires);
}

static rf_status auth_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_auth *a = out;
    int oom = 0;
    a->user_id = rf_pg_col_int(r, 0, 0, 0);
    a->candidate_id = rf_pg_col_int(r, 0, 1, 0);
    a->csrf = rf_pg_col_text(r, 0, 2, &oom);
    a->expires = rf_pg_col_int(r, 0, 3, 0);
    a->org_id = rf_pg_col_int(r, 0, 4, 0);
    a->role = rf_pg_col_text(r, 0, 5, &oom);
    if (!a->csrf || !a->role) {
        free(a->csrf);
        free(a->role);
        memset(a, 0, sizeof *a);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_auth_get(struct rf_store *bs, const char *token_hash, int64_t now,
                             struct rf_auth *a, struct rf_err *err)
{
    memset(a, 0, sizeof *a);
    return rf_pg_one_row(
        rf_pg_of(bs), err, "login session", auth_fn, a,
        "SELECT coalesce(a.user_id, 0), coalesce(a.candidate_id, 0), a.csrf, a.expires, "
        "coalesce(u.org_id, c.org_id, 0), coalesce(u.role, 'candidate') FROM auth a "
        "LEFT JOIN users u ON u.id = a.user_id "
        "LEFT JOIN candidates c ON c.id = a.candidate_id "
        "WHERE a.token_hash = $1 AND a.expires >= $2 "
        "AND (a.user_id IS NULL OR u.id IS NOT NULL) "
        "AND (a.candidate_id IS NULL OR c.id IS NOT NULL)",
        "ti", token_hash, now);
}

static rf_status pg_auth_delete(struct rf_store *bs, const char *token_hash, struct rf_err *err)
{
    return rf_pg_run1(rf_pg_of(bs), err, "logout", NULL, "DELETE FROM auth WHERE token_hash = $1",
                      "t", token_hash);
}

/* ---- candidates ---- */

static rf_status pg_candidate_create(struct rf_store *bs, int64_t org_id, const char *name,
                                     const char *email, int64_t *id, struct rf_err *err)
{
    return rf_pg_one_row(rf_pg_of(bs), err, "create candidate", rf_pg_id_fn, id,
                         "INSERT INTO candidates(org_id, name, email, created) "
                         "VALUES ($1, $2, $3, $4) RETURNING id",
                         "ntti", org_id, name, email, rf_pg_now_s());
}

static rf_status candidate_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_candidate *c = out;
    int oom = 0;
    c->id = rf_pg_col_int(r, 0, 0, 0);
    c->org_id = rf_pg_col_int(r, 0, 1, 0);
    c->name = rf_pg_col_text(r, 0, 2, &oom);
    c->email = rf_pg_col_text(r, 0, 3, &oom);
    c->created = rf_pg_col_int(r, 0, 4, 0);
    if (oom) {
        rf_store_candidate_cleanup(c);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_candidate_get(struct rf_store *bs, int64_t id, struct rf_candidate *c,
                                  struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    return rf_pg_one_row(rf_pg_of(bs), err, "candidate", candidate_fn, c,
                         "SELECT id, coalesce(org_id, 0), name, email, created FROM candidates "
                         "WHERE id = $1",
                         "i", id);
}

/* Fills in this file's operations of the table. */
void rf_pg_accounts_ops(struct rf_store_ops *ops)
{
    ops->setting_get = pg_setting_get;
    ops->setting_set = pg_setting_set;
    ops->setting_swap = pg_setting_swap;
    ops->org_create = pg_org_create;
    ops->user_create = pg_user_create;
    ops->user_by_email = pg_user_by_email;
    ops->user_get = pg_user_get;
    ops->user_count = pg_user_count;
    ops->auth_create = pg_auth_create;
    ops->auth_get = pg_auth_get;
    ops->auth_delete = pg_auth_delete;
    ops->candidate_create = pg_candidate_create;
    ops->candidate_get = pg_candidate_get;
    ops->org_name = pg_org_name;
    ops->org_find = pg_org_find;
}
