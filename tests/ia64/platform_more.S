// platform_more.S - more guest programs of tests/test_ia64_platform.c
// (suite "ia64_platform"), kept next to the test because
// workloads/ia64/ belongs to the IA-64 workloads.  Each section is
// position-independent code the test wraps in an ELF64 EM_IA_64 image at
// the address named in its comment.  Assemble and dump as the header of
// tests/test_ia64_platform.c describes:
//   ia64-linux-gnu-as -xnone -o platform_more.o platform_more.S
//   ia64-linux-gnu-objcopy -O binary -j .text.NAME platform_more.o x.bin
//   od -An -v -tx1 x.bin
// Platform facts used (sim/sim_ia64.h): exit port 0xffe00008, PAL
// procedure entry 0xfff00000, start state PSR.it/dt/rt = 1, CPL 0, an
// identity map of [0, 4 GiB).  Bundles are written out so that the test
// can count the slots between two points.

// ---- itc: at 0x100000.  r20 = ar.itc, PAL_VP_ENV_INFO (266), r21 =
// ar.itc; then ar.itc = 0x1000000 and r22 = ar.itc one bundle later;
// exits with status 0.  Slots charged from the first read to the second:
// 3 (its bundle) + 3 (the br.call bundle) + 3 (the ROM's br.ret bundle);
// from the write to the third read: 3.
	.section .text.itc, "ax"
itc:
	alloc r32 = ar.pfs, 0, 1, 4, 0
	movl r2 = 0xfff00000 ;;
	mov b6 = r2
	mov r28 = 266
	mov r33 = 266 ;;
	{ .mmi
	mov r20 = ar.itc
	nop.m 0
	nop.i 0 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.call.sptk.many b0 = b6 ;;
	}
	{ .mmi
	mov r21 = ar.itc
	nop.m 0
	nop.i 0 ;;
	}
	movl r3 = 0x1000000 ;;
	{ .mmi
	mov ar.itc = r3
	nop.m 0
	nop.i 0 ;;
	}
	{ .mmi
	mov r22 = ar.itc
	nop.m 0
	nop.i 0 ;;
	}
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r0 ;;
1:	br.sptk.many 1b ;;

// ---- stride: at 0x100000.  4096 loads, ld8 from 0x200000 + i * r14
// (r14 = the stride, set by the test before the run; 0 at start), then
// exits with status 0.  The same slots run whatever the stride.
	.section .text.stride, "ax"
stride:
	movl r2 = 0x200000
	mov r3 = 4096 ;;
1:	ld8 r4 = [r2]
	add r2 = r2, r14
	adds r3 = -1, r3 ;;
	cmp.ne p6, p0 = r0, r3
(p6)	br.cond.sptk.few 1b ;;
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r0 ;;
1:	br.sptk.many 1b ;;

// ---- tlbmiss: at 0x100000, with its handler at 0x108000 + 0x1400.
// IVA = 0x108000; a load from 4 GiB, outside the start state's identity
// map: no TR or TC translates it, and with PSR.ic = 0 the miss raises
// Data Nested TLB (IVT offset 0x1400, Vol. 2 5.7).
	.section .text.tlbmiss, "ax"
tlbmiss:
	movl r2 = 0x108000 ;;
	mov cr.iva = r2 ;;
	srlz.i ;;
	movl r2 = 0x100000000 ;;
	ld8 r3 = [r2] ;;
1:	br.sptk.many 1b ;;

// ---- nested: the 0x1400 handler of tlbmiss: exits with status 7.
	.section .text.nested, "ax"
nested:
	movl r2 = 0xffe00008
	mov r3 = 7 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;

