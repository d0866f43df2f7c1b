/*
 * The higher-order model and mixture priors (see hier.h for the arithmetic).
 * Invariants of a state between calls:
 *   - L[k * nq + q] is skill k's likelihood divided by e^{ls[k]}, with its
 *     largest value 1 (1 everywhere before any evidence); values below TINY
 *     are flushed to zero so that products stay out of subnormal numbers;
 *   - logz[(c * ns + k) * ng + h] = log sum_q L_k(x_q) K_ck(h, q), kept up to
 *     date by every update of skill k;
 *   - W (the joint posterior over component and g node) and cw (component
 *     weights) are valid only while dirty == 0; queries recompute them.
 */
#include "irt/hier.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Likelihood values below this (relative to the largest, 1) are flushed to
 * zero; the same threshold as the adaptive engine's posterior (cat/session.c). */
#define TINY 1e-280

/* Joint weights W(c, h) below this (they sum to 1) are skipped by the
 * marginal and tail sums: their share of any probability is below it. */
#define WSKIP 1e-16

struct rf_hier {
    struct rf_hier_spec spec;
    struct rf_quad q;
    size_t nq, ng, nk;
    double step;               /* theta grid spacing */
    double gx[RF_HIER_G_N];    /* g nodes */
    double glogw[RF_HIER_G_N]; /* log of the g grid's N(0, 1) weights */
    double logpi[RF_HIER_MAX_COMPONENTS];
    size_t kidx[RF_HIER_MAX_COMPONENTS][RF_HIER_MAX_SKILLS];
    double *kern; /* [nk][ng][nq], each row sums to 1 */
    /* The same tables transposed, [nk][nq][ngp], g nodes padded with zeros
     * to ngp (a multiple of 4): update_row sums four g nodes a step. */
    double *kernt;
    size_t ngp;
    /* Models of rf_hier_new_cached: the holders (the thread's cache and
     * every caller that got it); 0 for a model of rf_hier_new. */
    size_t refs;
    struct rf_hier_spec given; /* the spec as given (weights not normalized) */
};

struct rf_hier_state {
    const struct rf_hier *h;
    double *L;    /* [ns][nq] */
    double *ls;   /* [ns] */
    unsigned char *ev;
    double *logz; /* [nc][ns][ng] */
    double *ez;   /* [nc][ns][ng] exp(logz), kept with it: the readers divide by it */
    double *W;    /* [nc][ng] */
    double *acc;  /* [nc][ng] workspace of the tails */
    double *work; /* [nq] */
    double cw[RF_HIER_MAX_COMPONENTS];
    int dirty;
};

void rf_hier_spec_init(struct rf_hier_spec *s, size_t nskills, double lambda)
{
    memset(s, 0, sizeof *s);
    s->nskills = nskills > RF_HIER_MAX_SKILLS ? RF_HIER_MAX_SKILLS : nskills;
    for (size_t k = 0; k < s->nskills; k++)
        s->lambda[k] = lambda;
    s->ncomp = 1;
    s->comp[0].weight = 1.0;
    for (size_t k = 0; k < RF_HIER_MAX_SKILLS; k++)
        s->comp[0].tau[k] = 1.0;
}

static rf_status check_comp(const struct rf_hier_comp *c, size_t ns, size_t ci,
                            struct rf_err *err)
{
    if (!(isfinite(c->weight) && c->weight > 0))
        return rf_err_set(err, RF_EINVAL, "prior component %zu: weight must be a number > 0", ci);
    for (size_t k = 0; k < ns; k++)
        if (!(fabs(c->mu[k]) <= RF_HIER_MAX_MU) ||
            !(c->tau[k] >= RF_HIER_MIN_TAU && c->tau[k] <= RF_HIER_MAX_TAU))
            return rf_err_set(err, RF_EINVAL,
                              "prior component %zu, skill %zu: expected a centre within +-%g and "
                              "a scale of %g to %g",
                              ci, k, RF_HIER_MAX_MU, RF_HIER_MIN_TAU, RF_HIER_MAX_TAU);
    return RF_OK;
}

