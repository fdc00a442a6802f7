/* emu/aarch64/simd-int-exec: the interpreter's handlers for the same-width integer kinds of
 * Advanced SIMD (three same, two-register misc, shift by immediate; kinds and fields in
 * simd.h), written once per operation over GCC vectors (simd-exec.h's templates) and expanded
 * per element size and form. Touches only the vector registers and FPSR.QC. */
#include "emu/aarch64/simd-exec.h"

/* ---- lane helpers: shifts by a signed register amount (SSHL family) ---- */

/* Unsigned a (w bits, zero-extended) shifted by s: left if s >= 0, right otherwise. */
ALWAYS uint64_t ushl_lane(uint64_t a, int s, unsigned w, bool round)
{
	if (s >= 0)
		return s >= (int)w ? 0 : a << s;
	unsigned n = (unsigned)-s;
	if (!round)
		return n >= w ? 0 : a >> n;
	if (n > w)
		return 0;
	if (n == w)
		return a >> (w - 1) & 1;
	return (a >> n) + (a >> (n - 1) & 1);
}

/* Signed a (sign-extended) shifted by s. */
ALWAYS int64_t sshl_lane(int64_t a, int s, unsigned w, bool round)
{
	if (s >= 0)
		return s >= (int)w ? 0 : (int64_t)((uint64_t)a << s);
	unsigned n = (unsigned)-s;
	if (round)
		return n >= w ? 0 : (a >> n) + (a >> (n - 1) & 1);
	return n >= w ? (a < 0 ? -1 : 0) : a >> n;
}

/* Saturating: left shifts that lose bits saturate (*sat); right shifts as above. */
ALWAYS uint64_t uqshl_lane(uint64_t a, int s, unsigned w, bool round, bool *sat)
{
	if (s < 0)
		return ushl_lane(a, s, w, round);
	if (a == 0)
		return 0;
	if (s >= (int)w) {
		*sat = true;
		return simd_umax(w);
	}
	return simd_sat_u((__int128)((unsigned __int128)a << s), w, sat);
}

ALWAYS int64_t sqshl_lane(int64_t a, int s, unsigned w, bool round, bool *sat)
{
	if (s < 0)
		return sshl_lane(a, s, w, round);
	if (a == 0)
		return 0;
	if (s >= (int)w) {
		*sat = true;
		return a < 0 ? simd_smin(w) : simd_smax(w);
	}
	return simd_sat_s((__int128)a * ((__int128)1 << s), w, sat);
}

/* Signed a to unsigned, shifted left by s (0..w-1): SQSHLU. */
ALWAYS uint64_t sqshlu_lane(int64_t a, int s, unsigned w, bool *sat)
{
	if (a < 0) {
		*sat = true;
		return 0;
	}
	return simd_sat_u((__int128)a << s, w, sat);
}

#define LANES(expr)                               \
	UV r;                                     \
	for (int i = 0; i < N; i++)               \
		r[i] = (ET)(expr);                \
	RET(r);

/* A saturating lane loop: expr may set sat. */
#define SAT_LANES(expr)                           \
	UV r;                                     \
	bool sat = false;                         \
	for (int i = 0; i < N; i++)               \
		r[i] = (ET)(expr);                \
	if (sat)                                  \
		simd_qc(cpu);                     \
	RET(r);

/* ---- three same: arithmetic ---- */

SIMD_OP_VS(add, RET(a + b);)
SIMD_OP_VS(sub, RET(a - b);)
SIMD_OP_VX(mul, RET(a * b);)
SIMD_OP_VX(mla, RET(d + a * b);)
SIMD_OP_VX(mls, RET(d - a * b);)
SIMD_OP_V(pmul,
	LANES(({
		uint64_t p_ = 0;
		for (int j = 0; j < W; j++)
			if (b[i] >> j & 1)
				p_ ^= (uint64_t)a[i] << j;
		p_;
	})))

SIMD_OP_V(shadd, RET((sa >> 1) + (sb >> 1) + (sa & sb & 1));)
SIMD_OP_V(uhadd, RET((a >> 1) + (b >> 1) + (a & b & 1));)
SIMD_OP_V(srhadd, RET((sa >> 1) + (sb >> 1) + ((sa | sb) & 1));)
SIMD_OP_V(urhadd, RET((a >> 1) + (b >> 1) + ((a | b) & 1));)
SIMD_OP_V(shsub, RET((sa >> 1) - (sb >> 1) - (~sa & sb & 1));)
SIMD_OP_V(uhsub, RET((a >> 1) - (b >> 1) - (~a & b & 1));)

