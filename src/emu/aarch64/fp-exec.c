/* emu/aarch64/fp-exec: the interpreter for the scalar floating-point class. a64_bind_fp picks,
 * at translation time, a handler specialised for the op's kind, format and flags, so a handler
 * does no decoding; the arithmetic is fpu.h's (host FPU fast path, exact slow path). Touches
 * the CPU's FP/SIMD registers, general registers, NZCV and FPSR. */
#include "emu/aarch64/fp.h"

/* Register access: a scalar write zeroes the rest of the vector register. */
static inline uint32_t vs(const struct a64_cpu *c, unsigned r)
{
	return c->v[r].s[0];
}
static inline uint64_t vd(const struct a64_cpu *c, unsigned r)
{
	return c->v[r].d[0];
}
static inline void set_v(struct a64_cpu *c, unsigned r, uint64_t bits)
{
	c->v[r].d[0] = bits;
	c->v[r].d[1] = 0;
}

#define SIGN32 0x80000000u
#define SIGN64 0x8000000000000000ull
#define RD32 vs
#define RD64 vd

/* --- moves, bit operations, select --- */
/* A handler that returns to the run loop (used where a target attribute forbids inlining). */
#define H_PLAIN(name) static int name(struct a64_cpu *cpu, const struct a64_op *op)
/* Threaded dispatch: see A64_HANDLER in a64.h. */
#define H(name) A64_HANDLER(name, cpu)

H(fmov_s) { set_v(cpu, op->rd, vs(cpu, op->rn)); return 0; }
H(fmov_d) { set_v(cpu, op->rd, vd(cpu, op->rn)); return 0; }
H(fmovi) { set_v(cpu, op->rd, (uint64_t)op->imm); return 0; }
H(fabs_s) { set_v(cpu, op->rd, vs(cpu, op->rn) & ~SIGN32); return 0; }
H(fabs_d) { set_v(cpu, op->rd, vd(cpu, op->rn) & ~SIGN64); return 0; }
H(fneg_s) { set_v(cpu, op->rd, vs(cpu, op->rn) ^ SIGN32); return 0; }
H(fneg_d) { set_v(cpu, op->rd, vd(cpu, op->rn) ^ SIGN64); return 0; }
H(fmov_to_w) { cpu->x[op->rd] = vs(cpu, op->rn); return 0; }
H(fmov_to_x) { cpu->x[op->rd] = cpu->v[op->rn].d[op->imm]; return 0; }
H(fmov_from_w) { set_v(cpu, op->rd, (uint32_t)cpu->x[op->rn]); return 0; }
H(fmov_from_x) { set_v(cpu, op->rd, cpu->x[op->rn]); return 0; }
H(fmov_from_x_hi) { cpu->v[op->rd].d[1] = cpu->x[op->rn]; return 0; }
H(fcsel_s)
{
	set_v(cpu, op->rd, vs(cpu, a64_cond(cpu->nzcv, op->cond) ? op->rn : op->rm));
	return 0;
}
H(fcsel_d)
{
	set_v(cpu, op->rd, vd(cpu, a64_cond(cpu->nzcv, op->cond) ? op->rn : op->rm));
	return 0;
}

/* --- arithmetic --- */
#define BINOP(name, bits, fn)                                                             \
	H(name)                                                                           \
	{                                                                                 \
		set_v(cpu, op->rd, fn(RD##bits(cpu, op->rn), RD##bits(cpu, op->rm), cpu->fpcr, \
				      &cpu->fpsr));                                       \
		return 0;                                                                 \
	}
