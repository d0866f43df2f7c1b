/* Session files: exact restore (same next items, bit-identical posteriors,
 * with randomesque and exposure blocks in the log), and refusal of every kind
 * of mismatch between a session and the bank. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/rng.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/quad.h"
#include "statetext.h"

static struct rf_cat_gen G;

static struct rf_cat_pool *pool(void)
{
    static const char *names[] = {"alg", "prob"};
    struct rf_err err;
    cr_assert_eq(rf_cat_generate(names, 2, 120, RF_MODEL_3PL, 3, &G, &err), RF_OK);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(G.items, G.n, &q, &p, &err), RF_OK, "%s", err.msg);
    rf_quad_cleanup(&q);
    for (size_t i = 0; i < p->n; i += 3)
        p->sh[i] = 0.5; /* exposure control refuses some items: blocks enter the log */
    return p;
}

static int with_model; /* start_with mixes class 0 into a lambda = 0.7 prior */
static int with_all;   /* and then every class instead, at lambda 0 (find my role) */
static int with_pop;   /* and a test kind's latent distribution as the population */

static struct rf_cat_session *start_with(const struct rf_cat_pool *p, int classes)
{
    struct rf_cat_design d;
    rf_cat_design_init(&d);
    d.exposure = 1;
    d.max_items = 30;
    d.stop_unreachable = 0; /* keep going: a long log */
    struct rf_err err;
    struct rf_cat_rule r = {0.25, 2, 20};
    cr_assert_eq(rf_cat_design_add(&d, p, "alg", r, &err), RF_OK);
    cr_assert_eq(rf_cat_design_add(&d, p, "prob", r, &err), RF_OK);
    d.class_focus = classes > 2;
    for (int c = 0; c < classes; c++) {
        struct rf_cat_class_skill dist[2] = {{-1.0 + c, 0.5}, {0.5 * c, c % 2 ? 0.0 : 0.4}};
        cr_assert_eq(rf_cat_design_add_class(&d, dist, &err), RF_OK, "%s", err.msg);
    }
    if (with_model) {
        rf_cat_design_set_prior(&d, 0.7, 0, 0.3);
        d.decide[0] = 1; /* a requirement far above: decided "below" after its minimum */
        d.cut[0] = 3.0;
        d.decide_p = 0.9; /* a role test's threshold, from the 4th item on */
        d.decide_after = 4;
        if (with_all) {
            rf_cat_design_set_prior(&d, 0.0, 0, 0.3);
            d.prior_all = 1;
        }
        if (with_pop) {
            d.pop_mu[0] = 0.5, d.pop_tau[0] = 0.8;
            d.pop_mu[1] = -0.2, d.pop_tau[1] = 1.1;
        }
    }
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_new(p, &d, 77, &s, &err), RF_OK);
    return s;
}

static struct rf_cat_session *start(const struct rf_cat_pool *p)
{
    return start_with(p, 0);
}

static size_t step(struct rf_cat_session *s, struct rf_rng *r)
{
    size_t item;
    rf_cat_next(s, &item);
    if (item != SIZE_MAX)
        cr_assert_eq(rf_cat_answer(s, item, rf_rng_uniform(r) < 0.55), RF_OK);
    return item;
}

static int compact; /* roundtrip writes the compact form (the server's) */

static json_t *roundtrip(const struct rf_cat_session *s)
{
    json_t *j;
    struct rf_err err;
    cr_assert_eq((compact ? rf_cat_session_to_json_compact : rf_cat_session_to_json)(s, &j, &err),
                 RF_OK);
    char *text = json_dumps(j, JSON_REAL_PRECISION(17));
    json_decref(j);
    json_t *back = json_loads(text, 0, NULL);
    free(text);
    cr_assert_not_null(back);
    return back;
}

