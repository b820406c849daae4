/*
 * sim_core.h - core timing: an in-order, blocking pipeline with a gshare
 * branch predictor, a branch target buffer and a return stack.
 *
 * The functional model hands each retired instruction to sim_core_retire()
 * as a struct sim_core_insn: its timing class, its branch outcome and the
 * extra cycles its memory accesses took beyond an L1 hit (instruction fetch,
 * data, translation).  The model charges cycles and keeps a CPI stack:
 *   base    issue slots (1 / width per instruction)
 *   exec    long-latency execution (multiply, divide, strings, microcode)
 *   branch  mispredicted branches
 *   icache  instruction fetch beyond an L1I hit
 *   dcache  data accesses beyond an L1D hit
 *   tlb     address translation (TLB misses and page walks)
 *   serial  pipeline drains of serialising instructions
 * The components add up to the cycle count exactly.
 *
 * Approximations: no operand dependences (every long latency is exposed, as
 * in a blocking in-order pipe); direct branch targets are known at decode
 * (only conditional directions and indirect/return targets are predicted);
 * a drain costs the pipeline depth.
 */
#ifndef SIM_CORE_H
#define SIM_CORE_H

#include "sim_cfg.h"
#include "sim_stats.h"
#include "sim_types.h"

struct sim_core_cfg {
#define CORE_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "sim_core_cfg.def"
#undef CORE_CFG
};

extern const struct sim_cfg_key sim_core_cfg_keys[];

enum sim_core_model { SIM_CORE_INORDER, SIM_CORE_FUNCTIONAL };

/* Timing class of an instruction (the x86 table's lat column maps here). */
enum sim_core_class {
    SIM_CORE_INT,           /* one cycle of execution */
    SIM_CORE_MUL,
    SIM_CORE_DIV,
    SIM_CORE_STRING,        /* per iteration: see iterations */
    SIM_CORE_MICRO,         /* microcoded system instruction */
    SIM_CORE_SERIAL,        /* drains the pipeline */
};

enum sim_core_branch {
    SIM_BR_NONE,
    SIM_BR_COND,            /* conditional, direct */
    SIM_BR_DIRECT,          /* unconditional direct jump */
    SIM_BR_CALL,            /* direct call */
    SIM_BR_INDIRECT,        /* indirect jump or call */
    SIM_BR_RET,
};

struct sim_core_insn {
    uint64_t pc;
    uint64_t next_pc;       /* fall-through address */
    uint64_t target;        /* where control went (taken branches) */
    uint8_t cls;            /* enum sim_core_class */
    uint8_t branch;         /* enum sim_core_branch */
    bool taken;
    bool indirect_call;     /* SIM_BR_INDIRECT that pushes a return */
    uint32_t iterations;    /* SIM_CORE_STRING */
    uint32_t ifetch_cycles; /* beyond an L1I hit */
    uint32_t data_cycles;   /* beyond an L1D hit */
    uint32_t tlb_cycles;    /* translation beyond an L1 TLB hit */
};

enum sim_core_cpi {
    SIM_CPI_BASE, SIM_CPI_EXEC, SIM_CPI_BRANCH, SIM_CPI_ICACHE,
    SIM_CPI_DCACHE, SIM_CPI_TLB, SIM_CPI_SERIAL,
    SIM_CPI_VIRT,           /* world switches (VM entry and exit) */
    SIM_CPI_IDLE,           /* halted, waiting for an interrupt */
    SIM_CPI__COUNT
};

extern const char *const sim_core_cpi_name[SIM_CPI__COUNT];

struct sim_core_stats {
    uint64_t insns;
    uint64_t cycles;
    uint64_t branches;
    uint64_t mispredicts;
    uint64_t cpi[SIM_CPI__COUNT];
};

struct sim_core {
    struct sim_core_cfg cfg;
    /* Issue slots are counted in 1/width cycles. */
    uint64_t slots;
    uint64_t slot_phase;    /* slots % width, without a division */
    /* gshare */
    uint8_t *pht;
    uint64_t hist;
    uint64_t hmask;
    /* BTB: direct-mapped, tagged by PC */
    uint64_t *btb_pc;
    uint64_t *btb_target;
    uint64_t btb_mask;
    /* return address stack (circular) */
    uint64_t *ras;
    unsigned ras_top;
    unsigned ras_n;
    struct sim_core_stats st;
};

/* The charge of an in-order instruction with `exec`, `branch` and `serial`
 * cycles besides its issue slot and its memory cycles: the CPI stack and
 * the cycle count (sim_core_retire's last step). */
static inline uint64_t sim_core_charge_insn(struct sim_core *c,
                                            uint64_t exec, uint64_t branch,
                                            uint64_t serial,
                                            const struct sim_core_insn *in)
{
    uint64_t base = 0;
    uint64_t total;

    /* Issue: `width` instructions per cycle; the cycle is charged to the
     * instruction that fills its last slot, (slots + 1) % width == 0. */
    c->slots++;
    if (++c->slot_phase == c->cfg.width) {
        c->slot_phase = 0;
        base = 1;
    }
    c->st.cpi[SIM_CPI_BASE] += base;
    c->st.cpi[SIM_CPI_EXEC] += exec;
    c->st.cpi[SIM_CPI_BRANCH] += branch;
    c->st.cpi[SIM_CPI_ICACHE] += in->ifetch_cycles;
    c->st.cpi[SIM_CPI_DCACHE] += in->data_cycles;
    c->st.cpi[SIM_CPI_TLB] += in->tlb_cycles;
    c->st.cpi[SIM_CPI_SERIAL] += serial;
    total = base + exec + branch + serial + in->ifetch_cycles +
            in->data_cycles + in->tlb_cycles;
    c->st.cycles += total;
    return total;
}

/* sim_core_retire() of an instruction of class SIM_CORE_INT that is not a
 * branch, inline for the platform's loop; only the memory cycles of `in`
 * are read. */
static inline uint64_t sim_core_retire_int(struct sim_core *c,
                                           const struct sim_core_insn *in)
{
    c->st.insns++;
    if (c->cfg.model == SIM_CORE_FUNCTIONAL) {
        c->st.cycles++;
        c->st.cpi[SIM_CPI_BASE]++;
        return 1;
    }
    return sim_core_charge_insn(c, 0, 0, 0, in);
}

/* cfg->btb_entries is rounded down to a power of two.  0 or -SIM_ENOMEM. */
int sim_core_init(struct sim_core *c, const struct sim_core_cfg *cfg);
void sim_core_fini(struct sim_core *c);
/* Charge one retired instruction; returns the cycles it added. */
uint64_t sim_core_retire(struct sim_core *c, const struct sim_core_insn *in);
/* Charge `cycles` that no instruction retires (a world switch) to CPI
 * component `cpi`. */
void sim_core_charge(struct sim_core *c, unsigned cpi, uint64_t cycles);
int sim_core_register_stats(struct sim_core *c, struct sim_stats *s,
                            const char *obj);

#endif /* SIM_CORE_H */
