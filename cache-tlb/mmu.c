/*
 * mmu.c - TLB lookup in front of the page walker.
 *
 * Follows SDM vol. 3A 4.10.2 "TLBs" (a translation is cached with the page
 * size of its mapping; under EPT the combined mapping has the smaller of the
 * guest and host page sizes) and AMD APM vol. 2 15.16 (TLB tagged by ASID).
 * Approximations: no prefetching of translations, no speculative walks; the
 * L1 TLBs of all sizes are probed in parallel (one L1 latency).
 *
 * Simulator speed: a translation repeated while the L1 TLBs it probed did
 * not change (struct mmu_memo) replays the probes' counters and recency
 * updates instead of searching the sets again; the model is the same.
 */
#include "mmu.h"

#include <stdio.h>
#include <string.h>

#include "sim/sim_err.h"

const struct sim_cfg_key mmu_cfg_keys[] = {
#define MMU_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct mmu_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "mmu_cfg.def"
#undef MMU_CFG
    SIM_CFG_END
};

int mmu_init(struct mmu *m, struct tlb *const l1[3], struct tlb *l2,
             const struct ptw_parts *parts, uint16_t vcpu)
{
    memset(m, 0, sizeof(*m));
    m->l1[0] = l1[0];
    m->l1[1] = l1[1];
    m->l1[2] = l1[2];
    m->l2 = l2;
    return ptw_init(&m->ptw, parts, vcpu);
}

void mmu_fini(struct mmu *m)
{
    ptw_fini(&m->ptw);
}

static unsigned mmu_size_index(unsigned shift)
{
    return shift >= 30 ? 2 : shift >= 21 ? 1 : 0;
}

/* May this cached translation serve the access without a walk? */
static bool mmu_entry_ok(const struct ptw_ctx *ctx,
                         const struct ptw_access *a,
                         const struct tlb_entry *e)
{
    if (a->user && !(e->perms & TLB_PERM_U)) {
        return false;
    }
    if (a->write) {
        if (!e->dirty) {
            return false;
        }
        if (!(e->perms & TLB_PERM_W) && (a->user || ctx->wp)) {
            return false;
        }
    }
    if (a->fetch && ctx->nxe && !(e->perms & TLB_PERM_X)) {
        return false;
    }
    return true;
}

void mmu_translate_probe(struct mmu *m, const struct ptw_ctx *ctx,
                         const struct ptw_access *a, uint64_t now,
                         struct mmu_result *out)
{
    struct tlb_entry e;
    struct ptw_result r;
    uint32_t cyc = 0;
    unsigned i;
    bool any_l1 = false;
    bool clean = true;
    void *slot = NULL;

    m->st.translations++;
    out->fault = false;
    for (i = 0; i < 3; i++) {
        if (m->l1[i] != NULL && tlb_enabled(m->l1[i])) {
            uint32_t lat = tlb_hit_latency(m->l1[i]);

            if (!any_l1 || lat > cyc) {
                cyc = lat;
            }
            any_l1 = true;
            slot = tlb_lookup_slot(m->l1[i], &ctx->tag, a->va, &e);
            if (slot != NULL) {
                if (mmu_entry_ok(ctx, a, &e)) {
                    goto hit_l1;
                }
                clean = false;  /* a hit refused: not replayable */
            }
        }
    }
    if (m->l2 != NULL && tlb_enabled(m->l2)) {
        cyc += tlb_hit_latency(m->l2);
        if (tlb_lookup(m->l2, &ctx->tag, a->va, &e) &&
            mmu_entry_ok(ctx, a, &e)) {
            struct tlb *l1 = m->l1[mmu_size_index(e.page_shift)];

            if (l1 != NULL) {
                (void)tlb_insert(l1, &e);
            }
            m->st.l2_hits++;
            out->served = MMU_L2;
            goto hit;
        }
    }

    /* Miss: walk. */
    ptw_walk(&m->ptw, ctx, a, now + cyc, &r);
    cyc += r.ev.cycles;
    m->st.walks++;
    out->served = MMU_WALK;
    if (r.fault.kind != PTW_FAULT_NONE) {
        m->st.faults++;
        m->st.cycles += cyc;
        out->fault = true;
        out->f = r.fault;
        out->hpa = 0;
        out->cycles = cyc;
        return;
    }
    e.page_shift = r.page_shift;
    e.va = a->va & ~((1ull << r.page_shift) - 1);
    e.pa = r.hpa & ~((1ull << r.page_shift) - 1);
    e.gpa = r.gpa & ~((1ull << r.page_shift) - 1);
    e.tag = ctx->tag;
    e.perms = r.perms;
    e.global = r.global;
    e.dirty = a->write;
    if (m->l2 != NULL) {
        (void)tlb_insert(m->l2, &e);
    }
    if (m->l1[mmu_size_index(e.page_shift)] != NULL) {
        (void)tlb_insert(m->l1[mmu_size_index(e.page_shift)], &e);
    }
    goto hit;

hit_l1:
    /* Only a page translated twice in a row is worth a memo. */
    m->memo.valid = false;
    if (clean && m->memo.last_vpn == (a->va >> 12) + 1) {
        struct mmu_memo *mo = &m->memo;
        unsigned n = 0;
        unsigned k;

        for (k = 0; k <= i; k++) {
            if (m->l1[k] != NULL && tlb_enabled(m->l1[k])) {
                mo->tlb[n] = m->l1[k];
                mo->vref[n] = tlb_version(m->l1[k]);
                mo->version[n] = *mo->vref[n];
                n++;
            }
        }
        mo->valid = true;
        mo->nmiss = (uint8_t)(n - 1);
        mo->user = a->user;
        mo->write = a->write;
        mo->fetch = a->fetch;
        mo->wp = ctx->wp;
        mo->nxe = ctx->nxe;
        mo->offset_mask = (1ull << e.page_shift) - 1;
        mo->cycles = cyc;
        mo->vpn = a->va >> 12;
        mo->tag = ctx->tag;
        mo->slot = slot;
        mo->pa = e.pa;
    }
    m->memo.last_vpn = (a->va >> 12) + 1;
    m->st.l1_hits++;
    out->served = MMU_L1;
hit:
    m->st.cycles += cyc;
    out->cycles = cyc;
    out->hpa = e.pa | (a->va & ((1ull << e.page_shift) - 1));
}

int mmu_register_stats(struct mmu *m, struct sim_stats *s, const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "translations", "translations", "address translations requested",
          &m->st.translations },
        { "l1_hits", "translations", "served by an L1 TLB", &m->st.l1_hits },
        { "l2_hits", "translations", "served by the L2 TLB",
          &m->st.l2_hits },
        { "walks", "translations", "needing a page walk", &m->st.walks },
        { "faults", "translations", "ending in a fault", &m->st.faults },
        { "cycles", "cycles", "translation latency, summed", &m->st.cycles },
    };
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "walk_rate", "", "walks per translation",
                            "walks", "translations");
    }
    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "avg_cycles", "cycles",
                            "mean translation latency", "cycles",
                            "translations");
    }
    return rc;
}

void mmu_flush(struct mmu *m, const struct tlb_flush *f)
{
    unsigned i;

    for (i = 0; i < 3; i++) {
        if (m->l1[i] != NULL) {
            tlb_flush(m->l1[i], f);
        }
    }
    if (m->l2 != NULL) {
        tlb_flush(m->l2, f);
    }
    ptw_flush(&m->ptw, f);
}
