/*
 * Moodle GIFT reader and writer (docs/bank-exchange.md). The reader follows
 * Moodle's own importer (question/format/gift/format.php): questions are
 * runs of non-blank lines; comment lines start with //; the answer block is
 * the first unescaped '{' to the next unescaped '}'; the type follows from the
 * answers. Positions are kept as offsets into the question's text, whose
 * lines map one to one onto the file's, so every message has line and column.
 */
#include "bank/gift.h"

#include <errno.h>
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

struct answer {
    size_t from, to; /* answer text (after the marker and weight) */
    size_t fb_from, fb_to; /* feedback, empty when fb_from == fb_to */
    int correct;
    int weighted;
};

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
        kind = "numerical";
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
    } else if (!has_eq)
        kind = "multiple-answer";
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
                a->weighted = strtod(w, NULL) != 0.0;
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
    if (weighted || ncorrect != 1) {
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
    if (!rc && !it.explanation)
        rc = RF_ENOMEM;
    if (rc) {
        rf_item_cleanup(&it);
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
                rf_item_cleanup(&it);
                return rf_err_set(err, RF_ENOMEM, "out of memory");
            }
        }
    }
    char where[RF_ERRMSG_LEN];
    snprintf(where, sizeof where, "%s:%zu: question %s", q->name, line, label);
    rc = rf_import_add(im, &it, meta, category, where, err);
    if (meta)
        json_decref(meta);
    return rc;
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

rf_status rf_gift_write_item(const struct rf_item *it, struct rf_buf *b)
{
    if (it->type != RF_ITEM_MCQ)
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
    for (size_t i = 0; !rc && i < it->noptions; i++) {
        rc = rf_buf_puts(b, (int)i == it->key ? "\t=" : "\t~");
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
            if (it->type != RF_ITEM_MCQ) {
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
