/*
 * Fairness in the product (issue 19; docs/fairness.md "In the product"):
 * candidates' self-reported group membership, and the admins' aggregate
 * reports built on it, adverse impact per posting and DIF per item.
 *
 * Invariants:
 * - A candidate's groups are read and written by that candidate alone
 *   (rf_app_groups_*); staff never read one person's answer. Nothing here
 *   touches a test, its score or its report.
 * - The reports are admins' only (a recruiter is refused, 403) and
 *   aggregate only: counts and rates per group, never a person, and no
 *   figure of a group below the minimum sizes (calib/impact.h, calib/dif.h),
 *   which the operator sets (rf_app_config) and no request can lower.
 * - The statistics are calib's (impact.c, dif.c, fairness_out.c); this file
 *   only gathers their inputs from the store and the ranking.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/mem.h"
#include "calib/dif.h"
#include "calib/dif_poly.h"
#include "calib/impact.h"
#include "careers/fit.h"
#include "server/app_flow.h"
#include "server/pretest_data.h"
#include "store/groups.h"
#include "store/store.h"

/* The dimensions' names in requests and reports, in groups.h's order. */
static const char *const dim_names[RF_GROUP_NDIMS] = {"gender", "age_band", "first_language",
                                                      "country"};

/* The values a closed dimension takes (NULL-terminated); the others take a
 * code (first language: ISO 639-1, two lowercase letters; country: ISO
 * 3166-1 alpha-2, two capitals). */
static const char *const genders[] = {"woman", "man", "nonbinary", "other", NULL};
static const char *const age_bands[] = {"under_25", "25_34",   "35_44", "45_54",
                                        "55_64",    "65_plus", NULL};

#define CSV_CAP (16L * 1024L * 1024L)

static int dim_of(const char *name)
{
    for (int i = 0; i < RF_GROUP_NDIMS; i++)
        if (!strcmp(name, dim_names[i]))
            return i;
    return -1;
}

/* Whether v is a value dimension d takes. */
static int valid_value(int d, const char *v)
{
    const char *const *list = d == RF_GROUP_GENDER     ? genders
                              : d == RF_GROUP_AGE_BAND ? age_bands
                                                       : NULL;
    if (list) {
        for (size_t i = 0; list[i]; i++)
            if (!strcmp(list[i], v))
                return 1;
        return 0;
    }
    char lo = d == RF_GROUP_FIRST_LANGUAGE ? 'a' : 'A',
         hi = d == RF_GROUP_FIRST_LANGUAGE ? 'z' : 'Z';
    return strlen(v) == 2 && v[0] >= lo && v[0] <= hi && v[1] >= lo && v[1] <= hi;
}

static const char *value_format(int d)
{
    switch (d) {
    case RF_GROUP_FIRST_LANGUAGE: return "an ISO 639-1 code of two lowercase letters (en, ja, ...)";
    case RF_GROUP_COUNTRY: return "an ISO 3166-1 alpha-2 code of two capitals (US, JP, ...)";
    case RF_GROUP_GENDER: return "woman, man, nonbinary or other";
    default: return "under_25, 25_34, 35_44, 45_54, 55_64 or 65_plus";
    }
}

/* ---- the candidate's own answer ---- */

static rf_status need_candidate(const struct rf_principal *p, struct rf_app_error *e)
{
    if (!p->candidate_id)
        return rf_app_fail(e, RF_EPERM, NULL,
                           "only a candidate reports their own groups, from their test");
    return RF_OK;
}

static json_t *list_json(const char *const *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && v[i]; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* The reply of the three calls: the stored answer (g NULL: none). */
static json_t *groups_json(const struct rf_group_report *g)
{
    json_t *vals = json_object();
    for (int i = 0; vals && i < RF_GROUP_NDIMS; i++)
        json_object_set_new(vals, dim_names[i],
                            g && g->value[i] ? json_string(g->value[i]) : json_null());
    return json_pack("{s:b,s:b,s:o,s:{s:o,s:o,s:s,s:s},s:s}", "reported", g != NULL, "declined",
                     g && g->declined, "values", vals, "choices", "gender", list_json(genders),
                     "age_band", list_json(age_bands), "first_language", "iso639-1", "country",
                     "iso3166-1-alpha2", "use",
                     "optional; kept apart from your test, never used in scoring, never shown "
                     "to recruiters; admins see only group totals above a minimum size");
}

rf_status rf_app_groups_get(struct rf_app *a, const struct rf_principal *p, json_t **out,
                            struct rf_app_error *e)
{
    rf_status rc = need_candidate(p, e);
    if (rc)
        return rc;
    struct rf_group_report g;
    rc = rf_store_group_report_get(a->store, p->candidate_id, &g, &e->err);
    if (rc && rc != RF_ENOTFOUND)
        return rc;
    *out = groups_json(rc ? NULL : &g);
    if (!rc)
        rf_store_group_report_cleanup(&g);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

rf_status rf_app_groups_put(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                            json_t **out, struct rf_app_error *e)
{
    rf_status rc = need_candidate(p, e);
    if (rc)
        return rc;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object");
    struct rf_group_report g = {p->candidate_id, 0, {NULL}, 0};
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)req, key, v)
    {
        if (!strcmp(key, "declined")) {
            if (!json_is_boolean(v))
                return rf_app_fail(e, RF_EINVAL, "declined",
                                   "field 'declined': expected true or false");
            g.declined = json_is_true(v);
            continue;
        }
        int d = dim_of(key);
        if (d < 0)
            return rf_app_fail(e, RF_EINVAL, NULL,
                               "unknown field '%.40s': expected declined, gender, age_band, "
                               "first_language or country",
                               key);
        if (json_is_null(v))
            continue;
        if (!json_is_string(v) || !valid_value(d, json_string_value(v)))
            return rf_app_fail(e, RF_EINVAL, dim_names[d], "field '%s': expected %s or null",
                               dim_names[d], value_format(d));
        g.value[d] = (char *)json_string_value(v);
    }
    for (int d = 0; g.declined && d < RF_GROUP_NDIMS; d++)
        if (g.value[d])
            return rf_app_fail(e, RF_EINVAL, dim_names[d],
                               "field '%s': a declined answer carries no value", dim_names[d]);
    if ((rc = rf_store_group_report_put(a->store, &g, &e->err)))
        return rc;
    return rf_app_groups_get(a, p, out, e);
}

