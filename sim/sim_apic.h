/*
 * sim_apic.h - the local APIC of one x86 core, in x2APIC mode.
 *
 * A pure device model: no SystemC, no guest memory.  The platform routes
 * RDMSR/WRMSR of 0x800-0x8FF here (x2APIC registers) and WRMSR of 0x1B
 * (IA32_APIC_BASE) to sim_apic_set_base(); before it lets the core take
 * an external interrupt it calls sim_apic_advance(now), then
 * sim_apic_pending() and, when the core accepts, sim_apic_ack().  Every
 * call takes `now` in core cycles; the model never looks at a clock of its
 * own, so the same call sequence gives the same result (determinism).
 *
 * Follows Intel SDM 325462-080 (June 2023), Vol. 3A chapter "Advanced
 * Programmable Interrupt Controller (APIC)"; sim_apic.c cites each rule by
 * section title.
 *
 * Timer clock: the SDM says the APIC timer counts the processor's bus
 * clock or core crystal clock divided by the divide configuration
 * ("APIC Timer").  vtsim has a single clock, the core cycle, so the timer
 * input is the core clock divided by `bus_ratio` (sim_apic_init): one
 * timer tick lasts bus_ratio x divide core cycles.  With bus_ratio = 1 the
 * timer counts core cycles / divide.
 */
#ifndef SIM_APIC_H
#define SIM_APIC_H

#include "sim_types.h"

struct sim_stats;

/* MSR numbers (SDM Vol. 3A "x2APIC Register Address Space"; IA32_APIC_BASE
 * in Vol. 4 "Model-Specific Registers"). */
#define SIM_APIC_MSR_BASE     0x01Bu    /* IA32_APIC_BASE */
#define SIM_APIC_MSR_FIRST    0x800u    /* x2APIC register range */
#define SIM_APIC_MSR_LAST     0x8FFu

/* IA32_APIC_BASE bits (SDM Vol. 3A "Local APIC Status and Location"). */
#define SIM_APIC_BASE_BSP     SIM_BIT(8)
#define SIM_APIC_BASE_EXTD    SIM_BIT(10)   /* x2APIC mode enable */
#define SIM_APIC_BASE_EN      SIM_BIT(11)   /* APIC global enable */
#define SIM_APIC_BASE_DEFAULT 0xFEE00000ull

/* ESR bits (SDM Vol. 3A "Error Handling"). */
#define SIM_APIC_ESR_SEND_ILLEGAL 0x20u     /* bit 5 */
#define SIM_APIC_ESR_RECV_ILLEGAL 0x40u     /* bit 6 */

/* LVT entries, in the order of their MSRs (CMCI 0x82F, then 0x832-0x837;
 * SDM Vol. 3A "Local Vector Table"). */
enum sim_apic_lvt {
    SIM_APIC_LVT_CMCI,
    SIM_APIC_LVT_TIMER,
    SIM_APIC_LVT_THERMAL,
    SIM_APIC_LVT_PMI,
    SIM_APIC_LVT_LINT0,
    SIM_APIC_LVT_LINT1,
    SIM_APIC_LVT_ERROR,
    SIM_APIC_LVT__COUNT
};

#define SIM_APIC_LVT_MASKED   SIM_BIT(16)
#define SIM_APIC_SVR_ENABLE   SIM_BIT(8)    /* APIC software enable */
#define SIM_APIC_SVR_NO_EOI_BCAST SIM_BIT(12)

/* Version register: version 0x15, max LVT entry 6 (seven LVTs including
 * CMCI), EOI-broadcast suppression supported (bit 24). */
#define SIM_APIC_VERSION      0x01060015u

/* Largest configurable core-to-timer clock ratio. */
#define SIM_APIC_BUS_RATIO_MAX 65536u

struct sim_apic_stats {
    uint64_t timer_expiries;    /* the count reached zero */
    uint64_t timer_interrupts;  /* of which with the LVT unmasked */
    uint64_t eois;              /* writes to the EOI register */
    uint64_t eoi_broadcasts;    /* EOIs of level-triggered vectors sent on
                                   to the I/O APICs */
    uint64_t self_ipis;         /* writes to SELF IPI */
    uint64_t ipis;              /* writes to the ICR */
    uint64_t accepted;          /* interrupts set in the IRR */
    uint64_t coalesced;         /* arrived with their IRR bit already set */
    uint64_t dropped;           /* refused: illegal vector, software-
                                   disabled APIC, unmodelled delivery */
    uint64_t delivered;         /* INTA: IRR -> ISR */
    uint64_t errors;            /* errors recorded in the ESR */
    uint64_t gp;                /* accesses answered with #GP */
};

