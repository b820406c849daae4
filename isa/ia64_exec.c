/*
 * ia64_exec.c - functional execution of the IA-64 subset that system
 * code needs, one instruction slot per ia64_step(), with interruption
 * delivery through the IVT, virtual addressing through region registers
 * and a software-managed TLB, the register stack, and the VT-i processor
 * side (PSR.vm, virtualization faults, vmsw).
 *
 * Follows the Intel Itanium Architecture SDM rev 2.3 (May 2010):
 *   Vol. 1 3.1 (register state), 4.4-4.5 (integer, compare, branch
 *   semantics), 6.1 (register stack);
 *   Vol. 2 3.3 (system state), 4.1 (virtual addressing, TLB, access
 *   rights), 5 (interruptions), 6 (RSE);
 *   Vol. 3 chapter 2, each instruction's "Operation" and
 *   "Interruptions" lists;
 *   hw-virt-facts.md section C for VT-i (keys [LX-vti], [LX-ivt],
 *   [IA64-SDM], [XEN-vsa]).
 * Decoding is isa/ia64_decode.c; the op list is isa/ia64_ops.def and the
 * virtualization cause of each op its `vf` column.
 *
 * Approximations (documented, deliberate):
 *   - No VHPT walker: a TLB miss raises Alternate Instruction/Data TLB
 *     fault (0x0c00/0x1000) when the walker is disabled (PTA.ve = 0 or
 *     RR.ve = 0), and Instruction/Data TLB fault (0x0400/0x0800) when it
 *     is enabled, as if the walk had failed (the architecture lets the
 *     walker give up at any time).  A data miss with PSR.ic = 0 raises
 *     Data Nested TLB (0x1400).  thash computes the short-format hash of
 *     Vol. 2 4.1.5; the long-format hash and ttag are our own
 *     implementation-specific functions (documented at thash_long()).
 *   - Protection keys are stored (PKR, ITIR.key, tak) but not checked;
 *     debug breakpoints, performance counters, single-step and taken-
 *     branch traps, the ALAT, floating point and IA-32 are not modelled.
 *     External interrupts are delivered only if a platform model calls
 *     ia64_interrupt(); CR.IVR reads 15 (spurious), EOI is ignored; the
 *     ITC counts ia64_step() calls unless the platform sets
 *     itc_by_platform and advances it itself (sim_ia64.c: by the cycles
 *     it charges).
 *   - Register stack: the physical stacked registers are a ring of
 *     IA64_RSE_PHYS registers.  The RSE works only when it must
 *     (mandatory spills when a frame would not fit, mandatory fills on
 *     br.ret/rfi, flushrs, loadrs); there are no eager spills or fills,
 *     whatever AR.RSC.mode says.  Spills and fills go through the data
 *     translation of PSR.rt with privilege AR.RSC.pl, little endian;
 *     a fault during them is delivered with ISR.rs = 1 on the
 *     instruction that needed them, which restarts cleanly because each
 *     completed spill/fill has moved BSPSTORE.  Rotation: rrb.gr is
 *     applied, rrb.pr and rrb.fr are kept in CFM but not applied
 *     (modulo-scheduled loop branches are outside the subset).
 *   - Unaligned data references always fault (0x5a00); the unaligned
 *     check precedes translation.  PSR.ri = 3 or slot 2 of an MLX bundle
 *     raises Illegal Operation.
 *   - Outside the subset (Illegal Operation fault, counted in
 *     unimpl_count[op]): every IA64_OP_UNKNOWN / IA64_OP_ILLEGAL slot,
 *     br.ia, br.wexit, br.wtop, br.cexit, br.ctop, epc.
 *   - Facts not re-read in the SDM, taken from the sources named at the
 *     use: PSR after an interruption keeps up, mfl, mfh, pk, dt, rt, mc,
 *     it and takes be/pp from DCR [XEN-vsa vmx_interrupt.c
 *     collect_interruption, "SDM vol2 5.5"]; General Exception
 *     ISR.code{7:4} values [linux traps.c]; Unimplemented Data Address
 *     is delivered as a General Exception with code 3<<4 and Register
 *     NaT Consumption with ISR.code 1 (recalled, unverified); the page
 *     access-rights table (Vol. 2 4.1.6, recalled).
 *   - PSR.vm = 1: the virtualized AR accesses are those of AR.ITC (read
 *     and write); every other instruction with a cause code in
 *     ia64_ops.def faults unconditionally (after the Illegal Operation
 *     and Privileged Operation checks).  hw-virt-facts C2 marks the
 *     privileged/non-privileged split as partially verified.
 */
#include "ia64_cpu.h"

#include <string.h>

#include "vti-model/vti.h"

_Static_assert(IA64_RSE_PHYS >= 2 * 96 + 64, "ring must hold two frames");

enum xres { X_NEXT = 0, X_BRANCH, X_FAULT, X_STOP };

/* Access kinds of a translation. */
#define ACC_R   1u
#define ACC_W   2u
#define ACC_X   4u
#define ACC_NA  8u      /* non-access (tpa, probe): ISR.na */
#define ACC_RSE 16u     /* register stack engine: ISR.rs */

#define VA_MASK61 ((UINT64_C(1) << 61) - 1)

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static inline unsigned cfm_sof(uint64_t c) { return (unsigned)(c & 0x7f); }
static inline unsigned cfm_sol(uint64_t c)
{
    return (unsigned)((c >> 7) & 0x7f);
}
static inline unsigned cfm_sor(uint64_t c)
{
    return (unsigned)((c >> 14) & 0xf) * 8;
}
static inline unsigned cfm_rrb_gr(uint64_t c)
{
    return (unsigned)((c >> 18) & 0x7f);
}
static inline unsigned psr_cpl(const struct ia64_cpu *c)
{
    return (unsigned)((c->psr >> IA64_PSR_CPL_SHIFT) & 3);
}
static inline unsigned psr_ri(const struct ia64_cpu *c)
{
    return (unsigned)((c->psr >> IA64_PSR_RI_SHIFT) & 3);
}

/* A frame marker from guest data (AR.PFS, CR.IFS) made safe to use:
 * sof <= 96, sol <= sof, sor <= sof (Vol. 1 3.1.7 limits). */
static uint64_t cfm_sanitize(uint64_t c)
{
    unsigned sof = cfm_sof(c);
    unsigned sol = cfm_sol(c);
    unsigned sor8 = (unsigned)((c >> 14) & 0xf);

    if (sof > 96) {
        sof = 96;
    }
    if (sol > sof) {
        sol = sof;
    }
    if (sor8 * 8 > sof) {
        sor8 = sof / 8;
    }
    return (c & (IA64_CFM_MASK & ~UINT64_C(0x3ffff))) | sof |
           ((uint64_t)sol << 7) | ((uint64_t)sor8 << 14);
}

static inline uint64_t sext(uint64_t v, unsigned bits)
{
    uint64_t sign = UINT64_C(1) << (bits - 1);

    v &= (bits >= 64) ? ~UINT64_C(0) : ((sign << 1) - 1);
    return (v ^ sign) - sign;
}

/* Arithmetic shift right without implementation-defined behaviour. */
static inline uint64_t sar(uint64_t v, unsigned n)
{
    uint64_t fill = (v >> 63) ? ~UINT64_C(0) : 0;

    if (n >= 64) {
        return fill;
    }
    if (n == 0) {
        return v;
    }
    return (v >> n) | (fill << (64 - n));
}

static inline uint64_t field_mask(unsigned pos, unsigned len)
{
    uint64_t m;

    if (pos >= 64) {
        return 0;
    }
    m = len >= 64 ? ~UINT64_C(0) : ((UINT64_C(1) << len) - 1);
    return m << pos;
}

static uint64_t bswap(uint64_t v, unsigned size)
{
    uint64_t r = 0;
    unsigned i;

    for (i = 0; i < size; i++) {
        r = (r << 8) | ((v >> (8 * i)) & 0xff);
    }
    return r;
}

/* ------------------------------------------------------------------ */
/* Register access                                                     */
/* ------------------------------------------------------------------ */

/* Ring index of stacked register r (32..127), or -1 outside the frame.
 * Rotation by rrb.gr inside the rotating region (Vol. 1 4.5.1). */
static int stk_index(const struct ia64_cpu *c, unsigned r)
{
    unsigned sof = cfm_sof(c->cfm);
    unsigned sor = cfm_sor(c->cfm);
    unsigned k = r - 32;

    if (k >= sof) {
        return -1;
    }
    if (k < sor) {
        k = (k + cfm_rrb_gr(c->cfm)) % sor;
    }
    return (int)((c->bof + k) % IA64_RSE_PHYS);
}

int ia64_gr_get(const struct ia64_cpu *c, unsigned r, uint64_t *val,
                bool *nat)
{
    int i;

    r &= 127;
    if (r < 32) {
        *val = r == 0 ? 0 : c->gr[r];
        *nat = r == 0 ? false : c->nat[r] != 0;
        return 0;
    }
    i = stk_index(c, r);
    if (i < 0) {
        return -1;
    }
    *val = c->stk[i];
    *nat = c->stk_nat[i] != 0;
    return 0;
}

int ia64_gr_set(struct ia64_cpu *c, unsigned r, uint64_t val, bool nat)
{
    int i;

    r &= 127;
    if (r == 0) {
        return -1;
    }
    if (r < 32) {
        c->gr[r] = val;
        c->nat[r] = nat;
        return 0;
    }
    i = stk_index(c, r);
    if (i < 0) {
        return -1;
    }
    c->stk[i] = val;
    c->stk_nat[i] = nat;
    return 0;
}

static bool gr_writable(const struct ia64_cpu *c, unsigned r)
{
    r &= 127;
    return r != 0 && (r < 32 || r - 32 < cfm_sof(c->cfm));
}

uint64_t ia64_gr_bank_get(const struct ia64_cpu *c, unsigned bank,
                          unsigned r)
{
    unsigned cur = (c->psr & IA64_PSR_BN) ? 1 : 0;

    if (r < 16 || r > 31) {
        return 0;
    }
    return (bank & 1) == cur ? c->gr[r] : c->bank[r - 16];
}

void ia64_gr_bank_set(struct ia64_cpu *c, unsigned bank, unsigned r,
                      uint64_t val)
{
    unsigned cur = (c->psr & IA64_PSR_BN) ? 1 : 0;

    if (r < 16 || r > 31) {
        return;
    }
    if ((bank & 1) == cur) {
        c->gr[r] = val;
    } else {
        c->bank[r - 16] = val;
    }
}

/* Write PSR, swapping GR16-31 when PSR.bn changes (Vol. 2 3.3.7
 * "Banked General Registers"). */
