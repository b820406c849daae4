/*
 * sim_ia64.h - the IA-64 platform: one Itanium core (isa/ia64_cpu.h) with
 * the VT-i PAL firmware model (vti-model/vti_pal.h), sparse RAM, a PAL
 * ROM, two magic MMIO ports, the ELF64 EM_IA_64 loader and a simple
 * cycle count.  `vtsim run --image X.elf` runs an IA-64 image on it, and
 * so does `vtsim run CONFIG` when CONFIG's [ia64] image names one; the
 * platform's parameters are the keys of [ia64] (sim_ia64_cfg.def) and
 * [vti] (vti-model/vti_cfg.def, vti_pal.def).
 *
 * References: Intel Itanium Architecture SDM rev 2.3 (May 2010), Vol. 2
 * 3.3 (PSR), 4.1 (TLB), 5 (interruptions), 11.10-11.11 (PAL virtualization
 * procedures and services); hw-virt-facts.md section C (C1 vector 0x6100,
 * C2 cause codes, C4/C5 PAL procedures and services).  ELF: System V ABI
 * "ELF-64 Object File Format" 1.5 (e_machine 50 = EM_IA_64; e_entry 24,
 * e_phoff 32, e_phentsize 54, e_phnum 56; program header p_type 0,
 * p_offset 8, p_vaddr 16, p_paddr 24, p_filesz 32, p_memsz 40; PT_LOAD 1).
 *
 * Physical memory map (all addresses physical; bit 63 ignored):
 *   [0, ram)                     guest RAM ([ia64] ram)
 *   SIM_IA64_CONSOLE             write (any size): the low byte goes to the
 *                                serial stream; reads return 0
 *   SIM_IA64_EXIT                write (any size): ends the run, status =
 *                                the value written; reads return 0
 *   [SIM_IA64_PAL_BASE, +4 KiB)  PAL ROM, read-only: the procedure entry
 *                                at +0 (intercepted, never fetched), a
 *                                `br.ret b0` bundle at +0x100 and an `rfi`
 *                                bundle at +0x110 the glue uses, zeros
 *                                (break 0) elsewhere; writes are dropped
 *   anything else                a bus error: the executor stops with a
 *                                machine check and the run ends
 *
 * Start state (sim_ia64_load): IP = e_entry, PSR = it | dt | rt (virtual
 * addressing on, interruption collection off, CPL 0, register bank 0,
 * PSR.vm = 0), IVA = 0, RR0-7 rid 0 with 8-KiB pages, and ITR0 / DTR0
 * identity-mapping region 0 [0, 4 GiB) with one 4-GiB page (ITR0 ar = 7,
 * execute/read at PL0 so that vmsw works; DTR0 ar = 3 pl = 3, read/write/
 * execute at every level; p = a = d = 1, ma = WB), so RAM, the ports and
 * the PAL ROM are reachable at their physical addresses and the PAL
 * virtualization services' PSR.it/dt/rt = 1 requirement [C5] holds from
 * the first instruction.  An empty register frame; the register stack
 * backing store starts at ram - SIM_IA64_RSE_AREA (AR.BSP = AR.BSPSTORE)
 * and GR12 (sp) = ram - SIM_IA64_RSE_AREA - 16, so the top 64 KiB of RAM
 * belong to the RSE and the memory stack grows down below it.
 *
 * PAL glue: the executor's pal_call hook covers the PAL ROM (and, once a
 * PAL_VP_INIT_ENV succeeded, the hull of the ROM and the service area
 * [vsa_base, vsa_base + 0x2400)).  A bundle-aligned IP at the procedure
 * entry runs vti_pal_proc() and returns through the ROM's br.ret bundle;
 * an IP at a service entry runs vti_pal_service(): BRANCH continues at
 * GR24, RESUME enters the guest through the ROM's rfi bundle with
 * CR.IPSR = the outcome's PSR (PSR.vm = 1), UNDEFINED ends the run
 * (SIM_IA64_PAL_UNDEFINED).  The virt_accel hook is vti_vpd_accel().
 * A delivered Virtualization fault goes to vti_pal_intercept_target()
 * (the VP's opt_handler when it has one).
 *
 * Virtual External Interrupts: before every slot that runs with PSR.vm =
 * 1, the platform asks vti_pal_virq_pending() whether the vhpi the VMM
 * posted (PAL_VPS_SET_PENDING_INTERRUPT, or a restore / SYNC_WRITE of a
 * VPD holding one) is unmasked by the virtual processor's vpsr.i and vTPR
 * (mmi, mic).  So it is delivered at the first guest slot after it
 * becomes unmasked: at the resume into the guest, or right after an
 * accelerated mov to TPR that lowered vTPR.  Delivery is an interruption
 * to the host IVT at IVA + 0x3400 [C1 "Virtual External Interrupt
 * vector", IA64-SDM 2:187; LX-ivt entry 13], never to opt_handler, with
 * the usual collection (IIP = the guest's bundle, IPSR = the guest's PSR
 * with vm = 1 and ri = the slot not yet run, when PSR.ic = 1) and PSR.vm
 * = 0; GR24/GR25 are not written (the VMM reads vhpi from the VPD).  It
 * costs [vti] virq + drain and is an `exits` row.  Until the VMM lowers
 * vhpi or the guest masks it, every resume delivers it again (the
 * run's budget or [ia64] max_insns ends a VMM that never does).
 *
 * Timing: a blocking in-order core.  Every executed slot costs
 * slot_cycles ([ia64]); a PAL procedure or service costs its [vti] key
 * (vti_pal.def); a Virtualization fault costs [vti] fault + drain; a vmsw
 * that switched PSR.vm costs [vti] vmsw; an accelerated instruction [vti]
 * accel.  The two ROM stub bundles count as executed slots.  Memory goes
 * through the foundation's models (cache-tlb/cache.h), built from the
 * same sections as the x86 platform's: [cache/l1i], [cache/l1d],
 * [cache/l2], [cache/llc] (each may be disabled) and [dram].  An
 * instruction fetch of a RAM bundle whose line differs from the last
 * fetched line is one L1I -> L2 -> LLC -> DRAM reference; every data
 * read or write of RAM by an instruction or the RSE is one L1D -> L2 ->
 * LLC -> DRAM reference.  A reference costs the sum of the hit latencies
 * down to the level that served it (plus the DRAM latency on a full
 * miss); what exceeds the L1 hit latency is added to the cycle count
 * (cpu0.ifetch_cycles, cpu0.data_cycles), the L1 hit being part of
 * slot_cycles.  The PAL model's own VPD reads and writes and the ports
 * and PAL ROM bypass the caches.  Without a machine config
 * (sim_ia64_params_default) there is no hierarchy and only the costs
 * above count.  The TLB is the executor's software-managed one (Vol. 2
 * 4.1.1; IA64_NTR TRs and IA64_NTC TCs per side): a translation found is
 * free, a miss is an architectural TLB fault the guest's handler resolves
 * with itc/itr in its own slots, so the TLB only counts cpu0.itlb.* /
 * cpu0.dtlb.* hits and misses (the ITLB is looked up once per executed
 * slot).
 *
 * AR.ITC counts core cycles: it advances by exactly the cycles charged
 * above, an ITC-to-core-clock ratio of 1 (SDM Vol. 2 3.3.4.2, 2:33, ties
 * the ITC to no particular clock and leaves calibration to software; one
 * tick per core cycle is this platform's choice).  So code running with
 * PSR.vm = 0 can time PAL calls, faults and its own loops by reading
 * ar.itc (with PSR.vm = 1 that read is virtualized, cause 3 [C2]).  A
 * slot's own cost is added after it completes: a mov from ar.itc sees
 * every earlier slot, not itself.  A value the guest writes to ar.itc is
 * kept and counts on from there.  sim_ia64_reset() sets ITC to the
 * cycles counted so far (0 on a fresh platform).
 *
 * Exits: one struct sim_exit_event (arch "vti") per Virtualization fault:
 * reason = cause code (C2), reason_name = vti_cause_name(), qual = ISR,
 * guest_rip = the faulting bundle, exit_cost[DRAIN] = drain,
 * exit_cost[UCODE] = fault; and one per Virtual External Interrupt:
 * reason = 0 (no cause code), reason_name = "VIRT_EXTERNAL_INT", qual =
 * vhpi, guest_rip = the interrupted bundle, exit_cost[UCODE] = virq.
 * For both, handler_cycles = cycles from the first VMM
 * instruction to the PAL_VPS_RESUME_* call that resumes the guest,
 * entry_cost[UCODE] = entry_cycles = that service's cost.  An exit the
 * VMM never answers with a RESUME service is logged with entry_cycles 0
 * when the next exit starts or at sim_ia64_finish().
 *
 * Approximations: one core, in order, one reference at a time (no
 * overlap of misses, no prefetch, no instruction-group parallelism:
 * slot_cycles is charged per slot); every RAM reference is cacheable
 * write-back whatever the page's memory attribute (TLB ma) or PSR.dt = 0
 * with bit 63 set (uncacheable physical addressing) says; no hardware
 * VHPT walker, so no walk timing; fetches of the same line back to back
 * are one reference (a fetch buffer); stores to code are not snooped; no
 * physical external interrupts (no interrupt controller, no ITM timer
 * interrupt), and a Virtual External Interrupt is not held off by the
 * real PSR.i or PSR.ic (the guest's mask is vpsr.i); the CFLE bit of
 * RESUME_HANDLER is ignored; PAL
 * reads and writes of VPD memory translate through the TRs/TCs without
 * rights checks (firmware privilege) and are not timed beyond the
 * procedure's cost; other interruptions cost no more than the slot that
 * raised them.
 */
