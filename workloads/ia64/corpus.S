// workloads/ia64/corpus.S - IA-64 decoder corpus, part 1: integer ALU,
// compares, test bit, shifts and bit fields, extends, register moves
// (A and I units).  Assembled by GNU as (ia64-linux-gnu-as -xnone) and
// disassembled by both objdump and vtsim in tests/ia64-objdump.sh; every
// slot must print identically.  The code is not meant to run: it lists
// every instruction form of isa/ia64_ops.def in several operand and
// completer variants, packed into explicit bundles that cycle through the
// templates and stop positions.
//
// Formats: Itanium SDM rev 2.3 Vol. 3 chapter 4 (named per section).

	.text
	.global corpus_int
	.proc corpus_int
corpus_int:

// A1 "Integer ALU - Register-Register": add, add +1, sub, sub -1, and,
// andcm, or, xor.
{ .mii
	add r1=r2,r3
	add r127=r126,r125
	add r32=r0,r33
}
{ .mmi
	add r8=r9,r10,1
	sub r14=r15,r16
	sub r17=r18,r19,1
}
{ .mii
	sub r40=r0,r41
	and r20=r21,r22 ;;
	andcm r23=r24,r25 ;;
}
{ .mii
	or r26=r27,r28
	xor r29=r30,r31 ;;
	and r100=r101,r0
}
{ .mii
	or r1=r0,r0
	xor r64=r65,r66 ;;
	andcm r90=r91,r92
}

// A2 "Shift Left and Add": count 1..4 (encoded count - 1).
{ .mii
	shladd r11=r21,1,r31
	shladd r12=r22,2,r32 ;;
	shladd r13=r23,3,r33 ;;
}
{ .mmf
	shladd r14=r24,4,r34
	shladd r127=r0,2,r127
	nop.f 0
}

// A3 "Integer ALU - Immediate8-Register": imm8 = sign_ext(s:imm7b).
{ .mmi
	sub r3=-128,r40 ;;
	sub r10=-1,r55
	sub r3=0,r40
}
{ .mmi
	sub r8=5,r45 ;;
	sub r10=127,r55
	and r3=-128,r40 ;;
}
{ .mii
	and r10=-1,r55
	and r3=0,r40
	and r8=5,r45
}
{ .mii
	and r10=127,r55
	andcm r3=-128,r40
	andcm r10=-1,r55
}
{ .mii
	andcm r3=0,r40
	andcm r8=5,r45
	andcm r10=127,r55 ;;
}
{ .mii
	or r3=-128,r40
	or r10=-1,r55
	or r3=0,r40
}
{ .mmi
	or r8=5,r45
	or r10=127,r55
	xor r3=-128,r40
}
{ .mii
	xor r10=-1,r55
	xor r3=0,r40 ;;
	xor r8=5,r45 ;;
}
{ .mfi
	xor r10=127,r55
	nop.f 0
	nop.i 0
}

// A4 "Add Immediate14": imm14 sign extension; "mov r1=r3" is adds
// r1=0,r3.
{ .mii
	adds r2=-8192,r5
	adds r3=-8191,r6 ;;
	adds r33=-129,r68
}
{ .mii
	adds r33=-1,r68
	adds r3=1,r6 ;;
	adds r33=127,r68 ;;
}
{ .mmi
	adds r2=128,r5 ;;
	adds r2=4096,r5
	adds r33=8191,r68
}
{ .mmi
	mov r1=r2 ;;
	mov r127=r0
	mov r32=r33
}
{ .mmi
	adds r9=0,r10 ;;
	nop.m 0
	nop.i 0 ;;
}

// A5 "Add Immediate22": r3 is r0-r3; "mov r1=imm22" is addl with r0.
{ .mii
	addl r99=-2097152,r1
	addl r127=2097151,r2
	addl r127=-1,r3
}
{ .mii
	addl r52=4660,r1
	addl r1=1,r2
	addl r99=-4096,r3
}
{ .mii
	mov r1=5
	mov r2=-1
	mov r3=2097151 ;;
}
{ .mii
	mov r4=-2097152
	mov r5=0
	addl r6=100,r0
}

