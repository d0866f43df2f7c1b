/* Token buckets in a fixed hash table; see ratelimit.h. */
#include "server/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bucket {
    uint64_t key; /* hash of the key, 0 = empty */
    double tokens, last;
};

struct rf_ratelimit {
    double rate, burst;
    size_t n;
    struct bucket *b;
    pthread_mutex_t mu;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

rf_status rf_ratelimit_new(double rate, double burst, size_t nbuckets, struct rf_ratelimit **out,
                           struct rf_err *err)
{
    struct rf_ratelimit *r = calloc(1, sizeof *r);
    if (!r || !(r->b = calloc(nbuckets ? nbuckets : 1, sizeof *r->b))) {
        free(r);
        return rf_err_set(err, RF_ENOMEM, "rate limiter: out of memory");
    }
    r->rate = rate;
    r->burst = burst < 1 ? 1 : burst;
    r->n = nbuckets ? nbuckets : 1;
    pthread_mutex_init(&r->mu, NULL);
    *out = r;
    return RF_OK;
}

void rf_ratelimit_free(struct rf_ratelimit *r)
{
    if (!r)
        return;
    pthread_mutex_destroy(&r->mu);
    free(r->b);
    free(r);
}

int rf_ratelimit_take(struct rf_ratelimit *r, const char *key, double now, double *retry_after)
{
    if (r->rate <= 0)
        return 1;
    uint64_t h = fnv1a(key);
    pthread_mutex_lock(&r->mu);
    /* two candidate slots: the key's own, or the least recently used of the pair */
    struct bucket *a = &r->b[h % r->n], *b = &r->b[(h >> 32) % r->n], *k;
    if (a->key == h)
        k = a;
    else if (b->key == h)
        k = b;
    else {
        k = a->last <= b->last ? a : b;
        k->key = h;
        k->tokens = r->burst;
        k->last = now;
    }
    double t = k->tokens + (now - k->last) * r->rate;
    if (t > r->burst)
        t = r->burst;
    k->last = now;
    int ok = t >= 1.0;
    if (ok)
        t -= 1.0;
    else if (retry_after)
        *retry_after = (1.0 - t) / r->rate;
    k->tokens = t;
    pthread_mutex_unlock(&r->mu);
    return ok;
}
