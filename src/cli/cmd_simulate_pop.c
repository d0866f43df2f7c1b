/* `rolefit simulate --population`: who takes the server's role tests and what
 * their reports say (server/rolesim.h). The usage text is simulate's
 * (cmd_simulate.c), which parses the options and calls this. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/bank.h"
#include "bank/skills.h"
#include "base/json.h"
#include "base/mem.h"
#include "careers/roles.h"
#include "cat/pool.h"
#include "cat/sim.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "irt/quad.h"
#include "server/rolesim.h"

#define MAX_POPS 7

/* Parses "a,b" or "all" into pops; returns how many, 0 on error (message printed). */
static size_t parse_pops(const char *cmd, const char *s, enum rf_rolesim_pop *pops)
{
    if (strcmp(s, "all") == 0) {
        for (size_t i = 0; i < MAX_POPS; i++)
            pops[i] = (enum rf_rolesim_pop)i;
        return MAX_POPS;
    }
    size_t n = 0;
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[32];
        if (len == 0 || len >= sizeof name || n == MAX_POPS) {
            rf_cli_usage_error(cmd, "--population: expected a comma list of reference, role, "
                                    "mix, random, perfect, other, takers (or all), got '%s'",
                               s);
            return 0;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (rf_rolesim_pop_parse(name, &pops[n])) {
            rf_cli_usage_error(cmd, "--population: unknown population '%s' (reference, role, "
                                    "mix, random, perfect, other, takers, all)",
                               name);
            return 0;
        }
        n++;
        if (!e)
            return n;
        p = e + 1;
    }
}

static json_t *bins_json(const struct rf_rolesim_bin *b)
{
    json_t *a = json_array();
    for (size_t k = 0; k < RF_ROLESIM_BINS; k++)
        json_array_append_new(a, json_pack("{s:f, s:f, s:f, s:I}", "lo", 0.1 * (double)k, "said",
                                           b[k].said, "right", b[k].right, "n",
                                           (json_int_t)b[k].n));
    return a;
}

static json_t *calls_json(const struct rf_rolesim_calls *c)
{
    json_t *o = json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "calls", (json_int_t)c->n,
                          "decisive", c->decisive, "wrong_among_decisive", c->wrong, "p_decisive",
                          c->p_decisive, "p_wrong_among_decisive", c->p_wrong, "brier", c->brier,
                          "calibration_error", c->cal_error, "calibration", bins_json(c->bins));
    if (o)
        json_object_set_new(o, "first_reading",
                            json_pack("{s:f, s:f, s:f}", "share", c->first, "meets_or_below",
                                      c->first_decisive, "wrong", c->first_wrong));
    return o;
}

/* "  first reading 100.0% of calls: meets or below 24.3%, wrong 29.2%" when
 * some calls are first readings (not counted as decisive). */
static void print_first(const char *indent, double share, double dec, double wrong)
{
    if (share > 0)
        printf("%sfirst readings (not decisive): %.1f%% of calls; of them meets or below %.1f%%, "
               "wrong %.1f%%\n",
               indent, 100 * share, 100 * dec, 100 * wrong);
}

static void print_calls(const char *what, const struct rf_rolesim_calls *c)
{
    printf("    %s decisive %5.1f%%  wrong %5.1f%%  Brier %.3f  cal.err %.3f  (%zu calls)\n", what,
           100 * c->decisive, 100 * c->wrong, c->brier, c->cal_error, c->n);
    print_first("      ", c->first, c->first_decisive, c->first_wrong);
}

