/*
 * test_tlb.c - suites "tlb" and "pwc": tag isolation, page sizes, LRU
 * replacement, every flush scope, disabled structures, the config table
 * and validator, and the key -> value paging-structure cache.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "cache-tlb/tlb.h"
#include "sim/sim_cfg.h"
#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "test_suites.h"

#define TT_4K 12
#define TT_2M 21
#define TT_1G 30

static struct tlb_cfg tt_cfg(uint64_t entries, uint64_t ways)
{
    struct tlb_cfg c;

    memset(&c, 0, sizeof(c));
    c.entries = entries;
    c.ways = ways;
    c.hit_latency = 1;
    return c;
}

static struct tlb *tt_new(uint64_t entries, uint64_t ways, unsigned sizes)
{
    struct tlb_cfg c = tt_cfg(entries, ways);

    return tlb_new("test", &c, sizes);
}

static struct tlb_tag tt_tag(uint16_t pcid, uint16_t vpid, uint32_t asid,
                             uint64_t eptp)
{
    struct tlb_tag t;

    memset(&t, 0, sizeof(t));
    t.pcid = pcid;
    t.vpid = vpid;
    t.asid = asid;
    t.eptp = eptp;
    return t;
}

static struct tlb_entry tt_entry(uint64_t va, uint64_t pa, uint8_t shift,
                                 struct tlb_tag tag, bool global)
{
    struct tlb_entry e;

    memset(&e, 0, sizeof(e));
    e.va = va;
    e.pa = pa;
    e.gpa = pa;
    e.tag = tag;
    e.page_shift = shift;
    e.perms = TLB_PERM_W | TLB_PERM_X;
    e.global = global;
    return e;
}

/* Insert a 4K translation va -> pa with `tag`. */
static bool tt_put(struct tlb *t, uint64_t va, uint64_t pa,
                   struct tlb_tag tag, bool global)
{
    struct tlb_entry e = tt_entry(va, pa, TT_4K, tag, global);

    return tlb_insert(t, &e);
}

static bool tt_hit(struct tlb *t, struct tlb_tag tag, uint64_t va)
{
    return tlb_lookup(t, &tag, va, NULL);
}

/* ---- TLB ---- */

static void test_tlb_miss_then_hit_returns_entry(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_entry e = tt_entry(0x7000, 0x123000, TT_4K, tag, false);
    struct tlb_entry out;
    const struct tlb_stats *st;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_FALSE(tlb_lookup(t, &tag, 0x7abc, &out));
    e.dirty = true;
    CU_ASSERT_TRUE(tlb_insert(t, &e));
    memset(&out, 0, sizeof(out));
    CU_ASSERT_TRUE(tlb_lookup(t, &tag, 0x7abc, &out));
    CU_ASSERT_EQUAL(out.pa, 0x123000);
    CU_ASSERT_EQUAL(out.va, 0x7000);
    CU_ASSERT_EQUAL(out.page_shift, TT_4K);
    CU_ASSERT_EQUAL(out.perms, TLB_PERM_W | TLB_PERM_X);
    CU_ASSERT_TRUE(out.dirty);
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x8000));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x6fff));
    st = tlb_get_stats(t);
    CU_ASSERT_EQUAL(st->lookups, 4);
    CU_ASSERT_EQUAL(st->hits, 1);
    CU_ASSERT_EQUAL(st->misses, 3);
    CU_ASSERT_EQUAL(st->inserts, 1);
    tlb_free(t);
}

/* An entry inserted with `a` hits for `a` only, not for `b`, which
 * differs from `a` in a single field. */
static void tt_check_isolation(struct tlb_tag a, struct tlb_tag b)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_entry out;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tt_put(t, 0x5000, 0xa000, a, false));
    CU_ASSERT_FALSE(tt_hit(t, b, 0x5000));
    CU_ASSERT_TRUE(tt_hit(t, a, 0x5000));
    /* Both contexts can hold the same page side by side. */
    CU_ASSERT_TRUE(tt_put(t, 0x5000, 0xb000, b, false));
    CU_ASSERT_TRUE(tlb_lookup(t, &a, 0x5000, &out));
    CU_ASSERT_EQUAL(out.pa, 0xa000);
    CU_ASSERT_TRUE(tlb_lookup(t, &b, 0x5000, &out));
    CU_ASSERT_EQUAL(out.pa, 0xb000);
    CU_ASSERT_EQUAL(tlb_get_stats(t)->evictions, 0);
    tlb_free(t);
}

