/*
 * Loading the skill taxonomy. Everything is copied out of the JSON document,
 * so a loaded taxonomy owns all of its strings and outlives the document.
 */
#include "bank/skills.h"

#include "base/config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

void rf_taxonomy_cleanup(struct rf_taxonomy *t)
{
    for (size_t i = 0; t->tasks && i < t->ntasks; i++) {
        free(t->tasks[i].id);
        free(t->tasks[i].name);
        free(t->tasks[i].description);
        free(t->tasks[i].name_ja);
        free(t->tasks[i].description_ja);
    }
    for (size_t i = 0; t->skills && i < t->nskills; i++) {
        free(t->skills[i].id);
        free(t->skills[i].name);
        free(t->skills[i].task);
        free(t->skills[i].description);
        free(t->skills[i].name_ja);
        free(t->skills[i].description_ja);
    }
    free(t->tasks);
    free(t->skills);
    for (size_t i = 0; i < RF_NLEVELS; i++) {
        free(t->levels[i]);
        free(t->levels_ja[i]);
    }
    memset(t, 0, sizeof *t);
}

rf_status rf_taxonomy_find(const struct rf_taxonomy *t, const char *skill_id, size_t *idx)
{
    for (size_t i = 0; i < t->nskills; i++)
        if (strcmp(t->skills[i].id, skill_id) == 0) {
            *idx = i;
            return RF_OK;
        }
    return RF_ENOTFOUND;
}

rf_status rf_taxonomy_find_task(const struct rf_taxonomy *t, const char *task_id, size_t *idx)
{
    for (size_t i = 0; i < t->ntasks; i++)
        if (strcmp(t->tasks[i].id, task_id) == 0) {
            *idx = i;
            return RF_OK;
        }
    return RF_ENOTFOUND;
}

size_t rf_skill_level(const struct rf_skill *s, double theta)
{
    size_t k = 0;
    while (k < RF_NLEVELS - 1 && theta >= s->cuts[k])
        k++;
    return k;
}

static const json_t *get_array(const json_t *root, const char *key, const char *name,
                               struct rf_err *err)
{
    const json_t *a = json_object_get(root, key);
    if (!json_is_array(a) || json_array_size(a) == 0) {
        rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a non-empty array", name, key);
        return NULL;
    }
    return a;
}

