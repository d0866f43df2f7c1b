/*
 * libmicrohttpd glue. Each request gets a struct conn: its route, matched as
 * soon as the headers are in, and its body, accumulated up to the route's cap
 * (see on_request for what happens beyond); the handler runs once the body is
 * complete. Every response gets
 * the security headers; API responses are not cached.
 *
 * Errors libmicrohttpd raises by itself once a request's headers are in (a
 * Content-Length that overflows or is not a number, a malformed chunked body)
 * never reach the handler, and 0.9.75 answers them with its own HTML page (for
 * Content-Length with its header block sent twice) and no security headers. The error logger sees each of them just before:
 * it finds the one connection of its own thread in that state (see
 * answer_mhd_error), writes our JSON reply to its socket and shuts it down,
 * so libmicrohttpd's page never goes out. Errors raised while the headers are
 * still arriving (a header block over RF_HTTP_CONNECTION_MEMORY: 431; a
 * malformed line: 400) cannot be told apart from the other connections that
 * are sending headers, and keep libmicrohttpd's short reply (one header block,
 * Connection: close) -- docs/security.md.
 */
#include "server/http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/escape.h"
#include "base/json.h"
#include "base/mem.h"

/* A TCP connection as the header watchdog sees it (one per connection, the
 * socket context of libmicrohttpd's connection notifications). */
struct watch {
    struct watch *prev, *next;
    MHD_socket fd;
    /* Written by the connection's worker thread twice a request without the
     * watchdog's mutex (atomics: the watchdog reads them under it while the
     * list is walked), since before waiting: */
    _Atomic double since; /* when it started waiting for a request's headers */
    atomic_int waiting;   /* 1 until the current request's headers are complete */
    int shed;             /* already shut down by the watchdog, or answered by answer_mhd_error */
    struct MHD_Connection *conn;
    pthread_t thread; /* the worker thread that serves it (libmicrohttpd accepts there) */
};

struct rf_http {
    struct MHD_Daemon *d;
    struct rf_http_config cfg;
    int trust;            /* cfg.trust_proxy is set */
    struct in_addr proxy; /* its address */
    /* The header watchdog: every connection, and a thread that shuts down
     * those that take too long to send a request's headers (slowloris). */
    pthread_mutex_t wmu;
    pthread_cond_t wcv;
    struct watch *conns;
    size_t nconns, nshed;
    int wstop;
    pthread_t wthread;
    int wstarted;
    /* Heavy routes' requests, run by their own workers (see struct rf_route). */
    pthread_mutex_t hmu;
    pthread_cond_t hcv;
    struct job *hhead, **htail;
    int hstop;
    pthread_t *hthreads;
    size_t nhthreads;
};

