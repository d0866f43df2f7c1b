/*
 * The team report page (careers/team_report.h).
 */
#include "careers/team_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "careers/html_writer.h"

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
    ".covered{color:var(--ok)}.notcovered{color:var(--bad)}.undecided{color:var(--mid)}\n"
    "svg{max-width:100%;height:auto}\n"
    "footer{color:var(--muted);font-size:13px}\n"
    "@media print{body{background:#fff}section{break-inside:avoid}}\n"
    "</style>\n";

static const char *call_class(const char *call)
{
    return strcmp(call, "covered") == 0       ? "covered"
           : strcmp(call, "not covered") == 0 ? "notcovered"
                                              : "undecided";
}

/* Horizontal bars of probabilities: one row per entry of arr, named by key. */
static void bars(struct rf_html *w, const json_t *arr, const char *label, const char *aria)
{
    size_t n = json_array_size(arr), row = 30, lw = 260, bw = 360;
    rf_html_fmt(w, "<svg role=\"img\" viewBox=\"0 0 %zu %zu\" width=\"%zu\" aria-label=\"",
                lw + bw + 70, n * row + 10, lw + bw + 70);
    rf_html_text(w, aria);
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
        rf_html_fmt(w, "<rect x=\"%zu\" y=\"%zu\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", lw, y + 3,
            bw * (p < 0 ? 0 : p > 1 ? 1 : p),
            strcmp(call, "covered") == 0       ? "#1b6b3a"
            : strcmp(call, "not covered") == 0 ? "#a23b2a"
                                               : "#a06b00");
        const json_t *iv = json_object_get(x, "interval");
        if (json_array_size(iv) == 2) { /* the interval, as a whisker over the bar */
            double lo = json_number_value(json_array_get(iv, 0)),
                   hi = json_number_value(json_array_get(iv, 1));
            rf_html_fmt(w, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%zu\" y2=\"%zu\" stroke=\"#1f2a36\" "
                   "stroke-width=\"2\"/>",
                lw + bw * (lo < 0 ? 0 : lo), lw + bw * (hi > 1 ? 1 : hi), y + 12, y + 12);
        }
        rf_html_fmt(w, "<text x=\"%zu\" y=\"%zu\" font-size=\"14\">%.0f%%</text>", lw + bw + 8, y + 17,
            100 * p);
    }
    rf_html_raw(w, "</svg>");
}

