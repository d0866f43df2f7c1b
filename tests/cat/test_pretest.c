/* Pretest seeding in the adaptive engine (cat/session.h, docs/calibration.md
 * "Pretest items"): unscored items come at their positions (or after the last
 * scored item), and the scored items, their answers, every posterior and the
 * stopping reason are bit for bit those of the same design and seed without
 * them, whether the pretest items are answered right or wrong; each pretest
 * answer keeps its skill's posterior mean and SD at the time; a session file
 * restores the pretest state exactly; bad pretest designs are refused naming
 * the item. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "base/rng.h"
#include "cat/pool.h"
#include "cat/pretest.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "irt/quad.h"
#include "statetext.h"

#define NSK 3
#define NPER 40
#define NPRE 6 /* per skill, unusable in the pool: pretest items */
#define N (NSK * (NPER + NPRE))

static struct rf_cat_item items[N];
static char ids[N][32], skills[NSK][8];

static struct rf_cat_pool *make_pool(void)
{
    struct rf_rng r;
    rf_rng_seed(&r, 1919);
    size_t k = 0;
    for (size_t s = 0; s < NSK; s++) {
        snprintf(skills[s], sizeof skills[s], "s%zu", s + 1);
        for (size_t i = 0; i < NPER + NPRE; i++, k++) {
            snprintf(ids[k], sizeof ids[k], "s%zu.%s.%03zu", s + 1, i < NPER ? "op" : "pre", i);
            items[k].id = ids[k];
            items[k].skill = skills[s];
            double a = 0.8 + 1.2 * rf_rng_uniform(&r), b = 1.5 * rf_rng_normal(&r);
            rf_irt_item_dich(&items[k].irt, RF_MODEL_3PL, a, b, 0.2);
            items[k].usable = i < NPER;
            items[k].enemy = NULL;
        }
    }
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p = NULL;
    cr_assert_eq(rf_cat_pool_new(items, N, &q, &p, &err), RF_OK, "%s", err.msg);
    rf_quad_cleanup(&q);
    return p;
}

static size_t pre_item(size_t skill, size_t j)
{
    return skill * (NPER + NPRE) + NPER + j;
}

static void design(const struct rf_cat_pool *p, struct rf_cat_design *d, size_t max)
{
    struct rf_err err;
    rf_cat_design_init(d);
    d->max_items = max;
    d->randomesque = 4;
    for (size_t s = 0; s < NSK; s++)
        cr_assert_eq(rf_cat_design_add(d, p, skills[s], (struct rf_cat_rule){0.35, 2, max}, &err),
                     RF_OK, "%s", err.msg);
}

/* What a test gives: the scored items and answers, each skill's result. */
struct run {
    size_t n, item[64], k[64];
    double theta[NSK], se[NSK];
    size_t count[NSK];
    enum rf_cat_stop stop;
    size_t npre, pre_pos[RF_CAT_MAX_PRETEST], pre_item[RF_CAT_MAX_PRETEST];
    double pre_theta[RF_CAT_MAX_PRETEST], pre_sd[RF_CAT_MAX_PRETEST];
    size_t total; /* questions asked, pretest included */
};

/* A deterministic examinee: right on a scored item when its id's hash with
 * the person's salt says so; pretest items all right (pre_right) or all wrong. */
static size_t respond(const struct rf_cat_pool *p, size_t item, unsigned salt)
{
    unsigned h = salt;
    for (const char *c = p->ids[item]; *c; c++)
        h = h * 31u + (unsigned char)*c;
    return (h >> 3) % 5 < 3;
}

