/*
 * The adaptive session (see session.h). Invariants between calls:
 *   - post[j] is the normalized posterior of scope skill j on the pool grid,
 *     theta[j] and sd[j] its mean and SD; count[j] its answers;
 *   - mark[i] is 0 for an item still available, MARK_GIVEN once answered,
 *     MARK_BLOCKED once refused by exposure control, MARK_ENEMY once an item
 *     of its enemy group was answered; avail[j] counts the usable items of
 *     skill j still at 0; no two answered items share an enemy group, except
 *     in a session replayed from before the group existed (replay readmits a
 *     MARK_ENEMY item so that stored sessions still load);
 *   - events[] lists answers and blocks in the order they happened, so a
 *     replay in that order rebuilds the same state bit for bit;
 *   - pending is the presented item or NONE; stop is RUNNING until finished.
 */
#include "cat/session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define NONE SIZE_MAX
#define MARK_GIVEN 1
#define MARK_BLOCKED 2
#define MARK_ENEMY 3

/* A posterior value below this (relative to a normalized posterior whose
 * largest value is at least 1/nodes) is flushed to zero, keeping the products
 * out of subnormal numbers; it cannot change any printed figure. */
#define TINY 1e-280

struct event {
    uint32_t item;
    int k;                 /* category, or -1 for an item blocked by exposure control */
    unsigned char carried; /* an answer of an earlier session (rf_cat_carry) */
};

struct rf_cat_session {
    const struct rf_cat_pool *p;
    struct rf_cat_design d;
    struct rf_rng rng;
    size_t nq;
    double *post; /* [nscope][nq] */
    double theta[RF_CAT_MAX_SCOPE], sd[RF_CAT_MAX_SCOPE];
    /* log of P(answers | random responder) / P(answers | N(0, 1) person), per
     * scope skill: the "no role" evidence of careers/closest.h */
    double rlbf[RF_CAT_MAX_SCOPE];
    size_t count[RF_CAT_MAX_SCOPE], avail[RF_CAT_MAX_SCOPE];
    enum rf_cat_skill_state state[RF_CAT_MAX_SCOPE];
    unsigned char early[RF_CAT_MAX_SCOPE]; /* the out-of-reach stop applies to skill j */
    size_t *slot;                          /* [pool skill] scope index or NONE */
    unsigned char *mark;                   /* [pool item] */
    size_t nadmin;
    uint32_t *admin; /* [max_items] answered items */
    unsigned char *admin_k;
    size_t nblocked;
    uint32_t *blocked; /* [pool n] */
    size_t nevents;
    struct event *events; /* [max_items + pool n] */
    size_t pending;
    int pending_pre; /* the presented item is pretest item npre */
    /* Pretest answers, in design order: npre answered, each its category and
     * its skill's posterior mean and SD when it was answered. */
    size_t npre;
    unsigned char pre_k[RF_CAT_MAX_PRETEST];
    double pre_theta[RF_CAT_MAX_PRETEST], pre_sd[RF_CAT_MAX_PRETEST];
    enum rf_cat_stop stop;
    /* Classification objective (d.nclasses > 0), else NULL. Classes share
     * few distinct (skill, mu, tau) triples (a role requires one of four
     * levels), so the evidence ratios are kept once per triple:
     * row_g[r * nq + q] = N(x_q; mu, tau^2) / prior(x_q), normalized so that
     * its prior expectation is 1; row_skill[r] its scope skill; row_e[r] its
     * log evidence E_post[g]; cls_row[c * nscope + j] the row of class c on
     * skill j, or NONE (like the population: evidence 0). cls_r, cls_t and
     * row_w are scratch: class totals, class scores, one grid row. */
    size_t nrows;
    size_t *row_skill, *cls_row;
    double *row_g, *row_e, *row_w, *cls_r, *cls_t;
    double cls_lz; /* log sum_c e^{cls_r[c]} */
    /* What an item's expected entropy takes from its skill's posterior
     * (ipost), kept until that posterior changes: the classes' part of the
     * entropy changes every step, this part only when the skill gets an
     * answer. ent_gen[i] is the generation of item i's values (0: none),
     * valid while it equals skill_gen of the item's scope skill; gen counts
     * the changes of any posterior. Per item, from ent_off[i] (its first
     * category), each category's predictive probability ent_pr (0: no
     * support) and, for each of the skill's distinct class rows (in
     * skill_ctx order, at most rmax), v/pr in ent_rr and log(v) - log(pr)
     * in ent_ne, then 1 and 0 for the classes without a row on the skill
     * (rmax + 1 values a category). */
    uint64_t gen, skill_gen[RF_CAT_MAX_SCOPE];
    uint64_t *ent_gen;
    size_t *ent_off, rmax;
    double *ent_pr, *ent_rr, *ent_ne;
    /* The model's prior (d.lambda, d.prior_weight), else NULL: then post
     * is updated in place under independent N(0, 1) priors. */
    struct rf_hier *hm;
    struct rf_hier_state *hs;
    /* With loadings that are assumed (d.loadings_assumed, some loading > 0)
     * and requirements to decide: the same prior with every loading 0 and
     * the same evidence (hs0), else NULL. A requirement is decided only when
     * both readings are sure of it, as the report's call needs both
     * (careers/fit.h); m0 is one marginal's scratch row. */
    struct rf_hier *hm0;
    struct rf_hier_state *hs0;
    double *m0;
    /* The posteriors under independent N(0, 1) priors, [nscope][nq]: the
     * classification objective compares each class's N(mu, tau^2) with that
     * prior, so its evidence is computed from these. post itself without a
     * model; a separate array with one. */
    double *ipost;
    /* With the model: the log-likelihood of the carried answers per scope
     * skill, [nscope][nq] (rf_cat_skill_loglik leaves it out). */
    double *carry_ll;
    /* Ranking objective (d.nobj > 0), else NULL: obj_f[t * nq + q] is the
     * share of node q's cell at or above term t's cut (tail_at's
     * convention), obj_g one skill's terms' post * obj_f rows (scratch);
     * obj_p and obj_c each term's P(theta >= cut) and coefficient. */
    double *obj_f, *obj_g;
    double obj_p[RF_CAT_MAX_OBJ], obj_c[RF_CAT_MAX_OBJ];
    double obj_w2; /* (sum of the objective's weights)^2 */
    /* Workspace of the selection step. */
    double topv[RF_CAT_MAX_TOPK];
    uint32_t topi[RF_CAT_MAX_TOPK];
    struct rf_err err;
};

const char *rf_cat_select_name(enum rf_cat_select s)
{
    switch (s) {
    case RF_CAT_KL: return "kl";
    case RF_CAT_PWI: return "pwi";
    default: return "mfi";
    }
}

rf_status rf_cat_select_parse(const char *s, enum rf_cat_select *out)
{
    if (strcmp(s, "mfi") == 0)
        *out = RF_CAT_MFI;
    else if (strcmp(s, "kl") == 0)
        *out = RF_CAT_KL;
    else if (strcmp(s, "pwi") == 0)
        *out = RF_CAT_PWI;
    else
        return RF_EINVAL;
    return RF_OK;
}

void rf_cat_design_init(struct rf_cat_design *d)
{
    memset(d, 0, sizeof *d);
    d->max_items = RF_CAT_DEFAULT_MAX_ITEMS;
    d->select = RF_CAT_MFI;
    d->randomesque = RF_CAT_DEFAULT_RANDOMESQUE;
    d->exposure = 0;
    d->stop_unreachable = 1;
    d->reach_slack = RF_CAT_REACH_SLACK;
}

static rf_status check_class(const struct rf_cat_class_skill *dist, size_t n, size_t c,
                             struct rf_err *err)
{
    for (size_t j = 0; j < n; j++) {
        double mu = dist[j].mu, tau = dist[j].tau;
        if (!(fabs(mu) <= RF_CAT_CLASS_MAX_MU) ||
            !(tau == 0 || (tau >= RF_CAT_CLASS_MIN_TAU && tau <= RF_CAT_CLASS_MAX_TAU)))
            return rf_err_set(err, RF_EINVAL,
                              "class %zu, scope entry %zu: expected a centre within +-%g and a "
                              "spread of 0 (the population) or %g to %g",
                              c, j, RF_CAT_CLASS_MAX_MU, RF_CAT_CLASS_MIN_TAU,
                              RF_CAT_CLASS_MAX_TAU);
    }
    return RF_OK;
}

rf_status rf_cat_design_add_class(struct rf_cat_design *d, const struct rf_cat_class_skill *dist,
                                  struct rf_err *err)
{
    if (d->nclasses >= RF_CAT_MAX_CLASSES)
        return rf_err_set(err, RF_ETOOBIG, "more than %d classes", RF_CAT_MAX_CLASSES);
    rf_status rc = check_class(dist, d->nscope, d->nclasses, err);
    if (rc)
        return rc;
    memcpy(d->classes[d->nclasses], dist, d->nscope * sizeof *dist);
    for (size_t j = 0; j < d->nscope; j++) /* one form for "like the population" */
        if (d->classes[d->nclasses][j].tau == 0)
            d->classes[d->nclasses][j].mu = 0;
    for (size_t j = d->nscope; j < RF_CAT_MAX_SCOPE; j++)
        d->classes[d->nclasses][j] = (struct rf_cat_class_skill){0, 0};
    d->nclasses++;
    return RF_OK;
}

static rf_status check_rule(struct rf_cat_rule r, const char *skill, struct rf_err *err)
{
    if (!(isfinite(r.se) && r.se > 0))
        return rf_err_set(err, RF_EINVAL, "skill '%s': SE target must be a positive number", skill);
    if (r.min > r.max)
        return rf_err_set(err, RF_EINVAL, "skill '%s': minimum %zu items exceeds maximum %zu",
                          skill, r.min, r.max);
    if (r.max == 0 || r.max > RF_CAT_MAX_ITEMS)
        return rf_err_set(err, RF_EINVAL, "skill '%s': maximum items must be 1 to %d", skill,
                          RF_CAT_MAX_ITEMS);
    return RF_OK;
}