static json_t *result_json(enum rf_rolesim_pop pop, const struct rf_rolesim_result *r)
{
    json_t *o = json_pack("{s:s, s:I, s:f, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "population",
                          rf_rolesim_pop_name(pop), "examinees", (json_int_t)r->nexaminees,
                          "length", r->len_mean, "calls", (json_int_t)r->ncalls, "decisive",
                          r->decisive, "wrong_among_decisive", r->wrong, "brier", r->brier,
                          "calibration_error", r->cal_error, "fit_mean", r->fit_mean, "fit_min",
                          r->fit_min, "p_min", r->p_min);
    json_object_set_new(o, "p_decisive", json_real(r->p_decisive));
    json_object_set_new(o, "p_wrong_among_decisive", json_real(r->p_wrong));
    for (int j = 0; j < 2; j++) {
        const struct rf_rolesim_by_call *b = j ? &r->by_below : &r->by_meets;
        json_object_set_new(o, j ? "below" : "meets",
                            json_pack("{s:I, s:f, s:f}", "calls", (json_int_t)b->n, "wrong",
                                      b->wrong, "stated_wrong", b->stated));
    }
    json_object_set_new(o, "first_reading",
                        json_pack("{s:f, s:f, s:f}", "share", r->first, "meets_or_below",
                                  r->first_decisive, "wrong", r->first_wrong));
    json_object_set_new(o, "closest",
                        json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:o}", "with_own_role",
                                  (json_int_t)r->nown, "own", r->closest, "higher_bars",
                                  r->closest_higher, "test_role", r->closest_test,
                                  "top_role_prob", r->top_prob, "no_role_prob",
                                  r->no_role, "told_no_role", r->no_role_top, "calibration",
                                  bins_json(r->roles)));
    json_object_set_new(json_object_get(o, "closest"), "same_role", json_real(r->closest_same));
    json_object_set_new(json_object_get(o, "closest"), "highest_bars",
                        json_real(r->closest_highest));
    json_object_set_new(o, "meets_calibration", bins_json(r->meets));
    if (r->report.n)
        json_object_set_new(o, "report_target_calls", calls_json(&r->report));
    json_object_set_new(o, "coverage",
                        json_pack("{s:f, s:f}", "skills_measured", r->skills_measured,
                                  "all_task_areas", r->tasks_all));
    const struct rf_rolesim_confirm *c = &r->confirm;
    if (c->own.n)
        json_object_set_new(
            o, "confirm",
            json_pack("{s:f, s:f, s:f, s:I, s:o, s:o, s:o, s:f, s:f, s:f}", "items", c->items,
                      "asked", c->asked, "length_both", c->total, "items_max",
                      (json_int_t)c->items_max, "own_role_calls", calls_json(&c->own),
                      "confirmed_role_calls", calls_json(&c->report), "confirmed_role_calls_first",
                      calls_json(&c->report1), "closest_own", c->closest, "top_role_prob",
                      c->top_prob, "told_no_role", c->no_role_top));
    if (c->own.n) {
        json_t *cj = json_object_get(o, "confirm");
        json_object_set_new(cj, "own_role_confirmed_calls", calls_json(&c->own_same));
        json_object_set_new(cj, "own_role_not_confirmed_calls", calls_json(&c->own_other));
    }
    return o;
}

static void print_bins(const char *what, const struct rf_rolesim_bin *b)
{
    printf("  %s, said vs right by decile:", what);
    for (size_t k = 0; k < RF_ROLESIM_BINS; k++)
        if (b[k].n)
            printf(" %.2f/%.2f (%zu)", b[k].said, b[k].right, b[k].n);
    printf("\n");
}

