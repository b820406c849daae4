/*
 * sim_isa.c - `vtsim classify` and `vtsim disasm`: the ISA tables and the
 * decoders, from the command line.
 *
 * `vtsim disasm --isa ia64 OBJECT` prints what `ia64-linux-gnu-objdump -d
 * --no-show-raw-insn OBJECT` prints: the file-format line, "Disassembly of
 * section NAME:" for every executable section in header order, symbol
 * labels, and one line per instruction slot with objdump's address
 * padding.  Differences (see isa/ia64.h): branch targets carry no
 * " <sym+off>" suffix, instructions outside the decoder's subset print as
 * "data8 0x...", and when several symbols share an address the label is
 * the first global one in .symtab order (else the first one), which is
 * not always objdump's choice.  tests/e2e_ia64_disasm.sh compares the
 * two after the normalisation of tests/ia64-objdump.sh.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/ia64.h"
#include "isa/ia64_elf.h"
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
    "usage: vtsim disasm [--isa x86] IMAGE [--mode 16|32|64] "
    "[--start ADDR] [--bytes N]\n"
    "       vtsim disasm --isa ia64 OBJECT\n"
    "\n"
    "--isa x86 (the default): load IMAGE (Multiboot v1 or ELF64) as\n"
    "`vtsim run` would and disassemble N bytes (default 256) from ADDR\n"
    "(default: the entry point).  The mode defaults to 32-bit for Multiboot\n"
    "images (they start in protected mode) and 64-bit for ELF64 images.\n"
    "\n"
    "--isa ia64: disassemble every executable section of the IA-64 ELF64\n"
    "object or executable OBJECT in the syntax of `objdump -d`, one line\n"
    "per instruction slot (branch targets without symbolic suffixes).\n"
    "\n"
    "A file that cannot be read or is not of the expected kind is an\n"
    "error naming the file (exit status 2).\n";

/* ---- --isa ia64 ---- */

struct ia64_listing {
    const uint8_t *file;
    size_t len;
    FILE *out;
    struct ia64_elf_symbol *sym;    /* symbols of the current section */
    size_t nsym;
    size_t cap;
    size_t next;                    /* first symbol not yet labelled */
    int width;
    bool oom;
};

static void ia64_collect_symbol(void *ctx, const struct ia64_elf_symbol *s)
{
    struct ia64_listing *l = ctx;

    if (l->nsym == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct ia64_elf_symbol *n = realloc(l->sym, cap * sizeof(*n));

        if (n == NULL) {
            l->oom = true;
            return;
        }
        l->sym = n;
        l->cap = cap;
    }
    l->sym[l->nsym++] = *s;
}

/* By address; at one address the first global/weak symbol, then table
 * order (insertion sort keeps it stable; sections have few symbols). */
static void ia64_sort_symbols(struct ia64_listing *l)
{
    size_t i;

    for (i = 1; i < l->nsym; i++) {
        struct ia64_elf_symbol t = l->sym[i];
        size_t j = i;

        while (j > 0 && (l->sym[j - 1].value > t.value ||
                         (l->sym[j - 1].value == t.value &&
                          l->sym[j - 1].bind == 0 && t.bind != 0))) {
            l->sym[j] = l->sym[j - 1];
            j--;
        }
        l->sym[j] = t;
    }
}

/* Label the bundle at `addr` with the symbols inside it, one per
 * address, as objdump's "\n%016x <name>:" lines. */
static void ia64_label(void *ctx, FILE *out, uint64_t addr)
{
    struct ia64_listing *l = ctx;
    uint64_t last = 0;
    bool any = false;

    while (l->next < l->nsym &&
           l->sym[l->next].value < addr + IA64_BUNDLE_BYTES) {
        const struct ia64_elf_symbol *s = &l->sym[l->next++];

        if (s->value < addr || (any && s->value == last)) {
            continue;
        }
        fprintf(out, "\n%016" PRIx64 " <%s>:\n", s->value, s->name);
        last = s->value;
        any = true;
    }
}