rf_status rf_cat_design_add(struct rf_cat_design *d, const struct rf_cat_pool *p, const char *skill,
                            struct rf_cat_rule r, struct rf_err *err)
{
    size_t s;
    if (rf_cat_pool_skill(p, skill, &s))
        return rf_err_set(err, RF_ENOTFOUND, "unknown skill '%s': no item of the bank has it",
                          skill);
    if (p->nusable[s] == 0)
        return rf_err_set(err, RF_EINVAL,
                          "skill '%s': the bank has no active items with parameters for it", skill);
    for (size_t j = 0; j < d->nscope; j++)
        if (d->scope[j] == s)
            return rf_err_set(err, RF_EINVAL, "skill '%s' is in the scope twice", skill);
    if (d->nscope >= RF_CAT_MAX_SCOPE)
        return rf_err_set(err, RF_ETOOBIG, "scope: more than %d skills", RF_CAT_MAX_SCOPE);
    rf_status rc = check_rule(r, skill, err);
    if (rc)
        return rc;
    d->scope[d->nscope] = s;
    d->rule[d->nscope] = r;
    d->nscope++;
    return RF_OK;
}

void rf_cat_design_set_prior(struct rf_cat_design *d, double lambda, size_t cls, double weight)
{
    for (size_t j = 0; j < RF_CAT_MAX_SCOPE; j++)
        d->lambda[j] = j < d->nscope ? lambda : 0;
    d->prior_class = cls;
    d->prior_weight = weight;
    d->prior_all = 0;
}

int rf_cat_design_has_model(const struct rf_cat_design *d)
{
    int any = d->prior_weight > 0;
    for (size_t j = 0; j < d->nscope; j++)
        any |= d->lambda[j] != 0 || d->pop_tau[j] > 0;
    return any;
}

void rf_cat_design_prior(const struct rf_cat_design *d, struct rf_hier_spec *out)
{
    rf_hier_spec_init(out, d->nscope, 0.0);
    for (size_t j = 0; j < d->nscope; j++) {
        out->lambda[j] = d->lambda[j];
        if (d->pop_tau[j] > 0) { /* the takers of this kind of test, else N(0, 1) */
            out->comp[0].mu[j] = d->pop_mu[j];
            out->comp[0].tau[j] = d->pop_tau[j];
        }
    }
    if (!(d->prior_weight > 0) || (!d->prior_all && d->prior_class >= d->nclasses))
        return;
    out->comp[0].weight = 1.0 - d->prior_weight;
    size_t lo = d->prior_all ? 0 : d->prior_class, hi = d->prior_all ? d->nclasses : lo + 1;
    if (hi - lo + 1 > RF_HIER_MAX_COMPONENTS) /* refused by rf_cat_design_check */
        hi = lo + RF_HIER_MAX_COMPONENTS - 1;
    out->ncomp = 1;
    for (size_t k = lo; k < hi; k++) {
        struct rf_hier_comp *c = &out->comp[out->ncomp++];
        c->weight = d->prior_weight / (double)(hi - lo);
        for (size_t j = 0; j < RF_HIER_MAX_SKILLS; j++) {
            const struct rf_cat_class_skill *cs = &d->classes[k][j];
            c->mu[j] = j < d->nscope && cs->tau > 0 ? cs->mu : 0;
            c->tau[j] = j < d->nscope && cs->tau > 0 ? cs->tau : 1;
        }
    }
}

static int bad_cut(const struct rf_cat_design *d)
{
    for (size_t j = 0; j < d->nscope; j++)
        if (d->decide[j] && !isfinite(d->cut[j]))
            return 1;
    return 0;
}

/* Pretest items: pool items the pool does not use, of scope skills, each
 * once, at increasing positions within the test. */
static rf_status check_pretest(const struct rf_cat_design *d, const struct rf_cat_pool *p,
                               struct rf_err *err)
{
    if (d->npretest > RF_CAT_MAX_PRETEST)
        return rf_err_set(err, RF_ETOOBIG, "more than %d pretest items", RF_CAT_MAX_PRETEST);
    for (size_t j = 0; j < d->npretest; j++) {
        size_t i = d->pretest[j], k;
        if (i >= p->n)
            return rf_err_set(err, RF_EINVAL, "pretest item %zu is not in the bank", i);
        if (p->usable[i])
            return rf_err_set(err, RF_EINVAL,
                              "pretest item '%s' is scored in this pool (promoted or in another "
                              "pool)",
                              p->ids[i]);
        for (k = 0; k < d->nscope && d->scope[k] != p->skill[i]; k++)
            ;
        if (k == d->nscope)
            return rf_err_set(err, RF_EINVAL, "pretest item '%s' (skill '%s') is outside the scope",
                              p->ids[i], p->skills[p->skill[i]]);
        if (p->irt[i].ncat < 2 || p->irt[i].ncat > RF_MAX_CATEGORIES)
            return rf_err_set(err, RF_EINVAL, "pretest item '%s' has no valid model", p->ids[i]);
        for (k = 0; k < j; k++)
            if (d->pretest[k] == d->pretest[j])
                return rf_err_set(err, RF_EINVAL, "pretest item '%s' appears twice", p->ids[i]);
        if (d->pretest_at[j] < 1 || d->pretest_at[j] > d->max_items + d->npretest ||
            (j > 0 && d->pretest_at[j] <= d->pretest_at[j - 1]))
            return rf_err_set(err, RF_EINVAL,
                              "pretest item '%s': position %u is not after the previous one and "
                              "within 1..%zu",
                              p->ids[i], (unsigned)d->pretest_at[j], d->max_items + d->npretest);
    }
    return RF_OK;
}

static rf_status check_prior(const struct rf_cat_design *d, struct rf_err *err)
{
    for (size_t j = 0; j < d->nscope; j++)
        if (!(d->lambda[j] >= 0 && d->lambda[j] <= RF_HIER_MAX_LAMBDA))
            return rf_err_set(err, RF_EINVAL, "scope entry %zu: loading must be 0 to %g", j,
                              RF_HIER_MAX_LAMBDA);
    for (size_t j = 0; j < d->nscope; j++)
        if (!(d->pop_tau[j] == 0
                  ? d->pop_mu[j] == 0
                  : fabs(d->pop_mu[j]) <= RF_HIER_MAX_MU && d->pop_tau[j] >= RF_HIER_MIN_TAU &&
                        d->pop_tau[j] <= RF_HIER_MAX_TAU))
            return rf_err_set(err, RF_EINVAL,
                              "scope entry %zu: population centre within +-%g and spread %g to "
                              "%g (or 0 0: N(0, 1))",
                              j, RF_HIER_MAX_MU, RF_HIER_MIN_TAU, RF_HIER_MAX_TAU);
    if (!(d->prior_weight >= 0 && d->prior_weight < 1))
        return rf_err_set(err, RF_EINVAL, "prior class weight must be at least 0 and below 1");
    if (d->prior_weight > 0 && d->prior_all && d->nclasses == 0)
        return rf_err_set(err, RF_EINVAL, "prior: every class mixed in, but the design has none");
    if (d->prior_weight > 0 && d->prior_all && d->nclasses + 1 > RF_HIER_MAX_COMPONENTS)
        return rf_err_set(err, RF_ETOOBIG, "prior: %zu classes mixed in, at most %d",
                          d->nclasses, RF_HIER_MAX_COMPONENTS - 1);
    if (d->prior_weight > 0 && !d->prior_all && d->prior_class >= d->nclasses)
        return rf_err_set(err, RF_EINVAL, "prior class %zu: the design has %zu classes",
                          d->prior_class, d->nclasses);
    return RF_OK;
}

static rf_status check_objective(const struct rf_cat_design *d, struct rf_err *err)
{
    if (d->nobj == 0)
        return d->nobjreq ? rf_err_set(err, RF_EINVAL, "ranking objective: no terms") : RF_OK;
    if (d->nobj > RF_CAT_MAX_OBJ || d->nobjreq > RF_CAT_MAX_OBJ)
        return rf_err_set(err, RF_ETOOBIG, "ranking objective: more than %d terms", RF_CAT_MAX_OBJ);
    if (d->nreqs || d->nclasses)
        return rf_err_set(err, RF_EINVAL, "ranking objective: not with a confirm stage or classes");
    if (!(d->obj_stop >= 0 && isfinite(d->obj_stop)))
        return rf_err_set(err, RF_EINVAL, "ranking objective: the stop must be a number >= 0");
    for (size_t r = 0; r < d->nobjreq; r++)
        if (!(d->obj_w[r] > 0 && isfinite(d->obj_w[r])))
            return rf_err_set(err, RF_EINVAL, "ranking objective: requirement %zu: bad weight", r);
    for (size_t t = 0; t < d->nobj; t++)
        if (d->obj_req[t] >= d->nobjreq || d->obj_skill[t] >= d->nscope || !isfinite(d->obj_cut[t]))
            return rf_err_set(err, RF_EINVAL,
                              "ranking objective: term %zu: expected a requirement below %zu, "
                              "a scope entry below %zu and a finite cut",
                              t, d->nobjreq, d->nscope);
    return RF_OK;
}

