/*
 * What one member's profile says about every role (careers/team.h
 * rf_team_member_roles): P(every core requirement met), with the core
 * skills the member's test did not measure taken from the profile's prior,
 * informed by what it did measure through the higher-order model.
 */
#include "careers/team.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
#include "careers/profile.h"
#include "irt/hier.h"
#include "irt/quad.h"

/* The profile's model extended to the taxonomy: its own skills keep their
 * indices; each taxonomy skill it lacks is added (while RF_HIER_MAX_SKILLS
 * allows) with the taxonomy's loading on g when that loading and the
 * model's are calibrated (data/loadings.json), else 0: an assumed loading
 * carries no evidence to a skill nobody measured (with the assumed 0.7, a member's unmeasured roles
 * were stated at 0.44 where 0.13 were truly met, docs/careers.md "Teams");
 * 0 too when the model has no g (an independent model stays independent);
 * and N(0, 1) in every component (a
 * role's people, the component a role test adds, differ from everyone only
 * on the skills that role requires, and its test measures all of them).
 * idx[k] is taxonomy skill k's index in the model, or SIZE_MAX. The state
 * holds the evidence of every measured model skill. *h and *st are NULL
 * without a model. */
static rf_status extended_model(const struct rf_profile *p, const struct rf_taxonomy *tax,
                                size_t *idx, struct rf_hier **h, struct rf_hier_state **st,
                                struct rf_err *err)
{
    *h = NULL;
    *st = NULL;
    for (size_t k = 0; k < tax->nskills; k++)
        idx[k] = SIZE_MAX;
    if (!p->model)
        return RF_OK;
    const struct rf_profile_model *m = p->model;
    struct rf_hier_spec sp = m->spec;
    int has_g = 0;
    for (size_t j = 0; j < sp.nskills; j++) {
        has_g |= sp.lambda[j] > 0;
        const struct rf_profile_skill *s = rf_profile_find(p, m->skills[j]);
        if (s && s->items > 0 && !s->loglik)
            return rf_err_set(err, RF_EINVAL,
                              "skill '%s': the model needs its log-likelihood ('loglik')",
                              s->skill);
    }
    for (size_t k = 0; k < tax->nskills; k++)
        for (size_t j = 0; j < m->nskills && idx[k] == SIZE_MAX; j++)
            if (strcmp(m->skills[j], tax->skills[k].id) == 0)
                idx[k] = j;
    for (size_t k = 0; k < tax->nskills && sp.nskills < RF_HIER_MAX_SKILLS; k++) {
        if (idx[k] != SIZE_MAX)
            continue;
        size_t j = sp.nskills++;
        sp.lambda[j] =
            has_g && !m->assumed && tax->skills[k].loading_calibrated ? tax->skills[k].loading : 0;
        for (size_t c = 0; c < sp.ncomp; c++) {
            sp.comp[c].mu[j] = 0;
            sp.comp[c].tau[j] = 1;
        }
        idx[k] = j;
    }
    struct rf_quad q;
    rf_status rc = rf_quad_init_even(&q, p->n, p->lo, p->hi, 0.0, 1.0, err);
    if (rc)
        return rc;
    rc = rf_hier_new(&sp, &q, h, err);
    rf_quad_cleanup(&q);
    if (!rc)
        rc = rf_hier_state_new(*h, st, err);
    if (rc) {
        rf_hier_free(*h);
        *h = NULL;
        return rc;
    }
    for (size_t j = 0; j < m->nskills; j++) {
        const struct rf_profile_skill *s = rf_profile_find(p, m->skills[j]);
        if (s && s->loglik)
            rf_hier_add_loglik(*st, j, s->loglik);
    }
    return RF_OK;
}

/* One cached T_ck(h) table: model skill j at cut. */
struct tails {
    size_t j;
    double cut;
    double *t; /* [ncells] */
};

/* One member's evidence: the profile, its extended model and where each
 * taxonomy skill sits in it, with the model's cell weights and the tail
 * tables computed so far (many joint tails share few (skill, cut) pairs). */
