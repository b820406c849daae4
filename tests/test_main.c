/*
 * test_main.c - the CUnit runner for every model and service suite.
 *
 * `test_models [SUITE...]` runs all suites, or only the named ones.
 * Exit status: 0 when every test passed, 1 on failures, 99 (automake's hard
 * error) when the registry cannot be built.
 */
#include "config.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "test_suites.h"

static int (*const registrars[])(void) = {
    test_tables_register,
    test_cfg_register,
    test_stats_register,
    test_db_register,
    test_mem_register,
    test_cache_register,
    test_tlb_register,
    test_ptw_register,
    test_wl_register,
    test_loader_register,
    test_x86_alu_register,
    test_x86_decode_register,
    test_io_register,
    test_core_register,
    test_x86_exec_register,
    test_x86_sys_register,
    test_ia64_decode_register,
    test_vmx_tables_register,
    test_vmx_check_register,
    test_vmx_exec_register,
    test_ia64_exec_register,
    test_apic_register,
    test_vti_pal_register,
    test_ia64_platform_register,
#ifdef HAVE_UNICORN
    test_x86_unicorn_register,
#endif
};

int main(int argc, char **argv)
{
    unsigned int failed;
    size_t i;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 99;
    }
    for (i = 0; i < sizeof(registrars) / sizeof(registrars[0]); i++) {
        if (registrars[i]() != 0) {
            fprintf(stderr, "test_models: cannot register suite %zu\n", i);
            CU_cleanup_registry();
            return 99;
        }
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1) {
        int a;

        for (a = 1; a < argc; a++) {
            CU_pSuite s = CU_get_suite(argv[a]);

            if (s == NULL) {
                fprintf(stderr, "test_models: no suite '%s'\n", argv[a]);
                CU_cleanup_registry();
                return 99;
            }
            CU_basic_run_suite(s);
        }
    } else {
        CU_basic_run_tests();
    }
    failed = CU_get_number_of_tests_failed() +
             CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}
