/*
 * exec_tests.S - small IA-64 programs for tests/test_ia64_exec.c.
 * Assembled with GNU as for ia64 (ia64-linux-gnu-as -xnone); the test
 * embeds the .text bytes (workloads/ia64/exec_bytes.sh prints them),
 * loads them at physical address 0x100000 and copies brk_handler to
 * IVA + 0x2c00 (the Break vector).  Each program ends at its <name>_end
 * label; the test runs until the IP reaches it.  No zero padding and no
 * instruction outside the decoder's subset, so tests/ia64-objdump.sh can
 * compare this file too.
 */
	.text
	.globl	alu
/* ---- integer ALU (expected values in test_ia64_exec_alu) ---- */
alu:
	mov r8 = 5
	mov r9 = -3
	;;
	add r10 = r8, r9
	sub r11 = r8, r9
	and r12 = 6, r8
	;;
	or r13 = r8, r9
	xor r14 = r8, r9
	andcm r15 = r8, r9
	;;
	shladd r16 = r8, 3, r9
	adds r17 = -100, r8
	addl r18 = 0x1fffff, r0
	;;
	movl r19 = 0x123456789abcdef0
	;;
	shl r20 = r19, r8
	shr r21 = r9, r8
	;;
	shr.u r22 = r19, r8
	extr r23 = r19, 4, 8
	;;
	extr.u r24 = r19, 4, 8
	dep r25 = r8, r19, 8, 4
	;;
	dep.z r26 = r8, 60, 4
	zxt1 r27 = r9
	;;
	sxt1 r28 = r24
	sub r29 = 10, r8
	add r30 = r8, r9, 1
	;;
alu_end:
	nop.m 0
	;;
/* ---- compares and predication ---- */
cmpp:
	mov r8 = 5
	mov r9 = -3
	;;
	cmp.lt p6, p7 = r9, r8
	cmp.ltu p8, p9 = r9, r8
	cmp4.eq p10, p11 = 5, r8
	;;
(p6)	mov r10 = 1
(p7)	mov r11 = 1
(p8)	cmp.eq.unc p12, p13 = r8, r8
	;;
	tbit.nz p14, p15 = r8, 2
	cmp.eq.and p16, p17 = r8, r9
	;;
	cmp.eq.or p18, p19 = r8, r8
	cmp.gt p20, p21 = r8, r9
	;;
cmpp_end:
	nop.m 0
	;;
/* ---- counted loop ---- */
loop:
	mov r8 = 0
	mov ar.lc = 9
	;;
1:	{ .mib
	adds r8 = 1, r8
	nop.i 0
	br.cloop.sptk.few 1b ;;
	}
loop_end:
	nop.m 0
	;;
/* ---- loads and stores (r2 = r3 = buffer, r14 = 2, set by the test) ---- */
mem:
	movl r9 = 0x1122334455667788
	;;
	st8 [r2] = r9, 8
	;;
	st4 [r2] = r9
	;;
	ld8 r10 = [r3], 8
	;;
	ld4 r11 = [r3]
	ld2 r12 = [r3]
	;;
	ld1 r13 = [r3], r14
	;;
mem_end:
	nop.m 0
	;;
/* ---- alloc / br.call / br.ret ---- */
frames:
	alloc r34 = ar.pfs, 2, 1, 2, 0
	;;
	mov r32 = 11
	mov r35 = 22
	mov r36 = 33
	;;
	br.call.sptk.many b0 = func
	;;
	mov r9 = r35
	mov r10 = r32
	;;
frames_end:
	nop.m 0
	;;
func:
	alloc r34 = ar.pfs, 2, 3, 0, 0
	;;
	add r8 = r32, r33
	mov r35 = 99
	;;
	add r32 = r32, r33
	mov ar.pfs = r34
	;;
	br.ret.sptk.many b0
	;;
/* ---- deep recursion: spills and fills of the register stack ---- */
recur:
	alloc r33 = ar.pfs, 0, 2, 1, 0
	;;
	mov r34 = 20
	br.call.sptk.many b0 = rec
	;;
recur_end:
	nop.m 0
	;;
rec:
	alloc r40 = ar.pfs, 1, 88, 1, 0
	mov r41 = b0
	;;
	mov r120 = r32
	cmp.eq p6, p7 = 0, r32
	;;
