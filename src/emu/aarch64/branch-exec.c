/* emu/aarch64/branch-exec: the interpreter's handlers for the branch, exception-generation
 * and system class (ops as branch.h describes them). Touches the CPU state, guest memory
 * (DC ZVA), and the translation block cache (IC IVAU). */
#include <time.h>

#include "emu/aarch64/a64.h"
#include "emu/aarch64/branch.h"
#include "emu/aarch64/fpu.h"
#include "emu/tb.h"

/* A register branch target under EL0's top-byte-ignore: bits 63:56 copy bit 55. */
static inline uint64_t clean_target(uint64_t addr)
{
	return (uint64_t)((int64_t)(addr << 8) >> 8);
}

static inline int go(struct a64_cpu *cpu, uint64_t target)
{
	cpu->pc = target;
	return 1;
}

static inline int next(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, op->pc + 4);
}

/* --- branches --- */

static int exec_b(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, (uint64_t)op->imm);
}

static int exec_bl(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[30] = op->pc + 4;
	return go(cpu, (uint64_t)op->imm);
}

/* B.cond: one handler per condition, so none tests the condition number at run time. */
#define BCOND(name, test)                                                            \
	static int exec_b##name(struct a64_cpu *cpu, const struct a64_op *op)        \
	{                                                                            \
		uint32_t f = cpu->nzcv;                                              \
		bool n = f & A64_N, z = f & A64_Z, c = f & A64_C, v = f & A64_V;     \
		(void)n, (void)z, (void)c, (void)v;                                  \
		return go(cpu, (test) ? (uint64_t)op->imm : op->pc + 4);             \
	}
BCOND(eq, z)
BCOND(ne, !z)
BCOND(cs, c)
BCOND(cc, !c)
BCOND(mi, n)
BCOND(pl, !n)
BCOND(vs, v)
BCOND(vc, !v)
BCOND(hi, c && !z)
BCOND(ls, !(c && !z))
BCOND(ge, n == v)
BCOND(lt, n != v)
BCOND(gt, !z && n == v)
BCOND(le, !(!z && n == v))
#undef BCOND

static const a64_handler bcond_handlers[16] = {
	exec_beq, exec_bne, exec_bcs, exec_bcc, exec_bmi, exec_bpl, exec_bvs, exec_bvc,
	exec_bhi, exec_bls, exec_bge, exec_blt, exec_bgt, exec_ble, exec_b, exec_b,
};

