/*
 * The hiring packet and the interviewer calibration report over HTTP (app.h,
 * issue 17 items 4-5; docs/interviews.md "In the product"). Both read every
 * submitted (or locked) scorecard of the caller's organization as ratings
 * (interview/rater.h): persons are the organization's candidates (invites),
 * raters its interviewers, a rating's slot the held round's, a rating's bar
 * the invite role's. The criteria and the interviewers' severities are
 * estimated from the ratings, the criteria under priors at the kits'
 * defaults (interview/calib.h prior_at_start), so that a few scorecards
 * move them little; the packet
 * then joins the candidate's ratings to the profile of its invite's latest
 * finished test (interview/packet.h). Staff only; another organization's
 * candidate is 404.
 */
#include "server/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "careers/profile.h"
#include "interview/agree.h"
#include "interview/calib.h"
#include "interview/packet.h"
#include "interview/view.h"
#include "server/app_flow.h"
#include "store/store.h"

/* The organization's submitted scorecards as ratings. */
struct ratings {
    const struct rf_app *a;
    struct rf_iv_rating *r;
    size_t n, cap;
    int64_t *persons; /* invite ids */
    size_t np, capp;
    int64_t *raters; /* interviewer ids */
    char **names;    /* their names */
    size_t nr, capr;
    size_t cards;   /* scorecards read */
    size_t skipped; /* scores that fit no criterion of the kits (a kit changed since) */
    int oom;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t c = *cap ? 2 * *cap : 16;
    void *nv = realloc(*v, c * size);
    if (!nv)
        return 0;
    *v = nv;
    *cap = c;
    return 1;
}

/* Index of id in v[0..*n-1], appended when absent; (size_t)-1 out of memory. */
static size_t index_of(int64_t **v, size_t *n, size_t *cap, int64_t id)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == id)
            return i;
    if (!grow((void **)v, cap, *n, sizeof **v))
        return (size_t)-1;
    (*v)[*n] = id;
    return (*n)++;
}

static void add_card(void *ud, const struct rf_assignment *x)
{
    struct ratings *g = ud;
    if (g->oom || !x->state || strcmp(x->state, "draft") == 0 || !x->scores)
        return;
    json_error_t je;
    json_t *s = json_loads(x->scores, 0, &je);
    if (!json_is_object(s)) {
        json_decref(s);
        g->skipped++;
        return;
    }
    size_t person = index_of(&g->persons, &g->np, &g->capp, x->invite_id);
    size_t nr = g->nr, rater = index_of(&g->raters, &g->nr, &g->capr, x->interviewer_id);
    if (rater == nr && rater != (size_t)-1) { /* a new interviewer: keep the name */
        char **nn = realloc(g->names, g->nr * sizeof *nn);
        if (nn) {
            g->names = nn;
            g->names[rater] = rf_strdup(x->interviewer ? x->interviewer : "");
        }
        if (!nn || !g->names[rater]) {
            g->nr = rater; /* not kept */
            g->oom = 1;
        }
    }
    if (person == (size_t)-1 || rater == (size_t)-1)
        g->oom = 1;
    g->cards++;
    const char *key;
    json_t *val;
    json_object_foreach(s, key, val) {
        if (g->oom)
            break;
        char id[256];
        snprintf(id, sizeof id, "%s.%s", x->round, key);
        size_t crit = rf_iv_bank_find(&g->a->ivb, id);
        json_int_t pt = json_integer_value(val);
        if (crit == (size_t)-1 || !json_is_integer(val) || pt < g->a->kits.min ||
            pt - g->a->kits.min >= (json_int_t)g->a->ivb.crit[crit].it.ncat) {
            g->skipped++;
            continue;
        }
        if (!grow((void **)&g->r, &g->cap, g->n, sizeof *g->r)) {
            g->oom = 1;
            break;
        }
        g->r[g->n++] = (struct rf_iv_rating){person, (size_t)x->slot, crit, rater,
                                             (size_t)(pt - g->a->kits.min), 0.0};
    }
    json_decref(s);
}

static void ratings_free(struct ratings *g)
{
    for (size_t i = 0; i < g->nr; i++)
        free(g->names[i]);
    free(g->names);
    free(g->r);
    free(g->persons);
    free(g->raters);
    memset(g, 0, sizeof *g);
}

