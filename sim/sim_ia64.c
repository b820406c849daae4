/*
 * sim_ia64.c - the IA-64 platform of sim_ia64.h: memory callbacks (RAM,
 * ports, PAL ROM), the ELF64 EM_IA_64 loader, the start state, the glue
 * between the executor's hooks and the VT-i PAL model, cycle accounting
 * and the `exits` records of Virtualization faults.
 *
 * The memory map, start state, timing and exit rules are documented in
 * sim_ia64.h (the one place they are written).
 */
#include "sim_ia64.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isa/ia64_elf.h"
#include "sim_err.h"
#include "sim_machine.h"
#include "vti-model/vti.h"

const char *const sim_ia64_stop_name[] = {
    "running", "exited", "machine-check", "pal-undefined", "insn-limit"
};

/* The PAL ROM stub bundles (assembled by GNU as 2.40 for ia64 from the
 * .text.palrom section of workloads/ia64/platform/platform_tests.S):
 *   +0x100 { .mib nop.m 0; nop.i 0; br.ret.sptk.many b0 ;; }
 *   +0x110 { .mib nop.m 0; nop.i 0; rfi ;; } */
static const uint8_t sx_pal_ret[16] = {
    0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x80, 0x08, 0x00, 0x84, 0x00
};
static const uint8_t sx_pal_rfi[16] = {
    0x11, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00
};

/* ------------------------------------------------------------------ */
/* Config: [ia64]                                                      */
/* ------------------------------------------------------------------ */

const struct sim_cfg_key sim_ia64_cfg_keys[] = {
#define IA64_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_ia64_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "sim_ia64_cfg.def"
#undef IA64_CFG
    SIM_CFG_END
};

int sim_ia64_cfg_validate(struct sim_cfg *cfg, const char *section,
                          const void *loaded)
{
    const struct sim_ia64_cfg *c = loaded;

    if (c->ram % SIM_MEM_PAGE_SIZE != 0) {
        return sim_cfg_error(cfg, section, "ram",
                             "RAM size must be a multiple of 4 KiB");
    }
    if (c->image != NULL && c->image[0] != '\0') {
        FILE *f = fopen(c->image, "rb");

        if (f == NULL) {
            return sim_cfg_error(cfg, section, "image", "cannot open '%s': "
                                 "%s", c->image, strerror(errno));
        }
        fclose(f);
        if (!sim_ia64_is_image(c->image)) {
            return sim_cfg_error(cfg, section, "image", "'%s' is not an "
                                 "ELF64 little-endian IA-64 file "
                                 "(e_machine 50)", c->image);
        }
    }
    return 0;
}

/* The defaults of sim_ia64_cfg.def and vti_cfg.def (a test checks that
 * they agree with a config that sets nothing). */
void sim_ia64_params_default(struct sim_ia64_params *p)
{
    memset(p, 0, sizeof(*p));
    p->ram = 128ull << 20;
    p->slot_cycles = 1;
    vti_cfg_defaults(&p->vti);
}

void sim_ia64_params_from_machine(struct sim_ia64_params *p,
                                  const struct sim_machine_cfg *mc)
{
    sim_ia64_params_default(p);
    p->ram = mc->ia64.ram;
    p->max_insns = mc->ia64.max_insns;
    p->slot_cycles = mc->ia64.slot_cycles;
    p->vti = mc->vti;
    p->caches = true;
    p->l1i = mc->l1i;
    p->l1d = mc->l1d;
    p->l2 = mc->l2;
    p->llc = mc->llc;
    p->dram = mc->dram;
    p->seed = mc->wl.seed;
}

/* ------------------------------------------------------------------ */
/* Physical memory                                                     */
/* ------------------------------------------------------------------ */

/* Forward declaration: cycles are charged from the memory callbacks. */
static void si_charge(struct sim_ia64 *s, uint64_t cycles);

/* A data reference to RAM through L1D/L2/LLC/DRAM: the cycles beyond an
 * L1D hit (which slot_cycles covers) are charged.  Every RAM reference is
 * cacheable write-back (see "Approximations"). */
static void si_data_timing(struct sim_ia64 *s, uint64_t pa, bool write)
{
    uint8_t src;
    uint32_t lat;

    if (write) {
        s->st.stores++;
    } else {
        s->st.loads++;
    }
    if (s->dram == NULL) {
        return;
    }
    lat = cache_hier_access(&s->dh, pa, write, &src);
    if (lat > s->l1d_hit) {
        s->st.data_cycles += lat - s->l1d_hit;
        si_charge(s, lat - s->l1d_hit);
    }
}

