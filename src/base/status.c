/* Text of the status codes. */
#include "base/status.h"

const char *rf_strerror(rf_status rc)
{
    switch (rc) {
    case RF_OK: return "ok";
    case RF_ENOMEM: return "out of memory";
    case RF_EINVAL: return "invalid input";
    case RF_ENOTFOUND: return "not found";
    case RF_EIO: return "input/output error";
    case RF_EDB: return "database error";
    case RF_ETOOBIG: return "input too large";
    case RF_ERANGE: return "no finite result";
    case RF_ECONFLICT: return "conflict";
    case RF_EPERM: return "not permitted";
    case RF_EUNSUPPORTED: return "unsupported";
    case RF_EFULL: return "no space left on the device";
    case RF_EUNAVAIL: return "the database cannot be reached";
    case RF_STATUS_COUNT: break;
    }
    return "unknown status";
}
