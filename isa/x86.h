/*
 * x86.h - the x86 decode layer: the instruction table (x86_ops.def), the
 * compact decoded form the core executes, the predecode cache, the
 * Popek-Goldberg classification printer and the disassembly helper.
 *
 * Decoding is done by Zydis 4.0 (Debian libzydis-dev 4.0.0); nothing here
 * exposes Zydis types, so users of this header need not include Zydis.
 * Zydis mnemonics appear only as opaque uint16_t numbers (for the
 * "unimplemented by mnemonic" statistics) with x86_zydis_mnemonic_name().
 *
 * References: Intel SDM Vol. 2 (instruction formats, Chapter "Instruction
 * Format"; prefixes; ModRM/SIB), Vol. 3 for system instructions; AMD APM
 * Vol. 2/3 for SVM.  Sections are cited by title, see x86_ops.def.
 *
 * Approximations:
 *   - Three modes: 16-bit protected (Zydis LEGACY_16), 32-bit protected
 *     (LEGACY_32) and 64-bit (LONG_64).  Real mode and compatibility mode
 *     decode as the 16/32-bit protected modes; mode-specific #UD (e.g. LAR
 *     in real mode) is the core's job.
 *   - Intel branch semantics: 66h on near branches is ignored in 64-bit
 *     mode (Zydis' default; AMD honours it).
 *   - Only visible operands are kept (at most three); implicit stack,
 *     string and flag operands are implied by the op.
 *   - Anything Zydis decodes but the table does not list (SSE, AVX, x87,
 *     ...) decodes successfully as X86_OP_UNKNOWN with the Zydis mnemonic
 *     kept; the core raises #UD or counts it as unimplemented.
 */
#ifndef ISA_X86_H
#define ISA_X86_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Table columns                                                       */
/* ------------------------------------------------------------------ */

/* Semantic classes (column 3 of x86_ops.def). */
#define X86_CLASS_LIST(X) \
    X(NONE) X(MOV) X(CMOV) X(SETCC) X(ALU) X(SHIFT) X(BIT) X(MUL) X(DIV) \
    X(CONV) X(BRANCH) X(JCC) X(CALL) X(RET) X(STRING) X(STACK) X(FLAGS)   \
    X(ATOMIC) X(INTR) X(SYSTEM) X(IO) X(CACHE) X(MISC) X(NOP) X(FENCE)    \
    X(VMX) X(SVM)

enum x86_class {
#define X86_CLASS_ENUM(n) X86_CLASS_##n,
    X86_CLASS_LIST(X86_CLASS_ENUM)
#undef X86_CLASS_ENUM
    X86_CLASS__COUNT
};

/* Timing classes of the in-order core (column 4):
 *   INT     single-cycle integer ALU      MUL     3-cycle multiply unit
 *   DIV     divider                       LOAD    load port (POP, LEAVE)
 *   STORE   store port (PUSH, SGDT)       BRANCH  branch unit
 *   STRING  one string iteration          MICRO   microcoded, not serial
 *   SERIAL  drains the pipeline           IO      port I/O
 *   FENCE   memory fence                  NOP     no execution
 *   PAUSE   spin-loop hint delay                                        */
#define X86_LAT_LIST(X) \
    X(NONE) X(INT) X(MUL) X(DIV) X(LOAD) X(STORE) X(BRANCH) X(STRING) \
    X(MICRO) X(SERIAL) X(IO) X(FENCE) X(NOP) X(PAUSE)

enum x86_lat {
#define X86_LAT_ENUM(n) X86_LAT_##n,
    X86_LAT_LIST(X86_LAT_ENUM)
#undef X86_LAT_ENUM
    X86_LAT__COUNT
};

