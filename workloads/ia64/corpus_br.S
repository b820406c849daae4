// workloads/ia64/corpus_br.S - IA-64 decoder corpus, part 3: branches
// (IP-relative, indirect, counted, calls and returns, every whether,
// prefetch and deallocation hint), the B-unit system instructions (cover,
// clrrrb, rfi, bsw, epc, vmsw), break/nop on every unit, and the L+X
// instructions of MLX bundles (movl, brl, nop.x, break.x).  See corpus.S
// for how the corpus is used.
//
// Formats: Itanium SDM rev 2.3 Vol. 3 chapter 4 (named per section).

	.text
	.global corpus_br
	.proc corpus_br
corpus_br:
br_back:

// B1 "IP-Relative Branch" br.cond: every whether (sptk, spnt, dptk,
// dpnt), prefetch (few, many) and .clr hint, with and without qualifying
// predicate (unpredicated .sptk prints as "br"); targets backward and forward,
// displacement = sign_ext(imm21) << 4.
{ .bbb
	br.cond.sptk.few br_back
	(p1) br.cond.sptk.few br_back
	br.cond.sptk.few.clr br_fwd
}
{ .bbb
	(p2) br.cond.sptk.few.clr br_fwd
	br.cond.sptk.many br_mid
	(p3) br.cond.sptk.many br_mid
}
{ .bbb
	br.cond.sptk.many.clr br_back
	(p4) br.cond.sptk.many.clr br_back
	br.cond.spnt.few br_fwd ;;
}
{ .bbb
	(p5) br.cond.spnt.few br_fwd
	br.cond.spnt.few.clr br_mid
	(p6) br.cond.spnt.few.clr br_mid
}
{ .bbb
	br.cond.spnt.many br_back
	(p7) br.cond.spnt.many br_back
	br.cond.spnt.many.clr br_fwd
}
{ .bbb
	(p8) br.cond.spnt.many.clr br_fwd
	br.cond.dptk.few br_mid
	(p9) br.cond.dptk.few br_mid ;;
}
{ .bbb
	br.cond.dptk.few.clr br_back
	(p10) br.cond.dptk.few.clr br_back
	br.cond.dptk.many br_fwd
}
{ .bbb
	(p11) br.cond.dptk.many br_fwd
	br.cond.dptk.many.clr br_mid
	(p12) br.cond.dptk.many.clr br_mid
}
{ .bbb
	br.cond.dpnt.few br_back
	(p13) br.cond.dpnt.few br_back
	br.cond.dpnt.few.clr br_fwd ;;
}
{ .bbb
	(p14) br.cond.dpnt.few.clr br_fwd
	br.cond.dpnt.many br_mid
	(p15) br.cond.dpnt.many br_mid
}
{ .bbb
	br.cond.dpnt.many.clr br_back
	(p16) br.cond.dpnt.many.clr br_back
	br br_fwd
}
{ .bbb
	br.many br_back
	br.few.clr br_mid
	(p6) br.cond.dptk br_mid ;;
}
{ .mbb
	nop.m 0
	br.sptk.few br_back
	br.dptk.many br_fwd
}
br_mid:

// B1/B2 modulo-scheduled and counted branches: wexit, wtop (predicated)
// and cloop, cexit, ctop (not predicable).
{ .mib
	nop.m 0
	nop.i 0
	(p9) br.wexit.sptk.few br_back
}
{ .mib
	nop.m 0
	nop.i 0
	(p9) br.wexit.spnt.few br_back ;;
}
{ .mmb
	nop.m 0
	nop.m 0
	(p9) br.wexit.dptk.many br_back
}
{ .mmb
	nop.m 0
	nop.m 0
	(p9) br.wexit.dpnt.many br_back
}
{ .mbb
	nop.m 0
	nop.b 0
	br.wexit.sptk.few.clr br_fwd ;;
}
{ .mbb
	nop.m 0
	nop.b 0
	(p8) br.wtop.sptk.few br_back
}
{ .mbb
	nop.m 0
	nop.b 0
	(p8) br.wtop.spnt.few br_back
}
{ .mfb
	nop.m 0
	nop.f 0
	(p8) br.wtop.dptk.many br_back ;;
}
{ .mfb
	nop.m 0
	nop.f 0
	(p8) br.wtop.dpnt.many br_back
}
{ .bbb
	nop.b 0
	nop.b 0
	br.wtop.sptk.few.clr br_fwd
}
{ .mib
	nop.m 0
	nop.i 0
	br.cloop.sptk.few br_mid ;;
}
{ .mib
	nop.m 0
	nop.i 0
	br.cloop.spnt.few br_mid
}
{ .mib
	nop.m 0
	nop.i 0
	br.cloop.dptk.few br_mid
}
{ .mib
	nop.m 0
	nop.i 0
	br.cloop.dpnt.few br_mid ;;
}
{ .mmb
	nop.m 0
	nop.m 0
	br.cloop.dptk.many.clr br_back
}
{ .mmb
	nop.m 0
	nop.m 0
	br.cexit.sptk.few br_mid
}
{ .mbb
	nop.m 0
	nop.b 0
	br.cexit.spnt.few br_mid ;;
}
{ .mbb
	nop.m 0
	nop.b 0
	br.cexit.dptk.few br_mid
}
{ .mbb
	nop.m 0
	nop.b 0
	br.cexit.dpnt.few br_mid
}
{ .mfb
	nop.m 0
	nop.f 0
	br.cexit.dptk.many.clr br_back ;;
}
{ .mfb
	nop.m 0
	nop.f 0
	br.ctop.sptk.few br_mid
}
{ .bbb
	nop.b 0
	nop.b 0
	br.ctop.spnt.few br_mid
}
{ .mib
	nop.m 0
	nop.i 0
	br.ctop.dptk.few br_mid ;;
}
{ .mib
	nop.m 0
	nop.i 0
	br.ctop.dpnt.few br_mid
}
{ .mib
	nop.m 0
	nop.i 0
	br.ctop.dptk.many.clr br_back
}

// B3 "IP-Relative Call".
{ .bbb
	br.call.sptk.few b0=br_fwd
	br.call.spnt.many b1=br_fwd
	br.call.dptk.few b2=br_fwd ;;
}
{ .bbb
	br.call.dpnt.many b3=br_fwd
	br.call.sptk.few b4=br_fwd
	br.call.spnt.many b5=br_fwd
}
{ .bbb
	br.call.dptk.few b6=br_fwd
	br.call.dpnt.many b7=br_fwd
	(p1) br.call.sptk.many.clr b0=br_back
}
{ .mbb
	nop.m 0
	(p63) br.call.dpnt.few b7=br_mid
	br.call.sptk.many b0=corpus_br ;;
}

// B4 "Indirect Branch": br.cond and br.ia through b-registers, br.ret.
{ .bbb
	br.cond.sptk.few b1
	(p9) br.cond.sptk.few.clr b6
	br.cond.sptk.many b2
}
{ .bbb
	(p12) br.cond.sptk.many.clr b6
	br.cond.spnt.few b1
	(p9) br.cond.spnt.few.clr b6
}
{ .bbb
	br.cond.spnt.many b2
	(p12) br.cond.spnt.many.clr b6
	br.cond.dptk.few b1 ;;
}
{ .bbb
	(p9) br.cond.dptk.few.clr b6
	br.cond.dptk.many b2
	(p12) br.cond.dptk.many.clr b6
}
{ .bbb
	br.cond.dpnt.few b1
	(p9) br.cond.dpnt.few.clr b6
	br.cond.dpnt.many b2
}
{ .bbb
	(p12) br.cond.dpnt.many.clr b6
	br.sptk.many b6
	br.few b1 ;;
}
{ .bbb
	br.ia.sptk.many b1
	br.ia.dpnt.few.clr b7
	(p2) br.ia.spnt.many b0
}
{ .bbb
	br.ret.sptk.many b0
	(p16) br.ret.sptk.few.clr b4
	br.ret.spnt.many b0
}
{ .bbb
	(p16) br.ret.spnt.few.clr b4
	br.ret.dptk.many b0
	(p16) br.ret.dptk.few.clr b4 ;;
}
{ .mbb
	nop.m 0
	br.ret.dpnt.many b0
	(p16) br.ret.dpnt.few.clr b4
}

