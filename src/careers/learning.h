/*
 * Study guidance for learning plans (data/learning.json): per skill a focus
 * sentence, ordered study steps, a practice project and notes for concepts
 * (item tags). Guidance is data so that it can be edited without touching C.
 *
 * Invariants of loaded guidance: every entry names a skill of the taxonomy,
 * at most once; focus is non-empty; study has at least one step.
 * Skills without an entry simply have no guidance.
 */
#ifndef RF_CAREERS_LEARNING_H
#define RF_CAREERS_LEARNING_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/err.h"
#include "base/lang.h"

/* The *_ja fields are the entry's Japanese (its "ja" object, docs/i18n.md),
 * NULL when the file has none. */
struct rf_concept_note {
    char *tag, *note; /* owned */
    char *note_ja;    /* owned, or NULL */
};

struct rf_guidance {
    size_t skill;      /* index into the taxonomy's skills */
    char *focus;       /* owned */
    char **study;      /* owned, nstudy steps in order */
    size_t nstudy;
    char *practice;    /* owned, "" when absent */
    struct rf_concept_note *concepts; /* owned */
    size_t nconcepts;
    char *focus_ja, *practice_ja; /* owned, or NULL */
    char **study_ja;              /* owned, nstudy steps, or NULL */
};

struct rf_learning {
    struct rf_guidance *g; /* owned */
    size_t n;
};

/* Loads and validates a guidance file against tax. Messages name the file,
 * the entry and the field. On failure out is left empty. */
rf_status rf_learning_load(const char *path, const struct rf_taxonomy *tax,
                           struct rf_learning *out, struct rf_err *err);
rf_status rf_learning_load_mem(const char *name, const char *data, size_t len,
                               const struct rf_taxonomy *tax, struct rf_learning *out,
                               struct rf_err *err);
void rf_learning_cleanup(struct rf_learning *l);

/* Guidance for skill index skill, or NULL. */
const struct rf_guidance *rf_learning_find(const struct rf_learning *l, size_t skill);

/* The note for tag, or NULL. Tags match ignoring ASCII case and treating
 * space, '-' and '_' alike ("Vanishing gradients" finds "vanishing_gradients"). */
const char *rf_learning_concept(const struct rf_guidance *g, const char *tag);

/* The same note in lang (English when the entry has no Japanese). */
const char *rf_learning_concept_lang(const struct rf_guidance *g, const char *tag,
                                     enum rf_lang lang);

#endif