/* Forms: rows sharing a Zydis mnemonic differ by form (x86_ops.def). */
enum x86_form {
    X86_FORM_ANY = 0,
    X86_FORM_TO_SREG,       /* MOV Sreg, r/m16 (8E) */
    X86_FORM_FROM_SREG,     /* MOV r/m, Sreg (8C) */
    X86_FORM_SREG,          /* PUSH/POP of a segment register */
    X86_FORM_TO_CR,         /* MOV CRn, r (0F 22) */
    X86_FORM_FROM_CR,       /* MOV r, CRn (0F 20) */
    X86_FORM_TO_DR,         /* MOV DRn, r (0F 23) */
    X86_FORM_FROM_DR,       /* MOV r, DRn (0F 21) */
    X86_FORM_FAR,           /* far CALL/JMP/RET */
    X86_FORM__COUNT
};

/* Flags (column 5); meanings are documented at the top of x86_ops.def. */
#define X86_F_PRIV        (1u << 0)
#define X86_F_IOPL        (1u << 1)
#define X86_F_PRIV_COND   (1u << 2)
#define X86_F_UMIP        (1u << 3)
#define X86_F_SENS_CTRL   (1u << 4)
#define X86_F_SENS_BEHAV  (1u << 5)
#define X86_F_VMEXIT      (1u << 6)
#define X86_F_SERIAL      (1u << 7)
#define X86_F_BRANCH      (1u << 8)
#define X86_F_COND        (1u << 9)
#define X86_F_MEM         (1u << 10)
#define X86_F_AGEN        (1u << 11)
#define X86_F_RI2000      (1u << 12)
#define X86_F_FORM_SHIFT  16
#define X86_F_FORM_MASK   (0xfu << X86_F_FORM_SHIFT)
#define X86_F_FORM(f)     ((uint32_t)(f) << X86_F_FORM_SHIFT)
#define X86_F_FORM_TO_SREG   X86_F_FORM(X86_FORM_TO_SREG)
#define X86_F_FORM_FROM_SREG X86_F_FORM(X86_FORM_FROM_SREG)
#define X86_F_FORM_SREG      X86_F_FORM(X86_FORM_SREG)
#define X86_F_FORM_TO_CR     X86_F_FORM(X86_FORM_TO_CR)
#define X86_F_FORM_FROM_CR   X86_F_FORM(X86_FORM_FROM_CR)
#define X86_F_FORM_TO_DR     X86_F_FORM(X86_FORM_TO_DR)
#define X86_F_FORM_FROM_DR   X86_F_FORM(X86_FORM_FROM_DR)
#define X86_F_FORM_FAR       X86_F_FORM(X86_FORM_FAR)

#define X86_F_SENSITIVE   (X86_F_SENS_CTRL | X86_F_SENS_BEHAV)
/* Faults at CPL > 0 once the VMM sets IOPL = 0, CR4.TSD = 1, CR4.PCE = 0:
 * the instructions classic trap-and-emulate can intercept. */
#define X86_F_TRAPS_DEPRIV (X86_F_PRIV | X86_F_IOPL | X86_F_PRIV_COND)

static inline enum x86_form x86_flags_form(uint32_t flags)
{
    return (enum x86_form)((flags & X86_F_FORM_MASK) >> X86_F_FORM_SHIFT);
}

/* Sensitive but not trapping when deprivileged: breaks trap-and-emulate. */
static inline int x86_flags_sens_unpriv(uint32_t flags)
{
    return (flags & X86_F_SENSITIVE) != 0 &&
           (flags & X86_F_TRAPS_DEPRIV) == 0;
}

/* ------------------------------------------------------------------ */
/* The op enumeration and its tables                                   */
/* ------------------------------------------------------------------ */

enum x86_op {
    X86_OP_UNKNOWN = 0,     /* decoded by Zydis, not in x86_ops.def */
#define X86_OP(n, zm, cls, lat, fl) X86_OP_##n,
#include "x86_ops.def"
#undef X86_OP
    X86_OP__COUNT
};

struct x86_op_info {
    uint32_t flags;         /* X86_F_* including the form field */
    uint16_t zmnemonic;     /* ZydisMnemonic of the row (0 for UNKNOWN) */
    uint8_t  cls;           /* enum x86_class */
    uint8_t  lat;           /* enum x86_lat */
};