/* A heavy request handed to a worker while its connection is suspended. */
struct job {
    struct job *next;
    struct rf_http *h;
    struct MHD_Connection *conn;
    const struct rf_route *route;
    struct rf_req req;
    struct rf_resp resp;
    int done; /* the worker has filled resp; read after the connection resumes */
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static struct watch *watch_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Marks the connection as waiting for (waiting = 1, from now) or done with
 * (waiting = 0) a request's headers. No lock: the watch cannot be freed
 * meanwhile (only its own connection's close frees it, on this thread), and
 * a watchdog that reads waiting = 1 reads the since stored before it. */
static void watch_mark(struct MHD_Connection *c, int waiting)
{
    struct watch *w = watch_of(c);
    if (!w)
        return;
    atomic_store(&w->since, mono_now());
    atomic_store(&w->waiting, waiting);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **sctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct rf_http *h = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct watch *w = calloc(1, sizeof *w);
        if (!w || !ci) {
            free(w);
            return; /* not watched: the idle timeout still applies */
        }
        w->fd = ci->connect_fd;
        w->conn = c;
        w->thread = pthread_self();
        atomic_init(&w->since, mono_now());
        atomic_init(&w->waiting, 1);
        pthread_mutex_lock(&h->wmu);
        w->next = h->conns;
        if (h->conns)
            h->conns->prev = w;
        h->conns = w;
        h->nconns++;
        pthread_mutex_unlock(&h->wmu);
        *sctx = w;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *sctx) {
        struct watch *w = *sctx;
        pthread_mutex_lock(&h->wmu);
        if (w->prev)
            w->prev->next = w->next;
        else
            h->conns = w->next;
        if (w->next)
            w->next->prev = w->prev;
        h->nconns--;
        pthread_mutex_unlock(&h->wmu);
        free(w);
        *sctx = NULL;
    }
}

/* Every RF_HTTP_WATCH_PERIOD seconds: a connection that has waited longer
 * than the header deadline for a request's headers is shut down, however
 * often it sends a byte (the idle timeout resets on every byte, so a client
 * sending one header byte every few seconds would hold its slot for ever).
 * Under pressure (the connection table over RF_HTTP_BUSY_SHARE full) the
 * deadline drops to RF_HTTP_HEADER_SECONDS_BUSY: the slowest go first, and
 * requests that complete keep getting through. A connection whose bytes wait
 * unread in its socket is spared: its worker thread is busy, and the delay is
 * not the client's. */
static void *watchdog(void *arg)
{
    struct rf_http *h = arg;
    pthread_mutex_lock(&h->wmu);
    while (!h->wstop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += (long)(RF_HTTP_WATCH_PERIOD * 1e9);
        while (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&h->wcv, &h->wmu, &until);
        if (h->wstop)
            break;
        double now = mono_now();
        double base = h->cfg.header_seconds > 0 ? h->cfg.header_seconds : RF_HTTP_HEADER_SECONDS;
        double limit = (double)h->nconns > RF_HTTP_BUSY_SHARE * RF_HTTP_CONNECTIONS
                           ? base * (RF_HTTP_HEADER_SECONDS_BUSY / RF_HTTP_HEADER_SECONDS)
                           : base;
        for (struct watch *w = h->conns; w; w = w->next) {
            int unread = 0;
            if (atomic_load(&w->waiting) && !w->shed && now - atomic_load(&w->since) > limit &&
                /* bytes the client sent that its worker thread has not read
                 * yet (busy with another connection's request): the delay is
                 * the server's, not the client's */
                !(ioctl(w->fd, FIONREAD, &unread) == 0 && unread > 0)) {
                shutdown(w->fd, SHUT_RDWR); /* libmicrohttpd sees the close and cleans up */
                w->shed = 1;
                h->nshed++;
            }
        }
    }
    pthread_mutex_unlock(&h->wmu);
    return NULL;
}

struct conn {
    struct rf_buf body;
    size_t cap; /* the route's body cap */
    struct timespec t0;
    const struct rf_route *route; /* matched with the headers; NULL when none */
    int path_known;               /* some route has this path (405 rather than 404) */
    const char *params[RF_HTTP_MAX_PARAMS];
    char store[1100]; /* the captured path segments params point to */
    int heavy;        /* the route is one of the heavy ones */
    struct job *job;  /* a heavy route's request, while a worker has it */
};

const char *rf_req_header(const struct rf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *rf_req_query(const struct rf_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int rf_req_cookie(const struct rf_req *r, const char *name, char *out, size_t n)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
    size_t l = v ? strlen(v) : n;
    if (l >= n)
        return 0;
    memcpy(out, v, l + 1);
    return 1;
}

/* Exactly "application/json", in any case, optionally followed by parameters
 * (";charset=utf-8"), with optional whitespace around the type: a prefix match
 * would accept "application/jsonfoo". */
int rf_http_is_json_type(const char *ct)
{
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (strncasecmp(ct, "application/json", 16) != 0)
        return 0;
    ct += 16;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

json_t *rf_req_json(const struct rf_req *r, struct rf_resp *resp)
{
    /* a cross-site form cannot send this type without a preflight the server never allows */
    const char *ct = rf_req_header(r, "Content-Type");
    if (!ct || !rf_http_is_json_type(ct)) {
        rf_resp_error(resp, 415, "Content-Type must be application/json", NULL);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char msg[256];
        snprintf(msg, sizeof msg, "request body is not valid JSON: line %d column %d: %s", je.line,
                 je.column, je.text);
        rf_resp_error(resp, 400, msg, NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        rf_resp_error(resp, 400, "request body must be a JSON object", NULL);
        return NULL;
    }
    return j;
}

void rf_resp_header(struct rf_resp *resp, const char *name, const char *value)
{
    if (resp->nheaders >= RF_HTTP_MAX_HEADERS)
        return;
    resp->headers[resp->nheaders][0] = rf_strdup(name);
    resp->headers[resp->nheaders][1] = rf_strdup(value);
    resp->nheaders++;
}

void rf_resp_text(struct rf_resp *resp, int status, const char *ctype, const char *text,
                  size_t len)
{
    resp->status = status;
    resp->ctype = ctype;
    rf_buf_reset(&resp->body);
    if (rf_buf_append(&resp->body, text, len)) {
        resp->status = 500;
        resp->ctype = "text/plain; charset=utf-8";
        rf_buf_reset(&resp->body);
    }
}

void rf_resp_json(struct rf_resp *resp, int status, json_t *j)
{
    char *s = j ? rf_json_dumps_out(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!s) {
        rf_resp_text(resp, 500, "application/json", "{\"error\":\"out of memory\"}", 25);
        return;
    }
    rf_resp_text(resp, status, "application/json", s, strlen(s));
    free(s);
}

/* The stable code of an error of this status (http.h): what a page shows in
 * its reader's language (web/i18n: "error.<code>"), where the English message
 * is for API users. */
static const char *error_code(int status, const char *field)
{
    switch (status) {
    case 400: return field ? "invalid_field" : "bad_request";
    case 401: return "sign_in_failed";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 409: return "conflict";
    case 410: return "gone";
    case 413: return "too_large";
    case 414: return "url_too_long";
    case 415: return "content_type";
    case 422: return "unprocessable";
    case 429: return "rate_limited";
    case 503: return "busy";
    default: return "internal";
    }
}

/* The error body of every failed request (http.h); reason and detail (a
 * reference stolen) are added only with a reason. */
static void error_body(struct rf_resp *resp, int status, const char *code, const char *msg,
                       const char *field, const char *reason, json_t *detail)
{
    json_t *j = json_pack("{s:s,s:s?,s:s}", "error", msg, "field", field, "code",
                          code ? code : error_code(status, field));
    if (j && reason) {
        json_object_set_new(j, "reason", json_string(reason));
        json_object_set_new(j, "detail", detail ? detail : json_object());
        detail = NULL;
    }
    json_decref(detail);
    rf_resp_json(resp, status, j);
}

void rf_resp_error_code(struct rf_resp *resp, int status, const char *code, const char *msg,
                        const char *field)
{
    error_body(resp, status, code, msg, field, NULL, NULL);
}

void rf_resp_error(struct rf_resp *resp, int status, const char *msg, const char *field)
{
    rf_resp_error_code(resp, status, NULL, msg, field);
}

int rf_http_status(rf_status rc)
{
    switch (rc) {
    case RF_OK: return 200;
    case RF_EINVAL: return 400;
    case RF_ENOTFOUND: return 404;
    case RF_ECONFLICT: return 409;
    case RF_ETOOBIG: return 413;
    case RF_EPERM: return 403;
    case RF_ERANGE: return 422;
    case RF_EUNSUPPORTED: return 422;
    case RF_EFULL:
    case RF_EUNAVAIL: return 503;
    case RF_ENOMEM:
    case RF_EIO:
    case RF_EDB:
    default: return 500;
    }
}

void rf_resp_fail(struct rf_resp *resp, rf_status rc, const char *msg, const char *field)
{
    rf_resp_refused(resp, rc, msg, field, NULL, NULL);
}

void rf_resp_refused(struct rf_resp *resp, rf_status rc, const char *msg, const char *field,
                     const char *reason, json_t *detail)
{
    int st = rf_http_status(rc);
    if (st >= 500) {
        json_decref(detail); /* a server error says nothing of its cause */
        detail = NULL;
        reason = NULL;
    }
    if (rc == RF_EFULL) {
        /* nothing of the request was stored; it may pass once space is freed */
        rf_resp_header(resp, "Retry-After", RF_HTTP_FULL_RETRY_AFTER);
        rf_resp_error_code(resp, st, "store_full",
                           "the server cannot store anything right now; try again later", NULL);
        return;
    }
    if (rc == RF_EUNAVAIL) {
        /* the database server is away (restarting, network): nothing of the
         * request was acknowledged; the store reconnects by itself */
        rf_resp_header(resp, "Retry-After", RF_HTTP_DB_RETRY_AFTER);
        rf_resp_error_code(resp, st, "db_away",
                           "the database cannot be reached right now; try again later", NULL);
        return;
    }
    /* internal details of server errors are logged, not sent */
    error_body(resp, st, NULL,
               st >= 500 ? "internal error" : (msg && msg[0] ? msg : rf_strerror(rc)),
               st >= 500 ? NULL : field, reason, detail);
}

/* Matches a pattern like "/api/tests/:id/answers" against path; captured
 * segments are copied into store and pointed to by params. */
static int match(const char *pat, const char *path, const char **params, char *store, size_t cap)
{
    size_t np = 0, used = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return 0;
        pat++;
        path++;
        const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pat[0] == ':') {
            if (sl == 0 || np >= RF_HTTP_MAX_PARAMS || used + sl + 1 > cap)
                return 0;
            memcpy(store + used, path, sl);
            store[used + sl] = '\0';
            params[np++] = store + used;
            used += sl + 1;
        } else if (pl != sl || strncmp(pat, path, pl) != 0) {
            return 0;
        }
        pat += pl;
        path += sl;
    }
    return *pat == '\0' && *path == '\0';
}

/* The security headers of every response. */
static const char *const security_headers[][2] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src "
     "'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
};

static void add_security_headers(struct MHD_Response *r)
{
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct rf_resp *resp, int is_head)
{
    struct MHD_Response *r = NULL;
    if (resp->file_path) {
        int fd = open(resp->file_path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            r = MHD_create_response_from_fd((size_t)st.st_size, fd);
            if (!r)
                close(fd);
        } else {
            if (fd >= 0)
                close(fd);
            rf_resp_error(resp, 404, "not found", NULL);
            resp->file_path = NULL;
        }
        if (!r && resp->file_path) {
            /* never fall back to sending the body, which holds the file's path */
            resp->file_path = NULL;
            rf_resp_error(resp, 500, "internal error", NULL);
        }
    }
    if (!r) {
        size_t len = is_head ? 0 : resp->body.len;
        char *body = rf_buf_take(&resp->body);
        r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        if (!r) {
            free(body);
            return MHD_NO;
        }
    }
    if (resp->ctype)
        MHD_add_response_header(r, "Content-Type", resp->ctype);
    add_security_headers(r);
    int has_cache = 0;
    for (size_t i = 0; i < resp->nheaders; i++) {
        MHD_add_response_header(r, resp->headers[i][0], resp->headers[i][1]);
        if (strcmp(resp->headers[i][0], "Cache-Control") == 0)
            has_cache = 1;
    }
    if (!has_cache)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    return ret;
}

static void resp_cleanup(struct rf_resp *resp)
{
    rf_buf_cleanup(&resp->body);
    for (size_t i = 0; i < resp->nheaders; i++) {
        free(resp->headers[i][0]);
        free(resp->headers[i][1]);
    }
}

struct last_header {
    const char *name;
    const char *value;
};

static enum MHD_Result find_last(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    struct last_header *x = cls;
    if (key && value && strcasecmp(key, x->name) == 0)
        x->value = value;
    return MHD_YES;
}

/* The last entry of the last header line called name (a proxy appends to the
 * end of a list the client may have started), trimmed, in out; 0 when there
 * is none or it does not fit. */
static int forwarded(struct MHD_Connection *c, const char *name, char *out, size_t n)
{
    struct last_header x = {name, NULL};
    MHD_get_connection_values(c, MHD_HEADER_KIND, find_last, &x);
    if (!x.value)
        return 0;
    const char *p = strrchr(x.value, ',');
    p = p ? p + 1 : x.value;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t l = strlen(p);
    while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
        l--;
    if (l == 0 || l >= n)
        return 0;
    memcpy(out, p, l);
    out[l] = '\0';
    return 1;
}

/* The client's address in ip (size n) and whether it came over HTTPS. Only a
 * connection from the trusted proxy has its X-Forwarded-For (the address the
 * proxy saw, in canonical form) and X-Forwarded-Proto believed; anyone else
 * could write those headers. */
static void client_info(const struct rf_http *h, struct MHD_Connection *c, char *ip, size_t n,
                        int *https)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(ip, n, "?");
    *https = 0;
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip,
                  (socklen_t)n);
        return;
    }
    if (sa->sa_family != AF_INET)
        return;
    const struct in_addr *peer = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
    inet_ntop(AF_INET, peer, ip, (socklen_t)n);
    if (!h->trust || peer->s_addr != h->proxy.s_addr)
        return;
    char v[64];
    unsigned char bin[sizeof(struct in6_addr)];
    if (forwarded(c, "X-Forwarded-For", v, sizeof v)) {
        if (inet_pton(AF_INET, v, bin) == 1)
            inet_ntop(AF_INET, bin, ip, (socklen_t)n);
        else if (inet_pton(AF_INET6, v, bin) == 1)
            inet_ntop(AF_INET6, bin, ip, (socklen_t)n);
    }
    *https = forwarded(c, "X-Forwarded-Proto", v, sizeof v) && strcasecmp(v, "https") == 0;
}

