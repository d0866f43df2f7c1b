/* libFuzzer target: the Sympson-Hetter exposure file (scripts/fuzz exposure)
 * over the synthetic pool of fuzz_session (skills "alg" and "prob", 40 2PL
 * items each, seed 1). Whatever loads leaves every K in (0, 1]; a file that
 * fails leaves the pool's K as they were. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cat/pool.h"
#include "cat/sim.h"
#include "irt/quad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_cat_pool *pool;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    if (!pool) {
        static const char *names[] = {"alg", "prob"};
        struct rf_cat_gen g;
        struct rf_quad q;
        if (rf_cat_generate(names, 2, 40, RF_MODEL_2PL, 1, &g, &err) ||
            rf_quad_init_default(&q, &err) || rf_cat_pool_new(g.items, g.n, &q, &pool, &err))
            abort();
        rf_quad_cleanup(&q);
        rf_cat_gen_cleanup(&g);
    }
    for (size_t i = 0; i < pool->n; i++)
        pool->sh[i] = 0.5;
    if (rf_cat_exposure_parse(pool, "fuzz.json", (const char *)data, size, &err) != RF_OK) {
        for (size_t i = 0; i < pool->n; i++)
            if (pool->sh[i] != 0.5)
                abort();
        return 0;
    }
    for (size_t i = 0; i < pool->n; i++)
        if (!(pool->sh[i] > 0 && pool->sh[i] <= 1))
            abort();
    return 0;
}
