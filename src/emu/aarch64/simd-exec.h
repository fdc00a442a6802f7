/* emu/aarch64/simd-exec: what the Advanced SIMD interpreter files (simd*-exec.c) share: GCC
 * vector types over the 128-bit registers, register access, the handler templates and the
 * sub-binders. Private to the interpreter back end.
 *
 * Templates: an operation is written once as a "core", an always-inline function of the whole
 * 128-bit operands (A = rn, B = rm or the broadcast element, D = rd before) that returns the
 * whole 128-bit result; the templates wrap it into handlers per element size (0..3) and form:
 * vector Q = 0 (the upper halves of the operands and of the result zeroed, so that lanes
 * outside the vector never saturate) and Q = 1, scalar (operands and result
 * masked to lane 0), by element (B broadcast from rm[imm2]). The binder picks a handler from a
 * table [size][form] once per op, so handlers branch on data only. */
#ifndef VIREO_A64_SIMD_EXEC_H
#define VIREO_A64_SIMD_EXEC_H

#include "emu/aarch64/fpu.h"
#include "emu/aarch64/simd.h"

typedef uint8_t vu8 __attribute__((vector_size(16), may_alias));
typedef int8_t vs8 __attribute__((vector_size(16), may_alias));
typedef uint16_t vu16 __attribute__((vector_size(16), may_alias));
typedef int16_t vs16 __attribute__((vector_size(16), may_alias));
typedef uint32_t vu32 __attribute__((vector_size(16), may_alias));
typedef int32_t vs32 __attribute__((vector_size(16), may_alias));
typedef uint64_t vu64 __attribute__((vector_size(16), may_alias));
typedef int64_t vs64 __attribute__((vector_size(16), may_alias));
typedef float vf32 __attribute__((vector_size(16), may_alias));
typedef double vf64 __attribute__((vector_size(16), may_alias));
/* 64-bit halves, for widening and narrowing (__builtin_convertvector) */
typedef uint8_t hu8 __attribute__((vector_size(8), may_alias));
typedef int8_t hs8 __attribute__((vector_size(8), may_alias));
typedef uint16_t hu16 __attribute__((vector_size(8), may_alias));
typedef int16_t hs16 __attribute__((vector_size(8), may_alias));
typedef uint32_t hu32 __attribute__((vector_size(8), may_alias));
typedef int32_t hs32 __attribute__((vector_size(8), may_alias));

#define ALWAYS static inline __attribute__((always_inline))
#define UNUSED __attribute__((unused))
/* Threaded dispatch: see A64_HANDLER in a64.h. */
#define SIMD_HANDLER(name) A64_HANDLER(name, cpu)

/* A whole register as a vector of type T. */
#define VREG(T, r) (*(T *)&cpu->v[(r)])

/* Half h (0 low, 1 high) of a 128-bit value as an 8-byte vector of type H. */
#define HALF(H, v, h) ({ H h_; vu64 v_ = (vu64)(v); uint64_t w_ = v_[(h)]; \
	memcpy(&h_, &w_, 8); h_; })
/* An 8-byte vector as the low half of a 128-bit one (upper half zero). */
#define LOWER(h) ({ uint64_t w_; memcpy(&w_, &(h), 8); (vu64){ w_, 0 }; })

ALWAYS bool simd_any(vu64 m)
{
	return (m[0] | m[1]) != 0;
}

ALWAYS void simd_qc(struct a64_cpu *cpu)
{
	cpu->fpsr |= A64_FPSR_QC;
}

/* The low element of size sz as a mask over the low 64 bits. */
#define SIMD_LOWMASK(sz) ((sz) == 3 ? ~0ull : (1ull << (8 << (sz))) - 1)

/* Element i of size sz of register r, zero-extended. */
ALWAYS uint64_t simd_lane(const struct a64_cpu *cpu, unsigned r, unsigned sz, unsigned i)
{
	switch (sz) {
	case 0: return cpu->v[r].b[i & 15];
	case 1: return cpu->v[r].h[i & 7];
	case 2: return cpu->v[r].s[i & 3];
	default: return cpu->v[r].d[i & 1];
	}
}

/* Element imm2 of rm broadcast to every lane of size sz. */
ALWAYS vu64 simd_bcast(const struct a64_cpu *cpu, const struct a64_op *op, unsigned sz)
{
	uint64_t e = simd_lane(cpu, op->rm, sz, (unsigned)op->imm2);
	switch (sz) {
	case 0: e *= 0x0101010101010101ull; break;
	case 1: e *= 0x0001000100010001ull; break;
	case 2: e *= 0x0000000100000001ull; break;
	default: break;
	}
	return (vu64){ e, e };
}

/* ---- templates ---- */

/* Per element size: the size, unsigned and signed vector types, unsigned and signed element
 * types. SIMD_SIZES(M, x) expands M(x, sz, U, S, ET, SET) for sz = 0..3. */
