/*
 * test_vti_pal.c - suite "vti_pal": the PAL virtualization procedures and
 * services, the held VPD state, the accelerations and the [vti] config
 * (vti-model/vti_pal.h), against a mock processor.
 *
 * Every procedure and service is run on its success path and on at least
 * one error outcome; each acceleration with its vac bit set and clear; and
 * random register contents are thrown at the dispatchers (run the suite
 * under -fsanitize=address,undefined to make "never crashes" mean
 * something).
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_cfg.h"
#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "test_suites.h"
#include "vti-model/vti_pal.h"

/* ---- mock processor ---------------------------------------------------- */

#define MEM_BASE  0x4000000ull          /* host-virtual = mock memory */
#define MEM_SIZE  0x80000u              /* 512 KiB */
#define ENV_VA    (MEM_BASE + 0x4000)   /* 4-KiB aligned env buffer */
#define ENV_PA    0x8000000ull
#define VPD_A     (MEM_BASE + 0x20000)  /* 64-KiB aligned VPDs */
#define VPD_B     (MEM_BASE + 0x30000)
#define HOST_IVA  (MEM_BASE + 0x40000)  /* 32-KiB aligned IVT */
#define HANDLER   (MEM_BASE + 0x50000)
#define RET_VA    0xA000000000001230ull /* a return address */
#define GUEST_IP  0x2000000000004560ull

struct mock {
    uint64_t gr[128];
    bool     nat[128];
    uint64_t br[8];
    uint64_t cr[128];
    uint64_t psr;
    uint64_t cfm;
    uint8_t  mem[MEM_SIZE];
};

static struct mock m;

static uint64_t m_get_gr(void *ctx, unsigned n, bool *nat)
{
    struct mock *x = ctx;

    CU_ASSERT_FATAL(n < 128);
    if (nat != NULL) {
        *nat = x->nat[n];
    }
    return n == 0 ? 0 : x->gr[n];
}

static void m_set_gr(void *ctx, unsigned n, uint64_t v, bool nat)
{
    struct mock *x = ctx;

    CU_ASSERT_FATAL(n < 128);
    CU_ASSERT(n != 0);
    x->gr[n] = v;
    x->nat[n] = nat;
}

static uint64_t m_get_br(void *ctx, unsigned n)
{
    CU_ASSERT_FATAL(n < 8);
    return ((struct mock *)ctx)->br[n];
}

static void m_set_br(void *ctx, unsigned n, uint64_t v)
{
    CU_ASSERT_FATAL(n < 8);
    ((struct mock *)ctx)->br[n] = v;
}

static uint64_t m_get_cr(void *ctx, unsigned n)
{
    CU_ASSERT_FATAL(n < 128);
    return ((struct mock *)ctx)->cr[n];
}

static void m_set_cr(void *ctx, unsigned n, uint64_t v)
{
    CU_ASSERT_FATAL(n < 128);
    ((struct mock *)ctx)->cr[n] = v;
}

static uint64_t m_get_psr(void *ctx)
{
    return ((struct mock *)ctx)->psr;
}

static uint64_t m_get_cfm(void *ctx)
{
    return ((struct mock *)ctx)->cfm;
}

static int m_read(void *ctx, uint64_t va, void *buf, size_t len)
{
    struct mock *x = ctx;

    if (va < MEM_BASE || len > MEM_SIZE || va - MEM_BASE > MEM_SIZE - len) {
        return -1;
    }
    memcpy(buf, x->mem + (va - MEM_BASE), len);
    return 0;
}

static int m_write(void *ctx, uint64_t va, const void *buf, size_t len)
{
    struct mock *x = ctx;

    if (va < MEM_BASE || len > MEM_SIZE || va - MEM_BASE > MEM_SIZE - len) {
        return -1;
    }
    memcpy(x->mem + (va - MEM_BASE), buf, len);
    return 0;
}

/* Optional callbacks: cover's frame effect, and the executor controls. */
static unsigned covers;
static int env_cause = -1;
static int env_opcode = -1;
static int env_vmsw = -1;

static void m_cover(void *ctx)
{
    (void)ctx;
    covers++;
}

static void m_set_vm_env(void *ctx, bool cause, bool opcode, bool vmsw)
{
    (void)ctx;
    env_cause = cause;
    env_opcode = opcode;
    env_vmsw = vmsw;
}

static const struct vti_cpu cpu = {
    .ctx = &m, .get_gr = m_get_gr, .set_gr = m_set_gr, .get_br = m_get_br,
    .set_br = m_set_br, .get_cr = m_get_cr, .set_cr = m_set_cr,
    .get_psr = m_get_psr, .get_cfm = m_get_cfm, .read_mem = m_read,
    .write_mem = m_write, .set_vm_env = m_set_vm_env,
};

/* The same processor with a cover callback. */
static const struct vti_cpu cpu_cover = {
    .ctx = &m, .get_gr = m_get_gr, .set_gr = m_set_gr, .get_br = m_get_br,
    .set_br = m_set_br, .get_cr = m_get_cr, .set_cr = m_set_cr,
    .get_psr = m_get_psr, .get_cfm = m_get_cfm, .read_mem = m_read,
    .write_mem = m_write, .cover = m_cover,
};

static uint64_t peek(uint64_t va)
{
    uint64_t v;

    memcpy(&v, m.mem + (va - MEM_BASE), 8);
    return v;
}

static void poke(uint64_t va, uint64_t v)
{
    memcpy(m.mem + (va - MEM_BASE), &v, 8);
}

/* PSR of a VMM calling a service [C5]: dt, rt, it = 1, bn = 0. */
#define SVC_PSR (VTI_PAL_PSR_DT | VTI_PAL_PSR_RT | VTI_PAL_PSR_IT)

static struct vti_pal pal;
static struct vti_cfg cfg;

static void reset(void)
{
    memset(&m, 0, sizeof(m));
    m.psr = SVC_PSR;
    vti_cfg_defaults(&cfg);
    vti_pal_init(&pal, &cfg, NULL);
}

/* Call procedure `index` with in1..in3, the stacked way (GR28 = in0). */
static int64_t call(uint64_t index, uint64_t a1, uint64_t a2, uint64_t a3,
                    struct vti_pal_outcome *o)
{
    struct vti_pal_outcome tmp;

