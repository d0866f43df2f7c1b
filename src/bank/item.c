/*
 * Reading and writing one bank item as JSON. The reader checks types, ranges
 * and the IRT parameters (through rf_params_from_json), copies every string
 * it keeps, and builds the item in a local so a failure leaves the caller's
 * item untouched.
 */
#include "bank/item.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/params.h"
#include "base/config.h"
#include "base/json.h"
#include "base/mem.h"

static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void rf_item_cleanup(struct rf_item *it)
{
    free(it->id);
    free(it->skill);
    free(it->stem);
    free(it->explanation);
    free(it->difficulty);
    free(it->lang);
    free(it->unit);
    free(it->enemy);
    free_strv(it->options, it->noptions);
    free_strv(it->tags, it->ntags);
    if (it->translations)
        json_decref(it->translations);
    memset(it, 0, sizeof *it);
}

const char *rf_item_type_name(enum rf_item_type t)
{
    switch (t) {
    case RF_ITEM_RUBRIC: return "rubric";
    case RF_ITEM_NUMERIC: return "numeric";
    case RF_ITEM_MULTI: return "multi";
    case RF_ITEM_MCQ: break;
    }
    return "mcq";
}

rf_status rf_item_type_parse(const char *s, enum rf_item_type *out)
{
    if (strcmp(s, "mcq") == 0)
        *out = RF_ITEM_MCQ;
    else if (strcmp(s, "rubric") == 0)
        *out = RF_ITEM_RUBRIC;
    else if (strcmp(s, "numeric") == 0)
        *out = RF_ITEM_NUMERIC;
    else if (strcmp(s, "multi") == 0)
        *out = RF_ITEM_MULTI;
    else
        return RF_EINVAL;
    return RF_OK;
}

void rf_item_multi_prior_thresholds(double b, size_t m, double *thr)
{
    for (size_t j = 1; j <= m; j++) {
        double t = b + ((double)j - (double)(m + 1) / 2.0) * RF_ITEM_MULTI_PRIOR_STEP;
        thr[j - 1] = round(t * 100.0) / 100.0;
    }
}

void rf_item_prior_params(const struct rf_item *it, struct rf_irt_item *out)
{
    enum rf_difficulty d = rf_difficulty_parse(it->difficulty);
    double b0 = rf_difficulty_prior_b(d == RF_DIFF_NONE ? RF_DIFF_MEDIUM : d);
    if (it->type == RF_ITEM_NUMERIC) {
        rf_irt_item_dich(out, RF_MODEL_2PL, 1.0, b0, 0);
    } else if (it->type == RF_ITEM_MULTI) {
        double thr[RF_MAX_CATEGORIES];
        rf_item_multi_prior_thresholds(b0, it->nkeys, thr);
        rf_irt_item_grm(out, 1.0, thr, it->nkeys + 1);
    } else if (it->type == RF_ITEM_RUBRIC) {
        *out = it->irt;
        out->a = 1.0;
    } else {
        rf_irt_item_dich(out, RF_MODEL_3PL, 1.0, b0,
                         it->noptions ? 1.0 / (double)it->noptions : 0.25);
    }
}

enum rf_difficulty rf_difficulty_parse(const char *s)
{
    if (!s)
        return RF_DIFF_NONE;
    if (strcmp(s, "easy") == 0)
        return RF_DIFF_EASY;
    if (strcmp(s, "medium") == 0)
        return RF_DIFF_MEDIUM;
    if (strcmp(s, "hard") == 0)
        return RF_DIFF_HARD;
    if (strcmp(s, "expert") == 0)
        return RF_DIFF_EXPERT;
    return RF_DIFF_NONE;
}

const char *rf_difficulty_name(enum rf_difficulty d)
{
    switch (d) {
    case RF_DIFF_EASY: return "easy";
    case RF_DIFF_MEDIUM: return "medium";
    case RF_DIFF_HARD: return "hard";
    case RF_DIFF_EXPERT: return "expert";
    case RF_DIFF_NONE: break;
    }
    return "";
}

double rf_difficulty_prior_b(enum rf_difficulty d)
{
    switch (d) {
    case RF_DIFF_EASY: return -1.3;
    case RF_DIFF_HARD: return 1.45;
    case RF_DIFF_EXPERT: return 2.6;
    case RF_DIFF_MEDIUM:
    case RF_DIFF_NONE: break;
    }
    return 0.0;
}

