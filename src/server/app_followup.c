/*
 * Follow-up sessions (app.h, "measure this skill further"): a shorter test
 * on a few skills of a finished test, never repeating a question the
 * candidate has seen, whose evidence is added to the test's profile when it
 * finishes (rf_app_followup_combine, called by the answer flow). A find my
 * role test's confirm stage ("confirm your role") is one too: on the
 * undecided requirements of its most likely role (find my role's prior) or
 * of a role the candidate names (that role's role-test prior), the earlier
 * answers carried into its session (server/roletest.h rf_roletest_confirm,
 * rf_roletest_confirm_named).
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "careers/closest.h"
#include "careers/fit.h"
#include "careers/profile.h"
#include "cat/pool.h"
#include "cat/session.h"
#include "server/app_flow.h"
#include "server/roletest.h"
#include "server/sesscache.h"
#include "store/store.h"

/* The test a follow-up's scope names (followup_of), or 0. */
static int64_t followup_parent(const char *scope)
{
    json_t *sj = scope ? json_loads(scope, 0, NULL) : NULL;
    const json_t *v = json_object_get(sj, "followup_of");
    int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
    json_decref(sj);
    return id;
}

struct seen_ctx {
    struct rf_app *a;
    struct rf_cat_session *s;
    int carry;    /* carry the answers (a confirm stage) rather than block their items */
    rf_status rc; /* a carry's error */
    struct rf_err err;
};

/* Blocks an item the candidate has answered before, when it is in scope; or
 * carries the answer into the session (its evidence). */
static void block_seen(void *ud, const struct rf_answer *ans)
{
    struct seen_ctx *c = ud;
    const struct rf_cat_pool *p = rf_cat_session_pool(c->s);
    size_t i;
    if (rf_cat_pool_find(p, ans->item_id, &i) != RF_OK || !p->usable[i])
        return;
    if (c->carry) {
        if (!c->rc && ans->score >= 0)
            c->rc = rf_cat_carry(c->s, i, (size_t)ans->score, &c->err);
        return;
    }
    struct rf_err ignored;
    rf_cat_replay_block(c->s, i, &ignored); /* outside the scope: nothing to block */
}

/* The first test of the chain of follow-ups t belongs to is a find-my-role
 * test (its scope says find_role). */
static int chain_finds_role(struct rf_app *a, const struct rf_test *t)
{
    json_t *sj = json_loads(t->scope, 0, NULL);
    int find = json_is_true(json_object_get(sj, "find_role"));
    json_decref(sj);
    int64_t x = followup_parent(t->scope);
    for (int hops = 0; x && hops < RF_PROFILE_MAX_SESSIONS; hops++) {
        struct rf_test tx;
        struct rf_err ignored;
        if (rf_store_test_get(a->store, x, &tx, &ignored))
            return 0;
        sj = json_loads(tx.scope, 0, NULL);
        find = json_is_true(json_object_get(sj, "find_role"));
        json_decref(sj);
        x = followup_parent(tx.scope);
        rf_store_test_cleanup(&tx);
    }
    return find;
}

/* The role a confirm test's scope settled into out (size n), when it is one. */
static int scope_confirmed(const char *scope, char *out, size_t n)
{
    json_t *sj = json_loads(scope, 0, NULL);
    const char *r = json_string_value(json_object_get(sj, "role"));
    int yes = json_is_true(json_object_get(sj, "confirm")) && r && strlen(r) < n;
    if (yes)
        snprintf(out, n, "%s", r);
    json_decref(sj);
    return yes;
}

void rf_app_chain_reading(struct rf_app *a, const struct rf_test *t, int *find_role,
                          char *confirmed, size_t n)
{
    confirmed[0] = '\0';
    int have = scope_confirmed(t->scope, confirmed, n);
    json_t *sj = json_loads(t->scope, 0, NULL);
    int find = json_is_true(json_object_get(sj, "find_role"));
    json_decref(sj);
    int64_t x = followup_parent(t->scope);
    for (int hops = 0; x && hops < RF_PROFILE_MAX_SESSIONS; hops++) {
        struct rf_test tx;
        struct rf_err ignored;
        if (rf_store_test_get(a->store, x, &tx, &ignored))
            break;
        if (!have)
            have = scope_confirmed(tx.scope, confirmed, n);
        sj = json_loads(tx.scope, 0, NULL);
        find = json_is_true(json_object_get(sj, "find_role"));
        json_decref(sj);
        x = followup_parent(tx.scope);
        rf_store_test_cleanup(&tx);
    }
    *find_role = find;
}