#define SIMD_SIZES(M, x)                                    \
	M(x, 0, vu8, vs8, uint8_t, int8_t)                  \
	M(x, 1, vu16, vs16, uint16_t, int16_t)              \
	M(x, 2, vu32, vs32, uint32_t, int32_t)              \
	M(x, 3, vu64, vs64, uint64_t, int64_t)

/* Defines core_NAME_SZ for the four sizes. The body sees a, b, d (unsigned vectors), sa, sb,
 * sd (signed), A, B, D (vu64), W (element bits), N (lanes in 128 bits), ET/SET (element
 * types), UV/SV (vector types), cpu and op, and ends with RET(a 16-byte vector of any type). */
#define SIMD_CORE(name, ...)                                                            \
	SIMD_CORE1(name, 0, vu8, vs8, uint8_t, int8_t, __VA_ARGS__)                     \
	SIMD_CORE1(name, 1, vu16, vs16, uint16_t, int16_t, __VA_ARGS__)                 \
	SIMD_CORE1(name, 2, vu32, vs32, uint32_t, int32_t, __VA_ARGS__)                 \
	SIMD_CORE1(name, 3, vu64, vs64, uint64_t, int64_t, __VA_ARGS__)
#define SIMD_CORE1(name, sz, UV_, SV_, ET_, SET_, ...)                                    \
	ALWAYS vu64 core_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op, vu64 A, \
				       vu64 B, vu64 D)                                     \
	{                                                                                  \
		typedef UV_ UV UNUSED;                                                            \
		typedef SV_ SV UNUSED;                                                            \
		typedef ET_ ET UNUSED;                                                            \
		typedef SET_ SET UNUSED;                                                          \
		enum { W = 8 << sz, N = 16 >> sz };                                        \
		UNUSED UV a = (UV)A, b = (UV)B, d = (UV)D;                                  \
		UNUSED SV sa = (SV)A, sb = (SV)B, sd = (SV)D;                               \
		(void)cpu;                                                                 \
		(void)op;                                                                  \
		__VA_ARGS__                                                                \
	}

/* How a core body returns its result (any 16-byte vector type). */
#define RET(x) return (vu64)(x)

/* Handlers of one size: _q0, _q1 (vector), _sc (scalar), _x0, _x1, _xs (by element). */
#define SIMD_H_VEC(name, sz)                                                             \
	SIMD_HANDLER(name##_##sz##_q0)                                                   \
	{                                                                                \
		vu64 lo = { ~0ull, 0 };                                                  \
		vu64 r = core_##name##_##sz(cpu, op, VREG(vu64, op->rn) & lo,             \
					    VREG(vu64, op->rm) & lo, VREG(vu64, op->rd) & lo); \
		r[1] = 0;                                                                \
		VREG(vu64, op->rd) = r;                                                  \
		return 0;                                                                \
	}                                                                                \
	SIMD_HANDLER(name##_##sz##_q1)                                                   \
	{                                                                                \
		VREG(vu64, op->rd) = core_##name##_##sz(cpu, op, VREG(vu64, op->rn),      \
							VREG(vu64, op->rm),              \
							VREG(vu64, op->rd));             \
		return 0;                                                                \
	}
#define SIMD_H_SC(name, sz)                                                              \
	SIMD_HANDLER(name##_##sz##_sc)                                                   \
	{                                                                                \
		vu64 m = { SIMD_LOWMASK(sz), 0 };                                        \
		vu64 r = core_##name##_##sz(cpu, op, VREG(vu64, op->rn) & m,              \
					    VREG(vu64, op->rm) & m, VREG(vu64, op->rd) & m); \
		VREG(vu64, op->rd) = r & m;                                              \
		return 0;                                                                \
	}
#define SIMD_H_ELEM(name, sz)                                                            \
	SIMD_HANDLER(name##_##sz##_x0)                                                   \
	{                                                                                \
		vu64 lo = { ~0ull, 0 };                                                  \
		vu64 r = core_##name##_##sz(cpu, op, VREG(vu64, op->rn) & lo,             \
					    simd_bcast(cpu, op, sz) & lo,                \
					    VREG(vu64, op->rd) & lo);                    \
		r[1] = 0;                                                                \
		VREG(vu64, op->rd) = r;                                                  \
		return 0;                                                                \
	}                                                                                \
	SIMD_HANDLER(name##_##sz##_x1)                                                   \
	{                                                                                \
		VREG(vu64, op->rd) = core_##name##_##sz(cpu, op, VREG(vu64, op->rn),      \
							simd_bcast(cpu, op, sz),         \
							VREG(vu64, op->rd));             \
		return 0;                                                                \
	}                                                                                \
	SIMD_HANDLER(name##_##sz##_xs)                                                   \
	{                                                                                \
		vu64 m = { SIMD_LOWMASK(sz), 0 };                                        \
		vu64 r = core_##name##_##sz(cpu, op, VREG(vu64, op->rn) & m,              \
					    simd_bcast(cpu, op, sz) & m,                 \
					    VREG(vu64, op->rd) & m);                     \
		VREG(vu64, op->rd) = r & m;                                              \
		return 0;                                                                \
	}

