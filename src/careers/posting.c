/*
 * The posting parser and the alias dictionary (rules in posting.h and
 * docs/careers.md). The text is normalized once; matching runs on a copy
 * with ASCII letters lower-cased, which has the same byte offsets, so every
 * match and every unmapped part maps back to the text as written.
 */
#include "careers/posting.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

/* ---- normalization ---- */

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* NFKC with newlines unified to "\n" and other control characters removed.
 * *out is a heap string. */
static rf_status normalize(const char *name, const char *in, size_t len, char **out, size_t *olen,
                           struct rf_err *err)
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

static void ascii_lower(char *s, size_t n)
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
                if ((rc = normalize(name, s, strlen(s), &a->key, &klen, err)))
                    break;
                t.n++;
                ascii_lower(a->key, klen);
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

/* ---- matching ---- */

struct match {
    size_t lo, hi; /* byte range in the line */
    const struct rf_alias *a;
};

/* Leftmost-longest alias matches of folded line f[0..n) into m (capacity
 * cap); returns the count. A term that begins (ends) with an ASCII letter or
 * digit must begin (end) at a word boundary. */
static size_t find_matches(const struct rf_aliases *al, const char *f, size_t n, struct match *m,
                           size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap;) {
        unsigned char c = (unsigned char)f[i];
        const struct rf_alias *hit = NULL;
        if ((c & 0xC0) != 0x80 && !(is_alnum(c) && i > 0 && is_alnum((unsigned char)f[i - 1]))) {
            for (size_t j = al->start[c]; j < al->start[c + 1]; j++) {
                const struct rf_alias *a = &al->a[j];
                if (a->len > n - i || memcmp(f + i, a->key, a->len) != 0)
                    continue;
                if (is_alnum((unsigned char)a->key[a->len - 1]) && i + a->len < n &&
                    is_alnum((unsigned char)f[i + a->len]))
                    continue;
                hit = a;
                break;
            }
        }
        if (hit) {
            m[k].lo = i;
            m[k].hi = i + hit->len;
            m[k].a = hit;
            k++;
            i += hit->len;
        } else {
            i++;
        }
    }
    return k;
}

/* Whether folded text s (n bytes, matched spans blanked) contains word w at
 * a word boundary when w starts/ends with a letter. */
static int has_word(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = 0; i + wl <= n; i++) {
        if (memcmp(s + i, w, wl) != 0)
            continue;
        if (is_alnum((unsigned char)w[0]) && i > 0 && is_alnum((unsigned char)s[i - 1]))
            continue;
        if (is_alnum((unsigned char)w[wl - 1]) && i + wl < n && is_alnum((unsigned char)s[i + wl]))
            continue;
        return 1;
    }
    return 0;
}

static const char *const or_markers[] = {
    "or",     "/",      "または", "もしくは", "あるいは", "又は",  "いずれか",
    "など",   "such as", "e.g.",  "for example", "etc",   "any of", "one of", "either",
};

static const char *const advanced_cues[] = {
    "expert", "expertise", "deep understanding", "deep knowledge", "deep experience",
    "extensive", "advanced", "mastery", "in-depth", "深い", "豊富", "高度", "精通", "エキスパート",
};

static const char *const basic_cues[] = {
    "basic", "familiarity", "familiar with", "exposure", "awareness", "interest in",
    "基礎", "基本的", "興味", "触れた",
};

/* Years of experience in the item ("5+ years", "5 years", "3年以上"), or 0. */
static unsigned years(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) || (i > 0 && isdigit((unsigned char)s[i - 1])))
            continue;
        unsigned y = 0;
        size_t j = i;
        while (j < n && isdigit((unsigned char)s[j]) && y < 100)
            y = y * 10 + (unsigned)(s[j++] - '0');
        while (j < n && (s[j] == '+' || s[j] == ' '))
            j++;
        if ((n - j >= 4 && memcmp(s + j, "year", 4) == 0) ||
            (n - j >= 3 && memcmp(s + j, "年", 3) == 0))
            return y;
    }
    return 0;
}

static size_t item_level(const char *f, size_t n)
{
    unsigned y = years(f, n);
    if (y >= RF_POSTING_YEARS_ADVANCED)
        return 3;
    for (size_t i = 0; i < sizeof advanced_cues / sizeof advanced_cues[0]; i++)
        if (has_word(f, n, advanced_cues[i]))
            return 3;
    for (size_t i = 0; i < sizeof basic_cues / sizeof basic_cues[0]; i++)
        if (has_word(f, n, basic_cues[i]))
            return 1;
    return 2;
}