static void restores_exactly(int classes)
{
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start_with(p, classes);
    struct rf_rng ra, rb;
    rf_rng_seed(&ra, 1);
    /* at least 9 answers, and on until the log has an exposure block */
    for (int i = 0; i < 9 || (rf_cat_nblocked(a) == 0 && i < 25); i++)
        step(a, &ra);
    size_t presented, n = rf_cat_nanswered(a);
    rf_cat_next(a, &presented); /* saved while an item is on screen */
    cr_assert_gt(rf_cat_nblocked(a), 0, "the log has exposure blocks");
    cr_assert_neq(presented, SIZE_MAX, "saved mid-test");
    json_t *j = roundtrip(a);
    cr_assert_eq(json_integer_value(json_object_get(j, "version")), with_model ? 2 : 1);
    cr_assert_eq(json_object_get(json_object_get(j, "design"), "loadings") != NULL, with_model);
    struct rf_cat_session *b;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_OK, "%s", err.msg);
    json_decref(j);
    cr_assert_eq(rf_cat_session_design(b)->decide_p, rf_cat_session_design(a)->decide_p);
    cr_assert_eq(rf_cat_session_design(b)->decide_after, rf_cat_session_design(a)->decide_after);
    size_t again;
    rf_cat_next(b, &again);
    cr_assert_eq(again, presented, "the presented item comes back");
    cr_assert_eq(rf_cat_nanswered(b), n, "b answered %zu of %zu", rf_cat_nanswered(b), n);
    rb = ra;
    /* both continue with the same answers: the same items, the same estimates */
    for (;;) {
        size_t ia = step(a, &ra), ib = step(b, &rb);
        cr_assert_eq(ia, ib, "after restore the sessions diverge at %zu", rf_cat_nanswered(a));
        if (ia == SIZE_MAX)
            break;
    }
    for (size_t k = 0; k < 2; k++) {
        struct rf_cat_skill_result x, y;
        rf_cat_skill(a, k, &x);
        rf_cat_skill(b, k, &y);
        cr_assert(x.theta == y.theta && x.se == y.se, "skill %zu: bit-identical estimates", k);
        cr_assert_eq(memcmp(x.posterior, y.posterior, p->q.n * sizeof(double)), 0);
    }
    cr_assert_eq(rf_cat_stopped(a), rf_cat_stopped(b));
    rf_cat_session_free(b);
    /* a finished session restores finished */
    j = roundtrip(a);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_OK, "%s", err.msg);
    json_decref(j);
    rf_cat_next(b, &again);
    cr_assert_eq(again, SIZE_MAX);
    rf_cat_session_free(b);
    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

Test(cat_sessfile, restores_exactly)
{
    restores_exactly(0);
}

/* A classification objective travels with the session: the restored one
 * picks the same items, which it could not without the classes. */
Test(cat_sessfile, restores_exactly_with_classes)
{
    restores_exactly(3);
}

/* The model's prior travels too (version 2): loadings and the prior class;
 * the restored posteriors are bit-identical. */
Test(cat_sessfile, restores_exactly_with_the_model_prior)
{
    with_model = 1;
    restores_exactly(3);
    with_model = 0;
}

/* Every class mixed into the prior (a find-my-role test) travels as
 * {"all": true}; a bad "all" is refused with a message naming it. */
Test(cat_sessfile, restores_exactly_with_every_class_in_the_prior)
{
    with_model = with_all = 1;
    restores_exactly(3);
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start_with(p, 3);
    with_model = with_all = 0;
    json_t *j = roundtrip(a);
    json_t *pc = json_object_get(json_object_get(j, "design"), "prior_class");
    cr_assert(json_is_true(json_object_get(pc, "all")));
    cr_assert_null(json_object_get(pc, "class"));
    struct rf_cat_session *b;
    struct rf_err err;
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_OK, "%s", err.msg);
    cr_assert(rf_cat_session_design(b)->prior_all);
    rf_cat_session_free(b);
    json_object_set_new(pc, "all", json_false());
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s.json") && strstr(err.msg, "'all'"), "%s", err.msg);
    json_decref(j);
    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