/* Forms, as the column of a handler table. */
enum { SIMD_Q0, SIMD_Q1, SIMD_SC, SIMD_X0, SIMD_X1, SIMD_XS, SIMD_NFORMS };
typedef a64_handler simd_tab[4][SIMD_NFORMS];

ALWAYS int simd_form(const struct a64_op *op)
{
	bool sc = op->flags & A64_SIMD_F_SCALAR;
	if (op->flags & A64_SIMD_F_ELEM)
		return sc ? SIMD_XS : op->sf ? SIMD_X1 : SIMD_X0;
	return sc ? SIMD_SC : op->sf ? SIMD_Q1 : SIMD_Q0;
}

/* One operation with the given forms: V (vector), VS (+ scalar), VX (+ by element), VSX. */
#define SIMD_TAB_ROW(name, sz, q, s, x) \
	{ q(name, sz, _q0), q(name, sz, _q1), s(name, sz, _sc), x(name, sz, _x0), \
	  x(name, sz, _x1), x(name, sz, _xs) }
#define SIMD_YES(name, sz, f) name##_##sz##f
#define SIMD_NO(name, sz, f) NULL
#define SIMD_TAB(name, q, s, x)                                                   \
	static const simd_tab tab_##name = { SIMD_TAB_ROW(name, 0, q, s, x),       \
					     SIMD_TAB_ROW(name, 1, q, s, x),       \
					     SIMD_TAB_ROW(name, 2, q, s, x),       \
					     SIMD_TAB_ROW(name, 3, q, s, x) };
#define SIMD_EACH4(M, name) M(name, 0) M(name, 1) M(name, 2) M(name, 3)

#define SIMD_OP_V(name, ...)                                   \
	SIMD_CORE(name, __VA_ARGS__)                           \
	SIMD_EACH4(SIMD_H_VEC, name)                           \
	SIMD_TAB(name, SIMD_YES, SIMD_NO, SIMD_NO)
#define SIMD_OP_VS(name, ...)                                  \
	SIMD_CORE(name, __VA_ARGS__)                           \
	SIMD_EACH4(SIMD_H_VEC, name)                           \
	SIMD_EACH4(SIMD_H_SC, name)                            \
	SIMD_TAB(name, SIMD_YES, SIMD_YES, SIMD_NO)
#define SIMD_OP_VX(name, ...)                                  \
	SIMD_CORE(name, __VA_ARGS__)                           \
	SIMD_EACH4(SIMD_H_VEC, name)                           \
	SIMD_EACH4(SIMD_H_ELEM, name)                          \
	SIMD_TAB(name, SIMD_YES, SIMD_NO, SIMD_YES)
#define SIMD_OP_VSX(name, ...)                                 \
	SIMD_CORE(name, __VA_ARGS__)                           \
	SIMD_EACH4(SIMD_H_VEC, name)                           \
	SIMD_EACH4(SIMD_H_SC, name)                            \
	SIMD_EACH4(SIMD_H_ELEM, name)                          \
	SIMD_TAB(name, SIMD_YES, SIMD_YES, SIMD_YES)

/* Pick a handler from a table (NULL: the form does not exist; the binder gives UNDEF). */
ALWAYS a64_handler simd_pick(const simd_tab *t, const struct a64_op *op)
{
	return (*t)[op->size & 3][simd_form(op)];
}

/* ---- saturation helpers on one lane (w = element bits) ---- */

ALWAYS int64_t simd_smax(unsigned w)
{
	return (int64_t)(~0ull >> (65 - w));
}

ALWAYS int64_t simd_smin(unsigned w)
{
	return -simd_smax(w) - 1;
}

ALWAYS uint64_t simd_umax(unsigned w)
{
	return ~0ull >> (64 - w);
}

/* Clamp a wide value to the signed / unsigned range of w bits; *sat set when clamped. */
ALWAYS int64_t simd_sat_s(__int128 v, unsigned w, bool *sat)
{
	if (v > simd_smax(w)) {
		*sat = true;
		return simd_smax(w);
	}
	if (v < simd_smin(w)) {
		*sat = true;
		return simd_smin(w);
	}
	return (int64_t)v;
}

ALWAYS uint64_t simd_sat_u(__int128 v, unsigned w, bool *sat)
{
	if (v < 0) {
		*sat = true;
		return 0;
	}
	if (v > (__int128)simd_umax(w)) {
		*sat = true;
		return simd_umax(w);
	}
	return (uint64_t)v;
}

/* ---- sub-binders (NULL when the kind is not theirs) ---- */
a64_handler simd_bind_int(const struct a64_op *op);  /* simd-int-exec.c */
a64_handler simd_bind_wide(const struct a64_op *op); /* simd-wide-exec.c */
a64_handler simd_bind_fp(const struct a64_op *op);   /* simd-fp-exec.c */

#endif
