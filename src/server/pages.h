/*
 * The interface's language on the pages `rolefit serve` sends (issue 16):
 * which language a page is served in, and the page itself with its
 * `<html lang>` set and the language's message catalogue (web/i18n/<lang>.json)
 * inlined, so the page's script shows it in that language before the first
 * paint. The language is, in order: a `?lang=` of the request, the rf_lang
 * cookie the language switch sets, the browser's Accept-Language, English.
 * An unknown code at any step is passed over, never an error.
 */
#ifndef RF_SERVER_PAGES_H
#define RF_SERVER_PAGES_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "server/http.h"

/* The interface languages; the first is the default. */
#define RF_UI_LANGS                                                                                \
    {                                                                                              \
        "en", "ja"                                                                                 \
    }

/* A language code when code names one of the interface languages ("ja",
 * "ja-JP", "JA_jp"), else NULL. */
const char *rf_ui_lang(const char *code);

/* The best interface language of an Accept-Language header (highest q, then
 * the first listed), or NULL when it names none. */
const char *rf_ui_lang_accept(const char *header);

/* The language req's page is served in. */
const char *rf_page_lang(const struct rf_req *req);

/* The page of the file at path (its text `<html lang="en"` set to lang and
 * the comment `<!--rf:catalogue-->` replaced by the catalogue of lang from
 * folder i18n under web_root) into out. */
rf_status rf_page_render(const char *path, const char *web_root, const char *lang,
                         struct rf_buf *out, struct rf_err *err);

#endif
