/* Profiles: reading, writing, building from posteriors, tails, malformed input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "careers/profile.h"

#define DATA "tests/careers/data/"

Test(profile, reads_fixture)
{
    struct rf_profile p;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_profile_load(DATA "alice.json", &p, &err), RF_OK, "%s", err.msg);
    cr_assert_str_eq(p.person, "alice");
    cr_assert_str_eq(p.source, "manual");
    cr_assert_eq(p.n, 61);
    cr_assert_eq(p.nskills, 3);
    const struct rf_profile_skill *dl = rf_profile_find(&p, "deep_learning");
    cr_assert_not_null(dl);
    cr_assert_float_eq(dl->theta, 0.41, 1e-12);
    cr_assert_float_eq(dl->se, 0.29, 1e-12);
    cr_assert_eq(dl->items, 7);
    cr_assert_null(dl->posterior);
    cr_assert_eq(dl->nmissed, 2);
    cr_assert_str_eq(dl->missed[0].item, "deep_learning.attention.003");
    cr_assert_eq(dl->missed[0].ntags, 2);
    cr_assert_str_eq(dl->missed[0].tags[1], "softmax");
    cr_assert_eq(rf_profile_find(&p, "software_engineering")->items, 0, "items defaults to 0");
    cr_assert_null(rf_profile_find(&p, "experimentation"));
    rf_profile_cleanup(&p);
}

Test(profile, roundtrip_through_file)
{
    struct rf_profile p, q;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_eq(rf_profile_init(&p, -4, 4, 41, &err), RF_OK);
    cr_assert_eq(rf_profile_set_person(&p, "bob", "assess", &err), RF_OK);
    double post[41];
    for (size_t i = 0; i < 41; i++) {
        double x = rf_profile_node(&p, i) - 0.7;
        post[i] = exp(-x * x); /* unnormalized on purpose */
    }
    size_t idx;
    cr_assert_eq(rf_profile_add_posterior(&p, "ml_fundamentals", 12, post, &idx, &err), RF_OK,
                 "%s", err.msg);
    const char *tags[] = {"leakage", "cross-validation"};
    cr_assert_eq(rf_profile_add_missed(&p, idx, "ml_fundamentals.validation.004", tags, 2, &err),
                 RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "sql", -0.5, 0.6, 3, NULL, NULL, &err), RF_OK);
    char path[] = "/tmp/rf_profile_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(rf_profile_save(&p, path, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_profile_load(path, &q, &err), RF_OK, "%s", err.msg);
    unlink(path);
    cr_assert_str_eq(q.person, "bob");
    cr_assert_str_eq(q.source, "assess");
    cr_assert_eq(q.n, 41);
    cr_assert_float_eq(q.lo, -4, 0);
    cr_assert_eq(q.nskills, 2);
    for (size_t k = 0; k < 2; k++) {
        cr_assert_str_eq(q.skills[k].skill, p.skills[k].skill);
        cr_assert_float_eq(q.skills[k].theta, p.skills[k].theta, 1e-15, "skill %zu", k);
        cr_assert_float_eq(q.skills[k].se, p.skills[k].se, 1e-15, "skill %zu", k);
        cr_assert_eq(q.skills[k].items, p.skills[k].items);
    }
    cr_assert_not_null(q.skills[0].posterior);
    for (size_t i = 0; i < 41; i++)
        cr_assert_float_eq(q.skills[0].posterior[i], p.skills[0].posterior[i], 1e-15);
    cr_assert_null(q.skills[1].posterior);
    cr_assert_eq(q.skills[0].nmissed, 1);
    cr_assert_str_eq(q.skills[0].missed[0].tags[1], "cross-validation");
    rf_profile_cleanup(&p);
    rf_profile_cleanup(&q);
}

/* A posterior proportional to exp(-(x-0.7)^2) is N(0.7, 0.5); on a grid of
 * step 0.2 its mean and SD are within 1e-6 of the continuous values. */
