/* emu/aarch64/branch: front end for branches, exception generation and system instructions
 * (top-level group 101x, Arm ARM C4.1.65 and following). Pure: turns an encoding into a
 * struct a64_op as branch.h describes, or leaves cls INVALID for what EL0 Linux may not run
 * or this CPU does not advertise (UNDEF: SIGILL in the guest). Reads only features.c's data. */
#include "emu/aarch64/a64.h"
#include "emu/aarch64/branch.h"
#include "emu/aarch64/features.h"

/* System register ids, as MRS/MSR bits 19:5 (features.h's packing). */
#define SR(op0, op1, crn, crm, op2) \
	((uint32_t)(((op0) - 2) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define SR_NZCV SR(3, 3, 4, 2, 0)
#define SR_FPCR SR(3, 3, 4, 4, 0)
#define SR_FPSR SR(3, 3, 4, 4, 1)
#define SR_TPIDR_EL0 SR(3, 3, 13, 0, 2)
#define SR_TPIDRRO_EL0 SR(3, 3, 13, 0, 3)
#define SR_CNTVCT_EL0 SR(3, 3, 14, 0, 2)
#define SR_CNTVCTSS_EL0 SR(3, 3, 14, 0, 6)

/* SYS instruction ids: op1:CRn:CRm:op2, bits 18:5. */
#define SYSOP(op1, crn, crm, op2) ((uint32_t)((op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define SYS_DC_ZVA SYSOP(3, 7, 4, 1)
#define SYS_IC_IVAU SYSOP(3, 7, 5, 1)
#define SYS_DC_CVAC SYSOP(3, 7, 10, 1)
#define SYS_DC_CVAU SYSOP(3, 7, 11, 1)
#define SYS_DC_CVAP SYSOP(3, 7, 12, 1)
#define SYS_DC_CIVAC SYSOP(3, 7, 14, 1)

static inline uint32_t bits(uint32_t insn, unsigned hi, unsigned lo)
{
	return (insn >> lo) & ((2u << (hi - lo)) - 1);
}

static inline int64_t sext(uint64_t v, unsigned width)
{
	return (int64_t)(v << (64 - width)) >> (64 - width);
}

/* An EL0 branch target under Linux's TCR_EL1.TBI0: bits 63:56 become copies of bit 55. */
static inline uint64_t clean_target(uint64_t addr)
{
	return (uint64_t)sext(addr, 56);
}

/* A source register field where 31 means the zero register. */
static inline uint8_t src_reg(uint32_t r)
{
	return r == 31 ? REG_ZR : (uint8_t)r;
}

static inline uint8_t dst_reg(uint32_t r)
{
	return r == 31 ? REG_ZW : (uint8_t)r;
}

static bool set(struct a64_op *op, enum a64_branch_kind kind, bool ends)
{
	op->cls = A64_CLS_BRANCH;
	op->kind = (uint16_t)kind;
	return ends;
}

/* Unconditional branch (immediate): B, BL. */
static bool dec_b_imm(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	op->imm = (int64_t)clean_target(pc + (uint64_t)(sext(bits(insn, 25, 0), 26) * 4));
	if (insn & (1u << 31)) {
		op->rd = 30;
		return set(op, A64_BR_BL, true);
	}
	return set(op, A64_BR_B, true);
}

/* Compare and branch (CBZ, CBNZ) and test and branch (TBZ, TBNZ). */
static bool dec_cb_tb(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	bool nz = insn & (1u << 24);
	op->rn = src_reg(bits(insn, 4, 0));
	if (!(insn & (1u << 25))) {
		op->sf = (uint8_t)(insn >> 31);
		op->imm = (int64_t)clean_target(pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4));
		return set(op, nz ? A64_BR_CBNZ : A64_BR_CBZ, true);
	}
	op->shift = (uint8_t)(bits(insn, 31, 31) << 5 | bits(insn, 23, 19));
	op->sf = op->shift >= 32;
	op->imm = (int64_t)clean_target(pc + (uint64_t)(sext(bits(insn, 18, 5), 14) * 4));
	return set(op, nz ? A64_BR_TBNZ : A64_BR_TBZ, true);
}

/* Conditional branch (immediate): B.cond. BC.cond (FEAT_HBC, bit 4) is not advertised. */
static bool dec_bcond(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	if (insn & (1u << 24) || insn & (1u << 4))
		return true;
	op->cond = (uint8_t)bits(insn, 3, 0);
	op->imm = (int64_t)clean_target(pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4));
	return set(op, A64_BR_BCOND, true);
}