// B5 "Indirect Call" (whether hint in bits 34:32).
{ .bbb
	br.call.sptk.few b0=b6
	br.call.sptk.many b1=b5
	br.call.spnt.few b0=b6
}
{ .bbb
	br.call.spnt.many b1=b5
	br.call.dptk.few b0=b6
	br.call.dptk.many b1=b5 ;;
}
{ .bbb
	br.call.dpnt.few b0=b6
	br.call.dpnt.many b1=b5
	(p9) br.call.dpnt.few.clr b1=b6
}
{ .mbb
	nop.m 0
	br.call.sptk.many.clr b7=b0
	nop.b 0
}

// B8 "Miscellaneous B-Unit Instructions": cover, clrrrb, rfi, bsw (last
// in an instruction group), epc, and the VT-i vmsw.0/vmsw.1 (IA64-SDM 3:273).
{ .mfb
	nop.m 0
	nop.f 0
	cover ;;
}
{ .mfb
	nop.m 0
	nop.f 0
	clrrrb ;;
}
{ .bbb
	nop.b 0
	nop.b 0
	clrrrb.pr ;;
}
{ .mib
	nop.m 0
	nop.i 0
	rfi ;;
}
{ .mib
	nop.m 0
	nop.i 0
	bsw.0 ;;
}
{ .mib
	nop.m 0
	nop.i 0
	bsw.1 ;;
}
{ .bbb
	epc
	vmsw.0
	vmsw.1 ;;
}
{ .mbb
	nop.m 0
	epc
	vmsw.1
}

// B9 "Break/Nop (B-Unit)", F15/F16 "Break/Nop (F-Unit)".
{ .bbb
	nop.b 0
	nop.b 0x1fffff
	break.b 0
}
{ .bbb
	break.b 0x100000
	(p4) break.b 0x99
	(p5) nop.b 1 ;;
}
{ .mmf
	nop.m 0
	nop.m 0
	nop.f 0
}
{ .mfb
	nop.m 0
	nop.f 0x1fffff
	nop.b 0
}
{ .mfb
	nop.m 0
	break.f 0
	nop.b 0 ;;
}
{ .mfb
	nop.m 0
	break.f 0x12345
	nop.b 0
}
{ .mfi
	nop.m 0
	(p8) break.f 7
	nop.i 0
}

// X2 "Move Long Immediate64": imm64 = i:imm41:ic:imm5c:imm9d:imm7b.
{ .mlx
	nop.m 0
	movl r1=0 ;;
}
{ .mlx
	nop.m 0
	movl r2=-1
}
{ .mlx
	nop.m 0
	movl r3=0x8000000000000000
}
{ .mlx
	nop.m 0
	movl r4=0x7fffffffffffffff ;;
}
{ .mlx
	nop.m 0
	movl r5=0x123456789abcdef0
}
{ .mlx
	nop.m 0
	movl r127=0xfedcba9876543210
}
{ .mlx
	nop.m 0
	movl r32=2097152 ;;
}
{ .mlx
	nop.m 0
	(p3) movl r9=-4096
}
{ .mlx
	nop.m 0
	movl r10=0x00000000ffffffff
}

