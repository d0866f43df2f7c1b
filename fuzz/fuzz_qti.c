/* libFuzzer target: the QTI reader on one document and on a zip package (scripts/fuzz qti). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bank/qti.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_import im;
    struct rf_err err;
    rf_import_init(&im, NULL);
    if (size >= 4 && data[0] == 'P' && data[1] == 'K')
        rf_qti_read_package_mem("fuzz.zip", data, size, &im, &err);
    else
        rf_qti_read_mem("fuzz.xml", (const char *)data, size, &im, &err);
    /* whatever was imported must write back */
    for (size_t i = 0; i < im.n; i++) {
        struct rf_buf b;
        rf_buf_init(&b, 1 << 24);
        if (rf_qti_write_item(&im.items[i], &b) != RF_OK)
            abort();
        rf_buf_cleanup(&b);
    }
    rf_import_cleanup(&im);
    return 0;
}