SIMD_OP_VS(sqadd,
	UV r = a + b;
	SV sr = (SV)r;
	UV ov = (UV)(((sa ^ sr) & (sb ^ sr)) < 0);
	UV satv = (UV)((sa >> (W - 1)) ^ (SET)(((ET)~(ET)0) >> 1));
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET((r & ~ov) | (satv & ov));)
SIMD_OP_VS(uqadd,
	UV r = a + b;
	UV ov = (UV)(r < a);
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET(r | ov);)
SIMD_OP_VS(sqsub,
	UV r = a - b;
	SV sr = (SV)r;
	UV ov = (UV)(((sa ^ sb) & (sa ^ sr)) < 0);
	UV satv = (UV)((sa >> (W - 1)) ^ (SET)(((ET)~(ET)0) >> 1));
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET((r & ~ov) | (satv & ov));)
SIMD_OP_VS(uqsub,
	UV ov = (UV)(a < b);
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET((a - b) & ~ov);)

/* ---- logical (size 0) ---- */
SIMD_OP_V(and, RET(a & b);)
SIMD_OP_V(bic, RET(a & ~b);)
SIMD_OP_V(orr, RET(a | b);)
SIMD_OP_V(orn, RET(a | ~b);)
SIMD_OP_V(eor, RET(a ^ b);)
SIMD_OP_V(bsl, RET((d & a) | (~d & b));)
SIMD_OP_V(bit, RET((d & ~b) | (a & b));)
SIMD_OP_V(bif, RET((d & b) | (a & ~b));)

/* ---- compares ---- */
SIMD_OP_VS(cmgt, RET(sa > sb);)
SIMD_OP_VS(cmhi, RET(a > b);)
SIMD_OP_VS(cmge, RET(sa >= sb);)
SIMD_OP_VS(cmhs, RET(a >= b);)
SIMD_OP_VS(cmeq, RET(a == b);)
SIMD_OP_VS(cmtst, RET((a & b) != 0);)
SIMD_OP_VS(cmgt0, RET(sa > 0);)
SIMD_OP_VS(cmge0, RET(sa >= 0);)
SIMD_OP_VS(cmeq0, RET(a == 0);)
SIMD_OP_VS(cmle0, RET(sa <= 0);)
SIMD_OP_VS(cmlt0, RET(sa < 0);)

/* ---- max, min, absolute difference ---- */
#define SELECT(m, x, y) (((UV)(m) & (UV)(x)) | (~(UV)(m) & (UV)(y)))
SIMD_OP_V(smax, RET(SELECT(sa > sb, a, b));)
SIMD_OP_V(umax, RET(SELECT(a > b, a, b));)
SIMD_OP_V(smin, RET(SELECT(sa < sb, a, b));)
SIMD_OP_V(umin, RET(SELECT(a < b, a, b));)
SIMD_OP_V(sabd, RET(SELECT(sa > sb, a - b, b - a));)
SIMD_OP_V(uabd, RET(SELECT(a > b, a - b, b - a));)
SIMD_OP_V(saba, RET(d + SELECT(sa > sb, a - b, b - a));)
SIMD_OP_V(uaba, RET(d + SELECT(a > b, a - b, b - a));)

/* ---- shifts by register ---- */
SIMD_OP_VS(sshl, LANES(sshl_lane(sa[i], (int8_t)b[i], W, false)))
SIMD_OP_VS(ushl, LANES(ushl_lane(a[i], (int8_t)b[i], W, false)))
SIMD_OP_VS(srshl, LANES(sshl_lane(sa[i], (int8_t)b[i], W, true)))
SIMD_OP_VS(urshl, LANES(ushl_lane(a[i], (int8_t)b[i], W, true)))
SIMD_OP_VS(sqshl, SAT_LANES(sqshl_lane(sa[i], (int8_t)b[i], W, false, &sat)))
SIMD_OP_VS(uqshl, SAT_LANES(uqshl_lane(a[i], (int8_t)b[i], W, false, &sat)))
SIMD_OP_VS(sqrshl, SAT_LANES(sqshl_lane(sa[i], (int8_t)b[i], W, true, &sat)))
SIMD_OP_VS(uqrshl, SAT_LANES(uqshl_lane(a[i], (int8_t)b[i], W, true, &sat)))

