/* test_wl.c - suite "wl": the synthetic workload's tables and streams. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cache-tlb/ptw.h"
#include "sim/sim_cfg.h"
#include "sim/sim_err.h"
#include "sim/sim_mem.h"
#include "test_suites.h"
#include "workloads/wl.h"

static void wl_defaults(struct wl_cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->mode = "native";
    c->levels = 4;
    c->host_levels = 4;
    c->footprint = 64ull << 20;
    c->pattern = WL_PAT_RANDOM;
    c->stride = 4096;
    c->zipf_alpha = 0.99;
    c->write_fraction = 0.25;
    c->seed = 42;
    c->va_base = 0x100000000000ull;
}

/* 64 MiB of 4-KiB pages: PML4 + PDPT + PD + 32 page tables.  EPT over it
 * with 4-KiB host pages: 4 levels for the guest-table range plus the data
 * range (1 PML4, 1 PDPT, 2 PDs, 1 + 32 PTs). */
static void test_wl_table_pages(void)
{
    struct wl_cfg c;
    struct ptw_ctx ctx;
    struct wl_layout lay;
    struct sim_mem *m = sim_mem_new();

    wl_defaults(&c);
    CU_ASSERT_EQUAL(wl_build(m, &c, PTW_MODE_NATIVE, 46, &ctx, &lay), 0);
    CU_ASSERT_EQUAL(lay.guest_tables, 35);
    CU_ASSERT_EQUAL(lay.host_tables, 0);
    sim_mem_free(m);
    m = sim_mem_new();
    CU_ASSERT_EQUAL(wl_build(m, &c, PTW_MODE_EPT, 46, &ctx, &lay), 0);
    CU_ASSERT_EQUAL(lay.guest_tables, 35);
    CU_ASSERT_EQUAL(lay.host_tables, 1 + 1 + 2 + 1 + 32);
    /* EPTP: WB, 4-level walk, A/D enabled. */
    CU_ASSERT_EQUAL(ctx.nroot & 0xfff, 6 | (3 << 3) | (1 << 6));
    sim_mem_free(m);
}

/* Every page of the footprint translates to its data page. */
static void test_wl_every_page_maps(void)
{
    static const int modes[] = { PTW_MODE_NATIVE, PTW_MODE_EPT,
                                 PTW_MODE_NPT };
    unsigned i;

    for (i = 0; i < 3; i++) {
        struct wl_cfg c;
        struct ptw_ctx ctx;
        struct wl_layout lay;
        struct sim_mem *m = sim_mem_new();
        struct ptw w;
        struct ptw_parts p;
        struct ptw_result r;
        uint64_t off;
        unsigned bad = 0;

        wl_defaults(&c);
        c.footprint = 8ull << 20;
        c.host_page = 1;
        CU_ASSERT_FATAL(wl_build(m, &c, modes[i], 46, &ctx, &lay) == 0);
        memset(&p, 0, sizeof(p));
        p.mem = m;
        CU_ASSERT_FATAL(ptw_init(&w, &p, 0) == 0);
        for (off = 0; off < c.footprint; off += 4096) {
            struct ptw_access a = { c.va_base + off + 8, false, true,
                                    false };

            ptw_walk(&w, &ctx, &a, 0, &r);
            bad += r.fault.kind != PTW_FAULT_NONE ||
                   r.gpa != WL_GUEST_DATA_BASE + off + 8;
        }
        CU_ASSERT_EQUAL(bad, 0);
        ptw_fini(&w);
        sim_mem_free(m);
    }
}

static void test_wl_stride_sequence(void)
{
    struct wl_cfg c;
    struct wl_gen g;
    uint64_t va;
    bool wr;

    wl_defaults(&c);
    c.pattern = WL_PAT_STRIDE;
    c.stride = 24ull << 20;          /* wraps at 64 MiB */
    CU_ASSERT_FATAL(wl_gen_init(&g, &c) == 0);
    wl_gen_next(&g, &va, &wr);
    CU_ASSERT_EQUAL(va, c.va_base);
    wl_gen_next(&g, &va, &wr);
    CU_ASSERT_EQUAL(va, c.va_base + (24ull << 20));
    wl_gen_next(&g, &va, &wr);
    CU_ASSERT_EQUAL(va, c.va_base + (48ull << 20));
    wl_gen_next(&g, &va, &wr);
    CU_ASSERT_EQUAL(va, c.va_base + (8ull << 20));
    wl_gen_fini(&g);
}

