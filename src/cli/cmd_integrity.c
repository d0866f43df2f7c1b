/*
 * `rolefit integrity simulate`: the seeded simulations behind the figures of
 * docs/integrity.md (careers/integrity_sim.h): how well the rapid-guess flag
 * and the answer-copying index separate what they look for from honest work,
 * over a fixed table of scenarios.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "careers/integrity_sim.h"
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
    "usage: rolefit integrity simulate [--seed N] [--examinees N] [--pairs N] [--json]\n"
    "\n"
    "Measures the test-integrity signals of docs/integrity.md by seeded simulation.\n"
    "Rapid guesses: people answer every item of a form in skills of 8 items;\n"
    "effortful times follow a lognormal response-time model, rapid guesses take\n"
    "0.3-3 s, the server's times add a network latency. Per scenario: the\n"
    "thresholds, the share of rapid guesses flagged (sensitivity) and of effortful\n"
    "answers flagged (false flags), and the same per person and skill.\n"
    "Answer copying: pairs answering 30 (or 15) four-option items; the share of\n"
    "independent pairs flagged at p < 0.001, and of pairs where one copied a share\n"
    "of the other's answers.\n"
    "\n"
    "  --seed N       seed of every scenario (default 21)\n"
    "  --examinees N  people per response-time scenario (default 2000)\n"
    "  --pairs N      pairs per copying condition (default 2000)\n"
    "  --json         one JSON object instead of the tables\n";

struct rt_scenario {
    const char *name;
    double item_median_s, speed_sd, latency_s, guess_hi_s, floor_ms;
};

static const struct rt_scenario rt_scenarios[] = {
    {"main: items 45 s median", 45, 0.35, 0.25, 3.0, -1},
    {"quick items: 20 s median", 20, 0.35, 0.25, 3.0, -1},
    {"very quick items: 10 s median", 10, 0.35, 0.25, 3.0, -1},
    {"fast and slow people: speed sd 0.6", 45, 0.6, 0.25, 3.0, -1},
    {"slow network: 1 s latency", 45, 0.35, 1.0, 3.0, -1},
    {"NT10 alone (no 3 s floor), 20 s items", 20, 0.35, 0.25, 3.0, 0},
    {"guesses up to 5 s (beyond the target)", 45, 0.35, 0.25, 5.0, -1},
};

struct copy_scenario {
    size_t items;
    double share;
};

static const struct copy_scenario copy_scenarios[] = {
    {30, 0.1}, {30, 0.2}, {30, 0.3}, {30, 0.5}, {15, 0.3}, {15, 0.5},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The exit of a failed simulation, with the results so far freed. */
static int failed(const char *cmd, rf_status rc, const struct rf_err *err, json_t *a, json_t *b)
{
    json_decref(a);
    json_decref(b);
    return rf_cli_fail(cmd, rc, err->msg);
}

