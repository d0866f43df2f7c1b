/*
 * The PostgreSQL backend (store_pg.c): tests, answers with their group commit
 * (one pipeline per batch, described in store_pg.c), reading answers back and
 * item statistics.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "store/pg_int.h"
/* ---- tests ---- */

static rf_status pg_test_create(struct rf_store *bs, const struct rf_test *t, int64_t *id,
                                struct rf_err *err)
{
    int64_t now = rf_pg_now_s();
    return rf_pg_one_row(
        rf_pg_of(bs), err, "create test", rf_pg_id_fn, id,
        "INSERT INTO tests(candidate_id, org_id, posting_id, invite_id, scope, state, "
        "created, updated, served_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "RETURNING id",
        "innnttiii", t->candidate_id, t->org_id, t->posting_id, t->invite_id, t->scope, t->state,
        now, now, t->served_ms ? t->served_ms : rf_pg_now_ms());
}

#define TEST_COLS                                                                                  \
    "id, candidate_id, coalesce(org_id, 0), coalesce(posting_id, 0), coalesce(invite_id, 0), "     \
    "scope, state, status, profile, answers, created, updated"

static rf_status test_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_test *t = out;
    int oom = 0;
    t->id = rf_pg_col_int(r, 0, 0, 0);
    t->candidate_id = rf_pg_col_int(r, 0, 1, 0);
    t->org_id = rf_pg_col_int(r, 0, 2, 0);
    t->posting_id = rf_pg_col_int(r, 0, 3, 0);
    t->invite_id = rf_pg_col_int(r, 0, 4, 0);
    t->scope = rf_pg_col_text(r, 0, 5, &oom);
    t->state = rf_pg_col_text(r, 0, 6, &oom);
    t->status = rf_pg_col_text(r, 0, 7, &oom);
    t->profile = rf_pg_col_text(r, 0, 8, &oom);
    t->answers = rf_pg_col_int(r, 0, 9, 0);
    t->created = rf_pg_col_int(r, 0, 10, 0);
    t->updated = rf_pg_col_int(r, 0, 11, 0);
    if (oom || !t->scope || !t->state || !t->status) {
        rf_store_test_cleanup(t);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    return RF_OK;
}

static rf_status pg_test_get(struct rf_store *bs, int64_t id, struct rf_test *t, struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return rf_pg_one_row(rf_pg_of(bs), err, "test session", test_fn, t,
                         "SELECT " TEST_COLS " FROM tests WHERE id = $1", "i", id);
}

static rf_status pg_test_by_invite(struct rf_store *bs, int64_t invite_id, struct rf_test *t,
                                   struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    return rf_pg_one_row(rf_pg_of(bs), err, "test session", test_fn, t,
                         "SELECT " TEST_COLS " FROM tests WHERE invite_id = $1 "
                         "ORDER BY id DESC LIMIT 1",
                         "i", invite_id);
}

/* ---- answers: the group commit ---- */

/* The statement of one answer: it updates the test only when the answer's
 * position is next and the test active, and only then inserts the answer,
 * with the server's response time computed from the test's previous
 * served_ms (o: read in the statement's snapshot, before its update), as
 * store_sqlite.c's record() computes it in C. No row inserted: a refusal. */
static const char ANSWER_SQL[] =
    "WITH o AS (SELECT id, nullif(served_ms, 0) AS served FROM tests WHERE id = $6), "
    "t AS (UPDATE tests SET state = $1, answers = answers + 1, updated = $2, served_ms = $3, "
    "status = CASE WHEN $4::text IS NULL THEN status ELSE 'finished' END, "
    "profile = coalesce($4::text, profile), packed = coalesce($5::bytea, packed) "
    "FROM o WHERE tests.id = o.id AND tests.answers = $7 AND tests.status = 'active' "
    "AND ($16::bigint = 0 OR tests.served_ms = $16::bigint) "
    "AND ($17::text IS NULL OR EXISTS (SELECT 1 FROM auth a JOIN candidates c "
    "ON c.id = a.candidate_id WHERE a.token_hash = $17::text AND a.expires >= $18::bigint "
    "AND a.candidate_id = tests.candidate_id)) "
    "RETURNING tests.id, o.served) "
    "INSERT INTO answers(test_id, seq, item_id, choice, score, at, response, rt_ms, client_ms, "
    "blurs, hidden, away_ms) "
    "SELECT t.id, $7::bigint, $8::text, $9::integer, $10::integer, $2::bigint, $11::text, "
    "CASE WHEN t.served IS NOT NULL THEN greatest($3::bigint - t.served, 0) END, "
    "$12::bigint, $13::bigint, $14::bigint, "
    "CASE WHEN $15::bigint IS NULL THEN NULL WHEN t.served IS NULL THEN $15::bigint "
    "ELSE least($15::bigint, greatest($3::bigint - t.served, 0)) END FROM t";