static int si_read(void *ctx, uint64_t pa, void *buf, unsigned len)
{
    struct sim_ia64 *s = ctx;
    uint8_t *b = buf;
    unsigned i;

    pa &= ~(1ull << 63);
    if (pa + len <= s->prm.ram && pa + len >= pa) {
        sim_mem_read(s->mem, pa, buf, len);
        si_data_timing(s, pa, false);
        return 0;
    }
    if (pa >= SIM_IA64_CONSOLE && pa + len <= SIM_IA64_PORTS_END) {
        memset(buf, 0, len);
        return 0;
    }
    if (pa >= SIM_IA64_PAL_BASE &&
        pa + len <= SIM_IA64_PAL_BASE + SIM_IA64_PAL_SIZE) {
        for (i = 0; i < len; i++) {
            uint64_t a = pa + i;

            if (a >= SIM_IA64_PAL_RET && a < SIM_IA64_PAL_RET + 16) {
                b[i] = sx_pal_ret[a - SIM_IA64_PAL_RET];
            } else if (a >= SIM_IA64_PAL_RFI && a < SIM_IA64_PAL_RFI + 16) {
                b[i] = sx_pal_rfi[a - SIM_IA64_PAL_RFI];
            } else {
                b[i] = 0;
            }
        }
        return 0;
    }
    return -1;
}

static int si_write(void *ctx, uint64_t pa, const void *buf, unsigned len)
{
    struct sim_ia64 *s = ctx;
    const uint8_t *b = buf;

    pa &= ~(1ull << 63);
    if (pa + len <= s->prm.ram && pa + len >= pa) {
        if (sim_mem_write(s->mem, pa, buf, len) != 0) {
            return -1;
        }
        si_data_timing(s, pa, true);
        return 0;
    }
    if (pa == SIM_IA64_CONSOLE && len >= 1) {
        s->st.console_bytes++;
        if (s->serial != NULL) {
            fputc(b[0], s->serial);
        }
        return 0;
    }
    if (pa >= SIM_IA64_EXIT && pa + len <= SIM_IA64_PORTS_END) {
        uint64_t v = 0;
        unsigned i;

        for (i = len; i-- > 0;) {
            v = (v << 8) | b[i];
        }
        s->st.exit_status = v;
        s->exited = true;
        return 0;
    }
    if (pa >= SIM_IA64_CONSOLE && pa + len <= SIM_IA64_PORTS_END) {
        return 0;
    }
    if (pa >= SIM_IA64_PAL_BASE &&
        pa + len <= SIM_IA64_PAL_BASE + SIM_IA64_PAL_SIZE) {
        return 0;                       /* ROM: dropped */
    }
    return -1;
}

/* An instruction fetch (the executor reads the bundle once per slot):
 * RAM goes through L1I/L2/LLC/DRAM once per new fetch line, charging the
 * cycles beyond an L1I hit; the PAL ROM is not cached (its two stubs cost
 * their slots only). */
static int si_fetch(void *ctx, uint64_t pa, void *buf, unsigned len)
{
    struct sim_ia64 *s = ctx;
    uint64_t a = pa & ~(1ull << 63);

    if (a + len > s->prm.ram || a + len < a) {
        return si_read(ctx, pa, buf, len);
    }
    sim_mem_read(s->mem, a, buf, len);
    if (s->dram != NULL && (a >> s->fetch_shift) != s->last_fetch_line) {
        uint8_t src;
        uint32_t lat = cache_hier_access(&s->ih, a, false, &src);

        s->last_fetch_line = a >> s->fetch_shift;
        s->st.fetch_lines++;
        if (lat > s->l1i_hit) {
            s->st.ifetch_cycles += lat - s->l1i_hit;
            si_charge(s, lat - s->l1i_hit);
        }
    }
    return 0;
}

static const struct ia64_mem_ops si_mem_ops = { si_read, si_write };

/* ------------------------------------------------------------------ */
/* struct vti_cpu over struct ia64_cpu                                 */
/* ------------------------------------------------------------------ */

static uint64_t si_get_gr(void *ctx, unsigned n, bool *nat)
{
    struct sim_ia64 *s = ctx;
    uint64_t v = 0;
    bool nt = false;

    if (ia64_gr_get(&s->cpu, n, &v, &nt) != 0) {
        v = 0;
        nt = false;
    }
    if (nat != NULL) {
        *nat = nt;
    }
    return v;
}

static void si_set_gr(void *ctx, unsigned n, uint64_t v, bool nat)
{
    struct sim_ia64 *s = ctx;

    (void)ia64_gr_set(&s->cpu, n, v, nat);
}

static uint64_t si_get_br(void *ctx, unsigned n)
{
    return ((struct sim_ia64 *)ctx)->cpu.br[n & 7];
}

static void si_set_br(void *ctx, unsigned n, uint64_t v)
{
    ((struct sim_ia64 *)ctx)->cpu.br[n & 7] = v;
}

