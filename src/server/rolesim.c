/*
 * Population studies of the role tests (see rolesim.h). Workers own one
 * session per design and a profile; every per-examinee figure goes into
 * arrays indexed by examinee, reduced in examinee order after the workers
 * join.
 */
#include "server/rolesim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/rng.h"
#include "careers/closest.h"
#include "careers/fit.h"
#include "careers/profile.h"
#include "careers/report.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "server/roletest.h"

static const char *const pop_names[] = {"reference", "role",  "mix",   "random",
                                        "perfect",   "other", "takers"};

const char *rf_rolesim_pop_name(enum rf_rolesim_pop pop)
{
    return (size_t)pop < sizeof pop_names / sizeof pop_names[0] ? pop_names[pop] : "?";
}

rf_status rf_rolesim_pop_parse(const char *s, enum rf_rolesim_pop *out)
{
    for (size_t i = 0; i < sizeof pop_names / sizeof pop_names[0]; i++)
        if (strcmp(s, pop_names[i]) == 0) {
            *out = (enum rf_rolesim_pop)i;
            return RF_OK;
        }
    return RF_EINVAL;
}

rf_status rf_rolesim_truth_init(struct rf_rolesim_truth *t, const struct rf_cat_pool *p,
                                const struct rf_bank *b, struct rf_err *err)
{
    size_t n = p->n ? p->n : 1;
    struct rf_irt_item *irt = rf_calloc_array(n, sizeof *irt);
    double *chance = rf_calloc_array(n, sizeof *chance);
    double *rnd = rf_calloc_array(n * RF_MAX_CATEGORIES, sizeof *rnd);
    if (!irt || !chance || !rnd) {
        free(irt);
        free(chance);
        free(rnd);
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    }
    for (size_t i = 0; i < p->n; i++) {
        struct rf_irt_item it = p->irt[i];
        double *rp = rnd + i * RF_MAX_CATEGORIES;
        size_t bi;
        if (b && rf_bank_find(b, p->ids[i], &bi) == RF_OK) {
            const struct rf_item *bit = &b->items[bi];
            if (it.ncat == 2 && bit->type == RF_ITEM_MCQ && bit->noptions >= 2) {
                rf_irt_item_dich(&it, RF_MODEL_3PL, 1.0, it.b, 1.0 / (double)bit->noptions);
            } else if (it.ncat == 2) {
                rf_irt_item_dich(&it, RF_MODEL_2PL, 1.0, it.b, 0);
            } else {
                it.a = 1.0;
            }
        }
        /* Random responders answer as the pool says they would, the model
         * "no role" weighs them with (careers/closest.h). */
        memcpy(rp, p->rand + i * RF_MAX_CATEGORIES, RF_MAX_CATEGORIES * sizeof *rp);
        if (it.ncat == 2)
            chance[i] = rp[1];
        irt[i] = it;
    }
    t->n = p->n;
    t->irt = irt;
    t->chance = chance;
    t->rand = rnd;
    return RF_OK;
}

void rf_rolesim_truth_cleanup(struct rf_rolesim_truth *t)
{
    free(t->irt);
    free(t->chance);
    free(t->rand);
    memset(t, 0, sizeof *t);
}

int rf_rolesim_live_pool(int find_role)
{
    return RF_CAT_POOL_SCORED | (find_role ? RF_CAT_POOL_PRACTICE : RF_CAT_POOL_OPERATIONAL);
}

const char *rf_rolesim_pool_name(int flags)
{
    return flags & RF_CAT_POOL_OPERATIONAL ? "operational"
           : flags & RF_CAT_POOL_PRACTICE  ? "practice"
                                           : "all";
}

size_t rf_rolesim_pool_usable(const struct rf_cat_pool *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->usable[i];
    return n;
}

/* Marks a call (enum rf_call) that the report gives as a first reading. */
#define FIRST_READING 0x10

/* Per examinee. Requirement calls: up to maxreq per examinee, p < 0 unused. */
struct per_examinee {
    size_t *len;
    double *fit, *top, *norole;
    signed char *own_ok;   /* -1: no own role; 0/1: closest is the own role */
    size_t *own_idx;       /* the own role's index, when there is one */
    unsigned char *told_test; /* closest is the test's role */
    unsigned char *higher; /* closest is another role with bars at least as high */
    unsigned char *highest; /* closest is a role no role asks more than */
    size_t *closest_idx;    /* the closest role's index (SIZE_MAX: told no role) */
    unsigned char *told_none;
    unsigned char *rnd; /* a random responder (the takers' "no role" people) */
    double *skills; /* share of scope skills measured */
    unsigned char *tasks_all;
    double *callp;          /* [N][maxreq] */
    unsigned char *callmet; /* [N][maxreq] */
    unsigned char *callc;   /* [N][maxreq]: the report's call (enum rf_call) */
    double *callpw;         /* [N][maxreq]: the report's chance the call is wrong */
    double *repp;           /* [N][maxreq]: find my role, the report's target role */
    unsigned char *repmet, *repc; /* [N][maxreq] */
    double *roleprob;       /* [N][nroles], own role's examinees only */
    /* The confirm stage (opts confirm > 0): its items, and as above after it. */
    size_t *len2;
    double *top2;
    signed char *own_ok2;
    unsigned char *told_none2;
    unsigned char *conf_own, *conf_other; /* the role confirmed is the own role, another */
    double *callp2, *repp2;
    unsigned char *callmet2, *repmet2, *callc2, *repc2;
};

