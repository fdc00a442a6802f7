/* emu/aarch64/fpu: the Arm floating-point rules on an x86-64 host (see fpu.h for the FPSR
 * strategy and the order of the slow paths). The arithmetic's slow paths use the host's SSE
 * instructions, with checks, error-free transformations or an MXCSR round trip around them,
 * and correct what x86 does differently (NaNs, tininess after rounding, flush-to-zero);
 * conversions, FRINT and min/max are computed in software following the Arm ARM's pseudocode
 * (FPUnpack, FPRoundBase, FPToFixed, FixedToFP, FPConvert, FPRoundInt, FPMax...). Touches
 * nothing but its arguments, the CPU it is given and the calling thread's MXCSR. */
#include <math.h>
#include <ucontext.h>

#include "emu/aarch64/fpu.h"

/* --- the host's MXCSR --- */
#define MXCSR_DEFAULT 0x1f80u /* round to nearest, all exceptions masked, flags clear */
#define MXCSR_FLAGS 0x3fu
#define MX_PE 0x20u
#define MXCSR_RC_SHIFT 13

static inline uint32_t mxcsr_get(void)
{
	uint32_t m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static inline void mxcsr_set(uint32_t m)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
}

/* FPCR.RMode (RN RP RM RZ) to MXCSR.RC (nearest, down, up, zero). */
static const uint8_t rc_of_rmode[4] = { 0, 2, 1, 3 };

uint32_t a64_fpsr_read(struct a64_cpu *cpu)
{
	cpu->fpsr |= a64_fpu_mxcsr_flags(mxcsr_get());
	return cpu->fpsr;
}

void a64_fpsr_write(struct a64_cpu *cpu, uint64_t value)
{
	uint32_t m = mxcsr_get();
	cpu->fpsr = (uint32_t)value & A64_FPSR_WRITABLE;
	if (m & MXCSR_FLAGS)
		mxcsr_set(m & ~MXCSR_FLAGS);
}

void a64_fpcr_write(struct a64_cpu *cpu, uint64_t value)
{
	cpu->fpcr = (uint32_t)value & A64_FPCR_WRITABLE;
}

void a64_fpu_attach(struct a64_cpu *cpu)
{
	(void)cpu;
	mxcsr_set(MXCSR_DEFAULT);
}

void a64_fpu_sync(struct a64_cpu *cpu)
{
	uint32_t m = mxcsr_get();
	cpu->fpsr |= a64_fpu_mxcsr_flags(m);
	if (m & MXCSR_FLAGS)
		mxcsr_set(m & ~MXCSR_FLAGS);
}

void a64_fpu_signal_fold(struct a64_cpu *cpu, const void *ucontext)
{
	const ucontext_t *uc = ucontext;
	if (uc && uc->uc_mcontext.fpregs)
		cpu->fpsr |= a64_fpu_mxcsr_flags(uc->uc_mcontext.fpregs->mxcsr);
}

/* --- formats, unpacking, rounding (software) --- */
struct fmtinfo {
	unsigned ebits, fbits;
	int bias;
};
static const struct fmtinfo fmts[4] = {
	[A64_FMT_H] = { 5, 10, 15 },
	[A64_FMT_S] = { 8, 23, 127 },
	[A64_FMT_D] = { 11, 52, 1023 },
};

static inline unsigned fmt_bits(enum a64_fpfmt fmt)
{
	return 8u << fmt;
}
static inline uint64_t sign_bit(enum a64_fpfmt fmt)
{
	return 1ull << (fmt_bits(fmt) - 1);
}
static inline uint64_t exp_mask(enum a64_fpfmt fmt)
{
	return ((1ull << fmts[fmt].ebits) - 1) << fmts[fmt].fbits;
}
static inline uint64_t frac_mask(enum a64_fpfmt fmt)
{
	return (1ull << fmts[fmt].fbits) - 1;
}
static inline uint64_t quiet_bit(enum a64_fpfmt fmt)
{
	return 1ull << (fmts[fmt].fbits - 1);
}
static inline uint64_t default_nan(enum a64_fpfmt fmt)
{
	return exp_mask(fmt) | quiet_bit(fmt);
}
static inline bool is_nan(uint64_t a, enum a64_fpfmt fmt)
{
	return (a & exp_mask(fmt)) == exp_mask(fmt) && (a & frac_mask(fmt));
}
static inline bool is_snan(uint64_t a, enum a64_fpfmt fmt)
{
	return is_nan(a, fmt) && !(a & quiet_bit(fmt));
}
/* FPCR.FZ applies to single and double (FZ16, for half, is not implemented). */
static inline bool fz(enum a64_fpfmt fmt, uint32_t fpcr)
{
	return fmt != A64_FMT_H && (fpcr & A64_FPCR_FZ);
}

/* FPUnpack's flush: a denormal operand becomes a zero of the same sign, with IDC. */
static inline uint64_t flush_in(uint64_t a, enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr)
{
	if (fz(fmt, fpcr) && !(a & exp_mask(fmt)) && (a & frac_mask(fmt))) {
		*fpsr |= A64_FPSR_IDC;
		return a & sign_bit(fmt);
	}
	return a;
}

enum fpclass { FPC_ZERO, FPC_NUM, FPC_INF, FPC_QNAN, FPC_SNAN };