static void run_test(const struct rf_cat_pool *p, const struct rf_cat_design *d, uint64_t seed,
                     unsigned salt, int pre_right, int restore_at, struct run *out)
{
    struct rf_cat_session *s;
    struct rf_err err;
    cr_assert_eq(rf_cat_session_new(p, d, seed, &s, &err), RF_OK, "%s", err.msg);
    memset(out, 0, sizeof *out);
    for (size_t step = 0;; step++) {
        size_t item;
        rf_cat_next(s, &item);
        /* through a session file with the item presented, as the server stores it */
        if ((int)step == restore_at) {
            check_state_text(p, s, NULL, NULL); /* the server's stored form, pretest included */
            json_t *j;
            cr_assert_eq(rf_cat_session_to_json(s, &j, &err), RF_OK);
            char *text = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
            json_decref(j);
            j = json_loads(text, 0, NULL);
            free(text);
            rf_cat_session_free(s);
            cr_assert_eq(rf_cat_session_from_json(p, j, "restored", &s, &err), RF_OK, "%s",
                         err.msg);
            json_decref(j);
            size_t again;
            rf_cat_next(s, &again);
            cr_assert_eq(again, item, "the restored session presents the same item");
        }
        if (item == SIZE_MAX)
            break;
        out->total++;
        size_t k;
        if (rf_cat_pending_pretest(s)) {
            cr_assert(!p->usable[item]);
            out->pre_pos[out->npre++] = out->total;
            k = (size_t)pre_right;
        } else {
            cr_assert(p->usable[item]);
            k = respond(p, item, salt);
            out->item[out->n] = item;
            out->k[out->n++] = k;
        }
        cr_assert_eq(rf_cat_answer(s, item, k), RF_OK, "%s", rf_cat_errmsg(s));
    }
    for (size_t j = 0; j < NSK; j++) {
        struct rf_cat_skill_result r;
        rf_cat_skill(s, j, &r);
        out->theta[j] = r.theta;
        out->se[j] = r.se;
        out->count[j] = r.items;
    }
    out->stop = rf_cat_stopped(s);
    cr_assert_eq(rf_cat_npretest_answered(s), out->npre);
    for (size_t j = 0; j < out->npre; j++) {
        size_t k;
        rf_cat_pretest_answer(s, j, &out->pre_item[j], &k, &out->pre_theta[j], &out->pre_sd[j]);
        cr_assert_eq(k, (size_t)pre_right);
    }
    rf_cat_session_free(s);
}

