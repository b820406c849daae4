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
