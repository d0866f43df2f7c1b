/* Unit tests of the confirm stage of the adaptive engine (cat/session.h
 * nreqs, rf_cat_carry): items chosen by information at the cut of the
 * undecided requirement nearest a decision, the stop rule (every requirement decided, a
 * skill's maximum, the overall cap), carried answers that inform the
 * posterior without counting as this session's evidence, and the session
 * file round trip. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/rng.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "irt/quad.h"
#include "statetext.h"

#define NPER 60

static struct rf_cat_item items[2 * NPER];
static char ids[2 * NPER][32];

/* Two skills s1, s2 of NPER 2PL items each, a ~ U(0.8, 1.8), b ~ U(-2.5, 2.5). */
static struct rf_cat_pool *make_pool(void)
{
    struct rf_rng r;
    rf_rng_seed(&r, 11);
    for (size_t k = 0; k < 2 * NPER; k++) {
        snprintf(ids[k], sizeof ids[k], "s%zu.c.%03zu", k / NPER + 1, k % NPER + 1);
        items[k].id = ids[k];
        items[k].skill = k < NPER ? "s1" : "s2";
        rf_irt_item_dich(&items[k].irt, RF_MODEL_2PL, 0.8 + rf_rng_uniform(&r),
                         -2.5 + 5 * rf_rng_uniform(&r), 0);
        items[k].usable = 1;
        items[k].enemy = NULL;
    }
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p = NULL;
    cr_assert_eq(rf_cat_pool_new(items, 2 * NPER, &q, &p, &err), RF_OK, "%s", err.msg);
    rf_quad_cleanup(&q);
    return p;
}

/* Both skills, a mixture prior of the population and two classes (as find my
 * role's), requirements (skill, cut) as given; randomesque 1. */
static void confirm_design(struct rf_cat_design *d, const struct rf_cat_pool *p, const size_t *rs,
                           const double *cuts, size_t nreqs, size_t max_items)
{
    struct rf_err err;
    rf_cat_design_init(d);
    d->max_items = max_items;
    d->randomesque = 1;
    d->stop_unreachable = 0;
    struct rf_cat_rule rule = {0.3, 0, 4};
    cr_assert_eq(rf_cat_design_add(d, p, "s1", rule, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(d, p, "s2", rule, &err), RF_OK);
    struct rf_cat_class_skill hi[2] = {{1.5, 0.5}, {1.0, 0.5}}, lo[2] = {{-1.0, 0.5}, {0, 0}};
    cr_assert_eq(rf_cat_design_add_class(d, hi, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add_class(d, lo, &err), RF_OK);
    d->prior_all = 1;
    d->prior_weight = 0.3;
    d->decide_p = 0.9;
    for (size_t r = 0; r < nreqs; r++) {
        d->req_skill[r] = rs[r];
        d->req_cut[r] = cuts[r];
    }
    d->nreqs = nreqs;
    cr_assert_eq(rf_cat_design_check(d, p, &err), RF_OK, "%s", err.msg);
}

/* P(theta_j >= cut) from the session's posterior, each node's mass spread over its cell. */
static double tail(const struct rf_cat_session *s, size_t j, double cut)
{
    const struct rf_cat_pool *p = rf_cat_session_pool(s);
    struct rf_cat_skill_result r;
    rf_cat_skill(s, j, &r);
    double h = p->q.x[1] - p->q.x[0], t = 0;
    for (size_t q = 0; q < p->q.n; q++) {
        double f = (p->q.x[q] + 0.5 * h - cut) / h;
        t += f >= 1 ? r.posterior[q] : f > 0 ? f * r.posterior[q] : 0;
    }
    return t;
}

/* The available item of skill j (pool index range) most informative at cut. */
static size_t best_at(const struct rf_cat_pool *p, size_t lo, size_t hi, double cut,
                      const unsigned char *used)
{
    size_t best = SIZE_MAX;
    for (size_t i = lo; i < hi; i++)
        if (!used[i] &&
            (best == SIZE_MAX || rf_cat_info(&p->irt[i], cut) > rf_cat_info(&p->irt[best], cut)))
            best = i;
    return best;
}

Test(cat_confirm, items_are_most_informative_at_the_cut_of_the_requirement_nearest_a_decision)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    /* s1 at a high cut: from the prior P is small but not decided at 0.9 */
    size_t rs[1] = {0};
    double cuts[1] = {0.8};
    confirm_design(&d, p, rs, cuts, 1, 12);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK, "%s", err.msg);
    unsigned char used[2 * NPER] = {0};
    for (int step = 0; step < 3; step++) {
        size_t item;
        rf_cat_next(s, &item);
        cr_assert(item < NPER, "only the requirement's skill is asked (item %zu)", item);
        cr_assert_eq(item, best_at(p, 0, NPER, 0.8, used),
                     "step %d: the most informative at the cut", step);
        used[item] = 1;
        cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
    }
    rf_cat_session_free(s);
    /* Two requirements, both undecided: the one nearest a decision (P
     * farthest from 0.5) goes first. s2's cut at its prior median is at
     * about 0.5; s1's at 1.0 leans low, so it comes first. */
    size_t rs2[2] = {0, 1};
    double cuts2[2] = {1.0, 0.1};
    confirm_design(&d, p, rs2, cuts2, 2, 12);
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK, "%s", err.msg);
    double t0 = tail(s, 0, 1.0), t1 = tail(s, 1, 0.1);
    cr_assert(fabs(t1 - 0.5) < fabs(t0 - 0.5), "P %.3f vs %.3f", t0, t1);
    cr_assert(t0 > 0.1 && t0 < 0.9 && t1 > 0.1 && t1 < 0.9, "both undecided: %.3f, %.3f", t0, t1);
    size_t item;
    rf_cat_next(s, &item);
    memset(used, 0, sizeof used);
    cr_assert_eq(item, best_at(p, 0, NPER, 1.0, used), "s1's item at its cut (%zu)", item);
    /* Once s1 is decided, s2 (still undecided) takes the items. */
    size_t n1 = 0;
    while (item != SIZE_MAX && item < NPER && n1 < 4) {
        cr_assert_eq(rf_cat_answer(s, item, 0), RF_OK);
        n1++;
        rf_cat_next(s, &item);
    }
    cr_assert(tail(s, 0, 1.0) <= 0.1, "s1 decided below after %zu wrong answers: P %.3f", n1,
              tail(s, 0, 1.0));
    cr_assert(item >= NPER && item < 2 * NPER, "then s2's items (%zu)", item);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* A new session of d (seed 7) answered right (or, with alternate, right
 * and wrong in turn) until it finishes or has limit answers. */
