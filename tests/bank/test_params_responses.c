/* Parameter tables (JSON and CSV) and response matrices: good files and every
 * kind of bad file, each with a one-line error naming file, line/item and field. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bank/params.h"
#include "bank/responses.h"

static char tmpdir[64];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/rf-bank-XXXXXX");
    cr_assert(mkdtemp(tmpdir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[8][160];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 160, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    return p;
}

TestSuite(params, .init = setup, .fini = teardown);

Test(params, json_and_csv_agree)
{
    const char *js = write_file("p.json",
        "{\"items\": [{\"id\": \"m.a.001\", \"model\": \"2pl\", \"a\": 1.2, \"b\": -0.5},"
        " {\"id\": \"m.a.002\", \"model\": \"3pl\", \"a\": 0.9, \"b\": 0.3, \"c\": 0.2},"
        " {\"id\": \"m.r.001\", \"model\": \"grm\", \"a\": 1.1, \"thresholds\": [-1, 0, 1.5]},"
        " {\"id\": \"m.a.003\", \"model\": \"rasch\", \"b\": 0.7}]}");
    const char *cs = write_file("p.csv", "id,model,a,b,c,b1,b2,b3\n"
                                         "m.a.001,2pl,1.2,-0.5,,,,\n"
                                         "m.a.002,3pl,0.9,0.3,0.2,,,\n"
                                         "m.r.001,grm,1.1,,,-1,0,1.5\n"
                                         "m.a.003,1pl,,0.7,,,,\n");
    struct rf_param_table a, b;
    struct rf_err err;
    cr_assert_eq(rf_params_load(js, &a, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_params_load(cs, &b, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(a.n, 4);
    cr_assert_eq(b.n, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(a.ids[i], b.ids[i]);
        cr_assert_eq(a.items[i].model, b.items[i].model);
        cr_assert_eq(a.items[i].ncat, b.items[i].ncat);
        for (double t = -2; t <= 2; t += 0.5)
            cr_assert_float_eq(rf_irt_prob(&a.items[i], t, 0), rf_irt_prob(&b.items[i], t, 0),
                               1e-15);
    }
    cr_assert_eq(a.items[2].ncat, 4);
    cr_assert_float_eq(a.items[3].a, 1.0, 0);
    size_t idx;
    cr_assert_eq(rf_params_find(&a, "m.r.001", &idx), RF_OK);
    cr_assert_eq(idx, 2);
    cr_assert_eq(rf_params_find(&a, "nope", &idx), RF_ENOTFOUND);
    /* to_json writes what from_json reads */
    json_t *o = json_object();
    cr_assert_eq(rf_params_to_json(&a.items[1], o), RF_OK);
    struct rf_irt_item back;
    cr_assert_eq(rf_params_from_json(o, &back, "x", &err), RF_OK);
    cr_assert_float_eq(back.c, 0.2, 0);
    cr_assert_float_eq(json_real_value(json_object_get(o, "d")), -0.9 * 0.3, 1e-15);
    json_decref(o);
    rf_params_cleanup(&a);
    rf_params_cleanup(&b);
}

static void expect_error(const char *name, const char *text, const char *msg)
{
    const char *p = write_file(name, text);
    struct rf_param_table t;
    struct rf_err err;
    rf_err_clear(&err);
    cr_assert_neq(rf_params_load(p, &t, &err), RF_OK, "%s should fail", name);
    cr_assert(strstr(err.msg, msg), "%s: got '%s', want '%s'", name, err.msg, msg);
    cr_assert(strstr(err.msg, name), "%s: message must name the file: %s", name, err.msg);
    cr_assert(!strchr(err.msg, '\n'), "one line");
    cr_assert_eq(t.n, 0);
}

Test(params, bad_files)
{
    expect_error("t1.json", "{\"items\": [{\"id\": \"x\", \"model\": \"2pl\", \"a\": \"1\", \"b\": 0}]}",
                 "item 'x': field 'a': expected a number, got a string");
    expect_error("t2.json", "{\"items\": [{\"id\": \"x\", \"model\": \"2pl\", \"b\": 0}]}",
                 "item 'x': missing field 'a'");
    expect_error("t3.json", "{\"items\": [{\"id\": \"x\", \"model\": \"2pl\", \"a\": -1, \"b\": 0}]}",
                 "item 'x': slope a must be");
    expect_error("t4.json", "{\"items\": [{\"id\": \"x\", \"model\": \"3pl\", \"a\": 1, \"b\": 0, \"c\": 1.2}]}",
                 "lower asymptote c");
    expect_error("t5.json", "{\"items\": [{\"id\": \"x\", \"model\": \"grm\", \"a\": 1, \"thresholds\": [1, 0]}]}",
                 "thresholds must increase");
    expect_error("t6.json", "{\"items\": [{\"id\": \"x\", \"model\": \"5pl\", \"a\": 1, \"b\": 0}]}",
                 "unknown model '5pl'");
    expect_error("t7.json", "{\"items\": [{\"model\": \"2pl\", \"a\": 1, \"b\": 0}]}",
                 "items[0]: missing field 'id'");
    expect_error("t8.json", "{\"items\": [{\"id\": \"x\", \"model\": \"2pl\", \"a\": 1, \"b\": 0},"
                            "{\"id\": \"x\", \"model\": \"2pl\", \"a\": 1, \"b\": 0}]}",
                 "duplicate id 'x'");
    expect_error("t9.json", "{\"items\": [1,}", "t9.json:1:");
    expect_error("t10.json", "{\"things\": []}", "expected an array of items");
    expect_error("c1.csv", "id,model,a,b\nx,2pl,1.0,abc\n", "c1.csv:2: field 'b': expected a number, got 'abc'");
    expect_error("c2.csv", "id,model,a,b\nx,2pl,1.0\n", "c2.csv:2: 3 fields, the header has 4");
    expect_error("c3.csv", "id,a,b\nx,1.0,0\n", "header needs columns 'id' and 'model'");
    expect_error("c4.csv", "id,model,a,b\nx,2pl,0,0\n", "c4.csv:2: slope a must be");
    expect_error("c5.csv", "id,model,a,b,c\nx,2pl,1,0,0.2\n", "c5.csv:2: field 'c': must be 0");
    expect_error("c6.csv", "id,model,a\nx,2pl,1\n", "c6.csv:2: no column 'b'");
    expect_error("c7.csv", "", "empty file");
    expect_error("c8.csv", "id,model,a,b\n", "no items after the header");
}

