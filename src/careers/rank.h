/*
 * Candidates against a posting: the role-fit arithmetic over posting
 * requirements, a one-line reason per candidate, and fast ranking of large
 * cohorts.
 *
 * For a requirement r with alternatives S (an OR-group), p_r = 1 - prod over
 * s in S of (1 - P(theta_s >= cut_s)); fit = sum_r w_r p_r / sum_r w_r, with
 * the posting's positional weights; P(all required met) = prod of p_r over
 * required requirements. Skills a profile lacks count with the prior N(0,1).
 *
 * A cohort stores, per skill and person, the normal summary (theta, se) of
 * each posterior in skill-major float arrays; ranking it evaluates normal
 * tails through a precomputed table of the standard normal CDF (linear
 * interpolation on RF_NORMAL_TABLE_N points over [-RF_NORMAL_TABLE_Z, +...],
 * error below 2e-6), with one thread per slice of the cohort and no
 * allocation inside the loop.
 */
#ifndef RF_CAREERS_RANK_H
#define RF_CAREERS_RANK_H

#include <stddef.h>

#include "bank/skills.h"
#include "base/err.h"
#include "base/lang.h"
#include "careers/posting.h"
#include "careers/profile.h"

/* One profile against a posting. p[] (caller-owned, post->nreqs entries)
 * receives each requirement's probability and measured[] (may be NULL) how
 * many of its alternatives the profile measured. A requirement none of whose
 * skills the profile measured is "not measured": its p is the prior's (so
 * fit stays the expected share met), but it is never named as met or as a
 * gap, and `measured` says how much of the posting's weight rests on
 * evidence. */
struct rf_posting_fit {
    double fit;        /* weighted mean of p over all requirements */
    double sd;         /* SD of the weighted share met (independent requirements) */
    double p_required; /* P(every required requirement met); 1 when there are none */
    double measured;   /* share of the posting's weight on requirements with a measured skill */
    size_t nunmeasured; /* requirements with no skill measured */
};

void rf_posting_fit(const struct rf_parsed_posting *post, const struct rf_taxonomy *tax,
                    const struct rf_profile *prof, double *p, size_t *measured,
                    struct rf_posting_fit *out);

/* Writes the one-line reason for a candidate into buf (cap bytes, always
 * NUL-terminated): up to three measured requirements met with p >= RF_FIT_MET,
 * largest weight first ("meets Deep learning (PyTorch) (93%), SQL (88%)"),
 * then up to two measured gaps with p < RF_FIT_BLOCK by w(1 - p) ("gap:
 * Model deployment (41%)"), then up to two requirements with nothing
 * measured, required first, and how many more ("not measured: Kubernetes, SQL
 * and 2 more"). A requirement that was not measured is never named as met or
 * as a gap. measured NULL: every requirement counts as measured. */
void rf_posting_reason(const struct rf_parsed_posting *post, const double *p, const size_t *measured,
                       char *buf, size_t cap);

/* The same in lang: each clause a whole message of the report's tables
 * (careers/report_text.h, "reason.*": "meets {1}", "gap: {1}", "not
 * measured: {1} and {2} more"), the requirements listed with the language's
 * list separator, the clauses with its clause separator; the numbers and the
 * posting's own labels are the same in every language. cap >= 1; a line
 * longer than cap - 1 bytes is cut on a UTF-8 boundary. */
void rf_posting_reason_lang(const struct rf_parsed_posting *post, const double *p,
                            const size_t *measured, enum rf_lang lang, char *buf, size_t cap);

/* A cohort of n people over nskills skills (the taxonomy's). */
struct rf_cohort {
    size_t n, nskills;
    float *theta; /* owned, nskills * n, skill-major: theta[k * n + i] */
    float *se;    /* owned, same layout; a skill not measured holds theta 0, se 1 (the prior) */
};

/* Allocates a cohort with every skill at the prior. RF_ENOMEM, RF_EINVAL (n or nskills 0). */
rf_status rf_cohort_init(struct rf_cohort *c, size_t n, size_t nskills, struct rf_err *err);
void rf_cohort_cleanup(struct rf_cohort *c);

/* Stores person i's (theta, se) for each skill of prof the taxonomy knows. */
void rf_cohort_set_profile(struct rf_cohort *c, size_t i, const struct rf_profile *prof,
                           const struct rf_taxonomy *tax);

struct rf_rank_hit {
    size_t index; /* person index in the cohort */
    double fit;
};

/* Ranks the cohort against post: the top (<= c->n) people by fit into
 * out[0..top-1], best first, ties by lower index. nthreads >= 1 slices the
 * cohort (results do not depend on it). Errors: RF_EINVAL for a posting
 * without requirements or a skill index outside the cohort, RF_ENOMEM. */
rf_status rf_rank_cohort(const struct rf_cohort *c, const struct rf_parsed_posting *post,
                         const struct rf_taxonomy *tax, size_t top, size_t nthreads,
                         struct rf_rank_hit *out, struct rf_err *err);

#endif