/* Sends one answer's statement into the pipeline (named: the prepared
 * ANSWER_SQL). */
static int send_answer(struct pconn *cn, const char *name, const struct pending *p)
{
    const struct rf_answer *a = p->a;
    const struct rf_answer_signals *sig = p->sig;
    int focus = sig && sig->focus;
    char client[24], blurs[24], hidden[24], away[24];
    snprintf(client, sizeof client, "%lld", (long long)(focus ? sig->client_ms : 0));
    snprintf(blurs, sizeof blurs, "%lld", (long long)(focus ? sig->blurs : 0));
    snprintf(hidden, sizeof hidden, "%lld", (long long)(focus ? sig->hidden : 0));
    snprintf(away, sizeof away, "%lld", (long long)(focus ? sig->away_ms : 0));
    struct params q;
    rf_pg_bindp(&q, "tiitbiitddtttttiti", p->state, a->at ? a->at : rf_pg_now_s(),
                sig && sig->at_ms ? sig->at_ms : rf_pg_now_ms(), p->profile, p->packed, p->npacked,
                a->test_id, a->seq, a->item_id, a->choice, a->score, a->response,
                focus && sig->client_ms >= 0 ? client : NULL, focus ? blurs : NULL,
                focus ? hidden : NULL, focus ? away : NULL, a->served_ms, p->session,
                p->session_now);
    return PQsendQueryPrepared(cn->db, name, q.n, q.val, q.len, q.fmt, 0);
}

/* The answers of a batch not failed before, into sent[] ordered by test id
 * (stable: answers of one test keep their order); their number. Each
 * answer's statement locks its test's row, so batches that lock their tests
 * in id order wait for one another instead of deadlocking. */
static size_t batch_in_test_order(struct pending *batch, struct pending **sent)
{
    size_t n = 0;
    for (struct pending *p = batch; p && n < RF_STORE_BATCH_MAX; p = p->next) {
        if (p->failed)
            continue;
        size_t i = n++;
        for (; i > 0 && sent[i - 1]->a->test_id > p->a->test_id; i--)
            sent[i] = sent[i - 1];
        sent[i] = p;
    }
    return n;
}

/* One attempt at a batch as one pipeline: every answer not failed before,
 * in test id order, then one sync. The statements between two syncs are one
 * transaction (the protocol's implicit transaction, committed at the sync
 * when every statement succeeded, rolled back otherwise), so no BEGIN or
 * COMMIT is sent, and the sync's reply is the commit's: with
 * synchronous_commit on it comes after the WAL flush. Sets each answer's
 * rc; *again when an answer failed (it is marked, the transaction rolled
 * back: replay without it). Returns an error that fails the whole batch
 * (connection lost, commit failed), else RF_OK. */
