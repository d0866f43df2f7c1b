/*
 * HTML report renderer. Layout: a header, the role-fit chart, the skill
 * chart, gap cards with the learning plan, the interview loop and a short
 * note on method. Charts are SVG drawn here with fixed geometry; the theta
 * axis of the skill chart spans [-3, 3], where the level cut points lie.
 */
#include "careers/html_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/chance.h"
#include "base/config.h"
#include "base/json.h"
#include "careers/html_writer.h"
#include "careers/report_text.h"

/* The page's writer (careers/html_writer.h), who reads it and in which language. */
struct hw {
    struct rf_html h;
    int staff;            /* the reader is the organization's staff, not the candidate */
    enum rf_lang lang;    /* the report's language (its "report_lang") */
    const json_t *levels; /* the report's level names in its language, or NULL */
};

/* A concept as the report shows it: by its "name" in a report of another
 * language than English (the English report keeps the tag, key). */
static const char *concept_label(const struct hw *w, const json_t *m, const char *key)
{
    const char *name = json_string_value(json_object_get(m, "name"));
    return w->lang != RF_EN && name ? name : rf_json_text(m, key);
}

/* The level names of reports from before "levels" (and of the posting
 * section, whose levels are named in English). */
static const char *const levels_en[] = {"novice", "developing", "proficient", "advanced", "expert"};

/* The name of level l in the report's language. */
static const char *level_at(const struct hw *w, size_t l)
{
    const char *s = json_string_value(json_array_get(w->levels, l));
    return s ? s : levels_en[l];
}

/* The English level name en in the report's language (en when unknown). */
static const char *level_name(const struct hw *w, const char *en)
{
    for (size_t l = 0; l < sizeof levels_en / sizeof levels_en[0]; l++)
        if (strcmp(en, levels_en[l]) == 0)
            return level_at(w, l);
    return en;
}

/* The words for the reader: the candidate ("you") or staff ("the candidate"). */
static const char *say(const struct hw *w, const char *you, const char *they)
{
    return w->staff ? they : you;
}

/* Markup written by this file (never data). */
static void raw(struct hw *w, const char *s)
{
    rf_html_raw(&w->h, s);
}

/* Text from data or profiles: always escaped. */
static void text(struct hw *w, const char *s)
{
    rf_html_text(&w->h, s);
}

