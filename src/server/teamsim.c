/*
 * Simulated teams: members tested with the server's role tests, the next
 * hire from their profiles against the next hire from the truth
 * (server/teamsim.h).
 */
#include "server/teamsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/rng.h"
#include "careers/closest.h"
#include "careers/profile.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "server/roletest.h"

struct per_team {
    unsigned char right, right_gain, nbest;
    unsigned char tied, right_tied; /* a near tie; the suggestion or a near tie truly best */
    double said_best; /* the suggestion's stated chance of being the best */
    size_t members, items;
    double said, truth, brier; /* sums over the deployment roles */
};

struct study {
    const struct rf_cat_pool *p;
    const struct rf_rolesim_truth *t;
    const struct rf_careers *c;
    const struct rf_team_spec *s;
    const struct rf_teamsim_opts *o;
    struct rf_cat_design *designs; /* one per role of c */
    struct per_team *pt;
};

/* Calibration sums in integers (stated values in units of 1e-9), so that
 * the totals do not depend on how teams were split among threads. */
struct calib_acc {
    uint64_t n[5][RF_TEAMSIM_BINS], said[5][RF_TEAMSIM_BINS], truth[5][RF_TEAMSIM_BINS];
};

static void calib_add(struct calib_acc *a, size_t which, double said, int truth)
{
    size_t b = said >= 1 ? RF_TEAMSIM_BINS - 1 : said <= 0 ? 0 : (size_t)(said * RF_TEAMSIM_BINS);
    a->n[which][b]++;
    a->said[which][b] += (uint64_t)llround(said * 1e9);
    a->truth[which][b] += truth != 0;
}

struct job {
    const struct study *st;
    size_t lo, hi;
    struct calib_acc acc;
    rf_status rc;
    struct rf_err err;
};

/* Scratch of one thread. */
struct work {
    struct rf_cat_session **ses; /* one per role */
    struct rf_profile pr[RF_TEAMSIM_MAX_SIZE]; /* the members' */
    size_t role[RF_TEAMSIM_MAX_SIZE];          /* the role of each member's test */
    double role_w[RF_TEAMSIM_MAX_SIZE];        /* rf_team_role_weights */
    double pi[RF_TEAM_DRAWS];                  /* the same */
    double *truth;               /* [nskills] */
    double *pm, *tm;             /* [RF_TEAMSIM_MAX_SIZE * nroles] */
    int *meas;                   /* [RF_TEAMSIM_MAX_SIZE * nroles] */
    uint64_t *draws;             /* [RF_TEAMSIM_MAX_SIZE * RF_TEAM_DRAWS] */
    double *pt;                  /* [RF_TEAMSIM_MAX_SIZE * ntasks] */
    double *rc, *tc;             /* coverage scratch */
    struct rf_team_hire *he, *ht;
};

/* Draws the person of role r into w->truth; r NULL: a person of the
 * population (N(0, 1) on every skill). */
static void draw_person(const struct rf_careers *c, const struct rf_role *r, int with_g,
                        double *truth, struct rf_rng *g)
{
    double gen = with_g ? rf_rng_normal(g) : 0;
    for (size_t k = 0; k < c->tax.nskills; k++) {
        const struct rf_role_req *q = r ? rf_role_req_find(r, k) : NULL;
        double z = rf_rng_normal(g), l = with_g ? c->tax.skills[k].loading : 0;
        z = l * gen + sqrt(1 - l * l) * z;
        if (q) {
            double mu, tau;
            rf_closest_level_dist(&c->tax, k, q->level, &mu, &tau);
            truth[k] = mu + RF_ROLESIM_ROLE_SD * z;
        } else {
            truth[k] = z;
        }
    }
}

/* Takes role ri's test with true skills truth; leaves the profile in *pr. */
static rf_status take_test(const struct study *st, struct work *w, size_t ri,
                           const double *truth, struct rf_rng *g, size_t *items,
                           struct rf_profile *pr, struct rf_err *err)
{
    const struct rf_cat_pool *p = st->p;
    struct rf_cat_session *s = w->ses[ri];
    rf_cat_session_reset(s, rf_rng_next(g));
    for (;;) {
        size_t item, k;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        double th;
        if (rf_taxonomy_find(&st->c->tax, p->skills[p->skill[item]], &k))
            th = rf_rng_normal(g);
        else
            th = truth[k];
        rf_status rc = rf_cat_answer(s, item, rf_cat_sim_draw(&st->t->irt[item], th, g));
        if (rc)
            return rf_err_set(err, rc, "team simulation: %s", rf_cat_errmsg(s));
    }
    *items = rf_cat_nanswered(s);
    rf_profile_cleanup(pr);
    return rf_roletest_profile(s, &st->c->roles, pr, NULL, err);
}

