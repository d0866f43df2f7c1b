/*
 * Item calibration by marginal maximum likelihood: Bock-Aitkin EM over the
 * quadrature grid of the IRT core (Bock & Aitkin 1981), N(0,1) latent
 * distribution, Newton-Raphson per item in the M-step with step halving.
 *
 * Shape (GSL "algorithm decomposition"): rf_calib_new prepares the data and
 * the workspaces, rf_calib_step runs one EM cycle, rf_calib_converged tests,
 * and the caller owns the loop; rf_calib_finish computes the final
 * log-likelihood, standard errors, reliability and item fit into a result.
 *
 * The E-step is matrix products: with Z the persons x (item, category)
 * one-hot response matrix (zero rows for missing cells) and T the
 * (item, category) x node table of log P, the person-by-node log-likelihood
 * is Z T and the expected counts are Z^T W (W the posterior weights). For
 * complete dichotomous data Z shrinks to the correct-indicator X:
 * X (logP - logQ) + sum_j logQ_j, counts X^T W and colsum(W). Dense data goes
 * through OpenBLAS DGEMM in row blocks; sparse data (under
 * RF_CALIB_SPARSE_FILL filled) through a kernel whose cost follows the
 * number of responses; CSR input filled more densely is copied to one byte
 * per cell for the GEMM kernel. Identical response patterns are collapsed with counts
 * when that leaves at most RF_CALIB_COLLAPSE_RATIO of the rows.
 *
 * Threads: rows are split into blocks handed to threads in a fixed round-robin
 * order; each thread calls single-threaded BLAS (OpenBLAS is set to one thread
 * while a calibration object lives, and restored by rf_calib_free). Partial
 * sums are added in thread order, so results are identical for a given thread
 * count and differ across thread counts only by floating-point summation order.
 *
 * Parameters are estimated internally in slope-intercept form
 * (P*_k = logistic(a theta + d_k), d_k = -a b_k) and reported as a, b, c
 * and d. Convergence is on the largest absolute change of (a, d_k, c) in one
 * cycle, as in mirt. Model 1PL estimates one common slope and a d per item.
 * From the third cycle on, the parameters are extrapolated along the last EM
 * step (Ramsay 1975; mirt's default "Ramsay" acceleration) unless
 * opts.accelerate is 0; an extrapolation that leaves the parameter space is
 * dropped.
 */
#ifndef RF_CALIB_CALIB_H
#define RF_CALIB_CALIB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "bank/params.h"
#include "base/buf.h"
#include "base/err.h"
#include "irt/model.h"

/* Response data, borrowed. Either dense (x != NULL: npersons x nitems
 * signed chars, row-major, RF_RESP_MISSING = -1 for not administered) or
 * CSR (x == NULL: row_ptr[npersons + 1], col[nnz] item indices increasing
 * within a row, val[nnz] categories). */
struct rf_calib_data {
    size_t npersons, nitems;
    const char *const *item_ids; /* nitems ids (used in messages, --fixed matching) */
    const signed char *x;
    const size_t *row_ptr;
    const uint32_t *col;
    const signed char *val;
};

enum rf_calib_kernel { RF_CALIB_AUTO = 0, RF_CALIB_DENSE, RF_CALIB_SPARSE };

struct rf_calib_opts {
    enum rf_model model; /* model of the free items */
    size_t nquad;        /* grid: nquad equally spaced nodes on [lo, hi] */
    double lo, hi;
    double tol; /* convergence: largest parameter change in a cycle */
    size_t max_iter;
    size_t threads; /* worker threads, >= 1 */
    int prior_a;    /* lognormal(prior_a_mu, prior_a_sigma) on a when set */
    double prior_a_mu, prior_a_sigma;
    int prior_c; /* beta(prior_c_alpha, prior_c_beta) on c (3PL) when set */
    double prior_c_alpha, prior_c_beta;
    /* per data item (nitems entries, borrowed): a normal prior
     * N(prior_b_mu[j], prior_b_sigma^2) on the b of a free 2PL or 3PL item (a
     * rating's b; Mislevy 1986), none where NaN or for other models; NULL: no
     * prior on b (the default). prior_b_sigma > 0 when prior_b_mu is set. */
    const double *prior_b_mu;
    double prior_b_sigma;
    const struct rf_param_table *fixed; /* items held fixed, matched by id; NULL = none */
    int collapse;                       /* collapse identical patterns when cheaper (default 1) */
    enum rf_calib_kernel kernel;        /* default RF_CALIB_AUTO (by fill) */
    int want_se;                        /* standard errors (default 1) */
    int want_fit;                       /* S-X2 item fit (default 1) */
    double newton_tol;                  /* M-step Newton stops below this step (default 1e-9) */
    int accelerate;                     /* Ramsay (1975) extrapolation from the third cycle on, as
                                           mirt does by default (default 1) */
    const enum rf_model *item_model;    /* per data item (nitems entries, borrowed): the model
                                           of each free item, 2pl, 3pl or grm (numeric entry
                                           2pl, multiple select grm, mcq its own); NULL: model
                                           for every item (the default). Not with model 1pl */
};

