/*
 * test_cache.c - suites "cache" and "dram": replacement and write policies
 * of one cache level, the timing and fills of the hierarchy, the open-row
 * DRAM model, and the config tables and validators of both.
 *
 * Most scenarios use a 1 KiB cache of 4 sets x 4 ways x 64 B lines: the
 * lines of set 0 are the multiples of 256 (line number a multiple of 4).
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "cache-tlb/cache.h"
#include "sim/sim_cfg.h"
#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "test_suites.h"

/* Address of the n-th line mapping to set 0 of the 4x4x64 cache. */
#define SET0(n) ((uint64_t)(n) * 256u)

static struct cache_cfg tc_cfg(uint64_t size, uint64_t ways, uint64_t line,
                               unsigned repl, unsigned write)
{
    struct cache_cfg c;

    memset(&c, 0, sizeof(c));
    c.size = size;
    c.ways = ways;
    c.line = line;
    c.hit_latency = 4;
    c.repl = repl;
    c.write = write;
    c.enabled = true;
    return c;
}

static struct cache *tc_small(unsigned repl, unsigned write, uint64_t seed)
{
    struct cache_cfg c = tc_cfg(1024, 4, 64, repl, write);

    return cache_new("test", &c, seed);
}

static struct dram_cfg tc_dram_cfg(void)
{
    struct dram_cfg d;

    memset(&d, 0, sizeof(d));
    d.row_hit_latency = 100;
    d.row_miss_latency = 200;
    d.banks = 4;
    d.row_bytes = 1024;
    return d;
}

/* ---- one level ---- */

static void test_cache_first_access_misses_then_hits(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);
    const struct cache_stats *st;

    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_FALSE(cache_probe(c, 0x1000));
    CU_ASSERT_FALSE(cache_access(c, 0x1000, false, NULL));
    CU_ASSERT_TRUE(cache_probe(c, 0x1000));
    CU_ASSERT_TRUE(cache_access(c, 0x1000, false, NULL));
    st = cache_get_stats(c);
    CU_ASSERT_EQUAL(st->accesses, 2);
    CU_ASSERT_EQUAL(st->hits, 1);
    CU_ASSERT_EQUAL(st->misses, 1);
    CU_ASSERT_EQUAL(st->reads, 2);
    CU_ASSERT_EQUAL(st->writes, 0);
    CU_ASSERT_EQUAL(st->evictions, 0);
    cache_free(c);
}

static void test_cache_same_line_hits_next_line_misses(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);

    CU_ASSERT_FALSE(cache_access(c, 0x1000, false, NULL));
    CU_ASSERT_TRUE(cache_access(c, 0x103f, false, NULL));
    CU_ASSERT_FALSE(cache_access(c, 0x1040, false, NULL));
    CU_ASSERT_TRUE(cache_access(c, 0x107f, false, NULL));
    cache_free(c);
}

/* A set takes `ways` lines without evicting; the next miss evicts the
 * least recently used one, here 256 after 0 was touched again. */
static void test_cache_lru_evicts_least_recently_used(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);
    unsigned i;

    CU_ASSERT_FALSE(cache_access(c, 0x40, false, NULL));    /* set 1 */
    for (i = 0; i < 4; i++) {
        CU_ASSERT_FALSE(cache_access(c, SET0(i), false, NULL));
    }
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 0);
    for (i = 0; i < 4; i++) {
        CU_ASSERT_TRUE(cache_probe(c, SET0(i)));
    }
    CU_ASSERT_TRUE(cache_access(c, SET0(0), false, NULL));
    CU_ASSERT_FALSE(cache_access(c, SET0(4), false, NULL));
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 1);
    CU_ASSERT_TRUE(cache_probe(c, SET0(0)));
    CU_ASSERT_FALSE(cache_probe(c, SET0(1)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(3)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(4)));
    CU_ASSERT_TRUE(cache_probe(c, 0x40));
    /* Next victim: 512, now the oldest. */
    CU_ASSERT_FALSE(cache_access(c, SET0(5), false, NULL));
    CU_ASSERT_FALSE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(0)));
    cache_free(c);
}

/* A, B, C, D fill the set; A is reused; then a scan E, F, G, H of lines
 * used once.  The ways are in fill order A=0, B=1, C=2, D=3. */
static void tc_scan_sequence(struct cache *c)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    cache_access(c, SET0(0), false, NULL);
    for (i = 4; i < 8; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
}

/* SRRIP: fills get RRPV 2, A's hit sets 0.  E ages the set by 1 (A=1,
 * B=C=D=3) and replaces B, the first way at 3; F replaces C, G replaces
 * D; H finds A=1 and E=F=G=2, ages by 1 and replaces E (way 1).  The
 * reused line survives the scan. */
