/* emu/aarch64/simd: front end for Advanced SIMD (Arm ARM C4.1.95's "Data Processing -- Scalar
 * Floating-Point and Advanced SIMD", the encodings decode.c does not send to fp.c): the group
 * dispatch, and the copy, permute, table, extract and modified-immediate groups. The
 * arithmetic groups are in simd-arith.c. Kinds and fields: simd.h. Pure: no CPU state, no
 * memory. Unallocated encodings, and those of features the CPU does not advertise (FP16,
 * dot product, RDM, crypto...), stay A64_CLS_INVALID. */
#include "emu/aarch64/simd-dec.h"

static inline uint8_t gpr_src(unsigned r)
{
	return r == 31 ? REG_ZR : (uint8_t)r;
}

static inline uint8_t gpr_dst(unsigned r)
{
	return r == 31 ? REG_ZW : (uint8_t)r;
}

/* DUP, INS, UMOV, SMOV: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd; scalar DUP: 01 0 11110000 ... */
static bool dec_copy(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), opb = simd_field(insn, 29, 1);
	unsigned imm5 = simd_field(insn, 16, 5), imm4 = simd_field(insn, 11, 4);
	unsigned rn = simd_field(insn, 5, 5), rd = simd_field(insn, 0, 5);
	if (!(imm5 & 0xf))
		return false;
	unsigned size = (unsigned)__builtin_ctz(imm5);
	unsigned index = imm5 >> (size + 1);
	op->size = (uint8_t)size;
	op->imm = index;
	if (scalar) {
		if (opb || imm4 != 0)
			return false;
		op->kind = A64_SIMD_DUP_ELEM;
		op->flags = A64_SIMD_F_SCALAR;
		op->rd = (uint8_t)rd;
		op->rn = (uint8_t)rn;
		return true;
	}
	op->sf = (uint8_t)q;
	if (opb) {
		if (!q)
			return false;
		op->kind = A64_SIMD_INS_ELEM;
		op->imm2 = imm4 >> size;
		op->rd = (uint8_t)rd;
		op->rn = (uint8_t)rn;
		return true;
	}
	switch (imm4) {
	case 0: /* DUP (element) */
		if (size == 3 && !q)
			return false;
		op->kind = A64_SIMD_DUP_ELEM;
		op->rd = (uint8_t)rd;
		op->rn = (uint8_t)rn;
		return true;
	case 1: /* DUP (general) */
		if (size == 3 && !q)
			return false;
		op->kind = A64_SIMD_DUP_GEN;
		op->imm = 0;
		op->rd = (uint8_t)rd;
		op->rn = gpr_src(rn);
		return true;
	case 3: /* INS (general) */
		if (!q)
			return false;
		op->kind = A64_SIMD_INS_GEN;
		op->rd = (uint8_t)rd;
		op->rn = gpr_src(rn);
		return true;
	case 5: /* SMOV */
		if (size >= 2 + q)
			return false;
		op->kind = A64_SIMD_SMOV;
		break;
	case 7: /* UMOV */
		if (q ? size != 3 : size == 3)
			return false;
		op->kind = A64_SIMD_UMOV;
		break;
	default:
		return false;
	}
	op->rd = gpr_dst(rd);
	op->rn = (uint8_t)rn;
	return true;
}

