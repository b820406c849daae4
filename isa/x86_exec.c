/*
 * x86_exec.c - the integer half of the x86 executor: fetch through the
 * memory callbacks (and the predecode cache), decode with x86_decode() for
 * the current mode, the privilege checks of the op table, dispatch, and
 * the integer instructions; event delivery with the double-fault rules.
 * System instructions, segment loads, far transfers and IDT delivery are
 * in x86_sys.c (shared declarations in x86_exec_int.h).
 *
 * Follows Intel SDM (325383-080, June 2023):
 *   - Vol. 1 "Basic Execution Environment": 32-bit register writes are
 *     zero-extended to 64 bits, 8- and 16-bit writes merge; AH..BH without
 *     REX; canonical addresses.
 *   - Vol. 2, each instruction's Operation, Flags Affected and "64-Bit Mode
 *     Exceptions" (MOV, MOVZX, MOVSX/MOVSXD, LEA, XCHG, PUSH, POP, CMOVcc,
 *     SETcc, BSWAP, the ALU group, MUL, IMUL, DIV, IDIV, CBW..CQO, the
 *     shifts and rotates, SHLD, SHRD, BT*, BSF, BSR, TZCNT, LZCNT, POPCNT,
 *     JMP, Jcc, CALL, RET, LOOPcc, JrCXZ, ENTER, LEAVE, MOVS, STOS, CMPS,
 *     SCAS, LODS with REP/REPE/REPNE, CMPXCHG, XADD, the flag instructions,
 *     PUSHF, POPF), and "POPF" for which flags CPL 3 may change.
 *   - Vol. 3A "Exception and Interrupt Reference" (#DE, #DB, #UD, #SS,
 *     #GP, #PF as faults or traps; the page-fault error code) and "Single-
 *     Step Exception Condition" (TF at the start of an instruction traps
 *     after it; after each iteration of a REP string instruction).
 * Results and arithmetic flags of every ALU, shift, multiply, divide and
 * bit operation come from x86_alu.c.
 *
 * Order of effects, which makes faults leave no trace: every instruction
 * reads all its operands first, then writes memory, and only then writes
 * registers, RFLAGS and RIP.  A REP string instruction commits registers
 * after each completed iteration.
 *
 * Choices where the SDM leaves a result undefined (the differential test
 * masks them): BSF/BSR with a zero source leave the whole 64-bit
 * destination unchanged, as AMD documents and the AMD EPYC host does;
 * BSWAP of a 16-bit register gives 0, as on that host; DIV/IDIV leave
 * RFLAGS unchanged.  Where the SDM is explicit but emulators differ, the
 * host was checked too: a 32-bit CMPXCHG leaves bits 63:32 of RAX (on a
 * match) and of a register destination (on a mismatch); CMOVcc and
 * shifts by a zero count still zero-extend a 32-bit destination.
 *
 * Approximations:
 *   - Privileged instructions raise #GP(0) at CPL > 0; IOPL-sensitive ones
 *     when CPL > IOPL (the TSS I/O permission bitmap is not consulted);
 *     VMX and SVM instructions raise #UD (VMX operation, CR4.VMXE and
 *     EFER.SVME are taken as off).  Anything with no handler in either
 *     half (x87, SSE, LDS/LES/LSS, CMPXCHG8B, ...) is refused with #UD,
 *     counted per Zydis mnemonic and flagged unimpl in the result.
 *   - In 64-bit mode only FS and GS have a base; outside it every segment
 *     base applies and linear addresses wrap at 4 GiB.  No segment limit
 *     checks.  Canonical means bits 63:47 (63:56 with CR4.LA57) equal; the
 *     check covers the first and the last byte of an access.  Stack pushes
 *     and pops use SS base 0 (flat SS) in every mode.
 *   - #PF error codes carry U for user-mode accesses, W for writes, I for
 *     fetches when EFER.NXE or CR4.SMEP is set; the P, RSVD and PK bits
 *     come from the memory callback.
 *   - A write that straddles two pages is split; the first page's old
 *     bytes are read first and restored if the second page faults, so the
 *     callbacks see one extra read for such writes.  ENTER with a nesting
 *     level writes its frame from the lowest address up, so a fault on a
 *     stack guard page below leaves memory untouched; a fault on a higher
 *     page after a lower one was written is not undone.
 *   - LOCK is accepted where the decoder accepts it; a single-threaded
 *     model makes every read-modify-write atomic.
 *   - A REP string instruction runs at most rep_limit iterations per step
 *     (an interruption point the SDM allows between iterations).
 */
#include "x86_exec_int.h"

#include <Zydis/Zydis.h>

#include "x86_alu_inl.h"
#include "x86_pcache_int.h"
#include <stddef.h>
#include <string.h>

_Static_assert(ZYDIS_MNEMONIC_MAX_VALUE < X86_CPU_MNEMONIC_SLOTS,
               "per-mnemonic counters must hold every Zydis mnemonic");

/* Flags a POPF may change at any CPL (SDM POPF): all non-reserved bits
 * except IF (only when CPL <= IOPL), IOPL (only at CPL 0), VIP, VIF, VM
 * and RF. */
#define XE_POPF_MASK (X86_FL_ARITH | X86_RFLAGS_TF | X86_RFLAGS_DF | \
                      X86_RFLAGS_NT | X86_RFLAGS_AC | X86_RFLAGS_ID)

/* ------------------------------------------------------------------ */
/* Values and registers                                                */
/* ------------------------------------------------------------------ */

/* Segment base: in 64-bit mode only FS and GS have one (SDM Vol. 3A
 * "Segment Loading Instructions in IA-32e Mode"); outside it every
 * segment's base applies. */
uint64_t xe_seg_base(const struct x86_cpu *c, unsigned seg)
{
    unsigned k = seg - X86_REG_ES;

    if (k >= X86_SEG__COUNT) {
        return 0;
    }
    if (xe_mode64(c) && k != X86_SEG_FS && k != X86_SEG_GS) {
        return 0;
    }
    return c->seg[k].base;
}

