/*
 * test_vmx_tables.c - suite "vmx_tables": properties of every row of the
 * vmx-model tables (VMCS fields, exit reasons, VM-instruction errors,
 * control bits, capability config keys), VMREAD/VMWRITE semantics, the
 * VMCS memory image and the capability MSRs of both CPU presets.
 *
 * Expected numbers are those of /work/shared/reference/hw-virt-facts.md
 * (A1-A5, A7), cited per test.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_cfg.h"
#include "sim/sim_err.h"
#include "test_suites.h"
#include "vmx-model/vmx.h"

/* Declared in test_suites.h once the suite is registered there. */
int test_vmx_tables_register(void);

static uint64_t prng_state = 0x9E3779B97F4A7C15ull;

static uint64_t prng(void)
{
    /* xorshift64* */
    prng_state ^= prng_state >> 12;
    prng_state ^= prng_state << 25;
    prng_state ^= prng_state >> 27;
    return prng_state * 0x2545F4914F6CDD1Dull;
}

static void build(enum vmx_preset p, struct vmx_cpu_model *m)
{
    struct vmx_caps_cfg c;

    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(p, &c), 0);
    CU_ASSERT_EQUAL_FATAL(vmx_caps_build(&c, m, NULL), 0);
}

/* A1: every row's encoding decodes to its own width and type; the full
 * and HIGH encodings find the row; no two rows share an encoding or a
 * name. */
static void test_vmx_tables_fields(void)
{
    unsigned i;
    unsigned j;

    CU_ASSERT(VMX_FIELD__COUNT > 150);
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        const struct vmx_field_info *fi = &vmx_field_info[i];
        struct vmx_enc e;
        enum vmx_field f;
        bool high = true;

        CU_ASSERT_PTR_NOT_NULL_FATAL(fi->name);
        CU_ASSERT_STRING_EQUAL(vmx_field_name((enum vmx_field)i), fi->name);
        CU_ASSERT_TRUE(vmx_enc_decode(fi->encoding, &e));
        CU_ASSERT_FALSE(e.high);
        CU_ASSERT_EQUAL(e.width, fi->width);
        CU_ASSERT_EQUAL(e.type, fi->type);
        CU_ASSERT_EQUAL(e.index, (fi->encoding >> 1) & 0x1FF);
        CU_ASSERT_EQUAL(fi->encoding & 0x1001u, 0);     /* bit 0, bit 12 */
        CU_ASSERT_TRUE(vmx_field_lookup(fi->encoding, &f, &high));
        CU_ASSERT_EQUAL(f, i);
        CU_ASSERT_FALSE(high);
        if (fi->width == VMX_W64) {
            CU_ASSERT_TRUE(vmx_field_lookup(fi->encoding + 1, &f, &high));
            CU_ASSERT_EQUAL(f, i);
            CU_ASSERT_TRUE(high);
        } else {
            CU_ASSERT_FALSE(vmx_field_lookup(fi->encoding + 1, &f, NULL));
        }
        /* The introducing control is a named control bit. */
        if (fi->cap_set == VMX_CTLSET_ALWAYS) {
            CU_ASSERT_EQUAL(fi->cap_bit, 0);
        } else {
            CU_ASSERT_PTR_NOT_NULL(
                vmx_ctl_name((enum vmx_ctlset)fi->cap_set, fi->cap_bit));
        }
        for (j = 0; j < i; j++) {
            CU_ASSERT_NOT_EQUAL(vmx_field_info[j].encoding, fi->encoding);
            CU_ASSERT(strcmp(vmx_field_info[j].name, fi->name) != 0);
        }
        /* Rows are sorted by type, width, encoding (image layout). */
        if (i > 0) {
            CU_ASSERT(vmx_field_info[i - 1].encoding < fi->encoding);
        }
    }
    /* Spot checks against A1. */
    CU_ASSERT_EQUAL(vmx_field_info[VMX_FIELD_EPT_POINTER].encoding, 0x201A);
    CU_ASSERT_EQUAL(vmx_field_info[VMX_FIELD_GUEST_RIP].encoding, 0x681E);
    CU_ASSERT_EQUAL(vmx_field_info[VMX_FIELD_HOST_TR_SELECTOR].encoding,
                    0x0C0C);
    CU_ASSERT_EQUAL(vmx_field_info[VMX_FIELD_PREEMPTION_TIMER_VALUE].encoding,
                    0x482E);
    CU_ASSERT_EQUAL(vmx_field_info[VMX_FIELD_GUEST_TR_AR].encoding, 0x4822);
    CU_ASSERT_STRING_EQUAL(vmx_field_name((enum vmx_field)-1), "?");
    CU_ASSERT_STRING_EQUAL(vmx_field_name(VMX_FIELD__COUNT), "?");
}

/* A1: exhaustively, an encoding below 2^15 names a field exactly when its
 * full form is a row, bit 12 is clear, and HIGH is used only on 64-bit
 * fields; reserved bits 31:15 and 63:32 are rejected. */
