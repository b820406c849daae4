/*
 * vmx.h - Intel VT-x functional model: the CPU-independent parts.
 *
 *   - VMCS fields (vmx_fields.def): encoding decode, lookup, names, the
 *     VMCS storage (struct vmx_vmcs), VMREAD/VMWRITE semantics and the
 *     memory image of a VMCS region                              vmx_vmcs.c
 *   - exit reasons, VM-instruction errors, control bits: names   vmx_names.c
 *   - the CPU model: VMX capabilities from config keys or presets
 *     (vmx_caps_cfg.def) and the IA32_VMX_* capability MSRs       vmx_caps.c
 *   - VM-entry checks on controls, host state and guest state
 *     (vmx_checks.def)                                          vmx_check.c
 *
 * Facts follow /work/shared/reference/hw-virt-facts.md section A (cited by
 * its keys, e.g. A1, A8.4 H9, [BX-vmxc]) and Intel SDM Vol. 3C, order no.
 * 326019, cited by section title because the numbers move between the
 * 2016-2023 editions: "VMREAD, VMWRITE, and Encodings of VMCS Fields",
 * App. A "VMX Capability Reporting Facility", App. B "Field Encoding in
 * VMCS", chapter "VM Entries".
 *
 * Everything here is pure: no CPU state, no allocation, and guest memory
 * only through the optional reader in struct vmx_cpu_facts, which also
 * carries the few CPU facts the entry checks need.
 * Guest-controlled values (encodings, VMCS contents, images) produce an
 * architectural outcome and never an assertion.
 *
 * Approximations (collected here, details next to the code):
 *   - A field introduced by several controls is tied to one of them in
 *     vmx_fields.def; host FRED/SPEC_CTRL fields to "activate secondary
 *     exit controls" because the secondary exit-control bits are not in the
 *     reference.
 *   - The secondary exit controls and the tertiary controls are only masks
 *     (exit2_allowed1, proc3_allowed1); no check looks inside them.
 *   - SMM and the dual-monitor treatment are not modelled: the checks that
 *     depend on SMM take `in_smm` from the facts; executive-VMCS checks are
 *     not implemented.
 *   - Checks that read guest memory (VTPR, link-pointer VMCS header,
 *     PDPTEs without EPT) use facts->read_phys and pass when it is NULL.
 *   - VM-entry checks the reference does not list (e.g. FRED, LBR, UINV,
 *     IA32_RTIT_CTL, SPEC_CTRL, PT, HLAT, IPI virtualization) are absent.
 */
#ifndef VMX_H
#define VMX_H

#include "sim/sim_cfg.h"
#include "sim/sim_types.h"

/* ==== control bits (vmx_ctls.def) ===================================== */

/* Control sets.  ALWAYS is the pseudo-set of fields present on every
 * model (vmx_fields.def column `cap`). */
enum vmx_ctlset {
    VMX_CTLSET_ALWAYS,
    VMX_CTLSET_PIN,         /* 0x4000, MSR 0x481 / 0x48D */
    VMX_CTLSET_PROC,        /* 0x4002, MSR 0x482 / 0x48E */
    VMX_CTLSET_PROC2,       /* 0x401E, MSR 0x48B */
    VMX_CTLSET_PROC3,       /* 0x2034, MSR 0x492 (64-bit) */
    VMX_CTLSET_EXIT,        /* 0x400C, MSR 0x483 / 0x48F */
    VMX_CTLSET_ENTRY,       /* 0x4012, MSR 0x484 / 0x490 */
    VMX_CTLSET_VMFUNC,      /* 0x2018, MSR 0x491 (64-bit) */
    VMX_CTLSET__COUNT
};

/* Bit positions: VMX_CTL_PIN_VIRTUAL_NMIS == 5; masks via VMX_BIT(). */
enum vmx_ctl_bit {
    VMX_CTL_ALWAYS_NONE = 0,
#define VMX_CTL(set, name, bit, desc) VMX_CTL_##set##_##name = (bit),
#include "vmx_ctls.def"
#undef VMX_CTL
};

