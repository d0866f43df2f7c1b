/*
 * The PostgreSQL backend (store_pg.c): limits shared by the processes on the
 * database (store.h, issue 20): token buckets and counters (table limits) and
 * open practice tests (table practice_slots), both unlogged: their commits
 * wait for no WAL flush, and a crash empties them. A bucket or counter is one
 * statement (the row lock of its upsert orders concurrent takes); taking a
 * practice slot is one transaction under an exclusive lock of the table, so
 * that two processes cannot both take the last slot of a key.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "store/pg_int.h"

/* A double as a statement parameter (text, read back exactly). */
struct num {
    char s[32];
};
static const char *num(struct num *n, double v)
{
    snprintf(n->s, sizeof n->s, "%.17g", v);
    return n->s;
}

/* The text of the key, cut to RF_STORE_LIMIT_KEY bytes. */
static void key_of(const char *in, char out[RF_STORE_LIMIT_KEY + 1])
{
    snprintf(out, RF_STORE_LIMIT_KEY + 1, "%s", in);
}

/* Row reader of (tokens, ok or at): a bucket's level and whether it was
 * taken, or a counter's count and time. */
struct two {
    double a, b;
    int ok;
};
static rf_status two_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct two *t = out;
    t->a = strtod(PQgetvalue(r, 0, 0), NULL);
    const char *v = PQgetvalue(r, 0, 1);
    t->ok = v[0] == 't';
    t->b = t->ok || v[0] == 'f' ? 0 : strtod(v, NULL);
    return RF_OK;
}

#define REFILL "least($3::float8, l.tokens + greatest(0.0, $2::float8 - l.at) * $4::float8)"
static const char take_sql[] =
    "INSERT INTO limits AS l (key, tokens, at, ok) VALUES ($1, "
    "CASE WHEN $6::int = 0 THEN greatest(-$3::float8, $3::float8 - $5::float8) "
    "WHEN $3::float8 >= $5::float8 THEN $3::float8 - $5::float8 ELSE $3::float8 END, "
    "$2::float8, $6::int = 0 OR $3::float8 >= $5::float8) "
    "ON CONFLICT (key) DO UPDATE SET "
    "tokens = CASE WHEN $6::int = 0 THEN greatest(-$3::float8, " REFILL " - $5::float8) "
    "WHEN " REFILL " >= $5::float8 THEN " REFILL " - $5::float8 ELSE " REFILL " END, "
    "ok = ($6::int = 0 OR " REFILL " >= $5::float8), at = greatest(l.at, $2::float8) "
    "RETURNING tokens, ok";

static rf_status pg_limits_take(struct rf_store *bs, double now, int strict,
                                struct rf_store_take *v, size_t n, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct num a, b, c, d;
    for (size_t i = 0; i < n; i++) {
        char key[RF_STORE_LIMIT_KEY + 1];
        key_of(v[i].key, key);
        struct two t;
        rf_status rc = rf_pg_one_row(s, err, "limits: take", two_fn, &t, take_sql, "ttttti", key,
                                     num(&a, now), num(&b, v[i].burst), num(&c, v[i].rate),
                                     num(&d, v[i].cost), (int64_t)(strict != 0));
        if (rc)
            return rc;
        v[i].level = t.a;
        v[i].taken = t.ok;
    }
    return RF_OK;
}

static rf_status pg_counter(struct rf_store *bs, const char *key_in, int op, double now,
                            int64_t *n, double *at, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    char key[RF_STORE_LIMIT_KEY + 1];
    key_of(key_in, key);
    struct num a;
    struct two t = {0, 0, 0};
    rf_status rc;
    *n = 0;
    *at = 0;
    switch (op) {
    case RF_STORE_COUNT_GET:
        rc = rf_pg_one_row(s, err, "limits: counter", two_fn, &t,
                           "SELECT tokens, at FROM limits WHERE key = $1", "t", key);
        if (rc == RF_ENOTFOUND)
            return RF_OK;
        break;
    case RF_STORE_COUNT_ADD:
        rc = rf_pg_one_row(s, err, "limits: counter", two_fn, &t,
                           "INSERT INTO limits AS l (key, tokens, at) VALUES ($1, 1, $2::float8) "
                           "ON CONFLICT (key) DO UPDATE SET tokens = l.tokens + 1, "
                           "at = $2::float8 RETURNING tokens, at",
                           "tt", key, num(&a, now));
        break;
    case RF_STORE_COUNT_CLEAR:
        return rf_pg_run1(s, err, "limits: counter", NULL, "DELETE FROM limits WHERE key = $1",
                          "t", key);
    default:
        return rf_pg_run1(s, err, "limits: prune", NULL,
                          "DELETE FROM limits WHERE at < $1::float8", "t", num(&a, now));
    }
    if (!rc) {
        *n = (int64_t)t.a;
        *at = t.b;
    }
    return rc;
}

/* Runs a statement of rows on cn (prepared once per connection); NULL with
 * err set on failure. */