/* Markup with numbers; the format comes from this file, arguments are numbers. */
static void fmt(struct hw *w, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void fmt(struct hw *w, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    rf_html_vfmt(&w->h, f, ap);
    va_end(ap);
}

/* The report's words: message key of the report's language with n
 * arguments (careers/report_text.h), escaped, '*' pairs in bold. */
static void msg(struct hw *w, const char *key, size_t n, const char *const *args)
{
    if (!w->h.rc)
        w->h.rc = rf_report_msg_put(w->h.b, RF_MSG_HTML, w->lang, key, args, n);
}

/* A message without arguments. */
static void say_msg(struct hw *w, const char *key)
{
    msg(w, key, 0, NULL);
}

/* Numbers formatted into buf (the same in every language). */
static const char *num(char *buf, size_t n, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static const char *num(char *buf, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, n, f, ap);
    va_end(ap);
    return buf;
}

/* An integer of a JSON value formatted into buf. */
static const char *inum(char *buf, size_t n, const json_t *v)
{
    snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    return buf;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Colour of a probability: red below 0.5, amber to 0.8, green above. */
static const char *pcolor(double p)
{
    return p >= RF_FIT_MET ? "#2f855a" : p >= 0.5 ? "#c27c0e" : "#c0392b";
}

static const char css[] =
    "<style>\n"
    ":root{--ink:#1d2433;--muted:#5b6475;--line:#e3e6ec;--bg:#f6f7f9;--accent:#2b59c3}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Noto Sans','Noto Sans JP',sans-serif;overflow-wrap:anywhere}\n"
    "main{max-width:1080px;margin:0 auto;padding:32px 28px 48px}\n"
    "header{background:linear-gradient(120deg,#1f3b7a,#2b59c3);color:#fff;border-radius:14px;"
    "padding:28px 32px;margin-bottom:24px}\n"
    "header h1{margin:0 0 6px;font-size:28px;font-weight:650;letter-spacing:-.01em}\n"
    "header p{margin:0;opacity:.9}\n"
    ".kpis{display:flex;gap:14px;margin-top:18px;flex-wrap:wrap}\n"
    ".kpi{background:rgba(255,255,255,.14);border-radius:10px;padding:10px 16px;min-width:150px}\n"
    ".kpi b{display:block;font-size:22px}\n"
    ".kpi span{font-size:13px;opacity:.85}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:14px;padding:22px 26px;"
    "margin-bottom:22px}\n"
    "h2{font-size:19px;margin:0 0 4px}\n"
    ".sub{color:var(--muted);margin:0 0 14px;font-size:14px}\n"
    "svg{display:block;width:100%;height:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px;margin:0 0 14px}\n"
    "th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left}\n"
    "svg text{font-family:inherit}\n"
    ".gaps{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(460px,100%),1fr));"
    "gap:16px}\n"
    ".gap{border:1px solid var(--line);border-radius:12px;padding:16px 18px}\n"
    ".gap h3{margin:0;font-size:17px}\n"
    ".need{color:var(--muted);font-size:14px;margin:2px 0 10px}\n"
    ".meter{height:8px;background:#edf0f4;border-radius:4px;overflow:hidden;margin:4px 0 12px}\n"
    ".meter i{display:block;height:100%}\n"
    ".chips{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 10px}\n"
    ".chip{background:#eef2fb;color:#233b73;border-radius:999px;padding:2px 10px;font-size:13px}\n"
    ".chip.block{background:#fbeeee;color:#8a2323}\n"
    ".note{font-size:13.5px;color:var(--muted);margin:2px 0 8px}\n"
    ".gap ol{margin:6px 0 8px 20px;padding:0}\n"
    ".gap li{margin:3px 0}\n"
    ".label{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);"
    "margin-top:10px}\n"
    ".warn{background:#fff7e6;border:1px solid #f3d9a4;border-radius:8px;padding:8px 12px;"
    "font-size:14px;margin:6px 0 10px}\n"
    ".loop{counter-reset:s;list-style:none;margin:0;padding:0}\n"
    ".loop li{position:relative;padding:8px 0 8px 44px;border-bottom:1px solid var(--line)}\n"
    ".loop li:last-child{border-bottom:0}\n"
    ".loop li:before{counter-increment:s;content:counter(s);position:absolute;left:0;top:8px;"
    "width:28px;height:28px;border-radius:50%;background:#eef2fb;color:#233b73;text-align:center;"
    "line-height:28px;font-weight:600}\n"
    "footer{color:var(--muted);font-size:13px;line-height:1.6}\n"
    ".review{border-top:1px solid var(--line);padding:12px 0}\n"
    ".review .head{font-size:13px;color:var(--muted);margin-bottom:4px}\n"
    ".review .stem,.review li,.review .why{white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".review li.right{color:#1b6b3a}.review li.yours{color:#a23b2a}\n"
    ".review .why{font-size:14px;color:#39414f}\n"
    "@media (max-width:640px){main{padding:14px 10px 32px}header{padding:20px 18px}"
    "section{padding:16px 14px}.gap{padding:14px 12px}}\n"
    "@media print{body{background:#fff}section,header{break-inside:avoid}}\n"
    "</style>\n";

/* A table's opening and header row from column keys (a NULL column is an
 * empty header; "#" and "p" stay as they are). */
static void table_head(struct hw *w, const char *const *cols, size_t n)
{
    raw(w, "<table><tr>");
    for (size_t i = 0; i < n; i++) {
        raw(w, "<th>");
        if (cols[i] && (strcmp(cols[i], "#") == 0 || strcmp(cols[i], "p") == 0))
            text(w, cols[i]);
        else if (cols[i])
            say_msg(w, cols[i]);
        raw(w, "</th>");
    }
    raw(w, "</tr>\n");
}

static void header(const json_t *r, const json_t *best, struct hw *w)
{
    const json_t *t = json_object_get(r, "target");
    char a[32], b[32];
    raw(w, "<header><h1>");
    if (json_object_get(r, "person"))
        msg(w, "profile.h_person", 1, (const char *[]){rf_json_text(r, "person")});
    else
        say_msg(w, "profile.h");
    raw(w, "</h1><p>");
    msg(w, "profile.measured", 2,
        (const char *[]){inum(a, sizeof a, json_object_get(r, "skills_measured")),
                         inum(b, sizeof b, json_object_get(r, "skills_total"))});
    if (json_object_get(r, "source")) {
        say_msg(w, "header.sep");
        msg(w, "profile.source", 1, (const char *[]){rf_json_text(r, "source")});
    }
    /* The sessions the profile rests on (a test and its follow-ups). */
    const json_t *ss = json_object_get(r, "sessions");
    if (json_array_size(ss) > 1) {
        struct rf_buf ids;
        rf_buf_init(&ids, 1 << 16);
        for (size_t i = 0; i < json_array_size(ss); i++) {
            const char *id = json_string_value(json_array_get(ss, i));
            if (i)
                rf_report_msg_put(&ids, RF_MSG_TEXT, w->lang, "list.sep", NULL, 0);
            rf_buf_puts(&ids, id ? id : "?");
        }
        say_msg(w, "header.sep");
        msg(w, "profile.sessions", 2,
            (const char *[]){num(a, sizeof a, "%.0f", (double)json_array_size(ss)),
                             rf_buf_str(&ids)});
        rf_buf_cleanup(&ids);
    }
    if (json_is_true(json_object_get(json_object_get(r, "prior"), "loadings_assumed"))) {
        say_msg(w, "header.sep");
        say_msg(w, "profile.assumed");
    }
    const json_t *near = json_array_get(json_object_get(r, "closest"), 0);
    raw(w, "</p><div class=\"kpis\">");
    double none = rf_json_num(r, "no_role");
    if (near && json_integer_value(json_object_get(near, "measured")) > 0 &&
        none > rf_json_num(near, "probability")) {
        raw(w, "<div class=\"kpi\"><span>");
        say_msg(w, "kpi.closest");
        raw(w, "</span><b>");
        say_msg(w, "kpi.no_role");
        raw(w, "</b><span>");
        msg(w, "kpi.random", 1, (const char *[]){rf_chance_pct(a, sizeof a, none)});
        raw(w, "</span></div>");
    } else if (near && json_integer_value(json_object_get(near, "measured")) > 0) {
        raw(w, "<div class=\"kpi\"><span>");
        say_msg(w, "kpi.closest");
        raw(w, "</span><b>");
        text(w, rf_json_text(near, "name"));
        raw(w, "</b><span>");
        msg(w, "kpi.probability", 1,
            (const char *[]){rf_chance_pct(a, sizeof a, rf_json_num(near, "probability"))});
        raw(w, "</span></div>");
    }
    raw(w, "<div class=\"kpi\"><span>");
    say_msg(w, "kpi.best");
    raw(w, "</span><b>");
    text(w, rf_json_text(best, "name"));
    raw(w, "</b><span>");
    msg(w, "kpi.fit", 2,
        (const char *[]){num(a, sizeof a, "%.2f", rf_json_num(best, "fit")),
                         num(b, sizeof b, "%.2f", rf_json_num(best, "sd"))});
    raw(w, "</span></div><div class=\"kpi\"><span>");
    say_msg(w, "kpi.plan");
    raw(w, "</span><b>");
    text(w, rf_json_text(t, "name"));
    raw(w, "</b><span>");
    size_t ng = json_array_size(json_object_get(r, "gaps"));
    msg(w, ng == 1 ? "kpi.gaps_one" : "kpi.gaps", 1,
        (const char *[]){num(a, sizeof a, "%.0f", (double)ng)});
    raw(w, "</span></div></div></header>\n");
}

/* Closest roles: the most probable roles (at least 2%, at most six) as bars. */
static void closest_chart(const json_t *r, struct hw *w)
{
    const json_t *cl = json_object_get(r, "closest"), *f;
    if (json_integer_value(json_object_get(json_array_get(cl, 0), "measured")) == 0)
        return;
    size_t n = 0, i;
    json_array_foreach(cl, i, f)
        if (n < 6 && (n == 0 || rf_json_num(f, "probability") >= 0.02))
            n++;
    const double x0 = 380, x1 = 880, row = 30, top = 8;
    raw(w, "<section><h2>");
    say_msg(w, "closest.h");
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, say(w, "closest.sub.you", "closest.sub.staff"));
    raw(w, "</p>\n");
    const char *rel = rf_json_text(r, "closest_relation");
    const char *role = rf_json_text(json_object_get(r, "target"), "name");
    const char *top_role = rf_json_text(json_array_get(cl, 0), "name");
    if (*rel) {
        raw(w, "<p class=\"sub\">");
        if (strcmp(rel, "own") == 0)
            msg(w, "closest.own", 1, (const char *[]){role});
        else if (strcmp(rel, "highest") == 0)
            msg(w, "closest.highest", 1, (const char *[]){top_role});
        else
            msg(w, strcmp(rel, "higher") == 0 ? "closest.higher" : "closest.lower", 2,
                (const char *[]){top_role, role});
        raw(w, "</p>\n");
    }
    double none = rf_json_num(r, "no_role");
    char pc[32];
    if (none > rf_json_num(json_array_get(cl, 0), "probability")) {
        raw(w, "<p class=\"warn\">");
        msg(w, "closest.random", 1, (const char *[]){rf_chance_pct(pc, sizeof pc, none)});
        raw(w, "</p>\n");
    } else if (rf_json_num(json_array_get(cl, 0), "log_bf") < 0) {
        raw(w, "<p class=\"warn\">");
        say_msg(w, "closest.against");
        raw(w, "</p>\n");
    }
    fmt(w, "<svg viewBox=\"0 0 1040 %.0f\" role=\"img\" aria-label=\"",
        top + row * (double)(n + 1) + 8);
    say_msg(w, "closest.h");
    raw(w, "\">\n");
    for (i = 0; i <= n; i++) {
        f = json_array_get(cl, i);
        if (i == n) { /* the last row: no role */
            double y = top + row * (double)i, pr = clamp(none, 0, 1);
            fmt(w,
                "<text x=\"%.0f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\" "
                "fill=\"#5b6475\">",
                x0 - 12, y + row / 2 + 5);
            say_msg(w, "closest.no_role_row");
            fmt(w,
                "</text>\n<rect x=\"%.1f\" "
                "y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"#edf0f4\"/><rect "
                "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" "
                "fill=\"#9aa3b5\"/><text x=\"%.0f\" y=\"%.1f\" font-size=\"13\" "
                "fill=\"#1d2433\">",
                x0, y + row / 2 - 7, x1 - x0, x0, y + row / 2 - 7, (x1 - x0) * pr, x1 + 12,
                y + row / 2 + 4.5);
            text(w, rf_chance_pct(pc, sizeof pc, none));
            raw(w, "</text>\n");
            break;
        }
        double y = top + row * (double)i, pr = clamp(rf_json_num(f, "probability"), 0, 1);
        fmt(w, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\" "
               "fill=\"#1d2433\"%s>",
            x0 - 12, y + row / 2 + 5, i == 0 ? " font-weight=\"650\"" : "");
        text(w, rf_json_text(f, "name"));
        fmt(w,
            "</text>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" "
            "fill=\"#edf0f4\"/><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
            "rx=\"3\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.1f\" font-size=\"13\" "
            "fill=\"#1d2433\">",
            x0, y + row / 2 - 7, x1 - x0, x0, y + row / 2 - 7, (x1 - x0) * pr,
            i == 0 ? "#1f3b7a" : "#6f8fd6", x1 + 12, y + row / 2 + 4.5);
        text(w, rf_chance_pct(pc, sizeof pc, rf_json_num(f, "probability")));
        raw(w, "</text>\n");
    }
    raw(w, "</svg></section>\n");
}

/* Role fit: one bar per role with its +-SD error bar and P(core) marker. */
static void roles_chart(const json_t *r, struct hw *w)
{
    const json_t *roles = json_object_get(r, "roles");
    const char *target = rf_json_text(json_object_get(r, "target"), "role");
    size_t n = json_array_size(roles);
    const double x0 = 380, x1 = 740, row = 34, top = 34;
    double h = top + row * (double)n + 16;
    raw(w, "<section><h2>");
    say_msg(w, "roles.h");
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, "roles.sub");
    fmt(w, "</p>\n<svg viewBox=\"0 0 1040 %.0f\" role=\"img\" aria-label=\"", h);
    say_msg(w, "roles.chart");
    raw(w, "\">\n");
    for (int k = 0; k <= 4; k++) {
        double x = x0 + (x1 - x0) * k / 4.0;
        fmt(w, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#e3e6ec\"/>"
               "<text x=\"%.1f\" y=\"20\" font-size=\"12\" fill=\"#5b6475\" "
               "text-anchor=\"middle\">%.2f</text>\n",
            x, top - 6, x, h - 10, x, k / 4.0);
    }
    size_t i;
    const json_t *f;
    json_array_foreach(roles, i, f)
    {
        double y = top + row * (double)i, fit = rf_json_num(f, "fit"), sd = rf_json_num(f, "sd");
        int is_t = strcmp(rf_json_text(f, "role"), target) == 0;
        if (is_t)
            fmt(w, "<rect x=\"0\" y=\"%.1f\" width=\"1040\" height=\"%.0f\" fill=\"#eef2fb\" "
                   "rx=\"6\"/>\n",
                y + 1, row - 2);
        fmt(w, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\" "
               "fill=\"#1d2433\"%s>",
            x0 - 12, y + row / 2 + 5, is_t ? " font-weight=\"650\"" : "");
        text(w, rf_json_text(f, "name"));
        raw(w, "</text>\n");
        fmt(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"#edf0f4\"/>"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" rx=\"3\" fill=\"%s\" "
               "opacity=\"0.9\"/>\n",
            x0, y + row / 2 - 7, x1 - x0, x0, y + row / 2 - 7, (x1 - x0) * clamp(fit, 0, 1),
            is_t ? "#1f3b7a" : "#6f8fd6");
        double lo = x0 + (x1 - x0) * clamp(fit - sd, 0, 1),
               hi = x0 + (x1 - x0) * clamp(fit + sd, 0, 1), yc = y + row / 2;
        fmt(w, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\" stroke=\"#1d2433\" "
               "stroke-width=\"1.5\" fill=\"none\"/>\n",
            lo, yc - 6, yc + 6, lo, yc, hi, hi, yc - 6, yc + 6);
        double xc = x0 + (x1 - x0) * clamp(rf_json_num(f, "p_core"), 0, 1);
        fmt(w, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#fff\" stroke=\"#1d2433\" "
               "stroke-width=\"1.3\"/>\n",
            xc, yc - 5);
        char pc[32];
        fmt(w,
            "<text x=\"%.0f\" y=\"%.1f\" font-size=\"13\" fill=\"#1d2433\">%.2f ± %.2f"
            "<tspan fill=\"#5b6475\"> · ",
            x1 + 12, yc + 4.5, fit, sd);
        msg(w, "roles.core", 1,
            (const char *[]){num(pc, sizeof pc, "%.2f", rf_json_num(f, "p_core"))});
        raw(w, "</tspan>");
        size_t nu = json_array_size(json_object_get(f, "unmeasured"));
        if (nu) {
            raw(w, "<tspan fill=\"#a0660a\"> · ");
            msg(w, "roles.unmeasured", 1, (const char *[]){num(pc, sizeof pc, "%.0f", (double)nu)});
            raw(w, "</tspan>");
        }
        raw(w, "</text>\n");
    }
    raw(w, "</svg></section>\n");
}

/* Skill profile: level bands per skill, the estimate with its 95% interval. */
static void skills_chart(const json_t *r, struct hw *w)
{
    const json_t *skills = json_object_get(r, "skills");
    size_t n = json_array_size(skills);
    const double x0 = 310, x1 = 840, row = 30, top = 40, lo = -3, hi = 3;
    static const char *const band[] = {"#f1f3f7", "#e2e9f6", "#cad8f1", "#a9c0ea", "#86a5e0"};
    double h = top + row * (double)n + 24;
    raw(w, "<section><h2>");
    say_msg(w, "skills.chart_h");
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, "skills.sub");
    fmt(w, "</p>\n<svg viewBox=\"0 0 1040 %.0f\" role=\"img\" aria-label=\"", h);
    say_msg(w, "skills.chart");
    raw(w, "\">\n");
    const json_t *first = json_array_get(skills, 0);
    const json_t *cuts0 = json_object_get(first, "cuts");
    /* Level names over the bands of the first skill (the taxonomy's cuts are shared). */
    for (size_t l = 0; l < 5; l++) {
        double a = l ? json_number_value(json_array_get(cuts0, l - 1)) : lo;
        double b = l < 4 ? json_number_value(json_array_get(cuts0, l)) : hi;
        double xa = x0 + (x1 - x0) * (clamp(a, lo, hi) - lo) / (hi - lo);
        double xb = x0 + (x1 - x0) * (clamp(b, lo, hi) - lo) / (hi - lo);
        fmt(w,
            "<text x=\"%.1f\" y=\"24\" font-size=\"12.5\" fill=\"#5b6475\" "
            "text-anchor=\"middle\">",
            (xa + xb) / 2);
        text(w, level_at(w, l));
        raw(w, "</text>\n");
    }
    size_t i;
    const json_t *s;
    json_array_foreach(skills, i, s)
    {
        double y = top + row * (double)i, yc = y + row / 2;
        int m = json_is_true(json_object_get(s, "measured"));
        const json_t *cuts = json_object_get(s, "cuts");
        fmt(w, "<g opacity=\"%s\">", m ? "1" : "0.45");
        fmt(w, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"14\" text-anchor=\"end\" "
               "fill=\"#1d2433\">",
            x0 - 12, yc + 5);
        text(w, rf_json_text(s, "name"));
        raw(w, "</text>\n");
        for (size_t l = 0; l < 5; l++) {
            double a = l ? json_number_value(json_array_get(cuts, l - 1)) : lo;
            double b = l < 4 ? json_number_value(json_array_get(cuts, l)) : hi;
            double xa = x0 + (x1 - x0) * (clamp(a, lo, hi) - lo) / (hi - lo);
            double xb = x0 + (x1 - x0) * (clamp(b, lo, hi) - lo) / (hi - lo);
            fmt(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>",
                xa, y + 4, xb - xa, row - 8, band[l]);
        }
        raw(w, "\n");
        if (m) {
            double th = rf_json_num(s, "theta"), se = rf_json_num(s, "se");
            double xt = x0 + (x1 - x0) * (clamp(th, lo, hi) - lo) / (hi - lo);
            double xa = x0 + (x1 - x0) * (clamp(th - 1.96 * se, lo, hi) - lo) / (hi - lo);
            double xb = x0 + (x1 - x0) * (clamp(th + 1.96 * se, lo, hi) - lo) / (hi - lo);
            fmt(w, "<path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" stroke=\"#1f3b7a\" "
                   "stroke-width=\"2\" fill=\"none\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
                   "fill=\"#1f3b7a\" stroke=\"#fff\" stroke-width=\"2\"/>",
                xa, yc, xb, xa, yc - 5, yc + 5, xb, yc - 5, yc + 5, xt, yc);
            fmt(w, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12.5\" fill=\"#5b6475\">", x1 + 12,
                yc + 4.5);
            text(w, rf_json_text(s, "level"));
            fmt(w, " · %.2f ± %.2f</text>", th, se);
        } else {
            fmt(w, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12.5\" fill=\"#5b6475\">", x1 + 12,
                yc + 4.5);
            say_msg(w, "skills.not_measured");
            raw(w, "</text>");
        }
        raw(w, "</g>\n");
    }
    for (int k = (int)lo; k <= (int)hi; k++)
        fmt(w, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" fill=\"#8a93a5\" "
               "text-anchor=\"middle\">%d</text>\n",
            x0 + (x1 - x0) * (k - lo) / (hi - lo), h - 6, k);
    raw(w, "</svg>");
    /* answers that look random: the levels read them as knowledge */
    const json_t *near = json_array_get(json_object_get(r, "closest"), 0);
    if (near && json_integer_value(json_object_get(near, "measured")) > 0 &&
        rf_json_num(r, "no_role") > rf_json_num(near, "probability")) {
        raw(w, "<p class=\"sub\" id=\"levels-random\">");
        say_msg(w, "skills.random");
        raw(w, "</p>");
    }
    raw(w, "</section>\n");
}