/* A finite non-zero value is mant * 2^(exp - 63), with bit 63 of mant set. */
struct unpacked {
	enum fpclass cls;
	bool sign;
	int exp;
	uint64_t mant;
};

static struct unpacked unpack(uint64_t a, enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr)
{
	const struct fmtinfo *f = &fmts[fmt];
	unsigned e = (unsigned)((a & exp_mask(fmt)) >> f->fbits);
	uint64_t frac = a & frac_mask(fmt);
	struct unpacked u = { .cls = FPC_NUM, .sign = (a & sign_bit(fmt)) != 0 };
	bool ahp = fmt == A64_FMT_H && (fpcr & A64_FPCR_AHP);
	if (e == (1u << f->ebits) - 1 && !ahp) {
		if (!frac)
			u.cls = FPC_INF;
		else
			u.cls = (frac & quiet_bit(fmt)) ? FPC_QNAN : FPC_SNAN;
	} else if (e == 0) {
		if (!frac) {
			u.cls = FPC_ZERO;
		} else if (fz(fmt, fpcr)) {
			*fpsr |= A64_FPSR_IDC;
			u.cls = FPC_ZERO;
		} else {
			int s = __builtin_clzll(frac);
			u.mant = frac << s;
			u.exp = 1 - f->bias - (int)f->fbits + (63 - s);
		}
	} else {
		u.mant = (frac | 1ull << f->fbits) << (63 - f->fbits);
		u.exp = (int)e - f->bias;
	}
	return u;
}

/* Whether rounding a magnitude increments it: odd is its last kept bit, half the first
 * dropped one, rest whether anything below that is non-zero. */
static inline bool round_up(enum a64_round rm, bool sign, bool odd, bool half, bool rest)
{
	switch (rm) {
	case A64_RN: return half && (rest || odd);
	case A64_RP: return !sign && (half || rest);
	case A64_RM: return sign && (half || rest);
	case A64_RA: return half;
	default: return false;
	}
}

/* FPRoundBase: round sign * (mant + sticky) * 2^(exp - 63) to fmt. Tininess is detected before
 * rounding; FZ flushes a tiny value to zero with UFC alone; AHP has no infinities. */
static uint64_t round_pack(enum a64_fpfmt fmt, bool sign, int exp, uint64_t mant, bool sticky,
			   enum a64_round rm, uint32_t fpcr, uint32_t *fpsr)
{
	const struct fmtinfo *f = &fmts[fmt];
	unsigned F = f->fbits, E = f->ebits;
	int emin = 1 - f->bias;
	uint64_t sbit = sign ? sign_bit(fmt) : 0;
	if (fz(fmt, fpcr) && exp < emin) {
		*fpsr |= A64_FPSR_UFC;
		return sbit;
	}
	int biased;
	unsigned shift;
	if (exp >= emin) {
		biased = exp - emin + 1;
		shift = 63 - F;
	} else {
		biased = 0;
		shift = emin - exp > 70 ? 70 : 63 - F + (unsigned)(emin - exp);
	}
	uint64_t im;
	bool half, rest;
	if (shift >= 65) {
		im = 0;
		half = false;
		rest = mant || sticky;
	} else if (shift == 64) {
		im = 0;
		half = mant >> 63;
		rest = (mant << 1) || sticky;
	} else {
		im = mant >> shift;
		half = (mant >> (shift - 1)) & 1;
		rest = (mant & ((1ull << (shift - 1)) - 1)) || sticky;
	}
	bool inexact = half || rest;
	if (biased == 0 && inexact)
		*fpsr |= A64_FPSR_UFC;
	if (round_up(rm, sign, im & 1, half, rest)) {
		im++;
		if (im == 1ull << F)
			biased = 1; /* a denormal rounded up to the smallest normal */
		if (im == 1ull << (F + 1)) {
			biased++;
			im >>= 1;
		}
	}
	uint64_t r;
	if (!(fmt == A64_FMT_H && (fpcr & A64_FPCR_AHP))) {
		if (biased >= (1 << E) - 1) {
			bool to_inf = rm == A64_RN || rm == A64_RA || (rm == A64_RP && !sign) ||
				      (rm == A64_RM && sign);
			r = sbit | (to_inf ? exp_mask(fmt) : exp_mask(fmt) - 1);
			*fpsr |= A64_FPSR_OFC;
			inexact = true;
		} else {
			r = sbit | (uint64_t)biased << F | (im & frac_mask(fmt));
		}
	} else if (biased >= 1 << E) { /* alternative half precision: saturate, Invalid */
		r = sbit | 0x7fff;
		*fpsr |= A64_FPSR_IOC;
		inexact = false;
	} else {
		r = sbit | (uint64_t)biased << F | (im & frac_mask(fmt));
	}
	if (inexact)
		*fpsr |= A64_FPSR_IXC;
	return r;
}

/* --- NaNs --- */
static uint64_t process_nan(uint64_t a, enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr)
{
	if (!(a & quiet_bit(fmt))) {
		*fpsr |= A64_FPSR_IOC;
		a |= quiet_bit(fmt);
	}
	return (fpcr & A64_FPCR_DN) ? default_nan(fmt) : a;
}

