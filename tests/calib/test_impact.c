/*
 * Adverse impact (calib/impact.h) against a hand-computed example, the
 * small-cell rule, and the people table (calib/people.h) it is read from.
 *
 * Hand example: A 48 of 80 selected (0.6), B 12 of 40 (0.3), C 30 of 60
 * (0.5). Ratios to A: B 0.3 / 0.6 = 1/2 (fails four fifths), C 0.5 / 0.6 =
 * 5/6. Katz interval of B: exp(ln 0.5 +- 1.96 sqrt(0.7/12 + 0.4/48)); z test
 * pooled p = 60/120. Values computed independently in Python.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "calib/impact.h"
#include "calib/people.h"

static void near(double got, double want, double rel, const char *what)
{
    cr_assert(fabs(got - want) <= rel * fmax(1.0, fabs(want)), "%s: got %.17g, want %.17g", what,
              got, want);
}

Test(impact, hand_example)
{
    struct rf_impact_group g[] = {{"A", 80, 48}, {"B", 40, 12}, {"C", 60, 30}};
    struct rf_impact_opts o;
    rf_impact_opts_default(&o);
    struct rf_impact_row r[3];
    struct rf_err err;
    cr_assert_eq(rf_impact_compute(g, 3, &o, r, &err), RF_OK, "%s", err.msg);
    cr_assert(!r[0].hidden && !r[1].hidden && !r[2].hidden);
    cr_assert(r[0].highest && !r[1].highest && !r[2].highest);
    cr_assert_eq(r[0].rate, 0.6);
    cr_assert_eq(r[1].ratio, 0.3 / 0.6);
    cr_assert_eq(r[2].ratio, 0.5 / 0.6);
    cr_assert_eq(r[0].ratio, 1.0);
    cr_assert(!r[0].four_fifths && r[1].four_fifths && !r[2].four_fifths);
    near(r[1].ratio_lo, 0.3014329410455969, 1e-13, "B ratio lo");
    near(r[1].ratio_hi, 0.8293718633829844, 1e-13, "B ratio hi");
    near(r[2].ratio_lo, 0.6112684387852225, 1e-13, "C ratio lo");
    near(r[2].ratio_hi, 1.136071160200121, 1e-13, "C ratio hi");
    near(r[1].z, -3.098386676965933, 1e-13, "B z");
    near(r[1].p, 0.0019457736937391612, 1e-9, "B p");
    near(r[2].z, -1.1788037002706224, 1e-13, "C z");
    near(r[0].rate_lo, 0.490454650051604, 1e-13, "A rate lo");
    near(r[0].rate_hi, 0.7003817240412906, 1e-13, "A rate hi");
    cr_assert(isnan(r[0].ratio_lo) && isnan(r[0].z), "the reference has no interval of its own");
}

Test(impact, small_cells_hidden_and_never_the_reference)
{
    /* D has the highest rate but only 20 people; E has 3 not selected. */
    struct rf_impact_group g[] = {
        {"A", 80, 48}, {"B", 40, 12}, {"D", 20, 19}, {"E", 50, 47}, {"F", 30, 2}};
    struct rf_impact_opts o;
    rf_impact_opts_default(&o);
    struct rf_impact_row r[5];
    struct rf_err err;
    cr_assert_eq(rf_impact_compute(g, 5, &o, r, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(r[2].hidden, RF_IMPACT_SMALL_GROUP);
    cr_assert_eq(r[3].hidden, RF_IMPACT_SMALL_CELL);
    cr_assert_eq(r[4].hidden, RF_IMPACT_SMALL_CELL);
    for (size_t k = 2; k < 5; k++)
        cr_assert(isnan(r[k].rate) && isnan(r[k].ratio) && isnan(r[k].ratio_lo) && !r[k].highest &&
                      !r[k].four_fifths,
                  "group %zu shows a figure", k);
    cr_assert(r[0].highest && r[1].ratio == 0.5, "the highest rate is among the shown groups");
    /* lower minimums show them, and the reference moves to D */
    o.min_group = 20;
    o.min_cell = 1;
    cr_assert_eq(rf_impact_compute(g, 5, &o, r, &err), RF_OK, "%s", err.msg);
    cr_assert(!r[2].hidden && r[2].highest && !r[3].hidden && !r[4].hidden);
    cr_assert_eq(r[0].ratio, 0.6 / 0.95);
    /* nothing shown at all */
    o.min_group = 1000;
    cr_assert_eq(rf_impact_compute(g, 5, &o, r, &err), RF_OK);
    for (size_t k = 0; k < 5; k++)
        cr_assert(r[k].hidden && !r[k].highest);
}

Test(impact, zero_cells_with_min_cell_zero)
{
    struct rf_impact_group g[] = {{"A", 40, 20}, {"B", 40, 0}};
    struct rf_impact_opts o;
    rf_impact_opts_default(&o);
    o.min_cell = 0;
    struct rf_impact_row r[2];
    struct rf_err err;
    cr_assert_eq(rf_impact_compute(g, 2, &o, r, &err), RF_OK);
    cr_assert_eq(r[1].ratio, 0.0);
    /* half-cell correction: x1 = 0.5 of 41, x2 = 20.5 of 41 */
    double lr = log(0.5 / 20.5), se = sqrt((1 - 0.5 / 41) / 0.5 + (1 - 20.5 / 41) / 20.5);
    near(r[1].ratio_hi, exp(lr + 1.959963984540054 * se), 1e-12, "corrected upper limit");
    near(r[1].ratio_lo, exp(lr - 1.959963984540054 * se), 1e-12, "corrected lower limit");
}

Test(impact, refusals)
{
    struct rf_impact_group g[] = {{"A", 10, 11}};
    struct rf_impact_opts o;
    rf_impact_opts_default(&o);
    struct rf_impact_row r[1];
    struct rf_err err;
    cr_assert_eq(rf_impact_compute(g, 1, &o, r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "group 'A': 11 selected of 10"), "%s", err.msg);
    g[0].selected = 1;
    o.level = 1;
    cr_assert_eq(rf_impact_compute(g, 1, &o, r, &err), RF_EINVAL);
}

Test(people, parse_values_join)
{
    const char *csv = "person,gender,selected\n"
                      "p1,f,1\n"
                      "p2,m,0\n"
                      "p3,,1\n"
                      "\"p,4\",f,\n";
    struct rf_people p;
    struct rf_err err;
    cr_assert_eq(rf_people_parse("t.csv", csv, strlen(csv), &p, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(p.nrows, 4);
    size_t j;
    cr_assert_eq(rf_people_column(&p, "gender", &j, &err), RF_OK);
    cr_assert_eq(j, 1);
    cr_assert_eq(rf_people_column(&p, "age", &j, &err), RF_ENOTFOUND);
    cr_assert(strstr(err.msg, "t.csv: no column 'age'"), "%s", err.msg);
    const char **v;
    size_t nv;
    cr_assert_eq(rf_people_values(&p, 1, &v, &nv, &err), RF_OK);
    cr_assert(nv == 2 && strcmp(v[0], "f") == 0 && strcmp(v[1], "m") == 0);
    free(v);
    const char *ids[] = {"p2", "nobody", "p,4"};
    size_t rows[3];
    cr_assert_eq(rf_people_join(&p, 0, ids, 3, rows, &err), RF_OK, "%s", err.msg);
    cr_assert(rows[0] == 1 && rows[1] == SIZE_MAX && rows[2] == 3);
    rf_people_cleanup(&p);
}

Test(people, refusals_name_file_and_line)
{
    struct {
        const char *csv, *want;
    } cases[] = {
        {"", "t.csv: empty file"},
        {"person,g,g\n", "t.csv:1: column 'g' appears twice"},
        {"person,,x\n", "t.csv:1: column 2 has no name"},
        {"person,g\np1,f\np2\n", "t.csv:3: 1 fields, the header has 2"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct rf_people p;
        struct rf_err err;
        cr_assert_neq(rf_people_parse("t.csv", cases[k].csv, strlen(cases[k].csv), &p, &err), RF_OK,
                      "case %zu", k);
        cr_assert(strstr(err.msg, cases[k].want), "case %zu: %s", k, err.msg);
        cr_assert(p.nrows == 0 && p.cells == NULL);
    }
    const char *dup = "person,g\np1,f\np2,m\np1,m\n";
    struct rf_people p;
    struct rf_err err;
    cr_assert_eq(rf_people_parse("t.csv", dup, strlen(dup), &p, &err), RF_OK);
    const char *ids[] = {"p1"};
    size_t rows[1];
    cr_assert_eq(rf_people_join(&p, 0, ids, 1, rows, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "t.csv:4: person 'p1' appears twice (also line 2)"), "%s", err.msg);
    rf_people_cleanup(&p);
}