static void test_tlb_pcid_isolates(void)
{
    tt_check_isolation(tt_tag(1, 5, 0, 0), tt_tag(2, 5, 0, 0));
}

static void test_tlb_vpid_isolates(void)
{
    tt_check_isolation(tt_tag(1, 5, 0, 0), tt_tag(1, 6, 0, 0));
}

static void test_tlb_asid_isolates(void)
{
    tt_check_isolation(tt_tag(0, 0, 7, 0), tt_tag(0, 0, 8, 0));
}

static void test_tlb_eptp_isolates(void)
{
    tt_check_isolation(tt_tag(0, 1, 0, 0x1000), tt_tag(0, 1, 0, 0x2000));
}

/* A 2M entry serves any va in [base, base + 2 MiB). */
static void test_tlb_2m_entry_covers_its_page(void)
{
    struct tlb *t = tt_new(32, 4, TLB_SZ_4K | TLB_SZ_2M);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_entry e = tt_entry(0x40200000, 0x80000000, TT_2M, tag, false);
    struct tlb_entry out;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tlb_insert(t, &e));
    CU_ASSERT_TRUE(tlb_lookup(t, &tag, 0x40200000, &out));
    CU_ASSERT_EQUAL(out.page_shift, TT_2M);
    CU_ASSERT_EQUAL(out.pa, 0x80000000);
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x40212345));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x403ff000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x403fffff));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x40400000));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x401fffff));
    tlb_free(t);
}

static void test_tlb_1g_entry_covers_its_page(void)
{
    struct tlb *t = tt_new(4, 4, TLB_SZ_1G);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_entry e = tt_entry(0x80000000, 0x40000000, TT_1G, tag, false);

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tlb_insert(t, &e));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x80000000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0xbfffffff));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0xc0000000));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x7fffffff));
    tlb_free(t);
}

/* A TLB refuses page sizes it does not hold, and holds nothing then. */
static void test_tlb_refuses_sizes_it_does_not_hold(void)
{
    struct tlb *t4k = tt_new(64, 4, TLB_SZ_4K);
    struct tlb *t2m = tt_new(32, 4, TLB_SZ_2M);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_entry big = tt_entry(0x200000, 0x400000, TT_2M, tag, false);
    struct tlb_entry small = tt_entry(0x200000, 0x400000, TT_4K, tag, false);
    struct tlb_entry odd = tt_entry(0x200000, 0x400000, 16, tag, false);

    CU_ASSERT_FATAL(t4k != NULL && t2m != NULL);
    CU_ASSERT_EQUAL(tlb_sizes(t4k), TLB_SZ_4K);
    CU_ASSERT_FALSE(tlb_insert(t4k, &big));
    CU_ASSERT_FALSE(tlb_insert(t4k, &odd));
    CU_ASSERT_FALSE(tt_hit(t4k, tag, 0x200000));
    CU_ASSERT_EQUAL(tlb_get_stats(t4k)->inserts, 0);
    CU_ASSERT_FALSE(tlb_insert(t2m, &small));
    CU_ASSERT_FALSE(tt_hit(t2m, tag, 0x200000));
    CU_ASSERT_TRUE(tlb_insert(t2m, &big));
    CU_ASSERT_TRUE(tt_hit(t2m, tag, 0x2abcde));
    tlb_free(t4k);
    tlb_free(t2m);
}

/* A TLB holding 4K and 2M entries finds either; where both cover the
 * address the 4K entry (probed first) answers. */