static void assert_same_scored(const struct run *a, const struct run *b, const char *what)
{
    cr_assert_eq(a->n, b->n, "%s: %zu scored items vs %zu", what, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        cr_assert(a->item[i] == b->item[i] && a->k[i] == b->k[i], "%s: scored item %zu differs",
                  what, i + 1);
    for (size_t j = 0; j < NSK; j++)
        cr_assert(a->theta[j] == b->theta[j] && a->se[j] == b->se[j] && a->count[j] == b->count[j],
                  "%s: skill %zu differs: %.17g/%.17g vs %.17g/%.17g", what, j, a->theta[j],
                  a->se[j], b->theta[j], b->se[j]);
    cr_assert_eq(a->stop, b->stop, "%s: stop differs", what);
}

Test(pretest, scored_result_identical_with_and_without_pretest)
{
    struct rf_cat_pool *p = make_pool();
    for (unsigned person = 0; person < 40; person++) {
        struct rf_cat_design plain, seeded;
        size_t max = 12 + person % 10;
        design(p, &plain, max);
        seeded = plain;
        /* 3 pretest items; the last position lies past most tests' end */
        seeded.npretest = 3;
        seeded.pretest[0] = (uint32_t)pre_item(person % NSK, person % NPRE);
        seeded.pretest[1] = (uint32_t)pre_item((person + 1) % NSK, (person + 2) % NPRE);
        seeded.pretest[2] = (uint32_t)pre_item((person + 2) % NSK, (person + 4) % NPRE);
        seeded.pretest_at[0] = 1 + person % 3;
        seeded.pretest_at[1] = 5 + person % 4;
        seeded.pretest_at[2] = (uint32_t)(max + 3);
        struct run r0, r_right, r_wrong, r_restored;
        uint64_t seed = 1000 + person;
        run_test(p, &plain, seed, person, 0, -1, &r0);
        run_test(p, &seeded, seed, person, 1, -1, &r_right);
        run_test(p, &seeded, seed, person, 0, -1, &r_wrong);
        /* restored at a step that is often a pretest item's (1..3, 5..8) */
        run_test(p, &seeded, seed, person, 1, (int)(person % 9), &r_restored);
        assert_same_scored(&r0, &r_right, "pretest answered right");
        assert_same_scored(&r0, &r_wrong, "pretest answered wrong");
        assert_same_scored(&r0, &r_restored, "restored from a session file");
        cr_assert_eq(r0.npre, 0);
        cr_assert_eq(r_right.npre, 3, "every pretest item is asked");
        cr_assert_eq(r_right.total, r0.total + 3);
        /* at its position, or after the last scored item */
        for (size_t j = 0; j < 3; j++) {
            size_t want = seeded.pretest_at[j] < r0.n + j + 1 ? seeded.pretest_at[j] : r0.n + j + 1;
            cr_assert_eq(r_right.pre_pos[j], want, "person %u: pretest %zu at %zu, want %zu",
                         person, j, r_right.pre_pos[j], want);
            cr_assert_eq(r_right.pre_item[j], seeded.pretest[j]);
        }
        /* the posterior kept with each answer does not depend on the pretest answers */
        for (size_t j = 0; j < 3; j++) {
            cr_assert(r_right.pre_theta[j] == r_wrong.pre_theta[j] &&
                      r_right.pre_sd[j] == r_wrong.pre_sd[j]);
            cr_assert(r_right.pre_theta[j] == r_restored.pre_theta[j] &&
                      r_right.pre_sd[j] == r_restored.pre_sd[j]);
            cr_assert(r_right.pre_sd[j] > 0 && r_right.pre_sd[j] <= 1.0);
        }
        /* the first pretest item before any scored answer of its skill keeps the prior */
        if (r_right.pre_pos[0] == 1)
            cr_assert(fabs(r_right.pre_theta[0]) < 1e-9 && fabs(r_right.pre_sd[0] - 1) < 1e-3);
    }
    rf_cat_pool_free(p);
}

Test(pretest, posterior_kept_is_the_skills_at_the_time)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_cat_design d;
    design(p, &d, 20);
    for (size_t j = 0; j < NSK; j++)
        d.rule[j].se = 0.1; /* runs to its limit */
    d.npretest = 1;
    d.pretest[0] = (uint32_t)pre_item(1, 0);
    d.pretest_at[0] = 9;
    struct rf_cat_session *s;
    struct rf_err err;
    cr_assert_eq(rf_cat_session_new(p, &d, 7, &s, &err), RF_OK, "%s", err.msg);
    double want_t = NAN, want_sd = NAN;
    for (;;) {
        size_t item;
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        if (rf_cat_pending_pretest(s)) {
            struct rf_cat_skill_result r;
            rf_cat_skill(s, 1, &r);
            want_t = r.theta;
            want_sd = r.se;
            cr_assert_eq(rf_cat_nanswered(s), 8, "asked as the 9th question");
        }
        cr_assert_eq(rf_cat_answer(s, item, respond(p, item, 3)), RF_OK);
    }
    size_t item, k;
    double t, sd;
    rf_cat_pretest_answer(s, 0, &item, &k, &t, &sd);
    cr_assert(t == want_t && sd == want_sd && sd < 1.0, "kept %g/%g, the skill had %g/%g", t, sd,
              want_t, want_sd);
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
}

