/*
 * The review queue and the bank's versions (app.h "Review queue"; docs/
 * calibration.md "Review and bank versions"). The bank is the server's, so
 * its staff are the admins of the organization that keeps it: the first one,
 * made at setup. A recruiter is refused (403) and an admin of another
 * organization finds nothing (404).
 *
 * The queue is the latest calibration run of the pretest items over the
 * stored answers (rf_app_review_calibrate: the server's `rolefit calibrate
 * --pretest`), each item with its estimates, standard errors, fit, verdict
 * and reasons, and the staff's decision on it. Promoting or retiring an item
 * makes a new revision of the bank (store.h); a rollback makes an earlier
 * one active again. A test keeps the version it started with
 * (app_bankver.c), so no decision changes a test in flight.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bank/bank.h"
#include "bank/params.h"
#include "base/config.h"
#include "base/mem.h"
#include "calib/drift.h"
#include "calib/online.h"
#include "calib/recal.h"
#include "server/app_flow.h"
#include "server/pretest_data.h"
#include "server/recal_data.h"
#include "store/store.h"

#define NOTE_MAX 500
#define DECISIONS_SHOWN 200
#define REVIEW_THREADS 2 /* the calibration run's threads (a heavy request) */

static rf_status recal_view(struct rf_app *a, const struct rf_app_bankver *v, json_t **out,
                            struct rf_app_error *e);
static int recal_running(struct rf_app *a);

/* Admins of the organization that keeps the bank only. */
struct decisions_ctx {
    json_t *arr;
    int64_t run;     /* > 0: only the decisions on this run, latest per item, into by_item */
    json_t *by_item; /* item id -> decision */
    size_t n;
    const int64_t *line; /* the active revision's lineage (nline ids), when run > 0 */
    size_t nline;
};

/* The active revision's lineage: active, its parent, and so on back to the
 * file (0). A decision stands in the active version only if the revision it
 * made or was made at is on it: after a rollback, the promotions,
 * retirements and keeps of the revisions rolled back are not the active
 * version's (they stand again if that revision is made active again). */
struct lineage {
    int64_t *id, *parent;
    size_t n, cap;
    int oom;
};

static void take_lineage(void *ud, const struct rf_bank_revision *r)
{
    struct lineage *l = ud;
    if (l->oom)
        return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 16;
        int64_t *ni = rf_realloc_array(l->id, nc, sizeof *ni);
        if (ni)
            l->id = ni;
        int64_t *np = ni ? rf_realloc_array(l->parent, nc, sizeof *np) : NULL;
        if (!np) {
            l->oom = 1;
            return;
        }
        l->parent = np;
        l->cap = nc;
    }
    l->id[l->n] = r->id;
    l->parent[l->n++] = r->parent;
}

