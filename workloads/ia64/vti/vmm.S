// vmm.S - a small VT-i virtual machine monitor in IA-64 assembly for the
// vtsim IA-64 platform (sim/sim_ia64.h).  It runs one guest (guest.S)
// with PSR.vm = 1 and emulates the virtualized instructions that guest
// uses; docs/vti-vmm.md walks through it.
//
// What it does:
//   1. PAL_VP_ENV_INFO (266) for the size of the environment buffer;
//      PAL_VP_INIT_ENV (268) with the cause and opcode hand-offs;
//      PAL_VP_CREATE (265) for one virtual processor whose VPD is at
//      VMM_VPD; PAL_VP_RESTORE (270) makes it current and points IVA at
//      vmm_ivt (hw-virt-facts C4).
//   2. Enters the guest with PAL_VPS_RESUME_NORMAL (vsa_base + 0x0000,
//      GR24 = guest BR0, GR25 = VPD; C5): CR.IIP = guest_entry,
//      CR.IPSR = GUEST_PSR.
//   3. Virtualization fault (IVT + 0x6100; C1): GR24 = cause, GR25 =
//      opcode.  Emulated from the VPD: mov to/from CR (4, 5), mov to/from
//      PSR (6, 7), itc.d / itc.i (8, 9), mov from CPUID (23), ssm / rsm
//      (24, 25), rfi (37) (cause codes C2).  Any other cause ends the run
//      with exit status 0x100 + cause.
//   4. Break Instruction fault (IVT + 0x2c00) from the guest is a
//      hypercall, by its immediate (CR.IIM): 1 = set vac to the guest's
//      r8 (PAL_VPS_SYNC_WRITE makes it take effect), 2 = end the run
//      with the guest's r8 as exit status.
//   5. vmm_gate_itc: a page of VMM code the guest may br.call; it leaves
//      the virtual machine with vmsw.0, reads AR.ITC (which counts core
//      cycles on the platform), and comes back with vmsw.1: the
//      interruption-free way in and out of the VMM (C3).  The platform's
//      ITR0 maps it with access rights 7, which vmsw requires.
//
// Resuming: when vac != 0 the accelerations may have changed the state
// the processor holds, so the handler starts with PAL_VPS_SYNC_READ
// (0x0800) before reading the VPD; when the handler wrote the VPD it
// calls PAL_VPS_SYNC_WRITE (0x0C00).  It resumes with RESUME_NORMAL when
// vpsr.ic = 1 and with RESUME_HANDLER (0x0400, GR26 = vac) when vpsr.ic
// = 0, as the services require (C5).
//
// Register use in the handlers (bank 0, PSR.bn = 0 after the
// interruption; the guest runs with PSR.bn = 1, so the guest's GR16-31
// are the bank-1 registers and are reached through bsw in the GR tables):
//   r16 guest predicates     r17 scratch        r18 vmm_data
//   r19 VPD                  r20 GR value       r21 keeps r2 in the tables
//   r22 cause                r23 opcode         r24-r27 service arguments
//   r28-r31 scratch          p8 = the handler wrote the VPD
// The guest's r1-r15 and its stacked registers are touched only by the
// GR tables (r2 is restored); its BR6/BR7 are saved in vmm_data and
// restored; BR0 goes back through GR24 of the RESUME service.

// Platform (sim/sim_ia64.h).
	CONSOLE = 0xffe00000
	EXITP = 0xffe00008
	PAL = 0xfff00000

// Memory the VMM owns (RAM, zero at load).
	VMM_ENV = 0x200000	// environment buffer, 4-KiB aligned, <= 64 KiB
	VMM_ENV_MAX = 0x10000
	VMM_VPD = 0x210000	// VPD, 64 KiB, 64-KiB aligned

// VPD offsets (hw-virt-facts C6).
	VPD_VAC = 0
	VPD_VDC = 8
	VPD_ENV = 16
	VPD_VCPUID = 1296
	VPD_VPSR = 1424
	VPD_VCR = 2048

