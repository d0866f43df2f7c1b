/*
 * Text folding, shingles and the markup checker. Everything works on bytes;
 * only ASCII is interpreted, so UTF-8 passes through untouched.
 */
#include "bank/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char *fold(const char *s, int words)
{
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    int pending = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int sp = is_space(c) || (words && c < 0x80 && !is_alnum(c));
        if (sp) {
            pending = j > 0;
            continue;
        }
        if (pending) {
            o[j++] = ' ';
            pending = 0;
        }
        o[j++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    o[j] = '\0';
    return o;
}

char *rf_text_fold_space(const char *s)
{
    return fold(s, 0);
}

char *rf_text_fold_words(const char *s)
{
    return fold(s, 1);
}

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

rf_status rf_text_shingles(const char *folded, size_t k, uint64_t **out, size_t *n)
{
    if (k == 0)
        k = 1;
    /* word start offsets */
    size_t nw = 0, len = strlen(folded);
    for (size_t i = 0; i < len; i++)
        if (folded[i] != ' ' && (i == 0 || folded[i - 1] == ' '))
            nw++;
    *out = NULL;
    *n = 0;
    if (nw == 0)
        return RF_OK;
    size_t *start = rf_alloc_array(nw + 1, sizeof *start);
    size_t m = nw < k ? 1 : nw - k + 1;
    uint64_t *h = rf_alloc_array(m, sizeof *h);
    if (!start || !h) {
        free(start);
        free(h);
        return RF_ENOMEM;
    }
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        if (folded[i] != ' ' && (i == 0 || folded[i - 1] == ' '))
            start[w++] = i;
    start[nw] = len + 1; /* one past the end, as if a space followed */
    for (size_t i = 0; i < m; i++) {
        size_t last = i + (nw < k ? nw : k); /* first word after the shingle */
        h[i] = fnv(1469598103934665603ULL, folded + start[i], start[last] - 1 - start[i]);
    }
    free(start);
    qsort(h, m, sizeof *h, cmp_u64);
    size_t d = 0;
    for (size_t i = 0; i < m; i++)
        if (d == 0 || h[i] != h[d - 1])
            h[d++] = h[i];
    *out = h;
    *n = d;
    return RF_OK;
}

double rf_text_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (na == 0 && nb == 0)
        return 0.0;
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j]) {
            inter++;
            i++;
            j++;
        } else if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return (double)inter / (double)(na + nb - inter);
}

/* True when the line at p (up to its end) starts, after blanks, with ```. */
static int is_fence(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return strncmp(p, "```", 3) == 0;
}

rf_status rf_markup_check(const char *s, char *msg, size_t cap)
{
    size_t line = 1, fence_line = 0, code_line = 0, math_line = 0;
    int in_fence = 0, in_code = 0, in_math = 0, depth = 0;
    const char *p = s;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (is_fence(p)) {
            if (in_code || in_math)
                break; /* reported below as an unclosed span */
            in_fence = !in_fence;
            fence_line = line;
        } else if (!in_fence) {
            int blank = 1;
            for (size_t i = 0; i < n; i++)
                blank &= is_space((unsigned char)p[i]);
            if (blank && (in_code || in_math))
                break; /* a paragraph ends inside a span */
            for (size_t i = 0; i < n; i++) {
                char c = p[i];
                if (in_code) {
                    if (c == '`')
                        in_code = 0;
                } else if (c == '\\' && i + 1 < n) {
                    char d = p[i + 1];
                    if (in_math && (d == '{' || d == '}' || d == '$' || d == '\\'))
                        i++;
                    else if (!in_math && d == '$')
                        i++;
                } else if (c == '`' && !in_math) {
                    in_code = 1;
                    code_line = line;
                } else if (c == '$') {
                    if (in_math && depth != 0) {
                        snprintf(msg, cap, "line %zu: unbalanced braces in $...$ math", line);
                        return RF_EINVAL;
                    }
                    in_math = !in_math;
                    math_line = line;
                    depth = 0;
                } else if (in_math && c == '{') {
                    depth++;
                } else if (in_math && c == '}') {
                    if (--depth < 0) {
                        snprintf(msg, cap, "line %zu: '}' without '{' in $...$ math", line);
                        return RF_EINVAL;
                    }
                }
            }
        }
        if (!eol)
            break;
        p = eol + 1;
        line++;
    }
    if (in_code) {
        snprintf(msg, cap, "line %zu: unclosed ` code span", code_line);
        return RF_EINVAL;
    }
    if (in_math) {
        snprintf(msg, cap, "line %zu: unclosed $ math (write \\$ for a dollar sign)", math_line);
        return RF_EINVAL;
    }
    if (in_fence) {
        snprintf(msg, cap, "line %zu: unclosed ``` code fence", fence_line);
        return RF_EINVAL;
    }
    return RF_OK;
}