rf_status rf_hier_spec_add(struct rf_hier_spec *s, double weight, const double *mu,
                           const double *tau, struct rf_err *err)
{
    if (s->ncomp >= RF_HIER_MAX_COMPONENTS)
        return rf_err_set(err, RF_ETOOBIG, "prior: more than %d components",
                          RF_HIER_MAX_COMPONENTS);
    struct rf_hier_comp c;
    memset(&c, 0, sizeof c);
    c.weight = weight;
    for (size_t k = 0; k < RF_HIER_MAX_SKILLS; k++)
        c.tau[k] = 1.0;
    memcpy(c.mu, mu, s->nskills * sizeof *mu);
    memcpy(c.tau, tau, s->nskills * sizeof *tau);
    rf_status rc = check_comp(&c, s->nskills, s->ncomp, err);
    if (rc)
        return rc;
    s->comp[s->ncomp++] = c;
    return RF_OK;
}

rf_status rf_hier_spec_check(const struct rf_hier_spec *s, struct rf_err *err)
{
    if (s->nskills == 0 || s->nskills > RF_HIER_MAX_SKILLS)
        return rf_err_set(err, RF_EINVAL, "prior: expected 1 to %d skills, got %zu",
                          RF_HIER_MAX_SKILLS, s->nskills);
    if (s->ncomp == 0 || s->ncomp > RF_HIER_MAX_COMPONENTS)
        return rf_err_set(err, RF_EINVAL, "prior: expected 1 to %d components, got %zu",
                          RF_HIER_MAX_COMPONENTS, s->ncomp);
    for (size_t k = 0; k < s->nskills; k++)
        if (!(s->lambda[k] >= 0 && s->lambda[k] <= RF_HIER_MAX_LAMBDA))
            return rf_err_set(err, RF_EINVAL, "prior: skill %zu: loading must be 0 to %g", k,
                              RF_HIER_MAX_LAMBDA);
    for (size_t c = 0; c < s->ncomp; c++) {
        rf_status rc = check_comp(&s->comp[c], s->nskills, c, err);
        if (rc)
            return rc;
    }
    return RF_OK;
}

void rf_hier_free(struct rf_hier *h)
{
    if (!h || (h->refs > 0 && --h->refs > 0))
        return;
    rf_quad_cleanup(&h->q);
    free(h->kern);
    free(h->kernt);
    free(h);
}

/* Row h of a kernel: N(mu + tau lambda g, tau^2 (1 - lambda^2)) at the grid
 * nodes, normalized over the grid. Computed as rf_quad_init_even computes
 * its weights, so that (0, 1, 0) gives the N(0, 1) grid weights exactly. */
static void kernel_row(const struct rf_quad *q, double mu, double tau, double lambda, double g,
                       double *row)
{
    double m = mu + tau * lambda * g, sd = tau * sqrt(1.0 - lambda * lambda);
    double mx = -HUGE_VAL, s = 0;
    for (size_t i = 0; i < q->n; i++) {
        double z = (q->x[i] - m) / sd;
        row[i] = -0.5 * z * z;
        if (row[i] > mx)
            mx = row[i];
    }
    for (size_t i = 0; i < q->n; i++)
        row[i] = exp(row[i] - mx);
    for (size_t i = 0; i < q->n; i++)
        s += row[i];
    for (size_t i = 0; i < q->n; i++)
        row[i] /= s;
}

