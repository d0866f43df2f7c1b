/*
 * Token-bucket rate limiting keyed by a string (a client address, a test
 * session id). A fixed table of buckets (hashed, oldest entry replaced on
 * collision) bounds memory whatever the number of clients. Thread-safe.
 */
#ifndef RF_SERVER_RATELIMIT_H
#define RF_SERVER_RATELIMIT_H

#include <stddef.h>

#include "base/err.h"

struct rf_ratelimit;

/* rate tokens per second, up to burst tokens; nbuckets table entries. */
rf_status rf_ratelimit_new(double rate, double burst, size_t nbuckets, struct rf_ratelimit **out,
                           struct rf_err *err);
void rf_ratelimit_free(struct rf_ratelimit *r);

/* Takes one token for key at time now (seconds). Returns 1 if allowed; else 0
 * and *retry_after (may be NULL) the seconds until a token is available. A
 * rate <= 0 disables the limit (always 1). */
int rf_ratelimit_take(struct rf_ratelimit *r, const char *key, double now, double *retry_after);

#endif
