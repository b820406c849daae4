/*
 * vti_pal.c - the PAL virtualization procedures and services of VT-i and
 * the VPD accelerations, as a C model driven by the IA-64 executor through
 * struct vti_cpu (vti_pal.h).
 *
 * Follows Intel Itanium Architecture SDM rev 2.3, Vol. 2 Part I 11.7,
 * 11.10 and 11.11 (pages 2:471-2:500) and the reference sections C1-C6;
 * every number is cited where it is used.
 *
 * Decisions where the SDM leaves the choice to the implementation or
 * where its text was not available (each marked [A] at its use):
 *   - vsa_base is the virtual base of the environment buffer (the services
 *     occupy its first 0x2400 bytes); the buffer size reported by
 *     PAL_VP_ENV_INFO is the [vti] env_buffer_bytes key.
 *   - Arguments named "Reserved" are ignored, not checked for zero.
 *   - A procedure whose pointer argument cannot be read or written returns
 *     invalid argument (-2); a procedure called outside the environment
 *     (before PAL_VP_INIT_ENV) returns call completed with error (-3); a
 *     full VP table returns -3.
 *   - Services whose SDM outcome is "undefined" (wrong VPD, PSR
 *     preconditions of C5 not met, RESUME_HANDLER's vac mismatch) change
 *     nothing and report VTI_PAL_NEXT_UNDEFINED.
 *   - The result of PAL_VPS_THASH / PAL_VPS_TTAG is returned in GR31, as
 *     KVM/ia64's ia64_call_vsa() reads it ("mov r8=r31") [LX-kvm
 *     vmm_ivt.S]; the SDM service pages were not read.
 *   - NaT bits of vgr/vbgr are kept at bit n of vnat/vbnat for GRn
 *     (n = 16..31).
 *
 * Approximations: one logical processor per struct vti_pal; the
 * performance-counter re-enabling of fr_pmc and the gitc option are
 * recorded, not modelled; pal_proc_vector of PAL_VP_RESTORE is ignored;
 * the IVR read and EOI write of a_int are left to the VMM (only TPR is
 * accelerated); the CFLE bit of RESUME_HANDLER is passed through to the
 * executor, not interpreted.
 */
#include "vti_pal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"
#include "sim/sim_stats.h"

/* ---- the table ---------------------------------------------------------- */