static void test_cache_srrip_keeps_reused_line_under_scan(void)
{
    struct cache *c = tc_small(CACHE_REPL_SRRIP, CACHE_WRITE_BACK, 1);
    unsigned i;

    CU_ASSERT_FATAL(c != NULL);
    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    CU_ASSERT_TRUE(cache_access(c, SET0(0), false, NULL));
    /* E: B, C, D all reach RRPV 3; the first of them (B) goes. */
    cache_access(c, SET0(4), false, NULL);
    CU_ASSERT_FALSE(cache_probe(c, SET0(1)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(3)));
    /* F: C and D are at 3, C (way 2) goes. */
    cache_access(c, SET0(5), false, NULL);
    CU_ASSERT_FALSE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(3)));
    cache_access(c, SET0(6), false, NULL);
    cache_access(c, SET0(7), false, NULL);
    CU_ASSERT_TRUE(cache_probe(c, SET0(0)));    /* A */
    CU_ASSERT_FALSE(cache_probe(c, SET0(1)));   /* B */
    CU_ASSERT_FALSE(cache_probe(c, SET0(2)));   /* C */
    CU_ASSERT_FALSE(cache_probe(c, SET0(3)));   /* D */
    CU_ASSERT_FALSE(cache_probe(c, SET0(4)));   /* E */
    CU_ASSERT_TRUE(cache_probe(c, SET0(5)));    /* F */
    CU_ASSERT_TRUE(cache_probe(c, SET0(6)));    /* G */
    CU_ASSERT_TRUE(cache_probe(c, SET0(7)));    /* H */
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 4);
    cache_free(c);
}

/* The same sequence under LRU loses A to H (contrast with SRRIP). */
static void test_cache_lru_loses_reused_line_under_scan(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);

    tc_scan_sequence(c);
    CU_ASSERT_FALSE(cache_probe(c, SET0(0)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(4)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(5)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(6)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(7)));
    cache_free(c);
}

/* SRRIP: hits on B, C, D promote them to RRPV 0, so A (still at the
 * insertion RRPV 2) is the first victim; E, inserted at 2, then goes
 * before B, C, D (aged to 1), where LRU would have replaced B. */
static void test_cache_srrip_hit_promotes(void)
{
    struct cache *c = tc_small(CACHE_REPL_SRRIP, CACHE_WRITE_BACK, 1);
    unsigned i;

    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    for (i = 1; i < 4; i++) {
        CU_ASSERT_TRUE(cache_access(c, SET0(i), false, NULL));
    }
    cache_access(c, SET0(4), false, NULL);      /* E replaces A */
    CU_ASSERT_FALSE(cache_probe(c, SET0(0)));
    cache_access(c, SET0(5), false, NULL);      /* F replaces E */
    CU_ASSERT_FALSE(cache_probe(c, SET0(4)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(1)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(3)));
    cache_free(c);
}

static uint64_t tc_xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random: xorshift64 (13, 7, 17) from seed 1 first yields 0x40822041,
 * which is 1 mod 4, so the first victim of a full set is way 1 (256). */
static void test_cache_random_first_victim_from_seed(void)
{
    struct cache *c = tc_small(CACHE_REPL_RANDOM, CACHE_WRITE_BACK, 1);
    unsigned i;

    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    cache_access(c, SET0(4), false, NULL);
    CU_ASSERT_TRUE(cache_probe(c, SET0(0)));
    CU_ASSERT_FALSE(cache_probe(c, SET0(1)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(2)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(3)));
    CU_ASSERT_TRUE(cache_probe(c, SET0(4)));
    cache_free(c);
}

/* Random: sixteen evictions in one set follow the generator exactly. */
static void test_cache_random_victims_follow_generator(void)
{
    struct cache *c = tc_small(CACHE_REPL_RANDOM, CACHE_WRITE_BACK, 12345);
    uint64_t resident[4];
    uint64_t x = 12345;
    unsigned i;
    unsigned w;

    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
        resident[i] = SET0(i);
    }
    for (i = 4; i < 20; i++) {
        w = (unsigned)(tc_xorshift(&x) % 4);
        CU_ASSERT_FALSE(cache_access(c, SET0(i), false, NULL));
        CU_ASSERT_FALSE(cache_probe(c, resident[w]));
        resident[w] = SET0(i);
    }
    for (w = 0; w < 4; w++) {
        CU_ASSERT_TRUE(cache_probe(c, resident[w]));
    }
    cache_free(c);
}

/* Seed 0 must not freeze xorshift at 0 (which would always pick way 0). */
static void test_cache_random_seed_zero_still_varies(void)
{
    struct cache *c = tc_small(CACHE_REPL_RANDOM, CACHE_WRITE_BACK, 0);
    unsigned i;
    bool lost_other = false;

    for (i = 0; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    for (i = 4; i < 12; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    for (i = 1; i < 4; i++) {
        if (!cache_probe(c, SET0(i))) {
            lost_other = true;
        }
    }
    CU_ASSERT_TRUE(lost_other);
    cache_free(c);
}

/* Write-back + write-allocate: a write miss allocates a dirty line; its
 * eviction is a write-back reported by line address. */
static void test_cache_write_back_counts_dirty_eviction(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);
    uint64_t wb = 0;
    unsigned i;

    CU_ASSERT_FALSE(cache_access(c, 0x2010, true, &wb));    /* set 0 */
    CU_ASSERT_EQUAL(wb, UINT64_MAX);
    CU_ASSERT_TRUE(cache_probe(c, 0x2000));
    for (i = 1; i < 4; i++) {
        cache_access(c, SET0(i), false, &wb);
        CU_ASSERT_EQUAL(wb, UINT64_MAX);
    }
    CU_ASSERT_FALSE(cache_access(c, SET0(4), false, &wb));
    CU_ASSERT_EQUAL(wb, 0x2000);
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 1);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writebacks, 1);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writes, 1);
    /* Next eviction (clean 256) is no write-back. */
    CU_ASSERT_FALSE(cache_access(c, SET0(5), false, &wb));
    CU_ASSERT_EQUAL(wb, UINT64_MAX);
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 2);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writebacks, 1);
    cache_free(c);
}

