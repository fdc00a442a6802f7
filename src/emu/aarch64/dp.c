/* emu/aarch64/dp: front end for data processing, immediate (bits 28:26 = 100) and register
 * (bits 27:25 = 101), Arm ARM C4.1.86 and C4.1.95. Turns an encoding into a struct a64_op whose
 * kinds and fields dp.h defines; everything derivable at decode time (bitmask immediates,
 * bitfield masks and positions, ADR targets, move-wide values) is computed here. Pure: no CPU
 * state, no memory. Encodings that are unallocated, or belong to features the CPU does not
 * advertise, stay A64_CLS_INVALID. */
#include "emu/aarch64/dp.h"

static inline unsigned field(uint32_t insn, unsigned lo, unsigned n)
{
	return (insn >> lo) & ((1u << n) - 1);
}

/* The encoding's register 31 as a source (zero register) or destination (discarded write). */
static inline uint8_t src_reg(unsigned r)
{
	return r == 31 ? REG_ZR : (uint8_t)r;
}

static inline uint8_t dst_reg(unsigned r)
{
	return r == 31 ? REG_ZW : (uint8_t)r;
}

static inline uint64_t width_mask(unsigned w)
{
	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

/* DecodeBitMasks for the logical immediates: the N:immr:imms element pattern replicated to the
 * register's width. False for the reserved encodings (element size field empty, an all-ones
 * element, N = 1 at 32 bits). */
static bool decode_bitmask(unsigned n, unsigned immr, unsigned imms, bool sf, uint64_t *mask)
{
	unsigned v = (n << 6) | (~imms & 0x3f);
	if (!sf && n)
		return false;
	if (v < 2) /* no size bit, or element size 1 */
		return false;
	unsigned len = 31 - (unsigned)__builtin_clz(v);
	unsigned esize = 1u << len, levels = esize - 1;
	unsigned s = imms & levels, r = immr & levels;
	if (s == levels)
		return false;
	uint64_t emask = width_mask(esize);
	uint64_t e = width_mask(s + 1);
	if (r)
		e = ((e >> r) | (e << (esize - r))) & emask;
	for (unsigned w = esize; w < 64; w <<= 1)
		e |= e << w;
	*mask = sf ? e : (uint32_t)e;
	return true;
}

/* ---- data processing, immediate ---- */

static bool decode_pcrel(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	int64_t off = (int64_t)((uint64_t)(field(insn, 5, 19) << 2 | field(insn, 29, 2)) << 43) >> 43;
	op->sf = 1;
	op->rd = dst_reg(field(insn, 0, 5));
	if (insn >> 31) {
		op->kind = A64_DP_ADRP;
		op->imm = (int64_t)((pc & ~0xfffull) + ((uint64_t)off << 12));
	} else {
		op->kind = A64_DP_ADR;
		op->imm = (int64_t)(pc + (uint64_t)off);
	}
	return true;
}

static bool decode_addsub_imm(uint32_t insn, struct a64_op *op)
{
	bool sub = insn >> 30 & 1, s = insn >> 29 & 1;
	op->sf = insn >> 31;
	op->kind = sub ? A64_DP_SUB_IMM : A64_DP_ADD_IMM;
	op->flags = s ? A64_DP_F_S : 0;
	op->rn = (uint8_t)field(insn, 5, 5); /* SP */
	op->rd = s ? dst_reg(field(insn, 0, 5)) : (uint8_t)field(insn, 0, 5);
	op->imm = (int64_t)field(insn, 10, 12) << (insn >> 22 & 1 ? 12 : 0);
	return true;
}

static bool decode_logical_imm(uint32_t insn, struct a64_op *op)
{
	static const uint8_t kinds[4] = { A64_DP_AND_IMM, A64_DP_ORR_IMM, A64_DP_EOR_IMM, A64_DP_AND_IMM };
	unsigned opc = field(insn, 29, 2);
	uint64_t mask;
	op->sf = insn >> 31;
	if (!decode_bitmask(insn >> 22 & 1, field(insn, 16, 6), field(insn, 10, 6), op->sf, &mask))
		return false;
	op->kind = kinds[opc];
	op->flags = opc == 3 ? A64_DP_F_S : 0;
	op->rn = src_reg(field(insn, 5, 5));
	op->rd = opc == 3 ? dst_reg(field(insn, 0, 5)) : (uint8_t)field(insn, 0, 5); /* SP */
	op->imm = (int64_t)mask;
	return true;
}

static bool decode_movewide(uint32_t insn, struct a64_op *op)
{
	unsigned opc = field(insn, 29, 2), hw = field(insn, 21, 2);
	op->sf = insn >> 31;
	if (opc == 1 || (!op->sf && hw >= 2))
		return false;
	uint64_t regmask = op->sf ? ~0ull : 0xffffffffull;
	uint64_t v = (uint64_t)field(insn, 5, 16) << (hw * 16);
	op->rd = dst_reg(field(insn, 0, 5));
	op->shift = (uint8_t)(hw * 16);
	switch (opc) {
	case 0:
		op->kind = A64_DP_MOVN;
		op->imm = (int64_t)(~v & regmask);
		break;
	case 2:
		op->kind = A64_DP_MOVZ;
		op->imm = (int64_t)v;
		break;
	default:
		op->kind = A64_DP_MOVK;
		op->imm = (int64_t)v;
		op->imm2 = (int64_t)(~(0xffffull << op->shift) & regmask);
		break;
	}
	return true;
}

/* SBFM, BFM, UBFM, as the alias they are: a field extracted (imms >= immr) or inserted. */
static bool decode_bitfield(uint32_t insn, struct a64_op *op)
{
	static const uint8_t extract[3] = { A64_DP_SBFX, A64_DP_BFXIL, A64_DP_UBFX };
	static const uint8_t insert[3] = { A64_DP_SBFIZ, A64_DP_BFI, A64_DP_UBFIZ };
	unsigned opc = field(insn, 29, 2), n = insn >> 22 & 1;
	unsigned immr = field(insn, 16, 6), imms = field(insn, 10, 6);
	op->sf = insn >> 31;
	unsigned width = op->sf ? 64 : 32;
	if (opc == 3 || n != op->sf || immr >= width || imms >= width)
		return false;
	unsigned lsb, w;
	if (imms >= immr) {
		op->kind = extract[opc];
		lsb = immr;
		w = imms - immr + 1;
	} else {
		op->kind = insert[opc];
		lsb = width - immr;
		w = imms + 1;
	}
	op->rd = dst_reg(field(insn, 0, 5));
	op->rn = src_reg(field(insn, 5, 5));
	op->shift = (uint8_t)lsb;
	op->size = (uint8_t)w;
	op->imm = (int64_t)width_mask(w);
	if (op->kind == A64_DP_BFXIL)
		op->imm2 = (int64_t)(~width_mask(w) & width_mask(width));
	else if (op->kind == A64_DP_BFI)
		op->imm2 = (int64_t)(~(width_mask(w) << lsb) & width_mask(width));
	return true;
}

static bool decode_extract(uint32_t insn, struct a64_op *op)
{
	unsigned imms = field(insn, 10, 6);
	op->sf = insn >> 31;
	/* op21 = 00, o0 = 0, N = sf; imms < 32 at 32 bits */
	if (field(insn, 29, 2) || (insn >> 21 & 1) || (insn >> 22 & 1) != op->sf ||
	    (!op->sf && imms >= 32))
		return false;
	op->kind = A64_DP_EXTR;
	op->rd = dst_reg(field(insn, 0, 5));
	op->rn = src_reg(field(insn, 5, 5));
	op->rm = src_reg(field(insn, 16, 5));
	op->shift = (uint8_t)imms;
	return true;
}

static bool decode_imm(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	switch (field(insn, 23, 3)) {
	case 0: case 1: return decode_pcrel(insn, pc, op);
	case 2: return decode_addsub_imm(insn, op);
	case 4: return decode_logical_imm(insn, op);
	case 5: return decode_movewide(insn, op);
	case 6: return decode_bitfield(insn, op);
	case 7: return decode_extract(insn, op);
	default: return false; /* 3: with tags (MTE), min/max (CSSC) */
	}
}

/* ---- data processing, register ---- */

static void three_regs(uint32_t insn, struct a64_op *op)
{
	op->sf = insn >> 31;
	op->rd = dst_reg(field(insn, 0, 5));
	op->rn = src_reg(field(insn, 5, 5));
	op->rm = src_reg(field(insn, 16, 5));
}

static bool decode_logical_sreg(uint32_t insn, struct a64_op *op)
{
	static const uint8_t kinds[8] = {
		A64_DP_AND_SREG, A64_DP_BIC_SREG, A64_DP_ORR_SREG, A64_DP_ORN_SREG,
		A64_DP_EOR_SREG, A64_DP_EON_SREG, A64_DP_AND_SREG, A64_DP_BIC_SREG,
	};
	unsigned opc = field(insn, 29, 2), amount = field(insn, 10, 6);
	three_regs(insn, op);
	if (!op->sf && amount >= 32)
		return false;
	op->kind = kinds[opc << 1 | (insn >> 21 & 1)];
	op->flags = opc == 3 ? A64_DP_F_S : 0;
	op->shift = (uint8_t)amount;
	op->ext = amount ? (uint8_t)field(insn, 22, 2) : A64_DP_SHIFT_LSL;
	return true;
}

static bool decode_addsub_sreg(uint32_t insn, struct a64_op *op)
{
	unsigned type = field(insn, 22, 2), amount = field(insn, 10, 6);
	three_regs(insn, op);
	if (type == A64_DP_SHIFT_ROR || (!op->sf && amount >= 32))
		return false;
	op->kind = insn >> 30 & 1 ? A64_DP_SUB_SREG : A64_DP_ADD_SREG;
	op->flags = insn >> 29 & 1 ? A64_DP_F_S : 0;
	op->shift = (uint8_t)amount;
	op->ext = amount ? (uint8_t)type : A64_DP_SHIFT_LSL;
	return true;
}

static bool decode_addsub_xreg(uint32_t insn, struct a64_op *op)
{
	unsigned amount = field(insn, 10, 3);
	bool s = insn >> 29 & 1;
	if (field(insn, 22, 2) || amount > 4)
		return false;
	op->sf = insn >> 31;
	op->kind = insn >> 30 & 1 ? A64_DP_SUB_XREG : A64_DP_ADD_XREG;
	op->flags = s ? A64_DP_F_S : 0;
	op->rd = s ? dst_reg(field(insn, 0, 5)) : (uint8_t)field(insn, 0, 5); /* SP */
	op->rn = (uint8_t)field(insn, 5, 5);                                  /* SP */
	op->rm = src_reg(field(insn, 16, 5));
	op->ext = (uint8_t)field(insn, 13, 3);
	op->shift = (uint8_t)amount;
	return true;
}

static bool decode_adc(uint32_t insn, struct a64_op *op)
{
	if (field(insn, 10, 6)) /* RMIF, SETF8/16 (FlagM) */
		return false;
	three_regs(insn, op);
	op->kind = insn >> 30 & 1 ? A64_DP_SBC : A64_DP_ADC;
	op->flags = insn >> 29 & 1 ? A64_DP_F_S : 0;
	return true;
}

static bool decode_condcmp(uint32_t insn, struct a64_op *op)
{
	bool imm = insn >> 11 & 1, cmp = insn >> 30 & 1;
	/* S = 1, o2 = 0, o3 = 0 */
	if (!(insn >> 29 & 1) || (insn >> 10 & 1) || (insn >> 4 & 1))
		return false;
	op->sf = insn >> 31;
	op->rn = src_reg(field(insn, 5, 5));
	if (imm) {
		op->kind = cmp ? A64_DP_CCMP_IMM : A64_DP_CCMN_IMM;
		op->imm = field(insn, 16, 5);
	} else {
		op->kind = cmp ? A64_DP_CCMP_REG : A64_DP_CCMN_REG;
		op->rm = src_reg(field(insn, 16, 5));
	}
	op->cond = (uint8_t)field(insn, 12, 4);
	op->imm2 = (int64_t)((uint64_t)field(insn, 0, 4) << 28);
	op->flags = A64_DP_F_S;
	return true;
}

static bool decode_condsel(uint32_t insn, struct a64_op *op)
{
	static const uint8_t kinds[4] = { A64_DP_CSEL, A64_DP_CSINC, A64_DP_CSINV, A64_DP_CSNEG };
	if ((insn >> 29 & 1) || (insn >> 11 & 1))
		return false;
	three_regs(insn, op);
	op->kind = kinds[(insn >> 30 & 1) << 1 | (insn >> 10 & 1)];
	op->cond = (uint8_t)field(insn, 12, 4);
	return true;
}

static bool decode_2src(uint32_t insn, struct a64_op *op)
{
	unsigned opcode = field(insn, 10, 6);
	if (insn >> 29 & 1) /* SUBPS (MTE) */
		return false;
	three_regs(insn, op);
	switch (opcode) {
	case 0x02: op->kind = A64_DP_UDIV; return true;
	case 0x03: op->kind = A64_DP_SDIV; return true;
	case 0x08: op->kind = A64_DP_LSLV; return true;
	case 0x09: op->kind = A64_DP_LSRV; return true;
	case 0x0a: op->kind = A64_DP_ASRV; return true;
	case 0x0b: op->kind = A64_DP_RORV; return true;
	case 0x10: case 0x11: case 0x12: case 0x13:
	case 0x14: case 0x15: case 0x16: case 0x17:
		op->size = opcode & 3;
		/* the X forms are 64-bit, the others 32-bit */
		if ((op->size == 3) != op->sf)
			return false;
		op->kind = opcode & 4 ? A64_DP_CRC32C : A64_DP_CRC32;
		return true;
	default: /* SUBP, IRG, GMI, PACGA, SMAX ... */
		return false;
	}
}

static bool decode_1src(uint32_t insn, struct a64_op *op)
{
	static const uint8_t kinds[2][6] = {
		{ A64_DP_RBIT, A64_DP_REV16, A64_DP_REV, 0, A64_DP_CLZ, A64_DP_CLS },
		{ A64_DP_RBIT, A64_DP_REV16, A64_DP_REV32, A64_DP_REV, A64_DP_CLZ, A64_DP_CLS },
	};
	unsigned opcode = field(insn, 10, 6);
	/* S = 0, opcode2 = 0 (others: PAuth); opcodes above 5: CSSC */
	if ((insn >> 29 & 1) || field(insn, 16, 5) || opcode > 5)
		return false;
	op->sf = insn >> 31;
	op->kind = kinds[op->sf][opcode];
	op->rd = dst_reg(field(insn, 0, 5));
	op->rn = src_reg(field(insn, 5, 5));
	return op->kind != 0;
}

static bool decode_3src(uint32_t insn, struct a64_op *op)
{
	unsigned op31 = field(insn, 21, 3);
	bool o0 = insn >> 15 & 1;
	three_regs(insn, op);
	op->ra = src_reg(field(insn, 10, 5));
	if (field(insn, 29, 2))
		return false;
	switch (op31) {
	case 0:
		op->kind = o0 ? A64_DP_MSUB : A64_DP_MADD;
		return true;
	case 1:
		op->kind = o0 ? A64_DP_SMSUBL : A64_DP_SMADDL;
		break;
	case 5:
		op->kind = o0 ? A64_DP_UMSUBL : A64_DP_UMADDL;
		break;
	case 2:
	case 6:
		if (o0)
			return false;
		op->kind = op31 == 2 ? A64_DP_SMULH : A64_DP_UMULH;
		op->ra = 0; /* Ra is ignored */
		break;
	default:
		return false;
	}
	return op->sf; /* the long and high multiplies exist only at 64 bits */
}

static bool decode_reg(uint32_t insn, struct a64_op *op)
{
	unsigned op2 = field(insn, 21, 4);
	if (!(insn >> 28 & 1)) {
		if (!(op2 & 8))
			return decode_logical_sreg(insn, op);
		return op2 & 1 ? decode_addsub_xreg(insn, op) : decode_addsub_sreg(insn, op);
	}
	if (op2 & 8)
		return decode_3src(insn, op);
	switch (op2) {
	case 0: return decode_adc(insn, op);
	case 2: return decode_condcmp(insn, op);
	case 4: return decode_condsel(insn, op);
	case 6: return insn >> 30 & 1 ? decode_1src(insn, op) : decode_2src(insn, op);
	default: return false;
	}
}

bool a64_decode_dp(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	bool ok;
	memset(op, 0, sizeof *op);
	op->insn = insn;
	op->pc = pc;
	if (field(insn, 26, 3) == 4)
		ok = decode_imm(insn, pc, op);
	else if (field(insn, 25, 3) == 5)
		ok = decode_reg(insn, op);
	else
		ok = false;
	op->cls = ok ? A64_CLS_DP : A64_CLS_INVALID;
	return false;
}