/* Defaults: 2PL, RF_QUAD_DEFAULT_N nodes on [RF_QUAD_DEFAULT_LO, HI], tol
 * RF_CALIB_DEFAULT_TOL, RF_CALIB_DEFAULT_MAX_ITER cycles, 1 thread, no prior
 * on a, beta(RF_CALIB_PRIOR_C_ALPHA, RF_CALIB_PRIOR_C_BETA) on c (used by the
 * 3PL only), collapsing on, automatic kernel, SEs and fit on. */
void rf_calib_opts_default(struct rf_calib_opts *o);

/* Per-item result. se_* are NaN where not available (fixed items, no SEs). */
struct rf_calib_item {
    struct rf_irt_item it;
    int fixed;
    size_t n; /* responses to the item */
    double se_a, se_c;
    double se_b[RF_MAX_CATEGORIES - 1]; /* b, or b_1.. for GRM */
    double se_d[RF_MAX_CATEGORIES - 1]; /* d, or d_1.. */
    double sx2;                         /* Orlando-Thissen S-X2; NaN when not computed */
    double sx2_p;                       /* upper-tail chi-square p; NaN when df == 0 */
    size_t sx2_df;
};

struct rf_calib_result {
    enum rf_model model; /* opts.model; per_item: the models were per item (opts.item_model) */
    int per_item;
    size_t nitems;
    char **ids;                  /* owned copies */
    struct rf_calib_item *items; /* owned */
    size_t npersons;             /* rows of the data */
    size_t npersons_empty;       /* rows with no response (ignored; warning) */
    size_t npatterns;            /* units the E-step ran over (after collapsing) */
    const char *kernel;          /* "dense-binary", "dense" or "sparse" (static) */
    size_t nquad;
    double lo, hi;
    double loglik, aic, bic;
    size_t npar; /* free parameters */
    size_t iterations;
    int converged;
    double max_change;             /* of the last cycle */
    double reliability;            /* var(EAP) / (var(EAP) + mean posterior variance) */
    double latent_mean, latent_sd; /* 0, 1 unless estimated (with fixed items) */
    int se_ok;                     /* 0: not asked, or the information matrix was singular */
    const char *fit_note;          /* why S-X2 is missing (static), or NULL */
    size_t nfixed_unused;          /* fixed-bank items absent from the data (warning) */
};

struct rf_calib;

/* Checks and prepares the data: free items get their category count from
 * the data (2 for 1PL/2PL/3PL, highest category + 1 for GRM), fixed items
 * take theirs from the table. Errors (one line, naming the item): a free
 * item with no variance or no responses, a category above what the model
 * allows, a GRM category never observed below the highest, a fixed table
 * sharing no id with the data, no free item left, no person with a
 * response, malformed CSR. Allocates every workspace; cost O(cells). */
rf_status rf_calib_new(const struct rf_calib_data *data, const struct rf_calib_opts *opts,
                       struct rf_calib **out, struct rf_err *err);

/* One EM cycle. *loglik is the marginal log-likelihood at the parameters the
 * cycle started from; *max_change the largest change of (a, d, c). */
rf_status rf_calib_step(struct rf_calib *c, double *loglik, double *max_change, struct rf_err *err);

/* 1 when the last cycle moved no parameter more than opts.tol. */
int rf_calib_converged(const struct rf_calib *c);

/* Cycles run so far. */
size_t rf_calib_iterations(const struct rf_calib *c);

/* Final E-step at the current parameters: log-likelihood, AIC, BIC,
 * reliability, standard errors (cross-product of person score vectors,
 * plus the prior curvature) and S-X2 (complete dichotomous data only).
 * res is filled and owned by the caller (rf_calib_result_cleanup). */
rf_status rf_calib_finish(struct rf_calib *c, struct rf_calib_result *res, struct rf_err *err);

void rf_calib_free(struct rf_calib *c);

/* Runs the loop: new, steps until converged or max_iter, finish. */
rf_status rf_calib_run(const struct rf_calib_data *data, const struct rf_calib_opts *opts,
                       struct rf_calib_result *res, struct rf_err *err);

void rf_calib_result_cleanup(struct rf_calib_result *res);

/* Bank-ready JSON: {"items": [{id, model, a, b, c, d | thresholds, se, n,
 * fixed, fit}], "summary": {...}}; readable by rf_params_load. */
rf_status rf_calib_result_to_json(const struct rf_calib_result *res, json_t **out);

/* CSV, one row per item: id,model,a,b,c,d,[b1..,d1..],se_a,se_b,se_c,se_d,
 * [se_b1..,se_d1..],n,sx2,df,p; unavailable values are empty cells. */
rf_status rf_calib_result_to_csv(const struct rf_calib_result *res, struct rf_buf *out);

/* Upper tail of the chi-square distribution with df degrees of freedom. */
double rf_calib_chisq_upper(double x, double df);

#endif