void rf_difficulty_band(enum rf_difficulty d, double *lo, double *hi)
{
    static const double l[RF_NDIFF] = {-2.0, -0.5, 0.7, 2.2}, h[RF_NDIFF] = {-0.6, 0.6, 2.2, 3.0};
    if (d >= RF_DIFF_EASY && d <= RF_DIFF_EXPERT) {
        *lo = l[d];
        *hi = h[d];
    } else {
        *lo = -RF_LINT_B_ABS;
        *hi = RF_LINT_B_ABS;
    }
}

static const char *const pool_names[RF_NPOOLS] = {"operational", "practice", "pretest"};

const char *rf_item_pool_name(enum rf_item_pool p)
{
    return (unsigned)p < RF_NPOOLS ? pool_names[p] : "operational";
}

rf_status rf_item_pool_parse(const char *s, enum rf_item_pool *out)
{
    for (int i = 0; i < RF_NPOOLS; i++)
        if (strcmp(s, pool_names[i]) == 0) {
            *out = (enum rf_item_pool)i;
            return RF_OK;
        }
    return RF_EINVAL;
}

enum rf_item_pool rf_item_pool_rule(const char *id, const char *enemy)
{
    const char *key = enemy && enemy[0] ? enemy : id ? id : "";
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 */
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        h ^= *c;
        h *= 0x100000001b3ULL;
    }
    return h % RF_POOL_PRACTICE_MOD == 0 ? RF_POOL_PRACTICE : RF_POOL_OPERATIONAL;
}

int rf_item_enemy_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > RF_ITEM_MAX_ENEMY_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* A copy of the string field key (or of dflt when absent and not required). */
static rf_status get_str(const json_t *o, const char *key, int required, const char *dflt,
                         char **out, const char *where, struct rf_err *err)
{
    const char *s = dflt;
    rf_status rc = rf_json_get_string(o, key, required, &s, where, err);
    if (rc)
        return rc;
    if (!(*out = rf_strdup(s)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    return RF_OK;
}

/* An optional array of strings, 0..max long (min when present). */
static rf_status get_strv(const json_t *o, const char *key, size_t min, size_t max, char ***out,
                          size_t *n, const char *where, struct rf_err *err)
{
    const json_t *a = json_object_get(o, key);
    *out = NULL;
    *n = 0;
    if (!a)
        return RF_OK;
    if (!json_is_array(a) || json_array_size(a) < min || json_array_size(a) > max)
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected an array of %zu to %zu strings",
                          where, key, min, max);
    size_t m = json_array_size(a);
    if (m == 0)
        return RF_OK;
    char **v = rf_calloc_array(m, sizeof *v);
    if (!v)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < m; i++) {
        const json_t *s = json_array_get(a, i);
        if (!json_is_string(s)) {
            free_strv(v, m);
            return rf_err_set(err, RF_EINVAL, "%s: field '%s[%zu]': expected a string", where, key,
                              i);
        }
        if (!(v[i] = rf_strdup(json_string_value(s)))) {
            free_strv(v, m);
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
        }
    }
    *out = v;
    *n = m;
    return RF_OK;
}

static rf_status get_bool(const json_t *o, const char *key, int *out, const char *where,
                          struct rf_err *err)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return RF_OK;
    if (!json_is_boolean(v))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected true or false", where, key);
    *out = json_is_true(v);
    return RF_OK;
}

/* The answer, tolerance and unit of a numeric item; options are refused. */
static rf_status read_numeric(const json_t *o, const char *where, struct rf_item *it,
                              struct rf_err *err)
{
    rf_status rc;
    if (it->noptions)
        return rf_err_set(err, RF_EINVAL, "%s: field 'options': a numeric item has no options",
                          where);
    if ((rc = rf_json_get_number(o, "answer", 1, &it->answer, NULL, where, err)) ||
        (rc = rf_json_get_number(o, "tolerance", 1, &it->tolerance, NULL, where, err)))
        return rc;
    if (!isfinite(it->answer))
        return rf_err_set(err, RF_EINVAL, "%s: field 'answer': not a finite number", where);
    if (!isfinite(it->tolerance) || it->tolerance < 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'tolerance': %g is not a number >= 0",
                          where, it->tolerance);
    const char *unit = "";
    if ((rc = rf_json_get_string(o, "unit", 0, &unit, where, err)))
        return rc;
    if (strlen(unit) > RF_ITEM_MAX_UNIT_LEN)
        return rf_err_set(err, RF_EINVAL, "%s: field 'unit': longer than %d bytes", where,
                          RF_ITEM_MAX_UNIT_LEN);
    char *u = rf_strdup(unit);
    if (!u)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    free(it->unit);
    it->unit = u;
    return RF_OK;
}

