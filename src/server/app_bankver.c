/*
 * Versions of the bank the server scores with (app_flow.h "bank versions";
 * docs/calibration.md "Review and bank versions"). The bank file is revision
 * 0; each staff promotion or retirement stores a revision whose overlay holds
 * every change since the file (store.h). A version is the file's items with
 * its overlay applied and the pools built over them. Versions are built when
 * first needed and kept until the application closes: a test restores over
 * the version it started with, whatever is active now.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "bank/params.h"
#include "base/mem.h"
#include "cat/pool.h"
#include "server/app_flow.h"
#include "server/recal_data.h"
#include "store/store.h"

static void bankver_free(struct rf_app_bankver *v)
{
    if (!v)
        return;
    rf_cat_pool_free(v->pool);
    rf_cat_pool_free(v->opool);
    free(v->pretest);
    free(v->items);
    free(v->kmu);
    free(v->ksd);
    free(v->lambda);
    free(v);
}

/* Applies one overlay entry to item it (a shallow copy of the file's). */
static rf_status apply_entry(struct rf_item *it, const json_t *o, const char *where,
                             struct rf_err *err)
{
    if (!json_is_object(o))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", where);
    const json_t *pool = json_object_get(o, "pool"), *ret = json_object_get(o, "retired");
    const json_t *par = json_object_get(o, "params");
    if (pool) {
        enum rf_item_pool p;
        if (!json_is_string(pool) || rf_item_pool_parse(json_string_value(pool), &p))
            return rf_err_set(err, RF_EINVAL, "%s: field 'pool': not a pool", where);
        it->pool = p;
        it->pool_set = 1;
    }
    if (ret) {
        if (!json_is_boolean(ret))
            return rf_err_set(err, RF_EINVAL, "%s: field 'retired': expected true or false", where);
        it->retired = json_is_true(ret);
    }
    if (par) {
        struct rf_irt_item irt;
        rf_status rc = rf_params_from_json(par, &irt, where, err);
        if (rc)
            return rc;
        if (irt.ncat != it->irt.ncat)
            return rf_err_set(err, RF_EINVAL, "%s: %zu categories, the bank's item has %zu", where,
                              irt.ncat, it->irt.ncat);
        it->irt = irt;
        it->calibrated = 1;
    }
    return RF_OK;
}

/* The overlay's "prior" into v: {"kinds": {KIND: {SKILL: [mean, sd], ...}},
 * "loadings": {SKILL: lambda}}. A skill the taxonomy no longer has is left
 * out; a value out of range is an error naming it. */
static rf_status read_prior(struct rf_app *a, struct rf_app_bankver *v, const json_t *pr,
                            struct rf_err *err)
{
    size_t ns = a->car.tax.nskills ? a->car.tax.nskills : 1;
    v->kmu = rf_calloc_array(RF_TEST_NKINDS * ns, sizeof *v->kmu);
    v->ksd = rf_calloc_array(RF_TEST_NKINDS * ns, sizeof *v->ksd);
    v->lambda = rf_alloc_array(ns, sizeof *v->lambda);
    if (!v->kmu || !v->ksd || !v->lambda)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t k = 0; k < ns; k++)
        v->lambda[k] = -1;
    if (!pr)
        return RF_OK;
    if (!json_is_object(pr))
        return rf_err_set(err, RF_EINVAL, "bank revision %lld: field 'prior': expected an object",
                          (long long)v->revision);
    v->has_prior = 1;
    json_int_t f = json_integer_value(json_object_get(pr, "fitted_to_test"));
    v->prior_from = f > 0 ? (uint64_t)f + 1 : 0;
    const char *kn, *sk;
    const json_t *ko, *x;
    json_object_foreach((json_t *)json_object_get(pr, "kinds"), kn, ko)
    {
        int c = 0;
        while (c < RF_TEST_NKINDS && strcmp(rf_test_kind_name(c), kn) != 0)
            c++;
        if (c == RF_TEST_NKINDS)
            return rf_err_set(err, RF_EINVAL, "bank revision %lld: prior: unknown kind '%s'",
                              (long long)v->revision, kn);
        json_object_foreach((json_t *)ko, sk, x)
        {
            size_t k;
            if (rf_taxonomy_find(&a->car.tax, sk, &k))
                continue;
            double m = json_number_value(json_array_get(x, 0)),
                   sd = json_number_value(json_array_get(x, 1));
            if (!json_is_array(x) || json_array_size(x) != 2 || !(fabs(m) <= RF_HIER_MAX_MU) ||
                !(sd >= RF_HIER_MIN_TAU && sd <= RF_HIER_MAX_TAU))
                return rf_err_set(err, RF_EINVAL,
                                  "bank revision %lld: prior: kind '%s', skill '%s': expected "
                                  "[mean, sd] with |mean| <= %g and sd %g to %g",
                                  (long long)v->revision, kn, sk, RF_HIER_MAX_MU, RF_HIER_MIN_TAU,
                                  RF_HIER_MAX_TAU);
            v->kmu[(size_t)c * ns + k] = m;
            v->ksd[(size_t)c * ns + k] = sd;
        }
    }
    json_object_foreach((json_t *)json_object_get(pr, "loadings"), sk, x)
    {
        size_t k;
        if (rf_taxonomy_find(&a->car.tax, sk, &k))
            continue;
        double l = json_number_value(x);
        if (!json_is_number(x) || !(l >= 0 && l <= RF_HIER_MAX_LAMBDA))
            return rf_err_set(err, RF_EINVAL,
                              "bank revision %lld: prior: loading of '%s': expected 0 to %g",
                              (long long)v->revision, sk, RF_HIER_MAX_LAMBDA);
        v->lambda[k] = l;
    }
    return RF_OK;
}

