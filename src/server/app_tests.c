/*
 * Adaptive tests (app.h): starting one (open practice or an invite link),
 * reading its state and current question, and answering; the last answer
 * stores the profile the reports and rankings read. Follow-up sessions are
 * in app_followup.c.
 */
#include "server/app.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bank/answer.h"
#include "bank/bank.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/json.h"
#include "base/lang.h"
#include "base/rng.h"
#include "careers/profile.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/pretest.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "server/app_flow.h"
#include "server/auth.h"
#include "server/postingtest.h"
#include "server/recal_data.h"
#include "server/roletest.h"
#include "server/sesscache.h"
#include "server/signals.h"
#include "store/store.h"

static rf_status scope_from_role(struct rf_app *a, const char *role_id, struct rf_app_scope *sc,
                                 struct rf_app_error *e)
{
    const struct rf_role *r = rf_roles_find(&a->car.roles, role_id);
    if (!r)
        return rf_app_fail(e, RF_EINVAL, "role", "unknown role '%s'", role_id);
    sc->role = r;
    sc->n = 0;
    for (size_t k = 0; k < r->nreqs && sc->n < RF_CAT_MAX_SCOPE; k++)
        sc->skills[sc->n++] = a->car.tax.skills[r->reqs[k].skill].id;
    return RF_OK;
}

rf_status rf_app_lang_from_request(const json_t *req, const char **lang, struct rf_app_error *e)
{
    const char *l;
    rf_status rc = rf_app_opt_string(req, "lang", 16, &l, e);
    if (rc)
        return rc;
    if (l && !rf_item_lang_known(l))
        return rf_app_fail(e, RF_EINVAL, "lang", "field 'lang': unknown language '%s' (%s)", l,
                           RF_ITEM_LANGS);
    *lang = l && strcmp(l, "ja") == 0 ? "ja" : "en";
    return RF_OK;
}

const char *rf_app_test_lang(const struct rf_test *t)
{
    json_t *j = t->scope ? json_loads(t->scope, 0, NULL) : NULL;
    const char *l = json_string_value(json_object_get(j, "lang"));
    const char *out = l && strcmp(l, "ja") == 0 ? "ja" : "en";
    json_decref(j);
    return out;
}

rf_status rf_app_scope_from_request(struct rf_app *a, const json_t *req, struct rf_app_scope *sc,
                                    struct rf_app_error *e)
{
    memset(sc, 0, sizeof *sc);
    const char *role;
    rf_status rc = rf_app_opt_string(req, "role", 64, &role, e);
    if (rc)
        return rc;
    if ((rc = rf_app_lang_from_request(req, &sc->lang, e)))
        return rc;
    const json_t *find = json_object_get(req, "find_role");
    if (find && !json_is_boolean(find))
        return rf_app_fail(e, RF_EINVAL, "find_role", "field 'find_role' must be true or false");
    if (json_is_true(find)) {
        if (role || json_object_get(req, "skills"))
            return rf_app_fail(
                e, RF_EINVAL, "find_role",
                "a find-my-role test covers every role: give no role or skills with it");
        sc->find = 1;
        return RF_OK;
    }
    if (role)
        return scope_from_role(a, role, sc, e);
    const json_t *sk = json_object_get(req, "skills");
    if (!sk)
        return rf_app_fail(e, RF_EINVAL, "role",
                           "choose a target role, a list of skills, or find_role: true");
    if (!json_is_array(sk) || json_array_size(sk) == 0)
        return rf_app_fail(e, RF_EINVAL, "skills",
                           "field 'skills' must be a non-empty list of skill ids");
    if (json_array_size(sk) > RF_CAT_MAX_SCOPE)
        return rf_app_fail(e, RF_EINVAL, "skills", "at most %d skills in one test",
                           RF_CAT_MAX_SCOPE);
    for (size_t i = 0; i < json_array_size(sk); i++) {
        const json_t *v = json_array_get(sk, i);
        size_t idx;
        if (!json_is_string(v) || rf_taxonomy_find(&a->car.tax, json_string_value(v), &idx))
            return rf_app_fail(e, RF_EINVAL, "skills", "skills[%zu]: not a skill id", i);
        for (size_t j = 0; j < sc->n; j++)
            if (!strcmp(sc->skills[j], json_string_value(v)))
                return rf_app_fail(e, RF_EINVAL, "skills", "skills[%zu]: '%s' appears twice", i,
                                   json_string_value(v));
        sc->skills[sc->n++] = a->car.tax.skills[idx].id;
    }
    return RF_OK;
}

static rf_status build_design(struct rf_app *a, const struct rf_cat_pool *pool,
                              struct rf_app_scope *sc, struct rf_cat_design *d,
                              struct rf_app_error *e)
{
    rf_status rc;
    if (sc->role || sc->find) {
        /* Role and find-my-role tests also tell the roles apart (closest roles). */
        rc = rf_roletest_design(d, pool, &a->car.roles, sc->role, &e->err);
        if (rc) {
            e->field = sc->role ? "role" : "find_role";
            return rc;
        }
        sc->n = 0;
        for (size_t j = 0; j < d->nscope; j++)
            sc->skills[sc->n++] = a->pool->skills[d->scope[j]];
    } else {
        rf_cat_design_init(d);
        d->max_items = RF_WEB_MAX_ITEMS;
        /* Use every item the limit allows rather than stop early. */
        d->stop_unreachable = 0;
        for (size_t i = 0; i < sc->n; i++) {
            struct rf_cat_rule r = {RF_CAT_DEFAULT_SE, RF_WEB_MIN_PER_SKILL, RF_WEB_MAX_ITEMS};
            if ((rc = rf_cat_design_add(d, pool, sc->skills[i], r, &e->err))) {
                e->field = "skills";
                return rc;
            }
        }
    }
    d->exposure = a->cfg.exposure != NULL;
    return RF_OK;
}

/* A posting invite's test: the posting's design (server/postingtest.h) over
 * its current requirements; sc gets its skills (and keeps its role, which
 * the report targets besides the posting). */