static uint64_t si_get_cr(void *ctx, unsigned n)
{
    return ((struct sim_ia64 *)ctx)->cpu.cr[n & 127];
}

static void si_set_cr(void *ctx, unsigned n, uint64_t v)
{
    ((struct sim_ia64 *)ctx)->cpu.cr[n & 127] = v;
}

static uint64_t si_get_psr(void *ctx)
{
    return ((struct sim_ia64 *)ctx)->cpu.psr;
}

static uint64_t si_get_cfm(void *ctx)
{
    return ((struct sim_ia64 *)ctx)->cpu.cfm & IA64_CFM_MASK;
}

/* Data translation for PAL's accesses (Vol. 2 4.1): with PSR.dt = 1 the
 * matching DTR, then DTC, of the region's RID; no rights check (firmware).
 * -1 when nothing maps `va`. */
static int si_xlate(const struct sim_ia64 *s, uint64_t va, uint64_t *pa,
                    uint64_t *page_end)
{
    const struct ia64_cpu *c = &s->cpu;
    const uint64_t m61 = (1ull << 61) - 1;
    uint32_t rid = (uint32_t)((c->rr[va >> 61] >> 8) & 0xffffff);
    unsigned side = IA64_TLB_D;
    unsigned pass;
    unsigned i;

    if (!(c->psr & IA64_PSR_DT)) {
        *pa = va & ~(1ull << 63);
        *page_end = (*pa | 0xfff) + 1;
        return 0;
    }
    for (pass = 0; pass < 2; pass++) {
        const struct ia64_tlb_entry *t = pass == 0 ? c->tr[side] : c->tc[side];
        unsigned n = pass == 0 ? IA64_NTR : IA64_NTC;

        for (i = 0; i < n; i++) {
            const struct ia64_tlb_entry *e = &t[i];
            uint64_t mask;

            if (!e->valid || !e->p || e->rid != rid || e->ps >= 61) {
                continue;
            }
            if (((va & m61) >> e->ps) != (e->vpn >> e->ps)) {
                continue;
            }
            mask = (1ull << e->ps) - 1;
            *pa = e->ppn | (va & mask);
            *page_end = (*pa | mask) + 1;
            return 0;
        }
    }
    return -1;
}

/* Copy through translation, page piece by page piece; reads and writes
 * must land in RAM (the VPD and the env buffer are RAM). */
static int si_copy(struct sim_ia64 *s, uint64_t va, void *rbuf,
                   const void *wbuf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        uint64_t pa;
        uint64_t end;
        size_t n;

        if (si_xlate(s, va + done, &pa, &end) != 0) {
            return -1;
        }
        n = len - done;
        if (end - pa < n) {
            n = (size_t)(end - pa);
        }
        if (pa + n > s->prm.ram || pa + n < pa) {
            return -1;
        }
        if (rbuf != NULL) {
            sim_mem_read(s->mem, pa, (uint8_t *)rbuf + done, n);
        }
        done += n;
    }
    if (wbuf != NULL) {
        done = 0;
        while (done < len) {
            uint64_t pa;
            uint64_t end;
            size_t n;

            (void)si_xlate(s, va + done, &pa, &end);
            n = len - done;
            if (end - pa < n) {
                n = (size_t)(end - pa);
            }
            if (sim_mem_write(s->mem, pa, (const uint8_t *)wbuf + done, n)
                != 0) {
                return -1;
            }
            done += n;
        }
    }
    return 0;
}

static int si_read_mem(void *ctx, uint64_t va, void *buf, size_t len)
{
    return si_copy(ctx, va, buf, NULL, len);
}

static int si_write_mem(void *ctx, uint64_t va, const void *buf, size_t len)
{
    return si_copy(ctx, va, NULL, buf, len);
}

/* Backing-store address n registers after addr, skipping NaT collection
 * slots (Vol. 2 6.1: every 64th doubleword) - the executor's rse_skip for
 * n >= 0. */
static uint64_t si_rse_skip(uint64_t addr, uint64_t n)
{
    uint64_t w = addr >> 3;
    uint64_t sl = w & 0x3f;

    if (sl == 0x3f) {
        w++;
        sl = 0;
    }
    w = w + n + (sl + n) / 63;
    return (w << 3) | (addr & 7);
}

/* The register-frame part of cover (Vol. 3 "cover"), for an accelerated
 * cover: the frame's registers become dirty, a new empty frame. */
static void si_cover(void *ctx)
{
    struct ia64_cpu *c = &((struct sim_ia64 *)ctx)->cpu;
    uint64_t sof = c->cfm & 0x7f;

    c->bof += sof;
    c->ar[IA64_AR_BSP] = si_rse_skip(c->ar[IA64_AR_BSP], sof);
    c->cfm = 0;
}