/* Version rev of the bank: the file's items with overlay (JSON text, NULL:
 * none) applied. An overlay entry naming an item the file no longer has is
 * left out (and logged): the file was changed since the revision was made. */
static rf_status build(struct rf_app *a, int64_t rev, const char *overlay,
                       struct rf_app_bankver **out, struct rf_err *err)
{
    struct rf_app_bankver *v = calloc(1, sizeof *v);
    if (!v || !(v->items = rf_alloc_array(a->bank.n, sizeof *v->items)) ||
        !(v->pretest = rf_alloc_array(a->bank.n, sizeof *v->pretest))) {
        bankver_free(v);
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    }
    v->revision = rev;
    memcpy(v->items, a->bank.items, a->bank.n * sizeof *v->items);
    v->view = a->bank;
    v->view.items = v->items;
    rf_status rc = RF_OK;
    if (overlay) {
        json_t *j = json_loads(overlay, 0, NULL);
        const json_t *items = json_object_get(j, "items"), *o;
        const char *id;
        if (!json_is_object(items))
            rc = rf_err_set(err, RF_EINVAL, "bank revision %lld: overlay without 'items'",
                            (long long)rev);
        size_t skipped = 0;
        json_object_foreach((json_t *)items, id, o)
        {
            size_t i;
            if (rc)
                break;
            if (rf_bank_find(&a->bank, id, &i)) {
                skipped++;
                continue;
            }
            char where[RF_ERRMSG_LEN / 2];
            snprintf(where, sizeof where, "bank revision %lld: item '%s'", (long long)rev, id);
            rc = apply_entry(&v->items[i], o, where, err);
        }
        if (!rc)
            rc = read_prior(a, v, json_object_get(j, "prior"), err);
        json_decref(j);
        if (skipped)
            rf_app_log(a, "bank revision %lld: %zu items of its overlay are not in the bank file",
                       (long long)rev, skipped);
    }
    if (!rc && !overlay)
        rc = read_prior(a, v, NULL, err);
    if (!rc)
        rc = rf_cat_pool_from_bank(&v->view, RF_CAT_POOL_SCORED | RF_CAT_POOL_PRACTICE, &a->q,
                                   &v->pool, err);
    if (!rc)
        rc = rf_cat_pool_from_bank(&v->view, RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL, &a->q,
                                   &v->opool, err);
    if (!rc && a->cfg.exposure)
        rc = rf_cat_exposure_load(v->pool, a->cfg.exposure, err);
    if (!rc && a->cfg.exposure)
        rc = rf_cat_exposure_load(v->opool, a->cfg.exposure, err);
    for (size_t i = 0; !rc && i < a->bank.n; i++) {
        const struct rf_item *it = &v->items[i];
        if (it->pool == RF_POOL_PRETEST && !it->retired && it->type != RF_ITEM_RUBRIC)
            v->pretest[v->npretest++] = (uint32_t)i;
    }
    if (rc) {
        bankver_free(v);
        return rc;
    }
    *out = v;
    return RF_OK;
}

/* Adds v to the loaded versions (the caller holds bvmu). */
static rf_status keep(struct rf_app *a, struct rf_app_bankver *v, struct rf_err *err)
{
    if (a->nbv == a->capbv) {
        size_t nc = a->capbv ? 2 * a->capbv : 4;
        struct rf_app_bankver **n = rf_realloc_array(a->bv, nc, sizeof(struct rf_app_bankver *));
        if (!n)
            return rf_err_set(err, RF_ENOMEM, "out of memory");
        a->bv = n;
        a->capbv = nc;
    }
    a->bv[a->nbv++] = v;
    return RF_OK;
}

