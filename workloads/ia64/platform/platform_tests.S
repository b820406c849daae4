// platform_tests.S - guest programs of tests/test_ia64_platform.c (suite
// "ia64_platform").  Each section is position-independent code the test
// wraps in an ELF64 EM_IA_64 image; it is loaded at the address named in
// its comment.  Assemble: ia64-linux-gnu-as -xnone -o platform_tests.o
// platform_tests.S; the bytes are dumped per section with objcopy -O binary
// -j SECTION and od (see the comment at the top of the test file).
// Platform facts used (sim/sim_ia64.h): console byte port 0xffe00000,
// exit port 0xffe00008, PAL procedure entry 0xfff00000, start state
// PSR.it/dt/rt = 1 with an identity map of [0, 4 GiB).

// ---- hello: at 0x100000.  Prints "Hi\n", exits with status 21.
	.section .text.hello, "ax"
hello:
	movl r2 = 0xffe00000 ;;
	mov r3 = 72 ;;
	st1 [r2] = r3 ;;
	mov r3 = 105 ;;
	st1 [r2] = r3 ;;
	mov r3 = 10 ;;
	st1 [r2] = r3 ;;
	movl r2 = 0xffe00008 ;;
	mov r3 = 21 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;

// ---- palcall: at 0x100000.  PAL_VP_ENV_INFO (266), then index 9999;
// keeps GR8/GR9 of the first call in r20/r21, GR8 of the second in r22,
// exits with status 0.
	.section .text.palcall, "ax"
palcall:
	alloc r32 = ar.pfs, 0, 1, 4, 0
	movl r2 = 0xfff00000 ;;
	mov b6 = r2
	mov r28 = 266
	mov r33 = 266 ;;
	br.call.sptk.many b0 = b6 ;;
	mov r20 = r8
	mov r21 = r9 ;;
	movl r28 = 9999 ;;
	mov r33 = r28 ;;
	br.call.sptk.many b0 = b6 ;;
	mov r22 = r8 ;;
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r0 ;;
1:	br.sptk.many 1b ;;

// ---- vmm: at 0x100000, with the guest at 0x100400 (.org 0x400).
// IVA = 0x108000; PAL_VP_INIT_ENV(cause|opcode|initialize, 0x120000,
// 0x120000); VPD at 0x130000 (virt_env_vaddr = 0x120000); PAL_VP_CREATE;
// PAL_VP_RESTORE; then PAL_VPS_RESUME_NORMAL into the guest with
// IPSR = it|dt|rt|ic.  A failing procedure exits with status 0x80 + n.
	.section .text.vmm, "ax"
vmm:
	movl r2 = 0x108000 ;;
	mov cr.iva = r2 ;;
	srlz.i ;;
	alloc r32 = ar.pfs, 0, 1, 4, 0
	movl r2 = 0xfff00000 ;;
	mov b6 = r2
	movl r4 = 0x120000		// env buffer
	movl r7 = 0x130000 ;;		// VPD
	adds r2 = 16, r7 ;;
	st8 [r2] = r4			// vpd.virt_env_vaddr
	mov r28 = 268
	mov r33 = 268
	mov r34 = 0x301
	mov r35 = r4
	mov r36 = r4 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
	mov r3 = 0x81
	mov r4 = r9 ;;			// vsa_base
(p6)	br.cond.spnt.few fail ;;
	mov r28 = 265
	mov r33 = 265
	mov r34 = r7
	movl r35 = 0x108000
	mov r36 = r0 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
	mov r3 = 0x82 ;;
(p6)	br.cond.spnt.few fail ;;
	mov r28 = 270
	mov r33 = 270
	mov r34 = r7
	mov r35 = r0 ;;
	br.call.sptk.many b0 = b6 ;;
	cmp.ne p6, p0 = r8, r0
	mov r3 = 0x83 ;;
(p6)	br.cond.spnt.few fail ;;
	movl r2 = 0x100400 ;;
	mov cr.iip = r2
	movl r2 = 0x0000001008022000 ;;	// it | rt | dt | ic
	mov cr.ipsr = r2
	mov cr.ifs = r0
	mov r24 = r0
	mov r25 = r7
	mov b6 = r4 ;;
	br.sptk.many b6 ;;		// PAL_VPS_RESUME_NORMAL
fail:
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r3 ;;
1:	br.sptk.many 1b ;;
	.org 0x400
guest:
	{ .mii
	mov r3 = cr.iva			// virtualized: cause 5
	nop.i 0
	nop.i 0 ;;
	}
	movl r2 = 0xffe00008 ;;
	st8 [r2] = r5 ;;		// exit status = the cause the VMM saw
1:	br.sptk.many 1b ;;

// ---- vhandler: the Virtualization vector, at 0x108000 + 0x6100.
// Keeps the cause (GR24) in r5 and the opcode (GR25) in r6, skips the
// faulting bundle (IIP += 16) and resumes with PAL_VPS_RESUME_NORMAL
// (vsa_base in r4, VPD in r7).
	.section .text.vhandler, "ax"
vhandler:
	mov r5 = r24
	mov r6 = r25
	mov r2 = cr.iip ;;
	adds r2 = 16, r2 ;;
	mov cr.iip = r2
	mov r24 = r0
	mov r25 = r7
	mov b6 = r4 ;;
	br.sptk.many b6 ;;

// ---- palrom: the platform's PAL ROM stubs (sim/sim_ia64.c copies these
// bytes): +0x00 br.ret through b0, +0x10 rfi.
	.section .text.palrom, "ax"
palrom:
	{ .mib
	nop.m 0
	nop.i 0
	br.ret.sptk.many b0 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	rfi ;;
	}
