/* libFuzzer target: the learning guidance loader (data/learning.json; scripts/fuzz
 * learning) against the bundled taxonomy data/skills.json (run from the repository
 * root or two folders below it). Loaded guidance names taxonomy skills, each once,
 * with a focus and at least one study step. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "careers/learning.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_taxonomy tax;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    if (!loaded) {
        if (rf_taxonomy_load("data/skills.json", &tax, &err) &&
            rf_taxonomy_load("../../data/skills.json", &tax, &err))
            abort();
        loaded = 1;
    }
    struct rf_learning l;
    if (rf_learning_load_mem("learning.json", (const char *)data, size, &tax, &l, &err)) {
        if (l.n || l.g)
            abort();
        return 0;
    }
    for (size_t i = 0; i < l.n; i++) {
        const struct rf_guidance *g = &l.g[i];
        if (g->skill >= tax.nskills || !g->focus || !g->focus[0] || g->nstudy == 0 ||
            !g->practice)
            abort();
        for (size_t j = 0; j < i; j++)
            if (l.g[j].skill == g->skill)
                abort();
        for (size_t k = 0; k < g->nconcepts; k++)
            if (!g->concepts[k].tag || !g->concepts[k].note)
                abort();
    }
    rf_learning_cleanup(&l);
    return 0;
}