/* A write hit dirties a clean line. */
static void test_cache_write_hit_dirties_line(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);
    uint64_t wb = 0;
    unsigned i;

    cache_access(c, SET0(0), false, NULL);
    CU_ASSERT_TRUE(cache_access(c, SET0(0), true, NULL));
    for (i = 1; i < 4; i++) {
        cache_access(c, SET0(i), false, NULL);
    }
    cache_access(c, SET0(4), false, &wb);
    CU_ASSERT_EQUAL(wb, SET0(0));
    cache_free(c);
}

/* Write-through + no-write-allocate: a write miss allocates nothing, a
 * write hit leaves the line clean, so evictions never write back. */
static void test_cache_write_through_no_allocate(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_THROUGH, 1);
    uint64_t wb = 0;
    unsigned i;

    CU_ASSERT_FALSE(cache_access(c, SET0(0), true, &wb));
    CU_ASSERT_EQUAL(wb, UINT64_MAX);
    CU_ASSERT_FALSE(cache_probe(c, SET0(0)));
    CU_ASSERT_EQUAL(cache_get_stats(c)->misses, 1);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writes, 1);
    CU_ASSERT_FALSE(cache_access(c, SET0(0), false, NULL));  /* allocates */
    CU_ASSERT_TRUE(cache_access(c, SET0(0), true, NULL));
    for (i = 1; i < 5; i++) {
        cache_access(c, SET0(i), false, &wb);
        CU_ASSERT_EQUAL(wb, UINT64_MAX);
    }
    CU_ASSERT_FALSE(cache_probe(c, SET0(0)));
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 1);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writebacks, 0);
    cache_free(c);
}

static void test_cache_invalidate_all_writes_back_dirty(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);

    cache_access(c, 0x000, true, NULL);
    cache_access(c, 0x040, true, NULL);
    cache_access(c, 0x080, false, NULL);
    cache_invalidate_all(c);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writebacks, 2);
    CU_ASSERT_FALSE(cache_probe(c, 0x000));
    CU_ASSERT_FALSE(cache_probe(c, 0x040));
    CU_ASSERT_FALSE(cache_probe(c, 0x080));
    CU_ASSERT_FALSE(cache_access(c, 0x000, false, NULL));
    cache_free(c);
}

static void test_cache_disabled_counts_nothing(void)
{
    struct cache_cfg cfg = tc_cfg(1024, 4, 64, CACHE_REPL_LRU,
                                  CACHE_WRITE_BACK);
    struct cache *c;
    uint64_t wb = 0;

    cfg.enabled = false;
    c = cache_new("off", &cfg, 1);
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_FALSE(cache_access(c, 0x1000, true, &wb));
    CU_ASSERT_EQUAL(wb, UINT64_MAX);
    CU_ASSERT_FALSE(cache_access(c, 0x1000, false, NULL));
    CU_ASSERT_FALSE(cache_probe(c, 0x1000));
    CU_ASSERT_EQUAL(cache_get_stats(c)->accesses, 0);
    CU_ASSERT_EQUAL(cache_get_stats(c)->misses, 0);
    CU_ASSERT_EQUAL(cache_get_stats(c)->writes, 0);
    cache_invalidate_all(c);
    CU_ASSERT_FALSE(cache_get_cfg(c)->enabled);
    cache_free(c);
}

static void test_cache_register_stats_miss_rate(void)
{
    struct cache *c = tc_small(CACHE_REPL_LRU, CACHE_WRITE_BACK, 1);
    struct sim_stats *s = sim_stats_new();
    double v = -1;

    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(cache_register_stats(c, s, "cpu0.l1d"), 0);
    cache_access(c, 0x1000, false, NULL);
    cache_access(c, 0x1000, true, NULL);
    cache_access(c, 0x2000, false, NULL);
    cache_access(c, 0x2000, false, NULL);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.accesses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 4.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.writes", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.writebacks", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.miss_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.5, 1e-9);
    sim_stats_free(s);
    cache_free(c);
}

/* ---- config ---- */

static const struct sim_cfg_key *tc_key(const struct sim_cfg_key *keys,
                                        const char *name)
{
    for (; keys->name != NULL; keys++) {
        if (strcmp(keys->name, name) == 0) {
            return keys;
        }
    }
    return NULL;
}

