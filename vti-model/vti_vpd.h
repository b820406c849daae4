/*
 * vti_vpd.h - the Virtual Processor Descriptor (VPD) of Intel VT-i: byte
 * offsets of its fields, the virtual control register numbers, and the
 * bits of its acceleration (vac) and disable (vdc) control words.
 *
 * Edition pinned: Intel Itanium Architecture Software Developer's Manual,
 * revision 2.3 (May 2010), Vol. 2 Part I chapter 11 "Processor Abstraction
 * Layer", 11.7 "PAL Virtualization Support" (VPD layout, 11.7.4.2
 * "Virtualization Accelerations", 11.7.4.3 "Virtualization Disables").
 * Every number below is from /work/shared/reference/hw-virt-facts.md
 * section C6, whose source is [LX-vti] (linux arch/ia64/kvm/vti.h,
 * `struct vpd` and VPD_*_START_OFFSET) unless a comment says otherwise.
 *
 * Constants only: nothing here includes the CPU or the PAL model, so the
 * executor, the PAL model and tests share one set of numbers.
 */
#ifndef VTI_MODEL_VTI_VPD_H
#define VTI_MODEL_VTI_VPD_H

/* ---- size and placement ------------------------------------------------ */

/* The VPD is a 64-KiB region [C6].  The PAL procedures that take a VPD
 * require its 64-KiB region to be TR-mapped [IA64-SDM 2:484 PAL_VP_SAVE,
 * 2:485 PAL_VP_TERMINATE]; a single 64-KiB translation is naturally
 * aligned, so this model requires a 64-KiB-aligned VPD address ([A]
 * alignment inferred from the TR-mapping rule; the SDM sentence stating an
 * alignment was not re-read). */
#define VTI_VPD_SIZE  0x10000u
#define VTI_VPD_ALIGN 0x10000u

/* ---- field offsets (bytes from the VPD base) [C6, LX-vti] -------------- */

#define VTI_VPD_VAC            0u     /* 8: acceleration controls */
#define VTI_VPD_VDC            8u     /* 8: disable controls */
#define VTI_VPD_VIRT_ENV_VADDR 16u    /* 8: virtual base of the env buffer */
#define VTI_VPD_VHPI           256u   /* 8: virtual highest pending intr */
#define VTI_VPD_VGR            1024u  /* 16 x 8: virtual bank-1 GR16-31 */
#define VTI_VPD_VBGR           1152u  /* 16 x 8: virtual bank-0 GR16-31 */
#define VTI_VPD_VNAT           1280u  /* 8: NaT bits of vgr */
#define VTI_VPD_VBNAT          1288u  /* 8: NaT bits of vbgr */
#define VTI_VPD_VCPUID         1296u  /* 5 x 8: mov-from-CPUID values */
#define VTI_VPD_VPSR           1424u  /* 8: virtual PSR */
#define VTI_VPD_VPR            1432u  /* 8: virtual predicates */
#define VTI_VPD_VRSE_CFLE      1440u  /* 8: vrse / CFLE word */
#define VTI_VPD_VCR            2048u  /* 128 x 8: virtual control regs */
#define VTI_VPD_VTPR           2576u  /* = VTI_VPD_VCR_OFF(VTI_VCR_TPR) */
#define VTI_VPD_VRR            3072u  /* 1024: virtual region registers */
#define VTI_VPD_VMM_AVAIL      31744u /* 128 x 8: free for the VMM */
#define VTI_VPD_RESERVED       32768u /* 32768-65535 reserved */

#define VTI_VPD_NGR     16u  /* entries of vgr / vbgr (GR16-31) */
#define VTI_VPD_NCPUID  5u   /* entries of vcpuid */
#define VTI_VPD_NCR     128u /* entries of vcr */

/* Offset of virtual control register `n` (0..127). */
#define VTI_VPD_VCR_OFF(n) (VTI_VPD_VCR + 8u * (unsigned)(n))

/* ---- virtual control register numbers (index into vcr[]) [C6] ---------- */
/* The same numbers as the architectural CR numbers (Vol. 2 "Control
 * Registers"), which is how vcr[] is indexed. */
#define VTI_VCR_DCR   0u
#define VTI_VCR_ITM   1u
#define VTI_VCR_IVA   2u
#define VTI_VCR_PTA   8u
#define VTI_VCR_IPSR  16u
#define VTI_VCR_ISR   17u
#define VTI_VCR_IIP   19u
#define VTI_VCR_IFA   20u
#define VTI_VCR_ITIR  21u
#define VTI_VCR_IIPA  22u
#define VTI_VCR_IFS   23u
#define VTI_VCR_IIM   24u
#define VTI_VCR_IHA   25u
#define VTI_VCR_LID   64u
#define VTI_VCR_IVR   65u
#define VTI_VCR_TPR   66u
#define VTI_VCR_EOI   67u
#define VTI_VCR_IRR0  68u   /* IRR0-3: 68-71 */
#define VTI_VCR_ITV   72u
#define VTI_VCR_PMV   73u
#define VTI_VCR_CMCV  74u
#define VTI_VCR_LRR0  80u
#define VTI_VCR_LRR1  81u

/* ---- vac: virtualization acceleration control bits [C6, LX-vti] -------- */
#define VTI_VAC_A_INT         (1ull << 0)  /* virtual external interrupts */
#define VTI_VAC_A_FROM_INT_CR (1ull << 1)  /* reads of interruption CRs */
#define VTI_VAC_A_TO_INT_CR   (1ull << 2)  /* writes of interruption CRs */
#define VTI_VAC_A_FROM_PSR    (1ull << 3)  /* mov from PSR */
#define VTI_VAC_A_FROM_CPUID  (1ull << 4)  /* mov from CPUID */
#define VTI_VAC_A_COVER       (1ull << 5)  /* cover */
#define VTI_VAC_A_BSW         (1ull << 6)  /* bsw.0 / bsw.1 */
#define VTI_VAC_DEFINED       0x7Full      /* bits 63:7 reserved */

/* ---- vdc: virtualization disable control bits [C6, LX-vti] ------------- */
#ifndef VTI_VDC_D_VMSW                     /* also in vti.h (executor) */
#define VTI_VDC_D_VMSW        (1ull << 0)  /* vmsw always intercepts */
#endif
#define VTI_VDC_D_EXTINT      (1ull << 1)  /* CR65-71 accessed directly */
#define VTI_VDC_D_IBR_DBR     (1ull << 2)  /* IBR/DBR not virtualized */
#define VTI_VDC_D_PMC         (1ull << 3)  /* PMC not virtualized */
#define VTI_VDC_D_TO_PMD      (1ull << 4)  /* mov to PMD not virtualized */
#define VTI_VDC_D_ITM         (1ull << 5)  /* ITM not virtualized */
#define VTI_VDC_DEFINED       0x3Full      /* C6: a 7th (PSR.i) disable in
                                              rev 2.3 has no verified bit */

/* ---- vhpi encoding [XEN-vlsapic update_vhpi(): Xen ia64 vlsapic.c] ------ */
/* 0 none; 1..15 the priority class (vector >> 4) of the highest pending
 * vector; 16 ExtINT; 32 NMI. */
#define VTI_VHPI_NONE   0u
#define VTI_VHPI_EXTINT 16u
#define VTI_VHPI_NMI    32u

#endif /* VTI_MODEL_VTI_VPD_H */
