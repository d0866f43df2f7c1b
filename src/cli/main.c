/* `rolefit`: the command table and top-level --help / --version. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "cli/cli.h"
#include "cli/commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"serve", rf_cmd_serve, "start the web product (candidates, recruiters, authors)"},
    {"user", rf_cmd_user, "add a recruiter or admin account to the server's database"},
    {"db", rf_cmd_db, "export a whole database to a file, or import one (SQLite, PostgreSQL)"},
    {"score", rf_cmd_score, "score every person of a fixed form (EAP, MAP, MLE or WLE)"},
    {"bank", rf_cmd_bank, "item bank tools: lint, stats, import, export"},
    {"assess", rf_cmd_assess, "take the adaptive test in the terminal: per-skill profile"},
    {"simulate", rf_cmd_simulate, "simulate an adaptive test design: length, precision, exposure"},
    {"roles", rf_cmd_roles, "list the roles rolefit fits people to, or show one"},
    {"fit", rf_cmd_fit, "fit a skill profile to every role, with uncertainty"},
    {"report", rf_cmd_report, "a profile's report: fit, gaps, learning plan (json, md, html)"},
    {"calibrate", rf_cmd_calibrate, "estimate item parameters from responses (MML by EM)"},
    {"dif", rf_cmd_dif, "differential item functioning per item and group (MH, logistic)"},
    {"impact", rf_cmd_impact, "adverse impact of decisions per group: four-fifths rule, CIs"},
    {"posting", rf_cmd_posting, "parse a job posting into required and preferred skills"},
    {"match", rf_cmd_match, "rank candidate profiles against a posting, with reasons"},
    {"integrity", rf_cmd_integrity, "simulate the test-integrity signals: rapid guesses, copying"},
    {"kit", rf_cmd_kit, "a role's interview kit: rounds, questions, anchored rubrics"},
    {"scorecards", rf_cmd_scorecards, "interviewer calibration report and hiring packet from scorecards"},
    {"team", rf_cmd_team, "a team's coverage of the roles ML needs, and whom to hire next"},
    {"readiness", rf_cmd_readiness, "a team's ML Test Score: production readiness and what next"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: rolefit COMMAND [OPTIONS]\n"
               "       rolefit COMMAND --help\n"
               "       rolefit --version\n\n"
               "rolefit measures machine-learning skills with adaptive tests and fits people\n"
               "to ML roles. Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return RF_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("rolefit %s\n", RF_VERSION);
        return RF_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) {
            int ec = commands[i].run(argc - 1, argv + 1);
            /* Results lost on a full disk or a closed pipe must not end in success. */
            if ((fflush(stdout) != 0 || ferror(stdout)) && ec == RF_EXIT_OK)
                ec = rf_cli_fail(cmd, RF_EIO, "cannot write the output (standard output)");
            return ec;
        }
    fprintf(stderr, "rolefit: unknown command '%s' (see 'rolefit --help')\n", cmd);
    return RF_EXIT_USAGE;
}
