/*
 * Each test kind's latent distribution and the loadings, from the store
 * (app_flow.h; docs/calibration.md "Each test kind's latent distribution
 * and the loadings"). Every review run ends with the re-estimate of the
 * items in use (app_review.c); from the same data this estimates, per kind
 * of test (practice, posting, role: server/recal_data.h), each skill's
 * N(mean, sd^2) with SEs, and the loadings of the higher-order model
 * (calib/kindlat.h), with a held-out check for each kind and for the
 * loadings, and stores the proposal as a review run of kind "latent".
 * Staff apply it (POST /api/review/latent) as ONE bank revision whose
 * overlay's "prior" holds what was accepted; new tests of each kind then
 * start from it (rf_app_prior_apply), tests in flight keep the prior their
 * session file holds, and a rollback restores the previous revision's.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/mem.h"
#include "calib/kindlat.h"
#include "server/app_flow.h"
#include "server/recal_data.h"
#include "store/store.h"

#define NOTE_MAX 500

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

static json_t *num(double x)
{
    return isfinite(x) ? json_real(round4(x)) : json_null();
}

/* The taxonomy index of skill id, or SIZE_MAX. */
static size_t tax_of(struct rf_app *a, const char *id)
{
    size_t k;
    return rf_taxonomy_find(&a->car.tax, id, &k) ? SIZE_MAX : k;
}

/* The current prior of the data's skills at version v. */
static void current_prior(struct rf_app *a, const struct rf_app_bankver *v,
                          const struct rf_recal_data *d, double *mu, double *sd, double *lambda)
{
    size_t ns = a->car.tax.nskills;
    for (size_t s = 0; s < d->nskills; s++) {
        size_t k = tax_of(a, d->skills[s]);
        lambda[s] = k == SIZE_MAX                    ? RF_HIER_DEFAULT_LAMBDA
                    : v->lambda && v->lambda[k] >= 0 ? v->lambda[k]
                                                     : a->car.tax.skills[k].loading;
        for (int c = 0; c < RF_TEST_NKINDS; c++) {
            double x = k != SIZE_MAX && v->ksd ? v->ksd[(size_t)c * ns + k] : 0;
            mu[(size_t)c * d->nskills + s] = x > 0 ? v->kmu[(size_t)c * ns + k] : 0;
            sd[(size_t)c * d->nskills + s] = x > 0 ? x : 0;
        }
    }
}

static json_t *heldout_json(size_t tests, double cur, double nw, double se)
{
    return json_pack("{s:I,s:o,s:o,s:o}", "tests", (json_int_t)tests, "ll_current", num(cur),
                     "ll_new", num(nw), "se", num(se));
}

/* The proposal as stored: per kind its skills' estimates and the check,
 * and the loadings. NULL when out of memory. */
static json_t *proposal(const struct rf_kindlat_result *res, const struct rf_recal_data *d,
                        const double *mu, const double *sd, size_t min_tests)
{
    json_t *kinds = json_array(), *ls = json_array();
    int bad = !kinds || !ls, any = 0;
    for (size_t c = 0; !bad && c < res->nkinds; c++) {
        const struct rf_kindlat_kind *K = &res->kind[c];
        json_t *sk = json_array();
        for (size_t s = 0; sk && s < res->nskills; s++) {
            const struct rf_kindlat_est *e = &res->est[c * res->nskills + s];
            size_t r = c * d->nskills + s;
            if (!e->n)
                continue;
            json_t *o = json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:b,s:{s:o,s:o}}", "skill",
                                  d->skills[s], "n", (json_int_t)e->n, "mean", num(e->mean), "sd",
                                  num(e->sd), "se_mean", num(e->se_mean), "se_sd", num(e->se_sd),
                                  "proposed", e->proposed, "current", "mean",
                                  num(sd[r] > 0 ? mu[r] : 0), "sd", num(sd[r] > 0 ? sd[r] : 1));
            if (!o || json_array_append_new(sk, o)) {
                json_decref(sk);
                sk = NULL;
            }
        }
        any |= K->accept;
        json_t *ko =
            sk ? json_pack("{s:s,s:I,s:b,s:s,s:o,s:o}", "kind", rf_test_kind_name((int)c), "tests",
                           (json_int_t)K->tests, "accept", K->accept, "why", K->why, "heldout",
                           heldout_json(K->tests_heldout, K->ll_current, K->ll_new, K->se),
                           "skills", sk)
               : NULL;
        bad = !ko || json_array_append_new(kinds, ko);
    }
    for (size_t s = 0; !bad && s < res->nskills && res->lambda; s++) {
        if (!res->lambda_n[s])
            continue;
        json_t *o =
            json_pack("{s:s,s:I,s:o,s:o,s:b}", "skill", d->skills[s], "n",
                      (json_int_t)res->lambda_n[s], "lambda", num(res->lambda[s]), "current",
                      num(res->lambda_current[s]), "proposed", res->lambda_proposed[s]);
        bad = !o || json_array_append_new(ls, o);
    }
    any |= res->l_accept;
    json_t *out = NULL;
    if (!bad)
        out = json_pack(
            "{s:I,s:I,s:I,s:b,s:o,s:{s:b,s:s,s:I,s:b,s:o,s:o}}", "tests", (json_int_t)d->tests,
            "answers", (json_int_t)d->n, "min_tests", (json_int_t)min_tests, "accept", any, "kinds",
            kinds, "loadings", "accept", res->l_accept, "why", res->l_why, "iterations",
            (json_int_t)res->lambda_iter, "converged", res->lambda_converged, "heldout",
            heldout_json(res->l_tests_heldout, res->l_ll_current, res->l_ll_new, res->l_se),
            "skills", ls);
    else {
        json_decref(kinds);
        json_decref(ls);
    }
    return out;
}