struct study {
    const struct rf_cat_pool *p;
    const struct rf_rolesim_truth *t;
    const struct rf_roles *roles;
    const struct rf_rolesim_opts *o;
    struct rf_cat_design *designs; /* one, or one per role */
    size_t ndesigns;
    /* Per design, the roles some scope skill belongs to (the takers' roles). */
    size_t (*hyp)[RF_CAT_MAX_CLASSES];
    size_t *nhyp;
    size_t maxreq;
    struct per_examinee pe;
};

struct job {
    const struct study *st;
    size_t lo, hi;
    rf_status rc;
    struct rf_err err;
};

/* Category of item i for an examinee with true theta, or as the population's
 * random and perfect responders answer. */
static size_t answer(const struct study *st, enum rf_rolesim_pop how, size_t i, double theta,
                     struct rf_rng *r)
{
    const struct rf_irt_item *it = &st->t->irt[i];
    switch (how) {
    case RF_ROLESIM_PERFECT:
        return it->ncat - 1;
    case RF_ROLESIM_RANDOM: {
        if (it->ncat == 2)
            return rf_rng_uniform(r) < st->t->chance[i];
        const double *rp = st->t->rand + i * RF_MAX_CATEGORIES;
        double u = rf_rng_uniform(r), acc = 0;
        for (size_t k = 0; k + 1 < it->ncat; k++)
            if (u < (acc += rp[k]))
                return k;
        return it->ncat - 1;
    }
    default:
        break;
    }
    return rf_cat_sim_draw(it, theta, r);
}

/* The requirement calls of role on profile pr against the truth (over the
 * taxonomy's first nsk skills; random responders meet no bar, perfect ones
 * every bar: how) into p[0..maxreq-1] (-1: no requirement), met and call
 * (the report's, enum rf_call, FIRST_READING added when the report gives
 * it as a first reading: find_role, confirmed as rf_report_calls_verdict
 * takes them), and the role's fit. */
static rf_status calls(const struct study *st, enum rf_rolesim_pop how, const struct rf_profile *pr,
                       const struct rf_role *role, const double *truth, size_t nsk, int find_role,
                       const struct rf_role *confirmed, double *p, unsigned char *met,
                       unsigned char *call, double *pw, double *fit, struct rf_err *err)
{
    int first = !rf_report_calls_verdict(find_role, confirmed ? confirmed->id : NULL, role->id);
    struct rf_role_fit f;
    rf_status rc = rf_fit_role(pr, st->roles, role, &f, err);
    if (rc)
        return rc;
    *fit = f.fit;
    for (size_t k = 0; k < st->maxreq; k++) {
        p[k] = -1;
        if (k >= f.nreqs)
            continue;
        const struct rf_role_req *q = f.reqs[k].req;
        int m = how == RF_ROLESIM_PERFECT ? 1
                : how == RF_ROLESIM_RANDOM ? 0
                : q->skill < nsk          ? truth[q->skill] >= q->cut
                                          : 0;
        p[k] = f.reqs[k].p;
        met[k] = (unsigned char)m;
        call[k] = (unsigned char)(f.reqs[k].call | (first ? FIRST_READING : 0));
        if (pw)
            pw[k] = f.reqs[k].p_wrong;
    }
    rf_fit_cleanup(&f);
    return RF_OK;
}

/* The answer loop of session s for an examinee with truth (taxonomy skill
 * tk[j] of scope skill j, SIZE_MAX: none; drawn N(0, 1) then). */
static rf_status run_session(const struct study *st, enum rf_rolesim_pop how,
                             struct rf_cat_session *s, const size_t *tk, const double *truth,
                             struct rf_rng *r, struct rf_err *err)
{
    const struct rf_cat_design *d = rf_cat_session_design(s);
    const struct rf_cat_pool *p = st->p;
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            return RF_OK;
        size_t j = 0;
        while (j + 1 < d->nscope && d->scope[j] != p->skill[item])
            j++;
        double th = tk[j] == SIZE_MAX ? rf_rng_normal(r) : truth[tk[j]];
        rf_status rc = rf_cat_answer(s, item, answer(st, how, item, th, r));
        if (rc)
            return rf_err_set(err, rc, "simulation: %s", rf_cat_errmsg(s));
    }
}

/* Find my role's confirm stage for examinee i, who took s (scored into pr,
 * closest roles cl): a confirm session on the leading roles' requirements
 * with s's answers carried, its profile combined into pr, and the figures
 * of the combined profile. */
