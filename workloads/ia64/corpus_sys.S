// workloads/ia64/corpus_sys.S - IA-64 decoder corpus, part 2: integer
// loads and stores, memory ordering, RSE control and the system
// instructions a VT-i VMM and its guests execute (PSR, CR, AR, region and
// indirect registers, TLB insert/purge, probe, VHPT hash, CPUID) - the
// M unit.  See corpus.S for how the corpus is used.
//
// Formats: Itanium SDM rev 2.3 Vol. 3 chapter 4 (named per section).

	.text
	.global corpus_sys
	.proc corpus_sys
corpus_sys:

// M1 "Integer Load": sizes 1/2/4/8, hints none/nt1/nta, .acq.
{ .mmi
	ld1 r1=[r2]
	ld1.nt1 r33=[r40]
	nop.i 0
}
{ .mmi
	ld1.nta r100=[r120]
	ld1.acq r8=[r16]
	nop.i 0
}
{ .mmb
	ld1.acq.nta r60=[r70]
	ld2 r2=[r3]
	nop.b 0 ;;
}
{ .mmb
	ld2.nt1 r34=[r41]
	ld2.nta r101=[r121]
	nop.b 0
}
{ .mmb
	ld2.acq r9=[r17]
	ld2.acq.nta r61=[r71]
	nop.b 0
}
{ .mmf
	ld4 r3=[r4]
	ld4.nt1 r35=[r42]
	nop.f 0 ;;
}
{ .mmf
	ld4.nta r102=[r122]
	ld4.acq r10=[r18]
	nop.f 0
}
{ .mmi
	ld4.acq.nta r62=[r72] ;;
	ld8 r4=[r5]
	nop.i 0
}
{ .mmi
	ld8.nt1 r36=[r43] ;;
	ld8.nta r103=[r123]
	nop.i 0 ;;
}
{ .mmi
	ld8.acq r11=[r19]
	ld8.acq.nta r63=[r73]
	nop.i 0
}
{ .mlx
	(p5) ld8 r127=[r0]
	nop.x 0
}

// M2 "Integer Load - Increment by Register".
{ .mmi
	ld1 r1=[r2],r3
	ld1.nt1 r33=[r40],r50
	nop.i 0 ;;
}
{ .mmi
	ld1.acq.nta r60=[r70],r127
	ld2 r2=[r3],r4
	nop.i 0
}
{ .mmi
	ld2.nt1 r34=[r41],r51
	ld2.acq.nta r61=[r71],r127
	nop.i 0
}
{ .mmb
	ld4 r3=[r4],r5
	ld4.nt1 r35=[r42],r52
	nop.b 0 ;;
}
{ .mmb
	ld4.acq.nta r62=[r72],r127
	ld8 r4=[r5],r6
	nop.b 0
}
{ .mmb
	ld8.nt1 r36=[r43],r53
	ld8.acq.nta r63=[r73],r127
	nop.b 0
}

// M3 "Integer Load - Increment by Immediate": imm9 = sign_ext(s:i:imm7b).
{ .mmf
	ld1 r4=[r30],-256
	ld1.nt1 r4=[r30],-1
	nop.f 0 ;;
}
{ .mmf
	ld1.nta r4=[r30],1
	ld1.acq r4=[r30],8
	nop.f 0
}
{ .mmi
	ld1.acq.nt1 r4=[r30],255 ;;
	ld1.acq.nta r4=[r30],64
	nop.i 0
}
{ .mmi
	ld2 r5=[r31],-1 ;;
	ld2.nt1 r5=[r31],1
	nop.i 0 ;;
}
{ .mmi
	ld2.nta r5=[r31],8
	ld2.acq r5=[r31],255
	nop.i 0
}
{ .mmi
	ld2.acq.nt1 r5=[r31],64
	ld2.acq.nta r5=[r31],-256
	nop.i 0
}
{ .mmi
	ld4 r6=[r32],1
	ld4.nt1 r6=[r32],8
	nop.i 0 ;;
}
{ .mmi
	ld4.nta r6=[r32],255
	ld4.acq r6=[r32],64
	nop.i 0
}
{ .mmi
	ld4.acq.nt1 r6=[r32],-256
	ld4.acq.nta r6=[r32],-1
	nop.i 0
}
{ .mmb
	ld8 r7=[r33],8
	ld8.nt1 r7=[r33],255
	nop.b 0 ;;
}
{ .mmb
	ld8.nta r7=[r33],64
	ld8.acq r7=[r33],-256
	nop.b 0
}
{ .mmb
	ld8.acq.nt1 r7=[r33],-1
	ld8.acq.nta r7=[r33],1
	nop.b 0
}

