/* emu/aarch64/branch: the ops of the branch, exception-generation and system class
 * (A64_CLS_BRANCH): their kinds and, per kind, which struct a64_op fields mean what. Written by
 * the front end (branch.c), read by every back end (branch-exec.c is the interpreter's).
 *
 * Common to every kind: op->pc, op->insn, op->cls = A64_CLS_BRANCH. Registers are normalized
 * as a64.h says (REG_SP / REG_ZR for sources / REG_ZW for destinations). Branch targets are
 * absolute guest addresses computed by the decoder (op->imm), already passed through the
 * EL0 top-byte-ignore rule (bits 63:56 = bit 55), as every register target must be at run
 * time. An op "ends the block" when a64_decode returns true for it: its handler always sets
 * cpu->pc and leaves. */
#ifndef VIREO_A64_BRANCH_H
#define VIREO_A64_BRANCH_H

#include <stdint.h>

enum a64_branch_kind {
	A64_BR_NONE = 0,
	/* --- branches (all end the block) --- */
	A64_BR_B,      /* imm = target */
	A64_BR_BL,     /* imm = target; rd = 30 gets pc + 4 */
	A64_BR_BCOND,  /* imm = target; cond = 0..15 (AL and NV always taken); else pc + 4 */
	A64_BR_CBZ,    /* rn = Rt (REG_ZR for 31); sf; imm = target when Rt (sf bits) is zero */
	A64_BR_CBNZ,   /* as CBZ, taken when non-zero */
	A64_BR_TBZ,    /* rn = Rt (REG_ZR for 31); shift = bit number 0..63 (sf = bit >= 32);
	                * imm = target when that bit is 0 */
	A64_BR_TBNZ,   /* as TBZ, taken when the bit is 1 */
	A64_BR_BR,     /* rn = Xn (REG_ZR for 31); target = x[rn] with top byte cleaned */
	A64_BR_BLR,    /* as BR, and rd = 30 gets pc + 4 (the target is read first) */
	A64_BR_RET,    /* as BR (Rn defaults to 30 in the assembler, not here: rn is as encoded) */
	/* --- exception generation (end the block) --- */
	A64_BR_SVC,    /* imm = imm16. cpu->exit = A64_EXIT_SVC, cpu->pc = pc + 4,
	                * cpu->exit_insn = insn */
	A64_BR_BRK,    /* imm = imm16. cpu->exit = A64_EXIT_BRK, cpu->pc = pc (the BRK itself),
	                * cpu->exit_insn = insn */
	/* --- hints and barriers (do not end the block, except ISB) --- */
	A64_BR_NOP,    /* every HINT #n (NOP, YIELD, WFE, WFI, SEV(L), ESB, CSDB, PSB, BTI, the
	                * PAC hints while PAuth is not advertised ...): imm = n (CRm:op2) */
	A64_BR_DMB,    /* imm = CRm (domain and access types); executed as a full fence */
	A64_BR_DSB,    /* imm = CRm (SSBB is CRm 0, PSSBB CRm 4); a full fence */
	A64_BR_ISB,    /* ends the block: next instruction re-fetched (cpu->pc = pc + 4) */
	A64_BR_CLREX,  /* clears the exclusive monitor (cpu->excl_size = 0) */
	/* --- system registers. imm2 = the register's id, MRS/MSR bits 19:5 (as features.h) --- */
	A64_BR_MRS_CONST,  /* rd = Xt (REG_ZW for 31) gets imm: a value known at decode time
	                    * (ID registers, CTR_EL0, DCZID_EL0, CNTFRQ_EL0, TPIDRRO_EL0) */
	A64_BR_MRS_NZCV,   /* rd = Xt gets cpu->nzcv (bits 31:28) */
	A64_BR_MRS_FPCR,   /* rd = Xt gets cpu->fpcr */
	A64_BR_MRS_FPSR,   /* rd = Xt gets cpu->fpsr */
	A64_BR_MRS_TPIDR,  /* rd = Xt gets cpu->tpidr_el0 */
	A64_BR_MRS_CNTVCT, /* rd = Xt gets the virtual count: CLOCK_MONOTONIC in ns (CNTFRQ_EL0
	                    * is 1 GHz); CNTVCT_EL0 and CNTVCTSS_EL0 */
	A64_BR_MSR_NZCV,   /* rn = Xt (REG_ZR for 31): cpu->nzcv = bits 31:28 of it */
	A64_BR_MSR_FPCR,   /* rn = Xt: a64_fpcr_write (fpu.h keeps A64_FPCR_WRITABLE); ends the block, so a
	                    * code generator may treat the rounding mode as a block constant */
	A64_BR_MSR_FPSR,   /* rn = Xt: a64_fpsr_write (fpu.h: A64_FPSR_WRITABLE; MRS reads with a64_fpsr_read) */
	A64_BR_MSR_TPIDR,  /* rn = Xt: cpu->tpidr_el0 = Xt */
	/* --- system instructions (SYS). imm2 = op1:CRn:CRm:op2, bits 18:5 --- */
	A64_BR_DC_ZVA,     /* rn = Xt (REG_ZR for 31): zero the A64_DCZVA_BYTES block at Xt
	                    * aligned down; a store like any other: may fault */
	A64_BR_DC_CLEAN,   /* DC CVAC, CVAU, CVAP, CIVAC (imm2 tells which): rn = Xt; nothing
	                    * to do in a coherent emulator (no fault on a bad address either) */
	A64_BR_IC_IVAU,    /* rn = Xt: translated code of the A64_ICACHE_LINE line holding Xt is
	                    * invalidated; ends the block (cpu->pc = pc + 4) since the block
	                    * running may be one of those invalidated */
	A64_BR_COUNT
};

/* Cache geometry the SYS ops use; must agree with CTR_EL0 and DCZID_EL0 (features.c). */
#define A64_DCZVA_BYTES 64
#define A64_ICACHE_LINE 64
/* Writable bits of FPCR (AHP, DN, FZ, RMode: no FP16, no AArch32 Len/Stride) and FPSR (QC
 * and the cumulative exception flags; bits 31:28 are AArch32's). */

#endif