(p6)	mov r8 = 0
(p6)	br.cond.sptk rec_out
	;;
	adds r121 = -1, r32
	br.call.sptk.many b0 = rec
	;;
	add r8 = r8, r120
	;;
rec_out:
	mov ar.pfs = r40
	mov b0 = r41
	;;
	br.ret.sptk.many b0
	;;
/* ---- break, then return through the handler's rfi ---- */
brk:
	{ .mmi
	mov r8 = 1
	break.m 0x1234
	nop.i 0 ;;
	}
brk_after:
	mov r9 = 2
	;;
brk_end:
	nop.m 0
	;;
/* ---- itc.d, a translated load, ptc.l, then a TLB miss (PSR.ic = 0) ---- */
tlbt:
	movl r9 = 0x2000000
	movl r10 = 0x30000 | 1 | (1 << 5) | (1 << 6) | (2 << 9)
	mov r11 = 16 << 2
	;;
	mov cr.ifa = r9
	mov cr.itir = r11
	;;
	itc.d r10
	;;
	ssm 0x20000
	;;
	srlz.d
	;;
	ld8 r12 = [r9]
	tpa r15 = r9
	;;
	ptc.l r9, r11
	;;
	srlz.d
	;;
tlbt_miss:
	ld8 r14 = [r9]
	;;
tlbt_end:
	nop.m 0
	;;
/* ---- vmsw (the test maps this page with an ITR) ---- */
vmsw1:
	{ .mib
	nop.m 0
	nop.i 0
	vmsw.1 ;;
	}
vmsw0:
	{ .mib
	nop.m 0
	nop.i 0
	vmsw.0 ;;
	}
vmsw_end:
	nop.m 0
	;;
/* ---- outside the executed subset (decoded, not executed) ---- */
unimpl_epc:
	{ .mib
	nop.m 0
	nop.i 0
	epc ;;
	}
/* ---- one virtualized instruction per cause code (vc_<code>) ---- */
	.macro VM n, insn:vararg
vc_\n:	{ .mmi
	\insn
	nop.m 0
	nop.i 0 ;;
	}
	.endm
	.macro VB n, insn:vararg
vc_\n:	{ .mib
	nop.m 0
	nop.i 0
	\insn ;;
	}
	.endm
	VM 1, mov ar.itc = r9
	VM 2, mov ar.itc = 5
	VM 3, mov r8 = ar.itc
	VM 4, mov cr.dcr = r9
	VM 5, mov r8 = cr.dcr
	VM 6, mov psr.l = r9
	VM 7, mov r8 = psr
	VM 8, itc.d r9
	VM 9, itc.i r9
	VM 10, mov rr[r9] = r10
	VM 11, mov dbr[r9] = r10
	VM 12, mov ibr[r9] = r10
	VM 13, mov pkr[r9] = r10
	VM 14, mov pmc[r9] = r10
	VM 15, mov pmd[r9] = r10
	VM 16, itr.d dtr[r9] = r10
	VM 17, itr.i itr[r9] = r10
	VM 18, mov r8 = rr[r9]
	VM 19, mov r8 = dbr[r9]
	VM 20, mov r8 = ibr[r9]
	VM 21, mov r8 = pkr[r9]
	VM 22, mov r8 = pmc[r9]
	VM 23, mov r8 = cpuid[r9]
	VM 24, ssm 0x4000
	VM 25, rsm 0x4000
	VM 26, ptc.l r9, r10
	VM 27, ptc.g r9, r10
	VM 28, ptc.ga r9, r10
	VM 29, ptr.d r9, r10
	VM 30, ptr.i r9, r10
	VM 31, thash r8 = r9
	VM 32, ttag r8 = r9
	VM 33, tpa r8 = r9
	VM 34, tak r8 = r9
	VM 35, ptc.e r9
	VB 36, cover
	VB 37, rfi
	VB 38, bsw.0
	VB 39, bsw.1
	VB 40, vmsw.0
	VM 41, probe.r r8 = r9, r10
vc_end:
	nop.m 0
	;;
/* ---- Break handler: the test copies it to IVA + 0x2c00 ---- */
brk_handler:
	mov r16 = cr.iip
	mov r17 = cr.ipsr
	;;
	mov r18 = cr.isr
	mov r19 = cr.iim
	;;
	adds r16 = 16, r16
	dep r17 = 0, r17, 41, 2
	;;
	mov cr.iip = r16
	mov cr.ipsr = r17
	;;
	rfi
	;;
brk_handler_end:
