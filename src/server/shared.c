/* Limits held for the whole deployment through the store; see shared.h. */
#include "server/shared.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"

#define KEY_LEN 96 /* "name:key" kept per local bucket (longer keys are cut) */

/* A local bucket of a settled limit. */
struct lbucket {
    uint64_t h; /* hash of key; 0: empty */
    char key[KEY_LEN];
    double tokens, last;
    double pending; /* tokens taken here since the last settling */
};

struct rf_shlimit {
    struct rf_shared *sh;
    char name[16];
    double rate, burst;
    size_t n;
    struct lbucket *b;
    pthread_mutex_t mu;
    struct rf_shlimit *next; /* the limits of sh */
};

struct rf_shared {
    struct rf_store *store;
    double (*clock)(void);
    pthread_mutex_t mu; /* the list of limits, changes, stop */
    pthread_cond_t cv;
    struct rf_shlimit *limits;
    struct rf_store_slot_change *changes;
    size_t nchanges, capchanges;
    int stop;
    int kicked; /* a bucket spent half its burst locally: settle now */
    pthread_t th;
    int started;
};

double rf_shared_now(const struct rf_shared *sh)
{
    if (sh->clock)
        return sh->clock();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

/* ---- settling ---- */

/* One take to settle: where its bucket was, and what was taken. */
struct settle {
    struct rf_shlimit *l;
    size_t i;
    uint64_t h;
};

/* Answered changes of one test: only the last is needed. */
static int by_test_then_order(const void *x, const void *y)
{
    const struct rf_store_slot_change *a = x, *b = y;
    if (a->test != b->test)
        return (a->test > b->test) - (a->test < b->test);
    return (a->now > b->now) - (a->now < b->now);
}

static void settle_slots(struct rf_shared *sh)
{
    pthread_mutex_lock(&sh->mu);
    struct rf_store_slot_change *c = sh->changes;
    size_t n = sh->nchanges;
    sh->changes = NULL;
    sh->nchanges = sh->capchanges = 0;
    pthread_mutex_unlock(&sh->mu);
    if (!n)
        return;
    qsort(c, n, sizeof *c, by_test_then_order);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && c[m - 1].test == c[i].test)
            c[m - 1] = c[i]; /* a later answer of the same test */
        else
            c[m++] = c[i];
    }
    struct rf_err err;
    /* lost when the store fails: the slot then frees after its idle time */
    (void)rf_store_slots_update(sh->store, c, m, &err);
    free(c);
}

#define SETTLE_MAX 512 /* takes settled in one transaction */

/* Settles the pending takes of every limit: in the store, then each local
 * bucket at the store's level less what was taken here meanwhile. */
static void settle_limits(struct rf_shared *sh)
{
    struct rf_store_take v[SETTLE_MAX];
    struct settle w[SETTLE_MAX];
    char keys[SETTLE_MAX][KEY_LEN];
    /* limits are only ever added at the head, and freed with sh */
    pthread_mutex_lock(&sh->mu);
    struct rf_shlimit *l = sh->limits;
    pthread_mutex_unlock(&sh->mu);
    size_t i = 0;
    for (;;) {
        size_t n = 0;
        /* collect */
        for (; l && n < SETTLE_MAX; i = 0, l = l->next) {
            pthread_mutex_lock(&l->mu);
            for (; i < l->n && n < SETTLE_MAX; i++) {
                struct lbucket *b = &l->b[i];
                if (!b->h || b->pending <= 0)
                    continue;
                memcpy(keys[n], b->key, KEY_LEN);
                v[n] = (struct rf_store_take){keys[n], l->rate, l->burst, b->pending, 0, 0};
                w[n] = (struct settle){l, i, b->h};
                b->pending = 0;
                n++;
            }
            pthread_mutex_unlock(&l->mu);
            if (n == SETTLE_MAX)
                break;
        }
        if (!n)
            break;
        double now = rf_shared_now(sh);
        struct rf_err err;
        if (rf_store_limits_take(sh->store, now, 0, v, n, &err) == RF_OK) {
            for (size_t k = 0; k < n; k++) {
                struct rf_shlimit *wl = w[k].l;
                pthread_mutex_lock(&wl->mu);
                struct lbucket *b = &wl->b[w[k].i];
                if (b->h == w[k].h) {
                    b->tokens = v[k].level - b->pending;
                    b->last = now;
                }
                pthread_mutex_unlock(&wl->mu);
            }
        }
        /* else: the store is away; each process keeps its own limits meanwhile */
        if (!l)
            break;
    }
}

