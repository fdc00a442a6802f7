/* tests/isa/gen-simd: the Advanced SIMD class (dispatch over gen-simd*.c) and its integer
 * vector groups: three same, three different (widening, narrowing, long multiply), two-register
 * miscellaneous, across lanes, shifts by immediate, and multiplies by element. Pure
 * computation. */
#include "simd.h"

uint32_t simd_size(struct gen *g, uint32_t mask)
{
	uint32_t n = 0, sizes[4];
	for (uint32_t s = 0; s < 4; s++)
		if (mask & (1u << s))
			sizes[n++] = s;
	return sizes[rnd(g, n)];
}

uint32_t simd_u(struct gen *g, const struct simd_op *op)
{
	return op->u == U_ANY ? rnd(g, 2) : op->u;
}

uint32_t simd_q(struct gen *g, uint32_t size)
{
	uint32_t q = rnd(g, 2);
	return size == 3 ? 1 : q;
}

static const struct simd_op same[] = {
	{0x00, U_ANY, SZ_BHS}, /* SHADD UHADD */
	{0x01, U_ANY, SZ_ALL}, /* SQADD UQADD */
	{0x02, U_ANY, SZ_BHS}, /* SRHADD URHADD */
	{0x03, U_ANY, 0},      /* AND BIC ORR ORN / EOR BSL BIT BIF (size is the opcode) */
	{0x04, U_ANY, SZ_BHS}, /* SHSUB UHSUB */
	{0x05, U_ANY, SZ_ALL}, /* SQSUB UQSUB */
	{0x06, U_ANY, SZ_ALL}, /* CMGT CMHI */
	{0x07, U_ANY, SZ_ALL}, /* CMGE CMHS */
	{0x08, U_ANY, SZ_ALL}, /* SSHL USHL */
	{0x09, U_ANY, SZ_ALL}, /* SQSHL UQSHL */
	{0x0a, U_ANY, SZ_ALL}, /* SRSHL URSHL */
	{0x0b, U_ANY, SZ_ALL}, /* SQRSHL UQRSHL */
	{0x0c, U_ANY, SZ_BHS}, /* SMAX UMAX */
	{0x0d, U_ANY, SZ_BHS}, /* SMIN UMIN */
	{0x0e, U_ANY, SZ_BHS}, /* SABD UABD */
	{0x0f, U_ANY, SZ_BHS}, /* SABA UABA */
	{0x10, U_ANY, SZ_ALL}, /* ADD SUB */
	{0x11, U_ANY, SZ_ALL}, /* CMTST CMEQ */
	{0x12, U_ANY, SZ_BHS}, /* MLA MLS */
	{0x13, 0, SZ_BHS},     /* MUL */
	{0x13, 1, SZ_B},       /* PMUL */
	{0x14, U_ANY, SZ_BHS}, /* SMAXP UMAXP */
	{0x15, U_ANY, SZ_BHS}, /* SMINP UMINP */
	{0x16, U_ANY, SZ_HS},  /* SQDMULH SQRDMULH */
	{0x17, 0, SZ_ALL},     /* ADDP */
};

static void three_same(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, same);
	uint32_t u = simd_u(g, op), logic = rnd(g, 4);
	uint32_t size = op->sizes ? simd_size(g, op->sizes) : logic, q = simd_q(g, op->sizes ? size : 0);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0e200400u | size << 22 | rm << 16 | (uint32_t)op->opcode << 11 |
			rn << 5 | rd);
}