static rf_status confirm_stage(const struct study *st, size_t i, enum rf_rolesim_pop how,
                               const struct rf_role *target, const struct rf_role *own,
                               const double *truth, size_t nsk, const size_t *tk,
                               const struct rf_cat_session *s, struct rf_profile *pr,
                               const struct rf_role_close *cl, struct rf_rng *r, struct rf_err *err)
{
    const struct rf_rolesim_opts *o = st->o;
    struct per_examinee *pe = (struct per_examinee *)&st->pe;
    const struct rf_role *lead[RF_CAT_MAX_CLASSES];
    size_t nlead = o->confirm_roles < st->roles->n ? o->confirm_roles : st->roles->n;
    for (size_t k = 0; k < nlead; k++)
        lead[k] = cl[k].role;
    /* The role the person names: their own (confirm_own), or with
     * confirm_own 2 the target for those without one. */
    const struct rf_role *named = !o->confirm_own       ? NULL
                                  : own                 ? own
                                  : o->confirm_own == 2 ? target
                                                        : NULL;
    if (named) { /* the named role first, then the offered ones */
        size_t m = 0;
        lead[m++] = named;
        for (size_t k = 0; m < nlead && k < st->roles->n; k++)
            if (cl[k].role != named)
                lead[m++] = cl[k].role;
    }
    struct rf_cat_design d = st->designs[0];
    struct rf_cat_session *cs = NULL;
    struct rf_profile more;
    memset(&more, 0, sizeof more);
    /* A role the person names is read with its role test's prior (one role
     * named; confirming several roles, a study, keeps find my role's). */
    int under = named && nlead == 1;
    rf_status rc = under ? rf_roletest_confirm_named(&d, st->p, st->roles, named, o->confirm, err)
                         : rf_roletest_confirm(&d, st->p, st->roles, lead, nlead, o->confirm, err);
    if (!rc)
        rc = rf_cat_session_new(st->p, &d, rf_rng_next(r), &cs, err);
    for (size_t k = 0; !rc && k < rf_cat_nanswered(s); k++) {
        size_t item, cat;
        rf_cat_answered(s, k, &item, &cat);
        rc = rf_cat_carry(cs, item, cat, err);
    }
    if (!rc)
        rc = run_session(st, how, cs, tk, truth, r, err);
    if (!rc) {
        pe->len2[i] = rf_cat_nanswered(cs);
        rc = rf_profile_init(&more, pr->lo, pr->hi, pr->n, err);
    }
    /* Under a named role's prior the profile is read under it even when the
     * carried answers left nothing to ask. */
    if (!rc && (pe->len2[i] > 0 || under) &&
        !(rc = rf_roletest_profile(cs, st->roles, &more, NULL, err)))
        rc = under ? rf_profile_combine_under(pr, &more, err) : rf_profile_combine(pr, &more, err);
    rf_profile_cleanup(&more);
    rf_cat_session_free(cs);
    double fit;
    struct rf_role_close *cl2 = NULL;
    double norole;
    /* The combined report is the confirm test's: a verdict on lead[0] only. */
    if (!rc)
        rc = calls(st, how, pr, target, truth, nsk, 0, lead[0], pe->callp2 + i * st->maxreq,
                   pe->callmet2 + i * st->maxreq, pe->callc2 + i * st->maxreq, NULL, &fit, err);
    if (!rc)
        rc = calls(st, how, pr, lead[0], truth, nsk, 0, lead[0], pe->repp2 + i * st->maxreq,
                   pe->repmet2 + i * st->maxreq, pe->repc2 + i * st->maxreq, NULL, &fit, err);
    if (!rc && !(rc = rf_closest_all(pr, st->roles, &cl2, &norole, err))) {
        pe->top2[i] = cl2[0].prob;
        pe->told_none2[i] = norole > cl2[0].prob;
        pe->own_ok2[i] = own ? cl2[0].role == own : -1;
        pe->conf_own[i] = own && lead[0] == target;
        pe->conf_other[i] = own && lead[0] != target;
        free(cl2);
    }
    return rc;
}