    if (o == NULL) {
        o = &tmp;
    }
    m.gr[28] = index;
    m.gr[32] = index;
    m.gr[33] = a1;
    m.gr[34] = a2;
    m.gr[35] = a3;
    vti_pal_proc(&pal, &cpu, o);
    CU_ASSERT_EQUAL(o->next, VTI_PAL_NEXT_RETURN);
    CU_ASSERT_EQUAL((int64_t)m.gr[8], o->status);
    return o->status;
}

/* Run service `id` with GR24..GR27. */
static void svc(enum vti_pal_id id, uint64_t g24, uint64_t g25, uint64_t g26,
                uint64_t g27, struct vti_pal_outcome *o)
{
    m.gr[24] = g24;
    m.gr[25] = g25;
    m.gr[26] = g26;
    m.gr[27] = g27;
    vti_pal_service(&pal, &cpu, id, o);
}

/* A VPD with vac/vdc and virt_env_vaddr set, as PAL_VP_CREATE wants. */
static void vpd_setup(uint64_t vpd, uint64_t vac, uint64_t vdc)
{
    poke(vpd + VTI_VPD_VAC, vac);
    poke(vpd + VTI_VPD_VDC, vdc);
    poke(vpd + VTI_VPD_VIRT_ENV_VADDR, ENV_VA);
}

static void enter_env(void)
{
    CU_ASSERT_EQUAL(call(268, VTI_PAL_OPT_INITIALIZE | VTI_PAL_OPT_OPCODE |
                         VTI_PAL_OPT_CAUSE, ENV_PA, ENV_VA, NULL), 0);
}

/* Environment entered, VP A created with `vac`, restored (current). */
static void run_vp(uint64_t vac, uint64_t vdc, uint64_t vpsr)
{
    reset();
    enter_env();
    vpd_setup(VPD_A, vac, vdc);
    poke(VPD_A + VTI_VPD_VPSR, vpsr);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL), 0);
    CU_ASSERT_EQUAL(call(270, VPD_A, 0, 0, NULL), 0);
}

/* ---- the table and the config ----------------------------------------- */

static void test_vti_pal_table(void)
{
    unsigned i;
    unsigned j;
    unsigned procs = 0;
    enum vti_pal_id id;

    for (i = 0; i < VTI_PAL__COUNT; i++) {
        const struct vti_pal_info *r = &vti_pal_info[i];

        CU_ASSERT_PTR_NOT_NULL(r->name);
        CU_ASSERT_PTR_NOT_NULL(r->cost_key);
        CU_ASSERT(strncmp(r->name, "PAL_VP", 6) == 0);
        if (r->kind == VTI_PAL_KIND_PROC) {
            /* C4: 265..272, in table order */
            CU_ASSERT_EQUAL(r->num, 265 + procs);
            CU_ASSERT(r->nargs <= 3);
            CU_ASSERT(vti_pal_lookup_proc(r->num, &id) && id == i);
            procs++;
        } else {
            /* C5: 0x400 apart, below the service span */
            CU_ASSERT_EQUAL(r->num % 0x400, 0);
            CU_ASSERT(r->num < VTI_PAL_SVC_SPAN);
            CU_ASSERT(r->nargs >= 2 && r->nargs <= 8);
            CU_ASSERT(vti_pal_lookup_svc(r->num, &id) && id == i);
        }
        for (j = 0; j < i; j++) {
            CU_ASSERT(strcmp(r->cost_key, vti_pal_info[j].cost_key) != 0);
            CU_ASSERT(r->kind != vti_pal_info[j].kind ||
                      r->num != vti_pal_info[j].num);
        }
    }
    CU_ASSERT_EQUAL(procs, 8);
    CU_ASSERT_EQUAL(VTI_PAL__COUNT - procs, 9);
    CU_ASSERT_EQUAL(vti_pal_info[VTI_PAL_VPS_SAVE].num, 0x2000);
    CU_ASSERT_FALSE(vti_pal_lookup_proc(264, &id));
    CU_ASSERT_FALSE(vti_pal_lookup_proc(273, &id));
    CU_ASSERT_FALSE(vti_pal_lookup_svc(0x200, &id));
    /* VPD constants against C6 */
    CU_ASSERT_EQUAL(VTI_VPD_VTPR, VTI_VPD_VCR_OFF(VTI_VCR_TPR));
    CU_ASSERT_EQUAL(VTI_VPD_VBGR, VTI_VPD_VGR + 8 * VTI_VPD_NGR);
    CU_ASSERT_EQUAL(VTI_VPD_VCR + 8 * VTI_VPD_NCR, VTI_VPD_VRR);
    /* the cause numbers the tests below use (C2) */
    CU_ASSERT_EQUAL(VTI_CAUSE_MOV_TO_CR, 4);
    CU_ASSERT_EQUAL(VTI_CAUSE_MOV_FROM_CR, 5);
    CU_ASSERT_EQUAL(VTI_CAUSE_MOV_FROM_PSR, 7);
    CU_ASSERT_EQUAL(VTI_CAUSE_MOV_FROM_CPUID, 23);
    CU_ASSERT_EQUAL(VTI_CAUSE_COVER, 36);
    CU_ASSERT_EQUAL(VTI_CAUSE_BSW_0, 38);
    CU_ASSERT_EQUAL(VTI_CAUSE_BSW_1, 39);
}