static rf_status pipeline_once(struct pg_store *s, struct pconn *cn, struct pending *batch,
                               int *again, struct rf_err *berr)
{
    char ans[16];
    rf_status rc = rf_pg_prepared(s, cn, ANSWER_SQL, 18, ans, berr);
    if (rc)
        return rc;
    struct pending *sent[RF_STORE_BATCH_MAX];
    size_t nsent = batch_in_test_order(batch, sent);
    int ok = PQenterPipelineMode(cn->db);
    for (size_t i = 0; ok && i < nsent; i++) {
        sent[i]->rc = RF_EDB;
        ok = send_answer(cn, ans, sent[i]);
    }
    ok = ok && PQpipelineSync(cn->db);
    size_t idx = 0;
    int failed = 0; /* a statement failed: the sync rolled the transaction back */
    rf_status fatal = ok ? RF_OK : rf_pg_pgerr(s, cn, NULL, berr, "record answers: send");
    while (ok) {
        PGresult *r = PQgetResult(cn->db);
        if (!r) {
            /* the connection failed, or the pipeline ended before its sync:
             * the server ended the session (a restart) before the commit's
             * reply, so whether it committed is unknown and nothing is
             * acknowledged. An error seen before (the server's own reason)
             * is the one kept. */
            if (PQstatus(cn->db) != CONNECTION_OK || ++idx > nsent) {
                if (!fatal)
                    fatal = PQstatus(cn->db) != CONNECTION_OK
                                ? rf_pg_pgerr(s, cn, NULL, berr, "record answers")
                                : rf_pg_lost(s, berr, "record answers", "the pipeline ended early");
                break;
            }
            continue;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            /* the commit (or, after a failed statement, the rollback) */
            PQclear(r);
            break;
        }
        if (idx < nsent) {
            struct pending *p = sent[idx];
            if (st == PGRES_COMMAND_OK && strtoll(PQcmdTuples(r), NULL, 10) == 1) {
                p->rc = RF_OK;
            } else if (st == PGRES_COMMAND_OK) {
                p->rc = rf_err_set(p->err, RF_ECONFLICT,
                                   "test %lld: answer %lld is not the next answer of an active "
                                   "test",
                                   (long long)p->a->test_id, (long long)p->a->seq + 1);
            } else if (st == PGRES_FATAL_ERROR && !failed) {
                failed = 1;
                p->rc = rf_pg_pgerr(s, cn, r, p->err, "record answer");
                if (p->rc == RF_EUNAVAIL)
                    fatal = rf_err_set(berr, p->rc, "%s", p->err ? p->err->msg : "lost");
                else
                    p->failed = *again = 1; /* the transaction is aborted: replay without it */
            }
        } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
                   st != PGRES_PIPELINE_ABORTED && !fatal && !failed) {
            fatal = rf_pg_pgerr(s, cn, r, berr, "record answers: commit");
        }
        PQclear(r);
    }
    if (PQpipelineStatus(cn->db) != PQ_PIPELINE_OFF && !PQexitPipelineMode(cn->db) && !fatal)
        fatal = rf_pg_pgerr(s, cn, NULL, berr, "record answers: end the pipeline");
    if (!fatal && failed && !*again)
        fatal = rf_err_set(berr, RF_EDB, "record answers: a statement failed");
    return fatal;
}

/* Records a batch of answers in one transaction, sent as one pipeline, and
 * commits it, setting each answer's status. An answer whose statement fails
 * (an error, not a refusal) is left out and the batch replayed without it.
 * Whatever fails, the connection leaves with no transaction open. */
static void commit_batch(struct pg_store *s, struct pending *batch)
{
    struct rf_err berr;
    rf_err_clear(&berr);
    struct pconn *cn = rf_pg_acquire(s, &berr);
    rf_status rc = cn ? RF_OK : (berr.rc ? berr.rc : RF_EDB);
    for (int again = 1; !rc && again;) {
        again = 0;
        rc = pipeline_once(s, cn, batch, &again, &berr);
    }
    if (rc) {
        if (cn && PQstatus(cn->db) == CONNECTION_OK && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
            rf_pg_exec(s, cn, "ROLLBACK", "record answers: roll back", NULL);
        /* nothing of the batch is stored: every answer not refused or failed alone fails */
        for (struct pending *p = batch; p; p = p->next)
            if (!p->failed && p->rc != RF_ECONFLICT)
                p->rc = rf_err_set(p->err, rc, "%s", berr.msg);
    }
    if (cn)
        rf_pg_release(s, cn);
}

static rf_status pg_answer_signals(struct rf_store *bs, const struct rf_answer *a,
                                   const struct rf_answer_signals *sig, const char *session,
                                   int64_t session_now, const char *new_state, const char *profile,
                                   const unsigned char *packed, size_t npacked, struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
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

/* ---- reading answers ---- */

static rf_status answer_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    struct rf_store_answer_row *w = out;
    int oom = 0;
    w->a.test_id = rf_pg_col_int(r, 0, 0, 0);
    w->a.seq = rf_pg_col_int(r, 0, 1, 0);
    w->item = rf_pg_col_text(r, 0, 2, &oom);
    w->a.item_id = w->item;
    w->a.choice = (int)rf_pg_col_int(r, 0, 3, 0);
    w->a.score = (int)rf_pg_col_int(r, 0, 4, 0);
    w->a.at = rf_pg_col_int(r, 0, 5, 0);
    w->response = rf_pg_col_text(r, 0, 6, &oom);
    w->a.response = w->response;
    w->sig.at_ms = 0;
    w->sig.rt_ms = rf_pg_col_int(r, 0, 7, -1);
    w->sig.client_ms = rf_pg_col_int(r, 0, 8, -1);
    w->sig.focus = !PQgetisnull(r, 0, 9);
    w->sig.blurs = rf_pg_col_int(r, 0, 9, 0);
    w->sig.hidden = rf_pg_col_int(r, 0, 10, 0);
    w->sig.away_ms = rf_pg_col_int(r, 0, 11, 0);
    if (oom || !w->item)
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    return RF_OK;
}

/* The answers of a test in their order, to fn through read. */
static rf_status answers_each(struct pg_store *s, int64_t test_id, const struct rf_store_read *read,
                              void *fn, void *ud, struct rf_err *err)
{
    struct rf_store_answer_row w;
    memset(&w, 0, sizeof w);
    return rf_pg_list(s, err, "answers", answer_fn, &w, read, fn, ud,
                      "SELECT test_id, seq, item_id, choice, score, at, response, rt_ms, "
                      "client_ms, blurs, hidden, away_ms FROM answers WHERE test_id = $1 "
                      "ORDER BY seq",
                      "i", test_id);
}

static rf_status pg_answers_list(struct rf_store *bs, int64_t test_id,
                                 void (*fn)(void *ud, const struct rf_answer *a), void *ud,
                                 struct rf_err *err)
{
    return answers_each(rf_pg_of(bs), test_id, &rf_store_read_answer, (void *)fn, ud, err);
}

static rf_status pg_answers_signals(struct rf_store *bs, int64_t test_id,
                                    void (*fn)(void *ud, const struct rf_answer *a,
                                               const struct rf_answer_signals *sig),
                                    void *ud, struct rf_err *err)
{
    return answers_each(rf_pg_of(bs), test_id, &rf_store_read_answer_signals, (void *)fn, ud, err);
}

struct wrong_row {
    const char *response;
    int64_t n;
};

static rf_status wrong_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct wrong_row *w = out;
    w->response = PQgetvalue(r, 0, 0);
    w->n = rf_pg_col_int(r, 0, 1, 0);
    return RF_OK;
}

