/*
 * Seeded simulations of the test-integrity signals (integrity_sim.h). Every
 * person draws from their own RNG substream, so results do not depend on the
 * order of the work. Buffers are allocated once per run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/rng.h"
#include "careers/integrity_sim.h"
#include "irt/ability.h"
#include "irt/model.h"
#include "irt/quad.h"

void rf_rtsim_args_default(struct rf_rtsim_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = 21;
    a->examinees = 2000;
    a->items = 48;
    a->per_skill = 8;
    a->guessers = 0.2;
    a->guess_lo = 0.1;
    a->guess_hi = 1.0;
    a->item_median_s = 45;
    a->item_sd_log = 0.5;
    a->speed_sd = 0.35;
    a->alpha_lo = 1.5;
    a->alpha_hi = 2.5;
    a->guess_lo_s = 0.3;
    a->guess_hi_s = 3.0;
    a->latency_s = 0.25;
    rf_rte_rule_default(&a->rule);
}

static double uniform(struct rf_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rf_rng_uniform(r);
}

/* Streams: items draw from substream 0, person j from substream j + 1. */
rf_status rf_rtsim_run(const struct rf_rtsim_args *a, struct rf_rtsim_result *out,
                       struct rf_err *err)
{
    if (!a->examinees || a->examinees > 1000000 || !a->items || a->items > 10000 || !a->per_skill ||
        a->items % a->per_skill)
        return rf_err_set(err, RF_EINVAL,
                          "rt simulation: 1 to 1000000 examinees; 1 to 10000 items, a multiple "
                          "of per_skill");
    if (!(a->guessers >= 0 && a->guessers <= 1 && a->guess_lo >= 0 && a->guess_lo <= a->guess_hi &&
          a->guess_hi <= 1))
        return rf_err_set(err, RF_EINVAL, "rt simulation: guessing shares must lie in [0, 1]");
    if (!(a->item_median_s > 0 && a->alpha_lo > 0 && a->alpha_lo <= a->alpha_hi &&
          a->guess_lo_s > 0 && a->guess_lo_s <= a->guess_hi_s && a->latency_s >= 0 &&
          a->item_sd_log >= 0 && a->speed_sd >= 0))
        return rf_err_set(err, RF_EINVAL, "rt simulation: times and spreads must be positive");
    size_t n = a->examinees, m = a->items;
    double *t = calloc(n * m, sizeof *t);
    unsigned char *rapid = calloc(n * m, 1);
    double *beta = calloc(m, sizeof *beta), *alpha = calloc(m, sizeof *alpha);
    double *thr = calloc(m, sizeof *thr);
    if (!t || !rapid || !beta || !alpha || !thr) {
        free(t);
        free(rapid);
        free(beta);
        free(alpha);
        free(thr);
        return rf_err_set(err, RF_ENOMEM, "rt simulation: out of memory");
    }
    struct rf_rng r;
    rf_rng_substream(&r, a->seed, 0);
    for (size_t i = 0; i < m; i++) {
        beta[i] = log(a->item_median_s) + a->item_sd_log * rf_rng_normal(&r);
        alpha[i] = uniform(&r, a->alpha_lo, a->alpha_hi);
    }
    double lat_mu = a->latency_s > 0 ? log(a->latency_s) : 0;
    for (size_t j = 0; j < n; j++) {
        rf_rng_substream(&r, a->seed, j + 1);
        double tau = a->speed_sd * rf_rng_normal(&r);
        double guess = rf_rng_uniform(&r) < a->guessers ? uniform(&r, a->guess_lo, a->guess_hi) : 0;
        for (size_t i = 0; i < m; i++) {
            double browser;
            if (guess > 0 && rf_rng_uniform(&r) < guess) {
                rapid[j * m + i] = 1;
                browser = uniform(&r, a->guess_lo_s, a->guess_hi_s);
            } else {
                browser = exp(beta[i] - tau + rf_rng_normal(&r) / alpha[i]);
            }
            double lat = a->latency_s > 0 ? exp(lat_mu + 0.5 * rf_rng_normal(&r)) : 0;
            t[j * m + i] = 1000.0 * (browser + lat);
        }
    }
    /* thresholds from the population's mean times, as the store gives them */
    memset(out, 0, sizeof *out);
    out->threshold_min_ms = HUGE_VAL;
    for (size_t i = 0; i < m; i++) {
        double sum = 0;
        for (size_t j = 0; j < n; j++)
            sum += t[j * m + i];
        thr[i] = rf_rte_threshold(&a->rule, n, sum / (double)n);
        out->threshold_mean_ms += thr[i] / (double)m;
        out->threshold_min_ms = fmin(out->threshold_min_ms, thr[i]);
        out->threshold_max_ms = fmax(out->threshold_max_ms, thr[i]);
    }
    size_t k = a->per_skill;
    for (size_t j = 0; j < n; j++) {
        for (size_t s0 = 0; s0 < m; s0 += k) {
            size_t truly = 0, flagged = 0;
            for (size_t i = s0; i < s0 + k; i++) {
                int f = t[j * m + i] < thr[i], g = rapid[j * m + i];
                truly += (size_t)g;
                flagged += (size_t)f;
                if (g) {
                    out->rapid++;
                    out->rapid_flagged += (size_t)f;
                } else {
                    out->effortful++;
                    out->effortful_flagged += (size_t)f;
                }
            }
            double rte_true, rte;
            int truth, flag;
            rf_rte_skill(&a->rule, k, truly, &rte_true, &truth);
            rf_rte_skill(&a->rule, k, flagged, &rte, &flag);
            if (truth) {
                out->skills_guessed++;
                out->skills_guessed_flagged += (size_t)flag;
            } else if (!truly) {
                out->skills_clean++;
                out->skills_clean_flagged += (size_t)flag;
            }
        }
    }
    out->sensitivity = out->rapid ? (double)out->rapid_flagged / (double)out->rapid : 0;
    out->false_flags = out->effortful ? (double)out->effortful_flagged / (double)out->effortful : 0;
    out->skill_sensitivity =
        out->skills_guessed ? (double)out->skills_guessed_flagged / (double)out->skills_guessed : 0;
    out->skill_false_flags =
        out->skills_clean ? (double)out->skills_clean_flagged / (double)out->skills_clean : 0;
    free(t);
    free(rapid);
    free(beta);
    free(alpha);
    free(thr);
    return RF_OK;
}