/* Requirements of role that a confirm stage would settle on profile pr:
 * measured or not, P(meets) strictly between 1 - RF_ROLETEST_DECIDE_P and
 * RF_ROLETEST_DECIDE_P. -1 on error. */
static int undecided_reqs(struct rf_app *a, const struct rf_profile *pr, const struct rf_role *role)
{
    struct rf_role_fit f;
    struct rf_err err;
    if (rf_fit_role(pr, &a->car.roles, role, &f, &err))
        return -1;
    int n = 0;
    for (size_t k = 0; k < f.nreqs; k++)
        n += f.reqs[k].p < RF_ROLETEST_DECIDE_P && f.reqs[k].p > 1 - RF_ROLETEST_DECIDE_P;
    rf_fit_cleanup(&f);
    return n;
}

json_t *rf_app_confirm_offer(struct rf_app *a, const struct rf_profile *pr)
{
    struct rf_role_close *cl = NULL;
    double none = 0;
    struct rf_err err;
    if (a->car.roles.n == 0 || rf_closest_all(pr, &a->car.roles, &cl, &none, &err))
        return NULL;
    const struct rf_role *top = cl[0].role;
    double ptop = cl[0].prob;
    free(cl);
    int n = undecided_reqs(a, pr, top);
    if (n < 0)
        return NULL;
    const char *why = none > ptop ? "no role resembles these answers"
                      : n == 0    ? "every requirement of the closest role is decided"
                                  : NULL;
    /* the reason as a code too, so a page says it in its own language */
    const char *code = none > ptop ? "no_role" : n == 0 ? "decided" : NULL;
    return json_pack("{s:s, s:s, s:i, s:i, s:b, s:s?, s:s?}", "role", top->id, "name", top->name,
                     "undecided", n, "max_items", RF_CONFIRM_MAX_ITEMS, "offered", why == NULL,
                     "reason", why, "reason_code", code);
}

rf_status rf_app_test_confirm(struct rf_app *a, const struct rf_principal *p, int64_t id,
                              const json_t *req, json_t **out, struct rf_app_error *e)
{
    const char *key, *role_id = NULL;
    const json_t *v;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object (with 'role' or empty)");
    /* (the error names the field in its message: the request is freed before the reply) */
    json_object_foreach((json_t *)req, key, v)
    {
        if (strcmp(key, "role") != 0)
            return rf_app_fail(e, RF_EINVAL, NULL,
                               "field '%.64s': a confirm test takes only 'role' (the role to "
                               "confirm)",
                               key);
    }
    rf_status rc = rf_app_opt_string(req, "role", 64, &role_id, e);
    if (rc)
        return rc;
    const struct rf_role *role = role_id ? rf_roles_find(&a->car.roles, role_id) : NULL;
    if (role_id && !role)
        return rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role_id);
    struct rf_test t;
    if ((rc = rf_app_own_test(a, p, id, &t, e)))
        return rc;
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    if (strcmp(t.status, "finished") != 0 || !t.profile)
        rc = rf_app_fail(e, RF_ECONFLICT, NULL, "finish the test before confirming a role");
    else if (!chain_finds_role(a, &t))
        rc = rf_app_fail(e, RF_EINVAL, NULL,
                         "only a find-my-role test is confirmed: a role test decides its "
                         "role's requirements itself");
    if (!rc && !role &&
        !(rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile), &pr, &e->err))) {
        struct rf_role_close *cl = NULL;
        if (!(rc = rf_closest_all(&pr, &a->car.roles, &cl, NULL, &e->err)))
            role = cl[0].role;
        free(cl);
    }
    rf_profile_cleanup(&pr);
    if (!rc) /* the active version of the bank */
        rc = rf_app_bank_refresh(a, &e->err);
    /* The design: find my role's scope, asking only where the role's
     * requirements are undecided. The offered role (none named) keeps find
     * my role's prior; a role the person names is read with its role test's
     * prior (naming it is evidence from outside the answers: docs/careers.md
     * "A role the person names"), and so is the profile it completes
     * (rf_app_followup_combine). */
    struct rf_cat_design d;
    struct rf_app_scope sc;
    memset(&sc, 0, sizeof sc);
    if (!rc && (rc = rf_roletest_design(&d, rf_app_pool(a, rf_app_test_operational(&t)),
                                        &a->car.roles, NULL, &e->err)) == RF_OK) {
        d.exposure = a->cfg.exposure != NULL;
        rc = role_id ? rf_roletest_confirm_named(&d, rf_app_pool(a, rf_app_test_operational(&t)),
                                                 &a->car.roles, role, RF_CONFIRM_MAX_ITEMS,
                                                 &e->err)
                     : rf_roletest_confirm(&d, rf_app_pool(a, rf_app_test_operational(&t)),
                                           &a->car.roles, &role, 1, RF_CONFIRM_MAX_ITEMS,
                                           &e->err);
    }
    if (!rc) {
        sc.role = role;
        for (size_t r = 0; r < d.nreqs; r++) {
            const char *sk = a->pool->skills[d.scope[d.req_skill[r]]];
            size_t k = 0;
            while (k < sc.n && strcmp(sc.skills[k], sk) != 0)
                k++;
            if (k == sc.n && sc.n < RF_CAT_MAX_SCOPE)
                sc.skills[sc.n++] = sk;
        }
        rc = rf_app_followup_begin(a, &t, &sc, &d, 0, 0, out, e);
    }
    rf_store_test_cleanup(&t);
    return rc;
}

