/*
 * Bank statistics and their SVG chart. Information is summed with
 * rf_irt_info over each skill's active items at every grid point; the
 * chart is built in a capped buffer through the one escaping writer.
 */
#include "bank/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "base/mem.h"
#include "irt/model.h"

void rf_bank_stats_cleanup(struct rf_bank_stats *s)
{
    for (size_t i = 0; s->skills && i < s->nskills; i++) {
        free(s->skills[i].skill);
        free(s->skills[i].info);
    }
    free(s->skills);
    free(s->theta);
    memset(s, 0, sizeof *s);
}

static rf_status add_skill(struct rf_bank_stats *s, size_t *cap, const char *id, int known,
                           size_t *idx)
{
    for (size_t i = 0; i < s->nskills; i++)
        if (strcmp(s->skills[i].skill, id) == 0) {
            *idx = i;
            return RF_OK;
        }
    if (s->nskills == *cap) {
        size_t nc = *cap ? 2 * *cap : 32;
        struct rf_skill_stats *k = rf_realloc_array(s->skills, nc, sizeof *k);
        if (!k)
            return RF_ENOMEM;
        s->skills = k;
        *cap = nc;
    }
    struct rf_skill_stats *k = &s->skills[s->nskills];
    memset(k, 0, sizeof *k);
    k->skill = rf_strdup(id);
    k->in_taxonomy = known;
    k->info = rf_calloc_array(s->ntheta, sizeof *k->info);
    s->nskills++;
    if (!k->skill || !k->info)
        return RF_ENOMEM;
    *idx = s->nskills - 1;
    return RF_OK;
}

rf_status rf_bank_stats_compute(const struct rf_bank *b, const struct rf_taxonomy *tax, double lo,
                                double hi, size_t ntheta, struct rf_bank_stats *s,
                                struct rf_err *err)
{
    memset(s, 0, sizeof *s);
    if (ntheta < 2 || !(hi > lo) || !isfinite(lo) || !isfinite(hi))
        return rf_err_set(err, RF_EINVAL, "stats: need a grid of at least 2 points with lo < hi");
    s->ntheta = ntheta;
    if (!(s->theta = rf_alloc_array(ntheta, sizeof *s->theta)))
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    for (size_t q = 0; q < ntheta; q++)
        s->theta[q] = lo + (hi - lo) * (double)q / (double)(ntheta - 1);
    size_t cap = 0, idx;
    rf_status rc = RF_OK;
    for (size_t k = 0; !rc && tax && k < tax->nskills; k++)
        rc = add_skill(s, &cap, tax->skills[k].id, 1, &idx);
    for (size_t i = 0; !rc && i < b->n; i++) {
        const struct rf_item *it = &b->items[i];
        size_t t;
        int known = tax && rf_taxonomy_find(tax, it->skill, &t) == RF_OK;
        if ((rc = add_skill(s, &cap, it->skill, known, &idx)))
            break;
        struct rf_skill_stats *k = &s->skills[idx];
        k->n++;
        s->n++;
        if (it->retired) {
            k->retired++;
            continue;
        }
        k->active++;
        s->active++;
        k->calibrated += it->calibrated != 0;
        s->calibrated += it->calibrated != 0;
        k->recall += it->recall != 0;
        k->ja += json_object_get(it->translations, "ja") != NULL;
        if (it->type != RF_ITEM_RUBRIC) /* a rater's items are in no test's pool */
            k->pool[it->pool]++;
        enum rf_difficulty d = rf_difficulty_parse(it->difficulty);
        k->band[d == RF_DIFF_NONE ? RF_NDIFF : (size_t)d]++;
        for (size_t q = 0; q < ntheta; q++)
            k->info[q] += rf_irt_info(&it->irt, s->theta[q]);
        for (size_t c = 0; known && c < RF_NLEVELS - 1; c++)
            k->cut_info[c] += rf_irt_info(&it->irt, tax->skills[t].cuts[c]);
    }
    if (rc) {
        rf_bank_stats_cleanup(s);
        return rf_err_set(err, rc, "out of memory");
    }
    return RF_OK;
}