// A6 "Integer Compare - Register-Register", normal and unc types, all
// relations.  gas encodes ne/le/gt/ge/leu/gtu/geu by swapping targets or
// sources; objdump prints the encoded relation (eq, lt, ltu).
{ .mmi
	cmp.eq p1,p9=r2,r20
	cmp.eq.unc p40,p50=r32,r60
	cmp.ne p2,p10=r3,r21
}
{ .mii
	cmp.ne.unc p41,p51=r33,r61
	cmp.lt p3,p11=r4,r22 ;;
	cmp.lt.unc p42,p52=r34,r62 ;;
}
{ .mii
	cmp.le p4,p12=r5,r23
	cmp.le.unc p43,p53=r35,r63 ;;
	cmp.gt p5,p13=r6,r24
}
{ .mii
	cmp.gt.unc p44,p54=r36,r64
	cmp.ge p6,p14=r7,r25 ;;
	cmp.ge.unc p45,p55=r37,r65
}
{ .mii
	cmp.ltu p7,p15=r8,r26
	cmp.ltu.unc p40,p50=r38,r66 ;;
	cmp.leu p8,p16=r9,r27 ;;
}
{ .mmi
	cmp.leu.unc p41,p51=r39,r67 ;;
	cmp.gtu p1,p9=r10,r28
	cmp.gtu.unc p42,p52=r40,r68
}
{ .mmi
	cmp.geu p2,p10=r11,r29 ;;
	cmp.geu.unc p43,p53=r41,r69
	cmp4.eq p1,p9=r2,r20
}
{ .mmi
	cmp4.eq.unc p40,p50=r32,r60 ;;
	cmp4.ne p2,p10=r3,r21
	cmp4.ne.unc p41,p51=r33,r61 ;;
}
{ .mii
	cmp4.lt p3,p11=r4,r22
	cmp4.lt.unc p42,p52=r34,r62
	cmp4.le p4,p12=r5,r23
}
{ .mii
	cmp4.le.unc p43,p53=r35,r63
	cmp4.gt p5,p13=r6,r24
	cmp4.gt.unc p44,p54=r36,r64
}
{ .mii
	cmp4.ge p6,p14=r7,r25
	cmp4.ge.unc p45,p55=r37,r65
	cmp4.ltu p7,p15=r8,r26 ;;
}
{ .mii
	cmp4.ltu.unc p40,p50=r38,r66
	cmp4.leu p8,p16=r9,r27
	cmp4.leu.unc p41,p51=r39,r67
}
{ .mmi
	cmp4.gtu p1,p9=r10,r28
	cmp4.gtu.unc p42,p52=r40,r68
	cmp4.geu p2,p10=r11,r29
}
{ .mib
	cmp4.geu.unc p43,p53=r41,r69
	nop.i 0
	nop.b 0 ;;
}

// A6 parallel compares: and, or, or.andcm (and the andcm, orcm and
// and.orcm pseudo types, encoded with the relation or the targets swapped).
{ .mii
	cmp.eq.and p6,p7=r4,r12
	cmp.ne.and p6,p7=r4,r12 ;;
	cmp.eq.or p6,p7=r3,r11
}
{ .mii
	cmp.ne.or p6,p7=r3,r11
	cmp.eq.or.andcm p6,p7=r9,r17 ;;
	cmp.ne.or.andcm p6,p7=r9,r17
}
{ .mii
	cmp.eq.andcm p16,p17=r2,r3
	cmp.ne.andcm p16,p17=r2,r3 ;;
	cmp.eq.orcm p16,p17=r2,r3 ;;
}
{ .mmi
	cmp.ne.orcm p16,p17=r2,r3 ;;
	cmp.eq.and.orcm p16,p17=r2,r3
	cmp.ne.and.orcm p16,p17=r2,r3
}
{ .mmi
	cmp4.eq.and p6,p7=r4,r12 ;;
	cmp4.ne.and p6,p7=r4,r12
	cmp4.eq.or p6,p7=r3,r11
}
{ .mmi
	cmp4.ne.or p6,p7=r3,r11 ;;
	cmp4.eq.or.andcm p6,p7=r9,r17
	cmp4.ne.or.andcm p6,p7=r9,r17 ;;
}
{ .mii
	cmp4.eq.andcm p16,p17=r2,r3
	cmp4.ne.andcm p16,p17=r2,r3
	cmp4.eq.orcm p16,p17=r2,r3
}
{ .mii
	cmp4.ne.orcm p16,p17=r2,r3
	cmp4.eq.and.orcm p16,p17=r2,r3
	cmp4.ne.and.orcm p16,p17=r2,r3
}

