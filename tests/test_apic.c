/* test_apic.c - suite "apic": the local APIC in x2APIC mode (sim_apic).
 *
 * Each test names the SDM rule it checks (Intel SDM 325462-080, Vol. 3A
 * chapter "Advanced Programmable Interrupt Controller (APIC)"). */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "sim/sim_apic.h"
#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "test_suites.h"

#define BASE_X2 (SIM_APIC_BASE_DEFAULT | SIM_APIC_BASE_BSP | \
                 SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD)

#define MSR_ID        0x802u
#define MSR_VERSION   0x803u
#define MSR_TPR       0x808u
#define MSR_PPR       0x80Au
#define MSR_EOI       0x80Bu
#define MSR_LDR       0x80Du
#define MSR_SVR       0x80Fu
#define MSR_ISR0      0x810u
#define MSR_TMR0      0x818u
#define MSR_IRR0      0x820u
#define MSR_ESR       0x828u
#define MSR_LVT_CMCI  0x82Fu
#define MSR_ICR       0x830u
#define MSR_LVT_TIMER 0x832u
#define MSR_LVT_THERM 0x833u
#define MSR_LVT_PMI   0x834u
#define MSR_LVT_LINT0 0x835u
#define MSR_LVT_LINT1 0x836u
#define MSR_LVT_ERROR 0x837u
#define MSR_TMICT     0x838u
#define MSR_TMCCT     0x839u
#define MSR_TDCR      0x83Eu
#define MSR_SELF_IPI  0x83Fu

/* An APIC in x2APIC mode and software-enabled: ID `id`, ratio `ratio`. */
static void apic_up(struct sim_apic *a, uint32_t id, uint32_t ratio)
{
    CU_ASSERT_FATAL(sim_apic_init(a, id, ratio, 39, true) == 0);
    CU_ASSERT_FATAL(sim_apic_set_base(a, BASE_X2, 0) == 0);
    CU_ASSERT_FATAL(sim_apic_wrmsr(a, MSR_SVR, 0x1FF, 0) == 0);
}

static uint64_t rd(struct sim_apic *a, uint32_t msr, uint64_t now)
{
    uint64_t v = 0xdeadbeefull;

    CU_ASSERT_EQUAL(sim_apic_rdmsr(a, msr, now, &v), 0);
    return v;
}

static bool irr_has(struct sim_apic *a, unsigned v)
{
    return (rd(a, MSR_IRR0 + v / 32, a->last) >> (v % 32)) & 1;
}

static bool isr_has(struct sim_apic *a, unsigned v)
{
    return (rd(a, MSR_ISR0 + v / 32, a->last) >> (v % 32)) & 1;
}

/* ---- IA32_APIC_BASE: "x2APIC State Transitions" ------------------------ */

static void test_apic_init_args(void)
{
    struct sim_apic a;

    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 0, 39, true), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, SIM_APIC_BUS_RATIO_MAX + 1, 39,
                                  true), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0xFFFFFFFFu, 1, 39, true),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 31, true), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 53, true), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_apic_init(NULL, 0, 1, 39, true), -SIM_EINVAL);
}

/* Out of reset: xAPIC mode at 0xFEE00000 with the BSP flag. */
static void test_apic_base_reset(void)
{
    struct sim_apic a;
    uint64_t v;

    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 39, true), 0);
    CU_ASSERT_EQUAL(sim_apic_get_base(&a), 0xFEE00900ull);
    CU_ASSERT_FALSE(sim_apic_x2apic(&a));
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 39, false), 0);
    CU_ASSERT_EQUAL(sim_apic_get_base(&a), 0xFEE00800ull);
    /* The x2APIC MSRs #GP outside x2APIC mode
     * ("x2APIC Register Address Space"). */
    CU_ASSERT_EQUAL(sim_apic_rdmsr(&a, MSR_ID, 0, &v), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0, 0), -1);
    CU_ASSERT_EQUAL(a.st.gp, 2);
}