extern const char *const x86_op_name[X86_OP__COUNT];       /* "MOV_TO_CR" */
extern const struct x86_op_info x86_op_info[X86_OP__COUNT];
extern const char *const x86_class_name[X86_CLASS__COUNT];
extern const char *const x86_lat_name[X86_LAT__COUNT];
extern const char *const x86_form_name[X86_FORM__COUNT];

/* Row for (Zydis mnemonic, form); X86_OP_UNKNOWN if none matches exactly.
 * Never fails on any input value. */
enum x86_op x86_op_lookup(unsigned zydis_mnemonic, enum x86_form form);

/* Zydis' lower-case name for a mnemonic number ("mov"), or "invalid". */
const char *x86_zydis_mnemonic_name(unsigned zydis_mnemonic);
/* One past the largest Zydis mnemonic number: size of per-mnemonic stats. */
unsigned x86_zydis_mnemonic_count(void);

/* ------------------------------------------------------------------ */
/* Registers                                                           */
/* ------------------------------------------------------------------ */

/* GPRs are numbered as encoded (RAX = 0 ... R15 = 15), segment registers
 * as in the Sreg field (ES = 0 ... GS = 5), CRn/DRn by n.  The width of a
 * GPR access is the operand size; AH/CH/DH/BH are the GPR 0-3 with
 * x86_operand.reg_high = 1. */
enum x86_reg {
    X86_REG_RAX = 0, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
    X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
    X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
    X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
    X86_REG_ES = 16, X86_REG_CS, X86_REG_SS, X86_REG_DS,
    X86_REG_FS, X86_REG_GS,
    X86_REG_CR0 = 24,                       /* CR0 .. CR15 */
    X86_REG_DR0 = 40,                       /* DR0 .. DR15 */
    X86_REG_RIP = 56,                       /* RIP-relative base */
    X86_REG_OTHER = 62,     /* a register vtsim does not model (XMM, ST) */
    X86_REG_NONE = 63
};

#define X86_REG_IS_GPR(r)  ((unsigned)(r) <= X86_REG_R15)
#define X86_REG_IS_SREG(r) ((r) >= X86_REG_ES && (r) <= X86_REG_GS)
#define X86_REG_IS_CR(r)   ((r) >= X86_REG_CR0 && (r) < X86_REG_CR0 + 16)
#define X86_REG_IS_DR(r)   ((r) >= X86_REG_DR0 && (r) < X86_REG_DR0 + 16)

/* ------------------------------------------------------------------ */
/* The decoded instruction                                             */
/* ------------------------------------------------------------------ */

enum x86_mode {
    X86_MODE_16 = 0,
    X86_MODE_32,
    X86_MODE_64,
    X86_MODE__COUNT
};

enum x86_opnd_kind {
    X86_OPND_NONE = 0,
    X86_OPND_REG,
    X86_OPND_MEM,
    X86_OPND_IMM,
    X86_OPND_PTR            /* far pointer immediate: ptr16:16 / ptr16:32 */
};

/* x86_operand.access */
#define X86_ACC_R  1u
#define X86_ACC_W  2u

/* Condition codes in encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
enum x86_cond {
    X86_COND_O = 0, X86_COND_NO, X86_COND_B, X86_COND_NB,
    X86_COND_Z, X86_COND_NZ, X86_COND_BE, X86_COND_NBE,
    X86_COND_S, X86_COND_NS, X86_COND_P, X86_COND_NP,
    X86_COND_L, X86_COND_NL, X86_COND_LE, X86_COND_NLE,
    X86_COND_NONE = 0xff
};

/* x86_insn.prefixes */
#define X86_PFX_LOCK   (1u << 0)
#define X86_PFX_REP    (1u << 1)  /* F3 or F2 on MOVS/STOS/LODS/INS/OUTS */
#define X86_PFX_REPE   (1u << 2)  /* F3 on CMPS/SCAS */
#define X86_PFX_REPNE  (1u << 3)  /* F2 on CMPS/SCAS */
#define X86_PFX_OPSIZE (1u << 4)  /* 66 present, not as a mandatory prefix
                                     (it may still be ignored, as on near
                                     branches in 64-bit mode: osize is the
                                     effective size) */
