/*
 * test_tables.c - suite "tables": properties of every .def row and of every
 * declared config key, so transcription errors fail a test.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache-tlb/ptw.h"
#include "sim/sim_cfg.h"
#include "sim/sim_machine.h"
#include "test_suites.h"

static void check_names(const char *const *names, const char *const *descs,
                        unsigned n)
{
    unsigned i;
    unsigned j;

    for (i = 0; i < n; i++) {
        CU_ASSERT_PTR_NOT_NULL_FATAL(names[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(descs[i]);
        CU_ASSERT(names[i][0] != '\0');
        CU_ASSERT(descs[i][0] != '\0');
        for (j = 0; j < i; j++) {
            CU_ASSERT(strcmp(names[i], names[j]) != 0);
        }
    }
}

static void test_tables_ptw_names(void)
{
    int i;

    check_names(ptw_src_name, ptw_src_desc, PTW_SRC__COUNT);
    check_names(ptw_mode_name, ptw_mode_desc, PTW_MODE__COUNT);
    check_names(ptw_fault_name, ptw_fault_desc, PTW_FAULT__COUNT);
    /* The walks schema and sim_db fix these numbers. */
    CU_ASSERT_EQUAL(PTW_SRC_NONE, 0);
    CU_ASSERT_EQUAL(PTW_SRC_PWC, 1);
    CU_ASSERT_EQUAL(PTW_SRC_NTLB, 2);
    CU_ASSERT_EQUAL(PTW_SRC_L1D, 3);
    CU_ASSERT_EQUAL(PTW_SRC_DRAM, 6);
    CU_ASSERT_EQUAL(PTW_FAULT_NONE, 0);
    for (i = 0; i < PTW_MODE__COUNT; i++) {
        CU_ASSERT_EQUAL(ptw_mode_parse(ptw_mode_name[i]), i);
    }
    CU_ASSERT_EQUAL(ptw_mode_parse("shadow"), -1);
}

struct key_count {
    unsigned keys;
    unsigned bad;
};

static void count_key(void *ctx, const char *section, const char *key,
                      const char *value, const char *source)
{
    struct key_count *k = ctx;

    k->keys++;
    if (section[0] == '\0' || key[0] == '\0' || value == NULL ||
        strcmp(source, "default") != 0) {
        k->bad++;
    }
}

/* Every declared key has a description; every default parses and passes
 * its section's validator (the machine loads with no config at all). */
static void test_tables_machine_defaults_valid(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    struct sim_machine_cfg mc;
    struct key_count kc = { 0, 0 };

    CU_ASSERT_FATAL(cfg != NULL);
    CU_ASSERT_EQUAL_FATAL(sim_machine_declare(cfg), 0);
    CU_ASSERT_EQUAL(sim_machine_load(cfg, &mc), 0);
    sim_cfg_foreach(cfg, count_key, &kc);
    CU_ASSERT(kc.keys > 60);
    CU_ASSERT_EQUAL(kc.bad, 0);
    CU_ASSERT_EQUAL(mc.l1d.size, 32768);
    CU_ASSERT_EQUAL(mc.tlb_l2.entries, 1536);
    CU_ASSERT_STRING_EQUAL(mc.wl.mode, "native,ept,npt");
    sim_cfg_free(cfg);
}

static void check_key_table(const struct sim_cfg_key *k)
{
    for (; k->name != NULL; k++) {
        CU_ASSERT_PTR_NOT_NULL(k->desc);
        CU_ASSERT_PTR_NOT_NULL(k->unit);
        CU_ASSERT_PTR_NOT_NULL(k->def);
        if (k->desc != NULL) {
            CU_ASSERT(strlen(k->desc) > 10);
        }
        if (k->type == SIM_CFG_ENUM) {
            CU_ASSERT_PTR_NOT_NULL(k->choices);
        }
        if (k->type == SIM_CFG_U64 || k->type == SIM_CFG_F64) {
            CU_ASSERT(k->min <= k->max);
        }
    }
}

static void test_tables_cfg_keys_documented(void)
{
    check_key_table(cache_cfg_keys);
    check_key_table(dram_cfg_keys);
    check_key_table(tlb_cfg_keys);
    check_key_table(mmu_cfg_keys);
    check_key_table(wl_cfg_keys);
}

/* `vtsim config --keys` output names every key of every section. */
static void test_tables_print_keys_complete(void)
{
    struct sim_cfg *cfg = sim_cfg_new();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const struct sim_cfg_key *k;

    CU_ASSERT_FATAL(cfg != NULL && f != NULL);
    CU_ASSERT_EQUAL_FATAL(sim_machine_declare(cfg), 0);
    sim_cfg_print_keys(cfg, f);
    fclose(f);
    for (k = wl_cfg_keys; k->name != NULL; k++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(buf, k->name));
        CU_ASSERT_PTR_NOT_NULL(strstr(buf, k->desc));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "cache/llc"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "tlb/l1_1g"));
    free(buf);
    sim_cfg_free(cfg);
}

int test_tables_register(void)
{
    CU_pSuite s = CU_add_suite("tables", NULL, NULL);

    if (s == NULL ||
        CU_add_test(s, "ptw_names", test_tables_ptw_names) == NULL ||
        CU_add_test(s, "machine_defaults_valid",
                    test_tables_machine_defaults_valid) == NULL ||
        CU_add_test(s, "cfg_keys_documented",
                    test_tables_cfg_keys_documented) == NULL ||
        CU_add_test(s, "print_keys_complete",
                    test_tables_print_keys_complete) == NULL) {
        return -1;
    }
    return 0;
}
