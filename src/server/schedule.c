/* The review queue's schedule; see schedule.h. */
#include "server/schedule.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "server/app_flow.h"
#include "store/store.h"

struct rf_schedule {
    struct rf_app *a;
    double every, tick;
    double (*clock)(void);
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop, started;
};

static double now_of(const struct rf_schedule *s)
{
    if (s->clock)
        return s->clock();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int rf_schedule_due(struct rf_app *a, double every, double now, struct rf_err *err)
{
    struct rf_store *st = rf_app_store(a);
    char *last = NULL, mine[64];
    snprintf(mine, sizeof mine, "%.3f", now);
    if (rf_store_setting_get(st, RF_SCHEDULE_KEY, &last, err))
        return 0;
    if (!last) { /* the first look on this database: the interval starts */
        rf_store_setting_set(st, RF_SCHEDULE_KEY, mine, err);
        return 0;
    }
    char *end;
    double t = strtod(last, &end);
    /* a value that is not a time (edited by hand): due, and it is replaced */
    int due = end == last || *end || now - t >= every;
    if (due)
        due = rf_store_setting_swap(st, RF_SCHEDULE_KEY, last, mine, err) == RF_OK;
    free(last);
    return due;
}

static void *runner(void *arg)
{
    struct rf_schedule *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        struct rf_err err;
        rf_err_clear(&err);
        if (rf_schedule_due(s->a, s->every, now_of(s), &err)) {
            struct rf_app_error e = {0};
            rf_status rc = rf_app_review_scheduled(s->a, &e);
            if (rc)
                rf_app_log(s->a, "review: the scheduled run failed: %s", e.err.msg);
        } else if (err.rc) {
            rf_app_log(s->a, "review: the schedule cannot read the store: %s", err.msg);
        }
        pthread_mutex_lock(&s->mu);
        if (s->stop)
            break;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        long long ns = until.tv_nsec + (long long)(s->tick * 1e9);
        until.tv_sec += (time_t)(ns / 1000000000LL);
        until.tv_nsec = (long)(ns % 1000000000LL);
        pthread_cond_timedwait(&s->cv, &s->mu, &until);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

rf_status rf_schedule_start(struct rf_app *a, double every, double (*clock)(void), double tick,
                            struct rf_schedule **out, struct rf_err *err)
{
    if (!(every > 0) || !(tick > 0))
        return rf_err_set(err, RF_EINVAL, "review schedule: interval and tick must be positive");
    struct rf_schedule *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "review schedule: out of memory");
    *s = (struct rf_schedule){.a = a, .every = every, .tick = tick, .clock = clock};
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    s->started = pthread_create(&s->th, NULL, runner, s) == 0;
    if (!s->started) {
        rf_schedule_stop(s);
        return rf_err_set(err, RF_ENOMEM, "review schedule: cannot start its thread");
    }
    *out = s;
    return RF_OK;
}

void rf_schedule_stop(struct rf_schedule *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    if (s->started)
        pthread_join(s->th, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
