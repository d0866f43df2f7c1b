/*
 * The SQLite backend (store_sqlite.c): limits shared by the processes on the
 * database (store.h, issue 20): token buckets and counters (table limits) and
 * open practice tests (table practice_slots). Written on the write
 * connection, each in its own transaction committed without a sync
 * (synchronous=OFF for it alone): a crash may forget the last moments of a
 * limit, and the next answer's sync writes them anyway.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "store/sqlite_int.h"

/* Steps a bound statement expecting one row; its columns stay readable until
 * the caller resets it. */
static rf_status row(struct conn *cn, sqlite3_stmt *st, const char *what, struct rf_err *err)
{
    if (!st)
        return RF_EDB;
    if (sqlite3_step(st) == SQLITE_ROW)
        return RF_OK;
    rf_status rc = rf_sq_dberr(cn, err, what);
    sqlite3_reset(st);
    return rc;
}

/* The bucket is refilled at rate a second up to burst since it was last
 * touched, then cost taken: always (strict 0, down to -burst at most) or only
 * when there is enough (ok says whether it was). */
#define REFILL "min(?3, limits.tokens + max(0.0, ?2 - limits.at) * ?4)"
static const char take_sql[] =
    "INSERT INTO limits (key, tokens, at, ok) "
    "VALUES (?1, CASE WHEN ?6 = 0 THEN max(-?3, ?3 - ?5) WHEN ?3 >= ?5 THEN ?3 - ?5 ELSE ?3 END, "
    "?2, ?6 = 0 OR ?3 >= ?5) "
    "ON CONFLICT (key) DO UPDATE SET "
    "tokens = CASE WHEN ?6 = 0 THEN max(-?3, " REFILL " - ?5) "
    "WHEN " REFILL " >= ?5 THEN " REFILL " - ?5 ELSE " REFILL " END, "
    "ok = (?6 = 0 OR " REFILL " >= ?5), at = max(limits.at, ?2) "
    "RETURNING tokens, ok";

static rf_status sq_limits_take(struct rf_store *bs, double now, int strict,
                                struct rf_store_take *v, size_t n, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_begin_nosync(s, "limits", err);
    if (!cn)
        return RF_EDB;
    rf_status rc = RF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char key[RF_STORE_LIMIT_KEY + 1];
        snprintf(key, sizeof key, "%s", v[i].key);
        sqlite3_stmt *st = rf_sq_query(cn, err, take_sql, "t", key);
        if (st && (sqlite3_bind_double(st, 2, now) || sqlite3_bind_double(st, 3, v[i].burst) ||
                   sqlite3_bind_double(st, 4, v[i].rate) || sqlite3_bind_double(st, 5, v[i].cost) ||
                   sqlite3_bind_int(st, 6, strict))) {
            rc = rf_sq_dberr(cn, err, "limits: bind");
            sqlite3_reset(st);
            break;
        }
        if (!(rc = row(cn, st, "limits: take", err))) {
            v[i].level = sqlite3_column_double(st, 0);
            v[i].taken = sqlite3_column_int(st, 1) != 0;
            sqlite3_reset(st);
        }
    }
    return rf_sq_end_nosync(cn, rc, "limits", err);
}

static rf_status sq_counter(struct rf_store *bs, const char *key_in, int op, double now,
                            int64_t *n, double *at, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    char key[RF_STORE_LIMIT_KEY + 1];
    snprintf(key, sizeof key, "%s", key_in);
    *n = 0;
    *at = 0;
    if (op == RF_STORE_COUNT_GET) {
        struct conn *cn = rf_sq_rlock(s);
        sqlite3_stmt *st =
            rf_sq_query(cn, err, "SELECT tokens, at FROM limits WHERE key = ?", "t", key);
        rf_status rc = st ? RF_OK : RF_EDB;
        int r = st ? sqlite3_step(st) : SQLITE_ERROR;
        if (r == SQLITE_ROW) {
            *n = (int64_t)sqlite3_column_double(st, 0);
            *at = sqlite3_column_double(st, 1);
        } else if (st && r != SQLITE_DONE) {
            rc = rf_sq_dberr(cn, err, "limits: counter");
        }
        if (st)
            sqlite3_reset(st);
        rf_sq_unlock(cn);
        return rc;
    }
    struct conn *cn = rf_sq_begin_nosync(s, "limits", err);
    if (!cn)
        return RF_EDB;
    rf_status rc;
    if (op == RF_STORE_COUNT_CLEAR) {
        rc = rf_sq_run(cn, err, "limits: counter", "DELETE FROM limits WHERE key = ?", "t", key);
    } else if (op == RF_STORE_COUNT_PRUNE) {
        sqlite3_stmt *st = rf_sq_query(cn, err, "DELETE FROM limits WHERE at < ?", "");
        rc = st ? RF_OK : RF_EDB;
        if (st && (sqlite3_bind_double(st, 1, now) || sqlite3_step(st) != SQLITE_DONE))
            rc = rf_sq_dberr(cn, err, "limits: prune");
        if (st)
            sqlite3_reset(st);
    } else {
        sqlite3_stmt *st = rf_sq_query(cn, err,
                                       "INSERT INTO limits (key, tokens, at) VALUES (?1, 1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET tokens = tokens + 1, "
                                       "at = ?2 RETURNING tokens, at",
                                       "t", key);
        if (st && sqlite3_bind_double(st, 2, now)) {
            sqlite3_reset(st);
            st = NULL;
        }
        if (!(rc = row(cn, st, "limits: counter", err))) {
            *n = (int64_t)sqlite3_column_double(st, 0);
            *at = sqlite3_column_double(st, 1);
            sqlite3_reset(st);
        }
    }
    return rf_sq_end_nosync(cn, rc, "limits", err);
}