Test(pretest, bad_designs_are_refused_naming_the_item)
{
    struct rf_cat_pool *p = make_pool();
    struct rf_cat_design d, x;
    struct rf_err err;
    design(p, &d, 10);
    struct rf_cat_session *s = NULL;

    x = d; /* a scored item */
    x.npretest = 1;
    x.pretest[0] = 0;
    x.pretest_at[0] = 1;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s1.op.000") && strstr(err.msg, "scored"), "%s", err.msg);

    x = d; /* positions not increasing */
    x.npretest = 2;
    x.pretest[0] = (uint32_t)pre_item(0, 0);
    x.pretest[1] = (uint32_t)pre_item(0, 1);
    x.pretest_at[0] = 4;
    x.pretest_at[1] = 4;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s1.pre.041") && strstr(err.msg, "position 4"), "%s", err.msg);

    x = d; /* beyond the test */
    x.npretest = 1;
    x.pretest[0] = (uint32_t)pre_item(0, 0);
    x.pretest_at[0] = 12;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "1..11"), "%s", err.msg);

    x = d; /* twice */
    x.npretest = 2;
    x.pretest[0] = x.pretest[1] = (uint32_t)pre_item(2, 3);
    x.pretest_at[0] = 1;
    x.pretest_at[1] = 2;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s3.pre.043") && strstr(err.msg, "twice"), "%s", err.msg);

    /* outside the scope: a design over skill s1 only */
    rf_cat_design_init(&x);
    x.max_items = 10;
    cr_assert_eq(rf_cat_design_add(&x, p, "s1", (struct rf_cat_rule){0.3, 2, 10}, &err), RF_OK);
    x.npretest = 1;
    x.pretest[0] = (uint32_t)pre_item(1, 0);
    x.pretest_at[0] = 1;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s2.pre.040") && strstr(err.msg, "outside the scope"), "%s", err.msg);

    /* a stored session whose pretest item is not the next one */
    x = d;
    x.npretest = 1;
    x.pretest[0] = (uint32_t)pre_item(0, 0);
    x.pretest_at[0] = 1;
    cr_assert_eq(rf_cat_session_new(p, &x, 1, &s, &err), RF_OK, "%s", err.msg);
    size_t item;
    rf_cat_next(s, &item);
    cr_assert_eq(rf_cat_answer(s, item, 1), RF_OK);
    json_t *j;
    cr_assert_eq(rf_cat_session_to_json(s, &j, &err), RF_OK);
    rf_cat_session_free(s);
    json_t *pa = json_array_get(json_object_get(j, "pretest_answers"), 0);
    cr_assert(pa);
    json_object_set_new(pa, "item", json_string("s1.pre.041"));
    struct rf_cat_session *r = NULL;
    cr_assert_eq(rf_cat_session_from_json(p, j, "stored", &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "pretest_answers[0]") && strstr(err.msg, "s1.pre.041"), "%s",
              err.msg);
    json_object_set_new(pa, "item", json_string("s1.pre.040"));
    json_object_set_new(pa, "sd", json_real(0));
    cr_assert_eq(rf_cat_session_from_json(p, j, "stored", &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "SD"), "%s", err.msg);
    json_decref(j);
    rf_cat_pool_free(p);
}

/* Pools from a bank (cat/pool.h): a skill with fewer than RF_POOL_SPLIT_MIN
 * items placed by the rule serves both pools; a larger one is split, each
 * item in exactly one; a "pool" field places an item whatever the size. */
