/* DIF of a graded item; see dif_poly.h. */
#include "calib/dif_poly.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "calib/stats.h"

struct person {
    double theta;
    int y;
    unsigned char g;
};

static int cmp_theta(const void *a, const void *b)
{
    double x = ((const struct person *)a)->theta, y = ((const struct person *)b)->theta;
    return (x > y) - (x < y);
}

/* One stratum's counts: n[g][y]. */
struct cell {
    double n[2][RF_DIF_POLY_MAX_CATS];
};

static void stratum_stats(const struct cell *c, size_t ncat, double *num, double *den, double *f,
                          double *ef, double *vf, double *smd_w, double *smd)
{
    double nr = 0, nf = 0, sr = 0, sf = 0, s2 = 0;
    for (size_t y = 0; y < ncat; y++) {
        nr += c->n[0][y];
        nf += c->n[1][y];
        sr += (double)y * c->n[0][y];
        sf += (double)y * c->n[1][y];
        s2 += (double)(y * y) * (c->n[0][y] + c->n[1][y]);
    }
    double nk = nr + nf;
    if (nr < 1 || nf < 1 || nk < 2)
        return;
    /* Liu-Agresti: every cut j, above = score > j */
    double rb = 0, fb = 0; /* below or at j, cumulative */
    for (size_t j = 0; j + 1 < ncat; j++) {
        rb += c->n[0][j];
        fb += c->n[1][j];
        double ra = nr - rb, fa = nf - fb;
        *num += ra * fb / nk;
        *den += rb * fa / nk;
    }
    /* Mantel */
    double s = sr + sf;
    *f += sf;
    *ef += nf * s / nk;
    *vf += nr * nf * (nk * s2 - s * s) / (nk * nk * (nk - 1));
    /* SMD, weighted by the focal group's count */
    *smd_w += nf;
    *smd += nf * (sf / nf - sr / nr);
}

/* The variance of U_k = num_k - psi den_k, one stratum's part of num -
 * psi den, where num_k = sum over reference r and focal f of (y_r - y_f)^+
 * / N_k and den_k the same of (y_f - y_r)^+ (the pairs split by a cut, as
 * Liu-Agresti counts them). U_k is a two-sample U-statistic of the
 * stratum's people; its large-sample variance (Hoeffding 1948) is the sum
 * over people of the variance of their own part: H(y), a reference person's
 * sum over the focal group, and G(y), a focal person's over the reference
 * group, each with the n / (n - 1) of a sample variance. */
static double stratum_var(const struct cell *c, size_t ncat, double psi)
{
    double nr = 0, nf = 0;
    for (size_t y = 0; y < ncat; y++) {
        nr += c->n[0][y];
        nf += c->n[1][y];
    }
    double nk = nr + nf;
    if (nr < 2 || nf < 2)
        return 0;
    double h[RF_DIF_POLY_MAX_CATS], gg[RF_DIF_POLY_MAX_CATS], hm = 0, gm = 0;
    for (size_t y = 0; y < ncat; y++) {
        h[y] = gg[y] = 0;
        for (size_t z = 0; z < ncat; z++) {
            double up = y > z ? (double)(y - z) : 0, down = z > y ? (double)(z - y) : 0;
            h[y] += c->n[1][z] * (up - psi * down);  /* reference y against focal z */
            gg[y] += c->n[0][z] * (down - psi * up); /* focal y against reference z */
        }
        hm += c->n[0][y] * h[y];
        gm += c->n[1][y] * gg[y];
    }
    hm /= nr;
    gm /= nf;
    double vr = 0, vf = 0;
    for (size_t y = 0; y < ncat; y++) {
        vr += c->n[0][y] * (h[y] - hm) * (h[y] - hm);
        vf += c->n[1][y] * (gg[y] - gm) * (gg[y] - gm);
    }
    return (vr * nr / (nr - 1) + vf * nf / (nf - 1)) / (nk * nk);
}

int rf_dif_poly(const int *y, const unsigned char *g, const double *theta, size_t n, size_t ncat,
                size_t nstrata, double alpha, struct rf_dif_poly_result *out)
{
    memset(out, 0, sizeof *out);
    out->alpha_la = out->ln_la = out->d_la = out->mantel_chi2 = out->p = out->smd = out->smd_ratio =
        out->se_ln_la = out->se_d_la = NAN;
    out->ets = '-';
    if (ncat < 2 || ncat > RF_DIF_POLY_MAX_CATS || nstrata == 0)
        return 0;
    struct person *p = rf_alloc_array(n ? n : 1, sizeof *p);
    struct cell *cells = rf_calloc_array(nstrata, sizeof *cells);
    if (!p || !cells) {
        free(p);
        free(cells);
        return -1;
    }
    size_t m = 0;
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i] > 1 || y[i] < 0 || (size_t)y[i] >= ncat || !isfinite(theta[i]))
            continue;
        p[m++] = (struct person){theta[i], y[i], g[i]};
        out->n_ref += g[i] == 0;
        out->n_focal += g[i] == 1;
        sum += y[i];
        sum2 += (double)y[i] * y[i];
    }
    qsort(p, m, sizeof *p, cmp_theta);
    double num = 0, den = 0, f = 0, ef = 0, vf = 0, smd_w = 0, smd = 0;
    for (size_t k = 0, start = 0; k < nstrata && start < m; k++) {
        size_t end = (k + 1) * m / nstrata;
        if (end <= start)
            continue;
        struct cell *c = &cells[k];
        for (size_t i = start; i < end; i++)
            c->n[p[i].g][p[i].y] += 1;
        stratum_stats(c, ncat, &num, &den, &f, &ef, &vf, &smd_w, &smd);
        start = end;
    }
    free(p);
    if (num > 0 && den > 0) {
        /* > 1: the reference group more often above each cut at equal ability */
        out->alpha_la = num / den;
        out->ln_la = log(out->alpha_la);
        out->d_la = -2.35 * out->ln_la;
        /* var ln alpha = var(num - alpha den) / num^2 (delta method), the
         * strata independent */
        double vu = 0;
        for (size_t k = 0; k < nstrata; k++)
            vu += stratum_var(&cells[k], ncat, out->alpha_la);
        if (vu > 0) {
            out->se_ln_la = sqrt(vu) / num;
            out->se_d_la = 2.35 * out->se_ln_la;
        }
    }
    free(cells);
    if (vf > 0) {
        out->mantel_chi2 = (f - ef) * (f - ef) / vf;
        out->p = 2 * rf_stat_norm_upper(sqrt(out->mantel_chi2));
    }
    double var = m > 1 ? (sum2 - sum * sum / (double)m) / (double)(m - 1) : 0;
    if (smd_w > 0) {
        out->smd = smd / smd_w;
        if (var > 0)
            out->smd_ratio = out->smd / sqrt(var);
    }
    if (isfinite(out->p) && isfinite(out->smd_ratio)) {
        double r = fabs(out->smd_ratio);
        out->ets = out->p < alpha && r >= 0.25 ? 'C' : out->p < alpha && r >= 0.17 ? 'B' : 'A';
    }
    return 0;
}