/* TBL/TBX: 0 Q 001110 00 0 Rm 0 len op 00 Rn Rd */
static bool dec_tbl(uint32_t insn, struct a64_op *op)
{
	if (simd_field(insn, 22, 2))
		return false;
	op->kind = simd_field(insn, 12, 1) ? A64_SIMD_TBX : A64_SIMD_TBL;
	op->sf = (uint8_t)simd_field(insn, 30, 1);
	op->imm = simd_field(insn, 13, 2) + 1;
	op->rm = (uint8_t)simd_field(insn, 16, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	return true;
}

/* UZP/TRN/ZIP: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd */
static bool dec_permute(uint32_t insn, struct a64_op *op)
{
	static const uint16_t kinds[8] = {
		0, A64_SIMD_UZP1, A64_SIMD_TRN1, A64_SIMD_ZIP1,
		0, A64_SIMD_UZP2, A64_SIMD_TRN2, A64_SIMD_ZIP2,
	};
	unsigned q = simd_field(insn, 30, 1), size = simd_field(insn, 22, 2);
	op->kind = kinds[simd_field(insn, 12, 3)];
	if (!op->kind || (size == 3 && !q))
		return false;
	op->sf = (uint8_t)q;
	op->size = (uint8_t)size;
	op->rm = (uint8_t)simd_field(insn, 16, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	return true;
}

/* EXT: 0 Q 101110 00 0 Rm 0 imm4 0 Rn Rd */
static bool dec_ext(uint32_t insn, struct a64_op *op)
{
	unsigned q = simd_field(insn, 30, 1), imm4 = simd_field(insn, 11, 4);
	if (simd_field(insn, 22, 2) || (!q && (imm4 & 8)))
		return false;
	op->kind = A64_SIMD_EXT;
	op->sf = (uint8_t)q;
	op->imm = imm4;
	op->rm = (uint8_t)simd_field(insn, 16, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	return true;
}

static uint64_t rep32(uint64_t v)
{
	return v | v << 32;
}

static uint64_t rep16(uint64_t v)
{
	return v * 0x0001000100010001ull;
}

/* MOVI, MVNI, ORR, BIC (vector, immediate) and FMOV (vector, immediate):
 * 0 Q op 0111100000 a b c cmode o2 1 d e f g h Rd */
static bool dec_modimm(uint32_t insn, struct a64_op *op)
{
	unsigned q = simd_field(insn, 30, 1), opb = simd_field(insn, 29, 1);
	unsigned cmode = simd_field(insn, 12, 4), o2 = simd_field(insn, 11, 1);
	uint64_t imm8 = simd_field(insn, 16, 3) << 5 | simd_field(insn, 5, 5);
	uint64_t imm;
	bool logical = false; /* ORR/BIC */
	if (o2) /* FMOV (vector, immediate, half precision): FEAT_FP16 */
		return false;
	switch (cmode >> 1) {
	case 0: case 1: case 2: case 3: /* 32-bit shifted */
		imm = rep32(imm8 << (8 * (cmode >> 1)));
		logical = cmode & 1;
		break;
	case 4: case 5: /* 16-bit shifted */
		imm = rep16(imm8 << (8 * ((cmode >> 1) & 1)));
		logical = cmode & 1;
		break;
	case 6: /* 32-bit shifting ones */
		imm = rep32(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff);
		break;
	default:
		if (cmode == 14) {
			if (opb) {
				imm = 0;
				for (unsigned i = 0; i < 8; i++)
					if (imm8 >> i & 1)
						imm |= 0xffull << (8 * i);
			} else {
				imm = imm8 * 0x0101010101010101ull;
			}
			opb = 0; /* no MVNI form: the pattern is final */
		} else if (!opb) { /* FMOV Vd.2S/4S: VFPExpandImm to single */
			uint64_t b6 = imm8 >> 6 & 1;
			uint64_t s = (imm8 >> 7) << 31 | (b6 ^ 1) << 30 | (b6 ? 0x1full : 0) << 25 |
				     (imm8 & 0x3f) << 19;
			imm = rep32(s);
		} else { /* FMOV Vd.2D */
			if (!q)
				return false;
			uint64_t b6 = imm8 >> 6 & 1;
			imm = (imm8 >> 7) << 63 | (b6 ^ 1) << 62 | (b6 ? 0xffull : 0) << 54 |
			      (imm8 & 0x3f) << 48;
			opb = 0;
		}
		break;
	}
	if (logical) {
		op->kind = opb ? A64_SIMD_BIC_IMM : A64_SIMD_ORR_IMM;
	} else {
		op->kind = A64_SIMD_MOVI;
		if (opb)
			imm = ~imm; /* MVNI */
	}
	op->imm = (int64_t)imm;
	op->sf = (uint8_t)q;
	op->size = 3;
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	return true;
}

/* Vector forms: bits 31:28 = 0 Q U 0. */
static bool dec_vector(uint32_t insn, struct a64_op *op)
{
	unsigned b24 = simd_field(insn, 24, 1), b23 = simd_field(insn, 23, 1);
	unsigned b21 = simd_field(insn, 21, 1), b15 = simd_field(insn, 15, 1);
	unsigned b1110 = simd_field(insn, 10, 2), u = simd_field(insn, 29, 1);
	if (b24) {
		if (!(b1110 & 1))
			return simd_dec_elem(insn, op, false);
		if (b23)
			return false;
		if (simd_field(insn, 19, 4) == 0)
			return dec_modimm(insn, op);
		return simd_dec_shift_imm(insn, op, false);
	}
	if (b21) {
		if (b1110 & 1)
			return simd_dec_three_same(insn, op, false);
		if (b1110 == 0)
			return simd_dec_three_diff(insn, op, false);
		switch (simd_field(insn, 17, 4)) {
		case 0x0: return simd_dec_two_misc(insn, op, false);
		case 0x8: return simd_dec_across(insn, op);
		default: return false; /* AES (crypto), FP16 two-register misc */
		}
	}
	/* bit 21 = 0 */
	if (b1110 & 1) {
		if (!b15 && !b23 && !simd_field(insn, 22, 1))
			return dec_copy(insn, op, false);
		return false; /* three same extra (dot product, RDM, complex), FP16 three same */
	}
	if (b15)
		return false;
	if (u) /* EXT: bits 14:11 are imm4 */
		return dec_ext(insn, op);
	return b1110 == 0 ? dec_tbl(insn, op) : dec_permute(insn, op);
}

/* Scalar forms: bits 31:28 = 0 1 U 1. */
static bool dec_scalar(uint32_t insn, struct a64_op *op)
{
	unsigned b24 = simd_field(insn, 24, 1), b23 = simd_field(insn, 23, 1);
	unsigned b21 = simd_field(insn, 21, 1), b15 = simd_field(insn, 15, 1);
	unsigned b1110 = simd_field(insn, 10, 2);
	if (b24) {
		if (!(b1110 & 1))
			return simd_dec_elem(insn, op, true);
		if (b23 || simd_field(insn, 19, 4) == 0)
			return false;
		return simd_dec_shift_imm(insn, op, true);
	}
	if (b21) {
		if (b1110 & 1)
			return simd_dec_three_same(insn, op, true);
		if (b1110 == 0)
			return simd_dec_three_diff(insn, op, true);
		switch (simd_field(insn, 17, 4)) {
		case 0x0: return simd_dec_two_misc(insn, op, true);
		case 0x8: return simd_dec_pairwise(insn, op);
		default: return false; /* SHA (crypto), FP16 */
		}
	}
	if ((b1110 & 1) && !b15 && !b23 && !simd_field(insn, 22, 1))
		return dec_copy(insn, op, true);
	return false; /* SHA three-register (crypto), three same extra, FP16 */
}

bool a64_decode_simd(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	(void)pc;
	bool ok;
	if (insn >> 31)
		ok = false; /* crypto four-register, SHA512, SM3/SM4, XAR...: not implemented */
	else if (!(insn & (1u << 28)))
		ok = dec_vector(insn, op);
	else
		ok = dec_scalar(insn, op); /* decode.c sends bit 28 = 1 here only with bit 30 = 1 */
	if (ok) {
		op->cls = A64_CLS_SIMD;
	} else {
		op->cls = A64_CLS_INVALID;
		op->kind = A64_SIMD_INVALID;
	}
	return false;
}
