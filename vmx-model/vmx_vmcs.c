/*
 * vmx_vmcs.c - the VMCS field table, encoding lookup, VMREAD/VMWRITE
 * semantics and the VMCS memory image.
 *
 * Follows hw-virt-facts A1 (field encoding, HIGH access, errors 12/13,
 * VMCS region header) [BX-vmxh, KUT-vmx, LX-vmx] and SDM Vol. 3C
 * "VMREAD, VMWRITE, and Encodings of VMCS Fields", App. B.
 *
 * Approximations: the model is an Intel 64 processor, so natural-width
 * fields hold 64 bits; VMWRITE stores every bit of the (truncated) value,
 * including bits a real processor may not implement (e.g. reserved
 * access-rights bits): the entry checks see them.
 */
#include "vmx.h"

#include <string.h>

#include "sim/sim_err.h"

#define W16  VMX_W16
#define W32  VMX_W32
#define W64  VMX_W64
#define WNAT VMX_WNAT
#define CTL   VMX_TYPE_CTL
#define RO    VMX_TYPE_RO
#define GUEST VMX_TYPE_GUEST
#define HOST  VMX_TYPE_HOST

const struct vmx_field_info vmx_field_info[VMX_FIELD__COUNT] = {
#define VMX_FIELD(name, enc, w, t, cap, bit)                               \
    [VMX_FIELD_##name] = { (enc), (w), (t), VMX_CTLSET_##cap,              \
                           VMX_CTL_##cap##_##bit, #name },
#include "vmx_fields.def"
#undef VMX_FIELD
};

const uint64_t vmx_width_mask[4] = {
    [VMX_W16] = 0xFFFFull,
    [VMX_W64] = ~0ull,
    [VMX_W32] = 0xFFFFFFFFull,
    [VMX_WNAT] = ~0ull,     /* natural width is 64 bits on Intel 64 */
};

/*
 * Direct-mapped index: the 13 meaningful bits of a full encoding (width
 * 14:13, type 11:10, index 9:1) select a slot holding row + 1 (0 = no
 * field).  Built by the compiler from the table; a duplicate encoding in
 * vmx_fields.def is an initializer override (-Woverride-init, -Wextra).
 */
#define VMX_ENC_KEY(enc)                                                   \
    ((((enc) >> 1) & 0x1FFu) | ((((enc) >> 10) & 0x3u) << 9) |            \
     ((((enc) >> 13) & 0x3u) << 11))
#define VMX_ENC_KEYS 8192u

static const uint16_t vmx_field_slot[VMX_ENC_KEYS] = {
#define VMX_FIELD(name, enc, w, t, cap, bit)                               \
    [VMX_ENC_KEY(enc)] = VMX_FIELD_##name + 1,
#include "vmx_fields.def"
#undef VMX_FIELD
};

_Static_assert(VMX_FIELD__COUNT < 0xFFFF, "slot table holds row + 1");
_Static_assert(VMX_VMCS_IMAGE_SIZE <= 4096, "image fits a 4-KiB region");

/* Encoding bits that must be 0: 12 and 31:15 (A1), and 63:32 of a 64-bit
 * register operand (VMfailValid(12) as in [BX-vmxh]). */
#define VMX_ENC_RESERVED (~0x6FFFull)

bool vmx_enc_decode(uint64_t encoding, struct vmx_enc *out)
{
    out->high = (encoding & 1u) != 0;
    out->index = (uint16_t)((encoding >> 1) & 0x1FFu);
    out->type = (uint8_t)((encoding >> 10) & 0x3u);
    out->width = (uint8_t)((encoding >> 13) & 0x3u);
    return (encoding & VMX_ENC_RESERVED) == 0;
}

bool vmx_field_lookup(uint64_t encoding, enum vmx_field *field, bool *high)
{
    bool is_high = (encoding & 1u) != 0;
    unsigned slot;
    unsigned row;

    if ((encoding & VMX_ENC_RESERVED) != 0) {
        return false;
    }
    slot = vmx_field_slot[VMX_ENC_KEY(encoding)];
    if (slot == 0) {
        return false;
    }
    row = slot - 1;
    /* HIGH access exists only for 64-bit fields (A1 bit 0). */
    if (is_high && vmx_field_info[row].width != VMX_W64) {
        return false;
    }
    *field = (enum vmx_field)row;
    if (high != NULL) {
        *high = is_high;
    }
    return true;
}

const char *vmx_field_name(enum vmx_field field)
{
    if ((unsigned)field >= VMX_FIELD__COUNT) {
        return "?";
    }
    return vmx_field_info[field].name;
}

void vmx_vmcs_init(struct vmx_vmcs *v, uint32_t revision_id)
{
    memset(v, 0, sizeof(*v));
    v->revision_id = revision_id;
    v->launch = VMX_LAUNCH_CLEAR;
}

/*
 * A field exists when the model allows the 1-setting of the control that
 * introduced it (SDM App. B notes).  Fields introduced by either of two
 * controls are tied to one; the second one is accepted here as well.
 */
bool vmx_field_supported(const struct vmx_cpu_model *m, enum vmx_field f)
{
    const struct vmx_field_info *fi;

    if ((unsigned)f >= VMX_FIELD__COUNT) {
        return false;
    }
    fi = &vmx_field_info[f];
    if (m == NULL || fi->cap_set == VMX_CTLSET_ALWAYS) {
        return true;
    }
    if (vmx_model_allows(m, (enum vmx_ctlset)fi->cap_set, fi->cap_bit)) {
        return true;
    }
    switch (f) {
    case VMX_FIELD_GUEST_PAT:           /* also "save PAT" on exit */
        return vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SAVE_PAT);
    case VMX_FIELD_GUEST_EFER:          /* also "save EFER" on exit */
        return vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SAVE_EFER);
    case VMX_FIELD_GUEST_PERF_GLOBAL_CTRL:
        return vmx_model_allows(m, VMX_CTLSET_EXIT,
                                VMX_CTL_EXIT_SAVE_PERF_GLOBAL);
    case VMX_FIELD_GUEST_BNDCFGS:       /* also "clear BNDCFGS" on exit */
        return vmx_model_allows(m, VMX_CTLSET_EXIT,
                                VMX_CTL_EXIT_CLEAR_BNDCFGS);
    case VMX_FIELD_GUEST_RTIT_CTL:
        return vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_CLEAR_RTIT);
    case VMX_FIELD_GUEST_LBR_CTL:
        return vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_CLEAR_LBR);
    case VMX_FIELD_GUEST_UINV:
        return vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_CLEAR_UINV);
    default:
        return false;
    }
}