rf_status rf_app_groups_withdraw(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                 struct rf_app_error *e)
{
    rf_status rc = need_candidate(p, e);
    if (!rc)
        rc = rf_store_group_report_delete(a->store, p->candidate_id, NULL, &e->err);
    if (rc)
        return rc;
    *out = groups_json(NULL);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* ---- who may read the reports ---- */

static rf_status need_admin(const struct rf_principal *p, struct rf_app_error *e)
{
    if (!p->user_id || strcmp(p->role, "admin") != 0)
        return rf_app_fail(e, RF_EPERM, NULL, "fairness reports are for admins only");
    return RF_OK;
}

/* The dimension a report is by: the query's or the request's "by", default gender. */
static rf_status dim_arg(const char *by, int *d, struct rf_app_error *e)
{
    *d = by ? dim_of(by) : RF_GROUP_GENDER;
    if (*d < 0)
        return rf_app_fail(e, RF_EINVAL, "by",
                           "by must be gender, age_band, first_language or country");
    return RF_OK;
}

/* Every stored answer's value on one dimension, by candidate (increasing). */
struct member {
    int64_t candidate;
    char *value;
};

struct members {
    int dim;
    struct member *m;
    size_t n, cap;
    rf_status rc;
};

static void take_member(void *ud, const struct rf_group_report *g)
{
    struct members *ms = ud;
    const char *v = g->value[ms->dim];
    if (ms->rc || !v)
        return;
    if (ms->n == ms->cap) {
        size_t nc = ms->cap ? 2 * ms->cap : 256;
        struct member *nm = rf_realloc_array(ms->m, nc, sizeof *nm);
        if (!nm) {
            ms->rc = RF_ENOMEM;
            return;
        }
        ms->m = nm;
        ms->cap = nc;
    }
    if (!(ms->m[ms->n].value = rf_strdup(v))) {
        ms->rc = RF_ENOMEM;
        return;
    }
    ms->m[ms->n++].candidate = g->candidate_id;
}

static void members_free(struct members *ms)
{
    for (size_t i = 0; i < ms->n; i++)
        free(ms->m[i].value);
    free(ms->m);
}

static rf_status members_read(struct rf_app *a, int64_t org_id, int dim, struct members *ms,
                              struct rf_err *err)
{
    memset(ms, 0, sizeof *ms);
    ms->dim = dim;
    rf_status rc = rf_store_group_reports_list(a->store, org_id, take_member, ms, err);
    if (!rc && ms->rc)
        rc = rf_err_set(err, ms->rc, "out of memory");
    return rc;
}

/* The candidate's value, or NULL (the list is by candidate, increasing). */
static const char *member_value(const struct members *ms, int64_t candidate)
{
    size_t lo = 0, hi = ms->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ms->m[mid].candidate < candidate)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ms->n && ms->m[lo].candidate == candidate ? ms->m[lo].value : NULL;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct values of ms, sorted (*names borrowed from ms, malloc'd array). */
static rf_status distinct_values(const struct members *ms, const char ***names, size_t *n)
{
    const char **v = rf_alloc_array(ms->n ? ms->n : 1, sizeof *v);
    if (!v)
        return RF_ENOMEM;
    for (size_t i = 0; i < ms->n; i++)
        v[i] = ms->m[i].value;
    if (ms->n)
        qsort(v, ms->n, sizeof *v, cmp_str);
    size_t k = 0;
    for (size_t i = 0; i < ms->n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    *names = v;
    *n = k;
    return RF_OK;
}

static size_t index_of(const char *const *names, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], v))
            return i;
    return n;
}

/* ---- adverse impact per posting ---- */

/* The decisions of a posting: 0, the posting (every required requirement
 * met: P >= RF_FIT_MET), then one per requirement (met: its P >=
 * RF_FIT_MET), each counted per group over the applicants it was decided
 * for (a requirement: those with its skill measured). */
struct impact_ctx {
    const struct rf_parsed_posting *pp;
    const struct members *ms;
    const char *const *names;
    size_t ngroups, ndec;
    struct rf_impact_group *g; /* ndec x ngroups */
    size_t applicants, reported;
};