static rf_status load_tasks(const json_t *root, const char *name, struct rf_taxonomy *t,
                            struct rf_err *err)
{
    const json_t *arr = get_array(root, "tasks", name, err);
    if (!arr)
        return RF_EINVAL;
    size_t n = json_array_size(arr);
    if (!(t->tasks = rf_calloc_array(n, sizeof *t->tasks)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    rf_status rc;
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: tasks[%zu]", name, i);
        struct rf_task *k = &t->tasks[i];
        t->ntasks = i + 1;
        if ((rc = rf_json_dup_string(o, "id", &k->id, where, err)) ||
            (rc = rf_json_dup_string(o, "name", &k->name, where, err)))
            return rc;
        const char *d = "";
        if ((rc = rf_json_get_string(o, "description", 0, &d, where, err)))
            return rc;
        if (!(k->description = rf_strdup(d)))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
        if ((rc = rf_json_dup_ja(o, "name", &k->name_ja, where, err)) ||
            (rc = rf_json_dup_ja(o, "description", &k->description_ja, where, err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->tasks[j].id, k->id) == 0)
                return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate task '%s'", where,
                                  k->id);
    }
    return RF_OK;
}

static rf_status load_skill(const json_t *o, const char *where, struct rf_taxonomy *t,
                            struct rf_skill *s, struct rf_err *err)
{
    rf_status rc;
    s->loading = RF_HIER_DEFAULT_LAMBDA; /* assumed until data/loadings.json says otherwise */
    s->loading_calibrated = 0;
    if ((rc = rf_json_dup_string(o, "id", &s->id, where, err)))
        return rc;
    char w2[RF_ERRMSG_LEN];
    snprintf(w2, sizeof w2, "%s '%.*s'", where, RF_MAX_ID_LEN, s->id);
    if ((rc = rf_json_dup_string(o, "name", &s->name, w2, err)) ||
        (rc = rf_json_dup_string(o, "task", &s->task, w2, err)))
        return rc;
    const char *d = "";
    if ((rc = rf_json_get_string(o, "description", 0, &d, w2, err)))
        return rc;
    if (!(s->description = rf_strdup(d)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", w2);
    if ((rc = rf_json_dup_ja(o, "name", &s->name_ja, w2, err)) ||
        (rc = rf_json_dup_ja(o, "description", &s->description_ja, w2, err)))
        return rc;
    size_t ti;
    if (rf_taxonomy_find_task(t, s->task, &ti))
        return rf_err_set(err, RF_EINVAL, "%s: field 'task': unknown task '%s'", w2, s->task);
    const json_t *cuts = json_object_get(o, "cuts");
    if (!json_is_array(cuts) || json_array_size(cuts) != RF_NLEVELS - 1)
        return rf_err_set(err, RF_EINVAL, "%s: field 'cuts': expected an array of %d numbers", w2,
                          RF_NLEVELS - 1);
    for (size_t j = 0; j < RF_NLEVELS - 1; j++) {
        const json_t *v = json_array_get(cuts, j);
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return rf_err_set(err, RF_EINVAL, "%s: field 'cuts[%zu]': expected a finite number",
                              w2, j);
        s->cuts[j] = json_number_value(v);
        if (j > 0 && !(s->cuts[j] > s->cuts[j - 1]))
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'cuts': must increase strictly (%g after %g)", w2,
                              s->cuts[j], s->cuts[j - 1]);
    }
    return RF_OK;
}

/* The level names in Japanese: the file's "ja": {"levels": [five names]}. */
static rf_status load_levels_ja(const json_t *root, const char *name, struct rf_taxonomy *t,
                                struct rf_err *err)
{
    const json_t *lv = json_object_get(json_object_get(root, "ja"), "levels");
    if (!lv)
        return RF_OK;
    if (!json_is_array(lv) || json_array_size(lv) != RF_NLEVELS)
        return rf_err_set(err, RF_EINVAL, "%s: field 'ja.levels': expected an array of %d names",
                          name, RF_NLEVELS);
    for (size_t i = 0; i < RF_NLEVELS; i++) {
        const json_t *v = json_array_get(lv, i);
        if (!json_is_string(v) || !json_string_value(v)[0])
            return rf_err_set(err, RF_EINVAL, "%s: field 'ja.levels[%zu]': expected a name", name,
                              i);
        if (!(t->levels_ja[i] = rf_strdup(json_string_value(v))))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    }
    return RF_OK;
}

const char *rf_taxonomy_level_name(const struct rf_taxonomy *t, size_t level, enum rf_lang lang)
{
    return rf_lang_pick(lang, t->levels[level], t->levels_ja[level]);
}

static rf_status load_root(const json_t *root, const char *name, struct rf_taxonomy *t,
                           struct rf_err *err)
{
    if (!json_is_object(root))
        return rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    rf_status rc = load_tasks(root, name, t, err);
    if (rc)
        return rc;
    const json_t *lv = json_object_get(root, "levels");
    if (!json_is_array(lv) || json_array_size(lv) != RF_NLEVELS)
        return rf_err_set(err, RF_EINVAL, "%s: field 'levels': expected an array of %d names",
                          name, RF_NLEVELS);
    for (size_t i = 0; i < RF_NLEVELS; i++) {
        const json_t *v = json_array_get(lv, i);
        if (!json_is_string(v) || !json_string_value(v)[0])
            return rf_err_set(err, RF_EINVAL, "%s: field 'levels[%zu]': expected a name", name,
                              i);
        if (!(t->levels[i] = rf_strdup(json_string_value(v))))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    }
    if ((rc = load_levels_ja(root, name, t, err)))
        return rc;
    const json_t *arr = get_array(root, "skills", name, err);
    if (!arr)
        return RF_EINVAL;
    size_t n = json_array_size(arr);
    if (!(t->skills = rf_calloc_array(n, sizeof *t->skills)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    for (size_t i = 0; i < n; i++) {
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: skills[%zu]", name, i);
        t->nskills = i + 1;
        if ((rc = load_skill(json_array_get(arr, i), where, t, &t->skills[i], err)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->skills[j].id, t->skills[i].id) == 0)
                return rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate skill '%s'", where,
                                  t->skills[i].id);
    }
    return RF_OK;
}

rf_status rf_taxonomy_load_mem(const char *name, const char *data, size_t len,
                               struct rf_taxonomy *t, struct rf_err *err)
{
    struct rf_taxonomy tmp;
    memset(&tmp, 0, sizeof tmp);
    memset(t, 0, sizeof *t);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    rc = load_root(root, name, &tmp, err);
    json_decref(root);
    if (rc) {
        rf_taxonomy_cleanup(&tmp);
        return rc;
    }
    *t = tmp;
    return RF_OK;
}

rf_status rf_taxonomy_load(const char *path, struct rf_taxonomy *t, struct rf_err *err)
{
    memset(t, 0, sizeof *t);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_taxonomy_load_mem(path, data, len, t, err);
    free(data);
    if (rc)
        return rc;
    /* Calibrated loadings live beside the taxonomy: DIR/loadings.json. */
    char lp[4096];
    const char *slash = strrchr(path, '/');
    int n = slash ? snprintf(lp, sizeof lp, "%.*s/loadings.json", (int)(slash - path), path)
                  : snprintf(lp, sizeof lp, "loadings.json");
    if (n > 0 && (size_t)n < sizeof lp && access(lp, F_OK) == 0 &&
        (rc = rf_taxonomy_load_loadings(lp, t, err)))
        rf_taxonomy_cleanup(t);
    return rc;
}

rf_status rf_taxonomy_load_loadings(const char *path, struct rf_taxonomy *tax, struct rf_err *err)
{
    json_t *j = NULL;
    rf_status rc = rf_json_load_file(path, &j, err);
    if (rc)
        return rc;
    const json_t *fmt = json_object_get(j, "format"), *ld = json_object_get(j, "loadings");
    double v[RF_HIER_MAX_SKILLS * 8];
    size_t at[RF_HIER_MAX_SKILLS * 8], n = 0;
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), "rolefit-loadings") != 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'format': expected \"rolefit-loadings\"", path);
    else if (!json_is_object(ld))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'loadings': expected an object skill -> loading",
                        path);
    const char *id;
    const json_t *x;
    if (!rc) {
        json_object_foreach((json_t *)ld, id, x)
        {
            size_t k = 0;
            while (k < tax->nskills && strcmp(tax->skills[k].id, id) != 0)
                k++;
            if (k == tax->nskills) {
                rc = rf_err_set(err, RF_EINVAL, "%s: loadings: unknown skill '%.*s'", path,
                                RF_MAX_ID_LEN, id);
                break;
            }
            if (!json_is_number(x) || !(json_number_value(x) >= 0) ||
                !(json_number_value(x) <= RF_HIER_MAX_LAMBDA)) {
                rc = rf_err_set(err, RF_EINVAL, "%s: loadings '%s': expected a number 0 to %g",
                                path, id, RF_HIER_MAX_LAMBDA);
                break;
            }
            if (n == sizeof at / sizeof *at) {
                rc = rf_err_set(err, RF_ETOOBIG, "%s: loadings: too many entries", path);
                break;
            }
            at[n] = k;
            v[n++] = json_number_value(x);
        }
    }
    json_decref(j);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        tax->skills[at[i]].loading = v[i];
        tax->skills[at[i]].loading_calibrated = 1;
    }
    return RF_OK;
}
