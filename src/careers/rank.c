/*
 * Posting fit for one profile, reasons, and cohort ranking (see rank.h).
 * The cohort loop works on blocks of RF_RANK_BLOCK people at a time so that
 * the per-requirement passes run over contiguous floats, and keeps a
 * bounded min-heap of the best candidates per thread.
 */
#include "careers/rank.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/chance.h"
#include "base/config.h"
#include "base/mem.h"
#include "careers/report_text.h"

void rf_posting_fit(const struct rf_parsed_posting *post, const struct rf_taxonomy *tax,
                    const struct rf_profile *prof, double *p, size_t *measured,
                    struct rf_posting_fit *out)
{
    double sw = 0, sp = 0, var = 0, preq = 1, sm = 0;
    size_t nun = 0;
    for (size_t r = 0; r < post->nreqs; r++) {
        const struct rf_posting_req *q = &post->reqs[r];
        size_t m = 0;
        p[r] = rf_posting_req_p(q, tax, prof, &m);
        if (measured)
            measured[r] = m;
        if (m)
            sm += q->weight;
        else
            nun++;
        sw += q->weight;
        sp += q->weight * p[r];
        var += q->weight * q->weight * p[r] * (1 - p[r]);
        if (q->section == RF_SEC_REQUIRED)
            preq *= p[r];
    }
    out->fit = sw > 0 ? sp / sw : 0;
    out->sd = sw > 0 ? sqrt(var) / sw : 0;
    out->p_required = preq;
    out->measured = sw > 0 ? sm / sw : 0;
    out->nunmeasured = nun;
}

/* Appends one requirement as the reason names it, "label (93%)" ("label"
 * alone when p < 0), a long label shortened on a UTF-8 boundary. The
 * probability is written as every surface writes one (base/chance.h): a whole
 * percentage, never rounded to a certainty (">99%", "<1%"). */
static rf_status put_req(struct rf_buf *b, enum rf_lang lang, const char *label, double p)
{
    char lab[64], ps[RF_CHANCE_LEN];
    size_t l = strlen(label);
    if (l >= sizeof lab - 4) {
        l = sizeof lab - 4;
        while (l > 0 && ((unsigned char)label[l] & 0xC0) == 0x80)
            l--;
        memcpy(lab, label, l); /* NOLINT(bugprone-not-null-terminated-result): NUL next line */
        memcpy(lab + l, "\xE2\x80\xA6", 4); /* ellipsis and NUL */
    } else {
        memcpy(lab, label, l + 1);
    }
    if (p < 0)
        return rf_buf_puts(b, lab);
    return rf_report_msg_put(b, RF_MSG_TEXT, lang, "reason.req",
                             (const char *[]){lab, rf_chance_pct(ps, sizeof ps, p)}, 2);
}

/* Appends the clause key of lang with the list of the first n requirements of
 * order (their p, or none when with_p is 0) in its placeholder {1}, and more
 * (when not NULL) in {2}; the clause after the first is preceded by the
 * language's clause separator. */
static rf_status put_clause(struct rf_buf *b, enum rf_lang lang, const char *key,
                            const struct rf_parsed_posting *post, const double *p,
                            const size_t *order, size_t n, int with_p, const char *more)
{
    struct rf_buf list;
    rf_buf_init(&list, RF_POSTING_REASON_MAX);
    rf_status rc = RF_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (i)
            rc = rf_report_msg_put(&list, RF_MSG_TEXT, lang, "list.sep", NULL, 0);
        if (!rc)
            rc = put_req(&list, lang, post->reqs[order[i]].label, with_p ? p[order[i]] : -1);
    }
    if (!rc && b->len)
        rc = rf_report_msg_put(b, RF_MSG_TEXT, lang, "reason.sep", NULL, 0);
    if (!rc)
        rc = rf_report_msg_put(b, RF_MSG_TEXT, lang, key,
                               (const char *[]){n ? rf_buf_str(&list) : "", more}, 2);
    rf_buf_cleanup(&list);
    return rc;
}

/* Whether requirement r counts as measured for the reason. */
static int was_measured(const size_t *measured, size_t r)
{
    return !measured || measured[r] > 0;
}