static void take_applicant(void *ud, const struct rf_app_applicant *r)
{
    struct impact_ctx *c = ud;
    c->applicants++;
    const char *v = member_value(c->ms, r->candidate);
    if (!v)
        return;
    c->reported++;
    size_t gi = index_of(c->names, c->ngroups, v);
    struct rf_impact_group *g = &c->g[gi];
    g->n++;
    g->selected += r->f->p_required >= RF_FIT_MET;
    for (size_t k = 0; k < c->pp->nreqs; k++) {
        if (!r->measured[k])
            continue;
        g = &c->g[(k + 1) * c->ngroups + gi];
        g->n++;
        g->selected += r->p[k] >= RF_FIT_MET;
    }
}

static void impact_opts(const struct rf_app *a, struct rf_impact_opts *o)
{
    rf_impact_opts_default(o);
    if (a->cfg.fair_min_group)
        o->min_group = a->cfg.fair_min_group;
    if (a->cfg.fair_min_cell)
        o->min_cell = a->cfg.fair_min_cell;
}

/* The label of decision k (0: the posting). */
static void decision_label(const struct rf_parsed_posting *pp, size_t k, char *buf, size_t n)
{
    if (k == 0)
        snprintf(buf, n, "posting: meets every required requirement");
    else
        snprintf(buf, n, "%s %zu: %s",
                 pp->reqs[k - 1].section == RF_SEC_REQUIRED ? "required" : "preferred",
                 pp->reqs[k - 1].position, pp->reqs[k - 1].label);
}