static void gap_card(const json_t *g, struct hw *w)
{
    double p = rf_json_num(g, "p");
    char pc[32];
    raw(w, "<div class=\"gap\"><h3>");
    text(w, rf_json_text(g, "name"));
    raw(w, "</h3><div class=\"need\">");
    msg(w, json_is_true(json_object_get(g, "core")) ? "gap.needs_core" : "gap.needs", 2,
        (const char *[]){rf_json_text(g, "level"), num(pc, sizeof pc, "%.2f", p)});
    raw(w, "</div>");
    fmt(w, "<div class=\"meter\"><i style=\"width:%.1f%%;background:%s\"></i></div>",
        100 * clamp(p, 0, 1), pcolor(p));
    if (!json_is_true(json_object_get(g, "measured"))) {
        raw(w, "<div class=\"warn\">");
        say_msg(w, say(w, "gap.unmeasured.you", "gap.unmeasured.staff"));
        raw(w, "</div>");
    }
    const json_t *missed = json_object_get(g, "missed");
    size_t j;
    const json_t *m;
    if (json_array_size(missed)) {
        int any_partly = 0;
        json_array_foreach(missed, j, m)
            any_partly |= json_integer_value(json_object_get(m, "partly")) > 0;
        raw(w, "<div class=\"label\">");
        if (any_partly)
            say_msg(w, say(w, "gap.missed_partly.you", "gap.missed_partly.staff"));
        else
            say_msg(w, say(w, "gap.missed.you", "gap.missed.staff"));
        raw(w, "</div><div class=\"chips\">");
        json_array_foreach(missed, j, m)
        {
            long long nm = json_integer_value(json_object_get(m, "count")),
                      np = json_integer_value(json_object_get(m, "partly"));
            raw(w, "<span class=\"chip\">");
            text(w, concept_label(w, m, "tag"));
            if (nm > 1)
                fmt(w, " ×%lld", nm);
            if (np) {
                raw(w, " ");
                if (nm)
                    msg(w, "chip.partly_n", 1,
                        (const char *[]){num(pc, sizeof pc, "%.0f", (double)np)});
                else
                    say_msg(w, "chip.partly");
            }
            raw(w, "</span>");
        }
        raw(w, "</div>");
        json_array_foreach(missed, j, m)
        {
            if (!json_object_get(m, "note"))
                continue;
            raw(w, "<p class=\"note\">");
            msg(w, "concept.note", 2,
                (const char *[]){concept_label(w, m, "tag"), rf_json_text(m, "note")});
            raw(w, "</p>");
        }
    }
    if (json_object_get(g, "focus")) {
        raw(w, "<div class=\"label\">");
        say_msg(w, "gap.study");
        raw(w, "</div><p class=\"note\">");
        text(w, rf_json_text(g, "focus"));
        raw(w, "</p><ol>");
        json_array_foreach(json_object_get(g, "study"), j, m)
        {
            raw(w, "<li>");
            text(w, json_string_value(m));
            raw(w, "</li>");
        }
        raw(w, "</ol>");
        if (json_object_get(g, "practice")) {
            raw(w, "<div class=\"label\">");
            say_msg(w, "gap.show");
            raw(w, "</div><p class=\"note\">");
            text(w, rf_json_text(g, "practice"));
            raw(w, "</p>");
        }
    }
    const json_t *blocks = json_object_get(g, "blocks");
    if (json_array_size(blocks)) {
        raw(w, "<div class=\"label\">");
        say_msg(w, "gap.blocks");
        raw(w, "</div><div class=\"chips\">");
        json_array_foreach(blocks, j, m)
        {
            raw(w, "<span class=\"chip block\">");
            text(w, rf_json_text(m, "name"));
            raw(w, "</span>");
        }
        raw(w, "</div>");
    }
    raw(w, "</div>\n");
}