/* Exception generation: SVC and BRK. HVC, SMC, HLT, DCPS and TCANCEL stay UNDEF at EL0. */
static bool dec_exception(uint32_t insn, struct a64_op *op)
{
	uint32_t opc = bits(insn, 23, 21), op2 = bits(insn, 4, 2), ll = bits(insn, 1, 0);
	if (op2 != 0)
		return true;
	op->imm = bits(insn, 20, 5);
	if (opc == 0 && ll == 1)
		return set(op, A64_BR_SVC, true);
	if (opc == 1 && ll == 0)
		return set(op, A64_BR_BRK, true);
	return true;
}

/* Unconditional branch (register): BR, BLR, RET. The PAuth forms (op3 != 0, BRAA, BLRAA,
 * RETAA ...), ERET and DRPS stay UNDEF: PAuth is not advertised and EL0 has no ERET. */
static bool dec_b_reg(uint32_t insn, struct a64_op *op)
{
	uint32_t opc = bits(insn, 24, 21), op2 = bits(insn, 20, 16), op3 = bits(insn, 15, 10);
	uint32_t op4 = bits(insn, 4, 0);
	if (op2 != 0x1f || op3 != 0 || op4 != 0)
		return true;
	op->rn = src_reg(bits(insn, 9, 5));
	switch (opc) {
	case 0: return set(op, A64_BR_BR, true);
	case 1: op->rd = 30; return set(op, A64_BR_BLR, true);
	case 2: return set(op, A64_BR_RET, true);
	}
	return true;
}

/* Barriers: CLREX, DSB (with SSBB and PSSBB), DMB, ISB. SB, DSB nXS and TCOMMIT are
 * features this CPU does not advertise. Rt must be 31. */
static bool dec_barrier(uint32_t insn, struct a64_op *op)
{
	uint32_t crm = bits(insn, 11, 8), op2 = bits(insn, 7, 5);
	if (bits(insn, 4, 0) != 0x1f)
		return true;
	op->imm = crm;
	switch (op2) {
	case 2: return set(op, A64_BR_CLREX, false);
	case 4: return set(op, A64_BR_DSB, false);
	case 5: return set(op, A64_BR_DMB, false);
	case 6: return set(op, A64_BR_ISB, true);
	}
	return true;
}

/* SYS (L = 0, op0 = 1): the cache maintenance EL0 may do under Linux (SCTLR_EL1.UCI, DZE). */
static bool dec_sys(uint32_t insn, struct a64_op *op)
{
	uint32_t id = bits(insn, 18, 5);
	op->rn = src_reg(bits(insn, 4, 0));
	op->imm2 = id;
	switch (id) {
	case SYS_DC_ZVA:
		return set(op, A64_BR_DC_ZVA, false);
	case SYS_IC_IVAU:
		return set(op, A64_BR_IC_IVAU, true);
	case SYS_DC_CVAC:
	case SYS_DC_CVAU:
	case SYS_DC_CVAP:
	case SYS_DC_CIVAC:
		return set(op, A64_BR_DC_CLEAN, false);
	}
	return true;
}

/* Linux answers an EL0 MRS of the ID register space (op0 3, op1 0, CRn 0, CRm 2..7) that it
 * does not know with 0 (HWCAP_CPUID emulation; CRm 0 and 1 beyond MIDR/MPIDR/REVIDR raise
 * SIGILL). */
static bool id_space_raz(uint32_t id)
{
	uint32_t crm = (id >> 3) & 0xf;
	return (id & ~(uint32_t)0x7f) == SR(3, 0, 0, 0, 0) && crm >= 2 && crm <= 7;
}

