/*
 * sim_apic.c - local APIC in x2APIC mode: registers through MSRs, the
 * timer, interrupt acceptance and priority, EOI, self-IPI, errors.
 *
 * Follows Intel SDM 325462-080 (June 2023), Vol. 3A chapter 11 "Advanced
 * Programmable Interrupt Controller (APIC)".  Sections used, by title
 * (numbers as in that edition):
 *   11.4.3  "Enabling or Disabling the Local APIC"
 *   11.4.7.1 "Local APIC State After Power-Up or Reset"
 *   11.4.7.2 "Local APIC State After It Has Been Software Disabled"
 *   11.5.1  "Local Vector Table" (LVT layouts)
 *   11.5.2  "Valid Interrupt Vectors"
 *   11.5.3  "Error Handling" (ESR)
 *   11.5.4  "APIC Timer"
 *   11.6.1  "Interrupt Command Register (ICR)"
 *   11.8.3.1 "Task and Processor Priorities"
 *   11.8.4  "Interrupt Acceptance for Fixed Interrupts"
 *   11.8.5  "Signaling Interrupt Servicing Completion"
 *   11.8.6  "Task Priority in IA-32e Mode" (CR8 is not routed here)
 *   11.9    "Spurious Interrupt" (SVR)
 *   11.12.1.2 "x2APIC Register Address Space" (the register table)
 *   11.12.1.3 "Reserved Bit Checking"
 *   11.12.5 "x2APIC State Transitions"
 *   11.12.10.2 "Logical Destination Mode in x2APIC Mode" (LDR)
 *   11.12.11 "SELF IPI Register"
 *
 * Approximations:
 *   - One core: an IPI reaches this APIC or nobody.  ICR delivery modes
 *     other than fixed and lowest-priority (SMI, NMI, INIT, SIPI) and
 *     LVT delivery modes other than fixed are counted as dropped.
 *   - Only the timer and the error LVT ever fire: there are no thermal,
 *     performance-monitoring, CMCI or LINT sources.  Level-triggered
 *     interrupts come only through sim_apic_raise().
 *   - TSC-deadline mode is not modelled: LVT timer mode 10b (and the
 *     reserved 11b) set bit 18, which is then reserved and raises #GP, as
 *     on a CPU without CPUID.01H:ECX.TSC_Deadline[24] (the platform must
 *     not report that bit).  IA32_TSC_DEADLINE is not handled here.
 *   - Changing the divide configuration while the timer runs continues
 *     from the current count at the new rate; the part of the current
 *     tick already elapsed is dropped.
 *   - A periodic timer that expired several times between two calls
 *     makes one interrupt (the IRR holds one request per vector) but
 *     counts every expiry.
 *   - Read-only status bits of LVT entries (delivery status 12, remote
 *     IRR 14) read as 0 and are ignored on writes (no #GP), so a read-
 *     modify-write never faults.  SVR bit 9 (focus processor checking,
 *     not supported) is accepted and ignored (reads 0).
 *   - xAPIC mode has no MMIO page (vtsim models no MMIO): the APIC keeps
 *     its state and accepts interrupts, but software cannot reach it.
 *   - An illegal vector (0-15) sent by ICR or SELF IPI to this APIC sets
 *     both "send" and "receive illegal vector" (it is sent and received
 *     locally); an LVT entry with an illegal vector reports the error when
 *     it fires, not when written.
 *   - Entering the disabled state (EN = 0) resets every register but the
 *     ID, as the later xAPIC re-enable must find them at reset values.
 */
#include "sim_apic.h"

#include <string.h>

#include "sim_err.h"
#include "sim_stats.h"

/* ---- the register table ("x2APIC Register Address Space") -------------- */

#define APIC_R 1u
#define APIC_W 2u

struct apic_reg {
    const char *name;
    uint8_t access;         /* APIC_R | APIC_W */
    uint64_t wmask;         /* bits a WRMSR may set */
    uint64_t romask;        /* read-only bits a WRMSR may carry (ignored) */
};

