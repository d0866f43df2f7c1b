/*
 * Role tests: what an adaptive test over a role's skills adds to its design
 * so that it also tells the roles apart (careers/closest.h, cat/session.h
 * "classification objective"). The server's role tests, `rolefit assess
 * --role` and the role-recovery simulation use this one function.
 */
#ifndef RF_SERVER_ROLETEST_H
#define RF_SERVER_ROLETEST_H

#include "base/err.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/session.h"

/* Adds one class per role of roles to d (whose scope is complete): on each
 * scope skill, the role's people at the level it requires, or the population
 * where it requires none. Errors: RF_ETOOBIG (more roles than
 * RF_CAT_MAX_CLASSES); d keeps the classes added before. */
rf_status rf_roletest_add_classes(struct rf_cat_design *d, const struct rf_cat_pool *p,
                                  const struct rf_roles *roles, struct rf_err *err);

#endif