/* Whether hire row a is among the best of the sorted hires h (same gain and,
 * unless by_gain, the same task gain as the first). */
static int among_best(const struct rf_team_spec *s, const struct rf_team_hire *h, size_t role,
                      int by_gain)
{
    for (size_t i = 0; i < s->nroles; i++) {
        if (by_gain ? fabs(h[i].gain - h[0].gain) > 1e-9
                    : fabs(rf_team_hire_value(s, &h[i]) - rf_team_hire_value(s, &h[0])) > 1e-9)
            break;
        if (h[i].role == role)
            return 1;
    }
    return 0;
}

static rf_status team(const struct study *st, struct work *w, size_t i, struct calib_acc *acc,
                      struct rf_err *err)
{
    const struct rf_careers *c = st->c;
    const struct rf_team_spec *s = st->s;
    const struct rf_teamsim_opts *o = st->o;
    size_t nr = c->roles.n;
    struct rf_rng g;
    rf_rng_substream(&g, o->seed, i);
    size_t nm = o->min_size + (size_t)rf_rng_below(&g, o->max_size - o->min_size + 1);
    struct per_team *pt = &st->pt[i];
    struct rf_rng dg; /* the product's draws of the members, a stream of their own */
    rf_rng_substream(&dg, o->seed ^ RF_TEAM_DRAW_SEED, i);
    memset(pt, 0, sizeof *pt);
    pt->members = nm;
    for (size_t m = 0; m < nm; m++) { /* every member takes a test */
        size_t ri = s->roles[rf_rng_below(&g, s->nroles)], items = 0;
        int person = o->members == RF_TEAMSIM_ROLE_PEOPLE ||
                     (o->members == RF_TEAMSIM_MIX && rf_rng_below(&g, 2) == 0);
        draw_person(c, person ? &c->roles.roles[ri] : NULL, o->with_g, w->truth, &g);
        rf_status rc = take_test(st, w, ri, w->truth, &g, &items, &w->pr[m], err);
        if (rc)
            return rc;
        w->role[m] = ri;
        pt->items += items;
        for (size_t r = 0; r < nr; r++) {
            const struct rf_role *role = &c->roles.roles[r];
            int met = 1;
            for (size_t k = 0; k < role->nreqs && met; k++)
                if (role->reqs[k].core)
                    met = w->truth[role->reqs[k].skill] >= role->reqs[k].cut;
            w->tm[m * nr + r] = met;
        }
    }
    /* then the product reads them as the team view does: who they are from
     * all of them, each member's roles from their own answers */
    rf_status rc = rf_team_role_weights(w->pr, nm, w->role_w, w->pi, err);
    for (size_t m = 0; !rc && m < nm; m++) {
        rc = rf_team_member_draws(c, s, &w->pr[m], w->role_w[m], w->pi, w->pm + m * nr,
                                  w->meas + m * nr, NULL, w->pt + m * c->tax.ntasks,
                                  rf_rng_next(&dg), w->draws + m * RF_TEAM_DRAWS, err);
        if (!rc)
            calib_add(acc, 4, w->pm[m * nr + w->role[m]], w->tm[m * nr + w->role[m]] > 0.5);
    }
    if (rc)
        return rc;
    if ((rc = rf_team_next_hires(c, s, w->pm, w->pt, nm, w->he, err)) ||
        (rc = rf_team_next_hires(c, s, w->tm, NULL, nm, w->ht, err)))
        return rc;
    rf_team_hire_chances(c, s, w->draws, nm, w->he);
    pt->right = (unsigned char)among_best(s, w->ht, w->he[0].role, 0);
    pt->right_tied = pt->right;
    for (size_t k = 1; k < s->nroles; k++)
        if (w->he[k].near_tie) {
            pt->tied = 1;
            pt->right_tied |= (unsigned char)among_best(s, w->ht, w->he[k].role, 0);
        }
    pt->said_best = w->he[0].p_best;
    for (size_t k = 0; k < s->nroles; k++)
        pt->nbest += among_best(s, w->ht, s->roles[k], 0);
    pt->right_gain = (unsigned char)among_best(s, w->ht, w->he[0].role, 1);
    double *tc = w->tc, *rc_true = w->rc + nr;
    rf_team_coverage(c, s, w->pm, w->pt, nm, (size_t)-1, w->rc, tc);
    rf_team_coverage(c, s, w->tm, NULL, nm, (size_t)-1, rc_true, tc);
    for (size_t k = 0; k < s->nroles; k++) {
        double a = w->rc[s->roles[k]], b = rc_true[s->roles[k]];
        pt->said += a;
        pt->truth += b;
        pt->brier += (a - b) * (a - b);
        int some = 0;
        for (size_t m = 0; m < nm; m++) {
            size_t cell = m * nr + s->roles[k];
            some |= w->meas[cell];
            calib_add(acc, 2 + !w->meas[cell], w->pm[cell], w->tm[cell] > 0.5);
        }
        calib_add(acc, !some, a, b > 0.5);
    }
    return RF_OK;
}

