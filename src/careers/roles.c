/*
 * Loading data/roles.json against the skill taxonomy. Everything is copied
 * out of the JSON document. Requirement weights and cut points are derived
 * here once, so fit never has to look at task weights or level names again.
 */
#include "careers/roles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

static void role_cleanup(struct rf_role *r)
{
    free(r->id);
    free(r->name);
    free(r->kind);
    free(r->description);
    free(r->name_ja);
    free(r->description_ja);
    free(r->task_weights);
    free(r->reqs);
    for (size_t i = 0; i < r->nloop; i++) {
        free(r->loop[i].stage);
        free(r->loop[i].what);
        free(r->loop[i].stage_ja);
        free(r->loop[i].what_ja);
        free(r->loop[i].round);
        free(r->loop[i].take_home);
    }
    free(r->loop);
    memset(r, 0, sizeof *r);
}

void rf_roles_cleanup(struct rf_roles *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        role_cleanup(&r->roles[i]);
    free(r->roles);
    memset(r, 0, sizeof *r);
}

const struct rf_role *rf_roles_find(const struct rf_roles *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->roles[i].id, id) == 0)
            return &r->roles[i];
    return NULL;
}

const struct rf_role_req *rf_role_req_find(const struct rf_role *role, size_t skill)
{
    for (size_t i = 0; i < role->nreqs; i++)
        if (role->reqs[i].skill == skill)
            return &role->reqs[i];
    return NULL;
}

static rf_status load_weights(const json_t *o, const struct rf_taxonomy *tax, struct rf_role *r,
                              const char *where, struct rf_err *err)
{
    const json_t *w = json_object_get(o, "weights");
    if (!json_is_object(w))
        return rf_err_set(err, RF_EINVAL, "%s: field 'weights': expected an object of task weights",
                          where);
    if (!(r->task_weights = rf_calloc_array(tax->ntasks, sizeof *r->task_weights)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    const char *key;
    const json_t *v;
    double sum = 0;
    json_object_foreach((json_t *)w, key, v)
    {
        size_t ti;
        if (rf_taxonomy_find_task(tax, key, &ti))
            return rf_err_set(err, RF_EINVAL, "%s: field 'weights': unknown task '%s'", where,
                              key);
        if (!json_is_number(v) || !(json_number_value(v) >= 0) ||
            !isfinite(json_number_value(v)))
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'weights': task '%s': expected a number >= 0", where, key);
        r->task_weights[ti] = json_number_value(v);
        sum += r->task_weights[ti];
    }
    if (fabs(sum - 100.0) > 1e-9)
        return rf_err_set(err, RF_EINVAL, "%s: field 'weights': sum to %g, expected 100", where,
                          sum);
    for (size_t t = 0; t < tax->ntasks; t++)
        r->task_weights[t] /= 100.0;
    return RF_OK;
}

static rf_status load_req(const json_t *o, const struct rf_taxonomy *tax, struct rf_role *r,
                          struct rf_role_req *q, const char *where, struct rf_err *err)
{
    const char *skill = NULL, *level = NULL;
    rf_status rc;
    if ((rc = rf_json_get_string(o, "skill", 1, &skill, where, err)) ||
        (rc = rf_json_get_string(o, "level", 1, &level, where, err)))
        return rc;
    if (rf_taxonomy_find(tax, skill, &q->skill))
        return rf_err_set(err, RF_EINVAL, "%s: field 'skill': unknown skill '%s'", where, skill);
    for (size_t i = 0; i < (size_t)(q - r->reqs); i++)
        if (r->reqs[i].skill == q->skill)
            return rf_err_set(err, RF_EINVAL, "%s: field 'skill': '%s' is required twice", where,
                              skill);
    q->level = RF_NLEVELS;
    for (size_t l = 0; l < RF_NLEVELS; l++)
        if (strcmp(tax->levels[l], level) == 0)
            q->level = l;
    if (q->level == RF_NLEVELS || q->level == 0)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'level': expected %s, %s, %s or %s, got '%s'", where,
                          tax->levels[1], tax->levels[2], tax->levels[3], tax->levels[4], level);
    q->cut = tax->skills[q->skill].cuts[q->level - 1];
    const json_t *core = json_object_get(o, "core");
    if (core && !json_is_boolean(core))
        return rf_err_set(err, RF_EINVAL, "%s: field 'core': expected true or false", where);
    q->core = core && json_is_true(core);
    q->emphasis = 1;
    int present = 0;
    if ((rc = rf_json_get_number(o, "emphasis", 0, &q->emphasis, &present, where, err)))
        return rc;
    if (present && !(q->emphasis > 0 && q->emphasis <= RF_ROLE_MAX_EMPHASIS))
        return rf_err_set(err, RF_EINVAL, "%s: field 'emphasis': expected a number > 0 and <= %g",
                          where, RF_ROLE_MAX_EMPHASIS);
    size_t ti;
    if (rf_taxonomy_find_task(tax, tax->skills[q->skill].task, &ti) || !(r->task_weights[ti] > 0))
        return rf_err_set(err, RF_EINVAL,
                          "%s: skill '%s' belongs to task '%s', which has weight 0 in 'weights'",
                          where, skill, tax->skills[q->skill].task);
    return RF_OK;
}

/* w_k = weight of k's task * emphasis_k / (sum of emphasis over the role's skills of that task). */
static rf_status derive_weights(const struct rf_taxonomy *tax, struct rf_role *r,
                                const char *where, struct rf_err *err)
{
    for (size_t t = 0; t < tax->ntasks; t++) {
        double e = 0;
        for (size_t i = 0; i < r->nreqs; i++)
            if (strcmp(tax->skills[r->reqs[i].skill].task, tax->tasks[t].id) == 0)
                e += r->reqs[i].emphasis;
        if (r->task_weights[t] > 0 && e == 0)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'weights': task '%s' has weight %g but the role "
                              "requires no skill of it",
                              where, tax->tasks[t].id, 100 * r->task_weights[t]);
        for (size_t i = 0; i < r->nreqs; i++)
            if (strcmp(tax->skills[r->reqs[i].skill].task, tax->tasks[t].id) == 0)
                r->reqs[i].weight = r->task_weights[t] * r->reqs[i].emphasis / e;
    }
    return RF_OK;
}