/* MRS and MSR (register): the registers EL0 Linux programs use. */
static bool dec_sysreg(uint32_t insn, struct a64_op *op)
{
	bool read = insn & (1u << 21);
	uint32_t id = bits(insn, 19, 5), rt = bits(insn, 4, 0);
	uint64_t value;
	op->imm2 = id;
	if (read) {
		op->rd = dst_reg(rt);
		switch (id) {
		case SR_NZCV: return set(op, A64_BR_MRS_NZCV, false);
		case SR_FPCR: return set(op, A64_BR_MRS_FPCR, false);
		case SR_FPSR: return set(op, A64_BR_MRS_FPSR, false);
		case SR_TPIDR_EL0: return set(op, A64_BR_MRS_TPIDR, false);
		case SR_CNTVCT_EL0:
		case SR_CNTVCTSS_EL0: return set(op, A64_BR_MRS_CNTVCT, false);
		case SR_TPIDRRO_EL0: /* the kernel keeps it 0 for 64-bit tasks */
			op->imm = 0;
			return set(op, A64_BR_MRS_CONST, false);
		}
		if (a64_sysreg_id(id, &value)) {
			op->imm = (int64_t)value;
			return set(op, A64_BR_MRS_CONST, false);
		}
		if (id_space_raz(id)) {
			op->imm = 0;
			return set(op, A64_BR_MRS_CONST, false);
		}
		return true;
	}
	op->rn = src_reg(rt);
	switch (id) {
	case SR_NZCV: return set(op, A64_BR_MSR_NZCV, false);
	case SR_FPCR: return set(op, A64_BR_MSR_FPCR, true);
	case SR_FPSR: return set(op, A64_BR_MSR_FPSR, false);
	case SR_TPIDR_EL0: return set(op, A64_BR_MSR_TPIDR, false);
	}
	return true;
}

/* The system instruction space, bits 31:22 = 1101010100. */
static bool dec_system(uint32_t insn, struct a64_op *op)
{
	uint32_t l = bits(insn, 21, 21), op0 = bits(insn, 20, 19), op1 = bits(insn, 18, 16);
	uint32_t crn = bits(insn, 15, 12);
	if (op0 >= 2)
		return dec_sysreg(insn, op);
	if (l)
		return true; /* SYSL, and L = 1 with op0 = 0: nothing at EL0 */
	if (op0 == 1)
		return dec_sys(insn, op);
	/* op0 = 0: hints, barriers, PSTATE. */
	if (op1 == 3 && crn == 2 && bits(insn, 4, 0) == 0x1f) {
		op->imm = bits(insn, 11, 5);
		return set(op, A64_BR_NOP, false);
	}
	if (op1 == 3 && crn == 3)
		return dec_barrier(insn, op);
	/* MSR (immediate) to PSTATE: DAIFSet/Clr trap at EL0 (SCTLR_EL1.UMA is 0) and SSBS, DIT,
	 * TCO, CFINV, XAFLAG, AXFLAG belong to features not advertised. WFET/WFIT (CRn 1)
	 * likewise. */
	return true;
}

bool a64_decode_branch(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	memset(op, 0, sizeof *op);
	op->insn = insn;
	op->pc = pc;
	/* Bits 31:29 (op0) and 25:22 split the group. */
	switch (bits(insn, 31, 29)) {
	case 0: case 4: /* x00: B, BL */
		return dec_b_imm(insn, pc, op);
	case 1: case 5: /* x01: CBZ/CBNZ (bit 25 = 0), TBZ/TBNZ (bit 25 = 1) */
		return dec_cb_tb(insn, pc, op);
	case 2: /* 010: B.cond (bit 25 = 0); bit 25 = 1 is unallocated here */
		if (insn & (1u << 25))
			return true;
		return dec_bcond(insn, pc, op);
	case 6: /* 110 */
		if (bits(insn, 25, 24) == 0)
			return dec_exception(insn, op);
		if (bits(insn, 25, 22) == 4)
			return dec_system(insn, op);
		if (insn & (1u << 25))
			return dec_b_reg(insn, op);
		return true;
	}
	return true; /* x11: unallocated (or features not advertised) */
}
