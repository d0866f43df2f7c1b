/*
 * Career reports for one profile: skills with levels, fit to every role with
 * its uncertainty, the gaps of a target role with a learning plan, and the
 * target role's interview loop. The report is built once as JSON (the form
 * machines read, documented in docs/careers.md) and rendered from that JSON
 * to Markdown here and to HTML in html_report.h, so the three formats cannot
 * disagree.
 */
#ifndef RF_CAREERS_REPORT_H
#define RF_CAREERS_REPORT_H

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/lang.h"
#include "careers/data.h"
#include "careers/fit.h"
#include "careers/profile.h"

/* JSON of evaluated role fits (an array, in the given order): role id and
 * name, fit, sd, p_core, measured share, and per requirement skill, level,
 * core, weight, p, measured. RF_ENOMEM only. */
rf_status rf_fits_to_json(const struct rf_careers *c, const struct rf_role_fit *fits, size_t n,
                          json_t **out, struct rf_err *err);

/* Same, with role, skill and level names in lang. */
rf_status rf_fits_to_json_lang(const struct rf_careers *c, const struct rf_role_fit *fits,
                               size_t n, enum rf_lang lang, json_t **out, struct rf_err *err);

/* Builds the report of profile p. target is a role id, or NULL for the
 * best-fitting role. Errors: RF_ENOTFOUND for an unknown target (the message
 * names it), RF_ENOMEM. Caller json_decref()s *out. */
rf_status rf_report_build(const struct rf_profile *p, const struct rf_careers *c,
                          const char *target, json_t **out, struct rf_err *err);

/* Same in language lang: the report's "report_lang" is its code, "levels"
 * the level names, and every text from the data (skill, role and level
 * names, descriptions, concept notes, the learning plan, the interview loop)
 * is in lang (English where the data has no translation; the data lint,
 * careers/i18n.h, keeps data/ complete). Ids and enumerated values ("call",
 * "kind") stay as they are. rf_report_build is this in English. */
rf_status rf_report_build_lang(const struct rf_profile *p, const struct rf_careers *c,
                               const char *target, enum rf_lang lang, json_t **out,
                               struct rf_err *err);

/* Whether a report's requirement calls on role (an id) are a verdict or a
 * first reading (docs/careers.md "Confirm your role"). find_role: the
 * report is of a find-my-role test, whose calls rest on one or two
 * questions a skill, so every one is a first reading; confirmed: the role a
 * confirm test settled (NULL: not a confirm test), whose calls alone are a
 * verdict on such a report. Any other report's calls are verdicts. */
int rf_report_calls_verdict(int find_role, const char *confirmed, const char *role);

/* Marks the calls of report (built by rf_report_build) as rf_report_calls_
 * verdict says: every role of "roles" gets "reading": "verdict" or "first",
 * and so does each of its requirements; a first reading's "call" is kept (what
 * the answers suggest) but is no verdict, and readers must not count it as
 * decisive. A no-op unless find_role or confirmed. RF_ENOMEM. */
rf_status rf_report_mark_readings(json_t *report, int find_role, const char *confirmed,
                                  struct rf_err *err);

/* Renders a report built by rf_report_build as Markdown into out, in the
 * report's language ("report_lang", English when absent). Text from
 * data files and profiles is written as is except that characters Markdown
 * would interpret in table cells ('|', newlines) are neutralized.
 * RF_ETOOBIG when out's cap is reached, RF_ENOMEM. */
rf_status rf_report_markdown(const json_t *report, struct rf_buf *out);

#endif
