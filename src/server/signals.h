/*
 * Test-integrity signals in the server (docs/integrity.md): reading what the
 * browser reports beside an answer, and the staff-only section of a report
 * that puts the signals together. Signals are evidence worth a look, never a
 * verdict; the section says so, and a candidate's own report never has it
 * (the caller decides who reads; app_reports.c gives it to staff only).
 */
#ifndef RF_SERVER_SIGNALS_H
#define RF_SERVER_SIGNALS_H

#include <jansson.h>

#include "bank/bank.h"
#include "base/err.h"
#include "careers/concepts.h"
#include "careers/profile.h"
#include "store/store.h"

/* Reads the optional "signals" object of an answer request into sig (focus
 * set when present): {"blurs": n, "hidden": n, "away_ms": n, "client_ms": n},
 * each a non-negative integer, counts at most RF_SIGNAL_MAX_COUNT and times at
 * most RF_SIGNAL_MAX_MS; client_ms may be absent. Unknown fields are refused.
 * RF_EINVAL with a message naming the field; sig is left with focus 0 then. */
rf_status rf_signals_parse(const json_t *req, struct rf_answer_signals *sig, struct rf_err *err);

/* The staff section of test t's report (t finished, pr its profile): per
 * answer the concepts of its question (the item's tags with their names in
 * English and Japanese from concepts, which may be NULL: the tags then), the
 * server's response time, its rapid-guess threshold and the browser's focus
 * report; per skill the response-time effort and its flag;
 * and the answer-copying index against the other finished tests of the same
 * posting (or organization), at most RF_COPY_MAX_PEERS of them, newest
 * first. *out is a new object. Cost: one indexed read per item answered, and
 * one read of each compared test's answers. RF_EDB, RF_ENOMEM. */
rf_status rf_signals_report(struct rf_store *st, const struct rf_bank *bank,
                            const struct rf_concepts *concepts, const struct rf_test *t,
                            const struct rf_profile *pr, json_t **out, struct rf_err *err);

#endif
