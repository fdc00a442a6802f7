/* emu/aarch64/fp: front end for the scalar floating-point class: turns an encoding with bit 28
 * set and bit 30 clear in the x111 group into an op whose fields follow fp.h. Pure: no CPU
 * state. Encodings that need features not advertised (FEAT_FP16 arithmetic and moves,
 * FEAT_FRINTTS, FEAT_JSCVT, FEAT_BF16) decode as INVALID and raise SIGILL. */
#include "emu/aarch64/fp.h"

static bool invalid(struct a64_op *op)
{
	op->cls = A64_CLS_INVALID;
	op->kind = A64_FP_NONE;
	return true;
}

/* ftype (bits 23:22): 00 S, 01 D, 11 H; 10 is not a format (0). */
static unsigned fmt_of(unsigned ftype)
{
	static const uint8_t f[4] = { A64_FMT_S, A64_FMT_D, 0, A64_FMT_H };
	return f[ftype];
}

static uint8_t gpr_src(unsigned r)
{
	return r == 31 ? REG_ZR : (uint8_t)r;
}

static uint8_t gpr_dst(unsigned r)
{
	return r == 31 ? REG_ZW : (uint8_t)r;
}

/* VFPExpandImm: imm8 = a:b:cdefgh gives a : NOT(b) : b..b : cd : efgh0..0. */
static uint64_t expand_imm(unsigned imm8, unsigned fmt)
{
	unsigned n = 8u << fmt, e = fmt == A64_FMT_H ? 5 : fmt == A64_FMT_S ? 8 : 11;
	unsigned f = n - e - 1, b = (imm8 >> 6) & 1;
	uint64_t exp = (uint64_t)!b << (e - 1) | (b ? ((1ull << (e - 3)) - 1) << 2 : 0) |
		       ((imm8 >> 4) & 3);
	return (uint64_t)(imm8 >> 7) << (n - 1) | exp << f | (uint64_t)(imm8 & 15) << (f - 4);
}

/* Conversions between FP and general registers (bits 21 = 1, 15:10 = 000000). */
static bool decode_int_conv(uint32_t insn, struct a64_op *op, unsigned fmt)
{
	unsigned sf = insn >> 31, ftype = (insn >> 22) & 3, rmode = (insn >> 19) & 3;
	unsigned opcode = (insn >> 16) & 7, rn = (insn >> 5) & 31, rd = insn & 31;
	static const uint8_t rounding[4] = { A64_RN, A64_RP, A64_RM, A64_RZ };
	op->sf = (uint8_t)sf;
	if (opcode >= 6) { /* FMOV (general) */
		bool to_gpr = opcode == 6;
		if (rmode == 0 && ((sf == 0 && ftype == 0) || (sf == 1 && ftype == 1)))
			op->imm = 0;
		else if (rmode == 1 && sf == 1 && ftype == 2)
			op->imm = 1; /* Vn.D[1] */
		else
			return invalid(op); /* H forms (FP16), FJCVTZS, unallocated */
		op->kind = to_gpr ? A64_FP_TO_GPR : A64_FP_FROM_GPR;
		op->size = sf ? A64_FMT_D : A64_FMT_S;
		op->rd = to_gpr ? gpr_dst(rd) : (uint8_t)rd;
		op->rn = to_gpr ? (uint8_t)rn : gpr_src(rn);
		return false;
	}
	if (fmt != A64_FMT_S && fmt != A64_FMT_D)
		return invalid(op);
	op->size = (uint8_t)fmt;
	op->flags = (opcode & 1) ? A64_FPF_UNSIGNED : 0;
	if (opcode == 2 || opcode == 3) { /* SCVTF, UCVTF */
		if (rmode != 0)
			return invalid(op);
		op->kind = A64_FP_FROM_INT;
		op->rd = (uint8_t)rd;
		op->rn = gpr_src(rn);
		return false;
	}
	if (opcode >= 4) { /* FCVTAS, FCVTAU */
		if (rmode != 0)
			return invalid(op);
		op->ext = A64_RA;
	} else { /* FCVT{N,P,M,Z}{S,U} */
		op->ext = rounding[rmode];
	}
	op->kind = A64_FP_TO_INT;
	op->rd = gpr_dst(rd);
	op->rn = (uint8_t)rn;
	return false;
}

/* Conversions between FP and fixed-point (bit 21 = 0). */
static bool decode_fixed_conv(uint32_t insn, struct a64_op *op, unsigned fmt)
{
	unsigned sf = insn >> 31, rmode = (insn >> 19) & 3, opcode = (insn >> 16) & 7;
	unsigned scale = (insn >> 10) & 63, rn = (insn >> 5) & 31, rd = insn & 31;
	if ((!sf && scale < 32) || (fmt != A64_FMT_S && fmt != A64_FMT_D))
		return invalid(op);
	op->sf = (uint8_t)sf;
	op->size = (uint8_t)fmt;
	op->imm = 64 - scale;
	op->flags = (opcode & 1) ? A64_FPF_UNSIGNED : 0;
	if (rmode == 0 && (opcode == 2 || opcode == 3)) {
		op->kind = A64_FP_FROM_INT;
		op->rd = (uint8_t)rd;
		op->rn = gpr_src(rn);
	} else if (rmode == 3 && opcode <= 1) {
		op->kind = A64_FP_TO_INT;
		op->ext = A64_RZ;
		op->rd = gpr_dst(rd);
		op->rn = (uint8_t)rn;
	} else {
		return invalid(op);
	}
	return false;
}

