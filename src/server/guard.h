/*
 * Two guards for the expensive part of signing in (argon2id: ~64 MiB and tens
 * of milliseconds per hash):
 *
 * - a gate bounding how many hashes run at once, with a bounded queue of
 *   waiters; a caller that finds the queue full, or waits too long, is turned
 *   away (the server answers 503 with Retry-After), so a sign-in flood costs
 *   bounded memory and leaves threads for everyone else;
 * - a per-account throttle: after RF_THROTTLE_FREE failed sign-ins an account's
 *   next attempt waits 2^(k) seconds (k failures past the free ones), capped
 *   at RF_THROTTLE_MAX_DELAY, and one success clears it. The cap keeps the real
 *   user locked out for at most that long after the attacker stops.
 *
 * Both are thread-safe and allocate only when created; the throttle is a fixed
 * table keyed by a hash of the account name, so memory is bounded whatever the
 * number of accounts tried (a collision shares, never loses, a delay).
 */
#ifndef RF_SERVER_GUARD_H
#define RF_SERVER_GUARD_H

#include <stddef.h>

#include "base/err.h"

struct rf_gate;

/* At most slots holders at once, and at most waiters queued behind them. */
rf_status rf_gate_new(size_t slots, size_t waiters, struct rf_gate **out, struct rf_err *err);
void rf_gate_free(struct rf_gate *g);
/* 1 when the caller holds a slot (then it must call rf_gate_leave); 0 when the
 * queue is full or no slot freed within wait_seconds. */
int rf_gate_enter(struct rf_gate *g, double wait_seconds);
void rf_gate_leave(struct rf_gate *g);

struct rf_throttle;

rf_status rf_throttle_new(size_t nbuckets, struct rf_throttle **out, struct rf_err *err);
void rf_throttle_free(struct rf_throttle *t);
/* 1 when key may try now (time now in seconds); else 0 and *retry_after the
 * seconds to wait. Keys compare case-insensitively (e-mail addresses). */
int rf_throttle_allowed(struct rf_throttle *t, const char *key, double now, double *retry_after);
/* Records a failed attempt of key at now. */
void rf_throttle_failed(struct rf_throttle *t, const char *key, double now);
/* A successful attempt clears key's delay. */
void rf_throttle_succeeded(struct rf_throttle *t, const char *key);

#endif
