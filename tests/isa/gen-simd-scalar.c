/* tests/isa/gen-simd-scalar: the scalar forms of Advanced SIMD (one element in B, H, S or D):
 * three same (saturating, shifts, compares, FMULX, FRECPS, FABD...), two-register miscellaneous
 * (saturating narrows, FCVTXN, conversions, estimates), pairwise (ADDP, FADDP, FMAXP...), shifts
 * by immediate (including narrowing and fixed point), DUP of an element, saturating doubling
 * multiplies, and by element. Pure computation. */
#include "simd.h"

/* Floating-point rows carry a = size<1> in `sizes`, with FP set. */
#define FP 0x80

static const struct simd_op same[] = {
	{0x01, U_ANY, SZ_ALL}, /* SQADD UQADD */
	{0x05, U_ANY, SZ_ALL}, /* SQSUB UQSUB */
	{0x06, U_ANY, SZ_D},   /* CMGT CMHI */
	{0x07, U_ANY, SZ_D},   /* CMGE CMHS */
	{0x08, U_ANY, SZ_D},   /* SSHL USHL */
	{0x09, U_ANY, SZ_ALL}, /* SQSHL UQSHL */
	{0x0a, U_ANY, SZ_D},   /* SRSHL URSHL */
	{0x0b, U_ANY, SZ_ALL}, /* SQRSHL UQRSHL */
	{0x10, U_ANY, SZ_D},   /* ADD SUB */
	{0x11, U_ANY, SZ_D},   /* CMTST CMEQ */
	{0x16, U_ANY, SZ_HS},  /* SQDMULH SQRDMULH */
	{0x1b, 0, FP | 0},     /* FMULX */
	{0x1c, 0, FP | 0},     /* FCMEQ */
	{0x1c, 1, FP | 0},     /* FCMGE */
	{0x1c, 1, FP | 1},     /* FCMGT */
	{0x1d, 1, FP | 0},     /* FACGE */
	{0x1d, 1, FP | 1},     /* FACGT */
	{0x1f, 0, FP | 0},     /* FRECPS */
	{0x1f, 0, FP | 1},     /* FRSQRTS */
	{0x1a, 1, FP | 1},     /* FABD */
};

/* The size field of a row: an element size, or a:sz for floating point. */
static uint32_t row_size(struct gen *g, const struct simd_op *op)
{
	if (op->sizes & FP) {
		uint32_t sz = rnd(g, 2);
		return (uint32_t)(op->sizes & 1) << 1 | sz;
	}
	return simd_size(g, op->sizes);
}

static void three_same(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, same);
	uint32_t u = simd_u(g, op), size = row_size(g, op);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x5e200400u | u << 29 | size << 22 | rm << 16 | (uint32_t)op->opcode << 11 | rn << 5 |
			rd);
}

static const struct simd_op misc[] = {
	{0x03, U_ANY, SZ_ALL}, /* SUQADD USQADD */
	{0x07, U_ANY, SZ_ALL}, /* SQABS SQNEG */
	{0x08, U_ANY, SZ_D},   /* CMGT CMGE #0 */
	{0x09, U_ANY, SZ_D},   /* CMEQ CMLE #0 */
	{0x0a, 0, SZ_D},       /* CMLT #0 */
	{0x0b, U_ANY, SZ_D},   /* ABS NEG */
	{0x12, 1, SZ_BHS},     /* SQXTUN (size: of the result) */
	{0x14, U_ANY, SZ_BHS}, /* SQXTN UQXTN */
	{0x16, 1, SZ_H},       /* FCVTXN Sd, Dn (size field 01: a=0 sz=1) */
	{0x0c, U_ANY, FP | 1}, /* FCMGT FCMGE #0 */
	{0x0d, U_ANY, FP | 1}, /* FCMEQ FCMLE #0 */
	{0x0e, 0, FP | 1},     /* FCMLT #0 */
	{0x1a, U_ANY, FP | 0}, /* FCVTNS FCVTNU */
	{0x1a, U_ANY, FP | 1}, /* FCVTPS FCVTPU */
	{0x1b, U_ANY, FP | 0}, /* FCVTMS FCVTMU */
	{0x1b, U_ANY, FP | 1}, /* FCVTZS FCVTZU */
	{0x1c, U_ANY, FP | 0}, /* FCVTAS FCVTAU */
	{0x1d, U_ANY, FP | 0}, /* SCVTF UCVTF */
	{0x1d, U_ANY, FP | 1}, /* FRECPE FRSQRTE */
	{0x1f, 0, FP | 1},     /* FRECPX */
};

static void two_misc(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, misc);
	uint32_t u = simd_u(g, op), size = row_size(g, op);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x5e200800u | u << 29 | size << 22 | (uint32_t)op->opcode << 12 | rn << 5 | rd);
}

