/*
 * Interview kits (data/interviews.json, issue 17): reusable round kits
 * (coding, ML system design, research design, research presentation,
 * behavioral, case), each with the skills it measures, questions with
 * follow-ups and a rubric whose criteria are anchored at every point of the
 * scale by what an answer at that point looks like; take-home projects with
 * the same kind of rubric; and each role's loop of rounds.
 *
 * Invariants of loaded kits: ids unique and lower_snake_case; every skill
 * and role named exists in the careers data; a round has 3..5 questions and
 * 3..5 criteria, a take-home 3..5 criteria; every criterion names a skill the
 * round (take-home) measures and has a non-empty anchor at every point of
 * the scale; every role of the careers data has exactly one loop, whose
 * rounds exist and counts are 1..8; every take-home a loop names exists.
 * Quality rules that are not invariants (anchors that only say "poor" or
 * "good", two anchors alike, a technical role without a take-home) are
 * findings of rf_kits_lint.
 */
#ifndef RF_CAREERS_KITS_H
#define RF_CAREERS_KITS_H

#include <stddef.h>

#include "base/err.h"
#include "careers/data.h"

#define RF_KIT_MAX_POINTS 7

/* The *_ja fields are the Japanese of the entry's "ja" object beside the
 * English (docs/i18n.md), NULL where the file has none; rf_lang_pick
 * (base/lang.h) gives a field in a language. The data lint (careers/i18n.h)
 * makes the Japanese of data/interviews.json complete. */
struct rf_kit_criterion {
    char *id, *name;                      /* owned */
    size_t skill;                         /* taxonomy index */
    char *anchors[RF_KIT_MAX_POINTS];     /* owned, one per point min..max */
    char *name_ja;                        /* owned, or NULL */
    char *anchors_ja[RF_KIT_MAX_POINTS];  /* owned, or NULL */
};

struct rf_kit_question {
    char *prompt;         /* owned */
    char **follow_ups;    /* owned */
    size_t nfollow;
    char *prompt_ja;      /* owned, or NULL */
    char **follow_ups_ja; /* owned, nfollow entries (each owned, or NULL) */
};

struct rf_kit_round {
    char *id, *name, *kind; /* owned */
    char *name_ja;          /* owned, or NULL */
    double minutes;
    size_t *skills, nskills; /* owned: taxonomy indices */
    struct rf_kit_question *questions;
    size_t nquestions;
    struct rf_kit_criterion *rubric;
    size_t ncriteria;
};

struct rf_kit_take_home {
    char *id, *name, *data, *task, *hand_in; /* owned */
    char *name_ja, *data_ja, *task_ja, *hand_in_ja; /* owned, or NULL */
    double hours;
    size_t *roles, nroles;   /* owned: role indices */
    size_t *skills, nskills; /* owned: taxonomy indices */
    struct rf_kit_criterion *rubric;
    size_t ncriteria;
};

struct rf_kit_step {
    size_t round; /* index into rounds */
    size_t count;
};

struct rf_kit_loop {
    size_t role; /* index into the careers roles */
    struct rf_kit_step *steps;
    size_t nsteps;
    size_t take_home; /* index into take_homes, or (size_t)-1 */
};

struct rf_kits {
    const struct rf_careers *careers; /* borrowed */
    int min, max;                     /* the scale's points */
    char *meaning[RF_KIT_MAX_POINTS]; /* owned: what each point means in general */
    char *meaning_ja[RF_KIT_MAX_POINTS]; /* owned, or NULL */
    struct rf_kit_round *rounds;
    size_t nrounds;
    struct rf_kit_take_home *take_homes;
    size_t ntake_homes;
    struct rf_kit_loop *loops; /* one per role, in the roles' order */
    size_t nloops;
};

rf_status rf_kits_load(const char *path, const struct rf_careers *c, struct rf_kits *out,
                       struct rf_err *err);
rf_status rf_kits_load_mem(const char *name, const char *data, size_t len,
                           const struct rf_careers *c, struct rf_kits *out, struct rf_err *err);
void rf_kits_cleanup(struct rf_kits *k);

/* The loop of role index r (every role has one once loaded). */
const struct rf_kit_loop *rf_kits_loop(const struct rf_kits *k, size_t r);

/* Quality findings, one line each ("rounds[2] 'behavioral': rubric[1]
 * 'ownership': anchor 3 says only 'good'"), passed to fn; returns how many. */
size_t rf_kits_lint(const struct rf_kits *k, void (*fn)(void *ctx, const char *line), void *ctx);

/* Whether roles.json's loops follow the kits (findings one line each, passed
 * to fn; returns how many): each role's stages that name a round name the
 * rounds of its kit loop in order with the same counts, a stage of n > 1
 * rounds says n in its name, the take-home stage names the loop's take-home
 * (and is there when the loop has one), and the role requires the first skill
 * of every non-behavioral round of its loop, the one the round tests above
 * all (an algorithmic coding round needs algorithms_data_structures). */
size_t rf_kits_check_roles(const struct rf_kits *k, void (*fn)(void *ctx, const char *line),
                           void *ctx);

#endif
