/* Response export for calibration: finished tests become CSR rows, items
 * become columns in order of first appearance, unfinished tests are left out,
 * a repeated item keeps its last answer, bad scores are refused, and the
 * result calibrates. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calib/calib.h"
#include "store/export.h"
#include "store/store.h"
#include "testdb.h"

static char xpath[512];
static struct rf_store *xs;
static struct rf_err xerr;

static void xsetup(void)
{
    xs = testdb_open(xpath, sizeof xpath);
}

static void xteardown(void)
{
    testdb_close(xs, xpath);
}

TestSuite(export, .init = xsetup, .fini = xteardown);

/* One test with the given items and scores; finished when fin. */
static int64_t add_test(const char **items, const int *scores, size_t n, int fin)
{
    int64_t cand, tid;
    cr_assert_eq(rf_store_candidate_create(xs, 0, NULL, NULL, &cand, &xerr), RF_OK, "%s", xerr.msg);
    struct rf_test t = {0};
    t.candidate_id = cand;
    t.scope = "{}";
    t.state = "{}";
    cr_assert_eq(rf_store_test_create(xs, &t, &tid, &xerr), RF_OK, "%s", xerr.msg);
    for (size_t k = 0; k < n; k++) {
        struct rf_answer a = {tid, (int64_t)k, items[k], scores[k], scores[k], 0, NULL, 0};
        cr_assert_eq(
            rf_store_answer(xs, &a, "{}", fin && k + 1 == n ? "{\"skills\": []}" : NULL, &xerr),
            RF_OK, "%s", xerr.msg);
    }
    return tid;
}

Test(export, rows_columns_and_repeats)
{
    add_test((const char *[]){"b", "a"}, (int[]){1, 0}, 2, 1);
    add_test((const char *[]){"a", "c", "a"}, (int[]){0, 1, 1}, 3, 1); /* a twice: last wins */
    add_test((const char *[]){"d"}, (int[]){1}, 1, 0);                 /* unfinished */
    struct rf_responses r;
    cr_assert_eq(rf_store_export_responses(xs, -1, &r, &xerr), RF_OK, "%s", xerr.msg);
    cr_assert_eq(r.npersons, 2);
    cr_assert_eq(r.nitems, 3, "d belongs to an unfinished test");
    cr_assert_null(r.x);
    cr_expect_str_eq(r.item_ids[0], "b");
    cr_expect_str_eq(r.item_ids[1], "a");
    cr_expect_str_eq(r.item_ids[2], "c");
    cr_expect_str_eq(r.person_ids[0], "test-1");
    cr_assert_eq(r.nnz, 4);
    /* test 1: b=1 (col 0), a=0 (col 1); test 2: a=1 (last answer), c=1 */
    size_t want_col[4] = {0, 1, 1, 2};
    int want_val[4] = {1, 0, 1, 1};
    for (size_t e = 0; e < 4; e++) {
        cr_expect_eq(r.col[e], want_col[e], "cell %zu", e);
        cr_expect_eq(r.val[e], want_val[e], "cell %zu", e);
    }
    cr_expect_eq(r.row_ptr[1], 2);
    cr_expect_eq(r.row_ptr[2], 4);
    rf_responses_cleanup(&r);
}

Test(export, empty_store_and_bad_scores)
{
    struct rf_responses r;
    cr_expect_eq(rf_store_export_responses(xs, -1, &r, &xerr), RF_ENOTFOUND);
    cr_expect(strstr(xerr.msg, "no finished test"), "%s", xerr.msg);
    add_test((const char *[]){"a", "b"}, (int[]){1, 12}, 2, 1);
    cr_expect_eq(rf_store_export_responses(xs, -1, &r, &xerr), RF_EINVAL);
    cr_expect(strstr(xerr.msg, "item 'b': scored category 12 is outside 0..9"), "%s", xerr.msg);
    cr_expect_null(r.row_ptr);
}

Test(export, exported_responses_calibrate)
{
    /* 40 tests over 3 items with a Guttman-like but noisy pattern */
    static const char *items[3] = {"e", "m", "h"};
    for (int i = 0; i < 40; i++) {
        int s[3] = {i % 5 != 0, i % 3 == 0 || i % 4 == 1, i % 7 == 0 || i % 9 == 1};
        add_test(items, s, 3, 1);
    }
    struct rf_responses r;
    cr_assert_eq(rf_store_export_responses(xs, -1, &r, &xerr), RF_OK, "%s", xerr.msg);
    struct rf_calib_data d = {.npersons = r.npersons,
                              .nitems = r.nitems,
                              .item_ids = (const char *const *)r.item_ids,
                              .row_ptr = r.row_ptr,
                              .col = r.col,
                              .val = r.val};
    struct rf_calib_opts o;
    rf_calib_opts_default(&o);
    o.model = RF_MODEL_1PL;
    struct rf_calib_result res;
    cr_assert_eq(rf_calib_run(&d, &o, &res, &xerr), RF_OK, "%s", xerr.msg);
    cr_expect_eq(res.npersons, 40);
    /* the easy item is easier than the hard one */
    cr_expect_lt(res.items[0].it.b, res.items[2].it.b);
    rf_calib_result_cleanup(&res);
    rf_responses_cleanup(&r);
}