#define VMX_BIT(n) (1ull << (n))

/* Default-1 ("reserved, must be 1" without TRUE MSRs) classes, A4. */
#define VMX_DEFAULT1_PIN        0x00000016u
#define VMX_DEFAULT1_PROC       0x0401E172u
#define VMX_DEFAULT1_EXIT       0x00036DFFu
#define VMX_DEFAULT1_ENTRY      0x000011FFu
/* Default-1 bits that stay must-be-1 under the TRUE MSRs (A4: with TRUE
 * MSRs CR3-load/store exiting, save/load debug controls become 0-able). */
#define VMX_TRUE_ALLOWED0_PIN   0x00000016u
#define VMX_TRUE_ALLOWED0_PROC  0x04006172u
#define VMX_TRUE_ALLOWED0_EXIT  0x00036DFBu
#define VMX_TRUE_ALLOWED0_ENTRY 0x000011FBu

/* Name of control `bit` of `set` ("EPT"), NULL if the bit has no row. */
const char *vmx_ctl_name(enum vmx_ctlset set, unsigned bit);

/* ==== VMCS fields (vmx_fields.def) ==================================== */

enum vmx_field {
#define VMX_FIELD(name, enc, w, t, cap, bit) VMX_FIELD_##name,
#include "vmx_fields.def"
#undef VMX_FIELD
    VMX_FIELD__COUNT
};

/* Encoding bits 14:13 (A1). */
enum vmx_width { VMX_W16 = 0, VMX_W64 = 1, VMX_W32 = 2, VMX_WNAT = 3 };
/* Encoding bits 11:10 (A1). */
enum vmx_ftype {
    VMX_TYPE_CTL = 0,
    VMX_TYPE_RO = 1,
    VMX_TYPE_GUEST = 2,
    VMX_TYPE_HOST = 3
};

struct vmx_field_info {
    uint32_t encoding;      /* full-field encoding */
    uint8_t width;          /* enum vmx_width */
    uint8_t type;           /* enum vmx_ftype */
    uint8_t cap_set;        /* enum vmx_ctlset: control that introduces it */
    uint8_t cap_bit;        /* bit in that set */
    const char *name;       /* "GUEST_CR0" */
};

extern const struct vmx_field_info vmx_field_info[VMX_FIELD__COUNT];

/* Decoded form of a 32-bit encoding (A1). */
struct vmx_enc {
    bool high;              /* bit 0: access to the upper half */
    uint16_t index;         /* bits 9:1 */
    uint8_t type;           /* bits 11:10, enum vmx_ftype */
    uint8_t width;          /* bits 14:13, enum vmx_width */
};

/* Split `encoding`.  False when a reserved bit (12, 63:15) is set. */
bool vmx_enc_decode(uint64_t encoding, struct vmx_enc *out);

/* Guest-controlled encoding to table row, O(1).  False for an encoding
 * that names no field of the table: reserved bits set, unknown index, or
 * HIGH access to a field that is not 64 bits wide.  *high tells whether
 * the encoding was the HIGH half (may be NULL). */
bool vmx_field_lookup(uint64_t encoding, enum vmx_field *field, bool *high);

/* "GUEST_CR0"; "?" for an out-of-range value. */
const char *vmx_field_name(enum vmx_field field);

/* ==== the VMCS =========================================================*/

enum vmx_launch_state { VMX_LAUNCH_CLEAR = 0, VMX_LAUNCH_LAUNCHED = 1 };

/*
 * A VMCS as the model keeps it: one value per table row, zero-extended to
 * 64 bits and always truncated to the field's width (16/32 bits; 64-bit
 * and natural-width fields keep 64 bits: the model is an Intel 64
 * processor, so natural width is 64).  revision_id includes bit 31, the
 * shadow-VMCS indicator (A1 "VMCS region").
 */