/* ---- sections and lines ---- */

static const char *const preferred_kw[] = {
    "preferred", "nice to have", "nice-to-have", "bonus", "plus", "desirable", "desired",
    "optional", "歓迎", "尚可", "あれば", "望ましい", "優遇",
};

static const char *const required_kw[] = {
    "requirement", "requirements", "required", "must have", "must-have", "must haves",
    "qualification", "qualifications", "what you need",
    "what you'll need", "what you will need", "you have", "you bring", "skills",
    "必須", "応募資格", "応募条件", "応募要件", "必要", "求める", "求めるスキル",
};

static enum rf_section classify(const char *f, size_t n)
{
    for (size_t i = 0; i < sizeof preferred_kw / sizeof preferred_kw[0]; i++)
        if (has_word(f, n, preferred_kw[i]))
            return RF_SEC_PREFERRED;
    for (size_t i = 0; i < sizeof required_kw / sizeof required_kw[0]; i++)
        if (has_word(f, n, required_kw[i]))
            return RF_SEC_REQUIRED;
    return RF_SEC_NONE;
}

/* Leading bullet or number of a line: returns the bytes it takes (0: none). */
static size_t bullet_len(const char *s, size_t n)
{
    static const char *const marks[] = {"-", "*", "+", "•", "・", "●", "○", "◦", "▪",
                                        "▶", "◆", "◇", "★", "☆", "✓", "✔", "■", "□", "※"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        size_t l = strlen(marks[i]);
        if (n >= l && memcmp(s, marks[i], l) == 0 && !(l == 1 && n > 1 && s[1] == s[0]))
            return l;
    }
    size_t i = 0;
    if (n > 0 && s[0] == '(')
        i = 1;
    size_t d = i;
    while (d < n && isdigit((unsigned char)s[d]) && d - i < 3)
        d++;
    if (d > i && d < n && (s[d] == '.' || s[d] == ')') && (d + 1 == n || s[d + 1] == ' '))
        return d + 1;
    return 0;
}

/* Trims blanks and Markdown emphasis from [*lo, *hi) of s. */
static void trim(const char *s, size_t *lo, size_t *hi)
{
    for (;;) {
        while (*lo < *hi && (s[*lo] == ' ' || s[*lo] == '\t'))
            (*lo)++;
        while (*hi > *lo && (s[*hi - 1] == ' ' || s[*hi - 1] == '\t'))
            (*hi)--;
        if (*hi - *lo >= 2 && (s[*lo] == '*' || s[*lo] == '_') && s[*lo + 1] == s[*lo]) {
            *lo += 2;
            continue;
        }
        if (*hi - *lo >= 2 && (s[*hi - 1] == '*' || s[*hi - 1] == '_') && s[*hi - 2] == s[*hi - 1]) {
            *hi -= 2;
            continue;
        }
        return;
    }
}

/* ---- building the result ---- */

struct builder {
    const char *name;
    const struct rf_aliases *al;
    const struct rf_taxonomy *tax;
    struct rf_parsed_posting *p;
    size_t cap_reqs, cap_un;
    size_t pos[3]; /* items seen per section */
    struct rf_err *err;
};

static rf_status add_unmapped(struct builder *b, enum rf_section sec, size_t line, const char *s,
                              size_t n)
{
    struct rf_parsed_posting *p = b->p;
    if (p->nunmapped >= RF_POSTING_MAX_UNMAPPED) {
        p->dropped++;
        return RF_OK;
    }
    if (p->nunmapped == b->cap_un) {
        size_t nc = b->cap_un ? 2 * b->cap_un : 16;
        struct rf_posting_unmapped *u = rf_realloc_array(p->unmapped, nc, sizeof *u);
        if (!u)
            return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
        p->unmapped = u;
        b->cap_un = nc;
    }
    char *t = rf_strndup(s, n);
    if (!t)
        return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
    p->unmapped[p->nunmapped++] = (struct rf_posting_unmapped){sec, line, t};
    return RF_OK;
}

static double position_weight(enum rf_section sec, size_t pos)
{
    if (sec == RF_SEC_PREFERRED)
        return RF_POSTING_W_PREFERRED;
    return pos <= 2 ? RF_POSTING_W_TOP : pos == 3 ? RF_POSTING_W_THIRD : RF_POSTING_W_REST;
}

/* Appends term to label (joined by sep) unless the label already has it as
 * a part (ASCII case ignored) or would exceed RF_POSTING_LABEL_MAX bytes. */