static void test_tlb_mixed_sizes_probe_each(void)
{
    struct tlb *t = tt_new(16, 4, TLB_SZ_4K | TLB_SZ_2M);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_entry big = tt_entry(0x600000, 0x1000000, TT_2M, tag, false);
    struct tlb_entry small = tt_entry(0x601000, 0x5000, TT_4K, tag, false);
    struct tlb_entry out;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tlb_insert(t, &big));
    CU_ASSERT_TRUE(tlb_insert(t, &small));
    CU_ASSERT_TRUE(tlb_lookup(t, &tag, 0x601800, &out));
    CU_ASSERT_EQUAL(out.page_shift, TT_4K);
    CU_ASSERT_EQUAL(out.pa, 0x5000);
    CU_ASSERT_TRUE(tlb_lookup(t, &tag, 0x602800, &out));
    CU_ASSERT_EQUAL(out.page_shift, TT_2M);
    CU_ASSERT_EQUAL(out.pa, 0x1000000);
    tlb_free(t);
}

/* 4 entries, 2 ways: 2 sets; 4K pages 0, 2, 4 (x 4 KiB) share set 0. */
static void test_tlb_lru_evicts_least_recent(void)
{
    struct tlb *t = tt_new(4, 2, TLB_SZ_4K);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tt_put(t, 0x0000, 0x10000, tag, false));
    CU_ASSERT_TRUE(tt_put(t, 0x2000, 0x12000, tag, false));
    CU_ASSERT_TRUE(tt_put(t, 0x1000, 0x11000, tag, false));   /* set 1 */
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x0000));
    CU_ASSERT_TRUE(tt_put(t, 0x4000, 0x14000, tag, false));
    CU_ASSERT_EQUAL(tlb_get_stats(t)->evictions, 1);
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x0000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x4000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x1000));
    /* 0x0 was used before 0x4000 last: 0x0 goes next. */
    CU_ASSERT_TRUE(tt_put(t, 0x6000, 0x16000, tag, false));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x0000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x4000));
    tlb_free(t);
}

/* Inserting a page already present with the same tag replaces it in
 * place: no eviction, no second copy. */
static void test_tlb_reinsert_replaces_in_place(void)
{
    struct tlb *t = tt_new(4, 2, TLB_SZ_4K);
    struct tlb_tag tag = tt_tag(3, 0, 0, 0);
    struct tlb_entry out;
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tt_put(t, 0x0000, 0xa000, tag, false));
    CU_ASSERT_TRUE(tt_put(t, 0x0000, 0xb000, tag, false));
    CU_ASSERT_TRUE(tlb_lookup(t, &tag, 0x0000, &out));
    CU_ASSERT_EQUAL(out.pa, 0xb000);
    CU_ASSERT_TRUE(tt_put(t, 0x2000, 0xc000, tag, false));
    CU_ASSERT_EQUAL(tlb_get_stats(t)->evictions, 0);
    CU_ASSERT_EQUAL(tlb_get_stats(t)->inserts, 3);
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x0000));
    CU_ASSERT_TRUE(tt_hit(t, tag, 0x2000));
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ALL;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    tlb_free(t);
}

/* Pages 0x1000 (pcid 1, global), 0x2000 (pcid 1), 0x3000 (pcid 2). */
static struct tlb *tt_three(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);

    if (t != NULL) {
        tt_put(t, 0x1000, 0x11000, tt_tag(1, 0, 0, 0), true);
        tt_put(t, 0x2000, 0x12000, tt_tag(1, 0, 0, 0), false);
        tt_put(t, 0x3000, 0x13000, tt_tag(2, 0, 0, 0), false);
    }
    return t;
}

static void test_tlb_flush_all(void)
{
    struct tlb *t = tt_three();
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ALL;
    f.match = TLB_MATCH_PCID;       /* ignored by ALL */
    f.tag = tt_tag(9, 0, 0, 0);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 3);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x2000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(2, 0, 0, 0), 0x3000));
    CU_ASSERT_EQUAL(tlb_get_stats(t)->flushed, 3);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 0);
    tlb_free(t);
}

static void test_tlb_flush_all_keep_global(void)
{
    struct tlb *t = tt_three();
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ALL;
    f.keep_global = true;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x2000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(2, 0, 0, 0), 0x3000));
    CU_ASSERT_EQUAL(tlb_get_stats(t)->flushed, 2);
    tlb_free(t);
}

static void test_tlb_flush_tag_by_pcid(void)
{
    struct tlb *t = tt_three();
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_PCID;
    f.tag = tt_tag(1, 0, 0, 0);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(2, 0, 0, 0), 0x3000));
    tlb_free(t);
}

/* INVPCID single-context / INVVPID type 3: the context's non-global
 * entries go, its global entries stay. */