static rf_status posting_design(struct rf_app *a, int64_t posting, struct rf_app_scope *sc,
                                struct rf_cat_design *d, struct rf_app_error *e)
{
    struct rf_posting po;
    rf_status rc = rf_store_posting_get(a->store, posting, &po, &e->err);
    if (rc)
        return rc == RF_ENOTFOUND ? rf_app_fail(e, RF_ENOTFOUND, "invite",
                                                "the posting of this invite no longer exists")
                                  : rc;
    struct rf_parsed_posting pp;
    rc = rf_app_posting_reading(a, &po, &pp, e);
    if (!rc) {
        rc = rf_postingtest_design(d, rf_app_pool(a, 1), &a->car.roles, &pp, NULL, &e->err);
        if (rc)
            e->field = "invite";
        rf_posting_cleanup(&pp);
    }
    rf_store_posting_cleanup(&po);
    if (rc)
        return rc;
    sc->n = 0;
    for (size_t j = 0; j < d->nscope; j++)
        sc->skills[sc->n++] = a->pool->skills[d->scope[j]];
    d->exposure = a->cfg.exposure != NULL;
    return RF_OK;
}

/* A top-up invite (inv->topup_of): a follow-up of the candidate's finished
 * test over the skills the invite names, started in this browser as that
 * candidate. */
static rf_status start_topup(struct rf_app *a, const struct rf_invite *inv,
                             char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN],
                             json_t **out, struct rf_app_error *e)
{
    struct rf_test t;
    struct rf_posting po;
    struct rf_parsed_posting pp;
    memset(&t, 0, sizeof t);
    memset(&po, 0, sizeof po);
    memset(&pp, 0, sizeof pp);
    struct rf_app_scope sc;
    memset(&sc, 0, sizeof sc);
    size_t idx[RF_CAT_MAX_SCOPE], n = 0;
    json_t *sk = inv->skills ? json_loads(inv->skills, 0, NULL) : NULL;
    for (size_t i = 0; i < json_array_size(sk) && n < RF_CAT_MAX_SCOPE; i++)
        if (json_is_string(json_array_get(sk, i)) &&
            rf_taxonomy_find(&a->car.tax, json_string_value(json_array_get(sk, i)), &idx[n]) ==
                RF_OK) {
            sc.skills[sc.n++] = a->car.tax.skills[idx[n]].id;
            n++;
        }
    json_decref(sk);
    rf_status rc = rf_store_test_get(a->store, inv->topup_of, &t, &e->err);
    if (!rc && (strcmp(t.status, "finished") != 0 || !t.profile))
        rc = rf_app_fail(e, RF_ECONFLICT, "invite", "the test this invite adds to is not finished");
    if (!rc)
        rc = rf_store_posting_get(a->store, inv->posting_id, &po, &e->err);
    if (!rc)
        rc = rf_app_posting_reading(a, &po, &pp, e);
    if (!rc) /* the active version of the bank */
        rc = rf_app_bank_refresh(a, &e->err);
    struct rf_cat_design d;
    if (!rc && (rc = rf_postingtest_topup_design(&d, rf_app_pool(a, 1), &a->car.tax, &pp, idx, n,
                                                 &e->err)))
        e->field = "invite";
    if (!rc)
        d.exposure = a->cfg.exposure != NULL;
    int claimed = 0;
    if (!rc)
        claimed = !(rc = rf_store_invite_claim(a->store, inv->id, t.candidate_id, &e->err));
    if (!rc)
        rc = rf_app_session_new(a, 0, t.candidate_id, new_token, new_csrf, &e->err);
    if (!rc)
        rc = rf_app_followup_begin(a, &t, &sc, &d, inv->posting_id, inv->id, out, e);
    char code[RF_RESUME_CODE_CHARS + 2];
    if (!rc && !(rc = rf_app_resume_code_new(a, inv->id, code, &e->err)))
        json_object_set_new(*out, "resume_code", json_string(code));
    else if (rc && *out) {
        json_decref(*out);
        *out = NULL;
    }
    if (rc && claimed) /* the link stays usable when starting failed */
        rf_store_invite_unclaim(a->store, inv->id, t.candidate_id, NULL);
    if (rc)
        new_token[0] = new_csrf[0] = '\0';
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    rf_store_test_cleanup(&t);
    return rc;
}

/* The name of skill id in the language of code (the test's: a test in
 * Japanese names its skills in Japanese); the id when the taxonomy lacks it. */
static const char *skill_name(struct rf_app *a, const char *id, const char *code)
{
    size_t idx;
    enum rf_lang l = RF_EN;
    rf_lang_parse(code, &l);
    if (rf_taxonomy_find(&a->car.tax, id, &idx) != RF_OK)
        return id;
    return rf_lang_pick(l, a->car.tax.skills[idx].name, a->car.tax.skills[idx].name_ja);
}

/* The question as a candidate may see it, in the test's language: never the
 * key, explanation or parameters. 0 when its item is no longer in the bank. */
static int question_view(struct rf_app *a, size_t pool_item, const char *lang, struct rf_item *view,
                         char **topts)
{
    size_t bi;
    if (rf_bank_find(&a->bank, a->pool->ids[pool_item], &bi))
        return 0;
    rf_item_in_lang(&a->bank.items[bi], lang, view, topts);
    return 1;
}

static json_t *question_json(struct rf_app *a, size_t pool_item, size_t number, const char *lang)
{
    struct rf_item view;
    char *topts[RF_BANK_MAX_OPTIONS];
    if (!question_view(a, pool_item, lang, &view, topts))
        return NULL;
    const struct rf_item *it = &view;
    json_t *opts = json_array();
    for (size_t k = 0; k < it->noptions; k++)
        json_array_append_new(opts, json_string(it->options[k]));
    json_t *q =
        json_pack("{s:s,s:{s:s,s:s},s:s,s:s,s:o,s:I,s:s}", "item", it->id, "skill", "id", it->skill,
                  "name", skill_name(a, it->skill, lang), "type", rf_item_type_name(it->type), "stem",
                  it->stem, "options", opts, "number", (json_int_t)number, "lang", it->lang);
    /* numeric: the unit shown after the input box; never the answer or tolerance */
    if (q && it->type == RF_ITEM_NUMERIC && json_object_set_new(q, "unit", json_string(it->unit))) {
        json_decref(q);
        return NULL;
    }
    return q;
}

int rf_app_test_operational(const struct rf_test *t)
{
    return t->org_id != 0;
}

/* Progress toward the stopping rule: per skill the share of the target
 * precision reached (information is additive: 1/SE^2 grows by each item's
 * information from the prior's 1/sd^2), or 1 once the skill is finished;
 * overall the mean over skills, or the share of the item limit if larger.
 * While an operational test runs it shows no skill's SE or finished state
 * and its progress is the share of the item limit answered: the SE after an
 * answer told right from wrong (AUC 0.73 in a probe), and so did a skill
 * finishing (AUC 0.35 from the other side, tests/server/test_operational.c).
 * Pretest items count as questions like any other (answered, the limit and
 * each skill's items), so nothing tells them apart. */