/* LVT layouts ("Local Vector Table"): vector 7:0, delivery mode 10:8,
 * delivery status 12 (RO), polarity 13, remote IRR 14 (RO), trigger 15,
 * mask 16, timer mode 18:17 (bit 18 TSC-deadline: not modelled). */
#define LVT_DS      0x1000u
#define LVT_RIRR    0x4000u
#define LVT_W_TIMER 0x000300FFu
#define LVT_W_DM    0x000107FFu     /* CMCI, thermal, PMI */
#define LVT_W_LINT  0x0001A7FFu
#define LVT_W_ERROR 0x000100FFu
#define LVT_PERIODIC 0x00020000u

/* ICR in x2APIC mode ("Interrupt Command Register (ICR)"): vector 7:0,
 * delivery mode 10:8, destination mode 11, level 14, trigger 15,
 * shorthand 19:18, destination 63:32; bits 12, 13, 17:16, 31:20 reserved. */
#define ICR_W       0xFFFFFFFF000CCFFFull

#define APIC_BANK(off, nm)                                                 \
    [(off) + 0] = { nm "0", APIC_R, 0, 0 },                                \
    [(off) + 1] = { nm "1", APIC_R, 0, 0 },                                \
    [(off) + 2] = { nm "2", APIC_R, 0, 0 },                                \
    [(off) + 3] = { nm "3", APIC_R, 0, 0 },                                \
    [(off) + 4] = { nm "4", APIC_R, 0, 0 },                                \
    [(off) + 5] = { nm "5", APIC_R, 0, 0 },                                \
    [(off) + 6] = { nm "6", APIC_R, 0, 0 },                                \
    [(off) + 7] = { nm "7", APIC_R, 0, 0 }

/* Index: MSR - 0x800.  Rows without a name are reserved (#GP), among them
 * 0x80E (no DFR in x2APIC mode) and 0x831 (the ICR is one 64-bit MSR).
 * The upper 32 bits of every register but the ICR are reserved. */
enum {
    REG_ID = 0x02, REG_VERSION = 0x03, REG_TPR = 0x08, REG_PPR = 0x0A,
    REG_EOI = 0x0B, REG_LDR = 0x0D, REG_SVR = 0x0F, REG_ISR = 0x10,
    REG_TMR = 0x18, REG_IRR = 0x20, REG_ESR = 0x28, REG_LVT_CMCI = 0x2F,
    REG_ICR = 0x30, REG_LVT_TIMER = 0x32, REG_LVT_ERROR = 0x37,
    REG_TMICT = 0x38, REG_TMCCT = 0x39, REG_TDCR = 0x3E,
    REG_SELF_IPI = 0x3F, REG__COUNT = 0x40
};

