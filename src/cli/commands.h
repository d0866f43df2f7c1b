/*
 * The subcommands of `rolefit`. Each is defined in its own cmd_<name>.c next
 * to its usage text, takes argv with argv[0] = the command name, and returns
 * the process exit code.
 */
#ifndef RF_CLI_COMMANDS_H
#define RF_CLI_COMMANDS_H

int rf_cmd_score(int argc, char **argv);
int rf_cmd_simulate(int argc, char **argv);
int rf_cmd_assess(int argc, char **argv);
int rf_cmd_serve(int argc, char **argv);
int rf_cmd_user(int argc, char **argv);
int rf_cmd_calibrate(int argc, char **argv);

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
int rf_cmd_match(int argc, char **argv);

#endif
