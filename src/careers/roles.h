/*
 * Roles (data/roles.json): what a role needs, resolved against the skill
 * taxonomy. A role splits its work over the taxonomy's tasks ("weights", in
 * percent summing to 100) and requires a level per skill, some marked core;
 * each task's weight is shared among the role's required skills of that task
 * in proportion to their "emphasis" (default 1). The result is one weight per
 * requirement (they sum to 1) and one theta cut point: the skill's cut for
 * the required level. docs/careers.md describes the format.
 *
 * Invariants of loaded roles: ids unique and non-empty; every required skill
 * exists in the taxonomy, appears once per role, at level developing..expert;
 * every task with weight > 0 has a required skill and every required skill's
 * task has weight > 0; at least one requirement is core; weights sum to 1.
 */
#ifndef RF_CAREERS_ROLES_H
#define RF_CAREERS_ROLES_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/err.h"

struct rf_role_req {
    size_t skill;    /* index into the taxonomy's skills */
    size_t level;    /* required level, 1 (developing) .. RF_NLEVELS - 1 (expert) */
    int core;        /* the role cannot do without it */
    double emphasis; /* share within its task, relative to the role's other skills there */
    double weight;   /* w_k: the role's weight of this requirement; a role's weights sum to 1 */
    double cut;      /* theta at which the required level starts for this skill */
};

/* One stage of the typical interview loop, shown to candidates as information.
 * A stage is a round kit of data/interviews.json held count times (round set),
 * a take-home (take_home set) or a screen (neither); rf_kits_check_roles says
 * whether the stages follow the kits' loop of the role. */
struct rf_role_stage {
    char *stage, *what;    /* owned */
    char *stage_ja, *what_ja; /* owned, or NULL (the stage's "ja", docs/i18n.md) */
    char *round;           /* owned, kit round id, or NULL */
    char *take_home;       /* owned, kit take-home id, or NULL */
    size_t count;          /* rounds of this kit, 1..RF_ROLE_MAX_ROUNDS (1 when not a round) */
};

#define RF_ROLE_MAX_ROUNDS 8

struct rf_role {
    char *id, *name, *kind, *description; /* owned; kind is "technical" or "adjacent" */
    char *name_ja, *description_ja;       /* owned, or NULL (the role's "ja", docs/i18n.md) */
    double *task_weights;                 /* owned, one per taxonomy task, fractions summing to 1 */
    struct rf_role_req *reqs;             /* owned, in file order */
    size_t nreqs;
    struct rf_role_stage *loop; /* owned */
    size_t nloop;
};

struct rf_roles {
    const struct rf_taxonomy *tax; /* borrowed: must outlive the roles */
    struct rf_role *roles;         /* owned, in file order */
    size_t n;
};

/* Loads and validates a roles file against tax (borrowed, kept in out->tax).
 * Messages are one line naming the file, the role and the field:
 * "roles.json: roles[3] 'ml_engineer': requires[2]: unknown skill 'sql'".
 * On failure out is left empty (safe to clean up). */
rf_status rf_roles_load(const char *path, const struct rf_taxonomy *tax, struct rf_roles *out,
                        struct rf_err *err);

/* Same from JSON text in memory; name is used in messages. */
rf_status rf_roles_load_mem(const char *name, const char *data, size_t len,
                            const struct rf_taxonomy *tax, struct rf_roles *out,
                            struct rf_err *err);

/* Frees everything; a zeroed or already clean r is fine. */
void rf_roles_cleanup(struct rf_roles *r);

/* The role with that id, or NULL. Linear scan. */
const struct rf_role *rf_roles_find(const struct rf_roles *r, const char *id);

/* The requirement of role on skill index skill, or NULL. */
const struct rf_role_req *rf_role_req_find(const struct rf_role *role, size_t skill);

#endif
