/* emu/aarch64/simd-fp-exec: the interpreter's handlers for the floating-point kinds of
 * Advanced SIMD (simd.h): lane loops over fpu.h's operations, so the vector forms get the same
 * Arm NaN rules, rounding, FZ/DN and FPSR flags as scalar FP, plus the estimates (FRECPE,
 * FRSQRTE, URECPE, URSQRTE, FRECPX) written from the Arm ARM's pseudocode. One handler per
 * kind, element size and form (vector Q = 0/1, scalar, by element). Touches only the vector
 * registers and FPSR. */
#include "emu/aarch64/simd-exec.h"

#define SIGN32 0x80000000u
#define SIGN64 0x8000000000000000ull
#define F (cpu->fpcr)
#define P (&cpu->fpsr)

/* ---- lane helpers ---- */

/* Exponent all ones, fraction zero: infinity (sign ignored); zero or (with FZ) denormal. */
ALWAYS bool inf32(uint32_t a)
{
	return (a & ~SIGN32) == 0x7f800000u;
}

ALWAYS bool inf64(uint64_t a)
{
	return (a & ~SIGN64) == 0x7ff0000000000000ull;
}

ALWAYS bool zero32(uint32_t a, uint32_t fpcr)
{
	uint32_t m = a & ~SIGN32;
	return m == 0 || ((fpcr & A64_FPCR_FZ) && m < 0x00800000u);
}

ALWAYS bool zero64(uint64_t a, uint32_t fpcr)
{
	uint64_t m = a & ~SIGN64;
	return m == 0 || ((fpcr & A64_FPCR_FZ) && m < 0x0010000000000000ull);
}

/* inf * 0 in either order (NaNs excluded by construction). A zero that is a denormal
 * flushed by FPCR.FZ raises IDC, as the architecture's operand unpacking does. */
ALWAYS bool infzero32(struct a64_cpu *cpu, uint32_t x, uint32_t y)
{
	bool r = (inf32(x) && zero32(y, F)) || (zero32(x, F) && inf32(y));
	if (r && (F & A64_FPCR_FZ) &&
	    (((x & 0x7fffffffu) && !(x & 0x7f800000u)) || ((y & 0x7fffffffu) && !(y & 0x7f800000u))))
		*P |= A64_FPSR_IDC;
	return r;
}

ALWAYS bool infzero64(struct a64_cpu *cpu, uint64_t x, uint64_t y)
{
	const uint64_t mag = ~SIGN64, exp = 0x7ff0000000000000ull;
	bool r = (inf64(x) && zero64(y, F)) || (zero64(x, F) && inf64(y));
	if (r && (F & A64_FPCR_FZ) && (((x & mag) && !(x & exp)) || ((y & mag) && !(y & exp))))
		*P |= A64_FPSR_IDC;
	return r;
}
#define INFZERO(bits, x, y) infzero##bits(cpu, x, y)

ALWAYS uint32_t fmulx32(struct a64_cpu *cpu, uint32_t x, uint32_t y)
{
	if (INFZERO(32, x, y))
		return ((x ^ y) & SIGN32) | 0x40000000u;
	return a64_fpu_mul32(x, y, F, P);
}

ALWAYS uint64_t fmulx64(struct a64_cpu *cpu, uint64_t x, uint64_t y)
{
	if (INFZERO(64, x, y))
		return ((x ^ y) & SIGN64) | 0x4000000000000000ull;
	return a64_fpu_mul64(x, y, F, P);
}

/* FRECPS: 2 - x * y fused; FRSQRTS: (3 - x * y) / 2 */
ALWAYS uint32_t frecps32(struct a64_cpu *cpu, uint32_t x, uint32_t y)
{
	if (INFZERO(32, x, y))
		return 0x40000000u;
	return a64_fpu_fma32(0x40000000u, x ^ SIGN32, y, F, P);
}

ALWAYS uint64_t frecps64(struct a64_cpu *cpu, uint64_t x, uint64_t y)
{
	if (INFZERO(64, x, y))
		return 0x4000000000000000ull;
	return a64_fpu_fma64(0x4000000000000000ull, x ^ SIGN64, y, F, P);
}

