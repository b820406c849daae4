/* workloads/x86/apic.c: local APIC test image for vtsim's x86 images.
 *
 * Enables the local APIC in x2APIC mode (IA32_APIC_BASE EN and EXTD, SDM
 * Vol. 3A "x2APIC State Transitions"), software-enables it (SVR bit 8),
 * and then:
 *   1. a one-shot timer (divide by 1): HLT until its interrupt; the
 *      current count reads 0 after the expiry;
 *   2. a masked one-shot timer: the count runs down to 0, no interrupt;
 *   3. a periodic timer (divide by 16): HLT through 5 interrupts, stop it;
 *   4. a self-IPI of class 4 while TPR is 0x50: held in the IRR; lowering
 *      TPR to 0 lets it in, and its ISR bit is set in the handler;
 *   5. nesting: inside the 0x41 handler a self-IPI 0x81 (a higher class)
 *      is taken at once; self-IPIs 0x35 (a lower class) and 0x4F (the
 *      same class) wait until the 0x41 handler has sent its EOI and
 *      returned, and then come highest first (0x4F, 0x35).
 * Handlers count interrupts and send EOI.  Every check adds to a failure
 * count that becomes the exit status (0 when all pass).  The output has no
 * cycle counts; machine-dependent details are on "# " lines.
 *
 * x2APIC only (on "# " lines, failures counted): RDMSR/WRMSR of reserved,
 * write-only and read-only x2APIC registers and reserved bits raise #GP,
 * x2APIC -> xAPIC through IA32_APIC_BASE raises #GP, LDR is derived from
 * the x2APIC ID, and a SELF IPI with vector 5 sets "send illegal vector".
 *
 * QEMU: qemu-system-x86_64 7.2 under TCG has no x2APIC ("TCG doesn't
 * support requested feature: CPUID.01H:ECX.x2apic [bit 21]" for -cpu
 * qemu64,+x2apic).  When CPUID.01H:ECX[21] is clear the image therefore
 * runs the same five steps on the xAPIC through its MMIO page at
 * 0xFEE00000 (the self-IPIs through the ICR with the "self" shorthand) and
 * skips the x2APIC-only checks, so expected/apic.out is what QEMU prints
 * and vtsim (which reports x2APIC and has no APIC MMIO page) must print
 * the same through the MSR interface.
 */
#include <stdbool.h>
#include "rt.h"

#define MSR_APIC_BASE   0x1B
#define APIC_BASE_EXTD  (1u << 10)
#define APIC_BASE_EN    (1u << 11)
#define CPUID_1_X2APIC  (1u << 21)
#define XAPIC_MMIO      0xFEE00000ul

/* Registers as offsets of the x2APIC MSR range 0x800 (SDM Vol. 3A
 * "x2APIC Register Address Space"); the xAPIC MMIO offset is 16 times
 * larger. */
#define APIC_ID         0x02
#define APIC_VERSION    0x03
#define APIC_TPR        0x08
#define APIC_EOI        0x0B
#define APIC_LDR        0x0D
#define APIC_SVR        0x0F
#define APIC_ISR        0x10
#define APIC_IRR        0x20
#define APIC_ESR        0x28
#define APIC_ICR        0x30            /* xAPIC: low 0x300, high 0x310 */
#define APIC_LVT_TIMER  0x32
#define APIC_TMICT      0x38
#define APIC_TMCCT      0x39
#define APIC_TDCR       0x3E
#define APIC_SELF_IPI   0x3F            /* x2APIC only */

#define LVT_MASKED      (1u << 16)
#define LVT_PERIODIC    (1u << 17)
#define ICR_SELF        (1u << 18)      /* destination shorthand 01 */
#define ICR_ASSERT      (1u << 14)

#define VEC_TIMER       0x40
#define VEC_A           0x41            /* class 4 */
#define VEC_HIGH        0x81            /* class 8 */
#define VEC_LOW         0x35            /* class 3 */
#define VEC_SAME        0x4F            /* class 4, like VEC_A */
#define VEC_SPURIOUS    0xFF

static bool x2apic;
static unsigned failures;

static volatile uint64_t timer_irqs, a_irqs, spurious_irqs;
static volatile bool a_in_service, nest_mode;
static volatile uint8_t trace[16];
static volatile unsigned ntrace;

/* ---- register access, x2APIC or xAPIC ---------------------------------- */