static void test_apic_base_transitions(void)
{
    const uint64_t b = SIM_APIC_BASE_DEFAULT;
    const uint64_t en = SIM_APIC_BASE_EN;
    const uint64_t extd = SIM_APIC_BASE_EXTD;
    struct sim_apic a;

    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 39, false), 0);
    /* xAPIC -> invalid (EN = 0, EXTD = 1): #GP, nothing changes. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | extd, 0), -1);
    CU_ASSERT_EQUAL(sim_apic_get_base(&a), b | en);
    /* xAPIC -> x2APIC: valid. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en | extd, 0), 0);
    CU_ASSERT(sim_apic_x2apic(&a));
    /* x2APIC -> xAPIC: #GP. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en, 0), -1);
    /* x2APIC -> invalid: #GP. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | extd, 0), -1);
    CU_ASSERT(sim_apic_x2apic(&a));
    /* x2APIC -> x2APIC (rewrite): valid. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en | extd, 0), 0);
    /* x2APIC -> disabled: valid. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b, 0), 0);
    CU_ASSERT_FALSE(sim_apic_x2apic(&a));
    /* disabled -> x2APIC: #GP (only through xAPIC). */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en | extd, 0), -1);
    /* disabled -> invalid: #GP. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | extd, 0), -1);
    /* disabled -> xAPIC -> disabled -> xAPIC -> x2APIC. */
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, b | en | extd, 0), 0);
    CU_ASSERT_EQUAL(a.st.gp, 5);
}

/* Reserved bits of IA32_APIC_BASE: 7:0, 9, 63:MAXPHYADDR; the base address
 * itself may move. */
static void test_apic_base_reserved(void)
{
    struct sim_apic a;
    const uint64_t ok = SIM_APIC_BASE_DEFAULT | SIM_APIC_BASE_EN;
    unsigned bit;

    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 39, false), 0);
    for (bit = 0; bit < 8; bit++) {
        CU_ASSERT_EQUAL(sim_apic_set_base(&a, ok | SIM_BIT(bit), 0), -1);
    }
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, ok | SIM_BIT(9), 0), -1);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, ok | SIM_BIT(39), 0), -1);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, ok | SIM_BIT(63), 0), -1);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, ok | SIM_BIT(38), 0), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, 0xFEC00000ull | SIM_APIC_BASE_EN,
                                      0), 0);
    CU_ASSERT_EQUAL(sim_apic_get_base(&a), 0xFEC00800ull);
}

/* Disabling the APIC (EN = 0) loses every register but the ID: after
 * re-enabling, the power-up values are back. */
static void test_apic_base_disable_resets(void)
{
    struct sim_apic a;

    apic_up(&a, 7, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x30, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 1000, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x50, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x50);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT, 10), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT |
                                      SIM_APIC_BASE_EN, 20), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT |
                                      SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD,
                                      30), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ID, 30), 7);
    CU_ASSERT_EQUAL(rd(&a, MSR_TPR, 30), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_SVR, 30), 0xFF);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_TIMER, 30), 0x10000);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMICT, 30), 0);
    CU_ASSERT_FALSE(irr_has(&a, 0x50));
}

/* ---- registers: "x2APIC Register Address Space", "Reserved Bit
 * Checking" ---------------------------------------------------------------- */

/* Power-up values ("Local APIC State After Power-Up or Reset"). */
static void test_apic_reset_values(void)
{
    static const uint32_t lvts[] = {
        MSR_LVT_CMCI, MSR_LVT_TIMER, MSR_LVT_THERM, MSR_LVT_PMI,
        MSR_LVT_LINT0, MSR_LVT_LINT1, MSR_LVT_ERROR
    };
    struct sim_apic a;
    unsigned i;

    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, 1, 39, true), 0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, BASE_X2, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_SVR, 0), 0xFF);
    CU_ASSERT_EQUAL(rd(&a, MSR_TPR, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ICR, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TDCR, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMICT, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0);
    for (i = 0; i < SIM_ARRAY_SIZE(lvts); i++) {
        CU_ASSERT_EQUAL(rd(&a, lvts[i], 0), 0x10000);
    }
    for (i = 0; i < 8; i++) {
        CU_ASSERT_EQUAL(rd(&a, MSR_ISR0 + i, 0), 0);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMR0 + i, 0), 0);
        CU_ASSERT_EQUAL(rd(&a, MSR_IRR0 + i, 0), 0);
    }
}

/* ID is the 32-bit x2APIC ID; LDR is derived from it ("Logical
 * Destination Mode in x2APIC Mode"); version: max LVT entry 6. */
