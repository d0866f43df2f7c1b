/* libsodium-backed secrets; see auth.h. */
#include "server/auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/config.h"
#include "base/file.h"

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
    if (n == 0)
        return rf_err_set(err, RF_EINVAL, "password must not be empty");
    if (n > 256)
        return rf_err_set(err, RF_EINVAL, "password must have at most 256 characters");
    if (crypto_pwhash_str_alg(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13))
        return rf_err_set(err, RF_ENOMEM, "password hashing ran out of memory");
    return RF_OK;
}

/* Made once by rf_auth_hash_password's call from 32 random bytes that were
 * then thrown away: the same parameters, salt length and hash length as a
 * real account's hash (tests/server/test_accounts.c checks it). */
const char *rf_auth_dummy_hash(void)
{
    return "$argon2id$v=19$m=65536,t=2,p=1$fZ8UsMsmWDlyoYaxyilY0w$"
           "v22dZAXHUNww5x9kLE1tnuwbFTYupW0SoML8mvLDatw";
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

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

rf_status rf_auth_pwpolicy_load(struct rf_pwpolicy *p, const char *path, size_t min_len,
                                struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    if (min_len < RF_PASSWORD_MIN || min_len > 128)
        return rf_err_set(err, RF_EINVAL, "minimum password length must be %d to 128, not %zu",
                          RF_PASSWORD_MIN, min_len);
    char *text = NULL;
    size_t len = 0;
    rf_status rc = rf_file_read(path, RF_PASSWORD_LIST_MAX, &text, &len, err);
    if (rc)
        return rc;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == '\n';
    const char **list = malloc(cap * sizeof *list);
    if (!list) {
        free(text);
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", path);
    }
    size_t n = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
            line[--l] = '\0';
        if (l && line[0] != '#') {
            for (char *c = line; *c; c++)
                *c = (char)tolower((unsigned char)*c);
            list[n++] = line;
        }
        line = nl ? nl + 1 : NULL;
    }
    qsort(list, n, sizeof *list, cmp_str);
    p->min_len = min_len;
    p->text = text;
    p->list = list;
    p->n = n;
    return RF_OK;
}

void rf_auth_pwpolicy_cleanup(struct rf_pwpolicy *p)
{
    free(p->list);
    free(p->text);
    memset(p, 0, sizeof *p);
}

/* Number of code points of UTF-8 text s (continuation bytes not counted). */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Number of different code points of s, up to max (enough to tell "too few"). */
static size_t distinct_chars(const char *s, size_t max)
{
    const char *seen[64] = {NULL};
    size_t lens[64] = {0}, n = 0;
    while (*s && n < max && n < 64) {
        size_t l = 1;
        while (s[l] && ((unsigned char)s[l] & 0xC0) == 0x80)
            l++;
        size_t i = 0;
        while (i < n && !(lens[i] == l && !memcmp(seen[i], s, l)))
            i++;
        if (i == n) {
            seen[n] = s;
            lens[n++] = l;
        }
        s += l;
    }
    return n;
}

rf_status rf_auth_password_check(const struct rf_pwpolicy *p, const char *password,
                                 const char *email, struct rf_err *err)
{
    size_t bytes = strlen(password);
    if (bytes > 256)
        return rf_err_set(err, RF_EINVAL, "password must have at most 256 bytes");
    if (utf8_len(password) < p->min_len)
        return rf_err_set(err, RF_EINVAL, "password must have at least %zu characters",
                          p->min_len);
    if (distinct_chars(password, RF_PASSWORD_MIN_DISTINCT) < RF_PASSWORD_MIN_DISTINCT)
        return rf_err_set(err, RF_EINVAL,
                          "password must use at least %d different characters",
                          RF_PASSWORD_MIN_DISTINCT);
    char low[257];
    for (size_t i = 0; i <= bytes; i++)
        low[i] = (char)tolower((unsigned char)password[i]);
    const char *key = low;
    if (p->n && bsearch(&key, p->list, p->n, sizeof *p->list, cmp_str))
        return rf_err_set(err, RF_EINVAL,
                          "password is on the list of common passwords; choose another");
    if (email) {
        const char *at = strchr(email, '@');
        size_t local = at ? (size_t)(at - email) : strlen(email);
        if (!strcasecmp(low, email) || (local == bytes && !strncasecmp(low, email, local)))
            return rf_err_set(err, RF_EINVAL, "password must not be the e-mail address");
    }
    return RF_OK;
}