/* The organization's ratings, calibrated (severities and criteria, the
 * criteria's priors at the kits' defaults) and reported: cal and rep are filled when there are
 * ratings (cal->sev has nr entries), left zeroed otherwise. */
struct calibrated {
    struct ratings g;
    struct rf_iv_calib cal;
    struct rf_iv_report rep;
    int done;
    size_t tested; /* candidates whose test evidence joined the E-step */
};

static void calibrated_free(struct calibrated *c)
{
    if (c->done) {
        rf_iv_report_cleanup(&c->rep);
        rf_iv_calib_cleanup(&c->cal);
    }
    ratings_free(&c->g);
}

static rf_status test_profile(struct rf_app *a, int64_t invite, struct rf_profile *pr,
                              int64_t *test_id, struct rf_app_error *e);

/* The test evidence of the rated candidates ([np][nskills][q.n]
 * log-likelihoods, 0 where a candidate's test did not measure a skill), as
 * the E-step's prior (interview/calib.h prior_ll); *n counts the candidates
 * with a finished test on the server's grid. NULL (and *n 0) when there are
 * more than RF_IV_TEST_EVIDENCE_MAX candidates or memory is short: the
 * scorecards alone then. A profile that cannot be read is passed over. */
static double *test_evidence(struct rf_app *a, const struct ratings *g, size_t *n)
{
    size_t nk = a->car.tax.nskills, nq = a->q.n;
    *n = 0;
    if (g->np == 0 || g->np > RF_IV_TEST_EVIDENCE_MAX)
        return NULL;
    double *ll = rf_calloc_array(g->np * nk * nq, sizeof *ll);
    if (!ll)
        return NULL;
    for (size_t i = 0; i < g->np; i++) {
        struct rf_profile pr;
        struct rf_app_error e = {0};
        int64_t tid = 0;
        if (test_profile(a, g->persons[i], &pr, &tid, &e) != RF_OK)
            continue;
        int used = 0;
        if (tid && pr.n == nq)
            for (size_t s = 0; s < pr.nskills; s++) {
                size_t k;
                if (!pr.skills[s].loglik ||
                    rf_taxonomy_find(&a->car.tax, pr.skills[s].skill, &k) != RF_OK)
                    continue;
                memcpy(ll + (i * nk + k) * nq, pr.skills[s].loglik, nq * sizeof *ll);
                used = 1;
            }
        *n += (size_t)used;
        rf_profile_cleanup(&pr);
    }
    return ll;
}

/* Each rating's bar: the level the candidate's invite role requires of the
 * criterion's skill (interview/rater.h rf_iv_bar; 0, the kits' default bar,
 * for an invite without a role, to find one's role, or one whose role does
 * not require the skill). */
static rf_status set_bars(struct rf_app *a, struct ratings *g, struct rf_app_error *e)
{
    const struct rf_role **role =
        rf_calloc_array(g->np ? g->np : 1, sizeof(const struct rf_role *));
    if (!role)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    rf_status rc = RF_OK;
    for (size_t i = 0; i < g->np && !rc; i++) {
        struct rf_invite v;
        if ((rc = rf_store_invite_get(a->store, g->persons[i], &v, &e->err)) == RF_ENOTFOUND) {
            rc = RF_OK; /* gone since: the default bar */
            continue;
        }
        if (!rc && v.role)
            role[i] = rf_roles_find(&a->car.roles, v.role);
        if (!rc)
            rf_store_invite_cleanup(&v);
    }
    for (size_t i = 0; !rc && i < g->n; i++)
        g->r[i].bar =
            rf_iv_bar(&a->car.tax, role[g->r[i].person], a->ivb.crit[g->r[i].crit].skill);
    free(role);
    return rc;
}