/* One loop stage: stage and what, and at most one of round (with an optional
 * count) and take_home. */
static rf_status load_stage(const json_t *o, struct rf_role_stage *st, const char *w,
                            struct rf_err *err)
{
    rf_status rc;
    st->count = 1;
    if ((rc = rf_json_dup_string(o, "stage", &st->stage, w, err)) ||
        (rc = rf_json_dup_string(o, "what", &st->what, w, err)) ||
        (rc = rf_json_dup_ja(o, "stage", &st->stage_ja, w, err)) ||
        (rc = rf_json_dup_ja(o, "what", &st->what_ja, w, err)) ||
        (json_object_get(o, "round") && (rc = rf_json_dup_string(o, "round", &st->round, w, err))) ||
        (json_object_get(o, "take_home") &&
         (rc = rf_json_dup_string(o, "take_home", &st->take_home, w, err))))
        return rc;
    if (st->round && st->take_home)
        return rf_err_set(err, RF_EINVAL, "%s: fields 'round' and 'take_home': a stage is one or "
                                          "the other", w);
    const json_t *c = json_object_get(o, "count");
    if (c && !st->round)
        return rf_err_set(err, RF_EINVAL, "%s: field 'count': only a stage with a 'round' has one",
                          w);
    if (c && (!json_is_integer(c) || json_integer_value(c) < 1 ||
              json_integer_value(c) > RF_ROLE_MAX_ROUNDS))
        return rf_err_set(err, RF_EINVAL, "%s: field 'count': expected 1 to %d", w,
                          RF_ROLE_MAX_ROUNDS);
    if (c)
        st->count = (size_t)json_integer_value(c);
    return RF_OK;
}