static rf_status label_add(char **label, const char *term, size_t tl, const char *sep)
{
    size_t ol = *label ? strlen(*label) : 0, sl = strlen(sep);
    for (const char *q = *label; q && *q;) {
        const char *e = strstr(q, sep);
        size_t pl = e ? (size_t)(e - q) : strlen(q);
        if (pl == tl && strncasecmp(q, term, tl) == 0)
            return RF_OK;
        q += pl + (e ? sl : 0);
    }
    if (ol + sl + tl > RF_POSTING_LABEL_MAX)
        return RF_OK;
    char *nl = realloc(*label, ol + sl + tl + 1);
    if (!nl)
        return RF_ENOMEM;
    if (ol) {
        memcpy(nl + ol, sep, sl);
        ol += sl;
    }
    memcpy(nl + ol, term, tl);
    nl[ol + tl] = '\0';
    *label = nl;
    return RF_OK;
}

static int same_skills(const struct rf_posting_req *r, const size_t *sk, size_t n)
{
    if (r->nskills != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < n && r->skills[j] != sk[i])
            j++;
        if (j == n)
            return 0;
    }
    return 1;
}

/* Adds one requirement (or merges it into an identical earlier one). */
static rf_status add_req(struct builder *b, enum rf_section sec, size_t line, size_t level,
                         const size_t *sk, size_t nsk, const char *disp,
                         const struct match *m, size_t nm, int or_group, const char *item,
                         size_t item_len)
{
    struct rf_parsed_posting *p = b->p;
    double w = position_weight(sec, b->pos[sec]);
    const char *sep = or_group ? "-or-" : ", ";
    struct rf_posting_req *r = NULL;
    for (size_t i = 0; i < p->nreqs && !r; i++)
        if (p->reqs[i].level == level && same_skills(&p->reqs[i], sk, nsk))
            r = &p->reqs[i];
    if (r) {
        /* Named again: required wins over preferred, the larger weight counts. */
        if (sec == RF_SEC_REQUIRED)
            r->section = RF_SEC_REQUIRED;
        if (w > r->weight)
            r->weight = w;
    } else {
        if (p->nreqs >= RF_POSTING_MAX_REQS) {
            p->dropped++;
            return RF_OK;
        }
        if (p->nreqs == b->cap_reqs) {
            size_t nc = b->cap_reqs ? 2 * b->cap_reqs : 16;
            struct rf_posting_req *nr = rf_realloc_array(p->reqs, nc, sizeof *nr);
            if (!nr)
                return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
            p->reqs = nr;
            b->cap_reqs = nc;
        }
        r = &p->reqs[p->nreqs];
        memset(r, 0, sizeof *r);
        r->section = sec;
        r->position = b->pos[sec];
        r->line = line;
        r->weight = w;
        r->level = level;
        memcpy(r->skills, sk, nsk * sizeof *sk);
        r->nskills = nsk;
        if (!(r->text = rf_strndup(item, item_len)))
            return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
        p->nreqs++;
    }
    if (r != &p->reqs[p->nreqs - 1] || r->label)
        return RF_OK; /* merged: the first mention names it */
    for (size_t i = 0; i < nm; i++) {
        size_t j = 0;
        while (j < nsk && sk[j] != m[i].a->skill)
            j++;
        if (j == nsk)
            continue;
        if (label_add(&r->label, disp + m[i].lo, m[i].hi - m[i].lo, sep))
            return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
    }
    return RF_OK;
}

static int is_sep_at(const char *s, size_t n, size_t i, size_t *len)
{
    static const char *const seps[] = {",", ";", "、", "/", "・", "(", ")", "&", "。",
                                       " or ", " and ", "または", "もしくは", "あるいは",
                                       "又は", "および", "及び", " as well as "};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        size_t l = strlen(seps[k]);
        if (l <= n - i && memcmp(s + i, seps[k], l) == 0) {
            *len = l;
            return 1;
        }
    }
    return 0;
}

static const char *const filler[] = {
    "etc", "etc.", "e.g.", "e.g", "eg", "and", "or", "such as", "including", "など", "等",
    "経験", "の経験", "実務経験", "の実務経験", "使用経験", "の使用経験", "知識", "の知識", "能力",
};