// PAL procedures (C4), services (C5), PAL_VP_INIT_ENV options (C4).
	PAL_VP_CREATE = 265
	PAL_VP_ENV_INFO = 266
	PAL_VP_INIT_ENV = 268
	PAL_VP_RESTORE = 270
	VPS_RESUME_NORMAL = 0x0000
	VPS_RESUME_HANDLER = 0x0400
	VPS_SYNC_READ = 0x0800
	VPS_SYNC_WRITE = 0x0C00
	INIT_OPTS = 0x301	// initialize | opcode | cause hand-off

// The guest's PSR: ic (13), dt (17), rt (27), it (36), bn (44), CPL 0
// (IA64-SDM Vol. 2 "Processor Status Register").
	GUEST_PSR = 0x101008022000

// mov from psr returns PSR{36:35} and PSR{31:0} (IA64-SDM Vol. 3 "mov").
	PSR_READ_MASK = 0x18ffffffff

// vmm_data offsets.
	D_B6 = 0
	D_B7 = 8
	D_VSA = 16

	.text
	.global _start
	.global vmm_gate_itc

// ---- set-up ---------------------------------------------------------------
_start:
	alloc r32 = ar.pfs, 0, 1, 4, 0	// out0-out3 = r33-r36
	movl r2 = PAL ;;
	mov b6 = r2
	mov r28 = PAL_VP_ENV_INFO
	mov r33 = PAL_VP_ENV_INFO
	mov r3 = 1 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.spnt.few setup_failed ;;
	movl r2 = VMM_ENV_MAX
	mov r3 = 5 ;;
	cmp.ltu p6, p0 = r2, r9 ;;	// the buffer must fit in VMM_ENV_MAX
(p6)	br.cond.spnt.few setup_failed ;;

	// The VPD: vac = vdc = 0 (RAM is zero), virt_env_vaddr, vpsr, vcpuid.
	movl r7 = VMM_VPD
	movl r4 = VMM_ENV ;;
	adds r2 = VPD_ENV, r7
	adds r5 = VPD_VPSR, r7
	movl r6 = GUEST_PSR ;;
	st8 [r2] = r4
	st8 [r5] = r6
	adds r2 = VPD_VCPUID, r7
	movl r6 = 0x49656e69756e6547 ;;	// CPUID[0-1] "GenuineIntel"
	st8 [r2] = r6, 8
	movl r6 = 0x6c65746e ;;
	st8 [r2] = r6, 16
	// CPUID[3]: number 4, model 2, family 0x20 (Vol. 1 "CPUID Registers").
	movl r6 = 0x20020004 ;;
	st8 [r2] = r6

	mov r28 = PAL_VP_INIT_ENV
	mov r33 = PAL_VP_INIT_ENV
	mov r34 = INIT_OPTS
	mov r35 = r4
	mov r36 = r4
	mov r3 = 2 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.spnt.few setup_failed
	movl r2 = vmm_data ;;
	adds r2 = D_VSA, r2 ;;
	st8 [r2] = r9			// vsa_base

	mov r28 = PAL_VP_CREATE
	mov r33 = PAL_VP_CREATE
	mov r34 = r7
	movl r35 = vmm_ivt
	mov r36 = r0
	mov r3 = 3 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.spnt.few setup_failed

	mov r28 = PAL_VP_RESTORE
	mov r33 = PAL_VP_RESTORE
	mov r34 = r7
	mov r35 = r0
	mov r3 = 4 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
(p6)	br.cond.spnt.few setup_failed

	// Enter the guest.
	movl r2 = guest_entry ;;
	mov cr.iip = r2
	movl r2 = GUEST_PSR ;;
	mov cr.ipsr = r2
	mov cr.ifs = r0
	mov r24 = r0			// guest BR0
	mov r25 = r7
	movl r2 = vmm_data ;;
	adds r2 = D_VSA, r2 ;;
	ld8 r2 = [r2] ;;
	adds r2 = VPS_RESUME_NORMAL, r2 ;;
	mov b6 = r2 ;;
	br.sptk.many b6 ;;

