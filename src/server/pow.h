/*
 * Proof of work for open practice starts: a small hash puzzle the browser
 * solves in a fraction of a second, which makes an attacker pay for every
 * practice slot it takes (issue 21), on top of the caps on open practice tests (server/shared.h).
 *
 * A challenge is stateless until it is spent: 64 hex digits of
 * expiry (8 bytes, seconds of the server's clock) | nonce (8 bytes) |
 * MAC (16 bytes, keyed BLAKE2b of the first 16 bytes under a key made at
 * start). A solution is a decimal counter n (at most 20 digits) such that
 * SHA-256("<challenge>:<n>") starts with `bits` zero bits. A solved challenge
 * is spent: a second use is refused until it would have expired anyway.
 * Thread-safe; the spent set belongs to one process (the server also spends
 * each challenge in the store, for the whole deployment: server/shared.h).
 */
#ifndef RF_SERVER_POW_H
#define RF_SERVER_POW_H

#include <stddef.h>

#include "base/err.h"

#define RF_POW_CHALLENGE_LEN 64   /* hex digits, without the terminating NUL */
#define RF_POW_MAX_BITS 32
#define RF_POW_TTL_SECONDS 300.0
#define RF_POW_SPENT_SLOTS 65536  /* challenges remembered as spent at once */

struct rf_pow;

/* bits 1..RF_POW_MAX_BITS; ttl > 0 seconds. RF_EINVAL, RF_ENOMEM, RF_EIO
 * (libsodium). */
rf_status rf_pow_new(unsigned bits, double ttl, struct rf_pow **out, struct rf_err *err);
void rf_pow_free(struct rf_pow *p);
/* Replaces the key made at start by one the serve processes of a deployment
 * share (RF_POW_KEY_LEN bytes), so that a challenge one process issued is
 * good at every other; they must share the clock of the challenges too. */
#define RF_POW_KEY_LEN 32
void rf_pow_set_key(struct rf_pow *p, const unsigned char *key);
unsigned rf_pow_bits(const struct rf_pow *p);

/* A fresh challenge valid until now + ttl, into out (RF_POW_CHALLENGE_LEN + 1
 * bytes). */
void rf_pow_challenge(struct rf_pow *p, double now, char *out);

/* Checks and spends a solution. RF_OK; or RF_EINVAL with err naming the
 * problem (malformed, forged, expired, not solved, already used), or RF_ETOOBIG
 * when the spent set is full of live challenges. */
rf_status rf_pow_redeem(struct rf_pow *p, const char *challenge, const char *counter, double now,
                        struct rf_err *err);

/* Whether SHA-256("<challenge>:<counter>") starts with bits zero bits. */
int rf_pow_solved(const char *challenge, const char *counter, unsigned bits);

/* Finds the least counter that solves challenge (tests and tools; about
 * 2^bits hashes). Writes it as decimal into out (>= 21 bytes). */
void rf_pow_solve(const char *challenge, unsigned bits, char *out);

#endif
