# workloads/ia64/vti/vti.mk: automake fragment that assembles and links the
# VT-i image workloads/ia64/vti/vti-faults.elf (the VMM of vmm.S and the
# guest of guest.S) with GNU binutils for ia64, when configure found them
# (HAVE_IA64_BINUTILS; Debian package binutils-ia64-linux-gnu).  Include
# it at the end of the top-level Makefile.am, after noinst_DATA,
# CLEANFILES, EXTRA_DIST and TESTS are set:
#
#     include $(srcdir)/workloads/ia64/vti/vti.mk
#
# The image loads at 0x100000 (text, with the 32-KiB host IVT) and
# 0x180000 (data); the VMM keeps its environment buffer and VPD at
# 0x200000 and 0x210000 (vmm.S).  See docs/vti-vmm.md.  The rules are GNU
# make pattern rules; outputs go to the build directory (VPATH-safe).

VTI_WL_OBJS = workloads/ia64/vti/vmm.o workloads/ia64/vti/guest.o
VTI_WL_IMAGE = workloads/ia64/vti/vti-faults.elf
VTI_WL_LINK = -Ttext=0x100000 -Tdata=0x180000 -e _start

if HAVE_IA64_BINUTILS
noinst_DATA += $(VTI_WL_IMAGE)
endif
CLEANFILES += $(VTI_WL_OBJS) $(VTI_WL_IMAGE)
EXTRA_DIST += workloads/ia64/vti/vmm.S workloads/ia64/vti/guest.S \
	workloads/ia64/vti/vti.mk workloads/ia64/vti/vti-faults.expected

# -x: explicit stops, with gas checking every dependency inside an
# instruction group; its warnings are errors.
workloads/ia64/vti/%.o: $(srcdir)/workloads/ia64/vti/%.S
	@$(MKDIR_P) workloads/ia64/vti
	$(AM_V_GEN)$(IA64_AS) -x --fatal-warnings -o $@ $<

$(VTI_WL_IMAGE): $(VTI_WL_OBJS)
	$(AM_V_GEN)$(IA64_LD) $(VTI_WL_LINK) -o $@ $(VTI_WL_OBJS)
