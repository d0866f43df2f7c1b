/*
 * Answers: parsing, checking and scoring per docs/bank-format.md (see
 * answer.h). Invariants of a response built here: choice is a valid option
 * of an mcq item; value is finite and text its trimmed spelling for a
 * numeric item; sel holds nsel distinct in-range indices, sorted, for a
 * multi item.
 */
#include "bank/answer.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the number grammar matched at s (0 when none): sign, digits with
 * an optional point (at least one digit in all), optional exponent. */
static size_t match_number(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (is_digit(s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.') {
        i++;
        while (is_digit(s[i])) {
            i++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (!is_digit(s[j]))
            return 0;
        while (is_digit(s[j]))
            j++;
        i = j;
    }
    return i;
}

/* rf_answer_parse_number, with the refusal's code into *why (when why). */
static rf_status parse_number(const char *text, double *out, struct rf_err *err, const char **why)
{
    const char *w = RF_ANSWER_WHY_SYNTAX;
    rf_status rc = RF_OK;
    size_t len = text ? strlen(text) : 0;
    const char *s = text;
    while (s && is_space(*s))
        s++;
    if (len > RF_ANSWER_MAX_TEXT) {
        w = RF_ANSWER_WHY_TOO_LONG;
        rc = rf_err_set(err, RF_EINVAL, "the answer is longer than %d characters",
                        RF_ANSWER_MAX_TEXT);
    } else if (!s || !*s) {
        w = RF_ANSWER_WHY_EMPTY;
        rc = rf_err_set(err, RF_EINVAL, "no number given");
    }
    if (rc) {
        if (why)
            *why = w;
        return rc;
    }
    size_t n = match_number(s);
    size_t k = n;
    while (is_space(s[k]))
        k++;
    if (n == 0 || s[k]) {
        size_t show = strlen(s);
        while (show && is_space(s[show - 1]))
            show--;
        if (n && s[n] == ',') {
            if (why)
                *why = RF_ANSWER_WHY_COMMA;
            return rf_err_set(err, RF_EINVAL,
                              "'%.*s' is not a number: use a point for decimals (1.5), not a comma",
                              (int)show, s);
        }
        if (why)
            *why = RF_ANSWER_WHY_SYNTAX;
        return rf_err_set(err, RF_EINVAL,
                          "'%.*s' is not a number: write digits with an optional sign, decimal "
                          "point and exponent (e.g. -1.5 or 2e-3), nothing else",
                          (int)show, s);
    }
    char buf[RF_ANSWER_MAX_TEXT + 1];
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + n || !isfinite(v) || (errno == ERANGE && fabs(v) > 1.0)) {
        if (why)
            *why = RF_ANSWER_WHY_TOO_LARGE;
        return rf_err_set(err, RF_EINVAL, "'%s' is too large a number", buf);
    }
    if (errno == ERANGE) /* underflow: as close to zero as it reads */
        v = 0.0 * v;
    *out = v;
    return RF_OK;
}

rf_status rf_answer_parse_number(const char *text, double *out, struct rf_err *err)
{
    if (!text)
        return rf_err_set(err, RF_EINVAL, "no number given");
    return parse_number(text, out, err, NULL);
}

int rf_answer_numeric_right(const struct rf_item *it, double x)
{
    double slack = RF_ANSWER_REL_SLACK * fmax(1.0, fabs(it->answer));
    return isfinite(x) && fabs(x - it->answer) <= it->tolerance + slack;
}

size_t rf_answer_multi_score(const struct rf_item *it, const int *sel, size_t n)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
        int key = 0;
        for (size_t j = 0; j < it->nkeys && !key; j++)
            key = it->keys[j] == sel[i];
        if (key)
            good++;
        else
            bad++;
    }
    return good > bad ? good - bad : 0;
}

static rf_status wrong_type(const struct rf_item *it, const char *given, struct rf_err *err)
{
    return rf_err_set(err, RF_EINVAL, "item '%s' is a %s item; %s answers another format", it->id,
                      rf_item_type_name(it->type), given);
}

static void response_init(struct rf_response *r, enum rf_item_type t)
{
    memset(r, 0, sizeof *r);
    r->type = t;
    r->choice = -1;
}