/* The route of a request: the first whose pattern matches the path with the
 * method (HEAD as GET); whether any pattern matched the path at all. */
static void find_route(const struct rf_http *h, const char *url, const char *m, struct conn *cs)
{
    size_t n = h->cfg.nroutes + h->cfg.nheavy;
    for (size_t i = 0; i < n && !cs->route; i++) {
        const struct rf_route *r =
            i < h->cfg.nroutes ? &h->cfg.routes[i] : &h->cfg.heavy[i - h->cfg.nroutes];
        const char *params[RF_HTTP_MAX_PARAMS] = {0};
        if (match(r->pattern, url, params, cs->store, sizeof cs->store)) {
            cs->path_known = 1;
            if (strcmp(r->method, m) == 0) {
                cs->route = r;
                cs->heavy = i >= h->cfg.nroutes;
                memcpy(cs->params, params, sizeof params);
            }
        }
    }
}

/* The body length a request declares in Content-Length (SIZE_MAX when it is
 * larger than a size_t; 0 when absent or not a number, which libmicrohttpd
 * refuses by itself). */
static size_t declared_length(struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    size_t n = 0;
    if (!v)
        return 0;
    for (; *v >= '0' && *v <= '9'; v++) {
        if (n > (SIZE_MAX - 9) / 10)
            return SIZE_MAX;
        n = n * 10 + (size_t)(*v - '0');
    }
    return n;
}

