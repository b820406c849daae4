/*
 * test_ptw.c - suite "ptw": 1-D and 2-D walks over real tables built by the
 * workload builder, with every cache of translations disabled unless a test
 * turns one on.
 *
 * Reference counts (reference D2, published-numbers 2b): native 4-level =
 * 4, 4 over 4 = 24, 4 over 5 = 29, 5 over 5 = 35, i.e. (n+1)(m+1) - 1.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "cache-tlb/mmu.h"
#include "cache-tlb/ptw.h"
#include "sim/sim_mem.h"
#include "test_suites.h"
#include "test_util.h"
#include "workloads/wl.h"

#define VA0 0x100000000000ull

enum {
    TW_PSC = 1 << 0,        /* Intel paging-structure caches, both dims */
    TW_PWC = 1 << 1,        /* AMD page-walk cache */
    TW_NTLB = 1 << 2,       /* nested TLB */
    TW_CACHES = 1 << 3,     /* an L1D + DRAM hierarchy */
};

struct tw {
    struct sim_mem *mem;
    struct cache *l1d;
    struct dram *dram;
    struct cache_hier hier;
    struct pwc *psc[6];
    struct pwc *epsc[6];
    struct pwc *pwc;
    struct pwc *ntlb;
    struct ptw w;
    struct ptw_ctx ctx;
    struct wl_cfg wl;
    struct tu_trace trace;
    struct ptw_result r;
};

static void tw_setup(struct tw *t, int mode, unsigned gl, unsigned hl,
                     unsigned gpage, unsigned hpage, unsigned parts)
{
    struct ptw_parts p;
    struct tlb_cfg small = { 16, 16, 2 };
    struct wl_layout lay;
    unsigned i;

    memset(t, 0, sizeof(*t));
    t->mem = sim_mem_new();
    t->wl.levels = gl;
    t->wl.host_levels = hl;
    t->wl.guest_page = gpage;
    t->wl.host_page = hpage;
    t->wl.footprint = 1ull << 30;
    t->wl.va_base = VA0;
    CU_ASSERT_FATAL(wl_build(t->mem, &t->wl, mode, 46, &t->ctx, &lay) == 0);
    memset(&p, 0, sizeof(p));
    p.mem = t->mem;
    if (parts & TW_CACHES) {
        struct cache_cfg cc = { 32768, 8, 64, 4, 0, 0, true };
        struct dram_cfg dc = { 100, 100, 1, 8192 };

        t->l1d = cache_new("l1d", &cc, 1);
        t->dram = dram_new(&dc);
        t->hier.l1d = t->l1d;
        t->hier.dram = t->dram;
        p.caches = &t->hier;
    }
    for (i = 2; i < 6 && (parts & TW_PSC); i++) {
        t->psc[i] = pwc_new("psc", &small);
        t->epsc[i] = pwc_new("epsc", &small);
        p.psc[i] = t->psc[i];
        p.epsc[i] = t->epsc[i];
    }
    if (parts & TW_PWC) {
        struct tlb_cfg big = { 64, 64, 2 };

        t->pwc = pwc_new("pwc", &big);
        p.pwc = t->pwc;
    }
    if (parts & TW_NTLB) {
        t->ntlb = pwc_new("ntlb", &small);
        p.ntlb = t->ntlb;
    }
    tu_trace_init(&t->trace);
    p.trace = &t->trace.sink;
    CU_ASSERT_FATAL(ptw_init(&t->w, &p, 3) == 0);
}

static void tw_free(struct tw *t)
{
    unsigned i;

    ptw_fini(&t->w);
    for (i = 0; i < 6; i++) {
        pwc_free(t->psc[i]);
        pwc_free(t->epsc[i]);
    }
    pwc_free(t->pwc);
    pwc_free(t->ntlb);
    cache_free(t->l1d);
    dram_free(t->dram);
    sim_mem_free(t->mem);
}

static const struct ptw_result *tw_walk(struct tw *t, uint64_t va,
                                        bool write)
{
    struct ptw_access a = { va, write, true, false };

    CU_ASSERT(ptw_walk(&t->w, &t->ctx, &a, 0, &t->r) == 0);
    return &t->r;
}