static void test_apic_id_version_ldr(void)
{
    struct sim_apic a;

    apic_up(&a, 0x25, 1);
    CU_ASSERT_EQUAL(rd(&a, MSR_ID, 0), 0x25);
    CU_ASSERT_EQUAL(rd(&a, MSR_LDR, 0), (2u << 16) | (1u << 5));
    CU_ASSERT_EQUAL((rd(&a, MSR_VERSION, 0) >> 16) & 0xFF, 6);
    CU_ASSERT_EQUAL(rd(&a, MSR_VERSION, 0) & 0xFF, 0x15);
    CU_ASSERT(rd(&a, MSR_VERSION, 0) & SIM_BIT(24));
    apic_up(&a, 0x12345, 1);
    CU_ASSERT_EQUAL(rd(&a, MSR_LDR, 0), (0x1234u << 16) | (1u << 5));
}

/* Which MSRs of 0x800-0x8FF exist and in which direction: reads of the
 * write-only EOI and SELF IPI, writes of the read-only registers, and
 * every unlisted address (0x80E: no DFR; 0x831: no ICR high half) #GP. */
static void test_apic_register_map(void)
{
    struct sim_apic a;
    uint32_t msr;

    apic_up(&a, 0, 1);
    for (msr = 0x7F0; msr <= 0x90F; msr++) {
        unsigned o = msr - 0x800;
        bool readable = msr >= 0x800 && msr <= 0x83F &&
            (o == 0x02 || o == 0x03 || o == 0x08 || o == 0x0A ||
             o == 0x0D || o == 0x0F || (o >= 0x10 && o <= 0x28) ||
             o == 0x2F || o == 0x30 || (o >= 0x32 && o <= 0x39) ||
             o == 0x3E);
        bool writable = msr >= 0x800 && msr <= 0x83F &&
            (o == 0x08 || o == 0x0B || o == 0x0F || o == 0x28 ||
             o == 0x2F || o == 0x30 || (o >= 0x32 && o <= 0x38) ||
             o == 0x3E || o == 0x3F);
        uint64_t v;

        CU_ASSERT_EQUAL(sim_apic_rdmsr(&a, msr, 0, &v), readable ? 0 : -1);
        /* Writing what was read back (0 for the write-only ones) keeps
         * the state; the SVR keeps the APIC enabled. */
        if (!readable || msr == MSR_ESR) {
            v = 0;
        }
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, msr, v, 0), writable ? 0 : -1);
        CU_ASSERT_EQUAL(sim_apic_reg_name(msr) != NULL, readable || writable);
    }
    CU_ASSERT_STRING_EQUAL(sim_apic_reg_name(0x830), "ICR");
    CU_ASSERT_STRING_EQUAL(sim_apic_reg_name(0x823), "IRR3");
    CU_ASSERT_PTR_NULL(sim_apic_reg_name(0x80E));
    CU_ASSERT_PTR_NULL(sim_apic_reg_name(0x831));
}

/* "Reserved Bit Checking": a non-zero write to a reserved bit #GPs; the
 * upper half of every register but the ICR is reserved; EOI and ESR take
 * only zero. */
