/* Loading the careers data folder; see data.h. */
#include "careers/data.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/mem.h"

static void join(char *out, size_t n, const char *dir, const char *file)
{
    snprintf(out, n, "%s/%s", dir, file);
}

rf_status rf_careers_load(const char *dir, struct rf_careers *c, struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    char path[4096];
    join(path, sizeof path, dir, "skills.json");
    rf_status rc = rf_taxonomy_load(path, &c->tax, err);
    if (rc)
        return rc;
    join(path, sizeof path, dir, "roles.json");
    if ((rc = rf_roles_load(path, &c->tax, &c->roles, err)))
        goto fail;
    join(path, sizeof path, dir, "skill_aliases.json");
    if ((rc = rf_aliases_load(path, &c->tax, &c->aliases, err)))
        goto fail;
    join(path, sizeof path, dir, "learning.json");
    if (access(path, F_OK) == 0 && (rc = rf_learning_load(path, &c->tax, &c->learning, err)))
        goto fail;
    join(path, sizeof path, dir, "concepts.json");
    if (access(path, F_OK) == 0 && (rc = rf_concepts_load(path, &c->concepts, err)))
        goto fail;
    return RF_OK;
fail:
    rf_careers_cleanup(c);
    return rc;
}

void rf_careers_cleanup(struct rf_careers *c)
{
    if (!c)
        return;
    rf_aliases_cleanup(&c->aliases);
    rf_learning_cleanup(&c->learning);
    rf_concepts_cleanup(&c->concepts);
    rf_roles_cleanup(&c->roles);
    rf_taxonomy_cleanup(&c->tax);
}


rf_status rf_careers_refs(const struct rf_careers *c, const json_t *obj, const char *key,
                          enum rf_careers_ref kind, size_t **out, size_t *n, const char *where,
                          struct rf_err *err)
{
    static const char *const what[] = {"skill", "role", "task"};
    const json_t *a = json_object_get(obj, key);
    *n = 0;
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a non-empty array of ids",
                          where, key);
    if (!(*out = rf_calloc_array(json_array_size(a), sizeof **out)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *id = json_string_value(json_array_get(a, i));
        size_t k = (size_t)-1;
        if (!id)
            return rf_err_set(err, RF_EINVAL, "%s: %s[%zu]: expected a string", where, key, i);
        if (kind == RF_REF_ROLE) {
            const struct rf_role *r = rf_roles_find(&c->roles, id);
            k = r ? (size_t)(r - c->roles.roles) : (size_t)-1;
        } else if ((kind == RF_REF_SKILL ? rf_taxonomy_find(&c->tax, id, &k)
                                         : rf_taxonomy_find_task(&c->tax, id, &k)) != 0) {
            k = (size_t)-1;
        }
        if (k == (size_t)-1)
            return rf_err_set(err, RF_EINVAL, "%s: %s[%zu]: unknown %s '%.64s'", where, key, i,
                              what[kind], id);
        for (size_t j = 0; j < i; j++)
            if ((*out)[j] == k)
                return rf_err_set(err, RF_EINVAL, "%s: %s[%zu]: '%.64s' is listed twice", where,
                                  key, i, id);
        (*out)[i] = k;
        *n = i + 1;
    }
    return RF_OK;
}