static const struct simd_op diff[] = {
	{0x0, U_ANY, SZ_BHS}, /* SADDL UADDL */
	{0x1, U_ANY, SZ_BHS}, /* SADDW UADDW */
	{0x2, U_ANY, SZ_BHS}, /* SSUBL USUBL */
	{0x3, U_ANY, SZ_BHS}, /* SSUBW USUBW */
	{0x4, U_ANY, SZ_BHS}, /* ADDHN RADDHN */
	{0x5, U_ANY, SZ_BHS}, /* SABAL UABAL */
	{0x6, U_ANY, SZ_BHS}, /* SUBHN RSUBHN */
	{0x7, U_ANY, SZ_BHS}, /* SABDL UABDL */
	{0x8, U_ANY, SZ_BHS}, /* SMLAL UMLAL */
	{0x9, 0, SZ_HS},      /* SQDMLAL */
	{0xa, U_ANY, SZ_BHS}, /* SMLSL UMLSL */
	{0xb, 0, SZ_HS},      /* SQDMLSL */
	{0xc, U_ANY, SZ_BHS}, /* SMULL UMULL */
	{0xd, 0, SZ_HS},      /* SQDMULL */
	{0xe, 0, SZ_B},       /* PMULL (8-bit; the 64-bit form is a crypto extension) */
};

static void three_diff(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, diff);
	uint32_t u = simd_u(g, op), size = simd_size(g, op->sizes), q = rnd(g, 2);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0e200000u | size << 22 | rm << 16 | (uint32_t)op->opcode << 12 |
			rn << 5 | rd);
}

static const struct simd_op misc[] = {
	{0x00, 0, SZ_BHS},     /* REV64 */
	{0x00, 1, SZ_BH},      /* REV32 */
	{0x01, 0, SZ_B},       /* REV16 */
	{0x02, U_ANY, SZ_BHS}, /* SADDLP UADDLP */
	{0x03, U_ANY, SZ_ALL}, /* SUQADD USQADD */
	{0x04, U_ANY, SZ_BHS}, /* CLS CLZ */
	{0x05, 0, SZ_B},       /* CNT */
	{0x05, 1, SZ_B},       /* NOT */
	{0x05, 1, SZ_H},       /* RBIT (size field 01, bytes) */
	{0x06, U_ANY, SZ_BHS}, /* SADALP UADALP */
	{0x07, U_ANY, SZ_ALL}, /* SQABS SQNEG */
	{0x08, U_ANY, SZ_ALL}, /* CMGT CMGE #0 */
	{0x09, U_ANY, SZ_ALL}, /* CMEQ CMLE #0 */
	{0x0a, 0, SZ_ALL},     /* CMLT #0 */
	{0x0b, U_ANY, SZ_ALL}, /* ABS NEG */
	{0x12, U_ANY, SZ_BHS}, /* XTN SQXTUN */
	{0x13, 1, SZ_BHS},     /* SHLL */
	{0x14, U_ANY, SZ_BHS}, /* SQXTN UQXTN */
};

static void two_misc(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, misc);
	uint32_t u = simd_u(g, op), size = simd_size(g, op->sizes), q = simd_q(g, size);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0e200800u | size << 22 | (uint32_t)op->opcode << 12 | rn << 5 |
			rd);
}

static void across(struct gen *g)
{
	/* SADDLV UADDLV, SMAXV UMAXV, SMINV UMINV, ADDV: 8B 16B 4H 8H 4S */
	static const struct simd_op ops[] = {
		{0x03, U_ANY, 0}, {0x0a, U_ANY, 0}, {0x1a, U_ANY, 0}, {0x1b, 0, 0}};
	const struct simd_op *op = SIMD_PICK(g, ops);
	uint32_t u = simd_u(g, op), size = rnd(g, 3), q = rnd(g, 2);
	if (size == 2)
		q = 1;
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0e300800u | size << 22 | (uint32_t)op->opcode << 12 | rn << 5 |
			rd);
}

enum { SH_RIGHT, SH_LEFT, SH_NARROW, SH_LONG };