static void test_apic_reserved_bits(void)
{
    static const struct {
        uint32_t msr;
        uint64_t bad;
        uint64_t good;
    } cases[] = {
        { MSR_TPR, 0x100, 0xFF },
        { MSR_TPR, SIM_BIT(32), 0 },
        { MSR_EOI, 1, 0 },
        { MSR_EOI, SIM_BIT(40), 0 },
        { MSR_ESR, 0x40, 0 },
        { MSR_SVR, 0x400, 0x11FF },         /* 12: EOI-broadcast off */
        { MSR_SVR, SIM_BIT(32), 0x1FF },
        { MSR_ICR, SIM_BIT(12), 0xFFFFFFFF000CC0FFull },    /* status */
        { MSR_ICR, SIM_BIT(13), 0x40040 },
        { MSR_ICR, SIM_BIT(16), 0x40040 },
        { MSR_ICR, SIM_BIT(17), 0x40040 },
        { MSR_ICR, SIM_BIT(20), 0x40040 },
        { MSR_ICR, SIM_BIT(31), 0x40040 },
        { MSR_LVT_TIMER, SIM_BIT(18), 0x300FF },        /* TSC-deadline */
        { MSR_LVT_TIMER, 0x60000, 0x20040 },            /* mode 11b */
        { MSR_LVT_TIMER, 0x700, 0x10040 },              /* no DM field */
        { MSR_LVT_TIMER, SIM_BIT(15), 0x10040 },
        { MSR_LVT_CMCI, SIM_BIT(13), 0x107FF },
        { MSR_LVT_THERM, SIM_BIT(15), 0x107FF },
        { MSR_LVT_PMI, SIM_BIT(17), 0x107FF },
        { MSR_LVT_LINT0, SIM_BIT(17), 0x1A7FF },
        { MSR_LVT_LINT1, SIM_BIT(32), 0x1A7FF },
        { MSR_LVT_ERROR, 0x700, 0x100FF },
        { MSR_TMICT, SIM_BIT(32), 0xFFFFFFFFu },
        { MSR_TDCR, 0x4, 0xB },
        { MSR_TDCR, 0x10, 0xB },
        { MSR_SELF_IPI, 0x100, 0xFF },
    };
    struct sim_apic a;
    unsigned i;

    apic_up(&a, 0, 1);
    for (i = 0; i < SIM_ARRAY_SIZE(cases); i++) {
        uint64_t before = 0;

        if (cases[i].msr != MSR_EOI && cases[i].msr != MSR_SELF_IPI) {
            before = rd(&a, cases[i].msr, 0);
        }
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, cases[i].msr, cases[i].bad, 0),
                        -1);
        if (cases[i].msr != MSR_EOI && cases[i].msr != MSR_SELF_IPI) {
            CU_ASSERT_EQUAL(rd(&a, cases[i].msr, 0), before);
        }
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, cases[i].msr, cases[i].good, 0),
                        0);
        sim_apic_wrmsr(&a, MSR_SVR, 0x1FF, 0);
    }
    CU_ASSERT_EQUAL(a.st.gp, SIM_ARRAY_SIZE(cases));
    /* Read-only status bits (delivery status 12, remote IRR 14) may be
     * written back and read as 0. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_LINT0, 0x15000 | 0x30, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_LINT0, 0), 0x10030);
    /* What is written to the writable bits reads back. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_LINT1, 0x1A7FF, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_LINT1, 0), 0x1A7FF);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TDCR, 0), 0xB);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0x0000000500000000ull |
                                   0x4000 | 0x41, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ICR, 0), 0x0000000500004041ull);
}

/* ---- timer: "APIC Timer" ----------------------------------------------- */

/* One-shot: for every divide configuration the interrupt comes exactly
 * count x ratio x divisor cycles after the initial-count write, and the
 * current count drops by one per tick. */
static void test_apic_timer_oneshot_divides(void)
{
    static const struct {
        uint32_t dcr;
        uint32_t div;
    } d[] = {
        { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
        { 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 }, { 0xB, 1 },
    };
    const uint32_t ratio = 3;
    const uint64_t t0 = 1000;
    unsigned i;

    for (i = 0; i < SIM_ARRAY_SIZE(d); i++) {
        struct sim_apic a;
        uint64_t tick = (uint64_t)ratio * d[i].div;
        uint64_t due = t0 + 100 * tick;

        apic_up(&a, 0, ratio);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, d[i].dcr, 0), 0);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
        CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 100, t0), 0);
        CU_ASSERT_EQUAL(sim_apic_next_event(&a), due);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t0), 100);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t0 + tick - 1), 100);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t0 + tick), 99);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t0 + 37 * tick + 1), 63);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, due - 1), 1);
        sim_apic_advance(&a, due - 1);
        CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
        sim_apic_advance(&a, due);
        CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x40);
        CU_ASSERT_EQUAL(a.st.timer_expiries, 1);
        CU_ASSERT_EQUAL(a.st.timer_interrupts, 1);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, due), 0);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, due + 100000), 0);
        CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
        /* The initial count reads back; it never fires again. */
        CU_ASSERT_EQUAL(rd(&a, MSR_TMICT, due + 100000), 100);
        sim_apic_advance(&a, due + 1000000);
        CU_ASSERT_EQUAL(a.st.timer_expiries, 1);
    }
}