/* (3 - x * y) / 2 rounded once: 1.5 - (x / 2) * y with the halving done exactly on the
 * operand of larger exponent; when both are tiny or one is not finite, the halving of the
 * fused result is exact instead. */
ALWAYS uint32_t frsqrts32(struct a64_cpu *cpu, uint32_t x, uint32_t y)
{
	if (INFZERO(32, x, y))
		return 0x3fc00000u;
	uint32_t ex = x >> 23 & 0xff, ey = y >> 23 & 0xff;
	if (ex != 0xff && ey != 0xff && (ex > 1 || ey > 1)) {
		if (ex >= ey)
			x -= 1u << 23;
		else
			y -= 1u << 23;
		return a64_fpu_fma32(0x3fc00000u, x ^ SIGN32, y, F, P);
	}
	return a64_fpu_mul32(a64_fpu_fma32(0x40400000u, x ^ SIGN32, y, F, P), 0x3f000000u, F, P);
}

ALWAYS uint64_t frsqrts64(struct a64_cpu *cpu, uint64_t x, uint64_t y)
{
	if (INFZERO(64, x, y))
		return 0x3ff8000000000000ull;
	uint64_t ex = x >> 52 & 0x7ff, ey = y >> 52 & 0x7ff;
	if (ex != 0x7ff && ey != 0x7ff && (ex > 1 || ey > 1)) {
		if (ex >= ey)
			x -= 1ull << 52;
		else
			y -= 1ull << 52;
		return a64_fpu_fma64(0x3ff8000000000000ull, x ^ SIGN64, y, F, P);
	}
	return a64_fpu_mul64(a64_fpu_fma64(0x4008000000000000ull, x ^ SIGN64, y, F, P),
			     0x3fe0000000000000ull, F, P);
}

/* Compares through fpu.h's FCMP (NZCV: = 0110, < 1000, > 0010, unordered 0011). */
#define EQ(n) ((n) & A64_Z)
#define GE(n) (((n) & A64_C) && !((n) & A64_V))
#define GT(n) (((n) & A64_C) && !((n) & (A64_V | A64_Z)))
#define MASK(bits, c) ((c) ? (uint##bits##_t)~(uint##bits##_t)0 : 0)

/* ---- estimates (Arm ARM: RecipEstimate, RecipSqrtEstimate and their FP wrappers) ---- */

static unsigned recip_estimate(unsigned a)
{
	a = a * 2 + 1;
	unsigned b = (1u << 19) / a;
	return (b + 1) / 2;
}

static unsigned rsqrt_estimate(unsigned a)
{
	if (a < 256) {
		a = a * 2 + 1;
	} else {
		a = (a >> 1) << 1;
		a = (a + 1) * 2;
	}
	uint64_t b = 512;
	while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28))
		b++;
	return (unsigned)((b + 1) / 2);
}

