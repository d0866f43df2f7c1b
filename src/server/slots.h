/*
 * Open practice tests of `rolefit serve`, counted so that anonymous starts
 * cannot pile up: at most max_total open at once on the server, and at most
 * max_per_key for one key (a client address). A slot is taken before a test
 * starts, bound to the test's id once the test exists (or released when the
 * start fails), kept by each answer, and freed when the test finishes or when
 * it has gone idle seconds without an answer (an abandoned test). A slot
 * taken but not yet bound never goes idle: the caller binds or releases it
 * within its request. The last fifth of the slots (max_total / 5) is kept for
 * keys that hold none: many keys that each fill their cap cannot shut out a
 * newcomer, only as many distinct keys as there are reserved slots can.
 *
 * A fixed table of max_total entries; each call scans it under one lock
 * (O(max_total), a few microseconds for thousands). Thread-safe. The counts
 * belong to one server process.
 */
#ifndef RF_SERVER_SLOTS_H
#define RF_SERVER_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct rf_slots;

/* max_total >= 1 slots in all; max_per_key 0 = no cap per key; idle > 0
 * seconds. RF_EINVAL for other values, RF_ENOMEM. */
rf_status rf_slots_new(size_t max_total, size_t max_per_key, double idle, struct rf_slots **out,
                       struct rf_err *err);
/* NULL is a no-op. */
void rf_slots_free(struct rf_slots *s);

/* Takes a slot for key (at most 63 bytes are compared) at time now (seconds,
 * monotonic): returns 1 and its index in *slot; or 0 when key holds
 * max_per_key slots (*per_key = 1) or every slot is held (*per_key = 0), with
 * *retry_after the seconds (>= 1) until the first slot in the way goes idle. */
int rf_slots_take(struct rf_slots *s, const char *key, double now, size_t *slot,
                  double *retry_after, int *per_key);

/* Binds a taken slot to test id (> 0), from which time it may go idle. */
void rf_slots_bind(struct rf_slots *s, size_t slot, int64_t id, double now);

/* Frees a taken slot (the start failed). */
void rf_slots_release(struct rf_slots *s, size_t slot);

/* Test id was answered at now: its slot is kept, or freed when finished. A
 * test without a slot (an invite's, or one that went idle) is ignored. */
void rf_slots_answered(struct rf_slots *s, int64_t id, double now, int finished);

/* Slots held at now (idle ones not counted); for key only when key is not NULL. */
size_t rf_slots_held(struct rf_slots *s, const char *key, double now);

#endif
