/* Jansson loading and typed getters with placed error messages. */
#include "base/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

rf_status rf_json_dup_ja(const json_t *obj, const char *key, char **out, const char *where,
                         struct rf_err *err)
{
    *out = NULL;
    const json_t *ja = json_object_get(obj, "ja");
    if (!ja)
        return RF_OK;
    if (!json_is_object(ja))
        return rf_err_set(err, RF_EINVAL, "%s: field 'ja': expected an object", where);
    const json_t *v = json_object_get(ja, key);
    if (!v)
        return RF_OK;
    if (!json_is_string(v) || !json_string_value(v)[0])
        return rf_err_set(err, RF_EINVAL, "%s: field 'ja.%s': expected a non-empty string", where,
                          key);
    if (!(*out = rf_strdup(json_string_value(v))))
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", where);
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

/* Keys whose reals are probabilities, shares of a whole or weights. */
static const char *const prob_keys[] = {
    "p",         "p_core",     "p_required", "p_wrong", "p_meets",   "probability",
    "fit",       "weight",     "no_role",    "measured", "progress", "share",
    "said",      "right",      "decisive",   "wrong_among_decisive", "coverage",
    "closest_own", "top_probability", "weights",
};

int rf_json_is_prob_key(const char *key)
{
    if (!key)
        return 0;
    for (size_t i = 0; i < sizeof prob_keys / sizeof prob_keys[0]; i++)
        if (strcmp(key, prob_keys[i]) == 0)
            return 1;
    return 0;
}

double rf_round_sig(double x, int sig)
{
    if (x == 0.0 || !isfinite(x) || sig < 1)
        return x;
    char buf[40];
    snprintf(buf, sizeof buf, "%.*e", sig - 1, x);
    return strtod(buf, NULL);
}

/* Rounds, in place, every real of j under a probability key to 4 digits. */
static void round_probs(json_t *j, int prob)
{
    if (json_is_real(j)) {
        if (prob)
            json_real_set(j, rf_round_sig(json_real_value(j), 4));
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) round_probs(v, prob);
    } else if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) round_probs(v, prob || rf_json_is_prob_key(k));
    }
}

char *rf_json_dumps_out(const json_t *j, size_t flags)
{
    json_t *copy = json_deep_copy(j);
    if (!copy)
        return NULL;
    round_probs(copy, 0);
    char *s = json_dumps(copy, (flags & ~(size_t)0xF800) | JSON_REAL_PRECISION(6));
    json_decref(copy);
    return s;
}

int rf_json_dumpf_out(const json_t *j, FILE *f, size_t flags)
{
    char *s = rf_json_dumps_out(j, flags);
    if (!s)
        return -1;
    int rc = fputs(s, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
    free(s);
    return rc;
}

/* The code point of the UTF-8 sequence at p (n bytes left): its length, or
 * 0 when it is not valid UTF-8 as jansson reads it (no overlong forms, no
 * surrogates, nothing past U+10FFFF). */
static size_t utf8_at(const unsigned char *p, size_t n, unsigned long *cp)
{
    unsigned char c = p[0];
    size_t len;
    unsigned long v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0u) != 0x80u)
            return 0;
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
        (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
        return 0;
    *cp = v;
    return len;
}

/* A JSON string as jansson dumps it: ascii, with JSON_ENSURE_ASCII (every
 * non-ASCII character escaped), else non-ASCII characters as they are. */
static rf_status put_string(struct rf_buf *b, const char *s, int ascii)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    rf_status rc = rf_buf_putc(b, '"');
    while (!rc && p < end) {
        if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
            p++;
            continue;
        }
        unsigned long cp;
        size_t len = utf8_at(p, (size_t)(end - p), &cp);
        if (!len)
            return RF_EINVAL;
        if (!ascii && cp >= 0x80) {
            p += len; /* kept as it is */
            continue;
        }
        if (p > run && (rc = rf_buf_append(b, run, (size_t)(p - run))))
            break;
        char esc[13];
        size_t ne = 2;
        esc[0] = '\\';
        switch (cp) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: {
            unsigned long u[2] = {cp, 0};
            size_t nu = 1;
            if (cp >= 0x10000) {
                u[0] = 0xD800 | ((cp - 0x10000) >> 10);
                u[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
                nu = 2;
            }
            ne = 0;
            for (size_t k = 0; k < nu; k++) {
                esc[ne++] = '\\';
                esc[ne++] = 'u';
                for (int sh = 12; sh >= 0; sh -= 4)
                    esc[ne++] = hex[(u[k] >> sh) & 0xF];
            }
            break;
        }
        }
        rc = rf_buf_append(b, esc, ne);
        p += len;
        run = p;
    }
    if (!rc && p > run)
        rc = rf_buf_append(b, run, (size_t)(p - run));
    return rc ? rc : rf_buf_putc(b, '"');
}

