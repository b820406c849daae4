/*
 * vti_pal.h - the PAL virtualization firmware of Intel VT-i, modelled in
 * C: the procedures PAL_VP_* (265-272), the services PAL_VPS_* at vsa_base,
 * the implementation-held copy of the VPD they synchronise, the VPD
 * accelerations of virtualized instructions, and the cost of each.
 *
 * Edition pinned: Intel Itanium Architecture Software Developer's Manual,
 * revision 2.3 (May 2010), Vol. 2 Part I: 11.7 "PAL Virtualization
 * Support", 11.10 "PAL Procedures" (calling conventions 11.10.2, status
 * values), 11.11 "PAL Virtualization Services" (pages 2:471-2:500), and
 * Vol. 3 thash/ttag (3:265, 3:269).  Numbers: reference hw-virt-facts.md
 * sections C1-C6 and the keys cited there.
 *
 * How the executor uses it (the model never sees the CPU struct):
 *
 *   - It fills a struct vti_cpu with callbacks into its own state.
 *   - A br.call to the PAL procedure entry point: vti_pal_proc().  The
 *     stacked calling convention puts the index in GR28 and in0 (GR32),
 *     the arguments in in1..in3 (GR33-GR35); status and results come back
 *     in GR8-GR11 [LX-pal ia64_pal_call_stacked; IA64-SDM 2:362 Tables
 *     11-59/11-60].  The model writes GR8-GR11 through set_gr and the
 *     executor then returns as br.ret through BR0 (outcome RETURN).
 *   - Any control transfer to an IP for which vti_pal_service_at() is true
 *     runs vti_pal_service().  Services take GR24-GR31 [C5]; those that
 *     return do so by a branch to the address in GR24 [LX-kvm
 *     ia64_call_vsa: hostret = r24] (outcome BRANCH); RESUME_* enter the
 *     guest (outcome RESUME).
 *   - A virtualization fault (cause per C2) first asks vti_vpd_accel();
 *     when that returns nonzero the instruction is complete and no fault
 *     is delivered.
 *
 * Implementation-held state: the processor keeps a copy of the VPD fields
 * the accelerations use ("implementation-specific control resources",
 * IA64-SDM 2:484, 2:500); PAL_VP_RESTORE / PAL_VPS_RESTORE and
 * PAL_VPS_SYNC_WRITE load it from the VPD, PAL_VPS_SYNC_READ, PAL_VP_SAVE
 * and PAL_VPS_SAVE store it back.  The model holds vac, vdc,
 * virt_env_vaddr, vhpi, vgr/vbgr/vnat/vbnat, vcpuid, vpsr, vpr, vrse and
 * vcr[128] (173 words); a VMM that edits the VPD without SYNC_WRITE is not
 * seen by the accelerations, as on silicon.
 *
 * Approximations (see vti_pal.c for the full list): one logical processor
 * per struct vti_pal (several may share one struct vti_env); the
 * implementation-specific parts (buffer size, vsa_base placement, the
 * long-format hash) are choices documented where they are made; costs are
 * placeholders (vti_pal.def).
 */
#ifndef VTI_MODEL_VTI_PAL_H
#define VTI_MODEL_VTI_PAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/ia64.h"
#include "sim/sim_cfg.h"
#include "vti.h"
#include "vti_vpd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

enum vti_pal_kind {
    VTI_PAL_KIND_PROC = 0,  /* stacked-registers procedure, by index */
    VTI_PAL_KIND_SVC,       /* service at vsa_base + offset */
};

enum vti_pal_id {
#define VTI_PAL(n, k, num, na, key, cyc, desc) VTI_PAL_##n,
#include "vti_pal.def"
#undef VTI_PAL
    VTI_PAL__COUNT
};

struct vti_pal_info {
    const char *name;       /* "PAL_VP_CREATE" */
    const char *cost_key;   /* "vp_create" */
    uint16_t    num;        /* index (PROC) or offset (SVC) */
    uint8_t     kind;       /* enum vti_pal_kind */
    uint8_t     nargs;
};

extern const struct vti_pal_info vti_pal_info[VTI_PAL__COUNT];