/* FPProcessNaNs: called when a or b is a NaN. */
uint64_t a64_fpu_nan2(uint64_t a, uint64_t b, enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr)
{
	if (is_snan(a, fmt))
		return process_nan(a, fmt, fpcr, fpsr);
	if (is_snan(b, fmt))
		return process_nan(b, fmt, fpcr, fpsr);
	return process_nan(is_nan(a, fmt) ? a : b, fmt, fpcr, fpsr);
}

/* FPProcessNaNs3: called when one of a, b, c is a NaN. */
static uint64_t nan3(uint64_t a, uint64_t b, uint64_t c, enum a64_fpfmt fmt, uint32_t fpcr,
		     uint32_t *fpsr)
{
	if (is_snan(a, fmt))
		return process_nan(a, fmt, fpcr, fpsr);
	if (is_snan(b, fmt))
		return process_nan(b, fmt, fpcr, fpsr);
	if (is_snan(c, fmt))
		return process_nan(c, fmt, fpcr, fpsr);
	if (is_nan(a, fmt))
		return process_nan(a, fmt, fpcr, fpsr);
	return process_nan(is_nan(b, fmt) ? b : c, fmt, fpcr, fpsr);
}

/* --- arithmetic on the host under the guest's rounding mode --- */
enum hop { HOP_ADD, HOP_SUB, HOP_MUL, HOP_DIV, HOP_SQRT, HOP_FMA };

__attribute__((target("fma"))) static float fma32_hw(float a, float b, float c)
{
	return __builtin_fmaf(a, b, c);
}
__attribute__((target("fma"))) static double fma64_hw(double a, double b, double c)
{
	return __builtin_fma(a, b, c);
}
static float fma32_host(float a, float b, float c)
{
	return __builtin_cpu_supports("fma") ? fma32_hw(a, b, c) : fmaf(a, b, c);
}
static double fma64_host(double a, double b, double c)
{
	return __builtin_cpu_supports("fma") ? fma64_hw(a, b, c) : fma(a, b, c);
}

/* Run op with MXCSR = rounding rc, flags clear; *flags gets the MXCSR after it. The empty asm
 * statements pin the operation between the two MXCSR accesses. */
#define HOST_OP(name, T, fmafn)                                                          \
	static T name(enum hop op, T a, T b, T c, unsigned rc, uint32_t *flags)         \
	{                                                                                \
		T r;                                                                     \
		mxcsr_set(MXCSR_DEFAULT | rc << MXCSR_RC_SHIFT);                         \
		__asm__ volatile("" : "+x"(a), "+x"(b), "+x"(c));                        \
		switch (op) {                                                            \
		case HOP_ADD: r = a + b; break;                                          \
		case HOP_SUB: r = a - b; break;                                          \
		case HOP_MUL: r = a * b; break;                                          \
		case HOP_DIV: r = a / b; break;                                          \
		case HOP_SQRT: r = sizeof(T) == 4 ? __builtin_sqrtf(a) : __builtin_sqrt(a); break; \
		default: r = fmafn(a, b, c); break;                                      \
		}                                                                        \
		__asm__ volatile("" : "+x"(r));                                          \
		*flags = mxcsr_get();                                                    \
		return r;                                                                \
	}
HOST_OP(host_op32, float, fma32_host)
HOST_OP(host_op64, double, fma64_host)

/* The Arm result of a host operation on non-NaN (already flushed) operands: the default NaN
 * for an invalid operation, tininess before rounding (a result of +-min-normal that was below
 * it before rounding is redone towards zero to find out), FZ on the result. */
#define ARITH(name, T, U, hostop, MINN, INF, NANDEF, SIGN, ABS)                             \
	static U name(enum hop op, U a, U b, U c, uint32_t fpcr, uint32_t *fpsr)        \
	{                                                                                \
		unsigned rc = rc_of_rmode[a64_fpcr_rmode(fpcr)];                         \
		uint32_t saved = mxcsr_get(), m, m2;                                     \
		T fa, fb, fc;                                                            \
		memcpy(&fa, &a, sizeof a);                                               \
		memcpy(&fb, &b, sizeof b);                                               \
		memcpy(&fc, &c, sizeof c);                                               \
		T r = hostop(op, fa, fb, fc, rc, &m);                                    \
		U rb, t;                                                                 \
		memcpy(&rb, &r, sizeof rb);                                              \
		t = rb & ABS;                                                            \
		bool tiny = false;                                                       \
		if (t < MINN) {                                                          \
			tiny = t != 0 || (m & MX_PE);                                    \
		} else if (t == MINN && (m & MX_PE)) {                                   \
			T z = hostop(op, fa, fb, fc, 3, &m2);                            \
			U zb;                                                            \
			memcpy(&zb, &z, sizeof zb);                                      \
			tiny = (zb & ABS) < MINN;                                        \
		}                                                                        \
		mxcsr_set(saved);                                                        \
		if (t > INF) { /* NaN: an invalid operation */                           \
			*fpsr |= A64_FPSR_IOC;                                           \
			return NANDEF;                                                   \
		}                                                                        \
		if (tiny && (fpcr & A64_FPCR_FZ)) {                                      \
			*fpsr |= A64_FPSR_UFC;                                           \
			return rb & SIGN;                                                \
		}                                                                        \
		uint32_t fl = a64_fpu_mxcsr_flags(m) & ~A64_FPSR_UFC;                    \
		if (tiny && (m & MX_PE))                                                 \
			fl |= A64_FPSR_UFC;                                              \
		*fpsr |= fl;                                                             \
		return rb;                                                               \
	}