static const struct apic_reg apic_regs[REG__COUNT] = {
    [REG_ID] = { "ID", APIC_R, 0, 0 },
    [REG_VERSION] = { "VERSION", APIC_R, 0, 0 },
    [REG_TPR] = { "TPR", APIC_R | APIC_W, 0xFF, 0 },
    [REG_PPR] = { "PPR", APIC_R, 0, 0 },
    [REG_EOI] = { "EOI", APIC_W, 0, 0 },            /* non-zero: #GP */
    [REG_LDR] = { "LDR", APIC_R, 0, 0 },
    [REG_SVR] = { "SVR", APIC_R | APIC_W, 0x11FF, 0x200 },
    APIC_BANK(REG_ISR, "ISR"),
    APIC_BANK(REG_TMR, "TMR"),
    APIC_BANK(REG_IRR, "IRR"),
    [REG_ESR] = { "ESR", APIC_R | APIC_W, 0, 0 },   /* non-zero: #GP */
    [0x2F] = { "LVT_CMCI", APIC_R | APIC_W, LVT_W_DM, LVT_DS },
    [REG_ICR] = { "ICR", APIC_R | APIC_W, ICR_W, 0 },
    [0x32] = { "LVT_TIMER", APIC_R | APIC_W, LVT_W_TIMER, LVT_DS },
    [0x33] = { "LVT_THERMAL", APIC_R | APIC_W, LVT_W_DM, LVT_DS },
    [0x34] = { "LVT_PMI", APIC_R | APIC_W, LVT_W_DM, LVT_DS },
    [0x35] = { "LVT_LINT0", APIC_R | APIC_W, LVT_W_LINT, LVT_DS | LVT_RIRR },
    [0x36] = { "LVT_LINT1", APIC_R | APIC_W, LVT_W_LINT, LVT_DS | LVT_RIRR },
    [0x37] = { "LVT_ERROR", APIC_R | APIC_W, LVT_W_ERROR, LVT_DS },
    [REG_TMICT] = { "TIMER_INITIAL_COUNT", APIC_R | APIC_W, 0xFFFFFFFFu, 0 },
    [REG_TMCCT] = { "TIMER_CURRENT_COUNT", APIC_R, 0, 0 },
    [REG_TDCR] = { "TIMER_DIVIDE", APIC_R | APIC_W, 0xB, 0 },
    [REG_SELF_IPI] = { "SELF_IPI", APIC_W, 0xFF, 0 },
};

/* LVT index of register offsets 0x2F, 0x32-0x37. */
static int apic_lvt_index(unsigned off)
{
    if (off == REG_LVT_CMCI) {
        return SIM_APIC_LVT_CMCI;
    }
    if (off >= REG_LVT_TIMER && off <= REG_LVT_ERROR) {
        return (int)(off - REG_LVT_TIMER) + SIM_APIC_LVT_TIMER;
    }
    return -1;
}

const char *sim_apic_reg_name(uint32_t msr)
{
    if (msr < SIM_APIC_MSR_FIRST || msr - SIM_APIC_MSR_FIRST >= REG__COUNT) {
        return NULL;
    }
    return apic_regs[msr - SIM_APIC_MSR_FIRST].name;
}

/* ---- vector bitmaps (IRR, ISR, TMR: 8 x 32 bits, vector v in word v/32,
 * bit v%32) ------------------------------------------------------------ */

static bool vec_test(const uint32_t *bm, unsigned v)
{
    return (bm[v >> 5] >> (v & 31)) & 1u;
}

static void vec_set(uint32_t *bm, unsigned v)
{
    bm[v >> 5] |= 1u << (v & 31);
}

static void vec_clear(uint32_t *bm, unsigned v)
{
    bm[v >> 5] &= ~(1u << (v & 31));
}

/* Highest set vector, -1 if none. */
static int vec_highest(const uint32_t *bm)
{
    int w;

    for (w = 7; w >= 0; w--) {
        if (bm[w] != 0) {
            return w * 32 + 31 - __builtin_clz(bm[w]);
        }
    }
    return -1;
}

/* ---- state ------------------------------------------------------------- */

static bool apic_hw_enabled(const struct sim_apic *a)
{
    return (a->base & SIM_APIC_BASE_EN) != 0;
}

static bool apic_sw_enabled(const struct sim_apic *a)
{
    return (a->svr & SIM_APIC_SVR_ENABLE) != 0;
}

/* Registers after power-up or reset ("Local APIC State After Power-Up or
 * Reset"): IRR, ISR, TMR, ICR, TPR, divide configuration and both counts
 * zero, every LVT masked, SVR 0xFF.  The ID is kept. */
static void apic_reset_regs(struct sim_apic *a)
{
    unsigned i;

    a->tpr = 0;
    a->svr = 0xFF;
    for (i = 0; i < SIM_APIC_LVT__COUNT; i++) {
        a->lvt[i] = SIM_APIC_LVT_MASKED;
    }
    a->esr = 0;
    a->esr_pending = 0;
    a->icr = 0;
    a->dcr = 0;
    a->initial_count = 0;
    memset(a->irr, 0, sizeof(a->irr));
    memset(a->isr, 0, sizeof(a->isr));
    memset(a->tmr, 0, sizeof(a->tmr));
    a->timer_armed = false;
    a->timer_count = 0;
    a->timer_base = a->last;
    a->timer_period = a->bus_ratio * 2u;    /* DCR 0: divide by 2 */
}