rf_status rf_cat_design_check(const struct rf_cat_design *d, const struct rf_cat_pool *p,
                              struct rf_err *err)
{
    if (d->nscope == 0)
        return rf_err_set(err, RF_EINVAL, "empty scope: no skill to test");
    if (d->nscope > RF_CAT_MAX_SCOPE)
        return rf_err_set(err, RF_ETOOBIG, "scope: more than %d skills", RF_CAT_MAX_SCOPE);
    if (d->max_items == 0 || d->max_items > RF_CAT_MAX_ITEMS)
        return rf_err_set(err, RF_EINVAL, "maximum items must be 1 to %d", RF_CAT_MAX_ITEMS);
    if (d->randomesque == 0 || d->randomesque > RF_CAT_MAX_TOPK)
        return rf_err_set(err, RF_EINVAL, "randomesque width must be 1 to %d", RF_CAT_MAX_TOPK);
    if (d->select != RF_CAT_MFI && d->select != RF_CAT_KL && d->select != RF_CAT_PWI)
        return rf_err_set(err, RF_EINVAL, "unknown selection rule");
    for (size_t j = 0; j < d->nscope; j++) {
        if (d->scope[j] >= p->nskills)
            return rf_err_set(err, RF_EINVAL, "scope entry %zu: no such skill in the bank", j);
        const char *name = p->skills[d->scope[j]];
        if (p->nusable[d->scope[j]] == 0)
            return rf_err_set(err, RF_EINVAL,
                              "skill '%s': the bank has no active items with parameters for it",
                              name);
        for (size_t k = 0; k < j; k++)
            if (d->scope[k] == d->scope[j])
                return rf_err_set(err, RF_EINVAL, "skill '%s' is in the scope twice", name);
        rf_status rc = check_rule(d->rule[j], name, err);
        if (rc)
            return rc;
    }
    if (d->nclasses > RF_CAT_MAX_CLASSES)
        return rf_err_set(err, RF_ETOOBIG, "more than %d classes", RF_CAT_MAX_CLASSES);
    for (size_t c = 0; c < d->nclasses; c++) {
        rf_status rc = check_class(d->classes[c], d->nscope, c, err);
        if (rc)
            return rc;
    }
    if (bad_cut(d))
        return rf_err_set(err, RF_EINVAL, "a requirement's cut must be a finite number");
    if (!(d->decide_p == 0 || (d->decide_p > 0.5 && d->decide_p < 1)))
        return rf_err_set(err, RF_EINVAL, "decision threshold must be above 0.5 and below 1");
    if (d->decide_after > d->max_items)
        return rf_err_set(err, RF_EINVAL, "decisions start after %zu items, above the maximum %zu",
                          d->decide_after, d->max_items);
    if (d->nscope > RF_HIER_MAX_SKILLS)
        return rf_err_set(err, RF_ETOOBIG, "scope: more than %d skills", RF_HIER_MAX_SKILLS);
    if (d->nreqs > RF_CAT_MAX_REQS)
        return rf_err_set(err, RF_ETOOBIG, "more than %d requirements to confirm", RF_CAT_MAX_REQS);
    for (size_t r = 0; r < d->nreqs; r++)
        if (d->req_skill[r] >= d->nscope || !isfinite(d->req_cut[r]))
            return rf_err_set(err, RF_EINVAL,
                              "requirement %zu to confirm: expected a scope entry below %zu and "
                              "a finite cut",
                              r, d->nscope);
    rf_status rc = check_objective(d, err);
    if (rc)
        return rc;
    rc = check_pretest(d, p, err);
    return rc ? rc : check_prior(d, err);
}

void rf_cat_session_free(struct rf_cat_session *s)
{
    if (!s)
        return;
    if (s->ipost != s->post)
        free(s->ipost);
    free(s->post);
    free(s->carry_ll);
    free(s->obj_f);
    free(s->obj_g);
    free(s->row_skill);
    free(s->cls_row);
    free(s->row_g);
    free(s->row_e);
    free(s->row_w);
    free(s->cls_r);
    free(s->cls_t);
    free(s->ent_gen);
    free(s->ent_off);
    free(s->ent_pr);
    free(s->ent_rr);
    free(s->ent_ne);
    free(s->slot);
    free(s->mark);
    free(s->admin);
    free(s->admin_k);
    free(s->blocked);
    free(s->events);
    rf_hier_state_free(s->hs);
    rf_hier_free(s->hm);
    rf_hier_state_free(s->hs0);
    rf_hier_free(s->hm0);
    free(s->m0);
    free(s);
}

/* The evidence rows of the classification objective over the pool's grid:
 * g = N(x; mu, tau^2) / phi(x) scaled so that sum_q w_q g_q = 1 (w: the prior
 * weights), computed in logs so that no tail underflows the sum. */
static rf_status classes_init(struct rf_cat_session *s)
{
    size_t nq = s->nq, ns = s->d.nscope, nc = s->d.nclasses;
    const double *x = s->p->q.x, *w = s->p->q.w;
    /* Count the distinct (skill, mu, tau) rows first: a few per skill. */
    size_t nrows = 0;
    for (size_t c = 0; c < nc; c++)
        for (size_t j = 0; j < ns; j++) {
            const struct rf_cat_class_skill *cs = &s->d.classes[c][j];
            int seen = cs->tau == 0;
            for (size_t c2 = 0; c2 < c && !seen; c2++)
                seen = s->d.classes[c2][j].mu == cs->mu && s->d.classes[c2][j].tau == cs->tau;
            nrows += !seen;
        }
    size_t nr = nrows ? nrows : 1;
    s->row_skill = rf_alloc_array(nr, sizeof *s->row_skill);
    s->cls_row = rf_alloc_array(nc * ns, sizeof *s->cls_row);
    s->row_g = rf_alloc_array(nr * nq, sizeof *s->row_g);
    s->row_e = rf_alloc_array(nr, sizeof *s->row_e);
    s->row_w = rf_alloc_array(nq, sizeof *s->row_w);
    s->cls_r = rf_alloc_array(nc, sizeof *s->cls_r);
    s->cls_t = rf_alloc_array(nc, sizeof *s->cls_t);
    if (!s->row_skill || !s->cls_row || !s->row_g || !s->row_e || !s->row_w || !s->cls_r ||
        !s->cls_t)
        return RF_ENOMEM;
    s->nrows = 0;
    for (size_t c = 0; c < nc; c++)
        for (size_t j = 0; j < ns; j++) {
            const struct rf_cat_class_skill *cs = &s->d.classes[c][j];
            size_t r = NONE;
            if (cs->tau == 0) {
                s->cls_row[c * ns + j] = NONE;
                continue;
            }
            for (size_t c2 = 0; c2 < c && r == NONE; c2++) {
                const struct rf_cat_class_skill *o = &s->d.classes[c2][j];
                if (o->mu == cs->mu && o->tau == cs->tau)
                    r = s->cls_row[c2 * ns + j];
            }
            if (r == NONE) {
                r = s->nrows++;
                s->row_skill[r] = j;
                double *g = s->row_g + r * nq, m = -INFINITY, z = 0;
                for (size_t q = 0; q < nq; q++) {
                    double u = (x[q] - cs->mu) / cs->tau;
                    g[q] = -0.5 * u * u + 0.5 * x[q] * x[q];
                    if (w[q] > 0 && g[q] > m)
                        m = g[q];
                }
                for (size_t q = 0; q < nq; q++)
                    z += w[q] * exp(g[q] - m);
                for (size_t q = 0; q < nq; q++)
                    g[q] = exp(g[q] - m) / z;
            }
            s->cls_row[c * ns + j] = r;
        }
    /* The expected entropies' per-item part (see the struct). */
    const struct rf_cat_pool *p = s->p;
    s->rmax = 1;
    for (size_t j = 0; j < ns; j++) {
        size_t m = 0;
        for (size_t r = 0; r < s->nrows; r++)
            m += s->row_skill[r] == j;
        if (m > s->rmax)
            s->rmax = m;
    }
    size_t n = p->n ? p->n : 1, ncat = 0;
    s->ent_gen = calloc(n, sizeof *s->ent_gen);
    s->ent_off = rf_alloc_array(n, sizeof *s->ent_off);
    if (!s->ent_gen || !s->ent_off)
        return RF_ENOMEM;
    for (size_t i = 0; i < p->n; i++) {
        s->ent_off[i] = ncat;
        ncat += p->irt[i].ncat;
    }
    ncat = ncat ? ncat : 1;
    s->ent_pr = rf_alloc_array(ncat, sizeof *s->ent_pr);
    s->ent_rr = rf_alloc_array(ncat * (s->rmax + 1), sizeof *s->ent_rr);
    s->ent_ne = rf_alloc_array(ncat * (s->rmax + 1), sizeof *s->ent_ne);
    if (!s->ent_pr || !s->ent_rr || !s->ent_ne)
        return RF_ENOMEM;
    return RF_OK;
}

rf_status rf_cat_session_new(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                             uint64_t seed, struct rf_cat_session **out, struct rf_err *err)
{
    rf_status rc = rf_cat_design_check(d, p, err);
    if (rc)
        return rc;
    struct rf_cat_session *s = calloc(1, sizeof *s);
    if (!s)
        return rf_err_set(err, RF_ENOMEM, "session: out of memory");
    s->p = p;
    s->d = *d;
    s->nq = p->q.n;
    s->post = rf_alloc_array(d->nscope * s->nq, sizeof *s->post);
    s->slot = rf_alloc_array(p->nskills ? p->nskills : 1, sizeof *s->slot);
    s->mark = rf_alloc_array(p->n ? p->n : 1, 1);
    s->admin = rf_alloc_array(d->max_items, sizeof *s->admin);
    s->admin_k = rf_alloc_array(d->max_items, 1);
    s->blocked = rf_alloc_array(p->n ? p->n : 1, sizeof *s->blocked);
    s->events = rf_alloc_array(d->max_items + p->n, sizeof *s->events);
    if (!s->post || !s->slot || !s->mark || !s->admin || !s->admin_k || !s->blocked || !s->events) {
        rf_cat_session_free(s);
        return rf_err_set(err, RF_ENOMEM, "session: out of memory");
    }
    for (size_t k = 0; k < p->nskills; k++)
        s->slot[k] = NONE;
    for (size_t j = 0; j < d->nscope; j++)
        s->slot[d->scope[j]] = j;
    if (d->nclasses && classes_init(s)) {
        rf_cat_session_free(s);
        return rf_err_set(err, RF_ENOMEM, "session: out of memory");
    }
    if (d->nobj) {
        if (!(s->obj_f = rf_alloc_array(d->nobj * s->nq, sizeof *s->obj_f)) ||
            !(s->obj_g = rf_alloc_array(d->nobj * s->nq, sizeof *s->obj_g))) {
            rf_cat_session_free(s);
            return rf_err_set(err, RF_ENOMEM, "session: out of memory");
        }
        const double *x = p->q.x;
        double h = x[1] - x[0], sw = 0;
        for (size_t r = 0; r < d->nobjreq; r++)
            sw += d->obj_w[r];
        s->obj_w2 = sw * sw;
        for (size_t t = 0; t < d->nobj; t++)
            for (size_t q = 0; q < s->nq; q++) {
                double f = (x[q] + 0.5 * h - d->obj_cut[t]) / h;
                s->obj_f[t * s->nq + q] = f >= 1 ? 1 : f > 0 ? f : 0;
            }
    }
    s->ipost = s->post;
    if (rf_cat_design_has_model(d)) {
        struct rf_hier_spec sp;
        rf_cat_design_prior(d, &sp);
        if (!(s->ipost = rf_alloc_array(d->nscope * s->nq, sizeof *s->ipost)) ||
            !(s->carry_ll = rf_alloc_array(d->nscope * s->nq, sizeof *s->carry_ll))) {
            rf_cat_session_free(s);
            return rf_err_set(err, RF_ENOMEM, "session: out of memory");
        }
        if ((rc = rf_hier_new(&sp, &p->q, &s->hm, err)) ||
            (rc = rf_hier_state_new(s->hm, &s->hs, err))) {
            rf_cat_session_free(s);
            return rc;
        }
        int loaded = 0, decides = d->nreqs > 0;
        for (size_t j = 0; j < d->nscope; j++) {
            loaded |= sp.lambda[j] > 0;
            decides |= d->decide[j] != 0;
            sp.lambda[j] = 0;
        }
        if (d->loadings_assumed && loaded && decides &&
            (!(s->m0 = rf_alloc_array(s->nq, sizeof *s->m0)) ||
             (rc = rf_hier_new(&sp, &p->q, &s->hm0, err)) ||
             (rc = rf_hier_state_new(s->hm0, &s->hs0, err)))) {
            rf_cat_session_free(s);
            return rc ? rc : rf_err_set(err, RF_ENOMEM, "session: out of memory");
        }
    }
    rf_cat_session_reset(s, seed);
    *out = s;
    return RF_OK;
}

