/* libFuzzer target: the CSV reader (scripts/fuzz csv). Every record it returns
 * has at least one field, fields are NUL-terminated inside the record, and
 * record lines never go backwards. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_csv c;
    if (rf_csv_open_mem(&c, "fuzz.csv", (const char *)data, size) == RF_OK) {
        size_t last = 0;
        for (;;) {
            int eof = 0;
            if (rf_csv_next(&c, &eof) != RF_OK || eof)
                break;
            if (c.nfields == 0 || c.rec_line < last || c.rec_line == 0)
                abort();
            last = c.rec_line;
            size_t total = 0;
            for (size_t i = 0; i < c.nfields; i++)
                total += strlen(c.fields[i]);
            if (total > size)
                abort();
        }
    }
    rf_csv_cleanup(&c);
    return 0;
}