int sim_apic_init(struct sim_apic *a, uint32_t id, uint32_t bus_ratio,
                  unsigned maxphyaddr, bool bsp)
{
    if (a == NULL || bus_ratio == 0 || bus_ratio > SIM_APIC_BUS_RATIO_MAX ||
        id == 0xFFFFFFFFu || maxphyaddr < 32 || maxphyaddr > 52) {
        return -SIM_EINVAL;
    }
    memset(a, 0, sizeof(*a));
    a->id = id;
    a->bus_ratio = bus_ratio;
    /* IA32_APIC_BASE: bits 7:0 and 9 reserved, base address in
     * MAXPHYADDR-1:12, bits 63:MAXPHYADDR reserved. */
    a->base_rsvd = 0xFFull | SIM_BIT(9) | ~SIM_MASK(maxphyaddr - 1, 0);
    a->base = SIM_APIC_BASE_DEFAULT | SIM_APIC_BASE_EN |
              (bsp ? SIM_APIC_BASE_BSP : 0);
    apic_reset_regs(a);
    return 0;
}

bool sim_apic_x2apic(const struct sim_apic *a)
{
    return (a->base & (SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD)) ==
           (SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD);
}

/* Clamp guest time so that it never runs backwards in the model. */
static uint64_t apic_now(struct sim_apic *a, uint64_t now)
{
    if (now < a->last) {
        now = a->last;
    }
    a->last = now;
    return now;
}

/* ---- priorities ("Task and Processor Priorities") ---------------------- */

/* PPR: if TPR[7:4] >= ISRV[7:4] then TPR, else ISRV[7:4] with 3:0 zero,
 * where ISRV is the highest in-service vector (0 if none). */
static uint32_t apic_ppr(const struct sim_apic *a)
{
    int isrv = vec_highest(a->isr);
    uint32_t isrc = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0u;

    return (a->tpr & 0xF0u) >= isrc ? a->tpr : isrc;
}

/* LDR in x2APIC mode ("Logical Destination Mode in x2APIC Mode"): cluster
 * ID (x2APIC ID[19:4]) in 31:16, bit (x2APIC ID[3:0]) set in 15:0. */
static uint32_t apic_ldr(const struct sim_apic *a)
{
    return ((a->id >> 4) << 16) | (1u << (a->id & 0xF));
}

/* ---- acceptance and errors --------------------------------------------- */

static int apic_accept(struct sim_apic *a, unsigned vector, bool level);

/* Record error bits ("Error Handling") and raise the error LVT's interrupt
 * when it is unmasked.  An illegal error vector is itself an error but
 * raises nothing more. */
static void apic_error(struct sim_apic *a, uint32_t bits)
{
    uint32_t lvt = a->lvt[SIM_APIC_LVT_ERROR];

    a->esr_pending |= bits;
    a->st.errors++;
    if (!(lvt & SIM_APIC_LVT_MASKED)) {
        if ((lvt & 0xFFu) < 16) {
            a->esr_pending |= SIM_APIC_ESR_RECV_ILLEGAL;
        } else {
            (void)apic_accept(a, lvt & 0xFFu, false);
        }
    }
}

/* "Interrupt Acceptance for Fixed Interrupts": a fixed interrupt sets its
 * IRR bit (a second request for a vector already in the IRR merges with
 * it); TMR records the trigger mode.  Vectors 0-15 are refused with
 * "receive illegal vector" ("Valid Interrupt Vectors"); a software-
 * disabled APIC takes no new fixed interrupts ("Local APIC State After It
 * Has Been Software Disabled"). */