static void test_vmx_tables_lookup_rejects(void)
{
    uint32_t enc;
    unsigned hits = 0;
    unsigned i;

    for (enc = 0; enc < 0x8000; enc++) {
        enum vmx_field f;
        bool expect = false;

        for (i = 0; i < VMX_FIELD__COUNT; i++) {
            if (vmx_field_info[i].encoding == (enc & ~1u) &&
                ((enc & 1u) == 0 || vmx_field_info[i].width == VMX_W64)) {
                expect = true;
            }
        }
        CU_ASSERT_EQUAL(vmx_field_lookup(enc, &f, NULL), expect);
        hits += expect;
    }
    /* Every row once, plus the HIGH encoding of each 64-bit row. */
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        hits -= 1u + (vmx_field_info[i].width == VMX_W64);
    }
    CU_ASSERT_EQUAL(hits, 0);
    {
        enum vmx_field f;
        struct vmx_enc e;

        CU_ASSERT_FALSE(vmx_field_lookup(0x681E | 0x8000, &f, NULL));
        CU_ASSERT_FALSE(vmx_field_lookup(0x681E | 0x80000000u, &f, NULL));
        CU_ASSERT_FALSE(vmx_field_lookup(0x681E | (1ull << 32), &f, NULL));
        CU_ASSERT_FALSE(vmx_field_lookup(0x681E | 0x1000, &f, NULL));
        CU_ASSERT_FALSE(vmx_field_lookup(~0ull, &f, NULL));
        CU_ASSERT_FALSE(vmx_enc_decode(0x681E | (1ull << 40), &e));
        CU_ASSERT_FALSE(vmx_enc_decode(0x1000, &e));
        CU_ASSERT_TRUE(vmx_enc_decode(0x2001, &e));
        CU_ASSERT_TRUE(e.high);
        CU_ASSERT_EQUAL(e.width, VMX_W64);
        CU_ASSERT_EQUAL(e.type, VMX_TYPE_CTL);
        CU_ASSERT_EQUAL(e.index, 0);
    }
}

/* A1 / SDM VMREAD, VMWRITE: values are truncated to the field width and
 * read back zero-extended. */
static void test_vmx_tables_read_write_truncation(void)
{
    struct vmx_vmcs *v = calloc(1, sizeof(*v));
    uint64_t x = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    vmx_vmcs_init(v, 4);
    /* 16-bit guest CS selector */
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x0802, 0x123456789ABCull), 0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x0802, &x), 0);
    CU_ASSERT_EQUAL(x, 0x9ABC);
    /* 32-bit guest CS limit */
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x4802, 0xFFFFFFFF12345678ull),
                    0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x4802, &x), 0);
    CU_ASSERT_EQUAL(x, 0x12345678);
    /* natural-width guest RIP: 64 bits on an Intel 64 model */
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x681E, 0xFFFF800012345678ull),
                    0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x681E, &x), 0);
    CU_ASSERT_EQUAL(x, 0xFFFF800012345678ull);
    /* 64-bit full access */
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x201A, 0x8000000000001E5Eull),
                    0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x201A, &x), 0);
    CU_ASSERT_EQUAL(x, 0x8000000000001E5Eull);
    /* raw setter keeps the same invariant */
    vmx_vmcs_set(v, VMX_FIELD_GUEST_SS_SELECTOR, ~0ull);
    CU_ASSERT_EQUAL(vmx_vmcs_get(v, VMX_FIELD_GUEST_SS_SELECTOR), 0xFFFF);
    vmx_vmcs_set(v, VMX_FIELD_EXIT_REASON, ~0ull);
    CU_ASSERT_EQUAL(vmx_vmcs_get(v, VMX_FIELD_EXIT_REASON), 0xFFFFFFFFull);
    free(v);
}

/* A1 bit 0: HIGH access reads bits 63:32 and writes only them. */
static void test_vmx_tables_high_access(void)
{
    struct vmx_vmcs *v = calloc(1, sizeof(*v));
    uint64_t x = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    vmx_vmcs_init(v, 4);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x2010, 0x1111222233334444ull),
                    0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x2011, &x), 0);
    CU_ASSERT_EQUAL(x, 0x11112222);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x2011, 0xAAAABBBBCCCCDDDDull),
                    0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x2010, &x), 0);
    CU_ASSERT_EQUAL(x, 0xCCCCDDDD33334444ull);
    CU_ASSERT_EQUAL(vmx_vmcs_get(v, VMX_FIELD_TSC_OFFSET),
                    0xCCCCDDDD33334444ull);
    /* HIGH of a natural-width or 32-bit field is an unsupported component */
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, NULL, 0x681F, &x),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x4003, 0),
                    VMX_ERR_UNSUPPORTED_FIELD);
    free(v);
}

/* A1: VMWRITE to a read-only field is VMfailValid(13) unless
 * IA32_VMX_MISC[29]; reads are always allowed. */
static void test_vmx_tables_read_only(void)
{
    struct vmx_vmcs *v = calloc(1, sizeof(*v));
    struct vmx_cpu_model sky;
    struct vmx_cpu_model neh;
    uint64_t x = 1;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    build(VMX_PRESET_SKYLAKE, &sky);
    build(VMX_PRESET_NEHALEM, &neh);
    vmx_vmcs_init(v, 4);
    CU_ASSERT_FALSE(neh.vmwrite_any);
    CU_ASSERT_TRUE(sky.vmwrite_any);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &neh, 0x4402, 12),
                    VMX_ERR_VMWRITE_READ_ONLY);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, NULL, 0x6400, 12),
                    VMX_ERR_VMWRITE_READ_ONLY);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &neh, 0x2401, 12),
                    VMX_ERR_VMWRITE_READ_ONLY);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &neh, 0x4402, &x), 0);
    CU_ASSERT_EQUAL(x, 0);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &sky, 0x4402, 48), 0);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &neh, 0x4402, &x), 0);
    CU_ASSERT_EQUAL(x, 48);
    free(v);
}

