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
    free(s->loglik);
    for (size_t i = 0; i < s->nmissed; i++)
        free_miss(&s->missed[i]);
    free(s->missed);
}

static void free_model(struct rf_profile_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nskills; i++)
        free(m->skills[i]);
    free(m->role);
    free(m);
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
    free_model(p->model);
    for (size_t i = 0; i < p->nsessions; i++)
        free(p->sessions[i]);
    free(p->sessions);
    p->skills = NULL;
    p->nskills = p->cap = 0;
    p->person = p->source = NULL;
    p->model = NULL;
    p->sessions = NULL;
    p->nsessions = 0;
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

static rf_status add_miss(struct rf_profile *p, size_t idx, const char *item,
                         const char *const *tags, size_t ntags, int partial, struct rf_err *err)
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
    m.partial = partial;
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

rf_status rf_profile_add_missed(struct rf_profile *p, size_t idx, const char *item,
                                const char *const *tags, size_t ntags, struct rf_err *err)
{
    return add_miss(p, idx, item, tags, ntags, 0, err);
}

rf_status rf_profile_add_partly(struct rf_profile *p, size_t idx, const char *item,
                                const char *const *tags, size_t ntags, struct rf_err *err)
{
    return add_miss(p, idx, item, tags, ntags, 1, err);
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
        const json_t *part = json_object_get(m, "partial");
        if (part && !json_is_boolean(part))
            return rf_err_set(err, RF_EINVAL, "%s: field 'partial': expected true or false", w);
        rc = add_miss(p, idx, item, tv, ntags, json_is_true(part), err);
        if (rc) {
            rf_err_prefix(err, "%s", w);
            return rc;
        }
    }
    return RF_OK;
}

static rf_status read_loglik(struct rf_profile *p, size_t idx, const json_t *a, const char *w,
                             struct rf_err *err);

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
    const json_t *ll = json_object_get(o, "loglik");
    if (ll && (rc = read_loglik(p, idx, ll, w, err)))
        return rc;
    const json_t *rl = json_object_get(o, "random_lbf");
    if (rl) {
        if (!json_is_number(rl) && !json_is_null(rl))
            return rf_err_set(err, RF_EINVAL, "%s: field 'random_lbf': expected a number or null",
                              w);
        if ((rc = rf_profile_set_random(p, idx, json_is_null(rl) ? -HUGE_VAL : json_number_value(rl),
                                        err))) {
            rf_err_prefix(err, "%s", w);
            return rc;
        }
    }
    const json_t *missed = json_object_get(o, "missed");
    if (missed)
        return read_missed(p, idx, missed, w, err);
    return RF_OK;
}

/* A number array of exactly n entries (null allowed where nulls, as -inf). */
static rf_status read_numbers(const json_t *a, size_t n, int nulls, double *out,
                              const char *where, const char *field, struct rf_err *err)
{
    if (!json_is_array(a) || json_array_size(a) != n)
        return rf_err_set(err, RF_EINVAL, "%s: field '%s': expected an array of %zu numbers",
                          where, field, n);
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        if (nulls && json_is_null(v))
            out[i] = -HUGE_VAL;
        else if (json_is_number(v))
            out[i] = json_number_value(v);
        else
            return rf_err_set(err, RF_EINVAL, "%s: field '%s': value %zu is not a number%s",
                              where, field, i, nulls ? " or null" : "");
    }
    return RF_OK;
}

static rf_status read_loglik(struct rf_profile *p, size_t idx, const json_t *a, const char *w,
                             struct rf_err *err)
{
    double v[RF_QUAD_MAX_N];
    rf_status rc = read_numbers(a, p->n, 1, v, w, "loglik", err);
    if (!rc && (rc = rf_profile_set_loglik(p, idx, v, err)))
        rf_err_prefix(err, "%s", w);
    return rc;
}