rf_status rf_hier_new(const struct rf_hier_spec *spec, const struct rf_quad *q,
                      struct rf_hier **out, struct rf_err *err)
{
    rf_status rc = rf_hier_spec_check(spec, err);
    if (rc)
        return rc;
    if (q->n < 2)
        return rf_err_set(err, RF_EINVAL, "prior: the theta grid needs 2 nodes or more");
    struct rf_hier *h = calloc(1, sizeof *h);
    if (!h)
        return rf_err_set(err, RF_ENOMEM, "prior: out of memory");
    h->spec = *spec;
    h->given = *spec;
    h->nq = q->n;
    h->ng = RF_HIER_G_N;
    h->step = (q->x[q->n - 1] - q->x[0]) / (double)(q->n - 1);
    struct rf_quad g;
    rc = rf_quad_init_even(&h->q, q->n, q->x[0], q->x[q->n - 1], 0.0, 1.0, err);
    if (!rc)
        rc = rf_quad_init_even(&g, RF_HIER_G_N, -RF_HIER_G_LIM, RF_HIER_G_LIM, 0.0, 1.0, err);
    if (rc) {
        rf_hier_free(h);
        return rc;
    }
    memcpy(h->q.x, q->x, q->n * sizeof *q->x); /* the caller's nodes, bit for bit */
    memcpy(h->gx, g.x, sizeof h->gx);
    memcpy(h->glogw, g.logw, sizeof h->glogw);
    rf_quad_cleanup(&g);
    /* Without any loading no kernel depends on g: one node at g = 0 with
     * weight 1 gives the same sums as the whole grid (which adds up to 1),
     * RF_HIER_G_N times faster (a mixture of independent-skill classes). */
    int anyload = 0;
    for (size_t k = 0; k < spec->nskills; k++)
        anyload |= spec->lambda[k] != 0;
    if (!anyload) {
        h->ng = 1;
        h->gx[0] = 0;
        h->glogw[0] = 0;
    }
    double wsum = 0;
    for (size_t c = 0; c < spec->ncomp; c++)
        wsum += spec->comp[c].weight;
    for (size_t c = 0; c < spec->ncomp; c++) {
        h->spec.comp[c].weight = spec->comp[c].weight / wsum;
        h->logpi[c] = log(h->spec.comp[c].weight);
    }
    /* Distinct (mu, tau, lambda) triples share one kernel table. */
    size_t ns = spec->nskills, nk = 0;
    double key[RF_HIER_MAX_COMPONENTS * RF_HIER_MAX_SKILLS][3];
    for (size_t c = 0; c < spec->ncomp; c++)
        for (size_t k = 0; k < ns; k++) {
            double mu = spec->comp[c].mu[k], tau = spec->comp[c].tau[k], la = spec->lambda[k];
            size_t r = 0;
            while (r < nk && !(key[r][0] == mu && key[r][1] == tau && key[r][2] == la))
                r++;
            if (r == nk) {
                key[nk][0] = mu;
                key[nk][1] = tau;
                key[nk][2] = la;
                nk++;
            }
            h->kidx[c][k] = r;
        }
    h->nk = nk;
    h->kern = rf_alloc_array(nk * h->ng * h->nq, sizeof *h->kern);
    if (!h->kern) {
        rf_hier_free(h);
        return rf_err_set(err, RF_ENOMEM, "prior: out of memory for %zu kernels", nk);
    }
    for (size_t r = 0; r < nk; r++)
        for (size_t i = 0; i < h->ng; i++)
            kernel_row(&h->q, key[r][0], key[r][1], key[r][2], h->gx[i],
                       h->kern + (r * h->ng + i) * h->nq);
    h->ngp = (h->ng + 3) / 4 * 4;
    h->kernt = rf_calloc_array(nk * h->nq * h->ngp, sizeof *h->kernt);
    if (!h->kernt) {
        rf_hier_free(h);
        return rf_err_set(err, RF_ENOMEM, "prior: out of memory for %zu kernels", nk);
    }
    for (size_t r = 0; r < nk; r++)
        for (size_t i = 0; i < h->ng; i++)
            for (size_t x = 0; x < h->nq; x++)
                h->kernt[(r * h->nq + x) * h->ngp + i] = h->kern[(r * h->ng + i) * h->nq + x];
    *out = h;
    return RF_OK;
}

/* The thread's models of rf_hier_new_cached: up to CACHE_N, the least
 * recently used one given up for a new one. Freed when the thread ends. */
#define CACHE_N 32
struct hier_cache {
    struct rf_hier *h[CACHE_N];
    unsigned long long used[CACHE_N], tick;
};
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_ok;

static void cache_free(void *arg)
{
    struct hier_cache *c = arg;
    for (size_t i = 0; i < CACHE_N; i++)
        rf_hier_free(c->h[i]);
    free(c);
}

static void cache_init(void)
{
    cache_ok = pthread_key_create(&cache_key, cache_free) == 0;
}

/* Whether a[0..n-1] and b[0..n-1] hold the same values, zeros' signs too
 * (a NaN matches nothing: rf_hier_new refuses it anyway). */
static int same_values(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i] && signbit(a[i]) == signbit(b[i])))
            return 0;
    return 1;
}

/* Whether model h was built from spec over grid q: the values the model
 * reads, the same. */
