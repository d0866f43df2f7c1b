/*
 * Profile reader, writer and builders (docs/profile-format.md). Every entry
 * point validates what it stores, so code that holds a struct rf_profile can
 * rely on the invariants listed in profile.h without checking again.
 */
#include "careers/profile.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/file.h"
#include "base/json.h"
#include "base/mem.h"

rf_status rf_profile_init(struct rf_profile *p, double lo, double hi, size_t n,
                          struct rf_err *err)
{
    memset(p, 0, sizeof *p);
    if (n < RF_QUAD_MIN_N || n > RF_QUAD_MAX_N)
        return rf_err_set(err, RF_EINVAL, "grid: field 'n': expected %d to %d nodes, got %zu",
                          RF_QUAD_MIN_N, RF_QUAD_MAX_N, n);
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return rf_err_set(err, RF_EINVAL, "grid: range [%g, %g] is empty", lo, hi);
    p->lo = lo;
    p->hi = hi;
    p->n = n;
    return RF_OK;
}

void rf_profile_init_default(struct rf_profile *p)
{
    memset(p, 0, sizeof *p);
    p->lo = RF_QUAD_DEFAULT_LO;
    p->hi = RF_QUAD_DEFAULT_HI;
    p->n = RF_QUAD_DEFAULT_N;
}

static void free_miss(struct rf_profile_miss *m)
{
    for (size_t t = 0; t < m->ntags; t++)
        free(m->tags[t]);
    free(m->tags);
    free(m->item);
}

static void free_skill(struct rf_profile_skill *s)
{
    free(s->skill);
    free(s->posterior);
    for (size_t i = 0; i < s->nmissed; i++)
        free_miss(&s->missed[i]);
    free(s->missed);
}

void rf_profile_cleanup(struct rf_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nskills; i++)
        free_skill(&p->skills[i]);
    free(p->skills);
    free(p->person);
    free(p->source);
    p->skills = NULL;
    p->nskills = p->cap = 0;
    p->person = p->source = NULL;
}

rf_status rf_profile_set_person(struct rf_profile *p, const char *person, const char *source,
                                struct rf_err *err)
{
    char *np = person ? rf_strdup(person) : NULL;
    char *ns = source ? rf_strdup(source) : NULL;
    if ((person && !np) || (source && !ns)) {
        free(np);
        free(ns);
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    }
    free(p->person);
    free(p->source);
    p->person = np;
    p->source = ns;
    return RF_OK;
}

const struct rf_profile_skill *rf_profile_find(const struct rf_profile *p, const char *skill)
{
    for (size_t i = 0; i < p->nskills; i++)
        if (strcmp(p->skills[i].skill, skill) == 0)
            return &p->skills[i];
    return NULL;
}

double rf_profile_node(const struct rf_profile *p, size_t i)
{
    return p->lo + (double)i * (p->hi - p->lo) / (double)(p->n - 1);
}

/* rf_profile_add_skill; with renorm 0 a posterior that passes the checks is
 * stored as given (the packed reader: its doubles were renormalized once
 * already, and a second division by their sum could move them by an ulp). */