static void set_psr(struct ia64_cpu *c, uint64_t v)
{
    if (!c->vm_implemented) {
        v &= ~IA64_PSR_VM;
    }
    if ((v ^ c->psr) & IA64_PSR_BN) {
        unsigned i;

        for (i = 0; i < 16; i++) {
            uint64_t t = c->gr[16 + i];
            uint8_t n = c->nat[16 + i];

            c->gr[16 + i] = c->bank[i];
            c->nat[16 + i] = c->bank_nat[i];
            c->bank[i] = t;
            c->bank_nat[i] = n;
        }
    }
    c->psr = v;
}

bool ia64_pr_get(const struct ia64_cpu *c, unsigned p)
{
    p &= 63;
    return p == 0 || ((c->pr >> p) & 1);
}

static void pr_set(struct ia64_cpu *c, unsigned p, bool v)
{
    p &= 63;
    if (p == 0) {
        return;
    }
    if (v) {
        c->pr |= UINT64_C(1) << p;
    } else {
        c->pr &= ~(UINT64_C(1) << p);
    }
}

/* ------------------------------------------------------------------ */
/* Interruptions (Vol. 2 chapter 5)                                    */
/* ------------------------------------------------------------------ */

const char *ia64_vector_name(uint32_t vector)
{
    switch (vector) {
#define IA64_VECTOR_CASE(n, off) case (off): return #n;
    IA64_VECTOR_LIST(IA64_VECTOR_CASE)
#undef IA64_VECTOR_CASE
    default:
        return NULL;
    }
}

/* PSR bits an interruption leaves unchanged (all others are cleared,
 * then be/pp come from DCR): up, mfl, mfh, pk, dt, rt, mc, it, the mask
 * 0x1808028034 of [XEN-vsa] vmx_interrupt.c (citing SDM Vol. 2 5.5). */
#define PSR_KEPT_ON_INTERRUPT UINT64_C(0x0000001808028034)
#define DCR_PP (UINT64_C(1) << 0)
#define DCR_BE (UINT64_C(1) << 1)

void ia64_interrupt(struct ia64_cpu *c, uint32_t vector, uint64_t isr,
                    bool has_ifa, uint64_t ifa)
{
    uint64_t npsr;

    isr &= ~(UINT64_C(3) << IA64_ISR_EI_SHIFT);
    isr |= (uint64_t)psr_ri(c) << IA64_ISR_EI_SHIFT;
    if (c->psr & IA64_PSR_IC) {
        /* Interruption collection (Vol. 2 5.5): IPSR, IIP, IIPA, IFS.v,
         * IFA for the faults that define it. */
        c->cr[IA64_CR_IPSR] = c->psr;
        c->cr[IA64_CR_IIP] = c->ip;
        c->cr[IA64_CR_IIPA] = c->iipa_next;
        c->cr[IA64_CR_IFS] &= ~IA64_IFS_V;
        if (has_ifa) {
            c->cr[IA64_CR_IFA] = ifa;
        }
    } else {
        isr |= IA64_ISR_NI;
    }
    c->cr[IA64_CR_ISR] = isr;
    npsr = c->psr & PSR_KEPT_ON_INTERRUPT;
    if (c->cr[IA64_CR_DCR] & DCR_BE) {
        npsr |= IA64_PSR_BE;
    }
    if (c->cr[IA64_CR_DCR] & DCR_PP) {
        npsr |= IA64_PSR_PP;
    }
    set_psr(c, npsr);           /* cpl 0, bank 0, vm 0, ri 0, ic 0, i 0 */
    c->ip = (c->cr[IA64_CR_IVA] & ~UINT64_C(0x7fff)) + vector;
    c->interruptions++;
    c->last_vector = vector;
}

static int fault(struct ia64_cpu *c, uint32_t vector, uint64_t isr)
{
    ia64_interrupt(c, vector, isr, false, 0);
    return X_FAULT;
}

static int fault_ge(struct ia64_cpu *c, uint64_t code)
{
    return fault(c, IA64_VEC_GENERAL_EXCEPTION, code);
}

static int illegal(struct ia64_cpu *c)
{
    return fault_ge(c, IA64_GE_ILLEGAL_OP);
}

static int reserved_field(struct ia64_cpu *c)
{
    return fault_ge(c, IA64_GE_RESERVED_REG);
}

/* Register NaT Consumption (0x5600); ISR.code 1 (recalled). */
static int nat_fault(struct ia64_cpu *c, uint64_t acc)
{
    return fault(c, IA64_VEC_NAT_CONSUMPTION, UINT64_C(1) | acc);
}

/* ------------------------------------------------------------------ */
/* Translation (Vol. 2 4.1)                                            */
/* ------------------------------------------------------------------ */

/* Implemented virtual address: bits 60:msb+1 equal bit msb, where msb is
 * IMPL_VA_MSB, one less under PSR.vm = 1 (hw-virt-facts C1: the
 * uppermost implemented bit is unavailable to the guest). */
static bool va_implemented(const struct ia64_cpu *c, uint64_t va)
{
    unsigned msb = c->impl_va_msb;
    uint64_t upper;

    if (c->psr & IA64_PSR_VM) {
        msb--;
    }
    upper = (va & VA_MASK61) >> msb;
    return upper == 0 || upper == ((UINT64_C(1) << (61 - msb)) - 1);
}

static bool pa_implemented(const struct ia64_cpu *c, uint64_t pa)
{
    /* bit 63 is the uncacheable attribute; 62:IMPL_PA_MSB+1 must be 0 */
    return ((pa & ~(UINT64_C(1) << 63)) >> (c->impl_pa_msb + 1)) == 0;
}

static inline uint32_t rr_rid(uint64_t rr)
{
    return (uint32_t)((rr >> 8) & 0xffffff);
}
static inline unsigned rr_ps(uint64_t rr)
{
    return (unsigned)((rr >> 2) & 0x3f);
}

static bool tlb_match(const struct ia64_tlb_entry *e, uint64_t va,
                      uint32_t rid)
{
    return e->valid && e->rid == rid &&
           ((va & VA_MASK61) >> e->ps) == (e->vpn >> e->ps);
}

static struct ia64_tlb_entry *tlb_lookup(struct ia64_cpu *c, unsigned side,
                                         uint64_t va)
{
    uint32_t rid = rr_rid(c->rr[va >> 61]);
    unsigned i;

    for (i = 0; i < IA64_NTR; i++) {
        if (tlb_match(&c->tr[side][i], va, rid)) {
            return &c->tr[side][i];
        }
    }
    for (i = 0; i < IA64_NTC; i++) {
        if (tlb_match(&c->tc[side][i], va, rid)) {
            return &c->tc[side][i];
        }
    }
    return NULL;
}

/* Does e overlap [va, va + 2^ps) in region rid? */
static bool tlb_overlap(const struct ia64_tlb_entry *e, uint64_t va,
                        unsigned ps, uint32_t rid)
{
    uint64_t a0;
    uint64_t a1;
    uint64_t b0;
    uint64_t b1;

    if (!e->valid || e->rid != rid) {
        return false;
    }
    a0 = e->vpn;
    a1 = a0 + ((UINT64_C(1) << e->ps) - 1);
    b0 = (va & VA_MASK61) & ~((UINT64_C(1) << ps) - 1);
    b1 = b0 + ((UINT64_C(1) << ps) - 1);
    return a0 <= b1 && b0 <= a1;
}

static void tc_purge(struct ia64_cpu *c, unsigned side, uint64_t va,
                     unsigned ps, uint32_t rid)
{
    unsigned i;

    for (i = 0; i < IA64_NTC; i++) {
        if (tlb_overlap(&c->tc[side][i], va, ps, rid)) {
            c->tc[side][i].valid = 0;
        }
    }
}

/* Page sizes the TLB accepts (Itanium 2 insertable sizes: 4K-256M in the
 * usual steps plus 1G and 4G; PAL_VM_PAGE_SIZE, recalled). */
static bool ps_supported(unsigned ps)
{
    static const uint64_t ok =
        (UINT64_C(1) << 12) | (UINT64_C(1) << 13) | (UINT64_C(1) << 14) |
        (UINT64_C(1) << 16) | (UINT64_C(1) << 18) | (UINT64_C(1) << 20) |
        (UINT64_C(1) << 22) | (UINT64_C(1) << 24) | (UINT64_C(1) << 26) |
        (UINT64_C(1) << 28) | (UINT64_C(1) << 30) | (UINT64_C(1) << 32);

    return ps < 64 && ((ok >> ps) & 1);
}

/* Build an entry from an insertion (Vol. 2 4.1.1.5: IFA, ITIR, the
 * PTE in GR r2, RID from the region register of IFA). */
static void tlb_make(struct ia64_cpu *c, struct ia64_tlb_entry *e,
                     uint64_t pte)
{
    uint64_t ifa = c->cr[IA64_CR_IFA];
    uint64_t itir = c->cr[IA64_CR_ITIR];
    unsigned ps = (unsigned)((itir >> 2) & 0x3f);

    memset(e, 0, sizeof(*e));
    e->ps = (uint8_t)ps;
    e->vpn = (ifa & VA_MASK61) & ~((UINT64_C(1) << ps) - 1);
    e->ppn = (pte & (((UINT64_C(1) << 50) - 1))) &
             ~((UINT64_C(1) << ps) - 1) & ~UINT64_C(0xfff);
    e->rid = rr_rid(c->rr[ifa >> 61]);
    e->key = (uint32_t)((itir >> 8) & 0xffffff);
    e->p = (uint8_t)(pte & 1);
    e->ma = (uint8_t)((pte >> 2) & 7);
    e->a = (uint8_t)((pte >> 5) & 1);
    e->d = (uint8_t)((pte >> 6) & 1);
    e->pl = (uint8_t)((pte >> 7) & 3);
    e->ar = (uint8_t)((pte >> 9) & 7);
    e->ed = (uint8_t)((pte >> 52) & 1);
    e->valid = 1;
}

/* Rights (ACC_R|W|X) at privilege cpl for a page with ar/pl (Vol. 2
 * 4.1.6 "Page Access Rights" table, recalled): ar 0-3 give R, RX, RW,
 * RWX when cpl <= pl; ar 4-6 give R/RW, RX/RWX, RWX/RW (at pl / more
 * privileged); ar 7 is execute-only (XP0 above pl) and RX at PL0. */
static unsigned page_rights(unsigned ar, unsigned pl, unsigned cpl)
{
    static const uint8_t at_pl[7] = {
        ACC_R, ACC_R | ACC_X, ACC_R | ACC_W, ACC_R | ACC_W | ACC_X,
        ACC_R, ACC_R | ACC_X, ACC_R | ACC_W | ACC_X
    };
    static const uint8_t above[7] = {
        ACC_R, ACC_R | ACC_X, ACC_R | ACC_W, ACC_R | ACC_W | ACC_X,
        ACC_R | ACC_W, ACC_R | ACC_W | ACC_X, ACC_R | ACC_W
    };

    if (ar == 7) {
        return cpl == 0 ? (ACC_R | ACC_X) : ACC_X;
    }
    if (cpl > pl) {
        return 0;
    }
    return cpl == pl ? at_pl[ar] : above[ar];
}

