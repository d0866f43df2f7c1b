/* libFuzzer target: restoring an adaptive session from JSON (scripts/fuzz session)
 * over two pools: a fixed synthetic one (skills "alg" and "prob", 40 2PL items
 * each, generated with seed 1: the pool of tests/fixtures/cat/session*.json)
 * and the bundled bank data/bank as `rolefit assess` builds it (multiple-choice
 * items; its sessions carry role "classes"). Run from the repository root or
 * two folders below it. A restored session must keep working and save. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bank/bank.h"
#include "base/json.h"
#include "cat/pool.h"
#include "cat/sessfile.h"
#include "cat/session.h"
#include "cat/sim.h"
#include "irt/quad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_cat_pool *pools[2];

static void load_pools(void)
{
    struct rf_err err;
    static const char *names[] = {"alg", "prob"};
    struct rf_cat_gen g;
    struct rf_quad q;
    if (rf_cat_generate(names, 2, 40, RF_MODEL_2PL, 1, &g, &err) ||
        rf_quad_init_default(&q, &err) || rf_cat_pool_new(g.items, g.n, &q, &pools[0], &err))
        abort();
    rf_cat_gen_cleanup(&g);
    struct rf_bank b;
    rf_bank_init(&b);
    if (rf_bank_load_dir("data/bank", &b, &err) != RF_OK) {
        rf_bank_cleanup(&b);
        rf_bank_init(&b);
        if (rf_bank_load_dir("../../data/bank", &b, &err) != RF_OK)
            abort();
    }
    if (rf_cat_pool_from_bank(&b, RF_CAT_POOL_SCORED, &q, &pools[1], &err))
        abort();
    rf_bank_cleanup(&b);
    rf_quad_cleanup(&q);
}

static void restore(const struct rf_cat_pool *pool, const json_t *j)
{
    struct rf_err err;
    struct rf_cat_session *s;
    if (rf_cat_session_from_json(pool, j, "fuzz.json", &s, &err) != RF_OK)
        return;
    size_t item;
    for (int i = 0; i < 50; i++) { /* a restored session must keep working */
        rf_cat_next(s, &item);
        if (item == SIZE_MAX)
            break;
        rf_cat_answer(s, item, (size_t)i & 1);
    }
    json_t *back; /* and save: a session that restored must be writable again */
    if (rf_cat_session_to_json(s, &back, &err) != RF_OK)
        abort();
    json_decref(back);
    rf_cat_session_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    if (!pools[0])
        load_pools();
    json_t *j;
    if (rf_json_load_mem("fuzz.json", (const char *)data, size, &j, &err))
        return 0;
    restore(pools[0], j);
    restore(pools[1], j);
    json_decref(j);
    return 0;
}