/* The commands web/js/markup.js renders: its SYMBOLS, FUNCTIONS and the
 * commands it handles by name. */
static const char *const tex_known[] = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota",
    "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "varphi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Sigma", "Phi", "Psi", "Omega", "Pi",
    "sum", "prod", "int", "cdot", "times", "le", "leq", "ge", "geq", "ne", "neq", "approx",
    "sim", "in", "notin", "to", "rightarrow", "leftarrow", "infty", "top", "lVert", "rVert",
    "Vert", "lvert", "rvert", "partial", "nabla", "pm", "mp", "propto", "dots", "ldots",
    "cdots", "forall", "exists", "subset", "subseteq", "cup", "cap", "mid", "ast", "langle",
    "rangle", "quad", "qquad",
    /* functions set upright */
    "log", "exp", "sin", "cos", "tan", "tanh", "max", "min", "arg", "argmax", "argmin", "det",
    "tr", "sup", "inf", "lim", "softmax", "Var", "Cov", "rank", "diag", "sign",
    /* handled by name */
    "frac", "sqrt", "mathbb", "text", "mathrm", "mathbf", "hat", "bar", "tilde", "vec", "left",
    "right", "big", "Big", "operatorname",
};

static int tex_is_known(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof tex_known / sizeof tex_known[0]; i++)
        if (strlen(tex_known[i]) == n && memcmp(tex_known[i], p, n) == 0)
            return 1;
    return 0;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int rf_markup_tex_unknown(const char *s, char *name, size_t cap)
{
    int in_fence = 0, in_code = 0, in_math = 0;
    for (const char *p = s; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (is_fence(p)) {
            in_fence = !in_fence;
            in_code = in_math = 0;
        } else if (!in_fence) {
            for (size_t i = 0; i < n; i++) {
                char c = p[i];
                if (in_code) {
                    in_code = c != '`';
                } else if (c == '\\' && i + 1 < n && !in_math) {
                    i += p[i + 1] == '$';
                } else if (c == '\\' && i + 1 < n) {
                    size_t j = i + 1;
                    while (j < n && is_alpha(p[j]))
                        j++;
                    if (j > i + 1 && !tex_is_known(p + i + 1, j - i - 1)) {
                        snprintf(name, cap, "%.*s", (int)(j - i - 1), p + i + 1);
                        return 1;
                    }
                    i = j > i + 1 ? j - 1 : i + 1;
                } else if (c == '`' && !in_math) {
                    in_code = 1;
                } else if (c == '$') {
                    in_math = !in_math;
                }
            }
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    return 0;
}

/* ---- literals a translation keeps ---- */

struct lits {
    struct rf_literal *v;
    size_t n, cap;
    int nomem;
};

static void lit_add(struct lits *l, enum rf_literal_kind k, const char *p, size_t n)
{
    if (l->nomem)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct rf_literal *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->nomem = 1;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct rf_literal){k, p, n, 0.0};
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The scale right after a number: a suffix glued to it (k, K, M, B, T), or
 * after at most one space an English word or a Japanese numeral of
 * magnitude; 1 when there is none. */
static double scale_after(const char *p, size_t n)
{
    static const struct {
        const char *w;
        double x;
        int word; /* an English word: must end there */
    } sc[] = {{"thousand", 1e3, 1}, {"million", 1e6, 1}, {"billion", 1e9, 1},
              {"trillion", 1e12, 1}, {"千万", 1e7, 0},     {"百万", 1e6, 0},
              {"千", 1e3, 0},        {"万", 1e4, 0},       {"億", 1e8, 0},
              {"兆", 1e12, 0}};
    /* engineers' suffixes glued to the number: 10k, 18.6M, 47B, 1.2T */
    static const char suffix[] = "kKMBT";
    static const double sx[] = {1e3, 1e3, 1e6, 1e9, 1e12};
    if (n && strchr(suffix, *p) && *p && (n == 1 || !is_alpha(p[1])))
        return sx[strchr(suffix, *p) - suffix];
    /* "13 million", "a 7-billion-parameter model"; a hyphen only before an English word */
    int hyphen = n && *p == '-';
    if (n && (*p == ' ' || hyphen))
        p++, n--;
    for (size_t k = 0; k < sizeof sc / sizeof sc[0]; k++) {
        size_t m = strlen(sc[k].w);
        if (m <= n && memcmp(p, sc[k].w, m) == 0 && (sc[k].word || !hyphen) &&
            (!sc[k].word || m == n || !is_alpha(p[m])))
            return sc[k].x;
    }
    return 1.0;
}

/* The value of the number at p (n bytes: digits, inner '.' and ','), scaled
 * by the word that follows (rest, nrest bytes). A ',' between digits groups
 * thousands; a '.' is the decimal point. */
static double number_value(const char *p, size_t n, const char *rest, size_t nrest)
{
    char buf[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof buf; i++)
        if (p[i] != ',')
            buf[k++] = p[i];
    buf[k] = '\0';
    return strtod(buf, NULL) * scale_after(rest, nrest);
}

/* The literals of one line of prose (outside fences), from i0; in_code and
 * in_math carry spans across lines of one paragraph (*open their starts). */
static void prose_literals(struct lits *l, const char *p, size_t n, int *in_code, int *in_math,
                           const char **open)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (*in_code) {
            if (c == '`') {
                lit_add(l, RF_LIT_CODE, *open, (size_t)(p + i + 1 - *open));
                *in_code = 0;
            }
        } else if (c == '\\' && i + 1 < n && (p[i + 1] == '$' || (*in_math && (p[i + 1] == '{' ||
                                                                                p[i + 1] == '}' ||
                                                                                p[i + 1] == '\\')))) {
            i++;
        } else if (c == '`' && !*in_math) {
            *in_code = 1;
            *open = p + i;
        } else if (c == '$') {
            if (*in_math)
                lit_add(l, RF_LIT_MATH, *open, (size_t)(p + i + 1 - *open));
            else
                *open = p + i;
            *in_math = !*in_math;
        } else if (!*in_math && is_digit(c) &&
                   (i == 0 || !(is_alpha(p[i - 1]) || p[i - 1] == '_' || is_digit(p[i - 1])))) {
            size_t j = i + 1;
            while (j < n && (is_digit(p[j]) ||
                             ((p[j] == '.' || p[j] == ',') && j + 1 < n && is_digit(p[j + 1]))))
                j++;
            lit_add(l, RF_LIT_NUMBER, p + i, j - i);
            if (!l->nomem)
                l->v[l->n - 1].value = number_value(p + i, j - i, p + j, n - j);
            i = j - 1;
        }
    }
}

