/* emu/aarch64/simd-arith: front end for the arithmetic groups of Advanced SIMD, vector and
 * scalar, integer and floating point: three same, three different, two-register misc, across
 * lanes, scalar pairwise, shift by immediate, by element. Table-driven: each group's opcode
 * gives a kind and the element sizes it allows (for the vector and the scalar form). Kinds
 * and fields: simd.h. Pure: no CPU state, no memory. */
#include "emu/aarch64/simd-dec.h"

/* Allowed sizes, as a mask of 1 << size. Vector forms with size 3 also need Q = 1. */
#define SZ_B 0x1
#define SZ_HS 0x6
#define SZ_BHS 0x7
#define SZ_D 0x8
#define SZ_ALL 0xf

struct ent {
	uint16_t kind;
	uint8_t vsz; /* sizes of the vector form */
	uint8_t ssz; /* sizes of the scalar form (0: none) */
};

#define E(k, v, s) { A64_SIMD_##k, v, s }

static void regs3(uint32_t insn, struct a64_op *op)
{
	op->rm = (uint8_t)simd_field(insn, 16, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
}

/* Common acceptance of a table entry for the integer groups. */
static bool take(const struct ent *e, struct a64_op *op, unsigned size, unsigned q, bool scalar)
{
	if (!e->kind)
		return false;
	if (scalar) {
		if (!(e->ssz >> size & 1))
			return false;
		op->flags |= A64_SIMD_F_SCALAR;
		op->sf = 0;
	} else {
		if (!(e->vsz >> size & 1) || (size == 3 && !q))
			return false;
		op->sf = (uint8_t)q;
	}
	op->kind = e->kind;
	op->size = (uint8_t)size;
	return true;
}

/* FP element size and arrangement: sz = 1 (double) needs Q = 1 in vector forms. */
static bool take_fp(uint16_t kind, struct a64_op *op, unsigned sz, unsigned q, bool scalar)
{
	if (!kind)
		return false;
	if (scalar) {
		op->flags |= A64_SIMD_F_SCALAR;
		op->sf = 0;
	} else {
		if (sz && !q)
			return false;
		op->sf = (uint8_t)q;
	}
	op->kind = kind;
	op->size = (uint8_t)(2 + sz);
	return true;
}

/* ---- three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd (scalar: 01 U 11110 ...) ---- */

static const struct ent three_same[2][24] = {
	{
		E(SHADD, SZ_BHS, 0), E(SQADD, SZ_ALL, SZ_ALL), E(SRHADD, SZ_BHS, 0), {0, 0, 0},
		E(SHSUB, SZ_BHS, 0), E(SQSUB, SZ_ALL, SZ_ALL), E(CMGT, SZ_ALL, SZ_D),
		E(CMGE, SZ_ALL, SZ_D), E(SSHL, SZ_ALL, SZ_D), E(SQSHL, SZ_ALL, SZ_ALL),
		E(SRSHL, SZ_ALL, SZ_D), E(SQRSHL, SZ_ALL, SZ_ALL), E(SMAX, SZ_BHS, 0),
		E(SMIN, SZ_BHS, 0), E(SABD, SZ_BHS, 0), E(SABA, SZ_BHS, 0), E(ADD, SZ_ALL, SZ_D),
		E(CMTST, SZ_ALL, SZ_D), E(MLA, SZ_BHS, 0), E(MUL, SZ_BHS, 0), E(SMAXP, SZ_BHS, 0),
		E(SMINP, SZ_BHS, 0), E(SQDMULH, SZ_HS, SZ_HS), E(ADDP, SZ_ALL, 0),
	},
	{
		E(UHADD, SZ_BHS, 0), E(UQADD, SZ_ALL, SZ_ALL), E(URHADD, SZ_BHS, 0), {0, 0, 0},
		E(UHSUB, SZ_BHS, 0), E(UQSUB, SZ_ALL, SZ_ALL), E(CMHI, SZ_ALL, SZ_D),
		E(CMHS, SZ_ALL, SZ_D), E(USHL, SZ_ALL, SZ_D), E(UQSHL, SZ_ALL, SZ_ALL),
		E(URSHL, SZ_ALL, SZ_D), E(UQRSHL, SZ_ALL, SZ_ALL), E(UMAX, SZ_BHS, 0),
		E(UMIN, SZ_BHS, 0), E(UABD, SZ_BHS, 0), E(UABA, SZ_BHS, 0), E(SUB, SZ_ALL, SZ_D),
		E(CMEQ, SZ_ALL, SZ_D), E(MLS, SZ_BHS, 0), E(PMUL, SZ_B, 0), E(UMAXP, SZ_BHS, 0),
		E(UMINP, SZ_BHS, 0), E(SQRDMULH, SZ_HS, SZ_HS), {0, 0, 0},
	},
};

/* FP three same, opcode 11xxx: [U][a][opcode & 7]; bit 15 of the value: scalar form exists. */
#define SC 0x8000
static const uint16_t three_same_fp[2][2][8] = {
	{
		{ A64_SIMD_FMAXNM, A64_SIMD_FMLA, A64_SIMD_FADD, A64_SIMD_FMULX | SC,
		  A64_SIMD_FCMEQ | SC, 0, A64_SIMD_FMAX, A64_SIMD_FRECPS | SC },
		{ A64_SIMD_FMINNM, A64_SIMD_FMLS, A64_SIMD_FSUB, 0, 0, 0, A64_SIMD_FMIN,
		  A64_SIMD_FRSQRTS | SC },
	},
	{
		{ A64_SIMD_FMAXNMP, 0, A64_SIMD_FADDP, A64_SIMD_FMUL, A64_SIMD_FCMGE | SC,
		  A64_SIMD_FACGE | SC, A64_SIMD_FMAXP, A64_SIMD_FDIV },
		{ A64_SIMD_FMINNMP, 0, A64_SIMD_FABD | SC, 0, A64_SIMD_FCMGT | SC,
		  A64_SIMD_FACGT | SC, A64_SIMD_FMINP, 0 },
	},
};

static bool fp_entry(uint16_t v, bool scalar, uint16_t *kind)
{
	if (scalar && !(v & SC))
		return false;
	*kind = v & (uint16_t)~SC;
	return *kind != 0;
}

bool simd_dec_three_same(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned size = simd_field(insn, 22, 2), opcode = simd_field(insn, 11, 5);
	regs3(insn, op);
	if (opcode >= 0x18) {
		uint16_t kind;
		if (!fp_entry(three_same_fp[u][size >> 1][opcode & 7], scalar, &kind))
			return false;
		return take_fp(kind, op, size & 1, q, scalar);
	}
	if (opcode == 3) { /* logical: size selects the operation; the lanes are bytes */
		static const uint16_t logic[2][4] = {
			{ A64_SIMD_AND, A64_SIMD_BIC, A64_SIMD_ORR, A64_SIMD_ORN },
			{ A64_SIMD_EOR, A64_SIMD_BSL, A64_SIMD_BIT, A64_SIMD_BIF },
		};
		if (scalar)
			return false;
		op->kind = logic[u][size];
		op->sf = (uint8_t)q;
		op->size = 0;
		return true;
	}
	return take(&three_same[u][opcode], op, size, q, scalar);
}

/* ---- three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd ---- */

static const struct ent three_diff[2][16] = {
	{
		E(SADDL, SZ_BHS, 0), E(SADDW, SZ_BHS, 0), E(SSUBL, SZ_BHS, 0), E(SSUBW, SZ_BHS, 0),
		E(ADDHN, SZ_BHS, 0), E(SABAL, SZ_BHS, 0), E(SUBHN, SZ_BHS, 0), E(SABDL, SZ_BHS, 0),
		E(SMLAL, SZ_BHS, 0), E(SQDMLAL, SZ_HS, SZ_HS), E(SMLSL, SZ_BHS, 0),
		E(SQDMLSL, SZ_HS, SZ_HS), E(SMULL, SZ_BHS, 0), E(SQDMULL, SZ_HS, SZ_HS),
		E(PMULL, SZ_B, 0), {0, 0, 0},
	},
	{
		E(UADDL, SZ_BHS, 0), E(UADDW, SZ_BHS, 0), E(USUBL, SZ_BHS, 0), E(USUBW, SZ_BHS, 0),
		E(RADDHN, SZ_BHS, 0), E(UABAL, SZ_BHS, 0), E(RSUBHN, SZ_BHS, 0), E(UABDL, SZ_BHS, 0),
		E(UMLAL, SZ_BHS, 0), {0, 0, 0}, E(UMLSL, SZ_BHS, 0), {0, 0, 0},
		E(UMULL, SZ_BHS, 0), {0, 0, 0}, {0, 0, 0}, {0, 0, 0},
	},
};

bool simd_dec_three_diff(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned size = simd_field(insn, 22, 2), opcode = simd_field(insn, 12, 4);
	regs3(insn, op);
	/* Q selects the "2" forms here, not the register width: size 3 never allowed (the
	 * 64-bit PMULL is crypto, not advertised). */
	if (!take(&three_diff[u][opcode], op, size, 1, scalar))
		return false;
	if (!scalar)
		op->sf = (uint8_t)q;
	return true;
}

/* ---- two-register misc: 0 Q U 01110 size 10000 opcode 10 Rn Rd ---- */

static const struct ent two_misc[2][32] = {
	{
		[0x00] = E(REV64, SZ_BHS, 0), [0x01] = E(REV16, SZ_B, 0),
		[0x02] = E(SADDLP, SZ_BHS, 0), [0x03] = E(SUQADD, SZ_ALL, SZ_ALL),
		[0x04] = E(CLS, SZ_BHS, 0), [0x05] = E(CNT, SZ_B, 0),
		[0x06] = E(SADALP, SZ_BHS, 0), [0x07] = E(SQABS, SZ_ALL, SZ_ALL),
		[0x08] = E(CMGT0, SZ_ALL, SZ_D), [0x09] = E(CMEQ0, SZ_ALL, SZ_D),
		[0x0a] = E(CMLT0, SZ_ALL, SZ_D), [0x0b] = E(ABS, SZ_ALL, SZ_D),
		[0x12] = E(XTN, SZ_BHS, 0), [0x14] = E(SQXTN, SZ_BHS, SZ_BHS),
	},
	{
		[0x00] = E(REV32, 0x3, 0), [0x02] = E(UADDLP, SZ_BHS, 0),
		[0x03] = E(USQADD, SZ_ALL, SZ_ALL), [0x04] = E(CLZ, SZ_BHS, 0),
		[0x05] = E(NOT, 0x3, 0), /* size 1: RBIT */
		[0x06] = E(UADALP, SZ_BHS, 0), [0x07] = E(SQNEG, SZ_ALL, SZ_ALL),
		[0x08] = E(CMGE0, SZ_ALL, SZ_D), [0x09] = E(CMLE0, SZ_ALL, SZ_D),
		[0x0b] = E(NEG, SZ_ALL, SZ_D), [0x12] = E(SQXTUN, SZ_BHS, SZ_BHS),
		[0x13] = E(SHLL, SZ_BHS, 0), [0x14] = E(UQXTN, SZ_BHS, SZ_BHS),
	},
};

/* FP two-register misc: [U][a][opcode - 0x0c]; SC: a scalar form exists. */
static const uint16_t two_misc_fp[2][2][20] = {
	{
		{ [0x16 - 0x0c] = A64_SIMD_FCVTN, [0x17 - 0x0c] = A64_SIMD_FCVTL,
		  [0x18 - 0x0c] = A64_SIMD_FRINTN, [0x19 - 0x0c] = A64_SIMD_FRINTM,
		  [0x1a - 0x0c] = A64_SIMD_FCVTNS | SC, [0x1b - 0x0c] = A64_SIMD_FCVTMS | SC,
		  [0x1c - 0x0c] = A64_SIMD_FCVTAS | SC, [0x1d - 0x0c] = A64_SIMD_SCVTF | SC },
		{ [0x0c - 0x0c] = A64_SIMD_FCMGT0 | SC, [0x0d - 0x0c] = A64_SIMD_FCMEQ0 | SC,
		  [0x0e - 0x0c] = A64_SIMD_FCMLT0 | SC, [0x0f - 0x0c] = A64_SIMD_FABS,
		  [0x18 - 0x0c] = A64_SIMD_FRINTP, [0x19 - 0x0c] = A64_SIMD_FRINTZ,
		  [0x1a - 0x0c] = A64_SIMD_FCVTPS | SC, [0x1b - 0x0c] = A64_SIMD_FCVTZS | SC,
		  [0x1c - 0x0c] = A64_SIMD_URECPE, [0x1d - 0x0c] = A64_SIMD_FRECPE | SC,
		  [0x1f - 0x0c] = A64_SIMD_FRECPX | SC },
	},
	{
		{ [0x16 - 0x0c] = A64_SIMD_FCVTXN | SC, [0x18 - 0x0c] = A64_SIMD_FRINTA,
		  [0x19 - 0x0c] = A64_SIMD_FRINTX, [0x1a - 0x0c] = A64_SIMD_FCVTNU | SC,
		  [0x1b - 0x0c] = A64_SIMD_FCVTMU | SC, [0x1c - 0x0c] = A64_SIMD_FCVTAU | SC,
		  [0x1d - 0x0c] = A64_SIMD_UCVTF | SC },
		{ [0x0c - 0x0c] = A64_SIMD_FCMGE0 | SC, [0x0d - 0x0c] = A64_SIMD_FCMLE0 | SC,
		  [0x0f - 0x0c] = A64_SIMD_FNEG, [0x19 - 0x0c] = A64_SIMD_FRINTI,
		  [0x1a - 0x0c] = A64_SIMD_FCVTPU | SC, [0x1b - 0x0c] = A64_SIMD_FCVTZU | SC,
		  [0x1c - 0x0c] = A64_SIMD_URSQRTE, [0x1d - 0x0c] = A64_SIMD_FRSQRTE | SC,
		  [0x1f - 0x0c] = A64_SIMD_FSQRT },
	},
};

bool simd_dec_two_misc(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned size = simd_field(insn, 22, 2), opcode = simd_field(insn, 12, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	const struct ent *e = &two_misc[u][opcode];
	if (e->kind) {
		/* Long, narrowing, pairwise and byte kinds use Q for the "2" form or the width
		 * and never allow size 3, so the common check is harmless. */
		if (!take(e, op, size, q || size != 3, scalar))
			return false;
		if (!scalar)
			op->sf = (uint8_t)q;
		if (e->kind == A64_SIMD_NOT && size == 1)
			op->kind = A64_SIMD_RBIT;
		if (op->kind == A64_SIMD_NOT || op->kind == A64_SIMD_RBIT)
			op->size = 0;
		return true;
	}
	if (opcode < 0x0c)
		return false;
	uint16_t kind;
	if (!fp_entry(two_misc_fp[u][size >> 1][opcode - 0x0c], scalar, &kind))
		return false;
	unsigned sz = size & 1;
	switch (kind) {
	case A64_SIMD_FCVTN: case A64_SIMD_FCVTL: /* narrow format: H (sz 0) or S (sz 1) */
		op->kind = kind;
		op->sf = (uint8_t)q;
		op->size = (uint8_t)(1 + sz);
		return true;
	case A64_SIMD_FCVTXN: /* double to single only */
		if (!sz)
			return false;
		op->kind = kind;
		op->size = 2;
		op->sf = scalar ? 0 : (uint8_t)q;
		op->flags = scalar ? A64_SIMD_F_SCALAR : 0;
		return true;
	case A64_SIMD_FRECPX: /* scalar only */
		if (!scalar)
			return false;
		break;
	case A64_SIMD_URECPE: case A64_SIMD_URSQRTE: /* 32-bit integer lanes only */
		if (sz)
			return false;
		break;
	default:
		break;
	}
	return take_fp(kind, op, sz, q, scalar);
}

/* ---- across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd ---- */

bool simd_dec_across(uint32_t insn, struct a64_op *op)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned size = simd_field(insn, 22, 2), opcode = simd_field(insn, 12, 5);
	uint16_t kind = 0;
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	op->sf = (uint8_t)q;
	switch (opcode) {
	case 0x03: kind = u ? A64_SIMD_UADDLV : A64_SIMD_SADDLV; break;
	case 0x0a: kind = u ? A64_SIMD_UMAXV : A64_SIMD_SMAXV; break;
	case 0x1a: kind = u ? A64_SIMD_UMINV : A64_SIMD_SMINV; break;
	case 0x1b: kind = u ? 0 : A64_SIMD_ADDV; break;
	case 0x0c: case 0x0f: /* FMAXNMV FMINNMV FMAXV FMINV: 4S only (U = 0 is FP16) */
		if (!u || !q || (size & 1))
			return false;
		if (opcode == 0x0c)
			kind = size >> 1 ? A64_SIMD_FMINNMV : A64_SIMD_FMAXNMV;
		else
			kind = size >> 1 ? A64_SIMD_FMINV : A64_SIMD_FMAXV;
		op->kind = kind;
		op->size = 2;
		return true;
	default: return false;
	}
	if (!kind || size == 3 || (size == 2 && !q))
		return false;
	op->kind = kind;
	op->size = (uint8_t)size;
	return true;
}

/* ---- scalar pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd ---- */

bool simd_dec_pairwise(uint32_t insn, struct a64_op *op)
{
	unsigned u = simd_field(insn, 29, 1), size = simd_field(insn, 22, 2);
	unsigned opcode = simd_field(insn, 12, 5);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	op->flags = A64_SIMD_F_SCALAR;
	if (!u) {
		if (opcode != 0x1b || size != 3)
			return false; /* the U = 0 FP forms are FP16 */
		op->kind = A64_SIMD_ADDP;
		op->size = 3;
		return true;
	}
	unsigned a = size >> 1;
	switch (opcode) {
	case 0x0c: op->kind = a ? A64_SIMD_FMINNMP : A64_SIMD_FMAXNMP; break;
	case 0x0d: op->kind = a ? 0 : A64_SIMD_FADDP; break;
	case 0x0f: op->kind = a ? A64_SIMD_FMINP : A64_SIMD_FMAXP; break;
	default: return false;
	}
	op->size = (uint8_t)(2 + (size & 1));
	return op->kind != 0;
}

/* ---- shift by immediate: 0 Q U 011110 immh immb opcode 1 Rn Rd ---- */

enum { SH_R, SH_L, SH_NARROW, SH_LONG, SH_FIX };

struct shent {
	uint16_t kind[2]; /* U = 0, 1 */
	uint8_t type;
	uint8_t scalar;   /* scalar form: 0 none, 1 size 3 only, 2 any size (narrow: 0..2) */
};

static const struct shent shift_imm[32] = {
	[0x00] = { { A64_SIMD_SSHR, A64_SIMD_USHR }, SH_R, 1 },
	[0x02] = { { A64_SIMD_SSRA, A64_SIMD_USRA }, SH_R, 1 },
	[0x04] = { { A64_SIMD_SRSHR, A64_SIMD_URSHR }, SH_R, 1 },
	[0x06] = { { A64_SIMD_SRSRA, A64_SIMD_URSRA }, SH_R, 1 },
	[0x08] = { { 0, A64_SIMD_SRI }, SH_R, 1 },
	[0x0a] = { { A64_SIMD_SHL, A64_SIMD_SLI }, SH_L, 1 },
	[0x0c] = { { 0, A64_SIMD_SQSHLU }, SH_L, 2 },
	[0x0e] = { { A64_SIMD_SQSHL_IMM, A64_SIMD_UQSHL_IMM }, SH_L, 2 },
	[0x10] = { { A64_SIMD_SHRN, A64_SIMD_SQSHRUN }, SH_NARROW, 2 },
	[0x11] = { { A64_SIMD_RSHRN, A64_SIMD_SQRSHRUN }, SH_NARROW, 2 },
	[0x12] = { { A64_SIMD_SQSHRN, A64_SIMD_UQSHRN }, SH_NARROW, 2 },
	[0x13] = { { A64_SIMD_SQRSHRN, A64_SIMD_UQRSHRN }, SH_NARROW, 2 },
	[0x14] = { { A64_SIMD_SSHLL, A64_SIMD_USHLL }, SH_LONG, 0 },
	[0x1c] = { { A64_SIMD_SCVTF, A64_SIMD_UCVTF }, SH_FIX, 2 },
	[0x1f] = { { A64_SIMD_FCVTZS, A64_SIMD_FCVTZU }, SH_FIX, 2 },
};

bool simd_dec_shift_imm(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned immh = simd_field(insn, 19, 4), immhb = simd_field(insn, 16, 7);
	unsigned opcode = simd_field(insn, 11, 5);
	const struct shent *e = &shift_imm[opcode];
	if (!immh || !e->kind[u])
		return false;
	unsigned size = 31 - (unsigned)__builtin_clz(immh);
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	op->kind = e->kind[u];
	op->size = (uint8_t)size;
	if (scalar) {
		if (!e->scalar || (e->scalar == 1 && size != 3))
			return false;
		/* SHRN and RSHRN have no scalar form (U = 0 of opcodes 0x10, 0x11). */
		if (op->kind == A64_SIMD_SHRN || op->kind == A64_SIMD_RSHRN)
			return false;
		op->flags = A64_SIMD_F_SCALAR;
	} else {
		op->sf = (uint8_t)q;
	}
	switch (e->type) {
	case SH_R:
		if (!scalar && size == 3 && !q)
			return false;
		op->imm = (16 << size) - immhb;
		break;
	case SH_L:
		if (!scalar && size == 3 && !q)
			return false;
		op->imm = immhb - (8 << size);
		break;
	case SH_NARROW:
		if (size == 3)
			return false;
		op->imm = (16 << size) - immhb;
		break;
	case SH_LONG:
		if (size == 3)
			return false;
		op->imm = immhb - (8 << size);
		break;
	default: /* SH_FIX: imm = fraction bits; S or D only (FP16 not implemented) */
		if (size < 2 || (!scalar && size == 3 && !q))
			return false;
		op->imm = (16 << size) - immhb;
		break;
	}
	return true;
}

/* ---- by element: 0 Q U 01111 size L M Rm opcode H 0 Rn Rd ---- */

/* [U][opcode]: integer kinds; SC: the scalar form exists. */
static const uint16_t elem_int[2][16] = {
	{ [0x2] = A64_SIMD_SMLAL, [0x3] = A64_SIMD_SQDMLAL | SC, [0x6] = A64_SIMD_SMLSL,
	  [0x7] = A64_SIMD_SQDMLSL | SC, [0x8] = A64_SIMD_MUL, [0xa] = A64_SIMD_SMULL,
	  [0xb] = A64_SIMD_SQDMULL | SC, [0xc] = A64_SIMD_SQDMULH | SC,
	  [0xd] = A64_SIMD_SQRDMULH | SC },
	{ [0x0] = A64_SIMD_MLA, [0x2] = A64_SIMD_UMLAL, [0x4] = A64_SIMD_MLS,
	  [0x6] = A64_SIMD_UMLSL, [0xa] = A64_SIMD_UMULL },
};

static const uint16_t elem_fp[2][16] = {
	{ [0x1] = A64_SIMD_FMLA | SC, [0x5] = A64_SIMD_FMLS | SC, [0x9] = A64_SIMD_FMUL | SC },
	{ [0x9] = A64_SIMD_FMULX | SC },
};

bool simd_dec_elem(uint32_t insn, struct a64_op *op, bool scalar)
{
	unsigned q = simd_field(insn, 30, 1), u = simd_field(insn, 29, 1);
	unsigned size = simd_field(insn, 22, 2), opcode = simd_field(insn, 12, 4);
	unsigned l = simd_field(insn, 21, 1), m = simd_field(insn, 20, 1), h = simd_field(insn, 11, 1);
	unsigned rm = simd_field(insn, 16, 4);
	uint16_t kind;
	op->rn = (uint8_t)simd_field(insn, 5, 5);
	op->rd = (uint8_t)simd_field(insn, 0, 5);
	op->flags = A64_SIMD_F_ELEM | (scalar ? A64_SIMD_F_SCALAR : 0);
	op->sf = scalar ? 0 : (uint8_t)q;
	if (elem_fp[u][opcode]) {
		if (!fp_entry(elem_fp[u][opcode], scalar, &kind) || !(size & 2))
			return false;
		unsigned sz = size & 1;
		if (sz) {
			if (l || (!scalar && !q))
				return false;
			op->imm2 = h;
		} else {
			op->imm2 = h << 1 | l;
		}
		op->rm = (uint8_t)(m << 4 | rm);
		op->kind = kind;
		op->size = (uint8_t)(2 + sz);
		return true;
	}
	if (!fp_entry(elem_int[u][opcode], scalar, &kind))
		return false;
	if (size == 1) {
		op->imm2 = h << 2 | l << 1 | m;
		op->rm = (uint8_t)rm;
	} else if (size == 2) {
		op->imm2 = h << 1 | l;
		op->rm = (uint8_t)(m << 4 | rm);
	} else {
		return false;
	}
	op->kind = kind;
	op->size = (uint8_t)size;
	return true;
}