/* One examinee: draw, test, score, evaluate. */
static rf_status examinee(const struct study *st, size_t i, struct rf_cat_session **ses,
                          struct rf_profile *pr, struct rf_err *err)
{
    const struct rf_rolesim_opts *o = st->o;
    const struct rf_roles *roles = st->roles;
    const struct rf_taxonomy *tax = roles->tax;
    const struct rf_cat_pool *p = st->p;
    struct per_examinee *pe = (struct per_examinee *)&st->pe;
    size_t nr = roles->n;
    struct rf_rng r;
    rf_rng_substream(&r, o->seed, i);
    /* The test and the target role. */
    size_t di = st->ndesigns > 1 ? i % nr : 0;
    const struct rf_role *target = o->role ? o->role : &roles->roles[i % nr];
    int is_role = o->pop == RF_ROLESIM_ROLE || o->pop == RF_ROLESIM_OTHER ||
                  (o->pop == RF_ROLESIM_MIX && rf_rng_uniform(&r) < 0.5);
    const struct rf_role *own = is_role || o->pop == RF_ROLESIM_PERFECT ? target : NULL;
    const struct rf_role *kind = target; /* whose people the examinee is */
    if (o->pop == RF_ROLESIM_OTHER && nr > 1) {
        size_t t = (size_t)(target - roles->roles);
        kind = own = &roles->roles[(t + 1 + (i / nr) % (nr - 1)) % nr];
    }
    /* How this examinee answers: the population's way, or for the takers
     * their draw's. */
    enum rf_rolesim_pop how = o->pop;
    const struct rf_cat_design *d = &st->designs[di];
    if (o->pop == RF_ROLESIM_TAKERS) {
        double w = d->prior_all ? 0 : d->prior_weight;
        size_t m = st->nhyp[di] + 1; /* the roles and "no role" */
        if (w > 0 && rf_rng_uniform(&r) < w) {
            kind = target;
        } else {
            size_t h = (size_t)rf_rng_below(&r, m);
            kind = h + 1 < m ? &roles->roles[st->hyp[di][h]] : NULL;
        }
        is_role = kind != NULL;
        own = kind;
        how = kind ? RF_ROLESIM_ROLE : RF_ROLESIM_RANDOM;
    }
    pe->rnd[i] = how == RF_ROLESIM_RANDOM;
    /* Truth over the taxonomy. */
    double truth[RF_CAT_MAX_SCOPE * 4] = {0};
    size_t nsk = tax->nskills < sizeof truth / sizeof truth[0] ? tax->nskills
                                                                : sizeof truth / sizeof truth[0];
    double la = o->truth_loading, gz = la > 0 ? rf_rng_normal(&r) : 0;
    for (size_t k = 0; k < nsk; k++) {
        const struct rf_role_req *q = is_role ? rf_role_req_find(kind, k) : NULL;
        double z = rf_rng_normal(&r);
        if (la > 0)
            z = la * gz + sqrt(1 - la * la) * z;
        if (q) {
            double mu, tau;
            rf_closest_level_dist(tax, k, q->level, &mu, &tau);
            truth[k] = mu + RF_ROLESIM_ROLE_SD * z;
        } else {
            truth[k] = z;
        }
    }
    size_t tk[RF_CAT_MAX_SCOPE] = {0}; /* taxonomy index of each scope skill */
    for (size_t j = 0; j < d->nscope; j++)
        if (rf_taxonomy_find(tax, p->skills[d->scope[j]], &tk[j]) || tk[j] >= nsk)
            tk[j] = SIZE_MAX;
    struct rf_cat_session *s = ses[di];
    rf_cat_session_reset(s, rf_rng_next(&r));
    rf_status rc = run_session(st, how, s, tk, truth, &r, err);
    if (rc)
        return rc;
    pe->len[i] = rf_cat_nanswered(s);
    /* Coverage. */
    unsigned char task_in[64] = {0}, task_hit[64] = {0};
    size_t nmeas = 0;
    for (size_t j = 0; j < d->nscope; j++) {
        struct rf_cat_skill_result sr;
        rf_cat_skill(s, j, &sr);
        nmeas += sr.items > 0;
        if (tk[j] == SIZE_MAX)
            continue;
        size_t tt;
        if (rf_taxonomy_find_task(tax, tax->skills[tk[j]].task, &tt) || tt >= 64 ||
            strcmp(tax->tasks[tt].id, "foundations") == 0)
            continue;
        task_in[tt] = 1;
        task_hit[tt] |= sr.items > 0;
    }
    pe->skills[i] = d->nscope ? (double)nmeas / (double)d->nscope : 0;
    pe->tasks_all[i] = memcmp(task_in, task_hit, sizeof task_in) == 0;
    /* Score as the server does, then what a report says. */
    rf_profile_cleanup(pr);
    rc = rf_roletest_profile(s, roles, pr, NULL, err);
    if (rc)
        return rc;
    if ((rc = calls(st, how, pr, target, truth, nsk, o->find_role, NULL, pe->callp + i * st->maxreq,
                    pe->callmet + i * st->maxreq, pe->callc + i * st->maxreq,
                    pe->callpw + i * st->maxreq, &pe->fit[i], err)))
        return rc;
    struct rf_role_close *cl;
    if ((rc = rf_closest_all(pr, roles, &cl, &pe->norole[i], err)))
        return rc;
    double fit_report;
    if (o->find_role && (rc = calls(st, how, pr, cl[0].role, truth, nsk, 1, NULL,
                                    pe->repp + i * st->maxreq, pe->repmet + i * st->maxreq,
                                    pe->repc + i * st->maxreq, NULL, &fit_report, err))) {
        free(cl);
        return rc;
    }
    pe->top[i] = cl[0].prob;
    pe->told_none[i] = pe->norole[i] > cl[0].prob;
    pe->own_ok[i] = own ? cl[0].role == own : -1;
    pe->own_idx[i] = own ? (size_t)(own - roles->roles) : 0;
    pe->told_test[i] = !o->find_role && !pe->told_none[i] && cl[0].role == target;
    pe->higher[i] =
        own && cl[0].role != own && rf_closest_bars_at_least(pr, roles, cl[0].role, own);
    pe->highest[i] = !pe->told_none[i] && rf_closest_bars_highest(pr, roles, cl[0].role);
    pe->closest_idx[i] = pe->told_none[i] ? SIZE_MAX : (size_t)(cl[0].role - roles->roles);
    if (own || pe->rnd[i])
        for (size_t k = 0; k < nr; k++)
            pe->roleprob[i * nr + (size_t)(cl[k].role - roles->roles)] = cl[k].prob;
    if (o->find_role && o->confirm)
        rc = confirm_stage(st, i, how, target, own, truth, nsk, tk, s, pr, cl, &r, err);
    free(cl);
    return rc;
}

