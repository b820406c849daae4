/*
 * ia64_disasm.c - IA-64 disassembly in GNU objdump's syntax.
 *
 * Reproduces what `ia64-linux-gnu-objdump -d --no-show-raw-insn` (GNU
 * binutils 2.40) prints after the address of each slot line, for every
 * instruction in ia64_ops.def:
 *
 *     [MII]       alloc r34=ar.pfs,5,5,0
 *                 add r1=r2,r3
 *           (p06) br.cond.dptk.few 100;;
 *
 * i.e. a 6-column template field ("[MII] " on slot 0, blanks after), a
 * 6-column predicate field ("(p06) " or blanks; never for qp = 0 or for
 * instructions that cannot be predicated), the mnemonic with completers,
 * a blank and the operands, and ";;" on the slot a stop follows (the
 * template's mid-bundle stop or the bundle-end stop on the last line).
 * The spellings are those binutils' tables produce (ia64.h lists the
 * sources): canonical compare relations, "mov"/"shr"/"shl"/"br" pseudo
 * ops where binutils prefers them (documented in ia64_ops.def),
 * register names of ia64_ar_name()/ia64_cr_name().
 *
 * Differences from objdump, by design: branch targets are bare hex
 * without the " <symbol+off>" suffix, and slots outside the subset print
 * as "data8 0x..." (objdump's spelling for undecodable slots, including
 * its "%#011llx" format) even where objdump knows the instruction.
 * Slots of reserved templates print as data8 without stops, as objdump
 * does.
 *
 * Nothing here is on a hot path; formatting never reads outside the
 * decoded bundle and always NUL-terminates.
 */
#include "ia64.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Bounded string builder with snprintf semantics                      */
/* ------------------------------------------------------------------ */

struct sb {
    char  *buf;
    size_t cap;     /* bytes available in buf, including the NUL */
    size_t n;       /* length of the full (untruncated) output */
};

static void sb_puts(struct sb *o, const char *s)
{
    size_t l = strlen(s);

    if (o->n + 1 < o->cap) {
        size_t room = o->cap - 1 - o->n;

        memcpy(o->buf + o->n, s, l < room ? l : room);
    }
    o->n += l;
    if (o->cap > 0) {
        o->buf[o->n < o->cap ? o->n : o->cap - 1] = '\0';
    }
}

static void sb_printf(struct sb *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *o, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (r > 0) {
        /* Every caller formats one number or short name (< 64 chars). */
        sb_puts(o, tmp);
    }
}

/* ------------------------------------------------------------------ */
/* Completer and operand spelling                                      */
/* ------------------------------------------------------------------ */

static const char *const crel_name[] = {
    [IA64_CREL_NONE] = "", [IA64_CREL_EQ] = ".eq", [IA64_CREL_NE] = ".ne",
    [IA64_CREL_LT] = ".lt", [IA64_CREL_LE] = ".le", [IA64_CREL_GT] = ".gt",
    [IA64_CREL_GE] = ".ge", [IA64_CREL_LTU] = ".ltu",
    [IA64_CREL_Z] = ".z", [IA64_CREL_NZ] = ".nz",
};

static const char *const ctype_name[] = {
    [IA64_CTYPE_NONE] = "", [IA64_CTYPE_UNC] = ".unc",
    [IA64_CTYPE_AND] = ".and", [IA64_CTYPE_OR] = ".or",
    [IA64_CTYPE_OR_ANDCM] = ".or.andcm",
};

static const char *const bwh_name[] = {
    [IA64_BWH_NONE] = "", [IA64_BWH_SPTK] = ".sptk",
    [IA64_BWH_SPNT] = ".spnt", [IA64_BWH_DPTK] = ".dptk",
    [IA64_BWH_DPNT] = ".dpnt",
};

/* Load/store hints as binutils 2.40 spells them.  Vol. 3 defines none,
 * nt1 and nta for loads and none and nta for stores in bits 29:28;
 * binutils names the other values .d1-.d7, with a third hint bit (M1
 * bit 19, M4 bit 12). */
static const char *const ld_hint_name[8] = {
    "", ".nt1", ".d2", ".nta", ".d4", ".d5", ".d6", ".d7"
};
static const char *const st_hint_name[8] = {
    "", ".d1", ".d2", ".nta", ".d4", ".d5", ".d6", ".d7"
};

static const char *table_str(const char *const *t, size_t n, unsigned i)
{
    return i < n && t[i] != NULL ? t[i] : "";
}

#define TSTR(t, i) table_str((t), sizeof(t) / sizeof((t)[0]), (i))