static void si_set_vm_env(void *ctx, bool cause, bool opcode, bool no_vmsw)
{
    struct ia64_cpu *c = &((struct sim_ia64 *)ctx)->cpu;

    c->vti_cause_handoff = cause;
    c->vti_opcode_handoff = opcode;
    c->vmsw_disabled = no_vmsw;
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

/* Every cycle the platform charges also advances AR.ITC (ratio 1, see
 * "Timing" in sim_ia64.h), on top of whatever the guest last wrote. */
static void si_charge(struct sim_ia64 *s, uint64_t cycles)
{
    s->st.cycles += cycles;
    s->cpu.ar[IA64_AR_ITC] += cycles;
}

/* The pal_call range: the ROM, or the hull of the ROM and the service
 * area once this LP is inside the virtual environment. */
static void si_pal_range(struct sim_ia64 *s)
{
    uint64_t lo = SIM_IA64_PAL_BASE;
    uint64_t hi = SIM_IA64_PAL_BASE + SIM_IA64_PAL_SIZE;
    uint64_t vsa = vti_pal_vsa_base(&s->pal);

    if (vsa != 0 && s->pal.in_env) {
        if (vsa < lo) {
            lo = vsa;
        }
        if (vsa + VTI_PAL_SVC_SPAN > hi) {
            hi = vsa + VTI_PAL_SVC_SPAN;
        }
    }
    s->cpu.pal_lo = lo;
    s->cpu.pal_hi = hi;
}

static void si_goto(struct ia64_cpu *c, uint64_t ip)
{
    c->ip = ip & ~0xfull;
    c->psr &= ~IA64_PSR_RI;
}

/* The guest resumed: close the open exit with the service's cost. */
static void si_exit_close(struct sim_ia64 *s, uint64_t entry_cycles)
{
    struct sim_exit_event *ev = &s->pend.ev;

    if (!s->pend.open) {
        return;
    }
    ev->handler_cycles = s->st.cycles - s->pend.handler_start;
    ev->entry_cost[SIM_EXIT_UCODE] = entry_cycles;
    ev->entry_cycles = entry_cycles;
    sim_trace_exit(s->trace, ev);
    s->pend.open = false;
}

static int si_pal_hook(void *ctx, struct ia64_cpu *c)
{
    struct sim_ia64 *s = ctx;
    struct vti_pal_outcome o;
    enum vti_pal_id id;

    if (c->ip == SIM_IA64_PAL_BASE) {
        s->st.pal_procs++;
        vti_pal_proc(&s->pal, &s->vcpu, &o);
        si_charge(s, o.cycles);
        si_pal_range(s);
        si_goto(c, SIM_IA64_PAL_RET);   /* br.ret b0 from the ROM */
        return 0;
    }
    if (!vti_pal_service_at(&s->pal, c->ip, &id)) {
        return 1;               /* ordinary code (or a ROM stub) */
    }
    s->st.pal_services++;
    vti_pal_service(&s->pal, &s->vcpu, id, &o);
    if (o.next == VTI_PAL_NEXT_RESUME) {
        si_exit_close(s, o.cycles);     /* the handler ends here */
    }
    si_charge(s, o.cycles);
    switch (o.next) {
    case VTI_PAL_NEXT_BRANCH:
        si_goto(c, o.target);
        break;
    case VTI_PAL_NEXT_RESUME:
        c->cr[IA64_CR_IPSR] = o.psr;
        c->cr[IA64_CR_IIP] = o.target;
        si_goto(c, SIM_IA64_PAL_RFI);   /* rfi from the ROM */
        break;
    case VTI_PAL_NEXT_RETURN:
    case VTI_PAL_NEXT_UNDEFINED:
    default:
        s->pal_undefined = true;
        s->pal_why = o.why != NULL ? o.why : "PAL service outcome";
        break;
    }
    si_pal_range(s);
    return 0;
}

static bool si_accel_hook(void *ctx, struct ia64_cpu *c, unsigned cause,
                          const struct ia64_insn *insn)
{
    struct sim_ia64 *s = ctx;

    (void)c;
    s->last_cause = cause;
    if (vti_vpd_accel(&s->pal, &s->vcpu, cause, insn) != VTI_ACCEL_NO) {
        si_charge(s, s->prm.vti.accel);
        return true;
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Construction                                                        */
/* ------------------------------------------------------------------ */

static int si_register_stats(struct sim_ia64 *s, struct sim_stats *st)
{
    const struct sim_stat_decl counters[] = {
        { "cycles", "cycles", "core cycles", &s->st.cycles },
        { "insns", "insns", "instruction slots completed", &s->st.insns },
        { "interruptions", "events", "interruptions delivered",
          &s->st.interruptions },
        { "virt_faults", "events", "Virtualization faults delivered "
          "(vector 0x6100)", &s->st.virt_faults },
        { "virt_accels", "insns", "virtualized instructions completed by "
          "a VPD acceleration", &s->st.virt_accels },
        { "virt_ext_ints", "events", "Virtual External Interrupts "
          "delivered (vector 0x3400)", &s->st.virt_ext_ints },
        { "vmsw", "insns", "vmsw that switched PSR.vm", &s->st.vmsw },
        { "pal_procs", "calls", "PAL procedure calls", &s->st.pal_procs },
        { "pal_services", "calls", "PAL virtualization service calls",
          &s->st.pal_services },
        { "console_bytes", "bytes", "bytes written to the console port",
          &s->st.console_bytes },
        { "exit_status", "", "value written to the exit port",
          &s->st.exit_status },
        { "fetch_lines", "accesses", "instruction fetches of a new line "
          "(L1I accesses)", &s->st.fetch_lines },
        { "loads", "accesses", "data reads of RAM (instructions and RSE "
          "fills)", &s->st.loads },
        { "stores", "accesses", "data writes of RAM (instructions and RSE "
          "spills)", &s->st.stores },
        { "ifetch_cycles", "cycles", "instruction-fetch cycles beyond an "
          "L1I hit", &s->st.ifetch_cycles },
        { "data_cycles", "cycles", "data-reference cycles beyond an L1D "
          "hit", &s->st.data_cycles },
    };
    static const char *const side[2] = { "cpu0.itlb", "cpu0.dtlb" };
    unsigned i;
    int rc;

    rc = sim_stat_counters(st, "cpu0", counters, SIM_ARRAY_SIZE(counters));
    rc |= sim_stat_ratio(st, "cpu0", "ipc", "insns/cycle",
                         "instruction slots per cycle", "insns", "cycles");
    for (i = 0; i < 2; i++) {
        const struct sim_stat_decl tlb[] = {
            { "hits", "lookups", "translations found in a TR or TC",
              &s->cpu.tlb_hits[i] },
            { "tr_hits", "lookups", "of which in a translation register",
              &s->cpu.tlb_tr_hits[i] },
            { "misses", "lookups", "translations not found: a TLB fault "
              "the guest handles (no walker timing)", &s->cpu.tlb_misses[i] },
        };

        rc |= sim_stat_counters(st, side[i], tlb, SIM_ARRAY_SIZE(tlb));
    }
    rc |= cache_hier_register_stats(st, "cpu0", s->l1i, s->l1d, s->l2,
                                    s->llc, s->dram);
    if (rc == 0) {
        rc = vti_pal_stats(&s->pal, st, "cpu0.vti");
    }
    return rc ? -SIM_EINVAL : 0;
}

/* The cache hierarchy of prm (nothing when prm.caches is false). */
static int si_build_caches(struct sim_ia64 *s)
{
    const struct sim_ia64_params *p = &s->prm;
    struct {
        struct cache **c;
        const struct cache_cfg *cfg;
        const char *name;
    } lv[4] = {
        { &s->l1i, &p->l1i, "cpu0.l1i" }, { &s->l1d, &p->l1d, "cpu0.l1d" },
        { &s->l2, &p->l2, "cpu0.l2" }, { &s->llc, &p->llc, "cpu0.llc" },
    };
    unsigned i;

    s->fetch_shift = 6;
    if (!p->caches) {
        return 0;
    }
    for (i = 0; i < 4; i++) {
        if (lv[i].cfg->enabled) {
            *lv[i].c = cache_new(lv[i].name, lv[i].cfg, p->seed + i);
            if (*lv[i].c == NULL) {
                return -SIM_ENOMEM;
            }
        }
    }
    s->dram = dram_new(&p->dram);
    if (s->dram == NULL) {
        return -SIM_ENOMEM;
    }
    s->l1i_hit = s->l1i != NULL ? (uint32_t)p->l1i.hit_latency : 0;
    s->l1d_hit = s->l1d != NULL ? (uint32_t)p->l1d.hit_latency : 0;
    s->ih.l1d = s->l1i;
    s->dh.l1d = s->l1d;
    s->ih.l2 = s->dh.l2 = s->l2;
    s->ih.llc = s->dh.llc = s->llc;
    s->ih.dram = s->dh.dram = s->dram;
    /* the fetch line: the line of the first level a fetch reaches */
    for (i = 0; i < 4; i++) {
        if (i != 1 && *lv[i].c != NULL) {
            uint64_t line = lv[i].cfg->line;

            s->fetch_shift = 0;
            while ((1ull << s->fetch_shift) < line) {
                s->fetch_shift++;
            }
            break;
        }
    }
    return 0;
}

int sim_ia64_new(struct sim_ia64 **out, const struct sim_ia64_params *p,
                 struct sim_stats *stats, const struct sim_trace *trace,
                 FILE *serial, char *err, size_t errlen)
{
    struct sim_ia64 *s;

    *out = NULL;
    if (p->ram < (1ull << 20) || p->ram % SIM_MEM_PAGE_SIZE != 0 ||
        p->ram > SIM_IA64_CONSOLE) {
        snprintf(err, errlen, "IA-64 RAM must be a multiple of 4 KiB "
                 "between 1 MiB and %#llx bytes",
                 (unsigned long long)SIM_IA64_CONSOLE);
        return -SIM_EINVAL;
    }
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->mem = sim_mem_new()) == NULL) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return -SIM_ENOMEM;
    }
    s->prm = *p;
    if (s->prm.slot_cycles == 0) {
        s->prm.slot_cycles = 1;
    }
    s->serial = serial;
    s->trace = trace;
    vti_pal_init(&s->pal, &s->prm.vti, NULL);
    s->vcpu.ctx = s;
    s->vcpu.get_gr = si_get_gr;
    s->vcpu.set_gr = si_set_gr;
    s->vcpu.get_br = si_get_br;
    s->vcpu.set_br = si_set_br;
    s->vcpu.get_cr = si_get_cr;
    s->vcpu.set_cr = si_set_cr;
    s->vcpu.get_psr = si_get_psr;
    s->vcpu.get_cfm = si_get_cfm;
    s->vcpu.read_mem = si_read_mem;
    s->vcpu.write_mem = si_write_mem;
    s->vcpu.cover = si_cover;
    s->vcpu.set_vm_env = si_set_vm_env;
    if (si_build_caches(s) != 0) {
        snprintf(err, errlen, "out of memory");
        sim_ia64_free(s);
        return -SIM_ENOMEM;
    }
    sim_ia64_reset(s, 0);
    if (stats != NULL && si_register_stats(s, stats) != 0) {
        snprintf(err, errlen, "cannot register the IA-64 statistics");
        sim_ia64_free(s);
        return -SIM_EINVAL;
    }
    *out = s;
    return 0;
}

