/* emu/jit/jit-ldst: host code for the plain loads and stores of ldst.h: single registers
 * (general and SIMD&FP) and pairs, in every addressing mode, and PRFM. Exclusives, ordered
 * accesses, atomics and structures call their handlers. As the interpreter, every access that
 * can fault is done before any register is written, and cpu->cur_op names the op first, so a
 * fault reports its pc with exact state. */
#include "emu/jit/jit-internal.h"

#include "emu/aarch64/ldst.h"

/* rax = base; returns the operand for the first byte accessed. PRE leaves the new base in
 * rcx; POST keeps the old one in rax (the caller writes back). */
static struct xrm address(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	unsigned mode = op->flags & LDST_MODE_MASK;
	int64_t imm = op->imm;
	j_get(j, X_RAX, op->rn, true);
	if (imm < INT32_MIN / 2 || imm > INT32_MAX / 2) {
		x_movi(b, X_RCX, (uint64_t)imm);
		x_alu(b, XW, XA_ADD, X_RAX, xr(X_RCX));
		imm = 0;
	}
	switch (mode) {
	case LDST_PRE:
		x_lea(b, XW, X_RCX, xm(X_RAX, (int32_t)imm));
		return xmi(J_BASE, X_RCX, 0, 0);
	case LDST_POST:
		return xmi(J_BASE, X_RAX, 0, 0);
	case LDST_REG: {
		struct xrm m = j_src(j, op->rm);
		if (op->rm == REG_ZR)
			x_movi(b, X_RCX, 0);
		else if (op->ext == LDST_EXT_UXTW)
			x_load(b, 0, X_RCX, m);
		else if (op->ext == LDST_EXT_SXTW)
			x_movsxd(b, X_RCX, m);
		else
			x_load(b, XW, X_RCX, m);
		if (op->shift <= 3) {
			x_lea(b, XW, X_RAX, xmi(X_RAX, X_RCX, op->shift, 0));
		} else {
			x_shifti(b, XW, XS_SHL, xr(X_RCX), op->shift);
			x_alu(b, XW, XA_ADD, X_RAX, xr(X_RCX));
		}
		return xmi(J_BASE, X_RAX, 0, 0);
	}
	default:
		return xmi(J_BASE, X_RAX, 0, (int32_t)imm);
	}
}

static void writeback(struct jit *j, const struct a64_op *op)
{
	unsigned mode = op->flags & LDST_MODE_MASK;
	if (mode == LDST_PRE) {
		j_put(j, op->rn, X_RCX);
	} else if (mode == LDST_POST) {
		x_lea(&j->b, XW, X_RCX, xm(X_RAX, (int32_t)op->imm));
		j_put(j, op->rn, X_RCX);
	}
}

static struct xrm at(struct xrm m, int32_t off)
{
	m.disp += off;
	return m;
}

/* hreg = the value at m, size log2 0..3, zero- or sign-extended (to 64 bits when sf). */
static void load_gpr(struct xbuf *b, int hreg, struct xrm m, unsigned size, bool sign, bool sf)
{
	unsigned w = sf ? XW : 0;
	switch (size) {
	case 0: if (sign) x_movsx8(b, w, hreg, m); else x_movzx8(b, hreg, m); break;
	case 1: if (sign) x_movsx16(b, w, hreg, m); else x_movzx16(b, hreg, m); break;
	case 2: if (sign) x_movsxd(b, hreg, m); else x_load(b, 0, hreg, m); break;
	default: x_load(b, XW, hreg, m); break;
	}
}

static void store_gpr(struct xbuf *b, struct xrm m, int hreg, unsigned size)
{
	switch (size) {
	case 0: x_store8(b, m, hreg); break;
	case 1: x_store16(b, m, hreg); break;
	case 2: x_store(b, 0, m, hreg); break;
	default: x_store(b, XW, m, hreg); break;
	}
}

/* V[r] = hreg (64 bits), the upper half zeroed. */
static void put_v64(struct jit *j, unsigned r, int hreg)
{
	x_store(&j->b, XW, xm(J_CPU, J_V(r)), hreg);
	x_storei(&j->b, XW, xm(J_CPU, J_V(r) + 8), 0);
}

