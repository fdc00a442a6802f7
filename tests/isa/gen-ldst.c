/* tests/isa/gen-ldst: the load/store class: base registers and offsets (shared by the other
 * load/store generators through ldst.h), single-register loads and stores in every addressing
 * mode (general and SIMD&FP, sign-extending, unprivileged, prefetch), pairs, and PC-relative
 * literals. Pure computation. */
#include "ldst.h"

#include "enc.h"

static int fdiv(int a, int b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int cdiv(int a, int b)
{
	return -fdiv(-a, b);
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

/* Where a pinned base may be: far enough from the ends for any access at offset 0. */
#define PIN_LO 32
#define PIN_HI (SCRATCH_SIZE - 64)

void range_access(int *lo, int *hi, int base, int s, int bytes)
{
	*lo = imax(*lo, cdiv(-base, s));
	*hi = imin(*hi, fdiv(SCRATCH_SIZE - bytes - base, s));
}

void range_pinned(int *lo, int *hi, const struct base *b, int s)
{
	if (!b->pinned)
		return;
	*lo = imax(*lo, cdiv(PIN_LO - b->off, s));
	*hi = imin(*hi, fdiv(PIN_HI - b->off, s));
}

int sp_mult(const struct base *b, int s)
{
	return b->reg == 31 && s < 16 ? 16 / s : 1;
}

bool pick_in(struct gen *g, int lo, int hi, int mult, int *out)
{
	int l = cdiv(lo, mult), h = fdiv(hi, mult);
	if (l > h)
		return false;
	int64_t i;
	if (chance(g, 15))
		i = chance(g, 50) ? l : h; /* the edges of what is allowed */
	else
		i = rng_range(&g->rng, l, h);
	*out = (int)i * mult;
	return true;
}

bool base_wb_ok(const struct gen *g, const struct base *b)
{
	return !b->pinned || g->cond == 0;
}

void base_moved(struct gen *g, struct base *b, int new_off)
{
	b->off = new_off;
	if (b->reg == 31 && b->pinned)
		g->offsp = new_off;
	else if (b->reg == REG_PINNED)
		g->off28 = new_off;
}

bool base_pick(struct gen *g, struct base *b, bool temp_ok, int align, int bytes)
{
	bool sp_ok = !g->sp_write;
	bool x28_ok = (align <= 1 || g->off28 % align == 0) && g->off28 + bytes <= SCRATCH_SIZE;
	sp_ok = sp_ok && (align <= 16) && g->offsp + bytes <= SCRATCH_SIZE;
	temp_ok = temp_ok && room(g) >= 2;
	uint32_t k = rnd(g, 10);
	if (temp_ok && (k < 4 || (!x28_ok && !sp_ok))) {
		int a = align > 1 ? align : 1;
		int off = a * (int)rnd(g, (uint32_t)((SCRATCH_SIZE - bytes) / a + 1));
		bool from_sp = !g->sp_write && chance(g, 30);
		int src = from_sp ? 31 : REG_PINNED, src_off = from_sp ? g->offsp : g->off28;
		int reg = gpr_w(g, false);
		g->keep |= 1u << reg;
		if (off >= src_off)
			emit(g, enc_add_imm(reg, src, (uint32_t)(off - src_off)));
		else
			emit(g, enc_sub_imm(reg, src, (uint32_t)(src_off - off)));
		*b = (struct base){reg, off, false};
		return true;
	}
	if (sp_ok && (k < 7 || !x28_ok)) {
		*b = (struct base){31, g->offsp, true};
		return true;
	}
	if (x28_ok) {
		*b = (struct base){REG_PINNED, g->off28, true};
		return true;
	}
	return false;
}

int gpr_r_not(struct gen *g, int not)
{
	int r;
	do
		r = gpr_r(g);
	while (r == not && not != 31);
	return r;
}

void emit_mov_small(struct gen *g, int reg, int64_t v)
{
	if (v >= 0)
		emit(g, enc_movz(1, reg, (uint32_t)v, 0));
	else
		emit(g, enc_movn(1, reg, (uint32_t)~v, 0));
}

/* ---- single register ---- */

enum mode { M_UOFF, M_UNSCALED, M_POST, M_PRE, M_UNPRIV, M_REG };

bool ldst_single(struct gen *g)
{
	uint32_t v = chance(g, 35), size, opc, t = rnd(g, v ? 5 : 16);
	bool load, prfm = false;
	if (!v) {
		if (t < 4 || t == 14) { /* STR B H W X */
			size = t & 3; opc = 0; load = false;
		} else if (t < 8 || t == 15) { /* LDR B H W X */
			size = t & 3; opc = 1; load = true;
		} else if (t < 11) { /* LDRSB LDRSH LDRSW to X */
			size = t - 8; opc = 2; load = true;
		} else if (t < 13) { /* LDRSB LDRSH to W */
			size = t - 11; opc = 3; load = true;
		} else { /* PRFM */
			size = 3; opc = 2; load = false; prfm = true;
		}
	} else {
		load = chance(g, 50);
		size = t == 4 ? 0 : t;
		opc = (t == 4 ? 2 : 0) | load;
	}
	int bytes = v && t == 4 ? 16 : 1 << size, lg = v && t == 4 ? 4 : (int)size;
	uint32_t saved_keep = g->keep;
	static const enum mode modes[] = {M_UOFF, M_UOFF, M_UNSCALED, M_POST, M_PRE, M_UNPRIV,
					  M_REG, M_REG};
	enum mode m = modes[rnd(g, 8)];
	if (prfm && (m == M_POST || m == M_PRE || m == M_UNPRIV))
		m = M_UOFF;
	if (v && m == M_UNPRIV)
		m = M_UNSCALED;
	struct base b;
	if (!base_pick(g, &b, room(g) >= (m == M_REG ? 3 : 2), 1, bytes))
		return false;
	if ((m == M_POST || m == M_PRE) && !base_wb_ok(g, &b))
		m = M_UNSCALED;
	if (m == M_REG && room(g) < 2)
		m = M_UOFF;
	bool wb = m == M_POST || m == M_PRE;
	uint32_t rt;
	if (prfm)
		rt = rnd(g, 3) << 3 | rnd(g, 3) << 1 | rnd(g, 2);
	else if (v)
		rt = (uint32_t)(load ? vreg_w(g) : vreg_r(g));
	else if (load)
		rt = (uint32_t)gpr_w(g, true);
	else
		rt = (uint32_t)(wb ? gpr_r_not(g, b.reg) : gpr_r(g));
	uint32_t fixed = size << 30 | v << 26 | opc << 22 | (uint32_t)b.reg << 5 | rt, w;
	int lo, hi, i;
	switch (m) {
	case M_UOFF:
		lo = 0, hi = 4095;
		range_access(&lo, &hi, b.off, bytes, bytes);
		if (!pick_in(g, lo, hi, 1, &i))
			i = 0;
		w = 0x39000000u | fixed | (uint32_t)i << 10;
		break;
	case M_UNSCALED:
	case M_UNPRIV:
		lo = -256, hi = 255;
		range_access(&lo, &hi, b.off, 1, bytes);
		if (!pick_in(g, lo, hi, 1, &i))
			i = 0;
		w = 0x38000000u | fixed | ((uint32_t)i & 0x1ff) << 12 | (m == M_UNPRIV ? 2u : 0u) << 10;
		break;
	case M_POST:
	case M_PRE:
		lo = -256, hi = 255;
		if (m == M_PRE)
			range_access(&lo, &hi, b.off, 1, bytes);
		range_pinned(&lo, &hi, &b, 1);
		if (!pick_in(g, lo, hi, sp_mult(&b, 1), &i))
			i = 0;
		w = 0x38000000u | fixed | ((uint32_t)i & 0x1ff) << 12 | (m == M_PRE ? 3u : 1u) << 10;
		base_moved(g, &b, b.off + i);
		break;
	default: { /* register offset: UXTW, LSL (UXTX), SXTW, SXTX; scaled or not */
		static const uint32_t options[] = {2, 3, 6, 7};
		uint32_t option = options[rnd(g, 4)], s = rnd(g, 2);
		int shift = s ? lg : 0, rm = 31;
		if (chance(g, 85)) {
			rm = gpr_w(g, false);
			lo = option == 2 ? 0 : -4096, hi = 4096;
			range_access(&lo, &hi, b.off, 1 << shift, bytes);
			if (!pick_in(g, lo, hi, 1, &i))
				i = 0;
			emit_mov_small(g, rm, i);
			if ((option & 3) == 2 && room(g) >= 2 && chance(g, 50)) /* junk in bits 63:48 */
				emit(g, 0xf2e00000u | rnd(g, 65536) << 5 | (uint32_t)rm);
		}
		w = 0x38200800u | fixed | (uint32_t)rm << 16 | option << 13 | s << 12;
		break;
	}
	}
	emit(g, w);
	g->keep = saved_keep;
	return true;
}

/* ---- pairs ---- */

bool ldst_pair(struct gen *g)
{
	/* V=0: W (opc 0), LDPSW (1), X (2); V=1: S (0), D (1), Q (2) */
	uint32_t v = chance(g, 40), opc = rnd(g, 3), load = rnd(g, 2), mode = rnd(g, 4);
	if (!v && opc == 1)
		load = 1, mode = mode ? mode : 2; /* LDPSW has no non-temporal form */
	int esize = v ? 4 << opc : (opc == 2 ? 8 : 4);
	uint32_t saved_keep = g->keep;
	struct base b;
	if (!base_pick(g, &b, true, 1, 2 * esize))
		return false;
	bool wb = mode == 1 || mode == 3;
	if (wb && !base_wb_ok(g, &b))
		mode = 2, wb = false;
	uint32_t rt, rt2;
	if (v && load) {
		rt = (uint32_t)vreg_w(g);
		do
			rt2 = (uint32_t)vreg_w(g);
		while (rt2 == rt);
	} else if (v) {
		rt = (uint32_t)vreg_r(g);
		rt2 = (uint32_t)vreg_r(g);
	} else if (load) {
		rt = (uint32_t)gpr_w(g, true);
		do
			rt2 = (uint32_t)gpr_w(g, true);
		while (rt2 == rt);
	} else {
		rt = (uint32_t)(wb ? gpr_r_not(g, b.reg) : gpr_r(g));
		rt2 = (uint32_t)(wb ? gpr_r_not(g, b.reg) : gpr_r(g));
	}
	int lo = -64, hi = 63, i;
	if (mode != 1)
		range_access(&lo, &hi, b.off, esize, 2 * esize);
	if (wb)
		range_pinned(&lo, &hi, &b, esize);
	if (!pick_in(g, lo, hi, wb ? sp_mult(&b, esize) : 1, &i))
		i = 0;
	emit(g, opc << 30 | 0x28000000u | v << 26 | mode << 23 | load << 22 |
			((uint32_t)i & 0x7f) << 15 | rt2 << 10 | (uint32_t)b.reg << 5 | rt);
	if (wb)
		base_moved(g, &b, b.off + i * esize);
	g->keep = saved_keep;
	return true;
}

/* ---- literal: loads from the code already behind (the prologue and earlier instructions,
 * which a bisection's shortened sequence leaves unchanged) ---- */

bool ldst_literal(struct gen *g)
{
	/* V=0: LDR W, LDR X, LDRSW, PRFM; V=1: LDR S, D, Q */
	uint32_t v = chance(g, 40), opc = rnd(g, v ? 3 : 4), rt;
	if (v)
		rt = (uint32_t)vreg_w(g);
	else if (opc == 3)
		rt = rnd(g, 3) << 3 | rnd(g, 3) << 1 | rnd(g, 2);
	else
		rt = (uint32_t)gpr_w(g, true);
	int at = g->s->n;
	int target = (int)rng_range(&g->rng, -PROLOGUE_LEN, at - 4);
	emit(g, opc << 30 | 0x18000000u | v << 26 | ((uint32_t)(target - at) & 0x7ffff) << 5 | rt);
	return true;
}

void ldst_emit(struct gen *g)
{
	static bool (*const fns[])(struct gen *) = {
		ldst_single, ldst_single, ldst_single, ldst_single, ldst_single, ldst_pair,
		ldst_pair, ldst_pair, ldst_literal, ldst_exclusive, ldst_exclusive, ldst_acqrel,
		ldst_atomic, ldst_atomic, ldst_cas, ldst_struct, ldst_struct, ldst_struct,
	};
	for (int tries = 0; tries < 8; tries++)
		if (fns[rnd(g, sizeof fns / sizeof fns[0])](g))
			return;
	ldst_single(g); /* x28 with offset 0 always fits */
}
