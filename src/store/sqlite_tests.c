/*
 * The SQLite backend (store_sqlite.c): tests, answers with their group commit
 * (described in store_sqlite.c), reading answers back and item statistics.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/sqlite_int.h"
/* ---- tests and answers ---- */

static rf_status sq_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                                struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    int64_t now = rf_sq_now_s();
    rf_status rc =
        rf_sq_run(cn, err, "create test",
                  "INSERT INTO tests(candidate_id, org_id, posting_id, invite_id, scope, "
                  "state, created, updated, served_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "innnttiii", t->candidate_id, t->org_id, t->posting_id, t->invite_id, t->scope,
                  t->state, now, now, t->served_ms ? t->served_ms : rf_sq_now_ms());
    if (!rc)
        *id = sqlite3_last_insert_rowid(cn->db);
    rf_sq_unlock(cn);
    return rc;
}

#define TEST_COLS                                                                                  \
    "id, candidate_id, coalesce(org_id, 0), coalesce(posting_id, 0), coalesce(invite_id, 0), "     \
    "scope, state, status, profile, answers, created, updated"

static rf_status test_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_test *t = out;
    int oom = 0;
    t->id = sqlite3_column_int64(st, 0);
    t->candidate_id = sqlite3_column_int64(st, 1);
    t->org_id = sqlite3_column_int64(st, 2);
    t->posting_id = sqlite3_column_int64(st, 3);
    t->invite_id = sqlite3_column_int64(st, 4);
    t->scope = rf_sq_col_text(st, 5, &oom);
    t->state = rf_sq_col_text(st, 6, &oom);
    t->status = rf_sq_col_text(st, 7, &oom);
    t->profile = rf_sq_col_text(st, 8, &oom);
    t->answers = sqlite3_column_int64(st, 9);
    t->created = sqlite3_column_int64(st, 10);
    t->updated = sqlite3_column_int64(st, 11);
    if (oom || !t->scope || !t->state || !t->status) {
        rf_store_test_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status sq_test_get(struct rf_store *bs, int64_t id, struct rf_test *t, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(t, 0, sizeof *t);
    return rf_sq_get(s, err, "test session", test_fn, t,
                     "SELECT " TEST_COLS " FROM tests WHERE id = ?", "i", id);
}

static rf_status sq_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                                   struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(t, 0, sizeof *t);
    return rf_sq_get(s, err, "test session", test_fn, t,
                     "SELECT " TEST_COLS " FROM tests WHERE invite_id = ? "
                     "ORDER BY id DESC LIMIT 1",
                     "i", invite_id);
}

/* Records one answer of a batch inside its own savepoint: on refusal or
 * error the savepoint is rolled back and nothing of it stays. When the
 * enclosing transaction can no longer be trusted (SQLite rolled it back, or
 * a savepoint could not be opened or undone), *broken is set and berr says
 * why. */
