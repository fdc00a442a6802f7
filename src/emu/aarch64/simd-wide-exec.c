/* emu/aarch64/simd-wide-exec: the interpreter's handlers for the integer kinds of Advanced SIMD
 * that mix element widths or lanes (simd.h): long and wide (three different, SSHLL, SHLL),
 * narrowing (XTN family, ADDHN family, SHRN family), pairwise (ADDP, SMAXP..., SADDLP...) and
 * across lanes (ADDV...). Widening and narrowing are __builtin_convertvector over the 64-bit
 * halves. Touches only the vector registers and FPSR.QC. */
#include "emu/aarch64/simd-exec.h"

/* Per narrow size: sz, narrow half types (unsigned, signed), wide vector types, wide element
 * types. */
#define WIDE_SIZES(M, name, ...)                                                          \
	M(name, 0, hu8, hs8, vu16, vs16, uint16_t, int16_t, __VA_ARGS__)                   \
	M(name, 1, hu16, hs16, vu32, vs32, uint32_t, int32_t, __VA_ARGS__)                 \
	M(name, 2, hu32, hs32, vu64, vs64, uint64_t, int64_t, __VA_ARGS__)

/* ---- long and wide: the body sees ua, ub (rn's and rm's narrow halves zero-extended),
 * sa, sb (sign-extended), aw/saw (rn as wide lanes, for the W kinds), d/sd (rd, wide) ---- */

#define LONG_CORE(name, sz, HU, HS, UV_, SV_, ET_, SET_, ...)                              \
	ALWAYS vu64 lcore_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op, vu64 A,  \
					vu64 B, vu64 D, int q)                               \
	{                                                                                    \
		typedef UV_ UV UNUSED;                                                              \
		typedef SV_ SV UNUSED;                                                              \
		typedef ET_ ET UNUSED;                                                              \
		typedef SET_ SET UNUSED;                                                            \
		enum { W = 16 << sz, N = 8 >> sz };                                          \
		UNUSED UV ua = __builtin_convertvector(HALF(HU, A, q), UV);                  \
		UNUSED UV ub = __builtin_convertvector(HALF(HU, B, q), UV);                  \
		UNUSED SV sa = __builtin_convertvector(HALF(HS, A, q), SV);                  \
		UNUSED SV sb = __builtin_convertvector(HALF(HS, B, q), SV);                  \
		UNUSED UV aw = (UV)A, d = (UV)D;                                             \
		UNUSED SV saw = (SV)A, sd = (SV)D;                                           \
		(void)cpu;                                                                   \
		(void)op;                                                                    \
		__VA_ARGS__                                                                  \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q0)                                                       \
	{                                                                                    \
		VREG(vu64, op->rd) = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn),        \
							 VREG(vu64, op->rm), VREG(vu64, op->rd), 0); \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q1)                                                       \
	{                                                                                    \
		VREG(vu64, op->rd) = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn),        \
							 VREG(vu64, op->rm), VREG(vu64, op->rd), 1); \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_x0)                                                       \
	{                                                                                    \
		VREG(vu64, op->rd) = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn),        \
							 simd_bcast(cpu, op, sz),            \
							 VREG(vu64, op->rd), 0);             \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_x1)                                                       \
	{                                                                                    \
		VREG(vu64, op->rd) = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn),        \
							 simd_bcast(cpu, op, sz),            \
							 VREG(vu64, op->rd), 1);             \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_sc)                                                       \
	{                                                                                    \
		vu64 m = { SIMD_LOWMASK(sz), 0 }, mw = { SIMD_LOWMASK(sz + 1), 0 };          \
		vu64 r = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn) & m,                \
					     VREG(vu64, op->rm) & m, VREG(vu64, op->rd) & mw, 0); \
		VREG(vu64, op->rd) = r & mw;                                                 \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_xs)                                                       \
	{                                                                                    \
		vu64 m = { SIMD_LOWMASK(sz), 0 }, mw = { SIMD_LOWMASK(sz + 1), 0 };          \
		vu64 r = lcore_##name##_##sz(cpu, op, VREG(vu64, op->rn) & m,                \
					     simd_bcast(cpu, op, sz) & m,                    \
					     VREG(vu64, op->rd) & mw, 0);                    \
		VREG(vu64, op->rd) = r & mw;                                                 \
		return 0;                                                                    \
	}

