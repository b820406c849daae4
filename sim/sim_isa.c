/*
 * sim_isa.c - `vtsim classify` and `vtsim disasm`: the ISA tables and the
 * decoder, from the command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/x86.h"
#include "sim_cli.h"
#include "sim_err.h"
#include "sim_loader.h"
#include "sim_mem.h"

static const char classify_usage[] =
    "usage: vtsim classify --isa x86\n"
    "\n"
    "Print the Popek-Goldberg table of an instruction set: every modelled\n"
    "instruction, whether it is privileged (faults outside ring 0) and\n"
    "whether it is sensitive (control- or behaviour-sensitive), then the\n"
    "sensitive instructions that are not privileged - the reason classic\n"
    "x86 cannot be virtualized by trap-and-emulate.\n";

int sim_cmd_classify(int argc, char **argv)
{
    const char *isa = NULL;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(classify_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
            isa = argv[++i];
        } else {
            fprintf(stderr, "vtsim classify: unexpected argument '%s'\n%s",
                    argv[i], classify_usage);
            return SIM_EXIT_USAGE;
        }
    }
    if (isa == NULL || strcmp(isa, "x86") != 0) {
        fprintf(stderr, "vtsim classify: --isa x86 is the instruction set "
                "modelled so far\n");
        return SIM_EXIT_USAGE;
    }
    return x86_classify_print(stdout) == 0 ? 0 : 1;
}

static const char disasm_usage[] =
    "usage: vtsim disasm IMAGE [--mode 16|32|64] [--start ADDR] "
    "[--bytes N]\n"
    "\n"
    "Load IMAGE (Multiboot v1 or ELF64) as `vtsim run` would and\n"
    "disassemble N bytes (default 256) from ADDR (default: the entry\n"
    "point).  The mode defaults to 32-bit for Multiboot images (they start\n"
    "in protected mode) and 64-bit for ELF64 images.\n";

int sim_cmd_disasm(int argc, char **argv)
{
    const char *path = NULL;
    int mode = -1;
    uint64_t start = UINT64_MAX;
    uint64_t len = 256;
    struct sim_mem *mem;
    struct sim_image im;
    char err[512];
    uint8_t *buf;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(disasm_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            const char *m = argv[++i];

            mode = strcmp(m, "16") == 0 ? X86_MODE_16
                 : strcmp(m, "32") == 0 ? X86_MODE_32
                 : strcmp(m, "64") == 0 ? X86_MODE_64 : -2;
            if (mode == -2) {
                fprintf(stderr, "vtsim disasm: --mode must be 16, 32 or "
                        "64\n");
                return SIM_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--start") == 0 && i + 1 < argc) {
            start = strtoull(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--bytes") == 0 && i + 1 < argc) {
            len = strtoull(argv[++i], NULL, 0);
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            fprintf(stderr, "vtsim disasm: unexpected argument '%s'\n%s",
                    argv[i], disasm_usage);
            return SIM_EXIT_USAGE;
        }
    }
    if (path == NULL || len == 0 || len > (16u << 20)) {
        fputs(disasm_usage, stderr);
        return SIM_EXIT_USAGE;
    }
    mem = sim_mem_new();
    buf = malloc(len);
    if (mem == NULL || buf == NULL) {
        free(buf);
        sim_mem_free(mem);
        return 1;
    }
    /* The guest RAM size only bounds where segments may go. */
    if (sim_load_image(mem, 1ull << 36, path, &im, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: error: %s\n", err);
        free(buf);
        sim_mem_free(mem);
        return SIM_EXIT_USAGE;
    }
    if (mode < 0) {
        mode = im.kind == SIM_IMAGE_ELF64 ? X86_MODE_64 : X86_MODE_32;
    }
    if (start == UINT64_MAX) {
        start = im.entry;
    }
    sim_mem_read(mem, start, buf, (size_t)len);
    x86_disasm_buffer(stdout, buf, (size_t)len, start, (enum x86_mode)mode);
    free(buf);
    sim_mem_free(mem);
    return 0;
}
