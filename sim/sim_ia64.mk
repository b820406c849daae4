# sim/sim_ia64.mk - the IA-64 platform (sim/sim_ia64.{h,c}: RAM, ports,
# PAL ROM, ELF64 EM_IA_64 loader, VT-i glue, exits) and its CUnit suite
# "ia64_platform".
#
# Appends with += like vti-model/vti_pal.mk; include it after that one at
# the end of the top-level Makefile.am:
#     include $(srcdir)/sim/sim_ia64.mk
# and register the suite: declare `int test_ia64_platform_register(void);`
# in tests/test_suites.h and add test_ia64_platform_register to the
# registrars[] of tests/test_main.c.
# workloads/ia64/platform/platform_tests.S (kept out of workloads/ia64/*.S,
# which the objdump differential tests assemble one section each) is the source of the test's byte arrays
# (assembled by hand with ia64-linux-gnu-as; nothing is generated here).

libvtsim_a_SOURCES += sim/sim_ia64.h sim/sim_ia64.c
DEF_FILES += sim/sim_ia64_cfg.def

if HAVE_CUNIT
tests_test_models_SOURCES += tests/test_ia64_platform.c
endif

EXTRA_DIST += sim/sim_ia64.mk workloads/ia64/platform/platform_tests.S \
	tests/ia64/platform_more.S