static uint32_t apic_read(unsigned reg)
{
    if (x2apic)
        return (uint32_t)x86_rdmsr(0x800 + reg);
    return *(volatile uint32_t *)(uintptr_t)(XAPIC_MMIO + reg * 16);
}

static void apic_write(unsigned reg, uint32_t v)
{
    if (x2apic)
        x86_wrmsr(0x800 + reg, v);
    else
        *(volatile uint32_t *)(uintptr_t)(XAPIC_MMIO + reg * 16) = v;
}

/* A fixed, edge-triggered IPI to this APIC through the ICR's "self"
 * shorthand (x2APIC: one 64-bit MSR; xAPIC: the low half sends). */
static void apic_icr_self(unsigned vector)
{
    if (x2apic) {
        x86_wrmsr(0x800 + APIC_ICR, ICR_SELF | ICR_ASSERT | vector);
    } else {
        apic_write(APIC_ICR + 1, 0);
        apic_write(APIC_ICR, ICR_SELF | ICR_ASSERT | vector);
    }
}

/* x2APIC: the SELF IPI register; xAPIC: the ICR. */
static void apic_self_ipi(unsigned vector)
{
    if (x2apic)
        x86_wrmsr(0x800 + APIC_SELF_IPI, vector);
    else
        apic_icr_self(vector);
}

static bool apic_bit(unsigned bank, unsigned vector)
{
    return (apic_read(bank + vector / 32) >> (vector % 32)) & 1;
}

static void cli(void) { __asm__ __volatile__("cli" ::: "memory"); }

/* Open an interrupt window of one instruction: STI's shadow covers the
 * NOP, interrupts are taken before the CLI. */
static void window(void)
{
    __asm__ __volatile__("sti; nop; cli" ::: "memory");
}

/* HLT until *count reaches n (STI; HLT: no wake-up can be lost). */
static void wait_for(volatile uint64_t *count, uint64_t n)
{
    cli();
    while (*count < n)
        __asm__ __volatile__("sti; hlt; cli" ::: "memory");
}

static void check(bool ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("apic: FAILED: %s\n", what);
    }
}

/* ---- interrupt entry --------------------------------------------------- */

void apic_irq(uint64_t vector);

/* One stub per vector: save the caller-saved registers (5 quadwords from
 * the CPU + 9 here keep RSP 16-byte aligned at the call), call
 * apic_irq(vector), IRETQ. */
__asm__(
    "        .text\n"
    "        .macro apic_stub vec\n"
    "        .balign 16\n"
    "apic_stub_\\vec:\n"
    "        pushq %rax\n        pushq %rcx\n        pushq %rdx\n"
    "        pushq %rsi\n        pushq %rdi\n        pushq %r8\n"
    "        pushq %r9\n         pushq %r10\n        pushq %r11\n"
    "        cld\n"
    "        movl $\\vec, %edi\n"
    "        call apic_irq\n"
    "        popq %r11\n         popq %r10\n         popq %r9\n"
    "        popq %r8\n          popq %rdi\n         popq %rsi\n"
    "        popq %rdx\n         popq %rcx\n         popq %rax\n"
    "        iretq\n"
    "        .endm\n"
    "        apic_stub 0x40\n"
    "        apic_stub 0x41\n"
    "        apic_stub 0x81\n"
    "        apic_stub 0x35\n"
    "        apic_stub 0x4f\n"
    "        apic_stub 0xff\n");

extern char apic_stub_0x40[], apic_stub_0x41[], apic_stub_0x81[],
    apic_stub_0x35[], apic_stub_0x4f[], apic_stub_0xff[];

struct gate {                   /* 64-bit interrupt gate, SDM Vol. 3A 6.14.1 */
    uint16_t offset0;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type;
    uint16_t offset1;
    uint32_t offset2;
    uint32_t reserved;
} __attribute__((packed));

/* The runtime's IDT leaves vectors 32-255 not present: fill in ours. */
static void set_gate(unsigned vector, const void *fn)
{
    struct x86_desc_ptr p;
    struct gate *g;
    uint64_t a = (uint64_t)(uintptr_t)fn;

    __asm__ __volatile__("sidt %0" : "=m"(p));
    g = (struct gate *)(uintptr_t)p.base + vector;
    g->offset0 = (uint16_t)a;
    g->selector = SEL_KCODE;
    g->ist = 0;
    g->type = 0x8E;             /* present, DPL 0, interrupt gate */
    g->offset1 = (uint16_t)(a >> 16);
    g->offset2 = (uint32_t)(a >> 32);
    g->reserved = 0;
}

