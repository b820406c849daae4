/*
 * x86_sys.c - the system half of the x86 executor: segment loads, far
 * control transfers, descriptor-table and control-register instructions,
 * MSRs, CPUID, TSC, port I/O, SYSCALL/SYSRET, SYSENTER/SYSEXIT, IRET, and
 * delivery of exceptions and interrupts through the IDT.
 *
 * Follows Intel SDM (325383-080, June 2023):
 *   - Vol. 2, each instruction's Operation and Protected Mode / 64-Bit
 *     Mode Exceptions (MOV Sreg, PUSH/POP Sreg, JMP/CALL/RET far, IRET,
 *     LGDT ... LTR, SGDT ... STR, SMSW, LMSW, CLTS, LAR, LSL, VERR, VERW,
 *     MOV CRn, MOV DRn, RDMSR, WRMSR, CPUID, RDTSC, RDTSCP, RDPMC, HLT,
 *     IN, OUT, INS, OUTS, CLI, STI, INT n, INT3, INTO, SYSCALL, SYSRET,
 *     SYSENTER, SYSEXIT, INVLPG, INVPCID, WBINVD, INVD, SWAPGS, MONITOR,
 *     MWAIT, XSETBV, XGETBV);
 *   - Vol. 3A "Segment Descriptors", "Segment Loading Instructions in
 *     IA-32e Mode", "Interrupt Descriptor Table", "Exception and Interrupt
 *     Handling in 64-bit Mode" (16-byte gates, IST, 16-byte stack
 *     alignment, SS:RSP always pushed), "Stack Switching", "Control
 *     Registers", "Invalidation of TLBs and Paging-Structure Caches".
 *
 * Order of effects: every handler reads and checks everything first
 * (descriptors, stack images), then writes memory, then commits registers,
 * so a fault leaves the core as it was (a delivery that faults half-way
 * through pushing its frame leaves the stack bytes it wrote).
 *
 * Not modelled (the instruction raises the exception shown, and the
 * limitation is listed in docs/x86-runtime.md):
 *   - call gates and task gates/task switches: far CALL/JMP to a system
 *     descriptor, IRET with NT = 1 outside 64-bit mode, task gates in the
 *     IDT: #GP(selector) / #GP(0);
 *   - 16-bit interrupt and trap gates, returns to virtual-8086 mode,
 *     leaving protected mode (MOV CR0 with PE = 0) and paging outside long
 *     mode (MOV CR0 with PG = 1 while EFER.LME = 0): #GP(0);
 *   - debug breakpoints (DR0-DR7 hold values; DR7.GD does not trap);
 *   - performance counters: RDPMC of counters 0-3 and fixed 0-2 reads 0;
 *   - the TSS I/O permission bitmap (CPL > IOPL always faults).
 */
#include "x86_exec_int.h"

#include <string.h>

#define XS_SEL_MASK 0xfffcu             /* selector without RPL */
#define XS_TYPE(d)  ((unsigned)((d) >> 40) & 0xfu)
#define XS_S(d)     (((d) >> 44) & 1u)
#define XS_DPL(d)   ((unsigned)((d) >> 45) & 3u)
#define XS_P(d)     (((d) >> 47) & 1u)
#define XS_L(d)     (((d) >> 53) & 1u)
#define XS_DB(d)    (((d) >> 54) & 1u)

/* Code/data type bits (S = 1): 8 code, 4 conforming (code) / expand-down
 * (data), 2 readable (code) / writable (data), 1 accessed. */
#define XS_CODE     8u
#define XS_CONF     4u
#define XS_RW       2u

static int xs_gp(struct xe *x, uint32_t err)
{
    return xe_raise(x->r, X86_VEC_GP, true, err);
}

static unsigned xs_iopl(const struct x86_cpu *c)
{
    return (unsigned)(c->rflags >> 12) & 3;
}

/* Supervisor-implicit memory accesses (descriptor tables, TSS). */
static int xs_sys_load(struct xe *x, uint64_t la, unsigned size, uint64_t *v)
{
    bool sup = x->sup;
    int rc;

    x->sup = true;
    rc = xe_load(x, X86_REG_DS, la, size, v);
    x->sup = sup;
    return rc;
}

static int xs_sys_store(struct xe *x, uint64_t la, unsigned size, uint64_t v)
{
    bool sup = x->sup;
    int rc;

    x->sup = true;
    rc = xe_store(x, X86_REG_DS, la, size, v);
    x->sup = sup;
    return rc;
}

/* Address of the descriptor of `sel` in the GDT or LDT, or -1 when the
 * selector is outside the table (or names the LDT while LDTR is null). */
static int xs_desc_addr(const struct x86_cpu *c, uint16_t sel, unsigned len,
                        uint64_t *addr)
{
    uint64_t base;
    uint32_t limit;
    uint32_t idx = sel & 0xfff8u;

    if (sel & 4) {
        if (c->ldtr.attr & X86_SEG_ATTR_UNUSABLE) {
            return -1;
        }
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    if (idx + len - 1 > limit) {
        return -1;
    }
    *addr = base + idx;
    return 0;
}

/* Read the 8-byte descriptor of `sel`; #GP(sel | ext) outside the table. */
static int xs_desc(struct xe *x, uint16_t sel, uint32_t ext, uint64_t *d,
                   uint64_t *addr)
{
    if (xs_desc_addr(x->c, sel, 8, addr) != 0) {
        return xs_gp(x, (sel & XS_SEL_MASK) | ext);
    }
    return xs_sys_load(x, *addr, 8, d);
}

/* Segment register contents from a descriptor (SDM Vol. 3A "Segment
 * Descriptors": base 15:0 at 31:16, 23:16 at 39:32, 31:24 at 63:56; limit
 * 15:0 at 15:0, 19:16 at 51:48; access byte at 47:40, flags at 55:52). */
static void xs_unpack(uint64_t d, uint16_t sel, struct x86_seg *s)
{
    uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));

    s->sel = sel;
    s->base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000ull);
    s->attr = (uint32_t)((d >> 40) & 0xff) | (uint32_t)((d >> 40) & 0xf000);
    if (s->attr & X86_SEG_ATTR_G) {
        limit = (limit << 12) | 0xfff;
    }
    s->limit = limit;
}

/* Set the accessed bit of a code/data descriptor that lacks it (SDM Vol.
 * 3A "Code- and Data-Segment Descriptor Types"). */
static int xs_touch(struct xe *x, uint64_t d, uint64_t addr)
{
    if (!XS_S(d) || (d & (1ull << 40))) {
        return 0;
    }
    return xs_sys_store(x, addr + 5, 1, ((d >> 40) & 0xff) | 1);
}

static void xs_null_seg(struct x86_seg *s, uint16_t sel, unsigned dpl)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0;
    s->attr = X86_SEG_ATTR_UNUSABLE | (dpl << 5);
}

/*
 * Checks of a data-segment or stack-segment load at privilege `cpl` (SDM
 * MOV "Protected Mode Exceptions", Vol. 3A "Segment Loading Instructions
 * in IA-32e Mode").  On success *seg holds the new register contents and
 * the descriptor's accessed bit is set.
 */
static int xs_check_data(struct xe *x, unsigned k, uint16_t sel,
                         unsigned cpl, struct x86_seg *seg)
{
    const struct x86_cpu *c = x->c;
    unsigned rpl = sel & 3;
    uint64_t d, addr;
    unsigned type, dpl;

    if ((sel & XS_SEL_MASK) == 0) {
        if (k == X86_SEG_SS &&
            !(xe_mode64(c) && cpl != 3 && rpl == cpl)) {
            return xs_gp(x, 0);
        }
        xs_null_seg(seg, sel, k == X86_SEG_SS ? cpl : 0);
        return 0;
    }
    if (xs_desc(x, sel, 0, &d, &addr)) {
        return XE_FAULT;
    }
    type = XS_TYPE(d);
    dpl = XS_DPL(d);
    if (k == X86_SEG_SS) {
        if (rpl != cpl || !XS_S(d) || (type & (XS_CODE | XS_RW)) != XS_RW ||
            dpl != cpl) {
            return xs_gp(x, sel & XS_SEL_MASK);
        }
        if (!XS_P(d)) {
            return xe_raise(x->r, X86_VEC_SS, true, sel & XS_SEL_MASK);
        }
    } else {
        if (!XS_S(d) || ((type & XS_CODE) && !(type & XS_RW))) {
            return xs_gp(x, sel & XS_SEL_MASK);
        }
        if ((!(type & XS_CODE) || !(type & XS_CONF)) &&
            (dpl < cpl || dpl < rpl)) {
            return xs_gp(x, sel & XS_SEL_MASK);
        }
        if (!XS_P(d)) {
            return xe_raise(x->r, X86_VEC_NP, true, sel & XS_SEL_MASK);
        }
    }
    if (xs_touch(x, d, addr)) {
        return XE_FAULT;
    }
    xs_unpack(d | (1ull << 40), sel, seg);
    return 0;
}

static int xs_load_data(struct xe *x, unsigned k, uint16_t sel)
{
    struct x86_seg s;

    if (xs_check_data(x, k, sel, x->c->cpl, &s)) {
        return XE_FAULT;
    }
    if (xe_mode64(x->c) && (k == X86_SEG_FS || k == X86_SEG_GS)) {
        /* The 64-bit base stays where WRMSR put it when the selector is
         * null; a descriptor supplies a 32-bit base. */
        if (s.attr & X86_SEG_ATTR_UNUSABLE) {
            s.base = x->c->seg[k].base;
        }
    }
    x->c->seg[k] = s;
    return 0;
}

/*
 * Checks of a code-segment load by a far JMP/CALL (same privilege; call
 * gates not modelled) or by a far RET/IRET to privilege `rpl` (SDM JMP,
 * RET, IRET "Protected Mode Exceptions").  `ret`: RET/IRET rules.
 */