static rf_status add_skill(struct rf_profile *p, const char *skill, double theta, double se,
                           size_t items, const double *posterior, int renorm, size_t *idx,
                           struct rf_err *err)
{
    if (!skill || !skill[0])
        return rf_err_set(err, RF_EINVAL, "field 'skill': empty skill id");
    if (strlen(skill) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "field 'skill': id longer than %d bytes",
                          RF_MAX_ID_LEN);
    if (rf_profile_find(p, skill))
        return rf_err_set(err, RF_EINVAL, "field 'skill': '%s' appears twice", skill);
    if (!isfinite(theta))
        return rf_err_set(err, RF_EINVAL, "field 'theta': not a finite number");
    if (!(isfinite(se) && se > 0))
        return rf_err_set(err, RF_EINVAL, "field 'se': expected a number > 0, got %g", se);
    double *post = NULL;
    if (posterior) {
        double sum = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (!(isfinite(posterior[i]) && posterior[i] >= 0))
                return rf_err_set(err, RF_EINVAL,
                                  "field 'posterior': value %zu is negative or not finite", i);
            sum += posterior[i];
        }
        if (fabs(sum - 1.0) > RF_PROFILE_POST_TOL)
            return rf_err_set(err, RF_EINVAL,
                              "field 'posterior': values sum to %.9g, expected 1 (within %g)",
                              sum, RF_PROFILE_POST_TOL);
        post = rf_alloc_array(p->n, sizeof *post);
        if (!post)
            return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
        for (size_t i = 0; i < p->n; i++)
            post[i] = renorm ? posterior[i] / sum : posterior[i];
    }
    if (p->nskills == p->cap) {
        size_t nc = p->cap ? 2 * p->cap : 16;
        struct rf_profile_skill *ns = rf_realloc_array(p->skills, nc, sizeof *ns);
        if (!ns) {
            free(post);
            return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
        }
        p->skills = ns;
        p->cap = nc;
    }
    char *id = rf_strdup(skill);
    if (!id) {
        free(post);
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    }
    struct rf_profile_skill *s = &p->skills[p->nskills];
    memset(s, 0, sizeof *s);
    s->skill = id;
    s->theta = theta;
    s->se = se;
    s->items = items;
    s->posterior = post;
    if (idx)
        *idx = p->nskills;
    p->nskills++;
    return RF_OK;
}

rf_status rf_profile_add_skill(struct rf_profile *p, const char *skill, double theta, double se,
                               size_t items, const double *posterior, size_t *idx,
                               struct rf_err *err)
{
    return add_skill(p, skill, theta, se, items, posterior, 1, idx, err);
}

rf_status rf_profile_add_posterior(struct rf_profile *p, const char *skill, size_t items,
                                   const double *posterior, size_t *idx, struct rf_err *err)
{
    double sum = 0, m1 = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (!(isfinite(posterior[i]) && posterior[i] >= 0))
            return rf_err_set(err, RF_EINVAL,
                              "field 'posterior': value %zu is negative or not finite", i);
        sum += posterior[i];
        m1 += posterior[i] * rf_profile_node(p, i);
    }
    if (!(sum > 0))
        return rf_err_set(err, RF_EINVAL, "field 'posterior': no probability mass");
    double mean = m1 / sum, var = 0;
    for (size_t i = 0; i < p->n; i++) {
        double d = rf_profile_node(p, i) - mean;
        var += posterior[i] / sum * d * d;
    }
    double *norm = rf_alloc_array(p->n, sizeof *norm);
    if (!norm)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    for (size_t i = 0; i < p->n; i++)
        norm[i] = posterior[i] / sum;
    /* A posterior concentrated on one node has SD 0; its SD is then at most
     * the cell width, which keeps se > 0 without inventing precision. */
    double h = (p->hi - p->lo) / (double)(p->n - 1);
    double se = sqrt(var);
    if (se < h / sqrt(12.0))
        se = h / sqrt(12.0);
    rf_status rc = rf_profile_add_skill(p, skill, mean, se, items, norm, idx, err);
    free(norm);
    return rc;
}

rf_status rf_profile_add_missed(struct rf_profile *p, size_t idx, const char *item,
                                const char *const *tags, size_t ntags, struct rf_err *err)
{
    if (idx >= p->nskills)
        return rf_err_set(err, RF_EINVAL, "profile: no skill at index %zu", idx);
    if (!item || !item[0])
        return rf_err_set(err, RF_EINVAL, "field 'item': empty item id");
    for (size_t t = 0; t < ntags; t++)
        if (!tags[t] || !tags[t][0])
            return rf_err_set(err, RF_EINVAL, "item '%s': field 'tags': tag %zu is empty", item,
                              t);
    struct rf_profile_skill *s = &p->skills[idx];
    struct rf_profile_miss m = {0};
    int ok = (m.item = rf_strdup(item)) != NULL;
    if (ok && ntags)
        ok = (m.tags = rf_calloc_array(ntags, sizeof *m.tags)) != NULL;
    for (size_t t = 0; ok && t < ntags; t++, m.ntags++)
        ok = (m.tags[t] = rf_strdup(tags[t])) != NULL;
    struct rf_profile_miss *nm = NULL;
    if (ok)
        nm = rf_realloc_array(s->missed, s->nmissed + 1, sizeof *nm);
    if (!nm) {
        free_miss(&m);
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    }
    s->missed = nm;
    s->missed[s->nmissed++] = m;
    return RF_OK;
}

