/*
 * The team report page (careers/team_report.h).
 */
#include "careers/team_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/chance.h"
#include "base/json.h"
#include "careers/html_writer.h"
#include "careers/report_text.h"

static const char css[] =
    "<style>\n"
    ":root{--ink:#1d2330;--muted:#5b6472;--line:#dfe3ea;--bar:#2f6fde;--ok:#1b6b3a;"
    "--bad:#a23b2a;--mid:#a06b00}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);"
    "background:#f6f7f9}\n"
    "main{max-width:960px;margin:0 auto;padding:24px 16px 40px}\n"
    "header,section{background:#fff;border:1px solid var(--line);border-radius:12px;"
    "padding:20px 24px;margin:0 0 16px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:0 0 10px}\n"
    ".muted{color:var(--muted)}.note{background:#fff7e6;border:1px solid #f3d9a4;"
    "border-radius:8px;padding:8px 12px;margin:8px 0}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;"
    "border-bottom:1px solid var(--line);vertical-align:top}\n"
    ".covered{color:var(--ok)}.notcovered{color:var(--bad)}.undecided{color:var(--mid)}"
    ".unmeasured{color:var(--muted)}\n"
    "svg{max-width:100%;height:auto}\n"
    "footer{color:var(--muted);font-size:13px}\n"
    "@media print{body{background:#fff}section{break-inside:avoid}}\n"
    "</style>\n";

static const char *call_class(const char *call)
{
    return strcmp(call, "covered") == 0       ? "covered"
           : strcmp(call, "not covered") == 0 ? "notcovered"
           : strcmp(call, "unmeasured") == 0  ? "unmeasured"
                                              : "undecided";
}

/* The writer and the page's language: every word of the page's own comes
 * from the message tables (careers/report_text.h, "tr.*"). */
struct tw {
    struct rf_html h;
    enum rf_lang lang;
};

static void msg(struct tw *w, const char *key, size_t n, const char *const *args)
{
    if (!w->h.rc)
        w->h.rc = rf_report_msg_put(w->h.b, RF_MSG_HTML, w->lang, key, args, n);
}

static void say(struct tw *w, const char *key)
{
    msg(w, key, 0, NULL);
}

/* A call ("covered", "not covered", "undecided") in words. */
static void call_word(struct tw *w, const char *call)
{
    say(w, strcmp(call, "covered") == 0       ? "tr.call.covered"
           : strcmp(call, "not covered") == 0 ? "tr.call.not_covered"
           : strcmp(call, "unmeasured") == 0  ? "tr.call.unmeasured"
                                              : "tr.call.undecided");
}

/* The "name" of every entry of arr joined by the language's list separator,
 * as text (escaped when it is written). */
static void names_list(struct rf_buf *out, enum rf_lang lang, const json_t *arr)
{
    size_t i;
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
        if (i)
            (void)rf_report_msg_put(out, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
        (void)rf_buf_puts(out, rf_json_text(x, "name"));
    }
}

