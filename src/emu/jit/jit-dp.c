/* emu/jit/jit-dp: host code for the data-processing class (dp.h). Arithmetic, logic, moves,
 * bitfields, conditional select/compare, shifts by register and multiplies are compiled; the
 * rest (divides, CRC32, RBIT, REV16, CLS) call their handlers. */
#include "emu/jit/jit-internal.h"

#include "emu/aarch64/dp.h"

/* rcx = shift(rm) as the SREG kinds say. */
static void shifted_rm(struct jit *j, const struct a64_op *op)
{
	static const int sops[4] = {XS_SHL, XS_SHR, XS_SAR, XS_ROR};
	j_get(j, X_RCX, op->rm, op->sf);
	x_shifti(&j->b, j_w(op), sops[op->ext & 3], xr(X_RCX), op->shift);
}

/* rcx = extend(rm) as the XREG kinds say (then taken at the op's width by the op itself). */
static void extended_rm(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	struct xrm m = j_src(j, op->rm);
	if (op->rm == REG_ZR) {
		x_movi(b, X_RCX, 0);
		return;
	}
	switch (op->ext) {
	case A64_DP_EXT_UXTB: x_movzx8(b, X_RCX, m); break;
	case A64_DP_EXT_UXTH: x_movzx16(b, X_RCX, m); break;
	case A64_DP_EXT_UXTW: x_load(b, 0, X_RCX, m); break;
	case A64_DP_EXT_SXTB: x_movsx8(b, XW, X_RCX, m); break;
	case A64_DP_EXT_SXTH: x_movsx16(b, XW, X_RCX, m); break;
	case A64_DP_EXT_SXTW: x_movsxd(b, X_RCX, m); break;
	default: x_load(b, XW, X_RCX, m); break;
	}
	x_shifti(b, XW, XS_SHL, xr(X_RCX), op->shift);
}

/* rax OP= imm at width w (imm given as the op's final value: 64-bit or zero-extended 32). */
static void alu_imm(struct jit *j, unsigned w, int aop, uint64_t imm)
{
	if (w ? ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) : true) {
		x_alui(&j->b, w, aop, xr(X_RAX), (int32_t)(uint32_t)imm);
	} else {
		x_movi(&j->b, X_RCX, imm);
		x_alu(&j->b, w, aop, X_RAX, xr(X_RCX));
	}
}

/* Bitfield extracts and inserts as two shifts of rax at the op's width. */
static void bitfield(struct jit *j, const struct a64_op *op, bool sign, bool insert_pos)
{
	unsigned width = op->sf ? 64 : 32, lsb = op->shift, w = op->size;
	struct xbuf *b = &j->b;
	if (insert_pos) { /* (field << lsb): left-align the field, then shift down to lsb */
		x_shifti(b, j_w(op), XS_SHL, xr(X_RAX), width - w);
		x_shifti(b, j_w(op), sign ? XS_SAR : XS_SHR, xr(X_RAX), width - w - lsb);
	} else {          /* (rn >> lsb) & mask, or its sign-extension */
		x_shifti(b, j_w(op), XS_SHL, xr(X_RAX), width - w - lsb);
		x_shifti(b, j_w(op), sign ? XS_SAR : XS_SHR, xr(X_RAX), width - w);
	}
}

static bool cond_select(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	unsigned w = j_w(op);
	j_get(j, X_RAX, op->rm, op->sf);
	switch (op->kind) {
	case A64_DP_CSINC: x_lea(b, w, X_RAX, xm(X_RAX, 1)); break;
	case A64_DP_CSINV: x_not(b, w, xr(X_RAX)); break;
	case A64_DP_CSNEG:
		x_neg(b, w, xr(X_RAX));
		j->fin = JF_NONE; /* NEG changed the flags */
		break;
	default: break;
	}
	if (op->cond >= 14) {
		j_get(j, X_RAX, op->rn, op->sf);
	} else {
		j_get(j, X_RCX, op->rn, op->sf);
		int cc = j_cond(j, op->cond);
		x_cmov(b, w, cc, X_RAX, xr(X_RCX)); /* 32 bits: zero-extends, moved or not */
	}
	j_put(j, op->rd, X_RAX);
	j->fout = j->fin; /* cmov, lea, not and mov keep the flags */
	return true;
}

