# workloads/x86/vmx.mk: automake fragment that builds the x86 images that
# run a VMM (VMX root operation): the VMM runtime (vmx.h, vmx_rt.c,
# vmx_entry.S) linked into vmexit.elf (VM-exit microbenchmarks) and
# vmxcheck.elf (deliberate VMfail and VM-entry failures).  It uses the
# variables and pattern rules of workloads/x86/local.mk, so include it right
# after that fragment at the end of the top-level Makefile.am:
#
#     noinst_DATA =
#     include $(srcdir)/workloads/x86/local.mk
#     include $(srcdir)/workloads/x86/vmx.mk
#
# Outputs go to workloads/x86/ in the build directory (VPATH-safe), as
# local.mk's do.  See docs/vmx-runtime.md.

X86_VMX_HDRS = $(srcdir)/workloads/x86/vmx.h
X86_VMX_RT_OBJS = workloads/x86/vmx_rt.o workloads/x86/vmx_entry.o
X86_VMX_BENCH_OBJS = workloads/x86/vmexit.o workloads/x86/vmxcheck.o
X86_VMX_IMAGES = workloads/x86/vmexit.elf workloads/x86/vmxcheck.elf
X86_VMX_ELF64 = workloads/x86/vmexit.elf64 workloads/x86/vmxcheck.elf64
X86_VMX_SRCS = workloads/x86/vmx.h workloads/x86/vmx_rt.c \
	workloads/x86/vmx_entry.S workloads/x86/vmexit.c \
	workloads/x86/vmxcheck.c

noinst_DATA += $(X86_VMX_IMAGES)
CLEANFILES += $(X86_VMX_IMAGES) $(X86_VMX_ELF64) $(X86_VMX_RT_OBJS) \
	$(X86_VMX_BENCH_OBJS)
EXTRA_DIST += $(X86_VMX_SRCS) workloads/x86/vmx.mk

# The objects are compiled by local.mk's pattern rules; they also depend on
# vmx.h.
$(X86_VMX_RT_OBJS) $(X86_VMX_BENCH_OBJS): $(X86_VMX_HDRS)

# The images link the VMM runtime as well (these explicit rules take
# precedence over local.mk's NAME.elf pattern rule).
workloads/x86/vmexit.elf: workloads/x86/vmexit.o $(X86_RT_OBJS) \
		$(X86_VMX_RT_OBJS) $(srcdir)/workloads/x86/x86.ld
	$(AM_V_GEN)$(X86_LD) $(X86_LINK_FLAGS) -o $(@:.elf=.elf64) \
	    $(X86_RT_OBJS) $(X86_VMX_RT_OBJS) workloads/x86/vmexit.o && \
	$(X86_OBJCOPY) -O elf32-i386 $(@:.elf=.elf64) $@

workloads/x86/vmxcheck.elf: workloads/x86/vmxcheck.o $(X86_RT_OBJS) \
		$(X86_VMX_RT_OBJS) $(srcdir)/workloads/x86/x86.ld
	$(AM_V_GEN)$(X86_LD) $(X86_LINK_FLAGS) -o $(@:.elf=.elf64) \
	    $(X86_RT_OBJS) $(X86_VMX_RT_OBJS) workloads/x86/vmxcheck.o && \
	$(X86_OBJCOPY) -O elf32-i386 $(@:.elf=.elf64) $@
