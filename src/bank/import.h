/*
 * The result of reading items from a foreign format (QTI, GIFT): the items
 * read, and one note per construct that was not imported or not imported
 * whole, so nothing is dropped silently. Notes name the place
 * ("quiz.gift:12: matching question 'capitals': not supported, skipped").
 * Both readers produce complete rolefit items: type mcq, the author's priors
 * (model 3pl, a = 1, b from the difficulty rating, c = 1/options),
 * calibrated false, unless a rolefit metadata block of an earlier export says
 * otherwise (docs/bank-exchange.md).
 */
#ifndef RF_BANK_IMPORT_H
#define RF_BANK_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "bank/item.h"
#include "base/err.h"

struct rf_import {
    size_t n, cap;
    struct rf_item *items; /* owned */
    size_t nnotes, capnotes;
    char **notes; /* owned */
    size_t dropped_notes;
    const char *skill; /* borrowed: skill given by the user (overrides everything), or NULL */
};

/* Starts an empty import; skill (borrowed, may be NULL) is forced on every item. */
void rf_import_init(struct rf_import *im, const char *skill);

void rf_import_cleanup(struct rf_import *im);

/* Records a note (printf-style). RF_ENOMEM only. */
rf_status rf_import_note(struct rf_import *im, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Completes and takes ownership of *it (zeroed afterwards): fills the skill
 * (forced skill, else it->skill, else the id's first part, else
 * fallback_skill), an id when missing (<skill>.imported.NNN), the defaults
 * above, then applies meta (a JSON object of bank-format fields from an
 * earlier export; may be NULL). where names the item in messages. On a fault
 * that makes the item unusable the item is freed, a note is added and RF_OK
 * is returned; statuses report only ENOMEM and caps. */
rf_status rf_import_add(struct rf_import *im, struct rf_item *it, const json_t *meta,
                        const char *fallback_skill, const char *where, struct rf_err *err);

/* The metadata block written beside each exported item: the item's bank
 * JSON without id, stem, options, key and explanation (which the foreign
 * format carries itself). Caller json_decref()s. */
rf_status rf_import_meta_of(const struct rf_item *it, json_t **out);

/* The bank file of the import: {"skill": S (when all items share it), "items": [...]}. */
rf_status rf_import_to_json(const struct rf_import *im, json_t **out);

#endif