struct skill_view {
    const char *id, *name;
    size_t items;
    double se, target;
    int done;
};

/* Skill j of the test's scope as its reply shows it; its share of the
 * target precision reached is added to *sum. */
static void skill_view(struct rf_app *a, const struct rf_cat_session *s, size_t j, const char *lang,
                       struct skill_view *v, double *sum)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    double prior_info = 1.0 / (a->q.sd * a->q.sd);
    size_t npre = rf_cat_npretest_answered(s);
    struct rf_cat_skill_result r;
    rf_cat_skill(s, j, &r);
    for (size_t k = 0; k < npre; k++) {
        size_t item, cat;
        double m, sd;
        rf_cat_pretest_answer(s, k, &item, &cat, &m, &sd);
        r.items += a->pool->skill[item] == d->scope[j];
    }
    v->id = a->pool->skills[d->scope[j]];
    v->name = skill_name(a, v->id, lang);
    v->items = r.items;
    v->se = r.se;
    v->target = d->rule[j].se;
    v->done = r.state != RF_CAT_SKILL_OPEN;
    double need = 1.0 / (v->target * v->target) - prior_info;
    double got = 1.0 / (r.se * r.se) - prior_info;
    *sum += v->done ? 1.0 : need > 0 ? fmin(1.0, fmax(0.0, got / need)) : 1.0;
}

/* The test's progress from its skills' summed shares (skill_view). */
static double test_progress(const struct rf_cat_session *s, double sum, int hide,
                            const char *status, size_t *answered, size_t *limit)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    *answered = rf_cat_nanswered(s) + rf_cat_npretest_answered(s);
    *limit = d->max_items + d->npretest;
    double progress = d->nscope && !hide ? sum / (double)d->nscope : 0.0;
    double by_count = (double)*answered / (double)*limit;
    if (by_count > progress)
        progress = by_count;
    if (strcmp(status, "active") != 0)
        progress = 1.0;
    return progress;
}

static json_t *test_json(struct rf_app *a, int64_t id, const struct rf_cat_session *s,
                         const char *status, int operational, const char *lang)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    json_t *skills = json_array();
    double sum = 0;
    int hide = operational && strcmp(status, "active") == 0;
    for (size_t j = 0; j < d->nscope; j++) {
        struct skill_view v;
        skill_view(a, s, j, lang, &v, &sum);
        json_array_append_new(skills,
                              json_pack("{s:s,s:s,s:I,s:o,s:f,s:o}", "id", v.id, "name", v.name,
                                        "items", (json_int_t)v.items, "se",
                                        hide ? json_null() : json_real(v.se), "target", v.target,
                                        "done", hide ? json_null() : json_boolean(v.done)));
    }
    size_t answered, limit;
    double progress = test_progress(s, sum, hide, status, &answered, &limit);
    return json_pack("{s:I,s:s,s:I,s:I,s:f,s:o}", "id", (json_int_t)id, "status", status,
                     "answered", (json_int_t)answered, "max_items", (json_int_t)limit, "progress",
                     progress, "skills", skills);
}

/* The response to a test request: the test and its current question. */
rf_status rf_app_test_reply(struct rf_app *a, int64_t id, struct rf_cat_session *s,
                            const char *status, int operational, const char *lang, json_t **out,
                            struct rf_app_error *e)
{
    size_t item = SIZE_MAX;
    if (!strcmp(status, "active"))
        rf_cat_next(s, &item);
    json_t *q = item == SIZE_MAX ? json_null()
                                 : question_json(a, item,
                                                 rf_cat_nanswered(s) +
                                                     rf_cat_npretest_answered(s) + 1,
                                                 lang);
    if (!q)
        return rf_app_fail(e, RF_EINVAL, NULL, "the current question is no longer in the bank");
    json_t *tj = test_json(a, id, s, status, operational, lang);
    if (tj)
        json_object_set_new(tj, "lang", json_string(lang));
    *out = json_pack("{s:o,s:o}", "test", tj, "question", q);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* ---- the same reply written as text (rf_app_test_reply_text) ---- */

/* "key": */
static rf_status put_key(struct rf_buf *b, const char *key)
{
    rf_status rc = rf_buf_putc(b, '"');
    if (!rc)
        rc = rf_buf_puts(b, key);
    return rc ? rc : rf_buf_puts(b, "\":");
}

/* "key":"value" (a NULL value fails, as jansson's json_pack does) */
static rf_status put_str(struct rf_buf *b, const char *key, const char *v)
{
    rf_status rc = v ? put_key(b, key) : RF_EINVAL;
    return rc ? rc : rf_buf_put_json_string(b, v);
}

static rf_status put_int(struct rf_buf *b, const char *key, long long v)
{
    rf_status rc = put_key(b, key);
    return rc ? rc : rf_buf_printf(b, "%lld", v);
}

static rf_status put_real(struct rf_buf *b, const char *key, double v)
{
    rf_status rc = put_key(b, key);
    return rc ? rc : rf_buf_put_json_real(b, v, rf_json_is_prob_key(key));
}

static rf_status question_text(struct rf_app *a, size_t pool_item, size_t number, const char *lang,
                               struct rf_buf *b)
{
    struct rf_item view;
    char *topts[RF_BANK_MAX_OPTIONS];
    if (!question_view(a, pool_item, lang, &view, topts))
        return RF_EINVAL;
    const struct rf_item *it = &view;
    rf_status rc = rf_buf_putc(b, '{');
    if (!rc && !(rc = put_str(b, "item", it->id)) && !(rc = rf_buf_puts(b, ",\"skill\":{")) &&
        !(rc = put_str(b, "id", it->skill)) && !(rc = rf_buf_putc(b, ',')))
        rc = put_str(b, "name", skill_name(a, it->skill, lang));
    if (!rc && !(rc = rf_buf_puts(b, "},")) &&
        !(rc = put_str(b, "type", rf_item_type_name(it->type))) && !(rc = rf_buf_putc(b, ',')) &&
        !(rc = put_str(b, "stem", it->stem)))
        rc = rf_buf_puts(b, ",\"options\":[");
    for (size_t k = 0; k < it->noptions && !rc; k++)
        if (!(k && (rc = rf_buf_putc(b, ','))))
            rc = it->options[k] ? rf_buf_put_json_string(b, it->options[k]) : RF_EINVAL;
    if (!rc && !(rc = rf_buf_puts(b, "],")) && !(rc = put_int(b, "number", (long long)number)) &&
        !(rc = rf_buf_putc(b, ',')))
        rc = put_str(b, "lang", it->lang);
    if (!rc && it->type == RF_ITEM_NUMERIC && !(rc = rf_buf_putc(b, ',')))
        rc = put_str(b, "unit", it->unit);
    return rc ? rc : rf_buf_putc(b, '}');
}

static rf_status test_text(struct rf_app *a, int64_t id, const struct rf_cat_session *s,
                           const char *status, int operational, const char *lang, struct rf_buf *b)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    double sum = 0;
    int hide = operational && strcmp(status, "active") == 0;
    /* the skills first: the progress before them is their sum */
    struct rf_buf sk;
    rf_buf_init(&sk, b->cap);
    rf_status rc = rf_buf_putc(&sk, '[');
    for (size_t j = 0; j < d->nscope && !rc; j++) {
        struct skill_view v;
        skill_view(a, s, j, lang, &v, &sum);
        if ((j && (rc = rf_buf_putc(&sk, ','))) || (rc = rf_buf_putc(&sk, '{')) ||
            (rc = put_str(&sk, "id", v.id)) || (rc = rf_buf_putc(&sk, ',')) ||
            (rc = put_str(&sk, "name", v.name)) || (rc = rf_buf_putc(&sk, ',')) ||
            (rc = put_int(&sk, "items", (long long)v.items)) || (rc = rf_buf_putc(&sk, ',')))
            break;
        if (hide)
            rc = rf_buf_puts(&sk, "\"se\":null,");
        else if (!(rc = put_real(&sk, "se", v.se)))
            rc = rf_buf_putc(&sk, ',');
        if (rc || (rc = put_real(&sk, "target", v.target)))
            break;
        rc = rf_buf_puts(&sk, hide     ? ",\"done\":null}"
                              : v.done ? ",\"done\":true}"
                                       : ",\"done\":false}");
    }
    if (!rc)
        rc = rf_buf_putc(&sk, ']');
    size_t answered, limit;
    double progress = test_progress(s, sum, hide, status, &answered, &limit);
    if (!rc && !(rc = rf_buf_putc(b, '{')) && !(rc = put_int(b, "id", (long long)id)) &&
        !(rc = rf_buf_putc(b, ',')) && !(rc = put_str(b, "status", status)) &&
        !(rc = rf_buf_putc(b, ',')) && !(rc = put_int(b, "answered", (long long)answered)) &&
        !(rc = rf_buf_putc(b, ',')) && !(rc = put_int(b, "max_items", (long long)limit)) &&
        !(rc = rf_buf_putc(b, ',')) && !(rc = put_real(b, "progress", progress)) &&
        !(rc = rf_buf_puts(b, ",\"skills\":")) && !(rc = rf_buf_append(b, sk.data, sk.len)) &&
        !(rc = rf_buf_putc(b, ',')) && !(rc = put_str(b, "lang", lang)))
        rc = rf_buf_putc(b, '}');
    rf_buf_cleanup(&sk);
    return rc;
}