/* Short-format VHPT hash (Vol. 2 4.1.5.3 / thash): region bits of va,
 * PTA.base above PTA.size, ((va >> RR.ps) << 3) below it. */
static uint64_t thash_short(const struct ia64_cpu *c, uint64_t va)
{
    uint64_t pta = c->cr[IA64_CR_PTA];
    unsigned size = (unsigned)((pta >> 2) & 0x3f);
    unsigned ps = rr_ps(c->rr[va >> 61]);
    uint64_t mask;
    uint64_t idx;
    uint64_t base;

    if (size < 15) {
        size = 15;
    }
    if (size > 61) {
        size = 61;
    }
    mask = (UINT64_C(1) << size) - 1;
    idx = ps < 64 ? ((va & VA_MASK61) >> ps) << 3 : 0;
    base = pta & VA_MASK61 & ~UINT64_C(0x7fff);
    return (va & ~VA_MASK61) | (((base & ~mask) | (idx & mask)) & VA_MASK61);
}

/* Long-format hash and tag: implementation specific (Vol. 2 4.1.5.4);
 * ours: 32-byte entries indexed by (vpn ^ rid), tag = vpn ^ (rid << 39)
 * with ti (bit 63) clear. */
static uint64_t thash_long(const struct ia64_cpu *c, uint64_t va)
{
    uint64_t pta = c->cr[IA64_CR_PTA];
    unsigned size = (unsigned)((pta >> 2) & 0x3f);
    unsigned ps = rr_ps(c->rr[va >> 61]);
    uint64_t vpn = ps < 64 ? (va & VA_MASK61) >> ps : 0;
    uint64_t mask;

    if (size < 15) {
        size = 15;
    }
    if (size > 61) {
        size = 61;
    }
    mask = (UINT64_C(1) << size) - 1;
    return (pta & ~mask & ~UINT64_C(0x7fff)) |
           (((vpn ^ rr_rid(c->rr[va >> 61])) << 5) & mask);
}

static uint64_t ttag_of(const struct ia64_cpu *c, uint64_t va)
{
    unsigned ps = rr_ps(c->rr[va >> 61]);
    uint64_t vpn = ps < 64 ? (va & VA_MASK61) >> ps : 0;

    return (vpn ^ ((uint64_t)rr_rid(c->rr[va >> 61]) << 39)) &
           ~(UINT64_C(1) << 63);
}

static uint64_t thash_of(const struct ia64_cpu *c, uint64_t va)
{
    return (c->cr[IA64_CR_PTA] & (UINT64_C(1) << 8)) ? thash_long(c, va)
                                                     : thash_short(c, va);
}

static uint64_t isr_access(unsigned acc)
{
    uint64_t isr = 0;

    if (acc & ACC_X) {
        isr |= IA64_ISR_X;
    }
    if (acc & ACC_W) {
        isr |= IA64_ISR_W;
    }
    if (acc & ACC_R) {
        isr |= IA64_ISR_R;
    }
    if (acc & ACC_NA) {
        isr |= IA64_ISR_NA;
    }
    if (acc & ACC_RSE) {
        isr |= IA64_ISR_RS;
    }
    return isr;
}

/* A translation fault with IFA (and ITIR/IHA for TLB faults) written
 * when PSR.ic = 1 (Vol. 2 5.5). */
static int xlate_fault(struct ia64_cpu *c, uint32_t vec, uint64_t va,
                       unsigned acc, const struct ia64_tlb_entry *e)
{
    if (c->psr & IA64_PSR_IC) {
        uint64_t rr = c->rr[va >> 61];

        c->cr[IA64_CR_ITIR] = e ? (((uint64_t)e->ps << 2) |
                                   ((uint64_t)e->key << 8))
                                : ((rr & 0xfc) | ((uint64_t)rr_rid(rr) << 8));
        c->cr[IA64_CR_IHA] = thash_of(c, va);
    }
    ia64_interrupt(c, vec, isr_access(acc), true, va);
    return X_FAULT;
}

/* Unimplemented address: Unimplemented Instruction Address (delivered
 * as Lower-Privilege Transfer trap, ISR.code.ui) or Unimplemented Data
 * Address (General Exception, see the file header). */
static int unimpl_addr(struct ia64_cpu *c, uint64_t va, unsigned acc)
{
    if (acc & ACC_X) {
        ia64_interrupt(c, IA64_VEC_LOWER_PRIV_TRANSFER, UINT64_C(0x10),
                       false, 0);
        return X_FAULT;
    }
    ia64_interrupt(c, IA64_VEC_GENERAL_EXCEPTION,
                   IA64_GE_RESERVED_REG | isr_access(acc), true, va);
    return X_FAULT;
}

/* Translate va for access `acc` at privilege `pl`.  `virt` selects
 * translation (PSR.it / dt / rt).  X_NEXT with *pa, or X_FAULT. */
static int xlate(struct ia64_cpu *c, uint64_t va, unsigned acc, unsigned pl,
                 bool virt, uint64_t *pa)
{
    unsigned side = (acc & ACC_X) ? IA64_TLB_I : IA64_TLB_D;
    struct ia64_tlb_entry *e;
    uint64_t rr;

    if (!virt) {
        if (!pa_implemented(c, va)) {
            return unimpl_addr(c, va, acc);
        }
        *pa = va & ~(UINT64_C(1) << 63);
        return X_NEXT;
    }
    if (!va_implemented(c, va)) {
        return unimpl_addr(c, va, acc);
    }
    e = tlb_lookup(c, side, va);
    if (e == NULL) {
        uint32_t vec;

        c->tlb_misses[side]++;
        rr = c->rr[va >> 61];
        if ((c->cr[IA64_CR_PTA] & 1) && (rr & 1)) {
            vec = side == IA64_TLB_I ? IA64_VEC_INST_TLB : IA64_VEC_DATA_TLB;
        } else {
            vec = side == IA64_TLB_I ? IA64_VEC_ALT_INST_TLB
                                     : IA64_VEC_ALT_DATA_TLB;
        }
        if (side == IA64_TLB_D && !(c->psr & IA64_PSR_IC)) {
            vec = IA64_VEC_DATA_NESTED_TLB;
        }
        return xlate_fault(c, vec, va, acc, NULL);
    }
    c->tlb_hits[side]++;
    if (e >= c->tr[side] && e < c->tr[side] + IA64_NTR) {
        c->tlb_tr_hits[side]++;
    }
    if (!e->p) {
        return xlate_fault(c, IA64_VEC_PAGE_NOT_PRESENT, va, acc, e);
    }
    if (!(acc & ACC_NA)) {
        unsigned need = acc & (ACC_R | ACC_W | ACC_X);

        if ((page_rights(e->ar, e->pl, pl) & need) != need) {
            return xlate_fault(c, side == IA64_TLB_I
                                      ? IA64_VEC_INST_ACCESS_RIGHTS
                                      : IA64_VEC_DATA_ACCESS_RIGHTS,
                               va, acc, e);
        }
        if ((acc & ACC_W) && !e->d) {
            return xlate_fault(c, IA64_VEC_DIRTY_BIT, va, acc, e);
        }
        if (!e->a) {
            return xlate_fault(c, side == IA64_TLB_I
                                      ? IA64_VEC_INST_ACCESS_BIT
                                      : IA64_VEC_DATA_ACCESS_BIT,
                               va, acc, e);
        }
    }
    *pa = e->ppn | (va & ((UINT64_C(1) << e->ps) - 1));
    return X_NEXT;
}

static int bus_error(struct ia64_cpu *c)
{
    c->stop = IA64_STOP_BUS_ERROR;
    return X_STOP;
}

/* Data load/store of 1, 2, 4 or 8 bytes at va. */
static int mem_load(struct ia64_cpu *c, uint64_t va, unsigned size,
                    uint64_t *out)
{
    uint8_t buf[8];
    uint64_t pa;
    uint64_t v = 0;
    unsigned i;
    int r;

    if (va & (size - 1)) {
        ia64_interrupt(c, IA64_VEC_UNALIGNED_REFERENCE, IA64_ISR_R, true,
                       va);
        return X_FAULT;
    }
    r = xlate(c, va, ACC_R, psr_cpl(c), (c->psr & IA64_PSR_DT) != 0, &pa);
    if (r != X_NEXT) {
        return r;
    }
    if (c->mem->read(c->mem_ctx, pa, buf, size) != 0) {
        return bus_error(c);
    }
    for (i = size; i-- > 0;) {
        v = (v << 8) | buf[i];
    }
    *out = (c->psr & IA64_PSR_BE) ? bswap(v, size) : v;
    return X_NEXT;
}

static int mem_store(struct ia64_cpu *c, uint64_t va, unsigned size,
                     uint64_t v)
{
    uint8_t buf[8];
    uint64_t pa;
    unsigned i;
    int r;

    if (va & (size - 1)) {
        ia64_interrupt(c, IA64_VEC_UNALIGNED_REFERENCE, IA64_ISR_W, true,
                       va);
        return X_FAULT;
    }
    r = xlate(c, va, ACC_W, psr_cpl(c), (c->psr & IA64_PSR_DT) != 0, &pa);
    if (r != X_NEXT) {
        return r;
    }
    if (c->psr & IA64_PSR_BE) {
        v = bswap(v, size);
    }
    for (i = 0; i < size; i++) {
        buf[i] = (uint8_t)(v >> (8 * i));
    }
    if (c->mem->write(c->mem_ctx, pa, buf, size) != 0) {
        return bus_error(c);
    }
    return X_NEXT;
}

/* ------------------------------------------------------------------ */
/* Register stack (Vol. 1 6.1, Vol. 2 6)                               */
/* ------------------------------------------------------------------ */
/*
 * Model: stacked registers carry a sequence number; the frame's GR32 is
 * number `bof` and lives in stk[bof % IA64_RSE_PHYS].  The registers in
 * the backing store between BSPSTORE and BSP are the dirty ones, still
 * in the ring; their numbers are bof - (registers between them and BSP).
 * Every 64th doubleword of the backing store (address bits 8:3 all
 * ones) holds a NaT collection (AR.RNAT) instead of a register.
 */

static inline bool rnat_slot(uint64_t addr)
{
    return ((addr >> 3) & 0x3f) == 0x3f;
}

/* Registers in the backing store range [a, b), a <= b. */
static uint64_t rse_count(uint64_t a, uint64_t b)
{
    uint64_t wa = a >> 3;
    uint64_t wb = b >> 3;

    return (wb - wa) - ((wb >> 6) - (wa >> 6));
}

/* Address n registers after (n > 0) or before (n < 0) addr, skipping
 * NaT collection slots. */
