/* emu/run: the interpreter's main loop and its escape hatch for guest memory faults. */
#include "emu/run.h"

#include "emu/jit/jit.h"

enum a64_exit a64_run(struct a64_runner *r)
{
	struct a64_cpu *cpu = r->cpu;
	cpu->exit = A64_EXIT_NONE;
	if (sigsetjmp(r->jb, 1)) {
		r->in_guest = 0;
		return cpu->exit;
	}
	r->in_guest = 1;
	if (cpu->tbs->jit && !cpu->jit_pext_mask)
		jit_cpu_init(cpu);
	cpu->jit_link = NULL;
	for (;;) {
		if (cpu->interrupt) {
			cpu->exit = A64_EXIT_INTERRUPT;
			break;
		}
		cpu->cur_op = NULL;
		uint64_t pc = cpu->pc;
		struct tb **slot = (struct tb **)&cpu->jcache[(pc >> 2) & (A64_JCACHE_SIZE - 1)];
		struct tb *tb = *slot;
		if (!tb || tb->pc != pc || !tb->valid) {
			tb = tb_lookup(cpu->tbs, cpu, pc);
			*slot = tb;
		}
		if (!tb) {
			/* Not executable, or a misaligned pc. */
			cpu->exit = (cpu->pc & 3) ? A64_EXIT_ALIGN : A64_EXIT_FAULT;
			cpu->fault_addr = cpu->pc;
			cpu->fault_write = 0;
			cpu->exit_insn = 0;
			break;
		}
		if (cpu->jit_link) {
			/* Generated code left by an unchained direct exit to this pc: chain it. */
			if (tb->code)
				tb_link(cpu->tbs, cpu->jit_link, tb);
			cpu->jit_link = NULL;
		}
		if (tb->code) {
			/* Generated code runs block after block through the jump cache and comes
			 * back when it needs a block translated, or the CPU exits or is
			 * interrupted. */
			jit_run(cpu, tb->code);
			if (cpu->exit != A64_EXIT_NONE)
				break;
			continue;
		}
		/* Handlers of some classes call the next op themselves (threaded dispatch) and
		 * keep cur_op up to date; when one returns 0, carry on after cur_op. */
		const struct a64_op *op = tb->ops;
		cpu->cur_op = op;
		while (!op->fn(cpu, op)) {
			op = cpu->cur_op + 1;
			cpu->cur_op = op;
		}
		if (cpu->exit != A64_EXIT_NONE)
			break;
	}
	r->in_guest = 0;
	return cpu->exit;
}

void a64_run_fault(struct a64_runner *r, uint64_t addr, int is_write, int bus)
{
	if (!r || !r->in_guest)
		return;
	struct a64_cpu *cpu = r->cpu;
	/* A fault outside an op (reading code to translate) is at the pc being translated. */
	cpu->pc = cpu->cur_op ? cpu->cur_op->pc : cpu->pc;
	cpu->exit = bus ? A64_EXIT_ALIGN : A64_EXIT_FAULT;
	cpu->fault_addr = addr;
	cpu->fault_write = is_write;
	siglongjmp(r->jb, 1);
}