static rf_status read_model(struct rf_profile *p, const json_t *mj, const char *name,
                            struct rf_err *err)
{
    char w[RF_ERRMSG_LEN];
    snprintf(w, sizeof w, "%s: model", name);
    if (!json_is_object(mj))
        return rf_err_set(err, RF_EINVAL, "%s: expected an object", w);
    const json_t *sk = json_object_get(mj, "skills"), *cs = json_object_get(mj, "components");
    const json_t *as = json_object_get(mj, "assumed");
    if (!json_is_array(sk) || json_array_size(sk) == 0 ||
        json_array_size(sk) > RF_HIER_MAX_SKILLS)
        return rf_err_set(err, RF_EINVAL, "%s: field 'skills': expected 1 to %d skill ids", w,
                          RF_HIER_MAX_SKILLS);
    if (as && !json_is_boolean(as))
        return rf_err_set(err, RF_EINVAL, "%s: field 'assumed': expected true or false", w);
    size_t n = json_array_size(sk);
    const char *ids[RF_HIER_MAX_SKILLS];
    for (size_t k = 0; k < n; k++)
        if (!(ids[k] = json_string_value(json_array_get(sk, k))))
            return rf_err_set(err, RF_EINVAL, "%s: skills[%zu]: expected a string", w, k);
    struct rf_hier_spec sp;
    rf_hier_spec_init(&sp, n, 0.0);
    rf_status rc = read_numbers(json_object_get(mj, "loadings"), n, 0, sp.lambda, w, "loadings",
                                err);
    if (rc)
        return rc;
    if (!json_is_array(cs) || json_array_size(cs) == 0 ||
        json_array_size(cs) > RF_HIER_MAX_COMPONENTS)
        return rf_err_set(err, RF_EINVAL, "%s: field 'components': expected 1 to %d components",
                          w, RF_HIER_MAX_COMPONENTS);
    sp.ncomp = json_array_size(cs);
    for (size_t c = 0; c < sp.ncomp; c++) {
        const json_t *co = json_array_get(cs, c);
        char wc[RF_ERRMSG_LEN];
        snprintf(wc, sizeof wc, "%s: components[%zu]", w, c);
        if (!json_is_object(co))
            return rf_err_set(err, RF_EINVAL, "%s: expected an object", wc);
        if ((rc = rf_json_get_number(co, "weight", 1, &sp.comp[c].weight, NULL, wc, err)) ||
            (rc = read_numbers(json_object_get(co, "mu"), n, 0, sp.comp[c].mu, wc, "mu", err)) ||
            (rc = read_numbers(json_object_get(co, "tau"), n, 0, sp.comp[c].tau, wc, "tau", err)))
            return rc;
    }
    if ((rc = rf_profile_set_model(p, ids, n, &sp, json_is_true(as), err))) {
        rf_err_prefix(err, "%s", name);
        return rc;
    }
    const json_t *role = json_object_get(mj, "role");
    if (role && !json_is_string(role))
        return rf_err_set(err, RF_EINVAL, "%s: field 'role': expected a role id", w);
    if (role && (rc = rf_profile_set_model_role(p, json_string_value(role), err)))
        rf_err_prefix(err, "%s", w);
    return rc;
}

/* Version 2 fields: the model, the sessions. */
static rf_status read_v2(struct rf_profile *p, const json_t *j, const char *name,
                         struct rf_err *err)
{
    const json_t *ver = json_object_get(j, "version");
    if (ver && !(json_is_integer(ver) &&
                 (json_integer_value(ver) == 1 || json_integer_value(ver) == 2)))
        return rf_err_set(err, RF_EINVAL,
                          "%s: field 'version': this rolefit reads profile versions 1 and 2",
                          name);
    rf_status rc;
    const json_t *m = json_object_get(j, "model");
    if (m && (rc = read_model(p, m, name, err)))
        return rc;
    const json_t *ss = json_object_get(j, "sessions");
    if (!ss)
        return RF_OK;
    if (!json_is_array(ss))
        return rf_err_set(err, RF_EINVAL, "%s: field 'sessions': expected an array of ids", name);
    for (size_t i = 0; i < json_array_size(ss); i++) {
        const char *id = json_string_value(json_array_get(ss, i));
        if (!id)
            return rf_err_set(err, RF_EINVAL, "%s: sessions[%zu]: expected a string", name, i);
        if ((rc = rf_profile_add_session(p, id, err))) {
            rf_err_prefix(err, "%s", name);
            return rc;
        }
    }
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
    if (!rc)
        rc = read_v2(p, j, name, err);
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

void rf_profile_posterior_indep(const struct rf_profile *p, const struct rf_profile_skill *s,
                                double *out)
{
    if (!s || !s->loglik) {
        rf_profile_posterior(p, s, out);
        return;
    }
    double mx = -HUGE_VAL, sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        double x = rf_profile_node(p, i);
        out[i] = s->loglik[i] - 0.5 * x * x;
        if (out[i] > mx)
            mx = out[i];
    }
    for (size_t i = 0; i < p->n; i++) {
        out[i] = exp(out[i] - mx);
        sum += out[i];
    }
    for (size_t i = 0; i < p->n; i++)
        out[i] /= sum;
}

