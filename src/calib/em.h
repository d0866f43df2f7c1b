/*
 * Internal state of a calibration, shared by the modules of src/calib only
 * (calib.c: setup, M-step, driver; estep.c: E-step kernels and threads;
 * fit.c: item fit; output.c: JSON and CSV). Not for other rooms.
 *
 * Invariants: a "unit" is a distinct response pattern with a weight (its
 * count; 1 without collapsing) and at least one response. Column (j, k) of the
 * one-hot layout is off[j] + k. Every table is row-major with the node index
 * fastest.
 */
#ifndef RF_CALIB_EM_H
#define RF_CALIB_EM_H

#include <stddef.h>
#include <stdint.h>

#include "calib/calib.h"

/* Largest internal parameter vector of one item: a, d_1..d_{m-1}, c. */
#define RF_CALIB_MAXP (RF_MAX_CATEGORIES + 1)

enum em_kernel { EM_DENSE_BIN, EM_DENSE, EM_SPARSE };

struct em_worker {
    struct rf_calib *c;
    size_t id;
    double *Z;  /* block x cz one-hot (dense kernels) */
    double *L;  /* block x Q log-likelihood, then posterior weights */
    double *R;  /* cz x Q expected counts (this thread's share) */
    double *Pq; /* Q posterior mass */
    double loglik;
    /* final pass */
    double m_w, m_eap, m_eap2, m_var; /* weighted sums for reliability */
    double *V;                        /* block x (C * P) scores by column (dense SE) */
    double *S;                        /* block x npar person score vectors (dense SE) */
    double *XPD;                      /* upper triangle of the npar x npar cross-product,
                                         this thread's share: row-major for the dense
                                         kernels, 2 x 2 tiles for the sparse one (em_xpd_len) */
    double *s1;                       /* npar, one person's scores (sparse SE) */
    size_t *nzi;                      /* npar, indices touched (sparse SE) */
    unsigned char *mark;              /* npar, 1 while an index is in nzi (sparse SE) */
    int final;
    rf_status rc;
};

struct rf_calib {
    struct rf_calib_opts o;
    size_t N, J;
    const char *const *ids;
    /* items */
    struct rf_irt_item *items; /* current parameters in reporting form */
    double *phi;               /* J x RF_CALIB_MAXP internal (a, d.., c) */
    size_t *ncat, *off, *np, *nresp;
    unsigned char *fixed;
    size_t C;         /* sum of ncat */
    double common_a;  /* 1PL */
    double *hist;     /* 2 x J x RF_CALIB_MAXP: phi of the two previous cycles */
    double hist_a[2]; /* common a of the two previous cycles */
    size_t nfree;
    /* units */
    enum em_kernel kernel;
    size_t nunits, nempty;
    const signed char **rows; /* dense: row of each unit */
    signed char *own_x;       /* dense copy of CSR input with fill >= the sparse limit */
    double *wt;               /* weight of each unit */
    size_t *ub, *ue;          /* sparse: unit u's responses are [ub[u], ue[u]) */
    const uint32_t *col;      /* sparse: item of each response */
    const signed char *val;   /* sparse: category of each response */
    uint32_t *own_col;        /* owned when built from dense data */
    signed char *own_val;
    int complete; /* no missing cell among units */
    /* grid */
    size_t Q;
    double *theta, *logw;
    int est_latent;
    double mu, sd;
    /* tables */
    double *T;   /* cz x Q: log P by column, or logit(P) by item (dense-binary) */
    double *cst; /* Q: sum_j log Q_j (dense-binary) */
    double *R;   /* C x Q expected counts */
    double *Pq;  /* Q */
    size_t cz;   /* columns of Z: J (dense-binary) or C */
    /* standard errors */
    size_t npar, P;
    long *pidx; /* J x P: global index of each internal parameter, -1 = none */
    double *G;  /* (C * P) x Q: d log P / d phi by column, parameter, node */
    /* threads */
    size_t nthreads;
    struct em_worker *w;
    int blas_saved;
    /* state */
    double loglik, max_change;
    size_t iter;
    int converged;
    size_t nfixed_unused;
};

/* The sparse kernel's cross-product is stored in 2 x 2 tiles: parameters
 * 2t and 2t+1 form tile row (and column) t, tile (t, u) is 4 consecutive
 * doubles at (t * tiles + u) * 4, entry (a, b) at offset (a & 1) * 2 + (b & 1)
 * inside it. A 2PL item's two parameters are 2t, 2t+1 when the items before
 * it have two each, so one person's update of an item pair touches one cache
 * line instead of two 16 KB-apart rows of a 1,000-item matrix. The final
 * reduction in rf_em_estep expands it to the row-major npar x npar matrix. */
static inline size_t rf_em_xpd_tiles(const struct rf_calib *c)
{
    return (c->npar + 1) / 2;
}

static inline size_t rf_em_xpd_len(const struct rf_calib *c)
{
    size_t nt = rf_em_xpd_tiles(c);
    return c->kernel == EM_SPARSE ? nt * nt * 4 : c->npar * c->npar;
}

/* Fills T (and cst) from the current items. */
void rf_em_tables(struct rf_calib *c);

/* Runs an E-step over all units with the worker threads and sums R, Pq and
 * the log-likelihood into c; with final != 0 also the reliability moments
 * and the cross-product matrix (needs G, pidx and the worker SE buffers). */
rf_status rf_em_estep(struct rf_calib *c, int final, double *xpd, double mom[4],
                      struct rf_err *err);

/* Allocates the per-thread SE workspaces (final pass). */
rf_status rf_em_se_alloc(struct rf_calib *c, struct rf_err *err);

/* S-X2 for every item into res (complete dichotomous data). */
rf_status rf_em_sx2(struct rf_calib *c, struct rf_calib_result *res, struct rf_err *err);

#endif
