/* Proof of work for practice starts; see pow.h. */
#include "server/pow.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAC_LEN 16
#define BODY_LEN 16 /* expiry (8) + nonce (8) */
#define PROBE 64     /* slots looked at for a free or stale entry */

struct spent {
    uint64_t nonce;
    double expiry; /* 0: free */
};

struct rf_pow {
    unsigned bits;
    double ttl;
    unsigned char key[crypto_generichash_KEYBYTES];
    pthread_mutex_t lock;
    struct spent *spent; /* RF_POW_SPENT_SLOTS, open addressing by nonce */
};

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

rf_status rf_pow_new(unsigned bits, double ttl, struct rf_pow **out, struct rf_err *err)
{
    *out = NULL;
    if (bits < 1 || bits > RF_POW_MAX_BITS || !(ttl > 0))
        return rf_err_set(err, RF_EINVAL, "proof of work: bits must be 1..%d and ttl > 0",
                          RF_POW_MAX_BITS);
    if (sodium_init() < 0)
        return rf_err_set(err, RF_EIO, "libsodium could not be initialized");
    struct rf_pow *p = calloc(1, sizeof *p);
    if (!p || !(p->spent = calloc(RF_POW_SPENT_SLOTS, sizeof *p->spent))) {
        free(p);
        return rf_err_set(err, RF_ENOMEM, "out of memory for the proof-of-work table");
    }
    p->bits = bits;
    p->ttl = ttl;
    randombytes_buf(p->key, sizeof p->key);
    pthread_mutex_init(&p->lock, NULL);
    *out = p;
    return RF_OK;
}

void rf_pow_free(struct rf_pow *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->lock);
    sodium_memzero(p->key, sizeof p->key);
    free(p->spent);
    free(p);
}

void rf_pow_set_key(struct rf_pow *p, const unsigned char *key)
{
    _Static_assert(RF_POW_KEY_LEN == crypto_generichash_KEYBYTES, "the MAC key's length");
    pthread_mutex_lock(&p->lock);
    memcpy(p->key, key, sizeof p->key);
    pthread_mutex_unlock(&p->lock);
}

unsigned rf_pow_bits(const struct rf_pow *p)
{
    return p->bits;
}

static void mac_of(const struct rf_pow *p, const unsigned char *body, unsigned char *mac)
{
    crypto_generichash(mac, MAC_LEN, body, BODY_LEN, p->key, sizeof p->key);
}

void rf_pow_challenge(struct rf_pow *p, double now, char *out)
{
    unsigned char raw[BODY_LEN + MAC_LEN];
    double exp = now + p->ttl;
    put_u64(raw, exp > 0 ? (uint64_t)exp + 1 : 1);
    randombytes_buf(raw + 8, 8);
    mac_of(p, raw, raw + BODY_LEN);
    sodium_bin2hex(out, RF_POW_CHALLENGE_LEN + 1, raw, sizeof raw);
}

int rf_pow_solved(const char *challenge, const char *counter, unsigned bits)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)challenge, strlen(challenge));
    crypto_hash_sha256_update(&st, (const unsigned char *)":", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)counter, strlen(counter));
    crypto_hash_sha256_final(&st, h);
    unsigned i = 0;
    for (; i + 8 <= bits; i += 8)
        if (h[i / 8])
            return 0;
    if (i < bits) {
        unsigned rest = bits - i;
        if (h[i / 8] >> (8 - rest))
            return 0;
    }
    return 1;
}

void rf_pow_solve(const char *challenge, unsigned bits, char *out)
{
    for (uint64_t n = 0;; n++) {
        snprintf(out, 21, "%llu", (unsigned long long)n);
        if (rf_pow_solved(challenge, out, bits))
            return;
    }
}

/* Spends nonce (locked). 1: spent now; 0: already spent; -1: table full. */
static int spend(struct rf_pow *p, uint64_t nonce, double expiry, double now)
{
    size_t mask = RF_POW_SPENT_SLOTS - 1, at = (size_t)(nonce * 0x9E3779B97F4A7C15ull) & mask;
    long free_at = -1;
    for (size_t k = 0; k < PROBE; k++) {
        struct spent *e = &p->spent[(at + k) & mask];
        if (e->expiry > now && e->nonce == nonce)
            return 0;
        if (free_at < 0 && !(e->expiry > now))
            free_at = (long)((at + k) & mask);
    }
    if (free_at < 0)
        return -1;
    p->spent[free_at].nonce = nonce;
    p->spent[free_at].expiry = expiry;
    return 1;
}

rf_status rf_pow_redeem(struct rf_pow *p, const char *challenge, const char *counter, double now,
                        struct rf_err *err)
{
    unsigned char raw[BODY_LEN + MAC_LEN], mac[MAC_LEN];
    size_t len = 0;
    if (!challenge || strlen(challenge) != RF_POW_CHALLENGE_LEN ||
        sodium_hex2bin(raw, sizeof raw, challenge, RF_POW_CHALLENGE_LEN, NULL, &len, NULL) != 0 ||
        len != sizeof raw)
        return rf_err_set(err, RF_EINVAL, "pow.challenge: expected the %d hex digits from "
                          "GET /api/practice/challenge", RF_POW_CHALLENGE_LEN);
    size_t clen = counter ? strlen(counter) : 0;
    if (clen < 1 || clen > 20 || strspn(counter, "0123456789") != clen)
        return rf_err_set(err, RF_EINVAL, "pow.nonce: expected a decimal number of 1 to 20 digits");
    mac_of(p, raw, mac);
    if (sodium_memcmp(mac, raw + BODY_LEN, MAC_LEN) != 0)
        return rf_err_set(err, RF_EINVAL, "pow.challenge: not a challenge of this server");
    double expiry = (double)get_u64(raw);
    if (expiry <= now)
        return rf_err_set(err, RF_EINVAL, "pow.challenge: expired; fetch a new one");
    if (!rf_pow_solved(challenge, counter, p->bits))
        return rf_err_set(err, RF_EINVAL, "pow.nonce: does not solve the challenge");
    pthread_mutex_lock(&p->lock);
    int r = spend(p, get_u64(raw + 8), expiry, now);
    pthread_mutex_unlock(&p->lock);
    if (r == 0)
        return rf_err_set(err, RF_EINVAL, "pow.challenge: already used; fetch a new one");
    if (r < 0)
        return rf_err_set(err, RF_ETOOBIG, "too many practice starts at once; try again later");
    return RF_OK;
}