// A7 "Integer Compare to Zero - Register": parallel compares of r0 with
// r3 (gt, le, ge, lt).
{ .mii
	cmp.gt.and p4,p23=r0,r8
	cmp.le.and p4,p23=r0,r8
	cmp.ge.and p4,p23=r0,r8 ;;
}
{ .mii
	cmp.lt.and p4,p23=r0,r8
	cmp.gt.or p3,p22=r0,r7
	cmp.le.or p3,p22=r0,r7
}
{ .mmi
	cmp.ge.or p3,p22=r0,r7
	cmp.lt.or p3,p22=r0,r7
	cmp.gt.or.andcm p9,p28=r0,r13
}
{ .mii
	cmp.le.or.andcm p9,p28=r0,r13
	cmp.ge.or.andcm p9,p28=r0,r13 ;;
	cmp.lt.or.andcm p9,p28=r0,r13 ;;
}
{ .mii
	cmp.gt.andcm p6,p25=r0,r10
	cmp.le.andcm p6,p25=r0,r10 ;;
	cmp.ge.andcm p6,p25=r0,r10
}
{ .mii
	cmp.lt.andcm p6,p25=r0,r10
	cmp.gt.orcm p5,p24=r0,r9 ;;
	cmp.le.orcm p5,p24=r0,r9
}
{ .mii
	cmp.ge.orcm p5,p24=r0,r9
	cmp.lt.orcm p5,p24=r0,r9 ;;
	cmp.gt.and.orcm p9,p28=r0,r13 ;;
}
{ .mmi
	cmp.le.and.orcm p9,p28=r0,r13 ;;
	cmp.ge.and.orcm p9,p28=r0,r13
	cmp.lt.and.orcm p9,p28=r0,r13
}
{ .mmi
	cmp4.gt.and p4,p23=r0,r8 ;;
	cmp4.le.and p4,p23=r0,r8
	cmp4.ge.and p4,p23=r0,r8
}
{ .mmi
	cmp4.lt.and p4,p23=r0,r8 ;;
	cmp4.gt.or p3,p22=r0,r7
	cmp4.le.or p3,p22=r0,r7 ;;
}
{ .mii
	cmp4.ge.or p3,p22=r0,r7
	cmp4.lt.or p3,p22=r0,r7
	cmp4.gt.or.andcm p9,p28=r0,r13
}
{ .mii
	cmp4.le.or.andcm p9,p28=r0,r13
	cmp4.ge.or.andcm p9,p28=r0,r13
	cmp4.lt.or.andcm p9,p28=r0,r13
}
{ .mii
	cmp4.gt.andcm p6,p25=r0,r10
	cmp4.le.andcm p6,p25=r0,r10
	cmp4.ge.andcm p6,p25=r0,r10 ;;
}
{ .mii
	cmp4.lt.andcm p6,p25=r0,r10
	cmp4.gt.orcm p5,p24=r0,r9
	cmp4.le.orcm p5,p24=r0,r9
}
{ .mmi
	cmp4.ge.orcm p5,p24=r0,r9
	cmp4.lt.orcm p5,p24=r0,r9
	cmp4.gt.and.orcm p9,p28=r0,r13
}
{ .mii
	cmp4.le.and.orcm p9,p28=r0,r13
	cmp4.ge.and.orcm p9,p28=r0,r13 ;;
	cmp4.lt.and.orcm p9,p28=r0,r13 ;;
}

