/*
 * The PostgreSQL backend (store_pg.c): limits shared by the processes on the
 * database (store.h, issue 20): token buckets and counters (table limits) and
 * open practice tests (table practice_slots), both unlogged: their commits
 * wait for no WAL flush, and a crash empties them. A bucket or counter is one
 * statement (the row lock of its upsert orders concurrent takes); taking a
 * practice slot is one transaction under an exclusive lock of the table, so
 * that two processes cannot both take the last slot of a key. What a
 * process settles every RF_SHARED_SYNC_SECONDS (the takes of its buckets,
 * the slots of its answered tests) goes as one pipeline, one round trip:
 * each set of rows locked in key order, then changed by one statement over
 * arrays, whatever the number of keys.
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

/* ---- many takes at once: the settling of every process (server/shared.c) ---- */

/* New buckets, full, committed on their own (ON CONFLICT DO NOTHING locks no
 * existing row). */
static const char fill_sql[] =
    "INSERT INTO limits (key, tokens, at, ok) SELECT u.k, u.b, $2::float8, true "
    "FROM unnest($1::text[], $3::float8[]) AS u(k, b) ORDER BY u.k ON CONFLICT (key) DO NOTHING";
/* The buckets locked in key order, as every process locks them: settlings of
 * several processes over the same keys wait for one another, never deadlock. */
static const char lock_keys_sql[] =
    "SELECT key FROM limits WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE";
/* take_sql's update, not strict, for every bucket at once (a new bucket was
 * full at now: the same as take_sql's insert). */
static const char settle_sql[] =
    "UPDATE limits AS l SET tokens = greatest(-u.b, least(u.b, l.tokens + "
    "greatest(0.0, $2::float8 - l.at) * u.r) - u.c), ok = true, at = greatest(l.at, $2::float8) "
    "FROM unnest($1::text[], $3::float8[], $4::float8[], $5::float8[]) AS u(k, b, r, c) "
    "WHERE l.key = u.k RETURNING l.key, l.tokens";

/* The takes of a settling in key order, with their keys as stored. */
struct sorted_takes {
    struct rf_store_take *v;
    size_t *ord;
    char (*key)[RF_STORE_LIMIT_KEY + 1];
};
static const char *take_key(void *ud, size_t i, char buf[32])
{
    (void)buf;
    const struct sorted_takes *t = ud;
    return t->key[t->ord[i]];
}
static const char *take_burst(void *ud, size_t i, char buf[32])
{
    const struct sorted_takes *t = ud;
    snprintf(buf, 32, "%.17g", t->v[t->ord[i]].burst);
    return buf;
}
static const char *take_rate(void *ud, size_t i, char buf[32])
{
    const struct sorted_takes *t = ud;
    snprintf(buf, 32, "%.17g", t->v[t->ord[i]].rate);
    return buf;
}
static const char *take_cost(void *ud, size_t i, char buf[32])
{
    const struct sorted_takes *t = ud;
    snprintf(buf, 32, "%.17g", t->v[t->ord[i]].cost);
    return buf;
}

static int by_key(const void *x, const void *y, void *ud)
{
    const struct sorted_takes *t = ud;
    return strcmp(t->key[*(const size_t *)x], t->key[*(const size_t *)y]);
}

/* Settles n takes (not strict, keys distinct) in one round trip: the new
 * buckets made, then every bucket locked in key order and taken from by one
 * statement. *done is set when it could do them all; takes whose bucket it
 * did not find (pruned meanwhile) are left to the caller. */
static rf_status take_many(struct pg_store *s, double now, struct rf_store_take *v, size_t n,
                           int *done, struct rf_err *err)
{
    *done = 0;
    struct sorted_takes t = {v, calloc(n, sizeof *t.ord), calloc(n, sizeof *t.key)};
    char *keys = NULL, *bursts = NULL, *rates = NULL, *costs = NULL;
    rf_status rc = RF_OK;
    if (!t.ord || !t.key) {
        rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        t.ord[i] = i;
        key_of(v[i].key, t.key[i]);
        v[i].taken = -1; /* not settled yet */
    }
    qsort_r(t.ord, n, sizeof *t.ord, by_key, &t);
    for (size_t i = 1; i < n; i++)
        if (strcmp(t.key[t.ord[i - 1]], t.key[t.ord[i]]) == 0)
            goto out; /* one key twice: one at a time */
    keys = rf_pg_array(n, take_key, &t, 1);
    bursts = rf_pg_array(n, take_burst, &t, 0);
    rates = rf_pg_array(n, take_rate, &t, 0);
    costs = rf_pg_array(n, take_cost, &t, 0);
    if (!keys || !bursts || !rates || !costs) {
        rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
        goto out;
    }
    struct num at;
    const char *fill[3] = {keys, num(&at, now), bursts};
    const char *lock[1] = {keys};
    const char *upd[5] = {keys, at.s, bursts, rates, costs};
    const struct pg_step st[] = {
        {fill_sql, fill, 3, 1},         {"BEGIN", NULL, -1, 0},
        {"SET LOCAL synchronous_commit = off", NULL, -1, 0},
        {lock_keys_sql, lock, 1, 0},    {settle_sql, upd, 5, 0},
        {"COMMIT", NULL, -1, 1},
    };
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn) {
        rc = err && err->rc ? err->rc : RF_EDB;
        goto out;
    }
    PGresult *r = NULL;
    rc = rf_pg_pipeline(s, cn, st, sizeof st / sizeof st[0], 4, &r, err, "limits: settle");
    rf_pg_release(s, cn);
    if (rc)
        goto out;
    for (int row = 0; r && row < PQntuples(r); row++) {
        const char *k = PQgetvalue(r, row, 0);
        size_t lo = 0, hi = n; /* the take of key k, by bisection over the key order */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(t.key[t.ord[mid]], k) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && strcmp(t.key[t.ord[lo]], k) == 0) {
            v[t.ord[lo]].level = strtod(PQgetvalue(r, row, 1), NULL);
            v[t.ord[lo]].taken = 1;
        }
    }
    PQclear(r);
    *done = 1;