/* The lineage of revision active into *out (malloc'd, *n ids, the file's 0 last). */
static rf_status lineage_of(struct rf_app *a, int64_t active, int64_t **out, size_t *n,
                            struct rf_app_error *e)
{
    struct lineage l = {NULL, NULL, 0, 0, 0};
    rf_status rc = rf_store_bank_revisions_list(a->store, take_lineage, &l, &e->err);
    int64_t *line = NULL;
    size_t k = 0;
    if (!rc && (l.oom || !(line = rf_alloc_array(l.n + 1, sizeof *line))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    /* each step goes to a parent, made before its child: at most l.n steps */
    for (int64_t cur = active; !rc && cur > 0 && k < l.n;) {
        line[k++] = cur;
        size_t i = 0;
        while (i < l.n && l.id[i] != cur)
            i++;
        cur = i < l.n ? l.parent[i] : 0;
    }
    if (!rc) {
        line[k++] = 0;
        *out = line;
        *n = k;
    }
    free(l.id);
    free(l.parent);
    return rc;
}

static int on_line(const struct decisions_ctx *c, int64_t rev)
{
    for (size_t i = 0; i < c->nline; i++)
        if (c->line[i] == rev)
            return 1;
    return 0;
}

static json_t *decision_json(const struct rf_review_decision *d)
{
    return json_pack("{s:I,s:s?,s:s,s:I,s:I,s:s,s:I,s:I}", "id", (json_int_t)d->id, "item", d->item,
                     "action", d->action, "revision", (json_int_t)d->revision, "run",
                     (json_int_t)d->run_id, "note", d->note, "user", (json_int_t)d->user_id, "at",
                     (json_int_t)d->at);
}

static void take_decision(void *ud, const struct rf_review_decision *d)
{
    struct decisions_ctx *c = ud;
    if (c->run > 0) { /* newest first: the first seen per item is its latest */
        if (d->run_id == c->run && d->item && on_line(c, d->revision) &&
            !json_object_get(c->by_item, d->item))
            json_object_set_new(c->by_item, d->item, decision_json(d));
        return;
    }
    if (c->n++ < DECISIONS_SHOWN)
        json_array_append_new(c->arr, decision_json(d));
}

/* The item's state in version v: its pool, or "retired"; NULL when the bank
 * has no such item. */
static const char *item_state(const struct rf_app_bankver *v, const char *id, size_t *bi)
{
    if (rf_bank_find(&v->view, id, bi))
        return NULL;
    const struct rf_item *it = &v->view.items[*bi];
    return it->retired ? "retired" : rf_item_pool_name(it->pool);
}

/* The latest run of kind annotated for the active version v: each item's
 * state, skill and decision, and for a pretest run whether it is
 * promotable, for a drift run whether it may be updated (flagged items
 * only are listed, with the counts of tested and flagged). *out NULL when
 * there is no run yet. */
static rf_status run_view(struct rf_app *a, const struct rf_app_bankver *v, const char *kind,
                          json_t **out, struct rf_app_error *e)
{
    *out = NULL;
    struct rf_review_run run;
    rf_status rc = rf_store_review_run_latest(a->store, kind, &run, &e->err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    int drift = !strcmp(kind, "drift"), dif = !strcmp(kind, "dif");
    json_t *res = json_loads(run.result, 0, NULL), *shown = json_array();
    struct decisions_ctx dc = {NULL, run.id, json_object(), 0, NULL, 0};
    int64_t *line = NULL;
    if (!res || !dc.by_item || !shown)
        rc = rf_app_fail(e, RF_EDB, NULL, "review run %lld: stored result is not JSON",
                         (long long)run.id);
    if (!rc && !(rc = lineage_of(a, v->revision, &line, &dc.nline, e)))
        dc.line = line;
    if (!rc)
        rc = rf_store_review_decisions_list(a->store, take_decision, &dc, &e->err);
    json_t *o;
    size_t i, tested = 0, flagged = 0;
    json_array_foreach(json_object_get(res, "items"), i, o)
    {
        tested += json_is_true(json_object_get(o, "tested"));
        if ((drift || dif) && !json_is_true(json_object_get(o, "flagged")))
            continue;
        flagged++;
        const char *id = json_string_value(json_object_get(o, "id"));
        size_t bi;
        const char *state = id ? item_state(v, id, &bi) : NULL;
        json_object_set_new(o, "state", state ? json_string(state) : json_null());
        if (state)
            json_object_set_new(o, "skill", json_string(v->view.items[bi].skill));
        json_t *d = id ? json_object_get(dc.by_item, id) : NULL;
        json_object_set(o, "decision", d ? d : json_null());
        /* promotable: ready by the rules and still a pretest item of the
         * active version; updatable: flagged, tested, and still in use */
        int may =
            dif ? state && strcmp(state, "retired") != 0
            : drift ? json_is_true(json_object_get(o, "tested")) && state &&
                          strcmp(state, "pretest") != 0 && strcmp(state, "retired") != 0
                    : json_is_true(json_object_get(o, "ready")) && state &&
                          !strcmp(state, "pretest");
        json_object_set_new(o, dif ? "retirable" : drift ? "updatable" : "promotable",
                            json_boolean(may));
        json_array_append(shown, o);
    }
    if (!rc) {
        json_object_set(res, "items", shown);
        json_object_del(res, "csv"); /* a DIF run's export: GET /api/fairness/dif?format=csv */
        if (drift) {
            json_object_set_new(res, "tested", json_integer((json_int_t)tested));
            json_object_set_new(res, "flagged", json_integer((json_int_t)flagged));
        }
        json_object_set_new(res, "run",
                            json_pack("{s:I,s:I,s:I,s:I}", "id", (json_int_t)run.id, "revision",
                                      (json_int_t)run.revision, "at", (json_int_t)run.created, "by",
                                      (json_int_t)run.created_by));
        *out = res;
        res = NULL;
    }
    json_decref(res);
    json_decref(shown);
    json_decref(dc.by_item);
    free(line);
    rf_store_review_run_cleanup(&run);
    return rc;
}

rf_status rf_app_review(struct rf_app *a, const struct rf_principal *p, json_t **out,
                        struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    const struct rf_app_bankver *v = NULL;
    if (!rc)
        rc = rf_app_bank_current(a, &v, &e->err);
    json_t *pre = NULL, *drift = NULL, *dif = NULL, *recal = NULL;
    if (!rc)
        rc = run_view(a, v, "pretest", &pre, e);
    if (!rc)
        rc = run_view(a, v, "drift", &drift, e);
    if (!rc)
        rc = run_view(a, v, "dif", &dif, e);
    if (!rc)
        rc = recal_view(a, v, &recal, e);
    json_t *latent = NULL;
    if (!rc)
        rc = rf_app_latent_view(a, v, &latent, e);
    if (!rc && !pre)
        pre = json_pack("{s:n,s:[]}", "run", "items");
    if (!rc && pre) {
        json_object_set_new(pre, "revision", json_integer(v->revision));
        json_object_set_new(pre, "drift", drift ? drift : json_null());
        json_object_set_new(pre, "dif", dif ? dif : json_null());
        json_object_set_new(pre, "recal", recal ? recal : json_null());
        json_object_set_new(pre, "recal_running", json_boolean(recal_running(a)));
        json_object_set_new(pre, "latent", latent ? latent : json_null());
        latent = NULL;
        drift = dif = recal = NULL;
        *out = pre;
        pre = NULL;
    }
    json_decref(pre);
    json_decref(drift);
    json_decref(dif);
    json_decref(recal);
    json_decref(latent);
    return rc ? rc : *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* Who made a run, for the log: "user N" or "scheduled" (user 0); buf of 32. */
static const char *who(int64_t user, char *buf)
{
    if (!user)
        return "scheduled";
    snprintf(buf, 32, "user %lld", (long long)user);
    return buf;
}

/* The drift run at version v (calib/drift.h), stored. */
static rf_status drift_run(struct rf_app *a, const struct rf_app_bankver *v, int64_t user,
                           struct rf_app_error *e)
{
    struct rf_drift_data d;
    struct rf_drift_result res;
    memset(&res, 0, sizeof res);
    struct rf_drift_rules rules;
    rf_drift_rules_default(&rules);
    json_t *j = NULL;
    char *text = NULL;
    rf_status rc = rf_drift_collect(a->store, &v->view, &d, &e->err);
    if (!rc)
        rc = rf_drift_run(d.items, d.nitems, d.ans, d.n, &rules, &res, &e->err);
    if (!rc && (rf_drift_result_to_json(&res, d.items, &rules, &j) ||
                json_object_set_new(j, "tests", json_integer((json_int_t)d.tests)) ||
                !(text = json_dumps(j, JSON_COMPACT))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    int64_t id = 0;
    if (!rc)
        rc = rf_store_review_run_add(
            a->store, &(struct rf_review_run){0, v->revision, user, 0, "drift", text}, &id,
            &e->err);
    if (!rc)
        rf_app_log(a, "review: drift run %lld over %zu tests, %zu items answered (%s)",
                   (long long)id, d.tests, res.n, who(user, (char[32]){0}));
    free(text);
    json_decref(j);
    rf_drift_result_cleanup(&res);
    rf_drift_data_cleanup(&d);
    return rc;
}

static rf_status recal_run(struct rf_app *a, const struct rf_app_bankver *v, int64_t user,
                           struct rf_app_error *e);

/* The pretest items' priors (calib/online.h): the hyperparameters the
 * latest re-estimate of the items in use fitted (its "hyper", the
 * empirical-Bayes priors of the bank the pretest items join) when its
 * held-out check accepted it; else the defaults (no re-estimate yet, one
 * not accepted, or refused data). */
static rf_status pretest_prior(struct rf_app *a, struct rf_online_prior *p, struct rf_app_error *e)
{
    rf_online_prior_default(p);
    struct rf_review_run run;
    rf_status rc = rf_store_review_run_latest(a->store, "recal", &run, &e->err);
    if (rc == RF_ENOTFOUND) {
        rf_err_clear(&e->err);
        return RF_OK;
    }
    if (rc)
        return rc;
    json_t *res = json_loads(run.result, 0, NULL);
    json_t *h = json_object_get(res, "hyper");
    if (json_is_true(json_object_get(res, "accept")) && json_is_object(h))
        (void)rf_online_prior_from_hyper(p, json_number_value(json_object_get(h, "mu_loga")),
                                         json_number_value(json_object_get(h, "sd_loga")),
                                         json_number_value(json_object_get(h, "sd_b")),
                                         json_number_value(json_object_get(h, "mu_c")));
    json_decref(res);
    rf_store_review_run_cleanup(&run);
    return RF_OK;
}

/* The pretest calibration run, the drift run and the re-estimate of the
 * items in use at the active version,
 * stored as made by user (0: the schedule). */
static rf_status calibration_runs(struct rf_app *a, int64_t user, struct rf_app_error *e)
{
    const struct rf_app_bankver *v = NULL;
    rf_status rc = rf_app_bank_current(a, &v, &e->err);
    if (rc)
        return rc;
    struct rf_pretest_data d;
    struct rf_online_result res;
    memset(&res, 0, sizeof res);
    struct rf_online_rules rules;
    rf_online_rules_default(&rules);
    json_t *j = NULL;
    char *text = NULL;
    memset(&d, 0, sizeof d);
    rc = pretest_prior(a, &rules.prior, e);
    if (!rc)
        rc = rf_pretest_collect(a->store, &v->view, &d, &e->err);
    if (!rc)
        rc = rf_online_run(d.items, d.nitems, d.ans, d.n, &rules, REVIEW_THREADS, &res, &e->err);
    if (!rc && (rf_online_result_to_json(&res, d.items, &rules, &j) ||
                json_object_set_new(j, "tests", json_integer((json_int_t)d.tests)) ||
                json_object_set_new(j, "left_out", json_integer((json_int_t)d.unknown)) ||
                !(text = json_dumps(j, JSON_COMPACT))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    int64_t id = 0;
    if (!rc)
        rc = rf_store_review_run_add(
            a->store, &(struct rf_review_run){0, v->revision, user, 0, "pretest", text}, &id,
            &e->err);
    if (!rc)
        rf_app_log(a, "review: calibration run %lld over %zu tests, %zu pretest items (%s)",
                   (long long)id, d.tests, res.n, who(user, (char[32]){0}));
    free(text);
    json_decref(j);
    rf_online_result_cleanup(&res);
    rf_pretest_data_cleanup(&d);
    if (!rc)
        rc = drift_run(a, v, user, e);
    if (!rc) /* the schedule's thread waits for it; a request, cfg.recal_wait at most */
        rf_app_recal_start(a, v, user,
                           !user                   ? -1.0
                           : a->cfg.recal_wait > 0 ? a->cfg.recal_wait
                                                   : RF_REVIEW_RECAL_WAIT);
    return rc;
}

/* ---- the re-estimate's thread ---- */

struct recal_job {
    struct rf_app *a;
    const struct rf_app_bankver *v; /* built once, freed at close: outlives the job */
    int64_t user;
};

static void *recal_job_main(void *arg)
{
    struct recal_job *j = arg;
    struct rf_app *a = j->a;
    /* as a heavy request's worker: the HTTP threads go first (config.h) */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), RF_HTTP_HEAVY_NICE);
    struct rf_app_error e = {0};
    rf_status rc = recal_run(a, j->v, j->user, &e);
    if (rc)
        rf_app_log(a, "review: the re-estimate failed: %s", e.err.msg);
    free(j);
    pthread_mutex_lock(&a->rjmu);
    a->rj_running = 0;
    pthread_cond_broadcast(&a->rjcv);
    pthread_mutex_unlock(&a->rjmu);
    return NULL;
}

int rf_app_recal_start(struct rf_app *a, const struct rf_app_bankver *v, int64_t user, double wait)
{
    pthread_mutex_lock(&a->rjmu);
    if (!a->rj_running) {
        if (a->rj_joinable) { /* the last one's thread has ended: collect it */
            pthread_join(a->rjth, NULL);
            a->rj_joinable = 0;
        }
        struct recal_job *j = malloc(sizeof *j);
        if (j) {
            *j = (struct recal_job){a, v, user};
            a->rj_running = pthread_create(&a->rjth, NULL, recal_job_main, j) == 0;
            a->rj_joinable = a->rj_running;
            if (!a->rj_running)
                free(j);
        }
        if (!a->rj_running) { /* no thread: run it here */
            pthread_mutex_unlock(&a->rjmu);
            struct rf_app_error e = {0};
            if (recal_run(a, v, user, &e))
                rf_app_log(a, "review: the re-estimate failed: %s", e.err.msg);
            return 0;
        }
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    if (wait >= 0) {
        long long ns = until.tv_nsec + (long long)(wait * 1e9);
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
    }
    while (a->rj_running)
        if (wait < 0)
            pthread_cond_wait(&a->rjcv, &a->rjmu);
        else if (pthread_cond_timedwait(&a->rjcv, &a->rjmu, &until) != 0)
            break;
    int running = a->rj_running;
    pthread_mutex_unlock(&a->rjmu);
    return running;
}

void rf_app_recal_join(struct rf_app *a)
{
    pthread_mutex_lock(&a->rjmu);
    while (a->rj_running)
        pthread_cond_wait(&a->rjcv, &a->rjmu);
    int join = a->rj_joinable;
    a->rj_joinable = 0;
    pthread_mutex_unlock(&a->rjmu);
    if (join)
        pthread_join(a->rjth, NULL);
}

/* Whether a re-estimate is being computed. */
static int recal_running(struct rf_app *a)
{
    pthread_mutex_lock(&a->rjmu);
    int r = a->rj_running;
    pthread_mutex_unlock(&a->rjmu);
    return r;
}

rf_status rf_app_review_calibrate(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                                  json_t **out, struct rf_app_error *e)
{
    (void)req;
    rf_status rc = rf_app_bank_admin(a, p, e);
    if (!rc)
        rc = calibration_runs(a, p->user_id, e);
    return rc ? rc : rf_app_review(a, p, out, e);
}

rf_status rf_app_review_scheduled(struct rf_app *a, struct rf_app_error *e)
{
    rf_status rc = calibration_runs(a, 0, e);
    int stored = 0;
    if (!rc)
        rc = rf_app_fair_dif_scheduled(a, &stored, e);
    return rc;
}

/* The parent's overlay with each item's entry of entries (an object: item
 * id -> entry; consumed) merged into the item's: the new revision's overlay
 * as text (*text, caller frees). fitted > 0: the overlay's "fitted_to_test"
 * becomes fitted (the newest test a re-estimate it holds has read; carried
 * by every revision made from it, see recal_run). */
static rf_status overlay_with_all(struct rf_app *a, int64_t parent, json_t *entries,
                                  json_int_t fitted, char **text, struct rf_app_error *e)
{
    json_t *ov = NULL;
    rf_status rc = RF_OK;
    if (parent > 0) {
        struct rf_bank_revision r;
        if (!(rc = rf_store_bank_revision_get(a->store, parent, &r, &e->err))) {
            ov = json_loads(r.overlay, 0, NULL);
            rf_store_bank_revision_cleanup(&r);
        }
    } else {
        ov = json_pack("{s:{}}", "items");
    }
    json_t *items = json_object_get(ov, "items");
    if (!rc && !json_is_object(items))
        rc = rf_app_fail(e, RF_EDB, NULL, "bank revision %lld: overlay is not readable",
                         (long long)parent);
    const char *id;
    json_t *entry;
    json_object_foreach(entries, id, entry)
    {
        if (rc)
            break;
        json_t *old = json_object_get(items, id);
        if (old ? json_object_update(old, entry) : json_object_set(items, id, entry))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc && fitted > 0 && json_object_set_new(ov, "fitted_to_test", json_integer(fitted)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !(*text = json_dumps(ov, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    json_decref(entries);
    json_decref(ov);
    return rc;
}

/* overlay_with_all of item id's entry alone (consumed). */
static rf_status overlay_with(struct rf_app *a, int64_t parent, const char *id, json_t *entry,
                              char **text, struct rf_app_error *e)
{
    json_t *one = json_object();
    if (!one)
        json_decref(entry);
    if (!one || json_object_set_new(one, id, entry)) { /* _new consumes entry, even failing */
        json_decref(one);
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    return overlay_with_all(a, parent, one, 0, text, e);
}

/* The estimate of a run's item as bank parameters (checked as the bank
 * reads them), or NULL with the reason in e. */
static json_t *estimate_params(const json_t *o, const struct rf_item *it, struct rf_app_error *e)
{
    static const char *const keys[] = {"model", "a", "b", "c", "thresholds"};
    json_t *par = json_object();
    for (size_t k = 0; par && k < sizeof keys / sizeof keys[0]; k++) {
        json_t *x = json_object_get(o, keys[k]);
        if (x)
            json_object_set(par, keys[k], x);
    }
    struct rf_irt_item irt;
    if (!par || rf_params_from_json(par, &irt, it->id, &e->err)) {
        json_decref(par);
        if (!e->err.rc)
            rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    if (irt.ncat != it->irt.ncat) {
        json_decref(par);
        rf_app_fail(e, RF_ECONFLICT, "item",
                    "item '%s': the estimate has %zu categories, the item %zu (a category "
                    "nobody gave): it cannot be promoted until one did",
                    it->id, irt.ncat, it->irt.ncat);
        return NULL;
    }
    return par;
}

/* The entry for item of the latest run of kind: *run and *res are the
 * caller's to clean up when RF_OK (*found NULL when the run does not list
 * it); RF_ENOTFOUND when there is no run of that kind. */
static rf_status find_in_run(struct rf_app *a, const char *kind, const char *item,
                             struct rf_review_run *run, json_t **res, const json_t **found,
                             struct rf_err *err)
{
    *found = NULL;
    *res = NULL;
    rf_status rc = rf_store_review_run_latest(a->store, kind, run, err);
    if (rc)
        return rc;
    *res = json_loads(run->result, 0, NULL);
    json_t *o;
    size_t i;
    json_array_foreach(json_object_get(*res, "items"), i, o)
    {
        const char *oid = json_string_value(json_object_get(o, "id"));
        /* the first entry of the item, or a later flagged one (a DIF run
         * lists an item once per focal group) */
        if (oid && !strcmp(oid, item) &&
            (!*found || (!json_is_true(json_object_get(*found, "flagged")) &&
                         json_is_true(json_object_get(o, "flagged")))))
            *found = o;
    }
    return RF_OK;
}

/* A drifted item's stored parameters shifted by the run's estimate (b +
 * shift, or every threshold): the "update" of an operational item. */
static json_t *shifted_params(const json_t *o, const struct rf_item *it, struct rf_app_error *e)
{
    const json_t *sh = json_object_get(o, "shift");
    if (!json_is_true(json_object_get(o, "tested")) || !json_is_number(sh)) {
        rf_app_fail(e, RF_ECONFLICT, "item", "item '%s' has no drift estimate to update it with",
                    it->id);
        return NULL;
    }
    struct rf_irt_item irt = it->irt;
    double d = json_number_value(sh);
    if (irt.model == RF_MODEL_GRM)
        for (size_t k = 0; k + 1 < irt.ncat; k++)
            irt.thr[k] += d;
    else
        irt.b += d;
    json_t *par = json_object();
    if (!par || rf_params_to_json(&irt, par)) {
        json_decref(par);
        rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    json_object_del(par, "d"); /* the bank's reader takes b or thresholds */
    return par;
}

rf_status rf_app_review_decide(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    if (rc)
        return rc;
    const char *item, *action, *note, *queue;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object");
    if ((rc = rf_app_req_string(req, "item", 200, &item, e)) ||
        (rc = rf_app_req_string(req, "action", 16, &action, e)) ||
        (rc = rf_app_opt_string(req, "note", NOTE_MAX, &note, e)) ||
        (rc = rf_app_opt_string(req, "queue", 16, &queue, e)))
        return rc;
    /* queue "dif": an item flagged by the latest DIF run (app_fairness.c),
     * kept or retired; otherwise the queue follows the item's state */
    int difq = queue && !strcmp(queue, "dif");
    if (queue && !difq)
        return rf_app_fail(e, RF_EINVAL, "queue", "field 'queue': '%s' is not dif (or absent)",
                           queue);
    if (difq && strcmp(action, "keep") != 0 && strcmp(action, "retire") != 0)
        return rf_app_fail(e, RF_EINVAL, "action",
                           "field 'action': an item flagged for DIF is kept or retired, not %s",
                           action);
    int promote = !strcmp(action, "promote"), retire = !strcmp(action, "retire");
    int update = !strcmp(action, "update");
    if (!promote && !retire && !update && strcmp(action, "keep") != 0)
        return rf_app_fail(e, RF_EINVAL, "action",
                           "field 'action': '%s' is not promote, update, keep or retire", action);
    const struct rf_app_bankver *v;
    if ((rc = rf_app_bank_current(a, &v, &e->err)))
        return rc;
    /* a pretest item is reviewed from the latest pretest run, an item in
     * use from the latest drift run */
    size_t bi;
    const char *state = item_state(v, item, &bi);
    if (!state)
        return rf_app_fail(e, RF_EINVAL, "item", "field 'item': '%s' is not in the review queue",
                           item);
    int in_use = strcmp(state, "pretest") != 0 && strcmp(state, "retired") != 0;
    int drift = in_use;
    const char *kind = difq ? "dif" : drift ? "drift" : "pretest";
    if (difq && !in_use)
        return rf_app_fail(e, RF_ECONFLICT, "item", "item '%s' is %s in the active bank already",
                           item, state);
    if (promote && strcmp(state, "pretest") != 0)
        return rf_app_fail(e, RF_ECONFLICT, "item",
                           "item '%s' is %s in the active bank (revision %lld), no longer pretest",
                           item, state, (long long)v->revision);
    if (update && !in_use)
        return rf_app_fail(e, RF_ECONFLICT, "item",
                           "item '%s' is %s in the active bank (revision %lld): only a drifted "
                           "item in use is updated",
                           item, state, (long long)v->revision);
    struct rf_review_run run;
    json_t *res = NULL, *entry = NULL, *par = NULL;
    const json_t *found = NULL;
    rc = find_in_run(a, kind, item, &run, &res, &found, &e->err);
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_ECONFLICT, NULL, "no %s run yet: run the %s before deciding",
                           difq ? "DIF" : drift ? "drift" : "calibration",
                           difq ? "DIF analysis" : "calibration");
    if (rc)
        return rc;
    if (!found || ((drift || difq) && !json_is_true(json_object_get(found, "flagged"))))
        rc = rf_app_fail(e, RF_EINVAL, "item", "field 'item': '%s' is not in the review queue",
                         item);
    else if (retire && !drift && strcmp(state, "pretest") != 0)
        rc = rf_app_fail(e, RF_ECONFLICT, "item",
                         "item '%s' is %s in the active bank (revision %lld) already", item, state,
                         (long long)v->revision);
    else if (promote && !json_is_true(json_object_get(found, "ready"))) {
        const char *why = json_string_value(json_object_get(found, "note"));
        rc = rf_app_fail(e, RF_ECONFLICT, "item", "item '%s' does not pass the promotion rules: %s",
                         item, why && why[0] ? why : "not estimated");
    }
    if (!rc && promote && !(par = estimate_params(found, &v->view.items[bi], e)))
        rc = e->err.rc ? e->err.rc : RF_ENOMEM;
    if (!rc && update && !(par = shifted_params(found, &v->view.items[bi], e)))
        rc = e->err.rc ? e->err.rc : RF_ENOMEM;
    if (!rc && promote)
        entry = json_pack("{s:s,s:o}", "pool", "operational", "params", par);
    else if (!rc && update)
        entry = json_pack("{s:o}", "params", par);
    else if (!rc && retire)
        entry = json_pack("{s:b}", "retired", 1);
    struct rf_review_decision d = {0, v->revision,  run.id,         p->user_id,
                                   0, (char *)item, (char *)action, (char *)(note ? note : "")};
    int64_t rev = v->revision, id = 0;
    char *overlay = NULL, summary[512];
    if (!rc && entry) {
        snprintf(summary, sizeof summary, "%s %s (%s run %lld)", action, item,
                 difq ? "DIF" : drift ? "drift" : "calibration", (long long)run.id);
        if (!(rc = overlay_with(a, v->revision, item, entry, &overlay, e)))
            rc = rf_store_bank_revision_add(
                a->store,
                &(struct rf_bank_revision){0, v->revision, p->user_id, 0, overlay, summary}, &d,
                &rev, &e->err);
    } else if (!rc) {
        rc = rf_store_review_decision_add(a->store, &d, &id, &e->err);
    }
    if (!rc && entry) {
        const struct rf_app_bankver *nv;
        rc = rf_app_bank_current(a, &nv, &e->err);
        rf_app_log(a, "review: %s %s: bank revision %lld (from %lld, user %lld)", action, item,
                   (long long)rev, (long long)v->revision, (long long)p->user_id);
    }
    if (!rc)
        *out = json_pack("{s:s,s:s,s:I,s:I}", "item", item, "action", action, "revision",
                         (json_int_t)rev, "previous", (json_int_t)v->revision);
    free(overlay);
    json_decref(res);
    rf_store_review_run_cleanup(&run);
    return rc;
}

static void take_revision(void *ud, const struct rf_bank_revision *r)
{
    json_array_append_new(ud,
                          json_pack("{s:I,s:I,s:s,s:I,s:I}", "revision", (json_int_t)r->id,
                                    "parent", (json_int_t)r->parent, "summary", r->summary, "by",
                                    (json_int_t)r->created_by, "at", (json_int_t)r->created));
}

rf_status rf_app_bank_versions(struct rf_app *a, const struct rf_principal *p, json_t **out,
                               struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    const struct rf_app_bankver *v = NULL;
    if (!rc)
        rc = rf_app_bank_current(a, &v, &e->err);
    if (rc)
        return rc;
    json_t *vers = json_array(), *dec = json_array();
    struct decisions_ctx dc = {dec, 0, NULL, 0, NULL, 0};
    if (!(rc = rf_store_bank_revisions_list(a->store, take_revision, vers, &e->err)))
        rc = rf_store_review_decisions_list(a->store, take_decision, &dc, &e->err);
    if (!rc)
        *out = json_pack("{s:I,s:{s:I,s:s},s:O,s:O}", "active", (json_int_t)v->revision, "file",
                         "id", (json_int_t)a->bank_version, "hash", a->bank_hash, "versions", vers,
                         "decisions", dec);
    json_decref(vers);
    json_decref(dec);
    return rc;
}

rf_status rf_app_bank_rollback(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    if (rc)
        return rc;
    const json_t *r = json_object_get(req, "revision");
    const char *note = NULL;
    if (!json_is_integer(r) || json_integer_value(r) < 0)
        return rf_app_fail(e, RF_EINVAL, "revision",
                           "field 'revision': expected a revision number (0: the bank file)");
    if ((rc = rf_app_opt_string(req, "note", NOTE_MAX, &note, e)))
        return rc;
    const struct rf_app_bankver *v;
    if ((rc = rf_app_bank_current(a, &v, &e->err)))
        return rc;
    int64_t target = (int64_t)json_integer_value(r);
    if (target == v->revision)
        return rf_app_fail(e, RF_EINVAL, "revision", "field 'revision': %lld is the active one",
                           (long long)target);
    struct rf_review_decision d = {0, target, 0,          p->user_id,
                                   0, NULL,   "rollback", (char *)(note ? note : "")};
    rc = rf_store_bank_revision_activate(a->store, v->revision, &d, &e->err);
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_EINVAL, "revision", "field 'revision': no bank revision %lld",
                           (long long)target);
    const struct rf_app_bankver *nv;
    if (!rc)
        rc = rf_app_bank_current(a, &nv, &e->err);
    if (!rc) {
        rf_app_log(a, "review: bank revision %lld made active (was %lld, user %lld)",
                   (long long)target, (long long)v->revision, (long long)p->user_id);
        *out = json_pack("{s:I,s:I}", "active", (json_int_t)target, "previous",
                         (json_int_t)v->revision);
    }
    return rc;
}

/* ---- re-estimating the items in use (docs/calibration.md "Re-estimating
 * operational items in the product") ----
 * Each review run ends with the empirical-Bayes re-estimate of every item in
 * use (calib/recal.h) from the stored answers, stored as a run of kind
 * "recal": a proposal. Staff apply it, one new revision holding every
 * changed item's parameters, or dismiss it. A proposal applies only when
 * the estimator's held-out check accepted it, and only to the revision it
 * was computed at. The decision is stored as an "update" (applied) or a
 * "keep" (dismissed) without an item, answering the run. */

#define RECAL_SHOWN 20        /* the largest changes GET /api/review lists */
#define RECAL_MIN_CHANGE 0.01 /* an item changes when a, b (a threshold) or c moves this much */

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

/* x, or null when it is not finite (JSON has no NaN). */
static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* An item's parameters as the bank reads them, rounded to 4 decimals. */
static json_t *params_json(const struct rf_irt_item *irt)
{
    struct rf_irt_item r = *irt;
    r.a = round4(r.a);
    r.b = round4(r.b);
    r.c = round4(r.c);
    for (size_t k = 0; k + 1 < r.ncat; k++)
        r.thr[k] = round4(r.thr[k]);
    json_t *o = json_object();
    if (!o || rf_params_to_json(&r, o)) {
        json_decref(o);
        return NULL;
    }
    json_object_del(o, "d"); /* the bank's reader takes b or thresholds */
    return o;
}

struct change {
    size_t r;             /* into the result's items */
    double da, db, dc;    /* |change| of a, of b (a graded item: its largest threshold's), of c */
    int has_c;            /* a 3PL item */
};

static int by_size(const void *x, const void *y)
{
    const struct change *p = x, *q = y;
    double s = p->da + p->db + p->dc, t = q->da + q->db + q->dc;
    return s < t ? 1 : s > t ? -1 : (p->r > q->r) - (p->r < q->r);
}

static int by_value(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return (p > q) - (p < q);
}

/* {"max", "median"} of x[0..n-1] (sorted here); null when n is 0. */
static json_t *spread(double *x, size_t n)
{
    if (!n)
        return json_null();
    qsort(x, n, sizeof *x, by_value);
    double med = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
    return json_pack("{s:f,s:f}", "max", round4(x[n - 1]), "median", round4(med));
}

/* The proposal of result res over data d at version v (its skills' names):
 * the counts, the fitted hyperparameters, the held-out check, the largest and
 * median changes, and every changed item (largest change first) with its
 * parameters now ("from") and proposed ("to"). NULL when out of memory. */
static json_t *proposal_json(const struct rf_recal_result *res, const struct rf_recal_data *d,
                             const struct rf_bank *v)
{
    size_t nr = res->n ? res->n : 1;
    struct change *ch = rf_alloc_array(nr, sizeof *ch);
    double *xa = rf_alloc_array(nr, sizeof *xa), *xb = rf_alloc_array(nr, sizeof *xb),
           *xc = rf_alloc_array(nr, sizeof *xc);
    json_t *items = json_array(), *out = NULL;
    size_t m = 0, mc = 0;
    int bad = !ch || !xa || !xb || !xc || !items;
    for (size_t i = 0; !bad && i < res->n; i++) {
        const struct rf_recal_result_item *ri = &res->items[i];
        if (ri->item >= d->nitems)
            continue;
        const struct rf_irt_item *now = &d->items[ri->item].irt, *est = &ri->est;
        if (est->ncat != now->ncat)
            continue; /* not a proposal for this item */
        /* the model estimated is the rated one (a 2PL item may become 3PL) */
        struct change c = {i, fabs(est->a - now->a), 0, 0,
                           est->model == RF_MODEL_3PL || now->model == RF_MODEL_3PL};
        if (now->model == RF_MODEL_GRM)
            for (size_t k = 0; k + 1 < now->ncat; k++)
                c.db = fmax(c.db, fabs(est->thr[k] - now->thr[k]));
        else
            c.db = fabs(est->b - now->b);
        if (c.has_c)
            c.dc = fabs(est->c - now->c);
        if (!(c.da >= RECAL_MIN_CHANGE || c.db >= RECAL_MIN_CHANGE || c.dc >= RECAL_MIN_CHANGE))
            continue;
        xa[m] = c.da;
        xb[m] = c.db;
        if (c.has_c)
            xc[mc++] = c.dc;
        ch[m++] = c;
    }
    if (!bad)
        qsort(ch, m, sizeof *ch, by_size);
    for (size_t j = 0; !bad && j < m; j++) {
        const struct rf_recal_result_item *ri = &res->items[ch[j].r];
        const struct rf_recal_item *it = &d->items[ri->item];
        json_t *from = params_json(&it->irt), *to = params_json(&ri->est);
        json_t *o = from && to ? json_pack("{s:s,s:s,s:I,s:O,s:O,s:{s:o,s:o,s:o}}", "id", it->id,
                                           "skill", v->items[d->bank[ri->item]].skill, "n",
                                           (json_int_t)ri->n, "from", from, "to", to, "se", "a",
                                           num_or_null(ri->se_a), "b", num_or_null(ri->se_b),
                                           "c", num_or_null(ri->se_c))
                               : NULL;
        bad = !o || json_array_append_new(items, o);
        json_decref(from);
        json_decref(to);
    }
    if (!bad)
        out = json_pack(
            "{s:I,s:I,s:I,s:I,s:I,s:b,s:s,s:{s:o,s:o,s:o,s:o},s:{s:I,s:I,s:o,s:o,s:o},"
            "s:{s:o,s:o,s:o},s:O}",
            "tests", (json_int_t)d->tests, "answers", (json_int_t)d->n, "in_use",
            (json_int_t)d->nitems, "estimated", (json_int_t)res->n, "changed", (json_int_t)m,
            "accept", res->accept != 0, "why", res->why, "hyper", "mu_loga",
            num_or_null(res->mu_loga), "sd_loga", num_or_null(res->sd_loga), "sd_b",
            num_or_null(res->sd_b), "mu_c", num_or_null(res->mu_c), "heldout", "answers",
            (json_int_t)res->n_heldout, "tests", (json_int_t)res->tests_heldout, "ll_current",
            num_or_null(res->ll_current), "ll_new", num_or_null(res->ll_new), "se",
            num_or_null(res->ll_se), "change", "a", spread(xa, m), "b",
            spread(xb, m), "c", spread(xc, mc), "items", items);
    /* each skill's takers as the fit found them (the latent distribution) */
    json_t *lat = out ? json_array() : NULL;
    for (size_t k = 0; lat && k < res->nskills && k < d->nskills && res->latent_mean; k++)
        if (json_array_append_new(lat, json_pack("{s:s,s:o,s:o}", "skill", d->skills[k], "mean",
                                                 num_or_null(round4(res->latent_mean[k])), "sd",
                                                 num_or_null(round4(res->latent_sd[k]))))) {
            json_decref(lat);
            lat = NULL;
        }
    if (out && (!lat || json_object_set_new(out, "latent", lat))) {
        json_decref(out);
        out = NULL;
    }
    /* the scale: where the anchoring put the takers, and the verdict guard's
     * held-out shift of each skill's scores (docs/calibration.md "Anchoring
     * the scale") */
    json_t *sc = out ? json_array() : NULL;
    for (size_t k = 0; sc && k < res->nskills && k < d->nskills && res->shift; k++) {
        if (!res->shift_n[k])
            continue;
        if (json_array_append_new(sc, json_pack("{s:s,s:o,s:o,s:I,s:o}", "skill", d->skills[k],
                                                "shift", num_or_null(round4(res->shift[k])), "se",
                                                num_or_null(round4(res->shift_se[k])), "tests",
                                                (json_int_t)res->shift_n[k], "origin_se",
                                                num_or_null(round4(res->origin_se[k]))))) {
            json_decref(sc);
            sc = NULL;
        }
    }
    if (out &&
        (!sc || json_object_set_new(out, "scale", sc) ||
         json_object_set_new(out, "refused", json_string(res->refused)) ||
         json_object_set_new(out, "scale_skill",
                             res->shift && res->worst < d->nskills &&
                                     res->shift_n[res->worst] >= RF_RECAL_SHIFT_MIN_N &&
                                     !isnan(res->shift[res->worst])
                                 ? json_string(d->skills[res->worst])
                                 : json_null()) ||
         json_object_set_new(out, "anchor",
                             json_pack("{s:o,s:o,s:f}", "mu0", num_or_null(round4(res->lat_mu0)),
                                       "tau", num_or_null(round4(res->lat_tau)), "max_shift",
                                       RF_RECAL_MAX_SHIFT)))) {
        json_decref(out);
        out = NULL;
    }
    json_decref(items);
    free(ch);
    free(xa);
    free(xb);
    free(xc);
    return out;
}

/* The first test the active parameters have not seen: one after the
 * newest test read by the re-estimate applied last on revision rev's
 * lineage (its overlay's "fitted_to_test", which every revision made from
 * it carries), 0 when none was (the parameters are the authors' and the
 * promotions'). Only tests from it on are held out (rf_recal_opts), so the
 * applied bank is not judged on answers it was fitted to. */
static rf_status fitted_to_test(struct rf_app *a, int64_t rev, uint64_t *from,
                                struct rf_app_error *e)
{
    *from = 0;
    if (rev <= 0)
        return RF_OK;
    struct rf_bank_revision r;
    rf_status rc = rf_store_bank_revision_get(a->store, rev, &r, &e->err);
    if (rc)
        return rc;
    json_t *ov = json_loads(r.overlay, 0, NULL);
    json_int_t f = json_integer_value(json_object_get(ov, "fitted_to_test"));
    if (f > 0)
        *from = (uint64_t)f + 1;
    json_decref(ov);
    rf_store_bank_revision_cleanup(&r);
    return RF_OK;
}

/* The re-estimate of the items in use at version v (calib/recal.h), stored
 * as a run of kind "recal". Data the estimator refuses (RF_EINVAL: too few
 * answers, say) makes a proposal that is not accepted, its reason the
 * estimator's message, so that the review run still completes. */
static rf_status recal_run(struct rf_app *a, const struct rf_app_bankver *v, int64_t user,
                           struct rf_app_error *e)
{
    struct rf_recal_data d;
    struct rf_recal_result res;
    memset(&res, 0, sizeof res);
    struct rf_recal_opts o;
    rf_recal_opts_default(&o);
    o.threads = REVIEW_THREADS;
    json_t *j = NULL, *est = NULL;
    memset(&d, 0, sizeof d);
    char *text = NULL;
    rf_status rc = fitted_to_test(a, v->revision, &o.heldout_from, e);
    if (!rc)
        rc = rf_recal_collect(a->store, &a->bank, &v->view, &d, &e->err);
    if (rc)
        return rc;
    o.skills = d.skills;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = rf_recal_run(d.items, d.nitems, d.nskills, d.ans, d.n, &o, &res, &e->err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (rc == RF_EINVAL) {
        memset(&res, 0, sizeof res);
        res.ll_current = res.ll_new = res.ll_se = NAN;
        res.mu_loga = res.sd_loga = res.sd_b = res.mu_c = NAN;
        res.lat_mu0 = res.lat_tau = NAN;
        snprintf(res.refused, sizeof res.refused, "invalid_data");
        snprintf(res.why, sizeof res.why, "%s", e->err.msg);
        rf_err_clear(&e->err);
        rc = RF_OK;
    } else if (!rc && !(rc = rf_recal_result_to_json(&res, d.items, &est, &e->err))) {
        json_object_del(est, "items"); /* the proposal lists the changed items */
    }
    if (!rc && (!(j = proposal_json(&res, &d, &v->view)) ||
                json_object_set_new(j, "last_test", json_integer((json_int_t)d.max_test)) ||
                json_object_set_new(j, "heldout_from", json_integer((json_int_t)o.heldout_from)) ||
                (est && json_object_set_new(j, "estimator", est)) ||
                !(text = json_dumps(j, JSON_COMPACT))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    est = NULL; /* set into j, or freed by a failing json_object_set_new */
    int64_t id = 0;
    if (!rc)
        rc = rf_store_review_run_add(
            a->store, &(struct rf_review_run){0, v->revision, user, 0, "recal", text}, &id,
            &e->err);
    if (!rc)
        rf_app_log(a,
                   "review: re-estimate run %lld over %zu tests (%zu answers), %zu items in use, "
                   "%lld change, %s, %.1f s (%s)",
                   (long long)id, d.tests, d.n, d.nitems,
                   (long long)json_integer_value(json_object_get(j, "changed")),
                   res.accept ? "accepted" : "not accepted", secs, who(user, (char[32]){0}));
    json_decref(est);
    free(text);
    json_decref(j);
    rf_recal_result_cleanup(&res);
    if (!rc) /* each test kind's latent distribution and the loadings, from the same data */
        rc = rf_app_latent_run(a, v, &d, user, e);
    rf_recal_data_cleanup(&d);
    return rc;
}

/* The staff's decision on re-estimate run `run` that stands in the active
 * version: the newest decision answering it without an item whose revision
 * is on the active lineage. */
struct recal_decision {
    int64_t run;
    const int64_t *line;
    size_t nline;
    json_t *found;
};

static void take_recal_decision(void *ud, const struct rf_review_decision *d)
{
    struct recal_decision *c = ud;
    if (c->found || d->run_id != c->run || d->item)
        return;
    struct decisions_ctx on = {NULL, 0, NULL, 0, c->line, c->nline};
    if (!on_line(&on, d->revision))
        return;
    c->found = decision_json(d);
    if (c->found) /* stored as update / keep: shown as what staff did */
        json_object_set_new(c->found, "action",
                            json_string(!strcmp(d->action, "update") ? "apply" : "dismiss"));
}

rf_status rf_app_review_run_decision(struct rf_app *a, const struct rf_app_bankver *v, int64_t run,
                                     json_t **out, struct rf_app_error *e)
{
    struct recal_decision c = {run, NULL, 0, NULL};
    int64_t *line = NULL;
    rf_status rc = lineage_of(a, v->revision, &line, &c.nline, e);
    c.line = line;
    if (!rc)
        rc = rf_store_review_decisions_list(a->store, take_recal_decision, &c, &e->err);
    free(line);
    if (rc) {
        json_decref(c.found);
        return rc;
    }
    *out = c.found;
    return RF_OK;
}

/* The latest re-estimate for the active version v (*out NULL before the
 * first): the proposal with its RECAL_SHOWN largest changes, its "run",
 * the "decision" on it that stands, "stale" (computed at another revision)
 * and "applicable". */
static rf_status recal_view(struct rf_app *a, const struct rf_app_bankver *v, json_t **out,
                            struct rf_app_error *e)
{
    *out = NULL;
    struct rf_review_run run;
    rf_status rc = rf_store_review_run_latest(a->store, "recal", &run, &e->err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    json_t *res = json_loads(run.result, 0, NULL), *dec = NULL;
    if (!json_is_object(res))
        rc = rf_app_fail(e, RF_EDB, NULL, "review run %lld: stored result is not JSON",
                         (long long)run.id);
    if (!rc)
        rc = rf_app_review_run_decision(a, v, run.id, &dec, e);
    if (!rc) {
        json_t *items = json_object_get(res, "items");
        while (json_array_size(items) > RECAL_SHOWN)
            json_array_remove(items, json_array_size(items) - 1);
        json_object_del(res, "estimator");
        int stale = run.revision != v->revision;
        int ok = json_is_true(json_object_get(res, "accept")) && !stale && !dec;
        if (json_object_set_new(res, "run",
                                json_pack("{s:I,s:I,s:I,s:I}", "id", (json_int_t)run.id,
                                          "revision", (json_int_t)run.revision, "at",
                                          (json_int_t)run.created, "by",
                                          (json_int_t)run.created_by)) ||
            json_object_set_new(res, "decision", dec ? dec : json_null()) ||
            json_object_set_new(res, "stale", json_boolean(stale)) ||
            json_object_set_new(res, "applicable", json_boolean(ok)))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        dec = NULL;
    }
    if (!rc) {
        *out = res;
        res = NULL;
    }
    json_decref(res);
    json_decref(dec);
    rf_store_review_run_cleanup(&run);
    return rc;
}

rf_status rf_app_review_reestimate(struct rf_app *a, const struct rf_principal *p,
                                   const json_t *req, json_t **out, struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    if (rc)
        return rc;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object");
    const json_t *jr = json_object_get(req, "run");
    const char *action, *note;
    if (!json_is_integer(jr) || json_integer_value(jr) <= 0)
        return rf_app_fail(e, RF_EINVAL, "run",
                           "field 'run': expected the number of the re-estimate run");
    if ((rc = rf_app_req_string(req, "action", 16, &action, e)) ||
        (rc = rf_app_opt_string(req, "note", NOTE_MAX, &note, e)))
        return rc;
    int apply = !strcmp(action, "apply");
    if (!apply && strcmp(action, "dismiss") != 0)
        return rf_app_fail(e, RF_EINVAL, "action", "field 'action': '%s' is not apply or dismiss",
                           action);
    int64_t want = (int64_t)json_integer_value(jr);
    const struct rf_app_bankver *v;
    if ((rc = rf_app_bank_current(a, &v, &e->err)))
        return rc;
    struct rf_review_run run;
    rc = rf_store_review_run_latest(a->store, "recal", &run, &e->err);
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_EINVAL, "run", "field 'run': no re-estimate run %lld",
                           (long long)want);
    if (rc)
        return rc;
    json_t *res = NULL, *dec = NULL, *entries = NULL;
    const json_t *o;
    size_t i, nitems = 0;
    if (want > run.id)
        rc = rf_app_fail(e, RF_EINVAL, "run", "field 'run': no re-estimate run %lld",
                         (long long)want);
    else if (want < run.id) {
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "recal_replaced",
                           "re-estimate run %lld was replaced by run %lld: decide on the latest",
                           (long long)want, (long long)run.id);
        rf_app_error_num(e, "run", (long long)want);
        rf_app_error_num(e, "latest", (long long)run.id);
    } else if (!json_is_object(res = json_loads(run.result, 0, NULL)))
        rc = rf_app_fail(e, RF_EDB, NULL, "review run %lld: stored result is not JSON",
                         (long long)run.id);
    if (!rc)
        rc = rf_app_review_run_decision(a, v, run.id, &dec, e);
    if (!rc && dec) {
        int applied = !strcmp(json_string_value(json_object_get(dec, "action")), "apply");
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", applied ? "recal_applied" : "recal_dismissed",
                           "re-estimate run %lld was %s already", (long long)run.id,
                           applied ? "applied" : "dismissed");
        rf_app_error_num(e, "run", (long long)run.id);
    }
    if (!rc && apply && run.revision != v->revision) {
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "recal_stale",
                           "re-estimate run %lld was computed against bank revision %lld, and "
                           "revision %lld is active now: run the re-estimate again",
                           (long long)run.id, (long long)run.revision, (long long)v->revision);
        rf_app_error_num(e, "run", (long long)run.id);
        rf_app_error_num(e, "revision", (long long)run.revision);
        rf_app_error_num(e, "active", (long long)v->revision);
    }
    if (!rc && apply && !json_is_true(json_object_get(res, "accept"))) {
        const char *why = json_string_value(json_object_get(res, "why"));
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "recal_not_accepted",
                           "re-estimate run %lld was not accepted by its held-out check: %s",
                           (long long)run.id, why && why[0] ? why : "no reason given");
        rf_app_error_num(e, "run", (long long)run.id);
    }
    if (!rc && apply && !(entries = json_object()))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    json_array_foreach(apply && !rc ? json_object_get(res, "items") : NULL, i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        size_t bi;
        const char *state = id ? item_state(v, id, &bi) : NULL;
        json_t *par = NULL;
        if (!state || !strcmp(state, "pretest") || !strcmp(state, "retired")) {
            rc = rf_app_refuse(e, RF_ECONFLICT, "run", "recal_item_unused",
                               "item '%s' of re-estimate run %lld is not in use in the active "
                               "bank",
                               id ? id : "?", (long long)run.id);
            rf_app_error_num(e, "run", (long long)run.id);
            rf_app_error_text(e, "item", id ? id : "?");
        } else if (!(par = estimate_params(json_object_get(o, "to"), &v->view.items[bi], e)))
            rc = e->err.rc ? e->err.rc : RF_ENOMEM;
        else if (json_object_set_new(entries, id, json_pack("{s:o}", "params", par)))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        if (rc)
            break;
        nitems++;
    }
    if (!rc && apply && !nitems) {
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "recal_no_change",
                           "re-estimate run %lld changes no item", (long long)run.id);
        rf_app_error_num(e, "run", (long long)run.id);
    }
    struct rf_review_decision d = {0, v->revision, run.id, p->user_id, 0, NULL,
                                   apply ? "update" : "keep", (char *)(note ? note : "")};
    int64_t rev = v->revision, did = 0;
    char *overlay = NULL, summary[160];
    if (!rc && apply) {
        snprintf(summary, sizeof summary, "re-estimate of %zu items in use (re-estimate run %lld)",
                 nitems, (long long)run.id);
        rc = overlay_with_all(a, v->revision, entries,
                              json_integer_value(json_object_get(res, "last_test")), &overlay, e);
        entries = NULL;
        if (!rc)
            rc = rf_store_bank_revision_add(
                a->store,
                &(struct rf_bank_revision){0, v->revision, p->user_id, 0, overlay, summary}, &d,
                &rev, &e->err);
        const struct rf_app_bankver *nv;
        if (!rc)
            rc = rf_app_bank_current(a, &nv, &e->err);
        if (!rc)
            rf_app_log(a, "review: re-estimate run %lld applied: bank revision %lld (from %lld, "
                          "%zu items, user %lld)",
                       (long long)run.id, (long long)rev, (long long)v->revision, nitems,
                       (long long)p->user_id);
    } else if (!rc) {
        rc = rf_store_review_decision_add(a->store, &d, &did, &e->err);
    }
    if (!rc)
        *out = json_pack("{s:I,s:s,s:I,s:I,s:I}", "run", (json_int_t)run.id, "action", action,
                         "revision", (json_int_t)rev, "previous", (json_int_t)v->revision,
                         "items", (json_int_t)nitems);
    free(overlay);
    json_decref(entries);
    json_decref(dec);
    json_decref(res);
    rf_store_review_run_cleanup(&run);
    return rc;
}