/* ---- evidence and the model prior ---- */

static struct rf_profile_skill *find_mut(struct rf_profile *p, const char *skill)
{
    for (size_t i = 0; i < p->nskills; i++)
        if (strcmp(p->skills[i].skill, skill) == 0)
            return &p->skills[i];
    return NULL;
}

rf_status rf_profile_set_loglik(struct rf_profile *p, size_t idx, const double *loglik,
                                struct rf_err *err)
{
    if (idx >= p->nskills)
        return rf_err_set(err, RF_EINVAL, "profile: no skill at index %zu", idx);
    int any = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (isnan(loglik[i]) || loglik[i] == HUGE_VAL)
            return rf_err_set(err, RF_EINVAL, "field 'loglik': value %zu is not a number or +inf",
                              i);
        any |= loglik[i] > -HUGE_VAL;
    }
    if (!any)
        return rf_err_set(err, RF_EINVAL, "field 'loglik': zero likelihood at every node");
    double *v = rf_alloc_array(p->n, sizeof *v);
    if (!v)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    memcpy(v, loglik, p->n * sizeof *v);
    free(p->skills[idx].loglik);
    p->skills[idx].loglik = v;
    return RF_OK;
}

rf_status rf_profile_set_random(struct rf_profile *p, size_t idx, double random_lbf,
                                struct rf_err *err)
{
    if (idx >= p->nskills)
        return rf_err_set(err, RF_EINVAL, "profile: no skill at index %zu", idx);
    if (isnan(random_lbf) || random_lbf == HUGE_VAL)
        return rf_err_set(err, RF_EINVAL, "field 'random_lbf': not a number or +inf");
    p->skills[idx].random_lbf = random_lbf;
    p->skills[idx].has_random = 1;
    return RF_OK;
}

rf_status rf_profile_set_model(struct rf_profile *p, const char *const *skills, size_t n,
                               const struct rf_hier_spec *spec, int assumed, struct rf_err *err)
{
    if (n != spec->nskills)
        return rf_err_set(err, RF_EINVAL, "model: %zu skills but the prior describes %zu", n,
                          spec->nskills);
    rf_status rc = rf_hier_spec_check(spec, err);
    if (rc) {
        rf_err_prefix(err, "model");
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (!skills[i] || !skills[i][0] || strlen(skills[i]) > RF_MAX_ID_LEN)
            return rf_err_set(err, RF_EINVAL, "model: skills[%zu]: expected a skill id", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(skills[i], skills[j]) == 0)
                return rf_err_set(err, RF_EINVAL, "model: skills[%zu]: '%s' appears twice", i,
                                  skills[i]);
    }
    struct rf_profile_model *m = calloc(1, sizeof *m);
    if (!m)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(m->skills[m->nskills++] = rf_strdup(skills[i]))) {
            free_model(m);
            return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
        }
    m->spec = *spec;
    m->assumed = assumed;
    free_model(p->model);
    p->model = m;
    return RF_OK;
}

rf_status rf_profile_set_model_role(struct rf_profile *p, const char *role, struct rf_err *err)
{
    if (!p->model || p->model->spec.ncomp < 2)
        return rf_err_set(err, RF_EINVAL,
                          "field 'role': a role needs a model whose last component is its people");
    if (!role || !role[0] || strlen(role) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "field 'role': expected a role id of 1 to %d bytes",
                          RF_MAX_ID_LEN);
    char *r = rf_strdup(role);
    if (!r)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    free(p->model->role);
    p->model->role = r;
    return RF_OK;
}

