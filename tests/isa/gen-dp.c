/* tests/isa/gen-dp: data-processing instructions (immediate and register forms) and NZCV
 * moves. Every construct here is one instruction. Pure computation.
 * (In all gen-*.c files each random choice is its own declaration or statement, so the order
 * in which they are drawn, and hence a seed's sequence, does not depend on the compiler.) */
#include "gen.h"

#include "enc.h"

static uint32_t sf_of(struct gen *g)
{
	return chance(g, 60);
}

/* A small immediate more often than not: carries and zero results happen more. */
static uint32_t imm12(struct gen *g)
{
	return chance(g, 50) ? rnd(g, 16) : rnd(g, 4096);
}

static void addsub_imm(struct gen *g)
{
	uint32_t sf = sf_of(g), op = rnd(g, 2), s = rnd(g, 2), sh = rnd(g, 2), imm = imm12(g);
	uint32_t rn = (uint32_t)gpr_r(g);
	uint32_t rd = (uint32_t)(s ? gpr_w(g, true) : gpr_w_sp(g));
	emit(g, sf << 31 | op << 30 | s << 29 | 0x11000000u | sh << 22 | imm << 10 | rn << 5 | rd);
}

/* A valid bitmask immediate (N:immr:imms in place): element size 2..64, 1..size-1 ones, any
 * rotation. */
static uint32_t bitmask_fields(struct gen *g, uint32_t sf)
{
	uint32_t lg = 1 + rnd(g, sf ? 6 : 5), e = 1u << lg;
	uint32_t ones = rnd(g, e - 1), rot = rnd(g, e);
	uint32_t n = e == 64, imms = ((0x3fu << (lg + 1)) & 0x3f) | ones;
	return n << 22 | rot << 16 | imms << 10;
}

static void logical_imm(struct gen *g)
{
	uint32_t sf = sf_of(g), opc = rnd(g, 4), bm = bitmask_fields(g, sf);
	uint32_t rn = (uint32_t)gpr_r(g);
	uint32_t rd = (uint32_t)(opc == 3 ? gpr_w(g, true) : gpr_w_sp(g));
	emit(g, sf << 31 | opc << 29 | 0x12000000u | bm | rn << 5 | rd);
}

static void move_wide(struct gen *g)
{
	static const uint32_t opcs[] = {0, 2, 3}; /* MOVN MOVZ MOVK */
	uint32_t sf = sf_of(g), opc = opcs[rnd(g, 3)], hw = rnd(g, sf ? 4 : 2);
	uint32_t imm = chance(g, 30) ? rnd(g, 16) : rnd(g, 65536);
	uint32_t rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | opc << 29 | 0x12800000u | hw << 21 | imm << 5 | rd);
}

static void bitfield(struct gen *g)
{
	/* SBFM BFM UBFM */
	uint32_t sf = sf_of(g), size = sf ? 64 : 32, opc = rnd(g, 3);
	uint32_t immr = rnd(g, size), imms = rnd(g, size);
	uint32_t rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | opc << 29 | 0x13000000u | sf << 22 | immr << 16 | imms << 10 | rn << 5 |
			rd);
}

static void extract(struct gen *g)
{
	uint32_t sf = sf_of(g), lsb = rnd(g, sf ? 64 : 32);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | 0x13800000u | sf << 22 | rm << 16 | lsb << 10 | rn << 5 | rd);
}

static void pc_rel(struct gen *g)
{
	/* ADR, ADRP: the results depend on the PC, which is the same under both emulators */
	uint32_t op = rnd(g, 2), imm = (uint32_t)rng_next(&g->rng) & 0x1fffff;
	uint32_t rd = (uint32_t)gpr_w(g, true);
	emit(g, op << 31 | (imm & 3) << 29 | 0x10000000u | (imm >> 2) << 5 | rd);
}

static void logical_reg(struct gen *g)
{
	/* AND BIC ORR ORN EOR EON ANDS BICS, shifted LSL LSR ASR ROR */
	uint32_t sf = sf_of(g), opc = rnd(g, 4), shift = rnd(g, 4), n = rnd(g, 2);
	uint32_t amount = chance(g, 40) ? 0 : rnd(g, sf ? 64 : 32);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | opc << 29 | 0x0a000000u | shift << 22 | n << 21 | rm << 16 |
			amount << 10 | rn << 5 | rd);
}

static void addsub_shifted(struct gen *g)
{
	uint32_t sf = sf_of(g), op = rnd(g, 2), s = rnd(g, 2), shift = rnd(g, 3);
	uint32_t amount = chance(g, 40) ? 0 : rnd(g, sf ? 64 : 32);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | op << 30 | s << 29 | 0x0b000000u | shift << 22 | rm << 16 |
			amount << 10 | rn << 5 | rd);
}

