/* libFuzzer target: the scorecards reader (scripts/fuzz scorecards) against
 * the bundled kits data/interviews.json (run from the repository root or two
 * folders below it). Accepted scorecards keep the invariants of
 * interview/cards.h: every rating's criterion, rater, person and score are
 * in range, and its slot in 1..RF_IV_MAX_SLOT; a refusal leaves nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "careers/data.h"
#include "careers/kits.h"
#include "interview/cards.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_careers c;
static struct rf_kits k;
static struct rf_iv_bank b;
static int loaded;

static int load(const char *dir)
{
    struct rf_err err;
    char path[256];
    snprintf(path, sizeof path, "%s/interviews.json", dir);
    return rf_careers_load(dir, &c, &err) == RF_OK && rf_kits_load(path, &c, &k, &err) == RF_OK &&
           rf_iv_bank_from_kits(&k, &b, &err) == RF_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!loaded) {
        if (!load("data") && !load("../../data"))
            abort();
        loaded = 1;
    }
    struct rf_iv_cards cards = {0};
    struct rf_err err;
    if (rf_iv_cards_parse("cards.csv", (const char *)data, size, &k, &b, &cards, &err) != RF_OK) {
        if (cards.n || cards.r || cards.npersons)
            abort();
        return 0;
    }
    if (rf_iv_check(b.crit, b.ncrit, cards.nraters, cards.r, cards.n, &err) != RF_OK)
        abort();
    for (size_t i = 0; i < cards.n; i++)
        if (cards.r[i].person >= cards.npersons || cards.r[i].slot < 1 ||
            cards.r[i].slot > RF_IV_MAX_SLOT)
            abort();
    rf_iv_cards_cleanup(&cards);
    return 0;
}