const struct vti_pal_info vti_pal_info[VTI_PAL__COUNT] = {
#define VTI_PAL(n, k, num, na, key, cyc, desc) \
    [VTI_PAL_##n] = { "PAL_" #n, #key, (num), VTI_PAL_KIND_##k, (na) },
#include "vti_pal.def"
#undef VTI_PAL
};

bool vti_pal_lookup_proc(uint64_t index, enum vti_pal_id *out)
{
    switch (index) {
#define VTI_PAL_KIND_MATCH_PROC(n, num) case (num): *out = VTI_PAL_##n; \
                                        return true;
#define VTI_PAL_KIND_MATCH_SVC(n, num)
#define VTI_PAL(n, k, num, na, key, cyc, desc) \
    VTI_PAL_KIND_MATCH_##k(n, num)
#include "vti_pal.def"
#undef VTI_PAL
#undef VTI_PAL_KIND_MATCH_PROC
#undef VTI_PAL_KIND_MATCH_SVC
    default:
        return false;
    }
}

bool vti_pal_lookup_svc(uint64_t offset, enum vti_pal_id *out)
{
    switch (offset) {
#define VTI_PAL_KIND_MATCH_SVC(n, num) case (num): *out = VTI_PAL_##n; \
                                       return true;
#define VTI_PAL_KIND_MATCH_PROC(n, num)
#define VTI_PAL(n, k, num, na, key, cyc, desc) \
    VTI_PAL_KIND_MATCH_##k(n, num)
#include "vti_pal.def"
#undef VTI_PAL
#undef VTI_PAL_KIND_MATCH_PROC
#undef VTI_PAL_KIND_MATCH_SVC
    default:
        return false;
    }
}

/* ---- config ------------------------------------------------------------- */

const struct sim_cfg_key vti_cfg_keys[] = {
#define VTI_PAL(n, k, num, na, key, cyc, desc) \
    SIM_CFG_KEY(struct vti_cfg, key, U64, pal_cost[VTI_PAL_##n], cyc, 0, \
                1000000, "cycles", NULL, desc)
#include "vti_pal.def"
#undef VTI_PAL
#define VTI_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct vti_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "vti_cfg.def"
#undef VTI_CFG
    SIM_CFG_END
};

int vti_cfg_validate(struct sim_cfg *cfg, const char *section,
                     const void *loaded)
{
    const struct vti_cfg *v = loaded;

    if (v->env_buffer_bytes % VTI_PAL_ENV_ALIGN != 0) {
        return sim_cfg_error(cfg, section, "env_buffer_bytes",
                             "%llu is not a multiple of 4096 (the buffer "
                             "is mapped in 4-KiB pages)",
                             (unsigned long long)v->env_buffer_bytes);
    }
    return 0;
}

void vti_cfg_defaults(struct vti_cfg *out)
{
    memset(out, 0, sizeof(*out));
#define VTI_PAL(n, k, num, na, key, cyc, desc) \
    out->pal_cost[VTI_PAL_##n] = strtoull(cyc, NULL, 0);
#include "vti_pal.def"
#undef VTI_PAL
#define VTI_CFG(n, t, m, d, lo, hi, u, ch, desc) out->m = strtoull(d, NULL, 0);
#include "vti_cfg.def"
#undef VTI_CFG
}

/* ---- state -------------------------------------------------------------- */

void vti_pal_init(struct vti_pal *p, const struct vti_cfg *cfg,
                  struct vti_env *env)
{
    memset(p, 0, sizeof(*p));
    p->cfg = *cfg;
    p->env = env != NULL ? env : &p->own_env;
    p->vm_enabled = true;
    p->cur = -1;
}

int vti_pal_stats(struct vti_pal *p, struct sim_stats *s, const char *obj)
{
    static const char *const what[3] = { "calls", "cycles", "errors" };
    static const char *const desc[3] = {
        "times invoked", "modelled cycles charged",
        "calls ending with a nonzero status or an undefined outcome"
    };
    char metric[96];
    unsigned i;
    unsigned k;
    int rc;

    for (i = 0; i < VTI_PAL__COUNT; i++) {
        const uint64_t *ctr[3] = { &p->calls[i], &p->cycles[i],
                                   &p->errors[i] };

        for (k = 0; k < 3; k++) {
            snprintf(metric, sizeof(metric), "%s.%s",
                     vti_pal_info[i].cost_key, what[k]);
            rc = sim_stat_counter(s, obj, metric,
                                  k == 1 ? "cycles" : "", desc[k], ctr[k]);
            if (rc != 0) {
                return rc;
            }
        }
    }
    rc = sim_stat_counter(s, obj, "accel.done", "",
                          "virtualized instructions completed from the VPD",
                          &p->accel_done);
    if (rc == 0) {
        rc = sim_stat_counter(s, obj, "accel.declined", "",
                              "virtualization faults not accelerated "
                              "(delivered to the VMM)", &p->accel_declined);
    }
    return rc;
}

static struct vti_vp *cur_vp(const struct vti_pal *p)
{
    if (p->cur < 0 || p->cur >= VTI_PAL_MAX_VPS ||
        !p->env->vp[p->cur].used) {
        return NULL;
    }
    return &p->env->vp[p->cur];
}

static int find_vp(const struct vti_env *e, uint64_t vpd)
{
    int i;

    for (i = 0; i < VTI_PAL_MAX_VPS; i++) {
        if (e->vp[i].used && e->vp[i].vpd == vpd) {
            return i;
        }
    }
    return -1;
}

/* Tell the executor the controls it applies itself (vti_cpu.set_vm_env). */
static void push_vm_env(const struct vti_pal *p, const struct vti_cpu *c)
{
    if (c->set_vm_env != NULL) {
        c->set_vm_env(c->ctx, vti_pal_handoff_cause(p),
                      vti_pal_handoff_opcode(p), vti_pal_vmsw_disabled(p));
    }
}

/* ---- held state <-> VPD -------------------------------------------------- */

static int rd64(const struct vti_cpu *c, uint64_t va, uint64_t *v)
{
    return c->read_mem(c->ctx, va, v, sizeof(*v));
}

/* The held fields and where they live in the VPD [C6]. */
#define HELD_FIELDS(X)                                          \
    X(vac, VTI_VPD_VAC, 1)                                      \
    X(vdc, VTI_VPD_VDC, 1)                                      \
    X(virt_env_vaddr, VTI_VPD_VIRT_ENV_VADDR, 1)                \
    X(vhpi, VTI_VPD_VHPI, 1)                                    \
    X(vgr, VTI_VPD_VGR, VTI_VPD_NGR)                            \
    X(vbgr, VTI_VPD_VBGR, VTI_VPD_NGR)                          \
    X(vnat, VTI_VPD_VNAT, 1)                                    \
    X(vbnat, VTI_VPD_VBNAT, 1)                                  \
    X(vcpuid, VTI_VPD_VCPUID, VTI_VPD_NCPUID)                   \
    X(vpsr, VTI_VPD_VPSR, 1)                                    \
    X(vpr, VTI_VPD_VPR, 1)                                      \
    X(vrse, VTI_VPD_VRSE_CFLE, 1)                               \
    X(vcr, VTI_VPD_VCR, VTI_VPD_NCR)

/* Load every held field from the VPD at `vpd` into *h.  -1 if any part
 * is unreadable (then *h is unchanged). */
static int held_load(const struct vti_cpu *c, uint64_t vpd,
                     struct vti_held *h)
{
    struct vti_held t;

#define LOAD(f, off, n) \
    if (c->read_mem(c->ctx, vpd + (off), (void *)&t.f, 8u * (n)) != 0) { \
        return -1;                                                       \
    }
    HELD_FIELDS(LOAD)
#undef LOAD
    *h = t;
    return 0;
}

/* Store every held field into the VPD at `vpd`. */
static int held_store(const struct vti_cpu *c, uint64_t vpd,
                      const struct vti_held *h)
{
#define STORE(f, off, n) \
    if (c->write_mem(c->ctx, vpd + (off), (const void *)&h->f,           \
                     8u * (n)) != 0) {                                   \
        return -1;                                                       \
    }
    HELD_FIELDS(STORE)
#undef STORE
    return 0;
}

/* vac/vdc combinations PAL accepts (IA64-SDM 2:471: "Invalid argument is
 * returned on unsupported vac/vdc combinations"): no reserved bit, and not
 * a_int with d_extint [C6]. */
static bool vac_vdc_ok(uint64_t vac, uint64_t vdc)
{
    if ((vac & ~VTI_VAC_DEFINED) != 0 || (vdc & ~VTI_VDC_DEFINED) != 0) {
        return false;
    }
    return !((vac & VTI_VAC_A_INT) && (vdc & VTI_VDC_D_EXTINT));
}

/* ---- procedures ---------------------------------------------------------- */

/* Arguments in0..in3 of the stacked convention: GR32-GR35. */
struct proc_args {
    uint64_t in[4];
};

static int64_t proc_env_info(struct vti_pal *p, const struct vti_cpu *c,
                             const struct proc_args *a, uint64_t ret[3])
{
    (void)c;
    (void)a;
    ret[0] = p->cfg.env_buffer_bytes;       /* buffer_size */
    ret[1] = VTI_PAL_ENV_INFO_OPCODE;       /* vp_env_info */
    return VTI_PAL_STATUS_OK;
}

/* Whether the buffer [vbase, vbase + size) is mapped (first and last
 * byte readable). */
static bool buffer_mapped(const struct vti_cpu *c, uint64_t vbase,
                          uint64_t size)
{
    uint8_t b;

    return c->read_mem(c->ctx, vbase, &b, 1) == 0 &&
           c->read_mem(c->ctx, vbase + size - 1, &b, 1) == 0;
}

/* PAL_VP_INIT_ENV(config_options, pbase_addr, vbase_addr) -> vsa_base
 * (IA64-SDM 2:478: 4K-aligned shared buffer, the first LP initializes it,
 * the others enter without initializing). */
static int64_t proc_init_env(struct vti_pal *p, const struct vti_cpu *c,
                             const struct proc_args *a, uint64_t ret[3])
{
    struct vti_env *e = p->env;
    uint64_t opts = a->in[1];
    uint64_t pbase = a->in[2];
    uint64_t vbase = a->in[3];
    uint64_t size = p->cfg.env_buffer_bytes;

    if ((opts & ~VTI_PAL_OPT_DEFINED) != 0 ||
        pbase % VTI_PAL_ENV_ALIGN != 0 || vbase % VTI_PAL_ENV_ALIGN != 0 ||
        vbase == 0 || vbase + size < vbase) {
        return VTI_PAL_STATUS_INVALID;
    }
    if (!buffer_mapped(c, vbase, size)) {
        return VTI_PAL_STATUS_INVALID;      /* [A] TRs required, 2:478 */
    }
    if (opts & VTI_PAL_OPT_INITIALIZE) {
        if (e->initialized && e->lps > 0 &&
            (e->pbase != pbase || e->vbase != vbase)) {
            return VTI_PAL_STATUS_ERROR;    /* [A] other LPs use a buffer */
        }
        if (!e->initialized) {
            memset(e->vp, 0, sizeof(e->vp));
        }
        e->initialized = true;
        e->pbase = pbase;
        e->vbase = vbase;
        e->config_options = opts;
    } else if (!e->initialized) {
        return VTI_PAL_STATUS_ERROR;        /* [A] nobody initialized it */
    } else if (e->pbase != pbase || e->vbase != vbase) {
        return VTI_PAL_STATUS_INVALID;      /* [A] one buffer per env */
    }
    if (!p->in_env) {
        e->lps++;
    }
    p->in_env = true;
    p->config_options = opts;
    ret[0] = e->vbase;                      /* vsa_base [A] */
    return VTI_PAL_STATUS_OK;
}

/* PAL_VP_EXIT_ENV(iva): this LP leaves the environment; IVA <- iva when
 * non-zero [C4]. */
static int64_t proc_exit_env(struct vti_pal *p, const struct vti_cpu *c,
                             const struct proc_args *a, uint64_t ret[3])
{
    struct vti_env *e = p->env;

    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    if (a->in[1] != 0 && a->in[1] % VTI_PAL_IVT_ALIGN != 0) {
        return VTI_PAL_STATUS_INVALID;
    }
    p->in_env = false;
    p->cur = -1;
    memset(&p->held, 0, sizeof(p->held));
    if (e->lps > 0 && --e->lps == 0) {
        e->initialized = false;             /* [A] last LP frees it */
        memset(e->vp, 0, sizeof(e->vp));
    }
    if (a->in[1] != 0) {
        c->set_cr(c->ctx, VTI_PAL_CR_IVA, a->in[1]);
    }
    return VTI_PAL_STATUS_OK;
}

/* Common checks of (vpd, host_iva, opt_handler) for CREATE and REGISTER:
 * the VPD 64-KiB aligned (vti_vpd.h), the IVT 32-KiB aligned [C1], the
 * handler bundle aligned. */
static bool vp_args_ok(uint64_t vpd, uint64_t iva, uint64_t handler)
{
    return vpd != 0 && vpd % VTI_VPD_ALIGN == 0 && vpd + VTI_VPD_SIZE > vpd &&
           iva != 0 && iva % VTI_PAL_IVT_ALIGN == 0 &&
           handler % IA64_BUNDLE_BYTES == 0;
}

/* PAL_VP_CREATE(vpd, host_iva, opt_handler) (IA64-SDM 2:471): vac, vdc
 * and virt_env_vaddr must already be set in the VPD. */
static int64_t proc_create(struct vti_pal *p, const struct vti_cpu *c,
                           const struct proc_args *a, uint64_t ret[3])
{
    struct vti_env *e = p->env;
    uint64_t vpd = a->in[1];
    uint64_t vac;
    uint64_t vdc;
    uint64_t env_va;
    int i;

    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    if (!vp_args_ok(vpd, a->in[2], a->in[3]) || find_vp(e, vpd) >= 0) {
        return VTI_PAL_STATUS_INVALID;
    }
    if (rd64(c, vpd + VTI_VPD_VAC, &vac) != 0 ||
        rd64(c, vpd + VTI_VPD_VDC, &vdc) != 0 ||
        rd64(c, vpd + VTI_VPD_VIRT_ENV_VADDR, &env_va) != 0) {
        return VTI_PAL_STATUS_INVALID;
    }
    if (!vac_vdc_ok(vac, vdc) || env_va != e->vbase) {
        return VTI_PAL_STATUS_INVALID;
    }
    for (i = 0; i < VTI_PAL_MAX_VPS; i++) {
        if (!e->vp[i].used) {
            e->vp[i].used = true;
            e->vp[i].vpd = vpd;
            e->vp[i].host_iva = a->in[2];
            e->vp[i].opt_handler = a->in[3];
            return VTI_PAL_STATUS_OK;
        }
    }
    return VTI_PAL_STATUS_ERROR;            /* [A] table full */
}

/* PAL_VP_REGISTER(vpd, host_iva, opt_handler) [C4]. */
static int64_t proc_register(struct vti_pal *p, const struct vti_cpu *c,
                             const struct proc_args *a, uint64_t ret[3])
{
    int i;

    (void)c;
    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    i = find_vp(p->env, a->in[1]);
    if (i < 0 || !vp_args_ok(a->in[1], a->in[2], a->in[3])) {
        return VTI_PAL_STATUS_INVALID;
    }
    p->env->vp[i].host_iva = a->in[2];
    p->env->vp[i].opt_handler = a->in[3];
    if (i == p->cur) {
        c->set_cr(c->ctx, VTI_PAL_CR_IVA, a->in[2]);
    }
    return VTI_PAL_STATUS_OK;
}

/* Make VP `i` current on this LP: load the held state from its VPD and
 * point IVA at its host IVT (IA64-SDM 2:362 Table 11-58 note a: PAL
 * virtualization procedures may program IVA).  -1 if the VPD is
 * unreadable or its vac/vdc are unsupported (nothing changed). */
static int vp_switch_in(struct vti_pal *p, const struct vti_cpu *c, int i)
{
    struct vti_held h;

    if (held_load(c, p->env->vp[i].vpd, &h) != 0 ||
        !vac_vdc_ok(h.vac, h.vdc)) {
        return -1;
    }
    p->held = h;
    p->cur = i;
    c->set_cr(c->ctx, VTI_PAL_CR_IVA, p->env->vp[i].host_iva);
    return 0;
}

/* PAL_VP_RESTORE(vpd, pal_proc_vector) [C4]. */
static int64_t proc_restore(struct vti_pal *p, const struct vti_cpu *c,
                            const struct proc_args *a, uint64_t ret[3])
{
    int i;

    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    i = find_vp(p->env, a->in[1]);
    if (i < 0 || vp_switch_in(p, c, i) != 0) {
        return VTI_PAL_STATUS_INVALID;
    }
    return VTI_PAL_STATUS_OK;
}

/* PAL_VP_SAVE(vpd) (IA64-SDM 2:484): implicit SYNC_READ; the VP is no
 * longer current; IVA is left alone. */
static int64_t proc_save(struct vti_pal *p, const struct vti_cpu *c,
                         const struct proc_args *a, uint64_t ret[3])
{
    const struct vti_vp *vp = cur_vp(p);

    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    if (vp == NULL || vp->vpd != a->in[1]) {
        return VTI_PAL_STATUS_INVALID;
    }
    if (held_store(c, vp->vpd, &p->held) != 0) {
        return VTI_PAL_STATUS_INVALID;
    }
    p->cur = -1;
    return VTI_PAL_STATUS_OK;
}

/* PAL_VP_TERMINATE(vpd, iva) (IA64-SDM 2:485): frees the VP; IVA <- iva
 * when non-zero. */
static int64_t proc_terminate(struct vti_pal *p, const struct vti_cpu *c,
                              const struct proc_args *a, uint64_t ret[3])
{
    int i;

    (void)ret;
    if (!p->in_env) {
        return VTI_PAL_STATUS_ERROR;
    }
    i = find_vp(p->env, a->in[1]);
    if (i < 0 || (a->in[2] != 0 && a->in[2] % VTI_PAL_IVT_ALIGN != 0)) {
        return VTI_PAL_STATUS_INVALID;
    }
    memset(&p->env->vp[i], 0, sizeof(p->env->vp[i]));
    if (p->cur == i) {
        p->cur = -1;
        memset(&p->held, 0, sizeof(p->held));
    }
    if (a->in[2] != 0) {
        c->set_cr(c->ctx, VTI_PAL_CR_IVA, a->in[2]);
    }
    return VTI_PAL_STATUS_OK;
}

typedef int64_t (*proc_fn)(struct vti_pal *, const struct vti_cpu *,
                           const struct proc_args *, uint64_t[3]);

static const proc_fn proc_handler[VTI_PAL__COUNT] = {
    [VTI_PAL_VP_CREATE] = proc_create,
    [VTI_PAL_VP_ENV_INFO] = proc_env_info,
    [VTI_PAL_VP_EXIT_ENV] = proc_exit_env,
    [VTI_PAL_VP_INIT_ENV] = proc_init_env,
    [VTI_PAL_VP_REGISTER] = proc_register,
    [VTI_PAL_VP_RESTORE] = proc_restore,
    [VTI_PAL_VP_SAVE] = proc_save,
    [VTI_PAL_VP_TERMINATE] = proc_terminate,
};

void vti_pal_proc(struct vti_pal *p, const struct vti_cpu *c,
                  struct vti_pal_outcome *out)
{
    struct proc_args a;
    enum vti_pal_id id;
    uint64_t index = c->get_gr(c->ctx, 28, NULL);
    unsigned i;

    memset(out, 0, sizeof(*out));
    out->next = VTI_PAL_NEXT_RETURN;
    out->id = VTI_PAL__COUNT;
    for (i = 0; i < 4; i++) {
        a.in[i] = c->get_gr(c->ctx, 32 + i, NULL);
    }
    if (!vti_pal_lookup_proc(index, &id) || proc_handler[id] == NULL) {
        out->status = VTI_PAL_STATUS_UNIMPL;
    } else {
        out->id = id;
        p->calls[id]++;
        out->cycles = p->cfg.pal_cost[id];
        if (!p->vm_enabled) {
            out->status = VTI_PAL_STATUS_UNIMPL;    /* IA64-SDM 2:484 */
        } else if (a.in[0] != index) {
            /* The index must be in GR28 and in0 [LX-pal]. [A] -2. */
            out->status = VTI_PAL_STATUS_INVALID;
        } else {
            out->status = proc_handler[id](p, c, &a, out->ret);
        }
        if (out->status != VTI_PAL_STATUS_OK) {
            p->errors[id]++;
            memset(out->ret, 0, sizeof(out->ret));
        }
        p->cycles[id] += out->cycles;
    }
    c->set_gr(c->ctx, 8, (uint64_t)out->status, false);
    for (i = 0; i < 3; i++) {
        c->set_gr(c->ctx, 9 + i, out->ret[i], false);
    }
    push_vm_env(p, c);
}

/* ---- services ----------------------------------------------------------- */

bool vti_pal_service_at(const struct vti_pal *p, uint64_t ip,
                        enum vti_pal_id *id)
{
    uint64_t base = vti_pal_vsa_base(p);

    if (base == 0 || ip < base || ip - base >= VTI_PAL_SVC_SPAN) {
        return false;
    }
    return vti_pal_lookup_svc(ip - base, id);
}

static void undefined(struct vti_pal_outcome *out, const char *why)
{
    out->next = VTI_PAL_NEXT_UNDEFINED;
    out->why = why;
}

/* PSR on entry to a service [C5]: vm, i, ic, be, cpl, is, ss, db, tb 0;
 * dt, rt, it 1. */
static bool svc_psr_ok(uint64_t psr)
{
    const uint64_t zero = VTI_PAL_PSR_VM | VTI_PAL_PSR_I | VTI_PAL_PSR_IC |
                          VTI_PAL_PSR_BE | VTI_PAL_PSR_CPL | VTI_PAL_PSR_IS |
                          VTI_PAL_PSR_SS | VTI_PAL_PSR_DB | VTI_PAL_PSR_TB;
    const uint64_t one = VTI_PAL_PSR_DT | VTI_PAL_PSR_RT | VTI_PAL_PSR_IT;

    return (psr & zero) == 0 && (psr & one) == one;
}

/* RESUME_NORMAL / RESUME_HANDLER (IA64-SDM 2:489, 2:492): GR24 is the
 * guest's BR0, GR25 the VPD, which must be the VP on this LP (another VP
 * needs PAL_VP_RESTORE first); PSR.bn must be 0.  The guest's IP, PSR and
 * frame are in CR.IIP, CR.IPSR, CR.IFS (set by the VMM as for an rfi
 * [LX-kvm ia64_leave_hypervisor]); the processor enters it with PSR.vm = 1
 * and the accelerations reading the held VPD state. */
static void svc_resume(struct vti_pal *p, const struct vti_cpu *c,
                       bool handler, struct vti_pal_outcome *out)
{
    const struct vti_vp *vp = cur_vp(p);
    uint64_t gr25 = c->get_gr(c->ctx, 25, NULL);
    bool vic = (p->held.vpsr & VTI_PAL_PSR_IC) != 0;

    if (c->get_psr(c->ctx) & VTI_PAL_PSR_BN) {
        undefined(out, "PAL_VPS_RESUME_* called with PSR.bn = 1");
        return;
    }
    if (vp == NULL || vp->vpd != gr25) {
        undefined(out, "PAL_VPS_RESUME_*: GR25 is not the VPD of the "
                       "virtual processor restored on this processor");
        return;
    }
    if (handler) {
        uint64_t gr26 = c->get_gr(c->ctx, 26, NULL);

        if (vic) {
            undefined(out, "PAL_VPS_RESUME_HANDLER with vpsr.ic = 1");
            return;
        }
        /* "Behavior is undefined if the vac in GR26 does not match the vac
         * field in the VPD" (2:492). */
        if ((gr26 & ~(1ull << 63)) != p->held.vac) {
            undefined(out, "PAL_VPS_RESUME_HANDLER: GR26 does not match "
                           "the VPD's vac");
            return;
        }
        out->cfle = (gr26 >> 63) != 0;
    } else if (!vic && (p->held.vac != 0 || p->held.vdc != 0)) {
        /* NORMAL with vpsr.ic = 0 only when every acceleration and
         * disable is off (2:489). */
        undefined(out, "PAL_VPS_RESUME_NORMAL with vpsr.ic = 0 and "
                       "accelerations or disables enabled");
        return;
    }
    c->set_br(c->ctx, 0, c->get_gr(c->ctx, 24, NULL));
    out->next = VTI_PAL_NEXT_RESUME;
    out->psr = c->get_cr(c->ctx, VTI_PAL_CR_IPSR) | VTI_PAL_PSR_VM;
    out->target = c->get_cr(c->ctx, VTI_PAL_CR_IIP);
}

/* The long-format VHPT hash of this model.  PAL_VPS_THASH computes what
 * thash would on the guest's PTA and region register; for PTA.vf = 1 the
 * SDM leaves the function to the implementation (thash, 3:265: "an
 * implementation-specific long format hash function"; it "must use all
 * implemented region bits and only virtual address bits {60:0}", and a
 * translation must be identified uniquely by (hash, ttag)).
 *
 * Field positions (Vol. 2 "Region Registers", "Page Table Address"):
 * RR.ps bits 7:2, RR.rid bits 31:8; PTA.size bits 7:2, PTA.vf bit 8,
 * PTA.base bits 63:15.  Long-format entries are 32 bytes.
 *
 * Our choice [A]: vpn = va{60:0} >> ps; with n = PTA.size - 5 index bits,
 *     index = (vpn ^ rid) mod 2^n,  hash = PTA{63:size} | index << 5,
 *     tag   = (vpn >> 10) | rid << 39            (bit 63, ti, clear).
 * PTA.size >= 15 makes n >= 10, so the low 10 bits of vpn are recoverable
 * from (index, rid) and (hash, tag) is unique whenever vpn < 2^49 (every
 * page size >= 4 KiB with 61 VA bits).  The tag ignores PTA, as ttag
 * must (3:269: "PTA.vf is ignored").
 *
 * For PTA.vf = 0 the architected short-format hash is returned (Vol. 2
 * 4.1.5.3 "Region-based VHPT Short Format"): region bits of va, PTA.base
 * bits above the table size, and the 8-byte entry offset of the vpn. */
uint64_t vti_pal_thash(uint64_t va, uint64_t rr, uint64_t pta)
{
    unsigned ps = (unsigned)(rr >> 2) & 0x3f;
    unsigned size = (unsigned)(pta >> 2) & 0x3f;
    uint64_t rid = (rr >> 8) & 0xffffff;
    uint64_t vpn;
    uint64_t tmask;

    if (size < 15) {
        size = 15;                  /* smallest VHPT (PTA.size 15..61) */
    }
    if (ps > 61) {
        ps = 61;
    }
    tmask = size >= 64 ? ~0ull : (1ull << size) - 1;
    vpn = (va & ((1ull << 61) - 1)) >> ps;
    if (pta & (1ull << 8)) {
        uint64_t index = (vpn ^ rid) & (tmask >> 5);

        return (pta & ~tmask & ~0x7fffull) | (index << 5);
    }
    return (va & (7ull << 61)) |
           (pta & ((1ull << 61) - 1) & ~tmask & ~0x7fffull) |
           ((vpn << 3) & tmask);
}

uint64_t vti_pal_ttag(uint64_t va, uint64_t rr)
{
    unsigned ps = (unsigned)(rr >> 2) & 0x3f;
    uint64_t rid = (rr >> 8) & 0xffffff;
    uint64_t vpn;

    if (ps > 61) {
        ps = 61;
    }
    vpn = (va & ((1ull << 61) - 1)) >> ps;
    return ((vpn >> 10) & ((1ull << 39) - 1)) | (rid << 39);
}

void vti_pal_service(struct vti_pal *p, const struct vti_cpu *c,
                     enum vti_pal_id id, struct vti_pal_outcome *out)
{
    const struct vti_vp *vp = cur_vp(p);
    uint64_t gr24 = c->get_gr(c->ctx, 24, NULL);
    uint64_t gr25 = c->get_gr(c->ctx, 25, NULL);
    uint64_t gr26 = c->get_gr(c->ctx, 26, NULL);

    memset(out, 0, sizeof(*out));
    out->id = id;
    if ((unsigned)id >= VTI_PAL__COUNT ||
        vti_pal_info[id].kind != VTI_PAL_KIND_SVC) {
        out->id = VTI_PAL__COUNT;
        undefined(out, "not a PAL virtualization service");
        return;
    }
    p->calls[id]++;
    out->cycles = p->cfg.pal_cost[id];
    p->cycles[id] += out->cycles;
    /* Services exist only inside the environment (IA64-SDM 2:478). */
    if (!p->vm_enabled || !p->in_env) {
        undefined(out, "PAL virtualization service outside the virtual "
                       "environment");
        goto done;
    }
    if (!svc_psr_ok(c->get_psr(c->ctx))) {
        undefined(out, "PAL virtualization service entered with a PSR "
                       "that violates its calling convention");
        goto done;
    }
    out->next = VTI_PAL_NEXT_BRANCH;
    out->target = gr24;
    switch (id) {
    case VTI_PAL_VPS_RESUME_NORMAL:
    case VTI_PAL_VPS_RESUME_HANDLER:
        svc_resume(p, c, id == VTI_PAL_VPS_RESUME_HANDLER, out);
        break;
    case VTI_PAL_VPS_SYNC_READ:
        /* Held state -> VPD, so the VMM reads current values [C5]. */
        if (vp == NULL || vp->vpd != gr25) {
            undefined(out, "PAL_VPS_SYNC_READ: GR25 is not the current "
                           "VPD");
        } else if (held_store(c, vp->vpd, &p->held) != 0) {
            undefined(out, "PAL_VPS_SYNC_READ: VPD not writable");
        }
        break;
    case VTI_PAL_VPS_SYNC_WRITE: {
        /* VPD -> held state, after the VMM wrote the VPD [C5]. */
        struct vti_held h;

        if (vp == NULL || vp->vpd != gr25) {
            undefined(out, "PAL_VPS_SYNC_WRITE: GR25 is not the current "
                           "VPD");
        } else if (held_load(c, vp->vpd, &h) != 0) {
            undefined(out, "PAL_VPS_SYNC_WRITE: VPD not readable");
        } else if (!vac_vdc_ok(h.vac, h.vdc)) {
            undefined(out, "PAL_VPS_SYNC_WRITE: unsupported vac/vdc");
        } else {
            p->held = h;
        }
        break;
    }
    case VTI_PAL_VPS_SET_PENDING_INTERRUPT: {
        /* The VMM updated vhpi in the VPD (GR25) [XEN-vlsapic
         * update_vhpi()]; the processor re-reads it and delivers a
         * Virtual External Interrupt once it is unmasked [C1]. */
        uint64_t vhpi;

        if (vp == NULL || vp->vpd != gr25) {
            undefined(out, "PAL_VPS_SET_PENDING_INTERRUPT: GR25 is not "
                           "the current VPD");
        } else if (rd64(c, gr25 + VTI_VPD_VHPI, &vhpi) != 0) {
            undefined(out, "PAL_VPS_SET_PENDING_INTERRUPT: VPD not "
                           "readable");
        } else {
            p->held.vhpi = vhpi;
        }
        break;
    }
    case VTI_PAL_VPS_THASH:
        /* GR25 va, GR26 guest RR, GR27 guest PTA [LX-kvm vcpu_thash]. */
        c->set_gr(c->ctx, 31,
                  vti_pal_thash(gr25, gr26, c->get_gr(c->ctx, 27, NULL)),
                  false);
        break;
    case VTI_PAL_VPS_TTAG:
        /* GR25 va, GR26 guest RR [LX-kvm vcpu_ttag]. */
        c->set_gr(c->ctx, 31, vti_pal_ttag(gr25, gr26), false);
        break;
    case VTI_PAL_VPS_RESTORE: {
        /* Light-weight counterpart of PAL_VP_RESTORE [C5]. */
        int i = find_vp(p->env, gr25);

        if (i < 0) {
            undefined(out, "PAL_VPS_RESTORE: GR25 is not a created VPD");
        } else if (vp_switch_in(p, c, i) != 0) {
            undefined(out, "PAL_VPS_RESTORE: VPD not readable or "
                           "unsupported vac/vdc");
        }
        break;
    }
    case VTI_PAL_VPS_SAVE:
        /* GR26 = 0: implicit SYNC_READ; 1: none (2:500). */
        if (vp == NULL || vp->vpd != gr25) {
            undefined(out, "PAL_VPS_SAVE: GR25 is not the current VPD");
        } else if (gr26 > 1) {
            undefined(out, "PAL_VPS_SAVE: GR26 is neither 0 nor 1");
        } else if (gr26 == 0 && held_store(c, vp->vpd, &p->held) != 0) {
            undefined(out, "PAL_VPS_SAVE: VPD not writable");
        } else {
            p->cur = -1;
        }
        break;
    default:
        undefined(out, "not a PAL virtualization service");
        break;
    }
done:
    if (out->next == VTI_PAL_NEXT_UNDEFINED) {
        p->errors[id]++;
    }
    push_vm_env(p, c);
}

/* ---- accelerations ------------------------------------------------------ */

/* Interruption control registers: CR16-25 except the reserved CR18
 * (Vol. 2 "Interruption Control Registers"; C6 vcr list). */
static bool is_int_cr(unsigned cr)
{
    return cr >= VTI_VCR_IPSR && cr <= VTI_VCR_IHA && cr != 18;
}

/* bsw with a_bsw: the guest's current bank lives in the physical bank-1
 * GR16-31 (the guest runs with PSR.bn = 1, [LX-kvm] vmm_reset_entry), the
 * other one in the VPD (vgr: bank 1, vbgr: bank 0) [C6]. */
static enum vti_accel accel_bsw(struct vti_pal *p, const struct vti_cpu *c,
                                unsigned to_bank)
{
    uint64_t *save;
    uint64_t *savenat;
    const uint64_t *load;
    uint64_t loadnat;
    unsigned cur = (p->held.vpsr & VTI_PAL_PSR_BN) ? 1u : 0u;
    unsigned i;

    if (cur == to_bank) {
        return VTI_ACCEL_DONE;      /* bsw to the current bank: no-op */
    }
    if (to_bank == 0) {             /* leaving bank 1 */
        save = p->held.vgr;
        savenat = &p->held.vnat;
        load = p->held.vbgr;
        loadnat = p->held.vbnat;
    } else {
        save = p->held.vbgr;
        savenat = &p->held.vbnat;
        load = p->held.vgr;
        loadnat = p->held.vnat;
    }
    for (i = 0; i < VTI_VPD_NGR; i++) {
        bool nat;
        uint64_t v = c->get_gr(c->ctx, 16 + i, &nat);
        uint64_t bit = 1ull << (16 + i);        /* [A] NaT bit n for GRn */

        save[i] = v;
        *savenat = nat ? (*savenat | bit) : (*savenat & ~bit);
        c->set_gr(c->ctx, 16 + i, load[i], (loadnat & bit) != 0);
    }
    if (to_bank) {
        p->held.vpsr |= VTI_PAL_PSR_BN;
    } else {
        p->held.vpsr &= ~VTI_PAL_PSR_BN;
    }
    return VTI_ACCEL_DONE;
}

/* mov from psr returns PSR{36:35} and PSR{31:0}, other bits 0 (Vol. 3
 * "mov - Move Processor Status Register", recalled). */
#define VTI_PAL_MOV_FROM_PSR_MASK 0x18FFFFFFFFull

static enum vti_accel accel(struct vti_pal *p, const struct vti_cpu *c,
                            unsigned cause, const struct ia64_insn *in)
{
    const struct vti_held *h = &p->held;
    bool vic = (h->vpsr & VTI_PAL_PSR_IC) != 0;
    bool nat;
    uint64_t v;

    switch (cause) {
    case VTI_CAUSE_MOV_FROM_CR:
        /* Interruption CRs are readable only with PSR.ic = 0 (Vol. 2
         * "Interruption Control Registers"); with vpsr.ic = 1 the guest
         * must see its Illegal Operation fault: leave it to the VMM. */
        if ((h->vac & VTI_VAC_A_FROM_INT_CR) && is_int_cr(in->areg) &&
            !vic) {
            c->set_gr(c->ctx, in->r1, h->vcr[in->areg], false);
            return VTI_ACCEL_DONE;
        }
        if ((h->vac & VTI_VAC_A_INT) && in->areg == VTI_VCR_TPR) {
            c->set_gr(c->ctx, in->r1, h->vcr[VTI_VCR_TPR], false);
            return VTI_ACCEL_DONE;
        }
        return VTI_ACCEL_NO;
    case VTI_CAUSE_MOV_TO_CR:
        v = c->get_gr(c->ctx, in->r2, &nat);
        if (nat) {
            return VTI_ACCEL_NO;    /* NaT consumption: the VMM's job */
        }
        if ((h->vac & VTI_VAC_A_TO_INT_CR) && is_int_cr(in->areg) && !vic) {
            p->held.vcr[in->areg] = v;
            return VTI_ACCEL_DONE;
        }
        if ((h->vac & VTI_VAC_A_INT) && in->areg == VTI_VCR_TPR) {
            p->held.vcr[VTI_VCR_TPR] = v;
            return VTI_ACCEL_DONE;
        }
        return VTI_ACCEL_NO;
    case VTI_CAUSE_MOV_FROM_PSR:
        if (h->vac & VTI_VAC_A_FROM_PSR) {
            c->set_gr(c->ctx, in->r1, h->vpsr & VTI_PAL_MOV_FROM_PSR_MASK,
                      false);
            return VTI_ACCEL_DONE;
        }
        return VTI_ACCEL_NO;
    case VTI_CAUSE_MOV_FROM_CPUID:
        /* Index = GR[r3]{7:0}; beyond the 5 VPD entries the guest gets a
         * Reserved Register/Field fault from the VMM. */
        if (!(h->vac & VTI_VAC_A_FROM_CPUID)) {
            return VTI_ACCEL_NO;
        }
        v = c->get_gr(c->ctx, in->r3, &nat);
        if (nat || (v & 0xff) >= VTI_VPD_NCPUID) {
            return VTI_ACCEL_NO;
        }
        c->set_gr(c->ctx, in->r1, h->vcpuid[v & 0xff], false);
        return VTI_ACCEL_DONE;
    case VTI_CAUSE_COVER:
        /* cover with PSR.ic = 0 writes IFS = CFM with IFS.v (Vol. 3
         * "cover"); the virtual IFS gets it when vpsr.ic = 0. */
        if (!(h->vac & VTI_VAC_A_COVER)) {
            return VTI_ACCEL_NO;
        }
        if (!vic) {
            p->held.vcr[VTI_VCR_IFS] =
                (1ull << 63) | (c->get_cfm(c->ctx) & ((1ull << 38) - 1));
        }
        if (c->cover != NULL) {
            c->cover(c->ctx);
            return VTI_ACCEL_DONE;
        }
        return VTI_ACCEL_NATIVE;
    case VTI_CAUSE_BSW_0:
    case VTI_CAUSE_BSW_1:
        if (!(h->vac & VTI_VAC_A_BSW)) {
            return VTI_ACCEL_NO;
        }
        return accel_bsw(p, c, cause == VTI_CAUSE_BSW_1 ? 1u : 0u);
    default:
        return VTI_ACCEL_NO;
    }
}

enum vti_accel vti_vpd_accel(struct vti_pal *p, const struct vti_cpu *c,
                             unsigned cause, const struct ia64_insn *in)
{
    enum vti_accel r = VTI_ACCEL_NO;

    /* Register numbers come from the decoder (7-bit GR fields, 7-bit CR
     * field); anything else is not a decoded operand. */
    if (cur_vp(p) != NULL && in != NULL && in->r1 < 128 && in->r2 < 128 &&
        in->r3 < 128 && in->areg < VTI_VPD_NCR &&
        !(cause == VTI_CAUSE_MOV_FROM_CR && in->r1 == 0) &&
        !(cause == VTI_CAUSE_MOV_FROM_PSR && in->r1 == 0) &&
        !(cause == VTI_CAUSE_MOV_FROM_CPUID && in->r1 == 0)) {
        r = accel(p, c, cause, in);
    }
    if (r != VTI_ACCEL_NO) {
        p->accel_done++;
    } else {
        p->accel_declined++;
    }
    return r;
}

/* ---- queries ------------------------------------------------------------- */

uint64_t vti_pal_vac(const struct vti_pal *p)
{
    return cur_vp(p) != NULL ? p->held.vac : 0;
}

uint64_t vti_pal_vdc(const struct vti_pal *p)
{
    return cur_vp(p) != NULL ? p->held.vdc : 0;
}

bool vti_pal_disabled(const struct vti_pal *p, uint64_t vdc_bit)
{
    return (vti_pal_vdc(p) & vdc_bit) != 0;
}

bool vti_pal_vmsw_disabled(const struct vti_pal *p)
{
    return vti_pal_disabled(p, VTI_VDC_D_VMSW);
}

bool vti_pal_handoff_cause(const struct vti_pal *p)
{
    return p->in_env && (p->config_options & VTI_PAL_OPT_CAUSE) != 0;
}

bool vti_pal_handoff_opcode(const struct vti_pal *p)
{
    return p->in_env && (p->config_options & VTI_PAL_OPT_OPCODE) != 0;
}

bool vti_pal_intercept_target(const struct vti_pal *p, uint64_t iva,
                              uint64_t *target)
{
    const struct vti_vp *vp = cur_vp(p);

    if (vp == NULL) {
        return false;
    }
    *target = vp->opt_handler != 0 ? vp->opt_handler
                                   : (iva & ~(uint64_t)(VTI_PAL_IVT_ALIGN - 1))
                                     + VTI_PAL_IVT_VIRT;
    return true;
}

/* Unmasked when vpsr.i = 1 and: NMI (vhpi 32) always; otherwise not
 * TPR.mmi (bit 16), and ExtINT (16) or a class above TPR.mic (bits 7:4)
 * (Vol. 2 "External Interrupt Masking", recalled; vhpi encoding
 * [XEN-vlsapic]). */
bool vti_pal_virq_pending(const struct vti_pal *p)
{
    uint64_t vhpi = p->held.vhpi;
    uint64_t tpr = p->held.vcr[VTI_VCR_TPR];
    uint64_t mic = (tpr >> 4) & 0xf;

    if (cur_vp(p) == NULL || vhpi == VTI_VHPI_NONE ||
        !(p->held.vpsr & VTI_PAL_PSR_I)) {
        return false;
    }
    if (vhpi == VTI_VHPI_NMI) {
        return true;
    }
    if (tpr & (1ull << 16)) {
        return false;
    }
    return vhpi == VTI_VHPI_EXTINT || (vhpi < 16 && vhpi > mic);
}

uint64_t vti_pal_current_vpd(const struct vti_pal *p)
{
    const struct vti_vp *vp = cur_vp(p);

    return vp != NULL ? vp->vpd : 0;
}

uint64_t vti_pal_vsa_base(const struct vti_pal *p)
{
    return p->in_env && p->env->initialized ? p->env->vbase : 0;
}
