/*
 * Rubric criteria as graded response items with a rater severity, and the
 * scorecards' evidence joined to a profile (interview/rater.h).
 */
#include "interview/rater.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "careers/data.h"
#include "irt/hier.h"

void rf_iv_bank_cleanup(struct rf_iv_bank *b)
{
    for (size_t i = 0; b->ids && i < b->ncrit; i++)
        free(b->ids[i]);
    for (size_t i = 0; b->rubric_ids && i < b->nrubrics; i++)
        free(b->rubric_ids[i]);
    free(b->ids);
    free(b->rubric_ids);
    free(b->crit);
    free(b->first);
    memset(b, 0, sizeof *b);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s.%s", a, b);
    return s;
}

/* Where level l (0 novice .. RF_NLEVELS-1 expert, or beyond on either side)
 * of skill sk starts: its cut, extrapolated past the ends by the nearest
 * band. */
static double level_start(const struct rf_skill *sk, int l)
{
    const double *c = sk->cuts;
    if (l < 1)
        return c[0] - (double)(1 - l) * (c[1] - c[0]);
    if (l > RF_NLEVELS - 1)
        return c[RF_NLEVELS - 2] +
               (double)(l - (RF_NLEVELS - 1)) * (c[RF_NLEVELS - 2] - c[RF_NLEVELS - 3]);
    return c[l - 1];
}

double rf_iv_bar(const struct rf_taxonomy *tax, const struct rf_role *role, size_t skill)
{
    if (!role || !tax || skill >= tax->nskills)
        return 0;
    for (size_t i = 0; i < role->nreqs; i++)
        if (role->reqs[i].skill == skill)
            return level_start(&tax->skills[skill], (int)role->reqs[i].level) -
                   level_start(&tax->skills[skill], RF_IV_BAR_LEVEL);
    return 0;
}

/* The default thresholds of a criterion on skill sk (NULL: none known) of an
 * ncat-point scale (rater.h). */
static void default_thresholds(const struct rf_skill *sk, size_t ncat, double *thr)
{
    int meets = ncat >= 3 ? (int)ncat - 3 : 0; /* the threshold of "meets the bar" */
    for (size_t k = 0; k + 1 < ncat; k++)
        thr[k] = sk ? level_start(sk, RF_IV_BAR_LEVEL + (int)k - meets)
                    : RF_IV_DEFAULT_STEP * ((double)k - (double)meets);
}

/* Adds rubric id with its criteria cr[0..n-1] at position u of b (tax names
 * the criteria's skills; may be NULL). */
static rf_status add_rubric(struct rf_iv_bank *b, size_t u, const char *id,
                            const struct rf_kit_criterion *cr, size_t n, size_t ncat,
                            const struct rf_taxonomy *tax, struct rf_err *err)
{
    double thr[RF_MAX_CATEGORIES - 1];
    if (!(b->rubric_ids[u] = rf_strdup(id)))
        return rf_err_set(err, RF_ENOMEM, "interview bank: out of memory");
    b->nrubrics = u + 1;
    b->first[u] = b->ncrit;
    for (size_t i = 0; i < n; i++) {
        struct rf_iv_crit *c = &b->crit[b->ncrit];
        if (!(b->ids[b->ncrit] = join(id, cr[i].id)))
            return rf_err_set(err, RF_ENOMEM, "interview bank: out of memory");
        c->skill = cr[i].skill;
        c->rubric = u;
        default_thresholds(tax && cr[i].skill < tax->nskills ? &tax->skills[cr[i].skill] : NULL,
                           ncat, thr);
        rf_irt_item_grm(&c->it, RF_IV_DEFAULT_A, thr, ncat);
        b->ncrit++;
    }
    b->first[u + 1] = b->ncrit;
    return RF_OK;
}

rf_status rf_iv_bank_from_kits(const struct rf_kits *k, struct rf_iv_bank *out, struct rf_err *err)
{
    int points = k->max - k->min + 1;
    if (points < 2 || points > RF_MAX_CATEGORIES)
        return rf_err_set(err, RF_EINVAL, "interview bank: a scale of %d points (2..%d)", points,
                          RF_MAX_CATEGORIES);
    size_t ncat = (size_t)points, total = 0;
    for (size_t i = 0; i < k->nrounds; i++)
        total += k->rounds[i].ncriteria;
    for (size_t i = 0; i < k->ntake_homes; i++)
        total += k->take_homes[i].ncriteria;
    struct rf_iv_bank b = {0};
    size_t nr = k->nrounds + k->ntake_homes;
    const struct rf_taxonomy *tax = k->careers ? &k->careers->tax : NULL;
    b.crit = rf_calloc_array(total ? total : 1, sizeof *b.crit);
    b.ids = rf_calloc_array(total ? total : 1, sizeof *b.ids);
    b.rubric_ids = rf_calloc_array(nr ? nr : 1, sizeof *b.rubric_ids);
    b.first = rf_calloc_array(nr + 1, sizeof *b.first);
    rf_status rc = b.crit && b.ids && b.rubric_ids && b.first
                       ? RF_OK
                       : rf_err_set(err, RF_ENOMEM, "interview bank: out of memory");
    for (size_t i = 0; !rc && i < k->nrounds; i++)
        rc = add_rubric(&b, i, k->rounds[i].id, k->rounds[i].rubric, k->rounds[i].ncriteria, ncat,
                        tax, err);
    for (size_t i = 0; !rc && i < k->ntake_homes; i++)
        rc = add_rubric(&b, k->nrounds + i, k->take_homes[i].id, k->take_homes[i].rubric,
                        k->take_homes[i].ncriteria, ncat, tax, err);
    if (rc) {
        rf_iv_bank_cleanup(&b);
        return rc;
    }
    *out = b;
    return RF_OK;
}