static void test_vti_pal_cfg(void)
{
    struct sim_cfg *sc = sim_cfg_new();
    const struct sim_cfg_key *k;
    struct vti_cfg loaded;
    struct vti_cfg def;
    unsigned n = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(sc);
    for (k = vti_cfg_keys; k->name != NULL; k++) {
        CU_ASSERT_PTR_NOT_NULL(k->desc);
        /* every default names its source or says it is a placeholder */
        CU_ASSERT(strstr(k->desc, "placeholder") != NULL ||
                  strstr(k->desc, "[P]") != NULL ||
                  strstr(k->desc, "[A]") != NULL);
        n++;
    }
    CU_ASSERT(n > VTI_PAL__COUNT);
    CU_ASSERT_EQUAL(sim_cfg_declare(sc, VTI_CFG_SECTION, VTI_CFG_DESC,
                                    vti_cfg_keys, NULL, vti_cfg_validate), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(sc, VTI_CFG_SECTION, &loaded), 0);
    vti_cfg_defaults(&def);
    CU_ASSERT(memcmp(&loaded, &def, sizeof(def)) == 0);
    CU_ASSERT_EQUAL(def.pal_cost[VTI_PAL_VP_INIT_ENV], 1250);
    CU_ASSERT_EQUAL(def.drain, 8);
    CU_ASSERT_EQUAL(sim_cfg_override(sc, "vti.vp_save=999", "-o #1"), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(sc, VTI_CFG_SECTION, &loaded), 0);
    CU_ASSERT_EQUAL(loaded.pal_cost[VTI_PAL_VP_SAVE], 999);
    CU_ASSERT_EQUAL(sim_cfg_override(sc, "vti.env_buffer_bytes=20000",
                                     "-o #2"), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(sc, VTI_CFG_SECTION, &loaded),
                    -SIM_ECFG);
    sim_cfg_free(sc);
}

/* ---- procedures -------------------------------------------------------- */

static void test_vti_pal_env_info(void)
{
    struct vti_pal_outcome o;

    reset();
    CU_ASSERT_EQUAL(call(266, 0, 0, 0, &o), VTI_PAL_STATUS_OK);
    CU_ASSERT_EQUAL(m.gr[9], cfg.env_buffer_bytes);
    CU_ASSERT_EQUAL(m.gr[10] & VTI_PAL_ENV_INFO_OPCODE,
                    VTI_PAL_ENV_INFO_OPCODE);
    CU_ASSERT_EQUAL(o.cycles, cfg.pal_cost[VTI_PAL_VP_ENV_INFO]);
    CU_ASSERT_EQUAL(pal.calls[VTI_PAL_VP_ENV_INFO], 1);
    /* VM features disabled: every VP procedure is unimplemented (2:484) */
    pal.vm_enabled = false;
    CU_ASSERT_EQUAL(call(266, 0, 0, 0, NULL), VTI_PAL_STATUS_UNIMPL);
    CU_ASSERT_EQUAL(m.gr[9], 0);
    CU_ASSERT_EQUAL(pal.errors[VTI_PAL_VP_ENV_INFO], 1);
}

static void test_vti_pal_unknown_index(void)
{
    struct vti_pal_outcome o;

    reset();
    CU_ASSERT_EQUAL(call(17, 0, 0, 0, &o), VTI_PAL_STATUS_UNIMPL);
    CU_ASSERT_EQUAL(o.id, VTI_PAL__COUNT);
    CU_ASSERT_EQUAL(call(~0ull, 1, 2, 3, NULL), VTI_PAL_STATUS_UNIMPL);
    /* index in GR28 but not in in0 */
    m.gr[28] = 266;
    m.gr[32] = 265;
    vti_pal_proc(&pal, &cpu, &o);
    CU_ASSERT_EQUAL(o.status, VTI_PAL_STATUS_INVALID);
}

static void test_vti_pal_init_env(void)
{
    struct vti_pal_outcome o;
    struct vti_env shared;
    struct vti_pal lp1;
    struct vti_pal lp0;

    reset();
    /* not initialized yet and no initialize bit: error */
    CU_ASSERT_EQUAL(call(268, 0, ENV_PA, ENV_VA, NULL), VTI_PAL_STATUS_ERROR);
    /* misaligned buffer, reserved option, unmapped buffer */
    CU_ASSERT_EQUAL(call(268, 1, ENV_PA + 8, ENV_VA, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(268, 1, ENV_PA, ENV_VA + 0x800, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(268, 1 | (1ull << 5), ENV_PA, ENV_VA, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(268, 1, ENV_PA, MEM_BASE + MEM_SIZE - 0x1000, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_FALSE(pal.in_env);
    CU_ASSERT_EQUAL(vti_pal_vsa_base(&pal), 0);
    /* success: vsa_base = the buffer's virtual base */
    CU_ASSERT_EQUAL(call(268, VTI_PAL_OPT_INITIALIZE | VTI_PAL_OPT_CAUSE,
                         ENV_PA, ENV_VA, &o), VTI_PAL_STATUS_OK);
    CU_ASSERT_EQUAL(m.gr[9], ENV_VA);
    CU_ASSERT_EQUAL(vti_pal_vsa_base(&pal), ENV_VA);
    CU_ASSERT_TRUE(vti_pal_handoff_cause(&pal));
    CU_ASSERT_FALSE(vti_pal_handoff_opcode(&pal));

    /* two logical processors sharing one environment: the second enters
     * without initializing, with the same buffer */
    memset(&shared, 0, sizeof(shared));
    vti_pal_init(&lp0, &cfg, &shared);
    vti_pal_init(&lp1, &cfg, &shared);
    m.gr[28] = m.gr[32] = 268;
    m.gr[33] = VTI_PAL_OPT_INITIALIZE;
    m.gr[34] = ENV_PA;
    m.gr[35] = ENV_VA;
    vti_pal_proc(&lp0, &cpu, &o);
    CU_ASSERT_EQUAL(o.status, 0);
    m.gr[33] = 0;
    m.gr[35] = ENV_VA + 0x1000;
    vti_pal_proc(&lp1, &cpu, &o);
    CU_ASSERT_EQUAL(o.status, VTI_PAL_STATUS_INVALID);
    m.gr[35] = ENV_VA;
    vti_pal_proc(&lp1, &cpu, &o);
    CU_ASSERT_EQUAL(o.status, 0);
    CU_ASSERT_EQUAL(shared.lps, 2);
}

static void test_vti_pal_exit_env(void)
{
    reset();
    CU_ASSERT_EQUAL(call(267, HOST_IVA, 0, 0, NULL), VTI_PAL_STATUS_ERROR);
    enter_env();
    CU_ASSERT_EQUAL(call(267, HOST_IVA + 0x100, 0, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(267, HOST_IVA, 0, 0, NULL), VTI_PAL_STATUS_OK);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], HOST_IVA);
    CU_ASSERT_FALSE(pal.in_env);
    CU_ASSERT_EQUAL(env_cause, 0);              /* hand-offs off again */
    CU_ASSERT_FALSE(pal.env->initialized);
    CU_ASSERT_EQUAL(vti_pal_vsa_base(&pal), 0);
}

static void test_vti_pal_create(void)
{
    int i;

    reset();
    vpd_setup(VPD_A, 0, 0);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_ERROR);          /* before INIT_ENV */
    enter_env();
    /* alignment of the VPD, the IVT, the handler */
    CU_ASSERT_EQUAL(call(265, VPD_A + 0x1000, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA + 0x400, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, HANDLER + 4, NULL),
                    VTI_PAL_STATUS_INVALID);
    /* unsupported vac/vdc: a_int with d_extint; a reserved vac bit */
    vpd_setup(VPD_A, VTI_VAC_A_INT, VTI_VDC_D_EXTINT);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    vpd_setup(VPD_A, 1ull << 20, 0);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    /* virt_env_vaddr not set up */
    vpd_setup(VPD_A, 0, 0);
    poke(VPD_A + VTI_VPD_VIRT_ENV_VADDR, 0);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    /* a VPD outside memory */
    CU_ASSERT_EQUAL(call(265, 0x7770000ull << 16, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    /* success, then the same VPD again */
    vpd_setup(VPD_A, VTI_VAC_A_BSW, VTI_VDC_D_VMSW);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, HANDLER, NULL), 0);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), 0);  /* not yet restored */
    /* the table fills up (model limit): error */
    for (i = 1; i < VTI_PAL_MAX_VPS; i++) {
        pal.env->vp[i].used = true;
        pal.env->vp[i].vpd = 0x1ull << 40 | (uint64_t)i << 16;
    }
    vpd_setup(VPD_B, 0, 0);
    CU_ASSERT_EQUAL(call(265, VPD_B, HOST_IVA, 0, NULL),
                    VTI_PAL_STATUS_ERROR);
}

static void test_vti_pal_vp_register(void)
{
    uint64_t t;

    run_vp(0, 0, 0);
    CU_ASSERT_TRUE(vti_pal_intercept_target(&pal, HOST_IVA, &t));
    CU_ASSERT_EQUAL(t, HOST_IVA + 0x6100);
    CU_ASSERT_EQUAL(call(269, VPD_B, HOST_IVA, HANDLER, NULL),
                    VTI_PAL_STATUS_INVALID);        /* never created */
    CU_ASSERT_EQUAL(call(269, VPD_A, HOST_IVA + 0x8000, HANDLER, NULL), 0);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], HOST_IVA + 0x8000);
    CU_ASSERT_TRUE(vti_pal_intercept_target(&pal, HOST_IVA, &t));
    CU_ASSERT_EQUAL(t, HANDLER);
}

