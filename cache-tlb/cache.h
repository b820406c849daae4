/*
 * cache.h - set-associative caches, DRAM, and the data-cache hierarchy
 * every page-table and data reference goes through.
 *
 * Timing: a reference that hits at level k costs the sum of the hit latencies
 * of levels 1..k; a reference that misses everywhere adds the DRAM latency.
 * Approximations: blocking (one reference at a time, no MSHR overlap);
 * dirty write-backs are counted but not charged to the critical path; the
 * hierarchy fills every enabled level on a miss (no inclusion enforcement
 * on eviction).
 */
#ifndef CACHE_H
#define CACHE_H

#include "sim/sim_cfg.h"
#include "sim/sim_stats.h"
#include "sim/sim_types.h"

enum ptw_src {
#define PTW_SRC(n, d) PTW_SRC_##n,
#include "ptw_src.def"
#undef PTW_SRC
    PTW_SRC__COUNT
};

extern const char *const ptw_src_name[PTW_SRC__COUNT];
extern const char *const ptw_src_desc[PTW_SRC__COUNT];

enum cache_repl { CACHE_REPL_LRU, CACHE_REPL_SRRIP, CACHE_REPL_RANDOM };
enum cache_write { CACHE_WRITE_BACK, CACHE_WRITE_THROUGH };

struct cache_cfg {
#define CACHE_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "cache_cfg.def"
#undef CACHE_CFG
};

/* Key table for sim_cfg_declare() and the geometry validator. */
extern const struct sim_cfg_key cache_cfg_keys[];
int cache_cfg_validate(struct sim_cfg *cfg, const char *section,
                       const void *loaded);

struct cache_stats {
    uint64_t accesses;
    uint64_t hits;
    uint64_t misses;
    uint64_t reads;
    uint64_t writes;
    uint64_t evictions;
    uint64_t writebacks;     /* dirty lines evicted */
};

struct cache;

/* cfg must already be validated (sets a power of two).  `seed` drives the
 * random policy.  Returns NULL on allocation failure. */
struct cache *cache_new(const char *name, const struct cache_cfg *cfg,
                        uint64_t seed);
void cache_free(struct cache *c);

/* Look `pa` up; on a miss allocate the line (write-through caches do not
 * allocate on writes).  Returns true on a hit.  If a dirty line was evicted
 * its line address is stored in *wb (else *wb = UINT64_MAX); wb may be
 * NULL. */
bool cache_access(struct cache *c, uint64_t pa, bool write, uint64_t *wb);

/* Is the line present?  No state change. */
bool cache_probe(const struct cache *c, uint64_t pa);

/* Invalidate everything (dirty lines count as write-backs). */
void cache_invalidate_all(struct cache *c);

const struct cache_cfg *cache_get_cfg(const struct cache *c);
const struct cache_stats *cache_get_stats(const struct cache *c);

/* Registers <obj>.accesses/hits/misses/... and <obj>.miss_rate. */
int cache_register_stats(struct cache *c, struct sim_stats *s,
                         const char *obj);

/* ---- DRAM ---- */

struct dram_cfg {
#define DRAM_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "dram_cfg.def"
#undef DRAM_CFG
};

extern const struct sim_cfg_key dram_cfg_keys[];
int dram_cfg_validate(struct sim_cfg *cfg, const char *section,
                      const void *loaded);

struct dram_stats {
    uint64_t accesses;
    uint64_t row_hits;
    uint64_t row_misses;
};

struct dram;

struct dram *dram_new(const struct dram_cfg *cfg);
void dram_free(struct dram *d);
/* Latency of one line access; updates the open row of the bank. */
uint32_t dram_access(struct dram *d, uint64_t pa, bool write);
const struct dram_stats *dram_get_stats(const struct dram *d);
int dram_register_stats(struct dram *d, struct sim_stats *s, const char *obj);

/* ---- hierarchy ---- */

/* Any of l1d/l2/llc may be NULL (level absent).  Not owned. */
struct cache_hier {
    struct cache *l1d;
    struct cache *l2;
    struct cache *llc;
    struct dram *dram;
};

/* One reference through the hierarchy.  Returns its latency in cycles and
 * stores in *src which level served it (PTW_SRC_L1D ... PTW_SRC_DRAM). */
uint32_t cache_hier_access(struct cache_hier *h, uint64_t pa, bool write,
                           uint8_t *src);

/* Registers the stats of one core's levels as <cpu>.l1i, <cpu>.l1d,
 * <cpu>.l2, <cpu>.llc and <cpu>.dram; a NULL level is skipped. */
int cache_hier_register_stats(struct sim_stats *s, const char *cpu,
                              struct cache *l1i, struct cache *l1d,
                              struct cache *l2, struct cache *llc,
                              struct dram *dram);

#endif /* CACHE_H */