// A PAL procedure failed: r3 = which one.
setup_failed:
	movl r28 = s_setup ;;
	movl r29 = 1f ;;
	mov b7 = r29
	br.sptk.many vmm_puts ;;
1:	mov r29 = r3
	movl r28 = 2f ;;
	mov b7 = r28
	br.sptk.many vmm_puthex ;;
2:	adds r29 = 0x80, r3
	br.sptk.many vmm_exit ;;

// ---- the gate: leave the VM with vmsw.0, read AR.ITC, return ----------------
	.align 16
vmm_gate_itc:
	{ .mib
	nop.m 0
	nop.i 0
	vmsw.0 ;;
	}
	{ .mii
	mov r8 = ar.itc
	nop.i 0
	nop.i 0 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	vmsw.1 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.ret.sptk.many b0 ;;
	}

// ---- handler entry and exit ------------------------------------------------

// Save what the handler uses, fetch the held state into the VPD when
// accelerations are on.  Falls through with r18, r19, r22, r23 set.
	.macro VMM_ENTER
	mov r16 = pr
	mov r22 = r24
	mov r23 = r25
	movl r18 = vmm_data ;;
	movl r19 = VMM_VPD
	mov r17 = b6 ;;
	st8 [r18] = r17
	adds r28 = D_B7, r18
	mov r17 = b7 ;;
	st8 [r28] = r17
	cmp.ne p8, p0 = r0, r0
	ld8 r17 = [r19] ;;		// vac
	cmp.eq p6, p0 = r17, r0
(p6)	br.cond.sptk.few 1f ;;
	mov r29 = VPS_SYNC_READ
	movl r24 = 1f ;;
	br.sptk.many vmm_vps ;;
1:
	.endm

// Call the service at vsa_base + r29 with GR25 = the VPD; it returns to
// the address in r24.
vmm_vps:
	adds r28 = D_VSA, r18 ;;
	ld8 r28 = [r28] ;;
	add r28 = r28, r29 ;;
	mov b6 = r28
	mov r25 = r19 ;;
	br.sptk.many b6 ;;

// Step the guest past the emulated slot: IPSR.ri + 1, or the next
// bundle after slot 2 (IA64-SDM Vol. 2 "Interruption Processor Status
// Register": ri is bits 42:41).
vmm_advance:
	mov r17 = cr.ipsr
	mov r28 = cr.iip ;;
	extr.u r29 = r17, 41, 2
	movl r30 = 0x20000000000 ;;
	cmp.eq p6, p7 = 2, r29 ;;
(p7)	add r17 = r17, r30
(p6)	dep r17 = 0, r17, 41, 2
(p6)	adds r28 = 16, r28 ;;
	mov cr.ipsr = r17
	mov cr.iip = r28 ;;
	// fall through

// Write the VPD back into the held state if it changed, then resume
// through RESUME_NORMAL (vpsr.ic = 1) or RESUME_HANDLER (vpsr.ic = 0).
vmm_resume:
(p8)	mov r29 = VPS_SYNC_WRITE
(p8)	movl r24 = 1f ;;
(p8)	br.cond.sptk.many vmm_vps ;;
1:	adds r28 = VPD_VPSR, r19
	ld8 r26 = [r19] ;;		// GR26 = vac (RESUME_HANDLER)
	ld8 r28 = [r28] ;;
	tbit.nz p6, p7 = r28, 13 ;;	// vpsr.ic
(p6)	mov r29 = VPS_RESUME_NORMAL
(p7)	mov r29 = VPS_RESUME_HANDLER
	ld8 r17 = [r18]
	adds r28 = D_B7, r18 ;;
	mov b6 = r17
	ld8 r17 = [r28]
	adds r28 = D_VSA, r18 ;;
	mov b7 = r17
	ld8 r28 = [r28] ;;
	add r28 = r28, r29
	mov r24 = b0 ;;
	mov b0 = r28
	mov r25 = r19
	mov pr = r16, -1 ;;
	br.sptk.many b0 ;;