static PGresult *rows_on(struct pg_store *s, struct pconn *cn, struct rf_err *err,
                         const char *what, const char *sql, int n, const char *const *vals)
{
    char name[16];
    if (rf_pg_prepared(s, cn, sql, n, name, err))
        return NULL;
    PGresult *r = PQexecPrepared(cn->db, name, n, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
        rf_pg_pgerr(s, cn, r, err, what);
        PQclear(r);
        return NULL;
    }
    return r;
}

static const char held_sql[] =
    "SELECT count(*), count(*) FILTER (WHERE client = $1), "
    "min(CASE WHEN test_id IS NULL THEN 1.0 ELSE last + $3::float8 - $2::float8 END), "
    "min(CASE WHEN test_id IS NULL THEN 1.0 ELSE last + $3::float8 - $2::float8 END) "
    "FILTER (WHERE client = $1) FROM practice_slots";

static rf_status pg_slot_take(struct rf_store *bs, const struct rf_store_slot_ask *q,
                              int64_t *slot, int *per_key, double *retry_after,
                              struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    char key[RF_STORE_LIMIT_KEY + 1];
    key_of(q->key, key);
    struct num now, idle, unbound;
    const char *v[3] = {num(&now, q->now), num(&idle, q->idle),
                        num(&unbound, RF_STORE_SLOT_UNBOUND)};
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    rf_status rc = rf_pg_exec(s, cn,
                              "BEGIN; SET LOCAL synchronous_commit = off; "
                              "LOCK TABLE practice_slots IN EXCLUSIVE MODE",
                              "practice slots: lock", err);
    PGresult *r = NULL;
    if (!rc) {
        r = rows_on(s, cn, err, "practice slots: free the idle",
                    "DELETE FROM practice_slots WHERE "
                    "(test_id IS NOT NULL AND last <= $1::float8 - $2::float8) OR "
                    "(test_id IS NULL AND last <= $1::float8 - $3::float8)",
                    3, v);
        rc = r ? RF_OK : RF_EDB;
        PQclear(r);
    }
    int64_t all = 0, mine = 0;
    double first_all = 1, first_mine = 1;
    if (!rc) {
        const char *hv[3] = {key, v[0], v[1]};
        r = rows_on(s, cn, err, "practice slots: count", held_sql, 3, hv);
        rc = r && PQntuples(r) == 1 ? RF_OK : RF_EDB;
        if (!rc) {
            all = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
            mine = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
            if (!PQgetisnull(r, 0, 2))
                first_all = strtod(PQgetvalue(r, 0, 2), NULL);
            if (!PQgetisnull(r, 0, 3))
                first_mine = strtod(PQgetvalue(r, 0, 3), NULL);
        }
        PQclear(r);
    }
    if (!rc && rf_store_slot_decide(q, all, mine, first_all, first_mine, per_key, retry_after)) {
        const char *iv[2] = {key, v[0]};
        r = rows_on(s, cn, err, "practice slots: take",
                    "INSERT INTO practice_slots (client, last) VALUES ($1, $2::float8) "
                    "RETURNING id",
                    2, iv);
        rc = r && PQntuples(r) == 1 ? RF_OK : RF_EDB;
        if (!rc)
            *slot = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
    }
    rf_status re = rf_pg_exec(s, cn, rc ? "ROLLBACK" : "COMMIT", "practice slots: end", err);
    rf_pg_release(s, cn);
    if (rc && err && !err->rc)
        rf_err_set(err, RF_EDB, "store: practice slots: unexpected reply");
    return rc ? (err && err->rc ? err->rc : rc) : re;
}

static rf_status pg_slots_update(struct rf_store *bs, const struct rf_store_slot_change *c,
                                 size_t n, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct num a;
    for (size_t i = 0; i < n; i++) {
        rf_status rc;
        if (c[i].kind == RF_STORE_SLOT_BIND)
            rc = rf_pg_run1(s, err, "practice slots: bind", NULL,
                            "UPDATE practice_slots SET test_id = $1, last = $3::float8 "
                            "WHERE id = $2",
                            "iit", c[i].test, c[i].slot, num(&a, c[i].now));
        else if (c[i].kind == RF_STORE_SLOT_RELEASE)
            rc = rf_pg_run1(s, err, "practice slots: release", NULL,
                            "DELETE FROM practice_slots WHERE id = $1", "i", c[i].slot);
        else if (c[i].finished)
            rc = rf_pg_run1(s, err, "practice slots: finished", NULL,
                            "DELETE FROM practice_slots WHERE test_id = $1", "i", c[i].test);
        else
            rc = rf_pg_run1(s, err, "practice slots: answered", NULL,
                            "UPDATE practice_slots SET last = greatest(last, $2::float8) "
                            "WHERE test_id = $1",
                            "it", c[i].test, num(&a, c[i].now));
        if (rc)
            return rc;
    }
    return RF_OK;
}

void rf_pg_limits_ops(struct rf_store_ops *ops)
{
    ops->limits_take = pg_limits_take;
    ops->counter = pg_counter;
    ops->slot_take = pg_slot_take;
    ops->slots_update = pg_slots_update;
}
