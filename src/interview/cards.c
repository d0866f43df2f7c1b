/*
 * The scorecards CSV reader (interview/cards.h).
 */
#include "interview/cards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/csv.h"
#include "base/mem.h"

enum { COL_CAND, COL_RATER, COL_ROUND, COL_SLOT, COL_CRIT, COL_SCORE, NCOLS };
static const char *const col_names[NCOLS] = {"candidate", "interviewer", "round",
                                             "slot",      "criterion",   "score"};

void rf_iv_cards_cleanup(struct rf_iv_cards *c)
{
    for (size_t i = 0; c->persons && i < c->npersons; i++)
        free(c->persons[i]);
    for (size_t i = 0; c->raters && i < c->nraters; i++)
        free(c->raters[i]);
    free(c->persons);
    free(c->raters);
    free(c->r);
    memset(c, 0, sizeof *c);
}

size_t rf_iv_cards_index(char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    return (size_t)-1;
}

/* The index of id in *ids, appended when new. (size_t)-1 on no memory. */
static size_t intern(char ***ids, size_t *n, const char *id)
{
    size_t i = rf_iv_cards_index(*ids, *n, id);
    if (i != (size_t)-1)
        return i;
    char **p = rf_realloc_array(*ids, *n + 1, sizeof *p);
    if (!p)
        return (size_t)-1;
    *ids = p;
    if (!(p[*n] = rf_strdup(id)))
        return (size_t)-1;
    return (*n)++;
}