Test(cat_sessfile, classes_are_written_and_checked)
{
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start_with(p, 3);
    json_t *j = roundtrip(a);
    cr_assert(json_is_true(json_object_get(json_object_get(j, "design"), "class_focus")));
    json_decref(j);
    rf_cat_session_free(a);
    a = start_with(p, 2);
    j = roundtrip(a);
    cr_assert_null(json_object_get(json_object_get(j, "design"), "class_focus"), "only when set");
    json_t *cl = json_object_get(json_object_get(j, "design"), "classes");
    cr_assert_eq(json_array_size(cl), 2);
    cr_assert_eq(json_array_size(json_array_get(cl, 0)), 2, "one entry per scope skill");
    json_t *e = json_array_get(json_array_get(cl, 1), 0);
    cr_assert(json_is_array(e) && json_real_value(json_array_get(e, 0)) == 0.0 &&
                  json_real_value(json_array_get(e, 1)) == 0.5,
              "a class skill is [mu, tau]");
    cr_assert(json_is_null(json_array_get(json_array_get(cl, 1), 1)), "the population is null");
    json_decref(j);

    j = roundtrip(a);
    json_array_remove(json_array_get(json_object_get(json_object_get(j, "design"), "classes"), 0),
                      1);
    struct rf_cat_session *b = NULL;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s.json: design: classes[0]: expected one entry per scope skill"),
              "%s", err.msg);
    json_decref(j);

    j = roundtrip(a);
    e = json_array_get(json_array_get(json_object_get(json_object_get(j, "design"), "classes"), 0),
                       1);
    json_array_set_new(e, 1, json_real(-0.5));
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "classes[0]") && strstr(err.msg, "spread of 0"), "%s", err.msg);
    json_decref(j);

    j = roundtrip(a);
    json_array_set_new(json_array_get(json_object_get(json_object_get(j, "design"), "classes"), 0),
                       0, json_string("wide"));
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "s.json: design: classes[0][0]: expected null or [mu, tau]"), "%s",
              err.msg);
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(json_object_get(j, "design"), "class_focus", json_string("yes"));
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "field 'class_focus': expected true or false"), "%s", err.msg);
    cr_assert_null(b);
    json_decref(j);
    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

