/* The sparse entry points of the response reader: the same file read dense
 * and as compressed sparse rows gives the same cells, and the same errors. */
#include <criterion/criterion.h>
#include <string.h>

#include "bank/responses.h"

Test(responses_sparse, same_cells_as_dense)
{
    const char *csv = "person,q1,q2,q3\nann,1,,0\nbob,,,\ncat,0,1,NA\ndan, 1,0,1\n";
    struct rf_responses d, s;
    struct rf_err err;
    cr_assert_eq(rf_responses_parse("t.csv", csv, strlen(csv), 2, &d, &err), RF_OK, "%s", err.msg);
    cr_assert_eq(rf_responses_parse_sparse("t.csv", csv, strlen(csv), 2, &s, &err), RF_OK, "%s",
                 err.msg);
    cr_assert_null(s.x);
    cr_assert_eq(s.npersons, 4);
    cr_assert_eq(s.nitems, 3);
    cr_expect_eq(s.nnz, 7);
    cr_expect_str_eq(s.person_ids[3], "dan");
    cr_expect_str_eq(s.item_ids[2], "q3");
    for (size_t i = 0; i < 4; i++) {
        signed char row[3] = {RF_RESP_MISSING, RF_RESP_MISSING, RF_RESP_MISSING};
        for (size_t e = s.row_ptr[i]; e < s.row_ptr[i + 1]; e++) {
            if (e > s.row_ptr[i])
                cr_expect_gt(s.col[e], s.col[e - 1], "item indices increase within a row");
            row[s.col[e]] = s.val[e];
        }
        cr_expect_eq(memcmp(row, d.x + i * 3, 3), 0, "person %zu", i + 1);
    }
    cr_expect_eq(s.row_ptr[1], s.row_ptr[2], "bob answered nothing");
    rf_responses_cleanup(&d);
    rf_responses_cleanup(&s);
}

Test(responses_sparse, errors_match_the_dense_reader)
{
    struct rf_responses s;
    struct rf_err err;
    const char *ragged = "q1,q2\n1,0\n1\n";
    cr_expect_eq(rf_responses_parse_sparse("r.csv", ragged, strlen(ragged), 2, &s, &err),
                 RF_EINVAL);
    cr_expect(strstr(err.msg, "r.csv:3: 1 fields, the header has 2"), "%s", err.msg);
    cr_expect_null(s.row_ptr, "nothing left allocated after an error");
    const char *cat = "q1,q2\n1,2\n";
    cr_expect_eq(rf_responses_parse_sparse("c.csv", cat, strlen(cat), 2, &s, &err), RF_EINVAL);
    cr_expect(strstr(err.msg, "c.csv:2: column 2 (item 'q2'): expected a category 0..1"), "%s",
              err.msg);
    const char *big = "q1\n9\n";
    cr_expect_eq(rf_responses_parse_sparse("g.csv", big, strlen(big), 10, &s, &err), RF_OK);
    cr_expect_eq(s.val[0], 9);
    rf_responses_cleanup(&s);
}
