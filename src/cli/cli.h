/*
 * Shared plumbing of the `rolefit` front door: option parsing with one-line
 * errors, strict numeric option values, and the single mapping from rf_status
 * to an exit code. Each command lives in its own cmd_<name>.c with its usage
 * text beside it; main.c holds the command table.
 */
#ifndef RF_CLI_H
#define RF_CLI_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

/* Exit codes. */
#define RF_EXIT_OK 0
#define RF_EXIT_DATA 1  /* bad input data, no result */
#define RF_EXIT_USAGE 2 /* bad command line */
#define RF_EXIT_IO 3
#define RF_EXIT_NOMEM 4
#define RF_EXIT_DB 5

/* The one mapping from status to exit code. */
int rf_cli_exit_code(rf_status rc);

/* One option: "--name" (with a value when has_arg) stored into *value
 * (string, borrowed from argv) or, for flags, *flag = 1. */
struct rf_cli_opt {
    const char *name; /* without the leading dashes */
    int has_arg;
    const char **value;
    int *flag;
};

/* Parses argv[1..] (argv[0] is the command name) against opts. Accepts
 * "--name value" and "--name=value"; "-h"/"--help" set *help. Positional
 * arguments are collected into pos (capacity maxpos), count in *npos.
 * On error prints "rolefit CMD: ..." to stderr and returns RF_EXIT_USAGE. */
int rf_cli_parse(const char *cmd, int argc, char **argv, const struct rf_cli_opt *opts,
                 size_t nopts, const char **pos, size_t maxpos, size_t *npos, int *help);

/* Strict conversions of option values; on error print a one-line message
 * naming the command and option, and return RF_EXIT_USAGE. */
int rf_cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi,
                  double *out);
int rf_cli_size(const char *cmd, const char *opt, const char *s, size_t lo, size_t hi,
                size_t *out);
int rf_cli_u64(const char *cmd, const char *opt, const char *s, unsigned long long *out);

/* Writes a command's result: the JSON json (through rf_json_dumps_out, with
 * a final newline) when not NULL, else the len bytes of text; to path
 * atomically, or to stdout when path is NULL. RF_ENOMEM, or RF_EIO with a
 * message naming where. */
rf_status rf_cli_output(const char *path, const json_t *json, const char *text, size_t len,
                        struct rf_err *err);

/* Prints "rolefit CMD: message" to stderr and returns the exit code of rc. */
int rf_cli_fail(const char *cmd, rf_status rc, const char *msg);

/* The default path of a bundled file or folder, rel being relative to the checkout
 * ("data", "data/bank", "data/skills.json", "web"). An installed rolefit, whose
 * binary is PREFIX/bin/rolefit beside PREFIX/share/rolefit/data/skills.json (as
 * `make install` lays it out, with or without DESTDIR), gets
 * "PREFIX/share/rolefit/rel"; any other binary (build/rolefit in a checkout) gets
 * rel itself, relative to the working folder as before. The result is static
 * storage valid until exit; not thread-safe (commands call it while parsing). */
const char *rf_cli_default_path(const char *rel);

/* Prints "rolefit CMD: <printf message>" to stderr, returns RF_EXIT_USAGE. */
int rf_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
