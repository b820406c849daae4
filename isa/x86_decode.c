/*
 * x86_decode.c - x86 instruction decode through Zydis into struct x86_insn,
 * the tables generated from x86_ops.def, and the disassembly helper.
 *
 * Follows Intel SDM Vol. 2, "Instruction Format" (prefixes, ModRM, SIB,
 * displacement, immediate) as implemented by Zydis 4.0.0 (Debian
 * libzydis-dev 4.0.0-1).  Zydis 4 API: ZydisDecoderDecodeFull() fills a
 * separate operand array of ZYDIS_MAX_OPERAND_COUNT entries with the visible
 * operands first; the 3.x single-struct API does not exist here.
 *
 * Zydis quirks this file relies on or works around (4.0.0):
 *   - ZYDIS_ATTRIB_IS_PRIVILEGED is incomplete (LGDT in 32-bit mode, VMRUN,
 *     STGI are reported unprivileged); x86_ops.def is the only source of
 *     privilege here.
 *   - MOVSD/CMPSD are one mnemonic each for the string and the SSE2
 *     instructions; string rows accept only Zydis' string categories.
 *   - F2 on MOVS/STOS/LODS/INS/OUTS is reported as REPNE; hardware repeats
 *     as with F3, so it becomes X86_PFX_REP.
 *   - The multi-byte NOP (0F 1F /0) and reserved-NOP hints report a read
 *     memory operand; NOP never accesses memory (X86_F_AGEN).
 *   - Segment overrides ignored in 64-bit mode (ES/CS/SS/DS) are not
 *     reported as attributes, and operands carry the effective segment.
 *
 * Approximations: see x86.h.
 */
#include "x86.h"

#include <Zydis/Zydis.h>
#include <inttypes.h>
#include <string.h>
#include <threads.h>

_Static_assert(X86_OP__COUNT < 0x10000, "op must fit uint16_t");
_Static_assert(ZYDIS_MNEMONIC_MAX_VALUE < 0x10000,
               "Zydis mnemonic must fit uint16_t");
_Static_assert(X86_FORM__COUNT <= 16, "form must fit the 4-bit flag field");
_Static_assert(X86_REG_NONE < 0x100, "register must fit uint8_t");

/* ------------------------------------------------------------------ */
/* Tables generated from x86_ops.def                                   */
/* ------------------------------------------------------------------ */

const char *const x86_op_name[X86_OP__COUNT] = {
    [X86_OP_UNKNOWN] = "UNKNOWN",
#define X86_OP(n, zm, cls, lat, fl) [X86_OP_##n] = #n,
#include "x86_ops.def"
#undef X86_OP
};