rf_status rf_answer_mcq(const struct rf_item *it, long long choice, struct rf_response *r,
                        struct rf_err *err)
{
    if (it->type != RF_ITEM_MCQ)
        return wrong_type(it, "an option index", err);
    if (choice < 0 || (unsigned long long)choice >= it->noptions)
        return rf_err_set(err, RF_EINVAL, "choice must be 0 to %zu", it->noptions - 1);
    response_init(r, RF_ITEM_MCQ);
    r->choice = (int)choice;
    return RF_OK;
}

/* The ASCII character a full-width form (U+FF0B..U+FF45 of the number
 * grammar: digits, point, comma, signs, e), the minus sign U+2212 or the
 * ideographic space U+3000 at s stands for, and its length in *n; 0 when s
 * starts with none of them. A Japanese input method types these. */
static char wide_char(const unsigned char *s, size_t *n)
{
    *n = 3;
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99)
        return (char)('0' + (s[2] - 0x90));
    if (s[0] == 0xEF && s[1] == 0xBC)
        switch (s[2]) {
        case 0x8E: return '.';
        case 0x8C: return ',';
        case 0x8D: return '-';
        case 0x8B: return '+';
        case 0xA5: return 'E';
        default: break;
        }
    if (s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x85)
        return 'e';
    if (s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)
        return '-';
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return ' ';
    return 0;
}

/* A number as a candidate types it, into the grammar of
 * rf_answer_parse_number (out holds RF_ANSWER_MAX_TEXT + 1 bytes; text is at
 * most RF_ANSWER_MAX_TEXT bytes): full-width forms as ASCII, and commas
 * that group thousands ("80,000", "1,234.5": one to three digits, then
 * groups of exactly three) dropped. "1,5" keeps its comma, and the parser
 * says to write a point. */
static void candidate_number(const char *text, char *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, k;
    while (*s) {
        char c = wide_char(s, &k);
        if (c) {
            out[n++] = c;
            s += k;
        } else {
            out[n++] = (char)*s++;
        }
    }
    out[n] = '\0';
    size_t i = 0;
    while (is_space(out[i]))
        i++;
    if (out[i] == '+' || out[i] == '-')
        i++;
    size_t j = i, groups = 0;
    while (j < i + 3 && is_digit(out[j]))
        j++;
    if (j == i || is_digit(out[j]))
        return;
    while (out[j] == ',' && is_digit(out[j + 1]) && is_digit(out[j + 2]) && is_digit(out[j + 3]) &&
           !is_digit(out[j + 4])) {
        j += 4;
        groups++;
    }
    if (!groups || out[j] == ',')
        return;
    size_t w = i;
    for (size_t q = i; out[q]; q++)
        if (q >= j || out[q] != ',')
            out[w++] = out[q];
    out[w] = '\0';
}

/* The length of text without trailing spaces (ASCII and the ideographic
 * space U+3000). */
static size_t trimmed_len(const char *text)
{
    size_t n = strlen(text);
    for (;;) {
        if (n && is_space(text[n - 1]))
            n--;
        else if (n >= 3 && memcmp(text + n - 3, "\xE3\x80\x80", 3) == 0)
            n -= 3;
        else
            return n;
    }
}

/* The length of text[0..n) before the item's unit written after the number
 * ("62.77 ms", "12%", full-width "12％" for %), 0 when it does not end
 * with the unit. */
static size_t before_unit(const struct rf_item *it, const char *text, size_t n)
{
    if (!it->unit || !it->unit[0])
        return 0;
    const char *forms[2] = {it->unit, strcmp(it->unit, "%") == 0 ? "\xEF\xBC\x85" : NULL};
    for (size_t f = 0; f < 2 && forms[f]; f++) {
        size_t u = strlen(forms[f]);
        if (n > u && memcmp(text + n - u, forms[f], u) == 0)
            return n - u;
    }
    return 0;
}

/* Whether the candidate's text (as candidate_number made it) is a number
 * followed by a word or sign of another unit, without digits ("62.77 s",
 * "12 pct"). */