/* Shared shape of FRECPE for S (ebits 8, fbits 23) and D (11, 52), on raw bits. */
static uint64_t frecpe_any(uint64_t a, bool dbl, uint32_t fpcr, uint32_t *fpsr)
{
	unsigned fb = dbl ? 52 : 23, eb = dbl ? 11 : 8;
	uint64_t sign = a >> (fb + eb) << (fb + eb), emask = (1ull << eb) - 1;
	uint64_t exp = (a >> fb) & emask, frac = a & ((1ull << fb) - 1);
	enum a64_fpfmt fmt = dbl ? A64_FMT_D : A64_FMT_S;
	if (exp == emask) {
		if (frac)
			return a64_fpu_nan2(a, a, fmt, fpcr, fpsr);
		return sign; /* 1/inf = 0 */
	}
	if (exp == 0 && frac && (fpcr & A64_FPCR_FZ)) {
		*fpsr |= A64_FPSR_IDC;
		frac = 0;
	}
	if (exp == 0 && frac == 0) {
		*fpsr |= A64_FPSR_DZC;
		return sign | emask << fb;
	}
	/* |a| < 2^-(bias+1): the reciprocal overflows */
	if (exp == 0 && !(frac >> (fb - 2))) {
		bool to_inf;
		switch (a64_fpcr_rmode(fpcr)) {
		case A64_RN: to_inf = true; break;
		case A64_RP: to_inf = !sign; break;
		case A64_RM: to_inf = sign != 0; break;
		default: to_inf = false; break;
		}
		*fpsr |= A64_FPSR_OFC | A64_FPSR_IXC;
		return sign | (to_inf ? emask << fb : ((emask - 1) << fb | ((1ull << fb) - 1)));
	}
	if ((fpcr & A64_FPCR_FZ) && exp >= emask - 2) {
		*fpsr |= A64_FPSR_UFC;
		return sign;
	}
	/* the fraction as 52 bits, as the pseudocode has it */
	uint64_t f52 = frac << (52 - fb);
	int64_t e = (int64_t)exp;
	if (e == 0) {
		if (!(f52 >> 51 & 1)) {
			e = -1;
			f52 = (f52 << 2) & ((1ull << 52) - 1);
		} else {
			f52 = (f52 << 1) & ((1ull << 52) - 1);
		}
	}
	unsigned scaled = (unsigned)(256 | (f52 >> 44));
	int64_t rexp = (int64_t)(emask - 2) - e; /* 253 - e for S, 2045 - e for D */
	uint64_t est = recip_estimate(scaled);
	f52 = (est & 0xff) << 44;
	if (rexp == 0) {
		f52 = (1ull << 51) | (f52 >> 1);
	} else if (rexp == -1) {
		f52 = (1ull << 50) | (f52 >> 2);
		rexp = 0;
	}
	return sign | (uint64_t)rexp << fb | f52 >> (52 - fb);
}

static uint64_t frsqrte_any(uint64_t a, bool dbl, uint32_t fpcr, uint32_t *fpsr)
{
	unsigned fb = dbl ? 52 : 23, eb = dbl ? 11 : 8;
	uint64_t sign = a >> (fb + eb) << (fb + eb), emask = (1ull << eb) - 1;
	uint64_t exp = (a >> fb) & emask, frac = a & ((1ull << fb) - 1);
	enum a64_fpfmt fmt = dbl ? A64_FMT_D : A64_FMT_S;
	if (exp == emask && frac)
		return a64_fpu_nan2(a, a, fmt, fpcr, fpsr);
	if (exp == 0 && frac && (fpcr & A64_FPCR_FZ)) {
		*fpsr |= A64_FPSR_IDC;
		frac = 0;
	}
	if (exp == 0 && frac == 0) {
		*fpsr |= A64_FPSR_DZC;
		return sign | emask << fb;
	}
	if (sign) {
		*fpsr |= A64_FPSR_IOC;
		return dbl ? A64_DNAN64 : A64_DNAN32;
	}
	if (exp == emask)
		return 0;
	uint64_t f52 = frac << (52 - fb);
	int64_t e = (int64_t)exp;
	if (e == 0) {
		while (!(f52 >> 51 & 1)) {
			f52 = (f52 << 1) & ((1ull << 52) - 1);
			e--;
		}
		f52 = (f52 << 1) & ((1ull << 52) - 1);
	}
	unsigned scaled = (e & 1) ? (unsigned)(128 | (f52 >> 45)) : (unsigned)(256 | (f52 >> 44));
	int64_t base = dbl ? 3068 : 380;
	int64_t num = base - e, rexp = num >= 0 ? num / 2 : -((1 - num) / 2);
	uint64_t est = rsqrt_estimate(scaled);
	return (uint64_t)rexp << fb | ((est & 0xff) << 44) >> (52 - fb);
}

static uint64_t frecpx_any(uint64_t a, bool dbl, uint32_t fpcr, uint32_t *fpsr)
{
	unsigned fb = dbl ? 52 : 23, eb = dbl ? 11 : 8;
	uint64_t sign = a >> (fb + eb) << (fb + eb), emask = (1ull << eb) - 1;
	uint64_t exp = (a >> fb) & emask, frac = a & ((1ull << fb) - 1);
	if (exp == emask && frac)
		return a64_fpu_nan2(a, a, dbl ? A64_FMT_D : A64_FMT_S, fpcr, fpsr);
	if (exp == 0) {
		if (frac && (fpcr & A64_FPCR_FZ))
			*fpsr |= A64_FPSR_IDC;
		return sign | (emask - 1) << fb;
	}
	return sign | (~exp & emask) << fb;
}