double rf_profile_tail(const struct rf_profile *p, const struct rf_profile_skill *s, double cut)
{
    if (!s)
        return 0.5 * erfc(cut / M_SQRT2);
    if (!s->posterior)
        return 0.5 * erfc((cut - s->theta) / (s->se * M_SQRT2));
    double h = (p->hi - p->lo) / (double)(p->n - 1);
    double tail = 0;
    for (size_t i = 0; i < p->n; i++) {
        double f = (rf_profile_node(p, i) + 0.5 * h - cut) / h;
        if (f >= 1)
            tail += s->posterior[i];
        else if (f > 0)
            tail += f * s->posterior[i];
    }
    return tail > 1 ? 1 : tail;
}

void rf_profile_posterior(const struct rf_profile *p, const struct rf_profile_skill *s,
                          double *out)
{
    if (s && s->posterior) {
        memcpy(out, s->posterior, p->n * sizeof *out);
        return;
    }
    double m = s ? s->theta : 0.0, sd = s ? s->se : 1.0, sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        double z = (rf_profile_node(p, i) - m) / sd;
        out[i] = exp(-0.5 * z * z);
        sum += out[i];
    }
    if (sum > 0) {
        for (size_t i = 0; i < p->n; i++)
            out[i] /= sum;
    } else {
        /* The whole normal lies off the grid: put its mass on the nearest end. */
        memset(out, 0, p->n * sizeof *out);
        out[m < p->lo ? 0 : p->n - 1] = 1.0;
    }
}

/* ---- JSON reading ---- */

static rf_status read_missed(struct rf_profile *p, size_t idx, const json_t *arr,
                             const char *where, struct rf_err *err)
{
    if (!json_is_array(arr))
        return rf_err_set(err, RF_EINVAL, "%s: field 'missed': expected an array", where);
    size_t i;
    const json_t *m;
    json_array_foreach(arr, i, m)
    {
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: missed[%zu]", where, i);
        const char *item = NULL;
        rf_status rc = rf_json_get_string(m, "item", 1, &item, w, err);
        if (rc)
            return rc;
        const json_t *tags = json_object_get(m, "tags");
        size_t ntags = 0;
        const char *tv[RF_PROFILE_MAX_TAGS];
        if (tags) {
            if (!json_is_array(tags))
                return rf_err_set(err, RF_EINVAL, "%s: field 'tags': expected an array of strings",
                                  w);
            if (json_array_size(tags) > RF_PROFILE_MAX_TAGS)
                return rf_err_set(err, RF_ETOOBIG, "%s: field 'tags': more than %d tags", w,
                                  RF_PROFILE_MAX_TAGS);
            size_t t;
            const json_t *tag;
            json_array_foreach(tags, t, tag)
            {
                if (!json_is_string(tag))
                    return rf_err_set(err, RF_EINVAL, "%s: field 'tags': entry %zu is not a string",
                                      w, t);
                tv[ntags++] = json_string_value(tag);
            }
        }
        rc = rf_profile_add_missed(p, idx, item, tv, ntags, err);
        if (rc) {
            rf_err_prefix(err, "%s", w);
            return rc;
        }
    }
    return RF_OK;
}