void rf_copysim_args_default(struct rf_copysim_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = 21;
    a->items = 30;
    a->noptions = 4;
    a->reference = 2000;
    a->pairs = 2000;
    a->copy_share = 0.3;
    a->alpha = 0.001;
}

/* The items of a copying simulation: 3PL parameters, keys and the
 * distractors' attractiveness (a flat Dirichlet, as exponential draws). */
struct copyitems {
    struct rf_irt_item *irt;
    int *key;
    double *attract; /* items x noptions, 0 for the key, rows sum to 1 */
};

/* One person's answers: options chosen (resp) and right/wrong (score). */
static void answer_all(const struct rf_copysim_args *a, const struct copyitems *ci, double theta,
                       struct rf_rng *r, int *opt, int *score)
{
    size_t no = a->noptions;
    for (size_t i = 0; i < a->items; i++) {
        if (rf_rng_uniform(r) < rf_irt_prob(&ci->irt[i], theta, 1)) {
            opt[i] = ci->key[i];
            score[i] = 1;
            continue;
        }
        double u = rf_rng_uniform(r), acc = 0;
        int k = -1;
        for (size_t o = 0; o < no; o++) {
            if ((int)o == ci->key[i])
                continue;
            k = (int)o;
            acc += ci->attract[i * no + o];
            if (u < acc)
                break;
        }
        opt[i] = k;
        score[i] = 0;
    }
}

/* The index of a pair from their answers and EAP abilities. */
static rf_status pair_index(const struct rf_copysim_args *a, const struct copyitems *ci,
                            const double *match, struct rf_scorer *sc, const int *oa, const int *sa,
                            const int *ob, const int *sb, struct rf_copy_item *w,
                            struct rf_copy_result *res, struct rf_err *err)
{
    struct rf_ability ta, tb;
    rf_status rc = rf_scorer_estimate(sc, sa, RF_EST_EAP, &ta, err);
    if (!rc)
        rc = rf_scorer_estimate(sc, sb, RF_EST_EAP, &tb, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < a->items; i++) {
        w[i].pa = rf_irt_prob(&ci->irt[i], ta.theta, 1);
        w[i].pb = rf_irt_prob(&ci->irt[i], tb.theta, 1);
        w[i].match = match[i];
        w[i].same_wrong = !sa[i] && !sb[i] && oa[i] == ob[i];
    }
    return rf_copy_index(w, a->items, res, err);
}

