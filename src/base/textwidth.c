/*
 * Display width and wrapping (textwidth.h). The wrapper cuts each line of
 * the input into units that may not be split (a narrow word, one wide
 * character with the closing marks after it and the opening marks before
 * it, a run of spaces) and fills lines greedily with them.
 */
#include "base/textwidth.h"

#include <string.h>
#include <utf8proc.h>

/* One character of s at *i: its code point (the byte itself when invalid)
 * and byte length. */
static size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
        *cp = (unsigned char)s[i];
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

static size_t cp_width(int32_t cp, int valid)
{
    if (!valid)
        return 1;
    if (cp == '\t')
        return 1;
    int w = utf8proc_charwidth(cp);
    return w > 0 ? (size_t)w : 0;
}

size_t rf_text_width(const char *s)
{
    size_t w = 0, n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t k = next_cp(s, n, i, &cp);
        w += cp_width(cp, k > 1 || (unsigned char)s[i] < 0x80);
        i += k;
    }
    return w;
}

rf_status rf_text_pad(struct rf_buf *b, const char *s, size_t width)
{
    rf_status rc = rf_buf_puts(b, s ? s : "");
    for (size_t w = rf_text_width(s); !rc && w < width; w++)
        rc = rf_buf_putc(b, ' ');
    return rc;
}

/* Marks that close a phrase: never at the start of a line. */
static int closing(int32_t c)
{
    static const int32_t set[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009,
        0x300B, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B, 0x30FC, 0x30FB, 0x3063, 0x30C3, 0x3083,
        0x3085, 0x3087, 0x30E3, 0x30E5, 0x30E7, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049,
        0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0xFF5D, 0xFF3D, 0x2019, 0x201D, 0x2026,
        ')',    ']',    '}',    ',',    '.',    ':',    ';',    '!',    '?',    '%'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return 1;
    return 0;
}

/* Marks that open a phrase: never at the end of a line. */
static int opening(int32_t c)
{
    static const int32_t set[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x300A,
                                  0xFF5B, 0xFF3B, 0x2018, 0x201C, '(',    '[',    '{'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == c)
            return 1;
    return 0;
}

struct wrap {
    struct rf_buf *b;
    rf_status rc;
    size_t width, col; /* line width; columns used on the current line */
    const char *first, *rest;
    int started;    /* a line has been begun */
    int line_empty; /* nothing but the prefix on the current line */
};

static void put(struct wrap *w, const char *s, size_t n)
{
    if (!w->rc)
        w->rc = rf_buf_append(w->b, s, n);
}

static void begin_line(struct wrap *w)
{
    const char *p = w->started ? w->rest : w->first;
    w->started = 1;
    put(w, p, strlen(p));
    w->col = rf_text_width(p);
    w->line_empty = 1;
}

static void end_line(struct wrap *w)
{
    put(w, "\n", 1);
    w->line_empty = 1;
    w->col = 0;
}

/* Places one unit, with a space before it when one was pending. */
static void place(struct wrap *w, const char *u, size_t n, size_t uw, int space)
{
    size_t need = uw + (space && !w->line_empty);
    if (!w->line_empty && w->col + need > w->width) {
        end_line(w);
        begin_line(w);
        space = 0;
    }
    if (space && !w->line_empty) {
        put(w, " ", 1);
        w->col++;
    }
    put(w, u, n);
    w->col += uw;
    w->line_empty = 0;
}

/* Wraps one line of input (no '\n' inside). */
static void wrap_line(struct wrap *w, const char *s, size_t n)
{
    begin_line(w);
    size_t i = 0;
    int space = 0;
    while (i < n && !w->rc) {
        int32_t cp;
        size_t k = next_cp(s, n, i, &cp);
        if (cp == ' ') {
            space = 1;
            i += k;
            continue;
        }
        /* one unit from i to j, of width uw */
        size_t j = i, uw = 0;
        int wide_unit = 0;
        while (j < n) {
            int32_t c;
            size_t kk = next_cp(s, n, j, &c);
            size_t cw = cp_width(c, kk > 1 || (unsigned char)s[j] < 0x80);
            if (c == ' ')
                break;
            if (j > i) {
                int32_t prev;
                /* the unit so far ends in an opening mark: take this one too */
                size_t pk = 1;
                while (pk < j - i && ((unsigned char)s[j - pk] & 0xC0) == 0x80)
                    pk++;
                next_cp(s, n, j - pk, &prev);
                int glue = opening(prev) || closing(c) || cw == 0;
                if (!glue && (wide_unit || cw == 2))
                    break;
            }
            if (cw == 2 && !closing(c))
                wide_unit = 1;
            uw += cw;
            j += kk;
        }
        place(w, s + i, j - i, uw, space);
        space = 0;
        i = j;
    }
    end_line(w);
}

rf_status rf_text_wrap(struct rf_buf *b, const char *s, size_t width, const char *first,
                       const char *rest)
{
    struct wrap w = {b, RF_OK, width, 0, first ? first : "", rest ? rest : "", 0, 1};
    int code = 0;
    const char *p = s ? s : "";
    do {
        size_t n = strcspn(p, "\n");
        int fence = n >= 3 && strncmp(p, "```", 3) == 0;
        if (n == 0 && !code) {
            w.started = 1;
            put(&w, "\n", 1);
        } else if (code || fence) {
            begin_line(&w);
            put(&w, p, n);
            end_line(&w);
            code ^= fence;
        } else {
            wrap_line(&w, p, n);
        }
        p += n;
    } while (*p++ == '\n' && !w.rc);
    return w.rc;
}
