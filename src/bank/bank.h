/*
 * A loaded item bank: the items of one or more bank files (docs/bank-format.md)
 * with an id index. Invariants: item ids are unique across the bank; every
 * item satisfies the invariants of bank/item.h; items[i].file points at a
 * path owned by the bank. Items of skills missing from the taxonomy are
 * accepted here (the linter reports them).
 *
 * A zeroed struct rf_bank is a valid empty bank (or use rf_bank_init).
 */
#ifndef RF_BANK_BANK_H
#define RF_BANK_BANK_H

#include <stddef.h>

#include "bank/item.h"
#include "base/err.h"

struct rf_bank {
    size_t n;             /* items */
    struct rf_item *items; /* owned, in file order, files sorted by name */
    size_t cap;           /* allocated items */
    size_t nfiles;
    char **files;  /* owned paths of the loaded files */
    size_t *slots; /* open-addressing id index: item index + 1, 0 = empty */
    size_t nslots; /* a power of two, at least 2n */
};

/* Makes b an empty bank. */
void rf_bank_init(struct rf_bank *b);

/* Loads every *.json file of dir, in strcmp order of their names, into a
 * fresh bank (b need not be initialized). Errors name the file, the item
 * id and the field; a missing or unreadable dir is RF_EIO. An empty dir
 * gives an empty bank. On failure b is left empty. */
rf_status rf_bank_load_dir(const char *dir, struct rf_bank *b, struct rf_err *err);

/* Appends the items of one bank file ({"skill": ..., "items": [...]} or a
 * bare array of items) to the initialized bank b. An id already in b is an
 * error. On failure b is as it was. */
rf_status rf_bank_load_file(const char *path, struct rf_bank *b, struct rf_err *err);

/* Same as rf_bank_load_file for JSON text in memory; name is used in
 * messages and as the items' file. */
rf_status rf_bank_load_mem(const char *name, const char *data, size_t len, struct rf_bank *b,
                           struct rf_err *err);

/* Appends a copy of it (it->file is kept as given: borrowed). RF_ECONFLICT
 * when the id is taken. */
rf_status rf_bank_add(struct rf_bank *b, const struct rf_item *it, struct rf_err *err);

/* Index of the item with this id, or RF_ENOTFOUND. O(1) expected. */
rf_status rf_bank_find(const struct rf_bank *b, const char *id, size_t *idx);

/* Frees everything; b becomes an empty bank. */
void rf_bank_cleanup(struct rf_bank *b);

/* Puts every item of b in language lang ("en" changes nothing): stem,
 * options, explanation and unit become the item's translations.<lang>
 * (rf_item_in_lang), owned by the item. *untranslated (may be NULL) counts
 * the active items without a complete translation, which stay as they are.
 * RF_ENOMEM leaves b usable, partly translated. */
rf_status rf_bank_use_lang(struct rf_bank *b, const char *lang, size_t *untranslated);

#endif
