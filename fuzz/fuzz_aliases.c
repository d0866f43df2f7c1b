/* libFuzzer target: the alias dictionary loader (data/skill_aliases.json; scripts/fuzz
 * aliases) against the bundled taxonomy (run from the repository root or two folders
 * below it). A loaded dictionary keeps the index of posting.h (aliases grouped by the
 * first byte of their key, longest first) and then reads a fixed posting. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "careers/posting.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_taxonomy tax;
static int loaded;

static const char posting[] =
    "# ML engineer\n## Required\n- Python and SQL, linear algebra\n- deep learning (PyTorch)\n"
    "## Preferred\n- Kubernetes / MLOps\n- 統計の基礎知識\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    if (!loaded) {
        if (rf_taxonomy_load("data/skills.json", &tax, &err) &&
            rf_taxonomy_load("../../data/skills.json", &tax, &err))
            abort();
        loaded = 1;
    }
    struct rf_aliases a;
    if (rf_aliases_load_mem("aliases.json", (const char *)data, size, &tax, &a, &err)) {
        if (a.n || a.a)
            abort();
        return 0;
    }
    if (a.start[0] != 0 || a.start[256] != a.n)
        abort();
    for (size_t b = 0; b < 256; b++) {
        if (a.start[b] > a.start[b + 1])
            abort();
        for (size_t i = a.start[b]; i < a.start[b + 1]; i++) {
            const struct rf_alias *x = &a.a[i];
            if (x->len == 0 || strlen(x->key) != x->len || (unsigned char)x->key[0] != b ||
                x->skill >= tax.nskills ||
                (i > a.start[b] && a.a[i - 1].len < x->len))
                abort();
        }
    }
    struct rf_parsed_posting p;
    if (rf_posting_parse("fuzz.md", posting, sizeof posting - 1, &a, &tax, &p, &err) == RF_OK)
        rf_posting_cleanup(&p);
    rf_aliases_cleanup(&a);
    return 0;
}
