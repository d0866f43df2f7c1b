/*
 * Private to the bank linter (lint.c, lint_bankwide.c): the record lint.c
 * keeps of each item for the checks that compare items, the one function
 * that records a diagnostic, and the bank-wide checks themselves. Nothing
 * else includes it; the public door is lint.h.
 */
#ifndef RF_BANK_LINT_BANKWIDE_H
#define RF_BANK_LINT_BANKWIDE_H

#include <stddef.h>
#include <stdint.h>

#include "bank/lint.h"
#include "base/err.h"

struct rf_lint_rec {
    char *id;     /* owned, NULL when unusable */
    char *skill;  /* owned, NULL when unusable */
    char *stem;   /* owned folded stem (rf_text_fold_words), NULL when absent */
    uint64_t *sh; /* owned shingles */
    size_t nsh;
    int diff; /* enum rf_difficulty */
    int retired;
    int recall;      /* marked recall, not applied */
    int pool;        /* enum rf_item_pool (bank/item.h), the field or the rule */
    int key;         /* mcq key when usable, else -1 */
    double longest;  /* mcq: what "pick the longest option" scores (1/ties when the key is one) */
    double shortest; /* mcq: the same for "pick the shortest option" */
    char *enemy;     /* owned enemy group, NULL when none */
    size_t nopt;     /* options of an mcq item */
    int type;        /* enum rf_item_type, -1 when unknown */
    double b;        /* difficulty (multi: mean threshold), NAN when unusable */
    char *tagkey;    /* owned: the sorted distinct tags joined by '\n', NULL when none */
    uint64_t *tok;   /* owned content words of the stem (hashes, sorted, distinct) */
    size_t ntok;
    size_t file_idx, pos;
};

/* The one place a diagnostic is recorded (file_idx SIZE_MAX: the bank
 * itself; pos SIZE_MAX: the file rather than an item; item and field may be
 * NULL). Returns RF_ENOMEM only. */
rf_status rf_lint_diag_add(struct rf_lint *l, enum rf_lint_level lv, size_t file_idx, size_t pos,
                           const char *item, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* The checks across items, over l->recs: duplicate ids and stems,
 * near-duplicate stems, per skill counts, difficulty spread, key positions
 * and format targets, likely enemies outside one enemy group, enemy groups
 * of one. Returns RF_ENOMEM only. */
rf_status rf_lint_bankwide(struct rf_lint *l);

#endif