Test(cat_sessfile, save_and_load_a_file)
{
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start(p), *b;
    struct rf_rng r;
    rf_rng_seed(&r, 2);
    for (int i = 0; i < 5; i++)
        step(a, &r);
    char path[] = "/tmp/rf_sessXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_session_save(a, path, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_cat_session_load(p, path, &b, &err), RF_OK, "%s", err.msg);
    size_t x, y;
    rf_cat_next(a, &x);
    rf_cat_next(b, &y);
    cr_assert_eq(x, y);
    rf_cat_session_free(b);
    FILE *f = fopen(path, "w");
    fputs("{\"format\": \"rolefit-session\",", f);
    fclose(f);
    cr_assert_eq(rf_cat_session_load(p, path, &b, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, path) && strstr(err.msg, ":1:"), "syntax error placed: %s", err.msg);
    unlink(path);
    cr_assert_eq(rf_cat_session_load(p, path, &b, &err), RF_EIO);
    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

/* Restores a modified copy of a saved session and expects a refusal whose
 * message contains want. */
static void refused(const struct rf_cat_pool *p, json_t *j, const char *want)
{
    struct rf_cat_session *b = NULL;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_cat_session_from_json(p, j, "s.json", &b, &err);
    cr_assert_eq(rc, RF_EINVAL, "want a refusal naming '%s', got rc %d (%s)", want, rc, err.msg);
    cr_assert_null(b);
    cr_assert(strstr(err.msg, want), "message '%s' lacks '%s'", err.msg, want);
    cr_assert(strncmp(err.msg, "s.json", 6) == 0, "message names the file: %s", err.msg);
}

static json_t *answered_event(json_t *j, size_t *at)
{
    json_t *ev = json_object_get(j, "events");
    for (size_t e = 0; e < json_array_size(ev); e++)
        if (json_object_get(json_array_get(ev, e), "answer")) {
            *at = e;
            return json_array_get(ev, e);
        }
    cr_assert_fail("no answer in the log");
    return NULL;
}

Test(cat_sessfile, refuses_sessions_that_do_not_match)
{
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start(p);
    struct rf_rng r;
    rf_rng_seed(&r, 3);
    for (int i = 0; i < 6; i++)
        step(a, &r);
    json_t *j;
    size_t at;

    j = roundtrip(a);
    json_object_set_new(answered_event(j, &at), "item", json_string("alg.gen.9999"));
    refused(p, j, "item 'alg.gen.9999' is not in the bank");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(answered_event(j, &at), "answer", json_integer(2));
    refused(p, j, "out of range");
    json_decref(j);

    j = roundtrip(a);
    json_t *ev = answered_event(j, &at);
    json_object_set_new(json_object_get(ev, "params"), "b", json_real(0.123));
    refused(p, j, "parameters in the bank changed");
    json_decref(j);

    j = roundtrip(a);
    ev = answered_event(j, &at);
    json_array_append(json_object_get(j, "events"), ev);
    refused(p, j, "appears twice");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(json_object_get(j, "grid"), "n", json_integer(41));
    refused(p, j, "grid: the session used 41 nodes");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(json_array_get(json_object_get(json_object_get(j, "design"), "scope"), 1),
                        "skill", json_string("nope"));
    refused(p, j, "unknown skill 'nope'");
    json_decref(j);

    j = roundtrip(a);
    json_array_set_new(json_object_get(j, "rng"), 2, json_string("xyz"));
    refused(p, j, "rng[2]");
    json_decref(j);

    j = roundtrip(a);
    json_object_del(j, "events");
    refused(p, j, "field 'events'");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(j, "format", json_string("other"));
    refused(p, j, "not a rolefit session");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(json_object_get(j, "design"), "randomesque", json_integer(0));
    refused(p, j, "randomesque");
    json_decref(j);

    j = roundtrip(a);
    json_object_set_new(j, "presented", json_string("prob.gen.0001.x"));
    refused(p, j, "presented item 'prob.gen.0001.x' is not in the bank");
    json_decref(j);

    /* an item the bank has retired since */
    j = roundtrip(a);
    ev = answered_event(j, &at);
    size_t idx;
    cr_assert_eq(rf_cat_pool_find(p, json_string_value(json_object_get(ev, "item")), &idx), RF_OK);
    for (size_t i = 0; i < G.n; i++)
        G.items[i].usable = i != idx;
    struct rf_quad q;
    struct rf_err err;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p2;
    cr_assert_eq(rf_cat_pool_new(G.items, G.n, &q, &p2, &err), RF_OK);
    refused(p2, j, "retired");
    rf_cat_pool_free(p2);
    rf_quad_cleanup(&q);
    json_decref(j);

    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

/* The compact form the server stores with every answer: a digest of each
 * answered item's parameters in place of them. It restores exactly, as the
 * full form does, is about half the size, and is refused when an answered
 * item's parameters changed since, or its digest is malformed. */
Test(cat_sessfile, the_compact_form_restores_exactly)
{
    compact = 1;
    restores_exactly(0);
    with_model = 1;
    restores_exactly(3);
    with_model = 0;
    compact = 0;
}

/* The state the server stores, written as text without a tree, against the
 * compact tree it replaced (statetext.h: the same tree back, the same
 * restore) at every step of whole sessions: no classes, classes, the
 * model's prior with a decided requirement, every class in the prior, a
 * test kind's population. */
Test(cat_sessfile, the_state_text_is_the_compact_tree)
{
    struct rf_cat_pool *p = pool();
    size_t old_len = 0, new_len = 0, states = 0;
    for (int design = 0; design < 5; design++) {
        with_model = design >= 2;
        with_all = design == 3;
        with_pop = design == 4;
        struct rf_cat_session *s = start_with(p, design ? 3 : 0);
        struct rf_rng r;
        rf_rng_seed(&r, 40 + (uint64_t)design);
        do {
            check_state_text(p, s, &old_len, &new_len);
            states++;
        } while (step(s, &r) != SIZE_MAX);
        check_state_text(p, s, &old_len, &new_len); /* finished */
        rf_cat_session_free(s);
    }
    with_model = with_all = with_pop = 0;
    cr_log_info("state text: %zu states, %zu bytes as the tree wrote them, %zu as text", states,
                old_len, new_len);
    cr_assert_gt(states, 40);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

Test(cat_sessfile, the_compact_form_is_smaller_and_checks_the_parameters)
{
    struct rf_cat_pool *p = pool();
    struct rf_cat_session *a = start(p);
    struct rf_rng r;
    rf_rng_seed(&r, 3);
    for (int i = 0; i < 12; i++)
        step(a, &r);
    json_t *full = roundtrip(a);
    compact = 1;
    json_t *j = roundtrip(a);
    compact = 0;
    size_t at;
    json_t *ev = answered_event(j, &at);
    cr_assert_null(json_object_get(ev, "params"));
    cr_assert_eq(strlen(json_string_value(json_object_get(ev, "p"))), 16);
    char *tf = json_dumps(full, JSON_COMPACT | JSON_REAL_PRECISION(17));
    char *tc = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(17));
    cr_assert_lt(strlen(tc) * 10, strlen(tf) * 6, "compact %zu bytes, full %zu", strlen(tc),
                 strlen(tf));
    free(tf);
    free(tc);
    json_decref(full);

    /* an answered item's parameters changed in the bank since */
    size_t idx;
    cr_assert_eq(rf_cat_pool_find(p, json_string_value(json_object_get(ev, "item")), &idx), RF_OK);
    double b = p->irt[idx].b;
    p->irt[idx].b = b + 0.125;
    refused(p, j, "parameters in the bank changed");
    p->irt[idx].b = b;
    struct rf_cat_session *back = NULL;
    struct rf_err err;
    cr_assert_eq(rf_cat_session_from_json(p, j, "s.json", &back, &err), RF_OK, "%s", err.msg);
    rf_cat_session_free(back);

    json_object_set_new(ev, "p", json_string("not-a-digest"));
    refused(p, j, "field 'p'");
    json_decref(j);
    rf_cat_session_free(a);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&G);
}

/* A session file written by an earlier build (tests/fixtures/cat/session.json,
 * also the fuzz corpus seed) still restores: the format is stable. */
Test(cat_sessfile, fixture_of_format_version_1_restores)
{
    static const char *names[] = {"alg", "prob"};
    struct rf_cat_gen g;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_cat_generate(names, 2, 40, RF_MODEL_2PL, 1, &g, &err), RF_OK);
    struct rf_quad q;
    cr_assert_eq(rf_quad_init_default(&q, &err), RF_OK);
    struct rf_cat_pool *p;
    cr_assert_eq(rf_cat_pool_new(g.items, g.n, &q, &p, &err), RF_OK);
    struct rf_cat_session *s;
    cr_assert_eq(rf_cat_session_load(p, "tests/fixtures/cat/session.json", &s, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(rf_cat_nanswered(s), 7);
    cr_assert_gt(rf_cat_nblocked(s), 0);
    cr_assert_neq(rf_cat_pending(s), SIZE_MAX, "saved with a question on screen");
    rf_cat_session_free(s);
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
    rf_cat_gen_cleanup(&g);
}
