/*
 * Live adaptive sessions of `rolefit serve`, kept between requests. Without
 * it every answer reads the test's row, parses its stored JSON state and
 * replays its log (cat/sessfile.h); with it, an answer takes back the session
 * the previous request of the same test left in this process, with the row as
 * this process stored it, and reads nothing.
 *
 * A taken session may be stale: another process (or a lost race) may have
 * stored an answer since. The cache cannot tell; the answer's write does: it
 * is checked against the test's answer count and the served_ms the write that
 * stored the cached state set (rf_answer.seq and .served_ms), so a stale
 * session's write is refused and stores nothing, and the caller then answers
 * from the stored row. Every write of a test's state counts an answer and
 * sets served_ms, so a matching count and served_ms mean that the stored state
 * is the one the session was saved as. Restoring is exact (sessfile.h), so a
 * taken session behaves as a restored one would.
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
#include "store/store.h"

struct rf_sesscache;

/* A cache of nslots entries (nslots >= 1). RF_ENOMEM only. */
rf_status rf_sesscache_new(size_t nslots, struct rf_sesscache **out, struct rf_err *err);
/* Frees the cache and every session in it; NULL is a no-op. */
void rf_sesscache_free(struct rf_sesscache *c);

/* The session of test id with the row it was saved with, removed from the
 * cache and owned by the caller; NULL when there is none. *t is then the row
 * as this process stored it (its id, candidate, organization, posting,
 * invite, scope, state, status "active", answer count, and in served_ms the
 * served_ms its write set), to be freed with rf_store_test_cleanup; on NULL,
 * *t is zeroed. Whether it is still the stored row is for the checked write
 * to tell. */
struct rf_cat_session *rf_sesscache_take(struct rf_sesscache *c, int64_t id, struct rf_test *t);

/* Keeps session s with *t, the row as stored (t->id the test, t->state the
 * state s was saved as, t->served_ms what the write set, nonzero): takes
 * ownership of s and of t's strings (*t is zeroed), freeing whatever the slot
 * held before. A row without state or served_ms is not kept (freed). */
void rf_sesscache_put(struct rf_sesscache *c, struct rf_cat_session *s, struct rf_test *t);

/*
 * Who a candidate's login session is, as this process last read it
 * (token hash -> candidate, organization, CSRF token, expiry), so that an
 * answer need not read the session before it is made. What this memory
 * cannot know (the session signed out, ended or expired, its candidate
 * removed, by this process or another) the answer's write checks
 * (rf_store_answer_session): a remembered session that is gone gets its
 * answer refused, nothing stored, and is then read as any request's
 * session is. Only candidates' sessions are kept (staff roles can change).
 * Bounded: nslots buckets of 4 entries, chosen by the hash, the least
 * recently used of a full bucket replaced; thread-safe.
 */
struct rf_whocache;

rf_status rf_whocache_new(size_t nslots, struct rf_whocache **out, struct rf_err *err);
void rf_whocache_free(struct rf_whocache *c);
/* Remembers session hash (RF_TOKEN_HASH_LEN - 1 hex digits) of candidate
 * candidate_id in organization org_id, with its csrf token, until expires
 * (unix seconds). A candidate_id of 0 is not kept. */
void rf_whocache_put(struct rf_whocache *c, const char *hash, int64_t candidate_id, int64_t org_id,
                     const char *csrf, int64_t expires);
/* 1 and the candidate, organization and csrf (csrf_len bytes at most) of
 * session hash when remembered and not expired at now; else 0. */
int rf_whocache_get(struct rf_whocache *c, const char *hash, int64_t now, int64_t *candidate_id,
                    int64_t *org_id, char *csrf, size_t csrf_len);
/* Forgets session hash (signed out here). */
void rf_whocache_drop(struct rf_whocache *c, const char *hash);

#endif