static rf_status calibrate_org(struct rf_app *a, int64_t org, struct calibrated *c,
                               struct rf_app_error *e)
{
    memset(c, 0, sizeof *c);
    c->g.a = a;
    rf_status rc = rf_store_assignments_list(a->store, org, 0, 0, add_card, &c->g, &e->err);
    if (!rc && c->g.oom)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    if (!rc && c->g.n)
        rc = set_bars(a, &c->g, e);
    double *prior = NULL;
    if (!rc && c->g.n)
        prior = test_evidence(a, &c->g, &c->tested);
    if (!rc && c->g.n) {
        struct rf_iv_data d = {.npersons = c->g.np,
                               .nraters = c->g.nr,
                               .nskills = a->car.tax.nskills,
                               .r = c->g.r,
                               .n = c->g.n,
                               .q = &a->q,
                               .prior_ll = prior};
        struct rf_iv_calib_opts co;
        rf_iv_calib_opts_init(&co);
        co.prior_at_start = 1; /* the criteria too, near the kits' defaults */
        co.prior_a_sd = RF_IV_ORG_PRIOR_A_SD;
        co.prior_b_sd = RF_IV_ORG_PRIOR_B_SD;
        if (!(rc = rf_iv_calibrate(a->ivb.crit, a->ivb.ncrit, &d, &co, &c->cal, &e->err))) {
            if ((rc = rf_iv_report(&a->ivb, &c->cal, c->g.r, c->g.n, &c->rep, &e->err)))
                rf_iv_calib_cleanup(&c->cal);
            else
                c->done = 1;
        }
    }
    free(prior);
    if (rc)
        ratings_free(&c->g);
    return rc;
}

/* The name of a round or take-home of the kits from its rubric id (the id
 * itself when the kits no longer have it); its Japanese name in *ja (NULL
 * when it has none; ja may be NULL). */
static const char *round_names(const struct rf_app *a, const char *rid, const char **ja)
{
    const char *name = rid, *nja = NULL;
    for (size_t k = 0; k < a->kits.nrounds && name == rid; k++)
        if (strcmp(a->kits.rounds[k].id, rid) == 0) {
            name = a->kits.rounds[k].name;
            nja = a->kits.rounds[k].name_ja;
        }
    for (size_t k = 0; k < a->kits.ntake_homes && name == rid; k++)
        if (strcmp(a->kits.take_homes[k].id, rid) == 0) {
            name = a->kits.take_homes[k].name;
            nja = a->kits.take_homes[k].name_ja;
        }
    if (ja)
        *ja = nja;
    return name;
}

/* The kits' criterion of a calibrated criterion id ("<rubric>.<criterion>"),
 * or NULL when the kits no longer have it. */
static const struct rf_kit_criterion *kit_criterion(const struct rf_app *a, const char *id)
{
    const char *dot = id ? strchr(id, '.') : NULL;
    if (!dot)
        return NULL;
    size_t n = (size_t)(dot - id);
    for (size_t k = 0; k < a->kits.nrounds + a->kits.ntake_homes; k++) {
        int round = k < a->kits.nrounds;
        const char *rid = round ? a->kits.rounds[k].id : a->kits.take_homes[k - a->kits.nrounds].id;
        const struct rf_kit_criterion *cr =
            round ? a->kits.rounds[k].rubric : a->kits.take_homes[k - a->kits.nrounds].rubric;
        size_t ncr = round ? a->kits.rounds[k].ncriteria
                           : a->kits.take_homes[k - a->kits.nrounds].ncriteria;
        if (strlen(rid) != n || strncmp(rid, id, n) != 0)
            continue;
        for (size_t i = 0; i < ncr; i++)
            if (strcmp(cr[i].id, dot + 1) == 0)
                return &cr[i];
    }
    return NULL;
}

/* Names a calibrated criterion object ({"criterion": id, ...}) in English
 * and Japanese from the kits (the page shows the name, not the id). */
static void name_criterion(const struct rf_app *a, json_t *x)
{
    const struct rf_kit_criterion *k =
        kit_criterion(a, json_string_value(json_object_get(x, "criterion")));
    if (!k)
        return;
    json_object_set_new(x, "name", json_string(k->name));
    json_object_set_new(x, "name_ja", json_string(k->name_ja ? k->name_ja : k->name));
}

