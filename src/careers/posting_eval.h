/*
 * Scoring the posting reader against labelled postings (issue 15). A label
 * file (tests/fixtures/postings/README.md) lists, for one posting, each
 * requirement line: its line number, required or preferred, and the skills
 * it asks for (none when it asks for nothing rolefit measures). Every other
 * line is prose: a heading, the company paragraph, duties, benefits.
 *
 * Figures (docs/careers.md "Postings"), summed over lines of all postings:
 * - line recall: labelled lines the reader read as requirement lines (mapped
 *   to skills or listed as not measured), over labelled lines;
 * - skill precision and recall per line: the skills of the reader's
 *   requirements on a labelled line against the label's, counted per skill
 *   (a skill already named on an earlier line still counts on this one);
 *   skills the reader finds on prose lines count against precision;
 * - required/preferred accuracy over the labelled lines the reader found;
 * - from prose: prose lines the reader took for requirement lines;
 * - silently dropped: labelled lines in no list of the parse (neither a
 *   requirement, nor not measured, nor read as description).
 */
#ifndef RF_CAREERS_POSTING_EVAL_H
#define RF_CAREERS_POSTING_EVAL_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/config.h"
#include "base/err.h"
#include "careers/posting.h"

/* One labelled requirement line. */
struct rf_posting_label {
    size_t line;
    enum rf_section section; /* RF_SEC_REQUIRED or RF_SEC_PREFERRED */
    size_t skills[RF_POSTING_MAX_ALTS];
    size_t nskills;
};

/* Sums over postings; rf_posting_eval_ratio gives the figures. */
struct rf_posting_score {
    size_t postings;
    size_t lines;         /* labelled lines */
    size_t found;         /* labelled lines read as requirement lines */
    size_t section_right; /* found lines with the right section */
    size_t tp, fp, fn;    /* skills per line */
    size_t from_prose;    /* prose lines read as requirement lines */
    size_t dropped;       /* labelled lines in no list of the parse */
};

/* Reads a label file: lines "LINE<TAB>required|preferred<TAB>id,id" (or "-"
 * for no skill); blank lines and lines starting with '#' are skipped.
 * *labels (heap, caller frees) is sorted by line. Errors name the file, line
 * and field: unknown skill, bad section, repeated line. */
rf_status rf_posting_labels_load(const char *path, const struct rf_taxonomy *tax,
                                 struct rf_posting_label **labels, size_t *n, struct rf_err *err);

/* Adds one parsed posting and its labels to s. note (may be NULL) receives a
 * one-line description of each disagreement, for reading the misses. */
void rf_posting_eval_add(const struct rf_parsed_posting *p, const struct rf_posting_label *labels,
                         size_t n, const struct rf_taxonomy *tax, struct rf_posting_score *s,
                         void (*note)(void *ud, const char *msg), void *ud);

/* Scores every posting of dir (NAME.md or NAME.txt beside NAME.labels). The
 * names listed in dir/holdout.txt (one per line) go to *held, the others to
 * *tuned. Errors: a label file without its posting, a posting or label file
 * that does not parse, a folder without label files. */
rf_status rf_posting_eval_dir(const char *dir, const struct rf_aliases *al,
                              const struct rf_taxonomy *tax, struct rf_posting_score *tuned,
                              struct rf_posting_score *held,
                              void (*note)(void *ud, const char *msg), void *ud,
                              struct rf_err *err);

/* num / den, or 1 when den is 0 (nothing to get wrong). */
double rf_posting_eval_ratio(size_t num, size_t den);

#endif