static rf_status record(struct conn *cn, const struct pending *p, int *broken, struct rf_err *berr)
{
    const struct rf_answer *a = p->a;
    rf_status rc = rf_sq_run(cn, berr, "record answer: open its savepoint", "SAVEPOINT answer", "");
    if (rc) {
        *broken = 1;
        return rf_err_set(p->err, rc, "%s", berr->msg);
    }
    int64_t at = a->at ? a->at : rf_sq_now_s();
    const struct rf_answer_signals *sig = p->sig;
    int64_t at_ms = sig && sig->at_ms ? sig->at_ms : rf_sq_now_ms();
    /* the server's response time: from serving this question (when the test
     * started or the previous answer was recorded) to receiving this answer */
    int64_t served = 0;
    sqlite3_stmt *st =
        rf_sq_query(cn, p->err, "SELECT served_ms FROM tests WHERE id = ?", "i", a->test_id);
    int step = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        served = sqlite3_column_int64(st, 0);
    else if (st && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = rf_sq_dberr(cn, p->err, "record answer");
    else if (!st)
        rc = RF_EDB;
    if (st)
        sqlite3_reset(st);
    int64_t rt = served ? (at_ms > served ? at_ms - served : 0) : 0;
    int focus = sig && sig->focus;
    int64_t away = focus ? sig->away_ms : 0;
    if (served && away > rt)
        away = rt; /* time away is part of the time on the question */
    if (!rc)
        rc = rf_sq_run(
            cn, p->err, "record answer",
            "UPDATE tests SET state = ?, answers = answers + 1, updated = ?, served_ms = ?, "
            "status = CASE WHEN ? IS NULL THEN status ELSE 'finished' END, "
            "profile = coalesce(?, profile), packed = coalesce(?, packed) "
            "WHERE id = ? AND answers = ? AND status = 'active' AND (? = 0 OR served_ms = ?) "
            "AND (? IS NULL OR EXISTS (SELECT 1 FROM auth a JOIN candidates c "
            "ON c.id = a.candidate_id WHERE a.token_hash = ? AND a.expires >= ? "
            "AND a.candidate_id = tests.candidate_id))",
            "tiittbiiiitti", p->state, at, at_ms, p->profile, p->profile, p->packed, p->npacked,
            a->test_id, a->seq, a->served_ms, a->served_ms, p->session, p->session, p->session_now);
    if (!rc && sqlite3_changes(cn->db) != 1)
        rc = rf_err_set(p->err, RF_ECONFLICT,
                        "test %lld: answer %lld is not the next answer of an active test",
                        (long long)a->test_id, (long long)a->seq + 1);
    if (!rc)
        rc = rf_sq_run(
            cn, p->err, "record answer",
            "INSERT INTO answers(test_id, seq, item_id, choice, score, at, response, rt_ms, "
            "client_ms, blurs, hidden, away_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END, "
            "CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END, CASE WHEN ? THEN ? END)",
            "iitdditdididididi", a->test_id, a->seq, a->item_id, a->choice, a->score, at,
            a->response, served != 0, rt, focus && sig->client_ms >= 0, focus ? sig->client_ms : 0,
            focus, focus ? sig->blurs : 0, focus, focus ? sig->hidden : 0, focus, away);
    if (sqlite3_get_autocommit(cn->db)) {
        /* SQLite rolled the whole transaction back (I/O error, disk full, ...) */
        *broken = 1;
        if (!rc)
            rc = rf_sq_dberr(cn, p->err, "record answer");
        rf_err_set(berr, rc, "%s", p->err ? p->err->msg : "store: record answer failed");
        return rc;
    }
    if ((rc && rf_sq_run(cn, berr, "record answer: undo it", "ROLLBACK TO answer", "")) ||
        rf_sq_run(cn, berr, "record answer: release its savepoint", "RELEASE answer", "")) {
        *broken = 1;
        return rc ? rc : rf_err_set(p->err, berr->rc, "%s", berr->msg);
    }
    return rc;
}

/* Records a batch of answers in one transaction and commits it; sets each
 * answer's status (and message when it failed). Whatever fails, the
 * connection leaves with no transaction open, so the next batch starts
 * clean. */
static void commit_batch(struct sq_store *s, struct pending *batch)
{
    struct conn *cn = rf_sq_wlock(s);
    struct rf_err berr;
    rf_err_clear(&berr);
    rf_status rc = rf_sq_exec_what(cn, "BEGIN IMMEDIATE", "record answers: begin", &berr);
    int broken = 0;
    size_t nok = 0;
    for (struct pending *p = batch; p && !rc && !broken; p = p->next) {
        p->rc = record(cn, p, &broken, &berr);
        p->tried = 1;
        nok += p->rc == RF_OK;
    }
    if (!rc && broken)
        rc = berr.rc ? berr.rc : RF_EDB;
    if (!rc)
        rc = nok ? rf_sq_exec_what(cn, "COMMIT", "record answers: commit", &berr)
                 : rf_sq_exec_what(cn, "ROLLBACK", "record answers: roll back", &berr);
    if (rc) {
        if (!sqlite3_get_autocommit(cn->db))
            rf_sq_exec(cn, "ROLLBACK", NULL);
        /* nothing of the batch is stored: every answer not already refused fails */
        for (struct pending *p = batch; p; p = p->next)
            if (!p->tried || p->rc == RF_OK)
                p->rc = rf_err_set(p->err, rc, "%s", berr.msg);
    }
    rf_sq_unlock(cn);
}

static rf_status sq_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                                   const struct rf_answer_signals *sig, const char *session,
                                   int64_t session_now, const char *new_state, const char *profile,
                                   const unsigned char *packed, size_t npacked, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct pending me = {
        a,       sig, session, session_now, new_state, profile, profile ? packed : NULL,
        npacked, err, RF_EDB,  0,           0,         NULL,    PTHREAD_COND_INITIALIZER};
    pthread_mutex_lock(&s->qmu);
    *s->qtail = &me;
    /* cppcheck-suppress autoVariables ; me leaves the queue (its batch is taken, the tail
     * reset when the queue empties) before me.done is set, so before this frame returns */
    s->qtail = &me.next;
    while (!me.done) {
        if (s->committing) {
            pthread_cond_wait(&me.cv, &s->qmu);
            continue;
        }
        /* No commit under way, so this caller's answer is still queued: take
         * the queue (up to RF_STORE_BATCH_MAX) and commit it. */
        struct pending *batch = s->qhead, *last = batch;
        for (size_t n = 1; n < RF_STORE_BATCH_MAX && last->next; n++)
            last = last->next;
        s->qhead = last->next;
        if (!s->qhead)
            s->qtail = &s->qhead;
        last->next = NULL;
        s->committing = 1;
        pthread_mutex_unlock(&s->qmu);
        commit_batch(s, batch);
        pthread_mutex_lock(&s->qmu);
        s->committing = 0;
        /* each waiter of the batch woken alone, and the first answer still
         * queued as the next batch's committer: the others sleep on (their
         * owners cannot leave the wait, and their frames, before qmu is
         * unlocked) */
        for (struct pending *p = batch, *next; p; p = next) {
            next = p->next;
            p->done = 1;
            if (p != &me)
                pthread_cond_signal(&p->cv);
        }
        if (s->qhead)
            pthread_cond_signal(&s->qhead->cv);
    }
    pthread_mutex_unlock(&s->qmu);
    pthread_cond_destroy(&me.cv);
    return me.rc;
}

