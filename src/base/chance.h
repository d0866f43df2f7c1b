/*
 * A model's probability as the product shows it, in every surface (reports,
 * pages' HTML, CLI tables, reasons): a whole percentage that never claims a
 * certainty the model does not have. The web front end's twin is
 * web/js/chance.js; the two must write the same text for the same value.
 */
#ifndef RF_BASE_CHANCE_H
#define RF_BASE_CHANCE_H

#include <stddef.h>

/* Room for any text rf_chance_pct writes, with its NUL. */
#define RF_CHANCE_LEN 8

/* Writes probability p into buf (n bytes, RF_CHANCE_LEN is enough) as a whole
 * percentage, "93%", except where rounding would state a certainty: a value
 * that rounds to 100% is ">99%" and one that rounds to 0% is "<1%" (so 1 and
 * 0 themselves too, and values outside [0, 1]); a value that is not a number
 * is "—". Only for model probabilities (a chance of meeting a requirement, of
 * a role, of coverage, a fit): plain shares of counts or weights ("12 of 40 =
 * 30%", measured share, progress) are printed as plain percentages. Returns
 * buf; never fails (the text is cut to n - 1 bytes when n is too small). */
const char *rf_chance_pct(char *buf, size_t n, double p);

#endif
