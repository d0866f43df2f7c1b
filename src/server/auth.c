/* libsodium-backed secrets; see auth.h. */
#include "server/auth.h"

#include <sodium.h>
#include <string.h>

rf_status rf_auth_init(struct rf_err *err)
{
    if (sodium_init() < 0)
        return rf_err_set(err, RF_EIO, "libsodium could not be initialized");
    return RF_OK;
}

void rf_auth_token(char out[RF_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, RF_TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void rf_auth_token_hash(const char *token, char out[RF_TOKEN_HASH_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, RF_TOKEN_HASH_LEN, h, sizeof h);
}

rf_status rf_auth_hash_password(const char *password, char out[RF_PWHASH_LEN], struct rf_err *err)
{
    size_t n = strlen(password);
    if (n < 8)
        return rf_err_set(err, RF_EINVAL, "password must have at least 8 characters");
    if (n > 256)
        return rf_err_set(err, RF_EINVAL, "password must have at most 256 characters");
    if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return rf_err_set(err, RF_ENOMEM, "password hashing ran out of memory");
    return RF_OK;
}

int rf_auth_check_password(const char *hash, const char *password)
{
    if (!hash || !password)
        return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int rf_auth_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
