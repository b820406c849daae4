/*
 * ia64.h - the IA-64 (Itanium) decode layer: bundle templates, the
 * instruction table (ia64_ops.def), the compact decoded form the VT-i
 * execution core will consume, and a disassembler that prints what
 * GNU objdump prints.
 *
 * References (edition pinned: Intel Itanium Architecture Software
 * Developer's Manual, revision 2.3, May 2010):
 *   - Vol. 1, Part I, 3.3 "Instruction Encoding Overview": 128-bit
 *     bundles, the 5-bit template, three 41-bit slots, stops.
 *   - Vol. 3, Part I, chapter 4 "Instruction Formats": every format named
 *     in ia64_ops.def (A1..A8, I5..I29, M1..M47, B1..B9, F15/F16,
 *     X1..X5), its fields and its opcode-extension tables.
 *   - Vol. 3, Part I, chapter 2 "Instruction Reference" for the
 *     completers (compare relations/types, load hints, branch hints).
 *   - GNU binutils 2.40 (Debian binutils-ia64-linux-gnu 2.40-2):
 *     opcodes/ia64-opc-{a,i,m,b,f,x}.c and ia64-dis.c were read as a
 *     fact source for the exact text objdump prints (pseudo-op choice,
 *     register names, reserved-hint spellings); the corpus comparison in
 *     tests/ia64-objdump.sh is the arbiter.
 *
 * Decoding is table driven: a slot's unit (from the template) and major
 * opcode (bits 40:37) select the rows of ia64_ops.def of that type; the
 * first row whose extension fields match gives the op.  Anything else
 * decodes as IA64_OP_UNKNOWN; slots of a reserved template decode as
 * IA64_OP_ILLEGAL.  Every 16-byte input decodes; nothing here reads
 * outside the bundle, allocates, or asserts on guest bytes.
 *
 * Disassembly (ia64_disasm.c) reproduces `ia64-linux-gnu-objdump -d
 * --no-show-raw-insn` line by line for every instruction of the subset:
 * the template tag ("[MII] ") or six blanks, the qualifying predicate
 * ("(p06) ") or six blanks, the mnemonic with its completers, the
 * operands, and ";;" where a stop follows.  Two deliberate differences:
 *   - Branch targets are printed as a bare hexadecimal address ("40"),
 *     without objdump's symbolic " <foo+0x40>" suffix (objdump prints
 *     "0x40" when it has no symbols); the test script strips the suffix.
 *   - Instructions outside the subset print as objdump prints an
 *     undecodable slot, "data8 0x...", where objdump would name them.
 *
 * Approximations (not modelled here):
 *   - Everything outside ia64_ops.def decodes as IA64_OP_UNKNOWN:
 *     floating point and multimedia, speculative/advanced loads and
 *     checks (ld.s/.a/.sa/.bias/.c, chk), ld8.fill/st8.spill, semaphores
 *     (xchg, cmpxchg, fetchadd), lfetch, fc, mf.a, invala, addp4,
 *     shladdp4, probe.*.fault, hint.*, brp, mov to/from msr and dahr.
 *     Table numbers in the comments are omitted where not re-read;
 *     sections and tables are cited by title.
 *   - Slot-placement rules (br.cloop only in the last slot, "must be last
 *     in an instruction group") are recorded as flags, not enforced.
 *   - The r2 field of A7 (parallel compare against zero) is ignored, as
 *     binutils does; it is reported as r0.
 *   - Load/store hint encodings the SDM reserves but binutils 2.40
 *     names (.d1-.d7, including a third hint bit in the otherwise unused
 *     bit 19 of M1 and bit 12 of M4) are accepted and kept in `mhint`;
 *     those binutils rejects (M2/M3 hint 2, M5 hints 1 and 2) decode as
 *     IA64_OP_UNKNOWN, as objdump shows them.
 */
#ifndef ISA_IA64_H
#define ISA_IA64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Bundles and templates                                               */
/* ------------------------------------------------------------------ */

#define IA64_BUNDLE_BYTES 16
#define IA64_SLOT_MASK    ((UINT64_C(1) << 41) - 1)

