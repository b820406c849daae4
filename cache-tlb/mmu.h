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

#include <string.h>

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

/* A translation an L1 TLB served with every L1 TLB probed before it
 * missing, kept when the same page was translated twice in a row: while
 * none of those TLBs changed (tlb_version), the same request has the same
 * outcome, replayed without the probes. */
struct mmu_memo {
    bool valid;
    bool user, write, fetch, wp, nxe;   /* the request and the context */
    uint8_t nmiss;                      /* L1 TLBs probed before the hit */
    uint32_t cycles;
    uint64_t offset_mask;               /* page size of the hit - 1 */
    uint64_t vpn;                       /* va >> 12 */
    uint64_t last_vpn;                  /* of the last L1 hit, + 1 */
    struct tlb_tag tag;
    struct tlb *tlb[3];                 /* probed: nmiss misses, the hit */
    const uint64_t *vref[3];            /* their tlb_version() ... */
    uint64_t version[3];                /* ... and its value then */
    void *slot;                         /* the hit's */
    uint64_t pa;
};

struct mmu {
    struct tlb *l1[3];      /* by page size: 4K, 2M, 1G; may be NULL */
    struct tlb *l2;         /* may be NULL */
    struct ptw ptw;
    struct mmu_stats st;
    struct mmu_memo memo;
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

/* mmu_translate() without the memo: probe the TLBs, walk on a miss. */
void mmu_translate_probe(struct mmu *m, const struct ptw_ctx *ctx,
                         const struct ptw_access *a, uint64_t now,
                         struct mmu_result *out);

/* Is the request the memo's, with the L1 TLBs it probed unchanged?
 * (struct tlb_tag has no padding: 2 + 2 + 4 + 8 bytes.) */
static inline bool mmu_memo_hit(const struct mmu *m,
                                const struct ptw_ctx *ctx,
                                const struct ptw_access *a)
{
    const struct mmu_memo *mo = &m->memo;
    unsigned k;

    if (!mo->valid || mo->vpn != a->va >> 12 || mo->user != a->user ||
        mo->write != a->write || mo->fetch != a->fetch ||
        mo->wp != ctx->wp || mo->nxe != ctx->nxe ||
        memcmp(&mo->tag, &ctx->tag, sizeof(mo->tag)) != 0) {
        return false;
    }
    for (k = 0; k <= mo->nmiss; k++) {
        if (*mo->vref[k] != mo->version[k]) {
            return false;
        }
    }
    return true;
}

/* Translate `a` at core cycle `now`. Never fails: a fault is a result. */
static inline void mmu_translate(struct mmu *m, const struct ptw_ctx *ctx,
                                 const struct ptw_access *a, uint64_t now,
                                 struct mmu_result *out)
{
    unsigned i;

    if (!mmu_memo_hit(m, ctx, a)) {
        mmu_translate_probe(m, ctx, a, now, out);
        return;
    }
    /* The probes of the memo's translation, with their counters and
     * recency updates: the earlier L1 TLBs miss, then the hit. */
    m->st.translations++;
    for (i = 0; i < m->memo.nmiss; i++) {
        tlb_lookup_again(m->memo.tlb[i], NULL);
    }
    tlb_lookup_again(m->memo.tlb[i], m->memo.slot);
    m->st.l1_hits++;
    m->st.cycles += m->memo.cycles;
    out->fault = false;
    out->served = MMU_L1;
    out->cycles = m->memo.cycles;
    out->hpa = m->memo.pa | (a->va & m->memo.offset_mask);
}

/* Invalidate TLBs and walk caches by scope (MOV CR3, INVLPG, INVVPID...). */
void mmu_flush(struct mmu *m, const struct tlb_flush *f);

#endif /* MMU_H */
