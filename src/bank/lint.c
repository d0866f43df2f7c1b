/*
 * The bank linter. Each file is parsed with jansson and every item checked
 * field by field, so one run reports every fault; items are also recorded
 * (id, skill, difficulty, folded stem and its shingles) for the checks that
 * compare items: unique ids, duplicate and near-duplicate stems, and per
 * skill counts and difficulty spread. Severity rule: an error is a fault that
 * makes the item wrong or unusable (bad structure, broken markup, key out of
 * range, unknown skill, duplicate); a warning is a quality concern an author
 * should look at (spread, counts, short explanation, priors off their band).
 * This file checks each item; the checks that compare the recorded items
 * (across files and per skill) are in lint_bankwide.c.
 */
#include "bank/lint.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/item.h"
#include "bank/lint_bankwide.h"
#include "bank/params.h"
#include "bank/text.h"
#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

rf_status rf_lint_init(struct rf_lint *l, const struct rf_taxonomy *tax)
{
    memset(l, 0, sizeof *l);
    l->tax = tax;
    return RF_OK;
}

void rf_lint_cleanup(struct rf_lint *l)
{
    for (size_t i = 0; i < l->ndiags; i++) {
        free(l->diags[i].file);
        free(l->diags[i].item);
        free(l->diags[i].field);
        free(l->diags[i].msg);
    }
    free(l->diags);
    for (size_t i = 0; i < l->nrecs; i++) {
        free(l->recs[i].id);
        free(l->recs[i].skill);
        free(l->recs[i].stem);
        free(l->recs[i].sh);
        free(l->recs[i].enemy);
        free(l->recs[i].tagkey);
        free(l->recs[i].tok);
    }
    free(l->recs);
    for (size_t i = 0; i < l->nfiles; i++)
        free(l->files[i]);
    free(l->files);
    free(l->root);
    memset(l, 0, sizeof *l);
}

rf_status rf_lint_diag_add(struct rf_lint *l, enum rf_lint_level lv, size_t file_idx, size_t pos,
                           const char *item, const char *field, const char *fmt, ...)
{
    if (lv == RF_LINT_ERROR)
        l->nerrors++;
    else
        l->nwarnings++;
    if (l->ndiags >= RF_LINT_MAX_DIAGS) {
        l->dropped++;
        return RF_OK;
    }
    if (l->ndiags == l->cap_diags) {
        size_t nc = l->cap_diags ? 2 * l->cap_diags : 64;
        struct rf_lint_diag *d = rf_realloc_array(l->diags, nc, sizeof *d);
        if (!d)
            return RF_ENOMEM;
        l->diags = d;
        l->cap_diags = nc;
    }
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *file = file_idx < l->nfiles ? l->files[file_idx] : (l->root ? l->root : "bank");
    struct rf_lint_diag *d = &l->diags[l->ndiags];
    d->level = lv;
    d->file = rf_strdup(file);
    d->item = item ? rf_strdup(item) : NULL;
    d->field = field ? rf_strdup(field) : NULL;
    d->msg = rf_strdup(msg);
    d->file_idx = file_idx;
    d->pos = pos;
    d->seq = l->ndiags;
    l->ndiags++;
    if (!d->file || (item && !d->item) || (field && !d->field) || !d->msg)
        return RF_ENOMEM;
    return RF_OK;
}

rf_status rf_lint_diag_format(const struct rf_lint_diag *d, struct rf_buf *out)
{
    rf_status rc = rf_buf_printf(out, "%s: ", d->file);
    if (!rc && d->item)
        rc = rf_buf_printf(out, "item '%s': ", d->item);
    if (!rc && d->field)
        rc = rf_buf_printf(out, "field '%s': ", d->field);
    if (!rc)
        rc = rf_buf_printf(out, "%s: %s", d->level == RF_LINT_ERROR ? "error" : "warning", d->msg);
    return rc;
}

/* Context of the item being checked, so checks read as one line each. */
struct ctx {
    struct rf_lint *l;
    size_t file_idx, pos;
    char item[RF_MAX_ID_LEN + 16];
    rf_status rc; /* sticky ENOMEM */
};

#define ERR(c, field, ...) report(c, RF_LINT_ERROR, field, __VA_ARGS__)
#define WARN(c, field, ...) report(c, RF_LINT_WARNING, field, __VA_ARGS__)

static void report(struct ctx *c, enum rf_lint_level lv, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct ctx *c, enum rf_lint_level lv, const char *field, const char *fmt, ...)
{
    char msg[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (rf_lint_diag_add(c->l, lv, c->file_idx, c->pos, c->item[0] ? c->item : NULL, field, "%s",
                         msg))
        c->rc = RF_ENOMEM;
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

/* Checks "skill.topic.NNN" against the item's skill (may be NULL). */
static void check_id_format(struct ctx *c, const char *id, const char *skill)
{
    const char *d1 = strchr(id, '.');
    const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d1 || !d2 || strchr(d2 + 1, '.')) {
        ERR(c, "id", "expected the form skill.topic.NNN");
        return;
    }
    char part[RF_MAX_ID_LEN + 1];
    size_t n1 = (size_t)(d1 - id), n2 = (size_t)(d2 - d1 - 1);
    memcpy(part, id, n1);
    part[n1] = '\0';
    if (skill && strcmp(part, skill) != 0)
        ERR(c, "id", "skill part '%s' differs from the item's skill '%s'", part, skill);
    memcpy(part, d1 + 1, n2);
    part[n2] = '\0';
    if (!is_snake(part))
        ERR(c, "id", "topic '%s' is not lower_snake_case", part);
    const char *num = d2 + 1;
    if (strlen(num) != 3 || !(num[0] >= '0' && num[0] <= '9') || !(num[1] >= '0' && num[1] <= '9') ||
        !(num[2] >= '0' && num[2] <= '9'))
        ERR(c, "id", "number '%s' is not three digits", num);
}

/* Returns the string value of key, reporting a wrong type (and absence when required). */
static const char *get_str(struct ctx *c, const json_t *o, const char *key, int required)
{
    const json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            ERR(c, key, "missing");
        return NULL;
    }
    if (!json_is_string(v)) {
        ERR(c, key, "expected a string");
        return NULL;
    }
    return json_string_value(v);
}