static void pairwise(struct gen *g)
{
	/* ADDP Dd, Vn.2D; FMAXNMP FMINNMP FADDP FMAXP FMINP of 2S or 2D */
	static const struct simd_op ops[] = {
		{0x0c, 1, 0}, {0x0c, 1, 1}, {0x0d, 1, 0}, {0x0f, 1, 0}, {0x0f, 1, 1}};
	uint32_t k = rnd(g, 6), sz = rnd(g, 2);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	if (k == 5)
		emit(g, 0x5ef1b800u | rn << 5 | rd);
	else
		emit(g, 0x7e300800u | ((uint32_t)ops[k].sizes << 1 | sz) << 22 |
				(uint32_t)ops[k].opcode << 12 | rn << 5 | rd);
}

enum { SH_D_RIGHT, SH_D_LEFT, SH_LEFT, SH_NARROW, SH_FIXED };

static void shift_imm(struct gen *g)
{
	static const struct simd_op ops[] = {
		{0x00, U_ANY, SH_D_RIGHT}, /* SSHR USHR */
		{0x02, U_ANY, SH_D_RIGHT}, /* SSRA USRA */
		{0x04, U_ANY, SH_D_RIGHT}, /* SRSHR URSHR */
		{0x06, U_ANY, SH_D_RIGHT}, /* SRSRA URSRA */
		{0x08, 1, SH_D_RIGHT},     /* SRI */
		{0x0a, U_ANY, SH_D_LEFT},  /* SHL SLI */
		{0x0c, 1, SH_LEFT},        /* SQSHLU */
		{0x0e, U_ANY, SH_LEFT},    /* SQSHL UQSHL */
		{0x10, 1, SH_NARROW},      /* SQSHRUN */
		{0x11, 1, SH_NARROW},      /* SQRSHRUN */
		{0x12, U_ANY, SH_NARROW},  /* SQSHRN UQSHRN */
		{0x13, U_ANY, SH_NARROW},  /* SQRSHRN UQRSHRN */
		{0x1c, U_ANY, SH_FIXED},   /* SCVTF UCVTF */
		{0x1f, U_ANY, SH_FIXED},   /* FCVTZS FCVTZU */
	};
	const struct simd_op *op = SIMD_PICK(g, ops);
	uint32_t u = simd_u(g, op), pick = rnd(g, 4), esz;
	switch (op->sizes) {
	case SH_D_RIGHT: case SH_D_LEFT: esz = 3; break;
	case SH_NARROW: esz = pick % 3; break;
	case SH_FIXED: esz = 2 + pick % 2; break;
	default: esz = pick; break;
	}
	uint32_t esize = 8u << esz, v;
	bool right = op->sizes == SH_D_RIGHT || op->sizes == SH_NARROW || op->sizes == SH_FIXED;
	uint32_t sh = right ? 1 + rnd(g, esize) : rnd(g, esize);
	v = right ? 2 * esize - sh : esize + sh;
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x5f000400u | u << 29 | v << 16 | (uint32_t)op->opcode << 11 | rn << 5 | rd);
}

static void dup_element(struct gen *g)
{
	/* DUP (MOV) Bd/Hd/Sd/Dd, Vn.T[idx] */
	uint32_t esz = rnd(g, 4), idx = rnd(g, 16u >> esz);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x5e000400u | ((idx << (esz + 1) | 1u << esz) & 31) << 16 | rn << 5 | rd);
}

static void doubling(struct gen *g)
{
	/* SQDMLAL SQDMLSL SQDMULL (scalar, H->S or S->D), by register or by element; by element
	 * also SQDMULH SQRDMULH and FMLA FMLS FMUL FMULX */
	static const uint32_t ops[] = {0x9, 0xb, 0xd};
	static const struct simd_op elem[] = {
		{0x3, 0, 0}, {0x7, 0, 0}, {0xb, 0, 0}, {0xc, 0, 0}, {0xd, 0, 0},
		{0x1, 0, FP}, {0x5, 0, FP}, {0x9, 0, FP}, {0x9, 1, FP},
	};
	uint32_t by_elem = rnd(g, 3) != 0, size = 1 + rnd(g, 2);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	if (!by_elem) {
		uint32_t op = ops[rnd(g, 3)];
		emit(g, 0x5e200000u | size << 22 | rm << 16 | op << 12 | rn << 5 | rd);
		return;
	}
	const struct simd_op *op = SIMD_PICK(g, elem);
	uint32_t h, l, m, idx;
	if (op->sizes == FP) {
		size = 2 + (size - 1); /* S or D */
		idx = rnd(g, size == 2 ? 4 : 2);
		h = size == 2 ? idx >> 1 : idx, l = size == 2 ? idx & 1 : 0, m = rm >> 4;
	} else if (size == 1) {
		idx = rnd(g, 8);
		h = idx >> 2, l = (idx >> 1) & 1, m = idx & 1;
	} else {
		idx = rnd(g, 4);
		h = idx >> 1, l = idx & 1, m = rm >> 4;
	}
	emit(g, 0x5f000000u | (uint32_t)op->u << 29 | size << 22 | l << 21 | m << 20 |
			(rm & 15) << 16 | (uint32_t)op->opcode << 12 | h << 11 | rn << 5 | rd);
}

void simd_scalar_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		three_same, three_same, two_misc, two_misc, pairwise, shift_imm, shift_imm,
		dup_element, doubling,
	};
	fns[rnd(g, sizeof fns / sizeof fns[0])](g);
}