bool jit_emit_ldst(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	bool sign = op->flags & LDST_F_SIGNED;
	unsigned size = op->size;
	int32_t step = (int32_t)1 << size;
	struct xrm m;
	switch (op->kind) {
	case LDST_PRFM:
		j->fout = j->fin;
		return true;
	case LDST_LDR:
		if (size > 3)
			return false;
		m = address(j, op);
		j_mark(j);
		load_gpr(b, X_RDX, m, size, sign, op->sf);
		j_put(j, op->rd, X_RDX);
		writeback(j, op);
		return true;
	case LDST_STR:
		if (size > 3)
			return false;
		j_get(j, X_RDX, op->rd, true);
		m = address(j, op);
		j_mark(j);
		store_gpr(b, m, X_RDX, size);
		writeback(j, op);
		return true;
	case LDST_LDR_V:
		m = address(j, op);
		j_mark(j);
		if (size == 4) {
			x_movdqu_load(b, 0, m);
			x_movdqu_store(b, xm(J_CPU, J_V(op->rd)), 0);
		} else {
			load_gpr(b, X_RDX, m, size, false, true);
			put_v64(j, op->rd, X_RDX);
		}
		writeback(j, op);
		return true;
	case LDST_STR_V:
		if (size == 4) {
			x_movdqu_load(b, 0, xm(J_CPU, J_V(op->rd)));
		} else {
			x_load(b, XW, X_RDX, xm(J_CPU, J_V(op->rd)));
		}
		m = address(j, op);
		j_mark(j);
		if (size == 4)
			x_movdqu_store(b, m, 0);
		else
			store_gpr(b, m, X_RDX, size);
		writeback(j, op);
		return true;
	case LDST_LDP:
		if (size < 2 || size > 3 || (op->flags & LDST_MODE_MASK) == LDST_REG)
			return false;
		m = address(j, op);
		j_mark(j);
		load_gpr(b, X_RDX, m, size, sign, op->sf);
		load_gpr(b, X_RSI, at(m, step), size, sign, op->sf);
		j_put(j, op->rt2, X_RSI);
		j_put(j, op->rd, X_RDX);
		writeback(j, op);
		return true;
	case LDST_STP:
		if (size < 2 || size > 3 || (op->flags & LDST_MODE_MASK) == LDST_REG)
			return false;
		j_get(j, X_RDX, op->rd, true);
		j_get(j, X_RSI, op->rt2, true);
		m = address(j, op);
		j_mark(j);
		store_gpr(b, m, X_RDX, size);
		store_gpr(b, at(m, step), X_RSI, size);
		writeback(j, op);
		return true;
	case LDST_LDP_V:
		if (size < 2 || size > 4 || (op->flags & LDST_MODE_MASK) == LDST_REG)
			return false;
		m = address(j, op);
		j_mark(j);
		if (size == 4) {
			x_movdqu_load(b, 0, m);
			x_movdqu_load(b, 1, at(m, 16));
			x_movdqu_store(b, xm(J_CPU, J_V(op->rd)), 0);
			x_movdqu_store(b, xm(J_CPU, J_V(op->rt2)), 1);
		} else {
			load_gpr(b, X_RDX, m, size, false, true);
			load_gpr(b, X_RSI, at(m, step), size, false, true);
			put_v64(j, op->rd, X_RDX);
			put_v64(j, op->rt2, X_RSI);
		}
		writeback(j, op);
		return true;
	case LDST_STP_V:
		if (size < 2 || size > 4 || (op->flags & LDST_MODE_MASK) == LDST_REG)
			return false;
		if (size == 4) {
			x_movdqu_load(b, 0, xm(J_CPU, J_V(op->rd)));
			x_movdqu_load(b, 1, xm(J_CPU, J_V(op->rt2)));
		} else {
			x_load(b, XW, X_RDX, xm(J_CPU, J_V(op->rd)));
			x_load(b, XW, X_RSI, xm(J_CPU, J_V(op->rt2)));
		}
		m = address(j, op);
		j_mark(j);
		if (size == 4) {
			x_movdqu_store(b, m, 0);
			x_movdqu_store(b, at(m, 16), 1);
		} else {
			store_gpr(b, m, X_RDX, size);
			store_gpr(b, at(m, step), X_RSI, size);
		}
		writeback(j, op);
		return true;
	default:
		return false;
	}
}