ARITH(arith32, float, uint32_t, host_op32, 0x00800000u, 0x7f800000u, A64_DNAN32, 0x80000000u,
      0x7fffffffu)
ARITH(arith64, double, uint64_t, host_op64, 0x0010000000000000ull, 0x7ff0000000000000ull,
      A64_DNAN64, 0x8000000000000000ull, 0x7fffffffffffffffull)

/* FZ with round to nearest (the -ffast-math setting) without the MXCSR round trip: when no
 * operand is a denormal and the result cannot be both tiny and inexact, the host raises exactly
 * Arm's flags, so the operation runs as on the fast path (flags left pending) and a tiny
 * result, necessarily exact, is flushed here with UFC. A product or quotient is safe when
 * its exponent cannot fall below the normal range; a fused product when its lowest bit is no
 * finer than a denormal's (then a tiny sum is exact). False: take the exact path. */
#define FZ_FAST(name, T, U, F, BIAS, EMAX, MINN, SIGN, fmafn)                             \
	static inline bool name(enum hop op, U a, U b, U c, uint32_t fpcr, uint32_t *fpsr,   \
				U *res)                                                      \
	{                                                                                \
		const U fm = ((U)1 << F) - 1;                                            \
		if ((fpcr & A64_FPCR_SLOW) != A64_FPCR_FZ)                               \
			return false;                                                    \
		int ea = (int)((a >> F) & EMAX), eb = (int)((b >> F) & EMAX);            \
		if ((!ea && (a & fm)) || (!eb && (b & fm)) || (!((c >> F) & EMAX) && (c & fm))) \
			return false;                                                    \
		bool special = !ea || !eb || ea == EMAX || eb == EMAX;                   \
		if (!special && ((op == HOP_MUL && ea + eb < BIAS + 1) ||                \
				 (op == HOP_DIV && ea - eb < 2 - BIAS) ||                \
				 (op == HOP_FMA && ea + eb < BIAS + F + 1)))             \
			return false;                                                    \
		T x, y, z, r;                                                            \
		memcpy(&x, &a, sizeof x);                                                \
		memcpy(&y, &b, sizeof y);                                                \
		memcpy(&z, &c, sizeof z);                                                \
		switch (op) {                                                            \
		case HOP_ADD: r = x + y; break;                                          \
		case HOP_SUB: r = x - y; break;                                          \
		case HOP_MUL: r = x * y; break;                                          \
		case HOP_DIV: r = x / y; break;                                          \
		case HOP_SQRT: r = sizeof(T) == 4 ? __builtin_sqrtf(x) : __builtin_sqrt(x); break; \
		default: r = fmafn(x, y, z); break;                                      \
		}                                                                        \
		if (r != r)                                                              \
			return false; /* NaN: the exact path (the host's flags are Arm's) */  \
		U rb;                                                                    \
		memcpy(&rb, &r, sizeof rb);                                              \
		if ((rb & ~SIGN) < MINN && (rb & ~SIGN)) {                               \
			*fpsr |= A64_FPSR_UFC;                                           \
			rb &= SIGN;                                                      \
		}                                                                        \
		*res = rb;                                                               \
		return true;                                                             \
	}
FZ_FAST(fz_fast32, float, uint32_t, 23, 127, 255, 0x00800000u, 0x80000000u, fma32_host)
FZ_FAST(fz_fast64, double, uint64_t, 52, 1023, 2047, 0x0010000000000000ull, 0x8000000000000000ull,
	fma64_host)

/* Directed rounding (RP, RM, RZ) without the MXCSR round trip: the host rounds to nearest, an
 * error-free transformation gives the sign of that rounding's error (TwoSum for a sum, an
 * fma residue for a product, quotient or square root), and the result moves one unit in the
 * last place when the guest's mode wants the other neighbour. Only where the residue is exact
 * and nothing can overflow or be tiny and inexact, so the host raises exactly Arm's flags
 * (left pending): finite operands below the top binade for a sum; for a product, quotient or
 * root, normal operands whose result and residue exponents stay well inside the normal range
 * (zero operands are exact). With FZ, denormal operands take the exact path and a tiny sum
 * (always exact) is flushed. False: take the exact path. */