BINOP(fadd_s, 32, a64_fpu_add32)
BINOP(fsub_s, 32, a64_fpu_sub32)
BINOP(fmul_s, 32, a64_fpu_mul32)
BINOP(fdiv_s, 32, a64_fpu_div32)
BINOP(fmax_s, 32, a64_fpu_max32)
BINOP(fmin_s, 32, a64_fpu_min32)
BINOP(fmaxnm_s, 32, a64_fpu_maxnm32)
BINOP(fminnm_s, 32, a64_fpu_minnm32)
BINOP(fadd_d, 64, a64_fpu_add64)
BINOP(fsub_d, 64, a64_fpu_sub64)
BINOP(fmul_d, 64, a64_fpu_mul64)
BINOP(fdiv_d, 64, a64_fpu_div64)
BINOP(fmax_d, 64, a64_fpu_max64)
BINOP(fmin_d, 64, a64_fpu_min64)
BINOP(fmaxnm_d, 64, a64_fpu_maxnm64)
BINOP(fminnm_d, 64, a64_fpu_minnm64)

/* FNMUL negates the rounded product (FPNeg after FPMul), NaNs included. */
H(fnmul_s)
{
	set_v(cpu, op->rd,
	      a64_fpu_mul32(vs(cpu, op->rn), vs(cpu, op->rm), cpu->fpcr, &cpu->fpsr) ^ SIGN32);
	return 0;
}
H(fnmul_d)
{
	set_v(cpu, op->rd,
	      a64_fpu_mul64(vd(cpu, op->rn), vd(cpu, op->rm), cpu->fpcr, &cpu->fpsr) ^ SIGN64);
	return 0;
}
H(fsqrt_s) { set_v(cpu, op->rd, a64_fpu_sqrt32(vs(cpu, op->rn), cpu->fpcr, &cpu->fpsr)); return 0; }
H(fsqrt_d) { set_v(cpu, op->rd, a64_fpu_sqrt64(vd(cpu, op->rn), cpu->fpcr, &cpu->fpsr)); return 0; }

/* Fused multiply-add, one handler per negation pattern; with the "fma" target the fast path's
 * __builtin_fma is one vfmadd instruction, chosen at bind time when the host has FMA. */
