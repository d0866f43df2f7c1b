/*
 * Secrets of the server, all through libsodium: argon2id password hashes,
 * random tokens (cookies, CSRF, invites, the setup token) and the hashes under
 * which tokens are stored, so that a database leak does not leak live tokens.
 */
#ifndef RF_SERVER_AUTH_H
#define RF_SERVER_AUTH_H

#include <stddef.h>

#include "base/err.h"

#define RF_TOKEN_LEN 44   /* 32 random bytes, URL-safe base64 without padding, + NUL */
#define RF_TOKEN_HASH_LEN 65 /* 32-byte BLAKE2b as hex + NUL */
#define RF_PWHASH_LEN 128

/* Initializes libsodium; RF_EIO if it cannot. Safe to call more than once. */
rf_status rf_auth_init(struct rf_err *err);

/* A fresh random token (URL-safe base64 of 32 random bytes). */
void rf_auth_token(char out[RF_TOKEN_LEN]);

/* Hex BLAKE2b-256 of a token: what the store keeps. */
void rf_auth_token_hash(const char *token, char out[RF_TOKEN_HASH_LEN]);

/* argon2id hash of a password (interactive limits). Passwords of 1 to 256
 * bytes; RF_EINVAL otherwise with the reason. Whether a password is good
 * enough to set is rf_auth_password_check's question. */
rf_status rf_auth_hash_password(const char *password, char out[RF_PWHASH_LEN], struct rf_err *err);

/* What a new password must satisfy: at least min_len characters (code
 * points), at most 256 bytes, at least RF_PASSWORD_MIN_DISTINCT different
 * characters, not on the list of common passwords (case-insensitive, whole
 * password) and not the account's e-mail address or its local part. */
struct rf_pwpolicy {
    size_t min_len;
    char *text;        /* owned: the list file's lowercased contents */
    const char **list; /* owned array of pointers into text, sorted */
    size_t n;
};

/* Reads the list of common passwords (one per line, '#' comments) from path.
 * RF_EIO with the file named when it cannot be read; RF_EINVAL when min_len
 * is below RF_PASSWORD_MIN. */
rf_status rf_auth_pwpolicy_load(struct rf_pwpolicy *p, const char *path, size_t min_len,
                                struct rf_err *err);
void rf_auth_pwpolicy_cleanup(struct rf_pwpolicy *p);

/* RF_OK when password may be set for the account with this e-mail (may be
 * NULL); RF_EINVAL with the reason otherwise (never echoing the password). */
rf_status rf_auth_password_check(const struct rf_pwpolicy *p, const char *password,
                                 const char *email, struct rf_err *err);

/* An argon2id hash of no password anyone knows, made with the parameters of
 * rf_auth_hash_password: checking a password against it costs what checking
 * one against a real account's hash does, so that a sign-in with an unknown
 * e-mail address takes as long as one with a wrong password. */
const char *rf_auth_dummy_hash(void);

/* 1 when password matches the stored hash, else 0 (constant time in the hash). */
int rf_auth_check_password(const char *hash, const char *password);

/* Constant-time string equality (0 for unequal lengths). */
int rf_auth_equal(const char *a, const char *b);

#endif