Test(pretest, small_skills_are_not_split)
{
    char *json = malloc(1 << 16);
    size_t n = (size_t)snprintf(json, 1 << 16, "{\"items\":[");
    for (int i = 0; i < 5 + 40; i++)
        n += (size_t)snprintf(
            json + n, (1 << 16) - n,
            "%s{\"id\":\"%s.t.%03d\",\"skill\":\"%s\",\"type\":\"mcq\",\"stem\":\"Q\","
            "\"options\":[\"a\",\"b\",\"c\",\"d\"],\"key\":0,\"model\":\"3pl\",\"a\":1,"
            "\"b\":0,\"c\":0.25%s}",
            i ? "," : "", i < 5 ? "small" : "big", i, i < 5 ? "small" : "big",
            i == 0 ? ",\"pool\":\"operational\"" : "");
    snprintf(json + n, (1 << 16) - n, "]}");
    struct rf_bank b;
    struct rf_err err;
    rf_bank_init(&b);
    cr_assert_eq(rf_bank_load_mem("m.json", json, strlen(json), &b, &err), RF_OK, "%s", err.msg);
    free(json);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *pp, *op;
    cr_assert_eq(
        rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED | RF_CAT_POOL_PRACTICE, &q, &pp, &err), RF_OK,
        "%s", err.msg);
    cr_assert_eq(
        rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED | RF_CAT_POOL_OPERATIONAL, &q, &op, &err),
        RF_OK, "%s", err.msg);
    size_t both = 0, one = 0;
    for (size_t i = 0; i < b.n; i++) {
        if (i == 0) /* placed by its field */
            cr_assert(!pp->usable[i] && op->usable[i]);
        else if (i < 5)
            cr_assert(pp->usable[i] && op->usable[i], "small skill item %zu in both pools", i);
        both += pp->usable[i] && op->usable[i];
        one += i >= 5 && pp->usable[i] + op->usable[i] == 1;
    }
    cr_assert_eq(both, 4, "only the small skill's rule-placed items are in both");
    cr_assert_eq(one, 40, "the big skill is split");
    rf_cat_pool_free(pp);
    rf_cat_pool_free(op);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&b);
}

/* Pretest batches (cat/pretest.h): per skill the items nearest their target
 * first, ties in bank order; items past the target only to fill the batch,
 * fewest answers first; skills apart; batch 0 all live. */
static void check_batch(size_t n, const size_t *skill, const int64_t *ans, size_t batch,
                        int64_t target, const char *want)
{
    unsigned char live[16];
    char got[17];
    rf_cat_pretest_batch(n, skill, ans, batch, target, live);
    for (size_t i = 0; i < n; i++)
        got[i] = live[i] ? '1' : '0';
    got[n] = '\0';
    cr_assert_str_eq(got, want, "batch %zu, target %lld: live %s, want %s", batch,
                     (long long)target, got, want);
}

Test(pretest, batch_rotates_by_stored_counts)
{
    static const size_t one[6] = {0, 0, 0, 0, 0, 0};
    /* nothing answered yet: the first in bank order */
    check_batch(6, one, (const int64_t[]){0, 0, 0, 0, 0, 0}, 3, 1000, "111000");
    /* the most answered below the target first; ties in bank order */
    check_batch(6, one, (const int64_t[]){0, 10, 999, 5, 10, 0}, 3, 1000, "011010");
    /* an item at its target leaves and the next (most answers, then order) enters */
    check_batch(6, one, (const int64_t[]){1000, 999, 998, 0, 0, 0}, 3, 1000, "011100");
    check_batch(6, one, (const int64_t[]){1000, 1200, 1000, 3, 0, 0}, 3, 1000, "000111");
    /* fewer items below the target than places: the least answered past it fill them */
    check_batch(6, one, (const int64_t[]){1500, 1000, 1200, 1001, 0, 2000}, 3, 1000, "010110");
    check_batch(6, one, (const int64_t[]){1500, 1000, 1200, 1001, 1000, 2000}, 2, 1000, "010010");
    /* no target: the most answered stay; no batch: all */
    check_batch(6, one, (const int64_t[]){5, 3000, 7, 0, 7, 0}, 2, 0, "011000");
    check_batch(6, one, (const int64_t[]){5, 3000, 7, 0, 7, 0}, 0, 1000, "111111");
    /* each skill its own batch */
    static const size_t two[7] = {0, 1, 0, 1, 1, 0, 2};
    check_batch(7, two, (const int64_t[]){0, 4, 9, 0, 0, 0, 1000}, 1, 1000, "0110001");
    check_batch(7, two, (const int64_t[]){0, 4, 9, 0, 0, 0, 1000}, 2, 1000, "1111001");
}
