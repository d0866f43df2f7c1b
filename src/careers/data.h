/*
 * The careers data set loaded together: the skill taxonomy, the roles, the
 * study guidance and (once loaded) the posting alias dictionary, all from one
 * data folder (data/ by default: skills.json, roles.json, learning.json,
 * skill_aliases.json). Front doors load it once and pass it down.
 */
#ifndef RF_CAREERS_DATA_H
#define RF_CAREERS_DATA_H

#include <jansson.h>

#include "bank/skills.h"
#include "base/err.h"
#include "careers/concepts.h"
#include "careers/learning.h"
#include "careers/posting.h"
#include "careers/roles.h"

struct rf_careers {
    struct rf_taxonomy tax;
    struct rf_roles roles;       /* borrows tax */
    struct rf_learning learning; /* empty when the folder has no learning.json */
    struct rf_aliases aliases;   /* posting terms (skill_aliases.json) */
    struct rf_concepts concepts; /* concept tag names; empty without concepts.json */
};

/* Loads DIR/skills.json, DIR/roles.json, DIR/skill_aliases.json and, when
 * present, DIR/learning.json and DIR/concepts.json (DIR/loadings.json is read with skills.json,
 * bank/skills.h).
 * A missing learning.json is not an error (plans then carry no guidance).
 * On failure c is left empty; the message names the file at fault. The struct
 * must not be copied once loaded (roles point at its taxonomy). */
rf_status rf_careers_load(const char *dir, struct rf_careers *c, struct rf_err *err);

void rf_careers_cleanup(struct rf_careers *c);

/* What an id of a data file refers to. */
enum rf_careers_ref { RF_REF_SKILL, RF_REF_ROLE, RF_REF_TASK };

/* Reads the non-empty array of ids under key of obj, each a known skill,
 * role or task of c, none twice, into *out (malloc'd indices; *n entries;
 * on failure *out may hold a partial array for the caller to free).
 * Messages: "WHERE: field 'roles': expected a non-empty array of ids",
 * "WHERE: roles[2]: unknown role 'x'", "WHERE: roles[1]: 'x' is listed twice". */
rf_status rf_careers_refs(const struct rf_careers *c, const json_t *obj, const char *key,
                          enum rf_careers_ref kind, size_t **out, size_t *n, const char *where,
                          struct rf_err *err);


#endif