static uint32_t urecpe(uint32_t a)
{
	if (!(a >> 31))
		return 0xffffffffu;
	return recip_estimate(a >> 23) << 23;
}

static uint32_t ursqrte(uint32_t a)
{
	if (!(a >> 30))
		return 0xffffffffu;
	return rsqrt_estimate(a >> 23) << 23;
}

/* ---- lane templates: EXPR sees x, y, z (rn, rm, rd lanes, raw bits), cpu, op ---- */

#define FP_CORE(name, sz, T, L, EXPR)                                                      \
	ALWAYS void fcore_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op,       \
					const union a64_vreg *a, const union a64_vreg *b,   \
					const union a64_vreg *dd, int n)                    \
	{                                                                                   \
		union a64_vreg r = { .q = 0 };                                              \
		for (int i = 0; i < n; i++) {                                               \
			UNUSED T x = a->L[i], y = b->L[i], z = dd->L[i];                    \
			r.L[i] = (T)(EXPR);                                                 \
		}                                                                           \
		cpu->v[op->rd] = r;                                                         \
	}                                                                                   \
	SIMD_HANDLER(name##_##sz##_q0)                                                      \
	{                                                                                   \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &cpu->v[op->rm],              \
				    &cpu->v[op->rd], 8 >> sz);                              \
		return 0;                                                                   \
	}                                                                                   \
	SIMD_HANDLER(name##_##sz##_q1)                                                      \
	{                                                                                   \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &cpu->v[op->rm],              \
				    &cpu->v[op->rd], 16 >> sz);                             \
		return 0;                                                                   \
	}                                                                                   \
	SIMD_HANDLER(name##_##sz##_sc)                                                      \
	{                                                                                   \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &cpu->v[op->rm],              \
				    &cpu->v[op->rd], 1);                                    \
		return 0;                                                                   \
	}
#define FP_ELEM(name, sz)                                                                  \
	SIMD_HANDLER(name##_##sz##_x0)                                                      \
	{                                                                                   \
		union a64_vreg e;                                                           \
		*(vu64 *)&e = simd_bcast(cpu, op, sz);                                      \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &e, &cpu->v[op->rd], 8 >> sz); \
		return 0;                                                                   \
	}                                                                                   \
	SIMD_HANDLER(name##_##sz##_x1)                                                      \
	{                                                                                   \
		union a64_vreg e;                                                           \
		*(vu64 *)&e = simd_bcast(cpu, op, sz);                                      \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &e, &cpu->v[op->rd], 16 >> sz); \
		return 0;                                                                   \
	}                                                                                   \
	SIMD_HANDLER(name##_##sz##_xs)                                                      \
	{                                                                                   \
		union a64_vreg e;                                                           \
		*(vu64 *)&e = simd_bcast(cpu, op, sz);                                      \
		fcore_##name##_##sz(cpu, op, &cpu->v[op->rn], &e, &cpu->v[op->rd], 1);      \
		return 0;                                                                   \
	}

#define FP_TAB(name, x)                                                                    \
	static const simd_tab tab_##name = {                                               \
		{ NULL }, { NULL },                                                        \
		{ name##_2_q0, name##_2_q1, name##_2_sc, x(name, 2, _x0), x(name, 2, _x1),   \
		  x(name, 2, _xs) },                                                       \
		{ name##_3_q0, name##_3_q1, name##_3_sc, x(name, 3, _x0), x(name, 3, _x1),   \
		  x(name, 3, _xs) } };
/* E32 and E64: the lane expression for singles and doubles */
#define FP_OP(name, E32, E64)                                                              \
	FP_CORE(name, 2, uint32_t, s, E32)                                                 \
	FP_CORE(name, 3, uint64_t, d, E64)                                                 \
	FP_TAB(name, SIMD_NO)
#define FP_OPX(name, E32, E64)                                                             \
	FP_CORE(name, 2, uint32_t, s, E32)                                                 \
	FP_CORE(name, 3, uint64_t, d, E64)                                                 \
	FP_ELEM(name, 2)                                                                   \
	FP_ELEM(name, 3)                                                                   \
	FP_TAB(name, SIMD_YES)