// ---- vmmirq: at 0x100000, the guest at 0x100400 (.org 0x400), the
// parameter block at 0x140000 (written by the test: vac, vpsr, vtpr,
// vhpi, 8 bytes each).  IVA = 0x108000; the VPD at 0x130000 gets vac,
// vpsr and vcr[TPR] (offsets 0, 1424, 2576: hw-virt-facts C6) before
// PAL_VP_INIT_ENV(0x301, 0x120000, 0x120000), PAL_VP_CREATE and
// PAL_VP_RESTORE load them; then vhpi (offset 256) is posted with
// PAL_VPS_SET_PENDING_INTERRUPT (vsa_base + 0x1000 [C5], returning to
// .org 0x300 through GR24) and the guest is entered with
// PAL_VPS_RESUME_NORMAL, IPSR = it|dt|rt|ic.
// The guest sets r8 = 1, writes cr.tpr = 0 (virtualized: cause 4,
// accelerated when vac.a_int = 1), sets r8 = 2 and exits with status r8.
	.section .text.vmmirq, "ax"
vmmirq:
	movl r2 = 0x108000 ;;
	mov cr.iva = r2 ;;
	srlz.i ;;
	movl r7 = 0x130000		// VPD
	movl r10 = 0x140000 ;;		// parameters
	ld8 r11 = [r10], 8 ;;
	st8 [r7] = r11			// vpd.vac
	ld8 r11 = [r10], 8
	adds r2 = 1424, r7 ;;
	st8 [r2] = r11			// vpd.vpsr
	ld8 r11 = [r10], 8
	adds r2 = 2576, r7 ;;
	st8 [r2] = r11			// vpd.vcr[66] (TPR)
	ld8 r12 = [r10] ;;		// vhpi, posted after the restore
	alloc r32 = ar.pfs, 0, 1, 4, 0
	movl r2 = 0xfff00000 ;;
	mov b6 = r2
	movl r4 = 0x120000 ;;		// env buffer
	adds r2 = 16, r7 ;;
	st8 [r2] = r4			// vpd.virt_env_vaddr
	mov r28 = 268
	mov r33 = 268
	mov r34 = 0x301
	mov r35 = r4
	mov r36 = r4 ;;
	br.call.sptk.many b0 = b6 ;;	// PAL_VP_INIT_ENV
	mov r4 = r9 ;;			// vsa_base
	mov r28 = 265
	mov r33 = 265
	mov r34 = r7
	movl r35 = 0x108000
	mov r36 = r0 ;;
	br.call.sptk.many b0 = b6 ;;	// PAL_VP_CREATE
	mov r28 = 270
	mov r33 = 270
	mov r34 = r7
	mov r35 = r0 ;;
	br.call.sptk.many b0 = b6 ;;	// PAL_VP_RESTORE
	adds r2 = 256, r7 ;;
	st8 [r2] = r12			// vpd.vhpi
	movl r24 = 0x100300
	mov r25 = r7
	adds r2 = 0x1000, r4 ;;
	mov b6 = r2 ;;
	br.sptk.many b6 ;;		// PAL_VPS_SET_PENDING_INTERRUPT
	.org 0x300
	movl r2 = 0x100400 ;;
	mov cr.iip = r2
	movl r2 = 0x0000001008022000 ;;	// it | rt | dt | ic
	mov cr.ipsr = r2
	mov cr.ifs = r0
	mov r24 = r0
	mov r25 = r7
	mov b6 = r4 ;;
	br.sptk.many b6 ;;		// PAL_VPS_RESUME_NORMAL
	.org 0x400
vguest:
	mov r8 = 1 ;;
	mov cr.tpr = r0 ;;
	mov r8 = 2 ;;
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r8 ;;
1:	br.sptk.many 1b ;;

// ---- veiexit: the Virtual External Interrupt vector, at 0x108000 +
// 0x3400.  r9 = IIP, r10 = IPSR; exits with status 0x3400 | r8.
	.section .text.veiexit, "ax"
veiexit:
	mov r9 = cr.iip
	mov r10 = cr.ipsr
	movl r2 = 0xffe00008
	movl r3 = 0x3400 ;;
	or r3 = r3, r8 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;

// ---- vfexit: the Virtualization vector, at 0x108000 + 0x6100; exits
// with status 0x6100 | r8.
	.section .text.vfexit, "ax"
vfexit:
	movl r2 = 0xffe00008
	movl r3 = 0x6100 ;;
	or r3 = r3, r8 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;