static void work_free(struct work *w, size_t nr)
{
    for (size_t k = 0; w->ses && k < nr; k++)
        rf_cat_session_free(w->ses[k]);
    free(w->ses);
    for (size_t m = 0; m < RF_TEAMSIM_MAX_SIZE; m++)
        rf_profile_cleanup(&w->pr[m]);
    free(w->truth);
    free(w->pm);
    free(w->tm);
    free(w->meas);
    free(w->draws);
    free(w->pt);
    free(w->rc);
    free(w->tc);
    free(w->he);
    free(w->ht);
}

static void *worker(void *arg)
{
    struct job *j = arg;
    const struct study *st = j->st;
    const struct rf_careers *c = st->c;
    size_t nr = c->roles.n;
    struct work w;
    memset(&w, 0, sizeof w);
    for (size_t m = 0; m < RF_TEAMSIM_MAX_SIZE; m++)
        if ((j->rc = rf_profile_init(&w.pr[m], st->p->q.lo, st->p->q.hi, st->p->q.n, &j->err))) {
            work_free(&w, nr);
            return NULL;
        }
    if (!(w.ses = rf_calloc_array(nr, sizeof(struct rf_cat_session *))) ||
        !(w.truth = rf_calloc_array(c->tax.nskills, sizeof *w.truth)) ||
        !(w.pm = rf_calloc_array(RF_TEAMSIM_MAX_SIZE * nr, sizeof *w.pm)) ||
        !(w.tm = rf_calloc_array(RF_TEAMSIM_MAX_SIZE * nr, sizeof *w.tm)) ||
        !(w.meas = rf_calloc_array(RF_TEAMSIM_MAX_SIZE * nr, sizeof *w.meas)) ||
        !(w.draws = rf_calloc_array((size_t)RF_TEAMSIM_MAX_SIZE * RF_TEAM_DRAWS, sizeof *w.draws)) ||
        !(w.pt = rf_calloc_array(RF_TEAMSIM_MAX_SIZE * c->tax.ntasks, sizeof *w.pt)) ||
        !(w.rc = rf_calloc_array(2 * nr, sizeof *w.rc)) ||
        !(w.tc = rf_calloc_array(c->tax.ntasks, sizeof *w.tc)) ||
        !(w.he = rf_calloc_array(st->s->nroles, sizeof *w.he)) ||
        !(w.ht = rf_calloc_array(st->s->nroles, sizeof *w.ht)))
        j->rc = rf_err_set(&j->err, RF_ENOMEM, "team simulation: out of memory");
    for (size_t k = 0; k < st->s->nroles && !j->rc; k++) {
        size_t ri = st->s->roles[k];
        j->rc = rf_cat_session_new(st->p, &st->designs[ri], 0, &w.ses[ri], &j->err);
    }
    for (size_t i = j->lo; i < j->hi && !j->rc; i++)
        j->rc = team(st, &w, i, &j->acc, &j->err);
    work_free(&w, nr);
    return NULL;
}