/* Columns objdump gives the slot addresses of a section: the hex digits
 * of its end address, leading zeros dropped in groups of four after the
 * first (binutils objdump.c disassemble_section, skip_addr_chars). */
static int ia64_addr_width(uint64_t end)
{
    char buf[17];
    int skip = 0;

    snprintf(buf, sizeof(buf), "%016" PRIx64, end);
    while (buf[skip] == '0') {
        skip++;
    }
    if (buf[skip] == '\0') {
        skip = 0;
    }
    if (skip != 0) {
        skip = (skip - 1) & ~3;
    }
    return 16 - skip;
}

static int ia64_section(void *ctx, const struct ia64_elf_section *s)
{
    struct ia64_listing *l = ctx;

    l->nsym = 0;
    l->next = 0;
    ia64_elf_symbols(l->file, l->len, s->index, ia64_collect_symbol, l);
    if (l->oom) {
        return -1;
    }
    ia64_sort_symbols(l);
    fprintf(l->out, "\nDisassembly of section %s:\n", s->name);
    if (l->nsym == 0 || l->sym[0].value > s->addr) {
        fprintf(l->out, "\n%016" PRIx64 " <%s>:\n", s->addr, s->name);
    }
    l->width = ia64_addr_width(s->addr + s->size);
    ia64_disasm_range(l->out, s->data, s->size, s->addr, l->width,
                      ia64_label, l);
    return 0;
}

static int disasm_ia64(const char *path)
{
    struct ia64_listing l;
    char err[512];
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    if (ia64_elf_read_file(path, &buf, &len, err, sizeof(err)) != 0) {
        fprintf(stderr, "vtsim: error: %s\n", err);
        return SIM_EXIT_USAGE;
    }
    memset(&l, 0, sizeof(l));
    l.file = buf;
    l.len = len;
    l.out = stdout;
    /* Check the whole file before printing anything. */
    rc = ia64_elf_code_sections(buf, len, NULL, NULL, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path, err);
        free(buf);
        return SIM_EXIT_USAGE;
    }
    printf("\n%s:     file format elf64-ia64-little\n\n", path);
    rc = ia64_elf_code_sections(buf, len, ia64_section, &l, err,
                                sizeof(err));
    free(l.sym);
    free(buf);
    if (rc != 0) {
        fprintf(stderr, "vtsim: error: %s: out of memory\n", path);
        return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

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
    const char *isa = "x86";
    bool x86_opts = false;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(disasm_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
            isa = argv[++i];
        } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            const char *m = argv[++i];

            x86_opts = true;
            mode = strcmp(m, "16") == 0 ? X86_MODE_16
                 : strcmp(m, "32") == 0 ? X86_MODE_32
                 : strcmp(m, "64") == 0 ? X86_MODE_64 : -2;
            if (mode == -2) {
                fprintf(stderr, "vtsim disasm: --mode must be 16, 32 or "
                        "64\n");
                return SIM_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--start") == 0 && i + 1 < argc) {
            x86_opts = true;
            start = strtoull(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "--bytes") == 0 && i + 1 < argc) {
            x86_opts = true;
            len = strtoull(argv[++i], NULL, 0);
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            fprintf(stderr, "vtsim disasm: unexpected argument '%s'\n%s",
                    argv[i], disasm_usage);
            return SIM_EXIT_USAGE;
        }
    }
    if (strcmp(isa, "ia64") == 0) {
        if (path == NULL || x86_opts) {
            fprintf(stderr, "vtsim disasm: --isa ia64 takes an OBJECT and "
                    "no --mode, --start or --bytes\n%s", disasm_usage);
            return SIM_EXIT_USAGE;
        }
        return disasm_ia64(path);
    }
    if (strcmp(isa, "x86") != 0) {
        fprintf(stderr, "vtsim disasm: unknown --isa '%s' (x86 or ia64)\n",
                isa);
        return SIM_EXIT_USAGE;
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