static void test_tlb_flush_tag_keep_global(void)
{
    struct tlb *t = tt_three();
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_PCID;
    f.tag = tt_tag(1, 0, 0, 0);
    f.keep_global = true;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 1);
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 0, 0, 0), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(2, 0, 0, 0), 0x3000));
    tlb_free(t);
}

/* INVVPID single-context: every PCID of VPID 1 goes, VPID 2 stays. */
static void test_tlb_flush_tag_by_vpid(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, tt_tag(1, 1, 0, 0), false);
    tt_put(t, 0x2000, 0x12000, tt_tag(2, 1, 0, 0), true);
    tt_put(t, 0x3000, 0x13000, tt_tag(1, 2, 0, 0), false);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_VPID;
    f.tag = tt_tag(7, 1, 0, 0);     /* pcid not selected: ignored */
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 1, 0, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(2, 1, 0, 0), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(1, 2, 0, 0), 0x3000));
    tlb_free(t);
}

/* VPID and PCID together select one guest address space. */
static void test_tlb_flush_tag_by_vpid_and_pcid(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, tt_tag(1, 1, 0, 0), false);
    tt_put(t, 0x2000, 0x12000, tt_tag(2, 1, 0, 0), false);
    tt_put(t, 0x3000, 0x13000, tt_tag(1, 2, 0, 0), false);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_VPID | TLB_MATCH_PCID;
    f.tag = tt_tag(1, 1, 0, 0);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 1);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(1, 1, 0, 0), 0x1000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(2, 1, 0, 0), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(1, 2, 0, 0), 0x3000));
    tlb_free(t);
}

/* SVM TLB_CONTROL "flush this guest's ASID". */
static void test_tlb_flush_tag_by_asid(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, tt_tag(0, 0, 5, 0), false);
    tt_put(t, 0x2000, 0x12000, tt_tag(0, 0, 5, 0), true);
    tt_put(t, 0x1000, 0x21000, tt_tag(0, 0, 6, 0), false);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_ASID;
    f.tag = tt_tag(0, 0, 5, 0);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(0, 0, 5, 0), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(0, 0, 5, 0), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(0, 0, 6, 0), 0x1000));
    tlb_free(t);
}

/* INVEPT single-context: entries derived from one EPTP go. */
static void test_tlb_flush_tag_by_eptp(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, tt_tag(0, 1, 0, 0xa000), false);
    tt_put(t, 0x2000, 0x12000, tt_tag(0, 2, 0, 0xa000), false);
    tt_put(t, 0x3000, 0x13000, tt_tag(0, 1, 0, 0xb000), false);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_TAG;
    f.match = TLB_MATCH_EPTP;
    f.tag = tt_tag(0, 0, 0, 0xa000);
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 2);
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(0, 1, 0, 0xa000), 0x1000));
    CU_ASSERT_FALSE(tt_hit(t, tt_tag(0, 2, 0, 0xa000), 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, tt_tag(0, 1, 0, 0xb000), 0x3000));
    tlb_free(t);
}

/* INVLPG-like: only the page containing va, only in the selected
 * context, of whatever size; global entries too unless kept. */
static void test_tlb_flush_addr_only_that_page(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K | TLB_SZ_2M);
    struct tlb_tag a = tt_tag(1, 0, 0, 0);
    struct tlb_tag b = tt_tag(2, 0, 0, 0);
    struct tlb_entry big = tt_entry(0x200000, 0x800000, TT_2M, a, false);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, a, true);
    tt_put(t, 0x2000, 0x12000, a, false);
    tt_put(t, 0x1000, 0x21000, b, false);
    CU_ASSERT_TRUE(tlb_insert(t, &big));
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ADDR;
    f.match = TLB_MATCH_PCID;
    f.tag = a;
    f.va = 0x1abc;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 1);
    CU_ASSERT_FALSE(tt_hit(t, a, 0x1000));
    CU_ASSERT_TRUE(tt_hit(t, a, 0x2000));
    CU_ASSERT_TRUE(tt_hit(t, b, 0x1000));
    CU_ASSERT_TRUE(tt_hit(t, a, 0x200000));
    /* An address inside the 2M page removes the 2M entry. */
    f.va = 0x3ff123;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 1);
    CU_ASSERT_FALSE(tt_hit(t, a, 0x200000));
    CU_ASSERT_TRUE(tt_hit(t, a, 0x2000));
    CU_ASSERT_EQUAL(tlb_get_stats(t)->flushed, 2);
    tlb_free(t);
}

static void test_tlb_flush_addr_keep_global(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct tlb_tag a = tt_tag(1, 0, 0, 0);
    struct tlb_flush f;

    CU_ASSERT_FATAL(t != NULL);
    tt_put(t, 0x1000, 0x11000, a, true);
    tt_put(t, 0x5000, 0x15000, a, false);
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ADDR;
    f.match = TLB_MATCH_PCID;
    f.tag = a;
    f.va = 0x1000;
    f.keep_global = true;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 0);
    CU_ASSERT_TRUE(tt_hit(t, a, 0x1000));
    f.va = 0x5000;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 1);
    CU_ASSERT_FALSE(tt_hit(t, a, 0x5000));
    tlb_free(t);
}

/* entries = 0: nothing is held and nothing is counted. */
static void test_tlb_disabled(void)
{
    struct tlb *t = tt_new(0, 4, TLB_SZ_4K);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_flush f;
    const struct tlb_stats *st;

    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_FALSE(tlb_enabled(t));
    CU_ASSERT_FALSE(tt_put(t, 0x1000, 0x2000, tag, false));
    CU_ASSERT_FALSE(tt_hit(t, tag, 0x1000));
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ALL;
    CU_ASSERT_EQUAL(tlb_flush(t, &f), 0);
    st = tlb_get_stats(t);
    CU_ASSERT_EQUAL(st->lookups, 0);
    CU_ASSERT_EQUAL(st->misses, 0);
    CU_ASSERT_EQUAL(st->inserts, 0);
    tlb_free(t);
}

static void test_tlb_getters(void)
{
    struct tlb_cfg c = tt_cfg(16, 16);
    struct tlb *t;

    c.hit_latency = 7;
    t = tlb_new("l2tlb", &c, TLB_SZ_4K | TLB_SZ_1G);
    CU_ASSERT_FATAL(t != NULL);
    CU_ASSERT_TRUE(tlb_enabled(t));
    CU_ASSERT_EQUAL(tlb_hit_latency(t), 7);
    CU_ASSERT_EQUAL(tlb_sizes(t), TLB_SZ_4K | TLB_SZ_1G);
    tlb_free(t);
}

/* Fully associative (ways = entries): any 16 pages fit, the 17th evicts. */
static void test_tlb_fully_associative(void)
{
    struct tlb *t = tt_new(16, 16, TLB_SZ_4K);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    unsigned i;

    CU_ASSERT_FATAL(t != NULL);
    for (i = 0; i < 16; i++) {
        tt_put(t, (uint64_t)i << 20, 0, tag, false);
    }
    CU_ASSERT_EQUAL(tlb_get_stats(t)->evictions, 0);
    for (i = 0; i < 16; i++) {
        CU_ASSERT_TRUE(tt_hit(t, tag, (uint64_t)i << 20));
    }
    tt_put(t, 16ull << 20, 0, tag, false);
    CU_ASSERT_EQUAL(tlb_get_stats(t)->evictions, 1);
    CU_ASSERT_FALSE(tt_hit(t, tag, 0));
    tlb_free(t);
}

static int tt_validate(uint64_t entries, uint64_t ways, char *msg,
                       size_t len)
{
    struct tlb_cfg c = tt_cfg(entries, ways);
    struct sim_cfg *cfg = sim_cfg_new();
    int rc;

    if (cfg == NULL) {
        return 1;
    }
    sim_cfg_declare(cfg, "tlb/t", "test", tlb_cfg_keys, NULL,
                    tlb_cfg_validate);
    rc = tlb_cfg_validate(cfg, "tlb/t", &c);
    msg[0] = '\0';
    if (rc != 0 && sim_cfg_errmsg(cfg) != NULL) {
        strncpy(msg, sim_cfg_errmsg(cfg), len - 1);
        msg[len - 1] = '\0';
    }
    sim_cfg_free(cfg);
    return rc;
}

