/* `rolefit team`: which deployment roles and lifecycle tasks a team covers,
 * from its members' profiles, its single points of failure, and the role to
 * hire next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/mem.h"
#include "careers/data.h"
#include "careers/profile.h"
#include "careers/team.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define TEAM_MAX 200

static const char usage[] =
    "usage: rolefit team [--json] [--data DIR] PROFILE.json [PROFILE.json ...]\n\n"
    "Reads the profiles of a team's members (as `rolefit assess --out` or the server\n"
    "writes them) and prints, for each role an ML deployment needs (DIR/team.json), the\n"
    "probability that at least one member meets every core requirement of it; the same\n"
    "for the five lifecycle tasks, with the tasks that rest on one person; and the role\n"
    "whose hire would most raise the team's coverage, with what it closes.\n"
    "Only measured skills count: a member whose test did not measure a role's core\n"
    "skill does not cover that role, and the output says so. At most 200 members.\n\n"
    "  --json      print JSON instead of text\n"
    "  --data DIR  folder with skills.json, roles.json and team.json (default data)\n";

struct team {
    const struct rf_careers *c;
    struct rf_team_spec spec;
    struct rf_profile *prof;
    const char **name;
    size_t nm;
    double *pm; /* nm x nroles */
    int *measured;
    double *role_cov, *task_cov;
    struct rf_team_hire *hires;
};

static const char *call(double p)
{
    return p >= RF_FIT_MET ? "covered" : p <= RF_FIT_BELOW ? "not covered" : "undecided";
}

static void print_text(const struct team *t)
{
    const struct rf_careers *c = t->c;
    size_t nr = c->roles.n;
    printf("Team of %zu:", t->nm);
    for (size_t m = 0; m < t->nm; m++)
        printf("%s %s", m ? "," : "", t->name[m]);
    printf("\n\nRoles an ML deployment needs (P at least one member meets every core "
           "requirement):\n");
    for (size_t i = 0; i < t->spec.nroles; i++) {
        size_t r = t->spec.roles[i], unmeasured = 0;
        printf("  %-42s %5.2f  %s", c->roles.roles[r].name, t->role_cov[r],
               call(t->role_cov[r]));
        for (size_t m = 0; m < t->nm; m++)
            unmeasured += !t->measured[m * nr + r];
        if (unmeasured)
            printf("  (%zu of %zu not measured on its core skills)", unmeasured, t->nm);
        printf("\n");
    }
    printf("  mean coverage %.2f\n\nLifecycle tasks (P at least one member carries it):\n",
           rf_team_score(&t->spec, t->role_cov));
    for (size_t i = 0; i < t->spec.ntasks; i++) {
        size_t k = t->spec.tasks[i];
        printf("  %-42s %5.2f  %s", c->tax.tasks[k].name, t->task_cov[k], call(t->task_cov[k]));
        size_t who = rf_team_single_point(c, &t->spec, t->pm, t->nm, k);
        if (who != (size_t)-1)
            printf("  single point of failure: only %s", t->name[who]);
        printf("\n");
    }
    const struct rf_team_hire *h = &t->hires[0];
    if (!(h->gain > 0)) {
        printf("\nNo single hire at a deployment role's levels raises the coverage.\n");
        return;
    }
    printf("\nHire next: %s (mean coverage %+.2f)\n", c->roles.roles[h->role].name, h->gain);
    for (size_t i = 1; i < t->spec.nroles && i < 3 && t->hires[i].gain > 0; i++)
        printf("  then: %s (%+.2f)\n", c->roles.roles[t->hires[i].role].name, t->hires[i].gain);
}