/* A1: unknown encodings and fields the model lacks are VMfailValid(12). */
static void test_vmx_tables_unsupported(void)
{
    struct vmx_vmcs *v = calloc(1, sizeof(*v));
    struct vmx_cpu_model sky;
    struct vmx_cpu_model neh;
    uint64_t x = 0;
    unsigned i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    build(VMX_PRESET_SKYLAKE, &sky);
    build(VMX_PRESET_NEHALEM, &neh);
    vmx_vmcs_init(v, 4);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &sky, 0x0010, &x),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &sky, 0x2802 | (1ull << 32), 0),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &sky, 0x6C16 | 0x1000, 0),
                    VMX_ERR_UNSUPPORTED_FIELD);
    /* VM-function controls, PML address: Skylake yes, Nehalem no */
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &sky, 0x2018, 1), 0);
    CU_ASSERT_EQUAL(vmx_vmcs_write(v, &neh, 0x2018, 1),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &neh, 0x200E, &x),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &sky, 0x200E, &x), 0);
    /* tertiary controls and CET state exist on neither preset */
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &sky, 0x2034, &x),
                    VMX_ERR_UNSUPPORTED_FIELD);
    CU_ASSERT_EQUAL(vmx_vmcs_read(v, &sky, 0x6828, &x),
                    VMX_ERR_UNSUPPORTED_FIELD);
    /* fields present on every model are supported on both */
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        if (vmx_field_info[i].cap_set == VMX_CTLSET_ALWAYS) {
            CU_ASSERT_TRUE(vmx_field_supported(&neh, (enum vmx_field)i));
            CU_ASSERT_TRUE(vmx_field_supported(&sky, (enum vmx_field)i));
        }
    }
    CU_ASSERT_FALSE(vmx_field_supported(&sky, VMX_FIELD__COUNT));
    /* A field introduced by two controls exists with either (App. B). */
    sky.entry.allowed1 &= ~(uint32_t)(VMX_BIT(VMX_CTL_ENTRY_LOAD_PAT) |
                                      VMX_BIT(VMX_CTL_ENTRY_LOAD_EFER));
    CU_ASSERT_TRUE(vmx_field_supported(&sky, VMX_FIELD_GUEST_PAT));
    CU_ASSERT_TRUE(vmx_field_supported(&sky, VMX_FIELD_GUEST_EFER));
    sky.exit.allowed1 &= ~(uint32_t)VMX_BIT(VMX_CTL_EXIT_SAVE_PAT);
    CU_ASSERT_FALSE(vmx_field_supported(&sky, VMX_FIELD_GUEST_PAT));
    CU_ASSERT_TRUE(vmx_field_supported(&sky, VMX_FIELD_HOST_PAT));
    free(v);
}

/* A1 "VMCS region": revision id at 0, abort indicator at 4, then vtsim's
 * layout; the image round-trips and hostile images still load. */
static void test_vmx_tables_image_roundtrip(void)
{
    struct vmx_vmcs *a = calloc(1, sizeof(*a));
    struct vmx_vmcs *b = calloc(1, sizeof(*b));
    uint8_t *img = calloc(1, 4096);
    unsigned i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(img);
    CU_ASSERT(VMX_VMCS_IMAGE_SIZE <= 4096);
    vmx_vmcs_init(a, 0x80000004u);      /* shadow-VMCS indicator set */
    a->abort = 3;
    a->launch = VMX_LAUNCH_LAUNCHED;
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        vmx_vmcs_set(a, (enum vmx_field)i, prng());
    }
    CU_ASSERT_EQUAL(vmx_vmcs_to_image(a, img, VMX_VMCS_IMAGE_SIZE - 1),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(vmx_vmcs_to_image(a, img, 4096), 0);
    CU_ASSERT_EQUAL(img[0], 0x04);
    CU_ASSERT_EQUAL(img[3], 0x80);
    CU_ASSERT_EQUAL(img[4], 3);
    CU_ASSERT_EQUAL(img[8], 1);
    CU_ASSERT_EQUAL(img[12] | img[13] << 8, VMX_VMCS_IMAGE_MAGIC);
    CU_ASSERT_EQUAL(img[14] | img[15] << 8, VMX_FIELD__COUNT);
    CU_ASSERT_EQUAL(vmx_vmcs_from_image(b, img, 16), -SIM_EINVAL);
    CU_ASSERT_EQUAL(vmx_vmcs_from_image(b, img, 4096), 0);
    CU_ASSERT_EQUAL(b->revision_id, a->revision_id);
    CU_ASSERT_EQUAL(b->abort, 3);
    CU_ASSERT_EQUAL(b->launch, VMX_LAUNCH_LAUNCHED);
    CU_ASSERT_EQUAL(memcmp(a->val, b->val, sizeof(a->val)), 0);
    /* Guest garbage: every field still within its width. */
    memset(img, 0xFF, 4096);
    CU_ASSERT_EQUAL(vmx_vmcs_from_image(b, img, 4096), 0);
    CU_ASSERT_EQUAL(b->launch, VMX_LAUNCH_LAUNCHED);
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        CU_ASSERT_EQUAL(b->val[i],
                        vmx_width_mask[vmx_field_info[i].width]);
    }
    free(img);
    free(b);
    free(a);
}

