/*
 * Corrections to a posting's reading (issue 15 item 2): a recruiter replaces
 * the requirements the reader found with an edited list, and the parse that
 * results is what the posting's tests and rankings use from then on. The
 * edit format is the reader's own JSON (posting.h rf_posting_to_json):
 *
 *   {"required":  [{"skills": ["deep_learning", "python"], "level": "advanced",
 *                   "weight": 3, "label": "...", "text": "...", "line": 4}, ...],
 *    "preferred": [...]}
 *
 * An entry with several skills is an OR-group (met by any of them). level is
 * a level name of the taxonomy above the lowest ("developing" .. "expert");
 * weight, label, text and line are optional (weight: the positional weight
 * of its place; label: the skill names joined by " or "). Invariants of the
 * result: every requirement has 1..RF_POSTING_MAX_ALTS distinct known
 * skills, a level 1..RF_NLEVELS-1, a weight in (0, RF_POSTING_EDIT_MAX_WEIGHT],
 * required entries before preferred ones, positions 1.. within a section.
 */
#ifndef RF_CAREERS_POSTING_EDIT_H
#define RF_CAREERS_POSTING_EDIT_H

#include <jansson.h>

#include "bank/skills.h"
#include "base/err.h"
#include "careers/posting.h"

/* Replaces p's requirements (and required count) by those of edit, an
 * object with "required" and/or "preferred" arrays in the format above.
 * Errors (RF_EINVAL, p unchanged), one line naming the field:
 * "required[1].skills[0]: unknown skill 'cooking'", "preferred[0].level:
 * unknown level 'guru' (developing, proficient, advanced, expert)", "required:
 * a posting needs at least one requirement"; more than RF_POSTING_MAX_REQS
 * entries: RF_ETOOBIG; RF_ENOMEM. */
rf_status rf_posting_set_requirements(struct rf_parsed_posting *p, const json_t *edit,
                                      const struct rf_taxonomy *tax, struct rf_err *err);

/* A parse as rf_posting_to_json wrote it, read back (title, language,
 * requirements, not-measured parts, requirement lines, prose lines,
 * dropped): what a stored, possibly edited, posting ranks by. Errors as
 * rf_posting_set_requirements, prefixed with name. */
rf_status rf_posting_from_json(const char *name, const json_t *j, const struct rf_taxonomy *tax,
                               struct rf_parsed_posting *out, struct rf_err *err);

/* What an edit changed, as data a page words in its own language: a JSON
 * array (empty: no change) of {"what": "added", "label", "section",
 * "level", "weight"}, {"what": "removed", "label"} and {"what": "changed",
 * "label", "fields": [{"field": "section" | "level" | "weight", "from",
 * "to"}, {"field": "label", "from"}]} (section and level as their ids,
 * weight a number; "label" is the requirement's label after the edit, its
 * own text in the posting's language). Requirements are matched by their
 * skill sets: added ones first in the order of after, then removed ones.
 * *out is the caller's. RF_ENOMEM only. */
rf_status rf_posting_changes(const struct rf_parsed_posting *before,
                             const struct rf_parsed_posting *after, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err);

/* rf_posting_changes' array in English words, as rf_posting_diff writes
 * them (the audit trail's and the log's summary). *out is malloc'd.
 * RF_ENOMEM only. */
rf_status rf_posting_changes_words(const json_t *changes, char **out, struct rf_err *err);

/* What an edit changed, in words, for the audit trail: "added Python
 * (required, proficient); removed SQL; Deep learning: level proficient ->
 * advanced, weight 3 -> 2" ("no change" when nothing did). Requirements are
 * matched by their skill sets. *out is malloc'd. RF_ENOMEM only. */
rf_status rf_posting_diff(const struct rf_parsed_posting *before,
                          const struct rf_parsed_posting *after, const struct rf_taxonomy *tax,
                          char **out, struct rf_err *err);

#endif