/* The same call for both sizes: fn##32 / fn##64 */
#define FP_OP2(name, fn) FP_OP(name, fn##32(x, y, F, P), fn##64(x, y, F, P))

/* ---- arithmetic ---- */
FP_OPX(fadd, a64_fpu_add32(x, y, F, P), a64_fpu_add64(x, y, F, P))
FP_OPX(fsub, a64_fpu_sub32(x, y, F, P), a64_fpu_sub64(x, y, F, P))
FP_OPX(fmul, a64_fpu_mul32(x, y, F, P), a64_fpu_mul64(x, y, F, P))
FP_OPX(fdiv, a64_fpu_div32(x, y, F, P), a64_fpu_div64(x, y, F, P))
FP_OPX(fmulx, fmulx32(cpu, x, y), fmulx64(cpu, x, y))
FP_OPX(fmla, a64_fpu_fma32(z, x, y, F, P), a64_fpu_fma64(z, x, y, F, P))
FP_OPX(fmls, a64_fpu_fma32(z, x ^ SIGN32, y, F, P), a64_fpu_fma64(z, x ^ SIGN64, y, F, P))
FP_OP(fabd, a64_fpu_sub32(x, y, F, P) & ~SIGN32, a64_fpu_sub64(x, y, F, P) & ~SIGN64)
FP_OP2(fmax, a64_fpu_max)
FP_OP2(fmin, a64_fpu_min)
FP_OP2(fmaxnm, a64_fpu_maxnm)
FP_OP2(fminnm, a64_fpu_minnm)
FP_OP(frecps, frecps32(cpu, x, y), frecps64(cpu, x, y))
FP_OP(frsqrts, frsqrts32(cpu, x, y), frsqrts64(cpu, x, y))

/* ---- compares ---- */
FP_OP(fcmeq, MASK(32, EQ(a64_fpu_cmp32(x, y, false, F, P))),
      MASK(64, EQ(a64_fpu_cmp64(x, y, false, F, P))))
FP_OP(fcmge, MASK(32, GE(a64_fpu_cmp32(x, y, true, F, P))),
      MASK(64, GE(a64_fpu_cmp64(x, y, true, F, P))))
FP_OP(fcmgt, MASK(32, GT(a64_fpu_cmp32(x, y, true, F, P))),
      MASK(64, GT(a64_fpu_cmp64(x, y, true, F, P))))
FP_OP(facge, MASK(32, GE(a64_fpu_cmp32(x & ~SIGN32, y & ~SIGN32, true, F, P))),
      MASK(64, GE(a64_fpu_cmp64(x & ~SIGN64, y & ~SIGN64, true, F, P))))
FP_OP(facgt, MASK(32, GT(a64_fpu_cmp32(x & ~SIGN32, y & ~SIGN32, true, F, P))),
      MASK(64, GT(a64_fpu_cmp64(x & ~SIGN64, y & ~SIGN64, true, F, P))))
FP_OP(fcmeq0, MASK(32, EQ(a64_fpu_cmp32(x, 0, false, F, P))),
      MASK(64, EQ(a64_fpu_cmp64(x, 0, false, F, P))))
FP_OP(fcmge0, MASK(32, GE(a64_fpu_cmp32(x, 0, true, F, P))),
      MASK(64, GE(a64_fpu_cmp64(x, 0, true, F, P))))
FP_OP(fcmgt0, MASK(32, GT(a64_fpu_cmp32(x, 0, true, F, P))),
      MASK(64, GT(a64_fpu_cmp64(x, 0, true, F, P))))
FP_OP(fcmle0, MASK(32, GE(a64_fpu_cmp32(0, x, true, F, P))),
      MASK(64, GE(a64_fpu_cmp64(0, x, true, F, P))))
FP_OP(fcmlt0, MASK(32, GT(a64_fpu_cmp32(0, x, true, F, P))),
      MASK(64, GT(a64_fpu_cmp64(0, x, true, F, P))))

