/* libFuzzer target: the posting parser (scripts/fuzz posting) with the bundled
 * taxonomy and alias dictionary (run from the repository root), then posting
 * fit and reasons of an empty profile over whatever was parsed. */
#include <stddef.h>
#include <stdint.h>

#include "careers/data.h"
#include "careers/posting.h"
#include "careers/rank.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rf_careers c;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    if (!loaded) {
        if (rf_careers_load("../../data", &c, &err) && rf_careers_load("data", &c, &err))
            return 0;
        loaded = 1;
    }
    struct rf_parsed_posting p;
    if (rf_posting_parse("fuzz.md", (const char *)data, size, &c.aliases, &c.tax, &p, &err))
        return 0;
    struct rf_profile prof;
    rf_profile_init_default(&prof);
    double pr[RF_POSTING_MAX_REQS];
    size_t m[RF_POSTING_MAX_REQS];
    struct rf_posting_fit f;
    rf_posting_fit(&p, &c.tax, &prof, pr, m, &f);
    char buf[256];
    rf_posting_reason(&p, pr, m, buf, sizeof buf);
    rf_posting_cleanup(&p);
    return 0;
}