/* A distinguishable palette (Okabe-Ito, then darker variants). */
static const char *const palette[] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#004C77", "#996A00", "#006A4D", "#88516F", "#3A789B", "#8E3F00", "#A09818", "#777777",
};

/* The smallest "nice" number (1, 2 or 5 times a power of ten) at least x. */
static double nice_ceil(double x)
{
    if (!(x > 0))
        return 1.0;
    double p = pow(10.0, floor(log10(x)));
    double m = x / p;
    double f = m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0;
    return f * p;
}

rf_status rf_bank_stats_svg(const struct rf_bank_stats *s, struct rf_buf *out)
{
    const double W = 760, H = 440, L = 60, R = 230, T = 40, B = 50;
    const double pw = W - L - R, ph = H - T - B;
    double ymax = 0;
    for (size_t i = 0; i < s->nskills; i++)
        for (size_t q = 0; q < s->ntheta; q++)
            if (s->skills[i].info[q] > ymax)
                ymax = s->skills[i].info[q];
    ymax = nice_ceil(ymax);
    double lo = s->theta[0], hi = s->theta[s->ntheta - 1];
#define X(t) (L + pw * ((t) - lo) / (hi - lo))
#define Y(v) (T + ph * (1.0 - (v) / ymax))
    rf_status rc = rf_buf_printf(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
        "<title>Test information per skill</title>\n"
        "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
        "<text x=\"%.0f\" y=\"24\" font-size=\"15\">Test information per skill (active "
        "items)</text>\n",
        W, H, W, H, L);
    /* grid and axes */
    for (int k = 0; !rc && k <= 5; k++) {
        double v = ymax * k / 5.0, y = Y(v);
        rc = rf_buf_printf(out,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                           L, y, L + pw, y, L - 6, y + 4, v);
    }
    for (double t = ceil(lo); !rc && t <= hi + 1e-9; t += 1.0)
        rc = rf_buf_printf(out,
                           "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%g</text>\n",
                           X(t), T, X(t), T + ph, X(t), T + ph + 16, t);
    if (!rc)
        rc = rf_buf_printf(out,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                           "stroke=\"#333333\"/>\n"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">ability (theta)</text>\n"
                           "<text transform=\"translate(16 %.1f) rotate(-90)\" "
                           "text-anchor=\"middle\">information</text>\n",
                           L, T, pw, ph, L + pw / 2, H - 12, T + ph / 2);
    /* one curve and one legend row per skill */
    for (size_t i = 0; !rc && i < s->nskills; i++) {
        const struct rf_skill_stats *k = &s->skills[i];
        const char *col = palette[i % (sizeof palette / sizeof palette[0])];
        const char *dash = i >= sizeof palette / sizeof palette[0] ? " stroke-dasharray=\"4 3\"" : "";
        rc = rf_buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                           col, dash);
        for (size_t q = 0; !rc && q < s->ntheta; q++)
            rc = rf_buf_printf(out, "%s%.1f,%.1f", q ? " " : "", X(s->theta[q]), Y(k->info[q]));
        if (!rc)
            rc = rf_buf_puts(out, "\"><title>");
        if (!rc)
            rc = rf_buf_put_xml(out, k->skill);
        if (!rc)
            rc = rf_buf_puts(out, "</title></polyline>\n");
        double ly = T + 8 + 16.0 * (double)i;
        if (!rc)
            rc = rf_buf_printf(out,
                               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                               "stroke-width=\"3\"%s/><text x=\"%.1f\" y=\"%.1f\">",
                               W - R + 14, ly, W - R + 34, ly, col, dash, W - R + 40, ly + 4);
        if (!rc)
            rc = rf_buf_put_xml(out, k->skill);
        if (!rc)
            rc = rf_buf_printf(out, " (%zu)</text>\n", k->active);
    }
#undef X
#undef Y
    if (!rc)
        rc = rf_buf_puts(out, "</svg>\n");
    return rc;
}