/* A2: reason numbers and names; trap-like reasons. */
static void test_vmx_tables_exit_reasons(void)
{
    unsigned i;
    unsigned j;
    unsigned named = 0;

    CU_ASSERT_EQUAL(VMX_EXIT_EXCEPTION_NMI, 0);
    CU_ASSERT_EQUAL(VMX_EXIT_CPUID, 10);
    CU_ASSERT_EQUAL(VMX_EXIT_CR_ACCESS, 28);
    CU_ASSERT_EQUAL(VMX_EXIT_ENTRY_FAIL_GUEST, 33);
    CU_ASSERT_EQUAL(VMX_EXIT_EPT_VIOLATION, 48);
    CU_ASSERT_EQUAL(VMX_EXIT_EPT_MISCONFIG, 49);
    CU_ASSERT_EQUAL(VMX_EXIT_PREEMPTION_TIMER, 52);
    CU_ASSERT_EQUAL(VMX_EXIT_XRSTORS, 64);
    CU_ASSERT_EQUAL(VMX_EXIT_WRMSRNS, 85);
    CU_ASSERT_EQUAL(vmx_exit_max(), 85);
    CU_ASSERT_STRING_EQUAL(vmx_exit_name(48), "EPT_VIOLATION");
    CU_ASSERT_STRING_EQUAL(vmx_exit_name(33 | 0x80000000u),
                           "ENTRY_FAIL_GUEST");
    CU_ASSERT_STRING_EQUAL(vmx_exit_desc(12), "HLT");
    for (i = 0; i < 0x10000; i++) {
        const char *n = vmx_exit_name(i);

        if (n == NULL) {
            CU_ASSERT_PTR_NULL(vmx_exit_desc(i));
            continue;
        }
        named++;
        CU_ASSERT(n[0] != '\0');
        for (j = 0; j < i; j++) {
            const char *o = vmx_exit_name(j);

            if (o != NULL) {
                CU_ASSERT(strcmp(o, n) != 0);
            }
        }
    }
    CU_ASSERT_EQUAL(named, 80);     /* 0-85 minus 35,38,42,71,82,83 */
    CU_ASSERT_PTR_NULL(vmx_exit_name(35));
    CU_ASSERT_PTR_NULL(vmx_exit_name(71));
    CU_ASSERT_PTR_NULL(vmx_exit_name(86));
    CU_ASSERT_PTR_NULL(vmx_exit_name(0xFFFFFFFFu));
    CU_ASSERT_TRUE(vmx_exit_is_trap(43));
    CU_ASSERT_TRUE(vmx_exit_is_trap(45));
    CU_ASSERT_TRUE(vmx_exit_is_trap(56));
    CU_ASSERT_TRUE(vmx_exit_is_trap(74));
    CU_ASSERT_TRUE(vmx_exit_is_trap(37));
    CU_ASSERT_FALSE(vmx_exit_is_trap(48));
    CU_ASSERT_FALSE(vmx_exit_is_trap(35));
}

/* A3: VM-instruction error numbers. */
static void test_vmx_tables_errors(void)
{
    unsigned i;
    unsigned named = 0;

    CU_ASSERT_EQUAL(VMX_ERR_ENTRY_INVALID_CTL, 7);
    CU_ASSERT_EQUAL(VMX_ERR_ENTRY_INVALID_HOST, 8);
    CU_ASSERT_EQUAL(VMX_ERR_UNSUPPORTED_FIELD, 12);
    CU_ASSERT_EQUAL(VMX_ERR_VMWRITE_READ_ONLY, 13);
    CU_ASSERT_EQUAL(VMX_ERR_ENTRY_MOV_SS_BLOCKING, 26);
    CU_ASSERT_EQUAL(VMX_ERR_INVALID_INVEPT_INVVPID, 28);
    CU_ASSERT_EQUAL(vmx_err_max(), 28);
    CU_ASSERT_STRING_EQUAL(vmx_err_name(12), "UNSUPPORTED_FIELD");
    CU_ASSERT_PTR_NOT_NULL(vmx_err_desc(4));
    CU_ASSERT_PTR_NULL(vmx_err_name(0));
    CU_ASSERT_PTR_NULL(vmx_err_name(14));
    CU_ASSERT_PTR_NULL(vmx_err_name(21));
    CU_ASSERT_PTR_NULL(vmx_err_name(27));
    CU_ASSERT_PTR_NULL(vmx_err_name(29));
    CU_ASSERT_PTR_NULL(vmx_err_desc(1000));
    for (i = 0; i <= vmx_err_max(); i++) {
        named += vmx_err_name(i) != NULL;
    }
    CU_ASSERT_EQUAL(named, 25);
}