#define DIR_FAST(name, T, U, F, BIAS, EMAX, MINN, SIGN, FMA, attr)                        \
	attr static bool name(enum hop op, U a, U b, uint32_t fpcr, uint32_t *fpsr, U *res)  \
	{                                                                                \
		const U fm = ((U)1 << F) - 1, abs = (U)~SIGN;                            \
		int ea = (int)((a >> F) & EMAX), eb = (int)((b >> F) & EMAX), err = 0;   \
		bool fzm = fpcr & A64_FPCR_FZ;                                           \
		T x, y, r, e;                                                            \
		if (fzm && ((!ea && (a & fm)) || (!eb && (b & fm))))                     \
			return false;                                                    \
		if (op == HOP_SUB)                                                       \
			b ^= SIGN;                                                       \
		memcpy(&x, &a, sizeof x);                                                \
		memcpy(&y, &b, sizeof y);                                                \
		switch (op) {                                                            \
		case HOP_ADD:                                                            \
		case HOP_SUB: {                                                          \
			if (ea >= EMAX - 1 || eb >= EMAX - 1)                            \
				return false;                                            \
			r = x + y;                                                       \
			T bv = r - x, av = r - bv;                                       \
			e = (x - av) + (y - bv);                                         \
			err = (e > 0) - (e < 0);                                         \
			break;                                                           \
		}                                                                        \
		case HOP_MUL:                                                            \
			if (ea == EMAX || eb == EMAX)                                    \
				return false;                                            \
			if ((a & abs) && (b & abs)) {                                    \
				if (!ea || !eb || ea + eb < BIAS + F + 2 ||              \
				    ea + eb > 3 * BIAS - 2)                              \
					return false;                                    \
			}                                                                \
			r = x * y;                                                       \
			if ((a & abs) && (b & abs)) {                                    \
				e = FMA(x, y, -r);                                       \
				err = (e > 0) - (e < 0);                                 \
			}                                                                \
			break;                                                           \
		case HOP_DIV:                                                            \
			if (ea == EMAX || !eb || eb == EMAX)                             \
				return false;                                            \
			if (a & abs) {                                                   \
				if (!ea || ea < F + 3 || ea - eb < F + 3 - BIAS ||       \
				    ea - eb > BIAS - 2)                                  \
					return false;                                    \
			}                                                                \
			r = x / y;                                                       \
			if (a & abs) {                                                   \
				e = FMA(-r, y, x);                                       \
				err = ((e > 0) - (e < 0)) * ((b & SIGN) ? -1 : 1);       \
			}                                                                \
			break;                                                           \
		case HOP_SQRT:                                                           \
			if (a & abs) {                                                   \
				if ((a & SIGN) || ea == EMAX || ea < F + 3)              \
					return false;                                    \
				r = sizeof(T) == 4 ? __builtin_sqrtf(x) : __builtin_sqrt(x); \
				e = FMA(-r, r, x);                                       \
				err = (e > 0) - (e < 0);                                 \
			} else {                                                         \
				r = x; /* sqrt(+-0) = +-0 */                             \
			}                                                                \
			break;                                                           \
		default:                                                                 \
			return false;                                                    \
		}                                                                        \
		U rb;                                                                    \
		memcpy(&rb, &r, sizeof rb);                                              \
		enum a64_round rm = a64_fpcr_rmode(fpcr);                                \
		if (err) {                                                               \
			bool neg = rb & SIGN, move, up;                                  \
			if (rm == A64_RZ) {                                              \
				move = (err > 0) == neg;                                 \
				up = false;                                              \
			} else if (rm == A64_RP) {                                       \
				move = err > 0;                                          \
				up = !neg;                                               \
			} else {                                                         \
				move = err < 0;                                          \
				up = neg;                                                \
			}                                                                \
			if (move)                                                        \
				rb = up ? rb + 1 : rb - 1;                               \
		} else if (op <= HOP_SUB && !(rb & abs)) {                               \
			/* an exact zero sum is -0 in RM unless both operands are +0 */ \
			if (rm == A64_RM && (a || b))                                    \
				rb = SIGN;                                               \
		} else if (fzm && op <= HOP_SUB && (rb & abs) < MINN) {                  \
			*fpsr |= A64_FPSR_UFC;                                           \
			rb &= SIGN;                                                      \
		}                                                                        \
		*res = rb;                                                               \
		return true;                                                             \
	}
static inline float fma32_sw(float a, float b, float c)
{
	return fmaf(a, b, c);
}
static inline double fma64_sw(double a, double b, double c)
{
	return fma(a, b, c);
}
DIR_FAST(dir32_hw, float, uint32_t, 23, 127, 255, 0x00800000u, 0x80000000u, __builtin_fmaf,
	 __attribute__((target("fma"))))
DIR_FAST(dir64_hw, double, uint64_t, 52, 1023, 2047, 0x0010000000000000ull,
	 0x8000000000000000ull, __builtin_fma, __attribute__((target("fma"))))
DIR_FAST(dir32_sw, float, uint32_t, 23, 127, 255, 0x00800000u, 0x80000000u, fma32_sw, )
DIR_FAST(dir64_sw, double, uint64_t, 52, 1023, 2047, 0x0010000000000000ull,
	 0x8000000000000000ull, fma64_sw, )

static inline bool dir_fast32(enum hop op, uint32_t a, uint32_t b, uint32_t fpcr,
			      uint32_t *fpsr, uint32_t *res)
{
	if (!(fpcr & A64_FPCR_RMODE))
		return false;
	return __builtin_cpu_supports("fma") ? dir32_hw(op, a, b, fpcr, fpsr, res)
					     : dir32_sw(op, a, b, fpcr, fpsr, res);
}

static inline bool dir_fast64(enum hop op, uint64_t a, uint64_t b, uint32_t fpcr,
			      uint32_t *fpsr, uint64_t *res)
{
	if (!(fpcr & A64_FPCR_RMODE))
		return false;
	return __builtin_cpu_supports("fma") ? dir64_hw(op, a, b, fpcr, fpsr, res)
					     : dir64_sw(op, a, b, fpcr, fpsr, res);
}

