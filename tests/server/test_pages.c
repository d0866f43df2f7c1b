/* Pages in the reader's language (issue 16, server/pages.h): the language
 * from ?lang=, the rf_lang cookie, Accept-Language, else English, an unknown
 * code passed over at every step; the page served with its <html lang> and
 * its catalogue inlined (the same JSON as web/i18n/<lang>.json, no "<" that
 * could end the script element); error replies carry a stable code for the
 * page to say in its language. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "fixture.h"
#include "server/pages.h"

static void start(void)
{
    fixture_start(1, 0);
}

static void stop(void)
{
    fixture_stop();
}

TestSuite(pages, .init = start, .fini = stop);
TestSuite(langs);

Test(langs, codes)
{
    cr_assert_str_eq(rf_ui_lang("ja"), "ja");
    cr_assert_str_eq(rf_ui_lang("ja-JP"), "ja");
    cr_assert_str_eq(rf_ui_lang("JA_jp"), "ja");
    cr_assert_str_eq(rf_ui_lang("en-GB"), "en");
    cr_assert_null(rf_ui_lang("jav"));
    cr_assert_null(rf_ui_lang("fr"));
    cr_assert_null(rf_ui_lang(""));
    cr_assert_null(rf_ui_lang(NULL));
    cr_assert_null(rf_ui_lang("e"));
}

Test(langs, accept_language)
{
    cr_assert_str_eq(rf_ui_lang_accept("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"), "ja");
    cr_assert_str_eq(rf_ui_lang_accept("en-US,en;q=0.9,ja;q=0.8"), "en");
    /* the highest q wins, not the first listed */
    cr_assert_str_eq(rf_ui_lang_accept("en;q=0.5, ja;q=0.8"), "ja");
    /* languages we do not have are passed over */
    cr_assert_str_eq(rf_ui_lang_accept("fr-FR,fr;q=0.9,ja;q=0.5"), "ja");
    cr_assert_null(rf_ui_lang_accept("fr-FR,de;q=0.9"));
    cr_assert_null(rf_ui_lang_accept("*"));
    /* q=0 means "not this"; a malformed q counts as 0 */
    cr_assert_null(rf_ui_lang_accept("ja;q=0"));
    cr_assert_null(rf_ui_lang_accept("ja;q=abc"));
    cr_assert_null(rf_ui_lang_accept("ja;q=2"));
    cr_assert_null(rf_ui_lang_accept(""));
    cr_assert_null(rf_ui_lang_accept(NULL));
    cr_assert_str_eq(rf_ui_lang_accept(" ja ; q=0.3 ,, en;q=0.2"), "ja");
}

/* GET path with extra headers; the page's language and its reply. */
static char *page(const char *path, const char *headers, struct http_result *r)
{
    cr_assert_eq(http_request(fx.port, "GET", path, headers, NULL, 0, r), 0, "%s", path);
    cr_assert_eq(r->status, 200, "%s: %d", path, r->status);
    const char *l = strstr(r->body, "<html lang=\"");
    cr_assert(l, "%s: no <html lang>", path);
    l += strlen("<html lang=\"");
    return strndup(l, strcspn(l, "\""));
}

static void served_in(const char *path, const char *headers, const char *want)
{
    struct http_result r;
    char *l = page(path, headers, &r);
    cr_assert_str_eq(l, want, "%s with [%s]: served in %s, want %s", path, headers ? headers : "",
                     l, want);
    char v[64];
    cr_assert(http_header(&r, "Content-Language", v, sizeof v) && !strcmp(v, want), "%s",
              r.headers);
    cr_assert(http_header(&r, "Vary", v, sizeof v) && strstr(v, "Accept-Language") &&
                  strstr(v, "Cookie"),
              "%s", r.headers);
    free(l);
    http_result_free(&r);
}

Test(pages, language_of_a_page)
{
    served_in("/", NULL, "en");
    served_in("/", "Accept-Language: ja-JP,ja;q=0.9,en;q=0.8\r\n", "ja");
    served_in("/test.html", "Accept-Language: fr,en;q=0.5\r\n", "en");
    /* the switch's cookie beats the browser's language */
    served_in("/invite.html", "Accept-Language: ja\r\nCookie: rf_lang=en\r\n", "en");
    served_in("/login.html", "Accept-Language: en\r\nCookie: rf_lang=ja\r\n", "ja");
    /* ?lang= beats the cookie */
    served_in("/setup.html?lang=ja", "Cookie: rf_lang=en\r\n", "ja");
    served_in("/?lang=en", "Accept-Language: ja\r\nCookie: rf_lang=ja\r\n", "en");
    /* unknown codes are passed over, never an error */
    served_in("/?lang=xx", "Cookie: rf_lang=ja\r\n", "ja");
    served_in("/?lang=%3Cscript%3E", "Cookie: rf_lang=fr\r\nAccept-Language: ja\r\n", "ja");
    /* a cookie too long to be a code */
    served_in("/?lang=", "Cookie: rf_lang=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", "en");
}

