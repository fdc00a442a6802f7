/* tests/isa/gen-atomic: exclusives (LDXR/STXR and pairs, with acquire/release forms),
 * load-acquire/store-release, and LSE atomics (LD<op>, ST<op>, SWP, CAS, CASP). Accesses are
 * naturally aligned, as they must be without FEAT_LSE2; a store-exclusive either follows its
 * load-exclusive to the same address and size with only register arithmetic in between (it
 * succeeds), or has no open monitor (after CLREX, or alone: it fails). Pure computation. */
#include "ldst.h"

/* Exclusive and ordered encodings: size<<30 | 0x08000000 | o2<<23 | L<<22 | o1<<21 | Rs<<16 |
 * o0<<15 | Rt2<<10 | Rn<<5 | Rt. */
static uint32_t excl(uint32_t size, uint32_t bits, uint32_t rs, uint32_t o0, uint32_t rt2,
		     uint32_t rn, uint32_t rt)
{
	return size << 30 | 0x08000000u | bits | rs << 16 | o0 << 15 | rt2 << 10 | rn << 5 | rt;
}

#define EX_L (1u << 22)
#define EX_O1 (1u << 21)
#define EX_O2 (1u << 23)

bool ldst_exclusive(struct gen *g)
{
	/* kind 0..5: LDXR..STXR; 6,7: LDXP..STXP; 8: LDXR, CLREX, STXR; 9: STXR alone */
	uint32_t kind = rnd(g, 10), pair = kind == 6 || kind == 7;
	uint32_t size = pair ? 2 + rnd(g, 2) : rnd(g, 4);
	uint32_t lo0 = rnd(g, 2), so0 = rnd(g, 2);
	int esize = 1 << size, need = kind == 9 ? 1 : kind == 8 ? 3 : 2;
	if (room(g) < need)
		return false;
	uint32_t saved_keep = g->keep;
	struct base b;
	if (!base_pick(g, &b, room(g) >= need + 1, pair ? 2 * esize : esize,
		       pair ? 2 * esize : esize)) {
		g->keep = saved_keep;
		return false;
	}
	uint32_t rn = (uint32_t)b.reg, bits = pair ? EX_O1 : 0;
	if (kind != 9) {
		uint32_t rt = (uint32_t)gpr_w(g, false), rt2 = 31;
		if (pair)
			do
				rt2 = (uint32_t)gpr_w(g, false);
			while (rt2 == rt);
		emit(g, excl(size, EX_L | bits, 31, lo0, rt2, rn, rt));
		int fill = room(g) - (kind == 8 ? 2 : 1);
		fill = fill > 2 ? (int)rnd(g, 3) : 0;
		for (int i = 0; i < fill; i++)
			dp_one(g);
		if (kind == 8)
			emit(g, 0xd5033f5fu); /* CLREX */
	}
	uint32_t rs = (uint32_t)gpr_w(g, false), rt, rt2 = 31;
	do /* the status register must differ from the data and address registers */
		rt = (uint32_t)gpr_r(g);
	while (rt == rs || (rt == rn && rn != 31));
	if (pair)
		do
			rt2 = (uint32_t)gpr_r(g);
		while (rt2 == rs || (rt2 == rn && rn != 31));
	emit(g, excl(size, bits, rs, so0, rt2, rn, rt));
	g->keep = saved_keep;
	return true;
}

bool ldst_acqrel(struct gen *g)
{
	/* LDAR / STLR, B H W X */
	uint32_t size = rnd(g, 4), load = rnd(g, 2);
	uint32_t saved_keep = g->keep;
	struct base b;
	if (!base_pick(g, &b, true, 1 << size, 1 << size)) {
		g->keep = saved_keep;
		return false;
	}
	uint32_t rt = (uint32_t)(load ? gpr_w(g, true) : gpr_r(g));
	emit(g, excl(size, EX_O2 | (load ? EX_L : 0), 31, 1, 31, (uint32_t)b.reg, rt));
	g->keep = saved_keep;
	return true;
}

bool ldst_atomic(struct gen *g)
{
	/* LDADD LDCLR LDEOR LDSET LDSMAX LDSMIN LDUMAX LDUMIN (ST<op> when Rt is ZR), SWP;
	 * each with acquire (A) and release (R) forms, B H W X */
	uint32_t size = rnd(g, 4), op = rnd(g, 9), a = rnd(g, 2), r = rnd(g, 2);
	uint32_t saved_keep = g->keep;
	struct base b;
	if (!base_pick(g, &b, true, 1 << size, 1 << size)) {
		g->keep = saved_keep;
		return false;
	}
	uint32_t rs = (uint32_t)gpr_r(g), rt = (uint32_t)gpr_w(g, true);
	uint32_t o3 = op == 8, opc = op == 8 ? 0 : op;
	emit(g, size << 30 | 0x38200000u | a << 23 | r << 22 | rs << 16 | o3 << 15 | opc << 12 |
			(uint32_t)b.reg << 5 | rt);
	g->keep = saved_keep;
	return true;
}

/* An even register whose pair (r, r+1) may be written. */
static uint32_t even_pair_w(struct gen *g)
{
	uint32_t r;
	do
		r = 2 * rnd(g, 14); /* 0..26 */
	while (g->keep & (3u << r));
	return r;
}

bool ldst_cas(struct gen *g)
{
	/* CAS{,A,L,AL} B H W X, CASP{,A,L,AL} W X; half the time the compare value is first
	 * loaded from memory, so the swap happens */
	uint32_t pair = chance(g, 35), size = pair ? 2 + rnd(g, 2) : rnd(g, 4);
	uint32_t l = rnd(g, 2), o0 = rnd(g, 2), hit = rnd(g, 2);
	int bytes = (pair ? 2 : 1) << size;
	uint32_t saved_keep = g->keep;
	struct base b;
	if (room(g) < 1 + (int)hit || !base_pick(g, &b, room(g) >= 2 + (int)hit, bytes, bytes)) {
		g->keep = saved_keep;
		return false;
	}
	uint32_t rn = (uint32_t)b.reg;
	if (pair) {
		uint32_t rs = even_pair_w(g), rt = 2 * rnd(g, 14);
		if (hit) /* LDP Ws, Ws+1, [base] (W or X) */
			emit(g, (size == 3 ? 2u : 0u) << 30 | 0x29400000u | (rs + 1) << 10 | rn << 5 |
					rs);
		emit(g, (size - 2) << 30 | 0x08207c00u | l << 22 | rs << 16 | o0 << 15 | rn << 5 | rt);
	} else {
		uint32_t rs = (uint32_t)gpr_w(g, false), rt = (uint32_t)gpr_r(g);
		if (hit) /* LDR{B,H,,} Rs, [base] */
			emit(g, size << 30 | 0x39400000u | rn << 5 | rs);
		emit(g, size << 30 | 0x08a07c00u | l << 22 | rs << 16 | o0 << 15 | rn << 5 | rt);
	}
	g->keep = saved_keep;
	return true;
}