static void addsub_extended(struct gen *g)
{
	uint32_t sf = sf_of(g), op = rnd(g, 2), s = rnd(g, 2), option = rnd(g, 8), amt = rnd(g, 5);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g);
	uint32_t rd = (uint32_t)(s ? gpr_w(g, true) : gpr_w_sp(g));
	emit(g, sf << 31 | op << 30 | s << 29 | 0x0b200000u | rm << 16 | option << 13 | amt << 10 |
			rn << 5 | rd);
}

static void add_carry(struct gen *g)
{
	/* ADC ADCS SBC SBCS */
	uint32_t sf = sf_of(g), op = rnd(g, 2), s = rnd(g, 2);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | op << 30 | s << 29 | 0x1a000000u | rm << 16 | rn << 5 | rd);
}

static void cond_compare(struct gen *g)
{
	/* CCMN CCMP, register or 5-bit immediate */
	uint32_t sf = sf_of(g), op = rnd(g, 2), cond = cond_any(g), nzcv = rnd(g, 16);
	uint32_t imm = rnd(g, 2), m = imm ? rnd(g, 32) : (uint32_t)gpr_r(g);
	uint32_t rn = (uint32_t)gpr_r(g);
	emit(g, sf << 31 | op << 30 | 0x3a400000u | imm << 11 | m << 16 | cond << 12 | rn << 5 |
			nzcv);
}

static void cond_select(struct gen *g)
{
	/* CSEL CSINC CSINV CSNEG */
	uint32_t sf = sf_of(g), op = rnd(g, 2), op2 = rnd(g, 2), cond = cond_any(g);
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | op << 30 | 0x1a800000u | rm << 16 | cond << 12 | op2 << 10 | rn << 5 |
			rd);
}

static void dp_1src(struct gen *g)
{
	/* RBIT, REV16, REV32 (X) or REV (W), REV (X), CLZ, CLS */
	uint32_t sf = sf_of(g), op = rnd(g, 6);
	if (!sf && op == 3)
		op = 2;
	uint32_t rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | 0x5ac00000u | op << 10 | rn << 5 | rd);
}

static void dp_2src(struct gen *g)
{
	/* UDIV SDIV LSLV LSRV ASRV RORV, CRC32{,C}{B,H,W,X} (X with sf=1, the others sf=0) */
	static const uint32_t ops[] = {2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23};
	uint32_t op = ops[rnd(g, 14)], sfr = sf_of(g);
	uint32_t sf = op >= 16 ? (op & 3) == 3 : sfr;
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | 0x1ac00000u | rm << 16 | op << 10 | rn << 5 | rd);
}

static void dp_3src(struct gen *g)
{
	/* MADD/MSUB; SMADDL/SMSUBL, UMADDL/UMSUBL; SMULH, UMULH (their Ra is 11111) */
	uint32_t k = rnd(g, 5), sf = 1, op31, o0 = rnd(g, 2), sfr = sf_of(g), hi = rnd(g, 2);
	uint32_t ra = (uint32_t)gpr_r(g);
	switch (k) {
	case 0: case 1: op31 = 0; sf = sfr; break;
	case 2: op31 = 1; break;
	case 3: op31 = 5; break;
	default: op31 = hi ? 2 : 6; o0 = 0; ra = 31; break;
	}
	uint32_t rm = (uint32_t)gpr_r(g), rn = (uint32_t)gpr_r(g), rd = (uint32_t)gpr_w(g, true);
	emit(g, sf << 31 | 0x1b000000u | op31 << 21 | rm << 16 | o0 << 15 | ra << 10 | rn << 5 | rd);
}

static void nzcv_move(struct gen *g)
{
	if (chance(g, 50))
		emit(g, enc_msr(SR_NZCV, gpr_r(g)));
	else
		emit(g, enc_mrs(gpr_w(g, true), SR_NZCV));
}

void dp_one(struct gen *g)
{
	static void (*const fns[])(struct gen *) = {
		addsub_imm, addsub_imm, logical_imm, logical_imm, move_wide, bitfield, bitfield,
		extract, pc_rel, logical_reg, logical_reg, addsub_shifted, addsub_shifted,
		addsub_extended, addsub_extended, add_carry, cond_compare, cond_compare,
		cond_select, cond_select, dp_1src, dp_2src, dp_2src, dp_3src, dp_3src, nzcv_move,
	};
	fns[rnd(g, sizeof fns / sizeof fns[0])](g);
}

void dp_emit(struct gen *g)
{
	dp_one(g);
}
