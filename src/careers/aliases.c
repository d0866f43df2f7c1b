/*
 * The alias dictionary of posting terms (data/skill_aliases.json) and the
 * text normalization it shares with the posting parser; see aliases.h.
 */
#include "careers/aliases.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <mecab.h>
#include <utf8proc.h>

#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

/* ---- normalization ---- */

rf_status rf_aliases_normalize(const char *name, const char *in, size_t len, char **out,
                               size_t *olen, struct rf_err *err)
{
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)in + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return rf_err_set(err, RF_EINVAL, "%s: byte %zu: not valid UTF-8", name, i + 1);
        if (cp == 0)
            return rf_err_set(err, RF_EINVAL, "%s: byte %zu: NUL byte in text", name, i + 1);
        i += (size_t)n;
    }
    if (len == 0) {
        *out = rf_strdup("");
        *olen = 0;
        return *out ? RF_OK : rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, &dst,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_NLF2LF | UTF8PROC_STRIPCC);
    if (n < 0)
        return rf_err_set(err, n == UTF8PROC_ERROR_NOMEM ? RF_ENOMEM : RF_EINVAL, "%s: %s", name,
                          utf8proc_errmsg(n));
    *out = (char *)dst;
    *olen = (size_t)n;
    return RF_OK;
}

void rf_aliases_fold(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
}

/* ---- aliases ---- */

void rf_aliases_cleanup(struct rf_aliases *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->a[i].key);
        free(a->a[i].term);
    }
    free(a->a);
    if (a->mecab)
        mecab_model_destroy(a->mecab);
    memset(a, 0, sizeof *a);
}

static int alias_order(const void *x, const void *y)
{
    const struct rf_alias *a = x, *b = y;
    unsigned char ca = (unsigned char)a->key[0], cb = (unsigned char)b->key[0];
    if (ca != cb)
        return ca < cb ? -1 : 1;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return strcmp(a->key, b->key);
}

/* Sets flag on the aliases listed under key ("modifiers", "heads"): each
 * entry must be a term of the dictionary. The key is optional. */
static rf_status alias_flags(const char *name, const json_t *root, const char *key, unsigned flag,
                             struct rf_aliases *t, struct rf_err *err)
{
    const json_t *list = json_object_get(root, key);
    if (!list)
        return RF_OK;
    if (!json_is_array(list))
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected an array of terms", name, key);
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *s = json_string_value(v);
        char *k = NULL;
        size_t kl = 0, j = 0;
        if (!s || rf_aliases_normalize(name, s, strlen(s), &k, &kl, NULL))
            return rf_err_set(err, RF_EINVAL, "%s: %s[%zu]: expected a term", name, key, i);
        rf_aliases_fold(k, kl);
        while (j < t->n && strcmp(t->a[j].key, k) != 0)
            j++;
        free(k);
        if (j == t->n)
            return rf_err_set(err, RF_EINVAL, "%s: %s[%zu]: '%s' is not a term of any skill", name,
                              key, i, s);
        t->a[j].flags |= flag;
    }
    return RF_OK;
}

rf_status rf_aliases_load_mem(const char *name, const char *data, size_t len,
                              const struct rf_taxonomy *tax, struct rf_aliases *out,
                              struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *root;
    rf_status rc = rf_json_load_mem(name, data, len, &root, err);
    if (rc)
        return rc;
    struct rf_aliases t = {0};
    const json_t *skills = json_object_get(root, "skills");
    size_t total = 0;
    const char *sid;
    const json_t *terms;
    if (!json_is_object(skills))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'skills': expected an object of term lists",
                        name);
    else
        json_object_foreach((json_t *)skills, sid, terms)
            total += json_is_array(terms) ? json_array_size(terms) : 0;
    if (!rc && !(t.a = rf_calloc_array(total ? total : 1, sizeof *t.a)))
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    if (!rc) {
        json_object_foreach((json_t *)skills, sid, terms)
        {
            size_t skill;
            if (rf_taxonomy_find(tax, sid, &skill)) {
                rc = rf_err_set(err, RF_EINVAL, "%s: skills: unknown skill '%s'", name, sid);
                break;
            }
            if (!json_is_array(terms)) {
                rc = rf_err_set(err, RF_EINVAL, "%s: skills.%s: expected an array of terms", name,
                                sid);
                break;
            }
            size_t i;
            const json_t *v;
            json_array_foreach(terms, i, v)
            {
                const char *s = json_string_value(v);
                if (!s || !s[0]) {
                    rc = rf_err_set(err, RF_EINVAL, "%s: skills.%s[%zu]: expected a non-empty term",
                                    name, sid, i);
                    break;
                }
                struct rf_alias *a = &t.a[t.n];
                size_t klen;
                if ((rc = rf_aliases_normalize(name, s, strlen(s), &a->key, &klen, err)))
                    break;
                t.n++;
                rf_aliases_fold(a->key, klen);
                a->len = klen;
                a->skill = skill;
                if (!(a->term = rf_strdup(s))) {
                    rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
                    break;
                }
                if (klen == 0 || isspace((unsigned char)a->key[0])) {
                    rc = rf_err_set(err, RF_EINVAL,
                                    "%s: skills.%s[%zu]: term '%s' is blank after normalization",
                                    name, sid, i, s);
                    break;
                }
            }
            if (rc)
                break;
        }
    }
    if (!rc) {
        qsort(t.a, t.n, sizeof *t.a, alias_order);
        for (size_t i = 1; i < t.n && !rc; i++)
            if (strcmp(t.a[i].key, t.a[i - 1].key) == 0)
                rc = rf_err_set(err, RF_EINVAL, "%s: term '%s' is listed twice (skills '%s' and '%s')",
                                name, t.a[i].term, tax->skills[t.a[i - 1].skill].id,
                                tax->skills[t.a[i].skill].id);
        size_t j = 0;
        for (size_t b = 0; b < 256; b++) {
            t.start[b] = j;
            while (j < t.n && (unsigned char)t.a[j].key[0] == b)
                j++;
        }
        t.start[256] = t.n;
    }
    if (!rc && !(rc = alias_flags(name, root, "modifiers", RF_ALIAS_MODIFIER, &t, err)))
        rc = alias_flags(name, root, "heads", RF_ALIAS_HEAD, &t, err);
    if (!rc && !(t.mecab = mecab_model_new2(RF_MECAB_ARGS)))
        rc = rf_err_set(err, RF_EIO,
                        "%s: MeCab cannot load the IPA dictionary (%s; Debian packages libmecab-dev "
                        "and mecab-ipadic-utf8): %s",
                        name, RF_MECAB_ARGS, mecab_strerror(NULL));
    json_decref(root);
    if (rc) {
        rf_aliases_cleanup(&t);
        return rc;
    }
    *out = t;
    return RF_OK;
}

rf_status rf_aliases_load(const char *path, const struct rf_taxonomy *tax, struct rf_aliases *out,
                          struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_aliases_load_mem(path, data, len, tax, out, err);
    free(data);
    return rc;
}
