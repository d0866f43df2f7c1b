/* libFuzzer target: the packed profile reader (scripts/fuzz packed). Bytes
 * that unpack must pack back to the very same bytes and unpack again to the
 * same skills with tails in [0, 1]; anything else must be refused without a
 * fault. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "careers/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    struct rf_profile p, q;
    unsigned char *buf;
    size_t len;
    if (rf_profile_unpack(data, size, &p, &err))
        return 0;
    if (rf_profile_pack(&p, &buf, &len, &err) == RF_OK) {
        if (len != size || memcmp(buf, data, size) != 0)
            abort();
        if (rf_profile_unpack(buf, len, &q, &err) != RF_OK || q.nskills != p.nskills)
            abort();
        for (size_t i = 0; i < q.nskills; i++) {
            const struct rf_profile_skill *a = &p.skills[i], *b = &q.skills[i];
            double t = rf_profile_tail(&q, b, a->theta);
            if (strcmp(a->skill, b->skill) || a->theta != b->theta ||
                !a->posterior != !b->posterior || !(t >= 0 && t <= 1))
                abort();
        }
        rf_profile_cleanup(&q);
        free(buf);
    }
    rf_profile_cleanup(&p);
    return 0;
}