static void test_tlb_validate_geometry(void)
{
    char msg[512];

    CU_ASSERT_EQUAL(tt_validate(0, 4, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(tt_validate(0, 3, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(tt_validate(64, 4, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(tt_validate(1536, 12, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(tt_validate(64, 64, msg, sizeof(msg)), 0);
    /* 48 / 4 = 12 sets */
    CU_ASSERT_EQUAL(tt_validate(48, 4, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "entries"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "12"));
    /* 10 entries do not split into 4-way sets */
    CU_ASSERT_EQUAL(tt_validate(10, 4, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "ways"));
    CU_ASSERT_EQUAL(tt_validate(4, 8, msg, sizeof(msg)), -SIM_ECFG);
}

static void test_tlb_cfg_defaults_load(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct tlb_cfg c;

    CU_ASSERT_FATAL(cfg != NULL);
    memset(&c, 0xff, sizeof(c));
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "tlb/l1d", "L1 DTLB", tlb_cfg_keys,
                                    NULL, tlb_cfg_validate), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "tlb/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.entries, 64);
    CU_ASSERT_EQUAL(c.ways, 4);
    CU_ASSERT_EQUAL(c.hit_latency, 1);
    sim_cfg_free(cfg);
}

static void test_tlb_register_stats_hit_rate(void)
{
    struct tlb *t = tt_new(64, 4, TLB_SZ_4K);
    struct sim_stats *s = sim_stats_new();
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    double v = -1;

    CU_ASSERT_FATAL(t != NULL && s != NULL);
    CU_ASSERT_EQUAL(tlb_register_stats(t, s, "cpu0.dtlb"), 0);
    tt_hit(t, tag, 0x1000);
    tt_put(t, 0x1000, 0x2000, tag, false);
    tt_hit(t, tag, 0x1000);
    tt_hit(t, tag, 0x1000);
    tt_hit(t, tag, 0x9000);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.dtlb.lookups", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 4.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.dtlb.inserts", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.dtlb.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.5, 1e-9);
    sim_stats_free(s);
    tlb_free(t);
}

/* ---- pwc ---- */

static struct pwc *tt_pwc(uint64_t entries, uint64_t ways)
{
    struct tlb_cfg c = tt_cfg(entries, ways);

    c.hit_latency = 2;
    return pwc_new("pwc", &c);
}

static void test_pwc_miss_insert_hit_returns_value(void)
{
    struct pwc *p = tt_pwc(32, 4);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    uint64_t v = 0;

    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_TRUE(pwc_enabled(p));
    CU_ASSERT_EQUAL(pwc_hit_latency(p), 2);
    CU_ASSERT_FALSE(pwc_lookup(p, &tag, 0x7f, &v));
    pwc_insert(p, &tag, 0x7f, 0xabc000);
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 0x7f, &v));
    CU_ASSERT_EQUAL(v, 0xabc000);
    CU_ASSERT_FALSE(pwc_lookup(p, &tag, 0x80, &v));
    CU_ASSERT_EQUAL(pwc_get_stats(p)->lookups, 3);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->hits, 1);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->misses, 2);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->inserts, 1);
    pwc_free(p);
}

static void test_pwc_tag_isolates(void)
{
    struct pwc *p = tt_pwc(32, 4);
    struct tlb_tag a = tt_tag(0, 1, 0, 0xa000);
    struct tlb_tag b = tt_tag(0, 1, 0, 0xb000);
    uint64_t v = 0;

    CU_ASSERT_FATAL(p != NULL);
    pwc_insert(p, &a, 0x42, 1);
    CU_ASSERT_FALSE(pwc_lookup(p, &b, 0x42, &v));
    pwc_insert(p, &b, 0x42, 2);
    CU_ASSERT_TRUE(pwc_lookup(p, &a, 0x42, &v));
    CU_ASSERT_EQUAL(v, 1);
    CU_ASSERT_TRUE(pwc_lookup(p, &b, 0x42, &v));
    CU_ASSERT_EQUAL(v, 2);
    pwc_free(p);
}

static void test_pwc_insert_same_key_updates(void)
{
    struct pwc *p = tt_pwc(2, 2);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    uint64_t v = 0;

    CU_ASSERT_FATAL(p != NULL);
    pwc_insert(p, &tag, 5, 50);
    pwc_insert(p, &tag, 5, 55);
    pwc_insert(p, &tag, 6, 60);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->evictions, 0);
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 5, &v));
    CU_ASSERT_EQUAL(v, 55);
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 6, &v));
    CU_ASSERT_EQUAL(v, 60);
    pwc_free(p);
}

