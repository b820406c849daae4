// guest.S - the guest of vmm.S: runs with PSR.vm = 1 and loops over
// virtualized instructions, twice: first with every VPD acceleration off
// (each instruction is a Virtualization fault the VMM emulates), then,
// after the hypercall `break 1` sets vac = GUEST_VAC, with the
// accelerations on (the ones vac covers complete from the VPD without a
// fault).  Each phase first checks the results of the instructions
// (emulated or accelerated, they must agree), then times N = 64
// iterations of each with AR.ITC read through the VMM's vmsw gate
// (vmm_gate_itc): cycles per instruction = (loop - empty loop) / N.
// The last lines print the table (lines starting with "# ": timing,
// which depends on the configured costs; the other lines do not);
// `break 2` ends the run with the number of failed checks as exit status.  See docs/vti-vmm.md.

	CONSOLE = 0xffe00000
	N = 64			// iterations of each loop
	NSHIFT = 6		// log2(N)
	NBENCH = 9		// rows of bench_tab
	// vac: a_int (0), a_from_int_cr (1), a_to_int_cr (2), a_from_psr (3),
	// a_from_cpuid (4) (hw-virt-facts C6).
	GUEST_VAC = 0x1f
	// vpsr as the VMM starts it (vmm.S GUEST_PSR) and as mov from psr
	// shows it (bits 36:35 and 31:0); the same with ic (bit 13) clear.
	GUEST_PSR = 0x101008022000
	GUEST_PSR_NOIC = 0x101008020000
	PSR_SEEN = 0x1008022000
	// The translation the itc checks insert: a page of region 1 beyond
	// the platform's 4-GiB identity map of region 0 (same RID 0), onto
	// machine page ITC_PA: p, ma WB, a, d, pl 0, ar 3 (RWX), ppn
	// (IA64-SDM Vol. 2 "Translation Insertion Format"); ITIR.ps = 13.
	ITC_VA = 0x2000000100000000
	ITC_PA = 0x1f0000
	ITC_PTE = 0x1f0661
	ITC_ITIR = 0x34
	CPUID3 = 0x20020004	// vcpuid[3] as the VMM sets it

	.text
	.global guest_entry

guest_entry:
	alloc r32 = ar.pfs, 0, 8, 3, 0	// locals r32-r39, out r40-r42
	mov r33 = r0			// phase: 0 accelerations off, 1 on
	mov r34 = r0 ;;			// failed checks
1:	cmp.eq p6, p7 = r33, r0 ;;
(p6)	movl r40 = s_off
(p7)	movl r40 = s_on ;;
	br.call.sptk.many b0 = g_puts ;;
	br.call.sptk.many b0 = run_checks ;;
	add r34 = r34, r8
	mov r40 = r33 ;;
	br.call.sptk.many b0 = run_bench ;;
	cmp.ne p6, p0 = r33, r0
(p6)	br.cond.sptk.few 2f ;;
	movl r8 = GUEST_VAC ;;
	break 1 ;;			// hypercall: vac = r8
	mov r33 = 1
	br.sptk.few 1b ;;
2:	br.call.sptk.many b0 = print_table ;;
	mov r8 = r34 ;;
	break 2 ;;			// hypercall: exit with r8
3:	br.sptk.few 3b ;;

// ---- checks -----------------------------------------------------------------
// Returns the number of failed checks in r8.
	.macro CHECK name, got, want
	mov r41 = \got
	movl r42 = \want
	movl r40 = \name ;;
	br.call.sptk.many b0 = g_check ;;
	add r33 = r33, r8 ;;
	.endm