#ifndef SIM_IA64_H
#define SIM_IA64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cache-tlb/cache.h"
#include "isa/ia64_cpu.h"
#include "sim_cfg.h"
#include "sim_mem.h"
#include "sim_stats.h"
#include "sim_trace.h"
#include "vti-model/vti_pal.h"

#define SIM_IA64_CONSOLE   0xffe00000ull    /* byte port */
#define SIM_IA64_EXIT      0xffe00008ull    /* exit port */
#define SIM_IA64_PORTS_END 0xffe00010ull
#define SIM_IA64_PAL_BASE  0xfff00000ull    /* PAL procedure entry */
#define SIM_IA64_PAL_SIZE  0x1000ull
#define SIM_IA64_PAL_RET   (SIM_IA64_PAL_BASE + 0x100)  /* br.ret b0 */
#define SIM_IA64_PAL_RFI   (SIM_IA64_PAL_BASE + 0x110)  /* rfi */
#define SIM_IA64_RSE_AREA  0x10000ull       /* top of RAM: backing store */
#define SIM_IA64_EM_IA_64  50               /* ELF e_machine */

struct sim_machine_cfg;

/* Section [ia64] (sim_ia64_cfg.def). */
struct sim_ia64_cfg {
#define IA64_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "sim_ia64_cfg.def"
#undef IA64_CFG
};