static void coverage(struct rf_html *w, const json_t *doc)
{
    const json_t *cov = json_object_get(doc, "coverage");
    rf_html_raw(w, "<section><h2>Roles an ML deployment needs</h2><p class=\"muted\">The probability "
           "that at least one member who shares a finished test meets every core requirement "
           "of the role: measured skills by their estimates, unmeasured ones by what the "
           "measured ones imply. In brackets (the line over a bar), where 90% of it would "
           "lie once every unmeasured core skill is measured; covered when even its low end "
           "is 80% or more, not covered when its high end is 20% or less, undecided "
           "between.</p>");
    bars(w, json_object_get(cov, "roles"), "name", "Coverage of the deployment roles");
    rf_html_raw(w, "<table><thead><tr><th>Role</th><th>Coverage</th><th>Call</th><th>Not measured "
                   "on its core skills</th></tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(cov, "roles"), i, x)
    {
        rf_html_raw(w, "<tr><td>");
        rf_html_text(w, rf_json_text(x, "name"));
        const json_t *iv = json_object_get(x, "interval");
        rf_html_fmt(w, "</td><td>%.0f%% (%.0f-%.0f%%)</td><td class=\"%s\">", 100 * rf_json_num(x, "prob"),
            100 * json_number_value(json_array_get(iv, 0)),
            100 * json_number_value(json_array_get(iv, 1)), call_class(rf_json_text(x, "call")));
        rf_html_text(w, rf_json_text(x, "call"));
        rf_html_fmt(w, "</td><td>%lld</td></tr>", (long long)rf_json_num(x, "unmeasured"));
    }
    rf_html_raw(w, "</tbody></table></section><section><h2>Lifecycle tasks</h2>");
    bars(w, json_object_get(cov, "tasks"), "name", "Coverage of the lifecycle tasks");
    int spof = 0;
    json_array_foreach(json_object_get(cov, "tasks"), i, x)
    {
        const char *who = json_string_value(json_object_get(x, "single_point"));
        if (!who)
            continue;
        rf_html_raw(w, spof++ ? "" : "<h3>Single points of failure</h3><ul>");
        rf_html_raw(w, "<li>");
        rf_html_text(w, rf_json_text(x, "name"));
        rf_html_raw(w, ": only ");
        rf_html_text(w, who);
        rf_html_raw(w, "</li>");
    }
    rf_html_raw(w, spof ? "</ul>" : "<p class=\"muted\">No task rests on one person.</p>");
    rf_html_raw(w, "</section>");
}

static void hire(struct rf_html *w, const json_t *doc)
{
    const json_t *h = json_array_get(json_object_get(json_object_get(doc, "coverage"), "hires"),
                                     0);
    rf_html_raw(w, "<section><h2>Hire next</h2>");
    if (!h || !(rf_json_num(h, "gain") > 0)) {
        rf_html_raw(w, "<p>No single hire at a deployment role's levels raises the coverage.</p>"
                       "</section>");
        return;
    }
    rf_html_raw(w, "<p><b>");
    rf_html_text(w, rf_json_text(h, "name"));
    rf_html_fmt(w, "</b>: mean role coverage %+.0f points.</p>", 100 * rf_json_num(h, "gain"));
    const json_t *cl = json_object_get(h, "closes");
    size_t i;
    const json_t *x;
    rf_html_raw(w, "<p>It closes: ");
    int any = 0;
    json_array_foreach(json_object_get(cl, "roles"), i, x)
    {
        rf_html_raw(w, any++ ? ", " : "");
        rf_html_text(w, rf_json_text(x, "name"));
    }
    rf_html_raw(w, any ? "" : "no role gap");
    rf_html_raw(w, "; tasks raised: ");
    int anyt = 0;
    json_array_foreach(json_object_get(cl, "tasks"), i, x)
    {
        rf_html_raw(w, anyt++ ? ", " : "");
        rf_html_text(w, rf_json_text(x, "name"));
    }
    rf_html_raw(w, anyt ? ".</p></section>" : "none.</p></section>");
}

/* The trend of final scores as a line over the assessments, 0 to 7. */
static void trend(struct rf_html *w, const json_t *tr)
{
    size_t n = json_array_size(tr), wd = 560, ht = 160, pad = 30;
    rf_html_fmt(w,
                "<svg role=\"img\" viewBox=\"0 0 %zu %zu\" width=\"%zu\" aria-label=\"Readiness "
                "trend: final score of each assessment\">",
                wd, ht + 2 * pad, wd);
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
static void owners(struct rf_html *w, const json_t *step, const json_t *doc)
{
    const json_t *roles = json_object_get(step, "roles"),
                 *cov = json_object_get(json_object_get(doc, "coverage"), "roles");
    if (!json_array_size(roles))
        return;
    rf_html_raw(w, "<br><span class=\"muted\">Usually owned by: ");
    size_t i, j;
    const json_t *id, *x;
    json_array_foreach(roles, i, id)
    {
        rf_html_raw(w, i ? ", " : "");
        const json_t *hit = NULL;
        json_array_foreach(cov, j, x)
            if (strcmp(rf_json_text(x, "role"), json_string_value(id) ? json_string_value(id) : "") == 0)
                hit = x;
        rf_html_text(w, hit ? rf_json_text(hit, "name") : json_string_value(id));
        if (hit) {
            rf_html_raw(w, " (");
            rf_html_text(w, rf_json_text(hit, "call"));
            rf_html_raw(w, ")");
        }
    }
    rf_html_raw(w, "</span>");
}

static void readiness(struct rf_html *w, const json_t *doc)
{
    const json_t *r = json_object_get(doc, "readiness");
    rf_html_raw(w, "<section><h2>Production readiness (ML Test Score)</h2>");
    if (!json_is_object(r)) {
        rf_html_raw(w, "<p class=\"muted\">No self-assessment yet.</p></section>");
        return;
    }
    rf_html_fmt(w, "<p>Final score <b>%.1f</b> (", rf_json_num(r, "final"));
    rf_html_text(w, rf_json_text(r, "date"));
    rf_html_raw(w, "): ");
    const json_t *band = json_object_get(r, "band");
    rf_html_text(w, json_is_object(band) ? rf_json_text(band, "name") : json_string_value(band));
    rf_html_raw(w,
                ". The final score is the lowest section's.</p><table><thead><tr><th>Section</th>"
                "<th>Score</th></tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(r, "sections"), i, x)
    {
        rf_html_raw(w, "<tr><td>");
        rf_html_text(w, rf_json_text(x, "name"));
        rf_html_fmt(w, "</td><td>%.1f</td></tr>", rf_json_num(x, "score"));
    }
    rf_html_raw(w, "</tbody></table><h3>What raises the final score most</h3><ol>");
    json_array_foreach(json_object_get(r, "plan"), i, x)
    {
        rf_html_raw(w, "<li>");
        rf_html_text(w, rf_json_text(x, "title"));
        rf_html_fmt(w, " (final %.1f after it)", rf_json_num(x, "final_after"));
        owners(w, x, doc);
        rf_html_raw(w, "</li>");
    }
    rf_html_raw(w, "</ol><h3>Trend</h3>");
    trend(w, json_object_get(r, "trend"));
    rf_html_raw(w, "</section>");
}

rf_status rf_team_report_html(const json_t *doc, struct rf_buf *b)
{
    struct rf_html w = {b, RF_OK};
    const json_t *t = json_object_get(doc, "team");
    rf_html_raw(&w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
                    "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Team "
                    "report: ");
    rf_html_text(&w, rf_json_text(t, "name"));
    rf_html_raw(&w, "</title>\n");
    rf_html_raw(&w, css);
    rf_html_raw(&w, "</head><body><main><header><h1>Team report: ");
    rf_html_text(&w, rf_json_text(t, "name"));
    rf_html_fmt(&w,
                "</h1><p class=\"muted\">%lld of %zu members share a finished test and count "
                "below.</p>",
                (long long)rf_json_num(doc, "counted"),
                json_array_size(json_object_get(doc, "members")));
    const char *note = json_string_value(json_object_get(doc, "note"));
    if (note) {
        rf_html_raw(&w, "<p class=\"note\">");
        rf_html_text(&w, note);
        rf_html_raw(&w, ".</p>");
    }
    rf_html_raw(&w, "<table><thead><tr><th>Member</th><th>Test</th><th>State</th><th>Shares</th>"
                    "</tr></thead><tbody>");
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(doc, "members"), i, m)
    {
        rf_html_raw(&w, "<tr><td>");
        rf_html_text(&w, rf_json_text(m, "label"));
        rf_html_raw(&w, "</td><td>");
        rf_html_text(&w, rf_json_text(m, "role_name"));
        rf_html_raw(&w, "</td><td>");
        rf_html_text(&w, rf_json_text(m, "state"));
        rf_html_raw(&w, json_is_true(json_object_get(m, "shared")) ? "</td><td>yes</td></tr>"
                                                                   : "</td><td>no</td></tr>");
    }
    rf_html_raw(&w, "</tbody></table></header>");
    coverage(&w, doc);
    hire(&w, doc);
    readiness(&w, doc);
    rf_html_raw(&w, "<footer>Made by rolefit. A core skill a member's test did not measure counts by "
            "what the measured skills imply, and the interval shows how much rests on it. The "
            "readiness score is the team's own assessment.</footer></main></body></html>\n");
    return w.rc;
}
