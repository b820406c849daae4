/*
 * vti.h - Intel VT-i (Itanium virtualization) definitions shared by the
 * IA-64 executor (isa/ia64_exec.c) and the VT-i models (PAL
 * virtualization procedures and services, VPD): the virtualization-fault
 * cause codes, the Virtualization fault vector and the PAL_VP_INIT_ENV
 * option bits that switch the GR24/GR25 hand-offs on.
 *
 * Sources (keys of /work/shared/reference/hw-virt-facts.md, section C):
 *   C1 PSR.vm = bit 46; Virtualization fault at IVT offset 0x6100;
 *      GR24 = cause, GR25 = opcode when the hand-offs are enabled
 *      [LX-ivt, IA64-SDM Table 11-22 / Fig. 11-15].
 *   C2 cause codes 1-41 (vti_causes.def) [LX-vti EVENT_*, IA64-SDM].
 *   C3 vmsw fault order [IA64-SDM 3:273].
 *   C4 PAL_VP_INIT_ENV config_options: bit 8 opcode hand-off, bit 9
 *      cause hand-off [LX-vti VP_OPCODE, VP_CAUSE].
 *   C6 vdc bit 0 = d_vmsw [LX-vti union vdc].
 *
 * The executor owns only the processor side: raising the fault, filling
 * GR24/GR25, the vmsw rules and the acceleration hook (struct ia64_cpu
 * in isa/ia64_cpu.h).  The PAL and VPD models set the cpu fields
 * (vti_opcode_handoff, vti_cause_handoff, vmsw_disabled) and provide the
 * acceleration hook.
 */
#ifndef VTI_MODEL_VTI_H
#define VTI_MODEL_VTI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vti_cause {
    VTI_CAUSE_NONE = 0,
#define VTI_CAUSE(n, code, insn) VTI_CAUSE_##n = (code),
#include "vti_causes.def"
#undef VTI_CAUSE
    VTI_CAUSE_MAX = 41          /* largest code in vti_causes.def */
};

/* IVT offset of the Virtualization fault (hw-virt-facts C1, [LX-ivt]). */
#define VTI_VIRT_FAULT_VECTOR 0x6100u
/* PSR.vm (hw-virt-facts C1). */
#define VTI_PSR_VM_BIT 46
/* PAL_VP_INIT_ENV config_options bits (hw-virt-facts C4, [LX-vti]). */
#define VTI_VP_INIT_OPCODE (1ull << 8)
#define VTI_VP_INIT_CAUSE  (1ull << 9)
/* vdc.d_vmsw (hw-virt-facts C6, [LX-vti union vdc]). */
#define VTI_VDC_D_VMSW (1ull << 0)

/* Name of a cause code ("MOV_TO_CR"), or NULL if `code` is not a cause. */
static inline const char *vti_cause_name(unsigned code)
{
    static const char *const names[VTI_CAUSE_MAX + 1] = {
#define VTI_CAUSE(n, c, insn) [c] = #n,
#include "vti_causes.def"
#undef VTI_CAUSE
    };

    return code <= VTI_CAUSE_MAX ? names[code] : NULL;
}

/* Instruction description of a cause code ("mov to CR"), or NULL. */
static inline const char *vti_cause_insn(unsigned code)
{
    static const char *const insns[VTI_CAUSE_MAX + 1] = {
#define VTI_CAUSE(n, c, insn) [c] = insn,
#include "vti_causes.def"
#undef VTI_CAUSE
    };

    return code <= VTI_CAUSE_MAX ? insns[code] : NULL;
}

#ifdef __cplusplus
}
#endif

#endif /* VTI_MODEL_VTI_H */
