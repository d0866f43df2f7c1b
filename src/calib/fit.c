/*
 * Item fit: Orlando & Thissen's (2000) S-X2 for dichotomous items. Persons
 * are grouped by their summed score s on all items; the observed proportion
 * correct on item j in group s is compared with the model's
 *   E_js = sum_q w_q P_j(q) f_{-j}(s-1 | q) / sum_q w_q f(s | q),
 * where f and f_{-j} are summed-score distributions from the Lord-Wingersky
 * (1984) recursion with and without item j. Adjacent score groups are merged
 * until both expected counts reach RF_CALIB_SX2_MINCELL; df = groups - free
 * parameters of the item. Needs complete data (every person answered every
 * item): with missing cells summed scores are not comparable.
 *
 * The chi-square tail is the regularized upper incomplete gamma function,
 * by series and continued fraction (Press et al., Numerical Recipes, 6.2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "calib/em.h"

static double gamma_p_series(double a, double x)
{
    double sum = 1.0 / a, del = sum, ap = a;
    for (int n = 0; n < 1000; n++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (fabs(del) < fabs(sum) * 1e-15)
            break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

static double gamma_q_cf(double a, double x)
{
    double tiny = 1e-300, b = x + 1 - a, cc = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 1000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        cc = b + an / cc;
        if (fabs(cc) < tiny)
            cc = tiny;
        d = 1 / d;
        double del = d * cc;
        h *= del;
        if (fabs(del - 1) < 1e-15)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double rf_calib_chisq_upper(double x, double df)
{
    if (!(df > 0) || isnan(x))
        return NAN;
    if (x <= 0)
        return 1.0;
    double a = df / 2, y = x / 2;
    return y < a + 1 ? 1.0 - gamma_p_series(a, y) : gamma_q_cf(a, y);
}

/* Summed-score distribution over items [0, J) except skip (SIZE_MAX: none)
 * at one node; p1[j] = P(correct). f has room for J + 1 scores. */
static size_t lord_wingersky(const double *p1, size_t J, size_t skip, double *f)
{
    size_t n = 0;
    f[0] = 1.0;
    for (size_t j = 0; j < J; j++) {
        if (j == skip)
            continue;
        double p = p1[j], qn = 1 - p;
        f[n + 1] = f[n] * p;
        for (size_t s = n; s > 0; s--)
            f[s] = f[s] * qn + f[s - 1] * p;
        f[0] *= qn;
        n++;
    }
    return n;
}

rf_status rf_em_sx2(struct rf_calib *c, struct rf_calib_result *res, struct rf_err *err)
{
    size_t J = c->J, Q = c->Q;
    for (size_t j = 0; j < J; j++)
        if (c->ncat[j] != 2) {
            res->fit_note = "S-X2 is computed for dichotomous items only";
            return RF_OK;
        }
    if (!c->complete) {
        res->fit_note = "S-X2 needs complete data (some cells are empty)";
        return RF_OK;
    }
    if (J > RF_CALIB_SX2_MAX_ITEMS || J < 3) {
        res->fit_note = J < 3 ? "S-X2 needs at least 3 items"
                              : "S-X2 skipped: more items than RF_CALIB_SX2_MAX_ITEMS";
        return RF_OK;
    }
    double *ns = rf_calloc_array(J + 1, sizeof *ns);          /* persons by score */
    double *o1 = rf_calloc_array(J * (J + 1), sizeof *o1);    /* correct by item, score */
    double *p1 = rf_alloc_array(Q * J, sizeof *p1);           /* P(correct) by node, item */
    double *fall = rf_alloc_array(Q * (J + 1), sizeof *fall); /* f(s | q) */
    double *f = rf_alloc_array(J + 1, sizeof *f);
    double *den = rf_alloc_array(J + 1, sizeof *den);
    double *num = rf_alloc_array(J + 1, sizeof *num);
    double *w = rf_alloc_array(Q, sizeof *w);
    if (!ns || !o1 || !p1 || !fall || !f || !den || !num || !w) {
        free(ns), free(o1), free(p1), free(fall), free(f), free(den), free(num), free(w);
        return rf_err_set(err, RF_ENOMEM, "item fit: out of memory");
    }
    for (size_t u = 0; u < c->nunits; u++) {
        size_t s = 0;
        double wt = c->wt[u];
        if (c->kernel == EM_SPARSE) {
            for (size_t e = c->ub[u]; e < c->ue[u]; e++)
                s += c->val[e] == 1;
            for (size_t e = c->ub[u]; e < c->ue[u]; e++)
                if (c->val[e] == 1)
                    o1[c->col[e] * (J + 1) + s] += wt;
        } else {
            const signed char *row = c->rows[u];
            for (size_t j = 0; j < J; j++)
                s += row[j] == 1;
            for (size_t j = 0; j < J; j++)
                if (row[j] == 1)
                    o1[j * (J + 1) + s] += wt;
        }
        ns[s] += wt;
    }
    for (size_t q = 0; q < Q; q++) {
        w[q] = exp(c->logw[q]);
        for (size_t j = 0; j < J; j++)
            p1[q * J + j] = rf_irt_prob(&c->items[j], c->theta[q], 1);
        lord_wingersky(p1 + q * J, J, (size_t)-1, fall + q * (J + 1));
    }
    for (size_t s = 0; s <= J; s++) {
        den[s] = 0;
        for (size_t q = 0; q < Q; q++)
            den[s] += w[q] * fall[q * (J + 1) + s];
    }
    for (size_t j = 0; j < J; j++) {
        memset(num, 0, (J + 1) * sizeof *num);
        for (size_t q = 0; q < Q; q++) {
            lord_wingersky(p1 + q * J, J, j, f);
            double pj = p1[q * J + j] * w[q];
            for (size_t s = 1; s <= J - 1; s++)
                num[s] += pj * f[s - 1];
        }
        /* groups over s = 1..J-1, merged until both expected counts reach mincell */
        double chi = 0, gn = 0, go = 0, ge = 0, last_n = 0, last_o = 0, last_e = 0;
        size_t groups = 0;
        int have_last = 0;
        for (size_t s = 1; s <= J - 1; s++) {
            double e = den[s] > 0 ? num[s] / den[s] : 0;
            gn += ns[s];
            go += o1[j * (J + 1) + s];
            ge += ns[s] * e;
            if (ge >= RF_CALIB_SX2_MINCELL && gn - ge >= RF_CALIB_SX2_MINCELL) {
                if (have_last) {
                    chi += (last_o - last_e) * (last_o - last_e) / last_e +
                           (last_o - last_e) * (last_o - last_e) / (last_n - last_e);
                    groups++;
                }
                last_n = gn, last_o = go, last_e = ge, have_last = 1;
                gn = go = ge = 0;
            }
        }
        if (have_last) { /* the trailing partial group joins the last full one */
            last_n += gn, last_o += go, last_e += ge;
            chi += (last_o - last_e) * (last_o - last_e) / last_e +
                   (last_o - last_e) * (last_o - last_e) / (last_n - last_e);
            groups++;
        }
        struct rf_calib_item *ri = &res->items[j];
        size_t np = c->fixed[j] ? 0 : rf_irt_nparams(&c->items[j]);
        ri->sx2 = chi;
        ri->sx2_df = groups > np ? groups - np : 0;
        ri->sx2_p = ri->sx2_df ? rf_calib_chisq_upper(chi, (double)ri->sx2_df) : NAN;
    }
    free(ns), free(o1), free(p1), free(fall), free(f), free(den), free(num), free(w);
    return RF_OK;
}
