/* `rolefit fit`: how well a skill profile fits every role, with uncertainty. */
#include <stdio.h>
#include <stdlib.h>

#include "base/chance.h"
#include "base/json.h"
#include "careers/closest.h"
#include "careers/data.h"
#include "careers/fit.h"
#include "careers/profile.h"
#include "careers/report.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit fit --profile FILE [--json] [--data DIR]\n\n"
    "Fits the skill profile FILE (docs/profile-format.md) to every role of DIR/roles.json,\n"
    "best first. Per role: fit = sum of w_k * P(theta_k >= cut_k) over the role's\n"
    "requirements, +- the SD of the weighted share met; P(all core skills met); the share\n"
    "of the role's weight that was measured. Skills the profile lacks count with the\n"
    "population prior N(0,1) and are listed as not measured. First, the closest roles:\n"
    "the probability of each role given the answers, if each role's people sit around\n"
    "the levels it requires (docs/careers.md): fit asks \"does this person meet the bar\",\n"
    "closeness \"which role's people does this person look like\".\n\n"
    "  --profile FILE  the profile (JSON)\n"
    "  --json          print JSON: {\"closest\": [roles by probability], \"roles\": [roles by\n"
    "                  fit, with per-requirement probabilities]}\n"
    "  --data DIR      folder with skills.json and roles.json (default data)\n";

int rf_cmd_fit(int argc, char **argv)
{
    const char *cmd = "fit", *data = rf_cli_default_path("data"), *profile = NULL;
    int json = 0, help = 0;
    struct rf_cli_opt opts[] = {
        {"profile", 1, &profile, NULL}, {"json", 0, NULL, &json}, {"data", 1, &data, NULL}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 0, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!profile)
        return rf_cli_usage_error(cmd, "--profile is required (see 'rolefit fit --help')");
    struct rf_careers c;
    struct rf_profile p;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    if ((rc = rf_profile_load(profile, &p, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    struct rf_role_fit *fits = NULL;
    struct rf_role_close *cl = NULL;
    double none = 0;
    json_t *j = NULL;
    if ((rc = rf_fit_all(&p, &c.roles, &fits, &err)) ||
        (rc = rf_closest_all(&p, &c.roles, &cl, &none, &err)))
        goto out;
    if (json) {
        json_t *roles, *closest = json_array();
        if ((rc = rf_fits_to_json(&c, fits, c.roles.n, &roles, &err))) {
            json_decref(closest);
            goto out;
        }
        for (size_t i = 0; closest && i < c.roles.n; i++)
            json_array_append_new(closest,
                                  json_pack("{sssssfsIsf}", "role", cl[i].role->id, "name",
                                            cl[i].role->name, "probability", cl[i].prob,
                                            "measured", (json_int_t)cl[i].nmeasured, "log_bf",
                                            cl[i].log_bf));
        j = json_pack("{sosfso}", "closest", closest, "no_role", none, "roles", roles);
        if (!j) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto out;
        }
        rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        goto out;
    }
    size_t measured = 0;
    for (size_t i = 0; i < c.tax.nskills; i++)
        measured += rf_profile_find(&p, c.tax.skills[i].id) != NULL;
    printf("Role fit for %s: %zu of %zu skills measured\n\n", p.person ? p.person : profile,
           measured, c.tax.nskills);
    if (cl[0].nmeasured) {
        printf("  closest roles:");
        char pc[RF_CHANCE_LEN];
        for (size_t i = 0; i < c.roles.n && i < 3 && cl[i].nmeasured; i++)
            printf("%s %s %s", i ? "," : "", cl[i].role->name,
                   rf_chance_pct(pc, sizeof pc, cl[i].prob));
        printf("; no role %s\n", rf_chance_pct(pc, sizeof pc, none));
        if (none > cl[0].prob)
            printf("  no role resembles these answers: they look like answers given at random\n");
        printf("\n");
    }
    printf("  %-48s %-12s %-9s %s\n", "role", "fit +- sd", "core met", "measured");
    for (size_t i = 0; i < c.roles.n; i++) {
        const struct rf_role_fit *f = &fits[i];
        printf("  %-48s %.2f +- %.2f  %.2f      %3.0f%%", f->role->name, f->fit, f->sd, f->p_core,
               100 * f->measured);
        if (f->nunmeasured) {
            printf("  not measured:");
            for (size_t k = 0; k < f->nreqs; k++)
                if (!f->reqs[k].have)
                    printf(" %s", c.tax.skills[f->reqs[k].req->skill].id);
        }
        printf("\n");
    }
out:
    json_decref(j);
    free(cl);
    rf_fit_free_all(fits, c.roles.n);
    rf_profile_cleanup(&p);
    rf_careers_cleanup(&c);
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
