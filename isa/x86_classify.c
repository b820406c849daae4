/*
 * x86_classify.c - the Popek-Goldberg table for `vtsim classify --isa x86`.
 *
 * G. J. Popek and R. P. Goldberg, "Formal Requirements for Virtualizable
 * Third Generation Architectures", CACM 17(7), 1974, Theorem 1: a VMM can be
 * built by trap-and-emulate if the sensitive instructions are a subset of
 * the privileged ones.  Every row of x86_ops.def is printed with its
 * privilege and sensitivity; then the rows that are sensitive but do not
 * trap when the guest kernel runs deprivileged (CPL > 0, IOPL = 0,
 * CR4.TSD = 1, CR4.PCE = 0), each with the reason it breaks
 * trap-and-emulate.  Robin & Irvine (USENIX Security 2000) listed these for
 * the Pentium; rows they did not name are marked as vtsim's additions.
 *
 * The reasons are keyed by op; which ops need one is decided by the flags
 * in x86_ops.def alone (tests check that both agree).
 */
#include "x86.h"

static const char *const x86_reason[X86_OP__COUNT] = {
    [X86_OP_MOV_TO_SREG] =
        "selector and DPL checks use the real CPL, so a guest kernel at "
        "CPL > 0 gets other results than at CPL 0, and success does not trap",
    [X86_OP_MOV_FROM_SREG] =
        "reading CS or SS returns a selector whose RPL is the real CPL: the "
        "guest kernel sees it is not at ring 0",
    [X86_OP_PUSH_SREG] =
        "PUSH CS/SS stores a selector whose RPL is the real CPL, without a "
        "trap",
    [X86_OP_POP_SREG] =
        "segment load checked against the real CPL; succeeds or fails "
        "differently from ring 0 and never traps on success",
    [X86_OP_PUSHF] =
        "stores the real IF and IOPL, not the guest's virtual interrupt "
        "flag",
    [X86_OP_PUSHFD] =
        "stores the real IF and IOPL, not the guest's virtual interrupt "
        "flag",
    [X86_OP_PUSHFQ] =
        "stores the real IF and IOPL, not the guest's virtual interrupt "
        "flag",
    [X86_OP_POPF] =
        "at CPL > 0 an IOPL change, and at CPL > IOPL an IF change, is "
        "dropped silently instead of trapping",
    [X86_OP_POPFD] =
        "at CPL > 0 an IOPL change, and at CPL > IOPL an IF change, is "
        "dropped silently instead of trapping",
    [X86_OP_POPFQ] =
        "at CPL > 0 an IOPL change, and at CPL > IOPL an IF change, is "
        "dropped silently instead of trapping",
    [X86_OP_JMP_FAR] =
        "target checks compare DPL/RPL with the real CPL; gates and task "
        "switches change system state without a trap",
    [X86_OP_CALL_FAR] =
        "call-gate and DPL checks use the real CPL, and a gate changes "
        "privilege and stack without a trap",
    [X86_OP_RET_FAR] =
        "compares the popped CS.RPL with the real CPL; a return to the "
        "guest's own ring looks like a return to an outer ring",
    [X86_OP_SGDT] =
        "stores the real GDTR (the VMM's table) at any CPL; only CR4.UMIP "
        "(2017+) makes it fault",
    [X86_OP_SIDT] =
        "stores the real IDTR (the VMM's table) at any CPL; only CR4.UMIP "
        "(2017+) makes it fault",
    [X86_OP_SLDT] =
        "stores the real LDTR selector at any CPL; only CR4.UMIP makes it "
        "fault",
    [X86_OP_STR] =
        "stores the real TR selector at any CPL; only CR4.UMIP makes it "
        "fault",
    [X86_OP_SMSW] =
        "stores the real CR0[15:0] (PE, MP, EM, TS) at any CPL; only "
        "CR4.UMIP makes it fault",
    [X86_OP_LAR] =
        "access rights are reported only if DPL >= real CPL: a deprivileged "
        "guest kernel is told its own segments are inaccessible",
    [X86_OP_LSL] =
        "the limit is reported only if DPL >= real CPL: a deprivileged "
        "guest kernel gets ZF = 0 for its own segments",
    [X86_OP_VERR] =
        "readability is judged against the real CPL, not the guest's",
    [X86_OP_VERW] =
        "writability is judged against the real CPL, not the guest's",
    [X86_OP_INT] =
        "gate DPL is checked against the real CPL and the pushed CS "
        "carries it; delivery goes through the real IDT",
    [X86_OP_INT3] =
        "as INT n (same SDM page): gate DPL checked against the real CPL, "
        "the frame carries it",
    [X86_OP_INTO] =
        "as INT n (same SDM page): gate DPL checked against the real CPL, "
        "the frame carries it",
    [X86_OP_IRET] =
        "like POPF, IF/IOPL changes are dropped silently at CPL > 0, and "
        "the frame is checked against the real CPL",
    [X86_OP_IRETD] =
        "like POPF, IF/IOPL changes are dropped silently at CPL > 0, and "
        "the frame is checked against the real CPL",
    [X86_OP_IRETQ] =
        "like POPF, IF/IOPL changes are dropped silently at CPL > 0, and "
        "the frame is checked against the real CPL",
    [X86_OP_CPUID] =
        "returns the host's identity and bits mirroring control state "
        "(OSXSAVE = CR4.OSXSAVE) at any CPL; VT-x makes it exit always",
};