/* The name of skill id from the report's skills, or the id. */
static const char *skill_name(const json_t *r, const char *id)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(r, "skills"), i, s)
        if (strcmp(rf_json_text(s, "skill"), id) == 0)
            return rf_json_text(s, "name");
    return id;
}

/* One answered question: stem, the options marked with the key and the
 * candidate's choice (mcq) or selection (multi), or the number given and the
 * right one (numeric), the credit when partial, and the explanation (item
 * text is shown as written, escaped). Reports from before the formats carry
 * no "type": they are mcq. */
static void review_one(const json_t *r, const json_t *a, struct hw *w)
{
    int right = json_is_true(json_object_get(a, "correct"));
    const char *type = json_is_string(json_object_get(a, "type")) ? rf_json_text(a, "type") : "mcq";
    json_int_t key = json_integer_value(json_object_get(a, "key"));
    json_int_t choice = json_integer_value(json_object_get(a, "choice"));
    json_int_t score = json_integer_value(json_object_get(a, "score"));
    int multi = strcmp(type, "multi") == 0, numeric = strcmp(type, "numeric") == 0;
    /* the question as it was asked: in the test's language, marked when the
     * report is in another */
    enum rf_lang asked = RF_EN;
    rf_lang_parse(rf_json_text(r, "lang"), &asked);
    raw(w, "<div class=\"review\"><div class=\"head\">");
    const char *skill = skill_name(r, rf_json_text(a, "skill"));
    if (right)
        msg(w, "review.right", 1, (const char *[]){skill});
    else if (score > 0 && json_is_string(json_object_get(a, "credit")))
        msg(w, "review.partly", 2, (const char *[]){rf_json_text(a, "credit"), skill});
    else
        msg(w, "review.missed", 1, (const char *[]){skill});
    if (asked != w->lang)
        fmt(w, "</div><div lang=\"%s\"><div class=\"stem\">", rf_lang_code(asked));
    else
        raw(w, "</div><div><div class=\"stem\">");
    text(w, rf_json_text(a, "stem"));
    raw(w, "</div>");
    if (numeric) {
        raw(w, "<p>");
        msg(w, say(w, "review.given.you", "review.given.staff"), 1,
            (const char *[]){rf_json_text(a, "given")});
        raw(w, right ? " <b>✓</b>" : " <b>✗</b>");
        raw(w, "<br>");
        msg(w, "review.right_answer", 1, (const char *[]){rf_json_text(a, "right_answer")});
        raw(w, "</p>");
    } else {
        if (multi) {
            raw(w, "<p class=\"sub\">");
            say_msg(w, "review.multi");
            raw(w, "</p>");
        }
        raw(w, "<ol type=\"A\">");
        size_t k;
        const json_t *o;
        json_array_foreach(json_object_get(a, "options"), k, o)
        {
            int is_key = 0, is_choice = 0;
            if (multi) {
                size_t j;
                const json_t *v;
                json_array_foreach(json_object_get(a, "keys"), j, v)
                    is_key |= json_integer_value(v) == (json_int_t)k;
                json_array_foreach(json_object_get(a, "selected"), j, v)
                    is_choice |= json_integer_value(v) == (json_int_t)k;
            } else {
                is_key = (json_int_t)k == key;
                is_choice = (json_int_t)k == choice;
            }
            raw(w, is_key ? "<li class=\"right\">" : is_choice ? "<li class=\"yours\">" : "<li>");
            text(w, json_string_value(o));
            const char *mark = NULL;
            if (multi && is_key && is_choice)
                mark = say(w, "review.correct_selected.you", "review.correct_selected.staff");
            else if (multi && is_key)
                mark = "review.correct_unselected";
            else if (multi && is_choice)
                mark = "review.selected_wrong";
            else if (is_key)
                mark = "review.correct";
            else if (is_choice)
                mark = say(w, "review.yours.you", "review.yours.staff");
            if (mark) {
                raw(w, " <b>");
                say_msg(w, mark);
                raw(w, "</b>");
            }
            raw(w, "</li>");
        }
        raw(w, "</ol>");
        if (multi && json_is_string(json_object_get(a, "credit"))) {
            raw(w, "<p>");
            msg(w, "review.credit", 1, (const char *[]){rf_json_text(a, "credit")});
            raw(w, "</p>");
        }
    }
    raw(w, "<div class=\"why\">");
    msg(w, "review.why", 1, (const char *[]){rf_json_text(a, "explanation")});
    raw(w, "</div></div></div>\n");
}