static void check_markup(struct ctx *c, const char *field, const char *s)
{
    char msg[256];
    if (s && rf_markup_check(s, msg, sizeof msg))
        ERR(c, field, "malformed markup: %s", msg);
    else if (s && rf_markup_tex_unknown(s, msg, sizeof msg))
        WARN(c, field, "TeX command \\%s is not in the subset the web UI renders "
                       "(docs/bank-format.md)",
             msg);
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
            (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n'))
            n++;
    return n;
}

static int contains_phrase(const char *folded, const char *phrase)
{
    size_t n = strlen(phrase);
    for (const char *p = strstr(folded, phrase); p; p = strstr(p + 1, phrase))
        if ((p == folded || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

static void check_options(struct ctx *c, const json_t *o, size_t *nopt, size_t min, size_t max)
{
    const json_t *a = json_object_get(o, "options");
    *nopt = 0;
    if (!a) {
        ERR(c, "options", "missing");
        return;
    }
    if (!json_is_array(a)) {
        ERR(c, "options", "expected an array of strings");
        return;
    }
    size_t n = json_array_size(a);
    *nopt = n;
    if (n < min || n > max)
        ERR(c, "options", "%zu options, expected %zu to %zu", n, min, max);
    char *folded[RF_BANK_MAX_OPTIONS + 1] = {0};
    for (size_t i = 0; i < n && i <= RF_BANK_MAX_OPTIONS; i++) {
        char field[32];
        snprintf(field, sizeof field, "options[%zu]", i);
        const json_t *v = json_array_get(a, i);
        if (!json_is_string(v)) {
            ERR(c, field, "expected a string");
            continue;
        }
        const char *s = json_string_value(v);
        folded[i] = rf_text_fold_space(s);
        char *words = rf_text_fold_words(s);
        if (!folded[i] || !words) {
            free(words);
            c->rc = RF_ENOMEM;
            break;
        }
        if (!folded[i][0])
            ERR(c, field, "empty option");
        if (contains_phrase(words, "all of the above") || contains_phrase(words, "none of the above"))
            ERR(c, field, "\"all/none of the above\" options are not allowed");
        free(words);
        check_markup(c, field, s);
        for (size_t j = 0; j < i; j++)
            if (folded[j] && folded[i][0] && strcmp(folded[i], folded[j]) == 0)
                ERR(c, field, "same text as options[%zu]", j);
    }
    for (size_t i = 0; i <= RF_BANK_MAX_OPTIONS; i++)
        free(folded[i]);
}

static void check_key(struct ctx *c, const json_t *o, size_t nopt)
{
    const json_t *k = json_object_get(o, "key");
    if (!k) {
        ERR(c, "key", "missing");
        return;
    }
    if (!json_is_integer(k)) {
        ERR(c, "key", "expected an integer (0-based option index)");
        return;
    }
    json_int_t v = json_integer_value(k);
    if (nopt && (v < 0 || (size_t)v >= nopt))
        ERR(c, "key", "%lld is out of range (%zu options, 0-based)", (long long)v, nopt);
}

/* Copies the field name out of a "... field 'x': ..." message of rf_params_from_json. */
static void field_of(const char *msg, char *out, size_t cap)
{
    const char *p = strstr(msg, "field '");
    snprintf(out, cap, "model");
    if (!p)
        return;
    p += 7;
    const char *q = strchr(p, '\'');
    if (q && (size_t)(q - p) < cap) {
        memcpy(out, p, (size_t)(q - p));
        out[q - p] = '\0';
    }
}

static void check_params(struct ctx *c, const json_t *o, int mcq, size_t nopt, int diff,
                         int calibrated)
{
    struct rf_irt_item it;
    struct rf_err e;
    rf_err_clear(&e);
    if (rf_params_from_json(o, &it, "x", &e)) {
        char field[64];
        field_of(e.msg, field, sizeof field);
        const char *m = strncmp(e.msg, "x: ", 3) == 0 ? e.msg + 3 : e.msg;
        const char *f = strstr(m, "': ");
        ERR(c, field, "%s", f && strncmp(m, "field '", 7) == 0 ? f + 3 : m);
        return;
    }
    if (mcq && it.ncat != 2) {
        ERR(c, "model", "a multiple-choice item needs 2pl or 3pl, got %s",
            rf_irt_model_name(it.model));
        return;
    }
    if (it.model != RF_MODEL_1PL && (it.a < RF_LINT_A_MIN || it.a > RF_LINT_A_MAX))
        ERR(c, "a", "%g is outside the plausible range [%g, %g]", it.a, RF_LINT_A_MIN,
            RF_LINT_A_MAX);
    if (it.model == RF_MODEL_GRM) {
        for (size_t k = 0; k + 1 < it.ncat; k++)
            if (fabs(it.thr[k]) > RF_LINT_B_ABS)
                ERR(c, "thresholds", "%g is outside the plausible range [-%g, %g]", it.thr[k],
                    RF_LINT_B_ABS, RF_LINT_B_ABS);
        return;
    }
    if (fabs(it.b) > RF_LINT_B_ABS)
        ERR(c, "b", "%g is outside the plausible range [-%g, %g]", it.b, RF_LINT_B_ABS,
            RF_LINT_B_ABS);
    if (it.c > RF_LINT_C_MAX)
        ERR(c, "c", "%g is above the plausible %g", it.c, RF_LINT_C_MAX);
    if (calibrated)
        return;
    /* Uncalibrated items carry the author's priors of docs/bank-format.md:
     * claiming a steeper slope than RF_LINT_PRIOR_A_MAX, or less guessing than
     * 1/k on k options, before real answers show it is an error (issue 14). */
    if (it.model != RF_MODEL_1PL && it.a > RF_LINT_PRIOR_A_MAX + 1e-9)
        ERR(c, "a", "%g: an uncalibrated item claims no slope above %g", it.a,
            RF_LINT_PRIOR_A_MAX);
    else if (it.model != RF_MODEL_1PL && fabs(it.a - 1.0) > 1e-9)
        WARN(c, "a", "prior slope should be 1.0 for an uncalibrated item, got %g", it.a);
    if (mcq && nopt >= 2) {
        double k = 1.0 / (double)nopt;
        if (it.model != RF_MODEL_3PL)
            ERR(c, "model", "an uncalibrated multiple-choice item is 3pl with c = 1/%zu: %s "
                            "claims no guessing",
                nopt, rf_irt_model_name(it.model));
        else if (it.c < k - RF_LINT_PRIOR_C_SLACK)
            ERR(c, "c", "%g is below 1/%zu = %.3f: an uncalibrated item claims no less guessing "
                        "than a blind pick",
                it.c, nopt, k);
        else if (fabs(it.c - k) > RF_LINT_PRIOR_C_SLACK)
            WARN(c, "c", "prior should be 1/%zu = %.3f for an uncalibrated item, got %g", nopt,
                 k, it.c);
    }
    double lo, hi;
    rf_difficulty_band((enum rf_difficulty)diff, &lo, &hi);
    if (diff >= 0 && (it.b < lo - 1e-9 || it.b > hi + 1e-9))
        WARN(c, "b", "%g is outside the %s band [%g, %g] of the author's rating", it.b,
             rf_difficulty_name((enum rf_difficulty)diff), lo, hi);
}

/* The number word or numeral just before position p of s (e.g. "two" or "2"
 * before " decimal"), or -1. */
static int count_before(const char *s, const char *p)
{
    static const char *const names[] = {"zero", "one", "two",   "three", "four",
                                        "five", "six",  "seven", "eight", "nine"};
    const char *e = p;
    while (e > s && e[-1] == ' ')
        e--;
    const char *b = e;
    while (b > s && ((b[-1] >= 'a' && b[-1] <= 'z') || (b[-1] >= '0' && b[-1] <= '9')))
        b--;
    size_t n = (size_t)(e - b);
    if (n == 1 && *b >= '0' && *b <= '9')
        return *b - '0';
    for (int i = 0; i < 10; i++)
        if (strlen(names[i]) == n && strncmp(b, names[i], n) == 0)
            return i;
    return -1;
}

/* The rounding step a numeric item's stem asks for, when it says so in one of
 * the phrases of docs/bank-format.md: "to the nearest integer" / "whole
 * number" / "as an integer" (1), "to the nearest 0.05" (0.05), "to two
 * decimals" / "2 decimal places" (0.01), "to three significant figures"
 * (relative to the answer). Returns 0 when no precision is stated. */
static int stated_step(const char *stem, double answer, double *step)
{
    size_t n = strlen(stem);
    char *s = malloc(n + 1);
    if (!s)
        return 0;
    for (size_t i = 0; i <= n; i++)
        s[i] = (char)((stem[i] >= 'A' && stem[i] <= 'Z') ? stem[i] - 'A' + 'a' : stem[i]);
    int found = 0;
    const char *p;
    if (strstr(s, "nearest integer") || strstr(s, "whole number") || strstr(s, "an integer")) {
        *step = 1.0;
        found = 1;
    } else if ((p = strstr(s, "nearest ")) && ((p[8] >= '0' && p[8] <= '9') || p[8] == '.')) {
        char *end;
        double v = strtod(p + 8, &end);
        if (end > p + 8 && isfinite(v) && v > 0) {
            *step = v;
            found = 1;
        }
    } else if ((p = strstr(s, " decimal")) && count_before(s, p) >= 0) {
        *step = pow(10.0, -count_before(s, p));
        found = 1;
    } else if ((p = strstr(s, " significant ")) && count_before(s, p) > 0 && answer != 0) {
        *step = pow(10.0, floor(log10(fabs(answer))) - count_before(s, p) + 1);
        found = 1;
    }
    free(s);
    return found;
}

/* A numeric item: answer and tolerance present and sane, the tolerance
 * consistent with the precision the stem asks for, no options or key. */
static void check_numeric(struct ctx *c, const json_t *o, const char *stem)
{
    const json_t *ans = json_object_get(o, "answer"), *tol = json_object_get(o, "tolerance");
    const json_t *unit = json_object_get(o, "unit");
    if (json_object_get(o, "options"))
        ERR(c, "options", "a numeric item has no options");
    if (json_object_get(o, "key"))
        ERR(c, "key", "a numeric item has no key (use answer and tolerance)");
    if (json_object_get(o, "keys"))
        ERR(c, "keys", "a numeric item has no keys (use answer and tolerance)");
    if (json_object_get(o, "c"))
        WARN(c, "c", "a numeric item has no guessing parameter: drop 'c'");
    if (unit && !json_is_string(unit))
        ERR(c, "unit", "expected a string");
    else if (unit && strlen(json_string_value(unit)) > RF_ITEM_MAX_UNIT_LEN)
        ERR(c, "unit", "longer than %d bytes", RF_ITEM_MAX_UNIT_LEN);
    if (!ans)
        ERR(c, "answer", "missing");
    else if (!json_is_number(ans) || !isfinite(json_number_value(ans)))
        ERR(c, "answer", "expected a number");
    if (!tol)
        ERR(c, "tolerance", "missing");
    else if (!json_is_number(tol) || !isfinite(json_number_value(tol)) ||
             json_number_value(tol) < 0)
        ERR(c, "tolerance", "expected a number >= 0 (absolute: right iff |x - answer| <= "
                            "tolerance)");
    if (!ans || !tol || !json_is_number(ans) || !json_is_number(tol) || !stem)
        return;
    double a = json_number_value(ans), t = json_number_value(tol), step;
    if (!isfinite(a) || !isfinite(t) || t < 0)
        return;
    if (!stated_step(stem, a, &step)) {
        WARN(c, "stem", "states no precision: say e.g. \"to two decimals\" or \"to the nearest "
                        "integer\", and set the tolerance to half that step");
        return;
    }
    double slack = 1e-9 * (fabs(a) > 1 ? fabs(a) : 1);
    double rounded = round(a / step) * step;
    if (fabs(rounded - a) > t + slack)
        ERR(c, "answer", "%g rounded as the stem asks (step %g) is %g, which the tolerance %g "
                         "marks wrong",
            a, step, rounded, t);
    else if (t > 0 && t < step / 2 - slack) /* 0: an exact answer at the stated precision */
        WARN(c, "tolerance", "%g is below half the step %g the stem asks for (%g): an answer "
                             "given more precisely than asked can be marked wrong",
             t, step, step / 2);
    else if (t > step + slack)
        WARN(c, "tolerance", "%g is wider than the step %g the stem asks for: answers a whole "
                             "step off count as right (use %g)",
             t, step, step / 2);
}

/* A multi item's keys: 1..nopt-1 integers, sorted, distinct, in range. */
static void check_multi_keys(struct ctx *c, const json_t *o, const char *stem, size_t nopt,
                             size_t *nkeys)
{
    const json_t *k = json_object_get(o, "keys");
    *nkeys = 0;
    if (json_object_get(o, "key"))
        ERR(c, "key", "a multi item lists its correct options in 'keys'");
    if (stem) {
        size_t n = strlen(stem), m = strlen("Select all that apply.");
        while (n && (stem[n - 1] == ' ' || stem[n - 1] == '\n'))
            n--;
        if (n < m || strncmp(stem + n - m, "Select all that apply.", m) != 0)
            WARN(c, "stem", "a multi item's stem ends \"Select all that apply.\"");
    }
    if (!k) {
        ERR(c, "keys", "missing");
        return;
    }
    if (!json_is_array(k)) {
        ERR(c, "keys", "expected an array of option indices");
        return;
    }
    size_t n = json_array_size(k);
    int ok = 1;
    json_int_t prev = -1;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(k, i);
        char field[32];
        snprintf(field, sizeof field, "keys[%zu]", i);
        if (!json_is_integer(v)) {
            ERR(c, field, "expected an integer (0-based option index)");
            ok = 0;
            continue;
        }
        json_int_t kv = json_integer_value(v);
        if (nopt && (kv < 0 || (size_t)kv >= nopt)) {
            ERR(c, field, "%lld is out of range (%zu options, 0-based)", (long long)kv, nopt);
            ok = 0;
        } else if (kv <= prev) {
            ERR(c, field, "%lld after %lld: keys must be sorted and distinct", (long long)kv,
                (long long)prev);
            ok = 0;
        }
        prev = kv;
    }
    if (n < 1 || (nopt && n + 1 > nopt)) {
        ERR(c, "keys", "%zu keys, expected 1 to %zu (at least one option is not a key)", n,
            nopt ? nopt - 1 : 0);
        ok = 0;
    }
    if (ok)
        *nkeys = n;
}

/* Parameters of the formats without guessing: numeric is 2PL (1PL), multi is
 * a GRM with one threshold per key; uncalibrated priors as docs/bank-format.md
 * says (a <= RF_LINT_PRIOR_A_MAX, multi thresholds spaced by the prior step
 * around a b in the rating's band). */
static void check_nonguess_params(struct ctx *c, const json_t *o, enum rf_item_type t,
                                  size_t nkeys, int diff, int calibrated)
{
    struct rf_irt_item it;
    struct rf_err e;
    rf_err_clear(&e);
    if (rf_params_from_json(o, &it, "x", &e))
        return; /* reported by check_params */
    if (t == RF_ITEM_NUMERIC && it.model != RF_MODEL_2PL && it.model != RF_MODEL_1PL) {
        ERR(c, "model", "a numeric item has no guessing: use 2pl, got %s",
            rf_irt_model_name(it.model));
        return;
    }
    if (t == RF_ITEM_MULTI) {
        if (it.model != RF_MODEL_GRM) {
            ERR(c, "model", "a multi item is scored with partial credit: use grm, got %s",
                rf_irt_model_name(it.model));
            return;
        }
        if (nkeys && it.ncat != nkeys + 1) {
            ERR(c, "thresholds", "%zu thresholds, expected one per key (%zu)", it.ncat - 1, nkeys);
            return;
        }
    }
    if (calibrated)
        return;
    if (it.model != RF_MODEL_1PL && it.a > RF_LINT_PRIOR_A_MAX + 1e-9)
        ERR(c, "a", "%g: an uncalibrated item claims no slope above %g", it.a,
            RF_LINT_PRIOR_A_MAX);
    if (t != RF_ITEM_MULTI)
        return;
    size_t m = it.ncat - 1;
    double b = 0, prior[RF_MAX_CATEGORIES];
    for (size_t j = 0; j < m; j++)
        b += it.thr[j] / (double)m;
    rf_item_multi_prior_thresholds(b, m, prior);
    size_t off = 0;
    for (size_t j = 0; j < m; j++)
        off += fabs(it.thr[j] - prior[j]) > 0.011;
    if (off) {
        char want[160];
        size_t w = 0;
        for (size_t j = 0; j < m && w < sizeof want; j++)
            w += (size_t)snprintf(want + w, sizeof want - w, "%s%.2f", j ? ", " : "", prior[j]);
        WARN(c, "thresholds", "prior thresholds are b + (j - (m+1)/2) * %g around their mean b "
                              "= %.2f: [%s]",
             RF_ITEM_MULTI_PRIOR_STEP, b, want);
    }
    double lo, hi;
    rf_difficulty_band((enum rf_difficulty)diff, &lo, &hi);
    if (diff >= 0 && (b < lo - 0.006 || b > hi + 0.006))
        WARN(c, "thresholds", "their mean %.2f is outside the %s band [%g, %g] of the author's "
                              "rating",
             b, rf_difficulty_name((enum rf_difficulty)diff), lo, hi);
}

static void check_tags(struct ctx *c, const json_t *o)
{
    const json_t *t = json_object_get(o, "tags");
    if (!t) {
        WARN(c, "tags", "missing: name the concepts the item measures");
        return;
    }
    if (!json_is_array(t)) {
        ERR(c, "tags", "expected an array of strings");
        return;
    }
    if (json_array_size(t) == 0)
        WARN(c, "tags", "empty: name the concepts the item measures");
    for (size_t i = 0; i < json_array_size(t); i++) {
        const json_t *v = json_array_get(t, i);
        char field[32];
        snprintf(field, sizeof field, "tags[%zu]", i);
        if (!json_is_string(v)) {
            ERR(c, field, "expected a string");
            continue;
        }
        if (!is_snake(json_string_value(v)))
            WARN(c, field, "'%s' is not lower_snake_case", json_string_value(v));
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(t, j), (json_t *)v))
                WARN(c, field, "repeats tags[%zu]", j);
    }
}

/* A translated field keeps the original's code, math and numbers
 * (rf_markup_literals_differ). */
static void check_literals(struct ctx *c, const char *field, const char *orig, const char *trans)
{
    char msg[160];
    int d = orig && trans ? rf_markup_literals_differ(orig, trans, msg, sizeof msg) : 0;
    if (d < 0)
        c->rc = RF_ENOMEM;
    else if (d)
        ERR(c, field, "%s", msg);
}

/* A translation is complete or it is an error: a candidate never sees an item
 * half translated. Each language has stem and explanation, options when the
 * item has them (one per option, same order), unit when the item has one,
 * nothing else; every field keeps the original's code, math and numbers. */
static void check_translations(struct ctx *c, const json_t *o, size_t nopt)
{
    const json_t *tr = json_object_get(o, "translations");
    if (!tr)
        return;
    if (!json_is_object(tr)) {
        ERR(c, "translations", "expected an object of languages");
        return;
    }
    const int has_options = json_object_get(o, "options") != NULL;
    const json_t *unit = json_object_get(o, "unit");
    const char *lang;
    const json_t *t;
    json_object_foreach((json_t *)tr, lang, t)
    {
        char field[96];
        snprintf(field, sizeof field, "translations.%.40s", lang);
        if (!json_is_object(t)) {
            ERR(c, field, "expected an object with stem, options, explanation");
            continue;
        }
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)t, key, v)
        {
            if (strcmp(key, "stem") && strcmp(key, "explanation") && strcmp(key, "options") &&
                strcmp(key, "unit")) {
                snprintf(field, sizeof field, "translations.%.40s.%.40s", lang, key);
                ERR(c, field, "unknown field (stem, options, explanation, unit)");
            }
        }
        static const char *keys[] = {"stem", "explanation"};
        for (size_t k = 0; k < 2; k++) {
            v = json_object_get(t, keys[k]);
            snprintf(field, sizeof field, "translations.%.40s.%s", lang, keys[k]);
            if (!v || (json_is_string(v) && !*json_string_value(v)))
                ERR(c, field, "missing: a translation is complete or absent");
            else if (!json_is_string(v))
                ERR(c, field, "expected a string");
            else {
                check_markup(c, field, json_string_value(v));
                check_literals(c, field, rf_json_text(o, keys[k]), json_string_value(v));
            }
        }
        const json_t *op = json_object_get(t, "options");
        snprintf(field, sizeof field, "translations.%.40s.options", lang);
        if (!op && has_options)
            ERR(c, field, "missing: a translation is complete or absent");
        else if (op && !has_options)
            ERR(c, field, "the item has no options");
        else if (op && (!json_is_array(op) || json_array_size(op) != nopt))
            ERR(c, field, "expected an array of %zu strings, one per option", nopt);
        else if (op)
            for (size_t i = 0; i < nopt; i++) {
                v = json_array_get(op, i);
                if (!json_is_string(v)) {
                    ERR(c, field, "option %zu: expected a string", i);
                } else {
                    char f2[112];
                    snprintf(f2, sizeof f2, "%s[%zu]", field, i);
                    check_markup(c, f2, json_string_value(v));
                    check_literals(c, f2, json_string_value(json_array_get(
                                              json_object_get(o, "options"), i)),
                                   json_string_value(v));
                }
            }
        v = json_object_get(t, "unit");
        snprintf(field, sizeof field, "translations.%.40s.unit", lang);
        if (json_is_string(unit) && (!json_is_string(v) || !*json_string_value(v)))
            ERR(c, field, "missing: the item has a unit");
        else if (v && !json_is_string(unit))
            ERR(c, field, "the item has no unit");
    }
}