#define SLOW2(name, U, fmt, hop, arith, fzf, dirf)                                        \
	U name(U a, U b, uint32_t fpcr, uint32_t *fpsr)                                  \
	{                                                                                \
		U r;                                                                     \
		if (fzf(hop, a, b, 0, fpcr, fpsr, &r) || dirf(hop, a, b, fpcr, fpsr, &r)) \
			return r;                                                        \
		a = (U)flush_in(a, fmt, fpcr, fpsr);                                     \
		b = (U)flush_in(b, fmt, fpcr, fpsr);                                     \
		if (is_nan(a, fmt) || is_nan(b, fmt))                                    \
			return (U)a64_fpu_nan2(a, b, fmt, fpcr, fpsr);                   \
		return arith(hop, a, b, 0, fpcr, fpsr);                                  \
	}
SLOW2(a64_fpu_add32_slow, uint32_t, A64_FMT_S, HOP_ADD, arith32, fz_fast32, dir_fast32)
SLOW2(a64_fpu_sub32_slow, uint32_t, A64_FMT_S, HOP_SUB, arith32, fz_fast32, dir_fast32)
SLOW2(a64_fpu_mul32_slow, uint32_t, A64_FMT_S, HOP_MUL, arith32, fz_fast32, dir_fast32)
SLOW2(a64_fpu_div32_slow, uint32_t, A64_FMT_S, HOP_DIV, arith32, fz_fast32, dir_fast32)
SLOW2(a64_fpu_add64_slow, uint64_t, A64_FMT_D, HOP_ADD, arith64, fz_fast64, dir_fast64)
SLOW2(a64_fpu_sub64_slow, uint64_t, A64_FMT_D, HOP_SUB, arith64, fz_fast64, dir_fast64)
SLOW2(a64_fpu_mul64_slow, uint64_t, A64_FMT_D, HOP_MUL, arith64, fz_fast64, dir_fast64)
SLOW2(a64_fpu_div64_slow, uint64_t, A64_FMT_D, HOP_DIV, arith64, fz_fast64, dir_fast64)

#define SLOWSQRT(name, U, fmt, arith, fzf, dirf)                                         \
	U name(U a, uint32_t fpcr, uint32_t *fpsr)                                       \
	{                                                                                \
		U r;                                                                     \
		if (fzf(HOP_SQRT, a, 0, 0, fpcr, fpsr, &r) ||                            \
		    dirf(HOP_SQRT, a, 0, fpcr, fpsr, &r))                                \
			return r;                                                        \
		a = (U)flush_in(a, fmt, fpcr, fpsr);                                     \
		if (is_nan(a, fmt))                                                      \
			return (U)process_nan(a, fmt, fpcr, fpsr);                       \
		if ((a & sign_bit(fmt)) && (a & ~sign_bit(fmt))) {                       \
			*fpsr |= A64_FPSR_IOC;                                           \
			return (U)default_nan(fmt);                                      \
		}                                                                        \
		return arith(HOP_SQRT, a, 0, 0, fpcr, fpsr);                             \
	}
SLOWSQRT(a64_fpu_sqrt32_slow, uint32_t, A64_FMT_S, arith32, fz_fast32, dir_fast32)
SLOWSQRT(a64_fpu_sqrt64_slow, uint64_t, A64_FMT_D, arith64, fz_fast64, dir_fast64)

/* FPMulAdd: NaNs in the order addend, n, m; a quiet NaN addend with 0 * inf is still an
 * invalid operation giving the default NaN. */
#define SLOWFMA(name, U, fmt, arith, fzf)                                                \
	U name(U addend, U n, U m, uint32_t fpcr, uint32_t *fpsr)                        \
	{                                                                                \
		U r;                                                                     \
		if (fzf(HOP_FMA, n, m, addend, fpcr, fpsr, &r))                          \
			return r;                                                        \
		addend = (U)flush_in(addend, fmt, fpcr, fpsr);                           \
		n = (U)flush_in(n, fmt, fpcr, fpsr);                                     \
		m = (U)flush_in(m, fmt, fpcr, fpsr);                                     \
		if (is_nan(addend, fmt) || is_nan(n, fmt) || is_nan(m, fmt)) {           \
			r = (U)nan3(addend, n, m, fmt, fpcr, fpsr);                      \
			U an = (U)~sign_bit(fmt);                                        \
			bool inf_n = (n & an) == exp_mask(fmt), inf_m = (m & an) == exp_mask(fmt); \
			if (is_nan(addend, fmt) && !is_snan(addend, fmt) &&              \
			    ((inf_n && !(m & an)) || (!(n & an) && inf_m))) {            \
				*fpsr |= A64_FPSR_IOC;                                   \
				r = (U)default_nan(fmt);                                 \
			}                                                                \
			return r;                                                        \
		}                                                                        \
		return arith(HOP_FMA, n, m, addend, fpcr, fpsr);                         \
	}
SLOWFMA(a64_fpu_fma32_slow, uint32_t, A64_FMT_S, arith32, fz_fast32)
SLOWFMA(a64_fpu_fma64_slow, uint64_t, A64_FMT_D, arith64, fz_fast64)