// M4 "Integer Store": sizes, .nta, .rel.
{ .mmf
	st1 [r2]=r1
	st1.nta [r40]=r33
	nop.f 0 ;;
}
{ .mmf
	st1.rel [r16]=r8
	st1.rel.nta [r70]=r123
	nop.f 0
}
{ .mmi
	st2 [r3]=r2 ;;
	st2.nta [r41]=r34
	nop.i 0
}
{ .mmi
	st2.rel [r17]=r9 ;;
	st2.rel.nta [r71]=r124
	nop.i 0 ;;
}
{ .mmi
	st4 [r4]=r3
	st4.nta [r42]=r35
	nop.i 0
}
{ .mmi
	st4.rel [r18]=r10
	st4.rel.nta [r72]=r125
	nop.i 0
}
{ .mmi
	st8 [r5]=r4
	st8.nta [r43]=r36
	nop.i 0 ;;
}
{ .mmi
	st8.rel [r19]=r11
	st8.rel.nta [r73]=r126
	nop.i 0
}

// M5 "Integer Store - Increment by Immediate": imm9 = sign_ext(s:i:imm7a).
{ .mmi
	st1 [r30]=r4,-256
	st1.nta [r30]=r4,-1
	nop.i 0
}
{ .mmb
	st1.rel [r30]=r4,1
	st1.rel.nta [r30]=r4,16
	nop.b 0 ;;
}
{ .mmb
	st1 [r30]=r4,255
	st2 [r31]=r5,-1
	nop.b 0
}
{ .mmb
	st2.nta [r31]=r5,1
	st2.rel [r31]=r5,16
	nop.b 0
}
{ .mmf
	st2.rel.nta [r31]=r5,255
	st2 [r31]=r5,-256
	nop.f 0 ;;
}
{ .mmf
	st4 [r32]=r6,1
	st4.nta [r32]=r6,16
	nop.f 0
}
{ .mmi
	st4.rel [r32]=r6,255 ;;
	st4.rel.nta [r32]=r6,-256
	nop.i 0
}
{ .mmi
	st4 [r32]=r6,-1 ;;
	st8 [r33]=r7,16
	nop.i 0 ;;
}
{ .mmi
	st8.nta [r33]=r7,255
	st8.rel [r33]=r7,-256
	nop.i 0
}
{ .mmi
	st8.rel.nta [r33]=r7,-1
	st8 [r33]=r7,1
	nop.i 0
}

// M24 "Sync/Fence/Serialize".
{ .mmi
	srlz.i
	srlz.d
	nop.i 0 ;;
}
{ .mmi
	sync.i
	mf
	nop.i 0
}
{ .mmi
	(p3) srlz.d
	(p4) mf
	nop.i 0
}

// M25 "RSE Control" (flushrs, loadrs) and M34 "Allocate Register Stack
// Frame" (printed as sof, sol, sor): first in an instruction group.
{ .mib
	flushrs
	nop.i 0
	nop.b 0 ;;
}
{ .mfi
	loadrs
	nop.f 0
	nop.i 0 ;;
}
{ .mmb
	alloc r34=ar.pfs,3,2,0,0
	nop.m 0
	nop.b 0 ;;
}
{ .mii
	alloc r32=ar.pfs,0,0,0,0
	nop.i 0 ;;
	nop.i 0 ;;
}
{ .mmf
	alloc r127=ar.pfs,8,8,8,8
	nop.m 0
	nop.f 0 ;;
}
{ .mbb
	alloc r40=ar.pfs,96,0,0,0
	nop.b 0
	nop.b 0 ;;
}
{ .mmi
	alloc r2=ar.pfs,0,0,2,0 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mfb
	alloc r35=ar.pfs,2,3,4,8
	nop.f 0
	nop.b 0
}

