/*
 * The subcommands of `rolefit`. Each is defined in its own cmd_<name>.c next
 * to its usage text, takes argv with argv[0] = the command name, and returns
 * the process exit code.
 */
#ifndef RF_CLI_COMMANDS_H
#define RF_CLI_COMMANDS_H

#include <stddef.h>

int rf_cmd_score(int argc, char **argv);
int rf_cmd_integrity(int argc, char **argv);
int rf_cmd_readiness(int argc, char **argv);
int rf_cmd_team(int argc, char **argv);
int rf_cmd_kit(int argc, char **argv);
int rf_cmd_scorecards(int argc, char **argv);
int rf_cmd_simulate(int argc, char **argv);

/* `rolefit simulate --population` (cmd_simulate_pop.c), with simulate's
 * options already parsed and checked. */
struct rf_simpop_args {
    const char *bank;      /* a bank directory or parameter file, or NULL with gen */
    size_t gen;            /* items per skill of a generated bank (0: bank) */
    int model_3pl;         /* the generated bank's model */
    const char *data;      /* folder with skills.json and roles.json */
    const char *roles;     /* roles file, or NULL: data/roles.json */
    const char *role;      /* --role ID, or NULL */
    int find_role;         /* --find-role */
    const char *pops;      /* comma list of populations, or "all" */
    size_t examinees, threads;
    unsigned long long seed;
    int json;
    double truth_loading; /* --truth-loading: people's skills load on g (0: independent) */
    /* --prior-weight W --prior-loading L: the test's prior, what if (prior_set) */
    int prior_set;
    double prior_weight, prior_loading;
    /* --confirm N [--confirm-roles R]: find my role's confirm stage (0: none) */
    size_t confirm, confirm_roles;
    /* --pool: the pool flags of a bank directory (cat/pool.h), or -1: the
     * live test's (server/rolesim.h rf_rolesim_live_pool) */
    int pool;
    /* --confirm-own: people with a role of their own confirm it (they name
     * it, {"role": ID}), not the role the report offers; 2 (--confirm-named):
     * everyone names a role, those without one of their own role i mod R */
    int confirm_own;
};
int rf_simulate_population(const struct rf_simpop_args *a);
/* `rolefit simulate --interviews` (cmd_simulate_iv.c): parses its own options. */
int rf_simulate_interviews(int argc, char **argv);
/* `rolefit simulate --online-curve` (cmd_simulate_online.c): parses its own options. */
int rf_simulate_online(int argc, char **argv);
int rf_cmd_assess(int argc, char **argv);
int rf_cmd_serve(int argc, char **argv);
int rf_cmd_user(int argc, char **argv);
int rf_cmd_db(int argc, char **argv);
int rf_cmd_calibrate(int argc, char **argv);

/* Fairness (cmd_dif.c, cmd_impact.c). */
int rf_cmd_dif(int argc, char **argv);
int rf_cmd_impact(int argc, char **argv);

/* `rolefit calibrate --loadings` (cmd_calibrate_loadings.c), options parsed. */
struct rf_loadings_args {
    const char *bank;      /* item parameters: a bank directory or a parameter file */
    const char *responses; /* a responses CSV, or NULL with store */
    const char *store;     /* a store URL, or NULL */
    const char *out;       /* output file, or NULL: stdout */
    double tol;            /* stop when no loading moves more than this in a cycle */
    size_t max_iter;
    int progress;
};
int rf_calibrate_loadings(const struct rf_loadings_args *a);

/* `rolefit calibrate --pretest` (cmd_calibrate_pretest.c): online calibration
 * of the pretest items of bank from the finished tests of store. */
struct rf_pretest_args {
    const char *bank, *store, *out; /* out NULL: stdout */
    int json;                       /* JSON (else a text table) */
    size_t threads;
};
int rf_calibrate_pretest(const struct rf_pretest_args *a);

/* `rolefit bank` and its subcommands (cmd_bank*.c). */
int rf_cmd_bank(int argc, char **argv);
int rf_cmd_bank_lint(int argc, char **argv);
int rf_cmd_bank_stats(int argc, char **argv);
int rf_cmd_bank_import(int argc, char **argv);
int rf_cmd_bank_export(int argc, char **argv);

/* Careers (cmd_roles.c, cmd_fit.c, cmd_report.c, cmd_posting.c, cmd_match.c). */
int rf_cmd_roles(int argc, char **argv);
int rf_cmd_fit(int argc, char **argv);
int rf_cmd_report(int argc, char **argv);
int rf_cmd_posting(int argc, char **argv);
/* `rolefit posting simulate` (cmd_posting_sim.c); argv[0] is "simulate". */
int rf_posting_simulate(const char *cmd, int argc, char **argv);
int rf_cmd_match(int argc, char **argv);

#endif
