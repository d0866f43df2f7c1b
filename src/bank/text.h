/*
 * Text helpers of the bank linter and importers: folding item text for
 * comparison, word shingles and their Jaccard similarity, and the check of the
 * small markup of docs/bank-format.md. ASCII letters are case-folded; other
 * bytes (UTF-8) are kept as they are, so the folding is exact for English and
 * conservative elsewhere.
 */
#ifndef RF_BANK_TEXT_H
#define RF_BANK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Folds s for "same text" comparisons: ASCII case folded, runs of white space
 * made one space, leading and trailing space removed. Punctuation is kept, so
 * "$x^2$" and "$x_2$" stay different. Returns a heap string (NULL on ENOMEM). */
char *rf_text_fold_space(const char *s);

/* Folds harder, for duplicate-stem detection: as rf_text_fold_space, and every
 * ASCII byte that is not a letter or digit becomes a space (markup and
 * punctuation vanish). Heap string or NULL. */
char *rf_text_fold_words(const char *s);

/* The set of word k-shingles of a folded text (rf_text_fold_words), as sorted
 * distinct 64-bit FNV-1a hashes. A text of fewer than k words has one shingle:
 * all of its words. *out is a heap array (free()), *n its length (0 for an
 * empty text). RF_ENOMEM only. */
rf_status rf_text_shingles(const char *folded, size_t k, uint64_t **out, size_t *n);

/* Jaccard similarity |A n B| / |A u B| of two sorted distinct hash sets;
 * 0 when both are empty. Cost O(na + nb). */
double rf_text_jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/* Checks the markup of docs/bank-format.md: code fences (a line whose first
 * non-blank characters are ```) come in pairs; outside fenced blocks, inline
 * `code` spans close on the same paragraph, $...$ math closes, and braces
 * inside math balance. \$ is a literal dollar sign. On a fault returns
 * RF_EINVAL with a message naming the line within s ("line 3: unclosed $ math
 * opened here"), written to msg (capacity cap). */
rf_status rf_markup_check(const char *s, char *msg, size_t cap);

/* Finds the first TeX command inside $...$ math (outside code) that the web
 * UI's renderer (web/js/markup.js) does not know, e.g. "\\mathcal". Returns 1
 * and copies the name without the backslash into name (capacity cap), or 0
 * when every command is known. The list mirrors markup.js: keep them equal. */
int rf_markup_tex_unknown(const char *s, char *name, size_t cap);

/* The parts of an item text that a translation keeps exactly: fenced code
 * blocks (from the opening ``` line to the closing one), `code` spans and
 * $...$ math (delimiters included), and the numbers of the prose: a run of
 * digits with inner '.' or ',' between digits ("4,096", "0.25"), not glued to
 * an ASCII letter or '_' before it ("x2", "GPT4" are names, "GPT-4" has the
 * number 4). A number's value takes the scale right after it: a glued suffix
 * (10k, 18.6M, 47B, 1.2T), an English word (thousand, million, billion,
 * trillion) or a Japanese numeral (千, 万, 百万, 千万, 億, 兆), so "13 million",
 * "13M" and "1,300万" are the same number. Markup is read as
 * rf_markup_check reads it (\$ is a dollar sign, not math); text that fails
 * rf_markup_check gives what was read up to the fault. Each literal points
 * into s. *out is a heap array (free()), *n its length; RF_ENOMEM only. */
enum rf_literal_kind { RF_LIT_FENCE, RF_LIT_CODE, RF_LIT_MATH, RF_LIT_NUMBER };
struct rf_literal {
    enum rf_literal_kind kind;
    const char *p;
    size_t n;
    double value; /* numbers: the value with its scale word; else 0 */
};
rf_status rf_markup_literals(const char *s, struct rf_literal **out, size_t *n);

/* Compares the literals of a text and of its translation. Fences, code and
 * math must be the same multiset; every number of the original must appear at
 * least as often in the translation, by value ("4,096" and "4096", "100
 * thousand" and "10万" agree), and the translation may add only the whole
 * numbers 0 to 12 (counting words such as "2つ", months, hours). Returns 0 when they agree;
 * else 1 with a message naming the first difference ("math $n \\times n$ is
 * missing") in msg (capacity cap). -1 on ENOMEM. */
int rf_markup_literals_differ(const char *orig, const char *trans, char *msg, size_t cap);

#endif