static bool decode_1src(uint32_t insn, struct a64_op *op, unsigned fmt)
{
	unsigned opcode = (insn >> 15) & 63;
	static const uint8_t frint[8] = { A64_RN, A64_RP, A64_RM, A64_RZ, A64_RA, 0xff,
					  A64_RFPCR, A64_RFPCR };
	if (opcode == 4 || opcode == 5 || opcode == 7) { /* FCVT: to S, D, H */
		unsigned to = opcode == 4 ? A64_FMT_S : opcode == 5 ? A64_FMT_D : A64_FMT_H;
		if (!fmt || fmt == to)
			return invalid(op);
		op->kind = A64_FP_CVT;
		op->size = (uint8_t)to;
		op->ext = (uint8_t)fmt;
		return false;
	}
	if (fmt != A64_FMT_S && fmt != A64_FMT_D)
		return invalid(op);
	op->size = (uint8_t)fmt;
	switch (opcode) {
	case 0: op->kind = A64_FP_MOV; return false;
	case 1: op->kind = A64_FP_ABS; return false;
	case 2: op->kind = A64_FP_NEG; return false;
	case 3: op->kind = A64_FP_SQRT; return false;
	case 8: case 9: case 10: case 11: case 12: case 14: case 15:
		op->kind = A64_FP_RINT;
		op->ext = frint[opcode - 8];
		op->flags = opcode == 14 ? A64_FPF_EXACT : 0;
		return false;
	default: /* BFCVT, FRINT32/64 (FEAT_FRINTTS), unallocated */
		return invalid(op);
	}
}

bool a64_decode_fp(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	unsigned m = insn >> 31, s = (insn >> 29) & 1;
	unsigned fmt = fmt_of((insn >> 22) & 3);
	op->insn = insn;
	op->pc = pc;
	op->cls = A64_CLS_FP;
	op->rd = insn & 31;
	op->rn = (insn >> 5) & 31;
	op->rm = (insn >> 16) & 31;
	if (s)
		return invalid(op);
	if (insn & (1u << 24)) { /* data processing, 3 source */
		if (m || (fmt != A64_FMT_S && fmt != A64_FMT_D))
			return invalid(op);
		bool o1 = insn & (1u << 21), o0 = insn & (1u << 15);
		op->kind = A64_FP_FMA;
		op->size = (uint8_t)fmt;
		op->ra = (insn >> 10) & 31;
		op->flags = (o1 ? A64_FPF_NEG_A : 0) | (o0 != o1 ? A64_FPF_NEG_N : 0);
		return false;
	}
	if (!(insn & (1u << 21))) {
		op->rm = 0;
		return decode_fixed_conv(insn, op, fmt);
	}
	if (((insn >> 10) & 63) == 0) {
		op->rm = 0;
		return decode_int_conv(insn, op, fmt);
	}
	if (m)
		return invalid(op);
	switch ((insn >> 10) & 3) {
	case 1: /* conditional compare */
		if (fmt != A64_FMT_S && fmt != A64_FMT_D)
			return invalid(op);
		op->kind = A64_FP_CCMP;
		op->size = (uint8_t)fmt;
		op->cond = (insn >> 12) & 15;
		op->flags = (insn & (1u << 4)) ? A64_FPF_SIGNAL : 0;
		op->imm = (int64_t)(insn & 15) << 28;
		op->rd = 0;
		return false;
	case 2: { /* data processing, 2 source */
		static const uint8_t kinds[9] = { A64_FP_MUL, A64_FP_DIV, A64_FP_ADD, A64_FP_SUB,
						  A64_FP_MAX, A64_FP_MIN, A64_FP_MAXNM,
						  A64_FP_MINNM, A64_FP_NMUL };
		unsigned opcode = (insn >> 12) & 15;
		if (opcode > 8 || (fmt != A64_FMT_S && fmt != A64_FMT_D))
			return invalid(op);
		op->kind = kinds[opcode];
		op->size = (uint8_t)fmt;
		return false;
	}
	case 3: /* conditional select */
		if (fmt != A64_FMT_S && fmt != A64_FMT_D)
			return invalid(op);
		op->kind = A64_FP_CSEL;
		op->size = (uint8_t)fmt;
		op->cond = (insn >> 12) & 15;
		return false;
	}
	op->rm = 0;
	if (((insn >> 10) & 7) == 4) { /* immediate */
		if (((insn >> 5) & 31) || (fmt != A64_FMT_S && fmt != A64_FMT_D))
			return invalid(op);
		op->kind = A64_FP_MOVI;
		op->size = (uint8_t)fmt;
		op->imm = (int64_t)expand_imm((insn >> 13) & 0xff, fmt);
		op->rn = 0;
		return false;
	}
	if (((insn >> 10) & 15) == 8) { /* compare */
		unsigned opc2 = insn & 31;
		if (((insn >> 14) & 3) || (opc2 & 7) || (fmt != A64_FMT_S && fmt != A64_FMT_D))
			return invalid(op);
		op->kind = A64_FP_CMP;
		op->size = (uint8_t)fmt;
		op->rd = 0;
		op->rm = (insn >> 16) & 31;
		op->flags = (opc2 & 8 ? A64_FPF_ZERO : 0) | (opc2 & 16 ? A64_FPF_SIGNAL : 0);
		if (opc2 & 8)
			op->rm = 0; /* the Rm field is ignored */
		return false;
	}
	if (((insn >> 10) & 31) == 16) /* data processing, 1 source */
		return decode_1src(insn, op, fmt);
	return invalid(op);
}