static json_t *report_of(const struct rf_app *a, const struct calibrated *c)
{
    json_t *o;
    if (c->done) {
        o = rf_iv_report_json(&a->ivb, &c->cal, &c->rep, (const char *const *)c->g.names,
                              c->g.nr, c->g.np, c->g.n);
        for (size_t r = 0; o && r < c->g.nr; r++)
            json_object_set_new(json_array_get(json_object_get(o, "interviewers"), r), "id",
                                json_integer((json_int_t)c->g.raters[r]));
        /* each rubric by its round's name too (the web page shows the name) */
        json_t *ru = o ? json_object_get(o, "rubrics") : NULL;
        for (size_t i = 0; i < json_array_size(ru); i++) {
            json_t *x = json_array_get(ru, i);
            const char *rid = json_string_value(json_object_get(x, "rubric"));
            const char *ja = NULL;
            if (rid)
                json_object_set_new(x, "name", json_string(round_names(a, rid, &ja)));
            if (ja)
                json_object_set_new(x, "name_ja", json_string(ja));
            json_t *flat = json_object_get(x, "not_separating");
            for (size_t k = 0; k < json_array_size(flat); k++)
                name_criterion(a, json_array_get(flat, k));
        }
        json_t *cr = o ? json_object_get(o, "criteria") : NULL;
        for (size_t i = 0; i < json_array_size(cr); i++)
            name_criterion(a, json_array_get(cr, i));
    } else {
        o = json_pack("{s:i,s:i,s:b,s:i,s:[],s:[],s:[]}", "ratings", 0, "candidates", 0,
                      "converged", 1, "iterations", 0, "interviewers", "rubrics", "criteria");
    }
    if (o) {
        json_object_set_new(o, "scorecards", json_integer((json_int_t)c->g.cards));
        json_object_set_new(o, "skipped", json_integer((json_int_t)c->g.skipped));
        json_object_set_new(o, "criteria_prior",
                            json_pack("{s:s,s:f,s:f}", "mean", "kit defaults", "a_sd",
                                      RF_IV_ORG_PRIOR_A_SD, "thresholds_sd",
                                      RF_IV_ORG_PRIOR_B_SD));
        json_object_set_new(o, "tested", json_integer((json_int_t)c->tested));
    }
    return o;
}

rf_status rf_app_interview_calibration(struct rf_app *a, const struct rf_principal *p,
                                       json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL,
                           "sign in as a recruiter or admin to see the interviewers' calibration");
    struct calibrated c;
    rf_status rc = calibrate_org(a, p->org_id, &c, e);
    if (rc)
        return rc;
    *out = report_of(a, &c);
    calibrated_free(&c);
    return *out ? RF_OK : rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
}

/* The profile of the invite's latest test when it is finished and the
 * organization's staff may read it (*test_id its id), else an empty profile
 * (*test_id 0): a team member who does not share their test adds nothing to
 * a packet or a calibration, as to a ranking. */
static rf_status test_profile(struct rf_app *a, int64_t invite, struct rf_profile *pr,
                              int64_t *test_id, struct rf_app_error *e)
{
    struct rf_test t;
    *test_id = 0;
    rf_status rc = rf_store_test_by_invite(a->store, invite, &t, &e->err);
    if (rc == RF_ENOTFOUND) {
        rf_profile_init_default(pr);
        return RF_OK;
    }
    if (rc)
        return rc;
    if (t.profile && strcmp(t.status, "finished") == 0 && rf_app_team_staff_may_read(a, &t)) {
        rc = rf_profile_parse("stored profile", t.profile, strlen(t.profile), pr, &e->err);
        if (!rc)
            *test_id = t.id;
    } else {
        rf_profile_init_default(pr);
    }
    rf_store_test_cleanup(&t);
    return rc;
}

/* The ratings of candidate (invite) id among c's, as person 0 (*m of
 * them). NULL when out of memory. */
static struct rf_iv_rating *ratings_of(const struct calibrated *c, int64_t id, size_t *m)
{
    size_t who = (size_t)-1;
    for (size_t i = 0; i < c->g.np; i++)
        if (c->g.persons[i] == id)
            who = i;
    struct rf_iv_rating *mine = calloc(c->g.n ? c->g.n : 1, sizeof *mine);
    *m = 0;
    for (size_t i = 0; mine && i < c->g.n; i++)
        if (c->g.r[i].person == who) {
            mine[*m] = c->g.r[i];
            mine[(*m)++].person = 0;
        }
    return mine;
}

static void count_submitted(void *ud, const struct rf_assignment *x)
{
    if (x->state && strcmp(x->state, "draft") != 0 && x->scores)
        ++*(size_t *)ud;
}