rf_status rf_teamsim_run(const struct rf_cat_pool *p, const struct rf_rolesim_truth *t,
                         const struct rf_careers *c, const struct rf_team_spec *s,
                         const struct rf_teamsim_opts *o, struct rf_teamsim_result *r,
                         struct rf_err *err)
{
    if (o->nteams == 0)
        return rf_err_set(err, RF_EINVAL, "team simulation: no teams");
    if (o->members != RF_TEAMSIM_ROLE_PEOPLE && o->members != RF_TEAMSIM_POPULATION &&
        o->members != RF_TEAMSIM_MIX)
        return rf_err_set(err, RF_EINVAL, "team simulation: unknown kind of members %d",
                          o->members);
    if (!(o->min_size >= 1 && o->min_size <= o->max_size && o->max_size <= RF_TEAMSIM_MAX_SIZE))
        return rf_err_set(err, RF_EINVAL,
                          "team simulation: team sizes %zu..%zu, expected 1 <= min <= max <= %d",
                          o->min_size, o->max_size, RF_TEAMSIM_MAX_SIZE);
    if (t->n != p->n)
        return rf_err_set(err, RF_EINVAL, "team simulation: truth for %zu items, the pool has %zu",
                          t->n, p->n);
    size_t nr = c->roles.n;
    struct study st = {p, t, c, s, o, NULL, NULL};
    st.designs = rf_calloc_array(nr, sizeof *st.designs);
    st.pt = rf_calloc_array(o->nteams, sizeof *st.pt);
    rf_status rc = RF_OK;
    if (!st.designs || !st.pt)
        rc = rf_err_set(err, RF_ENOMEM, "team simulation: out of memory");
    for (size_t k = 0; k < s->nroles && !rc; k++)
        rc = rf_roletest_design(&st.designs[s->roles[k]], p, &c->roles,
                                &c->roles.roles[s->roles[k]], err);
    if (!rc) {
        size_t nt = o->threads ? o->threads : 1;
        if (nt > o->nteams)
            nt = o->nteams;
        if (nt > RF_CAT_SIM_MAX_THREADS)
            nt = RF_CAT_SIM_MAX_THREADS;
        struct job *jobs = rf_calloc_array(RF_CAT_SIM_MAX_THREADS, sizeof *jobs);
        if (!jobs) {
            rc = rf_err_set(err, RF_ENOMEM, "team simulation: out of memory");
            goto out;
        }
        for (size_t k = 0; k < nt; k++) {
            jobs[k].st = &st;
            jobs[k].lo = o->nteams * k / nt;
            jobs[k].hi = o->nteams * (k + 1) / nt;
        }
        rc = rf_cat_sim_parallel(nt, worker, jobs, sizeof jobs[0], err);
        for (size_t k = 0; k < nt && !rc; k++)
            if (jobs[k].rc)
                rc = rf_err_set(err, jobs[k].rc, "%s", jobs[k].err.msg);
        memset(r, 0, sizeof *r);
        for (size_t which = 0; !rc && which < 5; which++) {
            struct rf_teamsim_calib *cal = which < 2   ? &r->cov[which]
                                           : which < 4 ? &r->member[which - 2]
                                                       : &r->own;
            for (size_t b = 0; b < RF_TEAMSIM_BINS; b++) {
                uint64_t n = 0, said = 0, truth = 0;
                for (size_t k = 0; k < nt; k++) {
                    n += jobs[k].acc.n[which][b];
                    said += jobs[k].acc.said[which][b];
                    truth += jobs[k].acc.truth[which][b];
                }
                cal->n[b] = (size_t)n;
                cal->said[b] = n ? (double)said * 1e-9 / (double)n : 0;
                cal->truth[b] = n ? (double)truth / (double)n : 0;
            }
        }
        free(jobs);
    }
    if (!rc) {
        size_t right = 0, right_gain = 0, items = 0, tied = 0, right_tied = 0;
        double said = 0, truth = 0, brier = 0, said_best = 0, chance = 0;
        for (size_t i = 0; i < o->nteams; i++) {
            right += st.pt[i].right;
            right_gain += st.pt[i].right_gain;
            tied += st.pt[i].tied;
            right_tied += st.pt[i].right_tied;
            r->nmembers += st.pt[i].members;
            items += st.pt[i].items;
            said += st.pt[i].said;
            truth += st.pt[i].truth;
            brier += st.pt[i].brier;
            said_best += st.pt[i].said_best;
            chance += (double)st.pt[i].nbest / (double)s->nroles;
        }
        double n = (double)o->nteams, cells = n * (double)s->nroles;
        r->nteams = o->nteams;
        r->hire_right = (double)right / n;
        r->hire_right_gain = (double)right_gain / n;
        r->hire_tied = (double)tied / n;
        r->hire_right_tied = (double)right_tied / n;
        r->hire_said = said_best / n;
        r->hire_chance = chance / n;
        r->cov_said = said / cells;
        r->cov_true = truth / cells;
        r->cov_brier = brier / cells;
        r->len_mean = (double)items / (double)r->nmembers;
    }
out:
    free(st.designs);
    free(st.pt);
    return rc;
}