/* Mean and SD of a normalized posterior on the grid. */
static void moments(const double *x, const double *post, size_t nq, double *mean, double *sd)
{
    double m1 = 0, m2 = 0;
    for (size_t q = 0; q < nq; q++) {
        m1 += post[q] * x[q];
        m2 += post[q] * x[q] * x[q];
    }
    double v = m2 - m1 * m1;
    *mean = m1;
    *sd = v > 0 ? sqrt(v) : 0.0;
}

/* Every skill's marginal and moments from the model's state. */
static void refresh_marginals(struct rf_cat_session *s)
{
    for (size_t o = 0; o < s->d.nscope; o++) {
        rf_hier_marginal(s->hs, o, s->post + o * s->nq, NULL, NULL);
        moments(s->p->q.x, s->post + o * s->nq, s->nq, &s->theta[o], &s->sd[o]);
    }
}

/* Sum of information at theta of the r best items still available in scope
 * skill j (r <= RF_CAT_MAX_TOPK); uses the selection scan. */
static size_t top_mfi(struct rf_cat_session *s, size_t j, double theta, size_t k);

/* Whether skill j cannot reach its SE target within the items it has left:
 * even the r most informative available items at the current EAP would
 * leave the predicted precision 1/sd^2 + sum I below 1/se^2. */
static int unreachable(struct rf_cat_session *s, size_t j)
{
    const struct rf_cat_rule *r = &s->d.rule[j];
    size_t left = r->max - s->count[j];
    size_t overall = s->d.max_items - s->nadmin;
    if (overall < left)
        left = overall;
    if (left > s->avail[j])
        left = s->avail[j];
    double need = 1.0 / (r->se * r->se), have = 1.0 / (s->sd[j] * s->sd[j]);
    if (have >= need)
        return 0;
    if (have + s->d.reach_slack * (double)left * s->p->imax[s->d.scope[j]] < need)
        return 1;
    if (left > RF_CAT_MAX_TOPK)
        return 0;
    size_t m = top_mfi(s, j, s->theta[j], left);
    double sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += s->topv[i];
    return have + s->d.reach_slack * sum < need;
}

/* P(theta_j >= cut) from the posterior on the grid, each node's mass
 * spread over its cell (the convention of careers' rf_profile_tail). */
static double tail_at(const struct rf_cat_session *s, size_t j, double cut)
{
    const double *x = s->p->q.x, *post = s->post + j * s->nq;
    double h = x[1] - x[0], t = 0;
    for (size_t q = 0; q < s->nq; q++) {
        double f = (x[q] + 0.5 * h - cut) / h;
        t += f >= 1 ? post[q] : f > 0 ? f * post[q] : 0;
    }
    return t;
}

static double decide_p(const struct rf_cat_session *s)
{
    return s->d.decide_p > 0 ? s->d.decide_p : RF_CAT_DECIDED_P;
}

/* P(theta_j >= cut) read with every loading 0 (hs0), as tail_at reads the
 * posterior; tail_at's when there is no such reading. */
static double tail0_at(const struct rf_cat_session *s, size_t j, double cut)
{
    if (!s->hs0)
        return tail_at(s, j, cut);
    const double *x = s->p->q.x;
    double h = x[1] - x[0], t = 0;
    rf_hier_marginal(s->hs0, j, s->m0, NULL, NULL);
    for (size_t q = 0; q < s->nq; q++) {
        double f = (x[q] + 0.5 * h - cut) / h;
        t += f >= 1 ? s->m0[q] : f > 0 ? f * s->m0[q] : 0;
    }
    return t;
}

/* Whether requirement (j, cut) is decided: P(theta_j >= cut) is at least
 * decide_p or at most 1 - decide_p under the test's prior and, when its
 * loadings are assumed, with them at 0 too (the report's call needs both
 * readings, careers/fit.h; so the test goes on asking until the call it
 * will make is as sure as decide_p under the less sure reading). Sets *t to
 * the test's P. */
static int req_decided(const struct rf_cat_session *s, size_t j, double cut, double *t)
{
    double dp = decide_p(s), p = tail_at(s, j, cut);
    *t = p;
    if (p < dp && p > 1 - dp)
        return 0;
    double p0 = tail0_at(s, j, cut);
    return p >= dp ? p0 >= dp : p0 <= 1 - dp;
}

static int decided(const struct rf_cat_session *s, size_t j)
{
    if (!s->d.decide[j] || s->count[j] < s->d.rule[j].min || s->nadmin < s->d.decide_after)
        return 0;
    double t;
    return req_decided(s, j, s->d.cut[j], &t);
}

/* Confirm stage: |P(meets) - 0.5| of requirement r when it is undecided,
 * else a negative number. */
static double req_open(const struct rf_cat_session *s, size_t r)
{
    double t;
    return req_decided(s, s->d.req_skill[r], s->d.req_cut[r], &t) ? -1 : fabs(t - 0.5);
}

/* Confirm stage: the state of scope skill j (see session.h). */
static enum rf_cat_skill_state confirm_state(const struct rf_cat_session *s, size_t j)
{
    int any = 0, open = 0;
    for (size_t r = 0; r < s->d.nreqs; r++)
        if (s->d.req_skill[r] == j) {
            any = 1;
            open |= req_open(s, r) >= 0;
        }
    if (!any || s->count[j] >= s->d.rule[j].max)
        return RF_CAT_SKILL_MAX;
    if (s->avail[j] == 0)
        return RF_CAT_SKILL_EXHAUSTED;
    return open ? RF_CAT_SKILL_OPEN : RF_CAT_SKILL_DECIDED;
}

/* Confirm stage: the undecided requirement of an open skill nearest a
 * decision, its P(meets) farthest from 0.5 (the first in design order on
 * ties), or NONE. Settling first the calls one or two answers can settle,
 * and a requirement on its cut last, settles the most calls within the
 * caps (shortest job first; docs/cat.md "The confirm stage"). */
static size_t confirm_req(const struct rf_cat_session *s)
{
    size_t best = NONE;
    double best_v = 0;
    for (size_t r = 0; r < s->d.nreqs; r++) {
        if (s->state[s->d.req_skill[r]] != RF_CAT_SKILL_OPEN)
            continue;
        double v = req_open(s, r);
        if (v >= 0 && (best == NONE || v > best_v)) {
            best = r;
            best_v = v;
        }
    }
    return best;
}

/* Re-evaluates the state of scope skill j after a change. */
static void update_skill(struct rf_cat_session *s, size_t j)
{
    if (s->d.nobj) {
        s->state[j] = s->count[j] >= s->d.rule[j].max ? RF_CAT_SKILL_MAX
                      : s->avail[j] == 0              ? RF_CAT_SKILL_EXHAUSTED
                                                      : RF_CAT_SKILL_OPEN;
        return;
    }
    if (s->d.nreqs) {
        s->state[j] = confirm_state(s, j);
        return;
    }
    /* A decided requirement opens again when later evidence undecides it
     * (while it may still take items). */
    if (s->state[j] == RF_CAT_SKILL_DECIDED && !decided(s, j) && s->count[j] < s->d.rule[j].max &&
        s->avail[j] > 0)
        s->state[j] = RF_CAT_SKILL_OPEN;
    if (s->state[j] != RF_CAT_SKILL_OPEN)
        return;
    const struct rf_cat_rule *r = &s->d.rule[j];
    if (s->sd[j] <= r->se && s->count[j] >= r->min)
        s->state[j] = RF_CAT_SKILL_TARGET;
    else if (decided(s, j))
        s->state[j] = RF_CAT_SKILL_DECIDED;
    else if (s->count[j] >= r->max)
        s->state[j] = RF_CAT_SKILL_MAX;
    else if (s->avail[j] == 0)
        s->state[j] = RF_CAT_SKILL_EXHAUSTED;
    else if (s->early[j] && s->count[j] >= r->min && unreachable(s, j))
        s->state[j] = RF_CAT_SKILL_UNREACHABLE;
}

/* Sets stop when the session is finished. */
static void update_stop(struct rf_cat_session *s)
{
    if (s->stop != RF_CAT_RUNNING)
        return;
    int open = 0, exhausted = 0;
    for (size_t j = 0; j < s->d.nscope; j++) {
        open |= s->state[j] == RF_CAT_SKILL_OPEN;
        exhausted |= s->state[j] == RF_CAT_SKILL_EXHAUSTED;
    }
    if (s->nadmin >= s->d.max_items)
        s->stop = RF_CAT_STOP_MAX_ITEMS;
    else if (!open)
        s->stop = exhausted ? RF_CAT_STOP_EXHAUSTED : RF_CAT_STOP_TARGET;
}

