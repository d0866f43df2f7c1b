/* XML/HTML escaping into a capped buffer. */
#include "base/escape.h"

rf_status rf_buf_put_xml(struct rf_buf *b, const char *s)
{
    rf_status rc = RF_OK;
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        const char *ent = NULL;
        int drop = 0;
        switch (c) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default: drop = c && c < 0x20 && c != '\t' && c != '\n' && c != '\r'; break;
        }
        if (!c || ent || drop) {
            if (p > run && (rc = rf_buf_append(b, run, (size_t)(p - run))))
                return rc;
            if (ent && (rc = rf_buf_puts(b, ent)))
                return rc;
            run = p + 1;
        }
        if (!c)
            break;
    }
    return RF_OK;
}