static struct rf_cat_session *run(const struct rf_cat_pool *p, const struct rf_cat_design *d,
                                  int alternate, size_t limit)
{
    struct rf_err err;
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, d, 7, &s, &err), RF_OK, "%s", err.msg);
    size_t item;
    for (size_t k = 0; k < limit; k++) {
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        cr_assert_eq(rf_cat_answer(s, item, alternate ? k % 2 : 1), RF_OK);
    }
    return s;
}

Test(cat_confirm, stops_when_every_requirement_is_decided_or_at_a_cap)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    size_t rs[2] = {0, 1};
    double cuts[2] = {0.0, 0.0};
    confirm_design(&d, p, rs, cuts, 2, 20);
    d.rule[0].max = d.rule[1].max = 10;
    /* Everything right: both requirements are decided (P >= 0.9) before the cap. */
    struct rf_cat_session *s = run(p, &d, 0, SIZE_MAX);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_TARGET);
    cr_assert(rf_cat_nanswered(s) < 20, "%zu items", rf_cat_nanswered(s));
    for (size_t j = 0; j < 2; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        cr_assert_eq(r.state, RF_CAT_SKILL_DECIDED, "skill %zu state %d", j, (int)r.state);
        cr_assert(tail(s, j, 0.0) >= 0.9, "skill %zu P %.3f", j, tail(s, j, 0.0));
    }
    /* One item less would have left one undecided: the rule stops at the
     * first moment, not later. */
    size_t n = rf_cat_nanswered(s);
    rf_cat_session_free(s);
    s = run(p, &d, 0, n - 1);
    cr_assert(tail(s, 0, 0.0) < 0.9 || tail(s, 1, 0.0) < 0.9, "undecided one item before");
    rf_cat_session_free(s);
    /* Answers that keep P near 0.5 (alternating): each skill takes its
     * maximum (4 here), then the session ends with both calls unsettled. */
    d.rule[0].max = d.rule[1].max = 4;
    s = run(p, &d, 1, SIZE_MAX);
    cr_assert_eq(rf_cat_nanswered(s), 8);
    struct rf_cat_skill_result r;
    rf_cat_skill(s, 0, &r);
    cr_assert_eq(r.state, RF_CAT_SKILL_MAX);
    rf_cat_session_free(s);
    /* The overall cap. */
    d.max_items = 3;
    s = run(p, &d, 1, SIZE_MAX);
    cr_assert_eq(rf_cat_nanswered(s), 3);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_MAX_ITEMS);
    rf_cat_session_free(s);
    /* Bad requirements are refused in one line. */
    d.req_skill[1] = 2;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "requirement 1"), "%s", err.msg);
    d.req_skill[1] = 1;
    d.req_cut[0] = NAN;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    rf_cat_pool_free(p);
}