static void *worker(void *arg)
{
    struct job *j = arg;
    const struct study *st = j->st;
    struct rf_cat_session *ses[RF_CAT_MAX_CLASSES] = {0};
    struct rf_profile pr;
    memset(&pr, 0, sizeof pr);
    if ((j->rc = rf_profile_init(&pr, st->p->q.lo, st->p->q.hi, st->p->q.n, &j->err)))
        return NULL;
    for (size_t k = 0; k < st->ndesigns && !j->rc; k++)
        j->rc = rf_cat_session_new(st->p, &st->designs[k], 0, &ses[k], &j->err);
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        j->rc = examinee(st, i, ses, &pr, &j->err);
    for (size_t k = 0; k < st->ndesigns; k++)
        rf_cat_session_free(ses[k]);
    rf_profile_cleanup(&pr);
    return NULL;
}

static void pe_free(struct per_examinee *pe)
{
    free(pe->len);
    free(pe->fit);
    free(pe->top);
    free(pe->norole);
    free(pe->own_ok);
    free(pe->own_idx);
    free(pe->told_test);
    free(pe->higher);
    free(pe->highest);
    free(pe->closest_idx);
    free(pe->told_none);
    free(pe->rnd);
    free(pe->skills);
    free(pe->tasks_all);
    free(pe->callp);
    free(pe->callpw);
    free(pe->callmet);
    free(pe->callc);
    free(pe->repp);
    free(pe->repmet);
    free(pe->repc);
    free(pe->roleprob);
    free(pe->len2);
    free(pe->top2);
    free(pe->own_ok2);
    free(pe->told_none2);
    free(pe->conf_own);
    free(pe->conf_other);
    free(pe->callp2);
    free(pe->callmet2);
    free(pe->callc2);
    free(pe->repp2);
    free(pe->repmet2);
    free(pe->repc2);
}

static rf_status pe_alloc(struct per_examinee *pe, size_t n, size_t maxreq, size_t nroles,
                          struct rf_err *err)
{
    memset(pe, 0, sizeof *pe);
    pe->len = rf_calloc_array(n, sizeof *pe->len);
    pe->fit = rf_calloc_array(n, sizeof *pe->fit);
    pe->top = rf_calloc_array(n, sizeof *pe->top);
    pe->norole = rf_calloc_array(n, sizeof *pe->norole);
    pe->own_ok = rf_calloc_array(n, sizeof *pe->own_ok);
    pe->own_idx = rf_calloc_array(n, sizeof *pe->own_idx);
    pe->told_test = rf_calloc_array(n, sizeof *pe->told_test);
    pe->higher = rf_calloc_array(n, sizeof *pe->higher);
    pe->highest = rf_calloc_array(n, sizeof *pe->highest);
    pe->closest_idx = rf_calloc_array(n, sizeof *pe->closest_idx);
    pe->told_none = rf_calloc_array(n, sizeof *pe->told_none);
    pe->rnd = rf_calloc_array(n, sizeof *pe->rnd);
    pe->skills = rf_calloc_array(n, sizeof *pe->skills);
    pe->tasks_all = rf_calloc_array(n, sizeof *pe->tasks_all);
    pe->callp = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->callp);
    pe->callpw = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->callpw);
    pe->callmet = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->callmet);
    pe->repp = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->repp);
    pe->repmet = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->repmet);
    pe->callc = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->callc);
    pe->repc = rf_calloc_array(n * (maxreq ? maxreq : 1), sizeof *pe->repc);
    pe->roleprob = rf_calloc_array(n * (nroles ? nroles : 1), sizeof *pe->roleprob);
    size_t nm = n * (maxreq ? maxreq : 1);
    pe->len2 = rf_calloc_array(n, sizeof *pe->len2);
    pe->top2 = rf_calloc_array(n, sizeof *pe->top2);
    pe->own_ok2 = rf_calloc_array(n, sizeof *pe->own_ok2);
    pe->told_none2 = rf_calloc_array(n, sizeof *pe->told_none2);
    pe->conf_own = rf_calloc_array(n, sizeof *pe->conf_own);
    pe->conf_other = rf_calloc_array(n, sizeof *pe->conf_other);
    pe->callp2 = rf_calloc_array(nm, sizeof *pe->callp2);
    pe->callmet2 = rf_calloc_array(nm, sizeof *pe->callmet2);
    pe->repp2 = rf_calloc_array(nm, sizeof *pe->repp2);
    pe->repmet2 = rf_calloc_array(nm, sizeof *pe->repmet2);
    pe->callc2 = rf_calloc_array(nm, sizeof *pe->callc2);
    pe->repc2 = rf_calloc_array(nm, sizeof *pe->repc2);
    if (!pe->highest || !pe->closest_idx || !pe->conf_own || !pe->conf_other || !pe->len2 ||
        !pe->top2 || !pe->own_ok2 || !pe->told_none2 || !pe->callp2 || !pe->callmet2 ||
        !pe->repp2 || !pe->repmet2 || !pe->len || !pe->fit || !pe->top || !pe->norole ||
        !pe->own_ok || !pe->own_idx || !pe->told_test || !pe->higher || !pe->told_none ||
        !pe->rnd || !pe->skills || !pe->tasks_all || !pe->callp || !pe->callpw || !pe->callmet ||
        !pe->repp || !pe->repmet || !pe->roleprob || !pe->callc || !pe->repc || !pe->callc2 ||
        !pe->repc2) {
        pe_free(pe);
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    }
    return RF_OK;
}