struct member {
    const struct rf_profile *p;
    const struct rf_taxonomy *tax;
    size_t *idx; /* [tax->nskills] */
    const struct rf_profile_skill **have; /* [tax->nskills]: the profile's, or NULL */
    size_t nown; /* the profile's own model skills */
    struct rf_hier *h;
    struct rf_hier_state *st;
    size_t ncells;
    double *w, *acc; /* [ncells] */
    struct tails *cache;
    size_t ncache, cap;
    int oom;
};

/* The tail table of model skill j at cut (NULL when out of memory). */
static const double *tails_of(struct member *m, size_t j, double cut)
{
    for (size_t i = 0; i < m->ncache; i++)
        if (m->cache[i].j == j && m->cache[i].cut == cut)
            return m->cache[i].t;
    if (m->ncache == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 32;
        struct tails *g = rf_realloc_array(m->cache, cap, sizeof *g);
        if (!g)
            return NULL;
        m->cache = g;
        m->cap = cap;
    }
    double *t = rf_alloc_array(m->ncells, sizeof *t);
    if (!t)
        return NULL;
    rf_hier_cell_tails(m->st, j, cut, t);
    m->cache[m->ncache++] = (struct tails){j, cut, t};
    return t;
}

/* P(theta_k >= cut[k] for every taxonomy skill k with need[k]) given the
 * member's answers; only_unmeasured keeps the skills the profile lacks. */
static double joint(struct member *m, const unsigned char *need, const double *cut,
                    int only_unmeasured)
{
    double outside = 1;
    int any = 0;
    for (size_t k = 0; k < m->tax->nskills; k++) {
        if (!need[k])
            continue;
        const struct rf_profile_skill *s = m->have[k];
        if (only_unmeasured && s)
            continue;
        size_t j = m->idx[k];
        /* in the model: a model skill, or an added one the profile did not measure
         * (a measured skill outside the model counts by its own posterior) */
        if (m->st && j != SIZE_MAX && (j < m->nown || !s)) {
            const double *t = tails_of(m, j, cut[k]);
            if (!t) {
                m->oom = 1;
                return 0;
            }
            if (!any)
                memcpy(m->acc, m->w, m->ncells * sizeof *m->acc);
            any = 1;
            for (size_t i = 0; i < m->ncells; i++)
                m->acc[i] *= t[i];
        } else {
            outside *= rf_profile_tail(m->p, s, cut[k]);
        }
    }
    if (!any)
        return outside;
    double p = 0;
    for (size_t i = 0; i < m->ncells; i++)
        p += m->acc[i];
    return outside * (p > 1 ? 1 : p);
}

/* Adds role r's core requirements to need/cut (the higher cut where two
 * roles need one skill). */
static void add_core(const struct rf_role *r, unsigned char *need, double *cut)
{
    for (size_t k = 0; k < r->nreqs; k++) {
        const struct rf_role_req *q = &r->reqs[k];
        if (!q->core)
            continue;
        if (!need[q->skill] || q->cut > cut[q->skill])
            cut[q->skill] = q->cut;
        need[q->skill] = 1;
    }
}

/* P(the member meets at least one of roles car[0..n-1]) by inclusion and
 * exclusion: meeting every role of a subset is one joint tail over the union
 * of their core skills at the higher cuts. */
static double any_of(struct member *m, const struct rf_roles *roles, const size_t *car,
                     size_t n, unsigned char *need, double *cut)
{
    double sum = 0;
    for (size_t set = 1; set < ((size_t)1 << n); set++) {
        memset(need, 0, m->tax->nskills);
        size_t bits = 0;
        for (size_t i = 0; i < n; i++)
            if (set >> i & 1) {
                add_core(&roles->roles[car[i]], need, cut);
                bits++;
            }
        double pj = joint(m, need, cut, 0);
        sum += bits % 2 ? pj : -pj;
    }
    return sum < 0 ? 0 : sum > 1 ? 1 : sum;
}

/* Roles carrying a task whose union is computed exactly; beyond it, the
 * lower bound max_r p_mr (2^n joint tails per member and task). */
#define MAX_EXACT_CARRIERS 10

/* Fills draws[RF_TEAM_DRAWS]: in each, the roles (bit r) the member meets
 * in one draw of their skills from the model given the answers: a cell
 * (component, g node) by its posterior weight, then each skill, independent
 * given the cell, as one uniform u_k: it clears cut t when u_k is below
 * P(theta_k >= t | cell) (a skill outside the model: below its own tail),
 * so that one draw's calls at two cuts of a skill agree. */
