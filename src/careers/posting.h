/*
 * Job postings: the one parser of posting text (Markdown or plain text,
 * English or Japanese, UTF-8), with the alias dictionary of aliases.h that
 * maps the terms of postings to skills (data/skill_aliases.json). docs/careers.md describes the
 * rules; in short:
 *
 * - Text is NFKC-normalized with utf8proc (full-width letters, digits and
 *   punctuation become ASCII, "：" becomes ":"), line breaks become "\n",
 *   other control characters are removed; ASCII letters are then lower-cased
 *   for matching (byte lengths do not change, so matches map back to the text).
 * - Every non-blank line ends in one list: a requirement line (mapped to
 *   skills, or not measured, with its line number) or prose (title,
 *   headings, company paragraph, duties, benefits). Headings in both
 *   languages announce required (Requirements, Who you are, 必須, 応募資格
 *   ...), preferred (Nice to have, Bonus, 歓迎, 尚可 ...) or description
 *   (What you'll do, Benefits, 業務内容, 待遇 ...) blocks; under an unknown
 *   heading or none, lines are told apart by their wording (asks for
 *   experience or knowledge, or describes a duty or the company).
 * - In a requirement line, alias terms are found leftmost-longest (Japanese
 *   on MeCab morpheme boundaries). Generic terms used as modifiers ("top ML
 *   venues", 機械学習を用いた), heads qualified by another noun (コスト最適化),
 *   degree subjects and a language's "communication" name nothing. A line
 *   with an OR marker ("or", "/", "または", "もしくは", "such as", "など" ...)
 *   makes one requirement whose alternatives are all its skills (an
 *   OR-group, labelled "Deep learning (PyTorch, TensorFlow)"); other lines
 *   make one requirement per distinct skill. Parts of a line between
 *   separators with no term, and lines with none, are listed as not
 *   measured, never dropped.
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
#include "careers/aliases.h"
#include "careers/profile.h"

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

enum rf_posting_lang { RF_LANG_EN = 0, RF_LANG_JA, RF_LANG_OTHER };

struct rf_parsed_posting {
    char *title; /* owned: first Markdown heading or first line; "" when none */
    struct rf_posting_req *reqs; /* owned: required first, then preferred, each in text order */
    size_t nreqs, nrequired;
    struct rf_posting_unmapped *unmapped; /* owned */
    size_t nunmapped;
    size_t dropped;  /* entries beyond the caps (requirements, not-measured parts, lines): counted */
    int sectioned;   /* 1 when required/preferred headings were found */
    struct rf_posting_line *lines; /* owned: every requirement line, in text order */
    size_t nlines;
    size_t *prose; /* owned: lines read as headings or description (company, duties, benefits) */
    size_t nprose;
    enum rf_posting_lang language; /* RF_LANG_OTHER: read as far as the known terms go */
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

/* "en", "ja" or "other". */
const char *rf_posting_language(enum rf_posting_lang l);

/* A note for the reader of the parse (static text), or NULL: today only for
 * a posting in another language than English or Japanese. */
const char *rf_posting_note(const struct rf_parsed_posting *p);

/* The parse as JSON: title, language, note (when there is one), "required"
 * and "preferred" arrays (position, line, weight, level, label, skills,
 * text), "unmapped" (section, line, text), "lines" (line, section, skills:
 * every requirement line), "prose_lines" (line numbers), "dropped".
 * RF_ENOMEM only. */
rf_status rf_posting_to_json(const struct rf_parsed_posting *p, const struct rf_taxonomy *tax,
                             json_t **out, struct rf_err *err);

/* P(requirement met) for a profile: 1 - prod over alternatives of
 * (1 - P(theta_s >= cut_s)), skills having independent posteriors; a skill
 * the profile lacks counts with the prior N(0,1). *measured (may be NULL)
 * receives the number of alternatives the profile measured. */
double rf_posting_req_p(const struct rf_posting_req *r, const struct rf_taxonomy *tax,
                        const struct rf_profile *p, size_t *measured);

#endif