struct vmx_vmcs {
    uint32_t revision_id;       /* bytes 0-3 of the region */
    uint32_t abort;             /* bytes 4-7: VMX-abort indicator (A9) */
    uint8_t launch;             /* enum vmx_launch_state */
    uint64_t val[VMX_FIELD__COUNT];
};

/* Width masks indexed by enum vmx_width. */
extern const uint64_t vmx_width_mask[4];

/* Raw access by row, for the CPU model (no capability or read-only checks;
 * set truncates to the field width).  `f` must be a valid enum value. */
static inline uint64_t vmx_vmcs_get(const struct vmx_vmcs *v,
                                    enum vmx_field f)
{
    return v->val[f];
}

static inline void vmx_vmcs_set(struct vmx_vmcs *v, enum vmx_field f,
                                uint64_t val)
{
    v->val[f] = val & vmx_width_mask[vmx_field_info[f].width];
}

/* All fields 0, launch state clear, abort 0 (what a fresh region holds;
 * the VMCS link pointer must still be written to ~0 by software). */
void vmx_vmcs_init(struct vmx_vmcs *v, uint32_t revision_id);

/* Does the CPU model have this field (its introducing control can be 1)? */
struct vmx_cpu_model;
bool vmx_field_supported(const struct vmx_cpu_model *m, enum vmx_field f);

/*
 * VMREAD / VMWRITE semantics on a 64-bit value (SDM "VMREAD"/"VMWRITE",
 * A1).  The CPU model handles operand size: outside 64-bit mode it passes
 * a zero-extended 32-bit source and keeps bits 31:0 of the result.
 *   read : 16/32-bit fields zero-extended; 64-bit and natural full access
 *          returns all 64 bits; HIGH access returns bits 63:32.
 *   write: the value is truncated to the field width; HIGH access writes
 *          bits 31:0 of `val` into bits 63:32 and keeps bits 31:0.
 * Return 0 (VMsucceed) or the VM-instruction error number for VMfailValid:
 *   VMX_ERR_UNSUPPORTED_FIELD (12): the encoding names no field, or the
 *          field does not exist on model `m` (vmx_field_supported);
 *   VMX_ERR_VMWRITE_READ_ONLY (13): write to a type-1 field unless
 *          IA32_VMX_MISC[29] (m->vmwrite_any).
 * `m` may be NULL: every table field is then supported and read-only
 * fields are not writable.
 */
int vmx_vmcs_read(const struct vmx_vmcs *v, const struct vmx_cpu_model *m,
                  uint64_t encoding, uint64_t *val);
int vmx_vmcs_write(struct vmx_vmcs *v, const struct vmx_cpu_model *m,
                   uint64_t encoding, uint64_t val);

/*
 * Memory image of a VMCS region (so the VMCS lives in guest memory, A1:
 * bytes 0-3 revision id with bit 31 the shadow indicator, bytes 4-7 the
 * abort indicator, the rest implementation-specific).  vtsim's layout,
 * little-endian:
 *   0x00  u32  revision id (bit 31: shadow-VMCS indicator)
 *   0x04  u32  VMX-abort indicator
 *   0x08  u32  launch state (0 clear, 1 launched)
 *   0x0C  u16  VMX_VMCS_IMAGE_MAGIC, u16 number of field slots
 *   0x10  u64  value of table row i at 0x10 + 8 * i, i < VMX_FIELD__COUNT
 * VMX_VMCS_IMAGE_SIZE bytes in all; the model's VMCS size must be at least
 * that (vmx_caps checks it).  A region that was never written by
 * vmx_vmcs_to_image() still loads (a guest may VMPTRLD garbage): values
 * are truncated to their widths, the launch state is taken from bit 0.
 */
#define VMX_VMCS_OFF_REVISION   0x00u
#define VMX_VMCS_OFF_ABORT      0x04u
#define VMX_VMCS_OFF_LAUNCH     0x08u
#define VMX_VMCS_OFF_MAGIC      0x0Cu
#define VMX_VMCS_OFF_FIELDS     0x10u
#define VMX_VMCS_IMAGE_MAGIC    0x5654u         /* "VT" */
#define VMX_VMCS_IMAGE_SIZE     (VMX_VMCS_OFF_FIELDS + 8u * VMX_FIELD__COUNT)

