/*
 * The skill taxonomy of data/skills.json: the lifecycle tasks, the skills
 * (each under one task, with four theta cut points between five proficiency
 * levels) and the level names. Invariants of a loaded taxonomy: task and
 * skill ids are unique and non-empty, every skill's task exists, cut points
 * are finite and strictly increasing, and there are exactly five level names.
 */
#ifndef RF_BANK_SKILLS_H
#define RF_BANK_SKILLS_H

#include <stddef.h>

#include "base/err.h"
#include "base/lang.h"

#define RF_NLEVELS 5

/* Text fields have their Japanese beside them (the file's "ja" objects,
 * docs/i18n.md): NULL when the file has none; rf_lang_pick (base/lang.h)
 * gives a field in a language. */
struct rf_task {
    char *id, *name, *description; /* owned */
    char *name_ja, *description_ja; /* owned, or NULL */
};

struct rf_skill {
    char *id, *name, *task, *description; /* owned */
    char *name_ja, *description_ja;       /* owned, or NULL */
    double cuts[RF_NLEVELS - 1];          /* theta cut points between the 5 levels */
    /* Loading on the general factor of the higher-order model (irt/hier.h):
     * RF_HIER_DEFAULT_LAMBDA (assumed) until data/loadings.json gives a
     * calibrated one (careers/data.h). */
    double loading;
    int loading_calibrated;
};

struct rf_taxonomy {
    size_t ntasks, nskills;
    struct rf_task *tasks;   /* owned */
    struct rf_skill *skills; /* owned, in file order */
    char *levels[RF_NLEVELS]; /* owned: novice .. expert */
    char *levels_ja[RF_NLEVELS]; /* owned, or all NULL (the file's "ja": {"levels": [...]}) */
};

/* Loads and validates a taxonomy file. Messages name the file and the JSON
 * path ("skills.json: skills[3] 'deep_learning': field 'cuts': ..."). On
 * failure t is left empty (safe to clean up). Cost O(nskills^2) for the
 * uniqueness checks, which is nothing at 16 skills. */
rf_status rf_taxonomy_load(const char *path, struct rf_taxonomy *t, struct rf_err *err);

/* rf_taxonomy_load also reads loadings.json in the taxonomy's folder when
 * it is there (a failure to read it fails the load). */

/* Reads calibrated loadings of the higher-order model (docs/careers.md
 * "Loadings"): {"format": "rolefit-loadings", "loadings": {SKILL: LAMBDA, ...}}
 * with every LAMBDA in [0, RF_HIER_MAX_LAMBDA] and every SKILL in t; other
 * fields are ignored (calibration may add standard errors, its data). The
 * listed skills get that loading, marked calibrated; the others keep theirs
 * (RF_HIER_DEFAULT_LAMBDA, assumed). Errors name the path and the skill:
 * RF_EINVAL (unknown skill, a value out of range, a malformed file), RF_EIO;
 * t is unchanged on error. */
rf_status rf_taxonomy_load_loadings(const char *path, struct rf_taxonomy *t, struct rf_err *err);

/* Same, from JSON text in memory; name is used in messages. */
rf_status rf_taxonomy_load_mem(const char *name, const char *data, size_t len,
                               struct rf_taxonomy *t, struct rf_err *err);

/* Frees everything and leaves t empty; a zeroed or already clean t is fine. */
void rf_taxonomy_cleanup(struct rf_taxonomy *t);

/* Index of skill_id in t->skills, or RF_ENOTFOUND. Linear scan. */
rf_status rf_taxonomy_find(const struct rf_taxonomy *t, const char *skill_id, size_t *idx);

/* Index of task_id in t->tasks, or RF_ENOTFOUND. */
rf_status rf_taxonomy_find_task(const struct rf_taxonomy *t, const char *task_id, size_t *idx);

/* Proficiency level 0..4 of theta: the number of cut points at or below
 * theta (theta exactly on a cut belongs to the higher level). NaN gives 0. */
size_t rf_skill_level(const struct rf_skill *s, double theta);

/* The name of level 0..4 in lang (English when the file has no Japanese). */
const char *rf_taxonomy_level_name(const struct rf_taxonomy *t, size_t level, enum rf_lang lang);

#endif
