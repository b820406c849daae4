/*
 * test_loader.c - suite "loader": Multiboot v1 and ELF64 images built in
 * memory, loaded into sparse memory; every malformed header is an error
 * with a message, never a crash.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sim/sim_err.h"
#include "sim/sim_loader.h"
#include "sim/sim_mem.h"
#include "test_suites.h"
#include "test_util.h"

#define RAM (64ull << 20)

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/*
 * An ELF32 i386 executable: header, one PT_LOAD program header, then the
 * segment (0x200 bytes of file at paddr 0x100000, memsz 0x1000) holding a
 * Multiboot header at its start and a recognisable pattern after it.
 */
static size_t mk_elf32(uint8_t *b, bool mb, uint32_t mbflags)
{
    size_t seg = 0x100;
    unsigned i;

    memset(b, 0, 0x400);
    memcpy(b, "\177ELF", 4);
    b[4] = 1;                       /* ELFCLASS32 */
    b[5] = 1;                       /* little-endian */
    b[6] = 1;
    put16(b + 16, 2);               /* ET_EXEC */
    put16(b + 18, 3);               /* EM_386 */
    put32(b + 20, 1);
    put32(b + 24, 0x100010);        /* entry */
    put32(b + 28, 52);              /* phoff */
    put16(b + 40, 52);
    put16(b + 42, 32);              /* phentsize */
    put16(b + 44, 1);               /* phnum */
    /* PT_LOAD: offset, vaddr, paddr, filesz, memsz, flags, align. */
    put32(b + 52, 1);
    put32(b + 56, (uint32_t)seg);
    put32(b + 60, 0x100000);
    put32(b + 64, 0x100000);
    put32(b + 68, 0x200);
    put32(b + 72, 0x1000);
    put32(b + 76, 5);
    put32(b + 80, 0x1000);
    if (mb) {
        put32(b + seg, SIM_MB_MAGIC);
        put32(b + seg + 4, mbflags);
        put32(b + seg + 8, (uint32_t)-(SIM_MB_MAGIC + mbflags));
    }
    for (i = 16; i < 0x200; i++) {
        b[seg + i] = (uint8_t)i;
    }
    return seg + 0x200;
}

static size_t mk_elf64(uint8_t *b)
{
    size_t seg = 0x100;

    memset(b, 0, 0x400);
    memcpy(b, "\177ELF", 4);
    b[4] = 2;                       /* ELFCLASS64 */
    b[5] = 1;
    b[6] = 1;
    put16(b + 16, 2);
    put16(b + 18, 62);              /* EM_X86_64 */
    put32(b + 20, 1);
    put64(b + 24, 0x200000);        /* entry */
    put64(b + 32, 64);              /* phoff */
    put16(b + 52, 64);
    put16(b + 54, 56);
    put16(b + 56, 1);
    put32(b + 64, 1);               /* PT_LOAD */
    put32(b + 68, 5);
    put64(b + 72, seg);             /* offset */
    put64(b + 80, 0x200000);        /* vaddr */
    put64(b + 88, 0x200000);        /* paddr */
    put64(b + 96, 0x80);            /* filesz */
    put64(b + 104, 0x3000);         /* memsz */
    memset(b + seg, 0xcc, 0x80);
    return seg + 0x80;
}

static void test_loader_multiboot(void)
{
    uint8_t img[0x400];
    size_t n = mk_elf32(img, true, 0x3);
    struct sim_mem *m = sim_mem_new();
    struct sim_image im;
    char err[256] = "";
    uint32_t info[13];
    uint8_t byte;

    CU_ASSERT_EQUAL_FATAL(sim_load_image_buf(m, RAM, img, n, "t.elf", &im,
                                             err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(im.kind, SIM_IMAGE_MULTIBOOT);
    CU_ASSERT_EQUAL(im.entry, 0x100010);
    CU_ASSERT_EQUAL(im.lo, 0x100000);
    CU_ASSERT_EQUAL(im.hi, 0x101000);
    CU_ASSERT_EQUAL(im.segments, 1);
    CU_ASSERT_EQUAL(im.mb_flags, 3);
    CU_ASSERT_EQUAL(im.mb_info, SIM_MB_INFO_ADDR);
    /* The segment's bytes, and its bss reading as zero. */
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x100000) & 0xffffffff, SIM_MB_MAGIC);
    sim_mem_read(m, 0x100000 + 0x1ff, &byte, 1);
    CU_ASSERT_EQUAL(byte, 0xff);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x100800), 0);
    /* Multiboot info: flags, mem_lower, mem_upper, mmap length/addr. */
    sim_mem_read(m, SIM_MB_INFO_ADDR, info, sizeof(info));
    CU_ASSERT_EQUAL(info[0], SIM_MB_INFO_MEM | SIM_MB_INFO_MMAP);
    CU_ASSERT_EQUAL(info[1], 639);
    CU_ASSERT_EQUAL(info[2], (RAM - 0x100000) / 1024);
    CU_ASSERT_EQUAL(info[11], 48);
    CU_ASSERT_EQUAL(info[12], SIM_MB_MMAP_ADDR);
    /* Second map entry: size 20, base 1 MiB, length RAM - 1 MiB, type 1. */
    {
        uint64_t base;
        uint64_t length;

        sim_mem_read(m, SIM_MB_MMAP_ADDR + 24 + 4, &base, 8);
        sim_mem_read(m, SIM_MB_MMAP_ADDR + 24 + 12, &length, 8);
        CU_ASSERT_EQUAL(base, 0x100000);
        CU_ASSERT_EQUAL(length, RAM - 0x100000);
    }
    sim_mem_free(m);
}