/* The keys of a multi item: 1..noptions-1 indices, strictly increasing, in range. */
static rf_status read_keys(const json_t *o, const char *where, struct rf_item *it,
                           struct rf_err *err)
{
    const json_t *k = json_object_get(o, "keys");
    if (!k)
        return rf_err_set(err, RF_EINVAL, "%s: missing field 'keys'", where);
    size_t n = json_is_array(k) ? json_array_size(k) : 0;
    if (!json_is_array(k) || n < 1 || n + 1 > it->noptions)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'keys': expected an array of 1 to %zu option indices "
                          "(%zu options)",
                          where, it->noptions - 1, it->noptions);
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(k, i);
        if (!json_is_integer(v))
            return rf_err_set(err, RF_EINVAL, "%s: field 'keys[%zu]': expected an integer", where,
                              i);
        json_int_t kv = json_integer_value(v);
        if (kv < 0 || (size_t)kv >= it->noptions)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'keys[%zu]': %lld is out of range (%zu options, 0-based)",
                              where, i, (long long)kv, it->noptions);
        if (i && kv <= it->keys[i - 1])
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'keys[%zu]': %lld after %d: keys must be sorted and "
                              "distinct",
                              where, i, (long long)kv, it->keys[i - 1]);
        it->keys[i] = (int)kv;
    }
    it->nkeys = n;
    return RF_OK;
}

static rf_status read_item(const json_t *o, const char *where, struct rf_item *it,
                           struct rf_err *err)
{
    rf_status rc;
    const char *type = NULL;
    if ((rc = get_str(o, "skill", 1, NULL, &it->skill, where, err)))
        return rc;
    if (!it->skill[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'skill': empty", where);
    if ((rc = rf_json_get_string(o, "type", 1, &type, where, err)))
        return rc;
    if (rf_item_type_parse(type, &it->type))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'type': unknown type '%s' (use mcq, rubric, numeric or multi)",
                          where, type);
    if ((rc = get_str(o, "stem", 1, NULL, &it->stem, where, err)))
        return rc;
    if (!it->stem[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'stem': empty", where);
    if ((rc = get_str(o, "explanation", 0, "", &it->explanation, where, err)) ||
        (rc = get_str(o, "difficulty", 0, "", &it->difficulty, where, err)) ||
        (rc = get_str(o, "lang", 0, "en", &it->lang, where, err)))
        return rc;
    int choice = it->type == RF_ITEM_MCQ || it->type == RF_ITEM_MULTI;
    if ((rc = get_strv(o, "options", choice ? 2 : 0, RF_BANK_MAX_OPTIONS, &it->options,
                       &it->noptions, where, err)))
        return rc;
    it->key = -1;
    if (!(it->unit = rf_strdup("")))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    if (it->type == RF_ITEM_NUMERIC && (rc = read_numeric(o, where, it, err)))
        return rc;
    if (it->type == RF_ITEM_MULTI && (rc = read_keys(o, where, it, err)))
        return rc;
    if (it->type == RF_ITEM_MCQ) {
        if (!it->options)
            return rf_err_set(err, RF_EINVAL, "%s: missing field 'options'", where);
        const json_t *k = json_object_get(o, "key");
        if (!k)
            return rf_err_set(err, RF_EINVAL, "%s: missing field 'key'", where);
        if (!json_is_integer(k))
            return rf_err_set(err, RF_EINVAL, "%s: field 'key': expected an integer", where);
        json_int_t kv = json_integer_value(k);
        if (kv < 0 || (size_t)kv >= it->noptions)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'key': %lld is out of range (%zu options, 0-based)",
                              where, (long long)kv, it->noptions);
        it->key = (int)kv;
    }
    if ((rc = get_strv(o, "tags", 0, RF_BANK_MAX_TAGS, &it->tags, &it->ntags, where, err)))
        return rc;
    if ((rc = get_str(o, "enemy", 0, "", &it->enemy, where, err)))
        return rc;
    if (json_object_get(o, "enemy") && !rf_item_enemy_valid(it->enemy))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'enemy': '%.80s' is not a lower_snake_case group name of 1 "
                          "to %d bytes",
                          where, it->enemy, RF_ITEM_MAX_ENEMY_LEN);
    const json_t *pool = json_object_get(o, "pool");
    if (pool &&
        (!json_is_string(pool) || rf_item_pool_parse(json_string_value(pool), &it->pool) != RF_OK))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'pool': expected \"practice\", \"operational\" or "
                          "\"pretest\"",
                          where);
    it->pool_set = pool != NULL;
    if (!pool)
        it->pool = rf_item_pool_rule(it->id, it->enemy);
    if ((rc = get_bool(o, "calibrated", &it->calibrated, where, err)) ||
        (rc = get_bool(o, "retired", &it->retired, where, err)) ||
        (rc = get_bool(o, "recall", &it->recall, where, err)))
        return rc;
    if ((rc = rf_params_from_json(o, &it->irt, where, err)))
        return rc;
    if (it->type == RF_ITEM_MCQ && it->irt.ncat != 2)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'model': a multiple-choice item needs a dichotomous model "
                          "(1pl, 2pl or 3pl), got %s",
                          where, rf_irt_model_name(it->irt.model));
    if (it->type == RF_ITEM_NUMERIC && it->irt.model != RF_MODEL_1PL &&
        it->irt.model != RF_MODEL_2PL)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'model': a numeric item has no guessing: use 2pl (or 1pl), "
                          "got %s",
                          where, rf_irt_model_name(it->irt.model));
    if (it->type == RF_ITEM_MULTI &&
        (it->irt.model != RF_MODEL_GRM || it->irt.ncat != it->nkeys + 1))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'thresholds': a multi item with %zu keys needs a grm model "
                          "with %zu thresholds",
                          where, it->nkeys, it->nkeys);
    const json_t *tr = json_object_get(o, "translations");
    if (tr) {
        if (!json_is_object(tr))
            return rf_err_set(err, RF_EINVAL, "%s: field 'translations': expected an object",
                              where);
        it->translations = json_incref((json_t *)tr);
    }
    return RF_OK;
}

