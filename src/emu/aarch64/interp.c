/* emu/aarch64/interp: the interpreter back end's binding step: gives each op the handler that
 * executes it, from the class's *-exec.c file. */
#include "emu/aarch64/a64.h"

int a64_exec_undef(struct a64_cpu *cpu, const struct a64_op *op)
{
	cpu->pc = op->pc;
	cpu->exit = A64_EXIT_UNDEF;
	cpu->exit_insn = op->insn;
	return 1;
}

void a64_bind(struct a64_op *op)
{
	a64_handler h = NULL;
	switch (op->cls) {
	case A64_CLS_DP: h = a64_bind_dp(op); break;
	case A64_CLS_BRANCH: h = a64_bind_branch(op); break;
	case A64_CLS_LDST: h = a64_bind_ldst(op); break;
	case A64_CLS_FP: h = a64_bind_fp(op); break;
	case A64_CLS_SIMD: h = a64_bind_simd(op); break;
	default: break;
	}
	op->fn = h ? h : a64_exec_undef;
}
