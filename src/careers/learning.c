/* Loading data/learning.json; see learning.h. */
#include "careers/learning.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

static void guidance_cleanup(struct rf_guidance *g)
{
    free(g->focus);
    free(g->focus_ja);
    for (size_t i = 0; i < g->nstudy; i++) {
        free(g->study[i]);
        if (g->study_ja)
            free(g->study_ja[i]);
    }
    free(g->study);
    free(g->study_ja);
    free(g->practice);
    free(g->practice_ja);
    for (size_t i = 0; i < g->nconcepts; i++) {
        free(g->concepts[i].tag);
        free(g->concepts[i].note);
        free(g->concepts[i].note_ja);
    }
    free(g->concepts);
}

void rf_learning_cleanup(struct rf_learning *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        guidance_cleanup(&l->g[i]);
    free(l->g);
    memset(l, 0, sizeof *l);
}

const struct rf_guidance *rf_learning_find(const struct rf_learning *l, size_t skill)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->g[i].skill == skill)
            return &l->g[i];
    return NULL;
}

static int fold(int c)
{
    if (c == ' ' || c == '-')
        return '_';
    return tolower((unsigned char)c);
}

const char *rf_learning_concept_lang(const struct rf_guidance *g, const char *tag,
                                     enum rf_lang lang)
{
    for (size_t i = 0; i < g->nconcepts; i++) {
        const char *a = g->concepts[i].tag, *b = tag;
        while (*a && *b && fold(*a) == fold(*b))
            a++, b++;
        if (!*a && !*b)
            return rf_lang_pick(lang, g->concepts[i].note, g->concepts[i].note_ja);
    }
    return NULL;
}

const char *rf_learning_concept(const struct rf_guidance *g, const char *tag)
{
    return rf_learning_concept_lang(g, tag, RF_EN);
}

static rf_status dup_str(const json_t *v, char **out, const char *where, const char *field,
                         struct rf_err *err)
{
    if (!json_is_string(v) || !json_string_value(v)[0])
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a non-empty string", where,
                          field);
    if (!(*out = rf_strdup(json_string_value(v))))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    return RF_OK;
}

/* The entry's Japanese: "ja": {"focus", "study" (one per step), "practice",
 * "concepts" (a note per tag)}, each optional here (the data lint,
 * careers/i18n.h, requires them all). */
static rf_status load_entry_ja(const json_t *o, struct rf_guidance *g, const char *where,
                               struct rf_err *err)
{
    rf_status rc;
    if ((rc = rf_json_dup_ja(o, "focus", &g->focus_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "practice", &g->practice_ja, where, err)))
        return rc;
    const json_t *ja = json_object_get(o, "ja");
    const json_t *st = json_object_get(ja, "study"), *cn = json_object_get(ja, "concepts");
    if (st) {
        if (!json_is_array(st) || json_array_size(st) != g->nstudy)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'ja.study': expected %zu steps, as "
                              "'study' has",
                              where, g->nstudy);
        if (!(g->study_ja = rf_calloc_array(g->nstudy, sizeof *g->study_ja)))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
        for (size_t i = 0; i < g->nstudy; i++) {
            char f[32];
            snprintf(f, sizeof f, "ja.study[%zu]", i);
            if ((rc = dup_str(json_array_get(st, i), &g->study_ja[i], where, f, err)))
                return rc;
        }
    }
    if (cn && !json_is_object(cn))
        return rf_err_set(err, RF_EINVAL, "%s: field 'ja.concepts': expected an object", where);
    const char *tag;
    const json_t *note;
    json_object_foreach((json_t *)cn, tag, note)
    {
        size_t i = 0;
        while (i < g->nconcepts && strcmp(g->concepts[i].tag, tag) != 0)
            i++;
        char f[RF_ERRMSG_LEN];
        snprintf(f, sizeof f, "ja.concepts.%.*s", RF_MAX_ID_LEN, tag);
        if (i == g->nconcepts)
            return rf_err_set(err, RF_EINVAL, "%s: field '%s': no such concept in 'concepts'",
                              where, f);
        if ((rc = dup_str(note, &g->concepts[i].note_ja, where, f, err)))
            return rc;
    }
    return RF_OK;
}