/* Parses a whole number in lo..hi; 0 when s is not one. */
static int whole(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* One data row into x (person and rater interned into c); rcol the
 * optional role column ((size_t)-1: none). */
static rf_status row(struct rf_csv *csv, const size_t *col, size_t rcol, const struct rf_kits *k,
                     const struct rf_iv_bank *b, struct rf_iv_cards *c, struct rf_iv_rating *x,
                     struct rf_err *err)
{
    const char *f[NCOLS];
    for (size_t i = 0; i < NCOLS; i++) {
        f[i] = col[i] < csv->nfields ? csv->fields[col[i]] : "";
        if ((i == COL_CAND || i == COL_RATER) && (!*f[i] || strlen(f[i]) > RF_MAX_ID_LEN))
            return rf_err_set(err, RF_EINVAL, "%s:%zu: field '%s': expected an id of 1..%d bytes",
                              csv->name, csv->rec_line, col_names[i], RF_MAX_ID_LEN);
    }
    size_t u = rf_iv_bank_rubric(b, f[COL_ROUND]);
    if (u == (size_t)-1)
        return rf_err_set(err, RF_EINVAL,
                          "%s:%zu: field 'round': '%.64s' is not a round or take-home of the kits",
                          csv->name, csv->rec_line, f[COL_ROUND]);
    char id[2 * RF_MAX_ID_LEN + 2];
    snprintf(id, sizeof id, "%s.%.*s", f[COL_ROUND], RF_MAX_ID_LEN, f[COL_CRIT]);
    size_t j = rf_iv_bank_find(b, id);
    if (j == (size_t)-1 || b->crit[j].rubric != u)
        return rf_err_set(err, RF_EINVAL,
                          "%s:%zu: field 'criterion': '%.64s' is not in the rubric of '%s'",
                          csv->name, csv->rec_line, f[COL_CRIT], f[COL_ROUND]);
    long slot, score;
    if (!whole(f[COL_SLOT], 1, RF_IV_MAX_SLOT, &slot))
        return rf_err_set(err, RF_EINVAL,
                          "%s:%zu: field 'slot': '%.32s' is not a whole number in 1..%d", csv->name,
                          csv->rec_line, f[COL_SLOT], RF_IV_MAX_SLOT);
    if (!whole(f[COL_SCORE], k->min, k->max, &score))
        return rf_err_set(err, RF_EINVAL, "%s:%zu: field 'score': '%.32s' is outside %d..%d",
                          csv->name, csv->rec_line, f[COL_SCORE], k->min, k->max);
    const char *rid = rcol < csv->nfields ? csv->fields[rcol] : "";
    const struct rf_role *role = NULL;
    if (*rid && !(k->careers && (role = rf_roles_find(&k->careers->roles, rid))))
        return rf_err_set(err, RF_EINVAL, "%s:%zu: field 'role': '%.64s' is not a role",
                          csv->name, csv->rec_line, rid);
    size_t p = intern(&c->persons, &c->npersons, f[COL_CAND]);
    size_t r = p == (size_t)-1 ? p : intern(&c->raters, &c->nraters, f[COL_RATER]);
    if (r == (size_t)-1)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", csv->name);
    *x = (struct rf_iv_rating){.person = p,
                               .slot = (size_t)slot,
                               .crit = j,
                               .rater = r,
                               .score = (size_t)(score - k->min),
                               .bar = role ? rf_iv_bar(&k->careers->tax, role, b->crit[j].skill)
                                           : 0.0};
    return RF_OK;
}

/* Orders ratings by person, slot, criterion, rater, then line. */
static int by_card(const void *pa, const void *pb)
{
    const struct rf_iv_rating *a = pa, *b = pb;
    size_t ka[] = {a->person, a->slot, a->crit, a->rater, a->score >> 8};
    size_t kb[] = {b->person, b->slot, b->crit, b->rater, b->score >> 8};
    for (size_t i = 0; i < 5; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/* Refuses a criterion scored twice by one interviewer in one slot (naming the
 * second line), then takes the lines out of the scores and restores the
 * file's order. */
static rf_status duplicates(const char *name, const struct rf_iv_bank *b, struct rf_iv_cards *c,
                            struct rf_err *err)
{
    struct rf_iv_rating *s = rf_alloc_array(c->n ? c->n : 1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", name);
    memcpy(s, c->r, c->n * sizeof *s);
    qsort(s, c->n, sizeof *s, by_card);
    for (size_t i = 1; i < c->n; i++)
        if (s[i].person == s[i - 1].person && s[i].slot == s[i - 1].slot &&
            s[i].crit == s[i - 1].crit && s[i].rater == s[i - 1].rater) {
            rf_status rc = rf_err_set(err, RF_EINVAL,
                                      "%s:%zu: field 'criterion': '%s' scored '%s' of slot %zu "
                                      "for '%s' before",
                                      name, s[i].score >> 8, c->raters[s[i].rater],
                                      b->ids[s[i].crit], s[i].slot, c->persons[s[i].person]);
            free(s);
            return rc;
        }
    free(s);
    for (size_t i = 0; i < c->n; i++)
        c->r[i].score &= 0xff;
    return RF_OK;
}

static rf_status parse(struct rf_csv *csv, const struct rf_kits *k, const struct rf_iv_bank *b,
                       struct rf_iv_cards *c, struct rf_err *err)
{
    int eof;
    rf_status rc = rf_csv_next(csv, &eof);
    if (rc)
        return rf_err_set(err, rc, "%s", rf_err_msg(&csv->err));
    if (eof)
        return rf_err_set(err, RF_EINVAL, "%s: empty file (expected a header)", csv->name);
    size_t col[NCOLS];
    for (size_t i = 0; i < NCOLS; i++) {
        col[i] = (size_t)-1;
        for (size_t f = 0; f < csv->nfields; f++)
            if (strcmp(csv->fields[f], col_names[i]) == 0)
                col[i] = f;
        if (col[i] == (size_t)-1)
            return rf_err_set(err, RF_EINVAL, "%s:%zu: header: no column '%s'", csv->name,
                              csv->rec_line, col_names[i]);
    }
    size_t rcol = (size_t)-1; /* optional: the role the candidate was interviewed for */
    for (size_t f = 0; f < csv->nfields; f++)
        if (strcmp(csv->fields[f], "role") == 0)
            rcol = f;
    size_t cap = 0;
    while (!(rc = rf_csv_next(csv, &eof)) && !eof) {
        if (c->n == cap) {
            size_t nc = cap ? 2 * cap : 256;
            struct rf_iv_rating *p = rf_realloc_array(c->r, nc, sizeof *p);
            if (!p)
                return rf_err_set(err, RF_ENOMEM, "%s: out of memory", csv->name);
            c->r = p;
            cap = nc;
        }
        if ((rc = row(csv, col, rcol, k, b, c, &c->r[c->n], err)))
            return rc;
        c->r[c->n].score |= (size_t)csv->rec_line << 8; /* the line, until the duplicate check */
        c->n++;
    }
    if (rc)
        return rf_err_set(err, rc, "%s", rf_err_msg(&csv->err));
    return duplicates(csv->name, b, c, err);
}

static rf_status finish(struct rf_csv *csv, rf_status rc, const struct rf_kits *k,
                        const struct rf_iv_bank *b, struct rf_iv_cards *out, struct rf_err *err)
{
    struct rf_iv_cards c = {0};
    if (rc)
        rc = rf_err_set(err, rc, "%s", rf_err_msg(&csv->err));
    else
        rc = parse(csv, k, b, &c, err);
    rf_csv_cleanup(csv);
    if (rc)
        rf_iv_cards_cleanup(&c);
    *out = c; /* empty on error */
    return rc;
}

rf_status rf_iv_cards_parse(const char *name, const char *data, size_t len, const struct rf_kits *k,
                            const struct rf_iv_bank *b, struct rf_iv_cards *out, struct rf_err *err)
{
    struct rf_csv csv;
    rf_status rc = rf_csv_open_mem(&csv, name, data, len);
    return finish(&csv, rc, k, b, out, err);
}

rf_status rf_iv_cards_load(const char *path, const struct rf_kits *k, const struct rf_iv_bank *b,
                           struct rf_iv_cards *out, struct rf_err *err)
{
    struct rf_csv csv;
    rf_status rc = rf_csv_open_file(&csv, path);
    return finish(&csv, rc, k, b, out, err);
}