/* Length of an option in characters (UTF-8 code points), as a candidate sees it. */
static size_t option_chars(const char *p)
{
    size_t n = 0;
    for (; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return n;
}

/* Records the key's position and what the length strategies score on the
 * item: "pick the longest (shortest) option" is right with probability 1/t
 * when the key is one of the t options of that length, else 0. */
static void key_facts(const json_t *o, size_t nopt, struct rf_lint_rec *rec)
{
    const json_t *k = json_object_get(o, "key"), *a = json_object_get(o, "options");
    if (!json_is_integer(k) || !json_is_array(a) || nopt > RF_BANK_MAX_OPTIONS || nopt < 2)
        return;
    json_int_t key = json_integer_value(k);
    if (key < 0 || (size_t)key >= nopt)
        return;
    size_t len[RF_BANK_MAX_OPTIONS], lo = SIZE_MAX, hi = 0, nlo = 0, nhi = 0;
    for (size_t i = 0; i < nopt; i++) {
        const json_t *v = json_array_get(a, i);
        len[i] = json_is_string(v) ? option_chars(json_string_value(v)) : 0;
        lo = len[i] < lo ? len[i] : lo;
        hi = len[i] > hi ? len[i] : hi;
    }
    for (size_t i = 0; i < nopt; i++) {
        nlo += len[i] == lo;
        nhi += len[i] == hi;
    }
    rec->key = (int)key;
    rec->longest = len[key] == hi ? 1.0 / (double)nhi : 0.0;
    rec->shortest = len[key] == lo ? 1.0 / (double)nlo : 0.0;
    rec->nopt = nopt;
}

static int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The item's tag set as one string (sorted distinct tags joined by '\n'),
 * NULL when it has none. RF_ENOMEM only. */
static rf_status tag_key(const json_t *o, char **out)
{
    const json_t *t = json_object_get(o, "tags");
    *out = NULL;
    size_t n = json_is_array(t) ? json_array_size(t) : 0, m = 0, len = 1;
    if (n == 0 || n > RF_BANK_MAX_TAGS)
        return RF_OK;
    const char *v[RF_BANK_MAX_TAGS];
    for (size_t i = 0; i < n; i++)
        if (json_is_string(json_array_get(t, i))) {
            v[m] = json_string_value(json_array_get(t, i));
            len += strlen(v[m++]) + 1;
        }
    if (m == 0)
        return RF_OK;
    qsort(v, m, sizeof *v, cmp_cstr);
    char *k = malloc(len), *w = k;
    if (!k)
        return RF_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        if (i && strcmp(v[i], v[i - 1]) == 0)
            continue;
        size_t sl = strlen(v[i]);
        if (w != k)
            *w++ = '\n';
        memcpy(w, v[i], sl);
        w += sl;
    }
    *w = '\0';
    *out = k;
    return RF_OK;
}