extern const struct sim_cfg_key sim_ia64_cfg_keys[];

/* Validator of [ia64]: ram a multiple of 4 KiB; a non-empty image must be
 * a readable ELF64 EM_IA_64 file.  Reports with sim_cfg_error(). */
int sim_ia64_cfg_validate(struct sim_cfg *cfg, const char *section,
                          const void *loaded);

/* Parameters of the platform. */
struct sim_ia64_params {
    uint64_t ram;           /* bytes, a multiple of 4 KiB, >= 1 MiB */
    uint64_t max_insns;     /* stop after this many slots, 0: no limit */
    uint64_t slot_cycles;   /* cycles per executed slot ([A] 1) */
    struct vti_cfg vti;     /* [vti] costs */
    bool caches;            /* false: no cache hierarchy, no miss costs */
    struct cache_cfg l1i;   /* validated geometries ([cache/...]); a */
    struct cache_cfg l1d;   /* level with enabled = false is absent */
    struct cache_cfg l2;
    struct cache_cfg llc;
    struct dram_cfg dram;
    uint64_t seed;          /* random replacement ([workload] seed) */
};

/* ram, max_insns and slot_cycles from [ia64], the costs from [vti], the
 * cache hierarchy from [cache/l1i], [cache/l1d], [cache/l2], [cache/llc]
 * and [dram] (the sections the x86 platform's caches are built from). */
void sim_ia64_params_from_machine(struct sim_ia64_params *p,
                                  const struct sim_machine_cfg *mc);
/* The same without a machine config: the defaults of [ia64] (128 MiB, no
 * limit, 1 cycle a slot) and [vti], and no cache hierarchy (unit tests
 * that count slots exactly). */
void sim_ia64_params_default(struct sim_ia64_params *p);

/* Why sim_ia64_run() returned. */
enum sim_ia64_stop {
    SIM_IA64_RUNNING,       /* the budget ran out */
    SIM_IA64_EXITED,        /* the guest wrote SIM_IA64_EXIT */
    SIM_IA64_MCHECK,        /* bus error: the executor stopped */
    SIM_IA64_PAL_UNDEFINED, /* a PAL service with an undefined outcome */
    SIM_IA64_LIMIT,         /* max_insns reached */
};

extern const char *const sim_ia64_stop_name[];