/* A4: control bits are unique per set; default-1 classes. */
static void test_vmx_tables_controls(void)
{
    static const struct {
        enum vmx_ctlset set;
        unsigned bit;
    } rows[] = {
#define VMX_CTL(s, name, b, desc) { VMX_CTLSET_##s, b },
#include "vmx-model/vmx_ctls.def"
#undef VMX_CTL
    };
    size_t i;
    size_t j;

    for (i = 0; i < SIM_ARRAY_SIZE(rows); i++) {
        CU_ASSERT(rows[i].bit < 64);
        CU_ASSERT_PTR_NOT_NULL(vmx_ctl_name(rows[i].set, rows[i].bit));
        for (j = 0; j < i; j++) {
            CU_ASSERT(rows[j].set != rows[i].set || rows[j].bit != rows[i].bit);
        }
    }
    CU_ASSERT_STRING_EQUAL(vmx_ctl_name(VMX_CTLSET_PROC2, 1), "EPT");
    CU_ASSERT_STRING_EQUAL(vmx_ctl_name(VMX_CTLSET_PROC, 31), "SECONDARY");
    CU_ASSERT_PTR_NULL(vmx_ctl_name(VMX_CTLSET_PIN, 1));
    CU_ASSERT_EQUAL(VMX_CTL_PROC2_UNRESTRICTED_GUEST, 7);
    CU_ASSERT_EQUAL(VMX_CTL_EXIT_HOST_ADDR_SPACE, 9);
    CU_ASSERT_EQUAL(VMX_CTL_ENTRY_IA32E_GUEST, 9);
    CU_ASSERT_EQUAL(VMX_DEFAULT1_PIN, 0x16);
    CU_ASSERT_EQUAL(VMX_DEFAULT1_PROC, 0x0401E172);
    CU_ASSERT_EQUAL(VMX_DEFAULT1_EXIT, 0x00036DFF);
    CU_ASSERT_EQUAL(VMX_DEFAULT1_ENTRY, 0x000011FF);
    /* TRUE allowed-0 relaxes only default-1 bits (A4). */
    CU_ASSERT_EQUAL(VMX_TRUE_ALLOWED0_PROC & ~VMX_DEFAULT1_PROC, 0);
    CU_ASSERT_EQUAL(VMX_DEFAULT1_PROC & ~VMX_TRUE_ALLOWED0_PROC,
                    VMX_BIT(15) | VMX_BIT(16));
    CU_ASSERT_EQUAL(VMX_DEFAULT1_EXIT & ~VMX_TRUE_ALLOWED0_EXIT, VMX_BIT(2));
    CU_ASSERT_EQUAL(VMX_DEFAULT1_ENTRY & ~VMX_TRUE_ALLOWED0_ENTRY,
                    VMX_BIT(2));
}

static void check_ctl_pair(const struct vmx_cpu_model *m, uint32_t msr,
                           uint32_t true_msr, uint32_t default1)
{
    uint64_t v = 0;
    uint64_t t = 0;
    uint32_t lo;
    uint32_t hi;

    CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(m, msr, &v), 0);
    lo = (uint32_t)v;
    hi = (uint32_t)(v >> 32);
    CU_ASSERT_EQUAL(lo & ~hi, 0);               /* allowed-0 within allowed-1 */
    CU_ASSERT_EQUAL(lo & default1, default1);   /* default-1 class reported 1 */
    if (m->true_ctls) {
        CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(m, true_msr, &t), 0);
        CU_ASSERT_EQUAL((uint32_t)t & ~(uint32_t)(t >> 32), 0);
        CU_ASSERT_EQUAL((uint32_t)t & ~lo, 0);  /* TRUE relaxes, never adds */
        CU_ASSERT_EQUAL(lo, (uint32_t)t | default1);
        CU_ASSERT_EQUAL(hi, (uint32_t)(t >> 32));
    } else {
        CU_ASSERT_EQUAL(vmx_cap_msr(m, true_msr, &t), -SIM_ENOENT);
    }
}