/* Fully associative, 2 entries: the least recently used key goes. */
static void test_pwc_lru_eviction(void)
{
    struct pwc *p = tt_pwc(2, 2);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);

    CU_ASSERT_FATAL(p != NULL);
    pwc_insert(p, &tag, 1, 10);
    pwc_insert(p, &tag, 2, 20);
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 1, NULL));
    pwc_insert(p, &tag, 3, 30);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->evictions, 1);
    CU_ASSERT_FALSE(pwc_lookup(p, &tag, 2, NULL));
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 1, NULL));
    CU_ASSERT_TRUE(pwc_lookup(p, &tag, 3, NULL));
    pwc_free(p);
}

/* Keys 4 KiB apart (page-table entry addresses of consecutive tables)
 * spread over the sets of a direct-mapped pwc instead of all landing in
 * one set, as an index taken from the low key bits would do. */
static void test_pwc_strided_keys_spread(void)
{
    struct pwc *p = tt_pwc(64, 1);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    unsigned i;
    unsigned held = 0;

    CU_ASSERT_FATAL(p != NULL);
    for (i = 0; i < 16; i++) {
        pwc_insert(p, &tag, (uint64_t)i << 12, i);
    }
    for (i = 0; i < 16; i++) {
        if (pwc_lookup(p, &tag, (uint64_t)i << 12, NULL)) {
            held++;
        }
    }
    CU_ASSERT(held >= 8);
    pwc_free(p);
}

static void test_pwc_flush_scopes(void)
{
    struct pwc *p = tt_pwc(32, 4);
    struct tlb_tag a = tt_tag(1, 0, 0, 0);
    struct tlb_tag b = tt_tag(2, 0, 0, 0);
    struct tlb_flush f;

    CU_ASSERT_FATAL(p != NULL);
    pwc_insert(p, &a, 1, 1);
    pwc_insert(p, &a, 2, 2);
    pwc_insert(p, &b, 1, 3);
    /* ADDR acts as TAG: the whole context goes whatever va says; and
     * keep_global is ignored. */
    memset(&f, 0, sizeof(f));
    f.scope = TLB_FLUSH_ADDR;
    f.match = TLB_MATCH_PCID;
    f.tag = a;
    f.va = 0x1000;
    f.keep_global = true;
    CU_ASSERT_EQUAL(pwc_flush(p, &f), 2);
    CU_ASSERT_FALSE(pwc_lookup(p, &a, 1, NULL));
    CU_ASSERT_FALSE(pwc_lookup(p, &a, 2, NULL));
    CU_ASSERT_TRUE(pwc_lookup(p, &b, 1, NULL));
    /* TAG */
    pwc_insert(p, &a, 1, 1);
    f.scope = TLB_FLUSH_TAG;
    f.tag = b;
    CU_ASSERT_EQUAL(pwc_flush(p, &f), 1);
    CU_ASSERT_FALSE(pwc_lookup(p, &b, 1, NULL));
    CU_ASSERT_TRUE(pwc_lookup(p, &a, 1, NULL));
    /* ALL */
    pwc_insert(p, &b, 7, 7);
    f.scope = TLB_FLUSH_ALL;
    CU_ASSERT_EQUAL(pwc_flush(p, &f), 2);
    CU_ASSERT_FALSE(pwc_lookup(p, &a, 1, NULL));
    CU_ASSERT_FALSE(pwc_lookup(p, &b, 7, NULL));
    CU_ASSERT_EQUAL(pwc_get_stats(p)->flushed, 5);
    pwc_free(p);
}

static void test_pwc_disabled(void)
{
    struct pwc *p = tt_pwc(0, 4);
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    struct tlb_flush f;
    uint64_t v = 99;

    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FALSE(pwc_enabled(p));
    pwc_insert(p, &tag, 1, 1);
    CU_ASSERT_FALSE(pwc_lookup(p, &tag, 1, &v));
    CU_ASSERT_EQUAL(v, 99);
    memset(&f, 0, sizeof(f));
    CU_ASSERT_EQUAL(pwc_flush(p, &f), 0);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->lookups, 0);
    CU_ASSERT_EQUAL(pwc_get_stats(p)->inserts, 0);
    pwc_free(p);
}

