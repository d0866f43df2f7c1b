/*
 * Inter-rater agreement and the calibration report (interview/agree.h).
 */
#include "interview/agree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"

double rf_iv_qwk(const size_t *x, const size_t *y, size_t n, size_t ncat)
{
    if (n == 0 || ncat < 2 || ncat > RF_MAX_CATEGORIES)
        return NAN;
    double marg[RF_MAX_CATEGORIES] = {0}, obs = 0, exp_ = 0;
    for (size_t i = 0; i < n; i++) {
        marg[x[i]] += 1;
        marg[y[i]] += 1;
        double dd = (double)x[i] - (double)y[i];
        obs += 2 * dd * dd; /* both orders */
    }
    double tot = 2.0 * (double)n;
    for (size_t i = 0; i < ncat; i++)
        for (size_t j = 0; j < ncat; j++) {
            double dd = (double)i - (double)j;
            exp_ += dd * dd * (marg[i] / tot) * (marg[j] / tot) * tot;
        }
    /* the weights' common factor 1/(m - 1)^2 cancels in the ratio */
    return exp_ > 0 ? 1 - obs / exp_ : NAN;
}

double rf_iv_icc(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double grand = 0;
    for (size_t i = 0; i < n; i++)
        grand += x[i] + y[i];
    grand /= 2.0 * (double)n;
    double ssb = 0, ssw = 0;
    for (size_t i = 0; i < n; i++) {
        double m = (x[i] + y[i]) / 2;
        ssb += 2 * (m - grand) * (m - grand);
        ssw += (x[i] - m) * (x[i] - m) + (y[i] - m) * (y[i] - m);
    }
    double msb = ssb / (double)(n - 1), msw = ssw / (double)n;
    return msb + msw > 0 ? (msb - msw) / (msb + msw) : NAN;
}

void rf_iv_report_cleanup(struct rf_iv_report *rep)
{
    free(rep->rubric);
    free(rep->crit);
    memset(rep, 0, sizeof *rep);
}

/* Orders ratings by slot: person, slot, criterion, then rater. */
static int by_slot(const void *pa, const void *pb)
{
    const struct rf_iv_rating *a = pa, *b = pb;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->crit != b->crit)
        return a->crit < b->crit ? -1 : 1;
    return a->rater < b->rater ? -1 : a->rater > b->rater;
}

static void criterion_stats(const struct rf_iv_bank *b, const struct rf_iv_calib *c,
                            const struct rf_iv_rating *r, size_t n, struct rf_iv_report *rep)
{
    for (size_t j = 0; j < b->ncrit; j++) {
        size_t h[RF_MAX_CATEGORIES] = {0}, top = 0;
        struct rf_iv_crit_stats *s = &rep->crit[j];
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            if (r[i].crit == j) {
                h[r[i].score]++;
                s->n++;
                sum += (double)r[i].score;
            }
        for (size_t k = 0; k < b->crit[j].it.ncat; k++)
            top = h[k] > top ? h[k] : top;
        s->mean = s->n ? sum / (double)s->n : NAN;
        s->top_share = s->n ? (double)top / (double)s->n : NAN;
        if (s->n >= RF_IV_FLAT_MIN_N && s->top_share >= RF_IV_FLAT_SHARE) {
            s->flat = 1;
            s->why = "most scores on one point";
            s->code = "one_point";
        } else if (s->n >= RF_IV_FLAT_MIN_N && c && j < c->ncrit && c->crit_n[j] > 0 &&
                   c->crit[j].it.a < RF_IV_FLAT_SLOPE) {
            s->flat = 1;
            s->why = "scores hardly rise with the skill (low slope)";
            s->code = "low_slope";
        }
        rep->rubric[b->crit[j].rubric].ratings += s->n;
        rep->rubric[b->crit[j].rubric].nflat += (size_t)s->flat;
    }
}

rf_status rf_iv_report(const struct rf_iv_bank *b, const struct rf_iv_calib *c,
                       const struct rf_iv_rating *r, size_t n, struct rf_iv_report *out,
                       struct rf_err *err)
{
    struct rf_iv_report rep = {.nrubrics = b->nrubrics, .ncrit = b->ncrit};
    rep.rubric = rf_calloc_array(b->nrubrics ? b->nrubrics : 1, sizeof *rep.rubric);
    rep.crit = rf_calloc_array(b->ncrit ? b->ncrit : 1, sizeof *rep.crit);
    struct rf_iv_rating *s = rf_alloc_array(n ? n : 1, sizeof *s);
    size_t *px = rf_alloc_array(n ? n : 1, sizeof *px), *py = rf_alloc_array(n ? n : 1, sizeof *py);
    double *dx = rf_alloc_array(n ? n : 1, sizeof *dx), *dy = rf_alloc_array(n ? n : 1, sizeof *dy);
    rf_status rc = RF_OK;
    if (!rep.rubric || !rep.crit || !s || !px || !py || !dx || !dy) {
        rc = rf_err_set(err, RF_ENOMEM, "calibration report: out of memory");
        rf_iv_report_cleanup(&rep);
        goto out;
    }
    criterion_stats(b, c, r, n, &rep);
    memcpy(s, r, n * sizeof *s);
    qsort(s, n, sizeof *s, by_slot);
    for (size_t u = 0; u < b->nrubrics; u++) {
        size_t np = 0;
        for (size_t i = 0; i < n;) {
            size_t e = i + 1;
            while (e < n && s[e].person == s[i].person && s[e].slot == s[i].slot &&
                   s[e].crit == s[i].crit)
                e++;
            if (b->crit[s[i].crit].rubric == u)
                for (size_t a = i; a + 1 < e; a++)
                    if (s[a].rater != s[a + 1].rater) {
                        px[np] = s[a].score;
                        py[np] = s[a + 1].score;
                        dx[np] = (double)s[a].score;
                        dy[np++] = (double)s[a + 1].score;
                    }
            i = e;
        }
        rep.rubric[u].pairs = np;
        size_t ncat = b->first[u] < b->ncrit ? b->crit[b->first[u]].it.ncat : 0;
        rep.rubric[u].kappa = rf_iv_qwk(px, py, np, ncat);
        rep.rubric[u].icc = rf_iv_icc(dx, dy, np);
    }
    *out = rep;
out:
    free(s);
    free(px);
    free(py);
    free(dx);
    free(dy);
    return rc;
}
