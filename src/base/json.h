/*
 * JSON helpers over jansson: loading with positioned errors, and typed field
 * getters whose errors name the place ("bank.json: item 'x': field 'a':
 * expected a number"). Jansson keeps no source positions for values, so
 * semantic errors name the JSON path and item id rather than a line.
 */
#ifndef RF_JSON_H
#define RF_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/err.h"

/* Loads a JSON file; syntax errors are "path:line:column: message". Caller json_decref()s. */
rf_status rf_json_load_file(const char *path, json_t **out, struct rf_err *err);

/* Parses JSON text held in memory; name is used in messages. */
rf_status rf_json_load_mem(const char *name, const char *data, size_t len, json_t **out,
                           struct rf_err *err);

/* Typed getters. 'where' prefixes messages (e.g. "params.json: items[3]").
 * When the key is absent: with required != 0 an error, else RF_OK and *out untouched.
 * *present (may be NULL) says whether the key was there. */
rf_status rf_json_get_number(const json_t *obj, const char *key, int required, double *out,
                             int *present, const char *where, struct rf_err *err);
rf_status rf_json_get_string(const json_t *obj, const char *key, int required, const char **out,
                             const char *where, struct rf_err *err);
rf_status rf_json_get_size(const json_t *obj, const char *key, int required, size_t *out,
                           const char *where, struct rf_err *err);

/* Copies the required, non-empty string field key of obj into *out (caller
 * frees). Errors name where and the field; *out is untouched on failure. */
/* Readers for JSON this program built itself (reports): the string at key,
 * or "" when absent or not a string; the number at key, or 0. */
const char *rf_json_text(const json_t *obj, const char *key);
double rf_json_num(const json_t *obj, const char *key);

/* The one writer of JSON meant to be read (the HTTP API, the CLI's JSON
 * output, reports): every real is printed with the digits it means, 6
 * significant digits for estimates and 4 for probabilities, shares and
 * weights, which are the reals under the keys rf_json_is_prob_key() names
 * (also inside arrays under such a key). "weight": 0.65, never
 * 0.65000000000000002. Files that must restore exactly (profiles, sessions,
 * pools, item parameters) keep 17 digits and do not use it. Returns a
 * malloc'd string, or NULL on allocation failure. flags are jansson's. */
char *rf_json_dumps_out(const json_t *j, size_t flags);
/* The same, written to f with a trailing newline; -1 on failure. */
int rf_json_dumpf_out(const json_t *j, FILE *f, size_t flags);
/* Writing the same JSON without a jansson tree, for the hottest replies (an
 * answer's): each appends to b what rf_json_dumps_out(j, JSON_COMPACT |
 * JSON_ENSURE_ASCII) writes for that value, byte for byte. A string: quoted,
 * with jansson's escapes (\" \\ \b \f \n \r \t, other controls and every
 * non-ASCII character as \uXXXX in capitals, beyond the BMP as a surrogate
 * pair); RF_EINVAL when s is not valid UTF-8 (jansson refuses such a string
 * too). A real (prob: under a key rf_json_is_prob_key() names): 6 significant
 * digits (4 when prob), ".0" added to an integral one; RF_EINVAL when not
 * finite. RF_ETOOBIG at b's cap. */
rf_status rf_buf_put_json_string(struct rf_buf *b, const char *s);
rf_status rf_buf_put_json_real(struct rf_buf *b, double x, int prob);
/* For state that must restore exactly (a test's stored session), as
 * json_dumps(j, JSON_COMPACT) writes it without a tree: a string with
 * jansson's escapes but non-ASCII characters as they are (RF_EINVAL when not
 * valid UTF-8); a double in the shortest of its %.15g, %.16g and %.17g
 * spellings that reads back as the same double (17 digits always do, and
 * jansson writes 17: 0.3 is "0.3", not "0.29999999999999999"), ".0" added
 * to an integral one, the exponent as jansson writes it, so never longer
 * than jansson's; RF_EINVAL when not finite. Either
 * reads back through jansson as the value given. RF_ETOOBIG at b's cap. */
rf_status rf_buf_put_json_utf8(struct rf_buf *b, const char *s);
rf_status rf_buf_put_json_double(struct rf_buf *b, double x);

/* Whether reals under key are probabilities or weights (4 digits). */
int rf_json_is_prob_key(const char *key);
/* x rounded to sig significant digits (x itself when 0 or not finite). */
double rf_round_sig(double x, int sig);

rf_status rf_json_dup_string(const json_t *obj, const char *key, char **out, const char *where,
                             struct rf_err *err);

/* The Japanese of obj's field key, where data files keep it: obj["ja"][key]
 * (docs/i18n.md). *out is a copy, or NULL when obj has no "ja" object or it
 * lacks key (English is then shown; the data lint, careers/i18n.h, fails the
 * data files in that case). RF_EINVAL naming where and "ja.KEY" when the
 * value is there but not a non-empty string, RF_ENOMEM. */
rf_status rf_json_dup_ja(const json_t *obj, const char *key, char **out, const char *where,
                         struct rf_err *err);

#endif