static rf_status draw_roles(struct member *m, const struct rf_roles *roles, uint64_t seed,
                            uint64_t *draws, double prior_r, const double *pi,
                            struct rf_err *err)
{
    const struct rf_taxonomy *tax = m->tax;
    size_t nreq = 0;
    for (size_t r = 0; r < roles->n; r++)
        for (size_t k = 0; k < roles->roles[r].nreqs; k++)
            nreq += roles->roles[r].reqs[k].core != 0;
    size_t ns = tax->nskills ? tax->nskills : 1, nc = m->ncells ? m->ncells : 1;
    const double **tab = rf_calloc_array(nreq ? nreq : 1, sizeof *tab);
    double *fixed = rf_calloc_array(nreq ? nreq : 1, sizeof *fixed);
    double *cum = rf_calloc_array(nc, sizeof *cum), *u = rf_calloc_array(ns, sizeof *u);
    size_t *used = rf_calloc_array(ns, sizeof *used), nused = 0;
    size_t *skill = rf_calloc_array(nreq ? nreq : 1, sizeof *skill);
    size_t *end = rf_calloc_array(roles->n ? roles->n : 1, sizeof *end);
    size_t *ncore = rf_calloc_array(roles->n ? roles->n : 1, sizeof *ncore);
    rf_status rc = RF_OK;
    if (!tab || !fixed || !cum || !u || !used || !skill || !end || !ncore)
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    for (size_t k = 0; !rc && k < tax->nskills; k++) { /* the skills some core requirement reads */
        int core = 0;
        for (size_t r = 0; r < roles->n && !core; r++)
            for (size_t i = 0; i < roles->roles[r].nreqs && !core; i++)
                core = roles->roles[r].reqs[i].core && roles->roles[r].reqs[i].skill == k;
        if (core)
            used[nused++] = k;
    }
    /* each core requirement: the model's per-cell tails, or a fixed tail */
    for (size_t r = 0, i = 0; !rc && r < roles->n; r++)
        for (size_t k = 0; k < roles->roles[r].nreqs; k++) {
            const struct rf_role_req *q = &roles->roles[r].reqs[k];
            if (!q->core)
                continue;
            const struct rf_profile_skill *sk = m->have[q->skill];
            size_t j = m->idx[q->skill];
            if (m->st && j != SIZE_MAX && (j < m->nown || !sk)) {
                if (!(tab[i] = tails_of(m, j, q->cut)))
                    rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
            } else {
                fixed[i] = rf_profile_tail(m->p, sk, q->cut);
            }
            skill[i++] = q->skill;
            ncore[r]++;
            end[r] = i;
        }
    double total = 0;
    for (size_t i = 0; !rc && i < m->ncells; i++)
        cum[i] = total += m->w[i];
    /* With the team's pi (pi[d] in draw d), the member's role component (its
     * last, cells from rest on) is drawn first, with its posterior given pi[d]:
     * pi LR / (pi LR + 1 - pi), LR its likelihood ratio over the rest as the
     * cell weights (read at prior weight prior_r) give it; then a cell of it. */
    size_t rest = !rc && cum && pi && prior_r > 0 && prior_r < 1 && m->h
                      ? m->ncells / rf_hier_get_spec(m->h)->ncomp *
                            (rf_hier_get_spec(m->h)->ncomp - 1)
                      : 0;
    double below = rest && cum ? cum[rest - 1] : 0, lr = 0;
    if (rest && below > 0 && total - below > 0)
        lr = (total - below) / below * (1 - prior_r) / prior_r;
    else
        rest = 0;
    struct rf_rng g;
    rf_rng_seed(&g, seed);
    for (size_t d = 0; !rc && d < RF_TEAM_DRAWS; d++) {
        size_t cell = 0;
        if (m->ncells) { /* the first cell whose cumulative weight passes the uniform */
            double x = rf_rng_uniform(&g) * total;
            if (rest && pi[d] > 0 && pi[d] < 1) {
                double pr = pi[d] * lr / (pi[d] * lr + 1 - pi[d]), v = x / total;
                x = v < pr ? below + v / pr * (total - below) : (v - pr) / (1 - pr) * below;
            }
            size_t lo = 0, hi = m->ncells - 1;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (cum[mid] > x)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            cell = lo;
        }
        /* 32 random bits a skill (two from each 64): the tails are compared
         * to within 2^-32 */
        for (size_t i = 0; i < nused; i += 2) {
            uint64_t b = rf_rng_next(&g);
            u[used[i]] = (double)(b >> 32) * 0x1p-32;
            if (i + 1 < nused)
                u[used[i + 1]] = (double)(b & 0xffffffffu) * 0x1p-32;
        }
        uint64_t met = 0;
        for (size_t r = 0; r < roles->n; r++) {
            size_t i = end[r] - ncore[r], e = end[r]; /* role r's core requirements */
            while (i < e && u[skill[i]] < (tab[i] ? tab[i][cell] : fixed[i]))
                i++;
            met |= (uint64_t)(i == e) << r;
        }
        draws[d] = met;
    }
    free(tab);
    free(fixed);
    free(cum);
    free(u);
    free(used);
    free(skill);
    free(end);
    free(ncore);
    return rc;
}

