/*
 * Scorecards as CSV (docs/interviews.md "Scorecards file"): one row per
 * score, a header naming the columns candidate, interviewer, round, slot,
 * criterion and score (any order, other columns ignored). round is a round
 * kit's or take-home's id, criterion one of its rubric's, slot the number
 * of the held round (1 for a round held once; 1..4 for four research-design
 * rounds), score a point of the kits' scale. An optional column role names
 * the role the candidate was interviewed for: each rating gets its bar
 * (rater.h rf_iv_bar; empty or no column: the kits' default bar). The only
 * reader of the format.
 *
 * Candidates and interviewers are numbered in order of first appearance; a
 * rating's slot is the file's slot number, so the two interviewers of one
 * held round share it. Every error is one line naming the file, the line and
 * the field: "cards.csv:7: field 'score': 5 is outside 1..4".
 */
#ifndef RF_INTERVIEW_CARDS_H
#define RF_INTERVIEW_CARDS_H

#include <stddef.h>

#include "base/err.h"
#include "careers/kits.h"
#include "interview/rater.h"

/* Most slots of one round for one candidate. */
#define RF_IV_MAX_SLOT 16

struct rf_iv_cards {
    struct rf_iv_rating *r; /* owned */
    size_t n;
    char **persons; /* owned ids, npersons */
    size_t npersons;
    char **raters; /* owned ids, nraters */
    size_t nraters;
};

/* Reads scorecards from CSV text (name is used in messages) or a file, for
 * the criteria of bank b (built from kits k, whose scale the scores use).
 * Errors: RF_EINVAL (a missing column, an unknown round or criterion, a score
 * off the scale, a slot out of 1..RF_IV_MAX_SLOT, an empty id, the same
 * criterion scored twice by one interviewer in one slot), RF_EIO, RF_ENOMEM;
 * on error out is left empty. */
rf_status rf_iv_cards_parse(const char *name, const char *data, size_t len, const struct rf_kits *k,
                            const struct rf_iv_bank *b, struct rf_iv_cards *out,
                            struct rf_err *err);
rf_status rf_iv_cards_load(const char *path, const struct rf_kits *k, const struct rf_iv_bank *b,
                           struct rf_iv_cards *out, struct rf_err *err);
void rf_iv_cards_cleanup(struct rf_iv_cards *c);

/* Index of id in ids[0..n-1], or (size_t)-1. */
size_t rf_iv_cards_index(char *const *ids, size_t n, const char *id);

#endif