static json_t *mean_sd(const struct rf_profile_skill *s)
{
    return s ? json_pack("{s:f,s:f}", "mean", s->theta, "sd", s->se) : json_null();
}

rf_status rf_app_interview_evidence(struct rf_app *a, int64_t org, int64_t invite,
                                    const struct rf_profile *test, json_t **out,
                                    struct rf_app_error *e)
{
    *out = NULL;
    size_t cards = 0;
    rf_status rc =
        rf_store_assignments_list(a->store, org, invite, 0, count_submitted, &cards, &e->err);
    if (rc || cards == 0)
        return rc;
    struct calibrated c;
    if ((rc = calibrate_org(a, org, &c, e)))
        return rc;
    size_t m = 0;
    struct rf_iv_rating *mine = ratings_of(&c, invite, &m);
    struct rf_profile all, iv;
    double nosev = 0;
    struct rf_iv_bank b = a->ivb; /* the criteria as calibrated: a shallow copy */
    if (c.done)
        b.crit = c.cal.crit;
    if (!mine) {
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = rf_iv_sources(test, &a->car.tax, &b, c.done ? c.cal.sev : &nosev,
                            c.done ? c.g.nr : 0, mine, m, &all, &iv, &e->err)))
        goto out;
    json_t *skills = json_array();
    size_t ndis = 0;
    for (size_t i = 0; skills && i < iv.nskills; i++) {
        const struct rf_profile_skill *v = &iv.skills[i],
                                      *t = rf_profile_find(test, v->skill),
                                      *x = rf_profile_find(&all, v->skill);
        int ag = rf_iv_agree(t, v);
        ndis += ag == 0;
        json_array_append_new(skills, json_pack("{s:s,s:o,s:o,s:o,s:o}", "skill", v->skill, "test",
                                                mean_sd(t), "interviews", mean_sd(v), "combined",
                                                mean_sd(x), "agree",
                                                ag < 0 ? json_null() : json_boolean(ag)));
    }
    *out = skills ? json_pack("{s:I,s:I,s:f,s:I,s:o}", "scorecards", (json_int_t)cards, "ratings",
                              (json_int_t)m, "agree_z", RF_IV_AGREE_Z, "disagree",
                              (json_int_t)ndis, "skills", skills)
                  : NULL;
    if (!*out)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    rf_profile_cleanup(&all);
    rf_profile_cleanup(&iv);
out:
    free(mine);
    calibrated_free(&c);
    return rc;
}

struct rf_app_iv_join {
    struct rf_app *a;
    struct calibrated c;
    struct rf_iv_bank b; /* a->ivb with the calibrated criteria (shallow) */
};

rf_status rf_app_iv_join_open(struct rf_app *a, int64_t org, struct rf_app_iv_join **out,
                              struct rf_app_error *e)
{
    struct rf_app_iv_join *j = calloc(1, sizeof *j);
    if (!j)
        return rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
    rf_status rc = calibrate_org(a, org, &j->c, e);
    if (rc) {
        free(j);
        return rc;
    }
    j->a = a;
    j->b = a->ivb;
    if (j->c.done)
        j->b.crit = j->c.cal.crit;
    *out = j;
    return RF_OK;
}

int rf_app_iv_join_has(const struct rf_app_iv_join *j, int64_t invite)
{
    if (!j || !j->c.done)
        return 0;
    for (size_t i = 0; i < j->c.g.np; i++)
        if (j->c.g.persons[i] == invite)
            return 1;
    return 0;
}

rf_status rf_app_iv_join(const struct rf_app_iv_join *j, int64_t invite, struct rf_profile *pr,
                         size_t *n, struct rf_err *err)
{
    *n = 0;
    if (!rf_app_iv_join_has(j, invite))
        return RF_OK;
    size_t m = 0;
    struct rf_iv_rating *mine = ratings_of(&j->c, invite, &m);
    if (!mine)
        return rf_err_set(err, RF_ENOMEM, "out of memory");
    rf_status rc = m ? rf_iv_combine(pr, &j->a->car.tax, &j->b, j->c.cal.sev, j->c.g.nr, mine, m,
                                     err)
                     : RF_OK;
    free(mine);
    if (!rc)
        *n = m;
    return rc;
}