/* --- comparisons, min and max (software) --- */
/* A key whose unsigned order is the numeric order, -0 below +0 (not for NaNs). */
static inline uint64_t order_key(uint64_t a, enum a64_fpfmt fmt)
{
	return (a & sign_bit(fmt)) ? ~a & (sign_bit(fmt) * 2 - 1) : a | sign_bit(fmt);
}

static uint32_t cmp_slow(uint64_t a, uint64_t b, enum a64_fpfmt fmt, bool signal, uint32_t fpcr,
			 uint32_t *fpsr)
{
	a = flush_in(a, fmt, fpcr, fpsr);
	b = flush_in(b, fmt, fpcr, fpsr);
	if (is_nan(a, fmt) || is_nan(b, fmt)) {
		if (signal || is_snan(a, fmt) || is_snan(b, fmt))
			*fpsr |= A64_FPSR_IOC;
		return A64_C | A64_V;
	}
	if (a == b || !((a | b) & ~sign_bit(fmt)))
		return A64_Z | A64_C;
	return order_key(a, fmt) < order_key(b, fmt) ? A64_N : A64_C;
}

uint32_t a64_fpu_cmp32_slow(uint32_t a, uint32_t b, bool signal, uint32_t fpcr, uint32_t *fpsr)
{
	return cmp_slow(a, b, A64_FMT_S, signal, fpcr, fpsr);
}

uint32_t a64_fpu_cmp64_slow(uint64_t a, uint64_t b, bool signal, uint32_t fpcr, uint32_t *fpsr)
{
	return cmp_slow(a, b, A64_FMT_D, signal, fpcr, fpsr);
}

/* FPMax/FPMin, and FPMaxNum/FPMinNum (nm): the result is one of the (flushed) operands, so
 * nothing is rounded; the only flags are IOC (signalling NaN) and IDC (flushed operand). */
static uint64_t minmax(uint64_t a, uint64_t b, enum a64_fpfmt fmt, bool is_max, bool nm,
		       uint32_t fpcr, uint32_t *fpsr)
{
	a = flush_in(a, fmt, fpcr, fpsr);
	b = flush_in(b, fmt, fpcr, fpsr);
	bool an = is_nan(a, fmt), bn = is_nan(b, fmt);
	if (A64_UNLIKELY(an || bn)) {
		if (nm) {
			/* A single quiet NaN becomes the infinity that loses. */
			uint64_t loser = exp_mask(fmt) | (is_max ? sign_bit(fmt) : 0);
			bool aq = an && !is_snan(a, fmt), bq = bn && !is_snan(b, fmt);
			if (aq && !bq)
				a = loser;
			else if (!aq && bq)
				b = loser;
		}
		if (is_nan(a, fmt) || is_nan(b, fmt))
			return a64_fpu_nan2(a, b, fmt, fpcr, fpsr);
	}
	bool a_wins = is_max ? order_key(a, fmt) > order_key(b, fmt)
			     : order_key(a, fmt) < order_key(b, fmt);
	return a_wins ? a : b;
}

uint32_t a64_fpu_max32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return (uint32_t)minmax(a, b, A64_FMT_S, true, false, fpcr, fpsr);
}
uint32_t a64_fpu_min32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return (uint32_t)minmax(a, b, A64_FMT_S, false, false, fpcr, fpsr);
}
uint32_t a64_fpu_maxnm32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return (uint32_t)minmax(a, b, A64_FMT_S, true, true, fpcr, fpsr);
}
uint32_t a64_fpu_minnm32(uint32_t a, uint32_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return (uint32_t)minmax(a, b, A64_FMT_S, false, true, fpcr, fpsr);
}
uint64_t a64_fpu_max64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return minmax(a, b, A64_FMT_D, true, false, fpcr, fpsr);
}
uint64_t a64_fpu_min64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return minmax(a, b, A64_FMT_D, false, false, fpcr, fpsr);
}
uint64_t a64_fpu_maxnm64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return minmax(a, b, A64_FMT_D, true, true, fpcr, fpsr);
}
uint64_t a64_fpu_minnm64(uint64_t a, uint64_t b, uint32_t fpcr, uint32_t *fpsr)
{
	return minmax(a, b, A64_FMT_D, false, true, fpcr, fpsr);
}

/* --- integral values and conversions (software) --- */
/* The integer part of |u| * 2^shift_by and its rounding bits, for shift_by + u.exp < 64. */
static uint64_t int_part(const struct unpacked *u, int e, bool *half, bool *rest)
{
	if (e >= 0) {
		unsigned sh = 63 - (unsigned)e;
		if (sh == 0) {
			*half = *rest = false;
			return u->mant;
		}
		*half = (u->mant >> (sh - 1)) & 1;
		*rest = (u->mant & ((1ull << (sh - 1)) - 1)) != 0;
		return u->mant >> sh;
	}
	*half = e == -1;
	*rest = e == -1 ? (u->mant << 1) != 0 : true;
	return 0;
}

