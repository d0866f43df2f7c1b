/* Unit tests of the ranking objective of the adaptive engine (cat/session.h
 * nobj: a posting's test): each item is the one whose answer most lowers the
 * expected posterior variance of the weighted count of requirements met,
 * computed here by brute force; an OR-group's alternative counts only as
 * far as the others miss; the optional stop; bad objectives refused in one
 * line; the session file round trip. */
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

#define NPER 40

static struct rf_cat_item items[2 * NPER];
static char ids[2 * NPER][32];

/* Two skills s1, s2 of NPER items each: 2PL a ~ U(0.8, 1.8), b ~ U(-2.5,
 * 2.5), every fifth a 4-category graded item. */
static struct rf_cat_pool *make_pool(void)
{
    struct rf_rng r;
    rf_rng_seed(&r, 23);
    for (size_t k = 0; k < 2 * NPER; k++) {
        snprintf(ids[k], sizeof ids[k], "s%zu.o.%03zu", k / NPER + 1, k % NPER + 1);
        items[k].id = ids[k];
        items[k].skill = k < NPER ? "s1" : "s2";
        double a = 0.8 + rf_rng_uniform(&r), b = -2.5 + 5 * rf_rng_uniform(&r);
        if (k % 5 == 4) {
            double thr[3] = {b - 0.8, b, b + 0.8};
            rf_irt_item_grm(&items[k].irt, a, thr, 4);
        } else {
            rf_irt_item_dich(&items[k].irt, RF_MODEL_2PL, a, b, 0);
        }
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

/* Both skills, independent priors, randomesque 1, minimum min per skill;
 * requirements: 0 = s1 >= 0.8 (weight 3), 1 = s2 >= -0.2 (weight 1),
 * 2 = s1 >= 0 or s2 >= 0.5 (weight 2). */
static void objective_design(struct rf_cat_design *d, const struct rf_cat_pool *p, size_t min)
{
    struct rf_err err;
    rf_cat_design_init(d);
    d->max_items = 20;
    d->randomesque = 1;
    d->stop_unreachable = 0;
    struct rf_cat_rule rule = {0.3, min, 20};
    cr_assert_eq(rf_cat_design_add(d, p, "s1", rule, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(d, p, "s2", rule, &err), RF_OK);
    static const size_t req[4] = {0, 1, 2, 2}, sk[4] = {0, 1, 0, 1};
    static const double cut[4] = {0.8, -0.2, 0.0, 0.5}, w[3] = {3, 1, 2};
    for (size_t t = 0; t < 4; t++) {
        d->obj_req[t] = req[t];
        d->obj_skill[t] = sk[t];
        d->obj_cut[t] = cut[t];
    }
    memcpy(d->obj_w, w, sizeof w);
    d->nobj = 4;
    d->nobjreq = 3;
    cr_assert_eq(rf_cat_design_check(d, p, &err), RF_OK, "%s", err.msg);
}

/* P(theta >= cut) of a posterior on the grid, each node's mass spread over its cell. */
static double tail_of(const struct rf_cat_pool *p, const double *post, double cut)
{
    double h = p->q.x[1] - p->q.x[0], t = 0;
    for (size_t q = 0; q < p->q.n; q++) {
        double f = (p->q.x[q] + 0.5 * h - cut) / h;
        t += f >= 1 ? post[q] : f > 0 ? f * post[q] : 0;
    }
    return t;
}

/* E[score] from the two skills' posteriors, alternatives independent. */
static double score(const struct rf_cat_pool *p, const double *p1, const double *p2)
{
    double a = tail_of(p, p1, 0.8), b = tail_of(p, p2, -0.2);
    double c = 1 - (1 - tail_of(p, p1, 0.0)) * (1 - tail_of(p, p2, 0.5));
    return 3 * a + b + 2 * c;
}

/* Brute force: Var over item i's answer of E[score | answer]. */
static double value(const struct rf_cat_pool *p, const double *p1, const double *p2, size_t i)
{
    size_t nq = p->q.n;
    double e0 = score(p, p1, p2), v = 0, upd[RF_QUAD_MAX_N];
    const double *post = i < NPER ? p1 : p2;
    for (size_t k = 0; k < p->irt[i].ncat; k++) {
        const double *pt = p->ptab + p->poff[i] + k * nq;
        double px = 0;
        for (size_t q = 0; q < nq; q++)
            px += post[q] * pt[q];
        for (size_t q = 0; q < nq; q++)
            upd[q] = post[q] * pt[q] / px;
        double e = i < NPER ? score(p, upd, p2) : score(p, p1, upd);
        v += px * (e - e0) * (e - e0);
    }
    return v;
}

Test(cat_objective, each_item_most_lowers_the_scores_variance)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    objective_design(&d, p, 0);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 5, &s, &err), RF_OK, "%s", err.msg);
    unsigned char used[2 * NPER] = {0};
    static const size_t answers[8] = {1, 0, 1, 1, 0, 2, 1, 0};
    size_t nskill[2] = {0, 0};
    for (size_t step = 0; step < 8; step++) {
        struct rf_cat_skill_result r1, r2;
        rf_cat_skill(s, 0, &r1);
        rf_cat_skill(s, 1, &r2);
        size_t best = SIZE_MAX;
        double best_v = -1;
        for (size_t i = 0; i < 2 * NPER; i++) {
            double v = used[i] ? -1 : value(p, r1.posterior, r2.posterior, i);
            if (v > best_v + 1e-12) {
                best_v = v;
                best = i;
            }
        }
        size_t item;
        rf_cat_next(s, &item);
        cr_assert_eq(item, best, "step %zu: item %zu, the largest reduction is %zu's (%.6f)", step,
                     item, best, best_v);
        used[item] = 1;
        nskill[item >= NPER]++;
        size_t k = answers[step] < p->irt[item].ncat ? answers[step] : 1;
        cr_assert_eq(rf_cat_answer(s, item, k), RF_OK);
    }
    cr_assert(nskill[0] > 0 && nskill[1] > 0, "both skills asked (%zu, %zu)", nskill[0], nskill[1]);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

/* A session of d (seed 7) answered right until it finishes. */
static struct rf_cat_session *run_right(const struct rf_cat_pool *p, const struct rf_cat_design *d)
{
    struct rf_err err;
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, d, 7, &s, &err), RF_OK, "%s", err.msg);
    size_t item;
    for (;;) {
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        cr_assert_eq(rf_cat_answer(s, item, p->irt[item].ncat - 1), RF_OK);
    }
    return s;
}