/* b back to its first n bytes */
static void buf_cut(struct rf_buf *b, size_t n)
{
    b->len = n;
    if (b->data)
        b->data[n] = '\0';
}

rf_status rf_app_test_reply_text(struct rf_app *a, int64_t id, struct rf_cat_session *s,
                                 const char *status, int operational, const char *lang,
                                 struct rf_buf *out, struct rf_app_error *e)
{
    size_t item = SIZE_MAX;
    if (!strcmp(status, "active"))
        rf_cat_next(s, &item);
    size_t at = out->len;
    rf_status rc = rf_buf_puts(out, "{\"test\":");
    if (!rc)
        rc = test_text(a, id, s, status, operational, lang, out);
    if (!rc)
        rc = rf_buf_puts(out, ",\"question\":");
    if (!rc) {
        rc = item == SIZE_MAX
                 ? rf_buf_puts(out, "null")
                 : question_text(a, item, rf_cat_nanswered(s) + rf_cat_npretest_answered(s) + 1,
                                 lang, out);
        if (rc == RF_EINVAL) {
            buf_cut(out, at);
            return rf_app_fail(e, RF_EINVAL, NULL, "the current question is no longer in the bank");
        }
    }
    if (!rc)
        rc = rf_buf_putc(out, '}');
    if (rc) {
        buf_cut(out, at);
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    return RF_OK;
}

rf_status rf_app_session_state(const struct rf_cat_session *s, char **out, struct rf_err *err)
{
    /* compact, as text without a jansson tree: rewritten in the test's row
     * with every answer */
    struct rf_buf b;
    rf_buf_init(&b, RF_CAT_MAX_SESSION_BYTES);
    rf_status rc = rf_cat_session_state_text(s, &b, err);
    if (rc) {
        rf_buf_cleanup(&b);
        return rc;
    }
    *out = rf_buf_take(&b);
    return *out ? RF_OK : rf_err_set(err, RF_ENOMEM, "out of memory");
}

static rf_status session_restore(struct rf_app *a, const struct rf_test *t,
                                 struct rf_cat_session **s, struct rf_app_error *e)
{
    json_t *j = json_loads(t->state, 0, NULL);
    if (!j)
        return rf_app_fail(e, RF_EDB, NULL, "test %lld: stored state is not JSON",
                           (long long)t->id);
    char where[64];
    snprintf(where, sizeof where, "test %lld", (long long)t->id);
    /* over the version of the bank the test started with */
    const struct rf_app_bankver *v;
    rf_status rc = rf_app_bank_of_test(a, t, &v, &e->err);
    if (!rc)
        rc = rf_cat_session_from_json(rf_app_bv_pool(v, rf_app_test_operational(t)), j, where, s,
                                      &e->err);
    json_decref(j);
    if (rc)
        rf_app_log(a, "%s", e->err.msg);
    return rc;
}

void rf_app_live_keep(struct rf_app *a, int64_t id, const struct rf_test *t,
                      struct rf_cat_session *s, char *state)
{
    struct rf_test k;
    memset(&k, 0, sizeof k);
    k.id = id;
    k.candidate_id = t->candidate_id;
    k.org_id = t->org_id;
    k.posting_id = t->posting_id;
    k.invite_id = t->invite_id;
    k.scope = t->scope ? strdup(t->scope) : NULL; /* none (no memory): not kept */
    k.state = state;
    k.served_ms = t->served_ms;
    rf_sesscache_put(a->live, s, &k);
}

/* Loads a test the caller may act on as its candidate (404 otherwise, so that
 * other people's test ids reveal nothing). */
rf_status rf_app_own_test(struct rf_app *a, const struct rf_principal *p, int64_t id,
                          struct rf_test *t, struct rf_app_error *e)
{
    rf_status rc = rf_store_test_get(a->store, id, t, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && (!p->candidate_id || t->candidate_id != p->candidate_id))) {
        if (!rc)
            rf_store_test_cleanup(t);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no test %lld for you", (long long)id);
    }
    return rc;
}

