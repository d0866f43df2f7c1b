/* libFuzzer target: item parameter tables, JSON or CSV (scripts/fuzz params).
 * Every item of a table that loads must pass validation and write to JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bank/params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    struct rf_param_table t;
    if (rf_params_parse("fuzz", (const char *)data, size, &t, &err) != RF_OK) {
        if (t.n != 0 || t.ids || t.items) /* a failed load leaves t empty */
            abort();
        return 0;
    }
    for (size_t i = 0; i < t.n; i++) {
        struct rf_err e2;
        size_t idx;
        if (rf_irt_item_validate(&t.items[i], &e2) != RF_OK ||
            rf_params_find(&t, t.ids[i], &idx) != RF_OK || idx != i)
            abort();
        json_t *o = json_object();
        if (!o || rf_params_to_json(&t.items[i], o) != RF_OK)
            abort();
        json_decref(o);
    }
    rf_params_cleanup(&t);
    return 0;
}