struct sim_ia64_image {
    uint64_t entry;
    uint64_t lo, hi;        /* bytes loaded (incl. bss) */
    unsigned segments;
};

struct sim_ia64_stats {
    uint64_t cycles;
    uint64_t insns;         /* slots completed */
    uint64_t pal_procs;     /* PAL procedure calls */
    uint64_t pal_services;  /* PAL virtualization service calls */
    uint64_t virt_faults;   /* Virtualization faults delivered (exits) */
    uint64_t virt_ext_ints; /* Virtual External Interrupts delivered
                               (exits too) */
    uint64_t virt_accels;   /* virtualized instructions accelerated */
    uint64_t vmsw;          /* vmsw that switched PSR.vm */
    uint64_t interruptions; /* all interruptions delivered */
    uint64_t console_bytes;
    uint64_t exit_status;   /* value written to SIM_IA64_EXIT */
    uint64_t fetch_lines;   /* instruction fetches of a new line (L1I) */
    uint64_t loads;         /* data reads of RAM (executor + RSE) */
    uint64_t stores;        /* data writes of RAM */
    uint64_t ifetch_cycles; /* fetch cycles beyond an L1I hit */
    uint64_t data_cycles;   /* data cycles beyond an L1D hit */
};

/* A Virtualization fault not yet answered by a RESUME service. */
struct sim_ia64_pending {
    bool     open;
    struct sim_exit_event ev;
    uint64_t handler_start; /* cycle of the first VMM instruction */
};

struct sim_ia64 {
    struct ia64_cpu cpu;
    struct vti_pal pal;
    struct vti_cpu vcpu;    /* struct vti_cpu over `cpu` */
    struct sim_ia64_params prm;
    struct sim_mem *mem;
    FILE *serial;           /* not owned; NULL: output dropped */
    const struct sim_trace *trace;
    struct sim_ia64_image image;
    struct sim_ia64_stats st;
    struct sim_ia64_pending pend;
    struct cache *l1i, *l1d, *l2, *llc;     /* NULL: level absent */
    struct dram *dram;      /* NULL: no hierarchy (prm.caches false) */
    struct cache_hier ih;   /* l1i, l2, llc, dram */
    struct cache_hier dh;   /* l1d, l2, llc, dram */
    uint32_t l1i_hit;       /* in slot_cycles: charged above it only */
    uint32_t l1d_hit;
    unsigned fetch_shift;   /* log2 of the fetch line (the L1I's) */
    uint64_t last_fetch_line;
    uint64_t exit_seq;
    unsigned last_cause;    /* cause seen by the virt_accel hook */
    bool exited;
    bool pal_undefined;
    const char *pal_why;    /* UNDEFINED: the PAL model's text */
};

/* Build the platform.  Stats go to `stats` as "cpu0.*" and "cpu0.vti.*"
 * when not NULL; exits to `trace` (may be NULL, may be set later).
 * Returns 0 or -SIM_ENOMEM / -SIM_EINVAL (message in err). */
int sim_ia64_new(struct sim_ia64 **out, const struct sim_ia64_params *p,
                 struct sim_stats *stats, const struct sim_trace *trace,
                 FILE *serial, char *err, size_t errlen);
void sim_ia64_free(struct sim_ia64 *s);

/* Is this buffer / file an ELF64 EM_IA_64 image?  (Only the identity
 * bytes and e_machine are looked at.) */
bool sim_ia64_is_image_buf(const uint8_t *buf, size_t len);
bool sim_ia64_is_image(const char *path);

/* Load an ELF64 little-endian EM_IA_64 image (PT_LOAD segments at their
 * p_paddr, inside RAM) and set the start state at e_entry.  0, or
 * -SIM_EIO / -SIM_EINVAL with "NAME: what" in err. */
int sim_ia64_load(struct sim_ia64 *s, const char *path, char *err,
                  size_t errlen);
int sim_ia64_load_buf(struct sim_ia64 *s, const uint8_t *buf, size_t len,
                      const char *name, char *err, size_t errlen);

/* The start state documented above, at `entry`. */
void sim_ia64_reset(struct sim_ia64 *s, uint64_t entry);

/* Run at most `budget` slots.  Returns enum sim_ia64_stop. */
unsigned sim_ia64_run(struct sim_ia64 *s, uint64_t budget);

/* End of run: log an exit still open (no RESUME followed). */
void sim_ia64_finish(struct sim_ia64 *s);

#endif /* SIM_IA64_H */