/* Cells of the last walk served by `src`. */
static unsigned tw_count(const struct ptw_result *r, unsigned src)
{
    unsigned i;
    unsigned n = 0;

    for (i = 0; i < r->ev.nrefs; i++) {
        n += r->ev.refs[i].src == src;
    }
    return n;
}

/* Memory references of the last walk (cells served by L1D..DRAM). */
static unsigned tw_refs(const struct ptw_result *r)
{
    unsigned i;
    unsigned n = 0;

    for (i = 0; i < r->ev.nrefs; i++) {
        n += r->ev.refs[i].src >= PTW_SRC_L1D;
    }
    return n;
}

/* Host-physical address of the guest (native) entry for va at `lvl`, and of
 * the host entry for gpa at `hlvl`. */
static uint64_t tw_host_off(const struct tw *t)
{
    return t->ctx.mode == PTW_MODE_NATIVE ? 0 : WL_HOST_GUEST_OFFSET;
}

static uint64_t tw_guest_entry(struct tw *t, uint64_t va, unsigned lvl)
{
    uint64_t table = t->ctx.root & SIM_MASK(51, 12);
    unsigned l;

    for (l = t->ctx.glevels; l > lvl; l--) {
        uint64_t e = sim_mem_read64(t->mem, tw_host_off(t) + table +
                                    8 * ((va >> (12 + 9 * (l - 1))) & 511));

        table = e & SIM_MASK(51, 12);
    }
    return tw_host_off(t) + table + 8 * ((va >> (12 + 9 * (lvl - 1))) & 511);
}

static uint64_t tw_host_entry(struct tw *t, uint64_t gpa, unsigned lvl)
{
    uint64_t table = t->ctx.nroot & SIM_MASK(51, 12);
    unsigned l;

    for (l = t->ctx.hlevels; l > lvl; l--) {
        uint64_t e = sim_mem_read64(t->mem, table +
                                    8 * ((gpa >> (12 + 9 * (l - 1))) & 511));

        table = e & SIM_MASK(51, 12);
    }
    return table + 8 * ((gpa >> (12 + 9 * (lvl - 1))) & 511);
}

static void tw_poke(struct tw *t, uint64_t addr, uint64_t set, uint64_t clr)
{
    uint64_t e = sim_mem_read64(t->mem, addr);

    CU_ASSERT_FATAL(sim_mem_write64(t->mem, addr, (e | set) & ~clr) == 0);
}

/* ---- reference counts with nothing cached ---- */

static void check_count(int mode, unsigned gl, unsigned hl, unsigned want)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, mode, gl, hl, 0, 0, 0);
    r = tw_walk(&t, VA0 + 0x12345678, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NONE);
    CU_ASSERT_EQUAL(r->ev.nrefs, want);
    CU_ASSERT_EQUAL(tw_refs(r), want);
    CU_ASSERT_EQUAL(r->gpa, WL_GUEST_DATA_BASE + 0x12345678);
    CU_ASSERT_EQUAL(r->hpa, WL_GUEST_DATA_BASE + 0x12345678 +
                    (mode == PTW_MODE_NATIVE ? 0 : WL_HOST_GUEST_OFFSET));
    /* The trace sink saw the same event. */
    CU_ASSERT_EQUAL(t.trace.walks, 1);
    CU_ASSERT_EQUAL(t.trace.last.nrefs, want);
    tw_free(&t);
}

static void test_ptw_count_native4(void)
{
    check_count(PTW_MODE_NATIVE, 4, 4, 4);
}

static void test_ptw_count_native5(void)
{
    check_count(PTW_MODE_NATIVE, 5, 4, 5);
}

static void test_ptw_count_ept_4over4(void)
{
    check_count(PTW_MODE_EPT, 4, 4, 24);
}

static void test_ptw_count_ept_4over5(void)
{
    check_count(PTW_MODE_EPT, 4, 5, 29);
}

static void test_ptw_count_ept_5over5(void)
{
    check_count(PTW_MODE_EPT, 5, 5, 35);
}

static void test_ptw_count_npt_4over4(void)
{
    check_count(PTW_MODE_NPT, 4, 4, 24);
}