size_t rf_iv_bank_find(const struct rf_iv_bank *b, const char *id)
{
    for (size_t i = 0; i < b->ncrit; i++)
        if (strcmp(b->ids[i], id) == 0)
            return i;
    return (size_t)-1;
}

size_t rf_iv_bank_rubric(const struct rf_iv_bank *b, const char *id)
{
    for (size_t i = 0; i < b->nrubrics; i++)
        if (strcmp(b->rubric_ids[i], id) == 0)
            return i;
    return (size_t)-1;
}

double rf_iv_prob(const struct rf_iv_crit *c, double theta, double sev, size_t k)
{
    return rf_irt_prob(&c->it, theta - sev, k);
}

void rf_iv_loglik_add(const struct rf_iv_crit *crit, const double *sev,
                      const struct rf_iv_rating *r, size_t m, size_t skill, const double *x,
                      size_t n, double *ll)
{
    for (size_t i = 0; i < m; i++) {
        const struct rf_iv_crit *c = &crit[r[i].crit];
        if (c->skill != skill)
            continue;
        for (size_t q = 0; q < n; q++)
            ll[q] += rf_irt_logprob(&c->it, x[q] - sev[r[i].rater] - r[i].bar, r[i].score);
    }
}

rf_status rf_iv_check(const struct rf_iv_crit *crit, size_t ncrit, size_t nraters,
                      const struct rf_iv_rating *r, size_t m, struct rf_err *err)
{
    for (size_t i = 0; i < m; i++) {
        if (r[i].crit >= ncrit)
            return rf_err_set(err, RF_EINVAL,
                              "ratings[%zu]: field 'criterion': %zu is not one of %zu", i,
                              r[i].crit, ncrit);
        if (r[i].rater >= nraters)
            return rf_err_set(err, RF_EINVAL, "ratings[%zu]: field 'rater': %zu is not one of %zu",
                              i, r[i].rater, nraters);
        if (r[i].score >= crit[r[i].crit].it.ncat)
            return rf_err_set(err, RF_EINVAL, "ratings[%zu]: field 'score': %zu is outside 0..%zu",
                              i, r[i].score, crit[r[i].crit].it.ncat - 1);
    }
    return RF_OK;
}

/* The evidence profile: per skill the ratings touch, its log-likelihood, the
 * posterior under N(0, 1) (what rf_profile_add_posterior needs), and a model
 * over those skills with the default loading, so that skills p lacks join p's
 * model. */
static rf_status evidence(struct rf_profile *ev, const struct rf_profile *p,
                          const struct rf_taxonomy *tax, const struct rf_iv_bank *b,
                          const double *sev, const struct rf_iv_rating *r, size_t m,
                          struct rf_err *err)
{
    double x[RF_QUAD_MAX_N], ll[RF_QUAD_MAX_N], post[RF_QUAD_MAX_N];
    const char *ids[RF_HIER_MAX_SKILLS];
    size_t nids = 0;
    rf_status rc = rf_profile_init(ev, p->lo, p->hi, p->n, err);
    if (rc)
        return rc;
    for (size_t q = 0; q < p->n; q++)
        x[q] = rf_profile_node(p, q);
    for (size_t s = 0; s < tax->nskills && !rc; s++) {
        size_t items = 0;
        for (size_t i = 0; i < m; i++)
            items += b->crit[r[i].crit].skill == s;
        if (!items)
            continue;
        if (nids == RF_HIER_MAX_SKILLS)
            return rf_err_set(err, RF_ETOOBIG, "interviews: more than %d skills",
                              RF_HIER_MAX_SKILLS);
        memset(ll, 0, p->n * sizeof *ll);
        rf_iv_loglik_add(b->crit, sev, r, m, s, x, p->n, ll);
        double mx = -HUGE_VAL;
        for (size_t q = 0; q < p->n; q++)
            if (ll[q] - 0.5 * x[q] * x[q] > mx)
                mx = ll[q] - 0.5 * x[q] * x[q];
        for (size_t q = 0; q < p->n; q++)
            post[q] = exp(ll[q] - 0.5 * x[q] * x[q] - mx);
        size_t idx;
        if (!(rc = rf_profile_add_posterior(ev, tax->skills[s].id, items, post, &idx, err)))
            rc = rf_profile_set_loglik(ev, idx, ll, err);
        ids[nids++] = tax->skills[s].id;
    }
    if (!rc && nids) {
        struct rf_hier_spec sp;
        rf_hier_spec_init(&sp, nids, RF_HIER_DEFAULT_LAMBDA);
        rc = rf_profile_set_model(ev, ids, nids, &sp, 1, err);
    }
    return rc;
}

rf_status rf_iv_combine(struct rf_profile *p, const struct rf_taxonomy *tax,
                        const struct rf_iv_bank *b, const double *sev, size_t nraters,
                        const struct rf_iv_rating *r, size_t m, struct rf_err *err)
{
    rf_status rc = rf_iv_check(b->crit, b->ncrit, nraters, r, m, err);
    if (rc || m == 0)
        return rc;
    for (size_t i = 0; i < m; i++)
        if (b->crit[r[i].crit].skill >= tax->nskills)
            return rf_err_set(err, RF_EINVAL, "ratings[%zu]: criterion '%s' names no skill", i,
                              b->ids[r[i].crit]);
    struct rf_profile ev = {0};
    if (!(rc = evidence(&ev, p, tax, b, sev, r, m, err)) && !p->model)
        rc = rf_profile_derive_loglik(p, err);
    if (!rc)
        rc = rf_profile_combine(p, &ev, err);
    rf_profile_cleanup(&ev);
    return rc;
}
