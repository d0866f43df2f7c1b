/*
 * Live adaptive sessions of `rolefit serve`, kept between requests. Without
 * it every answer parses the test's stored JSON state and replays its log
 * (cat/sessfile.h); with it, a request takes back the session the previous
 * request of the same test left, but only when the state stored for the test
 * is byte for byte the state that session was saved as. Restoring is exact
 * (sessfile.h), so a taken session behaves as a restored one would, and a
 * state written by anyone else (another process, a lost race) is simply a
 * miss.
 *
 * Bounded: one entry per slot, slots chosen by test id (a newer entry
 * replaces an older one in its slot). Thread-safe; a taken session belongs to
 * the caller alone until it is put back.
 */
#ifndef RF_SERVER_SESSCACHE_H
#define RF_SERVER_SESSCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "cat/session.h"

struct rf_sesscache;

/* A cache of nslots entries (nslots >= 1). RF_ENOMEM only. */
rf_status rf_sesscache_new(size_t nslots, struct rf_sesscache **out, struct rf_err *err);
/* Frees the cache and every session in it; NULL is a no-op. */
void rf_sesscache_free(struct rf_sesscache *c);

/* The session of test id saved as state, removed from the cache and owned by
 * the caller; NULL when there is none (or it was saved as another state). */
struct rf_cat_session *rf_sesscache_take(struct rf_sesscache *c, int64_t id, const char *state);

/* Keeps session s of test id, saved as state (malloc'd); takes ownership of
 * both, freeing whatever the slot held before. */
void rf_sesscache_put(struct rf_sesscache *c, int64_t id, struct rf_cat_session *s, char *state);

#endif
