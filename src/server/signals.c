/*
 * Test-integrity signals in the server (signals.h). The arithmetic is in
 * careers/integrity.c; this file reads the store and writes the staff
 * section of a report. Response times are the server's own (from serving a
 * question to receiving its answer); the browser's focus report is shown
 * beside them as what the browser said, never in place of them.
 */
#include "server/signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "careers/concepts.h"
#include "careers/integrity.h"
#include "cat/sessfile.h"
#include "bank/answer.h"
#include "irt/model.h"

/* Answers of one report at most (far above any test's length). */
#define MAX_ANSWERS 256
/* Distinct wrong responses of an item read at most (the most frequent). */
#define MAX_WRONG 32
/* Wrong answers a numeric item needs before its agreements count: numbers
 * have no fixed set of wrong values, so their shares come from data alone. */
#define MIN_NUMERIC_WRONG 20
/* Skills of one report at most. */
#define MAX_SKILLS 64

static const char note[] =
    "Signals worth a look, not verdicts. A fast answer, a switched tab or an unusual agreement "
    "with another candidate has innocent explanations (a known question, a second screen, a "
    "shared course); none of them shows on its own that anything was done wrong. Talk to the "
    "candidate, or ask them to retake the skill, before drawing any conclusion.";

static rf_status count_field(const json_t *o, const char *key, long long max, int64_t *out,
                             int required, struct rf_err *err)
{
    const json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            return rf_err_set(err, RF_EINVAL, "field 'signals.%s' is missing", key);
        return RF_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return rf_err_set(err, RF_EINVAL, "field 'signals.%s' must be an integer from 0 to %lld",
                          key, max);
    *out = (int64_t)json_integer_value(v);
    return RF_OK;
}

rf_status rf_signals_parse(const json_t *req, struct rf_answer_signals *sig, struct rf_err *err)
{
    memset(sig, 0, sizeof *sig);
    sig->client_ms = -1;
    const json_t *o = json_object_get(req, "signals");
    if (!o)
        return RF_OK;
    if (!json_is_object(o))
        return rf_err_set(err, RF_EINVAL, "field 'signals' must be an object");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        if (strcmp(key, "blurs") && strcmp(key, "hidden") && strcmp(key, "away_ms") &&
            strcmp(key, "client_ms"))
            return rf_err_set(err, RF_EINVAL,
                              "field 'signals': unknown field (blurs, hidden, away_ms, "
                              "client_ms are known)");
    }
    struct rf_answer_signals s = {0, 0, 1, 0, 0, 0, -1};
    rf_status rc;
    if ((rc = count_field(o, "blurs", RF_SIGNAL_MAX_COUNT, &s.blurs, 1, err)) ||
        (rc = count_field(o, "hidden", RF_SIGNAL_MAX_COUNT, &s.hidden, 1, err)) ||
        (rc = count_field(o, "away_ms", RF_SIGNAL_MAX_MS, &s.away_ms, 1, err)) ||
        (rc = count_field(o, "client_ms", RF_SIGNAL_MAX_MS, &s.client_ms, 0, err)))
        return rc;
    *sig = s;
    return RF_OK;
}

/* One answer of the reported test, with what the store says of its item. */
struct ans {
    char item[RF_MAX_ID_LEN + 1];
    size_t bi;    /* bank index */
    int inbank;   /* 0: the item left the bank (shown, not analysed) */
    size_t skill; /* index into the report's skills */
    int score;
    char resp[RF_ANSWER_MAX_TEXT + 1]; /* stored form */
    struct rf_answer_signals sig;
    double threshold;                              /* ms */
    char wresp[MAX_WRONG][RF_ANSWER_MAX_TEXT + 1]; /* the item's stored wrong responses */
    int64_t wn[MAX_WRONG];                         /* and how many gave each */
    size_t nw;
    int peer_score, peer_has; /* the compared test's answer to the item */
    char peer_resp[RF_ANSWER_MAX_TEXT + 1];
};

struct ctx {
    const struct rf_bank *bank;
    const struct rf_concepts *concepts; /* names of the items' tags, or NULL */
    const json_t *state; /* the test's session state: its pretest items are not signals */
    struct ans *a;
    size_t n;
    int overflow;
    const char *skills[MAX_SKILLS];
    size_t nskills;
};

static size_t skill_slot(struct ctx *c, const char *skill)
{
    for (size_t k = 0; k < c->nskills; k++)
        if (!strcmp(c->skills[k], skill))
            return k;
    if (c->nskills == MAX_SKILLS)
        return MAX_SKILLS;
    c->skills[c->nskills] = skill;
    return c->nskills++;
}