static uint64_t rse_skip(uint64_t addr, int64_t n)
{
    uint64_t w = addr >> 3;
    uint64_t s = w & 0x3f;

    if (s == 0x3f) {            /* not a register slot: start after it */
        w++;
        s = 0;
    }
    if (n >= 0) {
        uint64_t u = (uint64_t)n;

        w = w + u + (s + u) / 63;
    } else {
        uint64_t m = (uint64_t)(-(n + 1)) + 1;

        w = w - m - ((62 - s) + m) / 63;
    }
    return (w << 3) | (addr & 7);
}

static int rse_access(struct ia64_cpu *c, uint64_t addr, bool store,
                      uint64_t *v)
{
    uint8_t buf[8];
    uint64_t pa;
    unsigned pl = (unsigned)((c->ar[IA64_AR_RSC] >> 2) & 3);
    unsigned i;
    int r;

    r = xlate(c, addr, (store ? ACC_W : ACC_R) | ACC_RSE, pl,
              (c->psr & IA64_PSR_RT) != 0, &pa);
    if (r != X_NEXT) {
        return r;
    }
    if (store) {
        for (i = 0; i < 8; i++) {
            buf[i] = (uint8_t)(*v >> (8 * i));
        }
        if (c->mem->write(c->mem_ctx, pa, buf, 8) != 0) {
            return bus_error(c);
        }
        return X_NEXT;
    }
    if (c->mem->read(c->mem_ctx, pa, buf, 8) != 0) {
        return bus_error(c);
    }
    *v = 0;
    for (i = 8; i-- > 0;) {
        *v = (*v << 8) | buf[i];
    }
    return X_NEXT;
}

/* Spill the register (or NaT collection) at BSPSTORE. */
static int rse_spill_one(struct ia64_cpu *c)
{
    uint64_t a = c->ar[IA64_AR_BSPSTORE];
    uint64_t v;
    int r;

    if (rnat_slot(a)) {
        v = c->ar[IA64_AR_RNAT];
        r = rse_access(c, a, true, &v);
        if (r != X_NEXT) {
            return r;
        }
        c->ar[IA64_AR_RNAT] = 0;
    } else {
        uint64_t seq = c->bof - rse_count(a, c->ar[IA64_AR_BSP]);
        unsigned i = (unsigned)(seq % IA64_RSE_PHYS);
        uint64_t bit = UINT64_C(1) << ((a >> 3) & 0x3f);

        v = c->stk[i];
        r = rse_access(c, a, true, &v);
        if (r != X_NEXT) {
            return r;
        }
        if (c->stk_nat[i]) {
            c->ar[IA64_AR_RNAT] |= bit;
        } else {
            c->ar[IA64_AR_RNAT] &= ~bit;
        }
    }
    c->ar[IA64_AR_BSPSTORE] = a + 8;
    return X_NEXT;
}

/* Fill the register (or NaT collection) just below BSPSTORE. */
static int rse_fill_one(struct ia64_cpu *c)
{
    uint64_t a = c->ar[IA64_AR_BSPSTORE] - 8;
    uint64_t v;
    int r;

    r = rse_access(c, a, false, &v);
    if (r != X_NEXT) {
        return r;
    }
    if (rnat_slot(a)) {
        c->ar[IA64_AR_RNAT] = v & ~(UINT64_C(1) << 63);
    } else {
        uint64_t seq = c->bof - rse_count(a, c->ar[IA64_AR_BSP]);
        unsigned i = (unsigned)(seq % IA64_RSE_PHYS);

        c->stk[i] = v;
        c->stk_nat[i] = (uint8_t)((c->ar[IA64_AR_RNAT] >>
                                   ((a >> 3) & 0x3f)) & 1);
    }
    c->ar[IA64_AR_BSPSTORE] = a;
    return X_NEXT;
}

/* Mandatory spills until `dirty_end` (the BSP a frame of `sof`
 * registers will start at) leaves room for it in the ring. */
static int rse_make_room(struct ia64_cpu *c, uint64_t dirty_end,
                         unsigned sof)
{
    while (c->ar[IA64_AR_BSPSTORE] < dirty_end &&
           rse_count(c->ar[IA64_AR_BSPSTORE], dirty_end) + sof >
               IA64_RSE_PHYS) {
        int r = rse_spill_one(c);

        if (r != X_NEXT) {
            return r;
        }
    }
    return X_NEXT;
}

/* Mandatory fills until BSPSTORE <= target. */
static int rse_fill_to(struct ia64_cpu *c, uint64_t target)
{
    while (c->ar[IA64_AR_BSPSTORE] > target) {
        int r = rse_fill_one(c);

        if (r != X_NEXT) {
            return r;
        }
    }
    return X_NEXT;
}

/* Return to the frame `pfm` whose top `drop` registers below the current
 * BSP become the new frame's base (br.ret: drop = pfm.sol; rfi: drop =
 * ifm.sof).  Fills first; commits only when nothing can fault. */
static int rse_pop_frame(struct ia64_cpu *c, uint64_t pfm, unsigned drop)
{
    uint64_t nbsp = rse_skip(c->ar[IA64_AR_BSP], -(int64_t)drop);
    int r;

    if (c->ar[IA64_AR_BSPSTORE] > nbsp) {
        r = rse_fill_to(c, nbsp);
        if (r != X_NEXT) {
            return r;
        }
    }
    r = rse_make_room(c, nbsp, cfm_sof(pfm));
    if (r != X_NEXT) {
        return r;
    }
    c->bof -= drop;
    c->ar[IA64_AR_BSP] = nbsp;
    c->cfm = pfm;
    return X_NEXT;
}

/* ------------------------------------------------------------------ */
/* Instruction groups                                                  */
/* ------------------------------------------------------------------ */

#define RD(r, v, n)                                                        \
    do {                                                                   \
        if (ia64_gr_get(c, (r), &(v), &(n)) != 0) {                        \
            return illegal(c);                                             \
        }                                                                  \
    } while (0)
#define CHKW(r)                                                            \
    do {                                                                   \
        if (!gr_writable(c, (r))) {                                        \
            return illegal(c);                                             \
        }                                                                  \
    } while (0)
#define WR(r, v, n) ((void)ia64_gr_set(c, (r), (v), (n)))

static int exec_alu(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t a = 0;
    uint64_t b = 0;
    uint64_t v;
    bool na = false;
    bool nb = false;

    switch ((enum ia64_fmt)in->fmt) {
    case IA64_FMT_A1:
    case IA64_FMT_A2:
        RD(in->r2, a, na);
        RD(in->r3, b, nb);
        break;
    case IA64_FMT_A3:
    case IA64_FMT_A4:
    case IA64_FMT_A5:
        a = (uint64_t)in->imm;
        RD(in->r3, b, nb);
        break;
    default:
        return illegal(c);
    }
    CHKW(in->r1);
    switch (in->op) {
    case IA64_OP_ADD:
    case IA64_OP_ADDS:
    case IA64_OP_ADDL:
        v = a + b;
        break;
    case IA64_OP_ADD_1:
        v = a + b + 1;
        break;
    case IA64_OP_SUB:
    case IA64_OP_SUB_IMM:
        v = a - b;
        break;
    case IA64_OP_SUB_1:
        v = a - b - 1;
        break;
    case IA64_OP_AND:
    case IA64_OP_AND_IMM:
        v = a & b;
        break;
    case IA64_OP_ANDCM:
    case IA64_OP_ANDCM_IMM:
        v = a & ~b;
        break;
    case IA64_OP_OR:
    case IA64_OP_OR_IMM:
        v = a | b;
        break;
    case IA64_OP_XOR:
    case IA64_OP_XOR_IMM:
        v = a ^ b;
        break;
    case IA64_OP_SHLADD:
        v = (a << in->count) + b;
        break;
    default:
        return illegal(c);
    }
    WR(in->r1, v, na || nb);
    return X_NEXT;
}

/* Predicate targets of compares and tbit (Vol. 3 cmp "Comparison
 * Types" table, including the NaT rows). */
static void cmp_write(struct ia64_cpu *c, const struct ia64_insn *in,
                      bool res, bool nat)
{
    switch (in->ctype) {
    case IA64_CTYPE_NONE:
    case IA64_CTYPE_UNC:
        pr_set(c, in->p1, !nat && res);
        pr_set(c, in->p2, !nat && !res);
        break;
    case IA64_CTYPE_AND:
        if (nat || !res) {
            pr_set(c, in->p1, false);
            pr_set(c, in->p2, false);
        }
        break;
    case IA64_CTYPE_OR:
        if (!nat && res) {
            pr_set(c, in->p1, true);
            pr_set(c, in->p2, true);
        }
        break;
    case IA64_CTYPE_OR_ANDCM:
        if (!nat && res) {
            pr_set(c, in->p1, true);
            pr_set(c, in->p2, false);
        }
        break;
    default:
        break;
    }
}

static int exec_cmp(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t a = 0;
    uint64_t b;
    bool na = false;
    bool nb;
    bool res;

    if (in->p1 == in->p2) {
        return illegal(c);      /* Vol. 3 cmp: p1 == p2 */
    }
    if (in->fmt == IA64_FMT_A6) {
        RD(in->r2, a, na);
    } else if (in->fmt == IA64_FMT_A8) {
        a = (uint64_t)in->imm;
    }
    RD(in->r3, b, nb);
    if (in->cflags & IA64_C_CMP4) {
        if (in->crel == IA64_CREL_LTU) {
            a &= 0xffffffffu;
            b &= 0xffffffffu;
        } else {
            a = sext(a, 32);
            b = sext(b, 32);
        }
    }
    switch (in->crel) {
    case IA64_CREL_EQ:
        res = a == b;
        break;
    case IA64_CREL_NE:
        res = a != b;
        break;
    case IA64_CREL_LT:
        res = (int64_t)a < (int64_t)b;
        break;
    case IA64_CREL_LE:
        res = (int64_t)a <= (int64_t)b;
        break;
    case IA64_CREL_GT:
        res = (int64_t)a > (int64_t)b;
        break;
    case IA64_CREL_GE:
        res = (int64_t)a >= (int64_t)b;
        break;
    case IA64_CREL_LTU:
        res = a < b;
        break;
    default:
        return illegal(c);
    }
    cmp_write(c, in, res, na || nb);
    return X_NEXT;
}

static int exec_tbit(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t v;
    bool n;
    bool bit;

    if (in->p1 == in->p2) {
        return illegal(c);
    }
    RD(in->r3, v, n);
    bit = ((v >> (in->pos & 63)) & 1) != 0;
    cmp_write(c, in, in->crel == IA64_CREL_Z ? !bit : bit, n);
    return X_NEXT;
}