static int apic_accept(struct sim_apic *a, unsigned vector, bool level)
{
    if (!apic_hw_enabled(a) || !apic_sw_enabled(a)) {
        a->st.dropped++;
        return -1;
    }
    if (vector < 16) {
        a->st.dropped++;
        apic_error(a, SIM_APIC_ESR_RECV_ILLEGAL);
        return -1;
    }
    if (vec_test(a->irr, vector)) {
        a->st.coalesced++;
    } else {
        vec_set(a->irr, vector);
        a->st.accepted++;
    }
    if (level) {
        vec_set(a->tmr, vector);
    } else {
        vec_clear(a->tmr, vector);
    }
    return 0;
}

int sim_apic_raise(struct sim_apic *a, unsigned vector, bool level,
                   uint64_t now)
{
    if (vector > 255) {
        return -1;
    }
    sim_apic_advance(a, now);
    return apic_accept(a, vector, level);
}

/* ---- timer ("APIC Timer") ---------------------------------------------- */

/* Divide configuration bits 3, 1:0: 000 -> 2, 001 -> 4, ..., 110 -> 128,
 * 111 -> 1. */
static uint32_t apic_divisor(uint32_t dcr)
{
    unsigned code = ((dcr >> 1) & 4u) | (dcr & 3u);

    return code == 7 ? 1u : 2u << code;
}

/* Cycle at which the running count reaches zero (saturating). */
static uint64_t apic_deadline(const struct sim_apic *a)
{
    uint64_t span = (uint64_t)a->timer_count * a->timer_period;

    return a->timer_base > UINT64_MAX - span ? UINT64_MAX
                                            : a->timer_base + span;
}

/* Bring the timer up to `now`: handle every expiry at or before it. */
static void apic_timer_sync(struct sim_apic *a, uint64_t now)
{
    uint64_t deadline;
    uint32_t lvt = a->lvt[SIM_APIC_LVT_TIMER];

    if (!a->timer_armed) {
        return;
    }
    deadline = apic_deadline(a);
    if (now < deadline || deadline == UINT64_MAX) {
        return;
    }
    if ((lvt & LVT_PERIODIC) && a->initial_count != 0) {
        /* Periodic: reload from the initial count at every expiry. */
        uint64_t span = (uint64_t)a->initial_count * a->timer_period;
        uint64_t n = (now - deadline) / span;

        a->st.timer_expiries += n + 1;
        a->timer_base = deadline + n * span;
        a->timer_count = a->initial_count;
    } else {
        /* One-shot: stays at zero until the initial count is written. */
        a->st.timer_expiries++;
        a->timer_armed = false;
        a->timer_count = 0;
        a->timer_base = deadline;
    }
    if (!(lvt & SIM_APIC_LVT_MASKED)) {
        a->st.timer_interrupts++;
        apic_accept(a, lvt & 0xFFu, false);
    }
}

static uint32_t apic_current_count(const struct sim_apic *a, uint64_t now)
{
    uint64_t ticks;

    if (!a->timer_armed) {
        return a->timer_count;
    }
    ticks = (now - a->timer_base) / a->timer_period;
    return ticks >= a->timer_count ? 0 : a->timer_count - (uint32_t)ticks;
}

uint64_t sim_apic_next_event(const struct sim_apic *a)
{
    if (!a->timer_armed || (a->lvt[SIM_APIC_LVT_TIMER] & SIM_APIC_LVT_MASKED)) {
        return UINT64_MAX;
    }
    return apic_deadline(a);
}

void sim_apic_advance(struct sim_apic *a, uint64_t now)
{
    apic_timer_sync(a, apic_now(a, now));
}

/* ---- delivery ---------------------------------------------------------- */

int sim_apic_pending(const struct sim_apic *a)
{
    int irrv;

    if (!apic_hw_enabled(a)) {
        return -1;
    }
    /* Requests already in the IRR are still delivered when the APIC has
     * been software-disabled ("Local APIC State After It Has Been Software
     * Disabled": they are held and need masking or handling). */
    irrv = vec_highest(a->irr);
    if (irrv < 0 || ((uint32_t)irrv & 0xF0u) <= (apic_ppr(a) & 0xF0u)) {
        return -1;
    }
    return irrv;
}