void rf_app_pretest_seed(struct rf_app *a, struct rf_cat_design *d, uint64_t seed)
{
    d->npretest = 0;
    size_t want, batch;
    int64_t target;
    rf_app_pretest_settings(a, &want, &batch, &target);
    const struct rf_app_bankver *v = atomic_load(&a->cur);
    if (!v->npretest || !want)
        return;
    struct rf_rng r; /* apart from the session's own stream */
    rf_rng_substream(&r, seed, 1);
    /* The version's pretest items of the scope's skills, in bank order, and
     * which of them are live: each skill's batch, from the answers the store
     * holds (cat/pretest.h), so that every process sharing it agrees. */
    const struct rf_cat_pool *p = v->opool;
    size_t cand = 0;
    uint32_t *ci = malloc(v->npretest * sizeof *ci);
    size_t *skill = malloc(v->npretest * sizeof *skill);
    int64_t *count = malloc(v->npretest * sizeof *count);
    const char **ids = malloc(v->npretest * sizeof *ids);
    unsigned char *live = malloc(v->npretest);
    if (!ci || !skill || !count || !ids || !live) {
        rf_app_log(a, "pretest items: out of memory; this test carries none");
        goto out;
    }
    for (size_t i = 0; i < v->npretest; i++)
        for (size_t j = 0; j < d->nscope; j++)
            if (p->skill[v->pretest[i]] == d->scope[j]) {
                ci[cand] = v->pretest[i];
                skill[cand] = d->scope[j];
                ids[cand++] = p->ids[v->pretest[i]];
            }
    if (batch) {
        struct rf_err err;
        rf_err_clear(&err);
        if (rf_store_item_answer_counts(a->store, cand, ids, count, &err)) {
            rf_app_log(a, "pretest items: %s; this test carries none", err.msg);
            goto out;
        }
    } else {
        memset(count, 0, cand * sizeof *count);
    }
    rf_cat_pretest_batch(cand, skill, count, batch, target, live);
    /* A uniform sample of the live items (selection sampling, in bank
     * order), then uniform positions. */
    size_t nlive = 0;
    for (size_t i = 0; i < cand; i++)
        nlive += live[i];
    for (size_t i = 0, left = nlive; i < cand && d->npretest < want; i++) {
        if (!live[i])
            continue;
        if (rf_rng_below(&r, left--) < want - d->npretest)
            d->pretest[d->npretest++] = ci[i];
    }
    rf_cat_pretest_place(d, &r);
out:
    free(ci);
    free(skill);
    free(count);
    free(ids);
    free(live);
}

/* The RNG seed of a new test (see cfg.seed in app.h). */
uint64_t rf_app_session_seed(struct rf_app *a)
{
    uint64_t seed;
    if (!a->cfg.seed) {
        randombytes_buf(&seed, sizeof seed);
        return seed;
    }
    struct rf_rng r;
    rf_rng_substream(&r, a->cfg.seed, atomic_fetch_add(&a->nstarted, 1));
    return rf_rng_next(&r);
}