static int simulate(const char *cmd, unsigned long long seed, size_t examinees, size_t pairs,
                    int json)
{
    struct rf_err err;
    rf_err_clear(&err);
    json_t *jrt = json_array(), *jcp = json_array();
    if (!json)
        printf("rapid guesses (seed %llu, %zu people, 8 items per skill)\n"
               "%-40s %9s %9s %9s | %9s %9s\n",
               seed, examinees, "scenario", "thr ms", "sens", "false", "skill sens", "skill false");
    for (size_t s = 0; s < NELEM(rt_scenarios); s++) {
        const struct rt_scenario *sc = &rt_scenarios[s];
        struct rf_rtsim_args a;
        rf_rtsim_args_default(&a);
        a.seed = seed;
        a.examinees = examinees;
        a.item_median_s = sc->item_median_s;
        a.speed_sd = sc->speed_sd;
        a.latency_s = sc->latency_s;
        a.guess_hi_s = sc->guess_hi_s;
        if (sc->floor_ms >= 0)
            a.rule.floor_ms = sc->floor_ms;
        struct rf_rtsim_result r;
        rf_status rc = rf_rtsim_run(&a, &r, &err);
        if (rc)
            return failed(cmd, rc, &err, jrt, jcp);
        if (json)
            json_array_append_new(
                jrt, json_pack("{s:s,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "scenario", sc->name,
                               "threshold_min_ms", r.threshold_min_ms, "threshold_mean_ms",
                               r.threshold_mean_ms, "threshold_max_ms", r.threshold_max_ms,
                               "sensitivity", r.sensitivity, "false_flags", r.false_flags,
                               "skill_sensitivity", r.skill_sensitivity, "skill_false_flags",
                               r.skill_false_flags));
        else
            printf("%-40s %4.0f-%-4.0f %9.4f %9.4f | %9.4f %9.4f\n", sc->name, r.threshold_min_ms,
                   r.threshold_max_ms, r.sensitivity, r.false_flags, r.skill_sensitivity,
                   r.skill_false_flags);
    }
    if (!json)
        printf("\nanswer copying (seed %llu, %zu pairs per row, flag at p < 0.001)\n"
               "%6s %6s %12s %12s %12s %12s\n",
               seed, pairs, "items", "copied", "null flagged", "null z sd", "power", "copy z");
    for (size_t s = 0; s < NELEM(copy_scenarios); s++) {
        struct rf_copysim_args a;
        rf_copysim_args_default(&a);
        a.seed = seed;
        a.pairs = pairs;
        a.items = copy_scenarios[s].items;
        a.copy_share = copy_scenarios[s].share;
        struct rf_copysim_result r;
        rf_status rc = rf_copysim_run(&a, &r, &err);
        if (rc)
            return failed(cmd, rc, &err, jrt, jcp);
        if (json)
            json_array_append_new(jcp, json_pack("{s:I,s:f,s:f,s:f,s:f,s:f,s:f}", "items",
                                                 (json_int_t)a.items, "copy_share", a.copy_share,
                                                 "null_rate", r.null_rate, "null_mean_z",
                                                 r.null_mean_z, "null_sd_z", r.null_sd_z, "power",
                                                 r.power, "copy_mean_z", r.copy_mean_z));
        else
            printf("%6zu %6.2f %12.4f %12.2f %12.4f %12.2f\n", a.items, a.copy_share, r.null_rate,
                   r.null_sd_z, r.power, r.copy_mean_z);
    }
    if (json) {
        json_t *o = json_pack("{s:I,s:I,s:I,s:o,s:o}", "seed", (json_int_t)seed, "examinees",
                              (json_int_t)examinees, "pairs", (json_int_t)pairs, "rapid_guess", jrt,
                              "copying", jcp);
        char *text = o ? rf_json_dumps_out(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        if (!text)
            return rf_cli_fail(cmd, RF_ENOMEM, "out of memory");
        puts(text);
        free(text);
    } else {
        json_decref(jrt);
        json_decref(jcp);
    }
    return RF_EXIT_OK;
}

int rf_cmd_integrity(int argc, char **argv)
{
    const char *cmd = "integrity";
    const char *seed_s = NULL, *ex_s = NULL, *pairs_s = NULL;
    int json = 0, help = 0;
    const struct rf_cli_opt opts[] = {
        {"seed", 1, &seed_s, NULL},
        {"examinees", 1, &ex_s, NULL},
        {"pairs", 1, &pairs_s, NULL},
        {"json", 0, NULL, &json},
    };
    const char *pos[2];
    size_t npos = 0;
    int rc = rf_cli_parse(cmd, argc, argv, opts, NELEM(opts), pos, 2, &npos, &help);
    if (rc)
        return rc;
    if (help) {
        fputs(usage, stdout);
        return RF_EXIT_OK;
    }
    if (npos != 1 || strcmp(pos[0], "simulate") != 0)
        return rf_cli_usage_error(cmd, "expected 'simulate' (see rolefit integrity --help)");
    unsigned long long seed = 21;
    size_t examinees = 2000, pairs = 2000;
    if ((seed_s && (rc = rf_cli_u64(cmd, "seed", seed_s, &seed))) ||
        (ex_s && (rc = rf_cli_size(cmd, "examinees", ex_s, 1, 1000000, &examinees))) ||
        (pairs_s && (rc = rf_cli_size(cmd, "pairs", pairs_s, 1, 1000000, &pairs))))
        return rc;
    return simulate(cmd, seed, examinees, pairs, json);
}