/* Return 0, or -SIM_EINVAL when `len` < VMX_VMCS_IMAGE_SIZE. */
int vmx_vmcs_to_image(const struct vmx_vmcs *v, void *buf, size_t len);
int vmx_vmcs_from_image(struct vmx_vmcs *v, const void *buf, size_t len);

/* ==== exit reasons and VM-instruction errors ========================== */

enum vmx_exit_reason {
#define VMX_EXIT(name, num, kind, desc) VMX_EXIT_##name = (num),
#include "vmx_exits.def"
#undef VMX_EXIT
};

/* Exit-reason field bits (A1 "Exit reason 0x4402"). */
#define VMX_EXIT_REASON_BASIC_MASK   0x0000FFFFu
#define VMX_EXIT_REASON_ENTRY_FAIL   0x80000000u

/* Name of the basic reason in bits 15:0 of `reason` ("EPT_VIOLATION"),
 * NULL for a reserved or unknown number.  Upper bits are ignored. */
const char *vmx_exit_name(uint32_t reason);
const char *vmx_exit_desc(uint32_t reason);
/* True for trap-like reasons (A2), false for fault-like or unknown ones. */
bool vmx_exit_is_trap(uint32_t reason);
/* Largest basic exit reason with a name. */
unsigned vmx_exit_max(void);

enum vmx_insn_err {
    VMX_ERR_NONE = 0,
#define VMX_ERR(name, num, desc) VMX_ERR_##name = (num),
#include "vmx_errors.def"
#undef VMX_ERR
};

/* "UNSUPPORTED_FIELD", NULL for 0, reserved or unknown numbers. */
const char *vmx_err_name(uint32_t err);
const char *vmx_err_desc(uint32_t err);
unsigned vmx_err_max(void);

/* ==== the CPU model and capability MSRs =============================== */

/* Config struct of section [vmx] (vmx_caps_cfg.def). */
struct vmx_caps_cfg {
#define VMX_CAPS_CFG(n, t, m, sky, neh, lo, hi, u, map, desc) \
    SIM_CFG_CTYPE_##t m;
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
};

#define VMX_CAPS_CFG_SECTION "vmx"
#define VMX_CAPS_CFG_DESC    "VT-x capabilities of the simulated CPU"

/* Key table for sim_cfg_declare() (defaults: the Skylake-SP-like part). */
extern const struct sim_cfg_key vmx_caps_cfg_keys[];
/* Validator for sim_cfg_declare(): feature dependencies (EPT features need
 * ept, ...), fixed-bit consistency, VMCS size >= VMX_VMCS_IMAGE_SIZE. */
int vmx_caps_cfg_validate(struct sim_cfg *cfg, const char *section,
                          const void *loaded);

enum vmx_preset {
    VMX_PRESET_SKYLAKE,     /* Skylake-SP-like: the keys' defaults */
    VMX_PRESET_NEHALEM,     /* first-generation Core i7 */
    VMX_PRESET__COUNT
};

/* "skylake", "nehalem"; NULL out of range. */
const char *vmx_preset_name(enum vmx_preset p);
/* NULL-terminated "key=value" list (every key) making `p` the defaults of
 * a [vmx] section: the `defaults` argument of sim_cfg_declare().  The
 * Skylake list equals the key table's own defaults.  NULL out of range. */
const char *const *vmx_caps_preset_defaults(enum vmx_preset p);
/* Fill *out with preset `p` without the config registry.  Returns 0 or
 * -SIM_EINVAL (bad preset number). */
int vmx_caps_preset(enum vmx_preset p, struct vmx_caps_cfg *out);

/* Allowed settings of one control field.  A control bit X may be 0 only if
 * allowed0 bit X is 0, and may be 1 only if allowed1 bit X is 1 (A5
 * "Control-MSR rule"). */
