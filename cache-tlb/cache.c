/*
 * cache.c - set-associative data caches and the hierarchy (L1D, L2, LLC,
 * DRAM) that page-table and data references go through.
 *
 * Models one cache level as sets x ways of lines, each with a tag (the
 * line number pa >> log2(line)), a valid and a dirty bit and the state of
 * one of three replacement policies:
 *   lru    : every touch stamps the line with a per-cache clock; the victim
 *            is the way with the oldest stamp;
 *   srrip  : static re-reference interval prediction with 2-bit RRPVs
 *            (Jaleel et al., ISCA 2010, "hit priority" variant): a filled
 *            line gets RRPV 2, a hit sets it to 0; the victim is the first
 *            way (lowest index) with RRPV 3, after aging every way of the
 *            set by the amount that brings the largest RRPV to 3;
 *   random : the victim is x % ways, x the next value of a xorshift64
 *            generator (shifts 13, 7, 17) seeded with the `seed` argument
 *            of cache_new (seed 0 is replaced by a fixed non-zero value,
 *            which xorshift needs).
 * Under every policy an invalid way is filled before any valid line is
 * evicted (lowest invalid way first).
 * Write policies: write-back + write-allocate (a write marks the line
 * dirty; a dirty victim is a write-back), or write-through +
 * no-write-allocate (lines are never dirty; a write miss allocates
 * nothing).
 *
 * The hierarchy (cache_hier_access) charges the hit latency of every
 * present level down to the level that serves the reference, plus DRAM if
 * every level misses; every level that missed allocates the line (subject
 * to its write policy).  A store stays a write only down to the first
 * write-back level, which takes it; the levels below see the fill as a
 * read.  Dirty victims are written into the next present level (or DRAM)
 * after the reference has been served, without charging latency; a
 * write-through level receiving one passes it on.
 *
 * Approximations: blocking, one reference at a time (no MSHRs, no
 * overlap); no coherence; no inclusion or exclusion enforcement (a level's
 * eviction does not back-invalidate the levels above); write-through
 * stores that hit stop at the level that holds the line, like loads (the
 * store traffic to the next level is neither charged nor counted there);
 * write-backs update the lower levels and the DRAM open rows but cost no
 * critical-path time and no bandwidth; no prefetching; a disabled level
 * is removed entirely.
 */
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"

const char *const ptw_src_name[PTW_SRC__COUNT] = {
#define PTW_SRC(n, d) [PTW_SRC_##n] = #n,
#include "ptw_src.def"
#undef PTW_SRC
};

const char *const ptw_src_desc[PTW_SRC__COUNT] = {
#define PTW_SRC(n, d) [PTW_SRC_##n] = (d),
#include "ptw_src.def"
#undef PTW_SRC
};

const struct sim_cfg_key cache_cfg_keys[] = {
#define CACHE_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct cache_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "cache_cfg.def"
#undef CACHE_CFG
    SIM_CFG_END
};

/* Number of choices in the "repl" and "write" keys of cache_cfg.def. */
#define CACHE_REPL_COUNT  3u
#define CACHE_WRITE_COUNT 2u

/* SRRIP: 2-bit re-reference prediction values. */
#define CACHE_RRPV_MAX    3u
#define CACHE_RRPV_INSERT 2u

/* Non-zero replacement for a zero random seed (xorshift stays at 0). */
#define CACHE_SEED_DEFAULT 0x9e3779b97f4a7c15ull

