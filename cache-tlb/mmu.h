/*
 * mmu.h - address translation of one core: L1 TLBs per page size, a
 * unified L2 TLB, and the page walker behind them.
 *
 * Timing: an L1 hit costs the L1 TLB latency; an L2 hit adds the L2 TLB
 * latency; a miss adds the walk.  A hit whose permissions forbid the access,
 * or a write hitting an entry whose dirty bit is clear, re-walks (as
 * hardware does to set D or re-check).  Fills: the L2 TLB (if it holds the
 * page size) and the L1 TLB of that size.
 */
#ifndef MMU_H
#define MMU_H

#include "ptw.h"
#include "tlb.h"

enum mmu_style { MMU_STYLE_AUTO, MMU_STYLE_INTEL, MMU_STYLE_AMD,
                 MMU_STYLE_NONE };

struct mmu_cfg {
#define MMU_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "mmu_cfg.def"
#undef MMU_CFG
};

extern const struct sim_cfg_key mmu_cfg_keys[];

struct mmu_stats {
    uint64_t translations;
    uint64_t l1_hits;
    uint64_t l2_hits;
    uint64_t walks;
    uint64_t faults;
    uint64_t cycles;        /* translation latency, summed */
};

struct mmu {
    struct tlb *l1[3];      /* by page size: 4K, 2M, 1G; may be NULL */
    struct tlb *l2;         /* may be NULL */
    struct ptw ptw;
    struct mmu_stats st;
};

enum mmu_served { MMU_L1, MMU_L2, MMU_WALK };

struct mmu_result {
    uint64_t hpa;
    uint32_t cycles;
    uint8_t served;         /* enum mmu_served */
    bool fault;
    struct ptw_fault f;     /* when fault */
};

/* The TLBs are not owned; the walker is built from `parts`. */
int mmu_init(struct mmu *m, struct tlb *const l1[3], struct tlb *l2,
             const struct ptw_parts *parts, uint16_t vcpu);
void mmu_fini(struct mmu *m);
int mmu_register_stats(struct mmu *m, struct sim_stats *s, const char *obj);

/* Translate `a` at core cycle `now`. Never fails: a fault is a result. */
void mmu_translate(struct mmu *m, const struct ptw_ctx *ctx,
                   const struct ptw_access *a, uint64_t now,
                   struct mmu_result *out);

/* Invalidate TLBs and walk caches by scope (MOV CR3, INVLPG, INVVPID...). */
void mmu_flush(struct mmu *m, const struct tlb_flush *f);

#endif /* MMU_H */
