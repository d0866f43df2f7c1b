/*
 * The HTTP front door of `rolefit serve`: the route table, cookie and CSRF
 * handling, rate limiting and static files, over the application (app.h).
 * Handlers are thin: parse, call the app, serialize.
 */
#ifndef RF_SERVER_ROUTES_H
#define RF_SERVER_ROUTES_H

#include "base/err.h"
#include "server/app.h"

struct rf_server;

struct rf_server_config {
    struct rf_app_config app;
    const char *addr;
    unsigned port; /* 0: any free port */
    unsigned threads;
    int quiet;     /* no per-request log lines */
    int secure_cookies;      /* cookies carry Secure (the server is reached over HTTPS) */
    const char *trust_proxy; /* address of the reverse proxy whose X-Forwarded-* are believed */
    /* Open practice tests (no invite) at most, in all and per client address
     * (0: no cap per address); a test holds its slot until it finishes or goes
     * practice_idle seconds without an answer (0: RF_PRACTICE_IDLE_SECONDS).
     * practice_max 0: no caps at all. */
    size_t practice_max, practice_max_per_ip;
    double practice_idle;
    /* Zero bits a practice start's proof of work must reach (server/pow.h);
     * 0: none asked. */
    unsigned practice_pow_bits;
    /* Password hashes running at once (0: RF_HASH_SLOTS); requests beyond
     * queue up to RF_HASH_QUEUE deep for RF_HASH_WAIT_SECONDS, then get 503. */
    size_t hash_slots;
    /* Seconds a connection may take to send a request's headers in all
     * (0: RF_HTTP_HEADER_SECONDS): slow senders are shut down (slowloris). */
    double header_seconds;
    /* Seconds of the clock rate limits, practice slots and proof-of-work
     * challenges go by; NULL: the wall clock, which every serve process on
     * one database shares (server/shared.h). Tests give their own to step
     * time without sleeping. */
    double (*clock)(void);
    /* Seconds between the review queue's scheduled runs (pretest calibration,
     * drift, DIF; server/schedule.h), on that clock; 0: none, runs on
     * request only. */
    double review_every;
};

/* Loads everything, prints the setup link on first start through cfg->app.log,
 * and starts listening. */
rf_status rf_server_start(const struct rf_server_config *cfg, struct rf_server **out,
                          struct rf_err *err);
unsigned rf_server_port(const struct rf_server *s);
/* Connections shut down so far for sending their headers too slowly. */
size_t rf_server_shed_count(const struct rf_server *s);
/* Graceful stop: finishes in-flight requests (up to RF_HTTP_DRAIN_SECONDS), closes the store. */
void rf_server_stop(struct rf_server *s);

#endif