/* Whether p's model has a role component: its last, a role test's people
 * of that role. */
static int has_role_component(const struct rf_profile *p)
{
    return p->model && p->model->role && p->model->spec.ncomp >= 2;
}

/* Reads the member with their role component at prior weight role_w: the
 * posterior weight of every cell of component c (cells c * ng + i) is
 * multiplied by the ratio of its new prior weight to its old one and the
 * whole renormalized. The cells' tails do not depend on the weights. */
static void reweight(struct member *m, double role_w)
{
    const struct rf_hier_spec *sp = rf_hier_get_spec(m->h);
    size_t nc = sp->ncomp, ng = m->ncells / nc;
    double tot = 0;
    for (size_t c = 0; c < nc; c++)
        tot += sp->comp[c].weight;
    double old_r = sp->comp[nc - 1].weight / tot;
    if (!(old_r > 0 && old_r < 1))
        return;
    double sum = 0;
    for (size_t c = 0; c < nc; c++) {
        double f = c == nc - 1 ? role_w / old_r : (1 - role_w) / (1 - old_r);
        for (size_t i = 0; i < ng; i++)
            sum += m->w[c * ng + i] *= f;
    }
    for (size_t i = 0; sum > 0 && i < m->ncells; i++)
        m->w[i] /= sum;
}

/* rf_team_member_probs over roles (their taxonomy); s, task and draws may be
 * NULL; role_w and pi as rf_team_member_draws. */