static void test_vti_pal_restore(void)
{
    reset();
    enter_env();
    vpd_setup(VPD_A, VTI_VAC_A_FROM_PSR, VTI_VDC_D_VMSW);
    poke(VPD_A + VTI_VPD_VPSR, 0x1234);
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL), 0);
    CU_ASSERT_FALSE(vti_pal_vmsw_disabled(&pal));   /* not current yet */
    CU_ASSERT_EQUAL(call(270, VPD_B, 0, 0, NULL), VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(270, VPD_A, 0, 0, NULL), 0);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), VPD_A);
    CU_ASSERT_EQUAL(pal.held.vpsr, 0x1234);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], HOST_IVA);
    CU_ASSERT_TRUE(vti_pal_vmsw_disabled(&pal));
    CU_ASSERT_EQUAL(env_vmsw, 1);               /* pushed to the executor */
    CU_ASSERT_EQUAL(env_cause, 1);
    CU_ASSERT_EQUAL(env_opcode, 1);
    CU_ASSERT_TRUE(vti_pal_disabled(&pal, VTI_VDC_D_VMSW));
    CU_ASSERT_FALSE(vti_pal_disabled(&pal, VTI_VDC_D_ITM));
    CU_ASSERT_EQUAL(vti_pal_vac(&pal), VTI_VAC_A_FROM_PSR);
    CU_ASSERT_TRUE(vti_pal_handoff_opcode(&pal));
}

static void test_vti_pal_save(void)
{
    run_vp(0, 0, 0);
    pal.held.vcr[VTI_VCR_IFA] = 0xfeed;
    CU_ASSERT_EQUAL(call(271, VPD_B, 0, 0, NULL), VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(peek(VPD_A + VTI_VPD_VCR_OFF(VTI_VCR_IFA)), 0);
    CU_ASSERT_EQUAL(call(271, VPD_A, 0, 0, NULL), 0);
    CU_ASSERT_EQUAL(peek(VPD_A + VTI_VPD_VCR_OFF(VTI_VCR_IFA)), 0xfeed);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), 0);
    /* not current any more: a second save is an invalid argument */
    CU_ASSERT_EQUAL(call(271, VPD_A, 0, 0, NULL), VTI_PAL_STATUS_INVALID);
}

static void test_vti_pal_terminate(void)
{
    run_vp(0, 0, 0);
    CU_ASSERT_EQUAL(call(272, VPD_B, 0, 0, NULL), VTI_PAL_STATUS_INVALID);
    CU_ASSERT_EQUAL(call(272, VPD_A, HOST_IVA + 1, 0, NULL),
                    VTI_PAL_STATUS_INVALID);
    m.cr[VTI_PAL_CR_IVA] = 0x1111;
    CU_ASSERT_EQUAL(call(272, VPD_A, 0, 0, NULL), 0);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], 0x1111);  /* iva 0: unchanged */
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), 0);
    CU_ASSERT_EQUAL(call(270, VPD_A, 0, 0, NULL), VTI_PAL_STATUS_INVALID);
    /* create again, terminate with an IVT */
    CU_ASSERT_EQUAL(call(265, VPD_A, HOST_IVA, 0, NULL), 0);
    CU_ASSERT_EQUAL(call(272, VPD_A, HOST_IVA, 0, NULL), 0);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], HOST_IVA);
}

/* ---- services ---------------------------------------------------------- */

