/*
 * The ML Test Score rubric (data/readiness.json) and the arithmetic of an
 * assessment: section sums, the minimum rule, the band, and the order in
 * which automating tests raises the final score soonest.
 */
#include "careers/readiness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/item.h"
#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

static void test_cleanup(struct rf_readiness_test *t)
{
    free(t->id);
    free(t->title);
    free(t->what);
    free(t->manual);
    free(t->automated);
    free(t->title_ja);
    free(t->what_ja);
    free(t->manual_ja);
    free(t->automated_ja);
    free(t->skills);
    free(t->roles);
}

void rf_readiness_cleanup(struct rf_readiness *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntests; i++)
        test_cleanup(&r->tests[i]);
    free(r->tests);
    for (size_t i = 0; i < r->nsections; i++) {
        free(r->sections[i].id);
        free(r->sections[i].name);
        free(r->sections[i].name_ja);
    }
    free(r->sections);
    for (size_t i = 0; i < r->nbands; i++) {
        free(r->bands[i].name);
        free(r->bands[i].meaning);
        free(r->bands[i].name_ja);
        free(r->bands[i].meaning_ja);
    }
    free(r->bands);
    memset(r, 0, sizeof *r);
}

size_t rf_readiness_find(const struct rf_readiness *r, const char *id)
{
    for (size_t i = 0; i < r->ntests; i++)
        if (strcmp(r->tests[i].id, id) == 0)
            return i;
    return (size_t)-1;
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

static rf_status load_test(const json_t *o, const struct rf_careers *c,
                           struct rf_readiness_test *t, const char *where0, struct rf_err *err)
{
    rf_status rc;
    if (!json_is_object(o))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", where0);
    if ((rc = dup_id(o, &t->id, where0, err)))
        return rc;
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%s'", where0, t->id);
    if ((rc = rf_json_dup_string(o, "title", &t->title, where, err)) ||
        (rc = rf_json_dup_string(o, "what", &t->what, where, err)) ||
        (rc = rf_json_dup_string(o, "manual", &t->manual, where, err)) ||
        (rc = rf_json_dup_string(o, "automated", &t->automated, where, err)) ||
        (rc = rf_json_dup_ja(o, "title", &t->title_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "what", &t->what_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "manual", &t->manual_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "automated", &t->automated_ja, where, err)) ||
        (rc = rf_careers_refs(c, o, "skills", RF_REF_SKILL, &t->skills, &t->nskills, where,
                              err)) ||
        (rc = rf_careers_refs(c, o, "roles", RF_REF_ROLE, &t->roles, &t->nroles, where, err)))
        return rc;
    return RF_OK;
}

static rf_status load_sections(const json_t *root, const struct rf_careers *c,
                               struct rf_readiness *r, const char *name, struct rf_err *err)
{
    const json_t *a = json_object_get(root, "sections");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'sections': expected a non-empty array",
                          name);
    size_t ns = json_array_size(a), nt = 0;
    for (size_t s = 0; s < ns; s++) {
        const json_t *tests = json_object_get(json_array_get(a, s), "tests");
        if (!json_is_array(tests) || json_array_size(tests) == 0)
            return rf_err_set(err, RF_EINVAL,
                              "%s: sections[%zu]: field 'tests': expected a non-empty array",
                              name, s);
        nt += json_array_size(tests);
    }
    if (!(r->sections = rf_calloc_array(ns, sizeof *r->sections)) ||
        !(r->tests = rf_calloc_array(nt, sizeof *r->tests)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    rf_status rc;
    for (size_t s = 0; s < ns; s++) {
        const json_t *so = json_array_get(a, s), *tests = json_object_get(so, "tests");
        struct rf_readiness_section *sec = &r->sections[s];
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: sections[%zu]", name, s);
        r->nsections = s + 1;
        if ((rc = dup_id(so, &sec->id, where, err)) ||
            (rc = rf_json_dup_string(so, "name", &sec->name, where, err)) ||
            (rc = rf_json_dup_ja(so, "name", &sec->name_ja, where, err)))
            return rc;
        for (size_t j = 0; j < s; j++)
            if (strcmp(r->sections[j].id, sec->id) == 0)
                return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate section '%s'",
                                  where, sec->id);
        sec->first = r->ntests;
        sec->n = json_array_size(tests);
        for (size_t i = 0; i < sec->n; i++) {
            char w[RF_ERRMSG_LEN];
            snprintf(w, sizeof w, "%s: sections[%zu].tests[%zu]", name, s, i);
            struct rf_readiness_test *t = &r->tests[r->ntests++];
            t->section = s;
            if ((rc = load_test(json_array_get(tests, i), c, t, w, err)))
                return rc;
            if (rf_readiness_find(r, t->id) != (size_t)(t - r->tests))
                return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate test '%s'", w,
                                  t->id);
        }
    }
    return RF_OK;
}