/* Lists the parts of an item between separators that hold no term. */
static rf_status unmapped_parts(struct builder *b, enum rf_section sec, size_t line,
                                const char *disp, const char *blank, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n;) {
        size_t sl = 0;
        if (i < n && !is_sep_at(blank, n, i, &sl)) {
            i++;
            continue;
        }
        size_t lo = start, hi = i;
        int has_term = 0;
        for (size_t k = lo; k < hi; k++)
            has_term |= blank[k] == '\x01';
        trim(disp, &lo, &hi);
        while (hi > lo && strchr(".:;-", disp[hi - 1]))
            hi--;
        int content = 0;
        for (size_t k = lo; k < hi; k++)
            content |= is_alnum((unsigned char)disp[k]) || (unsigned char)disp[k] >= 0x80;
        int is_filler = 0;
        for (size_t k = 0; k < sizeof filler / sizeof filler[0]; k++)
            is_filler |= strlen(filler[k]) == hi - lo && strncasecmp(disp + lo, filler[k], hi - lo) == 0;
        if (!has_term && content && !is_filler && hi - lo >= 2) {
            rf_status rc = add_unmapped(b, sec, line, disp + lo, hi - lo);
            if (rc)
                return rc;
        }
        if (i == n)
            break;
        i += sl;
        start = i;
    }
    return RF_OK;
}

static rf_status parse_item(struct builder *b, enum rf_section sec, size_t line, const char *disp,
                            char *fold, size_t n)
{
    b->pos[sec]++;
    struct match m[64];
    size_t nm = find_matches(b->al, fold, n, m, sizeof m / sizeof m[0]);
    if (nm == 0)
        return add_unmapped(b, sec, line, disp, n);
    size_t level = item_level(fold, n);
    /* Blank the matched spans so that markers inside terms ("A/B", "CI/CD") do not count. */
    for (size_t i = 0; i < nm; i++)
        memset(fold + m[i].lo, '\x01', m[i].hi - m[i].lo);
    int or_group = 0;
    for (size_t i = 0; i < sizeof or_markers / sizeof or_markers[0]; i++)
        or_group |= has_word(fold, n, or_markers[i]);
    rf_status rc = unmapped_parts(b, sec, line, disp, fold, n);
    if (rc)
        return rc;
    size_t sk[RF_POSTING_MAX_ALTS] = {0}, nsk = 0;
    for (size_t i = 0; i < nm; i++) {
        size_t j = 0;
        while (j < nsk && sk[j] != m[i].a->skill)
            j++;
        if (j == nsk && nsk < RF_POSTING_MAX_ALTS)
            sk[nsk++] = m[i].a->skill;
    }
    if (or_group)
        return add_req(b, sec, line, level, sk, nsk, disp, m, nm, 1, disp, n);
    for (size_t j = 0; j < nsk; j++)
        if ((rc = add_req(b, sec, line, level, &sk[j], 1, disp, m, nm, 0, disp, n)))
            return rc;
    return RF_OK;
}

/* Recognizes a heading line; returns its section class through *sec and 1,
 * or 0 when the line is not a heading. *rest receives the offset of text
 * after an inline heading ("必須: Python"), else hi. */
static int heading(const struct rf_aliases *al, const char *f, size_t lo, size_t hi, int bullet,
                   enum rf_section *sec, size_t *rest)
{
    *rest = hi;
    size_t a = lo, b = hi;
    if (f[a] == '#') {
        while (a < b && f[a] == '#')
            a++;
        trim(f, &a, &b);
        *sec = classify(f + a, b - a);
        return 1;
    }
    static const char *const boxes[] = {"■", "□", "◆", "◇", "●", "▼", "★", "☆"};
    int boxed = 0;
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        size_t l = strlen(boxes[i]);
        if (b - a >= l && memcmp(f + a, boxes[i], l) == 0) {
            a += l;
            boxed = 1;
            break;
        }
    }
    if (b - a >= 6 && memcmp(f + a, "【", 3) == 0) {
        const char *close = strstr(f + a, "】");
        if (close && (size_t)(close - f) < b) {
            size_t c = (size_t)(close - f);
            *sec = classify(f + a + 3, c - a - 3);
            size_t r = c + 3;
            trim(f, &r, &b);
            *rest = r;
            return 1;
        }
    }
    if (b - a >= 2 && f[a] == '[' && f[b - 1] == ']') {
        *sec = classify(f + a + 1, b - a - 2);
        if (*sec != RF_SEC_NONE)
            return 1;
    }
    trim(f, &a, &b);
    if (b > a && f[b - 1] == ':' && !bullet && b - a <= RF_POSTING_HEADING_MAX) {
        *sec = classify(f + a, b - a - 1);
        return 1;
    }
    if (bullet && !boxed)
        return 0;
    /* Inline heading: "Requirements: Python, SQL", "必須: Python". */
    const char *colon = memchr(f + a, ':', b - a);
    struct match m[1];
    if (colon && (size_t)(colon - f) - a <= RF_POSTING_HEADING_MAX / 2 &&
        !find_matches(al, f + a, (size_t)(colon - f) - a, m, 1)) {
        enum rf_section s = classify(f + a, (size_t)(colon - f) - a);
        if (s != RF_SEC_NONE) {
            *sec = s;
            size_t r = (size_t)(colon - f) + 1;
            trim(f, &r, &b);
            *rest = r;
            return 1;
        }
    }
    /* A short line with a heading word is a heading unless it names a skill
     * term: "Required skills" is, "Strong Python skills" is not. So is a short
     * boxed line ("■待遇"), whatever it says. */
    if (find_matches(al, f + a, b - a, m, 1))
        return 0;
    enum rf_section s = classify(f + a, b - a);
    if (boxed && b - a <= RF_POSTING_HEADING_MAX / 2) {
        *sec = s;
        return 1;
    }
    if (s != RF_SEC_NONE && b - a <= RF_POSTING_HEADING_MAX / 2) {
        *sec = s;
        return 1;
    }
    return 0;
}