/* An answer's stored form (bank/answer.h); before schema 3, its option index. */
static void stored_form(const struct rf_answer *a, char out[RF_ANSWER_MAX_TEXT + 1])
{
    if (a->response)
        snprintf(out, RF_ANSWER_MAX_TEXT + 1, "%s", a->response);
    else
        snprintf(out, RF_ANSWER_MAX_TEXT + 1, "%d", a->choice);
}

static void take_answer(void *ud, const struct rf_answer *a, const struct rf_answer_signals *sig)
{
    struct ctx *c = ud;
    if (rf_cat_state_pretest(c->state, a->item_id))
        return;
    if (c->n == MAX_ANSWERS) {
        c->overflow = 1;
        return;
    }
    struct ans *x = &c->a[c->n];
    memset(x, 0, sizeof *x);
    snprintf(x->item, sizeof x->item, "%s", a->item_id);
    x->inbank = rf_bank_find(c->bank, a->item_id, &x->bi) == RF_OK;
    x->skill = x->inbank ? skill_slot(c, c->bank->items[x->bi].skill) : MAX_SKILLS;
    stored_form(a, x->resp);
    x->score = a->score;
    x->sig = *sig;
    c->n++;
}

static void take_wrong(void *ud, const char *response, int64_t n)
{
    struct ans *x = ud;
    if (x->nw == MAX_WRONG)
        return;
    snprintf(x->wresp[x->nw], sizeof x->wresp[0], "%s", response ? response : "");
    x->wn[x->nw++] = n;
}

/* A compared test: who, and its abilities on the report's skills. */
struct peer {
    int64_t id, candidate;
    char label[128];
    double theta[MAX_SKILLS];
};

struct peers {
    struct ctx *c;
    int64_t self_id, self_candidate;
    struct peer *p;
    size_t n;
};

static void take_peer(void *ud, const struct rf_store_ranked *t)
{
    struct peers *ps = ud;
    if (ps->n == RF_COPY_MAX_PEERS || t->id == ps->self_id || t->candidate_id == ps->self_candidate)
        return;
    struct rf_profile pr;
    struct rf_err e;
    rf_status rc = t->packed ? rf_profile_unpack(t->packed, t->npacked, &pr, &e)
                   : t->profile
                       ? rf_profile_parse("stored profile", t->profile, strlen(t->profile), &pr, &e)
                       : RF_EINVAL;
    if (rc) {
        if (t->packed || t->profile)
            rf_profile_cleanup(&pr);
        return; /* a test without a readable profile is not compared */
    }
    struct peer *p = &ps->p[ps->n++];
    p->id = t->id;
    p->candidate = t->candidate_id;
    snprintf(p->label, sizeof p->label, "%s", t->label ? t->label : "");
    for (size_t k = 0; k < ps->c->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(&pr, ps->c->skills[k]);
        p->theta[k] = s ? s->theta : 0.0;
    }
    rf_profile_cleanup(&pr);
}

static void peer_answer(void *ud, const struct rf_answer *a)
{
    struct ctx *c = ud;
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->a[i].item, a->item_id)) {
            c->a[i].peer_has = 1;
            stored_form(a, c->a[i].peer_resp);
            c->a[i].peer_score = a->score;
            return;
        }
    }
}

/* How many wrong responses an item can have (rf_copy_match_shares' k):
 * the wrong options, the selections other than the key (partly right ones
 * included: an approximation), or 0 for numbers. */
static size_t wrong_kinds(const struct rf_item *it)
{
    if (it->type == RF_ITEM_MCQ)
        return it->noptions - 1;
    if (it->type == RF_ITEM_MULTI)
        return it->noptions < 16 ? ((size_t)1 << it->noptions) - 1 : SIZE_MAX / 2;
    return 0;
}

/* The index of the report's test (abilities self) against one peer, on the
 * items both answered. The shares of wrong responses leave out both
 * people's own answers. */
static rf_status compare(const struct ctx *c, const double *self, const struct peer *p,
                         struct rf_copy_item *w, struct rf_copy_result *res, struct rf_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct ans *x = &c->a[i];
        if (!x->peer_has || !x->inbank || x->skill >= MAX_SKILLS)
            continue;
        const struct rf_item *it = &c->bank->items[x->bi];
        int64_t wn[MAX_WRONG], total = 0;
        memcpy(wn, x->wn, sizeof wn);
        for (size_t v = 0; v < x->nw; v++) {
            wn[v] -= (!x->score && !strcmp(x->wresp[v], x->resp)) +
                     (!x->peer_score && !strcmp(x->wresp[v], x->peer_resp));
            total += wn[v] > 0 ? wn[v] : 0;
        }
        size_t k = wrong_kinds(it);
        if (!k && total < MIN_NUMERIC_WRONG)
            continue;
        /* wrong: no credit, category 0 of the item's model */
        w[n].pa = 1.0 - rf_irt_prob(&it->irt, self[x->skill], 0);
        w[n].pb = 1.0 - rf_irt_prob(&it->irt, p->theta[x->skill], 0);
        w[n].match = rf_copy_match_shares(wn, x->nw, k);
        w[n].same_wrong = !x->score && !x->peer_score && !strcmp(x->resp, x->peer_resp);
        n++;
    }
    return rf_copy_index(w, n, res, err);
}