/* Bands in order: each "upto" above the previous one, the last open (null). */
static rf_status load_bands(const json_t *root, struct rf_readiness *r, const char *name,
                            struct rf_err *err)
{
    const json_t *a = json_object_get(root, "bands");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'bands': expected a non-empty array", name);
    size_t n = json_array_size(a);
    if (!(r->bands = rf_calloc_array(n, sizeof *r->bands)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    double prev = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(a, i), *up = json_object_get(o, "upto");
        struct rf_readiness_band *b = &r->bands[i];
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: bands[%zu]", name, i);
        r->nbands = i + 1;
        rf_status rc;
        if ((rc = rf_json_dup_string(o, "name", &b->name, where, err)) ||
            (rc = rf_json_dup_string(o, "meaning", &b->meaning, where, err)) ||
            (rc = rf_json_dup_ja(o, "name", &b->name_ja, where, err)) ||
            (rc = rf_json_dup_ja(o, "meaning", &b->meaning_ja, where, err)))
            return rc;
        int last = i + 1 == n;
        if (last ? !json_is_null(up) : !json_is_number(up))
            return rf_err_set(err, RF_EINVAL, "%s: field 'upto': expected %s", where,
                              last ? "null (the last band is open)" : "a number");
        b->upto = last ? INFINITY : json_number_value(up);
        if (!(b->upto > prev) || (i == 0 && b->upto < 0))
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'upto': %g does not rise above the band before",
                              where, b->upto);
        prev = b->upto;
    }
    return RF_OK;
}

rf_status rf_readiness_load_mem(const char *name, const char *data, size_t len,
                                const struct rf_careers *c, struct rf_readiness *out,
                                struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_readiness tmp = {.careers = c};
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    if (!rc)
        rc = load_sections(root, c, &tmp, name, err);
    if (!rc)
        rc = load_bands(root, &tmp, name, err);
    json_decref(root);
    if (rc) {
        rf_readiness_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_readiness_load(const char *path, const struct rf_careers *c,
                            struct rf_readiness *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    rc = rf_readiness_load_mem(base ? base + 1 : path, data, len, c, out, err);
    free(data);
    return rc;
}

rf_status rf_readiness_read_scores(const struct rf_readiness *r, const json_t *obj,
                                   double *scores, size_t *unscored, const char *where,
                                   struct rf_err *err)
{
    if (!json_is_object(obj))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'scores': expected an object of test id to 0, 0.5 or 1",
                          where);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        if (rf_readiness_find(r, key) == (size_t)-1)
            return rf_err_set(err, RF_EINVAL, "%s: scores.%.64s: unknown test (see 'rolefit "
                                              "readiness --tests')", where, key);
        double x = json_is_number(v) ? json_number_value(v) : NAN;
        if (!(x == 0 || x == 0.5 || x == 1)) {
            char got[32];
            if (json_is_number(v))
                snprintf(got, sizeof got, "%g", x);
            else
                snprintf(got, sizeof got, "a %s", json_is_string(v) ? "string" : "non-number");
            return rf_err_set(err, RF_EINVAL, "%s: scores.%s: expected 0, 0.5 or 1, got %s",
                              where, key, got);
        }
    }
    size_t missing = 0;
    for (size_t i = 0; i < r->ntests; i++) {
        const json_t *s = json_object_get(obj, r->tests[i].id);
        scores[i] = s ? json_number_value(s) : 0;
        missing += !s;
    }
    if (unscored)
        *unscored = missing;
    return RF_OK;
}

