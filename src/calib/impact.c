/*
 * Adverse impact: selection rates, four-fifths ratios, intervals and the
 * small-cell rule (calib/impact.h, docs/fairness.md).
 */
#include "calib/impact.h"

#include <math.h>

#include "base/config.h"
#include "calib/stats.h"

void rf_impact_opts_default(struct rf_impact_opts *o)
{
    o->min_group = RF_IMPACT_MIN_GROUP;
    o->min_cell = RF_IMPACT_MIN_CELL;
    o->level = 0.95;
}

const char *rf_impact_hidden_text(enum rf_impact_hidden h)
{
    switch (h) {
    case RF_IMPACT_SMALL_GROUP: return "group below the minimum size";
    case RF_IMPACT_SMALL_CELL: return "selected or not-selected count below the minimum cell size";
    case RF_IMPACT_SHOWN: break;
    }
    return "";
}

rf_status rf_impact_compute(const struct rf_impact_group *g, size_t n,
                            const struct rf_impact_opts *o, struct rf_impact_row *out,
                            struct rf_err *err)
{
    if (!(o->level > 0 && o->level < 1))
        return rf_err_set(err, RF_EINVAL, "confidence level must be in (0, 1), got %g", o->level);
    for (size_t i = 0; i < n; i++)
        if (g[i].selected > g[i].n)
            return rf_err_set(err, RF_EINVAL, "group '%s': %zu selected of %zu", g[i].name,
                              g[i].selected, g[i].n);
    double z = rf_stat_norm_quantile(0.5 + o->level / 2);
    size_t best = n;
    for (size_t i = 0; i < n; i++) {
        struct rf_impact_row *r = &out[i];
        r->rate = r->rate_lo = r->rate_hi = r->ratio = r->ratio_lo = r->ratio_hi = NAN;
        r->z = r->p = NAN;
        r->highest = r->four_fifths = 0;
        size_t sel = g[i].selected, rej = g[i].n - g[i].selected;
        if (g[i].n == 0 || g[i].n < o->min_group)
            r->hidden = RF_IMPACT_SMALL_GROUP;
        else if (sel < o->min_cell || rej < o->min_cell)
            r->hidden = RF_IMPACT_SMALL_CELL;
        else
            r->hidden = RF_IMPACT_SHOWN;
        if (r->hidden)
            continue;
        r->rate = (double)sel / (double)g[i].n;
        rf_stat_wilson((double)sel, (double)g[i].n, o->level, &r->rate_lo, &r->rate_hi);
        if (best == n || r->rate > out[best].rate)
            best = i;
    }
    if (best == n)
        return RF_OK;
    out[best].highest = 1;
    double x2 = (double)g[best].selected, n2 = (double)g[best].n, p2 = out[best].rate;
    for (size_t i = 0; i < n; i++) {
        struct rf_impact_row *r = &out[i];
        if (r->hidden)
            continue;
        r->ratio = r->rate / p2;
        r->four_fifths = r->ratio < 0.8;
        if (i == best)
            continue;
        double x1 = (double)g[i].selected, n1 = (double)g[i].n;
        /* Katz log interval; 1/2 added to every cell when one is empty */
        double cx1 = x1, cn1 = n1, cx2 = x2, cn2 = n2;
        if (x1 == 0 || x1 == n1 || x2 == 0 || x2 == n2)
            cx1 += 0.5, cn1 += 1, cx2 += 0.5, cn2 += 1;
        double lr = log((cx1 / cn1) / (cx2 / cn2));
        double se = sqrt((1 - cx1 / cn1) / cx1 + (1 - cx2 / cn2) / cx2);
        r->ratio_lo = exp(lr - z * se);
        r->ratio_hi = exp(lr + z * se);
        /* two-proportion z test, pooled */
        double pp = (x1 + x2) / (n1 + n2);
        double sez = sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2));
        r->z = sez > 0 ? (r->rate - p2) / sez : 0;
        r->p = 2 * rf_stat_norm_upper(fabs(r->z));
    }
    return RF_OK;
}