void rf_cat_session_reset(struct rf_cat_session *s, uint64_t seed)
{
    const struct rf_cat_pool *p = s->p;
    rf_rng_seed(&s->rng, seed);
    memset(s->mark, 0, p->n);
    double m, sd;
    moments(p->q.x, p->q.w, s->nq, &m, &sd);
    if (s->hs)
        rf_hier_state_reset(s->hs);
    if (s->hs0)
        rf_hier_state_reset(s->hs0);
    if (s->carry_ll)
        memset(s->carry_ll, 0, s->d.nscope * s->nq * sizeof *s->carry_ll);
    for (size_t j = 0; j < s->d.nscope; j++) {
        memcpy(s->post + j * s->nq, p->q.w, s->nq * sizeof(double));
        if (s->ipost != s->post)
            memcpy(s->ipost + j * s->nq, p->q.w, s->nq * sizeof(double));
        s->theta[j] = m;
        s->sd[j] = sd;
        if (s->hs) { /* a mixture's prior marginal is not N(0, 1) */
            rf_hier_marginal(s->hs, j, s->post + j * s->nq, NULL, NULL);
            moments(p->q.x, s->post + j * s->nq, s->nq, &s->theta[j], &s->sd[j]);
        }
        s->count[j] = 0;
        s->rlbf[j] = 0;
        s->avail[j] = p->nusable[s->d.scope[j]];
        s->state[j] = RF_CAT_SKILL_OPEN;
    }
    s->gen++; /* every posterior is the prior again: no kept entropy part holds */
    for (size_t j = 0; j < s->d.nscope; j++)
        s->skill_gen[j] = s->gen;
    s->nadmin = s->nblocked = s->nevents = 0;
    s->pending = NONE;
    s->pending_pre = 0;
    s->npre = 0;
    s->stop = RF_CAT_RUNNING;
    rf_err_clear(&s->err);
    /* The out-of-reach stop is for examinees the cap would stop anyway; when
     * the target is out of reach before the first item, it is the design
     * (too few or too weak items), and the skill takes what it may instead. */
    for (size_t j = 0; j < s->d.nscope; j++)
        s->early[j] = s->d.stop_unreachable && !unreachable(s, j);
    for (size_t j = 0; j < s->d.nscope; j++)
        update_skill(s, j);
    update_stop(s);
}

/* Whether (v1, i1) ranks before (v2, i2): larger value, then smaller index. */
static inline int better(double v1, uint32_t i1, double v2, uint32_t i2)
{
    return v1 > v2 || (v1 == v2 && i1 < i2);
}

/* Inserts (v, i) into the sorted top list of length *m, capacity k. */
static inline void top_insert(struct rf_cat_session *s, size_t *m, size_t k, double v, uint32_t i)
{
    size_t pos = *m;
    if (pos == k) {
        if (!better(v, i, s->topv[k - 1], s->topi[k - 1]))
            return;
        pos = k - 1;
    } else {
        (*m)++;
    }
    while (pos > 0 && better(v, i, s->topv[pos - 1], s->topi[pos - 1])) {
        s->topv[pos] = s->topv[pos - 1];
        s->topi[pos] = s->topi[pos - 1];
        pos--;
    }
    s->topv[pos] = v;
    s->topi[pos] = i;
}

/* Exact top-k by information at theta among the available items of scope
 * skill j, scanning the candidate list of theta's bin until no remaining
 * bound can enter the top k (falls back to a full scan when the list ends
 * first). Results in topv/topi; returns how many were found. */
static size_t top_mfi(struct rf_cat_session *s, size_t j, double theta, size_t k)
{
    const struct rf_cat_pool *p = s->p;
    size_t sk = s->d.scope[j], nc = p->ncand[sk];
    double t = (theta - p->bin_lo) / p->bin_w;
    size_t b = t <= 0 ? 0 : (size_t)t;
    if (b >= p->nbins)
        b = p->nbins - 1;
    const uint32_t *list = p->cand + p->cand_off[sk] + b * nc;
    const double *ub = p->cand_ub + p->cand_off[sk] + b * nc;
    size_t m = 0;
    for (size_t c = 0; c < nc; c++) {
        if (m == k && ub[c] < s->topv[k - 1])
            return m;
        uint32_t i = list[c];
        if (s->mark[i])
            continue;
        top_insert(s, &m, k, rf_cat_info(&p->irt[i], theta), i);
    }
    if (nc == p->nusable[sk] || (m == k && nc > 0 && s->topv[k - 1] > ub[nc - 1]))
        return m;
    m = 0;
    const uint32_t *its = p->skill_items + p->skill_off[sk];
    for (size_t c = 0; c < p->nusable[sk]; c++) {
        uint32_t i = its[c];
        if (!s->mark[i])
            top_insert(s, &m, k, rf_cat_info(&p->irt[i], theta), i);
    }
    return m;
}

/* The nodes [*lo, *hi) of a skill's posterior post (nq nodes) that lie
 * between its first and last node at or above TINY: the weighted criteria
 * skip the tails where the posterior is negligible. */
static void live_nodes(const double *post, size_t nq, size_t *lo, size_t *hi)
{
    size_t a = 0, b = nq;
    while (a < b && post[a] < TINY)
        a++;
    while (b > a && post[b - 1] < TINY)
        b--;
    *lo = a;
    *hi = b;
}

/* Top-k by a posterior-weighted criterion over all available items of scope
 * skill j: KL (Chang & Ying 1996), sum_q post_q KL(P(theta^) || P(x_q)), or
 * PWI (van der Linden 1998), sum_q post_q I(x_q). Nodes where the posterior
 * is below TINY are skipped. */
static size_t top_weighted(struct rf_cat_session *s, size_t j, size_t k)
{
    const struct rf_cat_pool *p = s->p;
    size_t sk = s->d.scope[j], nq = s->nq;
    const double *post = s->post + j * nq;
    size_t lo, hi;
    live_nodes(post, nq, &lo, &hi);
    const uint32_t *its = p->skill_items + p->skill_off[sk];
    size_t m = 0;
    for (size_t c = 0; c < p->nusable[sk]; c++) {
        uint32_t i = its[c];
        if (s->mark[i])
            continue;
        double v = 0;
        if (s->d.select == RF_CAT_PWI) {
            const double *inf = p->itab + (size_t)i * nq;
            for (size_t q = lo; q < hi; q++)
                v += post[q] * inf[q];
        } else {
            const struct rf_irt_item *it = &p->irt[i];
            double pr[RF_MAX_CATEGORIES];
            rf_irt_probs(it, s->theta[j], pr);
            for (size_t cat = 0; cat < it->ncat; cat++) {
                if (pr[cat] <= 0)
                    continue;
                const double *lp = p->lptab + p->poff[i] + cat * nq;
                double e = 0;
                for (size_t q = lo; q < hi; q++)
                    e += post[q] * lp[q];
                v += pr[cat] * (log(pr[cat]) - e);
            }
        }
        top_insert(s, &m, k, v, i);
    }
    return m;
}

/* Ranking objective: each term's P(theta >= cut) now and its coefficient,
 * how far the score's expectation moves per unit of that P (the
 * requirement's weight times the other alternatives' misses). */
static void obj_coefs(struct rf_cat_session *s)
{
    const struct rf_cat_design *d = &s->d;
    for (size_t t = 0; t < d->nobj; t++)
        s->obj_p[t] = tail_at(s, d->obj_skill[t], d->obj_cut[t]);
    for (size_t t = 0; t < d->nobj; t++) {
        double c = d->obj_w[d->obj_req[t]];
        for (size_t u = 0; u < d->nobj; u++)
            if (u != t && d->obj_req[u] == d->obj_req[t])
                c *= 1 - s->obj_p[u];
        s->obj_c[t] = c;
    }
}

/* Ranking objective: top-k items of the open skills (those below their
 * minimum, when there are any) by sum_x P(x) (E[score | x] - E[score])^2. */
static size_t top_objective(struct rf_cat_session *s, size_t k, int *below_min)
{
    const struct rf_cat_pool *p = s->p;
    const struct rf_cat_design *d = &s->d;
    size_t nq = s->nq, m = 0;
    obj_coefs(s);
    int below = 0;
    for (size_t j = 0; j < d->nscope; j++)
        below |= s->state[j] == RF_CAT_SKILL_OPEN && s->count[j] < d->rule[j].min;
    *below_min = below;
    for (size_t j = 0; j < d->nscope; j++) {
        if (s->state[j] != RF_CAT_SKILL_OPEN || (below && s->count[j] >= d->rule[j].min))
            continue;
        const double *post = s->post + j * nq;
        size_t lo, hi;
        live_nodes(post, nq, &lo, &hi);
        size_t tt[RF_CAT_MAX_OBJ], nt = 0;
        for (size_t t = 0; t < d->nobj; t++)
            if (d->obj_skill[t] == j && s->obj_c[t] > 0) {
                double *g = s->obj_g + nt * nq;
                const double *f = s->obj_f + t * nq;
                for (size_t q = lo; q < hi; q++)
                    g[q] = post[q] * f[q];
                tt[nt++] = t;
            }
        size_t sk = d->scope[j];
        const uint32_t *its = p->skill_items + p->skill_off[sk];
        for (size_t c = 0; c < p->nusable[sk]; c++) {
            uint32_t i = its[c];
            if (s->mark[i])
                continue;
            double v = 0;
            for (size_t cat = 0; cat < p->irt[i].ncat; cat++) {
                const double *pt = p->ptab + p->poff[i] + cat * nq;
                double px = 0;
                for (size_t q = lo; q < hi; q++)
                    px += post[q] * pt[q];
                if (!(px > 0))
                    continue;
                double e = 0;
                for (size_t u = 0; u < nt; u++) {
                    const double *g = s->obj_g + u * nq;
                    double a = 0;
                    for (size_t q = lo; q < hi; q++)
                        a += g[q] * pt[q];
                    e += s->obj_c[tt[u]] * (a / px - s->obj_p[tt[u]]);
                }
                v += px * e * e;
            }
            top_insert(s, &m, k, v, i);
        }
    }
    return m;
}

/* The scope skill that most needs an item, or NONE: open skills below their
 * minimum first, then the largest SD relative to the target, then scope order.
 * With cls != NONE, only the skills class cls describes (tau > 0). */
static size_t choose_skill_of(const struct rf_cat_session *s, size_t cls)
{
    size_t best = NONE;
    int best_below = 0;
    double best_v = 0;
    for (size_t j = 0; j < s->d.nscope; j++) {
        if (s->state[j] != RF_CAT_SKILL_OPEN ||
            (cls != NONE && s->cls_row[cls * s->d.nscope + j] == NONE))
            continue;
        int below = s->count[j] < s->d.rule[j].min;
        double v = s->sd[j] / s->d.rule[j].se;
        if (best == NONE || below > best_below || (below == best_below && v > best_v)) {
            best = j;
            best_below = below;
            best_v = v;
        }
    }
    return best;
}

static size_t choose_skill(const struct rf_cat_session *s)
{
    return choose_skill_of(s, NONE);
}

/* Entropy (nats) of the class posterior given log evidences t[0..n-1]. */
static double class_entropy(const double *t, size_t n, double *lse)
{
    double m = -INFINITY;
    for (size_t c = 0; c < n; c++)
        if (t[c] > m)
            m = t[c];
    if (!(m > -INFINITY)) { /* no class has support: nothing to tell apart */
        *lse = -INFINITY;
        return 0;
    }
    double z = 0, h = 0;
    for (size_t c = 0; c < n; c++) {
        double e = exp(t[c] - m);
        if (e == 0) /* a class without support: no mass, no entropy (not 0 * -inf) */
            continue;
        z += e;
        h += e * (t[c] - m);
    }
    /* cppcheck-suppress invalidFunctionArg ; z >= 1: the largest term adds exp(0) */
    double lz = log(z);
    *lse = m + lz;
    return lz - h / z;
}