run_checks:
	alloc r38 = ar.pfs, 0, 8, 3, 0	// locals r32-r39, out r40-r42
	mov r32 = b0
	mov r33 = r0 ;;
	rsm psr.i ;;			// a known vpsr (cause 25)

	// mov from psr into a static register (cause 7).
	mov r9 = psr ;;
	CHECK c_psr, r9, PSR_SEEN

	// mov from cpuid into a stacked register (cause 23).
	mov r10 = 3 ;;
	mov r39 = cpuid[r10] ;;
	CHECK c_cpuid, r39, CPUID3

	// TPR through the guest's bank-1 registers (causes 4 and 5).
	mov r20 = 0x20 ;;
	mov cr.tpr = r20 ;;
	srlz.d ;;
	mov r21 = cr.tpr ;;
	mov cr.tpr = r0 ;;
	CHECK c_tpr, r21, 0x20

	// An interruption CR written and read back with vpsr.ic = 0.
	rsm psr.ic ;;
	srlz.d ;;
	movl r11 = 0x123450 ;;
	mov cr.iip = r11 ;;
	srlz.d ;;
	mov r12 = cr.iip ;;
	ssm psr.ic ;;
	CHECK c_iip, r12, 0x123450

	// rfi to rfi_target with vipsr.ic = 1: lands there, vpsr.ic = 1.
	rsm psr.ic ;;
	srlz.d ;;
	movl r11 = rfi_target ;;
	mov cr.iip = r11
	movl r11 = GUEST_PSR ;;
	mov cr.ipsr = r11
	mov cr.ifs = r0 ;;
	mov r13 = 2 ;;
	{ .mib
	nop.m 0
	nop.i 0
	rfi ;;
	}
	mov r13 = 0 ;;			// not reached
rfi_target:
	mov r9 = psr ;;
	extr.u r9 = r9, 13, 1 ;;	// vpsr.ic
	add r13 = r13, r9 ;;
	CHECK c_rfi, r13, 3

	// itc.d with the guest's IFA/ITIR (cause 8), then a store through
	// the new translation must reach the machine page.
	rsm psr.ic ;;
	srlz.d ;;
	movl r11 = ITC_VA ;;
	mov cr.ifa = r11
	mov r12 = ITC_ITIR ;;
	mov cr.itir = r12
	movl r13 = ITC_PTE ;;
	{ .mmi
	itc.d r13 ;;
	nop.m 0
	nop.i 0 ;;
	}
	ssm psr.ic ;;
	srlz.d
	movl r15 = ITC_PA ;;
	st8 [r15] = r0
	movl r14 = 0x5a5a1234 ;;
	st8 [r11] = r14 ;;
	ld8 r14 = [r15] ;;
	CHECK c_itc, r14, 0x5a5a1234

	mov r8 = r33
	mov b0 = r32
	mov ar.pfs = r38 ;;
	br.ret.sptk.many b0 ;;

// g_check(name, got, want): prints "  NAME: ok" or "  NAME: FAIL got
// G want W"; returns 1 on a failure, else 0.
g_check:
	alloc r38 = ar.pfs, 3, 5, 2, 0	// in r32-r34, locals r35-r39, out r40-r41
	mov r35 = b0
	mov r36 = r0
	movl r40 = s_indent ;;
	br.call.sptk.many b0 = g_puts ;;
	mov r40 = r32 ;;
	br.call.sptk.many b0 = g_puts ;;
	cmp.eq p6, p7 = r33, r34 ;;
(p6)	movl r40 = s_ok
(p7)	movl r40 = s_fail ;;
	br.call.sptk.many b0 = g_puts ;;
	cmp.eq p6, p0 = r33, r34
(p6)	br.cond.sptk.few 1f ;;
	mov r36 = 1
	mov r40 = r33
	mov r41 = r0 ;;
	br.call.sptk.many b0 = g_putdec ;;
	movl r40 = s_want ;;
	br.call.sptk.many b0 = g_puts ;;
	mov r40 = r34
	mov r41 = r0 ;;
	br.call.sptk.many b0 = g_putdec ;;
1:	movl r40 = s_nl ;;
	br.call.sptk.many b0 = g_puts ;;
	mov r8 = r36
	mov b0 = r35
	mov ar.pfs = r38 ;;
	br.ret.sptk.many b0 ;;

// ---- timing -----------------------------------------------------------------

