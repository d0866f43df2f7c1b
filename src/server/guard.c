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
