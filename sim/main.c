/*
 * main.c - the vtsim command line: dispatch to subcommands, help, and the
 * config subcommand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "sim_cli.h"
#include "sim_err.h"
#include "sim_machine.h"

static const char usage[] =
    "usage: vtsim <command> [options]\n"
    "\n"
    "vtsim is a cycle-approximate simulator of hardware virtualization:\n"
    "page walks (native, EPT, NPT) through TLBs, walk caches and caches.\n"
    "\n"
    "commands:\n"
    "  run [CONFIG] [-o section.key=value]... [--db PATH]\n"
    "                      simulate; write a results database\n"
    "  report DB           summarise a results database\n"
    "  plot DB [--out DIR] draw walk-latency plots with gnuplot\n"
    "  config --keys | --dump [CONFIG] [-o ...]\n"
    "                      document every key / print a resolved config\n"
    "  bench [NAME...]     measure simulator speed (mmu, walk)\n"
    "  classify --isa x86  Popek-Goldberg table: privileged and sensitive\n"
    "                      instructions\n"
    "  disasm [--isa x86|ia64] FILE  disassemble a guest image or IA-64 object\n"
    "\n"
    "`vtsim COMMAND --help` describes a command; see also vtsim(1).\n"
    "Exit status: 0 success, 1 run failure, 2 bad command, config or file,\n"
    "130 interrupted.\n";

const char *sim_cli_datadir(void)
{
    static char buf[4096];
    const char *env = getenv("VTSIM_DATADIR");
    struct stat st;

    if (env != NULL && env[0] != '\0') {
        return env;
    }
    snprintf(buf, sizeof(buf), "%s/results/plots", VTSIM_SRCDIR);
    if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
        return VTSIM_SRCDIR;
    }
    return VTSIM_DATADIR;
}

struct sim_cfg *sim_cli_load_config(const char *path, int noverrides,
                                    char **overrides,
                                    struct sim_machine_cfg *mc)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct sim_machine_cfg scratch;
    int i;

    if (cfg == NULL) {
        fprintf(stderr, "vtsim: error: out of memory\n");
        return NULL;
    }
    if (sim_machine_declare(cfg) != 0) {
        fprintf(stderr, "vtsim: internal error declaring the config: %s\n",
                sim_cfg_errmsg(cfg));
        sim_cfg_free(cfg);
        return NULL;
    }
    if (path != NULL && sim_cfg_load_file(cfg, path) != 0) {
        goto bad;
    }
    for (i = 0; i < noverrides; i++) {
        char origin[32];

        snprintf(origin, sizeof(origin), "-o #%d", i + 1);
        if (sim_cfg_override(cfg, overrides[i], origin) != 0) {
            goto bad;
        }
    }
    /* Parse and validate every section now, so a bad value stops the
     * program before anything is written. */
    if (sim_machine_load(cfg, mc != NULL ? mc : &scratch) != 0) {
        goto bad;
    }
    return cfg;
bad:
    fprintf(stderr, "vtsim: error: %s\n", sim_cfg_errmsg(cfg));
    sim_cfg_free(cfg);
    return NULL;
}

static const char config_usage[] =
    "usage: vtsim config --keys\n"
    "       vtsim config --dump [CONFIG] [-o section.key=value]...\n"
    "       vtsim config --check CONFIG [-o section.key=value]...\n"
    "\n"
    "--keys   every config section and key: type, unit, range, default and\n"
    "         description (the reference of docs/config.md)\n"
    "--dump   the resolved config (defaults + CONFIG + overrides) as an INI\n"
    "         file, each value commented with where it came from\n"
    "--check  validate only; exit status 0 or 2\n";

int sim_cmd_config(int argc, char **argv)
{
    const char *action = NULL;
    const char *path = NULL;
    char **ov = calloc((size_t)argc + 1, sizeof(char *));
    int nov = 0;
    int i;
    int rc = 0;
    struct sim_cfg *cfg;

    if (ov == NULL) {
        return 1;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(config_usage, stdout);
            free(ov);
            return 0;
        } else if (strcmp(argv[i], "--keys") == 0 ||
                   strcmp(argv[i], "--dump") == 0 ||
                   strcmp(argv[i], "--check") == 0) {
            action = argv[i];
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            ov[nov++] = argv[++i];
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            fprintf(stderr, "vtsim config: unexpected argument '%s'\n%s",
                    argv[i], config_usage);
            free(ov);
            return SIM_EXIT_USAGE;
        }
    }
    if (action == NULL || (strcmp(action, "--check") == 0 && path == NULL)) {
        fputs(config_usage, stderr);
        free(ov);
        return SIM_EXIT_USAGE;
    }
    cfg = sim_cli_load_config(strcmp(action, "--keys") == 0 ? NULL : path,
                              nov, ov, NULL);
    free(ov);
    if (cfg == NULL) {
        return SIM_EXIT_USAGE;
    }
    if (strcmp(action, "--keys") == 0) {
        sim_cfg_print_keys(cfg, stdout);
    } else if (strcmp(action, "--dump") == 0) {
        sim_cfg_dump(cfg, stdout);
    } else {
        printf("%s: ok\n", path);
    }
    sim_cfg_free(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd;

    if (argc < 2) {
        fputs(usage, stderr);
        return SIM_EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("vtsim %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) {
        return sim_cmd_run(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "config") == 0) {
        return sim_cmd_config(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "report") == 0) {
        return sim_cmd_report(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "plot") == 0) {
        return sim_cmd_plot(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "bench") == 0) {
        return sim_cmd_bench(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "classify") == 0) {
        return sim_cmd_classify(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "disasm") == 0) {
        return sim_cmd_disasm(argc - 1, argv + 1);
    }
    fprintf(stderr, "vtsim: unknown command '%s'\n\n%s", cmd, usage);
    return SIM_EXIT_USAGE;
}
