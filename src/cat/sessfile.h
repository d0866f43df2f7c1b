/*
 * Adaptive sessions on disk: a session serializes to a JSON object and
 * restores exactly over the same pool, so a restart or a closed laptop does
 * not lose a test (docs/cat.md "Sessions on disk"). The object holds the
 * design, the grid, the RNG state, the ordered log of answers (with the
 * parameters each item had) and exposure blocks, and the presented item.
 * Restoring replays the log, so the posterior is bit-identical and, with the
 * same RNG state, the next item is the one the original would have chosen.
 */
#ifndef RF_CAT_SESSFILE_H
#define RF_CAT_SESSFILE_H

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "cat/pool.h"
#include "cat/session.h"

/* The session as a new JSON object (caller json_decref()s). RF_ENOMEM only. */
rf_status rf_cat_session_to_json(const struct rf_cat_session *s, json_t **out, struct rf_err *err);

/* The same in compact form, as the server stores a test's state with every
 * answer: each answered item's parameters replaced by a 16-hex-digit digest
 * of them (about half the size, no floating-point formatting). Restoring it
 * refuses an item whose parameters changed, as for the full form. */
rf_status rf_cat_session_to_json_compact(const struct rf_cat_session *s, json_t **out,
                                         struct rf_err *err);

/* The compact form written as JSON text without a tree, appended to b: what
 * json_dumps(compact, JSON_COMPACT) writes, the same keys in the same order,
 * except that each double is written in the fewest digits that read back
 * exactly (rf_buf_put_json_double) where jansson writes 17; read by
 * rf_cat_session_from_json as the tree's text is, to the same session. The
 * server stores this with every answer. On failure b is as it was:
 * RF_ENOMEM, RF_ETOOBIG at b's cap, RF_EINVAL (a number not finite, an id
 * not valid UTF-8; the tree builder refuses both too). */
rf_status rf_cat_session_state_text(const struct rf_cat_session *s, struct rf_buf *b,
                                    struct rf_err *err);

/* Restores a session over pool p (borrowed) from obj. Refused with
 * RF_EINVAL (message prefixed with where, naming the field or item): a
 * malformed object, a grid other than the pool's, an unknown skill, an item
 * not in the bank, retired, outside the scope or given twice, an answer out
 * of range, an item whose parameters differ from the bank's. On failure
 * *out is untouched. */
rf_status rf_cat_session_from_json(const struct rf_cat_pool *p, const json_t *obj,
                                   const char *where, struct rf_cat_session **out,
                                   struct rf_err *err);

/* Whether item_id is one of the pretest items of the stored session state
 * (NULL or malformed: no). Readers of a test's stored answers skip them: a
 * pretest answer never changes a score or report. */
int rf_cat_state_pretest(const json_t *state, const char *item_id);

/* Writes the session to path atomically (temporary file and rename). */
rf_status rf_cat_session_save(const struct rf_cat_session *s, const char *path, struct rf_err *err);

/* Reads a session file (at most RF_CAT_MAX_SESSION_BYTES) written by
 * rf_cat_session_save; errors name the path. */
rf_status rf_cat_session_load(const struct rf_cat_pool *p, const char *path,
                              struct rf_cat_session **out, struct rf_err *err);

#endif