static rf_status answer_fn(sqlite3_stmt *st, void *out, struct rf_err *err)
{
    struct rf_store_answer_row *r = out;
    int oom = 0;
    r->a.test_id = sqlite3_column_int64(st, 0);
    r->a.seq = sqlite3_column_int64(st, 1);
    r->item = rf_sq_col_text(st, 2, &oom);
    r->a.item_id = r->item;
    r->a.choice = sqlite3_column_int(st, 3);
    r->a.score = sqlite3_column_int(st, 4);
    r->a.at = sqlite3_column_int64(st, 5);
    r->response = rf_sq_col_text(st, 6, &oom); /* NULL: an answer from before schema 3 */
    r->a.response = r->response;
    /* NULL: an answer from before schema 4, or without that signal */
    r->sig.at_ms = 0;
    r->sig.rt_ms = rf_sq_col_int(st, 7, -1);
    r->sig.client_ms = rf_sq_col_int(st, 8, -1);
    r->sig.focus = sqlite3_column_type(st, 9) != SQLITE_NULL;
    r->sig.blurs = rf_sq_col_int(st, 9, 0);
    r->sig.hidden = rf_sq_col_int(st, 10, 0);
    r->sig.away_ms = rf_sq_col_int(st, 11, 0);
    if (oom || !r->item)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

/* The answers of a test in their order, to fn through read. */
static rf_status answers_each(struct sq_store *s, int64_t test_id, const struct rf_store_read *read,
                              void *fn, void *ud, struct rf_err *err)
{
    struct rf_store_answer_row r;
    memset(&r, 0, sizeof r);
    return rf_sq_list(s, err, "answers", answer_fn, &r, read, fn, ud,
                      "SELECT test_id, seq, item_id, choice, score, at, response, "
                      "rt_ms, client_ms, blurs, hidden, away_ms FROM answers "
                      "WHERE test_id = ? ORDER BY seq",
                      "i", test_id);
}

static rf_status sq_answers_list(struct rf_store *bs, int64_t test_id,
                                 void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                 struct rf_err *err)
{
    return answers_each((struct sq_store *)bs, test_id, &rf_store_read_answer, (void *)fn, ud, err);
}

static rf_status sq_answers_signals(struct rf_store *bs, int64_t test_id,
                                    void (*fn)(void *ud, const struct rf_answer *a,
                                               const struct rf_answer_signals *sig),
                                    void *ud, struct rf_err *err)
{
    return answers_each((struct sq_store *)bs, test_id, &rf_store_read_answer_signals, (void *)fn,
                        ud, err);
}

static rf_status sq_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                               void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                               struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_rlock(s);
    sqlite3_stmt *st =
        rf_sq_query(cn, err,
                    "SELECT coalesce(response, CAST(choice AS TEXT)) AS r, count(*) AS n "
                    "FROM answers WHERE item_id = ? AND score = 0 "
                    "AND (response IS NOT NULL OR choice >= 0) "
                    "GROUP BY r ORDER BY n DESC, r LIMIT ?",
                    "ti", item_id, (int64_t)(max > INT64_MAX ? INT64_MAX : max));
    rf_status rc = st ? RF_OK : RF_EDB;
    int r = SQLITE_DONE;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
    if (!rc && r != SQLITE_DONE)
        rc = rf_sq_dberr(cn, err, "wrong answers of an item");
    if (st)
        sqlite3_reset(st);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_item_stats(struct rf_store *bs, const char *item_id,
                               struct rf_store_item_stats *out, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    memset(out, 0, sizeof *out);
    struct conn *cn = rf_sq_rlock(s);
    sqlite3_stmt *st = rf_sq_query(cn, err,
                                   "SELECT count(rt_ms), coalesce(avg(rt_ms), 0) FROM answers "
                                   "WHERE item_id = ?",
                                   "t", item_id);
    rf_status rc = RF_OK;
    int r = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (r == SQLITE_ROW) {
        out->ntimed = sqlite3_column_int64(st, 0);
        out->mean_rt_ms = sqlite3_column_double(st, 1);
    } else {
        rc = st ? rf_sq_dberr(cn, err, "item statistics") : RF_EDB;
    }
    if (st)
        sqlite3_reset(st);
    rf_sq_unlock(cn);
    return rc;
}

static rf_status sq_item_answer_counts(struct rf_store *bs, size_t n, const char *const *item_ids,
                                       int64_t *counts, struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    int64_t *got = n ? calloc(n, sizeof *got) : NULL;
    if (n && !got)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    struct conn *cn = rf_sq_rlock(s);
    rf_status rc = RF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        sqlite3_stmt *st = rf_sq_query(cn, err,
                                       "SELECT count(*) FROM answers a JOIN tests t ON t.id = "
                                       "a.test_id WHERE a.item_id = ? AND t.status = 'finished'",
                                       "t", item_ids[i]);
        int r = st ? sqlite3_step(st) : SQLITE_ERROR;
        if (r == SQLITE_ROW)
            got[i] = sqlite3_column_int64(st, 0);
        else
            rc = st ? rf_sq_dberr(cn, err, "answer counts of items") : RF_EDB;
        if (st)
            sqlite3_reset(st);
    }
    rf_sq_unlock(cn);
    if (!rc && n)
        memcpy(counts, got, n * sizeof *counts);
    free(got);
    return rc;
}