static void log_event(uint8_t code)
{
    if (ntrace < sizeof(trace))
        trace[ntrace++] = code;
}

void apic_irq(uint64_t vector)
{
    switch (vector) {
    case VEC_TIMER:
        timer_irqs++;
        break;
    case VEC_A:
        a_irqs++;
        a_in_service = apic_bit(APIC_ISR, VEC_A);
        if (nest_mode) {
            log_event(1);
            apic_icr_self(VEC_HIGH);    /* higher class: nests */
            window();
            apic_self_ipi(VEC_LOW);     /* lower class: must wait */
            window();
            apic_self_ipi(VEC_SAME);    /* same class: must wait too */
            window();
            log_event(2);
        }
        break;
    case VEC_HIGH:
        log_event(3);
        log_event(4);
        break;
    case VEC_LOW:
        log_event(5);
        log_event(6);
        break;
    case VEC_SAME:
        log_event(7);
        log_event(8);
        break;
    default:
        spurious_irqs++;                /* no EOI for the spurious vector */
        return;
    }
    apic_write(APIC_EOI, 0);
}

#define NEVENTS 9
static const char *const event_name[NEVENTS] = {
    "?", "0x41 in", "0x41 out", "0x81 in", "0x81 out", "0x35 in", "0x35 out",
    "0x4f in", "0x4f out"
};

/* ---- x2APIC-only rules ------------------------------------------------- */

static volatile unsigned gp_seen;

/* #GP from RDMSR/WRMSR (2 bytes, 0F 32 / 0F 30): count and skip. */
static void gp_handler(struct rt_regs *r)
{
    gp_seen++;
    r->rip += 2;
}

static bool rdmsr_gp(uint32_t msr)
{
    unsigned before = gp_seen;

    (void)x86_rdmsr(msr);
    return gp_seen == before + 1;
}

static bool wrmsr_gp(uint32_t msr, uint64_t v)
{
    unsigned before = gp_seen;

    x86_wrmsr(msr, v);
    return gp_seen == before + 1;
}

static void x2apic_rules(void)
{
    unsigned ok = 0, n = 0;
    uint32_t id, ldr;

    rt_set_handler(13, gp_handler);
    /* No DFR and no ICR high half in x2APIC mode; EOI and SELF IPI are
     * write-only ("x2APIC Register Address Space"). */
    ok += rdmsr_gp(0x80E), n++;
    ok += rdmsr_gp(0x831), n++;
    ok += rdmsr_gp(0x800 + APIC_EOI), n++;
    ok += rdmsr_gp(0x800 + APIC_SELF_IPI), n++;
    /* Non-zero EOI, a reserved TPR bit, a read-only register. */
    ok += wrmsr_gp(0x800 + APIC_EOI, 1), n++;
    ok += wrmsr_gp(0x800 + APIC_TPR, 0x100), n++;
    ok += wrmsr_gp(0x800 + APIC_ID, 0), n++;
    /* x2APIC -> xAPIC is not a valid transition. */
    ok += wrmsr_gp(MSR_APIC_BASE,
                   x86_rdmsr(MSR_APIC_BASE) & ~(uint64_t)APIC_BASE_EXTD), n++;
    rt_set_handler(13, NULL);
    /* LDR = cluster (ID[19:4]) << 16 | 1 << ID[3:0]. */
    id = apic_read(APIC_ID);
    ldr = apic_read(APIC_LDR);
    ok += ldr == (((id >> 4) << 16) | (1u << (id & 15))), n++;
    /* SELF IPI with vector 5: "send illegal vector" (ESR bit 5) once the
     * ESR is written. */
    apic_write(APIC_ESR, 0);
    apic_self_ipi(5);
    apic_write(APIC_ESR, 0);
    ok += (apic_read(APIC_ESR) & 0x20) != 0, n++;
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
    printf("# apic: x2APIC rules: %u of %u as expected\n", ok, n);
    failures += n - ok;
}

/* ---- main -------------------------------------------------------------- */

