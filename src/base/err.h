/*
 * Error records. Objects with state embed a struct rf_err and keep the last
 * message until the next call on them. rf_err_set is the single place where an
 * error is raised, so one breakpoint catches every error of the library.
 * Messages name the place: "file:line: field 'a': expected a number".
 */
#ifndef RF_ERR_H
#define RF_ERR_H

#include "base/config.h"
#include "base/status.h"

struct rf_err {
    rf_status rc;
    char msg[RF_ERRMSG_LEN];
};

/* Records rc and a printf-style message in err (err may be NULL). Returns rc. */
rf_status rf_err_set(struct rf_err *err, rf_status rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#ifdef __clang_analyzer__
/* For clang-tidy only (make lint): the analyzer looks at one file at a time, so
 * it cannot see that rf_err_set returns its rc and follows impossible "error
 * set, RF_OK returned" paths. This states the contract; rc is evaluated twice,
 * which is harmless because the analyzer never executes anything. */
#define rf_err_set(err, rc, ...) (rf_err_set((err), (rc), __VA_ARGS__), (rc))
#endif

/* Prefixes the message already in err with a printf-style context and ": ". */
void rf_err_prefix(struct rf_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears err to RF_OK and an empty message. */
void rf_err_clear(struct rf_err *err);

/* The message, or the status text when no message was recorded. */
const char *rf_err_msg(const struct rf_err *err);

#endif