double rf_readiness_score(const struct rf_readiness *r, const double *scores, double *section)
{
    double final = INFINITY;
    for (size_t s = 0; s < r->nsections; s++) {
        double sum = 0;
        for (size_t i = 0; i < r->sections[s].n; i++)
            sum += scores[r->sections[s].first + i];
        if (section)
            section[s] = sum;
        if (sum < final)
            final = sum;
    }
    return final;
}

const struct rf_readiness_band *rf_readiness_band(const struct rf_readiness *r, double final)
{
    for (size_t i = 0; i < r->nbands; i++)
        if (final <= r->bands[i].upto)
            return &r->bands[i];
    return &r->bands[r->nbands - 1];
}

size_t rf_readiness_plan(const struct rf_readiness *r, const double *scores, size_t max,
                         size_t *tests, double *finals)
{
    double *cur = rf_calloc_array(r->ntests, sizeof *cur),
           *sec = rf_calloc_array(r->nsections, sizeof *sec);
    size_t n = 0;
    if (!cur || !sec)
        goto out;
    memcpy(cur, scores, r->ntests * sizeof *cur);
    while (n < max) {
        double low = rf_readiness_score(r, cur, sec);
        size_t best = (size_t)-1;
        for (size_t i = 0; i < r->ntests; i++) {
            if (sec[r->tests[i].section] != low || cur[i] >= 1)
                continue;
            if (best == (size_t)-1 || cur[i] < cur[best])
                best = i;
        }
        if (best == (size_t)-1) { /* the lowest sections are full: look in every section */
            for (size_t i = 0; i < r->ntests; i++)
                if (cur[i] < 1 && (best == (size_t)-1 ||
                                   sec[r->tests[i].section] < sec[r->tests[best].section] ||
                                   (sec[r->tests[i].section] == sec[r->tests[best].section] &&
                                    cur[i] < cur[best])))
                    best = i;
        }
        if (best == (size_t)-1)
            break;
        cur[best] = 1;
        tests[n] = best;
        if (finals)
            finals[n] = rf_readiness_score(r, cur, NULL);
        n++;
    }
out:
    free(cur);
    free(sec);
    return n;
}

int rf_readiness_step_raises(const struct rf_readiness *r, const double *scores,
                             const size_t *tests, size_t k, int *held)
{
    double *cur = rf_calloc_array(r->ntests, sizeof *cur),
           *sec = rf_calloc_array(r->nsections, sizeof *sec);
    int raises = -1;
    if (cur && sec) {
        memcpy(cur, scores, r->ntests * sizeof *cur);
        for (size_t i = 0; i < k; i++)
            cur[tests[i]] = 1;
        double before = rf_readiness_score(r, cur, NULL);
        cur[tests[k]] = 1;
        double after = rf_readiness_score(r, cur, sec);
        raises = after > before + 1e-9;
        for (size_t s = 0; held && s < r->nsections; s++)
            held[s] = sec[s] <= after + 1e-9;
    }
    free(cur);
    free(sec);
    return raises;
}

/* Sets "roles" and "skills" of o: who usually owns test t. 0, or -1 on allocation failure. */
static int set_owners(const struct rf_readiness *r, const struct rf_readiness_test *t, json_t *o)
{
    json_t *roles = json_array(), *skills = json_array();
    int bad = !roles || !skills;
    for (size_t k = 0; !bad && k < t->nroles; k++)
        bad = json_array_append_new(roles, json_string(r->careers->roles.roles[t->roles[k]].id));
    for (size_t k = 0; !bad && k < t->nskills; k++)
        bad = json_array_append_new(skills, json_string(r->careers->tax.skills[t->skills[k]].id));
    bad |= json_object_set_new(o, "roles", roles ? roles : json_null()) |
           json_object_set_new(o, "skills", skills ? skills : json_null());
    return bad ? -1 : 0;
}