/* Execution-unit type of a slot (Vol. 1 "Template Field
 * Encoding and Instruction Slot Mapping").  L is the immediate half of an
 * L+X instruction; NONE marks the slots of a reserved template. */
enum ia64_unit {
    IA64_UNIT_NONE = 0,
    IA64_UNIT_M,
    IA64_UNIT_I,
    IA64_UNIT_F,
    IA64_UNIT_B,
    IA64_UNIT_L,
    IA64_UNIT_X,
    IA64_UNIT__COUNT
};

/* Instruction type of a table row (Vol. 1 "Relationship
 * between Instruction Type and Execution Unit Type").  A-type (integer
 * ALU) instructions execute on M or I slots with major opcode 8-15. */
enum ia64_type {
    IA64_TYPE_A = 0,
    IA64_TYPE_I,
    IA64_TYPE_M,
    IA64_TYPE_B,
    IA64_TYPE_F,
    IA64_TYPE_X,
    IA64_TYPE__COUNT
};

struct ia64_template {
    char    name[4];        /* objdump's tag: "MII", "MLX", reserved "-3-" */
    uint8_t unit[3];        /* enum ia64_unit of slots 0, 1, 2 */
    uint8_t stops;          /* bit s set: a stop follows slot s */
    uint8_t reserved;       /* 1 for the eight reserved encodings */
};

/* Indexed by the 5-bit template field (bundle bits 4:0). */
extern const struct ia64_template ia64_templates[32];

/* ------------------------------------------------------------------ */
/* Instruction table                                                   */
/* ------------------------------------------------------------------ */

/* Instruction formats (Vol. 3, chapter 4); column `fmt` of ia64_ops.def.
 * The format fixes where every operand field lives. */
#define IA64_FMT_LIST(X)                                                   \
    X(NONE)                                                                \
    X(A1) X(A2) X(A3) X(A4) X(A5) X(A6) X(A7) X(A8)                        \
    X(I5) X(I7) X(I11) X(I12) X(I13) X(I14) X(I15) X(I16) X(I19) X(I21)    \
    X(I22) X(I23) X(I24) X(I25) X(I26) X(I27) X(I28) X(I29)                \
    X(M1) X(M2) X(M3) X(M4) X(M5) X(M24) X(M25) X(M29) X(M30) X(M31)       \
    X(M32) X(M33) X(M34) X(M35) X(M36) X(M37) X(M38) X(M39) X(M41)        \
    X(M42) X(M43) X(M44) X(M45) X(M46) X(M47)                              \
    X(B1) X(B3) X(B4) X(B5) X(B8) X(B9)                                    \
    X(F15) X(F16)                                                          \
    X(X1) X(X2) X(X3) X(X4) X(X5)

enum ia64_fmt {
#define IA64_FMT_ENUM(n) IA64_FMT_##n,
    IA64_FMT_LIST(IA64_FMT_ENUM)
#undef IA64_FMT_ENUM
    IA64_FMT__COUNT
};

/* Opcode-extension fields used in the `ext` column: E(FIELD, value).
 * IA64_FIELD(name, lsb, width); positions from the format diagrams of
 * Vol. 3 chapter 4.  Fields whose position depends on the unit carry the
 * unit as a prefix. */
