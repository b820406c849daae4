/*
 * sim_core.c - the in-order core timing model and its branch predictor.
 *
 * Predictor: gshare (McFarling, "Combining Branch Predictors", DEC WRL
 * TN-36, 1993): a table of 2-bit saturating counters indexed by the branch
 * address XOR the global history; a direct-mapped branch target buffer for
 * indirect branches; a circular return address stack that overwrites its
 * oldest entry when full.  See sim_core.h for the pipeline approximations.
 */
#include "sim_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

const struct sim_cfg_key sim_core_cfg_keys[] = {
#define CORE_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_core_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "sim_core_cfg.def"
#undef CORE_CFG
    SIM_CFG_END
};

const char *const sim_core_cpi_name[SIM_CPI__COUNT] = {
    [SIM_CPI_BASE] = "base", [SIM_CPI_EXEC] = "exec",
    [SIM_CPI_BRANCH] = "branch", [SIM_CPI_ICACHE] = "icache",
    [SIM_CPI_DCACHE] = "dcache", [SIM_CPI_TLB] = "tlb",
    [SIM_CPI_SERIAL] = "serial", [SIM_CPI_VIRT] = "virt",
    [SIM_CPI_IDLE] = "idle",
};

void sim_core_charge(struct sim_core *c, unsigned cpi, uint64_t cycles)
{
    if (cpi < SIM_CPI__COUNT) {
        c->st.cycles += cycles;
        c->st.cpi[cpi] += cycles;
    }
}

int sim_core_init(struct sim_core *c, const struct sim_core_cfg *cfg)
{
    uint64_t pht = 1ull << cfg->history_bits;
    uint64_t btb = 1;

    memset(c, 0, sizeof(*c));
    c->cfg = *cfg;
    while (btb * 2 <= cfg->btb_entries) {
        btb *= 2;
    }
    c->hmask = pht - 1;
    c->btb_mask = btb - 1;
    c->pht = malloc(pht);
    c->btb_pc = calloc(btb, sizeof(uint64_t));
    c->btb_target = calloc(btb, sizeof(uint64_t));
    c->ras = calloc(cfg->ras_depth, sizeof(uint64_t));
    if (c->pht == NULL || c->btb_pc == NULL || c->btb_target == NULL ||
        c->ras == NULL) {
        sim_core_fini(c);
        return -SIM_ENOMEM;
    }
    /* Counters start weakly not-taken. */
    memset(c->pht, 1, pht);
    memset(c->btb_pc, 0xff, btb * sizeof(uint64_t));
    return 0;
}

void sim_core_fini(struct sim_core *c)
{
    free(c->pht);
    free(c->btb_pc);
    free(c->btb_target);
    free(c->ras);
    c->pht = NULL;
    c->btb_pc = NULL;
    c->btb_target = NULL;
    c->ras = NULL;
}

static void core_ras_push(struct sim_core *c, uint64_t ret)
{
    c->ras_top = (c->ras_top + 1) % (unsigned)c->cfg.ras_depth;
    c->ras[c->ras_top] = ret;
    if (c->ras_n < c->cfg.ras_depth) {
        c->ras_n++;
    }
}

static bool core_ras_pop(struct sim_core *c, uint64_t *ret)
{
    if (c->ras_n == 0) {
        return false;
    }
    *ret = c->ras[c->ras_top];
    c->ras_top = (c->ras_top + (unsigned)c->cfg.ras_depth - 1) %
                 (unsigned)c->cfg.ras_depth;
    c->ras_n--;
    return true;
}

/* Predict and train; true when the prediction was right. */
static bool core_predict(struct sim_core *c, const struct sim_core_insn *in)
{
    switch (in->branch) {
    case SIM_BR_COND: {
        uint64_t i = ((in->pc >> 1) ^ c->hist) & c->hmask;
        bool pred = c->pht[i] >= 2;

        if (in->taken && c->pht[i] < 3) {
            c->pht[i]++;
        } else if (!in->taken && c->pht[i] > 0) {
            c->pht[i]--;
        }
        c->hist = ((c->hist << 1) | in->taken) & c->hmask;
        return pred == in->taken;
    }
    case SIM_BR_CALL:
        core_ras_push(c, in->next_pc);
        return true;
    case SIM_BR_INDIRECT: {
        uint64_t i = (in->pc >> 1) & c->btb_mask;
        bool ok = c->btb_pc[i] == in->pc && c->btb_target[i] == in->target;

        c->btb_pc[i] = in->pc;
        c->btb_target[i] = in->target;
        if (in->indirect_call) {
            core_ras_push(c, in->next_pc);
        }
        return ok;
    }
    case SIM_BR_RET: {
        uint64_t ret;

        return core_ras_pop(c, &ret) && ret == in->target;
    }
    default:
        return true;
    }
}

uint64_t sim_core_retire(struct sim_core *c, const struct sim_core_insn *in)
{
    uint64_t exec = 0;
    uint64_t branch = 0;
    uint64_t serial = 0;

    c->st.insns++;
    if (c->cfg.model == SIM_CORE_FUNCTIONAL) {
        c->st.cycles++;
        c->st.cpi[SIM_CPI_BASE]++;
        return 1;
    }
    switch (in->cls) {
    case SIM_CORE_MUL:
        exec = c->cfg.lat_mul - 1;
        break;
    case SIM_CORE_DIV:
        exec = c->cfg.lat_div - 1;
        break;
    case SIM_CORE_STRING:
        exec = (uint64_t)in->iterations * c->cfg.lat_string;
        break;
    case SIM_CORE_MICRO:
        exec = c->cfg.lat_micro - 1;
        break;
    case SIM_CORE_SERIAL:
        serial = c->cfg.depth;
        break;
    default:
        break;
    }
    if (in->branch != SIM_BR_NONE) {
        c->st.branches++;
        if (!core_predict(c, in)) {
            c->st.mispredicts++;
            branch = c->cfg.mispredict;
        }
    }
    return sim_core_charge_insn(c, exec, branch, serial, in);
}

int sim_core_register_stats(struct sim_core *c, struct sim_stats *s,
                            const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "insns", "instructions", "instructions retired", &c->st.insns },
        { "cycles", "cycles", "core cycles", &c->st.cycles },
        { "branches", "instructions", "branches retired",
          &c->st.branches },
        { "mispredicts", "instructions", "mispredicted branches",
          &c->st.mispredicts },
    };
    char m[32];
    unsigned k;
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    for (k = 0; rc == 0 && k < SIM_CPI__COUNT; k++) {
        snprintf(m, sizeof(m), "cpi_%s", sim_core_cpi_name[k]);
        rc = sim_stat_counter(s, obj, m, "cycles",
                              "cycles of this CPI-stack component",
                              &c->st.cpi[k]);
    }
    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "ipc", "", "instructions per cycle",
                            "insns", "cycles");
    }
    if (rc == 0) {
        rc = sim_stat_ratio(s, obj, "mispredict_rate", "",
                            "mispredictions per branch", "mispredicts",
                            "branches");
    }
    return rc;
}
