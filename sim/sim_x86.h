/*
 * sim_x86.h - the x86 platform: one core (isa/x86_cpu.h) with its memory
 * hierarchy, the in-order timing model (sim_core.h), sparse RAM, the port
 * bus with COM1 and isa-debug-exit, and the image loader.
 *
 * Memory: a linear address is translated by the MMU of cache-tlb/ (the
 * data MMU for loads and stores, the instruction MMU for fetches, sharing
 * the L2 TLB, the paging-structure caches and the walker's cache
 * hierarchy) when CR0.PG = 1, or used as the physical address otherwise.
 * Physical addresses below [x86] ram are RAM; above it reads return all
 * ones and writes are dropped (no MMIO devices are modelled).
 *
 * Timing: with core.model = inorder every fetch goes through the ITLB and
 * L1I (once per new cache line), every load and store through the DTLB
 * and L1D, and sim_core_retire() charges each instruction with the extra
 * cycles; the TSC counts core cycles.  With core.model = functional,
 * translations are cached in a small software TLB, no cache is simulated,
 * and every instruction is one cycle.
 */
#ifndef SIM_X86_H
#define SIM_X86_H

#include <stdio.h>

#include "isa/x86.h"
#include "isa/x86_cpu.h"
#include "sim_apic.h"
#include "sim_cfg.h"
#include "sim_core.h"
#include "sim_io.h"
#include "sim_loader.h"
#include "sim_mem.h"
#include "sim_stats.h"
#include "sim_trace.h"
#include "cache-tlb/cache.h"
#include "cache-tlb/mmu.h"
#include "cache-tlb/tlb.h"
#include "vmx-model/vmx_cpu.h"

struct sim_x86_cfg {
#define X86_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "sim_x86_cfg.def"
#undef X86_CFG
};

extern const struct sim_cfg_key sim_x86_cfg_keys[];
int sim_x86_cfg_validate(struct sim_cfg *cfg, const char *section,
                         const void *loaded);

struct sim_machine_cfg;

/* Why sim_x86_run() returned. */
enum sim_x86_stop {
    SIM_X86_RUNNING,        /* the instruction budget ran out */
    SIM_X86_EXITED,         /* the guest wrote isa-debug-exit */
    SIM_X86_SHUTDOWN,       /* triple fault */
    SIM_X86_HALTED,         /* HLT with nothing that can wake the core */
    SIM_X86_LIMIT,          /* [x86] max_insns reached */
    SIM_X86_WAITING         /* halted until the APIC timer fires at
                               sim_x86.wake_at: the caller lets time pass
                               (a SystemC event) and runs again */
};

extern const char *const sim_x86_stop_name[];

/* Software TLB of the functional model (per access kind). */
#define SIM_X86_STLB 256

struct sim_x86_stlb {
    uint64_t tag;           /* (va >> 12) << 1 | user; ~0: invalid */
    uint8_t *frame;         /* host pointer to the 4-KiB frame */
    uint64_t pfn;
};

struct sim_x86_stats {
    uint64_t cycles;        /* core cycles (the TSC) */
    uint64_t insns;         /* retired instructions */
    uint64_t fetch_lines;   /* L1I accesses (new fetch lines) */
    uint64_t loads;
    uint64_t stores;
    uint64_t page_faults;   /* translations that faulted */
    uint64_t flushes;       /* TLB flushes requested by the guest */
    uint64_t exit_status;   /* the vtsim/QEMU status of a debug exit */
};