// ---- guest GR access ---------------------------------------------------------

// r20 = the guest's GR[r17]; returns through b7.  Clobbers r28, r29, b6.
vmm_gr_get:
	movl r28 = gr_get_tab
	shl r29 = r17, 6 ;;
	add r28 = r28, r29 ;;
	mov b6 = r28 ;;
	br.sptk.many b6 ;;

// The guest's GR[r17] = r20 (GR0 is left alone); returns through b7.
vmm_gr_put:
	movl r28 = gr_put_tab
	shl r29 = r17, 6 ;;
	add r28 = r28, r29 ;;
	mov b6 = r28 ;;
	br.sptk.many b6 ;;

// Call vmm_gr_get / vmm_gr_put for register number `reg`.
	.macro GR_GET reg
	mov r17 = \reg
	movl r28 = 1f ;;
	mov b7 = r28
	br.sptk.many vmm_gr_get ;;
1:
	.endm
	.macro GR_PUT reg
	mov r17 = \reg
	movl r28 = 1f ;;
	mov b7 = r28
	br.sptk.many vmm_gr_put ;;
1:
	.endm

// One 64-byte entry per GR.  GR16-31 are the guest's bank 1: r2 carries
// the value across bsw.1 / bsw.0 and is kept in (bank-0) r21.
	.macro GET n
	.align 64
	.if \n == 0
	{ .mib
	mov r20 = r0
	nop.i 0
	br.sptk.many b7 ;;
	}
	.elseif (\n >= 16) && (\n <= 31)
	{ .mib
	mov r21 = r2
	nop.i 0
	bsw.1 ;;
	}
	{ .mib
	mov r2 = r\n
	nop.i 0
	bsw.0 ;;
	}
	{ .mib
	mov r20 = r2
	mov r2 = r21
	br.sptk.many b7 ;;
	}
	.else
	{ .mib
	mov r20 = r\n
	nop.i 0
	br.sptk.many b7 ;;
	}
	.endif
	.endm

	.macro PUT n
	.align 64
	.if \n == 0
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many b7 ;;
	}
	.elseif (\n >= 16) && (\n <= 31)
	{ .mib
	mov r21 = r2
	mov r2 = r20
	bsw.1 ;;
	}
	{ .mib
	mov r\n = r2
	nop.i 0
	bsw.0 ;;
	}
	{ .mib
	mov r2 = r21
	nop.i 0
	br.sptk.many b7 ;;
	}
	.else
	{ .mib
	mov r\n = r20
	nop.i 0
	br.sptk.many b7 ;;
	}
	.endif
	.endm

	.align 64
gr_get_tab:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	GET \n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	GET \n
	.endr
	.irp n, 64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95
	GET \n
	.endr
	.irp n, 96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127
	GET \n
	.endr
	.align 64
gr_put_tab:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	PUT \n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	PUT \n
	.endr
	.irp n, 64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95
	PUT \n
	.endr
	.irp n, 96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127
	PUT \n
	.endr

// ---- the Virtualization fault ------------------------------------------------
// Opcode fields (IA64-SDM Vol. 3 "Instruction Formats"): r1 = bits 12:6,
// r2 = bits 19:13, r3 / cr3 = bits 26:20.
vmm_virt:
	VMM_ENTER
	cmp.eq p6, p0 = 7, r22
(p6)	br.cond.sptk.many emu_from_psr ;;
	cmp.eq p6, p0 = 5, r22
(p6)	br.cond.sptk.many emu_from_cr ;;
	cmp.eq p6, p0 = 4, r22
(p6)	br.cond.sptk.many emu_to_cr ;;
	cmp.eq p6, p0 = 23, r22
(p6)	br.cond.sptk.many emu_cpuid ;;
	cmp.eq p6, p0 = 24, r22
(p6)	br.cond.sptk.many emu_ssm ;;
	cmp.eq p6, p0 = 25, r22
(p6)	br.cond.sptk.many emu_ssm ;;
	cmp.eq p6, p0 = 37, r22