rf_status rf_copysim_run(const struct rf_copysim_args *a, struct rf_copysim_result *out,
                         struct rf_err *err)
{
    if (!a->items || a->items > RF_COPY_MAX_ITEMS || a->noptions < 3 ||
        a->noptions > RF_BANK_MAX_OPTIONS || !a->pairs || !a->reference)
        return rf_err_set(err, RF_EINVAL,
                          "copy simulation: items 1..%d, options 3..%d, pairs and reference > 0",
                          RF_COPY_MAX_ITEMS, RF_BANK_MAX_OPTIONS);
    if (!(a->copy_share >= 0 && a->copy_share <= 1 && a->alpha > 0 && a->alpha < 1))
        return rf_err_set(err, RF_EINVAL, "copy simulation: copy share in [0, 1], alpha in (0, 1)");
    size_t m = a->items, no = a->noptions;
    struct copyitems ci = {calloc(m, sizeof *ci.irt), calloc(m, sizeof *ci.key),
                           calloc(m * no, sizeof *ci.attract)};
    int64_t *wrong = calloc(m * no, sizeof *wrong);
    double *match = calloc(m, sizeof *match);
    int *buf = calloc(4 * m, sizeof *buf);
    struct rf_copy_item *w = calloc(m, sizeof *w);
    struct rf_scorer *sc = NULL;
    struct rf_quad q;
    memset(&q, 0, sizeof q);
    rf_status rc = RF_OK;
    if (!ci.irt || !ci.key || !ci.attract || !wrong || !match || !buf || !w) {
        rc = rf_err_set(err, RF_ENOMEM, "copy simulation: out of memory");
        goto out;
    }
    struct rf_rng r;
    rf_rng_substream(&r, a->seed, 0);
    for (size_t i = 0; i < m; i++) {
        rf_irt_item_dich(&ci.irt[i], RF_MODEL_3PL, 1.0, uniform(&r, -2.0, 2.5), 1.0 / (double)no);
        ci.key[i] = (int)rf_rng_below(&r, no);
        double sum = 0;
        for (size_t o = 0; o < no; o++) {
            double g = (int)o == ci.key[i] ? 0 : -log(1.0 - rf_rng_uniform(&r));
            ci.attract[i * no + o] = g;
            sum += g;
        }
        for (size_t o = 0; o < no; o++)
            ci.attract[i * no + o] /= sum;
    }
    int *oa = buf, *sa = buf + m, *ob = buf + 2 * m, *sb = buf + 3 * m;
    /* the reference population's wrong answers give each item's option shares */
    for (size_t j = 0; j < a->reference; j++) {
        rf_rng_substream(&r, a->seed, 1 + j);
        answer_all(a, &ci, rf_rng_normal(&r), &r, oa, sa);
        for (size_t i = 0; i < m; i++)
            if (!sa[i])
                wrong[i * no + (size_t)oa[i]]++;
    }
    for (size_t i = 0; i < m; i++) {
        int64_t wc[RF_BANK_MAX_OPTIONS];
        size_t nw = 0;
        for (size_t o = 0; o < no; o++)
            if ((int)o != ci.key[i])
                wc[nw++] = wrong[i * no + o];
        match[i] = rf_copy_match_shares(wc, nw, nw);
    }
    if ((rc = rf_quad_init_default(&q, err)) || (rc = rf_scorer_new(ci.irt, m, &q, &sc, err)))
        goto out;
    memset(out, 0, sizeof *out);
    out->pairs = a->pairs;
    size_t nflag = 0, cflag = 0;
    double zs = 0, zss = 0, cz = 0;
    for (size_t p = 0; p < a->pairs && !rc; p++) {
        struct rf_copy_result res;
        /* an independent pair */
        rf_rng_substream(&r, a->seed, 1 + a->reference + 2 * p);
        answer_all(a, &ci, rf_rng_normal(&r), &r, oa, sa);
        answer_all(a, &ci, rf_rng_normal(&r), &r, ob, sb);
        if ((rc = pair_index(a, &ci, match, sc, oa, sa, ob, sb, w, &res, err)))
            break;
        nflag += res.p < a->alpha;
        zs += res.z;
        zss += res.z * res.z;
        /* a copying pair: b takes a's option on a share of the items */
        rf_rng_substream(&r, a->seed, 2 + a->reference + 2 * p);
        answer_all(a, &ci, rf_rng_normal(&r), &r, oa, sa);
        answer_all(a, &ci, rf_rng_normal(&r), &r, ob, sb);
        for (size_t i = 0; i < m; i++) {
            if (rf_rng_uniform(&r) < a->copy_share) {
                ob[i] = oa[i];
                sb[i] = sa[i];
            }
        }
        if ((rc = pair_index(a, &ci, match, sc, oa, sa, ob, sb, w, &res, err)))
            break;
        cflag += res.p < a->alpha;
        cz += res.z;
    }
    if (!rc) {
        double np = (double)a->pairs;
        out->null_rate = (double)nflag / np;
        out->null_mean_z = zs / np;
        out->null_sd_z = sqrt(fmax(0, zss / np - out->null_mean_z * out->null_mean_z));
        out->power = (double)cflag / np;
        out->copy_mean_z = cz / np;
    }
out:
    rf_scorer_free(sc);
    rf_quad_cleanup(&q);
    free(ci.irt);
    free(ci.key);
    free(ci.attract);
    free(wrong);
    free(match);
    free(buf);
    free(w);
    return rc;
}
