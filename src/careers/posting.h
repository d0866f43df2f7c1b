/*
 * Job postings: the one parser of posting text (Markdown or plain text,
 * English or Japanese, UTF-8) and the alias dictionary that maps the terms of
 * postings to skills (data/skill_aliases.json). docs/careers.md describes the
 * rules; in short:
 *
 * - Text is NFKC-normalized with utf8proc (full-width letters, digits and
 *   punctuation become ASCII, "：" becomes ":"), line breaks become "\n",
 *   other control characters are removed; ASCII letters are then lower-cased
 *   for matching (byte lengths do not change, so matches map back to the text).
 * - Section headings in both languages switch between required
 *   (Requirements, Must have, Qualifications, 必須, 応募資格 ...), preferred
 *   (Preferred, Nice to have, Bonus, 歓迎, 尚可 ...) and other sections; each
 *   line of a required or preferred section is one item. A posting without a
 *   recognizable section has every bullet line counted as required.
 * - In an item, alias terms are found leftmost-longest; an item with an OR
 *   marker ("or", "/", "または", "もしくは", "such as", "など" ...) makes one
 *   requirement whose alternatives are all its skills (an OR-group); other
 *   items make one requirement per distinct skill. Parts of an item between
 *   separators (",", "、", "/", "・", "and", "or" ...) with no term, and items
 *   with none, are listed as unmapped, never dropped.
 * - Weights by position within a section: required items 1 and 2 weigh
 *   RF_POSTING_W_TOP, item 3 RF_POSTING_W_THIRD, later ones RF_POSTING_W_REST;
 *   preferred items weigh RF_POSTING_W_PREFERRED.
 * - Level: proficient unless the item says more ("expert", "deep", "extensive",
 *   "5+ years", "豊富", "深い" ...: advanced) or less ("basic", "familiarity",
 *   "基礎" ...: developing).
 */
#ifndef RF_CAREERS_POSTING_H
#define RF_CAREERS_POSTING_H

#include <jansson.h>
#include <stddef.h>

#include "bank/skills.h"
#include "base/config.h"
#include "base/err.h"
#include "careers/profile.h"

struct rf_alias {
    char *key;   /* owned: normalized, ASCII-lower-cased term */
    char *term;  /* owned: the term as written in the dictionary */
    size_t len;  /* strlen(key) */
    size_t skill;
};

struct rf_aliases {
    struct rf_alias *a; /* owned, grouped by the first byte of key, longest first */
    size_t n;
    size_t start[257];  /* aliases whose key starts with byte b are a[start[b] .. start[b+1]) */
};

/* Loads and validates the alias dictionary against tax: every skill id
 * exists, every term is non-empty and appears once. Messages name the file,
 * skill and term. On failure out is left empty. */
rf_status rf_aliases_load(const char *path, const struct rf_taxonomy *tax, struct rf_aliases *out,
                          struct rf_err *err);
rf_status rf_aliases_load_mem(const char *name, const char *data, size_t len,
                              const struct rf_taxonomy *tax, struct rf_aliases *out,
                              struct rf_err *err);
void rf_aliases_cleanup(struct rf_aliases *a);

enum rf_section { RF_SEC_NONE = 0, RF_SEC_REQUIRED, RF_SEC_PREFERRED };

/* One requirement of a posting: meeting any of its skills at the level meets it. */
struct rf_posting_req {
    enum rf_section section; /* RF_SEC_REQUIRED or RF_SEC_PREFERRED */
    size_t position;         /* 1-based item number within its section */
    size_t line;             /* 1-based line of the posting */
    double weight;           /* positional weight */
    size_t level;            /* required level, 1..RF_NLEVELS-1 */
    size_t skills[RF_POSTING_MAX_ALTS]; /* distinct skill indices (taxonomy), in text order */
    size_t nskills;
    char *label; /* owned: the matched terms, "PyTorch-or-TensorFlow" for an OR-group */
    char *text;  /* owned: the item as written (normalized) */
};

/* Text that names no skill rolefit measures. */
struct rf_posting_unmapped {
    enum rf_section section;
    size_t line;
    char *text; /* owned */
};

/* What the reader made of one requirement line: its section and the skills
 * it found there (none: the line is listed as not measured). */
struct rf_posting_line {
    size_t line;
    enum rf_section section;
    size_t skills[RF_POSTING_MAX_ALTS];
    size_t nskills;
};

struct rf_parsed_posting {
    char *title; /* owned: first Markdown heading or first line; "" when none */
    struct rf_posting_req *reqs; /* owned: required first, then preferred, each in text order */
    size_t nreqs, nrequired;
    struct rf_posting_unmapped *unmapped; /* owned */
    size_t nunmapped;
    size_t dropped;  /* items beyond RF_POSTING_MAX_REQS requirements (counted, not used) */
    int sectioned;   /* 1 when required/preferred headings were found */
    struct rf_posting_line *lines; /* owned: every requirement line, in text order */
    size_t nlines;
    size_t *prose; /* owned: lines read as description (company, duties, benefits) */
    size_t nprose;
};

/* Parses posting text (len bytes, need not be NUL-terminated; name is used in
 * messages). Errors: RF_ETOOBIG above RF_POSTING_MAX_BYTES; RF_EINVAL for
 * text that is not UTF-8 or holds NUL bytes ("name: byte 17: not valid
 * UTF-8"), and for a posting with nothing to read (empty or only blanks).
 * A posting whose items map to no skill parses fine, with every item unmapped.
 * On failure out is left empty. Cost O(bytes x aliases sharing a first byte). */
rf_status rf_posting_parse(const char *name, const char *text, size_t len,
                           const struct rf_aliases *al, const struct rf_taxonomy *tax,
                           struct rf_parsed_posting *out, struct rf_err *err);

/* Reads and parses a posting file. */
rf_status rf_posting_load(const char *path, const struct rf_aliases *al,
                          const struct rf_taxonomy *tax, struct rf_parsed_posting *out,
                          struct rf_err *err);

void rf_posting_cleanup(struct rf_parsed_posting *p);

/* The parse as JSON: title, "required" and "preferred" arrays (position,
 * line, weight, level, label, skills, text), "unmapped" (section, line,
 * text), "dropped". RF_ENOMEM only. */
rf_status rf_posting_to_json(const struct rf_parsed_posting *p, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err);

/* P(requirement met) for a profile: 1 - prod over alternatives of
 * (1 - P(theta_s >= cut_s)), skills having independent posteriors; a skill
 * the profile lacks counts with the prior N(0,1). *measured (may be NULL)
 * receives the number of alternatives the profile measured. */
double rf_posting_req_p(const struct rf_posting_req *r, const struct rf_taxonomy *tax,
                        const struct rf_profile *p, size_t *measured);

#endif