static int exec_shift(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t a = 0;
    uint64_t b = 0;
    uint64_t v;
    bool na = false;
    bool nb = false;
    unsigned pos = in->pos;
    unsigned len = in->len;

    switch (in->op) {
    case IA64_OP_SHR:
    case IA64_OP_SHR_U:
    case IA64_OP_SHL:
    case IA64_OP_DEP:
        RD(in->r2, a, na);
        RD(in->r3, b, nb);
        break;
    case IA64_OP_DEP_Z:
        RD(in->r2, a, na);
        break;
    case IA64_OP_DEP_Z_IMM:
        a = (uint64_t)in->imm;
        break;
    default:
        RD(in->r3, b, nb);
        break;
    }
    CHKW(in->r1);
    switch (in->op) {
    case IA64_OP_SHR:                   /* r1 = r3 >> r2 */
        v = sar(b, a > 63 ? 63 : (unsigned)a);
        break;
    case IA64_OP_SHR_U:
        v = a > 63 ? 0 : b >> a;
        break;
    case IA64_OP_SHL:                   /* r1 = r2 << r3 */
        v = b > 63 ? 0 : a << b;
        break;
    case IA64_OP_EXTR_U:
        v = b >> pos;
        if (len < 64) {
            v &= (UINT64_C(1) << len) - 1;
        }
        break;
    case IA64_OP_EXTR:
        if (pos + len > 64) {
            len = 64 - pos;
        }
        v = sar(b << (64 - pos - len), 64 - len);
        break;
    case IA64_OP_DEP_Z:
    case IA64_OP_DEP_Z_IMM:
        v = (a << pos) & field_mask(pos, len);
        break;
    case IA64_OP_DEP_IMM:
        v = (b & ~field_mask(pos, len)) |
            ((uint64_t)in->imm & field_mask(pos, len));
        break;
    case IA64_OP_DEP:
        v = (b & ~field_mask(pos, len)) | ((a << pos) & field_mask(pos, len));
        break;
    case IA64_OP_ZXT1:
        v = b & 0xff;
        break;
    case IA64_OP_ZXT2:
        v = b & 0xffff;
        break;
    case IA64_OP_ZXT4:
        v = b & 0xffffffffu;
        break;
    case IA64_OP_SXT1:
        v = sext(b, 8);
        break;
    case IA64_OP_SXT2:
        v = sext(b, 16);
        break;
    case IA64_OP_SXT4:
        v = sext(b, 32);
        break;
    default:
        return illegal(c);
    }
    WR(in->r1, v, na || nb);
    return X_NEXT;
}

static int exec_load(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t addr;
    uint64_t inc = 0;
    uint64_t v;
    bool na;
    bool ni = false;
    int r;

    RD(in->r3, addr, na);
    if (in->minc == IA64_MINC_REG) {
        RD(in->r2, inc, ni);
    } else if (in->minc == IA64_MINC_IMM) {
        inc = (uint64_t)in->imm;
    }
    CHKW(in->r1);
    if (in->minc != IA64_MINC_NONE &&
        (!gr_writable(c, in->r3) || in->r1 == in->r3)) {
        return illegal(c);      /* Vol. 3 ld: base update of r0 / r1 == r3 */
    }
    if (na) {
        return nat_fault(c, IA64_ISR_R);
    }
    r = mem_load(c, addr, in->msize, &v);
    if (r != X_NEXT) {
        return r;
    }
    WR(in->r1, v, false);
    if (in->minc != IA64_MINC_NONE) {
        WR(in->r3, addr + inc, ni);
    }
    return X_NEXT;
}

static int exec_store(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t addr;
    uint64_t v;
    bool na;
    bool nv;
    int r;

    RD(in->r2, v, nv);
    RD(in->r3, addr, na);
    if (in->minc != IA64_MINC_NONE && !gr_writable(c, in->r3)) {
        return illegal(c);
    }
    if (na || nv) {
        return nat_fault(c, IA64_ISR_W);
    }
    r = mem_store(c, addr, in->msize, v);
    if (r != X_NEXT) {
        return r;
    }
    if (in->minc == IA64_MINC_IMM) {
        WR(in->r3, addr + (uint64_t)in->imm, false);
    }
    return X_NEXT;
}

/* ---- branches ---- */

static int branch_to(struct ia64_cpu *c, uint64_t target)
{
    c->ip = target & ~UINT64_C(0xf);
    c->psr &= ~IA64_PSR_RI;
    return X_BRANCH;
}

/* br.call (Vol. 3 br "call"): B = return bundle, PFS = CFM/EC/CPL, the
 * caller's outputs become the callee's frame. */
static int do_call(struct ia64_cpu *c, unsigned b, uint64_t target)
{
    unsigned sol = cfm_sol(c->cfm);
    unsigned sof = cfm_sof(c->cfm);

    c->br[b & 7] = c->ip + 16;
    c->ar[IA64_AR_PFS] = (c->cfm & IA64_CFM_MASK) |
                         ((c->ar[IA64_AR_EC] & 0x3f) << 52) |
                         ((uint64_t)psr_cpl(c) << 62);
    c->bof += sol;
    c->ar[IA64_AR_BSP] = rse_skip(c->ar[IA64_AR_BSP], sol);
    c->cfm = sof - sol;
    return branch_to(c, target);
}

/* br.ret: CFM = PFS.pfm, EC = PFS.pec, PSR.cpl may only be lowered in
 * privilege (raised in number) to PFS.ppl. */
static int do_ret(struct ia64_cpu *c, uint64_t target)
{
    uint64_t pfs = c->ar[IA64_AR_PFS];
    uint64_t pfm = cfm_sanitize(pfs & IA64_CFM_MASK);
    unsigned ppl = (unsigned)(pfs >> 62);
    int r;

    r = rse_pop_frame(c, pfm, cfm_sol(pfm));
    if (r != X_NEXT) {
        return r;
    }
    c->ar[IA64_AR_EC] = (pfs >> 52) & 0x3f;
    if (ppl > psr_cpl(c)) {
        c->psr = (c->psr & ~IA64_PSR_CPL) |
                 ((uint64_t)ppl << IA64_PSR_CPL_SHIFT);
    }
    return branch_to(c, target);
}

static int exec_branch(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t v;
    bool n;

    switch (in->op) {
    case IA64_OP_BR_COND:
    case IA64_OP_BRL_COND:
        return branch_to(c, ia64_branch_target(in, c->ip));
    case IA64_OP_BR_CLOOP:
        if (c->ar[IA64_AR_LC] != 0) {
            c->ar[IA64_AR_LC]--;
            return branch_to(c, ia64_branch_target(in, c->ip));
        }
        return X_NEXT;
    case IA64_OP_BR_CALL:
    case IA64_OP_BRL_CALL:
        return do_call(c, in->b1, ia64_branch_target(in, c->ip));
    case IA64_OP_BR_CALL_IND:
        return do_call(c, in->b1, c->br[in->b2 & 7]);
    case IA64_OP_BR_COND_IND:
        return branch_to(c, c->br[in->b2 & 7]);
    case IA64_OP_BR_RET:
        return do_ret(c, c->br[in->b2 & 7]);
    case IA64_OP_MOV_TO_BR:
        RD(in->r2, v, n);
        if (n) {
            return nat_fault(c, 0);
        }
        c->br[in->b1 & 7] = v;
        return X_NEXT;
    case IA64_OP_MOV_FROM_BR:
        CHKW(in->r1);
        WR(in->r1, c->br[in->b2 & 7], false);
        return X_NEXT;
    default:
        return illegal(c);
    }
}

/* ---- application registers (Vol. 1 3.1.8) ---- */

static bool ar_implemented(unsigned ar)
{
    return ar <= 7 || (ar >= 16 && ar <= 19) || ar == 21 ||
           (ar >= 24 && ar <= 30) || ar == 32 || ar == 36 || ar == 40 ||
           ar == 44 || ar == 64 || ar == 65 || ar == 66;
}

static bool ar_ignored(unsigned ar)
{
    return (ar >= 48 && ar <= 63) || ar >= 112;
}

/* Unit check: M-unit forms reach AR 0-63, I-unit forms AR 64-127. */
static bool ar_unit_ok(const struct ia64_insn *in)
{
    bool i_unit = in->op == IA64_OP_MOV_TO_AR_I ||
                  in->op == IA64_OP_MOV_TO_AR_IMM_I ||
                  in->op == IA64_OP_MOV_FROM_AR_I;

    return i_unit ? in->areg >= 64 : in->areg < 64;
}

static int exec_mov_to_ar(struct ia64_cpu *c, const struct ia64_insn *in)
{
    unsigned ar = in->areg & 127;
    uint64_t v;
    bool n = false;
    unsigned cpl = psr_cpl(c);
    unsigned mode = (unsigned)(c->ar[IA64_AR_RSC] & 3);

    if (in->op == IA64_OP_MOV_TO_AR_I || in->op == IA64_OP_MOV_TO_AR_M) {
        RD(in->r2, v, n);
    } else {
        v = (uint64_t)in->imm;
    }
    if (!ar_unit_ok(in)) {
        return illegal(c);
    }
    if (ar_ignored(ar)) {
        return X_NEXT;
    }
    if (!ar_implemented(ar) || ar == IA64_AR_BSP) {
        return illegal(c);
    }
    if ((ar <= IA64_AR_K7 || ar == IA64_AR_ITC) && cpl != 0) {
        return fault_ge(c, IA64_GE_PRIV_REG);
    }
    if ((ar == IA64_AR_BSPSTORE || ar == IA64_AR_RNAT) && mode != 0) {
        return illegal(c);
    }
    if (n) {
        return nat_fault(c, 0);
    }
    switch (ar) {
    case IA64_AR_RSC: {
        unsigned pl = (unsigned)((v >> 2) & 3);

        if (pl < cpl) {
            pl = cpl;           /* RSC.pl cannot exceed the privilege */
        }
        c->ar[ar] = (v & (UINT64_C(0x3fff) << 16 | 0x13)) |
                    ((uint64_t)pl << 2);
        break;
    }
    case IA64_AR_BSPSTORE: {
        uint64_t ndirty = rse_count(c->ar[IA64_AR_BSPSTORE],
                                    c->ar[IA64_AR_BSP]);

        c->ar[IA64_AR_BSPSTORE] = v & ~UINT64_C(7);
        c->ar[IA64_AR_BSP] = rse_skip(c->ar[IA64_AR_BSPSTORE],
                                      (int64_t)ndirty);
        break;
    }
    case IA64_AR_RNAT:
        c->ar[ar] = v & ~(UINT64_C(1) << 63);
        break;
    case IA64_AR_EC:
        c->ar[ar] = v & 0x3f;
        break;
    default:
        c->ar[ar] = v;
        break;
    }
    return X_NEXT;
}

static int exec_mov_from_ar(struct ia64_cpu *c, const struct ia64_insn *in)
{
    unsigned ar = in->areg & 127;
    uint64_t v = 0;

    if (!ar_unit_ok(in)) {
        return illegal(c);
    }
    if (!ar_ignored(ar) && !ar_implemented(ar)) {
        return illegal(c);
    }
    CHKW(in->r1);
    if (ar == IA64_AR_ITC && (c->psr & IA64_PSR_SI) && psr_cpl(c) != 0) {
        return fault_ge(c, IA64_GE_PRIV_REG);
    }
    if (!ar_ignored(ar)) {
        v = c->ar[ar];
    }
    WR(in->r1, v, false);
    return X_NEXT;
}