static rf_status probs(const struct rf_roles *roles, const struct rf_team_spec *s,
                       const struct rf_profile *p, double role_w, const double *pi,
                       double *prob, int *measured, double *unknown, double *task,
                       uint64_t seed, uint64_t *draws, struct rf_err *err)
{
    double prior_r = -1; /* the prior weight of the role component the cells are read at */
    const struct rf_taxonomy *tax = roles->tax;
    size_t ns = tax->nskills ? tax->nskills : 1;
    struct member m;
    memset(&m, 0, sizeof m);
    m.p = p;
    m.tax = tax;
    m.idx = rf_calloc_array(ns, sizeof *m.idx);
    m.have = rf_calloc_array(ns, sizeof(const struct rf_profile_skill *));
    for (size_t k = 0; m.have && k < tax->nskills; k++)
        m.have[k] = rf_profile_find(p, tax->skills[k].id);
    m.nown = p->model ? p->model->nskills : 0;
    unsigned char *need = rf_calloc_array(ns, 1);
    double *cut = rf_calloc_array(ns, sizeof *cut);
    rf_status rc = RF_OK;
    if (!m.idx || !m.have || !need || !cut)
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    if (!rc)
        rc = extended_model(p, tax, m.idx, &m.h, &m.st, err);
    if (!rc && m.st) {
        m.ncells = rf_hier_ncells(m.st);
        if (!(m.w = rf_alloc_array(m.ncells, sizeof *m.w)) ||
            !(m.acc = rf_alloc_array(m.ncells, sizeof *m.acc)))
            rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
        else
            rf_hier_cell_weights(m.st, m.w);
        if (m.w && has_role_component(p)) {
            const struct rf_hier_spec *sp = rf_hier_get_spec(m.h);
            double tot = 0;
            for (size_t c = 0; c < sp->ncomp; c++)
                tot += sp->comp[c].weight;
            prior_r = sp->comp[sp->ncomp - 1].weight / tot;
            if (role_w > 0 && role_w < 1) {
                reweight(&m, role_w);
                prior_r = role_w;
            }
        }
    }
    for (size_t r = 0; !rc && r < roles->n; r++) {
        memset(need, 0, ns);
        add_core(&roles->roles[r], need, cut);
        int every = 1;
        for (size_t k = 0; k < tax->nskills; k++)
            if (need[k] && !m.have[k])
                every = 0;
        prob[r] = joint(&m, need, cut, 0);
        if (measured)
            measured[r] = every;
        if (unknown)
            unknown[r] = every ? 1 : joint(&m, need, cut, 1);
    }
    for (size_t t = 0; !rc && task && t < tax->ntasks; t++) {
        size_t car[MAX_EXACT_CARRIERS], n = 0;
        int listed = 0, over = 0;
        task[t] = 0;
        for (size_t i = 0; s && i < s->ntasks; i++)
            listed |= s->tasks[i] == t;
        for (size_t r = 0; listed && r < roles->n; r++)
            if (roles->roles[r].task_weights[t] >= s->task_weight) {
                if (n < MAX_EXACT_CARRIERS)
                    car[n++] = r;
                else
                    over = 1;
            }
        if (over) /* the lower bound: the best single carrier */
            for (size_t r = 0; r < roles->n; r++)
                if (roles->roles[r].task_weights[t] >= s->task_weight && prob[r] > task[t])
                    task[t] = prob[r];
        task[t] = !listed ? 0 : over ? task[t] : any_of(&m, roles, car, n, need, cut);
    }
    if (!rc && draws && roles->n <= 64)
        rc = draw_roles(&m, roles, seed, draws, prior_r, pi, err);
    if (!rc && m.oom)
        rc = rf_err_set(err, RF_ENOMEM, "team: out of memory");
    for (size_t i = 0; i < m.ncache; i++)
        free(m.cache[i].t);
    free(m.cache);
    free(m.w);
    free(m.acc);
    rf_hier_state_free(m.st);
    rf_hier_free(m.h);
    free(m.idx);
    free(m.have);
    free(need);
    free(cut);
    return rc;
}

rf_status rf_team_member_roles(const struct rf_profile *p, const struct rf_roles *roles,
                               double *prob, int *measured, double *unknown,
                               struct rf_err *err)
{
    return probs(roles, NULL, p, -1, NULL, prob, measured, unknown, NULL, 0, NULL, err);
}

rf_status rf_team_member_probs(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_profile *p, double *prob, int *measured,
                               double *unknown, double *task, struct rf_err *err)
{
    return probs(&c->roles, s, p, -1, NULL, prob, measured, unknown, task, 0, NULL, err);
}

rf_status rf_team_member_draws(const struct rf_careers *c, const struct rf_team_spec *s,
                               const struct rf_profile *p, double role_w, const double *pi,
                               double *prob, int *measured, double *unknown, double *task,
                               uint64_t seed, uint64_t *draws, struct rf_err *err)
{
    if (c->roles.n > 64)
        return rf_err_set(err, RF_EINVAL, "team: at most 64 roles are drawn, not %zu", c->roles.n);
    return probs(&c->roles, s, p, role_w, pi, prob, measured, unknown, task, seed, draws, err);
}

/* Cells of the grid of pi, the share of the team's role-test members who
 * are their role's people. */
#define KIND_GRID 1000

/* The Beta(al, be) prior's mass in the cell [x0, x1] of pi, to a constant:
 * the two power terms integrated exactly, each at its own end, so that
 * shape parameters below 1 (a density unbounded at 0 or 1) are integrated
 * right. */
static double beta_cell(double x0, double x1, double al, double be)
{
    return (pow(x1, al) - pow(x0, al)) / al * (pow(1 - x0, be) - pow(1 - x1, be)) / be /
           (x1 - x0);
}