// M35/M36 "Move to/from PSR", M44 "Set/Reset User/System Mask"
// (imm24 = i:i2d:imm21a).
{ .mmi
	mov psr.l=r1
	mov psr.l=r127
	nop.i 0
}
{ .mmi
	mov psr.um=r2
	mov psr.um=r0
	nop.i 0 ;;
}
{ .mmi
	mov r3=psr
	mov r127=psr
	nop.i 0
}
{ .mmi
	mov r4=psr.um
	mov r5=psr.um
	nop.i 0
}
{ .mmb
	ssm 0x1
	ssm 0x6000
	nop.b 0 ;;
}
{ .mmb
	ssm 0xffffff
	rsm 0x4000
	nop.b 0
}
{ .mmb
	rsm 0x800000
	sum 0x8
	nop.b 0
}
{ .mmf
	sum 0x3f
	rum 0x2
	nop.f 0 ;;
}
{ .mmf
	rum 0x20
	(p9) ssm 0x2000
	nop.f 0
}

// M32/M33 "Move to/from CR": every named control register (writes to
// the read-only IVR and IRR0-3 are left out).
{ .mmi
	mov cr.dcr=r1 ;;
	mov r40=cr.dcr
	nop.i 0
}
{ .mmi
	mov cr.itm=r2 ;;
	mov r41=cr.itm
	nop.i 0 ;;
}
{ .mmi
	mov cr.iva=r3
	mov r42=cr.iva
	nop.i 0
}
{ .mmi
	mov cr.pta=r4
	mov r43=cr.pta
	nop.i 0
}
{ .mmi
	mov cr.ipsr=r5
	mov r44=cr.ipsr
	nop.i 0 ;;
}
{ .mmi
	mov cr.isr=r6
	mov r45=cr.isr
	nop.i 0
}
{ .mmi
	mov cr.iip=r7
	mov r46=cr.iip
	nop.i 0
}
{ .mmb
	mov cr.ifa=r8
	mov r47=cr.ifa
	nop.b 0 ;;
}
{ .mmb
	mov cr.itir=r9
	mov r48=cr.itir
	nop.b 0
}
{ .mmb
	mov cr.iipa=r10
	mov r49=cr.iipa
	nop.b 0
}
{ .mmf
	mov cr.ifs=r11
	mov r50=cr.ifs
	nop.f 0 ;;
}
{ .mmf
	mov cr.iim=r12
	mov r51=cr.iim
	nop.f 0
}
{ .mmi
	mov cr.iha=r13 ;;
	mov r52=cr.iha
	nop.i 0
}
{ .mmi
	mov cr.lid=r14 ;;
	mov r53=cr.lid
	nop.i 0 ;;
}
{ .mmi
	mov r54=cr.ivr
	mov cr.tpr=r16
	nop.i 0
}
{ .mmi
	mov r55=cr.tpr
	mov cr.eoi=r17
	nop.i 0
}
{ .mmi
	mov r56=cr.eoi
	mov r57=cr.irr0
	nop.i 0 ;;
}
{ .mmi
	mov r58=cr.irr1
	mov r59=cr.irr2
	nop.i 0
}
{ .mmi
	mov r60=cr.irr3
	mov cr.itv=r22
	nop.i 0
}
{ .mmb
	mov r61=cr.itv
	mov cr.pmv=r23
	nop.b 0 ;;
}
{ .mmb
	mov r62=cr.pmv
	mov cr.cmcv=r24
	nop.b 0
}
{ .mmb
	mov r63=cr.cmcv
	mov cr.lrr0=r25
	nop.b 0
}
{ .mmf
	mov r64=cr.lrr0
	mov cr.lrr1=r26
	nop.f 0 ;;
}
{ .mmf
	mov r65=cr.lrr1
	nop.m 0
	nop.f 0
}