struct vmx_ctl_caps {
    uint32_t allowed0;      /* bits that must be 1 */
    uint32_t allowed1;      /* bits that may be 1 */
};

/*
 * What the simulated CPU supports, decoded (the MSRs are computed from
 * this by vmx_cap_msr()).  pin/proc/exit/entry hold the TRUE settings
 * (what really can be 0); the non-TRUE MSRs add the default-1 class to
 * allowed0.  Build one with vmx_caps_build(); the fields may also be set
 * by hand (tests), keeping allowed0 a subset of allowed1.
 */
struct vmx_cpu_model {
    /* IA32_VMX_BASIC */
    uint32_t revision_id;       /* bits 30:0 */
    uint32_t vmcs_size;         /* bits 44:32, <= 4096 */
    uint8_t mem_type;           /* bits 53:50: 6 = WB */
    bool addr32;                /* bit 48 */
    bool dual_monitor;          /* bit 49 */
    bool ins_outs_info;         /* bit 54 */
    bool true_ctls;             /* bit 55 */
    bool hw_exc_no_errcode;     /* bit 56 */
    /* control capabilities (TRUE view) */
    struct vmx_ctl_caps pin;
    struct vmx_ctl_caps proc;
    struct vmx_ctl_caps proc2;
    struct vmx_ctl_caps exit;
    struct vmx_ctl_caps entry;
    uint64_t proc3_allowed1;    /* IA32_VMX_PROCBASED_CTLS3 */
    uint64_t exit2_allowed1;    /* IA32_VMX_EXIT_CTLS2 */
    /* IA32_VMX_MISC */
    uint8_t preempt_rate;       /* bits 4:0 */
    bool lma_store;             /* bit 5 */
    bool act_hlt;               /* bit 6 */
    bool act_shutdown;          /* bit 7 */
    bool act_wait_sipi;         /* bit 8 */
    bool pt_in_vmx;             /* bit 14 */
    bool smbase_rdmsr;          /* bit 15 */
    uint16_t cr3_targets;       /* bits 24:16 */
    uint8_t msr_list_n;         /* bits 27:25 */
    bool smm_monitor_ctl;       /* bit 28 */
    bool vmwrite_any;           /* bit 29 */
    bool inject_len0;           /* bit 30 */
    uint32_t mseg_rev;          /* bits 63:32 */
    /* fixed CR bits */
    uint64_t cr0_fixed0;
    uint64_t cr0_fixed1;
    uint64_t cr4_fixed0;
    uint64_t cr4_fixed1;
    /* EPT/VPID and VM functions */
    uint64_t ept_vpid_cap;      /* IA32_VMX_EPT_VPID_CAP, A7 */
    uint64_t vmfunc;            /* IA32_VMX_VMFUNC */
};

/* EPT_VPID_CAP bits (A7). */
enum vmx_eptcap_bit {
    VMX_EPTCAP_EXEC_ONLY = 0,
    VMX_EPTCAP_WALK4 = 6,
    VMX_EPTCAP_WALK5 = 7,
    VMX_EPTCAP_UC = 8,
    VMX_EPTCAP_WB = 14,
    VMX_EPTCAP_2M = 16,
    VMX_EPTCAP_1G = 17,
    VMX_EPTCAP_INVEPT = 20,
    VMX_EPTCAP_AD = 21,
    VMX_EPTCAP_ADV_INFO = 22,
    VMX_EPTCAP_SSS = 23,
    VMX_EPTCAP_INVEPT_SINGLE = 25,
    VMX_EPTCAP_INVEPT_ALL = 26,
    VMX_EPTCAP_INVVPID = 32,
    VMX_EPTCAP_INVVPID_ADDR = 40,
    VMX_EPTCAP_INVVPID_SINGLE = 41,
    VMX_EPTCAP_INVVPID_ALL = 42,
    VMX_EPTCAP_INVVPID_SINGLE_GLOBALS = 43,
};

