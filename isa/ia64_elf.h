/*
 * ia64_elf.h - IA-64 ELF objects for the disassembler: the code sections
 * and symbols of an ELF64 little-endian EM_IA_64 file, and the per-slot
 * listing of a code range.  Used by `vtsim disasm --isa ia64` and by the
 * objdump differential driver tests/ia64_disasm_check.
 *
 * ELF facts: System V ABI "ELF-64 Object File Format" (version 1.5):
 * e_ident (EI_CLASS 2 = ELFCLASS64, EI_DATA 1 = little endian), e_machine
 * at offset 18 (EM_IA_64 = 50), e_shoff 40, e_shentsize 58, e_shnum 60,
 * e_shstrndx 62; section headers (sh_name 0, sh_type 4, sh_flags 8,
 * sh_addr 16, sh_offset 24, sh_size 32, sh_link 40, sh_entsize 56);
 * SHT_PROGBITS 1, SHT_SYMTAB 2, SHF_EXECINSTR 4; symbols of 24 bytes
 * (st_name 0, st_info 4, st_shndx 6, st_value 8).
 *
 * Every offset read from the file is bounds-checked: a truncated or
 * corrupt file gives an error message, never a read outside the buffer.
 */
#ifndef ISA_IA64_ELF_H
#define ISA_IA64_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One executable section (SHT_PROGBITS with SHF_EXECINSTR). */
struct ia64_elf_section {
    const char    *name;    /* from .shstrtab, "?" when unnamed */
    unsigned       index;   /* section header index */
    uint64_t       addr;    /* sh_addr */
    const uint8_t *data;    /* inside the file buffer */
    uint64_t       size;
};

/* One symbol defined in a section (not STT_SECTION / STT_FILE, named). */
struct ia64_elf_symbol {
    const char *name;
    uint64_t    value;
    unsigned    shndx;
    unsigned    bind;       /* STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2 */
};

typedef int (*ia64_elf_section_fn)(void *ctx,
                                   const struct ia64_elf_section *s);
typedef void (*ia64_elf_symbol_fn)(void *ctx,
                                   const struct ia64_elf_symbol *sym);

/* Read the whole file at `path` into a malloc'd buffer (*buf, *len).
 * Returns 0, or -1 with a message naming the file in err. */
int ia64_elf_read_file(const char *path, uint8_t **buf, size_t *len,
                       char *err, size_t errlen);

/* Check that f[0..len) is an ELF64 little-endian IA-64 file with a sane
 * section header table, then call `fn` for each executable section in
 * header order (as objdump -d walks them); `fn` may be NULL to only
 * validate every code section.  Stops at the first non-zero
 * return of `fn` and returns it.  Returns 0, or -1 with a message (not
 * naming the file) in err. */
int ia64_elf_code_sections(const uint8_t *f, size_t len,
                           ia64_elf_section_fn fn, void *ctx,
                           char *err, size_t errlen);

/* Call `fn` for every symbol of .symtab defined in section `shndx`, in
 * table order.  A file without .symtab or with a corrupt one has no
 * symbols (no error: they only label the listing). */
void ia64_elf_symbols(const uint8_t *f, size_t len, unsigned shndx,
                      ia64_elf_symbol_fn fn, void *ctx);

/* Print the disassembly of `size` bytes of code at address `base`, one
 * line per slot "ADDR:\tTEXT\n" (ia64_disasm_slot() text; slot addresses
 * bundle, +6, +0xc as objdump numbers them).  ADDR is lowercase hex,
 * right-aligned in `width` columns (0: no padding).  A tail shorter than
 * a bundle is reported as "ADDR:\ttrailing N bytes".  When `label` is not
 * NULL it is called before each bundle to print symbol labels (it returns
 * nothing; it may print). */
void ia64_disasm_range(FILE *out, const uint8_t *code, uint64_t size,
                       uint64_t base, int width,
                       void (*label)(void *ctx, FILE *out, uint64_t addr),
                       void *label_ctx);

#ifdef __cplusplus
}
#endif

#endif /* ISA_IA64_ELF_H */
