/*
 * Display names of the concept tags of the bank's items (data/concepts.json):
 * each tag's English reading and its Japanese, for reports and learning
 * plans. Invariants of a loaded table: tags are unique, non-empty, and kept
 * sorted (byte order) for lookup; every entry has an English name. A tag
 * without an entry is shown as it is.
 */
#ifndef RF_CAREERS_CONCEPTS_H
#define RF_CAREERS_CONCEPTS_H

#include <stddef.h>

#include "base/err.h"
#include "base/lang.h"

struct rf_concept_name {
    char *tag, *name; /* owned */
    char *name_ja;    /* owned, or NULL (the entry's "ja", docs/i18n.md) */
};

struct rf_concepts {
    struct rf_concept_name *c; /* owned, sorted by tag */
    size_t n;
};

/* Loads a concepts file ({"concepts": [{"tag", "name", "ja": {"name"}}]}).
 * Messages name the file and the entry ("concepts.json: concepts[3]: field
 * 'name': ..."); a tag listed twice is an error. On failure out is left
 * empty. */
rf_status rf_concepts_load(const char *path, struct rf_concepts *out, struct rf_err *err);
rf_status rf_concepts_load_mem(const char *name, const char *data, size_t len,
                               struct rf_concepts *out, struct rf_err *err);
void rf_concepts_cleanup(struct rf_concepts *c);

/* The name of tag in lang (English where the entry has no Japanese), or NULL
 * when the table has no entry for it. O(log n). */
const char *rf_concepts_name(const struct rf_concepts *c, const char *tag, enum rf_lang lang);

#endif