static void test_ptw_count_npt_5over4(void)
{
    check_count(PTW_MODE_NPT, 5, 4, 29);
}

/* The grid of a 4-over-4 walk: guest levels 4..1 each have host cells 4..1
 * then the guest read (hlevel 0); the final row (glevel 0) has host cells
 * 4..1, in that order. */
static void test_ptw_grid_order(void)
{
    struct tw t;
    const struct ptw_result *r;
    unsigned i = 0;
    int g;
    int h;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
    r = tw_walk(&t, VA0, false);
    for (g = 4; g >= 0; g--) {
        for (h = 4; h >= (g == 0 ? 1 : 0); h--) {
            CU_ASSERT_EQUAL(r->ev.refs[i].glevel, g);
            CU_ASSERT_EQUAL(r->ev.refs[i].hlevel, h);
            i++;
        }
    }
    CU_ASSERT_EQUAL(i, r->ev.nrefs);
    tw_free(&t);
}

/* ---- large pages ---- */

static void check_large(int mode, unsigned gpage, unsigned hpage,
                        unsigned want, unsigned want_shift)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, mode, 4, 4, gpage, hpage, 0);
    r = tw_walk(&t, VA0 + 0x2345678, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NONE);
    CU_ASSERT_EQUAL(tw_refs(r), want);
    CU_ASSERT_EQUAL(r->page_shift, want_shift);
    CU_ASSERT_EQUAL(r->gpa, WL_GUEST_DATA_BASE + 0x2345678);
    tw_free(&t);
}

static void test_ptw_large_native_2m(void)
{
    check_large(PTW_MODE_NATIVE, 1, 0, 3, 21);
}

static void test_ptw_large_native_1g(void)
{
    check_large(PTW_MODE_NATIVE, 2, 0, 2, 30);
}

static void test_ptw_large_guest_2m(void)
{
    /* 3 guest levels x (4 host + 1) + 4 for the final address; the 2 MiB
     * guest page is splintered into 4-KiB host pages. */
    check_large(PTW_MODE_EPT, 1, 0, 19, 12);
}

static void test_ptw_large_host_2m(void)
{
    /* 4 guest levels x (3 host + 1) + 3; the TLB page is the smaller. */
    check_large(PTW_MODE_EPT, 0, 1, 19, 12);
}

static void test_ptw_large_both_1g(void)
{
    /* 2 x (2 + 1) + 2 = 8. */
    check_large(PTW_MODE_NPT, 2, 2, 8, 30);
}

static void test_ptw_large_guest_2m_host_1g(void)
{
    /* 3 x (2 + 1) + 2 = 11; 2 MiB effective page. */
    check_large(PTW_MODE_EPT, 1, 2, 11, 21);
}

/* ---- caches of translations skip exactly what they should ---- */

static void test_ptw_psc_native_skips(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, TW_PSC);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(tw_refs(r), 4);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 0);
    /* Same 2 MiB region: the PDE cache gives the page table. */
    r = tw_walk(&t, VA0 + 0x5000, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 1);
    CU_ASSERT_EQUAL(tw_refs(r), 1);
    CU_ASSERT_EQUAL(r->ev.refs[0].glevel, 2);
    CU_ASSERT_EQUAL(r->ev.refs[1].glevel, 1);
    /* Another 2 MiB region of the same 1 GiB: PDPTE cache, then PD, PT. */
    r = tw_walk(&t, VA0 + 0x800000, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 1);
    CU_ASSERT_EQUAL(tw_refs(r), 2);
    CU_ASSERT_EQUAL(r->gpa, WL_GUEST_DATA_BASE + 0x800000);
    tw_free(&t);
}