/* ---- control registers (Vol. 2 3.3.3) ---- */

static bool cr_implemented(unsigned cr)
{
    return cr == 0 || cr == 1 || cr == 2 || cr == 8 ||
           (cr >= 16 && cr <= 25 && cr != 18) || (cr >= 64 && cr <= 74) ||
           cr == 80 || cr == 81;
}

static int exec_mov_cr(struct ia64_cpu *c, const struct ia64_insn *in)
{
    unsigned cr = in->areg & 127;
    bool to = in->op == IA64_OP_MOV_TO_CR;
    uint64_t v = 0;
    bool n = false;

    if (to) {
        RD(in->r2, v, n);
    } else {
        CHKW(in->r1);
    }
    if (!cr_implemented(cr)) {
        return illegal(c);
    }
    /* Interruption CRs are accessible only with PSR.ic = 0. */
    if (cr >= 16 && cr <= 25 && (c->psr & IA64_PSR_IC)) {
        return illegal(c);
    }
    if (!to) {
        if (cr == IA64_CR_IVR) {
            v = 15;             /* spurious: no interrupt pending */
        } else if (cr == IA64_CR_EOI) {
            v = 0;
        } else {
            v = c->cr[cr];
        }
        WR(in->r1, v, false);
        return X_NEXT;
    }
    if (cr == IA64_CR_IVR || (cr >= IA64_CR_IRR0 && cr <= IA64_CR_IRR3)) {
        return illegal(c);      /* read-only */
    }
    if (n) {
        return nat_fault(c, 0);
    }
    if (cr == IA64_CR_IVA) {
        v &= ~UINT64_C(0x7fff);
    }
    if (cr != IA64_CR_EOI) {
        c->cr[cr] = v;
    }
    return X_NEXT;
}

/* ---- translation instructions ---- */

static int exec_tlb(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t a = 0;
    uint64_t b = 0;
    bool na = false;
    bool nb = false;
    unsigned side;
    unsigned i;

    switch (in->op) {
    case IA64_OP_ITC_D:
    case IA64_OP_ITC_I:
    case IA64_OP_ITR_D:
    case IA64_OP_ITR_I: {
        struct ia64_tlb_entry e;
        unsigned ps = (unsigned)((c->cr[IA64_CR_ITIR] >> 2) & 0x3f);

        side = (in->op == IA64_OP_ITC_I || in->op == IA64_OP_ITR_I)
                   ? IA64_TLB_I : IA64_TLB_D;
        RD(in->r2, a, na);
        if (in->op == IA64_OP_ITR_D || in->op == IA64_OP_ITR_I) {
            RD(in->r3, b, nb);
        }
        if (c->psr & IA64_PSR_IC) {
            return illegal(c);  /* insertions need PSR.ic = 0 */
        }
        if (na || nb) {
            return nat_fault(c, 0);
        }
        if (!ps_supported(ps)) {
            return reserved_field(c);
        }
        if ((in->op == IA64_OP_ITR_D || in->op == IA64_OP_ITR_I) &&
            b >= IA64_NTR) {
            return reserved_field(c);
        }
        tlb_make(c, &e, a);
        tc_purge(c, side, e.vpn, e.ps, e.rid);
        if (in->op == IA64_OP_ITR_D || in->op == IA64_OP_ITR_I) {
            c->tr[side][b] = e;
        } else {
            for (i = 0; i < IA64_NTC; i++) {
                if (!c->tc[side][i].valid) {
                    break;
                }
            }
            if (i == IA64_NTC) {
                i = c->tc_next[side];
                c->tc_next[side] = (i + 1) % IA64_NTC;
            }
            c->tc[side][i] = e;
        }
        return X_NEXT;
    }
    case IA64_OP_PTC_L:
    case IA64_OP_PTC_G:
    case IA64_OP_PTC_GA:
    case IA64_OP_PTR_D:
    case IA64_OP_PTR_I: {
        unsigned ps;
        uint32_t rid;

        RD(in->r3, a, na);
        RD(in->r2, b, nb);
        if (na || nb) {
            return nat_fault(c, 0);
        }
        ps = (unsigned)((b >> 2) & 0x3f);
        if (ps < 12 || ps > 61) {
            return reserved_field(c);
        }
        if (!va_implemented(c, a)) {
            return unimpl_addr(c, a, ACC_NA);
        }
        rid = rr_rid(c->rr[a >> 61]);
        if (in->op == IA64_OP_PTR_D || in->op == IA64_OP_PTR_I) {
            side = in->op == IA64_OP_PTR_I ? IA64_TLB_I : IA64_TLB_D;
            for (i = 0; i < IA64_NTR; i++) {
                if (tlb_overlap(&c->tr[side][i], a, ps, rid)) {
                    c->tr[side][i].valid = 0;
                }
            }
            tc_purge(c, side, a, ps, rid);
        } else {
            tc_purge(c, IA64_TLB_I, a, ps, rid);
            tc_purge(c, IA64_TLB_D, a, ps, rid);
        }
        return X_NEXT;
    }
    case IA64_OP_PTC_E:
        RD(in->r3, a, na);
        if (na) {
            return nat_fault(c, 0);
        }
        memset(c->tc, 0, sizeof(c->tc));
        return X_NEXT;
    case IA64_OP_THASH:
    case IA64_OP_TTAG:
        RD(in->r3, a, na);
        CHKW(in->r1);
        WR(in->r1, in->op == IA64_OP_THASH ? thash_of(c, a) : ttag_of(c, a),
           na);
        return X_NEXT;
    case IA64_OP_TPA: {
        uint64_t pa;
        int r;

        RD(in->r3, a, na);
        CHKW(in->r1);
        if (na) {
            return nat_fault(c, IA64_ISR_NA);
        }
        r = xlate(c, a, ACC_R | ACC_NA, psr_cpl(c), true, &pa);
        if (r != X_NEXT) {
            return r;
        }
        WR(in->r1, pa, false);
        return X_NEXT;
    }
    case IA64_OP_TAK: {
        const struct ia64_tlb_entry *e;

        RD(in->r3, a, na);
        CHKW(in->r1);
        if (na) {
            return nat_fault(c, IA64_ISR_NA);
        }
        e = (c->psr & IA64_PSR_DT) ? tlb_lookup(c, IA64_TLB_D, a) : NULL;
        WR(in->r1, e ? e->key : 1, false);
        return X_NEXT;
    }
    default:
        return illegal(c);
    }
}

static int exec_probe(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t a;
    uint64_t plv = 0;
    bool na;
    bool np = false;
    unsigned need = (in->op == IA64_OP_PROBE_W ||
                     in->op == IA64_OP_PROBE_W_IMM) ? ACC_W : ACC_R;
    unsigned pl;
    const struct ia64_tlb_entry *e;
    uint64_t pa;
    int r;

    RD(in->r3, a, na);
    if (in->fmt == IA64_FMT_M38) {
        RD(in->r2, plv, np);
    } else {
        plv = (uint64_t)in->imm;
    }
    CHKW(in->r1);
    if (na || np) {
        return nat_fault(c, IA64_ISR_NA);
    }
    if (!(c->psr & IA64_PSR_DT)) {
        WR(in->r1, 1, false);   /* physical addressing: accessible */
        return X_NEXT;
    }
    pl = (unsigned)(plv & 3);
    if (pl < psr_cpl(c)) {
        pl = psr_cpl(c);
    }
    /* TLB misses fault (ISR.na); rights decide the result. */
    r = xlate(c, a, need | ACC_NA, pl, true, &pa);
    if (r != X_NEXT) {
        return r;
    }
    e = tlb_lookup(c, IA64_TLB_D, a);
    WR(in->r1, e && e->p && (page_rights(e->ar, e->pl, pl) & need), false);
    return X_NEXT;
}

/* ---- indirect registers (M42/M43) and CPUID ---- */

static uint64_t *ind_reg(struct ia64_cpu *c, unsigned op, uint64_t idx)
{
    if (idx >= 16) {
        return NULL;
    }
    switch (op) {
    case IA64_OP_MOV_TO_PKR:
    case IA64_OP_MOV_FROM_PKR:
        return &c->pkr[idx];
    case IA64_OP_MOV_TO_DBR:
    case IA64_OP_MOV_FROM_DBR:
        return &c->dbr[idx];
    case IA64_OP_MOV_TO_IBR:
    case IA64_OP_MOV_FROM_IBR:
        return &c->ibr[idx];
    case IA64_OP_MOV_TO_PMC:
    case IA64_OP_MOV_FROM_PMC:
        return &c->pmc[idx];
    default:
        return &c->pmd[idx];
    }
}

static int exec_indirect(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t idx;
    uint64_t v = 0;
    bool ni;
    bool nv = false;
    uint64_t *p;

    RD(in->r3, idx, ni);
    switch (in->op) {
    case IA64_OP_MOV_TO_RR:
        RD(in->r2, v, nv);
        if (ni || nv) {
            return nat_fault(c, 0);
        }
        /* RR reserved fields: bit 1, 63:32; ps must be supported. */
        if ((v & (UINT64_C(2) | (~UINT64_C(0) << 32))) ||
            !ps_supported(rr_ps(v))) {
            return reserved_field(c);
        }
        c->rr[idx >> 61] = v;
        return X_NEXT;
    case IA64_OP_MOV_FROM_RR:
        CHKW(in->r1);
        if (ni) {
            return nat_fault(c, 0);
        }
        WR(in->r1, c->rr[idx >> 61], false);
        return X_NEXT;
    case IA64_OP_MOV_FROM_CPUID:
        CHKW(in->r1);
        if (ni) {
            return nat_fault(c, 0);
        }
        if (idx >= IA64_NCPUID) {
            return reserved_field(c);
        }
        WR(in->r1, c->cpuid[idx], false);
        return X_NEXT;
    case IA64_OP_MOV_TO_PKR:
    case IA64_OP_MOV_TO_DBR:
    case IA64_OP_MOV_TO_IBR:
    case IA64_OP_MOV_TO_PMC:
    case IA64_OP_MOV_TO_PMD:
        RD(in->r2, v, nv);
        if (ni || nv) {
            return nat_fault(c, 0);
        }
        p = ind_reg(c, in->op, idx);
        if (p == NULL) {
            return reserved_field(c);
        }
        *p = v;
        return X_NEXT;
    default:
        CHKW(in->r1);
        if (ni) {
            return nat_fault(c, 0);
        }
        p = ind_reg(c, in->op, idx);
        if (p == NULL) {
            return reserved_field(c);
        }
        WR(in->r1, *p, false);
        return X_NEXT;
    }
}

