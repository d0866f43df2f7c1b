/*
 * The HTTP layer of `rolefit serve` over libmicrohttpd: request bodies
 * accumulated under a cap per route (a body declared larger is refused with
 * 413 before it is read, and its connection closed; a chunked body that grows
 * larger has its connection closed), a routing table with path parameters, responses
 * with security headers, JSON error bodies, and the one mapping from
 * rf_status to an HTTP status. Handlers are thin: they read the request, call
 * the application (server/app.h) and write a response.
 */
#ifndef RF_SERVER_HTTP_H
#define RF_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct MHD_Connection;

#define RF_HTTP_MAX_PARAMS 3
#define RF_HTTP_MAX_HEADERS 6

struct rf_req {
    const char *method;   /* "GET", "POST", ... */
    const char *path;     /* URL path without the query string */
    struct MHD_Connection *conn;
    const char *body;     /* NUL-terminated request body ("" when none) */
    size_t body_len;
    const char *params[RF_HTTP_MAX_PARAMS]; /* ":name" segments of the route, in order */
    char ip[64];          /* client address (the forwarded one behind the trusted proxy) */
    int https;            /* the trusted proxy says the client used HTTPS */
    const void *arg;      /* the matched route's arg */
};

struct rf_resp {
    int status;
    const char *ctype;    /* static string */
    struct rf_buf body;
    const char *file_path; /* when set, serve this file instead of body (static files) */
    char *headers[RF_HTTP_MAX_HEADERS][2]; /* owned name/value pairs */
    size_t nheaders;
};

/* A request header or query argument (NULL when absent). */
const char *rf_req_header(const struct rf_req *r, const char *name);
const char *rf_req_query(const struct rf_req *r, const char *name);
/* A cookie value copied into out (size n); 0 when absent or too long. */
int rf_req_cookie(const struct rf_req *r, const char *name, char *out, size_t n);

/* Parses the body as a JSON object; on failure writes a 400 to resp and returns NULL. */
json_t *rf_req_json(const struct rf_req *r, struct rf_resp *resp);

/* Whether a Content-Type header names exactly application/json (any case,
 * parameters such as charset allowed). */
int rf_http_is_json_type(const char *ct);

/* Adds a response header (copied). */
void rf_resp_header(struct rf_resp *resp, const char *name, const char *value);
/* Sets a JSON body (steals the reference to j) with status. */
void rf_resp_json(struct rf_resp *resp, int status, json_t *j);
/* Sets a body of the given content type (copied). */
void rf_resp_text(struct rf_resp *resp, int status, const char *ctype, const char *text,
                  size_t len);
/* A JSON error {"error": msg, "field": field|null, "code": code} with status:
 * msg is English, for API users; code is stable ("not_found",
 * "invalid_field", ...; by the status when NULL) so that a page says it in
 * its reader's language (docs/api.md lists the codes). */
void rf_resp_error(struct rf_resp *resp, int status, const char *msg, const char *field);
void rf_resp_error_code(struct rf_resp *resp, int status, const char *code, const char *msg,
                        const char *field);
/* The one mapping from a library status (and its message) to an HTTP error. */
void rf_resp_fail(struct rf_resp *resp, rf_status rc, const char *msg, const char *field);
/* As rf_resp_fail, for a refusal with a stable reason code (a static string;
 * NULL: none) and its arguments (detail: a JSON object, reference stolen,
 * may be NULL): the body adds "reason" and "detail" to "error", "field" and
 * "code". A server error (5xx) sends neither. */
void rf_resp_refused(struct rf_resp *resp, rf_status rc, const char *msg, const char *field,
                     const char *reason, json_t *detail);
int rf_http_status(rf_status rc);

/* A route: method, pattern with ":x" segments, handler. */
struct rf_route {
    const char *method;
    const char *pattern;
    void (*fn)(void *app, struct rf_req *req, struct rf_resp *resp);
    const void *arg; /* handed to fn as req->arg (e.g. which application call to make) */
    size_t max_body; /* largest body of this route; 0: the config's max_body */
};

struct rf_http;

struct rf_http_config {
    const char *addr;  /* IPv4 address to bind */
    unsigned port;     /* 0: any free port (read back with rf_http_port) */
    unsigned threads;
    size_t max_body;   /* body cap of routes without their own, and of unrouted requests */
    unsigned timeout;
    /* IPv4 address of a reverse proxy: on its connections, and only there, the
     * last X-Forwarded-For entry is the client's address (rate limits, logs)
     * and X-Forwarded-Proto: https sets rf_req.https. NULL or "": none. */
    const char *trust_proxy;
    const struct rf_route *routes;
    size_t nroutes;
    /* Long requests (a ranking over a whole organization), matched after
     * routes: each is run by one of heavy_threads workers at a lower CPU
     * priority while its connection is suspended, so that the HTTP thread
     * goes on serving its other connections (candidates never queue behind
     * it); more queue for a worker. */
    const struct rf_route *heavy;
    size_t nheavy;
    /* For a request of one of routes: 1 to run this request on the heavy
     * workers too (e.g. by who asks, when only some callers' answers are
     * long); NULL: never. Called on the HTTP thread, after the gate. */
    int (*heavy_if)(void *app, const struct rf_route *r, struct rf_req *req);
    /* called when no route matches a GET (static files); may be NULL */
    void (*fallback)(void *app, struct rf_req *req, struct rf_resp *resp);
    /* called before routing; returns 0 to stop (resp filled, e.g. 429) */
    int (*gate)(void *app, struct rf_req *req, struct rf_resp *resp);
    void *app;
    /* one log line per request when set */
    void (*log)(void *app, const char *line);
    /* seconds a connection may take to send a request's headers, in all
     * (0: RF_HTTP_HEADER_SECONDS; the busy deadline scales with it) */
    double header_seconds;
    unsigned heavy_threads; /* 0: RF_HTTP_HEAVY_THREADS */
};

rf_status rf_http_start(const struct rf_http_config *cfg, struct rf_http **out, struct rf_err *err);
unsigned rf_http_port(const struct rf_http *h);
/* Connections the header watchdog has shut down so far (slow headers). */
size_t rf_http_shed_count(struct rf_http *h);
/* Stops accepting, waits up to drain_seconds for in-flight requests, stops. */
void rf_http_stop(struct rf_http *h, unsigned drain_seconds);

#endif
