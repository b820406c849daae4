# workloads/x86/apic.mk: automake fragment that adds the x2APIC test image
# (workloads/x86/apic.c) to the x86 images of local.mk.  Include it right
# after local.mk in the top-level Makefile.am:
#
#     include $(srcdir)/workloads/x86/local.mk
#     include $(srcdir)/workloads/x86/apic.mk
#
# local.mk's pattern rules compile and link it with the runtime; this file
# only appends to the lists (noinst_DATA, CLEANFILES, EXTRA_DIST) that
# local.mk and the top-level Makefile.am set up, and makes
# `make check-x86-qemu` build it too.

X86_APIC_IMAGES = workloads/x86/apic.elf

noinst_DATA += $(X86_APIC_IMAGES)
CLEANFILES += $(X86_APIC_IMAGES) workloads/x86/apic.elf64 \
	workloads/x86/apic.o
EXTRA_DIST += workloads/x86/apic.c workloads/x86/apic.mk

check-x86-qemu: $(X86_APIC_IMAGES)
