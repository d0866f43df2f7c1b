/* Loading the careers data folder; see data.h. */
#include "careers/data.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"

static void join(char *out, size_t n, const char *dir, const char *file)
{
    snprintf(out, n, "%s/%s", dir, file);
}

rf_status rf_careers_load(const char *dir, struct rf_careers *c, struct rf_err *err)
{
    memset(c, 0, sizeof *c);
    char path[4096];
    join(path, sizeof path, dir, "skills.json");
    rf_status rc = rf_taxonomy_load(path, &c->tax, err);
    if (rc)
        return rc;
    join(path, sizeof path, dir, "roles.json");
    if ((rc = rf_roles_load(path, &c->tax, &c->roles, err)))
        goto fail;
    join(path, sizeof path, dir, "skill_aliases.json");
    if ((rc = rf_aliases_load(path, &c->tax, &c->aliases, err)))
        goto fail;
    join(path, sizeof path, dir, "learning.json");
    if (access(path, F_OK) == 0 && (rc = rf_learning_load(path, &c->tax, &c->learning, err)))
        goto fail;
    return RF_OK;
fail:
    rf_careers_cleanup(c);
    return rc;
}

void rf_careers_cleanup(struct rf_careers *c)
{
    if (!c)
        return;
    rf_aliases_cleanup(&c->aliases);
    rf_learning_cleanup(&c->learning);
    rf_roles_cleanup(&c->roles);
    rf_taxonomy_cleanup(&c->tax);
}