int cache_cfg_validate(struct sim_cfg *cfg, const char *section,
                       const void *loaded)
{
    const struct cache_cfg *c = loaded;
    uint64_t set_bytes;
    uint64_t sets;

    if (!SIM_IS_POW2(c->line)) {
        return sim_cfg_error(cfg, section, "line",
                             "line size %llu is not a power of two",
                             (unsigned long long)c->line);
    }
    if (c->ways == 0) {
        return sim_cfg_error(cfg, section, "ways",
                             "associativity must be at least 1");
    }
    if (c->ways > UINT64_MAX / c->line) {
        return sim_cfg_error(cfg, section, "ways",
                             "ways * line overflows");
    }
    set_bytes = c->ways * c->line;
    if (c->size == 0 || c->size % set_bytes != 0) {
        return sim_cfg_error(cfg, section, "size",
                             "capacity %llu is not a multiple of "
                             "ways * line = %llu",
                             (unsigned long long)c->size,
                             (unsigned long long)set_bytes);
    }
    sets = c->size / set_bytes;
    if (!SIM_IS_POW2(sets)) {
        return sim_cfg_error(cfg, section, "size",
                             "sets = size / (ways * line) = %llu is not a "
                             "power of two",
                             (unsigned long long)sets);
    }
    if (c->repl >= CACHE_REPL_COUNT) {
        return sim_cfg_error(cfg, section, "repl",
                             "unknown replacement policy %u", c->repl);
    }
    if (c->write >= CACHE_WRITE_COUNT) {
        return sim_cfg_error(cfg, section, "write",
                             "unknown write policy %u", c->write);
    }
    return 0;
}

struct cache_line {
    uint64_t tag;           /* line number: pa >> line_shift */
    uint64_t stamp;         /* LRU: clock value of the last touch */
    bool valid;
    bool dirty;
    uint8_t rrpv;           /* SRRIP */
};

struct cache {
    char *name;             /* for debuggers and messages */
    struct cache_cfg cfg;
    unsigned line_shift;
    uint64_t set_mask;
    unsigned ways;
    struct cache_line *lines;   /* sets * ways; NULL when disabled */
    uint64_t *keys;             /* per line: tag + 1, or 0 when invalid;
                                 * lookups scan this dense array (a set of
                                 * 16 ways is two host cache lines) */
    uint64_t clock;             /* LRU stamps */
    uint64_t rng;               /* random policy state */
    struct cache_stats stats;
};

struct cache *cache_new(const char *name, const struct cache_cfg *cfg,
                        uint64_t seed)
{
    struct cache *c = calloc(1, sizeof(*c));
    uint64_t sets;

    if (c == NULL) {
        return NULL;
    }
    c->cfg = *cfg;
    c->name = strdup(name != NULL ? name : "cache");
    if (c->name == NULL) {
        free(c);
        return NULL;
    }
    c->rng = seed != 0 ? seed : CACHE_SEED_DEFAULT;
    if (!cfg->enabled) {
        return c;
    }
    SIM_ASSERT(SIM_IS_POW2(cfg->line) && cfg->ways >= 1);
    SIM_ASSERT(cfg->size % (cfg->ways * cfg->line) == 0);
    sets = cfg->size / (cfg->ways * cfg->line);
    SIM_ASSERT(SIM_IS_POW2(sets));
    c->line_shift = sim_log2(cfg->line);
    c->set_mask = sets - 1;
    c->ways = (unsigned)cfg->ways;
    c->lines = calloc(sets * cfg->ways, sizeof(*c->lines));
    c->keys = calloc(sets * cfg->ways, sizeof(*c->keys));
    if (c->lines == NULL || c->keys == NULL) {
        free(c->keys);
        free(c->name);
        free(c);
        return NULL;
    }
    return c;
}

void cache_free(struct cache *c)
{
    if (c == NULL) {
        return;
    }
    free(c->lines);
    free(c->keys);
    free(c->name);
    free(c);
}

static struct cache_line *cache_set(const struct cache *c, uint64_t tag)
{
    return &c->lines[(tag & c->set_mask) * c->ways];
}

static uint64_t cache_xorshift(struct cache *c)
{
    uint64_t x = c->rng;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->rng = x;
    return x;
}

/* The first way holding the largest RRPV is the first with RRPV 3 once the
 * set has been aged by (3 - largest); the aging is applied to every way. */
static unsigned cache_victim_srrip(struct cache_line *set, unsigned ways)
{
    unsigned victim = 0;
    unsigned age;
    unsigned w;

    for (w = 1; w < ways; w++) {
        if (set[w].rrpv > set[victim].rrpv) {
            victim = w;
        }
    }
    age = CACHE_RRPV_MAX - set[victim].rrpv;
    if (age != 0) {
        for (w = 0; w < ways; w++) {
            set[w].rrpv = (uint8_t)(set[w].rrpv + age);
        }
    }
    return victim;
}

static unsigned cache_victim(struct cache *c, struct cache_line *set)
{
    unsigned w;
    unsigned lru;

    for (w = 0; w < c->ways; w++) {
        if (!set[w].valid) {
            return w;
        }
    }
    switch (c->cfg.repl) {
    case CACHE_REPL_SRRIP:
        return cache_victim_srrip(set, c->ways);
    case CACHE_REPL_RANDOM:
        return (unsigned)(cache_xorshift(c) % c->ways);
    case CACHE_REPL_LRU:
    default:
        lru = 0;
        for (w = 1; w < c->ways; w++) {
            if (set[w].stamp < set[lru].stamp) {
                lru = w;
            }
        }
        return lru;
    }
}

bool cache_access(struct cache *c, uint64_t pa, bool write, uint64_t *wb)
{
    uint64_t tag;
    uint64_t *keys;
    struct cache_line *set;
    struct cache_line *l;
    bool wback = c->cfg.write == CACHE_WRITE_BACK;
    unsigned w;

    if (wb != NULL) {
        *wb = UINT64_MAX;
    }
    if (!c->cfg.enabled) {
        return false;
    }
    tag = pa >> c->line_shift;
    set = cache_set(c, tag);
    keys = &c->keys[set - c->lines];
    c->stats.accesses++;
    if (write) {
        c->stats.writes++;
    } else {
        c->stats.reads++;
    }
    for (w = 0; w < c->ways; w++) {
        if (keys[w] == tag + 1) {
            l = &set[w];
            c->stats.hits++;
            l->stamp = ++c->clock;
            l->rrpv = 0;
            if (write && wback) {
                l->dirty = true;
            }
            return true;
        }
    }
    c->stats.misses++;
    if (write && !wback) {
        return false;           /* no-write-allocate */
    }
    w = cache_victim(c, set);
    l = &set[w];
    keys[w] = tag + 1;
    if (l->valid) {
        c->stats.evictions++;
        if (l->dirty) {
            c->stats.writebacks++;
            if (wb != NULL) {
                *wb = l->tag << c->line_shift;
            }
        }
    }
    l->tag = tag;
    l->valid = true;
    l->dirty = write && wback;
    l->stamp = ++c->clock;
    l->rrpv = CACHE_RRPV_INSERT;
    return false;
}

bool cache_probe(const struct cache *c, uint64_t pa)
{
    uint64_t tag;
    const struct cache_line *set;
    unsigned w;

    if (!c->cfg.enabled) {
        return false;
    }
    tag = pa >> c->line_shift;
    set = cache_set(c, tag);
    for (w = 0; w < c->ways; w++) {
        if (c->keys[(uint64_t)(set - c->lines) + w] == tag + 1) {
            return true;
        }
    }
    return false;
}

void cache_invalidate_all(struct cache *c)
{
    uint64_t i;
    uint64_t n;

    if (c->lines == NULL) {
        return;
    }
    n = (c->set_mask + 1) * c->ways;
    for (i = 0; i < n; i++) {
        if (c->lines[i].valid && c->lines[i].dirty) {
            c->stats.writebacks++;
        }
        c->lines[i].valid = false;
        c->keys[i] = 0;
        c->lines[i].dirty = false;
        c->lines[i].rrpv = 0;
        c->lines[i].stamp = 0;
    }
}

const struct cache_cfg *cache_get_cfg(const struct cache *c)
{
    return &c->cfg;
}

const struct cache_stats *cache_get_stats(const struct cache *c)
{
    return &c->stats;
}

int cache_register_stats(struct cache *c, struct sim_stats *s,
                         const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "accesses", "refs", "references looked up (a disabled level "
          "counts none)", &c->stats.accesses },
        { "hits", "refs", "references that found their line",
          &c->stats.hits },
        { "misses", "refs", "references that did not find their line",
          &c->stats.misses },
        { "reads", "refs", "read references", &c->stats.reads },
        { "writes", "refs", "write references (stores and write-backs "
          "from the level above)", &c->stats.writes },
        { "evictions", "lines", "valid lines replaced by a fill",
          &c->stats.evictions },
        { "writebacks", "lines", "dirty lines evicted or invalidated",
          &c->stats.writebacks },
    };
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    if (rc != 0) {
        return rc;
    }
    return sim_stat_ratio(s, obj, "miss_rate", "", "misses per access",
                          "misses", "accesses");
}

/* ---- hierarchy ---- */

enum { CACHE_HIER_LEVELS = 3 };

static bool cache_present(const struct cache *c)
{
    return c != NULL && c->cfg.enabled;
}

/* Write the dirty line `addr`, evicted from level `from`, into the next
 * present level below it, or DRAM below the last.  A write-back level that
 * evicts a dirty line in turn passes that line on; a write-through level
 * passes the written line itself on. */
static void cache_hier_writeback(struct cache_hier *h,
                                 struct cache *const lv[CACHE_HIER_LEVELS],
                                 unsigned from, uint64_t addr)
{
    unsigned k = from + 1;

    while (addr != UINT64_MAX) {
        uint64_t next_wb = UINT64_MAX;

        while (k < CACHE_HIER_LEVELS && !cache_present(lv[k])) {
            k++;
        }
        if (k == CACHE_HIER_LEVELS) {
            if (h->dram != NULL) {
                (void)dram_access(h->dram, addr, true);
            }
            return;
        }
        (void)cache_access(lv[k], addr, true, &next_wb);
        if (lv[k]->cfg.write == CACHE_WRITE_BACK) {
            addr = next_wb;
        }
        k++;
    }
}

uint32_t cache_hier_access(struct cache_hier *h, uint64_t pa, bool write,
                           uint8_t *src)
{
    static const uint8_t level_src[CACHE_HIER_LEVELS] = {
        PTW_SRC_L1D, PTW_SRC_L2, PTW_SRC_LLC,
    };
    struct cache *const lv[CACHE_HIER_LEVELS] = { h->l1d, h->l2, h->llc };
    uint64_t victim[CACHE_HIER_LEVELS];
    uint32_t lat = 0;
    uint8_t served = PTW_SRC_DRAM;
    bool w = write;
    unsigned k;

    for (k = 0; k < CACHE_HIER_LEVELS; k++) {
        victim[k] = UINT64_MAX;
    }
    for (k = 0; k < CACHE_HIER_LEVELS; k++) {
        if (!cache_present(lv[k])) {
            continue;
        }
        lat += (uint32_t)lv[k]->cfg.hit_latency;
        if (cache_access(lv[k], pa, w, &victim[k])) {
            served = level_src[k];
            break;
        }
        /* A write-allocate level takes the store and fetches the line
         * from below with a read (read for ownership). */
        if (lv[k]->cfg.write == CACHE_WRITE_BACK) {
            w = false;
        }
    }
    if (served == PTW_SRC_DRAM && h->dram != NULL) {
        lat += dram_access(h->dram, pa, w);
    }
    /* Write-backs after the reference is served (write buffers). */
    for (k = 0; k < CACHE_HIER_LEVELS; k++) {
        if (victim[k] != UINT64_MAX) {
            cache_hier_writeback(h, lv, k, victim[k]);
        }
    }
    if (src != NULL) {
        *src = served;
    }
    return lat;
}

int cache_hier_register_stats(struct sim_stats *s, const char *cpu,
                              struct cache *l1i, struct cache *l1d,
                              struct cache *l2, struct cache *llc,
                              struct dram *dram)
{
    struct cache *const level[] = { l1i, l1d, l2, llc };
    static const char *const name[] = { "l1i", "l1d", "l2", "llc" };
    char obj[64];
    int rc = 0;
    size_t i;

    for (i = 0; i < sizeof(level) / sizeof(level[0]); i++) {
        if (level[i] != NULL) {
            snprintf(obj, sizeof(obj), "%s.%s", cpu, name[i]);
            rc |= cache_register_stats(level[i], s, obj);
        }
    }
    if (dram != NULL) {
        snprintf(obj, sizeof(obj), "%s.dram", cpu);
        rc |= dram_register_stats(dram, s, obj);
    }
    return rc;
}