void sim_apic_ack(struct sim_apic *a, int vector)
{
    if (vector < 16 || vector > 255 || !vec_test(a->irr, (unsigned)vector)) {
        return;
    }
    vec_clear(a->irr, (unsigned)vector);
    vec_set(a->isr, (unsigned)vector);
    a->st.delivered++;
}

/* "Signaling Interrupt Servicing Completion": EOI retires the highest-
 * priority in-service vector; for a level-triggered one (TMR set) the EOI
 * goes on to the I/O APICs unless SVR bit 12 suppresses it. */
static void apic_eoi(struct sim_apic *a)
{
    int v = vec_highest(a->isr);

    a->st.eois++;
    if (v < 0) {
        return;
    }
    vec_clear(a->isr, (unsigned)v);
    if (vec_test(a->tmr, (unsigned)v) &&
        !(a->svr & SIM_APIC_SVR_NO_EOI_BCAST)) {
        a->st.eoi_broadcasts++;
        if (a->eoi_fn != NULL) {
            a->eoi_fn(a->eoi_ctx, (uint8_t)v);
        }
    }
}

/* Whether an ICR destination names this APIC (x2APIC physical ID, the
 * broadcast 0xFFFFFFFF, or a logical cluster/bitmap match). */
static bool apic_icr_match(const struct sim_apic *a, uint64_t icr)
{
    uint32_t dest = (uint32_t)(icr >> 32);
    uint32_t ldr;

    if (dest == 0xFFFFFFFFu) {
        return true;
    }
    if (!(icr & SIM_BIT(11))) {
        return dest == a->id;
    }
    ldr = apic_ldr(a);
    return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xFFFFu) != 0;
}

/* A fixed interrupt sent by this APIC (ICR, SELF IPI) to itself or not. */
static void apic_send(struct sim_apic *a, unsigned vector, bool to_self)
{
    if (vector < 16) {
        a->st.dropped++;
        apic_error(a, SIM_APIC_ESR_SEND_ILLEGAL |
                          (to_self ? SIM_APIC_ESR_RECV_ILLEGAL : 0));
        return;
    }
    if (to_self) {
        apic_accept(a, vector, false);
    }
}

static void apic_icr_write(struct sim_apic *a, uint64_t v)
{
    unsigned mode = (unsigned)(v >> 8) & 7u;
    unsigned shorthand = (unsigned)(v >> 18) & 3u;
    bool self;

    a->icr = v;
    a->st.ipis++;
    switch (shorthand) {
    case 1:                     /* self */
    case 2:                     /* all including self */
        self = true;
        break;
    case 3:                     /* all excluding self: nobody else */
        self = false;
        break;
    default:
        self = apic_icr_match(a, v);
        break;
    }
    if (mode == 0 || mode == 1) {   /* fixed, lowest priority */
        apic_send(a, (unsigned)v & 0xFFu, self);
    } else {
        a->st.dropped++;            /* SMI, NMI, INIT, SIPI: not modelled */
    }
}

/* ---- MSR access -------------------------------------------------------- */

static const struct apic_reg *apic_reg_at(const struct sim_apic *a,
                                          uint32_t msr)
{
    const struct apic_reg *r;

    if (!sim_apic_x2apic(a) || msr < SIM_APIC_MSR_FIRST ||
        msr - SIM_APIC_MSR_FIRST >= REG__COUNT) {
        return NULL;
    }
    r = &apic_regs[msr - SIM_APIC_MSR_FIRST];
    return r->name != NULL ? r : NULL;
}

