/* tests/isa/gen-simd-fp: Advanced SIMD floating point on vectors of singles (2S, 4S) and doubles
 * (2D): three same, two-register miscellaneous (rounding, conversions, estimates, compares with
 * zero, FCVTN/FCVTL/FCVTXN between precisions), across lanes, by element, and fixed-point
 * conversions. Pure computation. */
#include "simd.h"

/* Table rows here hold the size<1> bit ("a") in `sizes`. */
static const struct simd_op same[] = {
	{0x18, 0, 0}, {0x18, 0, 1}, {0x18, 1, 0}, {0x18, 1, 1}, /* FMAXNM FMINNM FMAXNMP FMINNMP */
	{0x19, 0, 0}, {0x19, 0, 1},                             /* FMLA FMLS */
	{0x1a, 0, 0}, {0x1a, 0, 1}, {0x1a, 1, 0}, {0x1a, 1, 1}, /* FADD FSUB FADDP FABD */
	{0x1b, 0, 0}, {0x1b, 1, 0},                             /* FMULX FMUL */
	{0x1c, 0, 0}, {0x1c, 1, 0}, {0x1c, 1, 1},               /* FCMEQ FCMGE FCMGT */
	{0x1d, 1, 0}, {0x1d, 1, 1},                             /* FACGE FACGT */
	{0x1e, 0, 0}, {0x1e, 0, 1}, {0x1e, 1, 0}, {0x1e, 1, 1}, /* FMAX FMIN FMAXP FMINP */
	{0x1f, 0, 0}, {0x1f, 0, 1}, {0x1f, 1, 0},               /* FRECPS FRSQRTS FDIV */
};

static void three_same(struct gen *g)
{
	const struct simd_op *op = SIMD_PICK(g, same);
	uint32_t sz = rnd(g, 2), q = simd_q(g, sz ? 3 : 2);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | (uint32_t)op->u << 29 | 0x0e200400u | ((uint32_t)op->sizes << 1 | sz) << 22 |
			rm << 16 | (uint32_t)op->opcode << 11 | rn << 5 | rd);
}

enum { ANY_SZ, S_ONLY, HALVES, D_SRC };

struct misc_op {
	uint8_t opcode, u, a, kind;
};

static const struct misc_op misc[] = {
	{0x0c, 0, 1, ANY_SZ}, {0x0c, 1, 1, ANY_SZ}, /* FCMGT FCMGE #0 */
	{0x0d, 0, 1, ANY_SZ}, {0x0d, 1, 1, ANY_SZ}, /* FCMEQ FCMLE #0 */
	{0x0e, 0, 1, ANY_SZ},                       /* FCMLT #0 */
	{0x0f, 0, 1, ANY_SZ}, {0x0f, 1, 1, ANY_SZ}, /* FABS FNEG */
	{0x1f, 1, 1, ANY_SZ},                       /* FSQRT */
	{0x18, 0, 0, ANY_SZ}, {0x18, 0, 1, ANY_SZ}, {0x18, 1, 0, ANY_SZ}, /* FRINTN FRINTP FRINTA */
	{0x19, 0, 0, ANY_SZ}, {0x19, 0, 1, ANY_SZ}, {0x19, 1, 0, ANY_SZ}, {0x19, 1, 1, ANY_SZ},
	/* FRINTM FRINTZ FRINTX FRINTI */
	{0x1a, 0, 0, ANY_SZ}, {0x1a, 1, 0, ANY_SZ}, {0x1a, 0, 1, ANY_SZ}, {0x1a, 1, 1, ANY_SZ},
	/* FCVTNS FCVTNU FCVTPS FCVTPU */
	{0x1b, 0, 0, ANY_SZ}, {0x1b, 1, 0, ANY_SZ}, {0x1b, 0, 1, ANY_SZ}, {0x1b, 1, 1, ANY_SZ},
	/* FCVTMS FCVTMU FCVTZS FCVTZU */
	{0x1c, 0, 0, ANY_SZ}, {0x1c, 1, 0, ANY_SZ}, /* FCVTAS FCVTAU */
	{0x1c, 0, 1, S_ONLY}, {0x1c, 1, 1, S_ONLY}, /* URECPE URSQRTE */
	{0x1d, 0, 0, ANY_SZ}, {0x1d, 1, 0, ANY_SZ}, /* SCVTF UCVTF */
	{0x1d, 0, 1, ANY_SZ}, {0x1d, 1, 1, ANY_SZ}, /* FRECPE FRSQRTE */
	{0x16, 0, 0, HALVES}, {0x17, 0, 0, HALVES}, /* FCVTN FCVTL (2S<->2D and 4H<->4S, and the "2" forms) */
	{0x16, 1, 0, D_SRC},                        /* FCVTXN */
};

static void two_misc(struct gen *g)
{
	const struct misc_op *op = &misc[rnd(g, sizeof misc / sizeof misc[0])];
	uint32_t sz = rnd(g, 2), q = rnd(g, 2);
	if (op->kind == S_ONLY)
		sz = 0;
	else if (op->kind == D_SRC)
		sz = 1;
	if (op->kind <= S_ONLY && sz)
		q = 1;
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | (uint32_t)op->u << 29 | 0x0e200800u | ((uint32_t)op->a << 1 | sz) << 22 |
			(uint32_t)op->opcode << 12 | rn << 5 | rd);
}

static void across(struct gen *g)
{
	/* FMAXNMV FMINNMV FMAXV FMINV, 4S */
	uint32_t opcode = rnd(g, 2) ? 0x0c : 0x0f, a = rnd(g, 2);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x6e300800u | (a << 1) << 22 | opcode << 12 | rn << 5 | rd);
}

static void by_element(struct gen *g)
{
	/* FMLA FMLS FMUL FMULX by element: 2S/4S with S[0..3], 2D with D[0..1] */
	static const struct simd_op ops[] = {{0x1, 0, 0}, {0x5, 0, 0}, {0x9, 0, 0}, {0x9, 1, 0}};
	const struct simd_op *op = SIMD_PICK(g, ops);
	uint32_t sz = rnd(g, 2), q = simd_q(g, sz ? 3 : 2), idx = rnd(g, sz ? 2 : 4);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	uint32_t h = sz ? idx : idx >> 1, l = sz ? 0 : idx & 1;
	emit(g, q << 30 | (uint32_t)op->u << 29 | 0x0f000000u | (2 | sz) << 22 | l << 21 | rm << 16 |
			(uint32_t)op->opcode << 12 | h << 11 | rn << 5 | rd);
}

static void fixed(struct gen *g)
{
	/* SCVTF UCVTF FCVTZS FCVTZU (vector, fixed point), 1..esize fraction bits */
	uint32_t u = rnd(g, 2), opcode = rnd(g, 2) ? 0x1c : 0x1f, esz = 2 + rnd(g, 2);
	uint32_t q = simd_q(g, esz), esize = 8u << esz, fbits = 1 + rnd(g, esize);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | u << 29 | 0x0f000400u | (2 * esize - fbits) << 16 | opcode << 11 | rn << 5 |
			rd);
}

void simd_fp_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		three_same, three_same, three_same, two_misc, two_misc, two_misc, across,
		by_element, fixed,
	};
	fns[rnd(g, sizeof fns / sizeof fns[0])](g);
}