static int number_then_word(const char *typed)
{
    const char *s = typed;
    while (is_space(*s))
        s++;
    size_t n = match_number(s);
    if (!n)
        return 0;
    s += n;
    while (is_space(*s))
        s++;
    unsigned char c = (unsigned char)*s;
    if (!c || !(isalpha(c) || c == '%' || c >= 0x80))
        return 0;
    for (; *s; s++) /* "0x10" is a misspelt number, not a unit */
        if (is_digit(*s))
            return 0;
    return 1;
}

rf_status rf_answer_numeric_why(const struct rf_item *it, const char *text, struct rf_response *r,
                                struct rf_err *err, const char **why)
{
    if (why)
        *why = NULL;
    if (it->type != RF_ITEM_NUMERIC)
        return wrong_type(it, "a number", err);
    if (text && strlen(text) > RF_ANSWER_MAX_TEXT) {
        if (why)
            *why = RF_ANSWER_WHY_TOO_LONG;
        return rf_err_set(err, RF_EINVAL, "the answer is longer than %d characters",
                          RF_ANSWER_MAX_TEXT);
    }
    if (!text)
        text = "";
    while (is_space(*text))
        text++;
    size_t n = trimmed_len(text);
    char typed[RF_ANSWER_MAX_TEXT + 1], part[RF_ANSWER_MAX_TEXT + 1];
    double v;
    memcpy(part, text, n);
    part[n] = '\0';
    candidate_number(part, typed);
    struct rf_err first;
    const char *first_why = NULL;
    rf_err_clear(&first);
    rf_status rc = parse_number(typed, &v, &first, &first_why);
    size_t nu = rc ? before_unit(it, part, n) : 0;
    int other_unit = rc && it->unit && it->unit[0] && number_then_word(typed);
    if (nu) {
        /* the item's own unit typed after the number: the number is the answer */
        char num[RF_ANSWER_MAX_TEXT + 1];
        memcpy(num, part, nu);
        num[nu] = '\0';
        size_t nn = trimmed_len(num);
        num[nn] = '\0';
        candidate_number(num, typed);
        const char *w = NULL;
        struct rf_err e2;
        rf_err_clear(&e2);
        rc = parse_number(typed, &v, &e2, &w);
        if (rc && !(other_unit && strcmp(w, RF_ANSWER_WHY_SYNTAX) == 0)) { /* "1,5 ms" */
            if (why)
                *why = w;
            if (err)
                *err = e2;
            return rc;
        }
        if (!rc) {
            memcpy(part, num, nn + 1);
            n = nn;
        }
    }
    if (rc && other_unit) { /* "62.77 s" when the item wants ms: never read as ms */
        if (why)
            *why = RF_ANSWER_WHY_UNIT;
        return rf_err_set(err, RF_EINVAL,
                          "'%s' is not in %s: type the number of %s, alone or followed by %s", part,
                          it->unit, it->unit, it->unit);
    }
    if (rc) {
        if (why)
            *why = first_why;
        if (err)
            *err = first;
        return rc;
    }
    response_init(r, RF_ITEM_NUMERIC);
    r->value = v;
    memcpy(r->text, part, n);
    r->text[n] = '\0';
    return RF_OK;
}