Test(params, missing_file)
{
    struct rf_param_table t;
    struct rf_err err;
    cr_assert_eq(rf_params_load("/nonexistent/p.json", &t, &err), RF_EIO);
    cr_assert(strstr(err.msg, "/nonexistent/p.json"), "%s", err.msg);
}

Test(responses, dense_sparse_and_person_ids)
{
    const char *text = "person,i1,i2,i3\nann,1,0,\nbob,,1,2\n";
    struct rf_responses r;
    struct rf_err err;
    cr_assert_eq(rf_responses_parse("r.csv", text, strlen(text), 3, &r, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(r.npersons, 2);
    cr_assert_eq(r.nitems, 3);
    cr_assert_str_eq(r.person_ids[1], "bob");
    cr_assert_str_eq(r.item_ids[2], "i3");
    signed char want[6] = {1, 0, -1, -1, 1, 2};
    cr_assert_arr_eq(r.x, want, 6);
    rf_responses_cleanup(&r);
    const char *np = "i1,i2\n1,0\n0,1\n1,1\n";
    cr_assert_eq(rf_responses_parse("n.csv", np, strlen(np), 2, &r, &err), RF_OK);
    cr_assert_null(r.person_ids);
    cr_assert_eq(r.npersons, 3);
    rf_responses_cleanup(&r);
}

static void resp_error(const char *text, int max_cat, const char *msg)
{
    struct rf_responses r;
    struct rf_err err;
    cr_assert_neq(rf_responses_parse("r.csv", text, strlen(text), max_cat, &r, &err), RF_OK,
                  "should fail: %s", text);
    cr_assert(strstr(err.msg, msg), "got '%s', want '%s'", err.msg, msg);
    cr_assert_eq(r.x, NULL);
}

Test(responses, bad_files)
{
    resp_error("i1,i2\n1,0\n1\n", 2, "r.csv:3: 1 fields, the header has 2");
    resp_error("i1,i2\n1,2\n", 2, "r.csv:2: column 2 (item 'i2'): expected a category 0..1");
    resp_error("i1,i2\n1,x\n", 2, "got 'x'");
    resp_error("i1,i2\n1,-1\n", 2, "got '-1'");
    resp_error("i1,i1\n1,0\n", 2, "item id 'i1' appears twice");
    resp_error("i1,,i3\n1,0,1\n", 2, "column 2: empty item id");
    resp_error("", 2, "empty file");
    resp_error("person\n", 2, "header has no item columns");
    resp_error("i1,i2\n", 2, "no response rows");
}

/* Found by fuzz/fuzz_params.c: a graded header with b2 but no b1 read the
 * cell at an uninitialized column index (SEGV). Now a one-line error. */
Test(params, threshold_columns_with_a_gap)
{
    static const char csv[] = "id,model,a,b0,b2,b3\ng1,grm,1.1,,0.0,1.0\n";
    struct rf_param_table t;
    struct rf_err err;
    cr_assert_eq(rf_params_parse("gap.csv", csv, strlen(csv), &t, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "gap.csv:1: header has column 'b3' but no 'b1'"), "%s", err.msg);
    cr_assert_eq(t.n, 0);
    static const char ok[] = "id,model,a,b2,b1\ng1,grm,1.1,0.5,-0.5\n";
    cr_assert_eq(rf_params_parse("order.csv", ok, strlen(ok), &t, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(t.n, 1);
    cr_assert_eq(t.items[0].ncat, 3);
    cr_assert_float_eq(t.items[0].thr[0], -0.5, 1e-12); /* b1 first, whatever the column order */
    rf_params_cleanup(&t);
}

/* Found reading the reader for fuzz/fuzz_responses.c: a cell "1 0" was read as 1 (the
 * rest after a blank was ignored); only blanks may follow the digit. */
Test(responses, text_after_a_cell_digit)
{
    struct rf_responses r;
    struct rf_err err;
    static const char two[] = "q1,q2\n1 0,0\n";
    cr_assert_eq(rf_responses_parse("two.csv", two, strlen(two), 2, &r, &err), RF_EINVAL);
    cr_assert(strstr(err.msg, "two.csv:2: column 1 (item 'q1'): expected a category 0..1 or "
                              "empty, got '1 0'"),
              "%s", err.msg);
    cr_assert_eq(rf_responses_parse_sparse("two.csv", two, strlen(two), 2, &r, &err), RF_EINVAL);
    static const char blanks[] = "q1,q2\n 1  ,0\n";
    cr_assert_eq(rf_responses_parse("b.csv", blanks, strlen(blanks), 2, &r, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_eq(r.x[0], 1);
    cr_assert_eq(r.x[1], 0);
    rf_responses_cleanup(&r);
}