rf_status rf_app_bank_init(struct rf_app *a, struct rf_err *err)
{
    struct rf_app_bankver *v;
    rf_status rc = pthread_mutex_init(&a->bvmu, NULL)
                       ? rf_err_set(err, RF_ENOMEM, "cannot create a mutex")
                       : build(a, 0, NULL, &v, err);
    if (!rc && (rc = keep(a, v, err)))
        bankver_free(v);
    if (rc)
        return rc;
    a->pool = v->pool;
    a->opool = v->opool;
    atomic_store(&a->cur, v);
    return RF_OK;
}

void rf_app_bank_free(struct rf_app *a)
{
    if (!a->bv)
        return;
    for (size_t i = 0; i < a->nbv; i++)
        bankver_free(a->bv[i]);
    free(a->bv);
    a->bv = NULL;
    a->nbv = 0;
    pthread_mutex_destroy(&a->bvmu);
}

rf_status rf_app_bank_get(struct rf_app *a, int64_t revision, const struct rf_app_bankver **out,
                          struct rf_err *err)
{
    rf_status rc = RF_OK;
    pthread_mutex_lock(&a->bvmu);
    for (size_t i = 0; i < a->nbv; i++)
        if (a->bv[i]->revision == revision) {
            *out = a->bv[i];
            pthread_mutex_unlock(&a->bvmu);
            return RF_OK;
        }
    struct rf_bank_revision r;
    struct rf_app_bankver *v = NULL;
    rc = revision > 0 ? rf_store_bank_revision_get(a->store, revision, &r, err)
                      : rf_err_set(err, RF_ENOTFOUND, "no bank revision %lld", (long long)revision);
    if (!rc) {
        rc = build(a, revision, r.overlay, &v, err);
        rf_store_bank_revision_cleanup(&r);
    }
    if (!rc && (rc = keep(a, v, err)))
        bankver_free(v);
    if (!rc)
        *out = v;
    pthread_mutex_unlock(&a->bvmu);
    return rc;
}

rf_status rf_app_bank_current(struct rf_app *a, const struct rf_app_bankver **out,
                              struct rf_err *err)
{
    int64_t rev;
    rf_status rc = rf_store_bank_revision_active(a->store, &rev, err);
    if (!rc)
        rc = rf_app_bank_get(a, rev, out, err);
    if (!rc)
        atomic_store(&a->cur, (struct rf_app_bankver *)*out);
    return rc;
}

rf_status rf_app_bank_refresh(struct rf_app *a, struct rf_err *err)
{
    const struct rf_app_bankver *v;
    return rf_app_bank_current(a, &v, err);
}

rf_status rf_app_bank_of_test(struct rf_app *a, const struct rf_test *t,
                              const struct rf_app_bankver **out, struct rf_err *err)
{
    json_t *sj = t->scope ? json_loads(t->scope, 0, NULL) : NULL;
    const json_t *b = json_object_get(sj, "bank");
    int64_t rev = json_is_integer(b) ? (int64_t)json_integer_value(b) : 0;
    json_decref(sj);
    return rf_app_bank_get(a, rev, out, err);
}

int64_t rf_app_pool_revision(struct rf_app *a, const struct rf_cat_pool *p)
{
    int64_t rev = 0;
    pthread_mutex_lock(&a->bvmu);
    for (size_t i = 0; i < a->nbv; i++)
        if (a->bv[i]->pool == p || a->bv[i]->opool == p)
            rev = a->bv[i]->revision;
    pthread_mutex_unlock(&a->bvmu);
    return rev;
}

struct rf_cat_pool *rf_app_pool(struct rf_app *a, int operational)
{
    return rf_app_bv_pool(atomic_load(&a->cur), operational);
}

void rf_app_prior_apply(struct rf_app *a, const struct rf_cat_pool *p, int kind,
                        struct rf_cat_design *d)
{
    const struct rf_app_bankver *v = NULL;
    pthread_mutex_lock(&a->bvmu);
    for (size_t i = 0; i < a->nbv; i++)
        if (a->bv[i]->pool == p || a->bv[i]->opool == p)
            v = a->bv[i];
    pthread_mutex_unlock(&a->bvmu);
    if (!v || !v->has_prior || kind < 0 || kind >= RF_TEST_NKINDS)
        return;
    size_t ns = a->car.tax.nskills;
    int assumed = 0;
    for (size_t j = 0; j < d->nscope; j++) {
        size_t k;
        if (rf_taxonomy_find(&a->car.tax, p->skills[d->scope[j]], &k))
            continue;
        double sd = v->ksd[(size_t)kind * ns + k];
        if (sd > 0) {
            d->pop_mu[j] = v->kmu[(size_t)kind * ns + k];
            d->pop_tau[j] = sd;
        }
        if (d->lambda[j] > 0 && v->lambda[k] >= 0)
            d->lambda[j] = v->lambda[k];
        else if (d->lambda[j] > 0 && !a->car.tax.skills[k].loading_calibrated)
            assumed = 1;
    }
    d->loadings_assumed = assumed;
}
