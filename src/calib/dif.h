/*
 * Differential item functioning (DIF): does an item favour one group over
 * another among people of the same ability? Two methods, both per item and
 * per pair of groups (a reference group and a focal group):
 *
 * - Mantel-Haenszel (Holland & Thayer 1988). People are matched into strata
 *   (total score, rest score, or equal-count strata of theta); in stratum k,
 *   A_k/B_k are the reference group's right/wrong counts and C_k/D_k the
 *   focal group's, T_k their sum. alpha_MH = sum(A_k D_k / T_k) /
 *   sum(B_k C_k / T_k), the common odds ratio (> 1: the item favours the
 *   reference group). MH D-DIF = -2.35 ln alpha_MH on the ETS delta scale
 *   (negative: against the focal group), its variance from the
 *   Robins-Breslow-Greenland (1986) estimator of var(ln alpha_MH) (Phillips &
 *   Holland 1987). The MH chi-square, with the continuity correction,
 *   (|sum A_k - sum E(A_k)| - 1/2)^2 / sum var(A_k), E(A_k) = n_Rk m_1k / T_k,
 *   var(A_k) = n_Rk n_Fk m_1k m_0k / (T_k^2 (T_k - 1)), tests D = 0.
 *   ETS classes (Zwick 2012): C when |D| >= 1.5 and |D| is significantly
 *   above 1 ((|D| - 1) / SE > z_{1-alpha}, one-sided); otherwise B when the
 *   chi-square is significant at alpha and |D| >= 1; otherwise A.
 * - Logistic regression (Swaminathan & Rogers 1990). With X the matching
 *   variable and G the group (0 reference, 1 focal), three nested models of
 *   P(right): M0 = b0 + b1 X, M1 = M0 + b2 G, M2 = M1 + b3 X G, fitted by
 *   Newton-Raphson. Likelihood-ratio tests: M1 vs M0 (uniform DIF, 1 df), M2
 *   vs M1 (non-uniform, 1 df), M2 vs M0 (either, 2 df). Effect size: the
 *   rise of Nagelkerke's R^2 from M0 to M2, classed (Jodoin & Gierl 2001)
 *   negligible (A) below 0.035, moderate (B) below 0.070, large (C) above,
 *   B and C only when the 2-df test is significant.
 *
 * Nothing is shown for an item until each group has min_group answers to it.
 * Dichotomous items only (cells 0/1).
 */
#ifndef RF_CALIB_DIF_H
#define RF_CALIB_DIF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* One 2x2 table of the Mantel-Haenszel procedure. */
struct rf_mh_stratum {
    double a, b; /* reference group: right, wrong */
    double c, d; /* focal group: right, wrong */
};

struct rf_mh_result {
    double alpha_mh; /* common odds ratio; NaN when no stratum has both groups and both answers */
    double d_dif;    /* -2.35 ln alpha_mh */
    double se_d;     /* 2.35 sqrt(var ln alpha_mh), RBG */
    double chi2, p;  /* MH chi-square with continuity correction, upper-tail p (1 df) */
    char ets;        /* 'A', 'B' or 'C'; '-' when alpha_mh is not defined */
};

/* The ETS class of an MH D-DIF d with standard error se and MH chi-square
 * p-value p at level alpha: 'C', 'B' or 'A' (rules above); '-' for a NaN d. */
char rf_dif_ets_class(double d, double se, double p, double alpha);

/* Mantel-Haenszel over n strata. alpha: the significance level of the ETS
 * rules (0.05). Strata with fewer than 2 people, or with one group only,
 * carry no information and are skipped. Cost O(n). */
void rf_dif_mh(const struct rf_mh_stratum *s, size_t n, double alpha, struct rf_mh_result *out);

struct rf_lr_result {
    int converged;       /* 0: a model did not converge (separation); the rest is NaN */
    double chi2_uniform; /* M1 vs M0, 1 df */
    double p_uniform;
    double chi2_nonuniform; /* M2 vs M1, 1 df */
    double p_nonuniform;
    double chi2_total; /* M2 vs M0, 2 df */
    double p_total;
    double r2_delta;   /* Nagelkerke R^2 of M2 minus that of M0 */
    double beta_group; /* b2 of M1: focal minus reference log-odds at equal X */
    double se_beta;    /* its Wald SE */
    char effect;       /* Jodoin-Gierl class 'A', 'B' or 'C'; '-' when not converged */
};

/* Logistic-regression DIF over n people: x the matching variable, y the
 * answer (0/1), g the group (0 reference, 1 focal). alpha: level of the 2-df
 * test in the effect class. Cost O(n) per Newton step, a few dozen steps. */