/* ---- PSR, frames, RSE control, rfi ---- */

/* Bits of PSR{23:0} that ssm/rsm/mov psr.l may touch (the system mask
 * without reserved bits 0, 12:6, 16). */
#define PSR_SM_WRITABLE (UINT64_C(0xffffff) & ~IA64_PSR_RESERVED)

static int exec_psr(struct ia64_cpu *c, const struct ia64_insn *in)
{
    uint64_t v;
    bool n;

    switch (in->op) {
    case IA64_OP_SSM:
    case IA64_OP_RSM:
        if ((uint64_t)in->imm & ~PSR_SM_WRITABLE) {
            return reserved_field(c);
        }
        if (in->op == IA64_OP_SSM) {
            set_psr(c, c->psr | (uint64_t)in->imm);
        } else {
            set_psr(c, c->psr & ~(uint64_t)in->imm);
        }
        return X_NEXT;
    case IA64_OP_SUM:
        set_psr(c, c->psr | ((uint64_t)in->imm & 0x3e));
        return X_NEXT;
    case IA64_OP_RUM:
        set_psr(c, c->psr & ~((uint64_t)in->imm & 0x3e));
        return X_NEXT;
    case IA64_OP_MOV_TO_PSR_L:
        RD(in->r2, v, n);
        if (n) {
            return nat_fault(c, 0);
        }
        if (v & 0xffffffffu & IA64_PSR_RESERVED) {
            return reserved_field(c);
        }
        set_psr(c, (c->psr & ~UINT64_C(0xffffffff)) | (v & 0xffffffffu));
        return X_NEXT;
    case IA64_OP_MOV_TO_PSR_UM:
        RD(in->r2, v, n);
        if (n) {
            return nat_fault(c, 0);
        }
        set_psr(c, (c->psr & ~UINT64_C(0x3e)) | (v & 0x3e));
        return X_NEXT;
    case IA64_OP_MOV_FROM_PSR:
        CHKW(in->r1);
        /* mov from psr returns PSR{36:35} and {31:0}. */
        WR(in->r1, c->psr & (UINT64_C(0x1800000000) | 0xffffffffu), false);
        return X_NEXT;
    case IA64_OP_MOV_FROM_PSR_UM:
        CHKW(in->r1);
        WR(in->r1, c->psr & 0x3f, false);
        return X_NEXT;
    default:
        return illegal(c);
    }
}

static int exec_alloc(struct ia64_cpu *c, const struct ia64_insn *in)
{
    unsigned sof = in->sof;
    unsigned sol = in->sol;
    unsigned sor = in->sor;
    uint64_t pfs = c->ar[IA64_AR_PFS];
    uint64_t rrb = c->cfm & (IA64_CFM_MASK & ~UINT64_C(0x3ffff));
    int r;

    /* Vol. 3 alloc: sof <= 96, sol <= sof, sor <= sof, else Illegal
     * Operation; a new sor with rrb != 0 is a Reserved Register/Field
     * fault; r1 must be in the new frame. */
    if (sof > 96 || sol > sof || sor > sof) {
        return illegal(c);
    }
    if (in->r1 == 0 || (in->r1 >= 32 && in->r1 - 32u >= sof)) {
        return illegal(c);
    }
    if (rrb != 0 && sor != cfm_sor(c->cfm)) {
        return reserved_field(c);
    }
    r = rse_make_room(c, c->ar[IA64_AR_BSP], sof);
    if (r != X_NEXT) {
        return r;
    }
    c->cfm = rrb | sof | ((uint64_t)sol << 7) | ((uint64_t)(sor / 8) << 14);
    WR(in->r1, pfs, false);
    return X_NEXT;
}

static int exec_cover(struct ia64_cpu *c)
{
    unsigned sof = cfm_sof(c->cfm);

    if (!(c->psr & IA64_PSR_IC)) {
        c->cr[IA64_CR_IFS] = (c->cfm & IA64_CFM_MASK) | IA64_IFS_V;
    }
    c->bof += sof;
    c->ar[IA64_AR_BSP] = rse_skip(c->ar[IA64_AR_BSP], sof);
    c->cfm = 0;
    return X_NEXT;
}

/* rfi (Vol. 3 rfi): restore the frame from IFS when IFS.v, then PSR from
 * IPSR (including ri and bn) and IP from IIP. */
static int exec_rfi(struct ia64_cpu *c)
{
    uint64_t ifs = c->cr[IA64_CR_IFS];
    int r;

    if (ifs & IA64_IFS_V) {
        uint64_t ifm = cfm_sanitize(ifs & IA64_CFM_MASK);

        r = rse_pop_frame(c, ifm, cfm_sof(ifm));
        if (r != X_NEXT) {
            return r;
        }
    }
    set_psr(c, c->cr[IA64_CR_IPSR] & ~IA64_PSR_RESERVED);
    c->ip = c->cr[IA64_CR_IIP] & ~UINT64_C(0xf);
    return X_BRANCH;
}

static int exec_rse(struct ia64_cpu *c, const struct ia64_insn *in)
{
    int r;

    if (in->op == IA64_OP_FLUSHRS) {
        while (c->ar[IA64_AR_BSPSTORE] < c->ar[IA64_AR_BSP]) {
            r = rse_spill_one(c);
            if (r != X_NEXT) {
                return r;
            }
        }
        return X_NEXT;
    }
    /* loadrs: RSC.mode must be 0; keep RSC.loadrs bytes below BSP in the
     * ring (filling what is missing), discard the rest. */
    if ((c->ar[IA64_AR_RSC] & 3) != 0) {
        return illegal(c);
    }
    {
        uint64_t bytes = (c->ar[IA64_AR_RSC] >> 16) & 0x3fff & ~UINT64_C(7);
        uint64_t target = c->ar[IA64_AR_BSP] - bytes;

        if (bytes > c->ar[IA64_AR_BSP]) {
            target = 0;
        }
        if (rse_count(target, c->ar[IA64_AR_BSP]) + cfm_sof(c->cfm) >
            IA64_RSE_PHYS) {
            return illegal(c);
        }
        if (target < c->ar[IA64_AR_BSPSTORE]) {
            return rse_fill_to(c, target);
        }
        c->ar[IA64_AR_BSPSTORE] = target;
    }
    return X_NEXT;
}

/* ------------------------------------------------------------------ */
/* VT-i                                                                */
/* ------------------------------------------------------------------ */

/* Cause code a slot raises under PSR.vm = 1, 0 if it executes. */
static unsigned virt_cause(const struct ia64_insn *in)
{
    unsigned vf = ia64_op_info[in->op].vf;

    switch (in->op) {
    case IA64_OP_MOV_TO_AR_I:
    case IA64_OP_MOV_TO_AR_M:
    case IA64_OP_MOV_TO_AR_IMM_I:
    case IA64_OP_MOV_TO_AR_IMM_M:
    case IA64_OP_MOV_FROM_AR_I:
    case IA64_OP_MOV_FROM_AR_M:
        return in->areg == IA64_AR_ITC ? vf : 0;
    default:
        return vf;
    }
}

/* Virtualization fault (hw-virt-facts C1): vector 0x6100, GR24 = cause,
 * GR25 = opcode (the 41-bit slot) when the hand-offs are enabled; the
 * interruption switched to bank 0, so these are the VMM's bank-0 GRs.
 * The acceleration hook may complete the instruction instead. */
static int virt_fault(struct ia64_cpu *c, unsigned cause,
                      const struct ia64_insn *in)
{
    if (cause <= VTI_CAUSE_MAX) {
        c->virt_cause_count[cause]++;
    }
    if (c->virt_accel != NULL) {
        uint64_t ip = c->ip;
        uint64_t ri = c->psr & IA64_PSR_RI;

        if (c->virt_accel(c->accel_ctx, c, cause, in)) {
            c->virt_accels++;
            if (c->ip != ip || (c->psr & IA64_PSR_RI) != ri) {
                return X_BRANCH;    /* the hook moved the IP itself */
            }
            return X_NEXT;
        }
    }
    c->virt_faults++;
    ia64_interrupt(c, VTI_VIRT_FAULT_VECTOR, 0, false, 0);
    if (c->vti_cause_handoff) {
        c->gr[24] = cause;
        c->nat[24] = 0;
    }
    if (c->vti_opcode_handoff) {
        c->gr[25] = in->raw;
        c->nat[25] = 0;
    }
    return X_FAULT;
}

/* vmsw.0 / vmsw.1 (hw-virt-facts C3, IA64-SDM 3:273): Illegal Operation
 * without VT-i, Privileged Operation at CPL != 0, Virtualization fault
 * unless PSR.it = 1, the ITLB entry of the vmsw page has AR 7 and vmsw is
 * not disabled; then PSR.vm = 0 / 1. */
