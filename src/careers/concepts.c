/* Concept tag names; see concepts.h. */
#include "careers/concepts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

void rf_concepts_cleanup(struct rf_concepts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->c[i].tag);
        free(c->c[i].name);
        free(c->c[i].name_ja);
    }
    free(c->c);
    memset(c, 0, sizeof *c);
}

static int by_tag(const void *x, const void *y)
{
    return strcmp(((const struct rf_concept_name *)x)->tag,
                  ((const struct rf_concept_name *)y)->tag);
}

rf_status rf_concepts_load_mem(const char *name, const char *data, size_t len,
                               struct rf_concepts *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_concepts tmp = {0};
    const json_t *a = json_object_get(root, "concepts");
    size_t na = json_array_size(a);
    if (!json_is_array(a))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'concepts': expected an array", name);
    else if (na && !(tmp.c = rf_calloc_array(na, sizeof *tmp.c)))
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    for (size_t i = 0; !rc && i < na; i++) {
        const json_t *o = json_array_get(a, i);
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: concepts[%zu]", name, i);
        tmp.n = i + 1;
        if (!json_is_object(o))
            rc = rf_err_set(err, RF_EINVAL, "%s: expected an object", where);
        else if (!(rc = rf_json_dup_string(o, "tag", &tmp.c[i].tag, where, err)) &&
                 !(rc = rf_json_dup_string(o, "name", &tmp.c[i].name, where, err)))
            rc = rf_json_dup_ja(o, "name", &tmp.c[i].name_ja, where, err);
    }
    json_decref(root);
    if (!rc && tmp.n) {
        qsort(tmp.c, tmp.n, sizeof *tmp.c, by_tag);
        for (size_t i = 1; !rc && i < tmp.n; i++)
            if (strcmp(tmp.c[i - 1].tag, tmp.c[i].tag) == 0)
                rc = rf_err_set(err, RF_EINVAL, "%s: tag '%.64s' is listed twice", name,
                                tmp.c[i].tag);
    }
    if (rc) {
        rf_concepts_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_concepts_load(const char *path, struct rf_concepts *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_concepts_load_mem(path, data, len, out, err);
    free(data);
    return rc;
}

const char *rf_concepts_name(const struct rf_concepts *c, const char *tag, enum rf_lang lang)
{
    if (!c || !c->n || !tag)
        return NULL;
    struct rf_concept_name key = {(char *)tag, NULL, NULL};
    const struct rf_concept_name *hit = bsearch(&key, c->c, c->n, sizeof *c->c, by_tag);
    return hit ? rf_lang_pick(lang, hit->name, hit->name_ja) : NULL;
}