rf_status rf_app_test_start(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                            char new_token[RF_TOKEN_LEN], char new_csrf[RF_TOKEN_LEN], json_t **out,
                            struct rf_app_error *e)
{
    new_token[0] = new_csrf[0] = '\0';
    if (p->user_id)
        return rf_app_fail(
            e, RF_EPERM, NULL,
            "you are signed in as staff; sign out (or use a private window) to take a test");
    struct rf_app_scope sc;
    const char *invite;
    rf_status rc = rf_app_opt_string(req, "invite", 128, &invite, e);
    if (rc)
        return rc;
    struct rf_invite inv;
    memset(&inv, 0, sizeof inv);
    int64_t org = 0;
    if (invite) {
        char h[RF_TOKEN_HASH_LEN];
        rf_auth_token_hash(invite, h);
        rc = rf_store_invite_by_token(a->store, h, &inv, &e->err);
        if (rc == RF_ENOTFOUND || (!rc && inv.expires < rf_app_now_s())) {
            rf_store_invite_cleanup(&inv);
            return rf_app_fail(e, RF_ENOTFOUND, "invite",
                               "this invite link is not valid or has expired");
        }
        if (rc)
            return rc;
        if (inv.candidate_id && inv.candidate_id != p->candidate_id) {
            rf_store_invite_cleanup(&inv);
            return rf_app_refuse(e, RF_ECONFLICT, "resume_code", "invite_started_elsewhere",
                                 "this invite's test was started in another browser: enter the "
                                 "resume code shown when it started to continue it here");
        }
        if (inv.candidate_id) {
            /* the same candidate opening the link again resumes the test */
            struct rf_test t;
            rc = rf_store_test_by_invite(a->store, inv.id, &t, &e->err);
            rf_store_invite_cleanup(&inv);
            if (rc)
                return rc;
            int64_t tid = t.id;
            rf_store_test_cleanup(&t);
            return rf_app_test_get(a, p, tid, out, e);
        }
        if (inv.topup_of) {
            rc = start_topup(a, &inv, new_token, new_csrf, out, e);
            rf_store_invite_cleanup(&inv);
            return rc;
        }
        memset(&sc, 0, sizeof sc);
        if ((rc = rf_app_lang_from_request(req, &sc.lang, e))) {
            rf_store_invite_cleanup(&inv);
            return rc;
        }
        if (inv.role && strcmp(inv.role, RF_INVITE_FIND_ROLE) == 0)
            sc.find = 1; /* a team member's find-my-role test (app_teams.c) */
        else if (inv.role)
            rc = scope_from_role(a, inv.role, &sc, e);
        else if (!inv.posting_id)
            rc = rf_app_fail(e, RF_EINVAL, "invite", "this invite names no role or posting");
        org = inv.org_id;
    } else {
        if (!a->cfg.practice) {
            return rf_app_fail(
                e, RF_EPERM, NULL,
                "open practice is switched off here; use the invite link you were sent");
        }
        rc = rf_app_scope_from_request(a, req, &sc, e);
    }
    struct rf_cat_design d;
    if (!rc) /* the active version of the bank (a promotion may have made a new one) */
        rc = rf_app_bank_refresh(a, &e->err);
    if (!rc && inv.posting_id)
        rc = posting_design(a, inv.posting_id, &sc, &d, e);
    else if (!rc)
        rc = build_design(a, rf_app_pool(a, org != 0), &sc, &d, e);
    /* the pool the session runs on, read once: the prior is that version's */
    struct rf_cat_pool *tpool = rf_app_pool(a, org != 0);
    if (!rc) /* the prior staff applied for this kind of test (app_latent.c) */
        rf_app_prior_apply(a, tpool,
                           !org             ? RF_TEST_PRACTICE
                           : inv.posting_id ? RF_TEST_POSTING
                                            : RF_TEST_ROLE,
                           &d);
    uint64_t seed = 0;
    if (!rc) {
        seed = rf_app_session_seed(a);
        if (org != 0)
            rf_app_pretest_seed(a, &d, seed);
    }
    /* Claiming an invite changes who the caller is: always a new candidate and
     * a new session, never the candidate of a cookie the caller arrived with
     * (someone may have planted it to read the test: session fixation). */
    int64_t cand = invite && !inv.candidate_id ? 0 : p->candidate_id;
    if (!rc && !cand) {
        rc = rf_store_candidate_create(a->store, org, NULL, NULL, &cand, &e->err);
        if (!rc)
            rc = rf_app_session_new(a, 0, cand, new_token, new_csrf, &e->err);
    }
    int claimed = 0;
    if (!rc && invite && !inv.candidate_id) {
        rc = rf_store_invite_claim(a->store, inv.id, cand, &e->err);
        claimed = !rc;
    }
    struct rf_cat_session *s = NULL;
    char *state = NULL, *scope = NULL;
    int64_t id = 0;
    struct rf_test t;
    memset(&t, 0, sizeof t);
    if (!rc)
        rc = rf_cat_session_new(tpool, &d, seed, &s, &e->err);
    if (!rc) {
        size_t first;
        rf_cat_next(s, &first); /* the presented item is part of the state */
        rc = rf_app_session_state(s, &state, &e->err);
    }
    if (!rc) {
        json_t *sj = json_array();
        for (size_t i = 0; i < sc.n; i++)
            json_array_append_new(sj, json_string(sc.skills[i]));
        json_t *scj = json_pack("{s:s?,s:o}", "role", sc.role ? sc.role->id : NULL, "skills", sj);
        if (scj && sc.find)
            json_object_set_new(scj, "find_role", json_true());
        if (scj && inv.posting_id)
            json_object_set_new(scj, "posting", json_integer(inv.posting_id));
        if (scj && sc.lang && strcmp(sc.lang, "en") != 0)
            json_object_set_new(scj, "lang", json_string(sc.lang));
        /* the version of the bank it runs on: restored over it, named by its report */
        int64_t rev = rf_app_pool_revision(a, rf_cat_session_pool(s));
        if (scj && rev)
            json_object_set_new(scj, "bank", json_integer(rev));
        if (scj)
            json_object_set_new(scj, "bank_file", json_integer(a->bank_version));
        scope = json_dumps(scj, JSON_COMPACT);
        json_decref(scj);
        t.candidate_id = cand;
        t.org_id = org;
        t.posting_id = inv.posting_id;
        t.invite_id = inv.id;
        t.scope = scope;
        t.state = state;
        t.served_ms = rf_app_wall_ms(a);
        rc = scope ? rf_store_test_create(a->store, &t, &id, &e->err)
                   : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc)
        rc = rf_app_test_reply(a, id, s, "active", org != 0, sc.lang ? sc.lang : "en", out, e);
    /* The code that resumes this test from another browser, shown once. */
    char code[RF_RESUME_CODE_CHARS + 2];
    if (!rc && claimed && !(rc = rf_app_resume_code_new(a, inv.id, code, &e->err)))
        json_object_set_new(*out, "resume_code", json_string(code));
    else if (rc && claimed && *out) {
        json_decref(*out);
        *out = NULL;
    }
    if (!rc) {
        rf_app_live_keep(a, id, &t, s, state); /* the session as stored */
        s = NULL;
        state = NULL;
    }
    if (rc && claimed) /* the link stays usable when starting failed */
        rf_store_invite_unclaim(a->store, inv.id, cand, NULL);
    rf_store_invite_cleanup(&inv);
    rf_cat_session_free(s);
    free(state);
    free(scope);
    return rc;
}

rf_status rf_app_test_get(struct rf_app *a, const struct rf_principal *p, int64_t id, json_t **out,
                          struct rf_app_error *e)
{
    struct rf_test t;
    rf_status rc = rf_app_own_test(a, p, id, &t, e);
    if (rc)
        return rc;
    struct rf_cat_session *s = NULL;
    rc = session_restore(a, &t, &s, e);
    if (!rc)
        rc = rf_app_test_reply(a, id, s, t.status, rf_app_test_operational(&t),
                               rf_app_test_lang(&t), out, e);
    rf_cat_session_free(s);
    rf_store_test_cleanup(&t);
    return rc;
}

/* The profile of a session: per skill the posterior on the grid and the
 * items answered wrongly with their tags, as JSON (*out) and packed for
 * ranking (*packed, *npacked). The packed form is made from the JSON as
 * read back, so that ranking sees the very doubles every reader of the JSON
 * (reports, `rolefit match`, `rolefit report --session`) sees. */
static rf_status session_profile(struct rf_app *a, const struct rf_cat_session *s, char **out,
                                 unsigned char **packed, size_t *npacked, struct rf_err *err)
{
    struct rf_profile pr;
    rf_status rc = rf_profile_init(&pr, a->q.lo, a->q.hi, a->q.n, err);
    if (rc)
        return rc;
    rc = rf_profile_set_person(&pr, NULL, "session", err);
    const struct rf_cat_design *d = rf_cat_session_design(s);
    size_t pidx[RF_CAT_MAX_SCOPE];
    if (!rc)
        rc = rf_roletest_profile(s, &a->car.roles, &pr, pidx, err);
    for (size_t k = 0; k < rf_cat_nanswered(s) && !rc; k++) {
        size_t item, cat;
        rf_cat_answered(s, k, &item, &cat);
        if (cat + 1 >= a->pool->irt[item].ncat)
            continue; /* full credit; anything less names the item's tags */
        size_t bi, j;
        if (rf_bank_find(&a->bank, a->pool->ids[item], &bi))
            continue;
        for (j = 0; j < d->nscope && d->scope[j] != a->pool->skill[item]; j++)
            ;
        if (j == d->nscope || pidx[j] == SIZE_MAX)
            continue;
        const struct rf_item *it = &a->bank.items[bi];
        /* some credit on a multiple-select item: partly right, not missed */
        rc = (cat > 0 ? rf_profile_add_partly : rf_profile_add_missed)(
            &pr, pidx[j], it->id, (const char *const *)it->tags, it->ntags, err);
    }
    json_t *j = NULL;
    char *text = NULL;
    if (!rc)
        rc = rf_profile_to_json(&pr, &j, err);
    if (!rc && !(text = json_dumps(j, JSON_COMPACT)))
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    json_decref(j);
    rf_profile_cleanup(&pr);
    if (!rc && !(rc = rf_profile_parse("session profile", text, strlen(text), &pr, err)))
        rc = rf_profile_pack(&pr, packed, npacked, err);
    rf_profile_cleanup(&pr);
    if (rc)
        free(text);
    else
        *out = text;
    return rc;
}