void rf_shared_sync(struct rf_shared *sh)
{
    settle_limits(sh);
    settle_slots(sh);
}

/* Every RF_SHARED_PRUNE_SECONDS, buckets and counters untouched for
 * RF_SHARED_KEEP_SECONDS leave the store (a bucket is full again by then). */
static void prune(struct rf_shared *sh, double *last)
{
    double now = rf_shared_now(sh);
    if (now - *last < RF_SHARED_PRUNE_SECONDS)
        return;
    *last = now;
    struct rf_err err;
    (void)rf_store_counter(sh->store, "", RF_STORE_COUNT_PRUNE, now - RF_SHARED_KEEP_SECONDS,
                           NULL, NULL, &err);
}

static void *settler(void *arg)
{
    struct rf_shared *sh = arg;
    double pruned = rf_shared_now(sh);
    pthread_mutex_lock(&sh->mu);
    while (!sh->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        long ns = until.tv_nsec + (long)(RF_SHARED_SYNC_SECONDS * 1e9);
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        if (!sh->kicked)
            pthread_cond_timedwait(&sh->cv, &sh->mu, &until);
        sh->kicked = 0;
        pthread_mutex_unlock(&sh->mu);
        rf_shared_sync(sh);
        prune(sh, &pruned);
        pthread_mutex_lock(&sh->mu);
    }
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

rf_status rf_shared_new(struct rf_store *store, double (*clock)(void), int thread,
                        struct rf_shared **out, struct rf_err *err)
{
    struct rf_shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return rf_err_set(err, RF_ENOMEM, "shared limits: out of memory");
    sh->store = store;
    sh->clock = clock;
    pthread_mutex_init(&sh->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&sh->cv, &ca);
    pthread_condattr_destroy(&ca);
    sh->started = thread && pthread_create(&sh->th, NULL, settler, sh) == 0;
    if (thread && !sh->started) {
        rf_shared_free(sh);
        return rf_err_set(err, RF_ENOMEM, "shared limits: cannot start the settling thread");
    }
    *out = sh;
    return RF_OK;
}

void rf_shared_free(struct rf_shared *sh)
{
    if (!sh)
        return;
    pthread_mutex_lock(&sh->mu);
    sh->stop = 1;
    pthread_cond_signal(&sh->cv);
    pthread_mutex_unlock(&sh->mu);
    if (sh->started)
        pthread_join(sh->th, NULL);
    rf_shared_sync(sh);
    for (struct rf_shlimit *l = sh->limits, *next; l; l = next) {
        next = l->next;
        pthread_mutex_destroy(&l->mu);
        free(l->b);
        free(l);
    }
    free(sh->changes);
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->cv);
    free(sh);
}

/* ---- settled limits ---- */

rf_status rf_shlimit_new(struct rf_shared *sh, const char *name, double rate, double burst,
                         size_t nbuckets, struct rf_shlimit **out, struct rf_err *err)
{
    struct rf_shlimit *l = calloc(1, sizeof *l);
    if (!l || !(l->b = calloc(nbuckets ? nbuckets : 1, sizeof *l->b))) {
        free(l);
        return rf_err_set(err, RF_ENOMEM, "shared limits: out of memory");
    }
    l->sh = sh;
    snprintf(l->name, sizeof l->name, "%s", name);
    l->rate = rate;
    l->burst = burst < 1 ? 1 : burst;
    l->n = nbuckets ? nbuckets : 1;
    pthread_mutex_init(&l->mu, NULL);
    pthread_mutex_lock(&sh->mu);
    l->next = sh->limits;
    sh->limits = l;
    pthread_mutex_unlock(&sh->mu);
    *out = l;
    return RF_OK;
}