/* Periodic: reloads from the initial count at every expiry. */
static void test_apic_timer_periodic(void)
{
    struct sim_apic a;
    uint64_t t;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);      /* /1 */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x20041, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 10, 100), 0);
    for (t = 110; t <= 150; t += 10) {
        CU_ASSERT_EQUAL(sim_apic_next_event(&a), t);
        sim_apic_advance(&a, t - 1);
        CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t - 1), 1);
        sim_apic_advance(&a, t);
        CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x41);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t), 10);
        CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, t + 3), 7);
        sim_apic_ack(&a, 0x41);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, t + 5), 0);
    }
    CU_ASSERT_EQUAL(a.st.timer_expiries, 5);
    CU_ASSERT_EQUAL(a.st.timer_interrupts, 5);
    CU_ASSERT_EQUAL(a.st.delivered, 5);
    /* A long gap: every expiry is counted, one interrupt is pending, and
     * the phase is kept (expiries at 160, 170, ..., 1150). */
    sim_apic_advance(&a, 1155);
    CU_ASSERT_EQUAL(a.st.timer_expiries, 5 + 100);
    CU_ASSERT_EQUAL(a.st.timer_interrupts, 6);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), 1160);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 1155), 5);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x41);
    /* Interrupts that find the IRR bit set merge with it. */
    sim_apic_advance(&a, 1160);
    CU_ASSERT_EQUAL(a.st.coalesced, 1);
    /* Writing 0 stops it. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 0, 1161), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 1200), 0);
}

/* Periodic at every divide value, ratio 2: expiry m at t0 + m * N * tick. */
static void test_apic_timer_periodic_divides(void)
{
    static const uint32_t dcr[8] = { 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB };
    static const uint32_t div[8] = { 2, 4, 8, 16, 32, 64, 128, 1 };
    unsigned i, m;

    for (i = 0; i < 8; i++) {
        struct sim_apic a;
        uint64_t span = 7ull * 2 * div[i];

        apic_up(&a, 0, 2);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, dcr[i], 0), 0);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x20050, 0), 0);
        CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 7, 5), 0);
        for (m = 1; m <= 3; m++) {
            CU_ASSERT_EQUAL(sim_apic_next_event(&a), 5 + m * span);
            sim_apic_advance(&a, 5 + m * span - 1);
            CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
            sim_apic_advance(&a, 5 + m * span);
            CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x50);
            sim_apic_ack(&a, 0x50);
            CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 5 + m * span), 0);
        }
        CU_ASSERT_EQUAL(a.st.timer_interrupts, 3);
    }
}

/* A new divide value applies from the current count on. */
static void test_apic_timer_divide_change(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 100, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 40), 60);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0x0, 40), 0);     /* /2 */
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), 40 + 60 * 2);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 60), 50);
    /* A new initial count restarts from now. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 5, 70), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), 80);
}

/* A masked timer still counts but interrupts nobody; unmasking later
 * does not resurrect an expiry that passed. */
static void test_apic_timer_masked(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x10040, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 50, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 20), 30);
    sim_apic_advance(&a, 60);
    CU_ASSERT_EQUAL(a.st.timer_expiries, 1);
    CU_ASSERT_EQUAL(a.st.timer_interrupts, 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 70), 0);
    sim_apic_advance(&a, 1000);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    /* Masking a running timer: no event; unmasking before expiry: it
     * fires on time. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 50, 1000), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), 1050);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x10040, 1010), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 1020), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), 1050);
    sim_apic_advance(&a, 1050);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x40);
}

/* An LVT vector below 16 is illegal ("Valid Interrupt Vectors"): the
 * expiry sets "receive illegal vector" and raises nothing. */
static void test_apic_timer_illegal_vector(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x0F, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 10, 0), 0);
    sim_apic_advance(&a, 10);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 11), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 11), SIM_APIC_ESR_RECV_ILLEGAL);
}

/* Time handed in out of order never runs the timer backwards. */
static void test_apic_timer_time_monotonic(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 100, 500), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 400), 100);
    sim_apic_advance(&a, 550);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, 10), 50);
    /* The largest count at the slowest rate does not overflow. */
    CU_ASSERT_EQUAL(sim_apic_init(&a, 0, SIM_APIC_BUS_RATIO_MAX, 39, true),
                    0);
    CU_ASSERT_EQUAL(sim_apic_set_base(&a, BASE_X2, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SVR, 0x1FF, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xA, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 0xFFFFFFFFu, 1), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a),
                    1 + 0xFFFFFFFFull * 128 * SIM_APIC_BUS_RATIO_MAX);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMCCT, UINT64_MAX), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x40);
}

/* ---- priorities, ISR and EOI ------------------------------------------- */

/* "Task and Processor Priorities": an IRR vector is delivered only if its
 * class (7:4) is above PPR's; PPR = TPR if TPR[7:4] >= ISRV[7:4], else
 * ISRV[7:4]:0. */
static void test_apic_tpr_ppr(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x51, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x51);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x50, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x50);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);      /* same class */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x4F, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x4F);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x51);
    sim_apic_ack(&a, 0x51);
    CU_ASSERT(isr_has(&a, 0x51));
    CU_ASSERT_FALSE(irr_has(&a, 0x51));
    /* ISRV class 5 above TPR class 4: PPR = 0x50. */
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x50);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x65, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x65);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x5A, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x5A);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x5A);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0);
    /* Vectors 16-31 are legal, class 1. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x10, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x10);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TPR, 0x10, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
}

/* Nesting: a higher class interrupts a handler, a lower or equal one
 * waits; each EOI retires the highest in-service vector. */