rf_status rf_app_test_followup(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               const json_t *req, json_t **out, struct rf_app_error *e)
{
    if (!json_is_object(req) || json_object_get(req, "role") || json_object_get(req, "find_role"))
        return rf_app_fail(e, RF_EINVAL, "skills",
                           "a follow-up measures a list of skills: give 'skills' only");
    const json_t *sk = json_object_get(req, "skills");
    if (json_is_array(sk) && json_array_size(sk) > RF_FOLLOWUP_MAX_SKILLS)
        return rf_app_fail(e, RF_EINVAL, "skills", "a follow-up measures at most %d skills",
                           RF_FOLLOWUP_MAX_SKILLS);
    struct rf_app_scope sc;
    rf_status rc = rf_app_scope_from_request(a, req, &sc, e);
    if (rc)
        return rc;
    struct rf_test t;
    if ((rc = rf_app_own_test(a, p, id, &t, e)))
        return rc;
    if (strcmp(t.status, "finished") != 0 || !t.profile) {
        rf_store_test_cleanup(&t);
        return rf_app_fail(e, RF_ECONFLICT, NULL,
                           "finish the test before measuring a skill further");
    }
    if ((rc = rf_app_bank_refresh(a, &e->err))) { /* the active version of the bank */
        rf_store_test_cleanup(&t);
        return rc;
    }
    /* The design: the skills-list test's, shorter, with the loadings' prior
     * (so that the session keeps its evidence as log-likelihoods). */
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.max_items = RF_FOLLOWUP_MAX_ITEMS;
    d.stop_unreachable = 0;
    d.exposure = a->cfg.exposure != NULL;
    for (size_t i = 0; i < sc.n && !rc; i++) {
        struct rf_cat_rule r = {RF_CAT_DEFAULT_SE, RF_FOLLOWUP_MIN_PER_SKILL,
                                RF_FOLLOWUP_MAX_ITEMS};
        size_t k;
        if ((rc = rf_cat_design_add(&d, rf_app_pool(a, rf_app_test_operational(&t)), sc.skills[i],
                                    r, &e->err))) {
            e->field = "skills";
        } else if (rf_taxonomy_find(&a->car.tax, sc.skills[i], &k) == RF_OK) {
            d.lambda[d.nscope - 1] = a->car.tax.skills[k].loading;
            d.loadings_assumed |= !a->car.tax.skills[k].loading_calibrated;
        }
    }
    if (!rc)
        rc = rf_app_followup_begin(a, &t, &sc, &d, 0, 0, out, e);
    rf_store_test_cleanup(&t);
    return rc;
}