// A8 "Integer Compare - Immediate-Register": imm8 sign extension; le
// and gt are encoded as lt with imm - 1.
{ .mii
	cmp.eq p1,p30=-128,r8
	cmp.eq.unc p11,p40=3,r70 ;;
	cmp.ne p2,p31=127,r9
}
{ .mii
	cmp.ne.unc p12,p41=-3,r71
	cmp.lt p3,p32=0,r10 ;;
	cmp.lt.unc p13,p42=100,r72
}
{ .mii
	cmp.le p4,p33=7,r11
	cmp.le.unc p14,p43=2,r73 ;;
	cmp.gt p5,p34=100,r12 ;;
}
{ .mmi
	cmp.gt.unc p15,p44=9,r74 ;;
	cmp.ge p6,p35=-128,r13
	cmp.ge.unc p16,p45=3,r75
}
{ .mmi
	cmp.ltu p7,p36=127,r14 ;;
	cmp.ltu.unc p17,p46=-3,r76
	cmp.leu p8,p37=1,r15
}
{ .mmi
	cmp.leu.unc p18,p47=64,r77 ;;
	cmp.gtu p9,p38=7,r16
	cmp.gtu.unc p19,p48=2,r78 ;;
}
{ .mii
	cmp.geu p10,p39=5,r17
	cmp.geu.unc p20,p49=0,r79
	cmp.eq.and p12,p13=-128,r13
}
{ .mii
	cmp.ne.and p12,p13=127,r13
	cmp.eq.or p12,p13=-128,r12
	cmp.ne.or p12,p13=127,r12
}
{ .mii
	cmp.eq.or.andcm p12,p13=-128,r18
	cmp.ne.or.andcm p12,p13=127,r18
	cmp.eq.andcm p12,p13=-128,r15 ;;
}
{ .mii
	cmp.ne.andcm p12,p13=127,r15
	cmp.eq.orcm p12,p13=-128,r14
	cmp.ne.orcm p12,p13=127,r14
}
{ .mmi
	cmp.eq.and.orcm p12,p13=-128,r18
	cmp.ne.and.orcm p12,p13=127,r18
	cmp4.eq p1,p30=-128,r8
}
{ .mii
	cmp4.eq.unc p11,p40=3,r70
	cmp4.ne p2,p31=127,r9 ;;
	cmp4.ne.unc p12,p41=-3,r71 ;;
}
{ .mii
	cmp4.lt p3,p32=0,r10
	cmp4.lt.unc p13,p42=100,r72 ;;
	cmp4.le p4,p33=7,r11
}
{ .mii
	cmp4.le.unc p14,p43=2,r73
	cmp4.gt p5,p34=100,r12 ;;
	cmp4.gt.unc p15,p44=9,r74
}
{ .mii
	cmp4.ge p6,p35=-128,r13
	cmp4.ge.unc p16,p45=3,r75 ;;
	cmp4.ltu p7,p36=127,r14 ;;
}
{ .mmi
	cmp4.ltu.unc p17,p46=-3,r76 ;;
	cmp4.leu p8,p37=1,r15
	cmp4.leu.unc p18,p47=64,r77
}
{ .mmi
	cmp4.gtu p9,p38=7,r16 ;;
	cmp4.gtu.unc p19,p48=2,r78
	cmp4.geu p10,p39=5,r17
}
{ .mmi
	cmp4.geu.unc p20,p49=0,r79 ;;
	cmp4.eq.and p12,p13=-128,r13
	cmp4.ne.and p12,p13=127,r13 ;;
}
{ .mii
	cmp4.eq.or p12,p13=-128,r12
	cmp4.ne.or p12,p13=127,r12
	cmp4.eq.or.andcm p12,p13=-128,r18
}
{ .mii
	cmp4.ne.or.andcm p12,p13=127,r18
	cmp4.eq.andcm p12,p13=-128,r15
	cmp4.ne.andcm p12,p13=127,r15
}
{ .mii
	cmp4.eq.orcm p12,p13=-128,r14
	cmp4.ne.orcm p12,p13=127,r14
	cmp4.eq.and.orcm p12,p13=-128,r18 ;;
}
{ .mii
	cmp4.ne.and.orcm p12,p13=127,r18
	nop.i 0
	nop.i 0
}

