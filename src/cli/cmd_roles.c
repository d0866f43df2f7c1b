/* `rolefit roles`: the roles rolefit fits people to, and one role in detail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "careers/data.h"
#include "careers/report.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit roles [--json] [--data DIR]\n"
    "       rolefit roles show ID [--json] [--data DIR]\n\n"
    "Lists the roles of DIR/roles.json (default data/): id, kind, name and core skills.\n"
    "'show ID' prints one role: its description, how its work splits over the lifecycle\n"
    "tasks, the level it requires per skill (core skills marked, with each requirement's\n"
    "weight in role fit) and its typical interview loop.\n\n"
    "  --json      print JSON instead of text\n"
    "  --data DIR  folder with skills.json and roles.json (default data)\n";

static json_t *role_json(const struct rf_careers *c, const struct rf_role *r)
{
    json_t *o = json_pack("{ssssssss}", "id", r->id, "name", r->name, "kind", r->kind,
                          "description", r->description);
    json_t *w = json_object(), *req = json_array(), *loop = json_array();
    if (!o || !w || !req || !loop) {
        json_decref(o);
        json_decref(w);
        json_decref(req);
        json_decref(loop);
        return NULL;
    }
    json_object_set_new(o, "weights", w);
    json_object_set_new(o, "requires", req);
    json_object_set_new(o, "loop", loop);
    for (size_t t = 0; t < c->tax.ntasks; t++)
        json_object_set_new(w, c->tax.tasks[t].id, json_real(r->task_weights[t]));
    for (size_t k = 0; k < r->nreqs; k++) {
        const struct rf_role_req *q = &r->reqs[k];
        json_array_append_new(req, json_pack("{sssssbsfsf}", "skill", c->tax.skills[q->skill].id,
                                             "level", c->tax.levels[q->level], "core", q->core,
                                             "weight", q->weight, "cut", q->cut));
    }
    for (size_t i = 0; i < r->nloop; i++)
        json_array_append_new(loop, json_pack("{ssss}", "stage", r->loop[i].stage, "what",
                                              r->loop[i].what));
    return o;
}

static int print_json(json_t *j)
{
    if (!j)
        return rf_cli_fail("roles", RF_ENOMEM, "out of memory");
    rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    return RF_EXIT_OK;
}

static void show_text(const struct rf_careers *c, const struct rf_role *r)
{
    printf("%s (%s, %s)\n\n%s\n\nWork split:", r->name, r->id, r->kind, r->description);
    for (size_t t = 0; t < c->tax.ntasks; t++)
        if (r->task_weights[t] > 0)
            printf(" %s %.0f%%", c->tax.tasks[t].name, 100 * r->task_weights[t]);
    printf("\n\nRequires (level, weight in fit; * core):\n");
    for (size_t k = 0; k < r->nreqs; k++) {
        const struct rf_role_req *q = &r->reqs[k];
        printf("  %c %-38s %-11s %4.0f%%\n", q->core ? '*' : ' ', c->tax.skills[q->skill].name,
               c->tax.levels[q->level], 100 * q->weight);
    }
    printf("\nTypical interview loop:\n");
    for (size_t i = 0; i < r->nloop; i++)
        printf("  %zu. %s: %s\n", i + 1, r->loop[i].stage, r->loop[i].what);
}

int rf_cmd_roles(int argc, char **argv)
{
    const char *cmd = "roles", *data = rf_cli_default_path("data");
    int json = 0, help = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json}, {"data", 1, &data, NULL}};
    const char *pos[2];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 2, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos == 1 || (npos == 2 && strcmp(pos[0], "show") != 0))
        return rf_cli_usage_error(cmd, "expected 'show ID' or nothing, got '%s' (see 'rolefit "
                                       "roles --help')", pos[0]);
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    if (npos == 2) {
        const struct rf_role *r = rf_roles_find(&c.roles, pos[1]);
        if (!r) {
            rf_err_set(&err, RF_ENOTFOUND, "no role '%s' (see 'rolefit roles')", pos[1]);
            rf_careers_cleanup(&c);
            return rf_cli_fail(cmd, RF_ENOTFOUND, err.msg);
        }
        if (json)
            ec = print_json(role_json(&c, r));
        else
            show_text(&c, r);
        rf_careers_cleanup(&c);
        return ec;
    }
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < c.roles.n; i++)
            if (json_array_append_new(a, role_json(&c, &c.roles.roles[i]))) {
                json_decref(a);
                a = NULL;
            }
        ec = print_json(a);
    } else {
        for (size_t i = 0; i < c.roles.n; i++) {
            const struct rf_role *r = &c.roles.roles[i];
            printf("%-28s %-9s %s\n%38s core:", r->id, r->kind, r->name, "");
            for (size_t k = 0; k < r->nreqs; k++)
                if (r->reqs[k].core)
                    printf(" %s (%s)", c.tax.skills[r->reqs[k].skill].id,
                           c.tax.levels[r->reqs[k].level]);
            printf("\n");
        }
    }
    rf_careers_cleanup(&c);
    return ec;
}