/* A page's tag names its language: the same page in another language is
 * sent in full, in the same language it is not modified. */
Test(pages, etag_follows_the_language)
{
    struct http_result r;
    free(page("/test.html", "Cookie: rf_lang=ja\r\n", &r));
    char etag[128], hdr[256];
    cr_assert(http_header(&r, "ETag", etag, sizeof etag));
    cr_assert(strstr(etag, "-ja-"), "%s", etag);
    http_result_free(&r);
    snprintf(hdr, sizeof hdr, "Cookie: rf_lang=ja\r\nIf-None-Match: %s\r\n", etag);
    cr_assert_eq(http_request(fx.port, "GET", "/test.html", hdr, NULL, 0, &r), 0);
    cr_assert_eq(r.status, 304);
    http_result_free(&r);
    snprintf(hdr, sizeof hdr, "Cookie: rf_lang=en\r\nIf-None-Match: %s\r\n", etag);
    char *l = page("/test.html", hdr, &r);
    cr_assert_str_eq(l, "en");
    free(l);
    http_result_free(&r);
}

/* The inlined catalogue is the file's JSON, whole. */
Test(pages, catalogue_inlined)
{
    const char *langs[] = {"en", "ja"};
    for (size_t i = 0; i < 2; i++) {
        char q[64];
        snprintf(q, sizeof q, "/test.html?lang=%s", langs[i]);
        struct http_result r;
        free(page(q, NULL, &r));
        char open[128];
        snprintf(open, sizeof open,
                 "<script type=\"application/json\" id=\"rf-catalogue\" data-lang=\"%s\">",
                 langs[i]);
        const char *s = strstr(r.body, open);
        cr_assert(s, "%s: no catalogue", q);
        s += strlen(open);
        const char *e = strstr(s, "</script>");
        cr_assert(e);
        cr_assert_null(memchr(s, '<', (size_t)(e - s)), "%s: a '<' inside the catalogue", q);
        json_error_t jerr;
        json_t *inl = json_loadb(s, (size_t)(e - s), 0, &jerr);
        cr_assert(inl, "%s: the inlined catalogue is not JSON: %s", q, jerr.text);
        char path[64];
        snprintf(path, sizeof path, "web/i18n/%s.json", langs[i]);
        json_t *file = json_load_file(path, 0, &jerr);
        cr_assert(file, "%s: %s", path, jerr.text);
        cr_assert(json_equal(inl, file), "%s: the inlined catalogue differs from %s", q, path);
        cr_assert_gt(json_object_size(file), 100);
        cr_assert_null(strstr(r.body, "<!--rf:catalogue-->"));
        json_decref(inl);
        json_decref(file);
        http_result_free(&r);
    }
}

/* Files that are not pages are sent as they are, with their ETag. */
Test(pages, other_files_unchanged)
{
    struct http_result r;
    cr_assert_eq(
        http_request(fx.port, "GET", "/i18n/ja.json", "Cookie: rf_lang=ja\r\n", NULL, 0, &r), 0);
    cr_assert_eq(r.status, 200);
    char *file = NULL;
    size_t len = 0;
    struct rf_err err;
    cr_assert_eq(rf_file_read("web/i18n/ja.json", 1 << 20, &file, &len, &err), RF_OK);
    cr_assert_eq(r.body_len, len);
    cr_assert_eq(memcmp(r.body, file, len), 0);
    char v[64];
    cr_assert(http_header(&r, "ETag", v, sizeof v));
    free(file);
    http_result_free(&r);
}

static void error_code(const char *method, const char *path, const char *body, int status,
                       const char *code, const char *field)
{
    struct http_client c = {.port = fx.port};
    struct http_result r;
    cr_assert_eq(client_do(&c, method, path, body, &r), 0);
    cr_assert_eq(r.status, status, "%s %s: %d %s", method, path, r.status, r.body);
    cr_assert_str_eq(json_string_value(json_object_get(r.json, "code")), code, "%s", r.body);
    cr_assert(json_is_string(json_object_get(r.json, "error")), "%s", r.body);
    if (field)
        cr_assert_str_eq(json_string_value(json_object_get(r.json, "field")), field, "%s", r.body);
    http_result_free(&r);
}

Test(pages, errors_carry_a_code)
{
    error_code("GET", "/api/nothing-here", NULL, 404, "not_found", NULL);
    error_code("GET", "/api/tests/999999", NULL, 404, "not_found", NULL);
    error_code("POST", "/api/tests", "{\"role\":\"ml_engineer\",\"lang\":\"fr\"}", 400,
               "invalid_field", "lang");
    error_code("POST", "/api/tests", "{\"role\":\"ml_engineer\",\"lang\":\"ja-JP\"}", 400,
               "invalid_field", "lang");
    error_code("POST", "/api/tests", "[1]", 400, "bad_request", NULL);
    error_code("POST", "/api/login",
               "{\"email\":\"nobody@x.test\",\"password\":\"wrong-password\"}", 401,
               "sign_in_failed", NULL);
}
