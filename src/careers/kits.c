/*
 * Loading and checking the interview kits (careers/kits.h).
 */
#include "careers/kits.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/item.h"
#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

#define KIT_MIN_ENTRIES 3
#define KIT_MAX_ENTRIES 5

static void criteria_free(struct rf_kit_criterion *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        free(c[i].id);
        free(c[i].name);
        free(c[i].name_ja);
        for (size_t p = 0; p < RF_KIT_MAX_POINTS; p++) {
            free(c[i].anchors[p]);
            free(c[i].anchors_ja[p]);
        }
    }
    free(c);
}

void rf_kits_cleanup(struct rf_kits *k)
{
    if (!k)
        return;
    for (int p = 0; p < RF_KIT_MAX_POINTS; p++) {
        free(k->meaning[p]);
        free(k->meaning_ja[p]);
    }
    for (size_t i = 0; i < k->nrounds; i++) {
        struct rf_kit_round *r = &k->rounds[i];
        free(r->id);
        free(r->name);
        free(r->name_ja);
        free(r->kind);
        free(r->skills);
        for (size_t q = 0; r->questions && q < r->nquestions; q++) {
            free(r->questions[q].prompt);
            free(r->questions[q].prompt_ja);
            for (size_t f = 0; f < r->questions[q].nfollow; f++) {
                free(r->questions[q].follow_ups[f]);
                if (r->questions[q].follow_ups_ja)
                    free(r->questions[q].follow_ups_ja[f]);
            }
            free(r->questions[q].follow_ups);
            free(r->questions[q].follow_ups_ja);
        }
        free(r->questions);
        criteria_free(r->rubric, r->ncriteria);
    }
    free(k->rounds);
    for (size_t i = 0; i < k->ntake_homes; i++) {
        struct rf_kit_take_home *t = &k->take_homes[i];
        free(t->id);
        free(t->name);
        free(t->data);
        free(t->task);
        free(t->hand_in);
        free(t->name_ja);
        free(t->data_ja);
        free(t->task_ja);
        free(t->hand_in_ja);
        free(t->roles);
        free(t->skills);
        criteria_free(t->rubric, t->ncriteria);
    }
    free(k->take_homes);
    for (size_t i = 0; i < k->nloops; i++)
        free(k->loops[i].steps);
    free(k->loops);
    memset(k, 0, sizeof *k);
}

const struct rf_kit_loop *rf_kits_loop(const struct rf_kits *k, size_t r)
{
    for (size_t i = 0; i < k->nloops; i++)
        if (k->loops[i].role == r)
            return &k->loops[i];
    return NULL;
}

static rf_status dup_id(const json_t *o, char **out, const char *where, struct rf_err *err)
{
    rf_status rc = rf_json_dup_string(o, "id", out, where, err);
    if (!rc && !rf_item_enemy_valid(*out))
        rc = rf_err_set(err, RF_EINVAL,
                        "%s: field 'id': expected lower_snake_case of at most %d bytes, got '%.64s'",
                        where, RF_ITEM_MAX_ENEMY_LEN, *out);
    return rc;
}

/* The Japanese of the element sub (an array index written in decimal, or
 * an object key) of o's field key: o["ja"][key][sub], a copy in *out, or
 * NULL when it is not there (the data lint, careers/i18n.h, fails a file in
 * that case). RF_EINVAL naming where when it is there but not a non-empty
 * string. */