static void test_vti_pal_service_at(void)
{
    enum vti_pal_id id;

    reset();
    CU_ASSERT_FALSE(vti_pal_service_at(&pal, ENV_VA, &id));
    enter_env();
    CU_ASSERT_TRUE(vti_pal_service_at(&pal, ENV_VA, &id));
    CU_ASSERT_EQUAL(id, VTI_PAL_VPS_RESUME_NORMAL);
    CU_ASSERT_TRUE(vti_pal_service_at(&pal, ENV_VA + 0x1400, &id));
    CU_ASSERT_EQUAL(id, VTI_PAL_VPS_THASH);
    CU_ASSERT_TRUE(vti_pal_service_at(&pal, ENV_VA + 0x2000, &id));
    CU_ASSERT_EQUAL(id, VTI_PAL_VPS_SAVE);
    CU_ASSERT_FALSE(vti_pal_service_at(&pal, ENV_VA + 0x10, &id));
    CU_ASSERT_FALSE(vti_pal_service_at(&pal, ENV_VA + 0x2400, &id));
    CU_ASSERT_FALSE(vti_pal_service_at(&pal, ENV_VA - 0x400, &id));
}

static void test_vti_pal_resume_normal(void)
{
    struct vti_pal_outcome o;

    run_vp(VTI_VAC_A_FROM_PSR, 0, VTI_PAL_PSR_IC);
    m.cr[VTI_PAL_CR_IIP] = GUEST_IP;
    m.cr[VTI_PAL_CR_IPSR] = VTI_PAL_PSR_IC | VTI_PAL_PSR_BN;
    svc(VTI_PAL_VPS_RESUME_NORMAL, 0x9999, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_RESUME);
    CU_ASSERT_EQUAL(o.target, GUEST_IP);
    CU_ASSERT_EQUAL(o.psr, VTI_PAL_PSR_IC | VTI_PAL_PSR_BN | VTI_PAL_PSR_VM);
    CU_ASSERT_EQUAL(m.br[0], 0x9999);
    CU_ASSERT_EQUAL(o.cycles, cfg.pal_cost[VTI_PAL_VPS_RESUME_NORMAL]);
    /* PSR.bn = 1, another VPD, a service PSR with ic = 1: undefined */
    m.br[0] = 0;
    m.psr = SVC_PSR | VTI_PAL_PSR_BN;
    svc(VTI_PAL_VPS_RESUME_NORMAL, 0x9999, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    CU_ASSERT_PTR_NOT_NULL(o.why);
    CU_ASSERT_EQUAL(m.br[0], 0);
    m.psr = SVC_PSR;
    svc(VTI_PAL_VPS_RESUME_NORMAL, 0x9999, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    m.psr = SVC_PSR | VTI_PAL_PSR_IC;
    svc(VTI_PAL_VPS_RESUME_NORMAL, 0x9999, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    /* vpsr.ic = 0 with an acceleration on: RESUME_HANDLER's case */
    m.psr = SVC_PSR;
    pal.held.vpsr = 0;
    svc(VTI_PAL_VPS_RESUME_NORMAL, 0x9999, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    CU_ASSERT_EQUAL(pal.errors[VTI_PAL_VPS_RESUME_NORMAL], 4);
}

static void test_vti_pal_resume_handler(void)
{
    struct vti_pal_outcome o;
    uint64_t vac = VTI_VAC_A_COVER | VTI_VAC_A_FROM_INT_CR;

    run_vp(vac, 0, 0);
    m.cr[VTI_PAL_CR_IIP] = GUEST_IP;
    svc(VTI_PAL_VPS_RESUME_HANDLER, 1, VPD_A, vac | (1ull << 63), 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_RESUME);
    CU_ASSERT_TRUE(o.cfle);
    CU_ASSERT_EQUAL(o.target, GUEST_IP);
    CU_ASSERT_EQUAL(o.psr & VTI_PAL_PSR_VM, VTI_PAL_PSR_VM);
    svc(VTI_PAL_VPS_RESUME_HANDLER, 1, VPD_A, vac, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_RESUME);
    CU_ASSERT_FALSE(o.cfle);
    /* vac in GR26 differs from the VPD's: undefined (2:492) */
    svc(VTI_PAL_VPS_RESUME_HANDLER, 1, VPD_A, VTI_VAC_A_COVER, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    /* vpsr.ic = 1: RESUME_NORMAL's case */
    pal.held.vpsr = VTI_PAL_PSR_IC;
    svc(VTI_PAL_VPS_RESUME_HANDLER, 1, VPD_A, vac, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
}

static void test_vti_pal_sync(void)
{
    struct vti_pal_outcome o;

    run_vp(VTI_VAC_A_FROM_CPUID, 0, 0);
    /* the VMM writes the VPD: invisible until SYNC_WRITE */
    poke(VPD_A + VTI_VPD_VCPUID + 8, 0xC0FFEE);
    CU_ASSERT_EQUAL(pal.held.vcpuid[1], 0);
    svc(VTI_PAL_VPS_SYNC_WRITE, RET_VA, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(o.target, RET_VA);
    CU_ASSERT_EQUAL(pal.held.vcpuid[1], 0xC0FFEE);
    /* accelerated state reaches the VPD only by SYNC_READ */
    pal.held.vcr[VTI_VCR_IIPA] = 0xABC;
    CU_ASSERT_EQUAL(peek(VPD_A + VTI_VPD_VCR_OFF(VTI_VCR_IIPA)), 0);
    svc(VTI_PAL_VPS_SYNC_READ, RET_VA, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(peek(VPD_A + VTI_VPD_VCR_OFF(VTI_VCR_IIPA)), 0xABC);
    /* errors: not the current VPD; an unsupported vac written */
    svc(VTI_PAL_VPS_SYNC_READ, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    svc(VTI_PAL_VPS_SYNC_WRITE, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    poke(VPD_A + VTI_VPD_VAC, 1ull << 40);
    svc(VTI_PAL_VPS_SYNC_WRITE, RET_VA, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    CU_ASSERT_EQUAL(pal.held.vac, VTI_VAC_A_FROM_CPUID);
    /* services outside the environment */
    reset();
    svc(VTI_PAL_VPS_SYNC_READ, RET_VA, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
}

static void test_vti_pal_pending_interrupt(void)
{
    struct vti_pal_outcome o;

    run_vp(VTI_VAC_A_INT, 0, VTI_PAL_PSR_I | VTI_PAL_PSR_IC);
    CU_ASSERT_FALSE(vti_pal_virq_pending(&pal));
    poke(VPD_A + VTI_VPD_VHPI, 5);          /* vector class 5 */
    CU_ASSERT_FALSE(vti_pal_virq_pending(&pal));    /* not told yet */
    svc(VTI_PAL_VPS_SET_PENDING_INTERRUPT, RET_VA, VPD_A, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_TRUE(vti_pal_virq_pending(&pal));
    pal.held.vcr[VTI_VCR_TPR] = 5 << 4;     /* mic = 5 masks class 5 */
    CU_ASSERT_FALSE(vti_pal_virq_pending(&pal));
    pal.held.vhpi = VTI_VHPI_NMI;           /* NMI ignores TPR */
    CU_ASSERT_TRUE(vti_pal_virq_pending(&pal));
    pal.held.vpsr &= ~VTI_PAL_PSR_I;
    CU_ASSERT_FALSE(vti_pal_virq_pending(&pal));
    svc(VTI_PAL_VPS_SET_PENDING_INTERRUPT, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
}

static void test_vti_pal_thash_ttag(void)
{
    struct vti_pal_outcome o;
    uint64_t rr = (0x123456ull << 8) | (14u << 2);  /* rid, 16-KiB pages */
    uint64_t pta = 0xE000000000100000ull | (1u << 8) | (20u << 2) | 1;
    uint64_t va = 0x2000000012345678ull;
    uint64_t h;
    unsigned i;

    reset();
    enter_env();
    svc(VTI_PAL_VPS_THASH, RET_VA, va, rr, pta, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(o.target, RET_VA);
    h = m.gr[31];
    CU_ASSERT_EQUAL(h, vti_pal_thash(va, rr, pta));
    /* inside the 1-MiB table, 32-byte entries, region bits of va unused */
    CU_ASSERT_EQUAL(h & ~0xFFFFFull, 0xE000000000100000ull);
    CU_ASSERT_EQUAL(h & 31, 0);
    CU_ASSERT_EQUAL(vti_pal_thash(va ^ (5ull << 61), rr, pta), h);
    svc(VTI_PAL_VPS_TTAG, RET_VA, va, rr, 0, &o);
    CU_ASSERT_EQUAL(m.gr[31], vti_pal_ttag(va, rr));
    CU_ASSERT_EQUAL(m.gr[31] >> 63, 0);
    /* (hash, tag) identifies (rid, vpn): different pages never collide */
    srand(7);
    for (i = 0; i < 20000; i++) {
        uint64_t va2 = ((uint64_t)rand() << 33 ^ (uint64_t)rand() << 14) &
                       ((1ull << 61) - 1);
        uint64_t rr2 = ((uint64_t)(rand() & 0xffffff) << 8) | (14u << 2);
        bool same = (va2 >> 14) == ((va & ((1ull << 61) - 1)) >> 14) &&
                    ((rr2 >> 8) & 0xffffff) == 0x123456;

        if (!same) {
            CU_ASSERT(vti_pal_thash(va2, rr2, pta) != h ||
                      vti_pal_ttag(va2, rr2) != vti_pal_ttag(va, rr));
        }
    }
    /* PTA.vf = 0: the architected short format (4.1.5.3) */
    pta &= ~(1ull << 8);
    CU_ASSERT_EQUAL(vti_pal_thash(va, rr, pta),
                    (va & (7ull << 61)) | 0x100000ull |
                    ((((va & ((1ull << 61) - 1)) >> 14) << 3) & 0xFFFFF));
    /* a service entered with PSR.i = 1: undefined, GR31 untouched */
    m.gr[31] = 77;
    m.psr = SVC_PSR | VTI_PAL_PSR_I;
    svc(VTI_PAL_VPS_TTAG, RET_VA, va, rr, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    CU_ASSERT_EQUAL(m.gr[31], 77);
}

static void test_vti_pal_vps_restore_save(void)
{
    struct vti_pal_outcome o;

    run_vp(0, 0, 0);
    vpd_setup(VPD_B, VTI_VAC_A_COVER, 0);
    poke(VPD_B + VTI_VPD_VPSR, 0x55);
    CU_ASSERT_EQUAL(call(265, VPD_B, HOST_IVA + 0x8000, 0, NULL), 0);
    /* light-weight switch to B */
    svc(VTI_PAL_VPS_RESTORE, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), VPD_B);
    CU_ASSERT_EQUAL(pal.held.vpsr, 0x55);
    CU_ASSERT_EQUAL(m.cr[VTI_PAL_CR_IVA], HOST_IVA + 0x8000);
    svc(VTI_PAL_VPS_RESTORE, RET_VA, MEM_BASE + 0x60000, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), VPD_B);
    /* save without sync (GR26 = 1): the VPD keeps the old value */
    pal.held.vpsr = 0x66;
    svc(VTI_PAL_VPS_SAVE, RET_VA, VPD_B, 2, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);
    svc(VTI_PAL_VPS_SAVE, RET_VA, VPD_B, 1, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(peek(VPD_B + VTI_VPD_VPSR), 0x55);
    CU_ASSERT_EQUAL(vti_pal_current_vpd(&pal), 0);
    /* save with the implicit sync (GR26 = 0) */
    svc(VTI_PAL_VPS_RESTORE, RET_VA, VPD_B, 0, 0, &o);
    pal.held.vpsr = 0x77;
    svc(VTI_PAL_VPS_SAVE, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_BRANCH);
    CU_ASSERT_EQUAL(peek(VPD_B + VTI_VPD_VPSR), 0x77);
    svc(VTI_PAL_VPS_SAVE, RET_VA, VPD_B, 0, 0, &o);
    CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_UNDEFINED);   /* not current */
}

/* ---- accelerations ------------------------------------------------------ */

static struct ia64_insn insn(unsigned r1, unsigned r2, unsigned r3,
                             unsigned areg)
{
    struct ia64_insn in;

    memset(&in, 0, sizeof(in));
    in.r1 = (uint8_t)r1;
    in.r2 = (uint8_t)r2;
    in.r3 = (uint8_t)r3;
    in.areg = (uint8_t)areg;
    return in;
}

static void test_vti_pal_accel_int_cr(void)
{
    struct ia64_insn from = insn(9, 0, 0, VTI_VCR_IIP);
    struct ia64_insn to = insn(0, 10, 0, VTI_VCR_IFA);

    /* off: declined, nothing written */
    run_vp(0, 0, 0);
    m.gr[9] = 1;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_NO);
    CU_ASSERT_EQUAL(m.gr[9], 1);
    CU_ASSERT_EQUAL(pal.accel_declined, 1);
    /* on, vpsr.ic = 0: from the held vcr */
    run_vp(VTI_VAC_A_FROM_INT_CR | VTI_VAC_A_TO_INT_CR, 0, 0);
    pal.held.vcr[VTI_VCR_IIP] = GUEST_IP;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(m.gr[9], GUEST_IP);
    m.gr[10] = 0xF00;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 4, &to), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(pal.held.vcr[VTI_VCR_IFA], 0xF00);
    /* NaT source, a non-interruption CR, vpsr.ic = 1: declined */
    m.nat[10] = true;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 4, &to), VTI_ACCEL_NO);
    m.nat[10] = false;
    from.areg = VTI_VCR_ITM;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_NO);
    from.areg = 18;                             /* reserved CR18 */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_NO);
    from.areg = VTI_VCR_IIP;
    pal.held.vpsr = VTI_PAL_PSR_IC;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_NO);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 4, &to), VTI_ACCEL_NO);
    CU_ASSERT_EQUAL(pal.accel_done, 2);
}

static void test_vti_pal_accel_tpr(void)
{
    struct ia64_insn from = insn(9, 0, 0, VTI_VCR_TPR);
    struct ia64_insn to = insn(0, 10, 0, VTI_VCR_TPR);

    run_vp(0, 0, VTI_PAL_PSR_IC);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 4, &to), VTI_ACCEL_NO);
    run_vp(VTI_VAC_A_INT, 0, VTI_PAL_PSR_IC);
    m.gr[10] = 0x30;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 4, &to), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(pal.held.vcr[VTI_VCR_TPR], 0x30);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(m.gr[9], 0x30);
    from.areg = VTI_VCR_IVR;                    /* IVR left to the VMM */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &from), VTI_ACCEL_NO);
}