static int xs_check_code(struct xe *x, uint16_t sel, bool ret, uint32_t ext,
                         uint64_t *d)
{
    const struct x86_cpu *c = x->c;
    unsigned rpl = sel & 3;
    uint64_t addr;
    unsigned type, dpl;

    if ((sel & XS_SEL_MASK) == 0) {
        return xs_gp(x, ext);
    }
    if (xs_desc(x, sel, ext, d, &addr)) {
        return XE_FAULT;
    }
    type = XS_TYPE(*d);
    dpl = XS_DPL(*d);
    if (!XS_S(*d) || !(type & XS_CODE)) {
        /* System descriptors (call gates, TSS) are not modelled. */
        return xs_gp(x, (sel & XS_SEL_MASK) | ext);
    }
    if (ret) {
        if (rpl < c->cpl || ((type & XS_CONF) ? dpl > rpl : dpl != rpl)) {
            return xs_gp(x, (sel & XS_SEL_MASK) | ext);
        }
    } else if ((type & XS_CONF) ? dpl > c->cpl
                                : (rpl > c->cpl || dpl != c->cpl)) {
        return xs_gp(x, (sel & XS_SEL_MASK) | ext);
    }
    if (!XS_P(*d)) {
        return xe_raise(x->r, X86_VEC_NP, true, (sel & XS_SEL_MASK) | ext);
    }
    if ((c->efer & X86_EFER_LMA) && XS_L(*d) && XS_DB(*d)) {
        return xs_gp(x, (sel & XS_SEL_MASK) | ext);
    }
    return xs_touch(x, *d, addr);
}

static void xs_set_cs(struct x86_cpu *c, uint64_t d, uint16_t sel,
                      unsigned cpl)
{
    xs_unpack(d | (1ull << 40), (uint16_t)((sel & XS_SEL_MASK) | cpl),
              &c->seg[X86_SEG_CS]);
    c->cpl = (uint8_t)cpl;
    x86_cpu_sync_mode(c);
}

/* A target RIP in the mode the new CS selects. */
static int xs_check_rip(struct xe *x, uint64_t d, uint64_t *rip)
{
    if ((x->c->efer & X86_EFER_LMA) && XS_L(d)) {
        if (!xe_canonical_c(x->c, *rip)) {
            return xs_gp(x, 0);
        }
    } else {
        *rip &= XS_DB(d) ? 0xffffffffull : 0xffffull;
    }
    return 0;
}

/* After a return to an outer level, data segments the new CPL may not use
 * become null (SDM RET/IRET "Operation", RETURN-TO-OUTER-PRIVILEGE-LEVEL). */
