/*
 * Fit summaries and their key (fitsum.h). Layout, little-endian: "RFS1",
 * nreqs (u32), fit, sd, p_required, measured (f64), nunmeasured (u32), then
 * per requirement p (f64) and measured (u8: at most RF_POSTING_MAX_ALTS).
 */
#include "careers/fitsum.h"

#include <string.h>

static const unsigned char magic[4] = {'R', 'F', 'S', '1'};

/* the fixed part: magic, nreqs, four doubles, nunmeasured */
#define HEAD (sizeof magic + (size_t)4 + (size_t)32 + (size_t)4)

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    unsigned char b[8];
    for (size_t i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    return fnv(h, b, sizeof b);
}

static uint64_t fnv_f64(uint64_t h, double x)
{
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    return fnv_u64(h, v);
}

int64_t rf_fitsum_key(const struct rf_parsed_posting *post, const struct rf_taxonomy *tax)
{
    uint64_t h = fnv_u64(14695981039346656037ULL, RF_FITSUM_VERSION);
    h = fnv_u64(h, post->nreqs);
    for (size_t r = 0; r < post->nreqs; r++) {
        const struct rf_posting_req *q = &post->reqs[r];
        h = fnv_u64(h, (uint64_t)q->section);
        h = fnv_f64(h, q->weight);
        h = fnv_u64(h, q->level);
        h = fnv_u64(h, q->nskills);
        for (size_t i = 0; i < q->nskills; i++) {
            const struct rf_skill *sk = &tax->skills[q->skills[i]];
            h = fnv(h, sk->id, strlen(sk->id) + 1);
            h = fnv_f64(h, sk->cuts[q->level - 1]);
        }
    }
    int64_t k;
    memcpy(&k, &h, sizeof k);
    return k;
}

size_t rf_fitsum_size(size_t nreqs)
{
    return HEAD + nreqs * 9;
}

static unsigned char *put(unsigned char *w, uint64_t v, size_t nbytes)
{
    for (size_t i = 0; i < nbytes; i++)
        *w++ = (unsigned char)(v >> (8 * i));
    return w;
}

static unsigned char *put_f64(unsigned char *w, double x)
{
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    return put(w, v, 8);
}

static uint64_t get(const unsigned char **r, size_t nbytes)
{
    uint64_t v = 0;
    for (size_t i = 0; i < nbytes; i++)
        v |= (uint64_t)(*r)[i] << (8 * i);
    *r += nbytes;
    return v;
}

static double get_f64(const unsigned char **r)
{
    uint64_t v = get(r, 8);
    double x;
    memcpy(&x, &v, sizeof x);
    return x;
}

void rf_fitsum_pack(const struct rf_posting_fit *f, const double *p, const size_t *measured,
                    size_t nreqs, unsigned char *out)
{
    memcpy(out, magic, sizeof magic);
    unsigned char *w = put(out + sizeof magic, nreqs, 4);
    w = put_f64(w, f->fit);
    w = put_f64(w, f->sd);
    w = put_f64(w, f->p_required);
    w = put_f64(w, f->measured);
    w = put(w, f->nunmeasured, 4);
    for (size_t r = 0; r < nreqs; r++)
        w = put_f64(w, p[r]);
    for (size_t r = 0; r < nreqs; r++)
        *w++ = (unsigned char)(measured[r] > 255 ? 255 : measured[r]);
}

rf_status rf_fitsum_unpack(const unsigned char *b, size_t n, size_t nreqs, struct rf_posting_fit *f,
                           double *p, size_t *measured, struct rf_err *err)
{
    if (n != rf_fitsum_size(nreqs) || memcmp(b, magic, sizeof magic) != 0)
        return rf_err_set(err, RF_EINVAL,
                          "fit summary: %zu bytes, not a summary of %zu "
                          "requirements",
                          n, nreqs);
    const unsigned char *r = b + sizeof magic;
    if (get(&r, 4) != nreqs)
        return rf_err_set(err, RF_EINVAL, "fit summary: not a summary of %zu requirements", nreqs);
    f->fit = get_f64(&r);
    f->sd = get_f64(&r);
    f->p_required = get_f64(&r);
    f->measured = get_f64(&r);
    f->nunmeasured = (size_t)get(&r, 4);
    for (size_t i = 0; i < nreqs; i++)
        p[i] = get_f64(&r);
    for (size_t i = 0; i < nreqs; i++)
        measured[i] = *r++;
    return RF_OK;
}