Test(profile, posterior_moments)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    double post[61];
    for (size_t i = 0; i < 61; i++) {
        double x = rf_profile_node(&p, i) - 0.7;
        post[i] = exp(-x * x);
    }
    struct rf_err err;
    cr_assert_eq(rf_profile_add_posterior(&p, "deep_learning", 5, post, NULL, &err), RF_OK);
    cr_assert_float_eq(p.skills[0].theta, 0.7, 1e-6);
    cr_assert_float_eq(p.skills[0].se, sqrt(0.5), 1e-6);
    double s = 0;
    for (size_t i = 0; i < 61; i++)
        s += p.skills[0].posterior[i];
    cr_assert_float_eq(s, 1.0, 1e-12);
    /* The grid tail of a posterior agrees with the normal tail to the
     * discretization error of a 0.2 grid, O(h^2 f'(cut)): at most 1.7e-3 here. */
    double cuts[] = {-1, 0, 0.35, 1, 2};
    for (size_t c = 0; c < 5; c++) {
        double exact = 0.5 * erfc((cuts[c] - 0.7) / (sqrt(0.5) * M_SQRT2));
        cr_assert_float_eq(rf_profile_tail(&p, &p.skills[0], cuts[c]), exact, 2.5e-3, "cut %g",
                           cuts[c]);
    }
    rf_profile_cleanup(&p);
}

Test(profile, tails_monotone_and_prior)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    cr_assert_eq(rf_profile_add_skill(&p, "a", 0.3, 0.4, 8, NULL, NULL, &err), RF_OK);
    double post[61];
    rf_profile_posterior(&p, &p.skills[0], post);
    cr_assert_eq(rf_profile_add_skill(&p, "b", 0.3, 0.4, 8, post, NULL, &err), RF_OK);
    /* Not measured: the prior N(0,1): P(theta >= 0) = 0.5, P(theta >= 1) = 0.158655. */
    cr_assert_float_eq(rf_profile_tail(&p, NULL, 0.0), 0.5, 1e-12);
    cr_assert_float_eq(rf_profile_tail(&p, NULL, 1.0), 0.158655254, 1e-8);
    double prev_a = 2, prev_b = 2;
    for (double c = -7; c <= 7; c += 0.05) {
        double ta = rf_profile_tail(&p, &p.skills[0], c), tb = rf_profile_tail(&p, &p.skills[1], c);
        cr_assert(ta <= prev_a && tb <= prev_b + 1e-15, "tail rises at cut %g", c);
        cr_assert(ta >= 0 && ta <= 1 && tb >= 0 && tb <= 1);
        /* The grid form of N(0.3, 0.4^2) stays within 0.01 of the closed form. */
        cr_assert_float_eq(ta, tb, 1e-2, "cut %g", c);
        prev_a = ta;
        prev_b = tb;
    }
    rf_profile_cleanup(&p);
}

