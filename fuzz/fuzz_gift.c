/* libFuzzer target: the GIFT reader, and write-then-read of what it imported (scripts/fuzz gift). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank/gift.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_import im;
    struct rf_err err;
    rf_import_init(&im, NULL);
    rf_gift_read_mem("fuzz.gift", (const char *)data, size, &im, &err);
    /* a round trip of every imported item keeps stem, options and key */
    for (size_t i = 0; i < im.n; i++) {
        struct rf_buf b;
        rf_buf_init(&b, 1 << 24);
        if (rf_gift_write_item(&im.items[i], &b) != RF_OK)
            abort();
        struct rf_import back;
        rf_import_init(&back, NULL);
        if (rf_gift_read_mem("rt.gift", b.data, b.len, &back, &err) != RF_OK || back.n != 1 ||
            strcmp(back.items[0].stem, im.items[i].stem) != 0 ||
            back.items[0].key != im.items[i].key ||
            back.items[0].noptions != im.items[i].noptions)
            abort();
        rf_import_cleanup(&back);
        rf_buf_cleanup(&b);
    }
    rf_import_cleanup(&im);
    return 0;
}