/* FPRoundInt. */
static uint64_t rint_any(uint64_t a, enum a64_fpfmt fmt, enum a64_round rm, bool exact,
			 uint32_t fpcr, uint32_t *fpsr)
{
	if (rm == A64_RFPCR)
		rm = a64_fpcr_rmode(fpcr);
	struct unpacked u = unpack(a, fmt, fpcr, fpsr);
	uint64_t sbit = a & sign_bit(fmt);
	switch (u.cls) {
	case FPC_QNAN:
	case FPC_SNAN: return process_nan(a, fmt, fpcr, fpsr);
	case FPC_INF: return a;
	case FPC_ZERO: return sbit;
	default: break;
	}
	if (u.exp >= (int)fmts[fmt].fbits)
		return a; /* already integral */
	bool half, rest;
	uint64_t ip = int_part(&u, u.exp, &half, &rest);
	ip += round_up(rm, u.sign, ip & 1, half, rest);
	if (exact && (half || rest))
		*fpsr |= A64_FPSR_IXC;
	if (!ip)
		return sbit;
	int s = __builtin_clzll(ip);
	return round_pack(fmt, u.sign, 63 - s, ip << s, false, A64_RZ, fpcr, fpsr);
}

uint32_t a64_fpu_rint32(uint32_t a, enum a64_round rm, bool exact, uint32_t fpcr, uint32_t *fpsr)
{
	return (uint32_t)rint_any(a, A64_FMT_S, rm, exact, fpcr, fpsr);
}

uint64_t a64_fpu_rint64(uint64_t a, enum a64_round rm, bool exact, uint32_t fpcr, uint32_t *fpsr)
{
	return rint_any(a, A64_FMT_D, rm, exact, fpcr, fpsr);
}

uint64_t a64_fpu_to_int(uint64_t a, enum a64_fpfmt fmt, unsigned fbits, bool is_unsigned,
			unsigned width, enum a64_round rm, uint32_t fpcr, uint32_t *fpsr)
{
	if (rm == A64_RFPCR)
		rm = a64_fpcr_rmode(fpcr);
	struct unpacked u = unpack(a, fmt, fpcr, fpsr);
	uint64_t umax = width == 64 ? ~0ull : (1ull << width) - 1;
	uint64_t smax = umax >> 1, mag = 0;
	bool half = false, rest = false, ovf = false;
	switch (u.cls) {
	case FPC_QNAN:
	case FPC_SNAN: *fpsr |= A64_FPSR_IOC; return 0;
	case FPC_ZERO: return 0;
	case FPC_INF: ovf = true; break;
	default: {
		int e = u.exp + (int)fbits;
		if (e >= 64) {
			ovf = true;
			break;
		}
		mag = int_part(&u, e, &half, &rest);
		if (round_up(rm, u.sign, mag & 1, half, rest) && ++mag == 0)
			ovf = true;
		break;
	}
	}
	if (!ovf) {
		if (is_unsigned)
			ovf = u.sign ? mag != 0 : mag > umax;
		else
			ovf = u.sign ? mag > smax + 1 : mag > smax;
	}
	if (ovf) {
		*fpsr |= A64_FPSR_IOC;
		if (is_unsigned)
			return u.sign ? 0 : umax;
		return u.sign ? (smax + 1) : smax;
	}
	if (half || rest)
		*fpsr |= A64_FPSR_IXC;
	return (u.sign ? -mag : mag) & umax;
}

uint64_t a64_fpu_from_int(uint64_t v, unsigned width, bool is_unsigned, unsigned fbits,
			  enum a64_fpfmt fmt, uint32_t fpcr, uint32_t *fpsr)
{
	bool sign = false;
	if (width == 32)
		v = is_unsigned ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
	if (!is_unsigned && (int64_t)v < 0) {
		sign = true;
		v = -v;
	}
	if (!v)
		return 0;
	int s = __builtin_clzll(v);
	return round_pack(fmt, sign, 63 - s - (int)fbits, v << s, false, a64_fpcr_rmode(fpcr),
			  fpcr, fpsr);
}

/* FPConvertNaN: quiet, keep the sign and the payload's top bits. */
static uint64_t convert_nan(uint64_t a, enum a64_fpfmt from, enum a64_fpfmt to)
{
	unsigned ff = fmts[from].fbits, ft = fmts[to].fbits;
	uint64_t pay = a & (quiet_bit(from) - 1);
	pay = ft > ff ? pay << (ft - ff) : pay >> (ff - ft);
	return ((a & sign_bit(from)) ? sign_bit(to) : 0) | default_nan(to) | pay;
}

uint64_t a64_fpu_convert(uint64_t a, enum a64_fpfmt from, enum a64_fpfmt to, uint32_t fpcr,
			 uint32_t *fpsr)
{
	struct unpacked u = unpack(a, from, fpcr, fpsr);
	bool alt_hp = to == A64_FMT_H && (fpcr & A64_FPCR_AHP);
	uint64_t sbit = u.sign ? sign_bit(to) : 0;
	switch (u.cls) {
	case FPC_QNAN:
	case FPC_SNAN:
		if (u.cls == FPC_SNAN || alt_hp)
			*fpsr |= A64_FPSR_IOC;
		if (alt_hp)
			return sbit;
		if (fpcr & A64_FPCR_DN)
			return default_nan(to);
		return convert_nan(a, from, to);
	case FPC_INF:
		if (alt_hp) {
			*fpsr |= A64_FPSR_IOC;
			return sbit | 0x7fff;
		}
		return sbit | exp_mask(to);
	case FPC_ZERO: return sbit;
	default:
		return round_pack(to, u.sign, u.exp, u.mant, false, a64_fpcr_rmode(fpcr), fpcr,
				  fpsr);
	}
}
