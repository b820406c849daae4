/*
 * sim_loader.h - guest images: Multiboot v1 and ELF64.
 *
 * A Multiboot v1 image (an ELF32 file, usually wrapping 64-bit code, as
 * kvm-unit-tests builds them) is loaded the way `qemu-system-x86_64 -kernel`
 * loads it: the Multiboot header must lie in the first 8 KiB, 4-byte
 * aligned (magic 0x1BADB002, flags, checksum with magic + flags + checksum
 * = 0); PT_LOAD segments go to their physical addresses (p_paddr); a
 * Multiboot information structure with mem_lower/mem_upper and a memory map
 * is written at SIM_MB_INFO_ADDR.  The core then starts in 32-bit protected
 * mode with EAX = 0x2BADB002 and EBX = that address (Multiboot 0.6.96,
 * section 3.2 "Machine state").
 *
 * An ELF64 (x86-64) image is loaded by its PT_LOAD segments too and entered
 * directly in long mode (state documented in docs/x86-runtime.md).
 *
 * Every malformed file is a user error with a message; nothing is loaded
 * half-way into a run because the caller stops on error.
 */
#ifndef SIM_LOADER_H
#define SIM_LOADER_H

#include "sim_mem.h"
#include "sim_types.h"

#define SIM_MB_MAGIC        0x1BADB002u     /* in the image header */
#define SIM_MB_BOOT_MAGIC   0x2BADB002u     /* in EAX at entry */
#define SIM_MB_SEARCH_BYTES 8192            /* header within the first 8 KiB */
#define SIM_MB_INFO_ADDR    0x9000ull       /* where vtsim puts the info */
#define SIM_MB_MMAP_ADDR    0x9100ull       /* and the memory map */

/* Multiboot information flags (Multiboot 0.6.96, section 3.3). */
#define SIM_MB_INFO_MEM     (1u << 0)
#define SIM_MB_INFO_MMAP    (1u << 6)

enum sim_image_kind {
    SIM_IMAGE_MULTIBOOT,    /* ELF32 with a Multiboot v1 header */
    SIM_IMAGE_ELF64,        /* ELF64 x86-64, entered in long mode */
};

struct sim_image {
    unsigned kind;          /* enum sim_image_kind */
    uint64_t entry;         /* physical entry point */
    uint64_t lo;            /* lowest byte loaded */
    uint64_t hi;            /* one past the highest byte (incl. bss) */
    unsigned segments;      /* PT_LOAD segments loaded */
    uint32_t mb_flags;      /* Multiboot header flags */
    uint64_t mb_info;       /* Multiboot info address (EBX at entry) */
};

/*
 * Load the image file `path` into `mem`, whose guest RAM is [0, ram_bytes).
 * Returns 0, or -SIM_EIO / -SIM_ECFG with a message "PATH: what" in err.
 */
int sim_load_image(struct sim_mem *mem, uint64_t ram_bytes, const char *path,
                   struct sim_image *out, char *err, size_t errlen);

/* The same from a buffer (`name` is used in messages). */
int sim_load_image_buf(struct sim_mem *mem, uint64_t ram_bytes,
                       const uint8_t *buf, size_t len, const char *name,
                       struct sim_image *out, char *err, size_t errlen);

#endif /* SIM_LOADER_H */