/* The concepts (tags) of an answer's item, each with its name in English and
 * Japanese (data/concepts.json; the tag where the table has no entry): what
 * a report shows of the question, not the item's id. [] when the item left
 * the bank. */
static json_t *concepts_json(const struct ctx *c, const struct ans *x)
{
    json_t *arr = json_array();
    const struct rf_item *it = x->inbank ? &c->bank->items[x->bi] : NULL;
    for (size_t k = 0; arr && it && k < it->ntags; k++) {
        const char *tag = it->tags[k];
        const char *en = c->concepts ? rf_concepts_name(c->concepts, tag, RF_EN) : NULL;
        const char *ja = c->concepts ? rf_concepts_name(c->concepts, tag, RF_JA) : NULL;
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "tag", tag, "name", en ? en : tag,
                                             "name_ja", ja ? ja : (en ? en : tag)));
    }
    return arr;
}

/* Per answer and per skill: times, thresholds, focus, response-time effort. */
static json_t *times_json(struct ctx *c, const struct rf_rte_rule *rule, json_t **skills_out)
{
    json_t *arr = json_array();
    size_t timed[MAX_SKILLS] = {0}, rapid[MAX_SKILLS] = {0}, answered[MAX_SKILLS] = {0};
    for (size_t i = 0; i < c->n; i++) {
        struct ans *x = &c->a[i];
        int has_rt = x->sig.rt_ms >= 0;
        int fast = has_rt && (double)x->sig.rt_ms < x->threshold;
        if (x->skill < MAX_SKILLS) {
            answered[x->skill]++;
            timed[x->skill] += (size_t)has_rt;
            rapid[x->skill] += (size_t)fast;
        }
        json_t *o = json_pack("{s:I,s:s,s:s?}", "number", (json_int_t)i + 1, "item", x->item,
                              "skill", x->skill < MAX_SKILLS ? c->skills[x->skill] : NULL);
        if (!o)
            continue;
        json_object_set_new(o, "concepts", concepts_json(c, x));
        json_object_set_new(o, "response_ms", has_rt ? json_integer(x->sig.rt_ms) : json_null());
        json_object_set_new(o, "threshold_ms", json_integer((json_int_t)x->threshold));
        json_object_set_new(o, "rapid", json_boolean(fast));
        if (x->sig.focus) {
            json_object_set_new(o, "blurs", json_integer(x->sig.blurs));
            json_object_set_new(o, "hidden", json_integer(x->sig.hidden));
            json_object_set_new(o, "away_ms", json_integer(x->sig.away_ms));
            json_object_set_new(o, "browser_ms",
                                x->sig.client_ms >= 0 ? json_integer(x->sig.client_ms)
                                                      : json_null());
        }
        json_array_append_new(arr, o);
    }
    json_t *sk = json_array();
    for (size_t k = 0; k < c->nskills; k++) {
        double rte;
        int flag;
        rf_rte_skill(rule, timed[k], rapid[k], &rte, &flag);
        json_array_append_new(sk,
                              json_pack("{s:s,s:I,s:I,s:I,s:o,s:b}", "skill", c->skills[k],
                                        "answered", (json_int_t)answered[k], "timed",
                                        (json_int_t)timed[k], "rapid", (json_int_t)rapid[k], "rte",
                                        timed[k] ? json_real(rte) : json_null(), "flagged", flag));
    }
    *skills_out = sk;
    return arr;
}

/* The copying section: every compared test, the most unusual first five and
 * every flagged one shown. */