void rf_dif_logistic(const double *x, const unsigned char *y, const unsigned char *g, size_t n,
                     double alpha, struct rf_lr_result *out);

enum rf_dif_match {
    RF_DIF_MATCH_TOTAL = 0, /* total score, the studied item included (Holland & Thayer) */
    RF_DIF_MATCH_REST,      /* total score without the studied item */
    RF_DIF_MATCH_THETA      /* theta: strata of equal count among the item's answerers */
};

/* A dense response matrix with each person's group and, for theta matching,
 * theta. All borrowed. */
struct rf_dif_data {
    size_t npersons, nitems;
    const char *const *item_ids;   /* nitems, for messages */
    const char *const *person_ids; /* npersons, for messages; NULL: row numbers */
    const signed char *x;          /* npersons x nitems: 0, 1 or RF_RESP_MISSING (-1) */
    const signed char *group;      /* npersons: 0 reference, 1 focal, -1 not in the comparison */
    const double *theta;           /* npersons, NaN for none; needed by RF_DIF_MATCH_THETA */
};

struct rf_dif_opts {
    enum rf_dif_match match;
    size_t strata;    /* theta strata (default RF_DIF_STRATA) */
    size_t min_group; /* answers needed in each group (default RF_DIF_MIN_GROUP) */
    double alpha;     /* 0.05 */
    int logistic;     /* run logistic regression too (default 1) */
};
void rf_dif_opts_default(struct rf_dif_opts *o);

struct rf_dif_item {
    size_t n_ref, n_focal; /* answers in each group (kept even when not shown; never print them
                              for a hidden item) */
    int shown;             /* both groups reached min_group */
    struct rf_mh_result mh;
    struct rf_lr_result lr;
};

/* DIF of every item (out: nitems entries). Total and rest matching need
 * every person of the comparison to have answered every item: a missing
 * cell is refused (RF_EINVAL, naming the person and the item); theta
 * matching leaves out people without a theta. Errors: RF_EINVAL (a cell
 * other than 0, 1 or missing; no strata; theta matching without theta),
 * RF_ENOMEM. Cost O(persons x items) plus the regressions. */
rf_status rf_dif_run(const struct rf_dif_data *d, const struct rf_dif_opts *o,
                     struct rf_dif_item *out, struct rf_err *err);

/* Output (calib/fairness_out.c). JSON of one item: {"id", "shown": true,
 * "n_reference", "n_focal", "mh": {alpha, d_dif, se, chi2, p, class},
 * "logistic": {...}} or, below the minimum group size, {"id", "shown":
 * false, "reason"} and nothing else. NULL on allocation failure. */
json_t *rf_dif_item_json(const char *id, const struct rf_dif_item *it, const struct rf_dif_opts *o);

/* The CSV header, and one row (by, reference, focal, the item), the figures
 * of a hidden item left empty. RF_ETOOBIG at the buffer's cap. */
rf_status rf_dif_csv_header(struct rf_buf *b);
rf_status rf_dif_item_csv(struct rf_buf *b, const char *by, const char *reference,
                          const char *focal, const char *id, const struct rf_dif_item *it);

/* Seeded simulation of the detection rates (docs/fairness.md). Each
 * replication draws a 2PL form of nitems items, a ~ U(0.8, 2.0), b ~ N(0, 1),
 * except the first item, whose slope is dif_slope, whose difficulty is dif_b
 * (NaN: drawn like the others) and dif higher for the focal group (uniform DIF: the focal group's
 * log-odds are dif_slope x dif lower at every theta); persons per group, theta ~ N(0, 1) in the
 * reference group and N(impact, 1) in the focal group; then the DIF analysis with opts. Replication
 * r uses the seed's substream r, so results do not depend on order. */
struct rf_dif_sim_opts {
    size_t replications, persons, nitems;
    double dif, dif_slope, dif_b, impact;
    uint64_t seed;
    struct rf_dif_opts dif_opts;
};

struct rf_dif_sim_result {
    size_t replications;
    double dif_c, dif_bc;   /* share of replications the DIF item is class C, B or C (MH) */
    double dif_lr;          /* share its logistic 2-df test is significant */
    double null_c, null_bc; /* the same over the items without DIF (replications x items) */
    double null_lr;
    double mean_d_dif;  /* mean MH D-DIF of the DIF item */
    double mean_d_null; /* mean MH D-DIF of the others */
};

rf_status rf_dif_simulate(const struct rf_dif_sim_opts *o, struct rf_dif_sim_result *res,
                          struct rf_err *err);

#endif