/* ---- doubling multiply high (sizes 1, 2) ---- */
SIMD_OP_VSX(sqdmulh,
	SAT_LANES(simd_sat_s(((__int128)sa[i] * sb[i] * 2) >> W, W, &sat)))
SIMD_OP_VSX(sqrdmulh,
	SAT_LANES(simd_sat_s(((__int128)sa[i] * sb[i] * 2 + ((__int128)1 << (W - 1))) >> W, W,
			     &sat)))

/* ---- two-register misc ---- */
SIMD_OP_V(cnt, LANES(__builtin_popcountll(a[i])))
SIMD_OP_V(not, RET(~a);)
SIMD_OP_V(rbit, LANES(({
	uint8_t x_ = (uint8_t)a[i];
	x_ = (uint8_t)((x_ & 0xf0) >> 4 | (x_ & 0x0f) << 4);
	x_ = (uint8_t)((x_ & 0xcc) >> 2 | (x_ & 0x33) << 2);
	(uint8_t)((x_ & 0xaa) >> 1 | (x_ & 0x55) << 1);
})))
SIMD_OP_V(clz, LANES(a[i] ? __builtin_clzll((uint64_t)a[i]) - (64 - W) : W))
SIMD_OP_V(cls, LANES(({
	uint64_t x_ = (uint64_t)(ET)(sa[i] ^ (sa[i] >> (W - 1)));
	(x_ ? __builtin_clzll(x_) - (64 - W) : W) - 1;
})))
SIMD_OP_VS(abs, SV m = sa >> (W - 1); RET((UV)(sa ^ m) - (UV)m);)
SIMD_OP_VS(neg, RET(-a);)
SIMD_OP_VS(sqabs,
	SV mn = (SV){} + (SET)((ET)1 << (W - 1));
	UV ov = (UV)(sa == mn);
	SV m = sa >> (W - 1);
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET((UV)(sa ^ m) - (UV)m - (ov & 1));)
SIMD_OP_VS(sqneg,
	SV mn = (SV){} + (SET)((ET)1 << (W - 1));
	UV ov = (UV)(sa == mn);
	if (simd_any((vu64)ov))
		simd_qc(cpu);
	RET(-a - (ov & 1));)
SIMD_OP_VS(suqadd, SAT_LANES(simd_sat_s((__int128)sd[i] + (__int128)a[i], W, &sat)))
SIMD_OP_VS(usqadd, SAT_LANES(simd_sat_u((__int128)d[i] + (__int128)sa[i], W, &sat)))

/* ---- shift by immediate (n = op->imm: 1..W right, 0..W-1 left) ---- */
#define N_ ((int)op->imm)
SIMD_OP_VS(sshr, RET(sa >> (N_ < W ? N_ : W - 1));)
SIMD_OP_VS(ushr, if (N_ >= W) RET((UV){}); RET(a >> N_);)
SIMD_OP_VS(ssra, RET(d + (UV)(sa >> (N_ < W ? N_ : W - 1)));)
SIMD_OP_VS(usra, if (N_ >= W) RET(d); RET(d + (a >> N_));)
SIMD_OP_VS(srshr,
	if (N_ >= W) RET((UV){});
	RET((sa >> N_) + ((sa >> (N_ - 1)) & 1));)
SIMD_OP_VS(urshr,
	if (N_ >= W) RET(a >> (W - 1));
	RET((a >> N_) + ((a >> (N_ - 1)) & 1));)
SIMD_OP_VS(srsra,
	if (N_ >= W) RET(d);
	RET(d + (UV)((sa >> N_) + ((sa >> (N_ - 1)) & 1)));)
SIMD_OP_VS(ursra,
	if (N_ >= W) RET(d + (a >> (W - 1)));
	RET(d + (a >> N_) + ((a >> (N_ - 1)) & 1));)
SIMD_OP_VS(sri,
	if (N_ >= W) RET(d);
	ET keep = (ET)~(ET)((ET)~(ET)0 >> N_);
	RET((d & keep) | (a >> N_));)
