/*
 * ptw.c - x86-64 page walks, native and two-dimensional (EPT, NPT).
 *
 * Follows: Intel SDM vol. 3A ch. 4 "Paging" (4-level and 5-level paging,
 * entry formats, A/D flags, paging-structure caches in 4.10.3) and vol. 3C
 * ch. 29 "VMX Support for Address Translation" (EPT entries, EPT
 * misconfigurations and violations) as summarised in reference D1, D2, A6
 * and A7; AMD APM vol. 2 ch. 15.25 "Nested Paging" for NPT (reference D2).
 * Editions: SDM 325462-080 (June 2023), APM 24593 rev. 3.41.
 *
 * Approximations (also in ptw.h): no PAE/32-bit guest formats, no
 * protection keys, SMEP/SMAP or MBEC; the walk is sequential; A/D writes
 * update memory and cache state but are not charged; on a fault no A bits
 * are set.
 */
#include "ptw.h"

#include <stdio.h>
#include <string.h>

#include "sim/sim_err.h"

const char *const ptw_mode_name[PTW_MODE__COUNT] = {
#define PTW_MODE(n, t, d) [PTW_MODE_##n] = t,
#include "ptw_modes.def"
#undef PTW_MODE
};

const char *const ptw_mode_desc[PTW_MODE__COUNT] = {
#define PTW_MODE(n, t, d) [PTW_MODE_##n] = d,
#include "ptw_modes.def"
#undef PTW_MODE
};

const char *const ptw_fault_name[PTW_FAULT__COUNT] = {
#define PTW_FAULT(n, d) [PTW_FAULT_##n] = #n,
#include "ptw_faults.def"
#undef PTW_FAULT
};

const char *const ptw_fault_desc[PTW_FAULT__COUNT] = {
#define PTW_FAULT(n, d) [PTW_FAULT_##n] = d,
#include "ptw_faults.def"
#undef PTW_FAULT
};