struct sim_x86 {
    struct x86_cpu cpu;
    struct sim_core core;
    bool timing;            /* core.model = inorder */
    uint64_t ram;
    uint64_t max_insns;
    struct sim_mem *mem;
    struct x86_pcache *pcache;
    /* memory hierarchy */
    struct cache *l1i, *l1d, *l2, *llc;
    struct dram *dram;
    struct cache_hier dh;   /* data side: L1D, L2, LLC, DRAM */
    struct cache_hier ih;   /* fetch side: L1I, L2, LLC, DRAM */
    struct tlb *dtlb[3];
    struct tlb *itlb[3];
    struct tlb *tlb_l2;
    struct pwc *psc[6];
    struct mmu dmmu;
    struct mmu immu;
    struct ptw_ctx pctx;
    uint32_t l1d_hit;
    uint32_t l1i_hit;
    uint8_t maxphyaddr;
    /* devices */
    struct sim_io_bus io;
    struct sim_uart uart;
    struct sim_debug_exit dbg;
    FILE *serial;
    bool serial_owned;
    struct sim_apic apic;   /* local APIC (x2APIC mode through MSRs) */
    uint64_t apic_next;     /* cycle of its next timer event */
    bool apic_poll;         /* a register changed or a vector waits */
    uint64_t wake_at;       /* SIM_X86_WAITING: when the timer fires */
    /* CPUID model */
    char vendor[13];
    uint32_t cpuid_sig;
    uint32_t f1_ecx, f1_edx, f7_ebx, f7_ecx, e1_ecx, e1_edx;
    /* functional fast path */
    struct sim_x86_stlb stlb[3][SIM_X86_STLB];     /* read, write, fetch */
    /* per-instruction timing accumulators */
    uint32_t cur_ifetch;
    uint32_t cur_data;
    uint32_t cur_tlb;
    uint64_t last_fetch_line;
    struct sim_x86_stats st;
    struct sim_image image;
    /* VT-x ([x86] vmx = true) */
    bool has_vmx;
    struct vmx_cpu vmx;
    const struct sim_trace *trace;
    struct pwc *ntlb;
};

/*
 * Build the platform from the machine config: caches and TLBs as
 * configured, RAM of [x86] ram, COM1 writing to `serial` (not owned; NULL:
 * open [x86] serial), the CPUID model.  Stats are registered as "cpu0.*"
 * when `stats` is not NULL; walks go to `trace` (may be NULL).  Returns 0,
 * -SIM_ENOMEM or -SIM_EIO (with a message in err).
 */
int sim_x86_new(struct sim_x86 **out, const struct sim_machine_cfg *mc,
                struct sim_stats *stats, const struct sim_trace *trace,
                FILE *serial, char *err, size_t errlen);
void sim_x86_free(struct sim_x86 *s);
/* After SIM_X86_WAITING: time has reached wake_at (the caller waited
 * for it); the next sim_x86_run() delivers the timer interrupt. */
void sim_x86_wake(struct sim_x86 *s);
/* End of run: log what is still open (a VM exit the VMM never answered). */
void sim_x86_finish(struct sim_x86 *s);

/* Load an image (Multiboot ELF32 or ELF64) and set the entry state: the
 * Multiboot hand-off, or for ELF64 the long-mode state documented in
 * docs/x86-runtime.md.  0, or -SIM_EIO/-SIM_EINVAL with a message. */
int sim_x86_load(struct sim_x86 *s, const char *path, char *err,
                 size_t errlen);
int sim_x86_load_buf(struct sim_x86 *s, const uint8_t *buf, size_t len,
                     const char *name, char *err, size_t errlen);

/* The ELF64 entry state at `entry` (docs/x86-runtime.md): 64-bit mode,
 * CPL 0, an identity map of [0, 4 GiB) with 2-MiB pages and a GDT in the
 * top 7 pages of RAM, RSP just below them.  0 or -SIM_ENOMEM. */
int sim_x86_enter_long(struct sim_x86 *s, uint64_t entry);

/* Run at most `budget` instructions (or until the guest stops).  Returns
 * enum sim_x86_stop. */
unsigned sim_x86_run(struct sim_x86 *s, uint64_t budget);

/* Names and counts of the guest's unimplemented instructions, for
 * reporting: calls fn for every mnemonic with a non-zero count. */
void sim_x86_foreach_unimpl(const struct sim_x86 *s,
                            void (*fn)(void *ctx, const char *mnemonic,
                                       const uint64_t *count),
                            void *ctx);

#endif /* SIM_X86_H */