// run_bench(phase): the empty loop, the gate round trip, then every row
// of bench_tab into res_off / res_on (cycles per instruction).
run_bench:
	alloc r45 = ar.pfs, 1, 13, 3, 0	// in r32, locals r33-r45, out r46-r48
	mov r33 = b0
	// The virtual interruption registers the loops use (vpsr.ic = 0):
	// IFA/ITIR for itc.d, IPSR (ic = 0)/IIP/IFS for the rfi loop.
	rsm psr.ic ;;
	srlz.d ;;
	movl r9 = ITC_VA ;;
	mov cr.ifa = r9
	mov r9 = ITC_ITIR ;;
	mov cr.itir = r9
	movl r9 = GUEST_PSR_NOIC ;;
	mov cr.ipsr = r9
	mov cr.ifs = r0
	movl r9 = b_rfi_next ;;
	mov cr.iip = r9
	ssm psr.ic ;;
	// The empty loop.
	movl r46 = b_empty
	mov r47 = r0
	mov r48 = r0 ;;
	br.call.sptk.many b0 = measure ;;
	mov r34 = r8
	// One gate round trip (after a first call that warms the caches).
	br.call.sptk.many b0 = vmm_gate_itc ;;
	br.call.sptk.many b0 = vmm_gate_itc ;;
	mov r35 = r8 ;;
	br.call.sptk.many b0 = vmm_gate_itc ;;
	sub r35 = r8, r35
	cmp.eq p6, p7 = r32, r0 ;;
(p6)	movl r38 = res_off
(p7)	movl r38 = res_on ;;
	st8 [r38] = r35, 8		// row 0: the gate
	movl r36 = bench_tab
	mov r37 = NBENCH ;;
1:	ld8 r46 = [r36], 8 ;;
	ld8 r47 = [r36], 8 ;;
	ld8 r48 = [r36], 16 ;;
	br.call.sptk.many b0 = measure ;;
	sub r8 = r8, r34 ;;
	cmp.lt p6, p0 = r8, r0 ;;
(p6)	mov r8 = r0 ;;
	shr.u r8 = r8, NSHIFT ;;
	st8 [r38] = r8, 8
	adds r37 = -1, r37 ;;
	cmp.ne p6, p0 = r37, r0
(p6)	br.cond.sptk.few 1b ;;
	mov b0 = r33
	mov ar.pfs = r45 ;;
	br.ret.sptk.many b0 ;;

// measure(fn, icoff, r10): cycles of one call of fn, timed through the
// gate; with icoff != 0 vpsr.ic is 0 around it (rsm/ssm outside the
// timed part); fn gets r10.
measure:
	alloc r38 = ar.pfs, 3, 6, 0, 0	// in r32-r34, locals r35-r40
	mov r35 = b0
	cmp.ne p6, p0 = r33, r0 ;;
(p6)	rsm psr.ic ;;
	srlz.d ;;
	srlz.d ;;
	mov r10 = r34
	br.call.sptk.many b0 = vmm_gate_itc ;;
	mov r36 = r8
	mov b6 = r32 ;;
	br.call.sptk.many b0 = b6 ;;
	br.call.sptk.many b0 = vmm_gate_itc ;;
	sub r8 = r8, r36
	cmp.ne p6, p0 = r33, r0 ;;
(p6)	ssm psr.ic ;;
	mov b0 = r35
	mov ar.pfs = r38 ;;
	br.ret.sptk.many b0 ;;

// The loops: N iterations of two bundles (six slots), one of them the
// instruction under test.
	.macro BENCH name, insn
	.align 16
\name:
	mov r14 = N - 1 ;;
	mov ar.lc = r14 ;;