(p6)	br.cond.sptk.many emu_rfi ;;
	cmp.eq p6, p0 = 8, r22
(p6)	br.cond.sptk.many emu_itc ;;
	cmp.eq p6, p0 = 9, r22
(p6)	br.cond.sptk.many emu_itc ;;
	cmp.eq p6, p0 = 6, r22
(p6)	br.cond.sptk.many emu_to_psr ;;
	// Anything else: report it and stop.
	movl r28 = s_cause ;;
	movl r29 = 1f ;;
	mov b7 = r29
	br.sptk.many vmm_puts ;;
1:	mov r29 = r22
	movl r28 = 2f ;;
	mov b7 = r28
	br.sptk.many vmm_puthex ;;
2:	adds r29 = 0x100, r22
	br.sptk.many vmm_exit ;;

// mov r1 = psr (7): vpsr{36:35, 31:0}.
emu_from_psr:
	adds r28 = VPD_VPSR, r19
	movl r29 = PSR_READ_MASK ;;
	ld8 r20 = [r28]
	extr.u r30 = r23, 6, 7 ;;
	and r20 = r20, r29
	GR_PUT r30
	br.sptk.many vmm_advance ;;

// mov psr.l = r2 (6): vpsr{31:0} = GR[r2]{31:0}.
emu_to_psr:
	extr.u r30 = r23, 13, 7 ;;
	GR_GET r30
	adds r28 = VPD_VPSR, r19
	movl r29 = 0xffffffff ;;
	ld8 r30 = [r28]
	and r20 = r20, r29 ;;
	andcm r30 = r30, r29 ;;
	or r30 = r30, r20 ;;
	st8 [r28] = r30
	cmp.eq p8, p0 = r0, r0
	br.sptk.many vmm_advance ;;

// mov r1 = cr[cr3] (5): vcr[cr3].
emu_from_cr:
	extr.u r30 = r23, 20, 7 ;;
	shladd r28 = r30, 3, r19
	extr.u r30 = r23, 6, 7 ;;
	adds r28 = VPD_VCR, r28 ;;
	ld8 r20 = [r28]
	GR_PUT r30
	br.sptk.many vmm_advance ;;

// mov cr[cr3] = r2 (4): vcr[cr3] = GR[r2].
emu_to_cr:
	extr.u r30 = r23, 13, 7 ;;
	GR_GET r30
	extr.u r30 = r23, 20, 7 ;;
	shladd r28 = r30, 3, r19 ;;
	adds r28 = VPD_VCR, r28 ;;
	st8 [r28] = r20
	cmp.eq p8, p0 = r0, r0
	br.sptk.many vmm_advance ;;

// mov r1 = cpuid[r3] (23): vcpuid[GR[r3]{7:0}], 0 past the 5 entries.
emu_cpuid:
	extr.u r30 = r23, 20, 7 ;;
	GR_GET r30
	extr.u r28 = r20, 0, 8
	mov r20 = r0 ;;
	cmp.ltu p6, p0 = 4, r28		// index > 4: reads 0
	shladd r28 = r28, 3, r19 ;;
	adds r28 = VPD_VCPUID, r28
	extr.u r30 = r23, 6, 7 ;;
(p6)	br.cond.spnt.few 1f ;;
	ld8 r20 = [r28] ;;
1:	GR_PUT r30
	br.sptk.many vmm_advance ;;

// ssm imm24 (24) / rsm imm24 (25): imm24 = i (bit 36) << 23 | i2 (bits
// 32:31) << 21 | imm21 (bits 26:6) (IA64-SDM Vol. 3 format M44).
emu_ssm:
	extr.u r28 = r23, 6, 21
	extr.u r29 = r23, 31, 2
	extr.u r30 = r23, 36, 1 ;;
	shl r29 = r29, 21
	shl r30 = r30, 23 ;;
	or r28 = r28, r29 ;;
	or r28 = r28, r30
	adds r29 = VPD_VPSR, r19 ;;
	ld8 r30 = [r29]
	cmp.eq p6, p7 = 24, r22 ;;