static void log_request(struct rf_http *h, const struct conn *cs, const char *ip,
                        const char *method, const char *url, int status, const char *note)
{
    if (!h->cfg.log)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = 1e3 * (double)(t1.tv_sec - cs->t0.tv_sec) +
                1e-6 * (double)(t1.tv_nsec - cs->t0.tv_nsec);
    char line[1200];
    /* the path is percent-decoded: no control bytes may reach the log */
    char safe[201];
    snprintf(safe, sizeof safe, "%s", url);
    rf_text_sanitize_line(safe);
    /* an invite token in the path is a bearer secret: the log never holds it */
    static const char invites[] = "/api/invites/";
    if (strncmp(safe, invites, sizeof invites - 1) == 0 && safe[sizeof invites - 1])
        snprintf(safe + sizeof invites - 1, sizeof safe - (sizeof invites - 1), "[token]");
    snprintf(line, sizeof line, "%s %s %s %d %.1fms%s", ip, method, safe, status, ms, note);
    h->cfg.log(h->cfg.app, line);
}

/* Hands a heavy route's request to the workers and suspends its connection
 * (the request and the response move into the job); 0 when there is no
 * memory for a job (the caller then runs it itself). */
static int job_hand_over(struct rf_http *h, struct MHD_Connection *c, struct conn *cs,
                         const struct rf_req *req, const struct rf_resp *resp)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return 0;
    j->h = h;
    j->conn = c;
    j->route = cs->route;
    j->req = *req;
    j->resp = *resp;
    cs->job = j;
    MHD_suspend_connection(c);
    pthread_mutex_lock(&h->hmu);
    *h->htail = j;
    h->htail = &j->next;
    pthread_cond_signal(&h->hcv);
    pthread_mutex_unlock(&h->hmu);
    return 1;
}