1:	{ .mii
	\insn
	nop.i 0
	nop.i 0 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.cloop.sptk.few 1b ;;
	}
	br.ret.sptk.many b0 ;;
	.endm

	BENCH b_empty, "nop.m 0"
	BENCH b_psr, "mov r9 = psr"
	BENCH b_cpuid, "mov r9 = cpuid[r10]"
	BENCH b_ftpr, "mov r9 = cr.tpr"
	BENCH b_ttpr, "mov cr.tpr = r10"
	BENCH b_fiip, "mov r9 = cr.iip"
	BENCH b_tiip, "mov cr.iip = r10"
	BENCH b_ssm, "ssm psr.i"

	.align 16
b_itc:
	mov r14 = N - 1 ;;
	mov ar.lc = r14 ;;
1:	{ .mmi
	itc.d r10 ;;
	nop.m 0
	nop.i 0 ;;
	}
	{ .mib
	nop.m 0
	nop.i 0
	br.cloop.sptk.few 1b ;;
	}
	br.ret.sptk.many b0 ;;

	.align 16
b_rfi:
	mov r14 = N - 1 ;;
	mov ar.lc = r14 ;;
1:	{ .mib
	nop.m 0
	nop.i 0
	rfi ;;
	}
b_rfi_next:
	{ .mib
	nop.m 0
	nop.i 0
	br.cloop.sptk.few 1b ;;
	}
	br.ret.sptk.many b0 ;;

// ---- the table ----------------------------------------------------------------
print_table:
	alloc r38 = ar.pfs, 0, 8, 2, 0	// locals r32-r39, out r40-r41
	mov r32 = b0
	movl r40 = s_head ;;
	br.call.sptk.many b0 = g_puts ;;
	movl r33 = row_names
	movl r34 = res_off
	movl r35 = res_on
	mov r36 = NBENCH + 1 ;;
1:	ld8 r40 = [r33], 8 ;;
	br.call.sptk.many b0 = g_puts ;;
	ld8 r40 = [r34], 8
	mov r41 = 8 ;;
	br.call.sptk.many b0 = g_putdec ;;
	ld8 r40 = [r35], 8
	mov r41 = 8 ;;
	br.call.sptk.many b0 = g_putdec ;;
	movl r40 = s_nl ;;
	br.call.sptk.many b0 = g_puts ;;
	adds r36 = -1, r36 ;;
	cmp.ne p6, p0 = r36, r0
(p6)	br.cond.sptk.few 1b ;;
	mov b0 = r32
	mov ar.pfs = r38 ;;
	br.ret.sptk.many b0 ;;

// ---- console ------------------------------------------------------------------

// g_puts(s): the NUL-terminated string s.
g_puts:
	alloc r35 = ar.pfs, 1, 3, 0, 0	// in r32, locals r33-r35
	movl r33 = CONSOLE ;;
1:	ld1 r34 = [r32], 1 ;;
	cmp.eq p6, p0 = r34, r0
(p6)	br.cond.spnt.few 2f ;;
	st1 [r33] = r34
	br.sptk.few 1b ;;
2:	mov ar.pfs = r35 ;;
	br.ret.sptk.many b0 ;;

// g_putdec(v, width): v in decimal, right-aligned in width columns.
// IA-64 has no integer divide: the digits come from subtracting powers
// of ten.
g_putdec:
	alloc r42 = ar.pfs, 2, 10, 0, 0	// in r32-r33, locals r34-r43
	movl r35 = pow10
	movl r38 = g_buf
	mov r36 = 20 ;;
1:	ld8 r39 = [r35], 8
	mov r34 = 48 ;;			// '0'
2:	cmp.ltu p6, p0 = r32, r39 ;;
(p6)	br.cond.sptk.few 3f ;;
	sub r32 = r32, r39
	adds r34 = 1, r34
	br.sptk.few 2b ;;
3:	st1 [r38] = r34, 1
	adds r36 = -1, r36 ;;
	cmp.ne p6, p0 = r36, r0
(p6)	br.cond.sptk.few 1b ;;
	// Skip leading zeros (the last digit always prints).
	movl r38 = g_buf
	mov r36 = 20 ;;
4:	ld1 r34 = [r38]
	cmp.eq p7, p0 = 1, r36 ;;
