/*
 * Limits of `rolefit serve` held for the whole deployment (issue 20): every
 * serve process on one database shares one budget per key, through the store
 * (store.h, "limits shared by every process").
 *
 * Two kinds, by how often they are asked:
 *
 * - Settled limits (requests per address, answers per test): asked on every
 *   request, so decided in the process on a local token bucket, which a
 *   background thread settles with the store every RF_SHARED_SYNC_SECONDS: it
 *   takes from the store's bucket what the process let through, and the
 *   bucket's level there, which holds what every process took, becomes the
 *   local level; a bucket that lets half its burst through before then has
 *   it settled at once. The answer path never waits for the database. Across
 *   P processes a key may get, beyond the one budget, what the others let
 *   through before they settle (about P - 1 half-bursts when a flood starts);
 *   the debt is then repaid, and over time the rate is the one rate.
 *
 * - Exact limits (sign-ins per address, failed sign-ins per account, open
 *   practice tests): asked once per sign-in or start, which already costs a
 *   password hash or a test's creation, so each is one store transaction.
 *   A practice test's answers keep its slot through the background thread.
 *
 * Times: the configuration's clock when given (tests step it), else the wall
 * clock (processes share it; the monotonic clock is per machine boot).
 * Thread-safe.
 */
#ifndef RF_SERVER_SHARED_H
#define RF_SERVER_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

struct rf_shared;

/* Limits shared through store (borrowed; it outlives the result). clock:
 * NULL for the wall clock. thread: start the settling thread (0: settled
 * only by rf_shared_sync, for tests that settle by hand). */
rf_status rf_shared_new(struct rf_store *store, double (*clock)(void), int thread,
                        struct rf_shared **out, struct rf_err *err);
/* Settles what is pending, stops the thread, frees; NULL is a no-op. */
void rf_shared_free(struct rf_shared *sh);
/* Settles every pending take and slot change now (tests; the thread does it
 * by itself). */
void rf_shared_sync(struct rf_shared *sh);

/* ---- settled limits ---- */
struct rf_shlimit;
/* A limit named name (the key prefix in the store: "ip", "answer"): rate
 * tokens a second up to burst, local buckets for nbuckets keys at once. rate
 * <= 0: no limit. */
rf_status rf_shlimit_new(struct rf_shared *sh, const char *name, double rate, double burst,
                         size_t nbuckets, struct rf_shlimit **out, struct rf_err *err);
/* 1 when key may pass (a token taken); else 0 and *retry_after the seconds
 * until a token is there. */
int rf_shlimit_take(struct rf_shlimit *l, const char *key, double *retry_after);

/* ---- exact limits ----
 * Each returns 1 (allowed), 0 (limited: *retry_after set), or -1 when the
 * store failed (err says why; the caller answers as for any store error). */
/* One token of bucket name:key (rate a second, up to burst). */
int rf_shared_take(struct rf_shared *sh, const char *name, const char *key, double rate,
                   double burst, double *retry_after, struct rf_err *err);
/* May account try to sign in now? After RF_THROTTLE_FREE failures in a row
 * it waits 2^(k-1) s after its k-th failure past those, at most
 * RF_THROTTLE_MAX_DELAY (server/guard.h, for one process). */
int rf_shared_throttle_allowed(struct rf_shared *sh, const char *account, double *retry_after,
                               struct rf_err *err);
/* A failed sign-in of account; a successful one clears its failures. */
void rf_shared_throttle_failed(struct rf_shared *sh, const char *account);
void rf_shared_throttle_succeeded(struct rf_shared *sh, const char *account);

/* An open practice test's slot for key (a client address): see
 * rf_store_slot_take; *slot is the slot to bind or release. */
int rf_shared_slot_take(struct rf_shared *sh, const char *key, size_t max_total,
                        size_t max_per_key, double idle, int64_t *slot, double *retry_after,
                        int *per_key, struct rf_err *err);
void rf_shared_slot_bind(struct rf_shared *sh, int64_t slot, int64_t test);
void rf_shared_slot_release(struct rf_shared *sh, int64_t slot);
/* Test was answered: its slot is kept (settled by the thread, and before
 * this process takes a slot), or freed at once when it finished. */
void rf_shared_slot_answered(struct rf_shared *sh, int64_t test, int finished);

/* ---- shared by the processes: a clock, secrets, spent tokens ---- */
/* Seconds on the clock the processes share (the configuration's, or the wall
 * clock). */
double rf_shared_now(const struct rf_shared *sh);
/* The deployment's secret called name (n random bytes, made by the first
 * process that asks and kept in the store's settings), into out. */
rf_status rf_shared_secret(struct rf_shared *sh, const char *name, unsigned char *out, size_t n,
                           struct rf_err *err);
/* Spends token name:key for the whole deployment: 1 the first time, 0 when
 * it was spent already (within the last RF_SHARED_KEEP_SECONDS), -1 when the
 * store failed. */
int rf_shared_spend(struct rf_shared *sh, const char *name, const char *key, struct rf_err *err);

#endif