/* A wrong answer's row borrows from the result: nothing to free. */
static void wrong_clean(void *p)
{
    (void)p;
}

static void wrong_call(const struct rf_store_cb *c, const void *rec)
{
    const struct wrong_row *w = rec;
    ((void (*)(void *, const char *, int64_t))c->fn)(c->ud, w->response, w->n);
}

static const struct rf_store_read read_wrong = {wrong_call, wrong_clean};

static rf_status pg_item_wrong(struct rf_store *bs, const char *item_id, size_t max,
                               void (*fn)(void *ud, const char *response, int64_t n), void *ud,
                               struct rf_err *err)
{
    struct wrong_row w = {NULL, 0};
    /* COLLATE "C": ties ordered by bytes, as SQLite orders them */
    return rf_pg_list(rf_pg_of(bs), err, "wrong answers of an item", wrong_fn, &w, &read_wrong,
                      (void *)fn, ud,
                      "SELECT coalesce(response, CAST(choice AS TEXT)) COLLATE \"C\" AS r, "
                      "count(*) AS n FROM answers WHERE item_id = $1 AND score = 0 "
                      "AND (response IS NOT NULL OR choice >= 0) "
                      "GROUP BY 1 ORDER BY n DESC, r LIMIT $2",
                      "ti", item_id, (int64_t)(max > INT64_MAX ? INT64_MAX : max));
}

static rf_status stats_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct rf_store_item_stats *o = out;
    o->ntimed = rf_pg_col_int(r, 0, 0, 0);
    o->mean_rt_ms = strtod(PQgetvalue(r, 0, 1), NULL);
    return RF_OK;
}

static rf_status pg_item_stats(struct rf_store *bs, const char *item_id,
                               struct rf_store_item_stats *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    return rf_pg_one_row(rf_pg_of(bs), err, "item statistics", stats_fn, out,
                         "SELECT count(rt_ms), coalesce(avg(rt_ms), 0)::float8 FROM answers "
                         "WHERE item_id = $1",
                         "t", item_id);
}

/* The counts of item_answer_counts: ids[0..n-1] as asked, got[i] set from
 * the row of its id. */
struct item_counts {
    size_t n;
    const char *const *ids;
    int64_t *got;
};

static rf_status item_count_fn(struct pconn *cn, const PGresult *r, void *out, struct rf_err *err)
{
    (void)cn;
    (void)err;
    struct item_counts *c = out;
    const char *id = PQgetvalue(r, 0, 0);
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->ids[i], id))
            c->got[i] = rf_pg_col_int(r, 0, 1, 0);
    return RF_OK;
}