bool x86_cond_true(unsigned cond, uint64_t rflags)
{
    return xe_cond_true(cond, rflags);
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */
/* ------------------------------------------------------------------ */

int xe_raise(struct x86_exec_result *r, unsigned vec, bool has_error,
             uint32_t error_code)
{
    r->status = X86_EXEC_EXCEPTION;
    r->vector = (uint8_t)vec;
    r->has_error = has_error;
    r->error_code = error_code;
    return XE_FAULT;
}

/* The access bits the callbacks receive: U for a user-mode access (SDM
 * Vol. 3A "Access Rights": CPL 3 and not an implicit supervisor access). */
static unsigned xe_acc(const struct xe *x)
{
    return (x->c->cpl == 3 && !x->sup) ? X86_PFEC_U : 0;
}

/* #PF at `la`; `acc` is what the callback got.  The I bit is reported
 * only with EFER.NXE or CR4.SMEP (SDM Vol. 3A "Page-Fault Error Code"). */
static int xe_raise_pf(const struct x86_cpu *c, struct x86_exec_result *r,
                       uint64_t la, int rc, unsigned acc)
{
    uint32_t ec = acc & (X86_PFEC_U | X86_PFEC_W | X86_PFEC_I);

    if (!(c->efer & X86_EFER_NXE) && !(c->cr4 & X86_CR4_SMEP)) {
        ec &= ~(uint32_t)X86_PFEC_I;
    }
    if (rc > 0 && (rc & X86_MEM_EXIT)) {
        r->fault_addr = la;
        return xe_raise(r, X86_VEC_VIRT, false, 0);
    }
    if (rc > 0 && (rc & X86_MEM_PFEC)) {
        ec |= (uint32_t)rc & X86_PFEC_FROM_MMU;
    }
    r->fault_addr = la;
    return xe_raise(r, X86_VEC_PF, true, ec);
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/* SDM Vol. 3A "Canonical Addressing": in 64-bit mode a non-canonical
 * access raises #SS(0) for a stack reference, #GP(0) otherwise.  Outside
 * 64-bit mode linear addresses wrap at 4 GiB (segment limits are not
 * checked: see the header). */
static int xe_check_canonical(struct xe *x, unsigned seg, uint64_t la,
                              unsigned len)
{
    if (!xe_mode64(x->c) ||
        (xe_canonical_c(x->c, la) && xe_canonical_c(x->c, la + len - 1))) {
        return 0;
    }
    return xe_raise(x->r, seg == X86_REG_SS ? X86_VEC_SS : X86_VEC_GP, true,
                    0);
}

static unsigned xe_page_left(uint64_t la)
{
    return XE_PAGE - (unsigned)(la & (XE_PAGE - 1));
}

int xe_read(struct xe *x, unsigned seg, uint64_t la, uint8_t *b,
            unsigned len)
{
    const struct x86_cpu *c = x->c;
    unsigned acc = xe_acc(x);

    if (xe_check_canonical(x, seg, la, len)) {
        return XE_FAULT;
    }
    while (len > 0) {
        unsigned n = xe_page_left(la);
        int rc;

        if (n > len) {
            n = len;
        }
        la = xe_wrap_la(c, la);
        rc = c->mem->read(c->mem_ctx, la, b, n, acc);
        if (rc != 0) {
            return xe_raise_pf(c, x->r, la, rc, acc);
        }
        la += n;
        b += n;
        len -= n;
    }
    return 0;
}

int xe_write(struct xe *x, unsigned seg, uint64_t la, const uint8_t *b,
             unsigned len)
{
    const struct x86_cpu *c = x->c;
    unsigned first = xe_page_left(la);
    unsigned acc = xe_acc(x) | X86_PFEC_W;
    uint64_t la2;
    uint8_t old[16];
    int rc;

    if (xe_check_canonical(x, seg, la, len)) {
        return XE_FAULT;
    }
    la = xe_wrap_la(c, la);
    if (first >= len) {
        rc = c->mem->write(c->mem_ctx, la, b, len, acc);
        return rc != 0 ? xe_raise_pf(c, x->r, la, rc, acc) : 0;
    }
    /* Straddles two pages: keep the first page's bytes to undo. */
    rc = c->mem->read(c->mem_ctx, la, old, first, acc & ~X86_PFEC_W);
    if (rc == 0) {
        rc = c->mem->write(c->mem_ctx, la, b, first, acc);
    }
    if (rc != 0) {
        return xe_raise_pf(c, x->r, la, rc, acc);
    }
    la2 = xe_wrap_la(c, la + first);
    rc = c->mem->write(c->mem_ctx, la2, b + first, len - first, acc);
    if (rc != 0) {
        (void)c->mem->write(c->mem_ctx, la, old, first, acc);
        return xe_raise_pf(c, x->r, la2, rc, acc);
    }
    return 0;
}

int xe_load(struct xe *x, unsigned seg, uint64_t la, unsigned size,
            uint64_t *v)
{
    uint8_t b[8];

    if (xe_read(x, seg, la, b, size)) {
        return XE_FAULT;
    }
    *v = xe_le_get(b, size);
    return 0;
}

int xe_store(struct xe *x, unsigned seg, uint64_t la, unsigned size,
             uint64_t v)
{
    uint8_t b[8];

    xe_le_put(b, size, v);
    return xe_write(x, seg, la, b, size);
}

/* Effective address (offset in the segment), truncated to the address
 * size (SDM Vol. 1 "Address Calculations in 64-Bit Mode"). */
static inline uint64_t xe_offset_at(const struct x86_cpu *c, unsigned asize,
                                    uint64_t next, const struct x86_mem *m)
{
    uint64_t a = (uint64_t)m->disp;

    if (m->rip_rel) {
        a += next;
    } else if (X86_REG_IS_GPR(m->base)) {
        a += c->gpr[m->base];
    }
    if (X86_REG_IS_GPR(m->index)) {
        a += c->gpr[m->index] * m->scale;
    }
    if (asize == 32) {
        a &= 0xffffffffull;
    } else if (asize == 16) {
        a &= 0xffffull;
    }
    return a;
}

uint64_t xe_offset(const struct xe *x, const struct x86_mem *m)
{
    return xe_offset_at(x->c, x->i->asize, x->next, m);
}

uint64_t xe_linear(const struct xe *x, const struct x86_mem *m)
{
    return xe_wrap_la(x->c, xe_offset(x, m) + xe_seg_base(x->c, m->seg));
}

/* ------------------------------------------------------------------ */
/* Operands                                                            */
/* ------------------------------------------------------------------ */

/* Register or memory operand at its own size; an immediate as decoded
 * (already sign- or zero-extended to 64 bits). */
int xe_opnd_read(struct xe *x, const struct x86_operand *o, uint64_t *v)
{
    switch (o->kind) {
    case X86_OPND_REG:
        *v = xe_reg_get(x->c, o->reg, o->reg_high, o->size);
        return 0;
    case X86_OPND_MEM:
        return xe_load(x, o->u.mem.seg, xe_linear(x, &o->u.mem), o->size, v);
    case X86_OPND_IMM:
        *v = o->u.imm;
        return 0;
    default:
        *v = 0;
        return 0;
    }
}

/* Writes a memory operand (may fault) or a register (cannot). */
int xe_opnd_write(struct xe *x, const struct x86_operand *o, uint64_t v)
{
    if (o->kind == X86_OPND_MEM) {
        return xe_store(x, o->u.mem.seg, xe_linear(x, &o->u.mem), o->size, v);
    }
    if (o->kind == X86_OPND_REG) {
        xe_reg_set(x->c, o->reg, o->reg_high, o->size, v);
    }
    return 0;
}

static int xe_is_mem(const struct x86_operand *o)
{
    return o->kind == X86_OPND_MEM;
}

/* A branch target must be canonical in 64-bit mode (SDM JMP/CALL/RET
 * "64-Bit Mode Exceptions": #GP(0)); the fault is taken on the branch.
 * Outside it the target is truncated to the operand size already. */
int xe_branch_to(struct xe *x, uint64_t target)
{
    if (xe_mode64(x->c) && !xe_canonical_c(x->c, target)) {
        return xe_raise(x->r, X86_VEC_GP, true, 0);
    }
    x->next = target;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Data movement                                                       */
/* ------------------------------------------------------------------ */

static int ex_mov(struct xe *x)
{
    uint64_t v;

    if (xe_opnd_read(x, &x->i->opnd[1], &v)) {
        return XE_FAULT;
    }
    return xe_opnd_write(x, &x->i->opnd[0], v);
}

/* MOVZX, MOVSX, MOVSXD (MOVSXD with a 32-bit operand size is a plain
 * 32-bit move, zero-extended). */
static int ex_movx(struct xe *x)
{
    const struct x86_operand *src = &x->i->opnd[1];
    uint64_t v;

    if (xe_opnd_read(x, src, &v)) {
        return XE_FAULT;
    }
    if (x->i->op != X86_OP_MOVZX) {
        v = xe_sext(v, src->size);
    }
    return xe_opnd_write(x, &x->i->opnd[0], v);
}

/* LEA: the effective address, no segment base, truncated to the operand
 * size by the register write. */
static int ex_lea(struct xe *x)
{
    return xe_opnd_write(x, &x->i->opnd[0],
                         xe_offset(x, &x->i->opnd[1].u.mem));
}

static int ex_xchg(struct xe *x)
{
    const struct x86_operand *a = &x->i->opnd[0];
    const struct x86_operand *b = &x->i->opnd[1];
    uint64_t va;
    uint64_t vb;

    if (xe_opnd_read(x, a, &va) || xe_opnd_read(x, b, &vb)) {
        return XE_FAULT;
    }
    /* The memory operand first: if it faults, no register changed. */
    if (xe_is_mem(b)) {
        return xe_opnd_write(x, b, va) || xe_opnd_write(x, a, vb);
    }
    return xe_opnd_write(x, a, vb) || xe_opnd_write(x, b, va);
}

static int ex_bswap(struct xe *x)
{
    const struct x86_operand *o = &x->i->opnd[0];
    uint64_t v = xe_reg_get(x->c, o->reg, false, o->size);

    if (o->size == 8) {
        v = __builtin_bswap64(v);
    } else if (o->size == 4) {
        v = __builtin_bswap32((uint32_t)v);
    } else {
        v = 0;      /* 16-bit: undefined (SDM BSWAP); the host gives 0 */
    }
    xe_reg_set(x->c, o->reg, false, o->size, v);
    return 0;
}

static int ex_cmov(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    uint64_t src;

    /* The source is read (and may fault) whatever the condition; a 32-bit
     * destination is written, hence zero-extended, even when false. */
    if (xe_opnd_read(x, &x->i->opnd[1], &src)) {
        return XE_FAULT;
    }
    if (!xe_cond_true(x->i->cond, x->c->rflags)) {
        src = xe_reg_get(x->c, d->reg, d->reg_high, d->size);
    }
    return xe_opnd_write(x, d, src);
}

static int ex_setcc(struct xe *x)
{
    return xe_opnd_write(x, &x->i->opnd[0],
                         xe_cond_true(x->i->cond, x->c->rflags) ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* Stack                                                               */
/* ------------------------------------------------------------------ */

static int ex_push(struct xe *x)
{
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP] - n;
    uint64_t v;

    /* A memory source is addressed with the RSP before the push. */
    if (xe_opnd_read(x, &x->i->opnd[0], &v) ||
        xe_store(x, X86_REG_SS, sp, n, v)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp);
    return 0;
}

static int ex_pop(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP];
    uint64_t v;

    if (xe_load(x, X86_REG_SS, sp, n, &v)) {
        return XE_FAULT;
    }
    if (xe_is_mem(d)) {
        /* SDM POP: a memory destination based on RSP is addressed with
         * the incremented RSP. */
        uint64_t la;

        xe_set_sp(x->c, sp + n);
        la = xe_linear(x, &d->u.mem);
        xe_set_sp(x->c, sp);
        if (xe_store(x, d->u.mem.seg, la, d->size, v)) {
            return XE_FAULT;
        }
        xe_set_sp(x->c, sp + n);
        return 0;
    }
    /* POP RSP: the popped value wins over the increment. */
    xe_set_sp(x->c, sp + n);
    xe_reg_set(x->c, d->reg, d->reg_high, d->size, v);
    return 0;
}

static int ex_pushf(struct xe *x)
{
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP] - n;
    /* SDM PUSHF: the image has VM and RF cleared. */
    uint64_t v = x->c->rflags & ~(uint64_t)(X86_RFLAGS_VM | X86_RFLAGS_RF);

    if (xe_store(x, X86_REG_SS, sp, n, v)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp);
    return 0;
}

/* SDM POPF, protected mode: VIP, VIF, VM and reserved bits are never
 * changed; IOPL only at CPL 0; IF only when CPL <= IOPL.  RF is cleared by
 * the 32- and 64-bit forms; the 16-bit form changes only bits 15:0. */
static int ex_popf(struct xe *x)
{
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP];
    uint64_t fl = x->c->rflags;
    uint64_t mask = XE_POPF_MASK;
    unsigned iopl = (unsigned)(fl >> 12) & 3;
    uint64_t v;

    if (xe_load(x, X86_REG_SS, sp, n, &v)) {
        return XE_FAULT;
    }
    if (x->c->cpl <= iopl) {
        mask |= X86_RFLAGS_IF;
    }
    if (x->c->cpl == 0) {
        mask |= X86_RFLAGS_IOPL;
    }
    if (n == 2) {
        mask &= 0xffff;
    } else {
        fl &= ~(uint64_t)X86_RFLAGS_RF;
    }
    x->c->rflags = (fl & ~mask) | (v & mask) | X86_RFLAGS_FIXED;
    xe_set_sp(x->c, sp + n);
    return 0;
}

/*
 * SDM ENTER (64-bit mode, stack size 64): push RBP; FrameTemp = RSP;
 * copy level-1 frame pointers from [RBP - k*n]; push FrameTemp; RBP =
 * FrameTemp; RSP -= AllocSize.  Reads first, then writes from the lowest
 * address up (see Approximations).
 */
static int ex_enter(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned n = x->i->osize / 8;
    uint64_t alloc = x->i->opnd[0].u.imm & 0xffff;
    unsigned level = (unsigned)(x->i->opnd[1].u.imm & 31);
    uint64_t rbp = c->gpr[X86_REG_RBP];
    uint64_t frame = c->gpr[X86_REG_RSP] - n;
    uint64_t saved[32];
    unsigned k;

    for (k = 1; k < level; k++) {
        if (xe_load(x, X86_REG_SS, rbp - (uint64_t)k * n, n, &saved[k])) {
            return XE_FAULT;
        }
    }
    if (level > 0 &&
        xe_store(x, X86_REG_SS, frame - (uint64_t)level * n, n, frame)) {
        return XE_FAULT;
    }
    for (k = level > 0 ? level - 1 : 0; k >= 1; k--) {
        if (xe_store(x, X86_REG_SS, frame - (uint64_t)k * n, n, saved[k])) {
            return XE_FAULT;
        }
    }
    if (xe_store(x, X86_REG_SS, frame, n, rbp)) {
        return XE_FAULT;
    }
    c->gpr[X86_REG_RBP] = frame;
    xe_set_sp(c, frame - (uint64_t)level * n - alloc);
    return 0;
}

/* SDM LEAVE: RSP = RBP, then pop RBP (BP with a 16-bit operand size). */
static int ex_leave(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned n = x->i->osize / 8;
    uint64_t bp = c->gpr[X86_REG_RBP];
    uint64_t v;

    if (xe_load(x, X86_REG_SS, bp, n, &v)) {
        return XE_FAULT;
    }
    xe_set_sp(c, bp + n);
    xe_reg_set(c, X86_REG_RBP, false, n, v);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Arithmetic and logic                                                */
/* ------------------------------------------------------------------ */

static unsigned xe_alu_op(unsigned op)
{
    switch (op) {
    case X86_OP_ADD:
        return X86_ALU_ADD;
    case X86_OP_ADC:
        return X86_ALU_ADC;
    case X86_OP_SUB:
        return X86_ALU_SUB;
    case X86_OP_SBB:
        return X86_ALU_SBB;
    case X86_OP_CMP:
        return X86_ALU_CMP;
    case X86_OP_AND:
        return X86_ALU_AND;
    case X86_OP_OR:
        return X86_ALU_OR;
    case X86_OP_XOR:
        return X86_ALU_XOR;
    case X86_OP_TEST:
        return X86_ALU_TEST;
    case X86_OP_INC:
        return X86_ALU_INC;
    case X86_OP_DEC:
        return X86_ALU_DEC;
    case X86_OP_NEG:
        return X86_ALU_NEG;
    case X86_OP_NOT:
        return X86_ALU_NOT;
    case X86_OP_SHL:
        return X86_ALU_SHL;
    case X86_OP_SHR:
        return X86_ALU_SHR;
    case X86_OP_SAR:
        return X86_ALU_SAR;
    case X86_OP_ROL:
        return X86_ALU_ROL;
    case X86_OP_ROR:
        return X86_ALU_ROR;
    case X86_OP_RCL:
        return X86_ALU_RCL;
    default:
        return X86_ALU_RCR;
    }
}

/* Two-operand ALU group and the shifts/rotates (count from CL or imm8):
 * dest = dest op src, RFLAGS from x86_alu().  The destination is written
 * even for a zero count, so a 32-bit register is zero-extended. */
static int ex_alu2(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    unsigned op = xe_alu_op(x->i->op);
    uint64_t fl = x->c->rflags;
    uint64_t a;
    uint64_t b;
    uint64_t r;

    if (xe_opnd_read(x, d, &a) || xe_opnd_read(x, &x->i->opnd[1], &b)) {
        return XE_FAULT;
    }
    r = x86_alu(op, d->size, a, b, &fl);
    if (op != X86_ALU_CMP && op != X86_ALU_TEST &&
        xe_opnd_write(x, d, r)) {
        return XE_FAULT;
    }
    x->c->rflags = fl;
    return 0;
}

/* INC, DEC, NEG, NOT. */
static int ex_alu1(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    uint64_t fl = x->c->rflags;
    uint64_t a;
    uint64_t r;

    if (xe_opnd_read(x, d, &a)) {
        return XE_FAULT;
    }
    r = x86_alu(xe_alu_op(x->i->op), d->size, a, 0, &fl);
    if (xe_opnd_write(x, d, r)) {
        return XE_FAULT;
    }
    x->c->rflags = fl;
    return 0;
}

/* MUL, IMUL: one operand (rDX:rAX = rAX * r/m; AX = AL * r/m8), two
 * (dest *= r/m) and three (dest = r/m * imm). */
static int ex_mul(struct xe *x)
{
    const struct x86_insn *i = x->i;
    struct x86_cpu *c = x->c;
    bool sign = i->op == X86_OP_IMUL;
    uint64_t fl = c->rflags;
    unsigned size = i->opnd[0].size;
    uint64_t a;
    uint64_t b;
    uint64_t lo;
    uint64_t hi;

    if (i->nops <= 1) {
        if (xe_opnd_read(x, &i->opnd[0], &b)) {
            return XE_FAULT;
        }
        a = xe_reg_get(c, X86_REG_RAX, false, size);
        x86_mul(sign, size, a, b, &lo, &hi, &fl);
        if (size == 1) {
            xe_reg_set(c, X86_REG_RAX, false, 2, (hi << 8) | lo);
        } else {
            xe_reg_set(c, X86_REG_RAX, false, size, lo);
            xe_reg_set(c, X86_REG_RDX, false, size, hi);
        }
    } else {
        const struct x86_operand *s1 = i->nops == 2 ? &i->opnd[0]
                                                    : &i->opnd[1];
        const struct x86_operand *s2 = i->nops == 2 ? &i->opnd[1]
                                                    : &i->opnd[2];

        if (xe_opnd_read(x, s1, &a) || xe_opnd_read(x, s2, &b)) {
            return XE_FAULT;
        }
        x86_mul(true, size, a, b, &lo, &hi, &fl);
        xe_reg_set(c, i->opnd[0].reg, false, size, lo);
    }
    c->rflags = fl;
    return 0;
}

/* DIV, IDIV: rDX:rAX / r/m (AX / r/m8 -> AL quotient, AH remainder);
 * #DE for a zero divisor or a quotient too large. */
static int ex_div(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned size = x->i->opnd[0].size;
    uint64_t d;
    uint64_t hi;
    uint64_t lo;
    uint64_t q;
    uint64_t rem;

    if (xe_opnd_read(x, &x->i->opnd[0], &d)) {
        return XE_FAULT;
    }
    if (size == 1) {
        hi = xe_reg_get(c, X86_REG_RAX, true, 1);
        lo = xe_reg_get(c, X86_REG_RAX, false, 1);
    } else {
        hi = xe_reg_get(c, X86_REG_RDX, false, size);
        lo = xe_reg_get(c, X86_REG_RAX, false, size);
    }
    if (!x86_div(x->i->op == X86_OP_IDIV, size, hi, lo, d, &q, &rem)) {
        return xe_raise(x->r, X86_VEC_DE, false, 0);
    }
    if (size == 1) {
        xe_reg_set(c, X86_REG_RAX, false, 2, (rem << 8) | (q & 0xff));
    } else {
        xe_reg_set(c, X86_REG_RAX, false, size, q);
        xe_reg_set(c, X86_REG_RDX, false, size, rem);
    }
    return 0;
}

/* CBW/CWDE/CDQE sign-extend the lower half of rAX into rAX; CWD/CDQ/CQO
 * fill rDX with the sign of rAX. */
static int ex_conv(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned size = x->i->osize / 8;
    uint64_t a;

    switch (x->i->op) {
    case X86_OP_CBW:
    case X86_OP_CWDE:
    case X86_OP_CDQE:
        a = xe_reg_get(c, X86_REG_RAX, false, size / 2);
        xe_reg_set(c, X86_REG_RAX, false, size, xe_sext(a, size / 2));
        break;
    default:
        a = xe_reg_get(c, X86_REG_RAX, false, size);
        xe_reg_set(c, X86_REG_RDX, false, size,
                   (a >> (8 * size - 1)) & 1 ? ~0ull : 0);
        break;
    }
    return 0;
}

static int ex_shd(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    uint64_t fl = x->c->rflags;
    uint64_t dst;
    uint64_t src;
    uint64_t cnt;
    uint64_t r;

    if (xe_opnd_read(x, d, &dst) || xe_opnd_read(x, &x->i->opnd[1], &src) ||
        xe_opnd_read(x, &x->i->opnd[2], &cnt)) {
        return XE_FAULT;
    }
    r = x86_shd(x->i->op == X86_OP_SHLD, d->size, dst, src, cnt, &fl);
    if (xe_opnd_write(x, d, r)) {
        return XE_FAULT;
    }
    x->c->rflags = fl;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Bit operations                                                      */
/* ------------------------------------------------------------------ */

static unsigned xe_bit_op(unsigned op)
{
    switch (op) {
    case X86_OP_BT:
        return X86_BIT_BT;
    case X86_OP_BTS:
        return X86_BIT_BTS;
    case X86_OP_BTR:
        return X86_BIT_BTR;
    case X86_OP_BTC:
        return X86_BIT_BTC;
    case X86_OP_BSF:
        return X86_BIT_BSF;
    case X86_OP_BSR:
        return X86_BIT_BSR;
    case X86_OP_TZCNT:
        return X86_BIT_TZCNT;
    case X86_OP_LZCNT:
        return X86_BIT_LZCNT;
    default:
        return X86_BIT_POPCNT;
    }
}

/*
 * BT, BTS, BTR, BTC (SDM BT "Operation" and the bit-string addressing of
 * Vol. 1 "Bit Field Addressing"): an immediate offset is taken modulo the
 * operand width; a register offset into a memory operand is signed and
 * selects the operand-sized word at base + (offset SAR log2 width) * size.
 */
static int ex_bt(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    const struct x86_operand *s = &x->i->opnd[1];
    unsigned op = xe_bit_op(x->i->op);
    unsigned size = d->size;
    unsigned bits = 8 * size;
    uint64_t fl = x->c->rflags;
    uint64_t off;
    uint64_t dst;
    uint64_t r;
    uint64_t la = 0;

    if (xe_opnd_read(x, s, &off)) {
        return XE_FAULT;
    }
    if (s->kind == X86_OPND_IMM) {
        off &= bits - 1;
    }
    if (xe_is_mem(d)) {
        uint64_t ea = xe_offset(x, &d->u.mem);

        if (s->kind != X86_OPND_IMM) {
            int64_t so = (int64_t)xe_sext(off, size);
            int64_t word = so >> __builtin_ctz(bits);

            ea += (uint64_t)word * size;
            if (x->i->asize == 32) {
                ea &= 0xffffffffull;
            }
            off = (uint64_t)so & (bits - 1);
        }
        la = ea + xe_seg_base(x->c, d->u.mem.seg);
        if (xe_load(x, d->u.mem.seg, la, size, &dst)) {
            return XE_FAULT;
        }
    } else {
        dst = xe_reg_get(x->c, d->reg, d->reg_high, size);
    }
    r = x86_bitop(op, size, dst, off, &fl);
    if (op != X86_BIT_BT) {
        if (xe_is_mem(d)) {
            if (xe_store(x, d->u.mem.seg, la, size, r)) {
                return XE_FAULT;
            }
        } else {
            xe_reg_set(x->c, d->reg, d->reg_high, size, r);
        }
    }
    x->c->rflags = fl;
    return 0;
}

/* BSF, BSR, TZCNT, LZCNT, POPCNT.  BSF/BSR with a zero source do not
 * write the destination at all (no zero-extension). */
static int ex_bitscan(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    unsigned op = xe_bit_op(x->i->op);
    uint64_t fl = x->c->rflags;
    uint64_t src;
    uint64_t r;

    if (xe_opnd_read(x, &x->i->opnd[1], &src)) {
        return XE_FAULT;
    }
    r = x86_bitop(op, d->size, xe_reg_get(x->c, d->reg, false, d->size),
                  src, &fl);
    if (!((op == X86_BIT_BSF || op == X86_BIT_BSR) &&
          (src & xe_mask(d->size)) == 0)) {
        xe_reg_set(x->c, d->reg, false, d->size, r);
    }
    x->c->rflags = fl;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Control flow                                                        */
/* ------------------------------------------------------------------ */

/* Target of JMP/CALL: relative, or an absolute r/m operand. */
static int xe_target(struct xe *x, uint64_t *t)
{
    const struct x86_operand *o = &x->i->opnd[0];

    if (o->kind == X86_OPND_IMM) {
        *t = x86_insn_branch_target(x->i, x->r->rip);
        return 0;
    }
    if (xe_opnd_read(x, o, t)) {
        return XE_FAULT;
    }
    *t &= xe_mask(x->i->osize / 8);
    return 0;
}

static int ex_jmp(struct xe *x)
{
    uint64_t t;

    if (xe_target(x, &t)) {
        return XE_FAULT;
    }
    return xe_branch_to(x, t);
}

static int ex_jcc(struct xe *x)
{
    if (!xe_cond_true(x->i->cond, x->c->rflags)) {
        return 0;
    }
    return xe_branch_to(x, x86_insn_branch_target(x->i, x->r->rip));
}

/* LOOP/LOOPE/LOOPNE decrement rCX (the address size picks RCX or ECX)
 * without touching flags; JRCXZ/JECXZ test it. */
static int ex_loop(struct xe *x)
{
    struct x86_cpu *c = x->c;
    unsigned as = x->i->asize / 8;
    uint64_t cnt = xe_reg_get(c, X86_REG_RCX, false, as);
    bool zf = (c->rflags & X86_FL_ZF) != 0;
    bool taken;

    switch (x->i->op) {
    case X86_OP_JECXZ:
    case X86_OP_JRCXZ:
    case X86_OP_JCXZ:
        taken = cnt == 0;
        break;
    default:
        cnt = (cnt - 1) & xe_mask(as);
        taken = cnt != 0;
        if (x->i->op == X86_OP_LOOPE) {
            taken = taken && zf;
        } else if (x->i->op == X86_OP_LOOPNE) {
            taken = taken && !zf;
        }
        break;
    }
    if (taken &&
        xe_branch_to(x, x86_insn_branch_target(x->i, x->r->rip))) {
        return XE_FAULT;
    }
    if (x->i->op == X86_OP_LOOP || x->i->op == X86_OP_LOOPE ||
        x->i->op == X86_OP_LOOPNE) {
        xe_reg_set(c, X86_REG_RCX, false, as, cnt);
    }
    return 0;
}

static int ex_call(struct xe *x)
{
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP] - n;
    uint64_t t;

    /* The target (an r/m operand uses the old RSP) is checked before the
     * return address is pushed. */
    if (xe_target(x, &t)) {
        return XE_FAULT;
    }
    if (xe_mode64(x->c) && !xe_canonical_c(x->c, t)) {
        return xe_raise(x->r, X86_VEC_GP, true, 0);
    }
    if (xe_store(x, X86_REG_SS, sp, n, x->next)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp);
    x->next = t;
    return 0;
}

static int ex_ret(struct xe *x)
{
    unsigned n = x->i->osize / 8;
    uint64_t sp = x->c->gpr[X86_REG_RSP];
    uint64_t extra = x->i->nops > 0 ? x->i->opnd[0].u.imm & 0xffff : 0;
    uint64_t t;

    if (xe_load(x, X86_REG_SS, sp, n, &t) || xe_branch_to(x, t)) {
        return XE_FAULT;
    }
    xe_set_sp(x->c, sp + n + extra);
    return 0;
}

/* ------------------------------------------------------------------ */
/* String instructions                                                 */
/* ------------------------------------------------------------------ */

enum xe_str { XE_MOVS, XE_STOS, XE_CMPS, XE_SCAS, XE_LODS };

static void xe_str_kind(unsigned op, enum xe_str *kind, unsigned *size)
{
    static const struct {
        uint16_t op;
        uint8_t kind;
        uint8_t size;
    } t[] = {
        { X86_OP_MOVSB, XE_MOVS, 1 }, { X86_OP_MOVSW, XE_MOVS, 2 },
        { X86_OP_MOVSD, XE_MOVS, 4 }, { X86_OP_MOVSQ, XE_MOVS, 8 },
        { X86_OP_STOSB, XE_STOS, 1 }, { X86_OP_STOSW, XE_STOS, 2 },
        { X86_OP_STOSD, XE_STOS, 4 }, { X86_OP_STOSQ, XE_STOS, 8 },
        { X86_OP_CMPSB, XE_CMPS, 1 }, { X86_OP_CMPSW, XE_CMPS, 2 },
        { X86_OP_CMPSD, XE_CMPS, 4 }, { X86_OP_CMPSQ, XE_CMPS, 8 },
        { X86_OP_SCASB, XE_SCAS, 1 }, { X86_OP_SCASW, XE_SCAS, 2 },
        { X86_OP_SCASD, XE_SCAS, 4 }, { X86_OP_SCASQ, XE_SCAS, 8 },
        { X86_OP_LODSB, XE_LODS, 1 }, { X86_OP_LODSW, XE_LODS, 2 },
        { X86_OP_LODSD, XE_LODS, 4 }, { X86_OP_LODSQ, XE_LODS, 8 },
    };
    size_t k;

    for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        if (t[k].op == op) {
            *kind = (enum xe_str)t[k].kind;
            *size = t[k].size;
            return;
        }
    }
    *kind = XE_LODS;
    *size = 1;
}

/*
 * MOVS, STOS, CMPS, SCAS, LODS (SDM each, and "REP/REPE/REPZ/REPNE/
 * REPNZ"): source DS:rSI (segment override allowed), destination ES:rDI
 * (no override); rSI/rDI step by the element size, down when DF = 1; the
 * address size picks RSI/RDI/RCX or ESI/EDI/ECX.  With a repeat prefix:
 * stop when rCX = 0 before an iteration, decrement rCX after each, and for
 * CMPS/SCAS stop on ZF = 0 (REPE) or ZF = 1 (REPNE).  Registers are
 * committed per iteration, so a fault leaves the completed ones.
 */
static int ex_string(struct xe *x)
{
    struct x86_cpu *c = x->c;
    const struct x86_insn *i = x->i;
    unsigned as = i->asize / 8;
    bool rep = (i->prefixes & (X86_PFX_REP | X86_PFX_REPE |
                               X86_PFX_REPNE)) != 0;
    unsigned sseg = i->seg_override != X86_REG_NONE ? i->seg_override
                                                     : X86_REG_DS;
    uint32_t limit = c->rep_limit ? c->rep_limit : X86_CPU_REP_LIMIT_DEFAULT;
    uint32_t done = 0;
    enum xe_str kind;
    unsigned n;
    uint64_t step;

    xe_str_kind(i->op, &kind, &n);
    step = (c->rflags & X86_RFLAGS_DF) ? (uint64_t)0 - n : n;
    if (c->rflags & X86_RFLAGS_TF) {
        limit = 1;          /* single-step traps after each iteration */
    }
    for (;;) {
        uint64_t si = xe_reg_get(c, X86_REG_RSI, false, as);
        uint64_t di = xe_reg_get(c, X86_REG_RDI, false, as);
        uint64_t sla = si + xe_seg_base(c, sseg);
        uint64_t fl = c->rflags;
        uint64_t a = 0;
        uint64_t b = 0;
        int rc = 0;

        if (rep && xe_reg_get(c, X86_REG_RCX, false, as) == 0) {
            break;
        }
        if (done == limit) {
            x->r->rep_more = 1;
            break;
        }
        switch (kind) {
        case XE_MOVS:
            rc = xe_load(x, sseg, sla, n, &a) ||
                 xe_store(x, X86_REG_ES, di, n, a);
            break;
        case XE_STOS:
            rc = xe_store(x, X86_REG_ES, di, n,
                          xe_reg_get(c, X86_REG_RAX, false, n));
            break;
        case XE_CMPS:
            rc = xe_load(x, sseg, sla, n, &a) ||
                 xe_load(x, X86_REG_ES, di, n, &b);
            if (rc == 0) {
                (void)x86_alu(X86_ALU_CMP, n, a, b, &fl);
            }
            break;
        case XE_SCAS:
            rc = xe_load(x, X86_REG_ES, di, n, &b);
            if (rc == 0) {
                (void)x86_alu(X86_ALU_CMP, n,
                              xe_reg_get(c, X86_REG_RAX, false, n), b, &fl);
            }
            break;
        case XE_LODS:
        default:
            rc = xe_load(x, sseg, sla, n, &a);
            break;
        }
        if (rc) {
            x->r->rep_iters = done;
            c->st.rep_iters += done;
            return XE_FAULT;
        }
        /* Commit the iteration. */
        if (kind == XE_LODS) {
            xe_reg_set(c, X86_REG_RAX, false, n, a);
        }
        if (kind == XE_MOVS || kind == XE_CMPS || kind == XE_LODS) {
            xe_reg_set(c, X86_REG_RSI, false, as, si + step);
        }
        if (kind != XE_LODS) {
            xe_reg_set(c, X86_REG_RDI, false, as, di + step);
        }
        c->rflags = fl;
        done++;
        if (!rep) {
            break;
        }
        xe_reg_set(c, X86_REG_RCX, false, as,
                   xe_reg_get(c, X86_REG_RCX, false, as) - 1);
        if (((i->prefixes & X86_PFX_REPE) && !(fl & X86_FL_ZF)) ||
            ((i->prefixes & X86_PFX_REPNE) && (fl & X86_FL_ZF))) {
            break;
        }
    }
    x->r->rep_iters = done;
    c->st.rep_iters += done;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Atomics                                                             */
/* ------------------------------------------------------------------ */

/* SDM CMPXCHG: compare rAX with the destination; equal: dest = src,
 * else rAX = dest.  A memory destination is always written (its old value
 * on a mismatch); a register destination is left alone on a mismatch, and
 * rAX on a match (no zero-extension of either). */
static int ex_cmpxchg(struct xe *x)
{
    struct x86_cpu *c = x->c;
    const struct x86_operand *d = &x->i->opnd[0];
    unsigned size = d->size;
    uint64_t fl = c->rflags;
    uint64_t acc = xe_reg_get(c, X86_REG_RAX, false, size);
    uint64_t dst;
    uint64_t src;
    bool eq;

    if (xe_opnd_read(x, d, &dst) || xe_opnd_read(x, &x->i->opnd[1], &src)) {
        return XE_FAULT;
    }
    (void)x86_alu(X86_ALU_CMP, size, acc, dst, &fl);
    eq = acc == dst;
    if (xe_is_mem(d)) {
        if (xe_opnd_write(x, d, eq ? src : dst)) {
            return XE_FAULT;
        }
    } else if (eq) {
        xe_reg_set(c, d->reg, d->reg_high, size, src);
    }
    if (!eq) {
        xe_reg_set(c, X86_REG_RAX, false, size, dst);
    }
    c->rflags = fl;
    return 0;
}

/* SDM XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP. */
static int ex_xadd(struct xe *x)
{
    const struct x86_operand *d = &x->i->opnd[0];
    const struct x86_operand *s = &x->i->opnd[1];
    uint64_t fl = x->c->rflags;
    uint64_t dst;
    uint64_t src;
    uint64_t sum;

    if (xe_opnd_read(x, d, &dst) || xe_opnd_read(x, s, &src)) {
        return XE_FAULT;
    }
    sum = x86_alu(X86_ALU_ADD, d->size, dst, src, &fl);
    if (xe_is_mem(d)) {
        if (xe_opnd_write(x, d, sum)) {
            return XE_FAULT;
        }
        xe_opnd_write(x, s, dst);
    } else {
        xe_opnd_write(x, s, dst);
        xe_opnd_write(x, d, sum);
    }
    x->c->rflags = fl;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Flags, hints, fences                                                */
/* ------------------------------------------------------------------ */

static int ex_flag(struct xe *x)
{
    uint64_t *fl = &x->c->rflags;

    switch (x->i->op) {
    case X86_OP_CLC:
        *fl &= ~(uint64_t)X86_FL_CF;
        break;
    case X86_OP_STC:
        *fl |= X86_FL_CF;
        break;
    case X86_OP_CMC:
        *fl ^= X86_FL_CF;
        break;
    case X86_OP_CLD:
        *fl &= ~(uint64_t)X86_RFLAGS_DF;
        break;
    default:
        *fl |= X86_RFLAGS_DF;
        break;
    }
    return 0;
}

/* NOP (also 0F 1F /0, which never accesses memory), PAUSE, ENDBR32/64
 * (no CET), LFENCE, SFENCE, MFENCE: no architectural effect here. */
static int ex_nop(struct xe *x)
{
    (void)x;
    return 0;
}

static int ex_ud2(struct xe *x)
{
    return xe_raise(x->r, X86_VEC_UD, false, 0);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

/* Indexed by enum x86_op; NULL: not implemented (refused with #UD). */
static const xe_fn xe_handler[X86_OP__COUNT] = {
    [X86_OP_MOV] = ex_mov,
    [X86_OP_MOVZX] = ex_movx,
    [X86_OP_MOVSX] = ex_movx,
    [X86_OP_MOVSXD] = ex_movx,
    [X86_OP_LEA] = ex_lea,
    [X86_OP_XCHG] = ex_xchg,
    [X86_OP_BSWAP] = ex_bswap,
    [X86_OP_PUSH] = ex_push,
    [X86_OP_POP] = ex_pop,
    [X86_OP_PUSHF] = ex_pushf,
    [X86_OP_PUSHFD] = ex_pushf,
    [X86_OP_PUSHFQ] = ex_pushf,
    [X86_OP_POPF] = ex_popf,
    [X86_OP_POPFD] = ex_popf,
    [X86_OP_POPFQ] = ex_popf,
    [X86_OP_CMOVO] = ex_cmov, [X86_OP_CMOVNO] = ex_cmov,
    [X86_OP_CMOVB] = ex_cmov, [X86_OP_CMOVNB] = ex_cmov,
    [X86_OP_CMOVZ] = ex_cmov, [X86_OP_CMOVNZ] = ex_cmov,
    [X86_OP_CMOVBE] = ex_cmov, [X86_OP_CMOVNBE] = ex_cmov,
    [X86_OP_CMOVS] = ex_cmov, [X86_OP_CMOVNS] = ex_cmov,
    [X86_OP_CMOVP] = ex_cmov, [X86_OP_CMOVNP] = ex_cmov,
    [X86_OP_CMOVL] = ex_cmov, [X86_OP_CMOVNL] = ex_cmov,
    [X86_OP_CMOVLE] = ex_cmov, [X86_OP_CMOVNLE] = ex_cmov,
    [X86_OP_SETO] = ex_setcc, [X86_OP_SETNO] = ex_setcc,
    [X86_OP_SETB] = ex_setcc, [X86_OP_SETNB] = ex_setcc,
    [X86_OP_SETZ] = ex_setcc, [X86_OP_SETNZ] = ex_setcc,
    [X86_OP_SETBE] = ex_setcc, [X86_OP_SETNBE] = ex_setcc,
    [X86_OP_SETS] = ex_setcc, [X86_OP_SETNS] = ex_setcc,
    [X86_OP_SETP] = ex_setcc, [X86_OP_SETNP] = ex_setcc,
    [X86_OP_SETL] = ex_setcc, [X86_OP_SETNL] = ex_setcc,
    [X86_OP_SETLE] = ex_setcc, [X86_OP_SETNLE] = ex_setcc,
    [X86_OP_ADD] = ex_alu2,
    [X86_OP_ADC] = ex_alu2,
    [X86_OP_SUB] = ex_alu2,
    [X86_OP_SBB] = ex_alu2,
    [X86_OP_CMP] = ex_alu2,
    [X86_OP_AND] = ex_alu2,
    [X86_OP_OR] = ex_alu2,
    [X86_OP_XOR] = ex_alu2,
    [X86_OP_TEST] = ex_alu2,
    [X86_OP_INC] = ex_alu1,
    [X86_OP_DEC] = ex_alu1,
    [X86_OP_NEG] = ex_alu1,
    [X86_OP_NOT] = ex_alu1,
    [X86_OP_MUL] = ex_mul,
    [X86_OP_IMUL] = ex_mul,
    [X86_OP_DIV] = ex_div,
    [X86_OP_IDIV] = ex_div,
    [X86_OP_CBW] = ex_conv,
    [X86_OP_CWDE] = ex_conv,
    [X86_OP_CDQE] = ex_conv,
    [X86_OP_CWD] = ex_conv,
    [X86_OP_CDQ] = ex_conv,
    [X86_OP_CQO] = ex_conv,
    [X86_OP_SHL] = ex_alu2,
    [X86_OP_SHR] = ex_alu2,
    [X86_OP_SAR] = ex_alu2,
    [X86_OP_ROL] = ex_alu2,
    [X86_OP_ROR] = ex_alu2,
    [X86_OP_RCL] = ex_alu2,
    [X86_OP_RCR] = ex_alu2,
    [X86_OP_SHLD] = ex_shd,
    [X86_OP_SHRD] = ex_shd,
    [X86_OP_BT] = ex_bt,
    [X86_OP_BTS] = ex_bt,
    [X86_OP_BTR] = ex_bt,
    [X86_OP_BTC] = ex_bt,
    [X86_OP_BSF] = ex_bitscan,
    [X86_OP_BSR] = ex_bitscan,
    [X86_OP_TZCNT] = ex_bitscan,
    [X86_OP_LZCNT] = ex_bitscan,
    [X86_OP_POPCNT] = ex_bitscan,
    [X86_OP_JMP] = ex_jmp,
    [X86_OP_JO] = ex_jcc, [X86_OP_JNO] = ex_jcc,
    [X86_OP_JB] = ex_jcc, [X86_OP_JNB] = ex_jcc,
    [X86_OP_JZ] = ex_jcc, [X86_OP_JNZ] = ex_jcc,
    [X86_OP_JBE] = ex_jcc, [X86_OP_JNBE] = ex_jcc,
    [X86_OP_JS] = ex_jcc, [X86_OP_JNS] = ex_jcc,
    [X86_OP_JP] = ex_jcc, [X86_OP_JNP] = ex_jcc,
    [X86_OP_JL] = ex_jcc, [X86_OP_JNL] = ex_jcc,
    [X86_OP_JLE] = ex_jcc, [X86_OP_JNLE] = ex_jcc,
    [X86_OP_LOOP] = ex_loop,
    [X86_OP_LOOPE] = ex_loop,
    [X86_OP_LOOPNE] = ex_loop,
    [X86_OP_JCXZ] = ex_loop,
    [X86_OP_JECXZ] = ex_loop,
    [X86_OP_JRCXZ] = ex_loop,
    [X86_OP_CALL] = ex_call,
    [X86_OP_RET] = ex_ret,
    [X86_OP_ENTER] = ex_enter,
    [X86_OP_LEAVE] = ex_leave,
    [X86_OP_MOVSB] = ex_string, [X86_OP_MOVSW] = ex_string,
    [X86_OP_MOVSD] = ex_string, [X86_OP_MOVSQ] = ex_string,
    [X86_OP_STOSB] = ex_string, [X86_OP_STOSW] = ex_string,
    [X86_OP_STOSD] = ex_string, [X86_OP_STOSQ] = ex_string,
    [X86_OP_CMPSB] = ex_string, [X86_OP_CMPSW] = ex_string,
    [X86_OP_CMPSD] = ex_string, [X86_OP_CMPSQ] = ex_string,
    [X86_OP_SCASB] = ex_string, [X86_OP_SCASW] = ex_string,
    [X86_OP_SCASD] = ex_string, [X86_OP_SCASQ] = ex_string,
    [X86_OP_LODSB] = ex_string, [X86_OP_LODSW] = ex_string,
    [X86_OP_LODSD] = ex_string, [X86_OP_LODSQ] = ex_string,
    [X86_OP_CMPXCHG] = ex_cmpxchg,
    [X86_OP_XADD] = ex_xadd,
    [X86_OP_CLC] = ex_flag,
    [X86_OP_STC] = ex_flag,
    [X86_OP_CMC] = ex_flag,
    [X86_OP_CLD] = ex_flag,
    [X86_OP_STD] = ex_flag,
    [X86_OP_NOP] = ex_nop,
    [X86_OP_PAUSE] = ex_nop,
    [X86_OP_ENDBR32] = ex_nop,
    [X86_OP_ENDBR64] = ex_nop,
    [X86_OP_LFENCE] = ex_nop,
    [X86_OP_SFENCE] = ex_nop,
    [X86_OP_MFENCE] = ex_nop,
    [X86_OP_UD2] = ex_ud2,
};

/* Every register operand of an implemented instruction must be a GPR
 * (the table rows keep segment, control and debug forms apart; this
 * guards against anything else). */
static bool xe_operands_ok(const struct x86_insn *i)
{
    unsigned k;

    for (k = 0; k < i->nops; k++) {
        if (i->opnd[k].kind == X86_OPND_REG &&
            !X86_REG_IS_GPR(i->opnd[k].reg)) {
            return false;
        }
        if (i->opnd[k].kind == X86_OPND_PTR) {
            return false;
        }
    }
    return true;
}

/*
 * Dispatch kinds (x86_insn.xk), resolved once per decode by xe_resolve()
 * and kept with the instruction in the predecode cache.  Only an
 * instruction none of whose checks in xe_execute() can fail (known op with
 * an integer-half handler, GPR operands, no privilege, UMIP or IOPL flag,
 * not VMX/SVM) leaves XK_CHECKED.  The kinds from XK_ALU_RR on are "pure":
 * register and immediate operands only, so they cannot fault except for
 * a non-canonical branch target, where xe_pure() gives up before changing
 * anything and the handler runs instead.  Each runs its handler's code for
 * the operand forms named.
 */
enum xe_kind {
    XK_CHECKED = 0,     /* xe_execute(): the table's checks, then a handler
                           (also what x86_decode() leaves) */
    XK_HANDLER,         /* xe_handler[op] */
    XK_ALU_RR,          /* ex_alu2, register destination and source;
                           xarg = enum x86_alu_op */
    XK_ALU_RI,          /* ex_alu2, register destination, immediate */
    XK_ALU_RR64,        /* XK_ALU_RR, 64-bit (no AH..BH) */
    XK_ALU_RI64,
    XK_ALU_RR32,        /* XK_ALU_RR, 32-bit */
    XK_ALU_RI32,
    XK_ALU1_R,          /* ex_alu1 on a register; xarg as above */
    XK_MOV_RR,          /* ex_mov register <- register */
    XK_MOV_RI,          /* ex_mov register <- immediate */
    XK_MOVX_RR,         /* ex_movx register <- register; xarg 1: sign */
    XK_LEA,             /* ex_lea */
    XK_IMUL_R,          /* ex_mul, two- or three-operand IMUL without a
                           memory operand */
    XK_JCC,             /* ex_jcc */
    XK_JMP_REL,         /* ex_jmp with a relative target */
    XK_CMOV_RR,         /* ex_cmov register <- register */
    XK_SETCC_R,         /* ex_setcc on a register */
    XK_NOP              /* ex_nop */
};

static bool xe_not_mem(const struct x86_operand *o)
{
    return o->kind == X86_OPND_REG || o->kind == X86_OPND_IMM;
}

static void xe_resolve(struct x86_insn *i)
{
    const struct x86_operand *d = &i->opnd[0];
    const struct x86_operand *s = &i->opnd[1];
    bool rd = i->nops >= 1 && d->kind == X86_OPND_REG;
    bool rs = i->nops >= 2 && s->kind == X86_OPND_REG;
    bool is = i->nops >= 2 && s->kind == X86_OPND_IMM;
    xe_fn fn;

    i->xk = XK_CHECKED;
    i->xarg = 0;
    if (i->op == X86_OP_UNKNOWN || i->op >= X86_OP__COUNT ||
        i->cls == X86_CLASS_VMX || i->cls == X86_CLASS_SVM ||
        (i->flags & (X86_F_PRIV | X86_F_UMIP | X86_F_IOPL)) ||
        x86_sys_handler[i->op] != NULL || xe_handler[i->op] == NULL ||
        (i->flags & X86_F_VMEXIT) || i->op == X86_OP_PAUSE ||
        !xe_operands_ok(i)) {
        return;     /* also: may exit in VMX non-root operation */
    }
    fn = xe_handler[i->op];
    i->xk = XK_HANDLER;
    if (fn == ex_alu2 && rd && i->nops == 2 && (rs || is)) {
        i->xk = rs ? XK_ALU_RR : XK_ALU_RI;
        if (!d->reg_high && (is || (!s->reg_high && s->size == d->size))) {
            if (d->size == 8) {
                i->xk = rs ? XK_ALU_RR64 : XK_ALU_RI64;
            } else if (d->size == 4) {
                i->xk = rs ? XK_ALU_RR32 : XK_ALU_RI32;
            }
        }
        i->xarg = (uint8_t)xe_alu_op(i->op);
    } else if (fn == ex_alu1 && rd) {
        i->xk = XK_ALU1_R;
        i->xarg = (uint8_t)xe_alu_op(i->op);
    } else if (fn == ex_mov && rd && (rs || is)) {
        i->xk = rs ? XK_MOV_RR : XK_MOV_RI;
    } else if (fn == ex_movx && rd && rs) {
        i->xk = XK_MOVX_RR;
        i->xarg = i->op != X86_OP_MOVZX;
    } else if (fn == ex_lea && rd && i->nops >= 2 &&
               s->kind == X86_OPND_MEM) {
        i->xk = XK_LEA;
    } else if (i->op == X86_OP_IMUL && rd && i->nops >= 2 &&
               xe_not_mem(s) && (i->nops == 2 || xe_not_mem(&i->opnd[2]))) {
        i->xk = XK_IMUL_R;
    } else if (fn == ex_jcc) {
        i->xk = XK_JCC;
    } else if (fn == ex_jmp && i->nops >= 1 && d->kind == X86_OPND_IMM) {
        i->xk = XK_JMP_REL;
    } else if (fn == ex_cmov && rd && rs) {
        i->xk = XK_CMOV_RR;
    } else if (fn == ex_setcc && rd) {
        i->xk = XK_SETCC_R;
    } else if (fn == ex_nop) {
        i->xk = XK_NOP;
    }
}

static inline uint64_t xe_opnd_val(const struct x86_cpu *c,
                                   const struct x86_operand *o)
{
    return o->kind == X86_OPND_REG
           ? xe_reg_get(c, o->reg, o->reg_high, o->size) : o->u.imm;
}

/* ex_alu2 on a 64- or 32-bit register destination (`size` a constant,
 * so that x86_alu_inl() folds its masks). */
static inline __attribute__((always_inline)) void
xe_alu_sized(struct x86_cpu *c, unsigned op, unsigned size, unsigned dreg,
             uint64_t b)
{
    uint64_t *p = &c->gpr[dreg & 15];
    uint64_t fl = c->rflags;
    uint64_t r;

    if (!x86_alu_inl(op, size, *p, b, &fl, &r)) {
        r = x86_alu(op, size, *p, b, &fl);
    }
    if (op != X86_ALU_CMP && op != X86_ALU_TEST) {
        *p = r;             /* a 32-bit result is zero-extended */
    }
    c->rflags = fl;
}

/*
 * A pure kind (xk >= XK_ALU_RR) at `ip`; *next holds the address of the
 * next instruction and receives the branch target.  Returns 0, or 1 with
 * nothing changed when the handler must run instead (a branch to a
 * non-canonical address raises #GP(0) there).
 */
static inline __attribute__((always_inline)) int
xe_pure(struct x86_cpu *c, const struct x86_insn *i, uint64_t ip,
        uint64_t *next)
{
    const struct x86_operand *d = &i->opnd[0];
    const struct x86_operand *s = &i->opnd[1];
    uint64_t fl;
    uint64_t a;
    uint64_t b;
    uint64_t r;

    switch (i->xk) {
    case XK_ALU_RR64:
        xe_alu_sized(c, i->xarg, 8, d->reg, c->gpr[s->reg & 15]);
        return 0;
    case XK_ALU_RI64:
        xe_alu_sized(c, i->xarg, 8, d->reg, s->u.imm);
        return 0;
    case XK_ALU_RR32:
        xe_alu_sized(c, i->xarg, 4, d->reg, c->gpr[s->reg & 15]);
        return 0;
    case XK_ALU_RI32:
        xe_alu_sized(c, i->xarg, 4, d->reg, s->u.imm);
        return 0;
    case XK_ALU_RR:
        b = xe_reg_get(c, s->reg, s->reg_high, s->size);
        goto alu2;
    case XK_ALU_RI:
        b = s->u.imm;
    alu2:
        a = xe_reg_get(c, d->reg, d->reg_high, d->size);
        fl = c->rflags;
        if (!x86_alu_inl(i->xarg, d->size, a, b, &fl, &r)) {
            r = x86_alu(i->xarg, d->size, a, b, &fl);
        }
        if (i->xarg != X86_ALU_CMP && i->xarg != X86_ALU_TEST) {
            xe_reg_set(c, d->reg, d->reg_high, d->size, r);
        }
        c->rflags = fl;
        return 0;
    case XK_ALU1_R:
        a = xe_reg_get(c, d->reg, d->reg_high, d->size);
        fl = c->rflags;
        if (!x86_alu_inl(i->xarg, d->size, a, 0, &fl, &r)) {
            r = x86_alu(i->xarg, d->size, a, 0, &fl);
        }
        xe_reg_set(c, d->reg, d->reg_high, d->size, r);
        c->rflags = fl;
        return 0;
    case XK_MOV_RR:
        xe_reg_set(c, d->reg, d->reg_high, d->size,
                   xe_reg_get(c, s->reg, s->reg_high, s->size));
        return 0;
    case XK_MOV_RI:
        xe_reg_set(c, d->reg, d->reg_high, d->size, s->u.imm);
        return 0;
    case XK_MOVX_RR:
        a = xe_reg_get(c, s->reg, s->reg_high, s->size);
        if (i->xarg) {
            a = xe_sext(a, s->size);
        }
        xe_reg_set(c, d->reg, d->reg_high, d->size, a);
        return 0;
    case XK_LEA:
        xe_reg_set(c, d->reg, d->reg_high, d->size,
                   xe_offset_at(c, i->asize, *next, &s->u.mem));
        return 0;
    case XK_IMUL_R: {
        /* ex_mul, two and three operands: dest = s1 * s2. */
        const struct x86_operand *s1 = i->nops == 2 ? d : s;
        const struct x86_operand *s2 = i->nops == 2 ? s : &i->opnd[2];
        uint64_t hi;

        fl = c->rflags;
        x86_mul(true, d->size, xe_opnd_val(c, s1), xe_opnd_val(c, s2), &r,
                &hi, &fl);
        xe_reg_set(c, d->reg, false, d->size, r);
        c->rflags = fl;
        return 0;
    }
    case XK_JCC:
        if (!xe_cond_true(i->cond, c->rflags)) {
            return 0;
        }
        /* fall through */
    case XK_JMP_REL:
        a = x86_insn_branch_target(i, ip);
        if (xe_mode64(c) && !xe_canonical_c(c, a)) {
            return 1;
        }
        *next = a;
        return 0;
    case XK_CMOV_RR:
        /* A 32-bit destination is written, hence zero-extended, even
         * when the condition is false. */
        a = xe_cond_true(i->cond, c->rflags)
            ? xe_reg_get(c, s->reg, s->reg_high, s->size)
            : xe_reg_get(c, d->reg, d->reg_high, d->size);
        xe_reg_set(c, d->reg, d->reg_high, d->size, a);
        return 0;
    case XK_SETCC_R:
        xe_reg_set(c, d->reg, d->reg_high, d->size,
                   xe_cond_true(i->cond, c->rflags) ? 1 : 0);
        return 0;
    default:
        return 0;           /* XK_NOP */
    }
}

static int xe_execute(struct xe *x);

/* Run the instruction by its dispatch kind. */
static int xe_dispatch(struct xe *x)
{
    const struct x86_insn *i = x->i;

    if (i->xk >= XK_ALU_RR && xe_pure(x->c, i, x->r->rip, &x->next) == 0) {
        return 0;
    }
    if (i->xk != XK_CHECKED) {
        return xe_handler[i->op](x);
    }
    return xe_execute(x);
}

/*
 * Fetch up to 15 bytes at RIP and decode them for the current mode.  Bytes
 * on the next page are fetched only when the instruction needs them, so a
 * short instruction at the end of a page does not fault on the page after
 * it.  With a predecode cache (and mem->fetch_pa) a hit skips the fetch
 * and the decode: xe_fetch_decode() below; this is the rest, from the
 * canonical check (without a cache) or from a predecode miss at `pa`.
 */
static __attribute__((noinline)) int
xe_fetch_miss(struct x86_cpu *c, struct x86_exec_result *r,
              const struct x86_insn **out, bool cache, uint64_t pa)
{
    uint8_t bytes[XE_MAX_LEN];
    uint64_t ip = c->rip;
    unsigned first;
    unsigned acc = (c->cpl == 3 ? X86_PFEC_U : 0) | X86_PFEC_I;
    enum x86_mode mode = (enum x86_mode)c->mode;
    int rc;

    if (!cache && mode == X86_MODE_64 && !xe_canonical_c(c, ip)) {
        return xe_raise(r, X86_VEC_GP, true, 0);
    }
    first = xe_page_left(ip);
    if (first > XE_MAX_LEN) {
        first = XE_MAX_LEN;
    }
    rc = c->mem->fetch(c->mem_ctx, ip, bytes, first, acc);
    if (rc != 0) {
        return xe_raise_pf(c, r, ip, rc, acc);
    }
    rc = x86_decode(bytes, first, mode, &c->insn);
    if (rc == -X86_DEC_ETRUNC && first < XE_MAX_LEN) {
        uint64_t ip2 = xe_wrap_la(c, ip + first);

        if (mode == X86_MODE_64 && !xe_canonical_c(c, ip2)) {
            return xe_raise(r, X86_VEC_GP, true, 0);
        }
        rc = c->mem->fetch(c->mem_ctx, ip2, bytes + first,
                           XE_MAX_LEN - first, acc);
        if (rc != 0) {
            return xe_raise_pf(c, r, ip2, rc, acc);
        }
        rc = x86_decode(bytes, XE_MAX_LEN, mode, &c->insn);
    }
    if (rc == -X86_DEC_ETOOLONG) {
        return xe_raise(r, X86_VEC_GP, true, 0);
    }
    if (rc != 0) {
        return xe_raise(r, X86_VEC_UD, false, 0);
    }
    xe_resolve(&c->insn);
    *out = &c->insn;
    if (cache) {
        const struct x86_insn *kept = x86_pcache_fill(c->pcache, pa,
                                                      &c->insn);

        if (kept != NULL) {
            *out = kept;
        }
    }
    r->insn = *out;
    return 0;
}

/* The instruction at RIP, found in the predecode cache by the physical
 * address of the code page's translation (reused while RIP stays on the
 * page, unless fetch_each), or fetched and decoded.  `cache` and `each`
 * are xe_cached(c) and c->fetch_each.  The cache is first tried through
 * link `k` of `prev` (the entry of the instruction before, or NULL), and
 * the link is set when that fails; *ent receives the instruction's entry
 * (NULL when it is not cached). */
static inline __attribute__((always_inline)) int
xe_fetch_decode(struct x86_cpu *c, struct x86_exec_result *r,
                const struct x86_insn **out, bool cache, bool each,
                struct x86_pcache_entry *prev, unsigned k,
                struct x86_pcache_entry **ent)
{
    uint64_t ip = c->rip;
    struct x86_pcache_entry *e = NULL;
    uint64_t tag;
    uint64_t pa;
    int rc;

    *ent = NULL;
    if (!cache) {
        return xe_fetch_miss(c, r, out, false, 0);
    }
    tag = ((ip >> 12) << 1) | (c->cpl == 3);
    if (!each && c->fetch_tag == tag) {
        /* The page of an earlier fetch: translated, and canonical
         * (canonical is a property of bits 63:47, or 63:56). */
        pa = (c->fetch_pfn << 12) | (ip & 0xfff);
    } else {
        unsigned acc = (c->cpl == 3 ? X86_PFEC_U : 0) | X86_PFEC_I;

        if (c->mode == X86_MODE_64 && !xe_canonical_c(c, ip)) {
            return xe_raise(r, X86_VEC_GP, true, 0);
        }
        rc = c->mem->fetch_pa(c->mem_ctx, ip, &pa, acc);
        if (rc != 0) {
            return xe_raise_pf(c, r, ip, rc, acc);
        }
        c->fetch_tag = tag;
        c->fetch_pfn = pa >> 12;
    }
    if (prev != NULL) {
        e = x86_pcache_follow(c->pcache, prev, k, pa, c->mode);
    }
    if (e == NULL) {
        e = x86_pcache_find(c->pcache, pa, c->mode);
        if (e == NULL) {
            rc = xe_fetch_miss(c, r, out, true, pa);
            if (rc != 0 || *out == &c->insn) {
                return rc;      /* not cached: crosses a page */
            }
            e = x86_pcache_entry_of(*out);
        } else {
            c->st.pcache_hits++;
            *out = &e->insn;
            r->insn = *out;
        }
        if (prev != NULL) {
            x86_pcache_link(c->pcache, prev, k, e);
        }
        *ent = e;
        return 0;
    }
    c->st.pcache_hits++;
    *ent = e;
    *out = &e->insn;
    r->insn = *out;
    return 0;
}

static int xe_unimplemented(struct x86_cpu *c, const struct x86_insn *i,
                            struct x86_exec_result *r)
{
    unsigned zm = i->zmnemonic;

    if (zm < X86_CPU_MNEMONIC_SLOTS) {
        c->unimpl_by_mnemonic[zm]++;
    }
    c->st.unimpl++;
    r->unimpl = 1;
    return xe_raise(r, X86_VEC_UD, false, 0);
}

/* Privilege checks by table flags (x86_ops.def), then the handler.  The
 * instructions whose #UD conditions the SDM checks before CPL (SYSRET,
 * SYSEXIT, SWAPGS) make their own checks. */
static int xe_execute(struct xe *x)
{
    const struct x86_insn *i = x->i;
    struct x86_cpu *c = x->c;
    xe_fn fn;

    if (i->op == X86_OP_UNKNOWN || i->op >= X86_OP__COUNT) {
        return xe_unimplemented(c, i, x->r);
    }
    if (i->cls == X86_CLASS_VMX && c->virt != NULL) {
        return xs_virt_insn(x);     /* the extension checks everything */
    }
    if (i->cls == X86_CLASS_VMX || i->cls == X86_CLASS_SVM) {
        /* Not in VMX operation, EFER.SVME = 0 (SDM Vol. 3C "VMX
         * Instruction Reference"; APM Vol. 3 VMRUN): #UD. */
        return xe_raise(x->r, X86_VEC_UD, false, 0);
    }
    if (x86_sys_precheck[i->op] != NULL && x86_sys_precheck[i->op](x)) {
        return XE_FAULT;    /* #UD conditions checked before CPL */
    }
    if ((i->flags & X86_F_PRIV) && c->cpl > 0 && i->op != X86_OP_SYSRET &&
        i->op != X86_OP_SYSEXIT && i->op != X86_OP_SWAPGS) {
        return xe_raise(x->r, X86_VEC_GP, true, 0);
    }
    if ((i->flags & X86_F_UMIP) && (c->cr4 & X86_CR4_UMIP) && c->cpl > 0) {
        return xe_raise(x->r, X86_VEC_GP, true, 0);
    }
    if ((i->flags & X86_F_IOPL) &&
        c->cpl > ((unsigned)(c->rflags >> 12) & 3)) {
        /* The TSS I/O permission bitmap is not consulted. */
        return xe_raise(x->r, X86_VEC_GP, true, 0);
    }
    fn = x86_sys_handler[i->op];
    if (c->nonroot && (fn != NULL || (i->flags & X86_F_VMEXIT) ||
                       i->op == X86_OP_PAUSE)) {
        int rc = xs_virt_insn(x);

        if (rc != 0) {
            return rc;
        }
    }
    if (fn != NULL) {
        return fn(x);
    }
    fn = xe_handler[i->op];
    if (fn == NULL || !xe_operands_ok(i)) {
        return xe_unimplemented(c, i, x->r);
    }
    return fn(x);
}

void x86_cpu_sync_mode(struct x86_cpu *c)
{
    uint32_t cs = c->seg[X86_SEG_CS].attr;

    if ((c->efer & X86_EFER_LMA) && (cs & X86_SEG_ATTR_L)) {
        c->mode = X86_MODE_64;
    } else {
        c->mode = (cs & X86_SEG_ATTR_DB) ? X86_MODE_32 : X86_MODE_16;
    }
}

void x86_cpu_init(struct x86_cpu *c, const struct x86_mem_ops *mem,
                  void *mem_ctx)
{
    unsigned k;

    if (c == NULL) {
        return;
    }
    memset(c, 0, sizeof(*c));
    c->rflags = X86_RFLAGS_FIXED;
    c->rep_limit = X86_CPU_REP_LIMIT_DEFAULT;
    c->mem = mem;
    c->mem_ctx = mem_ctx;
    c->fetch_tag = ~0ull;
    c->cpl = 3;
    c->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
    c->cr4 = X86_CR4_PAE;
    c->efer = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
    c->cr4_allowed = ~0ull;
    c->efer_allowed = ~0ull;
    c->pat = 0x0007040600070406ull;     /* SDM Vol. 3A "IA32_PAT": reset */
    c->xcr0 = 1;                        /* SDM Vol. 1: x87 state, always */
    c->xcr0_allowed = 3;                /* x87 and SSE state */
    c->monitor_ok = true;
    c->dr[6] = 0xffff0ff0ull;           /* SDM Vol. 3B "Debug Registers" */
    c->dr[7] = 0x400;
    for (k = 0; k < X86_SEG__COUNT; k++) {
        xe_flat_seg(&c->seg[k], 0x23, 0x3, 3, X86_SEG_ATTR_DB);
    }
    xe_flat_seg(&c->seg[X86_SEG_CS], 0x2b, 0xb, 3, X86_SEG_ATTR_L);
    c->ldtr.attr = X86_SEG_ATTR_UNUSABLE;
    c->tr.attr = 0xb | X86_SEG_ATTR_P;  /* busy 64-bit TSS */
    c->tr.limit = 0x67;
    x86_cpu_sync_mode(c);
}

/* Multiboot v1 specification, "Machine state" (the state the loader
 * leaves; QEMU's -kernel loader sets exactly this). */
void x86_cpu_set_pm32(struct x86_cpu *c, uint64_t entry, uint32_t eax,
                      uint32_t ebx)
{
    unsigned k;

    memset(c->gpr, 0, sizeof(c->gpr));
    c->gpr[X86_REG_RAX] = eax;
    c->gpr[X86_REG_RBX] = ebx;
    c->rip = entry & 0xffffffffull;
    c->rflags = X86_RFLAGS_FIXED;
    c->cpl = 0;
    c->halt = X86_RUNNING;
    c->shadow = 0;
    c->fetch_tag = ~0ull;
    c->cr0 = X86_CR0_PE | X86_CR0_ET;
    c->cr2 = c->cr3 = c->cr4 = c->cr8 = 0;
    c->xcr0 = 1;
    c->monitor_armed = false;
    c->efer = 0;
    for (k = 0; k < X86_SEG__COUNT; k++) {
        xe_flat_seg(&c->seg[k], 0x18, 0x3, 0, X86_SEG_ATTR_DB);
    }
    xe_flat_seg(&c->seg[X86_SEG_CS], 0x10, 0xb, 0, X86_SEG_ATTR_DB);
    memset(&c->ldtr, 0, sizeof(c->ldtr));
    c->ldtr.attr = X86_SEG_ATTR_UNUSABLE;
    memset(&c->tr, 0, sizeof(c->tr));
    c->tr.attr = 0xb | X86_SEG_ATTR_P;  /* busy 32-bit TSS */
    c->tr.limit = 0xffff;
    c->gdtr.base = c->idtr.base = 0;
    c->gdtr.limit = c->idtr.limit = 0xffff;
    x86_cpu_sync_mode(c);
}

void x86_cpu_set_long64(struct x86_cpu *c, uint64_t entry, uint64_t cr3,
                        uint64_t rsp)
{
    x86_cpu_set_pm32(c, 0, 0, 0);
    c->rip = entry;
    c->gpr[X86_REG_RSP] = rsp;
    c->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
    c->cr3 = cr3;
    c->cr4 = X86_CR4_PAE;
    c->efer = X86_EFER_LME | X86_EFER_LMA |
              (c->efer_allowed & X86_EFER_NXE);
    xe_flat_seg(&c->seg[X86_SEG_CS], 0x08, 0xb, 0, X86_SEG_ATTR_L);
    x86_cpu_sync_mode(c);
}

uint64_t x86_cpu_tsc(const struct x86_cpu *c)
{
    uint64_t t = (c->sys != NULL && c->sys->tsc != NULL)
                 ? c->sys->tsc(c->sys_ctx) : c->st.insns;

    return t + (uint64_t)c->tsc_offset;
}

bool x86_interrupt_ready(const struct x86_cpu *c)
{
    if (c != NULL && c->nonroot && c->extint_exits) {
        return c->halt != X86_SHUTDOWN;
    }
    return c != NULL && c->halt != X86_SHUTDOWN && !c->shadow &&
           (c->rflags & X86_RFLAGS_IF) != 0;
}

/* SDM Vol. 3A, Table "Interrupt and Exception Classes" for double faults:
 * #DE, #TS, #NP, #SS and #GP are contributory; #PF is in a class of its
 * own; everything else is benign. */
static bool xe_contributory(unsigned v)
{
    return v == X86_VEC_DE || (v >= X86_VEC_TS && v <= X86_VEC_GP);
}

/*
 * Deliver an exception or interrupt, escalating faults raised by the
 * delivery itself (SDM Vol. 3A "Interrupt 8-Double Fault Exception",
 * Table "Conditions for Generating a Double Fault"): a benign first event
 * lets the second be delivered instead; contributory after contributory,
 * or contributory/#PF after #PF, becomes #DF; any of those while
 * delivering #DF is a triple fault.  Returns 0, or 1 on a triple fault
 * (the core is shut down).
 */
static int xe_deliver_loop(struct x86_cpu *c, unsigned vec, unsigned type,
                           bool has_err, uint32_t err, unsigned len,
                           uint64_t ret_rip)
{
    bool ext = type == X86_EVENT_EXT;
    bool benign_first = ext;
    unsigned guard;

    for (guard = 0; guard < 8; guard++) {
        struct x86_exec_result r2;
        struct xe x2;
        unsigned second;
        int rc;

        if (c->nonroot && guard > 0) {
            /* A fault raised while delivering: the exception bitmap
             * looks at it too (the first event was offered by the
             * caller). */
            memset(&r2, 0, sizeof(r2));
            if (xs_virt_event(c, X86_VIRT_EXCEPTION, vec, has_err, err,
                              false, ret_rip, c->cr2, &r2) ==
                X86_VIRT_SWITCHED) {
                return 0;
            }
        }
        /* The event now being delivered: an exit during its delivery
         * reports it (IDT-vectoring information). */
        c->vectoring.valid = true;
        c->vectoring.vector = (uint8_t)vec;
        c->vectoring.type = (uint8_t)type;
        c->vectoring.has_error = has_err;
        c->vectoring.error_code = has_err ? err : 0;
        c->vectoring.len = (uint8_t)len;
        memset(&r2, 0, sizeof(r2));
        x2.c = c;
        x2.i = &c->insn;
        x2.r = &r2;
        x2.next = ret_rip;
        x2.sup = true;
        rc = xs_deliver(&x2, vec, has_err, err, false, ext, ret_rip);
        if (rc == 0) {
            c->st.delivered++;
            c->st.interrupts += ext;
            return 0;
        }
        if (rc < 0) {
            break;
        }
        second = r2.vector;
        if (second == X86_VEC_VIRT) {
            /* The delivery's own access exited (EPT). */
            if (xs_virt_event(c, X86_VIRT_MEM, 0, false, 0, false, ret_rip,
                              r2.fault_addr, &r2) == X86_VIRT_SWITCHED) {
                return 0;
            }
            break;
        }
        if (!benign_first && vec == X86_VEC_DF &&
            (xe_contributory(second) || second == X86_VEC_PF)) {
            break;                      /* triple fault */
        }
        if (!benign_first &&
            ((xe_contributory(vec) && xe_contributory(second)) ||
             (vec == X86_VEC_PF &&
              (xe_contributory(second) || second == X86_VEC_PF)))) {
            c->st.double_faults++;
            vec = X86_VEC_DF;
            has_err = true;
            err = 0;
        } else {
            vec = second;
            has_err = r2.has_error;
            err = r2.error_code;
            if (second == X86_VEC_PF) {
                c->cr2 = r2.fault_addr;
            }
        }
        benign_first = false;
        ext = false;
        type = X86_EVENT_HW;
        len = 0;
    }
    if (c->nonroot) {
        struct x86_exec_result r3;

        memset(&r3, 0, sizeof(r3));
        if (xs_virt_event(c, X86_VIRT_TRIPLE, 0, false, 0, false, ret_rip,
                          0, &r3) == X86_VIRT_SWITCHED) {
            return 0;
        }
    }
    c->halt = X86_SHUTDOWN;
    return 1;
}

static int xe_deliver_event(struct x86_cpu *c, unsigned vec, unsigned type,
                            bool has_err, uint32_t err, unsigned len,
                            uint64_t ret_rip)
{
    int rc = xe_deliver_loop(c, vec, type, has_err, err, len, ret_rip);

    c->vectoring.valid = false;
    return rc;
}

int x86_cpu_inject(struct x86_cpu *c, unsigned vec, unsigned type,
                   bool has_err, uint32_t err, unsigned len,
                   uint64_t ret_rip)
{
    c->halt = X86_RUNNING;
    c->shadow_in = c->shadow;           /* between instructions */
    return xe_deliver_event(c, vec & 0xff, type & 7, has_err, err,
                            len & 0xf, ret_rip);
}

int x86_interrupt(struct x86_cpu *c, unsigned vector)
{
    if (!x86_interrupt_ready(c)) {
        return -1;
    }
    c->shadow_in = c->shadow;           /* between instructions */
    if (c->nonroot) {
        struct x86_exec_result r;

        memset(&r, 0, sizeof(r));
        if (xs_virt_event(c, X86_VIRT_EXTINT, vector & 0xff, false, 0, false,
                          c->rip, 0, &r) == X86_VIRT_SWITCHED) {
            c->halt = X86_RUNNING;
            return 0;
        }
        if (!(c->rflags & X86_RFLAGS_IF) || c->shadow) {
            return -1;          /* no exit and the guest masks it */
        }
    }
    c->halt = X86_RUNNING;
    return xe_deliver_event(c, vector & 0xff, X86_EVENT_EXT, false, 0, 0,
                            c->rip);
}

static bool xe_cached(const struct x86_cpu *c)
{
    return c->pcache != NULL && c->mem->fetch_pa != NULL;
}

static bool xe_usable(const struct x86_cpu *c,
                      const struct x86_exec_result *r)
{
    return c != NULL && r != NULL && c->mem != NULL &&
           c->mem->read != NULL && c->mem->write != NULL &&
           c->mem->fetch != NULL;
}

/* RIP after an instruction of `len` bytes at `ip`: outside 64-bit mode
 * the offset wraps at the code size. */
static inline uint64_t xe_next_ip(const struct x86_cpu *c, uint64_t ip,
                                  unsigned len)
{
    uint64_t next = ip + len;

    if (!xe_mode64(c)) {
        next &= c->mode == X86_MODE_32 ? 0xffffffffull : 0xffffull;
    }
    return next;
}

/* The rest of a step once xe_fetch_decode() returned `rc`: execute,
 * retire, and deliver the step's exception if any. */
static int xe_finish(struct x86_cpu *c, struct x86_exec_result *r,
                     const struct x86_insn *insn, int rc, bool tf)
{
    struct xe x;
    int xr;

    if (rc == 0) {
        x.c = c;
        x.i = insn;
        x.r = r;
        x.sup = false;
        x.next = xe_next_ip(c, c->rip, insn->length);
        xr = xe_dispatch(&x);
        if (xr == XE_DONE) {
            c->st.insns++;              /* RIP set by the extension */
        } else if (xr == 0) {
            if (!r->rep_more) {
                c->rip = x.next;
                c->st.insns++;
            }
            if (tf) {
                /* SDM Vol. 3A "Single-Step Exception Condition": TF set
                 * at the start of the instruction traps after it. */
                r->trap = 1;
                (void)xe_raise(r, X86_VEC_DB, false, 0);
            }
        }
    }
    if (r->status == X86_EXEC_EXCEPTION && r->vector == X86_VEC_VIRT) {
        /* An access exited (EPT): nothing retired, the extension takes
         * over; without one it is a triple fault (cannot happen). */
        if (xs_virt_event(c, X86_VIRT_MEM, 0, false, 0, false, r->rip,
                          r->fault_addr, r) == X86_VIRT_SWITCHED) {
            r->status = X86_EXEC_OK;
            r->switched = 1;
        } else {
            c->halt = X86_SHUTDOWN;
        }
    }
    if (r->status == X86_EXEC_EXCEPTION && c->nonroot &&
        xs_virt_event(c, X86_VIRT_EXCEPTION, r->vector, r->has_error,
                      r->error_code, false, r->trap ? c->rip : r->rip,
                      r->fault_addr, r) == X86_VIRT_SWITCHED) {
        /* SDM Vol. 3C "VM Exits Due to Exceptions": CR2 is not written,
         * DR6 not updated; the VMM sees the qualification instead. */
        c->st.exceptions++;
        r->status = X86_EXEC_OK;
        r->switched = 1;
    }
    if (r->status == X86_EXEC_EXCEPTION) {
        c->st.exceptions++;
        if (c->deliver && c->halt == X86_RUNNING) {
            if (r->vector == X86_VEC_PF) {
                c->cr2 = r->fault_addr;
            }
            if (r->vector == X86_VEC_DB) {
                c->dr[6] |= 1u << 14;   /* DR6.BS: single step */
            }
            if (xe_deliver_event(c, r->vector, X86_EVENT_HW, r->has_error,
                                 r->error_code, 0,
                                 r->trap ? c->rip : r->rip) != 0) {
                r->status = X86_EXEC_SHUTDOWN;
            } else {
                r->delivered = 1;
            }
        }
    }
    if (c->halt == X86_SHUTDOWN) {
        r->status = X86_EXEC_SHUTDOWN;
    }
    c->vectoring.valid = false;         /* INT n that faulted (xs_int) */
    return r->status;
}

/* The start of a step: the result cleared, a halted core reported.
 * Returns false when the core is not running (r->status says why). */
static inline bool xe_start(struct x86_cpu *c, struct x86_exec_result *r)
{
    memset(r, 0, sizeof(*r));
    r->rip = c->rip;
    if (c->halt != X86_RUNNING) {
        r->status = c->halt == X86_HALTED ? X86_EXEC_HALTED
                                          : X86_EXEC_SHUTDOWN;
        return false;
    }
    c->shadow_in = c->shadow;
    c->shadow = 0;                      /* lasts one instruction */
    return true;
}

int x86_step(struct x86_cpu *c, struct x86_exec_result *r)
{
    const struct x86_insn *insn = NULL;
    struct x86_pcache_entry *ent;
    bool tf;
    int rc;

    if (!xe_usable(c, r)) {
        return -1;
    }
    if (!xe_start(c, r)) {
        return r->status;
    }
    tf = (c->rflags & X86_RFLAGS_TF) != 0;
    rc = xe_fetch_decode(c, r, &insn, xe_cached(c), c->fetch_each, NULL, 0,
                         &ent);
    return xe_finish(c, r, insn, rc, tf);
}

uint64_t x86_run(struct x86_cpu *c, uint64_t max, struct x86_exec_result *r,
                 uint64_t *ticks, x86_retire_fn retire, void *ctx)
{
    uint64_t n = 0;
    struct x86_pcache_entry *prev = NULL;
    unsigned k = 0;
    bool cache;
    bool each;

    if (!xe_usable(c, r)) {
        return 0;
    }
    /* Neither changes while instructions run. */
    cache = xe_cached(c);
    each = c->fetch_each;
    while (n < max) {
        const struct x86_insn *insn = NULL;
        struct x86_pcache_entry *ent;
        uint64_t ip = c->rip;
        bool tf;
        int rc;
        int st;

        n++;
        if (!xe_start(c, r)) {
            if (r->status != X86_EXEC_HALTED) {
                if (ticks != NULL) {
                    (*ticks)++;
                }
                if (retire != NULL) {
                    (void)retire(ctx, r);
                }
            }
            break;
        }
        tf = (c->rflags & X86_RFLAGS_TF) != 0;
        rc = xe_fetch_decode(c, r, &insn, cache, each, prev, k, &ent);
        if (rc == 0 && !tf && insn->xk >= XK_ALU_RR) {
            uint64_t fall = xe_next_ip(c, ip, insn->length);
            uint64_t next = fall;

            if (xe_pure(c, insn, ip, &next) == 0) {
                /* The whole step of an instruction that cannot fault. */
                c->rip = next;
                c->st.insns++;
                if (ticks != NULL) {
                    (*ticks)++;
                }
                if (retire != NULL && retire(ctx, r)) {
                    break;
                }
                prev = ent;
                k = next != fall;
                continue;
            }
        }
        st = xe_finish(c, r, insn, rc, tf);
        if (ticks != NULL) {
            (*ticks)++;
        }
        if (retire != NULL && retire(ctx, r)) {
            break;
        }
        if (st != X86_EXEC_OK || r->rep_more || r->switched ||
            insn->xk == XK_CHECKED) {
            break;
        }
        prev = ent;
        k = c->rip != xe_next_ip(c, ip, insn->length);
    }
    return n;
}