static void xs_scrub_segs(struct x86_cpu *c)
{
    static const unsigned ks[] = { X86_SEG_ES, X86_SEG_DS, X86_SEG_FS,
                                   X86_SEG_GS };
    unsigned n;

    for (n = 0; n < 4; n++) {
        struct x86_seg *s = &c->seg[ks[n]];
        unsigned type = s->attr & 0xf;

        if (s->attr & X86_SEG_ATTR_UNUSABLE) {
            continue;
        }
        if ((!(type & XS_CODE) || !(type & XS_CONF)) &&
            X86_SEG_DPL(s->attr) < c->cpl) {
            uint64_t base = s->base;

            xs_null_seg(s, 0, 0);
            if (xe_mode64(c) && (ks[n] == X86_SEG_FS || ks[n] == X86_SEG_GS)) {
                s->base = base;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Segment registers                                                   */
/* ------------------------------------------------------------------ */

static unsigned xs_sreg(const struct x86_operand *o)
{
    return (unsigned)o->reg - X86_REG_ES;
}

static int xs_mov_to_sreg(struct xe *x)
{
    unsigned k = xs_sreg(&x->i->opnd[0]);
    uint64_t v;

    if (k >= X86_SEG__COUNT || k == X86_SEG_CS) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (xe_opnd_read(x, &x->i->opnd[1], &v) ||
        xs_load_data(x, k, (uint16_t)v)) {
        return XE_FAULT;
    }
    if (k == X86_SEG_SS) {
        x->c->shadow = X86_SHADOW_MOVSS;
    }
    return 0;
}

static int xs_mov_from_sreg(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    unsigned k = xs_sreg(&x->i->opnd[1]);

    if (k >= X86_SEG__COUNT) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    /* A register destination gets the zero-extended selector, memory
     * 16 bits (SDM MOV, "MOV from segment register"). */
    return xe_opnd_write(x, d, x->c->seg[k].sel);
}

static int xs_push_sreg(struct xe *x)
{
    unsigned k = xs_sreg(&x->i->opnd[0]);
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP] - n;

    if (k >= X86_SEG__COUNT) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (xe_store(x, X86_REG_SS, sp, n, x->c->seg[k].sel)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp);
    return 0;
}

static int xs_pop_sreg(struct xe *x)
{
    unsigned k = xs_sreg(&x->i->opnd[0]);
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP];
    uint64_t v;

    if (k >= X86_SEG__COUNT || k == X86_SEG_CS) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (xe_load(x, X86_REG_SS, sp, n, &v) ||
        xs_load_data(x, k, (uint16_t)v)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp + n);
    if (k == X86_SEG_SS) {
        x->c->shadow = X86_SHADOW_MOVSS;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Far transfers and IRET                                              */
/* ------------------------------------------------------------------ */

/* The far pointer operand: ptr16:16/32 immediate or m16:16/32/64. */
static int xs_far_ptr(struct xe *x, uint16_t *sel, uint64_t *off)
{
    const struct x86_operand *o = &x->i->opnd[0];
    unsigned n = x->i->osize / 8;
    uint64_t la, v;

    if (o->kind == X86_OPND_PTR) {
        *sel = o->u.ptr.sel;
        *off = o->u.ptr.offset;
        return 0;
    }
    if (o->kind != X86_OPND_MEM) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    la = xe_linear(x, &o->u.mem);
    if (xe_load(x, o->u.mem.seg, la, n, off) ||
        xe_load(x, o->u.mem.seg, la + n, 2, &v)) {
        return XE_FAULT;
    }
    *sel = (uint16_t)v;
    return 0;
}

static int xs_jmp_far(struct xe *x)
{
    uint16_t sel;
    uint64_t off, d;

    if (xs_far_ptr(x, &sel, &off) || xs_check_code(x, sel, false, 0, &d) ||
        xs_check_rip(x, d, &off)) {
        return XE_FAULT;
    }
    xs_set_cs(x->c, d, sel, x->c->cpl);
    x->next = off;
    return 0;
}

static int xs_call_far(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned n = x->i->osize / 8;
    uint64_t sp = c->gpr[X86_REG_RSP];
    uint16_t sel;
    uint64_t off, d;

    if (xs_far_ptr(x, &sel, &off) || xs_check_code(x, sel, false, 0, &d) ||
        xs_check_rip(x, d, &off)) {
        return XE_FAULT;
    }
    if (xe_store(x, X86_REG_SS, sp - n, n, c->seg[X86_SEG_CS].sel) ||
        xe_store(x, X86_REG_SS, sp - 2 * n, n, x->next)) {
        return XE_FAULT;
    }
    xe_set_sp(c, sp - 2 * n);
    xs_set_cs(c, d, sel, c->cpl);
    x->next = off;
    return 0;
}

/*
 * Return through a far RET (iret = false) or IRET: the stack holds RIP,
 * CS[, RFLAGS] and, on a return to an outer level (always for IRET in
 * 64-bit mode), RSP and SS, each `n` bytes.
 */
static int xs_far_return(struct xe *x, bool iret)
{
    struct x86_cpu *c = x->c;
    unsigned n = x->i->osize / 8;
    uint64_t sp = c->gpr[X86_REG_RSP];
    uint64_t extra = 0;
    uint64_t rip, cs, fl = 0, nsp = 0, ss = 0, d;
    unsigned slot = 0, rpl;
    bool outer, pop_ss;
    struct x86_seg nss;

    if (!iret && x->i->nops > 0 && x->i->opnd[0].kind == X86_OPND_IMM) {
        extra = x->i->opnd[0].u.imm & 0xffff;
    }
    if (iret && (c->rflags & X86_RFLAGS_NT)) {
        /* IA-32e mode: #GP(0); legacy mode: a task return (not
         * modelled). */
        return xs_gp(x, 0);
    }
    if (xe_load(x, X86_REG_SS, sp, n, &rip) ||
        xe_load(x, X86_REG_SS, sp + n, n, &cs)) {
        return XE_FAULT;
    }
    slot = 2;
    if (iret) {
        if (xe_load(x, X86_REG_SS, sp + 2 * n, n, &fl)) {
            return XE_FAULT;
        }
        slot = 3;
        if ((fl & X86_RFLAGS_VM) && c->cpl == 0 && !xe_mode64(c)) {
            return xs_gp(x, 0);     /* virtual-8086 mode: not modelled */
        }
    }
    rpl = (unsigned)cs & 3;
    outer = rpl > c->cpl;
    pop_ss = outer || (iret && xe_mode64(c));
    if (pop_ss) {
        uint64_t at = sp + slot * n + (iret ? 0 : extra);

        if (xe_load(x, X86_REG_SS, at, n, &nsp) ||
            xe_load(x, X86_REG_SS, at + n, n, &ss)) {
            return XE_FAULT;
        }
    }
    if (xs_check_code(x, (uint16_t)cs, true, 0, &d) ||
        xs_check_rip(x, d, &rip)) {
        return XE_FAULT;
    }
    if (pop_ss && xs_check_data(x, X86_SEG_SS, (uint16_t)ss, rpl, &nss)) {
        return XE_FAULT;
    }
    /* Commit. */
    if (iret) {
        /* SDM IRET: IOPL changes only at CPL 0, IF only when CPL <= IOPL,
         * VIF/VIP only at CPL 0; VM is never set from 64-bit or protected
         * mode here. */
        uint64_t mask = X86_FL_ARITH | X86_RFLAGS_TF | X86_RFLAGS_DF |
                        X86_RFLAGS_NT | X86_RFLAGS_RF | X86_RFLAGS_AC |
                        X86_RFLAGS_ID;

        if (c->cpl <= xs_iopl(c)) {
            mask |= X86_RFLAGS_IF;
        }
        if (c->cpl == 0) {
            mask |= X86_RFLAGS_IOPL | X86_RFLAGS_VIF | X86_RFLAGS_VIP;
        }
        if (n == 2) {
            mask &= 0xffff;
        }
        c->rflags = (c->rflags & ~mask) | (fl & mask) | X86_RFLAGS_FIXED;
    }
    xs_set_cs(c, d, (uint16_t)cs, rpl);
    if (pop_ss) {
        c->seg[X86_SEG_SS] = nss;
        sp = nsp + (iret ? 0 : extra);
    } else {
        sp += slot * n + extra;
    }
    if (xe_mode64(c)) {
        c->gpr[X86_REG_RSP] = sp;
    } else {
        xe_set_sp(c, sp);
    }
    if (outer) {
        xs_scrub_segs(c);
    }
    x->next = rip;
    return 0;
}

static int xs_ret_far(struct xe *x)
{
    return xs_far_return(x, false);
}

static int xs_iret(struct xe *x)
{
    return xs_far_return(x, true);
}

/* ------------------------------------------------------------------ */
/* Event delivery                                                      */
/* ------------------------------------------------------------------ */

int xs_deliver(struct xe *x, unsigned vec, bool has_error, uint32_t err,
               bool soft, bool ext, uint64_t ret_rip)
{
    struct x86_cpu *c = x->c;
    bool lm = (c->efer & X86_EFER_LMA) != 0;
    unsigned gsz = lm ? 16 : 8;
    uint32_t extb = soft ? 0 : 1;
    uint32_t idt_err = vec * 8 + 2 + extb;
    uint64_t lo, hi = 0, d, off, sp, fl;
    unsigned type, ncpl, ist = 0, n = lm ? 8 : 4, k = 0;
    uint16_t sel;
    bool sw;
    struct x86_seg nss;
    uint64_t frame[6];
    int rc;

    (void)ext;
    if (!(c->cr0 & X86_CR0_PE)) {
        return -1;                      /* real mode: not modelled */
    }
    if ((uint32_t)vec * gsz + gsz - 1 > c->idtr.limit) {
        return xs_gp(x, idt_err);
    }
    if (xs_sys_load(x, c->idtr.base + (uint64_t)vec * gsz, 8, &lo) ||
        (lm && xs_sys_load(x, c->idtr.base + (uint64_t)vec * gsz + 8, 8,
                           &hi))) {
        return XE_FAULT;
    }
    /* SDM Vol. 3A "IDT Descriptors": interrupt gate 0xE, trap gate 0xF
     * (S = 0); task gates (5) and 16-bit gates are not modelled. */
    type = (unsigned)(lo >> 40) & 0x1f;
    if (type != 0xe && type != 0xf) {
        return xs_gp(x, idt_err);
    }
    if (soft && XS_DPL(lo) < c->cpl) {
        return xs_gp(x, idt_err);
    }
    if (!XS_P(lo)) {
        return xe_raise(x->r, X86_VEC_NP, true, idt_err);
    }
    sel = (uint16_t)(lo >> 16);
    off = (lo & 0xffff) | ((lo >> 32) & 0xffff0000ull) | (hi << 32);
    if (lm) {
        ist = (unsigned)(lo >> 32) & 7;
    }
    if ((sel & XS_SEL_MASK) == 0) {
        return xs_gp(x, extb);
    }
    {
        uint64_t addr;

        if (xs_desc(x, sel, extb, &d, &addr)) {
            return XE_FAULT;
        }
    }
    if (!XS_S(d) || !(XS_TYPE(d) & XS_CODE) || XS_DPL(d) > c->cpl ||
        (lm && (!XS_L(d) || XS_DB(d)))) {
        return xs_gp(x, (sel & XS_SEL_MASK) | extb);
    }
    if (!XS_P(d)) {
        return xe_raise(x->r, X86_VEC_NP, true, (sel & XS_SEL_MASK) | extb);
    }
    ncpl = (XS_TYPE(d) & XS_CONF) ? c->cpl : XS_DPL(d);
    sw = ncpl < c->cpl || ist != 0;
    sp = c->gpr[X86_REG_RSP];
    nss = c->seg[X86_SEG_SS];
    if (sw && lm) {
        /* 64-bit TSS: RSP0-2 at 4 + 8 * CPL, IST1-7 at 0x24 + 8 * (n-1). */
        uint32_t at = ist ? 0x24 + 8 * (ist - 1) : 4 + 8 * ncpl;

        if (at + 7 > c->tr.limit) {
            return xe_raise(x->r, X86_VEC_TS, true,
                            (c->tr.sel & XS_SEL_MASK) | extb);
        }
        if (xs_sys_load(x, c->tr.base + at, 8, &sp)) {
            return XE_FAULT;
        }
        if (ncpl < c->cpl) {
            xs_null_seg(&nss, (uint16_t)ncpl, ncpl);
        }
    } else if (sw) {
        /* 32-bit TSS: ESPn at 4 + 8 * n, SSn at 8 + 8 * n. */
        uint32_t at = 4 + 8 * ncpl;
        uint64_t ss;

        if (at + 5 > c->tr.limit) {
            return xe_raise(x->r, X86_VEC_TS, true,
                            (c->tr.sel & XS_SEL_MASK) | extb);
        }
        if (xs_sys_load(x, c->tr.base + at, 4, &sp) ||
            xs_sys_load(x, c->tr.base + at + 4, 2, &ss)) {
            return XE_FAULT;
        }
        if (xs_check_data(x, X86_SEG_SS, (uint16_t)ss, ncpl, &nss)) {
            if (x->r->vector == X86_VEC_GP) {
                x->r->vector = X86_VEC_TS;
                x->r->error_code = ((uint32_t)ss & XS_SEL_MASK) | extb;
            }
            return XE_FAULT;
        }
    }
    /* The frame, pushed from the top: [SS, RSP,] RFLAGS, CS, RIP[, error]
     * (64-bit mode always pushes SS:RSP and aligns RSP to 16 bytes). */
    if (lm || sw) {
        frame[k++] = c->seg[X86_SEG_SS].sel;
        frame[k++] = c->gpr[X86_REG_RSP];
    }
    frame[k++] = c->rflags;
    frame[k++] = c->seg[X86_SEG_CS].sel;
    frame[k++] = ret_rip;
    if (has_error) {
        frame[k++] = err;
    }
    if (lm) {
        sp &= ~15ull;
    } else {
        sp &= 0xffffffffull;
    }
    {
        bool sup = x->sup;
        unsigned cpl = c->cpl;
        unsigned j;

        x->sup = ncpl < 3;
        c->cpl = (uint8_t)ncpl;     /* pushes are at the new privilege */
        rc = 0;
        for (j = 0; j < k && rc == 0; j++) {
            uint64_t la = sp - (uint64_t)(j + 1) * n;

            if (!lm) {
                la = (la & 0xffffffffull) + nss.base;
            }
            rc = xe_store(x, X86_REG_SS, la, n, frame[j]);
        }
        c->cpl = (uint8_t)cpl;
        x->sup = sup;
        if (rc != 0) {
            return XE_FAULT;
        }
    }
    if (lm && !xe_canonical_c(c, off)) {
        return xs_gp(x, extb);
    }
    /* Commit (SDM Vol. 3A "Exception- or Interrupt-Handler Procedures"):
     * TF, VM, RF and NT clear; an interrupt gate also clears IF. */
    fl = c->rflags & ~(uint64_t)(X86_RFLAGS_TF | X86_RFLAGS_VM |
                                 X86_RFLAGS_RF | X86_RFLAGS_NT);
    if (type == 0xe) {
        fl &= ~(uint64_t)X86_RFLAGS_IF;
    }
    c->rflags = fl;
    c->seg[X86_SEG_SS] = nss;
    xs_set_cs(c, d, sel, ncpl);
    c->gpr[X86_REG_RSP] = sp - (uint64_t)k * n;
    if (!lm) {
        c->gpr[X86_REG_RSP] &= 0xffffffffull;
        off &= XS_DB(d) ? 0xffffffffull : 0xffffull;
    }
    c->rip = off;
    c->halt = X86_RUNNING;
    return 0;
}

/* INT n, INT3, INTO: software interrupts (SDM INT n/INTO/INT3/INT1). */
static int xs_int(struct xe *x)
{
    unsigned vec;
    int rc;

    switch (x->i->op) {
    case X86_OP_INT3:
        vec = X86_VEC_BP;
        break;
    case X86_OP_INTO:
        if (!(x->c->rflags & X86_FL_OF)) {
            return 0;
        }
        vec = X86_VEC_OF;
        break;
    default:
        vec = (unsigned)x->i->opnd[0].u.imm & 0xff;
        break;
    }
    if (x->c->nonroot && x->i->op != X86_OP_INT &&
        xs_virt_event(x->c, X86_VIRT_EXCEPTION, vec, false, 0, true, x->next,
                      0, x->r) == X86_VIRT_SWITCHED) {
        x->r->switched = 1;         /* #BP/#OF in the exception bitmap */
        return XE_DONE;
    }
    /* Under delivery until it completes; a fault or EPT exit of the
     * delivery leaves it for the exit to report (x86_step clears it). */
    x->c->vectoring.valid = true;
    x->c->vectoring.vector = (uint8_t)vec;
    x->c->vectoring.type = x->i->op == X86_OP_INT ? X86_EVENT_SWINT
                                                  : X86_EVENT_SWEXC;
    x->c->vectoring.has_error = false;
    x->c->vectoring.error_code = 0;
    x->c->vectoring.len = x->i->length;
    rc = xs_deliver(x, vec, false, 0, true, false, x->next);
    if (rc < 0) {
        x->c->vectoring.valid = false;
        return xs_gp(x, 0);
    }
    if (rc != 0) {
        return XE_FAULT;
    }
    x->c->vectoring.valid = false;
    x->c->st.delivered++;
    x->next = x->c->rip;
    return 0;
}

/* ------------------------------------------------------------------ */
/* SYSCALL / SYSRET / SYSENTER / SYSEXIT                               */
/* ------------------------------------------------------------------ */

/* SDM SYSCALL (Intel: 64-bit mode only). */
static int xs_syscall(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint16_t sel = (uint16_t)(c->star >> 32) & XS_SEL_MASK;

    if (!xe_mode64(c) || !(c->efer & X86_EFER_SCE)) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    c->gpr[X86_REG_RCX] = x->next;
    c->gpr[X86_REG_R11] = c->rflags & ~(uint64_t)X86_RFLAGS_RF;
    c->rflags = (c->rflags & ~(c->sfmask | X86_RFLAGS_RF)) |
                X86_RFLAGS_FIXED;
    xe_flat_seg(&c->seg[X86_SEG_CS], sel, 0xb, 0, X86_SEG_ATTR_L);
    xe_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)(sel + 8), 0x3, 0,
                X86_SEG_ATTR_DB);
    c->cpl = 0;
    x86_cpu_sync_mode(c);
    x->next = c->lstar;
    return 0;
}

/* SDM SYSRET: #UD unless 64-bit mode with EFER.SCE; #GP(0) at CPL > 0 or
 * (64-bit form) a non-canonical RCX. */
static int xs_sysret(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint16_t base = (uint16_t)(c->star >> 48);
    bool w = x->i->osize == 64;
    uint64_t rip = c->gpr[X86_REG_RCX];

    if (!xe_mode64(c) || !(c->efer & X86_EFER_SCE)) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (c->cpl != 0 || (w && !xe_canonical_c(c, rip))) {
        return xs_gp(x, 0);
    }
    c->rflags = (c->gpr[X86_REG_R11] & 0x3c7fd7ull) | X86_RFLAGS_FIXED;
    if (w) {
        xe_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)((base + 16) | 3), 0xb,
                    3, X86_SEG_ATTR_L);
    } else {
        xe_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)(base | 3), 0xb, 3,
                    X86_SEG_ATTR_DB);
        rip &= 0xffffffffull;
    }
    /* SS keeps its cached attributes except the selector and DPL. */
    c->seg[X86_SEG_SS].sel = (uint16_t)((base + 8) | 3);
    c->seg[X86_SEG_SS].attr = (c->seg[X86_SEG_SS].attr & ~0x60u &
                               ~X86_SEG_ATTR_UNUSABLE) | (3u << 5);
    c->cpl = 3;
    x86_cpu_sync_mode(c);
    x->next = rip;
    return 0;
}

