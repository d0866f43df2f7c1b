/*
 * Which pretest items are live (docs/calibration.md "Pretest batches"), for
 * the Admin page: the settings that decide the batches (shared with the
 * seeding of new tests, rf_app_pretest_seed), and each skill's current batch
 * with the answers calibration will have (finished tests' answers, store.h
 * rf_store_item_answer_counts) against the target, and the standard errors
 * of the latest calibration run for the items it estimated. Shown to the
 * admins of the organization that keeps the bank only (rf_app_bank_admin).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "cat/pool.h"
#include "cat/pretest.h"
#include "cat/session.h"
#include "server/app_flow.h"
#include "store/store.h"

rf_status rf_app_bank_admin(struct rf_app *a, const struct rf_principal *p, struct rf_app_error *e)
{
    if (!p->user_id || strcmp(p->role, "admin") != 0)
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as an admin to review the item bank");
    int64_t first = 0;
    rf_status rc = rf_store_org_first(a->store, &first, &e->err);
    if (rc)
        return rc;
    if (first != p->org_id)
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "not found");
    return RF_OK;
}

void rf_app_pretest_settings(const struct rf_app *a, size_t *per_test, size_t *batch,
                             int64_t *target)
{
    size_t want = a->cfg.pretest == 0  ? RF_WEB_PRETEST
                  : a->cfg.pretest < 0 ? 0
                                       : (size_t)a->cfg.pretest;
    *per_test = want > RF_CAT_MAX_PRETEST ? RF_CAT_MAX_PRETEST : want;
    *batch = a->cfg.pretest_batch == 0  ? RF_WEB_PRETEST_BATCH
             : a->cfg.pretest_batch < 0 ? 0
                                        : (size_t)a->cfg.pretest_batch;
    *target = a->cfg.pretest_target == 0  ? RF_WEB_PRETEST_TARGET
              : a->cfg.pretest_target < 0 ? 0
                                          : (int64_t)a->cfg.pretest_target;
}

/* The latest pretest run's items by id (a new reference, or NULL when
 * there is no run), and its id into *run (0: none). */
static rf_status latest_run(struct rf_app *a, json_t **by_id, int64_t *run, struct rf_app_error *e)
{
    *by_id = NULL;
    *run = 0;
    struct rf_review_run r;
    rf_status rc = rf_store_review_run_latest(a->store, "pretest", &r, &e->err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    json_t *res = json_loads(r.result, 0, NULL), *map = json_object(), *o;
    size_t i;
    if (!res || !map) {
        json_decref(res);
        json_decref(map);
        rf_store_review_run_cleanup(&r);
        return rf_app_fail(e, RF_EDB, NULL, "review run %lld: stored result is not JSON",
                           (long long)r.id);
    }
    json_array_foreach(json_object_get(res, "items"), i, o)
    {
        const char *id = json_string_value(json_object_get(o, "id"));
        if (id)
            json_object_set(map, id, o);
    }
    *by_id = map;
    *run = r.id;
    json_decref(res);
    rf_store_review_run_cleanup(&r);
    return RF_OK;
}

/* x as JSON: a number, or null when it is not one. */
static json_t *num_or_null(const json_t *x)
{
    return json_is_number(x) ? json_real(json_number_value(x)) : json_null();
}

/* A live item's entry: id, answers (finished tests), and under "calibrated"
 * the latest run's figures when it estimated the item (else null): its n,
 * se_a, se_b (a graded item: its largest threshold's) and ready. */
static json_t *live_item(const char *id, int64_t answers, const json_t *est)
{
    json_t *o = json_pack("{s:s,s:I}", "id", id, "answers", (json_int_t)answers);
    if (!o)
        return NULL;
    json_t *cal = json_null();
    if (est && json_is_true(json_object_get(est, "estimated"))) {
        const json_t *se = json_object_get(est, "se"), *sb = json_object_get(se, "b"), *x;
        if (json_is_array(sb)) {
            size_t k;
            const json_t *most = NULL;
            json_array_foreach(sb, k, x)
            {
                if (json_is_number(x) && (!most || json_number_value(x) > json_number_value(most)))
                    most = x;
            }
            sb = most;
        }
        const json_t *nn = json_object_get(est, "n");
        cal = json_pack("{s:o,s:o,s:o,s:b}", "n",
                        json_is_integer(nn) ? json_integer(json_integer_value(nn)) : json_null(),
                        "se_a", num_or_null(json_object_get(se, "a")), "se_b", num_or_null(sb),
                        "ready", json_is_true(json_object_get(est, "ready")));
    }
    if (!cal || json_object_set_new(o, "calibrated", cal)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

rf_status rf_app_review_pretest(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                struct rf_app_error *e)
{
    rf_status rc = rf_app_bank_admin(a, p, e);
    const struct rf_app_bankver *v = NULL;
    if (!rc)
        rc = rf_app_bank_current(a, &v, &e->err);
    if (rc)
        return rc;
    size_t per_test, batch, n = v->npretest;
    int64_t target;
    rf_app_pretest_settings(a, &per_test, &batch, &target);
    const struct rf_cat_pool *pool = v->opool;
    size_t *skill = malloc((n ? n : 1) * sizeof *skill);
    int64_t *count = calloc(n ? n : 1, sizeof *count);
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    unsigned char *live = malloc(n ? n : 1), *done = calloc(n ? n : 1, 1);
    json_t *by_id = NULL, *skills = json_array(), *root = NULL;
    int64_t run = 0;
    if (!skill || !count || !ids || !live || !done || !skills)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        skill[i] = pool->skill[v->pretest[i]];
        ids[i] = pool->ids[v->pretest[i]];
    }
    if (!rc)
        rc = rf_store_item_answer_counts(a->store, n, ids, count, &e->err);
    if (!rc)
        rc = latest_run(a, &by_id, &run, e);
    if (!rc)
        rf_cat_pretest_batch(n, skill, count, batch, target, live);
    /* skills in the order of their first pretest item; live items in bank order */
    for (size_t i = 0; !rc && i < n; i++) {
        if (done[i])
            continue;
        json_t *items = json_array();
        size_t total = 0;
        for (size_t j = i; items && j < n; j++) {
            if (skill[j] != skill[i])
                continue;
            done[j] = 1;
            total++;
            json_t *o =
                live[j] ? live_item(ids[j], count[j], json_object_get(by_id, ids[j])) : NULL;
            if (live[j] && (!o || json_array_append_new(items, o))) {
                json_decref(items);
                items = NULL;
            }
        }
        size_t nlive = json_array_size(items);
        json_t *s = items ? json_pack("{s:s,s:I,s:I,s:o}", "skill", pool->skills[skill[i]],
                                      "pretest", (json_int_t)total, "waiting",
                                      (json_int_t)(total - nlive), "live", items)
                          : NULL;
        if (!s || json_array_append_new(skills, s))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc && !(root = json_pack(
                     "{s:I,s:I,s:I,s:I,s:o,s:O}", "revision", (json_int_t)v->revision, "per_test",
                     (json_int_t)per_test, "batch", (json_int_t)batch, "target", (json_int_t)target,
                     "run", run ? json_integer((json_int_t)run) : json_null(), "skills", skills)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc)
        *out = root;
    json_decref(skills);
    json_decref(by_id);
    free(skill);
    free(count);
    free(ids);
    free(live);
    free(done);
    return rc;
}
