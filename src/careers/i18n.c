/*
 * The data lint of the Japanese (i18n.h). The translatable fields are a
 * table of (file, path of the object, field) where a path names an object
 * by the keys from the root with "[]" for an array's elements, e.g.
 * "roles[].loop[]". The lint walks the file once, computing each object's
 * path, and checks the object's "ja" against the fields of its path.
 */
#include "careers/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

#include "base/err.h"
#include "base/json.h"

struct field {
    const char *file, *path, *key;
    int optional; /* a note on the file's format, never shown: checked when translated */
};

/* docs/i18n.md shows this table; keep them together. */
static const struct field fields[] = {
    {"skills.json", "", "levels", 0},
    {"skills.json", "tasks[]", "name", 0},
    {"skills.json", "tasks[]", "description", 0},
    {"skills.json", "skills[]", "name", 0},
    {"skills.json", "skills[]", "description", 0},
    {"roles.json", "", "about", 1},
    {"roles.json", "roles[]", "name", 0},
    {"roles.json", "roles[]", "description", 0},
    {"roles.json", "roles[].loop[]", "stage", 0},
    {"roles.json", "roles[].loop[]", "what", 0},
    {"learning.json", "", "about", 1},
    {"learning.json", "skills[]", "focus", 0},
    {"learning.json", "skills[]", "study", 0},
    {"learning.json", "skills[]", "practice", 0},
    {"learning.json", "skills[]", "concepts", 0},
    {"readiness.json", "", "source", 0},
    {"readiness.json", "levels[]", "name", 0},
    {"readiness.json", "levels[]", "meaning", 0},
    {"readiness.json", "bands[]", "name", 0},
    {"readiness.json", "bands[]", "meaning", 0},
    {"readiness.json", "sections[]", "name", 0},
    {"readiness.json", "sections[].tests[]", "title", 0},
    {"readiness.json", "sections[].tests[]", "what", 0},
    {"readiness.json", "sections[].tests[]", "manual", 0},
    {"readiness.json", "sections[].tests[]", "automated", 0},
    {"team.json", "", "about", 1},
    {"concepts.json", "", "about", 1},
    {"concepts.json", "concepts[]", "name", 0},
    {"interviews.json", "scale", "meaning", 0},
    {"interviews.json", "rounds[]", "name", 0},
    {"interviews.json", "rounds[].questions[]", "prompt", 0},
    {"interviews.json", "rounds[].questions[]", "follow_ups", 0},
    {"interviews.json", "rounds[].rubric[]", "name", 0},
    {"interviews.json", "rounds[].rubric[]", "anchors", 0},
    {"interviews.json", "take_homes[]", "name", 0},
    {"interviews.json", "take_homes[]", "data", 0},
    {"interviews.json", "take_homes[]", "task", 0},
    {"interviews.json", "take_homes[]", "hand_in", 0},
    {"interviews.json", "take_homes[].rubric[]", "name", 0},
    {"interviews.json", "take_homes[].rubric[]", "anchors", 0},
};

static int translatable(const char *file, const char *path, const char *key)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(fields[i].file, file) == 0 && strcmp(fields[i].path, path) == 0 &&
            (!key || strcmp(fields[i].key, key) == 0))
            return 1;
    return 0;
}

struct lint {
    const char *file;
    rf_i18n_line_fn *line;
    void *ctx;
    size_t problems, fields, translated;
    int quiet; /* counting only: no messages */
};

static void problem(struct lint *l, const char *where, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(struct lint *l, const char *where, const char *f, ...)
{
    l->problems++;
    if (l->quiet || !l->line)
        return;
    char msg[RF_ERRMSG_LEN], what[RF_ERRMSG_LEN / 2];
    va_list ap;
    va_start(ap, f);
    vsnprintf(what, sizeof what, f, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s: %s: %s", l->file, where, what);
    l->line(l->ctx, msg);
}

/* Whether s holds a Japanese character (kana, CJK ideograph, fullwidth
 * form or CJK punctuation): a translation without one is English left in. */
static int has_japanese(const char *s)
{
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(s);
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, n - i, &c);
        if (k <= 0)
            return 0;
        if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) ||
            (c >= 0xFF00 && c <= 0xFFEF))
            return 1;
        i += k;
    }
    return 0;
}

/* One translated string t of the English e at where. */
static void check_string(struct lint *l, const json_t *e, const json_t *t, const char *where)
{
    l->fields++;
    if (!t) {
        problem(l, where, "missing (English: \"%.60s\")", json_string_value(e));
        return;
    }
    if (!json_is_string(t) || !json_string_value(t)[0]) {
        problem(l, where, "expected a non-empty string");
        return;
    }
    if (!has_japanese(json_string_value(t))) {
        problem(l, where, "no Japanese in \"%.60s\"", json_string_value(t));
        return;
    }
    l->translated++;
}

/* The number of strings in e (a string, or an array or object of them). */
static size_t leaves(const json_t *e)
{
    if (json_is_string(e))
        return 1;
    size_t n = 0, i;
    const char *k;
    const json_t *v;
    if (json_is_array(e))
        json_array_foreach(e, i, v) n += leaves(v);
    else if (json_is_object(e))
        json_object_foreach((json_t *)e, k, v) n += leaves(v);
    return n;
}

