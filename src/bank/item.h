/*
 * One item of an item bank, as described in docs/bank-format.md, read from
 * and written to its JSON object. Strings are owned by the item and never
 * NULL once loaded (absent optional strings are ""); lang defaults to "en".
 * Invariants of a loaded item: id non-empty and at most RF_MAX_ID_LEN bytes;
 * an mcq item has 2..RF_BANK_MAX_OPTIONS options, 0 <= key < noptions and a
 * dichotomous model (ncat == 2); a numeric item has no options, a finite
 * answer, a finite tolerance >= 0 and a dichotomous model without guessing
 * (1pl or 2pl); a multi item has 2..RF_BANK_MAX_OPTIONS options, 1..noptions-1
 * keys strictly increasing in range, and a grm model with nkeys + 1
 * categories; irt passed rf_irt_item_validate.
 */
#ifndef RF_BANK_ITEM_H
#define RF_BANK_ITEM_H

#include <jansson.h>
#include <stddef.h>

#include "base/config.h"
#include "base/err.h"
#include "irt/model.h"

/* mcq: one key among options (3PL or 2PL); rubric: graded by a rater (GRM);
 * numeric: a typed number, right within a tolerance (2PL); multi: select all
 * that apply, scored max(0, keys - non-keys selected) (GRM, nkeys + 1 categories). */
enum rf_item_type { RF_ITEM_MCQ, RF_ITEM_RUBRIC, RF_ITEM_NUMERIC, RF_ITEM_MULTI };

/* Author's difficulty ratings, in increasing order. */
/* The pool of an item (docs/bank-format.md "Pools"): practice items are
 * disclosed (practice reports show their keys and explanations); operational
 * items are asked only by an organization's tests, whose reports never show
 * a question; pretest items are new items seeded unscored into operational
 * tests until calibration promotes them (docs/calibration.md "Online
 * calibration"). */
enum rf_item_pool { RF_POOL_OPERATIONAL = 0, RF_POOL_PRACTICE, RF_POOL_PRETEST };
#define RF_NPOOLS 3

enum rf_difficulty { RF_DIFF_NONE = -1, RF_DIFF_EASY = 0, RF_DIFF_MEDIUM, RF_DIFF_HARD, RF_DIFF_EXPERT };
#define RF_NDIFF 4 /* rated bands, RF_DIFF_EASY..RF_DIFF_EXPERT */

struct rf_item {
    char *id, *skill, *stem, *explanation, *difficulty, *lang; /* owned */
    enum rf_item_type type;
    char **options; /* owned; mcq and multi (NULL and 0 for rubric and numeric items) */
    size_t noptions;
    int key; /* mcq: 0-based index of the correct option; -1 for other types */
    double answer, tolerance; /* numeric: right iff |x - answer| <= tolerance; else 0 */
    char *unit;               /* owned; numeric: shown after the input box; "" when none */
    size_t nkeys;             /* multi: number of correct options; 0 for other types */
    int keys[RF_BANK_MAX_OPTIONS]; /* multi: 0-based indices of the correct options, sorted */
    char **tags; /* owned */
    size_t ntags;
    char *enemy; /* owned: the enemy group (lower_snake_case), "" when none; items of one
                    group are never given in one test */
    int calibrated, retired;
    enum rf_item_pool pool; /* the field "pool", else rf_item_pool_rule(id, enemy) */
    int pool_set;           /* the bank names the pool (written back by rf_item_to_json) */
    int recall; /* the author marked the item recall (a definition, fact or formula drill),
                   not applied; counted by lint and bank stats, unused by the engine */
    struct rf_irt_item irt; /* model parameters */
    json_t *translations;   /* owned reference or NULL */
    const char *file;       /* borrowed: file it came from (for messages), may be NULL */
};

/* Reads item number index of file from its JSON object. Messages name the
 * place: "FILE: items[3]: missing field 'id'" until the id is known, then
 * "FILE: item 'ml.loss.003': field 'key': 4 is out of range (4 options)".
 * file (may be NULL: "<memory>") is stored as it->file, borrowed. Checks only
 * what makes the item safe to use; quality checks belong to the linter.
 * On failure *it is untouched and nothing is leaked. */
rf_status rf_item_from_json(const json_t *obj, const char *file, size_t index,
                            struct rf_item *it, struct rf_err *err);