static void test_cache_cfg_keys_match_struct(void)
{
    const struct sim_cfg_key *k;
    size_t n = 0;

    for (k = cache_cfg_keys; k->name != NULL; k++) {
        n++;
    }
    CU_ASSERT_EQUAL(n, 7);
    k = tc_key(cache_cfg_keys, "size");
    CU_ASSERT_FATAL(k != NULL);
    CU_ASSERT_EQUAL(k->offset, offsetof(struct cache_cfg, size));
    CU_ASSERT_EQUAL(k->type, SIM_CFG_U64);
    k = tc_key(cache_cfg_keys, "hit_latency");
    CU_ASSERT_FATAL(k != NULL);
    CU_ASSERT_EQUAL(k->offset, offsetof(struct cache_cfg, hit_latency));
    k = tc_key(cache_cfg_keys, "repl");
    CU_ASSERT_FATAL(k != NULL);
    CU_ASSERT_EQUAL(k->type, SIM_CFG_ENUM);
    CU_ASSERT_STRING_EQUAL(k->choices, "lru|srrip|random");
    k = tc_key(cache_cfg_keys, "enabled");
    CU_ASSERT_FATAL(k != NULL);
    CU_ASSERT_EQUAL(k->type, SIM_CFG_BOOL);
    CU_ASSERT_EQUAL(k->offset, offsetof(struct cache_cfg, enabled));
}

/* The defaults of cache_cfg.def load and pass the validator. */
static void test_cache_cfg_defaults_load(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct cache_cfg c;

    CU_ASSERT_FATAL(cfg != NULL);
    memset(&c, 0xff, sizeof(c));
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "cache/l1d", "L1 data cache",
                                    cache_cfg_keys, NULL,
                                    cache_cfg_validate), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.size, 32768);
    CU_ASSERT_EQUAL(c.ways, 8);
    CU_ASSERT_EQUAL(c.line, 64);
    CU_ASSERT_EQUAL(c.hit_latency, 4);
    CU_ASSERT_EQUAL(c.repl, CACHE_REPL_LRU);
    CU_ASSERT_EQUAL(c.write, CACHE_WRITE_BACK);
    CU_ASSERT_TRUE(c.enabled);
    sim_cfg_free(cfg);
}

/* An instance default giving 96 sets fails at load, naming "size". */
static void test_cache_cfg_load_rejects_bad_geometry(void)
{
    static const char *const defs[] = { "size=48K", NULL };
    struct sim_cfg *cfg = sim_cfg_new();
    struct cache_cfg c;

    CU_ASSERT_FATAL(cfg != NULL);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "cache/l2", "L2", cache_cfg_keys,
                                    defs, cache_cfg_validate), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l2", &c), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "size"));
    sim_cfg_free(cfg);
}

/* Run the validator on `c` in a declared section "cache/t"; returns its
 * code and copies the message to msg. */
static int tc_validate(const struct cache_cfg *c, char *msg, size_t len)
{
    struct sim_cfg *cfg = sim_cfg_new();
    int rc;

    if (cfg == NULL) {
        return 1;
    }
    sim_cfg_declare(cfg, "cache/t", "test", cache_cfg_keys, NULL,
                    cache_cfg_validate);
    rc = cache_cfg_validate(cfg, "cache/t", c);
    msg[0] = '\0';
    if (rc != 0 && sim_cfg_errmsg(cfg) != NULL) {
        strncpy(msg, sim_cfg_errmsg(cfg), len - 1);
        msg[len - 1] = '\0';
    }
    sim_cfg_free(cfg);
    return rc;
}

static void test_cache_validate_rejects_non_pow2_sets(void)
{
    struct cache_cfg c = tc_cfg(48 * 1024, 8, 64, 0, 0);   /* 96 sets */
    char msg[512];

    CU_ASSERT_EQUAL(tc_validate(&c, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "size"));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "96"));
}

static void test_cache_validate_rejects_non_pow2_line(void)
{
    struct cache_cfg c = tc_cfg(3 * 1024, 1, 48, 0, 0);
    char msg[512];

    CU_ASSERT_EQUAL(tc_validate(&c, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "line"));
}

static void test_cache_validate_rejects_partial_set(void)
{
    /* 1088 / 256 truncates to 4 sets, but the last set would be partial. */
    struct cache_cfg c = tc_cfg(1088, 4, 64, 0, 0);
    char msg[512];

    CU_ASSERT_EQUAL(tc_validate(&c, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "size"));
}