/* log sum_q post[q] g[q] (log 0 = -inf when post and g do not overlap). */
static double log_evidence(const double *post, const double *g, size_t nq)
{
    double v = 0;
    for (size_t q = 0; q < nq; q++)
        v += post[q] * g[q];
    /* cppcheck-suppress invalidFunctionArg ; log(0) = -inf is the intended answer here */
    return log(v);
}

/* What the expected entropies of every candidate of scope skill j share in
 * one step (the class totals cls_r and row evidences row_e are this
 * step's): skill j's distinct class rows (row[], their evidence e^{row_e}
 * in ev[]), each class's row (of[c], an index into row[], or NONE) and its
 * log evidence without skill j's row, la[c], with ea[c] = e^{la[c] - shift},
 * shift the largest la (ea all 0 when no class has support). */
struct skill_ctx {
    size_t nrows, row[RF_CAT_MAX_CLASSES], of[RF_CAT_MAX_CLASSES];
    double ev[RF_CAT_MAX_CLASSES], la[RF_CAT_MAX_CLASSES], ea[RF_CAT_MAX_CLASSES], shift;
    double las[RF_CAT_MAX_CLASSES]; /* la[c] - shift */
    size_t ofx[RF_CAT_MAX_CLASSES]; /* of[c], nrows for NONE */
};

static void skill_ctx_init(const struct rf_cat_session *s, size_t j, struct skill_ctx *x)
{
    size_t ns = s->d.nscope, nc = s->d.nclasses;
    double mx = -INFINITY;
    x->nrows = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t r = s->cls_row[c * ns + j], i = 0;
        if (r == NONE) {
            x->of[c] = NONE;
            x->la[c] = s->cls_r[c];
        } else {
            while (i < x->nrows && x->row[i] != r)
                i++;
            if (i == x->nrows) {
                x->row[x->nrows] = r;
                x->ev[x->nrows++] = exp(s->row_e[r]);
            }
            x->of[c] = i;
            x->la[c] = s->cls_r[c] - s->row_e[r];
        }
        if (x->la[c] > mx)
            mx = x->la[c];
    }
    x->shift = mx > -INFINITY ? mx : 0;
    for (size_t c = 0; c < nc; c++) {
        x->ea[c] = mx > -INFINITY ? exp(x->la[c] - mx) : 0;
        x->las[c] = x->la[c] - x->shift;
        x->ofx[c] = x->of[c] == NONE ? x->nrows : x->of[c];
    }
}

/* Expected entropy of the class posterior after an answer to item (of
 * scope skill j, whose shared quantities x holds), given the class totals
 * cls_r and their log sum cls_lz. Answer k is weighted by its probability
 * under the current class mixture, P(k) = sum_c pi_c P_c(k) = pr_k sum_c
 * e^{t_c} / sum_c e^{r_c}, where pr_k is its probability under the
 * population posterior and t_c the class's evidence after k: t_c = la_c +
 * log(v_rk / pr_k), v_rk = sum_q post_q P(k | x_q) g_r(x_q) for the class's
 * row r. So e^{t_c - shift} = ea_c v_rk / pr_k: one log per row and answer,
 * no exponential per class. The last answer's pr and v follow from the
 * others (they sum to 1 and to e^{row_e}), unless that would cancel. */
/* The part of item's expected entropy that depends on skill j's posterior
 * alone (ipost; x holds the skill's shared quantities): per answer k its
 * probability pr_k under the population posterior and, for each of the
 * skill's distinct class rows i, v_ik / pr_k and log v_ik - log pr_k, with
 * v_ik = sum_q post_q P(k | x_q) g_i(x_q). Kept per item until the skill's
 * posterior changes (skill_gen), so the candidates of the skills that got
 * no answer cost no pass over the grid in the next step; the values are
 * those a fresh computation gives, bit for bit. */
static void entropy_item(struct rf_cat_session *s, size_t j, size_t item,
                         const struct skill_ctx *x)
{
    const struct rf_cat_pool *p = s->p;
    if (s->ent_gen[item] == s->skill_gen[j])
        return;
    size_t nq = s->nq, ncat = p->irt[item].ncat, nr = x->nrows, off = s->ent_off[item];
    const double *post = s->ipost + j * nq;
    double *w = s->row_w, prsum = 0;
    double v[RF_CAT_MAX_CLASSES], vsum[RF_CAT_MAX_CLASSES] = {0};
    for (size_t k = 0; k < ncat; k++) {
        double pr = 1 - prsum;
        int direct = k + 1 < ncat || !(pr > 1e-6);
        for (size_t i = 0; i < nr && !direct; i++)
            direct = !((v[i] = x->ev[i] - vsum[i]) > 1e-6 * x->ev[i]);
        if (direct) {
            const double *pk = p->ptab + p->poff[item] + k * nq;
            /* One pass for w, pr and the first two rows, then the other
             * rows two at a time: every sum still runs over q in order. */
            const double *g0 = nr > 0 ? s->row_g + x->row[0] * nq : pk,
                         *g1 = nr > 1 ? s->row_g + x->row[1] * nq : g0;
            double a0 = 0, a1 = 0;
            pr = 0;
            for (size_t q = 0; q < nq; q++) {
                double wq = post[q] * pk[q];
                w[q] = wq;
                pr += wq;
                a0 += wq * g0[q];
                a1 += wq * g1[q];
            }
            if (nr > 0)
                v[0] = a0;
            if (nr > 1)
                v[1] = a1;
            for (size_t i = 2; i < nr; i += 2) {
                const double *gi = s->row_g + x->row[i] * nq,
                             *gj = s->row_g + x->row[i + 1 < nr ? i + 1 : i] * nq;
                double ai = 0, aj = 0;
                for (size_t q = 0; q < nq; q++) {
                    ai += w[q] * gi[q];
                    aj += w[q] * gj[q];
                }
                v[i] = ai;
                if (i + 1 < nr)
                    v[i + 1] = aj;
            }
        }
        prsum += pr;
        for (size_t i = 0; i < nr; i++)
            vsum[i] += v[i];
        double *rr = s->ent_rr + (off + k) * (s->rmax + 1),
               *ne = s->ent_ne + (off + k) * (s->rmax + 1);
        if (!(pr > 0)) {
            s->ent_pr[off + k] = 0;
            continue;
        }
        s->ent_pr[off + k] = pr;
        double lpr = log(pr);
        for (size_t i = 0; i < nr; i++) {
            rr[i] = v[i] / pr;
            /* cppcheck-suppress invalidFunctionArg ; log(0) = -inf: a row without support */
            ne[i] = v[i] > 0 ? log(v[i]) - lpr : -INFINITY;
        }
        rr[nr] = 1; /* a class without a row on the skill: e = ea, t = la */
        ne[nr] = 0;
    }
    s->ent_gen[item] = s->skill_gen[j];
}

/* Expected entropy of the class posterior after an answer to item (of
 * scope skill j, whose shared quantities x holds), given the class totals
 * cls_r and their log sum cls_lz. Answer k is weighted by its probability
 * under the current class mixture, P(k) = sum_c pi_c P_c(k) = pr_k sum_c
 * e^{t_c} / sum_c e^{r_c}, where pr_k is its probability under the
 * population posterior and t_c the class's evidence after k: t_c = la_c +
 * log(v_rk / pr_k), v_rk = sum_q post_q P(k | x_q) g_r(x_q) for the class's
 * row r. So e^{t_c - shift} = ea_c v_rk / pr_k: one log per row and answer,
 * no exponential per class (pr, v/pr and the logs: entropy_item). The last
 * answer's pr and v follow from the others (they sum to 1 and to e^{row_e}),
 * unless that would cancel. */
static double expected_entropy(struct rf_cat_session *s, size_t j, size_t item,
                               const struct skill_ctx *x)
{
    size_t nc = s->d.nclasses, ncat = s->p->irt[item].ncat, off = s->ent_off[item];
    double h = 0;
    entropy_item(s, j, item, x);
    for (size_t k = 0; k < ncat; k++) {
        double pr = s->ent_pr[off + k];
        if (!(pr > 0))
            continue;
        const double *rr = s->ent_rr + (off + k) * (s->rmax + 1),
                     *ne = s->ent_ne + (off + k) * (s->rmax + 1);
        double z = 0, ht = 0;
        for (size_t c = 0; c < nc; c++) {
            size_t o = x->ofx[c]; /* a class without a row: rr 1, ne 0 */
            double e = x->ea[c] * rr[o];
            if (e == 0) /* a class without support: no mass, no entropy (not 0 * -inf) */
                continue;
            z += e;
            ht += e * (x->las[c] + ne[o]);
        }
        if (!(z > 0)) /* no class has support: nothing to tell apart */
            continue;
        double lz = log(z);
        h += pr * exp(x->shift + lz - s->cls_lz) * (lz - ht / z);
    }
    return h;
}

/* With a classification objective: the k available items of open skills
 * that most lower the expected entropy of the class posterior, into
 * topv (as -entropy) / topi; returns how many. While some open skill is below
 * its minimum, only such skills compete. Once a class is decided, the k best
 * items of decided_skill by the design's selection rule instead. */
/* Once one class reaches RF_CAT_CLASS_DECIDED, the skill on which to go on
 * measuring it: the open skill it describes (tau > 0) with the largest SD
 * relative to its target, skills below their minimum first; NONE while no
 * class is decided or it has no open skill left. Reads the totals cls_r. */
static size_t decided_skill(const struct rf_cat_session *s)
{
    size_t nc = s->d.nclasses, top = 0;
    for (size_t c = 1; c < nc; c++)
        if (s->cls_r[c] > s->cls_r[top])
            top = c;
    double z = 0;
    for (size_t c = 0; c < nc; c++)
        z += exp(s->cls_r[c] - s->cls_r[top]);
    if (!(1.0 / z >= RF_CAT_CLASS_DECIDED))
        return NONE;
    return choose_skill_of(s, top);
}