/* Procedure index or service offset -> row; false when none. */
bool vti_pal_lookup_proc(uint64_t index, enum vti_pal_id *out);
bool vti_pal_lookup_svc(uint64_t offset, enum vti_pal_id *out);

/* PAL procedure status values (IA64-SDM 11.10 "PAL Procedure Calling
 * Conventions", status column of every procedure page, e.g. 2:484). */
#define VTI_PAL_STATUS_OK       0
#define VTI_PAL_STATUS_UNIMPL   (-1)   /* unimplemented procedure */
#define VTI_PAL_STATUS_INVALID  (-2)   /* invalid argument */
#define VTI_PAL_STATUS_ERROR    (-3)   /* call completed with error */
#define VTI_PAL_STATUS_NEED_BUF (-9)   /* call requires PAL memory buffer */

/* PAL_VP_INIT_ENV config_options bits [C4, LX-vti VP_*]. */
#define VTI_PAL_OPT_INITIALIZE (1ull << 0)
#define VTI_PAL_OPT_FR_PMC     (1ull << 1)
#define VTI_PAL_OPT_OPCODE     VTI_VP_INIT_OPCODE      /* bit 8, vti.h */
#define VTI_PAL_OPT_CAUSE      VTI_VP_INIT_CAUSE       /* bit 9, vti.h */
#define VTI_PAL_OPT_FW_ACC     (1ull << 63)
#define VTI_PAL_OPT_DEFINED    (VTI_PAL_OPT_INITIALIZE | VTI_PAL_OPT_FR_PMC | \
                                VTI_PAL_OPT_OPCODE | VTI_PAL_OPT_CAUSE |     \
                                VTI_PAL_OPT_FW_ACC)

/* PAL_VP_ENV_INFO vp_env_info bits [C4; IA64-SDM Table 11-118]: bit 8
 * opcode hand-off available (the gitc bit position is not verified and is
 * reported as 0). */
#define VTI_PAL_ENV_INFO_OPCODE (1ull << 8)

/* The env buffer must be 4-KiB aligned (IA64-SDM 2:473, 2:478). */
#define VTI_PAL_ENV_ALIGN 0x1000u
/* The service entry points span vsa_base .. vsa_base + 0x2400 [C5: the
 * last service, PAL_VPS_SAVE, is at 0x2000; entries are 0x400 apart]. */
#define VTI_PAL_SVC_SPAN 0x2400u
/* The host IVT is 32 KiB and 32-KiB aligned [C1]; the virtualization
 * vector is at IVT offset 0x6100 [C1, LX-ivt]. */
#define VTI_PAL_IVT_ALIGN 0x8000u
#define VTI_PAL_IVT_VIRT  VTI_VIRT_FAULT_VECTOR   /* 0x6100, vti.h */

/* Virtual processors one environment can hold ([A] model limit; beyond
 * it PAL_VP_CREATE returns VTI_PAL_STATUS_ERROR). */
#define VTI_PAL_MAX_VPS 64

/* PSR bits used here (IA64-SDM Vol. 2 "Processor Status Register";
 * checked against [LX-kvm] vmm_reset_entry's IPSR 0x501008826000 =
 * ic, i, dt, si, rt, it, bn, vm). */
#define VTI_PAL_PSR_BE  (1ull << 1)
#define VTI_PAL_PSR_IC  (1ull << 13)
#define VTI_PAL_PSR_I   (1ull << 14)
#define VTI_PAL_PSR_DT  (1ull << 17)
#define VTI_PAL_PSR_DB  (1ull << 24)
#define VTI_PAL_PSR_TB  (1ull << 26)
#define VTI_PAL_PSR_RT  (1ull << 27)
#define VTI_PAL_PSR_CPL (3ull << 32)
#define VTI_PAL_PSR_IS  (1ull << 34)
#define VTI_PAL_PSR_IT  (1ull << 36)
#define VTI_PAL_PSR_SS  (1ull << 40)
#define VTI_PAL_PSR_BN  (1ull << 44)
#define VTI_PAL_PSR_VM  (1ull << VTI_PSR_VM_BIT)   /* 46 [C1], vti.h */

/* Control register numbers used here (Vol. 2 "Control Registers"). */
#define VTI_PAL_CR_IVA  2u
#define VTI_PAL_CR_IPSR 16u
#define VTI_PAL_CR_IIP  19u
#define VTI_PAL_CR_IFS  23u