/* The translation t of the field e (a string, an array of strings or an
 * object of strings) at where. A translation of another shape is one
 * problem, and none of its strings counts as translated. */
static void check_value(struct lint *l, const json_t *e, const json_t *t, const char *where)
{
    char w[RF_ERRMSG_LEN];
    size_t i;
    const char *k;
    const json_t *v;
    if (json_is_string(e)) {
        check_string(l, e, t, where);
    } else if (json_is_array(e)) {
        if (t && (!json_is_array(t) || json_array_size(t) != json_array_size(e))) {
            problem(l, where, "expected an array of %zu, as the English", json_array_size(e));
            l->fields += leaves(e);
            return;
        }
        json_array_foreach(e, i, v)
        {
            snprintf(w, sizeof w, "%s[%zu]", where, i);
            check_value(l, v, json_array_get(t, i), w);
        }
    } else if (json_is_object(e)) {
        if (t && !json_is_object(t)) {
            problem(l, where, "expected an object, as the English");
            l->fields += leaves(e);
            return;
        }
        json_object_foreach((json_t *)e, k, v)
        {
            snprintf(w, sizeof w, "%s.%s", where, k);
            check_value(l, v, json_object_get(t, k), w);
        }
        json_object_foreach((json_t *)t, k, v) if (!json_object_get(e, k))
        {
            snprintf(w, sizeof w, "%s.%s", where, k);
            problem(l, w, "not in the English");
        }
    } else {
        problem(l, where, "a translatable field must be text");
    }
}

/* Checks the object o at path (its location in messages: where). */
static void check_object(struct lint *l, const json_t *o, const char *path, const char *where)
{
    const json_t *ja = json_object_get(o, "ja");
    char w[RF_ERRMSG_LEN];
    if (ja && !translatable(l->file, path, NULL)) {
        problem(l, where[0] ? where : "(root)", "field 'ja': nothing here is translated");
        return;
    }
    if (ja && !json_is_object(ja)) {
        problem(l, where[0] ? where : "(root)", "field 'ja': expected an object");
        ja = NULL;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const struct field *f = &fields[i];
        if (strcmp(f->file, l->file) || strcmp(f->path, path))
            continue;
        const json_t *e = json_object_get(o, f->key);
        snprintf(w, sizeof w, "%s%sja.%s", where, where[0] ? "." : "", f->key);
        if (e && !(f->optional && !json_object_get(ja, f->key)))
            check_value(l, e, json_object_get(ja, f->key), w);
    }
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)ja, k, v)
    {
        snprintf(w, sizeof w, "%s%sja.%s", where, where[0] ? "." : "", k);
        if (!translatable(l->file, path, k))
            problem(l, w, "not a translatable field");
        else if (!json_object_get(o, k))
            problem(l, w, "the English has no '%s'", k);
    }
}

static void walk(struct lint *l, const json_t *v, const char *path, const char *where)
{
    char p[256], w[RF_ERRMSG_LEN];
    if (json_is_object(v)) {
        check_object(l, v, path, where);
        const char *k;
        const json_t *c;
        json_object_foreach((json_t *)v, k, c)
        {
            if (strcmp(k, "ja") == 0 || !(json_is_object(c) || json_is_array(c)))
                continue;
            snprintf(p, sizeof p, "%s%s%s", path, path[0] ? "." : "", k);
            snprintf(w, sizeof w, "%s%s%s", where, where[0] ? "." : "", k);
            walk(l, c, p, w);
        }
    } else if (json_is_array(v)) {
        snprintf(p, sizeof p, "%s[]", path);
        for (size_t i = 0; i < json_array_size(v); i++) {
            snprintf(w, sizeof w, "%s[%zu]", where, i);
            walk(l, json_array_get(v, i), p, w);
        }
    }
}

size_t rf_i18n_lint_json(const char *file, const json_t *root, rf_i18n_line_fn *line, void *ctx)
{
    struct lint l = {file, line, ctx, 0, 0, 0, 0};
    walk(&l, root, "", "");
    return l.problems;
}

void rf_i18n_count(const char *file, const json_t *root, size_t *nfields, size_t *translated)
{
    struct lint l = {file, NULL, NULL, 0, 0, 0, 1};
    walk(&l, root, "", "");
    *nfields = l.fields;
    *translated = l.translated;
}

size_t rf_i18n_lint_dir(const char *dir, rf_i18n_line_fn *line, void *ctx)
{
    static const char *const files[] = {"skills.json", "roles.json",      "learning.json",
                                        "readiness.json", "team.json", "interviews.json",
                                        "concepts.json"};
    size_t problems = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (i >= 2 && access(path, F_OK) != 0)
            continue; /* optional files */
        json_t *root = NULL;
        struct rf_err err;
        rf_err_clear(&err);
        if (rf_json_load_file(path, &root, &err)) {
            problems++;
            if (line)
                line(ctx, err.msg);
            continue;
        }
        problems += rf_i18n_lint_json(files[i], root, line, ctx);
        json_decref(root);
    }
    return problems;
}
