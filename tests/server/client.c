/* Test HTTP client over plain sockets; see client.h. */
#include "client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int connect_loopback(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = send(fd, p + off, n - off, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Reads the reply until the server closes; -2 when a read times out. */
static int read_reply(int fd, struct http_result *out)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    int timed_out = 0;
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            timed_out = 1;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (timed_out || !sep || sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) {
        free(buf);
        return timed_out ? -2 : -1;
    }
    *sep = '\0';
    out->headers = strdup(buf);
    out->body_len = len - (size_t)(sep + 4 - buf);
    out->body = malloc(out->body_len + 1);
    memcpy(out->body, sep + 4, out->body_len);
    out->body[out->body_len] = '\0';
    free(buf);
    out->json = json_loadb(out->body, out->body_len, 0, NULL);
    return 0;
}

/* http_request, giving up after timeout_ms (0: never). */
static int request_within(unsigned port, const char *method, const char *path,
                          const char *extra_headers, const char *body, size_t body_len,
                          int timeout_ms, struct http_result *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_loopback(port);
    if (fd < 0)
        return -1;
    if (timeout_ms > 0) {
        struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    char head[4096];
    int hl = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                      "Content-Length: %zu\r\n\r\n",
                      method, path, extra_headers ? extra_headers : "", body ? body_len : 0);
    if (send_all(fd, head, (size_t)hl)) {
        close(fd);
        return -1;
    }
    if (body)
        send_all(fd, body, body_len); /* the server may answer before reading it all */
    int rc = read_reply(fd, out);
    close(fd);
    return rc;
}

int http_request(unsigned port, const char *method, const char *path, const char *extra_headers,
                 const char *body, size_t body_len, struct http_result *out)
{
    return request_within(port, method, path, extra_headers, body, body_len, 0, out);
}

int http_exchange(unsigned port, const char *data, size_t len, int timeout_ms,
                  struct http_result *out)
{
    memset(out, 0, sizeof *out);
    int fd = connect_loopback(port);
    if (fd < 0)
        return -1;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc = send_all(fd, data, len) ? -1 : read_reply(fd, out);
    close(fd);
    return rc;
}

size_t http_send_chunked(unsigned port, const char *path, size_t total)
{
    int fd = connect_loopback(port);
    if (fd < 0)
        return 0;
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n",
                      path);
    size_t sent = 0, chunk = 64 * 1024;
    char *buf = malloc(chunk + 32);
    int pl = snprintf(buf, 32, "%zx\r\n", chunk);
    memset(buf + pl, 'a', chunk);
    memcpy(buf + pl + chunk, "\r\n", 2);
    if (send_all(fd, head, (size_t)hl) == 0)
        while (sent < total && send_all(fd, buf, (size_t)pl + chunk + 2) == 0)
            sent += chunk;
    free(buf);
    close(fd);
    return sent;
}

void http_result_free(struct http_result *r)
{
    free(r->headers);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int http_header(const struct http_result *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *e = strstr(p, "\r\n");
        size_t ll = e ? (size_t)(e - p) : strlen(p);
        if (ll > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = ll - (size_t)(v - p);
            if (vl >= n)
                vl = n - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 1;
        }
        p = e ? e + 2 : NULL;
    }
    return 0;
}

int client_do(struct http_client *c, const char *method, const char *path, const char *body,
              struct http_result *out)
{
    return client_do_within(c, method, path, body, 0, out);
}

int client_do_within(struct http_client *c, const char *method, const char *path,
                     const char *body, int timeout_ms, struct http_result *out)
{
    char extra[1024] = "";
    size_t el = 0;
    if (c->cookie[0])
        el += (size_t)snprintf(extra + el, sizeof extra - el, "Cookie: %s\r\n", c->cookie);
    if (c->csrf[0])
        el += (size_t)snprintf(extra + el, sizeof extra - el, "X-CSRF-Token: %s\r\n", c->csrf);
    if (body)
        snprintf(extra + el, sizeof extra - el, "Content-Type: application/json\r\n");
    int rc = request_within(c->port, method, path, extra, body, body ? strlen(body) : 0,
                            timeout_ms, out);
    if (rc)
        return rc;
    char sc[512];
    if (http_header(out, "Set-Cookie", sc, sizeof sc)) {
        char *semi = strchr(sc, ';');
        if (semi)
            *semi = '\0';
        if (strchr(sc, '=') && sc[strlen(sc) - 1] != '=')
            snprintf(c->cookie, sizeof c->cookie, "%s", sc);
        else
            c->cookie[0] = '\0';
    }
    if (out->json && json_is_string(json_object_get(out->json, "csrf")))
        snprintf(c->csrf, sizeof c->csrf, "%s",
                 json_string_value(json_object_get(out->json, "csrf")));
    return 0;
}
