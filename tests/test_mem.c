/* test_mem.c - suite "mem": sparse physical memory. */
#include <CUnit/CUnit.h>

#include "sim/sim_mem.h"
#include "test_suites.h"

static void test_mem_unwritten_reads_zero(void)
{
    struct sim_mem *m = sim_mem_new();

    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x123456789000ull), 0);
    CU_ASSERT_PTR_NULL(sim_mem_frame(m, 0x5000, false));
    CU_ASSERT_EQUAL(sim_mem_frames(m), 0);
    sim_mem_free(m);
}

static void test_mem_write_read_back(void)
{
    struct sim_mem *m = sim_mem_new();

    CU_ASSERT_EQUAL(sim_mem_write64(m, 0x4008, 0x1122334455667788ull), 0);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x4008), 0x1122334455667788ull);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x4000), 0);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0x4010), 0);
    CU_ASSERT_EQUAL(sim_mem_frames(m), 1);
    /* High addresses, near the 52-bit limit. */
    CU_ASSERT_EQUAL(sim_mem_write64(m, 0xffffffffff000ull, 7), 0);
    CU_ASSERT_EQUAL(sim_mem_read64(m, 0xffffffffff000ull), 7);
    CU_ASSERT_EQUAL(sim_mem_frames(m), 2);
    sim_mem_free(m);
}

/* The table grows past its first capacity and keeps every frame. */
static void test_mem_many_frames(void)
{
    struct sim_mem *m = sim_mem_new();
    uint64_t i;
    unsigned bad = 0;

    for (i = 0; i < 5000; i++) {
        CU_ASSERT_EQUAL_FATAL(sim_mem_write64(m, i * 0x3000 + 16, i + 1), 0);
    }
    for (i = 0; i < 5000; i++) {
        bad += sim_mem_read64(m, i * 0x3000 + 16) != i + 1;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(sim_mem_frames(m), 5000);
    sim_mem_free(m);
}

/* Byte copies across page boundaries, and reads of unwritten pages. */
static void test_mem_byte_copies(void)
{
    struct sim_mem *m = sim_mem_new();
    uint8_t out[10000];
    uint8_t in[10000];
    size_t i;
    size_t bad = 0;

    for (i = 0; i < sizeof(out); i++) {
        out[i] = (uint8_t)(i * 7 + 1);
    }
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x10ffd, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(sim_mem_frames(m), 4);      /* 0x10..0x13 */
    sim_mem_read(m, 0x10ffd, in, sizeof(in));
    for (i = 0; i < sizeof(in); i++) {
        bad += in[i] != out[i];
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* Straddling written and never-written memory. */
    sim_mem_read(m, 0x10ffd + sizeof(out) - 4, in, 8);
    CU_ASSERT_EQUAL(in[3], out[sizeof(out) - 1]);
    CU_ASSERT_EQUAL(in[4], 0);
    CU_ASSERT_EQUAL(in[7], 0);
    CU_ASSERT_EQUAL(sim_mem_frames(m), 4);      /* reads allocate nothing */
    sim_mem_free(m);
}

int test_mem_register(void)
{
    CU_pSuite s = CU_add_suite("mem", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "unwritten_reads_zero",
                    test_mem_unwritten_reads_zero) == NULL ||
        CU_add_test(s, "write_read_back", test_mem_write_read_back) == NULL ||
        CU_add_test(s, "many_frames", test_mem_many_frames) == NULL ||
        CU_add_test(s, "byte_copies", test_mem_byte_copies) == NULL) {
        return -1;
    }
    return 0;
}
