/*
 * The interface's language on served pages (pages.h).
 */
#include "server/pages.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/file.h"

#define PAGE_MAX ((size_t)512 * 1024)
#define CATALOGUE_MAX ((size_t)1024 * 1024)

static const char *const langs[] = RF_UI_LANGS;

const char *rf_ui_lang(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
        size_t n = strlen(langs[i]);
        if (strncasecmp(code, langs[i], n) == 0 &&
            (code[n] == '\0' || code[n] == '-' || code[n] == '_'))
            return langs[i];
    }
    return NULL;
}

/* Accept-Language: "ja-JP,ja;q=0.9,en;q=0.8": comma-separated ranges, each
 * with an optional q from 0 to 1. */
const char *rf_ui_lang_accept(const char *h)
{
    const char *best = NULL;
    double best_q = 0;
    while (h && *h) {
        const char *end = strchr(h, ',');
        size_t len = end ? (size_t)(end - h) : strlen(h);
        char range[64];
        if (len < sizeof range) {
            memcpy(range, h, len);
            range[len] = '\0';
            double q = 1;
            char *semi = strchr(range, ';');
            if (semi) {
                *semi = '\0';
                const char *qs = strstr(semi + 1, "q=");
                char *qend;
                q = qs ? strtod(qs + 2, &qend) : 1;
                if (!qs || qend == qs + 2 || !(q >= 0 && q <= 1))
                    q = 0;
            }
            char *r = range;
            while (*r == ' ' || *r == '\t')
                r++;
            size_t rl = strlen(r);
            while (rl && (r[rl - 1] == ' ' || r[rl - 1] == '\t'))
                r[--rl] = '\0';
            const char *l = rf_ui_lang(r);
            if (l && q > best_q) {
                best = l;
                best_q = q;
            }
        }
        h = end ? end + 1 : NULL;
    }
    return best;
}

const char *rf_page_lang(const struct rf_req *req)
{
    const char *l = rf_ui_lang(rf_req_query(req, "lang"));
    char cookie[16];
    if (!l && rf_req_cookie(req, "rf_lang", cookie, sizeof cookie))
        l = rf_ui_lang(cookie);
    if (!l)
        l = rf_ui_lang_accept(rf_req_header(req, "Accept-Language"));
    return l ? l : langs[0];
}

/* The catalogue as the text of a <script type="application/json">: a "<"
 * can only stand inside a JSON string, where \u003c says the same and no
 * "</script>" can end the element early. */
static rf_status put_catalogue(struct rf_buf *out, const char *web_root, const char *lang,
                               struct rf_err *err)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/i18n/%s.json", web_root, lang);
    char *cat = NULL;
    size_t len = 0;
    rf_status rc = rf_file_read(path, CATALOGUE_MAX, &cat, &len, err);
    if (rc)
        return rc;
    rc = rf_buf_printf(
        out, "<script type=\"application/json\" id=\"rf-catalogue\" data-lang=\"%s\">", lang);
    for (size_t i = 0; !rc && i < len; i++)
        rc = cat[i] == '<' ? rf_buf_puts(out, "\\u003c") : rf_buf_putc(out, cat[i]);
    if (!rc)
        rc = rf_buf_puts(out, "</script>");
    free(cat);
    return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
}

rf_status rf_page_render(const char *path, const char *web_root, const char *lang,
                         struct rf_buf *out, struct rf_err *err)
{
    static const char html_en[] = "<html lang=\"en\"", marker[] = "<!--rf:catalogue-->";
    char *page = NULL;
    size_t len = 0;
    rf_status rc = rf_file_read(path, PAGE_MAX, &page, &len, err);
    if (rc)
        return rc;
    rf_buf_reset(out);
    const char *p = page;
    const char *h = strstr(p, html_en);
    if (h) {
        rc = rf_buf_append(out, p, (size_t)(h - p));
        if (!rc)
            rc = rf_buf_printf(out, "<html lang=\"%s\"", lang);
        p = h + sizeof html_en - 1;
    }
    const char *m = rc ? NULL : strstr(p, marker);
    if (m) {
        rc = rf_buf_append(out, p, (size_t)(m - p));
        if (!rc) {
            rc = put_catalogue(out, web_root, lang, err);
            if (rc) {
                free(page);
                return rc;
            }
        }
        p = m + sizeof marker - 1;
    }
    if (!rc)
        rc = rf_buf_append(out, p, len - (size_t)(p - page));
    free(page);
    return rc ? rf_err_set(err, rc, "out of memory") : RF_OK;
}