/* Compute the model from config values.  Returns 0, or -SIM_EINVAL when
 * the values are inconsistent (the same rules as vmx_caps_cfg_validate; a
 * message naming the key goes to *why when `why` is not NULL). */
int vmx_caps_build(const struct vmx_caps_cfg *c, struct vmx_cpu_model *m,
                   const char **why);

/* The control settings VM entry enforces for `set` (PIN, PROC, PROC2,
 * EXIT, ENTRY): the TRUE view when true_ctls, else allowed0 includes the
 * default-1 class (A5: BASIC[55] selects the MSR). */
struct vmx_ctl_caps vmx_model_ctls(const struct vmx_cpu_model *m,
                                   enum vmx_ctlset set);

/* Can control `bit` of `set` be 1 on this model?  PROC2/PROC3/EXIT2 bits
 * also need their activating primary control. */
bool vmx_model_allows(const struct vmx_cpu_model *m, enum vmx_ctlset set,
                      unsigned bit);

/* MSR indexes (A5). */
enum vmx_msr {
    VMX_MSR_BASIC = 0x480,
    VMX_MSR_PINBASED_CTLS = 0x481,
    VMX_MSR_PROCBASED_CTLS = 0x482,
    VMX_MSR_EXIT_CTLS = 0x483,
    VMX_MSR_ENTRY_CTLS = 0x484,
    VMX_MSR_MISC = 0x485,
    VMX_MSR_CR0_FIXED0 = 0x486,
    VMX_MSR_CR0_FIXED1 = 0x487,
    VMX_MSR_CR4_FIXED0 = 0x488,
    VMX_MSR_CR4_FIXED1 = 0x489,
    VMX_MSR_VMCS_ENUM = 0x48A,
    VMX_MSR_PROCBASED_CTLS2 = 0x48B,
    VMX_MSR_EPT_VPID_CAP = 0x48C,
    VMX_MSR_TRUE_PINBASED_CTLS = 0x48D,
    VMX_MSR_TRUE_PROCBASED_CTLS = 0x48E,
    VMX_MSR_TRUE_EXIT_CTLS = 0x48F,
    VMX_MSR_TRUE_ENTRY_CTLS = 0x490,
    VMX_MSR_VMFUNC = 0x491,
    VMX_MSR_PROCBASED_CTLS3 = 0x492,
    VMX_MSR_EXIT_CTLS2 = 0x493,
};

/*
 * Value of capability MSR `index` on model `m`.  Returns 0, or -SIM_ENOENT
 * when the MSR does not exist on this model (RDMSR then raises #GP):
 * outside 0x480-0x493; 0x48B without primary bit 31 allowed-1; 0x48C
 * without EPT or VPID; 0x48D-0x490 without BASIC[55]; 0x491 without "enable
 * VM functions"; 0x492 without tertiary controls; 0x493 without secondary
 * exit controls (SDM App. A, "VMX Capability Reporting Facility").
 */
int vmx_cap_msr(const struct vmx_cpu_model *m, uint32_t index,
                uint64_t *value);

/* Highest index (bits 9:1) of any field the model supports, A1. */
unsigned vmx_vmcs_enum_max_index(const struct vmx_cpu_model *m);

/* ==== VM-entry checks (vmx_checks.def) ================================ */

enum vmx_check {
    VMX_CHECK_NONE,         /* no failure */
#define VMX_CHECK(sym, id, sec, cls, q, ref, desc) VMX_CHECK_##sym,
#include "vmx_checks.def"
#undef VMX_CHECK
    VMX_CHECK__COUNT
};

/* Outcome class of a check (vmx_checks.def column `class`). */
enum vmx_check_class {
    VMX_CC_NONE,
    VMX_CC_CTL,             /* VMfailValid(7) */
    VMX_CC_HOST,            /* VMfailValid(8) */
    VMX_CC_GUEST,           /* VM exit 33 | 0x80000000 */
};

struct vmx_check_info {
    const char *id;         /* "ctl.pin.allowed" */
    const char *section;    /* "A8.1" */
    uint8_t cls;            /* enum vmx_check_class */
    uint8_t qual;           /* exit qualification for GUEST rows */
    const char *ref;
    const char *desc;
};

