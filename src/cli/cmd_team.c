/* `rolefit team`: which deployment roles and lifecycle tasks a team covers,
 * from its members' profiles, its single points of failure, and the role to
 * hire next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "bank/bank.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/data.h"
#include "careers/profile.h"
#include "careers/team.h"
#include "cat/pool.h"
#include "server/teamsim.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define TEAM_MAX 200

static const char usage[] =
    "usage: rolefit team [--json] [--data DIR] PROFILE.json [PROFILE.json ...]\n"
    "       rolefit team --simulate N [--bank DIR] [--sizes MIN-MAX] [--seed S]\n"
    "                    [--threads T] [--with-g] [--members KIND] [--json] [--data DIR]\n\n"
    "Reads the profiles of a team's members (as `rolefit assess --out` or the server\n"
    "writes them) and prints, for each role an ML deployment needs (DIR/team.json), the\n"
    "probability that at least one member meets every core requirement of it; the same\n"
    "for the five lifecycle tasks, with the tasks that rest on one person; and the role\n"
    "whose hire is most likely to raise the team's coverage most, with that probability\n"
    "and what it closes.\n"
    "A core skill a member's test did not measure counts by the population's prior\n"
    "(through g from the measured ones only when the loadings are calibrated), with\n"
    "the interval of each coverage once it is measured; a call is made only on that\n"
    "interval, and is \"unmeasured\" when no member's test measured the role's core\n"
    "skills. At most 200 members.\n\n"
    "--simulate N draws N teams of MIN to MAX members (default 1-4), each member the\n"
    "person of a deployment role at its levels who takes that role's test on the bank\n"
    "(answers drawn with a = 1, c = 1/k), and reports how often the suggested hire is\n"
    "one that truly raises coverage most, and how well the coverage is calibrated\n"
    "(stated against truly so, per tenth of the stated value).\n"
    "Results are identical for a seed whatever the number of threads.\n\n"
    "  --json          print JSON instead of text\n"
    "  --data DIR      folder with skills.json, roles.json and team.json (default data)\n"
    "  --simulate N    simulate N teams (1..100000) instead of reading profiles\n"
    "  --bank DIR      the item bank of the simulated tests (default data/bank)\n"
    "  --sizes MIN-MAX members per simulated team (default 1-4, at most 16)\n"
    "  --seed S        random seed of the simulation (default 1)\n"
    "  --threads T     worker threads of the simulation (default 2)\n"
    "  --with-g        members' skills correlate through g at the taxonomy's loadings\n"
    "                  (the product's model); without it they are independent\n"
    "  --members KIND  who the members are: role (default: the person of the role whose\n"
    "                  test they take), population (N(0, 1) on every skill) or mix\n"
    "                  (either with even odds)\n";

struct team {
    const struct rf_careers *c;
    struct rf_team_spec spec;
    struct rf_profile *prof;
    const char **name;
    size_t nm;
    struct rf_team_view v;
};


static void print_text(const struct team *t)
{
    const struct rf_careers *c = t->c;
    const struct rf_team_view *v = &t->v;
    size_t nr = c->roles.n;
    printf("Team of %zu:", t->nm);
    for (size_t m = 0; m < t->nm; m++)
        printf("%s %s", m ? "," : "", t->name[m]);
    printf("\n\nRoles an ML deployment needs (P at least one member meets every core "
           "requirement;\nin brackets, where 90%% of it would lie once unmeasured skills are "
           "measured):\n");
    for (size_t i = 0; i < t->spec.nroles; i++) {
        size_t r = t->spec.roles[i], unmeasured = 0;
        printf("  %-42s %5.2f (%.2f-%.2f)  %s", c->roles.roles[r].name, v->role_cov[r],
               v->role_lo[r], v->role_hi[r], rf_team_call(v->role_lo[r], v->role_hi[r], v->role_unmeasured[r]));
        for (size_t m = 0; m < t->nm; m++)
            unmeasured += !v->measured[m * nr + r];
        if (unmeasured)
            printf("  (%zu of %zu not measured on its core skills)", unmeasured, t->nm);
        printf("\n");
    }
    printf("  mean coverage %.2f\n\nLifecycle tasks (P at least one member carries it):\n",
           rf_team_score(&t->spec, v->role_cov));
    for (size_t i = 0; i < t->spec.ntasks; i++) {
        size_t k = t->spec.tasks[i];
        printf("  %-42s %5.2f (%.2f-%.2f)  %s", c->tax.tasks[k].name, v->task_cov[k],
               v->task_lo[k], v->task_hi[k], rf_team_call(v->task_lo[k], v->task_hi[k], v->task_unmeasured[k]));
        size_t who = rf_team_single_point(c, &t->spec, v->pm, v->pt, t->nm, k);
        if (who != (size_t)-1)
            printf("  single point of failure: only %s", t->name[who]);
        printf("\n");
    }
    const struct rf_team_hire *h = &v->hires[0];
    if (!(h->gain > 0)) {
        printf("\nNo single hire at a deployment role's levels raises the coverage.\n");
        return;
    }
    printf("\nHire next: %s (mean coverage %+.2f; the best hire with probability %.2f)\n",
           c->roles.roles[h->role].name, h->gain, h->p_best);
    size_t ties = 0;
    for (size_t i = 1; i < t->spec.nroles; i++) /* what the draws cannot tell from it */
        if (v->hires[i].near_tie)
            printf("%s %s (%.2f)", ties++ ? "," : "  about as likely the best (a near tie):",
                   c->roles.roles[v->hires[i].role].name, v->hires[i].p_best);
    if (ties)
        printf("\n");
    /* each follow-up's gain is what it adds given the hires before it */
    for (size_t k = 0; k < v->nthen; k++)
        printf("  then: %s (%+.2f given the hire%s before it)\n",
               c->roles.roles[v->then[k].role].name, v->then[k].gain, k ? "s" : "");
}