rf_status rf_app_fair_impact(struct rf_app *a, const struct rf_principal *p, int64_t id,
                             const char *by, int csv, json_t **json_out, char **csv_out,
                             struct rf_app_error *e)
{
    int dim;
    rf_status rc = need_admin(p, e);
    if (!rc)
        rc = dim_arg(by, &dim, e);
    if (rc)
        return rc;
    struct rf_posting po;
    if ((rc = rf_app_own_posting(a, p, id, &po, e)))
        return rc;
    struct rf_parsed_posting pp;
    if ((rc = rf_app_posting_reading(a, &po, &pp, e))) {
        rf_store_posting_cleanup(&po);
        return rc;
    }
    struct members ms;
    struct impact_ctx c;
    memset(&c, 0, sizeof c);
    c.pp = &pp;
    c.ndec = pp.nreqs + 1;
    rc = members_read(a, p->org_id, dim, &ms, &e->err);
    const char **names = NULL;
    if (!rc && distinct_values(&ms, &names, &c.ngroups))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    c.ms = &ms;
    c.names = names;
    if (!rc && !(c.g = rf_calloc_array(c.ndec * (c.ngroups ? c.ngroups : 1), sizeof *c.g)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < c.ndec * c.ngroups; i++)
        c.g[i].name = names[i % c.ngroups];
    if (!rc)
        rc = rf_app_posting_applicants(a, p->org_id, id, &pp, take_applicant, &c, &e->err);
    struct rf_impact_opts o;
    impact_opts(a, &o);
    struct rf_impact_row *rows =
        rc ? NULL : rf_alloc_array(c.ngroups ? c.ngroups : 1, sizeof *rows);
    if (!rc && !rows)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    json_t *decs = rc || csv ? NULL : json_array();
    struct rf_buf b;
    rf_buf_init(&b, CSV_CAP);
    if (!rc && csv)
        rc = rf_impact_csv_header(&b);
    char label[512];
    for (size_t k = 0; !rc && k < c.ndec; k++) {
        const struct rf_impact_group *g = c.g + k * c.ngroups;
        if ((rc = rf_impact_compute(g, c.ngroups, &o, rows, &e->err)))
            break;
        decision_label(&pp, k, label, sizeof label);
        if (csv) {
            for (size_t i = 0; !rc && i < c.ngroups; i++)
                rc = rf_impact_row_csv(&b, label, dim_names[dim], &g[i], &rows[i]);
            continue;
        }
        json_t *gs = json_array();
        for (size_t i = 0; gs && i < c.ngroups; i++)
            json_array_append_new(gs, rf_impact_row_json(&g[i], &rows[i]));
        json_array_append_new(
            decs, json_pack("{s:s,s:s,s:s,s:o}", "decision", k ? "requirement" : "posting", "label",
                            label, "rule",
                            k ? "P(meets the requirement) >= 0.8, among applicants measured on it"
                              : "P(meets every required requirement) >= 0.8",
                            "groups", gs ? gs : json_array()));
    }
    if (!rc && csv) {
        if (!(*csv_out = rf_buf_take(&b)))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    } else if (!rc) {
        *json_out = json_pack("{s:{s:I,s:s},s:s,s:I,s:I,s:I,s:I,s:o}", "posting", "id",
                              (json_int_t)po.id, "title", po.title, "by", dim_names[dim],
                              "applicants", (json_int_t)c.applicants, "reported",
                              (json_int_t)c.reported, "min_group", (json_int_t)o.min_group,
                              "min_cell", (json_int_t)o.min_cell, "decisions", decs);
        decs = NULL;
        if (!*json_out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (rc == RF_ETOOBIG)
        rf_app_fail(e, rc, NULL, "the CSV export is over %ld bytes", CSV_CAP);
    rf_buf_cleanup(&b);
    json_decref(decs);
    free(rows);
    free(c.g);
    free(names);
    members_free(&ms);
    rf_posting_cleanup(&pp);
    rf_store_posting_cleanup(&po);
    return rc;
}

/* ---- DIF of the bank's items from stored answers ---- */

/* Admins of the organization that keeps the bank (app_review.c's rule). */
static rf_status bank_admin(struct rf_app *a, const struct rf_principal *p, struct rf_app_error *e)
{
    rf_status rc = need_admin(p, e);
    int64_t first = 0;
    if (!rc)
        rc = rf_store_org_first(a->store, &first, &e->err);
    if (!rc && first != p->org_id)
        rc = rf_app_fail(e, RF_ENOTFOUND, NULL, "not found");
    return rc;
}

static void dif_opts(const struct rf_app *a, struct rf_dif_opts *o)
{
    rf_dif_opts_default(o);
    o->match = RF_DIF_MATCH_THETA;
    if (a->cfg.dif_min_group)
        o->min_group = a->cfg.dif_min_group;
}

/* The answers of one item (idx[0..m-1] into d) of people in the reference
 * group or focal group f, as rf_dif_run's one-item data: x, g, theta. */
struct dif_work {
    signed char *x, *g;
    double *theta;
    int *y;           /* a graded item's scores */
    unsigned char *u; /* and groups */
};

/* One row of the run's items: the item's DIF against focal group f. */
static json_t *dif_item(const struct rf_drift_data *d, const struct rf_app_bankver *v, size_t item,
                        const size_t *idx, size_t m, const signed char *grp,
                        const struct rf_dif_opts *o, const char *by, const char *ref,
                        const char *focal, struct dif_work *w, struct rf_buf *csv, int *flagged,
                        rf_status *rc, struct rf_err *err)
{
    size_t n = 0, nr = 0, nf = 0;
    for (size_t j = 0; j < m; j++) {
        signed char gj = grp[idx[j]];
        if (gj < 0)
            continue;
        w->x[n] = (signed char)d->ans[idx[j]].k;
        w->g[n] = gj;
        w->theta[n++] = d->ans[idx[j]].theta;
        nr += gj == 0;
        nf += gj == 1;
    }
    struct rf_dif_item it;
    memset(&it, 0, sizeof it);
    it.n_ref = nr;
    it.n_focal = nf;
    size_t ncat = v->view.items[item].irt.ncat;
    if (ncat > 2 && nr >= o->min_group && nf >= o->min_group) {
        /* a graded item: Liu-Agresti, Mantel and SMD (calib/dif_poly.h) */
        const char *id = v->view.items[item].id;
        struct rf_dif_poly_result pr;
        for (size_t i = 0; i < n; i++) {
            w->y[i] = (int)(unsigned char)w->x[i]; /* 0..ncat-1 */
            w->u[i] = (unsigned char)w->g[i];
        }
        if (rf_dif_poly(w->y, w->u, w->theta, n, ncat, o->strata, o->alpha, &pr)) {
            *rc = rf_err_set(err, RF_ENOMEM, "out of memory");
            return NULL;
        }
        *flagged = pr.ets == 'C';
        if ((*rc = rf_dif_poly_csv(csv, by, ref, focal, id, &pr)))
            return NULL;
        json_t *j = rf_dif_poly_json(id, &pr);
        if (j) {
            json_object_set_new(j, "skill", json_string(v->view.items[item].skill));
            json_object_set_new(j, "by", json_string(by));
            json_object_set_new(j, "reference", json_string(ref));
            json_object_set_new(j, "focal", json_string(focal));
            json_object_set_new(j, "flagged", json_boolean(*flagged));
        } else {
            *rc = rf_err_set(err, RF_ENOMEM, "out of memory");
        }
        return j;
    }
    if (ncat == 2 && nr >= o->min_group && nf >= o->min_group) {
        const char *id = v->view.items[item].id;
        struct rf_dif_data dd = {n, 1, &id, NULL, w->x, w->g, w->theta};
        if ((*rc = rf_dif_run(&dd, o, &it, err)))
            return NULL;
    }
    *flagged = it.shown && (it.mh.ets == 'C' || (o->logistic && it.lr.effect == 'C'));
    if ((*rc = rf_dif_item_csv(csv, by, ref, focal, v->view.items[item].id, &it)))
        return NULL;
    if (!it.shown)
        return NULL; /* hidden: counted, not listed */
    json_t *j = rf_dif_item_json(v->view.items[item].id, &it, o);
    if (j) {
        json_object_set_new(j, "skill", json_string(v->view.items[item].skill));
        json_object_set_new(j, "by", json_string(by));
        json_object_set_new(j, "reference", json_string(ref));
        json_object_set_new(j, "focal", json_string(focal));
        json_object_set_new(j, "flagged", json_boolean(*flagged));
    }
    if (!j)
        *rc = rf_err_set(err, RF_ENOMEM, "out of memory");
    return j;
}

/* The run over d: every dichotomous item, each focal group against ref. */
static rf_status dif_compute(struct rf_app *a, const struct rf_app_bankver *v,
                             const struct rf_drift_data *d, const struct members *ms, int dim,
                             const char *ref, const char *const *focal, size_t nfocal, json_t **out,
                             struct rf_app_error *e)
{
    struct rf_dif_opts o;
    dif_opts(a, &o);
    rf_status rc = RF_OK;
    size_t n = d->n;
    /* answers by item, in the store's order: order[start[i] .. start[i + 1]) */
    size_t *start = rf_calloc_array(d->nitems + 1, sizeof *start);
    size_t *order = rf_alloc_array(n ? n : 1, sizeof *order);
    size_t *fill = rf_calloc_array(d->nitems + 1, sizeof *fill);
    signed char *grp = rf_alloc_array(n ? n : 1, 1);
    struct dif_work w = {rf_alloc_array(n ? n : 1, 1), rf_alloc_array(n ? n : 1, 1),
                         rf_alloc_array(n ? n : 1, sizeof(double)),
                         rf_alloc_array(n ? n : 1, sizeof(int)), rf_alloc_array(n ? n : 1, 1)};
    json_t *items = json_array();
    struct rf_buf csv;
    rf_buf_init(&csv, CSV_CAP);
    if (!start || !order || !fill || !grp || !w.x || !w.g || !w.theta || !w.y || !w.u || !items)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        start[d->ans[i].item + 1]++;
    for (size_t i = 0; !rc && i < d->nitems; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; !rc && i < n; i++) {
        size_t it = d->ans[i].item;
        order[start[it] + fill[it]++] = i;
    }
    size_t shown = 0, hidden = 0, flagged = 0;
    if (!rc)
        rc = rf_dif_csv_header(&csv);
    for (size_t f = 0; !rc && f < nfocal; f++) {
        /* each answer's group in this comparison: 0 reference, 1 focal, -1 neither */
        for (size_t i = 0; i < n; i++) {
            const char *val = member_value(ms, d->candidate[i]);
            grp[i] = !val ? -1 : !strcmp(val, ref) ? 0 : !strcmp(val, focal[f]) ? 1 : -1;
        }
        for (size_t it = 0; !rc && it < d->nitems; it++) {
            size_t m = start[it + 1] - start[it];
            if (m == 0 || v->view.items[it].irt.ncat > RF_DIF_POLY_MAX_CATS)
                continue;
            int fl = 0;
            json_t *j = dif_item(d, v, it, order + start[it], m, grp, &o, dim_names[dim], ref,
                                 focal[f], &w, &csv, &fl, &rc, &e->err);
            if (rc)
                break;
            if (j) {
                shown++;
                flagged += fl;
                json_array_append_new(items, j);
            } else {
                hidden++;
            }
        }
    }
    json_t *fj = json_array();
    for (size_t f = 0; fj && f < nfocal; f++)
        json_array_append_new(fj, json_string(focal[f]));
    char *text = NULL;
    if (!rc && !(text = rf_buf_take(&csv)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (rc == RF_ETOOBIG)
        rf_app_fail(e, rc, NULL, "the DIF export is over %ld bytes", CSV_CAP);
    if (!rc) {
        *out = json_pack(
            "{s:s,s:s,s:o,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:s}", "by", dim_names[dim],
            "reference", ref, "focal", fj, "match", "theta (leave-one-out posterior of the skill)",
            "strata", (json_int_t)o.strata, "min_group", (json_int_t)o.min_group, "tests",
            (json_int_t)d->tests, "shown", (json_int_t)shown, "hidden", (json_int_t)hidden,
            "flagged", (json_int_t)flagged, "answers", (json_int_t)n, "items", items, "csv", text);
        fj = items = NULL;
        if (!*out)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    free(text);
    json_decref(fj);
    json_decref(items);
    rf_buf_cleanup(&csv);
    free(start);
    free(order);
    free(fill);
    free(grp);
    free(w.x);
    free(w.g);
    free(w.theta);
    free(w.y);
    free(w.u);
    return rc;
}

/* The latest DIF run as stored (*out NULL when there is none); csv: its
 * export instead (*csv_out). */
static rf_status dif_latest(struct rf_app *a, int csv, json_t **out, char **csv_out,
                            struct rf_app_error *e)
{
    *out = NULL;
    struct rf_review_run run;
    rf_status rc = rf_store_review_run_latest(a->store, "dif", &run, &e->err);
    if (rc == RF_ENOTFOUND)
        return RF_OK;
    if (rc)
        return rc;
    json_t *res = json_loads(run.result, 0, NULL);
    if (!res)
        rc = rf_app_fail(e, RF_EDB, NULL, "DIF run %lld: stored result is not JSON",
                         (long long)run.id);
    if (!rc && csv) {
        const char *t = json_string_value(json_object_get(res, "csv"));
        if (!(*csv_out = rf_strdup(t ? t : "")))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    }
    if (!rc && !csv) {
        json_object_del(res, "csv");
        json_object_set_new(res, "run",
                            json_pack("{s:I,s:I,s:I,s:I}", "id", (json_int_t)run.id, "revision",
                                      (json_int_t)run.revision, "at", (json_int_t)run.created, "by",
                                      (json_int_t)run.created_by));
        *out = res;
        res = NULL;
    }
    json_decref(res);
    rf_store_review_run_cleanup(&run);
    return rc;
}

rf_status rf_app_fair_dif(struct rf_app *a, const struct rf_principal *p, int csv,
                          json_t **json_out, char **csv_out, struct rf_app_error *e)
{
    rf_status rc = bank_admin(a, p, e);
    if (!rc)
        rc = dif_latest(a, csv, json_out, csv_out, e);
    if (!rc && csv && !*csv_out && !(*csv_out = rf_strdup("")))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !csv && !*json_out && !(*json_out = json_pack("{s:n}", "run")))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    return rc;
}

/* The groups of one DIF comparison on dimension dim: the reference (ref,
 * or when NULL the admins' chosen one (chosen) if it has min_chosen
 * members or more, else the group with the most members, the first by
 * name on a tie) and the focal groups (fq: a request's list, NULL or
 * null: every other group). */
struct dif_groups {
    struct members ms;
    const char **names, **focal;
    size_t nnames, nfocal;
    const char *ref, *largest;
    int chosen; /* ref is the admins' choice */
};

/* Members of group name in ms. */
static size_t group_size(const struct members *ms, const char *name)
{
    size_t n = 0;
    for (size_t j = 0; j < ms->n; j++)
        n += !strcmp(ms->m[j].value, name);
    return n;
}

static void dif_groups_free(struct dif_groups *g)
{
    free(g->focal);
    free(g->names);
    members_free(&g->ms);
}

static rf_status dif_groups_read(struct rf_app *a, int dim, const char *ref, const json_t *fq,
                                 const char *chosen, size_t min_chosen, struct dif_groups *g,
                                 struct rf_app_error *e)
{
    memset(g, 0, sizeof *g);
    rf_status rc = members_read(a, 0, dim, &g->ms, &e->err);
    if (!rc && distinct_values(&g->ms, &g->names, &g->nnames))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && !(g->focal = rf_alloc_array(g->nnames + 64 + 1, sizeof *g->focal)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    size_t best = 0;
    for (size_t i = 0; !rc && i < g->nnames; i++) {
        size_t n = group_size(&g->ms, g->names[i]);
        if (n > best) {
            best = n;
            g->largest = g->names[i];
        }
    }
    /* the chosen group by its name in g->names (chosen is the caller's, and may go first) */
    size_t ci = chosen && chosen[0] ? index_of(g->names, g->nnames, chosen) : g->nnames;
    if (!rc && !ref && ci < g->nnames && group_size(&g->ms, chosen) >= min_chosen) {
        ref = g->names[ci];
        g->chosen = 1;
    }
    if (!rc && !ref)
        ref = g->largest;
    g->ref = ref;
    if (!rc && fq && json_is_array(fq)) {
        size_t i;
        const json_t *x;
        json_array_foreach(fq, i, x)
        {
            const char *s = json_string_value(x);
            if (!s || !valid_value(dim, s) || (ref && !strcmp(s, ref))) {
                rc = rf_app_fail(e, RF_EINVAL, "focal",
                                 "field 'focal': item %zu: expected %s other than the reference",
                                 i + 1, value_format(dim));
                break;
            }
            g->focal[g->nfocal++] = s;
        }
    } else if (!rc && ref) {
        for (size_t i = 0; i < g->nnames; i++)
            if (g->names[i] && strcmp(g->names[i], ref) != 0) /* never NULL: take_member */
                g->focal[g->nfocal++] = g->names[i];
    }
    if (rc)
        dif_groups_free(g);
    return rc;
}

/* ---- the reference group of each dimension for the scheduled run ---- */

/* The store's setting holding dimension d's chosen reference ("" or absent: none). */
static void reference_key(int d, char key[64])
{
    snprintf(key, 64, "dif_reference:%s", dim_names[d]);
}

/* The reference admins chose for dimension d (*out malloc'd; NULL when none). */
static rf_status chosen_reference(struct rf_app *a, int d, char **out, struct rf_err *err)
{
    char key[64];
    reference_key(d, key);
    *out = NULL;
    rf_status rc = rf_store_setting_get(a->store, key, out, err);
    if (!rc && *out && !(*out)[0]) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

rf_status rf_app_fair_references(struct rf_app *a, const struct rf_principal *p, json_t **out,
                                 struct rf_app_error *e)
{
    rf_status rc = bank_admin(a, p, e);
    if (rc)
        return rc;
    struct rf_dif_opts o;
    dif_opts(a, &o);
    json_t *dims = json_array();
    if (!dims)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    for (int d = 0; !rc && d < RF_GROUP_NDIMS; d++) {
        char *chosen = NULL;
        struct dif_groups g;
        if ((rc = chosen_reference(a, d, &chosen, &e->err)))
            break;
        if ((rc = dif_groups_read(a, d, NULL, NULL, chosen, o.min_group, &g, e))) {
            free(chosen);
            break;
        }
        json_t *names = json_array();
        for (size_t i = 0; names && i < g.nnames; i++)
            json_array_append_new(names, json_string(g.names[i]));
        json_t *x = names ? json_pack("{s:s,s:s?,s:s?,s:s?,s:s,s:o}", "by", dim_names[d], "chosen",
                                      chosen, "largest", g.largest, "reference", g.ref,
                                      "reference_source", g.chosen ? "chosen" : "largest",
                                      "groups", names)
                          : NULL;
        if (!x || json_array_append_new(dims, x))
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        dif_groups_free(&g);
        free(chosen);
    }
    if (!rc && !(*out = json_pack("{s:o,s:I}", "dimensions", dims, "min_group",
                                  (json_int_t)o.min_group)))
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    else if (!rc)
        dims = NULL;
    json_decref(dims);
    return rc;
}

rf_status rf_app_fair_references_put(struct rf_app *a, const struct rf_principal *p,
                                     const json_t *req, json_t **out, struct rf_app_error *e)
{
    rf_status rc = bank_admin(a, p, e);
    if (rc)
        return rc;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object");
    /* every field checked before any is stored */
    const char *val[RF_GROUP_NDIMS] = {NULL};
    int set[RF_GROUP_NDIMS] = {0};
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)req, key, v)
    {
        int d = dim_of(key);
        if (d < 0)
            return rf_app_fail(e, RF_EINVAL, NULL,
                               "unknown field '%.40s': expected gender, age_band, first_language "
                               "or country",
                               key);
        if (!json_is_null(v) && (!json_is_string(v) || !valid_value(d, json_string_value(v))))
            return rf_app_fail(e, RF_EINVAL, dim_names[d],
                               "field '%s': expected %s, or null for the largest group",
                               dim_names[d], value_format(d));
        set[d] = 1;
        val[d] = json_is_null(v) ? "" : json_string_value(v);
    }
    for (int d = 0; !rc && d < RF_GROUP_NDIMS; d++) {
        if (!set[d])
            continue;
        char k[64];
        reference_key(d, k);
        if (!(rc = rf_store_setting_set(a->store, k, val[d], &e->err)))
            rf_app_log(a, "fairness: DIF reference of %s set to %s (user %lld)", dim_names[d],
                       val[d][0] ? val[d] : "the largest group", (long long)p->user_id);
    }
    return rc ? rc : rf_app_fair_references(a, p, out, e);
}

/* Stores a DIF run's result (res) at version v for user (0: the schedule). */
static rf_status dif_store(struct rf_app *a, const struct rf_app_bankver *v, int64_t user,
                           const json_t *res, int64_t *id, struct rf_app_error *e)
{
    char *text = json_dumps(res, JSON_COMPACT);
    rf_status rc =
        text
            ? rf_store_review_run_add(a->store,
                                      &(struct rf_review_run){0, v->revision, user, 0, "dif", text},
                                      id, &e->err)
            : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    free(text);
    return rc;
}

rf_status rf_app_fair_dif_run(struct rf_app *a, const struct rf_principal *p, const json_t *req,
                              json_t **out, struct rf_app_error *e)
{
    rf_status rc = bank_admin(a, p, e);
    if (rc)
        return rc;
    if (!json_is_object(req))
        return rf_app_fail(e, RF_EINVAL, NULL, "expected a JSON object");
    const char *by = NULL, *ref = NULL;
    int dim;
    if ((rc = rf_app_opt_string(req, "by", 32, &by, e)) || (rc = dim_arg(by, &dim, e)) ||
        (rc = rf_app_opt_string(req, "reference", 64, &ref, e)))
        return rc;
    if (ref && !valid_value(dim, ref))
        return rf_app_fail(e, RF_EINVAL, "reference", "field 'reference': expected %s",
                           value_format(dim));
    const json_t *fq = json_object_get(req, "focal");
    if (fq && !json_is_null(fq) &&
        (!json_is_array(fq) || json_array_size(fq) == 0 || json_array_size(fq) > 64))
        return rf_app_fail(e, RF_EINVAL, "focal",
                           "field 'focal': expected a list of 1 to 64 groups, or null for every "
                           "other group");
    const struct rf_app_bankver *v;
    if ((rc = rf_app_bank_current(a, &v, &e->err)))
        return rc;
    /* no reference: the dimension's chosen one, else its largest group, as
     * the scheduled run takes */
    struct dif_groups g;
    char *chosen = NULL;
    struct rf_dif_opts o;
    dif_opts(a, &o);
    if (!ref && (rc = chosen_reference(a, dim, &chosen, &e->err)))
        return rc;
    rc = dif_groups_read(a, dim, ref, fq, chosen, o.min_group, &g, e);
    free(chosen);
    if (rc)
        return rc;
    if (!g.ref) {
        dif_groups_free(&g);
        return rf_app_fail(e, RF_ECONFLICT, "reference",
                           "no candidate has reported a group of %s yet: nothing to compare",
                           dim_names[dim]);
    }
    ref = g.ref;
    struct rf_drift_data d;
    memset(&d, 0, sizeof d);
    rc = rf_dif_collect(a->store, &v->view, &d, &e->err);
    json_t *res = NULL;
    if (!rc)
        rc = dif_compute(a, v, &d, &g.ms, dim, ref, g.focal, g.nfocal, &res, e);
    int64_t id = 0;
    if (!rc)
        rc = dif_store(a, v, p->user_id, res, &id, e);
    if (!rc)
        rf_app_log(a, "fairness: DIF run %lld by %s over %zu tests, %lld items flagged (user %lld)",
                   (long long)id, dim_names[dim], d.tests,
                   (long long)json_integer_value(json_object_get(res, "flagged")),
                   (long long)p->user_id);
    json_decref(res);
    rf_drift_data_cleanup(&d);
    dif_groups_free(&g);
    if (rc)
        return rc;
    char *unused = NULL;
    return dif_latest(a, 0, out, &unused, e);
}

/* Adds the integer field k of from to into's. */
static void add_count(json_t *into, const json_t *from, const char *k)
{
    json_object_set_new(into, k,
                        json_integer(json_integer_value(json_object_get(into, k)) +
                                     json_integer_value(json_object_get(from, k))));
}

rf_status rf_app_fair_dif_scheduled(struct rf_app *a, int *stored, struct rf_app_error *e)
{
    *stored = 0;
    const struct rf_app_bankver *v;
    rf_status rc = rf_app_bank_current(a, &v, &e->err);
    if (rc)
        return rc;
    struct rf_drift_data d;
    memset(&d, 0, sizeof d);
    rc = rf_dif_collect(a->store, &v->view, &d, &e->err);
    json_t *all =
        json_pack("{s:s,s:s,s:[],s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:[],s:[]}", "by", "", "reference", "",
                  "focal", "match", "theta (leave-one-out posterior of the skill)", "scheduled", 1,
                  "tests", (json_int_t)d.tests, "answers", (json_int_t)d.n, "shown", (json_int_t)0,
                  "hidden", (json_int_t)0, "flagged", (json_int_t)0, "items", "dimensions");
    struct rf_buf csv, by, refs;
    rf_buf_init(&csv, CSV_CAP);
    rf_buf_init(&by, 1024);
    rf_buf_init(&refs, 1024);
    if (!rc && !all)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    size_t ndims = 0;
    struct rf_dif_opts o;
    dif_opts(a, &o);
    for (int dim = 0; !rc && dim < RF_GROUP_NDIMS; dim++) {
        struct dif_groups g;
        char *chosen = NULL;
        if ((rc = chosen_reference(a, dim, &chosen, &e->err)) ||
            (rc = dif_groups_read(a, dim, NULL, NULL, chosen, o.min_group, &g, e))) {
            free(chosen);
            break;
        }
        json_t *res = NULL;
        if (g.nfocal > 0)
            rc = dif_compute(a, v, &d, &g.ms, dim, g.ref, g.focal, g.nfocal, &res, e);
        if (!rc && res) {
            /* one run of every dimension compared: items, counts, the CSV
             * (its header once), and per dimension what was compared */
            const char *t = json_string_value(json_object_get(res, "csv"));
            const char *body = ndims ? strchr(t ? t : "", '\n') : t;
            rf_status brc = body ? rf_buf_puts(&csv, ndims ? body + 1 : body) : RF_OK;
            if (!brc)
                brc = rf_buf_printf(&by, "%s%s", ndims ? ", " : "", dim_names[dim]);
            if (!brc)
                brc = rf_buf_printf(&refs, "%s%s %s", ndims ? "; " : "", dim_names[dim], g.ref);
            if (brc == RF_ETOOBIG)
                rc = rf_app_fail(e, brc, NULL, "the DIF export is over %ld bytes", CSV_CAP);
            else if (brc)
                rc = rf_app_fail(e, brc, NULL, "out of memory");
            json_array_extend(json_object_get(all, "items"), json_object_get(res, "items"));
            json_array_extend(json_object_get(all, "focal"), json_object_get(res, "focal"));
            add_count(all, res, "shown");
            add_count(all, res, "hidden");
            add_count(all, res, "flagged");
            json_object_set(all, "strata", json_object_get(res, "strata"));
            json_object_set(all, "min_group", json_object_get(res, "min_group"));
            json_array_append_new(
                json_object_get(all, "dimensions"),
                json_pack("{s:s,s:s,s:s,s:s?,s:O,s:O,s:O,s:O}", "by", dim_names[dim], "reference",
                          g.ref, "reference_source", g.chosen ? "chosen" : "largest", "chosen",
                          chosen && chosen[0] ? chosen : NULL, "focal",
                          json_object_get(res, "focal"), "shown", json_object_get(res, "shown"),
                          "hidden", json_object_get(res, "hidden"), "flagged",
                          json_object_get(res, "flagged")));
            ndims++;
        }
        json_decref(res);
        dif_groups_free(&g);
        free(chosen);
    }
    int64_t id = 0;
    if (!rc && ndims) {
        char *c = rf_buf_take(&csv), *b = rf_buf_take(&by), *r = rf_buf_take(&refs);
        if (!c || !b || !r)
            rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        else {
            json_object_set_new(all, "csv", json_string(c));
            json_object_set_new(all, "by", json_string(b));
            json_object_set_new(all, "reference", json_string(r));
        }
        free(c);
        free(b);
        free(r);
        if (!rc)
            rc = dif_store(a, v, 0, all, &id, e);
    }
    if (!rc && ndims) {
        *stored = 1;
        rf_app_log(a,
                   "fairness: scheduled DIF run %lld over %zu tests, %zu dimensions, %lld items "
                   "flagged",
                   (long long)id, d.tests, ndims,
                   (long long)json_integer_value(json_object_get(all, "flagged")));
    } else if (!rc) {
        rf_app_log(a, "fairness: scheduled DIF: no dimension has two groups reported; no run");
    }
    json_decref(all);
    rf_buf_cleanup(&csv);
    rf_buf_cleanup(&by);
    rf_buf_cleanup(&refs);
    rf_drift_data_cleanup(&d);
    return rc;
}