static void test_ptw_psc_ept_combined(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, TW_PSC);
    /* Even the first walk reuses the EPT paging-structure caches: the four
     * guest table pages share one 2 MiB guest-physical region, so after
     * the first nested walk (4 refs) each of the next three starts at the
     * EPT PDE cache (1 hit + 1 ref); the final gPA (4 GiB) shares only the
     * EPT PML4 entry (1 hit + 3 refs); plus 4 guest reads: 14 refs. */
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 4);
    CU_ASSERT_EQUAL(tw_refs(r), 14);
    /* Next page: the combined PDE-cache entry gives the host-physical page
     * table (no nested walk for it); the guest PTE is read; the final gPA
     * is a new page whose host walk starts from the EPT PDE cache. */
    r = tw_walk(&t, VA0 + 0x1000, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NONE);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 2);
    CU_ASSERT_EQUAL(tw_refs(r), 2);
    CU_ASSERT_EQUAL(r->hpa, WL_GUEST_DATA_BASE + 0x1000 +
                    WL_HOST_GUEST_OFFSET);
    tw_free(&t);
}

static void test_ptw_ntlb_skips_host_walks(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, TW_NTLB);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(tw_refs(r), 24);
    /* Another line of the same page: all five nested translations hit. */
    r = tw_walk(&t, VA0 + 0x40, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_NTLB), 5);
    CU_ASSERT_EQUAL(tw_refs(r), 4);
    /* The next page: four table pointers hit; the final gPA walks. */
    r = tw_walk(&t, VA0 + 0x1000, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_NTLB), 4);
    CU_ASSERT_EQUAL(tw_refs(r), 8);
    tw_free(&t);
}

static void test_ptw_amd_pwc_serves_nonleaf(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_NPT, 4, 4, 0, 0, TW_PWC);
    /* First walk: the PWC skips nothing (24 cells) but already serves the
     * host PML4/PDPT/PD entries shared by the guest table pages (3 x 3)
     * and the host PML4 entry of the final gPA: 10 hits, 14 refs. */
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->ev.nrefs, 24);
    CU_ASSERT_EQUAL(tw_refs(r), 14);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 10);
    /* Next page: every non-leaf entry (guest 4,3,2 and host 4,3,2 of all
     * five nested walks) is in the PWC; each leaf is read: nothing is
     * skipped, 18 cells are served by the PWC and 6 by memory. */
    r = tw_walk(&t, VA0 + 0x1000, false);
    CU_ASSERT_EQUAL(r->ev.nrefs, 24);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_PWC), 18);
    CU_ASSERT_EQUAL(tw_refs(r), 6);
    tw_free(&t);
}

static void test_ptw_latency_is_sum_of_cells(void)
{
    struct tw t;
    const struct ptw_result *r;
    unsigned i;
    uint32_t sum = 0;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, TW_CACHES);
    r = tw_walk(&t, VA0, false);
    for (i = 0; i < r->ev.nrefs; i++) {
        sum += r->ev.refs[i].cycles;
    }
    CU_ASSERT_EQUAL(r->ev.cycles, sum);
    CU_ASSERT(sum >= 24 * 4);
    /* Walking again: every entry (and its A/D update) is in the L1D. */
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(tw_count(r, PTW_SRC_L1D), 24);
    CU_ASSERT_EQUAL(r->ev.cycles, 24 * 4);
    tw_free(&t);
}

/* ---- A/D bits ---- */

static void test_ptw_ad_native(void)
{
    struct tw t;
    unsigned l;

    tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
    tw_walk(&t, VA0, false);
    for (l = 4; l >= 1; l--) {
        uint64_t e = sim_mem_read64(t.mem, tw_guest_entry(&t, VA0, l));

        CU_ASSERT(e & PTE_A);
        CU_ASSERT(!(e & PTE_D));
    }
    tw_walk(&t, VA0, true);
    CU_ASSERT(sim_mem_read64(t.mem, tw_guest_entry(&t, VA0, 1)) & PTE_D);
    /* D only on the leaf (bit 6 is ignored in non-leaf entries). */
    CU_ASSERT(!(sim_mem_read64(t.mem, tw_guest_entry(&t, VA0, 2)) & PTE_D));
    tw_free(&t);
}

