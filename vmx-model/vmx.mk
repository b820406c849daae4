# vmx-model/vmx.mk - Intel VT-x model: VMCS fields, names, capabilities,
# VM-entry checks, and their CUnit suites.
#
# Included from Makefile.am after libvtsim_a_SOURCES, DEF_FILES and the
# HAVE_CUNIT block that defines tests_test_models_SOURCES:
#     include $(srcdir)/vmx-model/vmx.mk
# tests/test_main.c must call test_vmx_tables_register() and
# test_vmx_check_register() (declared in tests/test_suites.h).
# Nothing is generated; the .def tables are included by the sources and
# only need to be distributed (automake distributes this fragment itself).

libvtsim_a_SOURCES += \
	vmx-model/vmx.h vmx-model/vmx_vmcs.c vmx-model/vmx_names.c \
	vmx-model/vmx_caps.c vmx-model/vmx_check.c \
	vmx-model/vmx_cpu.h vmx-model/vmx_cpu.c

DEF_FILES += \
	vmx-model/vmx_fields.def vmx-model/vmx_exits.def \
	vmx-model/vmx_errors.def vmx-model/vmx_ctls.def \
	vmx-model/vmx_checks.def vmx-model/vmx_caps_cfg.def \
	vmx-model/vmx_cost_cfg.def

if HAVE_CUNIT
tests_test_models_SOURCES += tests/test_vmx_tables.c tests/test_vmx_check.c \
	tests/test_vmx_exec.c
endif