static void test_cache_validate_accepts_pow2_sets(void)
{
    struct cache_cfg one_set = tc_cfg(512, 8, 64, 0, 0);
    struct cache_cfg odd_ways = tc_cfg(12 * 64 * 64, 12, 64, 2, 1);
    char msg[512];

    CU_ASSERT_EQUAL(tc_validate(&one_set, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(tc_validate(&odd_ways, msg, sizeof(msg)), 0);
}

/* A 12-way cache (sets a power of two, ways not) works: 12 lines fit in
 * one set, the 13th evicts the LRU one. */
static void test_cache_non_pow2_ways(void)
{
    struct cache_cfg cfg = tc_cfg(12 * 64 * 2, 12, 64, CACHE_REPL_LRU,
                                  CACHE_WRITE_BACK);   /* 2 sets */
    struct cache *c = cache_new("w12", &cfg, 1);
    unsigned i;

    CU_ASSERT_FATAL(c != NULL);
    for (i = 0; i < 12; i++) {
        cache_access(c, (uint64_t)i * 128, false, NULL);
    }
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 0);
    cache_access(c, 12 * 128, false, NULL);
    CU_ASSERT_EQUAL(cache_get_stats(c)->evictions, 1);
    CU_ASSERT_FALSE(cache_probe(c, 0));
    CU_ASSERT_TRUE(cache_probe(c, 128));
    cache_free(c);
}

static void test_cache_ptw_src_names(void)
{
    unsigned i;

    CU_ASSERT_EQUAL(PTW_SRC__COUNT, 7);
    CU_ASSERT_STRING_EQUAL(ptw_src_name[PTW_SRC_NONE], "NONE");
    CU_ASSERT_STRING_EQUAL(ptw_src_name[PTW_SRC_L1D], "L1D");
    CU_ASSERT_STRING_EQUAL(ptw_src_name[PTW_SRC_LLC], "LLC");
    CU_ASSERT_STRING_EQUAL(ptw_src_name[PTW_SRC_DRAM], "DRAM");
    for (i = 0; i < PTW_SRC__COUNT; i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(ptw_src_name[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ptw_src_desc[i]);
        CU_ASSERT(strlen(ptw_src_desc[i]) > 0);
    }
}

/* ---- hierarchy ----
 *
 * L1D 512 B 2-way (4 sets), 4 cycles; L2 4 KiB 4-way, 12 cycles; LLC
 * 16 KiB 8-way, 40 cycles; DRAM row hit 100, row miss 200, 4 banks of
 * 1 KiB rows.  Lines 0x0, 0x100, 0x200 share L1 set 0 only. */
struct tc_hier {
    struct cache_hier h;
    struct cache *l1d;
    struct cache *l2;
    struct cache *llc;
    struct dram *dram;
};

static void tc_hier_init(struct tc_hier *t, unsigned l1_write)
{
    struct cache_cfg l1 = tc_cfg(512, 2, 64, CACHE_REPL_LRU, l1_write);
    struct cache_cfg l2 = tc_cfg(4096, 4, 64, CACHE_REPL_LRU,
                                 CACHE_WRITE_BACK);
    struct cache_cfg llc = tc_cfg(16384, 8, 64, CACHE_REPL_LRU,
                                  CACHE_WRITE_BACK);
    struct dram_cfg d = tc_dram_cfg();

    l2.hit_latency = 12;
    llc.hit_latency = 40;
    t->l1d = cache_new("l1d", &l1, 1);
    t->l2 = cache_new("l2", &l2, 2);
    t->llc = cache_new("llc", &llc, 3);
    t->dram = dram_new(&d);
    t->h.l1d = t->l1d;
    t->h.l2 = t->l2;
    t->h.llc = t->llc;
    t->h.dram = t->dram;
}

static void tc_hier_fini(struct tc_hier *t)
{
    cache_free(t->l1d);
    cache_free(t->l2);
    cache_free(t->llc);
    dram_free(t->dram);
}

static void test_cache_hier_latency_sums_to_serving_level(void)
{
    struct tc_hier t;
    uint8_t src = 0xff;

    tc_hier_init(&t, CACHE_WRITE_BACK);
    CU_ASSERT_FATAL(t.l1d && t.l2 && t.llc && t.dram);
    /* Cold: every level misses, DRAM row miss. */
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x0, false, &src),
                    4 + 12 + 40 + 200);
    CU_ASSERT_EQUAL(src, PTW_SRC_DRAM);
    CU_ASSERT_TRUE(cache_probe(t.l1d, 0x0));
    CU_ASSERT_TRUE(cache_probe(t.l2, 0x0));
    CU_ASSERT_TRUE(cache_probe(t.llc, 0x0));
    /* Warm in L1. */
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x8, false, &src), 4);
    CU_ASSERT_EQUAL(src, PTW_SRC_L1D);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->accesses, 1);
    /* Same DRAM row (row 0 of bank 0 is open): row hit. */
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x100, false, &src),
                    4 + 12 + 40 + 100);
    CU_ASSERT_EQUAL(src, PTW_SRC_DRAM);
    cache_hier_access(&t.h, 0x200, false, &src);
    /* 0x0 left L1 (set 0 held 0x100 and 0x200), still in L2. */
    CU_ASSERT_FALSE(cache_probe(t.l1d, 0x0));
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x0, false, &src), 4 + 12);
    CU_ASSERT_EQUAL(src, PTW_SRC_L2);
    /* Only the LLC keeps it. */
    cache_invalidate_all(t.l1d);
    cache_invalidate_all(t.l2);
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x0, false, &src), 4 + 12 + 40);
    CU_ASSERT_EQUAL(src, PTW_SRC_LLC);
    CU_ASSERT_EQUAL(dram_get_stats(t.dram)->accesses, 3);
    tc_hier_fini(&t);
}