rf_status rf_markup_literals(const char *s, struct rf_literal **out, size_t *n)
{
    struct lits l = {NULL, 0, 0, 0};
    int in_fence = 0, in_code = 0, in_math = 0;
    const char *open = NULL, *fence = NULL;
    for (const char *p = s; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (is_fence(p) && !in_code && !in_math) {
            if (in_fence)
                lit_add(&l, RF_LIT_FENCE, fence, (size_t)(p + len - fence));
            else
                fence = p;
            in_fence = !in_fence;
        } else if (!in_fence) {
            int blank = 1;
            for (size_t i = 0; i < len; i++)
                blank &= is_space((unsigned char)p[i]);
            if (blank)
                in_code = in_math = 0;
            prose_literals(&l, p, len, &in_code, &in_math, &open);
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    if (l.nomem) {
        free(l.v);
        return RF_ENOMEM;
    }
    *out = l.v;
    *n = l.n;
    return RF_OK;
}

/* Kinds in order; fences, code and math by their text, numbers by value. */
static int cmp_lit(const void *x, const void *y)
{
    const struct rf_literal *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->kind == RF_LIT_NUMBER) {
        double tol = 1e-9 * (fabs(a->value) > fabs(b->value) ? fabs(a->value) : fabs(b->value));
        return a->value < b->value - tol ? -1 : a->value > b->value + tol;
    }
    size_t m = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->p, b->p, m);
    return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

static const char *const lit_name[] = {"code block", "code", "math", "number"};

/* A small whole number 0..12: counting words ("2つ"), months ("12月" for
 * December), hours ("午前0時" for midnight). */
static int counting_number(const struct rf_literal *x)
{
    return x->value >= 0 && x->value <= 12 && x->value == floor(x->value);
}

int rf_markup_literals_differ(const char *orig, const char *trans, char *msg, size_t cap)
{
    struct rf_literal *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    if (rf_markup_literals(orig, &a, &na) || rf_markup_literals(trans, &b, &nb)) {
        free(a);
        free(b);
        return -1;
    }
    if (na)
        qsort(a, na, sizeof *a, cmp_lit);
    if (nb)
        qsort(b, nb, sizeof *b, cmp_lit);
    int differ = 0;
    size_t i = 0, j = 0;
    while (!differ && (i < na || j < nb)) {
        int c = i == na ? 1 : j == nb ? -1 : cmp_lit(&a[i], &b[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) { /* in the original only */
            snprintf(msg, cap, "%s '%.*s' of the original is missing", lit_name[a[i].kind],
                     (int)(a[i].n > 60 ? 60 : a[i].n), a[i].p);
            differ = 1;
        } else if (b[j].kind == RF_LIT_NUMBER && counting_number(&b[j])) {
            j++;
        } else {
            snprintf(msg, cap, "%s '%.*s' is not in the original", lit_name[b[j].kind],
                     (int)(b[j].n > 60 ? 60 : b[j].n), b[j].p);
            differ = 1;
        }
    }
    free(a);
    free(b);
    return differ;
}