/* The candidate's answer to it from the request, in the field its type
 * takes: "choice" (an option index) for mcq, "value" (the number as text) for
 * numeric, "selected" (option indices) for multi. A refusal names the field. */
static rf_status parse_response(const struct rf_item *it, const json_t *req, struct rf_response *r,
                                struct rf_app_error *e)
{
    struct rf_err aerr;
    rf_err_clear(&aerr);
    if (it->type == RF_ITEM_NUMERIC) {
        const json_t *v = json_object_get(req, "value");
        if (!json_is_string(v) || json_string_length(v) != strlen(json_string_value(v)))
            return rf_app_fail(e, RF_EINVAL, "value",
                               "field 'value' must be the number as text, e.g. \"1.5\"");
        const char *why = NULL;
        if (!rf_answer_numeric_why(it, json_string_value(v), r, &aerr, &why))
            return RF_OK;
        if (!why)
            return rf_app_fail(e, RF_EINVAL, "value", "field 'value': %s", aerr.msg);
        /* the page says why in its language; a wrong unit names the item's */
        rf_status rc = rf_app_refuse(e, RF_EINVAL, "value", why, "field 'value': %s", aerr.msg);
        if (strcmp(why, RF_ANSWER_WHY_UNIT) == 0)
            rf_app_error_text(e, "unit", it->unit);
        else if (strcmp(why, RF_ANSWER_WHY_TOO_LONG) == 0)
            rf_app_error_num(e, "max", RF_ANSWER_MAX_TEXT);
        return rc;
    }
    if (it->type == RF_ITEM_MULTI) {
        const json_t *v = json_object_get(req, "selected");
        if (!json_is_array(v))
            return rf_app_fail(e, RF_EINVAL, "selected",
                               "field 'selected' must be an array of option indices (0 to %zu)",
                               it->noptions - 1);
        size_t n = json_array_size(v);
        /* Nothing selected is not an answer (the page does not send one):
         * scored 0 it would read as knowledge of which options are wrong. */
        if (n == 0)
            return rf_app_fail(e, RF_EINVAL, "selected",
                               "field 'selected': select at least one option (0 to %zu)",
                               it->noptions - 1);
        if (n > it->noptions)
            return rf_app_fail(e, RF_EINVAL, "selected",
                               "field 'selected': %zu options selected but the question has %zu", n,
                               it->noptions);
        long long sel[RF_BANK_MAX_OPTIONS];
        for (size_t i = 0; i < n; i++) {
            const json_t *x = json_array_get(v, i);
            if (!json_is_integer(x))
                return rf_app_fail(e, RF_EINVAL, "selected",
                                   "field 'selected': entry %zu is not an option index", i + 1);
            sel[i] = json_integer_value(x);
        }
        if (rf_answer_multi(it, sel, n, r, &aerr))
            return rf_app_fail(e, RF_EINVAL, "selected", "field 'selected': %s", aerr.msg);
        return RF_OK;
    }
    const json_t *cv = json_object_get(req, "choice");
    if (!json_is_integer(cv))
        return rf_app_fail(e, RF_EINVAL, "choice", "field 'choice' must be the index of an option");
    if (rf_answer_mcq(it, json_integer_value(cv), r, &aerr))
        return rf_app_fail(e, RF_EINVAL, "choice", "%s", aerr.msg);
    return RF_OK;
}

/* One try at an answer to item_id of test *t on its session s (taken: kept in
 * the live cache when the test goes on, else freed). *t is the caller's
 * (its strings may move into the cache; cleaning it up stays right). cached:
 * s and *t came from the live cache and may be stale (sesscache.h); the
 * write is then checked against the served_ms of the write that stored them,
 * and whatever a stale session would get wrong (the question, the write)
 * sets *stale and returns without a reply, for the caller to answer from the
 * stored row. session (NULL: none): the token hash of the login session the
 * principal was remembered from, checked by the write. */
/* Where an answer's reply goes: a jansson tree (*json), or text appended to
 * text (rf_app_test_reply_text); finished: the answer ended the test. */
struct answer_out {
    json_t **json;
    struct rf_buf *text;
    int finished;
};

