/* emu/aarch64/simd-exec: the Advanced SIMD interpreter's binder, and the handlers of the copy,
 * permute, table, extract and immediate kinds (simd.h). The arithmetic kinds are bound by
 * simd-int-exec.c (same width), simd-wide-exec.c (long, wide, narrow, pairwise, across lanes)
 * and simd-fp-exec.c (floating point). Touches only the vector and general registers. */
#include "emu/aarch64/simd-exec.h"

#define X (cpu->x)

/* ---- DUP, INS, UMOV, SMOV ---- */

#define DUP_HANDLERS(sz, UV, ET)                                                  \
	SIMD_HANDLER(dup_elem_##sz##_q0)                                          \
	{                                                                         \
		UV r = (UV){} + (ET)simd_lane(cpu, op->rn, sz, (unsigned)op->imm); \
		vu64 w = (vu64)r;                                                 \
		w[1] = 0;                                                         \
		VREG(vu64, op->rd) = w;                                           \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(dup_elem_##sz##_q1)                                          \
	{                                                                         \
		VREG(UV, op->rd) = (UV){} + (ET)simd_lane(cpu, op->rn, sz, (unsigned)op->imm); \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(dup_elem_##sz##_sc)                                          \
	{                                                                         \
		VREG(vu64, op->rd) = (vu64){ simd_lane(cpu, op->rn, sz, (unsigned)op->imm), 0 }; \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(dup_gen_##sz##_q0)                                           \
	{                                                                         \
		UV r = (UV){} + (ET)X[op->rn];                                    \
		vu64 w = (vu64)r;                                                 \
		w[1] = 0;                                                         \
		VREG(vu64, op->rd) = w;                                           \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(dup_gen_##sz##_q1)                                           \
	{                                                                         \
		VREG(UV, op->rd) = (UV){} + (ET)X[op->rn];                        \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(ins_elem_##sz)                                               \
	{                                                                         \
		ET e = (ET)simd_lane(cpu, op->rn, sz, (unsigned)op->imm2);        \
		VREG(UV, op->rd)[op->imm & (15 >> sz)] = e;                       \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(ins_gen_##sz)                                                \
	{                                                                         \
		VREG(UV, op->rd)[op->imm & (15 >> sz)] = (ET)X[op->rn];           \
		return 0;                                                         \
	}                                                                         \
	SIMD_HANDLER(umov_##sz)                                                   \
	{                                                                         \
		X[op->rd] = simd_lane(cpu, op->rn, sz, (unsigned)op->imm);        \
		return 0;                                                         \
	}
DUP_HANDLERS(0, vu8, uint8_t)
DUP_HANDLERS(1, vu16, uint16_t)
DUP_HANDLERS(2, vu32, uint32_t)
DUP_HANDLERS(3, vu64, uint64_t)

SIMD_HANDLER(smov_w)
{
	uint64_t e = simd_lane(cpu, op->rn, op->size, (unsigned)op->imm);
	unsigned sh = 64 - (8u << op->size);
	X[op->rd] = (uint32_t)((int64_t)(e << sh) >> sh);
	return 0;
}

SIMD_HANDLER(smov_x)
{
	uint64_t e = simd_lane(cpu, op->rn, op->size, (unsigned)op->imm);
	unsigned sh = 64 - (8u << op->size);
	X[op->rd] = (uint64_t)((int64_t)(e << sh) >> sh);
	return 0;
}

/* ---- EXT ---- */

SIMD_HANDLER(ext_q0)
{
	unsigned __int128 x = (unsigned __int128)cpu->v[op->rm].d[0] << 64 | cpu->v[op->rn].d[0];
	VREG(vu64, op->rd) = (vu64){ (uint64_t)(x >> (8 * op->imm)), 0 };
	return 0;
}

SIMD_HANDLER(ext_q1)
{
	unsigned __int128 n = cpu->v[op->rn].q, m = cpu->v[op->rm].q;
	unsigned sh = 8 * (unsigned)op->imm;
	cpu->v[op->rd].q = sh ? (n >> sh) | (m << (128 - sh)) : n;
	return 0;
}

/* ---- TBL, TBX ---- */

ALWAYS void tbl_common(struct a64_cpu *cpu, const struct a64_op *op, bool tbx, int bytes)
{
	uint8_t table[64];
	unsigned n = (unsigned)op->imm, len = 16 * n;
	for (unsigned i = 0; i < n; i++)
		memcpy(table + 16 * i, &cpu->v[(op->rn + i) & 31], 16);
	union a64_vreg idx = cpu->v[op->rm], r = cpu->v[op->rd];
	for (int i = 0; i < bytes; i++) {
		unsigned k = idx.b[i];
		if (k < len)
			r.b[i] = table[k];
		else if (!tbx)
			r.b[i] = 0;
	}
	if (bytes == 8)
		r.d[1] = 0;
	cpu->v[op->rd] = r;
}

SIMD_HANDLER(tbl_q0)
{
	tbl_common(cpu, op, false, 8);
	return 0;
}

SIMD_HANDLER(tbl_q1)
{
	tbl_common(cpu, op, false, 16);
	return 0;
}

SIMD_HANDLER(tbx_q0)
{
	tbl_common(cpu, op, true, 8);
	return 0;
}

SIMD_HANDLER(tbx_q1)
{
	tbl_common(cpu, op, true, 16);
	return 0;
}

/* ---- ZIP, UZP, TRN: lane loops the compiler turns into shuffles ---- */

#define PERM_BODY(EXPR)                                                        \
	UNUSED UV a = VREG(UV, op->rn), b = VREG(UV, op->rm);                  \
	UV r = {};                                                             \
	enum { N = (8 << Q) >> SZ, H = N / 2 };                                \
	for (int i = 0; i < N; i++)                                            \
		r[i] = (EXPR);                                                 \
	VREG(UV, op->rd) = r;                                                  \
	return 0;

/* x[k] of the concatenation a:b of two N-lane vectors */
#define CAT(k) ((k) < N ? a[(k)] : b[(k) - N])

#define PERM_HANDLERS(name, EXPR)                                              \
	PERM_H(name, EXPR, 0, vu8) PERM_H(name, EXPR, 1, vu16)                 \
	PERM_H(name, EXPR, 2, vu32) PERM_H(name, EXPR, 3, vu64)
#define PERM_H(name, EXPR, sz, UV_)                                            \
	SIMD_HANDLER(name##_##sz##_q0)                                         \
	{                                                                      \
		typedef UV_ UV UNUSED;                                                \
		enum { SZ = sz, Q = 0 };                                       \
		PERM_BODY(EXPR)                                                \
	}                                                                      \
	SIMD_HANDLER(name##_##sz##_q1)                                         \
	{                                                                      \
		typedef UV_ UV UNUSED;                                                \
		enum { SZ = sz, Q = 1 };                                       \
		PERM_BODY(EXPR)                                                \
	}

PERM_HANDLERS(zip1, (i & 1) ? b[i / 2] : a[i / 2])
PERM_HANDLERS(zip2, (i & 1) ? b[H + i / 2] : a[H + i / 2])
PERM_HANDLERS(uzp1, CAT(2 * i))
PERM_HANDLERS(uzp2, CAT(2 * i + 1))
PERM_HANDLERS(trn1, (i & 1) ? b[i - 1] : a[i])
PERM_HANDLERS(trn2, (i & 1) ? b[i] : a[i + 1])

#define PERM_TAB(name)                                                        \
	static const a64_handler perm_##name[4][2] = {                        \
		{ name##_0_q0, name##_0_q1 }, { name##_1_q0, name##_1_q1 },   \
		{ name##_2_q0, name##_2_q1 }, { name##_3_q0, name##_3_q1 } };
PERM_TAB(zip1)
PERM_TAB(zip2)
PERM_TAB(uzp1)
PERM_TAB(uzp2)
PERM_TAB(trn1)
PERM_TAB(trn2)

/* ---- MOVI, ORR, BIC (immediate) ---- */

SIMD_HANDLER(movi_q0)
{
	VREG(vu64, op->rd) = (vu64){ (uint64_t)op->imm, 0 };
	return 0;
}

SIMD_HANDLER(movi_q1)
{
	VREG(vu64, op->rd) = (vu64){ (uint64_t)op->imm, (uint64_t)op->imm };
	return 0;
}

SIMD_HANDLER(orri_q0)
{
	VREG(vu64, op->rd) = (vu64){ VREG(vu64, op->rd)[0] | (uint64_t)op->imm, 0 };
	return 0;
}

SIMD_HANDLER(orri_q1)
{
	VREG(vu64, op->rd) |= (vu64){ (uint64_t)op->imm, (uint64_t)op->imm };
	return 0;
}

SIMD_HANDLER(bici_q0)
{
	VREG(vu64, op->rd) = (vu64){ VREG(vu64, op->rd)[0] & ~(uint64_t)op->imm, 0 };
	return 0;
}

SIMD_HANDLER(bici_q1)
{
	VREG(vu64, op->rd) &= ~(vu64){ (uint64_t)op->imm, (uint64_t)op->imm };
	return 0;
}

/* ---- binding ---- */

static a64_handler bind_copy(const struct a64_op *op)
{
	static const a64_handler dup_elem[4][3] = {
		{ dup_elem_0_q0, dup_elem_0_q1, dup_elem_0_sc },
		{ dup_elem_1_q0, dup_elem_1_q1, dup_elem_1_sc },
		{ dup_elem_2_q0, dup_elem_2_q1, dup_elem_2_sc },
		{ dup_elem_3_q0, dup_elem_3_q1, dup_elem_3_sc },
	};
	static const a64_handler dup_gen[4][2] = {
		{ dup_gen_0_q0, dup_gen_0_q1 }, { dup_gen_1_q0, dup_gen_1_q1 },
		{ dup_gen_2_q0, dup_gen_2_q1 }, { dup_gen_3_q0, dup_gen_3_q1 },
	};
	static const a64_handler ins_elem[4] = { ins_elem_0, ins_elem_1, ins_elem_2, ins_elem_3 };
	static const a64_handler ins_gen[4] = { ins_gen_0, ins_gen_1, ins_gen_2, ins_gen_3 };
	static const a64_handler umov[4] = { umov_0, umov_1, umov_2, umov_3 };
	unsigned sz = op->size & 3, q = op->sf & 1;
	switch (op->kind) {
	case A64_SIMD_DUP_ELEM:
		return dup_elem[sz][(op->flags & A64_SIMD_F_SCALAR) ? 2 : q];
	case A64_SIMD_DUP_GEN: return dup_gen[sz][q];
	case A64_SIMD_INS_ELEM: return ins_elem[sz];
	case A64_SIMD_INS_GEN: return ins_gen[sz];
	case A64_SIMD_UMOV: return umov[sz];
	case A64_SIMD_SMOV: return op->sf ? smov_x : smov_w;
	default: return NULL;
	}
}

static a64_handler bind_perm(const struct a64_op *op)
{
	unsigned sz = op->size & 3, q = op->sf & 1;
	switch (op->kind) {
	case A64_SIMD_EXT: return q ? ext_q1 : ext_q0;
	case A64_SIMD_TBL: return q ? tbl_q1 : tbl_q0;
	case A64_SIMD_TBX: return q ? tbx_q1 : tbx_q0;
	case A64_SIMD_ZIP1: return perm_zip1[sz][q];
	case A64_SIMD_ZIP2: return perm_zip2[sz][q];
	case A64_SIMD_UZP1: return perm_uzp1[sz][q];
	case A64_SIMD_UZP2: return perm_uzp2[sz][q];
	case A64_SIMD_TRN1: return perm_trn1[sz][q];
	case A64_SIMD_TRN2: return perm_trn2[sz][q];
	case A64_SIMD_MOVI: return q ? movi_q1 : movi_q0;
	case A64_SIMD_ORR_IMM: return q ? orri_q1 : orri_q0;
	case A64_SIMD_BIC_IMM: return q ? bici_q1 : bici_q0;
	default: return bind_copy(op);
	}
}

a64_handler a64_bind_simd(const struct a64_op *op)
{
	if (op->cls != A64_CLS_SIMD)
		return NULL;
	a64_handler h = bind_perm(op);
	if (!h)
		h = simd_bind_int(op);
	if (!h)
		h = simd_bind_wide(op);
	if (!h)
		h = simd_bind_fp(op);
	return h;
}
