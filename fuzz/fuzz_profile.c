/* libFuzzer target: the profile reader (scripts/fuzz profile); a profile that
 * reads must write and read back, pack and unpack to the same tails, and its
 * tails must stay in [0, 1]. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "careers/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rf_err err;
    struct rf_profile p;
    if (rf_profile_parse("fuzz.json", (const char *)data, size, &p, &err))
        return 0;
    for (size_t i = 0; i < p.nskills; i++) {
        double t = rf_profile_tail(&p, &p.skills[i], 0.0);
        if (!(t >= 0 && t <= 1))
            abort();
    }
    unsigned char *buf;
    size_t len;
    if (rf_profile_pack(&p, &buf, &len, &err) == RF_OK) {
        struct rf_profile u;
        if (rf_profile_unpack(buf, len, &u, &err) != RF_OK || u.nskills != p.nskills)
            abort();
        for (size_t i = 0; i < u.nskills; i++)
            if (rf_profile_tail(&u, &u.skills[i], 0.5) != rf_profile_tail(&p, &p.skills[i], 0.5))
                abort();
        rf_profile_cleanup(&u);
        free(buf);
    }
    json_t *j;
    if (rf_profile_to_json(&p, &j, &err) == RF_OK) {
        struct rf_profile q;
        if (rf_profile_from_json(j, "again", &q, &err) != RF_OK || q.nskills != p.nskills)
            abort();
        rf_profile_cleanup(&q);
        json_decref(j);
    }
    rf_profile_cleanup(&p);
    return 0;
}
