/*
 * wl.h - the synthetic address-stream workload.
 *
 * wl_build() lays out a context's memory for one translation mode: x86-64
 * guest (or native) tables mapping the footprint with guest_page pages,
 * written into host-physical memory; for ept/npt also the EPT or NPT tables
 * mapping every guest-physical page used (tables and data) with host_page
 * pages.  Layout (documented in docs/workloads.md):
 *   guest-physical: tables from 1 MiB up, data from 4 GiB up (aligned);
 *   host-physical:  nested tables from 16 MiB up, guest memory at
 *                   gPA + 256 GiB (native: PA = gPA).
 * Entries are created with A/D clear so walks set them.
 *
 * wl_gen produces the access stream: random, stride, zipf or chase.
 */
#ifndef WL_H
#define WL_H

#include "sim/sim_cfg.h"
#include "sim/sim_mem.h"
#include "sim/sim_types.h"
#include "cache-tlb/ptw.h"

#define WL_GUEST_TABLE_BASE  0x100000ull        /* 1 MiB */
#define WL_GUEST_DATA_BASE   0x100000000ull     /* 4 GiB */
#define WL_HOST_TABLE_BASE   0x1000000ull       /* 16 MiB */
#define WL_HOST_GUEST_OFFSET 0x4000000000ull    /* 256 GiB */
#define WL_MAX_MODES 8

enum wl_pattern { WL_PAT_RANDOM, WL_PAT_STRIDE, WL_PAT_ZIPF, WL_PAT_CHASE };

struct wl_cfg {
#define WL_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "wl_cfg.def"
#undef WL_CFG
};

extern const struct sim_cfg_key wl_cfg_keys[];
int wl_cfg_validate(struct sim_cfg *cfg, const char *section,
                    const void *loaded);

/* Parse "native,ept" into modes[]; returns the count, or -1 naming the bad
 * word in *bad (pointer into a static buffer). */
int wl_parse_modes(const char *text, int modes[WL_MAX_MODES],
                   const char **bad);

/* Page shift of a guest_page / host_page enum value. */
unsigned wl_page_shift(unsigned page_enum);

struct wl_layout {
    uint64_t guest_tables;      /* guest (native) table pages written */
    uint64_t host_tables;       /* EPT / NPT table pages written */
};

/* Build the tables of `mode` into `mem` and fill *ctx for walking them.
 * Returns 0, -SIM_ENOMEM. */
int wl_build(struct sim_mem *mem, const struct wl_cfg *cfg, int mode,
             uint64_t maxphyaddr, struct ptw_ctx *ctx,
             struct wl_layout *out);

struct wl_gen {
    const struct wl_cfg *cfg;
    uint64_t rng;
    uint64_t i;
    uint64_t nlines;
    uint64_t npages;            /* pages of 4 KiB in the footprint */
    double *zipf_cdf;           /* zipf: cumulative weights of ranks */
    uint64_t zipf_ranks;
    uint32_t *chase_next;       /* chase: next page of each page */
    uint64_t chase_cur;
    uint64_t wthresh;           /* write if rng < wthresh */
};

int wl_gen_init(struct wl_gen *g, const struct wl_cfg *cfg);
void wl_gen_fini(struct wl_gen *g);
/* Next access of the stream. */
void wl_gen_next(struct wl_gen *g, uint64_t *va, bool *write);

#endif /* WL_H */