/* Row VMX_CHECK_NONE is {"none", "", VMX_CC_NONE, ...}. */
extern const struct vmx_check_info vmx_check_info[VMX_CHECK__COUNT];

/* Rule id by name ("guest.cs.l_and_d"); VMX_CHECK_NONE when unknown. */
enum vmx_check vmx_check_by_id(const char *id);

/* Guest-physical memory read used by checks that look into memory.
 * Return 0 on success; any other value makes the check pass (the CPU
 * model reports its own memory errors). */
typedef int (*vmx_read_phys_fn)(void *ctx, uint64_t pa, void *buf,
                                size_t len);

/* CPU facts the checks need besides the VMCS and the capabilities. */
struct vmx_cpu_facts {
    unsigned maxphyaddr;        /* physical-address width (mmu.maxphyaddr) */
    unsigned linear_bits;       /* 48, or 57 with 5-level paging */
    bool lm;                    /* Intel 64 (64-bit capable) processor */
    bool host_lma;              /* IA32_EFER.LMA when VMLAUNCH/VMRESUME runs */
    bool in_smm;                /* executing in SMM */
    bool rtm;                   /* RTM supported (pending-debug bit 16) */
    uint64_t efer_valid;        /* EFER bits that are not reserved */
    uint64_t debugctl_valid;    /* IA32_DEBUGCTL bits that are not reserved */
    uint64_t perf_global_valid; /* IA32_PERF_GLOBAL_CTRL non-reserved bits */
    uint64_t current_vmcs;      /* physical address of the current VMCS */
    uint64_t vmxon_ptr;         /* physical address of the VMXON region */
    vmx_read_phys_fn read_phys; /* may be NULL */
    void *read_ctx;
};

/* 46-bit physical, 48-bit linear, Intel 64, 64-bit host, not in SMM, RTM,
 * EFER {SCE, LME, LMA, NXE}, DEBUGCTL bits 0-1, 6-15, PERF_GLOBAL_CTRL
 * 4 general + 3 fixed counters, no memory reader. */
void vmx_cpu_facts_default(struct vmx_cpu_facts *f);

enum vmx_entry_outcome {
    VMX_ENTRY_OK,           /* every check passed */
    VMX_ENTRY_FAIL_VALID,   /* VMfailValid(insn_error), A8.1-A8.4 */
    VMX_ENTRY_FAIL_EXIT,    /* VM-entry failure exit, A8.5 */
};

struct vmx_entry_result {
    enum vmx_entry_outcome outcome;
    enum vmx_check rule;    /* first failing check, VMX_CHECK_NONE if OK */
    uint32_t insn_error;    /* 7 or 8 for FAIL_VALID, else 0 */
    uint32_t exit_reason;   /* 33 | 0x80000000 for FAIL_EXIT, else 0 */
    uint64_t qual;          /* exit qualification for FAIL_EXIT */
};

/*
 * Run the checks of vmx_checks.def in order on VMCS `v` for model `m` and
 * CPU facts `f`; stop at the first failure.  Pure: reads only its
 * arguments (and guest memory through f->read_phys).  Any VMCS contents
 * give an outcome; nothing asserts.  Returns r->outcome.
 */
enum vmx_entry_outcome vmx_entry_check(const struct vmx_vmcs *v,
                                       const struct vmx_cpu_model *m,
                                       const struct vmx_cpu_facts *f,
                                       struct vmx_entry_result *r);

/* Evaluate every check (no early stop), for diagnostics: failed[i] is set
 * to 1 for each failing rule i (array of VMX_CHECK__COUNT bytes, may be
 * NULL).  Returns the number of failing rules. */
unsigned vmx_entry_check_all(const struct vmx_vmcs *v,
                             const struct vmx_cpu_model *m,
                             const struct vmx_cpu_facts *f, uint8_t *failed);

#endif /* VMX_H */
