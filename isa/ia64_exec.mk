# isa/ia64_exec.mk: automake fragment for the IA-64 execution core
# (isa/ia64_cpu.h, isa/ia64_exec.c), the VT-i cause table it uses
# (vti-model/vti.h, vti-model/vti_causes.def) and its CUnit suite
# "ia64_exec" (tests/test_ia64_exec.c).
#
# It appends with += to libvtsim_a_SOURCES, DEF_FILES, EXTRA_DIST and,
# inside HAVE_CUNIT, tests_test_models_SOURCES, so include it after those
# are set with `=`, at the end of the top-level Makefile.am, after
# isa/ia64.mk:
#
#     include $(srcdir)/isa/ia64_exec.mk
#
# and register the suite: declare `int test_ia64_exec_register(void);` in
# tests/test_suites.h and add test_ia64_exec_register to the registrars[]
# of tests/test_main.c.
#
# The test embeds its IA-64 code as byte arrays assembled from
# workloads/ia64/exec_tests.S with GNU as for ia64 (binutils-ia64-linux-gnu),
# so the build does not need the cross assembler; `make ia64-exec-bytes`
# re-assembles the file and prints the arrays (see tests/test_ia64_exec.c).

libvtsim_a_SOURCES += isa/ia64_cpu.h isa/ia64_exec.c vti-model/vti.h
DEF_FILES += vti-model/vti_causes.def

if HAVE_CUNIT
tests_test_models_SOURCES += tests/test_ia64_exec.c
endif

workloads/ia64/exec_tests.o: $(srcdir)/workloads/ia64/exec_tests.S
	$(AM_V_GEN)$(MKDIR_P) workloads/ia64 && \
	$(IA64_AS) $(IA64_ASFLAGS) -o $@ $<

ia64-exec-bytes: workloads/ia64/exec_tests.o
	$(SHELL) $(srcdir)/workloads/ia64/exec_bytes.sh $<

.PHONY: ia64-exec-bytes

CLEANFILES += workloads/ia64/exec_tests.o
EXTRA_DIST += isa/ia64_exec.mk workloads/ia64/exec_tests.S \
	workloads/ia64/exec_bytes.sh