#define FMA(name, bits, nega, negn, attr)                                                 \
	attr H_PLAIN(name)                                                                \
	{                                                                                 \
		uint##bits##_t a = RD##bits(cpu, op->ra) ^ (nega ? SIGN##bits : 0);       \
		uint##bits##_t n = RD##bits(cpu, op->rn) ^ (negn ? SIGN##bits : 0);       \
		set_v(cpu, op->rd,                                                        \
		      a64_fpu_fma##bits(a, n, RD##bits(cpu, op->rm), cpu->fpcr, &cpu->fpsr)); \
		return 0;                                                                 \
	}
#define FMA_ALL(suffix, attr)                                                             \
	FMA(fmadd_s##suffix, 32, 0, 0, attr)                                              \
	FMA(fmsub_s##suffix, 32, 0, 1, attr)                                              \
	FMA(fnmadd_s##suffix, 32, 1, 1, attr)                                             \
	FMA(fnmsub_s##suffix, 32, 1, 0, attr)                                             \
	FMA(fmadd_d##suffix, 64, 0, 0, attr)                                              \
	FMA(fmsub_d##suffix, 64, 0, 1, attr)                                              \
	FMA(fnmadd_d##suffix, 64, 1, 1, attr)                                             \
	FMA(fnmsub_d##suffix, 64, 1, 0, attr)
FMA_ALL(, )
FMA_ALL(_hw, __attribute__((target("fma"))))

/* Indexed by size == D, NEG_A, NEG_N: FMSUB is NEG_N alone, FNMSUB NEG_A alone, FNMADD both. */
static const a64_handler fma_sw[2][2][2] = {
	{ { fmadd_s, fmsub_s }, { fnmsub_s, fnmadd_s } },
	{ { fmadd_d, fmsub_d }, { fnmsub_d, fnmadd_d } },
};
static const a64_handler fma_hw[2][2][2] = {
	{ { fmadd_s_hw, fmsub_s_hw }, { fnmsub_s_hw, fnmadd_s_hw } },
	{ { fmadd_d_hw, fmsub_d_hw }, { fnmsub_d_hw, fnmadd_d_hw } },
};

H(frint_s)
{
	set_v(cpu, op->rd, a64_fpu_rint32(vs(cpu, op->rn), (enum a64_round)op->ext,
					  op->flags & A64_FPF_EXACT, cpu->fpcr, &cpu->fpsr));
	return 0;
}
H(frint_d)
{
	set_v(cpu, op->rd, a64_fpu_rint64(vd(cpu, op->rn), (enum a64_round)op->ext,
					  op->flags & A64_FPF_EXACT, cpu->fpcr, &cpu->fpsr));
	return 0;
}

/* --- FCVT between formats --- */
H(fcvt_any)
{
	uint64_t a = cpu->v[op->rn].d[0] & (~0ull >> (64 - (8u << op->ext)));
	set_v(cpu, op->rd, a64_fpu_convert(a, (enum a64_fpfmt)op->ext, (enum a64_fpfmt)op->size,
					   cpu->fpcr, &cpu->fpsr));
	return 0;
}
/* Single to double is exact: only NaNs and (with FZ) denormals need the slow path. */
H(fcvt_d_s)
{
	uint32_t a = vs(cpu, op->rn);
	if (A64_LIKELY(!(cpu->fpcr & A64_FPCR_FZ) && !a64_isnan32(a))) {
		set_v(cpu, op->rd, a64_b64((double)a64_f32(a)));
		return 0;
	}
	return fcvt_any_body(cpu, op);
}
/* Double to single on the host in round to nearest; with FZ too when |a| >= 2^-126 or a = 0
 * (no denormal operand, no tiny result). */
H(fcvt_s_d)
{
	uint64_t a = vd(cpu, op->rn), t = a & ~SIGN64;
	if (A64_LIKELY(!(cpu->fpcr & A64_FPCR_RMODE) && !a64_isnan64(a) &&
		       (!(cpu->fpcr & A64_FPCR_FZ) || t >= 0x3810000000000000ull || !t))) {
		float r = (float)a64_f64(a);
		if (A64_LIKELY(!a64_fpu_check32(r))) {
			set_v(cpu, op->rd, a64_b32(r));
			return 0;
		}
	}
	return fcvt_any_body(cpu, op);
}

/* --- comparisons --- */
#define CMP(name, bits, signal, zero)                                                     \
	H(name)                                                                           \
	{                                                                                 \
		cpu->nzcv = a64_fpu_cmp##bits(RD##bits(cpu, op->rn),                      \
					      zero ? 0 : RD##bits(cpu, op->rm), signal,   \
					      cpu->fpcr, &cpu->fpsr);                     \
		return 0;                                                                 \
	}
CMP(fcmp_s, 32, false, false)
CMP(fcmpe_s, 32, true, false)
CMP(fcmp0_s, 32, false, true)
CMP(fcmpe0_s, 32, true, true)
CMP(fcmp_d, 64, false, false)
CMP(fcmpe_d, 64, true, false)
CMP(fcmp0_d, 64, false, true)
CMP(fcmpe0_d, 64, true, true)

H(fccmp_s)
{
	if (a64_cond(cpu->nzcv, op->cond))
		cpu->nzcv = a64_fpu_cmp32(vs(cpu, op->rn), vs(cpu, op->rm),
					  op->flags & A64_FPF_SIGNAL, cpu->fpcr, &cpu->fpsr);
	else
		cpu->nzcv = (uint32_t)op->imm;
	return 0;
}
H(fccmp_d)
{
	if (a64_cond(cpu->nzcv, op->cond))
		cpu->nzcv = a64_fpu_cmp64(vd(cpu, op->rn), vd(cpu, op->rm),
					  op->flags & A64_FPF_SIGNAL, cpu->fpcr, &cpu->fpsr);
	else
		cpu->nzcv = (uint32_t)op->imm;
	return 0;
}

/* --- conversions with general registers --- */
H(fcvt_to_int)
{
	enum a64_fpfmt fmt = (enum a64_fpfmt)op->size;
	uint64_t a = fmt == A64_FMT_S ? vs(cpu, op->rn) : vd(cpu, op->rn);
	cpu->x[op->rd] = a64_fpu_to_int(a, fmt, (unsigned)op->imm, op->flags & A64_FPF_UNSIGNED,
					op->sf ? 64 : 32, (enum a64_round)op->ext, cpu->fpcr,
					&cpu->fpsr);
	return 0;
}

/* FCVTZ[SU] to an integer (no fraction bits): the host's truncating conversion when the value
 * is in range (it raises PE exactly when inexact, as Arm raises IXC); everything else (NaN,
 * out of range, negative to unsigned, denormal with FZ) goes to the exact path. lim is the
 * biased exponent from which |a| no longer fits. */
#define CVTZ(name, bits, ebits, bias, T, lim, is_unsigned)                               \
	H(name)                                                                           \
	{                                                                                 \
		uint##bits##_t a = RD##bits(cpu, op->rn);                                 \
		unsigned e = (unsigned)(a >> (bits - 1 - ebits)) & ((1u << ebits) - 1);   \
		bool neg = a >> (bits - 1);                                               \
		if (A64_LIKELY(e < bias + lim && !(is_unsigned && neg) &&                 \
			       (e || !(cpu->fpcr & A64_FPCR_FZ)))) {                      \
			cpu->x[op->rd] = (T)(int64_t)a64_f##bits(a);                      \
			return 0;                                                         \
		}                                                                         \
		return fcvt_to_int_body(cpu, op);                                              \
	}
CVTZ(fcvtzs_w_s, 32, 8, 127, uint32_t, 31, false)
CVTZ(fcvtzu_w_s, 32, 8, 127, uint32_t, 32, true)
CVTZ(fcvtzs_x_s, 32, 8, 127, uint64_t, 63, false)
CVTZ(fcvtzu_x_s, 32, 8, 127, uint64_t, 63, true)
CVTZ(fcvtzs_w_d, 64, 11, 1023, uint32_t, 31, false)
CVTZ(fcvtzu_w_d, 64, 11, 1023, uint32_t, 32, true)
CVTZ(fcvtzs_x_d, 64, 11, 1023, uint64_t, 63, false)
CVTZ(fcvtzu_x_d, 64, 11, 1023, uint64_t, 63, true)

/* [SU]CVTF: the host's conversion under round to nearest (correctly rounded, PE when inexact);
 * fraction bits scale by an exact power of two (results are never tiny: >= 2^-64). */
#define CVTF(name, F, bits, is_unsigned, is64)                                       \
	H(name)                                                                           \
	{                                                                                 \
		uint64_t x = cpu->x[op->rn];                                              \
		if (A64_UNLIKELY(cpu->fpcr & A64_FPCR_RMODE)) {                           \
			set_v(cpu, op->rd,                                                \
			      a64_fpu_from_int(x, is64 ? 64 : 32, is_unsigned, (unsigned)op->imm, \
					       (enum a64_fpfmt)op->size, cpu->fpcr, &cpu->fpsr)); \
			return 0;                                                         \
		}                                                                         \
		F r = is64 ? (is_unsigned ? (F)x : (F)(int64_t)x)                         \
			   : (is_unsigned ? (F)(uint32_t)x : (F)(int32_t)x);              \
		if (op->imm)                                                              \
			r *= (F)__builtin_ldexp(1.0, -(int)op->imm);                      \
		set_v(cpu, op->rd, a64_b##bits(r));                                       \
		return 0;                                                                 \
	}
CVTF(scvtf_s_w, float, 32, false, false)
CVTF(ucvtf_s_w, float, 32, true, false)
CVTF(scvtf_s_x, float, 32, false, true)
CVTF(ucvtf_s_x, float, 32, true, true)
CVTF(scvtf_d_w, double, 64, false, false)
CVTF(ucvtf_d_w, double, 64, true, false)
CVTF(scvtf_d_x, double, 64, false, true)
CVTF(ucvtf_d_x, double, 64, true, true)

/* --- binding --- */
a64_handler a64_bind_fp(const struct a64_op *op)
{
	bool d = op->size == A64_FMT_D, u = op->flags & A64_FPF_UNSIGNED;
	if (op->size != A64_FMT_S && !d && op->kind != A64_FP_CVT)
		return NULL;
	switch (op->kind) {
	case A64_FP_MOV: return d ? fmov_d : fmov_s;
	case A64_FP_MOVI: return fmovi;
	case A64_FP_TO_GPR: return op->sf ? fmov_to_x : fmov_to_w;
	case A64_FP_FROM_GPR: return op->imm ? fmov_from_x_hi : op->sf ? fmov_from_x : fmov_from_w;
	case A64_FP_ABS: return d ? fabs_d : fabs_s;
	case A64_FP_NEG: return d ? fneg_d : fneg_s;
	case A64_FP_CSEL: return d ? fcsel_d : fcsel_s;
	case A64_FP_SQRT: return d ? fsqrt_d : fsqrt_s;
	case A64_FP_ADD: return d ? fadd_d : fadd_s;
	case A64_FP_SUB: return d ? fsub_d : fsub_s;
	case A64_FP_MUL: return d ? fmul_d : fmul_s;
	case A64_FP_DIV: return d ? fdiv_d : fdiv_s;
	case A64_FP_NMUL: return d ? fnmul_d : fnmul_s;
	case A64_FP_MAX: return d ? fmax_d : fmax_s;
	case A64_FP_MIN: return d ? fmin_d : fmin_s;
	case A64_FP_MAXNM: return d ? fmaxnm_d : fmaxnm_s;
	case A64_FP_MINNM: return d ? fminnm_d : fminnm_s;
	case A64_FP_FMA: {
		bool na = op->flags & A64_FPF_NEG_A, nn = op->flags & A64_FPF_NEG_N;
		return (__builtin_cpu_supports("fma") ? fma_hw : fma_sw)[d][na][nn];
	}
	case A64_FP_RINT: return d ? frint_d : frint_s;
	case A64_FP_CVT:
		if (op->size == A64_FMT_D && op->ext == A64_FMT_S)
			return fcvt_d_s;
		if (op->size == A64_FMT_S && op->ext == A64_FMT_D)
			return fcvt_s_d;
		return fcvt_any;
	case A64_FP_CMP: {
		static const a64_handler cmp[2][2][2] = {
			{ { fcmp_s, fcmp0_s }, { fcmpe_s, fcmpe0_s } },
			{ { fcmp_d, fcmp0_d }, { fcmpe_d, fcmpe0_d } },
		};
		return cmp[d][!!(op->flags & A64_FPF_SIGNAL)][!!(op->flags & A64_FPF_ZERO)];
	}
	case A64_FP_CCMP: return d ? fccmp_d : fccmp_s;
	case A64_FP_TO_INT: {
		static const a64_handler z[2][2][2] = { /* [d][sf][unsigned] */
			{ { fcvtzs_w_s, fcvtzu_w_s }, { fcvtzs_x_s, fcvtzu_x_s } },
			{ { fcvtzs_w_d, fcvtzu_w_d }, { fcvtzs_x_d, fcvtzu_x_d } },
		};
		if (op->ext == A64_RZ && op->imm == 0)
			return z[d][op->sf][u];
		return fcvt_to_int;
	}
	case A64_FP_FROM_INT: {
		static const a64_handler f[2][2][2] = { /* [d][sf][unsigned] */
			{ { scvtf_s_w, ucvtf_s_w }, { scvtf_s_x, ucvtf_s_x } },
			{ { scvtf_d_w, ucvtf_d_w }, { scvtf_d_x, ucvtf_d_x } },
		};
		return f[d][op->sf][u];
	}
	default: return NULL;
	}
}