(p7)	br.cond.spnt.few 5f ;;
	cmp.ne p6, p0 = 48, r34 ;;
(p6)	br.cond.spnt.few 5f ;;
	adds r38 = 1, r38
	adds r36 = -1, r36
	br.sptk.few 4b ;;
	// r36 digits from r38, after width - r36 blanks.
5:	movl r37 = CONSOLE
	mov r40 = 32 ;;
6:	cmp.le p6, p0 = r33, r36 ;;
(p6)	br.cond.spnt.few 7f ;;
	st1 [r37] = r40
	adds r33 = -1, r33
	br.sptk.few 6b ;;
7:	ld1 r34 = [r38], 1 ;;
	st1 [r37] = r34
	adds r36 = -1, r36 ;;
	cmp.ne p6, p0 = r36, r0
(p6)	br.cond.sptk.few 7b ;;
	mov ar.pfs = r42 ;;
	br.ret.sptk.many b0 ;;

// ---- data ---------------------------------------------------------------------
	.data
	.align 8
// Rows: loop, vpsr.ic = 0 around it, r10, (unused).
bench_tab:
	data8 b_psr, 0, 0, 0
	data8 b_cpuid, 0, 3, 0
	data8 b_ftpr, 0, 0, 0
	data8 b_ttpr, 0, 0, 0
	data8 b_fiip, 1, 0, 0
	data8 b_tiip, 1, b_rfi_next, 0
	data8 b_ssm, 0, 0, 0
	data8 b_itc, 1, ITC_PTE, 0
	data8 b_rfi, 1, 0, 0
row_names:
	data8 n_gate, n_psr, n_cpuid, n_ftpr, n_ttpr, n_fiip, n_tiip, n_ssm
	data8 n_itc, n_rfi
res_off:
	.skip 8 * (NBENCH + 1)
res_on:
	.skip 8 * (NBENCH + 1)
pow10:
	data8 10000000000000000000, 1000000000000000000, 100000000000000000
	data8 10000000000000000, 1000000000000000, 100000000000000
	data8 10000000000000, 1000000000000, 100000000000, 10000000000
	data8 1000000000, 100000000, 10000000, 1000000, 100000, 10000
	data8 1000, 100, 10, 1
g_buf:
	.skip 24

s_off:	.asciz "vti guest: accelerations off (vac 0)\n"
s_on:	.asciz "vti guest: accelerations on (vac 0x1f: a_int a_from_int_cr a_to_int_cr a_from_psr a_from_cpuid)\n"
s_indent: .asciz "  check "
s_ok:	.asciz ": ok"
s_fail:	.asciz ": FAIL got "
s_want:	.asciz " want "
s_nl:	.asciz "\n"
c_psr:	.asciz "mov r9 = psr"
c_cpuid: .asciz "mov r39 = cpuid[r10]"
c_tpr:	.asciz "mov cr.tpr = r20; mov r21 = cr.tpr"
c_iip:	.asciz "mov cr.iip / mov r12 = cr.iip (vpsr.ic 0)"
c_rfi:	.asciz "rfi to its target with vpsr.ic 1"
c_itc:	.asciz "itc.d, then a store through it"
s_head:	.asciz "# cycles per instruction (N = 64)       no accel   accel\n"
n_gate:	.asciz "# vmsw gate round trip (whole call)  "
n_psr:	.asciz "# mov r9 = psr                 (7)   "
n_cpuid: .asciz "# mov r9 = cpuid[r10]         (23)  "
n_ftpr:	.asciz "# mov r9 = cr.tpr              (5)   "
n_ttpr:	.asciz "# mov cr.tpr = r10             (4)   "
n_fiip:	.asciz "# mov r9 = cr.iip              (5)   "
n_tiip:	.asciz "# mov cr.iip = r10             (4)   "
n_ssm:	.asciz "# ssm psr.i                    (24)  "
n_itc:	.asciz "# itc.d r10                    (8)   "
n_rfi:	.asciz "# rfi                          (37)  "
