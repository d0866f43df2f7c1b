/* `rolefit kit`: a role's interview kit (its loop of rounds, each with
 * questions, follow-ups and an anchored rubric, and its take-home project),
 * and the checks of data/interviews.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "careers/data.h"
#include "careers/kits.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit kit ROLE [--json] [--data DIR]\n"
    "       rolefit kit --lint [--data DIR]\n\n"
    "Prints the interview kit of a role from DIR/interviews.json: the rounds of its\n"
    "loop in order (how many of each, minutes, the skills each measures), each round's\n"
    "questions with follow-up probes and its rubric, whose criteria are anchored at every\n"
    "point of the scale by what an answer at that point looks like, and the role's\n"
    "take-home project with its rubric.\n"
    "--lint checks the kits beyond what loading requires (anchors that say too little,\n"
    "anchors alike, technical roles without a take-home) and that the loops of\n"
    "roles.json follow them (the same rounds in order, the same counts and take-home,\n"
    "and the role requires what each round tests first): one line per finding, exit 1\n"
    "when there is any.\n\n"
    "  --json      print JSON instead of text\n"
    "  --lint      check the kits\n"
    "  --data DIR  folder with skills.json, roles.json and interviews.json (default data)\n";

static void print_rubric(const struct rf_kits *k, const struct rf_kit_criterion *cr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("    %s (%s)\n", cr[i].name, k->careers->tax.skills[cr[i].skill].name);
        for (int p = k->min; p <= k->max; p++)
            printf("      %d: %s\n", p, cr[i].anchors[p - k->min]);
    }
}

static void print_kit(const struct rf_kits *k, const struct rf_role *role,
                      const struct rf_kit_loop *l)
{
    const struct rf_taxonomy *tax = &k->careers->tax;
    size_t total = 0;
    for (size_t i = 0; i < l->nsteps; i++)
        total += l->steps[i].count;
    printf("Interview kit: %s (%zu rounds)\n\nScale:\n", role->name, total);
    for (int p = k->min; p <= k->max; p++)
        printf("  %d  %s\n", p, k->meaning[p - k->min]);
    for (size_t i = 0; i < l->nsteps; i++) {
        const struct rf_kit_round *r = &k->rounds[l->steps[i].round];
        if (l->steps[i].count > 1)
            printf("\n%zu. %s, %zu rounds (%g minutes each)\n   Measures:", i + 1, r->name,
                   l->steps[i].count, r->minutes);
        else
            printf("\n%zu. %s (%g minutes)\n   Measures:", i + 1, r->name, r->minutes);
        for (size_t s = 0; s < r->nskills; s++)
            printf("%s %s", s ? "," : "", tax->skills[r->skills[s]].name);
        printf("\n   Questions:\n");
        for (size_t q = 0; q < r->nquestions; q++) {
            printf("    - %s\n", r->questions[q].prompt);
            for (size_t f = 0; f < r->questions[q].nfollow; f++)
                printf("        then: %s\n", r->questions[q].follow_ups[f]);
        }
        printf("   Rubric:\n");
        print_rubric(k, r->rubric, r->ncriteria);
    }
    if (l->take_home != (size_t)-1) {
        const struct rf_kit_take_home *t = &k->take_homes[l->take_home];
        printf("\nTake-home: %s (about %g hours of work)\n   Data: %s\n   Task: %s\n"
               "   Hand in: %s\n   Rubric:\n",
               t->name, t->hours, t->data, t->task, t->hand_in);
        print_rubric(k, t->rubric, t->ncriteria);
    }
}

static json_t *rubric_json(const struct rf_kits *k, const struct rf_kit_criterion *cr, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *an = json_object();
        for (int p = k->min; an && p <= k->max; p++) {
            char key[8];
            snprintf(key, sizeof key, "%d", p);
            json_object_set_new(an, key, json_string(cr[i].anchors[p - k->min]));
        }
        json_t *o = json_pack("{sssssssO}", "id", cr[i].id, "name", cr[i].name, "skill",
                              k->careers->tax.skills[cr[i].skill].id, "anchors", an);
        json_decref(an);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

static json_t *skills_json(const struct rf_kits *k, const size_t *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(k->careers->tax.skills[s[i]].id));
    return a;
}

static json_t *kit_json(const struct rf_kits *k, const struct rf_role *role,
                        const struct rf_kit_loop *l)
{
    json_t *rounds = json_array(), *th = json_null();
    for (size_t i = 0; rounds && i < l->nsteps; i++) {
        const struct rf_kit_round *r = &k->rounds[l->steps[i].round];
        json_t *qs = json_array();
        for (size_t q = 0; qs && q < r->nquestions; q++) {
            json_t *f = json_array();
            for (size_t j = 0; f && j < r->questions[q].nfollow; j++)
                json_array_append_new(f, json_string(r->questions[q].follow_ups[j]));
            json_array_append_new(qs, json_pack("{sssO}", "prompt", r->questions[q].prompt,
                                                "follow_ups", f));
            json_decref(f);
        }
        json_t *sk = skills_json(k, r->skills, r->nskills), *ru = rubric_json(k, r->rubric,
                                                                              r->ncriteria);
        json_array_append_new(rounds, json_pack("{sssssssIsfsOsOsO}", "id", r->id, "name",
                                                r->name, "kind", r->kind, "count",
                                                (json_int_t)l->steps[i].count, "minutes",
                                                r->minutes, "skills", sk, "questions", qs,
                                                "rubric", ru));
        json_decref(sk);
        json_decref(ru);
        json_decref(qs);
    }
    if (l->take_home != (size_t)-1) {
        const struct rf_kit_take_home *t = &k->take_homes[l->take_home];
        json_t *sk = skills_json(k, t->skills, t->nskills),
               *ru = rubric_json(k, t->rubric, t->ncriteria);
        th = json_pack("{sssssfsssssssOsO}", "id", t->id, "name", t->name, "hours", t->hours,
                       "data", t->data, "task", t->task, "hand_in", t->hand_in, "skills", sk,
                       "rubric", ru);
        json_decref(sk);
        json_decref(ru);
    }
    json_t *o = json_pack("{sssss{sisi}sOso}", "role", role->id, "name", role->name, "scale",
                          "min", k->min, "max", k->max, "rounds", rounds, "take_home", th);
    json_decref(rounds);
    return o;
}

static void print_line(void *ctx, const char *line)
{
    fprintf(stdout, "%s: %s\n", (const char *)ctx, line);
}

int rf_cmd_kit(int argc, char **argv)
{
    const char *cmd = "kit", *data = rf_cli_default_path("data");
    int json = 0, help = 0, lint = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json},
                                {"data", 1, &data, NULL},
                                {"lint", 0, NULL, &lint}};
    const char *pos[1];
    size_t npos;
    int ec = rf_cli_parse(cmd, argc, argv, opts, sizeof opts / sizeof opts[0], pos, 1, &npos,
                          &help);
    if (ec)
        return ec;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (lint == (npos == 1))
        return rf_cli_usage_error(cmd, lint ? "--lint takes no role"
                                            : "expected a role id (see 'rolefit roles')");
    struct rf_careers c;
    struct rf_kits k;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    char path[4096];
    snprintf(path, sizeof path, "%s/interviews.json", data);
    if ((rc = rf_kits_load(path, &c, &k, &err))) {
        rf_careers_cleanup(&c);
        return rf_cli_fail(cmd, rc, err.msg);
    }
    if (lint) {
        size_t n = rf_kits_lint(&k, print_line, "interviews.json") +
                   rf_kits_check_roles(&k, print_line, "roles.json");
        printf("kit: %zu finding%s\n", n, n == 1 ? "" : "s");
        ec = n ? RF_EXIT_DATA : RF_EXIT_OK;
    } else {
        const struct rf_role *role = rf_roles_find(&c.roles, pos[0]);
        if (!role) {
            rf_err_set(&err, RF_ENOTFOUND, "no role '%.64s' (see 'rolefit roles')", pos[0]);
            ec = rf_cli_fail(cmd, RF_ENOTFOUND, err.msg);
        } else {
            const struct rf_kit_loop *l = rf_kits_loop(&k, (size_t)(role - c.roles.roles));
            if (json) {
                json_t *j = kit_json(&k, role, l);
                if (!j)
                    ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
                else
                    rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                json_decref(j);
            } else {
                print_kit(&k, role, l);
            }
        }
    }
    rf_kits_cleanup(&k);
    rf_careers_cleanup(&c);
    return ec;
}
