/* xoshiro256** with splitmix64 seeding; see rng.h. */
#include "base/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rf_rng_seed(struct rf_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rf_rng_next(struct rf_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rf_rng_uniform(struct rf_rng *r)
{
    return (double)(rf_rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rf_rng_below(struct rf_rng *r, uint64_t n)
{
    uint64_t lim = (uint64_t)0 - ((uint64_t)0 - n) % n; /* largest multiple of n, mod 2^64 */
    for (;;) {
        uint64_t x = rf_rng_next(r);
        if (lim == 0 || x < lim)
            return x % n;
    }
}

double rf_rng_normal(struct rf_rng *r)
{
    for (;;) {
        double u = 2.0 * rf_rng_uniform(r) - 1.0;
        double v = 2.0 * rf_rng_uniform(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

void rf_rng_substream(struct rf_rng *out, uint64_t seed, uint64_t k)
{
    uint64_t x = seed ^ 0x6a09e667f3bcc909ULL;
    uint64_t a = splitmix64(&x);
    uint64_t y = k + 0x3c6ef372fe94f82bULL;
    uint64_t b = splitmix64(&y);
    rf_rng_seed(out, a ^ (b * 0xd1342543de82ef95ULL));
}