/* What holds the slots when a key asks: all, the key's, and the seconds
 * until the first of each frees (a slot not bound yet: 1). */
static const char held_sql[] =
    "SELECT count(*), coalesce(sum(client = ?1), 0), "
    "min(CASE WHEN test_id IS NULL THEN 1.0 ELSE last + ?3 - ?2 END), "
    "min(CASE WHEN client = ?1 THEN (CASE WHEN test_id IS NULL THEN 1.0 "
    "ELSE last + ?3 - ?2 END) END) FROM practice_slots";

static rf_status sq_slot_take(struct rf_store *bs, const struct rf_store_slot_ask *q,
                              int64_t *slot, int *per_key, double *retry_after,
                              struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    char key[RF_STORE_LIMIT_KEY + 1];
    snprintf(key, sizeof key, "%s", q->key);
    struct conn *cn = rf_sq_begin_nosync(s, "limits", err);
    if (!cn)
        return RF_EDB;
    /* slots gone idle, and slots whose process died before binding them */
    sqlite3_stmt *st = rf_sq_query(cn, err,
                                   "DELETE FROM practice_slots WHERE "
                                   "(test_id IS NOT NULL AND last <= ?1 - ?2) OR "
                                   "(test_id IS NULL AND last <= ?1 - ?3)",
                                   "");
    rf_status rc = st ? RF_OK : RF_EDB;
    if (st) {
        if (sqlite3_bind_double(st, 1, q->now) || sqlite3_bind_double(st, 2, q->idle) ||
            sqlite3_bind_double(st, 3, RF_STORE_SLOT_UNBOUND) || sqlite3_step(st) != SQLITE_DONE)
            rc = rf_sq_dberr(cn, err, "practice slots: free the idle");
        sqlite3_reset(st);
    }
    int64_t all = 0, mine = 0;
    double first_all = 1, first_mine = 1;
    if (!rc) {
        st = rf_sq_query(cn, err, held_sql, "t", key);
        if (st && (sqlite3_bind_double(st, 2, q->now) || sqlite3_bind_double(st, 3, q->idle))) {
            sqlite3_reset(st);
            st = NULL;
        }
        if (!(rc = row(cn, st, "practice slots: count", err))) {
            all = sqlite3_column_int64(st, 0);
            mine = sqlite3_column_int64(st, 1);
            if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                first_all = sqlite3_column_double(st, 2);
            if (sqlite3_column_type(st, 3) != SQLITE_NULL)
                first_mine = sqlite3_column_double(st, 3);
            sqlite3_reset(st);
        }
    }
    if (!rc && rf_store_slot_decide(q, all, mine, first_all, first_mine, per_key, retry_after)) {
        st = rf_sq_query(cn, err, "INSERT INTO practice_slots (client, last) VALUES (?1, ?2)",
                         "t", key);
        if (st) {
            if (sqlite3_bind_double(st, 2, q->now) || sqlite3_step(st) != SQLITE_DONE)
                rc = rf_sq_dberr(cn, err, "practice slots: take");
            sqlite3_reset(st);
        } else {
            rc = RF_EDB;
        }
        if (!rc)
            *slot = sqlite3_last_insert_rowid(cn->db);
    }
    return rf_sq_end_nosync(cn, rc, "limits", err);
}

static rf_status sq_slots_update(struct rf_store *bs, const struct rf_store_slot_change *c,
                                 size_t n, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_begin_nosync(s, "limits", err);
    if (!cn)
        return RF_EDB;
    rf_status rc = RF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_stmt *st;
        if (c[i].kind == RF_STORE_SLOT_BIND)
            st = rf_sq_query(cn, err, "UPDATE practice_slots SET test_id = ?1, last = ?3 "
                                      "WHERE id = ?2",
                             "ii", c[i].test, c[i].slot);
        else if (c[i].kind == RF_STORE_SLOT_RELEASE)
            st = rf_sq_query(cn, err, "DELETE FROM practice_slots WHERE id = ?", "i", c[i].slot);
        else if (c[i].finished)
            st = rf_sq_query(cn, err, "DELETE FROM practice_slots WHERE test_id = ?", "i",
                             c[i].test);
        else
            st = rf_sq_query(cn, err, "UPDATE practice_slots SET last = max(last, ?2) "
                                      "WHERE test_id = ?1",
                             "i", c[i].test);
        if (!st) {
            rc = RF_EDB;
            break;
        }
        int bad = (c[i].kind == RF_STORE_SLOT_BIND && sqlite3_bind_double(st, 3, c[i].now)) ||
                  (c[i].kind == RF_STORE_SLOT_ANSWERED && !c[i].finished &&
                   sqlite3_bind_double(st, 2, c[i].now));
        if (bad || sqlite3_step(st) != SQLITE_DONE)
            rc = rf_sq_dberr(cn, err, "practice slots: update");
        sqlite3_reset(st);
    }
    return rf_sq_end_nosync(cn, rc, "limits", err);
}

void rf_sq_limits_ops(struct rf_store_ops *ops)
{
    ops->limits_take = sq_limits_take;
    ops->counter = sq_counter;
    ops->slot_take = sq_slot_take;
    ops->slots_update = sq_slots_update;
}