static size_t top_classes(struct rf_cat_session *s, size_t k)
{
    size_t ns = s->d.nscope, nc = s->d.nclasses, nq = s->nq;
    int below = 0;
    for (size_t j = 0; j < ns; j++)
        below |= s->state[j] == RF_CAT_SKILL_OPEN && s->count[j] < s->d.rule[j].min;
    for (size_t r = 0; r < s->nrows; r++)
        s->row_e[r] = log_evidence(s->ipost + s->row_skill[r] * nq, s->row_g + r * nq, nq);
    for (size_t c = 0; c < nc; c++) {
        double tot = 0;
        for (size_t j = 0; j < ns; j++) {
            size_t r = s->cls_row[c * ns + j];
            if (r != NONE)
                tot += s->row_e[r];
        }
        s->cls_r[c] = tot;
    }
    double scratch;
    (void)class_entropy(s->cls_r, nc, &scratch);
    s->cls_lz = scratch;
    /* A decided class: measure its skills (a find-my-role test's plan needs
     * them), once every open skill has its minimum. */
    size_t dj = s->d.class_focus && !below ? decided_skill(s) : NONE;
    if (dj != NONE)
        return s->d.select == RF_CAT_MFI ? top_mfi(s, dj, s->theta[dj], k) : top_weighted(s, dj, k);
    /* Candidates: the most informative items at the current estimate of each
     * competing skill, RF_CAT_CLASS_CANDIDATES of them, fewer (not below 2)
     * when many skills compete so that a step looks at about
     * RF_CAT_CLASS_BUDGET items (an exhaustive scan costs ten times more and
     * changed few choices in simulation). */
    uint32_t cand[RF_CAT_MAX_SCOPE][RF_CAT_CLASS_CANDIDATES];
    size_t ncand[RF_CAT_MAX_SCOPE] = {0}, nopen = 0;
    for (size_t j = 0; j < ns; j++)
        nopen += s->state[j] == RF_CAT_SKILL_OPEN && !(below && s->count[j] >= s->d.rule[j].min);
    size_t per = nopen ? RF_CAT_CLASS_BUDGET / nopen : 1;
    per = per > RF_CAT_CLASS_CANDIDATES ? RF_CAT_CLASS_CANDIDATES : per < 2 ? 2 : per;
    for (size_t j = 0; j < ns; j++) {
        if (s->state[j] != RF_CAT_SKILL_OPEN || (below && s->count[j] >= s->d.rule[j].min))
            continue;
        ncand[j] = top_mfi(s, j, s->theta[j], per);
        memcpy(cand[j], s->topi, ncand[j] * sizeof **cand);
    }
    size_t m = 0;
    struct skill_ctx x;
    for (size_t j = 0; j < ns; j++) {
        if (ncand[j])
            skill_ctx_init(s, j, &x);
        for (size_t e = 0; e < ncand[j]; e++)
            top_insert(s, &m, k, -expected_entropy(s, j, cand[j][e], &x), cand[j][e]);
    }
    return m;
}

static void push_event(struct rf_cat_session *s, size_t item, int k)
{
    s->events[s->nevents].item = (uint32_t)item;
    s->events[s->nevents].k = k;
    s->events[s->nevents].carried = 0;
    s->nevents++;
}

static void block(struct rf_cat_session *s, size_t j, size_t item)
{
    if (s->p->usable[item])
        s->avail[j]--;
    s->mark[item] = MARK_BLOCKED;
    s->blocked[s->nblocked++] = (uint32_t)item;
    push_event(s, item, -1);
    update_skill(s, j);
}

void rf_cat_next(struct rf_cat_session *s, size_t *item)
{
    if (s->pending != NONE) {
        *item = s->pending;
        return;
    }
    const struct rf_cat_pool *p = s->p;
    for (;;) {
        update_stop(s);
        /* A pretest item at its position, or after the last scored item;
         * nothing of the scored selection has happened for this position. */
        if (s->npre < s->d.npretest &&
            (s->stop != RF_CAT_RUNNING || s->nadmin + s->npre + 1 >= s->d.pretest_at[s->npre])) {
            s->pending = s->d.pretest[s->npre];
            s->pending_pre = 1;
            *item = s->pending;
            return;
        }
        if (s->stop != RF_CAT_RUNNING) {
            *item = NONE;
            return;
        }
        size_t k = s->d.randomesque, m, j;
        if (s->d.nreqs) {
            /* Confirm stage: the items most informative at the cut of the
             * most undecided requirement. */
            size_t r = confirm_req(s);
            if (r == NONE) {
                s->stop = RF_CAT_STOP_TARGET;
                continue;
            }
            j = s->d.req_skill[r];
            m = top_mfi(s, j, s->d.req_cut[r], k);
            if (m == 0) {
                s->state[j] = RF_CAT_SKILL_EXHAUSTED;
                continue;
            }
        } else if (s->d.nobj) {
            /* Open skills all have an available item (update_skill closes the rest). */
            int below;
            m = top_objective(s, k, &below);
            if (m == 0) {
                s->stop = RF_CAT_STOP_EXHAUSTED;
                continue;
            }
            if (!below && s->topv[0] < s->d.obj_stop * s->obj_w2) {
                s->stop = RF_CAT_STOP_TARGET;
                continue;
            }
        } else if (s->d.nclasses) {
            /* Open skills all have an available item (update_skill closes the rest). */
            m = top_classes(s, k);
            if (m == 0) {
                s->stop = RF_CAT_STOP_EXHAUSTED;
                continue;
            }
        } else {
            j = choose_skill(s);
            m = s->d.select == RF_CAT_MFI ? top_mfi(s, j, s->theta[j], k) : top_weighted(s, j, k);
            if (m == 0) {
                s->state[j] = RF_CAT_SKILL_EXHAUSTED;
                continue;
            }
        }
        uint32_t pick = s->topi[m > 1 ? rf_rng_below(&s->rng, m) : 0];
        j = s->slot[p->skill[pick]];
        if (s->d.exposure && p->sh[pick] < 1.0 && rf_rng_uniform(&s->rng) >= p->sh[pick]) {
            block(s, j, pick);
            continue;
        }
        s->pending = pick;
        *item = pick;
        return;
    }
}

/* post[q] *= pt[q], flushed below TINY, renormalized: the independent
 * model's update. */
/* Returns the predictive probability of the answer under post (before the
 * update): sum_q post_q pt_q, after the flush of tiny values. */
static double indep_update(double *post, const double *pt, size_t nq)
{
    double tot = 0;
    for (size_t q = 0; q < nq; q++) {
        double v = post[q] * pt[q];
        if (v < TINY)
            v = 0;
        post[q] = v;
        tot += v;
    }
    if (tot > 0 && isfinite(tot)) {
        double inv = 1.0 / tot;
        for (size_t q = 0; q < nq; q++)
            post[q] *= inv;
    }
    return tot;
}

/* Takes the other usable items of item's enemy group out of the session
 * (docs/bank-format.md "Enemy groups"), whatever their skill: each leaves its
 * scope skill's avail, which may finish that skill. */
static void exclude_enemies(struct rf_cat_session *s, size_t item)
{
    const struct rf_cat_pool *p = s->p;
    uint32_t g = p->group[item];
    if (g == RF_CAT_NO_GROUP)
        return;
    for (size_t c = p->group_off[g]; c < p->group_off[g + 1]; c++) {
        uint32_t o = p->group_items[c];
        if (s->mark[o])
            continue;
        s->mark[o] = MARK_ENEMY;
        size_t j = s->slot[p->skill[o]];
        if (j != NONE) {
            s->avail[j]--;
            update_skill(s, j);
        }
    }
}

/* Multiplies the posterior of the item's skill by P(X = k | node), once. */
static void apply(struct rf_cat_session *s, size_t item, size_t k)
{
    const struct rf_cat_pool *p = s->p;
    size_t j = s->slot[p->skill[item]], nq = s->nq;
    double *post = s->ipost + j * nq; /* s->post's row without a model */
    const double *pt = p->ptab + p->poff[item] + k * nq;
    /* The independent-prior posterior moves in every case (it is s->post
     * without a model); its normalizer is this answer's probability for an
     * N(0, 1) person, set against a random responder's. */
    double pred = indep_update(post, pt, nq), pr = p->rand[item * RF_MAX_CATEGORIES + k];
    s->skill_gen[j] = ++s->gen; /* its items' kept entropy parts are stale */
    s->rlbf[j] += (pr > 0 ? log(pr) : -HUGE_VAL) - (pred > 0 ? log(pred) : 0);
    if (s->hs) {
        /* Every marginal moves through g (and the mixture's weights). */
        rf_hier_update(s->hs, j, pt);
        if (s->hs0)
            rf_hier_update(s->hs0, j, pt);
        refresh_marginals(s);
    } else {
        moments(p->q.x, post, nq, &s->theta[j], &s->sd[j]);
    }
    s->mark[item] = MARK_GIVEN;
    s->admin[s->nadmin] = (uint32_t)item;
    s->admin_k[s->nadmin] = (unsigned char)k;
    s->nadmin++;
    s->count[j]++;
    if (p->usable[item]) /* a known item was never counted available */
        s->avail[j]--;
    exclude_enemies(s, item);
    push_event(s, item, (int)k);
    update_skill(s, j);
    /* Through g every skill moved; and decisions may start with this item. */
    if (s->hs || s->d.decide_after == s->nadmin)
        for (size_t o = 0; o < s->d.nscope; o++)
            update_skill(s, o);
    update_stop(s);
}

rf_status rf_cat_carry(struct rf_cat_session *s, size_t item, size_t k, struct rf_err *err)
{
    const struct rf_cat_pool *p = s->p;
    if (!s->hs)
        return rf_err_set(err, RF_EINVAL, "carried answers need a design with the model's prior");
    if (s->nadmin || s->pending != NONE)
        return rf_err_set(err, RF_ECONFLICT,
                          "answers of an earlier session come before this session's own");
    if (item >= p->n)
        return rf_err_set(err, RF_EINVAL, "item index %zu is not in the bank", item);
    size_t j = s->slot[p->skill[item]], nq = s->nq;
    if (!p->usable[item] || j == NONE)
        return RF_OK; /* its evidence stays in the earlier session's profile */
    if (s->mark[item] && s->mark[item] != MARK_ENEMY)
        return rf_err_set(err, RF_EINVAL, "item '%s' appears twice", p->ids[item]);
    if (k >= p->irt[item].ncat)
        return rf_err_set(err, RF_EINVAL, "item '%s': answer %zu out of range 0..%zu", p->ids[item],
                          k, p->irt[item].ncat - 1);
    if (s->mark[item] == MARK_ENEMY) /* a session from before the group: as replay does */
        s->avail[j]++;
    const double *pt = p->ptab + p->poff[item] + k * nq;
    double *cl = s->carry_ll + j * nq;
    for (size_t q = 0; q < nq; q++)
        cl[q] += pt[q] > 0 ? log(pt[q]) : -HUGE_VAL;
    rf_hier_update(s->hs, j, pt);
    if (s->hs0)
        rf_hier_update(s->hs0, j, pt);
    refresh_marginals(s);
    s->mark[item] = MARK_GIVEN;
    s->avail[j]--;
    exclude_enemies(s, item);
    push_event(s, item, (int)k);
    s->events[s->nevents - 1].carried = 1;
    /* Before the session's first answer the states follow the evidence both ways. */
    s->stop = RF_CAT_RUNNING;
    for (size_t o = 0; o < s->d.nscope; o++)
        update_skill(s, o);
    update_stop(s);
    return RF_OK;
}

