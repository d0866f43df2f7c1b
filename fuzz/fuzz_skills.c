/* libFuzzer target: the skill taxonomy loader (scripts/fuzz skills). A loaded
 * taxonomy keeps the invariants of bank/skills.h. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bank/skills.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    struct rf_taxonomy t;
    if (rf_taxonomy_load_mem("skills.json", (const char *)data, size, &t, &err) != RF_OK) {
        if (t.nskills || t.ntasks || t.skills || t.tasks)
            abort();
        rf_taxonomy_cleanup(&t);
        return 0;
    }
    for (size_t i = 0; i < t.nskills; i++) {
        const struct rf_skill *s = &t.skills[i];
        size_t idx;
        if (rf_taxonomy_find(&t, s->id, &idx) != RF_OK || idx != i ||
            rf_taxonomy_find_task(&t, s->task, &idx) != RF_OK)
            abort();
        for (size_t k = 0; k + 1 < RF_NLEVELS; k++) {
            if (!isfinite(s->cuts[k]) || rf_skill_level(s, s->cuts[k]) != k + 1)
                abort();
        }
    }
    for (size_t i = 0; i < RF_NLEVELS; i++)
        if (!t.levels[i])
            abort();
    rf_taxonomy_cleanup(&t);
    return 0;
}