static void test_ptw_ad_ept(void)
{
    struct tw t;
    uint64_t e;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
    tw_walk(&t, VA0, false);
    /* Host leaf of a guest table page: accessed and, as guest table
     * accesses count as writes with EPT A/D on, dirty (reference D2). */
    e = sim_mem_read64(t.mem, tw_host_entry(&t, t.ctx.root & ~0xfffull, 1));
    CU_ASSERT(e & EPTE_A);
    CU_ASSERT(e & EPTE_D);
    /* Host leaf of the data page after a read: accessed, not dirty. */
    e = sim_mem_read64(t.mem, tw_host_entry(&t, WL_GUEST_DATA_BASE, 1));
    CU_ASSERT(e & EPTE_A);
    CU_ASSERT(!(e & EPTE_D));
    tw_walk(&t, VA0, true);
    e = sim_mem_read64(t.mem, tw_host_entry(&t, WL_GUEST_DATA_BASE, 1));
    CU_ASSERT(e & EPTE_D);
    /* The guest leaf got D from the write. */
    CU_ASSERT(sim_mem_read64(t.mem, tw_guest_entry(&t, VA0, 1)) & PTE_D);
    tw_free(&t);
}

/* ---- faults ---- */

static void test_ptw_fault_not_present_each_level(void)
{
    unsigned lvl;

    for (lvl = 4; lvl >= 1; lvl--) {
        struct tw t;
        const struct ptw_result *r;

        tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
        tw_poke(&t, tw_guest_entry(&t, VA0, lvl), 0, PTE_P);
        r = tw_walk(&t, VA0 + 8, false);
        CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NOT_PRESENT);
        CU_ASSERT_EQUAL(r->fault.stage, PTW_STAGE_GUEST);
        CU_ASSERT_EQUAL(r->fault.level, lvl);
        CU_ASSERT_EQUAL(r->fault.va, VA0 + 8);
        CU_ASSERT_EQUAL(r->fault.pf_error, PF_ERR_U);
        CU_ASSERT_EQUAL(tw_refs(r), 4 - lvl + 1);
        CU_ASSERT_EQUAL(r->hpa, 0);
        CU_ASSERT_EQUAL(r->ev.fault, PTW_FAULT_NOT_PRESENT);
        tw_free(&t);
    }
}

static void test_ptw_fault_rsvd_each_level(void)
{
    unsigned lvl;

    for (lvl = 4; lvl >= 1; lvl--) {
        struct tw t;
        const struct ptw_result *r;

        tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
        /* Bit 50 is above MAXPHYADDR (46): reserved. */
        tw_poke(&t, tw_guest_entry(&t, VA0, lvl), SIM_BIT(50), 0);
        r = tw_walk(&t, VA0, true);
        CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_RSVD);
        CU_ASSERT_EQUAL(r->fault.level, lvl);
        CU_ASSERT_EQUAL(r->fault.pf_error,
                        PF_ERR_P | PF_ERR_W | PF_ERR_U | PF_ERR_RSVD);
        tw_free(&t);
    }
}

static void test_ptw_fault_rsvd_ps_in_pml4(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_guest_entry(&t, VA0, 4), PTE_PS, 0);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_RSVD);
    CU_ASSERT_EQUAL(r->fault.level, 4);
    tw_free(&t);
}

static void test_ptw_fault_perm(void)
{
    struct tw t;
    const struct ptw_result *r;
    struct ptw_access sup = { VA0, true, false, false };

    tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_guest_entry(&t, VA0, 3), 0, PTE_RW);
    r = tw_walk(&t, VA0, true);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_PERM);
    CU_ASSERT_EQUAL(r->fault.pf_error, PF_ERR_P | PF_ERR_W | PF_ERR_U);
    /* A read is fine; a supervisor write with CR0.WP = 0 too. */
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NONE);
    t.ctx.wp = false;
    CU_ASSERT(ptw_walk(&t.w, &t.ctx, &sup, 0, &t.r) == 0);
    CU_ASSERT_EQUAL(t.r.fault.kind, PTW_FAULT_NONE);
    /* U/S clear at level 1: a user read faults. */
    tw_poke(&t, tw_guest_entry(&t, VA0, 1), 0, PTE_US);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_PERM);
    CU_ASSERT_EQUAL(r->fault.pf_error, PF_ERR_P | PF_ERR_U);
    tw_free(&t);
}