static rf_status sq_tests_finished(struct rf_store *bs, int64_t org_id,
                                   void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                   struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct rf_test t;
    memset(&t, 0, sizeof t);
    if (org_id < 0)
        return rf_sq_list(s, err, "tests", test_fn, &t, &rf_store_read_test, (void *)fn, ud,
                          "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' "
                          "ORDER BY id DESC",
                          "");
    return rf_sq_list(s, err, "tests", test_fn, &t, &rf_store_read_test, (void *)fn, ud,
                      "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' AND "
                      "coalesce(org_id, 0) = ? ORDER BY id DESC",
                      "i", org_id);
}

static rf_status sq_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                     unsigned char *const *packed, const size_t *npacked,
                                     struct rf_err *err)
{
    struct sq_store *s = (struct sq_store *)bs;
    struct conn *cn = rf_sq_wlock(s);
    rf_status rc = rf_sq_exec(cn, "BEGIN IMMEDIATE", err);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = rf_sq_run(cn, err, "store packed profile",
                       "UPDATE tests SET packed = ? WHERE id = ? AND status = 'finished' AND "
                       "packed IS NULL",
                       "bi", packed[i], npacked[i], ids[i]);
        if (!rc)
            rc = rf_sq_run(cn, err, "store packed profile",
                           "DELETE FROM test_fits WHERE test_id = ?", "i", ids[i]);
    }
    if (!rc)
        rc = rf_sq_exec(cn, "COMMIT", err);
    if (rc && !sqlite3_get_autocommit(cn->db))
        rf_sq_exec(cn, "ROLLBACK", NULL);
    rf_sq_unlock(cn);
    return rc;
}

/* Fills in this file's operations of the table. */
void rf_sq_tests_ops(struct rf_store_ops *ops)
{
    ops->test_create = sq_test_create;
    ops->test_get = sq_test_get;
    ops->test_by_invite = sq_test_by_invite;
    ops->answer_signals = sq_answer_signals;
    ops->answers_list = sq_answers_list;
    ops->answers_signals = sq_answers_signals;
    ops->item_stats = sq_item_stats;
    ops->item_answer_counts = sq_item_answer_counts;
    ops->item_wrong = sq_item_wrong;
    ops->tests_finished = sq_tests_finished;
    ops->tests_set_packed = sq_tests_set_packed;
}