#define LONG_TAB(name)                                                                    \
	static const simd_tab tab_##name = {                                              \
		{ name##_0_q0, name##_0_q1, name##_0_sc, name##_0_x0, name##_0_x1, name##_0_xs }, \
		{ name##_1_q0, name##_1_q1, name##_1_sc, name##_1_x0, name##_1_x1, name##_1_xs }, \
		{ name##_2_q0, name##_2_q1, name##_2_sc, name##_2_x0, name##_2_x1, name##_2_xs }, \
		{ NULL, NULL, NULL, NULL, NULL, NULL } };
#define LONG_OP(name, ...) WIDE_SIZES(LONG_CORE, name, __VA_ARGS__) LONG_TAB(name)

/* |x - y| of wide signed values that cannot overflow */
#define ABSDIFF(x, y) ({ SV t_ = (SV)(x) - (SV)(y); SV m_ = t_ >> (W - 1); (t_ ^ m_) - m_; })

LONG_OP(saddl, RET(sa + sb);)
LONG_OP(uaddl, RET(ua + ub);)
LONG_OP(ssubl, RET(sa - sb);)
LONG_OP(usubl, RET(ua - ub);)
LONG_OP(saddw, RET(aw + (UV)sb);)
LONG_OP(uaddw, RET(aw + ub);)
LONG_OP(ssubw, RET(aw - (UV)sb);)
LONG_OP(usubw, RET(aw - ub);)
LONG_OP(sabdl, RET(ABSDIFF(sa, sb));)
LONG_OP(uabdl, RET(ABSDIFF(ua, ub));)
LONG_OP(sabal, RET(d + (UV)ABSDIFF(sa, sb));)
LONG_OP(uabal, RET(d + (UV)ABSDIFF(ua, ub));)
LONG_OP(smull, RET(sa * sb);)
LONG_OP(umull, RET(ua * ub);)
LONG_OP(smlal, RET(d + (UV)(sa * sb));)
LONG_OP(umlal, RET(d + ua * ub);)
LONG_OP(smlsl, RET(d - (UV)(sa * sb));)
LONG_OP(umlsl, RET(d - ua * ub);)
LONG_OP(sshll, RET((UV)sa << (int)op->imm);)
LONG_OP(ushll, RET(ua << (int)op->imm);)
LONG_OP(shll, RET(ua << (W / 2));)
LONG_OP(pmull,
	UV r;
	for (int i = 0; i < N; i++) {
		ET p = 0;
		for (int j = 0; j < W / 2; j++)
			if (ub[i] >> j & 1)
				p ^= (ET)(ua[i] << j);
		r[i] = p;
	}
	RET(r);)

/* Saturating doubling: 2 * a * b overflows only for MIN * MIN. */
#define SQDMULL_V()                                                                       \
	SV p = sa * sb;                                                                   \
	SV big = (SV){} + (SET)((ET)1 << (W - 2));                                        \
	UV ov = (UV)(p == big);                                                           \
	p = (SV)((((UV)p + (UV)p) & ~ov) | ((UV)((SV){} + (SET)(((ET)~(ET)0) >> 1)) & ov)); \
	bool sat = simd_any((vu64)ov);
/* Signed saturating x + y of wide lanes */
#define SQADD_V(x, y)                                                                     \
	({                                                                                \
		SV x_ = (x), y_ = (y), r_ = (SV)((UV)x_ + (UV)y_);                        \
		UV o_ = (UV)(((x_ ^ r_) & (y_ ^ r_)) < 0);                                \
		sat |= simd_any((vu64)o_);                                                \
		(SV)(((UV)r_ & ~o_) | ((UV)((x_ >> (W - 1)) ^ (SET)(((ET)~(ET)0) >> 1)) & o_)); \
	})
/* x - y with y never MIN after SQDMULL? y may be MAX: -MAX is fine; saturate the sum. */
#define SQSUB_V(x, y)                                                                     \
	({                                                                                \
		SV x_ = (x), y_ = (y), r_ = (SV)((UV)x_ - (UV)y_);                        \
		UV o_ = (UV)(((x_ ^ y_) & (x_ ^ r_)) < 0);                                \
		sat |= simd_any((vu64)o_);                                                \
		(SV)(((UV)r_ & ~o_) | ((UV)((x_ >> (W - 1)) ^ (SET)(((ET)~(ET)0) >> 1)) & o_)); \
	})

LONG_OP(sqdmull, SQDMULL_V() if (sat) simd_qc(cpu); RET(p);)
LONG_OP(sqdmlal, SQDMULL_V() SV r = SQADD_V(sd, p); if (sat) simd_qc(cpu); RET(r);)
LONG_OP(sqdmlsl, SQDMULL_V() SV r = SQSUB_V(sd, p); if (sat) simd_qc(cpu); RET(r);)

/* ---- narrowing: the body returns wide lanes already in the narrow range (or truncated);
 * the template keeps their low halves. It sees a/sa, b/sb (wide lanes of rn, rm), n = imm. */

#define NARROW_CORE(name, sz, HU, HS, UV_, SV_, ET_, SET_, ...)                            \
	ALWAYS HU ncore_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op, vu64 A,    \
				      vu64 B)                                                 \
	{                                                                                    \
		typedef UV_ UV UNUSED;                                                              \
		typedef SV_ SV UNUSED;                                                              \
		typedef ET_ ET UNUSED;                                                              \
		typedef SET_ SET UNUSED;                                                            \
		enum { W = 16 << sz, NW = 8 << sz };                                         \
		UNUSED UV a = (UV)A, b = (UV)B;                                              \
		UNUSED SV sa = (SV)A, sb = (SV)B;                                            \
		UNUSED int n = (int)op->imm;                                                 \
		(void)cpu;                                                                   \
		UV r_ = ({ __VA_ARGS__ });                                                   \
		return __builtin_convertvector(r_, HU);                                      \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q0)                                                       \
	{                                                                                    \
		HU h = ncore_##name##_##sz(cpu, op, VREG(vu64, op->rn), VREG(vu64, op->rm)); \
		VREG(vu64, op->rd) = LOWER(h);                                               \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_q1)                                                       \
	{                                                                                    \
		HU h = ncore_##name##_##sz(cpu, op, VREG(vu64, op->rn), VREG(vu64, op->rm)); \
		vu64 l = LOWER(h);                                                           \
		VREG(vu64, op->rd)[1] = l[0];                                                \
		return 0;                                                                    \
	}                                                                                    \
	SIMD_HANDLER(name##_##sz##_sc)                                                       \
	{                                                                                    \
		vu64 mw = { SIMD_LOWMASK(sz + 1), 0 };                                       \
		HU h = ncore_##name##_##sz(cpu, op, VREG(vu64, op->rn) & mw,                 \
					   VREG(vu64, op->rm) & mw);                         \
		VREG(vu64, op->rd) = LOWER(h) & (vu64){ SIMD_LOWMASK(sz), 0 };               \
		return 0;                                                                    \
	}

#define NARROW_TAB(name)                                                                  \
	static const simd_tab tab_##name = {                                              \
		{ name##_0_q0, name##_0_q1, name##_0_sc, NULL, NULL, NULL },              \
		{ name##_1_q0, name##_1_q1, name##_1_sc, NULL, NULL, NULL },              \
		{ name##_2_q0, name##_2_q1, name##_2_sc, NULL, NULL, NULL },              \
		{ NULL, NULL, NULL, NULL, NULL, NULL } };
#define NARROW_OP(name, ...) WIDE_SIZES(NARROW_CORE, name, __VA_ARGS__) NARROW_TAB(name)

/* Clamp wide lanes to the narrow signed / unsigned range, noting saturation in QC. */
#define CLAMP_S(x)                                                                        \
	({                                                                                \
		SV x_ = (x);                                                              \
		SV hi_ = (SV){} + (SET)((((ET)1) << (NW - 1)) - 1), lo_ = -hi_ - 1;       \
		SV gt_ = x_ > hi_, lt_ = x_ < lo_;                                        \
		if (simd_any((vu64)(gt_ | lt_)))                                          \
			simd_qc(cpu);                                                     \
		(UV)((x_ & ~gt_ & ~lt_) | (hi_ & gt_) | (lo_ & lt_));                     \
	})
#define CLAMP_U(x)                                                                        \
	({                                                                                \
		UV x_ = (x);                                                              \
		UV hi_ = (UV){} + ((((ET)1) << NW) - 1);                                  \
		UV gt_ = (UV)(x_ > hi_);                                                  \
		if (simd_any((vu64)gt_))                                                  \
			simd_qc(cpu);                                                     \
		(x_ & ~gt_) | (hi_ & gt_);                                                \
	})
/* signed to unsigned: negative lanes become 0 */
#define CLAMP_SU(x)                                                                       \
	({                                                                                \
		SV v_ = (x);                                                              \
		UV neg_ = (UV)(v_ < 0);                                                   \
		if (simd_any((vu64)neg_))                                                 \
			simd_qc(cpu);                                                     \
		CLAMP_U((UV)v_ & ~neg_);                                                  \
	})
/* Rounding right shifts by n (1..NW) without overflow */
#define RSHR_U(x) (((x) >> n) + (((x) >> (n - 1)) & 1))
#define RSHR_S(x) (((x) >> n) + (((x) >> (n - 1)) & 1))

NARROW_OP(xtn, a;)
NARROW_OP(sqxtn, CLAMP_S(sa);)
NARROW_OP(uqxtn, CLAMP_U(a);)
NARROW_OP(sqxtun, CLAMP_SU(sa);)
NARROW_OP(addhn, (a + b) >> NW;)
NARROW_OP(subhn, (a - b) >> NW;)
NARROW_OP(raddhn, (a + b + ((ET)1 << (NW - 1))) >> NW;)
NARROW_OP(rsubhn, (a - b + ((ET)1 << (NW - 1))) >> NW;)
NARROW_OP(shrn, a >> n;)
NARROW_OP(rshrn, RSHR_U(a);)
NARROW_OP(sqshrn, CLAMP_S(sa >> n);)
NARROW_OP(uqshrn, CLAMP_U(a >> n);)
NARROW_OP(sqrshrn, CLAMP_S(RSHR_S(sa));)
NARROW_OP(uqrshrn, CLAMP_U(RSHR_U(a));)
NARROW_OP(sqshrun, CLAMP_SU(sa >> n);)
NARROW_OP(sqrshrun, CLAMP_SU(RSHR_S(sa));)

/* ---- pairwise, same width: r[i] = f(x[2i], x[2i+1]) over x = rn:rm (low halves when
 * Q = 0); scalar: f(rn[0], rn[1]) ---- */

#define PAIR_H(name, sz, UV_, SV_, ET_, SET_, F)                                          \
	ALWAYS vu64 pcore_##name##_##sz(vu64 A, vu64 B, int q)                            \
	{                                                                                 \
		typedef UV_ UV UNUSED;                                                           \
		typedef SV_ SV UNUSED;                                                           \
		typedef ET_ ET UNUSED;                                                           \
		typedef SET_ SET UNUSED;                                                         \
		enum { N = 16 >> sz };                                                    \
		UV x0 = (UV)A, x1 = (UV)B, r = {};                                        \
		if (!q) {                                                                 \
			x0 = (UV)(vu64){ A[0], B[0] };                                    \
			x1 = x0;                                                          \
		}                                                                         \
		for (int i = 0; i < N / 2; i++) {                                         \
			UNUSED ET ua = x0[2 * i], ub = x0[2 * i + 1];                     \
			UNUSED SET sa = (SET)ua, sb = (SET)ub;                            \
			r[i] = (ET)(F);                                                   \
		}                                                                         \
		for (int i = 0; i < N / 2; i++) {                                         \
			UNUSED ET ua = x1[2 * i], ub = x1[2 * i + 1];                     \
			UNUSED SET sa = (SET)ua, sb = (SET)ub;                            \
			r[N / 2 + i] = (ET)(F);                                           \
		}                                                                         \
		return (vu64)r;                                                           \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_q0)                                                    \
	{                                                                                 \
		vu64 r = pcore_##name##_##sz(VREG(vu64, op->rn), VREG(vu64, op->rm), 0);  \
		r[1] = 0;                                                                 \
		VREG(vu64, op->rd) = r;                                                   \
		return 0;                                                                 \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_q1)                                                    \
	{                                                                                 \
		VREG(vu64, op->rd) = pcore_##name##_##sz(VREG(vu64, op->rn),              \
							 VREG(vu64, op->rm), 1);          \
		return 0;                                                                 \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_sc)                                                    \
	{                                                                                 \
		vu64 r = pcore_##name##_##sz(VREG(vu64, op->rn), VREG(vu64, op->rn), 1);  \
		VREG(vu64, op->rd) = r & (vu64){ SIMD_LOWMASK(sz), 0 };                   \
		return 0;                                                                 \
	}
#define PAIR_OP(name, F)                                                                  \
	PAIR_H(name, 0, vu8, vs8, uint8_t, int8_t, F)                                     \
	PAIR_H(name, 1, vu16, vs16, uint16_t, int16_t, F)                                 \
	PAIR_H(name, 2, vu32, vs32, uint32_t, int32_t, F)                                 \
	PAIR_H(name, 3, vu64, vs64, uint64_t, int64_t, F)                                 \
	static const simd_tab tab_##name = {                                              \
		{ name##_0_q0, name##_0_q1, name##_0_sc, NULL, NULL, NULL },              \
		{ name##_1_q0, name##_1_q1, name##_1_sc, NULL, NULL, NULL },              \
		{ name##_2_q0, name##_2_q1, name##_2_sc, NULL, NULL, NULL },              \
		{ name##_3_q0, name##_3_q1, name##_3_sc, NULL, NULL, NULL } };

PAIR_OP(addp, ua + ub)
PAIR_OP(smaxp, sa > sb ? sa : sb)
PAIR_OP(umaxp, ua > ub ? ua : ub)
PAIR_OP(sminp, sa < sb ? sa : sb)
PAIR_OP(uminp, ua < ub ? ua : ub)

/* ---- pairwise long: SADDLP, UADDLP, SADALP, UADALP (wide lanes, Q: 64 or 128 bits) ---- */

#define PLONG_H(name, sz, UV_, ET_, SET_, NT, ACC)                                        \
	SIMD_HANDLER(name##_##sz##_q0)                                                    \
	{                                                                                 \
		typedef UV_ UV UNUSED;                                                           \
		union a64_vreg s = cpu->v[op->rn];                                        \
		const NT *e = (const NT *)&s;                                             \
		UV d = VREG(UV, op->rd), r = {};                                          \
		for (int i = 0; i < (4 >> sz); i++)                                       \
			r[i] = (ET_)((ACC ? d[i] : 0) + (ET_)e[2 * i] + (ET_)e[2 * i + 1]); \
		VREG(UV, op->rd) = r;                                                     \
		return 0;                                                                 \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_q1)                                                    \
	{                                                                                 \
		typedef UV_ UV UNUSED;                                                           \
		union a64_vreg s = cpu->v[op->rn];                                        \
		const NT *e = (const NT *)&s;                                             \
		UV d = VREG(UV, op->rd), r;                                               \
		for (int i = 0; i < (8 >> sz); i++)                                       \
			r[i] = (ET_)((ACC ? d[i] : 0) + (ET_)e[2 * i] + (ET_)e[2 * i + 1]); \
		VREG(UV, op->rd) = r;                                                     \
		return 0;                                                                 \
	}
#define PLONG_OP(name, S, ACC)                                                            \
	PLONG_H(name, 0, vu16, uint16_t, int16_t, S##int8_t, ACC)                         \
	PLONG_H(name, 1, vu32, uint32_t, int32_t, S##int16_t, ACC)                        \
	PLONG_H(name, 2, vu64, uint64_t, int64_t, S##int32_t, ACC)                        \
	static const simd_tab tab_##name = {                                              \
		{ name##_0_q0, name##_0_q1, NULL, NULL, NULL, NULL },                     \
		{ name##_1_q0, name##_1_q1, NULL, NULL, NULL, NULL },                     \
		{ name##_2_q0, name##_2_q1, NULL, NULL, NULL, NULL },                     \
		{ NULL, NULL, NULL, NULL, NULL, NULL } };
PLONG_OP(saddlp, , false)
PLONG_OP(uaddlp, u, false)
PLONG_OP(sadalp, , true)
PLONG_OP(uadalp, u, true)

/* ---- across lanes: one element at lane 0 ---- */

#define ACROSS_H(name, sz, ET_, NT, RT, INIT, STEP)                                       \
	ALWAYS void acore_##name##_##sz(struct a64_cpu *cpu, const struct a64_op *op, int n)  \
	{                                                                                 \
		union a64_vreg s = cpu->v[op->rn];                                        \
		const NT *e = (const NT *)&s;                                             \
		RT acc = INIT;                                                            \
		for (int i = 1; i < n; i++) {                                             \
			RT x = e[i];                                                      \
			acc = (RT)(STEP);                                                 \
		}                                                                         \
		VREG(vu64, op->rd) = (vu64){ (uint64_t)(ET_)acc, 0 };                     \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_q0)                                                    \
	{                                                                                 \
		acore_##name##_##sz(cpu, op, 8 >> sz);                                    \
		return 0;                                                                 \
	}                                                                                 \
	SIMD_HANDLER(name##_##sz##_q1)                                                    \
	{                                                                                 \
		acore_##name##_##sz(cpu, op, 16 >> sz);                                   \
		return 0;                                                                 \
	}
/* R0..R2: the result's type per size (truncation: the source size, or twice it for ADDLV) */
#define ACROSS_OP(name, S, R0, R1, R2, STEP)                                              \
	ACROSS_H(name, 0, R0, S##int8_t, int64_t, e[0], STEP)                             \
	ACROSS_H(name, 1, R1, S##int16_t, int64_t, e[0], STEP)                            \
	ACROSS_H(name, 2, R2, S##int32_t, int64_t, e[0], STEP)                            \
	static const simd_tab tab_##name = {                                              \
		{ name##_0_q0, name##_0_q1, NULL, NULL, NULL, NULL },                     \
		{ name##_1_q0, name##_1_q1, NULL, NULL, NULL, NULL },                     \
		{ name##_2_q0, name##_2_q1, NULL, NULL, NULL, NULL },                     \
		{ NULL, NULL, NULL, NULL, NULL, NULL } };
#define NARROW_R uint8_t, uint16_t, uint32_t
#define LONG_R uint16_t, uint32_t, uint64_t
#define ACROSS_OP_(...) ACROSS_OP(__VA_ARGS__)
ACROSS_OP_(addv, u, NARROW_R, acc + x)
ACROSS_OP_(saddlv, , LONG_R, acc + x)
ACROSS_OP_(uaddlv, u, LONG_R, acc + x)
ACROSS_OP_(smaxv, , NARROW_R, x > acc ? x : acc)
ACROSS_OP_(umaxv, u, NARROW_R, x > acc ? x : acc)
ACROSS_OP_(sminv, , NARROW_R, x < acc ? x : acc)
ACROSS_OP_(uminv, u, NARROW_R, x < acc ? x : acc)

static const simd_tab *const tabs[A64_SIMD_KIND_COUNT] = {
	[A64_SIMD_SADDL] = &tab_saddl, [A64_SIMD_UADDL] = &tab_uaddl,
	[A64_SIMD_SSUBL] = &tab_ssubl, [A64_SIMD_USUBL] = &tab_usubl,
	[A64_SIMD_SADDW] = &tab_saddw, [A64_SIMD_UADDW] = &tab_uaddw,
	[A64_SIMD_SSUBW] = &tab_ssubw, [A64_SIMD_USUBW] = &tab_usubw,
	[A64_SIMD_SABDL] = &tab_sabdl, [A64_SIMD_UABDL] = &tab_uabdl,
	[A64_SIMD_SABAL] = &tab_sabal, [A64_SIMD_UABAL] = &tab_uabal,
	[A64_SIMD_SMULL] = &tab_smull, [A64_SIMD_UMULL] = &tab_umull,
	[A64_SIMD_SMLAL] = &tab_smlal, [A64_SIMD_UMLAL] = &tab_umlal,
	[A64_SIMD_SMLSL] = &tab_smlsl, [A64_SIMD_UMLSL] = &tab_umlsl,
	[A64_SIMD_SSHLL] = &tab_sshll, [A64_SIMD_USHLL] = &tab_ushll,
	[A64_SIMD_SHLL] = &tab_shll, [A64_SIMD_PMULL] = &tab_pmull,
	[A64_SIMD_SQDMULL] = &tab_sqdmull, [A64_SIMD_SQDMLAL] = &tab_sqdmlal,
	[A64_SIMD_SQDMLSL] = &tab_sqdmlsl,
	[A64_SIMD_XTN] = &tab_xtn, [A64_SIMD_SQXTN] = &tab_sqxtn, [A64_SIMD_UQXTN] = &tab_uqxtn,
	[A64_SIMD_SQXTUN] = &tab_sqxtun, [A64_SIMD_ADDHN] = &tab_addhn,
	[A64_SIMD_SUBHN] = &tab_subhn, [A64_SIMD_RADDHN] = &tab_raddhn,
	[A64_SIMD_RSUBHN] = &tab_rsubhn, [A64_SIMD_SHRN] = &tab_shrn,
	[A64_SIMD_RSHRN] = &tab_rshrn, [A64_SIMD_SQSHRN] = &tab_sqshrn,
	[A64_SIMD_UQSHRN] = &tab_uqshrn, [A64_SIMD_SQRSHRN] = &tab_sqrshrn,
	[A64_SIMD_UQRSHRN] = &tab_uqrshrn, [A64_SIMD_SQSHRUN] = &tab_sqshrun,
	[A64_SIMD_SQRSHRUN] = &tab_sqrshrun,
	[A64_SIMD_ADDP] = &tab_addp, [A64_SIMD_SMAXP] = &tab_smaxp, [A64_SIMD_UMAXP] = &tab_umaxp,
	[A64_SIMD_SMINP] = &tab_sminp, [A64_SIMD_UMINP] = &tab_uminp,
	[A64_SIMD_SADDLP] = &tab_saddlp, [A64_SIMD_UADDLP] = &tab_uaddlp,
	[A64_SIMD_SADALP] = &tab_sadalp, [A64_SIMD_UADALP] = &tab_uadalp,
	[A64_SIMD_ADDV] = &tab_addv, [A64_SIMD_SADDLV] = &tab_saddlv,
	[A64_SIMD_UADDLV] = &tab_uaddlv, [A64_SIMD_SMAXV] = &tab_smaxv,
	[A64_SIMD_UMAXV] = &tab_umaxv, [A64_SIMD_SMINV] = &tab_sminv,
	[A64_SIMD_UMINV] = &tab_uminv,
};

a64_handler simd_bind_wide(const struct a64_op *op)
{
	if (op->kind >= A64_SIMD_KIND_COUNT || !tabs[op->kind])
		return NULL;
	return simd_pick(tabs[op->kind], op);
}
