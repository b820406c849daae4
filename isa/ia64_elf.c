/*
 * ia64_elf.c - code sections and symbols of an IA-64 ELF object, and the
 * per-slot listing of a code range (ia64_elf.h).
 *
 * Moved here from tests/ia64_disasm_check.c (its file reader, its section
 * walk and its per-bundle dump), so that `vtsim disasm --isa ia64` and
 * the objdump differential driver print the same lines.
 */
#include "ia64_elf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ia64.h"

#define ELF_SHT_PROGBITS  1u
#define ELF_SHT_SYMTAB    2u
#define ELF_SHF_EXECINSTR 4u
#define ELF_EM_IA_64      50u
#define ELF_STT_SECTION   3u
#define ELF_STT_FILE      4u
#define ELF_SHN_LORESERVE 0xff00u
#define ELF_SYM_SIZE      24u

static uint64_t rd(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n-- > 0) {
        v = (v << 8) | p[n];
    }
    return v;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int ia64_elf_read_file(const char *path, uint8_t **buf, size_t *len,
                       char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0;
    size_t n = 0;
    uint8_t *b = NULL;

    if (f == NULL) {
        return fail(err, errlen, "%s: %s", path, strerror(errno));
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
                return fail(err, errlen, "%s: out of memory", path);
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
        int e = errno;

        free(b);
        fclose(f);
        return fail(err, errlen, "%s: %s", path, strerror(e));
    }
    fclose(f);
    *buf = b;
    *len = n;
    return 0;
}

/* The section header table, validated. */
struct shtab {
    uint64_t off;
    unsigned entsize;
    unsigned num;
};

static int elf_header(const uint8_t *f, size_t len, struct shtab *t,
                      char *err, size_t errlen)
{
    if (len < 64 || memcmp(f, "\177ELF", 4) != 0) {
        return fail(err, errlen, "not an ELF file");
    }
    if (f[4] != 2 || f[5] != 1) {
        return fail(err, errlen, "not a little-endian ELF64 file");
    }
    if (rd(f + 18, 2) != ELF_EM_IA_64) {
        return fail(err, errlen, "not an IA-64 object (e_machine %u, "
                    "want %u)", (unsigned)rd(f + 18, 2), ELF_EM_IA_64);
    }
    t->off = rd(f + 40, 8);
    t->entsize = (unsigned)rd(f + 58, 2);
    t->num = (unsigned)rd(f + 60, 2);
    if (t->entsize < 64 || t->off > len ||
        (uint64_t)t->num * t->entsize > len - t->off) {
        return fail(err, errlen, "bad section header table");
    }
    return 0;
}

static const uint8_t *shdr(const uint8_t *f, const struct shtab *t,
                           unsigned i)
{
    return f + t->off + (uint64_t)i * t->entsize;
}

/* A NUL-terminated name at `name` within the string table section
 * `strndx`, or NULL. */
static const char *strtab_name(const uint8_t *f, size_t len,
                               const struct shtab *t, unsigned strndx,
                               uint64_t name)
{
    const uint8_t *sh;
    uint64_t off;
    uint64_t size;

    if (strndx == 0 || strndx >= t->num) {
        return NULL;
    }
    sh = shdr(f, t, strndx);
    off = rd(sh + 24, 8);
    size = rd(sh + 32, 8);
    if (off > len || size > len - off || name >= size ||
        memchr(f + off + name, '\0', size - name) == NULL) {
        return NULL;
    }
    return (const char *)(f + off + name);
}

int ia64_elf_code_sections(const uint8_t *f, size_t len,
                           ia64_elf_section_fn fn, void *ctx,
                           char *err, size_t errlen)
{
    struct shtab t;
    unsigned shstrndx;
    unsigned i;

    if (elf_header(f, len, &t, err, errlen) != 0) {
        return -1;
    }
    shstrndx = (unsigned)rd(f + 62, 2);
    if (shstrndx >= t.num) {
        return fail(err, errlen, "bad section name table index %u",
                    shstrndx);
    }
    for (i = 0; i < t.num; i++) {
        const uint8_t *sh = shdr(f, &t, i);
        struct ia64_elf_section s;
        const char *nm;
        uint64_t off = rd(sh + 24, 8);
        int rc;

        if (rd(sh + 4, 4) != ELF_SHT_PROGBITS ||
            !(rd(sh + 8, 8) & ELF_SHF_EXECINSTR)) {
            continue;
        }
        s.size = rd(sh + 32, 8);
        if (off > len || s.size > len - off) {
            return fail(err, errlen, "section %u lies outside the file", i);
        }
        nm = strtab_name(f, len, &t, shstrndx, rd(sh, 4));
        s.name = nm != NULL ? nm : "?";
        s.index = i;
        s.addr = rd(sh + 16, 8);
        s.data = f + off;
        rc = fn != NULL ? fn(ctx, &s) : 0;
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

void ia64_elf_symbols(const uint8_t *f, size_t len, unsigned shndx,
                      ia64_elf_symbol_fn fn, void *ctx)
{
    struct shtab t;
    char err[8];
    unsigned i;

    if (elf_header(f, len, &t, err, sizeof(err)) != 0) {
        return;
    }
    for (i = 0; i < t.num; i++) {
        const uint8_t *sh = shdr(f, &t, i);
        uint64_t off = rd(sh + 24, 8);
        uint64_t size = rd(sh + 32, 8);
        unsigned link = (unsigned)rd(sh + 40, 4);
        uint64_t k;

        if (rd(sh + 4, 4) != ELF_SHT_SYMTAB || off > len ||
            size > len - off || rd(sh + 56, 8) != ELF_SYM_SIZE) {
            continue;
        }
        for (k = 0; k + ELF_SYM_SIZE <= size; k += ELF_SYM_SIZE) {
            const uint8_t *st = f + off + k;
            struct ia64_elf_symbol sym;
            unsigned type = st[4] & 0xf;

            sym.shndx = (unsigned)rd(st + 6, 2);
            if (sym.shndx != shndx || shndx == 0 ||
                shndx >= ELF_SHN_LORESERVE || type == ELF_STT_SECTION ||
                type == ELF_STT_FILE) {
                continue;
            }
            sym.name = strtab_name(f, len, &t, link, rd(st, 4));
            if (sym.name == NULL || sym.name[0] == '\0') {
                continue;
            }
            sym.value = rd(st + 8, 8);
            sym.bind = st[4] >> 4;
            fn(ctx, &sym);
        }
        return;                     /* one .symtab per file */
    }
}

void ia64_disasm_range(FILE *out, const uint8_t *code, uint64_t size,
                       uint64_t base, int width,
                       void (*label)(void *ctx, FILE *out, uint64_t addr),
                       void *label_ctx)
{
    static const unsigned off[3] = { 0, 6, 12 };
    struct ia64_bundle b;
    char text[160];
    uint64_t i;
    unsigned s;

    for (i = 0; i + IA64_BUNDLE_BYTES <= size; i += IA64_BUNDLE_BYTES) {
        if (label != NULL) {
            label(label_ctx, out, base + i);
        }
        ia64_decode_bundle(code + i, &b);
        for (s = 0; s < b.nslots; s++) {
            ia64_disasm_slot(&b, s, base + i, text, sizeof(text));
            fprintf(out, "%*" PRIx64 ":\t%s\n", width, base + i + off[s],
                    text);
        }
    }
    if (i < size) {
        fprintf(out, "%*" PRIx64 ":\ttrailing %u bytes\n", width, base + i,
                (unsigned)(size - i));
    }
}
