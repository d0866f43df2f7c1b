/* libFuzzer target: the roles loader (scripts/fuzz roles) against the bundled
 * taxonomy data/skills.json (run from the repository root or two folders
 * below it). Loaded roles keep the invariants of careers/roles.h. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "careers/roles.h"

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
    struct rf_roles r;
    if (rf_roles_load_mem("roles.json", (const char *)data, size, &tax, &r, &err) != RF_OK) {
        if (r.n || r.roles)
            abort();
        rf_roles_cleanup(&r);
        return 0;
    }
    for (size_t i = 0; i < r.n; i++) {
        const struct rf_role *role = &r.roles[i];
        double sum = 0;
        int core = 0;
        if (rf_roles_find(&r, role->id) != role)
            abort();
        for (size_t k = 0; k < role->nreqs; k++) {
            const struct rf_role_req *q = &role->reqs[k];
            if (q->skill >= tax.nskills || q->level < 1 || q->level >= RF_NLEVELS ||
                !isfinite(q->weight) || rf_role_req_find(role, q->skill) != q)
                abort();
            sum += q->weight;
            core |= q->core;
        }
        if (!core || fabs(sum - 1.0) > 1e-9) /* weights sum to 1 up to rounding */
            abort();
    }
    rf_roles_cleanup(&r);
    return 0;
}