static rf_status answer_on(struct rf_app *a, int64_t id, const json_t *req, const char *item_id,
                           const struct rf_answer_signals *sig, struct rf_test *t,
                           struct rf_cat_session *s, int cached, const char *session, int *stale,
                           struct answer_out *o, struct rf_app_error *e)
{
    char *state = NULL, *profile = NULL;
    unsigned char *packed = NULL;
    size_t npacked = 0;
    rf_status rc;
    *stale = 0;
    size_t cur;
    rf_cat_next(s, &cur);
    if (cur == SIZE_MAX || strcmp(a->pool->ids[cur], item_id) != 0) {
        *stale = cached;
        rc = cached ? RF_ECONFLICT
                    : rf_app_fail(e, RF_ECONFLICT, "item", "'%s' is not the question being asked",
                                  item_id);
        goto out;
    }
    size_t bi;
    if (rf_bank_find(&a->bank, item_id, &bi)) {
        rc = rf_app_fail(e, RF_EINVAL, "item", "the question is no longer in the bank");
        goto out;
    }
    const struct rf_item *it = &a->bank.items[bi];
    struct rf_response resp;
    if ((rc = parse_response(it, req, &resp, e)))
        goto out;
    size_t score = rf_answer_score(it, &resp);
    char raw[RF_ANSWER_MAX_TEXT + 1];
    rf_answer_format(&resp, raw, sizeof raw);
    if ((rc = rf_cat_answer(s, cur, score))) {
        *stale = cached;
        if (!cached)
            rc = rf_app_fail(e, rc, "item", "%s", rf_cat_errmsg(s));
        goto out;
    }
    size_t next;
    rf_cat_next(s, &next);
    if ((rc = rf_app_session_state(s, &state, &e->err)))
        goto out;
    if (next == SIZE_MAX && (rc = session_profile(a, s, &profile, &packed, &npacked, &e->err)))
        goto out;
    if (profile && (rc = rf_app_followup_combine(a, t, &profile, &packed, &npacked, &e->err)))
        goto out;
    struct rf_answer ans = {id,  t->answers, item_id, resp.choice, (int)score, 0,
                            raw, cached ? t->served_ms : 0};
    rc = rf_store_answer_session(a->store, &ans, sig, session, rf_app_now_s(), state, profile,
                                 packed, npacked, &e->err);
    if (rc == RF_ECONFLICT && cached) {
        *stale = 1; /* nothing stored: another process answered, or an older state */
        goto out;
    }
    if (rc == RF_ECONFLICT)
        rc = rf_app_fail(e, RF_ECONFLICT, "item", "this question was already answered");
    if (!rc)
        rc = o->text
                 ? rf_app_test_reply_text(a, id, s, profile ? "finished" : "active",
                                          rf_app_test_operational(t), rf_app_test_lang(t), o->text,
                                          e)
                 : rf_app_test_reply(a, id, s, profile ? "finished" : "active",
                                     rf_app_test_operational(t), rf_app_test_lang(t), o->json, e);
    if (!rc)
        o->finished = profile != NULL;
    if (!rc && !profile) {
        /* the row as now stored: the next answer of this process reads nothing */
        free(t->state);
        t->state = state;
        state = NULL;
        t->answers++;
        t->served_ms = sig->at_ms;
        rf_sesscache_put(a->live, s, t);
        s = NULL;
    }
out:
    free(state);
    free(profile);
    free(packed);
    rf_cat_session_free(s);
    return rc;
}

/* One try at an answer for principal p (session: the token hash p was
 * remembered from, checked by the write; NULL: p was read): from the live
 * session this process kept, else from the stored row. */
static rf_status answer_attempt(struct rf_app *a, const struct rf_principal *p, const char *session,
                                int64_t id, const json_t *req, const char *item_id,
                                const struct rf_answer_signals *sig, struct answer_out *o,
                                struct rf_app_error *e)
{
    rf_status rc;
    /* the session this process left, with its row: no read; a test keeps its
     * candidate for good, so its owner is known from it */
    struct rf_test t;
    int stale = 0;
    struct rf_cat_session *s = rf_sesscache_take(a->live, id, &t);
    if (s && p->candidate_id && t.candidate_id == p->candidate_id) {
        rc = answer_on(a, id, req, item_id, sig, &t, s, 1, session, &stale, o, e);
        rf_store_test_cleanup(&t);
        if (!stale)
            return rc;
    } else {
        rf_cat_session_free(s);
        rf_store_test_cleanup(&t);
    }
    /* none, or stale: from the stored row */
    if ((rc = rf_app_own_test(a, p, id, &t, e)))
        return rc;
    s = NULL;
    if (strcmp(t.status, "active") != 0)
        rc = rf_app_fail(e, RF_ECONFLICT, NULL, "this test is finished; open the report");
    else if (!(rc = session_restore(a, &t, &s, e)))
        rc = answer_on(a, id, req, item_id, sig, &t, s, 0, session, &stale, o, e);
    rf_store_test_cleanup(&t);
    return rc;
}

rf_status rf_app_test_answer(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const json_t *req, json_t **out, struct rf_app_error *e)
{
    return rf_app_test_answer_session(a, p, NULL, id, req, out, e);
}

static rf_status test_answer(struct rf_app *a, const struct rf_principal *p, const char *session,
                             int64_t id, const json_t *req, struct answer_out *out,
                             struct rf_app_error *e)
{
    const char *item_id;
    rf_status rc = rf_app_req_string(req, "item", RF_MAX_ID_LEN, &item_id, e);
    if (rc)
        return rc;
    /* the shape of the answer before anything is looked up; parse_response
     * checks it against the question's type */
    const json_t *cv = json_object_get(req, "choice"), *vv = json_object_get(req, "value"),
                 *sv = json_object_get(req, "selected");
    if (cv && !json_is_integer(cv))
        return rf_app_fail(e, RF_EINVAL, "choice", "field 'choice' must be the index of an option");
    if (vv && !json_is_string(vv))
        return rf_app_fail(e, RF_EINVAL, "value",
                           "field 'value' must be the number as text, e.g. \"1.5\"");
    if (sv && !json_is_array(sv))
        return rf_app_fail(e, RF_EINVAL, "selected",
                           "field 'selected' must be an array of option indices");
    if (!cv && !vv && !sv)
        return rf_app_fail(
            e, RF_EINVAL, "choice",
            "give the answer: 'choice' (an option), 'value' (a number) or 'selected' "
            "(options)");
    /* the browser's focus report; the time is the server's own */
    struct rf_answer_signals sig;
    if (rf_signals_parse(req, &sig, &e->err))
        return rf_app_fail(e, RF_EINVAL, "signals", "%s", e->err.msg);
    sig.at_ms = rf_app_wall_ms(a);
    rc = answer_attempt(a, p, session, id, req, item_id, &sig, out, e);
    if (!rc || !session)
        return rc;
    /* remembered, and not answered (the write refused, or anything else
     * went wrong): the session is read now, as any request's is, and the
     * answer made as it is made then */
    struct rf_principal read;
    if ((rc = rf_app_principal_of_hash(a, session, &read, &e->err)))
        return rc;
    if (!read.candidate_id)
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no such test for you");
    return answer_attempt(a, &read, NULL, id, req, item_id, &sig, out, e);
}

rf_status rf_app_test_answer_session(struct rf_app *a, const struct rf_principal *p,
                                     const char *session, int64_t id, const json_t *req,
                                     json_t **out, struct rf_app_error *e)
{
    struct answer_out o = {out, NULL, 0};
    return test_answer(a, p, session, id, req, &o, e);
}

rf_status rf_app_test_answer_text(struct rf_app *a, const struct rf_principal *p,
                                  const char *session, int64_t id, const json_t *req,
                                  struct rf_buf *out, int *finished, struct rf_app_error *e)
{
    struct answer_out o = {NULL, out, 0};
    rf_status rc = test_answer(a, p, session, id, req, &o, e);
    *finished = o.finished;
    return rc;
}
