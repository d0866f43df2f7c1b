/* libFuzzer target: the bank linter and the bank loader on one JSON file (scripts/fuzz lint). */
#include <stddef.h>
#include <stdint.h>

#include "bank/bank.h"
#include "bank/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    struct rf_lint l;
    rf_lint_init(&l, NULL);
    if (rf_lint_add_mem(&l, "fuzz.json", (const char *)data, size, &err) == RF_OK)
        rf_lint_finish(&l, &err);
    rf_lint_cleanup(&l);
    struct rf_bank b;
    rf_bank_init(&b);
    rf_bank_load_mem("fuzz.json", (const char *)data, size, &b, &err);
    rf_bank_cleanup(&b);
    return 0;
}
