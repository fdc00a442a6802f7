/* tests/isa/gen-fp: scalar floating point, single and double precision (half precision only
 * in conversions): arithmetic, fused multiply-add, square root, rounding to integral, min/max,
 * compares that set NZCV, conditional compare and select, immediates, conversions between
 * precisions and to and from integers (also fixed point), moves to and from general registers,
 * and FPCR/FPSR (rounding mode, flush-to-zero, default NaN changed mid-sequence). Pure
 * computation. */
#include "gen.h"

#include "enc.h"

static uint32_t ftype(struct gen *g)
{
	return rnd(g, 2); /* 0 single, 1 double */
}

static void fp_1src(struct gen *g)
{
	/* FMOV FABS FNEG FSQRT, FRINTN P M Z A X I, FCVT between S, D and H */
	static const uint32_t ops[] = {0, 1, 2, 3, 3, 8, 9, 10, 11, 12, 14, 15, 4};
	uint32_t type = ftype(g), op = ops[rnd(g, 13)], pick = rnd(g, 3);
	if (op == 4) { /* FCVT: to another precision, or from half */
		if (pick == 0)
			type = 3, op = 4 + rnd(g, 2);
		else if (pick == 1)
			op = type ? 4 : 5;
		else
			op = 7;
	}
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x1e204000u | type << 22 | op << 15 | rn << 5 | rd);
}

static void fp_2src(struct gen *g)
{
	/* FMUL FDIV FADD FSUB FMAX FMIN FMAXNM FMINNM FNMUL */
	uint32_t type = ftype(g), op = rnd(g, 9);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x1e200800u | type << 22 | rm << 16 | op << 12 | rn << 5 | rd);
}

static void fp_3src(struct gen *g)
{
	/* FMADD FMSUB FNMADD FNMSUB */
	uint32_t type = ftype(g), o1 = rnd(g, 2), o0 = rnd(g, 2);
	uint32_t rm = (uint32_t)vreg_r(g), ra = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g);
	uint32_t rd = (uint32_t)vreg_w(g);
	emit(g, 0x1f000000u | type << 22 | o1 << 21 | rm << 16 | o0 << 15 | ra << 10 | rn << 5 | rd);
}

static void fp_compare(struct gen *g)
{
	/* FCMP, FCMPE, with a register or #0.0 */
	uint32_t type = ftype(g), e = rnd(g, 2), zero = rnd(g, 4) == 0;
	uint32_t rm = zero ? 0 : (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g);
	emit(g, 0x1e202000u | type << 22 | rm << 16 | rn << 5 | e << 4 | zero << 3);
}

static void fp_ccmp(struct gen *g)
{
	/* FCCMP, FCCMPE */
	uint32_t type = ftype(g), e = rnd(g, 2), cond = cond_any(g), nzcv = rnd(g, 16);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g);
	emit(g, 0x1e200400u | type << 22 | rm << 16 | cond << 12 | rn << 5 | e << 4 | nzcv);
}

static void fp_csel(struct gen *g)
{
	uint32_t type = ftype(g), cond = cond_any(g);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, 0x1e200c00u | type << 22 | rm << 16 | cond << 12 | rn << 5 | rd);
}

static void fp_imm(struct gen *g)
{
	uint32_t type = ftype(g), imm8 = rnd(g, 256), rd = (uint32_t)vreg_w(g);
	emit(g, 0x1e201000u | type << 22 | imm8 << 13 | rd);
}

static void fp_int(struct gen *g)
{
	/* FCVT{N,P,M,Z,A}{S,U} to W/X, SCVTF/UCVTF from W/X, FMOV W<->S, X<->D, X<->V.D[1] */
	static const uint32_t rm_op[][2] = {
		{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1}, {0, 4}, {0, 5}, /* to int */
		{0, 2}, {0, 3}, {0, 2}, {0, 3}, /* SCVTF UCVTF */
		{0, 6}, {0, 7}, /* FMOV */
	};
	uint32_t k = rnd(g, 16), sf = rnd(g, 2), type = ftype(g), fmov_hi = rnd(g, 3) == 0;
	uint32_t rmode = rm_op[k][0], op = rm_op[k][1];
	if (op >= 6) { /* FMOV: the register sizes agree */
		if (fmov_hi)
			sf = 1, type = 2, rmode = 1;
		else
			sf = type;
	}
	bool to_int = op <= 1 || op == 4 || op == 5 || op == 6;
	uint32_t rn = (uint32_t)(to_int ? vreg_r(g) : gpr_r(g));
	uint32_t rd = (uint32_t)(to_int ? gpr_w(g, true) : vreg_w(g));
	emit(g, sf << 31 | 0x1e200000u | type << 22 | rmode << 19 | op << 16 | rn << 5 | rd);
}

static void fp_fixed(struct gen *g)
{
	/* SCVTF UCVTF FCVTZS FCVTZU with 1..32 (W) or 1..64 (X) fraction bits */
	static const uint32_t rm_op[][2] = {{0, 2}, {0, 3}, {3, 0}, {3, 1}};
	uint32_t k = rnd(g, 4), sf = rnd(g, 2), type = ftype(g);
	uint32_t fbits = 1 + rnd(g, sf ? 64 : 32);
	bool to_int = k >= 2;
	uint32_t rn = (uint32_t)(to_int ? vreg_r(g) : gpr_r(g));
	uint32_t rd = (uint32_t)(to_int ? gpr_w(g, true) : vreg_w(g));
	emit(g, sf << 31 | 0x1e000000u | type << 22 | rm_op[k][0] << 19 | rm_op[k][1] << 16 |
			(64 - fbits) << 10 | rn << 5 | rd);
}

static void fp_status_read(struct gen *g)
{
	uint32_t which = rnd(g, 2);
	emit(g, enc_mrs(gpr_w(g, true), which ? SR_FPSR : SR_FPCR));
}

/* A new FPCR (rounding mode, FZ, DN, AHP: bits 26:22) or FPSR (cumulative flags IOC..IXC
 * and IDC, or QC): MOVZ, MSR. */
static void fp_status_write(struct gen *g)
{
	uint32_t fpcr = rnd(g, 2), bits = (uint32_t)rng_next(&g->rng);
	int r = gpr_w(g, false);
	if (fpcr)
		emit(g, enc_movz(0, r, (bits & 0x1f) << 6, 1));
	else if (bits & 0x100)
		emit(g, enc_movz(0, r, 0x0800, 1));
	else
		emit(g, enc_movz(0, r, bits & 0x9f, 0));
	emit(g, enc_msr(fpcr ? SR_FPCR : SR_FPSR, r));
}

void fp_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		fp_1src, fp_1src, fp_2src, fp_2src, fp_2src, fp_3src, fp_3src, fp_compare,
		fp_compare, fp_ccmp, fp_csel, fp_imm, fp_int, fp_int, fp_int, fp_fixed, fp_status_read,
	};
	fns[rnd(g, sizeof fns / sizeof fns[0])](g);
}

void fp_emit(struct gen *g)
{
	if (room(g) >= 2 && chance(g, 4))
		fp_status_write(g);
	else
		fp_one(g);
}
