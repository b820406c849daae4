/*
 * sim_trace.h - the trace-sink interface the models call.
 *
 * Models fill an event record and hand it to the sink; they never know what
 * is behind it (the SQLite writer in a run, an in-memory recorder in tests).
 * A NULL sink, or a NULL function in it, means "not traced".
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdbool.h>

#include "sim_types.h"

/* The largest walk: 5-level guest over 5-level host = 35 references
 * ((n+1)(m+1)-1, reference D2); rounded up. */
#define SIM_WALK_MAX_REFS 40

/* One page-table reference of a walk: a cell of the (guest x host) grid.
 * glevel: guest level of the entry being located (5..1), or 0 for the final
 * guest-physical address; hlevel: host level read while translating it
 * (5..1), or 0 for the read of the guest entry itself.  A native walk has
 * only hlevel == 0 cells with glevel = its level. */
struct sim_walk_ref {
    uint8_t glevel;
    uint8_t hlevel;
    uint8_t src;        /* enum ptw_src: who served it (PWC, NTLB, L1D..) */
    uint8_t pad;
    uint16_t cycles;
};

struct sim_walk_event {
    uint64_t cycle;         /* core cycle at walk start */
    uint64_t va;            /* linear address walked */
    uint64_t gpa;           /* final guest-physical (== hpa when native) */
    uint64_t hpa;           /* final host-physical (0 on fault) */
    uint32_t cycles;        /* walk latency */
    uint16_t vcpu;          /* core / context id */
    uint8_t mode;           /* enum ptw_mode */
    uint8_t glevels;        /* guest levels (native: levels) */
    uint8_t hlevels;        /* host levels (0 when native) */
    uint8_t page_shift;     /* 12, 21 or 30 of the final mapping */
    uint8_t fault;          /* enum ptw_fault_kind, 0 = none */
    uint8_t write;          /* access was a write */
    uint16_t nrefs;
    struct sim_walk_ref refs[SIM_WALK_MAX_REFS];
};

/* Steps of a world switch (VM exit + VM entry), the cost columns of the
 * `exits` table; every architecture's model charges into these. */
enum sim_exit_step {
    SIM_EXIT_DRAIN,         /* pipeline drain */
    SIM_EXIT_UCODE,         /* fixed microcode / fault-delivery overhead */
    SIM_EXIT_CHECKS,        /* consistency checks of the entry */
    SIM_EXIT_SAVE,          /* state saved */
    SIM_EXIT_LOAD,          /* state loaded */
    SIM_EXIT_MSR,           /* MSR lists */
    SIM_EXIT_TLB,           /* TLB flushes */
    SIM_EXIT_REFILL,        /* pipeline refill */
    SIM_EXIT_STEPS
};

/* One exit from a guest and the entry that answered it. */
struct sim_exit_event {
    uint64_t seq;           /* exit number within the vcpu, from 0 */
    uint64_t cycle;         /* core cycle of the exit */
    uint16_t vcpu;
    const char *arch;       /* "vmx", "svm", "vti" */
    uint32_t reason;        /* the architecture's exit reason / cause */
    const char *reason_name;    /* from the model's own table; NULL ok */
    bool failed_entry;      /* the exit reports a failed entry */
    uint64_t qual;          /* qualification / EXITINFO1 / ISR */
    uint64_t guest_rip;
    uint64_t exit_cost[SIM_EXIT_STEPS];
    uint64_t entry_cost[SIM_EXIT_STEPS];
    uint64_t exit_cycles;
    uint64_t handler_cycles;    /* first host instruction to re-entry */
    uint64_t entry_cycles;      /* 0 when no entry followed */
};

struct sim_trace {
    void *ctx;
    void (*walk)(void *ctx, const struct sim_walk_event *ev);
    void (*exit)(void *ctx, const struct sim_exit_event *ev);
};

static inline void sim_trace_exit(const struct sim_trace *t,
                                  const struct sim_exit_event *ev)
{
    if (t != NULL && t->exit != NULL) {
        t->exit(t->ctx, ev);
    }
}

static inline void sim_trace_walk(const struct sim_trace *t,
                                  const struct sim_walk_event *ev)
{
    if (t != NULL && t->walk != NULL) {
        t->walk(t->ctx, ev);
    }
}

#endif /* SIM_TRACE_H */