#define IA64_FIELD_LIST(X)                                                 \
    X(A_X2A, 34, 2)  /* A1-A4 */                                           \
    X(A_VE, 33, 1)                                                         \
    X(A_X4, 29, 4)                                                         \
    X(A_X2B, 27, 2)                                                        \
    X(A_TB, 36, 1)   /* A6, A7 */                                          \
    X(A_X2, 34, 2)   /* A6-A8 */                                           \
    X(A_TA, 33, 1)                                                         \
    X(I_ZA, 36, 1)   /* I5, I7 */                                          \
    X(I_ZB, 33, 1)                                                         \
    X(I_VE, 32, 1)                                                         \
    X(I_X2A, 34, 2)                                                        \
    X(I_X2B, 28, 2)                                                        \
    X(I_X2C, 30, 2)                                                        \
    X(I_X2, 34, 2)   /* I11-I16 */                                         \
    X(I_X, 33, 1)                                                          \
    X(I_TB, 36, 1)                                                         \
    X(I_TA, 33, 1)                                                         \
    X(I_Y, 13, 1)                                                          \
    X(I_YB, 26, 1)   /* I13 vs I12; nop.i vs hint.i */                     \
    X(I_X3, 33, 3)   /* I19-I29 */                                         \
    X(I_X6, 27, 6)                                                         \
    X(M_M, 36, 1)    /* M1-M5 */                                           \
    X(M_X, 27, 1)                                                          \
    X(M_X6A, 30, 6)                                                        \
    X(M_X3, 33, 3)   /* system/memory management */                       \
    X(M_X4, 27, 4)                                                         \
    X(M_X2, 31, 2)                                                         \
    X(M_X6B, 27, 6)                                                        \
    X(M_Y, 26, 1)    /* nop.m vs hint.m */                                 \
    X(B_BTYPE, 6, 3)                                                       \
    X(B_X6, 27, 6)                                                         \
    X(F_X, 33, 1)                                                          \
    X(F_X6, 27, 6)                                                         \
    X(F_Y, 26, 1)                                                          \
    X(X_X3, 33, 3)                                                         \
    X(X_X6, 27, 6)                                                         \
    X(X_Y, 26, 1)                                                          \
    X(X_VC, 20, 1)                                                         \
    X(X_BTYPE, 6, 3)

/* Row flags (column `flags`). */
#define IA64_F_NOPRED  (1u << 0)  /* not predicable: qp is not printed */
#define IA64_F_PRIV    (1u << 1)  /* Privileged Operation fault if CPL != 0 */
#define IA64_F_BRANCH  (1u << 2)  /* may change IP */
#define IA64_F_LOAD    (1u << 3)  /* reads data memory */
#define IA64_F_STORE   (1u << 4)  /* writes data memory */
#define IA64_F_LAST    (1u << 5)  /* must be last in an instruction group */
#define IA64_F_SERIAL  (1u << 6)  /* serialises (srlz, sync.i, rfi, ...) */
#define IA64_F_OPSENS  (1u << 7)  /* privilege/virtualization depends on
                                     the register operand (AR/CR number) */
#define IA64_F_FIRST   (1u << 8)  /* must be first in an instruction group */
#define IA64_F_SLOT2   (1u << 9)  /* must be in the last slot of a bundle */

/* Field positions as enum constants, and the two expansions of E() used
 * by consumers of ia64_ops.def: the bits a row requires and the mask of
 * the field.  Values are not truncated, so a value too wide for its field
 * leaves bits outside the mask, which test_ia64_decode checks. */