rf_status rf_profile_add_session(struct rf_profile *p, const char *id, struct rf_err *err)
{
    if (!id || !id[0] || strlen(id) > RF_MAX_ID_LEN)
        return rf_err_set(err, RF_EINVAL, "field 'sessions': expected ids of 1 to %d bytes",
                          RF_MAX_ID_LEN);
    if (p->nsessions >= RF_PROFILE_MAX_SESSIONS)
        return rf_err_set(err, RF_ETOOBIG, "field 'sessions': more than %d sessions",
                          RF_PROFILE_MAX_SESSIONS);
    char **ns = rf_realloc_array(p->sessions, p->nsessions + 1, sizeof *ns);
    if (!ns)
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    p->sessions = ns;
    if (!(ns[p->nsessions] = rf_strdup(id)))
        return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
    p->nsessions++;
    return RF_OK;
}

/* rf_profile_hier with spec in place of the model's (same skills). */
static rf_status hier_with(const struct rf_profile *p, const struct rf_hier_spec *spec,
                           struct rf_hier **h, struct rf_hier_state **st, struct rf_err *err);

rf_status rf_profile_hier(const struct rf_profile *p, struct rf_hier **h,
                          struct rf_hier_state **st, struct rf_err *err)
{
    *h = NULL;
    *st = NULL;
    return p->model ? hier_with(p, &p->model->spec, h, st, err) : RF_OK;
}

rf_status rf_profile_hier_unloaded(const struct rf_profile *p, struct rf_hier **h,
                                   struct rf_hier_state **st, struct rf_err *err)
{
    *h = NULL;
    *st = NULL;
    if (!p->model || !p->model->assumed)
        return RF_OK;
    struct rf_hier_spec sp = p->model->spec;
    int loaded = 0;
    for (size_t k = 0; k < sp.nskills; k++) {
        loaded |= sp.lambda[k] > 0;
        sp.lambda[k] = 0;
    }
    return loaded ? hier_with(p, &sp, h, st, err) : RF_OK;
}

static rf_status hier_with(const struct rf_profile *p, const struct rf_hier_spec *spec,
                           struct rf_hier **h, struct rf_hier_state **st, struct rf_err *err)
{
    const struct rf_profile_model *m = p->model;
    for (size_t k = 0; k < m->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(p, m->skills[k]);
        if (s && s->items > 0 && !s->loglik)
            return rf_err_set(err, RF_EINVAL,
                              "skill '%s': the model needs its log-likelihood ('loglik')",
                              s->skill);
    }
    struct rf_quad q;
    rf_status rc = rf_quad_init_even(&q, p->n, p->lo, p->hi, 0.0, 1.0, err);
    if (rc)
        return rc;
    struct rf_hier *hm = NULL;
    struct rf_hier_state *hs = NULL;
    rc = rf_hier_new_cached(spec, &q, &hm, err); /* a report builds the same model often */
    rf_quad_cleanup(&q);
    if (!rc)
        rc = rf_hier_state_new(hm, &hs, err);
    if (rc) {
        rf_hier_free(hm);
        return rc;
    }
    for (size_t k = 0; k < m->nskills; k++) {
        const struct rf_profile_skill *s = rf_profile_find(p, m->skills[k]);
        if (s && s->loglik)
            rf_hier_add_loglik(hs, k, s->loglik);
    }
    *h = hm;
    *st = hs;
    return RF_OK;
}

rf_status rf_profile_refresh(struct rf_profile *p, struct rf_err *err)
{
    struct rf_hier *h;
    struct rf_hier_state *st;
    rf_status rc = rf_profile_hier(p, &h, &st, err);
    if (rc || !h)
        return rc;
    double post[RF_QUAD_MAX_N];
    double cell = (p->hi - p->lo) / (double)(p->n - 1);
    for (size_t k = 0; k < p->model->nskills; k++) {
        struct rf_profile_skill *s = find_mut(p, p->model->skills[k]);
        if (!s)
            continue;
        if (!s->posterior && !(s->posterior = rf_alloc_array(p->n, sizeof *s->posterior))) {
            rc = rf_err_set(err, RF_ENOMEM, "profile: out of memory");
            break;
        }
        double mean, sd;
        rf_hier_marginal(st, k, post, &mean, &sd);
        memcpy(s->posterior, post, p->n * sizeof *post);
        s->theta = mean;
        /* as rf_profile_add_posterior: an SD below the cell's is the cell's */
        s->se = sd < cell / sqrt(12.0) ? cell / sqrt(12.0) : sd;
    }
    rf_hier_state_free(st);
    rf_hier_free(h);
    return rc;
}