static int exec_cbz_x(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, cpu->x[op->rn] == 0 ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_cbnz_x(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, cpu->x[op->rn] != 0 ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_cbz_w(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, (uint32_t)cpu->x[op->rn] == 0 ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_cbnz_w(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, (uint32_t)cpu->x[op->rn] != 0 ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_tbz(struct a64_cpu *cpu, const struct a64_op *op)
{
	bool bit = (cpu->x[op->rn] >> op->shift) & 1;
	return go(cpu, !bit ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_tbnz(struct a64_cpu *cpu, const struct a64_op *op)
{
	bool bit = (cpu->x[op->rn] >> op->shift) & 1;
	return go(cpu, bit ? (uint64_t)op->imm : op->pc + 4);
}

static int exec_br(struct a64_cpu *cpu, const struct a64_op *op)
{
	return go(cpu, clean_target(cpu->x[op->rn]));
}

static int exec_blr(struct a64_cpu *cpu, const struct a64_op *op)
{
	uint64_t target = clean_target(cpu->x[op->rn]); /* before the link: BLR X30 */
	cpu->x[30] = op->pc + 4;
	return go(cpu, target);
}

/* --- exception generation --- */

static int exec_svc(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->exit = A64_EXIT_SVC;
	cpu->exit_insn = op->insn;
	return next(cpu, op);
}

static int exec_brk(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->exit = A64_EXIT_BRK;
	cpu->exit_insn = op->insn;
	return go(cpu, op->pc);
}

/* --- hints and barriers --- */

static int exec_nop(struct a64_cpu *cpu, const struct a64_op *op)
{
	return 0;
}

static int exec_fence(struct a64_cpu *cpu, const struct a64_op *op)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

static int exec_isb(struct a64_cpu *cpu, const struct a64_op *op)
{
	return next(cpu, op);
}

static int exec_clrex(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->excl_size = 0;
	return 0;
}

/* --- system registers (an MRS to XZR writes x[REG_ZW], which absorbs it) --- */

static int exec_mrs_const(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[op->rd] = (uint64_t)op->imm;
	return 0;
}

static int exec_mrs_nzcv(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[op->rd] = cpu->nzcv & (A64_N | A64_Z | A64_C | A64_V);
	return 0;
}

static int exec_mrs_fpcr(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[op->rd] = cpu->fpcr;
	return 0;
}

static int exec_mrs_fpsr(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[op->rd] = a64_fpsr_read(cpu); /* folds in flags pending in the host FPU */
	return 0;
}

static int exec_mrs_tpidr(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->x[op->rd] = cpu->tpidr_el0;
	return 0;
}

static int exec_mrs_cntvct(struct a64_cpu *cpu, const struct a64_op *op)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	cpu->x[op->rd] = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return 0;
}

static int exec_msr_nzcv(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->nzcv = (uint32_t)cpu->x[op->rn] & (A64_N | A64_Z | A64_C | A64_V);
	return 0;
}

static int exec_msr_fpcr(struct a64_cpu *cpu, const struct a64_op *op)
{
	a64_fpcr_write(cpu, cpu->x[op->rn]);
	return next(cpu, op);
}

static int exec_msr_fpsr(struct a64_cpu *cpu, const struct a64_op *op)
{
	a64_fpsr_write(cpu, cpu->x[op->rn]);
	return 0;
}

static int exec_msr_tpidr(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->tpidr_el0 = cpu->x[op->rn];
	return 0;
}

/* --- system instructions --- */

static int exec_dc_zva(struct a64_cpu *cpu, const struct a64_op *op)
{
	uint64_t addr = cpu->x[op->rn] & ~(uint64_t)(A64_DCZVA_BYTES - 1);
	/* One aligned block never crosses a page: it is written whole or faults first. */
	memset(a64_g2h(cpu, addr), 0, A64_DCZVA_BYTES);
	return 0;
}

static int exec_ic_ivau(struct a64_cpu *cpu, const struct a64_op *op)
{
	uint64_t addr = cpu->x[op->rn] & ~(uint64_t)(A64_ICACHE_LINE - 1);
	if (cpu->tbs)
		tb_invalidate(cpu->tbs, addr, A64_ICACHE_LINE);
	return next(cpu, op);
}

a64_handler a64_bind_branch(const struct a64_op *op)
{
	switch ((enum a64_branch_kind)op->kind) {
	case A64_BR_B: return exec_b;
	case A64_BR_BL: return exec_bl;
	case A64_BR_BCOND: return bcond_handlers[op->cond & 15];
	case A64_BR_CBZ: return op->sf ? exec_cbz_x : exec_cbz_w;
	case A64_BR_CBNZ: return op->sf ? exec_cbnz_x : exec_cbnz_w;
	case A64_BR_TBZ: return exec_tbz;
	case A64_BR_TBNZ: return exec_tbnz;
	case A64_BR_BR:
	case A64_BR_RET: return exec_br;
	case A64_BR_BLR: return exec_blr;
	case A64_BR_SVC: return exec_svc;
	case A64_BR_BRK: return exec_brk;
	case A64_BR_NOP:
	case A64_BR_DC_CLEAN: return exec_nop;
	case A64_BR_DMB:
	case A64_BR_DSB: return exec_fence;
	case A64_BR_ISB: return exec_isb;
	case A64_BR_CLREX: return exec_clrex;
	case A64_BR_MRS_CONST: return exec_mrs_const;
	case A64_BR_MRS_NZCV: return exec_mrs_nzcv;
	case A64_BR_MRS_FPCR: return exec_mrs_fpcr;
	case A64_BR_MRS_FPSR: return exec_mrs_fpsr;
	case A64_BR_MRS_TPIDR: return exec_mrs_tpidr;
	case A64_BR_MRS_CNTVCT: return exec_mrs_cntvct;
	case A64_BR_MSR_NZCV: return exec_msr_nzcv;
	case A64_BR_MSR_FPCR: return exec_msr_fpcr;
	case A64_BR_MSR_FPSR: return exec_msr_fpsr;
	case A64_BR_MSR_TPIDR: return exec_msr_tpidr;
	case A64_BR_DC_ZVA: return exec_dc_zva;
	case A64_BR_IC_IVAU: return exec_ic_ivau;
	case A64_BR_NONE:
	case A64_BR_COUNT: break;
	}
	return NULL;
}