void sim_ia64_free(struct sim_ia64 *s)
{
    if (s == NULL) {
        return;
    }
    cache_free(s->l1i);
    cache_free(s->l1d);
    cache_free(s->l2);
    cache_free(s->llc);
    dram_free(s->dram);
    sim_mem_free(s->mem);
    free(s);
}

void sim_ia64_reset(struct sim_ia64 *s, uint64_t entry)
{
    struct ia64_cpu *c = &s->cpu;
    struct ia64_tlb_entry id;
    uint64_t rse = s->prm.ram - SIM_IA64_RSE_AREA;

    ia64_cpu_init(c, &si_mem_ops, s, entry);
    c->psr = IA64_PSR_IT | IA64_PSR_DT | IA64_PSR_RT;
    memset(&id, 0, sizeof(id));
    id.vpn = 0;
    id.ppn = 0;
    id.rid = 0;
    id.ps = 32;
    id.p = 1;
    id.a = 1;
    id.d = 1;
    id.ma = 0;
    id.valid = 1;
    id.ar = 7;
    id.pl = 0;
    c->tr[IA64_TLB_I][0] = id;
    id.ar = 3;
    id.pl = 3;
    c->tr[IA64_TLB_D][0] = id;
    c->ar[IA64_AR_BSP] = rse;
    c->ar[IA64_AR_BSPSTORE] = rse;
    c->gr[12] = rse - 16;
    c->pal_call = si_pal_hook;
    c->pal_ctx = s;
    c->virt_accel = si_accel_hook;
    c->accel_ctx = s;
    c->itc_by_platform = true;
    c->ar[IA64_AR_ITC] = s->st.cycles;
    c->fetch = si_fetch;
    s->last_fetch_line = UINT64_MAX;
    si_pal_range(s);
}