#define X86_PFX_ADSIZE (1u << 5)  /* 67 present */

struct x86_mem {
    int64_t disp;           /* sign-extended displacement */
    uint8_t base;           /* enum x86_reg: GPR, X86_REG_RIP or NONE */
    uint8_t index;          /* enum x86_reg: GPR or NONE */
    uint8_t scale;          /* 1, 2, 4, 8 (0 without index) */
    uint8_t seg;            /* effective segment (default or override) */
    uint8_t rip_rel;        /* 1: address = next RIP + disp */
};

struct x86_operand {
    uint8_t  kind;          /* enum x86_opnd_kind */
    uint8_t  access;        /* X86_ACC_R | X86_ACC_W; 0 for address-only */
    uint8_t  reg;           /* REG: enum x86_reg */
    uint8_t  reg_high;      /* REG: 1 for AH/CH/DH/BH */
    uint8_t  rel;           /* IMM: 1 if relative to the next RIP */
    uint8_t  pad;
    uint16_t size;          /* bytes: register/memory access width;
                               IMM: encoded width; PTR: 4 or 6 */
    union {
        struct x86_mem mem;
        uint64_t imm;       /* sign- or zero-extended to 64 bits as the
                               encoding defines; truncate to osize */
        struct {
            uint64_t offset;
            uint16_t sel;
        } ptr;
    } u;
};

struct x86_insn {
    uint16_t op;            /* enum x86_op */
    uint16_t zmnemonic;     /* Zydis mnemonic (also for UNKNOWN) */
    uint32_t flags;         /* x86_op_info[op].flags, plus X86_F_MEM when
                               an operand accesses memory; MOV to CR8
                               drops X86_F_SERIAL */
    uint8_t  length;        /* 1..15 */
    uint8_t  mode;          /* enum x86_mode it was decoded for */
    uint8_t  osize;         /* effective operand size in bits: 8..64 */
    uint8_t  asize;         /* effective address size in bits: 16/32/64 */
    uint8_t  cls;           /* enum x86_class (copy from the table) */
    uint8_t  lat;           /* enum x86_lat (copy from the table) */
    uint8_t  prefixes;      /* X86_PFX_* */
    uint8_t  seg_override;  /* effective override (enum x86_reg) or NONE;
                               ES/CS/SS/DS overrides do not count in 64-bit
                               mode */
    uint8_t  cond;          /* enum x86_cond for JCC(Jcc)/SETCC/CMOV */
    uint8_t  nops;          /* visible operands kept, 0..3 */
    uint8_t  xk;            /* the executor's dispatch kind, set when it
                               decodes for itself (x86_exec.c); x86_decode()
                               leaves 0: no fast path */
    uint8_t  xarg;          /* argument of xk (an enum x86_alu_op) */
    struct x86_operand opnd[3];
};

/* Decode errors (returned negated). */
enum x86_dec_err {
    X86_DEC_EUD = 1,        /* invalid in this mode: #UD */
    X86_DEC_ETRUNC = 2,     /* needs more than `avail` bytes: fetch more */
    X86_DEC_ETOOLONG = 3,   /* longer than 15 bytes: #GP(0) */
    X86_DEC_EARG = 4        /* caller error: NULL pointer or bad mode */
};

/* Decode one instruction from bytes[0 .. avail).  Returns 0 and fills *out,
 * or a negative X86_DEC_E* with *out zeroed (op UNKNOWN, length 0).  Reads
 * no byte at or beyond bytes + avail; never crashes on any input.  Allocates
 * nothing. */
int x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode,
               struct x86_insn *out);

/* Target of a relative branch at `ip`: ip + length + rel, truncated to the
 * operand size.  Returns ip + length when the first operand is not
 * relative. */
