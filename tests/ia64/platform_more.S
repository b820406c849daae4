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
