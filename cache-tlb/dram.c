/*
 * dram.c - main memory as independent banks with an open-row buffer each.
 *
 * Address mapping: a physical address belongs to row pa / row_bytes, and
 * that row lives in bank (pa / row_bytes) mod banks, so consecutive rows
 * are interleaved across the banks.  An access to the row currently open
 * in its bank costs row_hit_latency; any other access (bank idle at
 * start, or another row open) costs row_miss_latency and leaves its row
 * open (open-page policy).
 *
 * Approximations: no channels, ranks or bank groups; no timing between
 * commands (tRCD, tRP, tRAS, tFAW, refresh) beyond the two latencies;
 * no queueing, bus contention or scheduling (one access at a time, in
 * order); reads and writes cost the same.
 */
#include "cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"

const struct sim_cfg_key dram_cfg_keys[] = {
#define DRAM_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct dram_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "dram_cfg.def"
#undef DRAM_CFG
    SIM_CFG_END
};

int dram_cfg_validate(struct sim_cfg *cfg, const char *section,
                      const void *loaded)
{
    const struct dram_cfg *d = loaded;

    if (!SIM_IS_POW2(d->banks)) {
        return sim_cfg_error(cfg, section, "banks",
                             "%llu banks is not a power of two",
                             (unsigned long long)d->banks);
    }
    if (!SIM_IS_POW2(d->row_bytes)) {
        return sim_cfg_error(cfg, section, "row_bytes",
                             "row size %llu is not a power of two",
                             (unsigned long long)d->row_bytes);
    }
    return 0;
}

/* Open row of a bank that has none (rows are pa / row_bytes < 2^64 - 1). */
#define DRAM_ROW_NONE UINT64_MAX

struct dram {
    struct dram_cfg cfg;
    unsigned row_shift;
    uint64_t bank_mask;
    uint32_t hit_lat;
    uint32_t miss_lat;
    uint64_t *open_row;     /* per bank */
    struct dram_stats stats;
};

struct dram *dram_new(const struct dram_cfg *cfg)
{
    struct dram *d;
    uint64_t b;

    SIM_ASSERT(SIM_IS_POW2(cfg->banks) && SIM_IS_POW2(cfg->row_bytes));
    d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    d->cfg = *cfg;
    d->row_shift = sim_log2(cfg->row_bytes);
    d->bank_mask = cfg->banks - 1;
    d->hit_lat = (uint32_t)cfg->row_hit_latency;
    d->miss_lat = (uint32_t)cfg->row_miss_latency;
    d->open_row = malloc(cfg->banks * sizeof(*d->open_row));
    if (d->open_row == NULL) {
        free(d);
        return NULL;
    }
    for (b = 0; b < cfg->banks; b++) {
        d->open_row[b] = DRAM_ROW_NONE;
    }
    return d;
}

void dram_free(struct dram *d)
{
    if (d == NULL) {
        return;
    }
    free(d->open_row);
    free(d);
}

uint32_t dram_access(struct dram *d, uint64_t pa, bool write)
{
    uint64_t row = pa >> d->row_shift;
    uint64_t *open = &d->open_row[row & d->bank_mask];

    (void)write;            /* reads and writes cost the same */
    d->stats.accesses++;
    if (*open == row) {
        d->stats.row_hits++;
        return d->hit_lat;
    }
    d->stats.row_misses++;
    *open = row;
    return d->miss_lat;
}

const struct dram_stats *dram_get_stats(const struct dram *d)
{
    return &d->stats;
}

int dram_register_stats(struct dram *d, struct sim_stats *s, const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "accesses", "refs", "line accesses (reads, fills and write-backs)",
          &d->stats.accesses },
        { "row_hits", "refs", "accesses to the open row of their bank",
          &d->stats.row_hits },
        { "row_misses", "refs", "accesses that opened a new row",
          &d->stats.row_misses },
    };
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    if (rc != 0) {
        return rc;
    }
    return sim_stat_ratio(s, obj, "row_hit_rate", "",
                          "row-buffer hits per access", "row_hits",
                          "accesses");
}