rf_status rf_team_role_weights(const struct rf_profile *prof, size_t nm, double *w, double *pi,
                               struct rf_err *err)
{
    for (size_t d = 0; pi && d < RF_TEAM_DRAWS; d++)
        pi[d] = -1;
    double *lr = rf_calloc_array(nm ? nm : 1, sizeof *lr);
    double *lw = rf_calloc_array(KIND_GRID, sizeof *lw);
    if (!lr || !lw) {
        free(lr);
        free(lw);
        return rf_err_set(err, RF_ENOMEM, "team: out of memory");
    }
    size_t n = 0;
    double abar = 0;
    rf_status rc = RF_OK;
    for (size_t m = 0; m < nm; m++) {
        w[m] = -1;
        if (rc || !has_role_component(&prof[m]))
            continue;
        struct rf_hier *h = NULL;
        struct rf_hier_state *st = NULL;
        if ((rc = rf_profile_hier(&prof[m], &h, &st, err)))
            continue;
        const struct rf_hier_spec *sp = rf_hier_get_spec(h);
        double tot = 0;
        for (size_t c = 0; c < sp->ncomp; c++)
            tot += sp->comp[c].weight;
        double a = sp->comp[sp->ncomp - 1].weight / tot;
        double q = rf_hier_comp_weight(st, sp->ncomp - 1);
        rf_hier_state_free(st);
        rf_hier_free(h);
        if (!(a > 0 && a < 1))
            continue;
        /* the likelihood ratio of the role's people over the rest, bounded
         * so that a certain reading stays a finite one */
        double x = q * (1 - a) / (fmax(1 - q, 1e-300) * a);
        lr[m] = fmin(fmax(x, 1e-12), 1e12);
        w[m] = a; /* marks a member with a role component until the end */
        abar += a;
        n++;
    }
    if (!rc && n >= 2) {
        abar /= (double)n;
        double al = RF_TEAM_KIND_PRIOR_N * abar, be = RF_TEAM_KIND_PRIOR_N * (1 - abar);
        double top = -HUGE_VAL;
        for (size_t i = 0; i < KIND_GRID; i++) {
            double x0 = (double)i / KIND_GRID, x1 = (double)(i + 1) / KIND_GRID,
                   x = 0.5 * (x0 + x1);
            lw[i] = log(beta_cell(x0, x1, al, be));
            for (size_t m = 0; m < nm; m++)
                if (w[m] >= 0)
                    lw[i] += log(x * lr[m] + 1 - x);
            if (lw[i] > top)
                top = lw[i];
        }
        double z = 0;
        for (size_t i = 0; i < KIND_GRID; i++)
            z += lw[i] = exp(lw[i] - top);
        /* pi's posterior quantiles at (d + 1/2) / RF_TEAM_DRAWS: one value a
         * draw, the same for every member (linear within a cell) */
        double cum = 0;
        for (size_t i = 0, d = 0; pi && i < KIND_GRID; i++) {
            double next = cum + lw[i] / z;
            while (d < RF_TEAM_DRAWS && ((double)d + 0.5) / RF_TEAM_DRAWS <= next) {
                double f = lw[i] > 0 ? (((double)d + 0.5) / RF_TEAM_DRAWS - cum) / (lw[i] / z) : 0.5;
                pi[d++] = ((double)i + fmin(fmax(f, 0), 1)) / KIND_GRID;
            }
            cum = next;
            if (i == KIND_GRID - 1)
                while (d < RF_TEAM_DRAWS)
                    pi[d++] = 1 - 0.5 / KIND_GRID;
        }
        for (size_t m = 0; m < nm; m++) {
            if (w[m] < 0)
                continue;
            double post = 0; /* P(member m is the role's person | every member) */
            for (size_t i = 0; i < KIND_GRID; i++) {
                double x = (i + 0.5) / KIND_GRID;
                post += lw[i] / z * x * lr[m] / (x * lr[m] + 1 - x);
            }
            /* the prior weight whose posterior, on this member's answers, is post */
            double odds = post / fmax(1 - post, 1e-300) / lr[m];
            w[m] = fmin(fmax(odds / (1 + odds), 1e-9), 1 - 1e-9);
        }
    } else {
        for (size_t m = 0; m < nm; m++)
            w[m] = -1;
    }
    free(lr);
    free(lw);
    return rc;
}
