/*
 * The team report as a self-contained HTML page (issue 18): the team's
 * members and who counts, the coverage of the deployment roles and the
 * lifecycle tasks as SVG bars with their calls, single points of failure,
 * the next hire with what it closes, and the readiness self-assessment (the
 * ML Test Score): the latest score per section, its band, the weakest
 * sections, the steps that raise the final score soonest and the trend of
 * every assessment as an SVG line. Inline CSS and SVG, no script, no
 * external resource; every text from the document goes through
 * rf_buf_put_xml.
 */
#ifndef RF_CAREERS_TEAM_REPORT_H
#define RF_CAREERS_TEAM_REPORT_H

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/lang.h"

/* Writes the page of doc (the team document of the server's GET
 * /api/teams/:id: "team", "members", "counted", "note", "coverage",
 * "readiness") to b. RF_ETOOBIG when b's cap is reached, RF_ENOMEM. */
rf_status rf_team_report_html(const json_t *doc, struct rf_buf *b);

/* The same in lang: <html lang>, and every word of the page's own from the
 * message tables (careers/report_text.h, "tr.*", whole sentences with
 * placeholders); names come from doc as they are (build it in the same
 * language: rf_team_view_json_lang, rf_readiness_json_lang). */
rf_status rf_team_report_html_lang(const json_t *doc, enum rf_lang lang, struct rf_buf *b);

/* The team document's "note" in lang, appended to out: who among the
 * members adds nothing to the coverage (not_shared members share nothing,
 * unfinished shared tests are not finished), one whole message for each
 * case and number; nothing when both are 0. RF_ETOOBIG, RF_ENOMEM. */
rf_status rf_team_report_note(enum rf_lang lang, size_t not_shared, size_t unfinished,
                              struct rf_buf *out);

#endif