struct sim_apic {
    /* Configuration (read-only after sim_apic_init). */
    uint32_t id;                /* x2APIC ID */
    uint32_t bus_ratio;         /* core cycles per timer input clock */
    uint64_t base_rsvd;         /* reserved bits of IA32_APIC_BASE */
    /* IA32_APIC_BASE */
    uint64_t base;
    /* Registers. */
    uint32_t tpr;
    uint32_t svr;
    uint32_t lvt[SIM_APIC_LVT__COUNT];
    uint32_t esr;               /* what RDMSR 0x828 returns */
    uint32_t esr_pending;       /* errors since the last ESR write */
    uint64_t icr;
    uint32_t dcr;               /* divide configuration */
    uint32_t initial_count;
    uint32_t irr[8];
    uint32_t isr[8];
    uint32_t tmr[8];
    /* Timer: while armed the count was `timer_count` at cycle
     * `timer_base` and drops by one every `timer_period` cycles. */
    bool timer_armed;
    uint32_t timer_count;
    uint64_t timer_base;
    uint64_t timer_period;
    uint64_t last;              /* latest `now` seen (time never runs
                                   backwards here) */
    /* Optional: called for each EOI broadcast (an I/O APIC's hook). */
    void (*eoi_fn)(void *ctx, uint8_t vector);
    void *eoi_ctx;
    struct sim_apic_stats st;
};

/*
 * Power-up state ("Local APIC State After Power-Up or Reset"): xAPIC mode
 * (EN = 1, EXTD = 0), base 0xFEE00000, BSP as given, every LVT masked, SVR
 * 0xFF (software-disabled), timer stopped.  `maxphyaddr` (32..52) sets the
 * reserved bits of IA32_APIC_BASE.  Returns 0, or -SIM_EINVAL for a
 * bus_ratio outside 1..SIM_APIC_BUS_RATIO_MAX, an ID of 0xFFFFFFFF
 * (reserved, "x2APIC ID") or a bad maxphyaddr.
 */
int sim_apic_init(struct sim_apic *a, uint32_t id, uint32_t bus_ratio,
                  unsigned maxphyaddr, bool bsp);

/* Whether msr is in the x2APIC range the platform must route here. */
static inline bool sim_apic_is_msr(uint32_t msr)
{
    return msr >= SIM_APIC_MSR_FIRST && msr <= SIM_APIC_MSR_LAST;
}

/* Name of an x2APIC register ("TPR", "ISR3", ...), NULL if msr is none. */
const char *sim_apic_reg_name(uint32_t msr);

/* IA32_APIC_BASE.  set_base returns 0, or -1 (#GP) for reserved bits and
 * the invalid transitions of "x2APIC State Transitions". */
uint64_t sim_apic_get_base(const struct sim_apic *a);
int sim_apic_set_base(struct sim_apic *a, uint64_t val, uint64_t now);
bool sim_apic_x2apic(const struct sim_apic *a);     /* EN = EXTD = 1 */

/* RDMSR/WRMSR of an x2APIC register at core cycle `now`.  0, or -1 when
 * the access raises #GP(0): not in x2APIC mode, no such register, a read
 * of a write-only or a write of a read-only register, a reserved bit set,
 * a non-zero EOI or ESR write.  Never fails otherwise, whatever the value. */
int sim_apic_rdmsr(struct sim_apic *a, uint32_t msr, uint64_t now,
                   uint64_t *val);
int sim_apic_wrmsr(struct sim_apic *a, uint32_t msr, uint64_t val,
                   uint64_t now);

/* Core cycle at which the timer next makes an interrupt (the count reaches
 * zero with the timer LVT unmasked), UINT64_MAX if it will not.  Changes
 * only through sim_apic_wrmsr, sim_apic_set_base and sim_apic_advance. */
uint64_t sim_apic_next_event(const struct sim_apic *a);

/* Process timer expiries up to `now`: a one-shot timer fires once; a
 * periodic one that expired several times since the last call fires once
 * (the IRR holds one request per vector) and counts every expiry. */
void sim_apic_advance(struct sim_apic *a, uint64_t now);

/* The vector the APIC presents to the core: the highest IRR vector whose
 * priority class is above PPR's, -1 if none (or the APIC is disabled). */
int sim_apic_pending(const struct sim_apic *a);

/* INTA: the core takes `vector` (IRR -> ISR).  Ignored unless vector is
 * set in the IRR. */
void sim_apic_ack(struct sim_apic *a, int vector);

/* A fixed interrupt from outside (an I/O APIC or MSI, later): 0 when
 * accepted into the IRR (or merged with a pending request), -1 when
 * refused (APIC disabled, software-disabled, vector < 16). */
int sim_apic_raise(struct sim_apic *a, unsigned vector, bool level,
                   uint64_t now);

/* Register the counters as "<obj>.<metric>".  0 or an error of
 * sim_stat_counters. */
int sim_apic_register_stats(const struct sim_apic *a, struct sim_stats *s,
                            const char *obj);

#endif /* SIM_APIC_H */
