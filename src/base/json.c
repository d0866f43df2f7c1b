/* Jansson loading and typed getters with placed error messages. */
#include "base/json.h"

#include <math.h>

#include "base/mem.h"

rf_status rf_json_load_file(const char *path, json_t **out, struct rf_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (je.line < 0 || je.position == 0)
            return rf_err_set(err, RF_EIO, "%s: %s", path, je.text);
        return rf_err_set(err, RF_EINVAL, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    }
    *out = j;
    return RF_OK;
}

rf_status rf_json_load_mem(const char *name, const char *data, size_t len, json_t **out,
                           struct rf_err *err)
{
    json_error_t je;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        return rf_err_set(err, RF_EINVAL, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    *out = j;
    return RF_OK;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

static rf_status lookup(const json_t *obj, const char *key, int required, const json_t **v,
                        const char *where, struct rf_err *err)
{
    *v = NULL;
    if (!json_is_object(obj))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object, got %s", where,
                          type_name(obj));
    *v = json_object_get(obj, key);
    if (!*v && required)
        return rf_err_set(err, RF_EINVAL, "%s: missing field '%s'", where, key);
    return RF_OK;
}

rf_status rf_json_get_number(const json_t *obj, const char *key, int required, double *out,
                             int *present, const char *where, struct rf_err *err)
{
    const json_t *v;
    rf_status rc = lookup(obj, key, required, &v, where, err);
    if (present)
        *present = v != NULL;
    if (rc || !v)
        return rc;
    if (!json_is_number(v))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a number, got %s", where, key,
                          type_name(v));
    double d = json_number_value(v);
    if (!isfinite(d))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': not a finite number", where, key);
    *out = d;
    return RF_OK;
}

rf_status rf_json_get_string(const json_t *obj, const char *key, int required, const char **out,
                             const char *where, struct rf_err *err)
{
    const json_t *v;
    rf_status rc = lookup(obj, key, required, &v, where, err);
    if (rc || !v)
        return rc;
    if (!json_is_string(v))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a string, got %s", where, key,
                          type_name(v));
    *out = json_string_value(v);
    return RF_OK;
}

rf_status rf_json_get_size(const json_t *obj, const char *key, int required, size_t *out,
                           const char *where, struct rf_err *err)
{
    const json_t *v;
    rf_status rc = lookup(obj, key, required, &v, where, err);
    if (rc || !v)
        return rc;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected a whole number >= 0, got %s",
                          where, key, type_name(v));
    *out = (size_t)json_integer_value(v);
    return RF_OK;
}

rf_status rf_json_dup_string(const json_t *obj, const char *key, char **out, const char *where,
                             struct rf_err *err)
{
    const char *s = NULL;
    rf_status rc = rf_json_get_string(obj, key, 1, &s, where, err);
    if (rc)
        return rc;
    if (!s[0])
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': empty", where, key);
    char *d = rf_strdup(s);
    if (!d)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
    *out = d;
    return RF_OK;
}

const char *rf_json_text(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

double rf_json_num(const json_t *obj, const char *key)
{
    return json_number_value(json_object_get(obj, key));
}