/* CPU seconds this thread has used. */
static double thread_cpu(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Rests after a heavy request that took cpu seconds, so that the thread's
 * average share of a core stays at most RF_HTTP_HEAVY_SHARE; returns early
 * when the server stops. */
static void heavy_rest(struct rf_http *h, double cpu)
{
    double rest = cpu * (1 - RF_HTTP_HEAVY_SHARE) / RF_HTTP_HEAVY_SHARE;
    if (rest > RF_HTTP_HEAVY_REST_MAX)
        rest = RF_HTTP_HEAVY_REST_MAX;
    if (rest < 1e-4)
        return;
    /* in slices, so that a stopping server does not wait for the rest */
    for (int stop = 0; rest > 0 && !stop; rest -= 0.1) {
        double d = rest < 0.1 ? rest : 0.1;
        struct timespec ts = {0, (long)(d * 1e9)};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(&h->hmu);
        stop = h->hstop;
        pthread_mutex_unlock(&h->hmu);
    }
}

/* A heavy-request worker: runs queued requests at a lower CPU priority, each
 * while its connection is suspended, then resumes the connection and rests
 * (heavy_rest); once told to stop, it still empties the queue. */
static void *heavy_worker(void *arg)
{
    struct rf_http *h = arg;
    /* on Linux a thread has its own nice value; elsewhere this may lower the
     * whole process, or fail, either of which is harmless */
    (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), RF_HTTP_HEAVY_NICE);
    for (;;) {
        pthread_mutex_lock(&h->hmu);
        while (!h->hhead && !h->hstop)
            pthread_cond_wait(&h->hcv, &h->hmu);
        struct job *j = h->hhead;
        if (j && !(h->hhead = j->next))
            h->htail = &h->hhead;
        pthread_mutex_unlock(&h->hmu);
        if (!j)
            return NULL;
        double cpu = thread_cpu();
        j->route->fn(h->cfg.app, &j->req, &j->resp);
        j->done = 1;
        MHD_resume_connection(j->conn);
        heavy_rest(h, thread_cpu() - cpu);
    }
}

