/* Concurrency gate and per-account backoff; see guard.h. */
#include "server/guard.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "base/config.h"

struct rf_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t slots, waiters, busy, waiting;
};

rf_status rf_gate_new(size_t slots, size_t waiters, struct rf_gate **out, struct rf_err *err)
{
    if (slots == 0)
        return rf_err_set(err, RF_EINVAL, "gate: at least one slot");
    struct rf_gate *g = calloc(1, sizeof *g);
    if (!g)
        return rf_err_set(err, RF_ENOMEM, "gate: out of memory");
    pthread_mutex_init(&g->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->cv, &ca);
    pthread_condattr_destroy(&ca);
    g->slots = slots;
    g->waiters = waiters;
    *out = g;
    return RF_OK;
}

void rf_gate_free(struct rf_gate *g)
{
    if (!g)
        return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

int rf_gate_enter(struct rf_gate *g, double wait_seconds)
{
    pthread_mutex_lock(&g->mu);
    if (g->busy < g->slots) {
        g->busy++;
        pthread_mutex_unlock(&g->mu);
        return 1;
    }
    if (g->waiting >= g->waiters || wait_seconds <= 0) {
        pthread_mutex_unlock(&g->mu);
        return 0;
    }
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    double whole = floor(wait_seconds);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((wait_seconds - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    g->waiting++;
    int timed_out = 0;
    while (g->busy >= g->slots && !timed_out)
        timed_out = pthread_cond_timedwait(&g->cv, &g->mu, &until) != 0;
    g->waiting--;
    int ok = g->busy < g->slots;
    if (ok)
        g->busy++;
    pthread_mutex_unlock(&g->mu);
    return ok;
}

void rf_gate_leave(struct rf_gate *g)
{
    pthread_mutex_lock(&g->mu);
    if (g->busy)
        g->busy--;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

struct bucket {
    uint64_t key;    /* 0: empty */
    unsigned fails;  /* failed attempts since the last success */
    double not_before;
};

struct rf_throttle {
    pthread_mutex_t mu;
    struct bucket *b;
    size_t n;
};

rf_status rf_throttle_new(size_t nbuckets, struct rf_throttle **out, struct rf_err *err)
{
    struct rf_throttle *t = calloc(1, sizeof *t);
    if (!t || nbuckets == 0 || !(t->b = calloc(nbuckets, sizeof *t->b))) {
        free(t);
        return rf_err_set(err, RF_ENOMEM, "throttle: out of memory");
    }
    t->n = nbuckets;
    pthread_mutex_init(&t->mu, NULL);
    *out = t;
    return RF_OK;
}

void rf_throttle_free(struct rf_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t->b);
    free(t);
}

/* FNV-1a over the case-folded key, never 0. */
static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= (uint64_t)tolower(*p);
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static struct bucket *find(struct rf_throttle *t, uint64_t h, int create)
{
    struct bucket *b = &t->b[h % t->n];
    if (b->key == h)
        return b;
    if (!create)
        return NULL;
    /* a collision takes over the slot but keeps the larger delay, so an
     * attacker cannot clear an account's delay by trying other names */
    if (b->key != 0 && b->fails > 0) {
        b->key = h;
        return b;
    }
    b->key = h;
    b->fails = 0;
    b->not_before = 0;
    return b;
}

int rf_throttle_allowed(struct rf_throttle *t, const char *key, double now, double *retry_after)
{
    pthread_mutex_lock(&t->mu);
    const struct bucket *b = find(t, key_hash(key), 0);
    int ok = !b || now >= b->not_before;
    if (!ok && retry_after)
        *retry_after = b->not_before - now;
    pthread_mutex_unlock(&t->mu);
    return ok;
}

void rf_throttle_failed(struct rf_throttle *t, const char *key, double now)
{
    pthread_mutex_lock(&t->mu);
    struct bucket *b = find(t, key_hash(key), 1);
    if (b->fails < 64)
        b->fails++;
    if (b->fails > RF_THROTTLE_FREE) {
        double d = ldexp(1.0, (int)(b->fails - RF_THROTTLE_FREE - 1));
        if (d > RF_THROTTLE_MAX_DELAY)
            d = RF_THROTTLE_MAX_DELAY;
        b->not_before = now + d;
    }
    pthread_mutex_unlock(&t->mu);
}

void rf_throttle_succeeded(struct rf_throttle *t, const char *key)
{
    pthread_mutex_lock(&t->mu);
    struct bucket *b = find(t, key_hash(key), 0);
    if (b) {
        b->key = 0;
        b->fails = 0;
        b->not_before = 0;
    }
    pthread_mutex_unlock(&t->mu);
}
