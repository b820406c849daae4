/* sim_cli.h - the subcommands of the vtsim program. */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include "sim_cfg.h"

/* Each returns the process exit status. */
int sim_cmd_run(int argc, char **argv);
int sim_cmd_config(int argc, char **argv);
int sim_cmd_report(int argc, char **argv);
int sim_cmd_plot(int argc, char **argv);
int sim_cmd_bench(int argc, char **argv);
int sim_cmd_classify(int argc, char **argv);
int sim_cmd_disasm(int argc, char **argv);

struct sim_machine_cfg;

/*
 * Shared by run, config and bench: declare the machine, load CONFIG (may be
 * NULL) and the -o overrides, and parse and validate every section into *mc
 * (may be NULL).  On a user error prints the message and returns NULL (the
 * caller exits with status 2).
 */
struct sim_cfg *sim_cli_load_config(const char *path, int noverrides,
                                    char **overrides,
                                    struct sim_machine_cfg *mc);

/* Directory holding configs/, results/plots, results/sql: $VTSIM_DATADIR,
 * else the source tree vtsim was built from, else the installed data. */
const char *sim_cli_datadir(void);

#endif /* SIM_CLI_H */