/* ------------------------------------------------------------------ */
/* Config: section [vti]                                               */
/* ------------------------------------------------------------------ */

struct vti_cfg {
    uint64_t pal_cost[VTI_PAL__COUNT];  /* cycles, one key per row */
#define VTI_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "vti_cfg.def"
#undef VTI_CFG
};

#define VTI_CFG_SECTION "vti"
#define VTI_CFG_DESC \
    "VT-i PAL virtualization firmware and world-switch costs (IA-64)"

/* Keys of [vti]: one per vti_pal.def row, then vti_cfg.def. */
extern const struct sim_cfg_key vti_cfg_keys[];

/* Validator for sim_cfg_declare(): env_buffer_bytes a multiple of 4 KiB. */
int vti_cfg_validate(struct sim_cfg *cfg, const char *section,
                     const void *loaded);

/* The defaults of every key, without a config registry (tests, tools). */
void vti_cfg_defaults(struct vti_cfg *out);

/* ------------------------------------------------------------------ */
/* The CPU interface                                                   */
/* ------------------------------------------------------------------ */

/*
 * What the PAL model needs from the processor, as callbacks on `ctx`.
 * Every callback is required; none may fail except the two memory ones.
 * Register numbers are architectural names as the running code sees them:
 * GR n is the current-frame, current-bank view (GR16-31 of the bank
 * PSR.bn selects; GR32+ of the current register frame), as `mov` would
 * read it.
 */
struct vti_cpu {
    void *ctx;
    /* GR n (0..127) and its NaT bit (nat may be NULL). */
    uint64_t (*get_gr)(void *ctx, unsigned n, bool *nat);
    /* Write GR n (1..127) with its NaT bit. */
    void     (*set_gr)(void *ctx, unsigned n, uint64_t v, bool nat);
    /* BR n (0..7). */
    uint64_t (*get_br)(void *ctx, unsigned n);
    void     (*set_br)(void *ctx, unsigned n, uint64_t v);
    /* Control register n (0..127, architectural numbering). */
    uint64_t (*get_cr)(void *ctx, unsigned n);
    void     (*set_cr)(void *ctx, unsigned n, uint64_t v);
    /* The processor status register. */
    uint64_t (*get_psr)(void *ctx);
    /* The current frame marker (CFM, 38 bits), for cover. */
    uint64_t (*get_cfm)(void *ctx);
    /* Read / write `len` bytes at host-virtual address `va` (the pointers
     * the VMM passes to PAL are host-virtual and TR-mapped, IA64-SDM
     * 2:359); the executor translates.  Return 0, or -1 when any byte is
     * untranslatable or outside memory (nothing is then written). */
    int (*read_mem)(void *ctx, uint64_t va, void *buf, size_t len);
    int (*write_mem)(void *ctx, uint64_t va, const void *buf, size_t len);
    /* Optional (may be NULL).  Perform the register-frame effect of cover
     * (Vol. 3 "cover": a new empty frame; the executor's RSE work).  With
     * it an accelerated cover is completed here (VTI_ACCEL_DONE); without
     * it vti_vpd_accel() returns VTI_ACCEL_NATIVE and the executor does
     * it. */
    void (*cover)(void *ctx);
    /* Optional (may be NULL).  Called at the end of every procedure and
     * service with the controls the executor applies on its side
     * (struct ia64_cpu vti_cause_handoff, vti_opcode_handoff,
     * vmsw_disabled): the GR24 cause / GR25 opcode hand-offs of
     * PAL_VP_INIT_ENV [C4] and vdc.d_vmsw of the VP on this LP [C3]. */
    void (*set_vm_env)(void *ctx, bool cause_handoff, bool opcode_handoff,
                       bool vmsw_disabled);
};

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

/* One virtual processor known to PAL (PAL_VP_CREATE .. _TERMINATE). */
struct vti_vp {
    uint64_t vpd;           /* 64-KiB aligned host-virtual VPD address */
    uint64_t host_iva;      /* host IVT while this VP runs */
    uint64_t opt_handler;   /* 0: intercepts go to host IVT + 0x6100 */
    bool     used;
};

