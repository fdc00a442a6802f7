/* tests/isa/gen-simd-perm: Advanced SIMD data movement: UZP/ZIP/TRN, EXT, TBL/TBX, DUP (element
 * and general), INS (general and element), SMOV/UMOV, and the modified immediates (MOVI, MVNI,
 * ORR, BIC, FMOV vector). Pure computation. */
#include "simd.h"

static void permute(struct gen *g)
{
	/* UZP1 TRN1 ZIP1 UZP2 TRN2 ZIP2 */
	static const uint32_t ops[] = {1, 2, 3, 5, 6, 7};
	uint32_t op = ops[rnd(g, 6)], size = rnd(g, 4), q = simd_q(g, size);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | 0x0e000800u | size << 22 | rm << 16 | op << 12 | rn << 5 | rd);
}

static void extract(struct gen *g)
{
	uint32_t q = rnd(g, 2), imm4 = rnd(g, q ? 16 : 8);
	uint32_t rm = (uint32_t)vreg_r(g), rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	emit(g, q << 30 | 0x2e000000u | rm << 16 | imm4 << 11 | rn << 5 | rd);
}

static uint32_t tbl(struct gen *g, uint32_t rm)
{
	/* TBL TBX with 1..4 table registers (consecutive, wrapping at v31) */
	uint32_t q = rnd(g, 2), len = rnd(g, 4), op = rnd(g, 2);
	uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
	return q << 30 | 0x0e000000u | rm << 16 | len << 13 | op << 12 | rn << 5 | rd;
}

void simd_table_lookup(struct gen *g)
{
	/* USHR Vm.16B, Vx.16B, #2..4: indices below 64, 32 or 16 */
	uint32_t sh = 2 + rnd(g, 3), rx = (uint32_t)vreg_r(g), rm = (uint32_t)vreg_w(g);
	emit(g, 0x6f000400u | (16 - sh) << 16 | rx << 5 | rm);
	emit(g, tbl(g, rm));
}

/* imm5 for an element of size esz at index idx. */
static uint32_t imm5(uint32_t esz, uint32_t idx)
{
	return (idx << (esz + 1) | 1u << esz) & 31;
}

static void copy(struct gen *g)
{
	uint32_t kind = rnd(g, 6), esz = rnd(g, 4), idx = rnd(g, 16u >> esz), q = rnd(g, 2);
	uint32_t w;
	switch (kind) {
	case 0: { /* DUP Vd.T, Vn.Ts[idx] */
		uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
		w = simd_q(g, esz) << 30 | 0x0e000400u | imm5(esz, idx) << 16 | rn << 5 | rd;
		break;
	}
	case 1: { /* DUP Vd.T, Rn */
		uint32_t rn = (uint32_t)gpr_r(g), rd = (uint32_t)vreg_w(g);
		w = simd_q(g, esz) << 30 | 0x0e000c00u | (1u << esz) << 16 | rn << 5 | rd;
		break;
	}
	case 2: { /* INS Vd.Ts[idx], Rn */
		uint32_t rn = (uint32_t)gpr_r(g), rd = (uint32_t)vreg_w(g);
		w = 0x4e001c00u | imm5(esz, idx) << 16 | rn << 5 | rd;
		break;
	}
	case 3: { /* INS Vd.Ts[idx], Vn.Ts[idx2] */
		uint32_t idx2 = rnd(g, 16u >> esz);
		uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)vreg_w(g);
		w = 0x6e000400u | imm5(esz, idx) << 16 | (idx2 << esz) << 11 | rn << 5 | rd;
		break;
	}
	case 4: { /* SMOV Wd (B, H) or Xd (B, H, S) */
		esz = q ? esz % 3 : esz % 2;
		idx %= 16u >> esz;
		uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)gpr_w(g, true);
		w = q << 30 | 0x0e002c00u | imm5(esz, idx) << 16 | rn << 5 | rd;
		break;
	}
	default: { /* UMOV Wd (B, H, S) or Xd (D) */
		esz = q ? 3 : esz % 3;
		idx %= 16u >> esz;
		uint32_t rn = (uint32_t)vreg_r(g), rd = (uint32_t)gpr_w(g, true);
		w = q << 30 | 0x0e003c00u | imm5(esz, idx) << 16 | rn << 5 | rd;
		break;
	}
	}
	emit(g, w);
}

static void mod_imm(struct gen *g)
{
	/* op 0: MOVI (32-bit shifted, 16-bit shifted, ones-shifting, 8-bit), ORR, FMOV 4S/2S;
	 * op 1: MVNI, BIC, MOVI 64-bit (D or 2D), FMOV 2D (Q=1 only) */
	uint32_t op = rnd(g, 2), cmode = rnd(g, 16), q = rnd(g, 2), imm8 = rnd(g, 256);
	uint32_t rd = (uint32_t)vreg_w(g);
	if (op && cmode == 15)
		q = 1;
	emit(g, q << 30 | op << 29 | 0x0f000400u | (imm8 >> 5) << 16 | cmode << 12 | (imm8 & 31) << 5 |
			rd);
}

void simd_perm_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		permute, permute, extract, copy, copy, copy, mod_imm,
	};
	uint32_t k = rnd(g, sizeof fns / sizeof fns[0] + 1);
	if (k == sizeof fns / sizeof fns[0]) { /* TBL/TBX with whatever the index vector holds */
		uint32_t rm = (uint32_t)vreg_r(g);
		emit(g, tbl(g, rm));
	} else {
		fns[k](g);
	}
}