/* ------------------------------------------------------------------ */
/* ELF64 EM_IA_64 loader                                               */
/* ------------------------------------------------------------------ */

static uint64_t le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n-- > 0) {
        v = (v << 8) | p[n];
    }
    return v;
}

bool sim_ia64_is_image_buf(const uint8_t *buf, size_t len)
{
    return len >= 64 && memcmp(buf, "\177ELF", 4) == 0 && buf[4] == 2 &&
           buf[5] == 1 && le(buf + 18, 2) == SIM_IA64_EM_IA_64;
}

bool sim_ia64_is_image(const char *path)
{
    uint8_t h[64];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        return false;
    }
    n = fread(h, 1, sizeof(h), f);
    fclose(f);
    return sim_ia64_is_image_buf(h, n);
}

int sim_ia64_load_buf(struct sim_ia64 *s, const uint8_t *f, size_t len,
                      const char *name, char *err, size_t errlen)
{
    uint64_t phoff;
    unsigned phentsize;
    unsigned phnum;
    unsigned i;

    memset(&s->image, 0, sizeof(s->image));
    if (len < 64 || memcmp(f, "\177ELF", 4) != 0) {
        snprintf(err, errlen, "%s: not an ELF file", name);
        return -SIM_EINVAL;
    }
    if (f[4] != 2 || f[5] != 1) {
        snprintf(err, errlen, "%s: not ELF64 little-endian (EI_CLASS %u, "
                 "EI_DATA %u)", name, f[4], f[5]);
        return -SIM_EINVAL;
    }
    if (le(f + 18, 2) != SIM_IA64_EM_IA_64) {
        snprintf(err, errlen, "%s: e_machine %u is not EM_IA_64 (50)", name,
                 (unsigned)le(f + 18, 2));
        return -SIM_EINVAL;
    }
    phoff = le(f + 32, 8);
    phentsize = (unsigned)le(f + 54, 2);
    phnum = (unsigned)le(f + 56, 2);
    if (phnum == 0 || phentsize < 56 || phoff > len ||
        (uint64_t)phentsize * phnum > len - phoff) {
        snprintf(err, errlen, "%s: bad program header table (e_phoff %llu, "
                 "%u entries of %u bytes)", name, (unsigned long long)phoff,
                 phnum, phentsize);
        return -SIM_EINVAL;
    }
    s->image.lo = UINT64_MAX;
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (uint64_t)i * phentsize;
        uint64_t off = le(ph + 8, 8);
        uint64_t pa = le(ph + 24, 8);
        uint64_t fsz = le(ph + 32, 8);
        uint64_t msz = le(ph + 40, 8);

        if (le(ph, 4) != 1) {
            continue;                   /* not PT_LOAD */
        }
        if (fsz > msz || off > len || fsz > len - off) {
            snprintf(err, errlen, "%s: segment %u lies outside the file or "
                     "has p_filesz > p_memsz", name, i);
            return -SIM_EINVAL;
        }
        if (pa > s->prm.ram || msz > s->prm.ram - pa) {
            snprintf(err, errlen, "%s: segment %u [%#llx, %#llx) is outside "
                     "RAM [0, %#llx)", name, i, (unsigned long long)pa,
                     (unsigned long long)(pa + msz),
                     (unsigned long long)s->prm.ram);
            return -SIM_EINVAL;
        }
        if (sim_mem_write(s->mem, pa, f + off, (size_t)fsz) != 0) {
            snprintf(err, errlen, "%s: out of memory", name);
            return -SIM_ENOMEM;
        }
        if (msz > fsz) {
            uint8_t zero[256];
            uint64_t a = pa + fsz;

            memset(zero, 0, sizeof(zero));
            while (a < pa + msz) {
                uint64_t n = pa + msz - a;

                if (n > sizeof(zero)) {
                    n = sizeof(zero);
                }
                if (sim_mem_write(s->mem, a, zero, (size_t)n) != 0) {
                    snprintf(err, errlen, "%s: out of memory", name);
                    return -SIM_ENOMEM;
                }
                a += n;
            }
        }
        if (pa < s->image.lo) {
            s->image.lo = pa;
        }
        if (pa + msz > s->image.hi) {
            s->image.hi = pa + msz;
        }
        s->image.segments++;
    }
    if (s->image.segments == 0) {
        snprintf(err, errlen, "%s: no PT_LOAD segment", name);
        return -SIM_EINVAL;
    }
    s->image.entry = le(f + 24, 8);
    if (s->image.entry % IA64_BUNDLE_BYTES != 0 ||
        s->image.entry >= s->prm.ram) {
        snprintf(err, errlen, "%s: entry point %#llx is not a bundle "
                 "address in RAM", name,
                 (unsigned long long)s->image.entry);
        return -SIM_EINVAL;
    }
    sim_ia64_reset(s, s->image.entry);
    return 0;
}

