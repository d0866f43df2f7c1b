/* A small HTTP/1.1 client for the server tests: one request per connection. */
#ifndef RF_TEST_CLIENT_H
#define RF_TEST_CLIENT_H

#include <jansson.h>
#include <stddef.h>

struct http_result {
    int status;
    char *headers; /* raw header block */
    char *body;
    size_t body_len;
    json_t *json;  /* parsed body when it is JSON, else NULL */
};

/* Sends method path with optional body and extra header lines ("Name: value\r\n"...).
 * Returns 0 on success. */
int http_request(unsigned port, const char *method, const char *path, const char *extra_headers,
                 const char *body, size_t body_len, struct http_result *out);
void http_result_free(struct http_result *r);
/* Sends raw bytes (a request, perhaps without its body) and reads the reply
 * until the server closes the connection. Returns 0, -1 on error, or -2 when
 * the server neither answered in full nor closed within timeout_ms. */
int http_exchange(unsigned port, const char *data, size_t len, int timeout_ms,
                  struct http_result *out);
/* POSTs a chunked body of up to total bytes in 64 KiB chunks; returns how many
 * bytes went out before the server stopped taking them. */
size_t http_send_chunked(unsigned port, const char *path, size_t total);
/* Value of header name in r (copied into out), 1 when found. */
int http_header(const struct http_result *r, const char *name, char *out, size_t n);

/* A session of a test client: cookie jar of one cookie and the CSRF token. */
struct http_client {
    unsigned port;
    char cookie[256];
    char csrf[128];
};
/* Request with the client's cookie and CSRF header; stores a Set-Cookie and a
 * "csrf" field of the JSON reply. */
int client_do(struct http_client *c, const char *method, const char *path, const char *body,
              struct http_result *out);
/* The same, giving up (-2) when no full reply came within timeout_ms (0: waits for ever). */
int client_do_within(struct http_client *c, const char *method, const char *path,
                     const char *body, int timeout_ms, struct http_result *out);

#endif
