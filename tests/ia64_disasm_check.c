/*
 * ia64_disasm_check.c - print the IA-64 disassembly of an object's code
 * sections with vtsim's decoder, one line per slot, in the normalized
 * form tests/ia64-objdump.sh compares against GNU objdump:
 *
 *     section .text
 *     0:\t[MII]       alloc r34=ar.pfs,5,5,0
 *     6:\t            add r1=r2,r3
 *
 * i.e. "section NAME" before each executable section, then per slot the
 * slot address (objdump's numbering: bundle, +6, +0xc) in lowercase hex,
 * a colon, a tab and the text of ia64_disasm_slot().
 *
 * Usage: ia64_disasm_check OBJECT          (ELF64 little-endian, IA-64)
 *        ia64_disasm_check --raw FILE [BASE]   (bundles from byte 0)
 * Exit status: 0, or 2 for unusable input (message on stderr).
 *
 * The ELF reader (isa/ia64_elf.c, shared with `vtsim disasm --isa ia64`)
 * walks the section header table: every SHT_PROGBITS section with
 * SHF_EXECINSTR, in header order, as objdump -d does.  All offsets are
 * bounds-checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/ia64_elf.h"

static int section(void *ctx, const struct ia64_elf_section *s)
{
    (void)ctx;
    printf("section %s\n", s->name);
    ia64_disasm_range(stdout, s->data, s->size, s->addr, 0, NULL, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char err[512];
    int rc;

    if (argc == 2 && argv[1][0] != '-') {
        if (ia64_elf_read_file(argv[1], &buf, &len, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        rc = ia64_elf_code_sections(buf, len, section, NULL, err,
                                    sizeof(err));
        if (rc != 0) {
            fprintf(stderr, "%s: %s\n", argv[1], err);
        }
    } else if ((argc == 3 || argc == 4) && strcmp(argv[1], "--raw") == 0) {
        uint64_t base = argc == 4 ? strtoull(argv[3], NULL, 0) : 0;

        if (ia64_elf_read_file(argv[2], &buf, &len, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        ia64_disasm_range(stdout, buf, len, base, 0, NULL, NULL);
        rc = 0;
    } else {
        fprintf(stderr, "usage: ia64_disasm_check OBJECT\n"
                        "       ia64_disasm_check --raw FILE [BASE]\n");
        return 2;
    }
    free(buf);
    return rc == 0 ? 0 : 2;
}