static rf_status load_entry(const json_t *o, const struct rf_taxonomy *tax, struct rf_guidance *g,
                            const char *where0, struct rf_err *err)
{
    const char *skill = NULL;
    rf_status rc = rf_json_get_string(o, "skill", 1, &skill, where0, err);
    if (rc)
        return rc;
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%.*s'", where0, RF_MAX_ID_LEN, skill);
    if (rf_taxonomy_find(tax, skill, &g->skill))
        return rf_err_set(err, RF_EINVAL, "%s: field 'skill': unknown skill '%s'", where, skill);
    if ((rc = dup_str(json_object_get(o, "focus"), &g->focus, where, "focus", err)))
        return rc;
    const json_t *study = json_object_get(o, "study");
    if (!json_is_array(study) || json_array_size(study) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'study': expected a non-empty array", where);
    if (!(g->study = rf_calloc_array(json_array_size(study), sizeof *g->study)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < json_array_size(study); i++) {
        char f[32];
        snprintf(f, sizeof f, "study[%zu]", i);
        g->nstudy = i + 1;
        if ((rc = dup_str(json_array_get(study, i), &g->study[i], where, f, err)))
            return rc;
    }
    const json_t *pr = json_object_get(o, "practice");
    if (pr) {
        if ((rc = dup_str(pr, &g->practice, where, "practice", err)))
            return rc;
    } else if (!(g->practice = rf_strdup(""))) {
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    }
    const json_t *c = json_object_get(o, "concepts");
    if (!c)
        return load_entry_ja(o, g, where, err);
    if (!json_is_object(c))
        return rf_err_set(err, RF_EINVAL, "%s: field 'concepts': expected an object", where);
    if (json_object_size(c) &&
        !(g->concepts = rf_calloc_array(json_object_size(c), sizeof *g->concepts)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    const char *tag;
    const json_t *note;
    json_object_foreach((json_t *)c, tag, note)
    {
        char f[RF_ERRMSG_LEN];
        snprintf(f, sizeof f, "concepts.%.*s", RF_MAX_ID_LEN, tag);
        struct rf_concept_note *cn = &g->concepts[g->nconcepts++];
        if (!(cn->tag = rf_strdup(tag)))
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
        if ((rc = dup_str(note, &cn->note, where, f, err)))
            return rc;
    }
    return load_entry_ja(o, g, where, err);
}

rf_status rf_learning_load_mem(const char *name, const char *data, size_t len,
                               const struct rf_taxonomy *tax, struct rf_learning *out,
                               struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_learning tmp = {0};
    const json_t *a = json_object_get(root, "skills");
    size_t na = json_array_size(a);
    if (!json_is_array(a))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'skills': expected an array", name);
    else if (na && !(tmp.g = rf_calloc_array(na, sizeof *tmp.g)))
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    for (size_t i = 0; !rc && i < na; i++) {
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: skills[%zu]", name, i);
        tmp.n = i + 1;
        rc = load_entry(json_array_get(a, i), tax, &tmp.g[i], where, err);
        for (size_t j = 0; !rc && j < i; j++)
            if (tmp.g[j].skill == tmp.g[i].skill)
                rc = rf_err_set(err, RF_EINVAL, "%s: skill '%s' already has guidance", where,
                                tax->skills[tmp.g[i].skill].id);
    }
    json_decref(root);
    if (rc) {
        rf_learning_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_learning_load(const char *path, const struct rf_taxonomy *tax,
                           struct rf_learning *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_learning_load_mem(path, data, len, tax, out, err);
    free(data);
    return rc;
}