SIMD_OP_VS(shl, RET(a << N_);)
SIMD_OP_VS(sli,
	ET keep = (ET)~(ET)((ET)~(ET)0 << N_);
	RET((d & keep) | (a << N_));)
SIMD_OP_VS(sqshl_imm, SAT_LANES(sqshl_lane(sa[i], N_, W, false, &sat)))
SIMD_OP_VS(uqshl_imm, SAT_LANES(uqshl_lane(a[i], N_, W, false, &sat)))
SIMD_OP_VS(sqshlu, SAT_LANES(sqshlu_lane(sa[i], N_, W, &sat)))

/* ---- REV16/REV32/REV64: a byte shuffle, index i ^ (container - element bytes) ---- */
#define REV_HANDLERS(name, x)                                                        \
	SIMD_HANDLER(name##_q0)                                                      \
	{                                                                            \
		const vu8 idx = { 0 ^ x, 1 ^ x, 2 ^ x, 3 ^ x, 4 ^ x, 5 ^ x, 6 ^ x, 7 ^ x, \
				  8 ^ x, 9 ^ x, 10 ^ x, 11 ^ x, 12 ^ x, 13 ^ x, 14 ^ x, 15 ^ x }; \
		vu64 r = (vu64)__builtin_shuffle(VREG(vu8, op->rn), idx);            \
		r[1] = 0;                                                            \
		VREG(vu64, op->rd) = r;                                              \
		return 0;                                                            \
	}                                                                            \
	SIMD_HANDLER(name##_q1)                                                      \
	{                                                                            \
		const vu8 idx = { 0 ^ x, 1 ^ x, 2 ^ x, 3 ^ x, 4 ^ x, 5 ^ x, 6 ^ x, 7 ^ x, \
				  8 ^ x, 9 ^ x, 10 ^ x, 11 ^ x, 12 ^ x, 13 ^ x, 14 ^ x, 15 ^ x }; \
		VREG(vu8, op->rd) = __builtin_shuffle(VREG(vu8, op->rn), idx);       \
		return 0;                                                            \
	}
REV_HANDLERS(rev_1, 1) /* REV16 B; REV32 H (x = 2): below */
REV_HANDLERS(rev_2, 2)
REV_HANDLERS(rev_3, 3)
REV_HANDLERS(rev_4, 4)
REV_HANDLERS(rev_6, 6)
REV_HANDLERS(rev_7, 7)

static a64_handler bind_rev(const struct a64_op *op)
{
	unsigned c = op->kind == A64_SIMD_REV16 ? 2 : op->kind == A64_SIMD_REV32 ? 4 : 8;
	unsigned x = c - (1u << op->size);
	switch (x) {
	case 1: return op->sf ? rev_1_q1 : rev_1_q0;
	case 2: return op->sf ? rev_2_q1 : rev_2_q0;
	case 3: return op->sf ? rev_3_q1 : rev_3_q0;
	case 4: return op->sf ? rev_4_q1 : rev_4_q0;
	case 6: return op->sf ? rev_6_q1 : rev_6_q0;
	case 7: return op->sf ? rev_7_q1 : rev_7_q0;
	default: return NULL;
	}
}

static const simd_tab *const tabs[A64_SIMD_KIND_COUNT] = {
	[A64_SIMD_ADD] = &tab_add, [A64_SIMD_SUB] = &tab_sub, [A64_SIMD_MUL] = &tab_mul,
	[A64_SIMD_PMUL] = &tab_pmul, [A64_SIMD_MLA] = &tab_mla, [A64_SIMD_MLS] = &tab_mls,
	[A64_SIMD_SHADD] = &tab_shadd, [A64_SIMD_UHADD] = &tab_uhadd,
	[A64_SIMD_SRHADD] = &tab_srhadd, [A64_SIMD_URHADD] = &tab_urhadd,
	[A64_SIMD_SHSUB] = &tab_shsub, [A64_SIMD_UHSUB] = &tab_uhsub,
	[A64_SIMD_SQADD] = &tab_sqadd, [A64_SIMD_UQADD] = &tab_uqadd,
	[A64_SIMD_SQSUB] = &tab_sqsub, [A64_SIMD_UQSUB] = &tab_uqsub,
	[A64_SIMD_AND] = &tab_and, [A64_SIMD_BIC] = &tab_bic, [A64_SIMD_ORR] = &tab_orr,
	[A64_SIMD_ORN] = &tab_orn, [A64_SIMD_EOR] = &tab_eor, [A64_SIMD_BSL] = &tab_bsl,
	[A64_SIMD_BIT] = &tab_bit, [A64_SIMD_BIF] = &tab_bif,
	[A64_SIMD_CMGT] = &tab_cmgt, [A64_SIMD_CMHI] = &tab_cmhi, [A64_SIMD_CMGE] = &tab_cmge,
	[A64_SIMD_CMHS] = &tab_cmhs, [A64_SIMD_CMEQ] = &tab_cmeq, [A64_SIMD_CMTST] = &tab_cmtst,
	[A64_SIMD_CMGT0] = &tab_cmgt0, [A64_SIMD_CMGE0] = &tab_cmge0,
	[A64_SIMD_CMEQ0] = &tab_cmeq0, [A64_SIMD_CMLE0] = &tab_cmle0,
	[A64_SIMD_CMLT0] = &tab_cmlt0,
	[A64_SIMD_SMAX] = &tab_smax, [A64_SIMD_UMAX] = &tab_umax, [A64_SIMD_SMIN] = &tab_smin,
	[A64_SIMD_UMIN] = &tab_umin, [A64_SIMD_SABD] = &tab_sabd, [A64_SIMD_UABD] = &tab_uabd,
	[A64_SIMD_SABA] = &tab_saba, [A64_SIMD_UABA] = &tab_uaba,
	[A64_SIMD_SSHL] = &tab_sshl, [A64_SIMD_USHL] = &tab_ushl, [A64_SIMD_SRSHL] = &tab_srshl,
	[A64_SIMD_URSHL] = &tab_urshl, [A64_SIMD_SQSHL] = &tab_sqshl,
	[A64_SIMD_UQSHL] = &tab_uqshl, [A64_SIMD_SQRSHL] = &tab_sqrshl,
	[A64_SIMD_UQRSHL] = &tab_uqrshl,
	[A64_SIMD_SQDMULH] = &tab_sqdmulh, [A64_SIMD_SQRDMULH] = &tab_sqrdmulh,
	[A64_SIMD_CNT] = &tab_cnt, [A64_SIMD_NOT] = &tab_not, [A64_SIMD_RBIT] = &tab_rbit,
	[A64_SIMD_CLZ] = &tab_clz, [A64_SIMD_CLS] = &tab_cls, [A64_SIMD_ABS] = &tab_abs,
	[A64_SIMD_NEG] = &tab_neg, [A64_SIMD_SQABS] = &tab_sqabs, [A64_SIMD_SQNEG] = &tab_sqneg,
	[A64_SIMD_SUQADD] = &tab_suqadd, [A64_SIMD_USQADD] = &tab_usqadd,
	[A64_SIMD_SSHR] = &tab_sshr, [A64_SIMD_USHR] = &tab_ushr, [A64_SIMD_SSRA] = &tab_ssra,
	[A64_SIMD_USRA] = &tab_usra, [A64_SIMD_SRSHR] = &tab_srshr,
	[A64_SIMD_URSHR] = &tab_urshr, [A64_SIMD_SRSRA] = &tab_srsra,
	[A64_SIMD_URSRA] = &tab_ursra, [A64_SIMD_SRI] = &tab_sri, [A64_SIMD_SHL] = &tab_shl,
	[A64_SIMD_SLI] = &tab_sli, [A64_SIMD_SQSHL_IMM] = &tab_sqshl_imm,
	[A64_SIMD_UQSHL_IMM] = &tab_uqshl_imm, [A64_SIMD_SQSHLU] = &tab_sqshlu,
};

a64_handler simd_bind_int(const struct a64_op *op)
{
	if (op->kind == A64_SIMD_REV16 || op->kind == A64_SIMD_REV32 ||
	    op->kind == A64_SIMD_REV64)
		return bind_rev(op);
	if (op->kind >= A64_SIMD_KIND_COUNT || !tabs[op->kind])
		return NULL;
	return simd_pick(tabs[op->kind], op);
}