static void print_result(enum rf_rolesim_pop pop, const struct rf_rolesim_result *r)
{
    printf("%-9s  length %5.1f  decisive %5.1f%%  wrong %5.1f%%  Brier %.3f  cal.err %.3f  fit "
           "%.2f (min %.2f, min p %.2f)\n",
           rf_rolesim_pop_name(pop), r->len_mean, 100 * r->decisive, 100 * r->wrong, r->brier,
           r->cal_error, r->fit_mean, r->fit_min, r->p_min);
    print_first("  ", r->first, r->first_decisive, r->first_wrong);
    printf("  P(meets) alone beyond 0.2/0.8: decisive %5.1f%%  wrong %5.1f%%\n",
           100 * r->p_decisive, 100 * r->p_wrong);
    printf("  meets: %zu calls, wrong %5.1f%% (stated %4.1f%%)  below: %zu calls, wrong %5.1f%% "
           "(stated %4.1f%%)\n",
           r->by_meets.n, 100 * r->by_meets.wrong, 100 * r->by_meets.stated, r->by_below.n,
           100 * r->by_below.wrong, 100 * r->by_below.stated);
    printf("  closest: ");
    if (r->nown)
        printf("own role %.1f%%, another with bars as high %.1f%% (of %zu); ", 100 * r->closest,
               100 * r->closest_higher, r->nown);
    printf("the test's role %.1f%%; top role probability %.3f, P(no role) %.3f, told no role "
           "%.1f%%\n",
           100 * r->closest_test, r->top_prob, r->no_role, 100 * r->no_role_top);
    printf("  closest role: the one most got %.1f%%; one no role asks more than on what was "
           "measured %.1f%%\n",
           100 * r->closest_same, 100 * r->closest_highest);
    printf("  coverage: %.1f%% of the scope's skills measured, every task area in %.1f%% of "
           "tests\n",
           100 * r->skills_measured, 100 * r->tasks_all);
    print_bins("P(meets)", r->meets);
    if (r->report.n) {
        printf("  the report's target (closest role): decisive %5.1f%%  wrong %5.1f%%  Brier "
               "%.3f  cal.err %.3f\n",
               100 * r->report.decisive, 100 * r->report.wrong, r->report.brier,
               r->report.cal_error);
        print_first("    ", r->report.first, r->report.first_decisive, r->report.first_wrong);
        print_bins("its P(meets)", r->report.bins);
    }
    if (r->nown)
        print_bins("closest-role probabilities", r->roles);
    const struct rf_rolesim_confirm *c = &r->confirm;
    if (!c->own.n)
        return;
    printf("  confirm stage: %.1f items (given to %.1f%%, at most %zu), %.1f in all\n", c->items,
           100 * c->asked, c->items_max, c->total);
    print_calls("own role's calls:      ", &c->own);
    if (c->own_same.n || c->own_other.n) {
        print_calls("  own role confirmed:  ", &c->own_same);
        print_calls("  another confirmed:   ", &c->own_other);
    }
    printf("    confirmed role's calls: decisive %5.1f%%  wrong %5.1f%%  Brier %.3f  cal.err %.3f"
           " (first test alone: %.1f%% / %.1f%% / %.3f)\n",
           100 * c->report.decisive, 100 * c->report.wrong, c->report.brier, c->report.cal_error,
           100 * c->report1.decisive, 100 * c->report1.wrong, c->report1.brier);
    printf("    closest: own role %.1f%%; top role probability %.3f, told no role %.1f%%\n",
           100 * c->closest, c->top_prob, 100 * c->no_role_top);
    print_bins("own role's P(meets) after both", c->own.bins);
}