static void check_model_msrs(enum vmx_preset p)
{
    struct vmx_cpu_model m;
    uint64_t v = 0;
    unsigned idx;
    unsigned max = 0;
    unsigned i;

    build(p, &m);
    /* BASIC (A5): revision, size, WB, TRUE controls. */
    CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(&m, VMX_MSR_BASIC, &v), 0);
    CU_ASSERT_EQUAL(v & 0x7FFFFFFF, p == VMX_PRESET_NEHALEM ? 14u : 4u);
    CU_ASSERT_EQUAL((v >> 31) & 1, 0);
    CU_ASSERT_EQUAL((v >> 32) & 0x1FFF, 4096);
    CU_ASSERT((v >> 32 & 0x1FFF) >= VMX_VMCS_IMAGE_SIZE);
    CU_ASSERT_EQUAL((v >> 48) & 1, 0);
    CU_ASSERT_EQUAL((v >> 50) & 0xF, 6);
    CU_ASSERT_EQUAL((v >> 55) & 1, 1);
    CU_ASSERT_EQUAL((v >> 54) & 1, 1);
    /* Control MSRs and their TRUE forms. */
    check_ctl_pair(&m, VMX_MSR_PINBASED_CTLS, VMX_MSR_TRUE_PINBASED_CTLS,
                   VMX_DEFAULT1_PIN);
    check_ctl_pair(&m, VMX_MSR_PROCBASED_CTLS, VMX_MSR_TRUE_PROCBASED_CTLS,
                   VMX_DEFAULT1_PROC);
    check_ctl_pair(&m, VMX_MSR_EXIT_CTLS, VMX_MSR_TRUE_EXIT_CTLS,
                   VMX_DEFAULT1_EXIT);
    check_ctl_pair(&m, VMX_MSR_ENTRY_CTLS, VMX_MSR_TRUE_ENTRY_CTLS,
                   VMX_DEFAULT1_ENTRY);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_TRUE_PROCBASED_CTLS, &v), 0);
    CU_ASSERT_EQUAL((uint32_t)v, VMX_TRUE_ALLOWED0_PROC);
    CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(&m, VMX_MSR_PROCBASED_CTLS, &v), 0);
    CU_ASSERT(v >> 63);                     /* secondary controls */
    CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(&m, VMX_MSR_PROCBASED_CTLS2, &v), 0);
    CU_ASSERT_EQUAL((uint32_t)v & ~(uint32_t)(v >> 32), 0);
    CU_ASSERT((v >> 33) & 1);               /* EPT */
    CU_ASSERT((v >> 37) & 1);               /* VPID */
    CU_ASSERT_EQUAL((v >> 39) & 1, p == VMX_PRESET_SKYLAKE);  /* UG */
    CU_ASSERT_EQUAL((v >> 46) & 1, p == VMX_PRESET_SKYLAKE);  /* shadow */
    /* CR fixed bits (A5). */
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_CR0_FIXED0, &v), 0);
    CU_ASSERT_EQUAL(v, 0x80000021);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_CR0_FIXED1, &v), 0);
    CU_ASSERT_EQUAL(v, 0xFFFFFFFF);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_CR4_FIXED0, &v), 0);
    CU_ASSERT_EQUAL(v, 0x2000);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_CR4_FIXED1, &v), 0);
    CU_ASSERT_EQUAL(v, p == VMX_PRESET_NEHALEM ? 0x27FFu : 0x7727FFu);
    CU_ASSERT_EQUAL(m.cr4_fixed0 & ~m.cr4_fixed1, 0);
    /* MISC (A5). */
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_MISC, &v), 0);
    CU_ASSERT_EQUAL((v >> 16) & 0x1FF, 4);
    CU_ASSERT_EQUAL(v & 0x1F, p == VMX_PRESET_NEHALEM ? 5u : 7u);
    CU_ASSERT_EQUAL((v >> 6) & 7, 7);
    CU_ASSERT_EQUAL((v >> 29) & 1, p == VMX_PRESET_SKYLAKE);
    /* VMCS_ENUM: highest index of a supported field. */
    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        idx = (vmx_field_info[i].encoding >> 1) & 0x1FF;
        if (vmx_field_supported(&m, (enum vmx_field)i) && idx > max) {
            max = idx;
        }
    }
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_VMCS_ENUM, &v), 0);
    CU_ASSERT_EQUAL(v, (uint64_t)max << 1);
    CU_ASSERT_EQUAL(v & ~0x3FEull, 0);
    /* EPT_VPID_CAP (A7). */
    CU_ASSERT_EQUAL_FATAL(vmx_cap_msr(&m, VMX_MSR_EPT_VPID_CAP, &v), 0);
    CU_ASSERT((v >> 6) & 1);
    CU_ASSERT((v >> 14) & 1);
    CU_ASSERT((v >> 20) & 1);
    CU_ASSERT((v >> 32) & 1);
    CU_ASSERT_EQUAL((v >> 21) & 1, p == VMX_PRESET_SKYLAKE);  /* A/D */
    CU_ASSERT_EQUAL((v >> 17) & 1, p == VMX_PRESET_SKYLAKE);  /* 1 GiB */
    /* MSRs that exist only with their feature. */
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_VMFUNC, &v),
                    p == VMX_PRESET_SKYLAKE ? 0 : -SIM_ENOENT);
    if (p == VMX_PRESET_SKYLAKE) {
        CU_ASSERT_EQUAL(v, 1);              /* EPTP switching */
    }
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_PROCBASED_CTLS3, &v),
                    -SIM_ENOENT);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_EXIT_CTLS2, &v), -SIM_ENOENT);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, 0x47F, &v), -SIM_ENOENT);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, 0x494, &v), -SIM_ENOENT);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, 0x3A, &v), -SIM_ENOENT);
    for (i = 0x480; i <= 0x493; i++) {
        int rc = vmx_cap_msr(&m, i, &v);

        CU_ASSERT(rc == 0 || rc == -SIM_ENOENT);
    }
}

/* A5: both presets give consistent MSRs. */
static void test_vmx_tables_caps_skylake(void)
{
    check_model_msrs(VMX_PRESET_SKYLAKE);
}

static void test_vmx_tables_caps_nehalem(void)
{
    check_model_msrs(VMX_PRESET_NEHALEM);
}

/* The TRUE MSRs vanish without BASIC[55]; non-TRUE ones force default-1;
 * tertiary / secondary-exit MSRs appear with their features. */
