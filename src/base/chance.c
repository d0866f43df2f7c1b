/*
 * A model's probability as a bounded whole percentage (see chance.h): the
 * percentage is rounded half away from zero, as web/js/chance.js rounds it
 * for the values a probability takes, and a rounding to 0 or 100 is replaced
 * by "<1%" or ">99%".
 */
#include "base/chance.h"

#include <math.h>
#include <stdio.h>

const char *rf_chance_pct(char *buf, size_t n, double p)
{
    if (!n)
        return buf;
    if (!isfinite(p)) {
        snprintf(buf, n, "\xE2\x80\x94"); /* an em dash */
        return buf;
    }
    double r = round(100 * p);
    if (r >= 100)
        snprintf(buf, n, ">99%%");
    else if (r <= 0)
        snprintf(buf, n, "<1%%");
    else
        snprintf(buf, n, "%d%%", (int)r);
    return buf;
}