/* Absent (NULL) and disabled levels cost nothing and count nothing; no
 * DRAM adds 0. */
static void test_cache_hier_skips_absent_and_disabled(void)
{
    struct cache_cfg l1 = tc_cfg(512, 2, 64, CACHE_REPL_LRU,
                                 CACHE_WRITE_BACK);
    struct cache_cfg off = tc_cfg(16384, 8, 64, CACHE_REPL_LRU,
                                  CACHE_WRITE_BACK);
    struct cache_hier h;
    uint8_t src = 0xff;

    off.enabled = false;
    off.hit_latency = 40;
    memset(&h, 0, sizeof(h));
    h.l1d = cache_new("l1d", &l1, 1);
    h.llc = cache_new("llc", &off, 1);
    CU_ASSERT_FATAL(h.l1d != NULL && h.llc != NULL);
    CU_ASSERT_EQUAL(cache_hier_access(&h, 0x40, false, &src), 4);
    CU_ASSERT_EQUAL(src, PTW_SRC_DRAM);
    CU_ASSERT_EQUAL(cache_hier_access(&h, 0x40, false, &src), 4);
    CU_ASSERT_EQUAL(src, PTW_SRC_L1D);
    CU_ASSERT_EQUAL(cache_get_stats(h.llc)->accesses, 0);
    /* No level at all: a pure DRAM reference. */
    cache_free(h.l1d);
    cache_free(h.llc);
    memset(&h, 0, sizeof(h));
    CU_ASSERT_EQUAL(cache_hier_access(&h, 0x40, true, &src), 0);
    CU_ASSERT_EQUAL(src, PTW_SRC_DRAM);
}

/* A store allocates dirty in the write-back L1 only (L2 sees the fill as a
 * read); L1's dirty victim is then written into L2, which keeps it dirty. */
static void test_cache_hier_dirty_victim_written_to_next_level(void)
{
    struct tc_hier t;
    uint8_t src;

    tc_hier_init(&t, CACHE_WRITE_BACK);
    cache_hier_access(&t.h, 0x0, true, &src);
    CU_ASSERT_EQUAL(cache_get_stats(t.l1d)->writes, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->reads, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writes, 0);
    cache_hier_access(&t.h, 0x100, false, &src);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writes, 0);
    cache_hier_access(&t.h, 0x200, false, &src);    /* evicts dirty 0x0 */
    CU_ASSERT_EQUAL(cache_get_stats(t.l1d)->writebacks, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writes, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->hits, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.llc)->writes, 0);
    cache_invalidate_all(t.l2);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writebacks, 1);
    tc_hier_fini(&t);
}

/* A write-through L1 does not allocate the store; L2 takes it dirty. */
static void test_cache_hier_write_through_l1_passes_store(void)
{
    struct tc_hier t;
    uint8_t src = 0xff;

    tc_hier_init(&t, CACHE_WRITE_THROUGH);
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x0, true, &src),
                    4 + 12 + 40 + 200);
    CU_ASSERT_EQUAL(src, PTW_SRC_DRAM);
    CU_ASSERT_FALSE(cache_probe(t.l1d, 0x0));
    CU_ASSERT_TRUE(cache_probe(t.l2, 0x0));
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writes, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.llc)->writes, 0);
    CU_ASSERT_EQUAL(cache_hier_access(&t.h, 0x0, false, &src), 4 + 12);
    CU_ASSERT_EQUAL(src, PTW_SRC_L2);
    cache_invalidate_all(t.l2);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->writebacks, 1);
    tc_hier_fini(&t);
}

/* A dirty L1 victim skips a disabled L2, is written into the
 * write-through LLC (which hits and stays clean) and passes on to DRAM. */
static void test_cache_hier_victim_skips_disabled_passes_write_through(void)
{
    struct tc_hier t;
    struct cache_cfg l2off = tc_cfg(4096, 4, 64, CACHE_REPL_LRU,
                                    CACHE_WRITE_BACK);
    struct cache_cfg llcwt = tc_cfg(16384, 8, 64, CACHE_REPL_LRU,
                                    CACHE_WRITE_THROUGH);
    uint8_t src;

    tc_hier_init(&t, CACHE_WRITE_BACK);
    cache_free(t.l2);
    cache_free(t.llc);
    l2off.enabled = false;
    t.l2 = cache_new("l2", &l2off, 2);
    t.llc = cache_new("llc", &llcwt, 3);
    CU_ASSERT_FATAL(t.l2 != NULL && t.llc != NULL);
    t.h.l2 = t.l2;
    t.h.llc = t.llc;
    cache_hier_access(&t.h, 0x0, true, &src);
    cache_hier_access(&t.h, 0x100, false, &src);
    CU_ASSERT_EQUAL(dram_get_stats(t.dram)->accesses, 2);
    cache_hier_access(&t.h, 0x200, false, &src);    /* evicts dirty 0x0 */
    CU_ASSERT_EQUAL(cache_get_stats(t.l1d)->writebacks, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.l2)->accesses, 0);
    CU_ASSERT_EQUAL(cache_get_stats(t.llc)->writes, 1);
    CU_ASSERT_EQUAL(cache_get_stats(t.llc)->hits, 1);
    CU_ASSERT_EQUAL(dram_get_stats(t.dram)->accesses, 4);
    tc_hier_fini(&t);
}