static void team_free(struct team *t)
{
    for (size_t m = 0; t->prof && m < t->nm; m++)
        rf_profile_cleanup(&t->prof[m]);
    free(t->prof);
    free(t->name);
    rf_team_view_cleanup(&t->v);
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
    char path[4096];
    snprintf(path, sizeof path, "%s/team.json", data);
    rf_status rc = rf_team_spec_load(path, c, &t.spec, &err);
    int ec = RF_EXIT_OK;
    if (rc) {
        ec = rf_cli_fail(cmd, rc, err.msg);
        goto out;
    }
    if (!(t.prof = rf_calloc_array(npos, sizeof *t.prof)) ||
        !(t.name = rf_calloc_array(npos, sizeof *t.name))) {
        ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t m = 0; m < npos; m++) {
        t.nm = m + 1;
        if ((rc = rf_profile_load(pos[m], &t.prof[m], &err))) {
            ec = rf_cli_fail(cmd, rc, err.msg);
            goto out;
        }
        t.name[m] = person_or_file(&t.prof[m], pos[m]);
    }
    if ((rc = rf_team_view_build(c, &t.spec, t.prof, t.nm, &t.v, &err))) {
        ec = rf_cli_fail(cmd, rc, err.msg);
        goto out;
    }
    if (json) {
        json_t *j = rf_team_view_json(c, &t.spec, &t.v, t.name);
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

struct simargs {
    size_t nteams, min, max, threads;
    unsigned long long seed;
    const char *bank;
    int with_g, members;
};

static const char *const member_kinds[] = {"role", "population", "mix"};

/* One calibration table as JSON: per non-empty bin its count, mean stated
 * value and share truly so. */
static json_t *calib_json(const struct rf_teamsim_calib *cal)
{
    json_t *a = json_array();
    for (size_t b = 0; a && b < RF_TEAMSIM_BINS; b++)
        if (cal->n[b])
            json_array_append_new(a, json_pack("{sIsfsf}", "n", (json_int_t)cal->n[b], "said",
                                               cal->said[b], "true", cal->truth[b]));
    return a;
}

static void calib_text(const char *what, const struct rf_teamsim_calib *cal)
{
    size_t n = 0;
    for (size_t b = 0; b < RF_TEAMSIM_BINS; b++)
        n += cal->n[b];
    printf("  %s (%zu):\n   ", what, n);
    for (size_t b = 0; b < RF_TEAMSIM_BINS; b++)
        if (cal->n[b])
            printf(" %.2f→%.2f (%zu)", cal->said[b], cal->truth[b], cal->n[b]);
    printf("\n");
}

static int simulate(const struct rf_careers *c, const char *data, const struct simargs *a,
                    int json)
{
    const char *cmd = "team";
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_team_spec spec = {0};
    struct rf_bank bank;
    struct rf_quad q = {0};
    struct rf_cat_pool *p = NULL;
    struct rf_rolesim_truth t = {0};
    rf_bank_init(&bank);
    char path[4096];
    snprintf(path, sizeof path, "%s/team.json", data);
    struct stat sb;
    int ec = RF_EXIT_OK;
    rf_status rc = rf_team_spec_load(path, c, &spec, &err);
    if (!rc && (stat(a->bank, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        ec = rf_cli_usage_error(cmd, "--bank: %s: expected a bank directory", a->bank);
        goto done;
    }
    if (!rc)
        rc = rf_quad_init_default(&q, &err);
    if (!rc)
        rc = rf_bank_load_dir(a->bank, &bank, &err);
    if (!rc)
        rc = rf_cat_pool_from_bank(&bank, RF_CAT_POOL_SCORED, &q, &p, &err);
    if (!rc)
        rc = rf_rolesim_truth_init(&t, p, &bank, &err);
    struct rf_teamsim_opts o = {a->nteams, a->min,    a->max,    a->seed,
                                a->threads, a->with_g, a->members};
    struct rf_teamsim_result r;
    if (!rc)
        rc = rf_teamsim_run(p, &t, c, &spec, &o, &r, &err);
    if (rc) {
        ec = rf_cli_fail(cmd, rc, err.msg);
        goto done;
    }
    if (json) {
        json_t *j = json_pack("{sIsIsIsIsIsbsfsfsfsfsfsfsfsf}", "teams", (json_int_t)r.nteams,
                              "members", (json_int_t)r.nmembers, "min_size", (json_int_t)a->min,
                              "max_size", (json_int_t)a->max, "seed", (json_int_t)a->seed, "with_g", a->with_g,
                              "hire_right", r.hire_right, "hire_said", r.hire_said,
                              "hire_by_chance", r.hire_chance, "hire_right_by_roles",
                              r.hire_right_gain, "coverage_said", r.cov_said, "coverage_true",
                              r.cov_true, "coverage_brier", r.cov_brier, "items_per_test",
                              r.len_mean);
        json_t *cal = json_pack("{s{soso}s{soso}so}", "coverage", "measured",
                                calib_json(&r.cov[0]), "unmeasured", calib_json(&r.cov[1]),
                                "member", "measured", calib_json(&r.member[0]), "unmeasured",
                                calib_json(&r.member[1]), "own_role", calib_json(&r.own));
        if (j) {
            json_object_set_new(j, "members_are", json_string(member_kinds[a->members]));
            json_object_set_new(j, "hire_near_tie", json_real(r.hire_tied));
            json_object_set_new(j, "hire_right_or_near_tie", json_real(r.hire_right_tied));
        }
        if (!j || !cal || json_object_set_new(j, "calibration", cal)) {
            if (!j)
                json_decref(cal);
            ec = rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        } else
            rf_json_dumpf_out(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
    } else {
        printf("%zu teams of %zu-%zu members (%zu members), seed %llu; each member %s "
               "taking a deployment role's test (%.1f items)%s\n"
               "  suggested hire among the truly best:           %.3f (stated %.3f; a random "
               "role %.3f)\n"
               "  ... judged by the roles' coverage alone:       %.3f\n"
               "  suggestion with a near tie:                    %.3f (it or a near tie truly "
               "best %.3f)\n"
               "  coverage of a deployment role, said vs true:   %.3f vs %.3f (Brier %.3f)\n",
               r.nteams, a->min, a->max, r.nmembers, a->seed,
               a->members == RF_TEAMSIM_ROLE_PEOPLE   ? "that role's person"
               : a->members == RF_TEAMSIM_POPULATION ? "a person of the population"
                                                     : "that role's person or one of the population",
               r.len_mean,
               a->with_g ? "; skills correlate through g" : "", r.hire_right, r.hire_said,
               r.hire_chance,
               r.hire_right_gain, r.hire_tied, r.hire_right_tied, r.cov_said, r.cov_true,
               r.cov_brier);
        printf("  calibration, stated → truly so (count), by tenths of the stated value:\n");
        calib_text("role coverage, some member measured on the role", &r.cov[0]);
        calib_text("role coverage, no member measured on the role", &r.cov[1]);
        calib_text("a member meets a role, measured", &r.member[0]);
        calib_text("a member meets a role, not measured", &r.member[1]);
        calib_text("a member meets the role of their test", &r.own);
    }
done:
    rf_rolesim_truth_cleanup(&t);
    rf_cat_pool_free(p);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_team_spec_cleanup(&spec);
    return ec;
}

int rf_cmd_team(int argc, char **argv)
{
    const char *cmd = "team", *data = rf_cli_default_path("data");
    const char *sim = NULL, *bank = rf_cli_default_path("data/bank"), *sizes = NULL, *seed = NULL,
               *threads = NULL, *members = NULL;
    int json = 0, help = 0, with_g = 0;
    struct rf_cli_opt opts[] = {{"json", 0, NULL, &json},     {"data", 1, &data, NULL},
                                {"with-g", 0, NULL, &with_g},
                                {"simulate", 1, &sim, NULL},  {"bank", 1, &bank, NULL},
                                {"sizes", 1, &sizes, NULL},   {"seed", 1, &seed, NULL},
                                {"threads", 1, &threads, NULL}, {"members", 1, &members, NULL}};
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
    struct simargs sa = {0, 1, 4, 2, 1, bank, with_g, RF_TEAMSIM_ROLE_PEOPLE};
    if (sim) {
        if (npos)
            return rf_cli_usage_error(cmd, "--simulate takes no profile files");
        if ((ec = rf_cli_size(cmd, "simulate", sim, 1, 100000, &sa.nteams)) ||
            (threads && (ec = rf_cli_size(cmd, "threads", threads, 1, 64, &sa.threads))) ||
            (seed && (ec = rf_cli_u64(cmd, "--seed", seed, &sa.seed))))
            return ec;
        if (members) {
            size_t k = 0;
            while (k < 3 && strcmp(members, member_kinds[k]) != 0)
                k++;
            if (k == 3)
                return rf_cli_usage_error(cmd, "--members: expected role, population or mix, "
                                               "got '%s'",
                                          members);
            sa.members = (int)k;
        }
        if (sizes) {
            char *dash = NULL, *end = NULL;
            unsigned long lo = 0, hi = 0;
            int okay = sizes[0] >= '0' && sizes[0] <= '9';
            if (okay) {
                lo = strtoul(sizes, &dash, 10);
                okay = *dash == '-' && dash[1] >= '0' && dash[1] <= '9';
            }
            if (okay) {
                hi = strtoul(dash + 1, &end, 10);
                okay = *end == '\0' && lo >= 1 && lo <= hi && hi <= RF_TEAMSIM_MAX_SIZE;
            }
            if (!okay)
                return rf_cli_usage_error(cmd, "--sizes: expected MIN-MAX with 1 <= MIN <= MAX "
                                               "<= %d, got '%s'",
                                          RF_TEAMSIM_MAX_SIZE, sizes);
            sa.min = lo;
            sa.max = hi;
        }
    } else if (sizes || seed || threads || with_g || members) {
        return rf_cli_usage_error(cmd, "--sizes, --seed, --threads, --with-g and --members need "
                                       "--simulate");
    } else if (!npos) {
        return rf_cli_usage_error(cmd, "expected the members' profile files (see 'rolefit team "
                                       "--help')");
    }
    struct rf_careers c;
    struct rf_err err;
    rf_err_clear(&err);
    rf_status rc = rf_careers_load(data, &c, &err);
    if (rc)
        return rf_cli_fail(cmd, rc, err.msg);
    ec = sim ? simulate(&c, data, &sa, json) : run(&c, data, pos, npos, json);
    rf_careers_cleanup(&c);
    return ec;
}
