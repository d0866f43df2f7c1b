/* Open practice tests per key and in all; see slots.h. An entry is free when
 * used is 0; held when used and either unbound (id 0) or answered within the
 * last idle seconds. Idle entries are reclaimed by the scans themselves. */
#include "server/slots.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    int used;
    int64_t id;  /* 0 while taken but not bound */
    double last; /* time of the binding or the last answer */
    char key[64];
};

struct rf_slots {
    size_t n, per_key;
    double idle;
    struct entry *e;
    pthread_mutex_t mu;
};

rf_status rf_slots_new(size_t max_total, size_t max_per_key, double idle, struct rf_slots **out,
                       struct rf_err *err)
{
    if (max_total == 0 || !(idle > 0))
        return rf_err_set(err, RF_EINVAL, "practice slots: need at least 1 slot and idle > 0");
    struct rf_slots *s = calloc(1, sizeof *s);
    if (!s || !(s->e = calloc(max_total, sizeof *s->e))) {
        free(s);
        return rf_err_set(err, RF_ENOMEM, "practice slots: out of memory");
    }
    s->n = max_total;
    s->per_key = max_per_key;
    s->idle = idle;
    pthread_mutex_init(&s->mu, NULL);
    *out = s;
    return RF_OK;
}

void rf_slots_free(struct rf_slots *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->mu);
    free(s->e);
    free(s);
}

/* Frees entry e when it has gone idle; 1 when it is (still) held. */
static int held(const struct rf_slots *s, struct entry *e, double now)
{
    if (e->used && e->id && now - e->last >= s->idle)
        e->used = 0;
    return e->used;
}

/* Seconds until held entry e goes idle (an unbound one: soon, say 1). */
static double until_idle(const struct rf_slots *s, const struct entry *e, double now)
{
    return e->id ? e->last + s->idle - now : 1.0;
}

int rf_slots_take(struct rf_slots *s, const char *key, double now, size_t *slot,
                  double *retry_after, int *per_key)
{
    pthread_mutex_lock(&s->mu);
    size_t mine = 0, all = 0, free_at = SIZE_MAX;
    double first_all = -1, first_mine = -1;
    for (size_t i = 0; i < s->n; i++) {
        struct entry *e = &s->e[i];
        if (!held(s, e, now)) {
            if (free_at == SIZE_MAX)
                free_at = i;
            continue;
        }
        all++;
        double t = until_idle(s, e, now);
        if (first_all < 0 || t < first_all)
            first_all = t;
        if (strncmp(e->key, key, sizeof e->key - 1) == 0) {
            mine++;
            if (first_mine < 0 || t < first_mine)
                first_mine = t;
        }
    }
    int full_key = s->per_key && mine >= s->per_key;
    /* the last fifth of the slots is kept for keys that hold none */
    int reserved = mine > 0 && all + s->n / 5 >= s->n;
    int ok = !full_key && !reserved && free_at != SIZE_MAX;
    if (ok) {
        struct entry *e = &s->e[free_at];
        memset(e, 0, sizeof *e);
        e->used = 1;
        e->last = now;
        strncpy(e->key, key, sizeof e->key - 1);
        *slot = free_at;
    } else {
        double t = full_key ? first_mine : first_all;
        *retry_after = t < 1 ? 1 : t;
        *per_key = full_key;
    }
    pthread_mutex_unlock(&s->mu);
    return ok;
}

void rf_slots_bind(struct rf_slots *s, size_t slot, int64_t id, double now)
{
    pthread_mutex_lock(&s->mu);
    if (slot < s->n && s->e[slot].used) {
        s->e[slot].id = id;
        s->e[slot].last = now;
    }
    pthread_mutex_unlock(&s->mu);
}

void rf_slots_release(struct rf_slots *s, size_t slot)
{
    pthread_mutex_lock(&s->mu);
    if (slot < s->n)
        s->e[slot].used = 0;
    pthread_mutex_unlock(&s->mu);
}

void rf_slots_answered(struct rf_slots *s, int64_t id, double now, int finished)
{
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n; i++) {
        struct entry *e = &s->e[i];
        if (held(s, e, now) && e->id == id) {
            if (finished)
                e->used = 0;
            else
                e->last = now;
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
}

size_t rf_slots_held(struct rf_slots *s, const char *key, double now)
{
    pthread_mutex_lock(&s->mu);
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += held(s, &s->e[i], now) &&
             (!key || strncmp(s->e[i].key, key, sizeof s->e[i].key - 1) == 0);
    pthread_mutex_unlock(&s->mu);
    return n;
}