static void test_ptw_ept_violation_final_and_table(void)
{
    struct tw t;
    const struct ptw_result *r;
    unsigned hl;

    /* Host levels 3..1 of the data page are its own entries (level 4 is
     * shared with the guest table pages). */
    for (hl = 3; hl >= 1; hl--) {
        tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
        tw_poke(&t, tw_host_entry(&t, WL_GUEST_DATA_BASE, hl), 0, 7);
        r = tw_walk(&t, VA0, true);
        CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NOT_PRESENT);
        CU_ASSERT_EQUAL(r->fault.stage, PTW_STAGE_HOST);
        CU_ASSERT_EQUAL(r->fault.level, hl);
        CU_ASSERT(r->fault.final);
        CU_ASSERT_EQUAL(r->fault.gpa, WL_GUEST_DATA_BASE);
        CU_ASSERT_EQUAL(r->fault.ept_qual,
                        EPT_QUAL_R | EPT_QUAL_W | EPT_QUAL_GLA |
                        EPT_QUAL_FINAL);
        /* 4 guest levels x 5 + (4 - hl + 1) host reads of the final. */
        CU_ASSERT_EQUAL(tw_refs(r), 20 + 4 - hl + 1);
        tw_free(&t);
    }
    /* Guest page-table page not mapped by EPT: a table access. */
    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_host_entry(&t, t.ctx.root & ~0xfffull, 1), 0, 7);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NOT_PRESENT);
    CU_ASSERT(!r->fault.final);
    CU_ASSERT_EQUAL(r->fault.ept_qual & EPT_QUAL_FINAL, 0);
    CU_ASSERT(r->fault.ept_qual & EPT_QUAL_GLA);
    CU_ASSERT_EQUAL(tw_refs(r), 4);
    tw_free(&t);
}

static void test_ptw_ept_write_protect_qual(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_host_entry(&t, WL_GUEST_DATA_BASE, 1), 0, EPTE_W);
    r = tw_walk(&t, VA0, false);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NONE);
    r = tw_walk(&t, VA0, true);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_PERM);
    /* Access: read+write; translation readable + executable. */
    CU_ASSERT_EQUAL(r->fault.ept_qual,
                    EPT_QUAL_R | EPT_QUAL_W | EPT_QUAL_READABLE |
                    EPT_QUAL_EXEC | EPT_QUAL_GLA | EPT_QUAL_FINAL);
    tw_free(&t);
}

static void test_ptw_ept_misconfig(void)
{
    static const struct {
        uint64_t set;
        uint64_t clr;
        unsigned lvl;
        bool final;
    } cases[] = {
        { 0, EPTE_R, 2, true },             /* write without read */
        { SIM_BIT(48), 0, 3, true },        /* address bit above M */
        { 1ull << 3, 0, 2, true },          /* non-leaf bits 6:3 */
        { 0, 6ull << 3, 1, true },          /* leaf memory type 0 is ok.. */
        { EPTE_PS, 0, 4, false },           /* PS in the PML4E (shared by
                                             * the guest table pages) */
    };
    unsigned i;

    for (i = 0; i < SIM_ARRAY_SIZE(cases); i++) {
        struct tw t;
        const struct ptw_result *r;

        tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
        tw_poke(&t, tw_host_entry(&t, WL_GUEST_DATA_BASE, cases[i].lvl),
                cases[i].set, cases[i].clr);
        if (i == 3) {
            /* ..but memory type 2 is a misconfiguration. */
            tw_poke(&t, tw_host_entry(&t, WL_GUEST_DATA_BASE, 1), 2ull << 3,
                    0);
        }
        r = tw_walk(&t, VA0, false);
        CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_EPT_MISCONFIG);
        CU_ASSERT_EQUAL(r->fault.level, cases[i].lvl);
        CU_ASSERT_EQUAL(r->fault.final, cases[i].final);
        tw_free(&t);
    }
}