static int same_model(const struct rf_hier *h, const struct rf_hier_spec *spec,
                      const struct rf_quad *q)
{
    const struct rf_hier_spec *g = &h->given;
    size_t ns = spec->nskills;
    if (h->nq != q->n || !same_values(h->q.x, q->x, q->n) || g->nskills != ns ||
        g->ncomp != spec->ncomp || !same_values(g->lambda, spec->lambda, ns))
        return 0;
    for (size_t c = 0; c < spec->ncomp; c++)
        if (!same_values(&g->comp[c].weight, &spec->comp[c].weight, 1) ||
            !same_values(g->comp[c].mu, spec->comp[c].mu, ns) ||
            !same_values(g->comp[c].tau, spec->comp[c].tau, ns))
            return 0;
    return 1;
}

rf_status rf_hier_new_cached(const struct rf_hier_spec *spec, const struct rf_quad *q,
                             struct rf_hier **out, struct rf_err *err)
{
    pthread_once(&cache_once, cache_init);
    struct hier_cache *c = cache_ok ? pthread_getspecific(cache_key) : NULL;
    if (cache_ok && !c && (c = calloc(1, sizeof *c)) && pthread_setspecific(cache_key, c) != 0) {
        free(c);
        c = NULL;
    }
    if (!c) /* no cache: a model of the caller's own */
        return rf_hier_new(spec, q, out, err);
    size_t slot = 0;
    for (size_t i = 0; i < CACHE_N; i++) {
        if (c->h[i] && same_model(c->h[i], spec, q)) {
            c->used[i] = ++c->tick;
            c->h[i]->refs++;
            *out = c->h[i];
            return RF_OK;
        }
        if (c->used[i] < c->used[slot])
            slot = i;
    }
    struct rf_hier *h;
    rf_status rc = rf_hier_new(spec, q, &h, err);
    if (rc)
        return rc;
    rf_hier_free(c->h[slot]); /* the cache's hold; a caller may still have it */
    h->refs = 2;              /* the cache's and the caller's */
    c->h[slot] = h;
    c->used[slot] = ++c->tick;
    *out = h;
    return RF_OK;
}

const struct rf_hier_spec *rf_hier_get_spec(const struct rf_hier *h)
{
    return &h->spec;
}

const struct rf_quad *rf_hier_quad(const struct rf_hier *h)
{
    return &h->q;
}

void rf_hier_state_free(struct rf_hier_state *st)
{
    if (!st)
        return;
    free(st->L);
    free(st->ls);
    free(st->ev);
    free(st->logz);
    free(st->ez);
    free(st->W);
    free(st->acc);
    free(st->work);
    free(st);
}

rf_status rf_hier_state_new(const struct rf_hier *h, struct rf_hier_state **out,
                            struct rf_err *err)
{
    struct rf_hier_state *st = calloc(1, sizeof *st);
    if (!st)
        return rf_err_set(err, RF_ENOMEM, "prior: out of memory");
    size_t ns = h->spec.nskills, nc = h->spec.ncomp;
    st->h = h;
    st->L = rf_alloc_array(ns * h->nq, sizeof *st->L);
    st->ls = rf_alloc_array(ns, sizeof *st->ls);
    st->ev = rf_alloc_array(ns, 1);
    st->logz = rf_alloc_array(nc * ns * h->ng, sizeof *st->logz);
    st->ez = rf_alloc_array(nc * ns * h->ng, sizeof *st->ez);
    st->W = rf_alloc_array(nc * h->ng, sizeof *st->W);
    st->acc = rf_alloc_array(nc * h->ng, sizeof *st->acc);
    st->work = rf_alloc_array(h->nq, sizeof *st->work);
    if (!st->L || !st->ls || !st->ev || !st->logz || !st->ez || !st->W || !st->acc || !st->work) {
        rf_hier_state_free(st);
        return rf_err_set(err, RF_ENOMEM, "prior: out of memory");
    }
    rf_hier_state_reset(st);
    *out = st;
    return RF_OK;
}

void rf_hier_state_reset(struct rf_hier_state *st)
{
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp;
    for (size_t i = 0; i < ns * h->nq; i++)
        st->L[i] = 1.0;
    memset(st->ls, 0, ns * sizeof *st->ls);
    memset(st->ev, 0, ns);
    /* Every kernel row sums to 1: log Z = log 1 = 0 before any evidence. */
    memset(st->logz, 0, nc * ns * h->ng * sizeof *st->logz);
    for (size_t i = 0; i < nc * ns * h->ng; i++)
        st->ez[i] = 1.0;
    st->dirty = 1;
}

