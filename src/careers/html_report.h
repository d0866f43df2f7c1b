/*
 * The HTML form of a career report: one self-contained file (inline CSS and
 * SVG, no scripts, no external resources) with the skill profile (estimates
 * with 95% intervals over the level bands), role fit with its uncertainty,
 * the gaps with a learning plan, and the interview loop. Every piece of text
 * goes through the one escaping writer (base/escape.h); numbers are printed
 * from doubles, never from strings.
 */
#ifndef RF_CAREERS_HTML_REPORT_H
#define RF_CAREERS_HTML_REPORT_H

#include <jansson.h>

#include "base/buf.h"

/* Renders a report built by rf_report_build into out. RF_ETOOBIG when out's
 * cap is reached, RF_ENOMEM. */
rf_status rf_report_html(const json_t *report, struct rf_buf *out);

#endif