static void counted(const struct rf_store_cb *c, const void *rec)
{
    (void)c;
    (void)rec;
}

static void counted_clean(void *rec)
{
    (void)rec;
}

static const char *item_id_el(void *ud, size_t i, char buf[32])
{
    (void)buf;
    return ((const char *const *)ud)[i];
}

/* One statement for all the items (a test start asks for the few pretest
 * items of its skills): their answers in finished tests, by the answers_item
 * index and the tests' primary key. */
static rf_status pg_item_answer_counts(struct rf_store *bs, size_t n, const char *const *item_ids,
                                       int64_t *counts, struct rf_err *err)
{
    if (!n)
        return RF_OK;
    int64_t *got = calloc(n, sizeof *got);
    char *arr = got ? rf_pg_array(n, item_id_el, (void *)item_ids, 1) : NULL;
    if (!arr) {
        free(got);
        return rf_err_set(err, RF_ENOMEM, "store: out of memory");
    }
    struct item_counts c = {n, item_ids, got};
    static const struct rf_store_read read = {counted, counted_clean};
    rf_status rc = rf_pg_list(
        rf_pg_of(bs), err, "answer counts of items", item_count_fn, &c, &read, NULL, NULL,
        "SELECT a.item_id, count(*) FROM answers a JOIN tests t ON t.id = a.test_id "
        "WHERE a.item_id = ANY($1::text[]) AND t.status = 'finished' "
        "GROUP BY a.item_id",
        "t", arr);
    if (!rc)
        memcpy(counts, got, n * sizeof *counts);
    free(arr);
    free(got);
    return rc;
}

/* ---- finished tests and ranking ---- */

static rf_status pg_tests_finished(struct rf_store *bs, int64_t org_id,
                                   void (*fn)(void *ud, const struct rf_test *t), void *ud,
                                   struct rf_err *err)
{
    struct rf_test t;
    memset(&t, 0, sizeof t);
    if (org_id < 0)
        return rf_pg_list(rf_pg_of(bs), err, "tests", test_fn, &t, &rf_store_read_test, (void *)fn,
                          ud,
                          "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' "
                          "ORDER BY id DESC",
                          "");
    return rf_pg_list(rf_pg_of(bs), err, "tests", test_fn, &t, &rf_store_read_test, (void *)fn, ud,
                      "SELECT " TEST_COLS " FROM tests WHERE status = 'finished' AND "
                      "coalesce(org_id, 0) = $1 ORDER BY id DESC",
                      "i", org_id);
}

static rf_status pg_tests_set_packed(struct rf_store *bs, size_t n, const int64_t *ids,
                                     unsigned char *const *packed, const size_t *npacked,
                                     struct rf_err *err)
{
    struct pg_store *s = rf_pg_of(bs);
    struct pconn *cn = rf_pg_acquire(s, err);
    if (!cn)
        return err && err->rc ? err->rc : RF_EDB;
    rf_status rc = rf_pg_exec(s, cn, "BEGIN", "store packed profile", err);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = rf_pg_run(s, cn, err, "store packed profile", NULL,
                       "UPDATE tests SET packed = $1 WHERE id = $2 AND status = 'finished' AND "
                       "packed IS NULL",
                       "bi", packed[i], npacked[i], ids[i]);
        if (!rc)
            rc = rf_pg_run(s, cn, err, "store packed profile", NULL,
                           "DELETE FROM test_fits WHERE test_id = $1", "i", ids[i]);
    }
    if (!rc)
        rc = rf_pg_exec(s, cn, "COMMIT", "store packed profile", err);
    if (rc && PQtransactionStatus(cn->db) != PQTRANS_IDLE)
        rf_pg_exec(s, cn, "ROLLBACK", "store packed profile", NULL);
    rf_pg_release(s, cn);
    return rc;
}

/* Fills in this file's operations of the table. */
void rf_pg_tests_ops(struct rf_store_ops *ops)
{
    ops->test_create = pg_test_create;
    ops->test_get = pg_test_get;
    ops->test_by_invite = pg_test_by_invite;
    ops->answer_signals = pg_answer_signals;
    ops->answers_list = pg_answers_list;
    ops->answers_signals = pg_answers_signals;
    ops->item_stats = pg_item_stats;
    ops->item_answer_counts = pg_item_answer_counts;
    ops->item_wrong = pg_item_wrong;
    ops->tests_finished = pg_tests_finished;
    ops->tests_set_packed = pg_tests_set_packed;
}