const struct x86_op_info x86_op_info[X86_OP__COUNT] = {
    [X86_OP_UNKNOWN] = { 0, ZYDIS_MNEMONIC_INVALID, X86_CLASS_NONE,
                         X86_LAT_NONE },
#define X86_OP(n, zm, cls, lat, fl) \
    [X86_OP_##n] = { (fl), ZYDIS_MNEMONIC_##zm, X86_CLASS_##cls, \
                     X86_LAT_##lat },
#include "x86_ops.def"
#undef X86_OP
};

const char *const x86_class_name[X86_CLASS__COUNT] = {
#define X86_CLASS_NAME(n) [X86_CLASS_##n] = #n,
    X86_CLASS_LIST(X86_CLASS_NAME)
#undef X86_CLASS_NAME
};

const char *const x86_lat_name[X86_LAT__COUNT] = {
#define X86_LAT_NAME(n) [X86_LAT_##n] = #n,
    X86_LAT_LIST(X86_LAT_NAME)
#undef X86_LAT_NAME
};

const char *const x86_form_name[X86_FORM__COUNT] = {
    [X86_FORM_ANY] = "",
    [X86_FORM_TO_SREG] = "to-sreg",
    [X86_FORM_FROM_SREG] = "from-sreg",
    [X86_FORM_SREG] = "sreg",
    [X86_FORM_TO_CR] = "to-cr",
    [X86_FORM_FROM_CR] = "from-cr",
    [X86_FORM_TO_DR] = "to-dr",
    [X86_FORM_FROM_DR] = "from-dr",
    [X86_FORM_FAR] = "far",
};

/* ------------------------------------------------------------------ */
/* Process-wide read-only state, built once                            */
/* ------------------------------------------------------------------ */

/* Rows by Zydis mnemonic: first row, then a chain in table order.
 * 0 (X86_OP_UNKNOWN) ends a chain; it is never a row. */
static uint16_t x86_row_first[ZYDIS_MNEMONIC_MAX_VALUE + 1];
static uint16_t x86_row_next[X86_OP__COUNT];
static ZydisDecoder x86_decoder[X86_MODE__COUNT];
static once_flag x86_once = ONCE_FLAG_INIT;

static void x86_init_once(void)
{
    static const ZydisMachineMode mm[X86_MODE__COUNT] = {
        [X86_MODE_16] = ZYDIS_MACHINE_MODE_LEGACY_16,
        [X86_MODE_32] = ZYDIS_MACHINE_MODE_LEGACY_32,
        [X86_MODE_64] = ZYDIS_MACHINE_MODE_LONG_64,
    };
    static const ZydisStackWidth sw[X86_MODE__COUNT] = {
        [X86_MODE_16] = ZYDIS_STACK_WIDTH_16,
        [X86_MODE_32] = ZYDIS_STACK_WIDTH_32,
        [X86_MODE_64] = ZYDIS_STACK_WIDTH_64,
    };
    unsigned op;
    unsigned m;

    for (op = X86_OP__COUNT - 1; op > X86_OP_UNKNOWN; op--) {
        unsigned zm = x86_op_info[op].zmnemonic;

        x86_row_next[op] = x86_row_first[zm];
        x86_row_first[zm] = (uint16_t)op;
    }
    for (m = 0; m < X86_MODE__COUNT; m++) {
        /* Cannot fail for valid constant arguments; a failure would leave
         * the decoder zeroed, which Zydis rejects on every decode. */
        (void)ZydisDecoderInit(&x86_decoder[m], mm[m], sw[m]);
    }
}

static const ZydisDecoder *x86_decoder_for(enum x86_mode mode)
{
    call_once(&x86_once, x86_init_once);
    return &x86_decoder[mode];
}

enum x86_op x86_op_lookup(unsigned zydis_mnemonic, enum x86_form form)
{
    unsigned op;

    if (zydis_mnemonic == ZYDIS_MNEMONIC_INVALID ||
        zydis_mnemonic > ZYDIS_MNEMONIC_MAX_VALUE) {
        return X86_OP_UNKNOWN;
    }
    call_once(&x86_once, x86_init_once);
    for (op = x86_row_first[zydis_mnemonic]; op != X86_OP_UNKNOWN;
         op = x86_row_next[op]) {
        if (x86_flags_form(x86_op_info[op].flags) == form) {
            return (enum x86_op)op;
        }
    }
    return X86_OP_UNKNOWN;
}

const char *x86_zydis_mnemonic_name(unsigned zydis_mnemonic)
{
    const char *s = NULL;

    if (zydis_mnemonic <= ZYDIS_MNEMONIC_MAX_VALUE) {
        s = ZydisMnemonicGetString((ZydisMnemonic)zydis_mnemonic);
    }
    return s != NULL ? s : "invalid";
}

unsigned x86_zydis_mnemonic_count(void)
{
    return (unsigned)ZYDIS_MNEMONIC_MAX_VALUE + 1;
}

/* ------------------------------------------------------------------ */
/* Zydis -> struct x86_insn                                            */
/* ------------------------------------------------------------------ */

/* Our register number for a Zydis register; *high for AH/CH/DH/BH. */
static uint8_t x86_map_reg(ZydisRegister r, uint8_t *high)
{
    *high = 0;
    if (r == ZYDIS_REGISTER_NONE) {
        return X86_REG_NONE;
    }
    if (r >= ZYDIS_REGISTER_AL && r <= ZYDIS_REGISTER_R15B) {
        unsigned i = (unsigned)(r - ZYDIS_REGISTER_AL);

        if (i < 4) {
            return (uint8_t)i;                  /* AL CL DL BL */
        }
        if (i < 8) {
            *high = 1;                          /* AH CH DH BH */
            return (uint8_t)(i - 4);
        }
        return (uint8_t)(i - 4);                /* SPL.. DIL, R8B.. */
    }
    if (r >= ZYDIS_REGISTER_AX && r <= ZYDIS_REGISTER_R15W) {
        return (uint8_t)(r - ZYDIS_REGISTER_AX);
    }
    if (r >= ZYDIS_REGISTER_EAX && r <= ZYDIS_REGISTER_R15D) {
        return (uint8_t)(r - ZYDIS_REGISTER_EAX);
    }
    if (r >= ZYDIS_REGISTER_RAX && r <= ZYDIS_REGISTER_R15) {
        return (uint8_t)(r - ZYDIS_REGISTER_RAX);
    }
    if (r >= ZYDIS_REGISTER_ES && r <= ZYDIS_REGISTER_GS) {
        return (uint8_t)(X86_REG_ES + (r - ZYDIS_REGISTER_ES));
    }
    if (r >= ZYDIS_REGISTER_CR0 && r <= ZYDIS_REGISTER_CR15) {
        return (uint8_t)(X86_REG_CR0 + (r - ZYDIS_REGISTER_CR0));
    }
    if (r >= ZYDIS_REGISTER_DR0 && r <= ZYDIS_REGISTER_DR15) {
        return (uint8_t)(X86_REG_DR0 + (r - ZYDIS_REGISTER_DR0));
    }
    if (r == ZYDIS_REGISTER_RIP || r == ZYDIS_REGISTER_EIP ||
        r == ZYDIS_REGISTER_IP) {
        return X86_REG_RIP;
    }
    return X86_REG_OTHER;
}

static void x86_conv_operand(const ZydisDecodedOperand *zo,
                             struct x86_operand *o)
{
    uint8_t high;

    o->size = (uint16_t)(zo->size / 8);
    if (zo->actions & ZYDIS_OPERAND_ACTION_MASK_READ) {
        o->access |= X86_ACC_R;
    }
    if (zo->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) {
        o->access |= X86_ACC_W;
    }
    switch (zo->type) {
    case ZYDIS_OPERAND_TYPE_REGISTER:
        o->kind = X86_OPND_REG;
        o->reg = x86_map_reg(zo->reg.value, &o->reg_high);
        break;
    case ZYDIS_OPERAND_TYPE_MEMORY:
        o->kind = X86_OPND_MEM;
        if (zo->mem.type == ZYDIS_MEMOP_TYPE_AGEN) {
            o->access = 0;                      /* LEA: address only */
        }
        o->u.mem.base = x86_map_reg(zo->mem.base, &high);
        o->u.mem.index = x86_map_reg(zo->mem.index, &high);
        o->u.mem.scale = zo->mem.index != ZYDIS_REGISTER_NONE ?
                         zo->mem.scale : 0;
        o->u.mem.seg = x86_map_reg(zo->mem.segment, &high);
        o->u.mem.disp = zo->mem.disp.has_displacement ?
                        zo->mem.disp.value : 0;
        o->u.mem.rip_rel = o->u.mem.base == X86_REG_RIP;
        break;
    case ZYDIS_OPERAND_TYPE_POINTER:
        o->kind = X86_OPND_PTR;
        o->u.ptr.sel = zo->ptr.segment;
        o->u.ptr.offset = zo->ptr.offset;
        break;
    case ZYDIS_OPERAND_TYPE_IMMEDIATE:
        o->kind = X86_OPND_IMM;
        o->rel = zo->imm.is_relative ? 1 : 0;
        o->u.imm = zo->imm.value.u;
        break;
    default:
        o->kind = X86_OPND_NONE;
        break;
    }
}

static int x86_zreg_in(ZydisRegister r, ZydisRegister lo, ZydisRegister hi)
{
    return r >= lo && r <= hi;
}

/* Which form of its mnemonic an instruction is (x86_ops.def column 5). */
static enum x86_form x86_form_of(const ZydisDecodedInstruction *in,
                                 const ZydisDecodedOperand *zo, unsigned nvis)
{
    ZydisRegister r;

    if (in->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR) {
        return X86_FORM_FAR;
    }
    switch (in->mnemonic) {
    case ZYDIS_MNEMONIC_MOV:
        if (nvis < 2) {
            return X86_FORM_ANY;
        }
        if (zo[0].type == ZYDIS_OPERAND_TYPE_REGISTER) {
            r = zo[0].reg.value;
            if (x86_zreg_in(r, ZYDIS_REGISTER_ES, ZYDIS_REGISTER_GS)) {
                return X86_FORM_TO_SREG;
            }
            if (x86_zreg_in(r, ZYDIS_REGISTER_CR0, ZYDIS_REGISTER_CR15)) {
                return X86_FORM_TO_CR;
            }
            if (x86_zreg_in(r, ZYDIS_REGISTER_DR0, ZYDIS_REGISTER_DR15)) {
                return X86_FORM_TO_DR;
            }
        }
        if (zo[1].type == ZYDIS_OPERAND_TYPE_REGISTER) {
            r = zo[1].reg.value;
            if (x86_zreg_in(r, ZYDIS_REGISTER_ES, ZYDIS_REGISTER_GS)) {
                return X86_FORM_FROM_SREG;
            }
            if (x86_zreg_in(r, ZYDIS_REGISTER_CR0, ZYDIS_REGISTER_CR15)) {
                return X86_FORM_FROM_CR;
            }
            if (x86_zreg_in(r, ZYDIS_REGISTER_DR0, ZYDIS_REGISTER_DR15)) {
                return X86_FORM_FROM_DR;
            }
        }
        return X86_FORM_ANY;
    case ZYDIS_MNEMONIC_PUSH:
    case ZYDIS_MNEMONIC_POP:
        if (nvis >= 1 && zo[0].type == ZYDIS_OPERAND_TYPE_REGISTER &&
            x86_zreg_in(zo[0].reg.value, ZYDIS_REGISTER_ES,
                        ZYDIS_REGISTER_GS)) {
            return X86_FORM_SREG;
        }
        return X86_FORM_ANY;
    default:
        return X86_FORM_ANY;
    }
}

static uint8_t x86_prefixes_of(const ZydisDecodedInstruction *in)
{
    ZydisInstructionAttributes a = in->attributes;
    uint8_t p = 0;

    if (a & ZYDIS_ATTRIB_HAS_LOCK) {
        p |= X86_PFX_LOCK;
    }
    if (a & (ZYDIS_ATTRIB_HAS_REP | ZYDIS_ATTRIB_HAS_REPE |
             ZYDIS_ATTRIB_HAS_REPNE)) {
        if (a & ZYDIS_ATTRIB_ACCEPTS_REPE) {            /* CMPS, SCAS */
            p |= (a & ZYDIS_ATTRIB_HAS_REPNE) ? X86_PFX_REPNE : X86_PFX_REPE;
        } else {
            p |= X86_PFX_REP;
        }
    }
    if (a & ZYDIS_ATTRIB_HAS_OPERANDSIZE) {
        p |= X86_PFX_OPSIZE;
    }
    if (a & ZYDIS_ATTRIB_HAS_ADDRESSSIZE) {
        p |= X86_PFX_ADSIZE;
    }
    return p;
}

static uint8_t x86_seg_override_of(const ZydisDecodedInstruction *in)
{
    static const struct {
        ZydisInstructionAttributes attr;
        uint8_t reg;
    } seg[] = {
        { ZYDIS_ATTRIB_HAS_SEGMENT_ES, X86_REG_ES },
        { ZYDIS_ATTRIB_HAS_SEGMENT_CS, X86_REG_CS },
        { ZYDIS_ATTRIB_HAS_SEGMENT_SS, X86_REG_SS },
        { ZYDIS_ATTRIB_HAS_SEGMENT_DS, X86_REG_DS },
        { ZYDIS_ATTRIB_HAS_SEGMENT_FS, X86_REG_FS },
        { ZYDIS_ATTRIB_HAS_SEGMENT_GS, X86_REG_GS },
    };
    size_t i;

    for (i = 0; i < sizeof(seg) / sizeof(seg[0]); i++) {
        if (in->attributes & seg[i].attr) {
            return seg[i].reg;
        }
    }
    return X86_REG_NONE;
}

/* Condition nibble of Jcc (70-7F, 0F 80-8F), SETcc (0F 90-9F) and CMOVcc
 * (0F 40-4F); SDM Vol. 1 "EFLAGS Condition Codes" order. */
static uint8_t x86_cond_of(const ZydisDecodedInstruction *in, unsigned cls)
{
    uint8_t hi = in->opcode & 0xf0;

    if (cls == X86_CLASS_JCC && in->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT &&
        hi == 0x70) {
        return in->opcode & 0x0f;
    }
    if (in->opcode_map != ZYDIS_OPCODE_MAP_0F) {
        return X86_COND_NONE;
    }
    if ((cls == X86_CLASS_JCC && hi == 0x80) ||
        (cls == X86_CLASS_SETCC && hi == 0x90) ||
        (cls == X86_CLASS_CMOV && hi == 0x40)) {
        return in->opcode & 0x0f;
    }
    return X86_COND_NONE;
}

static int x86_status_err(ZyanStatus st)
{
    if (st == ZYDIS_STATUS_NO_MORE_DATA) {
        return -X86_DEC_ETRUNC;
    }
    if (st == ZYDIS_STATUS_INSTRUCTION_TOO_LONG) {
        return -X86_DEC_ETOOLONG;
    }
    return -X86_DEC_EUD;
}

int x86_decode(const uint8_t *bytes, size_t avail, enum x86_mode mode,
               struct x86_insn *out)
{
    ZydisDecodedInstruction in;
    ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
    ZyanStatus st;
    enum x86_op op;
    unsigned nvis;
    unsigned i;

    if (out == NULL) {
        return -X86_DEC_EARG;
    }
    memset(out, 0, sizeof(*out));
    if ((bytes == NULL && avail != 0) || (unsigned)mode >= X86_MODE__COUNT) {
        return -X86_DEC_EARG;
    }
    if (avail == 0) {
        return -X86_DEC_ETRUNC;
    }
    st = ZydisDecoderDecodeFull(x86_decoder_for(mode), bytes, avail, &in, zo);
    if (!ZYAN_SUCCESS(st)) {
        return x86_status_err(st);
    }

    nvis = in.operand_count_visible;
    op = x86_op_lookup(in.mnemonic, x86_form_of(&in, zo, nvis));
    if (x86_op_info[op].cls == X86_CLASS_STRING &&
        in.meta.category != ZYDIS_CATEGORY_STRINGOP) {
        op = X86_OP_UNKNOWN;                    /* SSE2 MOVSD / CMPSD */
    }

    out->op = (uint16_t)op;
    out->zmnemonic = (uint16_t)in.mnemonic;
    out->flags = x86_op_info[op].flags;
    out->length = in.length;
    out->mode = (uint8_t)mode;
    out->osize = in.operand_width;
    out->asize = in.address_width;
    out->cls = x86_op_info[op].cls;
    out->lat = x86_op_info[op].lat;
    out->prefixes = x86_prefixes_of(&in);
    out->seg_override = x86_seg_override_of(&in);
    out->cond = x86_cond_of(&in, out->cls);
    out->nops = (uint8_t)(nvis < 3 ? nvis : 3);
    for (i = 0; i < out->nops; i++) {
        struct x86_operand *o = &out->opnd[i];

        x86_conv_operand(&zo[i], o);
        if (o->kind == X86_OPND_MEM && (out->flags & X86_F_AGEN)) {
            o->access = 0;
        }
        if (o->kind == X86_OPND_MEM && o->access != 0) {
            out->flags |= X86_F_MEM;
        }
    }
    /* SDM Vol. 3A "Serializing Instructions": MOV to CR8 is the exception. */
    if (op == X86_OP_MOV_TO_CR && out->opnd[0].reg == X86_REG_CR0 + 8) {
        out->flags &= ~X86_F_SERIAL;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Disassembly                                                         */
/* ------------------------------------------------------------------ */

#define X86_DISASM_BYTES_COL 10     /* bytes shown before the text column */

static int x86_disasm_line(FILE *out, uint64_t addr, enum x86_mode mode,
                           const uint8_t *b, size_t n, const char *text)
{
    size_t i;

    if (fprintf(out, "%0*" PRIx64 ":  ", mode == X86_MODE_64 ? 16 : 8,
                addr) < 0) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (fprintf(out, "%02x ", b[i]) < 0) {
            return -1;
        }
    }
    for (; i < X86_DISASM_BYTES_COL; i++) {
        if (fputs("   ", out) < 0) {
            return -1;
        }
    }
    if (fprintf(out, " %s\n", text) < 0) {
        return -1;
    }
    return 0;
}

int x86_disasm_buffer(FILE *out, const uint8_t *code, size_t len,
                      uint64_t vaddr, enum x86_mode mode)
{
    ZydisFormatter fmt;
    ZydisDecodedInstruction in;
    ZydisDecodedOperand zo[ZYDIS_MAX_OPERAND_COUNT];
    const ZydisDecoder *dec;
    uint64_t mask;
    size_t off = 0;
    char text[256];

    if (out == NULL || (code == NULL && len != 0) ||
        (unsigned)mode >= X86_MODE__COUNT) {
        return -1;
    }
    dec = x86_decoder_for(mode);
    if (!ZYAN_SUCCESS(ZydisFormatterInit(&fmt,
                                         ZYDIS_FORMATTER_STYLE_INTEL)) ||
        !ZYAN_SUCCESS(ZydisFormatterSetProperty(&fmt,
                          ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE)) ||
        !ZYAN_SUCCESS(ZydisFormatterSetProperty(&fmt,
                          ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
                          ZYDIS_PADDING_DISABLED))) {
        return -1;
    }
    mask = mode == X86_MODE_64 ? UINT64_MAX :
           mode == X86_MODE_32 ? 0xffffffffu : 0xffffu;
    while (off < len) {
        uint64_t addr = (vaddr + off) & mask;
        size_t n = 1;
        int rc;

        if (ZYAN_SUCCESS(ZydisDecoderDecodeFull(dec, code + off, len - off,
                                                &in, zo)) &&
            ZYAN_SUCCESS(ZydisFormatterFormatInstruction(&fmt, &in, zo,
                             in.operand_count_visible, text, sizeof(text),
                             addr, NULL))) {
            n = in.length;
            rc = x86_disasm_line(out, addr, mode, code + off, n, text);
        } else {
            rc = x86_disasm_line(out, addr, mode, code + off, 1, "(bad)");
        }
        if (rc != 0) {
            return -1;
        }
        off += n;
    }
    return ferror(out) ? -1 : 0;
}