/* SDM SYSENTER: #GP(0) if IA32_SYSENTER_CS[15:2] = 0. */
static int xs_sysenter(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint16_t sel = (uint16_t)c->sysenter_cs & XS_SEL_MASK;
    bool lm = (c->efer & X86_EFER_LMA) != 0;

    if (sel == 0) {
        return xs_gp(x, 0);
    }
    c->rflags &= ~(uint64_t)(X86_RFLAGS_VM | X86_RFLAGS_IF | X86_RFLAGS_RF);
    xe_flat_seg(&c->seg[X86_SEG_CS], sel, 0xb, 0,
                lm ? X86_SEG_ATTR_L : X86_SEG_ATTR_DB);
    xe_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)(sel + 8), 0x3, 0,
                X86_SEG_ATTR_DB);
    c->cpl = 0;
    x86_cpu_sync_mode(c);
    c->gpr[X86_REG_RSP] = lm ? c->sysenter_esp
                             : (c->sysenter_esp & 0xffffffffull);
    x->next = lm ? c->sysenter_eip : (c->sysenter_eip & 0xffffffffull);
    return 0;
}

/* SDM SYSEXIT: #GP(0) if IA32_SYSENTER_CS[15:2] = 0 or CPL != 0. */
static int xs_sysexit(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint16_t sel = (uint16_t)c->sysenter_cs & XS_SEL_MASK;
    bool w = x->i->osize == 64;
    uint64_t rip = c->gpr[X86_REG_RDX], sp = c->gpr[X86_REG_RCX];

    if (sel == 0 || c->cpl != 0) {
        return xs_gp(x, 0);
    }
    if (w && (!xe_canonical_c(c, rip) || !xe_canonical_c(c, sp))) {
        return xs_gp(x, 0);
    }
    if (w) {
        xe_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)((sel + 32) | 3), 0xb,
                    3, X86_SEG_ATTR_L);
        xe_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)((sel + 40) | 3), 0x3,
                    3, X86_SEG_ATTR_DB);
    } else {
        xe_flat_seg(&c->seg[X86_SEG_CS], (uint16_t)((sel + 16) | 3), 0xb,
                    3, X86_SEG_ATTR_DB);
        xe_flat_seg(&c->seg[X86_SEG_SS], (uint16_t)((sel + 24) | 3), 0x3,
                    3, X86_SEG_ATTR_DB);
        rip &= 0xffffffffull;
        sp &= 0xffffffffull;
    }
    c->cpl = 3;
    x86_cpu_sync_mode(c);
    c->gpr[X86_REG_RSP] = sp;
    x->next = rip;
    return 0;
}

