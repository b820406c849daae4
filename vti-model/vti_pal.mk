# vti-model/vti_pal.mk - the VT-i PAL virtualization firmware model
# (procedures PAL_VP_*, services PAL_VPS_*, VPD, accelerations, [vti]
# costs) and its CUnit suite "vti_pal".
#
# Appends with += to libvtsim_a_SOURCES, DEF_FILES and EXTRA_DIST, and
# (inside HAVE_CUNIT) to tests_test_models_SOURCES, so include it after
# those are set with `=`, at the end of the top-level Makefile.am next to
# the other fragments:
#     include $(srcdir)/vti-model/vti_pal.mk
# and register the suite: declare `int test_vti_pal_register(void);` in
# tests/test_suites.h and add test_vti_pal_register to the registrars[]
# of tests/test_main.c.
# Nothing is generated; the .def tables are included by the sources.
# sim/sim_machine.c declares the [vti] section (vti_cfg_keys,
# vti_cfg_validate) next to [ia64]; sim_ia64_params_from_machine() reads it.

libvtsim_a_SOURCES += \
	vti-model/vti_vpd.h vti-model/vti_pal.h vti-model/vti_pal.c

DEF_FILES += vti-model/vti_pal.def vti-model/vti_cfg.def

if HAVE_CUNIT
tests_test_models_SOURCES += tests/test_vti_pal.c
endif

EXTRA_DIST += vti-model/vti_pal.mk