int sim_apic_rdmsr(struct sim_apic *a, uint32_t msr, uint64_t now,
                   uint64_t *val)
{
    const struct apic_reg *r = apic_reg_at(a, msr);
    unsigned off = msr - SIM_APIC_MSR_FIRST;
    uint64_t v;
    int lvt;

    if (r == NULL || !(r->access & APIC_R) || val == NULL) {
        a->st.gp++;
        return -1;
    }
    now = apic_now(a, now);
    apic_timer_sync(a, now);
    lvt = apic_lvt_index(off);
    if (lvt >= 0) {
        *val = a->lvt[lvt];
        return 0;
    }
    switch (off) {
    case REG_ID:
        v = a->id;
        break;
    case REG_VERSION:
        v = SIM_APIC_VERSION;
        break;
    case REG_TPR:
        v = a->tpr;
        break;
    case REG_PPR:
        v = apic_ppr(a);
        break;
    case REG_LDR:
        v = apic_ldr(a);
        break;
    case REG_SVR:
        v = a->svr;
        break;
    case REG_ESR:
        v = a->esr;
        break;
    case REG_ICR:
        v = a->icr;
        break;
    case REG_TMICT:
        v = a->initial_count;
        break;
    case REG_TMCCT:
        v = apic_current_count(a, now);
        break;
    case REG_TDCR:
        v = a->dcr;
        break;
    default:
        if (off >= REG_ISR && off < REG_ISR + 8) {
            v = a->isr[off - REG_ISR];
        } else if (off >= REG_TMR && off < REG_TMR + 8) {
            v = a->tmr[off - REG_TMR];
        } else if (ALWAYS(off >= REG_IRR && off < REG_IRR + 8)) {
            v = a->irr[off - REG_IRR];
        } else {
            v = 0;
        }
        break;
    }
    *val = v;
    return 0;
}

/* "Local APIC State After It Has Been Software Disabled": clearing SVR
 * bit 8 masks every LVT entry, and while it is clear the masks cannot be
 * cleared. */
static void apic_svr_write(struct sim_apic *a, uint32_t v)
{
    unsigned i;

    a->svr = v & ~0x200u;           /* bit 9: accepted, not kept */
    if (!apic_sw_enabled(a)) {
        for (i = 0; i < SIM_APIC_LVT__COUNT; i++) {
            a->lvt[i] |= SIM_APIC_LVT_MASKED;
        }
    }
}

static void apic_tdcr_write(struct sim_apic *a, uint32_t v, uint64_t now)
{
    uint64_t period = (uint64_t)a->bus_ratio * apic_divisor(v);

    if (a->timer_armed) {
        a->timer_count = apic_current_count(a, now);
        a->timer_base = now;
    }
    a->dcr = v;
    a->timer_period = period;
}

/* "APIC Timer": writing the initial count loads the current count and
 * starts counting; 0 stops the timer. */
static void apic_tmict_write(struct sim_apic *a, uint32_t v, uint64_t now)
{
    a->initial_count = v;
    a->timer_count = v;
    a->timer_base = now;
    a->timer_armed = v != 0;
}

int sim_apic_wrmsr(struct sim_apic *a, uint32_t msr, uint64_t val,
                   uint64_t now)
{
    const struct apic_reg *r = apic_reg_at(a, msr);
    unsigned off = msr - SIM_APIC_MSR_FIRST;
    uint32_t v32;
    int lvt;

    /* "Reserved Bit Checking": a non-zero write to a reserved bit raises
     * #GP; so does a write to a read-only register. */
    if (r == NULL || !(r->access & APIC_W) ||
        (val & ~(r->wmask | r->romask)) != 0) {
        a->st.gp++;
        return -1;
    }
    val &= r->wmask;
    v32 = (uint32_t)val;
    now = apic_now(a, now);
    apic_timer_sync(a, now);
    lvt = apic_lvt_index(off);
    if (lvt >= 0) {
        if (!apic_sw_enabled(a)) {
            v32 |= SIM_APIC_LVT_MASKED;
        }
        a->lvt[lvt] = v32;
        return 0;
    }
    switch (off) {
    case REG_TPR:
        a->tpr = v32;
        break;
    case REG_EOI:
        apic_eoi(a);
        break;
    case REG_SVR:
        apic_svr_write(a, v32);
        break;
    case REG_ESR:
        /* A write (of zero) latches the errors seen since the last one. */
        a->esr = a->esr_pending;
        a->esr_pending = 0;
        break;
    case REG_ICR:
        apic_icr_write(a, val);
        break;
    case REG_TMICT:
        apic_tmict_write(a, v32, now);
        break;
    case REG_TDCR:
        apic_tdcr_write(a, v32, now);
        break;
    case REG_SELF_IPI:
        /* "SELF IPI Register": a fixed, edge-triggered IPI to itself. */
        a->st.self_ipis++;
        apic_send(a, v32, true);
        break;
    default:
        (void)NEVER(1);             /* every writable row is handled */
        break;
    }
    return 0;
}