int sim_ia64_load(struct sim_ia64 *s, const char *path, char *err,
                  size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    if (ia64_elf_read_file(path, &buf, &len, err, errlen) != 0) {
        return -SIM_EIO;
    }
    rc = sim_ia64_load_buf(s, buf, len, path, err, errlen);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Execution                                                           */
/* ------------------------------------------------------------------ */

/* A world switch from the guest to the VMM was delivered: open its exit
 * record and charge its delivery (`ucode`) + drain. */
static void si_exit_open(struct sim_ia64 *s, uint64_t guest_ip,
                         unsigned reason, const char *name, uint64_t qual,
                         uint64_t ucode)
{
    struct sim_exit_event *ev = &s->pend.ev;
    const struct vti_cfg *v = &s->prm.vti;

    if (s->pend.open) {
        si_exit_close(s, 0);            /* never resumed through PAL */
    }
    memset(ev, 0, sizeof(*ev));
    ev->seq = s->exit_seq++;
    ev->cycle = s->st.cycles;
    ev->arch = "vti";
    ev->reason = reason;
    ev->reason_name = name;
    ev->qual = qual;
    ev->guest_rip = guest_ip;
    ev->exit_cost[SIM_EXIT_DRAIN] = v->drain;
    ev->exit_cost[SIM_EXIT_UCODE] = ucode;
    ev->exit_cycles = v->drain + ucode;
    si_charge(s, ev->exit_cycles);
    s->pend.handler_start = s->st.cycles;
    s->pend.open = true;
}

/* A Virtualization fault was delivered by the last step: an exit with
 * its cause, sent where PAL says (the VP's opt_handler or IVA + 0x6100). */
static void si_virt_fault(struct sim_ia64 *s, uint64_t guest_ip)
{
    uint64_t target;

    si_exit_open(s, guest_ip, s->last_cause, vti_cause_name(s->last_cause),
                 s->cpu.cr[IA64_CR_ISR], s->prm.vti.fault);
    if (vti_pal_intercept_target(&s->pal, s->cpu.cr[IA64_CR_IVA],
                                 &target)) {
        si_goto(&s->cpu, target);
    }
}

/* Before each slot the guest runs (PSR.vm = 1): a vhpi posted by the VMM
 * that the virtual processor does not mask (vpsr.i, vTPR: see
 * vti_pal_virq_pending) raises a Virtual External Interrupt, an
 * interruption to the host IVT at IVA + 0x3400 [C1; IA64-SDM 2:187] that
 * collects the guest's IIP/IPSR (PSR.vm = 1, ri = the slot not yet run)
 * as any interruption does and leaves PSR.vm = 0.  No GR24/GR25 hand-off:
 * the VMM reads vhpi from the VPD.  The `exits` row has reason 0 (no
 * cause code), reason_name VIRT_EXTERNAL_INT and qual = vhpi. */
static bool si_virq(struct sim_ia64 *s)
{
    struct ia64_cpu *c = &s->cpu;
    uint64_t ip = c->ip;

    if (!(c->psr & IA64_PSR_VM) || !vti_pal_virq_pending(&s->pal)) {
        return false;
    }
    ia64_interrupt(c, IA64_VEC_VIRT_EXTERNAL_INT, 0, false, 0);
    s->st.interruptions++;
    s->st.virt_ext_ints++;
    si_exit_open(s, ip, 0, ia64_vector_name(IA64_VEC_VIRT_EXTERNAL_INT),
                 s->pal.held.vhpi, s->prm.vti.virq);
    return true;
}

unsigned sim_ia64_run(struct sim_ia64 *s, uint64_t budget)
{
    struct ia64_cpu *c = &s->cpu;
    uint64_t n;

    for (n = 0; n < budget; n++) {
        uint64_t vf = c->virt_faults;
        uint64_t va = c->virt_accels;
        uint64_t in = c->insns;
        uint64_t it = c->interruptions;
        uint64_t vmsw = c->op_count[IA64_OP_VMSW_0] +
                        c->op_count[IA64_OP_VMSW_1];
        uint64_t ip = c->ip;
        uint64_t psr = c->psr;
        enum ia64_stop st;

        if (s->prm.max_insns != 0 && s->st.insns >= s->prm.max_insns) {
            return SIM_IA64_LIMIT;
        }
        if (si_virq(s)) {
            ip = c->ip;         /* the VMM's first slot runs next */
            psr = c->psr;
        }
        st = ia64_step(c);
        s->st.insns += c->insns - in;
        si_charge(s, (c->insns - in) * s->prm.slot_cycles);
        s->st.interruptions += c->interruptions - it;
        s->st.virt_accels += c->virt_accels - va;
        if (c->virt_faults != vf) {
            s->st.virt_faults += c->virt_faults - vf;
            si_virt_fault(s, ip);
        } else if (c->interruptions == it &&
                   c->op_count[IA64_OP_VMSW_0] +
                   c->op_count[IA64_OP_VMSW_1] != vmsw &&
                   ((c->psr ^ psr) & IA64_PSR_VM)) {
            s->st.vmsw++;
            si_charge(s, s->prm.vti.vmsw);
        }
        if (s->exited) {
            return SIM_IA64_EXITED;
        }
        if (s->pal_undefined) {
            return SIM_IA64_PAL_UNDEFINED;
        }
        if (st != IA64_STOP_NONE) {
            return SIM_IA64_MCHECK;
        }
    }
    return SIM_IA64_RUNNING;
}

void sim_ia64_finish(struct sim_ia64 *s)
{
    if (s != NULL) {
        si_exit_close(s, 0);
    }
}