// I16 "Test Bit": z/nz with the normal, unc and parallel types.
{ .mii
	nop.m 0
	tbit.z p2,p60=r16,13 ;;
	tbit.nz p2,p60=r29,26
}
{ .mii
	nop.m 0
	tbit.z.unc p6,p56=r44,41 ;;
	tbit.nz.unc p6,p56=r57,54 ;;
}
{ .mii
	nop.m 0
	tbit.z.and p6,p56=r44,41 ;;
	tbit.nz.and p6,p56=r57,54
}
{ .mii
	nop.m 0
	tbit.z.or p5,p57=r37,34 ;;
	tbit.nz.or p5,p57=r50,47
}
{ .mii
	nop.m 0
	tbit.z.or.andcm p11,p51=r15,12 ;;
	tbit.nz.or.andcm p11,p51=r28,25 ;;
}
{ .mii
	nop.m 0
	tbit.z.andcm p8,p54=r58,55
	tbit.nz.andcm p8,p54=r7,4
}
{ .mii
	nop.m 0
	tbit.z.orcm p7,p55=r51,48
	tbit.nz.orcm p7,p55=r64,61
}
{ .mii
	nop.m 0
	tbit.z.and.orcm p11,p51=r15,12
	tbit.nz.and.orcm p11,p51=r28,25 ;;
}
{ .mii
	nop.m 0
	tbit.z p1,p2=r127,0
	tbit.nz.unc p62,p63=r0,63
}

// I5 "Shift Right - Variable" and I7 "Shift Left - Variable".
{ .mii
	nop.m 0
	shr r1=r2,r3
	shr r127=r126,r0
}
{ .mii
	nop.m 0
	shr.u r4=r5,r6
	shr.u r32=r33,r34 ;;
}
{ .mii
	nop.m 0
	shl r7=r8,r9
	shl r40=r0,r41
}

// I11 "Extract" (shr/shr.u with an immediate count are extr with pos +
// len = 64) and I12 shl (dep.z with len = 64 - pos).
{ .mii
	nop.m 0
	shr r1=r2,1 ;;
	shr.u r3=r4,1
}
{ .mii
	nop.m 0
	shl r5=r6,1 ;;
	shr r7=r8,7 ;;
}
{ .mii
	nop.m 0
	shr.u r9=r10,7 ;;
	shl r11=r12,7
}
{ .mii
	nop.m 0
	shr r32=r33,32 ;;
	shr.u r34=r35,32
}
{ .mii
	nop.m 0
	shl r36=r37,32 ;;
	shr r63=r64,63 ;;
}
{ .mii
	nop.m 0
	shr.u r65=r66,63
	shl r67=r68,63
}
{ .mii
	nop.m 0
	extr r1=r1,0,1
	extr.u r2=r2,0,1
}
{ .mii
	nop.m 0
	extr r1=r64,0,64
	extr.u r2=r65,0,64 ;;
}
{ .mii
	nop.m 0
	extr r6=r7,5,7
	extr.u r7=r8,5,7
}
{ .mii
	nop.m 0
	extr r32=r32,31,32
	extr.u r33=r33,31,32
}
{ .mii
	nop.m 0
	extr r64=r1,63,1
	extr.u r65=r2,63,1 ;;
}
{ .mii
	nop.m 0
	extr r11=r20,10,20
	extr.u r12=r21,10,20
}
{ .mii
	nop.m 0
	extr r2=r63,1,63 ;;
	extr.u r3=r64,1,63
}

// I12/I13 "Zero and Deposit" (register and imm8), I14 "Deposit
// Immediate1", I15 "Deposit" (len 1..16).
{ .mii
	nop.m 0
	dep.z r3=r1,0,1 ;;
	dep.z r8=r7,5,7 ;;
}
{ .mii
	nop.m 0
	dep.z r66=r1,63,1 ;;
	dep.z r3=r64,0,64
}
{ .mii
	nop.m 0
	dep.z r23=r30,20,30 ;;
	dep.z r11=r56,8,56
}
{ .mii
	nop.m 0
	dep.z r4=-128,0,8 ;;
	dep.z r64=127,60,4 ;;
}
{ .mii
	nop.m 0
	dep.z r36=-1,32,32
	dep.z r7=5,3,9
}
{ .mii
	nop.m 0
	dep r10=-1,r7,5,7
	dep r5=0,r64,0,64
}
{ .mii
	nop.m 0
	dep r68=-1,r1,63,1
	dep r22=0,r30,17,30 ;;
}
{ .mii
	nop.m 0
	dep r11=r7,r16,5,7
	dep r6=r16,r25,0,16
}
{ .mii
	nop.m 0
	dep r69=r1,r10,63,1
	dep r46=r16,r25,40,16
}
{ .mii
	nop.m 0
	dep r7=r2,r11,1,2
	nop.i 0 ;;
}