rf_status rf_item_from_json(const json_t *obj, const char *file, size_t index,
                            struct rf_item *it, struct rf_err *err)
{
    const char *name = file ? file : "<memory>";
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s: items[%zu]", name, index);
    if (!json_is_object(obj))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", where);
    const char *id = NULL;
    rf_status rc = rf_json_get_string(obj, "id", 1, &id, where, err);
    if (rc)
        return rc;
    if (!id[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': empty", where);
    if (strlen(id) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': longer than %d bytes", where,
                          RF_MAX_ID_LEN);
    snprintf(where, sizeof where, "%s: item '%s'", name, id);
    struct rf_item tmp;
    memset(&tmp, 0, sizeof tmp);
    if (!(tmp.id = rf_strdup(id)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    if ((rc = read_item(obj, where, &tmp, err))) {
        rf_item_cleanup(&tmp);
        return rc;
    }
    tmp.file = file;
    *it = tmp;
    return RF_OK;
}

static json_t *strv_json(char **v, size_t n)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(a, json_string(v[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

rf_status rf_item_to_json(const struct rf_item *it, json_t **out)
{
    json_t *o = json_object();
    if (!o)
        return RF_ENOMEM;
    int bad = 0;
    bad |= json_object_set_new(o, "id", json_string(it->id));
    bad |= json_object_set_new(o, "skill", json_string(it->skill));
    bad |= json_object_set_new(o, "type", json_string(rf_item_type_name(it->type)));
    bad |= json_object_set_new(o, "stem", json_string(it->stem));
    if (it->type == RF_ITEM_MCQ || it->noptions)
        bad |= json_object_set_new(o, "options", strv_json(it->options, it->noptions));
    if (it->type == RF_ITEM_MCQ)
        bad |= json_object_set_new(o, "key", json_integer(it->key));
    if (it->type == RF_ITEM_MULTI) {
        json_t *k = json_array();
        for (size_t i = 0; k && i < it->nkeys; i++)
            bad |= json_array_append_new(k, json_integer(it->keys[i]));
        bad |= json_object_set_new(o, "keys", k);
    }
    if (it->type == RF_ITEM_NUMERIC) {
        bad |= json_object_set_new(o, "answer", json_real(it->answer));
        bad |= json_object_set_new(o, "tolerance", json_real(it->tolerance));
        if (it->unit && it->unit[0])
            bad |= json_object_set_new(o, "unit", json_string(it->unit));
    }
    bad |= json_object_set_new(o, "explanation", json_string(it->explanation ? it->explanation : ""));
    if (it->difficulty && it->difficulty[0])
        bad |= json_object_set_new(o, "difficulty", json_string(it->difficulty));
    if (!bad && rf_params_to_json(&it->irt, o))
        bad = 1;
    json_object_del(o, "d");
    if (it->type == RF_ITEM_NUMERIC)
        json_object_del(o, "c"); /* numeric items have no guessing parameter */
    bad |= json_object_set_new(o, "calibrated", json_boolean(it->calibrated));
    bad |= json_object_set_new(o, "tags", strv_json(it->tags, it->ntags));
    if (it->enemy && it->enemy[0])
        bad |= json_object_set_new(o, "enemy", json_string(it->enemy));
    bad |= json_object_set_new(o, "lang", json_string(it->lang && it->lang[0] ? it->lang : "en"));
    if (it->translations)
        bad |= json_object_set(o, "translations", it->translations);
    if (it->pool_set)
        bad |= json_object_set_new(o, "pool", json_string(rf_item_pool_name(it->pool)));
    if (it->retired)
        bad |= json_object_set_new(o, "retired", json_true());
    if (it->recall)
        bad |= json_object_set_new(o, "recall", json_true());
    if (bad) {
        json_decref(o);
        return RF_ENOMEM;
    }
    *out = o;
    return RF_OK;
}

static char **copy_strv(char **v, size_t n, int *bad)
{
    if (!n)
        return NULL;
    char **c = rf_calloc_array(n, sizeof *c);
    if (!c) {
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        if (!(c[i] = rf_strdup(v[i])))
            *bad = 1;
    return c;
}

rf_status rf_item_copy(const struct rf_item *src, struct rf_item *dst)
{
    struct rf_item t = *src;
    int bad = 0;
    t.id = rf_strdup(src->id ? src->id : "");
    t.skill = rf_strdup(src->skill ? src->skill : "");
    t.stem = rf_strdup(src->stem ? src->stem : "");
    t.explanation = rf_strdup(src->explanation ? src->explanation : "");
    t.difficulty = rf_strdup(src->difficulty ? src->difficulty : "");
    t.lang = rf_strdup(src->lang ? src->lang : "en");
    t.unit = rf_strdup(src->unit ? src->unit : "");
    t.enemy = rf_strdup(src->enemy ? src->enemy : "");
    bad |= !t.id || !t.skill || !t.stem || !t.explanation || !t.difficulty || !t.lang || !t.unit ||
           !t.enemy;
    t.options = copy_strv(src->options, src->noptions, &bad);
    t.tags = copy_strv(src->tags, src->ntags, &bad);
    if (t.translations)
        json_incref(t.translations);
    if (bad) {
        if (!t.options)
            t.noptions = 0;
        if (!t.tags)
            t.ntags = 0;
        rf_item_cleanup(&t);
        return RF_ENOMEM;
    }
    *dst = t;
    return RF_OK;
}

int rf_item_lang_known(const char *lang)
{
    return lang && (strcmp(lang, "en") == 0 || strcmp(lang, "ja") == 0);
}

int rf_item_in_lang(const struct rf_item *it, const char *lang, struct rf_item *view, char **opts)
{
    *view = *it;
    if (!lang || strcmp(lang, it->lang ? it->lang : "en") == 0)
        return 0;
    const json_t *t = json_object_get(it->translations, lang);
    const json_t *stem = json_object_get(t, "stem"), *expl = json_object_get(t, "explanation");
    const json_t *op = json_object_get(t, "options"), *unit = json_object_get(t, "unit");
    if (!json_is_string(stem) || !json_is_string(expl))
        return 0;
    if (it->noptions && (!json_is_array(op) || json_array_size(op) != it->noptions))
        return 0;
    for (size_t k = 0; k < it->noptions; k++) {
        const json_t *o = json_array_get(op, k);
        if (!json_is_string(o))
            return 0;
        opts[k] = (char *)json_string_value(o);
    }
    if (it->unit && *it->unit && !json_is_string(unit))
        return 0;
    view->stem = (char *)json_string_value(stem);
    view->explanation = (char *)json_string_value(expl);
    if (it->noptions)
        view->options = opts;
    if (json_is_string(unit))
        view->unit = (char *)json_string_value(unit);
    view->lang = (char *)(strcmp(lang, "ja") == 0 ? "ja" : lang);
    return 1;
}