static rf_status read_skill(struct rf_profile *p, const json_t *o, const char *where,
                            struct rf_err *err)
{
    const char *id = NULL;
    rf_status rc = rf_json_get_string(o, "skill", 1, &id, where, err);
    if (rc)
        return rc;
    char w[RF_ERRMSG_LEN];
    snprintf(w, sizeof w, "%s '%.*s'", where, RF_MAX_ID_LEN, id);
    double theta = 0, se = 0;
    size_t items = 0;
    if ((rc = rf_json_get_number(o, "theta", 1, &theta, NULL, w, err)) ||
        (rc = rf_json_get_number(o, "se", 1, &se, NULL, w, err)) ||
        (rc = rf_json_get_size(o, "items", 0, &items, w, err)))
        return rc;
    if (!(se > 0))
        return rf_err_set(err, RF_EINVAL, "%s: field 'se': expected a number > 0, got %g", w, se);
    const json_t *post = json_object_get(o, "posterior");
    double *pv = NULL;
    if (post) {
        if (!json_is_array(post))
            return rf_err_set(err, RF_EINVAL, "%s: field 'posterior': expected an array", w);
        if (json_array_size(post) != p->n)
            return rf_err_set(err, RF_EINVAL,
                              "%s: field 'posterior': %zu values, but the grid has %zu nodes", w,
                              json_array_size(post), p->n);
        pv = rf_alloc_array(p->n, sizeof *pv);
        if (!pv)
            return rf_err_set(err, RF_ENOMEM, "%s: out of memory", w);
        for (size_t i = 0; i < p->n; i++) {
            const json_t *v = json_array_get(post, i);
            if (!json_is_number(v)) {
                free(pv);
                return rf_err_set(err, RF_EINVAL,
                                  "%s: field 'posterior': value %zu is not a number", w, i);
            }
            pv[i] = json_number_value(v);
        }
    }
    size_t idx;
    rc = rf_profile_add_skill(p, id, theta, se, items, pv, &idx, err);
    free(pv);
    if (rc) {
        rf_err_prefix(err, "%s", w);
        return rc;
    }
    const json_t *missed = json_object_get(o, "missed");
    if (missed)
        return read_missed(p, idx, missed, w, err);
    return RF_OK;
}

rf_status rf_profile_from_json(const json_t *j, const char *name, struct rf_profile *p,
                               struct rf_err *err)
{
    rf_profile_init_default(p);
    if (!json_is_object(j))
        return rf_err_set(err, RF_EINVAL, "%s: expected a JSON object", name);
    rf_status rc;
    const char *person = NULL, *source = NULL;
    if ((rc = rf_json_get_string(j, "person", 0, &person, name, err)) ||
        (rc = rf_json_get_string(j, "source", 0, &source, name, err)))
        return rc;
    const json_t *grid = json_object_get(j, "grid");
    if (grid) {
        char w[RF_ERRMSG_LEN];
        snprintf(w, sizeof w, "%s: grid", name);
        double lo = 0, hi = 0;
        size_t n = 0;
        if ((rc = rf_json_get_number(grid, "lo", 1, &lo, NULL, w, err)) ||
            (rc = rf_json_get_number(grid, "hi", 1, &hi, NULL, w, err)) ||
            (rc = rf_json_get_size(grid, "n", 1, &n, w, err)))
            return rc;
        if ((rc = rf_profile_init(p, lo, hi, n, err))) {
            rf_err_prefix(err, "%s", name);
            return rc;
        }
    }
    if ((rc = rf_profile_set_person(p, person, source, err)))
        return rc;
    const json_t *skills = json_object_get(j, "skills");
    if (!skills)
        rc = rf_err_set(err, RF_EINVAL, "%s: missing field 'skills'", name);
    else if (!json_is_array(skills))
        rc = rf_err_set(err, RF_EINVAL, "%s: field 'skills': expected an array", name);
    else if (json_array_size(skills) > RF_PROFILE_MAX_SKILLS)
        rc = rf_err_set(err, RF_ETOOBIG, "%s: field 'skills': more than %d skills", name,
                        RF_PROFILE_MAX_SKILLS);
    size_t i;
    const json_t *s;
    if (!rc) {
        json_array_foreach(skills, i, s)
        {
            char w[RF_ERRMSG_LEN];
            snprintf(w, sizeof w, "%s: skills[%zu]", name, i);
            if ((rc = read_skill(p, s, w, err)))
                break;
        }
    }
    if (rc)
        rf_profile_cleanup(p);
    return rc;
}

rf_status rf_profile_parse(const char *name, const char *data, size_t len, struct rf_profile *p,
                           struct rf_err *err)
{
    json_t *j = NULL;
    rf_profile_init_default(p);
    rf_status rc = rf_json_load_mem(name, data, len, &j, err);
    if (rc)
        return rc;
    rc = rf_profile_from_json(j, name, p, err);
    json_decref(j);
    return rc;
}

rf_status rf_profile_load(const char *path, struct rf_profile *p, struct rf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    rf_profile_init_default(p);
    rf_status rc = rf_file_read(path, RF_PROFILE_MAX_BYTES, &data, &len, err);
    if (rc)
        return rc;
    rc = rf_profile_parse(path, data, len, p, err);
    free(data);
    return rc;
}