int rf_cat_event_carried(const struct rf_cat_session *s, size_t j)
{
    return s->events[j].carried;
}

void rf_cat_skill_loglik(const struct rf_cat_session *s, size_t j, double *out)
{
    if (s->hs) {
        /* This session's evidence: the carried answers' taken out. */
        rf_hier_loglik(s->hs, j, out);
        const double *cl = s->carry_ll + j * s->nq;
        for (size_t q = 0; q < s->nq; q++)
            out[q] = cl[q] == -HUGE_VAL || out[q] == -HUGE_VAL ? -HUGE_VAL : out[q] - cl[q];
        return;
    }
    const double *post = s->ipost + j * s->nq, *lw = s->p->q.logw;
    for (size_t q = 0; q < s->nq; q++)
        out[q] = post[q] > 0 ? log(post[q]) - lw[q] : -HUGE_VAL;
}

double rf_cat_prior_class_weight(struct rf_cat_session *s)
{
    if (!s->hs || !(s->d.prior_weight > 0))
        return 0;
    double w = 0;
    for (size_t c = 1; c < rf_hier_get_spec(s->hm)->ncomp; c++)
        w += rf_hier_comp_weight(s->hs, c);
    return w;
}

rf_status rf_cat_answer(struct rf_cat_session *s, size_t item, size_t k)
{
    if (s->pending == NONE || item != s->pending)
        return rf_err_set(&s->err, RF_ECONFLICT, "answer to item %zu, but the item presented is %s",
                          item, s->pending == NONE ? "none" : s->p->ids[s->pending]);
    if (k >= s->p->irt[item].ncat)
        return rf_err_set(&s->err, RF_EINVAL, "item '%s': category %zu out of range 0..%zu",
                          s->p->ids[item], k, s->p->irt[item].ncat - 1);
    s->pending = NONE;
    if (s->pending_pre) {
        size_t j = s->slot[s->p->skill[item]];
        s->pending_pre = 0;
        s->pre_k[s->npre] = (unsigned char)k;
        s->pre_theta[s->npre] = s->theta[j];
        s->pre_sd[s->npre] = s->sd[j];
        s->npre++;
        return RF_OK;
    }
    apply(s, item, k);
    return RF_OK;
}

size_t rf_cat_npretest_answered(const struct rf_cat_session *s)
{
    return s->npre;
}

void rf_cat_pretest_answer(const struct rf_cat_session *s, size_t j, size_t *item, size_t *k,
                           double *theta, double *sd)
{
    *item = s->d.pretest[j];
    *k = s->pre_k[j];
    *theta = s->pre_theta[j];
    *sd = s->pre_sd[j];
}

int rf_cat_pending_pretest(const struct rf_cat_session *s)
{
    return s->pending != NONE && s->pending_pre;
}

rf_status rf_cat_replay_pretest(struct rf_cat_session *s, size_t item, size_t k, double theta,
                                double sd, struct rf_err *err)
{
    if (s->pending != NONE)
        return rf_err_set(err, RF_ECONFLICT, "replay while an item is presented");
    if (s->npre >= s->d.npretest || item != s->d.pretest[s->npre])
        return rf_err_set(err, RF_EINVAL, "item '%s' is not the next pretest item",
                          item < s->p->n ? s->p->ids[item] : "?");
    if (k >= s->p->irt[item].ncat)
        return rf_err_set(err, RF_EINVAL, "item '%s': answer %zu out of range 0..%zu",
                          s->p->ids[item], k, s->p->irt[item].ncat - 1);
    if (!isfinite(theta) || !(isfinite(sd) && sd > 0))
        return rf_err_set(err, RF_EINVAL, "item '%s': posterior mean and SD must be finite, SD > 0",
                          s->p->ids[item]);
    s->pre_k[s->npre] = (unsigned char)k;
    s->pre_theta[s->npre] = theta;
    s->pre_sd[s->npre] = sd;
    s->npre++;
    return RF_OK;
}

/* Checks that item may be replayed into s; returns its scope index in *j.
 * An item excluded by its enemy group is readmitted: the session was stored
 * before the group existed (or before the item joined it), and stored
 * sessions must still load; so it becomes available again, and its skill
 * (and the session) open again when the exclusion alone had closed them. */
static rf_status replay_check(struct rf_cat_session *s, size_t item, size_t *j, struct rf_err *err)
{
    const struct rf_cat_pool *p = s->p;
    if (item >= p->n)
        return rf_err_set(err, RF_EINVAL, "item index %zu is not in the bank", item);
    /* an item of the other pool (known): a session stored before the pools
     * changed; it stays valid for that session, counted but never selected */
    if (!p->usable[item] && !p->tables[item])
        return rf_err_set(err, RF_EINVAL, "item '%s' is retired or has no parameters",
                          p->ids[item]);
    *j = s->slot[p->skill[item]];
    if (*j == NONE)
        return rf_err_set(err, RF_EINVAL, "item '%s' (skill '%s') is outside the scope",
                          p->ids[item], p->skills[p->skill[item]]);
    int readmit = s->mark[item] == MARK_ENEMY;
    if (s->mark[item] && !readmit)
        return rf_err_set(err, RF_EINVAL, "item '%s' appears twice", p->ids[item]);
    enum rf_cat_skill_state st = s->state[*j];
    int reopen = readmit && (st == RF_CAT_SKILL_EXHAUSTED || st == RF_CAT_SKILL_UNREACHABLE);
    if ((s->stop != RF_CAT_RUNNING && !(reopen && s->stop != RF_CAT_STOP_MAX_ITEMS)) ||
        (st != RF_CAT_SKILL_OPEN && !reopen))
        return rf_err_set(err, RF_EINVAL,
                          "item '%s' comes after its skill or the session had finished",
                          p->ids[item]);
    if (readmit) {
        s->mark[item] = 0;
        s->avail[*j]++;
        if (reopen) {
            s->state[*j] = RF_CAT_SKILL_OPEN;
            s->stop = RF_CAT_RUNNING;
        }
    }
    return RF_OK;
}

rf_status rf_cat_replay(struct rf_cat_session *s, size_t item, size_t k, struct rf_err *err)
{
    size_t j;
    if (s->pending != NONE)
        return rf_err_set(err, RF_ECONFLICT, "replay while an item is presented");
    rf_status rc = replay_check(s, item, &j, err);
    if (rc)
        return rc;
    if (k >= s->p->irt[item].ncat)
        return rf_err_set(err, RF_EINVAL, "item '%s': answer %zu out of range 0..%zu",
                          s->p->ids[item], k, s->p->irt[item].ncat - 1);
    apply(s, item, k);
    return RF_OK;
}

rf_status rf_cat_replay_block(struct rf_cat_session *s, size_t item, struct rf_err *err)
{
    size_t j;
    rf_status rc = replay_check(s, item, &j, err);
    if (rc)
        return rc;
    block(s, j, item);
    return RF_OK;
}

rf_status rf_cat_set_pending(struct rf_cat_session *s, size_t item, struct rf_err *err)
{
    if (s->npre < s->d.npretest && item == s->d.pretest[s->npre]) {
        if (s->pending != NONE)
            return rf_err_set(err, RF_ECONFLICT, "an item is presented already");
        update_stop(s);
        if (s->stop == RF_CAT_RUNNING && s->nadmin + s->npre + 1 < s->d.pretest_at[s->npre])
            return rf_err_set(err, RF_EINVAL, "pretest item '%s' is not due yet", s->p->ids[item]);
        s->pending = item;
        s->pending_pre = 1;
        return RF_OK;
    }
    size_t j;
    rf_status rc = replay_check(s, item, &j, err);
    if (rc)
        return rc;
    s->pending = item;
    return RF_OK;
}

size_t rf_cat_pending(const struct rf_cat_session *s)
{
    return s->pending;
}

struct rf_rng *rf_cat_session_rng(struct rf_cat_session *s)
{
    return &s->rng;
}

enum rf_cat_stop rf_cat_stopped(const struct rf_cat_session *s)
{
    return s->stop;
}

size_t rf_cat_nanswered(const struct rf_cat_session *s)
{
    return s->nadmin;
}

void rf_cat_answered(const struct rf_cat_session *s, size_t j, size_t *item, size_t *k)
{
    *item = s->admin[j];
    *k = s->admin_k[j];
}

size_t rf_cat_nblocked(const struct rf_cat_session *s)
{
    return s->nblocked;
}

size_t rf_cat_blocked(const struct rf_cat_session *s, size_t j)
{
    return s->blocked[j];
}

size_t rf_cat_nevents(const struct rf_cat_session *s)
{
    return s->nevents;
}

void rf_cat_event(const struct rf_cat_session *s, size_t j, size_t *item, int *k)
{
    *item = s->events[j].item;
    *k = s->events[j].k;
}

const struct rf_cat_design *rf_cat_session_design(const struct rf_cat_session *s)
{
    return &s->d;
}

const struct rf_cat_pool *rf_cat_session_pool(const struct rf_cat_session *s)
{
    return s->p;
}

void rf_cat_skill(const struct rf_cat_session *s, size_t j, struct rf_cat_skill_result *out)
{
    out->theta = s->theta[j];
    out->se = s->sd[j];
    out->items = s->count[j];
    out->state = s->state[j];
    out->posterior = s->post + j * s->nq;
    out->random_lbf = s->rlbf[j];
}

const char *rf_cat_errmsg(const struct rf_cat_session *s)
{
    return rf_err_msg(&s->err);
}