rf_status rf_buf_put_json_string(struct rf_buf *b, const char *s)
{
    return put_string(b, s, 1);
}

rf_status rf_buf_put_json_utf8(struct rf_buf *b, const char *s)
{
    return put_string(b, s, 0);
}

/* jansson's finish of a formatted real (jsonp_dtostr): ".0" added when it
 * has neither a point nor an exponent, and no '+' or leading zeros in the
 * exponent (1e-05 -> 1e-5, 1e+20 -> 1e20). t holds n characters and room
 * for 3 more; the new length. */
static size_t real_finish(char *t, size_t n)
{
    if (!strchr(t, '.') && !strchr(t, 'e')) {
        t[n++] = '.';
        t[n++] = '0';
        t[n] = '\0';
    }
    char *e = strchr(t, 'e');
    if (e) {
        char *start = e + 1, *from = e + 2;
        if (*start == '-')
            start++;
        while (*from == '0')
            from++;
        if (from != start) {
            memmove(start, from, n - (size_t)(from - t) + 1);
            n -= (size_t)(from - start);
        }
    }
    return n;
}

/* The common case without printf or strtod: a double that is a decimal of
 * at most 6 places, 1e-4 <= |x| < 1e9 (or 0), written as %.15g writes it.
 * m = x * 10^6 rounded; m / 10^6 (exact operands, one rounding) equal to x
 * says the decimal reads back as x, and %.15g gives the same digits (its
 * grid around x is at least 10^-15 |x| apart, x within 2^-53 |x| of the
 * decimal). Returns the length written into t (room for 32), or 0 when x
 * is not such a number. */
static size_t short_decimal(double x, char *t)
{
    double ax = fabs(x);
    if (x != 0 && (ax < 1e-4 || ax >= 1e9))
        return 0;
    double m = nearbyint(ax * 1e6);
    if (m / 1e6 != ax)
        return 0;
    uint64_t v = (uint64_t)m, ip = v / 1000000u, fp = v % 1000000u;
    char d[24];
    size_t n = 0, k = 0;
    if (signbit(x))
        t[n++] = '-';
    do {
        d[k++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (k)
        t[n++] = d[--k];
    t[n++] = '.';
    if (!fp) {
        t[n++] = '0';
    } else {
        char f[6];
        for (int i = 5; i >= 0; i--) {
            f[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        int last = 5;
        while (f[last] == '0')
            last--;
        for (int i = 0; i <= last; i++)
            t[n++] = f[i];
    }
    t[n] = '\0';
    return n;
}

rf_status rf_buf_put_json_double(struct rf_buf *b, double x)
{
    if (!isfinite(x))
        return RF_EINVAL;
    char t[40];
    size_t ns = short_decimal(x, t);
    if (ns)
        return rf_buf_append(b, t, ns);
    /* The shortest text of the precisions that read back as x: with fewer
     * digits, unless an exponent makes it longer (3083227887721570 is
     * "3.08322788772157e15" at 15 digits, "3083227887721570.0" at 16). */
    char best[40];
    size_t nbest = 0;
    for (int prec = 15; prec <= 17; prec++) {
        int len = snprintf(t, sizeof t, "%.*g", prec, x);
        if (len < 0 || (size_t)len >= sizeof t - 3)
            return RF_EINVAL;
        if (prec < 17 && strtod(t, NULL) != x)
            continue;
        size_t n = real_finish(t, (size_t)len);
        if (!nbest || n < nbest) {
            memcpy(best, t, n + 1);
            nbest = n;
        }
        if (!strchr(t, 'e'))
            break;
    }
    return rf_buf_append(b, best, nbest);
}

rf_status rf_buf_put_json_real(struct rf_buf *b, double x, int prob)
{
    if (!isfinite(x))
        return RF_EINVAL;
    if (prob)
        x = rf_round_sig(x, 4);
    /* jansson's jsonp_dtostr at precision 6 (rf_json_dumps_out) */
    char t[40];
    int len = snprintf(t, sizeof t, "%.6g", x);
    if (len < 0 || (size_t)len >= sizeof t - 3)
        return RF_EINVAL;
    return rf_buf_append(b, t, real_finish(t, (size_t)len));
}