static rf_status copying_json(struct rf_store *st, struct ctx *c, const struct rf_test *t,
                              const struct rf_profile *pr, json_t **out, struct rf_err *err)
{
    struct peers ps = {c, t->id, t->candidate_id, calloc(RF_COPY_MAX_PEERS, sizeof *ps.p), 0};
    if (!ps.p)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = t->org_id ? rf_store_tests_ranked(st, t->org_id, t->posting_id, 0, 0, 0,
                                                     take_peer, &ps, err)
                             : RF_OK;
    double self[MAX_SKILLS];
    for (size_t k = 0; k < c->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(pr, c->skills[k]);
        self[k] = s ? s->theta : 0.0;
    }
    json_t *pairs = json_array();
    size_t compared = 0;
    struct rf_copy_result *res = calloc(ps.n ? ps.n : 1, sizeof *res);
    struct rf_copy_item *w = calloc(MAX_ANSWERS, sizeof *w);
    if (!res || !w)
        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t j = 0; !rc && j < ps.n; j++) {
        for (size_t i = 0; i < c->n; i++)
            c->a[i].peer_has = 0;
        rc = rf_store_answers_list(st, ps.p[j].id, peer_answer, c, err);
        if (!rc)
            rc = compare(c, self, &ps.p[j], w, &res[j], err);
        compared += !rc && res[j].common >= RF_COPY_MIN_COMMON;
    }
    double alpha = compared ? RF_COPY_ALPHA / (double)compared : RF_COPY_ALPHA;
    /* the five smallest p-values, then any other flagged pair */
    for (size_t shown = 0; !rc; shown++) {
        size_t best = SIZE_MAX;
        for (size_t j = 0; j < ps.n; j++)
            if (res[j].common >= RF_COPY_MIN_COMMON && res[j].p <= 1 &&
                (best == SIZE_MAX || res[j].p < res[best].p))
                best = j;
        if (best == SIZE_MAX || (shown >= 5 && res[best].p >= alpha))
            break;
        const struct rf_copy_result *r = &res[best];
        json_array_append_new(
            pairs, json_pack("{s:I,s:s,s:I,s:I,s:f,s:f,s:f,s:b}", "test", (json_int_t)ps.p[best].id,
                             "person", ps.p[best].label, "common", (json_int_t)r->common,
                             "identical_wrong", (json_int_t)r->matches, "expected", r->expected,
                             "z", r->z, "p", r->p, "flagged", r->p < alpha));
        res[best].p = 2; /* shown */
    }
    free(res);
    free(w);
    free(ps.p);
    if (rc) {
        json_decref(pairs);
        return rc;
    }
    *out = json_pack("{s:I,s:I,s:f,s:o}", "compared", (json_int_t)compared, "min_common",
                     (json_int_t)RF_COPY_MIN_COMMON, "alpha", alpha, "pairs", pairs);
    return *out ? RF_OK : rf_err_set(err, RF_ENOMEM, "out of memory");
}

rf_status rf_signals_report(struct rf_store *st, const struct rf_bank *bank,
                            const struct rf_concepts *concepts, const struct rf_test *t,
                            const struct rf_profile *pr, json_t **out, struct rf_err *err)
{
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.bank = bank;
    c.concepts = concepts;
    json_t *state = t->state ? json_loads(t->state, 0, NULL) : NULL;
    c.state = state;
    c.a = calloc(MAX_ANSWERS, sizeof *c.a);
    if (!c.a)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    struct rf_rte_rule rule;
    rf_rte_rule_default(&rule);
    rf_status rc = rf_store_answers_signals(st, t->id, take_answer, &c, err);
    for (size_t i = 0; !rc && i < c.n; i++) {
        struct ans *x = &c.a[i];
        struct rf_store_item_stats s;
        /* an earlier answer to the same item (a resumed skill) gives the same */
        rc = rf_store_item_stats(st, x->item, &s, err);
        if (!rc) {
            x->threshold = rf_rte_threshold(&rule, (size_t)s.ntimed, s.mean_rt_ms);
            rc = rf_store_item_wrong(st, x->item, MAX_WRONG, take_wrong, x, err);
        }
    }
    json_t *skills = NULL, *answers = NULL, *copying = NULL;
    if (!rc)
        answers = times_json(&c, &rule, &skills);
    if (!rc)
        rc = copying_json(st, &c, t, pr, &copying, err);
    int64_t blurs = 0, hidden = 0, away = 0, reported = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (c.a[i].sig.focus) {
            reported++;
            blurs += c.a[i].sig.blurs;
            hidden += c.a[i].sig.hidden;
            away += c.a[i].sig.away_ms;
        }
    }
    free(c.a);
    json_decref(state);
    if (rc) {
        json_decref(skills);
        json_decref(answers);
        return rc;
    }
    *out = json_pack("{s:s,s:{s:f,s:f,s:f,s:I,s:f},s:o,s:o,s:{s:I,s:I,s:I,s:I},s:o,s:b}", "note",
                     note, "rule", "fraction", rule.fraction, "floor_ms", rule.floor_ms, "cap_ms",
                     rule.cap_ms, "min_timed", (json_int_t)rule.min_timed, "flag_below",
                     rule.flag_below, "answers", answers, "skills", skills, "focus",
                     "answers_reported", (json_int_t)reported, "blurs", (json_int_t)blurs, "hidden",
                     (json_int_t)hidden, "away_ms", (json_int_t)away, "copying", copying,
                     "truncated", c.overflow);
    return *out ? RF_OK : rf_err_set(err, RF_ENOMEM, "out of memory");
}