out:
    free(keys);
    free(bursts);
    free(rates);
    free(costs);
    free(t.ord);
    free(t.key);
    return rc;
}

static rf_status pg_limits_take(struct rf_store *bs, double now, int strict,
                                struct rf_store_take *v, size_t n, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct num a, b, c, d;
    int done = 0;
    if (!strict && n > 1) {
        rf_status rc = take_many(s, now, v, n, &done, err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (done && v[i].taken >= 0)
            continue;
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

/* The slots of answered tests (their tests' slots locked in id order, as
 * every process locks them), each kept until the latest of its times. */
static const char lock_slots_sql[] =
    "SELECT id FROM practice_slots WHERE test_id = ANY($1::bigint[]) ORDER BY id FOR UPDATE";
static const char answered_sql[] =
    "UPDATE practice_slots AS p SET last = greatest(p.last, u.at) FROM "
    "(SELECT t, max(at) AS at FROM unnest($1::bigint[], $2::float8[]) AS x(t, at) GROUP BY t) u "
    "WHERE p.test_id = u.t";

/* The answered, unfinished changes among c, as arrays of tests and times. */
struct answered {
    const struct rf_store_slot_change *c;
    size_t *ix;
};
static const char *answered_test(void *ud, size_t i, char buf[32])
{
    const struct answered *w = ud;
    snprintf(buf, 32, "%lld", (long long)w->c[w->ix[i]].test);
    return buf;
}
static const char *answered_at(void *ud, size_t i, char buf[32])
{
    const struct answered *w = ud;
    snprintf(buf, 32, "%.17g", w->c[w->ix[i]].now);
    return buf;
}

/* Keeps the slots of m answered tests (ix into c) in one round trip. */
static rf_status slots_answered(struct pg_store *s, const struct rf_store_slot_change *c,
                                size_t *ix, size_t m, struct rf_err *err)
{
    struct answered w = {c, ix};
    char *tests = rf_pg_array(m, answered_test, &w, 0), *ats = rf_pg_array(m, answered_at, &w, 0);
    rf_status rc = RF_OK;
    struct pconn *cn = NULL;
    if (!tests || !ats)
        rc = rf_err_set(err, RF_ENOMEM, "store: out of memory");
    else if (!(cn = rf_pg_acquire(s, err)))
        rc = err && err->rc ? err->rc : RF_EDB;
    if (!rc) {
        const char *lock[1] = {tests};
        const char *upd[2] = {tests, ats};
        const struct pg_step st[] = {
            {"BEGIN", NULL, -1, 0},
            {"SET LOCAL synchronous_commit = off", NULL, -1, 0},
            {lock_slots_sql, lock, 1, 0},
            {answered_sql, upd, 2, 0},
            {"COMMIT", NULL, -1, 1},
        };
        rc = rf_pg_pipeline(s, cn, st, sizeof st / sizeof st[0], 0, NULL, err,
                            "practice slots: answered");
        rf_pg_release(s, cn);
    }
    free(tests);
    free(ats);
    return rc;
}

static rf_status pg_slots_update(struct rf_store *bs, const struct rf_store_slot_change *c,
                                 size_t n, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct num a;
    /* the answered ones of a settling together, the others one by one */
    size_t *ix = n > 1 ? calloc(n, sizeof *ix) : NULL, m = 0;
    for (size_t i = 0; ix && i < n; i++)
        if (c[i].kind != RF_STORE_SLOT_BIND && c[i].kind != RF_STORE_SLOT_RELEASE &&
            !c[i].finished)
            ix[m++] = i;
    rf_status rc0 = m > 1 ? slots_answered(s, c, ix, m, err) : RF_OK;
    int batched = m > 1;
    free(ix);
    if (rc0)
        return rc0;
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
        else if (batched)
            continue;
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
