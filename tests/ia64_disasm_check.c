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
 * The ELF reader walks the section header table (ELF-64 Object File
 * Format, "Sections"): every SHT_PROGBITS section with SHF_EXECINSTR, in
 * header order, as objdump -d does.  All offsets are bounds-checked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/ia64.h"

#define SHT_PROGBITS_   1u
#define SHF_EXECINSTR_  4u
#define EM_IA_64_       50u

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n-- > 0) {
        v = (v << 8) | p[n];
    }
    return v;
}

static int load(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0;
    size_t n = 0;
    uint8_t *b = NULL;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (;;) {
        size_t r;

        if (n == cap) {
            uint8_t *nb;

            cap = cap ? cap * 2 : 65536;
            nb = realloc(b, cap);
            if (nb == NULL) {
                free(b);
                fclose(f);
                fprintf(stderr, "%s: out of memory\n", path);
                return -1;
            }
            b = nb;
        }
        r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            break;
        }
    }
    if (ferror(f)) {
        perror(path);
        free(b);
        fclose(f);
        return -1;
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
}

static void dump(const uint8_t *code, uint64_t size, uint64_t base)
{
    static const unsigned off[3] = { 0, 6, 12 };
    struct ia64_bundle b;
    char text[160];
    uint64_t i;
    unsigned s;

    for (i = 0; i + IA64_BUNDLE_BYTES <= size; i += IA64_BUNDLE_BYTES) {
        ia64_decode_bundle(code + i, &b);
        for (s = 0; s < b.nslots; s++) {
            ia64_disasm_slot(&b, s, base + i, text, sizeof(text));
            printf("%" PRIx64 ":\t%s\n", base + i + off[s], text);
        }
    }
    if (i < size) {
        printf("%" PRIx64 ":\ttrailing %u bytes\n", base + i,
               (unsigned)(size - i));
    }
}

static int elf(const char *path, const uint8_t *f, size_t len)
{
    uint64_t shoff;
    unsigned shentsize;
    unsigned shnum;
    unsigned shstrndx;
    const uint8_t *strsh;
    uint64_t stroff;
    uint64_t strsize;
    unsigned i;

    if (len < 64 || memcmp(f, "\177ELF", 4) != 0 || f[4] != 2 ||
        f[5] != 1) {
        fprintf(stderr, "%s: not a little-endian ELF64 file\n", path);
        return -1;
    }
    if (rd(f + 18, 2) != EM_IA_64_) {
        fprintf(stderr, "%s: not an IA-64 object\n", path);
        return -1;
    }
    shoff = rd(f + 40, 8);
    shentsize = (unsigned)rd(f + 58, 2);
    shnum = (unsigned)rd(f + 60, 2);
    shstrndx = (unsigned)rd(f + 62, 2);
    if (shentsize < 64 || shoff > len ||
        (uint64_t)shnum * shentsize > len - shoff || shstrndx >= shnum) {
        fprintf(stderr, "%s: bad section header table\n", path);
        return -1;
    }
    strsh = f + shoff + (uint64_t)shstrndx * shentsize;
    stroff = rd(strsh + 24, 8);
    strsize = rd(strsh + 32, 8);
    if (stroff > len || strsize > len - stroff) {
        fprintf(stderr, "%s: bad section name table\n", path);
        return -1;
    }
    for (i = 0; i < shnum; i++) {
        const uint8_t *sh = f + shoff + (uint64_t)i * shentsize;
        uint64_t name = rd(sh, 4);
        uint64_t type = rd(sh + 4, 4);
        uint64_t flags = rd(sh + 8, 8);
        uint64_t addr = rd(sh + 16, 8);
        uint64_t off = rd(sh + 24, 8);
        uint64_t size = rd(sh + 32, 8);
        const char *nm = "?";

        if (type != SHT_PROGBITS_ || !(flags & SHF_EXECINSTR_)) {
            continue;
        }
        if (off > len || size > len - off) {
            fprintf(stderr, "%s: section %u outside the file\n", path, i);
            return -1;
        }
        if (name < strsize &&
            memchr(f + stroff + name, '\0', strsize - name) != NULL) {
            nm = (const char *)(f + stroff + name);
        }
        printf("section %s\n", nm);
        dump(f + off, size, addr);
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    if (argc == 2 && argv[1][0] != '-') {
        if (load(argv[1], &buf, &len) != 0) {
            return 2;
        }
        rc = elf(argv[1], buf, len);
    } else if ((argc == 3 || argc == 4) && strcmp(argv[1], "--raw") == 0) {
        uint64_t base = argc == 4 ? strtoull(argv[3], NULL, 0) : 0;

        if (load(argv[2], &buf, &len) != 0) {
            return 2;
        }
        dump(buf, len, base);
        rc = 0;
    } else {
        fprintf(stderr, "usage: ia64_disasm_check OBJECT\n"
                        "       ia64_disasm_check --raw FILE [BASE]\n");
        return 2;
    }
    free(buf);
    return rc == 0 ? 0 : 2;
}
