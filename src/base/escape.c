/* XML/HTML escaping into a capped buffer. */
#include "base/escape.h"

/* Length of the UTF-8 sequence at p when it encodes a bidirectional formatting
 * character (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) or a C1
 * control (U+0080-U+009F), else 0. */
static size_t unsafe_seq(const unsigned char *p)
{
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return 2;
    if (p[0] == 0xD8 && p[1] == 0x9C)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE)))
        return 3;
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)
        return 3;
    return 0;
}

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
        default:
            if (c && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                drop = 1;
            else if (c >= 0xC2)
                drop = (int)unsafe_seq((const unsigned char *)p);
            break;
        }
        if (!c || ent || drop) {
            if (p > run && (rc = rf_buf_append(b, run, (size_t)(p - run))))
                return rc;
            if (ent && (rc = rf_buf_puts(b, ent)))
                return rc;
            if (drop > 1)
                p += drop - 1;
            run = p + 1;
        }
        if (!c)
            break;
    }
    return RF_OK;
}

size_t rf_text_unsafe_at(const char *s, int multiline)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; p[i]; i++) {
        unsigned char c = p[i];
        int ok_ws = c == '\t' || (multiline && (c == '\n' || c == '\r'));
        if ((c < 0x20 && !ok_ws) || c == 0x7f || unsafe_seq(p + i))
            return i + 1;
    }
    return 0;
}

void rf_text_sanitize_line(char *s)
{
    unsigned char *p = (unsigned char *)s, *w = p;
    while (*p) {
        size_t n = unsafe_seq(p);
        if (n || *p < 0x20 || *p == 0x7f) {
            *w++ = '?';
            p += n ? n : 1;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
}