void rf_hier_state_copy(struct rf_hier_state *dst, const struct rf_hier_state *src)
{
    const struct rf_hier *h = src->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp;
    memcpy(dst->L, src->L, ns * h->nq * sizeof *dst->L);
    memcpy(dst->ls, src->ls, ns * sizeof *dst->ls);
    memcpy(dst->ev, src->ev, ns);
    memcpy(dst->logz, src->logz, nc * ns * h->ng * sizeof *dst->logz);
    memcpy(dst->ez, src->ez, nc * ns * h->ng * sizeof *dst->ez);
    dst->dirty = 1;
}

/* Four doubles: element-wise IEEE arithmetic, so a step over four lanes
 * computes what four scalar steps would. Loads and stores go through memcpy
 * (no alignment assumed). */
typedef double v4d __attribute__((vector_size(32)));

/* z[i] = sum_q L[q] kt[q * stride + i] for i = 0..4n-1 (n = 1 or 2), each
 * sum over q in order from 0: what a dot product of L with kernel row i
 * gives, for four or eight g nodes a pass. Built for AVX as well as for the
 * baseline, chosen when the program starts (the same arithmetic). */
__attribute__((target_clones("avx", "default"))) static void
dots_t(const double *L, const double *kt, size_t stride, size_t nq, size_t n, double *z)
{
    v4d z0 = {0, 0, 0, 0}, z1 = {0, 0, 0, 0};
    if (n == 2) {
        for (size_t q = 0; q < nq; q++) {
            v4d l = {L[q], L[q], L[q], L[q]}, k0, k1;
            memcpy(&k0, kt + q * stride, sizeof k0);
            memcpy(&k1, kt + q * stride + 4, sizeof k1);
            z0 = z0 + l * k0;
            z1 = z1 + l * k1;
        }
    } else {
        for (size_t q = 0; q < nq; q++) {
            v4d l = {L[q], L[q], L[q], L[q]}, k0;
            memcpy(&k0, kt + q * stride, sizeof k0);
            z0 = z0 + l * k0;
        }
    }
    memcpy(z, &z0, sizeof z0);
    if (n == 2)
        memcpy(z + 4, &z1, sizeof z1);
}

/* Recomputes log Z_ck(h) of skill k for every component and g node. */
static void update_row(struct rf_hier_state *st, size_t k)
{
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nq = h->nq, ng = h->ng, ngp = h->ngp;
    const double *L = st->L + k * nq;
    for (size_t c = 0; c < h->spec.ncomp; c++) {
        double *lz = st->logz + (c * ns + k) * ng, *ez = st->ez + (c * ns + k) * ng;
        size_t r = h->kidx[c][k], same = c;
        for (size_t c2 = 0; c2 < c && same == c; c2++)
            if (h->kidx[c2][k] == r)
                same = c2;
        if (same < c) {
            memcpy(lz, st->logz + (same * ns + k) * ng, ng * sizeof *lz);
            memcpy(ez, st->ez + (same * ns + k) * ng, ng * sizeof *ez);
            continue;
        }
        const double *KT = h->kernt + r * nq * ngp;
        /* Eight (or four) g nodes a pass over L, each sum over q in order. */
        for (size_t i = 0; i < ng; i += 8) {
            double z[8];
            size_t n = i + 4 < ngp ? 2 : 1;
            dots_t(L, KT + i, ngp, nq, n, z);
            for (size_t e = 0; e < 4 * n && i + e < ng; e++) {
                /* cppcheck-suppress invalidFunctionArg ; log(0) = -inf: the node has no support */
                lz[i + e] = log(z[e]);
                ez[i + e] = exp(lz[i + e]); /* not z: the readers' exp(lz) as it was */
            }
        }
    }
    st->dirty = 1;
}

/* Rescales L_k to a largest value of 1, flushing values below TINY. */
static void rescale(struct rf_hier_state *st, size_t k)
{
    size_t nq = st->h->nq;
    double *L = st->L + k * nq, mx = 0;
    for (size_t q = 0; q < nq; q++)
        if (L[q] > mx)
            mx = L[q];
    if (!(mx > 0 && isfinite(mx)))
        return;
    double inv = 1.0 / mx;
    for (size_t q = 0; q < nq; q++) {
        double v = L[q] * inv;
        L[q] = v < TINY ? 0 : v;
    }
    st->ls[k] += log(mx);
}