/* Dirty lines evicted from the last level go to DRAM (no latency). */
static void test_cache_hier_llc_victim_written_to_dram(void)
{
    struct cache_cfg one = tc_cfg(256, 4, 64, CACHE_REPL_LRU,
                                  CACHE_WRITE_BACK);    /* 1 set */
    struct dram_cfg dc = tc_dram_cfg();
    struct cache_hier h;
    uint8_t src;
    unsigned i;

    memset(&h, 0, sizeof(h));
    h.llc = cache_new("llc", &one, 1);
    h.dram = dram_new(&dc);
    CU_ASSERT_FATAL(h.llc != NULL && h.dram != NULL);
    for (i = 0; i < 4; i++) {
        cache_hier_access(&h, (uint64_t)i * 64, true, &src);
    }
    CU_ASSERT_EQUAL(dram_get_stats(h.dram)->accesses, 4);
    /* Row 0 open: 4 + row hit, and the write-back of 0x0 follows. */
    CU_ASSERT_EQUAL(cache_hier_access(&h, 0x100, false, &src), 4 + 100);
    CU_ASSERT_EQUAL(dram_get_stats(h.dram)->accesses, 6);
    CU_ASSERT_EQUAL(cache_get_stats(h.llc)->writebacks, 1);
    cache_free(h.llc);
    dram_free(h.dram);
}

/* ---- DRAM ---- */

static void test_dram_row_hit_after_row_opens(void)
{
    struct dram_cfg dc = tc_dram_cfg();
    struct dram *d = dram_new(&dc);

    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_EQUAL(dram_access(d, 0x0, false), 200);
    CU_ASSERT_EQUAL(dram_access(d, 0x40, false), 100);
    CU_ASSERT_EQUAL(dram_access(d, 0x3ff, true), 100);
    CU_ASSERT_EQUAL(dram_get_stats(d)->accesses, 3);
    CU_ASSERT_EQUAL(dram_get_stats(d)->row_hits, 2);
    CU_ASSERT_EQUAL(dram_get_stats(d)->row_misses, 1);
    dram_free(d);
}

/* bank = (pa / 1024) % 4: rows 0 and 4 share bank 0, row 1 is bank 1. */
static void test_dram_banks_keep_their_own_open_row(void)
{
    struct dram_cfg dc = tc_dram_cfg();
    struct dram *d = dram_new(&dc);

    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_EQUAL(dram_access(d, 0x0000, false), 200);   /* b0 r0 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0400, false), 200);   /* b1 r1 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0040, false), 100);   /* b0 r0 */
    CU_ASSERT_EQUAL(dram_access(d, 0x1000, false), 200);   /* b0 r4 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0000, false), 200);   /* b0 r0 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0440, false), 100);   /* b1 r1 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0800, false), 200);   /* b2 r2 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0c00, false), 200);   /* b3 r3 */
    CU_ASSERT_EQUAL(dram_access(d, 0x0010, false), 100);   /* b0 r0 */
    CU_ASSERT_EQUAL(dram_get_stats(d)->row_hits, 3);
    CU_ASSERT_EQUAL(dram_get_stats(d)->row_misses, 6);
    dram_free(d);
}

static int tc_dram_validate(const struct dram_cfg *dc, char *msg,
                            size_t len)
{
    struct sim_cfg *cfg = sim_cfg_new();
    int rc;

    if (cfg == NULL) {
        return 1;
    }
    sim_cfg_declare(cfg, "dram", "test", dram_cfg_keys, NULL,
                    dram_cfg_validate);
    rc = dram_cfg_validate(cfg, "dram", dc);
    msg[0] = '\0';
    if (rc != 0 && sim_cfg_errmsg(cfg) != NULL) {
        strncpy(msg, sim_cfg_errmsg(cfg), len - 1);
        msg[len - 1] = '\0';
    }
    sim_cfg_free(cfg);
    return rc;
}

static void test_dram_validate_rejects_non_pow2(void)
{
    struct dram_cfg dc = tc_dram_cfg();
    char msg[512];

    CU_ASSERT_EQUAL(tc_dram_validate(&dc, msg, sizeof(msg)), 0);
    dc.banks = 3;
    CU_ASSERT_EQUAL(tc_dram_validate(&dc, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "banks"));
    dc = tc_dram_cfg();
    dc.row_bytes = 1000;
    CU_ASSERT_EQUAL(tc_dram_validate(&dc, msg, sizeof(msg)), -SIM_ECFG);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "row_bytes"));
}