rf_status rf_answer_numeric(const struct rf_item *it, const char *text, struct rf_response *r,
                            struct rf_err *err)
{
    return rf_answer_numeric_why(it, text, r, err, NULL);
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

rf_status rf_answer_multi(const struct rf_item *it, const long long *sel, size_t n,
                          struct rf_response *r, struct rf_err *err)
{
    if (it->type != RF_ITEM_MULTI)
        return wrong_type(it, "a selection", err);
    if (n > it->noptions)
        return rf_err_set(err, RF_EINVAL, "%zu options selected but the question has %zu", n,
                          it->noptions);
    int tmp[RF_BANK_MAX_OPTIONS] = {0};
    for (size_t i = 0; i < n; i++) {
        if (sel[i] < 0 || (unsigned long long)sel[i] >= it->noptions)
            return rf_err_set(err, RF_EINVAL, "option %lld is out of range (0 to %zu)", sel[i],
                              it->noptions - 1);
        tmp[i] = (int)sel[i];
    }
    qsort(tmp, n, sizeof *tmp, cmp_int);
    for (size_t i = 1; i < n; i++)
        if (tmp[i] == tmp[i - 1])
            return rf_err_set(err, RF_EINVAL, "option %d is selected twice", tmp[i]);
    response_init(r, RF_ITEM_MULTI);
    r->nsel = n;
    memcpy(r->sel, tmp, n * sizeof *tmp);
    return RF_OK;
}

rf_status rf_answer_parse_selection(const struct rf_item *it, const char *text, int letters,
                                    struct rf_response *r, struct rf_err *err)
{
    if (it->type != RF_ITEM_MULTI)
        return wrong_type(it, "a selection", err);
    long long sel[RF_BANK_MAX_OPTIONS];
    size_t n = 0;
    const char *s = text ? text : "";
    for (;;) {
        while (is_space(*s))
            s++;
        if (!*s && n == 0)
            break;
        const char *start = s;
        long long v = -1;
        if (letters && isalpha((unsigned char)*s)) {
            v = tolower((unsigned char)*s) - 'a';
            s++;
            if (v >= (long long)it->noptions)
                return rf_err_set(err, RF_EINVAL, "'%c' is not one of the options a to %c",
                                  *start, (char)('a' + it->noptions - 1));
        } else if (!letters && is_digit(*s)) {
            v = 0;
            while (is_digit(*s) && v < 1000)
                v = v * 10 + (*s++ - '0');
            if (is_digit(*s))
                return rf_err_set(err, RF_EINVAL, "option index '%.8s...' is too large", start);
        } else {
            return rf_err_set(err, RF_EINVAL, "'%.16s' is not %s; separate them with commas",
                              start, letters ? "an option letter" : "an option index");
        }
        while (is_space(*s))
            s++;
        if (*s && *s != ',')
            return rf_err_set(err, RF_EINVAL, "'%.16s' is not %s; separate them with commas",
                              start, letters ? "an option letter" : "an option index");
        if (n == RF_BANK_MAX_OPTIONS)
            return rf_err_set(err, RF_EINVAL, "more options selected than the question has");
        sel[n++] = v;
        if (!*s)
            break;
        s++; /* the comma */
    }
    rf_status rc = rf_answer_multi(it, sel, n, r, err);
    if (rc == RF_EINVAL && letters && n) {
        /* name the repeated option by its letter, as the person typed it */
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (sel[i] == sel[j] && sel[i] >= 0)
                    return rf_err_set(err, RF_EINVAL, "option %c is selected twice",
                                      (char)('a' + sel[i]));
    }
    return rc;
}

size_t rf_answer_score(const struct rf_item *it, const struct rf_response *r)
{
    switch (it->type) {
    case RF_ITEM_MCQ: return r->choice == it->key;
    case RF_ITEM_NUMERIC: return (size_t)rf_answer_numeric_right(it, r->value);
    case RF_ITEM_MULTI: return rf_answer_multi_score(it, r->sel, r->nsel);
    default: return 0;
    }
}

size_t rf_answer_max_score(const struct rf_item *it)
{
    return it->irt.ncat ? it->irt.ncat - 1 : 1;
}

void rf_answer_random_probs(const struct rf_item *it, double *p)
{
    size_t ncat = it->irt.ncat ? it->irt.ncat : 2;
    for (size_t k = 0; k < ncat; k++)
        p[k] = 0;
    switch (it->type) {
    case RF_ITEM_MCQ:
        if (ncat == 2 && it->noptions >= 1) {
            p[1] = 1.0 / (double)it->noptions;
            p[0] = 1.0 - p[1];
            return;
        }
        break;
    case RF_ITEM_NUMERIC:
        if (ncat == 2) {
            p[1] = RF_ANSWER_RANDOM_NUMERIC;
            p[0] = 1.0 - p[1];
            return;
        }
        break;
    case RF_ITEM_MULTI:
        if (it->noptions >= 1 && it->noptions <= RF_BANK_MAX_OPTIONS) {
            /* Every non-empty subset of the options, equally likely. */
            unsigned nsub = 1u << it->noptions;
            double w = 1.0 / (double)(nsub - 1);
            for (unsigned m = 1; m < nsub; m++) {
                int sel[RF_BANK_MAX_OPTIONS];
                size_t n = 0;
                for (size_t o = 0; o < it->noptions; o++)
                    if (m & (1u << o))
                        sel[n++] = (int)o;
                size_t sc = rf_answer_multi_score(it, sel, n);
                p[sc < ncat ? sc : ncat - 1] += w;
            }
            return;
        }
        break;
    default:
        break;
    }
    for (size_t k = 0; k < ncat; k++)
        p[k] = 1.0 / (double)ncat;
}

void rf_answer_format(const struct rf_response *r, char *buf, size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    switch (r->type) {
    case RF_ITEM_MCQ: snprintf(buf, cap, "%d", r->choice); break;
    case RF_ITEM_NUMERIC: snprintf(buf, cap, "%s", r->text); break;
    case RF_ITEM_MULTI: {
        size_t len = 0;
        for (size_t i = 0; i < r->nsel && len < cap; i++) {
            int w = snprintf(buf + len, cap - len, i ? ",%d" : "%d", r->sel[i]);
            if (w < 0)
                break;
            len += (size_t)w;
        }
        break;
    }
    default: break;
    }
}

rf_status rf_answer_parse_stored(const struct rf_item *it, const char *stored,
                                 struct rf_response *r, struct rf_err *err)
{
    if (!stored)
        return rf_err_set(err, RF_EINVAL, "item '%s': no stored response", it->id);
    switch (it->type) {
    case RF_ITEM_MCQ: {
        char *end;
        errno = 0;
        long long v = strtoll(stored, &end, 10);
        if (end == stored || *end || errno)
            return rf_err_set(err, RF_EINVAL, "item '%s': stored response '%.16s' is not an option",
                              it->id, stored);
        return rf_answer_mcq(it, v, r, err);
    }
    case RF_ITEM_NUMERIC: return rf_answer_numeric(it, stored, r, err);
    case RF_ITEM_MULTI: return rf_answer_parse_selection(it, stored, 0, r, err);
    default:
        return rf_err_set(err, RF_EINVAL, "item '%s': a %s item has no stored response", it->id,
                          rf_item_type_name(it->type));
    }
}

/* "38", "-3000000", "0.25", "1e-06": whole numbers below 1e15 in full, others
 * the shortest %g spelling that reads back exactly. */
static void number_text(double v, char *buf, size_t cap)
{
    if (fabs(v) < 1e15 && v == floor(v)) {
        snprintf(buf, cap, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* "a, c, d": the letters of options idx[0..n-1], as far as buf holds them. */
static void letters(const int *idx, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 4 < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, i ? ", %c" : "%c", 'a' + idx[i]);
}

void rf_answer_key_text(const struct rf_item *it, char *buf, size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    switch (it->type) {
    case RF_ITEM_MCQ:
        if (it->key >= 0 && (size_t)it->key < it->noptions)
            snprintf(buf, cap, "%c) %s", 'a' + it->key, it->options[it->key]);
        break;
    case RF_ITEM_NUMERIC: {
        char a[40], t[40];
        number_text(it->answer, a, sizeof a);
        number_text(it->tolerance, t, sizeof t);
        const char *unit = it->unit ? it->unit : "";
        if (it->tolerance > 0)
            snprintf(buf, cap, "%s%s%s (\xc2\xb1 %s)", a, unit[0] ? " " : "", unit, t);
        else
            snprintf(buf, cap, "%s%s%s", a, unit[0] ? " " : "", unit);
        break;
    }
    case RF_ITEM_MULTI: letters(it->keys, it->nkeys, buf, cap); break;
    default: break;
    }
}

void rf_answer_response_text(const struct rf_item *it, const struct rf_response *r, char *buf,
                             size_t cap)
{
    if (!cap)
        return;
    buf[0] = '\0';
    switch (r->type) {
    case RF_ITEM_MCQ:
        if (r->choice >= 0 && (size_t)r->choice < it->noptions)
            snprintf(buf, cap, "%c) %s", 'a' + r->choice, it->options[r->choice]);
        break;
    case RF_ITEM_NUMERIC:
        snprintf(buf, cap, "%s%s%s", r->text, it->unit && it->unit[0] ? " " : "",
                 it->unit ? it->unit : "");
        break;
    case RF_ITEM_MULTI: {
        if (!r->nsel) {
            snprintf(buf, cap, "none");
            break;
        }
        letters(r->sel, r->nsel, buf, cap);
        break;
    }
    default: break;
    }
}