static rf_status load_loop(const json_t *o, struct rf_role *r, const char *where,
                           struct rf_err *err)
{
    const json_t *a = json_object_get(o, "loop");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'loop': expected a non-empty array", where);
    size_t n = json_array_size(a);
    if (!(r->loop = rf_calloc_array(n, sizeof *r->loop)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    for (size_t i = 0; i < n; i++) {
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: loop[%zu]", where, i);
        r->nloop = i + 1;
        rf_status rc;
        if ((rc = load_stage(json_array_get(a, i), &r->loop[i], w, err)))
            return rc;
    }
    return RF_OK;
}

static rf_status load_role(const json_t *o, const struct rf_taxonomy *tax, struct rf_role *r,
                           const char *where0, struct rf_err *err)
{
    rf_status rc;
    if ((rc = rf_json_dup_string(o, "id", &r->id, where0, err)))
        return rc;
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s '%.*s'", where0, RF_MAX_ID_LEN, r->id);
    if (strlen(r->id) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "%s: field 'id': longer than %d bytes", where,
                          RF_MAX_ID_LEN);
    if ((rc = rf_json_dup_string(o, "name", &r->name, where, err)) ||
        (rc = rf_json_dup_string(o, "kind", &r->kind, where, err)) ||
        (rc = rf_json_dup_string(o, "description", &r->description, where, err)) ||
        (rc = rf_json_dup_ja(o, "name", &r->name_ja, where, err)) ||
        (rc = rf_json_dup_ja(o, "description", &r->description_ja, where, err)))
        return rc;
    if (strcmp(r->kind, "technical") != 0 && strcmp(r->kind, "adjacent") != 0)
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'kind': expected 'technical' or 'adjacent', got '%s'", where,
                          r->kind);
    if ((rc = load_weights(o, tax, r, where, err)))
        return rc;
    const json_t *a = json_object_get(o, "requires");
    if (!json_is_array(a) || json_array_size(a) == 0)
        return rf_err_set(err, RF_EINVAL, "%s: field 'requires': expected a non-empty array",
                          where);
    size_t n = json_array_size(a);
    if (!(r->reqs = rf_calloc_array(n, sizeof *r->reqs)))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    int any_core = 0;
    for (size_t i = 0; i < n; i++) {
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: requires[%zu]", where, i);
        r->nreqs = i + 1;
        if ((rc = load_req(json_array_get(a, i), tax, r, &r->reqs[i], w, err)))
            return rc;
        any_core |= r->reqs[i].core;
    }
    if (!any_core)
        return rf_err_set(err, RF_EINVAL, "%s: field 'requires': no skill is marked core", where);
    if ((rc = derive_weights(tax, r, where, err)))
        return rc;
    return load_loop(o, r, where, err);
}

rf_status rf_roles_load_mem(const char *name, const char *data, size_t len,
                            const struct rf_taxonomy *tax, struct rf_roles *out,
                            struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_roles tmp = {.tax = tax};
    const json_t *a = json_object_get(root, "roles");
    if (!json_is_object(root))
        rc = rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    else if (!json_is_array(a) || json_array_size(a) == 0)
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'roles': expected a non-empty array", name);
    else if (json_array_size(a) > RF_MAX_ROLES)
        rc = rf_err_set(err, RF_ETOOBIG, "%s: field 'roles': more than %d roles", name,
                        RF_MAX_ROLES);
    else if (!(tmp.roles = rf_calloc_array(json_array_size(a), sizeof *tmp.roles)))
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    for (size_t i = 0; !rc && i < json_array_size(a); i++) {
        char where[RF_ERRMSG_LEN];
        snprintf(where, sizeof where, "%s: roles[%zu]", name, i);
        tmp.n = i + 1;
        rc = load_role(json_array_get(a, i), tax, &tmp.roles[i], where, err);
        for (size_t j = 0; !rc && j < i; j++)
            if (strcmp(tmp.roles[j].id, tmp.roles[i].id) == 0)
                rc = rf_err_set(err, RF_EINVAL, "%s: field 'id': duplicate role '%s'", where,
                                tmp.roles[i].id);
    }
    json_decref(root);
    if (rc) {
        rf_roles_cleanup(&tmp);
        return rc;
    }
    *out = tmp;
    return RF_OK;
}

rf_status rf_roles_load(const char *path, const struct rf_taxonomy *tax, struct rf_roles *out,
                        struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_roles_load_mem(path, data, len, tax, out, err);
    free(data);
    return rc;
}