static void test_vmx_tables_caps_options(void)
{
    struct vmx_caps_cfg c;
    struct vmx_cpu_model m;
    struct vmx_ctl_caps k;
    const char *why = NULL;
    uint64_t v = 0;

    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(VMX_PRESET_NEHALEM, &c), 0);
    c.true_ctls = false;
    c.tertiary = true;
    c.proc3_allowed1 = 0x13;
    c.exit2_allowed1 = 0x6;
    CU_ASSERT_EQUAL_FATAL(vmx_caps_build(&c, &m, NULL), 0);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_TRUE_ENTRY_CTLS, &v),
                    -SIM_ENOENT);
    k = vmx_model_ctls(&m, VMX_CTLSET_PROC);
    CU_ASSERT_EQUAL(k.allowed0 & VMX_DEFAULT1_PROC, VMX_DEFAULT1_PROC);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_PROCBASED_CTLS3, &v), 0);
    CU_ASSERT_EQUAL(v, 0x13);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_EXIT_CTLS2, &v), 0);
    CU_ASSERT_EQUAL(v, 0x6);
    CU_ASSERT_TRUE(vmx_model_allows(&m, VMX_CTLSET_PROC3, 4));
    CU_ASSERT_FALSE(vmx_model_allows(&m, VMX_CTLSET_PROC3, 2));
    CU_ASSERT_FALSE(vmx_model_allows(&m, VMX_CTLSET_PROC3, 99));
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_PROC3_CTLS));
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_PID_POINTER_TABLE));
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_EXIT2_CTLS));
    /* Inconsistent configurations are refused. */
    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(VMX_PRESET_SKYLAKE, &c), 0);
    c.ept = false;
    CU_ASSERT_EQUAL(vmx_caps_build(&c, &m, &why), -SIM_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(why);
    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(VMX_PRESET_SKYLAKE, &c), 0);
    c.cr4_fixed0 = 0;
    CU_ASSERT_EQUAL(vmx_caps_build(&c, &m, NULL), -SIM_EINVAL);
    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(VMX_PRESET_SKYLAKE, &c), 0);
    c.vmcs_size = 1024;         /* smaller than the model's image */
    CU_ASSERT_EQUAL(vmx_caps_build(&c, &m, NULL), -SIM_EINVAL);
    CU_ASSERT_EQUAL(vmx_caps_preset(VMX_PRESET__COUNT, &c), -SIM_EINVAL);
    CU_ASSERT_PTR_NULL(vmx_caps_preset_defaults(VMX_PRESET__COUNT));
    CU_ASSERT_STRING_EQUAL(vmx_preset_name(VMX_PRESET_NEHALEM), "nehalem");
    CU_ASSERT_PTR_NULL(vmx_preset_name(VMX_PRESET__COUNT));
}

/* Every feature on: the MSRs stay consistent and more fields exist;
 * each kind of inconsistent configuration is refused. */
static void test_vmx_tables_caps_everything(void)
{
    struct vmx_caps_cfg c;
    struct vmx_cpu_model sky;
    struct vmx_cpu_model m;
    const char *why = NULL;
    uint32_t msr;
    uint64_t v = 0;
    uint64_t e_sky = 0;
    size_t i;

    build(VMX_PRESET_SKYLAKE, &sky);
    CU_ASSERT_EQUAL_FATAL(vmx_caps_preset(VMX_PRESET_SKYLAKE, &c), 0);
#define VMX_CAPS_CFG(n, t, mem, sky_v, neh, lo, hi, u, map, desc) \
    set_true_##t(&c.mem);
#define set_true_BOOL(p) (*(p) = true)
#define set_true_U64(p) ((void)(p))
#include "vmx-model/vmx_caps_cfg.def"
#undef set_true_U64
#undef set_true_BOOL
#undef VMX_CAPS_CFG
    c.proc3_allowed1 = 0x1DF;
    c.exit2_allowed1 = 0x7;
    CU_ASSERT_EQUAL_FATAL(vmx_caps_build(&c, &m, &why), 0);
    for (msr = VMX_MSR_PINBASED_CTLS; msr <= VMX_MSR_TRUE_ENTRY_CTLS;
         msr++) {
        if (msr >= VMX_MSR_MISC && msr <= VMX_MSR_EPT_VPID_CAP &&
            msr != VMX_MSR_PROCBASED_CTLS2) {
            continue;
        }
        CU_ASSERT_EQUAL(vmx_cap_msr(&m, msr, &v), 0);
        CU_ASSERT_EQUAL((uint32_t)v & ~(uint32_t)(v >> 32), 0);
    }
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_VMFUNC, &v), 0);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_MISC, &v), 0);
    CU_ASSERT_EQUAL((v >> 28) & 7, 7);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_ENTRY_CTLS, &v), 0);
    CU_ASSERT((v >> (32 + VMX_CTL_ENTRY_SMM)) & 1);
    CU_ASSERT((v >> (32 + VMX_CTL_ENTRY_LOAD_CET)) & 1);
    CU_ASSERT((v >> (32 + VMX_CTL_ENTRY_LOAD_PKRS)) & 1);
    CU_ASSERT_EQUAL(vmx_cap_msr(&sky, VMX_MSR_VMCS_ENUM, &e_sky), 0);
    CU_ASSERT_EQUAL(vmx_cap_msr(&m, VMX_MSR_VMCS_ENUM, &v), 0);
    CU_ASSERT(v > e_sky);
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_GUEST_S_CET));
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_HOST_PKRS));
    CU_ASSERT_TRUE(vmx_field_supported(&m, VMX_FIELD_SPEC_CTRL_SHADOW));
    CU_ASSERT_TRUE(vmx_model_allows(&m, VMX_CTLSET_VMFUNC, 0));
    CU_ASSERT_FALSE(vmx_model_allows(&m, VMX_CTLSET_VMFUNC, 1));
    CU_ASSERT_TRUE(vmx_model_allows(&m, VMX_CTLSET_ALWAYS, 0));
    CU_ASSERT_FALSE(vmx_model_allows(&m, VMX_CTLSET__COUNT, 0));
    CU_ASSERT_FALSE(vmx_model_allows(&m, VMX_CTLSET_PIN, 32));
    v = vmx_model_ctls(&m, VMX_CTLSET_PROC3).allowed1;
    CU_ASSERT_EQUAL(v, 0);          /* 64-bit sets are not in this view */

    {
        /* One row per message of the validator. */
        struct vmx_caps_cfg bad[7];

        for (i = 0; i < SIM_ARRAY_SIZE(bad); i++) {
            CU_ASSERT_EQUAL(vmx_caps_preset(VMX_PRESET_NEHALEM, &bad[i]), 0);
        }
        bad[0].revision_id = 0x80000000u;
        bad[1].proc3_allowed1 = 1;
        bad[2].cr3_targets = 5;
        bad[3].cr0_fixed0 = 0x1FFFFFFFFull;
        bad[4].cr0_fixed1 = 0x1FFFFFFFFull;
        bad[5].cr4_fixed1 = 0x7FF;
        bad[6].posted_intr = true;
        for (i = 0; i < SIM_ARRAY_SIZE(bad); i++) {
            why = NULL;
            CU_ASSERT_EQUAL(vmx_caps_build(&bad[i], &m, &why), -SIM_EINVAL);
            CU_ASSERT_PTR_NOT_NULL(why);
        }
    }
}