/* Builds the JSON object of an item (the bank format; "d" is not written).
 * Caller json_decref()s *out. RF_ENOMEM only. */
rf_status rf_item_to_json(const struct rf_item *it, json_t **out);

/* Deep copy of src into dst (dst->file borrows src->file). */
rf_status rf_item_copy(const struct rf_item *src, struct rf_item *dst);

/* Frees what the item owns and zeroes it. */
void rf_item_cleanup(struct rf_item *it);

/* The languages a test can be given in: the bank's own (English) and those
 * its items are translated into (bank lint checks each translation is
 * complete). rf_item_lang_known: 1 for "en" and "ja". */
#define RF_ITEM_LANGS "en, ja"
int rf_item_lang_known(const char *lang);

/* it as a candidate reads it in lang: *view is a copy of *it whose stem,
 * options, explanation, unit and lang come from translations.<lang> when the
 * item has a complete translation (opts, capacity RF_BANK_MAX_OPTIONS, holds
 * the translated options), else it is *it unchanged. The view borrows every
 * string from it and its translations: never clean it up, and use it only
 * while it lives. Returns 1 when translated, 0 when not (or lang is "en"). */
int rf_item_in_lang(const struct rf_item *it, const char *lang, struct rf_item *view,
                    char **opts);

/* "mcq" / "rubric" / "numeric" / "multi", and the reverse (RF_EINVAL for other names). */
const char *rf_item_type_name(enum rf_item_type t);
rf_status rf_item_type_parse(const char *s, enum rf_item_type *out);

/* The prior thresholds of an uncalibrated multi item with m keys (docs/bank-format.md):
 * t_j = b + (j - (m + 1) / 2) * RF_ITEM_MULTI_PRIOR_STEP for j = 1..m, rounded to 2
 * decimals, into thr[0..m-1]. */
void rf_item_multi_prior_thresholds(double b, size_t m, double *thr);

/* The author's prior parameters of it by its format and rating (docs/bank-format.md
 * "Prior parameters"): an mcq item with k options 3PL a = 1, c = 1/k; a numeric item
 * 2PL a = 1; b the rating's midpoint (rf_difficulty_prior_b, "medium" when unrated); a
 * multi item GRM a = 1 with rf_item_multi_prior_thresholds; a rubric item its own
 * thresholds with a = 1. What `bank import` gives a foreign item, and the prior the
 * re-estimation of items in use shrinks a calibrated item towards. */
void rf_item_prior_params(const struct rf_item *it, struct rf_irt_item *out);

/* "easy" / "medium" / "hard" / "expert" -> RF_DIFF_*; anything else (or NULL) RF_DIFF_NONE. */
enum rf_difficulty rf_difficulty_parse(const char *s);
const char *rf_difficulty_name(enum rf_difficulty d); /* "" for RF_DIFF_NONE */

/* The author's prior difficulty b for a rating (docs/bank-format.md bands:
 * easy -1.3, medium 0.0, hard 1.45, expert 2.6, the band midpoints). */
double rf_difficulty_prior_b(enum rf_difficulty d);

/* The band [*lo, *hi] of prior b values of a rating (docs/bank-format.md):
 * easy -2.0..-0.6, medium -0.5..0.6, hard 0.7..2.2, expert 2.2..3.0.
 * RF_DIFF_NONE gives the whole plausible range. */
void rf_difficulty_band(enum rf_difficulty d, double *lo, double *hi);

/* "operational" / "practice" / "pretest", and the reverse (RF_EINVAL otherwise). */
const char *rf_item_pool_name(enum rf_item_pool p);
rf_status rf_item_pool_parse(const char *s, enum rf_item_pool *out);

/* The pool of an item the bank does not place: the stable rule of
 * docs/bank-format.md "Pools". The 64-bit FNV-1a hash of the enemy group
 * (or of the id when the item has none) modulo RF_POOL_PRACTICE_MOD is 0 for
 * practice, else operational; so an enemy group is never split across the
 * pools (a practice twin would disclose an operational item), and adding or
 * removing other items moves no item. */
enum rf_item_pool rf_item_pool_rule(const char *id, const char *enemy);

/* Whether s is a valid enemy group name: lower_snake_case (a-z first, then
 * a-z, 0-9, _), 1..RF_ITEM_MAX_ENEMY_LEN bytes. */
int rf_item_enemy_valid(const char *s);

#endif