// I29 "Sign/Zero Extend".
{ .mii
	nop.m 0
	zxt1 r1=r2
	zxt2 r3=r4
}
{ .mii
	nop.m 0
	zxt4 r5=r6 ;;
	sxt1 r7=r8
}
{ .mii
	nop.m 0
	sxt2 r9=r10 ;;
	sxt4 r11=r12 ;;
}
{ .mii
	nop.m 0
	zxt4 r127=r0 ;;
	sxt1 r32=r127
}

// I25 "Move from Predicates/IP", I23 "Move to Predicates - Register"
// (mask17, bit 0 implied 0), I24 "Move to Predicates - Immediate44".
{ .mii
	nop.m 0
	mov r1=ip ;;
	mov r127=ip
}
{ .mii
	nop.m 0
	mov r2=pr ;;
	mov r40=pr ;;
}
{ .mii
	nop.m 0
	mov pr=r3,-1
	mov pr=r4,0x1234
}
{ .mii
	nop.m 0
	mov pr=r5,0x1fffe
	mov pr=r6,-65536
}
{ .mii
	nop.m 0
	mov pr=r7
	mov pr.rot=0x10000 ;;
}
{ .mii
	nop.m 0
	mov pr.rot=-65536
	mov pr.rot=0x7fffff0000
}
{ .mii
	nop.m 0
	mov pr.rot=-0x80000000000
	nop.i 0
}
mov_br_tag:

// I21 "Move to BR" with whether/importance/return hints and tag; I22
// "Move from BR".
{ .mii
	nop.m 0
	mov b0=r1
	mov b7=r127 ;;
}
{ .mii
	nop.m 0
	mov b6=r2
	mov.sptk b1=r2,mov_br_tag
}
{ .mii
	nop.m 0
	mov.dptk b2=r3,mov_br_tag ;;
	mov.imp b3=r4,mov_br_tag
}
{ .mii
	nop.m 0
	mov.sptk.imp b4=r5,mov_br_tag ;;
	mov.ret b5=r6,mov_br_tag ;;
}
{ .mii
	nop.m 0
	mov.ret.sptk b6=r7,mov_br_tag ;;
	mov.ret.dptk.imp b7=r8,mov_br_tag
}
{ .mii
	nop.m 0
	mov r1=b0 ;;
	mov r2=b7
}
{ .mii
	nop.m 0
	mov r127=b3 ;;
	nop.i 0 ;;
}

// I26/I27/I28 "Move to/from AR (I-Unit)".
{ .mii
	nop.m 0
	mov.i ar.pfs=r1
	mov.i ar.lc=r2
}
{ .mii
	nop.m 0
	mov.i ar.ec=r3
	mov ar.lc=r127
}
{ .mii
	nop.m 0
	mov.i ar.pfs=-128
	mov.i ar.lc=127 ;;
}
{ .mii
	nop.m 0
	mov.i ar.ec=0
	mov.i r4=ar.pfs
}
{ .mii
	nop.m 0
	mov.i r5=ar.lc
	mov r6=ar.ec
}
{ .mii
	nop.m 0
	mov.i r7=ar.lc
	nop.i 0 ;;
}

// I19 "Break/Nop (I-Unit)": imm21 = i:imm20a.
{ .mii
	nop.m 0
	nop.i 0
	nop.i 0x1fffff
}
{ .mii
	nop.m 0
	nop.i 0x12345 ;;
	break.i 0
}
{ .mii
	nop.m 0
	break.i 0x1fffff ;;
	break.i 0x80000 ;;
}
{ .mii
	nop.m 0
	(p7) break.i 1 ;;
	(p63) nop.i 2
}

// Qualifying predicates p1-p63.
{ .mii
	(p1) add r1=r2,r3
	(p63) adds r2=-5,r3 ;;
	(p6) cmp.eq p1,p2=r3,r4
}
{ .mii
	(p7) mov r1=r2
	(p15) addl r9=-1,r2 ;;
	(p2) shl r1=r2,r3 ;;
}
{ .mmi
	nop.m 0 ;;
	nop.m 0
	(p3) tbit.z p4,p5=r6,7
}
	.endp corpus_int
