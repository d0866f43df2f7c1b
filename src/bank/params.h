/*
 * Item parameter tables: the ids and IRT parameters of a set of items, read
 * from the calibration output format of DESIGN.md. Accepted inputs:
 *   JSON  {"items": [{"id", "model", "a", "b", "c"?, "thresholds"?}, ...]}
 *         (a bank file, whose items carry the same fields, reads the same way)
 *         or a bare array of such objects;
 *   CSV   header with columns id, model, a, then b (dichotomous) or b1..bK
 *         (graded), and optional c; other columns (d, se_a, ...) are ignored.
 * Errors name the file, the line (CSV) or item, and the field.
 */
#ifndef RF_BANK_PARAMS_H
#define RF_BANK_PARAMS_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"
#include "irt/model.h"

struct rf_param_table {
    size_t n;
    char **ids;                 /* owned */
    struct rf_irt_item *items;  /* owned, validated */
};

/* Loads a parameter file (JSON when its first non-blank byte is '{' or '[',
 * else CSV). Duplicate ids are an error. On failure t is left empty. */
rf_status rf_params_load(const char *path, struct rf_param_table *t, struct rf_err *err);

/* Same, from text in memory (name is used in messages); the file-size cap of
 * rf_params_load is the caller's business. */
rf_status rf_params_parse(const char *name, const char *data, size_t len,
                          struct rf_param_table *t, struct rf_err *err);

/* Reads the IRT parameters of one JSON item object ("model", "a", "b", "c",
 * "thresholds"); where prefixes messages. Used by bank and calibration readers. */
rf_status rf_params_from_json(const json_t *obj, struct rf_irt_item *it, const char *where,
                              struct rf_err *err);

/* Writes the parameters of it into obj ("model", "a", "b", "c" or "thresholds", "d"). */
rf_status rf_params_to_json(const struct rf_irt_item *it, json_t *obj);

/* Index of id in t, or RF_ENOTFOUND. Linear scan; cost O(n). */
rf_status rf_params_find(const struct rf_param_table *t, const char *id, size_t *idx);

void rf_params_cleanup(struct rf_param_table *t);

#endif