/* The reply of a heavy request, once its connection has resumed. */
static enum MHD_Result job_reply(struct rf_http *h, struct MHD_Connection *c, struct conn *cs,
                                 const char *method, const char *url, int is_head)
{
    struct job *j = cs->job;
    if (!j->done) /* not expected: libmicrohttpd calls only after the resume */
        return MHD_YES;
    enum MHD_Result ret = send_resp(c, &j->resp, is_head);
    log_request(h, cs, j->req.ip, method, url, j->resp.status, "");
    resp_cleanup(&j->resp);
    cs->job = NULL;
    free(j);
    return ret;
}

/* Called by libmicrohttpd once with the headers (*ctx NULL), then once per
 * piece of the body, then once more with none. A body the Content-Length
 * already declares too large for the route is refused in the first call,
 * before a byte of it is read: queued that early, the response makes
 * libmicrohttpd skip the body (no "100 Continue") and close the connection
 * after the reply. A chunked body that grows past the cap cannot be answered
 * (libmicrohttpd takes responses only before or after the body), so its
 * connection is closed at once. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size, void **ctx)
{
    (void)version;
    struct rf_http *h = cls;
    struct conn *cs = *ctx;
    int is_head = strcmp(method, "HEAD") == 0;
    const char *m = is_head ? "GET" : method;
    int refuse = 0;
    if (cs && cs->job) /* resumed: the worker has answered */
        return job_reply(h, c, cs, method, url, is_head);
    if (!cs) {
        watch_mark(c, 0); /* the headers are complete */
        cs = calloc(1, sizeof *cs);
        if (!cs)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &cs->t0);
        find_route(h, url, m, cs);
        cs->cap = cs->route && cs->route->max_body ? cs->route->max_body : h->cfg.max_body;
        rf_buf_init(&cs->body, cs->cap);
        *ctx = cs;
        if (declared_length(c) <= cs->cap)
            return MHD_YES;
        refuse = 1;
    } else if (*upload_data_size) {
        if (rf_buf_append(&cs->body, upload_data, *upload_data_size)) {
            char ip[64];
            int https;
            client_info(h, c, ip, sizeof ip, &https);
            log_request(h, cs, ip, method, url, 413, " (chunked body over the cap: closed)");
            return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct rf_req req;
    memset(&req, 0, sizeof req);
    req.method = method;
    req.path = url;
    req.conn = c;
    req.body = rf_buf_str(&cs->body);
    req.body_len = cs->body.len;
    client_info(h, c, req.ip, sizeof req.ip, &req.https);
    struct rf_resp resp;
    memset(&resp, 0, sizeof resp);
    rf_buf_init(&resp.body, (size_t)64 * 1024 * 1024);
    resp.status = 500;
    if (refuse) {
        char msg[96];
        snprintf(msg, sizeof msg, "request body larger than %zu bytes", cs->cap);
        rf_resp_error(&resp, 413, msg, NULL);
    } else if (strlen(url) > 1024) {
        rf_resp_error(&resp, 414, "URL too long", NULL);
    } else if (!h->cfg.gate || h->cfg.gate(h->cfg.app, &req, &resp)) {
        memcpy(req.params, cs->params, sizeof req.params);
        req.arg = cs->route ? cs->route->arg : NULL;
        int heavy = cs->route && h->nhthreads &&
                    (cs->heavy ||
                     (h->cfg.heavy_if && h->cfg.heavy_if(h->cfg.app, cs->route, &req)));
        if (heavy && job_hand_over(h, c, cs, &req, &resp))
            return MHD_YES; /* answered when the worker resumes the connection */
        if (cs->route)
            cs->route->fn(h->cfg.app, &req, &resp);
        else if (cs->path_known)
            rf_resp_error(&resp, 405, "method not allowed", NULL);
        else if (strcmp(m, "GET") == 0 && h->cfg.fallback)
            h->cfg.fallback(h->cfg.app, &req, &resp);
        else
            rf_resp_error(&resp, 404, "not found", NULL);
    }
    enum MHD_Result ret = send_resp(c, &resp, is_head);
    log_request(h, cs, req.ip, method, url, resp.status, "");
    resp_cleanup(&resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    watch_mark(c, 1); /* a kept-alive connection waits for its next request */
    struct conn *cs = *ctx;
    if (cs) {
        rf_buf_cleanup(&cs->body);
        free(cs);
        *ctx = NULL;
    }
}

/* The reply to an error libmicrohttpd raised on a request whose headers are
 * in: one header block with the security headers, a JSON body, and the
 * connection closed after it. n is the length written to out (size cap). */
static size_t mhd_error_reply(unsigned status, char *out, size_t cap)
{
    const char *reason = status == 413 ? "Content Too Large" : "Bad Request";
    const char *msg = status == 413 ? "request body too large (Content-Length)"
                                    : "malformed request (Content-Length or chunked body)";
    char body[128];
    int nb = snprintf(body, sizeof body, "{\"error\":\"%s\",\"field\":null}", msg);
    size_t n = (size_t)snprintf(out, cap,
                                "HTTP/1.1 %u %s\r\nConnection: close\r\nContent-Type: "
                                "application/json\r\nContent-Length: %d\r\nCache-Control: no-store\r\n",
                                status, reason, nb);
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0] && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s: %s\r\n", security_headers[i][0],
                              security_headers[i][1]);
    if (n < cap)
        n += (size_t)snprintf(out + n, cap - n, "\r\n%s", body);
    return n < cap ? n : 0;
}

