/*
 * Moodle GIFT reader and writer (docs/bank-exchange.md). The reader follows
 * Moodle's own importer (question/format/gift/format.php): questions are
 * runs of non-blank lines; comment lines start with //; the answer block is
 * the first unescaped '{' to the next unescaped '}'; the type follows from the
 * answers. Positions are kept as offsets into the question's text, whose
 * lines map one to one onto the file's, so every message has line and column.
 */
#include "bank/gift.h"

#include "bank/answer.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/config.h"
#include "base/file.h"
#include "base/mem.h"

#define META_PREFIX "// rolefit: "

struct rec {
    const char *name;
    const char *s; /* question text, comment lines blanked (same line structure) */
    size_t n;
    size_t line0; /* file line of s[0] */
};

static void pos_of(const struct rec *q, size_t off, size_t *line, size_t *col)
{
    size_t l = q->line0, c = 1;
    for (size_t i = 0; i < off && i < q->n; i++) {
        if (q->s[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static rf_status fail(const struct rec *q, size_t off, struct rf_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static rf_status fail(const struct rec *q, size_t off, struct rf_err *err, const char *fmt, ...)
{
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t line, col;
    pos_of(q, off, &line, &col);
    return rf_err_set(err, RF_EINVAL, "%s:%zu:%zu: %s", q->name, line, col, msg);
}

/* Offset of the first unescaped c in [from, to), or to. */
static size_t find(const char *s, size_t from, size_t to, char c)
{
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == c)
            return i;
    }
    return to;
}

/* Offset of the first unescaped two-character sequence "cc" in [from, to). */
static size_t find2(const char *s, size_t from, size_t to, const char *pair)
{
    for (size_t i = from; i + 1 < to; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == pair[0] && s[i + 1] == pair[1])
            return i;
    }
    return to;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Unescaped, trimmed copy of s[from, to). Unknown escapes stay as written. */
static char *unescape(const char *s, size_t from, size_t to)
{
    while (from < to && is_space(s[from]))
        from++;
    while (to > from && is_space(s[to - 1])) {
        size_t k = to - 1, bs = 0; /* a blank after an odd run of backslashes is escaped */
        while (k > from && s[k - 1] == '\\') {
            k--;
            bs++;
        }
        if (bs % 2)
            break;
        to--;
    }
    char *o = malloc(to - from + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\\' && i + 1 < to) {
            char c = s[i + 1];
            if (c == 'n') {
                o[j++] = '\n';
                i++;
                continue;
            }
            if (strchr("~=#{}:\\", c)) {
                o[j++] = c;
                i++;
                continue;
            }
        }
        o[j++] = s[i];
    }
    o[j] = '\0';
    return o;
}

/* Strips a leading [format] tag from s[*from, to); returns the format name or "". */
static const char *strip_format(const char *s, size_t *from, size_t to)
{
    static const char *const fmts[] = {"markdown", "html", "plain", "moodle"};
    size_t i = *from;
    while (i < to && is_space(s[i]))
        i++;
    if (i >= to || s[i] != '[')
        return "";
    for (size_t k = 0; k < 4; k++) {
        size_t n = strlen(fmts[k]);
        if (i + n + 2 <= to && strncmp(s + i + 1, fmts[k], n) == 0 && s[i + 1 + n] == ']') {
            *from = i + n + 2;
            return fmts[k];
        }
    }
    return "";
}

static int is_snake(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Adds a read item with the metadata comment that preceded it (may be NULL);
 * rc is the status of reading it (the item is freed when it is not RF_OK). */
static rf_status add_with_meta(const struct rec *q, rf_status rc, struct rf_item *it,
                               const char *category, const char *meta_js, size_t line,
                               const char *label, struct rf_import *im, struct rf_err *err)
{
    if (!rc && !it->explanation)
        rc = RF_ENOMEM;
    if (rc) {
        rf_item_cleanup(it);
        return rf_err_set(err, rc, "%s:%zu: %s", q->name, line,
                          rc == RF_ETOOBIG ? "question too large" : "out of memory");
    }
    json_t *meta = NULL;
    if (meta_js) {
        json_error_t je;
        meta = json_loads(meta_js, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(meta)) {
            if (meta)
                json_decref(meta);
            meta = NULL;
            if (rf_import_note(im, "%s:%zu: rolefit metadata comment is not a JSON object (%s), "
                                   "ignored",
                               q->name, line - 1, je.text)) {
                rf_item_cleanup(it);
                return rf_err_set(err, RF_ENOMEM, "out of memory");
            }
        }
    }
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s:%zu: question %s", q->name, line, label);
    rc = rf_import_add(im, it, meta, category, where, err);
    if (meta)
        json_decref(meta);
    return rc;
}

struct answer {
    size_t from, to; /* answer text (after the marker and weight) */
    size_t fb_from, fb_to; /* feedback, empty when fb_from == fb_to */
    int correct;
    int weighted;
    double weight; /* %w% in percent; 0 when none */
};

/* Parses s[from, to) as a whole number text (spaces around allowed). */
static int parse_num(const char *s, size_t from, size_t to, double *out)
{
    char buf[64];
    while (from < to && is_space(s[from]))
        from++;
    while (to > from && is_space(s[to - 1]))
        to--;
    if (to == from || to - from >= sizeof buf)
        return 0;
    memcpy(buf, s + from, to - from);
    buf[to - from] = '\0';
    return rf_answer_parse_number(buf, out, NULL) == RF_OK;
}

/* The rolefit item of a numerical question "{#A:T}", "{#LO..HI}" or "{#A}"
 * (tolerance 0), an optional '=' first and "####" general feedback; more
 * than one answer is reported and skipped. The answers are s[af, aend);
 * general feedback s[gf + 4, at) when gf < at. Takes title. */
static rf_status read_numerical(const struct rec *q, const char *s, size_t af, size_t aend,
                                size_t gf, size_t at, char *title, const char *category,
                                const char *meta_js, size_t line, const char *label,
                                struct rf_import *im, struct rf_err *err)
{
    rf_status rc = RF_OK;
    while (af < aend && is_space(s[af]))
        af++;
    if (af < aend && s[af] == '=')
        af++;
    size_t fb = find(s, af, aend, '#');
    size_t end = fb;
    double v = 0, tol = 0, lo = 0, hi = 0;
    size_t colon = find(s, af, end, ':'), dots = find2(s, af, end, "..");
    int ok;
    if (find(s, af, aend, '=') < aend || find(s, af, aend, '~') < aend)
        ok = -1;
    else if (colon < end)
        ok = parse_num(s, af, colon, &v) && parse_num(s, colon + 1, end, &tol) && tol >= 0;
    else if (dots < end) {
        ok = parse_num(s, af, dots, &lo) && parse_num(s, dots + 2, end, &hi) && lo <= hi;
        v = (lo + hi) / 2;
        tol = (hi - lo) / 2;
    } else
        ok = parse_num(s, af, end, &v);
    if (ok != 1) {
        rc = rf_import_note(im, "%s:%zu: numerical question %s: %s, skipped", q->name, line, label,
                            ok < 0 ? "more than one answer is not supported"
                                   : "the answer is not a number (A, A:TOLERANCE or LO..HI)");
        free(title);
        return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
    }
    struct rf_item it;
    memset(&it, 0, sizeof it);
    it.id = title;
    it.key = -1;
    it.type = RF_ITEM_NUMERIC;
    it.answer = v;
    it.tolerance = tol;
    size_t qs = 0;
    while (qs < q->n && is_space(s[qs]))
        qs++;
    if (qs + 1 < q->n && s[qs] == ':' && s[qs + 1] == ':')
        qs = find2(s, qs + 2, q->n, "::") + 2;
    size_t ob = find(s, qs, q->n, '{'), cb = find(s, ob, q->n, '}');
    size_t tf = qs;
    strip_format(s, &tf, ob);
    struct rf_buf t;
    rf_buf_init(&t, RF_IMPORT_MAX_BYTES);
    char *before = unescape(s, tf, ob), *after = unescape(s, cb + 1, q->n);
    if (!before || !after)
        rc = RF_ENOMEM;
    if (!rc)
        rc = rf_buf_puts(&t, before);
    if (!rc && after[0])
        rc = rf_buf_printf(&t, "%s_____ %s", t.len ? " " : "", after);
    free(before);
    free(after);
    it.stem = rc ? NULL : rf_buf_take(&t);
    if (!rc && !it.stem)
        rc = RF_ENOMEM;
    char *g = NULL;
    if (!rc && gf < at) {
        g = unescape(s, gf + 4, at);
        size_t gfrom = 0;
        if (!g)
            rc = RF_ENOMEM;
        else {
            strip_format(g, &gfrom, strlen(g));
            memmove(g, g + gfrom, strlen(g + gfrom) + 1);
        }
    }
    it.explanation = rc ? NULL : g ? g : rf_strdup("");
    rf_buf_cleanup(&t);
    return add_with_meta(q, rc, &it, category, meta_js, line, label, im, err);
}

/* One question record. category is the current $CATEGORY skill (may be ""). */
static rf_status read_question(const struct rec *q, const char *category, const char *meta_js,
                               struct rf_import *im, struct rf_err *err)
{
    const char *s = q->s;
    size_t n = q->n, i = 0;
    while (i < n && is_space(s[i]))
        i++;
    size_t qstart = i, line, col;
    pos_of(q, qstart, &line, &col);
    char *title = NULL;
    if (i + 1 < n && s[i] == ':' && s[i + 1] == ':') {
        size_t e = find2(s, i + 2, n, "::");
        if (e == n)
            return fail(q, i, err, "question name opened with '::' is not closed");
        if (!(title = unescape(s, i + 2, e)))
            return rf_err_set(err, RF_ENOMEM, "out of memory");
        i = e + 2;
    }
    char label[RF_MAX_ID_LEN + 32];
    snprintf(label, sizeof label, "%s%.*s%s", title ? "'" : "", RF_MAX_ID_LEN,
             title ? title : "", title ? "'" : "(untitled)");
    rf_status rc = RF_OK;
    size_t ob = find(s, i, n, '{'), cb = find(s, i, n, '}');
    if (cb < ob) {
        free(title);
        return fail(q, cb, err, "'}' without an opening '{'");
    }
    if (ob == n) {
        rc = rf_import_note(im, "%s:%zu: description %s (no answers): not supported, skipped",
                            q->name, line, label);
        free(title);
        return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
    }
    if (cb == n) {
        free(title);
        return fail(q, ob, err, "'{' is not closed by '}'");
    }
    size_t again = find(s, cb + 1, n, '{');
    if (again < n) {
        free(title);
        return fail(q, again, err, "a second answer block in one question");
    }
    size_t stray = find(s, cb + 1, n, '}');
    if (stray < n) {
        free(title);
        return fail(q, stray, err, "'}' without an opening '{'");
    }
    /* classify the answers the way Moodle does */
    size_t af = ob + 1, at = cb;
    while (af < at && is_space(s[af]))
        af++;
    while (at > af && is_space(s[at - 1]))
        at--;
    size_t gf = at;
    for (size_t k = find2(s, af, at, "##"); k < at; k = find2(s, k + 1, at, "##"))
        if (k + 3 < at + 0 && s[k + 2] == '#' && s[k + 3] == '#')
            gf = k; /* the last "####" */
    size_t aend = gf;
    while (aend > af && is_space(s[aend - 1]))
        aend--;
    const char *kind = NULL;
    int has_tilde = find(s, af, aend, '~') < aend, has_eq = find(s, af, aend, '=') < aend;
    int has_arrow = find2(s, af, aend, "->") < aend;
    if (af == aend)
        kind = "essay";
    else if (s[af] == '#')
        return read_numerical(q, s, af + 1, aend, gf, at, title, category, meta_js, line, label,
                              im, err);
    else if (!has_tilde && has_eq && has_arrow)
        kind = "matching";
    else if (!has_tilde) {
        size_t tf_end = find(s, af, aend, '#');
        while (tf_end > af && is_space(s[tf_end - 1]))
            tf_end--;
        size_t len = tf_end - af;
        if ((len == 1 && (s[af] == 'T' || s[af] == 'F')) ||
            (len == 4 && !strncmp(s + af, "TRUE", 4)) || (len == 5 && !strncmp(s + af, "FALSE", 5)))
            kind = "true-false";
        else
            kind = "short-answer";
    } else if (!has_eq && find(s, af, aend, '%') == aend)
        kind = "multiple-answer"; /* no '=' and no weights: no answer is right */
    if (kind) {
        rc = rf_import_note(im, "%s:%zu: %s question %s: not supported, skipped", q->name, line,
                            kind, label);
        free(title);
        return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
    }
    /* split the answers: each starts at an unescaped '=' or '~' */
    struct answer ans[RF_BANK_MAX_OPTIONS + 1];
    size_t na = 0, ncorrect = 0;
    int weighted = 0;
    size_t k = af;
    if (s[k] != '=' && s[k] != '~') {
        free(title);
        return fail(q, k, err, "answers must start with '=' or '~'");
    }
    while (k < aend) {
        size_t next = k + 1;
        while (next < aend) {
            size_t t = find(s, next, aend, '~'), e = find(s, next, aend, '=');
            next = t < e ? t : e;
            break;
        }
        if (na == RF_BANK_MAX_OPTIONS) {
            rc = rf_import_note(im, "%s:%zu: multiple-choice question %s: more than %d answers, "
                                    "skipped",
                                q->name, line, label, RF_BANK_MAX_OPTIONS);
            free(title);
            return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
        }
        struct answer *a = &ans[na++];
        a->correct = s[k] == '=';
        a->weighted = 0;
        a->weight = 0;
        ncorrect += a->correct;
        size_t from = k + 1;
        while (from < next && is_space(s[from]))
            from++;
        if (from < next && s[from] == '%') {
            size_t pe = find(s, from + 1, next, '%');
            if (pe < next) {
                char w[32];
                snprintf(w, sizeof w, "%.*s", (int)(pe - from - 1 < 31 ? pe - from - 1 : 31),
                         s + from + 1);
                a->weight = strtod(w, NULL);
                a->weighted = a->weight != 0.0;
                weighted |= a->weighted;
                from = pe + 1;
            }
        }
        size_t h = find(s, from, next, '#');
        a->from = from;
        a->to = h;
        a->fb_from = h < next ? h + 1 : next;
        a->fb_to = next;
        k = next;
    }
    /* multiple select: no '=', weights; the keys are the options of positive
     * weight, scored by rolefit's rule max(0, keys - non-keys), which GIFT
     * writes as +100/m and -100/m */
    size_t nkeys = 0;
    int keys[RF_BANK_MAX_OPTIONS];
    int exact = 1;
    if (weighted && ncorrect == 0) {
        for (size_t a = 0; a < na; a++)
            if (ans[a].weight > 0)
                keys[nkeys++] = (int)a;
        for (size_t a = 0; nkeys && a < na; a++)
            exact &= fabs(fabs(ans[a].weight) - 100.0 / (double)nkeys) < 0.01;
        if (nkeys && !exact &&
            (rc = rf_import_note(im, "%s:%zu: multiple-select question %s: weights other than "
                                     "+-100/keys are scored by rolefit's rule max(0, keys - "
                                     "non-keys)",
                                 q->name, line, label))) {
            free(title);
            return rf_err_set(err, rc, "out of memory");
        }
    }
    if (!(weighted && ncorrect == 0 && nkeys) && (weighted || ncorrect != 1)) {
        rc = rf_import_note(im, "%s:%zu: multiple-choice question %s: %s not supported, skipped",
                            q->name, line, label,
                            weighted ? "partial-credit answer weights (%...%) are"
                                     : "more than one correct answer is");
        free(title);
        return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
    }
    /* build the item */
    struct rf_item it;
    memset(&it, 0, sizeof it);
    it.id = title;
    it.key = -1;
    if (nkeys && ncorrect == 0) {
        it.type = RF_ITEM_MULTI;
        it.nkeys = nkeys;
        memcpy(it.keys, keys, nkeys * sizeof *keys);
    }
    struct rf_buf t;
    rf_buf_init(&t, RF_IMPORT_MAX_BYTES);
    size_t tf = i;
    const char *fmt = strip_format(s, &tf, ob);
    if (!strcmp(fmt, "html"))
        rc = rf_import_note(im, "%s:%zu: question %s: [html] text imported as is (the bank markup "
                                "has no HTML)",
                            q->name, line, label);
    char *before = unescape(s, tf, ob), *after = unescape(s, cb + 1, n);
    if (!rc && (!before || !after))
        rc = RF_ENOMEM;
    if (!rc)
        rc = rf_buf_puts(&t, before);
    if (!rc && after && after[0]) /* the missing-word form */
        rc = rf_buf_printf(&t, "%s_____ %s", t.len ? " " : "", after);
    free(before);
    free(after);
    it.stem = rc ? NULL : rf_buf_take(&t);
    it.options = rf_calloc_array(na, sizeof *it.options);
    if (!rc && (!it.stem || !it.options))
        rc = RF_ENOMEM;
    /* explanation: general feedback, then each answer's feedback */
    rf_buf_reset(&t);
    if (!rc && gf < at) {
        char *g = unescape(s, gf + 4, at);
        size_t gfrom = 0;
        if (!g)
            rc = RF_ENOMEM;
        else {
            strip_format(g, &gfrom, strlen(g));
            rc = rf_buf_puts(&t, g + gfrom);
            free(g);
        }
    }
    for (size_t a = 0; !rc && a < na; a++) {
        size_t of = ans[a].from;
        strip_format(s, &of, ans[a].to);
        if (!(it.options[a] = unescape(s, of, ans[a].to))) {
            rc = RF_ENOMEM;
            break;
        }
        it.noptions++;
        if (ans[a].correct)
            it.key = (int)a;
        if (ans[a].fb_from < ans[a].fb_to) {
            char *fb = unescape(s, ans[a].fb_from, ans[a].fb_to);
            if (!fb) {
                rc = RF_ENOMEM;
                break;
            }
            if (fb[0])
                rc = rf_buf_printf(&t, "%s**%s**: %s", t.len ? "\n\n" : "", it.options[a], fb);
            free(fb);
        }
    }
    if (!rc && !(it.explanation = rf_buf_take(&t)))
        it.explanation = rf_strdup("");
    rf_buf_cleanup(&t);
    return add_with_meta(q, rc, &it, category, meta_js, line, label, im, err);
}

rf_status rf_gift_read_mem(const char *name, const char *data, size_t len, struct rf_import *im,
                           struct rf_err *err)
{
    if (len > (size_t)RF_IMPORT_MAX_BYTES)
        return rf_err_set(err, RF_ETOOBIG, "%s: larger than %ld bytes", name,
                          (long)RF_IMPORT_MAX_BYTES);
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        data += 3;
        len -= 3;
    }
    if (memchr(data, '\0', len))
        return rf_err_set(err, RF_EINVAL, "%s: contains a NUL byte: not a text file", name);
    char category[RF_MAX_ID_LEN + 1] = "";
    char *text = malloc(len + 1); /* one question at a time, comment lines blanked */
    char *meta = NULL;
    if (!text)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = RF_OK;
    size_t p = 0, lineno = 1;
    while (p < len && !rc) {
        /* skip blank lines */
        size_t e = p;
        while (e < len && data[e] != '\n')
            e++;
        size_t b = p;
        while (b < e && is_space(data[b]))
            b++;
        if (b == e) {
            p = e + 1;
            lineno++;
            continue;
        }
        /* gather the question: lines up to a blank line */
        size_t n = 0, line0 = lineno, real = 0;
        free(meta);
        meta = NULL;
        while (p < len) {
            e = p;
            while (e < len && data[e] != '\n')
                e++;
            b = p;
            while (b < e && is_space(data[b]))
                b++;
            if (b == e)
                break;
            if (e - b >= 2 && data[b] == '/' && data[b + 1] == '/') {
                size_t ml = strlen(META_PREFIX);
                if (e - b > ml && !strncmp(data + b, META_PREFIX, ml)) {
                    free(meta);
                    meta = rf_strndup(data + b + ml, e - b - ml);
                    if (!meta) {
                        rc = rf_err_set(err, RF_ENOMEM, "out of memory");
                        break;
                    }
                }
                if (!real)
                    line0 = lineno + 1; /* leading comments are not part of the text */
                else
                    text[n++] = '\n';
            } else {
                if (real)
                    text[n++] = '\n';
                memcpy(text + n, data + p, e - p);
                n += e - p;
                real = 1;
            }
            p = e + 1;
            lineno++;
        }
        if (rc || !real)
            continue;
        text[n] = '\0';
        struct rec q = {.name = name, .s = text, .n = n, .line0 = line0};
        size_t t = 0;
        while (t < n && is_space(text[t]))
            t++;
        if (!strncmp(text + t, "$CATEGORY:", 10)) {
            /* the category's last path part names the skill when it is one */
            size_t ce = t + 10;
            while (ce < n && text[ce] != '\n')
                ce++;
            char *c = unescape(text, t + 10, ce);
            if (!c) {
                rc = rf_err_set(err, RF_ENOMEM, "out of memory");
                break;
            }
            const char *last = strrchr(c, '/') ? strrchr(c, '/') + 1 : c;
            snprintf(category, sizeof category, "%s", is_snake(last) ? last : "");
            free(c);
            continue;
        }
        rc = read_question(&q, category, meta, im, err);
    }
    free(meta);
    free(text);
    return rc;
}

rf_status rf_gift_read_file(const char *path, struct rf_import *im, struct rf_err *err)
{
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_IMPORT_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_gift_read_mem(path, data, len, im, err);
    free(data);
    return rc;
}

/* ------------------------------------------------------------------ writing */

static rf_status put_escaped(struct rf_buf *b, const char *s)
{
    rf_status rc = RF_OK;
    for (; *s && !rc; s++) {
        if (*s == '\n')
            rc = rf_buf_puts(b, "\\n");
        else if (strchr("~=#{}:\\", *s))
            rc = rf_buf_printf(b, "\\%c", *s);
        else
            rc = rf_buf_putc(b, *s);
    }
    return rc;
}

/* A number as GIFT writes it: the shortest %g spelling that reads back exactly. */
static rf_status put_number(struct rf_buf *b, double v)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return rf_buf_puts(b, buf);
}

rf_status rf_gift_write_item(const struct rf_item *it, struct rf_buf *b)
{
    if (it->type != RF_ITEM_MCQ && it->type != RF_ITEM_NUMERIC && it->type != RF_ITEM_MULTI)
        return RF_EINVAL;
    json_t *m;
    if (rf_import_meta_of(it, &m))
        return RF_ENOMEM;
    char *js = json_dumps(m, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    json_decref(m);
    if (!js)
        return RF_ENOMEM;
    rf_status rc = rf_buf_printf(b, "%s%s\n::", META_PREFIX, js);
    free(js);
    if (!rc)
        rc = put_escaped(b, it->id);
    if (!rc)
        rc = rf_buf_puts(b, ":: [markdown]");
    if (!rc)
        rc = put_escaped(b, it->stem);
    if (!rc)
        rc = rf_buf_puts(b, " {\n");
    if (!rc && it->type == RF_ITEM_NUMERIC) {
        /* {#answer:tolerance}: right within the tolerance, as rolefit scores it */
        rc = rf_buf_puts(b, "\t#");
        if (!rc)
            rc = put_number(b, it->answer);
        if (!rc)
            rc = rf_buf_putc(b, ':');
        if (!rc)
            rc = put_number(b, it->tolerance);
        if (!rc)
            rc = rf_buf_putc(b, '\n');
    }
    /* multiple select: +100/m per key and -100/m per other option, floored
     * at 0 by Moodle: max(0, keys - non-keys) / m, rolefit's partial credit */
    char wpos[32] = "", wneg[32] = "";
    if (it->type == RF_ITEM_MULTI && it->nkeys) {
        snprintf(wpos, sizeof wpos, "%%%.5f", 100.0 / (double)it->nkeys);
        for (size_t k = strlen(wpos) - 1; wpos[k] == '0'; k--)
            wpos[k] = '\0';
        if (wpos[strlen(wpos) - 1] == '.')
            wpos[strlen(wpos) - 1] = '\0';
        snprintf(wneg, sizeof wneg, "%%-%s%%", wpos + 1);
        size_t wl = strlen(wpos);
        snprintf(wpos + wl, sizeof wpos - wl, "%%");
    }
    for (size_t i = 0; !rc && i < it->noptions; i++) {
        if (it->type == RF_ITEM_MULTI) {
            int key = 0;
            for (size_t k = 0; k < it->nkeys; k++)
                key |= it->keys[k] == (int)i;
            rc = rf_buf_printf(b, "\t~%s", key ? wpos : wneg);
        } else {
            rc = rf_buf_puts(b, (int)i == it->key ? "\t=" : "\t~");
        }
        if (!rc)
            rc = put_escaped(b, it->options[i]);
        if (!rc)
            rc = rf_buf_putc(b, '\n');
    }
    if (!rc && it->explanation && it->explanation[0]) {
        rc = rf_buf_puts(b, "\t####");
        if (!rc)
            rc = put_escaped(b, it->explanation);
        if (!rc)
            rc = rf_buf_putc(b, '\n');
    }
    if (!rc)
        rc = rf_buf_puts(b, "}\n\n");
    return rc;
}

rf_status rf_gift_export(const struct rf_bank *bank, const char *dest, size_t *nskipped,
                         struct rf_err *err)
{
    *nskipped = 0;
    if (mkdir(dest, 0777) != 0 && errno != EEXIST)
        return rf_err_set(err, RF_EIO, "%s: cannot create directory: %s", dest, strerror(errno));
    char *done = rf_calloc_array(bank->n ? bank->n : 1, 1);
    if (!done)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = RF_OK;
    struct rf_buf b;
    for (size_t i = 0; !rc && i < bank->n; i++) {
        if (done[i])
            continue;
        const char *skill = bank->items[i].skill;
        rf_buf_init(&b, RF_IMPORT_MAX_BYTES);
        rc = rf_buf_puts(&b, "// rolefit item bank export (docs/bank-exchange.md): keys included, "
                             "for authors only\n$CATEGORY: rolefit/");
        if (!rc)
            rc = put_escaped(&b, skill);
        if (!rc)
            rc = rf_buf_puts(&b, "\n\n");
        for (size_t j = i; !rc && j < bank->n; j++) {
            const struct rf_item *it = &bank->items[j];
            if (done[j] || strcmp(it->skill, skill) != 0)
                continue;
            done[j] = 1;
            if (it->type == RF_ITEM_RUBRIC) {
                (*nskipped)++;
                continue;
            }
            rc = rf_gift_write_item(it, &b);
        }
        if (rc) {
            rf_err_set(err, rc, "skill '%s': %s", skill, rf_strerror(rc));
        } else {
            /* the file name: the skill with unsafe characters replaced */
            char fname[RF_MAX_ID_LEN + 16];
            size_t k = 0;
            for (const char *c = skill; *c && k < RF_MAX_ID_LEN; c++)
                fname[k++] = ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                              (*c >= '0' && *c <= '9') || *c == '_' || *c == '-')
                                 ? *c
                                 : '_';
            snprintf(fname + k, sizeof fname - k, ".gift");
            size_t pl = strlen(dest) + strlen(fname) + 2;
            char *path = malloc(pl);
            if (!path) {
                rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            } else {
                snprintf(path, pl, "%s/%s", dest, fname);
                rc = rf_file_write_atomic(path, b.data ? b.data : "", b.len, err);
                free(path);
            }
        }
        rf_buf_cleanup(&b);
    }
    free(done);
    return rc;
}