static int xs_swapgs(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint64_t t;

    if (!xe_mode64(c)) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (c->cpl != 0) {
        return xs_gp(x, 0);
    }
    t = c->seg[X86_SEG_GS].base;
    c->seg[X86_SEG_GS].base = c->kernel_gs_base;
    c->kernel_gs_base = t;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Descriptor tables                                                   */
/* ------------------------------------------------------------------ */

static int xs_lgdt_lidt(struct xe *x)
{
    const struct x86_operand *o = &x->i->opnd[0];
    struct x86_cpu *c = x->c;
    uint64_t la, limit, base;

    if (o->kind != X86_OPND_MEM) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    la = xe_linear(x, &o->u.mem);
    if (xe_load(x, o->u.mem.seg, la, 2, &limit) ||
        xe_load(x, o->u.mem.seg, la + 2, xe_mode64(c) ? 8 : 4, &base)) {
        return XE_FAULT;
    }
    if (xe_mode64(c) && !xe_canonical_c(c, base)) {
        return xs_gp(x, 0);
    }
    if (!xe_mode64(c) && x->i->osize == 16) {
        base &= 0xffffff;
    }
    if (x->i->op == X86_OP_LGDT) {
        c->gdtr.base = base;
        c->gdtr.limit = (uint16_t)limit;
    } else {
        c->idtr.base = base;
        c->idtr.limit = (uint16_t)limit;
    }
    return 0;
}

static int xs_sgdt_sidt(struct xe *x)
{
    const struct x86_operand *o = &x->i->opnd[0];
    const struct x86_dtr *t = x->i->op == X86_OP_SGDT ? &x->c->gdtr
                                                      : &x->c->idtr;
    uint64_t la;

    if (o->kind != X86_OPND_MEM) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    la = xe_linear(x, &o->u.mem);
    return xe_store(x, o->u.mem.seg, la, 2, t->limit) ||
           xe_store(x, o->u.mem.seg, la + 2, xe_mode64(x->c) ? 8 : 4,
                    t->base) ? XE_FAULT : 0;
}

/* LLDT and LTR: a system descriptor from the GDT (16 bytes in IA-32e
 * mode, where bits 95:64 extend the base). */
static int xs_load_sys_desc(struct xe *x, uint16_t sel, bool ltr)
{
    struct x86_cpu *c = x->c;
    bool lm = (c->efer & X86_EFER_LMA) != 0;
    struct x86_seg s;
    uint64_t d, hi = 0, addr;
    unsigned type;

    if ((sel & XS_SEL_MASK) == 0) {
        if (ltr) {
            return xs_gp(x, 0);
        }
        xs_null_seg(&c->ldtr, sel, 0);
        return 0;
    }
    if ((sel & 4) || xs_desc_addr(c, sel, lm ? 16 : 8, &addr) != 0) {
        return xs_gp(x, sel & XS_SEL_MASK);
    }
    if (xs_sys_load(x, addr, 8, &d) ||
        (lm && xs_sys_load(x, addr + 8, 8, &hi))) {
        return XE_FAULT;
    }
    type = XS_TYPE(d);
    if (XS_S(d) || (ltr ? (type != 9 && (lm || type != 1)) : type != 2)) {
        return xs_gp(x, sel & XS_SEL_MASK);
    }
    if (!XS_P(d)) {
        return xe_raise(x->r, X86_VEC_NP, true, sel & XS_SEL_MASK);
    }
    if (lm && !xe_canonical_c(c, ((d >> 16) & 0xffffff) |
                                 ((d >> 32) & 0xff000000ull) | (hi << 32))) {
        return xs_gp(x, sel & XS_SEL_MASK);
    }
    if (ltr && xs_sys_store(x, addr + 5, 1, ((d >> 40) & 0xff) | 2)) {
        return XE_FAULT;                /* mark the TSS busy */
    }
    xs_unpack(ltr ? d | (2ull << 40) : d, sel, &s);
    s.base |= hi << 32;
    if (ltr) {
        c->tr = s;
    } else {
        c->ldtr = s;
    }
    return 0;
}

static int xs_lldt_ltr(struct xe *x)
{
    uint64_t v;

    if (xe_opnd_read(x, &x->i->opnd[0], &v)) {
        return XE_FAULT;
    }
    return xs_load_sys_desc(x, (uint16_t)v, x->i->op == X86_OP_LTR);
}

static int xs_sldt_str_smsw(struct xe *x)
{
    const struct x86_cpu *c = x->c;
    uint64_t v;

    switch (x->i->op) {
    case X86_OP_SLDT:
        v = c->ldtr.sel;
        break;
    case X86_OP_STR:
        v = c->tr.sel;
        break;
    default:
        v = c->cr0;
        break;
    }
    return xe_opnd_write(x, &x->i->opnd[0], v);
}

/* SDM LAR/LSL/VERR/VERW: ZF reports whether the selector names a
 * descriptor the current privilege may inspect; they never fault on the
 * selector itself. */
static int xs_lar_lsl_verx(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned op = x->i->op;
    const struct x86_operand *src = &x->i->opnd[op == X86_OP_LAR ||
                                                 op == X86_OP_LSL ? 1 : 0];
    bool lm = (c->efer & X86_EFER_LMA) != 0;
    uint64_t v, d = 0, addr;
    uint16_t sel;
    unsigned type, dpl;
    bool ok;

    if (xe_opnd_read(x, src, &v)) {
        return XE_FAULT;
    }
    sel = (uint16_t)v;
    ok = (sel & XS_SEL_MASK) != 0 && xs_desc_addr(c, sel, 8, &addr) == 0;
    if (ok && xs_sys_load(x, addr, 8, &d)) {
        return XE_FAULT;
    }
    type = XS_TYPE(d);
    dpl = XS_DPL(d);
    if (ok) {
        if (XS_S(d)) {
            bool conf_code = (type & XS_CODE) && (type & XS_CONF);

            if (!conf_code && (dpl < c->cpl || dpl < (sel & 3u))) {
                ok = false;
            }
            if (op == X86_OP_VERR) {
                ok = ok && (!(type & XS_CODE) || (type & XS_RW));
            } else if (op == X86_OP_VERW) {
                ok = ok && !(type & XS_CODE) && (type & XS_RW);
            }
        } else {
            /* System types LAR/LSL accept (Table "Segment and Gate Types"
             * in the LAR/LSL pages): LDT 2, TSS 9/11; LAR also call gate
             * 12; legacy mode adds the 16-bit TSS (1, 3), LAR also
             * 16-bit gates (4, 5). */
            bool t = type == 2 || type == 9 || type == 11 ||
                     (op == X86_OP_LAR && type == 12) ||
                     (!lm && (type == 1 || type == 3)) ||
                     (!lm && op == X86_OP_LAR && (type == 4 || type == 5));

            ok = t && op != X86_OP_VERR && op != X86_OP_VERW &&
                 dpl >= c->cpl && dpl >= (sel & 3u);
        }
    }
    if (ok && (op == X86_OP_LAR || op == X86_OP_LSL)) {
        struct x86_seg s;
        uint64_t r;

        xs_unpack(d, sel, &s);
        r = op == X86_OP_LAR ? (d >> 32) & 0x00f0ff00ull : s.limit;
        if (xe_opnd_write(x, &x->i->opnd[0], r)) {
            return XE_FAULT;
        }
    }
    c->rflags = ok ? c->rflags | X86_FL_ZF : c->rflags & ~(uint64_t)X86_FL_ZF;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Control and debug registers                                         */
/* ------------------------------------------------------------------ */

#define XS_CR4_KNOWN (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |  \
                      X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
                      X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |     \
                      X86_CR4_UMIP | X86_CR4_LA57 | X86_CR4_VMXE |            \
                      X86_CR4_SMXE | X86_CR4_FSGSBASE | X86_CR4_PCIDE |       \
                      X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP |         \
                      X86_CR4_PKE)

static void xs_flush(struct x86_cpu *c, unsigned kind, uint64_t va,
                     uint16_t pcid)
{
    if (c->sys != NULL && c->sys->flush != NULL) {
        c->sys->flush(c->sys_ctx, kind, va, pcid);
    }
}

static uint16_t xs_pcid(const struct x86_cpu *c)
{
    return (c->cr4 & X86_CR4_PCIDE) ? (uint16_t)(c->cr3 & 0xfff) : 0;
}

/* SDM MOV CRn "Protected Mode Exceptions" and Vol. 3A "Control
 * Registers"; Vol. 3A "Initializing IA-32e Mode" for the PG/LME rules. */
static int xs_write_cr0(struct xe *x, uint64_t v)
{
    struct x86_cpu *c = x->c;
    uint64_t old = c->cr0;

    if ((v >> 32) != 0 || ((v & X86_CR0_PG) && !(v & X86_CR0_PE)) ||
        ((v & X86_CR0_NW) && !(v & X86_CR0_CD))) {
        return xs_gp(x, 0);
    }
    if (!(v & X86_CR0_PE)) {
        return xs_gp(x, 0);             /* real mode: not modelled */
    }
    if (c->vmx_fixed && (((v | X86_CR0_ET) & c->cr0_fixed0) !=
                             c->cr0_fixed0 ||
                         (v & ~c->cr0_fixed1) != 0)) {
        /* In VMX operation CR0 must respect IA32_VMX_CR0_FIXED0/1 (SDM
         * Vol. 3C "Restrictions on VMX Operation"). */
        return xs_gp(x, 0);
    }
    if ((v & X86_CR0_PG) && !(old & X86_CR0_PG)) {
        if (!(c->efer & X86_EFER_LME)) {
            return xs_gp(x, 0);         /* legacy paging: not modelled */
        }
        if (!(c->cr4 & X86_CR4_PAE) ||
            (c->seg[X86_SEG_CS].attr & X86_SEG_ATTR_L)) {
            return xs_gp(x, 0);
        }
    }
    if (!(v & X86_CR0_PG) && (old & X86_CR0_PG) && xe_mode64(c)) {
        return xs_gp(x, 0);
    }
    c->cr0 = v | X86_CR0_ET;
    if ((c->cr0 & X86_CR0_PG) && (c->efer & X86_EFER_LME)) {
        c->efer |= X86_EFER_LMA;
    } else {
        c->efer &= ~X86_EFER_LMA;
    }
    x86_cpu_sync_mode(c);
    if ((old ^ c->cr0) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_CD)) {
        xs_flush(c, X86_FLUSH_ALL, 0, 0);
    }
    return 0;
}

static int xs_write_cr3(struct xe *x, uint64_t v)
{
    struct x86_cpu *c = x->c;
    bool keep = (c->cr4 & X86_CR4_PCIDE) && (v >> 63);

    v &= ~(1ull << 63);
    if ((c->efer & X86_EFER_LMA) && (v >> 52) != 0) {
        return xs_gp(x, 0);             /* reserved bits 62:52 */
    }
    c->cr3 = v;
    if (c->cr4 & X86_CR4_PCIDE) {
        xs_flush(c, keep ? X86_FLUSH_SWITCH : X86_FLUSH_PCID, 0, xs_pcid(c));
    } else {
        xs_flush(c, X86_FLUSH_NONGLOBAL, 0, 0);
    }
    return 0;
}

static int xs_write_cr4(struct xe *x, uint64_t v)
{
    struct x86_cpu *c = x->c;
    uint64_t old = c->cr4;
    bool lma = (c->efer & X86_EFER_LMA) != 0;

    if (v & ~(XS_CR4_KNOWN & c->cr4_allowed)) {
        return xs_gp(x, 0);
    }
    if (lma && !(v & X86_CR4_PAE)) {
        return xs_gp(x, 0);
    }
    if (c->vmx_fixed && ((v & c->cr4_fixed0) != c->cr4_fixed0 ||
                         (v & ~c->cr4_fixed1) != 0)) {
        return xs_gp(x, 0);             /* CR4.VMXE stays set, ... */
    }
    if (lma && ((old ^ v) & X86_CR4_LA57)) {
        return xs_gp(x, 0);
    }
    if ((v & X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) &&
        (!lma || (c->cr3 & 0xfff) != 0)) {
        return xs_gp(x, 0);
    }
    c->cr4 = v;
    if (((old ^ v) & (X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE |
                      X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_LA57)) ||
        ((old & X86_CR4_PCIDE) && !(v & X86_CR4_PCIDE))) {
        xs_flush(c, X86_FLUSH_ALL, 0, 0);
    }
    return 0;
}