/* Words too common to tell two scenarios apart (sorted for bsearch): function
 * words; the words of the answer formats ("give it to two decimals", "to the
 * nearest integer", "how many", "which statements are true? select all that
 * apply"), which every numeric or multi stem repeats whatever its scenario;
 * and Python's keywords and the names every snippet uses ("what does this
 * code print?", def, return), which are notation like TeX commands. */
static const char *const stop_words[] = {
    "about", "after", "all", "also", "and", "any", "append", "apply", "are", "been", "before",
    "being", "between", "both", "but", "can", "code", "could", "decimal", "decimals", "def",
    "did", "digits", "does", "done", "down", "each", "elif", "every", "false", "figures", "for",
    "from", "give", "had", "has", "have", "her", "his", "how", "import", "integer", "into",
    "its", "lambda", "least", "len", "less", "many", "may", "might", "more", "most", "must",
    "nearest", "new", "none", "not", "one", "only", "other", "our", "out", "over", "per",
    "places", "print", "python", "return", "same", "select", "self", "she", "should",
    "significant", "some", "statements", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "three", "true", "two", "under", "very", "via",
    "was", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with",
    "would", "yes", "you", "your",
};

static int is_stop_word(const char *w)
{
    const char *key = w;
    return bsearch(&key, stop_words, sizeof stop_words / sizeof stop_words[0], sizeof *stop_words,
                   cmp_cstr) != NULL;
}