/* Horizontal bars of probabilities: one row per entry of arr, named by key. */
static void bars(struct tw *tw, const json_t *arr, const char *label, const char *aria_key)
{
    struct rf_html *w = &tw->h;
    size_t n = json_array_size(arr), row = 30, lw = 260, bw = 360;
    rf_html_fmt(w, "<svg role=\"img\" viewBox=\"0 0 %zu %zu\" width=\"%zu\" aria-label=\"",
                lw + bw + 70, n * row + 10, lw + bw + 70);
    say(tw, aria_key);
    rf_html_raw(w, "\">");
    size_t i;
    const json_t *x;
    json_array_foreach(arr, i, x)
    {
        double p = rf_json_num(x, "prob");
        const char *call = rf_json_text(x, "call");
        size_t y = i * row + 5;
        rf_html_fmt(w, "<text x=\"0\" y=\"%zu\" font-size=\"14\">", y + 17);
        rf_html_text(w, rf_json_text(x, label));
        rf_html_fmt(
            w, "</text><rect x=\"%zu\" y=\"%zu\" width=\"%zu\" height=\"18\" fill=\"#edf0f4\"/>",
            lw, y + 3, bw);
        rf_html_fmt(w, "<rect x=\"%zu\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", lw,
                    y + 3, bw * (p < 0 ? 0 : p > 1 ? 1 : p),
                    strcmp(call, "covered") == 0       ? "#1b6b3a"
                    : strcmp(call, "not covered") == 0 ? "#a23b2a"
                    : strcmp(call, "unmeasured") == 0  ? "#9aa3ad"
                                                       : "#a06b00");
        const json_t *iv = json_object_get(x, "interval");
        if (json_array_size(iv) == 2) { /* the interval, as a whisker over the bar */
            double lo = json_number_value(json_array_get(iv, 0)),
                   hi = json_number_value(json_array_get(iv, 1));
            rf_html_fmt(w,
                        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%zu\" y2=\"%zu\" stroke=\"#1f2a36\" "
                        "stroke-width=\"2\"/>",
                        lw + bw * (lo < 0 ? 0 : lo), lw + bw * (hi > 1 ? 1 : hi), y + 12, y + 12);
        }
        char pc[RF_CHANCE_LEN];
        rf_html_fmt(w, "<text x=\"%zu\" y=\"%zu\" font-size=\"14\">", lw + bw + 8, y + 17);
        rf_html_text(w, rf_chance_pct(pc, sizeof pc, p));
        rf_html_raw(w, "</text>");
    }
    rf_html_raw(w, "</svg>");
}