/* The PAL virtual environment: the buffer all logical processors share
 * (IA64-SDM 2:478), and the virtual processors created in it. */
struct vti_env {
    bool     initialized;
    uint64_t config_options;
    uint64_t pbase;         /* host-physical base of the buffer */
    uint64_t vbase;         /* host-virtual base; vsa_base = vbase [A] */
    unsigned lps;           /* logical processors inside */
    struct vti_vp vp[VTI_PAL_MAX_VPS];
};

/* The implementation-held copy of the accelerated VPD fields. */
struct vti_held {
    uint64_t vac;
    uint64_t vdc;
    uint64_t virt_env_vaddr;
    uint64_t vhpi;
    uint64_t vgr[VTI_VPD_NGR];
    uint64_t vbgr[VTI_VPD_NGR];
    uint64_t vnat;
    uint64_t vbnat;
    uint64_t vcpuid[VTI_VPD_NCPUID];
    uint64_t vpsr;
    uint64_t vpr;
    uint64_t vrse;
    uint64_t vcr[VTI_VPD_NCR];
};

/* Outcome of an acceleration attempt (nonzero = handled). */
enum vti_accel {
    VTI_ACCEL_NO = 0,       /* not accelerated: deliver the intercept */
    VTI_ACCEL_DONE,         /* completed from the VPD; advance the IP */
    VTI_ACCEL_NATIVE,       /* VPD part done; the executor performs the
                               instruction's non-virtualized effect (the
                               register-frame part of cover) and advances */
};

/* Per-logical-processor PAL state. */
struct vti_pal {
    struct vti_cfg  cfg;
    struct vti_env *env;        /* shared or &own_env */
    struct vti_env  own_env;
    bool     vm_enabled;        /* PAL_PROC_GET_FEATURES bit 40 enabled
                                   [C1]; false: every VP procedure is
                                   unimplemented (IA64-SDM 2:484) */
    bool     in_env;            /* after PAL_VP_INIT_ENV */
    uint64_t config_options;    /* as passed to PAL_VP_INIT_ENV */
    int      cur;               /* env->vp[] index of the VP on this LP,
                                   -1 none */
    struct vti_held held;
    /* statistics: plain counters, registered by vti_pal_stats() */
    uint64_t calls[VTI_PAL__COUNT];
    uint64_t cycles[VTI_PAL__COUNT];
    uint64_t errors[VTI_PAL__COUNT];    /* nonzero status / undefined */
    uint64_t accel_done;
    uint64_t accel_declined;
};

/* Initialise `p` with the costs in `cfg` (copied).  `env` is the shared
 * environment of the machine's logical processors, or NULL for a private
 * one.  VM features start enabled. */
void vti_pal_init(struct vti_pal *p, const struct vti_cfg *cfg,
                  struct vti_env *env);

/* Register calls/cycles/errors of every row and the acceleration counts
 * as "<obj>.<cost_key>.calls" etc.  Returns 0 or a negative SIM_E*. */
struct sim_stats;
int vti_pal_stats(struct vti_pal *p, struct sim_stats *s, const char *obj);

/* ------------------------------------------------------------------ */
/* Procedures and services                                             */
/* ------------------------------------------------------------------ */

enum vti_pal_next {
    VTI_PAL_NEXT_RETURN = 0,    /* procedure: GR8-11 written; return as
                                   br.ret through BR0 */
    VTI_PAL_NEXT_BRANCH,        /* service: continue at `target` (the
                                   GR24 return address), PSR unchanged */
    VTI_PAL_NEXT_RESUME,        /* enter the guest: as rfi with PSR =
                                   `psr`, IP = `target`, CFM from CR.IFS
                                   when IFS.v; `cfle` passes bit 63 of
                                   GR26 of RESUME_HANDLER */
    VTI_PAL_NEXT_UNDEFINED,     /* the SDM leaves the outcome undefined
                                   (bad VPD, PSR precondition violated):
                                   nothing was changed; `why` says what;
                                   the executor decides (e.g. a machine
                                   check or ending the run) */
};