/* Called from the error logger when libmicrohttpd is about to answer status
 * by itself. The connection it is about to answer is served by this thread
 * (which is running this logger), has its headers in (libmicrohttpd gives
 * their size only from then on) and no response queued yet. The thread's
 * other connections are still receiving headers, idle between requests,
 * answered already, or -- the one ambiguous case -- in the middle of a body.
 * When exactly one connection fits, our reply goes to its socket and the
 * socket is shut down, so libmicrohttpd's own reply fails to send and it
 * closes the connection; otherwise libmicrohttpd answers. Returns 1 when
 * answered. */
static int answer_mhd_error(struct rf_http *h, unsigned status)
{
    if (status != 400 && status != 413)
        return 0;
    pthread_t self = pthread_self();
    struct watch *hit = NULL;
    int nfit = 0;
    pthread_mutex_lock(&h->wmu);
    for (struct watch *w = h->conns; w; w = w->next) {
        if (!pthread_equal(w->thread, self) || w->shed)
            continue;
        if (!MHD_get_connection_info(w->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE) ||
            MHD_get_connection_info(w->conn, MHD_CONNECTION_INFO_HTTP_STATUS))
            continue;
        hit = w;
        nfit++;
    }
    char reply[1024];
    size_t n = nfit == 1 ? mhd_error_reply(status, reply, sizeof reply) : 0;
    if (n) {
        /* the reply is small and the connection fresh: the socket takes it at
         * once, or the client gets the close alone */
        (void)send(hit->fd, reply, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        shutdown(hit->fd, SHUT_RDWR);
        hit->shed = 1;
    }
    pthread_mutex_unlock(&h->wmu);
    return n != 0;
}

/* libmicrohttpd's own messages go to the server's log, one line each; an
 * error it is about to answer by itself is answered by answer_mhd_error. */
static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct rf_http *h = cls;
    static const char err_prefix[] = "Error processing request (HTTP response code is ";
    if (strncmp(fmt, err_prefix, sizeof err_prefix - 1) == 0) {
        va_list aq;
        va_copy(aq, ap);
        unsigned status = va_arg(aq, unsigned);
        va_end(aq);
        if (answer_mhd_error(h, status)) {
            if (h->cfg.log) {
                char line[128];
                snprintf(line, sizeof line,
                         "libmicrohttpd refused a request: %u (answered with JSON, closed)",
                         status);
                h->cfg.log(h->cfg.app, line);
            }
            return;
        }
    }
    if (!h->cfg.log)
        return;
    char line[512] = "libmicrohttpd: ";
    size_t n = strlen(line);
    vsnprintf(line + n, sizeof line - n, fmt, ap);
    n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    h->cfg.log(h->cfg.app, line);
}

