/* libFuzzer target: restoring an adaptive session from JSON (scripts/fuzz session)
 * over a fixed synthetic pool: skills "alg" and "prob", 40 2PL items each,
 * generated with seed 1 (the pool of tests/fixtures/cat/session*.json). */
#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
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
            return 0;
        rf_quad_cleanup(&q);
        rf_cat_gen_cleanup(&g);
    }
    json_t *j;
    if (rf_json_load_mem("fuzz.json", (const char *)data, size, &j, &err))
        return 0;
    struct rf_cat_session *s;
    if (rf_cat_session_from_json(pool, j, "fuzz.json", &s, &err) == RF_OK) {
        size_t item;
        for (int i = 0; i < 50; i++) { /* a restored session must keep working */
            rf_cat_next(s, &item);
            if (item == SIZE_MAX)
                break;
            rf_cat_answer(s, item, (size_t)i & 1);
        }
        json_t *back;
        if (rf_cat_session_to_json(s, &back, &err) == RF_OK)
            json_decref(back);
        rf_cat_session_free(s);
    }
    json_decref(j);
    return 0;
}
