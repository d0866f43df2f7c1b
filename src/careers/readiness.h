/*
 * Production readiness of an ML system as a team self-assessment: the ML
 * Test Score (Breck, Cai, Nielsen, Salib, Sculley, 2017), written in our own
 * words in data/readiness.json. Each test scores 0 (not done), 0.5 (done by
 * hand, results documented and shared) or 1 (automated and run repeatedly);
 * a section's score is the sum of its tests; the final score is the lowest
 * section's score, read against the paper's bands. Every test names the
 * skills and roles that usually own it, so a weak section points at people.
 *
 * Invariants of a loaded rubric: at least one section, each with at least one
 * test; test and section ids unique, lower_snake_case; every skill and role
 * a test names exists in the careers data; bands cover [0, inf) in order
 * without gaps or overlaps.
 */
#ifndef RF_CAREERS_READINESS_H
#define RF_CAREERS_READINESS_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"
#include "base/lang.h"
#include "careers/data.h"

struct rf_readiness_test {
    char *id, *title, *what, *manual, *automated; /* owned */
    /* owned, or NULL: the test's "ja" (docs/i18n.md) */
    char *title_ja, *what_ja, *manual_ja, *automated_ja;
    size_t section;                               /* index into sections */
    size_t *skills, nskills;                      /* owned: taxonomy skill indices */
    size_t *roles, nroles;                        /* owned: indices into the careers roles */
};

struct rf_readiness_section {
    char *id, *name;  /* owned */
    char *name_ja;    /* owned, or NULL */
    size_t first, n;  /* its tests are tests[first .. first + n) */
};

struct rf_readiness_band {
    double upto;          /* the band holds finals in (previous upto, upto]; INFINITY last */
    char *name, *meaning; /* owned */
    char *name_ja, *meaning_ja; /* owned, or NULL */
};

struct rf_readiness {
    const struct rf_careers *careers; /* borrowed: must outlive the rubric */
    struct rf_readiness_section *sections;
    size_t nsections;
    struct rf_readiness_test *tests;
    size_t ntests;
    struct rf_readiness_band *bands;
    size_t nbands;
};

/* Loads and validates a rubric; messages name the file and the place
 * ("readiness.json: sections[1].tests[3] 'model_slices': field 'roles':
 * unknown role 'x'"). On failure out is left empty. */
rf_status rf_readiness_load(const char *path, const struct rf_careers *c,
                            struct rf_readiness *out, struct rf_err *err);
rf_status rf_readiness_load_mem(const char *name, const char *data, size_t len,
                                const struct rf_careers *c, struct rf_readiness *out,
                                struct rf_err *err);
void rf_readiness_cleanup(struct rf_readiness *r);

/* Index of the test with that id, or (size_t)-1. */
size_t rf_readiness_find(const struct rf_readiness *r, const char *id);

/* Reads an assessment's scores from the object {"test_id": 0 | 0.5 | 1, ...}
 * into scores[ntests]. A test it does not name scores 0 and is counted in
 * *unscored (may be NULL). An unknown test or a score other than 0, 0.5 or 1
 * is RF_EINVAL naming where and the field ("assessment: scores.data_schema:
 * expected 0, 0.5 or 1, got 2"); duplicates are refused by the JSON parser.
 * scores is untouched on failure. */
rf_status rf_readiness_read_scores(const struct rf_readiness *r, const json_t *obj,
                                   double *scores, size_t *unscored, const char *where,
                                   struct rf_err *err);

/* Section sums into section[nsections] (may be NULL) and returns the final
 * score, the lowest section's. */
double rf_readiness_score(const struct rf_readiness *r, const double *scores, double *section);

/* The band a final score falls in. */
const struct rf_readiness_band *rf_readiness_band(const struct rf_readiness *r, double final);

/* The order in which to automate tests to raise the final score soonest:
 * each step takes one test not yet automated, in a section whose score is
 * the lowest, the one with the most to gain (ties: file order), and sets it
 * to 1. Writes at most max steps: the test index into tests[] and the final
 * score after the step into finals[] (may be NULL). Returns the steps written
 * (0 when every test is automated). */
size_t rf_readiness_plan(const struct rf_readiness *r, const double *scores, size_t max,
                         size_t *tests, double *finals);

/* Whether step k of a plan (tests[0..k] as rf_readiness_plan gives them)
 * raises the final score: 1 if it does, 0 if not (the final is the lowest
 * section's, and another section stays as low), -1 when out of memory.
 * held[nsections] (may be NULL) gets 1 for each section that holds the final
 * after the step: the ones that must move before the final can rise. */
int rf_readiness_step_raises(const struct rf_readiness *r, const double *scores,
                             const size_t *tests, size_t k, int *held);

/* The assessment as JSON for the API and the CLI: per section its score and
 * tests, the final score, its band, the weakest sections, the plan (max
 * steps) with the roles and skills that own each step, and date when not
 * NULL. NULL on allocation failure. */
json_t *rf_readiness_json(const struct rf_readiness *r, const double *scores, size_t plan_max,
                          const char *date);

/* The same with the section names, test titles and the band in lang
 * (English where the rubric has no translation); ids and numbers alike. */
json_t *rf_readiness_json_lang(const struct rf_readiness *r, const double *scores,
                               size_t plan_max, const char *date, enum rf_lang lang);

#endif