/* The content words of a stem: the words of the stem folded as for near
 * duplicates, after dropping TeX command names ($\beta$, $\sqrt{v}$ are
 * notation, not scenario), of at least RF_LINT_SCENARIO_MIN_LEN bytes and not
 * stop words, as hashes. */
static rf_status content_words(const char *stem, uint64_t **tok, size_t *ntok)
{
    char *raw = rf_strdup(stem);
    if (!raw)
        return RF_ENOMEM;
    for (char *p = raw; *p;) {
        if (*p == '\\' && isalpha((unsigned char)p[1])) {
            *p++ = ' ';
            while (isalpha((unsigned char)*p))
                *p++ = ' ';
        } else {
            p++;
        }
    }
    char *folded = rf_text_fold_words(raw);
    free(raw);
    if (!folded)
        return RF_ENOMEM;
    size_t n = strlen(folded);
    char *buf = malloc(n + 1), *w = buf;
    if (!buf) {
        free(folded);
        return RF_ENOMEM;
    }
    for (size_t i = 0; i < n;) {
        while (i < n && folded[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && folded[j] != ' ')
            j++;
        char word[64];
        size_t wl = j - i;
        if (wl >= RF_LINT_SCENARIO_MIN_LEN && wl < sizeof word) {
            memcpy(word, folded + i, wl);
            word[wl] = '\0';
            if (!is_stop_word(word)) {
                if (w != buf)
                    *w++ = ' ';
                memcpy(w, word, wl);
                w += wl;
            }
        }
        i = j;
    }
    *w = '\0';
    free(folded);
    rf_status rc = buf[0] ? rf_text_shingles(buf, 1, tok, ntok) : RF_OK;
    free(buf);
    return rc;
}

/* What the per-skill and pair checks need of an item: its type, difficulty,
 * tag set and stem content words. */
static rf_status item_facts(const json_t *o, int type, const char *stem, struct rf_lint_rec *rec)
{
    struct rf_irt_item it;
    struct rf_err e;
    rf_err_clear(&e);
    rec->type = type;
    rec->b = NAN;
    if (rf_params_from_json(o, &it, "x", &e) == RF_OK) {
        if (it.model == RF_MODEL_GRM) {
            double m = 0;
            for (size_t k = 0; k + 1 < it.ncat; k++)
                m += it.thr[k] / (double)(it.ncat - 1);
            rec->b = m;
        } else {
            rec->b = it.b;
        }
    }
    if (tag_key(o, &rec->tagkey))
        return RF_ENOMEM;
    if (stem && rec->stem && content_words(stem, &rec->tok, &rec->ntok))
        return RF_ENOMEM;
    return RF_OK;
}

static const char *const known_fields[] = {
    "id",          "skill",      "type",       "stem", "options", "key",
    "explanation", "difficulty", "model",      "a",    "b",       "c",
    "d",           "thresholds", "calibrated", "tags", "lang",    "translations",
    "retired",     "answer",     "tolerance",  "unit", "keys",    "enemy",
    "recall",      "pool",
};

static rf_status add_rec(struct rf_lint *l, struct rf_lint_rec *r)
{
    if (l->nrecs == l->cap_recs) {
        size_t nc = l->cap_recs ? 2 * l->cap_recs : 256;
        struct rf_lint_rec *n = rf_realloc_array(l->recs, nc, sizeof *n);
        if (!n)
            return RF_ENOMEM;
        l->recs = n;
        l->cap_recs = nc;
    }
    l->recs[l->nrecs++] = *r;
    return RF_OK;
}

static rf_status lint_item(struct rf_lint *l, const json_t *o, size_t file_idx, size_t pos,
                           const char *file_skill)
{
    struct ctx c = {.l = l, .file_idx = file_idx, .pos = pos};
    struct rf_lint_rec rec = {
        .diff = RF_DIFF_NONE, .key = -1, .type = -1, .b = NAN, .file_idx = file_idx, .pos = pos};
    snprintf(c.item, sizeof c.item, "items[%zu]", pos);
    l->nitems++;
    if (!json_is_object(o)) {
        ERR(&c, NULL, "expected an object");
        return c.rc;
    }
    const char *id = get_str(&c, o, "id", 1);
    if (id && !id[0]) {
        ERR(&c, "id", "empty");
        id = NULL;
    } else if (id && strlen(id) > RF_MAX_ID_LEN) {
        ERR(&c, "id", "longer than %d bytes", RF_MAX_ID_LEN);
        id = NULL;
    }
    if (id)
        snprintf(c.item, sizeof c.item, "%s", id);
    const char *skill = get_str(&c, o, "skill", 1);
    if (skill && !skill[0]) {
        ERR(&c, "skill", "empty");
        skill = NULL;
    }
    if (skill && file_skill && strcmp(skill, file_skill) != 0)
        ERR(&c, "skill", "'%s' differs from the file's skill '%s'", skill, file_skill);
    size_t si;
    if (skill && l->tax && rf_taxonomy_find(l->tax, skill, &si))
        ERR(&c, "skill", "unknown skill '%s' (not in the taxonomy)", skill);
    if (id)
        check_id_format(&c, id, skill);

    const char *type = get_str(&c, o, "type", 1);
    enum rf_item_type t = RF_ITEM_MCQ;
    int known_type = type && rf_item_type_parse(type, &t) == RF_OK;
    if (type && !known_type)
        ERR(&c, "type", "unknown type '%s' (use mcq, rubric, numeric or multi)", type);
    int mcq = known_type && t == RF_ITEM_MCQ; /* type-specific checks need a known type */
    int multi = known_type && t == RF_ITEM_MULTI, numeric = known_type && t == RF_ITEM_NUMERIC;

    const char *stem = get_str(&c, o, "stem", 1);
    if (stem) {
        check_markup(&c, "stem", stem);
        rec.stem = rf_text_fold_words(stem);
        if (!rec.stem)
            return RF_ENOMEM;
        if (!rec.stem[0])
            ERR(&c, "stem", "empty");
        else if (rf_text_shingles(rec.stem, RF_LINT_SHINGLE_K, &rec.sh, &rec.nsh))
            c.rc = RF_ENOMEM;
    }
    size_t nopt = 0, nkeys = 0;
    if (mcq) {
        check_options(&c, o, &nopt, RF_LINT_MIN_OPTIONS, RF_LINT_MAX_OPTIONS);
        check_key(&c, o, nopt);
        key_facts(o, nopt, &rec);
    }
    if (multi) {
        check_options(&c, o, &nopt, RF_LINT_MULTI_MIN_OPTIONS, RF_LINT_MULTI_MAX_OPTIONS);
        check_multi_keys(&c, o, stem, nopt, &nkeys);
    }
    if (numeric)
        check_numeric(&c, o, stem);
    const char *expl = get_str(&c, o, "explanation", 1);
    if (expl) {
        size_t w = count_words(expl);
        if (w == 0)
            ERR(&c, "explanation", "empty: say why the key is right and the most tempting "
                                   "distractor wrong");
        else if (w < RF_LINT_MIN_EXPL_WORDS)
            WARN(&c, "explanation", "%zu words: too short to teach why the key is right", w);
        check_markup(&c, "explanation", expl);
    }
    const char *diff = get_str(&c, o, "difficulty", 1);
    if (diff) {
        rec.diff = rf_difficulty_parse(diff);
        if (rec.diff == RF_DIFF_NONE)
            ERR(&c, "difficulty", "'%s' is not easy, medium, hard or expert", diff);
    }
    const json_t *cal = json_object_get(o, "calibrated");
    if (!cal)
        WARN(&c, "calibrated", "missing (false while parameters are priors)");
    else if (!json_is_boolean(cal))
        ERR(&c, "calibrated", "expected true or false");
    const json_t *ret = json_object_get(o, "retired");
    if (ret && !json_is_boolean(ret))
        ERR(&c, "retired", "expected true or false");
    rec.retired = ret && json_is_true(ret);
    const json_t *recall = json_object_get(o, "recall");
    if (recall && !json_is_boolean(recall))
        ERR(&c, "recall", "expected true or false");
    rec.recall = recall && json_is_true(recall);
    const json_t *pool = json_object_get(o, "pool");
    enum rf_item_pool pv = RF_POOL_OPERATIONAL;
    if (pool && (!json_is_string(pool) || rf_item_pool_parse(json_string_value(pool), &pv)))
        ERR(&c, "pool", "expected \"practice\", \"operational\" or \"pretest\"");
    const json_t *env = json_object_get(o, "enemy");
    rec.pool =
        pool ? (int)pv
             : (int)rf_item_pool_rule(id, json_is_string(env) ? json_string_value(env) : NULL);
    check_params(&c, o, mcq, nopt, rec.diff, cal && json_is_true(cal));
    if (multi || numeric)
        check_nonguess_params(&c, o, t, nkeys, rec.diff, cal && json_is_true(cal));
    check_tags(&c, o);
    const json_t *en = json_object_get(o, "enemy");
    if (en && !json_is_string(en))
        ERR(&c, "enemy", "expected a string (the enemy group)");
    else if (en && !rf_item_enemy_valid(json_string_value(en)))
        ERR(&c, "enemy", "'%.80s' is not a lower_snake_case group name of 1 to %d bytes",
            json_string_value(en), RF_ITEM_MAX_ENEMY_LEN);
    else if (en && !(rec.enemy = rf_strdup(json_string_value(en))))
        c.rc = RF_ENOMEM;
    const json_t *lang = json_object_get(o, "lang");
    if (!lang)
        WARN(&c, "lang", "missing (en)");
    else if (!json_is_string(lang))
        ERR(&c, "lang", "expected a string");
    else if (strcmp(json_string_value(lang), "en") != 0)
        WARN(&c, "lang", "'%s': the bank's base language is en (put others in translations)",
             json_string_value(lang));
    check_translations(&c, o, nopt);
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        size_t i = 0;
        while (i < sizeof known_fields / sizeof known_fields[0] && strcmp(k, known_fields[i]))
            i++;
        if (i == sizeof known_fields / sizeof known_fields[0])
            WARN(&c, k, "unknown field (ignored by rolefit)");
    }
    rec.id = id ? rf_strdup(id) : NULL;
    rec.skill = skill ? rf_strdup(skill) : NULL;
    if ((id && !rec.id) || (skill && !rec.skill) || c.rc ||
        item_facts(o, known_type ? (int)t : -1, stem, &rec) || add_rec(l, &rec)) {
        free(rec.id);
        free(rec.skill);
        free(rec.stem);
        free(rec.sh);
        free(rec.enemy);
        free(rec.tagkey);
        free(rec.tok);
        return RF_ENOMEM;
    }
    return RF_OK;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

rf_status rf_lint_add_mem(struct rf_lint *l, const char *name, const char *data, size_t len,
                          struct rf_err *err)
{
    char **f = rf_realloc_array(l->files, l->nfiles + 1, sizeof *f);
    if (!f)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    l->files = f;
    if (!(f[l->nfiles] = rf_strdup(name)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    size_t fi = l->nfiles++;
    struct ctx c = {.l = l, .file_idx = fi, .pos = 0};
    json_t *root;
    struct rf_err je;
    rf_err_clear(&je);
    if (rf_json_load_mem(name, data, len, &root, &je)) {
        const char *m = je.msg;
        size_t n = strlen(name);
        if (strncmp(m, name, n) == 0 && m[n] == ':')
            m += n + 1; /* keep "LINE:COL: text" */
        ERR(&c, NULL, "invalid JSON at %s", m);
        return c.rc ? rf_err_set(err, c.rc, "out of memory") : RF_OK;
    }
    const json_t *items = json_object_get(root, "items");
    const char *file_skill = NULL;
    if (!json_is_object(root) || !json_is_array(items)) {
        ERR(&c, NULL, "expected an object {\"skill\": ..., \"items\": [...]}");
    } else {
        const json_t *s = json_object_get(root, "skill");
        if (!s) {
            WARN(&c, "skill", "missing at the top of the file");
        } else if (!json_is_string(s)) {
            ERR(&c, "skill", "expected a string");
        } else {
            file_skill = json_string_value(s);
            const char *b = base_name(name);
            size_t n = strlen(file_skill);
            if (strncmp(b, file_skill, n) != 0 || strcmp(b + n, ".json") != 0)
                WARN(&c, "skill", "file of skill '%s' should be named %s.json", file_skill,
                     file_skill);
        }
        if (json_array_size(items) == 0)
            WARN(&c, "items", "no items");
        for (size_t i = 0; !c.rc && i < json_array_size(items); i++)
            c.rc = lint_item(l, json_array_get(items, i), fi, i, file_skill);
    }
    json_decref(root);
    return c.rc ? rf_err_set(err, c.rc, "out of memory") : RF_OK;
}

rf_status rf_lint_add_file(struct rf_lint *l, const char *path, struct rf_err *err)
{
    char *data;
    size_t len;
    struct rf_err e;
    rf_err_clear(&e);
    rf_status rc = rf_file_read(path, RF_MAX_JSON_BYTES, &data, &len, &e);
    if (rc == RF_ENOMEM)
        return rf_err_set(err, rc, "out of memory");
    if (rc) {
        char **f = rf_realloc_array(l->files, l->nfiles + 1, sizeof *f);
        if (!f || !(f[l->nfiles] = rf_strdup(path))) {
            if (f)
                l->files = f;
            return rf_err_set(err, RF_ENOMEM, "out of memory");
        }
        l->files = f;
        l->nfiles++;
        if (rf_lint_diag_add(l, RF_LINT_ERROR, l->nfiles - 1, 0, NULL, NULL, "%s", e.msg))
            return rf_err_set(err, RF_ENOMEM, "out of memory");
        return RF_OK;
    }
    rc = rf_lint_add_mem(l, path, data, len, err);
    free(data);
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

rf_status rf_lint_add_dir(struct rf_lint *l, const char *dir, struct rf_err *err)
{
    free(l->root);
    if (!(l->root = rf_strdup(dir)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    DIR *d = opendir(dir);
    if (!d)
        return rf_err_set(err, RF_EIO, "%s: cannot open directory: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    rf_status rc = RF_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            char **nn = rf_realloc_array(names, nc, sizeof *nn);
            if (!nn) {
                rc = RF_ENOMEM;
                break;
            }
            names = nn;
            cap = nc;
        }
        size_t plen = strlen(dir) + len + 2;
        if (!(names[n] = malloc(plen))) {
            rc = RF_ENOMEM;
            break;
        }
        snprintf(names[n++], plen, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (rc)
        rf_err_set(err, rc, "out of memory");
    else if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; !rc && i < n; i++)
        rc = rf_lint_add_file(l, names[i], err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int cmp_diag(const void *x, const void *y)
{
    const struct rf_lint_diag *a = x, *b = y;
    if (a->file_idx != b->file_idx)
        return a->file_idx < b->file_idx ? -1 : 1;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

rf_status rf_lint_finish(struct rf_lint *l, struct rf_err *err)
{
    rf_status rc = rf_lint_bankwide(l);
    if (rc)
        return rf_err_set(err, rc, "out of memory");
    if (l->ndiags)
        qsort(l->diags, l->ndiags, sizeof *l->diags, cmp_diag);
    return RF_OK;
}