static void coverage(struct tw *tw, const json_t *doc)
{
    struct rf_html *w = &tw->h;
    const json_t *cov = json_object_get(doc, "coverage");
    rf_html_raw(w, "<section><h2>");
    say(tw, "tr.roles.h");
    rf_html_raw(w, "</h2><p class=\"muted\">");
    say(tw, "tr.roles.sub");
    rf_html_raw(w, "</p>");
    bars(tw, json_object_get(cov, "roles"), "name", "tr.roles.aria");
    rf_html_raw(w, "<table><thead><tr><th>");
    say(tw, "tr.th.role");
    rf_html_raw(w, "</th><th>");
    say(tw, "tr.th.coverage");
    rf_html_raw(w, "</th><th>");
    say(tw, "tr.th.call");
    rf_html_raw(w, "</th><th>");
    say(tw, "tr.th.unmeasured");
    rf_html_raw(w, "</th></tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(cov, "roles"), i, x)
    {
        rf_html_raw(w, "<tr><td>");
        rf_html_text(w, rf_json_text(x, "name"));
        const json_t *iv = json_object_get(x, "interval");
        char pc[RF_CHANCE_LEN];
        rf_html_raw(w, "</td><td>");
        rf_html_text(w, rf_chance_pct(pc, sizeof pc, rf_json_num(x, "prob")));
        if (json_array_size(iv) == 2) { /* as the page writes it: "93% (81%–>99%)" */
            rf_html_raw(w, " (");
            rf_html_text(w, rf_chance_pct(pc, sizeof pc, json_number_value(json_array_get(iv, 0))));
            rf_html_raw(w, "\xE2\x80\x93");
            rf_html_text(w, rf_chance_pct(pc, sizeof pc, json_number_value(json_array_get(iv, 1))));
            rf_html_raw(w, ")");
        }
        rf_html_fmt(w, "</td><td class=\"%s\">", call_class(rf_json_text(x, "call")));
        call_word(tw, rf_json_text(x, "call"));
        rf_html_fmt(w, "</td><td>%lld</td></tr>", (long long)rf_json_num(x, "unmeasured"));
    }
    rf_html_raw(w, "</tbody></table></section><section><h2>");
    say(tw, "tr.tasks.h");
    rf_html_raw(w, "</h2>");
    bars(tw, json_object_get(cov, "tasks"), "name", "tr.tasks.aria");
    int spof = 0;
    json_array_foreach(json_object_get(cov, "tasks"), i, x)
    {
        const char *who = json_string_value(json_object_get(x, "single_point"));
        if (!who)
            continue;
        if (!spof++) {
            rf_html_raw(w, "<h3>");
            say(tw, "tr.spof.h");
            rf_html_raw(w, "</h3><ul>");
        }
        rf_html_raw(w, "<li>");
        msg(tw, "tr.spof.item", 2, (const char *[]){rf_json_text(x, "name"), who});
        rf_html_raw(w, "</li>");
    }
    if (spof) {
        rf_html_raw(w, "</ul>");
    } else {
        rf_html_raw(w, "<p class=\"muted\">");
        say(tw, "tr.spof.none");
        rf_html_raw(w, "</p>");
    }
    rf_html_raw(w, "</section>");
}

static void hire(struct tw *tw, const json_t *doc)
{
    struct rf_html *w = &tw->h;
    const json_t *h = json_array_get(json_object_get(json_object_get(doc, "coverage"), "hires"),
                                     0);
    rf_html_raw(w, "<section><h2>");
    say(tw, "tr.hire.h");
    rf_html_raw(w, "</h2><p>");
    if (!h || !(rf_json_num(h, "gain") > 0)) {
        say(tw, "tr.hire.none");
        rf_html_raw(w, "</p></section>");
        return;
    }
    char gain[32];
    snprintf(gain, sizeof gain, "%+.0f", 100 * rf_json_num(h, "gain"));
    msg(tw, "tr.hire.gain", 2, (const char *[]){rf_json_text(h, "name"), gain});
    rf_html_raw(w, "</p><p>");
    if (json_is_number(json_object_get(h, "p_best"))) {
        char pb[RF_CHANCE_LEN];
        rf_chance_pct(pb, sizeof pb, rf_json_num(h, "p_best"));
        rf_html_raw(w, "<span class=\"muted\">");
        msg(tw, "tr.hire.p_best", 1, (const char *[]){pb});
        rf_html_raw(w, "</span></p><p>");
    }
    /* the hires the draws cannot tell from it: a near tie, said as such */
    struct rf_buf ties;
    rf_buf_init(&ties, (size_t)64 * 1024);
    size_t i, nties = 0;
    const json_t *x;
    json_array_foreach(json_object_get(json_object_get(doc, "coverage"), "hires"), i, x)
    {
        if (!json_is_true(json_object_get(x, "near_tie")))
            continue;
        char pb[RF_CHANCE_LEN];
        rf_chance_pct(pb, sizeof pb, rf_json_num(x, "p_best"));
        if (nties++)
            (void)rf_report_msg_put(&ties, RF_MSG_TEXT, tw->lang, "list.sep", NULL, 0);
        (void)rf_report_msg_put(&ties, RF_MSG_TEXT, tw->lang, "tr.hire.tie_one",
                                (const char *[]){rf_json_text(x, "name"), pb}, 2);
    }
    if (nties) {
        rf_html_raw(w, "<span class=\"muted\" id=\"near-ties\">");
        msg(tw, "tr.hire.near_ties", 1, (const char *[]){rf_buf_str(&ties)});
        rf_html_raw(w, "</span></p><p>");
    }
    rf_buf_cleanup(&ties);
    const json_t *cl = json_object_get(h, "closes");
    struct rf_buf roles, tasks;
    rf_buf_init(&roles, (size_t)64 * 1024);
    rf_buf_init(&tasks, (size_t)64 * 1024);
    names_list(&roles, tw->lang, json_object_get(cl, "roles"));
    names_list(&tasks, tw->lang, json_object_get(cl, "tasks"));
    int nr = json_array_size(json_object_get(cl, "roles")) > 0,
        nt = json_array_size(json_object_get(cl, "tasks")) > 0;
    const char *key = nr && nt ? "tr.hire.closes_rt"
                      : nr     ? "tr.hire.closes_r"
                      : nt     ? "tr.hire.closes_t"
                               : "tr.hire.closes_none";
    msg(tw, key, nr ? 2 : 1,
        nr ? (const char *[]){rf_buf_str(&roles), rf_buf_str(&tasks)}
           : (const char *[]){rf_buf_str(&tasks)});
    if (json_array_size(json_object_get(cl, "not_needed"))) { /* covered: not raised */
        rf_buf_reset(&tasks);
        names_list(&tasks, tw->lang, json_object_get(cl, "not_needed"));
        rf_html_raw(w, "</p><p>");
        msg(tw, "tr.hire.not_needed", 1, (const char *[]){rf_buf_str(&tasks)});
    }
    rf_buf_cleanup(&roles);
    rf_buf_cleanup(&tasks);
    rf_html_raw(w, "</p></section>");
}

/* The trend of final scores as a line over the assessments, 0 to 7. */
static void trend(struct tw *tw, const json_t *tr)
{
    struct rf_html *w = &tw->h;
    size_t n = json_array_size(tr), wd = 560, ht = 160, pad = 30;
    rf_html_fmt(w, "<svg role=\"img\" viewBox=\"0 0 %zu %zu\" width=\"%zu\" aria-label=\"", wd,
                ht + 2 * pad, wd);
    say(tw, "tr.ready.trend_aria");
    rf_html_raw(w, "\">");
    rf_html_fmt(w, "<line x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#dfe3ea\"/>", pad,
                ht + pad, wd - pad, ht + pad);
    double px = 0, py = 0;
    size_t i;
    const json_t *x;
    json_array_foreach(tr, i, x)
    {
        double f = rf_json_num(x, "final");
        double cx = n > 1 ? (double)pad + (double)i * (double)(wd - 2 * pad) / (double)(n - 1)
                          : (double)wd / 2;
        double cy = (double)(ht + pad) - (double)ht * (f > 7 ? 7 : f) / 7.0;
        if (i)
            rf_html_fmt(w,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#2f6fde\" "
                        "stroke-width=\"2\"/>",
                        px, py, cx, cy);
        rf_html_fmt(w, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#2f6fde\"/>", cx, cy);
        rf_html_fmt(
            w, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%.1f</text>",
            cx, cy - 8, f);
        rf_html_fmt(w, "<text x=\"%.1f\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\">", cx,
                    ht + pad + 18);
        rf_html_text(w, rf_json_text(x, "date"));
        rf_html_raw(w, "</text>");
        px = cx;
        py = cy;
    }
    rf_html_raw(w, "</svg>");
}

/* The roles that usually own a readiness step, with the team's call on each
 * deployment role among them (a low section points at a coverage gap). */
static void owners(struct tw *tw, const json_t *step, const json_t *doc)
{
    const json_t *roles = json_object_get(step, "roles"),
                 *cov = json_object_get(json_object_get(doc, "coverage"), "roles");
    if (!json_array_size(roles))
        return;
    struct rf_buf list, call;
    rf_buf_init(&list, (size_t)64 * 1024);
    rf_buf_init(&call, 256);
    size_t i, j;
    const json_t *id, *x;
    json_array_foreach(roles, i, id)
    {
        if (i)
            (void)rf_report_msg_put(&list, RF_MSG_TEXT, tw->lang, "list.sep", NULL, 0);
        const json_t *hit = NULL;
        const char *rid = json_string_value(id) ? json_string_value(id) : "";
        json_array_foreach(cov, j, x)
            if (strcmp(rf_json_text(x, "role"), rid) == 0)
                hit = x;
        if (!hit) {
            (void)rf_buf_puts(&list, rid);
            continue;
        }
        const char *c = rf_json_text(hit, "call");
        rf_buf_reset(&call);
        (void)rf_report_msg_put(&call, RF_MSG_TEXT, tw->lang,
                                strcmp(c, "covered") == 0       ? "tr.call.covered"
                                : strcmp(c, "not covered") == 0 ? "tr.call.not_covered"
                                : strcmp(c, "unmeasured") == 0  ? "tr.call.unmeasured"
                                                                : "tr.call.undecided",
                                NULL, 0);
        (void)rf_report_msg_put(&list, RF_MSG_TEXT, tw->lang, "tr.ready.owner_call",
                                (const char *[]){rf_json_text(hit, "name"), rf_buf_str(&call)}, 2);
    }
    rf_html_raw(&tw->h, "<br><span class=\"muted\">");
    msg(tw, "tr.ready.owned", 1, (const char *[]){rf_buf_str(&list)});
    rf_html_raw(&tw->h, "</span>");
    rf_buf_cleanup(&list);
    rf_buf_cleanup(&call);
}

static void readiness(struct tw *tw, const json_t *doc)
{
    struct rf_html *w = &tw->h;
    const json_t *r = json_object_get(doc, "readiness");
    rf_html_raw(w, "<section><h2>");
    say(tw, "tr.ready.h");
    rf_html_raw(w, "</h2>");
    if (!json_is_object(r)) {
        rf_html_raw(w, "<p class=\"muted\">");
        say(tw, "tr.ready.none");
        rf_html_raw(w, "</p></section>");
        return;
    }
    char fin[32];
    snprintf(fin, sizeof fin, "%.1f", rf_json_num(r, "final"));
    const json_t *band = json_object_get(r, "band");
    rf_html_raw(w, "<p>");
    msg(tw, "tr.ready.final", 3,
        (const char *[]){fin, rf_json_text(r, "date"),
                         json_is_object(band) ? rf_json_text(band, "name")
                                              : json_string_value(band)});
    rf_html_raw(w, "</p><table><thead><tr><th>");
    say(tw, "tr.th.section");
    rf_html_raw(w, "</th><th>");
    say(tw, "tr.th.score");
    rf_html_raw(w, "</th></tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(r, "sections"), i, x)
    {
        rf_html_raw(w, "<tr><td>");
        rf_html_text(w, rf_json_text(x, "name"));
        rf_html_fmt(w, "</td><td>%.1f</td></tr>", rf_json_num(x, "score"));
    }
    rf_html_raw(w, "</tbody></table><h3>");
    say(tw, "tr.ready.plan_h");
    rf_html_raw(w, "</h3><ol>");
    json_array_foreach(json_object_get(r, "plan"), i, x)
    {
        char after[32];
        snprintf(after, sizeof after, "%.1f", rf_json_num(x, "final_after"));
        rf_html_raw(w, "<li>");
        if (json_is_false(json_object_get(x, "raises_final"))) { /* held by other sections */
            struct rf_buf held;
            rf_buf_init(&held, (size_t)64 * 1024);
            names_list(&held, tw->lang, json_object_get(x, "held_by"));
            msg(tw, "tr.ready.step_held", 3,
                (const char *[]){rf_json_text(x, "title"), after, rf_buf_str(&held)});
            rf_buf_cleanup(&held);
        } else
            msg(tw, "tr.ready.step", 2, (const char *[]){rf_json_text(x, "title"), after});
        owners(tw, x, doc);
        rf_html_raw(w, "</li>");
    }
    rf_html_raw(w, "</ol><h3>");
    say(tw, "tr.ready.trend_h");
    rf_html_raw(w, "</h3>");
    trend(tw, json_object_get(r, "trend"));
    rf_html_raw(w, "</section>");
}

/* A member's state ("finished", "in progress", "not used") in words. */
static void state_word(struct tw *w, const char *state)
{
    if (strcmp(state, "finished") == 0)
        say(w, "tr.state.finished");
    else if (strcmp(state, "in progress") == 0)
        say(w, "tr.state.in_progress");
    else if (strcmp(state, "not used") == 0)
        say(w, "tr.state.not_used");
    else
        rf_html_text(&w->h, state);
}

rf_status rf_team_report_note(enum rf_lang lang, size_t not_shared, size_t unfinished,
                              struct rf_buf *out)
{
    char a[32], b[32];
    snprintf(a, sizeof a, "%zu", not_shared);
    snprintf(b, sizeof b, "%zu", unfinished);
    const char *key = NULL;
    if (not_shared && unfinished)
        key = not_shared == 1 ? (unfinished == 1 ? "tr.note.both_1_1" : "tr.note.both_1_n")
                              : (unfinished == 1 ? "tr.note.both_n_1" : "tr.note.both_n_n");
    else if (not_shared)
        key = not_shared == 1 ? "tr.note.not_shared_one" : "tr.note.not_shared";
    else if (unfinished)
        key = unfinished == 1 ? "tr.note.unfinished_one" : "tr.note.unfinished";
    if (!key)
        return RF_OK;
    return not_shared ? rf_report_msg_put(out, RF_MSG_TEXT, lang, key, (const char *[]){a, b}, 2)
                      : rf_report_msg_put(out, RF_MSG_TEXT, lang, key, (const char *[]){b}, 1);
}

rf_status rf_team_report_html(const json_t *doc, struct rf_buf *b)
{
    return rf_team_report_html_lang(doc, RF_EN, b);
}

rf_status rf_team_report_html_lang(const json_t *doc, enum rf_lang lang, struct rf_buf *b)
{
    struct tw tw = {{b, RF_OK}, lang};
    struct rf_html *w = &tw.h;
    const json_t *t = json_object_get(doc, "team");
    const char *name[] = {rf_json_text(t, "name")};
    rf_html_fmt(w,
                "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><meta "
                "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>",
                rf_lang_code(lang));
    msg(&tw, "tr.title", 1, name);
    rf_html_raw(w, "</title>\n");
    rf_html_raw(w, css);
    rf_html_raw(w, "</head><body><main><header><h1>");
    msg(&tw, "tr.title", 1, name);
    char counted[32], total[32];
    snprintf(counted, sizeof counted, "%lld", (long long)rf_json_num(doc, "counted"));
    snprintf(total, sizeof total, "%zu", json_array_size(json_object_get(doc, "members")));
    rf_html_raw(w, "</h1><p class=\"muted\">");
    msg(&tw, "tr.counted", 2, (const char *[]){counted, total});
    rf_html_raw(w, "</p>");
    const char *note = json_string_value(json_object_get(doc, "note"));
    if (note) {
        rf_html_raw(w, "<p class=\"note\">");
        msg(&tw, "tr.note_line", 1, (const char *[]){note});
        rf_html_raw(w, "</p>");
    }
    rf_html_raw(w, "<table><thead><tr><th>");
    say(&tw, "tr.th.member");
    rf_html_raw(w, "</th><th>");
    say(&tw, "tr.th.test");
    rf_html_raw(w, "</th><th>");
    say(&tw, "tr.th.state");
    rf_html_raw(w, "</th><th>");
    say(&tw, "tr.th.shares");
    rf_html_raw(w, "</th></tr></thead><tbody>");
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(doc, "members"), i, m)
    {
        rf_html_raw(w, "<tr><td>");
        rf_html_text(w, rf_json_text(m, "label"));
        rf_html_raw(w, "</td><td>");
        rf_html_text(w, rf_json_text(m, "role_name"));
        rf_html_raw(w, "</td><td>");
        state_word(&tw, rf_json_text(m, "state"));
        rf_html_raw(w, "</td><td>");
        say(&tw, json_is_true(json_object_get(m, "shared")) ? "tr.yes" : "tr.no");
        rf_html_raw(w, "</td></tr>");
    }
    rf_html_raw(w, "</tbody></table></header>");
    coverage(&tw, doc);
    hire(&tw, doc);
    readiness(&tw, doc);
    rf_html_raw(w, "<footer>");
    say(&tw, "tr.footer");
    rf_html_raw(w, "</footer></main></body></html>\n");
    return w->rc;
}