struct vti_pal_outcome {
    enum vti_pal_next next;
    enum vti_pal_id   id;       /* VTI_PAL__COUNT for an unknown index */
    int64_t  status;            /* procedures: the value put in GR8 */
    uint64_t ret[3];            /* procedures: GR9-GR11 */
    uint64_t target;
    uint64_t psr;
    bool     cfle;
    uint64_t cycles;            /* modelled cost to charge */
    const char *why;            /* UNDEFINED: static text */
};

/* A br.call reached the PAL procedure entry point.  Dispatches on GR28;
 * unknown indices return VTI_PAL_STATUS_UNIMPL.  Never fails otherwise. */
void vti_pal_proc(struct vti_pal *p, const struct vti_cpu *c,
                  struct vti_pal_outcome *out);

/* Is `ip` the entry of a PAL virtualization service of this LP's
 * environment?  (Only while inside the environment.) */
bool vti_pal_service_at(const struct vti_pal *p, uint64_t ip,
                        enum vti_pal_id *id);

/* Run service `id` (a VTI_PAL_KIND_SVC row). */
void vti_pal_service(struct vti_pal *p, const struct vti_cpu *c,
                     enum vti_pal_id id, struct vti_pal_outcome *out);

/* ------------------------------------------------------------------ */
/* Accelerations and queries for the executor                          */
/* ------------------------------------------------------------------ */

/*
 * A virtualized instruction `in` raised virtualization-fault cause
 * `cause` (C2, enum vti_cause of vti.h) while a VP runs on this LP.  When
 * the vac bit for it is set (and its architectural preconditions hold on
 * the virtual state), the instruction is completed from the held VPD
 * state: returns VTI_ACCEL_DONE, or VTI_ACCEL_NATIVE (cover without a
 * cover callback); else VTI_ACCEL_NO and nothing changed.  Handled: mov to/from interruption CRs (a_to_int_cr,
 * a_from_int_cr), mov to/from TPR (a_int), mov from PSR (a_from_psr), mov
 * from CPUID (a_from_cpuid), cover (a_cover), bsw.0/1 (a_bsw).
 */
enum vti_accel vti_vpd_accel(struct vti_pal *p, const struct vti_cpu *c,
                             unsigned cause, const struct ia64_insn *in);

/* Held vac / vdc of the VP on this LP (0 when none). */
uint64_t vti_pal_vac(const struct vti_pal *p);
uint64_t vti_pal_vdc(const struct vti_pal *p);
/* A vdc disable (VTI_VDC_D_*) in force on this LP. */
bool vti_pal_disabled(const struct vti_pal *p, uint64_t vdc_bit);
/* vdc.d_vmsw: vmsw always raises a virtualization fault [C3]. */
bool vti_pal_vmsw_disabled(const struct vti_pal *p);
/* GR24 cause / GR25 opcode hand-off on virtualization faults, as enabled
 * by PAL_VP_INIT_ENV config_options bits 9 / 8 [C1, C4]. */
bool vti_pal_handoff_cause(const struct vti_pal *p);
bool vti_pal_handoff_opcode(const struct vti_pal *p);
/* Where a virtualization intercept goes on this LP: the VP's opt_handler,
 * else the host IVT's Virtualization vector (IVA + 0x6100)
 * (IA64-SDM 2:471 PAL_VP_CREATE).  False when no VP runs here. */
bool vti_pal_intercept_target(const struct vti_pal *p, uint64_t iva,
                              uint64_t *target);
/* The held vhpi is unmasked by vpsr.i and vtpr: a Virtual External
 * Interrupt (IVT 0x3400) is due once the guest runs [C1]. */
bool vti_pal_virq_pending(const struct vti_pal *p);
/* VPD address of the VP on this LP, 0 when none. */
uint64_t vti_pal_current_vpd(const struct vti_pal *p);
/* vsa_base of this LP's environment, 0 outside one. */
uint64_t vti_pal_vsa_base(const struct vti_pal *p);

/* The long-format VHPT hash and tag of this model (PAL_VPS_THASH /
 * PAL_VPS_TTAG; an implementation-specific function, see vti_pal.c). */
uint64_t vti_pal_thash(uint64_t va, uint64_t rr, uint64_t pta);
uint64_t vti_pal_ttag(uint64_t va, uint64_t rr);

#ifdef __cplusplus
}
#endif

#endif /* VTI_MODEL_VTI_PAL_H */
