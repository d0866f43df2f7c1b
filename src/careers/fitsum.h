/*
 * A finished test's fit to one posting, kept so that ranking need not
 * compute it again (issue 20): what rf_posting_fit gives for the test's
 * profile (fit, sd, p_required, measured, nunmeasured, and each
 * requirement's p and measured count), in a few bytes the store keeps per
 * test and posting, and the key of everything that fit was computed from.
 *
 * The key hashes the posting's requirements as the arithmetic reads them
 * (section, weight, level, and per alternative the skill id and its cut
 * point in the taxonomy) with RF_FITSUM_VERSION: a summary is used only
 * under the key it was made with, so an edited posting, a changed taxonomy
 * or a change to the arithmetic (bump the version) makes every summary
 * stale at once. Labels and texts are not in it: reasons are written from
 * the summary with the posting as it reads now.
 *
 * The bytes hold the doubles exactly (little-endian IEEE 754), so a ranking
 * from summaries is the ranking from the profiles, to the last bit.
 */
#ifndef RF_CAREERS_FITSUM_H
#define RF_CAREERS_FITSUM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "careers/posting.h"
#include "careers/rank.h"

/* The version of the fit arithmetic, part of every key. */
#define RF_FITSUM_VERSION 1

/* The key of post's fit arithmetic under tax (64-bit FNV-1a, as int64_t
 * for the store). O(requirements x alternatives). */
int64_t rf_fitsum_key(const struct rf_parsed_posting *post, const struct rf_taxonomy *tax);

/* Bytes of a summary of a posting with nreqs requirements. */
size_t rf_fitsum_size(size_t nreqs);

/* Writes f, p[nreqs] and measured[nreqs] (rf_posting_fit's outputs) into
 * out, which holds rf_fitsum_size(nreqs) bytes. */
void rf_fitsum_pack(const struct rf_posting_fit *f, const double *p, const size_t *measured,
                    size_t nreqs, unsigned char *out);

/* Reads a summary of n bytes back into f, p[nreqs] and measured[nreqs].
 * RF_EINVAL ("fit summary: ...") when it is not a summary of nreqs
 * requirements; the outputs are then unspecified. O(nreqs). */
rf_status rf_fitsum_unpack(const unsigned char *b, size_t n, size_t nreqs, struct rf_posting_fit *f,
                           double *p, size_t *measured, struct rf_err *err);

#endif /* RF_CAREERS_FITSUM_H */
