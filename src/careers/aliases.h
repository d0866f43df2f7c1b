/*
 * The alias dictionary that maps the terms of job postings to skills
 * (data/skill_aliases.json), and the text normalization the dictionary and
 * the posting parser (posting.h) share: NFKC with utf8proc (full-width
 * letters, digits and punctuation become ASCII), line breaks unified to
 * "\n", other control characters removed; ASCII letters lower-cased for
 * matching, which keeps byte offsets, so matches map back to the text.
 */
#ifndef RF_CAREERS_ALIASES_H
#define RF_CAREERS_ALIASES_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/err.h"

/* Alias flags, from the dictionary's "modifiers" and "heads" lists. A
 * modifier is a generic term ("machine learning", 機械学習) that names no
 * requirement when it only qualifies a noun ("top ML venues", 機械学習を用いた
 * サービス) on a line that names another skill. A head ("optimization", 最適化)
 * names none when a noun that is no term qualifies it ("cost optimization",
 * 広告配信最適化). */
#define RF_ALIAS_MODIFIER 1u
#define RF_ALIAS_HEAD 2u

struct rf_alias {
    char *key;   /* owned: normalized, ASCII-lower-cased term */
    char *term;  /* owned: the term as written in the dictionary */
    size_t len;  /* strlen(key) */
    size_t skill;
    unsigned flags; /* RF_ALIAS_* */
};

struct rf_aliases {
    struct rf_alias *a; /* owned, grouped by the first byte of key, longest first */
    size_t n;
    size_t start[257];  /* aliases whose key starts with byte b are a[start[b] .. start[b+1]) */
    void *mecab;        /* owned mecab_model_t: Japanese morphological analysis */
};

/* Loads and validates the alias dictionary against tax: every skill id
 * exists, every term is non-empty and appears once, every entry of
 * "modifiers" and "heads" is a term. Loads MeCab's IPA dictionary
 * (RF_MECAB_ARGS; RF_EIO when it is missing), about 4 ms. Messages name the
 * file, skill and term. On failure out is left empty. */
rf_status rf_aliases_load(const char *path, const struct rf_taxonomy *tax, struct rf_aliases *out,
                          struct rf_err *err);
rf_status rf_aliases_load_mem(const char *name, const char *data, size_t len,
                              const struct rf_taxonomy *tax, struct rf_aliases *out,
                              struct rf_err *err);
void rf_aliases_cleanup(struct rf_aliases *a);

/* NFKC-normalizes in[0..len) (valid UTF-8 without NUL bytes, else RF_EINVAL
 * naming name and the byte), with newlines unified to "\n" and other control
 * characters removed. *out is a heap string of *olen bytes; caller frees. */
rf_status rf_aliases_normalize(const char *name, const char *in, size_t len, char **out,
                               size_t *olen, struct rf_err *err);

/* Lower-cases the ASCII letters of s[0..n) in place (other bytes unchanged). */
void rf_aliases_fold(char *s, size_t n);

/* Whether c is an ASCII letter or digit (a word character of a term's edge). */
static inline int rf_aliases_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#endif