static void test_vti_pal_accel_psr_cpuid(void)
{
    struct ia64_insn psr = insn(9, 0, 0, 0);
    struct ia64_insn cpuid = insn(11, 0, 12, 0);

    run_vp(0, 0, 0);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 7, &psr), VTI_ACCEL_NO);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 23, &cpuid), VTI_ACCEL_NO);
    poke(VPD_A + VTI_VPD_VCPUID + 3 * 8, 0x1F0000);
    run_vp(VTI_VAC_A_FROM_PSR | VTI_VAC_A_FROM_CPUID, 0, ~0ull);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 7, &psr), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(m.gr[9], 0x18FFFFFFFFull);  /* {36:35} and {31:0} */
    pal.held.vcpuid[3] = 0x1F0000;
    m.gr[12] = 0x103;                           /* index = bits 7:0 = 3 */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 23, &cpuid), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(m.gr[11], 0x1F0000);
    m.gr[12] = 5;                               /* beyond vcpuid[] */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 23, &cpuid), VTI_ACCEL_NO);
    psr.r1 = 0;                                 /* writes r0 */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 7, &psr), VTI_ACCEL_NO);
}

static void test_vti_pal_accel_cover(void)
{
    struct ia64_insn in = insn(0, 0, 0, 0);

    run_vp(0, 0, 0);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 36, &in), VTI_ACCEL_NO);
    run_vp(VTI_VAC_A_COVER, 0, 0);
    m.cfm = 0x1234;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 36, &in), VTI_ACCEL_NATIVE);
    CU_ASSERT_EQUAL(pal.held.vcr[VTI_VCR_IFS], (1ull << 63) | 0x1234);
    pal.held.vpsr = VTI_PAL_PSR_IC;             /* ic = 1: IFS unchanged */
    m.cfm = 0x99;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 36, &in), VTI_ACCEL_NATIVE);
    CU_ASSERT_EQUAL(pal.held.vcr[VTI_VCR_IFS], (1ull << 63) | 0x1234);
    /* with the executor's cover callback the model completes it */
    covers = 0;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu_cover, 36, &in),
                    VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(covers, 1);
}