static void test_apic_isr_eoi_nesting(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x40, 0), 0);
    sim_apic_ack(&a, sim_apic_pending(&a));
    CU_ASSERT(isr_has(&a, 0x40));
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x80, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x80);
    sim_apic_ack(&a, 0x80);
    CU_ASSERT_EQUAL(rd(&a, MSR_ISR0 + 2, 0), 1u);   /* 0x40 */
    CU_ASSERT_EQUAL(rd(&a, MSR_ISR0 + 4, 0), 1u);   /* 0x80 */
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0x80);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x45, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x4F, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_FALSE(isr_has(&a, 0x80));
    CU_ASSERT(isr_has(&a, 0x40));
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);      /* class 4 in service */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_FALSE(isr_has(&a, 0x40));
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x4F);    /* highest first */
    sim_apic_ack(&a, 0x4F);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x45);
    sim_apic_ack(&a, 0x45);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    /* An EOI with nothing in service changes nothing. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(a.st.eois, 5);
    CU_ASSERT_EQUAL(a.st.delivered, 4);
    CU_ASSERT_EQUAL(rd(&a, MSR_PPR, 0), 0);
    /* INTA of a vector that is not requested is ignored. */
    sim_apic_ack(&a, 0x99);
    sim_apic_ack(&a, -1);
    sim_apic_ack(&a, 300);
    CU_ASSERT_FALSE(isr_has(&a, 0x99));
    CU_ASSERT_EQUAL(a.st.delivered, 4);
}

static unsigned bcast_count;
static uint8_t bcast_last;

static void bcast(void *ctx, uint8_t vector)
{
    (void)ctx;
    bcast_count++;
    bcast_last = vector;
}

/* "Signaling Interrupt Servicing Completion": the EOI of a level-
 * triggered vector is broadcast unless SVR bit 12 suppresses it; the EOI
 * of an edge-triggered one is not. */
static void test_apic_eoi_broadcast(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    a.eoi_fn = bcast;
    bcast_count = 0;
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 0x60, true, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 0x70, false, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMR0 + 3, 0), 1u);   /* 0x60 level */
    sim_apic_ack(&a, sim_apic_pending(&a));         /* 0x70 */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(bcast_count, 0);
    sim_apic_ack(&a, sim_apic_pending(&a));         /* 0x60 */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(bcast_count, 1);
    CU_ASSERT_EQUAL(bcast_last, 0x60);
    CU_ASSERT_EQUAL(a.st.eoi_broadcasts, 1);
    /* Suppressed. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SVR, 0x11FF, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 0x60, true, 0), 0);
    sim_apic_ack(&a, sim_apic_pending(&a));
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(bcast_count, 1);
    CU_ASSERT_EQUAL(a.st.eoi_broadcasts, 1);
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 256, false, 0), -1);
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 3, false, 0), -1);
}

/* ---- IPIs -------------------------------------------------------------- */

/* "SELF IPI Register": a fixed, edge-triggered interrupt to this APIC. */
static void test_apic_self_ipi(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x42, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_IRR0 + 2, 0), 1u << 2);
    CU_ASSERT_EQUAL(rd(&a, MSR_TMR0 + 2, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x42);
    /* A second request while the first waits merges with it. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x42, 0), 0);
    CU_ASSERT_EQUAL(a.st.accepted, 1);
    CU_ASSERT_EQUAL(a.st.coalesced, 1);
    CU_ASSERT_EQUAL(a.st.self_ipis, 2);
    sim_apic_ack(&a, 0x42);
    /* One in service and one requested at the same time is possible. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x42, 0), 0);
    CU_ASSERT(isr_has(&a, 0x42));
    CU_ASSERT(irr_has(&a, 0x42));
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x42);
}

/* "Error Handling": an illegal vector (0-15) sent to itself sets send and
 * receive illegal vector; the ESR shows errors after a write (of 0), and
 * the next write clears them; an unmasked error LVT interrupts. */
static void test_apic_illegal_vector_esr(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x05, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), -1);
    CU_ASSERT_EQUAL(rd(&a, MSR_IRR0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0);         /* not latched yet */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0x60);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0);
    CU_ASSERT_EQUAL(a.st.errors, 1);
    /* With the error LVT unmasked, an error raises its vector. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_ERROR, 0xEE, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0x40000 | 0x0A, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0xEE);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0x60);
    /* ICR to another APIC with an illegal vector: send error only. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, (9ull << 32) | 0x03, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0x20);
    /* An illegal error vector is reported but raises nothing. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_ERROR, 0x02, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x01, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ESR, 0, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_ESR, 0), 0x60);
}

/* ICR destinations in x2APIC mode: shorthands, physical ID, broadcast,
 * logical cluster/bitmap; non-fixed delivery modes are not modelled. */