Test(cat_objective, minimums_first_runs_to_the_cap_or_stops_when_items_add_little)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    objective_design(&d, p, 3);
    /* Minimums first: the first six items, three per skill. */
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 7, &s, &err), RF_OK, "%s", err.msg);
    size_t n[2] = {0, 0}, item;
    for (size_t k = 0; k < 6; k++) {
        rf_cat_next(s, &item);
        n[item >= NPER]++;
        cr_assert_eq(rf_cat_answer(s, item, 0), RF_OK);
    }
    cr_assert(n[0] == 3 && n[1] == 3, "%zu and %zu", n[0], n[1]);
    rf_cat_session_free(s);
    /* Without a stop: to the cap, whatever the answers. */
    s = run_right(p, &d);
    cr_assert_eq(rf_cat_nanswered(s), 20);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_MAX_ITEMS);
    rf_cat_session_free(s);
    /* With a stop: everything right settles every requirement early. */
    d.obj_stop = 1e-4;
    s = run_right(p, &d);
    size_t len = rf_cat_nanswered(s);
    cr_assert(len >= 6 && len < 20, "%zu items", len);
    cr_assert_eq(rf_cat_stopped(s), RF_CAT_STOP_TARGET);
    rf_cat_session_free(s);
    /* Bad objectives are refused in one line. */
    d.obj_skill[1] = 2;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "term 1"), "%s", err.msg);
    d.obj_skill[1] = 1;
    d.obj_w[2] = 0;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "requirement 2"), "%s", err.msg);
    d.obj_w[2] = 2;
    d.obj_stop = -1;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "stop"), "%s", err.msg);
    d.obj_stop = 0;
    d.nreqs = 1;
    cr_assert_eq(rf_cat_design_check(&d, p, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "confirm"), "%s", err.msg);
    rf_cat_pool_free(p);
}

Test(cat_objective, the_session_file_keeps_the_objective)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_err err;
    struct rf_cat_design d;
    objective_design(&d, p, 1);
    d.obj_stop = 2e-4;
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 3, &s, &err), RF_OK, "%s", err.msg);
    size_t item;
    for (size_t k = 0; k < 5; k++) {
        rf_cat_next(s, &item);
        cr_assert_eq(rf_cat_answer(s, item, k % 2), RF_OK);
    }
    check_state_text(p, s, NULL, NULL); /* the server's stored form, objective included */
    json_t *j;
    cr_assert_eq(rf_cat_session_to_json(s, &j, &err), RF_OK, "%s", err.msg);
    const json_t *o = json_object_get(json_object_get(j, "design"), "objective");
    cr_assert_eq(json_array_size(json_object_get(o, "terms")), 4);
    struct rf_cat_session *back;
    cr_assert_eq(rf_cat_session_from_json(p, j, "test", &back, &err), RF_OK, "%s", err.msg);
    const struct rf_cat_design *bd = rf_cat_session_design(back);
    cr_assert_eq(bd->nobj, 4);
    cr_assert_eq(bd->nobjreq, 3);
    cr_assert(bd->obj_stop == 2e-4 && bd->obj_cut[3] == 0.5 && bd->obj_w[0] == 3);
    for (size_t k = 0; k < 6; k++) {
        size_t a, b;
        rf_cat_next(s, &a);
        rf_cat_next(back, &b);
        cr_assert_eq(a, b, "step %zu: the same next item", k);
        if (a == SIZE_MAX)
            break;
        cr_assert_eq(rf_cat_answer(s, a, 1), RF_OK);
        cr_assert_eq(rf_cat_answer(back, b, 1), RF_OK);
    }
    rf_cat_session_free(back);
    /* A malformed objective is refused, naming it. */
    json_object_set_new((json_t *)o, "terms", json_pack("[[i, i]]", 0, 1));
    cr_assert_eq(rf_cat_session_from_json(p, j, "test", &back, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "objective.terms[0]"), "%s", err.msg);
    json_decref(j);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}