int rf_shlimit_take(struct rf_shlimit *l, const char *key, double *retry_after)
{
    if (l->rate <= 0)
        return 1;
    char full[KEY_LEN];
    snprintf(full, sizeof full, "%s:%s", l->name, key);
    uint64_t h = fnv1a(full);
    double now = rf_shared_now(l->sh);
    pthread_mutex_lock(&l->mu);
    /* two candidate buckets: the key's own, or the least recently used of the pair */
    struct lbucket *a = &l->b[h % l->n], *b = &l->b[(h >> 32) % l->n], *k;
    if (a->h == h)
        k = a;
    else if (b->h == h)
        k = b;
    else {
        k = a->last <= b->last ? a : b;
        k->h = h;
        memcpy(k->key, full, sizeof full);
        k->tokens = l->burst;
        k->last = now;
        k->pending = 0;
    }
    double t = k->tokens + (now > k->last ? now - k->last : 0) * l->rate;
    if (t > l->burst)
        t = l->burst;
    k->last = now;
    int ok = t >= 1.0, kick = 0;
    if (ok) {
        t -= 1.0;
        k->pending += 1.0;
        /* half a burst let through since the last settling: settle now, so
         * that a flood spread over P processes gets about P half-bursts
         * beyond the budget, not P bursts */
        kick = k->pending >= l->burst / 2 && k->pending - 1.0 < l->burst / 2;
    } else if (retry_after)
        *retry_after = (1.0 - t) / l->rate;
    k->tokens = t;
    pthread_mutex_unlock(&l->mu);
    if (kick) {
        struct rf_shared *sh = l->sh;
        pthread_mutex_lock(&sh->mu);
        sh->kicked = 1;
        pthread_cond_signal(&sh->cv);
        pthread_mutex_unlock(&sh->mu);
    }
    return ok;
}

/* ---- exact limits ---- */

int rf_shared_take(struct rf_shared *sh, const char *name, const char *key, double rate,
                   double burst, double *retry_after, struct rf_err *err)
{
    if (rate <= 0)
        return 1;
    char full[KEY_LEN];
    snprintf(full, sizeof full, "%s:%s", name, key);
    struct rf_store_take v = {full, rate, burst < 1 ? 1 : burst, 1, 0, 0};
    if (rf_store_limits_take(sh->store, rf_shared_now(sh), 1, &v, 1, err))
        return -1;
    if (!v.taken)
        *retry_after = (1.0 - v.level) / rate;
    return v.taken;
}

/* The throttle's key of an account: e-mail addresses compare without case. */
static void account_key(const char *account, char out[KEY_LEN])
{
    size_t n = snprintf(out, KEY_LEN, "signin-fail:");
    for (; *account && n < KEY_LEN - 1; account++)
        out[n++] = (char)tolower((unsigned char)*account);
    out[n] = '\0';
}

int rf_shared_throttle_allowed(struct rf_shared *sh, const char *account, double *retry_after,
                               struct rf_err *err)
{
    char key[KEY_LEN];
    account_key(account, key);
    int64_t fails;
    double at, now = rf_shared_now(sh);
    if (rf_store_counter(sh->store, key, RF_STORE_COUNT_GET, now, &fails, &at, err))
        return -1;
    if (fails <= RF_THROTTLE_FREE)
        return 1;
    double d = ldexp(1.0, (int)(fails > 64 ? 64 : fails) - RF_THROTTLE_FREE - 1);
    if (d > RF_THROTTLE_MAX_DELAY)
        d = RF_THROTTLE_MAX_DELAY;
    if (now >= at + d)
        return 1;
    *retry_after = at + d - now;
    return 0;
}

void rf_shared_throttle_failed(struct rf_shared *sh, const char *account)
{
    char key[KEY_LEN];
    account_key(account, key);
    struct rf_err err;
    (void)rf_store_counter(sh->store, key, RF_STORE_COUNT_ADD, rf_shared_now(sh), NULL, NULL, &err);
}

void rf_shared_throttle_succeeded(struct rf_shared *sh, const char *account)
{
    char key[KEY_LEN];
    account_key(account, key);
    struct rf_err err;
    (void)rf_store_counter(sh->store, key, RF_STORE_COUNT_CLEAR, rf_shared_now(sh), NULL, NULL, &err);
}

int rf_shared_slot_take(struct rf_shared *sh, const char *key, size_t max_total,
                        size_t max_per_key, double idle, int64_t *slot, double *retry_after,
                        int *per_key, struct rf_err *err)
{
    settle_slots(sh); /* this process's answers first: its slots are not idle */
    struct rf_store_slot_ask q = {key, rf_shared_now(sh), idle, (int64_t)max_total,
                                  (int64_t)max_per_key};
    if (rf_store_slot_take(sh->store, &q, slot, per_key, retry_after, err))
        return -1;
    return *slot > 0;
}