/* The [vmx] keys load through the config registry; a preset's default
 * list gives the same struct as vmx_caps_preset(); the validator runs. */
static void test_vmx_tables_caps_cfg(void)
{
    static const char *const no_defaults[] = { NULL };
    enum vmx_preset p;
    const struct sim_cfg_key *k;
    unsigned n = 0;

    for (k = vmx_caps_cfg_keys; k->name != NULL; k++) {
        const struct sim_cfg_key *o;

        n++;
        CU_ASSERT(k->desc != NULL && k->desc[0] != '\0');
        for (o = vmx_caps_cfg_keys; o != k; o++) {
            CU_ASSERT(strcmp(o->name, k->name) != 0);
        }
    }
    CU_ASSERT(n > 60);
    for (p = 0; p < VMX_PRESET__COUNT; p++) {
        struct sim_cfg *cfg = sim_cfg_new();
        struct vmx_caps_cfg a;
        struct vmx_caps_cfg b;

        CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
        memset(&a, 0, sizeof(a));
        CU_ASSERT_EQUAL(vmx_caps_preset(p, &b), 0);
        CU_ASSERT_EQUAL_FATAL(
            sim_cfg_declare(cfg, VMX_CAPS_CFG_SECTION, VMX_CAPS_CFG_DESC,
                            vmx_caps_cfg_keys, vmx_caps_preset_defaults(p),
                            vmx_caps_cfg_validate), 0);
        CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, VMX_CAPS_CFG_SECTION, &a),
                        0);
#define VMX_CAPS_CFG(n, t, m, sky, neh, lo, hi, u, map, desc) \
        CU_ASSERT_EQUAL(a.m, b.m);
#include "vmx-model/vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
        /* A user override that makes the CPU impossible is refused. */
        CU_ASSERT_EQUAL(sim_cfg_override(cfg, "vmx.ept=false", "test"), 0);
        CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, VMX_CAPS_CFG_SECTION, &a),
                        -SIM_ECFG);
        CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "[vmx]"));
        CU_ASSERT_PTR_NOT_NULL(strstr(sim_cfg_errmsg(cfg), "ept"));
        sim_cfg_free(cfg);
    }
    {
        /* The key table's defaults are the Skylake preset. */
        struct sim_cfg *cfg = sim_cfg_new();
        struct vmx_caps_cfg a;
        struct vmx_caps_cfg b;

        CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
        memset(&a, 0, sizeof(a));
        CU_ASSERT_EQUAL(vmx_caps_preset(VMX_PRESET_SKYLAKE, &b), 0);
        CU_ASSERT_EQUAL_FATAL(
            sim_cfg_declare(cfg, "vmx", "", vmx_caps_cfg_keys, no_defaults,
                            vmx_caps_cfg_validate), 0);
        CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "vmx", &a), 0);
        CU_ASSERT_EQUAL(a.revision_id, b.revision_id);
        CU_ASSERT_EQUAL(a.cr4_fixed1, b.cr4_fixed1);
        CU_ASSERT_EQUAL(a.unrestricted_guest, b.unrestricted_guest);
        sim_cfg_free(cfg);
    }
}

int test_vmx_tables_register(void)
{
    CU_pSuite s = CU_add_suite("vmx_tables", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "fields", test_vmx_tables_fields) == NULL ||
        CU_add_test(s, "lookup_rejects",
                    test_vmx_tables_lookup_rejects) == NULL ||
        CU_add_test(s, "read_write_truncation",
                    test_vmx_tables_read_write_truncation) == NULL ||
        CU_add_test(s, "high_access", test_vmx_tables_high_access) == NULL ||
        CU_add_test(s, "read_only", test_vmx_tables_read_only) == NULL ||
        CU_add_test(s, "unsupported", test_vmx_tables_unsupported) == NULL ||
        CU_add_test(s, "image_roundtrip",
                    test_vmx_tables_image_roundtrip) == NULL ||
        CU_add_test(s, "exit_reasons", test_vmx_tables_exit_reasons) == NULL ||
        CU_add_test(s, "errors", test_vmx_tables_errors) == NULL ||
        CU_add_test(s, "controls", test_vmx_tables_controls) == NULL ||
        CU_add_test(s, "caps_skylake", test_vmx_tables_caps_skylake) == NULL ||
        CU_add_test(s, "caps_nehalem", test_vmx_tables_caps_nehalem) == NULL ||
        CU_add_test(s, "caps_options", test_vmx_tables_caps_options) == NULL ||
        CU_add_test(s, "caps_everything",
                    test_vmx_tables_caps_everything) == NULL ||
        CU_add_test(s, "caps_cfg", test_vmx_tables_caps_cfg) == NULL) {
        return -1;
    }
    return 0;
}