/* Every question of the test answered right (the answers are listed: not an
 * invited test's report): said in words, as the in-app report does, for the
 * levels shown are then conservative (web/js/report.js allRight). */
static void all_right(const json_t *r, struct hw *w)
{
    const json_t *answers = json_object_get(r, "answers"), *a;
    size_t i, n = json_array_size(answers), nright = 0;
    json_array_foreach(answers, i, a) nright += json_is_true(json_object_get(a, "correct"));
    if (n == 0 || nright != n)
        return;
    char c[32];
    raw(w, "<p class=\"sub\" id=\"all-right\"><b>");
    msg(w, w->staff ? "allright.staff" : "allright.own", 1,
        (const char *[]){num(c, sizeof c, "%.0f", (double)n)});
    raw(w, "</b></p>\n");
}

/* Every question answered, missed ones first (the report JSON's "answers",
 * present in the server's reports once a test is finished). */
static void answers_section(const json_t *r, struct hw *w)
{
    const json_t *answers = json_object_get(r, "answers"), *a;
    size_t n = json_array_size(answers), nright = 0, i;
    if (n == 0)
        return;
    json_array_foreach(answers, i, a)
        nright += json_is_true(json_object_get(a, "correct"));
    char a1[32], a2[32];
    raw(w, "<section><h2>");
    msg(w, say(w, "answers.h.you", "answers.h.staff"), 2,
        (const char *[]){num(a1, sizeof a1, "%.0f", (double)nright),
                         num(a2, sizeof a2, "%.0f", (double)n)});
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, "answers.sub");
    raw(w, "</p>\n");
    for (int pass = 0; pass < 2; pass++)
        json_array_foreach(answers, i, a)
            if (json_is_true(json_object_get(a, "correct")) == (pass == 1))
                review_one(r, a, w);
    raw(w, "</section>\n");
}