Test(profile, builder_rejects_bad_values)
{
    struct rf_profile p;
    rf_profile_init_default(&p);
    struct rf_err err;
    cr_assert_eq(rf_profile_add_skill(&p, "", 0, 1, 0, NULL, NULL, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_add_skill(&p, "a", NAN, 1, 0, NULL, NULL, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_add_skill(&p, "a", 0, 0, 0, NULL, NULL, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_add_skill(&p, "a", 0, 1, 0, NULL, NULL, &err), RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "a", 0, 1, 0, NULL, NULL, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "twice"), "%s", err.msg);
    double zero[61] = {0};
    cr_assert_eq(rf_profile_add_posterior(&p, "b", 0, zero, NULL, &err), RF_EINVAL);
    zero[3] = -1;
    cr_assert_eq(rf_profile_add_skill(&p, "b", 0, 1, 0, zero, NULL, &err), RF_EINVAL);
    const char *empty_tag[] = {""};
    cr_assert_eq(rf_profile_add_missed(&p, 0, "a.x.001", empty_tag, 1, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_add_missed(&p, 5, "a.x.001", NULL, 0, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_add_missed(&p, 0, "", NULL, 0, &err), RF_EINVAL);
    cr_assert_eq(p.nskills, 1);
    cr_assert_eq(p.skills[0].nmissed, 0);
    struct rf_profile g;
    cr_assert_eq(rf_profile_init(&g, 0, 0, 61, &err), RF_EINVAL);
    cr_assert_eq(rf_profile_init(&g, -1, 1, 2, &err), RF_EINVAL);
    rf_profile_cleanup(&p);
}

struct bad_case {
    const char *file;
    rf_status rc;
    const char *needle; /* must appear in the one-line message */
};

Test(profile, malformed_files_give_one_line_errors)
{
    static const struct bad_case cases[] = {
        {"bad_se.json", RF_EINVAL, "skills[0] 'deep_learning': field 'se'"},
        {"bad_theta.json", RF_EINVAL, "skills[0] 'deep_learning': field 'theta'"},
        {"bad_noskill.json", RF_EINVAL, "skills[0]: missing field 'skill'"},
        {"bad_dup.json", RF_EINVAL, "skills[1] 'sql'"},
        {"bad_postlen.json", RF_EINVAL, "field 'posterior': 3 values, but the grid has 7"},
        {"bad_postsum.json", RF_EINVAL, "field 'posterior': values sum to 0.8"},
        {"bad_grid.json", RF_EINVAL, "grid"},
        {"bad_missed.json", RF_EINVAL, "missed[0]: missing field 'item'"},
        {"bad_skills_type.json", RF_EINVAL, "field 'skills': expected an array"},
        {"bad_syntax.json", RF_EINVAL, "bad_syntax.json:1:"},
        {"bad_noskills.json", RF_EINVAL, "missing field 'skills'"},
        {"no_such_file.json", RF_EIO, "no_such_file.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, DATA "%s", cases[i].file);
        struct rf_profile p;
        struct rf_err err;
        rf_err_clear(&err);
        rf_status rc = rf_profile_load(path, &p, &err);
        cr_expect_eq(rc, cases[i].rc, "%s: status %d, message %s", cases[i].file, rc, err.msg);
        cr_expect(strstr(err.msg, cases[i].needle) != NULL, "%s: '%s' lacks '%s'", cases[i].file,
                  err.msg, cases[i].needle);
        cr_expect(strstr(err.msg, cases[i].file) != NULL, "%s: message names no file: %s",
                  cases[i].file, err.msg);
        cr_expect(strchr(err.msg, '\n') == NULL, "%s: message spans lines", cases[i].file);
        cr_expect_eq(p.nskills, 0, "%s: profile not left empty", cases[i].file);
        rf_profile_cleanup(&p);
    }
}

/* A profile as read from its JSON text, packed and unpacked, has the very same
 * doubles (and tails) as before: unpacking checks the posterior but does not
 * renormalize it again. Every truncation or corruption is refused cleanly. */
Test(profile, packed_equals_json_and_refuses_damage)
{
    struct rf_profile p, fromjson, unpacked;
    struct rf_err err;
    rf_err_clear(&err);
    rf_profile_init_default(&p);
    cr_assert_eq(rf_profile_set_person(&p, "carol", "session", &err), RF_OK);
    double post[61];
    for (size_t i = 0; i < 61; i++) {
        double x = rf_profile_node(&p, i);
        post[i] = exp(-2 * (x - 0.3) * (x - 0.3)) + 0.1 * exp(-(x + 2) * (x + 2)); /* skewed */
    }
    size_t idx;
    cr_assert_eq(rf_profile_add_posterior(&p, "deep_learning", 9, post, &idx, &err), RF_OK);
    const char *tags[] = {"attention"};
    cr_assert_eq(rf_profile_add_missed(&p, idx, "deep_learning.attention.001", tags, 1, &err),
                 RF_OK);
    cr_assert_eq(rf_profile_add_skill(&p, "sql", 0.25, 0.45, 4, NULL, NULL, &err), RF_OK);
    json_t *j;
    cr_assert_eq(rf_profile_to_json(&p, &j, &err), RF_OK);
    char *text = json_dumps(j, JSON_COMPACT); /* as the server stores it */
    json_decref(j);
    cr_assert_eq(rf_profile_parse("stored", text, strlen(text), &fromjson, &err), RF_OK, "%s",
                 err.msg);
    free(text);
    unsigned char *buf;
    size_t len;
    cr_assert_eq(rf_profile_pack(&fromjson, &buf, &len, &err), RF_OK);
    cr_assert_eq(rf_profile_unpack(buf, len, &unpacked, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(unpacked.n, fromjson.n);
    cr_assert(unpacked.lo == fromjson.lo && unpacked.hi == fromjson.hi);
    cr_assert_eq(unpacked.nskills, 2);
    cr_assert_null(unpacked.person, "person is not packed");
    cr_assert_eq(unpacked.skills[0].nmissed, 0, "missed items are not packed");
    for (size_t k = 0; k < 2; k++) {
        const struct rf_profile_skill *a = &fromjson.skills[k], *b = &unpacked.skills[k];
        cr_assert_str_eq(a->skill, b->skill);
        cr_assert(a->theta == b->theta && a->se == b->se && a->items == b->items, "skill %zu", k);
        cr_assert_eq(!a->posterior, !b->posterior, "skill %zu", k);
        for (size_t i = 0; a->posterior && i < 61; i++)
            cr_assert(a->posterior[i] == b->posterior[i], "skill %zu node %zu: %.17g vs %.17g", k,
                      i, a->posterior[i], b->posterior[i]);
        for (double cut = -2; cut <= 2; cut += 0.37)
            cr_assert(rf_profile_tail(&fromjson, a, cut) == rf_profile_tail(&unpacked, b, cut));
    }
    rf_profile_cleanup(&unpacked);
    /* every truncation fails with a message, never reads past the end */
    for (size_t l = 0; l < len; l++) {
        cr_assert_eq(rf_profile_unpack(buf, l, &unpacked, &err), RF_EINVAL, "length %zu", l);
        cr_assert(strstr(err.msg, "packed profile"), "length %zu: %s", l, err.msg);
        cr_assert_eq(unpacked.nskills, 0);
    }
    /* trailing bytes, a bad magic, a damaged posterior, a wrong grid */
    unsigned char *big = malloc(len + 1);
    memcpy(big, buf, len);
    big[len] = 0;
    cr_assert_eq(rf_profile_unpack(big, len + 1, &unpacked, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "its end"), "%s", err.msg);
    big[0] = 'X';
    cr_assert_eq(rf_profile_unpack(big, len, &unpacked, &err), RF_EINVAL);
    big[0] = buf[0];
    size_t post0 = 4 + 4 + 8 + 8 + 4 + 4 + strlen("deep_learning") + 8 + 8 + 8 + 4;
    memset(big + post0 + 8 * 30, 0xff, 8); /* a NaN in the middle of the posterior */
    cr_assert_eq(rf_profile_unpack(big, len, &unpacked, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "posterior"), "%s", err.msg);
    memcpy(big, buf, len);
    big[4] = 2; /* 2 grid nodes */
    big[5] = big[6] = big[7] = 0;
    cr_assert_eq(rf_profile_unpack(big, len, &unpacked, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "grid"), "%s", err.msg);
    free(big);
    free(buf);
    rf_profile_cleanup(&fromjson);
    rf_profile_cleanup(&p);
}

/* The packed layout is stored in databases, so it must not drift: the golden
 * files of tests/fixtures/packed (also the fuzz seeds) are exactly what
 * packing the JSON fixtures gives. */
Test(profile, packed_layout_is_stable)
{
    const char *names[] = {"alice", "kenji"};
    for (size_t k = 0; k < 2; k++) {
        char path[128];
        struct rf_profile p;
        struct rf_err err;
        snprintf(path, sizeof path, DATA "%s.json", names[k]);
        cr_assert_eq(rf_profile_load(path, &p, &err), RF_OK, "%s", err.msg);
        unsigned char *buf;
        size_t len;
        cr_assert_eq(rf_profile_pack(&p, &buf, &len, &err), RF_OK);
        snprintf(path, sizeof path, "tests/fixtures/packed/%s.rfp", names[k]);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        unsigned char gold[4096];
        size_t n = fread(gold, 1, sizeof gold, f);
        fclose(f);
        cr_assert_eq(n, len, "%s: %zu bytes, packing gives %zu", path, n, len);
        cr_assert(!memcmp(gold, buf, len), "%s differs from the packed %s.json", path, names[k]);
        free(buf);
        rf_profile_cleanup(&p);
    }
}
