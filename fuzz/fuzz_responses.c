/* libFuzzer target: the response CSV, dense and sparse (scripts/fuzz responses).
 * The first byte picks the number of categories (2 .. RF_MAX_CATEGORIES); both
 * readers must agree on success, sizes and every cell. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bank/responses.h"
#include "base/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int max_cat = 2 + data[0] % (RF_MAX_CATEGORIES - 1);
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct rf_err e1, e2;
    struct rf_responses d, s;
    rf_status r1 = rf_responses_parse("fuzz.csv", text, len, max_cat, &d, &e1);
    rf_status r2 = rf_responses_parse_sparse("fuzz.csv", text, len, max_cat, &s, &e2);
    if ((r1 == RF_OK) != (r2 == RF_OK))
        abort();
    if (r1 == RF_OK) {
        if (d.npersons != s.npersons || d.nitems != s.nitems || s.row_ptr[0] != 0 ||
            s.row_ptr[s.npersons] != s.nnz)
            abort();
        size_t nnz = 0;
        for (size_t i = 0; i < d.npersons; i++) {
            size_t q = s.row_ptr[i];
            for (size_t j = 0; j < d.nitems; j++) {
                signed char v = d.x[i * d.nitems + j];
                if (v == RF_RESP_MISSING)
                    continue;
                if (v < 0 || v >= max_cat || q >= s.row_ptr[i + 1] || s.col[q] != j ||
                    s.val[q] != v)
                    abort();
                q++;
                nnz++;
            }
            if (q != s.row_ptr[i + 1])
                abort();
        }
        if (nnz != s.nnz)
            abort();
    }
    if (r1 == RF_OK)
        rf_responses_cleanup(&d);
    if (r2 == RF_OK)
        rf_responses_cleanup(&s);
    return 0;
}