static void test_ptw_npt_fault_info(void)
{
    struct tw t;
    const struct ptw_result *r;

    tw_setup(&t, PTW_MODE_NPT, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_host_entry(&t, WL_GUEST_DATA_BASE, 2), 0, PTE_P);
    r = tw_walk(&t, VA0, true);
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_NOT_PRESENT);
    CU_ASSERT_EQUAL(r->fault.npf_info1, NPF_INFO_FINAL | PF_ERR_W | PF_ERR_U);
    tw_free(&t);

    tw_setup(&t, PTW_MODE_NPT, 4, 4, 0, 0, 0);
    tw_poke(&t, tw_host_entry(&t, t.ctx.root & ~0xfffull, 1), 0, PTE_RW);
    r = tw_walk(&t, VA0, false);
    /* Guest table accesses are writes for NPT: read-only host page of the
     * guest PML4 faults as a present, write, user table access. */
    CU_ASSERT_EQUAL(r->fault.kind, PTW_FAULT_PERM);
    CU_ASSERT_EQUAL(r->fault.npf_info1,
                    NPF_INFO_TABLE | PF_ERR_P | PF_ERR_W | PF_ERR_U);
    tw_free(&t);
}

/* Hostile tables: random entries must give an outcome, never a crash or
 * more cells than the grid has. */
static void test_ptw_random_tables_never_crash(void)
{
    int mode;
    uint64_t s = 88172645463325252ull;

    for (mode = 0; mode < PTW_MODE__COUNT; mode++) {
        struct tw t;
        unsigned i;

        tw_setup(&t, mode, 5, 5, 0, 0, TW_PSC | TW_NTLB | TW_PWC);
        for (i = 0; i < 20000; i++) {
            uint64_t addr;
            uint64_t va;
            const struct ptw_result *r;

            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            addr = (i & 1) ? tw_guest_entry(&t, VA0 + (s & 0x3ffff000), 1 +
                                            (unsigned)(s >> 60) % 5)
                           : tw_host_entry(&t, WL_GUEST_DATA_BASE +
                                           (s & 0x3ffff000), 1 +
                                           (unsigned)(s >> 61) % 5);
            if (t.ctx.mode == PTW_MODE_NATIVE && !(i & 1)) {
                addr = tw_guest_entry(&t, VA0, 1);
            }
            if (sim_mem_frame(t.mem, addr, false) != NULL) {
                sim_mem_write64(t.mem, addr & ~7ull,
                                s * 0x9e3779b97f4a7c15ull);
            }
            va = VA0 + ((s >> 7) & 0x3fffffff);
            r = tw_walk(&t, va, (s & 1) != 0);
            CU_ASSERT(r->ev.nrefs <= 35);
            CU_ASSERT(r->fault.kind < PTW_FAULT__COUNT);
            if (r->fault.kind == PTW_FAULT_NONE) {
                CU_ASSERT(r->page_shift == 12 || r->page_shift == 21 ||
                          r->page_shift == 30);
            }
        }
        tw_free(&t);
    }
}

/* ---- MMU: TLBs in front of the walker ---- */

static void test_ptw_mmu_tlb_hit_and_fill(void)
{
    struct tw t;
    struct tlb_cfg l1c = { 64, 4, 1 };
    struct tlb_cfg l2c = { 512, 4, 7 };
    struct tlb *l1[3];
    struct tlb *l2;
    struct mmu m;
    struct ptw_parts p;
    struct mmu_result r;
    struct ptw_access a = { VA0 + 0x123, false, true, false };

    tw_setup(&t, PTW_MODE_EPT, 4, 4, 0, 0, 0);
    l1[0] = tlb_new("l1", &l1c, TLB_SZ_4K);
    l1[1] = NULL;
    l1[2] = NULL;
    l2 = tlb_new("l2", &l2c, TLB_SZ_4K | TLB_SZ_2M);
    p = t.w.p;
    CU_ASSERT_FATAL(mmu_init(&m, l1, l2, &p, 0) == 0);
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_WALK);
    CU_ASSERT_EQUAL(r.hpa, WL_GUEST_DATA_BASE + WL_HOST_GUEST_OFFSET + 0x123);
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_L1);
    CU_ASSERT_EQUAL(r.cycles, 1);
    CU_ASSERT_EQUAL(r.hpa, WL_GUEST_DATA_BASE + WL_HOST_GUEST_OFFSET + 0x123);
    /* A write to a clean entry walks again (to set D), then hits. */
    a.write = true;
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_WALK);
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_L1);
    /* Flushing the L1 only: the L2 serves it with both latencies. */
    {
        struct tlb_flush f = { TLB_FLUSH_ALL, 0, { 0, 0, 0, 0 }, 0, false };

        tlb_flush(l1[0], &f);
    }
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_L2);
    CU_ASSERT_EQUAL(r.cycles, 1 + 7);
    CU_ASSERT_EQUAL(m.st.translations, 5);
    CU_ASSERT_EQUAL(m.st.walks, 2);
    /* Another VPID does not hit. */
    t.ctx.tag.vpid = 9;
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT_EQUAL(r.served, MMU_WALK);
    mmu_fini(&m);
    tlb_free(l1[0]);
    tlb_free(l2);
    tw_free(&t);
}