/* ---- one operand ---- */
FP_OP(fabs, x & ~SIGN32, x & ~SIGN64)
FP_OP(fneg, x ^ SIGN32, x ^ SIGN64)
FP_OP(fsqrt, a64_fpu_sqrt32(x, F, P), a64_fpu_sqrt64(x, F, P))
FP_OP(frecpe, frecpe_any(x, false, F, P), frecpe_any(x, true, F, P))
FP_OP(frsqrte, frsqrte_any(x, false, F, P), frsqrte_any(x, true, F, P))
FP_OP(frecpx, frecpx_any(x, false, F, P), frecpx_any(x, true, F, P))
FP_OP(urecpe, urecpe(x), x)
FP_OP(ursqrte, ursqrte(x), x)
#define RINT(name, mode, exact)                                                            \
	FP_OP(name, a64_fpu_rint32(x, mode, exact, F, P), a64_fpu_rint64(x, mode, exact, F, P))
RINT(frintn, A64_RN, false)
RINT(frintp, A64_RP, false)
RINT(frintm, A64_RM, false)
RINT(frintz, A64_RZ, false)
RINT(frinta, A64_RA, false)
RINT(frintx, A64_RFPCR, true)
RINT(frinti, A64_RFPCR, false)
/* to integer: imm = fraction bits (0 but for the fixed-point FCVTZS/FCVTZU) */
#define TOINT(name, mode, u)                                                               \
	FP_OP(name, a64_fpu_to_int(x, A64_FMT_S, (unsigned)op->imm, u, 32, mode, F, P),     \
	      a64_fpu_to_int(x, A64_FMT_D, (unsigned)op->imm, u, 64, mode, F, P))
TOINT(fcvtns, A64_RN, false)
TOINT(fcvtnu, A64_RN, true)
TOINT(fcvtps, A64_RP, false)
TOINT(fcvtpu, A64_RP, true)
TOINT(fcvtms, A64_RM, false)
TOINT(fcvtmu, A64_RM, true)
TOINT(fcvtzs, A64_RZ, false)
TOINT(fcvtzu, A64_RZ, true)
TOINT(fcvtas, A64_RA, false)
TOINT(fcvtau, A64_RA, true)
FP_OP(scvtf, a64_fpu_from_int(x, 32, false, (unsigned)op->imm, A64_FMT_S, F, P),
      a64_fpu_from_int(x, 64, false, (unsigned)op->imm, A64_FMT_D, F, P))
FP_OP(ucvtf, a64_fpu_from_int(x, 32, true, (unsigned)op->imm, A64_FMT_S, F, P),
      a64_fpu_from_int(x, 64, true, (unsigned)op->imm, A64_FMT_D, F, P))

/* ---- pairwise (x = rn:rm, low halves when Q = 0; scalar: rn[0], rn[1]) and across ---- */

