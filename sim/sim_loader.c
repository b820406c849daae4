/*
 * sim_loader.c - load Multiboot v1 (ELF32) and ELF64 guest images into
 * guest-physical memory.
 *
 * Formats: System V ABI ELF (gABI, "ELF Header" and "Program Header"),
 * Multiboot Specification 0.6.96 (sections 3.1 "OS image format", 3.2
 * "Machine state", 3.3 "Boot information format").  Multiboot files that
 * use the a.out kludge (header flag 16) are not supported: vtsim, like the
 * kvm-unit-tests images it mirrors, loads the ELF program headers.
 *
 * Every field of the file is untrusted: offsets and sizes are checked
 * against the file and RAM before anything is copied.
 */
#include "sim_loader.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

/* ELF identification and header fields (gABI). */
#define EI_CLASS     4
#define EI_DATA      5
#define ELFCLASS32   1
#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define ET_EXEC      2
#define EM_386       3
#define EM_X86_64    62
#define PT_LOAD      1

#define MB_FLAG_AOUT_KLUDGE (1u << 16)

static int ld_fail(char *err, size_t errlen, const char *name, int rc,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int ld_fail(char *err, size_t errlen, const char *name, int rc,
                   const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err != NULL && errlen > 0) {
        n = snprintf(err, errlen, "%s: ", name);
        if (n >= 0 && (size_t)n < errlen) {
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return rc;
}

static uint16_t ld_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t ld_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t ld_u64(const uint8_t *p)
{
    return (uint64_t)ld_u32(p) | (uint64_t)ld_u32(p + 4) << 32;
}

/* One program header, whatever the class. */
struct ld_phdr {
    uint32_t type;
    uint64_t offset;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
};

static void ld_phdr(const uint8_t *p, bool is64, struct ld_phdr *h)
{
    h->type = ld_u32(p);
    if (is64) {
        h->offset = ld_u64(p + 8);
        h->paddr = ld_u64(p + 24);
        h->filesz = ld_u64(p + 32);
        h->memsz = ld_u64(p + 40);
    } else {
        h->offset = ld_u32(p + 4);
        h->paddr = ld_u32(p + 12);
        h->filesz = ld_u32(p + 16);
        h->memsz = ld_u32(p + 20);
    }
}

/* Find a valid Multiboot v1 header; returns its offset or -1. */
static long ld_find_multiboot(const uint8_t *buf, size_t len, uint32_t *flags)
{
    size_t lim = len < SIM_MB_SEARCH_BYTES ? len : SIM_MB_SEARCH_BYTES;
    size_t off;

    for (off = 0; off + 12 <= lim; off += 4) {
        uint32_t magic = ld_u32(buf + off);
        uint32_t fl = ld_u32(buf + off + 4);
        uint32_t sum = ld_u32(buf + off + 8);

        if (magic == SIM_MB_MAGIC && (uint32_t)(magic + fl + sum) == 0) {
            *flags = fl;
            return (long)off;
        }
    }
    return -1;
}

/* The Multiboot information structure and a two-range memory map. */
static int ld_write_mbi(struct sim_mem *mem, uint64_t ram)
{
    uint32_t w[22];                         /* 88 bytes, little-endian */
    uint8_t mmap[2 * 24];
    uint64_t upper = ram > 0x100000 ? ram - 0x100000 : 0;
    unsigned i;
    int rc;

    memset(w, 0, sizeof(w));
    /* flags, mem_lower (KiB below 1 MiB: 639), mem_upper (KiB above). */
    w[0] = SIM_MB_INFO_MEM | SIM_MB_INFO_MMAP;
    w[1] = 639;
    w[2] = (uint32_t)(upper / 1024 > UINT32_MAX ? UINT32_MAX : upper / 1024);
    w[11] = (uint32_t)sizeof(mmap);         /* mmap_length at 44 */
    w[12] = (uint32_t)SIM_MB_MMAP_ADDR;     /* mmap_addr at 48 */
    /* Memory map entries: size (20, excluding itself), base, length, type
     * 1 = available RAM. */
    for (i = 0; i < 2; i++) {
        uint8_t *e = mmap + 24 * i;
        uint64_t base = i == 0 ? 0 : 0x100000;
        uint64_t length = i == 0 ? 0x9fc00 : upper;
        uint32_t size = 20;
        uint32_t type = 1;

        memcpy(e, &size, 4);
        memcpy(e + 4, &base, 8);
        memcpy(e + 12, &length, 8);
        memcpy(e + 20, &type, 4);
    }
    rc = sim_mem_write(mem, SIM_MB_INFO_ADDR, w, sizeof(w));
    if (rc == 0) {
        rc = sim_mem_write(mem, SIM_MB_MMAP_ADDR, mmap, sizeof(mmap));
    }
    return rc;
}

int sim_load_image_buf(struct sim_mem *mem, uint64_t ram_bytes,
                       const uint8_t *buf, size_t len, const char *name,
                       struct sim_image *out, char *err, size_t errlen)
{
    bool is64;
    uint16_t machine;
    uint64_t phoff;
    uint16_t phentsize;
    uint16_t phnum;
    uint32_t mbflags = 0;
    long mboff;
    unsigned i;

    memset(out, 0, sizeof(*out));
    if (len < 52 || memcmp(buf, "\177ELF", 4) != 0) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "not an ELF file (bad magic or too short)");
    }
    if (buf[EI_DATA] != ELFDATA2LSB) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "not a little-endian ELF file");
    }
    if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "unknown ELF class %u", buf[EI_CLASS]);
    }
    is64 = buf[EI_CLASS] == ELFCLASS64;
    if (is64 && len < 64) {
        return ld_fail(err, errlen, name, -SIM_ECFG, "truncated ELF header");
    }
    machine = ld_u16(buf + 18);
    if (ld_u16(buf + 16) != ET_EXEC) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "not an executable (ELF type %u)", ld_u16(buf + 16));
    }
    if (is64) {
        if (machine != EM_X86_64) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "ELF64 for machine %u, not x86-64", machine);
        }
        out->kind = SIM_IMAGE_ELF64;
        out->entry = ld_u64(buf + 24);
        phoff = ld_u64(buf + 32);
        phentsize = ld_u16(buf + 54);
        phnum = ld_u16(buf + 56);
    } else {
        if (machine != EM_386) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "ELF32 for machine %u, not i386", machine);
        }
        mboff = ld_find_multiboot(buf, len, &mbflags);
        if (mboff < 0) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "ELF32 image without a Multiboot v1 header in "
                           "its first 8 KiB (magic 0x1BADB002 with a valid "
                           "checksum)");
        }
        if (mbflags & MB_FLAG_AOUT_KLUDGE) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "Multiboot a.out-kludge images (header flag 16) "
                           "are not supported; link an ELF image");
        }
        out->kind = SIM_IMAGE_MULTIBOOT;
        out->mb_flags = mbflags;
        out->entry = ld_u32(buf + 24);
        phoff = ld_u32(buf + 28);
        phentsize = ld_u16(buf + 42);
        phnum = ld_u16(buf + 44);
    }
    if (phentsize < (is64 ? 56 : 32) || phoff > len ||
        (uint64_t)phnum * phentsize > len - phoff) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "program headers lie outside the file");
    }
    out->lo = UINT64_MAX;
    for (i = 0; i < phnum; i++) {
        struct ld_phdr h;

        ld_phdr(buf + phoff + (uint64_t)i * phentsize, is64, &h);
        if (h.type != PT_LOAD || h.memsz == 0) {
            continue;
        }
        if (h.filesz > h.memsz) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "segment %u: file size %llu exceeds memory size "
                           "%llu", i, (unsigned long long)h.filesz,
                           (unsigned long long)h.memsz);
        }
        if (h.offset > len || h.filesz > len - h.offset) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "segment %u lies outside the file", i);
        }
        if (h.paddr >= ram_bytes || h.memsz > ram_bytes - h.paddr) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "segment %u at 0x%llx+0x%llx does not fit in %llu "
                           "MiB of RAM", i, (unsigned long long)h.paddr,
                           (unsigned long long)h.memsz,
                           (unsigned long long)(ram_bytes >> 20));
        }
        if (out->kind == SIM_IMAGE_MULTIBOOT &&
            h.paddr < SIM_MB_MMAP_ADDR + 0x100 &&
            h.paddr + h.memsz > SIM_MB_INFO_ADDR) {
            return ld_fail(err, errlen, name, -SIM_ECFG,
                           "segment %u overlaps the Multiboot information "
                           "at 0x%llx", i,
                           (unsigned long long)SIM_MB_INFO_ADDR);
        }
        if (sim_mem_write(mem, h.paddr, buf + h.offset, (size_t)h.filesz) !=
            0) {
            return ld_fail(err, errlen, name, -SIM_ENOMEM, "out of memory");
        }
        /* bss: memory never written reads as zero already. */
        if (h.paddr < out->lo) {
            out->lo = h.paddr;
        }
        if (h.paddr + h.memsz > out->hi) {
            out->hi = h.paddr + h.memsz;
        }
        out->segments++;
    }
    if (out->segments == 0) {
        return ld_fail(err, errlen, name, -SIM_ECFG, "no loadable segment");
    }
    if (out->entry < out->lo || out->entry >= out->hi) {
        return ld_fail(err, errlen, name, -SIM_ECFG,
                       "entry point 0x%llx is outside the loaded segments",
                       (unsigned long long)out->entry);
    }
    if (out->kind == SIM_IMAGE_MULTIBOOT) {
        if (ld_write_mbi(mem, ram_bytes) != 0) {
            return ld_fail(err, errlen, name, -SIM_ENOMEM, "out of memory");
        }
        out->mb_info = SIM_MB_INFO_ADDR;
    }
    return 0;
}

int sim_load_image(struct sim_mem *mem, uint64_t ram_bytes, const char *path,
                   struct sim_image *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    int rc;

    if (f == NULL) {
        return ld_fail(err, errlen, path, -SIM_EIO, "%s", strerror(errno));
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return ld_fail(err, errlen, path, -SIM_EIO, "cannot size the file");
    }
    if (n > (1L << 30)) {
        fclose(f);
        return ld_fail(err, errlen, path, -SIM_ECFG, "larger than 1 GiB");
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL) {
        fclose(f);
        return ld_fail(err, errlen, path, -SIM_ENOMEM, "out of memory");
    }
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return ld_fail(err, errlen, path, -SIM_EIO, "read error");
    }
    fclose(f);
    rc = sim_load_image_buf(mem, ram_bytes, buf, (size_t)n, path, out, err,
                            errlen);
    free(buf);
    return rc;
}