rf_status rf_app_followup_begin(struct rf_app *a, const struct rf_test *t,
                                const struct rf_app_scope *sc, const struct rf_cat_design *d,
                                int64_t posting_id, int64_t invite_id, json_t **out,
                                struct rf_app_error *e)
{
    int64_t id = t->id;
    rf_status rc = RF_OK;
    struct rf_cat_session *s = NULL;
    char *state = NULL, *scope = NULL;
    int64_t nid = 0;
    struct rf_test nt;
    memset(&nt, 0, sizeof nt);
    /* an organization's follow-up carries pretest items like its tests */
    struct rf_cat_design dd = *d;
    uint64_t seed = rf_app_session_seed(a);
    if (rf_app_test_operational(t))
        rf_app_pretest_seed(a, &dd, seed);
    rc = rf_cat_session_new(rf_app_pool(a, rf_app_test_operational(t)), &dd, seed, &s, &e->err);
    /* Not again: the items of the test and of its earlier follow-ups. A
     * confirm stage carries their answers instead (its posterior is then the
     * combined one while it runs). */
    struct seen_ctx sx = {a, s, d->nreqs > 0, RF_OK, {0}};
    for (int64_t x = id, hops = 0; !rc && x && hops < RF_PROFILE_MAX_SESSIONS; hops++) {
        struct rf_test tx;
        if ((rc = rf_store_answers_list(a->store, x, block_seen, &sx, &e->err)))
            break;
        if (sx.rc) {
            rc = rf_app_fail(e, sx.rc, NULL, "confirm test: %s", sx.err.msg);
            break;
        }
        if (x == id) {
            x = followup_parent(t->scope);
        } else if (!(rc = rf_store_test_get(a->store, x, &tx, &e->err))) {
            x = followup_parent(tx.scope);
            rf_store_test_cleanup(&tx);
        }
    }
    if (!rc) {
        size_t first;
        rf_cat_next(s, &first);
        if (first == SIZE_MAX && d->nreqs)
            rc = rf_app_fail(e, RF_ECONFLICT, NULL,
                             "every requirement of %s is already decided (or has no question "
                             "left): nothing to confirm",
                             sc->role ? sc->role->name : "the role");
        else if (first == SIZE_MAX)
            rc = rf_app_fail(e, RF_EINVAL, "skills",
                             "no question left on these skills that you have not seen");
    }
    if (!rc)
        rc = rf_app_session_state(s, &state, &e->err);
    if (!rc) {
        json_t *pj = json_loads(t->scope, 0, NULL), *sj = json_array();
        for (size_t i = 0; i < sc->n; i++)
            json_array_append_new(sj, json_string(sc->skills[i]));
        /* The report of a follow-up targets the test's role, as the test's
         * did; a confirm test's, the role it confirms. */
        const json_t *role = json_object_get(pj, "role");
        json_t *rj = d->nreqs && sc->role   ? json_string(sc->role->id)
                     : json_is_string(role) ? json_incref((json_t *)role)
                                            : NULL;
        json_t *scj =
            json_pack("{s:o?,s:o,s:I}", "role", rj, "skills", sj, "followup_of", (json_int_t)id);
        if (scj && posting_id)
            json_object_set_new(scj, "posting", json_integer(posting_id));
        /* a follow-up asks in the language of the test it follows */
        if (scj && strcmp(rf_app_test_lang(t), "en") != 0)
            json_object_set_new(scj, "lang", json_string(rf_app_test_lang(t)));
        if (scj && d->nreqs)
            json_object_set_new(scj, "confirm", json_true());
        /* a confirm test of a role the candidate named: its role test's prior */
        if (scj && d->nreqs && !d->prior_all && d->prior_weight > 0)
            json_object_set_new(scj, "named", json_true());
        int64_t rev = rf_app_pool_revision(a, rf_cat_session_pool(s));
        if (scj && rev)
            json_object_set_new(scj, "bank", json_integer(rev));
        if (scj)
            json_object_set_new(scj, "bank_file", json_integer(a->bank_version));
        scope = scj ? json_dumps(scj, JSON_COMPACT) : NULL;
        json_decref(scj);
        json_decref(pj);
        nt.candidate_id = t->candidate_id;
        nt.org_id = t->org_id;
        nt.posting_id = posting_id;
        nt.invite_id = invite_id;
        nt.scope = scope;
        nt.state = state;
        nt.served_ms = rf_app_wall_ms(a);
        rc = scope ? rf_store_test_create(a->store, &nt, &nid, &e->err)
                   : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc)
        rc = rf_app_test_reply(a, nid, s, "active", rf_app_test_operational(t),
                               rf_app_test_lang(t), out, e);
    if (!rc) {
        json_object_set_new(json_object_get(*out, "test"), "followup_of", json_integer(id));
        rf_app_live_keep(a, nid, &nt, s, state);
        s = NULL;
        state = NULL;
    }
    rf_cat_session_free(s);
    free(state);
    free(scope);
    return rc;
}

