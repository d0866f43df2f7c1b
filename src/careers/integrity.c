/*
 * Test-integrity signals: the rapid-guess threshold and response-time effort,
 * and the identical-wrong-answer index with its exact null distribution
 * (integrity.h; docs/integrity.md).
 */
#include <math.h>
#include <string.h>

#include "base/config.h"
#include "careers/integrity.h"

void rf_rte_rule_default(struct rf_rte_rule *r)
{
    r->fraction = RF_RTE_FRACTION;
    r->floor_ms = RF_RTE_FLOOR_MS;
    r->cap_ms = RF_RTE_CAP_MS;
    r->min_timed = RF_RTE_MIN_TIMED;
    r->flag_below = RF_RTE_FLAG;
}

/* NT10 (Wise & Ma 2012): a fraction of the item's mean time, capped; the
 * floor is the common threshold of Wise & Kong (2005), which also serves
 * items too new to have a mean of their own. */
double rf_rte_threshold(const struct rf_rte_rule *r, size_t ntimed, double mean_ms)
{
    if (ntimed < r->min_timed || !(mean_ms > 0))
        return r->floor_ms;
    double t = r->fraction * mean_ms;
    if (t > r->cap_ms)
        t = r->cap_ms;
    if (t < r->floor_ms)
        t = r->floor_ms;
    return t;
}

void rf_rte_skill(const struct rf_rte_rule *r, size_t timed, size_t rapid, double *rte, int *flag)
{
    *rte = timed ? 1.0 - (double)rapid / (double)timed : 1.0;
    *flag = timed && *rte < r->flag_below;
}

double rf_copy_match_shares(const int64_t *n, size_t nseen, size_t k)
{
    double total = k ? (double)k : 1.0, sq = 0;
    for (size_t v = 0; v < nseen; v++)
        total += (double)(n[v] > 0 ? n[v] : 0);
    for (size_t v = 0; v < nseen; v++) {
        double c = (double)(n[v] > 0 ? n[v] : 0) + (k ? 1.0 : 0.0);
        sq += c * c;
    }
    if (k > nseen)
        sq += (double)(k - nseen); /* the responses no one gave, one count each */
    return sq / (total * total);
}

/* The count of matches is a sum of independent Bernoulli(q_i): its exact
 * distribution by the usual recursion over items (the generalized binomial,
 * van der Linden & Sotaridona 2006, eq. 6), and its upper tail. */
rf_status rf_copy_index(const struct rf_copy_item *it, size_t n, struct rf_copy_result *out,
                        struct rf_err *err)
{
    if (n > RF_COPY_MAX_ITEMS)
        return rf_err_set(err, RF_ETOOBIG, "copy index: %zu common items, at most %d", n,
                          RF_COPY_MAX_ITEMS);
    double dist[RF_COPY_MAX_ITEMS + 1];
    dist[0] = 1.0;
    size_t m = 0;
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rf_copy_item *c = &it[i];
        if (!(c->pa >= 0 && c->pa <= 1 && c->pb >= 0 && c->pb <= 1 && c->match >= 0 &&
              c->match <= 1))
            return rf_err_set(err, RF_EINVAL,
                              "copy index: item %zu: probabilities must lie in [0, 1]", i + 1);
        double q = (1.0 - c->pa) * (1.0 - c->pb) * c->match;
        mean += q;
        var += q * (1.0 - q);
        m += c->same_wrong != 0;
        dist[i + 1] = 0;
        for (size_t k = i + 1; k > 0; k--)
            dist[k] = dist[k] * (1.0 - q) + dist[k - 1] * q;
        dist[0] *= 1.0 - q;
    }
    double tail = 0;
    for (size_t k = n + 1; k > m; k--)
        tail += dist[k - 1];
    memset(out, 0, sizeof *out);
    out->common = n;
    out->matches = m;
    out->expected = mean;
    out->sd = sqrt(var);
    out->z = out->sd > 0 ? ((double)m - mean) / out->sd : 0;
    out->p = tail > 1 ? 1 : tail;
    return RF_OK;
}
