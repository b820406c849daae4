/* test_core.c - suite "core": in-order timing, predictor, CPI stack. */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sim/sim_cfg.h"
#include "sim/sim_core.h"
#include "test_suites.h"

/* The defaults of sim_core_cfg.def, through the registry. */
static void core_cfg(struct sim_core_cfg *cfg)
{
    struct sim_cfg *r = sim_cfg_new();

    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_EQUAL_FATAL(sim_cfg_declare(r, "core", "core",
                                          sim_core_cfg_keys, NULL, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_struct(r, "core", cfg), 0);
    sim_cfg_free(r);
}

static struct sim_core_insn insn(uint8_t cls)
{
    struct sim_core_insn in;

    memset(&in, 0, sizeof(in));
    in.cls = cls;
    return in;
}

static uint64_t cpi_sum(const struct sim_core *c)
{
    uint64_t s = 0;
    unsigned k;

    for (k = 0; k < SIM_CPI__COUNT; k++) {
        s += c->st.cpi[k];
    }
    return s;
}

static void test_core_width_and_latencies(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn in = insn(SIM_CORE_INT);
    unsigned i;

    core_cfg(&cfg);
    CU_ASSERT_EQUAL(cfg.width, 2);
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    for (i = 0; i < 1000; i++) {
        sim_core_retire(&c, &in);
    }
    CU_ASSERT_EQUAL(c.st.cycles, 500);                  /* IPC = width */
    in = insn(SIM_CORE_MUL);
    for (i = 0; i < 10; i++) {
        sim_core_retire(&c, &in);
    }
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_EXEC], 10 * (cfg.lat_mul - 1));
    in = insn(SIM_CORE_DIV);
    /* 1010 instructions so far: this one shares its issue cycle. */
    CU_ASSERT_EQUAL(sim_core_retire(&c, &in), cfg.lat_div - 1);
    in = insn(SIM_CORE_SERIAL);
    sim_core_retire(&c, &in);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_SERIAL], cfg.depth);
    in = insn(SIM_CORE_STRING);
    in.iterations = 100;
    sim_core_retire(&c, &in);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_EXEC], 10 * (cfg.lat_mul - 1) +
                    cfg.lat_div - 1 + 100 * cfg.lat_string);
    in = insn(SIM_CORE_INT);
    in.ifetch_cycles = 7;
    in.data_cycles = 30;
    in.tlb_cycles = 11;
    sim_core_retire(&c, &in);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_ICACHE], 7);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_DCACHE], 30);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_TLB], 11);
    /* The CPI stack adds up to the cycles exactly. */
    CU_ASSERT_EQUAL(cpi_sum(&c), c.st.cycles);
    sim_core_fini(&c);
}

/* A loop branch (taken 7 times, then not) is learnt by gshare. */
static void test_core_gshare_learns_loop(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn br = insn(SIM_CORE_INT);
    unsigned i;
    uint64_t before;

    core_cfg(&cfg);
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    br.branch = SIM_BR_COND;
    br.pc = 0x401000;
    for (i = 0; i < 8 * 200; i++) {
        br.taken = (i % 8) != 7;
        if (i == 8 * 100) {
            before = c.st.mispredicts;
        }
        sim_core_retire(&c, &br);
    }
    /* After training, the last 100 trips run without a mispredict. */
    CU_ASSERT_EQUAL(c.st.mispredicts - before, 0);
    CU_ASSERT_EQUAL(c.st.cpi[SIM_CPI_BRANCH],
                    c.st.mispredicts * cfg.mispredict);
    sim_core_fini(&c);
}

static void test_core_random_branches(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn br = insn(SIM_CORE_INT);
    uint64_t s = 12345;
    unsigned i;

    core_cfg(&cfg);
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    br.branch = SIM_BR_COND;
    br.pc = 0x401000;
    for (i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        br.taken = (s >> 20) & 1;
        sim_core_retire(&c, &br);
    }
    /* Unpredictable: about half are mispredicted. */
    CU_ASSERT(c.st.mispredicts > 8000 && c.st.mispredicts < 12000);
    sim_core_fini(&c);
}

static void test_core_return_stack(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn call = insn(SIM_CORE_INT);
    struct sim_core_insn ret = insn(SIM_CORE_INT);
    unsigned d;

    core_cfg(&cfg);
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    call.branch = SIM_BR_CALL;
    ret.branch = SIM_BR_RET;
    /* Nested calls within the stack depth: every return predicted. */
    for (d = 0; d < 10; d++) {
        call.pc = 0x1000 + 16 * d;
        call.next_pc = call.pc + 5;
        sim_core_retire(&c, &call);
    }
    for (d = 10; d-- > 0;) {
        ret.target = 0x1000 + 16 * d + 5;
        sim_core_retire(&c, &ret);
    }
    CU_ASSERT_EQUAL(c.st.mispredicts, 0);
    /* Deeper than the stack: the outermost returns are lost. */
    for (d = 0; d < cfg.ras_depth + 4; d++) {
        call.pc = 0x2000 + 16 * d;
        call.next_pc = call.pc + 5;
        sim_core_retire(&c, &call);
    }
    for (d = (unsigned)cfg.ras_depth + 4; d-- > 0;) {
        ret.target = 0x2000 + 16 * d + 5;
        sim_core_retire(&c, &ret);
    }
    CU_ASSERT_EQUAL(c.st.mispredicts, 4);
    sim_core_fini(&c);
}

static void test_core_btb(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn jmp = insn(SIM_CORE_INT);
    unsigned i;

    core_cfg(&cfg);
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    jmp.branch = SIM_BR_INDIRECT;
    jmp.pc = 0x5000;
    jmp.target = 0x9000;
    for (i = 0; i < 10; i++) {
        sim_core_retire(&c, &jmp);
    }
    CU_ASSERT_EQUAL(c.st.mispredicts, 1);       /* the first, cold */
    for (i = 0; i < 10; i++) {
        jmp.target = (i & 1) ? 0x9000 : 0xa000;
        sim_core_retire(&c, &jmp);
    }
    CU_ASSERT_EQUAL(c.st.mispredicts, 11);      /* alternating targets */
    sim_core_fini(&c);
}

static void test_core_functional_model(void)
{
    struct sim_core_cfg cfg;
    struct sim_core c;
    struct sim_core_insn in = insn(SIM_CORE_DIV);

    core_cfg(&cfg);
    cfg.model = SIM_CORE_FUNCTIONAL;
    CU_ASSERT_FATAL(sim_core_init(&c, &cfg) == 0);
    in.data_cycles = 100;
    CU_ASSERT_EQUAL(sim_core_retire(&c, &in), 1);
    CU_ASSERT_EQUAL(c.st.cycles, 1);
    CU_ASSERT_EQUAL(c.st.insns, 1);
    sim_core_fini(&c);
}

int test_core_register(void)
{
    CU_pSuite s = CU_add_suite("core", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "width_and_latencies",
                    test_core_width_and_latencies) == NULL ||
        CU_add_test(s, "gshare_learns_loop",
                    test_core_gshare_learns_loop) == NULL ||
        CU_add_test(s, "random_branches", test_core_random_branches) ==
            NULL ||
        CU_add_test(s, "return_stack", test_core_return_stack) == NULL ||
        CU_add_test(s, "btb", test_core_btb) == NULL ||
        CU_add_test(s, "functional_model", test_core_functional_model) ==
            NULL) {
        return -1;
    }
    return 0;
}