rf_status rf_http_start(const struct rf_http_config *cfg, struct rf_http **out, struct rf_err *err)
{
    struct rf_http *h = calloc(1, sizeof *h);
    if (!h)
        return rf_err_set(err, RF_ENOMEM, "http: out of memory");
    h->cfg = *cfg;
    if (cfg->trust_proxy && cfg->trust_proxy[0]) {
        if (inet_pton(AF_INET, cfg->trust_proxy, &h->proxy) != 1) {
            free(h);
            return rf_err_set(err, RF_EINVAL, "http: trusted proxy '%s' is not an IPv4 address",
                              cfg->trust_proxy);
        }
        h->trust = 1;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cfg->port);
    if (inet_pton(AF_INET, cfg->addr, &sa.sin_addr) != 1) {
        free(h);
        return rf_err_set(err, RF_EINVAL, "http: '%s' is not an IPv4 address", cfg->addr);
    }
    pthread_mutex_init(&h->wmu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->wcv, &ca);
    pthread_condattr_destroy(&ca);
    h->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                                MHD_ALLOW_SUSPEND_RESUME,
                            (uint16_t)cfg->port, NULL, NULL, on_request, h,
                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)RF_HTTP_CONNECTION_MEMORY,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned int)RF_HTTP_CONNECTIONS,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            /* a trusted proxy carries everyone's requests */
                            (unsigned int)(h->trust ? RF_HTTP_CONNECTIONS
                                                    : RF_HTTP_PER_IP_CONNECTIONS),
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_END);
    if (!h->d) {
        pthread_mutex_destroy(&h->wmu);
        pthread_cond_destroy(&h->wcv);
        free(h);
        return rf_err_set(err, RF_EIO, "http: cannot listen on %s:%u (in use, or not permitted)",
                          cfg->addr, cfg->port);
    }
    h->wstarted = pthread_create(&h->wthread, NULL, watchdog, h) == 0;
    if (!h->wstarted) {
        MHD_stop_daemon(h->d);
        pthread_mutex_destroy(&h->wmu);
        pthread_cond_destroy(&h->wcv);
        free(h);
        return rf_err_set(err, RF_ENOMEM, "http: cannot start the header watchdog thread");
    }
    /* the heavy-request workers; with none started, heavy routes run in place */
    pthread_mutex_init(&h->hmu, NULL);
    pthread_cond_init(&h->hcv, NULL);
    h->htail = &h->hhead;
    size_t nh = cfg->heavy_threads ? cfg->heavy_threads : RF_HTTP_HEAVY_THREADS;
    h->hthreads = calloc(nh, sizeof *h->hthreads);
    for (size_t i = 0; h->hthreads && i < nh; i++)
        if (pthread_create(&h->hthreads[h->nhthreads], NULL, heavy_worker, h) == 0)
            h->nhthreads++;
    *out = h;
    return RF_OK;
}

size_t rf_http_shed_count(struct rf_http *h)
{
    pthread_mutex_lock(&h->wmu);
    size_t n = h->nshed;
    pthread_mutex_unlock(&h->wmu);
    return n;
}

unsigned rf_http_port(const struct rf_http *h)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? di->port : 0;
}

void rf_http_stop(struct rf_http *h, unsigned drain_seconds)
{
    if (!h)
        return;
    MHD_socket s = MHD_quiesce_daemon(h->d);
    for (unsigned i = 0; i < drain_seconds * 20; i++) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!di || di->num_connections == 0)
            break;
        struct timespec ts = {0, 50L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&h->wmu);
    h->wstop = 1;
    pthread_cond_signal(&h->wcv);
    pthread_mutex_unlock(&h->wmu);
    if (h->wstarted)
        pthread_join(h->wthread, NULL);
    /* the workers answer what is queued (resuming each connection), then end */
    pthread_mutex_lock(&h->hmu);
    h->hstop = 1;
    pthread_cond_broadcast(&h->hcv);
    pthread_mutex_unlock(&h->hmu);
    for (size_t i = 0; i < h->nhthreads; i++)
        pthread_join(h->hthreads[i], NULL);
    free(h->hthreads);
    MHD_stop_daemon(h->d);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    pthread_mutex_destroy(&h->wmu);
    pthread_cond_destroy(&h->wcv);
    pthread_mutex_destroy(&h->hmu);
    pthread_cond_destroy(&h->hcv);
    free(h);
}