/* The reason into b (see rank.h). */
static rf_status reason(const struct rf_parsed_posting *post, const double *p,
                        const size_t *measured, enum rf_lang lang, struct rf_buf *b)
{
    size_t order[RF_POSTING_MAX_REQS];
    rf_status rc;
    /* Met requirements, heaviest first (stable: text order within a weight). */
    size_t n = 0;
    for (size_t r = 0; r < post->nreqs; r++)
        if (p[r] >= RF_FIT_MET && was_measured(measured, r)) {
            size_t j = n++;
            while (j > 0 && post->reqs[order[j - 1]].weight < post->reqs[r].weight) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = r;
        }
    rc = n ? put_clause(b, lang, "reason.meets", post, p, order, n < 3 ? n : 3, 1, NULL)
           : rf_report_msg_put(b, RF_MSG_TEXT, lang, "reason.meets_none", NULL, 0);
    /* Gaps, largest w (1 - p) first, among measured requirements. */
    n = 0;
    for (size_t r = 0; r < post->nreqs; r++) {
        if (p[r] >= RF_FIT_BLOCK || !was_measured(measured, r))
            continue;
        double g = post->reqs[r].weight * (1 - p[r]);
        size_t j = n++;
        while (j > 0 && post->reqs[order[j - 1]].weight * (1 - p[order[j - 1]]) < g) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = r;
    }
    if (!rc && n)
        rc = put_clause(b, lang, "reason.gap", post, p, order, n < 2 ? n : 2, 1, NULL);
    /* Not measured: required requirements first (reqs holds them first), then preferred. */
    n = 0;
    for (size_t r = 0; r < post->nreqs; r++)
        if (!was_measured(measured, r))
            order[n++] = r;
    if (!rc && n) {
        char more[32];
        snprintf(more, sizeof more, "%zu", n > 2 ? n - 2 : 0);
        rc = put_clause(b, lang, n > 2 ? "reason.unmeasured_more" : "reason.unmeasured", post, p,
                        order, n < 2 ? n : 2, 0, more);
    }
    return rc;
}

void rf_posting_reason_lang(const struct rf_parsed_posting *post, const double *p,
                            const size_t *measured, enum rf_lang lang, char *buf, size_t cap)
{
    struct rf_buf b;
    rf_buf_init(&b, RF_POSTING_REASON_MAX);
    (void)reason(post, p, measured, lang, &b); /* a full buffer keeps what fitted */
    size_t l = b.len;
    if (l >= cap) { /* cut on a UTF-8 boundary */
        l = cap - 1;
        while (l > 0 && ((unsigned char)rf_buf_str(&b)[l] & 0xC0) == 0x80)
            l--;
    }
    memcpy(buf, rf_buf_str(&b), l);
    buf[l] = '\0';
    rf_buf_cleanup(&b);
}

void rf_posting_reason(const struct rf_parsed_posting *post, const double *p, const size_t *measured,
                       char *buf, size_t cap)
{
    rf_posting_reason_lang(post, p, measured, RF_EN, buf, cap);
}

/* ---- cohorts ---- */

rf_status rf_cohort_init(struct rf_cohort *c, size_t n, size_t nskills, struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    if (n == 0 || nskills == 0)
        return rf_err_set(err, RF_EINVAL, "cohort: needs at least one person and one skill");
    if (n > (size_t)-1 / nskills)
        return rf_err_set(err, RF_ENOMEM, "cohort: %zu x %zu is too large", n, nskills);
    c->theta = rf_alloc_array(n * nskills, sizeof *c->theta);
    c->se = rf_alloc_array(n * nskills, sizeof *c->se);
    if (!c->theta || !c->se) {
        rf_cohort_cleanup(c);
        return rf_err_set(err, RF_ENOMEM, "cohort: out of memory for %zu people", n);
    }
    c->n = n;
    c->nskills = nskills;
    for (size_t i = 0; i < n * nskills; i++) {
        c->theta[i] = 0.0f;
        c->se[i] = 1.0f;
    }
    return RF_OK;
}

void rf_cohort_cleanup(struct rf_cohort *c)
{
    if (!c)
        return;
    free(c->theta);
    free(c->se);
    memset(c, 0, sizeof *c);
}