/* A posting's test: the candidate against the posting's requirements, as the
 * web report shows it (fit, measured share, the reason line, one row per
 * requirement with its call; a requirement none of whose skills was measured
 * is "not measured", never met or a gap). */
static void posting_section(const json_t *r, struct hw *w)
{
    const json_t *po = json_object_get(r, "posting");
    if (!json_is_object(po))
        return;
    char f1[32], f2[32], f3[32];
    raw(w, "<section class=\"posting\"><h2>");
    msg(w, "posting.h", 1, (const char *[]){rf_json_text(po, "title")});
    raw(w, "</h2><p>");
    msg(w, say(w, "posting.fit.you", "posting.fit.staff"), 3,
        (const char *[]){rf_chance_pct(f1, sizeof f1, rf_json_num(po, "fit")),
                         num(f2, sizeof f2, "%.0f%%", 100 * rf_json_num(po, "sd")),
                         num(f3, sizeof f3, "%.0f%%", 100 * rf_json_num(po, "measured"))});
    raw(w, "</p>");
    if (*rf_json_text(po, "reason")) {
        raw(w, "<p><b>");
        text(w, rf_json_text(po, "reason"));
        raw(w, "</b></p>");
    }
    table_head(
        w, (const char *[]){"col.requirement", "col.level", "col.weight", "col.call", "col.p_met"},
        5);
    size_t i;
    const json_t *q;
    json_array_foreach(json_object_get(po, "requirements"), i, q)
    {
        const char *call = rf_json_text(q, "call");
        raw(w, "<tr><td>");
        text(w, rf_json_text(q, "label"));
        if (strcmp(rf_json_text(q, "section"), "preferred") == 0) {
            raw(w, " <span class=\"sub\">");
            say_msg(w, "posting.preferred");
            raw(w, "</span>");
        }
        raw(w, "</td><td>");
        text(w, level_name(w, rf_json_text(q, "level")));
        fmt(w, "</td><td>%.1f</td><td>", rf_json_num(q, "weight"));
        say_msg(w, strcmp(call, "meets") == 0          ? "call.meets"
                   : strcmp(call, "below") == 0        ? "call.below"
                   : strcmp(call, "not measured") == 0 ? "call.not_measured"
                                                       : "call.undecided");
        raw(w, "</td><td>");
        if (json_is_number(json_object_get(q, "p"))) {
            char pc[RF_CHANCE_LEN];
            text(w, rf_chance_pct(pc, sizeof pc, rf_json_num(q, "p")));
        } else {
            raw(w, "-");
        }
        raw(w, "</td></tr>\n");
    }
    raw(w, "</table></section>\n");
}

/* Find my role's requirement calls on the role its report offers to confirm
 * are a first reading; a confirm test's report is the combined verdict (as
 * the in-app report says, web/js/report.js requirementCalls). */
static void calls_section(const json_t *r, struct hw *w)
{
    const json_t *cf = json_object_get(r, "confirmed"), *of = json_object_get(r, "confirm");
    const json_t *tg = json_object_get(r, "target");
    int find = json_is_true(json_object_get(r, "find_role"));
    /* a role test: its calls on its role are its verdict */
    int verdict = !cf && !find && !json_object_get(r, "posting") &&
                  json_is_true(json_object_get(tg, "chosen"));
    const char *role = rf_json_text(verdict ? tg : cf ? cf : of, "role");
    const json_t *f = NULL, *x, *q;
    size_t i;
    json_array_foreach(json_object_get(r, "roles"), i, x) if (strcmp(rf_json_text(x, "role"),
                                                                     role) == 0) f = x;
    if (!*role || !f || !(cf || find || verdict))
        return;
    /* no role resembles the answers: no role's calls are put forward */
    const json_t *near = json_array_get(json_object_get(r, "closest"), 0);
    if (!cf && !verdict && near && rf_json_num(r, "no_role") > rf_json_num(near, "probability"))
        return;
    raw(w, "<section class=\"calls\"><h2>");
    msg(w,
        cf        ? "calls.h.combined"
        : verdict ? "calls.h.verdict"
                  : "calls.h.first",
        1, (const char *[]){rf_json_text(f, "name")});
    raw(w, "</h2><p>");
    say_msg(w, cf ? "calls.combined" : verdict ? "calls.verdict" : "calls.first");
    if (!cf && !verdict && json_is_true(json_object_get(of, "offered"))) {
        char n1[16], n2[16];
        raw(w, " ");
        msg(w, "calls.offer", 2,
            (const char *[]){num(n1, sizeof n1, "%d", (int)rf_json_num(of, "max_items")),
                             num(n2, sizeof n2, "%d", (int)rf_json_num(of, "undecided"))});
    }
    raw(w, "</p>");
    table_head(w,
               (const char *[]){"col.requirement", "col.level", "col.call", "col.p_met",
                                "col.p_wrong"},
               5);
    json_array_foreach(json_object_get(f, "requirements"), i, q)
    {
        const char *call = rf_json_text(q, "call");
        int meets = strcmp(call, "meets") == 0, below = strcmp(call, "below") == 0;
        raw(w, "<tr><td>");
        text(w, rf_json_text(q, "name"));
        raw(w, "</td><td>");
        text(w, level_name(w, rf_json_text(q, "level")));
        raw(w, "</td><td>");
        say_msg(w, meets ? "call.meets" : below ? "call.below" : "call.undecided");
        char pc[RF_CHANCE_LEN];
        raw(w, "</td><td>");
        text(w, rf_chance_pct(pc, sizeof pc, rf_json_num(q, "p")));
        raw(w, "</td><td>");
        if (meets || below)
            text(w, rf_chance_pct(pc, sizeof pc, rf_json_num(q, "p_wrong")));
        else
            raw(w, "-");
        raw(w, "</td></tr>\n");
    }
    raw(w, "</table></section>\n");
}

/* An organization's test keeps its questions undisclosed: the concepts of the
 * questions missed, never a stem, option, key or explanation. */