static void test_vti_pal_accel_bsw(void)
{
    struct ia64_insn in = insn(0, 0, 0, 0);
    unsigned i;

    run_vp(0, 0, VTI_PAL_PSR_BN);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 38, &in), VTI_ACCEL_NO);
    run_vp(VTI_VAC_A_BSW, 0, VTI_PAL_PSR_BN);
    for (i = 0; i < 16; i++) {
        m.gr[16 + i] = 0x100 + i;               /* guest bank 1 */
        pal.held.vbgr[i] = 0x200 + i;           /* guest bank 0 */
    }
    m.nat[20] = true;
    pal.held.vbnat = 1ull << 17;
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 38, &in), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(pal.held.vpsr & VTI_PAL_PSR_BN, 0);
    for (i = 0; i < 16; i++) {
        CU_ASSERT_EQUAL(m.gr[16 + i], 0x200 + i);
        CU_ASSERT_EQUAL(pal.held.vgr[i], 0x100 + i);
        CU_ASSERT_EQUAL(m.nat[16 + i], i == 1);
    }
    CU_ASSERT_EQUAL(pal.held.vnat, 1ull << 20);
    /* bsw.0 again: no-op; bsw.1 swaps back */
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 38, &in), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(m.gr[16], 0x200);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 39, &in), VTI_ACCEL_DONE);
    CU_ASSERT_EQUAL(pal.held.vpsr & VTI_PAL_PSR_BN, VTI_PAL_PSR_BN);
    for (i = 0; i < 16; i++) {
        CU_ASSERT_EQUAL(m.gr[16 + i], 0x100 + i);
        CU_ASSERT_EQUAL(pal.held.vbgr[i], 0x200 + i);
        CU_ASSERT_EQUAL(m.nat[16 + i], i == 4);
    }
}