Test(cat_confirm, carried_answers_inform_but_are_not_this_sessions_evidence)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    size_t rs[2] = {0, 1};
    double cuts[2] = {0.5, 0.5};
    confirm_design(&d, p, rs, cuts, 2, 10);
    /* Earlier answers: 5 on s1 (right), 3 on s2 (wrong). */
    size_t carried[8] = {2, 9, 17, 30, 44, NPER + 3, NPER + 20, NPER + 41};
    size_t cat[8] = {1, 1, 1, 1, 1, 0, 0, 0};
    struct rf_cat_session *s, *all;
    cr_assert_eq(rf_cat_session_new(p, &d, 9, &s, &err), RF_OK);
    for (size_t k = 0; k < 8; k++)
        cr_assert_eq(rf_cat_carry(s, carried[k], cat[k], &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_nanswered(s), 0, "carried answers are not counted");
    cr_assert_eq(rf_cat_carry(s, carried[0], 1, &err), RF_EINVAL, "twice");
    /* The posterior is the one of all the answers... */
    struct rf_cat_design plain = d;
    plain.nreqs = 0;
    plain.max_items = 30;
    plain.rule[0].max = plain.rule[1].max = 30;
    cr_assert_eq(rf_cat_session_new(p, &plain, 9, &all, &err), RF_OK);
    for (size_t k = 0; k < 8; k++)
        cr_assert_eq(rf_cat_replay(all, carried[k], cat[k], &err), RF_OK, "%s", err.msg);
    size_t item;
    rf_cat_next(s, &item);
    for (size_t k = 0; k < 8; k++)
        cr_assert_neq(item, carried[k], "a carried item is never given");
    cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
    cr_assert_eq(rf_cat_replay(all, item, 1, &err), RF_OK, "%s", err.msg);
    struct rf_cat_skill_result a, b;
    for (size_t j = 0; j < 2; j++) {
        rf_cat_skill(s, j, &a);
        rf_cat_skill(all, j, &b);
        for (size_t q = 0; q < p->q.n; q++)
            cr_assert_float_eq(a.posterior[q], b.posterior[q], 1e-12, "skill %zu node %zu", j, q);
    }
    /* ... but this session's evidence is its own answer alone (up to a constant). */
    size_t j = p->skill[item];
    rf_cat_skill(s, j, &a);
    cr_assert_eq(a.items, 1);
    double ll[RF_QUAD_MAX_N];
    rf_cat_skill_loglik(s, j, ll);
    const double *pt = p->ptab + p->poff[item] + 1 * p->q.n;
    double c0 = ll[0] - log(pt[0]);
    for (size_t q = 0; q < p->q.n; q++)
        cr_assert_float_eq(ll[q] - log(pt[q]), c0, 1e-9, "node %zu", q);
    rf_cat_skill_loglik(s, 1 - j, ll);
    for (size_t q = 1; q < p->q.n; q++)
        cr_assert_float_eq(ll[q], ll[0], 1e-9, "the other skill: nothing of its own");
    /* After an answer, carrying is refused; without a model, always. */
    cr_assert_eq(rf_cat_carry(s, 50, 1, &err), RF_ECONFLICT);
    rf_cat_session_free(all);
    struct rf_cat_design nomodel = d;
    nomodel.prior_weight = 0;
    cr_assert_eq(rf_cat_session_new(p, &nomodel, 9, &all, &err), RF_OK);
    cr_assert_eq(rf_cat_carry(all, 2, 1, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "model"), "%s", err.msg);
    rf_cat_session_free(all);
    /* The session file keeps the carried answers apart and restores bit for bit. */
    check_state_text(p, s, NULL, NULL); /* the server's stored form: carried, requirements */
    json_t *j1;
    cr_assert_eq(rf_cat_session_to_json(s, &j1, &err), RF_OK);
    const json_t *ev0 = json_array_get(json_object_get(j1, "events"), 0);
    cr_assert(json_is_true(json_object_get(ev0, "carried")));
    cr_assert_eq(json_array_size(json_object_get(json_object_get(j1, "design"), "requirements")),
                 2);
    struct rf_cat_session *back;
    cr_assert_eq(rf_cat_session_from_json(p, j1, "test", &back, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_nanswered(back), 1);
    size_t n1, n2;
    rf_cat_next(s, &n1);
    rf_cat_next(back, &n2);
    cr_assert_eq(n1, n2, "the same next item");
    rf_cat_skill(back, j, &b);
    rf_cat_skill(s, j, &a);
    for (size_t q = 0; q < p->q.n; q++)
        cr_assert(a.posterior[q] == b.posterior[q], "node %zu", q);
    json_object_set_new((json_t *)ev0, "carried", json_false());
    rf_cat_session_free(back);
    cr_assert_eq(rf_cat_session_from_json(p, j1, "test", &back, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "carried"), "%s", err.msg);
    json_decref(j1);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}