static void test_apic_icr_destinations(void)
{
    struct sim_apic a;

    apic_up(&a, 0x13, 1);                   /* LDR: cluster 1, bit 3 */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0x40000 | 0x30, 0), 0);
    CU_ASSERT(irr_has(&a, 0x30));           /* self */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0x80000 | 0x31, 0), 0);
    CU_ASSERT(irr_has(&a, 0x31));           /* all including self */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0xC0000 | 0x32, 0), 0);
    CU_ASSERT_FALSE(irr_has(&a, 0x32));     /* all excluding self */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, (0x13ull << 32) | 0x33, 0),
                    0);
    CU_ASSERT(irr_has(&a, 0x33));           /* physical, own ID */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, (0x12ull << 32) | 0x34, 0),
                    0);
    CU_ASSERT_FALSE(irr_has(&a, 0x34));     /* physical, other ID */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR,
                                   (0xFFFFFFFFull << 32) | 0x35, 0), 0);
    CU_ASSERT(irr_has(&a, 0x35));           /* broadcast */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR,
                                   (0x10009ull << 32) | 0x800 | 0x36, 0), 0);
    CU_ASSERT(irr_has(&a, 0x36));           /* logical, cluster 1 bit 3 */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR,
                                   (0x20008ull << 32) | 0x800 | 0x37, 0), 0);
    CU_ASSERT_FALSE(irr_has(&a, 0x37));     /* other cluster */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR,
                                   (0x10004ull << 32) | 0x800 | 0x38, 0), 0);
    CU_ASSERT_FALSE(irr_has(&a, 0x38));     /* other bit */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_ICR, 0x40000 | 0x400 | 0x39, 0),
                    0);
    CU_ASSERT_FALSE(irr_has(&a, 0x39));     /* NMI: not modelled */
    CU_ASSERT_EQUAL(a.st.ipis, 10);
    CU_ASSERT_EQUAL(a.st.dropped, 1);
}

/* "Local APIC State After It Has Been Software Disabled": clearing SVR
 * bit 8 masks every LVT and keeps them masked; new fixed interrupts are
 * refused, requests already in the IRR are still delivered. */
static void test_apic_software_disable(void)
{
    struct sim_apic a;

    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_LINT0, 0x700, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x50, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SVR, 0xFF, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_TIMER, 0), 0x10040);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_LINT0, 0), 0x10700);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x41, 0), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_TIMER, 0), 0x10041);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SELF_IPI, 0x60, 0), 0);
    CU_ASSERT_FALSE(irr_has(&a, 0x60));
    CU_ASSERT_EQUAL(sim_apic_pending(&a), 0x50);
    CU_ASSERT_EQUAL(sim_apic_raise(&a, 0x61, false, 0), -1);
    /* The timer counts but cannot interrupt. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 10, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_next_event(&a), UINT64_MAX);
    sim_apic_advance(&a, 100);
    CU_ASSERT_EQUAL(a.st.timer_expiries, 1);
    CU_ASSERT_EQUAL(a.st.timer_interrupts, 0);
    /* Re-enabling leaves the masks set. */
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_SVR, 0x1FF, 100), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_TIMER, 100), 0x10041);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x41, 100), 0);
    CU_ASSERT_EQUAL(rd(&a, MSR_LVT_TIMER, 100), 0x41);
}

/* ---- hostile input ----------------------------------------------------- */

/* Any MSR number and value in any mode gives 0 or #GP, never a crash, and
 * leaves pending() in range. */