rf_status rf_profile_derive_loglik(struct rf_profile *p, struct rf_err *err)
{
    if (p->model)
        return RF_OK;
    double lphi[RF_QUAD_MAX_N], ll[RF_QUAD_MAX_N], mx = -HUGE_VAL, z = 0;
    size_t n = p->n < RF_QUAD_MAX_N ? p->n : RF_QUAD_MAX_N;
    for (size_t i = 0; i < n; i++) {
        double x = rf_profile_node(p, i);
        lphi[i] = -0.5 * x * x;
        if (lphi[i] > mx)
            mx = lphi[i];
    }
    for (size_t i = 0; i < n; i++)
        z += exp(lphi[i] - mx);
    for (size_t i = 0; i < n; i++)
        lphi[i] -= mx + log(z);
    for (size_t k = 0; k < p->nskills; k++) {
        struct rf_profile_skill *s = &p->skills[k];
        if (s->loglik || !s->posterior)
            continue;
        for (size_t i = 0; i < n; i++)
            ll[i] = s->posterior[i] > 0 ? log(s->posterior[i]) - lphi[i] : -HUGE_VAL;
        rf_status rc = rf_profile_set_loglik(p, k, ll, err);
        if (rc)
            return rc;
    }
    return RF_OK;
}

/* Deep copy through the JSON form (exact: jansson keeps the doubles). */
static rf_status copy_profile(const struct rf_profile *src, struct rf_profile *dst,
                              struct rf_err *err)
{
    json_t *j = NULL;
    rf_status rc = rf_profile_to_json(src, &j, err);
    if (rc)
        return rc;
    rc = rf_profile_from_json(j, "profile", dst, err);
    json_decref(j);
    return rc;
}

/* Joins src's model skills that t's model lacks (or src's whole model). */
static rf_status combine_model(struct rf_profile *t, const struct rf_profile *src,
                               struct rf_err *err)
{
    const struct rf_profile_model *sm = src->model;
    if (!sm)
        return RF_OK;
    if (!t->model) {
        rf_status rc = rf_profile_set_model(t, (const char *const *)sm->skills, sm->nskills,
                                            &sm->spec, sm->assumed, err);
        return rc || !sm->role ? rc : rf_profile_set_model_role(t, sm->role, err);
    }
    struct rf_profile_model *m = t->model;
    for (size_t k = 0; k < sm->nskills; k++) {
        size_t j = 0;
        while (j < m->nskills && strcmp(m->skills[j], sm->skills[k]) != 0)
            j++;
        if (j < m->nskills)
            continue;
        if (m->nskills >= RF_HIER_MAX_SKILLS)
            return rf_err_set(err, RF_ETOOBIG, "model: more than %d skills", RF_HIER_MAX_SKILLS);
        if (!(m->skills[j] = rf_strdup(sm->skills[k])))
            return rf_err_set(err, RF_ENOMEM, "profile: out of memory");
        m->nskills++;
        m->spec.nskills = m->nskills;
        m->spec.lambda[j] = sm->spec.lambda[k];
        for (size_t c = 0; c < m->spec.ncomp; c++) {
            int same = c < sm->spec.ncomp && sm->spec.ncomp == m->spec.ncomp;
            m->spec.comp[c].mu[j] = same ? sm->spec.comp[c].mu[k] : 0;
            m->spec.comp[c].tau[j] = same ? sm->spec.comp[c].tau[k] : 1;
        }
        m->assumed |= sm->assumed;
    }
    return RF_OK;
}

/* log sum_q exp(ll_q) phi_q: the likelihood's average under N(0, 1), phi
 * normalized over p's grid as the engine's prior (up to ll's constant). */