/* Adds (said, truth) to a calibration table. */
static void bin_add(struct rf_rolesim_bin *b, double said, int truth)
{
    size_t k = said >= 1 ? RF_ROLESIM_BINS - 1 : (size_t)(said * RF_ROLESIM_BINS);
    b[k].said += said;
    b[k].right += truth;
    b[k].n++;
}

/* Turns sums into means; returns sum over bins of n_b |said_b - right_b| / N. */
static double bins_finish(struct rf_rolesim_bin *b)
{
    size_t tot = 0;
    double e = 0;
    for (size_t k = 0; k < RF_ROLESIM_BINS; k++) {
        if (!b[k].n)
            continue;
        b[k].said /= (double)b[k].n;
        b[k].right /= (double)b[k].n;
        e += (double)b[k].n * fabs(b[k].said - b[k].right);
        tot += b[k].n;
    }
    return tot ? e / (double)tot : 0;
}

/* Reduces the calls p/met/call ([n][maxreq], p < 0 unused) of the
 * examinees i with mask[i] (NULL: all) into c; returns the smallest P
 * (INFINITY without calls). */
static double calls_reduce_of(const double *p, const unsigned char *met, const unsigned char *call,
                              const unsigned char *mask, size_t n, size_t maxreq,
                              struct rf_rolesim_calls *c)
{
    size_t ndec = 0, nwrong = 0, npdec = 0, npwrong = 0, nfirst = 0, nfdec = 0, nfwrong = 0;
    double brier = 0, pmin = INFINITY;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n * maxreq; i++) {
        double pk = p[i];
        if (pk < 0 || (mask && !mask[i / maxreq]))
            continue;
        c->n++;
        int ci = call[i] & ~FIRST_READING, decisive = ci == RF_CALL_MEETS || ci == RF_CALL_BELOW,
            wrong = decisive && (ci == RF_CALL_MEETS) != met[i];
        brier += (pk - met[i]) * (pk - met[i]);
        if (pk < pmin)
            pmin = pk;
        if (pk < RF_ROLESIM_DECISIVE || pk > 1 - RF_ROLESIM_DECISIVE) {
            npdec++;
            npwrong += (pk > 0.5) != met[i];
        }
        if (call[i] & FIRST_READING) {
            nfirst++;
            nfdec += (size_t)decisive;
            nfwrong += (size_t)wrong;
        } else {
            ndec += (size_t)decisive;
            nwrong += (size_t)wrong;
        }
        bin_add(c->bins, pk, met[i]);
    }
    c->decisive = c->n ? (double)ndec / (double)c->n : 0;
    c->wrong = ndec ? (double)nwrong / (double)ndec : 0;
    c->first = c->n ? (double)nfirst / (double)c->n : 0;
    c->first_decisive = nfirst ? (double)nfdec / (double)nfirst : 0;
    c->first_wrong = nfdec ? (double)nfwrong / (double)nfdec : 0;
    c->p_decisive = c->n ? (double)npdec / (double)c->n : 0;
    c->p_wrong = npdec ? (double)npwrong / (double)npdec : 0;
    c->brier = c->n ? brier / (double)c->n : 0;
    c->cal_error = bins_finish(c->bins);
    return pmin;
}

static double calls_reduce(const double *p, const unsigned char *met, const unsigned char *call,
                           size_t n, size_t maxreq, struct rf_rolesim_calls *c)
{
    return calls_reduce_of(p, met, call, NULL, n, maxreq, c);
}