void rf_posting_cleanup(struct rf_parsed_posting *p)
{
    if (!p)
        return;
    free(p->title);
    for (size_t i = 0; i < p->nreqs; i++) {
        free(p->reqs[i].label);
        free(p->reqs[i].text);
    }
    free(p->reqs);
    for (size_t i = 0; i < p->nunmapped; i++)
        free(p->unmapped[i].text);
    free(p->unmapped);
    free(p->lines);
    free(p->prose);
    memset(p, 0, sizeof *p);
}

static int req_order(const void *x, const void *y)
{
    const struct rf_posting_req *a = x, *b = y;
    if (a->section != b->section)
        return a->section < b->section ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* One pass over the lines. With fallback set, bullet lines outside any
 * section count as required items. */
static rf_status scan(struct builder *b, const char *disp, char *fold, size_t n, int fallback)
{
    enum rf_section sec = RF_SEC_NONE;
    size_t line = 0;
    for (size_t s = 0; s < n;) {
        const char *nl = memchr(disp + s, '\n', n - s);
        size_t e = nl ? (size_t)(nl - disp) : n, lo = s, hi = e;
        line++;
        s = e + 1;
        trim(disp, &lo, &hi);
        if (lo == hi)
            continue;
        if (!b->p->title) {
            size_t tl = lo, th = hi;
            while (tl < th && disp[tl] == '#')
                tl++;
            trim(disp, &tl, &th);
            if (!(b->p->title = rf_strndup(disp + tl, th - tl)))
                return rf_err_set(b->err, RF_ENOMEM, "%s: out of memory", b->name);
            if (disp[lo] == '#')
                continue;
        }
        size_t bl = bullet_len(fold + lo, hi - lo);
        enum rf_section hs;
        size_t rest;
        if (heading(b->al, fold, lo, hi, bl != 0, &hs, &rest)) {
            sec = hs;
            if (hs != RF_SEC_NONE)
                b->p->sectioned = 1;
            if (rest < hi && hs != RF_SEC_NONE) {
                rf_status rc = parse_item(b, hs, line, disp + rest, fold + rest, hi - rest);
                if (rc)
                    return rc;
            }
            continue;
        }
        enum rf_section use = sec;
        if (fallback)
            use = bl ? RF_SEC_REQUIRED : RF_SEC_NONE;
        if (use == RF_SEC_NONE)
            continue;
        lo += bl;
        trim(disp, &lo, &hi);
        if (lo == hi)
            continue;
        rf_status rc = parse_item(b, use, line, disp + lo, fold + lo, hi - lo);
        if (rc)
            return rc;
    }
    return RF_OK;
}

rf_status rf_posting_parse(const char *name, const char *text, size_t len,
                           const struct rf_aliases *al, const struct rf_taxonomy *tax,
                           struct rf_parsed_posting *out, struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    if (len > RF_POSTING_MAX_BYTES)
        return rf_err_set(err, RF_ETOOBIG, "%s: posting larger than %ld bytes", name,
                          (long)RF_POSTING_MAX_BYTES);
    char *disp = NULL, *fold = NULL;
    size_t n = 0;
    rf_status rc = normalize(name, text, len, &disp, &n, err);
    if (rc)
        return rc;
    struct rf_parsed_posting p = {0};
    struct builder b = {.name = name, .al = al, .tax = tax, .p = &p, .err = err};
    if (!(fold = rf_strndup(disp, n))) {
        rc = rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
        goto out;
    }
    ascii_lower(fold, n);
    if ((rc = scan(&b, disp, fold, n, 0)))
        goto out;
    if (!p.title) {
        rc = rf_err_set(err, RF_EINVAL, "%s: empty posting: no text to read", name);
        goto out;
    }
    if (!p.sectioned) {
        /* No required/preferred headings: every bullet line counts as required. */
        memcpy(fold, disp, n);
        ascii_lower(fold, n);
        b.pos[RF_SEC_REQUIRED] = 0;
        if ((rc = scan(&b, disp, fold, n, 1)))
            goto out;
    }
    if (p.nreqs > 1)
        qsort(p.reqs, p.nreqs, sizeof *p.reqs, req_order);
    for (size_t i = 0; i < p.nreqs; i++)
        p.nrequired += p.reqs[i].section == RF_SEC_REQUIRED;
out:
    free(disp);
    free(fold);
    if (rc) {
        rf_posting_cleanup(&p);
        return rc;
    }
    *out = p;
    return RF_OK;
}

rf_status rf_posting_load(const char *path, const struct rf_aliases *al,
                          const struct rf_taxonomy *tax, struct rf_parsed_posting *out,
                          struct rf_err *err)
{
    memset(out, 0, sizeof *out);
    char *data;
    size_t len;
    rf_status rc = rf_file_read(path, RF_POSTING_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_posting_parse(path, data, len, al, tax, out, err);
    free(data);
    return rc;
}

double rf_posting_req_p(const struct rf_posting_req *r, const struct rf_taxonomy *tax,
                        const struct rf_profile *p, size_t *measured)
{
    double miss = 1;
    size_t m = 0;
    for (size_t i = 0; i < r->nskills; i++) {
        const struct rf_skill *sk = &tax->skills[r->skills[i]];
        const struct rf_profile_skill *s = rf_profile_find(p, sk->id);
        m += s != NULL;
        miss *= 1 - rf_profile_tail(p, s, sk->cuts[r->level - 1]);
    }
    if (measured)
        *measured = m;
    return 1 - miss;
}

static const char *section_name(enum rf_section s)
{
    return s == RF_SEC_REQUIRED ? "required" : s == RF_SEC_PREFERRED ? "preferred" : "other";
}

rf_status rf_posting_to_json(const struct rf_parsed_posting *p, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err)
{
    json_t *o = json_pack("{sssbsIsI}", "title", p->title ? p->title : "", "sectioned",
                          p->sectioned, "dropped", (json_int_t)p->dropped, "required_count",
                          (json_int_t)p->nrequired);
    json_t *req = json_array(), *pref = json_array(), *un = json_array();
    int ok = o && req && pref && un && json_object_set_new(o, "required", req) == 0 &&
             json_object_set_new(o, "preferred", pref) == 0 &&
             json_object_set_new(o, "unmapped", un) == 0;
    if (!ok && o) {
        json_decref(o);
        o = NULL;
    }
    for (size_t i = 0; ok && i < p->nreqs; i++) {
        const struct rf_posting_req *r = &p->reqs[i];
        json_t *sk = json_array();
        for (size_t k = 0; sk && k < r->nskills; k++)
            if (json_array_append_new(sk, json_string(tax->skills[r->skills[k]].id))) {
                json_decref(sk);
                sk = NULL;
            }
        json_t *e = sk ? json_pack("{sIsIsfsssssoss}", "position", (json_int_t)r->position,
                                   "line", (json_int_t)r->line, "weight", r->weight, "level",
                                   tax->levels[r->level], "label", r->label ? r->label : "",
                                   "skills", sk, "text", r->text)
                       : NULL;
        ok = e && json_array_append_new(r->section == RF_SEC_REQUIRED ? req : pref, e) == 0;
    }
    for (size_t i = 0; ok && i < p->nunmapped; i++) {
        const struct rf_posting_unmapped *u = &p->unmapped[i];
        json_t *e = json_pack("{sssIss}", "section", section_name(u->section), "line",
                              (json_int_t)u->line, "text", u->text);
        ok = e && json_array_append_new(un, e) == 0;
    }
    if (!ok) {
        json_decref(o);
        return rf_err_set(err, RF_ENOMEM, "posting: out of memory writing JSON");
    }
    *out = o;
    return RF_OK;
}