enum {
#define IA64_FIELD_ENUM(n, lsb, w) IA64_FLD_LSB_##n = (lsb), \
                                   IA64_FLD_W_##n = (w),
    IA64_FIELD_LIST(IA64_FIELD_ENUM)
#undef IA64_FIELD_ENUM
};
#define IA64_E_BITS(f, v) ((uint64_t)(v) << IA64_FLD_LSB_##f)
#define IA64_E_MASK(f, v) \
    (((UINT64_C(1) << IA64_FLD_W_##f) - 1) << IA64_FLD_LSB_##f)
#define IA64_OPC_SHIFT 37

enum ia64_op {
    IA64_OP_NONE = 0,   /* no instruction: slot 2 of MLX (the X half) */
    IA64_OP_UNKNOWN,    /* valid template, encoding outside the subset */
    IA64_OP_ILLEGAL,    /* slot of a reserved template */
#define IA64_OP(n, mn, ty, opc, ext, fmt, opnd, vf, fl) IA64_OP_##n,
#include "ia64_ops.def"
#undef IA64_OP
    IA64_OP__COUNT
};

struct ia64_op_info {
    const char *name;       /* row name, e.g. "ADDS" */
    const char *mnem;       /* objdump base mnemonic, e.g. "adds" */
    const char *opnd;       /* operand syntax, see ia64_ops.def */
    uint64_t    match;      /* major opcode and extension bits */
    uint32_t    flags;      /* IA64_F_* */
    uint8_t     type;       /* enum ia64_type */
    uint8_t     fmt;        /* enum ia64_fmt */
    uint8_t     vf;         /* virtualization-fault cause (GR24), 0 = none */
};

extern const struct ia64_op_info ia64_op_info[IA64_OP__COUNT];
/* Bits of a slot that ia64_op_info[op].match constrains (a second
 * expansion of the `ext` column with E() giving field masks). */
extern const uint64_t ia64_op_mask[IA64_OP__COUNT];
extern const char *const ia64_fmt_name[IA64_FMT__COUNT];

/* ------------------------------------------------------------------ */
/* Decoded instruction                                                 */
/* ------------------------------------------------------------------ */

/* Compare relation as encoded (the canonical one objdump prints); the
 * assembler's pseudo relations (gt, le, ge, leu, ...) are encoded by
 * swapping operands or predicate targets (Vol. 3, cmp, "Comparison
 * Relations"). */
enum ia64_crel {
    IA64_CREL_NONE = 0,
    IA64_CREL_EQ, IA64_CREL_NE, IA64_CREL_LT, IA64_CREL_LE, IA64_CREL_GT,
    IA64_CREL_GE, IA64_CREL_LTU,
    /* tbit (I16) */
    IA64_CREL_Z, IA64_CREL_NZ
};

/* Compare type (Vol. 3, cmp, "Comparison Types"). */
enum ia64_ctype {
    IA64_CTYPE_NONE = 0,    /* normal */
    IA64_CTYPE_UNC,
    IA64_CTYPE_AND,
    IA64_CTYPE_OR,
    IA64_CTYPE_OR_ANDCM
};

/* Branch whether hint (bwh); the same names serve the mov-to-BR hint. */
enum ia64_bwh {
    IA64_BWH_NONE = 0, IA64_BWH_SPTK, IA64_BWH_SPNT, IA64_BWH_DPTK,
    IA64_BWH_DPNT
};

/* Post-increment form of a load or store (minc). */
enum ia64_minc {
    IA64_MINC_NONE = 0,     /* M1, M4 */
    IA64_MINC_REG,          /* M2: r3 += r2 */
    IA64_MINC_IMM           /* M3, M5: r3 += imm9 */
};

/* Completer flags (cflags). */
#define IA64_C_CLR   (1u << 0)  /* branch .clr (d bit) */
#define IA64_C_MANY  (1u << 1)  /* branch .many (p bit); clear: .few */
#define IA64_C_IMP   (1u << 2)  /* mov to BR .imp (ih bit) */
#define IA64_C_RET   (1u << 3)  /* mov to BR .ret (x bit) */
#define IA64_C_CMP4  (1u << 4)  /* cmp4: 32-bit compare */
#define IA64_C_ACQ   (1u << 5)  /* ld.acq */
#define IA64_C_REL   (1u << 6)  /* st.rel */

/*
 * One decoded slot.  Register numbers are the raw 7-bit (GR), 6-bit (PR)
 * or 3-bit (BR) fields; immediates are already assembled and sign
 * extended as the format prescribes:
 *   imm  A3/A8/I13/I27/M30 imm8, A4 imm14, A5 imm22, I14 imm1 (0 or -1),
 *        M3/M5 imm9, M39 imm2, I23 mask (imm17 << 1, sign extended),
 *        I24 imm44 (imm27 << 16, sign extended), M44 imm24, nop/break
 *        imm21 (X1/X5: imm62), X2 imm64 (movl), and for IP-relative
 *        branches (B1, B3, X3, X4) and I21 the byte displacement from the
 *        bundle address (imm21 << 4, imm60 << 4, timm9 << 4).
 */
struct ia64_insn {
    uint64_t raw;       /* the 41-bit slot (for L+X: the X slot) */
    int64_t  imm;
    uint16_t op;        /* enum ia64_op */
    uint8_t  fmt;       /* enum ia64_fmt */
    uint8_t  unit;      /* enum ia64_unit of the slot */
    uint8_t  qp;        /* qualifying predicate, bits 5:0 */
    uint8_t  r1, r2, r3;
    uint8_t  p1, p2;
    uint8_t  b1, b2;
    uint8_t  areg;      /* AR (M29-M31, I26-I28) or CR (M32, M33) number */
    uint8_t  pos;       /* tbit/extr bit position; dep/dep.z/shl position */
    uint8_t  len;       /* extr/dep field length (1..64) */
    uint8_t  count;     /* shladd count (1..4) */
    uint8_t  sof, sol, sor;     /* alloc: frame, locals, rotating (regs) */
    uint8_t  crel;      /* enum ia64_crel (A6-A8, I16) */
    uint8_t  ctype;     /* enum ia64_ctype */
    uint8_t  msize;     /* ld/st access size in bytes */
    uint8_t  mhint;     /* ld/st hint, 0..7 (bit 2: M1 bit 19, M4 bit 12) */
    uint8_t  minc;      /* enum ia64_minc */
    uint8_t  bwh;       /* enum ia64_bwh (branches, mov to BR) */
    uint8_t  cflags;    /* IA64_C_* */
};

struct ia64_bundle {
    uint8_t          tmpl;      /* template field, bits 4:0 */
    uint8_t          nslots;    /* 3, or 2 for MLX (L+X is slot 1) */
    uint8_t          stops;     /* copy of ia64_templates[tmpl].stops */
    uint8_t          reserved;  /* reserved template */
    uint64_t         raw[3];    /* the three 41-bit slots as encoded */
    struct ia64_insn slot[3];   /* MLX: slot[2].op is IA64_OP_NONE */
};

/* ------------------------------------------------------------------ */
/* Decoder (ia64_decode.c)                                             */
/* ------------------------------------------------------------------ */

/* Decode one bundle (16 bytes, little endian as in memory).  Never fails:
 * reserved templates give IA64_OP_ILLEGAL slots, unknown encodings
 * IA64_OP_UNKNOWN.  Reads exactly 16 bytes. */
void ia64_decode_bundle(const uint8_t b[IA64_BUNDLE_BYTES],
                        struct ia64_bundle *out);

/* Decode one 41-bit slot executing on `unit` (M, I, F, B or X; NONE or
 * L give IA64_OP_ILLEGAL).  For X, `lslot` is the L slot of the same
 * bundle; otherwise it is ignored.  Bits above 40 of `slot` and of
 * `lslot` are ignored. */
void ia64_decode_slot(uint64_t slot, enum ia64_unit unit, uint64_t lslot,
                      struct ia64_insn *out);

/* Absolute target of an IP-relative branch (B1, B3, X3, X4) or of the
 * tag of a mov to BR (I21), given the address of its bundle. */
uint64_t ia64_branch_target(const struct ia64_insn *in, uint64_t bundle_addr);

/* Names of AR and CR numbers as objdump prints them ("ar.pfs", "ar9",
 * "cr.iva", "cr3").  `buf` must hold 16 bytes; returns buf. */
const char *ia64_ar_name(unsigned ar, char buf[16]);
const char *ia64_cr_name(unsigned cr, char buf[16]);

/* ------------------------------------------------------------------ */
/* Disassembler (ia64_disasm.c)                                        */
/* ------------------------------------------------------------------ */

/* Text objdump prints for slot `s` (0..nslots-1) of a decoded bundle at
 * `bundle_addr`: "[MII]       alloc r34=ar.pfs,5,5,0", "(p06) ..." etc.,
 * without address, raw bytes or symbolic target suffix.  snprintf
 * semantics: returns the length of the full text (which was truncated if
 * >= len), or -1 for a bad slot number; `out` is always NUL-terminated
 * when len > 0. */
int ia64_disasm_slot(const struct ia64_bundle *b, unsigned s,
                     uint64_t bundle_addr, char *out, size_t len);

/* Disassemble the bundle `b` located at `addr` (16-byte aligned; the low
 * four bits are ignored) into one line per slot in objdump's slot
 * addressing (addr, addr+6, addr+12; MLX has two lines):
 *     "<hex address>:\t<text as ia64_disasm_slot>\n"
 * e.g. "40:\t[MIB]       nop.m 0x0\n46:\t ...".  Returns the length of
 * the full output (snprintf semantics; truncated if >= len); `out` is
 * always NUL-terminated when len > 0.  This is the entry point for
 * `vtsim disasm --isa ia64`. */
int ia64_disasm_bundle(const uint8_t b[IA64_BUNDLE_BYTES], uint64_t addr,
                       char *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* ISA_IA64_H */