static json_t *sections_json(const struct rf_readiness *r, const double *scores,
                             const double *sec, enum rf_lang lang)
{
    json_t *a = json_array();
    for (size_t s = 0; a && s < r->nsections; s++) {
        const struct rf_readiness_section *x = &r->sections[s];
        json_t *tests = json_array();
        for (size_t i = 0; tests && i < x->n; i++) {
            const struct rf_readiness_test *t = &r->tests[x->first + i];
            json_array_append_new(tests, json_pack("{sssssf}", "id", t->id, "title",
                                                   rf_lang_pick(lang, t->title, t->title_ja),
                                                   "score", scores[x->first + i]));
        }
        json_t *o = json_pack("{sssssfsisO}", "id", x->id, "name",
                              rf_lang_pick(lang, x->name, x->name_ja), "score", sec[s],
                              "max", (json_int_t)x->n, "tests", tests);
        json_decref(tests);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *plan_json(const struct rf_readiness *r, const double *scores, size_t max,
                         enum rf_lang lang)
{
    size_t *steps = rf_calloc_array(max ? max : 1, sizeof *steps);
    double *finals = rf_calloc_array(max ? max : 1, sizeof *finals);
    json_t *a = json_array();
    if (!steps || !finals || !a) {
        free(steps);
        free(finals);
        json_decref(a);
        return NULL;
    }
    size_t n = rf_readiness_plan(r, scores, max, steps, finals);
    for (size_t k = 0; k < n; k++) {
        const struct rf_readiness_test *t = &r->tests[steps[k]];
        json_t *o = json_pack("{sssssssfsfsf}", "test", t->id, "title",
                              rf_lang_pick(lang, t->title, t->title_ja), "section",
                              r->sections[t->section].id, "from", scores[steps[k]], "to", 1.0,
                              "final_after", finals[k]);
        /* a step that leaves the final where it is says so, with the
         * sections that hold it: they must move first */
        int *held = rf_calloc_array(r->nsections, sizeof *held);
        int raises = held ? rf_readiness_step_raises(r, scores, steps, k, held) : -1;
        json_t *by = raises < 0 ? NULL : json_array();
        for (size_t s = 0; by && !raises && s < r->nsections; s++)
            if (held[s])
                json_array_append_new(by, json_pack("{ssss}", "id", r->sections[s].id, "name",
                                                    rf_lang_pick(lang, r->sections[s].name,
                                                                 r->sections[s].name_ja)));
        free(held);
        if (!o || !by || (json_object_set_new(o, "raises_final", json_boolean(raises)) |
                          json_object_set_new(o, "held_by", by))) {
            if (!o || !by)
                json_decref(by);
            json_decref(o);
            o = NULL;
        }
        if (o && set_owners(r, t, o)) {
            json_decref(o);
            o = NULL;
        }
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
            break;
        }
    }
    free(steps);
    free(finals);
    return a;
}

json_t *rf_readiness_json(const struct rf_readiness *r, const double *scores, size_t plan_max,
                          const char *date)
{
    return rf_readiness_json_lang(r, scores, plan_max, date, RF_EN);
}

json_t *rf_readiness_json_lang(const struct rf_readiness *r, const double *scores,
                               size_t plan_max, const char *date, enum rf_lang lang)
{
    double *sec = rf_calloc_array(r->nsections, sizeof *sec);
    if (!sec)
        return NULL;
    double final = rf_readiness_score(r, scores, sec);
    const struct rf_readiness_band *b = rf_readiness_band(r, final);
    json_t *weakest = json_array(), *sections = sections_json(r, scores, sec, lang),
           *plan = plan_json(r, scores, plan_max, lang), *o = NULL;
    for (size_t s = 0; weakest && s < r->nsections; s++)
        if (sec[s] == final)
            json_array_append_new(weakest, json_string(r->sections[s].id));
    if (weakest && sections && plan)
        o = json_pack("{sfs{ssss}sOsOsO}", "final", final, "band", "name",
                      rf_lang_pick(lang, b->name, b->name_ja), "meaning",
                      rf_lang_pick(lang, b->meaning, b->meaning_ja), "weakest", weakest,
                      "sections", sections, "plan", plan);
    if (o && date)
        json_object_set_new(o, "date", json_string(date));
    json_decref(weakest);
    json_decref(sections);
    json_decref(plan);
    free(sec);
    return o;
}