static void reduce_confirm(const struct study *st, struct rf_rolesim_result *r)
{
    const struct per_examinee *pe = &st->pe;
    struct rf_rolesim_confirm *c = &r->confirm;
    size_t n = st->o->nexaminees, asked = 0, own = 0, hit = 0, none = 0;
    double items = 0, top = 0;
    calls_reduce(pe->callp2, pe->callmet2, pe->callc2, n, st->maxreq, &c->own);
    calls_reduce(pe->repp2, pe->repmet2, pe->repc2, n, st->maxreq, &c->report);
    calls_reduce_of(pe->callp2, pe->callmet2, pe->callc2, pe->conf_own, n, st->maxreq,
                    &c->own_same);
    calls_reduce_of(pe->callp2, pe->callmet2, pe->callc2, pe->conf_other, n, st->maxreq,
                    &c->own_other);
    c->report1 = r->report;
    for (size_t i = 0; i < n; i++) {
        items += (double)pe->len2[i];
        asked += pe->len2[i] > 0;
        if (pe->len2[i] > c->items_max)
            c->items_max = pe->len2[i];
        top += pe->top2[i];
        none += pe->told_none2[i];
        if (pe->own_ok2[i] >= 0) {
            own++;
            hit += (size_t)pe->own_ok2[i];
        }
    }
    double dn = (double)n;
    c->items = items / dn;
    c->asked = (double)asked / dn;
    c->total = r->len_mean + c->items;
    c->top_prob = top / dn;
    c->no_role_top = (double)none / dn;
    c->closest = own ? (double)hit / (double)own : 0;
}

static void reduce(const struct study *st, struct rf_rolesim_result *r)
{
    const struct per_examinee *pe = &st->pe;
    size_t n = st->o->nexaminees, nr = st->roles->n;
    double len = 0, fit = 0, top = 0, norole = 0, sk = 0;
    size_t own = 0, hit = 0, higher = 0, none = 0, tasks = 0, test = 0;
    memset(r, 0, sizeof *r);
    r->nexaminees = n;
    r->fit_min = INFINITY;
    struct rf_rolesim_calls c;
    r->p_min = calls_reduce(pe->callp, pe->callmet, pe->callc, n, st->maxreq, &c);
    r->ncalls = c.n;
    r->decisive = c.decisive;
    r->wrong = c.wrong;
    r->first = c.first;
    r->first_decisive = c.first_decisive;
    r->first_wrong = c.first_wrong;
    r->p_decisive = c.p_decisive;
    r->p_wrong = c.p_wrong;
    r->brier = c.brier;
    r->cal_error = c.cal_error;
    memcpy(r->meets, c.bins, sizeof r->meets);
    for (size_t i = 0; i < n * st->maxreq; i++) {
        int ci = pe->callc[i];
        struct rf_rolesim_by_call *b = ci == RF_CALL_MEETS   ? &r->by_meets
                                       : ci == RF_CALL_BELOW ? &r->by_below
                                                             : NULL;
        if (!b || pe->callp[i] < 0) /* undecided, not measured, a first reading, no requirement */
            continue;
        b->n++;
        b->wrong += (ci == RF_CALL_MEETS) != pe->callmet[i];
        b->stated += pe->callpw[i];
    }
    for (int j = 0; j < 2; j++) {
        struct rf_rolesim_by_call *b = j ? &r->by_below : &r->by_meets;
        b->wrong = b->n ? b->wrong / (double)b->n : 0;
        b->stated = b->n ? b->stated / (double)b->n : 0;
    }
    if (st->o->find_role)
        calls_reduce(pe->repp, pe->repmet, pe->repc, n, st->maxreq, &r->report);
    for (size_t i = 0; i < n; i++) {
        len += (double)pe->len[i];
        fit += pe->fit[i];
        if (pe->fit[i] < r->fit_min)
            r->fit_min = pe->fit[i];
        top += pe->top[i];
        norole += pe->norole[i];
        none += pe->told_none[i];
        test += pe->told_test[i];
        sk += pe->skills[i];
        tasks += pe->tasks_all[i];
        if (pe->own_ok[i] >= 0) {
            own++;
            hit += (size_t)pe->own_ok[i];
            higher += pe->higher[i];
            for (size_t k = 0; k < nr; k++)
                bin_add(r->roles, pe->roleprob[i * nr + k], pe->own_idx[i] == k);
        }
        if (st->o->pop == RF_ROLESIM_TAKERS) { /* every hypothesis, "no role" too */
            if (pe->rnd[i])
                for (size_t k = 0; k < nr; k++)
                    bin_add(r->roles, pe->roleprob[i * nr + k], 0);
            bin_add(r->roles, pe->norole[i], pe->rnd[i]);
        }
    }
    /* The closest role most examinees got, and how many got it. */
    size_t votes[RF_CAT_MAX_CLASSES] = {0}, best = 0, highest = 0; /* nr <= it (run) */
    for (size_t i = 0; i < n; i++) {
        highest += pe->highest[i];
        if (pe->closest_idx[i] < nr && pe->closest_idx[i] < RF_CAT_MAX_CLASSES)
            votes[pe->closest_idx[i]]++;
    }
    for (size_t k = 0; k < nr && k < RF_CAT_MAX_CLASSES; k++)
        if (votes[k] > best)
            best = votes[k];
    double dn = (double)n;
    r->closest_highest = (double)highest / dn;
    r->closest_same = (double)best / dn;
    r->len_mean = len / dn;
    r->fit_mean = fit / dn;
    r->top_prob = top / dn;
    r->no_role = norole / dn;
    r->no_role_top = (double)none / dn;
    r->skills_measured = sk / dn;
    r->tasks_all = (double)tasks / dn;
    bins_finish(r->roles);
    r->nown = own;
    r->closest = own ? (double)hit / (double)own : 0;
    r->closest_higher = own ? (double)higher / (double)own : 0;
    r->closest_test = (double)test / dn;
    if (st->o->find_role && st->o->confirm)
        reduce_confirm(st, r);
}

