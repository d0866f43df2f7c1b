/*
 * A candidate's answer to one item, parsed, checked and scored as
 * docs/bank-format.md says, for every format: mcq (one option index),
 * numeric (a number typed as text, right within the item's tolerance) and
 * multi (a set of option indices, partial credit max(0, keys selected -
 * non-keys selected)). The score is the item's response category, the value
 * the adaptive engine and calibration take: 0/1 for mcq and numeric, 0..m
 * for a multi item with m keys.
 *
 * A response also has a stored form, the text kept beside the category so
 * that reports and calibration can re-score it: mcq "2" (the option index),
 * numeric the text as typed without surrounding spaces, multi the sorted
 * 0-based indices "0,3" ("" for nothing selected). All functions are pure
 * and allocate nothing.
 */
#ifndef RF_BANK_ANSWER_H
#define RF_BANK_ANSWER_H

#include <stddef.h>

#include "base/config.h"
#include "base/err.h"
#include "bank/item.h"

struct rf_response {
    enum rf_item_type type;
    int choice;                        /* mcq: the option index; -1 otherwise */
    double value;                      /* numeric: the number */
    char text[RF_ANSWER_MAX_TEXT + 1]; /* numeric: as typed, trimmed */
    size_t nsel;                       /* multi: options selected */
    int sel[RF_BANK_MAX_OPTIONS];      /* multi: their indices, increasing */
};

/* Parses a typed number: optional spaces, an optional sign, digits with an
 * optional decimal point (".5" and "5." too), an optional exponent ("1e-3"),
 * optional spaces. RF_EINVAL with a one-line message naming the problem for
 * anything else (empty text, "1,5", "5 ms", "0x10", "inf", "nan", "1/2"), a
 * text longer than RF_ANSWER_MAX_TEXT, or a number too large for a double.
 * *out is untouched on failure. */
rf_status rf_answer_parse_number(const char *text, double *out, struct rf_err *err);

/* Why a typed number was refused: stable codes (the server sends them as the
 * refusal's reason, docs/api.md "Errors"). */
#define RF_ANSWER_WHY_EMPTY "number_empty"       /* nothing typed */
#define RF_ANSWER_WHY_COMMA "number_comma"       /* a decimal comma: "1,5" */
#define RF_ANSWER_WHY_SYNTAX "number_syntax"     /* not a number: "0x10", "1/2" */
#define RF_ANSWER_WHY_TOO_LONG "number_too_long" /* over RF_ANSWER_MAX_TEXT bytes */
#define RF_ANSWER_WHY_TOO_LARGE "number_too_large"
#define RF_ANSWER_WHY_UNIT "number_unit" /* another unit than the item's: "5 s" for ms */

/* Whether x is right for numeric item it: |x - answer| <= tolerance +
 * RF_ANSWER_REL_SLACK * max(1, |answer|). */
int rf_answer_numeric_right(const struct rf_item *it, double x);

/* The multi score max(0, keys selected - non-keys selected) of sel[0..n-1]
 * (indices assumed distinct and in range). */
size_t rf_answer_multi_score(const struct rf_item *it, const int *sel, size_t n);

/* Builders of a checked response to item it; each refuses (RF_EINVAL, a
 * one-line message) an answer of the wrong format for the item's type.
 * mcq: choice in 0..noptions-1. numeric: text as for rf_answer_parse_number,
 * as a candidate types it: full-width digits, point, comma and signs (a
 * Japanese input method's) and U+2212 read as ASCII, commas that group
 * thousands ("80,000", "1,234.5") dropped, and the item's own unit typed
 * after the number ("62.77 ms", "12%", "12％" for %) taken off; r->text
 * keeps the number as typed, without the unit. A number followed by another
 * word or unit ("62.77 s" for an item in ms) is refused, naming the item's
 * unit: never read in a unit the candidate did not mean.
 * multi: sel[0..n-1] distinct indices in 0..noptions-1, any order (n may be
 * 0: nothing selected). *r is untouched on failure. */
rf_status rf_answer_mcq(const struct rf_item *it, long long choice, struct rf_response *r,
                        struct rf_err *err);
rf_status rf_answer_numeric(const struct rf_item *it, const char *text, struct rf_response *r,
                            struct rf_err *err);
/* rf_answer_numeric, with the code of a refusal of the typed number into
 * *why (one of RF_ANSWER_WHY_*; NULL on success and for an item of another
 * type). */
rf_status rf_answer_numeric_why(const struct rf_item *it, const char *text, struct rf_response *r,
                                struct rf_err *err, const char **why);
rf_status rf_answer_multi(const struct rf_item *it, const long long *sel, size_t n,
                          struct rf_response *r, struct rf_err *err);

/* A comma-separated selection for a multi item, as a person types it:
 * letters ("a, c"; letters != 0) or 0-based indices ("0,2"; the stored form).
 * Spaces around entries are ignored; an empty text is an empty selection.
 * Refuses unknown letters, indices out of range and repeats. */
rf_status rf_answer_parse_selection(const struct rf_item *it, const char *text, int letters,
                                    struct rf_response *r, struct rf_err *err);

/* The score (response category) of a checked response to it. */
size_t rf_answer_score(const struct rf_item *it, const struct rf_response *r);

/* The most a response to it can score (ncat - 1: 1, or the number of keys). */
size_t rf_answer_max_score(const struct rf_item *it);

/* The probability of each response category of it (it->irt.ncat values, or
 * 2 when ncat is 0) for a random responder, into p: mcq, one option of k
 * chosen uniformly (right 1/k); numeric, right with probability
 * RF_ANSWER_RANDOM_NUMERIC; multi, a uniformly random non-empty subset of the
 * options (each option ticked independently with probability 1/2, the empty
 * selection refused and drawn again, as the server refuses it), scored by
 * rf_answer_multi_score over all 2^k - 1 subsets (a score above ncat - 1
 * counts as ncat - 1); rubric (not scored by the machine), uniform. The
 * values sum to 1. */
void rf_answer_random_probs(const struct rf_item *it, double *p);

/* The stored form of r into buf (cap bytes, at least RF_ANSWER_MAX_TEXT + 1;
 * always terminated). */
void rf_answer_format(const struct rf_response *r, char *buf, size_t cap);

/* Reads a stored form back for item it (the same checks as the builders). */
rf_status rf_answer_parse_stored(const struct rf_item *it, const char *stored,
                                 struct rf_response *r, struct rf_err *err);

/* The right answer as a person reads it into buf (cap bytes, terminated):
 * mcq "b) the option", numeric "38 ms (± 0.5)" ("38 ms" when exact), multi
 * "a, d" (the key letters). */
void rf_answer_key_text(const struct rf_item *it, char *buf, size_t cap);

/* The response r as a person reads it: mcq "b) the option", numeric the text
 * and unit, multi the letters ("none" when nothing was selected). */
void rf_answer_response_text(const struct rf_item *it, const struct rf_response *r, char *buf,
                             size_t cap);

#endif
