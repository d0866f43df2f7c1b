/* A check shared by the cat suites: the stored state written as text
 * (rf_cat_session_state_text) against the compact tree it replaced. */
#ifndef RF_TESTS_CAT_STATETEXT_H
#define RF_TESTS_CAT_STATETEXT_H

#include <stddef.h>

#include "cat/pool.h"
#include "cat/session.h"

/* Fails the test unless the text of session s (over pool p) is the compact
 * tree's JSON_COMPACT dump (as the server stored it before) in all but the
 * spelling of doubles: jansson reads the text into a tree that dumps to the
 * very bytes of the tree's dump (the same keys in the same order, every
 * double the same value), the text is no longer, and a session restored
 * from it writes the same text again. Adds the two lengths to *old_len and
 * *new_len (may be NULL). */
void check_state_text(const struct rf_cat_pool *p, const struct rf_cat_session *s, size_t *old_len,
                      size_t *new_len);

#endif