static void slot_change(struct rf_shared *sh, int kind, int64_t slot, int64_t test, int finished)
{
    struct rf_store_slot_change c = {kind, slot, test, finished, rf_shared_now(sh)};
    struct rf_err err;
    (void)rf_store_slots_update(sh->store, &c, 1, &err);
}

void rf_shared_slot_bind(struct rf_shared *sh, int64_t slot, int64_t test)
{
    slot_change(sh, RF_STORE_SLOT_BIND, slot, test, 0);
}

void rf_shared_slot_release(struct rf_shared *sh, int64_t slot)
{
    slot_change(sh, RF_STORE_SLOT_RELEASE, slot, 0, 0);
}

void rf_shared_slot_answered(struct rf_shared *sh, int64_t test, int finished)
{
    if (finished) { /* once a test: its slot is free at once */
        slot_change(sh, RF_STORE_SLOT_ANSWERED, 0, test, 1);
        return;
    }
    pthread_mutex_lock(&sh->mu);
    if (sh->nchanges == sh->capchanges && sh->capchanges < RF_SHARED_MAX_CHANGES) {
        size_t nc = sh->capchanges ? 2 * sh->capchanges : 256;
        struct rf_store_slot_change *c = realloc(sh->changes, nc * sizeof *c);
        if (c) {
            sh->changes = c;
            sh->capchanges = nc;
        }
    }
    /* beyond the bound (the store away for long) the change is dropped: the
     * slot then frees after its idle time */
    if (sh->nchanges < sh->capchanges)
        sh->changes[sh->nchanges++] =
            (struct rf_store_slot_change){RF_STORE_SLOT_ANSWERED, 0, test, 0, rf_shared_now(sh)};
    pthread_mutex_unlock(&sh->mu);
}

/* ---- secrets and spent tokens ---- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The secret stored as setting key (2n hex digits) into out: 1 when there. */
static int stored_secret(struct rf_store *st, const char *key, unsigned char *out, size_t n)
{
    char *v = NULL;
    struct rf_err err;
    if (rf_store_setting_get(st, key, &v, &err) || !v)
        return 0;
    int ok = strlen(v) == 2 * n;
    for (size_t i = 0; ok && i < n; i++) {
        int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
        ok = hi >= 0 && lo >= 0;
        out[i] = (unsigned char)(hi * 16 + lo);
    }
    free(v);
    return ok;
}

rf_status rf_shared_secret(struct rf_shared *sh, const char *name, unsigned char *out, size_t n,
                           struct rf_err *err)
{
    char key[KEY_LEN], hex[2 * 64 + 1];
    snprintf(key, sizeof key, "secret:%s", name);
    if (n > 64)
        return rf_err_set(err, RF_EINVAL, "shared secret %s: at most 64 bytes", name);
    if (stored_secret(sh->store, key, out, n))
        return RF_OK;
    /* the first process to count the secret's making makes it; the others
     * wait for it to appear */
    int64_t makers;
    rf_status rc = rf_store_counter(sh->store, key, RF_STORE_COUNT_ADD, rf_shared_now(sh),
                                    &makers, NULL, err);
    if (rc)
        return rc;
    if (makers == 1) {
        FILE *f = fopen("/dev/urandom", "rb");
        int got = f && fread(out, 1, n, f) == n;
        if (f)
            (void)fclose(f);
        if (!got)
            return rf_err_set(err, RF_EIO, "shared secret %s: cannot read /dev/urandom", name);
        for (size_t i = 0; i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", out[i]);
        return rf_store_setting_set(sh->store, key, hex, err);
    }
    for (int i = 0; i < 200; i++) {
        struct timespec ts = {0, 25L * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (stored_secret(sh->store, key, out, n))
            return RF_OK;
    }
    return rf_err_set(err, RF_EDB, "shared secret %s: another process began making it and it "
                                   "did not appear in the store within 5 s",
                      name);
}

int rf_shared_spend(struct rf_shared *sh, const char *name, const char *key, struct rf_err *err)
{
    char full[RF_STORE_LIMIT_KEY + 1];
    snprintf(full, sizeof full, "%s:%s", name, key);
    int64_t n;
    if (rf_store_counter(sh->store, full, RF_STORE_COUNT_ADD, rf_shared_now(sh), &n, NULL, err))
        return -1;
    return n == 1;
}