/* Render the operand syntax `opnd` (ia64_ops.def column 7). */
static void put_operands(struct sb *o, const char *opnd,
                         const struct ia64_insn *in, uint64_t addr)
{
    char name[16];
    const char *p = opnd;

    while (*p != '\0') {
        const char *q;
        size_t k;

        if (*p != '%') {
            q = strchr(p, '%');
            k = q != NULL ? (size_t)(q - p) : strlen(p);
            if (k >= sizeof(name)) {
                k = sizeof(name) - 1;
            }
            memcpy(name, p, k);
            name[k] = '\0';
            sb_puts(o, name);
            p += k;
            continue;
        }
        p++;
        if (strncmp(p, "r1", 2) == 0) {
            sb_printf(o, "r%u", (unsigned)in->r1);
        } else if (strncmp(p, "r2", 2) == 0) {
            sb_printf(o, "r%u", (unsigned)in->r2);
        } else if (strncmp(p, "r3", 2) == 0) {
            sb_printf(o, "r%u", (unsigned)in->r3);
        } else if (strncmp(p, "p1", 2) == 0) {
            sb_printf(o, "p%u", (unsigned)in->p1);
        } else if (strncmp(p, "p2", 2) == 0) {
            sb_printf(o, "p%u", (unsigned)in->p2);
        } else if (strncmp(p, "b1", 2) == 0) {
            sb_printf(o, "b%u", (unsigned)in->b1);
        } else if (strncmp(p, "b2", 2) == 0) {
            sb_printf(o, "b%u", (unsigned)in->b2);
        } else if (strncmp(p, "ar", 2) == 0) {
            sb_puts(o, ia64_ar_name(in->areg, name));
        } else if (strncmp(p, "cr", 2) == 0) {
            sb_puts(o, ia64_cr_name(in->areg, name));
        } else if (strncmp(p, "imm", 3) == 0) {
            sb_printf(o, "%" PRId64, in->imm);
            p++;
        } else if (strncmp(p, "hex", 3) == 0) {
            sb_printf(o, "0x%" PRIx64, (uint64_t)in->imm);
            p++;
        } else if (strncmp(p, "tgt", 3) == 0) {
            sb_printf(o, "%" PRIx64, ia64_branch_target(in, addr));
            p++;
        } else if (strncmp(p, "pos", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->pos);
            p++;
        } else if (strncmp(p, "len", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->len);
            p++;
        } else if (strncmp(p, "cnt", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->count);
            p++;
        } else if (strncmp(p, "sof", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->sof);
            p++;
        } else if (strncmp(p, "sol", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->sol);
            p++;
        } else if (strncmp(p, "sor", 3) == 0) {
            sb_printf(o, "%u", (unsigned)in->sor);
            p++;
        } else {
            /* Unknown token: a table bug, caught by test_ia64_decode. */
            sb_puts(o, "?");
            continue;
        }
        p += 2;
    }
}

