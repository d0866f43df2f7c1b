/* Whole-file reads, atomic writes and strict number parsing. */
#include "base/file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"

rf_status rf_file_read(const char *path, size_t cap, char **data, size_t *len, struct rf_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rf_err_set(err, RF_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct rf_buf b;
    rf_buf_init(&b, cap);
    char chunk[65536];
    size_t n;
    rf_status rc = RF_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = rf_buf_append(&b, chunk, n);
        if (rc)
            break;
    }
    if (!rc && ferror(f))
        rc = RF_EIO;
    (void)fclose(f); /* opened for reading: nothing to lose */
    if (rc) {
        rf_buf_cleanup(&b);
        if (rc == RF_ETOOBIG)
            return rf_err_set(err, rc, "%s: file larger than %zu bytes", path, cap);
        if (rc == RF_ENOMEM)
            return rf_err_set(err, rc, "%s: out of memory reading file", path);
        return rf_err_set(err, rc, "%s: read error", path);
    }
    *len = b.len;
    *data = rf_buf_take(&b);
    if (!*data)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory reading file", path);
    return RF_OK;
}

rf_status rf_file_write_atomic(const char *path, const void *data, size_t len, struct rf_err *err)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory", path);
    snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rf_status rc = rf_err_set(err, RF_EIO, "%s: cannot create temporary file: %s", path,
                                  strerror(errno));
        free(tmp);
        return rc;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    int ok = left == 0 && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        rf_status rc = rf_err_set(err, RF_EIO, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return RF_OK;
}

rf_status rf_parse_double(const char *s, double *out)
{
    if (!s)
        return RF_EINVAL;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return RF_EINVAL;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return RF_EINVAL;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return RF_EINVAL;
    *out = v;
    return RF_OK;
}

rf_status rf_parse_u64(const char *s, unsigned long long *out)
{
    if (!s)
        return RF_EINVAL;
    while (isspace((unsigned char)*s))
        s++;
    if (!isdigit((unsigned char)*s))
        return RF_EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE)
        return RF_EINVAL;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return RF_EINVAL;
    *out = v;
    return RF_OK;
}

rf_status rf_parse_size(const char *s, size_t *out)
{
    unsigned long long v;
    if (rf_parse_u64(s, &v) || v > SIZE_MAX)
        return RF_EINVAL;
    *out = (size_t)v;
    return RF_OK;
}