rf_status rf_app_latent_run(struct rf_app *a, const struct rf_app_bankver *v,
                            const struct rf_recal_data *d, int64_t user, struct rf_app_error *e)
{
    size_t ns = d->nskills ? d->nskills : 1;
    double *mu = rf_alloc_array(RF_TEST_NKINDS * ns, sizeof *mu);
    double *sd = rf_alloc_array(RF_TEST_NKINDS * ns, sizeof *sd);
    double *lambda = rf_alloc_array(ns, sizeof *lambda);
    if (!mu || !sd || !lambda) {
        free(mu);
        free(sd);
        free(lambda);
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    current_prior(a, v, d, mu, sd, lambda);
    struct rf_kindlat_prior cur = {RF_TEST_NKINDS, d->nskills, mu, sd, lambda};
    struct rf_kindlat_opts o;
    rf_kindlat_opts_default(&o);
    o.heldout_from = v->prior_from;
    o.min_tests = RF_LATENT_MIN_TESTS;
    struct rf_kindlat_result res;
    memset(&res, 0, sizeof res);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rf_status rc = d->nskills ? rf_kindlat_run(d->items, d->nitems, d->nskills, d->ans, d->kind,
                                               d->n, &cur, &o, &res, &e->err)
                              : RF_EINVAL;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    json_t *j = NULL;
    char *text = NULL;
    if (rc == RF_EINVAL) { /* data the estimator refuses: a proposal nothing accepts */
        j = json_pack("{s:I,s:I,s:I,s:b,s:[],s:{s:b,s:s,s:[]},s:s}", "tests", (json_int_t)d->tests,
                      "answers", (json_int_t)d->n, "min_tests", (json_int_t)o.min_tests, "accept",
                      0, "kinds", "loadings", "accept", 0, "why", "not estimated", "skills", "why",
                      d->nskills ? e->err.msg : "no items in use");
        rf_err_clear(&e->err);
        rc = RF_OK;
    } else if (!rc) {
        j = proposal(&res, d, mu, sd, o.min_tests);
    }
    if (!rc && (!j || json_object_set_new(j, "last_test", json_integer((json_int_t)d->max_test)) ||
                json_object_set_new(j, "heldout_from", json_integer((json_int_t)o.heldout_from)) ||
                !(text = json_dumps(j, JSON_COMPACT))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    int64_t id = 0;
    if (!rc)
        rc = rf_store_review_run_add(
            a->store, &(struct rf_review_run){0, v->revision, user, 0, "latent", text}, &id,
            &e->err);
    if (!rc) {
        size_t acc = 0;
        for (size_t c = 0; c < res.nkinds; c++)
            acc += (size_t)res.kind[c].accept;
        rf_app_log(a,
                   "review: latent run %lld over %zu tests, %zu of %d kinds accepted, loadings "
                   "%s, %.1f s (%s)",
                   (long long)id, d->tests, acc, RF_TEST_NKINDS,
                   res.l_accept ? "accepted" : "not accepted", secs,
                   user ? "by staff" : "scheduled");
    }
    free(text);
    json_decref(j);
    rf_kindlat_result_cleanup(&res);
    free(mu);
    free(sd);
    free(lambda);
    return rc;
}

/* The parts of proposal res a revision would apply: each accepted kind's
 * proposed skills and, when accepted, the proposed loadings (*n counts them). */
static size_t applied_parts(const json_t *res, size_t *nkinds, size_t *nload)
{
    const json_t *k, *s;
    size_t i, j;
    *nkinds = *nload = 0;
    json_array_foreach(json_object_get(res, "kinds"), i, k)
    {
        if (!json_is_true(json_object_get(k, "accept")))
            continue;
        size_t n = 0;
        json_array_foreach(json_object_get(k, "skills"), j, s) n +=
            json_is_true(json_object_get(s, "proposed"));
        *nkinds += n > 0;
    }
    const json_t *ld = json_object_get(res, "loadings");
    if (json_is_true(json_object_get(ld, "accept")))
        json_array_foreach(json_object_get(ld, "skills"), j, s) *nload +=
            json_is_true(json_object_get(s, "proposed"));
    return *nkinds + *nload;
}

rf_status rf_app_latent_view(struct rf_app *a, const struct rf_app_bankver *v, json_t **out,
                             struct rf_app_error *e)
{
    *out = NULL;
    struct rf_review_run run;
    rf_status rc = rf_store_review_run_latest(a->store, "latent", &run, &e->err);
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
        size_t nk, nl;
        int stale = run.revision != v->revision;
        int ok = applied_parts(res, &nk, &nl) > 0 && !stale && !dec;
        if (json_object_set_new(res, "run",
                                json_pack("{s:I,s:I,s:I,s:I}", "id", (json_int_t)run.id, "revision",
                                          (json_int_t)run.revision, "at", (json_int_t)run.created,
                                          "by", (json_int_t)run.created_by)) ||
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

/* The parent's overlay with its "prior" updated by proposal res (the
 * accepted kinds' proposed skills, the accepted loadings) and its
 * "fitted_to_test" set to the run's last test; as text (*text). */
static rf_status overlay_with_prior(struct rf_app *a, int64_t parent, const json_t *res,
                                    char **text, struct rf_app_error *e)
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
    if (!rc && !json_is_object(ov))
        rc = rf_app_fail(e, RF_EDB, NULL, "bank revision %lld: overlay is not readable",
                         (long long)parent);
    json_t *pr = json_object_get(ov, "prior");
    if (!rc && !json_is_object(pr) &&
        (!(pr = json_pack("{s:{},s:{}}", "kinds", "loadings")) ||
         json_object_set_new(ov, "prior", pr)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    json_t *kinds = json_object_get(pr, "kinds"), *lds = json_object_get(pr, "loadings");
    if (!rc && !json_is_object(kinds) && json_object_set_new(pr, "kinds", kinds = json_object()))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !json_is_object(lds) && json_object_set_new(pr, "loadings", lds = json_object()))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    const json_t *k, *s;
    size_t i, j;
    json_array_foreach(rc ? NULL : json_object_get(res, "kinds"), i, k)
    {
        if (!json_is_true(json_object_get(k, "accept")))
            continue;
        const char *kn = json_string_value(json_object_get(k, "kind"));
        json_t *ko = kn ? json_object_get(kinds, kn) : NULL;
        if (kn && !ko && json_object_set_new(kinds, kn, ko = json_object()))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        json_array_foreach(rc || !ko ? NULL : json_object_get(k, "skills"), j, s)
        {
            const char *sk = json_string_value(json_object_get(s, "skill"));
            if (!sk || !json_is_true(json_object_get(s, "proposed")))
                continue;
            if (json_object_set_new(ko, sk,
                                    json_pack("[f,f]",
                                              json_number_value(json_object_get(s, "mean")),
                                              json_number_value(json_object_get(s, "sd")))))
                rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        }
    }
    const json_t *ld = json_object_get(res, "loadings");
    json_array_foreach(
        rc || !json_is_true(json_object_get(ld, "accept")) ? NULL : json_object_get(ld, "skills"),
        j, s)
    {
        const char *sk = json_string_value(json_object_get(s, "skill"));
        if (sk && json_is_true(json_object_get(s, "proposed")) &&
            json_object_set_new(lds, sk,
                                json_real(json_number_value(json_object_get(s, "lambda")))))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc &&
        json_object_set_new(pr, "fitted_to_test",
                            json_integer(json_integer_value(json_object_get(res, "last_test")))))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !(*text = json_dumps(ov, JSON_COMPACT | JSON_SORT_KEYS)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    json_decref(ov);
    return rc;
}

/* The reasons the proposal's parts were not accepted, joined (buf of n). */
static void whys(const json_t *res, char *buf, size_t n)
{
    const json_t *k;
    size_t i, used = 0;
    buf[0] = '\0';
    json_array_foreach(json_object_get(res, "kinds"), i, k)
    {
        int w = snprintf(buf + used, n - used, "%s%s: %s", used ? "; " : "",
                         json_string_value(json_object_get(k, "kind")),
                         json_string_value(json_object_get(k, "why")));
        used = w > 0 && (size_t)w < n - used ? used + (size_t)w : n - 1;
    }
    snprintf(buf + used, n - used, "%sloadings: %s", used ? "; " : "",
             json_string_value(json_object_get(json_object_get(res, "loadings"), "why")));
}

rf_status rf_app_review_latent(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                               json_t **out, struct rf_app_error *e)
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
                           "field 'run': expected the number of the latent run");
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
    rc = rf_store_review_run_latest(a->store, "latent", &run, &e->err);
    if (rc == RF_ENOTFOUND)
        return rf_app_fail(e, RF_EINVAL, "run", "field 'run': no latent run %lld", (long long)want);
    if (rc)
        return rc;
    json_t *res = NULL, *dec = NULL;
    size_t nk = 0, nl = 0;
    if (want > run.id)
        rc = rf_app_fail(e, RF_EINVAL, "run", "field 'run': no latent run %lld", (long long)want);
    else if (want < run.id) {
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "latent_replaced",
                           "latent run %lld was replaced by run %lld: decide on the latest",
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
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", applied ? "latent_applied" : "latent_dismissed",
                           "latent run %lld was %s already", (long long)run.id,
                           applied ? "applied" : "dismissed");
        rf_app_error_num(e, "run", (long long)run.id);
    }
    if (!rc && apply && run.revision != v->revision) {
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "latent_stale",
                           "latent run %lld was computed against bank revision %lld, and revision "
                           "%lld is active now: run it again",
                           (long long)run.id, (long long)run.revision, (long long)v->revision);
        rf_app_error_num(e, "run", (long long)run.id);
        rf_app_error_num(e, "revision", (long long)run.revision);
        rf_app_error_num(e, "active", (long long)v->revision);
    }
    if (!rc && apply && !applied_parts(res, &nk, &nl)) {
        char why[RF_ERRMSG_LEN / 2];
        whys(res, why, sizeof why);
        rc = rf_app_refuse(e, RF_ECONFLICT, "run", "latent_not_accepted",
                           "latent run %lld was not accepted by its held-out check: %s",
                           (long long)run.id, why);
        rf_app_error_num(e, "run", (long long)run.id);
    }
    struct rf_review_decision d = {0,
                                   v->revision,
                                   run.id,
                                   p->user_id,
                                   0,
                                   NULL,
                                   apply ? "update" : "keep",
                                   (char *)(note ? note : "")};
    int64_t rev = v->revision, did = 0;
    char *overlay = NULL, summary[160];
    if (!rc && apply) {
        snprintf(summary, sizeof summary,
                 "latent distributions of %zu test kinds and %zu loadings (latent run %lld)", nk,
                 nl, (long long)run.id);
        rc = overlay_with_prior(a, v->revision, res, &overlay, e);
        if (!rc)
            rc = rf_store_bank_revision_add(
                a->store,
                &(struct rf_bank_revision){0, v->revision, p->user_id, 0, overlay, summary}, &d,
                &rev, &e->err);
        if (rc == RF_ECONFLICT) {
            rc = rf_app_refuse(e, RF_ECONFLICT, "run", "latent_changed",
                               "the active bank revision changed while latent run %lld was "
                               "applied: run it again",
                               (long long)run.id);
            rf_app_error_num(e, "run", (long long)run.id);
        }
        const struct rf_app_bankver *nv;
        if (!rc)
            rc = rf_app_bank_current(a, &nv, &e->err);
        if (!rc)
            rf_app_log(a,
                       "review: latent run %lld applied: bank revision %lld (from %lld, %zu "
                       "kinds, %zu loadings, user %lld)",
                       (long long)run.id, (long long)rev, (long long)v->revision, nk, nl,
                       (long long)p->user_id);
    } else if (!rc) {
        rc = rf_store_review_decision_add(a->store, &d, &did, &e->err);
    }
    if (!rc)
        *out = json_pack("{s:I,s:s,s:I,s:I,s:I,s:I}", "run", (json_int_t)run.id, "action", action,
                         "revision", (json_int_t)rev, "previous", (json_int_t)v->revision, "kinds",
                         (json_int_t)nk, "loadings", (json_int_t)nl);
    free(overlay);
    json_decref(dec);
    json_decref(res);
    rf_store_review_run_cleanup(&run);
    return rc;
}