static void test_wl_seed_determinism(void)
{
    struct wl_cfg c;
    struct wl_gen a;
    struct wl_gen b;
    unsigned i;
    unsigned same = 0;
    unsigned writes = 0;
    unsigned outside = 0;

    wl_defaults(&c);
    CU_ASSERT_FATAL(wl_gen_init(&a, &c) == 0);
    CU_ASSERT_FATAL(wl_gen_init(&b, &c) == 0);
    for (i = 0; i < 10000; i++) {
        uint64_t va1;
        uint64_t va2;
        bool w1;
        bool w2;

        wl_gen_next(&a, &va1, &w1);
        wl_gen_next(&b, &va2, &w2);
        same += va1 == va2 && w1 == w2;
        writes += w1;
        outside += va1 < c.va_base || va1 >= c.va_base + c.footprint ||
                   (va1 & 63) != 0;
    }
    CU_ASSERT_EQUAL(same, 10000);
    CU_ASSERT_EQUAL(outside, 0);
    /* write_fraction 0.25 over 10000 accesses: well inside 4 sigma. */
    CU_ASSERT(writes > 2300 && writes < 2700);
    wl_gen_fini(&a);
    wl_gen_fini(&b);
    {
        struct wl_cfg c2 = c;

        c2.seed = 43;
        CU_ASSERT_FATAL(wl_gen_init(&a, &c) == 0);
        CU_ASSERT_FATAL(wl_gen_init(&b, &c2) == 0);
        for (i = 0, same = 0; i < 100; i++) {
            uint64_t va1;
            uint64_t va2;
            bool w;

            wl_gen_next(&a, &va1, &w);
            wl_gen_next(&b, &va2, &w);
            same += va1 == va2;
        }
    }
    CU_ASSERT(same < 5);
    wl_gen_fini(&a);
    wl_gen_fini(&b);
}

/* The chase visits every page once per cycle of npages steps. */
static void test_wl_chase_single_cycle(void)
{
    struct wl_cfg c;
    struct wl_gen g;
    static unsigned char seen[16384];
    uint64_t i;
    unsigned distinct = 0;

    wl_defaults(&c);
    c.pattern = WL_PAT_CHASE;
    memset(seen, 0, sizeof(seen));
    CU_ASSERT_FATAL(wl_gen_init(&g, &c) == 0);
    for (i = 0; i < 16384; i++) {
        uint64_t va;
        bool w;
        uint64_t page;

        wl_gen_next(&g, &va, &w);
        page = (va - c.va_base) >> 12;
        CU_ASSERT_FATAL(page < 16384);
        distinct += !seen[page];
        seen[page] = 1;
    }
    CU_ASSERT_EQUAL(distinct, 16384);
    wl_gen_fini(&g);
}

/* Zipf: the most popular page takes far more than a uniform share. */
static void test_wl_zipf_skew(void)
{
    struct wl_cfg c;
    struct wl_gen g;
    static unsigned cnt[16384];
    unsigned i;
    unsigned max = 0;

    wl_defaults(&c);
    c.pattern = WL_PAT_ZIPF;
    memset(cnt, 0, sizeof(cnt));
    CU_ASSERT_FATAL(wl_gen_init(&g, &c) == 0);
    for (i = 0; i < 100000; i++) {
        uint64_t va;
        bool w;

        wl_gen_next(&g, &va, &w);
        cnt[(va - c.va_base) >> 12]++;
    }
    for (i = 0; i < 16384; i++) {
        if (cnt[i] > max) {
            max = cnt[i];
        }
    }
    /* Uniform would give ~6 per page; rank 1 of Zipf(0.99) over 16384
     * ranks has probability ~1/10.3 -> ~9700. */
    CU_ASSERT(max > 5000);
    wl_gen_fini(&g);
}

static void test_wl_validate(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct wl_cfg c;

    CU_ASSERT_FATAL(cfg != NULL);
    wl_defaults(&c);
    CU_ASSERT_EQUAL(wl_cfg_validate(cfg, "workload", &c), 0);
    c.mode = "native,shadow";
    CU_ASSERT_EQUAL(wl_cfg_validate(cfg, "workload", &c), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "mode"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "shadow"));
    c.mode = "ept";
    c.guest_page = 1;
    c.footprint = 3ull << 20;
    CU_ASSERT_EQUAL(wl_cfg_validate(cfg, "workload", &c), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "footprint"));
    sim_cfg_free(cfg);
}

int test_wl_register(void)
{
    CU_pSuite s = CU_add_suite("wl", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "table_pages", test_wl_table_pages) == NULL ||
        CU_add_test(s, "every_page_maps", test_wl_every_page_maps) == NULL ||
        CU_add_test(s, "stride_sequence", test_wl_stride_sequence) == NULL ||
        CU_add_test(s, "seed_determinism", test_wl_seed_determinism) ==
            NULL ||
        CU_add_test(s, "chase_single_cycle", test_wl_chase_single_cycle) ==
            NULL ||
        CU_add_test(s, "zipf_skew", test_wl_zipf_skew) == NULL ||
        CU_add_test(s, "validate", test_wl_validate) == NULL) {
        return -1;
    }
    return 0;
}