// X3 "Long Branch" and X4 "Long Call": imm60 = i:imm39:imm20b.
{ .mlx
	nop.m 0
	brl.cond.sptk.few.clr br_back ;;
}
{ .mlx
	nop.m 0
	(p1) brl.cond.sptk.few br_mid
}
{ .mlx
	nop.m 0
	brl.cond.sptk.many br_fwd
}
{ .mlx
	nop.m 0
	(p2) brl.cond.sptk.many br_mid ;;
}
{ .mlx
	nop.m 0
	brl.cond.spnt.few br_back
}
{ .mlx
	nop.m 0
	(p3) brl.cond.spnt.few br_mid
}
{ .mlx
	nop.m 0
	brl.cond.spnt.many.clr br_fwd ;;
}
{ .mlx
	nop.m 0
	(p4) brl.cond.spnt.many br_mid
}
{ .mlx
	nop.m 0
	brl.cond.dptk.few br_back
}
{ .mlx
	nop.m 0
	(p5) brl.cond.dptk.few br_mid ;;
}
{ .mlx
	nop.m 0
	brl.cond.dptk.many br_fwd
}
{ .mlx
	nop.m 0
	(p6) brl.cond.dptk.many br_mid
}
{ .mlx
	nop.m 0
	brl.cond.dpnt.few.clr br_back ;;
}
{ .mlx
	nop.m 0
	(p7) brl.cond.dpnt.few br_mid
}
{ .mlx
	nop.m 0
	brl.cond.dpnt.many br_fwd
}
{ .mlx
	nop.m 0
	(p8) brl.cond.dpnt.many br_mid ;;
}
{ .mlx
	nop.m 0
	brl br_fwd
}
{ .mlx
	nop.m 0
	brl.many br_back
}
{ .mlx
	nop.m 0
	brl.sptk.few.clr br_mid ;;
}
{ .mlx
	nop.m 0
	brl.call.sptk.many b0=br_back
}
{ .mlx
	nop.m 0
	brl.call.spnt.few b1=br_back
}
{ .mlx
	nop.m 0
	brl.call.dptk.many b2=br_back ;;
}
{ .mlx
	nop.m 0
	brl.call.dpnt.few b3=br_back
}
{ .mlx
	nop.m 0
	brl.call.sptk.many b4=br_back
}
{ .mlx
	nop.m 0
	brl.call.spnt.few b5=br_back ;;
}
{ .mlx
	nop.m 0
	brl.call.dptk.many b6=br_back
}
{ .mlx
	nop.m 0
	brl.call.dpnt.few b7=br_back
}
{ .mlx
	nop.m 0
	(p7) brl.call.dpnt.many.clr b1=br_fwd ;;
}

// X1 "Break (X-Unit)" and X5 "Nop (X-Unit)": imm62 = imm41:i:imm20a.
{ .mlx
	nop.m 0
	nop.x 0
}
{ .mlx
	nop.m 0
	nop.x 0x3fffffffffffffff
}
{ .mlx
	nop.m 0
	nop.x 0x123456789 ;;
}
{ .mlx
	nop.m 0
	break.x 0
}
{ .mlx
	nop.m 0
	break.x 0x3fffffffffffffff
}
{ .mlx
	nop.m 0
	break.x 0x200000 ;;
}
{ .mlx
	nop.m 0
	(p2) break.x 5
}
br_fwd:

// Forward target.
{ .mbb
	nop.m 0
	nop.b 0
	br.ret.sptk.many b0 ;;
}

// Raw bundles objdump cannot decode either (printed as data8, no stops):
// the eight reserved templates and reserved encodings in valid templates.
	.align 16
corpus_raw:
	// reserved template 0x06 (-3-)
	data8 0x0000000100000006, 0x0004000000000200
	// reserved template 0x07
	data8 0x1111111111111107, 0x1111111111111111
	// reserved template 0x14 (-a-)
	data8 0x0000000000000014, 0x0000000000000000
	// reserved template 0x15
	data8 0x00017ffffffffff5, 0x0000000091800000
	// reserved template 0x1a (-d-)
	data8 0x000000010000001a, 0x0004000000000200
	// reserved template 0x1b
	data8 0x000080000000003b, 0x0000000001800000
	// reserved template 0x1e (-f-)
	data8 0xfffffffffffffffe, 0xffffffffffffffff
	// reserved template 0x1f
	data8 0x000000000000001f, 0x0000000000400000
	// A1 with reserved x4 = 0, x2b = 2
	data8 0x0000200200000800, 0x0004000000000200
	// B5 with a reserved (even) whether hint
	data8 0x0000000100000010, 0x1300000000000200
	// movl with vc = 1 (reserved)
	data8 0x0000000100000004, 0x6000080000000000
	.endp corpus_br