static bool cond_compare(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	unsigned w = j_w(op);
	bool add = op->kind == A64_DP_CCMN_REG || op->kind == A64_DP_CCMN_IMM;
	uint8_t *skip = NULL;
	/* rn first: the register cache must not learn anything on one path only. */
	j_get(j, X_RAX, op->rn, op->sf);
	if (op->cond < 14) {
		int cc = j_cond(j, op->cond);
		skip = x_jcc(b, cc ^ 1, NULL);
	}
	if (op->kind == A64_DP_CCMN_IMM || op->kind == A64_DP_CCMP_IMM)
		x_alui(b, w, add ? XA_ADD : XA_CMP, xr(X_RAX), (int32_t)op->imm);
	else
		x_alu(b, w, add ? XA_ADD : XA_CMP, X_RAX, j_src(j, op->rm));
	j_nzcv(j, add ? JF_ADD : JF_SUB);
	if (skip) {
		uint8_t *done = x_jmp(b, NULL);
		x_patch(skip, b->p);
		x_storei(b, 0, xm(J_CPU, J_OFF(nzcv)), (int32_t)(uint32_t)op->imm2);
		x_patch(done, b->p);
		j->fout = JF_NONE; /* the two paths leave different x86 flags */
	}
	return true;
}

bool jit_emit_dp(struct jit *j, const struct a64_op *op)
{
	struct xbuf *b = &j->b;
	unsigned w = j_w(op);
	bool s = op->flags & A64_DP_F_S;
	switch (op->kind) {
	case A64_DP_ADR:
	case A64_DP_ADRP:
	case A64_DP_MOVZ:
	case A64_DP_MOVN:
		x_movi(b, X_RAX, (uint64_t)op->imm);
		j_put(j, op->rd, X_RAX);
		j->fout = j->fin;
		return true;
	case A64_DP_MOVK:
		j_get(j, X_RAX, op->rd == REG_ZW ? REG_ZR : op->rd, true);
		x_movi(b, X_RCX, (uint64_t)op->imm2);
		x_alu(b, XW, XA_AND, X_RAX, xr(X_RCX));
		x_movi(b, X_RCX, (uint64_t)op->imm);
		x_alu(b, XW, XA_OR, X_RAX, xr(X_RCX));
		j_put(j, op->rd, X_RAX);
		return true;
	case A64_DP_ADD_IMM:
	case A64_DP_SUB_IMM: {
		bool sub = op->kind == A64_DP_SUB_IMM;
		j_get(j, X_RAX, op->rn, op->sf);
		if (!s && op->imm == 0) {
			/* MOV to/from SP */
		} else {
			x_alui(b, w, sub ? XA_SUB : XA_ADD, xr(X_RAX), (int32_t)op->imm);
		}
		j_put(j, op->rd, X_RAX);
		if (s)
			j_nzcv(j, sub ? JF_SUB : JF_ADD);
		return true;
	}
	case A64_DP_ADD_SREG:
	case A64_DP_SUB_SREG:
	case A64_DP_ADD_XREG:
	case A64_DP_SUB_XREG: {
		bool sub = op->kind == A64_DP_SUB_SREG || op->kind == A64_DP_SUB_XREG;
		if (op->kind == A64_DP_ADD_SREG || op->kind == A64_DP_SUB_SREG)
			shifted_rm(j, op);
		else
			extended_rm(j, op);
		j_get(j, X_RAX, op->rn, op->sf);
		x_alu(b, w, sub ? XA_SUB : XA_ADD, X_RAX, xr(X_RCX));
		j_put(j, op->rd, X_RAX);
		if (s)
			j_nzcv(j, sub ? JF_SUB : JF_ADD);
		return true;
	}
	case A64_DP_ADC:
	case A64_DP_SBC: {
		bool sub = op->kind == A64_DP_SBC;
		j_get(j, X_RAX, op->rn, op->sf);
		j_get(j, X_RCX, op->rm, op->sf);
		x_bti(b, 0, xm(J_CPU, J_OFF(nzcv)), 29); /* CF = C */
		if (sub)
			x_cmc(b); /* SBB subtracts CF: the borrow, not C */
		x_alu(b, w, sub ? XA_SBB : XA_ADC, X_RAX, xr(X_RCX));
		j_put(j, op->rd, X_RAX);
		if (s)
			j_nzcv(j, sub ? JF_SUB : JF_ADD);
		return true;
	}
	case A64_DP_AND_IMM:
	case A64_DP_ORR_IMM:
	case A64_DP_EOR_IMM: {
		static const int aops[] = {XA_AND, XA_OR, XA_XOR};
		j_get(j, X_RAX, op->rn, op->sf);
		alu_imm(j, w, aops[op->kind - A64_DP_AND_IMM], (uint64_t)op->imm);
		j_put(j, op->rd, X_RAX);
		if (s)
			j_nzcv(j, JF_ADD);
		return true;
	}
	case A64_DP_AND_SREG:
	case A64_DP_BIC_SREG:
	case A64_DP_ORR_SREG:
	case A64_DP_ORN_SREG:
	case A64_DP_EOR_SREG:
	case A64_DP_EON_SREG: {
		int k = op->kind - A64_DP_AND_SREG;
		static const int aops[] = {XA_AND, XA_AND, XA_OR, XA_OR, XA_XOR, XA_XOR};
		if (op->kind == A64_DP_ORR_SREG && op->rn == REG_ZR && op->shift == 0 && !s) {
			j_get(j, X_RAX, op->rm, op->sf); /* MOV */
			j_put(j, op->rd, X_RAX);
			j->fout = j->fin;
			return true;
		}
		shifted_rm(j, op);
		if (k & 1)
			x_not(b, w, xr(X_RCX));
		j_get(j, X_RAX, op->rn, op->sf);
		x_alu(b, w, aops[k], X_RAX, xr(X_RCX));
		j_put(j, op->rd, X_RAX);
		if (s)
			j_nzcv(j, JF_ADD);
		return true;
	}
	case A64_DP_UBFX:
	case A64_DP_SBFX:
	case A64_DP_UBFIZ:
	case A64_DP_SBFIZ:
		j_get(j, X_RAX, op->rn, op->sf);
		bitfield(j, op, op->kind == A64_DP_SBFX || op->kind == A64_DP_SBFIZ,
			 op->kind == A64_DP_UBFIZ || op->kind == A64_DP_SBFIZ);
		j_put(j, op->rd, X_RAX);
		return true;
	case A64_DP_BFXIL:
	case A64_DP_BFI:
		j_get(j, X_RAX, op->rn, op->sf);
		bitfield(j, op, false, op->kind == A64_DP_BFI);
		j_get(j, X_RDX, op->rd == REG_ZW ? REG_ZR : op->rd, true);
		x_movi(b, X_RCX, (uint64_t)op->imm2);
		x_alu(b, XW, XA_AND, X_RDX, xr(X_RCX));
		x_alu(b, XW, XA_OR, X_RAX, xr(X_RDX));
		j_put(j, op->rd, X_RAX);
		return true;
	case A64_DP_EXTR:
		if (op->rn == op->rm) { /* ROR (immediate) */
			j_get(j, X_RAX, op->rn, op->sf);
			x_shifti(b, w, XS_ROR, xr(X_RAX), op->shift);
			j_put(j, op->rd, X_RAX);
			return true;
		}
		j_get(j, X_RAX, op->rm, op->sf);
		j_get(j, X_RCX, op->rn, op->sf);
		if (op->shift)
			x_shrd(b, w, xr(X_RAX), X_RCX, op->shift);
		j_put(j, op->rd, X_RAX);
		return true;
	case A64_DP_CSEL:
	case A64_DP_CSINC:
	case A64_DP_CSINV:
	case A64_DP_CSNEG:
		return cond_select(j, op);
	case A64_DP_CCMN_REG:
	case A64_DP_CCMP_REG:
	case A64_DP_CCMN_IMM:
	case A64_DP_CCMP_IMM:
		return cond_compare(j, op);
	case A64_DP_LSLV:
	case A64_DP_LSRV:
	case A64_DP_ASRV:
	case A64_DP_RORV: {
		static const int sops[] = {XS_SHL, XS_SHR, XS_SAR, XS_ROR};
		j_get(j, X_RCX, op->rm, false);
		j_get(j, X_RAX, op->rn, op->sf);
		x_shiftcl(b, w, sops[op->kind - A64_DP_LSLV], xr(X_RAX));
		j_put(j, op->rd, X_RAX);
		return true;
	}
	case A64_DP_MADD:
	case A64_DP_MSUB:
		j_get(j, X_RAX, op->rn, op->sf);
		j_get(j, X_RCX, op->rm, op->sf);
		x_imul(b, w, X_RAX, xr(X_RCX));
		j_get(j, X_RCX, op->ra, op->sf);
		if (op->kind == A64_DP_MADD) {
			x_alu(b, w, XA_ADD, X_RAX, xr(X_RCX));
			j_put(j, op->rd, X_RAX);
		} else {
			x_alu(b, w, XA_SUB, X_RCX, xr(X_RAX));
			j_put(j, op->rd, X_RCX);
		}
		return true;
	case A64_DP_SMADDL:
	case A64_DP_SMSUBL:
	case A64_DP_UMADDL:
	case A64_DP_UMSUBL: {
		bool sgn = op->kind == A64_DP_SMADDL || op->kind == A64_DP_SMSUBL;
		bool add = op->kind == A64_DP_SMADDL || op->kind == A64_DP_UMADDL;
		if (sgn) {
			x_movsxd(b, X_RAX, j_src(j, op->rn));
			x_movsxd(b, X_RCX, j_src(j, op->rm));
		} else {
			j_get(j, X_RAX, op->rn, false);
			j_get(j, X_RCX, op->rm, false);
		}
		x_imul(b, XW, X_RAX, xr(X_RCX));
		j_get(j, X_RCX, op->ra, true);
		if (add) {
			x_alu(b, XW, XA_ADD, X_RAX, xr(X_RCX));
			j_put(j, op->rd, X_RAX);
		} else {
			x_alu(b, XW, XA_SUB, X_RCX, xr(X_RAX));
			j_put(j, op->rd, X_RCX);
		}
		return true;
	}
	case A64_DP_SMULH:
	case A64_DP_UMULH:
		j_get(j, X_RAX, op->rn, true);
		if (op->kind == A64_DP_SMULH)
			x_imul1(b, XW, j_src(j, op->rm));
		else
			x_mul(b, XW, j_src(j, op->rm));
		j_put(j, op->rd, X_RDX);
		return true;
	case A64_DP_REV:
		j_get(j, X_RAX, op->rn, op->sf);
		x_bswap(b, w, X_RAX);
		j_put(j, op->rd, X_RAX);
		j->fout = j->fin;
		return true;
	case A64_DP_REV32:
		j_get(j, X_RAX, op->rn, true);
		x_bswap(b, XW, X_RAX);
		x_shifti(b, XW, XS_ROL, xr(X_RAX), 32);
		j_put(j, op->rd, X_RAX);
		return true;
	case A64_DP_CLZ:
		if (op->rn == REG_ZR)
			return false;
		x_lzcnt(b, w, X_RAX, j_src(j, op->rn));
		j_put(j, op->rd, X_RAX);
		return true;
	default:
		return false;
	}
}
