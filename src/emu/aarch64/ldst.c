/* emu/aarch64/ldst: front end for the loads and stores (top-level groups x1x0): single
 * registers in every addressing mode, literals, pairs, exclusives, ordered accesses, LSE
 * atomics and compare-and-swap, prefetches, and the Advanced SIMD structure loads and stores.
 * Pure: fills a struct a64_op as ldst.h describes; no CPU state, no memory. */
#include "emu/aarch64/a64.h"
#include "emu/aarch64/ldst.h"

static inline uint32_t bits(uint32_t insn, unsigned hi, unsigned lo)
{
	return (insn >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int64_t sext(uint32_t v, unsigned width)
{
	return (int64_t)((uint64_t)v << (64 - width)) >> (64 - width);
}

/* Register fields: a base 31 is SP; a loaded general register 31 is the zero-write sink, a
 * stored (or otherwise read) one reads zero. */
static inline uint8_t reg_base(uint32_t r)
{
	return (uint8_t)r;
}

static inline uint8_t reg_dst(uint32_t r)
{
	return r == 31 ? REG_ZW : (uint8_t)r;
}

static inline uint8_t reg_src(uint32_t r)
{
	return r == 31 ? REG_ZR : (uint8_t)r;
}

static bool set(struct a64_op *op, unsigned kind)
{
	op->cls = A64_CLS_LDST;
	op->kind = (uint16_t)kind;
	return false; /* nothing here ends a block */
}

static bool fail(struct a64_op *op)
{
	op->cls = A64_CLS_INVALID;
	return true;
}

/* Single register, general or SIMD&FP: size:V:opc to kind, size, signedness. prfm_ok tells
 * whether size 3, opc 10 is a prefetch (unsigned offset, unscaled, register, literal) or
 * unallocated (pre, post, unprivileged). Returns false when unallocated. */
static bool single_kind(struct a64_op *op, uint32_t insn, bool prfm_ok)
{
	unsigned size = bits(insn, 31, 30), v = bits(insn, 26, 26), opc = bits(insn, 23, 22);
	unsigned rt = bits(insn, 4, 0);
	if (v) {
		if (opc & 2) {
			if (size != 0)
				return false;
			size = 4;
		}
		op->kind = (opc & 1) ? LDST_LDR_V : LDST_STR_V;
		op->rd = (uint8_t)rt;
		op->size = (uint8_t)size;
		return true;
	}
	op->size = (uint8_t)size;
	op->sf = 1;
	switch (opc) {
	case 0:
		op->kind = LDST_STR;
		op->rd = reg_src(rt);
		op->sf = size == 3;
		return true;
	case 1:
		op->kind = LDST_LDR;
		op->rd = reg_dst(rt);
		op->sf = size == 3;
		return true;
	case 2:
		if (size == 3) {
			if (!prfm_ok)
				return false;
			op->kind = LDST_PRFM;
			op->imm2 = rt; /* prefetch operation, informative */
			return true;
		}
		op->kind = LDST_LDR;
		op->rd = reg_dst(rt);
		op->flags |= LDST_F_SIGNED;
		return true;
	default:
		if (size >= 2)
			return false;
		op->kind = LDST_LDR;
		op->rd = reg_dst(rt);
		op->flags |= LDST_F_SIGNED;
		op->sf = 0;
		return true;
	}
}

static bool decode_single(uint32_t insn, struct a64_op *op)
{
	op->rn = reg_base(bits(insn, 9, 5));
	op->rm = REG_ZR;
	if (bits(insn, 24, 24)) {
		/* Unsigned offset, scaled. */
		if (!single_kind(op, insn, true))
			return fail(op);
		op->flags |= LDST_OFF;
		op->imm = (int64_t)bits(insn, 21, 10) << op->size;
		return set(op, op->kind);
	}
	if (!bits(insn, 21, 21)) {
		unsigned mode = bits(insn, 11, 10);
		if (!single_kind(op, insn, mode == 0))
			return fail(op);
		op->imm = sext(bits(insn, 20, 12), 9);
		switch (mode) {
		case 0: op->flags |= LDST_OFF; break;
		case 1: op->flags |= LDST_POST; break;
		case 2:
			if (bits(insn, 26, 26))
				return fail(op);
			op->flags |= LDST_OFF | LDST_F_UNPRIV;
			break;
		default: op->flags |= LDST_PRE; break;
		}
		return set(op, op->kind);
	}
	switch (bits(insn, 11, 10)) {
	case 0: {
		/* Atomic memory operations. */
		if (bits(insn, 26, 26))
			return fail(op);
		static const uint16_t ops[8] = { LDST_LDADD, LDST_LDCLR, LDST_LDEOR, LDST_LDSET,
						 LDST_LDSMAX, LDST_LDSMIN, LDST_LDUMAX, LDST_LDUMIN };
		unsigned a = bits(insn, 23, 23), r = bits(insn, 22, 22), o3 = bits(insn, 15, 15);
		unsigned opc = bits(insn, 14, 12);
		unsigned kind;
		op->size = (uint8_t)bits(insn, 31, 30);
		op->sf = op->size == 3;
		op->rd = reg_dst(bits(insn, 4, 0));
		op->flags = LDST_OFF | (a ? LDST_F_ACQ : 0) | (r ? LDST_F_REL : 0);
		if (!o3) {
			kind = ops[opc];
		} else if (opc == 0) {
			kind = LDST_SWP;
		} else if (opc == 4 && a && !r && bits(insn, 20, 16) == 31) {
			/* LDAPR (Rs must be ones, as qemu decodes it). */
			return set(op, LDST_LDAPR);
		} else {
			return fail(op);
		}
		op->rm = reg_src(bits(insn, 20, 16));
		return set(op, kind);
	}
	case 2: {
		/* Register offset. */
		unsigned option = bits(insn, 15, 13);
		if (!(option & 2))
			return fail(op);
		if (!single_kind(op, insn, true))
			return fail(op);
		op->flags |= LDST_REG;
		op->rm = reg_src(bits(insn, 20, 16));
		op->ext = (uint8_t)option;
		op->shift = bits(insn, 12, 12) ? op->size : 0;
		return set(op, op->kind);
	}
	default: /* LDRAA/LDRAB (pointer authentication): not implemented */
		return fail(op);
	}
}

static bool decode_literal(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	unsigned opc = bits(insn, 31, 30), rt = bits(insn, 4, 0);
	op->rn = REG_ZR;
	op->rm = REG_ZR;
	op->flags = LDST_OFF | LDST_F_LIT;
	op->imm = (int64_t)(pc + (uint64_t)(sext(bits(insn, 23, 5), 19) * 4));
	if (bits(insn, 26, 26)) {
		if (opc == 3)
			return fail(op);
		op->rd = (uint8_t)rt;
		op->size = (uint8_t)(opc + 2);
		return set(op, LDST_LDR_V);
	}
	switch (opc) {
	case 0: op->size = 2; op->sf = 0; break;
	case 1: op->size = 3; op->sf = 1; break;
	case 2: op->size = 2; op->sf = 1; op->flags |= LDST_F_SIGNED; break;
	default:
		op->imm2 = rt;
		return set(op, LDST_PRFM);
	}
	op->rd = reg_dst(rt);
	return set(op, LDST_LDR);
}

static bool decode_pair(uint32_t insn, struct a64_op *op)
{
	unsigned opc = bits(insn, 31, 30), v = bits(insn, 26, 26), mode = bits(insn, 24, 23);
	bool load = bits(insn, 22, 22);
	unsigned rt = bits(insn, 4, 0), rt2 = bits(insn, 14, 10);
	unsigned kind;
	op->rn = reg_base(bits(insn, 9, 5));
	op->rm = REG_ZR;
	if (v) {
		if (opc == 3)
			return fail(op);
		op->size = (uint8_t)(opc + 2);
		op->rd = (uint8_t)rt;
		op->rt2 = (uint8_t)rt2;
		kind = load ? LDST_LDP_V : LDST_STP_V;
	} else {
		switch (opc) {
		case 0: op->size = 2; op->sf = 0; break;
		case 2: op->size = 3; op->sf = 1; break;
		case 1:
			/* LDPSW; the store form is STGP (MTE), not implemented; no LDNPSW. */
			if (!load || mode == 0)
				return fail(op);
			op->size = 2;
			op->sf = 1;
			op->flags |= LDST_F_SIGNED;
			break;
		default:
			return fail(op);
		}
		op->rd = load ? reg_dst(rt) : reg_src(rt);
		op->rt2 = load ? reg_dst(rt2) : reg_src(rt2);
		kind = load ? LDST_LDP : LDST_STP;
	}
	op->imm = sext(bits(insn, 21, 15), 7) * (1 << op->size);
	switch (mode) {
	case 0: op->flags |= LDST_OFF | LDST_F_NT; break;
	case 1: op->flags |= LDST_POST; break;
	case 2: op->flags |= LDST_OFF; break;
	default: op->flags |= LDST_PRE; break;
	}
	return set(op, kind);
}

/* Exclusives, ordered accesses, compare-and-swap (bits 29:24 = 001000). */
static bool decode_excl(uint32_t insn, struct a64_op *op)
{
	unsigned size = bits(insn, 31, 30), o2 = bits(insn, 23, 23), l = bits(insn, 22, 22);
	unsigned o1 = bits(insn, 21, 21), rs = bits(insn, 20, 16), o0 = bits(insn, 15, 15);
	unsigned rt2 = bits(insn, 14, 10), rt = bits(insn, 4, 0);
	op->rn = reg_base(bits(insn, 9, 5));
	op->rm = REG_ZR;
	op->flags = LDST_OFF;
	op->size = (uint8_t)size;
	op->sf = size == 3;
	if (!o2 && !o1) {
		op->flags |= o0 ? (l ? LDST_F_ACQ : LDST_F_REL) : 0;
		if (l) {
			op->rd = reg_dst(rt);
			return set(op, LDST_LDXR);
		}
		op->rd = reg_src(rt);
		op->rm = reg_dst(rs);
		return set(op, LDST_STXR);
	}
	if (!o2 && o1) {
		if (size & 2) {
			/* LDXP/STXP: element size 4 << sz. */
			op->size = (uint8_t)(2 + (size & 1));
			op->flags |= o0 ? (l ? LDST_F_ACQ : LDST_F_REL) : 0;
			if (l) {
				op->rd = reg_dst(rt);
				op->rt2 = reg_dst(rt2);
				return set(op, LDST_LDXP);
			}
			op->rd = reg_src(rt);
			op->rt2 = reg_src(rt2);
			op->rm = reg_dst(rs);
			return set(op, LDST_STXP);
		}
		/* CASP: even register pairs; the Rt2 field must be ones (qemu undefines
		 * other values). */
		if ((rs & 1) || (rt & 1) || rt2 != 31)
			return fail(op);
		op->size = (uint8_t)(2 + (size & 1));
		op->sf = size & 1;
		op->flags |= (l ? LDST_F_ACQ : 0) | (o0 ? LDST_F_REL : 0);
		op->rm = reg_src(rs);
		op->ra = reg_src(rs + 1);
		op->rd = reg_src(rt);
		op->rt2 = reg_src(rt + 1);
		return set(op, LDST_CASP);
	}
	if (o2 && !o1) {
		/* o0 = 1: LDAR/STLR; o0 = 0: LDLAR/STLLR (LORegions: as LDAR/STLR). */
		if (l) {
			op->flags |= LDST_F_ACQ;
			op->rd = reg_dst(rt);
			return set(op, LDST_LDAR);
		}
		op->flags |= LDST_F_REL;
		op->rd = reg_src(rt);
		return set(op, LDST_STLR);
	}
	/* CAS, all sizes (Rt2 must be ones). The SBO fields of the other forms are ignored. */
	if (rt2 != 31)
		return fail(op);
	op->flags |= (l ? LDST_F_ACQ : 0) | (o0 ? LDST_F_REL : 0);
	op->rm = reg_src(rs);
	op->rd = reg_src(rt);
	return set(op, LDST_CAS);
}

/* LDAPUR/STLUR (bits 29:24 = 011001, bit 21 = 0, bits 11:10 = 00, V = 0). */
static bool decode_rcpc2(uint32_t insn, struct a64_op *op)
{
	unsigned size = bits(insn, 31, 30), opc = bits(insn, 23, 22), rt = bits(insn, 4, 0);
	op->rn = reg_base(bits(insn, 9, 5));
	op->rm = REG_ZR;
	op->imm = sext(bits(insn, 20, 12), 9);
	op->size = (uint8_t)size;
	switch (opc) {
	case 0:
		op->flags = LDST_OFF | LDST_F_REL;
		op->rd = reg_src(rt);
		op->sf = size == 3;
		return set(op, LDST_STLR);
	case 1:
		op->flags = LDST_OFF | LDST_F_ACQ;
		op->sf = size == 3;
		break;
	case 2:
		if (size == 3)
			return fail(op);
		op->flags = LDST_OFF | LDST_F_ACQ | LDST_F_SIGNED;
		op->sf = 1;
		break;
	default:
		if (size >= 2)
			return fail(op);
		op->flags = LDST_OFF | LDST_F_ACQ | LDST_F_SIGNED;
		op->sf = 0;
		break;
	}
	op->rd = reg_dst(rt);
	return set(op, LDST_LDAR);
}

/* Advanced SIMD load/store multiple structures. */
static bool decode_simd_mult(uint32_t insn, struct a64_op *op)
{
	unsigned q = bits(insn, 30, 30), opcode = bits(insn, 15, 12), size = bits(insn, 11, 10);
	unsigned rpt, selem;
	switch (opcode) {
	case 0x0: rpt = 1; selem = 4; break;
	case 0x2: rpt = 4; selem = 1; break;
	case 0x4: rpt = 1; selem = 3; break;
	case 0x6: rpt = 3; selem = 1; break;
	case 0x7: rpt = 1; selem = 1; break;
	case 0x8: rpt = 1; selem = 2; break;
	case 0xa: rpt = 2; selem = 1; break;
	default: return fail(op);
	}
	if (size == 3 && !q && selem != 1)
		return fail(op);
	op->rd = (uint8_t)bits(insn, 4, 0);
	op->size = (uint8_t)size;
	op->sf = (uint8_t)q;
	op->ext = (uint8_t)selem;
	op->shift = (uint8_t)(rpt * selem);
	op->imm = (int64_t)(rpt * selem) * (8 << q);
	return set(op, bits(insn, 22, 22) ? LDST_LD_MULT : LDST_ST_MULT);
}

/* Advanced SIMD load/store single structure (and load-and-replicate). */
static bool decode_simd_single(uint32_t insn, struct a64_op *op)
{
	unsigned q = bits(insn, 30, 30), l = bits(insn, 22, 22), r = bits(insn, 21, 21);
	unsigned opcode = bits(insn, 15, 13), s = bits(insn, 12, 12), size = bits(insn, 11, 10);
	unsigned scale = opcode >> 1, selem = (((opcode & 1) << 1) | r) + 1, index = 0;
	unsigned kind;
	switch (scale) {
	case 3:
		if (!l || s)
			return fail(op);
		scale = size;
		kind = LDST_LD_REPL;
		break;
	case 0:
		index = (q << 3) | (s << 2) | size;
		kind = l ? LDST_LD_LANE : LDST_ST_LANE;
		break;
	case 1:
		if (size & 1)
			return fail(op);
		index = (q << 2) | (s << 1) | (size >> 1);
		kind = l ? LDST_LD_LANE : LDST_ST_LANE;
		break;
	default:
		if (size & 2)
			return fail(op);
		if (!(size & 1)) {
			index = (q << 1) | s;
		} else {
			if (s)
				return fail(op);
			index = q;
			scale = 3;
		}
		kind = l ? LDST_LD_LANE : LDST_ST_LANE;
		break;
	}
	op->rd = (uint8_t)bits(insn, 4, 0);
	op->size = (uint8_t)scale;
	op->sf = (uint8_t)q;
	op->ext = (uint8_t)selem;
	op->shift = (uint8_t)selem;
	op->imm2 = index;
	op->imm = (int64_t)selem << scale;
	return set(op, kind);
}

static bool decode_simd(uint32_t insn, struct a64_op *op)
{
	bool single = bits(insn, 24, 24), post = bits(insn, 23, 23);
	unsigned rm = bits(insn, 20, 16);
	op->rn = reg_base(bits(insn, 9, 5));
	op->rm = REG_ZR;
	if (!post) {
		/* Rm (and for multiple structures, bit 21) must be zero. */
		if (rm != 0 || (!single && bits(insn, 21, 21)))
			return fail(op);
	} else if (!single && bits(insn, 21, 21)) {
		return fail(op);
	}
	bool r = single ? decode_simd_single(insn, op) : decode_simd_mult(insn, op);
	if (op->cls != A64_CLS_LDST)
		return r;
	if (!post) {
		op->imm = 0;
		op->flags = LDST_OFF;
	} else {
		op->flags = LDST_POST;
		if (rm != 31) {
			op->rm = (uint8_t)rm;
			op->imm = 0;
		}
	}
	return r;
}

bool a64_decode_ldst(uint32_t insn, uint64_t pc, struct a64_op *op)
{
	memset(op, 0, sizeof *op);
	op->insn = insn;
	op->pc = pc;
	switch (bits(insn, 29, 28)) {
	case 0:
		if (bits(insn, 26, 26)) {
			/* 0x00 1 0x: Advanced SIMD structures (bits 29:25 = 00110). */
			if (bits(insn, 31, 31))
				return fail(op);
			return decode_simd(insn, op);
		}
		if (bits(insn, 24, 24))
			return fail(op);
		return decode_excl(insn, op);
	case 1:
		if (!bits(insn, 24, 24))
			return decode_literal(insn, pc, op);
		if (!bits(insn, 26, 26) && !bits(insn, 21, 21) && bits(insn, 11, 10) == 0)
			return decode_rcpc2(insn, op);
		return fail(op); /* MOPS, MTE tags: not implemented */
	case 2:
		return decode_pair(insn, op);
	default:
		return decode_single(insn, op);
	}
}
