/*
 * Reading whole files and strict parsing of numbers from text.
 */
#ifndef RF_FILE_H
#define RF_FILE_H

#include <stddef.h>

#include "base/err.h"

/* Reads the whole file at path into a NUL-terminated heap buffer (*data, *len).
 * Fails with RF_EIO (cannot open/read) or RF_ETOOBIG (larger than cap bytes);
 * the message names the path. On failure *data is untouched. */
rf_status rf_file_read(const char *path, size_t cap, char **data, size_t *len, struct rf_err *err);

/* Writes len bytes to path atomically (temporary file in the same folder, fsync, rename). */
rf_status rf_file_write_atomic(const char *path, const void *data, size_t len, struct rf_err *err);

/* Parses all of s (surrounding blanks allowed) as a finite double. RF_EINVAL otherwise. */
rf_status rf_parse_double(const char *s, double *out);

/* Parses all of s as a non-negative whole number that fits size_t. RF_EINVAL otherwise. */
rf_status rf_parse_size(const char *s, size_t *out);

/* Parses all of s as an unsigned 64-bit number. RF_EINVAL otherwise. */
rf_status rf_parse_u64(const char *s, unsigned long long *out);

#endif