static double log_marginal(const struct rf_profile *p, const double *ll)
{
    double mx = -HUGE_VAL, lz = -HUGE_VAL, sum = 0, zs = 0;
    for (size_t q = 0; q < p->n; q++) {
        double x = rf_profile_node(p, q), v = ll[q] - 0.5 * x * x;
        if (v > mx)
            mx = v;
        if (-0.5 * x * x > lz)
            lz = -0.5 * x * x;
    }
    if (!(mx > -HUGE_VAL))
        return -HUGE_VAL;
    for (size_t q = 0; q < p->n; q++) {
        double x = rf_profile_node(p, q);
        sum += exp(ll[q] - 0.5 * x * x - mx);
        zs += exp(-0.5 * x * x - lz);
    }
    return mx + log(sum) - lz - log(zs);
}

static rf_status combine_into(struct rf_profile *t, const struct rf_profile *src,
                              struct rf_err *err)
{
    rf_status rc = RF_OK;
    for (size_t i = 0; i < src->nskills && !rc; i++) {
        const struct rf_profile_skill *ss = &src->skills[i];
        if (!ss->loglik)
            return rf_err_set(err, RF_EINVAL,
                              "follow-up: skill '%s' has no log-likelihood to combine",
                              ss->skill);
        struct rf_profile_skill *ts = find_mut(t, ss->skill);
        size_t idx;
        if (ts) {
            if (!ts->loglik)
                return rf_err_set(err, RF_EINVAL,
                                  "profile: skill '%s' has no log-likelihood to combine",
                                  ts->skill);
            /* The random responder's evidence: its likelihoods multiply, the
             * population's average is that of the product (ll's constants
             * cancel). */
            double lr = ts->random_lbf + ss->random_lbf + log_marginal(t, ts->loglik) +
                        log_marginal(t, ss->loglik);
            int any = 0;
            for (size_t q = 0; q < t->n; q++) {
                ts->loglik[q] += ss->loglik[q];
                any |= ts->loglik[q] > -HUGE_VAL;
            }
            if (ts->has_random && ss->has_random && any) {
                lr -= log_marginal(t, ts->loglik);
                ts->random_lbf = isnan(lr) ? -HUGE_VAL : lr;
            } else {
                ts->has_random = 0;
            }
            if (!any)
                return rf_err_set(err, RF_EINVAL,
                                  "follow-up: skill '%s': the sessions contradict each other "
                                  "(zero likelihood everywhere)",
                                  ss->skill);
            ts->items += ss->items;
            idx = (size_t)(ts - t->skills);
        } else {
            if ((rc = add_skill(t, ss->skill, ss->theta, ss->se, ss->items, ss->posterior, 0,
                                &idx, err)) ||
                (rc = rf_profile_set_loglik(t, idx, ss->loglik, err)) ||
                (ss->has_random && (rc = rf_profile_set_random(t, idx, ss->random_lbf, err))))
                return rc;
        }
        for (size_t m = 0; m < ss->nmissed && !rc; m++)
            rc = add_miss(t, idx, ss->missed[m].item, (const char *const *)ss->missed[m].tags,
                          ss->missed[m].ntags, ss->missed[m].partial, err);
    }
    for (size_t i = 0; i < src->nsessions && !rc; i++)
        rc = rf_profile_add_session(t, src->sessions[i], err);
    if (!rc)
        rc = combine_model(t, src, err);
    if (!rc)
        rc = rf_profile_refresh(t, err);
    return rc;
}

rf_status rf_profile_combine(struct rf_profile *dst, const struct rf_profile *src,
                             struct rf_err *err)
{
    if (dst->n != src->n || dst->lo != src->lo || dst->hi != src->hi)
        return rf_err_set(err, RF_EINVAL,
                          "follow-up: grid (%g, %g, %zu) differs from the profile's (%g, %g, %zu)",
                          src->lo, src->hi, src->n, dst->lo, dst->hi, dst->n);
    struct rf_profile t;
    rf_status rc = copy_profile(dst, &t, err);
    if (rc)
        return rc;
    if ((rc = combine_into(&t, src, err))) {
        rf_profile_cleanup(&t);
        return rc;
    }
    rf_profile_cleanup(dst);
    *dst = t;
    return RF_OK;
}