/* A finished follow-up's profile: the profile of the test it follows with
 * the follow-up's evidence added (rf_profile_combine), the sessions listed
 * ("test-ID"). *profile and the packed copy are replaced; a test that is not
 * a follow-up is left alone. */
rf_status rf_app_followup_combine(struct rf_app *a, const struct rf_test *t, char **profile,
                                  unsigned char **packed, size_t *npacked, struct rf_err *err)
{
    int64_t pid = followup_parent(t->scope);
    if (!pid)
        return RF_OK;
    struct rf_test pt;
    rf_status rc = rf_store_test_get(a->store, pid, &pt, err);
    if (rc)
        return rc;
    struct rf_profile base, more;
    memset(&base, 0, sizeof base);
    memset(&more, 0, sizeof more);
    char sid[32];
    if (!pt.profile)
        rc = rf_err_set(err, RF_ECONFLICT, "test %lld has no profile", (long long)pid);
    if (!rc)
        rc = rf_profile_parse("profile", pt.profile, strlen(pt.profile), &base, err);
    if (!rc)
        rc = rf_profile_parse("follow-up profile", *profile, strlen(*profile), &more, err);
    if (!rc && !base.nsessions) {
        snprintf(sid, sizeof sid, "test-%lld", (long long)pid);
        rc = rf_profile_add_session(&base, sid, err);
    }
    if (!rc) {
        snprintf(sid, sizeof sid, "test-%lld", (long long)t->id);
        rc = rf_profile_add_session(&more, sid, err);
    }
    /* A confirm test whose prior names a role (a role the person named: its
     * role test's prior) has the combined profile read under that prior; any
     * other follow-up keeps the profile's. */
    char confirmed[RF_MAX_ID_LEN + 1];
    json_t *sj = json_loads(t->scope, 0, NULL);
    int named = !rc && json_is_true(json_object_get(sj, "named")) &&
                scope_confirmed(t->scope, confirmed, sizeof confirmed) && more.model &&
                more.model->role && strcmp(more.model->role, confirmed) == 0;
    json_decref(sj);
    if (!rc && !(rc = rf_profile_derive_loglik(&base, err)) &&
        !(rc = rf_profile_derive_loglik(&more, err)))
        rc = named ? rf_profile_combine_under(&base, &more, err)
                   : rf_profile_combine(&base, &more, err);
    json_t *j = NULL;
    char *text = NULL;
    if (!rc && !(rc = rf_profile_to_json(&base, &j, err)) && !(text = json_dumps(j, JSON_COMPACT)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    json_decref(j);
    rf_profile_cleanup(&base);
    unsigned char *pk = NULL;
    size_t npk = 0;
    /* Packed from the JSON as read back, as session_profile does. */
    if (!rc && !(rc = rf_profile_parse("profile", text, strlen(text), &base, err)))
        rc = rf_profile_pack(&base, &pk, &npk, err);
    rf_profile_cleanup(&base);
    rf_profile_cleanup(&more);
    rf_store_test_cleanup(&pt);
    if (rc) {
        free(text);
        return rc;
    }
    free(*profile);
    free(*packed);
    *profile = text;
    *packed = pk;
    *npacked = npk;
    return RF_OK;
}
