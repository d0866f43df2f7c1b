/* Live adaptive sessions between requests; see sesscache.h. */
#include "server/sesscache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    struct rf_test t; /* t.id 0: empty */
    struct rf_cat_session *s;
};

struct rf_sesscache {
    pthread_mutex_t mu;
    size_t n;
    struct slot *slot;
};

rf_status rf_sesscache_new(size_t nslots, struct rf_sesscache **out, struct rf_err *err)
{
    struct rf_sesscache *c = calloc(1, sizeof *c);
    if (c)
        c->slot = calloc(nslots ? nslots : 1, sizeof *c->slot);
    if (!c || !c->slot) {
        free(c);
        return rf_err_set(err, RF_ENOMEM, "session cache: out of memory");
    }
    c->n = nslots ? nslots : 1;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return RF_OK;
}

void rf_sesscache_free(struct rf_sesscache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        rf_cat_session_free(c->slot[i].s);
        rf_store_test_cleanup(&c->slot[i].t);
    }
    pthread_mutex_destroy(&c->mu);
    free(c->slot);
    free(c);
}

static struct slot *slot_of(struct rf_sesscache *c, int64_t id)
{
    return &c->slot[(uint64_t)id % c->n];
}

struct rf_cat_session *rf_sesscache_take(struct rf_sesscache *c, int64_t id, struct rf_test *t)
{
    struct slot got;
    memset(&got, 0, sizeof got);
    pthread_mutex_lock(&c->mu);
    struct slot *sl = slot_of(c, id);
    if (sl->t.id == id && id != 0) {
        got = *sl;
        memset(sl, 0, sizeof *sl);
    }
    pthread_mutex_unlock(&c->mu);
    *t = got.t;
    return got.s;
}

void rf_sesscache_put(struct rf_sesscache *c, struct rf_cat_session *s, struct rf_test *t)
{
    if (t->id == 0 || !s || !t->state || !t->scope || !t->served_ms) {
        rf_cat_session_free(s);
        rf_store_test_cleanup(t);
        return;
    }
    pthread_mutex_lock(&c->mu);
    struct slot *sl = slot_of(c, t->id), old = *sl;
    sl->t = *t;
    sl->s = s;
    pthread_mutex_unlock(&c->mu);
    memset(t, 0, sizeof *t);
    rf_cat_session_free(old.s);
    rf_store_test_cleanup(&old.t);
}

/* ---- who a session is ---- */

#define WHO_HASH 65 /* RF_TOKEN_HASH_LEN */
#define WHO_CSRF 64
/* entries a bucket: sessions whose hashes meet in a bucket do not evict one
 * another until it is full (a slot each thrashed: with 600 sessions in 1,024
 * slots, 47% of answers read their session) */
#define WHO_WAYS 4

struct who {
    char hash[WHO_HASH]; /* "": empty */
    int64_t candidate_id, org_id, expires;
    uint64_t used; /* the cache's clock when last put or found: the oldest of a bucket goes */
    char csrf[WHO_CSRF];
};

struct rf_whocache {
    pthread_mutex_t mu;
    size_t n; /* buckets */
    uint64_t clock;
    struct who *slot; /* n * WHO_WAYS */
};

rf_status rf_whocache_new(size_t nslots, struct rf_whocache **out, struct rf_err *err)
{
    struct rf_whocache *c = calloc(1, sizeof *c);
    if (c)
        c->slot = calloc((nslots ? nslots : 1) * WHO_WAYS, sizeof *c->slot);
    if (!c || !c->slot) {
        free(c);
        return rf_err_set(err, RF_ENOMEM, "session cache: out of memory");
    }
    c->n = nslots ? nslots : 1;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return RF_OK;
}

void rf_whocache_free(struct rf_whocache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c->slot);
    free(c);
}

/* The bucket of a hash (FNV-1a of its text): WHO_WAYS entries. */
static struct who *bucket_of(struct rf_whocache *c, const char *hash)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = hash; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return &c->slot[(h % c->n) * WHO_WAYS];
}

/* The entry of hash in its bucket, or NULL. */
static struct who *who_find(struct who *b, const char *hash)
{
    for (int i = 0; i < WHO_WAYS; i++)
        if (b[i].hash[0] && strcmp(b[i].hash, hash) == 0)
            return &b[i];
    return NULL;
}

void rf_whocache_put(struct rf_whocache *c, const char *hash, int64_t candidate_id, int64_t org_id,
                     const char *csrf, int64_t expires)
{
    if (!candidate_id || !hash[0] || strlen(hash) >= WHO_HASH || strlen(csrf) >= WHO_CSRF)
        return;
    pthread_mutex_lock(&c->mu);
    struct who *b = bucket_of(c, hash), *w = who_find(b, hash);
    for (int i = 0; !w && i < WHO_WAYS; i++)
        if (!b[i].hash[0])
            w = &b[i];
    if (!w) { /* full: the one least recently used */
        w = &b[0];
        for (int i = 1; i < WHO_WAYS; i++)
            if (b[i].used < w->used)
                w = &b[i];
    }
    snprintf(w->hash, sizeof w->hash, "%s", hash);
    snprintf(w->csrf, sizeof w->csrf, "%s", csrf);
    w->candidate_id = candidate_id;
    w->org_id = org_id;
    w->expires = expires;
    w->used = ++c->clock;
    pthread_mutex_unlock(&c->mu);
}

int rf_whocache_get(struct rf_whocache *c, const char *hash, int64_t now, int64_t *candidate_id,
                    int64_t *org_id, char *csrf, size_t csrf_len)
{
    int found = 0;
    pthread_mutex_lock(&c->mu);
    struct who *w = hash[0] ? who_find(bucket_of(c, hash), hash) : NULL;
    if (w && w->expires >= now) {
        *candidate_id = w->candidate_id;
        *org_id = w->org_id;
        snprintf(csrf, csrf_len, "%s", w->csrf);
        w->used = ++c->clock;
        found = 1;
    }
    pthread_mutex_unlock(&c->mu);
    return found;
}

void rf_whocache_drop(struct rf_whocache *c, const char *hash)
{
    pthread_mutex_lock(&c->mu);
    struct who *w = hash[0] ? who_find(bucket_of(c, hash), hash) : NULL;
    if (w)
        memset(w, 0, sizeof *w);
    pthread_mutex_unlock(&c->mu);
}