static inline uint64_t x86_insn_branch_target(const struct x86_insn *insn,
                                              uint64_t ip)
{
    uint64_t next = ip + insn->length;
    uint64_t t;

    if (insn->nops == 0 || insn->opnd[0].kind != X86_OPND_IMM ||
        !insn->opnd[0].rel) {
        return next;
    }
    t = next + insn->opnd[0].u.imm;
    /* SDM Jcc/JMP/CALL: with operand size 16 the target is masked to 16
     * bits, with 32 to 32 bits. */
    if (insn->osize == 16) {
        t &= 0xffffu;
    } else if (insn->osize == 32) {
        t &= 0xffffffffu;
    }
    return t;
}

/* ------------------------------------------------------------------ */
/* Predecode cache                                                     */
/* ------------------------------------------------------------------ */

/* 2-way set-associative cache of decoded instructions keyed by (physical
 * address of the first byte, mode).  A write to a code page is reported
 * with x86_pcache_invalidate_page(), which bumps that page's generation
 * (one counter per 4 KiB frame number modulo 2^log2_page_gens; frames that
 * share a counter only cost each other misses); flush bumps the global
 * generation.  Both are O(1).  An instruction that crosses a 4 KiB
 * boundary is never cached: its second half may map anywhere.
 * Lookups and fills allocate nothing.  One cache per core: a store (or DMA)
 * to a physical page must be reported to every core's cache. */
#define X86_PCACHE_PAGE_SHIFT 12

struct x86_pcache;

struct x86_pcache_stats {
    uint64_t hits;
    uint64_t misses;
    uint64_t fills;
    uint64_t uncacheable;   /* page-crossing instructions */
    uint64_t page_invals;
    uint64_t flushes;
};

/* 2^log2_sets sets (0..24) of 2 ways, 2^log2_page_gens page generations
 * (1..24).  Returns NULL on allocation failure or a value out of range. */
struct x86_pcache *x86_pcache_new(unsigned log2_sets, unsigned log2_page_gens);
void x86_pcache_free(struct x86_pcache *pc);

/* Cached decode of (pa, mode), or NULL. */
const struct x86_insn *x86_pcache_lookup(struct x86_pcache *pc, uint64_t pa,
                                         enum x86_mode mode);
/* Insert a decoded instruction; returns the cached copy, or NULL if it
 * crosses a page boundary (not cached). */
const struct x86_insn *x86_pcache_fill(struct x86_pcache *pc, uint64_t pa,
                                       const struct x86_insn *insn);
/* Lookup, decoding bytes[0..avail) (which start at pa) on a miss.
 * On success *out points into the cache, or for a page-crossing
 * instruction to a scratch slot valid until the next call. */
int x86_pcache_decode(struct x86_pcache *pc, uint64_t pa, enum x86_mode mode,
                      const uint8_t *bytes, size_t avail,
                      const struct x86_insn **out);
void x86_pcache_invalidate_page(struct x86_pcache *pc, uint64_t pa);
void x86_pcache_flush(struct x86_pcache *pc);
uint32_t x86_pcache_generation(const struct x86_pcache *pc);
/* Counters live as long as the cache (register them by pointer). */
const struct x86_pcache_stats *x86_pcache_stats(const struct x86_pcache *pc);

/* ------------------------------------------------------------------ */
/* Classification and disassembly                                     */
/* ------------------------------------------------------------------ */

/* `vtsim classify --isa x86`: the Popek-Goldberg table of every row, then
 * the sensitive-but-unprivileged instructions with the reason each breaks
 * trap-and-emulate.  Returns 0, or -1 on a write error. */
int x86_classify_print(FILE *out);

/* One-line reason an op is sensitive but unprivileged; NULL for every op
 * that is not (x86_flags_sens_unpriv() false). */
const char *x86_classify_reason(enum x86_op op);

/* `vtsim disasm`: one line per instruction, "address: bytes  text" in
 * Intel syntax; undecodable bytes print as "(bad)" and advance one byte.
 * Returns 0, or -1 on a write error or a bad argument. */
int x86_disasm_buffer(FILE *out, const uint8_t *code, size_t len,
                      uint64_t vaddr, enum x86_mode mode);

#ifdef __cplusplus
}
#endif

#endif /* ISA_X86_H */