/* Mnemonic, completers and operands of a decoded (known) instruction. */
static void put_insn(struct sb *o, const struct ia64_insn *in, uint64_t addr)
{
    const struct ia64_op_info *oi = &ia64_op_info[in->op];
    const char *mn = oi->mnem;
    const char *opnd = oi->opnd;
    int branch_pseudo = 0;

    /* objdump's pseudo-op spellings (binutils ia64-opc-a.c/-i.c PSEUDO
     * rows it prefers when disassembling). */
    switch ((enum ia64_op)in->op) {
    case IA64_OP_ADDS:
        if (in->imm == 0) {
            mn = "mov";
            opnd = "%r1=%r3";
        }
        break;
    case IA64_OP_ADDL:
        if (in->r3 == 0) {
            mn = "mov";
            opnd = "%r1=%imm";
        }
        break;
    case IA64_OP_EXTR:
    case IA64_OP_EXTR_U:
        if (in->pos + in->len == 64) {
            mn = in->op == IA64_OP_EXTR ? "shr" : "shr.u";
            opnd = "%r1=%r3,%pos";
        }
        break;
    case IA64_OP_DEP_Z:
        if (in->len + in->pos == 64) {
            mn = "shl";
            opnd = "%r1=%r2,%pos";
        }
        break;
    case IA64_OP_BR_COND:
    case IA64_OP_BR_COND_IND:
    case IA64_OP_BRL_COND:
        /* Unpredicated static-taken conditional branch: "br"/"brl". */
        if (in->qp == 0 && in->bwh == IA64_BWH_SPTK) {
            mn = in->op == IA64_OP_BRL_COND ? "brl" : "br";
            branch_pseudo = 1;
        }
        break;
    default:
        break;
    }
    sb_puts(o, mn);

    switch ((enum ia64_fmt)in->fmt) {
    case IA64_FMT_A6:
    case IA64_FMT_A7:
    case IA64_FMT_A8:
    case IA64_FMT_I16:
        sb_puts(o, TSTR(crel_name, in->crel));
        sb_puts(o, TSTR(ctype_name, in->ctype));
        break;
    case IA64_FMT_M1:
    case IA64_FMT_M2:
    case IA64_FMT_M3:
        sb_puts(o, TSTR(ld_hint_name, in->mhint));
        break;
    case IA64_FMT_M4:
    case IA64_FMT_M5:
        sb_puts(o, TSTR(st_hint_name, in->mhint));
        break;
    case IA64_FMT_B1:
    case IA64_FMT_B3:
    case IA64_FMT_B4:
    case IA64_FMT_B5:
    case IA64_FMT_X3:
    case IA64_FMT_X4:
        if (!branch_pseudo) {
            sb_puts(o, TSTR(bwh_name, in->bwh));
        }
        sb_puts(o, (in->cflags & IA64_C_MANY) ? ".many" : ".few");
        if (in->cflags & IA64_C_CLR) {
            sb_puts(o, ".clr");
        }
        break;
    case IA64_FMT_I21:
        /* Without .ret, .imp and whether hint binutils prints the "mov
         * b1=r2" pseudo op and drops the tag, whatever its value (the
         * pseudo row's tag constraint falls on bit 33, which x3 = 7
         * already sets); otherwise every completer and the tag. */
        if (in->cflags & IA64_C_RET) {
            sb_puts(o, ".ret");
        }
        sb_puts(o, TSTR(bwh_name, in->bwh));
        if (in->cflags & IA64_C_IMP) {
            sb_puts(o, ".imp");
        }
        if ((in->cflags & (IA64_C_RET | IA64_C_IMP)) != 0 ||
            in->bwh != IA64_BWH_NONE) {
            opnd = "%b1=%r2,%tgt";
        }
        break;
    default:
        break;
    }
    if (opnd[0] != '\0') {
        sb_puts(o, " ");
        put_operands(o, opnd, in, addr);
    }
}

/* ------------------------------------------------------------------ */
/* Public entry points                                                 */
/* ------------------------------------------------------------------ */

int ia64_disasm_slot(const struct ia64_bundle *b, unsigned s,
                     uint64_t bundle_addr, char *out, size_t len)
{
    struct sb o = { out, len, 0 };
    const struct ia64_insn *in;
    unsigned phys;

    if (out != NULL && len > 0) {
        out[0] = '\0';
    } else {
        o.cap = 0;
    }
    if (b == NULL || s >= b->nslots || s > 2) {
        return -1;
    }
    in = &b->slot[s];
    if (s == 0) {
        sb_puts(&o, "[");
        sb_puts(&o, ia64_templates[b->tmpl & 0x1f].name);
        sb_puts(&o, "] ");
    } else {
        sb_puts(&o, "      ");
    }
    if (in->op <= IA64_OP_ILLEGAL || in->op >= IA64_OP__COUNT) {
        /* In MLX the L+X line shows the X slot, as objdump does. */
        sb_printf(&o, "      data8 %#011" PRIx64, in->raw);
        return (int)o.n;
    }
    if ((ia64_op_info[in->op].flags & IA64_F_NOPRED) || in->qp == 0) {
        sb_puts(&o, "      ");
    } else {
        sb_printf(&o, "(p%02u) ", (unsigned)in->qp);
    }
    put_insn(&o, in, bundle_addr & ~UINT64_C(0xf));
    /* The L+X instruction is objdump's slot 2 for stop purposes. */
    phys = (b->nslots == 2 && s == 1) ? 2 : s;
    if (b->stops & (1u << phys)) {
        sb_puts(&o, ";;");
    }
    return (int)o.n;
}

int ia64_disasm_bundle(const uint8_t b[IA64_BUNDLE_BYTES], uint64_t addr,
                       char *out, size_t len)
{
    static const unsigned slot_off[3] = { 0, 6, 12 };
    struct ia64_bundle bun;
    struct sb o = { out, len, 0 };
    char line[160];
    unsigned s;

    if (out != NULL && len > 0) {
        out[0] = '\0';
    } else {
        o.cap = 0;
    }
    if (b == NULL) {
        return -1;
    }
    addr &= ~UINT64_C(0xf);
    ia64_decode_bundle(b, &bun);
    for (s = 0; s < bun.nslots; s++) {
        ia64_disasm_slot(&bun, s, addr, line, sizeof(line));
        sb_printf(&o, "%" PRIx64 ":\t", addr + slot_off[s]);
        sb_puts(&o, line);
        sb_puts(&o, "\n");
    }
    return (int)o.n;
}