(p6)	or r30 = r30, r28
(p7)	andcm r30 = r30, r28 ;;
	st8 [r29] = r30
	cmp.eq p8, p0 = r0, r0
	br.sptk.many vmm_advance ;;

// itc.d r2 (8) / itc.i r2 (9): insert GR[r2] with the guest's IFA and
// ITIR.  Guest-physical = machine-physical here, so the guest's entry
// goes into the machine TC as it is.
emu_itc:
	extr.u r30 = r23, 13, 7 ;;
	GR_GET r30
	adds r28 = VPD_VCR + 20 * 8, r19	// vcr[IFA]
	adds r29 = VPD_VCR + 21 * 8, r19 ;;	// vcr[ITIR]
	ld8 r28 = [r28]
	ld8 r29 = [r29] ;;
	mov cr.ifa = r28
	mov cr.itir = r29
	cmp.eq p6, p7 = 8, r22 ;;
	srlz.d ;;
(p6)	itc.d r20 ;;
(p7)	itc.i r20 ;;
	srlz.d ;;
	br.sptk.many vmm_advance ;;

// rfi (37): vpsr = vipsr; the guest continues at viip, slot vipsr.ri,
// with the frame of vifs when vifs.v = 1.
emu_rfi:
	adds r28 = VPD_VCR + 16 * 8, r19	// vcr[IPSR]
	adds r29 = VPD_VCR + 19 * 8, r19	// vcr[IIP]
	adds r30 = VPD_VCR + 23 * 8, r19 ;;	// vcr[IFS]
	ld8 r28 = [r28]
	ld8 r29 = [r29]
	ld8 r30 = [r30]
	adds r31 = VPD_VPSR, r19
	mov r17 = cr.ipsr ;;
	st8 [r31] = r28
	extr.u r31 = r28, 41, 2
	tbit.nz p6, p7 = r30, 63 ;;
	dep r17 = r31, r17, 41, 2
	mov cr.iip = r29 ;;
	mov cr.ipsr = r17
(p6)	mov cr.ifs = r30
(p7)	mov cr.ifs = r0
	cmp.eq p8, p0 = r0, r0
	br.sptk.many vmm_resume ;;

// ---- the Break Instruction fault: hypercalls -----------------------------
vmm_break:
	VMM_ENTER
	mov r17 = cr.iim ;;
	cmp.eq p6, p0 = 1, r17
(p6)	br.cond.sptk.many hc_vac ;;
	cmp.eq p6, p0 = 2, r17
(p6)	br.cond.sptk.many hc_exit ;;
	movl r28 = s_break ;;
	movl r29 = 1f ;;
	mov b7 = r29
	br.sptk.many vmm_puts ;;
1:	mov r29 = r17
	movl r28 = 2f ;;
	mov b7 = r28
	br.sptk.many vmm_puthex ;;
2:	movl r29 = 0x200
	br.sptk.many vmm_exit ;;

// break 1: vac = r8 (the vdc stays 0).
hc_vac:
	st8 [r19] = r8
	cmp.eq p8, p0 = r0, r0
	br.sptk.many vmm_advance ;;

// break 2: the run ends with exit status r8.
hc_exit:
	mov r29 = r8
	br.sptk.many vmm_exit ;;

// ---- any other interruption --------------------------------------------------
// r31 = the vector offset.
vmm_unexpected:
	mov r17 = r31
	movl r28 = s_unexpected ;;
	movl r29 = 1f ;;
	mov b7 = r29
	br.sptk.many vmm_puts ;;
1:	mov r29 = r17
	movl r28 = 2f ;;
	mov b7 = r28
	br.sptk.many vmm_puthex ;;
2:	movl r28 = s_at ;;
	movl r29 = 3f ;;
	mov b7 = r29
	br.sptk.many vmm_puts ;;
3:	mov r29 = cr.iip
	movl r28 = 4f ;;
	mov b7 = r28
	br.sptk.many vmm_puthex ;;
4:	movl r29 = 0x300
	br.sptk.many vmm_exit ;;