static void shift_imm(struct gen *g)
{
	static const struct simd_op ops[] = {
		{0x00, U_ANY, SH_RIGHT}, /* SSHR USHR */
		{0x02, U_ANY, SH_RIGHT}, /* SSRA USRA */
		{0x04, U_ANY, SH_RIGHT}, /* SRSHR URSHR */
		{0x06, U_ANY, SH_RIGHT}, /* SRSRA URSRA */
		{0x08, 1, SH_RIGHT},     /* SRI */
		{0x0a, U_ANY, SH_LEFT},  /* SHL SLI */
		{0x0c, 1, SH_LEFT},      /* SQSHLU */
		{0x0e, U_ANY, SH_LEFT},  /* SQSHL UQSHL */
		{0x10, U_ANY, SH_NARROW}, /* SHRN SQSHRUN */
		{0x11, U_ANY, SH_NARROW}, /* RSHRN SQRSHRUN */
		{0x12, U_ANY, SH_NARROW}, /* SQSHRN UQSHRN */
		{0x13, U_ANY, SH_NARROW}, /* SQRSHRN UQRSHRN */
		{0x14, U_ANY, SH_LONG},   /* SSHLL USHLL */
	};
	const struct simd_op *op = SIMD_PICK(g, ops);
	bool wide = op->sizes == SH_RIGHT || op->sizes == SH_LEFT;
	uint32_t u = simd_u(g, op), esz = rnd(g, wide ? 4 : 3), q = wide ? simd_q(g, esz) : rnd(g, 2);
	uint32_t esize = 8u << esz, sh, v;
	if (op->sizes == SH_RIGHT || op->sizes == SH_NARROW) {
		sh = 1 + rnd(g, esize);
		v = 2 * esize - sh;
	} else {
		sh = rnd(g, esize);
		v = esize + sh;
	}
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0f000400u | v << 16 | (uint32_t)op->opcode << 11 | rn << 5 | rd);
}

static void by_element(struct gen *g)
{
	/* MUL MLA MLS SQDMULH SQRDMULH, and the long SMLAL SQDMLAL SMLSL SQDMLSL SMULL SQDMULL
	 * UMLAL UMLSL UMULL, by an element of H or S size */
	static const struct simd_op ops[] = {
		{0x2, 0, 0}, {0x3, 0, 0}, {0x6, 0, 0}, {0x7, 0, 0}, {0x8, 0, 0}, {0xa, 0, 0},
		{0xb, 0, 0}, {0xc, 0, 0}, {0xd, 0, 0}, {0x0, 1, 0}, {0x2, 1, 0}, {0x4, 1, 0},
		{0x6, 1, 0}, {0xa, 1, 0},
	};
	const struct simd_op *op = SIMD_PICK(g, ops);
	uint32_t size = 1 + rnd(g, 2), q = rnd(g, 2), idx = rnd(g, size == 1 ? 8 : 4);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	uint32_t h, l, m;
	if (size == 1) {
		h = idx >> 2, l = (idx >> 1) & 1, m = idx & 1;
		rm &= 15;
	} else {
		h = idx >> 1, l = idx & 1, m = rm >> 4;
		rm &= 15;
	}
	emit(g, q << 30 | (uint32_t)op->u << 29 | 0x0f000000u | size << 22 | l << 21 | m << 20 |
			rm << 16 | (uint32_t)op->opcode << 12 | h << 11 | rn << 5 | rd);
}

void simd_int_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		three_same, three_same, three_same, three_diff, three_diff, two_misc, two_misc,
		across, shift_imm, shift_imm, by_element,
	};
	fns[rnd(g, sizeof fns / sizeof fns[0])](g);
}

void simd_one(struct gen *g)
{
	uint32_t k = rnd(g, 10);
	if (k < 4)
		simd_int_one(g);
	else if (k < 6)
		simd_perm_one(g);
	else if (k < 8)
		simd_fp_one(g);
	else
		simd_scalar_one(g);
}

void simd_emit(struct gen *g)
{
	if (room(g) >= 2 && chance(g, 2))
		simd_table_lookup(g);
	else
		simd_one(g);
}