static void test_vti_pal_accel_no_vp(void)
{
    struct ia64_insn in = insn(9, 0, 0, VTI_VCR_IIP);

    reset();
    enter_env();
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, &in), VTI_ACCEL_NO);
    CU_ASSERT_EQUAL(vti_vpd_accel(&pal, &cpu, 5, NULL), VTI_ACCEL_NO);
    CU_ASSERT_FALSE(vti_pal_vmsw_disabled(&pal));
    CU_ASSERT_FALSE(vti_pal_virq_pending(&pal));
    CU_ASSERT_EQUAL(vti_pal_vac(&pal), 0);
}

/* ---- hostile input ------------------------------------------------------ */

static uint64_t rnd64(void)
{
    return (uint64_t)rand() << 62 ^ (uint64_t)rand() << 31 ^
           (uint64_t)rand();
}

/* Interesting values: near the mock memory, aligned or not, or random. */
static uint64_t rnd_arg(void)
{
    switch (rand() % 6) {
    case 0:
        return 0;
    case 1:
        return MEM_BASE + ((uint64_t)(rand() % 8) << 16);
    case 2:
        return MEM_BASE + (uint64_t)(rand() % (MEM_SIZE + 0x1000));
    case 3:
        return (uint64_t)(rand() % 1024);
    case 4:
        return ~0ull - (uint64_t)(rand() % 0x10000);
    default:
        return rnd64();
    }
}

static void test_vti_pal_random(void)
{
    struct vti_pal_outcome o;
    unsigned i;
    unsigned j;

    reset();
    srand(12345);
    for (i = 0; i < 200000; i++) {
        if (i % 5000 == 0) {
            /* now and then a sane environment and VP to get deeper */
            run_vp(rnd64() & VTI_VAC_DEFINED, rnd64() & VTI_VDC_DEFINED &
                   ~VTI_VDC_D_EXTINT, rnd64());
        }
        for (j = 0; j < 128; j++) {
            if (rand() % 4 == 0) {
                m.gr[j] = rnd_arg();
                m.nat[j] = rand() % 16 == 0;
            }
        }
        if (rand() % 8 == 0) {
            size_t off = (size_t)(rand() % (MEM_SIZE - 8));

            poke(MEM_BASE + off, rnd_arg());
        }
        m.psr = rand() % 4 == 0 ? rnd64() : SVC_PSR;
        switch (rand() % 3) {
        case 0:
            m.gr[28] = rand() % 2 ? 265 + (uint64_t)(rand() % 8) : rnd64();
            m.gr[32] = rand() % 8 ? m.gr[28] : rnd64();
            vti_pal_proc(&pal, &cpu, &o);
            CU_ASSERT(o.status == 0 || o.status == -1 || o.status == -2 ||
                      o.status == -3);
            CU_ASSERT_EQUAL(o.next, VTI_PAL_NEXT_RETURN);
            break;
        case 1:
            vti_pal_service(&pal, &cpu, (enum vti_pal_id)(rand() % 20), &o);
            CU_ASSERT(o.next != VTI_PAL_NEXT_RETURN);
            CU_ASSERT(o.next != VTI_PAL_NEXT_UNDEFINED || o.why != NULL);
            break;
        default: {
            struct ia64_insn in = insn((unsigned)(rand() % 256),
                                       (unsigned)(rand() % 256),
                                       (unsigned)(rand() % 256),
                                       (unsigned)(rand() % 256));

            (void)vti_vpd_accel(&pal, &cpu, (unsigned)(rand() % 64), &in);
            break;
        }
        }
        (void)vti_pal_virq_pending(&pal);
        CU_ASSERT(pal.cur >= -1 && pal.cur < VTI_PAL_MAX_VPS);
    }
}

static void test_vti_pal_stats(void)
{
    struct sim_stats *s = sim_stats_new();
    double v = -1;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    reset();
    CU_ASSERT_EQUAL(vti_pal_stats(&pal, s, "cpu0.pal"), 0);
    enter_env();
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.pal.vp_init_env.calls", &v), 0);
    CU_ASSERT_EQUAL(v, 1);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.pal.vp_init_env.cycles", &v),
                    0);
    CU_ASSERT_EQUAL(v, (double)cfg.pal_cost[VTI_PAL_VP_INIT_ENV]);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.pal.accel.done", &v), 0);
    sim_stats_free(s);
}

int test_vti_pal_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } t[] = {
        { "table", test_vti_pal_table },
        { "cfg", test_vti_pal_cfg },
        { "vp_env_info", test_vti_pal_env_info },
        { "unknown_index", test_vti_pal_unknown_index },
        { "vp_init_env", test_vti_pal_init_env },
        { "vp_exit_env", test_vti_pal_exit_env },
        { "vp_create", test_vti_pal_create },
        { "vp_register", test_vti_pal_vp_register },
        { "vp_restore", test_vti_pal_restore },
        { "vp_save", test_vti_pal_save },
        { "vp_terminate", test_vti_pal_terminate },
        { "service_at", test_vti_pal_service_at },
        { "vps_resume_normal", test_vti_pal_resume_normal },
        { "vps_resume_handler", test_vti_pal_resume_handler },
        { "vps_sync_read_write", test_vti_pal_sync },
        { "vps_set_pending_interrupt", test_vti_pal_pending_interrupt },
        { "vps_thash_ttag", test_vti_pal_thash_ttag },
        { "vps_restore_save", test_vti_pal_vps_restore_save },
        { "accel_int_cr", test_vti_pal_accel_int_cr },
        { "accel_tpr", test_vti_pal_accel_tpr },
        { "accel_psr_cpuid", test_vti_pal_accel_psr_cpuid },
        { "accel_cover", test_vti_pal_accel_cover },
        { "accel_bsw", test_vti_pal_accel_bsw },
        { "accel_no_vp", test_vti_pal_accel_no_vp },
        { "random_arguments", test_vti_pal_random },
        { "stats", test_vti_pal_stats },
    };
    CU_pSuite s = CU_add_suite("vti_pal", NULL, NULL);
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (CU_add_test(s, t[i].name, t[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