void rf_app_iv_join_close(struct rf_app_iv_join *j)
{
    if (!j)
        return;
    calibrated_free(&j->c);
    free(j);
}

rf_status rf_app_hiring_packet(struct rf_app *a, const struct rf_principal *p, int64_t id,
                               const char *role_id, json_t **out, struct rf_app_error *e)
{
    if (!rf_app_is_staff(p))
        return rf_app_fail(e, RF_EPERM, NULL, "sign in as a recruiter or admin to see packets");
    struct rf_invite v;
    rf_status rc = rf_store_invite_get(a->store, id, &v, &e->err);
    if (rc == RF_ENOTFOUND || (!rc && v.org_id != p->org_id)) {
        if (!rc)
            rf_store_invite_cleanup(&v);
        return rf_app_fail(e, RF_ENOTFOUND, NULL, "no candidate %lld in your organization",
                           (long long)id);
    }
    if (rc)
        return rc;
    if (!role_id)
        role_id = v.role;
    const struct rf_role *role = role_id ? rf_roles_find(&a->car.roles, role_id) : NULL;
    if (!role) {
        rc = role_id ? rf_app_fail(e, RF_EINVAL, "role", "unknown role '%.64s'", role_id)
                     : rf_app_fail(e, RF_EINVAL, "role",
                                   "this candidate's invite names no role: give ?role=ID");
        rf_store_invite_cleanup(&v);
        return rc;
    }
    struct calibrated c;
    struct rf_profile test;
    int64_t test_id = 0;
    int have_test = 0, have_packet = 0;
    struct rf_iv_packet pk;
    struct rf_iv_rating *mine = NULL;
    if ((rc = calibrate_org(a, p->org_id, &c, e)))
        goto out_invite;
    if ((rc = test_profile(a, id, &test, &test_id, e)))
        goto out;
    have_test = 1;
    size_t m = 0;
    if (!(mine = ratings_of(&c, id, &m))) {
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
        goto out;
    }
    double nosev = 0;
    struct rf_iv_bank b = a->ivb; /* the criteria as calibrated: a shallow copy */
    if (c.done)
        b.crit = c.cal.crit;
    if ((rc = rf_iv_packet(&test, &a->car.roles, role, &a->kits, &b, c.done ? c.cal.sev : &nosev,
                           c.done ? c.g.nr : 0, mine, m, &pk, &e->err)))
        goto out;
    have_packet = 1;
    *out = rf_iv_packet_json(&a->car.tax, &b, &pk, v.label ? v.label : "");
    json_t *reqs = *out ? json_object_get(*out, "requirements") : NULL;
    for (size_t i = 0; reqs && i < json_array_size(reqs); i++) {
        json_t *q = json_array_get(reqs, i);
        const struct rf_iv_packet_req *x = &pk.req[i];
        const struct rf_skill *sk = &a->car.tax.skills[pk.fit.reqs[i].req->skill];
        json_object_set_new(q, "skill_name", json_string(sk->name));
        json_object_set_new(q, "skill_name_ja", json_string(sk->name_ja ? sk->name_ja : sk->name));
        if (x->settle != (size_t)-1) {
            const char *ja = NULL, *en = round_names(a, b.rubric_ids[x->settle], &ja);
            json_object_set_new(q, "settled_by_name", json_string(en));
            json_object_set_new(q, "settled_by_name_ja", json_string(ja ? ja : en));
        }
    }
    if (*out) {
        json_object_set_new(*out, "invite", json_integer((json_int_t)id));
        json_object_set_new(*out, "role_name", json_string(role->name));
        json_object_set_new(*out, "role_name_ja",
                            json_string(role->name_ja ? role->name_ja : role->name));
        json_object_set_new(*out, "test", test_id ? json_integer((json_int_t)test_id) : json_null());
        json_object_set_new(*out, "ratings", json_integer((json_int_t)m));
        json_object_set_new(*out, "calibration", report_of(a, &c));
    }
    if (!*out)
        rc = rf_app_fail(e, RF_ENOMEM, NULL, "out of memory");
out:
    if (have_packet)
        rf_iv_packet_cleanup(&pk);
    if (have_test)
        rf_profile_cleanup(&test);
    free(mine);
    calibrated_free(&c);
out_invite:
    rf_store_invite_cleanup(&v);
    return rc;
}