static void concepts_section(const json_t *r, struct hw *w)
{
    if (!json_is_true(json_object_get(r, "answers_withheld")))
        return;
    const json_t *cm = json_object_get(r, "concepts_missed"), *c;
    raw(w, "<section><h2>");
    say_msg(w, "concepts.h");
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, "concepts.sub");
    raw(w, "</p>");
    if (json_array_size(cm) == 0) {
        raw(w, "<p>");
        say_msg(w, "concepts.none");
        raw(w, "</p></section>\n");
        return;
    }
    raw(w, "<ul>");
    size_t i;
    json_array_foreach(cm, i, c)
    {
        raw(w, "<li>");
        json_int_t n = json_integer_value(json_object_get(c, "missed"));
        char nq[32];
        msg(w, n > 1 ? "concepts.item_n" : "concepts.item", n > 1 ? 3 : 2,
            (const char *[]){skill_name(r, rf_json_text(c, "skill")), concept_label(w, c, "concept"),
                             num(nq, sizeof nq, "%.0f", (double)n)});
        raw(w, "</li>");
    }
    raw(w, "</ul></section>\n");
}

/* The last cell of a row of signals: marked "worth a look" or empty. */
static void mark_cell(struct hw *w, const json_t *x)
{
    if (json_is_true(json_object_get(x, "flagged"))) {
        raw(w, "<td><b>");
        say_msg(w, "integrity.flag");
        raw(w, "</b></td></tr>\n");
    } else {
        raw(w, "<td></td></tr>\n");
    }
}

/* Seconds from a JSON integer of milliseconds; "-" when absent. */
static void seconds(struct hw *w, const json_t *ms)
{
    if (json_is_integer(ms))
        fmt(w, "%.1f s", (double)json_integer_value(ms) / 1000.0);
    else
        raw(w, "-");
}

/* An answer's question by its concepts (the signals' "concepts": each
 * tag's name in the report's language), the item's id for a report from
 * before they were listed; "-" for an item that left the bank. */
static void answer_concepts(struct hw *w, const json_t *x)
{
    const json_t *cs = json_object_get(x, "concepts"), *c;
    size_t k;
    if (!json_is_array(cs)) {
        text(w, rf_json_text(x, "item"));
        return;
    }
    if (!json_array_size(cs))
        raw(w, "-");
    json_array_foreach(cs, k, c)
    {
        const char *ja = json_string_value(json_object_get(c, "name_ja"));
        const char *name = w->lang == RF_JA && ja ? ja : rf_json_text(c, "name");
        if (k)
            say_msg(w, "list.sep");
        text(w, name && name[0] ? name : rf_json_text(c, "tag"));
    }
}

/* The staff's test-integrity signals (the report JSON's "integrity", present
 * only in staff reports; docs/integrity.md): evidence to look at, never a
 * verdict, each with what it means. */
static void integrity_section(const json_t *r, struct hw *w)
{
    const json_t *g = json_object_get(r, "integrity"), *x;
    if (!w->staff || !json_is_object(g))
        return;
    raw(w, "<section><h2>");
    say_msg(w, "integrity.h");
    raw(w, "</h2><p class=\"sub\">");
    say_msg(w, "integrity.note"); /* the words of the signals' "note", in the report's language */
    raw(w, "</p>\n");
    if (json_object_get(g, "unavailable")) {
        say_msg(w, "integrity.unavailable");
        raw(w, "</section>\n");
        return;
    }
    const json_t *rule = json_object_get(g, "rule");
    char n1[32], n2[32], n3[32], n4[32];
    raw(w, "<p>");
    msg(w, "integrity.rapid", 4,
        (const char *[]){
            num(n1, sizeof n1, "%.0f%%",
                100 * json_number_value(json_object_get(rule, "fraction"))),
            num(n2, sizeof n2, "%.0f", json_number_value(json_object_get(rule, "floor_ms")) / 1000),
            num(n3, sizeof n3, "%.0f", json_number_value(json_object_get(rule, "cap_ms")) / 1000),
            num(n4, sizeof n4, "%.2f", json_number_value(json_object_get(rule, "flag_below")))});
    raw(w, "</p>\n");
    table_head(w, (const char *[]){"col.skill", "col.timed", "col.rapid", "col.effort", NULL}, 5);
    size_t i;
    json_array_foreach(json_object_get(g, "skills"), i, x)
    {
        raw(w, "<tr><td>");
        text(w, skill_name(r, rf_json_text(x, "skill")));
        fmt(w, "</td><td>%lld</td><td>%lld</td>",
            (long long)json_integer_value(json_object_get(x, "timed")),
            (long long)json_integer_value(json_object_get(x, "rapid")));
        const json_t *rte = json_object_get(x, "rte");
        if (json_is_number(rte))
            fmt(w, "<td>%.2f</td>", json_number_value(rte));
        else
            raw(w, "<td>-</td>");
        mark_cell(w, x);
    }
    const json_t *f = json_object_get(g, "focus");
    raw(w, "</table>\n<p>");
    msg(w, "integrity.focus", 4,
        (const char *[]){inum(n1, sizeof n1, json_object_get(f, "answers_reported")),
                         inum(n2, sizeof n2, json_object_get(f, "blurs")),
                         inum(n3, sizeof n3, json_object_get(f, "hidden")),
                         num(n4, sizeof n4, "%.0f",
                             (double)json_integer_value(json_object_get(f, "away_ms")) / 1000)});
    raw(w, "</p>\n");
    table_head(w,
               (const char *[]){"#", "col.concepts", "col.time", "col.threshold", "col.rapid",
                                "col.focus_lost", "col.hidden", "col.away"},
               8);
    json_array_foreach(json_object_get(g, "answers"), i, x)
    {
        fmt(w, "<tr><td>%lld</td><td>", (long long)json_integer_value(json_object_get(x, "number")));
        answer_concepts(w, x);
        raw(w, "</td><td>");
        seconds(w, json_object_get(x, "response_ms"));
        raw(w, "</td><td>");
        seconds(w, json_object_get(x, "threshold_ms"));
        if (json_is_true(json_object_get(x, "rapid"))) {
            raw(w, "</td><td><b>");
            say_msg(w, "integrity.yes");
            raw(w, "</b></td>");
        } else {
            raw(w, "</td><td></td>");
        }
        if (json_object_get(x, "blurs")) {
            fmt(w, "<td>%lld</td><td>%lld</td><td>",
                (long long)json_integer_value(json_object_get(x, "blurs")),
                (long long)json_integer_value(json_object_get(x, "hidden")));
            seconds(w, json_object_get(x, "away_ms"));
            raw(w, "</td></tr>\n");
        } else {
            raw(w, "<td>-</td><td>-</td><td>-</td></tr>\n");
        }
    }
    const json_t *cp = json_object_get(g, "copying");
    raw(w, "</table>\n<p>");
    msg(w, "integrity.copying", 4,
        (const char *[]){
            inum(n1, sizeof n1, json_object_get(cp, "compared")),
            inum(n2, sizeof n2, json_object_get(cp, "min_common")),
            num(n3, sizeof n3, "%.2g", json_number_value(json_object_get(cp, "alpha"))),
            num(n4, sizeof n4, "%.2g", RF_COPY_ALPHA)});
    raw(w, "</p>\n");
    if (json_array_size(json_object_get(cp, "pairs")) == 0) {
        raw(w, "</section>\n");
        return;
    }
    table_head(
        w, (const char *[]){"col.other", "col.shared", "col.same_wrong", "col.expected", "p", NULL},
        6);
    json_array_foreach(json_object_get(cp, "pairs"), i, x)
    {
        raw(w, "<tr><td>");
        const char *who = rf_json_text(x, "person");
        char tid[32];
        inum(tid, sizeof tid, json_object_get(x, "test"));
        if (who && *who)
            msg(w, "integrity.test", 2, (const char *[]){who, tid});
        else
            msg(w, "integrity.test_anon", 1, (const char *[]){tid});
        fmt(w, "</td><td>%lld</td><td>%lld</td><td>%.1f</td><td>%.2g</td>",
            (long long)json_integer_value(json_object_get(x, "common")),
            (long long)json_integer_value(json_object_get(x, "identical_wrong")),
            json_number_value(json_object_get(x, "expected")),
            json_number_value(json_object_get(x, "p")));
        mark_cell(w, x);
    }
    raw(w, "</table></section>\n");
}