static void test_pwc_register_stats(void)
{
    struct pwc *p = tt_pwc(32, 4);
    struct sim_stats *s = sim_stats_new();
    struct tlb_tag tag = tt_tag(0, 0, 0, 0);
    double v = -1;

    CU_ASSERT_FATAL(p != NULL && s != NULL);
    CU_ASSERT_EQUAL(pwc_register_stats(p, s, "cpu0.pde"), 0);
    pwc_lookup(p, &tag, 3, NULL);
    pwc_insert(p, &tag, 3, 4);
    pwc_lookup(p, &tag, 3, NULL);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.pde.misses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.pde.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.5, 1e-9);
    sim_stats_free(s);
    pwc_free(p);
}

int test_tlb_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tlb_tests[] = {
        { "miss_then_hit_returns_entry",
          test_tlb_miss_then_hit_returns_entry },
        { "pcid_isolates", test_tlb_pcid_isolates },
        { "vpid_isolates", test_tlb_vpid_isolates },
        { "asid_isolates", test_tlb_asid_isolates },
        { "eptp_isolates", test_tlb_eptp_isolates },
        { "2m_entry_covers_its_page", test_tlb_2m_entry_covers_its_page },
        { "1g_entry_covers_its_page", test_tlb_1g_entry_covers_its_page },
        { "refuses_sizes_it_does_not_hold",
          test_tlb_refuses_sizes_it_does_not_hold },
        { "mixed_sizes_probe_each", test_tlb_mixed_sizes_probe_each },
        { "lru_evicts_least_recent", test_tlb_lru_evicts_least_recent },
        { "reinsert_replaces_in_place",
          test_tlb_reinsert_replaces_in_place },
        { "flush_all", test_tlb_flush_all },
        { "flush_all_keep_global", test_tlb_flush_all_keep_global },
        { "flush_tag_by_pcid", test_tlb_flush_tag_by_pcid },
        { "flush_tag_keep_global", test_tlb_flush_tag_keep_global },
        { "flush_tag_by_vpid", test_tlb_flush_tag_by_vpid },
        { "flush_tag_by_vpid_and_pcid",
          test_tlb_flush_tag_by_vpid_and_pcid },
        { "flush_tag_by_asid", test_tlb_flush_tag_by_asid },
        { "flush_tag_by_eptp", test_tlb_flush_tag_by_eptp },
        { "flush_addr_only_that_page", test_tlb_flush_addr_only_that_page },
        { "flush_addr_keep_global", test_tlb_flush_addr_keep_global },
        { "disabled", test_tlb_disabled },
        { "getters", test_tlb_getters },
        { "fully_associative", test_tlb_fully_associative },
        { "validate_geometry", test_tlb_validate_geometry },
        { "cfg_defaults_load", test_tlb_cfg_defaults_load },
        { "register_stats_hit_rate", test_tlb_register_stats_hit_rate },
    };
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } pwc_tests[] = {
        { "miss_insert_hit_returns_value",
          test_pwc_miss_insert_hit_returns_value },
        { "tag_isolates", test_pwc_tag_isolates },
        { "insert_same_key_updates", test_pwc_insert_same_key_updates },
        { "lru_eviction", test_pwc_lru_eviction },
        { "strided_keys_spread", test_pwc_strided_keys_spread },
        { "flush_scopes", test_pwc_flush_scopes },
        { "disabled", test_pwc_disabled },
        { "register_stats", test_pwc_register_stats },
    };
    CU_pSuite s;
    size_t i;

    s = CU_add_suite("tlb", NULL, NULL);
    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(tlb_tests); i++) {
        if (CU_add_test(s, tlb_tests[i].name, tlb_tests[i].fn) == NULL) {
            return -1;
        }
    }
    s = CU_add_suite("pwc", NULL, NULL);
    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(pwc_tests); i++) {
        if (CU_add_test(s, pwc_tests[i].name, pwc_tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