static int xs_mov_to_cr(struct xe *x)
{
    unsigned n = x->i->opnd[0].reg - X86_REG_CR0;
    uint64_t v;

    (void)xe_opnd_read(x, &x->i->opnd[1], &v);
    if (!xe_mode64(x->c)) {
        v &= 0xffffffffull;
    }
    switch (n) {
    case 0:
        return xs_write_cr0(x, v);
    case 2:
        x->c->cr2 = v;
        return 0;
    case 3:
        return xs_write_cr3(x, v);
    case 4:
        return xs_write_cr4(x, v);
    case 8:
        if (v >> 4) {
            return xs_gp(x, 0);
        }
        x->c->cr8 = v;
        return 0;
    default:
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
}

static int xs_mov_from_cr(struct xe *x)
{
    const struct x86_cpu *c = x->c;
    unsigned n = x->i->opnd[1].reg - X86_REG_CR0;
    uint64_t v;

    switch (n) {
    case 0:
        v = c->cr0;
        break;
    case 2:
        v = c->cr2;
        break;
    case 3:
        v = c->cr3;
        break;
    case 4:
        v = c->cr4;
        break;
    case 8:
        v = c->cr8;
        break;
    default:
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    return xe_opnd_write(x, &x->i->opnd[0], v);
}

/* SDM MOV DRn: DR4/DR5 alias DR6/DR7 unless CR4.DE (then #UD); bits 63:32
 * of DR6/DR7 are reserved (#GP). */
static int xs_dr_index(struct xe *x, unsigned reg, unsigned *n)
{
    *n = reg - X86_REG_DR0;
    if (*n == 4 || *n == 5) {
        if (x->c->cr4 & X86_CR4_DE) {
            return xe_raise(x->r, X86_VEC_UD, false, 0);
        }
        *n += 2;
    }
    if (*n >= 8) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    return 0;
}

static int xs_mov_dr(struct xe *x)
{
    struct x86_cpu *c = x->c;
    bool to = x->i->op == X86_OP_MOV_TO_DR;
    unsigned n;
    uint64_t v;

    if (xs_dr_index(x, x->i->opnd[to ? 0 : 1].reg, &n)) {
        return XE_FAULT;
    }
    if (!to) {
        return xe_opnd_write(x, &x->i->opnd[0], c->dr[n]);
    }
    (void)xe_opnd_read(x, &x->i->opnd[1], &v);
    if (n >= 6 && (v >> 32) != 0) {
        return xs_gp(x, 0);
    }
    if (n == 6) {
        v |= 0xffff0ff0ull;
    } else if (n == 7) {
        v = (v | 0x400) & ~0xd800ull;
    }
    c->dr[n] = v;
    return 0;
}

static int xs_lmsw_clts(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint64_t v;

    if (x->i->op == X86_OP_CLTS) {
        c->cr0 &= ~X86_CR0_TS;
        return 0;
    }
    if (xe_opnd_read(x, &x->i->opnd[0], &v)) {
        return XE_FAULT;
    }
    /* SDM LMSW: loads PE, MP, EM, TS; cannot clear PE. */
    c->cr0 = (c->cr0 & ~0xeull) | (v & 0xf) | (c->cr0 & X86_CR0_PE);
    return 0;
}

/* ------------------------------------------------------------------ */
/* MSRs, CPUID, TSC                                                    */
/* ------------------------------------------------------------------ */

/* SDM Vol. 3A "IA32_PAT": each entry must be a defined memory type. */
static bool xs_pat_ok(uint64_t v)
{
    unsigned k;

    for (k = 0; k < 8; k++) {
        unsigned t = (unsigned)(v >> (8 * k)) & 0xff;

        if (t == 2 || t == 3 || t > 7) {
            return false;
        }
    }
    return true;
}

static int xs_platform_msr_read(struct x86_cpu *c, uint32_t msr,
                                uint64_t *v)
{
    if (c->sys != NULL && c->sys->msr_read != NULL) {
        return c->sys->msr_read(c->sys_ctx, msr, v);
    }
    return -1;
}

/* Returns 0, or -1 for #GP(0). */
static int xs_msr_read(struct x86_cpu *c, uint32_t msr, uint64_t *v)
{
    switch (msr) {
    case X86_MSR_TSC:
        *v = x86_cpu_tsc(c);
        return 0;
    case X86_MSR_FEATURE_CONTROL:
        *v = c->feature_control;
        return 0;
    case X86_MSR_SYSENTER_CS:
        *v = c->sysenter_cs;
        return 0;
    case X86_MSR_SYSENTER_ESP:
        *v = c->sysenter_esp;
        return 0;
    case X86_MSR_SYSENTER_EIP:
        *v = c->sysenter_eip;
        return 0;
    case X86_MSR_MISC_ENABLE:
        *v = c->misc_enable;
        return 0;
    case X86_MSR_PAT:
        *v = c->pat;
        return 0;
    case X86_MSR_EFER:
        *v = c->efer;
        return 0;
    case X86_MSR_STAR:
        *v = c->star;
        return 0;
    case X86_MSR_LSTAR:
        *v = c->lstar;
        return 0;
    case X86_MSR_CSTAR:
        *v = c->cstar;
        return 0;
    case X86_MSR_SFMASK:
        *v = c->sfmask;
        return 0;
    case X86_MSR_FS_BASE:
        *v = c->seg[X86_SEG_FS].base;
        return 0;
    case X86_MSR_GS_BASE:
        *v = c->seg[X86_SEG_GS].base;
        return 0;
    case X86_MSR_KERNEL_GS_BASE:
        *v = c->kernel_gs_base;
        return 0;
    case X86_MSR_TSC_AUX:
        *v = c->tsc_aux;
        return 0;
    default:
        return xs_platform_msr_read(c, msr, v) != 0 ? -1 : 0;
    }
}

static int xs_msr_write(struct x86_cpu *c, uint32_t msr, uint64_t v)
{
    uint64_t *canon = NULL;

    switch (msr) {
    case X86_MSR_TSC: {
        uint64_t now = x86_cpu_tsc(c) - (uint64_t)c->tsc_offset;

        c->tsc_offset = (int64_t)(v - now);
        return 0;
    }
    case X86_MSR_FEATURE_CONTROL:
        if (c->feature_control & 1) {
            return -1;                  /* locked until reset */
        }
        c->feature_control = v;
        return 0;
    case X86_MSR_SYSENTER_CS:
        c->sysenter_cs = v & 0xffffffffull;
        return 0;
    case X86_MSR_SYSENTER_ESP:
        canon = &c->sysenter_esp;
        break;
    case X86_MSR_SYSENTER_EIP:
        canon = &c->sysenter_eip;
        break;
    case X86_MSR_MISC_ENABLE:
        c->misc_enable = v;
        return 0;
    case X86_MSR_PAT:
        if (!xs_pat_ok(v)) {
            return -1;
        }
        c->pat = v;
        return 0;
    case X86_MSR_EFER: {
        uint64_t allowed = (X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
                            X86_EFER_NXE | X86_EFER_SVME) & c->efer_allowed;
        uint64_t old = c->efer;

        if (v & ~allowed) {
            return -1;
        }
        if ((c->cr0 & X86_CR0_PG) && ((v ^ old) & X86_EFER_LME)) {
            return -1;
        }
        /* LMA is read-only: it follows LME and CR0.PG. */
        c->efer = (v & ~X86_EFER_LMA) | (old & X86_EFER_LMA);
        if ((old ^ c->efer) & X86_EFER_NXE) {
            xs_flush(c, X86_FLUSH_ALL, 0, 0);
        }
        return 0;
    }
    case X86_MSR_STAR:
        c->star = v;
        return 0;
    case X86_MSR_LSTAR:
        canon = &c->lstar;
        break;
    case X86_MSR_CSTAR:
        canon = &c->cstar;
        break;
    case X86_MSR_SFMASK:
        if (v >> 32) {
            return -1;
        }
        c->sfmask = v;
        return 0;
    case X86_MSR_FS_BASE:
        canon = &c->seg[X86_SEG_FS].base;
        break;
    case X86_MSR_GS_BASE:
        canon = &c->seg[X86_SEG_GS].base;
        break;
    case X86_MSR_KERNEL_GS_BASE:
        canon = &c->kernel_gs_base;
        break;
    case X86_MSR_TSC_AUX:
        if (v >> 32) {
            return -1;
        }
        c->tsc_aux = v;
        return 0;
    default:
        if (c->sys != NULL && c->sys->msr_write != NULL) {
            return c->sys->msr_write(c->sys_ctx, msr, v) != 0 ? -1 : 0;
        }
        return -1;
    }
    if (!xe_canonical_c(c, v)) {
        return -1;
    }
    *canon = v;
    return 0;
}

static int xs_rdmsr_wrmsr(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint32_t msr = (uint32_t)c->gpr[X86_REG_RCX];
    uint64_t v;

    if (x->i->op == X86_OP_RDMSR) {
        if (xs_msr_read(c, msr, &v) != 0) {
            return xs_gp(x, 0);
        }
        c->gpr[X86_REG_RAX] = v & 0xffffffffull;
        c->gpr[X86_REG_RDX] = v >> 32;
        return 0;
    }
    v = (c->gpr[X86_REG_RDX] << 32) | (c->gpr[X86_REG_RAX] & 0xffffffffull);
    return xs_msr_write(c, msr, v) != 0 ? xs_gp(x, 0) : 0;
}

static int xs_cpuid(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint32_t leaf = (uint32_t)c->gpr[X86_REG_RAX];
    uint32_t sub = (uint32_t)c->gpr[X86_REG_RCX];
    uint32_t o[4] = { 0, 0, 0, 0 };

    if (c->sys != NULL && c->sys->cpuid != NULL) {
        c->sys->cpuid(c->sys_ctx, leaf, sub, o);
    }
    if (leaf == 1) {
        /* SDM CPUID: leaf 1 ECX[27] OSXSAVE mirrors CR4.OSXSAVE. */
        o[2] = (o[2] & ~(1u << 27)) |
               ((c->cr4 & X86_CR4_OSXSAVE) ? 1u << 27 : 0);
    }
    c->gpr[X86_REG_RAX] = o[0];
    c->gpr[X86_REG_RBX] = o[1];
    c->gpr[X86_REG_RCX] = o[2];
    c->gpr[X86_REG_RDX] = o[3];
    return 0;
}

static int xs_rdtsc(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint64_t t;

    if ((c->cr4 & X86_CR4_TSD) && c->cpl > 0) {
        return xs_gp(x, 0);
    }
    t = x86_cpu_tsc(c);
    c->gpr[X86_REG_RAX] = t & 0xffffffffull;
    c->gpr[X86_REG_RDX] = t >> 32;
    if (x->i->op == X86_OP_RDTSCP) {
        c->gpr[X86_REG_RCX] = c->tsc_aux & 0xffffffffull;
    }
    return 0;
}

/* SDM RDPMC: #GP(0) at CPL > 0 without CR4.PCE, or for a counter that
 * does not exist (4 general-purpose, 3 fixed here; they read 0). */
static int xs_rdpmc(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint32_t idx = (uint32_t)c->gpr[X86_REG_RCX];

    if (!(c->cr4 & X86_CR4_PCE) && c->cpl > 0) {
        return xs_gp(x, 0);
    }
    if ((idx & (1u << 30)) ? (idx & ~(1u << 30)) > 2 : idx > 3) {
        return xs_gp(x, 0);
    }
    c->gpr[X86_REG_RAX] = 0;
    c->gpr[X86_REG_RDX] = 0;
    return 0;
}

/* ------------------------------------------------------------------ */
/* HLT, CLI/STI, port I/O, TLB and cache control                       */
/* ------------------------------------------------------------------ */

static int xs_hlt(struct xe *x)
{
    x->c->halt = X86_HALTED;
    return 0;
}

static int xs_cli_sti(struct xe *x)
{
    struct x86_cpu *c = x->c;

    if (x->i->op == X86_OP_CLI) {
        c->rflags &= ~(uint64_t)X86_RFLAGS_IF;
    } else {
        if (!(c->rflags & X86_RFLAGS_IF)) {
            c->shadow = X86_SHADOW_STI;     /* SDM STI: one instruction */
        }
        c->rflags |= X86_RFLAGS_IF;
    }
    return 0;
}

static int xs_port_in(struct x86_cpu *c, uint16_t port, unsigned size,
                      uint32_t *v)
{
    *v = 0xffffffffu;
    if (c->sys != NULL && c->sys->io_in != NULL) {
        return c->sys->io_in(c->sys_ctx, port, size, v);
    }
    return 0;
}

static int xs_port_out(struct x86_cpu *c, uint16_t port, unsigned size,
                       uint32_t v)
{
    if (c->sys != NULL && c->sys->io_out != NULL) {
        return c->sys->io_out(c->sys_ctx, port, size, v);
    }
    return 0;
}

static uint16_t xs_port(const struct xe *x, const struct x86_operand *o)
{
    if (o->kind == X86_OPND_IMM) {
        return (uint16_t)(o->u.imm & 0xff);
    }
    return (uint16_t)x->c->gpr[X86_REG_RDX];
}

static int xs_in_out(struct xe *x)
{
    struct x86_cpu *c = x->c;
    bool in = x->i->op == X86_OP_IN;
    const struct x86_operand *reg = &x->i->opnd[in ? 0 : 1];
    uint16_t port = xs_port(x, &x->i->opnd[in ? 1 : 0]);
    unsigned size = reg->size;
    uint32_t v;

    if (in) {
        if (xs_port_in(c, port, size, &v) != 0) {
            return xs_gp(x, 0);
        }
        xe_reg_set(c, X86_REG_RAX, false, size, v & xe_mask(size));
        return 0;
    }
    v = (uint32_t)(c->gpr[X86_REG_RAX] & xe_mask(size));
    return xs_port_out(c, port, size, v) != 0 ? xs_gp(x, 0) : 0;
}

/* INS/OUTS with or without REP (SDM INS/INSB/INSW/INSD, OUTS): ES:rDI
 * for INS (no override), DS (or override):rSI for OUTS. */
static int xs_ins_outs(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned op = x->i->op;
    bool in = op == X86_OP_INSB || op == X86_OP_INSW || op == X86_OP_INSD;
    unsigned size = (op == X86_OP_INSB || op == X86_OP_OUTSB) ? 1
                  : (op == X86_OP_INSW || op == X86_OP_OUTSW) ? 2 : 4;
    unsigned as = x->i->asize / 8;
    bool rep = (x->i->prefixes & X86_PFX_REP) != 0;
    uint16_t port = (uint16_t)c->gpr[X86_REG_RDX];
    unsigned seg = in ? X86_REG_ES
                      : (x->i->seg_override != X86_REG_NONE
                         ? x->i->seg_override : X86_REG_DS);
    unsigned ptr = in ? X86_REG_RDI : X86_REG_RSI;
    int64_t step = (c->rflags & X86_RFLAGS_DF) ? -(int64_t)size
                                              : (int64_t)size;
    uint32_t limit = c->rep_limit ? c->rep_limit : X86_CPU_REP_LIMIT_DEFAULT;
    uint32_t done = 0;

    for (;;) {
        uint64_t cnt = xe_reg_get(c, X86_REG_RCX, false, as);
        uint64_t off = xe_reg_get(c, ptr, false, as);
        uint64_t la = xe_wrap_la(c, off + xe_seg_base(c, seg));
        uint32_t v;

        if (rep && cnt == 0) {
            break;
        }
        if (rep && done == limit) {
            x->r->rep_more = 1;
            break;
        }
        if (in) {
            if (xs_port_in(c, port, size, &v) != 0) {
                return xs_gp(x, 0);
            }
            if (xe_store(x, seg, la, size, v & xe_mask(size))) {
                return XE_FAULT;
            }
        } else {
            uint64_t m;

            if (xe_load(x, seg, la, size, &m)) {
                return XE_FAULT;
            }
            if (xs_port_out(c, port, size, (uint32_t)m) != 0) {
                return xs_gp(x, 0);
            }
        }
        xe_reg_set(c, ptr, false, as, off + (uint64_t)step);
        done++;
        c->st.rep_iters++;
        if (!rep) {
            break;
        }
        xe_reg_set(c, X86_REG_RCX, false, as, cnt - 1);
    }
    x->r->rep_iters = done;
    return 0;
}

static int xs_invlpg(struct xe *x)
{
    const struct x86_operand *o = &x->i->opnd[0];

    if (o->kind != X86_OPND_MEM) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    xs_flush(x->c, X86_FLUSH_PAGE, xe_linear(x, &o->u.mem), xs_pcid(x->c));
    return 0;
}

/* SDM INVPCID: type 0 individual address, 1 single context, 2 all
 * including globals, 3 all except globals. */
static int xs_invpcid(struct xe *x)
{
    struct x86_cpu *c = x->c;
    const struct x86_operand *m = &x->i->opnd[1];
    uint64_t type, pcid, la, addr;

    if (m->kind != X86_OPND_MEM) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    type = xe_reg_get(c, x->i->opnd[0].reg, false, xe_mode64(c) ? 8 : 4);
    addr = xe_linear(x, &m->u.mem);
    if (xe_load(x, m->u.mem.seg, addr, 8, &pcid) ||
        xe_load(x, m->u.mem.seg, addr + 8, 8, &la)) {
        return XE_FAULT;
    }
    if (type > 3 || (pcid >> 12) != 0) {
        return xs_gp(x, 0);
    }
    if (type <= 1 && !(c->cr4 & X86_CR4_PCIDE) && pcid != 0) {
        return xs_gp(x, 0);
    }
    switch (type) {
    case 0:
        if (!xe_canonical_c(c, la)) {
            return xs_gp(x, 0);
        }
        xs_flush(c, X86_FLUSH_PAGE, la, (uint16_t)pcid);
        break;
    case 1:
        xs_flush(c, X86_FLUSH_PCID, 0, (uint16_t)pcid);
        break;
    case 2:
        xs_flush(c, X86_FLUSH_ALL, 0, 0);
        break;
    default:
        xs_flush(c, X86_FLUSH_NONGLOBAL, 0, 0);
        break;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* MONITOR/MWAIT, XSETBV/XGETBV                                        */
/* ------------------------------------------------------------------ */

/* SDM MONITOR, MWAIT: #UD when CPUID.01H:ECX.MONITOR[bit 3] = 0 or at
 * CPL > 0 (ring-3 enabling through an MSR is not modelled).  These come
 * before VM exits (SDM Vol. 3C "Relative Priority of Faults and VM
 * Exits": invalid-opcode and privilege-level faults). */
static int xs_monitor_pre(struct xe *x)
{
    if (!x->c->monitor_ok || x->c->cpl > 0) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    return 0;
}

/* SDM XSETBV / XGETBV: #UD when CR4.OSXSAVE = 0; XSETBV #GP(0) at
 * CPL > 0 (the table's X86_F_PRIV check, after this one). */
static int xs_xcr_pre(struct xe *x)
{
    if (!(x->c->cr4 & X86_CR4_OSXSAVE)) {
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    return 0;
}

/* SDM MONITOR: ECX holds extensions (none defined: #GP(0) unless 0), EDX
 * hints (ignored); the address is DS:rAX (segment override allowed),
 * checked as a byte load (it may #PF, #GP on a non-canonical address). */
static int xs_monitor(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned seg = x->i->seg_override != X86_REG_NONE ? x->i->seg_override
                                                      : X86_REG_DS;
    uint64_t off = xe_reg_get(c, X86_REG_RAX, false, x->i->asize / 8);
    uint64_t la = xe_wrap_la(c, off + xe_seg_base(c, seg));
    uint64_t v;

    if ((uint32_t)c->gpr[X86_REG_RCX] != 0) {
        return xs_gp(x, 0);
    }
    if (xe_load(x, seg, la, 1, &v)) {
        return XE_FAULT;
    }
    c->monitor_armed = true;
    c->monitor_la = la;
    return 0;
}

/* SDM MWAIT: ECX bit 0 (interrupts break the wait even when masked) is
 * the only extension (CPUID.05H:ECX[0] and [1] = 1); other bits #GP(0).
 * The wait itself is a hint: the SDM lets an implementation leave the
 * optimized state at any time, and vtsim leaves it at once, so MWAIT
 * completes like a NOP that disarms the monitor (approximation: no idle
 * time is charged and no C-state is modelled). */
static int xs_mwait(struct xe *x)
{
    struct x86_cpu *c = x->c;

    if ((uint32_t)c->gpr[X86_REG_RCX] & ~1u) {
        return xs_gp(x, 0);
    }
    c->monitor_armed = false;
    return 0;
}

/* SDM XSETBV: ECX names the XCR (only XCR0 exists here); EDX:EAX must
 * keep bit 0 (x87), set only supported bits, and not set AVX (bit 2)
 * without SSE (bit 1); else #GP(0). */
static int xs_xsetbv(struct xe *x)
{
    struct x86_cpu *c = x->c;
    uint64_t v = (c->gpr[X86_REG_RDX] << 32) |
                 (c->gpr[X86_REG_RAX] & 0xffffffffull);

    if ((uint32_t)c->gpr[X86_REG_RCX] != 0 || !(v & 1) ||
        (v & ~c->xcr0_allowed) != 0 || ((v & 4) && !(v & 2))) {
        return xs_gp(x, 0);
    }
    c->xcr0 = v;
    return 0;
}

/* SDM XGETBV: ECX = 0 reads XCR0; XCR 1 (XINUSE) is not modelled:
 * #GP(0) for any other ECX. */
static int xs_xgetbv(struct xe *x)
{
    struct x86_cpu *c = x->c;

    if ((uint32_t)c->gpr[X86_REG_RCX] != 0) {
        return xs_gp(x, 0);
    }
    c->gpr[X86_REG_RAX] = c->xcr0 & 0xffffffffull;
    c->gpr[X86_REG_RDX] = c->xcr0 >> 32;
    return 0;
}

const xe_fn x86_sys_precheck[X86_OP__COUNT] = {
    [X86_OP_MONITOR] = xs_monitor_pre,
    [X86_OP_MWAIT] = xs_monitor_pre,
    [X86_OP_XSETBV] = xs_xcr_pre,
    [X86_OP_XGETBV] = xs_xcr_pre,
};

/* ------------------------------------------------------------------ */
/* Virtualization hook (x86_cpu.virt)                                  */
/* ------------------------------------------------------------------ */

int xs_virt_insn(struct xe *x)
{
    struct x86_cpu *c = x->c;
    struct x86_virt_event ev;
    int rc;

    if (c->virt == NULL || c->virt->event == NULL) {
        return x->i->cls == X86_CLASS_VMX ? xe_raise(x->r, X86_VEC_UD, false, 0)
                                          : 0;
    }
    memset(&ev, 0, sizeof(ev));
    ev.kind = X86_VIRT_INSN;
    ev.rip = c->rip;
    ev.next_rip = x->next;
    ev.insn = x->i;
    ev.xe = x;
    rc = c->virt->event(c->virt_ctx, c, &ev, x->r);
    switch (rc) {
    case X86_VIRT_DONE:
        return XE_DONE;
    case X86_VIRT_SWITCHED:
        x->r->switched = 1;
        return XE_DONE;
    case X86_VIRT_FAULT:
        return XE_FAULT;
    default:
        return 0;
    }
}

int xs_virt_event(struct x86_cpu *c, unsigned kind, unsigned vec,
                  bool has_err, uint32_t err, bool soft, uint64_t rip,
                  uint64_t fault_addr, struct x86_exec_result *r)
{
    struct x86_virt_event ev;

    if (c->virt == NULL || c->virt->event == NULL) {
        return X86_VIRT_PASS;
    }
    memset(&ev, 0, sizeof(ev));
    ev.kind = (uint8_t)kind;
    ev.vector = (uint8_t)vec;
    ev.has_error = has_err;
    ev.soft = soft;
    ev.error_code = err;
    ev.rip = rip;
    ev.next_rip = rip;
    ev.fault_addr = fault_addr;
    return c->virt->event(c->virt_ctx, c, &ev, r);
}

int x86_virt_write_cr(const struct x86_virt_event *ev, unsigned n,
                      uint64_t v)
{
    struct xe *x = ev->xe;

    if (x == NULL) {
        return XE_FAULT;
    }
    switch (n) {
    case 0:
        return xs_write_cr0(x, v);
    case 3:
        return xs_write_cr3(x, v);
    case 4:
        return xs_write_cr4(x, v);
    default:
        return XE_FAULT;
    }
}

int x86_cpu_msr_read(struct x86_cpu *c, uint32_t msr, uint64_t *v)
{
    return xs_msr_read(c, msr, v);
}

int x86_cpu_msr_write(struct x86_cpu *c, uint32_t msr, uint64_t v)
{
    return xs_msr_write(c, msr, v);
}

int x86_virt_opnd_read(const struct x86_virt_event *ev, unsigned n,
                       uint64_t *v)
{
    struct xe *x = ev->xe;

    if (x == NULL || n >= 3) {
        return XE_FAULT;
    }
    return xe_opnd_read(x, &x->i->opnd[n], v);
}

int x86_virt_opnd_write(const struct x86_virt_event *ev, unsigned n,
                        uint64_t v)
{
    struct xe *x = ev->xe;

    if (x == NULL || n >= 3) {
        return XE_FAULT;
    }
    return xe_opnd_write(x, &x->i->opnd[n], v);
}

int x86_virt_opnd_la(const struct x86_virt_event *ev, unsigned n,
                     uint64_t *la)
{
    struct xe *x = ev->xe;

    if (x == NULL || n >= 3 || x->i->opnd[n].kind != X86_OPND_MEM) {
        return XE_FAULT;
    }
    *la = xe_linear(x, &x->i->opnd[n].u.mem);
    return 0;
}

int x86_virt_read(const struct x86_virt_event *ev, uint64_t la, void *buf,
                  unsigned len)
{
    struct xe *x = ev->xe;

    if (x == NULL) {
        return XE_FAULT;
    }
    return xe_read(x, X86_REG_DS, la, buf, len);
}

int x86_virt_write(const struct x86_virt_event *ev, uint64_t la,
                   const void *buf, unsigned len)
{
    struct xe *x = ev->xe;

    if (x == NULL) {
        return XE_FAULT;
    }
    return xe_write(x, X86_REG_DS, la, buf, len);
}

/* WBINVD, INVD, CLFLUSH: the functional model keeps no cache state; the
 * timing model charges them by their table class. */
static int xs_nop(struct xe *x)
{
    (void)x;
    return 0;
}

const xe_fn x86_sys_handler[X86_OP__COUNT] = {
    [X86_OP_MOV_TO_SREG] = xs_mov_to_sreg,
    [X86_OP_MOV_FROM_SREG] = xs_mov_from_sreg,
    [X86_OP_PUSH_SREG] = xs_push_sreg,
    [X86_OP_POP_SREG] = xs_pop_sreg,
    [X86_OP_JMP_FAR] = xs_jmp_far,
    [X86_OP_CALL_FAR] = xs_call_far,
    [X86_OP_RET_FAR] = xs_ret_far,
    [X86_OP_IRET] = xs_iret,
    [X86_OP_IRETD] = xs_iret,
    [X86_OP_IRETQ] = xs_iret,
    [X86_OP_INT] = xs_int,
    [X86_OP_INT3] = xs_int,
    [X86_OP_INTO] = xs_int,
    [X86_OP_SYSCALL] = xs_syscall,
    [X86_OP_SYSRET] = xs_sysret,
    [X86_OP_SYSENTER] = xs_sysenter,
    [X86_OP_SYSEXIT] = xs_sysexit,
    [X86_OP_SWAPGS] = xs_swapgs,
    [X86_OP_LGDT] = xs_lgdt_lidt,
    [X86_OP_LIDT] = xs_lgdt_lidt,
    [X86_OP_SGDT] = xs_sgdt_sidt,
    [X86_OP_SIDT] = xs_sgdt_sidt,
    [X86_OP_LLDT] = xs_lldt_ltr,
    [X86_OP_LTR] = xs_lldt_ltr,
    [X86_OP_SLDT] = xs_sldt_str_smsw,
    [X86_OP_STR] = xs_sldt_str_smsw,
    [X86_OP_SMSW] = xs_sldt_str_smsw,
    [X86_OP_LMSW] = xs_lmsw_clts,
    [X86_OP_CLTS] = xs_lmsw_clts,
    [X86_OP_LAR] = xs_lar_lsl_verx,
    [X86_OP_LSL] = xs_lar_lsl_verx,
    [X86_OP_VERR] = xs_lar_lsl_verx,
    [X86_OP_VERW] = xs_lar_lsl_verx,
    [X86_OP_MOV_TO_CR] = xs_mov_to_cr,
    [X86_OP_MOV_FROM_CR] = xs_mov_from_cr,
    [X86_OP_MOV_TO_DR] = xs_mov_dr,
    [X86_OP_MOV_FROM_DR] = xs_mov_dr,
    [X86_OP_RDMSR] = xs_rdmsr_wrmsr,
    [X86_OP_WRMSR] = xs_rdmsr_wrmsr,
    [X86_OP_CPUID] = xs_cpuid,
    [X86_OP_RDTSC] = xs_rdtsc,
    [X86_OP_RDTSCP] = xs_rdtsc,
    [X86_OP_RDPMC] = xs_rdpmc,
    [X86_OP_HLT] = xs_hlt,
    [X86_OP_CLI] = xs_cli_sti,
    [X86_OP_STI] = xs_cli_sti,
    [X86_OP_IN] = xs_in_out,
    [X86_OP_OUT] = xs_in_out,
    [X86_OP_INSB] = xs_ins_outs,
    [X86_OP_INSW] = xs_ins_outs,
    [X86_OP_INSD] = xs_ins_outs,
    [X86_OP_OUTSB] = xs_ins_outs,
    [X86_OP_OUTSW] = xs_ins_outs,
    [X86_OP_OUTSD] = xs_ins_outs,
    [X86_OP_INVLPG] = xs_invlpg,
    [X86_OP_INVPCID] = xs_invpcid,
    [X86_OP_WBINVD] = xs_nop,
    [X86_OP_INVD] = xs_nop,
    [X86_OP_CLFLUSH] = xs_nop,
    [X86_OP_MONITOR] = xs_monitor,
    [X86_OP_MWAIT] = xs_mwait,
    [X86_OP_XSETBV] = xs_xsetbv,
    [X86_OP_XGETBV] = xs_xgetbv,
};