void rf_hier_update(struct rf_hier_state *st, size_t k, const double *lik)
{
    size_t nq = st->h->nq;
    double *L = st->L + k * nq;
    for (size_t q = 0; q < nq; q++)
        L[q] *= lik[q];
    rescale(st, k);
    st->ev[k] = 1;
    update_row(st, k);
}

void rf_hier_add_loglik(struct rf_hier_state *st, size_t k, const double *loglik)
{
    size_t nq = st->h->nq;
    double *L = st->L + k * nq, *t = st->work, mx = -HUGE_VAL;
    for (size_t q = 0; q < nq; q++) {
        t[q] = L[q] > 0 ? log(L[q]) + loglik[q] : -HUGE_VAL;
        if (t[q] > mx)
            mx = t[q];
    }
    if (!(mx > -HUGE_VAL) || !isfinite(mx))
        return; /* no node keeps support: nothing to combine */
    int flat = 1;
    for (size_t q = 0; q < nq; q++) {
        double v = exp(t[q] - mx);
        L[q] = v < TINY ? 0 : v;
        flat &= loglik[q] == loglik[0];
    }
    st->ls[k] += mx;
    if (!flat)
        st->ev[k] = 1;
    update_row(st, k);
}

void rf_hier_loglik(const struct rf_hier_state *st, size_t k, double *out)
{
    size_t nq = st->h->nq;
    const double *L = st->L + k * nq;
    for (size_t q = 0; q < nq; q++)
        out[q] = L[q] > 0 ? log(L[q]) + st->ls[k] : -HUGE_VAL;
}

int rf_hier_has_evidence(const struct rf_hier_state *st, size_t k)
{
    return st->ev[k];
}

/* The joint posterior W(c, h) over components and g nodes, and the
 * component weights, from the current rows. */
static void refresh(struct rf_hier_state *st)
{
    if (!st->dirty)
        return;
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp, ng = h->ng;
    double mx = -HUGE_VAL;
    for (size_t c = 0; c < nc; c++)
        for (size_t i = 0; i < ng; i++) {
            double v = h->logpi[c] + h->glogw[i];
            for (size_t k = 0; k < ns; k++)
                v += st->logz[(c * ns + k) * ng + i];
            st->W[c * ng + i] = v;
            if (v > mx)
                mx = v;
        }
    double tot = 0;
    for (size_t i = 0; i < nc * ng; i++) {
        st->W[i] = mx > -HUGE_VAL ? exp(st->W[i] - mx) : 0;
        tot += st->W[i];
    }
    for (size_t c = 0; c < nc; c++) {
        double s = 0;
        for (size_t i = 0; i < ng; i++) {
            st->W[c * ng + i] = tot > 0 ? st->W[c * ng + i] / tot : 0;
            s += st->W[c * ng + i];
        }
        st->cw[c] = s;
    }
    st->dirty = 0;
}

/* a[q] = (((a[q] + f[0] r[0][q]) + f[1] r[1][q]) + f[2] r[2][q]) + f[3] r[3][q]
 * for every node: four cells' rows in one pass over a, each node's sum in
 * the cells' order as one row at a time would give it (the same result
 * with a quarter of the loads and stores of a). Built for AVX as well as
 * for the baseline, chosen when the program starts: the same arithmetic
 * four nodes a step instead of two. */
__attribute__((target_clones("avx", "default"))) static void
add_rows4(double *a, const double *f, const double *const *r, size_t nq)
{
    const double *r0 = r[0], *r1 = r[1], *r2 = r[2], *r3 = r[3];
    double f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3];
    v4d F0 = {f0, f0, f0, f0}, F1 = {f1, f1, f1, f1}, F2 = {f2, f2, f2, f2},
        F3 = {f3, f3, f3, f3};
    size_t q = 0;
    for (; q + 4 <= nq; q += 4) {
        v4d x, y0, y1, y2, y3;
        memcpy(&x, a + q, sizeof x);
        memcpy(&y0, r0 + q, sizeof y0);
        memcpy(&y1, r1 + q, sizeof y1);
        memcpy(&y2, r2 + q, sizeof y2);
        memcpy(&y3, r3 + q, sizeof y3);
        x = x + F0 * y0;
        x = x + F1 * y1;
        x = x + F2 * y2;
        x = x + F3 * y3;
        memcpy(a + q, &x, sizeof x);
    }
    for (; q < nq; q++)
        a[q] = (((a[q] + f0 * r0[q]) + f1 * r1[q]) + f2 * r2[q]) + f3 * r3[q];
}