/* One source's "mean ± SD" cell; "-" when it did not measure the skill. */
static void mean_sd_cell(struct hw *w, const json_t *x)
{
    if (json_is_object(x))
        fmt(w, "<td>%.2f ± %.2f</td>", json_number_value(json_object_get(x, "mean")),
            json_number_value(json_object_get(x, "sd")));
    else
        raw(w, "<td>-</td>");
}

/* The interviews' evidence beside the test's (the report JSON's
 * "interviews", present only in staff reports of a candidate with submitted
 * scorecards; docs/interviews.md "In the staff report"). */
static void interviews_section(const json_t *r, struct hw *w)
{
    const json_t *g = json_object_get(r, "interviews"), *x;
    if (!w->staff || !json_is_object(g))
        return;
    char n1[32], n2[32], n3[32];
    raw(w, "<section><h2>");
    say_msg(w, "ivr.h");
    raw(w, "</h2><p class=\"sub\">");
    msg(w, "ivr.sub", 3,
        (const char *[]){inum(n1, sizeof n1, json_object_get(g, "scorecards")),
                         inum(n2, sizeof n2, json_object_get(g, "ratings")),
                         num(n3, sizeof n3, "%.2f",
                             json_number_value(json_object_get(g, "agree_z")))});
    raw(w, "</p>\n");
    json_int_t nd = json_integer_value(json_object_get(g, "disagree"));
    if (nd > 0) {
        raw(w, "<p><b>");
        msg(w, "ivr.disagree_n", 1,
            (const char *[]){inum(n1, sizeof n1, json_object_get(g, "disagree"))});
        raw(w, "</b></p>\n");
    }
    table_head(w,
               (const char *[]){"col.skill", "ivr.col.test", "ivr.col.interviews",
                                "ivr.col.combined", "ivr.col.agree"},
               5);
    size_t i;
    json_array_foreach(json_object_get(g, "skills"), i, x)
    {
        raw(w, "<tr><td>");
        text(w, skill_name(r, rf_json_text(x, "skill")));
        raw(w, "</td>");
        mean_sd_cell(w, json_object_get(x, "test"));
        mean_sd_cell(w, json_object_get(x, "interviews"));
        mean_sd_cell(w, json_object_get(x, "combined"));
        const json_t *ag = json_object_get(x, "agree");
        raw(w, "<td>");
        if (json_is_true(ag)) {
            say_msg(w, "ivr.agree");
        } else if (json_is_false(ag)) {
            raw(w, "<b>");
            say_msg(w, "ivr.disagree");
            raw(w, "</b>");
        } else {
            say_msg(w, "ivr.no_test");
        }
        raw(w, "</td></tr>\n");
    }
    raw(w, "</table></section>\n");
}

rf_status rf_report_html(const json_t *r, struct rf_buf *out)
{
    const char *viewer = rf_json_text(r, "viewer");
    struct hw w = {
        {out, RF_OK}, viewer && strcmp(viewer, "staff") == 0, RF_EN, json_object_get(r, "levels")};
    rf_lang_parse(rf_json_text(r, "report_lang"), &w.lang);
    const json_t *t = json_object_get(r, "target");
    const json_t *best = json_array_get(json_object_get(r, "roles"), 0);
    fmt(&w,
        "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
        rf_lang_code(w.lang));
    if (json_object_get(r, "person"))
        msg(&w, "html.title_person", 1, (const char *[]){rf_json_text(r, "person")});
    else
        say_msg(&w, "html.title");
    raw(&w, "</title>\n");
    raw(&w, css);
    raw(&w, "</head><body><main>\n");
    header(r, best, &w);
    all_right(r, &w);
    posting_section(r, &w);
    closest_chart(r, &w);
    calls_section(r, &w);
    roles_chart(r, &w);
    skills_chart(r, &w);
    const char *role = rf_json_text(t, "name");
    raw(&w, "<section><h2>");
    msg(&w, "gaps.h", 1, (const char *[]){role});
    raw(&w, "</h2><p class=\"sub\">");
    msg(&w, "gaps.sub", 1, (const char *[]){rf_json_text(t, "description")});
    raw(&w, "</p>");
    const json_t *gaps = json_object_get(r, "gaps");
    if (json_array_size(gaps) == 0) {
        char met[32];
        raw(&w, "<p>");
        msg(&w, "gaps.none", 1, (const char *[]){num(met, sizeof met, "%.2f", RF_FIT_MET)});
        raw(&w, "</p>");
    }
    raw(&w, "<div class=\"gaps\">\n");
    size_t i;
    const json_t *g;
    json_array_foreach(gaps, i, g)
        gap_card(g, &w);
    raw(&w, "</div></section>\n<section><h2>");
    msg(&w, "loop.h", 1, (const char *[]){role});
    raw(&w, "</h2><p class=\"sub\">");
    say_msg(&w, "loop.sub");
    raw(&w, "</p><ol class=\"loop\">");
    json_array_foreach(json_object_get(r, "loop"), i, g)
    {
        raw(&w, "<li><b>");
        text(&w, rf_json_text(g, "stage"));
        raw(&w, "</b><br>");
        text(&w, rf_json_text(g, "what"));
        raw(&w, "</li>");
    }
    raw(&w, "</ol></section>\n");
    answers_section(r, &w);
    concepts_section(r, &w);
    interviews_section(r, &w);
    integrity_section(r, &w);
    raw(&w, "<footer>");
    say_msg(&w, "footer");
    raw(&w, "</footer>\n</main></body></html>\n");
    return w.h.rc;
}