int ptw_mode_parse(const char *text)
{
    int i;

    for (i = 0; i < PTW_MODE__COUNT; i++) {
        if (strcmp(text, ptw_mode_name[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* Linear (or guest-physical) address bits that index a level-`lvl` table. */
static inline unsigned ptw_index(uint64_t addr, unsigned lvl)
{
    return (unsigned)(addr >> (12 + 9 * (lvl - 1))) & 511;
}

static inline unsigned ptw_level_shift(unsigned lvl)
{
    return 12 + 9 * (lvl - 1);
}

/* Bits 51:12 of an entry; the caller has rejected bits 51:M already. */
#define PTW_ADDR_MASK SIM_MASK(51, 12)

/* Value stored in a paging-structure cache or the nested TLB: a 4-KiB
 * aligned address, the page shift in bits 5:0 and tlb_perm bits in 8:6. */
static inline uint64_t ptw_pack(uint64_t addr, unsigned shift, unsigned perms)
{
    return (addr & ~0xfffull) | shift | ((uint64_t)perms << 6);
}

/* ---- per-walk state ---- */

struct ptw_run {
    struct ptw *w;
    const struct ptw_ctx *ctx;
    const struct ptw_access *a;
    struct ptw_result *r;
    struct tlb_tag htag;        /* tag of host-dimension structures */
    /* Entries used, for the A/D update after a successful walk. */
    unsigned nused;
    struct {
        uint64_t addr;
        uint64_t val;
        bool leaf;
        bool host;              /* an EPT/NPT entry */
        bool host_write;        /* host leaf of a write-like access */
    } used[SIM_WALK_MAX_REFS];
};

static void ptw_cell(struct ptw_run *run, unsigned glevel, unsigned hlevel,
                     uint8_t src, uint32_t cycles)
{
    struct sim_walk_event *ev = &run->r->ev;
    struct sim_walk_ref *c;

    if (NEVER(ev->nrefs >= SIM_WALK_MAX_REFS)) {
        return;
    }
    c = &ev->refs[ev->nrefs++];
    c->glevel = (uint8_t)glevel;
    c->hlevel = (uint8_t)hlevel;
    c->src = src;
    c->pad = 0;
    c->cycles = cycles > UINT16_MAX ? UINT16_MAX : (uint16_t)cycles;
    ev->cycles += cycles;
}

/* Read the entry at host-physical `addr` as cell (glevel, hlevel): from the
 * AMD page-walk cache if it holds it, else through the data caches. */
static uint64_t ptw_read(struct ptw_run *run, uint64_t addr, unsigned glevel,
                         unsigned hlevel)
{
    const struct ptw_parts *p = &run->w->p;
    uint64_t v;
    uint8_t src = PTW_SRC_DRAM;
    uint32_t cyc = 0;

    if (p->pwc != NULL && pwc_lookup(p->pwc, &run->htag, addr >> 3, &v)) {
        ptw_cell(run, glevel, hlevel, PTW_SRC_PWC, pwc_hit_latency(p->pwc));
        return v;
    }
    if (p->caches != NULL) {
        cyc = cache_hier_access(p->caches, addr, false, &src);
    }
    ptw_cell(run, glevel, hlevel, src, cyc);
    return sim_mem_read64(p->mem, addr);
}

/* Remember a non-leaf entry in the AMD page-walk cache. */
static void ptw_pwc_fill(struct ptw_run *run, uint64_t addr, uint64_t val)
{
    if (run->w->p.pwc != NULL) {
        pwc_insert(run->w->p.pwc, &run->htag, addr >> 3, val);
    }
}

static void ptw_use(struct ptw_run *run, uint64_t addr, uint64_t val,
                    bool leaf, bool host, bool host_write)
{
    if (ALWAYS(run->nused < SIM_WALK_MAX_REFS)) {
        run->used[run->nused].addr = addr;
        run->used[run->nused].val = val;
        run->used[run->nused].leaf = leaf;
        run->used[run->nused].host = host;
        run->used[run->nused].host_write = host_write;
        run->nused++;
    }
}

static uint64_t ptw_rsvd_addr_mask(const struct ptw_ctx *ctx)
{
    unsigned m = ctx->maxphyaddr;

    if (m < 32 || m > 52) {
        m = 52;
    }
    return m >= 52 ? 0 : SIM_MASK(51, m);
}

/* ---- x86 format (guest, native and NPT tables) ---- */

/* Reserved-bit check of a present x86 entry at `lvl` (reference D1).
 * Returns true if a reserved bit is set. */
static bool ptw_x86_rsvd(uint64_t e, unsigned lvl, bool nxe, uint64_t rmask)
{
    if ((e & rmask) != 0) {
        return true;
    }
    if (!nxe && (e & PTE_XD)) {
        return true;
    }
    if (lvl >= 4 && (e & PTE_PS)) {
        return true;                /* PS must be 0 in PML4E/PML5E */
    }
    if (e & PTE_PS) {
        if (lvl == 3 && (e & SIM_MASK(29, 13))) {
            return true;            /* 1-GiB page: 29:13 reserved */
        }
        if (lvl == 2 && (e & SIM_MASK(20, 13))) {
            return true;            /* 2-MiB page: 20:13 reserved */
        }
    }
    return false;
}

static unsigned ptw_x86_perms(uint64_t e)
{
    unsigned p = 0;

    if (e & PTE_RW) {
        p |= TLB_PERM_W;
    }
    if (e & PTE_US) {
        p |= TLB_PERM_U;
    }
    if (!(e & PTE_XD)) {
        p |= TLB_PERM_X;
    }
    return p;
}

/* ---- the host dimension: gPA -> hPA through EPT or NPT ---- */

/* EPT misconfiguration of a present entry (reference A7 list). */
static bool ptw_ept_misconfig(const struct ptw_ctx *ctx, uint64_t e,
                              unsigned lvl, bool leaf, uint64_t rmask)
{
    if (!(e & EPTE_R) && (e & EPTE_W)) {
        return true;                            /* 1: W without R */
    }
    if (!(e & EPTE_R) && (e & EPTE_X) && !ctx->ept_xo) {
        return true;                            /* 2: X-only unsupported */
    }
    if (e & rmask) {
        return true;                            /* 4: address bits 51:M */
    }
    if (leaf) {
        unsigned mt = (unsigned)(e >> 3) & 7;

        if (mt == 2 || mt == 3 || mt == 7) {
            return true;                        /* 3: memory type */
        }
        if (lvl == 3 && (e & SIM_MASK(29, 12))) {
            return true;                        /* 7: misaligned 1 GiB */
        }
        if (lvl == 2 && (e & SIM_MASK(20, 12))) {
            return true;                        /* 7: misaligned 2 MiB */
        }
    } else if (e & SIM_MASK(lvl >= 4 ? 7 : 6, 3)) {
        return true;                            /* 5 and 6 */
    }
    return false;
}

static void ptw_host_fault(struct ptw_run *run, uint8_t kind, unsigned lvl,
                           uint64_t gpa, uint64_t e, bool final,
                           unsigned perms_so_far, bool write_like)
{
    const struct ptw_ctx *ctx = run->ctx;
    const struct ptw_access *a = run->a;
    struct ptw_fault *f = &run->r->fault;

    f->kind = kind;
    f->stage = PTW_STAGE_HOST;
    f->level = (uint8_t)lvl;
    f->final = final;
    f->va = a->va;
    f->gpa = gpa;
    f->entry = e;
    if (ctx->mode == PTW_MODE_EPT) {
        uint64_t q = EPT_QUAL_GLA | (final ? EPT_QUAL_FINAL : 0);

        if (final && a->fetch) {
            q |= EPT_QUAL_X;
        } else {
            q |= EPT_QUAL_R;
        }
        if (write_like) {
            q |= EPT_QUAL_W;
        }
        if (kind != PTW_FAULT_NOT_PRESENT) {
            /* R/W/X of the translation: AND over the levels walked. */
            q |= (uint64_t)(perms_so_far & 7) << 3;
        }
        f->ept_qual = q;
    } else {
        uint64_t ec = PF_ERR_U;     /* nested accesses are user-level */

        if (kind != PTW_FAULT_NOT_PRESENT) {
            ec |= PF_ERR_P;
        }
        if (write_like) {
            ec |= PF_ERR_W;
        }
        if (kind == PTW_FAULT_RSVD) {
            ec |= PF_ERR_RSVD;
        }
        if (final && a->fetch) {
            ec |= PF_ERR_ID;
        }
        f->npf_info1 = ec | (final ? NPF_INFO_FINAL : NPF_INFO_TABLE);
    }
}

/*
 * Translate guest-physical `gpa` for guest row `glevel` (0 = the final
 * address).  Returns true with *hpa (and *shift, *perms of the host
 * mapping), or false with run->r->fault set.
 */
static bool ptw_nested(struct ptw_run *run, uint64_t gpa, unsigned glevel,
                       uint64_t *hpa, unsigned *shift, unsigned *perms)
{
    struct ptw *w = run->w;
    const struct ptw_ctx *ctx = run->ctx;
    const struct ptw_access *a = run->a;
    bool final = glevel == 0;
    bool ept = ctx->mode == PTW_MODE_EPT;
    /* Guest paging-structure accesses count as writes for A/D (D2). */
    bool write_like = final ? a->write : (ept ? ctx->ept_ad : true);
    bool host_ad = ept ? ctx->ept_ad : true;
    uint64_t rmask = ptw_rsvd_addr_mask(ctx);
    uint64_t table = ctx->nroot & PTW_ADDR_MASK;
    unsigned lvl = ctx->hlevels;
    unsigned hp = 7;                        /* R/W/X (EPT) or W/U/X (NPT) */
    uint64_t v;

    if (w->p.ntlb != NULL && pwc_lookup(w->p.ntlb, &run->htag, gpa >> 12,
                                        &v)) {
        ptw_cell(run, glevel, 1, PTW_SRC_NTLB, pwc_hit_latency(w->p.ntlb));
        *hpa = (v & ~0xfffull) | (gpa & 0xfff);
        *shift = (unsigned)(v & 63);
        *perms = (unsigned)(v >> 6) & 7;
        return true;
    }
    /* Intel EPT paging-structure caches, deepest level first. */
    if (ept) {
        unsigned l;

        for (l = 2; l <= ctx->hlevels; l++) {
            struct pwc *c = w->p.epsc[l];

            if (c != NULL && pwc_lookup(c, &run->htag,
                                        gpa >> ptw_level_shift(l), &v)) {
                ptw_cell(run, glevel, l, PTW_SRC_PWC, pwc_hit_latency(c));
                table = v & ~0xfffull;
                hp = (unsigned)(v >> 6) & 7;
                lvl = l - 1;
                break;
            }
        }
    }
    for (;; lvl--) {
        uint64_t addr = table + 8ull * ptw_index(gpa, lvl);
        uint64_t e = ptw_read(run, addr, glevel, lvl);
        bool leaf;

        if (ept) {
            if ((e & 7) == 0) {
                ptw_host_fault(run, PTW_FAULT_NOT_PRESENT, lvl, gpa, e,
                               final, hp, write_like);
                return false;
            }
            leaf = lvl == 1 || ((lvl == 2 || lvl == 3) && (e & EPTE_PS));
            if (ptw_ept_misconfig(ctx, e, lvl, leaf, rmask)) {
                ptw_host_fault(run, PTW_FAULT_EPT_MISCONFIG, lvl, gpa, e,
                               final, hp, write_like);
                return false;
            }
            hp &= (unsigned)(e & 7);
        } else {
            if (!(e & PTE_P)) {
                ptw_host_fault(run, PTW_FAULT_NOT_PRESENT, lvl, gpa, e,
                               final, 0, write_like);
                return false;
            }
            if (ptw_x86_rsvd(e, lvl, true, rmask)) {
                ptw_host_fault(run, PTW_FAULT_RSVD, lvl, gpa, e, final, 0,
                               write_like);
                return false;
            }
            leaf = lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PTE_PS));
            hp &= ptw_x86_perms(e);
        }
        ptw_use(run, addr, e, leaf, true, leaf && write_like && host_ad);
        if (leaf) {
            unsigned s = ptw_level_shift(lvl);
            uint64_t base = e & PTW_ADDR_MASK & ~((1ull << s) - 1);
            bool ok;
            unsigned tp;            /* as enum tlb_perm */

            if (ept) {
                bool need_x = final && a->fetch;

                ok = (hp & EPTE_R || need_x) && (!write_like || hp & EPTE_W)
                     && (!need_x || hp & EPTE_X);
                tp = (hp & EPTE_W ? TLB_PERM_W : 0) | TLB_PERM_U |
                     (hp & EPTE_X ? TLB_PERM_X : 0);
            } else {
                ok = (hp & TLB_PERM_U) && (!write_like || hp & TLB_PERM_W)
                     && !(final && a->fetch && !(hp & TLB_PERM_X));
                tp = hp | TLB_PERM_U;
            }
            if (!ok) {
                ptw_host_fault(run, PTW_FAULT_PERM, lvl, gpa, e, final, hp,
                               write_like);
                return false;
            }
            *hpa = base | (gpa & ((1ull << s) - 1));
            *shift = s;
            *perms = tp;
            if (w->p.ntlb != NULL) {
                pwc_insert(w->p.ntlb, &run->htag, gpa >> 12,
                           ptw_pack(*hpa, s, tp));
            }
            return true;
        }
        ptw_pwc_fill(run, addr, e);
        table = e & PTW_ADDR_MASK;
        if (ept && w->p.epsc[lvl] != NULL) {
            pwc_insert(w->p.epsc[lvl], &run->htag,
                       gpa >> ptw_level_shift(lvl), ptw_pack(table, 12, hp));
        }
    }
}

/* ---- A/D updates ---- */

static void ptw_set_bits(struct ptw_run *run, uint64_t addr, uint64_t old,
                         uint64_t bits)
{
    const struct ptw_parts *p = &run->w->p;
    uint8_t src;

    if ((old & bits) == bits) {
        return;
    }
    if (sim_mem_write64(p->mem, addr, old | bits) != 0) {
        return;     /* the frame exists (it was read); cannot happen */
    }
    if (p->caches != NULL) {
        (void)cache_hier_access(p->caches, addr, true, &src);
    }
    /* A cached copy of a non-leaf entry in the AMD PWC is refreshed. */
    if (p->pwc != NULL) {
        uint64_t v;

        if (pwc_lookup(p->pwc, &run->htag, addr >> 3, &v)) {
            pwc_insert(p->pwc, &run->htag, addr >> 3, old | bits);
        }
    }
}

static void ptw_update_ad(struct ptw_run *run)
{
    const struct ptw_ctx *ctx = run->ctx;
    unsigned i;

    for (i = 0; i < run->nused; i++) {
        uint64_t bits;

        if (run->used[i].host) {
            if (ctx->mode == PTW_MODE_EPT) {
                if (!ctx->ept_ad) {
                    continue;
                }
                bits = EPTE_A | (run->used[i].host_write ? EPTE_D : 0);
            } else {
                bits = PTE_A | (run->used[i].host_write ? PTE_D : 0);
            }
        } else {
            bits = PTE_A;
            if (run->used[i].leaf && run->a->write) {
                bits |= PTE_D;
            }
        }
        ptw_set_bits(run, run->used[i].addr, run->used[i].val, bits);
    }
}

/* ---- the guest (or native) dimension ---- */

static void ptw_guest_fault(struct ptw_run *run, uint8_t kind, unsigned lvl,
                            uint64_t e)
{
    const struct ptw_access *a = run->a;
    struct ptw_fault *f = &run->r->fault;
    uint64_t ec = 0;

    f->kind = kind;
    f->stage = PTW_STAGE_GUEST;
    f->level = (uint8_t)lvl;
    f->va = a->va;
    f->entry = e;
    if (kind != PTW_FAULT_NOT_PRESENT) {
        ec |= PF_ERR_P;
    }
    if (a->write) {
        ec |= PF_ERR_W;
    }
    if (a->user) {
        ec |= PF_ERR_U;
    }
    if (kind == PTW_FAULT_RSVD) {
        ec |= PF_ERR_RSVD;
    }
    if (a->fetch && run->ctx->nxe) {
        ec |= PF_ERR_ID;
    }
    f->pf_error = ec;
}

static bool ptw_guest_perm_ok(const struct ptw_ctx *ctx,
                              const struct ptw_access *a, unsigned perms)
{
    if (a->user && !(perms & TLB_PERM_U)) {
        return false;
    }
    if (a->write && !(perms & TLB_PERM_W) && (a->user || ctx->wp)) {
        return false;
    }
    if (a->fetch && ctx->nxe && !(perms & TLB_PERM_X)) {
        return false;
    }
    return true;
}

static void ptw_walk_body(struct ptw_run *run)
{
    struct ptw *w = run->w;
    const struct ptw_ctx *ctx = run->ctx;
    const struct ptw_access *a = run->a;
    struct ptw_result *r = run->r;
    bool nested = ctx->mode != PTW_MODE_NATIVE;
    uint64_t rmask = ptw_rsvd_addr_mask(ctx);
    uint64_t table = ctx->root & PTW_ADDR_MASK;   /* gPA (PA if native) */
    uint64_t table_hpa = 0;
    bool have_hpa = false;
    unsigned lvl = ctx->glevels;
    unsigned perms = TLB_PERM_W | TLB_PERM_U | TLB_PERM_X;
    unsigned hshift = 30;       /* smallest host page seen on the path */
    unsigned hperms = 7;
    unsigned l;
    uint64_t v;

    /* Intel paging-structure caches: deepest level first (SDM 4.10.3). */
    for (l = 2; l <= ctx->glevels; l++) {
        struct pwc *c = w->p.psc[l];

        if (c != NULL && pwc_lookup(c, &ctx->tag, a->va >> ptw_level_shift(l),
                                    &v)) {
            ptw_cell(run, l, 0, PTW_SRC_PWC, pwc_hit_latency(c));
            table_hpa = v & ~0xfffull;
            have_hpa = true;
            perms = (unsigned)(v >> 6) & 7;
            lvl = l - 1;
            break;
        }
    }
    for (;; lvl--) {
        uint64_t addr;
        uint64_t e;
        bool leaf;

        if (!have_hpa) {
            if (nested) {
                unsigned s;
                unsigned p;

                if (!ptw_nested(run, table, lvl, &table_hpa, &s, &p)) {
                    return;
                }
            } else {
                table_hpa = table;
            }
            /* The PSC entry for the level above can now hold the
             * host-physical address of this table (combined under EPT). */
            if (lvl < ctx->glevels && w->p.psc[lvl + 1] != NULL) {
                pwc_insert(w->p.psc[lvl + 1], &ctx->tag,
                           a->va >> ptw_level_shift(lvl + 1),
                           ptw_pack(table_hpa, 12, perms));
            }
        }
        have_hpa = false;
        addr = table_hpa + 8ull * ptw_index(a->va, lvl);
        e = ptw_read(run, addr, lvl, 0);
        if (!(e & PTE_P)) {
            ptw_guest_fault(run, PTW_FAULT_NOT_PRESENT, lvl, e);
            return;
        }
        if (ptw_x86_rsvd(e, lvl, ctx->nxe, rmask)) {
            ptw_guest_fault(run, PTW_FAULT_RSVD, lvl, e);
            return;
        }
        perms &= ptw_x86_perms(e);
        leaf = lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PTE_PS));
        ptw_use(run, addr, e, leaf, false, false);
        if (leaf) {
            unsigned s = ptw_level_shift(lvl);
            uint64_t gpa = (e & PTW_ADDR_MASK & ~((1ull << s) - 1)) |
                           (a->va & ((1ull << s) - 1));

            if (!ptw_guest_perm_ok(ctx, a, perms)) {
                ptw_guest_fault(run, PTW_FAULT_PERM, lvl, e);
                return;
            }
            r->gpa = gpa;
            r->page_shift = (uint8_t)s;
            r->global = (e & PTE_G) != 0;
            if (nested) {
                if (!ptw_nested(run, gpa, 0, &r->hpa, &hshift, &hperms)) {
                    return;
                }
                if (hshift < r->page_shift) {
                    r->page_shift = (uint8_t)hshift;    /* splintering */
                }
                perms &= hperms;
            } else {
                r->hpa = gpa;
            }
            r->perms = (uint8_t)perms;
            return;
        }
        ptw_pwc_fill(run, addr, e);
        table = e & PTW_ADDR_MASK;
    }
}

int ptw_walk(struct ptw *w, const struct ptw_ctx *ctx,
             const struct ptw_access *a, uint64_t now, struct ptw_result *r)
{
    struct ptw_run run;
    struct sim_walk_event *ev = &r->ev;
    unsigned i;

    run.w = w;
    run.ctx = ctx;
    run.a = a;
    run.r = r;
    run.nused = 0;
    memset(&run.htag, 0, sizeof(run.htag));
    if (ctx->mode == PTW_MODE_EPT) {
        run.htag.eptp = ctx->nroot;
    } else if (ctx->mode == PTW_MODE_NPT) {
        run.htag.asid = ctx->tag.asid;
        run.htag.eptp = ctx->nroot;
    } else {
        run.htag = ctx->tag;
    }

    r->hpa = 0;
    r->gpa = 0;
    r->page_shift = 12;
    r->perms = 0;
    r->global = false;
    memset(&r->fault, 0, sizeof(r->fault));
    ev->cycle = now;
    ev->va = a->va;
    ev->cycles = 0;
    ev->vcpu = w->vcpu;
    ev->mode = ctx->mode;
    ev->glevels = ctx->glevels;
    ev->hlevels = ctx->mode == PTW_MODE_NATIVE ? 0 : ctx->hlevels;
    ev->write = a->write;
    ev->nrefs = 0;

    ptw_walk_body(&run);

    if (r->fault.kind == PTW_FAULT_NONE) {
        ptw_update_ad(&run);
    } else {
        r->hpa = 0;
        w->st.faults++;
    }
    ev->gpa = r->gpa;
    ev->hpa = r->hpa;
    ev->page_shift = r->page_shift;
    ev->fault = r->fault.kind;

    w->st.walks++;
    w->st.cycles += ev->cycles;
    for (i = 0; i < ev->nrefs; i++) {
        uint8_t s = ev->refs[i].src;

        w->st.src[s]++;
        if (s >= PTW_SRC_L1D) {
            w->st.refs++;
        }
    }
    w->st.pwc_hits = w->st.src[PTW_SRC_PWC];
    w->st.ntlb_hits = w->st.src[PTW_SRC_NTLB];
    sim_hist_add(&w->st.latency, ev->cycles);
    sim_trace_walk(w->p.trace, ev);
    return 0;
}

/* ---- set-up ---- */

int ptw_init(struct ptw *w, const struct ptw_parts *parts, uint16_t vcpu)
{
    memset(w, 0, sizeof(*w));
    w->p = *parts;
    w->vcpu = vcpu;
    /* Walk latency histogram: 8-cycle bins up to 4096 cycles. */
    return sim_hist_init(&w->st.latency, 0, 8, 512);
}

void ptw_fini(struct ptw *w)
{
    sim_hist_fini(&w->st.latency);
}

int ptw_register_stats(struct ptw *w, struct sim_stats *s, const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "walks", "walks", "page walks", &w->st.walks },
        { "faults", "walks", "walks ending in a fault", &w->st.faults },
        { "refs", "references", "memory references of walks (L1D..DRAM)",
          &w->st.refs },
        { "cycles", "cycles", "sum of walk latencies", &w->st.cycles },
        { "pwc_hits", "references", "references served by a PSC/PWC",
          &w->st.pwc_hits },
        { "ntlb_hits", "references",
          "nested translations served by the nested TLB",
          &w->st.ntlb_hits },
    };
    char m[64];
    unsigned i;
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    for (i = PTW_SRC_L1D; rc == 0 && i < PTW_SRC__COUNT; i++) {
        snprintf(m, sizeof(m), "src_%s", ptw_src_name[i]);
        rc = sim_stat_counter(s, obj, m, "references", ptw_src_desc[i],
                              &w->st.src[i]);
    }
    if (rc == 0) {
        rc = sim_stat_hist(s, obj, "latency", "cycles",
                           "walk latency distribution", &w->st.latency);
    }
    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "avg_cycles", "cycles",
                            "mean walk latency", "cycles", "walks");
    }
    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "refs_per_walk", "references",
                            "mean memory references per walk", "refs",
                            "walks");
    }
    return rc;
}

void ptw_flush(struct ptw *w, const struct tlb_flush *f)
{
    unsigned l;

    for (l = 0; l < 6; l++) {
        if (w->p.psc[l] != NULL) {
            pwc_flush(w->p.psc[l], f);
        }
        if (w->p.epsc[l] != NULL) {
            pwc_flush(w->p.epsc[l], f);
        }
    }
    if (w->p.pwc != NULL) {
        pwc_flush(w->p.pwc, f);
    }
    if (w->p.ntlb != NULL) {
        pwc_flush(w->p.ntlb, f);
    }
}