static void test_apic_hostile(void)
{
    static const uint64_t specials[] = {
        0, 1, 0xFF, 0x100, 0xFFFFFFFFull, 0x100000000ull, UINT64_MAX,
        0x8000000000000000ull, 0x1FF, 0x20000, 0x30000, 0x60000,
    };
    struct sim_apic a;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    uint64_t now = 0;
    unsigned i;

    apic_up(&a, 3, 5);
    for (i = 0; i < 200000; i++) {
        uint32_t msr;
        uint64_t v;
        int p;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        msr = 0x7F8 + (uint32_t)(x % 0x110);
        v = (x >> 8) % 3 == 0 ? specials[(x >> 20) % SIM_ARRAY_SIZE(specials)]
                              : x * 0xD6E8FEB86659FD93ull;
        now += (x >> 40) % 64;
        switch ((x >> 32) % 8) {
        case 0:
            CU_ASSERT(sim_apic_rdmsr(&a, msr, now, &v) >= -1);
            break;
        case 1:
            /* Mostly valid base values, so the x2APIC stays reachable. */
            v = (v & (SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD)) |
                ((x >> 50) == 0 ? v : SIM_APIC_BASE_DEFAULT);
            CU_ASSERT(sim_apic_set_base(&a, v, now) >= -1);
            if (!sim_apic_x2apic(&a)) {
                sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT, now);
                sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT |
                                  SIM_APIC_BASE_EN, now);
                sim_apic_set_base(&a, SIM_APIC_BASE_DEFAULT |
                                  SIM_APIC_BASE_EN | SIM_APIC_BASE_EXTD,
                                  now);
            }
            break;
        case 2:
            sim_apic_advance(&a, now);
            break;
        case 3:
            sim_apic_ack(&a, sim_apic_pending(&a));
            break;
        case 4:
            sim_apic_raise(&a, (unsigned)(v & 0x1FF), (v >> 9) & 1, now);
            break;
        default:
            CU_ASSERT(sim_apic_wrmsr(&a, msr, v, now) >= -1);
            break;
        }
        p = sim_apic_pending(&a);
        if (p != -1 && (p < 16 || p > 255)) {
            CU_FAIL("pending() out of range");
            break;
        }
        if (sim_apic_next_event(&a) != UINT64_MAX &&
            sim_apic_next_event(&a) < a.timer_base) {
            CU_FAIL("next event before the timer base");
            break;
        }
    }
    CU_ASSERT(a.st.gp > 0);
}

/* ---- stats ------------------------------------------------------------- */

static void test_apic_stats(void)
{
    struct sim_stats *s = sim_stats_new();
    struct sim_apic a;
    double v = -1;

    CU_ASSERT_FATAL(s != NULL);
    apic_up(&a, 0, 1);
    CU_ASSERT_EQUAL(sim_apic_register_stats(&a, s, "cpu0.apic"), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TDCR, 0xB, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_LVT_TIMER, 0x40, 0), 0);
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_TMICT, 10, 0), 0);
    sim_apic_advance(&a, 10);
    sim_apic_ack(&a, sim_apic_pending(&a));
    CU_ASSERT_EQUAL(sim_apic_wrmsr(&a, MSR_EOI, 0, 11), 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.apic.timer_interrupts", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1, 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.apic.eois", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1, 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.apic.delivered", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1, 0);
    sim_stats_free(s);
}

int test_apic_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "init_args", test_apic_init_args },
        { "base_reset", test_apic_base_reset },
        { "base_transitions", test_apic_base_transitions },
        { "base_reserved", test_apic_base_reserved },
        { "base_disable_resets", test_apic_base_disable_resets },
        { "reset_values", test_apic_reset_values },
        { "id_version_ldr", test_apic_id_version_ldr },
        { "register_map", test_apic_register_map },
        { "reserved_bits", test_apic_reserved_bits },
        { "timer_oneshot_divides", test_apic_timer_oneshot_divides },
        { "timer_periodic", test_apic_timer_periodic },
        { "timer_periodic_divides", test_apic_timer_periodic_divides },
        { "timer_divide_change", test_apic_timer_divide_change },
        { "timer_masked", test_apic_timer_masked },
        { "timer_illegal_vector", test_apic_timer_illegal_vector },
        { "timer_time_monotonic", test_apic_timer_time_monotonic },
        { "tpr_ppr", test_apic_tpr_ppr },
        { "isr_eoi_nesting", test_apic_isr_eoi_nesting },
        { "eoi_broadcast", test_apic_eoi_broadcast },
        { "self_ipi", test_apic_self_ipi },
        { "illegal_vector_esr", test_apic_illegal_vector_esr },
        { "icr_destinations", test_apic_icr_destinations },
        { "software_disable", test_apic_software_disable },
        { "hostile", test_apic_hostile },
        { "stats", test_apic_stats },
    };
    CU_pSuite s = CU_add_suite("apic", NULL, NULL);
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(tests); i++) {
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