/* a[q] += f[i] r[i][q] for i = 0..n-1 in order, n <= 3, every node. */
__attribute__((target_clones("avx", "default"))) static void
add_rows_few(double *a, const double *f, const double *const *r, size_t n, size_t nq)
{
    for (size_t i = 0; i < n; i++) {
        const double *ri = r[i];
        double fi = f[i];
        v4d F = {fi, fi, fi, fi};
        size_t q = 0;
        for (; q + 4 <= nq; q += 4) {
            v4d x, y;
            memcpy(&x, a + q, sizeof x);
            memcpy(&y, ri + q, sizeof y);
            x = x + F * y;
            memcpy(a + q, &x, sizeof x);
        }
        for (; q < nq; q++)
            a[q] += fi * ri[q];
    }
}

/* a[q] *= L[q] for every node; returns the sum of the products in node
 * order (as a scalar loop gives it). */
__attribute__((target_clones("avx", "default"))) static double
mul_rows(double *a, const double *L, size_t nq)
{
    size_t q = 0;
    for (; q + 4 <= nq; q += 4) {
        v4d x, y;
        memcpy(&x, a + q, sizeof x);
        memcpy(&y, L + q, sizeof y);
        x = x * y;
        memcpy(a + q, &x, sizeof x);
    }
    for (; q < nq; q++)
        a[q] *= L[q];
    double tot = 0;
    for (q = 0; q < nq; q++)
        tot += a[q];
    return tot;
}

/* a[q] /= d for every node. */
__attribute__((target_clones("avx", "default"))) static void
div_rows(double *a, double d, size_t nq)
{
    v4d D = {d, d, d, d};
    size_t q = 0;
    for (; q + 4 <= nq; q += 4) {
        v4d x;
        memcpy(&x, a + q, sizeof x);
        x = x / D;
        memcpy(a + q, &x, sizeof x);
    }
    for (; q < nq; q++)
        a[q] /= d;
}

void rf_hier_marginal(struct rf_hier_state *st, size_t k, double *post, double *mean, double *sd)
{
    refresh(st);
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp, ng = h->ng, nq = h->nq;
    double *a = post ? post : st->work;
    memset(a, 0, nq * sizeof *a);
    /* The cells' rows are added four at a time, each node's sum in the
     * cells' order as one at a time would (same result, a quarter of the
     * passes). */
    const double *rows[4];
    double fs[4];
    size_t nb = 0;
    for (size_t c = 0; c < nc; c++) {
        const double *K = h->kern + h->kidx[c][k] * ng * nq;
        const double *lz = st->logz + (c * ns + k) * ng, *ez = st->ez + (c * ns + k) * ng;
        for (size_t i = 0; i < ng; i++) {
            double w = st->W[c * ng + i];
            if (!(w > WSKIP) || !(lz[i] > -HUGE_VAL))
                continue;
            fs[nb] = w / ez[i];
            rows[nb++] = K + i * nq;
            if (nb == 4) {
                add_rows4(a, fs, rows, nq);
                nb = 0;
            }
        }
    }
    add_rows_few(a, fs, rows, nb, nq);
    double tot = mul_rows(a, st->L + k * nq, nq);
    if (tot > 0)
        div_rows(a, tot, nq);
    if (!mean && !sd)
        return;
    double m1 = 0, m2 = 0;
    for (size_t q = 0; q < nq; q++)
        m1 += a[q] * h->q.x[q];
    for (size_t q = 0; q < nq; q++) {
        double d = h->q.x[q] - m1;
        m2 += a[q] * d * d;
    }
    if (mean)
        *mean = m1;
    if (sd)
        *sd = sqrt(m2);
}