static json_t *team_json(const struct team *t)
{
    const struct rf_careers *c = t->c;
    size_t nr = c->roles.n;
    json_t *o = json_object(), *roles = json_array(), *tasks = json_array(),
           *hires = json_array(), *members = json_array();
    if (!o || !roles || !tasks || !hires || !members) {
        json_decref(o);
        json_decref(roles);
        json_decref(tasks);
        json_decref(hires);
        json_decref(members);
        return NULL;
    }
    json_object_set_new(o, "members", members);
    json_object_set_new(o, "roles", roles);
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "score", json_real(rf_team_score(&t->spec, t->role_cov)));
    json_object_set_new(o, "hires", hires);
    for (size_t m = 0; m < t->nm; m++)
        json_array_append_new(members, json_string(t->name[m]));
    for (size_t i = 0; i < t->spec.nroles; i++) {
        size_t r = t->spec.roles[i];
        json_t *by = json_array();
        for (size_t m = 0; by && m < t->nm; m++)
            json_array_append_new(by, json_pack("{sssfsb}", "member", t->name[m], "prob",
                                                t->pm[m * nr + r], "measured",
                                                t->measured[m * nr + r]));
        json_array_append_new(roles, json_pack("{sssssfsssO}", "role", c->roles.roles[r].id,
                                               "name", c->roles.roles[r].name, "prob",
                                               t->role_cov[r], "call", call(t->role_cov[r]),
                                               "members", by));
        json_decref(by);
    }
    for (size_t i = 0; i < t->spec.ntasks; i++) {
        size_t k = t->spec.tasks[i];
        size_t who = rf_team_single_point(c, &t->spec, t->pm, t->nm, k);
        json_array_append_new(tasks, json_pack("{sssssfssso}", "task", c->tax.tasks[k].id,
                                               "name", c->tax.tasks[k].name, "prob",
                                               t->task_cov[k], "call", call(t->task_cov[k]),
                                               "single_point",
                                               who == (size_t)-1 ? json_null()
                                                                 : json_string(t->name[who])));
    }
    for (size_t i = 0; i < t->spec.nroles; i++)
        json_array_append_new(hires, json_pack("{sssfsf}", "role",
                                               c->roles.roles[t->hires[i].role].id, "gain",
                                               t->hires[i].gain, "task_gain",
                                               t->hires[i].task_gain));
    return o;
}

static void team_free(struct team *t)
{
    for (size_t m = 0; t->prof && m < t->nm; m++)
        rf_profile_cleanup(&t->prof[m]);
    free(t->prof);
    free(t->name);
    free(t->pm);
    free(t->measured);
    free(t->role_cov);
    free(t->task_cov);
    free(t->hires);
    rf_team_spec_cleanup(&t->spec);
}

static const char *person_or_file(const struct rf_profile *p, const char *path)
{
    if (p->person && *p->person)
        return p->person;
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int run(const struct rf_careers *c, const char *data, const char **pos, size_t npos,
               int json)
{
    const char *cmd = "team";
    struct team t = {.c = c};
    struct rf_err err;
    rf_err_clear(&err);
    size_t nr = c->roles.n;
    char path[4096];
    snprintf(path, sizeof path, "%s/team.json", data);
    rf_status rc = rf_team_spec_load(path, c, &t.spec, &err);
    int ec = RF_EXIT_OK;
    if (rc) {
        ec = rf_cli_fail(cmd, rc, err.msg);
        goto out;
    }
    if (!(t.prof = rf_calloc_array(npos, sizeof *t.prof)) ||
        !(t.name = rf_calloc_array(npos, sizeof *t.name)) ||
        !(t.pm = rf_calloc_array(npos * nr, sizeof *t.pm)) ||
        !(t.measured = rf_calloc_array(npos * nr, sizeof *t.measured)) ||
        !(t.role_cov = rf_calloc_array(nr, sizeof *t.role_cov)) ||
        !(t.task_cov = rf_calloc_array(c->tax.ntasks, sizeof *t.task_cov)) ||
        !(t.hires = rf_calloc_array(t.spec.nroles, sizeof *t.hires))) {
        ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t m = 0; m < npos; m++) {
        t.nm = m + 1;
        if ((rc = rf_profile_load(pos[m], &t.prof[m], &err)) ||
            (rc = rf_team_member_roles(&t.prof[m], &c->roles, t.pm + m * nr, t.measured + m * nr,
                                       &err))) {
            ec = rf_cli_fail(cmd, rc, err.msg);
            goto out;
        }
        t.name[m] = person_or_file(&t.prof[m], pos[m]);
    }
    rf_team_coverage(c, &t.spec, t.pm, t.nm, (size_t)-1, t.role_cov, t.task_cov);
    if ((rc = rf_team_next_hires(c, &t.spec, t.pm, t.nm, t.hires, &err))) {
        ec = rf_cli_fail(cmd, rc, err.msg);
        goto out;
    }
    if (json) {
        json_t *j = team_json(&t);
        if (!j)
            ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        else
            rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
    } else {
        print_text(&t);
    }
out:
    team_free(&t);
    return ec;
}

int rf_cmd_team(int argc, char **argv)
{
    const char *cmd = "team", *data = rf_cli_default_path("data");
    int json = 0, help = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json}, {"data", 1, &data, NULL}};
    const char *pos[TEAM_MAX];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, TEAM_MAX,
                          &npos, &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (!npos)
        return rf_cli_usage_error(cmd, "expected the members' profile files (see 'rolefit team "
                                       "--help')");
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    ec = run(&c, data, pos, npos, json);
    rf_careers_cleanup(&c);
    return ec;
}