void rf_cohort_set_profile(struct rf_cohort *c, size_t i, const struct rf_profile *prof,
                           const struct rf_taxonomy *tax)
{
    for (size_t k = 0; k < c->nskills && k < tax->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(prof, tax->skills[k].id);
        c->theta[k * c->n + i] = s ? (float)s->theta : 0.0f;
        c->se[k * c->n + i] = s ? (float)s->se : 1.0f;
    }
}

/* ---- ranking ---- */

struct alt {
    const float *theta, *se; /* the skill's columns */
    double cut;
};

struct plan {
    const double *tab; /* Phi at z_j = -Z + j h, j = 0..N-1 */
    size_t nreq;
    const size_t *nalt;   /* per requirement */
    const struct alt *alt; /* flattened, nalt[r] per requirement */
    const double *w;       /* weights divided by their sum */
};

struct job {
    const struct plan *pl;
    size_t lo, hi, top;
    struct rf_rank_hit *heap; /* top entries: a min-heap by (fit, -index) */
    size_t nheap;
};

static double table_phi(const double *tab, double z)
{
    const double inv_h = (double)(RF_NORMAL_TABLE_N - 1) / (2 * RF_NORMAL_TABLE_Z);
    double u = (z + RF_NORMAL_TABLE_Z) * inv_h;
    if (!(u > 0))
        return tab[0];
    if (u >= RF_NORMAL_TABLE_N - 1)
        return tab[RF_NORMAL_TABLE_N - 1];
    size_t j = (size_t)u;
    double f = u - (double)j;
    return tab[j] + f * (tab[j + 1] - tab[j]);
}

/* a is worse than b: lower fit, or equal fit and higher index. */
static int worse(const struct rf_rank_hit *a, const struct rf_rank_hit *b)
{
    return a->fit < b->fit || (a->fit == b->fit && a->index > b->index);
}