static rf_status dup_ja_elem(const json_t *o, const char *key, const char *sub, char **out,
                             const char *where, struct rf_err *err)
{
    *out = NULL;
    const json_t *c = json_object_get(json_object_get(o, "ja"), key), *v;
    if (json_is_array(c)) {
        size_t i;
        if (rf_parse_size(sub, &i))
            return RF_OK;
        v = json_array_get(c, i);
    } else {
        v = json_object_get(c, sub);
    }
    if (!v)
        return RF_OK;
    if (!json_is_string(v) || !json_string_value(v)[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'ja.%s.%s': expected a non-empty string",
                          where, key, sub);
    if (!(*out = rf_strdup(json_string_value(v))))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    return RF_OK;
}

static rf_status load_criteria(const json_t *o, const struct rf_kits *k, const size_t *skills,
                               size_t nskills, struct rf_kit_criterion **out, size_t *n,
                               const char *where, struct rf_err *err)
{
    const json_t *a = json_object_get(o, "rubric");
    if (!json_is_array(a) || json_array_size(a) < KIT_MIN_ENTRIES ||
        json_array_size(a) > KIT_MAX_ENTRIES)
        return rf_err_set(err, RF_EINVAL, "%s: field 'rubric': expected %d to %d criteria",
                          where, KIT_MIN_ENTRIES, KIT_MAX_ENTRIES);
    if (!(*out = rf_calloc_array(json_array_size(a), sizeof **out)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    rf_status rc;
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *co = json_array_get(a, i);
        struct rf_kit_criterion *cr = &(*out)[i];
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: rubric[%zu]", where, i);
        *n = i + 1;
        const char *skill = NULL;
        if ((rc = dup_id(co, &cr->id, w, err)) ||
            (rc = rf_json_dup_string(co, "name", &cr->name, w, err)) ||
            (rc = rf_json_dup_ja(co, "name", &cr->name_ja, w, err)) ||
            (rc = rf_json_get_string(co, "skill", 1, &skill, w, err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j].id, cr->id) == 0)
                return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate criterion '%s'", w,
                                  cr->id);
        int found = 0;
        if (!rf_taxonomy_find(&k->careers->tax, skill, &cr->skill))
            for (size_t j = 0; j < nskills; j++)
                found |= skills[j] == cr->skill;
        if (!found)
            return rf_err_set(err, RF_EINVAL,
                              "%s '%s': field 'skill': '%.64s' is not one of the skills it "
                              "measures",
                              w, cr->id, skill);
        const json_t *an = json_object_get(co, "anchors");
        if (!json_is_object(an) || json_object_size(an) != (size_t)k->max - (size_t)k->min + 1)
            return rf_err_set(err, RF_EINVAL,
                              "%s '%s': field 'anchors': expected one anchor for each point "
                              "%d..%d",
                              w, cr->id, k->min, k->max);
        for (int p = k->min; p <= k->max; p++) {
            char key[8];
            snprintf(key, sizeof key, "%d", p);
            const char *s = json_string_value(json_object_get(an, key));
            size_t len = s ? strlen(s) : 0;
            while (len && isspace((unsigned char)s[len - 1]))
                len--;
            if (!len)
                return rf_err_set(err, RF_EINVAL,
                                  "%s '%s': anchors.%d: expected what an answer at %d looks "
                                  "like, got %s",
                                  w, cr->id, p, p, s ? "an empty string" : "nothing");
            if (!(cr->anchors[p - k->min] = rf_strdup(s)))
                return rf_err_set(err, RF_ENOMEM, "%s: out of memory", w);
            if ((rc = dup_ja_elem(co, "anchors", key, &cr->anchors_ja[p - k->min], w, err)))
                return rc;
        }
    }
    return RF_OK;
}

static rf_status load_questions(const json_t *o, struct rf_kit_round *r, const char *where,
                                struct rf_err *err)
{
    const json_t *a = json_object_get(o, "questions");
    if (!json_is_array(a) || json_array_size(a) < KIT_MIN_ENTRIES ||
        json_array_size(a) > KIT_MAX_ENTRIES)
        return rf_err_set(err, RF_EINVAL, "%s: field 'questions': expected %d to %d questions",
                          where, KIT_MIN_ENTRIES, KIT_MAX_ENTRIES);
    if (!(r->questions = rf_calloc_array(json_array_size(a), sizeof *r->questions)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *qo = json_array_get(a, i), *f = json_object_get(qo, "follow_ups");
        struct rf_kit_question *q = &r->questions[i];
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: questions[%zu]", where, i);
        r->nquestions = i + 1;
        rf_status rc = rf_json_dup_string(qo, "prompt", &q->prompt, w, err);
        if (!rc)
            rc = rf_json_dup_ja(qo, "prompt", &q->prompt_ja, w, err);
        if (rc)
            return rc;
        if (!json_is_array(f) || json_array_size(f) == 0)
            return rf_err_set(err, RF_EINVAL, "%s: field 'follow_ups': expected a non-empty "
                                              "array of probes", w);
        if (!(q->follow_ups = rf_calloc_array(json_array_size(f), sizeof *q->follow_ups)) ||
            !(q->follow_ups_ja = rf_calloc_array(json_array_size(f), sizeof *q->follow_ups_ja)))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", w);
        for (size_t j = 0; j < json_array_size(f); j++) {
            const char *s = json_string_value(json_array_get(f, j));
            if (!s || !*s)
                return rf_err_set(err, RF_EINVAL, "%s: follow_ups[%zu]: expected a non-empty "
                                                  "string", w, j);
            q->nfollow = j + 1;
            if (!(q->follow_ups[j] = rf_strdup(s)))
                return rf_err_set(err, RF_ENOMEM, "%s: out of memory", w);
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", j);
            if ((rc = dup_ja_elem(qo, "follow_ups", idx, &q->follow_ups_ja[j], w, err)))
                return rc;
        }
    }
    return RF_OK;
}

static const char *const round_kinds[] = {"coding",   "ml_system_design", "research_design",
                                          "research_presentation", "behavioral", "case"};

static rf_status load_round(const json_t *o, struct rf_kits *k, struct rf_kit_round *r,
                            const char *where0, struct rf_err *err)
{
    rf_status rc;
    if (!json_is_object(o))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", where0);
    if ((rc = dup_id(o, &r->id, where0, err)))
        return rc;
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%s'", where0, r->id);
    int present = 0;
    if ((rc = rf_json_dup_string(o, "name", &r->name, where, err)) ||
        (rc = rf_json_dup_ja(o, "name", &r->name_ja, where, err)) ||
        (rc = rf_json_dup_string(o, "kind", &r->kind, where, err)) ||
        (rc = rf_json_get_number(o, "minutes", 1, &r->minutes, &present, where, err)))
        return rc;
    int known = 0;
    for (size_t i = 0; i < sizeof round_kinds / sizeof round_kinds[0]; i++)
        known |= strcmp(r->kind, round_kinds[i]) == 0;
    if (!known)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'kind': expected coding, ml_system_design, research_design, "
                          "research_presentation, behavioral or case, got '%.32s'",
                          where, r->kind);
    if (!(r->minutes >= 10 && r->minutes <= 240))
        return rf_err_set(err, RF_EINVAL, "%s: field 'minutes': expected 10 to 240", where);
    if ((rc = rf_careers_refs(k->careers, o, "skills", RF_REF_SKILL, &r->skills, &r->nskills,
                                   where, err)) ||
        (rc = load_questions(o, r, where, err)))
        return rc;
    return load_criteria(o, k, r->skills, r->nskills, &r->rubric, &r->ncriteria, where, err);
}

static rf_status load_take_home(const json_t *o, struct rf_kits *k, struct rf_kit_take_home *t,
                                const char *where0, struct rf_err *err)
{
    rf_status rc;
    if (!json_is_object(o))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", where0);
    if ((rc = dup_id(o, &t->id, where0, err)))
        return rc;
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%s'", where0, t->id);
    int present = 0;
    if ((rc = rf_json_dup_string(o, "name", &t->name, where, err)) ||
        (rc = rf_json_dup_string(o, "data", &t->data, where, err)) ||
        (rc = rf_json_dup_string(o, "task", &t->task, where, err)) ||
        (rc = rf_json_dup_string(o, "hand_in", &t->hand_in, where, err)) ||
        (rc = rf_json_dup_ja(o, "name", &t->name_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "data", &t->data_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "task", &t->task_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "hand_in", &t->hand_in_ja, where, err)) ||
        (rc = rf_json_get_number(o, "hours", 1, &t->hours, &present, where, err)))
        return rc;
    if (!(t->hours >= 1 && t->hours <= 40))
        return rf_err_set(err, RF_EINVAL, "%s: field 'hours': expected 1 to 40", where);
    if ((rc = rf_careers_refs(k->careers, o, "roles", RF_REF_ROLE, &t->roles, &t->nroles, where,
                                   err)) ||
        (rc = rf_careers_refs(k->careers, o, "skills", RF_REF_SKILL, &t->skills, &t->nskills,
                                   where, err)))
        return rc;
    return load_criteria(o, k, t->skills, t->nskills, &t->rubric, &t->ncriteria, where, err);
}

static size_t find_round(const struct rf_kits *k, const char *id)
{
    for (size_t i = 0; i < k->nrounds; i++)
        if (strcmp(k->rounds[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

static size_t find_take_home(const struct rf_kits *k, const char *id)
{
    for (size_t i = 0; i < k->ntake_homes; i++)
        if (strcmp(k->take_homes[i].id, id) == 0)
            return i;
    return (size_t)-1;
}

static rf_status load_loop(const json_t *o, struct rf_kits *k, struct rf_kit_loop *l,
                           const char *where0, struct rf_err *err)
{
    const char *role = NULL, *th = NULL;
    rf_status rc = rf_json_get_string(o, "role", 1, &role, where0, err);
    if (rc)
        return rc;
    const struct rf_role *r = rf_roles_find(&k->careers->roles, role);
    if (!r)
        return rf_err_set(err, RF_EINVAL, "%s: field 'role': unknown role '%.64s'", where0, role);
    l->role = (size_t)(r - k->careers->roles.roles);
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%s'", where0, r->id);
    for (size_t i = 0; i < k->nloops; i++)
        if (&k->loops[i] != l && k->loops[i].steps && k->loops[i].role == l->role)
            return rf_err_set(err, RF_EINVAL, "%s: a second loop for the role", where);
    const json_t *a = json_object_get(o, "rounds"), *t = json_object_get(o, "take_home");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'rounds': expected a non-empty array",
                          where);
    if (!(l->steps = rf_calloc_array(json_array_size(a), sizeof *l->steps)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *so = json_array_get(a, i);
        const char *id = json_string_value(json_object_get(so, "round"));
        const json_t *cnt = json_object_get(so, "count");
        l->nsteps = i + 1;
        if (!id || (l->steps[i].round = find_round(k, id)) == (size_t)-1)
            return rf_err_set(err, RF_EINVAL, "%s: rounds[%zu]: unknown round '%.64s'", where, i,
                              id ? id : "(not a string)");
        if (!json_is_integer(cnt) || json_integer_value(cnt) < 1 ||
            json_integer_value(cnt) > RF_ROLE_MAX_ROUNDS)
            return rf_err_set(err, RF_EINVAL, "%s: rounds[%zu]: field 'count': expected 1 to %d",
                              where, i, RF_ROLE_MAX_ROUNDS);
        l->steps[i].count = (size_t)json_integer_value(cnt);
    }
    l->take_home = (size_t)-1;
    if (t && !json_is_null(t)) {
        th = json_string_value(t);
        if (!th || (l->take_home = find_take_home(k, th)) == (size_t)-1)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'take_home': unknown take-home '%.64s' (or null)",
                              where, th ? th : "(not a string)");
    }
    return RF_OK;
}

static rf_status load_scale(const json_t *root, struct rf_kits *k, const char *name,
                            struct rf_err *err)
{
    const json_t *s = json_object_get(root, "scale"), *mn = json_object_get(s, "min"),
                 *mx = json_object_get(s, "max"), *m = json_object_get(s, "meaning");
    if (!json_is_integer(mn) || !json_is_integer(mx) || json_integer_value(mn) < 0 ||
        json_integer_value(mx) - json_integer_value(mn) < 2 ||
        json_integer_value(mx) - json_integer_value(mn) >= RF_KIT_MAX_POINTS)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'scale': expected integer min and max with 3 to %d points",
                          name, RF_KIT_MAX_POINTS);
    k->min = (int)json_integer_value(mn);
    k->max = (int)json_integer_value(mx);
    for (int p = k->min; p <= k->max; p++) {
        char key[8];
        snprintf(key, sizeof key, "%d", p);
        const char *v = json_string_value(json_object_get(m, key));
        if (!v || !*v)
            return rf_err_set(err, RF_EINVAL, "%s: scale.meaning.%d: expected what %d means",
                              name, p, p);
        if (!(k->meaning[p - k->min] = rf_strdup(v)))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: scale", name);
        rf_status rc = dup_ja_elem(s, "meaning", key, &k->meaning_ja[p - k->min], where, err);
        if (rc)
            return rc;
    }
    return RF_OK;
}

/* Loads the array under key with fn into a calloc'd array of n elements. */
#define LOAD_ARRAY(root, key, arr, n, fn)                                                        \
    do {                                                                                         \
        const json_t *a_ = json_object_get(root, key);                                           \
        if (!json_is_array(a_) || json_array_size(a_) == 0) {                                    \
            rc = rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a non-empty array", name, \
                            key);                                                                \
            break;                                                                               \
        }                                                                                        \
        if (!((arr) = rf_calloc_array(json_array_size(a_), sizeof *(arr)))) {                    \
            rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);                          \
            break;                                                                               \
        }                                                                                        \
        for (size_t i_ = 0; !rc && i_ < json_array_size(a_); i_++) {                             \
            char w_[RF_ERRMSG_LEN];                                                              \
            snprintf(w_, sizeof w_, "%s: %s[%zu]", name, key, i_);                               \
            (n) = i_ + 1;                                                                        \
            rc = fn(json_array_get(a_, i_), &tmp, &(arr)[i_], w_, err);                          \
        }                                                                                        \
    } while (0)

rf_status rf_kits_load_mem(const char *name, const char *data, size_t len,
                           const struct rf_careers *c, struct rf_kits *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_kits tmp = {.careers = c};
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    if (!rc)
        rc = load_scale(root, &tmp, name, err);
    if (!rc)
        LOAD_ARRAY(root, "rounds", tmp.rounds, tmp.nrounds, load_round);
    for (size_t i = 0; !rc && i < tmp.nrounds; i++)
        if (find_round(&tmp, tmp.rounds[i].id) != i)
            rc = rf_err_set(err, RF_EINVAL, "%s: rounds[%zu]: duplicate round '%s'", name, i,
                            tmp.rounds[i].id);
    if (!rc)
        LOAD_ARRAY(root, "take_homes", tmp.take_homes, tmp.ntake_homes, load_take_home);
    for (size_t i = 0; !rc && i < tmp.ntake_homes; i++)
        if (find_take_home(&tmp, tmp.take_homes[i].id) != i)
            rc = rf_err_set(err, RF_EINVAL, "%s: take_homes[%zu]: duplicate take-home '%s'", name,
                            i, tmp.take_homes[i].id);
    if (!rc)
        LOAD_ARRAY(root, "loops", tmp.loops, tmp.nloops, load_loop);
    for (size_t r = 0; !rc && r < c->roles.n; r++)
        if (!rf_kits_loop(&tmp, r))
            rc = rf_err_set(err, RF_EINVAL, "%s: field 'loops': no loop for role '%s'", name,
                            c->roles.roles[r].id);
    json_decref(root);
    if (rc) {
        rf_kits_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_kits_load(const char *path, const struct rf_careers *c, struct rf_kits *out,
                       struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    rc = rf_kits_load_mem(base ? base + 1 : path, data, len, c, out, err);
    free(data);
    return rc;
}

/* Words of s (runs of letters or digits). */
static size_t words(const char *s)
{
    size_t n = 0;
    for (int in = 0; *s; s++) {
        int w = isalnum((unsigned char)*s) != 0;
        n += w && !in;
        in = w;
    }
    return n;
}

static void lint_criteria(const struct rf_kits *k, const struct rf_kit_criterion *cr, size_t n,
                          const char *where, void (*fn)(void *, const char *), void *ctx,
                          size_t *count)
{
    char line[RF_ERRMSG_LEN * 2];
    int np = k->max - k->min + 1;
    for (size_t i = 0; i < n; i++)
        for (int p = 0; p < np; p++) {
            const char *a = cr[i].anchors[p];
            if (words(a) < 6) {
                snprintf(line, sizeof line,
                         "%s: rubric[%zu] '%s': anchor %d has %zu words: say what an answer at "
                         "that point shows, not an adjective",
                         where, i, cr[i].id, k->min + p, words(a));
                fn(ctx, line);
                ++*count;
            }
            for (int q = 0; q < p; q++)
                if (strcmp(a, cr[i].anchors[q]) == 0) {
                    snprintf(line, sizeof line, "%s: rubric[%zu] '%s': anchors %d and %d are the "
                                                "same text",
                             where, i, cr[i].id, k->min + q, k->min + p);
                    fn(ctx, line);
                    ++*count;
                }
        }
}

size_t rf_kits_lint(const struct rf_kits *k, void (*fn)(void *ctx, const char *line), void *ctx)
{
    size_t count = 0;
    char where[RF_ERRMSG_LEN], line[RF_ERRMSG_LEN * 2];
    for (size_t i = 0; i < k->nrounds; i++) {
        snprintf(where, sizeof where, "rounds[%zu] '%s'", i, k->rounds[i].id);
        lint_criteria(k, k->rounds[i].rubric, k->rounds[i].ncriteria, where, fn, ctx, &count);
    }
    for (size_t i = 0; i < k->ntake_homes; i++) {
        snprintf(where, sizeof where, "take_homes[%zu] '%s'", i, k->take_homes[i].id);
        lint_criteria(k, k->take_homes[i].rubric, k->take_homes[i].ncriteria, where, fn, ctx,
                      &count);
    }
    const struct rf_roles *roles = &k->careers->roles;
    for (size_t r = 0; r < roles->n; r++) {
        if (strcmp(roles->roles[r].kind, "technical") != 0)
            continue;
        int has = 0;
        for (size_t t = 0; t < k->ntake_homes; t++)
            for (size_t j = 0; j < k->take_homes[t].nroles; j++)
                has |= k->take_homes[t].roles[j] == r;
        if (!has) {
            snprintf(line, sizeof line, "role '%s': a technical role without a take-home project",
                     roles->roles[r].id);
            fn(ctx, line);
            count++;
        }
    }
    return count;
}

/* Whether text names n (2..8) as a digit or an English word. */
static int names_count(const char *text, size_t n)
{
    static const char *const words_of[] = {"", "", "two", "three", "four", "five", "six",
                                           "seven", "eight"};
    char digit[4];
    snprintf(digit, sizeof digit, "%zu", n);
    return strstr(text, digit) || (n < sizeof words_of / sizeof words_of[0] &&
                                   strstr(text, words_of[n]));
}

/* The findings of one role: stage s's text, and against the kit loop l. */
static void check_role(const struct rf_kits *k, size_t r, void (*fn)(void *, const char *),
                       void *ctx, size_t *count)
{
    const struct rf_role *role = &k->careers->roles.roles[r];
    const struct rf_kit_loop *l = rf_kits_loop(k, r);
    char line[RF_ERRMSG_LEN * 2];
#define FINDING(...)                                                                             \
    do {                                                                                         \
        snprintf(line, sizeof line, __VA_ARGS__);                                                \
        fn(ctx, line);                                                                           \
        ++*count;                                                                                \
    } while (0)
    size_t step = 0, th = 0;
    for (size_t i = 0; i < role->nloop; i++) {
        const struct rf_role_stage *st = &role->loop[i];
        if (st->take_home) {
            th++;
            if (l->take_home == (size_t)-1 || strcmp(k->take_homes[l->take_home].id,
                                                     st->take_home) != 0)
                FINDING("role '%s': loop[%zu] '%s': take-home '%s', interviews.json has %s",
                        role->id, i, st->stage, st->take_home,
                        l->take_home == (size_t)-1 ? "none"
                                                   : k->take_homes[l->take_home].id);
            continue;
        }
        if (!st->round)
            continue;
        if (step >= l->nsteps) {
            FINDING("role '%s': loop[%zu] '%s': round '%s' is not in the role's loop in "
                    "interviews.json (%zu rounds there)",
                    role->id, i, st->stage, st->round, l->nsteps);
            step++;
            continue;
        }
        const struct rf_kit_step *ks = &l->steps[step++];
        if (strcmp(k->rounds[ks->round].id, st->round) != 0 || ks->count != st->count)
            FINDING("role '%s': loop[%zu] '%s': round '%s' x%zu, interviews.json has '%s' x%zu "
                    "in that place",
                    role->id, i, st->stage, st->round, st->count, k->rounds[ks->round].id,
                    ks->count);
        if (st->count > 1 && !names_count(st->stage, st->count))
            FINDING("role '%s': loop[%zu] '%s': the stage is %zu rounds but its name does not "
                    "say so",
                    role->id, i, st->stage, st->count);
    }
    if (step < l->nsteps)
        FINDING("role '%s': loop: %zu rounds named, interviews.json has %zu", role->id, step,
                l->nsteps);
    if (th == 0 && l->take_home != (size_t)-1)
        FINDING("role '%s': loop: no take-home stage, interviews.json has '%s'", role->id,
                k->take_homes[l->take_home].id);
    if (th > 1)
        FINDING("role '%s': loop: %zu take-home stages, expected at most one", role->id, th);
    /* A round tests its first skill above all: the role must require it
     * (behavioral rounds excepted, they test how people work). */
    for (size_t i = 0; i < l->nsteps; i++) {
        const struct rf_kit_round *kr = &k->rounds[l->steps[i].round];
        if (strcmp(kr->kind, "behavioral") == 0 || kr->nskills == 0 ||
            rf_role_req_find(role, kr->skills[0]))
            continue;
        FINDING("role '%s': the loop's round '%s' tests %s first, which the role does not "
                "require",
                role->id, kr->id, k->careers->tax.skills[kr->skills[0]].id);
    }
#undef FINDING
}

size_t rf_kits_check_roles(const struct rf_kits *k, void (*fn)(void *ctx, const char *line),
                           void *ctx)
{
    size_t count = 0;
    for (size_t r = 0; r < k->careers->roles.n; r++)
        check_role(k, r, fn, ctx, &count);
    return count;
}