double rf_hier_joint_tail(struct rf_hier_state *st, const size_t *ks, const double *cuts,
                          size_t n)
{
    refresh(st);
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp, ng = h->ng, nq = h->nq;
    for (size_t i = 0; i < nc * ng; i++)
        st->acc[i] = st->W[i];
    double *lf = st->work;
    for (size_t j = 0; j < n; j++) {
        size_t k = ks[j];
        const double *L = st->L + k * nq;
        for (size_t q = 0; q < nq; q++) {
            double f = (h->q.x[q] + 0.5 * h->step - cuts[j]) / h->step;
            lf[q] = f >= 1 ? L[q] : f > 0 ? f * L[q] : 0;
        }
        for (size_t c = 0; c < nc; c++) {
            const double *K = h->kern + h->kidx[c][k] * ng * nq;
            const double *lz = st->logz + (c * ns + k) * ng;
            for (size_t i = 0; i < ng; i++) {
                double *acc = &st->acc[c * ng + i];
                if (!(*acc > WSKIP) || !(lz[i] > -HUGE_VAL)) {
                    *acc = 0;
                    continue;
                }
                const double *row = K + i * nq;
                double t = 0;
                for (size_t q = 0; q < nq; q++)
                    t += lf[q] * row[q];
                *acc *= t / st->ez[(c * ns + k) * ng + i];
            }
        }
    }
    double p = 0;
    for (size_t i = 0; i < nc * ng; i++)
        p += st->acc[i];
    return p > 1 ? 1 : p;
}

double rf_hier_tail(struct rf_hier_state *st, size_t k, double cut)
{
    return rf_hier_joint_tail(st, &k, &cut, 1);
}

double rf_hier_comp_weight(struct rf_hier_state *st, size_t c)
{
    refresh(st);
    return st->cw[c];
}

void rf_hier_g_moments(struct rf_hier_state *st, double *mean, double *sd)
{
    refresh(st);
    const struct rf_hier *h = st->h;
    if (h->ng == 1) { /* no loading: the evidence says nothing of g, N(0, 1) */
        *mean = 0;
        *sd = 1;
        return;
    }
    size_t nc = h->spec.ncomp, ng = h->ng;
    double m1 = 0, m2 = 0;
    for (size_t c = 0; c < nc; c++)
        for (size_t i = 0; i < ng; i++)
            m1 += st->W[c * ng + i] * h->gx[i];
    for (size_t c = 0; c < nc; c++)
        for (size_t i = 0; i < ng; i++) {
            double d = h->gx[i] - m1;
            m2 += st->W[c * ng + i] * d * d;
        }
    *mean = m1;
    *sd = sqrt(m2);
}

size_t rf_hier_ncells(const struct rf_hier_state *st)
{
    return st->h->spec.ncomp * st->h->ng;
}

void rf_hier_cell_weights(struct rf_hier_state *st, double *w)
{
    refresh(st);
    const struct rf_hier *h = st->h;
    for (size_t i = 0; i < h->spec.ncomp * h->ng; i++)
        w[i] = st->W[i] > WSKIP ? st->W[i] : 0;
}

void rf_hier_cell_tails(struct rf_hier_state *st, size_t k, double cut, double *t)
{
    refresh(st);
    const struct rf_hier *h = st->h;
    size_t ns = h->spec.nskills, nc = h->spec.ncomp, ng = h->ng, nq = h->nq;
    double *lf = st->work;
    const double *L = st->L + k * nq;
    for (size_t q = 0; q < nq; q++) {
        double f = (h->q.x[q] + 0.5 * h->step - cut) / h->step;
        lf[q] = f >= 1 ? L[q] : f > 0 ? f * L[q] : 0;
    }
    for (size_t c = 0; c < nc; c++) {
        const double *K = h->kern + h->kidx[c][k] * ng * nq;
        const double *lz = st->logz + (c * ns + k) * ng;
        for (size_t i = 0; i < ng; i++) {
            if (!(st->W[c * ng + i] > WSKIP) || !(lz[i] > -HUGE_VAL)) {
                t[c * ng + i] = 0;
                continue;
            }
            const double *row = K + i * nq;
            double s = 0;
            for (size_t q = 0; q < nq; q++)
                s += lf[q] * row[q];
            t[c * ng + i] = s / st->ez[(c * ns + k) * ng + i];
        }
    }
}