static void test_loader_elf64(void)
{
    uint8_t img[0x400];
    size_t n = mk_elf64(img);
    struct sim_mem *m = sim_mem_new();
    struct sim_image im;
    char err[256] = "";

    CU_ASSERT_EQUAL_FATAL(sim_load_image_buf(m, RAM, img, n, "t64.elf", &im,
                                             err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(im.kind, SIM_IMAGE_ELF64);
    CU_ASSERT_EQUAL(im.entry, 0x200000);
    CU_ASSERT_EQUAL(im.hi, 0x203000);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x200000), 0xccccccccccccccccull);
    CU_ASSERT_EQUAL(im.mb_info, 0);
    sim_mem_free(m);
}

/* Each corruption gives an error whose message says what is wrong. */
static void test_loader_bad_images(void)
{
    static const struct {
        const char *what;
        unsigned off;       /* byte to change (in the ELF32 image) */
        uint8_t val;
        bool mb;
        const char *msg;
    } cases[] = {
        { "magic", 1, 'X', true, "not an ELF file" },
        { "class", 4, 9, true, "unknown ELF class" },
        { "endianness", 5, 2, true, "little-endian" },
        { "type", 16, 3, true, "not an executable" },
        { "machine", 18, 40, true, "not i386" },
        { "no multiboot header", 0, 0, false, "Multiboot v1 header" },
        { "bad checksum", 0x108, 0x55, true, "Multiboot v1 header" },
        { "phoff beyond file", 31, 0x40, true, "program headers" },
        { "filesz > memsz", 69, 0x20, true, "exceeds memory size" },
        { "segment beyond RAM", 67, 0x40, true, "does not fit" },
        { "offset beyond file", 57, 0x10, true, "outside the file" },
        { "entry outside", 26, 0x20, true, "entry point" },
        { "paddr on the multiboot info", 66, 0, true, "Multiboot info" },
    };
    unsigned i;

    for (i = 0; i < SIM_ARRAY_SIZE(cases); i++) {
        uint8_t img[0x400];
        size_t n = mk_elf32(img, cases[i].mb, 0);
        struct sim_mem *m = sim_mem_new();
        struct sim_image im;
        char err[256] = "";
        int rc;

        if (cases[i].off != 0 || cases[i].val != 0) {
            img[cases[i].off] = cases[i].val;
        }
        if (strcmp(cases[i].what, "paddr on the multiboot info") == 0) {
            put32(img + 64, 0x8f00);
            put32(img + 24, 0x8f10);
        }
        rc = sim_load_image_buf(m, RAM, img, n, "bad.elf", &im, err,
                                sizeof(err));
        CU_ASSERT(rc == -SIM_ECFG);
        if (strstr(err, cases[i].msg) == NULL ||
            strncmp(err, "bad.elf: ", 9) != 0) {
            CU_FAIL(cases[i].what);
        }
        sim_mem_free(m);
    }
}

/* Truncations at every length and random corruption never crash. */
static void test_loader_hostile(void)
{
    uint8_t img[0x400];
    size_t n = mk_elf32(img, true, 0);
    uint64_t s = 0x243f6a8885a308d3ull;
    unsigned ok = 0;
    size_t k;
    unsigned i;

    for (k = 0; k < n; k++) {
        struct sim_mem *m = sim_mem_new();
        struct sim_image im;
        char err[128];

        CU_ASSERT(sim_load_image_buf(m, RAM, img, k, "t", &im, err,
                                     sizeof(err)) != 0);
        sim_mem_free(m);
    }
    for (i = 0; i < 3000; i++) {
        uint8_t c[0x400];
        struct sim_mem *m = sim_mem_new();
        struct sim_image im;
        char err[128];
        unsigned j;

        memcpy(c, img, n);
        for (j = 0; j < 4; j++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            c[(s >> 8) % 0x60] = (uint8_t)s;    /* headers */
        }
        ok += sim_load_image_buf(m, RAM, c, n, "t", &im, err,
                                 sizeof(err)) == 0;
        sim_mem_free(m);
    }
    CU_ASSERT(ok < 3000);
}

static void test_loader_file_errors(void)
{
    struct sim_mem *m = sim_mem_new();
    struct sim_image im;
    char err[256] = "";
    const char *dir = tu_tmpdir();
    const char *p;

    CU_ASSERT_EQUAL(sim_load_image(m, RAM, "/nonexistent/x.elf", &im, err,
                                   sizeof(err)), -SIM_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.elf: "));
    CU_ASSERT_FATAL(dir != NULL);
    p = tu_write_file(dir, "text.elf", "hello, not an image\n");
    CU_ASSERT_EQUAL(sim_load_image(m, RAM, p, &im, err, sizeof(err)),
                    -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an ELF file"));
    remove(p);
    remove(dir);
    sim_mem_free(m);
}

int test_loader_register(void)
{
    CU_pSuite s = CU_add_suite("loader", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "multiboot", test_loader_multiboot) == NULL ||
        CU_add_test(s, "elf64", test_loader_elf64) == NULL ||
        CU_add_test(s, "bad_images", test_loader_bad_images) == NULL ||
        CU_add_test(s, "hostile", test_loader_hostile) == NULL ||
        CU_add_test(s, "file_errors", test_loader_file_errors) == NULL) {
        return -1;
    }
    return 0;
}