// M29/M31 "Move to/from AR (M-Unit)" for every named M-unit AR, M30
// "Move to AR - Immediate8".
{ .mmi
	mov.m ar.k0=r2 ;;
	mov.m r64=ar.k0
	nop.i 0
}
{ .mmi
	mov.m ar.k1=r3 ;;
	mov.m r65=ar.k1
	nop.i 0 ;;
}
{ .mmi
	mov.m ar.k2=r4
	mov.m r66=ar.k2
	nop.i 0
}
{ .mmi
	mov.m ar.k3=r5
	mov.m r67=ar.k3
	nop.i 0
}
{ .mmi
	mov.m ar.k4=r6
	mov.m r68=ar.k4
	nop.i 0 ;;
}
{ .mmi
	mov.m ar.k5=r7
	mov.m r69=ar.k5
	nop.i 0
}
{ .mmi
	mov.m ar.k6=r8
	mov.m r70=ar.k6
	nop.i 0
}
{ .mmb
	mov.m ar.k7=r9
	mov.m r71=ar.k7
	nop.b 0 ;;
}
{ .mmb
	mov.m ar.rsc=r10
	mov.m r72=ar.rsc
	nop.b 0
}
{ .mmb
	mov.m r73=ar.bsp
	mov.m ar.bspstore=r12
	nop.b 0
}
{ .mmf
	mov.m r74=ar.bspstore
	mov.m ar.rnat=r13
	nop.f 0 ;;
}
{ .mmf
	mov.m r75=ar.rnat
	mov.m ar.ccv=r14
	nop.f 0
}
{ .mmi
	mov.m r76=ar.ccv ;;
	mov.m ar.unat=r15
	nop.i 0
}
{ .mmi
	mov.m r77=ar.unat ;;
	mov.m ar.fpsr=r16
	nop.i 0 ;;
}
{ .mmi
	mov.m r78=ar.fpsr
	mov.m ar.itc=r17
	nop.i 0
}
{ .mmi
	mov.m r79=ar.itc
	mov ar.ccv=r9
	nop.i 0
}
{ .mmi
	mov r9=ar.itc
	mov.m ar.rsc=3
	nop.i 0 ;;
}
{ .mmi
	mov.m ar.ccv=-128
	mov.m ar.fpsr=127
	nop.i 0
}
{ .mmi
	mov.m ar.k7=-1
	mov.m ar.unat=0
	nop.i 0
}

// M42/M43 "Move to/from Indirect Register", translation register
// inserts, mov from CPUID.
{ .mmb
	mov rr[r3]=r10
	mov r20=rr[r30]
	nop.b 0 ;;
}
{ .mmb
	mov dbr[r4]=r11
	mov r21=dbr[r31]
	nop.b 0
}
{ .mmb
	mov ibr[r5]=r12
	mov r22=ibr[r32]
	nop.b 0
}
{ .mmf
	mov pkr[r6]=r13
	mov r23=pkr[r33]
	nop.f 0 ;;
}
{ .mmf
	mov pmc[r7]=r14
	mov r24=pmc[r34]
	nop.f 0
}
{ .mmi
	mov pmd[r8]=r15 ;;
	mov r25=pmd[r35]
	nop.i 0
}
{ .mmi
	mov r1=cpuid[r2] ;;
	mov r127=cpuid[r0]
	nop.i 0 ;;
}
{ .mmi
	mov rr[r127]=r0
	mov r3=rr[r4]
	nop.i 0
}
{ .mmi
	itr.i itr[r3]=r2
	itr.d dtr[r4]=r5
	nop.i 0
}
{ .mlx
	itr.d dtr[r127]=r1
	nop.x 0 ;;
}

// M41 "Translation Cache Insert" and M45 global purges (last in an
// instruction group), M45/M47 local purges, M46 "Translation Access", M38/M39
// "Probe".
{ .mmi
	itc.i r2 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mmi
	itc.d r3 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mmi
	(p2) itc.d r127 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mmi
	ptc.g r3,r2 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mmi
	ptc.ga r4,r5 ;;
	nop.m 0
	nop.i 0 ;;
}
{ .mmf
	ptc.l r3,r2
	ptc.l r127,r0
	nop.f 0 ;;
}
{ .mmf
	ptc.e r9
	ptr.i r3,r2
	nop.f 0
}
{ .mmi
	ptr.d r10,r11 ;;
	thash r1=r2
	nop.i 0
}
{ .mmi
	ttag r3=r4 ;;
	tpa r5=r6
	nop.i 0 ;;
}
{ .mmi
	tak r7=r8
	thash r127=r0
	nop.i 0
}
{ .mmi
	probe.r r1=r3,r2
	probe.w r4=r5,r6
	nop.i 0
}
{ .mmi
	probe.r r7=r8,0
	probe.r r9=r10,3
	nop.i 0 ;;
}
{ .mmi
	probe.w r11=r12,1
	probe.w r13=r14,2
	nop.i 0
}

// M37 "Break/Nop (M-Unit)".
{ .mmi
	nop.m 0
	nop.m 0x1fffff
	nop.i 0
}
{ .mmb
	nop.m 0x10000
	break.m 0
	nop.b 0 ;;
}
{ .mmb
	break.m 0x1fffff
	break.m 0x100000
	nop.b 0
}
{ .mmb
	(p1) break.m 0x42
	nop.m 0
	nop.b 0
}
	.endp corpus_sys