int vmx_vmcs_read(const struct vmx_vmcs *v, const struct vmx_cpu_model *m,
                  uint64_t encoding, uint64_t *val)
{
    enum vmx_field f;
    bool high;

    if (!vmx_field_lookup(encoding, &f, &high) ||
        !vmx_field_supported(m, f)) {
        return VMX_ERR_UNSUPPORTED_FIELD;
    }
    /* Values are stored truncated, so a full read is zero-extended. */
    *val = high ? v->val[f] >> 32 : v->val[f];
    return 0;
}

int vmx_vmcs_write(struct vmx_vmcs *v, const struct vmx_cpu_model *m,
                   uint64_t encoding, uint64_t val)
{
    enum vmx_field f;
    bool high;

    if (!vmx_field_lookup(encoding, &f, &high) ||
        !vmx_field_supported(m, f)) {
        return VMX_ERR_UNSUPPORTED_FIELD;
    }
    /* A1: VMWRITE to a read-only (type 1) field fails with error 13
     * unless IA32_VMX_MISC[29]. */
    if (vmx_field_info[f].type == VMX_TYPE_RO &&
        (m == NULL || !m->vmwrite_any)) {
        return VMX_ERR_VMWRITE_READ_ONLY;
    }
    if (high) {
        v->val[f] = (v->val[f] & 0xFFFFFFFFull) | (val << 32);
    } else {
        vmx_vmcs_set(v, f, val);
    }
    return 0;
}

/* ---- memory image ---- */

static void put32(uint8_t *p, uint32_t x)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        p[i] = (uint8_t)(x >> (8 * i));
    }
}

static void put64(uint8_t *p, uint64_t x)
{
    unsigned i;

    for (i = 0; i < 8; i++) {
        p[i] = (uint8_t)(x >> (8 * i));
    }
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t x = 0;
    unsigned i;

    for (i = 0; i < 4; i++) {
        x |= (uint32_t)p[i] << (8 * i);
    }
    return x;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t x = 0;
    unsigned i;

    for (i = 0; i < 8; i++) {
        x |= (uint64_t)p[i] << (8 * i);
    }
    return x;
}

int vmx_vmcs_to_image(const struct vmx_vmcs *v, void *buf, size_t len)
{
    uint8_t *p = buf;
    unsigned i;

    if (len < VMX_VMCS_IMAGE_SIZE) {
        return -SIM_EINVAL;
    }
    put32(p + VMX_VMCS_OFF_REVISION, v->revision_id);
    put32(p + VMX_VMCS_OFF_ABORT, v->abort);
    put32(p + VMX_VMCS_OFF_LAUNCH, v->launch & 1u);
    put32(p + VMX_VMCS_OFF_MAGIC,
          VMX_VMCS_IMAGE_MAGIC | ((uint32_t)VMX_FIELD__COUNT << 16));
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        put64(p + VMX_VMCS_OFF_FIELDS + 8u * i, v->val[i]);
    }
    return 0;
}

int vmx_vmcs_from_image(struct vmx_vmcs *v, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    unsigned i;

    if (len < VMX_VMCS_IMAGE_SIZE) {
        return -SIM_EINVAL;
    }
    v->revision_id = get32(p + VMX_VMCS_OFF_REVISION);
    v->abort = get32(p + VMX_VMCS_OFF_ABORT);
    v->launch = (uint8_t)(get32(p + VMX_VMCS_OFF_LAUNCH) & 1u);
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        /* Guest memory may hold anything: keep the width invariant. */
        vmx_vmcs_set(v, (enum vmx_field)i,
                     get64(p + VMX_VMCS_OFF_FIELDS + 8u * i));
    }
    return 0;
}
