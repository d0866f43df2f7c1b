/*
 * A guard for the expensive part of signing in (argon2id: ~64 MiB and tens of
 * milliseconds per hash), and for practice starts: a gate bounding how many
 * run at once in a process, with a bounded queue of waiters; a caller that
 * finds the queue full, or waits too long, is turned away (the server
 * answers 503 with Retry-After), so a flood costs bounded memory and leaves
 * threads for everyone else. Thread-safe; allocates only when created. (The
 * per-account throttle of failed sign-ins is held for the whole deployment:
 * server/shared.h.)
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

#endif
