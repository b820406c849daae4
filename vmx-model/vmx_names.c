/*
 * vmx_names.c - names of exit reasons, VM-instruction errors and control
 * bits, for traces and the results database's dimension tables.
 *
 * Numbers come only from vmx_exits.def (hw-virt-facts A2), vmx_errors.def
 * (A3) and vmx_ctls.def (A4); the arrays below are indexed by them.
 */
#include "vmx.h"

#include "sim/sim_types.h"

enum vmx_exit_kind { VMX_KIND_FAULT, VMX_KIND_TRAP };

struct vmx_name_row {
    const char *name;
    const char *desc;
    uint8_t kind;
};

/* Sized by the largest number in the table; reserved numbers stay NULL. */
static const struct vmx_name_row vmx_exit_rows[] = {
#define VMX_EXIT(name, num, kind, desc) \
    [num] = { #name, desc, VMX_KIND_##kind },
#include "vmx_exits.def"
#undef VMX_EXIT
};

static const struct vmx_name_row vmx_err_rows[] = {
#define VMX_ERR(name, num, desc) [num] = { #name, desc, 0 },
#include "vmx_errors.def"
#undef VMX_ERR
};

static const struct vmx_name_row *exit_row(uint32_t reason)
{
    uint32_t basic = reason & VMX_EXIT_REASON_BASIC_MASK;

    if (basic >= SIM_ARRAY_SIZE(vmx_exit_rows) ||
        vmx_exit_rows[basic].name == NULL) {
        return NULL;
    }
    return &vmx_exit_rows[basic];
}

const char *vmx_exit_name(uint32_t reason)
{
    const struct vmx_name_row *r = exit_row(reason);

    return r != NULL ? r->name : NULL;
}

const char *vmx_exit_desc(uint32_t reason)
{
    const struct vmx_name_row *r = exit_row(reason);

    return r != NULL ? r->desc : NULL;
}

bool vmx_exit_is_trap(uint32_t reason)
{
    const struct vmx_name_row *r = exit_row(reason);

    return r != NULL && r->kind == VMX_KIND_TRAP;
}

unsigned vmx_exit_max(void)
{
    return (unsigned)SIM_ARRAY_SIZE(vmx_exit_rows) - 1;
}

const char *vmx_err_name(uint32_t err)
{
    if (err >= SIM_ARRAY_SIZE(vmx_err_rows)) {
        return NULL;
    }
    return vmx_err_rows[err].name;
}

const char *vmx_err_desc(uint32_t err)
{
    if (err >= SIM_ARRAY_SIZE(vmx_err_rows)) {
        return NULL;
    }
    return vmx_err_rows[err].desc;
}

unsigned vmx_err_max(void)
{
    return (unsigned)SIM_ARRAY_SIZE(vmx_err_rows) - 1;
}

const char *vmx_ctl_name(enum vmx_ctlset set, unsigned bit)
{
#define VMX_CTL(s, name, b, desc)                                          \
    if (set == VMX_CTLSET_##s && bit == (b)) {                             \
        return #name;                                                      \
    }
#include "vmx_ctls.def"
#undef VMX_CTL
    return NULL;
}
