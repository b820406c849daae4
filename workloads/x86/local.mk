# workloads/x86/local.mk: automake fragment that builds the x86 bare-metal
# images (Multiboot v1, ELF32 wrapping 64-bit code) with the system
# toolchain.  It appends to noinst_DATA, CLEANFILES and EXTRA_DIST, which
# automake only allows after a plain `=` assignment, so include it at the
# end of the top-level Makefile.am (after CLEANFILES = and EXTRA_DIST =),
# preceded by an empty noinst_DATA if nothing else sets it:
#
#     noinst_DATA =
#     include $(srcdir)/workloads/x86/local.mk
#
# Outputs go to workloads/x86/ in the build directory, sources are read
# from $(srcdir) (VPATH-safe).  The rules are GNU make pattern rules.
# `make check-x86-qemu`
# boots every image on QEMU.  See docs/x86-runtime.md.

X86_CC = $(CC)
X86_LD = ld
X86_OBJCOPY = objcopy

# Freestanding 64-bit code for an identity-mapped image below 2 GiB:
# no SSE/x87 state, no red zone (exceptions run on the same stack), no PIC,
# no CET end-branch instructions, no loop-to-memcpy/memset rewriting.
X86_CFLAGS = -std=c11 -O2 -m64 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fcf-protection=none -fno-tree-loop-distribute-patterns \
	-mno-red-zone -mno-sse -mno-mmx -mno-80387 -mcmodel=small -nostdlib \
	-Wall -Wextra $(WARN_CFLAGS) -I$(srcdir)/workloads/x86
X86_LINK_FLAGS = -nostdlib -static -z max-page-size=0x1000 \
	-T $(srcdir)/workloads/x86/x86.ld

X86_HDRS = $(srcdir)/workloads/x86/x86.h $(srcdir)/workloads/x86/rt.h
X86_RT_OBJS = workloads/x86/boot.o workloads/x86/isr.o \
	workloads/x86/user.o workloads/x86/rt_cpu.o \
	workloads/x86/rt_console.o workloads/x86/rt_paging.o
X86_BENCH_OBJS = workloads/x86/compute.o workloads/x86/stream.o \
	workloads/x86/chase.o workloads/x86/syscall.o \
	workloads/x86/pagefault.o workloads/x86/cpuid.o workloads/x86/triple.o
X86_IMAGES = workloads/x86/compute.elf workloads/x86/stream.elf \
	workloads/x86/chase.elf workloads/x86/syscall.elf \
	workloads/x86/pagefault.elf workloads/x86/cpuid.elf \
	workloads/x86/triple.elf
# The 64-bit link results, kept for objdump/gdb (objdump -d NAME.elf64).
X86_ELF64 = workloads/x86/compute.elf64 workloads/x86/stream.elf64 \
	workloads/x86/chase.elf64 workloads/x86/syscall.elf64 \
	workloads/x86/pagefault.elf64 workloads/x86/cpuid.elf64 \
	workloads/x86/triple.elf64

X86_SRCS = workloads/x86/x86.h workloads/x86/rt.h workloads/x86/x86.ld \
	workloads/x86/boot.S workloads/x86/isr.S workloads/x86/user.S \
	workloads/x86/rt_cpu.c workloads/x86/rt_console.c \
	workloads/x86/rt_paging.c \
	workloads/x86/compute.c workloads/x86/stream.c workloads/x86/chase.c \
	workloads/x86/syscall.c workloads/x86/pagefault.c \
	workloads/x86/cpuid.c workloads/x86/triple.c

noinst_DATA += $(X86_IMAGES)
CLEANFILES += $(X86_IMAGES) $(X86_ELF64) $(X86_RT_OBJS) $(X86_BENCH_OBJS)
EXTRA_DIST += $(X86_SRCS) workloads/x86/local.mk \
	workloads/x86/run-qemu.sh workloads/x86/check-qemu.sh \
	workloads/x86/expected

# ---- objects and images ------------------------------------------------------
# GNU make pattern rules (configure.ac turns off automake's portability
# warning): the most specific pattern wins over automake's .c.o rule.
workloads/x86/%.o: $(srcdir)/workloads/x86/%.c $(X86_HDRS)
	$(AM_V_CC)$(MKDIR_P) workloads/x86 && \
	$(X86_CC) $(X86_CFLAGS) -c -o $@ $<
workloads/x86/%.o: $(srcdir)/workloads/x86/%.S $(X86_HDRS)
	$(AM_V_CC)$(MKDIR_P) workloads/x86 && \
	$(X86_CC) $(X86_CFLAGS) -c -o $@ $<

# Link as ELF64 (kept as NAME.elf64 for objdump/gdb), then rewrap as ELF32
# for Multiboot.
workloads/x86/%.elf: workloads/x86/%.o $(X86_RT_OBJS) \
		$(srcdir)/workloads/x86/x86.ld
	$(AM_V_GEN)$(X86_LD) $(X86_LINK_FLAGS) -o $(@:.elf=.elf64) \
	    $(X86_RT_OBJS) $< && \
	$(X86_OBJCOPY) -O elf32-i386 $(@:.elf=.elf64) $@

# ---- run every image on QEMU and compare with expected/ ----------------------
check-x86-qemu: $(X86_IMAGES)
	$(SHELL) $(srcdir)/workloads/x86/check-qemu.sh . $(srcdir)

.PHONY: check-x86-qemu