// ---- console --------------------------------------------------------------------

// Print the NUL-terminated string at r28; returns through b7.
// Clobbers r28-r30, p6.
vmm_puts:
	movl r30 = CONSOLE ;;
1:	ld1 r29 = [r28], 1 ;;
	cmp.eq p6, p0 = r29, r0
(p6)	br.cond.spnt.few 2f ;;
	st1 [r30] = r29
	br.sptk.few 1b ;;
2:	br.sptk.many b7 ;;

// Print r29 as 0x and 16 hex digits, then a newline; returns through
// b7.  Clobbers r25-r30, p6.
vmm_puthex:
	movl r30 = CONSOLE
	mov r25 = 48 ;;			// '0'
	st1 [r30] = r25
	mov r25 = 120 ;;		// 'x'
	st1 [r30] = r25
	mov r26 = 60 ;;
1:	shr.u r27 = r29, r26 ;;
	extr.u r27 = r27, 0, 4 ;;
	cmp.ltu p6, p0 = 9, r27
	adds r25 = 48, r27 ;;
(p6)	adds r25 = 87, r27 ;;		// 'a' - 10
	st1 [r30] = r25
	cmp.eq p6, p0 = r26, r0
	adds r26 = -4, r26
(p6)	br.cond.spnt.few 2f ;;
	br.sptk.few 1b ;;
2:	mov r25 = 10 ;;
	st1 [r30] = r25
	br.sptk.many b7 ;;

// End the run with exit status r29.
vmm_exit:
	movl r28 = EXITP ;;
	st8 [r28] = r29 ;;
1:	br.sptk.many 1b ;;

// ---- the host IVT (32 KiB, 32-KiB aligned; C1 geometry) ------------------------
// Entries 0-19 are 0x400 apart, entries 20-67 0x100 apart from 0x5000.
	.macro VEC off
	.org vmm_ivt_base + \off
	.if \off == 0x2c00
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many vmm_break ;;
	}
	.elseif \off == 0x6100
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many vmm_virt ;;
	}
	.else
	{ .mlx
	nop.m 0
	movl r31 = \off ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.sptk.many vmm_unexpected ;;
	}
	.endif
	.endm

	.section .text.ivt, "ax"
	.align 32768
	.global vmm_ivt
vmm_ivt:
vmm_ivt_base = vmm_ivt
	.irp off, 0x0000,0x0400,0x0800,0x0c00,0x1000,0x1400,0x1800,0x1c00,0x2000,0x2400,0x2800,0x2c00,0x3000,0x3400,0x3800,0x3c00,0x4000,0x4400,0x4800,0x4c00
	VEC \off
	.endr
	.irp off, 0x5000,0x5100,0x5200,0x5300,0x5400,0x5500,0x5600,0x5700,0x5800,0x5900,0x5a00,0x5b00,0x5c00,0x5d00,0x5e00,0x5f00
	VEC \off
	.endr
	.irp off, 0x6000,0x6100,0x6200,0x6300,0x6400,0x6500,0x6600,0x6700,0x6800,0x6900,0x6a00,0x6b00,0x6c00,0x6d00,0x6e00,0x6f00
	VEC \off
	.endr
	.irp off, 0x7000,0x7100,0x7200,0x7300,0x7400,0x7500,0x7600,0x7700,0x7800,0x7900,0x7a00,0x7b00,0x7c00,0x7d00,0x7e00,0x7f00
	VEC \off
	.endr
	.org vmm_ivt_base + 0x8000

// ---- data ---------------------------------------------------------------------
	.data
	.align 8
vmm_data:
	data8 0, 0, 0			// D_B6, D_B7, D_VSA
s_setup:
	.asciz "vmm: PAL set-up step failed: "
s_cause:
	.asciz "vmm: unhandled virtualization fault, cause "
s_break:
	.asciz "vmm: unknown hypercall "
s_unexpected:
	.asciz "vmm: unexpected interruption, vector "
s_at:
	.asciz "vmm:   at iip "
