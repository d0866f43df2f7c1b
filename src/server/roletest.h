/*
 * Role tests: the adaptive design of a test for a target role, or of a
 * "find my role" test over every skill some role requires, with the
 * classification objective that tells the roles apart (careers/closest.h,
 * cat/session.h). The server, `rolefit assess --role` and the role-recovery
 * simulation build their designs here.
 */
#ifndef RF_SERVER_ROLETEST_H
#define RF_SERVER_ROLETEST_H

#include "base/err.h"
#include "careers/profile.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/session.h"

/* Adds one class per role of roles to d (whose scope is complete): on each
 * scope skill, the role's people at the level it requires, or the population
 * where it requires none. Errors: RF_ETOOBIG (more roles than
 * RF_CAT_MAX_CLASSES); d keeps the classes added before. */
rf_status rf_roletest_add_classes(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                  const struct rf_roles *roles, struct rf_err *err);

/* The web's test design: SE target RF_CAT_DEFAULT_SE, no early stop, and the
 * roles as classes. With role, RF_WEB_MAX_ITEMS items over its skills, each
 * at least RF_WEB_MIN_PER_SKILL; with role NULL ("find my role"),
 * RF_WEB_FIND_MAX_ITEMS items over every skill that some role requires and
 * the pool has items for, each at least RF_WEB_FIND_MIN_PER_SKILL (so every
 * lifecycle task area is measured first), then where the roles differ. Errors: RF_EINVAL (a
 * skill without usable items, or none at all), RF_ETOOBIG. */
rf_status rf_roletest_design(struct rf_cat_design *d, const struct rf_cat_pool *p,
                             const struct rf_roles *roles, const struct rf_role *role,
                             struct rf_err *err);

/* Turns d, find my role's design (rf_roletest_design with role NULL, its
 * prior possibly changed by a study), into its confirm stage: the same scope
 * and prior, asking only where a requirement of the nlead roles lead[] (of
 * roles) is undecided (cat/session.h nreqs; each pair of scope skill and cut
 * once), deciding as a role test decides (RF_ROLETEST_DECIDE_P), at most
 * max_items items (1..RF_CAT_MAX_ITEMS) and RF_CONFIRM_MAX_PER_SKILL per
 * skill; no classification objective, no SE target. The answers of the
 * find-my-role test (and of its follow-ups) are then carried into the
 * session (rf_cat_carry): the requirements they decided take no item.
 * Errors: RF_EINVAL (a design without the model's prior, nlead 0, no
 * requirement of the roles with items in the scope, max_items out of range),
 * RF_ETOOBIG (more than RF_CAT_MAX_REQS requirements). */
rf_status rf_roletest_confirm(struct rf_cat_design *d, const struct rf_cat_pool *p,
                              const struct rf_roles *roles, const struct rf_role *const *lead,
                              size_t nlead, size_t max_items, struct rf_err *err);

/* A confirm stage of a role the person names (role, of roles), read with
 * that role's role-test prior instead of find my role's: as
 * rf_roletest_confirm with lead {role}, then the prior is the one
 * rf_roletest_design gives role's test — the population (RF_ROLETEST_PRIOR_WEIGHT
 * aside) and role's people, with the loadings of the skills role requires
 * (the others independent, at the population in both components, so they
 * inform nothing through the prior). Naming a role is evidence from outside
 * the answers, as taking its role test is (docs/careers.md "A role the person
 * names"); a role only offered by find my role's report keeps find my
 * role's prior. The decided rule then reads both readings of the loadings,
 * as a role test's does. Errors as rf_roletest_confirm's; RF_EINVAL when
 * role is not of roles or d has no class for it. */
rf_status rf_roletest_confirm_named(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                    const struct rf_roles *roles, const struct rf_role *role,
                                    size_t max_items, struct rf_err *err);

/* Adds to pr (initialized on s's pool grid) what session s measured: per scope
 * skill that got at least one item, its posterior (a skill without a question
 * is left out: not measured). idx[j] (may be NULL; nscope entries) receives
 * the profile index of scope skill j, or SIZE_MAX. This is how the server,
 * and the simulations of its tests, score a test. With the role's class in
 * the prior (a role test), the profile's model names that role of roles (the
 * roles the design was built with), so that closest roles use the test's
 * prior too. Errors from rf_profile_add_posterior (RF_EINVAL, RF_ENOMEM). */
rf_status rf_roletest_profile(const struct rf_cat_session *s, const struct rf_roles *roles,
                              struct rf_profile *pr, size_t *idx, struct rf_err *err);

#endif
