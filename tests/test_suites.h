/* test_suites.h - one registration function per test file. */
#ifndef TEST_SUITES_H
#define TEST_SUITES_H

int test_tables_register(void);    /* test_tables.c: properties of .def rows */
int test_cfg_register(void);       /* test_cfg.c: config registry */
int test_stats_register(void);     /* test_stats.c: stats registry */
int test_db_register(void);        /* test_db.c: results database */
int test_mem_register(void);       /* test_mem.c: sparse memory */
int test_cache_register(void);     /* test_cache.c: caches, DRAM, hierarchy */
int test_tlb_register(void);       /* test_tlb.c: TLBs, PWC, nested TLB */
int test_ptw_register(void);       /* test_ptw.c: 1-D and 2-D walkers, MMU */
int test_wl_register(void);        /* test_wl.c: synthetic workload */
int test_loader_register(void);    /* test_loader.c: image loading */
int test_x86_alu_register(void);   /* test_x86_alu.c: x86 ALU vs host */
int test_x86_decode_register(void); /* test_x86_decode.c: Zydis layer */
int test_io_register(void);        /* test_io.c: port bus and devices */
int test_core_register(void);      /* test_core.c: in-order timing */
int test_x86_exec_register(void);  /* test_x86_exec.c: x86 executor */
int test_x86_sys_register(void);   /* test_x86_sys.c: x86 platform, system */
int test_ia64_decode_register(void); /* test_ia64_decode.c: IA-64 decoder */
int test_vmx_tables_register(void); /* test_vmx_tables.c: VMCS fields, caps */
int test_vmx_check_register(void);  /* test_vmx_check.c: VM-entry checks */
int test_vti_pal_register(void);    /* test_vti_pal.c: VT-i PAL, VPD */
int test_apic_register(void);       /* test_apic.c: local x2APIC */
int test_ia64_exec_register(void);  /* test_ia64_exec.c: IA-64 executor, VT-i */
int test_ia64_platform_register(void); /* test_ia64_platform.c: IA-64 platform */
int test_vmx_exec_register(void);   /* test_vmx_exec.c: VMX operation on the core */
int test_x86_unicorn_register(void); /* test_x86_unicorn.c: vs Unicorn */

#endif /* TEST_SUITES_H */
