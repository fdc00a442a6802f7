/* emu/jit/jit-branch: host code for the branch class (branch.h): every branch kind, hints and
 * barriers. Exceptions (SVC, BRK), system registers and SYS ops go through their handlers. */
#include "emu/jit/jit-internal.h"

#include "emu/aarch64/branch.h"

/* Taken: goto target; not taken: goto the next instruction. cc is true when taken. */
static void two_way(struct jit *j, int cc, uint64_t target)
{
	j_flush(j); /* once, for both ways (stores keep the x86 flags) */
	uint8_t *taken = x_jcc(&j->b, cc, NULL);
	j_goto(j, j->op->pc + 4);
	x_patch(taken, j->b.p);
	j_goto(j, target);
}

/* A register target with the top byte made bit 55's copies (EL0 top-byte-ignore). */
static void reg_target(struct jit *j, int hreg, unsigned r)
{
	j_get(j, hreg, r, true);
	x_shifti(&j->b, XW, XS_SHL, xr(hreg), 8);
	x_shifti(&j->b, XW, XS_SAR, xr(hreg), 8);
}

bool jit_emit_branch(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	uint64_t target = (uint64_t)op->imm;
	switch (op->kind) {
	case A64_BR_B:
		j_goto(j, target);
		return true;
	case A64_BR_BL:
		x_movi(b, X_RAX, op->pc + 4);
		j_put(j, 30, X_RAX);
		j_goto(j, target);
		return true;
	case A64_BR_BCOND:
		if (op->cond >= 14) {
			j_goto(j, target);
			return true;
		}
		two_way(j, j_cond(j, op->cond), target);
		return true;
	case A64_BR_CBZ:
	case A64_BR_CBNZ:
		if (op->rn == REG_ZR)
			return false;
		x_alui(b, j_w(op), XA_CMP, j_src(j, op->rn), 0);
		two_way(j, op->kind == A64_BR_CBZ ? XC_E : XC_NE, target);
		return true;
	case A64_BR_TBZ:
	case A64_BR_TBNZ:
		if (op->rn == REG_ZR)
			return false;
		x_bti(b, XW, j_src(j, op->rn), op->shift);
		two_way(j, op->kind == A64_BR_TBZ ? XC_AE : XC_B, target);
		return true;
	case A64_BR_BR:
	case A64_BR_RET:
		reg_target(j, X_RAX, op->rn);
		j_goto_r(j, X_RAX);
		return true;
	case A64_BR_BLR:
		reg_target(j, X_RAX, op->rn);
		x_movi(b, X_RCX, op->pc + 4);
		j_put(j, 30, X_RCX);
		j_goto_r(j, X_RAX);
		return true;
	case A64_BR_NOP:
		j->fout = j->fin; /* nothing touches the flags */
		return true;
	case A64_BR_DMB:
	case A64_BR_DSB:
		x_mfence(b);
		j->fout = j->fin;
		return true;
	default:
		return false;
	}
}