#define FP_PAIR(name, sz, T, L, FN)                                                        \
	ALWAYS void pcore_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op, int n, \
					bool scalar)                                         \
	{                                                                                    \
		T cat[8];                                                                    \
		union a64_vreg r = { .q = 0 };                                               \
		for (int i = 0; i < n; i++) {                                                \
			cat[i] = cpu->v[op->rn].L[i];                                        \
			cat[n + i] = cpu->v[scalar ? op->rn : op->rm].L[i];                  \
		}                                                                            \
		for (int i = 0; i < (scalar ? 1 : n); i++)                                   \
			r.L[i] = FN(cat[2 * i], cat[2 * i + 1], F, P);                       \
		cpu->v[op->rd] = r;                                                          \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q0)                                                       \
	{                                                                                    \
		pcore_##name##_##sz(cpu, op, 8 >> sz, false);                                \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q1)                                                       \
	{                                                                                    \
		pcore_##name##_##sz(cpu, op, 16 >> sz, false);                               \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_sc)                                                       \
	{                                                                                    \
		pcore_##name##_##sz(cpu, op, 2, true);                                       \
		return 0;                                                                    \
	}
#define FP_PAIR_OP(name, fn)                                                              \
	FP_PAIR(name, 2, uint32_t, s, fn##32)                                             \
	FP_PAIR(name, 3, uint64_t, d, fn##64)                                             \
	FP_TAB(name, SIMD_NO)
FP_PAIR_OP(faddp, a64_fpu_add)
FP_PAIR_OP(fmaxp, a64_fpu_max)
FP_PAIR_OP(fminp, a64_fpu_min)
FP_PAIR_OP(fmaxnmp, a64_fpu_maxnm)
FP_PAIR_OP(fminnmp, a64_fpu_minnm)

#define FP_ACROSS(name, fn)                                                                \
	SIMD_HANDLER(name)                                                                 \
	{                                                                                  \
		const uint32_t *e = cpu->v[op->rn].s;                                      \
		uint32_t lo = fn(e[0], e[1], F, P), hi = fn(e[2], e[3], F, P);             \
		VREG(vu64, op->rd) = (vu64){ fn(lo, hi, F, P), 0 };                        \
		return 0;                                                                  \
	}
FP_ACROSS(fmaxv, a64_fpu_max32)
FP_ACROSS(fminv, a64_fpu_min32)
FP_ACROSS(fmaxnmv, a64_fpu_maxnm32)
FP_ACROSS(fminnmv, a64_fpu_minnm32)

/* ---- format conversions ---- */

/* FCVTL: narrow format (size 1 H, 2 S) from half Q of rn to the next wider format */
SIMD_HANDLER(fcvtl)
{
	union a64_vreg s = cpu->v[op->rn], r;
	unsigned q = op->sf & 1;
	if (op->size == 1) {
		for (int i = 0; i < 4; i++)
			r.s[i] = (uint32_t)a64_fpu_convert(s.h[4 * q + i], A64_FMT_H, A64_FMT_S, F, P);
	} else {
		for (int i = 0; i < 2; i++)
			r.d[i] = a64_fpu_convert(s.s[2 * q + i], A64_FMT_S, A64_FMT_D, F, P);
	}
	cpu->v[op->rd] = r;
	return 0;
}

/* FCVTXN's rounding to odd: truncate, then set the lowest bit when inexact. */
static uint32_t cvt_odd(struct a64_cpu *cpu, uint64_t a)
{
	uint32_t fl = 0;
	uint32_t r = (uint32_t)a64_fpu_convert(a, A64_FMT_D, A64_FMT_S,
					       (F & ~A64_FPCR_RMODE) | (A64_RZ << A64_FPCR_RMODE_SHIFT),
					       &fl);
	if ((fl & A64_FPSR_IXC) && !a64_isnan32(r))
		r |= 1;
	cpu->fpsr |= fl;
	return r;
}

/* FCVTN, FCVTXN: wide lanes of rn to the narrow format (size), into half Q of rd */
ALWAYS void fcvtn_common(struct a64_cpu *cpu, const struct a64_op *op, bool odd)
{
	union a64_vreg s = cpu->v[op->rn], r = cpu->v[op->rd];
	unsigned q = op->sf & 1;
	bool sc = op->flags & A64_SIMD_F_SCALAR;
	if (!q || sc)
		r.q = 0;
	if (op->size == 1) {
		for (int i = 0; i < 4; i++)
			r.h[4 * q + i] = (uint16_t)a64_fpu_convert(s.s[i], A64_FMT_S, A64_FMT_H, F, P);
	} else {
		for (int i = 0; i < (sc ? 1 : 2); i++)
			r.s[2 * q + i] = odd ? cvt_odd(cpu, s.d[i]) :
				(uint32_t)a64_fpu_convert(s.d[i], A64_FMT_D, A64_FMT_S, F, P);
	}
	cpu->v[op->rd] = r;
}

SIMD_HANDLER(fcvtn)
{
	fcvtn_common(cpu, op, false);
	return 0;
}

SIMD_HANDLER(fcvtxn)
{
	fcvtn_common(cpu, op, true);
	return 0;
}

static const simd_tab *const tabs[A64_SIMD_KIND_COUNT] = {
	[A64_SIMD_FADD] = &tab_fadd, [A64_SIMD_FSUB] = &tab_fsub, [A64_SIMD_FMUL] = &tab_fmul,
	[A64_SIMD_FDIV] = &tab_fdiv, [A64_SIMD_FMULX] = &tab_fmulx, [A64_SIMD_FMLA] = &tab_fmla,
	[A64_SIMD_FMLS] = &tab_fmls, [A64_SIMD_FABD] = &tab_fabd, [A64_SIMD_FMAX] = &tab_fmax,
	[A64_SIMD_FMIN] = &tab_fmin, [A64_SIMD_FMAXNM] = &tab_fmaxnm,
	[A64_SIMD_FMINNM] = &tab_fminnm, [A64_SIMD_FRECPS] = &tab_frecps,
	[A64_SIMD_FRSQRTS] = &tab_frsqrts, [A64_SIMD_FCMEQ] = &tab_fcmeq,
	[A64_SIMD_FCMGE] = &tab_fcmge, [A64_SIMD_FCMGT] = &tab_fcmgt,
	[A64_SIMD_FACGE] = &tab_facge, [A64_SIMD_FACGT] = &tab_facgt,
	[A64_SIMD_FCMEQ0] = &tab_fcmeq0, [A64_SIMD_FCMGE0] = &tab_fcmge0,
	[A64_SIMD_FCMGT0] = &tab_fcmgt0, [A64_SIMD_FCMLE0] = &tab_fcmle0,
	[A64_SIMD_FCMLT0] = &tab_fcmlt0, [A64_SIMD_FABS] = &tab_fabs,
	[A64_SIMD_FNEG] = &tab_fneg, [A64_SIMD_FSQRT] = &tab_fsqrt,
	[A64_SIMD_FRECPE] = &tab_frecpe, [A64_SIMD_FRSQRTE] = &tab_frsqrte,
	[A64_SIMD_FRECPX] = &tab_frecpx, [A64_SIMD_URECPE] = &tab_urecpe,
	[A64_SIMD_URSQRTE] = &tab_ursqrte,
	[A64_SIMD_FRINTN] = &tab_frintn, [A64_SIMD_FRINTP] = &tab_frintp,
	[A64_SIMD_FRINTM] = &tab_frintm, [A64_SIMD_FRINTZ] = &tab_frintz,
	[A64_SIMD_FRINTA] = &tab_frinta, [A64_SIMD_FRINTX] = &tab_frintx,
	[A64_SIMD_FRINTI] = &tab_frinti,
	[A64_SIMD_FCVTNS] = &tab_fcvtns, [A64_SIMD_FCVTNU] = &tab_fcvtnu,
	[A64_SIMD_FCVTPS] = &tab_fcvtps, [A64_SIMD_FCVTPU] = &tab_fcvtpu,
	[A64_SIMD_FCVTMS] = &tab_fcvtms, [A64_SIMD_FCVTMU] = &tab_fcvtmu,
	[A64_SIMD_FCVTZS] = &tab_fcvtzs, [A64_SIMD_FCVTZU] = &tab_fcvtzu,
	[A64_SIMD_FCVTAS] = &tab_fcvtas, [A64_SIMD_FCVTAU] = &tab_fcvtau,
	[A64_SIMD_SCVTF] = &tab_scvtf, [A64_SIMD_UCVTF] = &tab_ucvtf,
	[A64_SIMD_FADDP] = &tab_faddp, [A64_SIMD_FMAXP] = &tab_fmaxp,
	[A64_SIMD_FMINP] = &tab_fminp, [A64_SIMD_FMAXNMP] = &tab_fmaxnmp,
	[A64_SIMD_FMINNMP] = &tab_fminnmp,
};

a64_handler simd_bind_fp(const struct a64_op *op)
{
	switch (op->kind) {
	case A64_SIMD_FMAXV: return fmaxv;
	case A64_SIMD_FMINV: return fminv;
	case A64_SIMD_FMAXNMV: return fmaxnmv;
	case A64_SIMD_FMINNMV: return fminnmv;
	case A64_SIMD_FCVTL: return fcvtl;
	case A64_SIMD_FCVTN: return fcvtn;
	case A64_SIMD_FCVTXN: return fcvtxn;
	default: break;
	}
	if (op->kind >= A64_SIMD_KIND_COUNT || !tabs[op->kind])
		return NULL;
	return simd_pick(tabs[op->kind], op);
}