int rf_simulate_population(const struct rf_simpop_args *a)
{
    const char *cmd = "simulate";
    enum rf_rolesim_pop pops[MAX_POPS];
    size_t npops = parse_pops(cmd, a->pops, pops);
    if (!npops)
        return RF_EXIT_USAGE;
    struct rf_err err;
    rf_err_clear(&err);
    struct rf_taxonomy tax = {0};
    struct rf_roles roles = {0};
    struct rf_bank bank;
    struct rf_quad q = {0};
    struct rf_cat_pool *p = NULL;
    struct rf_cat_gen g = {0};
    struct rf_rolesim_truth t = {0};
    const char **gskills = NULL;
    json_t *out = NULL;
    const struct rf_role *role = NULL;
    int usage = 0;
    rf_bank_init(&bank);
    char path[4096];
    snprintf(path, sizeof path, "%s/skills.json", a->data);
    rf_status rc = rf_taxonomy_load(path, &tax, &err);
    if (!rc) {
        if (!a->roles)
            snprintf(path, sizeof path, "%s/roles.json", a->data);
        rc = rf_roles_load(a->roles ? a->roles : path, &tax, &roles, &err);
    }
    if (rc)
        goto done;
    if (a->role && !(role = rf_roles_find(&roles, a->role))) {
        usage = rf_cli_usage_error(cmd, "unknown role '%s' (see 'rolefit roles')", a->role);
        goto done;
    }
    if ((rc = rf_quad_init_default(&q, &err)))
        goto done;
    if (a->gen) {
        gskills = rf_calloc_array(tax.nskills ? tax.nskills : 1, sizeof *gskills);
        if (!gskills) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < tax.nskills; k++)
            gskills[k] = tax.skills[k].id;
        if ((rc = rf_cat_generate(gskills, tax.nskills, a->gen,
                                  a->model_3pl ? RF_MODEL_3PL : RF_MODEL_2PL, a->seed, &g, &err)) ||
            (rc = rf_cat_pool_new(g.items, g.n, &q, &p, &err)))
            goto done;
    } else {
        struct stat st;
        if (stat(a->bank, &st) != 0 || !S_ISDIR(st.st_mode)) {
            usage = rf_cli_usage_error(cmd, "--population: %s: expected a bank directory (the "
                                            "truth needs each item's options)",
                                       a->bank);
            goto done;
        }
        /* As the server: every item scored without a rater (no rubric items),
         * from the pool the live test of that kind draws on (--pool). */
        if ((rc = rf_bank_load_dir(a->bank, &bank, &err)) ||
            (rc = rf_cat_pool_from_bank(&bank,
                                        a->pool >= 0 ? a->pool
                                                     : rf_rolesim_live_pool(a->find_role),
                                        &q, &p, &err)))
            goto done;
    }
    if ((rc = rf_rolesim_truth_init(&t, p, a->gen ? NULL : &bank, &err)))
        goto done;
    const char *test = role ? role->id : a->find_role ? "find my role" : "every role's test";
    int flags = a->pool >= 0 ? a->pool : rf_rolesim_live_pool(a->find_role);
    const char *pool = a->gen ? "generated" : rf_rolesim_pool_name(flags);
    size_t usable = rf_rolesim_pool_usable(p);
    if (a->json) {
        out = json_pack("{s:{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:f}, s:[]}", "settings", "test",
                        test, "bank", a->bank ? a->bank : "generated", "pool", pool, "items",
                        (json_int_t)usable,
                        "examinees", (json_int_t)a->examinees, "seed", (json_int_t)a->seed,
                        "truth", a->gen ? "the generated parameters" : "a = 1, c = 1/k",
                        "truth_loading", a->truth_loading, "populations");
        if (!out) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
    } else {
        printf("%s, %zu examinees per population, %zu items (pool: %s), seed %llu; truth %s; "
               "skills' loading %g\n",
               test, a->examinees, usable, pool, a->seed,
               a->gen ? "the generated parameters" : "a = 1, c = 1/k, the bank's b",
               a->truth_loading);
        if (a->prior_set)
            printf("the test's prior changed: class weight %g, loading %g\n", a->prior_weight,
                   a->prior_loading);
    }
    for (size_t k = 0; k < npops; k++) {
        struct rf_rolesim_opts o = {pops[k],      role,         a->find_role,
                                    a->examinees, a->seed,      a->threads,
                                    a->truth_loading, a->prior_set, a->prior_weight,
                                    a->prior_loading, a->confirm,   a->confirm_roles, a->confirm_own};
        struct rf_rolesim_result r;
        if ((rc = rf_rolesim_run(p, &t, &roles, &o, &r, &err)))
            goto done;
        if (out)
            json_array_append_new(json_object_get(out, "populations"), result_json(pops[k], &r));
        else
            print_result(pops[k], &r);
    }
    if (out) {
        char *s = rf_json_dumps_out(out, JSON_INDENT(2));
        if (!s) {
            rc = rf_err_set(&err, RF_ENOMEM, "out of memory");
            goto done;
        }
        puts(s);
        free(s);
    }
done:
    json_decref(out);
    rf_rolesim_truth_cleanup(&t);
    free(gskills);
    rf_cat_pool_free(p);
    rf_cat_gen_cleanup(&g);
    rf_quad_cleanup(&q);
    rf_bank_cleanup(&bank);
    rf_roles_cleanup(&roles);
    rf_taxonomy_cleanup(&tax);
    if (usage)
        return usage;
    return rc ? rf_cli_fail(cmd, rc, err.msg) : RF_EXIT_OK;
}