/* ---- IA32_APIC_BASE ("x2APIC State Transitions") ----------------------- */

enum apic_mode { MODE_DISABLED, MODE_INVALID, MODE_XAPIC, MODE_X2APIC };

static enum apic_mode apic_mode_of(uint64_t base)
{
    return (enum apic_mode)(((base & SIM_APIC_BASE_EN) ? 2 : 0) |
                            ((base & SIM_APIC_BASE_EXTD) ? 1 : 0));
}

uint64_t sim_apic_get_base(const struct sim_apic *a)
{
    return a->base;
}

/* Valid: disabled <-> xAPIC, xAPIC -> x2APIC, x2APIC -> disabled, and any
 * write that keeps the mode.  #GP: reserved bits, EN = 0 with EXTD = 1
 * (invalid state), x2APIC -> xAPIC, disabled -> x2APIC. */
int sim_apic_set_base(struct sim_apic *a, uint64_t val, uint64_t now)
{
    enum apic_mode from = apic_mode_of(a->base);
    enum apic_mode to = apic_mode_of(val);

    if ((val & a->base_rsvd) != 0 || to == MODE_INVALID ||
        (from == MODE_X2APIC && to == MODE_XAPIC) ||
        (from == MODE_DISABLED && to == MODE_X2APIC)) {
        a->st.gp++;
        return -1;
    }
    now = apic_now(a, now);
    apic_timer_sync(a, now);
    if (to == MODE_DISABLED && from != MODE_DISABLED) {
        /* "Enabling or Disabling the Local APIC": a disabled APIC is as
         * if absent; its registers come back at reset values. */
        apic_reset_regs(a);
    }
    a->base = val;
    return 0;
}

/* ---- stats ------------------------------------------------------------- */

int sim_apic_register_stats(const struct sim_apic *a, struct sim_stats *s,
                            const char *obj)
{
    const struct sim_stat_decl d[] = {
        { "timer_expiries", "events", "APIC timer count reached zero",
          &a->st.timer_expiries },
        { "timer_interrupts", "events",
          "APIC timer expiries with the LVT unmasked",
          &a->st.timer_interrupts },
        { "eois", "events", "writes to the EOI register", &a->st.eois },
        { "eoi_broadcasts", "events",
          "EOIs of level-triggered vectors sent to the I/O APICs",
          &a->st.eoi_broadcasts },
        { "self_ipis", "events", "writes to SELF IPI", &a->st.self_ipis },
        { "ipis", "events", "writes to the ICR", &a->st.ipis },
        { "accepted", "events", "interrupts set in the IRR",
          &a->st.accepted },
        { "coalesced", "events",
          "interrupts merged with a pending IRR request", &a->st.coalesced },
        { "dropped", "events",
          "interrupts refused (illegal vector, disabled, unmodelled)",
          &a->st.dropped },
        { "delivered", "events", "interrupts taken by the core (INTA)",
          &a->st.delivered },
        { "errors", "events", "errors recorded for the ESR",
          &a->st.errors },
        { "gp", "events", "APIC MSR accesses that raised #GP",
          &a->st.gp },
    };

    return sim_stat_counters(s, obj, d, SIM_ARRAY_SIZE(d));
}