static int exec_vmsw(struct ia64_cpu *c, const struct ia64_insn *in)
{
    const struct ia64_tlb_entry *e = NULL;

    if (!c->vm_implemented) {
        return illegal(c);
    }
    if (psr_cpl(c) != 0) {
        return fault_ge(c, IA64_GE_PRIV_OP);
    }
    if (c->psr & IA64_PSR_IT) {
        e = tlb_lookup(c, IA64_TLB_I, c->ip);
    }
    if (e == NULL || e->ar != 7 || c->vmsw_disabled) {
        return virt_fault(c, VTI_CAUSE_VMSW, in);
    }
    if (in->op == IA64_OP_VMSW_1) {
        c->psr |= IA64_PSR_VM;
    } else {
        c->psr &= ~IA64_PSR_VM;
    }
    return X_NEXT;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

static int unimplemented(struct ia64_cpu *c, unsigned op)
{
    c->unimpl_count[op < IA64_OP__COUNT ? op : IA64_OP_UNKNOWN]++;
    return illegal(c);
}

static int exec_insn(struct ia64_cpu *c, const struct ia64_insn *in)
{
    unsigned op = in->op;
    uint32_t flags;
    unsigned cause;

    if (op >= IA64_OP__COUNT || op <= IA64_OP_ILLEGAL) {
        return unimplemented(c, op);
    }
    flags = ia64_op_info[op].flags;
    /* Qualifying predicate (Vol. 1 4.3): a false predicate makes the
     * slot a no-op, except that unc compares clear both targets. */
    if (!(flags & IA64_F_NOPRED) && !ia64_pr_get(c, in->qp)) {
        if (in->ctype == IA64_CTYPE_UNC &&
            (in->fmt == IA64_FMT_A6 || in->fmt == IA64_FMT_A8 ||
             in->fmt == IA64_FMT_I16)) {
            if (in->p1 == in->p2) {
                return illegal(c);
            }
            pr_set(c, in->p1, false);
            pr_set(c, in->p2, false);
        }
        return X_NEXT;
    }
    c->op_count[op]++;
    if (op == IA64_OP_VMSW_0 || op == IA64_OP_VMSW_1) {
        return exec_vmsw(c, in);
    }
    if ((flags & IA64_F_PRIV) && psr_cpl(c) != 0) {
        return fault_ge(c, IA64_GE_PRIV_OP);
    }
    if ((c->psr & IA64_PSR_VM) && (cause = virt_cause(in)) != 0) {
        return virt_fault(c, cause, in);
    }

    switch (op) {
    case IA64_OP_NOP_M:
    case IA64_OP_NOP_I:
    case IA64_OP_NOP_B:
    case IA64_OP_NOP_F:
    case IA64_OP_NOP_X:
    case IA64_OP_SRLZ_D:
    case IA64_OP_SRLZ_I:
    case IA64_OP_SYNC_I:
    case IA64_OP_MF:
        return X_NEXT;
    case IA64_OP_BREAK_M:
    case IA64_OP_BREAK_I:
    case IA64_OP_BREAK_B:
    case IA64_OP_BREAK_F:
    case IA64_OP_BREAK_X:
        /* Break Instruction fault (0x2c00), IIM = the immediate. */
        if (c->psr & IA64_PSR_IC) {
            c->cr[IA64_CR_IIM] = (uint64_t)in->imm;
        }
        return fault(c, IA64_VEC_BREAK, 0);
    case IA64_OP_MOVL: {
        CHKW(in->r1);
        WR(in->r1, (uint64_t)in->imm, false);
        return X_NEXT;
    }
    case IA64_OP_MOV_FROM_IP:
        CHKW(in->r1);
        WR(in->r1, c->ip, false);
        return X_NEXT;
    case IA64_OP_MOV_FROM_PR:
        CHKW(in->r1);
        WR(in->r1, c->pr | 1, false);
        return X_NEXT;
    case IA64_OP_MOV_TO_PR: {
        uint64_t v;
        bool n;
        uint64_t mask = (uint64_t)in->imm & ~UINT64_C(1);

        RD(in->r2, v, n);
        if (n) {
            return nat_fault(c, 0);
        }
        c->pr = ((c->pr & ~mask) | (v & mask)) | 1;
        return X_NEXT;
    }
    case IA64_OP_MOV_TO_PR_ROT:
        c->pr = (c->pr & 0xffff) | ((uint64_t)in->imm & ~UINT64_C(0xffff));
        return X_NEXT;
    case IA64_OP_MOV_TO_AR_I:
    case IA64_OP_MOV_TO_AR_M:
    case IA64_OP_MOV_TO_AR_IMM_I:
    case IA64_OP_MOV_TO_AR_IMM_M:
        return exec_mov_to_ar(c, in);
    case IA64_OP_MOV_FROM_AR_I:
    case IA64_OP_MOV_FROM_AR_M:
        return exec_mov_from_ar(c, in);
    case IA64_OP_MOV_TO_CR:
    case IA64_OP_MOV_FROM_CR:
        return exec_mov_cr(c, in);
    case IA64_OP_ALLOC:
        return exec_alloc(c, in);
    case IA64_OP_COVER:
        return exec_cover(c);
    case IA64_OP_RFI:
        return exec_rfi(c);
    case IA64_OP_BSW_0:
        set_psr(c, c->psr & ~IA64_PSR_BN);
        return X_NEXT;
    case IA64_OP_BSW_1:
        set_psr(c, c->psr | IA64_PSR_BN);
        return X_NEXT;
    case IA64_OP_CLRRRB:
        c->cfm &= UINT64_C(0x3ffff);
        return X_NEXT;
    case IA64_OP_CLRRRB_PR:
        c->cfm &= ~(UINT64_C(0x3f) << 32);
        return X_NEXT;
    case IA64_OP_FLUSHRS:
    case IA64_OP_LOADRS:
        return exec_rse(c, in);
    case IA64_OP_SSM:
    case IA64_OP_RSM:
    case IA64_OP_SUM:
    case IA64_OP_RUM:
    case IA64_OP_MOV_TO_PSR_L:
    case IA64_OP_MOV_TO_PSR_UM:
    case IA64_OP_MOV_FROM_PSR:
    case IA64_OP_MOV_FROM_PSR_UM:
        return exec_psr(c, in);
    case IA64_OP_PROBE_R:
    case IA64_OP_PROBE_W:
    case IA64_OP_PROBE_R_IMM:
    case IA64_OP_PROBE_W_IMM:
        return exec_probe(c, in);
    case IA64_OP_ITC_D:
    case IA64_OP_ITC_I:
    case IA64_OP_ITR_D:
    case IA64_OP_ITR_I:
    case IA64_OP_PTC_L:
    case IA64_OP_PTC_G:
    case IA64_OP_PTC_GA:
    case IA64_OP_PTR_D:
    case IA64_OP_PTR_I:
    case IA64_OP_PTC_E:
    case IA64_OP_THASH:
    case IA64_OP_TTAG:
    case IA64_OP_TPA:
    case IA64_OP_TAK:
        return exec_tlb(c, in);
    case IA64_OP_MOV_TO_RR:
    case IA64_OP_MOV_FROM_RR:
    case IA64_OP_MOV_TO_DBR:
    case IA64_OP_MOV_TO_IBR:
    case IA64_OP_MOV_TO_PKR:
    case IA64_OP_MOV_TO_PMC:
    case IA64_OP_MOV_TO_PMD:
    case IA64_OP_MOV_FROM_DBR:
    case IA64_OP_MOV_FROM_IBR:
    case IA64_OP_MOV_FROM_PKR:
    case IA64_OP_MOV_FROM_PMC:
    case IA64_OP_MOV_FROM_PMD:
    case IA64_OP_MOV_FROM_CPUID:
        return exec_indirect(c, in);
    case IA64_OP_BR_COND:
    case IA64_OP_BRL_COND:
    case IA64_OP_BR_CLOOP:
    case IA64_OP_BR_CALL:
    case IA64_OP_BRL_CALL:
    case IA64_OP_BR_CALL_IND:
    case IA64_OP_BR_COND_IND:
    case IA64_OP_BR_RET:
    case IA64_OP_MOV_TO_BR:
    case IA64_OP_MOV_FROM_BR:
        return exec_branch(c, in);
    case IA64_OP_TBIT:
    case IA64_OP_TBIT_AND:
    case IA64_OP_TBIT_OR:
    case IA64_OP_TBIT_OR_ANDCM:
        return exec_tbit(c, in);
    default:
        break;
    }
    switch ((enum ia64_fmt)in->fmt) {
    case IA64_FMT_A1:
    case IA64_FMT_A2:
    case IA64_FMT_A3:
    case IA64_FMT_A4:
    case IA64_FMT_A5:
        return exec_alu(c, in);
    case IA64_FMT_A6:
    case IA64_FMT_A7:
    case IA64_FMT_A8:
        return exec_cmp(c, in);
    case IA64_FMT_I5:
    case IA64_FMT_I7:
    case IA64_FMT_I11:
    case IA64_FMT_I12:
    case IA64_FMT_I13:
    case IA64_FMT_I14:
    case IA64_FMT_I15:
    case IA64_FMT_I29:
        return exec_shift(c, in);
    case IA64_FMT_M1:
    case IA64_FMT_M2:
    case IA64_FMT_M3:
        return exec_load(c, in);
    case IA64_FMT_M4:
    case IA64_FMT_M5:
        return exec_store(c, in);
    default:
        /* br.ia, br.wexit/wtop/cexit/ctop, epc */
        c->op_count[op]--;
        return unimplemented(c, op);
    }
}

/* ------------------------------------------------------------------ */
/* Public entry points                                                 */
/* ------------------------------------------------------------------ */

void ia64_cpu_init(struct ia64_cpu *c, const struct ia64_mem_ops *mem,
                   void *mem_ctx, uint64_t ip)
{
    unsigned i;

    memset(c, 0, sizeof(*c));
    c->mem = mem;
    c->mem_ctx = mem_ctx;
    c->ip = ip & ~UINT64_C(0xf);
    c->pr = 1;
    c->impl_va_msb = 50;        /* Itanium 2: 51 implemented VA bits */
    c->impl_pa_msb = 49;        /* Itanium 2: 50 physical address bits */
    c->vm_implemented = true;
    for (i = 0; i < 8; i++) {
        c->rr[i] = (uint64_t)13 << 2;   /* ps 8 KiB, rid 0, ve 0 */
    }
    /* CPUID[0..1] vendor "GenuineIntel", [3] number = 4 (largest index),
     * family 0x20 (Vol. 1 3.1.11; family value of Itanium 2 9000,
     * recalled). */
    c->cpuid[0] = UINT64_C(0x49656e69756e6547);    /* "GenuineI" */
    c->cpuid[1] = UINT64_C(0x6c65746e);            /* "ntel" */
    c->cpuid[3] = 4 | (UINT64_C(0x20) << 24);
    c->cr[IA64_CR_IVR] = 15;
}

enum ia64_stop ia64_step(struct ia64_cpu *c)
{
    uint8_t bytes[IA64_BUNDLE_BYTES];
    struct ia64_bundle b;
    uint64_t ip;
    uint64_t pa;
    unsigned slot;
    int r;

    if (c->stop != IA64_STOP_NONE) {
        return c->stop;
    }
    if (!c->itc_by_platform) {
        c->ar[IA64_AR_ITC]++;
    }
    slot = psr_ri(c);
    if (c->pal_call != NULL && slot == 0 && c->ip >= c->pal_lo &&
        c->ip < c->pal_hi) {
        c->pal_calls++;
        if (c->pal_call(c->pal_ctx, c) == 0) {
            return c->stop;
        }
    }
    ip = c->ip;
    r = xlate(c, ip, ACC_X, psr_cpl(c), (c->psr & IA64_PSR_IT) != 0, &pa);
    if (r != X_NEXT) {
        return c->stop;
    }
    if ((c->fetch != NULL
             ? c->fetch(c->mem_ctx, pa, bytes, sizeof(bytes))
             : c->mem->read(c->mem_ctx, pa, bytes, sizeof(bytes))) != 0) {
        c->stop = IA64_STOP_BUS_ERROR;
        return c->stop;
    }
    ia64_decode_bundle(bytes, &b);
    if (slot >= b.nslots) {
        illegal(c);
        return c->stop;
    }
    r = exec_insn(c, &b.slot[slot]);
    switch (r) {
    case X_NEXT:
        c->insns++;
        c->iipa_next = ip;
        if (slot + 1u < b.nslots) {
            c->psr = (c->psr & ~IA64_PSR_RI) |
                     ((uint64_t)(slot + 1) << IA64_PSR_RI_SHIFT);
        } else {
            c->ip = ip + IA64_BUNDLE_BYTES;
            c->psr &= ~IA64_PSR_RI;
        }
        break;
    case X_BRANCH:
        c->insns++;
        c->iipa_next = ip;
        break;
    default:
        break;
    }
    return c->stop;
}