static void heap_push(struct job *jb, struct rf_rank_hit h)
{
    struct rf_rank_hit *a = jb->heap;
    if (jb->nheap < jb->top) {
        size_t i = jb->nheap++;
        while (i > 0 && worse(&h, &a[(i - 1) / 2])) {
            a[i] = a[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        a[i] = h;
        return;
    }
    if (!worse(&a[0], &h))
        return;
    size_t i = 0, n = jb->nheap;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct rf_rank_hit *mv = &h;
        if (l < n && worse(&a[l], mv)) {
            m = l;
            mv = &a[l];
        }
        if (r < n && worse(&a[r], mv))
            m = r;
        if (m == i)
            break;
        a[i] = a[m];
        i = m;
    }
    a[i] = h;
}

static void *run_job(void *arg)
{
    struct job *jb = arg;
    const struct plan *pl = jb->pl;
    double fit[RF_RANK_BLOCK], miss[RF_RANK_BLOCK];
    for (size_t b0 = jb->lo; b0 < jb->hi; b0 += RF_RANK_BLOCK) {
        size_t nb = jb->hi - b0 < RF_RANK_BLOCK ? jb->hi - b0 : RF_RANK_BLOCK;
        for (size_t j = 0; j < nb; j++)
            fit[j] = 0;
        const struct alt *a = pl->alt;
        for (size_t r = 0; r < pl->nreq; r++) {
            for (size_t j = 0; j < nb; j++)
                miss[j] = 1;
            for (size_t k = 0; k < pl->nalt[r]; k++, a++) {
                const float *th = a->theta + b0, *se = a->se + b0;
                for (size_t j = 0; j < nb; j++)
                    miss[j] *= 1 - table_phi(pl->tab, ((double)th[j] - a->cut) / (double)se[j]);
            }
            for (size_t j = 0; j < nb; j++)
                fit[j] += pl->w[r] * (1 - miss[j]);
        }
        for (size_t j = 0; j < nb; j++)
            heap_push(jb, (struct rf_rank_hit){b0 + j, fit[j]});
    }
    return NULL;
}

static int hit_order(const void *x, const void *y)
{
    const struct rf_rank_hit *a = x, *b = y;
    if (worse(b, a))
        return -1;
    if (worse(a, b))
        return 1;
    return 0;
}

rf_status rf_rank_cohort(const struct rf_cohort *c, const struct rf_parsed_posting *post,
                         const struct rf_taxonomy *tax, size_t top, size_t nthreads,
                         struct rf_rank_hit *out, struct rf_err *err)
{
    if (post->nreqs == 0)
        return rf_err_set(err, RF_EINVAL, "rank: the posting has no requirements on measured skills");
    if (top > c->n)
        top = c->n;
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > RF_RANK_MAX_THREADS)
        nthreads = RF_RANK_MAX_THREADS;
    size_t nalt_total = 0;
    for (size_t r = 0; r < post->nreqs; r++)
        nalt_total += post->reqs[r].nskills;
    double *tab = rf_alloc_array(RF_NORMAL_TABLE_N, sizeof *tab);
    double *w = rf_alloc_array(post->nreqs, sizeof *w);
    size_t *nalt = rf_alloc_array(post->nreqs, sizeof *nalt);
    struct alt *alt = rf_alloc_array(nalt_total ? nalt_total : 1, sizeof *alt);
    struct job *jobs = rf_calloc_array(nthreads, sizeof *jobs);
    struct rf_rank_hit *heaps = rf_alloc_array(nthreads * (top ? top : 1), sizeof *heaps);
    pthread_t *tid = rf_alloc_array(nthreads, sizeof *tid);
    rf_status rc = RF_OK;
    if (!tab || !w || !nalt || !alt || !jobs || !heaps || !tid) {
        rc = rf_err_set(err, RF_ENOMEM, "rank: out of memory");
        goto out;
    }
    for (size_t j = 0; j < RF_NORMAL_TABLE_N; j++) {
        double z = -RF_NORMAL_TABLE_Z + 2 * RF_NORMAL_TABLE_Z * (double)j / (RF_NORMAL_TABLE_N - 1);
        tab[j] = 0.5 * erfc(-z / M_SQRT2);
    }
    double sw = 0;
    size_t ai = 0;
    for (size_t r = 0; r < post->nreqs; r++) {
        const struct rf_posting_req *q = &post->reqs[r];
        sw += q->weight;
        nalt[r] = q->nskills;
        for (size_t k = 0; k < q->nskills; k++, ai++) {
            size_t s = q->skills[k];
            if (s >= c->nskills || s >= tax->nskills) {
                rc = rf_err_set(err, RF_EINVAL, "rank: skill %zu is outside the cohort", s);
                goto out;
            }
            alt[ai].theta = c->theta + s * c->n;
            alt[ai].se = c->se + s * c->n;
            alt[ai].cut = tax->skills[s].cuts[q->level - 1];
        }
    }
    for (size_t r = 0; r < post->nreqs; r++)
        w[r] = post->reqs[r].weight / sw;
    struct plan pl = {tab, post->nreqs, nalt, alt, w};
    size_t started = 0;
    for (size_t t = 0; t < nthreads; t++) {
        jobs[t] = (struct job){&pl, c->n * t / nthreads, c->n * (t + 1) / nthreads, top,
                               heaps + t * top, 0};
        if (t == 0)
            continue;
        if (pthread_create(&tid[t], NULL, run_job, &jobs[t]) != 0)
            break;
        started = t;
    }
    /* Slices whose thread did not start run here, so the result never depends on threads. */
    run_job(&jobs[0]);
    for (size_t t = 1; t < nthreads; t++) {
        if (t <= started)
            pthread_join(tid[t], NULL);
        else
            run_job(&jobs[t]);
    }
    size_t nall = 0;
    for (size_t t = 0; t < nthreads; t++) {
        memmove(heaps + nall, jobs[t].heap, jobs[t].nheap * sizeof *heaps);
        nall += jobs[t].nheap;
    }
    qsort(heaps, nall, sizeof *heaps, hit_order);
    memcpy(out, heaps, (nall < top ? nall : top) * sizeof *out);
out:
    free(tab);
    free(w);
    free(nalt);
    free(alt);
    free(jobs);
    free(heaps);
    free(tid);
    return rc;
}
