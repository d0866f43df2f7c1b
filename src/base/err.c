/* The single raise point of librolefit errors. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

rf_status (rf_err_set)(struct rf_err *err, rf_status rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->rc = rc;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

void rf_err_prefix(struct rf_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char head[RF_ERRMSG_LEN];
    char old[RF_ERRMSG_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    if (old[0])
        snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
    else
        snprintf(err->msg, sizeof err->msg, "%s: %s", head, rf_strerror(err->rc));
}

void rf_err_clear(struct rf_err *err)
{
    if (err) {
        err->rc = RF_OK;
        err->msg[0] = '\0';
    }
}

const char *rf_err_msg(const struct rf_err *err)
{
    if (!err)
        return "";
    return err->msg[0] ? err->msg : rf_strerror(err->rc);
}