static void test_dram_cfg_defaults_load(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct dram_cfg dc;

    CU_ASSERT_FATAL(cfg != NULL);
    memset(&dc, 0, sizeof(dc));
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "dram", "memory", dram_cfg_keys,
                                    NULL, dram_cfg_validate), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "dram", &dc), 0);
    CU_ASSERT_EQUAL(dc.row_hit_latency, 120);
    CU_ASSERT_EQUAL(dc.row_miss_latency, 200);
    CU_ASSERT_EQUAL(dc.banks, 16);
    CU_ASSERT_EQUAL(dc.row_bytes, 8192);
    sim_cfg_free(cfg);
}

static void test_dram_register_stats(void)
{
    struct dram_cfg dc = tc_dram_cfg();
    struct dram *d = dram_new(&dc);
    struct sim_stats *s = sim_stats_new();
    double v = -1;

    CU_ASSERT_FATAL(d != NULL && s != NULL);
    CU_ASSERT_EQUAL(dram_register_stats(d, s, "dram"), 0);
    dram_access(d, 0x0, false);
    dram_access(d, 0x40, false);
    CU_ASSERT_EQUAL(sim_stats_value(s, "dram.row_hits", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "dram.row_misses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, 1e-9);
    CU_ASSERT_EQUAL(sim_stats_value(s, "dram.accesses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 2.0, 1e-9);
    sim_stats_free(s);
    dram_free(d);
}

int test_cache_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } cache_tests[] = {
        { "first_access_misses_then_hits",
          test_cache_first_access_misses_then_hits },
        { "same_line_hits_next_line_misses",
          test_cache_same_line_hits_next_line_misses },
        { "lru_evicts_least_recently_used",
          test_cache_lru_evicts_least_recently_used },
        { "srrip_keeps_reused_line_under_scan",
          test_cache_srrip_keeps_reused_line_under_scan },
        { "lru_loses_reused_line_under_scan",
          test_cache_lru_loses_reused_line_under_scan },
        { "srrip_hit_promotes", test_cache_srrip_hit_promotes },
        { "random_first_victim_from_seed",
          test_cache_random_first_victim_from_seed },
        { "random_victims_follow_generator",
          test_cache_random_victims_follow_generator },
        { "random_seed_zero_still_varies",
          test_cache_random_seed_zero_still_varies },
        { "write_back_counts_dirty_eviction",
          test_cache_write_back_counts_dirty_eviction },
        { "write_hit_dirties_line", test_cache_write_hit_dirties_line },
        { "write_through_no_allocate",
          test_cache_write_through_no_allocate },
        { "invalidate_all_writes_back_dirty",
          test_cache_invalidate_all_writes_back_dirty },
        { "disabled_counts_nothing", test_cache_disabled_counts_nothing },
        { "register_stats_miss_rate",
          test_cache_register_stats_miss_rate },
        { "cfg_keys_match_struct", test_cache_cfg_keys_match_struct },
        { "cfg_defaults_load", test_cache_cfg_defaults_load },
        { "cfg_load_rejects_bad_geometry",
          test_cache_cfg_load_rejects_bad_geometry },
        { "validate_rejects_non_pow2_sets",
          test_cache_validate_rejects_non_pow2_sets },
        { "validate_rejects_non_pow2_line",
          test_cache_validate_rejects_non_pow2_line },
        { "validate_rejects_partial_set",
          test_cache_validate_rejects_partial_set },
        { "validate_accepts_pow2_sets",
          test_cache_validate_accepts_pow2_sets },
        { "non_pow2_ways", test_cache_non_pow2_ways },
        { "ptw_src_names", test_cache_ptw_src_names },
        { "hier_latency_sums_to_serving_level",
          test_cache_hier_latency_sums_to_serving_level },
        { "hier_skips_absent_and_disabled",
          test_cache_hier_skips_absent_and_disabled },
        { "hier_dirty_victim_written_to_next_level",
          test_cache_hier_dirty_victim_written_to_next_level },
        { "hier_write_through_l1_passes_store",
          test_cache_hier_write_through_l1_passes_store },
        { "hier_victim_skips_disabled_passes_write_through",
          test_cache_hier_victim_skips_disabled_passes_write_through },
        { "hier_llc_victim_written_to_dram",
          test_cache_hier_llc_victim_written_to_dram },
    };
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } dram_tests[] = {
        { "row_hit_after_row_opens", test_dram_row_hit_after_row_opens },
        { "banks_keep_their_own_open_row",
          test_dram_banks_keep_their_own_open_row },
        { "validate_rejects_non_pow2", test_dram_validate_rejects_non_pow2 },
        { "cfg_defaults_load", test_dram_cfg_defaults_load },
        { "register_stats", test_dram_register_stats },
    };
    CU_pSuite s;
    size_t i;

    s = CU_add_suite("cache", NULL, NULL);
    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(cache_tests); i++) {
        if (CU_add_test(s, cache_tests[i].name, cache_tests[i].fn) == NULL) {
            return -1;
        }
    }
    s = CU_add_suite("dram", NULL, NULL);
    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(dram_tests); i++) {
        if (CU_add_test(s, dram_tests[i].name, dram_tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