rf_status rf_profile_combine_under(struct rf_profile *dst, const struct rf_profile *src,
                                   struct rf_err *err)
{
    const struct rf_profile_model *sm = src->model;
    if (!sm)
        return rf_err_set(err, RF_EINVAL,
                          "follow-up: no prior of its own to read the profile under");
    if (dst->n != src->n || dst->lo != src->lo || dst->hi != src->hi)
        return rf_err_set(err, RF_EINVAL,
                          "follow-up: grid (%g, %g, %zu) differs from the profile's (%g, %g, %zu)",
                          src->lo, src->hi, src->n, dst->lo, dst->hi, dst->n);
    struct rf_profile t, old;
    memset(&old, 0, sizeof old);
    rf_status rc = copy_profile(dst, &t, err);
    if (rc)
        return rc;
    /* src's prior, then the skills of dst's model it lacks (as a follow-up's
     * join a profile's), then src's evidence. */
    old.model = t.model;
    t.model = NULL;
    rc = rf_profile_set_model(&t, (const char *const *)sm->skills, sm->nskills, &sm->spec,
                              sm->assumed, err);
    if (!rc && sm->role)
        rc = rf_profile_set_model_role(&t, sm->role, err);
    if (!rc)
        rc = combine_model(&t, &old, err);
    free_model(old.model);
    if (!rc)
        rc = combine_into(&t, src, err);
    if (rc) {
        rf_profile_cleanup(&t);
        return rc;
    }
    rf_profile_cleanup(dst);
    *dst = t;
    return RF_OK;
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
    if (ok && s->loglik) {
        json_t *a = json_array();
        ok = put(o, "loglik", a);
        for (size_t i = 0; ok && i < p->n; i++)
            ok = append(a, s->loglik[i] > -HUGE_VAL ? json_real(s->loglik[i]) : json_null());
    }
    if (ok && s->has_random)
        ok = put(o, "random_lbf",
                 s->random_lbf > -HUGE_VAL ? json_real(s->random_lbf) : json_null());
    if (ok && s->nmissed) {
        json_t *a = json_array();
        ok = put(o, "missed", a);
        for (size_t i = 0; ok && i < s->nmissed; i++) {
            const struct rf_profile_miss *m = &s->missed[i];
            json_t *mo = json_object(), *tags = json_array();
            ok = append(a, mo) && put(mo, "item", json_string(m->item)) && put(mo, "tags", tags);
            if (ok && m->partial)
                ok = put(mo, "partial", json_true());
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

static json_t *model_json(const struct rf_profile_model *m)
{
    json_t *o = json_object(), *sk = json_array(), *la = json_array(), *cs = json_array();
    int ok = o && put(o, "assumed", json_boolean(m->assumed)) && put(o, "skills", sk) &&
             put(o, "loadings", la) && put(o, "components", cs);
    if (ok && m->role)
        ok = put(o, "role", json_string(m->role));
    for (size_t k = 0; ok && k < m->nskills; k++)
        ok = append(sk, json_string(m->skills[k])) && append(la, json_real(m->spec.lambda[k]));
    for (size_t c = 0; ok && c < m->spec.ncomp; c++) {
        json_t *co = json_object(), *mu = json_array(), *tau = json_array();
        ok = append(cs, co) && put(co, "weight", json_real(m->spec.comp[c].weight)) &&
             put(co, "mu", mu) && put(co, "tau", tau);
        for (size_t k = 0; ok && k < m->nskills; k++)
            ok = append(mu, json_real(m->spec.comp[c].mu[k])) &&
                 append(tau, json_real(m->spec.comp[c].tau[k]));
    }
    if (!ok) {
        json_decref(o);
        if (!o) {
            json_decref(sk);
            json_decref(la);
            json_decref(cs);
        }
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
    int v2 = p->model != NULL || p->nsessions > 0;
    for (size_t i = 0; i < p->nskills; i++)
        v2 |= p->skills[i].loglik != NULL;
    if (ok && v2)
        ok = put(o, "version", json_integer(2));
    if (ok && p->model)
        ok = put(o, "model", model_json(p->model));
    if (ok && p->nsessions) {
        json_t *a = json_array();
        ok = put(o, "sessions", a);
        for (size_t i = 0; ok && i < p->nsessions; i++)
            ok = append(a, json_string(p->sessions[i]));
    }
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