static void test_ptw_mmu_fault_result(void)
{
    struct tw t;
    struct tlb *l1[3] = { NULL, NULL, NULL };
    struct mmu m;
    struct mmu_result r;
    struct ptw_access a = { VA0 + (2ull << 30), false, true, false };

    tw_setup(&t, PTW_MODE_NATIVE, 4, 4, 0, 0, 0);
    CU_ASSERT_FATAL(mmu_init(&m, l1, NULL, &t.w.p, 0) == 0);
    /* Beyond the 1 GiB footprint: not mapped. */
    mmu_translate(&m, &t.ctx, &a, 0, &r);
    CU_ASSERT(r.fault);
    CU_ASSERT_EQUAL(r.f.kind, PTW_FAULT_NOT_PRESENT);
    CU_ASSERT_EQUAL(r.f.level, 3);
    CU_ASSERT_EQUAL(m.st.faults, 1);
    mmu_fini(&m);
    tw_free(&t);
}

int test_ptw_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "count_native4", test_ptw_count_native4 },
        { "count_native5", test_ptw_count_native5 },
        { "count_ept_4over4_is_24", test_ptw_count_ept_4over4 },
        { "count_ept_4over5_is_29", test_ptw_count_ept_4over5 },
        { "count_ept_5over5_is_35", test_ptw_count_ept_5over5 },
        { "count_npt_4over4_is_24", test_ptw_count_npt_4over4 },
        { "count_npt_5over4_is_29", test_ptw_count_npt_5over4 },
        { "grid_order", test_ptw_grid_order },
        { "large_native_2m", test_ptw_large_native_2m },
        { "large_native_1g", test_ptw_large_native_1g },
        { "large_guest_2m", test_ptw_large_guest_2m },
        { "large_host_2m_splinters", test_ptw_large_host_2m },
        { "large_both_1g", test_ptw_large_both_1g },
        { "large_guest_2m_host_1g", test_ptw_large_guest_2m_host_1g },
        { "psc_native_skips_levels", test_ptw_psc_native_skips },
        { "psc_ept_combined", test_ptw_psc_ept_combined },
        { "ntlb_skips_host_walks", test_ptw_ntlb_skips_host_walks },
        { "amd_pwc_serves_nonleaf", test_ptw_amd_pwc_serves_nonleaf },
        { "latency_is_sum_of_cells", test_ptw_latency_is_sum_of_cells },
        { "ad_native", test_ptw_ad_native },
        { "ad_ept", test_ptw_ad_ept },
        { "fault_not_present_each_level",
          test_ptw_fault_not_present_each_level },
        { "fault_rsvd_each_level", test_ptw_fault_rsvd_each_level },
        { "fault_rsvd_ps_in_pml4", test_ptw_fault_rsvd_ps_in_pml4 },
        { "fault_perm", test_ptw_fault_perm },
        { "ept_violation_final_and_table",
          test_ptw_ept_violation_final_and_table },
        { "ept_write_protect_qual", test_ptw_ept_write_protect_qual },
        { "ept_misconfig", test_ptw_ept_misconfig },
        { "npt_fault_info", test_ptw_npt_fault_info },
        { "random_tables_never_crash", test_ptw_random_tables_never_crash },
        { "mmu_tlb_hit_and_fill", test_ptw_mmu_tlb_hit_and_fill },
        { "mmu_fault_result", test_ptw_mmu_fault_result },
    };
    CU_pSuite s = CU_add_suite("ptw", NULL, NULL);
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
