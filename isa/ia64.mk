# isa/ia64.mk: automake fragment for the IA-64 decoder and disassembler,
# its CUnit suite, the objdump differential test and the IA-64 assembly
# corpus (workloads/ia64).
#
# It appends with += to libvtsim_a_SOURCES, DEF_FILES, TESTS,
# EXTRA_PROGRAMS, CLEANFILES and EXTRA_DIST, and (inside HAVE_CUNIT) to
# tests_test_models_SOURCES, so include it after all of those are set with
# `=`, i.e. at the end of the top-level Makefile.am, next to
# workloads/x86/local.mk:
#
#     include $(srcdir)/isa/ia64.mk
#
# and register the suite: declare `int test_ia64_decode_register(void);`
# in tests/test_suites.h and add test_ia64_decode_register to the
# registrars[] of tests/test_main.c.
#
# tests/ia64-objdump.sh assembles workloads/ia64/*.S itself and exits 77
# (SKIP) without ia64-linux-gnu-as/objdump (Debian binutils-ia64-linux-gnu);
# it needs tests/ia64_disasm_check, built on demand by the .log rule below.
# `make ia64-corpus` assembles the corpus into workloads/ia64/*.o (for
# `vtsim disasm --isa ia64` or objdump by hand); it is not part of `all`,
# so the build does not need the cross assembler.  To find the assembler
# with configure instead of the default name, add to configure.ac:
#     AC_CHECK_TOOLS([IA64_AS], [ia64-linux-gnu-as], [:])
# and change the IA64_AS line below to `IA64_AS = @IA64_AS@`.
# The rules are GNU make pattern rules (-Wno-portability is set).

# ---- decoder, disassembler and its op table (in libvtsim.a) ----------------
libvtsim_a_SOURCES += isa/ia64.h isa/ia64_decode.c isa/ia64_disasm.c
libvtsim_a_SOURCES += isa/ia64_elf.h isa/ia64_elf.c
DEF_FILES += isa/ia64_ops.def

# ---- CUnit suite "ia64_decode" (in tests/test_models) ----------------------
if HAVE_CUNIT
tests_test_models_SOURCES += tests/test_ia64_decode.c
endif

# ---- objdump differential test ---------------------------------------------
# The driver prints vtsim's disassembly of an object's code sections in
# the normal form the script compares (see its header).
EXTRA_PROGRAMS += tests/ia64_disasm_check
tests_ia64_disasm_check_SOURCES = tests/ia64_disasm_check.c
tests_ia64_disasm_check_LDADD = libvtsim.a
TESTS += tests/ia64-objdump.sh
tests/ia64-objdump.log: tests/ia64_disasm_check$(EXEEXT)
CLEANFILES += tests/ia64_disasm_check$(EXEEXT)

# ---- IA-64 assembly corpus (workloads/ia64) ---------------------------------
IA64_AS = ia64-linux-gnu-as
# No dependency-violation checking: the corpus lists instruction forms,
# it is not a program to run.
IA64_ASFLAGS = -xnone
IA64_CORPUS = workloads/ia64/corpus.S workloads/ia64/corpus_sys.S \
	workloads/ia64/corpus_br.S
IA64_CORPUS_OBJS = $(IA64_CORPUS:.S=.o)

workloads/ia64/%.o: $(srcdir)/workloads/ia64/%.S
	$(AM_V_GEN)$(MKDIR_P) workloads/ia64 && \
	$(IA64_AS) $(IA64_ASFLAGS) -o $@ $<

ia64-corpus: $(IA64_CORPUS_OBJS)

.PHONY: ia64-corpus

CLEANFILES += $(IA64_CORPUS_OBJS)
EXTRA_DIST += isa/ia64.mk tests/ia64-objdump.sh $(IA64_CORPUS)