int main(void)
{
    uint64_t base = x86_rdmsr(MSR_APIC_BASE);
    uint32_t count;
    uint64_t spins;
    bool held;

    x2apic = (x86_cpuid(1, 0).ecx & CPUID_1_X2APIC) != 0;
    if (x2apic)
        x86_wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
    printf("# apic: %s mode, ID 0x%x, version 0x%x\n",
           x2apic ? "x2APIC" : "xAPIC (no x2APIC)",
           x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24,
           apic_read(APIC_VERSION));
    set_gate(VEC_TIMER, apic_stub_0x40);
    set_gate(VEC_A, apic_stub_0x41);
    set_gate(VEC_HIGH, apic_stub_0x81);
    set_gate(VEC_LOW, apic_stub_0x35);
    set_gate(VEC_SAME, apic_stub_0x4f);
    set_gate(VEC_SPURIOUS, apic_stub_0xff);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);    /* software-enable */
    apic_write(APIC_TPR, 0);
    if (x2apic)
        x2apic_rules();
    printf("apic: local APIC enabled, timer vector 0x%x\n", VEC_TIMER);

    /* 1. One-shot, divide by 1. */
    apic_write(APIC_TDCR, 0xB);
    apic_write(APIC_LVT_TIMER, VEC_TIMER);
    apic_write(APIC_TMICT, 100000);
    wait_for(&timer_irqs, 1);
    count = apic_read(APIC_TMCCT);
    printf("apic: one-shot timer: %lu interrupt, current count %u after "
           "expiry\n", timer_irqs, count);
    check(timer_irqs == 1 && count == 0, "one-shot timer");

    /* 2. Masked one-shot: the count still runs down. */
    apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    apic_write(APIC_TMICT, 50000);
    for (spins = 0; spins < 100000000 && apic_read(APIC_TMCCT) != 0; spins++)
        ;
    window();
    count = apic_read(APIC_TMCCT);
    printf("apic: masked one-shot timer: count %s, %lu interrupts\n",
           count == 0 ? "ran down" : "stuck", timer_irqs - 1);
    check(count == 0 && timer_irqs == 1 && !apic_bit(APIC_IRR, VEC_TIMER),
          "masked timer");

    /* 3. Periodic, divide by 16 (DCR 0011b). */
    apic_write(APIC_TDCR, 0x3);
    apic_write(APIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
    apic_write(APIC_TMICT, 2000);
    wait_for(&timer_irqs, 6);
    apic_write(APIC_TMICT, 0);
    apic_write(APIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
    printf("apic: periodic timer (divide by 16): %lu interrupts, then "
           "stopped\n", timer_irqs - 1);
    check(timer_irqs == 6, "periodic timer");

    /* 4. TPR gating ("Task and Processor Priorities"). */
    apic_write(APIC_TPR, 0x50);
    apic_self_ipi(VEC_A);
    for (spins = 0; spins < 1000; spins++)
        window();
    held = apic_bit(APIC_IRR, VEC_A);
    printf("apic: self-IPI 0x%x with TPR 0x50: %s, %lu interrupts\n", VEC_A,
           held ? "held in IRR" : "not in IRR", a_irqs);
    check(held && a_irqs == 0, "TPR holds the self-IPI");
    apic_write(APIC_TPR, 0);
    for (spins = 0; spins < 1000 && a_irqs == 0; spins++)
        window();
    printf("apic: self-IPI 0x%x with TPR 0x00: %lu interrupt, %s in its "
           "handler\n", VEC_A, a_irqs,
           a_in_service ? "in service" : "not in service");
    check(a_irqs == 1 && a_in_service && !apic_bit(APIC_ISR, VEC_A),
          "self-IPI delivery");

    /* 5. Nesting and EOI order. */
    nest_mode = true;
    apic_self_ipi(VEC_A);
    for (spins = 0; spins < 1000 && ntrace < 8; spins++)
        window();
    nest_mode = false;
    printf("apic: nesting:");
    for (unsigned i = 0; i < ntrace; i++)
        printf("%s %s", i ? "," : "",
               event_name[trace[i] < NEVENTS ? trace[i] : 0]);
    printf("\n");
    check(ntrace == 8 && trace[0] == 1 && trace[1] == 3 && trace[2] == 4 &&
          trace[3] == 2 && trace[4] == 7 && trace[5] == 8 && trace[6] == 5 &&
          trace[7] == 6, "nesting order");
    check(apic_read(APIC_ISR + 1) == 0 && apic_read(APIC_ISR + 2) == 0 &&
          apic_read(APIC_ISR + 4) == 0, "ISR empty at the end");

    printf("apic: spurious interrupts %lu, failures %u\n", spurious_irqs,
           failures);
    return failures == 0 ? 0 : 1;
}
