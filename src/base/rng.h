/*
 * Deterministic pseudo-random numbers: xoshiro256** (Blackman & Vigna 2018)
 * seeded through splitmix64. The whole state is four 64-bit words, so it
 * serializes exactly; the same seed gives the same stream on every platform.
 * No global state: each user owns its struct rf_rng.
 */
#ifndef RF_RNG_H
#define RF_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rf_rng {
    uint64_t s[4];
};

/* Seeds the generator; any seed (including 0) gives a valid state. */
void rf_rng_seed(struct rf_rng *r, uint64_t seed);

/* Next 64 random bits. */
uint64_t rf_rng_next(struct rf_rng *r);

/* Uniform double in [0, 1) with 53 random bits. */
double rf_rng_uniform(struct rf_rng *r);

/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint64_t rf_rng_below(struct rf_rng *r, uint64_t n);

/* Standard normal deviate (Marsaglia polar method, no cached spare). */
double rf_rng_normal(struct rf_rng *r);

/* Derives an independent stream for substream k (e.g. per examinee), so
 * results do not depend on thread count or order of work. */
void rf_rng_substream(struct rf_rng *out, uint64_t seed, uint64_t k);

#endif