rf_status rf_rolesim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                         const struct rf_roles *roles, const struct rf_rolesim_opts *o,
                         struct rf_rolesim_result *r, struct rf_err *err)
{
    if (o->nexaminees == 0)
        return rf_err_set(err, RF_EINVAL, "simulation: no examinees");
    if (roles->n == 0)
        return rf_err_set(err, RF_EINVAL, "simulation: no roles");
    if (t->n != p->n)
        return rf_err_set(err, RF_EINVAL, "simulation: truth for %zu items, the pool has %zu",
                          t->n, p->n);
    if (roles->n > RF_CAT_MAX_CLASSES)
        return rf_err_set(err, RF_ETOOBIG, "simulation: %zu roles, at most %d", roles->n,
                          RF_CAT_MAX_CLASSES);
    if (o->confirm && (!o->find_role || o->confirm_roles == 0 || o->confirm > RF_CAT_MAX_ITEMS))
        return rf_err_set(err, RF_EINVAL,
                          "simulation: a confirm stage follows find my role, 1 to %d items on "
                          "1 or more roles",
                          RF_CAT_MAX_ITEMS);
    if (!(o->truth_loading >= 0 && o->truth_loading < 1))
        return rf_err_set(err, RF_EINVAL, "simulation: loading %g is not in [0, 1)",
                          o->truth_loading);
    struct study st = {p, t, roles, o, NULL, 0, NULL, NULL, 0, {0}};
    st.ndesigns = o->role || o->find_role ? 1 : roles->n;
    st.designs = rf_calloc_array(st.ndesigns, sizeof *st.designs);
    if (!st.designs)
        return rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    rf_status rc = RF_OK;
    for (size_t k = 0; k < st.ndesigns && !rc; k++) {
        const struct rf_role *role = o->role      ? o->role
                                     : o->find_role ? NULL
                                                    : &roles->roles[k];
        rc = rf_roletest_design(&st.designs[k], p, roles, role, err);
        if (!rc && o->prior_set) {
            struct rf_cat_design *d = &st.designs[k];
            for (size_t j = 0; j < d->nscope; j++)
                d->lambda[j] = o->prior_loading;
            d->prior_weight = o->prior_weight;
            d->prior_all = role == NULL;
            d->prior_class = role ? (size_t)(role - roles->roles) : 0;
            rc = rf_cat_design_check(d, p, err);
        }
    }
    for (size_t k = 0; k < roles->n; k++)
        if (roles->roles[k].nreqs > st.maxreq)
            st.maxreq = roles->roles[k].nreqs;
    st.hyp = rf_calloc_array(st.ndesigns, sizeof *st.hyp);
    st.nhyp = rf_calloc_array(st.ndesigns, sizeof *st.nhyp);
    if (!rc && (!st.hyp || !st.nhyp))
        rc = rf_err_set(err, RF_ENOMEM, "simulation: out of memory");
    for (size_t k = 0; k < st.ndesigns && !rc; k++)
        for (size_t c = 0; c < roles->n; c++) {
            const struct rf_cat_design *d = &st.designs[k];
            int in = 0;
            for (size_t j = 0; j < d->nscope && !in; j++) {
                size_t tk;
                in = rf_taxonomy_find(roles->tax, p->skills[d->scope[j]], &tk) == RF_OK &&
                     rf_role_req_find(&roles->roles[c], tk) != NULL;
            }
            if (in)
                st.hyp[k][st.nhyp[k]++] = c;
        }
    if (!rc)
        rc = pe_alloc(&st.pe, o->nexaminees, st.maxreq, roles->n, err);
    if (rc) {
        free(st.designs);
        free(st.hyp);
        free(st.nhyp);
        return rc;
    }
    size_t nt = o->threads ? o->threads : 1;
    if (nt > o->nexaminees)
        nt = o->nexaminees;
    if (nt > RF_CAT_SIM_MAX_THREADS)
        nt = RF_CAT_SIM_MAX_THREADS;
    struct job jobs[RF_CAT_SIM_MAX_THREADS];
    memset(jobs, 0, sizeof jobs);
    for (size_t k = 0; k < nt; k++) {
        jobs[k].st = &st;
        jobs[k].lo = o->nexaminees * k / nt;
        jobs[k].hi = o->nexaminees * (k + 1) / nt;
    }
    rc = rf_cat_sim_parallel(nt, worker, jobs, sizeof jobs[0], err);
    for (size_t k = 0; k < nt && !rc; k++)
        if (jobs[k].rc)
            rc = rf_err_set(err, jobs[k].rc, "%s", jobs[k].err.msg);
    if (!rc)
        reduce(&st, r);
    pe_free(&st.pe);
    free(st.designs);
    free(st.hyp);
    free(st.nhyp);
    return rc;
}