const char *x86_classify_reason(enum x86_op op)
{
    if ((unsigned)op >= X86_OP__COUNT) {
        return NULL;
    }
    return x86_reason[op];
}

static const char *x86_priv_text(uint32_t f)
{
    if (f & X86_F_PRIV) {
        return "yes";
    }
    if (f & X86_F_IOPL) {
        return "IOPL";
    }
    if (f & X86_F_PRIV_COND) {
        return "CR4";
    }
    if (f & X86_F_UMIP) {
        return "no(UMIP)";
    }
    return "no";
}

static const char *x86_sens_text(uint32_t f)
{
    switch (f & X86_F_SENSITIVE) {
    case X86_F_SENS_CTRL | X86_F_SENS_BEHAV:
        return "control+behaviour";
    case X86_F_SENS_CTRL:
        return "control";
    case X86_F_SENS_BEHAV:
        return "behaviour";
    default:
        return "-";
    }
}

int x86_classify_print(FILE *out)
{
    unsigned op;
    unsigned nsens = 0;
    unsigned npriv = 0;
    unsigned nbad = 0;
    unsigned nri = 0;

    if (out == NULL) {
        return -1;
    }
    fprintf(out,
            "Popek-Goldberg classification, x86 (isa/x86_ops.def)\n"
            "privileged: yes = #GP/#UD at CPL > 0; IOPL = faults when "
            "CPL > IOPL;\n"
            "            CR4 = faults at CPL > 0 under CR4.TSD=1 / "
            "CR4.PCE=0; no(UMIP) = faults only with CR4.UMIP=1\n"
            "sensitive:  control = changes mode or system state; "
            "behaviour = result depends on CPL/mode/state\n"
            "vmx:        exit = VM exit unconditionally in VMX non-root "
            "operation\n\n");
    fprintf(out, "%-14s %-10s %-9s %-8s %-9s %-17s %s\n", "OP", "MNEMONIC",
            "FORM", "CLASS", "PRIV", "SENSITIVE", "VMX");
    for (op = X86_OP_UNKNOWN + 1; op < X86_OP__COUNT; op++) {
        uint32_t f = x86_op_info[op].flags;

        /* No padding after the last non-empty column. */
        fprintf(out, "%-14s %-10s %-9s %-8s %-9s %-*s%s\n", x86_op_name[op],
                x86_zydis_mnemonic_name(x86_op_info[op].zmnemonic),
                x86_form_name[x86_flags_form(f)],
                x86_class_name[x86_op_info[op].cls], x86_priv_text(f),
                (f & X86_F_VMEXIT) ? 18 : 0, x86_sens_text(f),
                (f & X86_F_VMEXIT) ? "exit" : "");
        nsens += (f & X86_F_SENSITIVE) != 0;
        npriv += (f & X86_F_PRIV) != 0;
    }

    fprintf(out,
            "\nSensitive but not privileged: no trap when the guest kernel "
            "runs at CPL > 0,\nso classic trap-and-emulate cannot "
            "virtualize them (Popek & Goldberg 1974, Theorem 1).\n"
            "[RI] = listed by Robin & Irvine, USENIX Security 2000; "
            "[+] = added by vtsim.\n\n");
    for (op = X86_OP_UNKNOWN + 1; op < X86_OP__COUNT; op++) {
        uint32_t f = x86_op_info[op].flags;
        const char *why = x86_reason[op];

        if (!x86_flags_sens_unpriv(f)) {
            continue;
        }
        nbad++;
        nri += (f & X86_F_RI2000) != 0;
        fprintf(out, "%-14s %-4s %s\n", x86_op_name[op],
                (f & X86_F_RI2000) ? "[RI]" : "[+]",
                why != NULL ? why : "(no reason recorded)");
    }
    fprintf(out,
            "\n%u rows: %u sensitive, %u privileged, %u sensitive but "
            "unprivileged (%u from Robin & Irvine)\n",
            (unsigned)X86_OP__COUNT - 1, nsens, npriv, nbad, nri);
    return ferror(out) ? -1 : 0;
}