/* ---- JSON writing ---- */

/* json_object_set_new that reports failure (NULL value or no memory). */
static int put(json_t *o, const char *k, json_t *v)
{
    return v != NULL && json_object_set_new(o, k, v) == 0;
}

static int append(json_t *a, json_t *v)
{
    return v != NULL && json_array_append_new(a, v) == 0;
}

static json_t *skill_json(const struct rf_profile *p, const struct rf_profile_skill *s)
{
    json_t *o = json_object();
    int ok = o && put(o, "skill", json_string(s->skill)) && put(o, "theta", json_real(s->theta)) &&
             put(o, "se", json_real(s->se)) && put(o, "items", json_integer((json_int_t)s->items));
    if (ok && s->posterior) {
        json_t *a = json_array();
        ok = put(o, "posterior", a);
        for (size_t i = 0; ok && i < p->n; i++)
            ok = append(a, json_real(s->posterior[i]));
    }
    if (ok && s->nmissed) {
        json_t *a = json_array();
        ok = put(o, "missed", a);
        for (size_t i = 0; ok && i < s->nmissed; i++) {
            const struct rf_profile_miss *m = &s->missed[i];
            json_t *mo = json_object(), *tags = json_array();
            ok = append(a, mo) && put(mo, "item", json_string(m->item)) && put(mo, "tags", tags);
            for (size_t t = 0; ok && t < m->ntags; t++)
                ok = append(tags, json_string(m->tags[t]));
        }
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

rf_status rf_profile_to_json(const struct rf_profile *p, json_t **out, struct rf_err *err)
{
    json_t *o = json_object();
    int ok = o != NULL;
    if (ok && p->person)
        ok = put(o, "person", json_string(p->person));
    if (ok && p->source)
        ok = put(o, "source", json_string(p->source));
    json_t *grid = json_object();
    ok = ok && put(o, "grid", grid) && put(grid, "lo", json_real(p->lo)) &&
         put(grid, "hi", json_real(p->hi)) && put(grid, "n", json_integer((json_int_t)p->n));
    json_t *skills = json_array();
    ok = ok && put(o, "skills", skills);
    for (size_t i = 0; ok && i < p->nskills; i++)
        ok = append(skills, skill_json(p, &p->skills[i]));
    if (!ok) {
        json_decref(o);
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory writing JSON");
    }
    *out = o;
    return RF_OK;
}

rf_status rf_profile_save(const struct rf_profile *p, const char *path, struct rf_err *err)
{
    json_t *j = NULL;
    rf_status rc = rf_profile_to_json(p, &j, err);
    if (rc)
        return rc;
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(j);
    if (!text)
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory writing JSON", path);
    size_t len = strlen(text);
    char *withnl = realloc(text, len + 2);
    if (!withnl) {
        free(text);
        return rf_err_set(err, RF_ENOMEM, "%s: out of memory writing JSON", path);
    }
    withnl[len] = '\n';
    withnl[len + 1] = '\0';
    rc = rf_file_write_atomic(path, withnl, len + 1, err);
    free(withnl);
    return rc;
}

/* ---- packed form ---- */

/* "RFP1", u32 n, f64 lo, f64 hi, u32 nskills, then per skill: u32 id length,
 * the id's bytes, f64 theta, f64 se, u64 items, u32 posterior length (0 or n)
 * and that many f64. Little-endian; f64 is the IEEE 754 bit pattern. */
static const unsigned char pack_magic[4] = {'R', 'F', 'P', '1'};

static unsigned char *put_u64(unsigned char *w, uint64_t v, size_t nbytes)
{
    for (size_t i = 0; i < nbytes; i++)
        *w++ = (unsigned char)(v >> (8 * i));
    return w;
}

static unsigned char *put_f64(unsigned char *w, double x)
{
    uint64_t v;
    memcpy(&v, &x, sizeof v);
    return put_u64(w, v, 8);
}

rf_status rf_profile_pack(const struct rf_profile *p, unsigned char **out, size_t *len,
                          struct rf_err *err)
{
    size_t size = sizeof pack_magic + 4 + 8 + 8 + 4;
    for (size_t k = 0; k < p->nskills; k++)
        size += 4 + strlen(p->skills[k].skill) + 8 + 8 + 8 + 4 +
                (p->skills[k].posterior ? 8 * p->n : 0);
    unsigned char *buf = malloc(size), *w = buf;
    if (!buf)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory packing");
    memcpy(w, pack_magic, sizeof pack_magic);
    w = put_u64(w + sizeof pack_magic, p->n, 4);
    w = put_f64(w, p->lo);
    w = put_f64(w, p->hi);
    w = put_u64(w, p->nskills, 4);
    for (size_t k = 0; k < p->nskills; k++) {
        const struct rf_profile_skill *s = &p->skills[k];
        size_t l = strlen(s->skill);
        w = put_u64(w, l, 4);
        memcpy(w, s->skill, l);
        w = put_f64(w + l, s->theta);
        w = put_f64(w, s->se);
        w = put_u64(w, s->items, 8);
        w = put_u64(w, s->posterior ? p->n : 0, 4);
        for (size_t i = 0; s->posterior && i < p->n; i++)
            w = put_f64(w, s->posterior[i]);
    }
    *out = buf;
    *len = size;
    return RF_OK;
}

/* A cursor over packed bytes; reads past the end set bad instead. */
struct unpacker {
    const unsigned char *r, *end;
    int bad;
};

static uint64_t get_u64(struct unpacker *u, size_t nbytes)
{
    if (u->bad || (size_t)(u->end - u->r) < nbytes) {
        u->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < nbytes; i++)
        v |= (uint64_t)u->r[i] << (8 * i);
    u->r += nbytes;
    return v;
}

static double get_f64(struct unpacker *u)
{
    uint64_t v = get_u64(u, 8);
    double x;
    memcpy(&x, &v, sizeof x);
    return x;
}

static rf_status truncated(struct rf_profile *p, struct rf_err *err, const char *what)
{
    rf_profile_cleanup(p);
    return rf_err_set(err, RF_EINVAL, "packed profile: truncated or corrupted at %s", what);
}

rf_status rf_profile_unpack(const unsigned char *data, size_t len, struct rf_profile *p,
                            struct rf_err *err)
{
    rf_profile_init_default(p);
    struct unpacker u = {data, data + len, 0};
    if (len < sizeof pack_magic || memcmp(data, pack_magic, sizeof pack_magic) != 0)
        return truncated(p, err, "its header");
    u.r += sizeof pack_magic;
    uint64_t n = get_u64(&u, 4);
    double lo = get_f64(&u), hi = get_f64(&u);
    uint64_t nskills = get_u64(&u, 4);
    if (u.bad || nskills > RF_PROFILE_MAX_SKILLS)
        return truncated(p, err, "its header");
    rf_status rc = rf_profile_init(p, lo, hi, (size_t)n, err);
    if (rc) {
        rf_err_prefix(err, "packed profile");
        return rc;
    }
    double post[RF_QUAD_MAX_N];
    char id[RF_MAX_ID_LEN + 1];
    for (uint64_t k = 0; k < nskills; k++) {
        uint64_t l = get_u64(&u, 4);
        if (u.bad || l > RF_MAX_ID_LEN || (size_t)(u.end - u.r) < l)
            return truncated(p, err, "a skill id");
        memcpy(id, u.r, (size_t)l);
        id[l] = '\0';
        u.r += l;
        double theta = get_f64(&u), se = get_f64(&u);
        uint64_t items = get_u64(&u, 8), npost = get_u64(&u, 4);
        if (u.bad || (npost != 0 && npost != p->n))
            return truncated(p, err, "a skill");
        for (uint64_t i = 0; i < npost; i++)
            post[i] = get_f64(&u);
        if (u.bad)
            return truncated(p, err, "a posterior");
        if (strlen(id) != l)
            return truncated(p, err, "a skill id");
        rc = add_skill(p, id, theta, se, (size_t)items, npost ? post : NULL, 0, NULL, err);
        if (rc) {
            rf_err_prefix(err, "packed profile: skills[%zu]", (size_t)k);
            rf_profile_cleanup(p);
            return rc;
        }
    }
    if (u.r != u.end)
        return truncated(p, err, "its end");
    return RF_OK;
}
